//! Follow-up call schedules, call quotas and response-time promises.
//!
//! The `[followup]` section of a policy file. Call plans are data: each
//! planned call has a due window anchored on a fact date of the member.
//!
//! ```toml
//! [followup.calls.first]
//! source = "001 ch.4"
//! anchor = "card_received"
//! closes = { hours = 48 }
//!
//! [followup.calls.fourth]
//! anchor = "parents_meeting"
//! opens = { weeks = -3 }
//! closes = { weeks = -2 }
//!
//! [followup.quotas.effective_calls]
//! per_day = 15
//! counts = "effective_outgoing"
//! less_per_home_visit = 5
//!
//! [followup.promises.answer_by_ring]
//! max_rings = 3
//! ```
//!
//! A window that names only months, weeks, days or working days is counted
//! in whole days: it opens at the start of its first day and closes at the
//! end of its last. One that names hours or minutes is exact to the minute.

use std::borrow::Cow;

use chrono::{Datelike, Days, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Weekday};
use serde::{Deserialize, Serialize};

use crate::Policy;
pub use crate::calendar::LeapDay;
use crate::calendar::{Calendar, DayCount};
use crate::explain::{ClauseRef, PolicyTag, Ref};
use crate::policy::ProblemCode;
use crate::policy::read::{Loader, Node, PairWords, Table, choices};

choices! {
    /// The fact date a planned call's window is anchored on.
    ///
    /// ```
    /// use cs_policy::followup::Anchor;
    /// let policy = cs_policy::Policy::example("education")?;
    /// let f = policy.followup().unwrap();
    /// assert_eq!(f.calls()[0].anchor(), Anchor::CardReceived);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum Anchor as "an anchor date" {
        /// When the department received the member's service card.
        CardReceived => "card_received",
        /// The day of the deal.
        Deal => "deal",
        /// The parents' meeting (the fourth call hangs on it).
        ParentsMeeting => "parents_meeting",
        /// The member's birthday, every year.
        Birthday => "birthday",
    }
}

choices! {
    /// Which week "the last week of the month" is, when the birthday list is
    /// printed (a gap in the handbook: the policy says).
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("education")?;
    /// // The last seven days of the previous month.
    /// let plan = policy.birthday_plan(&[], 2026, 5).unwrap();
    /// assert_eq!(plan.list_by, chrono::NaiveDate::from_ymd_opt(2026, 4, 30).unwrap());
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum LastWeek as "a last week of the month" {
        /// The month's last seven days.
        LastSevenDays => "last_seven_days",
        /// The last full calendar week (from the calendar's `week_starts`) inside the month.
        LastCalendarWeek => "last_calendar_week",
    }
}

choices! {
    /// In which week a birthday card is made (a gap in the handbook: the policy says).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::followup::Member;
    /// let policy = cs_policy::Policy::example("education")?;
    /// let m = Member { id: "M".into(), deal: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
    ///     birthday: NaiveDate::from_ymd_opt(2020, 5, 20), ..Default::default() };
    /// // Wednesday 20 May 2026: the card is made from Wednesday 13 May, the week before.
    /// let plan = policy.birthday_plan(std::slice::from_ref(&m), 2026, 5).unwrap();
    /// assert_eq!(plan.cards[0].card_from, NaiveDate::from_ymd_opt(2026, 5, 13).unwrap());
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum CardWeek as "a card week" {
        /// The card-making weekday of the birthday's own week.
        Same => "same",
        /// The card-making weekday of the week before the birthday's week.
        Previous => "previous",
    }
}

choices! {
    /// Which calls a daily quota counts.
    ///
    /// ```
    /// use cs_policy::followup::{DayLog, QuotaCounts};
    /// let policy = cs_policy::Policy::example("education")?;
    /// let day = DayLog { date: chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(), ..Default::default() };
    /// assert_eq!(policy.day_report(&day).unwrap().quotas[0].counts, QuotaCounts::EffectiveOutgoing);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum QuotaCounts as "a kind of counted call" {
        /// Effective outgoing calls; incoming calls never count.
        EffectiveOutgoing => "effective_outgoing",
        /// Outgoing calls to unverified registered users.
        UnverifiedOutgoing => "unverified_outgoing",
    }
}

/// A member of the follow-up programme, with the fact dates calls hang on.
///
/// ```
/// use chrono::NaiveDate;
/// let m = cs_policy::followup::Member {
///     id: "M1".into(),
///     deal: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
///     ..Default::default()
/// };
/// assert!(m.card_received.is_none());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Member {
    /// The member's id, as call logs name it.
    pub id: String,
    /// The day of the deal; the member exists from that day.
    pub deal: NaiveDate,
    /// When the department received the service card.
    pub card_received: Option<NaiveDateTime>,
    /// The parents' meeting, once known.
    pub parents_meeting: Option<NaiveDate>,
    /// The member's date of birth.
    pub birthday: Option<NaiveDate>,
    /// Whether the member is a VIP (their call records are filed apart).
    pub vip: bool,
}

/// One call in the call log: which member, which planned call, when.
///
/// ```
/// let c = cs_policy::followup::LoggedCall {
///     member: "M1".into(),
///     call: "first".into(),
///     at: chrono::NaiveDate::from_ymd_opt(2026, 3, 3).unwrap().and_hms_opt(10, 0, 0).unwrap(),
/// };
/// assert_eq!(c.call, "first");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggedCall {
    /// The member's id.
    pub member: String,
    /// The planned call's id in the policy (`[followup.calls.<id>]`).
    pub call: String,
    /// When the call was made.
    pub at: NaiveDateTime,
}

/// A bad fact, or a rule the policy does not have.
///
/// ```
/// use cs_policy::followup::FollowupError;
/// let policy = cs_policy::Policy::example("property")?;
/// assert_eq!(policy.birthday_plan(&[], 2026, 3), Err(FollowupError::NoRule("birthday")));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FollowupError {
    /// A date the holiday calendars do not cover.
    #[error(transparent)]
    Calendar(#[from] crate::calendar::CalendarError),
    /// The policy has no `[followup]` section.
    #[error("the policy has no `[followup]` section; add one to evaluate follow-up calls")]
    NoFollowup,
    /// The `[followup]` section lacks the table a question needs.
    #[error("the policy's `[followup]` section has no `{0}` table; add it to answer this")]
    NoRule(&'static str),
    /// A call log entry names a member not given.
    #[error("call log entry {index} names member `{member}`, who is not among the members given")]
    UnknownMember {
        /// Index in the log.
        index: usize,
        /// The id given.
        member: String,
    },
    /// Two members with the same id.
    #[error("member `{member}` is given twice; member ids must be unique")]
    DuplicateMember {
        /// The id.
        member: String,
    },
    /// A call log entry names a call the policy does not plan.
    #[error("call log entry {index} names call `{call}`, which `[followup.calls]` does not plan")]
    UnknownCall {
        /// Index in the log.
        index: usize,
        /// The id given.
        call: String,
    },
    /// An id asked for that the policy does not define.
    #[error("`[followup.{table}]` has no `{id}`; ask for an id the policy defines")]
    UnknownId {
        /// The table asked (`calls`, `quotas`).
        table: &'static str,
        /// The id asked for.
        id: String,
    },
    /// A reference made by another policy.
    #[error(
        "`{id}` of `[followup.{table}]` was looked up in another policy; look it up again in the policy asked"
    )]
    Foreign {
        /// The table it names (`calls`, `quotas`).
        table: &'static str,
        /// Its id.
        id: String,
    },
    /// A measurement that does not fit the promise asked about.
    #[error("promise `{promise}` is measured as {expects}")]
    Measure {
        /// The promise's key.
        promise: &'static str,
        /// What it takes.
        expects: &'static str,
    },
    /// A call logged before the member existed.
    #[error(
        "call log entry {index} for member `{member}` is at {at}, before the member's deal on {deal}"
    )]
    CallBeforeMember {
        /// Index in the log.
        index: usize,
        /// The member.
        member: String,
        /// When the call is logged.
        at: NaiveDateTime,
        /// The deal day.
        deal: NaiveDate,
    },
    /// A service card received before the deal.
    #[error("member `{member}` has a service card received at {at}, before the deal on {deal}")]
    CardBeforeDeal {
        /// The member.
        member: String,
        /// When the card is said to be received.
        at: NaiveDateTime,
        /// The deal day.
        deal: NaiveDate,
    },
    /// A call logged for a planned call whose anchor date the member lacks.
    #[error(
        "call log entry {index} is call `{call}` for member `{member}`, who has no {anchor:?} date; give it"
    )]
    AnchorMissing {
        /// Index in the log.
        index: usize,
        /// The member.
        member: String,
        /// The call.
        call: String,
        /// The anchor the call needs.
        anchor: Anchor,
    },
    /// A record of a day's log that is not on that day.
    #[error("{what} {index} is at {at}, not on the day of the log {date}")]
    OffDay {
        /// Which list.
        what: &'static str,
        /// Index in that list.
        index: usize,
        /// Its time.
        at: NaiveDateTime,
        /// The day of the log.
        date: NaiveDate,
    },
    /// A reply before the message it answers.
    #[error("{what} {index} is answered at {reply}, before it was received at {received}")]
    ReplyBeforeReceipt {
        /// Which list.
        what: &'static str,
        /// Index in that list.
        index: usize,
        /// When it arrived.
        received: NaiveDateTime,
        /// The reply.
        reply: NaiveDateTime,
    },
    /// A customer grade the policy does not define.
    #[error(
        "customer `{customer}` has grade `{grade}`, which `[followup.revisit.grades]` does not define"
    )]
    UnknownGrade {
        /// The customer.
        customer: String,
        /// The grade given.
        grade: String,
    },
    /// A date outside the representable calendar.
    #[error("a date near {0} is outside the calendar")]
    DateOverflow(NaiveDate),
}

/// An offset from an anchor, as the policy writes it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Offset {
    months: i32,
    days: i64,
    working_days: i32,
    minutes: i64,
    exact: bool,
}

/// A due window: opens and closes, both inclusive.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::{Policy, followup::Member};
/// let policy = Policy::example("education")?;
/// let m = Member { id: "M1".into(), deal: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(), ..Default::default() };
/// let due = policy.calls_due(std::slice::from_ref(&m), NaiveDate::from_ymd_opt(2026, 3, 16).unwrap()).unwrap();
/// assert_eq!(due[0].window.closes.date(), NaiveDate::from_ymd_opt(2026, 3, 16).unwrap());
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    /// The first moment the call counts.
    pub opens: NaiveDateTime,
    /// The last moment the call is on time.
    pub closes: NaiveDateTime,
}

/// A reference to one planned call of a policy: `Copy`, written as the
/// call's id (`second`), resolved with [`FollowupRules::call`].
///
/// ```
/// let policy = cs_policy::Policy::example("education")?;
/// let third = policy.call_ref("third")?;
/// assert_eq!(serde_json::to_string(&third)?, r#""third""#);
/// assert_eq!(policy.followup().unwrap().call(third).unwrap().id(), "third");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub type CallRef = Ref<CallPlan>;

/// One planned call: a window anchored on a date of the member.
///
/// ```
/// let policy = cs_policy::Policy::example("education")?;
/// let first = &policy.followup().unwrap().calls()[0];
/// assert_eq!(first.id(), "first");
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone)]
pub struct CallPlan {
    reference: CallRef,
    anchor: Anchor,
    opens: Offset,
    closes: Offset,
    leap_day: LeapDay,
    clause: ClauseRef,
}

impl CallPlan {
    /// The call's id (`[followup.calls.<id>]`).
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("education")?;
    /// assert_eq!(policy.followup().unwrap().calls()[1].id(), "second");
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn id(&self) -> &str {
        self.reference.id()
    }

    /// A reference to the call, as results carry it.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("education")?;
    /// let second = &policy.followup().unwrap().calls()[1];
    /// assert_eq!(second.reference(), policy.call_ref("second")?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reference(&self) -> CallRef {
        self.reference
    }

    /// The fact date its window hangs on.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("education")?;
    /// let fourth = &policy.followup().unwrap().calls()[3];
    /// assert_eq!(fourth.anchor(), cs_policy::followup::Anchor::ParentsMeeting);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn anchor(&self) -> Anchor {
        self.anchor
    }

    /// Its clause.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("education")?;
    /// let first = &policy.followup().unwrap().calls()[0];
    /// assert_eq!(first.clause().id(), "followup.calls.first");
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn clause(&self) -> ClauseRef {
        self.clause
    }
}

