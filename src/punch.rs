//! Raw punch logs to worked days: check-in windows, duplicates, night shifts
//! across a day, month or year end, and corrections of missing punches (补卡).
//!
//! Attendance machines and DingTalk exports give a log of events: an agent,
//! a timestamp (with or without a UTC offset), sometimes a direction and a
//! device, several a day. The handbooks say nothing of how such events
//! belong to shifts, so a policy states it, as the HR tools do (Frappe HRMS's
//! shift type opens check-in 60 minutes before the start and allows
//! check-out 60 minutes after the end; DingTalk limits corrections a month):
//!
//! ```toml
//! [shifts.punches]
//! check_in_before_minutes = 60      # how early a check-in may be
//! check_out_after_minutes = 60      # how late a check-out
//! counts = "first_in_last_out"      # or "alternating", "by_direction"
//! duplicate_within_seconds = 60     # a second punch this close is a duplicate
//!
//! [shifts.punches.types.p1_night]   # one shift type's own choices
//! check_out_after_minutes = 120
//!
//! [attendance.corrections]          # 补卡
//! per_month = 3                     # corrections used a month, at most
//! deadline_days = 3                 # asked at most this many days after the shift
//! count = "working_days"            # or "calendar_days"
//! ```
//!
//! Every key of `[shifts.punches]` is a choice the handbooks leave open: each
//! must be stated, for all shifts or for each shift type, or the policy is
//! rejected (`unstated-choice`).
//!
//! [`Policy::assign_punches`] puts every event of one agent's month on
//! exactly one rostered shift, or reports it with its reason (a duplicate,
//! a punch on a day off, outside every window, outside the month); a night
//! shift collects its punches after midnight, whatever day, month or year
//! that is. The result is the shift's [`WorkDay`] with its `clock_in` and
//! `clock_out`, so attendance downstream is unchanged. A timestamp with a
//! UTC offset is first converted to the policy's `[policy] time_zone`.
//! [`Policy::correct_punches`] then fills missing punches from approved
//! correction requests, refusing those past the deadline or over the
//! month's limit, each with its clause; a punch left missing is what the
//! attendance section's `missing_punch` says.
//!
//! ```
//! use chrono::NaiveDate;
//! use cs_policy::Policy;
//! use cs_policy::attendance::WorkDay;
//! use cs_policy::punch::{Event, Fate, Role};
//!
//! let policy = Policy::example("shop")?;
//! let night = policy.shift_ref("p1_night").unwrap();
//! let date = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
//! let mut days = [WorkDay { date, shift: night, clock_in: None, clock_out: None, overtime_approved: false }];
//! let events = ["2026-03-31 17:20", "2026-04-01T00:50:00+08:00"].map(|t| Event::at(t.parse().unwrap()));
//! let mut outcomes = Vec::new();
//! policy.assign_punches(2026, 3, &mut days, &events, &mut outcomes)?;
//! // The out punch after midnight, in April, belongs to the 31 March night shift.
//! assert_eq!(outcomes[1].fate, Fate::Assigned { date, role: Role::Out });
//! assert_eq!(days[0].clock_out.unwrap().to_string(), "2026-04-01 00:50:00");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use chrono::{
    DateTime, Datelike, Days, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Timelike,
};
use serde::{Deserialize, Serialize};

use crate::Policy;
use crate::attendance::{PunchSide, WorkDay};
use crate::calendar::DayCount;
use crate::explain::{ClauseRef, PolicyTag};
use crate::policy::read::{Loader, Table, choices};
use crate::scenario::{MonthHeader, Scenario};
use crate::shift::{ShiftRef, ShiftRules};
use crate::statement::StatementError;

const DAY_SECS: i64 = 86_400;

// ---------------------------------------------------------------- facts

/// Which way a punch goes, when the device records it.
///
/// ```
/// use cs_policy::punch::Direction;
/// let d: Direction = serde_json::from_str(r#""out""#).unwrap();
/// assert_eq!(d, Direction::Out);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// A check-in (上班).
    In,
    /// A check-out (下班).
    Out,
}

/// When a punch happened: local civil time in the policy's time zone, or
/// an instant with its UTC offset, which is converted to the policy's time
/// zone.
///
/// Read from text as an export writes it: `2026-03-02 09:05`,
/// `2026-03-02T09:05:00`, `2026/3/2 9:05:12` (local), or with an offset:
/// `2026-03-02T01:05:00Z`, `2026-03-02 09:05:00+08:00`, `…+0800`.
///
/// ```
/// use cs_policy::punch::Timestamp;
/// let utc: Timestamp = "2026-03-02T01:05:00Z".parse()?;
/// assert!(matches!(utc, Timestamp::Offset(_)));
/// let local: Timestamp = "2026/3/2 9:05".parse()?;
/// assert_eq!(local.to_string(), "2026-03-02T09:05:00");
/// assert!("2026-03-02 25:00".parse::<Timestamp>().is_err());
/// # Ok::<(), cs_policy::punch::BadTimestamp>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Timestamp {
    /// Civil time where the policy is (its `[policy] time_zone`).
    Local(NaiveDateTime),
    /// An instant with its offset from UTC.
    Offset(DateTime<FixedOffset>),
}

/// Text that is not a timestamp.
///
/// ```
/// let error = "yesterday".parse::<cs_policy::punch::Timestamp>().unwrap_err();
/// assert!(error.to_string().contains("`yesterday`"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a date and time; write it as `2026-03-02 09:05`, `2026-03-02T09:05:00` or with a UTC offset, `2026-03-02T01:05:00Z`"
)]
pub struct BadTimestamp(pub String);

impl Timestamp {
    /// Reads `text` with a strftime `format` (`%d.%m.%Y %H:%M`); a format
    /// with `%z` gives an instant with its offset.
    ///
    /// ```
    /// use cs_policy::punch::Timestamp;
    /// let t = Timestamp::parse_with("02.03.2026 09:05", "%d.%m.%Y %H:%M")?;
    /// assert_eq!(t.to_string(), "2026-03-02T09:05:00");
    /// # Ok::<(), cs_policy::punch::BadTimestamp>(())
    /// ```
    pub fn parse_with(text: &str, format: &str) -> Result<Self, BadTimestamp> {
        let text = text.trim();
        NaiveDateTime::parse_from_str(text, format)
            .map(Self::Local)
            .or_else(|_| DateTime::parse_from_str(text, format).map(Self::Offset))
            .map_err(|_| BadTimestamp(text.to_owned()))
    }

    /// The civil time in `zone`: an instant converted, a local time as is.
    fn local_in(self, zone: chrono_tz::Tz) -> NaiveDateTime {
        match self {
            Self::Local(t) => t,
            Self::Offset(t) => t.with_timezone(&zone).naive_local(),
        }
    }
}

impl FromStr for Timestamp {
    type Err = BadTimestamp;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        parse_stamp(text).ok_or_else(|| BadTimestamp(text.to_owned()))
    }
}

