//! Every shipped policy's cases file (`policies/<id>.cases.toml`) passes
//! and exercises every clause of its policy.
#![cfg(feature = "testing")]

use cs_policy::testing::{CasesFile, run};
use cs_policy::{EXAMPLES, Policy};
use rust_decimal::Decimal;

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
fn every_shipped_policy_has_full_clause_coverage() {
    for (id, _) in EXAMPLES {
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
