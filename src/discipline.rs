//! Escalation ladders: fines, rewards, warnings, actions and funds.
//!
//! The `[discipline]` section of a policy file. Every kind of incident the
//! policy knows is either a *ladder* (a fine or a disciplinary measure, under
//! `[discipline.ladders.<id>]`) or a *reward* (`[discipline.rewards.<id>]`),
//! read by the same machinery with the opposite sign. A kind either escalates
//! through `steps` counted within a `window`, or costs the same `each` time.
//!
//! ```
//! use chrono::NaiveDate;
//! use cs_policy::Policy;
//! use cs_policy::discipline::{Action, Incident};
//! use rust_decimal::Decimal;
//!
//! let policy = Policy::from_toml_str("demo.toml", r#"
//! [policy]
//! id = "demo"
//! name = "Demo"
//! format = 1
//! currency = "CNY"
//! time_zone = "Asia/Shanghai"
//! effective = 2026-01-01
//!
//! [funds.activity]
//!
//! [discipline]
//! fund = "activity"                  # where fine amounts go
//!
//! [discipline.ladders.complaint]
//! source = "000 part 1 §6"
//! counts_as = "complaint"            # or "irregularity": what pay counts
//! window = "calendar_month"          # or "quarter", "calendar_year", "ever", { rolling_days = 30 }
//! step_amounts = "all_paid"          # 50 + 100 + 200 = 350 (or "total_so_far": 200)
//! steps = [{ amount = 50 }, { amount = 100 }, { amount = 200 }]
//! past_end = "repeat_last"           # or { add = 100 }, { multiply = 2 }, { actions = ["dismissal_review"] }
//!
//! [discipline.ladders.off_task]      # flat
//! each = { amount = 10 }
//!
//! [discipline.ladders.off_task_part2]  # a variant from another handbook
//! alternative_to = "off_task"
//! each = { actions = ["demerit"] }
//!
//! [discipline.ladders.unmarked_order]  # an action the pay module consumes
//! each = { actions = ["commission_lost"] }
//!
//! [discipline.rewards.data_error_found]
//! each = { amount = 10 }
//! "#).unwrap();
//!
//! let d = |day| NaiveDate::from_ymd_opt(2026, 3, day).unwrap();
//! let incidents = [
//!     Incident::new("a1", "complaint", d(2)),
//!     Incident::new("a1", "complaint", d(9)),
//!     Incident::new("a1", "data_error_found", d(10)),
//!     Incident::new("a1", "unmarked_order", d(11)),
//! ];
//! let month = policy.discipline_month(2026, 3, &incidents).unwrap();
//! assert_eq!(month.fines_total(), Decimal::from(150));
//! assert_eq!(month.rewards_total(), Decimal::from(10));
//! assert_eq!(month.count(Action::CommissionLost, Some("a1")), 1);
//! ```
//!
//! A step states an `amount`, a discretionary range (`min` and `max`: the
//! incident carries the chosen value), `actions`, or an amount and actions;
//! each step may have a `label`, and every kind a `label`, a `source` and its
//! own `fund`. Validation rejects a ladder whose steps decrease in amount or
//! in the severity of their actions (unless it says `allow_decrease = true`),
//! a stepped ladder that does not say how it counts (`window`), what happens
//! past its last step (`past_end`), or how its amounts add up
//! (`step_amounts`), unknown actions, rewards that punish, and undefined
//! funds or kinds.
//!
//! [`Policy::discipline_statement`] and [`Policy::discipline_month`] turn
//! incidents into a [`Statement`]: every fine, reward and action in date
//! order, each with its occurrence, step and clause, and the totals per fund.

use std::borrow::Cow;
use std::collections::{HashMap, VecDeque};
use std::fmt;

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;
use serde::ser::SerializeSeq;
use serde::{Deserialize, Serialize, Serializer};

use crate::Policy;
use crate::explain::{ClauseRef, PolicyTag};
use crate::money::{Charged, Fund, FundRef, Overflow, Rounding};
use crate::policy::ProblemCode;
use crate::policy::read::{Choice, Hint, Loader, Located, Node, Table, choices, closest};

/// The longest rolling window accepted, in days (ten years).
const LONGEST_ROLLING_WINDOW: u32 = 3660;

// ---------------------------------------------------------------------------
// Actions
// ---------------------------------------------------------------------------

choices! {
    /// A measure a step takes besides (or instead of) an amount. The set is
    /// closed: a policy naming any other word is rejected with a suggestion.
    ///
    /// ```
    /// use cs_policy::discipline::Action;
    ///
    /// assert_eq!(Action::Dismissal.word(), "dismissal");
    /// assert!(Action::Dismissal.severity() > Action::Warning.severity());
    /// assert_eq!(Action::from_word("bonus_cancelled"), Some(Action::BonusCancelled));
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum Action as "an action" {
        /// Praise on record (表扬, 评定服务优秀人员): the only action a reward may take
        /// besides `recorded_on_file`.
        Commendation => "commendation",
        /// The incident is recorded in the agent's file (记录在案).
        RecordedOnFile => "recorded_on_file",
        /// A warning (警告).
        Warning => "warning",
        /// Sent home at once to change clothes (责令其立即回家换装).
        SentHomeToChange => "sent_home_to_change",
        /// A written self-criticism (做出深刻检查).
        WrittenSelfCriticism => "written_self_criticism",
        /// A demerit record (记过).
        Demerit => "demerit",
        /// The agent earns no commission on the order; the pay module
        /// drops the commission of the incident's order.
        CommissionLost => "commission_lost",
        /// The month's bonus application is cancelled (取消当月奖金申请).
        BonusCancelled => "bonus_cancelled",
        /// The month's performance pay is withheld (扣发当月绩效工资).
        PerformancePayLost => "performance_pay_lost",
        /// The case goes to a dismissal review.
        DismissalReview => "dismissal_review",
        /// The matter is handed to the authorities (交由国家行政部门处理).
        ReferredToAuthorities => "referred_to_authorities",
        /// Dismissal (开除).
        Dismissal => "dismissal",
    }
}

impl Action {
    /// Every action, from the mildest to the most severe.
    ///
    /// ```
    /// use cs_policy::discipline::Action;
    /// assert_eq!(Action::ALL.first(), Some(&Action::Commendation));
    /// ```
    pub const ALL: [Action; 12] = [
        Self::Commendation,
        Self::RecordedOnFile,
        Self::Warning,
        Self::SentHomeToChange,
        Self::WrittenSelfCriticism,
        Self::Demerit,
        Self::CommissionLost,
        Self::BonusCancelled,
        Self::PerformancePayLost,
        Self::DismissalReview,
        Self::ReferredToAuthorities,
        Self::Dismissal,
    ];

    /// The word a policy file uses for the action.
    ///
    /// ```
    /// use cs_policy::discipline::Action;
    /// assert_eq!(Action::PerformancePayLost.word(), "performance_pay_lost");
    /// ```
    pub fn word(self) -> &'static str {
        Self::CHOICES
            .iter()
            .find(|(_, a)| *a == self)
            .map_or("", |(w, _)| w)
    }

    /// The action a policy word names, if any.
    ///
    /// ```
    /// use cs_policy::discipline::Action;
    /// assert_eq!(Action::from_word("demerit"), Some(Action::Demerit));
    /// assert_eq!(Action::from_word("flogging"), None);
    /// ```
    pub fn from_word(word: &str) -> Option<Self> {
        Self::CHOICES
            .iter()
            .find(|(w, _)| *w == word)
            .map(|(_, a)| *a)
    }

    /// How severe the action is, for checking that a ladder does not step
    /// down: 0 (commendation) to 6 (dismissal).
    ///
    /// ```
    /// use cs_policy::discipline::Action;
    /// assert!(Action::BonusCancelled.severity() > Action::SentHomeToChange.severity());
    /// ```
    pub const fn severity(self) -> u8 {
        match self {
            Self::Commendation => 0,
            Self::RecordedOnFile | Self::Warning => 1,
            Self::SentHomeToChange | Self::WrittenSelfCriticism => 2,
            Self::Demerit | Self::CommissionLost => 3,
            Self::BonusCancelled | Self::PerformancePayLost => 4,
            Self::DismissalReview => 5,
            Self::ReferredToAuthorities | Self::Dismissal => 6,
        }
    }

    /// Whether the action punishes (everything but a commendation or a
    /// mere record); a reward may not take one.
    ///
    /// ```
    /// use cs_policy::discipline::Action;
    /// assert!(Action::Demerit.is_punishment());
    /// assert!(!Action::Commendation.is_punishment());
    /// ```
    pub const fn is_punishment(self) -> bool {
        !matches!(self, Self::Commendation | Self::RecordedOnFile)
    }

    const fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

/// A set of actions: `Copy`, no allocation, so every result can carry one.
/// Serialized as the list of action words.
///
/// ```
/// use cs_policy::discipline::{Action, ActionSet};
///
/// let set = ActionSet::EMPTY.with(Action::Warning).with(Action::SentHomeToChange);
/// assert!(set.contains(Action::Warning));
/// assert_eq!(set.len(), 2);
/// assert_eq!(set.most_severe(), Some(Action::SentHomeToChange));
/// assert_eq!(set.iter().collect::<Vec<_>>(), [Action::Warning, Action::SentHomeToChange]);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ActionSet(u16);

impl ActionSet {
    /// No action.
    pub const EMPTY: ActionSet = ActionSet(0);

    /// The set with `action` added.
    ///
    /// ```
    /// use cs_policy::discipline::{Action, ActionSet};
    /// assert!(!ActionSet::EMPTY.with(Action::Demerit).is_empty());
    /// ```
    #[must_use]
    pub const fn with(self, action: Action) -> Self {
        Self(self.0 | action.bit())
    }

    /// Whether the set holds `action`.
    ///
    /// ```
    /// use cs_policy::discipline::{Action, ActionSet};
    /// assert!(!ActionSet::EMPTY.contains(Action::Dismissal));
    /// ```
    pub const fn contains(self, action: Action) -> bool {
        self.0 & action.bit() != 0
    }

    /// Whether the set is empty.
    ///
    /// ```
    /// use cs_policy::discipline::ActionSet;
    /// assert!(ActionSet::EMPTY.is_empty());
    /// ```
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// How many actions the set holds.
    ///
    /// ```
    /// use cs_policy::discipline::ActionSet;
    /// assert_eq!(ActionSet::EMPTY.len(), 0);
    /// ```
    pub const fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// Every action in both sets.
    ///
    /// ```
    /// use cs_policy::discipline::{Action, ActionSet};
    /// let a = ActionSet::EMPTY.with(Action::Warning);
    /// let b = ActionSet::EMPTY.with(Action::Demerit);
    /// assert_eq!(a.union(b).len(), 2);
    /// ```
    #[must_use]
    pub const fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// The actions, mildest first.
    ///
    /// ```
    /// use cs_policy::discipline::{Action, ActionSet};
    /// let set = ActionSet::EMPTY.with(Action::Dismissal).with(Action::Warning);
    /// assert_eq!(set.iter().next(), Some(Action::Warning));
    /// ```
    pub fn iter(self) -> impl Iterator<Item = Action> {
        Action::ALL.into_iter().filter(move |a| self.contains(*a))
    }

    /// The most severe action in the set (see [`Action::severity`]).
    ///
    /// ```
    /// use cs_policy::discipline::{Action, ActionSet};
    /// assert_eq!(ActionSet::EMPTY.most_severe(), None);
    /// ```
    pub fn most_severe(self) -> Option<Action> {
        self.iter().max_by_key(|a| a.severity())
    }
}

impl FromIterator<Action> for ActionSet {
    fn from_iter<I: IntoIterator<Item = Action>>(iter: I) -> Self {
        iter.into_iter().fold(Self::EMPTY, Self::with)
    }
}

impl Serialize for ActionSet {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for action in self.iter() {
            seq.serialize_element(&action)?;
        }
        seq.end()
    }
}

/// Read back from the list of action words.
///
/// ```
/// use cs_policy::discipline::{Action, ActionSet};
/// let set: ActionSet = serde_json::from_str(r#"["warning", "demerit"]"#).unwrap();
/// assert_eq!(set, ActionSet::EMPTY.with(Action::Demerit).with(Action::Warning));
/// ```
impl<'de> Deserialize<'de> for ActionSet {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Vec::<Action>::deserialize(d)?.into_iter().collect())
    }
}