/// A date (`-` or `/` between its parts), then `T` or a space, a time of
/// day with or without seconds, and an optional offset (`Z`, `+08:00`,
/// `+0800`).
fn parse_stamp(text: &str) -> Option<Timestamp> {
    let (date, rest) = NaiveDate::parse_and_remainder(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_and_remainder(text, "%Y/%m/%d"))
        .ok()?;
    let rest = rest.strip_prefix(['T', 't', ' '])?.trim_start();
    let (time, rest) = NaiveTime::parse_and_remainder(rest, "%H:%M:%S%.f")
        .or_else(|_| NaiveTime::parse_and_remainder(rest, "%H:%M"))
        .ok()?;
    let local = date.and_time(time);
    let offset = match rest.trim() {
        "" => return Some(Timestamp::Local(local)),
        "Z" | "z" | "UTC" => FixedOffset::east_opt(0)?,
        other => other.parse::<FixedOffset>().ok()?,
    };
    local
        .and_local_timezone(offset)
        .single()
        .map(Timestamp::Offset)
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Local(t) => write!(f, "{}", t.format("%Y-%m-%dT%H:%M:%S%.f")),
            Self::Offset(t) => f.write_str(&t.to_rfc3339()),
        }
    }
}

impl Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        struct Text;
        impl serde::de::Visitor<'_> for Text {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date and time such as \"2026-03-02 09:05\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Timestamp, E> {
                v.parse().map_err(E::custom)
            }
        }
        de.deserialize_str(Text)
    }
}

/// One punch of the agent whose log it is: when, and, where the device
/// records them, which way and on which device.
///
/// ```
/// let e: cs_policy::punch::Event = serde_json::from_str(r#"{"time": "2026-03-02 08:57", "direction": "in"}"#).unwrap();
/// assert!(e.device.is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// When.
    pub time: Timestamp,
    /// In or out, when the device says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    /// The device, carried through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
}

impl Event {
    /// A punch at `time`, without direction or device.
    ///
    /// ```
    /// let e = cs_policy::punch::Event::at("2026-03-02 08:57".parse()?);
    /// assert!(e.direction.is_none());
    /// # Ok::<(), cs_policy::punch::BadTimestamp>(())
    /// ```
    pub fn at(time: Timestamp) -> Self {
        Self {
            time,
            direction: None,
            device: None,
        }
    }
}

/// One line of a team's punch log: whose punch, and the punch.
///
/// ```
/// let e: cs_policy::punch::AgentEvent = serde_json::from_str(
///     r#"{"agent": "S01", "time": "2026-03-02T01:05:00Z", "device": "front door"}"#).unwrap();
/// assert_eq!(e.device.as_deref(), Some("front door"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentEvent {
    /// The agent.
    pub agent: String,
    /// When.
    pub time: Timestamp,
    /// In or out, when the device says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    /// The device, carried through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
}

impl AgentEvent {
    /// The punch, without its agent.
    pub(crate) fn event(&self) -> Event {
        Event {
            time: self.time,
            direction: self.direction,
            device: self.device.clone(),
        }
    }
}

/// A request to correct a missing punch (补卡) of the agent whose it is:
/// the shift's date, which punch, the time claimed, when it was asked and
/// whether it was approved.
///
/// ```
/// let c: cs_policy::punch::Correction = serde_json::from_str(
///     r#"{"date": "2026-03-12", "punch": "out", "time": "18:00", "asked_on": "2026-03-13", "approved": true}"#).unwrap();
/// assert!(c.approved);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    /// The date the shift starts.
    pub date: NaiveDate,
    /// Which punch is corrected.
    pub punch: PunchSide,
    /// The time claimed, on the day that puts it nearest the shift's start
    /// (a check-in) or end (a check-out): `00:55` closes a night shift the
    /// next day.
    pub time: NaiveTime,
    /// The day the correction was asked for.
    pub asked_on: NaiveDate,
    /// Whether it was approved.
    pub approved: bool,
}

/// A correction request and whose it is.
///
/// ```
/// let c: cs_policy::punch::AgentCorrection = serde_json::from_str(
///     r#"{"agent": "S02", "date": "2026-03-12", "punch": "out", "time": "18:00", "asked_on": "2026-03-13", "approved": true}"#).unwrap();
/// assert_eq!(c.agent, "S02");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentCorrection {
    /// The agent.
    pub agent: String,
    /// The date the shift starts.
    pub date: NaiveDate,
    /// Which punch is corrected.
    pub punch: PunchSide,
    /// The time claimed (see [`Correction::time`]).
    pub time: NaiveTime,
    /// The day the correction was asked for.
    pub asked_on: NaiveDate,
    /// Whether it was approved.
    pub approved: bool,
}

impl AgentCorrection {
    /// The correction, without its agent.
    pub(crate) fn correction(&self) -> Correction {
        Correction {
            date: self.date,
            punch: self.punch,
            time: self.time,
            asked_on: self.asked_on,
            approved: self.approved,
        }
    }
}

// ---------------------------------------------------------------- policy

choices! {
    /// Which of a shift's punches are its check-in and check-out: a choice the
    /// policy states (Frappe HRMS offers the first two).
    ///
    /// ```
    /// use cs_policy::punch::Counting;
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let night = policy.shift_ref("p1_night").unwrap();
    /// let windows = policy.shifts().unwrap().punches().unwrap().windows(night).unwrap();
    /// assert_eq!(windows.counts, Counting::FirstInLastOut);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum Counting as "a way of counting punches" {
        /// The first punch in the shift's window is the check-in, the last the
        /// check-out, whatever the device says; a lone punch is the check-in
        /// before the middle of the shift, the check-out from it on.
        FirstInLastOut => "first_in_last_out",
        /// Punches alternate in, out, in, out: the first is the check-in, and
        /// the last is the check-out when they pair up (an odd last punch went
        /// in and never out: the check-out is missing).
        Alternating => "alternating",
        /// The device's direction decides: the first `in` is the check-in, the
        /// last `out` after it the check-out; a punch without a direction is
        /// reported.
        ByDirection => "by_direction",
    }
}

/// How punches are assigned to one shift type: its windows, what counts,
/// and what is a duplicate.
///
/// ```
/// let policy = cs_policy::Policy::example("shop")?;
/// let night = policy.shift_ref("p1_night").unwrap();
/// let w = policy.shifts().unwrap().punches().unwrap().windows(night).unwrap();
/// assert_eq!((w.check_in_before_minutes, w.check_out_after_minutes), (60, 120));
/// assert_eq!(policy.clause(w.clause)?.id(), "shifts.punches.types.p1_night");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PunchWindows {
    /// How many minutes before the shift's start a punch still counts for it.
    pub check_in_before_minutes: u16,
    /// How many minutes after the shift's end a punch still counts for it.
    pub check_out_after_minutes: u16,
    /// Which punches are the check-in and check-out.
    pub counts: Counting,
    /// A punch at most this many seconds after the previous one counted is
    /// a duplicate.
    pub duplicate_within_seconds: u16,
    /// The clause: `shifts.punches`, or the shift type's own
    /// `shifts.punches.types.<id>`.
    pub clause: ClauseRef,
}

