//! Follow-up call schedules, call quotas and response-time promises (C1–C12).
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

use chrono::{Datelike, Days, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Weekday};
use serde::{Deserialize, Serialize};

use crate::Policy;
pub use crate::calendar::LeapDay;
use crate::calendar::{Calendar, DayCount};
use crate::explain::ClauseRef;
use crate::policy::ProblemCode;
use crate::policy::read::{Choice, Loader, Node, Table};

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
pub enum Anchor {
    /// When the department received the member's service card (C1).
    CardReceived,
    /// The day of the deal (C2).
    Deal,
    /// The parents' meeting (C2, fourth call).
    ParentsMeeting,
    /// The member's birthday, every year (C4).
    Birthday,
}

impl Choice for Anchor {
    const WHAT: &'static str = "an anchor date";
    const CHOICES: &'static [(&'static str, Self)] = &[
        ("card_received", Self::CardReceived),
        ("deal", Self::Deal),
        ("parents_meeting", Self::ParentsMeeting),
        ("birthday", Self::Birthday),
    ];
}

/// Which week "the last week of the month" is (C4; a gap: the policy says).
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
pub enum LastWeek {
    /// The month's last seven days.
    LastSevenDays,
    /// The last full calendar week (from the calendar's `week_starts`) inside the month.
    LastCalendarWeek,
}

impl Choice for LastWeek {
    const WHAT: &'static str = "a last week of the month";
    const CHOICES: &'static [(&'static str, Self)] = &[
        ("last_seven_days", Self::LastSevenDays),
        ("last_calendar_week", Self::LastCalendarWeek),
    ];
}

/// In which week a birthday card is made (C4; a gap: the policy says).
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::followup::Member;
/// let policy = cs_policy::Policy::example("education")?;
/// let m = Member { id: "M".into(), deal: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
///     birthday: NaiveDate::from_ymd_opt(2020, 5, 20), ..Default::default() };
/// // Wednesday 20 May 2026: the card is made from Wednesday 13 May, the week before.
/// let plan = policy.birthday_plan(&[m], 2026, 5).unwrap();
/// assert_eq!(plan.cards[0].card_from, NaiveDate::from_ymd_opt(2026, 5, 13).unwrap());
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardWeek {
    /// The card-making weekday of the birthday's own week.
    Same,
    /// The card-making weekday of the week before the birthday's week.
    Previous,
}

impl Choice for CardWeek {
    const WHAT: &'static str = "a card week";
    const CHOICES: &'static [(&'static str, Self)] =
        &[("same", Self::Same), ("previous", Self::Previous)];
}

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
pub enum QuotaCounts {
    /// Effective outgoing calls; incoming calls never count (C5).
    EffectiveOutgoing,
    /// Outgoing calls to unverified registered users (C11).
    UnverifiedOutgoing,
}

impl Choice for QuotaCounts {
    const WHAT: &'static str = "a kind of counted call";
    const CHOICES: &'static [(&'static str, Self)] = &[
        ("effective_outgoing", Self::EffectiveOutgoing),
        ("unverified_outgoing", Self::UnverifiedOutgoing),
    ];
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
    /// When the department received the service card (C1, C3).
    pub card_received: Option<NaiveDateTime>,
    /// The parents' meeting, once known (C2).
    pub parents_meeting: Option<NaiveDate>,
    /// The member's date of birth (C4).
    pub birthday: Option<NaiveDate>,
    /// Whether the member is a VIP (C4: their call records are filed apart).
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Window {
    /// The first moment the call counts.
    pub opens: NaiveDateTime,
    /// The last moment the call is on time.
    pub closes: NaiveDateTime,
}

/// A reference to one planned call of a policy.
///
/// ```
/// let policy = cs_policy::Policy::example("education")?;
/// let f = policy.followup().unwrap();
/// assert_eq!(f.call_by_id("third").unwrap().index(), 2);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct CallRef(u16);

impl CallRef {
    /// Position in [`FollowupRules::calls`].
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("education")?;
    /// assert_eq!(policy.followup().unwrap().call_by_id("first").unwrap().index(), 0);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub const fn index(self) -> usize {
        self.0 as usize
    }
}