// ---------------------------------------------------------------------------
// The typed model
// ---------------------------------------------------------------------------

/// Whether a kind of incident costs the agent (a fine or a disciplinary
/// measure) or pays the agent (a reward).
///
/// ```
/// use cs_policy::Policy;
/// use cs_policy::discipline::Effect;
///
/// let policy = Policy::example("shop")?;
/// let rules = policy.discipline().unwrap();
/// let praise = rules.resolve_kind("praise").unwrap();
/// assert_eq!(rules.kind(praise).unwrap().effect(), Effect::Reward);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Effect {
    /// A fine or disciplinary measure (`[discipline.ladders]`).
    Fine,
    /// A reward (`[discipline.rewards]`).
    Reward,
}

choices! {
    /// What an incident of a kind counts as for pay (monthly awards, demotions),
    /// demotions), as the policy states it with `counts_as` on the kind.
    ///
    /// ```
    /// use cs_policy::Policy;
    /// use cs_policy::discipline::CountsAs;
    ///
    /// let policy = Policy::example("shop")?;
    /// let rules = policy.discipline().unwrap();
    /// let complaint = rules.kind(rules.resolve_kind("complaint").unwrap()).unwrap();
    /// assert_eq!(complaint.counts_as(), Some(CountsAs::Complaint));
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum CountsAs as "what an incident counts as" {
        /// A valid customer complaint.
        Complaint => "complaint",
        /// A service irregularity.
        Irregularity => "irregularity",
    }
}

/// The period within which occurrences are counted to find the step.
///
/// ```
/// use cs_policy::Policy;
/// use cs_policy::discipline::Window;
///
/// let policy = Policy::example("shop")?;
/// let rules = policy.discipline().unwrap();
/// let complaint = rules.kind(rules.resolve_kind("complaint").unwrap()).unwrap();
/// assert_eq!(complaint.window(), Window::CalendarMonth); // 一个自然月内
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Window {
    /// The count restarts on the first of each calendar month.
    CalendarMonth,
    /// The count restarts each calendar quarter (January, April, July, October).
    Quarter,
    /// The count restarts on 1 January.
    CalendarYear,
    /// The count never restarts.
    Ever,
    /// Occurrences within the last N days, the incident's own day included.
    RollingDays(u32),
}

choices! {
    #[derive(Clone, Copy)]
    enum WindowWord as "a counting window" {
        CalendarMonth => "calendar_month",
        Quarter => "quarter",
        CalendarYear => "calendar_year",
        Ever => "ever",
    }
}

impl Window {
    /// The calendar period a date falls in, for the windows that restart.
    fn period(self, date: NaiveDate) -> i64 {
        let year = i64::from(date.year());
        let month0 = i64::from(date.month0());
        match self {
            Self::CalendarMonth => year * 12 + month0,
            Self::Quarter => year * 4 + month0 / 3,
            Self::CalendarYear => year,
            Self::Ever | Self::RollingDays(_) => 0,
        }
    }
}

choices! {
    /// How the amounts of a ladder's steps add up.
    ///
    /// ```
    /// use cs_policy::Policy;
    /// use cs_policy::discipline::{Rule, StepAmounts};
    ///
    /// let policy = Policy::example("shop")?;
    /// let rules = policy.discipline().unwrap();
    /// let complaint = rules.kind(rules.resolve_kind("complaint").unwrap()).unwrap();
    /// let Rule::Ladder(ladder) = complaint.rule() else { unreachable!() };
    /// assert_eq!(ladder.step_amounts(), StepAmounts::AllPaid); // 累计叠加
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum StepAmounts as "a way of adding up step amounts" {
        /// Each occurrence pays its own step's amount: 50, 100 and 200 make 350.
        AllPaid => "all_paid",
        /// A step's amount is the total owed in the window so far: the occurrence
        /// pays what its step adds to the one before (50, then 50, then 100).
        TotalSoFar => "total_so_far",
    }
}

/// What a step costs or pays.
///
/// ```
/// use cs_policy::Policy;
/// use cs_policy::discipline::{Rule, StepAmount};
/// use rust_decimal::Decimal;
///
/// let policy = Policy::example("shop")?;
/// let rules = policy.discipline().unwrap();
/// let flat = rules.kind(rules.resolve_kind("disclosure").unwrap()).unwrap();
/// let Rule::Flat(step) = flat.rule() else { unreachable!() };
/// assert_eq!(step.amount(), StepAmount::Fixed(Decimal::from(10)));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum StepAmount {
    /// No money: the step only takes actions.
    None,
    /// A fixed amount.
    Fixed(Decimal),
    /// An amount chosen case by case within `min..=max`; the incident carries
    /// the chosen value.
    Range {
        /// The lowest amount allowed.
        min: Decimal,
        /// The highest amount allowed.
        max: Decimal,
    },
}

impl StepAmount {
    fn bounds(self) -> Option<(Decimal, Decimal)> {
        match self {
            Self::None => None,
            Self::Fixed(a) => Some((a, a)),
            Self::Range { min, max } => Some((min, max)),
        }
    }
}

/// One rung of a ladder (or the single rung of a flat rule).
///
/// ```
/// use cs_policy::Policy;
/// use cs_policy::discipline::{Action, Rule};
///
/// let policy = Policy::example("education")?;
/// let rules = policy.discipline().unwrap();
/// let dress = rules.kind(rules.resolve_kind("dress_code").unwrap()).unwrap();
/// let Rule::Ladder(ladder) = dress.rule() else { unreachable!() };
/// assert!(ladder.steps()[1].actions().contains(Action::BonusCancelled));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    amount: StepAmount,
    actions: ActionSet,
    clause: ClauseRef,
}

impl Step {
    /// What the step costs or pays.
    pub fn amount(&self) -> StepAmount {
        self.amount
    }

    /// The actions the step takes.
    pub fn actions(&self) -> ActionSet {
        self.actions
    }

    /// The step's clause (`discipline.ladders.complaint.steps[1]`).
    pub fn clause(&self) -> ClauseRef {
        self.clause
    }
}

/// What an occurrence past a ladder's last step costs: the sources never
/// say, so a policy must (RULES.md F gaps).
///
/// ```
/// use cs_policy::Policy;
/// use cs_policy::discipline::{PastEnd, Rule};
///
/// let policy = Policy::example("shop")?;
/// let rules = policy.discipline().unwrap();
/// let complaint = rules.kind(rules.resolve_kind("complaint").unwrap()).unwrap();
/// let Rule::Ladder(ladder) = complaint.rule() else { unreachable!() };
/// assert_eq!(ladder.past_end(), &PastEnd::RepeatLast);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PastEnd {
    /// Every later occurrence is charged like the last step.
    RepeatLast,
    /// Each later occurrence costs this much more than the one before (the
    /// last step's actions repeat).
    Add(Decimal),
    /// Each later occurrence costs this many times the one before (the last
    /// step's actions repeat).
    Multiply(Decimal),
    /// Every later occurrence is charged this stated step.
    Stated(Step),
}

/// An escalation ladder: steps counted within a window.
///
/// ```
/// use cs_policy::Policy;
/// use cs_policy::discipline::{Action, Rule};
///
/// let policy = Policy::example("shop")?;
/// let rules = policy.discipline().unwrap();
/// let off_task = rules.kind(rules.resolve_kind("off_task").unwrap()).unwrap();
/// let Rule::Ladder(ladder) = off_task.rule() else { unreachable!() };
/// assert_eq!(ladder.steps().len(), 3);
/// assert!(ladder.steps()[2].actions().contains(Action::Dismissal));
/// assert!(!ladder.allows_decrease());
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ladder {
    steps: Vec<Step>,
    past_end: PastEnd,
    past_end_clause: ClauseRef,
    step_amounts: StepAmounts,
    allow_decrease: bool,
}

impl Ladder {
    /// The steps, first occurrence first.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// What happens past the last step.
    pub fn past_end(&self) -> &PastEnd {
        &self.past_end
    }

    /// The clause of the `past_end` choice.
    pub fn past_end_clause(&self) -> ClauseRef {
        self.past_end_clause
    }

    /// How the steps' amounts add up.
    pub fn step_amounts(&self) -> StepAmounts {
        self.step_amounts
    }

    /// Whether the policy explicitly allows a step lower than the one before.
    ///
    /// Without it, amounts are compared among the steps that state one, and
    /// actions by [`Action::severity`] among the steps that take any: the shop's
    /// 10, 30, then dismissal (no amount) rises.
    pub fn allows_decrease(&self) -> bool {
        self.allow_decrease
    }
}

/// How a kind of incident is charged.
///
/// ```
/// use cs_policy::Policy;
/// use cs_policy::discipline::Rule;
///
/// let policy = Policy::example("shop")?;
/// let rules = policy.discipline().unwrap();
/// let f2 = rules.kind(rules.resolve_kind("off_task_part1").unwrap()).unwrap();
/// assert!(matches!(f2.rule(), Rule::Flat(_))); // 10 yuan each time
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rule {
    /// The same step every time (`each = { ... }`).
    Flat(Step),
    /// An escalation ladder (`steps = [...]`).
    Ladder(Ladder),
}

/// A reference to one kind of incident of a policy, resolved once from its
/// id with [`DisciplineRules::resolve_kind`].
///
/// ```
/// use cs_policy::Policy;
///
/// let policy = Policy::example("shop")?;
/// let rules = policy.discipline().unwrap();
/// let complaint = rules.resolve_kind("complaint").unwrap();
/// assert_eq!(rules.kind(complaint).unwrap().id(), "complaint");
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
///
/// It is written as the kind's id and read back by it:
///
/// ```
/// let policy = cs_policy::Policy::example("shop")?;
/// let complaint = policy.kind_ref("complaint").unwrap();
/// assert_eq!(serde_json::to_string(&complaint)?, r#""complaint""#);
/// let back: cs_policy::discipline::KindRef = serde_json::from_str(r#""complaint""#)?;
/// assert_eq!(back, complaint);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub type KindRef = crate::explain::Ref<Kind>;

/// One kind of incident: a fine, a disciplinary measure or a reward.
///
/// ```
/// use cs_policy::Policy;
/// use cs_policy::discipline::Action;
///
/// let policy = Policy::example("shop")?;
/// let rules = policy.discipline().unwrap();
/// let unmarked = rules.kind(rules.resolve_kind("unmarked_order").unwrap()).unwrap();
/// // The pay module drops the commission of such an order.
/// assert!(unmarked.actions().contains(Action::CommissionLost));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kind {
    reference: KindRef,
    effect: Effect,
    clause: ClauseRef,
    window: Window,
    rule: Rule,
    fund: Option<FundRef>,
    alternative_to: Option<KindRef>,
    actions: ActionSet,
    counts_as: Option<CountsAs>,
    /// Charges worked out once at load, occurrence 1 first: every written
    /// step and, where the rule past them charges the same each time, the
    /// first two beyond (the second is what every later one pays).
    charges: Box<[Occurrence]>,
    /// Whether the last of `charges` holds for every later occurrence.
    last_repeats: bool,
}

impl Kind {
    /// The kind's id in the policy file (`complaint`).
    pub fn id(&self) -> &str {
        self.reference.id()
    }

    /// A reference to the kind, as results carry it.
    pub fn reference(&self) -> KindRef {
        self.reference
    }

    /// Fine or reward.
    pub fn effect(&self) -> Effect {
        self.effect
    }

    /// The kind's clause (`discipline.ladders.complaint`).
    pub fn clause(&self) -> ClauseRef {
        self.clause
    }

    /// The window occurrences are counted in (`ever` for a flat rule that
    /// names none).
    pub fn window(&self) -> Window {
        self.window
    }

    /// How the kind is charged.
    pub fn rule(&self) -> &Rule {
        &self.rule
    }

    /// The fund its amounts go to (fines) or are paid from (rewards).
    pub fn fund(&self) -> Option<FundRef> {
        self.fund
    }

    /// The kind this one is an alternative variant of, from another handbook
    /// of the same source (`alternative_to = "off_task"`).
    pub fn alternative_to(&self) -> Option<KindRef> {
        self.alternative_to
    }

    /// Every action any occurrence of this kind can take: how the pay module
    /// finds the kinds that cost commission or performance pay.
    pub fn actions(&self) -> ActionSet {
        self.actions
    }

