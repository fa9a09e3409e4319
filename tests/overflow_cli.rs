//! Amounts too large to compute, through the command line: a clear message
//! and an exit code (never 101, a panic).
#![cfg(feature = "cli")]

mod common;

use common::{TempFile, cs_policy, stderr, stdout};

const HUGE: &str = "2000000000000000000000000000";

#[test]
fn a5_eval_of_a_base_wage_too_large_exits_1_naming_the_share() {
    let month = TempFile::shipped_edited(
        "education.scenario.toml",
        r#"base_wage = "3200""#,
        &format!(r#"base_wage = "{HUGE}""#),
    );
    let out = cs_policy(&["eval", "policies/education.toml", month.arg()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {}: agent `E02`: 50% of base wage `{HUGE}` overflows; check the amounts for a typing mistake\n",
            month.arg()
        )
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn a5_the_same_facts_as_a_case_err_while_the_other_cases_run() {
    let scratch = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let cases = scratch.path().join("big.cases.toml");
    let absent = |d: u32| format!(r#"{{ date = 2026-03-0{d}, shift = "regular" }}"#);
    let text = format!(
        r#"policy = "education"

[[case]]
name = "A5 on a base wage too large to halve"
run = "attendance_month"
facts.agent = "li"
facts.year = 2026
facts.month = 3
facts.pay = {{ base_wage = "{HUGE}", gross = "3600" }}
facts.days = [{}, {}, {}]
expect.summary.total_deducted = "150"

[[case]]
name = "A4 one absence costs 50"
run = "attendance_month"
facts.agent = "li"
facts.year = 2026
facts.month = 3
facts.days = [{}]
expect.summary.total_deducted = "50"
"#,
        absent(2),
        absent(3),
        absent(4),
        absent(2),
    );
    std::fs::write(&cases, text).unwrap_or_else(|e| panic!("{e}"));
    let out = cs_policy(&["test", "policies/education.toml", &cases.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let printed = stdout(&out);
    assert!(
        printed.contains(&format!(
            "FAIL  {}:3: A5 on a base wage too large to halve (attendance_month)\n      error: the evaluation failed: agent `li`: 50% of base wage `{HUGE}` overflows",
            cases.display()
        )),
        "{printed}"
    );
    assert!(
        printed.contains("PASS  A4 one absence costs 50"),
        "{printed}"
    );
    assert!(printed.contains("1 of 2 case(s) passed"), "{printed}");
}

const HUGE_LATE: &str = r#"late = "40000000000000000000000000000""#;

#[test]
fn a4_a_late_too_large_for_a_month_is_located_by_check_diff_and_eval() {
    let edited = TempFile::shipped_edited("education.toml", r#"late = "20""#, HUGE_LATE);
    let policy = edited.arg();
    let shipped = std::fs::read_to_string("policies/education.toml").unwrap();
    let line = 1 + shipped[..shipped.find(r#"late = "20""#).unwrap()]
        .matches('\n')
        .count();
    let out = cs_policy(&["check", "--format", "short", policy]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out),
        format!(
            "{policy}:{line}:8: error[out-of-range]: `attendance.deductions.late` is `40000000000000000000000000000`, too large for a month: charged on each day of a 31-day month it passes `1000000000000000`, the largest amount a statement keeps to the fen\n"
        )
    );
    // `diff` against the shipped file, and `eval` of a month with two lates
    // on E01 (a third would be converted, A3), cannot load it: exit 2.
    let month = TempFile::shipped_edited(
        "education.scenario.toml",
        "date = \"2026-03-05\"\nin = \"09:20\"",
        "date = \"2026-03-05\"\nin = \"09:00\"",
    );
    let location = format!("{policy}:{line}:8: error[out-of-range]");
    for args in [
        ["diff", "policies/education.toml", policy],
        ["eval", policy, month.arg()],
    ] {
        let out = cs_policy(&args);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(stderr(&out).contains(&location), "{}", stderr(&out));
    }
}