/// A call due on a date, with its window.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::{Policy, followup::Member};
/// let policy = Policy::example("education")?;
/// let m = Member { id: "M1".into(), deal: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(), ..Default::default() };
/// let due = policy.calls_due(std::slice::from_ref(&m), NaiveDate::from_ymd_opt(2026, 3, 3).unwrap()).unwrap();
/// assert_eq!((&*due[0].member, due[0].call.id()), ("M1", "second"));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DueCall<'m> {
    /// The member's id, borrowed from the members given (owned once read back).
    pub member: Cow<'m, str>,
    /// The planned call.
    pub call: CallRef,
    /// Its window.
    pub window: Window,
    /// The call's clause.
    pub clause: ClauseRef,
}

/// How a planned call went.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::followup::{CallStatus, Member};
/// let policy = cs_policy::Policy::example("education")?;
/// let m = Member { id: "M1".into(), deal: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(), ..Default::default() };
/// let as_of = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap().and_hms_opt(0, 0, 0).unwrap();
/// let checks = policy.check_calls(std::slice::from_ref(&m), &[], as_of).unwrap();
/// assert!(checks.iter().all(|c| c.status == CallStatus::Pending));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CallStatus {
    /// Made inside the window.
    Met,
    /// Made after the window closed, by this many minutes.
    Late {
        /// Minutes after the window closed.
        minutes: i64,
    },
    /// Made before the window opened, by this many minutes (and none inside it).
    Early {
        /// Minutes before the window opened.
        minutes: i64,
    },
    /// Not made, and the window has closed.
    Missed,
    /// Not made yet; the window has not closed.
    Pending,
}

/// One planned call checked against the call log.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::{Policy, followup::{CallStatus, Member}};
/// let policy = Policy::example("education")?;
/// let m = Member { id: "M1".into(), deal: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(), ..Default::default() };
/// let as_of = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
/// let checks = policy.check_calls(std::slice::from_ref(&m), &[], as_of).unwrap();
/// assert!(checks.iter().all(|c| c.status == CallStatus::Missed));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallCheck<'m> {
    /// The member's id, borrowed from the members given (owned once read back).
    pub member: Cow<'m, str>,
    /// The planned call.
    pub call: CallRef,
    /// Its window.
    pub window: Window,
    /// How it went.
    pub status: CallStatus,
    /// The log entry that decided it, if any: its place in the log given
    /// (a log entry has no id of its own).
    pub logged: Option<usize>,
    /// The call's clause.
    pub clause: ClauseRef,
}

/// Birthday preparation for a month: when the list is printed, and the cards.
///
/// ```
/// use cs_policy::Policy;
/// let policy = Policy::example("education")?;
/// let plan = policy.birthday_plan(&[], 2026, 3).unwrap();
/// assert_eq!(plan.list_from, chrono::NaiveDate::from_ymd_opt(2026, 2, 22).unwrap());
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BirthdayPlan<'m> {
    /// First day of the week the month's birthday list is printed.
    pub list_from: NaiveDate,
    /// Last day of that week (the previous month's last day or earlier).
    pub list_by: NaiveDate,
    /// One card per member whose birthday falls in the month.
    pub cards: Vec<BirthdayCard<'m>>,
    /// The clause.
    pub clause: ClauseRef,
}

/// A birthday card to make.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::followup::Member;
/// let policy = cs_policy::Policy::example("education")?;
/// let m = Member { id: "M".into(), deal: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
///     birthday: NaiveDate::from_ymd_opt(2020, 6, 1), vip: true, ..Default::default() };
/// let plan = policy.birthday_plan(std::slice::from_ref(&m), 2026, 6).unwrap();
/// assert!(plan.cards[0].vip);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BirthdayCard<'m> {
    /// The member's id, borrowed from the members given (owned once read back).
    pub member: Cow<'m, str>,
    /// The birthday this year.
    pub birthday: NaiveDate,
    /// The day card-making for it starts.
    pub card_from: NaiveDate,
    /// Whether the call record is filed with the VIP records.
    pub vip: bool,
}

/// The data-entry deadlines of a service card.
///
/// ```
/// use chrono::NaiveDate;
/// let policy = cs_policy::Policy::example("education")?;
/// let card = NaiveDate::from_ymd_opt(2026, 3, 4).unwrap().and_hms_opt(11, 0, 0).unwrap();
/// let e = policy.data_entry(card, None).unwrap();
/// assert_eq!(e.entry_due.date(), NaiveDate::from_ymd_opt(2026, 3, 10).unwrap());
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataEntry {
    /// When the card's batch must reach the department (Monday evening).
    pub batch_due: NaiveDateTime,
    /// The day entry starts (the batch's Monday).
    pub entry_starts: NaiveDate,
    /// When entry must be complete (Tuesday evening).
    pub entry_due: NaiveDateTime,
    /// Whether the entry given was on time (`None` when not given).
    pub on_time: Option<bool>,
    /// The clause.
    pub clause: ClauseRef,
}

/// Which way a call went.
///
/// ```
/// use cs_policy::followup::{Call, DayLog, Direction};
/// let policy = cs_policy::Policy::example("education")?;
/// let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
/// let call = Call { at: date.and_hms_opt(9, 0, 0).unwrap(), direction: Direction::Incoming, effective: true, ..Default::default() };
/// // Incoming calls do not count towards the 15.
/// let report = policy.day_report(&DayLog { date, calls: vec![call], ..Default::default() }).unwrap();
/// assert_eq!(report.quotas[0].made, 0);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The customer called in.
    #[default]
    Incoming,
    /// The agent called out.
    Outgoing,
}

/// One phone call of an agent's day.
///
/// ```
/// let c = cs_policy::followup::Call::default();
/// assert_eq!(c.direction, cs_policy::followup::Direction::Incoming);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Call {
    /// When the call started.
    pub at: NaiveDateTime,
    /// Incoming or outgoing.
    pub direction: Direction,
    /// Whether it counts as an effective call (reached the customer, on business).
    pub effective: bool,
    /// Whether it went to an unverified registered user.
    pub to_unverified: bool,
    /// For an incoming call: the ring it was answered on.
    pub rings: Option<u8>,
    /// How long the call lasted, in seconds.
    pub duration_secs: u32,
    /// Seconds waited before hanging up; `None` when the customer hung up first.
    pub hang_up_wait_secs: Option<u32>,
}

/// What a chat message asks.
///
/// ```
/// assert_eq!(cs_policy::followup::ChatKind::default(), cs_policy::followup::ChatKind::Basic);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ChatKind {
    /// A basic question from the question list.
    #[default]
    Basic,
    /// An online enquiry.
    Enquiry,
}

/// One chat conversation's first message and first reply.
///
/// ```
/// let c = cs_policy::followup::Chat::default();
/// assert!(c.first_reply.is_none());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Chat {
    /// When the customer's message arrived.
    pub received: NaiveDateTime,
    /// When the agent first replied.
    pub first_reply: Option<NaiveDateTime>,
    /// What the message asks.
    pub kind: ChatKind,
}

/// A complaint or enquiry received by phone.
///
/// ```
/// let r = cs_policy::followup::Request::default();
/// assert!(r.answered.is_none());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Request {
    /// When it was received.
    pub received: NaiveDateTime,
    /// When the customer got the answer.
    pub answered: Option<NaiveDateTime>,
    /// When the customer was called and told when the answer will come.
    pub callback_promised: Option<NaiveDateTime>,
    /// When the supervisor was consulted, if the answer was not immediate.
    pub consulted_supervisor: Option<NaiveDateTime>,
}

/// A paid-service visit.
///
/// ```
/// let v = cs_policy::followup::Visit::default();
/// assert!(!v.door_answered);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Visit {
    /// The appointment time.
    pub appointment: NaiveDateTime,
    /// When the worker arrived.
    pub arrived: NaiveDateTime,
    /// Whether anyone answered the door.
    pub door_answered: bool,
    /// Minutes waited at an unanswered door.
    pub waited_minutes: u32,
    /// Whether a notice card was left at an unanswered door.
    pub card_left: bool,
}

/// A closed pre-sale, after-sale or complaint case.
///
/// ```
/// let c = cs_policy::followup::Case::default();
/// assert!(c.followup_call.is_none());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Case {
    /// When the case was closed.
    pub closed: NaiveDateTime,
    /// When the follow-up call was made.
    pub followup_call: Option<NaiveDateTime>,
}

/// One agent's day: calls, chats, requests, visits and cases.
///
/// ```
/// let day = cs_policy::followup::DayLog::default();
/// assert!(day.calls.is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DayLog {
    /// The day.
    pub date: NaiveDate,
    /// How many home visits the agent made that day.
    pub home_visits: u32,
    /// Phone calls.
    pub calls: Vec<Call>,
    /// Chats.
    pub chats: Vec<Chat>,
    /// Complaints and enquiries by phone.
    pub requests: Vec<Request>,
    /// Paid-service visits.
    pub visits: Vec<Visit>,
    /// Cases closed.
    pub cases: Vec<Case>,
}

/// Which promise a check is about.
///
/// ```
/// use cs_policy::followup::Promise;
/// assert_eq!(Promise::AnswerByRing.key(), "answer_by_ring");
/// let policy = cs_policy::Policy::example("property")?;
/// assert!(policy.followup().unwrap().has_promise(Promise::DoorWait));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Promise {
    /// An answer the same day, or a call saying when.
    SameDayAnswer,
    /// Answered by the n-th ring.
    AnswerByRing,
    /// A wait before hanging up.
    HangUpWait,
    /// Call length.
    CallLength,
    /// First reply to a basic chat question.
    ChatFirstReply,
    /// First reply to an online enquiry.
    EnquiryReply,
    /// Reply after consulting the supervisor.
    AfterSupervisorReply,
    /// Arrival before the appointment.
    VisitArrival,
    /// Waiting at an unanswered door, then a card.
    DoorWait,
    /// A follow-up call after each case.
    CaseFollowup,
}

impl Promise {
    /// The key of the promise's table in `[followup.promises]`.
    ///
    /// ```
    /// assert_eq!(cs_policy::followup::Promise::CaseFollowup.key(), "case_followup");
    /// ```
    pub const fn key(self) -> &'static str {
        PROMISE_KEYS[self as usize]
    }
}

const PROMISE_KEYS: [&str; 10] = [
    "same_day_answer",
    "answer_by_ring",
    "hang_up_wait",
    "call_length",
    "chat_first_reply",
    "enquiry_reply",
    "after_supervisor_reply",
    "visit_arrival",
    "door_wait",
    "case_followup",
];

const PROMISES: [Promise; 10] = [
    Promise::SameDayAnswer,
    Promise::AnswerByRing,
    Promise::HangUpWait,
    Promise::CallLength,
    Promise::ChatFirstReply,
    Promise::EnquiryReply,
    Promise::AfterSupervisorReply,
    Promise::VisitArrival,
    Promise::DoorWait,
    Promise::CaseFollowup,
];

/// What was measured for a promise.
///
/// ```
/// use cs_policy::followup::{Call, DayLog, Measured, Promise};
/// let policy = cs_policy::Policy::example("shop")?;
/// let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
/// let call = Call { at: date.and_hms_opt(9, 0, 0).unwrap(), duration_secs: 420, ..Default::default() };
/// let report = policy.day_report(&DayLog { date, calls: vec![call], ..Default::default() }).unwrap();
/// let length = report.promises.iter().find(|p| p.promise == Promise::CallLength).unwrap();
/// assert_eq!((length.kept, length.measured), (false, Measured::Seconds(420)));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Measured {
    /// Answered on this ring.
    Rings(u8),
    /// Seconds (a wait, a call, a reply).
    Seconds(i64),
    /// Minutes (an arrival before the appointment, negative when late; a wait; a follow-up).
    Minutes(i64),
    /// Answered the same day.
    AnsweredSameDay,
    /// Not answered the same day, but the customer was called and told when.
    CallbackPromised,
    /// Neither answered nor told when.
    Unanswered,
    /// Nothing happened (no reply, no follow-up call).
    Nothing,
    /// Waited this many minutes at the door; whether a card was left.
    DoorWait {
        /// Minutes waited.
        minutes: u32,
        /// Card left.
        card_left: bool,
    },
}

