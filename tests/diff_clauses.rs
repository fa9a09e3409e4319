//! `cs_policy::diff` and `cs-policy diff`: every clause added, removed or
//! changed between two versions of a policy (issue 8, "`cs-policy diff`
//! between a policy and a copy with one fine changed reports exactly that
//! clause").

mod common;

use cs_policy::diff::{Change, ChangeKind, DiffError, PolicyDiff, ValueChange};
use cs_policy::{EXAMPLES, Policy, ProblemCode};

/// The 2026 holidays as a policy's own list, the way policies carried them
/// before the yearly calendar files: arrays of clauses to compare.
const OWN_2026_LIST: &str = r#"holidays = [
  { from = 2026-01-01, to = 2026-01-03, name = "元旦" },
  { from = 2026-02-15, to = 2026-02-23, name = "春节" },
  { from = 2026-04-04, to = 2026-04-06, name = "清明节" },
  { from = 2026-05-01, to = 2026-05-05, name = "劳动节" },
  { from = 2026-06-19, to = 2026-06-21, name = "端午节" },
  { from = 2026-09-25, to = 2026-09-27, name = "中秋节" },
  { from = 2026-10-01, to = 2026-10-07, name = "国庆节" },
]
# 调休: weekend dates worked to make the holiday blocks longer.
makeup_working_days = [2026-01-04, 2026-02-14, 2026-02-28, 2026-05-09, 2026-09-20, 2026-10-10]"#;

/// A shipped policy with the 2026 holidays as its own list instead of the
/// shared calendar file.
fn example(name: &str) -> &'static str {
    static OWN: std::sync::LazyLock<Vec<(&str, String)>> = std::sync::LazyLock::new(|| {
        EXAMPLES
            .iter()
            .map(|(n, text)| {
                (
                    *n,
                    text.replace(r#"calendars = ["cn-2026"]"#, OWN_2026_LIST),
                )
            })
            .collect()
    });
    OWN.iter()
        .find(|(n, _)| *n == name)
        .map_or("", |(_, text)| text.as_str())
}

#[test]
fn a_policy_naming_another_calendar_shows_its_days_as_added_clauses() {
    let shipped = EXAMPLES[0].1;
    let both = shipped.replace(
        r#"calendars = ["cn-2026"]"#,
        r#"calendars = ["cn-2025", "cn-2026"]"#,
    );
    let found = diff(shipped, &both);
    let lines: Vec<String> = found
        .changes()
        .iter()
        .map(|c| format!("{} {}", c.kind.sign(), c.clause))
        .collect();
    assert_eq!(lines, ["~ calendar", "+ calendars.cn-2025"]);
    // From a policy's own list to the shared file: the list goes, the file comes.
    let found = diff(example("shop"), shipped);
    let added: Vec<&str> = found
        .changes()
        .iter()
        .filter(|c| c.kind == ChangeKind::Added)
        .map(|c| c.clause.as_str())
        .collect();
    assert_eq!(added, ["calendars.cn-2026"]);
    assert_eq!(
        found
            .changes()
            .iter()
            .filter(|c| c.kind == ChangeKind::Removed)
            .count(),
        13
    );
}

fn diff(old: &str, new: &str) -> PolicyDiff {
    match PolicyDiff::from_texts("old.toml", old, "new.toml", new) {
        Ok(diff) => diff,
        Err(error) => panic!("{error}"),
    }
}

/// A small policy with a fund that no section refers to, so that funds and
/// sections can be added and removed freely.
const MINI: &str = "[policy]\nid = \"mini\"\nname = \"Mini\"\nformat = 1\ncurrency = \"CNY\"\n\
time_zone = \"Asia/Shanghai\"\neffective = 2026-01-01\n\n[calendar]\nweek_starts = \"monday\"\n\
makeup_working_days = [2026-10-10]\n\n[funds.activity]\nlabel = \"活动基金\"\nsource = \"000 part 3 §12\"\n\n\
# ===== [shifts]: shifts, rosters and rest (S) =====\n";

/// A copy of `MINI` with one edit, checked to have happened.
fn mini_edited(from: &str, to: &str) -> String {
    assert!(MINI.contains(from), "{from}");
    MINI.replacen(from, to, 1)
}

/// A copy of a shipped policy with one edit, checked to have happened.
fn edited(name: &str, from: &str, to: &str) -> String {
    let text = example(name);
    assert!(text.contains(from), "{from}");
    text.replacen(from, to, 1)
}