/// One planned call (C1, C2, C4).
///
/// ```
/// let policy = cs_policy::Policy::example("education")?;
/// let first = &policy.followup().unwrap().calls()[0];
/// assert_eq!(first.id(), "first");
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone)]
pub struct CallPlan {
    id: Box<str>,
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
        &self.id
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
/// let due = policy.calls_due(&[m], NaiveDate::from_ymd_opt(2026, 3, 3).unwrap()).unwrap();
/// assert_eq!(policy.followup().unwrap().call(due[0].call).unwrap().id(), "second");
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DueCall {
    /// Index of the member in the slice given.
    pub member: usize,
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
/// let checks = policy.check_calls(&[m], &[], as_of).unwrap();
/// assert!(checks.iter().all(|c| c.status == CallStatus::Pending));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
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
/// let checks = policy.check_calls(&[m], &[], as_of).unwrap();
/// assert!(checks.iter().all(|c| c.status == CallStatus::Missed));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CallCheck {
    /// Index of the member in the slice given.
    pub member: usize,
    /// The planned call.
    pub call: CallRef,
    /// Its window.
    pub window: Window,
    /// How it went.
    pub status: CallStatus,
    /// The log entry that decided it, if any (index in the log).
    pub logged: Option<usize>,
    /// The call's clause.
    pub clause: ClauseRef,
}

/// Birthday preparation for a month (C4).
///
/// ```
/// use cs_policy::Policy;
/// let policy = Policy::example("education")?;
/// let plan = policy.birthday_plan(&[], 2026, 3).unwrap();
/// assert_eq!(plan.list_from, chrono::NaiveDate::from_ymd_opt(2026, 2, 22).unwrap());
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BirthdayPlan {
    /// First day of the week the month's birthday list is printed.
    pub list_from: NaiveDate,
    /// Last day of that week (the previous month's last day or earlier).
    pub list_by: NaiveDate,
    /// One card per member whose birthday falls in the month.
    pub cards: Vec<BirthdayCard>,
    /// The clause.
    pub clause: ClauseRef,
}

/// A birthday card to make (C4).
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::followup::Member;
/// let policy = cs_policy::Policy::example("education")?;
/// let m = Member { id: "M".into(), deal: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
///     birthday: NaiveDate::from_ymd_opt(2020, 6, 1), vip: true, ..Default::default() };
/// let plan = policy.birthday_plan(&[m], 2026, 6).unwrap();
/// assert!(plan.cards[0].vip);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BirthdayCard {
    /// Index of the member.
    pub member: usize,
    /// The birthday this year.
    pub birthday: NaiveDate,
    /// The day card-making for it starts.
    pub card_from: NaiveDate,
    /// Whether the call record is filed with the VIP records.
    pub vip: bool,
}

/// The data-entry deadlines of a service card (C3).
///
/// ```
/// use chrono::NaiveDate;
/// let policy = cs_policy::Policy::example("education")?;
/// let card = NaiveDate::from_ymd_opt(2026, 3, 4).unwrap().and_hms_opt(11, 0, 0).unwrap();
/// let e = policy.data_entry(card, None).unwrap();
/// assert_eq!(e.entry_due.date(), NaiveDate::from_ymd_opt(2026, 3, 10).unwrap());
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
/// // Incoming calls do not count towards the 15 (C5).
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
    /// Whether it went to an unverified registered user (C11).
    pub to_unverified: bool,
    /// For an incoming call: the ring it was answered on (C7).
    pub rings: Option<u8>,
    /// How long the call lasted, in seconds (C8).
    pub duration_secs: u32,
    /// Seconds waited before hanging up; `None` when the customer hung up first (C7).
    pub hang_up_wait_secs: Option<u32>,
}

/// What a chat message asks.
///
/// ```
/// assert_eq!(cs_policy::followup::ChatKind::default(), cs_policy::followup::ChatKind::Basic);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChatKind {
    /// A basic question from the question list (C8: within 1 minute).
    #[default]
    Basic,
    /// An online enquiry (C8: within 5 minutes).
    Enquiry,
}

/// One chat conversation's first message and first reply (C8).
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

