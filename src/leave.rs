//! Leave types, entitlements, notice, paperwork and conversion of excess days.
//!
//! The `[leave]` section of a policy file. Leave types are data, keyed by an
//! id the file chooses; a *notice ladder* says what every request needs by
//! its length; each type adds its own paperwork, entitlement and
//! what its excess days become:
//!
//! ```toml
//! [leave]
//! source = "001 ch.2 B 二"
//! overlapping_requests = "count_once"   # or "bad_facts"
//!
//! [leave.ages]                          # how full years (周岁) are counted
//! reached = "on_anniversary"            # or "day_after_anniversary"
//! leap_day = "march_1"                  # or "february_28"
//!
//! [leave.year_cap]                      # days a year against the bonus
//! days = 20
//! inclusive = true
//!
//! [[leave.notice]]                      # one day
//! min_days = 1
//! notice_days = 0
//! approver = "department_head"
//! form = true
//!
//! [[leave.notice]]                      # more than one day
//! min_days = 2
//! notice_days = 3
//! approver = "above_department_head"
//! form = true
//! discretion = true                     # special cases may waive the notice
//!
//! [leave.types.personal]
//! pay = "unpaid"
//! count = "working_days"                # or "calendar_days", "calendar_days_except_holidays"
//! year_cap = true
//!
//! [leave.types.marriage]
//! pay = "paid"
//! count = "calendar_days"
//! notice_days = 15
//! documents = ["marriage_certificate"]
//! one_block = true
//! excess = "personal"                   # a leave type id, or "absence"
//! entitlement = { kind = "marriage", days = 3, late_extra_days = 7, late_man_age = 25, late_woman_age = 23, remarriage_days = 3 }
//! ```
//!
//! [`Policy::decide_leave`] turns an [`Agent`] and a [`LeaveRequest`] into
//! a [`LeaveSummary`], allocating nothing: the days counted, the
//! entitlement, the paid days, the days converted to another leave type or
//! to absence, and every unmet requirement with its clause;
//! [`Policy::decided_days`] gives each date of the request.
//! [`Policy::check_leave_request`] gives both at once as a
//! [`LeaveDecision`], [`Policy::leave_year`] adds decisions up against the
//! year cap, and [`LeaveDecision::leave_days`] hands the days to attendance.
//!
//! The agent's birth date and sex are asked for only where a rule needs
//! them (the marriage rule's late-marriage age): a personal or sick day is
//! decided for an agent known by id alone ([`Agent::id_only`]).
//!
//! Ages are exact: [`AgeRules::full_years`] counts full years on the
//! anniversary (or the day after, as the policy says), and a 29 February
//! birthday falls on the day the policy names in common years.

use std::borrow::Cow;
use std::fmt;

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::Policy;
use crate::attendance::LeaveDay;
pub use crate::calendar::LeapDay;
use crate::calendar::{Calendar, CalendarError, DayKind};
use crate::explain::{ClauseRef, PolicyTag, Ref};
use crate::policy::ProblemCode;
use crate::policy::read::{Choice, Hint, Loader, Located, Node, Table, choices};

/// The longest request accepted, in calendar days: more is bad facts.
pub const LONGEST_REQUEST_DAYS: u32 = 400;

/// The largest number of babies of one birth accepted.
pub const MOST_BABIES: i32 = 9;

/// The longest entitlement or notice a policy may state, in days.
const LONGEST_DAYS: u32 = 366;

// ---------------------------------------------------------------------------
// Words of the policy and of the facts
// ---------------------------------------------------------------------------

choices! {
    /// Whether the days of a leave type are paid.
    ///
    /// ```
    /// use cs_policy::leave::Pay;
    ///
    /// let policy = cs_policy::Policy::example("education")?;
    /// let rules = policy.leave().unwrap();
    /// let pay = |id| rules.get(rules.type_ref(id).unwrap()).unwrap().pay();
    /// assert_eq!((pay("marriage"), pay("personal"), pay("work_injury")), (Pay::Paid, Pay::Unpaid, Pay::Statutory));
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum Pay as "a pay rule" {
        /// Paid leave (带薪假).
        Paid => "paid",
        /// Unpaid leave, such as personal leave (事假).
        Unpaid => "unpaid",
        /// Pay follows statutory rules outside the policy (work-injury leave);
        /// the library marks such days and computes nothing for them.
        Statutory => "statutory",
    }
}

choices! {
    /// Which days inside a leave count as leave days (RULES.md L gap); see
    /// [`Counting::counts`].
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum Counting as "a way of counting days" {
        /// Every date counts, rest days and public holidays included.
        CalendarDays => "calendar_days",
        /// Only the calendar's working days count (make-up working days
        /// included); weekends and public holidays inside do not.
        WorkingDays => "working_days",
        /// Every date counts except public holidays.
        CalendarDaysExceptHolidays => "calendar_days_except_holidays",
    }
}

impl Counting {
    /// Whether `date` counts as a leave day under this rule.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::Policy;
    /// use cs_policy::leave::Counting;
    ///
    /// let policy = Policy::example("education")?;
    /// let saturday = NaiveDate::from_ymd_opt(2026, 3, 7).unwrap();
    /// assert!(Counting::CalendarDays.counts(policy.calendar(), saturday)?);
    /// assert!(!Counting::WorkingDays.counts(policy.calendar(), saturday)?);
    /// // A date past the calendar's years cannot be counted in working days.
    /// let later = NaiveDate::from_ymd_opt(2027, 2, 8).unwrap();
    /// assert!(Counting::WorkingDays.counts(policy.calendar(), later).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn counts(self, calendar: &Calendar, date: NaiveDate) -> Result<bool, CalendarError> {
        Ok(match self {
            Self::CalendarDays => true,
            Self::WorkingDays => calendar.is_working_day(date)?,
            Self::CalendarDaysExceptHolidays => calendar.day(date)?.kind != DayKind::Holiday,
        })
    }
}

choices! {
    /// For an agent with a roster, which days a leave counted in working days
    /// counts (RULES.md L gap: the education team works weekends, the shop
    /// rotates its rest day): a choice the policy states for each such type.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::Policy;
    /// use cs_policy::leave::{Agent, Approver, Document, LeaveRequest, OnRoster, Sex};
    ///
    /// let policy = Policy::example("education")?;
    /// let rules = policy.leave().unwrap();
    /// let personal = rules.get(rules.type_ref("personal").unwrap()).unwrap();
    /// assert_eq!(personal.on_roster().map(|(o, _)| o), Some(OnRoster::RosteredDays));
    /// // Saturday 7 March 2026, rostered: one day of personal leave.
    /// let saturday = NaiveDate::from_ymd_opt(2026, 3, 7).unwrap();
    /// let agent = Agent::new("li", NaiveDate::from_ymd_opt(1995, 5, 10).unwrap(), Sex::Woman)
    ///     .rostered_on([saturday]);
    /// let request = LeaveRequest::new("personal", saturday, saturday, saturday)
    ///     .with_documents([Document::LeaveForm])
    ///     .with_approvals([Approver::DepartmentHead])
    ///     .reported_back();
    /// let decision = policy.check_leave_request(&agent, &request)?;
    /// assert_eq!(decision.counted_days, 1);
    /// assert_eq!(
    ///     decision.counted_on_roster.map(|c| c.id()),
    ///     Some("leave.types.personal.on_roster")
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum OnRoster as "a way of counting a rostered agent's days" {
        /// The days the agent was rostered: a rostered weekend or holiday
        /// counts, an unrostered weekday does not.
        RosteredDays => "rostered_days",
        /// The calendar's working days, whatever the roster says.
        CalendarWorkingDays => "calendar_working_days",
    }
}

choices! {
    /// Who signs a leave form, lowest first: an approval by a higher level
    /// satisfies a requirement for a lower one.
    ///
    /// ```
    /// use cs_policy::leave::Approver;
    ///
    /// assert!(Approver::AboveDepartmentHead > Approver::DepartmentHead);
    /// assert!(Approver::DepartmentHead > Approver::Supervisor);
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum Approver as "an approver" {
        /// The agent's supervisor (主管).
        Supervisor => "supervisor",
        /// The department head (部门主管).
        DepartmentHead => "department_head",
        /// The level above the department head, to whom the head reports the
        /// request (向上报批).
        AboveDepartmentHead => "above_department_head",
    }
}

choices! {
    /// A paper a request may need.
    ///
    /// ```
    /// use cs_policy::leave::Document;
    ///
    /// let documents: Vec<Document> = serde_json::from_str(r#"["leave_form", "hospital_certificate"]"#).unwrap();
    /// assert_eq!(documents, [Document::LeaveForm, Document::HospitalCertificate]);
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum Document as "a document" {
        /// The leave form (请假条).
        LeaveForm => "leave_form",
        /// A hospital certificate (医院诊断证明).
        HospitalCertificate => "hospital_certificate",
        /// The marriage certificate (结婚证).
        MarriageCertificate => "marriage_certificate",
        /// A birth certificate or medical birth record.
        BirthCertificate => "birth_certificate",
    }
}

choices! {
    /// The agent's relation to a person who died (bereavement leave).
    ///
    /// ```
    /// use cs_policy::leave::{Entitlement, Relation};
    ///
    /// let policy = cs_policy::Policy::example("education")?;
    /// let rules = policy.leave().unwrap();
    /// let bereavement = rules.get(rules.type_ref("bereavement").unwrap()).unwrap();
    /// let Some((Entitlement::Fixed { days: 3, relations: Some(listed) }, _)) = bereavement.entitlement() else {
    ///     panic!("three days for listed relations");
    /// };
    /// assert!(listed.contains(&Relation::ParentInLaw) && !listed.contains(&Relation::Grandparent));
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum Relation as "a relation" {
        /// Father or mother.
        Parent => "parent",
        /// Son or daughter.
        Child => "child",
        /// Husband or wife.
        Spouse => "spouse",
        /// The spouse's father or mother (岳父母, 公婆).
        ParentInLaw => "parent_in_law",
        /// Grandfather or grandmother.
        Grandparent => "grandparent",
        /// Grandchild.
        Grandchild => "grandchild",
        /// Brother or sister.
        Sibling => "sibling",
        /// Anyone else.
        Other => "other",
    }
}

/// The agent's sex, as the marriage rule distinguishes it.
///
/// ```
/// use cs_policy::leave::Sex;
///
/// assert_eq!(serde_json::to_string(&Sex::Woman).unwrap(), r#""woman""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// A man (男).
    Man,
    /// A woman (女).
    Woman,
}

/// Who filed a request (a relative may apply for an injured employee).
///
/// ```
/// use cs_policy::leave::Applicant;
///
/// assert_eq!(Applicant::default(), Applicant::Agent);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Applicant {
    /// The agent.
    #[default]
    Agent,
    /// A relative on the agent's behalf.
    Relative,
}

choices! {
    /// When a person has reached `n` full years (周岁).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::ClauseRef;
    /// use cs_policy::leave::{AgeReached, AgeRules, LeapDay};
    ///
    /// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    /// let after = AgeRules { reached: AgeReached::DayAfterAnniversary, leap_day: LeapDay::March1, clause: ClauseRef::default() };
    /// assert_eq!(after.full_years(d(2001, 5, 10), d(2026, 5, 10)), Some(24));
    /// assert_eq!(after.full_years(d(2001, 5, 10), d(2026, 5, 11)), Some(25));
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum AgeReached as "an age rule" {
        /// On the `n`th anniversary of the birth (civil practice).
        OnAnniversary => "on_anniversary",
        /// On the day after the anniversary ("过了周岁生日,从第二天起").
        DayAfterAnniversary => "day_after_anniversary",
    }
}

choices! {
    /// How requests that claim the same date are handled.
    ///
    /// ```
    /// use cs_policy::leave::OverlappingRequests;
    ///
    /// let policy = cs_policy::Policy::example("education")?;
    /// assert_eq!(policy.leave().unwrap().overlapping_requests(), OverlappingRequests::CountOnce);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum OverlappingRequests as "an overlap rule" {
        /// A date belongs to the first request that claims it; later requests
        /// do not count it again.
        CountOnce => "count_once",
        /// Two requests claiming one date are bad facts ([`LeaveError::Overlap`]).
        BadFacts => "bad_facts",
    }
}

choices! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum EntitlementKind as "an entitlement kind" {
        Fixed => "fixed",
        Marriage => "marriage",
        Maternity => "maternity",
        NursingHour => "nursing_hour",
        Statutory => "statutory",
    }
}

fn word<T: Choice + PartialEq>(value: T) -> &'static str {
    T::CHOICES
        .iter()
        .find(|(_, v)| *v == value)
        .map_or("", |(w, _)| w)
}

// ---------------------------------------------------------------------------
// The typed model
// ---------------------------------------------------------------------------

/// A reference to one leave type of a policy: `Copy`, written as the type's
/// id, resolved with [`LeaveRules::get`] (or [`Policy::leave_type_ref`] from
/// text).
///
/// ```
/// let policy = cs_policy::Policy::example("education")?;
/// let rules = policy.leave().unwrap();
/// let marriage = rules.type_ref("marriage").unwrap();
/// assert_eq!(rules.get(marriage).map(|t| t.id()), Some("marriage"));
/// assert_eq!(serde_json::to_string(&marriage)?, r#""marriage""#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub type LeaveTypeRef = Ref<LeaveType>;

