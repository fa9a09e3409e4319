//! Attendance: punches to day status to a month of penalties and streaks.
//!
//! The `[attendance]` section of a policy file:
//!
//! ```toml
//! [attendance]
//! source = "001 ch.2 B 三"
//! missing_punch = "absent"          # or "recorded": a day with one punch
//!
//! [attendance.late]                 # late up to the limit, absent beyond
//! limit_minutes = 30
//! at_limit = "late"                 # exactly 30 minutes late is late, not absent
//!
//! [attendance.early_leave]          # early leave up to the limit, absent beyond
//! limit_minutes = 30
//! at_limit = "late"
//!
//! [attendance.streak]               # lates or early leaves in a row: one absence
//! count = 3
//! consecutive = "occurrences"       # or "working_days"
//! converted = "replaces"            # or "adds" to the 20-yuan deductions
//!
//! [attendance.deductions]           # yuan per occurrence
//! late = "20"
//! early_leave = "20"
//! absent = "50"
//!
//! [attendance.absence_streak]       # absences in a row: a share of pay, then a review
//! days = 3
//! percent_of_pay = 50
//! pay_base = "base_wage"            # or "gross"
//! converted = "adds"                # or "replaces" the 50-yuan deductions
//! review_at = 5
//!
//! [attendance.fund]                 # where every deduction goes
//! fund = "reward"
//! ```
//!
//! Evaluation: [`Policy::attendance_month`] classifies every day of one
//! agent's month from the rostered shift and the punches ([`DayRecord`]),
//! then counts streaks, conversions, deductions and actions
//! ([`MonthSummary`]), each naming its clause.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::Policy;
use crate::explain::ClauseRef;
use crate::money::{Charged, FundRef, Overflow, opt_charged, req_charged};
use crate::policy::ProblemCode;
use crate::policy::read::{Choice, Loader, Located, Table, choices};
use crate::shift::{Roster, ShiftRef, ShiftRules, ShiftType};

/// A day the agent is on leave, as the leave rules decided it: approved leave
/// classifies as leave; leave that was not approved in the required way is
/// treated as absence.
///
/// ```
/// let day: cs_policy::attendance::LeaveDay = serde_json::from_str(r#"{"date": "2026-03-02", "approved": false}"#).unwrap();
/// assert!(!day.approved); // treated as absence
/// # Ok::<(), ()>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LeaveDay {
    /// The date on leave.
    pub date: chrono::NaiveDate,
    /// Whether the leave was approved with every requirement met.
    pub approved: bool,
}

choices! {
    /// What a day with only one punch is.
    ///
    /// ```
    /// use cs_policy::attendance::MissingPunchRule;
    /// let policy = cs_policy::Policy::example("shop")?;
    /// assert_eq!(policy.attendance().unwrap().missing_punch(), MissingPunchRule::Recorded);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum MissingPunchRule as "a missing-punch rule" {
        /// The day is absent.
        Absent => "absent",
        /// The day is recorded as a missing punch, without penalty, for the
        /// supervisor to settle.
        Recorded => "recorded",
    }
}

choices! {
    /// Whether a lateness of exactly the limit is still late or already absent.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum AtLimit as "what happens at the limit" {
        Late => "late",
        Absent => "absent",
    }
}

choices! {
    /// What "consecutive" means for the streak of lates: a gap the policy must
    /// state.
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
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum Consecutive as "a meaning of consecutive" {
        /// Successive occurrences in the month, whatever lies between them.
        Occurrences => "occurrences",
        /// Rostered working days in a row, each late or leaving early; a
        /// rostered day without either breaks the run, a rest day does not.
        WorkingDays => "working_days",
    }
}

choices! {
    /// Whether what a streak converts to replaces the occurrences' own
    /// deductions or adds to them: a gap the policy must state, for the
    /// streak of lates (the converted absence against the lates' 20 yuan each)
    /// and the run of absences (the share of pay against the absences' 50 yuan
    /// each).
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
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum Converted as "a conversion rule" {
        /// The streak's occurrences are no longer deducted one by one.
        Replaces => "replaces",
        /// The converted absence is deducted on top of every occurrence.
        Adds => "adds",
    }
}

choices! {
    /// The pay a share of pay (50% of the month's pay, for absences in a row)
    /// is taken from: a gap the policy must state.
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
    #[non_exhaustive]
    pub enum PayBase as "a pay base" {
        /// The base wage.
        BaseWage => "base_wage",
        /// Gross pay for the month.
        Gross => "gross",
    }
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
/// assert_eq!(rules.clause().id(), "attendance");
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
}

impl AttendanceRules {
    /// The most whole months away that still allow assessment, as the
    /// attendance section states it, and the clause.
    pub(crate) fn months_away_limit(&self) -> Option<(u8, ClauseRef)> {
        self.assessment.as_ref().map(|a| (a.months, a.clause))
    }

    /// The clause of the `[attendance]` table itself.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("education")?;
    /// assert_eq!(policy.clause(policy.attendance().unwrap().clause())?.source(), Some("001 ch.2 B 三"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
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