    /// What each incident of this kind counts as for pay (`counts_as =
    /// "complaint"`): the monthly statement counts complaints and service
    /// irregularities by it, never by the kind's id.
    pub fn counts_as(&self) -> Option<CountsAs> {
        self.counts_as
    }
}

/// The `[discipline]` section of a policy.
///
/// ```
/// use cs_policy::Policy;
/// use cs_policy::discipline::Action;
///
/// let policy = Policy::example("education")?;
/// let rules = policy.discipline().unwrap();
/// // Which kinds of incident cost the month's performance pay.
/// let ids: Vec<&str> = rules
///     .kinds_with(Action::PerformancePayLost)
///     .filter_map(|k| rules.kind(k))
///     .map(|k| k.id())
///     .collect();
/// assert_eq!(ids, ["complaint"]);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone)]
pub struct DisciplineRules {
    clause: ClauseRef,
    fund: Option<FundRef>,
    kinds: Vec<Kind>,
    /// Every kind's reference, sorted by id.
    index: Vec<KindRef>,
    /// The policy text that made the references.
    tag: PolicyTag,
}

impl DisciplineRules {
    /// The clause of the `[discipline]` table itself.
    pub fn clause(&self) -> ClauseRef {
        self.clause
    }

    /// The section's default fund (`[discipline] fund`).
    pub fn fund(&self) -> Option<FundRef> {
        self.fund
    }

    /// Every kind of incident, ladders first, each in file order.
    pub fn kinds(&self) -> &[Kind] {
        &self.kinds
    }

    /// One kind of incident: at once for a reference this policy made, by
    /// id for one read back, never for another policy's.
    pub fn kind(&self, kind: KindRef) -> Option<&Kind> {
        kind.find_in(&self.kinds, self.tag, Kind::reference)
    }

    /// The kind with this id, found by binary search over a sorted index.
    pub fn resolve_kind(&self, id: &str) -> Option<KindRef> {
        self.index
            .binary_search_by(|k| k.id().cmp(id))
            .ok()
            .and_then(|i| self.index.get(i))
            .copied()
    }

