//! Invariants of due windows (C1–C4) and shipping windows (R2), over any dates.

use chrono::{Datelike, NaiveDate, TimeDelta};
use cs_policy::Policy;
use cs_policy::followup::{CallStatus, Member};
use proptest::prelude::*;

fn any_date() -> impl Strategy<Value = NaiveDate> {
    // 2020-01-01 .. about 2035.
    (0i64..5500).prop_map(|n| NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + TimeDelta::days(n))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// C1–C4: every window opens before it closes, and the second call's
    /// window is exactly the deal day plus 14 days (C2).
    #[test]
    fn c2_windows_are_ordered_and_two_weeks_is_exact(
        deal in any_date(),
        card_after in 0i64..10_000,
        meeting_after in 30i64..400,
        birth in any_date(),
    ) {
        let p = Policy::example("education").unwrap();
        let m = Member {
            id: "M".into(),
            deal,
            card_received: Some(deal.and_hms_opt(0, 0, 0).unwrap() + TimeDelta::minutes(card_after)),
            parents_meeting: Some(deal + TimeDelta::days(meeting_after)),
            birthday: Some(birth),
            vip: false,
        };
        let as_of = (deal + TimeDelta::days(800)).and_hms_opt(0, 0, 0).unwrap();
        let checks = p.check_calls(std::slice::from_ref(&m), &[], as_of).unwrap();
        let f = p.followup().unwrap();
        for c in &checks {
            prop_assert!(c.window.opens <= c.window.closes);
            prop_assert_eq!(c.status, CallStatus::Missed);
            let id = f.call(c.call).unwrap().id();
            if id == "second" {
                prop_assert_eq!(c.window.closes.date(), deal + TimeDelta::days(14));
            }
            if id == "third" {
                // A month and 15 days: between 43 and 46 days.
                let days = (c.window.closes.date() - deal).num_days();
                prop_assert!((43..=46).contains(&days), "{days}");
            }
            if id == "birthday" {
                prop_assert_eq!(c.window.opens.date().month(), if birth.month() == 2 && birth.day() == 29 { 2 } else { birth.month() });
                prop_assert!(c.window.opens.date() >= deal);
            }
        }
    }

    /// R2: shipping days are working days of the policy calendar, in order.
    #[test]
    fn r2_shipping_windows_land_on_working_days_in_order(
        paid in (0i64..365).prop_map(|n| NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + TimeDelta::days(n))
    ) {
        let p = Policy::example("shop").unwrap();
        let cal = p.calendar();
        let s = match p.shipping_promise(paid) {
            Ok(s) => s,
            // Late in the year the count runs past the calendar's 2026: an
            // error naming the date, never a silent ordinary day.
            Err(cs_policy::orders::OrderError::Calendar(e)) => {
                prop_assert!(e.to_string().contains("which cover 2026"));
                return Ok(());
            }
            Err(e) => panic!("{e}"),
        };
        for day in [s.ship_from, s.ship_by, s.arrive_from, s.arrive_by] {
            prop_assert_eq!(cal.is_working_day(day), Ok(true));
            prop_assert!(day > paid);
        }
        prop_assert!(s.ship_from <= s.ship_by);
        prop_assert!(s.arrive_from <= s.arrive_by);
        prop_assert_eq!(cal.working_days(paid + TimeDelta::days(1), s.ship_by), Ok(3));
        prop_assert_eq!(cal.working_days(paid + TimeDelta::days(1), s.arrive_by), Ok(7));
    }

    /// C3: the entry deadline is a Tuesday evening, at most eight days after
    /// the card, and never before it.
    #[test]
    fn c3_entry_deadline_is_the_next_tuesday_evening(day in any_date(), minute in 0i64..1440) {
        let p = Policy::example("education").unwrap();
        let card = day.and_hms_opt(0, 0, 0).unwrap() + TimeDelta::minutes(minute);
        let e = p.data_entry(card, None).unwrap();
        prop_assert_eq!(e.entry_due.date().weekday(), chrono::Weekday::Tue);
        prop_assert_eq!(e.batch_due.date().weekday(), chrono::Weekday::Mon);
        prop_assert!(e.batch_due >= card);
        prop_assert!(e.entry_due - card <= TimeDelta::days(8) + TimeDelta::hours(20));
    }
}

proptest! {
    /// C5–C11: any day's records give a report or a named error, never a
    /// panic; with every record on the day and no reply before its message,
    /// every record is checked against each promise that applies to it.
    #[test]
    fn c5_c11_any_day_log_is_reported_without_panicking(
        calls in proptest::collection::vec((0i64..86_400, any::<bool>(), any::<bool>(), proptest::option::of(any::<u8>()), any::<u32>(), proptest::option::of(any::<u32>())), 0..30),
        chats in proptest::collection::vec((0i64..86_400, proptest::option::of(-100i64..10_000), any::<bool>()), 0..10),
        visits in proptest::collection::vec((0i64..86_400, -60i64..60, any::<bool>(), 0u32..20, any::<bool>()), 0..5),
        home_visits in 0u32..5,
    ) {
        use cs_policy::followup::{Call, Chat, ChatKind, DayLog, Direction, Visit};
        let date = NaiveDate::from_ymd_opt(2026, 10, 8).unwrap();
        let start = date.and_hms_opt(0, 0, 0).unwrap();
        let day = DayLog {
            date,
            home_visits,
            calls: calls.iter().map(|&(s, out, eff, rings, dur, wait)| Call {
                at: start + TimeDelta::seconds(s),
                direction: if out { Direction::Outgoing } else { Direction::Incoming },
                effective: eff,
                to_unverified: eff,
                rings,
                duration_secs: dur,
                hang_up_wait_secs: wait,
            }).collect(),
            chats: chats.iter().map(|&(s, reply, basic)| Chat {
                received: start + TimeDelta::seconds(s),
                first_reply: reply.map(|r| start + TimeDelta::seconds(s + r)),
                kind: if basic { ChatKind::Basic } else { ChatKind::Enquiry },
            }).collect(),
            visits: visits.iter().map(|&(s, early, answered, waited, card)| Visit {
                appointment: start + TimeDelta::seconds(s),
                arrived: start + TimeDelta::seconds(s) - TimeDelta::minutes(early),
                door_answered: answered,
                waited_minutes: waited,
                card_left: card,
            }).collect(),
            ..DayLog::default()
        };
        for name in ["shop", "education", "property", "fintech", "call-centre"] {
            let p = Policy::example(name).unwrap();
            let backwards = chats.iter().any(|&(_, r, _)| r.is_some_and(|r| r < 0));
            match p.day_report(&day) {
                Ok(report) => {
                    prop_assert!(!backwards);
                    for q in &report.quotas {
                        prop_assert_eq!(q.kept, q.made >= q.required);
                    }
                    for c in &report.promises {
                        prop_assert!(!c.clause.id().is_empty());
                    }
                }
                Err(e) => prop_assert!(backwards, "{e}"),
            }
        }
    }
}
