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
//! [[punch_log]]             # raw punches, assigned to shifts by the policy
//! agent = "S01"
//! time = "2026-03-04 08:52:10"   # or with a UTC offset: "2026-03-04T00:52:10Z"
//! direction = "in"           # optional, as is `device`
//!
//! [[punch_corrections]]      # 补卡: a missing punch claimed afterwards
//! agent = "S01"
//! date = "2026-03-05"
//! punch = "out"
//! time = "18:00"
//! asked_on = "2026-03-06"
//! approved = true
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

use std::collections::HashMap;
use std::path::Path;

use chrono::{NaiveDate, NaiveTime};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::Policy;
use crate::attendance::MonthPay;
use crate::discipline::Incident;
use crate::facts::FactProblem;
use crate::facts::toml::TomlDoc;
use crate::kpi::CardFacts;
use crate::leave::{LeaveRequest, Sex};
use crate::pay::PastMonth;
use crate::policy::{LoadError, Problems};
use crate::punch::{AgentCorrection, AgentEvent, Correction, Event};
use crate::statement::StatementError;

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
    /// Raw punches (an attendance machine's or DingTalk's log), assigned to
    /// the rostered shifts by the policy's `[shifts.punches]`; a day's
    /// punches come from `punches` or from the log, not both.
    #[serde(default)]
    pub punch_log: Vec<AgentEvent>,
    /// Requests to correct missing punches (补卡), decided by the policy's
    /// `[attendance.corrections]`.
    #[serde(default)]
    pub punch_corrections: Vec<AgentCorrection>,
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
    /// The post, for base pay by post.
    #[serde(default)]
    pub post: Option<String>,
    /// The star level held this month.
    #[serde(default)]
    pub level: Option<String>,
    /// The assessor's scorecard facts (the attendance item is fed by the
    /// month's attendance counts).
    #[serde(default)]
    pub card: CardFacts,
    /// Personal commission.
    #[serde(default)]
    pub commission: Decimal,
    /// Shared commission.
    #[serde(default)]
    pub shared_commission: Decimal,
    /// Years of service.
    #[serde(default)]
    pub seniority_years: u32,
    /// Losses caused, each at its actual amount.
    #[serde(default)]
    pub losses: Vec<Decimal>,
    /// Months absent within the assessment period.
    #[serde(default)]
    pub months_absent: Decimal,
    /// Earlier months, oldest first.
    #[serde(default)]
    pub history: Vec<PastMonth>,
    /// The month's pay a share is taken from.
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
    /// The day the agent joined (marriage leave).
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Days {
    /// A named set of days.
    Word(DaysWord),
    /// Exactly these dates.
    Dates(Vec<NaiveDate>),
}

/// A word or a list, told apart by what is written: a word that names no
/// days is refused with the closest one, not as matching no variant.
impl<'de> Deserialize<'de> for Days {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        use serde::de::{self, IntoDeserializer, Visitor};

        struct DaysVisitor;

        impl<'de> Visitor<'de> for DaysVisitor {
            type Value = Days;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("`working_days`, `every_day` or a list of dates")
            }

            fn visit_str<E: de::Error>(self, word: &str) -> Result<Days, E> {
                DaysWord::deserialize(word.into_deserializer())
                    .map(Days::Word)
                    .map_err(|_: E| {
                        let help = match crate::policy::read::closest(word, DaysWord::WORDS) {
                            Some(best) => format!("did you mean `{best}`?"),
                            None => format!(
                                "write `{}` or a list of dates",
                                DaysWord::WORDS.join("`, `")
                            ),
                        };
                        E::custom(format!("`{word}` is not a set of days; {help}"))
                    })
            }

            fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Days, A::Error> {
                Vec::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Days::Dates)
            }
        }

        de.deserialize_any(DaysVisitor)
    }
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
#[non_exhaustive]
pub enum DaysWord {
    /// Every working day of the policy's calendar (make-up days included,
    /// holidays and weekends left out).
    WorkingDays,
    /// Every day of the month.
    EveryDay,
}

