//! Attendance through the public API, pinning the handbooks' numbers (A1–A10,
//! with S2, S5, S7, S8 where a day's classification shows them).

mod common;

use common::example_policy;

use chrono::{NaiveDate, NaiveDateTime};
use cs_policy::Policy;
use cs_policy::attendance::{
    AbsenceReason, ActionKind, AfterEndKind, AgentLeave, AgentMonth, AttendanceCounts,
    AttendanceError, DayStatus, DeductionKind, LeaveDay, MonthPay, MonthReport, Punch, PunchSide,
    WorkDay,
};
use cs_policy::shift::{Roster, RosterEntry};
use rust_decimal::Decimal;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(d: NaiveDate, h: u32, min: u32) -> Option<NaiveDateTime> {
    d.and_hms_opt(h, min, 0)
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn education() -> Policy {
    Policy::example("education").unwrap()
}

/// A weekday of March 2026 on the education policy's regular shift (09:00–20:00).
fn edu_day(p: &Policy, d: u32, inn: (u32, u32), out: (u32, u32)) -> WorkDay {
    let date = date(2026, 3, d);
    WorkDay {
        date,
        shift: p.shift_ref("regular").unwrap(),
        clock_in: at(date, inn.0, inn.1),
        clock_out: at(date, out.0, out.1),
        overtime_approved: false,
    }
}

fn on_time(p: &Policy, d: u32) -> WorkDay {
    edu_day(p, d, (9, 0), (20, 0))
}

fn late(p: &Policy, d: u32, minutes: u32) -> WorkDay {
    edu_day(p, d, (9 + minutes / 60, minutes % 60), (20, 0))
}

fn absent(p: &Policy, d: u32) -> WorkDay {
    let mut day = on_time(p, d);
    day.clock_in = None;
    day.clock_out = None;
    day
}

fn month(days: Vec<WorkDay>) -> AgentMonth {
    AgentMonth {
        agent: "li".into(),
        year: 2026,
        month: 3,
        days,
        leave: vec![],
        pay: Some(MonthPay {
            base_wage: dec("3000"),
            gross: dec("4200"),
        }),
    }
}

fn report(p: &Policy, m: &AgentMonth) -> MonthReport {
    p.attendance_report(m).unwrap()
}

fn status(r: &MonthReport, d: u32) -> DayStatus {
    r.days[d as usize - 1].status
}

fn clause_id(r: &MonthReport, d: u32) -> String {
    (r.days[d as usize - 1].clause).id().to_owned()
}

fn line(r: &MonthReport, kind: DeductionKind) -> Option<&cs_policy::attendance::Deduction> {
    r.summary.deductions.iter().find(|d| d.kind == kind)
}

/// A1, A2: a day's punches on the education policy's regular shift
/// (09:00–20:00), each alone in its month: (case, in as (h, m, s), out as
/// (h, m), the day's status, its clause where pinned).
#[test]
fn a1_a2_each_days_punches_give_its_status() {
    let p = education();
    let late_by = |minutes| DayStatus::Absent {
        reason: AbsenceReason::LateBeyondLimit { minutes },
    };
    let early_by = |minutes| DayStatus::Absent {
        reason: AbsenceReason::EarlyBeyondLimit { minutes },
    };
    #[rustfmt::skip]
    let rows = [
        ("a1_thirty_minutes_late_is_late_thirty_one_is_absent (30)", (9, 30, 0), (20, 0),
         DayStatus::Late { minutes: 30 }, Some("attendance.late")),
        ("a1_thirty_minutes_late_is_late_thirty_one_is_absent (31)", (9, 31, 0), (20, 0),
         late_by(31), Some("attendance.late")),
        ("a1_part_minutes_are_dropped_and_one_minute_is_late (0:59)", (9, 0, 59), (20, 0), DayStatus::OnTime, None),
        ("a1_part_minutes_are_dropped_and_one_minute_is_late (1:00)", (9, 1, 0), (20, 0), DayStatus::Late { minutes: 1 }, None),
        ("a2_thirty_minutes_early_is_early_leave_thirty_one_is_absent (30)", (9, 0, 0), (19, 30),
         DayStatus::EarlyLeave { minutes: 30 }, None),
        ("a2_thirty_minutes_early_is_early_leave_thirty_one_is_absent (31)", (9, 0, 0), (19, 29),
         early_by(31), Some("attendance.early_leave")),
        // Late and early on one day: two occurrences, 20 each (A4).
        ("a2_thirty_minutes_early_is_early_leave_thirty_one_is_absent (late and early)", (9, 10, 0), (19, 50),
         DayStatus::LateAndEarlyLeave { late: 10, early: 10 }, None),
    ];
    for (case, (h, m, sec), out, want, clause) in rows {
        let mut day = edu_day(&p, 2, (h, m), out);
        day.clock_in = date(2026, 3, 2).and_hms_opt(h, m, sec);
        let r = report(&p, &month(vec![day]));
        assert_eq!(status(&r, 2), want, "{case}");
        if let Some(clause) = clause {
            assert_eq!(clause_id(&r, 2), clause, "{case}");
        }
    }
}

/// A1: a late day cites the handbook's clause.
#[test]
fn a1_a_late_day_cites_its_source() {
    let p = education();
    let r = report(&p, &month(vec![late(&p, 2, 30)]));
    assert_eq!(
        p.clause(r.days[1].clause).unwrap().source(),
        Some("001 ch.2 B 三.1")
    );
}

#[test]
fn a3_lates_on_three_working_days_in_a_row_count_as_one_absence() {
    let p = education();
    // The education policy reads 连续 as working days in a row (its own choice).
    let r = report(
        &p,
        &month(vec![
            late(&p, 2, 5),
            edu_day(&p, 3, (9, 0), (19, 55)),
            late(&p, 4, 5),
        ]),
    );
    assert_eq!(r.summary.conversions.len(), 1);
    assert_eq!(r.summary.conversions[0].date, date(2026, 3, 4));
    assert_eq!((r.summary.conversions[0].clause).id(), "attendance.streak");
    assert_eq!(r.summary.counts.converted_absences, 1);
    // The converted absence replaces the three 20-yuan deductions (the file's choice).
    assert!(line(&r, DeductionKind::Late).is_none());
    assert!(line(&r, DeductionKind::EarlyLeave).is_none());
    let conv = line(&r, DeductionKind::ConvertedAbsence).unwrap();
    assert_eq!((conv.count, conv.amount), (1, dec("50")));
    assert_eq!(r.summary.total_deducted, dec("50"));
}

#[test]
fn a3_occurrences_stay_available_and_ignore_on_time_days_between() {
    let p = example_policy(
        "education",
        &[(
            "consecutive = \"working_days\"",
            "consecutive = \"occurrences\"",
        )],
    );
    let days = |p: &Policy| {
        month(vec![
            late(p, 2, 5),
            on_time(p, 3),
            late(p, 4, 5),
            edu_day(p, 5, (9, 0), (19, 55)),
        ])
    };
    let r = report(&p, &days(&p));
    assert_eq!(r.summary.conversions.len(), 1);
    assert_eq!(r.summary.conversions[0].date, date(2026, 3, 5));
    assert_eq!(r.summary.total_deducted, dec("50"));
    // The shipped reading: the on-time day breaks the run, three 20s remain.
    let shipped = education();
    let r = report(&shipped, &days(&shipped));
    assert!(r.summary.conversions.is_empty());
    assert_eq!(r.summary.total_deducted, dec("60"));
}

#[test]
fn a3_four_lates_are_one_absence_and_one_late() {
    let p = education();
    let r = report(
        &p,
        &month(vec![
            late(&p, 2, 5),
            late(&p, 3, 5),
            late(&p, 4, 5),
            late(&p, 5, 5),
        ]),
    );
    let l = line(&r, DeductionKind::Late).unwrap();
    assert_eq!(
        (l.count, l.amount, l.date),
        (1, dec("20"), date(2026, 3, 5))
    );
    assert_eq!(r.summary.total_deducted, dec("70"));
}

const EDU_ADDS_WORKING_DAYS: &str = "consecutive = \"working_days\"\nconverted = \"adds\"";

fn education_variant() -> Policy {
    example_policy(
        "education",
        &[(
            "consecutive = \"working_days\"\n# This file's own choice: the converted absence (50) replaces the three\n# 20-yuan deductions.\nconverted = \"replaces\"",
            EDU_ADDS_WORKING_DAYS,
        )],
    )
}

#[test]
fn a3_working_days_run_is_broken_by_an_on_time_day_and_adds_to_deductions() {
    let p = education_variant();
    let broken = report(
        &p,
        &month(vec![
            late(&p, 2, 5),
            on_time(&p, 3),
            late(&p, 4, 5),
            late(&p, 5, 5),
        ]),
    );
    assert!(broken.summary.conversions.is_empty());
    assert_eq!(broken.summary.total_deducted, dec("60"));
    // Three rostered days in a row across an unrostered rest day: one
    // conversion, added to the three lates: 3 × 20 + 50.
    let run = report(
        &p,
        &month(vec![late(&p, 5, 5), late(&p, 6, 5), late(&p, 9, 5)]),
    );
    assert_eq!(run.summary.conversions.len(), 1);
    assert_eq!(run.summary.total_deducted, dec("110"));
}

#[test]
fn a4_twenty_per_late_or_early_leave_fifty_per_absence() {
    let p = education();
    let r = report(
        &p,
        &month(vec![
            late(&p, 2, 10),
            on_time(&p, 3),
            absent(&p, 4),
            on_time(&p, 5),
            edu_day(&p, 6, (9, 0), (19, 45)),
        ]),
    );
    let l = line(&r, DeductionKind::Late).unwrap();
    assert_eq!((l.count, l.each, l.amount), (1, dec("20"), dec("20")));
    let e = line(&r, DeductionKind::EarlyLeave).unwrap();
    assert_eq!((e.count, e.amount), (1, dec("20")));
    let a = line(&r, DeductionKind::Absence).unwrap();
    assert_eq!(
        (a.count, a.amount, a.date),
        (1, dec("50"), date(2026, 3, 4))
    );
    assert_eq!(a.clause.id(), "attendance.deductions");
    assert_eq!(
        p.clause(a.clause).unwrap().source(),
        Some("001 ch.2 B 三.2")
    );
    assert_eq!(r.summary.total_deducted, dec("90"));
    assert_eq!(
        status(&r, 4),
        DayStatus::Absent {
            reason: AbsenceReason::NoPunch
        }
    );
}

#[test]
fn a5_three_consecutive_absences_take_half_the_base_wage_at_the_last() {
    let p = education();
    let r = report(
        &p,
        &month(vec![
            absent(&p, 2),
            absent(&p, 3),
            absent(&p, 4),
            on_time(&p, 5),
        ]),
    );
    let share = line(&r, DeductionKind::ShareOfPay).unwrap();
    assert_eq!(share.date, date(2026, 3, 4));
    assert_eq!(share.each, dec("50"));
    assert_eq!(share.amount, dec("1500.00")); // 50% of the base wage 3000
    assert_eq!(share.clause.id(), "attendance.absence_streak");
    // 3 × 50 + 1500.
    assert_eq!(r.summary.total_deducted, dec("1650"));
    assert!(r.summary.actions.is_empty());
}

#[test]
fn a5_five_consecutive_absences_trigger_a_dismissal_review() {
    let p = education();
    let days = (2..=6).map(|d| absent(&p, d)).collect();
    let r = report(&p, &month(days));
    assert_eq!(r.summary.actions.len(), 1);
    let action = r.summary.actions[0];
    assert_eq!(action.kind, ActionKind::DismissalReview);
    assert_eq!(action.date, date(2026, 3, 6));
    // The share of pay is taken once, at the third absence.
    let shares: Vec<_> = r
        .summary
        .deductions
        .iter()
        .filter(|d| d.kind == DeductionKind::ShareOfPay)
        .collect();
    assert_eq!(shares.len(), 1);
    assert_eq!(shares[0].date, date(2026, 3, 4));
}

#[test]
fn a5_an_absence_run_broken_by_a_worked_day_takes_nothing() {
    let p = education();
    let r = report(
        &p,
        &month(vec![
            absent(&p, 2),
            absent(&p, 3),
            on_time(&p, 4),
            absent(&p, 5),
        ]),
    );
    assert!(line(&r, DeductionKind::ShareOfPay).is_none());
    assert_eq!(r.summary.total_deducted, dec("150"));
}

#[test]
fn a5_without_the_months_pay_is_a_clear_error() {
    let p = education();
    let mut m = month(vec![absent(&p, 2), absent(&p, 3), absent(&p, 4)]);
    m.pay = None;
    let err = p.attendance_report(&m).unwrap_err();
    assert_eq!(
        err,
        AttendanceError::PayNeeded {
            agent: "li".into(),
            date: date(2026, 3, 4)
        }
    );
}

#[test]
fn a6_full_attendance_is_earned_and_lost() {
    let p = education();
    let clean = report(&p, &month(vec![on_time(&p, 2), on_time(&p, 3)]));
    let bonus = clean.summary.full_attendance.unwrap();
    assert_eq!(bonus.amount, None); // the education handbook leaves the amount to pay
    assert_eq!(
        p.clause(bonus.clause).unwrap().source(),
        Some("001 ch.2 B 三.4")
    );
    let one_late = report(&p, &month(vec![on_time(&p, 2), late(&p, 3, 1)]));
    assert!(one_late.summary.full_attendance.is_none());
}

#[test]
fn a6_call_centre_full_attendance_bonus_is_100() {
    let p = Policy::example("call-centre").unwrap();
    let d = date(2026, 3, 7); // a Saturday: the call centre works Saturday–Thursday
    let day = WorkDay {
        date: d,
        shift: p.shift_ref("office").unwrap(),
        clock_in: at(d, 8, 55),
        clock_out: at(d, 18, 0),
        overtime_approved: false,
    };
    let r = p
        .attendance_report(&AgentMonth {
            agent: "zhao".into(),
            year: 2026,
            month: 3,
            days: vec![day],
            leave: vec![],
            pay: None,
        })
        .unwrap();
    assert_eq!(r.summary.full_attendance.unwrap().amount, Some(dec("100")));
}

#[test]
fn a7_unapproved_leave_is_absence_approved_leave_is_leave() {
    let p = education();
    let mut m = month(vec![on_time(&p, 2), on_time(&p, 3), on_time(&p, 4)]);
    m.leave = vec![
        LeaveDay {
            date: date(2026, 3, 3),
            approved: true,
        },
        LeaveDay {
            date: date(2026, 3, 4),
            approved: false,
        },
    ];
    let r = report(&p, &m);
    assert_eq!(status(&r, 3), DayStatus::OnLeave);
    assert_eq!(
        status(&r, 4),
        DayStatus::Absent {
            reason: AbsenceReason::UnapprovedLeave
        }
    );
    assert_eq!(clause_id(&r, 4), "attendance.unapproved_leave");
    assert_eq!(
        p.clause(r.days[3].clause).unwrap().source(),
        Some("001 ch.2 B 二 a–d")
    );
    assert_eq!(line(&r, DeductionKind::Absence).unwrap().amount, dec("50"));
    // Approved leave still loses full attendance (the file's choice).
    assert!(r.summary.full_attendance.is_none());
}

#[test]
fn a8_every_deduction_goes_to_the_reward_fund() {
    let p = education();
    let r = report(&p, &month(vec![late(&p, 2, 3), absent(&p, 3)]));
    assert!(!r.summary.deductions.is_empty());
    for d in &r.summary.deductions {
        assert_eq!(d.fund.map(|f| f.id()), Some("reward"));
    }
    let (fund, clause) = r.summary.fund.unwrap();
    assert_eq!(fund.id(), "reward");
    assert_eq!(p.clause(clause).unwrap().source(), Some("001 ch.2 B 五"));
    // The shop's fines and deductions go to its activity fund (000 part 3 §12).
    let shop = Policy::example("shop").unwrap();
    let (fund, _) = shop_month(&shop).summary.fund.unwrap();
    assert_eq!(shop.fund(fund).unwrap().id(), "activity");
}

fn shop_month(p: &Policy) -> MonthReport {
    let d = date(2026, 3, 2);
    p.attendance_report(&AgentMonth {
        agent: "zhang".into(),
        year: 2026,
        month: 3,
        days: vec![WorkDay {
            date: d,
            shift: p.shift_ref("p1_day").unwrap(),
            clock_in: at(d, 8, 40),
            clock_out: at(d, 17, 30),
            overtime_approved: false,
        }],
        leave: vec![],
        pay: None,
    })
    .unwrap()
}

/// A9 lives on the scorecard (`kind = "attendance"`): the month's counts feed it.
#[test]
fn a9_month_counts_feed_the_kpi_attendance_item() {
    let p = Policy::example("shop").unwrap();
    let r = shop_month(&p);
    assert_eq!(status(&r, 2), DayStatus::Late { minutes: 10 });
    let card = p.kpi().unwrap().scorecard("after_sales").unwrap();
    let item = card
        .items()
        .iter()
        .position(|i| i.id() == "attendance")
        .unwrap();
    let facts: cs_policy::kpi::CardFacts = serde_json::from_str(
        r#"{"items": [{"item": "quality", "value": {"grade": "good"}}, {"item": "refund_rate", "value": {"metric": "4"}},
           {"item": "disputes", "value": {"grade": "good"}}, {"item": "cooperation", "value": {"grade": "good"}},
           {"item": "execution", "value": {"grade": "good"}}]}"#,
    )
    .unwrap();
    let score = card.score(&facts, &r.summary.counts).unwrap();
    // One late of 10 minutes: 20 − 5 = 15.
    assert_eq!(score.items[item].points.to_string(), "15");
    // The attendance section no longer has a `kpi` table.
    let _ = AttendanceCounts::default();
}