/// One promise checked against one record of the day.
///
/// ```
/// use cs_policy::followup::{Chat, DayLog, Promise};
/// let policy = cs_policy::Policy::example("shop")?;
/// let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
/// let chat = Chat { received: date.and_hms_opt(9, 0, 0).unwrap(), first_reply: date.and_hms_opt(9, 0, 45), ..Default::default() };
/// let report = policy.day_report(&DayLog { date, chats: vec![chat], ..Default::default() }).unwrap();
/// assert!(report.promises[0].kept);
/// assert_eq!((report.promises[0].clause).id(), "followup.promises.chat_first_reply");
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PromiseCheck {
    /// Which promise.
    pub promise: Promise,
    /// The record's place in its list of the [`DayLog`] (a record has no id
    /// of its own).
    pub record: usize,
    /// Whether the promise was kept.
    pub kept: bool,
    /// What was measured.
    pub measured: Measured,
    /// The promise's clause.
    pub clause: ClauseRef,
}

/// A daily quota checked.
///
/// ```
/// use cs_policy::followup::DayLog;
/// let policy = cs_policy::Policy::example("education")?;
/// let day = DayLog { date: chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(), home_visits: 1, ..Default::default() };
/// // Five fewer per home visit in this policy.
/// assert_eq!(policy.day_report(&day).unwrap().quotas[0].required, 10);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuotaCheck {
    /// The quota.
    pub quota: QuotaRef,
    /// What it counts.
    pub counts: QuotaCounts,
    /// Calls required that day (after any home-visit reduction).
    pub required: u32,
    /// Calls made that count.
    pub made: u32,
    /// Whether the quota was met.
    pub kept: bool,
    /// The quota's clause.
    pub clause: ClauseRef,
}

/// A day's quotas and promises, each kept or broken with its clause.
///
/// ```
/// use cs_policy::{Policy, followup::DayLog};
/// let policy = Policy::example("education")?;
/// let day = DayLog { date: chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(), ..Default::default() };
/// let report = policy.day_report(&day).unwrap();
/// assert_eq!((report.quotas[0].required, report.quotas[0].kept), (15, false));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayReport {
    /// Every quota of the policy.
    pub quotas: Vec<QuotaCheck>,
    /// Every promise that applies to a record of the day.
    pub promises: Vec<PromiseCheck>,
}

impl DayReport {
    /// The promises broken.
    ///
    /// ```
    /// use cs_policy::followup::DayLog;
    /// let policy = cs_policy::Policy::example("education")?;
    /// let day = DayLog { date: chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(), ..Default::default() };
    /// assert_eq!(policy.day_report(&day).unwrap().broken().count(), 0);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn broken(&self) -> impl Iterator<Item = &PromiseCheck> {
        self.promises.iter().filter(|p| !p.kept)
    }
}

/// A customer to revisit.
///
/// ```
/// let c = cs_policy::followup::Customer { id: "K1".into(), grade: "a".into(), last_visit: chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap() };
/// assert_eq!(c.grade, "a");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    /// The customer's id.
    pub id: String,
    /// The customer's grade, an id of `[followup.revisit.grades]`.
    pub grade: String,
    /// The last revisit (or first contact).
    pub last_visit: NaiveDate,
}

/// When a customer is next revisited.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::{Policy, followup::Customer};
/// let policy = Policy::example("fintech")?;
/// let c = Customer { id: "K1".into(), grade: "a".into(), last_visit: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap() };
/// let due = policy.revisit_due(&c, NaiveDate::from_ymd_opt(2026, 3, 3).unwrap()).unwrap();
/// assert!(!due.overdue);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevisitDue {
    /// The day the next revisit is due.
    pub due: NaiveDate,
    /// Whether it is overdue on the day asked.
    pub overdue: bool,
    /// The grade's clause.
    pub clause: ClauseRef,
}

impl DueCall<'_> {
    /// The same call, owning its member's id, to keep past the members given.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::{Policy, followup::{DueCall, Member}};
    /// let policy = Policy::example("education")?;
    /// let kept: Vec<DueCall<'static>> = {
    ///     let m = Member { id: "M1".into(), deal: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(), ..Default::default() };
    ///     let due = policy.calls_due(std::slice::from_ref(&m), NaiveDate::from_ymd_opt(2026, 3, 3).unwrap()).unwrap();
    ///     due.into_iter().map(DueCall::into_owned).collect()
    /// };
    /// assert_eq!(kept[0].member, "M1");
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn into_owned(self) -> DueCall<'static> {
        DueCall {
            member: Cow::Owned(self.member.into_owned()),
            call: self.call,
            window: self.window,
            clause: self.clause,
        }
    }
}

impl CallCheck<'_> {
    /// The same check, owning its member's id, to keep past the members given.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::{Policy, followup::{CallCheck, Member}};
    /// let policy = Policy::example("education")?;
    /// let as_of = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
    /// let kept: Vec<CallCheck<'static>> = {
    ///     let m = Member { id: "M1".into(), deal: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(), ..Default::default() };
    ///     let checks = policy.check_calls(std::slice::from_ref(&m), &[], as_of).unwrap();
    ///     checks.into_iter().map(CallCheck::into_owned).collect()
    /// };
    /// assert!(kept.iter().all(|c| c.member == "M1"));
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn into_owned(self) -> CallCheck<'static> {
        CallCheck {
            member: Cow::Owned(self.member.into_owned()),
            call: self.call,
            window: self.window,
            status: self.status,
            logged: self.logged,
            clause: self.clause,
        }
    }
}

impl BirthdayPlan<'_> {
    /// The same plan, owning its members' ids, to keep past the members given.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::{Policy, followup::{BirthdayPlan, Member}};
    /// let policy = Policy::example("education")?;
    /// let kept: BirthdayPlan<'static> = {
    ///     let m = Member { id: "M1".into(), deal: NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
    ///         birthday: NaiveDate::from_ymd_opt(2021, 3, 12), ..Default::default() };
    ///     policy.birthday_plan(std::slice::from_ref(&m), 2026, 3).unwrap().into_owned()
    /// };
    /// assert_eq!(kept.cards[0].member, "M1");
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn into_owned(self) -> BirthdayPlan<'static> {
        BirthdayPlan {
            list_from: self.list_from,
            list_by: self.list_by,
            cards: self
                .cards
                .into_iter()
                .map(|c| BirthdayCard {
                    member: Cow::Owned(c.member.into_owned()),
                    birthday: c.birthday,
                    card_from: c.card_from,
                    vip: c.vip,
                })
                .collect(),
            clause: self.clause,
        }
    }
}

/// A call made to a member: which planned call, and when. The member's
/// calls so far are what [`Policy::next_call`] is told.
///
/// ```
/// let policy = cs_policy::Policy::example("education")?;
/// let at = chrono::NaiveDate::from_ymd_opt(2026, 3, 3).unwrap().and_hms_opt(10, 0, 0).unwrap();
/// let made = cs_policy::followup::MadeCall { call: policy.call_ref("first")?, at };
/// assert_eq!(serde_json::to_string(&made)?, r#"{"call":"first","at":"2026-03-03T10:00:00"}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MadeCall {
    /// The planned call.
    pub call: CallRef,
    /// When it was made.
    pub at: NaiveDateTime,
}

/// The window of the call a member is due next.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::{Policy, followup::{Member, NextCall}};
/// let policy = Policy::example("education")?;
/// let m = Member { id: "M1".into(), deal: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(), ..Default::default() };
/// let at = NaiveDate::from_ymd_opt(2026, 3, 3).unwrap().and_hms_opt(9, 0, 0).unwrap();
/// let NextCall::Due(next) = policy.next_call(&m, &[], at)? else { panic!() };
/// assert!(next.open);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallWindow {
    /// The planned call.
    pub call: CallRef,
    /// Its window (for a birthday call, that year's).
    pub window: Window,
    /// Whether the window is open at the moment asked; else it opens later.
    pub open: bool,
    /// The call's clause.
    pub clause: ClauseRef,
}

/// Which call a member is due next, as of a moment (see
/// [`Policy::next_call`]).
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::{Policy, followup::{Anchor, Member, NextCall}};
/// let policy = Policy::example("education")?;
/// // Six months on, the first three calls are missed; the fourth waits on
/// // the parents' meeting, which is not known yet.
/// let deal = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
/// let m = Member { id: "M1".into(), deal, card_received: deal.and_hms_opt(10, 0, 0), ..Default::default() };
/// let at = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap().and_hms_opt(9, 0, 0).unwrap();
/// let next = policy.next_call(&m, &[], at)?;
/// assert!(matches!(next, NextCall::AwaitingDate { anchor: Anchor::ParentsMeeting, .. }));
/// assert_eq!(serde_json::from_str::<NextCall>(&serde_json::to_string(&next)?)?, next);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum NextCall {
    /// The call to make next: of the calls still to make, the one whose
    /// window closes first.
    Due(CallWindow),
    /// No call is open or ahead; the next one hangs on a date the member's
    /// facts do not give yet (such as the parents' meeting).
    AwaitingDate {
        /// The first such call, in the policy's order.
        call: CallRef,
        /// The date it needs.
        anchor: Anchor,
        /// The call's clause.
        clause: ClauseRef,
    },
    /// No call is open or ahead, and some were never made.
    NoneDue {
        /// How many planned calls closed without a call.
        missed: u16,
    },
    /// Every planned call is made.
    AllMade,
}

/// Whether one promise was kept (see [`Policy::promise_kept`]).
///
/// ```
/// use cs_policy::followup::{Measured, Promise};
/// let policy = cs_policy::Policy::example("education")?;
/// let v = policy.promise_kept(Promise::AnswerByRing, Measured::Rings(3))?;
/// assert!(v.kept);
/// assert_eq!(v.clause.id(), "followup.promises.answer_by_ring");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PromiseVerdict {
    /// Whether the promise was kept.
    pub kept: bool,
    /// The promise's clause.
    pub clause: ClauseRef,
}

/// A daily call quota of the policy (`[followup.quotas.<id>]`).
///
/// ```
/// let policy = cs_policy::Policy::example("education")?;
/// let quota = &policy.followup().unwrap().quotas()[0];
/// assert_eq!((quota.id(), quota.per_day()), ("effective_calls", 15));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Quota {
    reference: QuotaRef,
    clause: ClauseRef,
    per_day: u32,
    counts: QuotaCounts,
    home_visit: HomeVisit,
}

/// A reference to one daily quota of a policy: `Copy`, written as the
/// quota's id, resolved with [`FollowupRules::quota`].
///
/// ```
/// let policy = cs_policy::Policy::example("education")?;
/// let quota = policy.quota_ref("effective_calls")?;
/// assert_eq!(serde_json::to_string(&quota)?, r#""effective_calls""#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub type QuotaRef = Ref<Quota>;

impl Quota {
    /// The quota's id (`[followup.quotas.<id>]`).
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("education")?;
    /// assert_eq!(policy.followup().unwrap().quotas()[0].id(), "effective_calls");
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn id(&self) -> &str {
        self.reference.id()
    }