impl DaysWord {
    /// The words, as written.
    const WORDS: &[&str] = &["working_days", "every_day"];
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentRequest {
    /// The agent.
    pub agent: String,
    /// The request.
    pub request: LeaveRequest,
}

/// A leave request as written in a scenario: the agent's id beside the
/// request's own keys. Read through a table of its own (not serde's
/// `flatten`), so that an unknown key is refused like anywhere else.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestWithAgent {
    agent: String,
    leave_type: String,
    from: NaiveDate,
    to: NaiveDate,
    requested_on: NaiveDate,
    #[serde(default)]
    documents: Vec<crate::leave::Document>,
    #[serde(default)]
    approvals: Vec<crate::leave::Approver>,
    #[serde(default)]
    reported_back: bool,
    #[serde(default)]
    relation: Option<crate::leave::Relation>,
    #[serde(default)]
    birth: Option<crate::leave::Birth>,
    #[serde(default)]
    married_on: Option<NaiveDate>,
    #[serde(default)]
    applicant: crate::leave::Applicant,
    #[serde(default)]
    special_case: bool,
}

impl<'de> Deserialize<'de> for AgentRequest {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        let r = RequestWithAgent::deserialize(de)?;
        Ok(Self {
            agent: r.agent,
            request: LeaveRequest {
                leave_type: r.leave_type,
                from: r.from,
                to: r.to,
                requested_on: r.requested_on,
                documents: r.documents,
                approvals: r.approvals,
                reported_back: r.reported_back,
                relation: r.relation,
                birth: r.birth,
                married_on: r.married_on,
                applicant: r.applicant,
                special_case: r.special_case,
            },
        })
    }
}

impl Serialize for AgentRequest {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Written<'a> {
            agent: &'a str,
            #[serde(flatten)]
            request: &'a LeaveRequest,
        }
        Written {
            agent: &self.agent,
            request: &self.request,
        }
        .serialize(s)
    }
}

/// The month a set of agent records is for: the first line of a JSON
/// Lines facts file.
///
/// ```
/// let month: cs_policy::scenario::MonthHeader = serde_json::from_str(r#"{"year": 2026, "month": 3, "punctual": true}"#).unwrap();
/// assert_eq!(month.month, 3);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonthHeader {
    /// The year.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u32,
    /// Whether a rostered day without a punch listed was punched at the
    /// shift's start and end (see [`Scenario::punctual`]).
    #[serde(default)]
    pub punctual: bool,
}

/// One agent's month as one record: the agent and every fact of the month
/// that is theirs (a JSON Lines line, or a row a program builds from its
/// own database). Its lists name no agent: they are the agent's.
///
/// ```
/// let record: cs_policy::scenario::AgentRecord = serde_json::from_str(r#"{
///     "agent": {"id": "S01", "plan": "after_sales", "post": "agent"},
///     "roster": [{"shift": "p3_regular", "days": "working_days"}],
///     "punches": [{"date": "2026-03-03", "in": "09:12", "out": "18:00"}],
///     "incidents": [{"kind": "complaint", "date": "2026-03-11"}]
/// }"#).unwrap();
/// assert_eq!(record.punches.len(), 1);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentRecord {
    /// The agent.
    pub agent: AgentFacts,
    /// The shifts the agent works.
    #[serde(default)]
    pub roster: Vec<RosterEntry>,
    /// Their punches that differ from a punctual day (or every punch).
    #[serde(default)]
    pub punches: Vec<Punch>,
    /// Their raw punches, assigned to their shifts by the policy (see
    /// [`Scenario::punch_log`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub punch_log: Vec<Event>,
    /// Their requests to correct missing punches (补卡).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub punch_corrections: Vec<Correction>,
    /// Their leave requests, as filed.
    #[serde(default)]
    pub leave_requests: Vec<LeaveRequest>,
    /// Their complaints, violations, praise (earlier months' count towards
    /// the ladders' windows).
    #[serde(default)]
    pub incidents: Vec<AgentIncident>,
}

/// One shift an agent works on a set of days.
///
/// ```
/// let e: cs_policy::scenario::RosterEntry = serde_json::from_str(r#"{"shift": "regular", "days": "every_day"}"#).unwrap();
/// assert!(e.except.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RosterEntry {
    /// The shift's id in the policy.
    pub shift: String,
    /// The days.
    pub days: Days,
    /// Days left out.
    #[serde(default)]
    pub except: Vec<NaiveDate>,
}

/// The punches of one rostered day of the record's agent.
///
/// ```
/// let p: cs_policy::scenario::Punch = serde_json::from_str(r#"{"date": "2026-03-03", "in": "09:12"}"#).unwrap();
/// assert!(p.clock_out.is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Punch {
    /// The date the shift starts.
    pub date: NaiveDate,
    /// The in punch; missing when the agent did not punch in.
    #[serde(default, rename = "in")]
    pub clock_in: Option<NaiveTime>,
    /// The out punch; a time before the in punch is on the next day.
    #[serde(default, rename = "out")]
    pub clock_out: Option<NaiveTime>,
}

