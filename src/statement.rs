//! The monthly statement: attendance, leave, discipline, scorecard and pay
//! of one agent's month as lines that add up, each citing its clause.
//!
//! [`Policy::team_statement`] reads a month's facts (a [`Scenario`]) and
//! gives every agent's [`AgentStatement`]; [`Policy::agent_statement`] gives
//! one agent's, without the team's ranking.
//!
//! How the parts are joined:
//! - the roster and punches give each agent's attendance month; leave
//!   requests are decided first and their days fed in: approved days are
//!   leave, days of a request that was not approved are absence;
//! - attendance deductions become negative lines; the month's
//!   counts feed the scorecard's attendance item and full attendance
//!   goes to pay, which pays the bonus when its plan states one (else
//!   the attendance section's bonus is a line of its own);
//! - the month's incidents become fines (negative) and rewards (positive)
//!   and actions; those whose kind says `counts_as = "complaint"` or
//!   `"irregularity"` are counted for pay;
//! - pay builds the scorecard, bonus and level lines; an incident
//!   that withholds the month's performance pay or cancels its bonus
//!   sets that pay line to nothing, citing the incident's clause;
//! - every line is rounded as the policy says, and the total is the exact
//!   sum of the lines, so it balances to the fen.
//!
//! ```
//! use cs_policy::{Policy, Scenario};
//! let policy = Policy::example("shop")?;
//! let month = Scenario::from_toml_str("shop.scenario.toml", include_str!("../policies/shop.scenario.toml"))?;
//! let team = policy.team_statement(&month)?;
//! for s in &team.statements {
//!     assert_eq!(s.total, s.lines.iter().map(|l| l.amount).sum());
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt::{self, Write as _};

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::attendance::{self, AttendanceCounts, AttendanceError, DeductionKind, WorkDay};
use crate::discipline::{self, CountsAs, DisciplineError, Effect};
use crate::explain::{Clause, ClauseRef};
use crate::facts::check::MonthDays;
use crate::kpi::{CardFacts, CardScore};
use crate::leave::{self, LeaveError};
use crate::money::{self, Overflow, RoundingMode};
use crate::pay::{self, PayError};
use crate::punch::{CorrectionOutcome, Decision, PunchError, Refusal, WorkedDays};
use crate::scenario::{AgentFacts, AgentRecord, Days, DaysWord, MonthHeader, Numbers, Scenario};
use crate::{CiteError, Policy, PolicyStamp};

pub use crate::pay::{Ranked, Standing};

/// What a statement line is.
///
/// ```
/// use cs_policy::statement::LineKind;
/// assert_eq!(LineKind::Fine.word(), "fine");
/// assert_eq!(LineKind::Pay(cs_policy::pay::LineKind::KpiBonus).word(), "kpi_bonus");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LineKind {
    /// An attendance deduction.
    Attendance(DeductionKind),
    /// The attendance section's full-attendance bonus.
    FullAttendance,
    /// A fine.
    Fine,
    /// A reward.
    Reward,
    /// A pay line.
    Pay(pay::LineKind),
}

impl LineKind {
    /// The kind in one word, as the table shows it.
    ///
    /// ```
    /// use cs_policy::attendance::DeductionKind;
    /// use cs_policy::statement::LineKind;
    /// assert_eq!(LineKind::Attendance(DeductionKind::ShareOfPay).word(), "absence_streak");
    /// ```
    pub fn word(self) -> &'static str {
        match self {
            Self::Attendance(DeductionKind::Late) => "late",
            Self::Attendance(DeductionKind::EarlyLeave) => "early_leave",
            Self::Attendance(DeductionKind::Absence) => "absence",
            Self::Attendance(DeductionKind::ConvertedAbsence) => "converted_absence",
            Self::Attendance(DeductionKind::ShareOfPay) => "absence_streak",
            Self::FullAttendance => "full_attendance",
            Self::Fine => "fine",
            Self::Reward => "reward",
            Self::Pay(k) => k.word(),
        }
    }
}

/// Why a line came about: typed detail beside its clause.
///
/// ```
/// use cs_policy::statement::Because;
/// let b = Because::FullAttendance;
/// assert_eq!(serde_json::to_string(&b).unwrap(), r#""full_attendance""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Because {
    /// Occurrences at a rate, the last on `last`.
    Occurrences {
        /// How many.
        count: u16,
        /// The amount each.
        each: Decimal,
        /// The date of the last one.
        last: NaiveDate,
    },
    /// A share of the month's pay for a run of absences.
    ShareOfPay {
        /// The percent taken.
        percent: Decimal,
        /// The day the run reached its length.
        on: NaiveDate,
    },
    /// A month without a late, early leave or absence.
    FullAttendance,
    /// An incident, by its position in the scenario's incidents.
    Incident {
        /// The incident's index.
        incident: u32,
        /// Its date.
        date: NaiveDate,
        /// Which occurrence within its window (1 = first).
        occurrence: u32,
        /// The ladder step applied, if one was.
        step: Option<u32>,
    },
    /// A pay line's own reason.
    Pay(pay::Because),
    /// A pay line withheld by an incident's action.
    Withheld {
        /// The incident's index.
        incident: u32,
        /// What the line would have paid.
        would_be: Decimal,
    },
}

impl Because {
    /// Whether `other` is the same reason written the same way: equal,
    /// and every amount at the same scale (`==` takes `50` and `50.0` as
    /// one amount, JSON does not).
    #[cfg_attr(not(feature = "jsonl"), allow(dead_code))]
    pub(crate) fn written_alike(&self, other: &Self) -> bool {
        self == other && self.scales() == other.scales()
    }

    /// The scales of the amounts it holds, in order.
    #[cfg_attr(not(feature = "jsonl"), allow(dead_code))]
    fn scales(&self) -> [u32; 3] {
        match *self {
            Self::Occurrences { each, .. } => [each.scale(), 0, 0],
            Self::ShareOfPay { percent, .. } => [percent.scale(), 0, 0],
            Self::Withheld { would_be, .. } => [would_be.scale(), 0, 0],
            Self::Pay(because) => because.scales(),
            Self::FullAttendance | Self::Incident { .. } => [0; 3],
        }
    }
}