#[test]
fn a10_away_more_than_two_months_is_not_assessed() {
    let p = Policy::example("call-centre").unwrap();
    let ok = p.assessed(60).unwrap();
    assert!(ok.assessed);
    assert_eq!(ok.limit_days, 60);
    assert!(!p.assessed(61).unwrap().assessed);
    assert_eq!(
        p.clause(ok.clause).unwrap().source(),
        Some("004 客服考核制度 第2条")
    );
}

#[test]
fn s7_weekend_hours_start_at_ten_and_holidays_are_worked_as_usual() {
    let p = education();
    let sat = date(2026, 3, 7);
    let day = |date: NaiveDate, h, m| WorkDay {
        date,
        shift: p.shift_ref("regular").unwrap(),
        clock_in: at(date, h, m),
        clock_out: at(date, 20, 0),
        overtime_approved: false,
    };
    let r = report(
        &p,
        &month(vec![day(sat, 10, 5), day(date(2026, 3, 8), 9, 50)]),
    );
    assert_eq!(status(&r, 7), DayStatus::Late { minutes: 5 });
    assert_eq!(status(&r, 8), DayStatus::OnTime);
    assert_eq!(
        (r.days[6].clause).id(),
        "attendance.late",
        "the late clause decides"
    );
    // National Day (a Thursday): worked as usual when rostered, a holiday when not.
    let oct1 = date(2026, 10, 1);
    let mut m = month(vec![day(oct1, 9, 0)]);
    m.month = 10;
    let r = report(&p, &m);
    assert_eq!(r.days[0].status, DayStatus::OnTime);
    assert_eq!(r.days[1].status, DayStatus::Holiday);
    assert!(
        r.days[1]
            .clause
            .id()
            .starts_with("calendars.cn-2026.holidays[")
    );
    assert_eq!(r.days[10].status, DayStatus::Rest);
}