    /// A reference to the quota, as results carry it.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("education")?;
    /// let quota = &policy.followup().unwrap().quotas()[0];
    /// assert_eq!(quota.reference(), policy.quota_ref("effective_calls")?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reference(&self) -> QuotaRef {
        self.reference
    }

    /// Calls required on a day without home visits.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("education")?;
    /// assert_eq!(policy.followup().unwrap().quotas()[0].per_day(), 15);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn per_day(&self) -> u32 {
        self.per_day
    }

    /// Which calls it counts.
    ///
    /// ```
    /// use cs_policy::followup::QuotaCounts;
    /// let policy = cs_policy::Policy::example("education")?;
    /// assert_eq!(policy.followup().unwrap().quotas()[0].counts(), QuotaCounts::EffectiveOutgoing);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn counts(&self) -> QuotaCounts {
        self.counts
    }

    /// Its clause.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("education")?;
    /// let quota = &policy.followup().unwrap().quotas()[0];
    /// assert_eq!(quota.clause().id(), "followup.quotas.effective_calls");
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn clause(&self) -> ClauseRef {
        self.clause
    }

    /// Whether a call counts towards the quota: an outgoing call, effective
    /// or to an unverified registered user as the quota says.
    fn counts_call(&self, call: &Call) -> bool {
        call.direction == Direction::Outgoing
            && match self.counts {
                QuotaCounts::EffectiveOutgoing => call.effective,
                QuotaCounts::UnverifiedOutgoing => call.to_unverified,
            }
    }

    /// The quota kept or not on a day (C5): `per_day` calls, fewer on a day
    /// with home visits as the policy says (a quota of its own for that day,
    /// or so many fewer per visit), never more.
    fn check(&self, made: u32, home_visits: u32) -> QuotaCheck {
        let required = match (self.home_visit, home_visits) {
            (_, 0) | (HomeVisit::Unchanged, _) => self.per_day,
            (HomeVisit::Quota(n), _) => n.min(self.per_day),
            (HomeVisit::LessPerVisit(n), v) => self.per_day.saturating_sub(n.saturating_mul(v)),
        };
        QuotaCheck {
            quota: self.reference,
            counts: self.counts,
            required,
            made,
            kept: made >= required,
            clause: self.clause,
        }
    }
}

#[derive(Debug, Clone)]
struct BirthdayRules {
    clause: ClauseRef,
    list_week: LastWeek,
    cards_from: Weekday,
    card_week: CardWeek,
    leap_day: LeapDay,
}

#[derive(Debug, Clone, Copy)]
struct DataEntryRules {
    clause: ClauseRef,
    cards_by: Weekday,
    entry_by: Weekday,
    evening: NaiveTime,
}

#[derive(Debug, Clone, Copy)]
enum HomeVisit {
    Unchanged,
    Quota(u32),
    LessPerVisit(u32),
}

/// A promise's limit, in the unit the promise uses.
#[derive(Debug, Clone, Copy)]
struct PromiseRule {
    clause: ClauseRef,
    /// Rings, seconds or minutes, or the lower bound of a range.
    lo: i64,
    /// The upper bound of a range (same unit); equals `lo` otherwise.
    hi: i64,
    /// Whether a callback promise keeps an unsolved request; whether a card
    /// must be left at an unanswered door.
    flag: bool,
}

impl PromiseRule {
    /// Whether a measurement keeps the promise; `None` when it does not fit
    /// the promise. C6: answered the same day, or (where the policy lets a
    /// callback count) called back the same day and told when. C7: answered
    /// by the n-th ring, then a wait before hanging up (a customer who hangs
    /// up first keeps it). C8: a call within its length; the first reply to
    /// a chat or an enquiry within its time. C9: the reply after consulting
    /// the supervisor within its time. C10: at a visit, early by a range of
    /// minutes; at an unanswered door, a wait in a range, then a card.
    /// C11: a follow-up call within hours of closing each case.
    fn kept(&self, promise: Promise, measured: Measured) -> Option<bool> {
        use Measured as M;
        use Promise as P;
        let in_range = |n: i64| (self.lo..=self.hi).contains(&n);
        Some(match (promise, measured) {
            (P::SameDayAnswer, M::AnsweredSameDay) => true,
            (P::SameDayAnswer, M::CallbackPromised) => self.flag,
            (P::SameDayAnswer, M::Unanswered) => false,
            (P::AnswerByRing, M::Rings(rings)) => i64::from(rings) <= self.lo,
            (P::HangUpWait, M::Seconds(waited)) if waited >= 0 => waited >= self.lo,
            (P::HangUpWait, M::Nothing) => true,
            (
                P::CallLength | P::ChatFirstReply | P::EnquiryReply | P::AfterSupervisorReply,
                M::Seconds(secs),
            ) if secs >= 0 => secs <= self.lo,
            (P::ChatFirstReply | P::EnquiryReply | P::AfterSupervisorReply, M::Nothing) => false,
            (P::VisitArrival, M::Minutes(early)) => in_range(early),
            (P::DoorWait, M::DoorWait { minutes, card_left }) => {
                in_range(i64::from(minutes)) && (card_left || !self.flag)
            }
            (P::CaseFollowup, M::Minutes(minutes)) if minutes >= 0 => minutes <= self.lo,
            (P::CaseFollowup, M::Nothing) => false,
            _ => return None,
        })
    }
}

impl Promise {
    /// What a promise is measured as, for the error on a measurement that
    /// does not fit it.
    const fn measure(self) -> &'static str {
        match self {
            Self::SameDayAnswer => "answered the same day, a callback promised, or unanswered",
            Self::AnswerByRing => "the ring the call was answered on",
            Self::HangUpWait => {
                "seconds waited, from 0, or nothing when the customer hung up first"
            }
            Self::CallLength => "seconds, from 0",
            Self::ChatFirstReply | Self::EnquiryReply | Self::AfterSupervisorReply => {
                "seconds to the reply, from 0, or nothing without a reply"
            }
            Self::VisitArrival => "minutes early, negative when late",
            Self::DoorWait => "minutes waited at the door, and whether a card was left",
            Self::CaseFollowup => "minutes to the follow-up call, from 0, or nothing without one",
        }
    }
}

#[derive(Debug, Clone)]
struct Grade {
    id: Box<str>,
    every: u32,
    clause: ClauseRef,
}

#[derive(Debug, Clone)]
struct Revisit {
    count: DayCount,
    grades: Vec<Grade>,
}

/// The `[followup]` section of a policy.
///
/// ```
/// let policy = cs_policy::Policy::example("education")?;
/// let f = policy.followup().unwrap();
/// let ids: Vec<_> = f.calls().iter().map(|c| c.id()).collect();
/// assert_eq!(ids, ["first", "second", "third", "fourth", "birthday"]);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone)]
pub struct FollowupRules {
    clause: ClauseRef,
    calls: Vec<CallPlan>,
    birthday: Option<BirthdayRules>,
    data_entry: Option<DataEntryRules>,
    quotas: Vec<Quota>,
    promises: [Option<PromiseRule>; 10],
    revisit: Option<Revisit>,
    /// The policy text that made the references above.
    tag: PolicyTag,
}

/// Where the item `r` names is kept in `items`: at once when this policy
/// made the reference, by id when it was read back; an error for another
/// policy's, or for an id the policy does not define.
fn resolve<'a, K: ?Sized, T>(
    items: &'a [T],
    r: Ref<K>,
    tag: PolicyTag,
    table: &'static str,
    of: impl Fn(&T) -> Ref<K>,
) -> Result<(usize, &'a T), FollowupError> {
    if r.foreign_to(tag) {
        return Err(FollowupError::Foreign {
            table,
            id: r.id().to_owned(),
        });
    }
    let at = match r.index_in(tag) {
        Some(i) if items.get(i).is_some_and(|t| of(t) == r) => Some(i),
        _ => items.iter().position(|t| of(t) == r),
    };
    at.and_then(|i| Some((i, items.get(i)?)))
        .ok_or_else(|| FollowupError::UnknownId {
            table,
            id: r.id().to_owned(),
        })
}

impl FollowupRules {
    /// The clause of the `[followup]` table itself.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("education")?;
    /// let f = policy.followup().unwrap();
    /// assert_eq!(f.clause().id(), "followup");
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn clause(&self) -> ClauseRef {
        self.clause
    }

    /// The planned calls, in file order.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("education")?;
    /// assert_eq!(policy.followup().unwrap().calls().len(), 5);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn calls(&self) -> &[CallPlan] {
        &self.calls
    }

    /// One planned call: `None` for a reference made by another policy, or
    /// read back with an id this policy does not plan.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("education")?;
    /// let f = policy.followup().unwrap();
    /// let third = f.call_by_id("third").unwrap();
    /// assert_eq!(f.call(third).unwrap().id(), "third");
    /// assert!(f.call(cs_policy::followup::CallRef::from_id("fifth")).is_none());
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn call(&self, call: CallRef) -> Option<&CallPlan> {
        self.call_at(call).ok().map(|(_, plan)| plan)
    }

    fn call_at(&self, call: CallRef) -> Result<(usize, &CallPlan), FollowupError> {
        resolve(&self.calls, call, self.tag, "calls", |c| c.reference)
    }

    /// A planned call by id.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("education")?;
    /// assert!(policy.followup().unwrap().call_by_id("fifth").is_none());
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn call_by_id(&self, id: &str) -> Option<CallRef> {
        self.calls
            .iter()
            .find(|c| c.id() == id)
            .map(|c| c.reference)
    }

    /// The daily quotas, in file order.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("education")?;
    /// assert_eq!(policy.followup().unwrap().quotas().len(), 1);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn quotas(&self) -> &[Quota] {
        &self.quotas
    }

    /// One daily quota: `None` for a reference made by another policy, or
    /// read back with an id this policy does not define.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("education")?;
    /// let quota = policy.quota_ref("effective_calls")?;
    /// assert_eq!(policy.followup().unwrap().quota(quota).unwrap().per_day(), 15);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn quota(&self, quota: QuotaRef) -> Option<&Quota> {
        self.quota_at(quota).ok()
    }

    fn quota_at(&self, quota: QuotaRef) -> Result<&Quota, FollowupError> {
        resolve(&self.quotas, quota, self.tag, "quotas", |q| q.reference).map(|(_, q)| q)
    }

    /// Whether the policy states a promise.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("education")?;
    /// let f = policy.followup().unwrap();
    /// assert!(f.has_promise(cs_policy::followup::Promise::SameDayAnswer));
    /// assert!(!f.has_promise(cs_policy::followup::Promise::DoorWait));
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn has_promise(&self, promise: Promise) -> bool {
        self.promises[promise as usize].is_some()
    }

    /// Whether a measurement keeps a promise the policy states.
    fn verdict(
        &self,
        promise: Promise,
        measured: Measured,
    ) -> Result<PromiseVerdict, FollowupError> {
        let rule = self.promises[promise as usize].ok_or(FollowupError::NoRule(promise.key()))?;
        let kept = rule.kept(promise, measured).ok_or(FollowupError::Measure {
            promise: promise.key(),
            expects: promise.measure(),
        })?;
        Ok(PromiseVerdict {
            kept,
            clause: rule.clause,
        })
    }

    pub(crate) fn read(table: &mut Table<'_, '_>, ld: &mut Loader, policy: &Policy) -> Self {
        let _ = policy;
        let clause = ld.clause(table);
        let calls = read_calls(table, ld, clause);
        let birthday = table
            .opt_table(ld, "birthday")
            .map(|t| read_birthday(t, ld, clause));
        let data_entry = table
            .opt_table(ld, "data_entry")
            .map(|t| read_data_entry(t, ld, clause));
        let mut quotas = Vec::new();
        for (id, t) in table.ids(ld, "quotas") {
            let reference = QuotaRef::new(&id.value, quotas.len(), ld.clauses.tag());
            quotas.push(read_quota(t, ld, clause, reference));
        }
        let promises = read_promises(table, ld, clause);
        let revisit = table
            .opt_table(ld, "revisit")
            .map(|t| read_revisit(t, ld, clause));
        Self {
            clause,
            calls,
            birthday,
            data_entry,
            quotas,
            promises,
            revisit,
            tag: ld.clauses.tag(),
        }
    }
}

/// The planned calls of `[followup.calls]`, in file order; one without an
/// anchor is reported and left out.
fn read_calls(table: &mut Table<'_, '_>, ld: &mut Loader, parent: ClauseRef) -> Vec<CallPlan> {
    let mut calls = Vec::new();
    for (id, mut t) in table.ids(ld, "calls") {
        let clause = ld.clause_under(&mut t, Some(parent));
        let anchor: Option<Anchor> = t.req(ld, "anchor");
        // Without `opens`, a window opens at the anchor itself.
        let opens = t.node("opens").map_or(
            Offset {
                exact: true,
                ..Offset::default()
            },
            |n| read_offset(&n, ld),
        );
        let closes = match t.req_node(ld, "closes") {
            Some(n) => read_offset(&n, ld),
            None => Offset::default(),
        };
        let leap_day = read_leap_day(&mut t, ld, anchor);
        if approx_minutes(&closes, true) < approx_minutes(&opens, false) {
            let span = ld.header_span(&t.span);
            ld.error(
                ProblemCode::OutOfOrder,
                span,
                &t.field("closes"),
                format!("`{}` closes before it opens", t.path()),
            )
            .help("`opens` is the earlier offset: for \"three to two weeks before\" write `opens = { weeks = -3 }` and `closes = { weeks = -2 }`");
        }
        t.finish(ld);
        let Some(anchor) = anchor else { continue };
        calls.push(CallPlan {
            reference: CallRef::new(&id.value, calls.len(), ld.clauses.tag()),
            anchor,
            opens,
            closes,
            leap_day,
            clause,
        });
    }
    calls
}

