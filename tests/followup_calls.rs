//! Follow-up call plans (C1–C4) through the public API, on the education
//! example policy (seeds/001 ch.4).

mod common;

use chrono::{NaiveDate, NaiveDateTime};
use common::policy_table;
use cs_policy::Policy;
use cs_policy::followup::{CallStatus, FollowupError, LoggedCall, Member};

fn edu() -> Policy {
    Policy::example("education").expect("education example loads")
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

fn t(y: i32, m: u32, day: u32, h: u32, min: u32) -> NaiveDateTime {
    d(y, m, day).and_hms_opt(h, min, 0).expect("valid time")
}

fn end(y: i32, m: u32, day: u32) -> NaiveDateTime {
    d(y, m, day)
        .and_hms_nano_opt(23, 59, 59, 999_999_999)
        .expect("valid time")
}

fn member(deal: NaiveDate) -> Member {
    Member {
        id: "M1".into(),
        deal,
        ..Member::default()
    }
}

fn log(call: &str, at: NaiveDateTime) -> LoggedCall {
    LoggedCall {
        member: "M1".into(),
        call: call.into(),
        at,
    }
}

/// The window of one call for one member, from the call-log check.
fn window(
    p: &Policy,
    m: &Member,
    call: &str,
    as_of: NaiveDateTime,
) -> (NaiveDateTime, NaiveDateTime) {
    let f = p.followup().unwrap();
    let id = f.call_by_id(call).unwrap();
    let c = p
        .check_calls(std::slice::from_ref(m), &[], as_of)
        .unwrap()
        .into_iter()
        .find(|c| c.call == id)
        .expect("call planned");
    (c.window.opens, c.window.closes)
}

#[test]
fn c1_first_call_within_48_hours_of_the_card_even_across_month_and_year_ends() {
    let p = edu();
    let cases = [
        (t(2026, 3, 4, 10, 30), t(2026, 3, 6, 10, 30)),
        // 2026 is not a leap year: 27 February + 48 h is 1 March.
        (t(2026, 2, 27, 21, 0), t(2026, 3, 1, 21, 0)),
        (t(2026, 12, 31, 9, 0), t(2027, 1, 2, 9, 0)),
    ];
    for (card, closes) in cases {
        let m = Member {
            card_received: Some(card),
            ..member(card.date())
        };
        assert_eq!(window(&p, &m, "first", t(2027, 6, 1, 0, 0)), (card, closes));
    }
}

#[test]
fn c1_call_at_the_48th_hour_is_met_one_minute_later_is_late() {
    let p = edu();
    let m = Member {
        card_received: Some(t(2026, 3, 4, 10, 30)),
        ..member(d(2026, 3, 2))
    };
    let as_of = t(2026, 3, 20, 0, 0);
    let first = p.followup().unwrap().call_by_id("first").unwrap();
    let status = |at| {
        p.check_calls(std::slice::from_ref(&m), &[log("first", at)], as_of)
            .unwrap()
            .into_iter()
            .find(|c| c.call == first)
            .unwrap()
            .status
    };
    assert_eq!(status(t(2026, 3, 6, 10, 30)), CallStatus::Met);
    assert_eq!(
        status(t(2026, 3, 6, 10, 31)),
        CallStatus::Late { minutes: 1 }
    );
}

/// C2: the second call within two weeks of the deal, the third a month and
/// 15 days after it (45 days where a policy says so), the fourth three to two
/// weeks before the parents' meeting; across month and year ends.
#[test]
fn c2_second_third_and_fourth_call_windows() {
    let edu = edu();
    let days_45 = Policy::from_toml_str(
        "t.toml",
        concat!(
            policy_table!("t", "T"),
            r#"[followup.calls.third]
anchor = "deal"
closes = { days = 45 }
"#
        ),
    )
    .unwrap();
    let meeting = |deal, on| Member {
        parents_meeting: Some(on),
        ..member(deal)
    };
    // (case, policy, member, call, as of, opens where pinned, closes)
    #[rustfmt::skip]
    let rows = [
        ("c2_second_call_within_two_weeks_of_the_deal_across_the_year_end",
         &edu, member(d(2026, 12, 20)), "second", t(2027, 6, 1, 0, 0), Some(t(2026, 12, 20, 0, 0)), end(2027, 1, 3)),
        // 31 January + one month = 28 February (clamped), + 15 days = 15 March.
        ("c2_third_call_is_a_month_and_15_days_in_this_policy",
         &edu, member(d(2026, 1, 31)), "third", t(2026, 6, 1, 0, 0), None, end(2026, 3, 15)),
        // 30 November + one month + 15 days crosses the year end.
        ("c2_third_call_is_a_month_and_15_days_in_this_policy (across the year end)",
         &edu, member(d(2026, 11, 30)), "third", t(2027, 6, 1, 0, 0), None, end(2027, 1, 14)),
        ("c2_third_call_as_45_days_when_the_policy_says_so",
         &days_45, member(d(2026, 1, 31)), "third", t(2026, 6, 1, 0, 0), None, end(2026, 3, 17)),
        ("c2_fourth_call_three_to_two_weeks_before_the_parents_meeting",
         &edu, meeting(d(2026, 1, 5), d(2026, 3, 20)), "fourth", t(2026, 6, 1, 0, 0), Some(t(2026, 2, 27, 0, 0)), end(2026, 3, 6)),
        // Across the year end: a meeting on 8 January 2027.
        ("c2_fourth_call_three_to_two_weeks_before_the_parents_meeting (across the year end)",
         &edu, meeting(d(2026, 9, 1), d(2027, 1, 8)), "fourth", t(2027, 6, 1, 0, 0), Some(t(2026, 12, 18, 0, 0)), end(2026, 12, 25)),
    ];
    for (case, p, m, call, as_of, opens, closes) in rows {
        let window = window(p, &m, call, as_of);
        assert_eq!(window.1, closes, "{case}");
        if let Some(opens) = opens {
            assert_eq!(window.0, opens, "{case}");
        }
    }
}

#[test]
fn c1_c2_c4_calls_due_on_a_date() {
    let p = edu();
    let f = p.followup().unwrap();
    let m = Member {
        id: "M1".into(),
        deal: d(2026, 3, 2),
        card_received: Some(t(2026, 3, 3, 9, 0)),
        parents_meeting: Some(d(2026, 5, 15)),
        birthday: Some(d(2020, 3, 10)),
        vip: false,
    };
    let ids = |date| -> Vec<String> {
        p.calls_due(std::slice::from_ref(&m), date)
            .unwrap()
            .iter()
            .map(|c| f.call(c.call).unwrap().id().to_owned())
            .collect()
    };
    assert_eq!(ids(d(2026, 3, 4)), ["first", "second", "third"]);
    assert_eq!(ids(d(2026, 3, 10)), ["second", "third", "birthday"]);
    assert_eq!(ids(d(2026, 4, 17)), ["third"]);
    assert_eq!(ids(d(2026, 4, 18)), Vec::<String>::new());
    assert_eq!(ids(d(2026, 4, 24)), ["fourth"]);
    // Before the deal nothing is due.
    assert!(ids(d(2026, 3, 1)).is_empty());
    // The birthday call's window is the birthday evening, from 18:00.
    let due = p
        .calls_due(std::slice::from_ref(&m), d(2027, 3, 10))
        .unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(
        (due[0].window.opens, due[0].window.closes),
        (t(2027, 3, 10, 18, 0), end(2027, 3, 10))
    );
    assert_eq!((due[0].clause).id(), "followup.calls.birthday");
}

#[test]
fn c1_c2_c4_call_log_marks_met_late_early_missed_and_pending() {
    let p = edu();
    let f = p.followup().unwrap();
    let m = Member {
        id: "M1".into(),
        deal: d(2025, 6, 1),
        card_received: Some(t(2025, 6, 2, 9, 0)),
        parents_meeting: Some(d(2026, 3, 20)),
        birthday: Some(d(2020, 3, 10)),
        vip: true,
    };
    let calls = [
        log("first", t(2025, 6, 3, 15, 0)),
        log("second", t(2025, 6, 20, 10, 0)),
        log("fourth", t(2026, 2, 20, 10, 0)),
        log("birthday", t(2026, 3, 10, 19, 0)),
    ];
    let as_of = t(2026, 3, 11, 12, 0);
    let got: Vec<(String, CallStatus, Option<usize>)> = p
        .check_calls(std::slice::from_ref(&m), &calls, as_of)
        .unwrap()
        .iter()
        .map(|c| (f.call(c.call).unwrap().id().to_owned(), c.status, c.logged))
        .collect();
    assert_eq!(
        got,
        [
            ("first".into(), CallStatus::Met, Some(0)),
            // 20 June 10:00 is 4 days 10 hours after the end of 15 June.
            ("second".into(), CallStatus::Late { minutes: 6360 }, Some(1)),
            ("third".into(), CallStatus::Missed, None),
            // 20 February 10:00 is 6 days 14 hours before the window opens on 27 February.
            (
                "fourth".into(),
                CallStatus::Early { minutes: 9480 },
                Some(2)
            ),
            // The 2025 birthday was before the deal; 2026's was called.
            ("birthday".into(), CallStatus::Met, Some(3)),
        ]
    );
    // A year later the 2027 birthday call is missed, 2026's still met.
    let later = p
        .check_calls(std::slice::from_ref(&m), &calls, t(2027, 3, 11, 0, 0))
        .unwrap();
    let birthdays: Vec<_> = later
        .iter()
        .filter(|c| f.call(c.call).unwrap().id() == "birthday")
        .map(|c| (c.window.opens.date(), c.status))
        .collect();
    assert_eq!(
        birthdays,
        [
            (d(2026, 3, 10), CallStatus::Met),
            (d(2027, 3, 10), CallStatus::Missed)
        ]
    );
    // Before the second call's window closes it is pending.
    let early = p
        .check_calls(std::slice::from_ref(&m), &[], t(2025, 6, 10, 0, 0))
        .unwrap();
    assert!(
        early
            .iter()
            .all(|c| c.status == CallStatus::Pending || f.call(c.call).unwrap().id() == "first")
    );
}

#[test]
fn c4_leap_day_birthday_called_on_28_february_in_common_years() {
    let p = edu();
    let m = Member {
        birthday: Some(d(2024, 2, 29)),
        ..member(d(2025, 1, 10))
    };
    let due = p
        .calls_due(std::slice::from_ref(&m), d(2026, 2, 28))
        .unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].window.opens, t(2026, 2, 28, 18, 0));
    // In a leap year it is the 29th itself.
    assert_eq!(
        p.calls_due(std::slice::from_ref(&m), d(2028, 2, 29))
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn c4_birthday_list_in_the_last_week_and_cards_from_wednesday() {
    let p = edu();
    let members = [
        Member {
            id: "A".into(),
            birthday: Some(d(2021, 3, 12)),
            vip: true,
            ..member(d(2025, 6, 1))
        },
        Member {
            id: "B".into(),
            birthday: Some(d(2022, 3, 2)),
            ..member(d(2025, 6, 1))
        },
        Member {
            id: "C".into(),
            birthday: Some(d(2022, 4, 2)),
            ..member(d(2025, 6, 1))
        },
    ];
    let plan = p.birthday_plan(&members, 2026, 3).unwrap();
    // The list is printed in the last seven days of February.
    assert_eq!(
        (plan.list_from, plan.list_by),
        (d(2026, 2, 22), d(2026, 2, 28))
    );
    let cards: Vec<_> = plan
        .cards
        .iter()
        .map(|c| (&*c.member, c.birthday, c.card_from, c.vip))
        .collect();
    assert_eq!(
        cards,
        [
            // Thursday 12 March → Wednesday 4 March, the week before.
            ("A", d(2026, 3, 12), d(2026, 3, 4), true),
            // Monday 2 March → Wednesday 25 February.
            ("B", d(2026, 3, 2), d(2026, 2, 25), false),
        ]
    );
    // January 2027: the list falls in December 2026 (across the year end).
    let jan = p.birthday_plan(&[], 2027, 1).unwrap();
    assert_eq!(
        (jan.list_from, jan.list_by),
        (d(2026, 12, 25), d(2026, 12, 31))
    );
}

#[test]
fn c4_last_calendar_week_variant() {
    let text = concat!(
        policy_table!("t", "T"),
        r#"[followup.birthday]
list_week = "last_calendar_week"
cards_from = "wednesday"
card_week = "same"
leap_day = "march_1"
"#
    );
    let p = Policy::from_toml_str("t.toml", text).unwrap();
    // February 2026 ends on a Saturday: its last full Monday–Sunday week is 16–22.
    let plan = p.birthday_plan(&[], 2026, 3).unwrap();
    assert_eq!(
        (plan.list_from, plan.list_by),
        (d(2026, 2, 16), d(2026, 2, 22))
    );
    let m = Member {
        birthday: Some(d(2024, 2, 29)),
        ..member(d(2025, 1, 1))
    };
    // 29 February → 1 March 2026 (a Sunday); card from that week's Wednesday, 25 February.
    let plan = p.birthday_plan(std::slice::from_ref(&m), 2026, 3).unwrap();
    assert_eq!(
        (plan.cards[0].birthday, plan.cards[0].card_from),
        (d(2026, 3, 1), d(2026, 2, 25))
    );
}

#[test]
fn c3_cards_by_monday_evening_entered_by_tuesday_evening() {
    let p = edu();
    // A Wednesday card joins next Monday's batch.
    let e = p
        .data_entry(t(2026, 3, 4, 11, 0), Some(t(2026, 3, 10, 20, 0)))
        .unwrap();
    assert_eq!(
        (e.batch_due, e.entry_starts, e.entry_due, e.on_time),
        (
            t(2026, 3, 9, 20, 0),
            d(2026, 3, 9),
            t(2026, 3, 10, 20, 0),
            Some(true)
        )
    );
    let late = p
        .data_entry(t(2026, 3, 4, 11, 0), Some(t(2026, 3, 10, 20, 1)))
        .unwrap();
    assert_eq!(late.on_time, Some(false));
    // Monday 19:00 is before the evening deadline: this week's batch.
    let monday = p.data_entry(t(2026, 3, 2, 19, 0), None).unwrap();
    assert_eq!(monday.entry_due, t(2026, 3, 3, 20, 0));
    // Monday 20:30 misses it.
    let after = p.data_entry(t(2026, 3, 2, 20, 30), None).unwrap();
    assert_eq!(after.entry_due, t(2026, 3, 10, 20, 0));
    // Across the year end.
    let ye = p.data_entry(t(2026, 12, 29, 9, 0), None).unwrap();
    assert_eq!(
        (ye.batch_due, ye.entry_due),
        (t(2027, 1, 4, 20, 0), t(2027, 1, 5, 20, 0))
    );
    assert_eq!(ye.clause.id(), "followup.data_entry");
}

#[test]
fn bad_facts_in_the_call_log_are_clear_errors() {
    let p = edu();
    let m = member(d(2026, 3, 2));
    let as_of = t(2026, 6, 1, 0, 0);
    let err = p
        .check_calls(
            std::slice::from_ref(&m),
            &[log("second", t(2026, 3, 1, 9, 0))],
            as_of,
        )
        .unwrap_err();
    assert_eq!(
        err,
        FollowupError::CallBeforeMember {
            index: 0,
            member: "M1".into(),
            at: t(2026, 3, 1, 9, 0),
            deal: d(2026, 3, 2)
        }
    );
    assert!(
        err.to_string()
            .contains("before the member's deal on 2026-03-02")
    );
    let stranger = LoggedCall {
        member: "M9".into(),
        ..log("second", t(2026, 3, 3, 9, 0))
    };
    assert!(matches!(
        p.check_calls(std::slice::from_ref(&m), &[stranger], as_of),
        Err(FollowupError::UnknownMember { index: 0, .. })
    ));
    assert!(matches!(
        p.check_calls(
            std::slice::from_ref(&m),
            &[log("fifth", t(2026, 3, 3, 9, 0))],
            as_of
        ),
        Err(FollowupError::UnknownCall { index: 0, .. })
    ));
    assert!(matches!(
        p.check_calls(
            std::slice::from_ref(&m),
            &[log("fourth", t(2026, 3, 3, 9, 0))],
            as_of
        ),
        Err(FollowupError::AnchorMissing { index: 0, .. })
    ));
    let card_first = Member {
        card_received: Some(t(2026, 3, 1, 9, 0)),
        ..m
    };
    assert!(matches!(
        p.calls_due(&[card_first], d(2026, 3, 3)),
        Err(FollowupError::CardBeforeDeal { .. })
    ));
    let shop = Policy::example("shop").unwrap();
    assert!(matches!(
        shop.birthday_plan(&[], 2026, 3),
        Err(FollowupError::NoRule("birthday"))
    ));
    let none = Policy::from_toml_str("t.toml", policy_table!("t", "T")).unwrap();
    assert_eq!(
        none.calls_due(&[], d(2026, 3, 3)),
        Err(FollowupError::NoFollowup)
    );
}

#[test]
fn c1_c2_windows_in_working_days_skip_holidays_and_count_make_up_days() {
    let text = concat!(
        policy_table!("t", "T"),
        r#"[calendar]
weekend = ["saturday", "sunday"]
holidays = [
  { from = 2026-02-15, to = 2026-02-23, name = "春节" },
  { from = 2026-10-01, to = 2026-10-07, name = "国庆节" },
]
makeup_working_days = [2026-02-14, 2026-02-28, 2026-10-10]
[followup.calls.first]
anchor = "card_received"
closes = { working_days = 2 }
[followup.calls.exact]
anchor = "card_received"
closes = { working_days = 2, hours = 0 }
[followup.calls.fourth]
anchor = "parents_meeting"
opens = { working_days = -3 }
closes = { working_days = -1 }
"#
    );
    let p = Policy::from_toml_str("t.toml", text).unwrap();
    let m = Member {
        card_received: Some(t(2026, 9, 30, 10, 0)),
        parents_meeting: Some(d(2026, 2, 25)),
        ..member(d(2026, 1, 5))
    };
    let as_of = t(2027, 1, 1, 0, 0);
    // National Day: two working days after Wednesday 30 September are
    // Thursday 8 and Friday 9 October.
    assert_eq!(window(&p, &m, "first", as_of).1, end(2026, 10, 9));
    assert_eq!(window(&p, &m, "exact", as_of).1, t(2026, 10, 9, 10, 0));
    // Spring Festival: three working days before Wednesday 25 February are
    // Tuesday 24, the make-up Saturday 14 and Friday 13 February.
    assert_eq!(
        window(&p, &m, "fourth", as_of),
        (t(2026, 2, 13, 0, 0), end(2026, 2, 24))
    );
}