fn shop_night(p: &Policy, d: NaiveDate, out: NaiveDateTime, shift: &str) -> AgentMonth {
    AgentMonth {
        agent: "zhang".into(),
        year: d.year_ce().1 as i32,
        month: chrono::Datelike::month(&d),
        days: vec![WorkDay {
            date: d,
            shift: p.shift_ref(shift).unwrap(),
            clock_in: at(d, 17, 25),
            clock_out: Some(out),
            overtime_approved: false,
        }],
        leave: vec![],
        pay: None,
    }
}

use chrono::Datelike;

/// S1–S3: a night shift belongs to the day it starts on, across a month end
/// and a year end; each row is one night on the shop's roster: (case, shift,
/// day, clock in, clock out, the day's status, time after the end where
/// pinned).
#[test]
fn s1_s3_night_shifts_across_month_and_year_ends() {
    let p = Policy::example("shop").unwrap();
    let (jan31, dec31) = (date(2026, 1, 31), date(2026, 12, 31));
    // (case, shift, day, clock in, clock out on the next day, the day's
    // status, time after the end where pinned)
    #[rustfmt::skip]
    let rows = [
        // Out at 00:50 on 1 February: ten minutes before the 01:00 end.
        ("s1_s2_night_shift_on_the_last_day_of_a_month_ends_the_next_month (00:50)",
         "p1_night", jan31, (17, 25), (0, 50), DayStatus::EarlyLeave { minutes: 10 }, None),
        // Out at 01:20: the shift extended while serving (S2), recorded, not penalised.
        ("s1_s2_night_shift_on_the_last_day_of_a_month_ends_the_next_month (01:20)",
         "p1_night", jan31, (17, 25), (1, 20), DayStatus::OnTime, Some(Some((AfterEndKind::Extension, 20)))),
        ("s1_night_shift_on_new_years_eve_belongs_to_december",
         "p1_night", dec31, (17, 25), (1, 0), DayStatus::OnTime, Some(None)),
        // S3: the part 2 night shift runs 17:00 to midnight exactly.
        ("s1_night_shift_on_new_years_eve_belongs_to_december (S3 part 2 at midnight)",
         "p2_night", dec31, (16, 55), (0, 0), DayStatus::OnTime, None),
        // A punch in after midnight on the night shift is late by the minutes past 17:30.
        ("s1_night_shift_on_new_years_eve_belongs_to_december (in at 17:50)",
         "p1_night", dec31, (17, 50), (1, 0), DayStatus::Late { minutes: 20 }, None),
    ];
    for (case, shift, day, (h, min), (out_h, out_min), status, after_end) in rows {
        let next = day.succ_opt().unwrap();
        let mut m = shop_night(&p, day, next.and_hms_opt(out_h, out_min, 0).unwrap(), shift);
        m.days[0].clock_in = at(day, h, min);
        let r = p.attendance_report(&m).unwrap();
        assert_eq!(r.days.len(), 31, "{case}");
        assert_eq!(r.days[30].date, day, "{case}");
        assert_eq!(r.days[30].status, status, "{case}");
        if let Some(after_end) = after_end {
            let got = r.days[30].after_end.map(|ext| (ext.kind, ext.minutes));
            assert_eq!(got, after_end, "{case}");
        }
    }
}

