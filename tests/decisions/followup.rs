//! The followup decisions allocate nothing, and bad arguments are typed
//! errors naming what was asked.

use chrono::{NaiveDate, NaiveDateTime};
use cs_policy::Policy;
use cs_policy::followup::{
    Anchor, CallRef, FollowupError, MadeCall, Measured, Member, NextCall, Promise,
};

use super::{allocations, round_trip};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
    day(y, m, d).and_hms_opt(h, 0, 0).unwrap()
}

/// An education member whose deal is Monday 2 March 2026, the service card
/// received at 10:00 that day.
fn member() -> Member {
    Member {
        id: "M1".into(),
        deal: day(2026, 3, 2),
        card_received: Some(at(2026, 3, 2, 10)),
        ..Default::default()
    }
}

#[test]
fn c1_c2_next_call_allocates_nothing_whatever_it_answers() {
    let policy = Policy::example("education").unwrap();
    let m = member();
    let first = policy.call_ref("first").unwrap();
    let second = policy.call_ref("second").unwrap();
    let third = policy.call_ref("third").unwrap();
    let made_first = [MadeCall {
        call: first,
        at: at(2026, 3, 2, 15),
    }];
    // C1: the first call, within 48 hours of the card.
    let (next, n) = allocations(|| policy.next_call(&m, &[], at(2026, 3, 2, 12)));
    assert_eq!(n, 0);
    let NextCall::Due(w) = next.unwrap() else {
        panic!("the first call is due")
    };
    assert_eq!(
        (w.call, w.window.closes, w.open),
        (first, at(2026, 3, 4, 10), true)
    );
    assert_eq!(w.clause.id(), "followup.calls.first");
    // C2: once it is made, the second, within two weeks of the deal.
    let (next, n) = allocations(|| policy.next_call(&m, &made_first, at(2026, 3, 2, 16)));
    assert_eq!(n, 0);
    let NextCall::Due(w) = next.unwrap() else {
        panic!("the second call is due")
    };
    assert_eq!((w.call, w.window.closes.date()), (second, day(2026, 3, 16)));
    // All three made: the fourth waits on the parents' meeting.
    let made = [
        made_first[0],
        MadeCall {
            call: second,
            at: at(2026, 3, 10, 9),
        },
        MadeCall {
            call: third,
            at: at(2026, 4, 1, 9),
        },
    ];
    let (next, n) = allocations(|| policy.next_call(&m, &made, at(2026, 4, 2, 9)));
    assert_eq!(n, 0);
    assert!(matches!(
        next.unwrap(),
        NextCall::AwaitingDate {
            anchor: Anchor::ParentsMeeting,
            ..
        }
    ));
    // C4: the four windows closed with none made, the meeting given and
    // past: the birthday call is next, on the evening of 10 August.
    let late = Member {
        parents_meeting: Some(day(2026, 6, 1)),
        birthday: Some(day(2020, 8, 10)),
        ..m.clone()
    };
    let birthday = policy.call_ref("birthday").unwrap();
    let (next, n) = allocations(|| policy.next_call(&late, &[], at(2026, 7, 1, 9)));
    assert_eq!(n, 0);
    let NextCall::Due(w) = next.unwrap() else {
        panic!("the birthday call is due")
    };
    assert_eq!(
        (w.call, w.window.opens, w.open),
        (birthday, at(2026, 8, 10, 18), false)
    );
}

#[test]
fn c5_quota_check_and_c7_promise_kept_allocate_nothing() {
    let policy = Policy::example("education").unwrap();
    let quota = policy.quota_ref("effective_calls").unwrap();
    let (check, n) = allocations(|| policy.quota_check(quota, 14, 0));
    assert_eq!(n, 0);
    let check = check.unwrap();
    assert_eq!((check.required, check.made, check.kept), (15, 14, false));
    let (verdict, n) =
        allocations(|| policy.promise_kept(Promise::AnswerByRing, Measured::Rings(4)));
    assert_eq!(n, 0);
    let verdict = verdict.unwrap();
    assert!(!verdict.kept);
    assert_eq!(verdict.clause.id(), "followup.promises.answer_by_ring");
}

#[test]
fn an_unknown_or_foreign_call_is_a_typed_error() {
    let policy = Policy::example("education").unwrap();
    // Another text: the same policy with one more comment line.
    let text = std::fs::read_to_string("policies/education.toml").unwrap() + "# edited\n";
    let other = Policy::from_toml_str("education.toml", &text).unwrap();
    let m = member();
    assert_eq!(
        policy.call_ref("fifth"),
        Err(FollowupError::UnknownId {
            table: "calls",
            id: "fifth".into()
        })
    );
    // Read back with an id the policy does not plan.
    let unknown = [MadeCall {
        call: CallRef::from_id("fifth"),
        at: at(2026, 3, 3, 9),
    }];
    assert_eq!(
        policy.next_call(&m, &unknown, at(2026, 3, 3, 10)),
        Err(FollowupError::UnknownId {
            table: "calls",
            id: "fifth".into()
        })
    );
    // Made by another policy, even one with the same call.
    let foreign = [MadeCall {
        call: other.call_ref("first").unwrap(),
        at: at(2026, 3, 3, 9),
    }];
    assert_eq!(
        policy.next_call(&m, &foreign, at(2026, 3, 3, 10)),
        Err(FollowupError::Foreign {
            table: "calls",
            id: "first".into()
        })
    );
    // Read back by id, the same call resolves.
    let read_back = [MadeCall {
        call: CallRef::from_id("first"),
        at: at(2026, 3, 3, 9),
    }];
    let NextCall::Due(w) = policy
        .next_call(&m, &read_back, at(2026, 3, 3, 10))
        .unwrap()
    else {
        panic!("the second call is due")
    };
    assert_eq!(w.call.id(), "second");
}

