//! Invalid `[leave]` sections: every problem reported with its code, line and
//! field (L1–L11 and the gaps of RULES.md L).

use cs_policy::{Policy, ProblemCode};

const HEAD: &str = r#"[policy]
id = "demo"
name = "Demo"
format = 1
currency = "CNY"
time_zone = "Asia/Shanghai"
effective = 2026-01-01

"#;

/// Every problem of the file as (code, line, field).
fn problems(leave: &str) -> Vec<(ProblemCode, usize, String)> {
    let text = format!("{HEAD}{leave}");
    match Policy::from_toml_str("demo.toml", &text) {
        Ok(_) => Vec::new(),
        Err(p) => p
            .diagnostics()
            .iter()
            .map(|d| (d.code, d.line, d.field.clone()))
            .collect(),
    }
}

/// The 1-based line of the first line containing `needle`, counted in the
/// whole file.
fn line(leave: &str, needle: &str) -> usize {
    let text = format!("{HEAD}{leave}");
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("`{needle}` not in the snippet"))
}

fn help(leave: &str) -> Vec<Option<String>> {
    let text = format!("{HEAD}{leave}");
    Policy::from_toml_str("demo.toml", &text)
        .unwrap_err()
        .diagnostics()
        .iter()
        .map(|d| d.help.clone())
        .collect()
}

const VALID: &str = r#"[leave]
overlapping_requests = "count_once"

[[leave.notice]]
min_days = 1
notice_days = 0
approver = "department_head"
form = true

[leave.types.personal]
pay = "unpaid"
count = "working_days"
on_roster = "rostered_days"
"#;

#[test]
fn a_valid_section_loads() {
    assert_eq!(problems(VALID), []);
}

#[test]
fn gap_days_counting_must_be_stated() {
    // RULES.md L gap: calendar or working days, rest days inside or not.
    let leave =
        "[leave]\noverlapping_requests = \"count_once\"\n\n[leave.types.sick]\npay = \"unpaid\"\n";
    assert_eq!(
        problems(leave),
        [(
            ProblemCode::UnstatedChoice,
            line(leave, "[leave.types.sick]"),
            "leave.types.sick.count".to_owned()
        )]
    );
    assert_eq!(
        help(leave)[0].as_deref(),
        Some(
            "state which days inside a leave count (rest days, holidays): `count = \"calendar_days\"` or `count = \"working_days\"` or `count = \"calendar_days_except_holidays\"`"
        )
    );
}

#[test]
fn gap_overlapping_requests_and_pay_must_be_stated() {
    let leave =
        "[leave]\n\n[leave.types.sick]\ncount = \"working_days\"\non_roster = \"rostered_days\"\n";
    assert_eq!(
        problems(leave),
        [
            (
                ProblemCode::UnstatedChoice,
                line(leave, "[leave]"),
                "leave.overlapping_requests".to_owned()
            ),
            (
                ProblemCode::UnstatedChoice,
                line(leave, "[leave.types.sick]"),
                "leave.types.sick.pay".to_owned()
            ),
        ]
    );
}

#[test]
fn l6_l8_ages_must_be_stated_when_an_entitlement_needs_them() {
    let leave = r#"[leave]
overlapping_requests = "count_once"

[leave.types.personal]
pay = "unpaid"
count = "working_days"
on_roster = "rostered_days"

[leave.types.marriage]
pay = "paid"
count = "calendar_days"
excess = "personal"
entitlement = { kind = "marriage", days = 3, late_extra_days = 7, late_man_age = 25, late_woman_age = 23, remarriage_days = 3 }
"#;
    assert_eq!(
        problems(leave),
        [(
            ProblemCode::UnstatedChoice,
            line(leave, "entitlement ="),
            "leave.types.marriage.entitlement.kind".to_owned()
        )]
    );
    // And the age table's own choices are gaps too.
    let with_ages = leave.replace(
        "[leave.types.personal]",
        "[leave.ages]\nreached = \"on_anniversary\"\n\n[leave.types.personal]",
    );
    assert_eq!(
        problems(&with_ages),
        [(
            ProblemCode::UnstatedChoice,
            line(&with_ages, "[leave.ages]"),
            "leave.ages.leap_day".to_owned()
        )]
    );
}

#[test]
fn l3_notice_steps_must_rise_and_start_at_one_day() {
    let leave = r#"[leave]
overlapping_requests = "count_once"

[[leave.notice]]
min_days = 2
notice_days = 3

[[leave.notice]]
min_days = 7
notice_days = 7

[[leave.notice]]
min_days = 7
notice_days = 10

[[leave.notice]]
min_days = 5
notice_days = 5
"#;
    let at = |n: usize| {
        let text = format!("{HEAD}{leave}");
        text.lines()
            .enumerate()
            .filter(|(_, l)| l.starts_with("min_days"))
            .nth(n)
            .map(|(i, _)| i + 1)
            .unwrap()
    };
    assert_eq!(
        problems(leave),
        [
            (
                ProblemCode::Gap,
                at(0),
                "leave.notice[0].min_days".to_owned()
            ),
            (
                ProblemCode::Duplicate,
                at(2),
                "leave.notice[2].min_days".to_owned()
            ),
            (
                ProblemCode::OutOfOrder,
                at(3),
                "leave.notice[3].min_days".to_owned()
            ),
        ]
    );
}

