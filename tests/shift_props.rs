//! Property tests of roster checks (S1, S3, S4, S10).

use chrono::{Datelike, Duration, NaiveDate};
use cs_policy::Policy;
use cs_policy::shift::{BreachKind, Roster, RosterEntry};
use proptest::prelude::*;

fn shop() -> &'static Policy {
    static P: std::sync::OnceLock<Policy> = std::sync::OnceLock::new();
    P.get_or_init(|| Policy::example("shop").unwrap())
}

const SHIFTS: [&str; 7] = [
    "p1_day",
    "p1_night",
    "p2_day",
    "p2_night",
    "p3_day",
    "p3_night",
    "p3_regular",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Any roster is checked without panicking, and every breach lies in the period.
    #[test]
    fn s10_every_breach_is_dated_inside_the_period(
        start in 0i64..700,
        len in 1i64..70,
        picks in proptest::collection::vec((0usize..4, 0i64..70, 0usize..7), 0..120),
    ) {
        let from = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Duration::days(start);
        let to = from + Duration::days(len - 1);
        let mut entries: Vec<RosterEntry> = Vec::new();
        for (agent, day, shift) in picks {
            let date = from + Duration::days(day % len);
            let agent = ["a", "b", "c", "d"][agent].to_owned();
            if entries.iter().any(|e| e.agent == agent && e.date == date) {
                continue;
            }
            entries.push(RosterEntry { agent, date, shift: SHIFTS[shift].into(), break_start: None, swap: None });
        }
        let breaches = shop().check_roster(&Roster { entries }, from, to).unwrap();
        for b in &breaches {
            prop_assert!(b.date >= from && b.date <= to, "{b:?}");
        }
        prop_assert!(breaches.windows(2).all(|w| w[0].date <= w[1].date));
    }

    /// S3: a run of working days longer than six is reported exactly once,
    /// on its seventh day; six or fewer never.
    #[test]
    fn s3_six_on_one_off_runs(run in 1i64..20, offset in 0i64..5) {
        let from = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let to = from + Duration::days(30);
        let entries = (0..run)
            .map(|d| RosterEntry {
                agent: "a".into(),
                date: from + Duration::days(offset + d),
                shift: "p2_day".into(),
                break_start: None,
                swap: None,
            })
            .collect();
        let breaches: Vec<_> = shop()
            .check_roster(&Roster { entries }, from, to)
            .unwrap()
            .into_iter()
            .filter(|b| matches!(b.kind, BreachKind::TooManyDaysInARow { .. }))
            .collect();
        if run > 6 {
            prop_assert_eq!(breaches.len(), 1);
            prop_assert_eq!(breaches[0].date, from + Duration::days(offset + 6));
        } else {
            prop_assert!(breaches.is_empty());
        }
    }

    /// S4/S10: a month is reported iff it has fewer than four rest days.
    #[test]
    fn s10_four_rest_days_a_month(rest in proptest::collection::btree_set(1u32..=30, 0..8)) {
        let from = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
        let to = from.with_day(30).unwrap();
        let entries = (1..=30)
            .filter(|d| !rest.contains(d))
            .map(|d| RosterEntry {
                agent: "a".into(),
                date: from.with_day(d).unwrap(),
                shift: "p3_regular".into(),
                break_start: None,
                swap: None,
            })
            .collect();
        let breaches: Vec<_> = shop()
            .check_roster(&Roster { entries }, from, to)
            .unwrap()
            .into_iter()
            .filter(|b| matches!(b.kind, BreachKind::TooFewRestDaysInMonth { .. }))
            .collect();
        prop_assert_eq!(breaches.len(), usize::from(rest.len() < 4));
        prop_assert!(breaches.iter().all(|b| b.date.day() == 1));
    }
}