    /// Reads the section in the handbook's order: what a day is (the
    /// limits, a missing punch), the streaks, the deductions, the fund, the
    /// bonus, unapproved leave, assessment and the corrections of missing
    /// punches.
    pub(crate) fn read(table: &mut Table<'_, '_>, ld: &mut Loader, policy: &Policy) -> Self {
        let clause = ld.clause(table);
        let missing_punch = read_missing_punch(table, ld);
        let no_limit = Threshold {
            grace: 0,
            limit: None,
            clause,
        };
        let late = sub_table(table, ld, ("late", clause), Threshold::read).unwrap_or(no_limit);
        let early_leave =
            sub_table(table, ld, ("early_leave", clause), Threshold::read).unwrap_or(no_limit);
        let streak = sub_table(table, ld, ("streak", clause), Streak::read);
        let deductions = sub_table(table, ld, ("deductions", clause), Deductions::read);
        let absence_streak = sub_table(table, ld, ("absence_streak", clause), AbsenceStreak::read);
        let fund = sub_table(table, ld, ("fund", clause), |t, ld, c| {
            let id: Option<Located<String>> = t.req(ld, "fund");
            policy.funds.resolve(ld, &id?).map(|f| (f, c))
        });
        let full_attendance = sub_table(
            table,
            ld,
            ("full_attendance", clause),
            FullAttendanceRule::read,
        );
        // Unapproved leave is absence under its own clause, or the section's.
        let unapproved_leave = sub_table(
            table,
            ld,
            ("unapproved_leave", clause),
            read_unapproved_leave,
        )
        .unwrap_or(clause);
        let assessment = sub_table(table, ld, ("assessment", clause), AssessmentRule::read);
        let corrections = sub_table(
            table,
            ld,
            ("corrections", clause),
            crate::punch::CorrectionRules::read,
        );
        Self {
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

/// What a day with one punch is: a choice the policy must state.
fn read_missing_punch(table: &mut Table<'_, '_>, ld: &mut Loader) -> MissingPunchRule {
    match table.node("missing_punch") {
        Some(n) => n.read(ld).unwrap_or(MissingPunchRule::Recorded),
        None => {
            table.unstated(ld, "missing_punch").help("the handbooks do not say what a day with only one punch is: write `missing_punch = \"absent\"` or `\"recorded\"`");
            MissingPunchRule::Recorded
        }
    }
}

impl Streak {
    /// The streak of lates and early leaves (`[attendance.streak]`).
    fn read(t: &mut Table<'_, '_>, ld: &mut Loader, clause: ClauseRef) -> Option<Self> {
        let count = t.req_in::<u8>(ld, "count", 2..=31);
        let consecutive = t.stated::<Consecutive>(
            ld,
            "consecutive",
            "the handbook leaves open whether consecutive means occurrences or working days: write `consecutive = \"occurrences\"` or `\"working_days\"`",
        );
        let converted = req_converted(t, ld, "the converted absence", "the occurrences'");
        Some(Streak {
            count: count?,
            consecutive: consecutive?,
            converted: converted?,
            clause,
        })
    }
}

impl Deductions {
    /// The amounts deducted (`[attendance.deductions]`).
    fn read(t: &mut Table<'_, '_>, ld: &mut Loader, clause: ClauseRef) -> Option<Self> {
        let late = req_charged(t, ld, "late", Charged::Daily);
        let early_leave = req_charged(t, ld, "early_leave", Charged::Daily);
        let absent = req_charged(t, ld, "absent", Charged::Converted);
        Some(Deductions {
            late: late?,
            early_leave: early_leave?,
            absent: absent?,
            clause,
        })
    }
}

impl AbsenceStreak {
    /// The run of absences (`[attendance.absence_streak]`): its share of
    /// pay, and the longer run that brings a review.
    fn read(t: &mut Table<'_, '_>, ld: &mut Loader, clause: ClauseRef) -> Option<Self> {
        let days = t.req_in::<u8>(ld, "days", 2..=31);
        let percent =
            t.req_in::<Decimal>(ld, "percent_of_pay", Decimal::ZERO..=Decimal::ONE_HUNDRED);
        let base = t.stated::<PayBase>(
            ld,
            "pay_base",
            "the handbook says \"the month's pay\" without saying which: write `pay_base = \"base_wage\"` or `\"gross\"`",
        );
        let converted = req_converted(t, ld, "the share of pay", "the run's own absence");
        let review: Option<Located<u8>> = t.opt(ld, "review_at");
        let days = days?;
        if let Some(r) = review.as_ref().filter(|r| r.value <= days) {
            ld.error(
                ProblemCode::OutOfOrder,
                r.span.clone(),
                &r.path,
                format!("`{}` is {}, not after `days` {days}", r.path, r.value),
            )
            .help("the review comes after a longer run of absences than the deduction");
            return None;
        }
        Some(AbsenceStreak {
            days,
            percent: percent?,
            base: base?,
            converted: converted?,
            review_at: review.map(|r| r.value),
            clause,
        })
    }
}

impl FullAttendanceRule {
    /// The full-attendance bonus (`[attendance.full_attendance]`).
    fn read(t: &mut Table<'_, '_>, ld: &mut Loader, clause: ClauseRef) -> Option<Self> {
        let bonus = opt_charged(t, ld, "bonus", Charged::Monthly);
        let leave_breaks = match t.node("leave_breaks_it") {
            Some(n) => n.read::<bool>(ld),
            None => {
                t.unstated(ld, "leave_breaks_it").help("say whether a day of approved leave loses the full-attendance bonus: `leave_breaks_it = true` or `false`");
                None
            }
        };
        Some(FullAttendanceRule {
            bonus,
            leave_breaks: leave_breaks?,
            clause,
        })
    }
}

/// The clause that makes unapproved leave an absence
/// (`[attendance.unapproved_leave]`, `counts_as = "absent"`).
fn read_unapproved_leave(
    t: &mut Table<'_, '_>,
    ld: &mut Loader,
    clause: ClauseRef,
) -> Option<ClauseRef> {
    #[derive(Clone, Copy)]
    struct AsAbsent;
    impl Choice for AsAbsent {
        const WHAT: &'static str = "what unapproved leave counts as";
        const CHOICES: &'static [(&'static str, Self)] = &[("absent", Self)];
    }
    let _: Option<AsAbsent> = t.req(ld, "counts_as");
    Some(clause)
}

impl AssessmentRule {
    /// Who is assessed (`[attendance.assessment]`).
    fn read(t: &mut Table<'_, '_>, ld: &mut Loader, clause: ClauseRef) -> Option<Self> {
        let months = t.req_in::<u8>(ld, "max_months_away", 1..=12);
        let days_per_month = t.req_in::<u16>(ld, "days_per_month", 20..=31);
        Some(AssessmentRule {
            months: months?,
            days_per_month: days_per_month?,
            clause,
        })
    }
}

/// Reads the sub-table `key` of `[attendance]` with `read`, under its own
/// clause, then reports the keys `read` did not know; `None` where the
/// policy has no such table.
fn sub_table<T>(
    table: &mut Table<'_, '_>,
    ld: &mut Loader,
    (key, section): (&'static str, ClauseRef),
    read: impl FnOnce(&mut Table<'_, '_>, &mut Loader, ClauseRef) -> Option<T>,
) -> Option<T> {
    let mut t = table.opt_table(ld, key)?;
    let clause = ld.clause_under(&mut t, Some(section));
    let out = read(&mut t, ld, clause);
    t.finish(ld);
    out
}

/// Whether `what` replaces `whose` deductions or adds to them: a choice
/// the handbook leaves open for the streak and the run of absences, that
/// the policy must state.
fn req_converted(
    t: &mut Table<'_, '_>,
    ld: &mut Loader,
    what: &str,
    whose: &str,
) -> Option<Converted> {
    let help = format!(
        "the handbook leaves open whether {what} replaces {whose} deductions or adds to them: write `converted = \"replaces\"` or `\"adds\"`"
    );
    t.stated(ld, "converted", &help)
}

impl Threshold {
    /// A late or early-leave limit (`[attendance.late]`,
    /// `[attendance.early_leave]`): the grace, the limit and whether the
    /// limit itself is still within it.
    fn read(t: &mut Table<'_, '_>, ld: &mut Loader, clause: ClauseRef) -> Option<Self> {
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
        Some(Threshold {
            grace,
            limit: limit.zip(at_limit).map(|(l, a)| (l.value, a)),
            clause,
        })
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
    /// Whether overtime after the shift was approved beforehand.
    #[serde(default)]
    pub overtime_approved: bool,
}

impl WorkDay {
    /// The day's punches, the day being over: a punch not given is missing.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::attendance::{Punches, WorkDay};
    /// let policy = cs_policy::Policy::example("education")?;
    /// let date = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    /// let day = WorkDay { date, shift: policy.shift_ref("regular").unwrap(), clock_in: date.and_hms_opt(9, 0, 0),
    ///     clock_out: None, overtime_approved: false };
    /// assert_eq!(day.punches(), Punches::InOnly(date.and_hms_opt(9, 0, 0).unwrap()));
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn punches(&self) -> Punches {
        match (self.clock_in, self.clock_out) {
            (None, None) => Punches::Neither,
            (Some(clock_in), None) => Punches::InOnly(clock_in),
            (None, Some(clock_out)) => Punches::OutOnly(clock_out),
            (Some(clock_in), Some(clock_out)) => Punches::Both {
                clock_in,
                clock_out,
                overtime_approved: self.overtime_approved,
            },
        }
    }
}

/// The punches of one rostered day, as far as they are known: a missing
/// punch is a value here, and so is a day still running.
///
/// Punches are full date-times: the out punch of a night shift is on the
/// next date.
///
/// ```
/// use cs_policy::attendance::Punches;
/// let arrived: Punches = serde_json::from_str(r#"{"arrived": "2026-03-03T09:12:00"}"#)?;
/// assert_eq!(serde_json::to_string(&arrived)?, r#"{"arrived":"2026-03-03T09:12:00"}"#);
/// let both: Punches = serde_json::from_str(
///     r#"{"both": {"clock_in": "2026-03-03T09:00:00", "clock_out": "2026-03-03T20:00:00", "overtime_approved": false}}"#,
/// )?;
/// assert!(matches!(both, Punches::Both { .. }));
/// assert_eq!(serde_json::from_str::<Punches>(r#""neither""#)?, Punches::Neither);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Punches {
    /// No punch at all, the day over: absent.
    Neither,
    /// The in punch, the shift still running: the arrival alone is judged,
    /// the leaving is not yet due.
    Arrived(NaiveDateTime),
    /// The in punch only, the day over: the out punch is missing.
    InOnly(NaiveDateTime),
    /// The out punch only: the in punch is missing.
    OutOnly(NaiveDateTime),
    /// Both punches.
    Both {
        /// The in punch.
        clock_in: NaiveDateTime,
        /// The out punch.
        clock_out: NaiveDateTime,
        /// Whether overtime after the shift was approved beforehand, where
        /// the policy needs it.
        overtime_approved: bool,
    },
}

/// The pay a share-of-pay deduction is taken from.
///
/// ```
/// use cs_policy::attendance::MonthPay;
/// let pay: MonthPay = serde_json::from_str(r#"{"base_wage": "3000", "gross": "4200.50"}"#).unwrap();
/// assert_eq!(pay.gross.to_string(), "4200.50");
/// # Ok::<(), ()>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonthPay {
    /// The month's base wage.
    pub base_wage: Decimal,
    /// The month's gross pay.
    pub gross: Decimal,
}

/// One agent's month: the rostered days with punches, the leave days and
/// (where a run of absences may cost a share of it) the month's pay.
/// Unrostered dates are rest days.
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
    /// The month's pay, needed when a share of it is deducted.
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
#[non_exhaustive]
pub enum AbsenceReason {
    /// Rostered, no punch at all.
    NoPunch,
    /// Late by more than the limit.
    LateBeyondLimit {
        /// Minutes late.
        minutes: u16,
    },
    /// Left early by more than the limit.
    EarlyBeyondLimit {
        /// Minutes early.
        minutes: u16,
    },
    /// On leave that was not approved in the required way.
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
#[non_exhaustive]
pub enum DayStatus {
    /// Worked the rostered shift on time.
    OnTime,
    /// Arrived late, within the limit.
    Late {
        /// Minutes late (whole minutes; part-minutes are dropped).
        minutes: u16,
    },
    /// Left early, within the limit.
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
/// assert_eq!((after.kind, after.minutes), (AfterEndKind::UnapprovedOvertime, 60)); // no prior approval
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AfterEndKind {
    /// The shift extended while a customer was still being served.
    Extension,
    /// Overtime approved beforehand.
    ApprovedOvertime,
    /// Overtime without the prior approval the policy requires.
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
/// assert_eq!((after.kind, after.minutes), (AfterEndKind::Extension, 40)); // still serving a customer
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AfterEnd {
    /// What it was.
    pub kind: AfterEndKind,
    /// Whole minutes after the end.
    pub minutes: u16,
    /// The clause (the shift type for an extension, `shifts.overtime` for
    /// overtime).
    pub clause: ClauseRef,
}

/// An arrival later than the early arrival the shift expects,
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
/// assert_eq!((short.minutes_before, short.expected), (3, 10)); // 10 minutes expected
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
/// // Thirty minutes late is still late (以内).
/// assert_eq!(report.days[1].status, DayStatus::Late { minutes: 30 });
/// assert_eq!((report.days[1].clause).id(), "attendance.late");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
    /// An arrival later than the expected early arrival.
    pub short_arrival: Option<ShortArrival>,
    /// Time stayed after the end (an extension or overtime).
    pub after_end: Option<AfterEnd>,
}

/// One day classified by [`Policy::attendance_day`]: its status, the
/// clause that decided it, the deduction the policy attaches to it, and
/// what is recorded without penalty.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::attendance::{DayDecision, Punches};
/// let policy = cs_policy::Policy::example("education")?;
/// let date = NaiveDate::from_ymd_opt(2026, 3, 3).unwrap();
/// let day = policy.attendance_day(policy.shift_ref("regular"), date, Punches::Arrived(date.and_hms_opt(9, 12, 0).unwrap()))?;
/// let json = serde_json::to_string(&day)?;
/// assert!(json.starts_with(r#"{"status":"late","minutes":12,"clause":"attendance.late","deduction":{"amount":"20","fund":"reward""#));
/// assert_eq!(serde_json::from_str::<DayDecision>(&json)?, day);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayDecision {
    /// What the day was.
    #[serde(flatten)]
    pub status: DayStatus,
    /// The clause that decided the status.
    pub clause: ClauseRef,
    /// What the day costs on its own, where the policy deducts for its
    /// status; a month's streak may convert it ([`Policy::attendance_month`]).
    pub deduction: Option<DayDeduction>,
    /// An arrival later than the early arrival the shift expects.
    pub short_arrival: Option<ShortArrival>,
    /// Time stayed after the end.
    pub after_end: Option<AfterEnd>,
}

impl DayDecision {
    fn new(status: DayStatus, clause: ClauseRef) -> Self {
        Self {
            status,
            clause,
            deduction: None,
            short_arrival: None,
            after_end: None,
        }
    }
}

/// The deduction of one day: both amounts of a day late and early.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::attendance::Punches;
/// let policy = cs_policy::Policy::example("education")?;
/// let date = NaiveDate::from_ymd_opt(2026, 3, 3).unwrap();
/// let at = |h, m| date.and_hms_opt(h, m, 0).unwrap();
/// let punches = Punches::Both { clock_in: at(9, 5), clock_out: at(19, 50), overtime_approved: false };
/// let deduction = policy.attendance_day(policy.shift_ref("regular"), date, punches)?.deduction.unwrap();
/// assert_eq!(deduction.amount.to_string(), "40");
/// assert_eq!(deduction.clause.id(), "attendance.deductions");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayDeduction {
    /// The amount.
    pub amount: Decimal,
    /// The fund it goes to.
    pub fund: Option<FundRef>,
    /// The clause that sets the amount.
    pub clause: ClauseRef,
}

/// Counts of one month's events: what the KPI attendance item
/// ([`crate::kpi::ItemKind::Attendance`]) scores.
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
/// assert_eq!(score.items[item].points.to_string(), "10"); // 20 less 5 per late
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
    /// Days absent (not counting absences converted from lates).
    pub absent: u16,
    /// Absences converted from streaks of lates and early leaves.
    pub converted_absences: u16,
    /// Days on approved leave.
    pub on_leave: u16,
    /// Leaves taken: runs of rostered days on approved leave, rest days
    /// between not breaking a run (the KPI attendance item counts each
    /// leave once).
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DeductionKind {
    /// Late arrivals.
    Late,
    /// Early leaves.
    EarlyLeave,
    /// Absences.
    Absence,
    /// Absences converted from streaks of lates, at the rate of an absence.
    ConvertedAbsence,
    /// A share of the month's pay for a run of absences.
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
/// assert_eq!((line.count, line.amount.to_string()), (1, "50".to_owned())); // 50 yuan an absence
/// assert_eq!(policy.fund(line.fund.unwrap()).unwrap().id(), "reward"); // the department's fund
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
    /// The fund it goes to, shown as its index in `Policy::funds`.
    pub fund: Option<FundRef>,
    /// The clause that sets the amount.
    pub clause: ClauseRef,
}

/// A streak of lates or early leaves converted to one absence.
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
/// assert_eq!(conversion.clause.id(), "attendance.streak"); // three lates in a row
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
/// assert_eq!(action.kind, ActionKind::DismissalReview); // five absences in a row
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ActionKind {
    /// A dismissal review (five consecutive absences, 严肃处理).
    DismissalReview,
}

/// The full-attendance bonus earned.
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
/// assert_eq!(bonus.amount.unwrap().to_string(), "100"); // every rostered day on time
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonthSummary {
    /// The counts of events.
    pub counts: AttendanceCounts,
    /// Streaks of lates converted to absences.
    pub conversions: Vec<Conversion>,
    /// The deduction lines, each with its clause and fund.
    pub deductions: Vec<Deduction>,
    /// Actions without an amount (the dismissal review after absences in a
    /// row).
    pub actions: Vec<Action>,
    /// The full-attendance bonus, when earned.
    pub full_attendance: Option<FullAttendance>,
    /// The sum of every deduction.
    pub total_deducted: Decimal,
    /// The fund deductions go to, with its clause.
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonthReport {
    /// Every date of the month, in order.
    pub days: Vec<DayRecord>,
    /// The month summed up.
    pub summary: MonthSummary,
}

/// Whether an agent is assessed for a period.
///
/// ```
/// let policy = cs_policy::Policy::example("call-centre")?;
/// let a = policy.assessed(75)?;
/// assert_eq!((a.assessed, a.limit_days), (false, 60)); // away more than two months
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
#[non_exhaustive]
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
        "day {date} of agent `{agent}` names shift `{shift}`, which the policy does not define; resolve ids with `Policy::shift_ref`"
    )]
    UnknownShiftRef {
        /// The agent.
        agent: String,
        /// The date.
        date: NaiveDate,
        /// The shift's id.
        shift: String,
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
        "agent `{agent}` owes a share of the month's pay for the run of absences ending {date}, but the month's pay was not given; fill `pay`"
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

/// Why one day cannot be classified ([`Policy::attendance_day`]).
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::attendance::{DayError, Punches};
/// use cs_policy::shift::ShiftRef;
/// let policy = cs_policy::Policy::example("education")?;
/// let date = NaiveDate::from_ymd_opt(2026, 3, 3).unwrap();
/// let err = policy.attendance_day(Some(ShiftRef::from_id("night")), date, Punches::Neither).unwrap_err();
/// assert_eq!(err, DayError::UnknownShift { shift: "night".into(), date });
/// assert_eq!(err.to_string(), "day 2026-03-03 names shift `night`, which the policy does not define; resolve ids with `Policy::shift_ref`");
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DayError {
    /// The policy has no `[attendance]` section.
    #[error("the policy has no `[attendance]` section")]
    NoAttendanceRules,
    /// The policy has no `[shifts]` section.
    #[error("the policy has no `[shifts]` section, so no day can be rostered")]
    NoShiftRules,
    /// A date the holiday calendars do not cover.
    #[error(transparent)]
    Calendar(#[from] crate::calendar::CalendarError),
    /// The shift named is not one the policy defines.
    #[error(
        "day {date} names shift `{shift}`, which the policy does not define; resolve ids with `Policy::shift_ref`"
    )]
    UnknownShift {
        /// The shift's id.
        shift: String,
        /// The date.
        date: NaiveDate,
    },
    /// The out punch is before the in punch.
    #[error(
        "the shift of {date} was punched out at {clock_out} before it was punched in at {clock_in}; correct the punches"
    )]
    OutBeforeIn {
        /// The date.
        date: NaiveDate,
        /// The in punch.
        clock_in: NaiveDateTime,
        /// The out punch.
        clock_out: NaiveDateTime,
    },
    /// A punch more than a day away from its shift's date.
    #[error(
        "the punch at {punch} is more than a day away from the shift of {date}; attach it to the right date"
    )]
    PunchFarFromShift {
        /// The shift's date.
        date: NaiveDate,
        /// The punch.
        punch: NaiveDateTime,
    },
    /// An amount too large to compute (see [`Overflow`]).
    #[error("{0}; check the amounts for a typing mistake")]
    Overflow(#[from] Overflow),
}