/// The `[shifts.punches]` table: how punch logs are assigned to shifts.
///
/// ```
/// let policy = cs_policy::Policy::example("shop")?;
/// let punches = policy.shifts().unwrap().punches().unwrap();
/// assert_eq!(policy.clause(punches.clause())?.id(), "shifts.punches");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PunchRules {
    clause: ClauseRef,
    /// One per shift type, in the order of [`ShiftRules::types`].
    windows: Vec<PunchWindows>,
    /// The shift type of each of `windows`.
    shifts: Vec<ShiftRef>,
    /// The policy text that made the shift references.
    tag: PolicyTag,
}

/// What one table of `[shifts.punches]` states; a shift type's table
/// falls back on the section's.
#[derive(Debug, Clone, Copy, Default)]
struct Stated {
    before: Option<u16>,
    after: Option<u16>,
    counts: Option<Counting>,
    duplicate: Option<u16>,
}

impl Stated {
    fn read(t: &mut Table<'_, '_>, ld: &mut Loader) -> Self {
        Self {
            before: t.opt_in(ld, "check_in_before_minutes", 0..=720),
            after: t.opt_in(ld, "check_out_after_minutes", 0..=720),
            counts: t.opt(ld, "counts"),
            duplicate: t.opt_in(ld, "duplicate_within_seconds", 0..=3600),
        }
    }

    fn or(self, all: Self) -> Self {
        Self {
            before: self.before.or(all.before),
            after: self.after.or(all.after),
            counts: self.counts.or(all.counts),
            duplicate: self.duplicate.or(all.duplicate),
        }
    }
}

/// Each key of `[shifts.punches]` and what to say when no table states it.
const UNSTATED: [(&str, &str); 4] = [
    (
        "check_in_before_minutes",
        "the handbooks do not say how early a check-in may be: state the minutes before a shift's start a punch still counts for it, such as `check_in_before_minutes = 60` (Frappe HRMS's default)",
    ),
    (
        "check_out_after_minutes",
        "the handbooks do not say how late a check-out may be: state the minutes after a shift's end a punch still counts for it, such as `check_out_after_minutes = 60` (Frappe HRMS's default)",
    ),
    (
        "counts",
        "state which punches are the check-in and check-out: `counts = \"first_in_last_out\"`, `\"alternating\"` or `\"by_direction\"`",
    ),
    (
        "duplicate_within_seconds",
        "state how close a second punch is a duplicate, such as `duplicate_within_seconds = 60` (`0`: only punches at the same second)",
    ),
];

impl PunchRules {
    /// The clause of the `[shifts.punches]` table.
    pub fn clause(&self) -> ClauseRef {
        self.clause
    }

    /// How punches are assigned to a shift type.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let day = policy.shift_ref("p3_regular").unwrap();
    /// let w = policy.shifts().unwrap().punches().unwrap().windows(day).unwrap();
    /// assert_eq!(w.duplicate_within_seconds, 60);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn windows(&self, shift: ShiftRef) -> Option<&PunchWindows> {
        if shift.foreign_to(self.tag) {
            return None;
        }
        // At once when this policy made the reference, by id when read back.
        let at = match shift.index_in(self.tag) {
            Some(i) if self.shifts.get(i) == Some(&shift) => i,
            _ => self.shifts.iter().position(|s| *s == shift)?,
        };
        self.windows.get(at)
    }

    /// Reads `[shifts.punches]`: the section's choices and each shift
    /// type's own, every choice stated for every shift type.
    pub(crate) fn read(
        t: &mut Table<'_, '_>,
        ld: &mut Loader,
        shifts: &ShiftRules,
        section: ClauseRef,
    ) -> Option<Self> {
        let clause = ld.clause_under(t, Some(section));
        let all = Stated::read(t, ld);
        let n = shifts.types().len();
        let own = Self::read_own(t, ld, shifts, clause);
        let mut windows = Vec::with_capacity(n);
        // For each key, the shift types that state it nowhere.
        let mut missing: [Vec<&str>; 4] = Default::default();
        for (i, ty) in shifts.types().iter().enumerate() {
            let (stated, wc) = own
                .get(i)
                .copied()
                .flatten()
                .map_or((all, clause), |(s, c)| (s.or(all), c));
            let keys = [
                stated.before.is_none(),
                stated.after.is_none(),
                stated.counts.is_none(),
                stated.duplicate.is_none(),
            ];
            for (k, absent) in keys.into_iter().enumerate() {
                if absent {
                    missing[k].push(ty.id());
                }
            }
            if let (Some(before), Some(after), Some(counts), Some(duplicate)) =
                (stated.before, stated.after, stated.counts, stated.duplicate)
            {
                windows.push(PunchWindows {
                    check_in_before_minutes: before,
                    check_out_after_minutes: after,
                    counts,
                    duplicate_within_seconds: duplicate,
                    clause: wc,
                });
            }
        }
        for ((key, help), shifts) in UNSTATED.iter().zip(&missing) {
            if !shifts.is_empty() && !t.contains(key) {
                t.unstated(ld, key).help(format!(
                    "{help}; it is stated for no shift type of `{}`",
                    shifts.join("`, `")
                ));
            }
        }
        (windows.len() == n).then(|| Self {
            clause,
            windows,
            shifts: shifts.types().iter().map(|t| t.reference()).collect(),
            tag: ld.clauses.tag(),
        })
    }
    /// Each shift type's own choices under `types`, by the shift type's
    /// place, with its clause.
    fn read_own(
        t: &mut Table<'_, '_>,
        ld: &mut Loader,
        shifts: &ShiftRules,
        clause: ClauseRef,
    ) -> Vec<Option<(Stated, ClauseRef)>> {
        let mut own = vec![None; shifts.types().len()];
        for (id, mut o) in t.ids(ld, "types") {
            let oc = ld.clause_under(&mut o, Some(clause));
            let stated = Stated::read(&mut o, ld);
            o.finish(ld);
            if let Some(shift) = shifts.resolve(ld, &id) {
                if let Some(slot) = shifts.position(shift).and_then(|i| own.get_mut(i)) {
                    *slot = Some((stated, oc));
                }
            }
        }
        own
    }
}

/// The `[attendance.corrections]` table: how many missing punches a month
/// may be corrected (补卡), and by when.
///
/// ```
/// use cs_policy::orders::DayCount;
/// let policy = cs_policy::Policy::example("shop")?;
/// let c = policy.attendance().unwrap().corrections().unwrap();
/// assert_eq!((c.per_month, c.deadline_days, c.count), (3, 3, DayCount::WorkingDays));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CorrectionRules {
    /// Corrections a month that may be used, at most.
    pub per_month: u8,
    /// Days after the shift's date by which a correction must be asked.
    pub deadline_days: u16,
    /// How those days are counted.
    pub count: DayCount,
    /// The clause (`attendance.corrections`).
    pub clause: ClauseRef,
}

