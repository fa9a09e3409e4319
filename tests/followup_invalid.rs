//! Invalid `[followup]` snippets: each problem with its code, line and field.

mod common;

use common::{Invalid, Lines, assert_invalid, policy_table};
use cs_policy::ProblemCode;

/// Lines are counted in the whole file: a body's first line is line 8.
const HEADER: &str = policy_table!("t", "T");

/// Invalid snippets, each with every problem as (code, line, field).
const INVALID: &[Invalid] = &[
    Invalid {
        case: "c2_c4_call_windows_out_of_order_unknown_anchor_and_unstated_leap_day",
        body: r#"[followup.calls.fourth]
anchor = "parents_meeting"
opens = { weeks = -2 }
closes = { weeks = -3 }
[followup.calls.birthday]
anchor = "birthday"
closes = { days = 0 }
[followup.calls.fifth]
anchor = "graduation"
closes = { dayz = 3 }
"#,
        problems: &[
            (ProblemCode::OutOfOrder, 8, "followup.calls.fourth.closes"),
            (
                ProblemCode::UnstatedChoice,
                12,
                "followup.calls.birthday.leap_day",
            ),
            (ProblemCode::InvalidValue, 16, "followup.calls.fifth.anchor"),
            (
                ProblemCode::UnknownKey,
                17,
                "followup.calls.fifth.closes.dayz",
            ),
        ],
    },
    Invalid {
        case: "c3_c4_unstated_evening_list_week_and_card_week",
        body: r#"[followup.data_entry]
cards_by = "monday"
entry_by = "tuesday"
[followup.birthday]
cards_from = "wednesday"
"#,
        problems: &[
            (
                ProblemCode::UnstatedChoice,
                8,
                "followup.data_entry.evening",
            ),
            (
                ProblemCode::UnstatedChoice,
                11,
                "followup.birthday.list_week",
            ),
            (
                ProblemCode::UnstatedChoice,
                11,
                "followup.birthday.card_week",
            ),
            (
                ProblemCode::UnstatedChoice,
                11,
                "followup.birthday.leap_day",
            ),
        ],
    },
    Invalid {
        case: "c5_quota_must_state_its_home_visit_rule_once",
        body: r#"[followup.quotas.calls]
per_day = 15
counts = "effective_outgoing"
[followup.quotas.more]
per_day = 15
counts = "effective_outgoing"
on_home_visit_day = 10
less_per_home_visit = 5
[followup.quotas.vague]
per_day = 0
counts = "outgoing"
home_visits_reduce = true
"#,
        problems: &[
            (ProblemCode::UnstatedChoice, 8, "followup.quotas.calls"),
            (ProblemCode::Conflict, 11, "followup.quotas.more"),
            (
                ProblemCode::UnstatedChoice,
                16,
                "followup.quotas.vague.home_visits_reduce",
            ),
            (ProblemCode::OutOfRange, 17, "followup.quotas.vague.per_day"),
            (
                ProblemCode::InvalidValue,
                18,
                "followup.quotas.vague.counts",
            ),
        ],
    },
    Invalid {
        case: "c8_c10_c12_promise_limits_checked",
        body: r#"[followup.promises.chat_first_reply]
within_seconds = 60
within_minutes = 1
[followup.promises.visit_arrival]
minutes_early = [10, 5]
[followup.promises.enquiry_reply]
[followup.promises.answer_by_rings]
max_rings = 3
[followup.revisit.grades.a]
every_days = 30
"#,
        problems: &[
            (
                ProblemCode::Conflict,
                9,
                "followup.promises.chat_first_reply.within_seconds",
            ),
            (
                ProblemCode::OutOfOrder,
                12,
                "followup.promises.visit_arrival.minutes_early",
            ),
            (
                ProblemCode::MissingKey,
                13,
                "followup.promises.enquiry_reply.within_minutes",
            ),
            (
                ProblemCode::UnknownKey,
                14,
                "followup.promises.answer_by_rings",
            ),
            (ProblemCode::UnstatedChoice, 16, "followup.revisit.count"),
        ],
    },
];

/// C2–C5, C8, C10, C12: each invalid snippet gives exactly its problems.
#[test]
fn c2_c12_each_invalid_snippet_reports_every_problem() {
    assert_invalid(HEADER, Lines::InFile, INVALID);
}