/// S2: the extension is recorded under the shift's clause and costs nothing.
#[test]
fn s2_night_shift_extension_cites_the_shift_and_deducts_nothing() {
    let p = Policy::example("shop").unwrap();
    let jan31 = date(2026, 1, 31);
    let out = date(2026, 2, 1).and_hms_opt(1, 20, 0).unwrap();
    let r = p
        .attendance_report(&shop_night(&p, jan31, out, "p1_night"))
        .unwrap();
    let ext = r.days[30].after_end.unwrap();
    assert_eq!(ext.clause.id(), "shifts.types.p1_night");
    assert_eq!(r.summary.total_deducted, Decimal::ZERO);
}

#[test]
fn s5_arriving_less_than_ten_minutes_early_is_recorded_not_penalised() {
    let p = Policy::example("shop").unwrap();
    let d = date(2026, 3, 2);
    let day = |h, m| WorkDay {
        date: d,
        shift: p.shift_ref("p3_day").unwrap(),
        clock_in: at(d, h, m),
        clock_out: at(d, 17, 0),
        overtime_approved: false,
    };
    let mk = |w| AgentMonth {
        agent: "a".into(),
        year: 2026,
        month: 3,
        days: vec![w],
        leave: vec![],
        pay: None,
    };
    let r = p.attendance_report(&mk(day(7, 55))).unwrap();
    assert_eq!(r.days[1].status, DayStatus::OnTime);
    let short = r.days[1].short_arrival.unwrap();
    assert_eq!((short.minutes_before, short.expected), (5, 10));
    assert_eq!(
        p.clause(short.clause).unwrap().source(),
        Some("000 part 3 附则一")
    );
    let r = p.attendance_report(&mk(day(7, 48))).unwrap();
    assert!(r.days[1].short_arrival.is_none());
}