impl CorrectionRules {
    /// Reads `[attendance.corrections]` under its own clause, each of its
    /// choices stated.
    pub(crate) fn read(t: &mut Table<'_, '_>, ld: &mut Loader, clause: ClauseRef) -> Option<Self> {
        let per_month = t.opt_in::<u8>(ld, "per_month", 0..=31);
        if !t.contains("per_month") {
            t.unstated(ld, "per_month").help("the handbooks do not say how many missing punches a month may be corrected: state it, such as `per_month = 3`");
        }
        let deadline = t.opt_in::<u16>(ld, "deadline_days", 0..=366);
        if !t.contains("deadline_days") {
            t.unstated(ld, "deadline_days").help("the handbooks do not say by when a correction must be asked: state the days after the shift, such as `deadline_days = 3`");
        }
        let count = DayCount::read(t, ld, "count");
        Some(Self {
            per_month: per_month?,
            deadline_days: deadline?,
            count,
            clause,
        })
    }

    /// The last day a correction of a shift on `date` may be asked.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let rules = policy.attendance().unwrap().corrections().unwrap();
    /// let d = |day| NaiveDate::from_ymd_opt(2026, 3, day).unwrap();
    /// // Three working days after Friday 13 March: Wednesday 18 March.
    /// assert_eq!(rules.deadline(&policy, d(13))?, d(18));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn deadline(&self, policy: &Policy, date: NaiveDate) -> Result<NaiveDate, PunchError> {
        let days = u32::from(self.deadline_days);
        self.count
            .after(policy.calendar(), date, days)?
            .ok_or(PunchError::Calendar(
                crate::calendar::CalendarError::PastEnd { date },
            ))
    }
}

// ---------------------------------------------------------------- outcomes

/// What a punch became on its shift's day.
///
/// ```
/// use cs_policy::punch::Role;
/// assert_eq!(serde_json::to_string(&Role::Between).unwrap(), r#""between""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Role {
    /// The day's check-in.
    In,
    /// The day's check-out.
    Out,
    /// A punch within the shift that is neither (a lunch break's pair, a
    /// second check-in).
    Between,
}

/// Why a punch is on no shift.
///
/// ```
/// use cs_policy::punch::Reason;
/// let r = Reason::Duplicate { of: 3 };
/// assert_eq!(serde_json::to_value(r).unwrap()["reason"], "duplicate");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
#[non_exhaustive]
pub enum Reason {
    /// Within the duplicate interval of an earlier punch of the same shift.
    Duplicate {
        /// The earlier punch, by its position in the events given.
        of: u32,
    },
    /// On a day the agent has no shift, and in no shift's window.
    DayOff,
    /// On a day of a shift, outside every shift's window (too early, too late).
    OutsideWindow {
        /// The date of the shift whose day it is on.
        date: NaiveDate,
    },
    /// On a date outside the month evaluated, and in no window of its shifts.
    OutsideMonth,
    /// Punches are counted by direction, and this one has none.
    NoDirection,
}

impl fmt::Display for Reason {
    /// The reason in words: `a duplicate of punch #3`, `on a day off`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Duplicate { of } => write!(f, "a duplicate of punch #{of}"),
            Self::DayOff => f.write_str("on a day off"),
            Self::OutsideWindow { date } => {
                write!(f, "outside the window of the shift of {date}")
            }
            Self::OutsideMonth => f.write_str("outside the month"),
            Self::NoDirection => {
                f.write_str("without a direction, where punches are counted by direction")
            }
        }
    }
}

/// Where a punch landed: on exactly one rostered shift, or reported.
///
/// ```
/// use cs_policy::punch::{Fate, Reason};
/// let f = Fate::Reported { reason: Reason::DayOff };
/// assert_eq!(serde_json::to_value(f).unwrap()["fate"], "reported");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case", tag = "fate")]
pub enum Fate {
    /// On the shift of `date`.
    Assigned {
        /// The date the shift starts.
        date: NaiveDate,
        /// What it became there.
        role: Role,
    },
    /// On no shift.
    Reported {
        /// Why.
        #[serde(flatten)]
        reason: Reason,
    },
}

/// One punch's outcome, in the order the events were given.
///
/// ```
/// use cs_policy::punch::{EventOutcome, Fate, Reason};
/// let policy = cs_policy::Policy::example("shop")?;
/// let o = EventOutcome { time: "2026-03-08T10:00:00".parse()?, fate: Fate::Reported { reason: Reason::DayOff }, clause: policy.clause_by_id("shifts.punches").unwrap() };
/// assert!(!o.fate.is_assigned());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct EventOutcome {
    /// The punch's civil time in the policy's time zone.
    pub time: NaiveDateTime,
    /// Where it landed.
    #[serde(flatten)]
    pub fate: Fate,
    /// The clause whose windows decided it.
    pub clause: ClauseRef,
}

impl Fate {
    /// Whether the punch is on a shift.
    pub fn is_assigned(self) -> bool {
        matches!(self, Self::Assigned { .. })
    }
}

impl fmt::Display for Fate {
    /// `on the shift of 2026-03-02 as its check-in`, or the reason.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Assigned { date, role } => {
                let role = match role {
                    Role::In => "its check-in",
                    Role::Out => "its check-out",
                    Role::Between => "neither check-in nor check-out",
                };
                write!(f, "on the shift of {date} as {role}")
            }
            Self::Reported { reason } => reason.fmt(f),
        }
    }
}

/// Why a correction was refused.
///
/// ```
/// use cs_policy::punch::Refusal;
/// let r = Refusal::OverLimit { limit: 3 };
/// assert_eq!(serde_json::to_value(r).unwrap()["reason"], "over_limit");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
#[non_exhaustive]
pub enum Refusal {
    /// The request was not approved.
    NotApproved,
    /// Asked after the deadline.
    PastDeadline {
        /// The last day it could be asked.
        deadline: NaiveDate,
    },
    /// The month's corrections are used up.
    OverLimit {
        /// Corrections a month.
        limit: u8,
    },
    /// The punch is not missing: it was recorded (or already corrected).
    Recorded {
        /// The punch's time.
        at: NaiveDateTime,
    },
}

/// What became of a correction request.
///
/// ```
/// use cs_policy::punch::Decision;
/// assert_eq!(serde_json::to_value(Decision::Used { number: 2 }).unwrap()["decision"], "used");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case", tag = "decision")]
#[non_exhaustive]
pub enum Decision {
    /// The punch is the time claimed: the month's `number`-th correction.
    Used {
        /// Which correction of the month (1 = the first).
        number: u8,
    },
    /// Refused: the punch stays as it was.
    Refused {
        /// Why.
        #[serde(flatten)]
        reason: Refusal,
    },
}