/// When a 29 February birthday falls in a common year: a yearly birthday
/// call must say; any other call may.
fn read_leap_day(t: &mut Table<'_, '_>, ld: &mut Loader, anchor: Option<Anchor>) -> LeapDay {
    if anchor != Some(Anchor::Birthday) {
        return t.opt(ld, "leap_day").unwrap_or(LeapDay::February28);
    }
    if t.contains("leap_day") {
        return t.req(ld, "leap_day").unwrap_or(LeapDay::February28);
    }
    t.allow("leap_day");
    let span = ld.header_span(&t.span);
    ld.error(
        ProblemCode::UnstatedChoice,
        span,
        &t.field("leap_day"),
        format!(
            "`{}` is a yearly birthday call but does not say when a 29 February birthday falls in a common year",
            t.path()
        ),
    )
    .help("state it: `leap_day = \"february_28\"` or `leap_day = \"march_1\"`");
    LeapDay::February28
}

fn read_data_entry(mut t: Table<'_, '_>, ld: &mut Loader, parent: ClauseRef) -> DataEntryRules {
    let clause = ld.clause_under(&mut t, Some(parent));
    let cards_by = t.req(ld, "cards_by").unwrap_or(Weekday::Mon);
    let entry_by = t.req(ld, "entry_by").unwrap_or(Weekday::Tue);
    let evening = if t.contains("evening") {
        t.req(ld, "evening").unwrap_or(NaiveTime::MIN)
    } else {
        t.allow("evening");
        let span = ld.header_span(&t.span);
        ld.error(
            ProblemCode::UnstatedChoice,
            span,
            &t.field("evening"),
            "the handbook says \"by evening\" without a time",
        )
        .help("state the time, such as `evening = 20:00` (the end of the working day)");
        NaiveTime::MIN
    };
    t.finish(ld);
    DataEntryRules {
        clause,
        cards_by,
        entry_by,
        evening,
    }
}

fn read_promises(
    table: &mut Table<'_, '_>,
    ld: &mut Loader,
    parent: ClauseRef,
) -> [Option<PromiseRule>; 10] {
    let mut promises = [None; 10];
    if let Some(mut t) = table.opt_table(ld, "promises") {
        for (slot, promise) in promises.iter_mut().zip(PROMISES) {
            if let Some(pt) = t.opt_table(ld, promise.key()) {
                *slot = Some(read_promise(pt, ld, parent, promise));
            }
        }
        t.finish(ld);
    }
    promises
}

fn read_revisit(mut t: Table<'_, '_>, ld: &mut Loader, clause: ClauseRef) -> Revisit {
    let count = if t.contains("count") {
        t.req(ld, "count").unwrap_or(DayCount::CalendarDays)
    } else {
        t.allow("count");
        let span = ld.header_span(&t.span);
        ld.error(
            ProblemCode::UnstatedChoice,
            span,
            &t.field("count"),
            format!(
                "`{}` does not say whether its periods are calendar or working days",
                t.path()
            ),
        )
        .help("state it: `count = \"calendar_days\"` or `count = \"working_days\"`");
        DayCount::CalendarDays
    };
    let rc = ld.clause_under(&mut t, Some(clause));
    let mut grades = Vec::new();
    for (id, mut g) in t.ids(ld, "grades") {
        let gc = ld.clause_under(&mut g, Some(rc));
        let every = g.req_in(ld, "every_days", 1..=3660).unwrap_or(1);
        g.finish(ld);
        grades.push(Grade {
            id: id.value.into_boxed_str(),
            every,
            clause: gc,
        });
    }
    t.finish(ld);
    Revisit { count, grades }
}

fn approx_minutes(o: &Offset, closing: bool) -> i64 {
    // A whole-day close lasts to the end of its day.
    let end = if closing && !o.exact { 1439 } else { 0 };
    end + i64::from(o.months) * 30 * 1440
        + o.days * 1440
        + i64::from(o.working_days) * 1440
        + o.minutes
}

fn read_offset(node: &Node<'_, '_>, ld: &mut Loader) -> Offset {
    let Some(mut t) = node.table(ld) else {
        return Offset::default();
    };
    const LIMIT: i32 = 3660;
    let months: i32 = t.opt_in(ld, "months", -120..=120).unwrap_or(0);
    let weeks: i32 = t.opt_in(ld, "weeks", -520..=520).unwrap_or(0);
    let days: i32 = t.opt_in(ld, "days", -LIMIT..=LIMIT).unwrap_or(0);
    let working_days: i32 = t.opt_in(ld, "working_days", -LIMIT..=LIMIT).unwrap_or(0);
    let hours: Option<i32> = t.opt_in(ld, "hours", -87_840..=87_840);
    let minutes: Option<i32> = t.opt_in(ld, "minutes", -5_270_400..=5_270_400);
    t.finish(ld);
    Offset {
        months,
        days: i64::from(weeks) * 7 + i64::from(days),
        working_days,
        minutes: i64::from(hours.unwrap_or(0)) * 60 + i64::from(minutes.unwrap_or(0)),
        exact: hours.is_some() || minutes.is_some(),
    }
}

fn read_birthday(mut t: Table<'_, '_>, ld: &mut Loader, parent: ClauseRef) -> BirthdayRules {
    let clause = ld.clause_under(&mut t, Some(parent));
    let list_week = t
        .req_choice(
            ld,
            "list_week",
            "which days \"the last week of the month\" are",
        )
        .unwrap_or(LastWeek::LastSevenDays);
    let cards_from = t.req(ld, "cards_from").unwrap_or(Weekday::Wed);
    let card_week = t
        .req_choice(
            ld,
            "card_week",
            "which week's card-making day cards are made from",
        )
        .unwrap_or(CardWeek::Previous);
    let leap_day = t
        .req_choice(
            ld,
            "leap_day",
            "when a 29 February birthday falls in a common year",
        )
        .unwrap_or(LeapDay::February28);
    t.finish(ld);
    BirthdayRules {
        clause,
        list_week,
        cards_from,
        card_week,
        leap_day,
    }
}

fn read_quota(
    mut t: Table<'_, '_>,
    ld: &mut Loader,
    parent: ClauseRef,
    reference: QuotaRef,
) -> Quota {
    let clause = ld.clause_under(&mut t, Some(parent));
    let per_day = t.req_in(ld, "per_day", 1..=10_000).unwrap_or(1);
    let counts = t
        .req(ld, "counts")
        .unwrap_or(QuotaCounts::EffectiveOutgoing);
    let home_visit = read_home_visit(&mut t, ld);
    t.finish(ld);
    Quota {
        reference,
        clause,
        per_day,
        counts,
        home_visit,
    }
}

/// What a home-visit day does to a quota: exactly one of a quota of its
/// own, so many calls fewer per visit, or nothing.
fn read_home_visit(t: &mut Table<'_, '_>, ld: &mut Loader) -> HomeVisit {
    let quota: Option<u32> = t.opt_in(ld, "on_home_visit_day", 0..=10_000);
    let less: Option<u32> = t.opt_in(ld, "less_per_home_visit", 0..=10_000);
    let reduce: Option<bool> = t.opt(ld, "home_visits_reduce");
    let given = usize::from(t.contains("on_home_visit_day"))
        + usize::from(t.contains("less_per_home_visit"))
        + usize::from(t.contains("home_visits_reduce"));
    let span = ld.header_span(&t.span);
    match (quota, less, reduce) {
        _ if given > 1 => {
            ld.error(
                ProblemCode::Conflict,
                span,
                t.path(),
                format!("`{}` states more than one home-visit rule", t.path()),
            )
            .help("keep one of `on_home_visit_day`, `less_per_home_visit`, `home_visits_reduce = false`");
            HomeVisit::Unchanged
        }
        (Some(q), _, _) => HomeVisit::Quota(q),
        (_, Some(l), _) => HomeVisit::LessPerVisit(l),
        (_, _, Some(false)) => HomeVisit::Unchanged,
        (_, _, Some(true)) => {
            ld.error(
                ProblemCode::UnstatedChoice,
                span,
                &t.field("home_visits_reduce"),
                format!("`{}` says home visits reduce the quota but not by how much", t.path()),
            )
            .help("write `on_home_visit_day = 10` (the quota on such a day) or `less_per_home_visit = 5`");
            HomeVisit::Unchanged
        }
        _ if given == 0 => {
            ld.error(
                ProblemCode::UnstatedChoice,
                span,
                t.path(),
                format!("`{}` does not say what a home-visit day does to the quota", t.path()),
            )
            .help("write `on_home_visit_day = 10`, `less_per_home_visit = 5`, or `home_visits_reduce = false`");
            HomeVisit::Unchanged
        }
        _ => HomeVisit::Unchanged,
    }
}

fn read_promise(
    mut t: Table<'_, '_>,
    ld: &mut Loader,
    parent: ClauseRef,
    promise: Promise,
) -> PromiseRule {
    let clause = ld.clause_under(&mut t, Some(parent));
    let mut rule = PromiseRule {
        clause,
        lo: 0,
        hi: 0,
        flag: false,
    };
    let one = |t: &mut Table<'_, '_>, ld: &mut Loader, key: &'static str| -> i64 {
        t.req_in(ld, key, 0..=100_000u32).map_or(0, i64::from)
    };
    match promise {
        Promise::SameDayAnswer => {
            rule.flag = t.req(ld, "callback_promise").unwrap_or(true);
        }
        Promise::AnswerByRing => rule.lo = one(&mut t, ld, "max_rings"),
        Promise::HangUpWait => rule.lo = one(&mut t, ld, "wait_seconds"),
        Promise::CallLength => rule.lo = one(&mut t, ld, "max_minutes") * 60,
        Promise::ChatFirstReply | Promise::EnquiryReply | Promise::AfterSupervisorReply => {
            rule.lo = read_reply_within(&mut t, ld);
        }
        Promise::VisitArrival => {
            let (lo, hi) = read_range(&mut t, ld, "minutes_early");
            (rule.lo, rule.hi) = (lo, hi);
        }
        Promise::DoorWait => {
            let (lo, hi) = read_range(&mut t, ld, "wait_minutes");
            (rule.lo, rule.hi) = (lo, hi);
            rule.flag = t.req(ld, "leave_card").unwrap_or(true);
        }
        Promise::CaseFollowup => {
            rule.lo = one(&mut t, ld, "within_hours") * 60;
        }
    }
    if rule.hi < rule.lo {
        rule.hi = rule.lo;
    }
    t.finish(ld);
    rule
}

/// A reply's time limit in seconds, written as exactly one of
/// `within_seconds` and `within_minutes`.
fn read_reply_within(t: &mut Table<'_, '_>, ld: &mut Loader) -> i64 {
    let secs = t.node("within_seconds");
    let mins = t.node("within_minutes");
    match (secs, mins) {
        (Some(s), None) => s.read_in(ld, 0..=100_000u32).map_or(0, i64::from),
        (None, Some(m)) => m.read_in(ld, 0..=100_000u32).map_or(0, i64::from) * 60,
        (Some(s), Some(_)) => {
            ld.error(
                ProblemCode::Conflict,
                s.span(),
                &s.path(),
                format!(
                    "`{}` gives both `within_seconds` and `within_minutes`",
                    t.path()
                ),
            )
            .help("keep one");
            0
        }
        (None, None) => {
            t.missing(ld, "within_minutes")
                .help("give `within_minutes = 5` or `within_seconds = 60`");
            0
        }
    }
}

/// A range of minutes, as problems speak of it.
const MINUTES: PairWords = PairWords {
    lower: "smaller",
    holds: "minutes, smaller first",
    example: "[5, 10]",
};

