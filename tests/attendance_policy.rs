//! Invalid `[attendance]` sections: each gap RULES.md lists for A1–A10 must
//! be stated, and every problem is reported with its code, line and field.

mod common;

use common::{Invalid, Lines, assert_invalid, policy_table, problems_below};
use cs_policy::{Policy, ProblemCode};

const HEAD: &str = concat!(
    policy_table!("demo", "Demo"),
    "\n[funds.reward]\nlabel = \"奖励基金\"\n"
);

/// Invalid snippets, each with every problem as (code, line within the
/// snippet, field).
const INVALID: &[Invalid] = &[
    Invalid {
        case: "missing_punch_rule_must_be_stated",
        body: "\n[attendance]\nsource = \"001\"\n",
        problems: &[(ProblemCode::UnstatedChoice, 2, "attendance.missing_punch")],
    },
    Invalid {
        case: "a1_a2_limit_without_saying_whether_the_limit_itself_is_late",
        body: r#"
[attendance]
missing_punch = "absent"

[attendance.late]
limit_minutes = 30

[attendance.early_leave]
limit_minutes = 30
at_limit = "lat"
"#,
        problems: &[
            (ProblemCode::UnstatedChoice, 5, "attendance.late.at_limit"),
            (
                ProblemCode::InvalidValue,
                10,
                "attendance.early_leave.at_limit",
            ),
        ],
    },
    Invalid {
        case: "a3_streak_must_state_consecutive_and_conversion",
        body: r#"
[attendance]
missing_punch = "absent"

[attendance.streak]
count = 3
"#,
        problems: &[
            (
                ProblemCode::UnstatedChoice,
                5,
                "attendance.streak.consecutive",
            ),
            (
                ProblemCode::UnstatedChoice,
                5,
                "attendance.streak.converted",
            ),
        ],
    },
    Invalid {
        case: "a4_deductions_written_as_floats_are_rejected",
        body: r#"
[attendance]
missing_punch = "absent"

[attendance.deductions]
late = 20.0
early_leave = "20"
absent = "-50"
"#,
        problems: &[
            (ProblemCode::FloatMoney, 6, "attendance.deductions.late"),
            (ProblemCode::OutOfRange, 8, "attendance.deductions.absent"),
        ],
    },
    Invalid {
        case: "a5_pay_base_must_be_stated_and_the_review_comes_later",
        body: r#"
[attendance]
missing_punch = "absent"

[attendance.absence_streak]
days = 3
percent_of_pay = 50
review_at = 2
"#,
        problems: &[
            (
                ProblemCode::UnstatedChoice,
                5,
                "attendance.absence_streak.pay_base",
            ),
            // A5: whether the share replaces the run's 50-yuan deductions.
            (
                ProblemCode::UnstatedChoice,
                5,
                "attendance.absence_streak.converted",
            ),
            (
                ProblemCode::OutOfOrder,
                8,
                "attendance.absence_streak.review_at",
            ),
        ],
    },
    Invalid {
        case: "a5_percent_above_one_hundred",
        body: r#"
[attendance]
missing_punch = "absent"

[attendance.absence_streak]
days = 3
percent_of_pay = 150
pay_base = "gross"
converted = "adds"
"#,
        problems: &[(
            ProblemCode::OutOfRange,
            7,
            "attendance.absence_streak.percent_of_pay",
        )],
    },
    Invalid {
        case: "a6_full_attendance_must_say_whether_leave_breaks_it",
        body: r#"
[attendance]
missing_punch = "absent"

[attendance.full_attendance]
bonus = "100"
"#,
        problems: &[(
            ProblemCode::UnstatedChoice,
            5,
            "attendance.full_attendance.leave_breaks_it",
        )],
    },
    Invalid {
        case: "a7_unapproved_leave_counts_only_as_absence",
        body: r#"
[attendance]
missing_punch = "absent"

[attendance.unapproved_leave]
counts_as = "leave"
"#,
        problems: &[(
            ProblemCode::InvalidValue,
            6,
            "attendance.unapproved_leave.counts_as",
        )],
    },
    Invalid {
        case: "a8_fund_must_be_defined",
        body: r#"
[attendance]
missing_punch = "absent"

[attendance.fund]
fund = "rewards"
"#,
        problems: &[(ProblemCode::UndefinedReference, 6, "attendance.fund.fund")],
    },
    Invalid {
        case: "a10_assessment_needs_its_days_per_month",
        body: r#"
[attendance]
missing_punch = "recorded"

[attendance.assessment]
max_months_away = 2
"#,
        problems: &[(
            ProblemCode::MissingKey,
            5,
            "attendance.assessment.days_per_month",
        )],
    },
];

/// A1–A10: each gap left unstated, and each bad value, gives exactly its problems.
#[test]
fn a1_a10_each_invalid_snippet_reports_every_problem() {
    assert_invalid(HEAD, Lines::InBody, INVALID);
}

#[test]
fn a9_kpi_item_is_not_an_attendance_table() {
    let body = r#"
[attendance]
missing_punch = "recorded"

[attendance.kpi]
full_points = 20
"#;
    let found = problems_below(HEAD, body);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, ProblemCode::UnknownKey);
}

#[test]
fn the_example_policies_state_every_gap_they_need() {
    for name in ["shop", "education", "call-centre"] {
        let policy = Policy::example(name).unwrap();
        assert!(policy.attendance().is_some(), "{name}");
        assert!(policy.shifts().is_some(), "{name}");
    }
}