/// A complaint or enquiry received by phone (C6, C9).
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
    /// When the supervisor was consulted, if the answer was not immediate (C9).
    pub consulted_supervisor: Option<NaiveDateTime>,
}

/// A paid-service visit (C10).
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

/// A closed pre-sale, after-sale or complaint case (C11).
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
    /// How many home visits the agent made that day (C5).
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Promise {
    /// C6: an answer the same day, or a call saying when.
    SameDayAnswer,
    /// C7: answered by the n-th ring.
    AnswerByRing,
    /// C7: wait before hanging up.
    HangUpWait,
    /// C8: call length.
    CallLength,
    /// C8: first reply to a basic chat question.
    ChatFirstReply,
    /// C8: first reply to an online enquiry.
    EnquiryReply,
    /// C9: reply after consulting the supervisor.
    AfterSupervisorReply,
    /// C10: arrival before the appointment.
    VisitArrival,
    /// C10: waiting at an unanswered door, then a card.
    DoorWait,
    /// C11: a follow-up call after each case.
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PromiseCheck {
    /// Which promise.
    pub promise: Promise,
    /// Index of the record in its list of the [`DayLog`].
    pub record: usize,
    /// Whether the promise was kept.
    pub kept: bool,
    /// What was measured.
    pub measured: Measured,
    /// The promise's clause.
    pub clause: ClauseRef,
}

/// A daily quota checked (C5, C11).
///
/// ```
/// use cs_policy::followup::DayLog;
/// let policy = cs_policy::Policy::example("education")?;
/// let day = DayLog { date: chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(), home_visits: 1, ..Default::default() };
/// // Five fewer per home visit in this policy.
/// assert_eq!(policy.day_report(&day).unwrap().quotas[0].required, 10);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct QuotaCheck {
    /// Index of the quota in the policy's quotas.
    pub quota: usize,
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

/// A customer to revisit (C12).
///
/// ```
/// let c = cs_policy::followup::Customer { id: "C1".into(), grade: "a".into(), last_visit: chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap() };
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

/// When a customer is next revisited (C12).
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::{Policy, followup::Customer};
/// let policy = Policy::example("fintech")?;
/// let c = Customer { id: "C1".into(), grade: "a".into(), last_visit: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap() };
/// let due = policy.revisit_due(&c, NaiveDate::from_ymd_opt(2026, 3, 3).unwrap()).unwrap();
/// assert!(!due.overdue);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RevisitDue {
    /// The day the next revisit is due.
    pub due: NaiveDate,
    /// Whether it is overdue on the day asked.
    pub overdue: bool,
    /// The grade's clause.
    pub clause: ClauseRef,
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

#[derive(Debug, Clone, Copy)]
struct Quota {
    clause: ClauseRef,
    per_day: u32,
    counts: QuotaCounts,
    home_visit: HomeVisit,
}

/// A promise's limit, in the unit the promise uses.
#[derive(Debug, Clone, Copy)]
struct PromiseRule {
    clause: ClauseRef,
    /// Rings, seconds or minutes, or the lower bound of a range.
    lo: i64,
    /// The upper bound of a range (same unit); equals `lo` otherwise.
    hi: i64,
    /// C6: whether a callback promise keeps an unsolved request.
    flag: bool,
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

    /// One planned call (`None` for a reference from another policy).
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("education")?;
    /// let f = policy.followup().unwrap();
    /// let third = f.call_by_id("third").unwrap();
    /// assert_eq!(f.call(third).unwrap().id(), "third");
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn call(&self, call: CallRef) -> Option<&CallPlan> {
        self.calls.get(call.index())
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
            .position(|c| &*c.id == id)
            .and_then(|i| u16::try_from(i).ok())
            .map(CallRef)
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

    pub(crate) fn read(table: &mut Table<'_, '_>, ld: &mut Loader, policy: &Policy) -> Self {
        let _ = policy;
        let clause = ld.clause(table);
        let mut calls = Vec::new();
        for (id, mut t) in table.ids(ld, "calls") {
            let c = ld.clause_under(&mut t, Some(clause));
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
            let leap_day = if anchor == Some(Anchor::Birthday) {
                if t.contains("leap_day") {
                    t.req(ld, "leap_day").unwrap_or(LeapDay::February28)
                } else {
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
            } else {
                t.opt(ld, "leap_day").unwrap_or(LeapDay::February28)
            };
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
            if calls.len() >= usize::from(u16::MAX) {
                break;
            }
            calls.push(CallPlan {
                id: id.value.into_boxed_str(),
                anchor,
                opens,
                closes,
                leap_day,
                clause: c,
            });
        }
        let birthday = table
            .opt_table(ld, "birthday")
            .map(|t| read_birthday(t, ld, clause));
        let data_entry = table.opt_table(ld, "data_entry").map(|mut t| {
            let c = ld.clause_under(&mut t, Some(clause));
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
                clause: c,
                cards_by,
                entry_by,
                evening,
            }
        });
        let mut quotas = Vec::new();
        for (_, t) in table.ids(ld, "quotas") {
            quotas.push(read_quota(t, ld, clause));
        }
        let mut promises = [None; 10];
        if let Some(mut t) = table.opt_table(ld, "promises") {
            for (slot, promise) in promises.iter_mut().zip(PROMISES) {
                if let Some(pt) = t.opt_table(ld, promise.key()) {
                    *slot = Some(read_promise(pt, ld, clause, promise));
                }
            }
            t.finish(ld);
        }
        let revisit = table.opt_table(ld, "revisit").map(|mut t| {
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
        });
        Self {
            clause,
            calls,
            birthday,
            data_entry,
            quotas,
            promises,
            revisit,
        }
    }
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

fn read_quota(mut t: Table<'_, '_>, ld: &mut Loader, parent: ClauseRef) -> Quota {
    let clause = ld.clause_under(&mut t, Some(parent));
    let per_day = t.req_in(ld, "per_day", 1..=10_000).unwrap_or(1);
    let counts = t
        .req(ld, "counts")
        .unwrap_or(QuotaCounts::EffectiveOutgoing);
    let quota: Option<u32> = t.opt_in(ld, "on_home_visit_day", 0..=10_000);
    let less: Option<u32> = t.opt_in(ld, "less_per_home_visit", 0..=10_000);
    let reduce: Option<bool> = t.opt(ld, "home_visits_reduce");
    let given = usize::from(t.contains("on_home_visit_day"))
        + usize::from(t.contains("less_per_home_visit"))
        + usize::from(t.contains("home_visits_reduce"));
    let span = ld.header_span(&t.span);
    let home_visit = match (quota, less, reduce) {
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
    };
    t.finish(ld);
    Quota {
        clause,
        per_day,
        counts,
        home_visit,
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
            let secs = t.node("within_seconds");
            let mins = t.node("within_minutes");
            rule.lo = match (secs, mins) {
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
            };
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

fn read_range(t: &mut Table<'_, '_>, ld: &mut Loader, key: &'static str) -> (i64, i64) {
    let Some(node) = t.req_node(ld, key) else {
        return (0, 0);
    };
    let Some(v) = node.read::<Vec<u32>>(ld) else {
        return (0, 0);
    };
    match v.as_slice() {
        [a, b] if a <= b => (i64::from(*a), i64::from(*b)),
        [a, b] => {
            ld.error(
                ProblemCode::OutOfOrder,
                node.span(),
                &node.path(),
                format!("`{}` runs from {a} down to {b}", node.path()),
            )
            .help(format!("write the smaller bound first: `[{b}, {a}]`"));
            (i64::from(*b), i64::from(*a))
        }
        _ => {
            ld.error(
                ProblemCode::InvalidValue,
                node.span(),
                &node.path(),
                format!(
                    "`{}` should be two numbers of minutes, smaller first",
                    node.path()
                ),
            )
            .help("write it as `[5, 10]`");
            (0, 0)
        }
    }
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

    /// The anchor moment of a call for a member; for a birthday, the
    /// birthday in `year`.
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

    /// The windows of one planned call for a member (a birthday call: the
    /// occurrences from `from`'s year, but not before the deal, to the year
    /// after `until`'s, on or after the deal).
    fn windows(
        &self,
        plan: &CallPlan,
        m: &Member,
        from: NaiveDate,
        until: NaiveDate,
        out: &mut Vec<Window>,
    ) -> Result<(), FollowupError> {
        out.clear();
        if plan.anchor == Anchor::Birthday {
            let first = m.deal.year().max(from.year());
            for year in first..=until.year().saturating_add(1) {
                if let Some(a) = Self::anchor_of(plan, m, year) {
                    if a.date() >= m.deal {
                        out.push(self.window_at(plan, a)?);
                    }
                }
            }
        } else if let Some(a) = Self::anchor_of(plan, m, m.deal.year()) {
            out.push(self.window_at(plan, a)?);
        }
        Ok(())
    }

    /// The planned calls open on `date` for each member, with their windows
    /// (C1, C2, C4). A call whose anchor date a member lacks is not listed.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::{Policy, followup::Member};
    /// let policy = Policy::example("education")?;
    /// let m = Member { id: "M1".into(), deal: NaiveDate::from_ymd_opt(2026, 1, 31).unwrap(), ..Default::default() };
    /// // 1 March: only the third call (within a month and 15 days) is open.
    /// let due = policy.calls_due(&[m], NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()).unwrap();
    /// assert_eq!(due.len(), 1);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn calls_due(
        &self,
        members: &[Member],
        date: NaiveDate,
    ) -> Result<Vec<DueCall>, FollowupError> {
        let rules = self.followup_rules()?;
        let mut out = Vec::new();
        let mut windows = Vec::new();
        for (mi, m) in members.iter().enumerate() {
            check_member(m)?;
            if date < m.deal {
                continue;
            }
            for (ci, plan) in rules.calls.iter().enumerate() {
                // A yearly window may start in the year before `date`.
                let from = date
                    .with_day0(0)
                    .and_then(|d| d.with_month0(0))
                    .unwrap_or(date);
                let from = from.pred_opt().unwrap_or(from);
                self.windows(plan, m, from, date, &mut windows)?;
                for w in &windows {
                    if w.opens.date() <= date && date <= w.closes.date() {
                        out.push(DueCall {
                            member: mi,
                            call: CallRef(u16::try_from(ci).unwrap_or(u16::MAX)),
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
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::{Policy, followup::{LoggedCall, Member}};
    /// let policy = Policy::example("education")?;
    /// let m = Member { id: "M1".into(), deal: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(), ..Default::default() };
    /// let early = LoggedCall { member: "M1".into(), call: "second".into(),
    ///     at: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap().and_hms_opt(9, 0, 0).unwrap() };
    /// let as_of = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap().and_hms_opt(0, 0, 0).unwrap();
    /// assert!(policy.check_calls(&[m], &[early], as_of).is_err()); // before the member existed
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn check_calls(
        &self,
        members: &[Member],
        log: &[LoggedCall],
        as_of: NaiveDateTime,
    ) -> Result<Vec<CallCheck>, FollowupError> {
        let rules = self.followup_rules()?;
        // Resolve ids once: (member index, call index) per log entry.
        let mut resolved: Vec<(usize, usize, usize)> = Vec::with_capacity(log.len());
        let mut by_id = std::collections::HashMap::with_capacity(members.len());
        for (i, m) in members.iter().enumerate() {
            if by_id.insert(m.id.as_str(), i).is_some() {
                return Err(FollowupError::DuplicateMember {
                    member: m.id.clone(),
                });
            }
        }
        for (i, entry) in log.iter().enumerate() {
            let mi = by_id.get(entry.member.as_str()).copied().ok_or_else(|| {
                FollowupError::UnknownMember {
                    index: i,
                    member: entry.member.clone(),
                }
            })?;
            let ci = rules
                .calls
                .iter()
                .position(|c| *c.id == *entry.call)
                .ok_or_else(|| FollowupError::UnknownCall {
                    index: i,
                    call: entry.call.clone(),
                })?;
            let m = &members[mi];
            if entry.at.date() < m.deal {
                return Err(FollowupError::CallBeforeMember {
                    index: i,
                    member: m.id.clone(),
                    at: entry.at,
                    deal: m.deal,
                });
            }
            let plan = &rules.calls[ci];
            if Self::anchor_of(plan, m, entry.at.year()).is_none() {
                return Err(FollowupError::AnchorMissing {
                    index: i,
                    member: m.id.clone(),
                    call: entry.call.clone(),
                    anchor: plan.anchor,
                });
            }
            resolved.push((mi, ci, i));
        }
        resolved.sort_unstable_by_key(|&(mi, ci, i)| (mi, ci, log[i].at));
        let mut out = Vec::new();
        let mut windows = Vec::new();
        for (mi, m) in members.iter().enumerate() {
            check_member(m)?;
            for (ci, plan) in rules.calls.iter().enumerate() {
                self.windows(plan, m, m.deal, as_of.date(), &mut windows)?;
                let lo = resolved.partition_point(|&(a, b, _)| (a, b) < (mi, ci));
                let hi = resolved.partition_point(|&(a, b, _)| (a, b) <= (mi, ci));
                let entries = resolved.get(lo..hi).unwrap_or(&[]);
                for (wi, w) in windows.iter().enumerate() {
                    if w.opens > as_of {
                        continue;
                    }
                    // A yearly call's entries belong to the occurrence whose
                    // window is nearest.
                    let mine = |at: NaiveDateTime| -> bool {
                        let dist = |v: &Window| {
                            if at < v.opens {
                                (v.opens - at).num_minutes()
                            } else if at > v.closes {
                                (at - v.closes).num_minutes()
                            } else {
                                0
                            }
                        };
                        let d = dist(w);
                        windows
                            .iter()
                            .enumerate()
                            .all(|(vi, v)| vi == wi || dist(v) > d || (dist(v) == d && vi > wi))
                    };
                    let mut inside = None;
                    let mut after = None;
                    let mut before = None;
                    for &(_, _, li) in entries {
                        let at = log[li].at;
                        if !mine(at) {
                            continue;
                        }
                        if at < w.opens {
                            before = Some(li);
                        } else if at <= w.closes {
                            inside = inside.or(Some(li));
                        } else {
                            after = after.or(Some(li));
                        }
                    }
                    let (status, logged) = if let Some(li) = inside {
                        (CallStatus::Met, Some(li))
                    } else if let Some(li) = after {
                        let minutes = (log[li].at - w.closes).num_minutes().max(1);
                        (CallStatus::Late { minutes }, Some(li))
                    } else if let Some(li) = before {
                        let minutes = (w.opens - log[li].at).num_minutes().max(1);
                        (CallStatus::Early { minutes }, Some(li))
                    } else if as_of > w.closes {
                        (CallStatus::Missed, None)
                    } else {
                        (CallStatus::Pending, None)
                    };
                    out.push(CallCheck {
                        member: mi,
                        call: CallRef(u16::try_from(ci).unwrap_or(u16::MAX)),
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
    /// member whose birthday falls in the month, made from the card weekday.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::{Policy, followup::Member};
    /// let policy = Policy::example("education")?;
    /// let m = Member { id: "M1".into(), deal: NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
    ///     birthday: NaiveDate::from_ymd_opt(2021, 3, 12), ..Default::default() };
    /// let plan = policy.birthday_plan(&[m], 2026, 3).unwrap();
    /// // Thursday 12 March: the card is made from Wednesday 4 March, the week before.
    /// assert_eq!(plan.cards[0].card_from, NaiveDate::from_ymd_opt(2026, 3, 4).unwrap());
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn birthday_plan(
        &self,
        members: &[Member],
        year: i32,
        month: u32,
    ) -> Result<BirthdayPlan, FollowupError> {
        let rules = self.followup_rules()?;
        let b = rules
            .birthday
            .as_ref()
            .ok_or(FollowupError::NoRule("birthday"))?;
        let first = NaiveDate::from_ymd_opt(year, month, 1)
            .ok_or(FollowupError::DateOverflow(NaiveDate::MIN))?;
        let overflow = || FollowupError::DateOverflow(first);
        let prev_last = first.pred_opt().ok_or_else(overflow)?;
        let week_starts = self.calendar().week_starts();
        let (list_from, list_by) = match b.list_week {
            LastWeek::LastSevenDays => (
                prev_last
                    .checked_sub_days(Days::new(6))
                    .ok_or_else(overflow)?,
                prev_last,
            ),
            LastWeek::LastCalendarWeek => {
                // The last full week inside the previous month ends on the day
                // before a week start, on or before the month's last day.
                let week_end = week_starts.pred();
                let back = (7 + prev_last.weekday().num_days_from_monday()
                    - week_end.num_days_from_monday())
                    % 7;
                let by = prev_last
                    .checked_sub_days(Days::new(u64::from(back)))
                    .ok_or_else(overflow)?;
                (by.checked_sub_days(Days::new(6)).ok_or_else(overflow)?, by)
            }
        };
        let mut cards = Vec::new();
        for (mi, m) in members.iter().enumerate() {
            let Some(birth) = m.birthday else { continue };
            let Some(day) = b.leap_day.anniversary(birth, year) else {
                continue;
            };
            if day.month() != month || day < m.deal {
                continue;
            }
            // The start of the birthday's week, then the card weekday in it.
            let into_week =
                (7 + day.weekday().num_days_from_monday() - week_starts.num_days_from_monday()) % 7;
            let week_start = day
                .checked_sub_days(Days::new(u64::from(into_week)))
                .ok_or_else(overflow)?;
            let to_card =
                (7 + b.cards_from.num_days_from_monday() - week_starts.num_days_from_monday()) % 7;
            let mut card_from = week_start
                .checked_add_days(Days::new(u64::from(to_card)))
                .ok_or_else(overflow)?;
            if b.card_week == CardWeek::Previous {
                card_from = card_from
                    .checked_sub_days(Days::new(7))
                    .ok_or_else(overflow)?;
            }
            cards.push(BirthdayCard {
                member: mi,
                birthday: day,
                card_from,
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

    /// A day's quotas and promises (C5–C11), each kept or broken with its
    /// clause. Records not on `day.date` (by their start) are bad facts.
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
        let off = |what: &'static str, index: usize, at: NaiveDateTime| {
            if at.date() == day.date {
                Ok(())
            } else {
                Err(FollowupError::OffDay {
                    what,
                    index,
                    at,
                    date: day.date,
                })
            }
        };
        let order = |what: &'static str,
                     index: usize,
                     received: NaiveDateTime,
                     reply: Option<NaiveDateTime>| {
            match reply {
                Some(r) if r < received => Err(FollowupError::ReplyBeforeReceipt {
                    what,
                    index,
                    received,
                    reply: r,
                }),
                _ => Ok(()),
            }
        };
        let mut promises = Vec::new();
        let rule = |p: Promise| rules.promises[p as usize];
        let mut push = |promise: Promise, record: usize, kept: bool, measured: Measured| {
            if let Some(r) = rule(promise) {
                promises.push(PromiseCheck {
                    promise,
                    record,
                    kept,
                    measured,
                    clause: r.clause,
                });
            }
        };
        let lim = |p: Promise| rule(p).map_or((0, 0, false), |r| (r.lo, r.hi, r.flag));
        for (i, c) in day.calls.iter().enumerate() {
            off("call", i, c.at)?;
            if let (Direction::Incoming, Some(rings)) = (c.direction, c.rings) {
                let (max, _, _) = lim(Promise::AnswerByRing);
                push(
                    Promise::AnswerByRing,
                    i,
                    i64::from(rings) <= max,
                    Measured::Rings(rings),
                );
            }
            let (wait, _, _) = lim(Promise::HangUpWait);
            let waited = c.hang_up_wait_secs.map(i64::from);
            push(
                Promise::HangUpWait,
                i,
                waited.is_none_or(|w| w >= wait),
                waited.map_or(Measured::Nothing, Measured::Seconds),
            );
            let (max, _, _) = lim(Promise::CallLength);
            let secs = i64::from(c.duration_secs);
            push(Promise::CallLength, i, secs <= max, Measured::Seconds(secs));
        }
        for (i, c) in day.chats.iter().enumerate() {
            off("chat", i, c.received)?;
            order("chat", i, c.received, c.first_reply)?;
            let p = match c.kind {
                ChatKind::Basic => Promise::ChatFirstReply,
                ChatKind::Enquiry => Promise::EnquiryReply,
            };
            let (within, _, _) = lim(p);
            match c.first_reply {
                Some(r) => {
                    let secs = (r - c.received).num_seconds();
                    push(p, i, secs <= within, Measured::Seconds(secs));
                }
                None => push(p, i, false, Measured::Nothing),
            }
        }
        for (i, r) in day.requests.iter().enumerate() {
            off("request", i, r.received)?;
            order("request", i, r.received, r.answered)?;
            order("request", i, r.received, r.callback_promised)?;
            order("request", i, r.received, r.consulted_supervisor)?;
            let (_, _, callback_counts) = lim(Promise::SameDayAnswer);
            let same_day = |t: Option<NaiveDateTime>| t.is_some_and(|t| t.date() == day.date);
            let (kept, measured) = if same_day(r.answered) {
                (true, Measured::AnsweredSameDay)
            } else if same_day(r.callback_promised) {
                (callback_counts, Measured::CallbackPromised)
            } else {
                (false, Measured::Unanswered)
            };
            push(Promise::SameDayAnswer, i, kept, measured);
            if let Some(asked) = r.consulted_supervisor {
                let (within, _, _) = lim(Promise::AfterSupervisorReply);
                let reply = match (r.answered, r.callback_promised) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                }
                .filter(|t| *t >= asked);
                match reply {
                    Some(t) => {
                        let secs = (t - asked).num_seconds();
                        push(
                            Promise::AfterSupervisorReply,
                            i,
                            secs <= within,
                            Measured::Seconds(secs),
                        );
                    }
                    None => push(Promise::AfterSupervisorReply, i, false, Measured::Nothing),
                }
            }
        }
        for (i, v) in day.visits.iter().enumerate() {
            off("visit", i, v.appointment)?;
            let (lo, hi, _) = lim(Promise::VisitArrival);
            let early = (v.appointment - v.arrived).num_minutes();
            push(
                Promise::VisitArrival,
                i,
                (lo..=hi).contains(&early),
                Measured::Minutes(early),
            );
            if !v.door_answered {
                let (lo, hi, card) = lim(Promise::DoorWait);
                let waited = i64::from(v.waited_minutes);
                push(
                    Promise::DoorWait,
                    i,
                    (lo..=hi).contains(&waited) && (v.card_left || !card),
                    Measured::DoorWait {
                        minutes: v.waited_minutes,
                        card_left: v.card_left,
                    },
                );
            }
        }
        for (i, c) in day.cases.iter().enumerate() {
            off("case", i, c.closed)?;
            order("case", i, c.closed, c.followup_call)?;
            let (within, _, _) = lim(Promise::CaseFollowup);
            match c.followup_call {
                Some(f) => {
                    let minutes = (f - c.closed).num_minutes();
                    push(
                        Promise::CaseFollowup,
                        i,
                        minutes <= within,
                        Measured::Minutes(minutes),
                    );
                }
                None => push(Promise::CaseFollowup, i, false, Measured::Nothing),
            }
        }
        let quotas = rules
            .quotas
            .iter()
            .enumerate()
            .map(|(qi, q)| {
                let made = day
                    .calls
                    .iter()
                    .filter(|c| {
                        c.direction == Direction::Outgoing
                            && match q.counts {
                                QuotaCounts::EffectiveOutgoing => c.effective,
                                QuotaCounts::UnverifiedOutgoing => c.to_unverified,
                            }
                    })
                    .count();
                let made = u32::try_from(made).unwrap_or(u32::MAX);
                let required = match (q.home_visit, day.home_visits) {
                    (_, 0) | (HomeVisit::Unchanged, _) => q.per_day,
                    (HomeVisit::Quota(n), _) => n.min(q.per_day),
                    (HomeVisit::LessPerVisit(n), v) => {
                        q.per_day.saturating_sub(n.saturating_mul(v))
                    }
                };
                QuotaCheck {
                    quota: qi,
                    counts: q.counts,
                    required,
                    made,
                    kept: made >= required,
                    clause: q.clause,
                }
            })
            .collect();
        Ok(DayReport { quotas, promises })
    }

    /// When a customer is next revisited, by grade (C12), and whether that is
    /// overdue on `today`.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::{Policy, followup::Customer};
    /// let policy = Policy::example("fintech")?;
    /// let c = Customer { id: "C1".into(), grade: "z".into(), last_visit: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap() };
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