/// An action without an amount.
///
/// ```
/// use cs_policy::statement::ActionKind;
/// let a = ActionKind::Discipline(cs_policy::discipline::Action::Warning);
/// assert_eq!(serde_json::to_string(&a).unwrap(), r#"{"discipline":"warning"}"#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ActionKind {
    /// From attendance (the dismissal review after absences in a row).
    Attendance(attendance::ActionKind),
    /// From an incident (warning, demerit, bonus cancelled, dismissal...).
    Discipline(discipline::Action),
    /// From pay (demotion, promotion, dismissal, not assessed...).
    Pay(pay::ActionKind),
    /// A leave request granted (its days are leave).
    LeaveGranted {
        /// The request's index in the scenario.
        request: u32,
        /// Days counted.
        days: u32,
        /// Days paid.
        paid_days: u32,
        /// The policy's choice to count the agent's rostered days
        /// (`leave.types.<id>.on_roster`), when it decided the count.
        #[serde(skip_serializing_if = "Option::is_none")]
        counted_on_roster: Option<ClauseRef>,
    },
    /// A leave request not approved as required: its days are absence.
    LeaveRefused {
        /// The request's index in the scenario.
        request: u32,
        /// Days that are absence.
        absence_days: u32,
    },
    /// A missing punch corrected (补卡): the month's `number`-th correction,
    /// of the punch of the shift on the action's date.
    PunchCorrected {
        /// Which punch.
        punch: attendance::PunchSide,
        /// Which correction of the month (1 = the first).
        number: u8,
    },
    /// A correction refused: the punch of the shift on the action's date
    /// stays as it was.
    CorrectionRefused {
        /// Which punch.
        punch: attendance::PunchSide,
        /// Why.
        reason: Refusal,
    },
}

impl ActionKind {
    /// The action in words, as the table shows it.
    ///
    /// ```
    /// use cs_policy::statement::ActionKind;
    /// assert_eq!(ActionKind::LeaveRefused { request: 0, absence_days: 2 }.word(), "leave_refused");
    /// ```
    pub fn word(self) -> &'static str {
        match self {
            Self::Attendance(attendance::ActionKind::DismissalReview) => "dismissal_review",
            Self::Discipline(a) => a.word(),
            Self::Pay(pay::ActionKind::NotAssessed) => "not_assessed",
            Self::Pay(pay::ActionKind::Demotion { .. }) => "demotion",
            Self::Pay(pay::ActionKind::Promotion { .. }) => "promotion",
            Self::Pay(pay::ActionKind::PromotionBlocked { .. }) => "promotion_blocked",
            Self::Pay(pay::ActionKind::Dismissal) => "dismissal",
            Self::Pay(pay::ActionKind::DeemedResignation) => "deemed_resignation",
            Self::LeaveGranted { .. } => "leave_granted",
            Self::LeaveRefused { .. } => "leave_refused",
            Self::PunchCorrected { .. } => "punch_corrected",
            Self::CorrectionRefused { .. } => "correction_refused",
        }
    }
}

/// One line of a monthly statement: signed (deductions negative), rounded
/// as the policy says, with the clause that decided it.
///
/// ```
/// use cs_policy::statement::{Because, Line, LineKind};
/// let policy = cs_policy::Policy::example("shop")?;
/// let line = Line { kind: LineKind::FullAttendance, amount: 100.into(), clause: policy.clause_by_id("attendance").unwrap(), because: Because::FullAttendance };
/// assert_eq!(line.amount.to_string(), "100");
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    /// What it is.
    pub kind: LineKind,
    /// The amount, signed from the agent's side.
    pub amount: Decimal,
    /// The clause that decided it.
    pub clause: ClauseRef,
    /// Why.
    pub because: Because,
}

/// An action of the month, with its clause and, where it has one, its date.
///
/// ```
/// use cs_policy::statement::{Action, ActionKind};
/// let policy = cs_policy::Policy::example("shop")?;
/// let a = Action { kind: ActionKind::Discipline(cs_policy::discipline::Action::Dismissal), clause: policy.clause_by_id("discipline").unwrap(), date: None };
/// assert_eq!(a.kind.word(), "dismissal");
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// What happens.
    pub kind: ActionKind,
    /// The clause that decided it.
    pub clause: ClauseRef,
    /// When, for actions tied to a day.
    pub date: Option<NaiveDate>,
}

/// One agent's monthly statement.
///
/// ```
/// use cs_policy::{Policy, Scenario};
/// let policy = Policy::example("education")?;
/// let month = Scenario::from_toml_str("e.toml", include_str!("../policies/education.scenario.toml"))?;
/// let s = policy.agent_statement(&month, &month.agents[0].id)?;
/// assert_eq!(s.total, s.lines.iter().map(|l| l.amount).sum());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentStatement {
    /// The policy that produced it (its id, version and text's SHA-256).
    pub policy: Arc<PolicyStamp>,
    /// The agent.
    pub agent: String,
    /// The lines: pay first, then attendance, then discipline.
    pub lines: Vec<Line>,
    /// The actions.
    pub actions: Vec<Action>,
    /// The exact sum of the lines.
    pub total: Decimal,
    /// The month's attendance counts, when the policy has `[attendance]`.
    pub attendance: Option<AttendanceCounts>,
    /// Complaints counted for pay (`counts_as = "complaint"`).
    pub complaints: u32,
    /// Service irregularities counted for pay.
    pub irregularities: u32,
    /// The scorecard, when the agent's plan has one and they were assessed.
    pub score: Option<CardScore>,
    /// The rank within the plan (team statements only).
    pub rank: Option<u32>,
    /// The star level held, by its id.
    pub level: Option<pay::LevelRef>,
    /// The level for next month, by its id.
    pub next_level: Option<pay::LevelRef>,
}

/// Every agent's statement of one month.
///
/// ```
/// use cs_policy::{Policy, Scenario};
/// let policy = Policy::example("call-centre")?;
/// let month = Scenario::from_toml_str("c.toml", include_str!("../policies/call-centre.scenario.toml"))?;
/// let team = policy.team_statement(&month)?;
/// assert_eq!(team.total, team.statements.iter().map(|s| s.total).sum());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamStatement {
    /// The policy that produced it (its id, version and text's SHA-256).
    pub policy: Arc<PolicyStamp>,
    /// The year.
    pub year: i32,
    /// The month.
    pub month: u32,
    /// One statement per agent, in the scenario's order.
    pub statements: Vec<AgentStatement>,
    /// The sum of every statement.
    pub total: Decimal,
    /// Decimal places of every amount.
    pub decimals: u32,
    /// How amounts are rounded.
    pub rounding: RoundingMode,
}