/// An incident of the record's agent.
///
/// ```
/// let i: cs_policy::scenario::AgentIncident = serde_json::from_str(r#"{"kind": "praise", "date": "2026-03-12"}"#).unwrap();
/// assert_eq!(i.kind, "praise");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentIncident {
    /// The kind's id in the policy.
    pub kind: String,
    /// The day it happened.
    pub date: NaiveDate,
    /// The amount chosen case by case, for a step with a `min`/`max` range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Decimal>,
    /// Free details carried through to the result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
}

impl AgentIncident {
    /// The incident, naming its agent.
    pub(crate) fn of(&self, agent: &str) -> Incident {
        Incident {
            agent: agent.to_owned(),
            kind: self.kind.clone(),
            date: self.date,
            value: self.value,
            details: self.details.clone(),
        }
    }
}

/// How a record's incidents and leave requests are numbered in the
/// statements (`incident #4`): where they stood in the scenario's lists,
/// which in JSON Lines run on from line to line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Numbers {
    /// The number of each incident.
    pub incidents: Vec<u32>,
    /// The number of each leave request.
    pub requests: Vec<u32>,
}

impl Numbers {
    /// Numbers running on from `incident` and `request` for the record's
    /// lists, as JSON Lines numbers them.
    ///
    /// ```
    /// let record = cs_policy::scenario::AgentRecord::default();
    /// let n = cs_policy::scenario::Numbers::from_first(&record, 4, 0);
    /// assert!(n.incidents.is_empty());
    /// ```
    pub fn from_first(record: &AgentRecord, incident: u32, request: u32) -> Self {
        let run = |first: u32, n: usize| {
            (0..n)
                .map(|i| first.saturating_add(u32::try_from(i).unwrap_or(u32::MAX)))
                .collect()
        };
        Self {
            incidents: run(incident, record.incidents.len()),
            requests: run(request, record.leave_requests.len()),
        }
    }
}

fn idx32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

