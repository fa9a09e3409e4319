//! A month's discipline statement rendered as JSON (F1, F7, F9).

// The invalid fixture `fixtures/invalid/discipline_ladders.toml` is rendered
// and pinned with every other broken fixture in `tests/diagnostics.rs`.

/// F1 + F9 month statement as JSON, from incidents read from a scenario file.
#[test]
fn f1_statement_json_from_scenario_incidents() {
    let incidents: Vec<cs_policy::discipline::Incident> = serde_json::from_str(
        r#"[
            { "agent": "a1", "kind": "complaint", "date": "2026-03-31" },
            { "agent": "a1", "kind": "complaint", "date": "2026-04-01" },
            { "agent": "a1", "kind": "complaint", "date": "2026-04-15" },
            { "agent": "a1", "kind": "data_error_found", "date": "2026-04-16" },
            { "agent": "a2", "kind": "unmarked_order", "date": "2026-04-20", "details": "order 118" }
        ]"#,
    )
    .unwrap();
    let policy = cs_policy::Policy::example("shop").unwrap();
    let april = policy.discipline_month(2026, 4, &incidents).unwrap();
    insta::assert_snapshot!(serde_json::to_string_pretty(&april).unwrap());
}
