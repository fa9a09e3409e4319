//! Attendance: punches to day status to a month of penalties and streaks (A1–A10).
//!
//! The `[attendance]` section of a policy file:
//!
//! ```toml
//! [attendance]
//! source = "001 ch.2 B 三"
//! missing_punch = "absent"          # or "recorded": a day with one punch
//!
//! [attendance.late]                 # A1
//! limit_minutes = 30
//! at_limit = "late"                 # exactly 30 minutes late is late, not absent
//!
//! [attendance.early_leave]          # A2
//! limit_minutes = 30
//! at_limit = "late"
//!
//! [attendance.streak]               # A3
//! count = 3
//! consecutive = "occurrences"       # or "working_days"
//! converted = "replaces"            # or "adds" to the 20-yuan deductions
//!
//! [attendance.deductions]           # A4
//! late = "20"
//! early_leave = "20"
//! absent = "50"
//!
//! [attendance.absence_streak]       # A5
//! days = 3
//! percent_of_pay = 50
//! pay_base = "base_wage"            # or "gross"
//! converted = "adds"                # or "replaces" the 50-yuan deductions
//! review_at = 5
//!
//! [attendance.fund]                 # A8
//! fund = "reward"
//! ```
//!
//! Evaluation: [`Policy::attendance_month`] classifies every day of one
//! agent's month from the rostered shift and the punches ([`DayRecord`]),
//! then counts streaks, conversions, deductions and actions
//! ([`MonthSummary`]), each naming its clause.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::Policy;
use crate::explain::ClauseRef;
use crate::money::{Charged, FundRef, Overflow, opt_charged, req_charged};
use crate::policy::ProblemCode;
use crate::policy::read::{Choice, Loader, Located, Table};
use crate::shift::{Roster, ShiftRef};

/// A day the agent is on leave, as the leave rules decided it: approved leave
/// classifies as leave; leave that was not approved in the required way is
/// treated as absence (A7).
///
/// ```
/// let day: cs_policy::attendance::LeaveDay = serde_json::from_str(r#"{"date": "2026-03-02", "approved": false}"#).unwrap();
/// assert!(!day.approved); // A7: treated as absence
/// # Ok::<(), ()>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LeaveDay {
    /// The date on leave.
    pub date: chrono::NaiveDate,
    /// Whether the leave was approved with every requirement met.
    pub approved: bool,
}

/// What a day with only one punch is.
///
/// ```
/// use cs_policy::attendance::MissingPunchRule;
/// let policy = cs_policy::Policy::example("shop")?;
/// assert_eq!(policy.attendance().unwrap().missing_punch(), MissingPunchRule::Recorded);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingPunchRule {
    /// The day is absent.
    Absent,
    /// The day is recorded as a missing punch, without penalty, for the
    /// supervisor to settle.
    Recorded,
}

impl Choice for MissingPunchRule {
    const WHAT: &'static str = "a missing-punch rule";
    const CHOICES: &'static [(&'static str, Self)] =
        &[("absent", Self::Absent), ("recorded", Self::Recorded)];
}

/// Whether a lateness of exactly the limit is still late or already absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AtLimit {
    Late,
    Absent,
}

impl Choice for AtLimit {
    const WHAT: &'static str = "what happens at the limit";
    const CHOICES: &'static [(&'static str, Self)] =
        &[("late", Self::Late), ("absent", Self::Absent)];
}

/// What "consecutive" means for the A3 streak: a gap the policy must state.
///
/// ```
/// # use chrono::NaiveDate;
/// # use cs_policy::attendance::{AgentMonth, MonthPay, WorkDay};
/// # let policy = cs_policy::Policy::example("education")?;
/// # let regular = policy.shift_ref("regular").unwrap();
/// # let day = |d: u32, h: u32, m: u32| { let date = NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
/// #     WorkDay { date, shift: regular, clock_in: date.and_hms_opt(h, m, 0), clock_out: date.and_hms_opt(20, 0, 0), overtime_approved: false } };
/// # let absent = |d: u32| WorkDay { clock_in: None, clock_out: None, ..day(d, 9, 0) };
/// # let pay = Some(MonthPay { base_wage: 3000.into(), gross: 4200.into() });
/// let month = AgentMonth { agent: "li".into(), year: 2026, month: 3, days: vec![day(2, 9, 5), day(3, 9, 0), day(4, 9, 5), day(5, 9, 5)], leave: vec![], pay };
/// // The education policy counts working days in a row: the on-time day breaks the run.
/// assert_eq!(policy.attendance_report(&month)?.summary.conversions.len(), 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Consecutive {
    /// Successive occurrences in the month, whatever lies between them.
    Occurrences,
    /// Rostered working days in a row, each late or leaving early; a
    /// rostered day without either breaks the run, a rest day does not.
    WorkingDays,
}

impl Choice for Consecutive {
    const WHAT: &'static str = "a meaning of consecutive";
    const CHOICES: &'static [(&'static str, Self)] = &[
        ("occurrences", Self::Occurrences),
        ("working_days", Self::WorkingDays),
    ];
}

/// Whether what a streak converts to replaces the occurrences' own
/// deductions or adds to them: a gap the policy must state, for A3 (the
/// converted absence against the lates' 20 yuan each) and A5 (the share of
/// pay against the absences' 50 yuan each).
///
/// ```
/// # use chrono::NaiveDate;
/// # use cs_policy::attendance::{AgentMonth, MonthPay, WorkDay};
/// # let policy = cs_policy::Policy::example("education")?;
/// # let regular = policy.shift_ref("regular").unwrap();
/// # let day = |d: u32, h: u32, m: u32| { let date = NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
/// #     WorkDay { date, shift: regular, clock_in: date.and_hms_opt(h, m, 0), clock_out: date.and_hms_opt(20, 0, 0), overtime_approved: false } };
/// # let absent = |d: u32| WorkDay { clock_in: None, clock_out: None, ..day(d, 9, 0) };
/// # let pay = Some(MonthPay { base_wage: 3000.into(), gross: 4200.into() });
/// let month = AgentMonth { agent: "li".into(), year: 2026, month: 3, days: vec![day(2, 9, 5), day(3, 9, 5), day(4, 9, 5)], leave: vec![], pay };
/// // "replaces": one 50-yuan absence instead of three 20-yuan lates.
/// assert_eq!(policy.attendance_report(&month)?.summary.total_deducted.to_string(), "50");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Converted {
    /// The streak's occurrences are no longer deducted one by one.
    Replaces,
    /// The converted absence is deducted on top of every occurrence.
    Adds,
}

impl Choice for Converted {
    const WHAT: &'static str = "a conversion rule";
    const CHOICES: &'static [(&'static str, Self)] =
        &[("replaces", Self::Replaces), ("adds", Self::Adds)];
}

/// The pay a share of pay (A5: 50% of the month's pay) is taken from: a gap
/// the policy must state.
///
/// ```
/// # use chrono::NaiveDate;
/// # use cs_policy::attendance::{AgentMonth, MonthPay, WorkDay};
/// # let policy = cs_policy::Policy::example("education")?;
/// # let regular = policy.shift_ref("regular").unwrap();
/// # let day = |d: u32, h: u32, m: u32| { let date = NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
/// #     WorkDay { date, shift: regular, clock_in: date.and_hms_opt(h, m, 0), clock_out: date.and_hms_opt(20, 0, 0), overtime_approved: false } };
/// # let absent = |d: u32| WorkDay { clock_in: None, clock_out: None, ..day(d, 9, 0) };
/// # let pay = Some(MonthPay { base_wage: 3000.into(), gross: 4200.into() });
/// let month = AgentMonth { agent: "li".into(), year: 2026, month: 3, days: vec![absent(2), absent(3), absent(4)], leave: vec![], pay };
/// let summary = policy.attendance_report(&month)?.summary;
/// // 50% of the base wage 3000, plus 3 × 50.
/// assert_eq!(summary.total_deducted.to_string(), "1650");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayBase {
    /// The base wage.
    BaseWage,
    /// Gross pay for the month.
    Gross,
}

impl Choice for PayBase {
    const WHAT: &'static str = "a pay base";
    const CHOICES: &'static [(&'static str, Self)] =
        &[("base_wage", Self::BaseWage), ("gross", Self::Gross)];
}