/// Facts a statement cannot be built from.
///
/// ```
/// use cs_policy::{Policy, Scenario};
/// use cs_policy::statement::StatementError;
/// let policy = Policy::example("shop")?;
/// let month = Scenario::from_toml_str("m.toml", "year = 2026\nmonth = 3\n")?;
/// assert!(matches!(policy.agent_statement(&month, "nobody"), Err(StatementError::UnknownAgent { .. })));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum StatementError {
    /// The month does not exist.
    #[error("month `{year}-{month}` does not exist; months run from 1 to 12")]
    BadMonth {
        /// The year.
        year: i32,
        /// The month.
        month: u32,
    },
    /// A fact names an agent the scenario does not list.
    #[error(
        "{what} #{index} names agent `{agent}`, who is not among the scenario's agents; add them under `[[agents]]` or correct the id"
    )]
    UnknownAgent {
        /// What names the agent (`punch`, `incident`...).
        what: &'static str,
        /// Its position in its list.
        index: usize,
        /// The id given.
        agent: String,
    },
    /// Two agents with one id.
    #[error("agent `{agent}` is listed twice; give each agent once")]
    DuplicateAgent {
        /// The id.
        agent: String,
    },
    /// A roster line names a shift the policy does not define.
    #[error("roster line #{index} names shift `{shift}`, which the policy does not define")]
    UnknownShift {
        /// The roster line.
        index: usize,
        /// The id given.
        shift: String,
    },
    /// A punch on a day the agent is not rostered.
    #[error(
        "punch #{index} of agent `{agent}` on {date} has no roster entry that day; roster the shift or drop the punch"
    )]
    PunchWithoutRoster {
        /// The punch.
        index: usize,
        /// The agent.
        agent: String,
        /// The date.
        date: NaiveDate,
    },
    /// Two punches for one agent and day.
    #[error("agent `{agent}` has two punches on {date}; give one per day")]
    DuplicatePunch {
        /// The agent.
        agent: String,
        /// The date.
        date: NaiveDate,
    },
    /// Bad attendance facts.
    #[error(transparent)]
    Attendance(#[from] AttendanceError),
    /// Punches or corrections that cannot be evaluated.
    #[error("agent `{agent}`: {error}")]
    Punch {
        /// The agent.
        agent: String,
        /// What is wrong.
        #[source]
        error: PunchError,
    },
    /// A date the holiday calendars do not cover.
    #[error(transparent)]
    Calendar(#[from] crate::calendar::CalendarError),
    /// Bad leave requests.
    #[error("agent `{agent}`: {error}")]
    Leave {
        /// The agent.
        agent: String,
        /// What is wrong.
        #[source]
        error: LeaveError,
    },
    /// Bad incidents.
    #[error(transparent)]
    Discipline(#[from] DisciplineError),
    /// Bad pay facts.
    #[error(transparent)]
    Pay(#[from] PayError),
    /// An amount too large to add up (see [`Overflow`]); `agent` is empty
    /// for the team's total.
    #[error(
        "{}{error}; check the amounts for a typing mistake",
        agent_prefix(agent)
    )]
    Overflow {
        /// The agent.
        agent: String,
        /// What overflowed, with its values.
        #[source]
        error: Overflow,
    },
}

fn agent_prefix(agent: &str) -> String {
    if agent.is_empty() {
        String::new()
    } else {
        format!("agent `{agent}`: ")
    }
}

/// What the month's parts gave one agent, before pay.
#[derive(Default)]
struct Parts {
    lines: Vec<Line>,
    actions: Vec<Action>,
    counts: Option<AttendanceCounts>,
    full_attendance: Option<(Option<Decimal>, ClauseRef)>,
    complaints: u32,
    irregularities: u32,
    /// (incident, clause) of the first incident withholding performance pay
    /// and cancelling the bonus.
    no_performance: Option<(u32, ClauseRef)>,
    no_bonus: Option<(u32, ClauseRef)>,
}

fn idx32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// The month every statement is of: its dates and working days, found
/// once for all agents.
///
/// ```
/// use cs_policy::Policy;
/// use cs_policy::scenario::MonthHeader;
/// let policy = Policy::example("shop")?;
/// let march = policy.month(MonthHeader { year: 2026, month: 3, punctual: true })?;
/// assert_eq!(march.header().month, 3);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Month {
    days: MonthDays,
    /// Dates of the month that are working days, in order (by the
    /// policy's calendar).
    working: Vec<NaiveDate>,
}

impl Month {
    /// The month's header.
    pub fn header(&self) -> MonthHeader {
        self.days.header
    }
}

/// One agent's month evaluated up to pay: every part but the team's
/// ranking, and what ranking needs of it.
pub struct Evaluated {
    parts: Parts,
    /// The pay facts, the scorecard scored and the standing, for an agent
    /// with a plan.
    pay: Option<(pay::AgentMonth, Option<CardScore>, Standing)>,
}

impl Evaluated {
    /// What ranking needs of the agent: `None` without a plan.
    pub fn standing(&self) -> Option<Standing> {
        self.pay.as_ref().map(|(_, _, s)| *s)
    }
}

impl Policy {
    /// The month `header` names, ready to evaluate agent records of.
    ///
    /// ```
    /// use cs_policy::scenario::MonthHeader;
    /// let policy = cs_policy::Policy::example("shop")?;
    /// assert!(policy.month(MonthHeader { year: 2026, month: 13, punctual: false }).is_err());
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn month(&self, header: MonthHeader) -> Result<Month, StatementError> {
        let days = MonthDays::new(header, Some(self)).ok_or(StatementError::BadMonth {
            year: header.year,
            month: header.month,
        })?;
        let mut working = Vec::with_capacity(days.dates.len());
        for date in &days.dates {
            if self.calendar().is_working_day(*date)? {
                working.push(*date);
            }
        }
        Ok(Month { days, working })
    }

    /// One agent's monthly statement, without the team's ranking (ranks,
    /// awards and rank streaks need [`Policy::team_statement`]).
    ///
    /// ```
    /// use cs_policy::{Policy, Scenario};
    /// let policy = Policy::example("shop")?;
    /// let month = Scenario::from_toml_str("s.toml", include_str!("../policies/shop.scenario.toml"))?;
    /// let s = policy.agent_statement(&month, "S01")?;
    /// for line in &s.lines {
    ///     println!("{:>10} {:>9} {}", line.kind.word(), line.amount, policy.cite(line.clause)?);
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn agent_statement(
        &self,
        month: &Scenario,
        agent: &str,
    ) -> Result<AgentStatement, StatementError> {
        let unknown = || StatementError::UnknownAgent {
            what: "statement",
            index: 0,
            agent: agent.to_owned(),
        };
        month
            .agents
            .iter()
            .position(|a| a.id == agent)
            .ok_or_else(unknown)?;
        let m = self.month(month.header())?;
        let records = month.records()?;
        let (record, numbers) = records
            .iter()
            .find(|(r, _)| r.agent.id == agent)
            .ok_or_else(unknown)?;
        let evaluated = self.evaluate(&m, record, numbers)?;
        self.statement_of(record, evaluated, Ranked::default())
    }

