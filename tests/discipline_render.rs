//! Rendered diagnostics of an invalid `[discipline]` section (F1, F4, F9).

#[test]
fn discipline_fixture_renders_every_problem() {
    let text = include_str!("fixtures/invalid/discipline_ladders.toml");
    let problems = cs_policy::Policy::from_toml_str("discipline_ladders.toml", text).unwrap_err();
    assert_eq!(problems.len(), 7);
    insta::assert_snapshot!(problems.render());
}
