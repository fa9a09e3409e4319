//! Daily quotas and response promises (C5–C12) through the public API.

mod common;

use chrono::{NaiveDate, NaiveDateTime};
use common::policy_table;
use cs_policy::Policy;
use cs_policy::followup::{
    Call, Case, Chat, ChatKind, Customer, DayLog, Direction, FollowupError, Measured, Promise,
    PromiseCheck, Request, Visit,
};

const DAY: (i32, u32, u32) = (2026, 3, 2);

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(DAY.0, DAY.1, DAY.2).expect("valid date")
}

fn at(h: u32, m: u32, s: u32) -> NaiveDateTime {
    date().and_hms_opt(h, m, s).expect("valid time")
}

fn outgoing(effective: bool) -> Call {
    Call {
        at: at(10, 0, 0),
        direction: Direction::Outgoing,
        effective,
        duration_secs: 120,
        ..Call::default()
    }
}

fn checks(p: &Policy, day: &DayLog, promise: Promise) -> Vec<(usize, bool, Measured)> {
    p.day_report(day)
        .unwrap()
        .promises
        .iter()
        .filter(|c| c.promise == promise)
        .map(|c: &PromiseCheck| (c.record, c.kept, c.measured))
        .collect()
}

#[test]
fn c5_fifteen_effective_outgoing_calls_incoming_not_counted() {
    let p = Policy::example("education").unwrap();
    let mut calls = vec![outgoing(true); 14];
    calls.push(outgoing(false));
    calls.extend(vec![
        Call {
            direction: Direction::Incoming,
            effective: true,
            ..outgoing(true)
        };
        5
    ]);
    let day = DayLog {
        date: date(),
        calls,
        ..DayLog::default()
    };
    let q = p.day_report(&day).unwrap().quotas[0];
    assert_eq!((q.required, q.made, q.kept), (15, 14, false));
    assert_eq!(q.clause.id(), "followup.quotas.effective_calls");
    let mut full = day.clone();
    full.calls.push(outgoing(true));
    let q = p.day_report(&full).unwrap().quotas[0];
    assert_eq!((q.required, q.made, q.kept), (15, 15, true));
}

#[test]
fn c5_home_visit_day_lowers_the_quota_by_the_policy_rule() {
    let p = Policy::example("education").unwrap();
    let day = |visits| DayLog {
        date: date(),
        home_visits: visits,
        calls: vec![outgoing(true); 10],
        ..DayLog::default()
    };
    // Five fewer per home visit (this policy's rule), never below zero.
    let q = p.day_report(&day(1)).unwrap().quotas[0];
    assert_eq!((q.required, q.kept), (10, true));
    assert_eq!(p.day_report(&day(2)).unwrap().quotas[0].required, 5);
    assert_eq!(p.day_report(&day(4)).unwrap().quotas[0].required, 0);
}

#[test]
fn c5_fixed_quota_on_a_home_visit_day_variant() {
    let text = concat!(
        policy_table!("t", "T"),
        r#"[followup.quotas.calls]
per_day = 15
counts = "effective_outgoing"
on_home_visit_day = 8
"#
    );
    let p = Policy::from_toml_str("t.toml", text).unwrap();
    let day = DayLog {
        date: date(),
        home_visits: 3,
        ..DayLog::default()
    };
    assert_eq!(p.day_report(&day).unwrap().quotas[0].required, 8);
}

#[test]
fn c6_same_day_answer_or_a_callback_saying_when() {
    let p = Policy::example("education").unwrap();
    let next_day = at(10, 0, 0) + chrono::TimeDelta::days(1);
    let requests = vec![
        Request {
            received: at(9, 0, 0),
            answered: Some(at(16, 0, 0)),
            ..Request::default()
        },
        Request {
            received: at(9, 0, 0),
            answered: Some(next_day),
            callback_promised: Some(at(17, 0, 0)),
            ..Request::default()
        },
        Request {
            received: at(9, 0, 0),
            answered: Some(next_day),
            ..Request::default()
        },
        Request {
            received: at(9, 0, 0),
            ..Request::default()
        },
    ];
    let day = DayLog {
        date: date(),
        requests,
        ..DayLog::default()
    };
    assert_eq!(
        checks(&p, &day, Promise::SameDayAnswer),
        [
            (0, true, Measured::AnsweredSameDay),
            (1, true, Measured::CallbackPromised),
            (2, false, Measured::Unanswered),
            (3, false, Measured::Unanswered),
        ]
    );
}