#[test]
fn one_changed_holiday_is_reported_as_exactly_that_clause() {
    let new = edited(
        "education",
        "{ from = 2026-05-01, to = 2026-05-05, name = \"劳动节\" }",
        "{ from = 2026-05-01, to = 2026-05-06, name = \"劳动节\" }",
    );
    let found = diff(example("education"), &new);
    assert_eq!(
        found.changes(),
        [Change {
            kind: ChangeKind::Changed,
            clause: "calendar.holidays[3]".into(),
            moved_from: None,
            is_clause: true,
            old: Some("{ from = 2026-05-01, name = \"劳动节\", to = 2026-05-05 }".into()),
            new: Some("{ from = 2026-05-01, name = \"劳动节\", to = 2026-05-06 }".into()),
            values: vec![ValueChange {
                path: "to".into(),
                old: Some("2026-05-05".into()),
                new: Some("2026-05-06".into()),
            }],
        }]
    );
    // Reported at the holiday, not also at the calendar that holds it.
    assert_eq!(
        found.to_string(),
        "~ calendar.holidays[3]: to 2026-05-05 → 2026-05-06\n"
    );
}

#[test]
fn identical_policies_report_nothing() {
    for (name, text) in EXAMPLES {
        assert!(diff(text, text).is_empty(), "{name}");
    }
}

#[test]
fn formatting_comments_and_key_order_are_not_changes() {
    let old = example("shop");
    let new = old
        .replace("# 调休:", "# 调休 (make-up days):")
        .replace(
            "decimals = 2\nmode = \"half_away_from_zero\"",
            "mode = 'half_away_from_zero'\ndecimals   =   2",
        )
        .replace(
            "makeup_working_days = [2026-01-04, ",
            "makeup_working_days = [\n  2026-01-04,\n  ",
        );
    assert_ne!(new, old);
    assert!(diff(old, &new).is_empty(), "{}", diff(old, &new));
}

#[test]
fn an_added_and_a_removed_clause_are_reported_with_their_values() {
    let old = MINI;
    let new = mini_edited(
        "[funds.activity]\nlabel = \"活动基金\"\nsource = \"000 part 3 §12\"\n",
        "[funds.bonus]\nlabel = \"奖金\"\n",
    );
    assert_eq!(
        diff(old, &new).to_string(),
        "+ funds.bonus: { label = \"奖金\" }\n\
         - funds.activity: { label = \"活动基金\", source = \"000 part 3 §12\" }\n"
    );
    let more = mini_edited("2026-10-10]", "2026-10-10, 2026-12-26]");
    let found = diff(old, &more);
    assert_eq!(
        found.to_string(),
        "+ calendar.makeup_working_days[1]: 2026-12-26\n"
    );
    let back = diff(&more, old);
    assert_eq!(back.changes()[0].kind, ChangeKind::Removed);
    assert_eq!(back.changes()[0].old.as_deref(), Some("2026-12-26"));
}

#[test]
fn a_changed_parent_clause_lists_only_its_own_values() {
    let new = edited(
        "shop",
        "week_starts = \"monday\"",
        "week_starts = \"sunday\"",
    );
    let found = diff(example("shop"), &new);
    let [change] = found.changes() else {
        panic!("{found}");
    };
    assert_eq!(change.clause, "calendar");
    // The calendar holds the holiday clauses: not repeated whole.
    assert_eq!((change.old.as_deref(), change.new.as_deref()), (None, None));
    assert_eq!(
        found.to_string(),
        "~ calendar: week_starts \"monday\" → \"sunday\"\n"
    );
    let renamed = edited(
        "shop",
        "name = \"网店客服工作制度 (shop customer service)\"",
        "name = \"网店客服\"",
    );
    assert_eq!(
        diff(example("shop"), &renamed).to_string(),
        "~ policy: name \"网店客服工作制度 (shop customer service)\" → \"网店客服\"\n"
    );
}

#[test]
fn a_new_section_is_one_added_clause() {
    let new = mini_edited(
        "# ===== [shifts]: shifts, rosters and rest (S) =====\n",
        "# ===== [shifts]: shifts, rosters and rest (S) =====\n[shifts]\nlabel = \"排班\"\n",
    );
    assert_eq!(
        diff(MINI, &new).to_string(),
        "+ shifts: { label = \"排班\" }\n"
    );
}

#[test]
fn a_change_outside_every_clause_is_reported_at_its_path() {
    // Texts that are not the loaded policies' own, to reach a key no clause holds.
    let text = example("shop");
    let policy = Policy::from_toml_str("shop.toml", text).unwrap_or_else(|e| panic!("{e}"));
    let old = format!("{text}\n[notes]\nreviewed = 2026-01-05\nby = \"HR\"\n");
    let new = old.replace("by = \"HR\"", "by = \"客服部\"");
    let found = PolicyDiff::between(&policy, &old, &policy, &new).unwrap_or_default();
    let [change] = found.changes() else {
        panic!("{found}");
    };
    assert!(!change.is_clause);
    assert_eq!(found.to_string(), "~ notes.by: \"HR\" → \"客服部\"\n");
}