#[test]
fn s8_overtime_without_prior_approval_is_flagged() {
    let p = Policy::example("call-centre").unwrap();
    let d = date(2026, 3, 7);
    let mk = |out_h, out_m, approved| AgentMonth {
        agent: "zhao".into(),
        year: 2026,
        month: 3,
        days: vec![WorkDay {
            date: d,
            shift: p.shift_ref("office").unwrap(),
            clock_in: at(d, 9, 0),
            clock_out: at(d, out_h, out_m),
            overtime_approved: approved,
        }],
        leave: vec![],
        pay: None,
    };
    let r = p.attendance_report(&mk(18, 45, false)).unwrap();
    let ot = r.days[6].after_end.unwrap();
    assert_eq!(
        (ot.kind, ot.minutes),
        (AfterEndKind::UnapprovedOvertime, 45)
    );
    assert_eq!(ot.clause.id(), "shifts.overtime");
    let r = p.attendance_report(&mk(18, 45, true)).unwrap();
    assert_eq!(
        r.days[6].after_end.unwrap().kind,
        AfterEndKind::ApprovedOvertime
    );
    let r = p.attendance_report(&mk(18, 20, false)).unwrap();
    assert!(r.days[6].after_end.is_none());
}

#[test]
fn missing_punch_follows_the_policy() {
    let p = education();
    let mut d = on_time(&p, 2);
    d.clock_out = None;
    let r = report(&p, &month(vec![d]));
    assert_eq!(
        status(&r, 2),
        DayStatus::Absent {
            reason: AbsenceReason::MissingPunch {
                missing: PunchSide::Out
            }
        }
    );
    let shop = Policy::example("shop").unwrap();
    let mut m = AgentMonth {
        agent: "a".into(),
        year: 2026,
        month: 3,
        days: vec![],
        leave: vec![],
        pay: None,
    };
    let d2 = date(2026, 3, 2);
    m.days.push(WorkDay {
        date: d2,
        shift: shop.shift_ref("p1_day").unwrap(),
        clock_in: None,
        clock_out: at(d2, 17, 30),
        overtime_approved: false,
    });
    let r = shop.attendance_report(&m).unwrap();
    assert_eq!(
        r.days[1].status,
        DayStatus::MissingPunch {
            missing: PunchSide::In
        }
    );
    assert_eq!(r.summary.counts.missing_punch, 1);
}

