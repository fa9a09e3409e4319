//! Property tests of the attendance invariants (A1–A5, overnight shifts).

mod common;

use common::example_policy;

use chrono::{Datelike, Duration, NaiveDate};
use cs_policy::Policy;
use cs_policy::attendance::{
    AbsenceReason, AfterEndKind, AgentMonth, DayStatus, LeaveDay, MonthPay, WorkDay,
};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// The education policy over both shipped calendars, 2025 and 2026.
fn education() -> &'static Policy {
    static P: std::sync::OnceLock<Policy> = std::sync::OnceLock::new();
    P.get_or_init(|| {
        example_policy(
            "education",
            &[(
                r#"calendars = ["cn-2026"]"#,
                r#"calendars = ["cn-2025", "cn-2026"]"#,
            )],
        )
    })
}

fn shop() -> &'static Policy {
    static P: std::sync::OnceLock<Policy> = std::sync::OnceLock::new();
    P.get_or_init(|| Policy::example("shop").unwrap())
}

/// One rostered day: (day of month, minutes of in punch from 08:00 or none,
/// minutes of out punch from 18:00 or none, leave: 0 none, 1 approved, 2 not).
type DaySpec = (u32, Option<i64>, Option<i64>, u8);

fn month_of(year: i32, month: u32, specs: &[DaySpec]) -> AgentMonth {
    // Named by id, as facts read back are: any policy with `regular` reads it.
    let shift = cs_policy::shift::ShiftRef::from_id("regular");
    let first = NaiveDate::from_ymd_opt(year, month, 1).unwrap();
    let mut days: Vec<WorkDay> = Vec::new();
    let mut leave = Vec::new();
    for &(d, inn, out, lv) in specs {
        let Some(date) = first.with_day(d) else {
            continue;
        };
        if days.iter().any(|w| w.date == date) {
            continue;
        }
        let base = date.and_hms_opt(0, 0, 0).unwrap();
        days.push(WorkDay {
            date,
            shift,
            clock_in: inn.map(|m| base + Duration::minutes(8 * 60 + m)),
            clock_out: out.map(|m| base + Duration::minutes(18 * 60 + m)),
            overtime_approved: false,
        });
        if lv > 0 {
            leave.push(LeaveDay {
                date,
                approved: lv == 1,
            });
        }
    }
    AgentMonth {
        agent: "p".into(),
        year,
        month,
        days,
        leave,
        pay: Some(MonthPay {
            base_wage: Decimal::new(3000, 0),
            gross: Decimal::new(4000, 0),
        }),
    }
}

fn spec() -> impl Strategy<Value = DaySpec> {
    (
        1u32..=31,
        proptest::option::weighted(0.9, 0i64..200),
        proptest::option::weighted(0.9, 0i64..200),
        prop_oneof![8 => Just(0u8), 1 => Just(1u8), 1 => Just(2u8)],
    )
}

