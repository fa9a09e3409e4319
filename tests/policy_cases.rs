//! Every shipped policy's cases file (`policies/<id>.cases.toml`) passes,
//! and the policies that claim full clause coverage keep it.
#![cfg(feature = "testing")]

use cs_policy::testing::{CasesFile, run};
use cs_policy::{EXAMPLES, Policy};
use rust_decimal::Decimal;

/// Policies whose cases exercise every clause (issue 8, item 5).
const FULL_COVERAGE: &[&str] = &["fintech", "education", "call-centre"];

fn cases_for(id: &str) -> Option<CasesFile> {
    let path = format!("{}/policies/{id}.cases.toml", env!("CARGO_MANIFEST_DIR"));
    std::path::Path::new(&path)
        .exists()
        .then(|| CasesFile::read(&path).unwrap_or_else(|e| panic!("{e}")))
}

#[test]
fn every_shipped_policy_passes_its_cases() {
    let mut failures = String::new();
    let mut ran = 0;
    for (id, _) in EXAMPLES {
        let policy = Policy::example(id).unwrap_or_else(|e| panic!("{id}: {e}"));
        let Some(cases) = cases_for(id) else {
            failures.push_str(&format!("{id}: no policies/{id}.cases.toml\n"));
            continue;
        };
        let report = run(&policy, &[cases]).unwrap_or_else(|e| panic!("{e}"));
        ran += report.cases.len();
        if !report.passed() {
            failures.push_str(&format!("== {id}\n{report}"));
        }
        println!("{id}: {}", report.coverage.summary());
    }
    assert!(ran > 0);
    assert!(failures.is_empty(), "{failures}");
}

#[test]
fn full_coverage_policies_exercise_every_clause() {
    for id in FULL_COVERAGE {
        let policy = Policy::example(id).unwrap_or_else(|e| panic!("{id}: {e}"));
        let cases = cases_for(id).unwrap_or_else(|| panic!("{id} has no cases file"));
        let report = run(&policy, &[cases]).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            report.coverage.meets(Decimal::ONE_HUNDRED),
            "{id}: {}",
            report.coverage_listing()
        );
        assert!(report.coverage.uncovered.is_empty());
    }
}