#[test]
fn bad_facts_give_errors_naming_the_fact() {
    let p = education();
    let mut d = on_time(&p, 2);
    d.clock_out = at(date(2026, 3, 2), 8, 0);
    assert!(matches!(
        p.attendance_report(&month(vec![d])),
        Err(AttendanceError::OutBeforeIn { ref agent, date: dd, .. }) if agent == "li" && dd == date(2026, 3, 2)
    ));
    let mut m = month(vec![on_time(&p, 2)]);
    m.month = 4;
    let err = p.attendance_report(&m).unwrap_err();
    assert!(matches!(
        err,
        AttendanceError::DateOutsideMonth {
            what: "rostered day",
            ..
        }
    ));
    assert!(err.to_string().contains("2026-03-02"));
    let err = p
        .attendance_report(&month(vec![on_time(&p, 2), late(&p, 2, 5)]))
        .unwrap_err();
    assert!(matches!(err, AttendanceError::Duplicate { .. }));
    let mut m = month(vec![]);
    m.month = 13;
    assert!(matches!(
        p.attendance_report(&m),
        Err(AttendanceError::InvalidMonth { month: 13, .. })
    ));
    let mut far = on_time(&p, 2);
    far.clock_out = at(date(2026, 3, 9), 20, 0);
    assert!(matches!(
        p.attendance_report(&month(vec![far])),
        Err(AttendanceError::PunchFarFromShift { .. })
    ));
    let mut m = month(vec![]);
    m.leave.push(LeaveDay {
        date: date(2026, 4, 1),
        approved: true,
    });
    assert!(matches!(
        p.attendance_report(&m),
        Err(AttendanceError::DateOutsideMonth {
            what: "leave day",
            ..
        })
    ));
    // A policy without the section.
    let fintech = Policy::example("fintech").unwrap();
    assert_eq!(
        fintech.attendance_report(&month(vec![])),
        Err(AttendanceError::NoAttendanceRules)
    );
}