#[test]
fn l3_a_notice_step_needs_its_threshold() {
    // The threshold of "long leave" is the policy's to state.
    let leave =
        "[leave]\noverlapping_requests = \"count_once\"\n\n[[leave.notice]]\nnotice_days = 7\n";
    assert_eq!(
        problems(leave),
        [(
            ProblemCode::MissingKey,
            line(leave, "[[leave.notice]]"),
            "leave.notice[0].min_days".to_owned()
        )]
    );
}

#[test]
fn excess_must_name_a_defined_open_type_or_absence() {
    let leave = r#"[leave]
overlapping_requests = "count_once"

[leave.types.personal]
pay = "unpaid"
count = "working_days"
on_roster = "rostered_days"

[leave.types.bereavement]
pay = "paid"
count = "calendar_days"
excess = "persnal"
entitlement = { kind = "fixed", days = 3 }

[leave.types.marriage]
pay = "paid"
count = "calendar_days"
excess = "bereavement"
entitlement = { kind = "fixed", days = 3 }

[leave.types.maternity]
pay = "paid"
count = "calendar_days"
entitlement = { kind = "fixed", days = 90 }
"#;
    assert_eq!(
        problems(leave),
        [
            (
                ProblemCode::UndefinedReference,
                line(leave, "excess = \"persnal\""),
                "leave.types.bereavement.excess".to_owned()
            ),
            (
                ProblemCode::Conflict,
                line(leave, "excess = \"bereavement\""),
                "leave.types.marriage.excess".to_owned()
            ),
            (
                ProblemCode::UnstatedChoice,
                line(leave, "[leave.types.maternity]"),
                "leave.types.maternity.excess".to_owned()
            ),
        ]
    );
    assert_eq!(help(leave)[0].as_deref(), Some("did you mean `personal`?"));
}

#[test]
fn l5_a_capped_type_needs_the_year_cap() {
    let leave = format!("{VALID}year_cap = true\n");
    assert_eq!(
        problems(&leave),
        [(
            ProblemCode::MissingKey,
            line(&leave, "year_cap = true"),
            "leave.types.personal.year_cap".to_owned()
        )]
    );
}

#[test]
fn l10_statutory_pay_and_entitlement_go_together() {
    let leave = r#"[leave]
overlapping_requests = "count_once"

[leave.types.work_injury]
pay = "statutory"
count = "calendar_days"

[leave.types.injury2]
pay = "paid"
count = "calendar_days"
entitlement = { kind = "statutory" }
"#;
    assert_eq!(
        problems(leave),
        [
            (
                ProblemCode::Conflict,
                line(leave, "[leave.types.work_injury]"),
                "leave.types.work_injury.pay".to_owned()
            ),
            (
                ProblemCode::Conflict,
                line(leave, "entitlement = { kind = \"statutory\" }"),
                "leave.types.injury2.entitlement.kind".to_owned()
            ),
        ]
    );
}

#[test]
fn typos_and_unknown_words_are_reported_together() {
    let leave = r#"[leave]
overlapping_requests = "count_once"

[leave.types.sick]
pay = "unpaid"
count = "working_days"
on_roster = "rostered_days"
documnets = ["hospital_certificate"]
approver = "boss"

[leave.types.bereavement]
pay = "paid"
count = "calendar_dayz"
excess = "absence"
entitlement = { kind = "fixed", days = 3, relations = ["parent", "grandma"] }
"#;
    assert_eq!(
        problems(leave),
        [
            (
                ProblemCode::UnknownKey,
                line(leave, "documnets"),
                "leave.types.sick.documnets".to_owned()
            ),
            (
                ProblemCode::InvalidValue,
                line(leave, "\"boss\""),
                "leave.types.sick.approver".to_owned()
            ),
            (
                ProblemCode::InvalidValue,
                line(leave, "calendar_dayz"),
                "leave.types.bereavement.count".to_owned()
            ),
            (
                ProblemCode::InvalidValue,
                line(leave, "grandma"),
                "leave.types.bereavement.entitlement.relations[1]".to_owned()
            ),
        ]
    );
    let helps = help(leave);
    assert_eq!(helps[0].as_deref(), Some("did you mean `documents`?"));
    assert_eq!(helps[2].as_deref(), Some("did you mean `calendar_days`?"));
}

#[test]
fn every_shipped_leave_section_cites_its_source() {
    for name in ["education", "shop"] {
        let policy = Policy::example(name).unwrap();
        let leave: Vec<_> = policy
            .clauses()
            .iter()
            .filter(|c| c.id().starts_with("leave"))
            .collect();
        assert!(!leave.is_empty());
        for clause in leave {
            assert!(
                clause.source().is_some(),
                "{name}: {} has no source",
                clause.id()
            );
        }
    }
}

#[test]
fn rendered_problems_of_a_broken_leave_section() {
    // L3 threshold missing, L6 excess typo, a gap left open, an unknown word.
    let leave = r#"[leave]
overlapping_requests = "count_once"

[[leave.notice]]
notice_days = 7

[leave.types.personal]
pay = "unpaid"
count = "working_days"
on_roster = "rostered_days"

[leave.types.marriage]
pay = "paid"
excess = "persnal"
documents = ["marriage_certificat"]
entitlement = { kind = "fixed", days = 3 }
"#;
    let text = format!("{HEAD}{leave}");
    let problems = Policy::from_toml_str("leave.toml", &text).unwrap_err();
    insta::assert_snapshot!(problems.render());
}
