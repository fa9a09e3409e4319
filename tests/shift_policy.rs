//! Invalid `[shifts]` sections: every problem reported with its code, line and field.

mod common;

use common::{Invalid, Lines, assert_invalid, policy_table, problems_below};
use cs_policy::{Policy, ProblemCode};

const HEAD: &str = policy_table!("demo", "Demo");

/// Loads `HEAD` + `body` and returns every problem as (code, line within
/// `body`, field).
fn problems(body: &str) -> Vec<(ProblemCode, usize, String)> {
    problems_below(HEAD, body)
}

fn one(code: ProblemCode, line: usize, field: &str) -> Vec<(ProblemCode, usize, String)> {
    vec![(code, line, field.to_owned())]
}

/// Invalid snippets, each with every problem as (code, line within the
/// snippet, field).
const INVALID: &[Invalid] = &[
    Invalid {
        case: "s1_night_shift_without_crosses_midnight_is_out_of_order",
        body: r#"
[shifts.types.night]
start = 17:30
end = 01:00
"#,
        problems: &[(ProblemCode::OutOfOrder, 4, "shifts.types.night.end")],
    },
    Invalid {
        case: "s1_crosses_midnight_but_ends_after_it_starts_is_a_conflict",
        body: r#"
[shifts.types.day]
start = 08:30
end = 17:30
crosses_midnight = true
"#,
        problems: &[(ProblemCode::Conflict, 4, "shifts.types.day.end")],
    },
    Invalid {
        case: "s3_handover_must_state_who_counts_the_overlap",
        body: r#"
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
"#,
        problems: &[(
            ProblemCode::UnstatedChoice,
            6,
            "shifts.types.day.handover.overlap_counts_for",
        )],
    },
    Invalid {
        case: "s3_handover_to_a_shift_that_does_not_start_in_the_overlap_is_a_conflict",
        body: r#"
[shifts.types.day]
start = 08:30
end = 17:30
handover = { minutes = 30, to = "night", overlap_counts_for = "both" }

[shifts.types.night]
start = 17:30
end = 01:00
crosses_midnight = true
"#,
        problems: &[(ProblemCode::Conflict, 5, "shifts.types.day.handover.to")],
    },
    Invalid {
        case: "s10_rest_rule_naming_an_undefined_shift_and_a_typo_are_both_reported",
        body: r#"
[shifts.types.day]
start = 08:30
end = 17:30

[[shifts.rest]]
rule = "days_per_mnth"
days = 4
applies_to = ["dya"]
"#,
        problems: &[
            (ProblemCode::InvalidValue, 7, "shifts.rest[0].rule"),
            (
                ProblemCode::UndefinedReference,
                9,
                "shifts.rest[0].applies_to[0]",
            ),
        ],
    },
    Invalid {
        case: "s1_rest_days_out_of_range",
        body: r#"
[[shifts.rest]]
rule = "days_per_week"
days = 7
"#,
        problems: &[(ProblemCode::OutOfRange, 4, "shifts.rest[0].days")],
    },
    Invalid {
        case: "s6_staffing_window_ending_before_it_starts",
        body: r#"
[[shifts.staffing]]
kind = "window"
from = 13:30
to = 11:30
min = 2
mni = 3
"#,
        problems: &[
            (ProblemCode::OutOfOrder, 5, "shifts.staffing[0].to"),
            (ProblemCode::UnknownKey, 7, "shifts.staffing[0].mni"),
        ],
    },
    Invalid {
        case: "s7_weekday_given_twice_and_unknown_holiday_rule",
        body: r#"
[shifts]
holidays = "worked"

[shifts.types.regular]
start = 09:00
end = 20:00
hours = [
  { days = ["saturday", "sunday"], start = 10:00, end = 20:00 },
  { days = ["sunday"], start = 11:00, end = 20:00 },
]
"#,
        problems: &[
            (ProblemCode::InvalidValue, 3, "shifts.holidays"),
            (
                ProblemCode::Duplicate,
                10,
                "shifts.types.regular.hours[1].days[0]",
            ),
        ],
    },
    Invalid {
        case: "s8_break_outside_the_shift",
        body: r#"
[shifts.types.office]
start = 09:00
end = 18:00
breaks = [{ start = 18:30, end = 19:30 }]
"#,
        problems: &[(ProblemCode::OutOfRange, 5, "shifts.types.office.breaks[0]")],
    },
    Invalid {
        case: "s9_meeting_with_both_a_time_and_a_when",
        body: r#"
[shifts.meetings.weekly]
weekday = "monday"
at = 08:00
when = "before_leaving"

[shifts.meetings.report]
weekday = "sunday"
"#,
        problems: &[
            (ProblemCode::Conflict, 5, "shifts.meetings.weekly.when"),
            (ProblemCode::MissingKey, 7, "shifts.meetings.report.at"),
        ],
    },
    Invalid {
        case: "s5_early_arrival_range_out_of_order",
        body: r#"
[shifts.types.day]
start = 08:00
end = 17:00
arrive_early = { min_minutes = 15, max_minutes = 10 }
"#,
        problems: &[(
            ProblemCode::OutOfOrder,
            5,
            "shifts.types.day.arrive_early.max_minutes",
        )],
    },
];

/// S1, S3, S5–S10: each invalid snippet gives exactly its problems.
#[test]
fn s1_s10_each_invalid_snippet_reports_every_problem() {
    assert_invalid(HEAD, Lines::InBody, INVALID);
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