    /// Every agent's monthly statement, ranked within their pay plan.
    ///
    /// ```
    /// use cs_policy::{Policy, Scenario};
    /// let policy = Policy::example("call-centre")?;
    /// let month = Scenario::from_toml_str("c.toml", include_str!("../policies/call-centre.scenario.toml"))?;
    /// let team = policy.team_statement(&month)?;
    /// assert!(team.statements.iter().any(|s| s.rank == Some(1)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn team_statement(&self, month: &Scenario) -> Result<TeamStatement, StatementError> {
        let m = self.month(month.header())?;
        let records = month.records()?;
        let evaluated = records
            .iter()
            .map(|(record, numbers)| self.evaluate(&m, record, numbers))
            .collect::<Result<Vec<_>, _>>()?;
        let standings: Vec<Option<Standing>> = evaluated.iter().map(Evaluated::standing).collect();
        let ranked = self.rank(&standings);
        let mut statements = Vec::with_capacity(records.len());
        for (((record, _), e), r) in records.iter().zip(evaluated).zip(ranked) {
            statements.push(self.statement_of(record, e, r)?);
        }
        let mut total = money::total(statements.iter().map(|s| s.total), "the team's total")
            .map_err(|error| StatementError::Overflow {
                agent: String::new(),
                error,
            })?;
        total.rescale(self.rounding().decimals());
        Ok(TeamStatement {
            policy: self.shared_stamp().clone(),
            year: month.year,
            month: month.month,
            statements,
            total,
            decimals: self.rounding().decimals(),
            rounding: self.rounding().mode(),
        })
    }

    /// The ranks within each plan and the prize-winning ranks, from
    /// one standing per agent (`None`: no plan), in their order: the
    /// team's second pass, over compact summaries only.
    ///
    /// ```
    /// use cs_policy::{Policy, Scenario};
    /// let policy = Policy::example("call-centre")?;
    /// let month = Scenario::from_toml_str("c.toml", include_str!("../policies/call-centre.scenario.toml"))?;
    /// let m = policy.month(month.header())?;
    /// let records = month.records()?;
    /// let standings: Vec<_> = records.iter()
    ///     .map(|(r, n)| policy.evaluate(&m, r, n).map(|e| e.standing()))
    ///     .collect::<Result<_, _>>()?;
    /// let ranked = policy.rank(&standings);
    /// assert!(ranked.iter().any(|r| r.rank() == Some(1)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn rank(&self, standings: &[Option<Standing>]) -> Vec<Ranked> {
        self.rank_team(standings)
    }

    /// One agent's month up to pay, from their record: the roster and
    /// punches as working days, leave decided, attendance, discipline, and
    /// the scorecard scored.
    pub fn evaluate(
        &self,
        month: &Month,
        record: &AgentRecord,
        numbers: &Numbers,
    ) -> Result<Evaluated, StatementError> {
        let mut parts = Parts::default();
        let worked = self.worked_days(month, record)?;
        correction_actions(&worked.corrections, &mut parts);
        let days = worked.days;
        let leave_days = self.leave_part(month, record, numbers, &days, &mut parts)?;
        self.attendance_part(month, &record.agent, days, leave_days, &mut parts)?;
        self.discipline_part(month, record, numbers, &mut parts)?;
        let pay = match record.agent.plan {
            Some(_) => {
                let facts = pay_facts(&record.agent, &parts, month.days.header);
                let (score, standing) =
                    self.month_standing(&facts, &record.agent.card, &record.agent.history)?;
                Some((facts, score, standing))
            }
            None => None,
        };
        Ok(Evaluated { parts, pay })
    }

    /// One agent's rostered days with their punches: listed, from the punch
    /// log (assigned to shifts by `[shifts.punches]`), punctual, then
    /// corrected (补卡); with what became of each logged punch and each
    /// correction.
    pub fn worked_days(
        &self,
        month: &Month,
        record: &AgentRecord,
    ) -> Result<WorkedDays, StatementError> {
        let mut worked = WorkedDays {
            days: self.rostered_days(month, record)?,
            ..WorkedDays::default()
        };
        self.punch_days(month, record, &mut worked)?;
        Ok(worked)
    }

    /// The roster's days of the agent, in the order of their entries: the
    /// shift on each date the entry names, in the month, less its
    /// exceptions.
    fn rostered_days(
        &self,
        month: &Month,
        record: &AgentRecord,
    ) -> Result<Vec<WorkDay>, StatementError> {
        let mut days = Vec::new();
        for (index, entry) in record.roster.iter().enumerate() {
            let shift =
                self.shift_ref(&entry.shift)
                    .ok_or_else(|| StatementError::UnknownShift {
                        index,
                        shift: entry.shift.clone(),
                    })?;
            let dates: &mut dyn Iterator<Item = &NaiveDate> = match &entry.days {
                Days::Word(DaysWord::WorkingDays) => &mut month.working.iter(),
                Days::Word(DaysWord::EveryDay) => &mut month.days.dates.iter(),
                Days::Dates(dates) => &mut dates.iter().filter(|d| month.days.holds(**d)),
            };
            let dates = dates.filter(|d| !entry.except.contains(d));
            // A dyn iterator's filter knows no lower bound: room for all
            // the dates at once, not grown a few at a time.
            days.reserve(dates.size_hint().1.unwrap_or(0));
            days.extend(dates.map(|&date| WorkDay {
                date,
                shift,
                clock_in: None,
                clock_out: None,
                overtime_approved: false,
            }));
        }
        Ok(days)
    }

    /// The punches set on their rostered days, an out punch before the in
    /// (or, without an in, before a night shift's start) on the next day;
    /// on a punctual month, every day without a punch punched at the
    /// shift's start and end.
    fn punch_days(
        &self,
        month: &Month,
        record: &AgentRecord,
        worked: &mut WorkedDays,
    ) -> Result<(), StatementError> {
        let agent = &record.agent.id;
        let days = &mut worked.days;
        let mut punched = 0u32;
        for (index, p) in record.punches.iter().enumerate() {
            let day = days.iter_mut().find(|w| w.date == p.date).ok_or_else(|| {
                StatementError::PunchWithoutRoster {
                    index,
                    agent: agent.clone(),
                    date: p.date,
                }
            })?;
            let bit = 1u32 << p.date.day0();
            if punched & bit != 0 {
                return Err(StatementError::DuplicatePunch {
                    agent: agent.clone(),
                    date: p.date,
                });
            }
            punched |= bit;
            let night = self
                .shift_type(day.shift)
                .map(|t| t.hours(p.date.weekday()))
                .filter(|h| h.crosses_midnight());
            day.clock_in = p.clock_in.map(|t| p.date.and_time(t));
            day.clock_out = p.clock_out.and_then(|t| {
                let next = match (p.clock_in, night) {
                    (Some(i), _) => t < i,
                    (None, Some(h)) => t < h.start(),
                    (None, None) => false,
                };
                let date = if next { p.date.succ_opt()? } else { p.date };
                Some(date.and_time(t))
            });
        }
        let punch_error = |error| StatementError::Punch {
            agent: agent.clone(),
            error,
        };
        let header = month.days.header;
        punched |= self
            .log_days(header, &record.punch_log, days, punched, &mut worked.events)
            .map_err(punch_error)?;
        if header.punctual {
            self.punctual_days(days, punched);
        }
        self.correct_punches(days, &record.punch_corrections, &mut worked.corrections)
            .map_err(punch_error)
    }

    /// A punctual month's days without a punch: at the shift's start and
    /// end, the end on the next day for a night shift.
    fn punctual_days(&self, days: &mut [WorkDay], punched: u32) {
        for w in days
            .iter_mut()
            .filter(|w| punched & (1 << w.date.day0()) == 0)
        {
            let Some(h) = self.shift_type(w.shift).map(|t| t.hours(w.date.weekday())) else {
                continue;
            };
            w.clock_in = Some(w.date.and_time(h.start()));
            let end = if h.crosses_midnight() {
                w.date.succ_opt().unwrap_or(w.date)
            } else {
                w.date
            };
            w.clock_out = Some(end.and_time(h.end()));
        }
    }

    /// The agent's leave requests decided: each granted or
    /// refused as an action, and the month's days of leave, those of a
    /// refused request being absence.
    fn leave_part(
        &self,
        month: &Month,
        record: &AgentRecord,
        numbers: &Numbers,
        rostered: &[WorkDay],
        parts: &mut Parts,
    ) -> Result<Vec<attendance::LeaveDay>, StatementError> {
        let a = &record.agent;
        if record.leave_requests.is_empty() {
            return Ok(Vec::new());
        }
        // Birth date and sex only where a leave rule reads them: the leave
        // error then names the type and the clause.
        let who = leave::Agent {
            id: a.id.clone(),
            birth_date: a.birth_date,
            sex: a.sex,
            previous_marriages: a.previous_marriages,
            joined_on: a.joined_on,
            // An agent on the month's roster: the rostered dates.
            rostered_days: (!rostered.is_empty())
                .then(|| rostered.iter().map(|w| w.date).collect()),
        };
        let decisions = self
            .check_leave_requests(&who, &record.leave_requests)
            .map_err(|error| StatementError::Leave {
                agent: a.id.clone(),
                error,
            })?;
        let mut out = Vec::new();
        for (i, decision) in decisions.iter().enumerate() {
            out.extend(
                decision
                    .leave_days()
                    .into_iter()
                    .filter(|d| month.days.holds(d.date)),
            );
            let request = numbers.requests.get(i).copied().unwrap_or(idx32(i));
            parts.actions.push(leave_action(decision, request));
        }
        Ok(out)
    }

    /// The attendance month: deductions as negative lines, actions,
    /// full attendance and the counts the scorecard's attendance item
    /// reads.
    fn attendance_part(
        &self,
        month: &Month,
        a: &AgentFacts,
        days: Vec<WorkDay>,
        leave: Vec<attendance::LeaveDay>,
        parts: &mut Parts,
    ) -> Result<(), StatementError> {
        if self.attendance().is_none() || self.shifts().is_none() {
            return Ok(());
        }
        let header = month.days.header;
        let facts = attendance::AgentMonth {
            agent: a.id.clone(),
            year: header.year,
            month: header.month,
            days,
            leave,
            pay: a.month_pay,
        };
        let summary = self.attendance_month(&facts, &mut Vec::with_capacity(31))?;
        for d in &summary.deductions {
            let because = match d.kind {
                DeductionKind::ShareOfPay => Because::ShareOfPay {
                    percent: d.each,
                    on: d.date,
                },
                _ => Because::Occurrences {
                    count: d.count,
                    each: d.each,
                    last: d.date,
                },
            };
            parts.lines.push(Line {
                kind: LineKind::Attendance(d.kind),
                amount: money::unsigned_zero(-d.amount),
                clause: d.clause,
                because,
            });
        }
        parts.actions.extend(summary.actions.iter().map(|x| Action {
            kind: ActionKind::Attendance(x.kind),
            clause: x.clause,
            date: Some(x.date),
        }));
        parts.full_attendance = summary.full_attendance.map(|f| (f.amount, f.clause));
        parts.counts = Some(summary.counts);
        Ok(())
    }

    /// The month's incidents up the ladders, earlier months'
    /// counting towards the windows: fines and rewards as lines, actions,
    /// and the complaints and irregularities pay counts; an
    /// incident that withholds performance pay or cancels the bonus is
    /// noted for the pay lines.
    fn discipline_part(
        &self,
        month: &Month,
        record: &AgentRecord,
        numbers: &Numbers,
        parts: &mut Parts,
    ) -> Result<(), StatementError> {
        if record.incidents.is_empty() {
            return Ok(());
        }
        let id = &record.agent.id;
        let incidents: Vec<discipline::Incident> =
            record.incidents.iter().map(|i| i.of(id)).collect();
        let header = month.days.header;
        let rules = self.discipline();
        let dm = self.discipline_month(header.year, header.month, &incidents)?;
        for l in dm.lines() {
            let incident = numbers
                .incidents
                .get(l.incident)
                .copied()
                .unwrap_or(idx32(l.incident));
            match rules
                .and_then(|r| r.kind(l.kind))
                .and_then(|k| k.counts_as())
            {
                Some(CountsAs::Complaint) => parts.complaints += 1,
                Some(CountsAs::Irregularity) => parts.irregularities += 1,
                None => {}
            }
            incident_lines(l, incident, parts);
        }
        Ok(())
    }

    /// The agent's statement once the team is ranked: pay lines
    /// first, a line withheld by an incident paying nothing, then the
    /// attendance section's full-attendance bonus where the plan does not
    /// pay it, then attendance and discipline lines; every line
    /// rounded as the policy says and the total their exact sum.
    pub fn statement_of(
        &self,
        record: &AgentRecord,
        evaluated: Evaluated,
        ranked: Ranked,
    ) -> Result<AgentStatement, StatementError> {
        let a = &record.agent;
        let Evaluated { parts, pay } = evaluated;
        let paid = match pay {
            Some((facts, score, _)) => {
                Some(self.ranked_month(&facts, &a.card, &a.history, score, ranked)?)
            }
            None => None,
        };
        let mut lines = self.pay_lines(paid.as_ref(), &parts);
        lines.extend(self.full_attendance_line(a.plan.as_deref(), parts.full_attendance));
        for mut l in parts.lines {
            l.amount = self.round(l.amount);
            lines.push(l);
        }
        let mut actions = parts.actions;
        if let Some(s) = &paid {
            actions.extend(s.actions.iter().map(|x| Action {
                kind: ActionKind::Pay(x.kind),
                clause: x.clause,
                date: None,
            }));
        }
        let total = self.total(&a.id, &lines)?;
        let (score, rank, level, next_level) = match paid {
            Some(s) => (s.score, s.rank, s.level, s.next_level),
            None => (None, None, None, None),
        };
        Ok(AgentStatement {
            policy: self.shared_stamp().clone(),
            agent: a.id.clone(),
            lines,
            actions,
            total,
            attendance: parts.counts,
            complaints: parts.complaints,
            irregularities: parts.irregularities,
            score,
            rank,
            level,
            next_level,
        })
    }

    /// The attendance section's full-attendance bonus as a line, where
    /// the month earned it and the agent's plan does not pay it itself.
    fn full_attendance_line(
        &self,
        plan: Option<&str>,
        earned: Option<(Option<Decimal>, ClauseRef)>,
    ) -> Option<Line> {
        let (Some(amount), clause) = earned? else {
            return None;
        };
        let plan = plan.and_then(|p| self.pay().and_then(|r| r.plan(p)));
        if plan.is_some_and(pay::Plan::pays_full_attendance) {
            return None;
        }
        Some(Line {
            kind: LineKind::FullAttendance,
            amount: self.round(amount),
            clause,
            because: Because::FullAttendance,
        })
    }

    /// The pay statement's lines, a line an incident withholds (F6, F8)
    /// paying nothing and citing the incident.
    fn pay_lines(&self, paid: Option<&pay::Statement>, parts: &Parts) -> Vec<Line> {
        let extra = parts.lines.len() + usize::from(parts.full_attendance.is_some());
        let mut lines = Vec::with_capacity(paid.map_or(0, |s| s.lines.len()) + extra);
        for l in paid.map(|s| s.lines.as_slice()).unwrap_or_default() {
            let withheld = match l.kind {
                pay::LineKind::PerformancePay => parts.no_performance,
                pay::LineKind::KpiBonus => parts.no_bonus,
                _ => None,
            };
            lines.push(match withheld {
                Some((incident, clause)) if !l.amount.is_zero() => Line {
                    kind: LineKind::Pay(l.kind),
                    amount: self.round(Decimal::ZERO),
                    clause,
                    because: Because::Withheld {
                        incident,
                        would_be: l.amount,
                    },
                },
                _ => Line {
                    kind: LineKind::Pay(l.kind),
                    amount: l.amount,
                    clause: l.clause,
                    because: Because::Pay(l.because),
                },
            });
        }
        lines
    }

    /// An amount rounded as the policy says, written with its places.
    fn round(&self, x: Decimal) -> Decimal {
        let rounding = self.rounding();
        let mut a = rounding.round(x);
        a.rescale(rounding.decimals());
        a
    }

    /// The exact sum of the lines; amounts too large to add up are an
    /// error, not a wrapped or rounded total.
    fn total(&self, agent: &str, lines: &[Line]) -> Result<Decimal, StatementError> {
        let overflow = |error| StatementError::Overflow {
            agent: agent.to_owned(),
            error,
        };
        for l in lines {
            money::within_line(l.amount, l.kind.word()).map_err(overflow)?;
        }
        let mut total = money::total(lines.iter().map(|l| l.amount), "the statement's lines")
            .map_err(overflow)?;
        total.rescale(self.rounding().decimals());
        Ok(total)
    }
}