/// What the days beyond an entitlement become.
///
/// ```
/// use cs_policy::leave::Excess;
///
/// let policy = cs_policy::Policy::example("education")?;
/// let rules = policy.leave().unwrap();
/// let marriage = rules.get(rules.type_ref("marriage").unwrap()).unwrap();
/// assert_eq!(marriage.excess(), Some(Excess::Type(rules.type_ref("personal").unwrap())));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Excess {
    /// Days of another leave type, such as personal leave (视为事假).
    Type(LeaveTypeRef),
    /// Absence.
    Absence,
}

/// How many days a leave type grants for one request.
///
/// ```
/// use cs_policy::leave::Entitlement;
///
/// let policy = cs_policy::Policy::example("education")?;
/// let rules = policy.leave().unwrap();
/// let maternity = rules.get(rules.type_ref("maternity").unwrap()).unwrap();
/// let (entitlement, clause) = maternity.entitlement().unwrap();
/// assert!(matches!(entitlement, Entitlement::Maternity { before_days: 15, after_days: 75, difficult_after_days: 90, per_additional_baby_days: 15, .. }));
/// assert_eq!(clause.id(), "leave.types.maternity.entitlement");
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Entitlement {
    /// A fixed number of days; with `relations`, only for a death of one of
    /// those relations (bereavement), otherwise none.
    Fixed {
        /// Days granted.
        days: u32,
        /// The relations that qualify, when the type is limited to some.
        relations: Option<Vec<Relation>>,
    },
    /// Marriage leave: `days`, plus `late_extra_days` for a first
    /// marriage when a man is at least `late_man_age` or a woman at least
    /// `late_woman_age` full years old on the date of the marriage (the
    /// certificate's date, not the first day of leave); a remarriage gets
    /// `remarriage_days` only.
    Marriage {
        /// Days of an ordinary first marriage.
        days: u32,
        /// Reward days of a late marriage.
        late_extra_days: u32,
        /// The age from which a man's marriage is late.
        late_man_age: u32,
        /// The age from which a woman's marriage is late.
        late_woman_age: u32,
        /// Days of a remarriage.
        remarriage_days: u32,
        /// Whether the certificate must have been obtained after the agent
        /// joined the organisation (员工到本单位工作后领取结婚证).
        certificate_after_joining: bool,
    },
    /// Maternity leave: days before and after the birth, more after a
    /// difficult birth, and more for each additional baby.
    Maternity {
        /// Days before a normal birth.
        before_days: u32,
        /// Days after a normal birth.
        after_days: u32,
        /// Days before a difficult birth.
        difficult_before_days: u32,
        /// Days after a difficult birth.
        difficult_after_days: u32,
        /// Days added for each baby after the first.
        per_additional_baby_days: u32,
    },
    /// A nursing time each day until the child reaches `until_years` full
    /// years (the nursing hour); the last day is the day before.
    NursingHour {
        /// Minutes a day.
        minutes_per_day: u32,
        /// The child's age at which it ends.
        until_years: u32,
    },
    /// Governed by statute outside the policy (work injury): marked, not computed.
    Statutory,
}

/// One leave type of the policy (`[leave.types.<id>]`).
///
/// ```
/// use cs_policy::Policy;
/// use cs_policy::leave::{Counting, Document, Pay};
///
/// let policy = Policy::example("education")?;
/// let rules = policy.leave().unwrap();
/// let sick = rules.get(rules.type_ref("sick").unwrap()).unwrap();
/// assert_eq!(sick.counting(), Counting::WorkingDays);
/// assert_eq!(sick.documents(), [Document::HospitalCertificate]);
/// assert!(sick.report_back() && sick.counts_against_cap());
/// assert_eq!(sick.pay(), Pay::Unpaid);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone)]
pub struct LeaveType {
    reference: LeaveTypeRef,
    clause: ClauseRef,
    pay: Pay,
    counting: Counting,
    ladder: bool,
    notice_days: Option<u32>,
    approver: Option<Approver>,
    form: bool,
    documents: Vec<Document>,
    report_back: bool,
    relative_may_apply: bool,
    one_block: bool,
    year_cap: bool,
    excess: Option<Excess>,
    entitlement: Option<(Entitlement, ClauseRef)>,
    on_roster: Option<(OnRoster, ClauseRef)>,
}

impl LeaveType {
    /// For a type counted in working days, which days count for an agent
    /// with a roster, and the clause that states it
    /// (`leave.types.<id>.on_roster`).
    pub fn on_roster(&self) -> Option<(OnRoster, ClauseRef)> {
        self.on_roster
    }

    /// The id the file gives the type (`[leave.types.<id>]`).
    pub fn id(&self) -> &str {
        self.reference.id()
    }
    /// A reference to the type, as results carry it.
    pub fn reference(&self) -> LeaveTypeRef {
        self.reference
    }
    /// The type's clause.
    pub fn clause(&self) -> ClauseRef {
        self.clause
    }
    /// Whether its days are paid.
    pub fn pay(&self) -> Pay {
        self.pay
    }
    /// Which days inside a leave of this type count.
    pub fn counting(&self) -> Counting {
        self.counting
    }
    /// Whether the notice ladder (`[[leave.notice]]`) applies to it.
    pub fn follows_ladder(&self) -> bool {
        self.ladder
    }
    /// The type's own minimum notice in calendar days, besides the ladder's.
    pub fn notice_days(&self) -> Option<u32> {
        self.notice_days
    }
    /// The type's own approver, besides the ladder's.
    pub fn approver(&self) -> Option<Approver> {
        self.approver
    }
    /// Whether the type itself needs a leave form.
    pub fn needs_form(&self) -> bool {
        self.form
    }
    /// Documents the request needs.
    pub fn documents(&self) -> &[Document] {
        &self.documents
    }
    /// Whether the agent must report back after the leave (销假).
    pub fn report_back(&self) -> bool {
        self.report_back
    }
    /// Whether a relative may file the request.
    pub fn relative_may_apply(&self) -> bool {
        self.relative_may_apply
    }
    /// Whether the entitlement is taken in one block (一次性使用): a later
    /// request of the same type gets no entitlement.
    pub fn one_block(&self) -> bool {
        self.one_block
    }
    /// Whether its days count against the year cap.
    pub fn counts_against_cap(&self) -> bool {
        self.year_cap
    }
    /// What days beyond the entitlement become.
    pub fn excess(&self) -> Option<Excess> {
        self.excess
    }
    /// The entitlement, if the type limits its days, with its clause.
    pub fn entitlement(&self) -> Option<(&Entitlement, ClauseRef)> {
        self.entitlement.as_ref().map(|(e, c)| (e, *c))
    }

    /// The clause that reads the agent's birth date and sex (the marriage
    /// rule's late-marriage age), if the type has one: other types ask
    /// neither.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("education")?;
    /// let rules = policy.leave().unwrap();
    /// let reads = |id| rules.get(rules.type_ref(id).unwrap()).unwrap().reads_age_and_sex().map(|c| c.id());
    /// assert_eq!(reads("marriage"), Some("leave.types.marriage.entitlement"));
    /// assert_eq!((reads("personal"), reads("sick")), (None, None));
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn reads_age_and_sex(&self) -> Option<ClauseRef> {
        match &self.entitlement {
            Some((Entitlement::Marriage { .. }, clause)) => Some(*clause),
            _ => None,
        }
    }
}

/// One step of the notice ladder: what a request of at least `min_days`
/// counted days needs. The longest step that applies decides.
///
/// ```
/// let policy = cs_policy::Policy::example("education")?;
/// let steps = policy.leave().unwrap().notice_steps();
/// let days: Vec<_> = steps.iter().map(|s| (s.min_days, s.notice_days)).collect();
/// assert_eq!(days, [(1, 0), (2, 3), (7, 7)]);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoticeStep {
    /// The shortest request (in counted days) the step applies to.
    pub min_days: u32,
    /// Minimum notice in calendar days between the request and the first
    /// day of leave.
    pub notice_days: u32,
    /// Who must sign, if anyone.
    pub approver: Option<Approver>,
    /// Whether a leave form is needed.
    pub form: bool,
    /// Whether the approver may accept shorter notice as a special case
    /// (特殊情况酌情处理): a request marked
    /// [`special_case`](LeaveRequest::special_case) then has the notice
    /// shortfall waived, listed in [`LeaveSummary::waived`].
    pub discretion: bool,
    /// The step's clause (`leave.notice[i]`).
    pub clause: ClauseRef,
}

/// The year cap on leave counted against the attendance-related year-end
/// bonus.
///
/// ```
/// let policy = cs_policy::Policy::example("education")?;
/// let cap = policy.leave().unwrap().year_cap().unwrap();
/// assert_eq!((cap.days, cap.inclusive, cap.allowed()), (20, true, 20));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearCap {
    /// The cap in days.
    pub days: u32,
    /// Whether a total equal to the cap is still within it (包含二十天).
    pub inclusive: bool,
    /// The clause (`leave.year_cap`).
    pub clause: ClauseRef,
}

impl YearCap {
    /// The most days allowed within the cap.
    pub fn allowed(&self) -> u32 {
        if self.inclusive {
            self.days
        } else {
            self.days.saturating_sub(1)
        }
    }
}

/// How the policy counts full years of age (周岁), for late marriage and
/// the nursing hour.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::Policy;
///
/// let policy = Policy::example("education")?;
/// let ages = policy.leave().unwrap().ages().unwrap();
/// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
/// // Born on 29 February: the file says a common year's anniversary is 1 March.
/// assert_eq!(ages.reached_on(d(2024, 2, 29), 1), Some(d(2025, 3, 1)));
/// assert_eq!(ages.full_years(d(2024, 2, 29), d(2025, 2, 28)), Some(0));
/// assert_eq!(ages.full_years(d(2001, 5, 10), d(2026, 5, 10)), Some(25));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgeRules {
    /// When full years are reached.
    pub reached: AgeReached,
    /// Where a 29 February anniversary falls in a common year.
    pub leap_day: LeapDay,
    /// The clause (`leave.ages`).
    pub clause: ClauseRef,
}

impl AgeRules {
    /// The anniversary of `birth` after `years` years; `None` past the
    /// representable calendar.
    pub fn anniversary(&self, birth: NaiveDate, years: u32) -> Option<NaiveDate> {
        let year = birth.year().checked_add(i32::try_from(years).ok()?)?;
        self.leap_day.anniversary(birth, year)
    }

    /// The date on which a person born on `birth` reaches `years` full years.
    pub fn reached_on(&self, birth: NaiveDate, years: u32) -> Option<NaiveDate> {
        let day = self.anniversary(birth, years)?;
        match self.reached {
            AgeReached::OnAnniversary => Some(day),
            AgeReached::DayAfterAnniversary => day.checked_add_days(Days::new(1)),
        }
    }

    /// Full years of a person born on `birth` on the date `on`; `None` when
    /// `on` is before the birth.
    pub fn full_years(&self, birth: NaiveDate, on: NaiveDate) -> Option<u32> {
        if on < birth {
            return None;
        }
        let mut years = u32::try_from(on.year() - birth.year()).ok()?;
        // At most two steps back: the anniversary in `on`'s year (or the day
        // after it) may still be ahead.
        while years > 0 && self.reached_on(birth, years).is_none_or(|d| d > on) {
            years -= 1;
        }
        Some(years)
    }
}

/// The `[leave]` section of a policy.
///
/// ```
/// let policy = cs_policy::Policy::example("education")?;
/// let rules = policy.leave().unwrap();
/// let ids: Vec<_> = rules.types().iter().map(|t| t.id()).collect();
/// assert_eq!(ids, ["personal", "sick", "marriage", "maternity", "nursing", "bereavement", "work_injury"]);
/// assert_eq!(rules.year_cap().map(|c| c.allowed()), Some(20));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone)]
pub struct LeaveRules {
    /// The policy text that made the types' references.
    tag: PolicyTag,
    clause: ClauseRef,
    overlapping: OverlappingRequests,
    ages: Option<AgeRules>,
    year_cap: Option<YearCap>,
    steps: Vec<NoticeStep>,
    types: Vec<LeaveType>,
}

impl LeaveRules {
    /// The clause of the `[leave]` table itself.
    pub fn clause(&self) -> ClauseRef {
        self.clause
    }

    /// How requests claiming the same date are handled.
    pub fn overlapping_requests(&self) -> OverlappingRequests {
        self.overlapping
    }

    /// How ages are counted, if the policy needs ages.
    pub fn ages(&self) -> Option<&AgeRules> {
        self.ages.as_ref()
    }

    /// The year cap, if any.
    pub fn year_cap(&self) -> Option<&YearCap> {
        self.year_cap.as_ref()
    }

    /// The notice ladder, shortest requests first.
    pub fn notice_steps(&self) -> &[NoticeStep] {
        &self.steps
    }

    /// Every leave type, in file order.
    pub fn types(&self) -> &[LeaveType] {
        &self.types
    }

    /// A leave type by reference: at once for a reference this policy
    /// made, by id for one read back; never another policy's.
    pub fn get(&self, leave_type: LeaveTypeRef) -> Option<&LeaveType> {
        self.types.get(self.position(leave_type)?)
    }

    /// Where the types list holds `leave_type`.
    fn position(&self, leave_type: LeaveTypeRef) -> Option<usize> {
        if leave_type.foreign_to(self.tag) {
            return None;
        }
        match leave_type.index_in(self.tag) {
            Some(i) if self.types.get(i).is_some_and(|t| t.reference == leave_type) => Some(i),
            _ => self.types.iter().position(|t| t.reference == leave_type),
        }
    }