impl DayError {
    /// The error of one agent's month.
    fn of_agent(self, agent: &str) -> AttendanceError {
        let agent = agent.to_owned();
        match self {
            Self::Calendar(e) => AttendanceError::Calendar(e),
            Self::NoAttendanceRules => AttendanceError::NoAttendanceRules,
            Self::NoShiftRules => AttendanceError::NoShiftRules,
            Self::UnknownShift { shift, date } => {
                AttendanceError::UnknownShiftRef { agent, date, shift }
            }
            Self::OutBeforeIn {
                date,
                clock_in,
                clock_out,
            } => AttendanceError::OutBeforeIn {
                agent,
                date,
                clock_in,
                clock_out,
            },
            Self::PunchFarFromShift { date, punch } => {
                AttendanceError::PunchFarFromShift { agent, date, punch }
            }
            Self::Overflow(error) => AttendanceError::Overflow { agent, error },
        }
    }
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

fn whole_minutes(secs: i64) -> u16 {
    u16::try_from(secs.max(0) / 60).unwrap_or(u16::MAX)
}

/// A shift's hours on one date, in seconds from the midnight that starts
/// the shift's day: a night shift's end is past 86,400.
struct Clock {
    date: NaiveDate,
    start: i64,
    end: i64,
}

impl Clock {
    fn of(ty: &ShiftType, date: NaiveDate) -> Self {
        let hours = ty.hours(date.weekday());
        Self {
            date,
            start: i64::from(hours.start_minute()) * 60,
            end: i64::from(hours.end_minute()) * 60,
        }
    }

