//! The attendance decisions beside their hand-written twins: one worked
//! day (shift, date, clock-in, clock-out) classified on the shop's part 1
//! day shift (08:30–17:30; the shop sets no limit and no deduction, so any
//! minute after the start is late and any minute before the end is early,
//! none of it deducted), and on the education policy's regular shift
//! (09:00–20:00; A1/A2: up to 30 minutes inclusive late or early, absent
//! beyond; A4: 20 yuan each, 50 an absence), where every branch the shop
//! skips (limits, deductions, the fund) is taken.
//!
//! `cargo bench --bench decision -- attendance`

use std::hint::black_box;

use chrono::{NaiveDate, NaiveDateTime, Timelike};
use criterion::Criterion;
use cs_policy::attendance::{AbsenceReason, DayStatus, Punches};
use cs_policy::{ClauseRef, Policy};
use rust_decimal::Decimal;

/// Whole minutes from `from` to `to` (seconds of the day), none when
/// negative.
fn minutes(from: u32, to: u32) -> u16 {
    u16::try_from(to.saturating_sub(from) / 60).unwrap_or(u16::MAX)
}

/// The shop's rule written out: late from the first whole minute after
/// 08:30, early from the first before 17:30, no limit, no deduction.
fn shop_by_hand(
    clock_in: NaiveDateTime,
    clock_out: NaiveDateTime,
    clauses: (ClauseRef, ClauseRef, ClauseRef),
) -> (DayStatus, Option<Decimal>, ClauseRef) {
    let (start, end) = (8 * 3600 + 30 * 60, 17 * 3600 + 30 * 60);
    let late = minutes(start, clock_in.num_seconds_from_midnight());
    let early = minutes(clock_out.num_seconds_from_midnight(), end);
    let (section, late_clause, early_clause) = clauses;
    match (late, early) {
        (0, 0) => (DayStatus::OnTime, None, section),
        (late, 0) => (DayStatus::Late { minutes: late }, None, late_clause),
        (0, early) => (DayStatus::EarlyLeave { minutes: early }, None, early_clause),
        (late, early) => (
            DayStatus::LateAndEarlyLeave { late, early },
            None,
            late_clause,
        ),
    }
}

/// Education's rule written out: 09:00–20:00, late or early up to 30
/// minutes inclusive at 20 yuan each, absent beyond at 50.
fn education_by_hand(
    clock_in: NaiveDateTime,
    clock_out: NaiveDateTime,
    clauses: (ClauseRef, ClauseRef, ClauseRef),
) -> (DayStatus, Option<Decimal>, ClauseRef) {
    let late = minutes(9 * 3600, clock_in.num_seconds_from_midnight());
    let early = minutes(clock_out.num_seconds_from_midnight(), 20 * 3600);
    let (section, late_clause, early_clause) = clauses;
    let absent = |reason| DayStatus::Absent { reason };
    let (each, absence) = (Decimal::new(20, 0), Decimal::new(50, 0));
    match (late, early) {
        (31.., _) => (
            absent(AbsenceReason::LateBeyondLimit { minutes: late }),
            Some(absence),
            late_clause,
        ),
        (_, 31..) => (
            absent(AbsenceReason::EarlyBeyondLimit { minutes: early }),
            Some(absence),
            early_clause,
        ),
        (0, 0) => (DayStatus::OnTime, None, section),
        (late, 0) => (DayStatus::Late { minutes: late }, Some(each), late_clause),
        (0, early) => (
            DayStatus::EarlyLeave { minutes: early },
            Some(each),
            early_clause,
        ),
        (late, early) => (
            DayStatus::LateAndEarlyLeave { late, early },
            Some(each + each),
            late_clause,
        ),
    }
}

type ByHand = fn(
    NaiveDateTime,
    NaiveDateTime,
    (ClauseRef, ClauseRef, ClauseRef),
) -> (DayStatus, Option<Decimal>, ClauseRef);