    /// A leave type's reference by its id.
    pub fn type_ref(&self, id: &str) -> Option<LeaveTypeRef> {
        self.types
            .iter()
            .find(|t| t.id() == id)
            .map(|t| t.reference)
    }

    /// The notice step a request of `days` counted days falls on.
    pub fn step_for(&self, days: u32) -> Option<&NoticeStep> {
        self.steps.iter().rev().find(|s| s.min_days <= days)
    }

    pub(crate) fn read(table: &mut Table<'_, '_>, ld: &mut Loader, _policy: &Policy) -> Self {
        let clause = ld.clause(table);
        let overlapping = table
            .req_choice::<OverlappingRequests>(
                ld,
                "overlapping_requests",
                "how requests that claim the same date are handled",
            )
            .unwrap_or(OverlappingRequests::CountOnce);
        let ages = table.opt_table(ld, "ages").map(|mut t| {
            let clause = ld.clause_under(&mut t, Some(clause));
            let reached = t
                .req_choice(ld, "reached", "when full years are reached")
                .unwrap_or(AgeReached::OnAnniversary);
            let leap_day = t
                .req_choice(
                    ld,
                    "leap_day",
                    "where a 29 February birthday falls in a common year",
                )
                .unwrap_or(LeapDay::March1);
            t.finish(ld);
            AgeRules {
                reached,
                leap_day,
                clause,
            }
        });
        let year_cap = table.opt_table(ld, "year_cap").map(|mut t| {
            let clause = ld.clause_under(&mut t, Some(clause));
            let days = t.req_in(ld, "days", 1..=LONGEST_DAYS).unwrap_or(1);
            let inclusive = t.req(ld, "inclusive").unwrap_or(true);
            t.finish(ld);
            YearCap {
                days,
                inclusive,
                clause,
            }
        });
        let steps = read_steps(table, ld, clause);
        let mut rules = Self {
            tag: ld.clauses.tag(),
            clause,
            overlapping,
            ages,
            year_cap,
            steps,
            types: Vec::new(),
        };
        rules.read_types(table, ld, clause);
        rules
    }

    /// Every `[leave.types.<id>]`, then what their excess days become, once
    /// every id is known.
    fn read_types(&mut self, table: &mut Table<'_, '_>, ld: &mut Loader, parent: ClauseRef) {
        let mut pending: Vec<Option<Located<String>>> = Vec::new();
        for (id, mut t) in table.ids(ld, "types") {
            let (leave_type, excess) = self.read_type(&id, &mut t, ld, parent);
            t.finish(ld);
            pending.push(excess);
            self.types.push(leave_type);
        }
        for (i, excess) in pending.into_iter().enumerate() {
            let resolved = excess.and_then(|excess| self.resolve_excess(ld, &excess, i));
            if let Some(t) = self.types.get_mut(i) {
                t.excess = resolved;
            }
        }
    }

    /// One leave type: its words, and the checks that need several of them.
    /// Its `excess` is given back as written, to resolve once every type is
    /// known.
    fn read_type(
        &self,
        id: &Located<String>,
        t: &mut Table<'_, '_>,
        ld: &mut Loader,
        parent: ClauseRef,
    ) -> (LeaveType, Option<Located<String>>) {
        let clause = ld.clause_under(t, Some(parent));
        let what = format!("leave type `{}`", id.value);
        let pay = t
            .req_choice(ld, "pay", "whether its days are paid")
            .unwrap_or(Pay::Unpaid);
        let counting = t
            .req_choice(
                ld,
                "count",
                "which days inside a leave count (rest days, holidays)",
            )
            .unwrap_or(Counting::CalendarDays);
        let ladder = t.opt_or(ld, "ladder", true);
        let notice_days = t.opt_in(ld, "notice_days", 0..=LONGEST_DAYS);
        let approver = t.opt(ld, "approver");
        let form = t.opt_or(ld, "form", false);
        let documents: Vec<Document> = t.opt(ld, "documents").unwrap_or_default();
        let report_back = t.opt_or(ld, "report_back", false);
        let relative_may_apply = t.opt_or(ld, "relative_may_apply", false);
        let one_block = t.opt_or(ld, "one_block", false);
        let on_roster = read_on_roster(t, ld, counting, clause, &what);
        let year_cap = self.read_type_cap(t, ld, &what);
        let excess: Option<Located<String>> = t.opt(ld, "excess");
        let entitlement = match t.node("entitlement") {
            Some(node) => self.read_entitlement(&node, ld, clause, pay),
            None => None,
        };
        check_type_words(t, ld, &what, pay, entitlement.as_ref(), excess.is_some());
        let leave_type = LeaveType {
            reference: LeaveTypeRef::new(&id.value, self.types.len(), ld.clauses.tag()),
            clause,
            pay,
            counting,
            ladder,
            notice_days,
            approver,
            form,
            documents,
            report_back,
            relative_may_apply,
            one_block,
            year_cap,
            excess: None,
            entitlement,
            on_roster,
        };
        (leave_type, excess)
    }

    /// A type's `year_cap = true`, which needs the section's
    /// `[leave.year_cap]`.
    fn read_type_cap(&self, t: &mut Table<'_, '_>, ld: &mut Loader, what: &str) -> bool {
        let cap_node = t.node("year_cap");
        let year_cap = cap_node
            .as_ref()
            .and_then(|n| n.read::<bool>(ld))
            .unwrap_or(false);
        if year_cap && self.year_cap.is_none() {
            if let Some(n) = &cap_node {
                ld.error(
                    ProblemCode::MissingKey,
                    n.span(),
                    &n.path(),
                    format!("{what} counts against the year cap, but `[leave.year_cap]` is not given"),
                )
                .help("add `[leave.year_cap]` with `days` and `inclusive`, or remove `year_cap = true`");
            }
        }
        year_cap
    }

    /// The type `excess` names (type `from`'s), or absence.
    fn resolve_excess(
        &self,
        ld: &mut Loader,
        excess: &Located<String>,
        from: usize,
    ) -> Option<Excess> {
        if excess.value == "absence" {
            return Some(Excess::Absence);
        }
        if let Some(to) = self.types.iter().position(|t| t.id() == excess.value) {
            return self.check_excess_target(ld, excess, from, to);
        }
        let known = || self.types.iter().map(LeaveType::id).collect();
        let hint = ld.suggestions.hint(&excess.value, self.types.len(), known);
        let reported = ld.error(
            ProblemCode::UndefinedReference,
            excess.span.clone(),
            &excess.path,
            format!(
                "`{}` names leave type `{}`, which `[leave.types]` does not define",
                excess.path, excess.value
            ),
        );
        match hint {
            Hint::Closest(best) => reported.help(format!("did you mean `{best}`?")),
            Hint::Known(known) => reported.help(format!(
                "write `\"absence\"` or one of the leave types: `{}`",
                known.join("`, `")
            )),
            Hint::Spent => {
                reported.help("write `\"absence\"` or one of the leave types under `[leave.types]`")
            }
        }
        None
    }

    fn check_excess_target(
        &self,
        ld: &mut Loader,
        excess: &Located<String>,
        from: usize,
        to: usize,
    ) -> Option<Excess> {
        let target = self.types.get(to)?;
        if from == to {
            ld.error(
                ProblemCode::Conflict,
                excess.span.clone(),
                &excess.path,
                format!("the excess days of `{}` go to itself", target.id()),
            )
            .help("name another leave type, such as `\"personal\"`, or `\"absence\"`");
            return None;
        }
        if target.entitlement.is_some() {
            ld.error(
                ProblemCode::Conflict,
                excess.span.clone(),
                &excess.path,
                format!(
                    "the excess days go to `{}`, which has an entitlement of its own",
                    target.id()
                ),
            )
            .help("excess days go to a leave type without an entitlement, such as personal leave, or to `\"absence\"`");
            return None;
        }
        Some(Excess::Type(target.reference))
    }

    /// `entitlement = { kind = ..., ... }`: the kind's own numbers, then
    /// what the kind needs of the rest of the policy.
    fn read_entitlement(
        &self,
        node: &Node<'_, '_>,
        ld: &mut Loader,
        parent: ClauseRef,
        pay: Pay,
    ) -> Option<(Entitlement, ClauseRef)> {
        let mut t = node.table(ld)?;
        let clause = ld.clause_under(&mut t, Some(parent));
        let kind_node = t.req_node(ld, "kind");
        let kind: Option<EntitlementKind> = kind_node.as_ref().and_then(|n| n.read(ld));
        let entitlement = read_entitlement_numbers(&mut t, ld, kind?);
        if let Some(n) = &kind_node {
            self.check_entitlement_needs(ld, n, &entitlement, pay);
        }
        t.finish(ld);
        Some((entitlement, clause))
    }

    /// An entitlement counted in ages needs `[leave.ages]`; a statutory one
    /// needs statutory pay.
    fn check_entitlement_needs(
        &self,
        ld: &mut Loader,
        kind_node: &Node<'_, '_>,
        entitlement: &Entitlement,
        pay: Pay,
    ) {
        let by_age = matches!(
            entitlement,
            Entitlement::Marriage { .. } | Entitlement::NursingHour { .. }
        );
        if by_age && self.ages.is_none() {
            ld.error(
                ProblemCode::UnstatedChoice,
                kind_node.span(),
                &kind_node.path(),
                "this entitlement depends on ages, but `[leave.ages]` does not say how full years are counted",
            )
            .help("add `[leave.ages]` with `reached = \"on_anniversary\"` or `\"day_after_anniversary\"` and `leap_day = \"february_28\"` or `\"march_1\"`");
        }
        if matches!(entitlement, Entitlement::Statutory) && pay != Pay::Statutory {
            ld.error(
                ProblemCode::Conflict,
                kind_node.span(),
                &kind_node.path(),
                format!(
                    "a statutory entitlement with pay `{}`: statute decides the pay",
                    word(pay)
                ),
            )
            .help("write `pay = \"statutory\"` on the leave type");
        }
    }
}

/// The numbers of an entitlement of `kind`.
fn read_entitlement_numbers(
    t: &mut Table<'_, '_>,
    ld: &mut Loader,
    kind: EntitlementKind,
) -> Entitlement {
    let days = |t: &mut Table<'_, '_>, ld: &mut Loader, key| {
        t.req_in(ld, key, 0..=LONGEST_DAYS).unwrap_or(0)
    };
    match kind {
        EntitlementKind::Fixed => Entitlement::Fixed {
            days: days(t, ld, "days"),
            relations: t.opt(ld, "relations"),
        },
        EntitlementKind::Marriage => Entitlement::Marriage {
            days: days(t, ld, "days"),
            late_extra_days: days(t, ld, "late_extra_days"),
            late_man_age: t.req_in(ld, "late_man_age", 0..=100).unwrap_or(0),
            late_woman_age: t.req_in(ld, "late_woman_age", 0..=100).unwrap_or(0),
            remarriage_days: days(t, ld, "remarriage_days"),
            certificate_after_joining: t.opt_or(ld, "certificate_after_joining", false),
        },
        EntitlementKind::Maternity => Entitlement::Maternity {
            before_days: days(t, ld, "before_days"),
            after_days: days(t, ld, "after_days"),
            difficult_before_days: days(t, ld, "difficult_before_days"),
            difficult_after_days: days(t, ld, "difficult_after_days"),
            per_additional_baby_days: days(t, ld, "per_additional_baby_days"),
        },
        EntitlementKind::NursingHour => Entitlement::NursingHour {
            minutes_per_day: t.req_in(ld, "minutes_per_day", 1..=1440).unwrap_or(60),
            until_years: t.req_in(ld, "until_years", 1..=18).unwrap_or(1),
        },
        EntitlementKind::Statutory => Entitlement::Statutory,
    }
}

/// A type's pay, entitlement and excess agree: statutory pay goes with a
/// statutory entitlement, and a type that limits its days says what the
/// days beyond become.
fn check_type_words(
    t: &Table<'_, '_>,
    ld: &mut Loader,
    what: &str,
    pay: Pay,
    entitlement: Option<&(Entitlement, ClauseRef)>,
    states_excess: bool,
) {
    let entitlement = entitlement.map(|(e, _)| e);
    if pay == Pay::Statutory && !matches!(entitlement, Some(Entitlement::Statutory)) {
        let span = ld.header_span(&t.span);
        ld.error(
            ProblemCode::Conflict,
            span,
            &t.field("pay"),
            format!("{what} has statutory pay but no statutory entitlement"),
        )
        .help(
            "write `entitlement = { kind = \"statutory\" }`: the days are marked and not computed",
        );
    }
    let limited = entitlement.is_some_and(|e| !matches!(e, Entitlement::Statutory));
    if limited && !states_excess {
        let span = ld.header_span(&t.span);
        ld.error(
            ProblemCode::UnstatedChoice,
            span,
            &t.field("excess"),
            format!("{what} does not say what its days beyond the entitlement become"),
        )
        .help("write `excess = \"absence\"` or `excess = \"<id of a leave type>\"`, such as `\"personal\"`");
    }
}

/// `on_roster`: required of a type counted in working days, where the
/// handbooks leave a rostered agent's days open; meaningless elsewhere.
fn read_on_roster(
    t: &mut Table<'_, '_>,
    ld: &mut Loader,
    counting: Counting,
    parent: ClauseRef,
    what: &str,
) -> Option<(OnRoster, ClauseRef)> {
    match (t.node("on_roster"), counting) {
        (Some(node), Counting::WorkingDays) => {
            let choice = node.read::<OnRoster>(ld)?;
            let clause = ld.clause_at(node.path(), None, &node.span(), Some(parent));
            Some((choice, clause))
        }
        (Some(node), _) => {
            ld.error(
                ProblemCode::Conflict,
                node.span(),
                &node.path(),
                format!("{what} is not counted in working days, so a roster changes nothing"),
            )
            .help("remove `on_roster`, or write `count = \"working_days\"`");
            None
        }
        (None, Counting::WorkingDays) => {
            t.unstated(ld, "on_roster").help(
                "say which days count for an agent with a roster: `on_roster = \"rostered_days\"` (the days rostered) or `\"calendar_working_days\"`",
            );
            None
        }
        (None, _) => None,
    }
}