    /// A punch in seconds on the shift's clock; one more than a day away
    /// from the shift's date belongs to another shift.
    fn at(&self, punch: NaiveDateTime) -> Result<i64, DayError> {
        let d = punch.date();
        // Within one year the ordinals differ by the days between, which
        // avoids a calendar computation.
        let days = if d.year() == self.date.year() {
            i64::from(d.ordinal()) - i64::from(self.date.ordinal())
        } else {
            i64::from(d.num_days_from_ce()) - i64::from(self.date.num_days_from_ce())
        };
        let secs = days * 86_400 + i64::from(punch.time().num_seconds_from_midnight());
        if (-86_400..2 * 86_400).contains(&secs) {
            Ok(secs)
        } else {
            Err(DayError::PunchFarFromShift {
                date: self.date,
                punch,
            })
        }
    }
}

/// An arrival or a leaving against its limit.
#[derive(Debug, Clone, Copy)]
enum Side {
    /// Within the grace.
    InTime,
    /// Late or early by this many minutes, within the limit.
    Within(u16),
    /// Beyond the limit: absent.
    Beyond(u16),
}

impl Threshold {
    fn side(&self, minutes: u16) -> Side {
        if minutes <= self.grace {
            Side::InTime
        } else if self.absent(minutes) {
            Side::Beyond(minutes)
        } else {
            Side::Within(minutes)
        }
    }
}

/// Time stayed after a shift's end: S2 (a shift that extends while a
/// customer is still being served) records it as an extension, never
/// penalised; on any other shift S8 counts it as overtime from the
/// policy's minutes, unapproved when the policy needs a prior approval
/// that was not given. Recorded, never deducted.
fn after_end(shifts: &ShiftRules, ty: &ShiftType, after: i64, approved: bool) -> Option<AfterEnd> {
    let minutes = whole_minutes(after);
    if minutes == 0 {
        return None;
    }
    if ty.extends_while_serving() {
        return Some(AfterEnd {
            kind: AfterEndKind::Extension,
            minutes,
            clause: ty.clause(),
        });
    }
    let ot = shifts.overtime().filter(|ot| minutes >= ot.from_minutes)?;
    let kind = if ot.needs_prior_approval && !approved {
        AfterEndKind::UnapprovedOvertime
    } else {
        AfterEndKind::ApprovedOvertime
    };
    Some(AfterEnd {
        kind,
        minutes,
        clause: ot.clause,
    })
}

/// S5: the incoming agent arrives 10–15 minutes before the shift; an
/// arrival later than the least is recorded, never penalised. (The rule's
/// other half, swaps only with prior consent, is a roster check.)
fn short_arrival(ty: &ShiftType, before: i64) -> Option<ShortArrival> {
    let expected = ty.arrive_early()?;
    let minutes_before = whole_minutes(before);
    (minutes_before < expected.min_minutes).then_some(ShortArrival {
        minutes_before,
        expected: expected.min_minutes,
        clause: expected.clause,
    })
}

/// The occurrences a month deducts one by one, each with the date of its
/// last.
#[derive(Debug, Clone, Copy)]
struct Tally {
    late: (u16, NaiveDate),
    early_leave: (u16, NaiveDate),
    absent: (u16, NaiveDate),
    converted: (u16, NaiveDate),
}

/// The last date of each occurrence counted; the month's first date
/// where there is none.
#[derive(Debug, Clone, Copy)]
struct LastDates {
    late: NaiveDate,
    early_leave: NaiveDate,
    absent: NaiveDate,
}

impl AttendanceRules {
    /// A1: arriving after the shift's start by at most the limit (30
    /// minutes) is late; by more it is absent. Whether the limit itself is
    /// still late (以内: the thirtieth minute included) is the policy's
    /// `at_limit`.
    fn arrival(&self, minutes_late: u16) -> Side {
        self.late.side(minutes_late)
    }