#[test]
fn c7_answer_by_the_third_ring_and_wait_three_seconds() {
    for name in ["education", "property"] {
        let p = Policy::example(name).unwrap();
        let incoming = |rings| Call {
            at: at(11, 0, 0),
            direction: Direction::Incoming,
            rings: Some(rings),
            ..Call::default()
        };
        let day = DayLog {
            date: date(),
            calls: vec![incoming(3), incoming(4)],
            ..DayLog::default()
        };
        assert_eq!(
            checks(&p, &day, Promise::AnswerByRing),
            [
                (0, true, Measured::Rings(3)),
                (1, false, Measured::Rings(4))
            ],
            "{name}"
        );
    }
    let p = Policy::example("education").unwrap();
    let wait = |w| Call {
        at: at(11, 0, 0),
        hang_up_wait_secs: w,
        ..Call::default()
    };
    let day = DayLog {
        date: date(),
        calls: vec![wait(Some(3)), wait(Some(2)), wait(None)],
        ..DayLog::default()
    };
    assert_eq!(
        checks(&p, &day, Promise::HangUpWait),
        [
            (0, true, Measured::Seconds(3)),
            (1, false, Measured::Seconds(2)),
            // The customer hung up first.
            (2, true, Measured::Nothing),
        ]
    );
}

#[test]
fn c8_calls_within_five_minutes_and_chat_replies_within_one() {
    let p = Policy::example("shop").unwrap();
    let long = |secs| Call {
        at: at(14, 0, 0),
        duration_secs: secs,
        ..Call::default()
    };
    let chat = |reply: Option<u32>| Chat {
        received: at(15, 0, 0),
        first_reply: reply.map(|s| at(15, 0, 0) + chrono::TimeDelta::seconds(s.into())),
        kind: ChatKind::Basic,
    };
    let day = DayLog {
        date: date(),
        calls: vec![long(300), long(301)],
        chats: vec![chat(Some(60)), chat(Some(61)), chat(None)],
        ..DayLog::default()
    };
    assert_eq!(
        checks(&p, &day, Promise::CallLength),
        [
            (0, true, Measured::Seconds(300)),
            (1, false, Measured::Seconds(301))
        ]
    );
    assert_eq!(
        checks(&p, &day, Promise::ChatFirstReply),
        [
            (0, true, Measured::Seconds(60)),
            (1, false, Measured::Seconds(61)),
            (2, false, Measured::Nothing)
        ]
    );
    // The shop states no C7 promise: none is checked.
    assert!(checks(&p, &day, Promise::AnswerByRing).is_empty());
}

#[test]
fn c8_online_enquiries_answered_within_five_minutes() {
    let p = Policy::example("call-centre").unwrap();
    let enquiry = |mins: i64| Chat {
        received: at(15, 0, 0),
        first_reply: Some(at(15, 0, 0) + chrono::TimeDelta::minutes(mins)),
        kind: ChatKind::Enquiry,
    };
    let day = DayLog {
        date: date(),
        chats: vec![enquiry(5), enquiry(6)],
        ..DayLog::default()
    };
    let got = checks(&p, &day, Promise::EnquiryReply);
    assert_eq!(
        got,
        [
            (0, true, Measured::Seconds(300)),
            (1, false, Measured::Seconds(360))
        ]
    );
}

#[test]
fn c9_reply_within_five_minutes_after_consulting_the_supervisor() {
    let p = Policy::example("property").unwrap();
    let req = |answer_min| Request {
        received: at(9, 50, 0),
        consulted_supervisor: Some(at(10, 0, 0)),
        answered: Some(at(10, answer_min, 0)),
        ..Request::default()
    };
    let day = DayLog {
        date: date(),
        requests: vec![req(5), req(6)],
        ..DayLog::default()
    };
    assert_eq!(
        checks(&p, &day, Promise::AfterSupervisorReply),
        [
            (0, true, Measured::Seconds(300)),
            (1, false, Measured::Seconds(360))
        ]
    );
}