impl PayBase {
    /// The pay base in words.
    fn words(self) -> &'static str {
        match self {
            Self::BaseWage => "base wage",
            Self::Gross => "gross pay",
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Threshold {
    grace: u16,
    limit: Option<(u16, AtLimit)>,
    clause: ClauseRef,
}

impl Threshold {
    fn absent(&self, minutes: u16) -> bool {
        match self.limit {
            Some((limit, AtLimit::Late)) => minutes > limit,
            Some((limit, AtLimit::Absent)) => minutes >= limit,
            None => false,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Streak {
    count: u8,
    consecutive: Consecutive,
    converted: Converted,
    clause: ClauseRef,
}

#[derive(Debug, Clone, Copy)]
struct AbsenceStreak {
    days: u8,
    percent: Decimal,
    base: PayBase,
    converted: Converted,
    review_at: Option<u8>,
    clause: ClauseRef,
}

#[derive(Debug, Clone, Copy)]
struct Deductions {
    late: Decimal,
    early_leave: Decimal,
    absent: Decimal,
    clause: ClauseRef,
}

#[derive(Debug, Clone, Copy)]
struct FullAttendanceRule {
    bonus: Option<Decimal>,
    leave_breaks: bool,
    clause: ClauseRef,
}

#[derive(Debug, Clone, Copy)]
struct AssessmentRule {
    months: u8,
    days_per_month: u16,
    clause: ClauseRef,
}

/// The `[attendance]` section of a policy.
///
/// ```
/// let policy = cs_policy::Policy::example("education")?;
/// let rules = policy.attendance().unwrap();
/// assert_eq!(policy.clause(rules.clause()).id(), "attendance");
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone)]
pub struct AttendanceRules {
    clause: ClauseRef,
    missing_punch: MissingPunchRule,
    late: Threshold,
    early_leave: Threshold,
    streak: Option<Streak>,
    absence_streak: Option<AbsenceStreak>,
    deductions: Option<Deductions>,
    fund: Option<(FundRef, ClauseRef)>,
    full_attendance: Option<FullAttendanceRule>,
    unapproved_leave: ClauseRef,
    assessment: Option<AssessmentRule>,
    corrections: Option<crate::punch::CorrectionRules>,
    /// The calendar's holidays as one bit per day of each month that has
    /// any, keyed by `year * 12 + month0`, sorted: one lookup per month.
    holiday_months: Vec<(i32, u32)>,
}

impl AttendanceRules {
    /// A10's limit as the attendance section states it: the most whole
    /// months away that still allow assessment, and the clause.
    pub(crate) fn months_away_limit(&self) -> Option<(u8, ClauseRef)> {
        self.assessment.as_ref().map(|a| (a.months, a.clause))
    }

    /// The clause of the `[attendance]` table itself.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("education")?;
    /// assert_eq!(policy.clause(policy.attendance().unwrap().clause()).source(), Some("001 ch.2 B 三"));
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn clause(&self) -> ClauseRef {
        self.clause
    }

    /// What a day with one punch is.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("education")?;
    /// use cs_policy::attendance::MissingPunchRule;
    /// assert_eq!(policy.attendance().unwrap().missing_punch(), MissingPunchRule::Absent);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn missing_punch(&self) -> MissingPunchRule {
        self.missing_punch
    }

    /// How many missing punches a month may be corrected, and by when
    /// (`[attendance.corrections]`), if stated.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// assert_eq!(policy.attendance().unwrap().corrections().map(|c| c.per_month), Some(3));
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn corrections(&self) -> Option<&crate::punch::CorrectionRules> {
        self.corrections.as_ref()
    }

    pub(crate) fn read(table: &mut Table<'_, '_>, ld: &mut Loader, policy: &Policy) -> Self {
        let clause = ld.clause(table);
        let missing_punch = match table.node("missing_punch") {
            Some(n) => n.read(ld).unwrap_or(MissingPunchRule::Recorded),
            None => {
                table.unstated(ld, "missing_punch").help("the handbooks do not say what a day with only one punch is: write `missing_punch = \"absent\"` or `\"recorded\"`");
                MissingPunchRule::Recorded
            }
        };
        let late = read_threshold(table, ld, "late", clause);
        let early_leave = read_threshold(table, ld, "early_leave", clause);
        let streak = table
            .opt_table(ld, "streak")
            .and_then(|t| read_streak(t, ld, clause));
        let deductions = table.opt_table(ld, "deductions").and_then(|mut t| {
            let c = ld.clause_under(&mut t, Some(clause));
            let late = req_charged(&mut t, ld, "late", Charged::Daily);
            let early_leave = req_charged(&mut t, ld, "early_leave", Charged::Daily);
            let absent = req_charged(&mut t, ld, "absent", Charged::Converted);
            t.finish(ld);
            Some(Deductions {
                late: late?,
                early_leave: early_leave?,
                absent: absent?,
                clause: c,
            })
        });
        let absence_streak = table
            .opt_table(ld, "absence_streak")
            .and_then(|t| read_absence_streak(t, ld, clause));
        let fund = table.opt_table(ld, "fund").and_then(|mut t| {
            let c = ld.clause_under(&mut t, Some(clause));
            let id: Option<Located<String>> = t.req(ld, "fund");
            t.finish(ld);
            policy.funds.resolve(ld, &id?).map(|f| (f, c))
        });
        let full_attendance = table.opt_table(ld, "full_attendance").and_then(|mut t| {
            let c = ld.clause_under(&mut t, Some(clause));
            let bonus = opt_charged(&mut t, ld, "bonus", Charged::Monthly);
            let leave_breaks = match t.node("leave_breaks_it") {
                Some(n) => n.read::<bool>(ld),
                None => {
                    t.unstated(ld, "leave_breaks_it").help("say whether a day of approved leave loses the full-attendance bonus: `leave_breaks_it = true` or `false`");
                    None
                }
            };
            t.finish(ld);
            Some(FullAttendanceRule {
                bonus,
                leave_breaks: leave_breaks?,
                clause: c,
            })
        });
        let unapproved_leave = match table.opt_table(ld, "unapproved_leave") {
            Some(mut t) => {
                let c = ld.clause_under(&mut t, Some(clause));
                #[derive(Clone, Copy)]
                struct AsAbsent;
                impl Choice for AsAbsent {
                    const WHAT: &'static str = "what unapproved leave counts as";
                    const CHOICES: &'static [(&'static str, Self)] = &[("absent", Self)];
                }
                let _: Option<AsAbsent> = t.req(ld, "counts_as");
                t.finish(ld);
                c
            }
            None => clause,
        };
        let assessment = table.opt_table(ld, "assessment").and_then(|mut t| {
            let c = ld.clause_under(&mut t, Some(clause));
            let months = t.req_in::<u8>(ld, "max_months_away", 1..=12);
            let days_per_month = t.req_in::<u16>(ld, "days_per_month", 20..=31);
            t.finish(ld);
            Some(AssessmentRule {
                months: months?,
                days_per_month: days_per_month?,
                clause: c,
            })
        });
        let corrections = table.opt_table(ld, "corrections").and_then(|mut t| {
            let rules = crate::punch::CorrectionRules::read(&mut t, ld, clause);
            t.finish(ld);
            rules
        });
        let holiday_months = holiday_months(policy);
        Self {
            holiday_months,
            clause,
            missing_punch,
            late,
            early_leave,
            streak,
            absence_streak,
            deductions,
            fund,
            full_attendance,
            unapproved_leave,
            assessment,
            corrections,
        }
    }
}

/// `[attendance.streak]`: a run of lates or early leaves that counts as an
/// absence.
fn read_streak(mut t: Table<'_, '_>, ld: &mut Loader, clause: ClauseRef) -> Option<Streak> {
    let c = ld.clause_under(&mut t, Some(clause));
    let count = t.req_in::<u8>(ld, "count", 2..=31);
    let consecutive = req_choice::<Consecutive>(
        &mut t,
        ld,
        "consecutive",
        "the handbook leaves open whether consecutive means occurrences or working days: write `consecutive = \"occurrences\"` or `\"working_days\"`",
    );
    let converted = req_choice::<Converted>(
        &mut t,
        ld,
        "converted",
        "the handbook leaves open whether the converted absence replaces the occurrences' deductions or adds to them: write `converted = \"replaces\"` or `\"adds\"`",
    );
    t.finish(ld);
    Some(Streak {
        count: count?,
        consecutive: consecutive?,
        converted: converted?,
        clause: c,
    })
}

/// `[attendance.absence_streak]`: a run of absences that costs a share of
/// the month's pay.
fn read_absence_streak(
    mut t: Table<'_, '_>,
    ld: &mut Loader,
    clause: ClauseRef,
) -> Option<AbsenceStreak> {
    let c = ld.clause_under(&mut t, Some(clause));
    let days = t.req_in::<u8>(ld, "days", 2..=31);
    let percent = t.req_in::<Decimal>(ld, "percent_of_pay", Decimal::ZERO..=Decimal::ONE_HUNDRED);
    let base = req_choice::<PayBase>(
        &mut t,
        ld,
        "pay_base",
        "the handbook says \"the month's pay\" without saying which: write `pay_base = \"base_wage\"` or `\"gross\"`",
    );
    let converted = req_choice::<Converted>(
        &mut t,
        ld,
        "converted",
        "the handbook leaves open whether the share of pay replaces the run's own absence deductions or adds to them: write `converted = \"replaces\"` or `\"adds\"`",
    );
    let review: Option<Located<u8>> = t.opt(ld, "review_at");
    t.finish(ld);
    let days = days?;
    if let Some(r) = &review {
        if r.value <= days {
            ld.error(
                ProblemCode::OutOfOrder,
                r.span.clone(),
                &r.path,
                format!("`{}` is {}, not after `days` {days}", r.path, r.value),
            )
            .help("the review comes after a longer run of absences than the deduction");
            return None;
        }
    }
    Some(AbsenceStreak {
        days,
        percent: percent?,
        base: base?,
        converted: converted?,
        review_at: review.map(|r| r.value),
        clause: c,
    })
}

/// The policy's holidays as a day mask per month (`year * 12 + month0`),
/// sorted by month.
fn holiday_months(policy: &Policy) -> Vec<(i32, u32)> {
    let mut holiday_months: Vec<(i32, u32)> = Vec::new();
    for h in policy.calendar.holidays() {
        for d in h.first().iter_days().take_while(|d| *d <= h.last()) {
            let key = d.year() * 12 + d.month0() as i32;
            let bit = 1u32 << d.day0();
            match holiday_months.iter_mut().find(|(k, _)| *k == key) {
                Some((_, mask)) => *mask |= bit,
                None => holiday_months.push((key, bit)),
            }
        }
    }
    holiday_months.sort_unstable();
    holiday_months
}