/// One incident's fine or reward (a line unless it only acts) and actions,
/// noting the first that withholds performance pay or cancels the
/// bonus.
fn incident_lines(l: &discipline::Line<'_>, incident: u32, parts: &mut Parts) {
    if !l.amount.is_zero() || l.actions.is_empty() {
        parts.lines.push(Line {
            kind: match l.effect {
                Effect::Fine => LineKind::Fine,
                Effect::Reward => LineKind::Reward,
            },
            amount: l.signed(),
            clause: l.clause,
            because: Because::Incident {
                incident,
                date: l.date,
                occurrence: l.occurrence,
                step: l.step,
            },
        });
    }
    for action in l.actions.iter() {
        match action {
            discipline::Action::PerformancePayLost => {
                parts.no_performance.get_or_insert((incident, l.clause));
            }
            discipline::Action::BonusCancelled => {
                parts.no_bonus.get_or_insert((incident, l.clause));
            }
            _ => {}
        }
        parts.actions.push(Action {
            kind: ActionKind::Discipline(action),
            clause: l.clause,
            date: Some(l.date),
        });
    }
}

/// Each correction used or refused, as an action on its shift's date.
fn correction_actions(outcomes: &[CorrectionOutcome], parts: &mut Parts) {
    for c in outcomes {
        let kind = match c.decision {
            Decision::Used { number } => ActionKind::PunchCorrected {
                punch: c.punch,
                number,
            },
            Decision::Refused { reason } => ActionKind::CorrectionRefused {
                punch: c.punch,
                reason,
            },
        };
        parts.actions.push(Action {
            kind,
            clause: c.clause,
            date: Some(c.date),
        });
    }
}