/// One correction's outcome, in the order the corrections were given.
///
/// ```
/// use cs_policy::punch::{CorrectionOutcome, Decision};
/// # use cs_policy::attendance::PunchSide;
/// let policy = cs_policy::Policy::example("shop")?;
/// let o = CorrectionOutcome { date: "2026-03-12".parse()?, punch: PunchSide::Out, time: "2026-03-12T18:00:00".parse()?, decision: Decision::Used { number: 1 }, clause: policy.clause_by_id("attendance.corrections").unwrap() };
/// assert!(o.is_used());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CorrectionOutcome {
    /// The date the shift starts.
    pub date: NaiveDate,
    /// Which punch.
    pub punch: PunchSide,
    /// The time claimed, on its day.
    pub time: NaiveDateTime,
    /// Used or refused.
    #[serde(flatten)]
    pub decision: Decision,
    /// The clause (`attendance.corrections`).
    pub clause: ClauseRef,
}

impl CorrectionOutcome {
    /// Whether the correction was used.
    pub fn is_used(&self) -> bool {
        matches!(self.decision, Decision::Used { .. })
    }
}

/// One agent's month as worked: the rostered days with their punches, and
/// what became of each punch of the log and each correction.
///
/// ```
/// use cs_policy::{Policy, Scenario};
/// let policy = Policy::example("shop")?;
/// let month = Scenario::from_toml_str("s.toml", include_str!("../policies/shop.scenario.toml"))?;
/// let m = policy.month(month.header())?;
/// let (record, _) = &month.records()?[0];
/// let worked = policy.worked_days(&m, record)?;
/// assert_eq!(worked.days.len(), 22);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkedDays {
    /// The rostered days with their punches.
    pub days: Vec<WorkDay>,
    /// Each punch of the agent's log, in its order.
    pub events: Vec<EventOutcome>,
    /// Each correction of the agent, in its order.
    pub corrections: Vec<CorrectionOutcome>,
}

/// Punches or corrections that cannot be evaluated.
///
/// ```
/// use cs_policy::punch::PunchError;
/// let policy = cs_policy::Policy::example("fintech")?;
/// let mut out = Vec::new();
/// assert_eq!(policy.assign_punches(2026, 3, &mut [], &[], &mut out), Err(PunchError::NoPunchRules));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PunchError {
    /// A date the holiday calendars do not cover.
    #[error(transparent)]
    Calendar(#[from] crate::calendar::CalendarError),
    /// The policy states no punch windows.
    #[error(
        "the policy has no `[shifts.punches]`: state its check-in windows to assign a punch log to shifts"
    )]
    NoPunchRules,
    /// The policy states no correction rules.
    #[error(
        "the policy has no `[attendance.corrections]`: state how many corrections a month are allowed, and by when"
    )]
    NoCorrectionRules,
    /// The month does not exist.
    #[error("month `{year}-{month}` does not exist; months run from 1 to 12")]
    BadMonth {
        /// The year.
        year: i32,
        /// The month.
        month: u32,
    },
    /// A rostered day outside the month.
    #[error(
        "the rostered day {date} lies outside {year}-{month:02}; evaluate it with its own month"
    )]
    DayOutsideMonth {
        /// The date.
        date: NaiveDate,
        /// The year.
        year: i32,
        /// The month.
        month: u32,
    },
    /// Two rostered days on one date.
    #[error("{date} is rostered twice; give one shift per date")]
    TwiceRostered {
        /// The date.
        date: NaiveDate,
    },
    /// A day names a shift the policy does not define.
    #[error(
        "the day {date} names shift `{shift}`, which the policy does not define; resolve ids with `Policy::shift_ref`"
    )]
    UnknownShiftRef {
        /// The date.
        date: NaiveDate,
        /// The shift's id.
        shift: String,
    },
    /// A correction for a date without a shift.
    #[error(
        "correction #{index} is for {date}, which has no roster entry; correct a rostered day's punch"
    )]
    CorrectionWithoutShift {
        /// The correction's position.
        index: usize,
        /// Its date.
        date: NaiveDate,
    },
    /// A correction asked before its shift.
    #[error(
        "correction #{index} was asked on {asked_on}, before its shift on {date}; check the dates"
    )]
    AskedBeforeShift {
        /// The correction's position.
        index: usize,
        /// The shift's date.
        date: NaiveDate,
        /// When it was asked.
        asked_on: NaiveDate,
    },
    /// A day whose punches are given twice: listed, and in the punch log.
    #[error(
        "the punches of {date} are listed and also in the punch log; give a day's punches in one place"
    )]
    TwoSources {
        /// The date.
        date: NaiveDate,
    },
}

// ---------------------------------------------------------------- assignment

/// Seconds from the start of the era, in civil time.
fn secs_of(t: NaiveDateTime) -> i64 {
    i64::from(t.date().num_days_from_ce()) * DAY_SECS
        + i64::from(t.time().num_seconds_from_midnight())
}

fn time_of(secs: i64) -> NaiveDateTime {
    let day = i32::try_from(secs.div_euclid(DAY_SECS)).unwrap_or(i32::MAX);
    let sod = u32::try_from(secs.rem_euclid(DAY_SECS)).unwrap_or(0);
    NaiveDate::from_num_days_from_ce_opt(day)
        .zip(NaiveTime::from_num_seconds_from_midnight_opt(sod, 0))
        .map_or(NaiveDateTime::MIN, |(d, t)| d.and_time(t))
}

/// One rostered shift as assignment sees it: its hours and window in
/// seconds from the start of the era.
#[derive(Clone, Copy)]
struct Slot {
    /// The day's position in the days given.
    day: usize,
    date: NaiveDate,
    /// Days from the start of the era.
    dayno: i64,
    start: i64,
    end: i64,
    open: i64,
    close: i64,
    windows: PunchWindows,
}

impl Slot {
    fn holds(&self, t: i64) -> bool {
        (self.open..=self.close).contains(&t)
    }

    /// How far `t` is from the shift's hours (0 within them).
    fn distance(&self, t: i64) -> i64 {
        (self.start - t).max(t - self.end).max(0)
    }
}

/// Unassigned, in the scratch of slot numbers.
const NONE: u32 = u32::MAX;

impl Policy {
    /// The window of the shift on `date`: from the first moment a check-in
    /// counts to the last a check-out does, with the clause that sets it.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let night = policy.shift_ref("p1_night").unwrap();
    /// let (open, close, _) = policy.punch_window(night, NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()).unwrap();
    /// assert_eq!(open.to_string(), "2026-12-31 16:30:00");
    /// assert_eq!(close.to_string(), "2027-01-01 03:00:00"); // across the year end
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn punch_window(
        &self,
        shift: ShiftRef,
        date: NaiveDate,
    ) -> Option<(NaiveDateTime, NaiveDateTime, ClauseRef)> {
        let s = self.slot(shift, date, 0)?;
        Some((time_of(s.open), time_of(s.close), s.windows.clause))
    }

