//! The working-day calendar of the shipped policies (2026 statutory holidays).

use chrono::NaiveDate;
use cs_policy::{DayKind, Policy};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

#[test]
fn national_day_block_and_its_makeup_saturday() {
    let policy = Policy::example("education").unwrap_or_else(|e| panic!("{e}"));
    let cal = policy.calendar();
    for d in 1..=7 {
        assert_eq!(cal.day(date(2026, 10, d)).kind, DayKind::Holiday, "10-{d}");
    }
    assert_eq!(
        cal.holiday(date(2026, 10, 4)).map(|h| h.name()),
        Some("国庆节")
    );
    assert_eq!(cal.day(date(2026, 10, 8)).kind, DayKind::Working);
    assert_eq!(cal.day(date(2026, 10, 10)).kind, DayKind::MakeupWorking);
    assert_eq!(cal.day(date(2026, 10, 11)).kind, DayKind::Weekend);
    // October 2026: 22 weekdays, 5 of them in the holiday block, plus Saturday 10 October.
    assert_eq!(cal.working_days(date(2026, 10, 1), date(2026, 10, 31)), 18);
}

#[test]
fn working_days_cross_the_year_end_and_new_year_holiday() {
    let policy = Policy::example("shop").unwrap_or_else(|e| panic!("{e}"));
    let cal = policy.calendar();
    // Wednesday 31 December 2025 + 1 working day: 1–3 January are off, Sunday 4 January is worked.
    assert_eq!(
        cal.add_working_days(date(2025, 12, 31), 1),
        Some(date(2026, 1, 4))
    );
    assert_eq!(
        cal.add_working_days(date(2025, 12, 31), 2),
        Some(date(2026, 1, 5))
    );
    assert_eq!(
        cal.add_working_days(date(2026, 1, 5), 0),
        Some(date(2026, 1, 5))
    );
    assert_eq!(cal.working_days(date(2026, 1, 5), date(2026, 1, 4)), 0);
}

#[test]
fn a_calendar_day_cites_the_holiday_clause_with_its_source() {
    let policy = Policy::example("shop").unwrap_or_else(|e| panic!("{e}"));
    let day = policy.calendar().day(date(2026, 2, 16));
    let clause = policy.clause(day.clause);
    assert_eq!(clause.id(), "calendar.holidays[1]");
    assert_eq!(clause.label(), Some("春节"));
    assert_eq!(
        clause.source(),
        Some("国务院办公厅关于2026年部分节假日安排的通知")
    );
    assert_eq!(
        policy.cite(day.clause).to_string(),
        "calendar.holidays[1] «春节» [国务院办公厅关于2026年部分节假日安排的通知]"
    );
}

#[test]
fn a_friday_off_work_week_has_friday_as_its_weekend() {
    // S8: the call centre works Saturday to Thursday.
    let policy = Policy::example("call-centre").unwrap_or_else(|e| panic!("{e}"));
    let cal = policy.calendar();
    assert_eq!(cal.day(date(2026, 11, 20)).kind, DayKind::Weekend); // a Friday
    assert_eq!(cal.day(date(2026, 11, 21)).kind, DayKind::Working); // a Saturday
}

#[test]
fn rounding_is_half_away_from_zero_to_the_fen() {
    let policy = Policy::example("shop").unwrap_or_else(|e| panic!("{e}"));
    let r = policy.rounding();
    let d = |s: &str| s.parse::<rust_decimal::Decimal>().unwrap_or_default();
    assert_eq!(r.round(d("0.125")), d("0.13"));
    assert_eq!(r.round(d("-0.125")), d("-0.13"));
    assert_eq!(r.round(d("2.675")), d("2.68"));
}

#[test]
fn a_makeup_saturday_cites_its_entry_and_inherits_the_calendar_source() {
    let policy = Policy::example("education").unwrap_or_else(|e| panic!("{e}"));
    let day = policy.calendar().day(date(2026, 10, 10));
    assert_eq!(
        policy.cite(day.clause).to_string(),
        "calendar.makeup_working_days[5] [国务院办公厅关于2026年部分节假日安排的通知]"
    );
}