fn pay_facts(a: &AgentFacts, part: &Parts, header: MonthHeader) -> pay::AgentMonth {
    pay::AgentMonth {
        agent: a.id.clone(),
        plan: a.plan.clone().unwrap_or_default(),
        year: header.year,
        month: header.month,
        post: a.post.clone(),
        level: a.level.clone(),
        card: CardFacts::default(),
        inputs: pay::MonthInputs {
            attendance: part.counts.unwrap_or_default(),
            full_attendance: part.full_attendance.is_some(),
            complaints: part.complaints,
            irregularities: part.irregularities,
            commission: a.commission,
            shared_commission: a.shared_commission,
            seniority_years: a.seniority_years,
            losses: a.losses.clone(),
            months_absent: a.months_absent,
            extra_lines: Vec::new(),
        },
        history: Vec::new(),
    }
}

// ---------------------------------------------------------------- rendering

/// The reason in words, naming the facts (for tables and reports).
///
/// ```
/// use cs_policy::statement::Because;
/// assert_eq!(Because::FullAttendance.to_string(), "no late, early leave or absence all month");
/// ```
impl fmt::Display for Because {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Occurrences { count, each, last } => {
                write!(f, "{count} × {each}, the last on {last}")
            }
            Self::ShareOfPay { percent, on } => {
                write!(
                    f,
                    "{percent}% of the month's pay: absent days in a row up to {on}"
                )
            }
            Self::FullAttendance => f.write_str("no late, early leave or absence all month"),
            Self::Incident {
                incident,
                date,
                occurrence,
                step,
            } => {
                write!(f, "incident #{incident} on {date}: occurrence {occurrence}")?;
                match step {
                    Some(s) => write!(f, ", step {s}"),
                    None => Ok(()),
                }
            }
            Self::Withheld { incident, would_be } => {
                write!(f, "withheld by incident #{incident} (would be {would_be})")
            }
            Self::Pay(b) => write!(f, "{b}"),
        }
    }
}

