//! Scenario files: the facts of one month, so that it can be replayed.
//!
//! A scenario is a TOML file holding one team's month: the agents (pay
//! plan, post, level, commission, seniority, history, scorecard facts and
//! the facts the leave rules need), the roster, the punches, the leave
//! requests and the incidents. [`Policy::team_statement`](crate::Policy::team_statement) turns it into
//! every agent's monthly statement.
//!
//! Dates and times are written as strings (`"2026-03-02"`, `"09:12"`), as
//! in JSON, so the same facts can come from either.
//!
//! ```toml
//! year = 2026
//! month = 3
//! punctual = true            # a rostered day without a punch listed was on time
//!
//! [[agents]]
//! id = "S01"
//! plan = "after_sales"
//! post = "agent"
//! birth_date = "1996-05-04"
//! sex = "woman"
//! card.items = [{ item = "quality", value = { grade = "good" } }]
//!
//! [[roster]]
//! agents = ["S01"]
//! shift = "p3_regular"
//! days = "working_days"      # or a list of dates
//! except = ["2026-03-09"]
//!
//! [[punches]]                # times of day; an out before the in is the next day
//! agent = "S01"
//! date = "2026-03-03"
//! in = "09:12"
//! out = "18:00"
//!
//! [[leave_requests]]
//! agent = "S01"
//! leave_type = "personal"
//! from = "2026-03-20"
//! to = "2026-03-20"
//! requested_on = "2026-03-18"
//!
//! [[incidents]]
//! agent = "S01"
//! kind = "complaint"
//! date = "2026-03-11"
//! ```

use std::path::Path;

use chrono::{NaiveDate, NaiveTime};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::attendance::MonthPay;
use crate::discipline::Incident;
use crate::kpi::CardFacts;
use crate::leave::{LeaveRequest, Sex};
use crate::pay::PastMonth;
use crate::policy::read::read_facts;
use crate::policy::{LoadError, Problems};

/// The facts of one team's month.
///
/// ```
/// let scenario = cs_policy::Scenario::from_toml_str("m.toml", "year = 2026\nmonth = 3\n[[agents]]\nid = \"A\"\n")?;
/// assert_eq!(scenario.agents[0].id, "A");
/// # Ok::<(), cs_policy::Problems>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// The year.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u32,
    /// Whether a rostered day without a punch listed was punched at the
    /// shift's start and end (so only the exceptions need listing). When
    /// false, such a day has no punch at all.
    #[serde(default)]
    pub punctual: bool,
    /// The agents.
    #[serde(default)]
    pub agents: Vec<AgentFacts>,
    /// Who works which shift on which days.
    #[serde(default)]
    pub roster: Vec<RosterLine>,
    /// Punches that differ from a punctual day (or every punch).
    #[serde(default)]
    pub punches: Vec<PunchFact>,
    /// Leave requests, as filed.
    #[serde(default)]
    pub leave_requests: Vec<AgentRequest>,
    /// Complaints, violations, praise (earlier months' incidents count
    /// towards the ladders' windows).
    #[serde(default)]
    pub incidents: Vec<Incident>,
}

/// One agent and the facts of the month that belong to them.
///
/// ```
/// let agent: cs_policy::scenario::AgentFacts = serde_json::from_str(r#"{"id": "A", "commission": "250"}"#).unwrap();
/// assert_eq!(agent.commission.to_string(), "250");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentFacts {
    /// The agent's id, as the roster, punches and incidents name it.
    pub id: String,
    /// The pay plan; none: the statement has no pay lines.
    #[serde(default)]
    pub plan: Option<String>,
    /// The post, for base pay by post (K4, K15).
    #[serde(default)]
    pub post: Option<String>,
    /// The star level held this month (K9).
    #[serde(default)]
    pub level: Option<String>,
    /// The assessor's scorecard facts (the attendance item is fed by the
    /// month's attendance counts, A9).
    #[serde(default)]
    pub card: CardFacts,
    /// Personal commission (K9, K15).
    #[serde(default)]
    pub commission: Decimal,
    /// Shared commission (K15).
    #[serde(default)]
    pub shared_commission: Decimal,
    /// Years of service (K15).
    #[serde(default)]
    pub seniority_years: u32,
    /// Losses caused, each at its actual amount (K16).
    #[serde(default)]
    pub losses: Vec<Decimal>,
    /// Months absent within the assessment period (A10).
    #[serde(default)]
    pub months_absent: Decimal,
    /// Earlier months, oldest first (K11–K13).
    #[serde(default)]
    pub history: Vec<PastMonth>,
    /// The month's pay a share is taken from (A5).
    #[serde(default)]
    pub month_pay: Option<MonthPay>,
    /// Date of birth (leave entitlements).
    #[serde(default)]
    pub birth_date: Option<NaiveDate>,
    /// Sex (marriage and maternity leave).
    #[serde(default)]
    pub sex: Option<Sex>,
    /// Marriages before the one a marriage leave is for.
    #[serde(default)]
    pub previous_marriages: u32,
    /// The day the agent joined (marriage leave, L6).
    #[serde(default)]
    pub joined_on: Option<NaiveDate>,
}

