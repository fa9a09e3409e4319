//! The attendance decisions allocate nothing, and bad arguments are typed
//! errors, never panics.

use chrono::{NaiveDate, NaiveDateTime};
use cs_policy::attendance::{AbsenceReason, AfterEndKind, DayError, DayStatus, Punches};
use cs_policy::shift::ShiftRef;
use cs_policy::{CalendarError, Policy};

use super::allocations;

fn at(date: NaiveDate, h: u32, m: u32) -> NaiveDateTime {
    date.and_hms_opt(h, m, 0).unwrap()
}

/// A1, A2, A4 on education's regular shift (09:00–20:00 on weekdays):
/// every kind of day, each classified without allocating.
#[test]
fn a1_a2_a4_one_day_allocates_nothing() {
    let policy = Policy::example("education").unwrap();
    let regular = policy.shift_ref("regular");
    let date = NaiveDate::from_ymd_opt(2026, 3, 3).unwrap();
    let both = |h, m, oh, om| Punches::Both {
        clock_in: at(date, h, m),
        clock_out: at(date, oh, om),
        overtime_approved: false,
    };
    let cases = [
        (
            Punches::Arrived(at(date, 9, 12)),
            DayStatus::Late { minutes: 12 },
            Some("20"),
        ),
        (
            Punches::Arrived(at(date, 9, 30)),
            DayStatus::Late { minutes: 30 },
            Some("20"),
        ),
        (
            Punches::Arrived(at(date, 9, 31)),
            DayStatus::Absent {
                reason: AbsenceReason::LateBeyondLimit { minutes: 31 },
            },
            Some("50"),
        ),
        (both(9, 0, 20, 0), DayStatus::OnTime, None),
        (
            both(9, 0, 19, 30),
            DayStatus::EarlyLeave { minutes: 30 },
            Some("20"),
        ),
        (
            both(9, 10, 19, 45),
            DayStatus::LateAndEarlyLeave {
                late: 10,
                early: 15,
            },
            Some("40"),
        ),
        (
            Punches::Neither,
            DayStatus::Absent {
                reason: AbsenceReason::NoPunch,
            },
            Some("50"),
        ),
    ];
    for (punches, status, amount) in cases {
        let (day, n) = allocations(|| policy.attendance_day(regular, date, punches));
        let day = day.unwrap();
        assert_eq!(n, 0, "{punches:?}");
        assert_eq!(day.status, status, "{punches:?}");
        assert_eq!(
            day.deduction.map(|d| d.amount.to_string()).as_deref(),
            amount
        );
    }
}

/// S1, S2: the shop's night shift 17:30–01:00 belongs to the day it starts;
/// staying past 01:00 while serving is an extension. A day off is a
/// holiday or a rest day. None of it allocates.
#[test]
fn s1_s2_night_shift_and_days_off_allocate_nothing() {
    let policy = Policy::example("shop").unwrap();
    let night = policy.shift_ref("p1_night");
    let date = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
    let next = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
    let punches = Punches::Both {
        clock_in: at(date, 17, 30),
        clock_out: at(next, 1, 40),
        overtime_approved: false,
    };
    let (day, n) = allocations(|| policy.attendance_day(night, date, punches));
    let day = day.unwrap();
    assert_eq!(n, 0);
    assert_eq!(day.status, DayStatus::OnTime);
    let after = day.after_end.unwrap();
    assert_eq!((after.kind, after.minutes), (AfterEndKind::Extension, 40));

    let national_day = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
    let (day, n) = allocations(|| policy.attendance_day(None, national_day, Punches::Neither));
    assert_eq!((day.unwrap().status, n), (DayStatus::Holiday, 0));
    let (day, n) = allocations(|| policy.attendance_day(None, date, Punches::Neither));
    assert_eq!((day.unwrap().status, n), (DayStatus::Rest, 0));
}

/// Bad arguments are typed errors naming what was asked, never a panic:
/// a shift id education does not define, and the shop's shift handed to
/// education (resolved by its id there, never by its place).
#[test]
fn an_unknown_shift_is_an_error_naming_it() {
    let education = Policy::example("education").unwrap();
    let shop = Policy::example("shop").unwrap();
    let date = NaiveDate::from_ymd_opt(2026, 3, 3).unwrap();
    assert_eq!(education.shift_ref("night"), None);
    for (shift, id) in [
        (ShiftRef::from_id("night"), "night"),
        (shop.shift_ref("p1_day").unwrap(), "p1_day"),
    ] {
        let err = education
            .attendance_day(Some(shift), date, Punches::Arrived(at(date, 9, 0)))
            .unwrap_err();
        assert_eq!(
            err,
            DayError::UnknownShift {
                shift: id.into(),
                date
            }
        );
        assert!(err.to_string().contains(&format!("`{id}`")), "{err}");
    }
}

/// A day punched out before it was punched in is refused with both punches;
/// a night shift's out punch on the next date is not.
#[test]
fn out_before_in_is_an_error_naming_both_punches() {
    let shop = Policy::example("shop").unwrap();
    let day = shop.shift_ref("p1_day").unwrap();
    let date = NaiveDate::from_ymd_opt(2026, 3, 3).unwrap();
    let (clock_in, clock_out) = (at(date, 17, 30), at(date, 8, 30));
    let punches = Punches::Both {
        clock_in,
        clock_out,
        overtime_approved: false,
    };
    let err = shop.attendance_day(Some(day), date, punches).unwrap_err();
    assert_eq!(
        err,
        DayError::OutBeforeIn {
            date,
            clock_in,
            clock_out
        }
    );
    assert_eq!(
        err.to_string(),
        "the shift of 2026-03-03 was punched out at 2026-03-03 08:30:00 before it was punched in at 2026-03-03 17:30:00; correct the punches"
    );
    // A punch two days after the shift's date belongs to another shift.
    let far = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
    let punches = Punches::Both {
        clock_in: at(date, 8, 30),
        clock_out: at(far, 17, 30),
        overtime_approved: false,
    };
    assert_eq!(
        shop.attendance_day(Some(day), date, punches),
        Err(DayError::PunchFarFromShift {
            date,
            punch: at(far, 17, 30)
        })
    );
}

/// A date the holiday calendars do not cover (the shop names cn-2026
/// only) is an error naming the date, rostered or not.
#[test]
fn a_date_the_calendar_does_not_cover_is_an_error_naming_it() {
    let shop = Policy::example("shop").unwrap();
    let day = shop.shift_ref("p1_day").unwrap();
    let date = NaiveDate::from_ymd_opt(2027, 2, 8).unwrap();
    let not_covered = DayError::Calendar(CalendarError::NotCovered {
        date,
        first_year: 2026,
        last_year: 2026,
    });
    for shift in [Some(day), None] {
        let err = shop
            .attendance_day(shift, date, Punches::Arrived(at(date, 8, 30)))
            .unwrap_err();
        assert_eq!(err, not_covered);
        assert!(err.to_string().contains("`2027-02-08`"), "{err}");
    }
}

/// A policy without attendance or shift rules says which section it lacks.
#[test]
fn a_policy_without_attendance_rules_says_so() {
    let fintech = Policy::example("fintech").unwrap();
    let date = NaiveDate::from_ymd_opt(2026, 3, 3).unwrap();
    assert_eq!(
        fintech.attendance_day(None, date, Punches::Neither),
        Err(DayError::NoAttendanceRules)
    );
}