/// What a correction's action says beyond its date: the punch, and why a
/// refused one was refused.
fn action_detail(kind: ActionKind) -> Option<String> {
    let side = |p| match p {
        attendance::PunchSide::In => "check-in",
        attendance::PunchSide::Out => "check-out",
    };
    Some(match kind {
        ActionKind::PunchCorrected { punch, number, .. } => {
            format!("{}, correction {number} of the month", side(punch))
        }
        ActionKind::CorrectionRefused { punch, reason, .. } => {
            let why = match reason {
                Refusal::NotApproved => "not approved".to_owned(),
                Refusal::PastDeadline { deadline } => {
                    format!("asked after the deadline {deadline}")
                }
                Refusal::OverLimit { limit } => format!("over the {limit} a month"),
                Refusal::Recorded { at } => format!("punched at {at}"),
            };
            format!("{}: {why}", side(punch))
        }
        _ => return None,
    })
}

/// A leave decision as its statement action: granted, or refused under
/// the first rule it fails. `request` is its number among the month's
/// requests.
fn leave_action(decision: &leave::LeaveDecision, request: u32) -> Action {
    let (kind, clause) = match decision.unmet.first() {
        None => (
            ActionKind::LeaveGranted {
                request,
                days: decision.counted_days,
                paid_days: decision.paid_days,
                counted_on_roster: decision.counted_on_roster,
            },
            decision.clause,
        ),
        Some(u) => (
            ActionKind::LeaveRefused {
                request,
                absence_days: decision.absence_days,
            },
            u.clause,
        ),
    };
    Action {
        kind,
        clause,
        date: Some(decision.from),
    }
}

/// The widths of a statement table's first three cells.
const TABLE_WIDTHS: [usize; 3] = [8, 18, 11];

/// A statement's first row in the table: the agent, their score, rank and
/// attendance.
fn table_head(s: &AgentStatement) -> String {
    let mut head = s.agent.clone();
    if let Some(score) = &s.score {
        let _ = write!(head, "  score {} of {}", score.score, score.total);
    }
    if let Some(rank) = s.rank {
        let _ = write!(head, "  rank {rank}");
    }
    if let Some(c) = &s.attendance {
        let _ = write!(
            head,
            "  rostered {} · late {} · early {} · absent {} · leave {}",
            c.rostered, c.late, c.early_leave, c.absent, c.on_leave
        );
        if c.missing_punch > 0 {
            let _ = write!(head, " · missing punch {}", c.missing_punch);
        }
    }
    head
}

/// A statement's lines, actions and total as rows of the table.
fn table_rows(out: &mut String, policy: &Policy, s: &AgentStatement) -> Result<(), CiteError> {
    let widths = TABLE_WIDTHS;
    for l in &s.lines {
        push_cell(out, "", widths[0]);
        push_cell(out, l.kind.word(), widths[1]);
        let amount = format!("{:>10} ", l.amount);
        push_cell(out, &amount, widths[2]);
        push_clause(out, policy, l.clause)?;
        let _ = writeln!(out, " — {}", l.because);
    }
    for a in &s.actions {
        push_cell(out, "", widths[0]);
        push_cell(out, "action", widths[1]);
        push_cell(out, a.kind.word(), 23);
        out.push(' ');
        push_clause(out, policy, a.clause)?;
        if let Some(d) = a.date {
            let _ = write!(out, " — {d}");
        }
        if let Some(detail) = action_detail(a.kind) {
            let _ = write!(out, " {detail}");
        }
        out.push('\n');
    }
    push_cell(out, "", widths[0]);
    push_cell(out, "total", widths[1]);
    let _ = writeln!(out, "{:>10}", s.total);
    Ok(())
}

/// A clause's id and, if it has one, its label.
fn push_clause(out: &mut String, policy: &Policy, clause: ClauseRef) -> Result<(), CiteError> {
    let clause = policy.clause(clause)?;
    out.push_str(clause.id());
    if let Some(label) = clause.label() {
        let _ = write!(out, " «{label}»");
    }
    Ok(())
}

fn push_cell(out: &mut String, text: &str, width: usize) {
    out.push_str(text);
    let w = unicode_width::UnicodeWidthStr::width(text);
    for _ in w..width {
        out.push(' ');
    }
}