    /// The kinds any of whose occurrences can take `action`.
    pub fn kinds_with(&self, action: Action) -> impl Iterator<Item = KindRef> + '_ {
        self.kinds
            .iter()
            .filter(move |k| k.actions.contains(action))
            .map(Kind::reference)
    }

    fn suggest(&self, id: &str) -> Option<String> {
        let ids: Vec<&str> = self.index.iter().map(|k| k.id()).collect();
        closest(id, &ids).map(str::to_owned)
    }

    /// Reads the `[discipline]` section: the default fund, every kind of
    /// incident, then the variants linked to the rule they replace.
    pub(crate) fn read(table: &mut Table<'_, '_>, ld: &mut Loader, policy: &Policy) -> Self {
        let clause = ld.clause(table);
        let written = table.contains("fund");
        let fund = table
            .opt::<Located<String>>(ld, "fund")
            .and_then(|id| policy.funds.resolve(ld, &id));
        let section = KindSection {
            policy,
            effect: Effect::Fine,
            default_fund: DefaultFund { fund, written },
            clause,
        };
        let read = read_kinds(table, ld, section);
        let mut index: Vec<KindRef> = read.kinds.iter().map(Kind::reference).collect();
        index.sort_unstable();
        let mut rules = Self {
            clause,
            fund,
            kinds: read.kinds,
            index,
            tag: ld.clauses.tag(),
        };
        rules.link_alternatives(ld, read.alternatives, &read.seen);
        rules
    }

    /// Links each variant to the main rule it replaces (F5: a variant from
    /// another handbook of the same source, `alternative_to = "off_task"`),
    /// reporting one that names itself or a kind the section does not define.
    fn link_alternatives(
        &mut self,
        ld: &mut Loader,
        alternatives: Vec<(usize, Located<String>)>,
        seen: &HashMap<String, usize>,
    ) {
        for (i, alt) in alternatives {
            let target = self.resolve_kind(&alt.value);
            let own = self.kinds.get(i).map_or("", |k| k.reference.id());
            match target {
                Some(t) if own != alt.value => {
                    if let Some(kind) = self.kinds.get_mut(i) {
                        kind.alternative_to = Some(t);
                    }
                }
                Some(_) => {
                    ld.error(
                        ProblemCode::InvalidValue,
                        alt.span.clone(),
                        &alt.path,
                        format!("kind `{own}` names itself as its alternative"),
                    )
                    .help("name the main rule this variant replaces");
                }
                // Written but invalid: its own problems are reported already.
                None if seen.contains_key(&alt.value) => {}
                None => {
                    let ids = || self.index.iter().map(|k| k.id()).collect();
                    let hint = ld.suggestions.hint(&alt.value, self.index.len(), ids);
                    let reported = ld.error(
                        ProblemCode::UndefinedReference,
                        alt.span.clone(),
                        &alt.path,
                        format!(
                            "`{}` names kind `{}`, which `[discipline]` does not define",
                            alt.path, alt.value
                        ),
                    );
                    match hint {
                        Hint::Closest(best) => reported.help(format!("did you mean `{best}`?")),
                        Hint::Known(_) | Hint::Spent => reported.help(
                            "name a kind under `[discipline.ladders]` or `[discipline.rewards]`",
                        ),
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------

/// The section's default fund, and whether the file wrote one (an undefined
/// one is reported once, not again for every ladder).
#[derive(Clone, Copy)]
struct DefaultFund {
    fund: Option<FundRef>,
    written: bool,
}

/// What every kind of one table (`ladders` or `rewards`) is read with.
#[derive(Clone, Copy)]
struct KindSection<'p> {
    policy: &'p Policy,
    effect: Effect,
    default_fund: DefaultFund,
    /// The `[discipline]` clause, each kind's parent.
    clause: ClauseRef,
}

/// The kinds as read, with the variants still to link to their main rule.
struct ReadKinds {
    kinds: Vec<Kind>,
    /// Where each variant is in `kinds`, and the id its `alternative_to` names.
    alternatives: Vec<(usize, Located<String>)>,
    /// Every kind id written, valid or not, with where it was first written.
    seen: HashMap<String, usize>,
}

/// Reads every kind: the ladders (fines) then the rewards, which share one
/// set of ids; an id defined twice is reported and its second table not read.
fn read_kinds(table: &mut Table<'_, '_>, ld: &mut Loader, section: KindSection<'_>) -> ReadKinds {
    let mut read = ReadKinds {
        kinds: Vec::new(),
        alternatives: Vec::new(),
        seen: HashMap::new(),
    };
    for (key, effect) in [("ladders", Effect::Fine), ("rewards", Effect::Reward)] {
        for (id, mut t) in table.ids(ld, key) {
            if let Some(&first) = read.seen.get(&id.value) {
                let line = ld.line_of(first);
                ld.error(
                    ProblemCode::Duplicate,
                    id.span.clone(),
                    &id.path,
                    format!(
                        "kind `{}` is defined twice (first at line {line})",
                        id.value
                    ),
                )
                .help("ladders and rewards share one set of ids: rename one of them");
                // Its keys are not read, so they are not reported either.
                continue;
            }
            read.seen.insert(id.value.clone(), id.span.start);
            let alt: Option<Located<String>> = t.opt(ld, "alternative_to");
            let section = KindSection { effect, ..section };
            let kind = read_kind(&id, &mut t, ld, section, read.kinds.len());
            t.finish(ld);
            if let Some(kind) = kind {
                if let Some(alt) = alt {
                    read.alternatives.push((read.kinds.len(), alt));
                }
                read.kinds.push(kind);
            }
        }
    }
    read
}

/// A step as read, with where it was written (for order checks).
struct ReadStep {
    step: Step,
    span: std::ops::Range<usize>,
    path: String,
}

/// Reads one kind, to be kept at `place`: its clause, fund, counting
/// window and rule, and the fund its amounts go to.
fn read_kind(
    id: &Located<String>,
    t: &mut Table<'_, '_>,
    ld: &mut Loader,
    section: KindSection<'_>,
    place: usize,
) -> Option<Kind> {
    let clause = ld.clause_under(t, Some(section.clause));
    let own_fund = t
        .opt::<Located<String>>(ld, "fund")
        .and_then(|f| section.policy.funds.resolve(ld, &f));
    let allow_decrease = t.opt_or(ld, "allow_decrease", false);
    let counts_as: Option<CountsAs> = t.opt(ld, "counts_as");
    let window_node = t.node("window");
    let window = window_node.as_ref().and_then(|n| read_window(n, ld));
    let how = RuleKeys {
        effect: section.effect,
        clause,
        has_window: window_node.is_some(),
        allow_decrease,
    };
    let rule = read_rule(id, t, ld, how)?;
    let fund = kind_fund(id, t, ld, &rule, own_fund, section);
    let mut kind = Kind {
        reference: KindRef::new(&id.value, place, ld.clauses.tag()),
        effect: section.effect,
        clause,
        window: window.unwrap_or(Window::Ever),
        actions: rule.actions(),
        rule,
        fund,
        alternative_to: None,
        counts_as,
        charges: Box::default(),
        last_repeats: false,
    };
    kind.settle(section.policy.rounding);
    Some(kind)
}

/// What a kind's rule is read with, besides its keys.
#[derive(Clone, Copy)]
struct RuleKeys {
    effect: Effect,
    /// The kind's clause, each step's parent.
    clause: ClauseRef,
    /// Whether the kind states a `window`.
    has_window: bool,
    allow_decrease: bool,
}

impl RuleKeys {
    fn what(self) -> &'static str {
        match self.effect {
            Effect::Fine => "ladder",
            Effect::Reward => "reward",
        }
    }
}

/// Reads how a kind is charged: the same step every time (`each`) or an
/// escalation ladder (`steps`), never both.
fn read_rule(
    id: &Located<String>,
    t: &mut Table<'_, '_>,
    ld: &mut Loader,
    how: RuleKeys,
) -> Option<Rule> {
    let each = t.node("each");
    let steps = t.node("steps");
    let past_end = t.node("past_end");
    let step_amounts: Option<Located<StepAmounts>> = t.opt(ld, "step_amounts");
    let what = how.what();
    match (each, steps) {
        (Some(_), Some(s)) => {
            ld.error(
                ProblemCode::Conflict,
                s.span(),
                &s.path(),
                format!("{what} `{}` gives both `each` and `steps`", id.value),
            )
            .help("write `each = { ... }` for the same charge every time, or `steps = [...]` for an escalation ladder");
            None
        }
        (None, None) => {
            ld.error(
                ProblemCode::MissingKey,
                id.span.clone(),
                &t.field("steps"),
                format!("{what} `{}` states neither `steps` nor `each`", id.value),
            )
            .help("write `steps = [{ amount = 50 }, ...]` for an escalation ladder, or `each = { amount = 10 }` for a flat charge");
            None
        }
        (Some(each), None) => {
            read_flat(id, &each, past_end.as_ref(), step_amounts.as_ref(), ld, how)
        }
        (None, Some(steps)) => {
            let keys = LadderKeys {
                id,
                steps: &steps,
                past_end: past_end.as_ref(),
                step_amounts: step_amounts.as_ref(),
                how,
            };
            read_ladder(keys, ld).map(Rule::Ladder)
        }
    }
}

/// Reads a flat rule (`each`), which has no last step to go past and no
/// steps to add up.
fn read_flat(
    id: &Located<String>,
    each: &Node<'_, '_>,
    past_end: Option<&Node<'_, '_>>,
    step_amounts: Option<&Located<StepAmounts>>,
    ld: &mut Loader,
    how: RuleKeys,
) -> Option<Rule> {
    let what = how.what();
    if let Some(node) = past_end {
        ld.error(
            ProblemCode::Conflict,
            node.span(),
            &node.path(),
            format!("flat {what} `{}` has no last step to go past", id.value),
        )
        .help("remove `past_end`, or write `steps = [...]` instead of `each`");
    }
    if let Some(s) = step_amounts {
        ld.error(
            ProblemCode::Conflict,
            s.span.clone(),
            &s.path,
            format!("flat {what} `{}` has a single step", id.value),
        )
        .help("remove `step_amounts`");
    }
    read_step(each, ld, how.clause, how.effect).map(|s| Rule::Flat(s.step))
}

impl Rule {
    /// Every step of the rule, the one past a ladder's end included.
    fn every_step(&self) -> impl Iterator<Item = &Step> {
        let (steps, past): (&[Step], Option<&Step>) = match self {
            Rule::Flat(s) => (std::slice::from_ref(s), None),
            Rule::Ladder(l) => match &l.past_end {
                PastEnd::Stated(s) => (l.steps.as_slice(), Some(s)),
                _ => (l.steps.as_slice(), None),
            },
        };
        steps.iter().chain(past)
    }

    /// Every action any step of the rule takes.
    fn actions(&self) -> ActionSet {
        self.every_step()
            .fold(ActionSet::EMPTY, |set, s| set.union(s.actions))
    }

    /// Whether any step of the rule moves money.
    fn has_amount(&self) -> bool {
        self.every_step().any(|s| s.amount != StepAmount::None)
    }
}

/// The fund a kind's amounts go to: its own, else the section's for a kind
/// that moves money (an action-only kind names a fund only if it says so
/// itself); a fine that moves money must name one.
fn kind_fund(
    id: &Located<String>,
    t: &mut Table<'_, '_>,
    ld: &mut Loader,
    rule: &Rule,
    own_fund: Option<FundRef>,
    section: KindSection<'_>,
) -> Option<FundRef> {
    let has_amount = rule.has_amount();
    let fund = if has_amount {
        own_fund.or(section.default_fund.fund)
    } else {
        own_fund
    };
    if section.effect == Effect::Fine
        && has_amount
        && fund.is_none()
        && !t.contains("fund")
        && !section.default_fund.written
    {
        ld.error(
            ProblemCode::MissingKey,
            id.span.clone(),
            &t.field("fund"),
            format!("ladder `{}` charges money but names no fund for it", id.value),
        )
        .help("write `fund = \"<id>\"` here or in `[discipline]`, naming a fund under `[funds]` (fines go to the department's fund)");
    }
    fund
}

fn read_window(node: &Node<'_, '_>, ld: &mut Loader) -> Option<Window> {
    if node.get_ref().is_str() {
        return node.read::<WindowWord>(ld).map(|w| match w {
            WindowWord::CalendarMonth => Window::CalendarMonth,
            WindowWord::Quarter => Window::Quarter,
            WindowWord::CalendarYear => Window::CalendarYear,
            WindowWord::Ever => Window::Ever,
        });
    }
    if !node.get_ref().is_table() {
        node.wrong_type(
            ld,
            "a counting window (`\"calendar_month\"`, `\"quarter\"`, `\"calendar_year\"`, `\"ever\"` or `{ rolling_days = 30 }`)",
        );
        return None;
    }
    let mut t = node.table(ld)?;
    let days = t.req_in(ld, "rolling_days", 1..=LONGEST_ROLLING_WINDOW);
    t.finish(ld);
    days.map(Window::RollingDays)
}

fn read_step(
    node: &Node<'_, '_>,
    ld: &mut Loader,
    parent: ClauseRef,
    effect: Effect,
) -> Option<ReadStep> {
    let mut t = node.table(ld)?;
    let clause = ld.clause_under(&mut t, Some(parent));
    let step = read_step_fields(&mut t, ld, clause, effect, &node.span());
    t.finish(ld);
    step.map(|step| ReadStep {
        step,
        span: node.span(),
        path: node.path(),
    })
}

/// Reads a step's keys: an amount, fixed or chosen case by case within a
/// range, and actions; a step states at least one of them.
fn read_step_fields(
    t: &mut Table<'_, '_>,
    ld: &mut Loader,
    clause: ClauseRef,
    effect: Effect,
    span: &std::ops::Range<usize>,
) -> Option<Step> {
    let written = read_amount_keys(t, ld);
    let (actions, ok) = read_actions(t, ld, effect);
    let amount = step_amount(t, ld, written, span)?;
    if amount == StepAmount::None && actions.is_empty() {
        if ok {
            ld.error(
                ProblemCode::MissingKey,
                span.clone(),
                t.path(),
                format!("`{}` states no amount and no action", t.path()),
            )
            .help("write `amount = 50`, `min`/`max`, or `actions = [\"warning\"]`");
        }
        return None;
    }
    ok.then_some(Step {
        amount,
        actions,
        clause,
    })
}

/// A step's `amount`, `min` and `max` as written (`None`: not written;
/// `Some(None)`: written but not an amount), and where `max` is.
struct AmountKeys<'a, 'i> {
    amount: Option<Option<Decimal>>,
    min: Option<Option<Decimal>>,
    max: Option<Option<Decimal>>,
    max_node: Option<Node<'a, 'i>>,
}

fn read_amount_keys<'a, 'i>(t: &mut Table<'a, 'i>, ld: &mut Loader) -> AmountKeys<'a, 'i> {
    // A month may hold one incident of a kind each day, whatever its step.
    let daily = |n: &Node<'_, '_>, ld: &mut Loader| {
        n.amount(ld)
            .map(|a| crate::money::check_worst_month(ld, n, a, Charged::Daily))
    };
    let amount_node = t.node("amount");
    let amount = amount_node.as_ref().map(|n| daily(n, ld));
    let min_node = t.node("min");
    let max_node = t.node("max");
    let min = min_node
        .as_ref()
        .map(|n| n.amount(ld).map(crate::money::unsigned_zero));
    let max = max_node.as_ref().map(|n| daily(n, ld));
    AmountKeys {
        amount,
        min,
        max,
        max_node,
    }
}

/// Reads a step's `actions`: each a known action, listed once, a reward
/// taking no punishment and a fine no commendation. `false` when one is bad.
fn read_actions(t: &mut Table<'_, '_>, ld: &mut Loader, effect: Effect) -> (ActionSet, bool) {
    let mut ok = true;
    let mut actions = ActionSet::EMPTY;
    let Some(node) = t.node("actions") else {
        return (actions, ok);
    };
    for item in node.array(ld).unwrap_or_default() {
        let Some(action) = item.read::<Action>(ld) else {
            ok = false;
            continue;
        };
        if actions.contains(action) {
            ld.error(
                ProblemCode::Duplicate,
                item.span(),
                &item.path(),
                format!("action `{action}` is listed twice"),
            );
        }
        if effect == Effect::Reward && action.is_punishment() {
            ld.error(
                ProblemCode::Conflict,
                item.span(),
                &item.path(),
                format!("a reward cannot take the punishment `{action}`"),
            )
            .help("a reward may take `commendation` or `recorded_on_file`; put punishments under `[discipline.ladders]`");
            ok = false;
        }
        if effect == Effect::Fine && action == Action::Commendation {
            ld.error(
                ProblemCode::Conflict,
                item.span(),
                &item.path(),
                "a fine cannot take `commendation`",
            )
            .help("put praise under `[discipline.rewards]`");
            ok = false;
        }
        actions = actions.with(action);
    }
    (actions, ok)
}

/// What a step's amount keys make: nothing, a fixed amount, or a range
/// whose `min` is at most its `max`; `amount` and a range never together.
fn step_amount(
    t: &mut Table<'_, '_>,
    ld: &mut Loader,
    written: AmountKeys<'_, '_>,
    span: &std::ops::Range<usize>,
) -> Option<StepAmount> {
    Some(match (written.amount, written.min, written.max) {
        (None, None, None) => StepAmount::None,
        (Some(a), None, None) => StepAmount::Fixed(a?),
        (None, Some(lo), Some(hi)) => {
            let (lo, hi) = (lo?, hi?);
            if hi < lo {
                if let Some(n) = &written.max_node {
                    ld.error(
                        ProblemCode::OutOfOrder,
                        n.span(),
                        &n.path(),
                        format!("the range ends at `{hi}` below its start `{lo}`"),
                    )
                    .help("write `min` no greater than `max`");
                }
                return None;
            }
            StepAmount::Range { min: lo, max: hi }
        }
        (Some(_), _, _) => {
            ld.error(
                ProblemCode::Conflict,
                span.clone(),
                t.path(),
                format!("`{}` gives both `amount` and a `min`/`max` range", t.path()),
            )
            .help(
                "write `amount` for a fixed charge, or `min` and `max` for one chosen case by case",
            );
            return None;
        }
        (None, lo, _) => {
            let missing = if lo.is_none() { "min" } else { "max" };
            t.missing(ld, missing)
                .help("a range chosen case by case needs both `min` and `max`");
            return None;
        }
    })
}

/// A ladder's keys, as the kind's table holds them.
#[derive(Clone, Copy)]
struct LadderKeys<'k, 'a, 'i> {
    id: &'k Located<String>,
    steps: &'k Node<'a, 'i>,
    past_end: Option<&'k Node<'a, 'i>>,
    step_amounts: Option<&'k Located<StepAmounts>>,
    how: RuleKeys,
}

impl LadderKeys<'_, '_, '_> {
    fn field(&self, key: &str) -> String {
        format!("{}.{key}", self.id.path)
    }
}

/// Reads an escalation ladder: its steps, the choices the sources leave
/// open (the window, what past the last step costs, how step amounts add
/// up), then checks that the steps rise and that the choices fit them.
fn read_ladder(keys: LadderKeys<'_, '_, '_>, ld: &mut Loader) -> Option<Ladder> {
    let (steps, mut ok) = read_steps(keys, ld)?;
    ok &= window_stated(keys, ld);
    let past = match keys.past_end {
        None => {
            ld.error(
                ProblemCode::UnstatedChoice,
                keys.id.span.clone(),
                &keys.field("past_end"),
                format!("ladder `{}` does not say what an occurrence past its last step costs", keys.id.value),
            )
            .help("state it: `past_end = \"repeat_last\"`, `{ add = 100 }`, `{ multiply = 2 }`, or a step such as `{ actions = [\"dismissal_review\"] }`");
            None
        }
        Some(node) => read_past_end(node, ld, keys.how.clause, keys.how.effect),
    };
    let (step_amounts, stated) = step_amounts_stated(keys, &steps, past.as_ref(), ld);
    ok &= stated;
    // Steps must not step down, unless the policy says it means it.
    if !keys.how.allow_decrease {
        check_order(&steps, ld);
    }
    let past = past?;
    if !keys.how.allow_decrease {
        ok &= past_end_rises(&steps, &past, ld);
    }
    ok &= past_end_computes(keys, &steps, &past, ld);
    if step_amounts.value == StepAmounts::TotalSoFar {
        ok &= totals_rise(keys, &steps, &past, &step_amounts, ld);
    }
    ok.then(|| Ladder {
        steps: steps.into_iter().map(|s| s.step).collect(),
        past_end: past.rule,
        past_end_clause: past.clause,
        step_amounts: step_amounts.value,
        allow_decrease: keys.how.allow_decrease,
    })
}

/// Reads a ladder's steps, at least one; `false` when one is bad, `None`
/// when `steps` is not a list.
fn read_steps(keys: LadderKeys<'_, '_, '_>, ld: &mut Loader) -> Option<(Vec<ReadStep>, bool)> {
    let items = keys.steps.array(ld)?;
    if items.is_empty() {
        ld.error(
            ProblemCode::MissingKey,
            keys.steps.span(),
            &keys.steps.path(),
            format!("ladder `{}` has no steps", keys.id.value),
        )
        .help("write at least one step, such as `steps = [{ amount = 50 }]`");
    }
    let mut ok = !items.is_empty();
    let mut steps: Vec<ReadStep> = Vec::with_capacity(items.len());
    for item in &items {
        match read_step(item, ld, keys.how.clause, keys.how.effect) {
            Some(s) => steps.push(s),
            None => ok = false,
        }
    }
    Some((steps, ok))
}

/// Whether the ladder says over what period its occurrences are counted.
fn window_stated(keys: LadderKeys<'_, '_, '_>, ld: &mut Loader) -> bool {
    if !keys.how.has_window {
        ld.error(
            ProblemCode::UnstatedChoice,
            keys.id.span.clone(),
            &keys.field("window"),
            format!("ladder `{}` does not say over what period its occurrences are counted", keys.id.value),
        )
        .help("state it: `window = \"calendar_month\"`, `\"quarter\"`, `\"calendar_year\"`, `\"ever\"` or `{ rolling_days = 30 }`");
    }
    keys.how.has_window
}

/// How the ladder's step amounts add up, and `false` when it moves money
/// without saying: any amount on a ladder reads two ways (even one step
/// repeated past the end: 50 each time, or 50 in all).
fn step_amounts_stated(
    keys: LadderKeys<'_, '_, '_>,
    steps: &[ReadStep],
    past: Option<&ReadPastEnd>,
    ld: &mut Loader,
) -> (Located<StepAmounts>, bool) {
    if let Some(stated) = keys.step_amounts {
        return (stated.clone(), true);
    }
    let unstated = Located {
        value: StepAmounts::AllPaid,
        span: keys.id.span.clone(),
        path: keys.field("step_amounts"),
    };
    let has_amount = steps
        .iter()
        .map(|s| s.step.amount)
        .chain(past.and_then(|p| match p.rule {
            PastEnd::Stated(s) => Some(s.amount),
            _ => None,
        }))
        .any(|a| a != StepAmount::None);
    if !has_amount {
        return (unstated, true);
    }
    ld.error(
        ProblemCode::UnstatedChoice,
        keys.id.span.clone(),
        &keys.field("step_amounts"),
        format!("ladder `{}` does not say whether every step's amount is paid or each step is the total so far", keys.id.value),
    )
    .help("state it: `step_amounts = \"all_paid\"` (50, 100, 200 cost 350) or `\"total_so_far\"` (they cost 200)");
    (unstated, false)
}

/// Whether what comes past the last step does not step down: a stated step
/// no lower than the last, a factor of at least 1.
fn past_end_rises(steps: &[ReadStep], past: &ReadPastEnd, ld: &mut Loader) -> bool {
    if let (PastEnd::Stated(s), Some(last)) = (&past.rule, steps.last()) {
        let stated = ReadStep {
            step: *s,
            span: past.span.clone(),
            path: past.path.clone(),
        };
        check_order([last, &stated], ld);
    }
    if let PastEnd::Multiply(f) = past.rule {
        if f < Decimal::ONE {
            ld.error(
                ProblemCode::OutOfOrder,
                past.span.clone(),
                &past.path,
                format!("multiplying by `{f}` lowers each occurrence past the last step"),
            )
            .help("write a factor of at least 1, or `allow_decrease = true` if the ladder really steps down");
            return false;
        }
    }
    true
}

/// Whether a computed `past_end` (`add`, `multiply`) has a fixed last
/// amount to compute from.
fn past_end_computes(
    keys: LadderKeys<'_, '_, '_>,
    steps: &[ReadStep],
    past: &ReadPastEnd,
    ld: &mut Loader,
) -> bool {
    let last = steps.last().map(|s| s.step.amount);
    let computed = matches!(past.rule, PastEnd::Add(_) | PastEnd::Multiply(_));
    if !computed || matches!(last, Some(StepAmount::Fixed(_)) | None) {
        return true;
    }
    ld.error(
        ProblemCode::Conflict,
        past.span.clone(),
        &past.path,
        format!(
            "`{}` computes from the last step's amount, but the last step of `{}` states no fixed amount",
            past.path, keys.id.value
        ),
    )
    .help("give the last step a fixed `amount`, or state the step past the end: `past_end = { amount = ... }`");
    false
}

/// Whether a `total_so_far` ladder's steps are fixed and rising, so that
/// no occurrence pays money back.
fn totals_rise(
    keys: LadderKeys<'_, '_, '_>,
    steps: &[ReadStep],
    past: &ReadPastEnd,
    step_amounts: &Located<StepAmounts>,
    ld: &mut Loader,
) -> bool {
    let stated = match &past.rule {
        PastEnd::Stated(s) => Some(s.amount),
        _ => None,
    };
    let amounts = || steps.iter().map(|s| s.step.amount).chain(stated);
    let all_fixed = amounts().all(|a| matches!(a, StepAmount::Fixed(_)));
    let lows: Vec<Decimal> = amounts().filter_map(|a| a.bounds().map(|b| b.0)).collect();
    let rising = lows.windows(2).all(|w| w[0] <= w[1])
        && !matches!(past.rule, PastEnd::Multiply(f) if f < Decimal::ONE);
    if all_fixed && rising {
        return true;
    }
    let why = if all_fixed {
        "its steps step down, which would pay money back"
    } else {
        "a step states no fixed amount"
    };
    ld.error(
        ProblemCode::Conflict,
        step_amounts.span.clone(),
        &step_amounts.path,
        format!("ladder `{}` counts each step as the total so far, but {why}", keys.id.value),
    )
    .help("with `total_so_far` every step states a fixed `amount`, each at least the one before; otherwise write `step_amounts = \"all_paid\"`");
    false
}

/// Reports every step whose amount or most severe action is lower than an
/// earlier step's.
fn check_order<'s>(steps: impl IntoIterator<Item = &'s ReadStep>, ld: &mut Loader) {
    let mut high: Option<(Decimal, Decimal)> = None;
    let mut severity: Option<u8> = None;
    for s in steps {
        if let Some((lo, hi)) = s.step.amount.bounds() {
            if let Some((plo, phi)) = high {
                if lo < plo || hi < phi {
                    ld.error(
                        ProblemCode::OutOfOrder,
                        s.span.clone(),
                        &s.path,
                        format!("`{}` charges less than the step before it", s.path),
                    )
                    .help("steps rise or stay level; if the policy really lowers this step, write `allow_decrease = true` on the ladder");
                }
            }
            high = Some(high.map_or((lo, hi), |(a, b)| (a.max(lo), b.max(hi))));
        }
        if let Some(action) = s.step.actions.most_severe() {
            let sev = action.severity();
            if severity.is_some_and(|p| sev < p) {
                ld.error(
                    ProblemCode::OutOfOrder,
                    s.span.clone(),
                    &s.path,
                    format!(
                        "`{}` takes a milder action (`{action}`) than a step before it",
                        s.path
                    ),
                )
                .help("steps rise or stay level; if the policy really lowers this step, write `allow_decrease = true` on the ladder");
            }
            severity = Some(severity.map_or(sev, |p| p.max(sev)));
        }
    }
}