/// One policy's shift, the days to classify (in and out, hours and
/// minutes of Tuesday 3 March 2026) and its hand-written twin.
struct Case {
    name: &'static str,
    policy: Policy,
    shift: &'static str,
    days: Vec<(NaiveDateTime, NaiveDateTime)>,
    by_hand: ByHand,
}

type Punched = ((u32, u32), (u32, u32));

impl Case {
    fn new(name: &'static str, shift: &'static str, days: &[Punched], by_hand: ByHand) -> Self {
        let date = NaiveDate::from_ymd_opt(2026, 3, 3).expect("a Tuesday");
        let at = |(h, m)| date.and_hms_opt(h, m, 0).expect("a time");
        Self {
            name,
            policy: Policy::example(name).expect("a shipped example"),
            shift,
            days: days.iter().map(|&(i, o)| (at(i), at(o))).collect(),
            by_hand,
        }
    }
}

fn cases() -> [Case; 2] {
    [
        // On time, late 12, early 20, late 5 and early 45.
        Case::new(
            "shop",
            "p1_day",
            &[
                ((8, 25), (17, 30)),
                ((8, 42), (17, 31)),
                ((8, 30), (17, 10)),
                ((8, 35), (16, 45)),
            ],
            shop_by_hand,
        ),
        // On time, late 30 (the limit, still late), absent at 31 late,
        // late 10 and early 15, absent at 31 early.
        Case::new(
            "education",
            "regular",
            &[
                ((8, 55), (20, 0)),
                ((9, 30), (20, 0)),
                ((9, 31), (20, 0)),
                ((9, 10), (19, 45)),
                ((9, 0), (19, 29)),
            ],
            education_by_hand,
        ),
    ]
}

/// The clauses the hand-written twin cites, by their paths: the
/// section's, the late limit's and the early limit's (the section's where
/// the policy states no limit).
fn clauses(case: &Case) -> (ClauseRef, ClauseRef, ClauseRef) {
    let section = ClauseRef::from_id("attendance");
    match case.name {
        "shop" => (section, section, section),
        _ => (
            section,
            ClauseRef::from_id("attendance.late"),
            ClauseRef::from_id("attendance.early_leave"),
        ),
    }
}

pub fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("decision/attendance");
    for case in cases() {
        let policy = &case.policy;
        let shift = policy.shift_ref(case.shift).expect("the shift exists");
        let clauses = clauses(&case);
        // The twin must give the call's answer on every day benched.
        for &(clock_in, clock_out) in &case.days {
            let punches = Punches::Both {
                clock_in,
                clock_out,
                overtime_approved: false,
            };
            let day = policy
                .attendance_day(Some(shift), clock_in.date(), punches)
                .expect("a day the policy classifies");
            let (status, amount, clause) = (case.by_hand)(clock_in, clock_out, clauses);
            assert_eq!(
                (day.status, day.deduction.map(|d| d.amount), day.clause),
                (status, amount, clause),
                "{}: {clock_in} to {clock_out}",
                case.name
            );
        }
        let days = &case.days;
        g.bench_function(format!("{}: Policy::attendance_day", case.name), |b| {
            let mut i = 0;
            b.iter(|| {
                i = (i + 1) % days.len();
                let (clock_in, clock_out) = days[i];
                policy.attendance_day(
                    black_box(Some(shift)),
                    black_box(clock_in.date()),
                    black_box(Punches::Both {
                        clock_in,
                        clock_out,
                        overtime_approved: false,
                    }),
                )
            });
        });
        g.bench_function(format!("{}: by hand", case.name), |b| {
            let mut i = 0;
            b.iter(|| {
                i = (i + 1) % days.len();
                let (clock_in, clock_out) = days[i];
                (case.by_hand)(black_box(clock_in), black_box(clock_out), clauses)
            });
        });
    }
    g.finish();
}
