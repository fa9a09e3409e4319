//! Invalid `[attendance]` sections: each gap RULES.md lists for A1–A10 must
//! be stated, and every problem is reported with its code, line and field.

use cs_policy::{Policy, ProblemCode};

const HEAD: &str = r#"[policy]
id = "demo"
name = "Demo"
format = 1
currency = "CNY"
time_zone = "Asia/Shanghai"
effective = 2026-01-01

[funds.reward]
label = "奖励基金"
"#;

fn problems(body: &str) -> Vec<(ProblemCode, usize, String)> {
    let text = format!("{HEAD}{body}");
    let head_lines = HEAD.lines().count();
    match Policy::from_toml_str("demo.toml", &text) {
        Ok(_) => Vec::new(),
        Err(p) => p
            .diagnostics()
            .iter()
            .map(|d| (d.code, d.line - head_lines, d.field.clone()))
            .collect(),
    }
}

fn p(code: ProblemCode, line: usize, field: &str) -> (ProblemCode, usize, String) {
    (code, line, field.to_owned())
}

#[test]
fn missing_punch_rule_must_be_stated() {
    let body = "\n[attendance]\nsource = \"001\"\n";
    assert_eq!(
        problems(body),
        [p(
            ProblemCode::UnstatedChoice,
            2,
            "attendance.missing_punch"
        )]
    );
}

#[test]
fn a1_a2_limit_without_saying_whether_the_limit_itself_is_late() {
    let body = r#"
[attendance]
missing_punch = "absent"

[attendance.late]
limit_minutes = 30

[attendance.early_leave]
limit_minutes = 30
at_limit = "lat"
"#;
    assert_eq!(
        problems(body),
        [
            p(ProblemCode::UnstatedChoice, 5, "attendance.late.at_limit"),
            p(
                ProblemCode::InvalidValue,
                10,
                "attendance.early_leave.at_limit"
            ),
        ]
    );
}

#[test]
fn a3_streak_must_state_consecutive_and_conversion() {
    let body = r#"
[attendance]
missing_punch = "absent"

[attendance.streak]
count = 3
"#;
    assert_eq!(
        problems(body),
        [
            p(
                ProblemCode::UnstatedChoice,
                5,
                "attendance.streak.consecutive"
            ),
            p(
                ProblemCode::UnstatedChoice,
                5,
                "attendance.streak.converted"
            ),
        ]
    );
}

#[test]
fn a4_deductions_written_as_floats_are_rejected() {
    let body = r#"
[attendance]
missing_punch = "absent"

[attendance.deductions]
late = 20.0
early_leave = "20"
absent = "-50"
"#;
    assert_eq!(
        problems(body),
        [
            p(ProblemCode::FloatMoney, 6, "attendance.deductions.late"),
            p(ProblemCode::OutOfRange, 8, "attendance.deductions.absent"),
        ]
    );
}

#[test]
fn a5_pay_base_must_be_stated_and_the_review_comes_later() {
    let body = r#"
[attendance]
missing_punch = "absent"

[attendance.absence_streak]
days = 3
percent_of_pay = 50
review_at = 2
"#;
    assert_eq!(
        problems(body),
        [
            p(
                ProblemCode::UnstatedChoice,
                5,
                "attendance.absence_streak.pay_base"
            ),
            // A5: whether the share replaces the run's 50-yuan deductions.
            p(
                ProblemCode::UnstatedChoice,
                5,
                "attendance.absence_streak.converted"
            ),
            p(
                ProblemCode::OutOfOrder,
                8,
                "attendance.absence_streak.review_at"
            ),
        ]
    );
}

#[test]
fn a5_percent_above_one_hundred() {
    let body = r#"
[attendance]
missing_punch = "absent"

[attendance.absence_streak]
days = 3
percent_of_pay = 150
pay_base = "gross"
converted = "adds"
"#;
    assert_eq!(
        problems(body),
        [p(
            ProblemCode::OutOfRange,
            7,
            "attendance.absence_streak.percent_of_pay"
        )]
    );
}

#[test]
fn a6_full_attendance_must_say_whether_leave_breaks_it() {
    let body = r#"
[attendance]
missing_punch = "absent"

[attendance.full_attendance]
bonus = "100"
"#;
    assert_eq!(
        problems(body),
        [p(
            ProblemCode::UnstatedChoice,
            5,
            "attendance.full_attendance.leave_breaks_it"
        )]
    );
}

#[test]
fn a7_unapproved_leave_counts_only_as_absence() {
    let body = r#"
[attendance]
missing_punch = "absent"

[attendance.unapproved_leave]
counts_as = "leave"
"#;
    assert_eq!(
        problems(body),
        [p(
            ProblemCode::InvalidValue,
            6,
            "attendance.unapproved_leave.counts_as"
        )]
    );
}

#[test]
fn a8_fund_must_be_defined() {
    let body = r#"
[attendance]
missing_punch = "absent"

[attendance.fund]
fund = "rewards"
"#;
    assert_eq!(
        problems(body),
        [p(
            ProblemCode::UndefinedReference,
            6,
            "attendance.fund.fund"
        )]
    );
}

/// A9 is a scorecard item now: `[attendance.kpi]` is an unknown table.
#[test]
fn a9_kpi_item_is_not_an_attendance_table() {
    let body = r#"
[attendance]
missing_punch = "recorded"

[attendance.kpi]
full_points = 20
"#;
    let found = problems(body);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, ProblemCode::UnknownKey);
}

#[test]
fn a10_assessment_needs_its_days_per_month() {
    let body = r#"
[attendance]
missing_punch = "recorded"

[attendance.assessment]
max_months_away = 2
"#;
    assert_eq!(
        problems(body),
        [p(
            ProblemCode::MissingKey,
            5,
            "attendance.assessment.days_per_month"
        )]
    );
}

#[test]
fn the_example_policies_state_every_gap_they_need() {
    for name in ["shop", "education", "call-centre"] {
        let policy = Policy::example(name).unwrap();
        assert!(policy.attendance().is_some(), "{name}");
        assert!(policy.shifts().is_some(), "{name}");
    }
}
