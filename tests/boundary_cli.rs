//! `cs-policy diff` prints the boundary examples after the clause changes.
#![cfg(feature = "cli")]

mod common;

use common::{TempFile, cs_policy};

#[test]
fn f1_diff_prints_the_changed_step_then_the_second_complaint_and_exits_1() {
    let new = TempFile::shipped_edited(
        "shop.toml",
        r#"{ amount = 100, label = "第二次" }"#,
        r#"{ amount = 120, label = "第二次" }"#,
    );
    let out = cs_policy(&["diff", "policies/shop.toml", new.arg()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "~ discipline.ladders.complaint.steps[1]: amount 100 → 120\n\
         ≠ discipline.ladders.complaint: 2nd occurrence in a month: fine 100 → 120\n"
    );

    let out = cs_policy(&["diff", "--format", "json", "policies/shop.toml", new.arg()]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert_eq!(json["changes"].as_array().map(Vec::len), Some(1));
    assert_eq!(json["boundaries"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        json["boundaries"][0]["clause"],
        "discipline.ladders.complaint"
    );
    assert_eq!(json["boundaries"][0]["before"]["summary"], "fine 100");
    assert_eq!(json["boundaries"][0]["after"]["summary"], "fine 120");
}

#[test]
fn a1_diff_reports_21_to_30_minutes_as_one_line() {
    let new =
        TempFile::shipped_edited("education.toml", "limit_minutes = 30", "limit_minutes = 20");
    let out = cs_policy(&["diff", "policies/education.toml", new.arg()]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let boundaries: Vec<&str> = stdout.lines().filter(|l| l.starts_with('≠')).collect();
    assert_eq!(
        boundaries,
        [
            "≠ attendance.late: 21–30 minutes late on shift regular: late, deducted 20 → absent, deducted 50"
        ]
    );
}

#[test]
fn identical_policies_print_no_boundary_and_exit_0() {
    let out = cs_policy(&["diff", "policies/property.toml", "policies/property.toml"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let out = cs_policy(&[
        "diff",
        "--format",
        "json",
        "policies/property.toml",
        "policies/property.toml",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert_eq!(json["boundaries"].as_array().map(Vec::len), Some(0));
}

/// Issue 8: a copy of the shop policy with F1's second fine raised from 100 to
/// 120, replayed on the shipped scenario, changes exactly the agent with a
/// second complaint that month, by 20.
#[test]
fn f1_a_raised_fine_replayed_on_a_scenario_changes_exactly_the_agents_it_fines() {
    let new = TempFile::shipped_edited(
        "shop.toml",
        "{ amount = 100, label = \"第二次\" }",
        "{ amount = 120, label = \"第二次\" }",
    );
    let out = cs_policy(&[
        "diff",
        "policies/shop.toml",
        new.arg(),
        "policies/shop.scenario.toml",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "~ discipline.ladders.complaint.steps[1]: amount 100 → 120\n\
         ≠ discipline.ladders.complaint: 2nd occurrence in a month: fine 100 → 120\n\
         = policies/shop.scenario.toml\n\
         S02: total 1650.00 → 1630.00 (-20.00)\n    \
         discipline.ladders.complaint.steps[1] fine: -100.00 → -120.00\n"
    );
}