/// A `[low, high]` range of minutes under `key`.
fn read_range(t: &mut Table<'_, '_>, ld: &mut Loader, key: &'static str) -> (i64, i64) {
    let (lo, hi) = t.req_pair(ld, key, &MINUTES);
    (i64::from(lo), i64::from(hi))
}

fn end_of_day(d: NaiveDate) -> NaiveDateTime {
    d.and_time(NaiveTime::from_hms_nano_opt(23, 59, 59, 999_999_999).unwrap_or(NaiveTime::MIN))
}

/// Applies an offset to an anchor; `closing` picks the end of a whole day.
/// `Ok(None)` past the representable dates; an error for a working day the
/// calendar does not cover.
fn apply(
    cal: &Calendar,
    anchor: NaiveDateTime,
    o: &Offset,
    closing: bool,
) -> Result<Option<NaiveDateTime>, crate::calendar::CalendarError> {
    Ok(apply_days(cal, anchor, o)?.and_then(|date| {
        if o.exact {
            date.and_time(anchor.time())
                .checked_add_signed(TimeDelta::try_minutes(o.minutes)?)
        } else if closing {
            Some(end_of_day(date))
        } else {
            Some(date.and_time(NaiveTime::MIN))
        }
    }))
}

/// The date an offset lands on, before its time of day.
fn apply_days(
    cal: &Calendar,
    anchor: NaiveDateTime,
    o: &Offset,
) -> Result<Option<NaiveDate>, crate::calendar::CalendarError> {
    let calendar_part = || {
        let date = anchor.date();
        let date = if o.months >= 0 {
            date.checked_add_months(Months::new(o.months.unsigned_abs()))?
        } else {
            date.checked_sub_months(Months::new(o.months.unsigned_abs()))?
        };
        if o.days >= 0 {
            date.checked_add_days(Days::new(o.days.unsigned_abs()))
        } else {
            date.checked_sub_days(Days::new(o.days.unsigned_abs()))
        }
    };
    let Some(date) = calendar_part() else {
        return Ok(None);
    };
    let n = o.working_days.unsigned_abs();
    match o.working_days {
        0 => Ok(Some(date)),
        w if w > 0 => cal.add_working_days(date, n).map(Some),
        _ => cal.sub_working_days(date, n).map(Some),
    }
}

fn check_member(m: &Member) -> Result<(), FollowupError> {
    if let Some(card) = m.card_received {
        if card.date() < m.deal {
            return Err(FollowupError::CardBeforeDeal {
                member: m.id.clone(),
                at: card,
                deal: m.deal,
            });
        }
    }
    Ok(())
}

/// A call logged for a member: not before the member's deal, and for a call
/// whose anchor date the member has.
fn check_entry(
    plan: &CallPlan,
    m: &Member,
    index: usize,
    at: NaiveDateTime,
) -> Result<(), FollowupError> {
    if at.date() < m.deal {
        return Err(FollowupError::CallBeforeMember {
            index,
            member: m.id.clone(),
            at,
            deal: m.deal,
        });
    }
    if Policy::anchor_of(plan, m, at.year()).is_none() {
        return Err(FollowupError::AnchorMissing {
            index,
            member: m.id.clone(),
            call: plan.id().to_owned(),
            anchor: plan.anchor,
        });
    }
    Ok(())
}

/// How one window of a planned call went, from the calls made for it
/// (`(index, moment)`, any order): the earliest inside decides (met);
/// failing that the earliest after it (late), failing that the latest
/// before it (early). Without any, it is missed once the window has closed
/// by `as_of`, and pending before. On a tie the first given decides.
fn call_status(
    w: &Window,
    made: impl Iterator<Item = (usize, NaiveDateTime)>,
    as_of: NaiveDateTime,
) -> (CallStatus, Option<usize>) {
    let mut inside: Option<(NaiveDateTime, usize)> = None;
    let mut after: Option<(NaiveDateTime, usize)> = None;
    let mut before: Option<(NaiveDateTime, usize)> = None;
    for (i, at) in made {
        if at < w.opens {
            if before.is_none_or(|(b, _)| at > b) {
                before = Some((at, i));
            }
        } else if at <= w.closes {
            if inside.is_none_or(|(b, _)| at < b) {
                inside = Some((at, i));
            }
        } else if after.is_none_or(|(b, _)| at < b) {
            after = Some((at, i));
        }
    }
    match (inside, after, before) {
        (Some((_, i)), _, _) => (CallStatus::Met, Some(i)),
        (None, Some((at, i)), _) => {
            let minutes = (at - w.closes).num_minutes().max(1);
            (CallStatus::Late { minutes }, Some(i))
        }
        (None, None, Some((at, i))) => {
            let minutes = (w.opens - at).num_minutes().max(1);
            (CallStatus::Early { minutes }, Some(i))
        }
        (None, None, None) if as_of > w.closes => (CallStatus::Missed, None),
        (None, None, None) => (CallStatus::Pending, None),
    }
}

/// How far a moment is from a window, in minutes: zero inside it.
fn distance(at: NaiveDateTime, w: &Window) -> i64 {
    if at < w.opens {
        (w.opens - at).num_minutes()
    } else if at > w.closes {
        (at - w.closes).num_minutes()
    } else {
        0
    }
}

/// Whether a yearly call made at `at` is for the occurrence `this` rather
/// than the one before or after it: the nearest window takes a call, the
/// earlier one on a tie. The windows of one call move on a year at a time,
/// so the nearest of the neighbours is the nearest of all.
fn nearest(
    at: NaiveDateTime,
    before: Option<&Window>,
    this: &Window,
    after: Option<&Window>,
) -> bool {
    let d = distance(at, this);
    before.is_none_or(|w| distance(at, w) > d) && after.is_none_or(|w| distance(at, w) >= d)
}

/// Where one window of a planned call stands as of a moment.
#[derive(Debug, Clone, Copy)]
enum Standing {
    /// Still to make: not closed, and no call made inside it yet (a call
    /// made before it opened does not count until it closes).
    ToMake(Window),
    /// Made (in time, late, or early once it has closed).
    Made,
    /// Closed without a call.
    Missed,
}

impl Standing {
    fn of(w: &Window, status: CallStatus, at: NaiveDateTime) -> Self {
        match status {
            CallStatus::Met | CallStatus::Late { .. } => Self::Made,
            _ if at <= w.closes => Self::ToMake(*w),
            CallStatus::Early { .. } => Self::Made,
            _ => Self::Missed,
        }
    }
}

/// The log's entries resolved once, as `(member, call, moment, entry)`
/// places, sorted so that each member's calls of one plan are together and
/// in time order. Unknown members and calls, duplicate members and entries
/// a member could not have had are bad facts.
fn resolve_log(
    rules: &FollowupRules,
    members: &[Member],
    log: &[LoggedCall],
) -> Result<Vec<(usize, usize, NaiveDateTime, usize)>, FollowupError> {
    let mut by_id = std::collections::HashMap::with_capacity(members.len());
    for (i, m) in members.iter().enumerate() {
        if by_id.insert(m.id.as_str(), (i, m)).is_some() {
            return Err(FollowupError::DuplicateMember {
                member: m.id.clone(),
            });
        }
    }
    let mut resolved = Vec::with_capacity(log.len());
    for (i, entry) in log.iter().enumerate() {
        let &(mi, m) =
            by_id
                .get(entry.member.as_str())
                .ok_or_else(|| FollowupError::UnknownMember {
                    index: i,
                    member: entry.member.clone(),
                })?;
        let (ci, plan) = rules
            .calls
            .iter()
            .enumerate()
            .find(|(_, c)| c.id() == entry.call)
            .ok_or_else(|| FollowupError::UnknownCall {
                index: i,
                call: entry.call.clone(),
            })?;
        check_entry(plan, m, i, entry.at)?;
        resolved.push((mi, ci, entry.at, i));
    }
    resolved.sort_unstable();
    Ok(resolved)
}

impl Policy {
    /// The `[followup]` section, if the policy has one.
    ///
    /// ```
    /// assert!(cs_policy::Policy::example("fintech")?.followup().is_some());
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn followup(&self) -> Option<&FollowupRules> {
        self.followup.as_ref()
    }

    fn followup_rules(&self) -> Result<&FollowupRules, FollowupError> {
        self.followup.as_ref().ok_or(FollowupError::NoFollowup)
    }