/// The notice ladder (`[[leave.notice]]`): each step as written, then
/// their order.
fn read_steps(table: &mut Table<'_, '_>, ld: &mut Loader, parent: ClauseRef) -> Vec<NoticeStep> {
    let steps: Vec<(NoticeStep, Located<u32>)> = table
        .tables(ld, "notice")
        .into_iter()
        .filter_map(|t| read_step(t, ld, parent))
        .collect();
    check_step_order(ld, &steps);
    steps.into_iter().map(|(s, _)| s).collect()
}

/// One notice step, with its `min_days` located for the order check.
fn read_step(
    mut t: Table<'_, '_>,
    ld: &mut Loader,
    parent: ClauseRef,
) -> Option<(NoticeStep, Located<u32>)> {
    let clause = ld.clause_under(&mut t, Some(parent));
    let min_node = t.node("min_days");
    if min_node.is_none() {
        t.missing(ld, "min_days").help(
            "state the shortest request, in counted days, the step applies to (the handbook leaves \"long leave\" open), such as `min_days = 7`",
        );
    }
    let min_days: Option<Located<u32>> = min_node.and_then(|n| {
        let v = n.read_in(ld, 1..=LONGEST_DAYS)?;
        Some(n.located(v))
    });
    let notice_days = t.req_in(ld, "notice_days", 0..=LONGEST_DAYS).unwrap_or(0);
    let approver = t.opt(ld, "approver");
    let form = t.opt_or(ld, "form", false);
    let discretion = t.opt_or(ld, "discretion", false);
    t.finish(ld);
    let min = min_days?;
    let step = NoticeStep {
        min_days: min.value,
        notice_days,
        approver,
        form,
        discretion,
        clause,
    };
    Some((step, min))
}

/// The steps go up by `min_days`, each once, from 1.
fn check_step_order(ld: &mut Loader, steps: &[(NoticeStep, Located<u32>)]) {
    for pair in steps.windows(2) {
        let (a, b) = (&pair[0].1, &pair[1].1);
        if b.value <= a.value {
            let code = if b.value == a.value {
                ProblemCode::Duplicate
            } else {
                ProblemCode::OutOfOrder
            };
            ld.error(
                code,
                b.span.clone(),
                &b.path,
                format!(
                    "notice step for `{}` days comes after the step for `{}` days",
                    b.value, a.value
                ),
            )
            .help("list the notice steps by increasing `min_days`, each once");
        }
    }
    if let Some((first, min)) = steps.first() {
        if first.min_days != 1 {
            ld.error(
                ProblemCode::Gap,
                min.span.clone(),
                &min.path,
                format!(
                    "requests shorter than `{}` days fall on no notice step",
                    first.min_days
                ),
            )
            .help("start the first notice step at `min_days = 1`");
        }
    }
}

// ---------------------------------------------------------------------------
// Facts
// ---------------------------------------------------------------------------

/// What the leave rules need to know about an agent.
///
/// The birth date and sex are needed only by a rule that reads them (the
/// marriage rule's late-marriage age); a request that needs one the agent
/// lacks is refused with [`LeaveError::MissingFact`], naming the leave type
/// and the clause.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::leave::{Agent, Sex};
///
/// let agent = Agent::new("a7", NaiveDate::from_ymd_opt(2001, 5, 10).unwrap(), Sex::Man);
/// assert_eq!(agent.previous_marriages, 0);
/// assert_eq!(Agent::id_only("a8").birth_date, None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agent {
    /// The agent's id, for error messages.
    pub id: String,
    /// Date of birth, where a rule needs the agent's age.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<NaiveDate>,
    /// Sex, where a rule distinguishes it (the late-marriage age).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<Sex>,
    /// Marriages before the one a marriage leave is for (0: a first marriage).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub previous_marriages: u32,
    /// The day the agent joined the organisation (a marriage certificate
    /// must be obtained after it, where the policy says so).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joined_on: Option<NaiveDate>,
    /// The dates the agent is rostered to work, when the agent has a roster;
    /// `None` without one (leave in working days then counts the calendar's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rostered_days: Option<Vec<NaiveDate>>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

impl Agent {
    /// An agent with a birth date and sex, in a first marriage (or never
    /// married).
    pub fn new(id: impl Into<String>, birth_date: NaiveDate, sex: Sex) -> Self {
        Self {
            birth_date: Some(birth_date),
            sex: Some(sex),
            ..Self::id_only(id)
        }
    }

    /// An agent known by id alone: enough for leave whose rules read no age
    /// or sex (a personal or sick day).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::Policy;
    /// use cs_policy::leave::{Agent, LeaveRequest};
    ///
    /// let policy = Policy::example("education")?;
    /// let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    /// let agent = Agent::id_only("a1").joined_on(d(1, 5));
    /// let personal = LeaveRequest::new("personal", d(3, 10), d(3, 10), d(3, 1));
    /// assert_eq!(policy.check_leave_request(&agent, &personal)?.counted_days, 1);
    /// let marriage = LeaveRequest::new("marriage", d(4, 20), d(4, 22), d(4, 1)).with_marriage(d(4, 18));
    /// assert_eq!(
    ///     policy.check_leave_request(&agent, &marriage).unwrap_err().to_string(),
    ///     "request 0: leave type `marriage` needs `birth_date` for `leave.types.marriage.entitlement`; add it to the facts"
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn id_only(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            birth_date: None,
            sex: None,
            previous_marriages: 0,
            joined_on: None,
            rostered_days: None,
        }
    }

    /// The same agent, rostered on `dates`.
    pub fn rostered_on(mut self, dates: impl IntoIterator<Item = NaiveDate>) -> Self {
        self.rostered_days = Some(dates.into_iter().collect());
        self
    }

    /// The same agent, joined on `date`.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::leave::{Agent, Sex};
    ///
    /// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    /// let agent = Agent::new("a7", d(2001, 5, 10), Sex::Man).joined_on(d(2024, 3, 1));
    /// assert_eq!(agent.joined_on, Some(d(2024, 3, 1)));
    /// ```
    pub fn joined_on(mut self, date: NaiveDate) -> Self {
        self.joined_on = Some(date);
        self
    }
}

/// A birth, for maternity leave and the nursing hour.
///
/// ```
/// use cs_policy::leave::Birth;
///
/// let twins: Birth = serde_json::from_str(r#"{ "date": "2026-07-16", "babies": 2 }"#).unwrap();
/// assert!(!twins.difficult);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Birth {
    /// The date of the birth (expected, for leave before it).
    pub date: NaiveDate,
    /// Whether it was a difficult birth (难产).
    #[serde(default)]
    pub difficult: bool,
    /// Babies born (1 for a single birth, 2 for twins).
    pub babies: i32,
}

/// One leave request with its paperwork, as filed.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::leave::{Approver, Document, LeaveRequest};
///
/// let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
/// let request = LeaveRequest::new("personal", d(3, 10), d(3, 11), d(3, 5))
///     .with_documents([Document::LeaveForm])
///     .with_approvals([Approver::AboveDepartmentHead]);
/// assert_eq!(request.approvals, [Approver::AboveDepartmentHead]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeaveRequest {
    /// The leave type's id in the policy.
    pub leave_type: String,
    /// The first day of leave.
    pub from: NaiveDate,
    /// The last day of leave (inclusive).
    pub to: NaiveDate,
    /// The date the request was made (the head told, the form handed in).
    pub requested_on: NaiveDate,
    /// Documents provided.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<Document>,
    /// Who signed the leave form.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub approvals: Vec<Approver>,
    /// Whether the agent reported back after the leave (销假).
    #[serde(default, skip_serializing_if = "is_false")]
    pub reported_back: bool,
    /// The relation to the person who died (bereavement).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relation: Option<Relation>,
    /// The birth (maternity leave, nursing hour).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth: Option<Birth>,
    /// The date of the marriage, as the marriage certificate gives it
    /// (marriage leave: the age for a late marriage is taken on it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub married_on: Option<NaiveDate>,
    /// Who filed the request.
    #[serde(default, skip_serializing_if = "is_default")]
    pub applicant: Applicant,
    /// Whether the approver accepted the request as a special case
    /// (特殊情况酌情处理): short notice is waived on a notice step that allows
    /// discretion.
    #[serde(default, skip_serializing_if = "is_false")]
    pub special_case: bool,
}

impl LeaveRequest {
    /// A request without paperwork.
    pub fn new(
        leave_type: impl Into<String>,
        from: NaiveDate,
        to: NaiveDate,
        requested_on: NaiveDate,
    ) -> Self {
        Self {
            leave_type: leave_type.into(),
            from,
            to,
            requested_on,
            documents: Vec::new(),
            approvals: Vec::new(),
            reported_back: false,
            relation: None,
            birth: None,
            married_on: None,
            applicant: Applicant::Agent,
            special_case: false,
        }
    }

    /// The same request with these documents.
    pub fn with_documents(mut self, documents: impl IntoIterator<Item = Document>) -> Self {
        self.documents = documents.into_iter().collect();
        self
    }

    /// The same request with these signatures.
    pub fn with_approvals(mut self, approvals: impl IntoIterator<Item = Approver>) -> Self {
        self.approvals = approvals.into_iter().collect();
        self
    }

    /// The same request for a death of this relation.
    pub fn with_relation(mut self, relation: Relation) -> Self {
        self.relation = Some(relation);
        self
    }

    /// The same request for this birth.
    pub fn with_birth(mut self, date: NaiveDate, difficult: bool, babies: i32) -> Self {
        self.birth = Some(Birth {
            date,
            difficult,
            babies,
        });
        self
    }

    /// The same request for a marriage on `date` (the certificate's date).
    pub fn with_marriage(mut self, date: NaiveDate) -> Self {
        self.married_on = Some(date);
        self
    }

    /// The same request, reported back after the leave.
    pub fn reported_back(mut self) -> Self {
        self.reported_back = true;
        self
    }

    /// The same request, accepted by the approver as a special case.
    pub fn as_special_case(mut self) -> Self {
        self.special_case = true;
        self
    }
}

/// Facts that make a leave decision impossible. Each names the request (by
/// its position in the list given) and says what to fix.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::Policy;
/// use cs_policy::leave::{Agent, LeaveError, LeaveRequest, Sex};
///
/// let policy = Policy::example("education")?;
/// let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
/// let agent = Agent::new("a1", NaiveDate::from_ymd_opt(1995, 1, 1).unwrap(), Sex::Woman);
/// let request = LeaveRequest::new("maternity", d(7, 1), d(9, 28), d(6, 1)).with_birth(d(7, 16), false, -1);
/// let err = policy.check_leave_request(&agent, &request).unwrap_err();
/// assert_eq!(err, LeaveError::BabyCount { index: 0, babies: -1 });
/// assert_eq!(err.to_string(), "request 0: a birth of `-1` babies; give a count from 1 to 9");
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LeaveError {
    /// A date of the request the holiday calendars do not cover.
    #[error("request {index}: {error}")]
    Calendar {
        /// The request's position.
        index: usize,
        /// The date and the years covered.
        #[source]
        error: crate::calendar::CalendarError,
    },
    /// The policy has no `[leave]` section.
    #[error("the policy has no `[leave]` section; add one to evaluate leave")]
    NoLeaveSection,
    /// The request names a leave type the policy does not define.
    #[error(
        "request {index}: leave type `{name}` is not defined by the policy; use one of: {known}"
    )]
    UnknownType {
        /// The request's position.
        index: usize,
        /// The type named.
        name: String,
        /// The types defined, comma-separated.
        known: String,
    },
    /// The last day is before the first.
    #[error("request {index} ends on {to}, before it starts on {from}; swap or correct the dates")]
    EndsBeforeStart {
        /// The request's position.
        index: usize,
        /// The first day given.
        from: NaiveDate,
        /// The last day given.
        to: NaiveDate,
    },
    /// The request is implausibly long.
    #[error(
        "request {index} spans {days} days, more than the {LONGEST_REQUEST_DAYS} accepted; split it or correct the dates"
    )]
    TooLong {
        /// The request's position.
        index: usize,
        /// Calendar days it spans.
        days: i64,
    },
    /// A birth with fewer than one baby, or implausibly many.
    #[error("request {index}: a birth of `{babies}` babies; give a count from 1 to {MOST_BABIES}")]
    BabyCount {
        /// The request's position.
        index: usize,
        /// The count given.
        babies: i32,
    },
    /// The leave type needs a fact the request (or the agent) does not give.
    #[error(
        "request {index}: leave type `{leave_type}` needs `{fact}` for `{clause}`; add it to the facts"
    )]
    MissingFact {
        /// The request's position.
        index: usize,
        /// The leave type.
        leave_type: String,
        /// The field needed (`birth`, `relation`, `married_on`, the agent's
        /// `joined_on`, `birth_date` or `sex`).
        fact: &'static str,
        /// The id of the clause that needs it.
        clause: String,
    },
    /// The marriage date is before the agent's birth.
    #[error(
        "agent `{agent}` is born on {birth_date}, after the marriage on {married_on} of request {index}; correct the dates"
    )]
    MarriedBeforeBirth {
        /// The agent.
        agent: String,
        /// The birth date given.
        birth_date: NaiveDate,
        /// The request's position.
        index: usize,
        /// The marriage date given.
        married_on: NaiveDate,
    },
    /// The agent's birth date is after the leave starts.
    #[error(
        "agent `{agent}` is born on {birth_date}, after request {index} starts on {from}; correct the birth date"
    )]
    BornAfterLeave {
        /// The agent.
        agent: String,
        /// The birth date given.
        birth_date: NaiveDate,
        /// The request's position.
        index: usize,
        /// Its first day.
        from: NaiveDate,
    },
    /// Two requests claim one date and the policy calls that bad facts.
    #[error("requests {first} and {second} both claim {date}; withdraw one or correct the dates")]
    Overlap {
        /// The earlier request.
        first: usize,
        /// The later request.
        second: usize,
        /// The first date both claim.
        date: NaiveDate,
    },
    /// A date too far in the future to compute with.
    #[error("request {index}: a date past the end of the calendar; correct the dates")]
    DateOutOfRange {
        /// The request's position.
        index: usize,
    },
}