impl Scenario {
    /// Reads a scenario from TOML text. Every problem is reported with the
    /// file, line, column and field, rendered like a policy's, all in one
    /// pass: each agent, roster line, punch, request or incident that cannot
    /// be read, then the facts that do not hold together (a month 13, an
    /// agent listed twice, a punch for an unknown agent, a leave ending
    /// before it starts...).
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
        Self::read_toml(file, text, None)
    }

    /// [`Scenario::from_toml_str`], with the facts also checked against
    /// `policy`: every shift, plan, post, incident kind and leave type it
    /// names defined, every punch on a rostered day.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let text = "year = 2026\nmonth = 3\n[[agents]]\nid = \"A\"\n[[roster]]\nagents = [\"A\"]\nshift = \"nigth\"\ndays = \"working_days\"\n";
    /// let err = cs_policy::Scenario::from_toml_str_for("m.toml", text, &policy).unwrap_err();
    /// assert_eq!(err.diagnostics()[0].field, "roster[0].shift");
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn from_toml_str_for(file: &str, text: &str, policy: &Policy) -> Result<Self, Problems> {
        Self::read_toml(file, text, Some(policy))
    }

    fn read_toml(file: &str, text: &str, policy: Option<&Policy>) -> Result<Self, Problems> {
        let mut doc = TomlDoc::parse(file, text)?;
        let year = doc.required("year");
        let month = doc.required("month");
        let punctual = doc.value("punctual");
        let scenario = Scenario {
            year: year.unwrap_or_default(),
            month: month.unwrap_or_default(),
            punctual: punctual.unwrap_or_default(),
            agents: doc.list("agents"),
            roster: doc.list("roster"),
            punches: doc.list("punches"),
            punch_log: doc.list("punch_log"),
            punch_corrections: doc.list("punch_corrections"),
            leave_requests: doc.list("leave_requests"),
            incidents: doc.list("incidents"),
        };
        doc.finish_keys(KEYS);
        if !doc.has_problems() {
            doc.report(scenario.problems(policy));
        }
        doc.finish()?;
        Ok(scenario)
    }

    /// Reads a scenario file; problems name it by `path` as given.
    ///
    /// ```
    /// assert!(cs_policy::Scenario::from_path("no/such/file.toml").is_err());
    /// ```
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self, LoadError> {
        Self::read_path(path.as_ref(), None)
    }

    /// [`Scenario::from_path`], with the facts checked against `policy` as
    /// [`Scenario::from_toml_str_for`] does.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/policies/shop.scenario.toml");
    /// assert!(cs_policy::Scenario::from_path_for(path, &policy).is_ok());
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn from_path_for(path: impl AsRef<Path>, policy: &Policy) -> Result<Self, LoadError> {
        Self::read_path(path.as_ref(), Some(policy))
    }

    fn read_path(path: &Path, policy: Option<&Policy>) -> Result<Self, LoadError> {
        let text = crate::read_file(path, crate::DEFAULT_SIZE_LIMIT)?;
        Ok(Self::read_toml(&path.display().to_string(), &text, policy)?)
    }

    /// Adds the corrections (补卡) of a file of their own to the month: a
    /// punch log's corrections travel beside it
    /// (`shop.punches.corrections.toml` for `shop.punches.csv`), as
    /// `[[punch_corrections]]` written as in a scenario and nothing else.
    /// Each is checked against the month (an agent it lists, a rostered day,
    /// a policy that states corrections) and every problem is located in
    /// that file; on a problem the month is left as it was.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let mut month = cs_policy::Scenario::from_toml_str("m.toml", "year = 2026\nmonth = 3\n[[agents]]\nid = \"S01\"\n[[roster]]\nagents = [\"S01\"]\nshift = \"p3_regular\"\ndays = \"working_days\"\n")?;
    /// let fix = "[[punch_corrections]]\nagent = \"S01\"\ndate = \"2026-03-02\"\npunch = \"out\"\ntime = \"18:00\"\nasked_on = \"2026-03-03\"\napproved = true\n";
    /// month.add_corrections_toml("c.toml", fix, Some(&policy))?;
    /// assert_eq!(month.punch_corrections.len(), 1);
    /// let stray = fix.replace("S01", "S09");
    /// let err = month.add_corrections_toml("c.toml", &stray, Some(&policy)).unwrap_err();
    /// assert_eq!(err.diagnostics()[0].to_string(), "c.toml:2:1: error[undefined-reference]: agent `S09` is not among the scenario's agents");
    /// assert_eq!(month.punch_corrections.len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_corrections_toml(
        &mut self,
        file: &str,
        text: &str,
        policy: Option<&Policy>,
    ) -> Result<(), Problems> {
        let mut doc = TomlDoc::parse(file, text)?;
        let added: Vec<AgentCorrection> = doc.list("punch_corrections");
        doc.finish_keys(&["punch_corrections"]);
        if !doc.has_problems() {
            // Checked as the month's only corrections, so that each
            // problem's path is its place in this file.
            let kept = std::mem::replace(&mut self.punch_corrections, added);
            let problems = self.problems(policy);
            let added = std::mem::replace(&mut self.punch_corrections, kept);
            doc.report(
                problems
                    .into_iter()
                    .filter(|p| p.field.starts_with("punch_corrections"))
                    .collect(),
            );
            doc.finish()?;
            self.punch_corrections.extend(added);
            return Ok(());
        }
        doc.finish()
    }

    /// [`Scenario::add_corrections_toml`] from a file; problems name it by
    /// `path` as given.
    pub fn add_corrections_path(
        &mut self,
        path: impl AsRef<Path>,
        policy: Option<&Policy>,
    ) -> Result<(), LoadError> {
        let path = path.as_ref();
        let text = crate::read_file(path, crate::DEFAULT_SIZE_LIMIT)?;
        Ok(self.add_corrections_toml(&path.display().to_string(), &text, policy)?)
    }

    /// Every problem of the facts themselves, by field path: the month, an
    /// agent listed twice, facts naming an agent not listed, dates outside
    /// the month, a duplicate punch, a leave ending before it starts; with a
    /// policy, also the shifts, plans, posts, kinds and leave types named
    /// and punches on days without a roster entry.
    ///
    /// ```
    /// let month = cs_policy::Scenario { year: 2026, month: 13, ..Default::default() };
    /// assert_eq!(month.problems(None)[0].code.as_str(), "out-of-range");
    /// ```
    pub fn problems(&self, policy: Option<&Policy>) -> Vec<FactProblem> {
        crate::facts::check::scenario(self, policy)
    }

    /// The month's header: year, month and whether days are punctual.
    pub fn header(&self) -> MonthHeader {
        MonthHeader {
            year: self.year,
            month: self.month,
            punctual: self.punctual,
        }
    }

    /// The scenario as one record per agent, in the order of its agents,
    /// with each incident and request numbered by its place in the
    /// scenario's lists.
    ///
    /// ```
    /// let month = cs_policy::Scenario::from_toml_str("s.toml", include_str!("../policies/shop.scenario.toml"))?;
    /// let records = month.records()?;
    /// assert_eq!(records.len(), month.agents.len());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn records(&self) -> Result<Vec<(AgentRecord, Numbers)>, StatementError> {
        let index = self.agent_index()?;
        let find = |what, i, agent: &str| {
            index
                .get(agent)
                .copied()
                .ok_or_else(|| StatementError::UnknownAgent {
                    what,
                    index: i,
                    agent: agent.to_owned(),
                })
        };
        let mut out: Vec<(AgentRecord, Numbers)> = self
            .agents
            .iter()
            .map(|a| {
                let record = AgentRecord {
                    agent: a.clone(),
                    ..AgentRecord::default()
                };
                (record, Numbers::default())
            })
            .collect();
        self.deal_roster(&mut out, &find)?;
        self.deal_punches(&mut out, &find)?;
        self.deal_requests_and_incidents(&mut out, &find)?;
        Ok(out)
    }
}

