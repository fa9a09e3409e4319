//! Punch logs to worked days (issue 19): the pinned cases, the policy's
//! stated choices, time zones, night shifts across a month and a year end,
//! and corrections (补卡).

mod common;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use common::{codes_and_fields, policy_table};
use cs_policy::attendance::{AgentMonth, DayStatus, PunchSide, WorkDay};
use cs_policy::punch::{
    Correction, Decision, Direction, Event, EventOutcome, Fate, PunchError, Reason, Refusal, Role,
    Timestamp,
};
use cs_policy::{Policy, ProblemCode, Scenario};

fn shop() -> Policy {
    Policy::example("shop").unwrap()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn at(text: &str) -> NaiveDateTime {
    text.parse().unwrap()
}

fn day(policy: &Policy, shift: &str, date: NaiveDate) -> WorkDay {
    WorkDay {
        date,
        shift: policy.shift_ref(shift).unwrap(),
        clock_in: None,
        clock_out: None,
        overtime_approved: false,
    }
}

fn events(times: &[&str]) -> Vec<Event> {
    times
        .iter()
        .map(|t| Event::at(t.parse().unwrap()))
        .collect()
}

fn assign(
    policy: &Policy,
    month: (i32, u32),
    days: &mut [WorkDay],
    times: &[&str],
) -> Vec<EventOutcome> {
    let mut out = Vec::new();
    policy
        .assign_punches(month.0, month.1, days, &events(times), &mut out)
        .unwrap();
    out
}

fn assigned(date: NaiveDate, role: Role) -> Fate {
    Fate::Assigned { date, role }
}

fn reported(reason: Reason) -> Fate {
    Fate::Reported { reason }
}

/// One rostered shift of `shift` on `date` and the punches at `times`,
/// assigned in the date's month: the day, and each punch's fate.
fn one_shift(
    policy: &Policy,
    shift: &str,
    date: NaiveDate,
    times: &[&str],
) -> (WorkDay, Vec<Fate>) {
    let mut days = [day(policy, shift, date)];
    let out = assign(policy, (date.year(), date.month()), &mut days, times);
    (days[0], out.iter().map(|o| o.fate).collect())
}

/// Pinned: the shop's windows are 60 minutes (the file's own choice, after
/// Frappe HRMS); a check-in 61 minutes before the 09:00 start is reported,
/// not assigned, and the day has no check-in.
#[test]
fn a_check_in_61_minutes_before_the_start_is_reported_not_assigned() {
    let policy = shop();
    let date = d(2026, 3, 2);
    let (day, fates) = one_shift(
        &policy,
        "p3_regular",
        date,
        &["2026-03-02 07:59", "2026-03-02 18:01"],
    );
    assert_eq!(fates[0], reported(Reason::OutsideWindow { date }));
    assert_eq!(day.clock_in, None);
    assert_eq!(day.clock_out, Some(at("2026-03-02T18:01:00")));
    // Sixty minutes before is inside the window.
    let (day, fates) = one_shift(
        &policy,
        "p3_regular",
        date,
        &["2026-03-02 08:00", "2026-03-02 18:01"],
    );
    assert_eq!(fates[0], assigned(date, Role::In));
    assert_eq!(day.clock_in, Some(at("2026-03-02T08:00:00")));
}

/// Pinned: the 17:30–01:00 night shift of 31 March punched out at 00:50 on
/// 1 April leaves 10 minutes early, in March (A2).
#[test]
fn a_night_shift_out_punch_on_1_april_is_a_march_early_leave_of_10_minutes() {
    let policy = shop();
    let date = d(2026, 3, 31);
    let (day, fates) = one_shift(
        &policy,
        "p1_night",
        date,
        &["2026-03-31 17:28", "2026-04-01 00:50"],
    );
    assert_eq!(fates[1], assigned(date, Role::Out));
    let month = AgentMonth {
        agent: "S05".into(),
        year: 2026,
        month: 3,
        days: vec![day],
        leave: vec![],
        pay: None,
    };
    let report = policy.attendance_report(&month).unwrap();
    assert_eq!(
        report.days[30].status,
        DayStatus::EarlyLeave { minutes: 10 }
    );
    assert_eq!(report.summary.counts.early_leave, 1);
}

/// Pinned: with three corrections a month, the fourth is refused citing
/// `attendance.corrections`; the first three are used.
#[test]
fn the_fourth_correction_of_a_month_with_a_limit_of_three_is_refused_citing_its_clause() {
    let policy = shop();
    let mut days: Vec<WorkDay> = [2, 3, 4, 5]
        .iter()
        .map(|&n| WorkDay {
            clock_in: d(2026, 3, n).and_hms_opt(8, 58, 0),
            ..day(&policy, "p3_regular", d(2026, 3, n))
        })
        .collect();
    let fix = |n| Correction {
        date: d(2026, 3, n),
        punch: PunchSide::Out,
        time: NaiveTime::from_hms_opt(18, 0, 0).unwrap(),
        asked_on: d(2026, 3, 5),
        approved: true,
    };
    let mut out = Vec::new();
    policy
        .correct_punches(&mut days, &[fix(2), fix(3), fix(4), fix(5)], &mut out)
        .unwrap();
    let decisions: Vec<Decision> = out.iter().map(|o| o.decision).collect();
    assert_eq!(
        decisions,
        [
            Decision::Used { number: 1 },
            Decision::Used { number: 2 },
            Decision::Used { number: 3 },
            Decision::Refused {
                reason: Refusal::OverLimit { limit: 3 }
            },
        ]
    );
    assert_eq!(
        policy.clause(out[3].clause).unwrap().id(),
        "attendance.corrections"
    );
    assert_eq!(days[2].clock_out, Some(at("2026-03-04T18:00:00")));
    assert_eq!(days[3].clock_out, None);
}

/// Pinned: `2026-03-02T01:05:00Z` under an `Asia/Shanghai` (+08:00) policy
/// is 09:05 local: five minutes late for the 09:00 shift.
#[test]
fn a_utc_timestamp_under_an_asia_shanghai_policy_is_local_time() {
    let policy = shop();
    assert_eq!(policy.meta().time_zone(), "Asia/Shanghai");
    let date = d(2026, 3, 2);
    let mut days = [day(&policy, "p3_regular", date)];
    let out = assign(
        &policy,
        (2026, 3),
        &mut days,
        &["2026-03-02T01:05:00Z", "2026-03-02T10:00:00Z"],
    );
    assert_eq!(out[0].time, at("2026-03-02T09:05:00"));
    assert_eq!(days[0].clock_in, Some(at("2026-03-02T09:05:00")));
    assert_eq!(days[0].clock_out, Some(at("2026-03-02T18:00:00")));
    // Five minutes late for the 09:00 shift.
    let month = AgentMonth {
        agent: "S01".into(),
        year: 2026,
        month: 3,
        days: days.to_vec(),
        leave: vec![],
        pay: None,
    };
    let report = policy.attendance_report(&month).unwrap();
    assert_eq!(report.days[1].status, DayStatus::Late { minutes: 5 });
    // The same instant written with its own offset.
    let t: Timestamp = "2026-03-02 09:05:00+08:00".parse().unwrap();
    let u: Timestamp = "2026-03-02T01:05:00Z".parse().unwrap();
    let (Timestamp::Offset(t), Timestamp::Offset(u)) = (t, u) else {
        panic!("offsets expected");
    };
    assert_eq!(t, u);
}

/// The out punch of the year's last night shift is on 1 January: it is
/// still December's, on the shift it closes.
#[test]
fn a_night_shift_collects_its_punches_across_the_year_end() {
    let policy = shop();
    let date = d(2026, 12, 31);
    let times = ["2026-12-31 17:20", "2027-01-01 01:40", "2027-01-01 09:00"];
    let (day, fates) = one_shift(&policy, "p1_night", date, &times);
    assert_eq!(fates[1], assigned(date, Role::Out));
    // Outside the night's window and outside December: not this month's.
    assert_eq!(fates[2], reported(Reason::OutsideMonth));
    assert_eq!(day.clock_out, Some(at("2027-01-01T01:40:00")));
}

/// A punch on a day without a shift is reported as on a day off; one after
/// a night shift's window on the next morning is outside that window.
#[test]
fn punches_on_days_off_and_outside_windows_are_reported_with_their_reason() {
    let policy = shop();
    let mut days = [
        day(&policy, "p3_regular", d(2026, 3, 2)),
        day(&policy, "p1_night", d(2026, 3, 3)),
    ];
    let out = assign(
        &policy,
        (2026, 3),
        &mut days,
        &["2026-03-01 10:00", "2026-03-04 04:00", "2026-03-02 14:00"],
    );
    assert_eq!(out[0].fate, reported(Reason::DayOff));
    let night = d(2026, 3, 3);
    assert_eq!(out[1].fate, reported(Reason::OutsideWindow { date: night }));
    // A lone punch after the middle of the day shift is its check-out.
    assert_eq!(out[2].fate, assigned(d(2026, 3, 2), Role::Out));
}

/// Events given in any order are assigned as in time order; outcomes stay
/// in the order given.
#[test]
fn events_in_any_order_give_the_same_days() {
    let policy = shop();
    let mut sorted = [day(&policy, "p3_regular", d(2026, 3, 2))];
    let mut shuffled = sorted;
    let times = ["2026-03-02 08:50", "2026-03-02 12:00", "2026-03-02 18:10"];
    let a = assign(&policy, (2026, 3), &mut sorted, &times);
    let b = assign(
        &policy,
        (2026, 3),
        &mut shuffled,
        &[times[2], times[0], times[1]],
    );
    assert_eq!(sorted, shuffled);
    assert_eq!(a[0], b[1]);
}

fn policy_with(punches: &str) -> Result<Policy, cs_policy::Problems> {
    let text = format!(
        concat!(
            policy_table!("t", "T"),
            r#"
[calendar]
weekend = ["saturday", "sunday"]
calendars = ["cn-2026"]

[shifts.types.day]
start = 09:00:00
end = 18:00:00

[shifts.types.night]
start = 22:00:00
end = 06:00:00
crosses_midnight = true
{punches}"#
        ),
        punches = punches
    );
    Policy::from_toml_str("t.toml", &text)
}

/// Every choice of `[shifts.punches]` is the policy's to state: each one
/// missing is an unstated choice, naming the shift types it is missing for.
#[test]
fn each_punch_choice_must_be_stated() {
    let problems = policy_with("\n[shifts.punches]\ncheck_in_before_minutes = 30\n").unwrap_err();
    let found = codes_and_fields(&problems);
    assert_eq!(
        found,
        [
            (
                ProblemCode::UnstatedChoice,
                "shifts.punches.check_out_after_minutes"
            ),
            (ProblemCode::UnstatedChoice, "shifts.punches.counts"),
            (
                ProblemCode::UnstatedChoice,
                "shifts.punches.duplicate_within_seconds"
            ),
        ]
    );
    let help = problems.diagnostics()[0].help.as_deref().unwrap_or("");
    assert!(help.contains("Frappe HRMS's default"), "{help}");
    assert!(help.contains("`day`, `night`"), "{help}");
}

/// A shift type may state its own choices; the section's fill in the rest,
/// and a choice stated for every shift type needs no section default.
#[test]
fn a_shift_type_states_its_own_window() {
    let policy = policy_with(
        r#"
[shifts.punches]
check_in_before_minutes = 30
counts = "alternating"
duplicate_within_seconds = 0

[shifts.punches.types.day]
check_out_after_minutes = 15

[shifts.punches.types.night]
check_out_after_minutes = 120
counts = "by_direction"
"#,
    )
    .unwrap();
    let rules = policy.shifts().unwrap().punches().unwrap();
    let night = rules.windows(policy.shift_ref("night").unwrap()).unwrap();
    assert_eq!(
        (night.check_in_before_minutes, night.check_out_after_minutes),
        (30, 120)
    );
    assert_eq!(
        policy.clause(night.clause).unwrap().id(),
        "shifts.punches.types.night"
    );
    let problems = policy_with(
        "\n[shifts.punches]\ncheck_in_before_minutes = 30\ncheck_out_after_minutes = 30\ncounts = \"first_in_last_out\"\nduplicate_within_seconds = 5\n[shifts.punches.types.dya]\ncheck_in_before_minutes = 10\n",
    )
    .unwrap_err();
    let problem = &problems.diagnostics()[0];
    assert_eq!(problem.code, ProblemCode::UndefinedReference);
    assert_eq!(problem.help.as_deref(), Some("did you mean `day`?"));
}

/// Alternating pairs: an odd last punch went in and never came out; by
/// direction: the device's word decides, a punch without one is reported.
#[test]
fn alternating_and_by_direction_counting() {
    let policy = policy_with(
        r#"
[shifts.punches]
check_in_before_minutes = 60
check_out_after_minutes = 60
counts = "alternating"
duplicate_within_seconds = 30

[shifts.punches.types.night]
counts = "by_direction"
"#,
    )
    .unwrap();
    let mut days = [
        day(&policy, "day", d(2026, 3, 2)),
        day(&policy, "night", d(2026, 3, 3)),
    ];
    let mut log = events(&[
        "2026-03-02 08:55",
        "2026-03-02 12:00",
        "2026-03-02 13:00",
        "2026-03-03 21:50",
        "2026-03-04 02:00",
        "2026-03-04 05:58",
    ]);
    log[3].direction = Some(Direction::In);
    log[5].direction = Some(Direction::Out);
    let mut out = Vec::new();
    policy
        .assign_punches(2026, 3, &mut days, &log, &mut out)
        .unwrap();
    assert_eq!(days[0].clock_in, Some(at("2026-03-02T08:55:00")));
    assert_eq!(days[0].clock_out, None, "in, out, in: the last went in");
    assert_eq!(out[4].fate, reported(Reason::NoDirection));
    assert_eq!(days[1].clock_in, Some(at("2026-03-03T21:50:00")));
    assert_eq!(days[1].clock_out, Some(at("2026-03-04T05:58:00")));
}

/// The policy's time zone is checked against the IANA database: a name it
/// does not know is a located problem with the closest name.
#[test]
fn an_unknown_time_zone_is_a_located_problem() {
    let text = cs_policy::EXAMPLES[0].1.replace(
        r#"time_zone = "Asia/Shanghai""#,
        r#"time_zone = "Asia/Shangai""#,
    );
    let problems = Policy::from_toml_str("shop.toml", &text).unwrap_err();
    let problem = &problems.diagnostics()[0];
    assert_eq!(
        (problem.code, problem.line, problem.field.as_str()),
        (ProblemCode::InvalidValue, 12, "policy.time_zone")
    );
    assert_eq!(problem.message, "`Asia/Shangai` is not a time zone name");
    assert_eq!(
        problem.help.as_deref(),
        Some("did you mean `Asia/Shanghai`?")
    );
    let utc = cs_policy::EXAMPLES[0].1.replace(
        r#"time_zone = "Asia/Shanghai""#,
        r#"time_zone = "Europe/Berlin""#,
    );
    let berlin = Policy::from_toml_str("shop.toml", &utc).unwrap();
    let date = d(2026, 3, 30);
    let mut days = [day(&berlin, "p3_regular", date)];
    // Berlin is on summer time (+02:00) from 29 March 2026.
    let out = assign(&berlin, (2026, 3), &mut days, &["2026-03-30T07:00:00Z"]);
    assert_eq!(out[0].time, at("2026-03-30T09:00:00"));
}

/// Corrections: refused when not approved, past the deadline (counted in
/// the calendar's working days), or for a punch that was recorded; a used
/// one sets the punch on the day nearest the shift's end (a night shift's
/// 00:55 is the next day).
#[test]
fn corrections_are_refused_with_their_reason_and_used_on_the_right_day() {
    let policy = shop();
    let night = day(&policy, "p1_night", d(2026, 3, 13));
    let mut days = [WorkDay {
        clock_in: Some(at("2026-03-13T17:25:00")),
        ..night
    }];
    let c = |time: &str, asked: u32, approved| Correction {
        date: d(2026, 3, 13),
        punch: PunchSide::Out,
        time: time.parse().unwrap(),
        asked_on: d(2026, 3, asked),
        approved,
    };
    let mut out = Vec::new();
    let asked = [
        c("00:55", 19, true),
        c("00:55", 16, false),
        c("00:55", 18, true),
    ];
    policy.correct_punches(&mut days, &asked, &mut out).unwrap();
    assert_eq!(
        out[0].decision,
        Decision::Refused {
            reason: Refusal::PastDeadline {
                deadline: d(2026, 3, 18)
            }
        }
    );
    assert_eq!(
        out[1].decision,
        Decision::Refused {
            reason: Refusal::NotApproved
        }
    );
    assert_eq!(out[2].decision, Decision::Used { number: 1 });
    assert_eq!(days[0].clock_out, Some(at("2026-03-14T00:55:00")));
    // A correction of a day without a shift is bad facts.
    let stray = Correction {
        date: d(2026, 3, 14),
        ..asked[2]
    };
    assert_eq!(
        policy.correct_punches(&mut days, &[stray], &mut out),
        Err(PunchError::CorrectionWithoutShift {
            index: 0,
            date: d(2026, 3, 14)
        })
    );
}

/// A day's punches come from one place: listed in the scenario, or in the
/// punch log.
#[test]
fn a_day_listed_and_in_the_log_is_an_error() {
    let policy = shop();
    let text = include_str!("../policies/shop.scenario.toml");
    let mut month = Scenario::from_toml_str("shop.scenario.toml", text).unwrap();
    month.punch_log.push(cs_policy::punch::AgentEvent {
        agent: "S01".into(),
        time: "2026-03-03 09:12".parse().unwrap(),
        direction: None,
        device: None,
    });
    let error = policy.team_statement(&month).unwrap_err();
    assert_eq!(
        error.to_string(),
        "agent `S01`: the punches of 2026-03-03 are listed and also in the punch log; give a day's punches in one place"
    );
}

/// The statement lists each correction, used or refused, as an action with
/// its clause; without the log, the punctual days have nothing missing.
#[test]
fn the_statement_lists_each_correction_with_its_clause() {
    use cs_policy::statement::ActionKind;
    let policy = shop();
    let text = include_str!("../policies/shop.scenario.toml");
    let mut month = Scenario::from_toml_str("shop.scenario.toml", text).unwrap();
    let corrections = include_str!("../policies/shop.punches.corrections.toml");
    month
        .add_corrections_toml("shop.punches.corrections.toml", corrections, Some(&policy))
        .unwrap();
    let team = policy.team_statement(&month).unwrap();
    let s05 = team.statements.iter().find(|s| s.agent == "S05").unwrap();
    let refused = s05
        .actions
        .iter()
        .find(|a| matches!(a.kind, ActionKind::CorrectionRefused { .. }))
        .unwrap();
    assert_eq!(
        policy.clause(refused.clause).unwrap().id(),
        "attendance.corrections"
    );
    assert_eq!(
        refused.kind,
        ActionKind::CorrectionRefused {
            punch: PunchSide::In,
            reason: Refusal::PastDeadline {
                deadline: d(2026, 3, 30)
            }
        }
    );
}