/// The days of a roster line.
///
/// ```
/// use cs_policy::scenario::{Days, DaysWord};
/// let days: Days = serde_json::from_str(r#""working_days""#).unwrap();
/// assert_eq!(days, Days::Word(DaysWord::WorkingDays));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Days {
    /// A named set of days.
    Word(DaysWord),
    /// Exactly these dates.
    Dates(Vec<NaiveDate>),
}

/// A named set of days of the month.
///
/// ```
/// use cs_policy::scenario::DaysWord;
/// let word: DaysWord = serde_json::from_str(r#""every_day""#).unwrap();
/// assert_eq!(word, DaysWord::EveryDay);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DaysWord {
    /// Every working day of the policy's calendar (make-up days included,
    /// holidays and weekends left out).
    WorkingDays,
    /// Every day of the month.
    EveryDay,
}

/// Agents working one shift on a set of days.
///
/// ```
/// let line: cs_policy::scenario::RosterLine = serde_json::from_str(
///     r#"{"agents": ["A", "B"], "shift": "regular", "days": ["2026-03-02"]}"#).unwrap();
/// assert_eq!(line.agents.len(), 2);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RosterLine {
    /// The agents.
    pub agents: Vec<String>,
    /// The shift's id in the policy.
    pub shift: String,
    /// The days.
    pub days: Days,
    /// Days left out.
    #[serde(default)]
    pub except: Vec<NaiveDate>,
}

/// The punches of one rostered day, as times of day.
///
/// ```
/// let p: cs_policy::scenario::PunchFact = serde_json::from_str(
///     r#"{"agent": "A", "date": "2026-03-03", "in": "09:12", "out": "18:00"}"#).unwrap();
/// assert_eq!(p.clock_in.unwrap().to_string(), "09:12:00");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PunchFact {
    /// The agent.
    pub agent: String,
    /// The date the shift starts.
    pub date: NaiveDate,
    /// The in punch; missing when the agent did not punch in.
    #[serde(default, rename = "in")]
    pub clock_in: Option<NaiveTime>,
    /// The out punch; a time before the in punch is on the next day.
    #[serde(default, rename = "out")]
    pub clock_out: Option<NaiveTime>,
}

/// A leave request and whose it is.
///
/// ```
/// let r: cs_policy::scenario::AgentRequest = serde_json::from_str(
///     r#"{"agent": "A", "leave_type": "personal", "from": "2026-03-20", "to": "2026-03-20", "requested_on": "2026-03-18"}"#).unwrap();
/// assert_eq!(r.request.leave_type, "personal");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentRequest {
    /// The agent.
    pub agent: String,
    /// The request.
    #[serde(flatten)]
    pub request: LeaveRequest,
}

impl Scenario {
    /// Reads a scenario from TOML text. Problems are reported with the file,
    /// line, column and field, rendered like a policy's: one for each agent,
    /// roster line, punch, request or incident that cannot be read.
    ///
    /// ```
    /// let err = cs_policy::Scenario::from_toml_str("bad.toml", "year = 2026\nmonth = \n").unwrap_err();
    /// assert_eq!(err.diagnostics()[0].line, 2);
    ///
    /// let text = "year = 2026\nmonth = 3\nagents = [{ id = \"A\", sex = \"x\" }, { id = \"B\", post = 1 }]\n";
    /// let err = cs_policy::Scenario::from_toml_str("two.toml", text).unwrap_err();
    /// let fields: Vec<&str> = err.diagnostics().iter().map(|d| d.field.as_str()).collect();
    /// assert_eq!(fields, ["agents[0].sex", "agents[1].post"]);
    /// ```
    pub fn from_toml_str(file: &str, text: &str) -> Result<Self, Problems> {
        read_facts(file, text)
    }

    /// Reads a scenario file; problems name it by `path` as given.
    ///
    /// ```
    /// assert!(cs_policy::Scenario::from_path("no/such/file.toml").is_err());
    /// ```
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self, LoadError> {
        let path = path.as_ref();
        let text = crate::read_file(path, crate::DEFAULT_SIZE_LIMIT)?;
        Ok(Self::from_toml_str(&path.display().to_string(), &text)?)
    }
}