    /// A2: leaving before the shift's end by at most the limit (30
    /// minutes) is early leave; by more it is absent, the limit itself as
    /// the policy's `at_limit` states.
    fn leaving(&self, minutes_early: u16) -> Side {
        self.early_leave.side(minutes_early)
    }

    /// A day's status from its arrival and its leaving, with the clause
    /// that decided it: a side beyond its limit makes the day absent (the
    /// arrival's first); within both limits, late and early are two
    /// occurrences.
    fn status_of(&self, arrival: Side, leaving: Side) -> (DayStatus, ClauseRef) {
        let absent = |reason| DayStatus::Absent { reason };
        match (arrival, leaving) {
            (Side::Beyond(minutes), _) => (
                absent(AbsenceReason::LateBeyondLimit { minutes }),
                self.late.clause,
            ),
            (_, Side::Beyond(minutes)) => (
                absent(AbsenceReason::EarlyBeyondLimit { minutes }),
                self.early_leave.clause,
            ),
            (Side::Within(late), Side::Within(early)) => (
                DayStatus::LateAndEarlyLeave { late, early },
                self.late.clause,
            ),
            (Side::Within(minutes), Side::InTime) => {
                (DayStatus::Late { minutes }, self.late.clause)
            }
            (Side::InTime, Side::Within(minutes)) => {
                (DayStatus::EarlyLeave { minutes }, self.early_leave.clause)
            }
            (Side::InTime, Side::InTime) => (DayStatus::OnTime, self.clause),
        }
    }

    /// A day with one punch: absent, or recorded for the supervisor, as
    /// the policy states.
    fn one_punch(&self, missing: PunchSide) -> DayStatus {
        match self.missing_punch {
            MissingPunchRule::Absent => DayStatus::Absent {
                reason: AbsenceReason::MissingPunch { missing },
            },
            MissingPunchRule::Recorded => DayStatus::MissingPunch { missing },
        }
    }

    /// Classifies one worked day from its punches on the shift's hours of
    /// that weekday: the arrival and the leaving against their limits, an
    /// early arrival short of the handover's, time stayed after the end.
    fn worked_day(
        &self,
        shifts: &ShiftRules,
        ty: &ShiftType,
        date: NaiveDate,
        punches: Punches,
    ) -> Result<DayDecision, DayError> {
        let clock = Clock::of(ty, date);
        let mut day = DayDecision::new(DayStatus::OnTime, self.clause);
        match punches {
            Punches::Neither => {
                day.status = DayStatus::Absent {
                    reason: AbsenceReason::NoPunch,
                };
            }
            Punches::Arrived(clock_in) => {
                let arrived = clock.at(clock_in)?;
                let arrival = self.arrival(whole_minutes(arrived - clock.start));
                (day.status, day.clause) = self.status_of(arrival, Side::InTime);
                day.short_arrival = short_arrival(ty, clock.start - arrived);
            }
            Punches::Both {
                clock_in,
                clock_out,
                overtime_approved,
            } => {
                if clock_out < clock_in {
                    return Err(DayError::OutBeforeIn {
                        date,
                        clock_in,
                        clock_out,
                    });
                }
                let (arrived, left) = (clock.at(clock_in)?, clock.at(clock_out)?);
                let arrival = self.arrival(whole_minutes(arrived - clock.start));
                let leaving = self.leaving(whole_minutes(clock.end - left));
                (day.status, day.clause) = self.status_of(arrival, leaving);
                day.short_arrival = short_arrival(ty, clock.start - arrived);
                day.after_end = after_end(shifts, ty, left - clock.end, overtime_approved);
            }
            Punches::InOnly(punch) | Punches::OutOnly(punch) => {
                clock.at(punch)?;
                let missing = match punches {
                    Punches::InOnly(_) => PunchSide::Out,
                    _ => PunchSide::In,
                };
                day.status = self.one_punch(missing);
            }
        }
        Ok(day)
    }

    /// A8: every deduction goes to the department's fund (the reward or
    /// activity fund), where the policy names one.
    fn deductions_fund(&self) -> Option<FundRef> {
        self.fund.map(|(fund, _)| fund)
    }

    /// The month's deductions from its `tally` (at most one of each
    /// kind), then the share a run of absences takes; with their total.
    fn month_deductions(
        &self,
        tally: &Tally,
        share: Option<Deduction>,
    ) -> Result<(Vec<Deduction>, Decimal), Overflow> {
        let mut deductions = Vec::with_capacity(5);
        deductions.extend(self.deduct(tally)?.into_iter().flatten());
        deductions.extend(share);
        let total = crate::money::total(
            deductions.iter().map(|d| d.amount),
            "the month's deductions",
        )?;
        Ok((deductions, total))
    }

    /// Deduct (A4): each late arrival and each early leave at its amount
    /// (20 yuan), each absence at the absence's (50), and each absence a
    /// streak converted at the absence's too, under the streak's clause;
    /// one line per kind, with the date of its last occurrence.
    fn deduct(&self, tally: &Tally) -> Result<[Option<Deduction>; 4], Overflow> {
        let Some(d) = &self.deductions else {
            return Ok([None; 4]);
        };
        let fund = self.deductions_fund();
        let line = |kind, (count, date): (u16, NaiveDate), each: Decimal, clause| {
            if count == 0 {
                return Ok(None);
            }
            let amount = crate::money::times(each, count.into(), kind_words(kind))?;
            Ok::<_, Overflow>(Some(Deduction {
                kind,
                date,
                count,
                each,
                amount,
                fund,
                clause,
            }))
        };
        let converted = self.streak.map_or(d.clause, |s| s.clause);
        Ok([
            line(DeductionKind::Late, tally.late, d.late, d.clause)?,
            line(
                DeductionKind::EarlyLeave,
                tally.early_leave,
                d.early_leave,
                d.clause,
            )?,
            line(DeductionKind::Absence, tally.absent, d.absent, d.clause)?,
            line(
                DeductionKind::ConvertedAbsence,
                tally.converted,
                d.absent,
                converted,
            )?,
        ])
    }

