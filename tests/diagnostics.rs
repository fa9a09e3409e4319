//! Every broken fixture in `tests/fixtures/invalid/` is rendered and pinned.

use cs_policy::{Policy, ProblemCode};

fn problems(name: &str) -> cs_policy::Problems {
    let path = format!("tests/fixtures/invalid/{name}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    match Policy::from_toml_str(&path, &text) {
        Ok(_) => panic!("{path} loaded, but it is a broken fixture"),
        Err(problems) => problems,
    }
}

#[test]
fn every_invalid_fixture_renders_as_pinned() {
    insta::glob!("fixtures/invalid/*.toml", |path| {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        insta::assert_snapshot!(problems(name).render());
    });
}

#[test]
fn a_file_with_five_independent_problems_reports_all_five() {
    let found = problems("five_problems.toml");
    let located: Vec<(usize, usize, ProblemCode, &str)> = found
        .diagnostics()
        .iter()
        .map(|d| (d.line, d.column, d.code, d.field.as_str()))
        .collect();
    assert_eq!(
        located,
        [
            (6, 12, ProblemCode::InvalidValue, "policy.currency"),
            (11, 1, ProblemCode::UnknownKey, "calendar.lable"),
            (12, 24, ProblemCode::InvalidValue, "calendar.weekend[1]"),
            (14, 29, ProblemCode::OutOfOrder, "calendar.holidays[0].to"),
            (
                16,
                24,
                ProblemCode::InvalidValue,
                "calendar.makeup_working_days[0]"
            ),
        ]
    );
}

#[test]
fn an_unterminated_string_on_line_three_is_reported_on_line_three() {
    let found = problems("syntax_unterminated_string.toml");
    let first = &found.diagnostics()[0];
    assert_eq!((first.code, first.line), (ProblemCode::Syntax, 3));
    assert!(
        found
            .render_short()
            .starts_with("tests/fixtures/invalid/syntax_unterminated_string.toml:3:")
    );
}

#[test]
fn an_unknown_key_suggests_the_known_key_it_resembles() {
    let found = problems("unknown_key.toml");
    let helps: Vec<Option<&str>> = found
        .diagnostics()
        .iter()
        .map(|d| d.help.as_deref())
        .collect();
    assert_eq!(
        helps,
        [
            Some("did you mean `week_starts`?"),
            Some("did you mean `calendar`?")
        ]
    );
}

#[test]
fn diagnostics_serialise_to_json_with_every_location_field() {
    let found = problems("overlap.toml");
    let json = serde_json::to_value(found.diagnostics()).unwrap_or_default();
    let first = &json[0];
    assert_eq!(first["code"], "overlap");
    assert_eq!(first["line"], 12);
    assert_eq!(first["field"], "calendar.holidays[1]");
    assert!(first["span"]["start"].is_number());
}