fn req_choice<T: Choice + crate::policy::read::FromToml>(
    t: &mut Table<'_, '_>,
    ld: &mut Loader,
    key: &'static str,
    help: &str,
) -> Option<T> {
    match t.node(key) {
        Some(n) => n.read::<T>(ld),
        None => {
            t.unstated(ld, key).help(help);
            None
        }
    }
}

fn read_threshold(
    table: &mut Table<'_, '_>,
    ld: &mut Loader,
    key: &'static str,
    section: ClauseRef,
) -> Threshold {
    let Some(mut t) = table.opt_table(ld, key) else {
        return Threshold {
            grace: 0,
            limit: None,
            clause: section,
        };
    };
    let clause = ld.clause_under(&mut t, Some(section));
    let grace = t.opt_in::<u16>(ld, "grace_minutes", 0..=240).unwrap_or(0);
    let limit: Option<Located<u16>> = t.opt(ld, "limit_minutes");
    let at_limit = match (&limit, t.node("at_limit")) {
        (_, Some(n)) => n.read::<AtLimit>(ld),
        (Some(_), None) => {
            t.unstated(ld, "at_limit").help("say whether exactly the limit is still late or already absent: `at_limit = \"late\"` (以内, inclusive) or `\"absent\"`");
            None
        }
        (None, None) => None,
    };
    if let Some(l) = &limit {
        if l.value <= grace {
            ld.error(
                ProblemCode::OutOfOrder,
                l.span.clone(),
                &l.path,
                format!(
                    "`{}` is {} minutes, not after the grace of {grace}",
                    l.path, l.value
                ),
            );
        }
    }
    t.finish(ld);
    Threshold {
        grace,
        limit: limit.zip(at_limit).map(|(l, a)| (l.value, a)),
        clause,
    }
}

/// One rostered day of one agent: the shift and the punches, possibly missing.
///
/// The punches are full date-times: the out punch of a night shift is on the
/// next date.
///
/// ```
/// # use chrono::NaiveDate;
/// # use cs_policy::attendance::{AgentMonth, MonthPay, WorkDay};
/// # let policy = cs_policy::Policy::example("education")?;
/// # let regular = policy.shift_ref("regular").unwrap();
/// # let day = |d: u32, h: u32, m: u32| { let date = NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
/// #     WorkDay { date, shift: regular, clock_in: date.and_hms_opt(h, m, 0), clock_out: date.and_hms_opt(20, 0, 0), overtime_approved: false } };
/// # let absent = |d: u32| WorkDay { clock_in: None, clock_out: None, ..day(d, 9, 0) };
/// # let pay = Some(MonthPay { base_wage: 3000.into(), gross: 4200.into() });
/// let w = day(2, 9, 0);
/// assert_eq!(w.clock_out, w.date.and_hms_opt(20, 0, 0));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkDay {
    /// The date the shift starts.
    pub date: NaiveDate,
    /// The shift rostered (see [`Policy::shift_ref`]).
    pub shift: ShiftRef,
    /// The in punch.
    #[serde(default)]
    pub clock_in: Option<NaiveDateTime>,
    /// The out punch.
    #[serde(default)]
    pub clock_out: Option<NaiveDateTime>,
    /// Whether overtime after the shift was approved beforehand (S8).
    #[serde(default)]
    pub overtime_approved: bool,
}

/// The pay a share-of-pay deduction (A5) is taken from.
///
/// ```
/// use cs_policy::attendance::MonthPay;
/// let pay: MonthPay = serde_json::from_str(r#"{"base_wage": "3000", "gross": "4200.50"}"#).unwrap();
/// assert_eq!(pay.gross.to_string(), "4200.50");
/// # Ok::<(), ()>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthPay {
    /// The month's base wage.
    pub base_wage: Decimal,
    /// The month's gross pay.
    pub gross: Decimal,
}

/// One agent's month: the rostered days with punches, the leave days and
/// (where A5 may apply) the month's pay. Unrostered dates are rest days.
///
/// ```
/// # use chrono::NaiveDate;
/// # use cs_policy::attendance::{AgentMonth, MonthPay, WorkDay};
/// # let policy = cs_policy::Policy::example("education")?;
/// # let regular = policy.shift_ref("regular").unwrap();
/// # let day = |d: u32, h: u32, m: u32| { let date = NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
/// #     WorkDay { date, shift: regular, clock_in: date.and_hms_opt(h, m, 0), clock_out: date.and_hms_opt(20, 0, 0), overtime_approved: false } };
/// # let absent = |d: u32| WorkDay { clock_in: None, clock_out: None, ..day(d, 9, 0) };
/// # let pay = Some(MonthPay { base_wage: 3000.into(), gross: 4200.into() });
/// let month = AgentMonth { agent: "li".into(), year: 2026, month: 3, days: vec![day(2, 9, 0)], leave: vec![], pay };
/// assert_eq!(policy.attendance_report(&month)?.days.len(), 31);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentMonth {
    /// The agent.
    pub agent: String,
    /// The year.
    pub year: i32,
    /// The month, 1–12.
    pub month: u32,
    /// The rostered days, in any order, at most one per date.
    pub days: Vec<WorkDay>,
    /// The leave days the leave rules decided.
    #[serde(default)]
    pub leave: Vec<LeaveDay>,
    /// The month's pay, needed when a share of it is deducted (A5).
    #[serde(default)]
    pub pay: Option<MonthPay>,
}

/// Which punch is missing.
///
/// ```
/// # use chrono::NaiveDate;
/// # use cs_policy::attendance::{AgentMonth, MonthPay, WorkDay};
/// # let policy = cs_policy::Policy::example("education")?;
/// # let regular = policy.shift_ref("regular").unwrap();
/// # let day = |d: u32, h: u32, m: u32| { let date = NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
/// #     WorkDay { date, shift: regular, clock_in: date.and_hms_opt(h, m, 0), clock_out: date.and_hms_opt(20, 0, 0), overtime_approved: false } };
/// # let absent = |d: u32| WorkDay { clock_in: None, clock_out: None, ..day(d, 9, 0) };
/// # let pay = Some(MonthPay { base_wage: 3000.into(), gross: 4200.into() });
/// use cs_policy::attendance::{AbsenceReason, DayStatus, PunchSide};
/// let one_punch = WorkDay { clock_out: None, ..day(2, 9, 0) };
/// let month = AgentMonth { agent: "li".into(), year: 2026, month: 3, days: vec![one_punch], leave: vec![], pay };
/// let status = policy.attendance_report(&month)?.days[1].status;
/// assert_eq!(status, DayStatus::Absent { reason: AbsenceReason::MissingPunch { missing: PunchSide::Out } });
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PunchSide {
    /// The in punch.
    In,
    /// The out punch.
    Out,
}

/// Why a day is absent.
///
/// ```
/// # use chrono::NaiveDate;
/// # use cs_policy::attendance::{AgentMonth, MonthPay, WorkDay};
/// # let policy = cs_policy::Policy::example("education")?;
/// # let regular = policy.shift_ref("regular").unwrap();
/// # let day = |d: u32, h: u32, m: u32| { let date = NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
/// #     WorkDay { date, shift: regular, clock_in: date.and_hms_opt(h, m, 0), clock_out: date.and_hms_opt(20, 0, 0), overtime_approved: false } };
/// # let absent = |d: u32| WorkDay { clock_in: None, clock_out: None, ..day(d, 9, 0) };
/// # let pay = Some(MonthPay { base_wage: 3000.into(), gross: 4200.into() });
/// use cs_policy::attendance::{AbsenceReason, DayStatus};
/// let month = AgentMonth { agent: "li".into(), year: 2026, month: 3, days: vec![day(2, 9, 31)], leave: vec![], pay };
/// let status = policy.attendance_report(&month)?.days[1].status;
/// assert_eq!(status, DayStatus::Absent { reason: AbsenceReason::LateBeyondLimit { minutes: 31 } });
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum AbsenceReason {
    /// Rostered, no punch at all.
    NoPunch,
    /// Late by more than the limit (A1).
    LateBeyondLimit {
        /// Minutes late.
        minutes: u16,
    },
    /// Left early by more than the limit (A2).
    EarlyBeyondLimit {
        /// Minutes early.
        minutes: u16,
    },
    /// On leave that was not approved in the required way (A7).
    UnapprovedLeave,
    /// One punch missing, which the policy counts as absence.
    MissingPunch {
        /// The punch missing.
        missing: PunchSide,
    },
}

/// What a day was.
///
/// ```
/// # use chrono::NaiveDate;
/// # use cs_policy::attendance::{AgentMonth, MonthPay, WorkDay};
/// # let policy = cs_policy::Policy::example("education")?;
/// # let regular = policy.shift_ref("regular").unwrap();
/// # let day = |d: u32, h: u32, m: u32| { let date = NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
/// #     WorkDay { date, shift: regular, clock_in: date.and_hms_opt(h, m, 0), clock_out: date.and_hms_opt(20, 0, 0), overtime_approved: false } };
/// # let absent = |d: u32| WorkDay { clock_in: None, clock_out: None, ..day(d, 9, 0) };
/// # let pay = Some(MonthPay { base_wage: 3000.into(), gross: 4200.into() });
/// use cs_policy::attendance::DayStatus;
/// let month = AgentMonth { agent: "li".into(), year: 2026, month: 3, days: vec![day(2, 9, 0)], leave: vec![], pay };
/// let days = policy.attendance_report(&month)?.days;
/// assert_eq!((days[0].status, days[1].status), (DayStatus::Rest, DayStatus::OnTime));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum DayStatus {
    /// Worked the rostered shift on time.
    OnTime,
    /// Arrived late, within the limit (A1).
    Late {
        /// Minutes late (whole minutes; part-minutes are dropped).
        minutes: u16,
    },
    /// Left early, within the limit (A2).
    EarlyLeave {
        /// Minutes early.
        minutes: u16,
    },
    /// Both late and left early, each within its limit: two occurrences.
    LateAndEarlyLeave {
        /// Minutes late.
        late: u16,
        /// Minutes early.
        early: u16,
    },
    /// Absent.
    Absent {
        /// Why.
        #[serde(flatten)]
        reason: AbsenceReason,
    },
    /// On approved leave.
    OnLeave,
    /// Not rostered: a rest day.
    Rest,
    /// Not rostered on a public holiday.
    Holiday,
    /// One punch missing, recorded without penalty.
    MissingPunch {
        /// The punch missing.
        missing: PunchSide,
    },
}

