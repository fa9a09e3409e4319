//! `cs-policy eval`: the table, JSON and exit codes.
#![cfg(feature = "cli")]

mod common;

use common::{TempFile, cs_policy};

/// F1's ladder shows in the table with each step's clause and label.
#[test]
fn f1_eval_prints_a_table_citing_every_line() {
    let out = cs_policy(&["eval", "policies/shop.toml", "policies/shop.scenario.toml"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("discipline.ladders.complaint.steps[2] «第三次»"));
    assert!(text.contains("team total 13660.76 over 5 agents"));
    // K4: S01 is a senior agent; the base pay line names the post.
    assert!(
        text.contains("2500.00 pay.plans.after_sales.base «基本工资» — post `senior`"),
        "{text}"
    );
}

/// K10: the JSON names each line's clause; C01 is the service star.
#[test]
fn k10_eval_prints_json() {
    let out = cs_policy(&[
        "eval",
        "policies/call-centre.toml",
        "policies/call-centre.scenario.toml",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let c01 = &json["statements"][0];
    assert_eq!(c01["rank"], 1);
    assert!(c01["lines"].as_array().unwrap().iter().any(|l| l["clause"]
        == "pay.plans.star_levels.awards.prizes[0]"
        && l["amount"] == "100.00"));
}

/// Scenarios `eval` cannot use: (test, file name, text, exit code, what
/// the error names).
const UNUSABLE: &[(&str, &str, &str, i32, &str)] = &[
    (
        "eval_reports_a_broken_scenario_with_its_location_and_exits_2",
        "broken.scenario.toml",
        "year = 2026\nmonth = 3\n[[agents]]\nid = \"A\"\nplna = \"x\"\n",
        2,
        "broken.scenario.toml:5:1",
    ),
    (
        "eval_exits_1_on_facts_it_cannot_evaluate",
        "stray.scenario.toml",
        "year = 2026\nmonth = 3\n[[incidents]]\nagent = \"ghost\"\nkind = \"complaint\"\ndate = \"2026-03-02\"\n",
        1,
        "`ghost`",
    ),
];

#[test]
fn eval_exits_2_on_a_broken_scenario_and_1_on_facts_it_cannot_evaluate() {
    for &(case, name, text, code, named) in UNUSABLE {
        let scenario = TempFile::new(name, text);
        let out = cs_policy(&["eval", "policies/shop.toml", scenario.arg()]);
        assert_eq!(out.status.code(), Some(code), "{case}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(named), "{case}: {err}");
    }
}

/// Issue 19: `--punches` assigns the shop's DingTalk log to the rostered
/// shifts, adds the corrections beside it (S02's forgotten check-out of
/// 12 March used, S05's check-in of 25 March asked past the three working
/// days), and lists each punch on no shift at its line. Without the log the
/// table has no correction: the corrections belong to the log.
#[test]
fn eval_with_a_punch_log_adds_its_corrections_and_lists_punches_on_no_shift() {
    let out = cs_policy(&[
        "eval",
        "policies/shop.toml",
        "policies/shop.scenario.toml",
        "--punches",
        "policies/shop.punches.csv",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("punch_corrected         attendance.corrections «补卡 (this file's own)» — 2026-03-12 check-out, correction 1 of the month"),
        "{text}"
    );
    assert!(
        text.contains("correction_refused      attendance.corrections «补卡 (this file's own)» — 2026-03-25 check-in: asked after the deadline 2026-03-30"),
        "{text}"
    );
    assert!(text.contains("S05  score 110 of 130  rank 1  rostered 22 · late 0 · early 0 · absent 0 · leave 0 · missing punch 1"));
    let notes = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        notes.lines().collect::<Vec<_>>(),
        [
            "policies/shop.punches.csv:69: note: the punch of `S01` at 2026-03-07 10:15:42 is on no shift: on a day off",
            "policies/shop.punches.csv:75: note: the punch of `S03` at 2026-03-09 08:57:56 is on no shift: a duplicate of the punch at policies/shop.punches.csv:74",
            "policies/shop.punches.csv: 288 punch(es) on shifts, 2 on none",
        ]
    );
    let plain = cs_policy(&["eval", "policies/shop.toml", "policies/shop.scenario.toml"]);
    let plain = String::from_utf8(plain.stdout).unwrap();
    assert!(!plain.contains("correction"), "{plain}");
}