    /// The deduction of one day on its own: what the month deducts for its
    /// occurrences, before any streak converts them (a day late and early
    /// costs both amounts). Read straight from the amounts, without the
    /// month's lines, so that one day costs a few additions.
    fn day_deduction(&self, status: DayStatus) -> Result<Option<DayDeduction>, Overflow> {
        let Some(d) = &self.deductions else {
            return Ok(None);
        };
        let amount = match status {
            DayStatus::Absent { .. } => d.absent,
            DayStatus::Late { .. } => d.late,
            DayStatus::EarlyLeave { .. } => d.early_leave,
            DayStatus::LateAndEarlyLeave { .. } => {
                crate::money::plus(d.late, d.early_leave, "the day's deductions")?
            }
            _ => return Ok(None),
        };
        Ok(Some(DayDeduction {
            amount,
            fund: self.deductions_fund(),
            clause: d.clause,
        }))
    }
}

impl AttendanceCounts {
    /// Count the classified days of a month: rostered days by status, and
    /// leaves as runs of rostered days on approved leave (rest days between
    /// do not break a run).
    fn of(days: &[DayRecord], first: NaiveDate) -> (Self, LastDates) {
        let mut counts = Self::default();
        let mut last = LastDates {
            late: first,
            early_leave: first,
            absent: first,
        };
        let mut on_leave_before = false;
        for day in days.iter().filter(|d| d.shift.is_some()) {
            counts.rostered += 1;
            let on_leave = day.status == DayStatus::OnLeave;
            counts.leaves += u16::from(on_leave && !on_leave_before);
            on_leave_before = on_leave;
            match day.status {
                DayStatus::OnTime => counts.on_time += 1,
                DayStatus::OnLeave => counts.on_leave += 1,
                DayStatus::MissingPunch { .. } => counts.missing_punch += 1,
                DayStatus::Absent { .. } => {
                    counts.absent += 1;
                    last.absent = day.date;
                }
                _ => {}
            }
            let (late, early) = day.status.occurrences();
            counts.late += u16::from(late);
            counts.early_leave += u16::from(early);
            if late > 0 {
                last.late = day.date;
            }
            if early > 0 {
                last.early_leave = day.date;
            }
        }
        (counts, last)
    }
}

/// A month's streaks converted to absences, and the lates and early
/// leaves still deducted one by one.
struct Conversions {
    list: Vec<Conversion>,
    late_left: u16,
    early_left: u16,
}

impl Streak {
    /// Convert (A3): three lates or early leaves in a row within one month
    /// count as one absence. "In a row" is the policy's reading: successive
    /// occurrences, whatever lies between (a streak may end between one
    /// day's late arrival and its early leave), or rostered working days
    /// each late or leaving early (a rostered day without either breaks
    /// the run, a rest day does not). Where the conversion replaces the
    /// occurrences' own deductions, those of a converted streak are no
    /// longer deducted one by one.
    fn convert(&self, days: &[DayRecord], counts: &AttendanceCounts) -> Conversions {
        // The run: its length in the policy's unit, and the lates and
        // early leaves it holds.
        let (mut run, mut run_late, mut run_early) = (0u8, 0u16, 0u16);
        let (mut used_late, mut used_early) = (0u16, 0u16);
        let mut list = Vec::new();
        for day in days.iter().filter(|d| d.shift.is_some()) {
            let (late, early) = day.status.occurrences();
            let steps = match self.consecutive {
                Consecutive::Occurrences => [(late, 0), (0, early)],
                Consecutive::WorkingDays if late + early == 0 => {
                    (run, run_late, run_early) = (0, 0, 0);
                    continue;
                }
                Consecutive::WorkingDays => [(late, early), (0, 0)],
            };
            for (l, e) in steps.into_iter().filter(|(l, e)| l + e > 0) {
                run += 1;
                run_late += u16::from(l);
                run_early += u16::from(e);
                if run >= self.count {
                    list.push(Conversion {
                        date: day.date,
                        clause: self.clause,
                    });
                    used_late += run_late;
                    used_early += run_early;
                    (run, run_late, run_early) = (0, 0, 0);
                }
            }
        }
        let replaces = self.converted == Converted::Replaces;
        Conversions {
            list,
            late_left: counts.late - if replaces { used_late } else { 0 },
            early_left: counts.early_leave - if replaces { used_early } else { 0 },
        }
    }
}

/// A month's runs of absences: the share of pay, the reviews, and the
/// absences still deducted one by one.
struct AbsenceRuns {
    share: Option<Deduction>,
    reviews: Vec<Action>,
    absent_left: u16,
}

impl AbsenceStreak {
    /// A5: three absences in a row (rostered days absent; a rest day does
    /// not break the run) take 50% of the month's pay, once a month, at the
    /// day the first run reaches its length (以最后一次旷工为准), on top of
    /// the run's absence deductions or in place of them as the policy
    /// states; each run reaching five absences brings a dismissal review
    /// (严肃处理), an action without an amount.
    fn runs(
        &self,
        facts: &AgentMonth,
        days: &[DayRecord],
        absent: u16,
        (rounding, fund): (crate::Rounding, Option<FundRef>),
    ) -> Result<AbsenceRuns, AttendanceError> {
        let mut run = 0u8;
        let mut share_at = None;
        let mut reviews = Vec::new();
        for day in days.iter().filter(|d| d.shift.is_some()) {
            if !matches!(day.status, DayStatus::Absent { .. }) {
                run = 0;
                continue;
            }
            run = run.saturating_add(1);
            if run == self.days && share_at.is_none() {
                share_at = Some(day.date);
            }
            if Some(run) == self.review_at {
                reviews.push(Action {
                    kind: ActionKind::DismissalReview,
                    date: day.date,
                    clause: self.clause,
                });
            }
        }
        let Some(at) = share_at else {
            return Ok(AbsenceRuns {
                share: None,
                reviews,
                absent_left: absent,
            });
        };
        let share = self.share_of_pay(facts, at, rounding, fund)?;
        let replaces = self.converted == Converted::Replaces;
        Ok(AbsenceRuns {
            share: Some(share),
            reviews,
            absent_left: absent.saturating_sub(if replaces { self.days.into() } else { 0 }),
        })
    }