impl TeamStatement {
    /// The statements as a readable table: one row per line (agent, kind,
    /// amount, clause id and label, because), each agent's actions and
    /// total after their lines, the team's total last.
    ///
    /// ```
    /// use cs_policy::{Policy, Scenario};
    /// let policy = Policy::example("shop")?;
    /// let month = Scenario::from_toml_str("s.toml", include_str!("../policies/shop.scenario.toml"))?;
    /// let table = policy.team_statement(&month)?.render_table(&policy)?;
    /// assert!(table.contains("discipline.ladders.complaint.steps[0]"));
    /// // Another policy did not produce it, so it cannot label its clauses.
    /// assert!(policy.team_statement(&month)?.render_table(&Policy::example("education")?).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn render_table(&self, policy: &Policy) -> Result<String, CiteError> {
        policy.owns(&self.policy)?;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} ({}): monthly statements for {}-{:02}",
            policy.meta().name(),
            policy.meta().id(),
            self.year,
            self.month
        );
        for s in &self.statements {
            out.push('\n');
            out.push_str(&table_head(s));
            out.push('\n');
            table_rows(&mut out, policy, s)?;
        }
        let _ = writeln!(
            out,
            "\nteam total {} over {} agents",
            self.total,
            self.statements.len()
        );
        Ok(out)
    }

    /// A serializable view with every clause's id and label spelt out, for
    /// JSON output (`cs-policy eval --format json`).
    ///
    /// ```
    /// use cs_policy::{Policy, Scenario};
    /// let policy = Policy::example("shop")?;
    /// let month = Scenario::from_toml_str("s.toml", include_str!("../policies/shop.scenario.toml"))?;
    /// let team = policy.team_statement(&month)?;
    /// let json = serde_json::to_value(team.view(&policy)?)?;
    /// assert!(json["statements"][0]["lines"][0]["clause"].is_string());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn view<'a>(&'a self, policy: &'a Policy) -> Result<TeamView<'a>, CiteError> {
        policy.owns(&self.policy)?;
        Ok(TeamView {
            policy: &self.policy,
            year: self.year,
            month: self.month,
            total: self.total,
            statements: self
                .statements
                .iter()
                .map(|s| {
                    // The team's view names the policy once, for all of them.
                    s.view(policy).map(|view| AgentView {
                        policy: None,
                        ..view
                    })
                })
                .collect::<Result<_, _>>()?,
        })
    }
}

impl AgentStatement {
    /// A serializable view with every clause's id and label spelt out: one
    /// agent's part of [`TeamStatement::view`], and the line `cs-policy
    /// eval --format jsonl` writes per agent.
    ///
    /// ```
    /// use cs_policy::{Policy, Scenario};
    /// let policy = Policy::example("shop")?;
    /// let month = Scenario::from_toml_str("s.toml", include_str!("../policies/shop.scenario.toml"))?;
    /// let s = policy.agent_statement(&month, "S01")?;
    /// assert_eq!(s.view(&policy)?.lines[0].clause, "pay.plans.after_sales.base");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn view<'a>(&'a self, policy: &'a Policy) -> Result<AgentView<'a>, CiteError> {
        policy.owns(&self.policy)?;
        let label = |clause| policy.clause(clause).map(Clause::label);
        Ok(AgentView {
            policy: Some(&self.policy),
            agent: &self.agent,
            total: self.total,
            score: self.score.as_ref().map(|c| c.score),
            rank: self.rank,
            attendance: self.attendance,
            lines: self
                .lines
                .iter()
                .map(|l| {
                    Ok(LineView {
                        kind: l.kind.word(),
                        amount: l.amount,
                        clause: l.clause.id(),
                        label: label(l.clause)?,
                        because: l.because,
                    })
                })
                .collect::<Result<_, CiteError>>()?,
            actions: self
                .actions
                .iter()
                .map(|a| {
                    Ok(ActionView {
                        action: a.kind,
                        clause: a.clause.id(),
                        label: label(a.clause)?,
                        date: a.date,
                    })
                })
                .collect::<Result<_, CiteError>>()?,
        })
    }
}

/// A team's statements with clause ids spelt out (see [`TeamStatement::view`]).
///
/// ```
/// use cs_policy::{Policy, Scenario};
/// let policy = Policy::example("shop")?;
/// let month = Scenario::from_toml_str("s.toml", include_str!("../policies/shop.scenario.toml"))?;
/// let team = policy.team_statement(&month)?;
/// let view = team.view(&policy)?;
/// assert_eq!(view.policy.id, "shop");
/// assert_eq!(view.policy.sha256, policy.stamp().sha256);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Serialize)]
pub struct TeamView<'a> {
    /// The policy that produced it: its id, version and text's SHA-256.
    pub policy: &'a PolicyStamp,
    /// The year.
    pub year: i32,
    /// The month.
    pub month: u32,
    /// The team's total.
    pub total: Decimal,
    /// One per agent.
    pub statements: Vec<AgentView<'a>>,
}

/// One agent's statement with clause ids spelt out.
///
/// ```
/// use cs_policy::{Policy, Scenario};
/// let policy = Policy::example("shop")?;
/// let month = Scenario::from_toml_str("s.toml", include_str!("../policies/shop.scenario.toml"))?;
/// let team = policy.team_statement(&month)?;
/// let view = team.view(&policy)?;
/// assert_eq!(view.statements[0].agent, "S01");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Serialize)]
pub struct AgentView<'a> {
    /// The policy that produced it, on a statement viewed on its own (a
    /// line of JSON Lines); in a [`TeamView`] the team names it once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<&'a PolicyStamp>,
    /// The agent.
    pub agent: &'a str,
    /// The total.
    pub total: Decimal,
    /// The card's score.
    pub score: Option<Decimal>,
    /// The rank.
    pub rank: Option<u32>,
    /// The attendance counts.
    pub attendance: Option<AttendanceCounts>,
    /// The lines.
    pub lines: Vec<LineView<'a>>,
    /// The actions.
    pub actions: Vec<ActionView<'a>>,
}

/// One line with its clause id and label.
///
/// ```
/// use cs_policy::{Policy, Scenario};
/// let policy = Policy::example("shop")?;
/// let month = Scenario::from_toml_str("s.toml", include_str!("../policies/shop.scenario.toml"))?;
/// let team = policy.team_statement(&month)?;
/// let view = team.view(&policy)?;
/// assert_eq!(view.statements[0].lines[0].clause, "pay.plans.after_sales.base");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Serialize)]
pub struct LineView<'a> {
    /// The kind.
    pub kind: &'static str,
    /// The amount.
    pub amount: Decimal,
    /// The clause's id.
    pub clause: &'a str,
    /// The clause's label.
    pub label: Option<&'a str>,
    /// Why.
    pub because: Because,
}

/// One action with its clause id and label.
///
/// ```
/// use cs_policy::{Policy, Scenario};
/// let policy = Policy::example("shop")?;
/// let month = Scenario::from_toml_str("s.toml", include_str!("../policies/shop.scenario.toml"))?;
/// let team = policy.team_statement(&month)?;
/// let view = team.view(&policy)?;
/// assert_eq!(view.statements[2].actions[0].clause, "leave.types.personal");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Serialize)]
pub struct ActionView<'a> {
    /// The action.
    pub action: ActionKind,
    /// The clause's id.
    pub clause: &'a str,
    /// The clause's label.
    pub label: Option<&'a str>,
    /// Its date.
    pub date: Option<NaiveDate>,
}
