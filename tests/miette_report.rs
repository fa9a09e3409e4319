//! Policy problems rendered by a miette handler (feature `miette`).
#![cfg(feature = "miette")]

use cs_policy::Policy;

#[test]
fn a_miette_handler_shows_every_problem_with_its_label_and_help() {
    let path = "tests/fixtures/invalid/five_problems.toml";
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let problems = Policy::from_toml_str(path, &text).unwrap_err();
    let mut out = String::new();
    let handler = miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::ascii());
    handler
        .render_report(&mut out, &problems.to_miette())
        .unwrap_or_default();
    assert!(
        out.contains("5 problem(s) in tests/fixtures/invalid/five_problems.toml"),
        "{out}"
    );
    for expected in [
        "did you mean `label`?",
        "did you mean `sunday`?",
        "calendar.holidays[0].to",
        "invalid-value",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in\n{out}");
    }
}