#[test]
fn impossible_member_facts_and_missing_rules_are_typed_errors() {
    let policy = Policy::example("education").unwrap();
    let m = member();
    // A card received before the deal.
    let early_card = Member {
        card_received: Some(at(2026, 3, 1, 9)),
        ..m.clone()
    };
    assert!(matches!(
        policy.next_call(&early_card, &[], at(2026, 3, 3, 9)),
        Err(FollowupError::CardBeforeDeal { ref member, .. }) if member == "M1"
    ));
    // A call made before the member's deal.
    let before = [MadeCall {
        call: policy.call_ref("second").unwrap(),
        at: at(2026, 3, 1, 9),
    }];
    assert!(matches!(
        policy.next_call(&m, &before, at(2026, 3, 3, 9)),
        Err(FollowupError::CallBeforeMember { index: 0, .. })
    ));
    // A birthday call for a member without a birthday.
    let birthday = [MadeCall {
        call: policy.call_ref("birthday").unwrap(),
        at: at(2026, 3, 3, 19),
    }];
    assert!(matches!(
        policy.next_call(&m, &birthday, at(2026, 3, 3, 20)),
        Err(FollowupError::AnchorMissing {
            anchor: Anchor::Birthday,
            ..
        })
    ));
    // The shop plans no calls, and states no quota.
    let shop = Policy::example("shop").unwrap();
    assert_eq!(
        shop.next_call(&m, &[], at(2026, 3, 3, 9)),
        Err(FollowupError::NoRule("calls"))
    );
    assert_eq!(
        shop.quota_ref("effective_calls"),
        Err(FollowupError::UnknownId {
            table: "quotas",
            id: "effective_calls".into()
        })
    );
    // A measurement that does not fit the promise.
    assert!(matches!(
        policy.promise_kept(Promise::AnswerByRing, Measured::Seconds(3)),
        Err(FollowupError::Measure {
            promise: "answer_by_ring",
            ..
        })
    ));
}

#[test]
fn c1_c4_each_result_reads_back_equal() {
    use cs_policy::followup::{Chat, Customer, DayLog, LoggedCall};
    let p = Policy::example("education").unwrap();
    let deal = day(2026, 3, 2);
    let m = Member {
        birthday: Some(day(2020, 3, 12)),
        ..member()
    };
    round_trip(&m);
    let made = LoggedCall {
        member: "M1".into(),
        call: "first".into(),
        at: at(2026, 3, 3, 9),
    };
    round_trip(&made);
    let members = [m.clone()];
    for due in p.calls_due(&members, day(2026, 3, 3)).unwrap() {
        round_trip(&due.into_owned());
    }
    let checks = p
        .check_calls(&members, &[made], at(2026, 3, 20, 0))
        .unwrap();
    assert!(!checks.is_empty());
    for check in checks {
        round_trip(&check.into_owned());
    }
    let plan = p.birthday_plan(&members, 2026, 3).unwrap().into_owned();
    assert_eq!(plan.cards.len(), 1);
    round_trip(&plan);
    round_trip(&p.data_entry(at(2026, 3, 4, 11), None).unwrap());
    // Every answer of the next call.
    let first = MadeCall {
        call: p.call_ref("first").unwrap(),
        at: at(2026, 3, 3, 9),
    };
    round_trip(&first);
    let due = p.next_call(&m, &[first], at(2026, 3, 3, 10)).unwrap();
    assert!(matches!(due, NextCall::Due(_)));
    round_trip(&due);
    let bare = Member {
        card_received: None,
        ..member()
    };
    let waiting = p.next_call(&bare, &[], at(2026, 9, 1, 9)).unwrap();
    assert!(matches!(waiting, NextCall::AwaitingDate { .. }));
    round_trip(&waiting);
    round_trip(&NextCall::NoneDue { missed: 2 });
    round_trip(&NextCall::AllMade);
    round_trip(
        &p.promise_kept(Promise::AnswerByRing, Measured::Rings(2))
            .unwrap(),
    );
    let quota = p.quota_ref("effective_calls").unwrap();
    round_trip(&quota);
    round_trip(&p.quota_check(quota, 15, 0).unwrap());
    // A day's report, on the shop's promises.
    let shop = Policy::example("shop").unwrap();
    let chat = Chat {
        received: at(2026, 3, 2, 9),
        first_reply: day(2026, 3, 2).and_hms_opt(9, 2, 0),
        ..Default::default()
    };
    let log = DayLog {
        date: deal,
        chats: vec![chat],
        ..Default::default()
    };
    let report = shop.day_report(&log).unwrap();
    assert_eq!(report.broken().count(), 1);
    round_trip(&report);
    // A revisit, on the fintech grades.
    let fintech = Policy::example("fintech").unwrap();
    let customer = Customer {
        id: "K1".into(),
        grade: "a".into(),
        last_visit: deal,
    };
    round_trip(&customer);
    round_trip(&fintech.revisit_due(&customer, day(2026, 3, 3)).unwrap());
}

#[test]
fn c1_a_call_is_written_as_its_id_not_a_position() {
    let p = Policy::example("education").unwrap();
    let members = [Member {
        card_received: None,
        ..member()
    }];
    let due = p.calls_due(&members, day(2026, 3, 3)).unwrap();
    let json = serde_json::to_value(&due[0]).unwrap();
    assert_eq!(json["call"], "second");
    assert_eq!(json["clause"], "followup.calls.second");
    assert_eq!(json["member"], "M1");
}
