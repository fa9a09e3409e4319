//! Invalid `[followup]` snippets: each problem with its code, line and field.

use cs_policy::{Policy, ProblemCode};

const HEADER: &str = r#"[policy]
id = "t"
name = "T"
format = 1
currency = "CNY"
time_zone = "Asia/Shanghai"
effective = 2026-01-01
"#;

/// `(code, line, field)` of every problem; `body` lines are numbered from 8.
fn problems(body: &str) -> Vec<(ProblemCode, usize, String)> {
    let text = format!("{HEADER}{body}");
    let err = Policy::from_toml_str("t.toml", &text).expect_err("policy should be rejected");
    err.diagnostics()
        .iter()
        .map(|d| (d.code, d.line, d.field.clone()))
        .collect()
}

#[test]
fn c2_c4_call_windows_out_of_order_unknown_anchor_and_unstated_leap_day() {
    let body = r#"[followup.calls.fourth]
anchor = "parents_meeting"
opens = { weeks = -2 }
closes = { weeks = -3 }
[followup.calls.birthday]
anchor = "birthday"
closes = { days = 0 }
[followup.calls.fifth]
anchor = "graduation"
closes = { dayz = 3 }
"#;
    assert_eq!(
        problems(body),
        [
            (
                ProblemCode::OutOfOrder,
                8,
                "followup.calls.fourth.closes".into()
            ),
            (
                ProblemCode::UnstatedChoice,
                12,
                "followup.calls.birthday.leap_day".into()
            ),
            (
                ProblemCode::InvalidValue,
                16,
                "followup.calls.fifth.anchor".into()
            ),
            (
                ProblemCode::UnknownKey,
                17,
                "followup.calls.fifth.closes.dayz".into()
            ),
        ]
    );
}

#[test]
fn c3_c4_unstated_evening_list_week_and_card_week() {
    let body = r#"[followup.data_entry]
cards_by = "monday"
entry_by = "tuesday"
[followup.birthday]
cards_from = "wednesday"
"#;
    assert_eq!(
        problems(body),
        [
            (
                ProblemCode::UnstatedChoice,
                8,
                "followup.data_entry.evening".into()
            ),
            (
                ProblemCode::UnstatedChoice,
                11,
                "followup.birthday.list_week".into()
            ),
            (
                ProblemCode::UnstatedChoice,
                11,
                "followup.birthday.card_week".into()
            ),
            (
                ProblemCode::UnstatedChoice,
                11,
                "followup.birthday.leap_day".into()
            ),
        ]
    );
}

#[test]
fn c5_quota_must_state_its_home_visit_rule_once() {
    let body = r#"[followup.quotas.calls]
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
"#;
    assert_eq!(
        problems(body),
        [
            (
                ProblemCode::UnstatedChoice,
                8,
                "followup.quotas.calls".into()
            ),
            (ProblemCode::Conflict, 11, "followup.quotas.more".into()),
            (
                ProblemCode::UnstatedChoice,
                16,
                "followup.quotas.vague.home_visits_reduce".into()
            ),
            (
                ProblemCode::OutOfRange,
                17,
                "followup.quotas.vague.per_day".into()
            ),
            (
                ProblemCode::InvalidValue,
                18,
                "followup.quotas.vague.counts".into()
            ),
        ]
    );
}

#[test]
fn c8_c10_c12_promise_limits_checked() {
    let body = r#"[followup.promises.chat_first_reply]
within_seconds = 60
within_minutes = 1
[followup.promises.visit_arrival]
minutes_early = [10, 5]
[followup.promises.enquiry_reply]
[followup.promises.answer_by_rings]
max_rings = 3
[followup.revisit.grades.a]
every_days = 30
"#;
    assert_eq!(
        problems(body),
        [
            (
                ProblemCode::Conflict,
                9,
                "followup.promises.chat_first_reply.within_seconds".into()
            ),
            (
                ProblemCode::OutOfOrder,
                12,
                "followup.promises.visit_arrival.minutes_early".into()
            ),
            (
                ProblemCode::MissingKey,
                13,
                "followup.promises.enquiry_reply.within_minutes".into()
            ),
            (
                ProblemCode::UnknownKey,
                14,
                "followup.promises.answer_by_rings".into()
            ),
            (
                ProblemCode::UnstatedChoice,
                16,
                "followup.revisit.count".into()
            ),
        ]
    );
}