impl DayStatus {
    fn occurrences(self) -> (u8, u8) {
        match self {
            Self::Late { .. } => (1, 0),
            Self::EarlyLeave { .. } => (0, 1),
            Self::LateAndEarlyLeave { .. } => (1, 1),
            _ => (0, 0),
        }
    }
}

/// What the time after a shift's end was (recorded, never penalised).
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::attendance::{AfterEndKind, AgentMonth, WorkDay};
/// let policy = cs_policy::Policy::example("call-centre")?;
/// let date = NaiveDate::from_ymd_opt(2026, 3, 7).unwrap();
/// let day = WorkDay { date, shift: policy.shift_ref("office").unwrap(), clock_in: date.and_hms_opt(9, 0, 0),
///     clock_out: date.and_hms_opt(19, 0, 0), overtime_approved: false };
/// let month = AgentMonth { agent: "zhao".into(), year: 2026, month: 3, days: vec![day], leave: vec![], pay: None };
/// let after = policy.attendance_report(&month)?.days[6].after_end.unwrap();
/// assert_eq!((after.kind, after.minutes), (AfterEndKind::UnapprovedOvertime, 60)); // S8
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AfterEndKind {
    /// The shift extended while a customer was still being served (S2).
    Extension,
    /// Overtime approved beforehand (S8).
    ApprovedOvertime,
    /// Overtime without the prior approval the policy requires (S8).
    UnapprovedOvertime,
}

/// Time stayed after the shift's end.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::attendance::{AfterEndKind, AgentMonth, WorkDay};
/// let policy = cs_policy::Policy::example("shop")?;
/// let date = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
/// let day = WorkDay { date, shift: policy.shift_ref("p1_night").unwrap(), clock_in: date.and_hms_opt(17, 30, 0),
///     clock_out: NaiveDate::from_ymd_opt(2026, 4, 1).unwrap().and_hms_opt(1, 40, 0), overtime_approved: false };
/// let month = AgentMonth { agent: "a".into(), year: 2026, month: 3, days: vec![day], leave: vec![], pay: None };
/// let after = policy.attendance_report(&month)?.days[30].after_end.unwrap();
/// assert_eq!((after.kind, after.minutes), (AfterEndKind::Extension, 40)); // S2
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AfterEnd {
    /// What it was.
    pub kind: AfterEndKind,
    /// Whole minutes after the end.
    pub minutes: u16,
    /// The clause (the shift type for S2, `shifts.overtime` for S8).
    pub clause: ClauseRef,
}

/// An arrival later than the early arrival the shift expects (S5),
/// recorded, not penalised.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::attendance::{AgentMonth, WorkDay};
/// let policy = cs_policy::Policy::example("shop")?;
/// let date = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
/// let day = WorkDay { date, shift: policy.shift_ref("p3_day").unwrap(), clock_in: date.and_hms_opt(7, 57, 0),
///     clock_out: date.and_hms_opt(17, 0, 0), overtime_approved: false };
/// let month = AgentMonth { agent: "a".into(), year: 2026, month: 3, days: vec![day], leave: vec![], pay: None };
/// let short = policy.attendance_report(&month)?.days[1].short_arrival.unwrap();
/// assert_eq!((short.minutes_before, short.expected), (3, 10)); // S5
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ShortArrival {
    /// Whole minutes the agent arrived before the start (0 when late).
    pub minutes_before: u16,
    /// The minutes expected.
    pub expected: u16,
    /// The clause (`shifts.types.<id>.arrive_early`).
    pub clause: ClauseRef,
}

/// One day of one agent's month, classified.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::Policy;
/// use cs_policy::attendance::{AgentMonth, DayStatus, WorkDay};
///
/// let policy = Policy::example("education")?;
/// let date = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(); // a Monday, 09:00–20:00
/// let day = WorkDay {
///     date,
///     shift: policy.shift_ref("regular").unwrap(),
///     clock_in: date.and_hms_opt(9, 30, 0),
///     clock_out: date.and_hms_opt(20, 0, 0),
///     overtime_approved: false,
/// };
/// let month = AgentMonth { agent: "li".into(), year: 2026, month: 3, days: vec![day], leave: vec![], pay: None };
/// let report = policy.attendance_report(&month)?;
/// // A1: thirty minutes late is still late (以内).
/// assert_eq!(report.days[1].status, DayStatus::Late { minutes: 30 });
/// assert_eq!(policy.clause(report.days[1].clause).id(), "attendance.late");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DayRecord {
    /// The date (the date a night shift starts).
    pub date: NaiveDate,
    /// The shift rostered, if any.
    pub shift: Option<ShiftRef>,
    /// What the day was.
    #[serde(flatten)]
    pub status: DayStatus,
    /// The clause that decided the status.
    pub clause: ClauseRef,
    /// An arrival later than the expected early arrival (S5).
    pub short_arrival: Option<ShortArrival>,
    /// Time stayed after the end (S2 extension, S8 overtime).
    pub after_end: Option<AfterEnd>,
}

/// Counts of one month's events: what the KPI attendance item (A9,
/// [`crate::kpi::ItemKind::Attendance`]) scores.
///
/// ```
/// use cs_policy::attendance::AttendanceCounts;
/// use cs_policy::kpi::CardFacts;
/// let counts = AttendanceCounts { late: 2, ..Default::default() };
/// let policy = cs_policy::Policy::example("shop")?;
/// let card = policy.kpi().unwrap().scorecard("after_sales").unwrap();
/// let item = card.items().iter().position(|i| i.id() == "attendance").unwrap();
/// # let facts: CardFacts = serde_json::from_str(r#"{"items": [{"item": "quality", "value": {"grade": "good"}}, {"item": "refund_rate", "value": {"metric": "4"}}, {"item": "disputes", "value": {"grade": "good"}}, {"item": "cooperation", "value": {"grade": "good"}}, {"item": "execution", "value": {"grade": "good"}}]}"#)?;
/// let score = card.score(&facts, &counts)?;
/// assert_eq!(score.items[item].points.to_string(), "10"); // A9: 20 less 5 per late
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AttendanceCounts {
    /// Rostered days.
    pub rostered: u16,
    /// Days on time.
    pub on_time: u16,
    /// Late arrivals within the limit.
    pub late: u16,
    /// Early leaves within the limit.
    pub early_leave: u16,
    /// Days absent (not counting absences converted from lates, A3).
    pub absent: u16,
    /// Absences converted from streaks of lates and early leaves (A3).
    pub converted_absences: u16,
    /// Days on approved leave.
    pub on_leave: u16,
    /// Leaves taken: runs of rostered days on approved leave, rest days
    /// between not breaking a run (A9 counts each leave once).
    pub leaves: u16,
    /// Days with a punch missing, recorded without penalty.
    pub missing_punch: u16,
}

/// What a deduction is for.
///
/// ```
/// # use chrono::NaiveDate;
/// # use cs_policy::attendance::{AgentMonth, MonthPay, WorkDay};
/// # let policy = cs_policy::Policy::example("education")?;
/// # let regular = policy.shift_ref("regular").unwrap();
/// # let day = |d: u32, h: u32, m: u32| { let date = NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
/// #     WorkDay { date, shift: regular, clock_in: date.and_hms_opt(h, m, 0), clock_out: date.and_hms_opt(20, 0, 0), overtime_approved: false } };
/// # let absent = |d: u32| WorkDay { clock_in: None, clock_out: None, ..day(d, 9, 0) };
/// # let pay = Some(MonthPay { base_wage: 3000.into(), gross: 4200.into() });
/// use cs_policy::attendance::DeductionKind;
/// let month = AgentMonth { agent: "li".into(), year: 2026, month: 3, days: vec![day(2, 9, 5), absent(3)], leave: vec![], pay };
/// let kinds: Vec<_> = policy.attendance_report(&month)?.summary.deductions.iter().map(|d| d.kind).collect();
/// assert_eq!(kinds, [DeductionKind::Late, DeductionKind::Absence]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeductionKind {
    /// Late arrivals (A4).
    Late,
    /// Early leaves (A4).
    EarlyLeave,
    /// Absences (A4).
    Absence,
    /// Absences converted from streaks (A3 at the A4 rate).
    ConvertedAbsence,
    /// A share of the month's pay for a run of absences (A5).
    ShareOfPay,
}