    /// The share of the month's pay that the first run reaching its length
    /// takes, dated at the day it reaches it.
    fn share_of_pay(
        &self,
        facts: &AgentMonth,
        at: NaiveDate,
        rounding: crate::Rounding,
        fund: Option<FundRef>,
    ) -> Result<Deduction, AttendanceError> {
        let pay = facts.pay.ok_or_else(|| AttendanceError::PayNeeded {
            agent: facts.agent.clone(),
            date: at,
        })?;
        let base = match self.base {
            PayBase::BaseWage => pay.base_wage,
            PayBase::Gross => pay.gross,
        };
        let amount =
            crate::money::percent_of(self.percent, base, self.base.words()).map_err(|error| {
                AttendanceError::Overflow {
                    agent: facts.agent.clone(),
                    error,
                }
            })?;
        Ok(Deduction {
            kind: DeductionKind::ShareOfPay,
            date: at,
            count: 1,
            each: self.percent,
            amount: rounding.round(amount),
            fund,
            clause: self.clause,
        })
    }
}

impl FullAttendanceRule {
    /// A6: a month with rostered days and no late arrival, early leave,
    /// absence or missing punch earns the full-attendance bonus; with no
    /// day of leave either, where the policy says leave breaks it.
    fn earned(&self, counts: &AttendanceCounts) -> Option<FullAttendance> {
        let clean = counts.rostered > 0
            && counts.late == 0
            && counts.early_leave == 0
            && counts.absent == 0
            && counts.missing_punch == 0
            && (!self.leave_breaks || counts.on_leave == 0);
        clean.then_some(FullAttendance {
            amount: self.bonus,
            clause: self.clause,
        })
    }
}

/// One agent's month laid out by day, its facts checked: each inside the
/// month, one rostered day and one leave day at most per date.
struct MonthFrame {
    first: NaiveDate,
    len: u32,
    /// The position in the facts of each date's rostered day, `NO_DAY`
    /// for none.
    slot: [u8; 31],
    /// The dates on approved leave, one bit each.
    leave_ok: u32,
    /// The dates on leave not approved in the required way, one bit each.
    leave_bad: u32,
}

impl MonthFrame {
    fn of(facts: &AgentMonth, calendar: &crate::Calendar) -> Result<Self, AttendanceError> {
        let agent = || facts.agent.clone();
        let first = NaiveDate::from_ymd_opt(facts.year, facts.month, 1).ok_or_else(|| {
            AttendanceError::InvalidMonth {
                agent: agent(),
                year: facts.year,
                month: facts.month,
            }
        })?;
        // Holidays decide the days off: the month must be in the calendar's years.
        calendar.covers(first)?;
        let mut frame = Self {
            first,
            len: crate::calendar::days_in_month(facts.year, facts.month),
            slot: [NO_DAY; 31],
            leave_ok: 0,
            leave_bad: 0,
        };
        let duplicate = |what, date| AttendanceError::Duplicate {
            agent: agent(),
            what,
            date,
        };
        for (i, d) in facts.days.iter().enumerate() {
            let s = &mut frame.slot[frame.day_of(facts, "rostered day", d.date)?];
            if *s != NO_DAY {
                return Err(duplicate("rostered day", d.date));
            }
            *s = u8::try_from(i).unwrap_or(NO_DAY);
        }
        for l in &facts.leave {
            let bit = 1u32 << frame.day_of(facts, "leave day", l.date)?;
            if (frame.leave_ok | frame.leave_bad) & bit != 0 {
                return Err(duplicate("leave day", l.date));
            }
            *(if l.approved {
                &mut frame.leave_ok
            } else {
                &mut frame.leave_bad
            }) |= bit;
        }
        Ok(frame)
    }

    /// The place of `date` in the month, or the error for a fact outside it.
    fn day_of(
        &self,
        facts: &AgentMonth,
        what: &'static str,
        date: NaiveDate,
    ) -> Result<usize, AttendanceError> {
        if date.year() == facts.year && date.month() == facts.month {
            return Ok(date.day0() as usize);
        }
        Err(AttendanceError::DateOutsideMonth {
            agent: facts.agent.clone(),
            what,
            date,
            year: facts.year,
            month: facts.month,
        })
    }
}

impl DayRecord {
    fn of(date: NaiveDate, shift: Option<ShiftRef>, day: DayDecision) -> Self {
        Self {
            date,
            shift,
            status: day.status,
            clause: day.clause,
            short_arrival: day.short_arrival,
            after_end: day.after_end,
        }
    }
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

    /// Classifies one day of one agent: the shift rostered (`None`: a day
    /// off), its date (the date a night shift starts) and its punches.
    ///
    /// A rostered day is on time, late, early, late and early, or absent
    /// with its reason, on the shift's hours of that weekday, with the
    /// deduction the policy attaches to it, the clause that decided it, an
    /// early arrival short of the one expected and the time stayed after
    /// the end. A day off is a public holiday or a rest day. Minutes are
    /// whole minutes, part-minutes dropped; approved leave is the month's
    /// business ([`Policy::attendance_month`]), which classifies every
    /// other day as this call does. Nothing is allocated.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::Policy;
    /// use cs_policy::attendance::{AbsenceReason, DayStatus, Punches};
    ///
    /// let policy = Policy::example("education")?;
    /// let regular = policy.shift_ref("regular").unwrap(); // 09:00–20:00 on weekdays
    /// let date = NaiveDate::from_ymd_opt(2026, 3, 3).unwrap();
    /// let at = |h, m| date.and_hms_opt(h, m, 0).unwrap();
    ///
    /// // Punched in at 09:12, the shift still running: twelve minutes late, 20 yuan.
    /// let day = policy.attendance_day(Some(regular), date, Punches::Arrived(at(9, 12)))?;
    /// assert_eq!(day.status, DayStatus::Late { minutes: 12 });
    /// assert_eq!(day.clause.id(), "attendance.late");
    /// assert_eq!(day.deduction.unwrap().amount.to_string(), "20");
    ///
    /// // Thirty minutes is still late (以内); thirty-one is absent, 50 yuan.
    /// let day = policy.attendance_day(Some(regular), date, Punches::Arrived(at(9, 30)))?;
    /// assert_eq!(day.status, DayStatus::Late { minutes: 30 });
    /// let day = policy.attendance_day(Some(regular), date, Punches::Arrived(at(9, 31)))?;
    /// assert_eq!(day.status, DayStatus::Absent { reason: AbsenceReason::LateBeyondLimit { minutes: 31 } });
    /// assert_eq!(day.deduction.unwrap().amount.to_string(), "50");
    ///
    /// // The day over with no out punch: this policy counts it absent.
    /// let day = policy.attendance_day(Some(regular), date, Punches::InOnly(at(9, 0)))?;
    /// assert!(matches!(day.status, DayStatus::Absent { .. }));
    ///
    /// // Not rostered on National Day: a holiday.
    /// let national_day = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
    /// assert_eq!(policy.attendance_day(None, national_day, Punches::Neither)?.status, DayStatus::Holiday);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn attendance_day(
        &self,
        shift: Option<ShiftRef>,
        date: NaiveDate,
        punches: Punches,
    ) -> Result<DayDecision, DayError> {
        let rules = self
            .attendance
            .as_ref()
            .ok_or(DayError::NoAttendanceRules)?;
        let shifts = self.shifts.as_ref().ok_or(DayError::NoShiftRules)?;
        self.calendar.covers(date)?;
        let mut day = self.classify_day(rules, shifts, shift, date, punches)?;
        if shift.is_some() {
            day.deduction = rules.day_deduction(day.status)?;
        }
        Ok(day)
    }

    /// [`Policy::attendance_day`] of a date the calendar covers, without
    /// the day's deduction: what the month needs of each day.
    fn classify_day(
        &self,
        rules: &AttendanceRules,
        shifts: &ShiftRules,
        shift: Option<ShiftRef>,
        date: NaiveDate,
        punches: Punches,
    ) -> Result<DayDecision, DayError> {
        let Some(shift) = shift else {
            return Ok(match self.calendar.holiday_in_covered(date) {
                Some(h) => DayDecision::new(DayStatus::Holiday, h.clause()),
                None => DayDecision::new(DayStatus::Rest, shifts.clause()),
            });
        };
        let ty = shifts.get(shift).ok_or_else(|| DayError::UnknownShift {
            shift: shift.id().to_owned(),
            date,
        })?;
        rules.worked_day(shifts, ty, date, punches)
    }