#[test]
fn an_invalid_new_policy_is_reported_with_its_problems() {
    let bad = edited("shop", "week_starts = \"monday\"", "week_starts = \"mon\"").replacen(
        "[funds.activity]\nlabel",
        "[funds.activity]\nlabl",
        1,
    );
    let Err(DiffError::Invalid {
        old,
        new: Some(error),
    }) = PolicyDiff::from_texts("old.toml", example("shop"), "new.toml", &bad)
    else {
        panic!("the new policy should be invalid");
    };
    assert!(old.is_none());
    let problems: Vec<_> = error
        .problems()
        .map(|p| {
            p.diagnostics()
                .iter()
                .map(|d| (d.code, d.line, d.field.clone()))
                .collect()
        })
        .unwrap_or_default();
    let line_of = |needle: &str| {
        bad.lines()
            .position(|l| l.starts_with(needle))
            .map_or(0, |i| i + 1)
    };
    let (weekday, fund) = (line_of("week_starts = \"mon\""), line_of("labl ="));
    assert_eq!(
        problems,
        [
            (
                ProblemCode::InvalidValue,
                weekday,
                "calendar.week_starts".to_owned()
            ),
            (
                ProblemCode::UnknownKey,
                fund,
                "funds.activity.labl".to_owned()
            ),
        ]
    );
    let message = DiffError::Invalid {
        old: None,
        new: Some(error),
    }
    .to_string();
    let first = format!("the new policy has 2 problem(s):\nnew.toml:{weekday}:");
    assert!(message.starts_with(&first), "{message}");
}

#[cfg(feature = "cli")]
mod cli {
    use super::common::{TempFile, cs_policy};
    use super::{edited, example};

    #[test]
    fn diff_of_identical_policies_exits_0_and_prints_nothing() {
        let out = cs_policy(&["diff", "policies/shop.toml", "policies/shop.toml"]);
        assert_eq!(out.status.code(), Some(0));
        assert!(out.stdout.is_empty());
    }

    #[test]
    fn diff_prints_one_line_per_clause_and_exits_1() {
        let new = TempFile::new(
            "holiday.toml",
            &edited("shop", "name = \"国庆节\"", "name = \"国庆\""),
        );
        let old = TempFile::new("own-list.toml", example("shop"));
        let out = cs_policy(&["diff", old.arg(), new.arg()]);
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            "~ calendar.holidays[6]: name \"国庆节\" → \"国庆\"\n"
        );
        let out = cs_policy(&["diff", "--format", "json", old.arg(), new.arg()]);
        assert_eq!(out.status.code(), Some(1));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        let change = &json["changes"][0];
        assert_eq!(change["kind"], "changed");
        assert_eq!(change["clause"], "calendar.holidays[6]");
        assert_eq!(change["values"][0]["path"], "name");
        assert_eq!(change["values"][0]["old"], "\"国庆节\"");
        assert_eq!(change["values"][0]["new"], "\"国庆\"");
        assert_eq!(json["changes"].as_array().map(Vec::len), Some(1));
    }

    #[test]
    fn diff_with_an_invalid_policy_prints_its_problems_and_exits_2() {
        let bad = TempFile::new(
            "bad.toml",
            &edited("shop", "week_starts = \"monday\"", "week_starts = \"mon\""),
        );
        let out = cs_policy(&["diff", "policies/shop.toml", bad.arg()]);
        assert_eq!(out.status.code(), Some(2));
        assert!(out.stdout.is_empty());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(":15: error[invalid-value]: `mon` is not a weekday"),
            "{stderr}"
        );
        let out = cs_policy(&["diff", "policies/shop.toml", "policies/no-such.toml"]);
        assert_eq!(out.status.code(), Some(2));
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("cannot read `policies/no-such.toml`")
        );
        assert!(example("shop").contains("[calendar]"));
    }

    #[test]
    fn schema_prints_the_committed_schema() {
        let out = cs_policy(&["schema"]);
        assert_eq!(out.status.code(), Some(0));
        let committed = std::fs::read("schema/cs-policy.schema.json").unwrap_or_default();
        assert!(
            out.stdout == committed,
            "regenerate: cargo run --features cli -- schema > schema/cs-policy.schema.json"
        );
    }
}