#[test]
fn roster_form_builds_months_and_rejects_stray_punches() {
    let p = education();
    let entry = |agent: &str, d| RosterEntry {
        agent: agent.into(),
        date: date(2026, 3, d),
        shift: "regular".into(),
        break_start: None,
        swap: None,
    };
    let roster = Roster {
        entries: vec![
            entry("li", 2),
            entry("li", 3),
            entry("wang", 2),
            entry("li", 30),
        ],
    };
    let d2 = date(2026, 3, 2);
    let punches = vec![Punch {
        agent: "li".into(),
        date: d2,
        clock_in: at(d2, 9, 20),
        clock_out: at(d2, 20, 0),
    }];
    let leave = vec![AgentLeave {
        agent: "wang".into(),
        day: LeaveDay {
            date: d2,
            approved: true,
        },
    }];
    let months = p.agent_months(&roster, &punches, &leave, 2026, 3).unwrap();
    assert_eq!(months.len(), 2);
    let li = p.attendance_report(&months[0]).unwrap();
    assert_eq!(li.days[1].status, DayStatus::Late { minutes: 20 });
    assert_eq!(
        li.days[2].status,
        DayStatus::Absent {
            reason: AbsenceReason::NoPunch
        }
    );
    let wang = p.attendance_report(&months[1]).unwrap();
    assert_eq!(wang.days[1].status, DayStatus::OnLeave);

    let stray = Punch {
        agent: "zhou".into(),
        ..punches[0].clone()
    };
    assert_eq!(
        p.agent_months(&roster, &[stray], &[], 2026, 3),
        Err(AttendanceError::PunchWithoutRoster {
            agent: "zhou".into(),
            date: d2
        })
    );
    let april = Punch {
        date: date(2026, 4, 1),
        ..punches[0].clone()
    };
    assert!(matches!(
        p.agent_months(&roster, &[april], &[], 2026, 3),
        Err(AttendanceError::DateOutsideMonth { what: "punch", .. })
    ));
    let mut bad = roster.clone();
    bad.entries[0].shift = "regullar".into();
    assert!(matches!(
        p.agent_months(&bad, &[], &[], 2026, 3),
        Err(AttendanceError::UnknownShift { .. })
    ));
}

#[test]
fn month_report_serializes_to_json() {
    let p = education();
    let r = report(&p, &month(vec![late(&p, 2, 5), absent(&p, 3)]));
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["days"][1]["status"], "late");
    assert_eq!(json["days"][1]["minutes"], 5);
    assert_eq!(json["days"][2]["reason"], "no_punch");
    assert_eq!(json["summary"]["total_deducted"], "70");
}

/// A month with something of every kind on education's regular shift: a
/// streak of lates converted (A3), a day late and early, five absences in
/// a row (A5: the share of pay and a dismissal review), deducted (A4) to
/// the reward fund (A8).
fn eventful_month(p: &Policy) -> MonthReport {
    let mut days = vec![late(p, 2, 5), late(p, 3, 10), late(p, 4, 15)];
    days.push(edu_day(p, 5, (9, 10), (19, 45)));
    days.extend((9..=13).map(|d| absent(p, d)));
    days.push(late(p, 16, 12));
    report(p, &month(days))
}

