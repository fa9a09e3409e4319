//! Invalid `[shifts]` sections: every problem reported with its code, line and field.

use cs_policy::{Policy, ProblemCode};

const HEAD: &str = r#"[policy]
id = "demo"
name = "Demo"
format = 1
currency = "CNY"
time_zone = "Asia/Shanghai"
effective = 2026-01-01
"#;

/// Loads `HEAD` + `body` and returns every problem as (code, line within
/// `body`, field).
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

fn one(code: ProblemCode, line: usize, field: &str) -> Vec<(ProblemCode, usize, String)> {
    vec![(code, line, field.to_owned())]
}

#[test]
fn s1_night_shift_without_crosses_midnight_is_out_of_order() {
    let body = r#"
[shifts.types.night]
start = 17:30
end = 01:00
"#;
    assert_eq!(
        problems(body),
        one(ProblemCode::OutOfOrder, 4, "shifts.types.night.end")
    );
}

#[test]
fn s1_crosses_midnight_but_ends_after_it_starts_is_a_conflict() {
    let body = r#"
[shifts.types.day]
start = 08:30
end = 17:30
crosses_midnight = true
"#;
    assert_eq!(
        problems(body),
        one(ProblemCode::Conflict, 4, "shifts.types.day.end")
    );
}

#[test]
fn s3_handover_must_state_who_counts_the_overlap() {
    let body = r#"
[shifts.types.day]
start = 08:30
end = 17:30

[shifts.types.day.handover]
minutes = 30
to = "night"

[shifts.types.night]
start = 17:00
end = 00:00
crosses_midnight = true
"#;
    assert_eq!(
        problems(body),
        one(
            ProblemCode::UnstatedChoice,
            6,
            "shifts.types.day.handover.overlap_counts_for"
        )
    );
}

#[test]
fn s3_handover_to_a_shift_that_does_not_start_in_the_overlap_is_a_conflict() {
    let body = r#"
[shifts.types.day]
start = 08:30
end = 17:30
handover = { minutes = 30, to = "night", overlap_counts_for = "both" }

[shifts.types.night]
start = 17:30
end = 01:00
crosses_midnight = true
"#;
    assert_eq!(
        problems(body),
        one(ProblemCode::Conflict, 5, "shifts.types.day.handover.to")
    );
}

#[test]
fn s10_rest_rule_naming_an_undefined_shift_and_a_typo_are_both_reported() {
    let body = r#"
[shifts.types.day]
start = 08:30
end = 17:30

[[shifts.rest]]
rule = "days_per_mnth"
days = 4
applies_to = ["dya"]
"#;
    assert_eq!(
        problems(body),
        vec![
            (
                ProblemCode::InvalidValue,
                7,
                "shifts.rest[0].rule".to_owned()
            ),
            (
                ProblemCode::UndefinedReference,
                9,
                "shifts.rest[0].applies_to[0]".to_owned()
            ),
        ]
    );
}

#[test]
fn s1_rest_days_out_of_range() {
    let body = r#"
[[shifts.rest]]
rule = "days_per_week"
days = 7
"#;
    assert_eq!(
        problems(body),
        one(ProblemCode::OutOfRange, 4, "shifts.rest[0].days")
    );
}

#[test]
fn s6_staffing_window_ending_before_it_starts() {
    let body = r#"
[[shifts.staffing]]
kind = "window"
from = 13:30
to = 11:30
min = 2
mni = 3
"#;
    assert_eq!(
        problems(body),
        vec![
            (
                ProblemCode::OutOfOrder,
                5,
                "shifts.staffing[0].to".to_owned()
            ),
            (
                ProblemCode::UnknownKey,
                7,
                "shifts.staffing[0].mni".to_owned()
            ),
        ]
    );
}

#[test]
fn s7_weekday_given_twice_and_unknown_holiday_rule() {
    let body = r#"
[shifts]
holidays = "worked"

[shifts.types.regular]
start = 09:00
end = 20:00
hours = [
  { days = ["saturday", "sunday"], start = 10:00, end = 20:00 },
  { days = ["sunday"], start = 11:00, end = 20:00 },
]
"#;
    assert_eq!(
        problems(body),
        vec![
            (ProblemCode::InvalidValue, 3, "shifts.holidays".to_owned()),
            (
                ProblemCode::Duplicate,
                10,
                "shifts.types.regular.hours[1].days[0]".to_owned()
            ),
        ]
    );
}

#[test]
fn s8_break_outside_the_shift() {
    let body = r#"
[shifts.types.office]
start = 09:00
end = 18:00
breaks = [{ start = 18:30, end = 19:30 }]
"#;
    assert_eq!(
        problems(body),
        one(ProblemCode::OutOfRange, 5, "shifts.types.office.breaks[0]")
    );
}

#[test]
fn s9_meeting_with_both_a_time_and_a_when() {
    let body = r#"
[shifts.meetings.weekly]
weekday = "monday"
at = 08:00
when = "before_leaving"

[shifts.meetings.report]
weekday = "sunday"
"#;
    assert_eq!(
        problems(body),
        vec![
            (
                ProblemCode::Conflict,
                5,
                "shifts.meetings.weekly.when".to_owned()
            ),
            (
                ProblemCode::MissingKey,
                7,
                "shifts.meetings.report.at".to_owned()
            ),
        ]
    );
}

#[test]
fn s5_early_arrival_range_out_of_order() {
    let body = r#"
[shifts.types.day]
start = 08:00
end = 17:00
arrive_early = { min_minutes = 15, max_minutes = 10 }
"#;
    assert_eq!(
        problems(body),
        one(
            ProblemCode::OutOfOrder,
            5,
            "shifts.types.day.arrive_early.max_minutes"
        )
    );
}

#[test]
fn s1_a_shift_ending_when_it_starts_is_one_problem_not_an_undefined_shift() {
    // The rest rule names the broken shift: it is defined, only unreadable,
    // so the one problem is the shift's own.
    let body = r#"
[shifts.types.day]
start = 08:30
end = 08:30

[[shifts.rest]]
rule = "days_per_week"
days = 1
applies_to = ["day"]
"#;
    assert_eq!(
        problems(body),
        one(ProblemCode::OutOfOrder, 4, "shifts.types.day.end")
    );
    let text = format!("{HEAD}{body}");
    let err = Policy::from_toml_str("demo.toml", &text).unwrap_err();
    assert_eq!(
        err.diagnostics()[0].message,
        "`shifts.types.day` ends at 08:30 when it starts: a shift of no time"
    );
}

#[test]
fn s1_a_full_day_shift_ends_when_it_starts_on_the_next_day() {
    let body = r#"
[shifts.types.day]
start = 08:30
end = 08:30
crosses_midnight = true
"#;
    assert_eq!(problems(body), vec![]);
}