choices! {
    #[derive(Clone, Copy)]
    enum PastEndWord as "a rule past the last step" {
        RepeatLast => "repeat_last",
    }
}

/// A `past_end` choice as read, with its clause and where it was written.
struct ReadPastEnd {
    rule: PastEnd,
    clause: ClauseRef,
    span: std::ops::Range<usize>,
    path: String,
}

fn read_past_end(
    node: &Node<'_, '_>,
    ld: &mut Loader,
    parent: ClauseRef,
    effect: Effect,
) -> Option<ReadPastEnd> {
    let span = node.span();
    let path = node.path();
    if node.get_ref().is_str() {
        let PastEndWord::RepeatLast = node.read::<PastEndWord>(ld)?;
        let clause = ld.clause_at(path.clone(), None, &span, Some(parent));
        return Some(ReadPastEnd {
            rule: PastEnd::RepeatLast,
            clause,
            span,
            path,
        });
    }
    if !node.get_ref().is_table() {
        node.wrong_type(
            ld,
            "`\"repeat_last\"`, `{ add = ... }`, `{ multiply = ... }` or a step",
        );
        return None;
    }
    let mut t = node.table(ld)?;
    let clause = ld.clause_under(&mut t, Some(parent));
    let past = if t.contains("add") {
        crate::money::req_charged(&mut t, ld, "add", Charged::Daily).map(PastEnd::Add)
    } else if t.contains("multiply") {
        match t.req::<Located<Decimal>>(ld, "multiply") {
            Some(f) if f.value <= Decimal::ZERO => {
                ld.error(
                    ProblemCode::OutOfRange,
                    f.span,
                    &f.path,
                    format!("`{}` is `{}`, not a positive factor", f.path, f.value),
                );
                None
            }
            Some(f) => Some(PastEnd::Multiply(f.value)),
            None => None,
        }
    } else {
        read_step_fields(&mut t, ld, clause, effect, &span).map(PastEnd::Stated)
    };
    t.finish(ld);
    past.map(|rule| ReadPastEnd {
        rule,
        clause,
        span,
        path,
    })
}

// ---------------------------------------------------------------------------
// Facts and results
// ---------------------------------------------------------------------------

/// One incident: an agent's complaint, violation, praise or found error.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::discipline::Incident;
///
/// let complaint = Incident::new("agent 7", "complaint", NaiveDate::from_ymd_opt(2026, 3, 31).unwrap());
/// assert_eq!(complaint.value, None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Incident {
    /// Who the incident concerns.
    pub agent: String,
    /// The kind's id in the policy (`complaint`, `off_task`, `praise`).
    pub kind: String,
    /// The day it happened (counted in its window by this date).
    pub date: NaiveDate,
    /// The amount chosen case by case, for a step with a `min`/`max` range.
    #[serde(default)]
    pub value: Option<Decimal>,
    /// Free details carried through to the result (the order number of an
    /// order sold without the agent's mark).
    #[serde(default)]
    pub details: Option<String>,
}

impl Incident {
    /// An incident without a chosen value or details.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::discipline::Incident;
    ///
    /// let i = Incident::new("a1", "praise", NaiveDate::from_ymd_opt(2026, 5, 6).unwrap());
    /// assert_eq!(i.kind, "praise");
    /// ```
    pub fn new(agent: impl Into<String>, kind: impl Into<String>, date: NaiveDate) -> Self {
        Self {
            agent: agent.into(),
            kind: kind.into(),
            date,
            value: None,
            details: None,
        }
    }

    /// The same incident carrying an amount chosen case by case.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::discipline::Incident;
    /// use rust_decimal::Decimal;
    ///
    /// let i = Incident::new("a1", "complaint_part3", NaiveDate::from_ymd_opt(2026, 5, 6).unwrap())
    ///     .with_value(Decimal::from(80));
    /// assert_eq!(i.value, Some(Decimal::from(80)));
    /// ```
    #[must_use]
    pub fn with_value(mut self, value: Decimal) -> Self {
        self.value = Some(value);
        self
    }
}

/// A bad fact: the incident it names and what to do.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::Policy;
/// use cs_policy::discipline::{DisciplineError, Incident};
///
/// let policy = Policy::example("shop")?;
/// let bad = [Incident::new("a1", "complaints", NaiveDate::from_ymd_opt(2026, 3, 2).unwrap())];
/// let err = policy.discipline_statement(&bad).unwrap_err();
/// assert!(matches!(err, DisciplineError::UnknownKind { index: 0, .. }));
/// assert!(err.to_string().contains("did you mean `complaint`"));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DisciplineError {
    /// The policy has no `[discipline]` section.
    #[error("the policy has no `[discipline]` section; add one to evaluate incidents")]
    NoSection,
    /// The month asked for does not exist.
    #[error("month {month} of {year} does not exist; give a month from 1 to 12")]
    InvalidMonth {
        /// The year given.
        year: i32,
        /// The month given.
        month: u32,
    },
    /// An incident names a kind the policy does not define.
    #[error("incident {index} ({agent}, {date}) names kind `{kind}`, which the policy does not define{}", suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
    UnknownKind {
        /// The incident's position in the input.
        index: usize,
        /// Its agent.
        agent: String,
        /// Its date.
        date: NaiveDate,
        /// The kind it names.
        kind: String,
        /// The closest kind the policy defines, if any is close.
        suggestion: Option<String>,
    },
    /// A step chosen case by case, but the incident carries no value.
    #[error(
        "incident {index} ({agent}, {date}, `{kind}`) needs the amount chosen for it, from {min} to {max}; set its `value`"
    )]
    MissingValue {
        /// The incident's position in the input.
        index: usize,
        /// Its agent.
        agent: String,
        /// Its date.
        date: NaiveDate,
        /// Its kind.
        kind: String,
        /// The lowest amount allowed.
        min: Decimal,
        /// The highest amount allowed.
        max: Decimal,
    },
    /// The chosen value lies outside the step's range.
    #[error(
        "incident {index} ({agent}, {date}, `{kind}`) has value {value}, outside the allowed {min} to {max}; choose a value in the range"
    )]
    ValueOutOfRange {
        /// The incident's position in the input.
        index: usize,
        /// Its agent.
        agent: String,
        /// Its date.
        date: NaiveDate,
        /// Its kind.
        kind: String,
        /// The value given.
        value: Decimal,
        /// The lowest amount allowed.
        min: Decimal,
        /// The highest amount allowed.
        max: Decimal,
    },
    /// A value was given for a step whose amount is fixed.
    #[error(
        "incident {index} ({agent}, {date}, `{kind}`) carries value {value}, but its step is not chosen case by case; remove the `value`"
    )]
    UnexpectedValue {
        /// The incident's position in the input.
        index: usize,
        /// Its agent.
        agent: String,
        /// Its date.
        date: NaiveDate,
        /// Its kind.
        kind: String,
        /// The value given.
        value: Decimal,
    },
    /// An amount grew past what can be represented (a ladder multiplying
    /// past its end, run very many times, or a month's fines added up).
    #[error(
        "incident {index} ({agent}, {date}, `{kind}`) is occurrence {occurrence}: {error}; check the ladder's amounts and the incidents"
    )]
    Overflow {
        /// The incident's position in the input.
        index: usize,
        /// Its agent.
        agent: String,
        /// Its date.
        date: NaiveDate,
        /// Its kind.
        kind: String,
        /// The occurrence within its window.
        occurrence: u32,
        /// What overflowed, with its values.
        #[source]
        error: Overflow,
    },
}