// ---------------------------------------------------------------------------
// Decisions
// ---------------------------------------------------------------------------

/// A requirement a request did not meet.
///
/// ```
/// use cs_policy::leave::{Document, Requirement};
///
/// let notice = Requirement::Notice { required_days: 3, given_days: 2 };
/// assert_eq!(notice.to_string(), "notice of 3 days required, 2 given");
/// let paper = Requirement::Document { document: Document::HospitalCertificate };
/// assert_eq!(paper.to_string(), "`hospital_certificate` missing");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "requirement")]
#[non_exhaustive]
pub enum Requirement {
    /// Too little notice (the notice ladder's, or the type's own): calendar
    /// days between the request and the first day of leave.
    Notice {
        /// Days required.
        required_days: u32,
        /// Days given (negative when requested after the leave began).
        given_days: i64,
    },
    /// A signature missing.
    Approval {
        /// The level that must sign (or a higher one).
        required: Approver,
    },
    /// A document missing (a leave form, a hospital certificate, the
    /// marriage certificate).
    Document {
        /// The document.
        document: Document,
    },
    /// The agent did not report back after the leave (销假).
    ReportBack,
    /// A relative filed a request the type lets only the agent file.
    Applicant,
    /// The marriage certificate was obtained before the agent joined.
    CertificateBeforeJoining {
        /// The certificate's date.
        married_on: NaiveDate,
        /// The day the agent joined.
        joined_on: NaiveDate,
    },
}

/// One unmet requirement and the clause that set it.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::Policy;
/// use cs_policy::leave::{Agent, LeaveRequest};
///
/// let policy = Policy::example("education")?;
/// let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
/// let sick = LeaveRequest::new("sick", d(3, 10), d(3, 10), d(3, 10));
/// let decision = policy.decide_leave(&Agent::id_only("a1"), &sick)?;
/// let lines: Vec<String> = decision.unmet.iter()
///     .map(|u| format!("{} ({})", u.requirement, u.clause.id()))
///     .collect();
/// assert_eq!(lines, [
///     "signature of `department_head` required (leave.notice[0])",
///     "`leave_form` missing (leave.notice[0])",
///     "`hospital_certificate` missing (leave.types.sick)",
///     "did not report back after the leave (leave.types.sick)",
/// ]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
// No `deny_unknown_fields`: serde does not take it with `flatten`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unmet {
    /// What was missing.
    #[serde(flatten)]
    pub requirement: Requirement,
    /// The clause that requires it.
    pub clause: ClauseRef,
}

/// The most requirements one request can leave unmet: two notices (the
/// ladder's and the type's own), two signatures, the leave form, the three
/// other documents, reporting back, the applicant and the certificate's
/// date.
pub const MOST_UNMET: usize = 11;

/// The most requirements one request can have waived as a special case:
/// short notice, the ladder's and the type's own.
pub const MOST_WAIVED: usize = 2;

/// The unmet requirements of one request in the order they are checked,
/// each once, held inline so that a decision allocates nothing; read as a
/// slice of [`Unmet`] (written as a list).
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::Policy;
/// use cs_policy::leave::{Agent, LeaveRequest, Requirement};
///
/// let policy = Policy::example("education")?;
/// let d = |day| NaiveDate::from_ymd_opt(2026, 3, day).unwrap();
/// let request = LeaveRequest::new("personal", d(10), d(10), d(1));
/// let unmet = policy.decide_leave(&Agent::id_only("a1"), &request)?.unmet;
/// assert_eq!(unmet.len(), 3); // a signature, the form, reporting back
/// assert!(matches!(unmet[0].requirement, Requirement::Approval { .. }));
/// let json = serde_json::to_string(&unmet)?;
/// assert_eq!(serde_json::from_str::<cs_policy::leave::Unmets>(&json)?, unmet);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// `N` is how many it can hold: [`MOST_UNMET`] for those unmet,
/// [`MOST_WAIVED`] for those waived.
#[derive(Clone, Copy)]
pub struct Unmets<const N: usize = MOST_UNMET> {
    list: [Unmet; N],
    len: u8,
}

impl<const N: usize> Unmets<N> {
    /// None yet; `filler` stands in the unused places, never shown.
    fn none(filler: ClauseRef) -> Self {
        let filler = Unmet {
            requirement: Requirement::ReportBack,
            clause: filler,
        };
        Self {
            list: [filler; N],
            len: 0,
        }
    }

    /// Adds `requirement` under `clause`, unless it is listed already (a
    /// signature or form both the ladder and the type ask for is listed
    /// once, under the clause that asked first).
    fn push(&mut self, requirement: Requirement, clause: ClauseRef) {
        if self.iter().any(|u| u.requirement == requirement) {
            return;
        }
        if let Some(slot) = self.list.get_mut(usize::from(self.len)) {
            *slot = Unmet {
                requirement,
                clause,
            };
            self.len += 1;
        }
    }

    /// Every unmet requirement, in order.
    pub fn as_slice(&self) -> &[Unmet] {
        self.list.get(..usize::from(self.len)).unwrap_or_default()
    }
}

impl<const N: usize> Default for Unmets<N> {
    fn default() -> Self {
        Self::none(ClauseRef::default())
    }
}

impl<const N: usize> std::ops::Deref for Unmets<N> {
    type Target = [Unmet];

    fn deref(&self) -> &[Unmet] {
        self.as_slice()
    }
}

impl<'a, const N: usize> IntoIterator for &'a Unmets<N> {
    type Item = &'a Unmet;
    type IntoIter = std::slice::Iter<'a, Unmet>;

    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

impl<const N: usize> PartialEq for Unmets<N> {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<const N: usize> Eq for Unmets<N> {}

impl<const N: usize> fmt::Debug for Unmets<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

impl<const N: usize> Serialize for Unmets<N> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.as_slice().serialize(serializer)
    }
}

impl<'de, const N: usize> Deserialize<'de> for Unmets<N> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let list = Vec::<Unmet>::deserialize(deserializer)?;
        if list.len() > N {
            return Err(serde::de::Error::custom(format!(
                "{} requirements, more than the {N} one request can have",
                list.len()
            )));
        }
        let mut out = Self::none(list.first().map_or_else(ClauseRef::default, |u| u.clause));
        for unmet in list {
            out.push(unmet.requirement, unmet.clause);
        }
        Ok(out)
    }
}

/// What a request is entitled to, and why; see [`LeaveDecision`] and the
/// tests for each kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
#[non_exhaustive]
pub enum Grant {
    /// The type limits nothing: every counted day is leave of the type.
    Open,
    /// A number of days.
    Days {
        /// Days granted.
        days: u32,
        /// How they were reached.
        basis: Basis,
    },
    /// A nursing time each day up to and including `last_day`.
    NursingHour {
        /// Minutes a day.
        minutes_per_day: u32,
        /// The last day with the nursing time: the day before the child
        /// reaches the age that ends it.
        last_day: NaiveDate,
    },
    /// Statutory leave (work injury): the days are marked, medical period
    /// and pay follow statute outside the policy.
    Statutory,
}

/// How an entitlement in days was reached.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::Policy;
/// use cs_policy::leave::{Agent, Basis, Grant, LeaveRequest, Relation};
///
/// let policy = Policy::example("education")?;
/// let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
/// let request = LeaveRequest::new("bereavement", d(3, 10), d(3, 12), d(3, 10))
///     .with_relation(Relation::Grandparent);
/// let decision = policy.decide_leave(&Agent::id_only("a1"), &request).unwrap();
/// assert_eq!(decision.grant, Grant::Days { days: 0, basis: Basis::RelationNotListed { relation: Relation::Grandparent } });
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "basis")]
#[non_exhaustive]
pub enum Basis {
    /// The type's fixed days.
    Fixed,
    /// Marriage leave for an agent of `age` full years on the date of the
    /// marriage.
    Marriage {
        /// Full years on the date of the marriage.
        age: u32,
        /// Whether the late-marriage reward days were added.
        late: bool,
        /// Whether it is a remarriage (3 days only).
        remarriage: bool,
    },
    /// Maternity leave.
    Maternity {
        /// Days before the birth.
        before_days: u32,
        /// Days after the birth, the additional babies' days included.
        after_days: u32,
        /// Whether the birth was difficult.
        difficult: bool,
        /// Babies born.
        babies: u32,
    },
    /// The relation is not one the type lists: no days.
    RelationNotListed {
        /// The relation given.
        relation: Relation,
    },
    /// A one-block type already taken by an earlier request: no days.
    AlreadyTaken {
        /// The earlier request's place in the list checked (requests have
        /// no id of their own).
        request: usize,
    },
}

/// What one date of a request became.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::Policy;
/// use cs_policy::leave::{Agent, DayStatus, LeaveRequest};
///
/// let policy = Policy::example("shop")?;
/// let d = |day| NaiveDate::from_ymd_opt(2026, 3, day).unwrap();
/// // Friday to Monday: the weekend inside is not counted; no signature, so absence.
/// let request = LeaveRequest::new("personal", d(13), d(16), d(1));
/// let decision = policy.check_leave_request(&Agent::id_only("a1"), &request).unwrap();
/// let statuses: Vec<_> = decision.days.iter().map(|day| day.status).collect();
/// assert_eq!(statuses, [DayStatus::Absence, DayStatus::NotCounted, DayStatus::NotCounted, DayStatus::Absence]);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
#[non_exhaustive]
pub enum DayStatus {
    /// A date the type does not count (a rest day or holiday inside).
    NotCounted,
    /// A date already claimed by an earlier request (counted once).
    Claimed {
        /// The earlier request's place in the list checked.
        request: usize,
    },
    /// Leave of the requested type within its entitlement.
    Leave {
        /// Whether the day is paid.
        paid: bool,
    },
    /// Statutory leave (work injury): pay is not computed.
    Statutory,
    /// A day beyond the entitlement, converted to another leave type.
    Converted {
        /// The type it became (such as personal leave).
        to: LeaveTypeRef,
    },
    /// A worked day with the nursing time.
    NursingHour {
        /// Minutes off that day.
        minutes: u32,
    },
    /// Absence: a requirement unmet, or excess days the policy turns into
    /// absence.
    Absence,
}

/// One date of a request, decided, with the clause that decided it (see
/// [`DayStatus`]).
// No `deny_unknown_fields`: serde does not take it with `flatten`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecidedDay {
    /// The date.
    pub date: NaiveDate,
    /// What it became.
    #[serde(flatten)]
    pub status: DayStatus,
    /// The clause that decided it.
    pub clause: ClauseRef,
}

/// The decision on one leave request, without its dates: what
/// [`Policy::decide_leave`] gives, allocating nothing. Each date is given
/// by [`Policy::decided_days`]; [`LeaveDecision`] holds both.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::Policy;
/// use cs_policy::leave::{Agent, Approver, Document, LeaveRequest, LeaveSummary, Sex};
///
/// let policy = Policy::example("education")?;
/// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
/// let agent = Agent::new("a1", d(1998, 4, 2), Sex::Woman).joined_on(d(2024, 3, 1));
/// // A late marriage (27 at the marriage): 3 + 7 days; 12 days asked, so 2
/// // become personal leave.
/// let request = LeaveRequest::new("marriage", d(2026, 4, 20), d(2026, 5, 1), d(2026, 4, 1))
///     .with_marriage(d(2026, 4, 18))
///     .with_documents([Document::LeaveForm, Document::MarriageCertificate])
///     .with_approvals([Approver::AboveDepartmentHead]);
/// let summary = policy.decide_leave(&agent, &request)?;
/// assert!(summary.approved());
/// assert_eq!((summary.entitled_days, summary.paid_days, summary.converted_days), (10, 10, 2));
/// assert_eq!(summary.converted_to.map(|t| t.id()), Some("personal"));
/// let json = serde_json::to_string(&summary)?;
/// assert_eq!(serde_json::from_str::<LeaveSummary>(&json)?, summary);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeaveSummary {
    /// The leave type.
    pub leave_type: LeaveTypeRef,
    /// The type's clause.
    pub clause: ClauseRef,
    /// The first day.
    pub from: NaiveDate,
    /// The last day.
    pub to: NaiveDate,
    /// Days that count under the type's counting rule.
    pub counted_days: u32,
    /// The policy's choice (`leave.types.<id>.on_roster`) when the days
    /// counted are the agent's rostered days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counted_on_roster: Option<ClauseRef>,
    /// What the request is entitled to.
    pub grant: Grant,
    /// The clause of the entitlement (the type's, when it has none).
    pub grant_clause: ClauseRef,
    /// Counted days within the entitlement.
    pub entitled_days: u32,
    /// Days paid (0 when a requirement is unmet).
    pub paid_days: u32,
    /// Counted days beyond the entitlement converted to another leave type.
    pub converted_days: u32,
    /// The type they became.
    pub converted_to: Option<LeaveTypeRef>,
    /// Counted days that are absence.
    pub absence_days: u32,
    /// Every unmet requirement, each with its clause.
    pub unmet: Unmets,
    /// Requirements not met but waived as a special case.
    pub waived: Unmets<MOST_WAIVED>,
}

