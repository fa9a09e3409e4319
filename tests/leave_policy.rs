//! Invalid `[leave]` sections: every problem reported with its code, line and
//! field (L1–L11 and the gaps of RULES.md L).

mod common;

use common::{InvalidAt, assert_invalid_at, line_of, policy_table};
use cs_policy::{Policy, ProblemCode};

const HEAD: &str = concat!(policy_table!("demo", "Demo"), "\n");

/// Every problem of the file as (code, line, field).
fn problems(leave: &str) -> Vec<(ProblemCode, usize, String)> {
    common::problems(&format!("{HEAD}{leave}"))
}

/// The 1-based line of the first line containing `needle`, counted in the
/// whole file.
fn line(leave: &str, needle: &str) -> usize {
    line_of(&format!("{HEAD}{leave}"), needle)
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

/// Invalid `[leave]` snippets, each with every problem placed by a text on
/// its line, and the helps the case pins.
const INVALID: &[InvalidAt] = &[
    InvalidAt {
        // RULES.md L gap: calendar or working days, rest days inside or not.
        case: "gap_days_counting_must_be_stated",
        body: "[leave]\noverlapping_requests = \"count_once\"\n\n[leave.types.sick]\npay = \"unpaid\"\n",
        problems: &[(
            ProblemCode::UnstatedChoice,
            "[leave.types.sick]",
            "leave.types.sick.count",
        )],
        helps: &[(
            0,
            "state which days inside a leave count (rest days, holidays): `count = \"calendar_days\"` or `count = \"working_days\"` or `count = \"calendar_days_except_holidays\"`",
        )],
    },
    InvalidAt {
        case: "gap_overlapping_requests_and_pay_must_be_stated",
        body: "[leave]\n\n[leave.types.sick]\ncount = \"working_days\"\non_roster = \"rostered_days\"\n",
        problems: &[
            (
                ProblemCode::UnstatedChoice,
                "[leave]",
                "leave.overlapping_requests",
            ),
            (
                ProblemCode::UnstatedChoice,
                "[leave.types.sick]",
                "leave.types.sick.pay",
            ),
        ],
        helps: &[],
    },
    InvalidAt {
        // L3: the threshold of "long leave" is the policy's to state.
        case: "l3_a_notice_step_needs_its_threshold",
        body: "[leave]\noverlapping_requests = \"count_once\"\n\n[[leave.notice]]\nnotice_days = 7\n",
        problems: &[(
            ProblemCode::MissingKey,
            "[[leave.notice]]",
            "leave.notice[0].min_days",
        )],
        helps: &[],
    },
    InvalidAt {
        case: "excess_must_name_a_defined_open_type_or_absence",
        body: r#"[leave]
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
"#,
        problems: &[
            (
                ProblemCode::UndefinedReference,
                "excess = \"persnal\"",
                "leave.types.bereavement.excess",
            ),
            (
                ProblemCode::Conflict,
                "excess = \"bereavement\"",
                "leave.types.marriage.excess",
            ),
            (
                ProblemCode::UnstatedChoice,
                "[leave.types.maternity]",
                "leave.types.maternity.excess",
            ),
        ],
        helps: &[(0, "did you mean `personal`?")],
    },
    InvalidAt {
        case: "l10_statutory_pay_and_entitlement_go_together",
        body: r#"[leave]
overlapping_requests = "count_once"

[leave.types.work_injury]
pay = "statutory"
count = "calendar_days"

[leave.types.injury2]
pay = "paid"
count = "calendar_days"
entitlement = { kind = "statutory" }
"#,
        problems: &[
            (
                ProblemCode::Conflict,
                "[leave.types.work_injury]",
                "leave.types.work_injury.pay",
            ),
            (
                ProblemCode::Conflict,
                "entitlement = { kind = \"statutory\" }",
                "leave.types.injury2.entitlement.kind",
            ),
        ],
        helps: &[],
    },
    InvalidAt {
        case: "typos_and_unknown_words_are_reported_together",
        body: r#"[leave]
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
"#,
        problems: &[
            (
                ProblemCode::UnknownKey,
                "documnets",
                "leave.types.sick.documnets",
            ),
            (
                ProblemCode::InvalidValue,
                "\"boss\"",
                "leave.types.sick.approver",
            ),
            (
                ProblemCode::InvalidValue,
                "calendar_dayz",
                "leave.types.bereavement.count",
            ),
            (
                ProblemCode::InvalidValue,
                "grandma",
                "leave.types.bereavement.entitlement.relations[1]",
            ),
        ],
        helps: &[
            (0, "did you mean `documents`?"),
            (2, "did you mean `calendar_days`?"),
        ],
    },
];

/// L3, L10 and the gaps of RULES.md L: each invalid snippet gives exactly its
/// problems.
#[test]
fn l3_l10_each_invalid_snippet_reports_every_problem() {
    assert_invalid_at(HEAD, INVALID);
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