    fn slot(&self, shift: ShiftRef, date: NaiveDate, day: usize) -> Option<Slot> {
        let shifts = self.shifts()?;
        let windows = *shifts.punches()?.windows(shift)?;
        let hours = shifts.get(shift)?.hours(date.weekday());
        let dayno = i64::from(date.num_days_from_ce());
        let start = dayno * DAY_SECS + i64::from(hours.start_minute()) * 60;
        let end = dayno * DAY_SECS + i64::from(hours.end_minute()) * 60;
        Some(Slot {
            day,
            date,
            dayno,
            start,
            end,
            open: start - i64::from(windows.check_in_before_minutes) * 60,
            close: end + i64::from(windows.check_out_after_minutes) * 60,
            windows,
        })
    }

    /// Puts every punch of one agent's log on exactly one of their rostered
    /// `days` of the month, or reports it, and sets each day that received
    /// punches: its `clock_in` and `clock_out` are the punches counted as
    /// such (a missing one `None`). `out` receives one outcome per event,
    /// in the order given.
    ///
    /// A punch with a UTC offset is taken at its time in the policy's
    /// `time_zone`. A punch belongs to the shift whose window (from
    /// `check_in_before_minutes` before its start to
    /// `check_out_after_minutes` after its end) holds it; in two windows,
    /// to the shift whose hours hold it, else the one whose hours are
    /// nearer, the later on a tie. Within a shift, a punch at most
    /// `duplicate_within_seconds` after the previous one counted is a
    /// duplicate. Outside every window it is reported: outside the month
    /// when its date is, on a day off when the agent has no shift that day,
    /// else outside the window of that day's shift.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::Policy;
    /// use cs_policy::attendance::WorkDay;
    /// use cs_policy::punch::{Event, Fate, Reason};
    ///
    /// let policy = Policy::example("shop")?;
    /// let regular = policy.shift_ref("p3_regular").unwrap(); // 09:00–18:00, 60 minutes each way
    /// let date = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    /// let mut days = [WorkDay { date, shift: regular, clock_in: None, clock_out: None, overtime_approved: false }];
    /// let events = ["2026-03-02 07:59", "2026-03-02 08:00", "2026-03-02 08:00:30", "2026-03-02 18:02"]
    ///     .map(|t| Event::at(t.parse().unwrap()));
    /// let mut out = Vec::new();
    /// policy.assign_punches(2026, 3, &mut days, &events, &mut out)?;
    /// // 61 minutes before the start is outside the window; 60 is inside.
    /// assert_eq!(out[0].fate, Fate::Reported { reason: Reason::OutsideWindow { date } });
    /// assert_eq!(out[2].fate, Fate::Reported { reason: Reason::Duplicate { of: 1 } });
    /// assert_eq!(days[0].clock_in.unwrap().to_string(), "2026-03-02 08:00:00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn assign_punches(
        &self,
        year: i32,
        month: u32,
        days: &mut [WorkDay],
        events: &[Event],
        out: &mut Vec<EventOutcome>,
    ) -> Result<(), PunchError> {
        let rules = self
            .shifts()
            .and_then(ShiftRules::punches)
            .ok_or(PunchError::NoPunchRules)?;
        let slots = self.slots(year, month, days)?;
        let zone = self.meta().tz();
        // (civil seconds, position), in time order.
        let mut stamps: Vec<(i64, u32)> = events
            .iter()
            .enumerate()
            .map(|(i, e)| (secs_of(e.time.local_in(zone)), idx32(i)))
            .collect();
        if !stamps.is_sorted() {
            stamps.sort_unstable();
        }
        out.clear();
        out.extend(stamps.iter().map(|_| EventOutcome {
            time: NaiveDateTime::MIN,
            fate: Fate::Reported {
                reason: Reason::DayOff,
            },
            clause: rules.clause(),
        }));
        let slot_of = pick_slots(&slots, &stamps);
        for (&(secs, i), &s) in stamps.iter().zip(&slot_of) {
            if let Some(o) = out.get_mut(i as usize) {
                o.time = time_of(secs);
                if s == NONE {
                    o.fate = Fate::Reported {
                        reason: unassigned(&slots, secs, year, month),
                    };
                }
            }
        }
        for (k, members) in by_slot(&slot_of, slots.len()).iter().enumerate() {
            let Some(slot) = slots.get(k) else { continue };
            let on_slot: Vec<(i64, u32)> = members
                .iter()
                .filter_map(|&p| stamps.get(p as usize).copied())
                .collect();
            let (clock_in, clock_out) = count_slot(slot, &on_slot, events, out);
            if let (false, Some(day)) = (on_slot.is_empty(), days.get_mut(slot.day)) {
                day.clock_in = clock_in.map(time_of);
                day.clock_out = clock_out.map(time_of);
            }
        }
        Ok(())
    }

    /// A record's punch log put on its `days`: the days it gave punches to
    /// (bit `d`: day `d + 1`). A day whose punches are also `listed` is an
    /// error: a day's punches come from one place.
    pub(crate) fn log_days(
        &self,
        header: MonthHeader,
        log: &[Event],
        days: &mut [WorkDay],
        listed: u32,
        out: &mut Vec<EventOutcome>,
    ) -> Result<u32, PunchError> {
        out.clear();
        if log.is_empty() {
            return Ok(0);
        }
        self.assign_punches(header.year, header.month, days, log, out)?;
        let mut logged = 0u32;
        for o in out.iter() {
            if let Fate::Assigned { date, .. } = o.fate {
                logged |= 1 << date.day0();
            }
        }
        let both = logged & listed;
        if both != 0 {
            let day = both.trailing_zeros() + 1;
            let date = NaiveDate::from_ymd_opt(header.year, header.month, day);
            if let Some(date) = date {
                return Err(PunchError::TwoSources { date });
            }
        }
        Ok(logged)
    }

    /// What became of each punch of a month's log (`month.punch_log`), in
    /// its order; a duplicate names the punch it repeats by its position
    /// there too.
    ///
    /// ```
    /// use cs_policy::{Policy, Scenario};
    /// use cs_policy::punch::{Fate, Reason};
    /// let policy = Policy::example("shop")?;
    /// let mut month = Scenario::from_toml_str("s.toml", include_str!("../policies/shop.scenario.toml"))?;
    /// month.punch_log = ["2026-03-02 08:57:02", "2026-03-02 08:57:30", "2026-03-02 18:04"]
    ///     .map(|t| cs_policy::punch::AgentEvent { agent: "S02".into(), time: t.parse().unwrap(), direction: None, device: None })
    ///     .to_vec();
    /// let outcomes = policy.punch_log_outcomes(&month)?;
    /// assert_eq!(outcomes[1].fate, Fate::Reported { reason: Reason::Duplicate { of: 0 } });
    /// assert_eq!(outcomes[1].fate.to_string(), "a duplicate of punch #0");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn punch_log_outcomes(
        &self,
        month: &Scenario,
    ) -> Result<Vec<EventOutcome>, StatementError> {
        let m = self.month(month.header())?;
        let mut of_agent: HashMap<&str, Vec<u32>> = HashMap::new();
        for (i, e) in month.punch_log.iter().enumerate() {
            of_agent.entry(e.agent.as_str()).or_default().push(idx32(i));
        }
        let mut out: Vec<Option<EventOutcome>> = vec![None; month.punch_log.len()];
        for (record, _) in month.records()? {
            let Some(entries) = of_agent.get(record.agent.id.as_str()) else {
                continue;
            };
            for (o, &at) in self.worked_days(&m, &record)?.events.iter().zip(entries) {
                let mut o = *o;
                if let Fate::Reported {
                    reason: Reason::Duplicate { of },
                } = o.fate
                {
                    let of = entries.get(of as usize).copied().unwrap_or(of);
                    o.fate = Fate::Reported {
                        reason: Reason::Duplicate { of },
                    };
                }
                if let Some(slot) = out.get_mut(at as usize) {
                    *slot = Some(o);
                }
            }
        }
        Ok(out.into_iter().flatten().collect())
    }

    /// The days' shifts as slots in date order, checked: in the month, one
    /// per date, shifts the policy defines.
    fn slots(&self, year: i32, month: u32, days: &[WorkDay]) -> Result<Vec<Slot>, PunchError> {
        NaiveDate::from_ymd_opt(year, month, 1).ok_or(PunchError::BadMonth { year, month })?;
        let mut slots = Vec::with_capacity(days.len());
        for (i, d) in days.iter().enumerate() {
            if d.date.year() != year || d.date.month() != month {
                return Err(PunchError::DayOutsideMonth {
                    date: d.date,
                    year,
                    month,
                });
            }
            let slot = self
                .slot(d.shift, d.date, i)
                .ok_or(PunchError::UnknownShiftRef {
                    date: d.date,
                    shift: d.shift.id().to_owned(),
                })?;
            slots.push(slot);
        }
        slots.sort_unstable_by_key(|s| s.dayno);
        if let Some(w) = slots.windows(2).find(|w| w[0].dayno == w[1].dayno) {
            return Err(PunchError::TwiceRostered { date: w[0].date });
        }
        Ok(slots)
    }
}