    /// The planned call with id `id` (`[followup.calls.<id>]`), to ask
    /// about it by reference.
    ///
    /// ```
    /// use cs_policy::followup::FollowupError;
    /// let policy = cs_policy::Policy::example("education")?;
    /// assert_eq!(policy.call_ref("second")?.id(), "second");
    /// assert!(matches!(policy.call_ref("fifth"), Err(FollowupError::UnknownId { table: "calls", .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn call_ref(&self, id: &str) -> Result<CallRef, FollowupError> {
        self.followup_rules()?
            .call_by_id(id)
            .ok_or_else(|| FollowupError::UnknownId {
                table: "calls",
                id: id.to_owned(),
            })
    }

    /// The daily quota with id `id` (`[followup.quotas.<id>]`), to ask
    /// about it by reference.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("education")?;
    /// assert_eq!(policy.quota_ref("effective_calls")?.id(), "effective_calls");
    /// assert!(policy.quota_ref("calls").is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn quota_ref(&self, id: &str) -> Result<QuotaRef, FollowupError> {
        let rules = self.followup_rules()?;
        rules
            .quotas
            .iter()
            .find(|q| q.id() == id)
            .map(|q| q.reference)
            .ok_or_else(|| FollowupError::UnknownId {
                table: "quotas",
                id: id.to_owned(),
            })
    }

    /// The moment a planned call's window hangs on for a member: C1, the
    /// first call on the service card's arrival; C2, the second and third
    /// calls on the deal, the fourth on the parents' meeting; a birthday
    /// call on the birthday's anniversary in `year`. `None` when the member
    /// lacks that date.
    fn anchor_of(plan: &CallPlan, m: &Member, year: i32) -> Option<NaiveDateTime> {
        match plan.anchor {
            Anchor::CardReceived => m.card_received,
            Anchor::Deal => Some(m.deal.and_time(NaiveTime::MIN)),
            Anchor::ParentsMeeting => m.parents_meeting.map(|d| d.and_time(NaiveTime::MIN)),
            Anchor::Birthday => m
                .birthday
                .and_then(|b| plan.leap_day.anniversary(b, year))
                .map(|d| d.and_time(NaiveTime::MIN)),
        }
    }

    fn window_at(&self, plan: &CallPlan, anchor: NaiveDateTime) -> Result<Window, FollowupError> {
        let cal = self.calendar();
        let overflow = || FollowupError::DateOverflow(anchor.date());
        Ok(Window {
            opens: apply(cal, anchor, &plan.opens, false)?.ok_or_else(overflow)?,
            closes: apply(cal, anchor, &plan.closes, true)?.ok_or_else(overflow)?,
        })
    }

    /// The window of a planned call for a member: a birthday call's in
    /// `year`, any other's whatever the year. `None` without the anchor
    /// date, or for a birthday before the deal.
    fn call_window(
        &self,
        plan: &CallPlan,
        m: &Member,
        year: i32,
    ) -> Result<Option<Window>, FollowupError> {
        match Self::anchor_of(plan, m, year) {
            Some(a) if plan.anchor != Anchor::Birthday || a.date() >= m.deal => {
                self.window_at(plan, a).map(Some)
            }
            _ => Ok(None),
        }
    }

    /// The windows of one planned call for a member (a birthday call: the
    /// occurrences from `from`'s year, but not before the deal, to the year
    /// after `until`'s).
    fn windows(
        &self,
        plan: &CallPlan,
        m: &Member,
        from: NaiveDate,
        until: NaiveDate,
        out: &mut Vec<Window>,
    ) -> Result<(), FollowupError> {
        out.clear();
        let years = if plan.anchor == Anchor::Birthday {
            m.deal.year().max(from.year())..=until.year().saturating_add(1)
        } else {
            m.deal.year()..=m.deal.year()
        };
        for year in years {
            if let Some(w) = self.call_window(plan, m, year)? {
                out.push(w);
            }
        }
        Ok(())
    }

    /// The call a member is due next, as of `at`, given the calls made to
    /// the member so far (`made`, any order; those after `at` are not made
    /// yet as of it): of the planned calls still to make, whose window has
    /// not closed and holds no call yet, the one whose window closes first
    /// (the earlier opening, then the policy's order, on a tie). A yearly
    /// call is still to make every year. Without one, the answer says why:
    /// a call waits on a date the member lacks, calls were missed, or every
    /// call is made. Allocates nothing.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::{Policy, followup::{MadeCall, Member, NextCall}};
    /// let policy = Policy::example("education")?;
    /// let deal = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    /// let m = Member { id: "M1".into(), deal, card_received: deal.and_hms_opt(10, 0, 0), ..Default::default() };
    /// let at = deal.and_hms_opt(15, 0, 0).unwrap();
    /// // The first call: within 48 hours of the card.
    /// let NextCall::Due(next) = policy.next_call(&m, &[], at)? else { panic!() };
    /// assert_eq!((next.call.id(), next.window.closes), ("first", NaiveDate::from_ymd_opt(2026, 3, 4).unwrap().and_hms_opt(10, 0, 0).unwrap()));
    /// // Once made, the second: within two weeks of the deal.
    /// let made = [MadeCall { call: next.call, at }];
    /// let NextCall::Due(next) = policy.next_call(&m, &made, at)? else { panic!() };
    /// assert_eq!(next.call.id(), "second");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn next_call(
        &self,
        member: &Member,
        made: &[MadeCall],
        at: NaiveDateTime,
    ) -> Result<NextCall, FollowupError> {
        let rules = self.followup_rules()?;
        if rules.calls.is_empty() {
            return Err(FollowupError::NoRule("calls"));
        }
        check_member(member)?;
        for (i, c) in made.iter().enumerate() {
            check_entry(rules.call_at(c.call)?.1, member, i, c.at)?;
        }
        let mut next: Option<CallWindow> = None;
        let mut awaiting: Option<&CallPlan> = None;
        let mut missed: u16 = 0;
        for plan in &rules.calls {
            // The calls made for this plan so far (each resolved above, so
            // that equal ids are the same plan).
            let mine = || {
                made.iter()
                    .enumerate()
                    .filter(move |(_, c)| c.at <= at && c.call == plan.reference)
                    .map(|(i, c)| (i, c.at))
            };
            match self.standing(plan, member, mine, at)? {
                None => awaiting = awaiting.or(Some(plan)),
                Some(Standing::ToMake(w)) => {
                    if next.is_none_or(|n| (w.closes, w.opens) < (n.window.closes, n.window.opens))
                    {
                        next = Some(CallWindow {
                            call: plan.reference,
                            window: w,
                            open: w.opens <= at,
                            clause: plan.clause,
                        });
                    }
                }
                Some(Standing::Missed) => missed = missed.saturating_add(1),
                Some(Standing::Made) => {}
            }
        }
        Ok(match (next, awaiting) {
            (Some(w), _) => NextCall::Due(w),
            (None, Some(plan)) => NextCall::AwaitingDate {
                call: plan.reference,
                anchor: plan.anchor,
                clause: plan.clause,
            },
            (None, None) if missed > 0 => NextCall::NoneDue { missed },
            (None, None) => NextCall::AllMade,
        })
    }

    /// Where one planned call stands for a member as of `at`, from the calls
    /// made for it; `None` when the member lacks its anchor date. A yearly
    /// call is looked at from the year before `at`'s, occurrence after
    /// occurrence, until one is still to make.
    fn standing<I: Iterator<Item = (usize, NaiveDateTime)>>(
        &self,
        plan: &CallPlan,
        m: &Member,
        made: impl Fn() -> I,
        at: NaiveDateTime,
    ) -> Result<Option<Standing>, FollowupError> {
        if plan.anchor != Anchor::Birthday {
            let Some(w) = self.call_window(plan, m, m.deal.year())? else {
                return Ok(None);
            };
            return Ok(Some(Standing::of(&w, call_status(&w, made(), at).0, at)));
        }
        if Self::anchor_of(plan, m, at.year()).is_none() {
            return Ok(None);
        }
        let first = m.deal.year();
        let mut year = first.max(at.year().saturating_sub(1));
        let mut before = if year > first {
            self.call_window(plan, m, year - 1)?
        } else {
            None
        };
        let mut this = self.call_window(plan, m, year)?;
        // Windows move on a year at a time: one opening after `at` is still
        // to make, and comes within as many years as the offsets span.
        while year <= at.year().saturating_add(12) {
            let after = self.call_window(plan, m, year.saturating_add(1))?;
            if let Some(w) = &this {
                let mine = made().filter(|&(_, t)| nearest(t, before.as_ref(), w, after.as_ref()));
                if let standing @ Standing::ToMake(_) =
                    Standing::of(w, call_status(w, mine, at).0, at)
                {
                    return Ok(Some(standing));
                }
            }
            (before, this) = (this, after);
            year = year.saturating_add(1);
        }
        Ok(Some(Standing::Made))
    }

    /// The planned calls open on `date` for each member, with their windows.
    /// A call whose anchor date a member lacks is not listed.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::{Policy, followup::Member};
    /// let policy = Policy::example("education")?;
    /// let m = Member { id: "M1".into(), deal: NaiveDate::from_ymd_opt(2026, 1, 31).unwrap(), ..Default::default() };
    /// // 1 March: only the third call (within a month and 15 days) is open.
    /// let due = policy.calls_due(std::slice::from_ref(&m), NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()).unwrap();
    /// assert_eq!(due.len(), 1);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn calls_due<'m>(
        &self,
        members: &'m [Member],
        date: NaiveDate,
    ) -> Result<Vec<DueCall<'m>>, FollowupError> {
        let rules = self.followup_rules()?;
        // A yearly window may start in the year before `date`.
        let from = date
            .with_day0(0)
            .and_then(|d| d.with_month0(0))
            .unwrap_or(date);
        let from = from.pred_opt().unwrap_or(from);
        let mut out = Vec::new();
        let mut windows = Vec::new();
        for m in members {
            check_member(m)?;
            if date < m.deal {
                continue;
            }
            for plan in &rules.calls {
                self.windows(plan, m, from, date, &mut windows)?;
                for w in &windows {
                    if w.opens.date() <= date && date <= w.closes.date() {
                        out.push(DueCall {
                            member: Cow::Borrowed(&m.id),
                            call: plan.reference,
                            window: *w,
                            clause: plan.clause,
                        });
                    }
                }
            }
        }
        Ok(out)
    }

    /// Every planned call of every member whose window has opened by `as_of`,
    /// checked against the call log: met, late, early, missed or pending.
    /// The earliest logged call inside the window decides; failing that the
    /// earliest after it (late), failing that the latest before it (early).
    /// A yearly call's entry belongs to the occurrence whose window is
    /// nearest.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::{Policy, followup::{LoggedCall, Member}};
    /// let policy = Policy::example("education")?;
    /// let m = Member { id: "M1".into(), deal: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(), ..Default::default() };
    /// let early = LoggedCall { member: "M1".into(), call: "second".into(),
    ///     at: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap().and_hms_opt(9, 0, 0).unwrap() };
    /// let as_of = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap().and_hms_opt(0, 0, 0).unwrap();
    /// assert!(policy.check_calls(std::slice::from_ref(&m), &[early], as_of).is_err()); // before the member existed
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn check_calls<'m>(
        &self,
        members: &'m [Member],
        log: &[LoggedCall],
        as_of: NaiveDateTime,
    ) -> Result<Vec<CallCheck<'m>>, FollowupError> {
        let rules = self.followup_rules()?;
        let entries = resolve_log(rules, members, log)?;
        let mut out = Vec::new();
        let mut windows = Vec::new();
        for (mi, m) in members.iter().enumerate() {
            check_member(m)?;
            for (ci, plan) in rules.calls.iter().enumerate() {
                self.windows(plan, m, m.deal, as_of.date(), &mut windows)?;
                let lo = entries.partition_point(|e| (e.0, e.1) < (mi, ci));
                let hi = entries.partition_point(|e| (e.0, e.1) <= (mi, ci));
                let made = entries.get(lo..hi).unwrap_or(&[]);
                for (wi, w) in windows.iter().enumerate() {
                    if w.opens > as_of {
                        continue;
                    }
                    let (before, after) = (
                        wi.checked_sub(1).and_then(|b| windows.get(b)),
                        windows.get(wi + 1),
                    );
                    let mine = made
                        .iter()
                        .filter(|e| nearest(e.2, before, w, after))
                        .map(|e| (e.3, e.2));
                    let (status, logged) = call_status(w, mine, as_of);
                    out.push(CallCheck {
                        member: Cow::Borrowed(&m.id),
                        call: plan.reference,
                        window: *w,
                        status,
                        logged,
                        clause: plan.clause,
                    });
                }
            }
        }
        Ok(out)
    }

    /// Birthday preparation for the month `year`-`month` (C4): the week of
    /// the previous month in which the list is printed, and a card for each
    /// member whose birthday falls in the month, made from the card weekday,
    /// the VIP members' filed apart. (The birthday call itself, in the
    /// evening of the day, is a planned call of `[followup.calls]`.)
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::{Policy, followup::Member};
    /// let policy = Policy::example("education")?;
    /// let m = Member { id: "M1".into(), deal: NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
    ///     birthday: NaiveDate::from_ymd_opt(2021, 3, 12), ..Default::default() };
    /// let plan = policy.birthday_plan(std::slice::from_ref(&m), 2026, 3).unwrap();
    /// // Thursday 12 March: the card is made from Wednesday 4 March, the week before.
    /// assert_eq!(plan.cards[0].card_from, NaiveDate::from_ymd_opt(2026, 3, 4).unwrap());
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn birthday_plan<'m>(
        &self,
        members: &'m [Member],
        year: i32,
        month: u32,
    ) -> Result<BirthdayPlan<'m>, FollowupError> {
        let rules = self.followup_rules()?;
        let b = rules
            .birthday
            .as_ref()
            .ok_or(FollowupError::NoRule("birthday"))?;
        let first = NaiveDate::from_ymd_opt(year, month, 1)
            .ok_or(FollowupError::DateOverflow(NaiveDate::MIN))?;
        let (list_from, list_by) = self.list_week(b, first)?;
        let mut cards = Vec::new();
        for m in members {
            let Some(birth) = m.birthday else { continue };
            let Some(day) = b.leap_day.anniversary(birth, year) else {
                continue;
            };
            if day.month() != month || day < m.deal {
                continue;
            }
            cards.push(BirthdayCard {
                member: Cow::Borrowed(&m.id),
                birthday: day,
                card_from: self.card_day(b, day, first)?,
                vip: m.vip,
            });
        }
        Ok(BirthdayPlan {
            list_from,
            list_by,
            cards,
            clause: b.clause,
        })
    }

    /// The week in which the list for the month starting `first` is printed:
    /// the previous month's last seven days, or its last full calendar week,
    /// as the policy says.
    fn list_week(
        &self,
        b: &BirthdayRules,
        first: NaiveDate,
    ) -> Result<(NaiveDate, NaiveDate), FollowupError> {
        let overflow = || FollowupError::DateOverflow(first);
        let prev_last = first.pred_opt().ok_or_else(overflow)?;
        let by = match b.list_week {
            LastWeek::LastSevenDays => prev_last,
            LastWeek::LastCalendarWeek => {
                // The last full week inside the previous month ends on the day
                // before a week start, on or before the month's last day.
                let week_end = self.calendar().week_starts().pred();
                let back = (7 + prev_last.weekday().num_days_from_monday()
                    - week_end.num_days_from_monday())
                    % 7;
                prev_last
                    .checked_sub_days(Days::new(u64::from(back)))
                    .ok_or_else(overflow)?
            }
        };
        let from = by.checked_sub_days(Days::new(6)).ok_or_else(overflow)?;
        Ok((from, by))
    }

    /// The day card-making starts for a birthday on `day`: the card weekday
    /// of the birthday's week, or of the week before, as the policy says
    /// (`first`: the month's first day, named by an overflow).
    fn card_day(
        &self,
        b: &BirthdayRules,
        day: NaiveDate,
        first: NaiveDate,
    ) -> Result<NaiveDate, FollowupError> {
        let overflow = || FollowupError::DateOverflow(first);
        let week_starts = self.calendar().week_starts();
        // The start of the birthday's week, then the card weekday in it.
        let into_week =
            (7 + day.weekday().num_days_from_monday() - week_starts.num_days_from_monday()) % 7;
        let week_start = day
            .checked_sub_days(Days::new(u64::from(into_week)))
            .ok_or_else(overflow)?;
        let to_card =
            (7 + b.cards_from.num_days_from_monday() - week_starts.num_days_from_monday()) % 7;
        let card_from = week_start
            .checked_add_days(Days::new(u64::from(to_card)))
            .ok_or_else(overflow)?;
        match b.card_week {
            CardWeek::Same => Ok(card_from),
            CardWeek::Previous => card_from
                .checked_sub_days(Days::new(7))
                .ok_or_else(overflow),
        }
    }

    /// The data-entry deadlines of a service card received at `card` (C3):
    /// it joins the batch due on the first card weekday evening not before it,
    /// and entry is complete by the entry weekday evening that follows.
    /// `entered`, when given, is checked against that deadline.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let policy = cs_policy::Policy::example("education")?;
    /// let monday = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    /// let e = policy.data_entry(monday.and_hms_opt(19, 0, 0).unwrap(), None).unwrap();
    /// assert_eq!(e.entry_starts, monday);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn data_entry(
        &self,
        card: NaiveDateTime,
        entered: Option<NaiveDateTime>,
    ) -> Result<DataEntry, FollowupError> {
        let rules = self.followup_rules()?;
        let e = rules
            .data_entry
            .ok_or(FollowupError::NoRule("data_entry"))?;
        let overflow = || FollowupError::DateOverflow(card.date());
        let mut batch = card.date();
        while batch.weekday() != e.cards_by || batch.and_time(e.evening) < card {
            batch = batch.succ_opt().ok_or_else(overflow)?;
        }
        let mut due = batch;
        while due.weekday() != e.entry_by {
            due = due.succ_opt().ok_or_else(overflow)?;
        }
        let entry_due = due.and_time(e.evening);
        Ok(DataEntry {
            batch_due: batch.and_time(e.evening),
            entry_starts: batch,
            entry_due,
            on_time: entered.map(|t| t <= entry_due),
            clause: e.clause,
        })
    }

    /// A day's quotas and promises, each kept or broken with its clause:
    /// each record of the day measured against the promises that apply to
    /// it ([`Policy::promise_kept`]), then each quota counted
    /// ([`Policy::quota_check`]). Records not on `day.date` (by their start)
    /// are bad facts.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::{Policy, followup::{Call, DayLog, Direction, Promise}};
    /// let policy = Policy::example("education")?;
    /// let date = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    /// let slow = Call { at: date.and_hms_opt(10, 0, 0).unwrap(), direction: Direction::Incoming, rings: Some(5), ..Default::default() };
    /// let report = policy.day_report(&DayLog { date, calls: vec![slow], ..Default::default() }).unwrap();
    /// assert!(report.broken().any(|p| p.promise == Promise::AnswerByRing));
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn day_report(&self, day: &DayLog) -> Result<DayReport, FollowupError> {
        let rules = self.followup_rules()?;
        let mut checks = DayChecks {
            rules,
            date: day.date,
            promises: Vec::new(),
        };
        checks.calls(&day.calls)?;
        checks.chats(&day.chats)?;
        checks.requests(&day.requests)?;
        checks.visits(&day.visits)?;
        checks.cases(&day.cases)?;
        let quotas = rules
            .quotas
            .iter()
            .map(|q| {
                let made = day.calls.iter().filter(|c| q.counts_call(c)).count();
                q.check(u32::try_from(made).unwrap_or(u32::MAX), day.home_visits)
            })
            .collect();
        Ok(DayReport {
            quotas,
            promises: checks.promises,
        })
    }

    /// Whether what was measured keeps a promise of the policy, with the
    /// promise's clause: the number of rings, seconds to a reply, minutes
    /// early at a visit... as [`Measured`] says. A promise the policy does
    /// not state, or a measurement that does not fit the promise (seconds
    /// for rings, a negative wait), is an error. Allocates nothing.
    ///
    /// ```
    /// use cs_policy::followup::{FollowupError, Measured, Promise};
    /// let policy = cs_policy::Policy::example("shop")?;
    /// // A chat's first reply after 45 seconds, and after 61.
    /// assert!(policy.promise_kept(Promise::ChatFirstReply, Measured::Seconds(45))?.kept);
    /// assert!(!policy.promise_kept(Promise::ChatFirstReply, Measured::Seconds(61))?.kept);
    /// assert!(matches!(
    ///     policy.promise_kept(Promise::ChatFirstReply, Measured::Rings(2)),
    ///     Err(FollowupError::Measure { promise: "chat_first_reply", .. })
    /// ));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn promise_kept(
        &self,
        promise: Promise,
        measured: Measured,
    ) -> Result<PromiseVerdict, FollowupError> {
        self.followup_rules()?.verdict(promise, measured)
    }

    /// A daily quota kept or not, from the calls made that count towards it
    /// and the day's home visits. Allocates nothing.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("education")?;
    /// let quota = policy.quota_ref("effective_calls")?;
    /// // Five calls fewer for each home visit.
    /// let check = policy.quota_check(quota, 10, 1)?;
    /// assert_eq!((check.required, check.kept), (10, true));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn quota_check(
        &self,
        quota: QuotaRef,
        made: u32,
        home_visits: u32,
    ) -> Result<QuotaCheck, FollowupError> {
        Ok(self
            .followup_rules()?
            .quota_at(quota)?
            .check(made, home_visits))
    }

    /// When a customer is next revisited, by grade (C12), and whether that is
    /// overdue on `today`.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::{Policy, followup::Customer};
    /// let policy = Policy::example("fintech")?;
    /// let c = Customer { id: "K1".into(), grade: "z".into(), last_visit: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap() };
    /// assert!(policy.revisit_due(&c, NaiveDate::from_ymd_opt(2026, 3, 3).unwrap()).is_err());
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn revisit_due(
        &self,
        customer: &Customer,
        today: NaiveDate,
    ) -> Result<RevisitDue, FollowupError> {
        let rules = self.followup_rules()?;
        let r = rules
            .revisit
            .as_ref()
            .ok_or(FollowupError::NoRule("revisit"))?;
        let g = r
            .grades
            .iter()
            .find(|g| *g.id == *customer.grade)
            .ok_or_else(|| FollowupError::UnknownGrade {
                customer: customer.id.clone(),
                grade: customer.grade.clone(),
            })?;
        let due = match r.count {
            DayCount::CalendarDays => customer
                .last_visit
                .checked_add_days(Days::new(u64::from(g.every))),
            DayCount::WorkingDays => Some(
                self.calendar()
                    .add_working_days(customer.last_visit, g.every)?,
            ),
        }
        .ok_or(FollowupError::DateOverflow(customer.last_visit))?;
        Ok(RevisitDue {
            due,
            overdue: today > due,
            clause: g.clause,
        })
    }
}