/// One deduction line of a month: a count at a rate, or a share of pay.
///
/// ```
/// # use chrono::NaiveDate;
/// # use cs_policy::attendance::{AgentMonth, MonthPay, WorkDay};
/// # let policy = cs_policy::Policy::example("education")?;
/// # let regular = policy.shift_ref("regular").unwrap();
/// # let day = |d: u32, h: u32, m: u32| { let date = NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
/// #     WorkDay { date, shift: regular, clock_in: date.and_hms_opt(h, m, 0), clock_out: date.and_hms_opt(20, 0, 0), overtime_approved: false } };
/// # let absent = |d: u32| WorkDay { clock_in: None, clock_out: None, ..day(d, 9, 0) };
/// # let pay = Some(MonthPay { base_wage: 3000.into(), gross: 4200.into() });
/// let month = AgentMonth { agent: "li".into(), year: 2026, month: 3, days: vec![absent(3)], leave: vec![], pay };
/// let line = policy.attendance_report(&month)?.summary.deductions[0];
/// assert_eq!((line.count, line.amount.to_string()), (1, "50".to_owned())); // A4
/// assert_eq!(policy.fund(line.fund.unwrap()).unwrap().id(), "reward"); // A8
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Deduction {
    /// What it is for.
    pub kind: DeductionKind,
    /// The date of the last occurrence counted (for a share of pay, the
    /// absence it is taken at).
    pub date: NaiveDate,
    /// Occurrences counted (1 for a share of pay).
    pub count: u16,
    /// The amount per occurrence (for a share of pay, the percent).
    pub each: Decimal,
    /// The amount deducted, rounded where it is a share.
    pub amount: Decimal,
    /// The fund it goes to (A8), shown as its index in `Policy::funds`.
    pub fund: Option<FundRef>,
    /// The clause that sets the amount.
    pub clause: ClauseRef,
}

/// A streak of lates or early leaves converted to one absence (A3).
///
/// ```
/// # use chrono::NaiveDate;
/// # use cs_policy::attendance::{AgentMonth, MonthPay, WorkDay};
/// # let policy = cs_policy::Policy::example("education")?;
/// # let regular = policy.shift_ref("regular").unwrap();
/// # let day = |d: u32, h: u32, m: u32| { let date = NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
/// #     WorkDay { date, shift: regular, clock_in: date.and_hms_opt(h, m, 0), clock_out: date.and_hms_opt(20, 0, 0), overtime_approved: false } };
/// # let absent = |d: u32| WorkDay { clock_in: None, clock_out: None, ..day(d, 9, 0) };
/// # let pay = Some(MonthPay { base_wage: 3000.into(), gross: 4200.into() });
/// let month = AgentMonth { agent: "li".into(), year: 2026, month: 3, days: vec![day(2, 9, 5), day(3, 9, 5), day(4, 9, 5)], leave: vec![], pay };
/// let conversion = policy.attendance_report(&month)?.summary.conversions[0];
/// assert_eq!(conversion.date, NaiveDate::from_ymd_opt(2026, 3, 4).unwrap());
/// assert_eq!(policy.clause(conversion.clause).id(), "attendance.streak"); // A3
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Conversion {
    /// The date of the last occurrence of the streak.
    pub date: NaiveDate,
    /// The clause.
    pub clause: ClauseRef,
}

/// An action that carries no amount.
///
/// ```
/// # use chrono::NaiveDate;
/// # use cs_policy::attendance::{AgentMonth, MonthPay, WorkDay};
/// # let policy = cs_policy::Policy::example("education")?;
/// # let regular = policy.shift_ref("regular").unwrap();
/// # let day = |d: u32, h: u32, m: u32| { let date = NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
/// #     WorkDay { date, shift: regular, clock_in: date.and_hms_opt(h, m, 0), clock_out: date.and_hms_opt(20, 0, 0), overtime_approved: false } };
/// # let absent = |d: u32| WorkDay { clock_in: None, clock_out: None, ..day(d, 9, 0) };
/// # let pay = Some(MonthPay { base_wage: 3000.into(), gross: 4200.into() });
/// use cs_policy::attendance::ActionKind;
/// let month = AgentMonth { agent: "li".into(), year: 2026, month: 3, days: (2..=6).map(absent).collect(), leave: vec![], pay };
/// let action = policy.attendance_report(&month)?.summary.actions[0];
/// assert_eq!(action.kind, ActionKind::DismissalReview); // A5
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Action {
    /// What to do.
    pub kind: ActionKind,
    /// The date that triggered it.
    pub date: NaiveDate,
    /// The clause.
    pub clause: ClauseRef,
}

/// The kind of an action.
///
/// ```
/// use cs_policy::attendance::ActionKind;
/// assert_eq!(serde_json::to_value(ActionKind::DismissalReview).unwrap(), "dismissal_review");
/// # Ok::<(), ()>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// A dismissal review (A5: five consecutive absences, 严肃处理).
    DismissalReview,
}

/// The full-attendance bonus earned (A6).
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::attendance::{AgentMonth, WorkDay};
/// let policy = cs_policy::Policy::example("call-centre")?;
/// let date = NaiveDate::from_ymd_opt(2026, 3, 7).unwrap();
/// let day = WorkDay { date, shift: policy.shift_ref("office").unwrap(), clock_in: date.and_hms_opt(9, 0, 0),
///     clock_out: date.and_hms_opt(18, 0, 0), overtime_approved: false };
/// let month = AgentMonth { agent: "zhao".into(), year: 2026, month: 3, days: vec![day], leave: vec![], pay: None };
/// let bonus = policy.attendance_report(&month)?.summary.full_attendance.unwrap();
/// assert_eq!(bonus.amount.unwrap().to_string(), "100"); // A6
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FullAttendance {
    /// The amount, when the policy sets one here (else pay sets it).
    pub amount: Option<Decimal>,
    /// The clause.
    pub clause: ClauseRef,
}

/// One agent's month, summed up.
///
/// ```
/// # use chrono::NaiveDate;
/// # use cs_policy::attendance::{AgentMonth, MonthPay, WorkDay};
/// # let policy = cs_policy::Policy::example("education")?;
/// # let regular = policy.shift_ref("regular").unwrap();
/// # let day = |d: u32, h: u32, m: u32| { let date = NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
/// #     WorkDay { date, shift: regular, clock_in: date.and_hms_opt(h, m, 0), clock_out: date.and_hms_opt(20, 0, 0), overtime_approved: false } };
/// # let absent = |d: u32| WorkDay { clock_in: None, clock_out: None, ..day(d, 9, 0) };
/// # let pay = Some(MonthPay { base_wage: 3000.into(), gross: 4200.into() });
/// let month = AgentMonth { agent: "li".into(), year: 2026, month: 3, days: vec![day(2, 9, 0)], leave: vec![], pay };
/// let summary = policy.attendance_report(&month)?.summary;
/// assert_eq!((summary.counts.on_time, summary.total_deducted.is_zero()), (1, true));
/// assert!(summary.full_attendance.is_some());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthSummary {
    /// The counts of events.
    pub counts: AttendanceCounts,
    /// Streaks converted to absences (A3).
    pub conversions: Vec<Conversion>,
    /// The deduction lines, each with its clause and fund.
    pub deductions: Vec<Deduction>,
    /// Actions without an amount (A5 dismissal review).
    pub actions: Vec<Action>,
    /// The full-attendance bonus, when earned (A6).
    pub full_attendance: Option<FullAttendance>,
    /// The sum of every deduction.
    pub total_deducted: Decimal,
    /// The fund deductions go to, with its clause (A8).
    pub fund: Option<(FundRef, ClauseRef)>,
}

/// A month classified day by day, with its summary.
///
/// ```
/// # use chrono::NaiveDate;
/// # use cs_policy::attendance::{AgentMonth, MonthPay, WorkDay};
/// # let policy = cs_policy::Policy::example("education")?;
/// # let regular = policy.shift_ref("regular").unwrap();
/// # let day = |d: u32, h: u32, m: u32| { let date = NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
/// #     WorkDay { date, shift: regular, clock_in: date.and_hms_opt(h, m, 0), clock_out: date.and_hms_opt(20, 0, 0), overtime_approved: false } };
/// # let absent = |d: u32| WorkDay { clock_in: None, clock_out: None, ..day(d, 9, 0) };
/// # let pay = Some(MonthPay { base_wage: 3000.into(), gross: 4200.into() });
/// let month = AgentMonth { agent: "li".into(), year: 2026, month: 3, days: vec![day(2, 9, 0)], leave: vec![], pay };
/// let report = policy.attendance_report(&month)?;
/// let json = serde_json::to_value(&report)?;
/// assert_eq!(json["days"][1]["status"], "on_time");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthReport {
    /// Every date of the month, in order.
    pub days: Vec<DayRecord>,
    /// The month summed up.
    pub summary: MonthSummary,
}

/// Whether an agent is assessed for a period (A10).
///
/// ```
/// let policy = cs_policy::Policy::example("call-centre")?;
/// let a = policy.assessed(75)?;
/// assert_eq!((a.assessed, a.limit_days), (false, 60)); // A10
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Assessed {
    /// Whether the agent is assessed.
    pub assessed: bool,
    /// The most days away that still allow assessment.
    pub limit_days: u32,
    /// The clause.
    pub clause: ClauseRef,
}

/// A punch in the roster form: an agent's punches for the shift starting on a date.
///
/// ```
/// let punch: cs_policy::attendance::Punch = serde_json::from_str(
///     r#"{"agent": "ann", "date": "2026-03-31", "clock_in": "2026-03-31T17:28:00", "clock_out": "2026-04-01T01:05:00"}"#,
/// ).unwrap();
/// assert_eq!(punch.date.to_string(), "2026-03-31"); // the night shift's day
/// # Ok::<(), ()>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Punch {
    /// The agent.
    pub agent: String,
    /// The date the shift starts.
    pub date: NaiveDate,
    /// The in punch.
    #[serde(default)]
    pub clock_in: Option<NaiveDateTime>,
    /// The out punch.
    #[serde(default)]
    pub clock_out: Option<NaiveDateTime>,
}