impl LeaveSummary {
    /// Whether every requirement was met.
    pub fn approved(&self) -> bool {
        self.unmet.is_empty()
    }
}

/// The decision on one leave request: its [`LeaveSummary`] (whose fields
/// read through the decision: `decision.paid_days`) and every date.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::Policy;
/// use cs_policy::leave::{Agent, Approver, Document, LeaveDecision, LeaveRequest};
///
/// let policy = Policy::example("education")?;
/// let d = |day| NaiveDate::from_ymd_opt(2026, 3, day).unwrap();
/// let request = LeaveRequest::new("personal", d(9), d(10), d(1))
///     .with_documents([Document::LeaveForm])
///     .with_approvals([Approver::AboveDepartmentHead])
///     .reported_back();
/// let decision = policy.check_leave_request(&Agent::id_only("a1"), &request)?;
/// assert!(decision.approved());
/// assert_eq!((decision.counted_days, decision.days.len()), (2, 2));
/// let json = serde_json::to_string(&decision)?;
/// assert!(json.starts_with(r#"{"request":0,"leave_type":"personal","clause":"leave.types.personal""#));
/// assert_eq!(serde_json::from_str::<LeaveDecision>(&json)?, decision);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaveDecision {
    /// The request's place in the list checked (requests have no id of
    /// their own).
    pub request: usize,
    /// What was decided, the dates aside.
    #[serde(flatten)]
    pub summary: LeaveSummary,
    /// Every date of the request.
    pub days: Vec<DecidedDay>,
}

impl std::ops::Deref for LeaveDecision {
    type Target = LeaveSummary;

    fn deref(&self) -> &LeaveSummary {
        &self.summary
    }
}

impl LeaveDecision {
    /// The days attendance needs: leave days (within the entitlement or
    /// converted) as approved, absence days as not approved. Dates the type
    /// does not count, dates claimed by an earlier request and nursing days
    /// (worked days) are left out.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::Policy;
    /// use cs_policy::leave::{Agent, LeaveRequest};
    ///
    /// let policy = Policy::example("education")?;
    /// let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    /// // No form, no signature: both days are absence.
    /// let request = LeaveRequest::new("personal", d(3, 10), d(3, 11), d(3, 1));
    /// let decision = policy.check_leave_request(&Agent::id_only("a1"), &request).unwrap();
    /// let days = decision.leave_days();
    /// assert_eq!(days.len(), 2);
    /// assert!(days.iter().all(|day| !day.approved));
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn leave_days(&self) -> Vec<LeaveDay> {
        self.days
            .iter()
            .filter_map(|d| {
                let approved = match d.status {
                    DayStatus::Leave { .. }
                    | DayStatus::Statutory
                    | DayStatus::Converted { .. } => true,
                    DayStatus::Absence => false,
                    DayStatus::NotCounted
                    | DayStatus::Claimed { .. }
                    | DayStatus::NursingHour { .. } => return None,
                };
                Some(LeaveDay {
                    date: d.date,
                    approved,
                })
            })
            .collect()
    }
}

/// Every attendance day of several decisions, in date order.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::Policy;
/// use cs_policy::leave::{Agent, LeaveRequest, leave_days};
///
/// let policy = Policy::example("shop")?;
/// let d = |day| NaiveDate::from_ymd_opt(2026, 3, day).unwrap();
/// let requests = [
///     LeaveRequest::new("personal", d(12), d(12), d(1)),
///     LeaveRequest::new("personal", d(10), d(10), d(1)),
/// ];
/// let days = leave_days(&policy.check_leave_requests(&Agent::id_only("a1"), &requests).unwrap());
/// assert_eq!(days.iter().map(|day| day.date).collect::<Vec<_>>(), [d(10), d(12)]);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
pub fn leave_days(decisions: &[LeaveDecision]) -> Vec<LeaveDay> {
    let mut days: Vec<LeaveDay> = decisions
        .iter()
        .flat_map(LeaveDecision::leave_days)
        .collect();
    days.sort_by_key(|day| day.date);
    days
}

/// Days of one leave type used in a year (see [`YearBalance`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeUse {
    /// The leave type.
    pub leave_type: LeaveTypeRef,
    /// Days of it (converted days counted under the type they became).
    pub days: u32,
    /// Whether they count against the year cap.
    pub counts_against_cap: bool,
}

/// A year's leave against the cap.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::Policy;
/// use cs_policy::leave::{Agent, Approver, Document, LeaveRequest, YearBalance};
///
/// let policy = Policy::example("education")?;
/// let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
/// let sick = LeaveRequest::new("sick", d(3, 2), d(3, 6), d(2, 20))
///     .with_documents([Document::LeaveForm, Document::HospitalCertificate])
///     .with_approvals([Approver::AboveDepartmentHead])
///     .reported_back();
/// let decisions = policy.check_leave_requests(&Agent::id_only("a1"), &[sick])?;
/// let year = policy.leave_year(2026, &decisions)?;
/// assert_eq!(year.capped_days, 5);
/// assert_eq!(year.crossed_on, None);
/// let json = serde_json::to_string(&year)?;
/// assert_eq!(serde_json::from_str::<YearBalance>(&json)?, year);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearBalance {
    /// The calendar year.
    pub year: i32,
    /// Days used per leave type, in the policy's order, types unused left out.
    pub per_type: Vec<TypeUse>,
    /// Days counted against the cap.
    pub capped_days: u32,
    /// Days beyond what the cap allows.
    pub over_cap_days: u32,
    /// The first day beyond the cap (the 21st with a 20-day inclusive cap).
    pub crossed_on: Option<NaiveDate>,
    /// The cap's clause, or the `[leave]` clause when the policy has no cap.
    pub clause: ClauseRef,
}

// ---------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------

impl Policy {
    /// The `[leave]` section, if the policy has one.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("education")?;
    /// assert!(policy.leave().is_some());
    /// assert!(cs_policy::Policy::example("fintech")?.leave().is_none());
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn leave(&self) -> Option<&LeaveRules> {
        self.leave.as_ref()
    }

    /// A leave type's reference by its id, for a caller that starts from
    /// text; `None` when the policy has no such type (or no `[leave]`).
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("education")?;
    /// assert_eq!(policy.leave_type_ref("sick").map(|t| t.id()), Some("sick"));
    /// assert_eq!(policy.leave_type_ref("sabbatical"), None);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn leave_type_ref(&self, id: &str) -> Option<LeaveTypeRef> {
        self.leave()?.type_ref(id)
    }

    /// The entitlement of one leave request for one agent, allocating
    /// nothing: the days counted, entitled, paid, converted and absent,
    /// and every unmet requirement with its clause (see [`LeaveSummary`]).
    /// The dates are given by [`Policy::decided_days`]. The request is
    /// decided on its own: a one-block type counts as not yet taken, and
    /// no earlier request claims its dates (see
    /// [`Policy::check_leave_requests`]).
    ///
    /// Only what the request's rules read is asked of the agent: a personal
    /// day needs no birth date or sex. An agent's roster is read as given
    /// when its dates are in order, else sorted in a copy.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::Policy;
    /// use cs_policy::leave::{Agent, Approver, Document, Grant, LeaveRequest};
    ///
    /// let policy = Policy::example("shop")?;
    /// let d = |day| NaiveDate::from_ymd_opt(2026, 3, day).unwrap();
    /// let request = LeaveRequest::new("personal", d(10), d(10), d(9))
    ///     .with_documents([Document::LeaveForm])
    ///     .with_approvals([Approver::Supervisor]);
    /// let summary = policy.decide_leave(&Agent::id_only("a1"), &request)?;
    /// assert!(summary.approved());
    /// assert_eq!((summary.counted_days, summary.paid_days, summary.grant), (1, 0, Grant::Open));
    /// assert_eq!(summary.clause.id(), "leave.types.personal");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decide_leave(
        &self,
        agent: &Agent,
        request: &LeaveRequest,
    ) -> Result<LeaveSummary, LeaveError> {
        let rules = self.leave().ok_or(LeaveError::NoLeaveSection)?;
        let roster = in_order(agent);
        Ask::new(self, rules, agent, request, 0, &[])?.summary(roster.as_deref())
    }

    /// Each date of a request `summary` decided (by
    /// [`Policy::decide_leave`] for the same agent and request): what it
    /// became and the clause that decided it, one at a time.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::Policy;
    /// use cs_policy::leave::{Agent, DayStatus, LeaveRequest};
    ///
    /// let policy = Policy::example("shop")?;
    /// let d = |day| NaiveDate::from_ymd_opt(2026, 3, day).unwrap();
    /// let agent = Agent::id_only("a1");
    /// let request = LeaveRequest::new("personal", d(13), d(14), d(1));
    /// let summary = policy.decide_leave(&agent, &request)?;
    /// let mut days = policy.decided_days(&agent, &request, &summary)?;
    /// let friday = days.next().unwrap()?;
    /// assert_eq!((friday.date, friday.status), (d(13), DayStatus::Absence));
    /// assert_eq!(days.next().unwrap()?.status, DayStatus::NotCounted);
    /// assert!(days.next().is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decided_days<'a>(
        &'a self,
        agent: &'a Agent,
        request: &'a LeaveRequest,
        summary: &LeaveSummary,
    ) -> Result<DecidedDays<'a>, LeaveError> {
        let rules = self.leave().ok_or(LeaveError::NoLeaveSection)?;
        let ask = Ask::new(self, rules, agent, request, 0, &[])?;
        Ok(DecidedDays::new(ask, in_order(agent), summary))
    }

    /// Decides one leave request, dates included (see [`LeaveDecision`]).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::Policy;
    /// use cs_policy::leave::{Agent, Approver, Document, LeaveRequest};
    ///
    /// let policy = Policy::example("shop")?;
    /// let d = |day| NaiveDate::from_ymd_opt(2026, 3, day).unwrap();
    /// let request = LeaveRequest::new("personal", d(10), d(10), d(9))
    ///     .with_documents([Document::LeaveForm])
    ///     .with_approvals([Approver::Supervisor]);
    /// assert!(policy.check_leave_request(&Agent::id_only("a1"), &request).unwrap().approved());
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn check_leave_request(
        &self,
        agent: &Agent,
        request: &LeaveRequest,
    ) -> Result<LeaveDecision, LeaveError> {
        let mut out = self.check_leave_requests(agent, std::slice::from_ref(request))?;
        out.pop().ok_or(LeaveError::NoLeaveSection)
    }

    /// Decides an agent's requests in order: a one-block type's entitlement
    /// goes to its first request, and a date two requests claim is handled
    /// as `overlapping_requests` says.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::Policy;
    /// use cs_policy::leave::{Agent, LeaveError, LeaveRequest};
    ///
    /// let policy = Policy::example("education")?;
    /// let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    /// let bad = LeaveRequest::new("personal", d(3, 10), d(3, 9), d(3, 1));
    /// assert!(matches!(
    ///     policy.check_leave_requests(&Agent::id_only("a1"), &[bad]),
    ///     Err(LeaveError::EndsBeforeStart { index: 0, .. })
    /// ));
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn check_leave_requests(
        &self,
        agent: &Agent,
        requests: &[LeaveRequest],
    ) -> Result<Vec<LeaveDecision>, LeaveError> {
        let rules = self.leave().ok_or(LeaveError::NoLeaveSection)?;
        let roster = in_order(agent);
        let mut out: Vec<LeaveDecision> = Vec::with_capacity(requests.len());
        for (index, request) in requests.iter().enumerate() {
            let ask = Ask::new(self, rules, agent, request, index, &out)?;
            let summary = ask.summary(roster.as_deref())?;
            let days = DecidedDays::new(ask, roster.clone(), &summary).collect::<Result<_, _>>()?;
            out.push(LeaveDecision {
                request: index,
                summary,
                days,
            });
        }
        Ok(out)
    }

    /// Nursing time on `date` for a child born on `child_born` under the
    /// leave type `leave_type`: the minutes, or `None` outside the nursing
    /// period.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::Policy;
    ///
    /// let policy = Policy::example("education")?;
    /// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    /// let born = d(2025, 6, 15);
    /// assert_eq!(policy.nursing_minutes("nursing", born, d(2026, 6, 14)).unwrap(), Some(60));
    /// assert_eq!(policy.nursing_minutes("nursing", born, d(2026, 6, 15)).unwrap(), None);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn nursing_minutes(
        &self,
        leave_type: &str,
        child_born: NaiveDate,
        date: NaiveDate,
    ) -> Result<Option<u32>, LeaveError> {
        let rules = self.leave().ok_or(LeaveError::NoLeaveSection)?;
        let t = resolve(rules, leave_type, 0)?;
        let Some((
            Entitlement::NursingHour {
                minutes_per_day,
                until_years,
            },
            _,
        )) = t.entitlement()
        else {
            return Ok(None);
        };
        let last = nursing_last_day(rules, child_born, *until_years)
            .ok_or(LeaveError::DateOutOfRange { index: 0 })?;
        Ok((child_born <= date && date <= last).then_some(*minutes_per_day))
    }

    /// Adds up a year's decisions: days per type, days against the cap, and
    /// the first day beyond it. Only dates in `year` count; absence and
    /// nursing days are not leave days. See [`YearBalance`].
    pub fn leave_year(
        &self,
        year: i32,
        decisions: &[LeaveDecision],
    ) -> Result<YearBalance, LeaveError> {
        let rules = self.leave().ok_or(LeaveError::NoLeaveSection)?;
        let (per_type, mut capped) = rules.days_used(year, decisions);
        capped.sort_unstable();
        let capped_days = u32::try_from(capped.len()).unwrap_or(u32::MAX);
        let (over_cap_days, crossed_on, clause) = rules.beyond_cap(&capped);
        let per_type = rules
            .types
            .iter()
            .zip(per_type)
            .filter(|(_, days)| *days > 0)
            .map(|(t, days)| TypeUse {
                leave_type: t.reference,
                days,
                counts_against_cap: t.year_cap,
            })
            .collect();
        Ok(YearBalance {
            year,
            per_type,
            capped_days,
            over_cap_days,
            crossed_on,
            clause,
        })
    }
}