/// The promises of a day's records, checked one record at a time.
struct DayChecks<'p> {
    rules: &'p FollowupRules,
    date: NaiveDate,
    promises: Vec<PromiseCheck>,
}

impl DayChecks<'_> {
    /// A record of the day must start on it.
    fn on_day(
        &self,
        what: &'static str,
        index: usize,
        at: NaiveDateTime,
    ) -> Result<(), FollowupError> {
        if at.date() == self.date {
            return Ok(());
        }
        Err(FollowupError::OffDay {
            what,
            index,
            at,
            date: self.date,
        })
    }

    /// A reply cannot come before the message it answers.
    fn replied_after(
        what: &'static str,
        index: usize,
        received: NaiveDateTime,
        reply: Option<NaiveDateTime>,
    ) -> Result<(), FollowupError> {
        match reply {
            Some(r) if r < received => Err(FollowupError::ReplyBeforeReceipt {
                what,
                index,
                received,
                reply: r,
            }),
            _ => Ok(()),
        }
    }

    /// Checks `promise` on one record, when the policy states it.
    fn check(
        &mut self,
        promise: Promise,
        record: usize,
        measured: Measured,
    ) -> Result<(), FollowupError> {
        if self.rules.has_promise(promise) {
            let v = self.rules.verdict(promise, measured)?;
            self.promises.push(PromiseCheck {
                promise,
                record,
                kept: v.kept,
                measured,
                clause: v.clause,
            });
        }
        Ok(())
    }

    /// Each phone call: the ring an incoming call was answered on, the wait
    /// before hanging up, the call's length.
    fn calls(&mut self, calls: &[Call]) -> Result<(), FollowupError> {
        for (i, c) in calls.iter().enumerate() {
            self.on_day("call", i, c.at)?;
            if let (Direction::Incoming, Some(rings)) = (c.direction, c.rings) {
                self.check(Promise::AnswerByRing, i, Measured::Rings(rings))?;
            }
            let waited = c.hang_up_wait_secs.map(i64::from);
            let waited = waited.map_or(Measured::Nothing, Measured::Seconds);
            self.check(Promise::HangUpWait, i, waited)?;
            let length = Measured::Seconds(i64::from(c.duration_secs));
            self.check(Promise::CallLength, i, length)?;
        }
        Ok(())
    }

    /// Each chat: the time to the first reply, by what the chat asks.
    fn chats(&mut self, chats: &[Chat]) -> Result<(), FollowupError> {
        for (i, c) in chats.iter().enumerate() {
            self.on_day("chat", i, c.received)?;
            Self::replied_after("chat", i, c.received, c.first_reply)?;
            let promise = match c.kind {
                ChatKind::Basic => Promise::ChatFirstReply,
                ChatKind::Enquiry => Promise::EnquiryReply,
            };
            let reply = c.first_reply.map(|r| (r - c.received).num_seconds());
            self.check(
                promise,
                i,
                reply.map_or(Measured::Nothing, Measured::Seconds),
            )?;
        }
        Ok(())
    }

    /// Each complaint or enquiry by phone: answered the same day, or called
    /// back and told when; after consulting the supervisor, the time to the
    /// first of the two.
    fn requests(&mut self, requests: &[Request]) -> Result<(), FollowupError> {
        for (i, r) in requests.iter().enumerate() {
            self.on_day("request", i, r.received)?;
            Self::replied_after("request", i, r.received, r.answered)?;
            Self::replied_after("request", i, r.received, r.callback_promised)?;
            Self::replied_after("request", i, r.received, r.consulted_supervisor)?;
            let same_day = |t: Option<NaiveDateTime>| t.is_some_and(|t| t.date() == self.date);
            let answer = if same_day(r.answered) {
                Measured::AnsweredSameDay
            } else if same_day(r.callback_promised) {
                Measured::CallbackPromised
            } else {
                Measured::Unanswered
            };
            self.check(Promise::SameDayAnswer, i, answer)?;
            if let Some(asked) = r.consulted_supervisor {
                let reply = match (r.answered, r.callback_promised) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                }
                .filter(|t| *t >= asked)
                .map(|t| (t - asked).num_seconds());
                let reply = reply.map_or(Measured::Nothing, Measured::Seconds);
                self.check(Promise::AfterSupervisorReply, i, reply)?;
            }
        }
        Ok(())
    }

    /// Each paid-service visit: minutes early at the appointment; at an
    /// unanswered door, the wait and the card.
    fn visits(&mut self, visits: &[Visit]) -> Result<(), FollowupError> {
        for (i, v) in visits.iter().enumerate() {
            self.on_day("visit", i, v.appointment)?;
            let early = (v.appointment - v.arrived).num_minutes();
            self.check(Promise::VisitArrival, i, Measured::Minutes(early))?;
            if !v.door_answered {
                let wait = Measured::DoorWait {
                    minutes: v.waited_minutes,
                    card_left: v.card_left,
                };
                self.check(Promise::DoorWait, i, wait)?;
            }
        }
        Ok(())
    }

    /// Each closed case: the time to its follow-up call.
    fn cases(&mut self, cases: &[Case]) -> Result<(), FollowupError> {
        for (i, c) in cases.iter().enumerate() {
            self.on_day("case", i, c.closed)?;
            Self::replied_after("case", i, c.closed, c.followup_call)?;
            let call = c.followup_call.map(|f| (f - c.closed).num_minutes());
            self.check(
                Promise::CaseFollowup,
                i,
                call.map_or(Measured::Nothing, Measured::Minutes),
            )?;
        }
        Ok(())
    }
}