fn idx32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// The slot each stamp (in time order) lands in, or [`NONE`]: the shift
/// whose window holds it; in two, the one whose hours hold it or are
/// nearer, the later on a tie. Windows reach at most 12 hours before a
/// start and after an end, so a stamp's candidates start at most three
/// days before its date and one after: linear in stamps and slots.
fn pick_slots(slots: &[Slot], stamps: &[(i64, u32)]) -> Vec<u32> {
    let mut first = 0;
    stamps
        .iter()
        .map(|&(t, _)| {
            let d = t.div_euclid(DAY_SECS);
            while slots.get(first).is_some_and(|s| s.dayno < d - 3) {
                first += 1;
            }
            let mut best: Option<usize> = None;
            for (k, s) in slots.iter().enumerate().skip(first) {
                if s.dayno > d + 1 {
                    break;
                }
                if !s.holds(t) {
                    continue;
                }
                best = match best.and_then(|b| slots.get(b).map(|bs| (b, bs))) {
                    Some((b, bs)) if bs.distance(t) < s.distance(t) => Some(b),
                    _ => Some(k),
                };
            }
            best.map_or(NONE, idx32)
        })
        .collect()
}

/// Why a stamp outside every window is reported.
fn unassigned(slots: &[Slot], t: i64, year: i32, month: u32) -> Reason {
    let date = time_of(t).date();
    if date.year() != year || date.month() != month {
        return Reason::OutsideMonth;
    }
    let d = t.div_euclid(DAY_SECS);
    // A shift of that date, or one of the day before that runs into it.
    let touching = slots
        .iter()
        .filter(|s| s.dayno == d || (s.dayno == d - 1 && s.end > d * DAY_SECS))
        .max_by_key(|s| s.dayno);
    match touching {
        Some(s) => Reason::OutsideWindow { date: s.date },
        None => Reason::DayOff,
    }
}

/// The positions (into the stamps) of each slot's stamps, in time order:
/// a counting sort, linear.
fn by_slot(slot_of: &[u32], n: usize) -> Vec<Vec<u32>> {
    let mut counts = vec![0usize; n];
    for &s in slot_of {
        if let Some(c) = counts.get_mut(s as usize) {
            *c += 1;
        }
    }
    let mut out: Vec<Vec<u32>> = counts.into_iter().map(Vec::with_capacity).collect();
    for (p, &s) in slot_of.iter().enumerate() {
        if let Some(list) = out.get_mut(s as usize) {
            list.push(idx32(p));
        }
    }
    out
}

/// One shift's punches, in time order: duplicates and punches without the
/// direction counting needs are reported, the rest assigned with their
/// role; gives the seconds of the check-in and check-out counted.
fn count_slot(
    slot: &Slot,
    stamps: &[(i64, u32)],
    events: &[Event],
    out: &mut [EventOutcome],
) -> (Option<i64>, Option<i64>) {
    let w = slot.windows;
    let mut kept: Vec<(i64, u32)> = Vec::with_capacity(stamps.len());
    let mut last: Option<(i64, u32)> = None;
    for &(t, i) in stamps {
        let direction = events.get(i as usize).and_then(|e| e.direction);
        let reason = match last {
            Some((lt, li)) if t - lt <= i64::from(w.duplicate_within_seconds) => {
                Some(Reason::Duplicate { of: li })
            }
            _ if w.counts == Counting::ByDirection && direction.is_none() => {
                Some(Reason::NoDirection)
            }
            _ => None,
        };
        if let Some(o) = out.get_mut(i as usize) {
            o.clause = w.clause;
            o.fate = match reason {
                Some(reason) => Fate::Reported { reason },
                None => Fate::Assigned {
                    date: slot.date,
                    role: Role::Between,
                },
            };
        }
        if reason.is_none() || matches!(reason, Some(Reason::NoDirection)) {
            last = Some((t, i));
        }
        if reason.is_none() {
            kept.push((t, i));
        }
    }
    let (clock_in, clock_out) = counted(slot, &kept, events);
    for (at, role) in [(clock_in, Role::In), (clock_out, Role::Out)] {
        if let Some(o) = at
            .and_then(|k| kept.get(k))
            .and_then(|&(_, i)| out.get_mut(i as usize))
        {
            o.fate = Fate::Assigned {
                date: slot.date,
                role,
            };
        }
    }
    let secs = |at: Option<usize>| at.and_then(|k| kept.get(k)).map(|&(t, _)| t);
    (secs(clock_in), secs(clock_out))
}