/// Serialises `value`, reads it back equal, and checks that every clause,
/// shift and fund in it is written as its id, never a position.
fn round_trip<T>(value: &T) -> serde_json::Value
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    fn by_id(key: &str, v: &serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => m.iter().for_each(|(k, v)| by_id(k, v)),
            serde_json::Value::Array(a) => a.iter().for_each(|v| by_id(key, v)),
            serde_json::Value::Number(n) => assert!(
                !matches!(key, "clause" | "shift" | "fund"),
                "`{key}` written as the position {n}"
            ),
            _ => {}
        }
    }
    let json = serde_json::to_string(value).unwrap();
    let back: T = serde_json::from_str(&json).unwrap();
    assert_eq!(&back, value, "{json}");
    let tree: serde_json::Value = serde_json::from_str(&json).unwrap();
    by_id("", &tree);
    tree
}

#[test]
fn a_month_report_round_trips() {
    let p = education();
    let r = eventful_month(&p);
    let json = round_trip(&r);
    assert_eq!(json["days"][1]["shift"], "regular");
    assert_eq!(
        json["summary"]["fund"],
        serde_json::json!(["reward", "attendance.fund"])
    );
}

#[test]
fn a_month_summary_round_trips() {
    let p = education();
    let summary = eventful_month(&p).summary;
    assert!(!summary.conversions.is_empty() && !summary.actions.is_empty());
    round_trip(&summary);
    round_trip(&report(&p, &month(vec![on_time(&p, 2)])).summary);
}

#[test]
fn every_day_record_round_trips() {
    let p = education();
    for day in &eventful_month(&p).days {
        round_trip(day);
    }
}

#[test]
fn attendance_counts_round_trip() {
    let counts = eventful_month(&education()).summary.counts;
    assert_eq!(round_trip(&counts)["late"], 5);
}

#[test]
fn every_deduction_round_trips() {
    let summary = eventful_month(&education()).summary;
    for kind in [
        DeductionKind::Late,
        DeductionKind::EarlyLeave,
        DeductionKind::Absence,
        DeductionKind::ConvertedAbsence,
        DeductionKind::ShareOfPay,
    ] {
        let d = summary.deductions.iter().find(|d| d.kind == kind);
        let json = round_trip(d.unwrap_or_else(|| panic!("{kind:?} deducted")));
        assert_eq!(json["fund"], "reward");
    }
}

#[test]
fn a_conversion_and_an_action_round_trip() {
    let summary = eventful_month(&education()).summary;
    let json = round_trip(&summary.conversions[0]);
    assert_eq!(json["clause"], "attendance.streak"); // A3
    let json = round_trip(&summary.actions[0]);
    assert_eq!(json["clause"], "attendance.absence_streak"); // A5
}

#[test]
fn full_attendance_round_trips() {
    let p = education();
    let clean = report(&p, &month(vec![on_time(&p, 2), on_time(&p, 3)]));
    round_trip(&clean.summary.full_attendance.unwrap()); // A6
}

#[test]
fn every_day_decision_and_its_deduction_round_trip() {
    let p = education();
    let regular = p.shift_ref("regular");
    let d = date(2026, 3, 3);
    for (h, m, oh, om) in [
        (9, 0, 20, 0),
        (9, 12, 20, 0),
        (9, 10, 19, 45),
        (9, 31, 20, 0),
    ] {
        let punches = cs_policy::attendance::Punches::Both {
            clock_in: at(d, h, m).unwrap(),
            clock_out: at(d, oh, om).unwrap(),
            overtime_approved: false,
        };
        let day = p.attendance_day(regular, d, punches).unwrap();
        round_trip(&day);
        if let Some(deduction) = day.deduction {
            assert_eq!(round_trip(&deduction)["clause"], "attendance.deductions");
        }
    }
}

#[test]
fn after_end_and_short_arrival_round_trip() {
    // S8: call-centre's overtime; S5: the shop's part 3 early arrival.
    let p = Policy::example("call-centre").unwrap();
    let d = date(2026, 3, 7);
    let punches = cs_policy::attendance::Punches::Both {
        clock_in: at(d, 9, 0).unwrap(),
        clock_out: at(d, 19, 30).unwrap(),
        overtime_approved: false,
    };
    let day = p.attendance_day(p.shift_ref("office"), d, punches).unwrap();
    round_trip(&day.after_end.unwrap());
    let p = Policy::example("shop").unwrap();
    let arrived = cs_policy::attendance::Punches::Arrived(at(d, 7, 55).unwrap());
    let day = p.attendance_day(p.shift_ref("p3_day"), d, arrived).unwrap();
    round_trip(&day.short_arrival.unwrap());
}

#[test]
fn assessed_round_trips() {
    let p = Policy::example("call-centre").unwrap();
    round_trip(&p.assessed(75).unwrap()); // A10
}