/// A leave day of one agent, in the roster form.
///
/// ```
/// let leave: cs_policy::attendance::AgentLeave = serde_json::from_str(r#"{"agent": "ann", "date": "2026-03-02", "approved": true}"#).unwrap();
/// assert!(leave.day.approved);
/// # Ok::<(), ()>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentLeave {
    /// The agent.
    pub agent: String,
    /// The leave day.
    #[serde(flatten)]
    pub day: LeaveDay,
}

/// Facts that cannot be evaluated, or a policy without the section needed.
///
/// ```
/// # use chrono::NaiveDate;
/// # use cs_policy::attendance::{AgentMonth, MonthPay, WorkDay};
/// # let policy = cs_policy::Policy::example("education")?;
/// # let regular = policy.shift_ref("regular").unwrap();
/// # let day = |d: u32, h: u32, m: u32| { let date = NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
/// #     WorkDay { date, shift: regular, clock_in: date.and_hms_opt(h, m, 0), clock_out: date.and_hms_opt(20, 0, 0), overtime_approved: false } };
/// # let absent = |d: u32| WorkDay { clock_in: None, clock_out: None, ..day(d, 9, 0) };
/// # let pay = Some(MonthPay { base_wage: 3000.into(), gross: 4200.into() });
/// use cs_policy::attendance::AttendanceError;
/// let backwards = WorkDay { clock_out: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap().and_hms_opt(8, 0, 0), ..day(2, 9, 0) };
/// let month = AgentMonth { agent: "li".into(), year: 2026, month: 3, days: vec![backwards], leave: vec![], pay };
/// let err = policy.attendance_report(&month).unwrap_err();
/// assert!(matches!(err, AttendanceError::OutBeforeIn { .. }));
/// assert!(err.to_string().contains("`li`"));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttendanceError {
    /// A date the holiday calendars do not cover.
    #[error(transparent)]
    Calendar(#[from] crate::calendar::CalendarError),
    /// The policy has no `[attendance]` section.
    #[error("the policy has no `[attendance]` section")]
    NoAttendanceRules,
    /// The policy has no `[shifts]` section.
    #[error("the policy has no `[shifts]` section, so no day can be rostered")]
    NoShiftRules,
    /// The month given does not exist.
    #[error("month {year}-{month} of agent `{agent}` does not exist; give a month from 1 to 12")]
    InvalidMonth {
        /// The agent.
        agent: String,
        /// The year.
        year: i32,
        /// The month.
        month: u32,
    },
    /// A fact is dated outside the month evaluated.
    #[error(
        "{what} of agent `{agent}` on {date} lies outside {year}-{month:02}; evaluate it with its own month"
    )]
    DateOutsideMonth {
        /// The agent.
        agent: String,
        /// What the fact is.
        what: &'static str,
        /// Its date.
        date: NaiveDate,
        /// The year evaluated.
        year: i32,
        /// The month evaluated.
        month: u32,
    },
    /// Two facts for one agent and date.
    #[error("{what} of agent `{agent}` on {date} is given twice; give one per date")]
    Duplicate {
        /// The agent.
        agent: String,
        /// What the fact is.
        what: &'static str,
        /// The date.
        date: NaiveDate,
    },
    /// A shift reference the policy does not define.
    #[error(
        "day {date} of agent `{agent}` names shift number {shift}, which the policy does not define; resolve ids with `Policy::shift_ref`"
    )]
    UnknownShiftRef {
        /// The agent.
        agent: String,
        /// The date.
        date: NaiveDate,
        /// The shift's number.
        shift: usize,
    },
    /// A roster entry names a shift id the policy does not define.
    #[error(
        "roster entry of agent `{agent}` on {date} names shift `{shift}`, which the policy does not define"
    )]
    UnknownShift {
        /// The agent.
        agent: String,
        /// The date.
        date: NaiveDate,
        /// The id given.
        shift: String,
    },
    /// The out punch is before the in punch.
    #[error(
        "agent `{agent}` on {date} punched out at {clock_out} before punching in at {clock_in}; correct the punches"
    )]
    OutBeforeIn {
        /// The agent.
        agent: String,
        /// The date.
        date: NaiveDate,
        /// The in punch.
        clock_in: NaiveDateTime,
        /// The out punch.
        clock_out: NaiveDateTime,
    },
    /// A punch more than a day away from its shift's date.
    #[error(
        "agent `{agent}` has a punch at {punch} for the shift of {date}, more than a day away; attach it to the right date"
    )]
    PunchFarFromShift {
        /// The agent.
        agent: String,
        /// The shift's date.
        date: NaiveDate,
        /// The punch.
        punch: NaiveDateTime,
    },
    /// Punches for an agent and date with no roster entry.
    #[error(
        "agent `{agent}` has punches on {date} but no roster entry that day; roster the shift or drop the punches"
    )]
    PunchWithoutRoster {
        /// The agent.
        agent: String,
        /// The date.
        date: NaiveDate,
    },
    /// A share of pay is due but the month's pay was not given.
    #[error(
        "agent `{agent}` owes a share of the month's pay from {date} (A5), but the month's pay was not given; fill `pay`"
    )]
    PayNeeded {
        /// The agent.
        agent: String,
        /// The date it is taken at.
        date: NaiveDate,
    },
    /// The policy has no rule for the item asked.
    #[error("the policy's `[attendance]` has no `{0}` table")]
    NotStated(&'static str),
    /// An amount too large to compute: the month's pay or a policy amount
    /// far beyond any payroll (see [`Overflow`]).
    #[error("agent `{agent}`: {error}; check the amounts for a typing mistake")]
    Overflow {
        /// The agent.
        agent: String,
        /// What overflowed, with its values.
        #[source]
        error: Overflow,
    },
}

/// A deduction's rate in words, for overflow messages.
fn kind_words(kind: DeductionKind) -> &'static str {
    match kind {
        DeductionKind::Late => "the late deduction",
        DeductionKind::EarlyLeave => "the early-leave deduction",
        DeductionKind::Absence => "the absence deduction",
        DeductionKind::ConvertedAbsence => "the converted absence deduction",
        DeductionKind::ShareOfPay => "the share of pay",
    }
}

const NO_DAY: u8 = u8::MAX;

fn secs_from(date: NaiveDate, t: NaiveDateTime) -> i64 {
    let d = t.date();
    // Punches fall within a day of their shift: within one year the ordinals
    // differ by the days between, which avoids a calendar computation.
    let days = if d.year() == date.year() {
        i64::from(d.ordinal()) - i64::from(date.ordinal())
    } else {
        i64::from(d.num_days_from_ce()) - i64::from(date.num_days_from_ce())
    };
    days * 86_400 + i64::from(t.time().num_seconds_from_midnight())
}

fn whole_minutes(secs: i64) -> u16 {
    u16::try_from(secs.max(0) / 60).unwrap_or(u16::MAX)
}

impl Policy {
    /// The `[attendance]` section, if the policy has one.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("education")?;
    /// assert!(policy.attendance().is_some());
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn attendance(&self) -> Option<&AttendanceRules> {
        self.attendance.as_ref()
    }