impl LeaveRules {
    /// The leave days of `year` in `decisions`, per type in the policy's
    /// order (a converted day under the type it became), and the dates of
    /// those that count against the cap.
    fn days_used(&self, year: i32, decisions: &[LeaveDecision]) -> (Vec<u32>, Vec<NaiveDate>) {
        let mut per_type: Vec<u32> = vec![0; self.types.len()];
        let mut capped: Vec<NaiveDate> = Vec::new();
        for decision in decisions {
            for day in decision.days.iter().filter(|d| d.date.year() == year) {
                let counted_as = match day.status {
                    DayStatus::Leave { .. } | DayStatus::Statutory => decision.leave_type,
                    DayStatus::Converted { to } => to,
                    _ => continue,
                };
                let Some(i) = self.position(counted_as) else {
                    continue;
                };
                if let Some(n) = per_type.get_mut(i) {
                    *n = n.saturating_add(1);
                }
                if self.types.get(i).is_some_and(|t| t.year_cap) {
                    capped.push(day.date);
                }
            }
        }
        (per_type, capped)
    }

    /// L5: the days beyond the year cap among `capped` (in date order), the
    /// first of them (the 21st with a 20-day inclusive cap), and the cap's
    /// clause; without a cap none, under the `[leave]` clause.
    fn beyond_cap(&self, capped: &[NaiveDate]) -> (u32, Option<NaiveDate>, ClauseRef) {
        let Some(cap) = self.year_cap else {
            return (0, None, self.clause);
        };
        let allowed = cap.allowed();
        let crossed = usize::try_from(allowed)
            .ok()
            .and_then(|i| capped.get(i))
            .copied();
        let used = u32::try_from(capped.len()).unwrap_or(u32::MAX);
        (used.saturating_sub(allowed), crossed, cap.clause)
    }
}

/// The agent's rostered dates in order: as given when they are, else a
/// sorted copy (the only allocation of a decision, for a roster out of
/// order).
fn in_order(agent: &Agent) -> Option<Cow<'_, [NaiveDate]>> {
    let days = agent.rostered_days.as_deref()?;
    if days.is_sorted() {
        return Some(Cow::Borrowed(days));
    }
    let mut sorted = days.to_vec();
    sorted.sort_unstable();
    Some(Cow::Owned(sorted))
}

fn resolve<'r>(
    rules: &'r LeaveRules,
    name: &str,
    index: usize,
) -> Result<&'r LeaveType, LeaveError> {
    rules
        .types
        .iter()
        .find(|t| t.id() == name)
        .ok_or_else(|| LeaveError::UnknownType {
            index,
            name: name.to_owned(),
            known: rules
                .types
                .iter()
                .map(LeaveType::id)
                .collect::<Vec<_>>()
                .join(", "),
        })
}

fn nursing_last_day(rules: &LeaveRules, born: NaiveDate, years: u32) -> Option<NaiveDate> {
    // A policy with a nursing entitlement always has `[leave.ages]`.
    let ages = rules.ages?;
    ages.reached_on(born, years)?.pred_opt()
}

/// One request being decided: the policy's rules, the request's type, the
/// agent, and the requests decided before it (for one-block types and
/// dates already claimed).
#[derive(Clone, Copy)]
struct Ask<'a> {
    policy: &'a Policy,
    rules: &'a LeaveRules,
    leave_type: &'a LeaveType,
    agent: &'a Agent,
    request: &'a LeaveRequest,
    /// The request's place in the list checked.
    index: usize,
    earlier: &'a [LeaveDecision],
}

/// Whether a date of a request counts, before the entitlement is shared out.
enum Counts {
    /// An earlier request holds it.
    Claimed(usize),
    /// The type does not count it (a rest day, a holiday, a day off roster).
    No,
    /// A leave day of the request.
    Yes,
}

/// A request's counted days and how many of them fall within its grant.
#[derive(Clone, Copy)]
struct Tally {
    counted: u32,
    within: u32,
}

impl<'a> Ask<'a> {
    fn new(
        policy: &'a Policy,
        rules: &'a LeaveRules,
        agent: &'a Agent,
        request: &'a LeaveRequest,
        index: usize,
        earlier: &'a [LeaveDecision],
    ) -> Result<Self, LeaveError> {
        Ok(Self {
            policy,
            rules,
            leave_type: resolve(rules, &request.leave_type, index)?,
            agent,
            request,
            index,
            earlier,
        })
    }

    /// The decision, in the handbook's order: the facts checked, the
    /// entitlement granted, the days counted, the requirements checked,
    /// the counted days shared out.
    fn summary(self, roster: Option<&[NaiveDate]>) -> Result<LeaveSummary, LeaveError> {
        self.check_dates()?;
        let (grant, grant_clause) = self.grant()?;
        let tally = self.count(grant, roster)?;
        // Built in place: the requirements are written into the summary.
        let mut summary = self.counted(grant, grant_clause, tally, roster);
        self.requirements(tally.counted, &mut summary.unmet, &mut summary.waived);
        self.share_out(&mut summary, tally);
        Ok(summary)
    }

    /// Dates that cannot be decided: a request ending before it starts, one
    /// implausibly long, an agent born after it starts.
    fn check_dates(self) -> Result<(), LeaveError> {
        let (request, index) = (self.request, self.index);
        if request.to < request.from {
            return Err(LeaveError::EndsBeforeStart {
                index,
                from: request.from,
                to: request.to,
            });
        }
        let span = days_between(request.from, request.to) + 1;
        if span > i64::from(LONGEST_REQUEST_DAYS) {
            return Err(LeaveError::TooLong { index, days: span });
        }
        match self.agent.birth_date {
            Some(birth_date) if birth_date > request.from => Err(LeaveError::BornAfterLeave {
                agent: self.agent.id.clone(),
                birth_date,
                index,
                from: request.from,
            }),
            _ => Ok(()),
        }
    }

    /// A date of the request the calendar does not cover, named with the
    /// request.
    fn uncovered(self, error: crate::calendar::CalendarError) -> LeaveError {
        LeaveError::Calendar {
            index: self.index,
            error,
        }
    }

    /// A fact the type's entitlement needs and the request or agent lacks,
    /// named with the clause that needs it.
    fn missing(self, fact: &'static str, clause: ClauseRef) -> LeaveError {
        LeaveError::MissingFact {
            index: self.index,
            leave_type: self.leave_type.id().to_owned(),
            fact,
            clause: clause.id().to_owned(),
        }
    }

    /// What the request is entitled to, by the type's entitlement; a
    /// one-block type already taken by an earlier request gets no days. A
    /// statutory type is marked, not computed.
    fn grant(self) -> Result<(Grant, ClauseRef), LeaveError> {
        let t = self.leave_type;
        let Some((entitlement, clause)) = t.entitlement() else {
            return Ok((Grant::Open, t.clause));
        };
        let grant = match entitlement {
            Entitlement::Statutory => Grant::Statutory,
            Entitlement::NursingHour {
                minutes_per_day,
                until_years,
            } => self.nursing_grant(*minutes_per_day, *until_years, clause)?,
            Entitlement::Fixed { days, relations } => {
                self.relation_grant(*days, relations.as_deref(), clause)?
            }
            Entitlement::Marriage { .. } => self.marriage_grant(entitlement, clause)?,
            Entitlement::Maternity { .. } => self.maternity_grant(entitlement, clause)?,
        };
        let taken = self
            .earlier
            .iter()
            .find(|e| t.one_block && e.leave_type == t.reference);
        Ok(match taken {
            Some(prior) => {
                let basis = Basis::AlreadyTaken {
                    request: prior.request,
                };
                (Grant::Days { days: 0, basis }, t.clause)
            }
            None => (grant, clause),
        })
    }

    /// L8: the nursing time each day until the child reaches the age that
    /// ends it (the last day is the day before).
    fn nursing_grant(
        self,
        minutes_per_day: u32,
        until_years: u32,
        clause: ClauseRef,
    ) -> Result<Grant, LeaveError> {
        let born = self.birth(clause)?.date;
        let last_day = nursing_last_day(self.rules, born, until_years)
            .ok_or(LeaveError::DateOutOfRange { index: self.index })?;
        Ok(Grant::NursingHour {
            minutes_per_day,
            last_day,
        })
    }

    /// L9: the fixed days, for a death of a relation the type lists (when
    /// it lists any); none for another relation.
    fn relation_grant(
        self,
        days: u32,
        relations: Option<&[Relation]>,
        clause: ClauseRef,
    ) -> Result<Grant, LeaveError> {
        let Some(listed) = relations else {
            return Ok(Grant::Days {
                days,
                basis: Basis::Fixed,
            });
        };
        let relation = self
            .request
            .relation
            .ok_or_else(|| self.missing("relation", clause))?;
        Ok(if listed.contains(&relation) {
            Grant::Days {
                days,
                basis: Basis::Fixed,
            }
        } else {
            Grant::Days {
                days: 0,
                basis: Basis::RelationNotListed { relation },
            }
        })
    }

    /// L6: marriage leave's days by the agent's full years on the date of
    /// the marriage (晚婚 is an age at the marriage, not at the leave): the
    /// ordinary days, the late-marriage reward days added for a first
    /// marriage at the man's or woman's age, a remarriage's days only. The
    /// certificate's date against the day the agent joined is checked with
    /// the requirements.
    fn marriage_grant(
        self,
        entitlement: &Entitlement,
        clause: ClauseRef,
    ) -> Result<Grant, LeaveError> {
        let &Entitlement::Marriage {
            days,
            late_extra_days,
            late_man_age,
            late_woman_age,
            remarriage_days,
            certificate_after_joining,
        } = entitlement
        else {
            return Ok(Grant::Open);
        };
        let agent = self.agent;
        let married_on = self
            .request
            .married_on
            .ok_or_else(|| self.missing("married_on", clause))?;
        if certificate_after_joining && agent.joined_on.is_none() {
            return Err(self.missing("joined_on", clause));
        }
        let birth_date = agent
            .birth_date
            .ok_or_else(|| self.missing("birth_date", clause))?;
        let age = self
            .rules
            .age_rules()
            .full_years(birth_date, married_on)
            .ok_or_else(|| LeaveError::MarriedBeforeBirth {
                agent: agent.id.clone(),
                birth_date,
                index: self.index,
                married_on,
            })?;
        let remarriage = agent.previous_marriages > 0;
        let late = !remarriage && {
            let sex = agent.sex.ok_or_else(|| self.missing("sex", clause))?;
            age >= match sex {
                Sex::Man => late_man_age,
                Sex::Woman => late_woman_age,
            }
        };
        let total = match (remarriage, late) {
            (true, _) => remarriage_days,
            (false, true) => days.saturating_add(late_extra_days),
            (false, false) => days,
        };
        let basis = Basis::Marriage {
            age,
            late,
            remarriage,
        };
        Ok(Grant::Days { days: total, basis })
    }

    /// L7: maternity leave's days before and after the birth (more after a
    /// difficult one), and more after it for each additional baby.
    fn maternity_grant(
        self,
        entitlement: &Entitlement,
        clause: ClauseRef,
    ) -> Result<Grant, LeaveError> {
        let &Entitlement::Maternity {
            before_days,
            after_days,
            difficult_before_days,
            difficult_after_days,
            per_additional_baby_days,
        } = entitlement
        else {
            return Ok(Grant::Open);
        };
        let birth = self.birth(clause)?;
        let (before, after) = if birth.difficult {
            (difficult_before_days, difficult_after_days)
        } else {
            (before_days, after_days)
        };
        let babies = u32::try_from(birth.babies).unwrap_or(1);
        let extra = per_additional_baby_days.saturating_mul(babies.saturating_sub(1));
        let after = after.saturating_add(extra);
        let basis = Basis::Maternity {
            before_days: before,
            after_days: after,
            difficult: birth.difficult,
            babies,
        };
        Ok(Grant::Days {
            days: before.saturating_add(after),
            basis,
        })
    }