#[test]
fn an_inserted_holiday_is_one_added_clause_and_shifts_nothing() {
    let old = example("shop");
    let new = edited(
        "shop",
        "  { from = 2026-02-15,",
        "  { date = 2026-02-02, name = \"公司年会\" },\n  { from = 2026-02-15,",
    );
    let found = diff(old, &new);
    assert_eq!(
        found.to_string(),
        "+ calendar.holidays[1]: { date = 2026-02-02, name = \"公司年会\" }\n"
    );
    // A later holiday changed too: cited by its new index, with its old one.
    let both = new.replacen("name = \"国庆节\"", "name = \"国庆\"", 1);
    let found = diff(old, &both);
    assert_eq!(
        found.to_string(),
        "+ calendar.holidays[1]: { date = 2026-02-02, name = \"公司年会\" }\n\
         ~ calendar.holidays[7] (was calendar.holidays[6]): name \"国庆节\" → \"国庆\"\n"
    );
    assert_eq!(
        found.changes()[1].moved_from.as_deref(),
        Some("calendar.holidays[6]")
    );
    // And back: the holiday is removed under its old id.
    assert_eq!(
        diff(&new, old).to_string(),
        "- calendar.holidays[1]: { date = 2026-02-02, name = \"公司年会\" }\n"
    );
}

#[test]
fn a_removed_section_lists_its_clauses_once() {
    let old = format!("{MINI}\n[funds.bonus]\nlabel = \"奖金\"\n");
    let new = mini_edited(
        "[funds.activity]\nlabel = \"活动基金\"\nsource = \"000 part 3 §12\"\n",
        "",
    );
    assert_eq!(
        diff(&old, &new).to_string(),
        "- funds.activity: { label = \"活动基金\", source = \"000 part 3 §12\" }\n\
         - funds.bonus: { label = \"奖金\" }\n"
    );
}

mod properties {
    use proptest::prelude::*;

    use super::{diff, example};

    const HOLIDAYS: [&str; 7] = [
        "元旦",
        "春节",
        "清明节",
        "劳动节",
        "端午节",
        "中秋节",
        "国庆节",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Renaming any set of holidays reports exactly those holidays, each
        /// once, and the reverse diff reports the same clauses swapped.
        #[test]
        fn renamed_holidays_are_exactly_the_changed_clauses(
            renamed in proptest::collection::btree_set(0usize..7, 0..=7),
            suffix in "[a-z]{1,4}",
        ) {
            let old = example("education");
            let mut new = old.to_owned();
            for i in &renamed {
                let from = format!("name = \"{}\"", HOLIDAYS[*i]);
                let to = format!("name = \"{}{suffix}\"", HOLIDAYS[*i]);
                new = new.replacen(&from, &to, 1);
            }
            let forward = diff(old, &new);
            let clauses: Vec<&str> = forward.changes().iter().map(|c| c.clause.as_str()).collect();
            let expected: Vec<String> = renamed.iter().map(|i| format!("calendar.holidays[{i}]")).collect();
            prop_assert_eq!(clauses, expected.iter().map(String::as_str).collect::<Vec<_>>());
            let backward = diff(&new, old);
            prop_assert_eq!(backward.changes().len(), forward.changes().len());
            for (f, b) in forward.changes().iter().zip(backward.changes()) {
                prop_assert_eq!(&f.clause, &b.clause);
                prop_assert_eq!(&f.old, &b.new);
                prop_assert_eq!(&f.new, &b.old);
                prop_assert_eq!(f.values.len(), 1);
                prop_assert_eq!(f.values[0].path.as_str(), "name");
            }
        }
    }
}

#[test]
fn a_removed_clause_and_a_changed_one_moved_to_its_index_are_two_changes() {
    let old = example("shop");
    let new = edited(
        "shop",
        "  { from = 2026-04-04, to = 2026-04-06, name = \"清明节\" },\n",
        "",
    )
    .replacen("name = \"劳动节\"", "name = \"五一\"", 1);
    assert_eq!(
        diff(old, &new).to_string(),
        "- calendar.holidays[2]: { from = 2026-04-04, name = \"清明节\", to = 2026-04-06 }\n\
         ~ calendar.holidays[2] (was calendar.holidays[3]): name \"劳动节\" → \"五一\"\n"
    );
}

#[test]
fn one_fine_changed_from_100_to_120_is_exactly_that_ladder_step() {
    // Issue 8's check: F1's second complaint raised from 100 to 120.
    let new = edited(
        "shop",
        "{ amount = 100, label = \"第二次\" }",
        "{ amount = 120, label = \"第二次\" }",
    );
    assert_eq!(
        diff(example("shop"), &new).to_string(),
        "~ discipline.ladders.complaint.steps[1]: amount 100 → 120\n"
    );
}