impl Scenario {
    /// Each roster line handed to the records of its agents.
    fn deal_roster(
        &self,
        out: &mut [(AgentRecord, Numbers)],
        find: &impl Fn(&'static str, usize, &str) -> Result<usize, StatementError>,
    ) -> Result<(), StatementError> {
        for (li, line) in self.roster.iter().enumerate() {
            for agent in &line.agents {
                if let Some((record, _)) = out.get_mut(find("roster line", li, agent)?) {
                    record.roster.push(RosterEntry {
                        shift: line.shift.clone(),
                        days: line.days.clone(),
                        except: line.except.clone(),
                    });
                }
            }
        }
        Ok(())
    }

    /// Punches, log entries and corrections handed to their agents' records.
    fn deal_punches(
        &self,
        out: &mut [(AgentRecord, Numbers)],
        find: &impl Fn(&'static str, usize, &str) -> Result<usize, StatementError>,
    ) -> Result<(), StatementError> {
        for (pi, p) in self.punches.iter().enumerate() {
            if let Some((record, _)) = out.get_mut(find("punch", pi, &p.agent)?) {
                record.punches.push(Punch {
                    date: p.date,
                    clock_in: p.clock_in,
                    clock_out: p.clock_out,
                });
            }
        }
        for (pi, e) in self.punch_log.iter().enumerate() {
            if let Some((record, _)) = out.get_mut(find("punch log entry", pi, &e.agent)?) {
                record.punch_log.push(e.event());
            }
        }
        for (ci, c) in self.punch_corrections.iter().enumerate() {
            if let Some((record, _)) = out.get_mut(find("punch correction", ci, &c.agent)?) {
                record.punch_corrections.push(c.correction());
            }
        }
        Ok(())
    }

    /// Leave requests and incidents handed to their agents' records, each
    /// numbered by its place in the scenario's list.
    fn deal_requests_and_incidents(
        &self,
        out: &mut [(AgentRecord, Numbers)],
        find: &impl Fn(&'static str, usize, &str) -> Result<usize, StatementError>,
    ) -> Result<(), StatementError> {
        for (ri, r) in self.leave_requests.iter().enumerate() {
            if let Some((record, numbers)) = out.get_mut(find("leave request", ri, &r.agent)?) {
                record.leave_requests.push(r.request.clone());
                numbers.requests.push(idx32(ri));
            }
        }
        for (ii, inc) in self.incidents.iter().enumerate() {
            if let Some((record, numbers)) = out.get_mut(find("incident", ii, &inc.agent)?) {
                record.incidents.push(AgentIncident {
                    kind: inc.kind.clone(),
                    date: inc.date,
                    value: inc.value,
                    details: inc.details.clone(),
                });
                numbers.incidents.push(idx32(ii));
            }
        }
        Ok(())
    }

    /// Each agent's position by id; an agent listed twice is an error.
    fn agent_index(&self) -> Result<HashMap<&str, usize>, StatementError> {
        let mut index: HashMap<&str, usize> = HashMap::with_capacity(self.agents.len());
        for (i, a) in self.agents.iter().enumerate() {
            if index.insert(a.id.as_str(), i).is_some() {
                return Err(StatementError::DuplicateAgent {
                    agent: a.id.clone(),
                });
            }
        }
        Ok(index)
    }
}

/// The keys a scenario has at its top level.
const KEYS: &[&str] = &[
    "year",
    "month",
    "punctual",
    "agents",
    "roster",
    "punches",
    "punch_log",
    "punch_corrections",
    "leave_requests",
    "incidents",
];