    /// The request's birth, with a plausible number of babies.
    fn birth(self, clause: ClauseRef) -> Result<Birth, LeaveError> {
        let birth = self
            .request
            .birth
            .ok_or_else(|| self.missing("birth", clause))?;
        if !(1..=MOST_BABIES).contains(&birth.babies) {
            return Err(LeaveError::BabyCount {
                index: self.index,
                babies: birth.babies,
            });
        }
        Ok(birth)
    }

    /// The type's roster rule, when it counts the agent's rostered days.
    fn on_roster(self, roster: Option<&[NaiveDate]>) -> Option<(&[NaiveDate], ClauseRef)> {
        match (self.leave_type.on_roster, roster) {
            (Some((OnRoster::RosteredDays, clause)), Some(days)) => Some((days, clause)),
            _ => None,
        }
    }

    /// Whether `date` counts: a date an earlier request holds is its (or
    /// bad facts, as the policy says); else the type's counting rule
    /// decides, on the agent's roster where the policy says so.
    fn counts(self, date: NaiveDate, roster: Option<&[NaiveDate]>) -> Result<Counts, LeaveError> {
        let prior = self
            .earlier
            .iter()
            .find(|e| e.from <= date && date <= e.to && claims(e, date));
        if let Some(prior) = prior {
            if self.rules.overlapping == OverlappingRequests::BadFacts {
                return Err(LeaveError::Overlap {
                    first: prior.request,
                    second: self.index,
                    date,
                });
            }
            return Ok(Counts::Claimed(prior.request));
        }
        let counts = match self.on_roster(roster) {
            Some((rostered, _)) => rostered.binary_search(&date).is_ok(),
            None => self
                .leave_type
                .counting
                .counts(self.policy.calendar(), date)
                .map_err(|e| self.uncovered(e))?,
        };
        Ok(if counts { Counts::Yes } else { Counts::No })
    }

    /// The days of the request that count, and how many of them the grant
    /// covers.
    fn count(self, grant: Grant, roster: Option<&[NaiveDate]>) -> Result<Tally, LeaveError> {
        let mut tally = Tally {
            counted: 0,
            within: 0,
        };
        for date in self.dates() {
            if let Counts::Yes = self.counts(date, roster)? {
                if within(grant, self.request, tally.counted, date) {
                    tally.within += 1;
                }
                tally.counted += 1;
            }
        }
        Ok(tally)
    }

    /// Every date of the request, first to last.
    fn dates(self) -> impl Iterator<Item = NaiveDate> {
        let to = self.request.to;
        self.request.from.iter_days().take_while(move |d| *d <= to)
    }

    /// What the request lacks, and what a special case waived: the notice
    /// ladder's step for its counted days, then the type's own notice,
    /// signature and papers.
    fn requirements(self, counted: u32, unmet: &mut Unmets, waived: &mut Unmets<MOST_WAIVED>) {
        let t = self.leave_type;
        if t.ladder {
            if let Some(step) = self.rules.step_for(counted) {
                self.ladder_requirements(step, unmet, waived);
            }
        }
        let own = Asked {
            notice_days: t.notice_days,
            approver: t.approver,
            form: t.form,
            discretion: false,
            clause: t.clause,
        };
        self.asked(own, unmet, waived);
        self.paperwork_requirements(unmet);
        if let Some(unmet_certificate) = self.certificate_after_joining() {
            unmet.push(unmet_certificate.requirement, unmet_certificate.clause);
        }
    }

    /// L1, L2, L3, L11: the notice step a request of its length falls on:
    /// the notice, the approver (the supervisor signs a form; longer leave
    /// goes up a level) and the form; where the step allows discretion, a
    /// special case's short notice is waived rather than unmet.
    fn ladder_requirements(
        self,
        step: &NoticeStep,
        unmet: &mut Unmets,
        waived: &mut Unmets<MOST_WAIVED>,
    ) {
        let asked = Asked {
            notice_days: Some(step.notice_days),
            approver: step.approver,
            form: step.form,
            discretion: step.discretion,
            clause: step.clause,
        };
        self.asked(asked, unmet, waived);
    }

    /// A notice, a signature and a form, as a step or the type asks them.
    fn asked(self, asked: Asked, unmet: &mut Unmets, waived: &mut Unmets<MOST_WAIVED>) {
        let request = self.request;
        let given = days_between(request.requested_on, request.from);
        if let Some(required_days) = asked.notice_days.filter(|days| given < i64::from(*days)) {
            let requirement = Requirement::Notice {
                required_days,
                given_days: given,
            };
            if asked.discretion && request.special_case {
                waived.push(requirement, asked.clause);
            } else {
                unmet.push(requirement, asked.clause);
            }
        }
        if let Some(required) = asked.approver {
            if !request.approvals.iter().any(|a| *a >= required) {
                unmet.push(Requirement::Approval { required }, asked.clause);
            }
        }
        if asked.form && !request.documents.contains(&Document::LeaveForm) {
            let requirement = Requirement::Document {
                document: Document::LeaveForm,
            };
            unmet.push(requirement, asked.clause);
        }
    }

    /// L4, L10: the type's own papers (a hospital certificate for sick or
    /// work-injury leave), reporting back after the leave (销假), and who
    /// may file (a relative, for an injured agent, where the type allows).
    fn paperwork_requirements(self, unmet: &mut Unmets) {
        let (t, request) = (self.leave_type, self.request);
        for document in &t.documents {
            if !request.documents.contains(document) {
                let requirement = Requirement::Document {
                    document: *document,
                };
                unmet.push(requirement, t.clause);
            }
        }
        if t.report_back && !request.reported_back {
            unmet.push(Requirement::ReportBack, t.clause);
        }
        if request.applicant == Applicant::Relative && !t.relative_may_apply {
            unmet.push(Requirement::Applicant, t.clause);
        }
    }

    /// The marriage rule's condition on the certificate: one obtained
    /// before the agent joined earns no marriage leave, where the policy
    /// says so; reported under the entitlement's clause.
    fn certificate_after_joining(self) -> Option<Unmet> {
        let (
            Entitlement::Marriage {
                certificate_after_joining: true,
                ..
            },
            clause,
        ) = self.leave_type.entitlement()?
        else {
            return None;
        };
        let (married_on, joined_on) = (self.request.married_on?, self.agent.joined_on?);
        (married_on < joined_on).then_some(Unmet {
            requirement: Requirement::CertificateBeforeJoining {
                married_on,
                joined_on,
            },
            clause,
        })
    }

    /// The request counted, before its requirements are checked: its days
    /// within the grant, none yet paid, converted or absent.
    fn counted(
        self,
        grant: Grant,
        grant_clause: ClauseRef,
        tally: Tally,
        roster: Option<&[NaiveDate]>,
    ) -> LeaveSummary {
        let t = self.leave_type;
        LeaveSummary {
            leave_type: t.reference,
            clause: t.clause,
            from: self.request.from,
            to: self.request.to,
            counted_days: tally.counted,
            counted_on_roster: self.on_roster(roster).map(|(_, clause)| clause),
            grant,
            grant_clause,
            entitled_days: tally.within,
            paid_days: 0,
            converted_days: 0,
            converted_to: None,
            absence_days: 0,
            unmet: Unmets::none(t.clause),
            waived: Unmets::none(t.clause),
        }
    }

    /// The counted days shared out: an unmet requirement makes every one
    /// absence; else those within the grant are leave (paid where the type
    /// is), and those beyond become the type's excess: another leave type
    /// (视为事假) or absence.
    fn share_out(self, summary: &mut LeaveSummary, tally: Tally) {
        let t = self.leave_type;
        let beyond = tally.counted - tally.within;
        let (paid_days, converted_days, absence_days) = match (summary.unmet.is_empty(), t.excess) {
            (false, _) => (0, 0, tally.counted),
            (true, excess) => {
                let paid = if t.pay == Pay::Paid { tally.within } else { 0 };
                match excess {
                    Some(Excess::Type(_)) => (paid, beyond, 0),
                    // A limited type always states its excess; absence is the safe reading.
                    Some(Excess::Absence) | None => (paid, 0, beyond),
                }
            }
        };
        summary.converted_to = match t.excess {
            Some(Excess::Type(to)) if converted_days > 0 => Some(to),
            _ => None,
        };
        summary.paid_days = paid_days;
        summary.converted_days = converted_days;
        summary.absence_days = absence_days;
    }
}

/// A notice, a signature and a form one clause asks of a request.
struct Asked {
    notice_days: Option<u32>,
    approver: Option<Approver>,
    form: bool,
    discretion: bool,
    clause: ClauseRef,
}

impl LeaveRules {
    /// How ages are counted; civil practice where the policy states none
    /// (a policy with an entitlement by age always states it).
    fn age_rules(&self) -> AgeRules {
        self.ages.unwrap_or(AgeRules {
            reached: AgeReached::OnAnniversary,
            leap_day: LeapDay::March1,
            clause: self.clause,
        })
    }
}

/// Days from `from` to `to` (negative when `to` is earlier): a subtraction
/// of day numbers, cheaper than chrono's duration on a hot path.
fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    i64::from(to.num_days_from_ce()) - i64::from(from.num_days_from_ce())
}

/// Whether the `k`-th counted day (from 0), on `date`, is within `grant`.
fn within(grant: Grant, request: &LeaveRequest, k: u32, date: NaiveDate) -> bool {
    match grant {
        Grant::Days { days, .. } => k < days,
        Grant::NursingHour { last_day, .. } => {
            request.birth.is_some_and(|b| b.date <= date) && date <= last_day
        }
        Grant::Open | Grant::Statutory => true,
    }
}

/// Whether an earlier decision holds `date` as its own (not a date it left
/// to a request before it).
fn claims(decision: &LeaveDecision, date: NaiveDate) -> bool {
    // A decision holds one entry per date from its first day.
    usize::try_from(days_between(decision.from, date))
        .ok()
        .and_then(|i| decision.days.get(i))
        .is_some_and(|d| d.date == date && !matches!(d.status, DayStatus::Claimed { .. }))
}

/// Each date of a decided request, what it became and the clause that
/// decided it (see [`Policy::decided_days`]).
pub struct DecidedDays<'a> {
    ask: Ask<'a>,
    roster: Option<Cow<'a, [NaiveDate]>>,
    grant: Grant,
    grant_clause: ClauseRef,
    /// The first unmet requirement's clause: every counted day is absence.
    refused: Option<ClauseRef>,
    next: Option<NaiveDate>,
    /// Counted days seen so far.
    counted: u32,
}

impl<'a> DecidedDays<'a> {
    fn new(ask: Ask<'a>, roster: Option<Cow<'a, [NaiveDate]>>, summary: &LeaveSummary) -> Self {
        Self {
            ask,
            roster,
            grant: summary.grant,
            grant_clause: summary.grant_clause,
            refused: summary.unmet.first().map(|u| u.clause),
            next: Some(ask.request.from).filter(|from| *from <= ask.request.to),
            counted: 0,
        }
    }

    /// What one date became.
    fn decide(&mut self, date: NaiveDate) -> Result<DecidedDay, LeaveError> {
        let ask = self.ask;
        let t = ask.leave_type;
        let roster = self.roster.as_deref();
        let day = |status, clause| DecidedDay {
            date,
            status,
            clause,
        };
        let k = match ask.counts(date, roster)? {
            Counts::Claimed(request) => {
                return Ok(day(DayStatus::Claimed { request }, ask.rules.clause));
            }
            Counts::No => {
                let clause = match ask.on_roster(roster) {
                    Some((_, clause)) => clause,
                    None => {
                        ask.policy
                            .calendar()
                            .day(date)
                            .map_err(|e| ask.uncovered(e))?
                            .clause
                    }
                };
                return Ok(day(DayStatus::NotCounted, clause));
            }
            Counts::Yes => self.counted,
        };
        self.counted += 1;
        if let Some(clause) = self.refused {
            return Ok(day(DayStatus::Absence, clause));
        }
        if within(self.grant, ask.request, k, date) {
            let status = match (self.grant, t.pay) {
                (
                    Grant::NursingHour {
                        minutes_per_day, ..
                    },
                    _,
                ) => DayStatus::NursingHour {
                    minutes: minutes_per_day,
                },
                (Grant::Statutory, _) | (_, Pay::Statutory) => DayStatus::Statutory,
                (_, pay) => DayStatus::Leave {
                    paid: pay == Pay::Paid,
                },
            };
            return Ok(day(status, self.grant_clause));
        }
        Ok(match t.excess {
            Some(Excess::Type(to)) => day(DayStatus::Converted { to }, t.clause),
            Some(Excess::Absence) | None => day(DayStatus::Absence, t.clause),
        })
    }
}

impl Iterator for DecidedDays<'_> {
    type Item = Result<DecidedDay, LeaveError>;

    fn next(&mut self) -> Option<Self::Item> {
        let date = self.next?;
        self.next = date.succ_opt().filter(|d| *d <= self.ask.request.to);
        Some(self.decide(date))
    }
}

impl fmt::Display for Requirement {
    /// The requirement in words, for reports.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Notice {
                required_days,
                given_days,
            } => write!(
                f,
                "notice of {required_days} days required, {given_days} given"
            ),
            Self::Approval { required } => {
                write!(f, "signature of `{}` required", word(*required))
            }
            Self::Document { document } => write!(f, "`{}` missing", word(*document)),
            Self::ReportBack => f.write_str("did not report back after the leave"),
            Self::Applicant => f.write_str("filed by a relative, which this leave does not allow"),
            Self::CertificateBeforeJoining {
                married_on,
                joined_on,
            } => write!(
                f,
                "marriage certificate of {married_on} obtained before joining on {joined_on}"
            ),
        }
    }
}