/// Which of a shift's kept punches (in time order) are its check-in and
/// check-out, by the policy's way of counting.
fn counted(slot: &Slot, kept: &[(i64, u32)], events: &[Event]) -> (Option<usize>, Option<usize>) {
    let n = kept.len();
    let direction = |k: usize| {
        kept.get(k)
            .and_then(|&(_, i)| events.get(i as usize))
            .and_then(|e| e.direction)
    };
    match slot.windows.counts {
        _ if n == 0 => (None, None),
        Counting::FirstInLastOut if n == 1 => {
            // A lone punch: the check-in before the middle of the shift.
            let t = kept.first().map_or(0, |&(t, _)| t);
            if t - slot.start < slot.end - t {
                (Some(0), None)
            } else {
                (None, Some(0))
            }
        }
        Counting::FirstInLastOut => (Some(0), Some(n - 1)),
        Counting::Alternating => (Some(0), (n % 2 == 0).then(|| n - 1)),
        Counting::ByDirection => {
            let first_in = (0..n).find(|&k| direction(k) == Some(Direction::In));
            let last_out = (0..n)
                .rev()
                .find(|&k| direction(k) == Some(Direction::Out))
                .filter(|&k| first_in.is_none_or(|f| k > f));
            (first_in, last_out)
        }
    }
}

// ---------------------------------------------------------------- corrections

impl Policy {
    /// Decides one agent's correction requests of a month (补卡) against
    /// their `days`, in the order they were asked (by `asked_on`, then as
    /// given): refused when not approved, asked after the deadline, for a
    /// punch that is not missing, or over the month's limit; otherwise the
    /// day's punch is the time claimed. `out` receives one outcome per
    /// correction, in the order given. A punch left missing is what the
    /// attendance section's `missing_punch` says.
    ///
    /// ```
    /// use chrono::{NaiveDate, NaiveTime};
    /// use cs_policy::Policy;
    /// use cs_policy::attendance::{PunchSide, WorkDay};
    /// use cs_policy::punch::{Correction, Decision, Refusal};
    ///
    /// let policy = Policy::example("shop")?; // three a month, three working days
    /// let regular = policy.shift_ref("p3_regular").unwrap();
    /// let d = |day| NaiveDate::from_ymd_opt(2026, 3, day).unwrap();
    /// let mut days: Vec<WorkDay> = [2, 3, 4, 5].map(|day| WorkDay { date: d(day), shift: regular,
    ///     clock_in: d(day).and_hms_opt(9, 0, 0), clock_out: None, overtime_approved: false }).to_vec();
    /// let eighteen = NaiveTime::from_hms_opt(18, 0, 0).unwrap();
    /// let fix = |day| Correction { date: d(day), punch: PunchSide::Out, time: eighteen, asked_on: d(day), approved: true };
    /// let mut out = Vec::new();
    /// policy.correct_punches(&mut days, &[fix(2), fix(3), fix(4), fix(5)], &mut out)?;
    /// assert_eq!(out[3].decision, Decision::Refused { reason: Refusal::OverLimit { limit: 3 } });
    /// assert_eq!(policy.clause(out[3].clause)?.id(), "attendance.corrections");
    /// assert!(days[3].clock_out.is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn correct_punches(
        &self,
        days: &mut [WorkDay],
        corrections: &[Correction],
        out: &mut Vec<CorrectionOutcome>,
    ) -> Result<(), PunchError> {
        out.clear();
        if corrections.is_empty() {
            return Ok(());
        }
        let rules = self
            .attendance()
            .and_then(|a| a.corrections())
            .ok_or(PunchError::NoCorrectionRules)?;
        let mut order: Vec<usize> = (0..corrections.len()).collect();
        order.sort_by_key(|&i| corrections.get(i).map(|c| c.asked_on));
        let mut decided: Vec<Option<CorrectionOutcome>> = vec![None; corrections.len()];
        let mut used = 0u8;
        for i in order {
            let Some(c) = corrections.get(i) else {
                continue;
            };
            let outcome = self.correct_one(i, c, rules, days, &mut used)?;
            if let Some(slot) = decided.get_mut(i) {
                *slot = Some(outcome);
            }
        }
        out.extend(decided.into_iter().flatten());
        Ok(())
    }

    /// One correction decided, and the day's punch set when it is used.
    fn correct_one(
        &self,
        index: usize,
        c: &Correction,
        rules: &CorrectionRules,
        days: &mut [WorkDay],
        used: &mut u8,
    ) -> Result<CorrectionOutcome, PunchError> {
        let no_shift = PunchError::CorrectionWithoutShift {
            index,
            date: c.date,
        };
        let day = days.iter_mut().find(|d| d.date == c.date).ok_or(no_shift)?;
        if c.asked_on < c.date {
            return Err(PunchError::AskedBeforeShift {
                index,
                date: c.date,
                asked_on: c.asked_on,
            });
        }
        let time = self.claimed(day, c)?;
        let deadline = rules.deadline(self, c.date)?;
        let punch = match c.punch {
            PunchSide::In => &mut day.clock_in,
            PunchSide::Out => &mut day.clock_out,
        };
        let refusal = if !c.approved {
            Some(Refusal::NotApproved)
        } else if c.asked_on > deadline {
            Some(Refusal::PastDeadline { deadline })
        } else if let Some(at) = *punch {
            Some(Refusal::Recorded { at })
        } else if *used >= rules.per_month {
            Some(Refusal::OverLimit {
                limit: rules.per_month,
            })
        } else {
            None
        };
        let decision = match refusal {
            Some(reason) => Decision::Refused { reason },
            None => {
                *used += 1;
                *punch = Some(time);
                Decision::Used { number: *used }
            }
        };
        Ok(CorrectionOutcome {
            date: c.date,
            punch: c.punch,
            time,
            decision,
            clause: rules.clause,
        })
    }

    /// The claimed time on the day that puts it nearest the shift's start
    /// (a check-in) or end (a check-out).
    fn claimed(&self, day: &WorkDay, c: &Correction) -> Result<NaiveDateTime, PunchError> {
        let hours = self
            .shifts()
            .and_then(|s| s.get(day.shift))
            .map(|t| t.hours(day.date.weekday()))
            .ok_or(PunchError::UnknownShiftRef {
                date: day.date,
                shift: day.shift.id().to_owned(),
            })?;
        let minute = match c.punch {
            PunchSide::In => hours.start_minute(),
            PunchSide::Out => hours.end_minute(),
        };
        let target = i64::from(minute) * 60;
        let at = i64::from(c.time.num_seconds_from_midnight());
        let offset = [-1i64, 0, 1]
            .into_iter()
            .min_by_key(|k| (k * DAY_SECS + at - target).abs())
            .unwrap_or(0);
        let date = match offset {
            -1 => day.date.checked_sub_days(Days::new(1)),
            1 => day.date.checked_add_days(Days::new(1)),
            _ => Some(day.date),
        };
        Ok(date.unwrap_or(day.date).and_time(c.time))
    }
}