    /// Classifies one agent's month into `days` (cleared first; one record per
    /// date, in order) and sums it up, in the handbook's order: each day
    /// classified, the streaks counted and converted, the deductions to
    /// their fund, then the actions and the full-attendance bonus.
    ///
    /// Reuse `days` across calls: nothing else is allocated per day.
    ///
    /// How the month is counted:
    /// - every day is [`Policy::attendance_day`]'s decision, but that a
    ///   rostered day on approved leave is leave, whatever its punches, and
    ///   one on leave not approved in the required way is absent; leave on
    ///   an unrostered day leaves it a day off;
    /// - a day both late and early is two occurrences;
    /// - streaks convert every `count` occurrences (or rostered days in a
    ///   row, as the policy states) into one absence; converted absences do
    ///   not feed the runs of absences;
    /// - runs of absences count rostered days absent in a row (rest days do
    ///   not break them); the share of pay is taken once a month, at the
    ///   day the first run reaches its length, on top of that run's absence
    ///   deductions or in place of them as the policy states; each run
    ///   reaching `review_at` adds a review;
    /// - full attendance needs no late, early leave, absence or missing
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
    /// assert_eq!(summary.total_deducted.to_string(), "40"); // 20 each
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
        let frame = MonthFrame::of(facts, &self.calendar)?;
        self.classify_month(rules, shifts, facts, &frame, days)
            .map_err(|e| e.of_agent(&facts.agent))?;
        let (mut counts, last) = AttendanceCounts::of(days, frame.first);
        let converted = match &rules.streak {
            Some(streak) => streak.convert(days, &counts),
            None => Conversions {
                list: Vec::new(),
                late_left: counts.late,
                early_left: counts.early_leave,
            },
        };
        counts.converted_absences = u16::try_from(converted.list.len()).unwrap_or(u16::MAX);
        let runs = match &rules.absence_streak {
            Some(streak) => {
                let money = (self.rounding, rules.deductions_fund());
                streak.runs(facts, days, counts.absent, money)?
            }
            None => AbsenceRuns {
                share: None,
                reviews: Vec::new(),
                absent_left: counts.absent,
            },
        };
        let tally = Tally {
            late: (converted.late_left, last.late),
            early_leave: (converted.early_left, last.early_leave),
            absent: (runs.absent_left, last.absent),
            converted: (
                counts.converted_absences,
                converted.list.last().map_or(frame.first, |c| c.date),
            ),
        };
        let (deductions, total_deducted) =
            rules
                .month_deductions(&tally, runs.share)
                .map_err(|error| AttendanceError::Overflow {
                    agent: facts.agent.clone(),
                    error,
                })?;
        Ok(MonthSummary {
            counts,
            conversions: converted.list,
            deductions,
            actions: runs.reviews,
            full_attendance: rules.full_attendance.and_then(|f| f.earned(&counts)),
            total_deducted,
            fund: rules.fund,
        })
    }

    /// Classify each day of a month: a rostered day on approved leave is
    /// leave; A7: leave not approved in the required way is treated as
    /// absence (以旷工论处); any other day is [`Policy::attendance_day`]'s
    /// decision on its shift and punches.
    fn classify_month(
        &self,
        rules: &AttendanceRules,
        shifts: &ShiftRules,
        facts: &AgentMonth,
        frame: &MonthFrame,
        days: &mut Vec<DayRecord>,
    ) -> Result<(), DayError> {
        days.clear();
        let mut date = frame.first;
        for k in 0..frame.len {
            if k > 0 {
                date = date.succ_opt().unwrap_or(date);
            }
            let bit = 1u32 << k;
            let Some(fact) = facts.days.get(usize::from(frame.slot[k as usize])) else {
                let day = self.classify_day(rules, shifts, None, date, Punches::Neither)?;
                days.push(DayRecord::of(date, None, day));
                continue;
            };
            let day = if (frame.leave_ok | frame.leave_bad) & bit == 0 {
                self.classify_day(rules, shifts, Some(fact.shift), date, fact.punches())?
            } else {
                // The shift must still be one the policy defines.
                shifts
                    .get(fact.shift)
                    .ok_or_else(|| DayError::UnknownShift {
                        shift: fact.shift.id().to_owned(),
                        date,
                    })?;
                match frame.leave_ok & bit != 0 {
                    true => DayDecision::new(DayStatus::OnLeave, rules.clause),
                    false => DayDecision::new(
                        DayStatus::Absent {
                            reason: AbsenceReason::UnapprovedLeave,
                        },
                        rules.unapproved_leave,
                    ),
                }
            };
            days.push(DayRecord::of(date, Some(fact.shift), day));
        }
        Ok(())
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
    /// by id (the form a scenario file holds), agents in the order they
    /// first appear. Roster entries outside the month are skipped; punches
    /// and leave outside it are an error, as are punches on a date the
    /// agent is not rostered.
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
        self.shifts.as_ref().ok_or(AttendanceError::NoShiftRules)?;
        if NaiveDate::from_ymd_opt(year, month, 1).is_none() {
            return Err(AttendanceError::InvalidMonth {
                agent: String::new(),
                year,
                month,
            });
        }
        let mut months = Months::new(year, month);
        let in_month = |d: NaiveDate| d.year() == year && d.month() == month;
        for e in roster.entries.iter().filter(|e| in_month(e.date)) {
            let shift = self
                .shift_ref(&e.shift)
                .ok_or_else(|| AttendanceError::UnknownShift {
                    agent: e.agent.clone(),
                    date: e.date,
                    shift: e.shift.clone(),
                })?;
            months.of(&e.agent).days.push(WorkDay {
                date: e.date,
                shift,
                clock_in: None,
                clock_out: None,
                overtime_approved: false,
            });
        }
        for p in punches {
            months.punch(p)?;
        }
        for l in leave {
            months.check(&l.agent, "leave day", l.day.date)?;
            months.of(&l.agent).leave.push(l.day);
        }
        Ok(months.list)
    }

    /// Whether an agent away `days_away` days in total in an assessment
    /// period (leave or otherwise) is assessed.
    ///
    /// A10: an agent away more than the policy's months (2 months) in one
    /// assessment period is not assessed for it.
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

/// The agents' months being built from the roster form, each agent found
/// by id at once.
struct Months<'f> {
    year: i32,
    month: u32,
    list: Vec<AgentMonth>,
    index: HashMap<&'f str, usize>,
}

impl<'f> Months<'f> {
    fn new(year: i32, month: u32) -> Self {
        Self {
            year,
            month,
            list: Vec::new(),
            index: HashMap::new(),
        }
    }

    fn holds(&self, date: NaiveDate) -> bool {
        date.year() == self.year && date.month() == self.month
    }

    /// Ok for a fact dated inside the month.
    fn check(
        &self,
        agent: &str,
        what: &'static str,
        date: NaiveDate,
    ) -> Result<(), AttendanceError> {
        if self.holds(date) {
            return Ok(());
        }
        Err(AttendanceError::DateOutsideMonth {
            agent: agent.to_owned(),
            what,
            date,
            year: self.year,
            month: self.month,
        })
    }

    /// The agent's month, begun empty at its first fact.
    fn of(&mut self, agent: &'f str) -> &mut AgentMonth {
        let next = self.list.len();
        let i = *self.index.entry(agent).or_insert(next);
        if i == next {
            self.list.push(AgentMonth {
                agent: agent.to_owned(),
                year: self.year,
                month: self.month,
                days: Vec::new(),
                leave: Vec::new(),
                pay: None,
            });
        }
        &mut self.list[i]
    }

    /// Puts a punch on the agent's rostered day of its date.
    fn punch(&mut self, p: &Punch) -> Result<(), AttendanceError> {
        self.check(&p.agent, "punch", p.date)?;
        let day = self
            .index
            .get(p.agent.as_str())
            .and_then(|&i| self.list[i].days.iter_mut().find(|d| d.date == p.date))
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
        Ok(())
    }
}