#[test]
fn c10_arrive_five_to_ten_minutes_early_and_wait_two_to_five_at_the_door() {
    let p = Policy::example("property").unwrap();
    let visit = |h, m, answered, waited, card| Visit {
        appointment: at(14, 0, 0),
        arrived: at(h, m, 0),
        door_answered: answered,
        waited_minutes: waited,
        card_left: card,
    };
    let day = DayLog {
        date: date(),
        visits: vec![
            visit(13, 52, true, 0, false),
            visit(13, 55, true, 0, false),
            visit(13, 50, true, 0, false),
            visit(13, 57, false, 3, true),
            visit(13, 45, false, 1, true),
            visit(14, 2, false, 3, false),
        ],
        ..DayLog::default()
    };
    assert_eq!(
        checks(&p, &day, Promise::VisitArrival),
        [
            (0, true, Measured::Minutes(8)),
            (1, true, Measured::Minutes(5)),
            (2, true, Measured::Minutes(10)),
            (3, false, Measured::Minutes(3)),
            (4, false, Measured::Minutes(15)),
            (5, false, Measured::Minutes(-2)),
        ]
    );
    let door = |minutes, card_left| Measured::DoorWait { minutes, card_left };
    assert_eq!(
        checks(&p, &day, Promise::DoorWait),
        [
            (3, true, door(3, true)),
            (4, false, door(1, true)),
            (5, false, door(3, false)),
        ]
    );
}

#[test]
fn c11_unverified_user_quota_and_follow_up_after_each_case() {
    let p = Policy::example("fintech").unwrap();
    let to_unverified = Call {
        to_unverified: true,
        ..outgoing(false)
    };
    let day = DayLog {
        date: date(),
        home_visits: 1,
        calls: vec![to_unverified; 40],
        cases: vec![
            Case {
                closed: at(10, 0, 0),
                followup_call: Some(at(10, 0, 0) + chrono::TimeDelta::hours(24)),
            },
            Case {
                closed: at(10, 0, 0),
                followup_call: Some(at(10, 0, 0) + chrono::TimeDelta::minutes(24 * 60 + 1)),
            },
            Case {
                closed: at(10, 0, 0),
                followup_call: None,
            },
        ],
        ..DayLog::default()
    };
    let report = p.day_report(&day).unwrap();
    let q = report.quotas[0];
    // Home visits do not change this quota.
    assert_eq!((q.required, q.made, q.kept), (40, 40, true));
    assert_eq!(
        checks(&p, &day, Promise::CaseFollowup),
        [
            (0, true, Measured::Minutes(1440)),
            (1, false, Measured::Minutes(1441)),
            (2, false, Measured::Nothing),
        ]
    );
}

#[test]
fn c12_revisit_period_by_customer_grade() {
    let p = Policy::example("fintech").unwrap();
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    let a = Customer {
        id: "C1".into(),
        grade: "a".into(),
        last_visit: d(2026, 12, 15),
    };
    let due = p.revisit_due(&a, d(2027, 1, 14)).unwrap();
    assert_eq!((due.due, due.overdue), (d(2027, 1, 14), false));
    assert!(p.revisit_due(&a, d(2027, 1, 15)).unwrap().overdue);
    assert_eq!(due.clause.id(), "followup.revisit.grades.a");
    let b = Customer {
        grade: "b".into(),
        ..a.clone()
    };
    assert_eq!(
        p.revisit_due(&b, d(2027, 1, 1)).unwrap().due,
        d(2027, 3, 15)
    );
    let unknown = Customer {
        grade: "vip".into(),
        ..a
    };
    assert_eq!(
        p.revisit_due(&unknown, d(2027, 1, 1)),
        Err(FollowupError::UnknownGrade {
            customer: "C1".into(),
            grade: "vip".into()
        })
    );
}

#[test]
fn records_off_the_day_or_replies_before_receipt_are_bad_facts() {
    let p = Policy::example("shop").unwrap();
    let off = DayLog {
        date: date(),
        calls: vec![Call {
            at: at(10, 0, 0) + chrono::TimeDelta::days(1),
            ..Call::default()
        }],
        ..DayLog::default()
    };
    let err = p.day_report(&off).unwrap_err();
    assert!(matches!(
        err,
        FollowupError::OffDay {
            what: "call",
            index: 0,
            ..
        }
    ));
    assert!(
        err.to_string()
            .contains("not on the day of the log 2026-03-02")
    );
    let backwards = DayLog {
        date: date(),
        chats: vec![Chat {
            received: at(10, 0, 0),
            first_reply: Some(at(9, 59, 0)),
            kind: ChatKind::Basic,
        }],
        ..DayLog::default()
    };
    assert!(matches!(
        p.day_report(&backwards),
        Err(FollowupError::ReplyBeforeReceipt {
            what: "chat",
            index: 0,
            ..
        })
    ));
}

#[test]
fn day_report_serializes_as_json() {
    let p = Policy::example("education").unwrap();
    let day = DayLog {
        date: date(),
        calls: vec![outgoing(true)],
        ..DayLog::default()
    };
    let json = serde_json::to_string(&p.day_report(&day).unwrap()).unwrap();
    assert!(json.contains("\"promise\":\"hang_up_wait\""), "{json}");
}