/// A punch in minutes from the midnight that starts its shift's date:
/// anywhere within a week, or at most two minutes from an edge of the
/// rules (the window from the day before to the day after, 09:00 and the
/// 30 minutes after it, 20:00 and the 30 minutes before it).
fn punch_minute() -> impl Strategy<Value = i64> {
    const EDGES: [i64; 6] = [
        -24 * 60,
        48 * 60,
        9 * 60,
        9 * 60 + 30,
        20 * 60,
        20 * 60 - 30,
    ];
    prop_oneof![
        2 => -7 * 24 * 60..7 * 24 * 60i64,
        1 => (proptest::sample::select(&EDGES[..]), -2i64..=2).prop_map(|(e, d)| e + d),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Every date of the month gets exactly one record, in order; rostered
    /// records match the facts; money adds up and is never negative.
    #[test]
    fn a1_a5_month_is_complete_and_adds_up(
        year in 2025i32..=2027,
        month in 1u32..=12,
        specs in proptest::collection::vec(spec(), 0..31),
    ) {
        let p = education();
        let facts = month_of(year, month, &specs);
        if year == 2027 {
            // Past the calendars: an error, never a month of ordinary days.
            prop_assert!(matches!(
                p.attendance_report(&facts),
                Err(cs_policy::attendance::AttendanceError::Calendar(_))
            ));
            return Ok(());
        }
        let r = p.attendance_report(&facts).unwrap();
        let first = NaiveDate::from_ymd_opt(year, month, 1).unwrap();
        // 31 days on is always in the next month: its first day less one.
        let n = (first + Duration::days(31)).with_day(1).unwrap().pred_opt().unwrap().day();
        prop_assert_eq!(r.days.len() as u32, n);
        for (i, d) in r.days.iter().enumerate() {
            prop_assert_eq!(d.date, first + Duration::days(i as i64));
        }
        let rostered = r.days.iter().filter(|d| d.shift.is_some()).count();
        prop_assert_eq!(rostered, facts.days.len());
        prop_assert_eq!(usize::from(r.summary.counts.rostered), rostered);
        let sum: Decimal = r.summary.deductions.iter().map(|d| d.amount).sum();
        prop_assert_eq!(sum, r.summary.total_deducted);
        prop_assert!(r.summary.total_deducted >= Decimal::ZERO);
        // A6: full attendance only with nothing to deduct.
        if r.summary.full_attendance.is_some() {
            prop_assert_eq!(r.summary.total_deducted, Decimal::ZERO);
        }
        // A3: each conversion consumed `count` occurrences.
        let c = r.summary.counts;
        prop_assert!(u32::from(c.converted_absences) * 3 <= u32::from(c.late + c.early_leave));
    }

    /// A1: lateness is the minutes after 09:00, late up to 30 inclusive,
    /// absent beyond.
    #[test]
    fn a1_lateness_threshold_is_exact(minutes in 0i64..=180) {
        let p = education();
        // 2 March 2026 is a Monday: 09:00 start.
        let facts = month_of(2026, 3, &[(2, Some(60 + minutes), Some(2 * 60), 0)]);
        let r = p.attendance_report(&facts).unwrap();
        let m = minutes as u16;
        let expected = match minutes {
            0 => DayStatus::OnTime,
            1..=30 => DayStatus::Late { minutes: m },
            _ => DayStatus::Absent { reason: AbsenceReason::LateBeyondLimit { minutes: m } },
        };
        prop_assert_eq!(r.days[1].status, expected);
    }

    /// A3 and A4: replacing the streak's deductions never costs more than
    /// adding to them.
    #[test]
    fn a3_replacing_never_costs_more_than_adding(
        specs in proptest::collection::vec(spec(), 0..31),
    ) {
        let replaces = education();
        let adds = example_policy("education", &[("converted = \"replaces\"", "converted = \"adds\"")]);
        let facts = month_of(2026, 5, &specs);
        let a = replaces.attendance_report(&facts).unwrap().summary.total_deducted;
        let b = adds.attendance_report(&facts).unwrap().summary.total_deducted;
        prop_assert!(a <= b);
    }

    /// Overnight shifts: on any date (month and year ends included), an out
    /// punch `m` minutes before 01:00 the next day is an early leave of `m`,
    /// and `m` minutes after it an extension of `m` (S1, S2).
    #[test]
    fn s1_s2_overnight_shift_either_side_of_its_end(
        ordinal in 0i64..365,
        m in 1i64..120,
    ) {
        let p = shop();
        let date = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Duration::days(ordinal);
        let end = date.and_hms_opt(0, 0, 0).unwrap() + Duration::hours(25);
        let mk = |out| AgentMonth {
            agent: "n".into(),
            year: date.year(),
            month: date.month(),
            days: vec![WorkDay {
                date,
                shift: p.shift_ref("p1_night").unwrap(),
                clock_in: date.and_hms_opt(17, 30, 0),
                clock_out: Some(out),
                overtime_approved: false,
            }],
            leave: vec![],
            pay: None,
        };
        let i = date.day0() as usize;
        let early = p.attendance_report(&mk(end - Duration::minutes(m))).unwrap();
        prop_assert_eq!(early.days[i].status, DayStatus::EarlyLeave { minutes: m as u16 });
        let late = p.attendance_report(&mk(end + Duration::minutes(m))).unwrap();
        prop_assert_eq!(late.days[i].status, DayStatus::OnTime);
        let ext = late.days[i].after_end.unwrap();
        prop_assert_eq!((ext.kind, ext.minutes), (AfterEndKind::Extension, m as u16));
    }

    /// Any punches on Thursday 31 December 2026 (09:00–20:00) classify by
    /// the rules, or are refused naming the bad punch: A1 late and A2
    /// early up to 30 minutes inclusive, absent beyond (the arrival's limit
    /// first); no punch or one punch absent (education's `missing_punch`);
    /// a punch outside the day before to the day after belongs to another
    /// shift (the in punch named first), and an out punch before the in
    /// punch is an error. A month of one such day deducts A4's amounts.
    #[test]
    fn arbitrary_punches_classify_by_the_rules_or_name_the_bad_punch(
        inn in proptest::option::of(punch_minute()),
        out in proptest::option::of(punch_minute()),
    ) {
        use cs_policy::attendance::{AttendanceError, PunchSide};
        let p = education();
        let facts = month_of(2026, 12, &[(31, inn.map(|m| m - 8 * 60), out.map(|m| m - 18 * 60), 0)]);
        let date = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        let midnight = date.and_hms_opt(0, 0, 0).unwrap();
        let at = |m: i64| midnight + Duration::minutes(m);
        let far = |m: i64| !(-24 * 60..48 * 60).contains(&m);
        let result = p.attendance_report(&facts);
        let expected: Result<DayStatus, AttendanceError> = match (inn, out) {
            (Some(i), Some(o)) if o < i => Err(AttendanceError::OutBeforeIn {
                agent: "p".into(), date, clock_in: at(i), clock_out: at(o),
            }),
            (Some(m), _) | (None, Some(m)) if far(m) => Err(AttendanceError::PunchFarFromShift {
                agent: "p".into(), date, punch: at(m),
            }),
            (Some(_), Some(m)) if far(m) => Err(AttendanceError::PunchFarFromShift {
                agent: "p".into(), date, punch: at(m),
            }),
            (None, None) => Ok(DayStatus::Absent { reason: AbsenceReason::NoPunch }),
            (Some(_), None) => Ok(DayStatus::Absent {
                reason: AbsenceReason::MissingPunch { missing: PunchSide::Out },
            }),
            (None, Some(_)) => Ok(DayStatus::Absent {
                reason: AbsenceReason::MissingPunch { missing: PunchSide::In },
            }),
            (Some(i), Some(o)) => {
                let late = u16::try_from((i - 9 * 60).max(0)).unwrap();
                let early = u16::try_from((20 * 60 - o).max(0)).unwrap();
                Ok(match (late, early) {
                    (31.., _) => DayStatus::Absent {
                        reason: AbsenceReason::LateBeyondLimit { minutes: late },
                    },
                    (_, 31..) => DayStatus::Absent {
                        reason: AbsenceReason::EarlyBeyondLimit { minutes: early },
                    },
                    (0, 0) => DayStatus::OnTime,
                    (0, _) => DayStatus::EarlyLeave { minutes: early },
                    (_, 0) => DayStatus::Late { minutes: late },
                    _ => DayStatus::LateAndEarlyLeave { late, early },
                })
            }
        };
        match (result, expected) {
            (Ok(r), Ok(status)) => {
                prop_assert_eq!(r.days.len(), 31);
                prop_assert_eq!(r.days[30].status, status);
                prop_assert!(r.days[..30].iter().all(|d| d.shift.is_none()));
                // A4: 50 an absence, 20 a late arrival or early leave.
                let deducted = match status {
                    DayStatus::Absent { .. } => 50,
                    DayStatus::Late { .. } | DayStatus::EarlyLeave { .. } => 20,
                    DayStatus::LateAndEarlyLeave { .. } => 40,
                    _ => 0,
                };
                prop_assert_eq!(r.summary.total_deducted, Decimal::from(deducted));
            }
            (got, want) => prop_assert_eq!(got.map(|r| r.days[30].status), want),
        }
    }
}
