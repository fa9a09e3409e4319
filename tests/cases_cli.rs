//! `cs-policy test`: pass/fail per case, differences side by side, exit codes,
//! coverage listing and the exact `--min-coverage` threshold.
#![cfg(feature = "cli")]

mod common;

use common::{TempFile, cs_policy, stdout};

#[test]
fn every_shipped_cases_file_passes() {
    for id in ["education", "property", "fintech", "shop", "call-centre"] {
        let policy = format!("policies/{id}.toml");
        let cases = format!("policies/{id}.cases.toml");
        let out = cs_policy(&["test", &policy, &cases]);
        assert_eq!(out.status.code(), Some(0), "{id}: {}", stdout(&out));
        assert!(stdout(&out).contains("PASS  "));
    }
}

#[test]
fn full_coverage_is_reached_and_listed() {
    let out = cs_policy(&[
        "test",
        "policies/fintech.toml",
        "policies/fintech.cases.toml",
        "--coverage",
        "--min-coverage",
        "100",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("coverage: 21/21 clauses (100.0%)\n"));
}

/// F1 (shop): one case covers part of the policy; `--min-coverage 100`
/// fails and `--coverage` lists what no case exercised.
#[test]
fn f1_coverage_under_the_threshold_fails() {
    let file = TempFile::new(
        "one.cases.toml",
        r#"
[[case]]
name = "F1 one complaint costs 50"
run = "discipline_month"
facts = { year = 2026, month = 3, incidents = [{ agent = "zhao", kind = "complaint", date = 2026-03-03 }] }
expect.funds.0.fines = "50"
"#,
    );
    let path = file.arg();
    let out = cs_policy(&[
        "test",
        "policies/shop.toml",
        path,
        "--coverage",
        "--min-coverage",
        "100",
    ]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("not exercised: line"), "{text}");
    assert!(text.contains("is under the required 100%"), "{text}");
}

/// A failing case exits 1 and shows the difference side by side.
#[test]
fn a1_a_failing_case_exits_1() {
    let file = TempFile::new(
        "wrong.cases.toml",
        r#"
[[case]]
name = "A1 31 minutes late is absent, not late"
run = "attendance_month"
facts = { agent = "li", year = 2026, month = 3, days = [{ date = 2026-03-02, shift = "regular", clock_in = 2026-03-02T09:31:00, clock_out = 2026-03-02T20:00:00 }] }
expect.days.1.status = "late"
"#,
    );
    let path = file.arg();
    let out = cs_policy(&["test", "policies/education.toml", path]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        // A failure names where the case is written: `[[case]]` on line 2.
        text.contains(&format!(
            "FAIL  {path}:2: A1 31 minutes late is absent, not late (attendance_month)"
        )),
        "{text}"
    );
    assert!(text.contains("days[1].status  late      absent"), "{text}");
}

#[test]
fn unreadable_files_exit_2() {
    let out = cs_policy(&[
        "test",
        "policies/fintech.toml",
        "policies/missing.cases.toml",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read"));
    let out = cs_policy(&[
        "test",
        "policies/fintech.toml",
        "policies/fintech.cases.toml",
        "--min-coverage",
        "101",
    ]);
    assert_eq!(out.status.code(), Some(2));
}