/// One fine, reward or measure: what one incident cost or earned, and why.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::Policy;
/// use cs_policy::discipline::Incident;
/// use rust_decimal::Decimal;
///
/// let policy = Policy::example("shop")?;
/// let d = |day| NaiveDate::from_ymd_opt(2026, 3, day).unwrap();
/// let incidents = [Incident::new("a1", "complaint", d(2)), Incident::new("a1", "complaint", d(9))];
/// let statement = policy.discipline_statement(&incidents).unwrap();
/// let second = &statement.lines()[1];
/// assert_eq!((second.occurrence, second.step, second.amount), (2, Some(2), Decimal::from(100)));
/// assert_eq!(second.signed(), Decimal::from(-100));
/// assert_eq!(second.clause.id(), "discipline.ladders.complaint.steps[1]");
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
///
/// It is written with the ids of its kind, fund and clause, and reads back
/// equal:
///
/// ```
/// # use chrono::NaiveDate;
/// # use cs_policy::discipline::{Incident, Line};
/// # let policy = cs_policy::Policy::example("shop")?;
/// # let incidents = [Incident::new("a1", "complaint", NaiveDate::from_ymd_opt(2026, 3, 2).unwrap())];
/// let statement = policy.discipline_statement(&incidents).unwrap();
/// let line = &statement.lines()[0];
/// let json = serde_json::to_string(line)?;
/// let value: serde_json::Value = serde_json::from_str(&json)?;
/// assert_eq!(value["kind"], "complaint");
/// assert_eq!(value["fund"], "activity");
/// // A line borrows its agent's id, so it is read back from the text.
/// assert_eq!(&serde_json::from_str::<Line>(&json)?, line);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line<'a> {
    /// The incident's position in the input (incidents have no id of their
    /// own, so a line names its incident by place).
    pub incident: usize,
    /// Its agent.
    pub agent: Cow<'a, str>,
    /// Its date.
    pub date: NaiveDate,
    /// Its kind.
    pub kind: KindRef,
    /// Fine or reward.
    pub effect: Effect,
    /// Which occurrence of its kind for the agent within the window (1 = first).
    pub occurrence: u32,
    /// The written step applied (1-based), or `None` when a `past_end` rule
    /// other than `repeat_last` decided.
    pub step: Option<u32>,
    /// How many occurrences past the ladder's last step (0 = on the ladder).
    pub beyond: u32,
    /// The amount, never negative (rounded as the policy says); whether it is
    /// paid or received follows from `effect`.
    pub amount: Decimal,
    /// The fund it goes to (fines) or is paid from (rewards).
    pub fund: Option<FundRef>,
    /// The actions taken.
    pub actions: ActionSet,
    /// The clause that decided it: the step, the flat rule, or past the last
    /// step the `past_end` choice (`discipline.ladders.complaint.steps[1]`).
    pub clause: ClauseRef,
    /// The incident's details, carried through (an order number).
    pub details: Option<Cow<'a, str>>,
}

impl Line<'_> {
    /// The amount from the agent's side: a reward is positive, a fine negative.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::Policy;
    /// use cs_policy::discipline::Incident;
    ///
    /// let policy = Policy::example("shop")?;
    /// let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    /// let incidents = [Incident::new("a1", "praise", day)];
    /// let s = policy.discipline_statement(&incidents).unwrap();
    /// assert!(s.lines()[0].signed().is_sign_positive());
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn signed(&self) -> Decimal {
        match self.effect {
            Effect::Fine => crate::money::unsigned_zero(-self.amount),
            Effect::Reward => self.amount,
        }
    }
}

/// One action taken, for the modules that act on it (pay drops commission
/// for `commission_lost`, withholds performance pay for `performance_pay_lost`).
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::Policy;
/// use cs_policy::discipline::{Action, Incident};
///
/// let policy = Policy::example("shop")?;
/// let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
/// let mut order = Incident::new("a1", "unmarked_order", day);
/// order.details = Some("order 20260302-118".into());
/// let incidents = [order];
/// let s = policy.discipline_statement(&incidents).unwrap();
/// let taken: Vec<_> = s.actions().collect();
/// assert_eq!(taken[0].action, Action::CommissionLost);
/// assert_eq!(taken[0].details.as_deref(), Some("order 20260302-118"));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionTaken<'a> {
    /// The incident's position in the input.
    pub incident: usize,
    /// Its agent.
    pub agent: Cow<'a, str>,
    /// Its date.
    pub date: NaiveDate,
    /// Its kind.
    pub kind: KindRef,
    /// The action.
    pub action: Action,
    /// The step applied, as on its [`Line`].
    pub step: Option<u32>,
    /// The clause that decided it.
    pub clause: ClauseRef,
    /// The incident's details.
    pub details: Option<Cow<'a, str>>,
}

/// What one fund collects from fines and pays out in rewards.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::Policy;
/// use cs_policy::discipline::Incident;
/// use rust_decimal::Decimal;
///
/// let policy = Policy::example("shop")?;
/// let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
/// let incidents = [Incident::new("a1", "complaint", day)];
/// let s = policy.discipline_statement(&incidents).unwrap();
/// let activity = &s.fund_totals()[0];
/// assert_eq!(activity.fund.map(|f| f.id()), Some("activity"));
/// assert_eq!(activity.fines, Decimal::from(50));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FundTotal {
    /// The fund (`None`: amounts that name no fund, such as rewards paid directly).
    pub fund: Option<FundRef>,
    /// Fines collected.
    pub fines: Decimal,
    /// Rewards paid out.
    pub rewards: Decimal,
}

impl FundTotal {
    /// Fines collected minus rewards paid.
    ///
    /// ```
    /// use cs_policy::discipline::FundTotal;
    /// use rust_decimal::Decimal;
    ///
    /// let t = FundTotal { fund: None, fines: Decimal::from(50), rewards: Decimal::from(20) };
    /// assert_eq!(t.net(), Decimal::from(30));
    /// ```
    pub fn net(&self) -> Decimal {
        self.fines - self.rewards
    }
}

/// Every fine, reward and action of a set of incidents, in date order (ties in
/// input order), with the totals per fund.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::Policy;
/// use cs_policy::discipline::Incident;
/// use rust_decimal::Decimal;
///
/// let policy = Policy::example("shop")?;
/// let d = |day| NaiveDate::from_ymd_opt(2026, 3, day).unwrap();
/// let incidents: Vec<_> = [2, 9, 20].map(|day| Incident::new("a1", "complaint", d(day))).into();
/// let s = policy.discipline_statement(&incidents).unwrap();
/// assert_eq!(s.fines_total(), Decimal::from(350)); // 50 + 100 + 200
/// assert_eq!(s.total(), Decimal::from(-350));
/// let json = serde_json::to_string(&s)?;
/// assert_eq!(serde_json::from_str::<cs_policy::discipline::Statement>(&json)?, s);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statement<'a> {
    lines: Vec<Line<'a>>,
    funds: Vec<FundTotal>,
}

impl<'a> Statement<'a> {
    /// Every line, in date order.
    pub fn lines(&self) -> &[Line<'a>] {
        &self.lines
    }

    /// Totals per fund, in the policy's fund order (amounts naming no fund
    /// last); lines without money appear in none.
    pub fn fund_totals(&self) -> &[FundTotal] {
        &self.funds
    }

    /// The sum of every line from the agents' side: rewards minus fines.
    pub fn total(&self) -> Decimal {
        self.lines.iter().map(Line::signed).sum()
    }

    /// Every fine.
    pub fn fines_total(&self) -> Decimal {
        self.sum(Effect::Fine, None)
    }

    /// Every reward.
    pub fn rewards_total(&self) -> Decimal {
        self.sum(Effect::Reward, None)
    }

    /// One agent's rewards minus fines.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::Policy;
    /// use cs_policy::discipline::Incident;
    /// use rust_decimal::Decimal;
    ///
    /// let policy = Policy::example("shop")?;
    /// let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    /// let incidents = [Incident::new("a1", "complaint", day), Incident::new("a2", "disclosure", day)];
    /// let s = policy.discipline_statement(&incidents).unwrap();
    /// assert_eq!(s.agent_total("a2"), Decimal::from(-10));
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn agent_total(&self, agent: &str) -> Decimal {
        self.lines
            .iter()
            .filter(|l| l.agent == agent)
            .map(Line::signed)
            .sum()
    }

    /// One agent's fines, or (with `Effect::Reward`) rewards: what the pay
    /// module deducts or adds.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::Policy;
    /// use cs_policy::discipline::{Effect, Incident};
    /// use rust_decimal::Decimal;
    ///
    /// let policy = Policy::example("shop")?;
    /// let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    /// let incidents = [Incident::new("a1", "complaint", day), Incident::new("a1", "praise", day)];
    /// let s = policy.discipline_statement(&incidents).unwrap();
    /// assert_eq!(s.agent_sum("a1", Effect::Fine), Decimal::from(50));
    /// assert_eq!(s.agent_sum("a1", Effect::Reward), Decimal::from(20));
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn agent_sum(&self, agent: &str, effect: Effect) -> Decimal {
        self.sum(effect, Some(agent))
    }

    /// Every action taken, in date order.
    pub fn actions(&self) -> impl Iterator<Item = ActionTaken<'_>> + '_ {
        self.lines.iter().flat_map(|l| {
            l.actions.iter().map(move |action| ActionTaken {
                incident: l.incident,
                agent: Cow::Borrowed(&*l.agent),
                date: l.date,
                kind: l.kind,
                action,
                step: l.step,
                clause: l.clause,
                details: l.details.as_deref().map(Cow::Borrowed),
            })
        })
    }

    /// How many times `action` was taken (for one agent, or everyone).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::Policy;
    /// use cs_policy::discipline::{Action, Incident};
    ///
    /// let policy = Policy::example("shop")?;
    /// let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    /// let incidents = [Incident::new("a1", "off_task_part2", day)];
    /// let s = policy.discipline_statement(&incidents).unwrap();
    /// assert_eq!(s.count(Action::Demerit, Some("a1")), 1);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn count(&self, action: Action, agent: Option<&str>) -> usize {
        self.lines
            .iter()
            .filter(|l| l.actions.contains(action) && agent.is_none_or(|a| a == l.agent))
            .count()
    }

    fn sum(&self, effect: Effect, agent: Option<&str>) -> Decimal {
        self.lines
            .iter()
            .filter(|l| l.effect == effect && agent.is_none_or(|a| a == l.agent))
            .map(|l| l.amount)
            .sum()
    }
}

// ---------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------

/// What the n-th occurrence of a kind within its window costs or earns:
/// the answer of [`Policy::occurrence`], and the charge of every line of a
/// month ([`Policy::discipline_month`]).
///
/// ```
/// use cs_policy::discipline::{Occurrence, StepAmount};
///
/// let policy = cs_policy::Policy::example("shop")?;
/// let third = policy.occurrence(policy.kind_ref("complaint").unwrap(), 3)?;
/// assert_eq!(third.amount, StepAmount::Fixed(200.into()));
/// let json = serde_json::to_string(&third)?;
/// assert!(json.contains(r#""kind":"complaint""#));
/// assert_eq!(serde_json::from_str::<Occurrence>(&json)?, third);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Occurrence {
    /// The kind.
    pub kind: KindRef,
    /// Fine or reward.
    pub effect: Effect,
    /// Which occurrence within the window (1 = first).
    pub occurrence: u32,
    /// The written step applied (1-based), or `None` when a `past_end` rule
    /// other than `repeat_last` decided.
    pub step: Option<u32>,
    /// How many occurrences past the ladder's last step (0 = on the ladder).
    pub beyond: u32,
    /// What this occurrence costs or pays, never negative: a fixed amount,
    /// rounded as the policy says (with `step_amounts = "total_so_far"`,
    /// what its step adds to the one before); a range the amount is chosen
    /// from case by case; or nothing.
    pub amount: StepAmount,
    /// The actions taken.
    pub actions: ActionSet,
    /// The fund the amount goes to (fines) or is paid from (rewards).
    pub fund: Option<FundRef>,
    /// The clause that decided it: the step, the flat rule, or past the last
    /// step the `past_end` choice.
    pub clause: ClauseRef,
}