    /// Classifies one agent's month into `days` (cleared first; one record per
    /// date, in order) and sums it up: streak conversions (A3), deductions
    /// (A4, A5) to their fund (A8), actions (A5) and the full-attendance
    /// bonus (A6).
    ///
    /// Reuse `days` across calls: nothing else is allocated per day.
    ///
    /// How the month is counted:
    /// - minutes late or early are whole minutes, part-minutes dropped;
    ///   a day both late and early is two occurrences;
    /// - approved leave on a rostered day wins over its punches; leave on an
    ///   unrostered day leaves it a rest day;
    /// - A3 streaks convert every `count` occurrences (or rostered days in a
    ///   row, as the policy states) into one absence; converted absences do
    ///   not feed the A5 absence runs;
    /// - A5 runs count rostered days absent in a row (rest days do not break
    ///   them); the share of pay is taken once a month, at the day the first
    ///   run reaches its length, on top of that run's absence deductions or
    ///   in place of them as the policy states; each run reaching
    ///   `review_at` adds a review;
    /// - full attendance (A6) needs no late, early leave, absence or missing
    ///   punch, and no leave when the policy says leave breaks it.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::Policy;
    /// use cs_policy::attendance::{AgentMonth, DeductionKind, WorkDay};
    ///
    /// let policy = Policy::example("education")?;
    /// let regular = policy.shift_ref("regular").unwrap();
    /// let day = |d: u32, late: u32| {
    ///     let date = NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
    ///     WorkDay { date, shift: regular, clock_in: date.and_hms_opt(9, late, 0),
    ///               clock_out: date.and_hms_opt(20, 0, 0), overtime_approved: false }
    /// };
    /// let month = AgentMonth { agent: "li".into(), year: 2026, month: 3,
    ///     days: vec![day(2, 5), day(3, 0), day(4, 10)], leave: vec![], pay: None };
    /// let mut days = Vec::new();
    /// let summary = policy.attendance_month(&month, &mut days)?;
    /// assert_eq!(days.len(), 31);
    /// assert_eq!(summary.counts.late, 2);
    /// assert_eq!(summary.deductions[0].kind, DeductionKind::Late);
    /// assert_eq!(summary.total_deducted.to_string(), "40"); // A4: 20 each
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn attendance_month(
        &self,
        facts: &AgentMonth,
        days: &mut Vec<DayRecord>,
    ) -> Result<MonthSummary, AttendanceError> {
        let rules = self
            .attendance
            .as_ref()
            .ok_or(AttendanceError::NoAttendanceRules)?;
        let shifts = self.shifts.as_ref().ok_or(AttendanceError::NoShiftRules)?;
        let agent = || facts.agent.clone();
        let first = NaiveDate::from_ymd_opt(facts.year, facts.month, 1).ok_or_else(|| {
            AttendanceError::InvalidMonth {
                agent: agent(),
                year: facts.year,
                month: facts.month,
            }
        })?;
        // Holidays decide rest days: the month must be in the calendar's years.
        self.calendar.covers(first)?;
        let outside = |what, date| AttendanceError::DateOutsideMonth {
            agent: agent(),
            what,
            date,
            year: facts.year,
            month: facts.month,
        };
        let in_month = |d: NaiveDate| d.year() == facts.year && d.month() == facts.month;
        let mut slot = [NO_DAY; 31];
        for (i, d) in facts.days.iter().enumerate() {
            if !in_month(d.date) {
                return Err(outside("rostered day", d.date));
            }
            let s = &mut slot[d.date.day0() as usize];
            if *s != NO_DAY {
                return Err(AttendanceError::Duplicate {
                    agent: agent(),
                    what: "rostered day",
                    date: d.date,
                });
            }
            *s = u8::try_from(i).unwrap_or(NO_DAY);
        }
        let (mut leave_ok, mut leave_bad) = (0u32, 0u32);
        for l in &facts.leave {
            if !in_month(l.date) {
                return Err(outside("leave day", l.date));
            }
            let bit = 1u32 << l.date.day0();
            if (leave_ok | leave_bad) & bit != 0 {
                return Err(AttendanceError::Duplicate {
                    agent: agent(),
                    what: "leave day",
                    date: l.date,
                });
            }
            if l.approved {
                leave_ok |= bit;
            } else {
                leave_bad |= bit;
            }
        }

        let holidays = rules
            .holiday_months
            .binary_search_by_key(&(facts.year * 12 + first.month0() as i32), |(k, _)| *k)
            .ok()
            .and_then(|i| rules.holiday_months.get(i))
            .map_or(0, |(_, mask)| *mask);
        days.clear();
        let n_days = crate::calendar::days_in_month(facts.year, facts.month);
        let first_wd = first.weekday().num_days_from_monday();
        let mut counts = AttendanceCounts::default();
        let mut conversions = Vec::new();
        let mut actions = Vec::new();
        // A3 run: length in the policy's unit, and the occurrences it holds.
        let (mut run, mut run_late, mut run_early) = (0u8, 0u16, 0u16);
        let (mut consumed_late, mut consumed_early) = (0u16, 0u16);
        let mut absent_run = 0u8;
        let mut on_leave_before = false;
        let mut share_at: Option<NaiveDate> = None;
        let mut last = [first; 4]; // last late, early, absence, conversion
        let mut date = first;
        for k in 0..n_days {
            if k > 0 {
                date = date.succ_opt().unwrap_or(date);
            }
            let bit = 1u32 << k;
            let Some(fact) = facts.days.get(usize::from(slot[k as usize])) else {
                let holiday = (holidays & bit != 0)
                    .then(|| self.calendar.holiday_in_covered(date))
                    .flatten();
                let (status, clause) = match holiday {
                    Some(h) => (DayStatus::Holiday, h.clause()),
                    None => (DayStatus::Rest, shifts.clause()),
                };
                days.push(DayRecord {
                    date,
                    shift: None,
                    status,
                    clause,
                    short_arrival: None,
                    after_end: None,
                });
                continue;
            };
            let ty = shifts
                .get(fact.shift)
                .ok_or_else(|| AttendanceError::UnknownShiftRef {
                    agent: agent(),
                    date,
                    shift: fact.shift.index(),
                })?;
            let hours = ty.week_hours((first_wd + k) % 7);
            let mut rec = DayRecord {
                date,
                shift: Some(fact.shift),
                status: DayStatus::OnTime,
                clause: rules.clause,
                short_arrival: None,
                after_end: None,
            };
            counts.rostered += 1;
            if leave_ok & bit != 0 {
                rec.status = DayStatus::OnLeave;
            } else if leave_bad & bit != 0 {
                rec.status = DayStatus::Absent {
                    reason: AbsenceReason::UnapprovedLeave,
                };
                rec.clause = rules.unapproved_leave;
            } else {
                let check = |p: NaiveDateTime| {
                    let s = secs_from(date, p);
                    if (-86_400..2 * 86_400).contains(&s) {
                        Ok(s)
                    } else {
                        Err(AttendanceError::PunchFarFromShift {
                            agent: agent(),
                            date,
                            punch: p,
                        })
                    }
                };
                let start = i64::from(hours.start_minute()) * 60;
                let end = i64::from(hours.end_minute()) * 60;
                match (fact.clock_in, fact.clock_out) {
                    (None, None) => {
                        rec.status = DayStatus::Absent {
                            reason: AbsenceReason::NoPunch,
                        };
                    }
                    (Some(i), Some(o)) => {
                        if o < i {
                            return Err(AttendanceError::OutBeforeIn {
                                agent: agent(),
                                date,
                                clock_in: i,
                                clock_out: o,
                            });
                        }
                        let (si, so) = (check(i)?, check(o)?);
                        let late = whole_minutes(si - start);
                        let early = whole_minutes(end - so);
                        let is_late = late > rules.late.grace;
                        let is_early = early > rules.early_leave.grace;
                        if is_late && rules.late.absent(late) {
                            rec.status = DayStatus::Absent {
                                reason: AbsenceReason::LateBeyondLimit { minutes: late },
                            };
                            rec.clause = rules.late.clause;
                        } else if is_early && rules.early_leave.absent(early) {
                            rec.status = DayStatus::Absent {
                                reason: AbsenceReason::EarlyBeyondLimit { minutes: early },
                            };
                            rec.clause = rules.early_leave.clause;
                        } else if is_late && is_early {
                            rec.status = DayStatus::LateAndEarlyLeave { late, early };
                            rec.clause = rules.late.clause;
                        } else if is_late {
                            rec.status = DayStatus::Late { minutes: late };
                            rec.clause = rules.late.clause;
                        } else if is_early {
                            rec.status = DayStatus::EarlyLeave { minutes: early };
                            rec.clause = rules.early_leave.clause;
                        }
                        if let Some(a) = ty.arrive_early() {
                            let before = whole_minutes(start - si);
                            if before < a.min_minutes {
                                rec.short_arrival = Some(ShortArrival {
                                    minutes_before: before,
                                    expected: a.min_minutes,
                                    clause: a.clause,
                                });
                            }
                        }
                        let after = whole_minutes(so - end);
                        if after > 0 {
                            rec.after_end = if ty.extends_while_serving() {
                                Some(AfterEnd {
                                    kind: AfterEndKind::Extension,
                                    minutes: after,
                                    clause: ty.clause(),
                                })
                            } else {
                                shifts.overtime().and_then(|ot| {
                                    (after >= ot.from_minutes).then_some(AfterEnd {
                                        kind: if ot.needs_prior_approval && !fact.overtime_approved
                                        {
                                            AfterEndKind::UnapprovedOvertime
                                        } else {
                                            AfterEndKind::ApprovedOvertime
                                        },
                                        minutes: after,
                                        clause: ot.clause,
                                    })
                                })
                            };
                        }
                    }
                    (i, o) => {
                        if let Some(p) = i.or(o) {
                            check(p)?;
                        }
                        let missing = if i.is_none() {
                            PunchSide::In
                        } else {
                            PunchSide::Out
                        };
                        rec.status = match rules.missing_punch {
                            MissingPunchRule::Absent => DayStatus::Absent {
                                reason: AbsenceReason::MissingPunch { missing },
                            },
                            MissingPunchRule::Recorded => DayStatus::MissingPunch { missing },
                        };
                    }
                }
            }
            // Counts and streaks, in date order.
            if rec.status == DayStatus::OnLeave && !on_leave_before {
                counts.leaves += 1;
            }
            on_leave_before = rec.status == DayStatus::OnLeave;
            match rec.status {
                DayStatus::OnTime => counts.on_time += 1,
                DayStatus::OnLeave => counts.on_leave += 1,
                DayStatus::MissingPunch { .. } => counts.missing_punch += 1,
                DayStatus::Absent { .. } => {
                    counts.absent += 1;
                    last[2] = date;
                }
                _ => {}
            }
            let (l, e) = rec.status.occurrences();
            counts.late += u16::from(l);
            counts.early_leave += u16::from(e);
            if l > 0 {
                last[0] = date;
            }
            if e > 0 {
                last[1] = date;
            }
            if let Some(st) = &rules.streak {
                match st.consecutive {
                    Consecutive::Occurrences => {
                        // One occurrence at a time: a streak may end between
                        // the late arrival and the early leave of one day.
                        for is_late in [true, false] {
                            let n = if is_late { l } else { e };
                            if n == 0 {
                                continue;
                            }
                            run += 1;
                            if is_late {
                                run_late += 1;
                            } else {
                                run_early += 1;
                            }
                            if run >= st.count {
                                conversions.push(Conversion {
                                    date,
                                    clause: st.clause,
                                });
                                last[3] = date;
                                consumed_late += run_late;
                                consumed_early += run_early;
                                (run, run_late, run_early) = (0, 0, 0);
                            }
                        }
                    }
                    Consecutive::WorkingDays => {
                        if l + e == 0 {
                            (run, run_late, run_early) = (0, 0, 0);
                        } else {
                            run += 1;
                            run_late += u16::from(l);
                            run_early += u16::from(e);
                            if run >= st.count {
                                conversions.push(Conversion {
                                    date,
                                    clause: st.clause,
                                });
                                last[3] = date;
                                consumed_late += run_late;
                                consumed_early += run_early;
                                (run, run_late, run_early) = (0, 0, 0);
                            }
                        }
                    }
                }
            }
            if let Some(ab) = &rules.absence_streak {
                if matches!(rec.status, DayStatus::Absent { .. }) {
                    absent_run = absent_run.saturating_add(1);
                    if absent_run == ab.days && share_at.is_none() {
                        share_at = Some(date);
                    }
                    if Some(absent_run) == ab.review_at {
                        actions.push(Action {
                            kind: ActionKind::DismissalReview,
                            date,
                            clause: ab.clause,
                        });
                    }
                } else {
                    absent_run = 0;
                }
            }
            days.push(rec);
        }
        counts.converted_absences = u16::try_from(conversions.len()).unwrap_or(u16::MAX);

        let fund = rules.fund.map(|(f, _)| f);
        let overflow = |error| AttendanceError::Overflow {
            agent: agent(),
            error,
        };
        let mut deductions = Vec::with_capacity(5);
        let mut line = |kind, date, count: u16, each: Decimal, amount: Decimal, clause| {
            deductions.push(Deduction {
                kind,
                date,
                count,
                each,
                amount,
                fund,
                clause,
            });
        };
        if let Some(d) = &rules.deductions {
            let replaces = rules
                .streak
                .is_some_and(|s| s.converted == Converted::Replaces);
            let (late_n, early_n) = if replaces {
                (
                    counts.late - consumed_late,
                    counts.early_leave - consumed_early,
                )
            } else {
                (counts.late, counts.early_leave)
            };
            let mut per = |kind, date, n: u16, each: Decimal, clause| {
                if n > 0 {
                    let amount =
                        crate::money::times(each, n.into(), kind_words(kind)).map_err(overflow)?;
                    line(kind, date, n, each, amount, clause);
                }
                Ok::<(), AttendanceError>(())
            };
            per(DeductionKind::Late, last[0], late_n, d.late, d.clause)?;
            per(
                DeductionKind::EarlyLeave,
                last[1],
                early_n,
                d.early_leave,
                d.clause,
            )?;
            // A5 stated as "replaces": the run's own absences are not also
            // deducted one by one.
            let absent_n = match (&rules.absence_streak, share_at) {
                (Some(ab), Some(_)) if ab.converted == Converted::Replaces => {
                    counts.absent.saturating_sub(u16::from(ab.days))
                }
                _ => counts.absent,
            };
            per(
                DeductionKind::Absence,
                last[2],
                absent_n,
                d.absent,
                d.clause,
            )?;
            if let Some(st) = &rules.streak {
                per(
                    DeductionKind::ConvertedAbsence,
                    last[3],
                    counts.converted_absences,
                    d.absent,
                    st.clause,
                )?;
            }
        }
        if let (Some(ab), Some(at)) = (&rules.absence_streak, share_at) {
            let pay = facts.pay.ok_or_else(|| AttendanceError::PayNeeded {
                agent: agent(),
                date: at,
            })?;
            let base = match ab.base {
                PayBase::BaseWage => pay.base_wage,
                PayBase::Gross => pay.gross,
            };
            let amount = self.rounding.round(
                crate::money::percent_of(ab.percent, base, ab.base.words()).map_err(overflow)?,
            );
            line(
                DeductionKind::ShareOfPay,
                at,
                1,
                ab.percent,
                amount,
                ab.clause,
            );
        }
        let total = crate::money::total(
            deductions.iter().map(|d| d.amount),
            "the month's deductions",
        )
        .map_err(overflow)?;
        let full_attendance = rules.full_attendance.and_then(|f| {
            let clean = counts.rostered > 0
                && counts.late == 0
                && counts.early_leave == 0
                && counts.absent == 0
                && counts.missing_punch == 0
                && (!f.leave_breaks || counts.on_leave == 0);
            clean.then_some(FullAttendance {
                amount: f.bonus,
                clause: f.clause,
            })
        });
        Ok(MonthSummary {
            counts,
            conversions,
            deductions,
            actions,
            full_attendance,
            total_deducted: total,
            fund: rules.fund,
        })
    }