/// Why [`Policy::occurrence`] has no answer: what was asked, and what to do.
///
/// ```
/// use cs_policy::discipline::OccurrenceError;
///
/// let policy = cs_policy::Policy::example("shop")?;
/// let complaint = policy.kind_ref("complaint").unwrap();
/// let err = policy.occurrence(complaint, 0).unwrap_err();
/// assert_eq!(err, OccurrenceError::Zero { kind: complaint });
/// assert_eq!(err.to_string(), "occurrences of `complaint` are counted from 1; there is no occurrence 0");
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OccurrenceError {
    /// The policy has no `[discipline]` section.
    #[error("the policy has no `[discipline]` section; add one to charge incidents")]
    NoSection,
    /// The kind is not one this policy defines (read back from another
    /// policy's result, or made by another policy).
    #[error(
        "`{kind}` is not a kind of incident this policy defines; look it up with `Policy::kind_ref`"
    )]
    UnknownKind {
        /// The kind asked for.
        kind: KindRef,
    },
    /// Occurrences are counted from 1.
    #[error("occurrences of `{kind}` are counted from 1; there is no occurrence 0")]
    Zero {
        /// The kind asked for.
        kind: KindRef,
    },
    /// The amount computed past the last step is too large.
    #[error("occurrence {occurrence} of `{kind}`: {error}; check the ladder's amounts")]
    Overflow {
        /// The kind asked for.
        kind: KindRef,
        /// The occurrence asked for.
        occurrence: u32,
        /// What overflowed, with its values.
        #[source]
        error: Overflow,
    },
}

/// Where an occurrence lands on a kind's rule.
struct Rung {
    amount: StepAmount,
    actions: ActionSet,
    clause: ClauseRef,
    step: Option<u32>,
    beyond: u32,
}

impl Rung {
    /// Landing on a written step, number `step`, `beyond` past the end.
    fn on(s: &Step, step: Option<u32>, beyond: u32) -> Self {
        Self {
            amount: s.amount,
            actions: s.actions,
            clause: s.clause,
            step,
            beyond,
        }
    }
}

/// `base × factor^k`, checked.
fn power_of(base: Decimal, factor: Decimal, k: u32) -> Option<Decimal> {
    let mut f = factor;
    let mut k = k;
    let mut acc = Decimal::ONE;
    while k > 0 {
        if k & 1 == 1 {
            acc = acc.checked_mul(f)?;
        }
        k >>= 1;
        if k > 0 {
            f = f.checked_mul(f)?;
        }
    }
    base.checked_mul(acc)
}

impl Kind {
    /// The charge of occurrence `n` (from 1) within the window: the rung it
    /// lands on, its amount as paid (rounded as `rounding` says) and its
    /// fund; or the computed amount that overflowed.
    #[inline]
    fn charge(&self, n: u32, rounding: Rounding) -> Result<Occurrence, Overflow> {
        // Straight from the table, so the answer is copied once.
        if let Some(charge) = (n as usize)
            .checked_sub(1)
            .and_then(|at| self.charges.get(at))
        {
            return Ok(*charge);
        }
        match self.repeated(n) {
            Some(charge) => Ok(charge),
            None => self.work_out(n, rounding),
        }
    }

    /// Works out the charges a one-decision call reads back: each written
    /// step and, past them, as many as it takes for the charge to stop
    /// changing, if it does (it does not when each costs more than the one
    /// before). A charge that overflows ends the table: it and those after
    /// it are worked out, and reported, when asked for.
    fn settle(&mut self, rounding: Rounding) {
        let (known, repeats) = match &self.rule {
            Rule::Flat(_) => (1, true),
            Rule::Ladder(l) => {
                let len = u32::try_from(l.steps.len()).unwrap_or(u32::MAX);
                match l.past_end {
                    // Occurrence len + 1 pays against the last step and
                    // every later one against the same past-end rung.
                    PastEnd::RepeatLast | PastEnd::Stated(_) => (len.saturating_add(2), true),
                    PastEnd::Add(_) | PastEnd::Multiply(_) => (len, false),
                }
            }
        };
        let charges: Box<[Occurrence]> = (1..=known)
            .map_while(|n| self.work_out(n, rounding).ok())
            .collect();
        self.last_repeats = repeats && charges.len() == known as usize;
        self.charges = charges;
    }

    /// Occurrence `n`'s charge, past those worked out at load, where the
    /// last of them repeats.
    fn repeated(&self, n: u32) -> Option<Occurrence> {
        let last = self.charges.last().filter(|_| self.last_repeats)?;
        let beyond = match self.rule {
            Rule::Flat(_) => 0,
            Rule::Ladder(_) => last.beyond + (n - last.occurrence),
        };
        Some(Occurrence {
            occurrence: n,
            beyond,
            ..*last
        })
    }

    /// Works occurrence `n`'s charge out from the rule.
    fn work_out(&self, n: u32, rounding: Rounding) -> Result<Occurrence, Overflow> {
        let rung = self.rung(n)?;
        let amount = match rung.amount {
            StepAmount::Fixed(a) => StepAmount::Fixed(rounding.round(self.paid(a, n)?)),
            other => other,
        };
        Ok(Occurrence {
            kind: self.reference,
            effect: self.effect,
            occurrence: n,
            step: rung.step,
            beyond: rung.beyond,
            amount,
            actions: rung.actions,
            fund: self.fund,
            clause: rung.clause,
        })
    }

    /// What occurrence `n` pays of its step's fixed `amount`: all of it, or
    /// with `total_so_far` (validated fixed and rising) what it adds to the
    /// step before.
    fn paid(&self, amount: Decimal, n: u32) -> Result<Decimal, Overflow> {
        let total_so_far =
            matches!(&self.rule, Rule::Ladder(l) if l.step_amounts == StepAmounts::TotalSoFar);
        if !total_so_far || n < 2 {
            return Ok(amount);
        }
        match self.rung(n - 1)?.amount {
            StepAmount::Fixed(before) => crate::money::minus(amount, before, "the total so far"),
            _ => Ok(amount),
        }
    }

    /// The rung an occurrence (1-based, within its window) lands on: the
    /// flat rule, the written step, or past the last step the ladder's
    /// `past_end` choice; or the computed amount that overflowed.
    fn rung(&self, n: u32) -> Result<Rung, Overflow> {
        let ladder = match &self.rule {
            Rule::Flat(s) => return Ok(Rung::on(s, Some(1), 0)),
            Rule::Ladder(l) => l,
        };
        let len = u32::try_from(ladder.steps.len()).unwrap_or(u32::MAX);
        let at = |i: u32| ladder.steps.get(i.saturating_sub(1) as usize);
        let missing = || Overflow::new(format!("step {n} of a ladder of {len}"));
        if n <= len {
            return Ok(Rung::on(at(n).ok_or_else(missing)?, Some(n), 0));
        }
        let last = at(len).ok_or_else(missing)?;
        ladder.past_end_rung(last, len, n - len)
    }
}

impl Ladder {
    /// The rung `beyond` occurrences past the last step (`last`, number
    /// `len`): repeated, computed from its amount, or the stated step, all
    /// citing the `past_end` choice.
    fn past_end_rung(&self, last: &Step, len: u32, beyond: u32) -> Result<Rung, Overflow> {
        let too_large = |how: String| Overflow::new(format!("the amount {how}"));
        let computed = |amount| Rung {
            amount,
            actions: last.actions,
            clause: self.past_end_clause,
            step: None,
            beyond,
        };
        let rung = match self.past_end {
            PastEnd::RepeatLast => Rung::on(last, Some(len), beyond),
            PastEnd::Add(add) => {
                let base = match last.amount {
                    StepAmount::Fixed(base) => base,
                    _ => Decimal::ZERO,
                };
                let amount = add
                    .checked_mul(beyond.into())
                    .and_then(|more| base.checked_add(more))
                    .ok_or_else(|| too_large(format!("`{base}` + `{add}` × {beyond}")))?;
                computed(StepAmount::Fixed(amount))
            }
            PastEnd::Multiply(f) => {
                let StepAmount::Fixed(base) = last.amount else {
                    return Ok(computed(last.amount));
                };
                let amount = power_of(base, f, beyond)
                    .ok_or_else(|| too_large(format!("`{base}` × `{f}`^{beyond}")))?;
                computed(StepAmount::Fixed(amount))
            }
            PastEnd::Stated(s) => Rung::on(&s, None, beyond),
        };
        Ok(Rung {
            clause: self.past_end_clause,
            ..rung
        })
    }
}

/// FNV-1a: a short-key hash for the per-agent counters, several times
/// faster than the default SipHash on agent ids (no untrusted keys here).
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// Occurrences counted per agent and kind (by its place in the section).
type Counters<'a> = HashMap<(&'a str, usize), Counter, std::hash::BuildHasherDefault<Fnv>>;

/// Occurrences counted so far for one agent and kind.
enum Counter {
    Period { period: i64, count: u32 },
    Rolling(VecDeque<NaiveDate>),
}

impl Counter {
    fn new(window: Window) -> Self {
        match window {
            Window::RollingDays(_) => Self::Rolling(VecDeque::new()),
            _ => Self::Period {
                period: i64::MIN,
                count: 0,
            },
        }
    }

    /// Counts one more occurrence on `date` (dates come in order) and returns
    /// its number within the window.
    fn count(&mut self, window: Window, date: NaiveDate) -> u32 {
        match self {
            Self::Period { period, count } => {
                let p = window.period(date);
                if p != *period {
                    *period = p;
                    *count = 0;
                }
                *count = count.saturating_add(1);
                *count
            }
            Self::Rolling(dates) => {
                let days = match window {
                    Window::RollingDays(d) => i64::from(d),
                    _ => i64::MAX,
                };
                while dates
                    .front()
                    .is_some_and(|d| (date - *d).num_days() >= days)
                {
                    dates.pop_front();
                }
                dates.push_back(date);
                u32::try_from(dates.len()).unwrap_or(u32::MAX)
            }
        }
    }
}

/// An incident to charge: its date, its place in the input, and where its
/// kind is kept.
type ToCharge = (NaiveDate, usize, usize);

impl Policy {
    /// The `[discipline]` section, if the policy has one.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// assert!(policy.discipline().is_some());
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn discipline(&self) -> Option<&DisciplineRules> {
        self.discipline.as_ref()
    }

    /// The reference to the kind of incident with id `id`, for
    /// [`Policy::occurrence`]; `None` when the policy defines no such kind.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// assert_eq!(policy.kind_ref("praise").unwrap().id(), "praise");
    /// assert!(policy.kind_ref("praises").is_none());
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn kind_ref(&self, id: &str) -> Option<KindRef> {
        self.discipline()?.resolve_kind(id)
    }

    /// What the `n`-th occurrence of `kind` within its window costs or
    /// earns: the ladder step it lands on, past the last step what the
    /// ladder's `past_end` says (such as `add`), its actions and its fund,
    /// with the clause that decided (F1, F2, F3, F4, F9). Every line of
    /// [`Policy::discipline_month`] is charged by this call. It allocates
    /// nothing.
    ///
    /// ```
    /// use cs_policy::discipline::{Action, StepAmount};
    ///
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let complaint = policy.kind_ref("complaint").unwrap();
    /// let second = policy.occurrence(complaint, 2)?;
    /// assert_eq!(second.amount, StepAmount::Fixed(100.into()));
    /// assert_eq!(second.fund.unwrap().id(), "activity");
    /// assert_eq!(second.clause.id(), "discipline.ladders.complaint.steps[1]");
    /// let off_task = policy.kind_ref("off_task").unwrap();
    /// assert!(policy.occurrence(off_task, 3)?.actions.contains(Action::Dismissal));
    /// assert!(policy.occurrence(complaint, 0).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn occurrence(&self, kind: KindRef, n: u32) -> Result<Occurrence, OccurrenceError> {
        let rules = self.discipline().ok_or(OccurrenceError::NoSection)?;
        let found = rules
            .kind(kind)
            .ok_or(OccurrenceError::UnknownKind { kind })?;
        if n == 0 {
            return Err(OccurrenceError::Zero { kind });
        }
        found
            .charge(n, self.rounding())
            .map_err(|error| OccurrenceError::Overflow {
                kind,
                occurrence: n,
                error,
            })
    }

    /// Every fine, reward and action the incidents lead to, in date order,
    /// with the totals per fund. Occurrences are counted per agent and kind
    /// within each kind's window, so a complaint on 31 March and one on
    /// 1 April are both first offences of a ladder counted by the month.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::Policy;
    /// use cs_policy::discipline::Incident;
    /// use rust_decimal::Decimal;
    ///
    /// let policy = Policy::example("shop")?;
    /// let incidents = [
    ///     Incident::new("a1", "complaint", NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()),
    ///     Incident::new("a1", "complaint", NaiveDate::from_ymd_opt(2026, 4, 1).unwrap()),
    /// ];
    /// let s = policy.discipline_statement(&incidents).unwrap();
    /// assert!(s.lines().iter().all(|l| l.occurrence == 1 && l.amount == Decimal::from(50)));
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn discipline_statement<'a>(
        &'a self,
        incidents: &'a [Incident],
    ) -> Result<Statement<'a>, DisciplineError> {
        self.evaluate_discipline(incidents, None)
    }

    /// The lines of one calendar month. Earlier incidents in `incidents`
    /// count towards the windows (a rolling window, a quarter, `ever`) but
    /// give no lines; later ones give none either (their kinds must still
    /// be ones the policy knows).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::Policy;
    /// use cs_policy::discipline::{Action, Incident};
    ///
    /// let policy = Policy::example("shop")?;
    /// let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    /// // This file counts violations ever: the third, in May, dismisses.
    /// let incidents: Vec<_> = [d(3, 2), d(4, 8), d(5, 11)]
    ///     .map(|date| Incident::new("a1", "off_task", date))
    ///     .into();
    /// let may = policy.discipline_month(2026, 5, &incidents).unwrap();
    /// assert_eq!(may.lines().len(), 1);
    /// assert!(may.lines()[0].actions.contains(Action::Dismissal));
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn discipline_month<'a>(
        &'a self,
        year: i32,
        month: u32,
        incidents: &'a [Incident],
    ) -> Result<Statement<'a>, DisciplineError> {
        let first = NaiveDate::from_ymd_opt(year, month, 1)
            .ok_or(DisciplineError::InvalidMonth { year, month })?;
        let next = first
            .checked_add_months(Months::new(1))
            .ok_or(DisciplineError::InvalidMonth { year, month })?;
        self.evaluate_discipline(incidents, Some((first, next)))
    }

    /// The statement of the incidents within `period` (all when `None`):
    /// each incident's kind resolved, its occurrence counted in its window,
    /// charged, and the amounts added up per fund.
    fn evaluate_discipline<'a>(
        &'a self,
        incidents: &'a [Incident],
        period: Option<(NaiveDate, NaiveDate)>,
    ) -> Result<Statement<'a>, DisciplineError> {
        let rules = self.discipline.as_ref().ok_or(DisciplineError::NoSection)?;
        let order = rules.in_date_order(incidents, period)?;
        let mut counters = Counters::default();
        let mut lines = Vec::with_capacity(order.len());
        for (date, index, place) in order {
            let (Some(incident), Some(kind)) = (incidents.get(index), rules.kinds.get(place))
            else {
                continue;
            };
            let counter = counters
                .entry((incident.agent.as_str(), place))
                .or_insert_with(|| Counter::new(kind.window));
            let n = counter.count(kind.window, date);
            if period.is_some_and(|(start, _)| date < start) {
                continue;
            }
            lines.push(self.line(incident, index, kind, n)?);
        }
        let funds = self.fund_totals(incidents, &lines)?;
        Ok(Statement { lines, funds })
    }

    /// One incident's line: the charge of its occurrence, with the amount
    /// chosen case by case checked against the step's range.
    fn line<'a>(
        &self,
        incident: &'a Incident,
        index: usize,
        kind: &Kind,
        n: u32,
    ) -> Result<Line<'a>, DisciplineError> {
        let charge =
            kind.charge(n, self.rounding())
                .map_err(|error| DisciplineError::Overflow {
                    index,
                    agent: incident.agent.clone(),
                    date: incident.date,
                    kind: incident.kind.clone(),
                    occurrence: n,
                    error,
                })?;
        let amount = self.chosen_amount(charge.amount, incident, index)?;
        Ok(Line {
            incident: index,
            agent: Cow::Borrowed(&incident.agent),
            date: incident.date,
            kind: charge.kind,
            effect: charge.effect,
            occurrence: n,
            step: charge.step,
            beyond: charge.beyond,
            amount,
            fund: charge.fund,
            actions: charge.actions,
            clause: charge.clause,
            details: incident.details.as_deref().map(Cow::Borrowed),
        })
    }

    /// The amount an incident pays: the fixed amount, nothing, or the value
    /// the incident carries for a step chosen case by case, within its range.
    fn chosen_amount(
        &self,
        amount: StepAmount,
        incident: &Incident,
        index: usize,
    ) -> Result<Decimal, DisciplineError> {
        match (amount, incident.value) {
            (StepAmount::Range { min, max }, Some(v)) if v < min || v > max => {
                Err(DisciplineError::ValueOutOfRange {
                    index,
                    agent: incident.agent.clone(),
                    date: incident.date,
                    kind: incident.kind.clone(),
                    value: v,
                    min,
                    max,
                })
            }
            (StepAmount::Range { .. }, Some(v)) => Ok(self.rounding().round(v)),
            (StepAmount::Range { min, max }, None) => Err(DisciplineError::MissingValue {
                index,
                agent: incident.agent.clone(),
                date: incident.date,
                kind: incident.kind.clone(),
                min,
                max,
            }),
            (_, Some(value)) => Err(DisciplineError::UnexpectedValue {
                index,
                agent: incident.agent.clone(),
                date: incident.date,
                kind: incident.kind.clone(),
                value,
            }),
            (StepAmount::Fixed(a), None) => Ok(a),
            (StepAmount::None, None) => Ok(Decimal::ZERO),
        }
    }

    /// The amounts of the lines added up per fund, in the order the policy
    /// defines its funds (amounts naming no fund last). The running grand
    /// totals are checked, so that every sum a statement offers (per fund,
    /// per agent, overall) fits in a decimal.
    fn fund_totals(
        &self,
        incidents: &[Incident],
        lines: &[Line<'_>],
    ) -> Result<Vec<FundTotal>, DisciplineError> {
        let mut funds: Vec<FundTotal> = Vec::new();
        let (mut fines, mut rewards) = (Decimal::ZERO, Decimal::ZERO);
        for line in lines.iter().filter(|l| !l.amount.is_zero()) {
            let (grand, what) = match line.effect {
                Effect::Fine => (&mut fines, "the fines"),
                Effect::Reward => (&mut rewards, "the rewards"),
            };
            *grand = crate::money::plus(*grand, line.amount, what).map_err(|error| {
                DisciplineError::Overflow {
                    index: line.incident,
                    agent: line.agent.to_string(),
                    date: line.date,
                    kind: incidents
                        .get(line.incident)
                        .map(|i| i.kind.clone())
                        .unwrap_or_default(),
                    occurrence: line.occurrence,
                    error,
                }
            })?;
            let total = match funds.iter().position(|f| f.fund == line.fund) {
                Some(i) => &mut funds[i],
                None => {
                    funds.push(FundTotal {
                        fund: line.fund,
                        fines: Decimal::ZERO,
                        rewards: Decimal::ZERO,
                    });
                    let last = funds.len() - 1;
                    &mut funds[last]
                }
            };
            // Cannot overflow: bounded by the checked grand totals above.
            match line.effect {
                Effect::Fine => total.fines += line.amount,
                Effect::Reward => total.rewards += line.amount,
            }
        }
        let place = |fund: Option<FundRef>| {
            let defined = self.funds().iter().map(Fund::reference);
            fund.and_then(|f| defined.clone().position(|d| d == f))
                .unwrap_or(usize::MAX)
        };
        funds.sort_by_key(|f| place(f.fund));
        Ok(funds)
    }
}

impl DisciplineRules {
    /// The incidents within `period` (or before it, to count towards the
    /// windows), each with where its kind is kept, in date order (ties in
    /// input order); the first naming an unknown kind is an error.
    fn in_date_order(
        &self,
        incidents: &[Incident],
        period: Option<(NaiveDate, NaiveDate)>,
    ) -> Result<Vec<ToCharge>, DisciplineError> {
        let mut order = Vec::with_capacity(incidents.len());
        for (index, incident) in incidents.iter().enumerate() {
            let place = self
                .resolve_kind(&incident.kind)
                .and_then(|k| k.index_in(self.tag));
            let Some(place) = place else {
                return Err(DisciplineError::UnknownKind {
                    index,
                    agent: incident.agent.clone(),
                    date: incident.date,
                    kind: incident.kind.clone(),
                    suggestion: self.suggest(&incident.kind),
                });
            };
            if period.is_none_or(|(_, end)| incident.date < end) {
                order.push((incident.date, index, place));
            }
        }
        order.sort_unstable_by_key(|(date, index, _)| (*date, *index));
        Ok(order)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-ladder policy: steps 50.5 / 100 / 175.25, the given past end
    /// and step amounts, rounded to whole yuan.
    fn ladder(past_end: &str, step_amounts: &str) -> Policy {
        let text = format!(
            r#"[policy]
id = "p"
name = "P"
format = 1
currency = "CNY"
time_zone = "Asia/Shanghai"
effective = 2026-01-01
rounding = {{ decimals = 0, mode = "half_even" }}

[funds.activity]

[discipline]
fund = "activity"

[discipline.ladders.x]
window = "calendar_month"
step_amounts = "{step_amounts}"
steps = [{{ amount = "50.5" }}, {{ amount = 100 }}, {{ amount = "175.25" }}]
past_end = {past_end}

[discipline.rewards.y]
each = {{ amount = "12.5" }}
"#
        );
        match Policy::from_toml_str("p.toml", &text) {
            Ok(policy) => policy,
            Err(e) => panic!("{past_end} / {step_amounts}: {e}"),
        }
    }

    /// The charges kept from load are the ones the rule works out, for
    /// every way past the end and of adding steps up, on the ladder and
    /// well past it.
    #[test]
    fn charges_kept_from_load_are_the_rules_own() {
        let past_ends = [
            r#""repeat_last""#,
            "{ add = 10 }",
            r#"{ multiply = "1.5" }"#,
            "{ amount = 300 }",
        ];
        for past_end in past_ends {
            for step_amounts in ["all_paid", "total_so_far"] {
                let policy = ladder(past_end, step_amounts);
                let rules = policy.discipline().unwrap();
                for kind in rules.kinds() {
                    let repeats = !past_end.contains("add") && !past_end.contains("multiply");
                    let kept = match kind.rule() {
                        Rule::Flat(_) => 1,
                        Rule::Ladder(_) if repeats => 5,
                        Rule::Ladder(_) => 3,
                    };
                    assert_eq!(
                        (kind.charges.len(), kind.last_repeats),
                        (kept, repeats || kept == 1)
                    );
                    same_as_worked_out(&policy, kind, &format!("{past_end}, {step_amounts}"));
                }
            }
        }
    }

    /// The shipped ladders' charges, kept from load, match the rule too.
    #[test]
    fn shipped_charges_kept_from_load_are_the_rules_own() {
        for name in ["shop", "education", "property", "fintech", "call-centre"] {
            let policy = Policy::example(name).unwrap();
            let Some(rules) = policy.discipline() else {
                continue;
            };
            for kind in rules.kinds() {
                same_as_worked_out(&policy, kind, name);
            }
        }
    }

    /// Occurrences 1 to 12 of `kind`: the charge kept equals the charge
    /// worked out from the rule.
    fn same_as_worked_out(policy: &Policy, kind: &Kind, what: &str) {
        for n in 1..=12 {
            assert_eq!(
                kind.charge(n, policy.rounding()).ok(),
                kind.work_out(n, policy.rounding()).ok(),
                "{what}: {} #{n}",
                kind.id()
            );
        }
    }
}