    /// [`Policy::attendance_month`] with its own day list.
    ///
    /// ```
    /// use cs_policy::Policy;
    /// use cs_policy::attendance::AgentMonth;
    ///
    /// let policy = Policy::example("education")?;
    /// let month = AgentMonth { agent: "li".into(), year: 2026, month: 2, days: vec![], leave: vec![], pay: None };
    /// let report = policy.attendance_report(&month)?;
    /// assert_eq!(report.days.len(), 28);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn attendance_report(&self, facts: &AgentMonth) -> Result<MonthReport, AttendanceError> {
        let mut days = Vec::with_capacity(31);
        let summary = self.attendance_month(facts, &mut days)?;
        Ok(MonthReport { days, summary })
    }

    /// Builds each agent's month from a roster, punches and leave days named
    /// by id (the form a scenario file holds). Roster entries outside the
    /// month are skipped; punches and leave outside it are an error, as are
    /// punches on a date the agent is not rostered.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::Policy;
    /// use cs_policy::attendance::Punch;
    /// use cs_policy::shift::{Roster, RosterEntry};
    ///
    /// let policy = Policy::example("education")?;
    /// let date = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    /// let roster = Roster { entries: vec![RosterEntry { agent: "li".into(), date, shift: "regular".into(), break_start: None, swap: None }] };
    /// let stray = Punch { agent: "wang".into(), date, clock_in: date.and_hms_opt(9, 0, 0), clock_out: None };
    /// let err = policy.agent_months(&roster, &[stray], &[], 2026, 3).unwrap_err();
    /// assert!(err.to_string().contains("no roster entry"));
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn agent_months(
        &self,
        roster: &Roster,
        punches: &[Punch],
        leave: &[AgentLeave],
        year: i32,
        month: u32,
    ) -> Result<Vec<AgentMonth>, AttendanceError> {
        let shifts = self.shifts.as_ref().ok_or(AttendanceError::NoShiftRules)?;
        if NaiveDate::from_ymd_opt(year, month, 1).is_none() {
            return Err(AttendanceError::InvalidMonth {
                agent: String::new(),
                year,
                month,
            });
        }
        let in_month = |d: NaiveDate| d.year() == year && d.month() == month;
        let mut out: Vec<AgentMonth> = Vec::new();
        let index = |out: &mut Vec<AgentMonth>, agent: &str| -> usize {
            match out.iter().position(|m| m.agent == agent) {
                Some(i) => i,
                None => {
                    out.push(AgentMonth {
                        agent: agent.to_owned(),
                        year,
                        month,
                        days: Vec::new(),
                        leave: Vec::new(),
                        pay: None,
                    });
                    out.len() - 1
                }
            }
        };
        for e in roster.entries.iter().filter(|e| in_month(e.date)) {
            let shift = self
                .shift_ref(&e.shift)
                .ok_or_else(|| AttendanceError::UnknownShift {
                    agent: e.agent.clone(),
                    date: e.date,
                    shift: e.shift.clone(),
                })?;
            let i = index(&mut out, &e.agent);
            out[i].days.push(WorkDay {
                date: e.date,
                shift,
                clock_in: None,
                clock_out: None,
                overtime_approved: false,
            });
        }
        let _ = shifts;
        for p in punches {
            if !in_month(p.date) {
                return Err(AttendanceError::DateOutsideMonth {
                    agent: p.agent.clone(),
                    what: "punch",
                    date: p.date,
                    year,
                    month,
                });
            }
            let day = out
                .iter_mut()
                .find(|m| m.agent == p.agent)
                .and_then(|m| m.days.iter_mut().find(|d| d.date == p.date))
                .ok_or_else(|| AttendanceError::PunchWithoutRoster {
                    agent: p.agent.clone(),
                    date: p.date,
                })?;
            if day.clock_in.is_some() || day.clock_out.is_some() {
                return Err(AttendanceError::Duplicate {
                    agent: p.agent.clone(),
                    what: "punch",
                    date: p.date,
                });
            }
            day.clock_in = p.clock_in;
            day.clock_out = p.clock_out;
        }
        for l in leave {
            if !in_month(l.day.date) {
                return Err(AttendanceError::DateOutsideMonth {
                    agent: l.agent.clone(),
                    what: "leave day",
                    date: l.day.date,
                    year,
                    month,
                });
            }
            let i = index(&mut out, &l.agent);
            out[i].leave.push(l.day);
        }
        Ok(out)
    }

    /// Whether an agent away `days_away` days in total in an assessment
    /// period (leave or otherwise) is assessed: not when away more than the
    /// policy's months (A10: more than 2 months).
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("call-centre")?;
    /// assert!(policy.assessed(60)?.assessed);
    /// assert!(!policy.assessed(61)?.assessed);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn assessed(&self, days_away: u32) -> Result<Assessed, AttendanceError> {
        let rules = self
            .attendance
            .as_ref()
            .ok_or(AttendanceError::NoAttendanceRules)?;
        let a = rules
            .assessment
            .ok_or(AttendanceError::NotStated("assessment"))?;
        let limit = u32::from(a.months) * u32::from(a.days_per_month);
        Ok(Assessed {
            assessed: days_away <= limit,
            limit_days: limit,
            clause: a.clause,
        })
    }
}

// `FundRef` itself does not implement `Serialize`.
