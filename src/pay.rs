//! Bonus formulas, pay lines and star levels across months.
//!
//! The `[pay]` section of a policy file holds pay plans keyed by id. A plan
//! names the scorecard that assesses its agents and lists the parts of the
//! month's pay, each a table that is also the clause its lines cite:
//!
//! - `base`: base pay (or post wage) by post (2000 / 2500 / 3000);
//! - `kpi_bonus`: pool × score ÷ total, nothing when the grade fails;
//! - `performance`: a full performance pay times the grade's `pay_share`;
//! - `commission`, `shared_commission`, `seniority`, `full_attendance`;
//! - `loss`: losses the agent caused, charged at their actual amount;
//! - `star_levels`: pay by level and the level moves from month to month
//!   and the quarter;
//! - `awards`: prizes by monthly rank for agents without a complaint or a
//!   service irregularity;
//! - `streaks`: runs of months that earn a reward or an action;
//! - `window`: the days of the next month the assessment is made;
//! - `exclusion`: agents absent too long are not assessed.
//!
//! ```toml
//! [pay.plans.after_sales]
//! scorecard = "after_sales"
//! [pay.plans.after_sales.base]
//! posts = [{ post = "agent", amount = "2000" }, { post = "senior", amount = "2500" }]
//! [pay.plans.after_sales.kpi_bonus]
//! pool = "1000"
//! ```
//!
//! [`Policy::agent_month`] builds one agent's monthly [`Statement`];
//! [`Policy::team_month`] builds a whole team's, ranking agents first.

use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::Policy;
use crate::explain::{ClauseRef, PolicyTag, Ref};
use crate::kpi::{AttendanceCounts, CardFacts, CardScore, KpiError, Scorecard, ScorecardRef};
use crate::money::{self, Charged, Overflow, RoundingMode};
use crate::policy::ProblemCode;
use crate::policy::read::{Loader, Located, Table, choices};

/// The `[pay]` section of a policy: its pay plans.
///
/// ```
/// let policy = cs_policy::Policy::example("call-centre")?;
/// let plan = policy.pay().unwrap().plan("star_levels").unwrap();
/// let levels: Vec<&str> = plan.levels().iter().map(|l| l.id()).collect();
/// assert_eq!(levels, ["trial", "ordinary", "one_star", "two_star"]);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone)]
pub struct PayRules {
    clause: ClauseRef,
    plans: Vec<Plan>,
}

/// One pay plan (`[pay.plans.<id>]`).
///
/// ```
/// let policy = cs_policy::Policy::example("shop")?;
/// let plan = policy.pay().unwrap().plan("after_sales").unwrap();
/// let posts: Vec<(&str, String)> = plan.posts().map(|(p, a)| (p, a.to_string())).collect();
/// assert_eq!(posts, [("agent", "2000".into()), ("senior", "2500".into()), ("team_lead", "3000".into())]);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Plan {
    id: Box<str>,
    clause: ClauseRef,
    card: Option<ScorecardRef>,
    posts: Option<(Vec<Post>, ClauseRef)>,
    kpi_bonus: Option<(Decimal, ClauseRef)>,
    performance: Option<(Decimal, ClauseRef)>,
    commission: Option<ClauseRef>,
    shared_commission: Option<ClauseRef>,
    seniority: Option<(Decimal, ClauseRef)>,
    full_attendance: Option<(Decimal, ClauseRef)>,
    loss: Option<ClauseRef>,
    levels: Option<Levels>,
    awards: Option<Awards>,
    streaks: Vec<Streak>,
    window: Option<(u32, u32, ClauseRef)>,
    exclusion: Option<(Decimal, ClauseRef)>,
    /// The policy text that made the references.
    tag: PolicyTag,
}

/// A reference to one post of a plan, written as the post's id (`agent`):
/// how a base-pay line names the post it pays.
///
/// ```
/// let policy = cs_policy::Policy::example("shop")?;
/// let plan = policy.pay().unwrap().plan("after_sales").unwrap();
/// let senior = plan.post_ref("senior").unwrap();
/// assert_eq!(serde_json::to_string(&senior)?, r#""senior""#);
/// assert_eq!(plan.post(senior).unwrap().amount().to_string(), "2500");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub type PostRef = Ref<Post>;

/// A reference to one star level of a plan, written as the level's id
/// (`one_star`): how statements and level moves name a level.
///
/// ```
/// let policy = cs_policy::Policy::example("call-centre")?;
/// let plan = policy.pay().unwrap().plan("star_levels").unwrap();
/// let one_star = plan.level_ref("one_star").unwrap();
/// assert_eq!(serde_json::to_string(&one_star)?, r#""one_star""#);
/// assert_eq!(plan.level(one_star).unwrap().base().to_string(), "1100");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub type LevelRef = Ref<Level>;

/// One post of a plan and its base pay.
///
/// ```
/// let policy = cs_policy::Policy::example("shop")?;
/// let plan = policy.pay().unwrap().plan("after_sales").unwrap();
/// let agent = plan.post(plan.post_ref("agent").unwrap()).unwrap();
/// assert_eq!((agent.id(), agent.amount().to_string()), ("agent", "2000".to_owned()));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Post {
    reference: PostRef,
    amount: Decimal,
}

impl Post {
    /// The post's id (`agent`).
    pub fn id(&self) -> &str {
        self.reference.id()
    }

    /// A reference to the post, as a base-pay line carries it.
    pub fn reference(&self) -> PostRef {
        self.reference
    }

    /// The post's base pay.
    pub fn amount(&self) -> Decimal {
        self.amount
    }
}

choices! {
    /// Which level's pay an agent gets in a month (a gap in the source: the pay table
    /// names a score for each level, the demotion rules move levels monthly).
    ///
    /// ```
    /// use cs_policy::pay::PayBy;
    /// assert_eq!(serde_json::to_string(&PayBy::HeldLevel).unwrap(), r#""held_level""#);
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum PayBy as "a way to choose the level paid" {
        /// The level the agent holds this month.
        HeldLevel => "held_level",
        /// The highest level whose `min_score` this month's score reaches
        /// (never for an agent on the starting level, who gets its pay).
        MonthScore => "month_score",
    }
}

choices! {
    /// How a month's score promotes an agent (the sources state only demotions).
    ///
    /// ```
    /// use cs_policy::pay::Promotion;
    /// assert_eq!(serde_json::to_string(&Promotion::ToScoreLevel).unwrap(), r#""to_score_level""#);
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum Promotion as "a promotion rule" {
        /// To the highest level whose `min_score` the score reaches.
        ToScoreLevel => "to_score_level",
        /// One level up when the score reaches the next level's `min_score`.
        OneStep => "one_step",
        /// Never by score.
        None => "none",
    }
}

/// The star levels of a plan and their moves.
#[derive(Debug, Clone)]
struct Levels {
    start: u8,
    pay_by: PayBy,
    promotion: Promotion,
    quarter_blocks_promotion: bool,
    list: Vec<Level>,
    demotions: Vec<Demotion>,
}

/// One level (trial, ordinary, one-star, two-star) and its monthly pay.
///
/// ```
/// let policy = cs_policy::Policy::example("call-centre")?;
/// let plan = policy.pay().unwrap().plan("star_levels").unwrap();
/// let one_star = &plan.levels()[2];
/// assert_eq!((one_star.id(), one_star.min_score()), ("one_star", Some(90.into())));
/// assert_eq!(one_star.base().to_string(), "1100");
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Level {
    reference: LevelRef,
    clause: ClauseRef,
    min_score: Option<Decimal>,
    base: Decimal,
    assessed_pay: Decimal,
    star_bonus: Decimal,
    full_attendance: Decimal,
    commission: bool,
}

/// What a demotion or streak looks at in a month.
///
/// ```
/// use cs_policy::pay::Condition;
/// let json = serde_json::to_string(&Condition::ComplaintsAtLeast(2)).unwrap();
/// assert_eq!(json, r#"{"complaints_at_least":2}"#);
/// assert_eq!(Condition::ComplaintsAtLeast(2).to_string(), "at least 2 valid complaints");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Condition {
    /// The score is below this.
    ScoreBelow(Decimal),
    /// At least this many valid complaints.
    ComplaintsAtLeast(u32),
    /// Some item of the card scored 0.
    ItemZero,
    /// The grade does not pass.
    Failed,
    /// Ranked first in the team.
    RankedFirst,
}

/// The reason in words, naming the facts.
///
/// ```
/// use cs_policy::pay::{Because, LevelRef};
/// assert_eq!(Because::Seniority { years: 3 }.to_string(), "3 years of service");
/// // Star levels by their id, as results store them.
/// let two_star = Because::Level { level: LevelRef::from_id("two_star") };
/// assert_eq!(two_star.to_string(), "level `two_star`");
/// ```
impl fmt::Display for Because {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Post { post } => write!(f, "post `{}`", post.id()),
            Self::Score { score, total, pool } => write!(f, "{pool} × {score} ÷ {total}"),
            Self::Failed { score, percent } => {
                write!(f, "score {score} ({}%) fails", percent.round_dp(2))
            }
            Self::NotAssessed { months_absent } => {
                write!(f, "not assessed: {months_absent} months away")
            }
            Self::Share { share, full, .. } => write!(f, "{share}% of {full}"),
            Self::Level { level } => write!(f, "level `{}`", level.id()),
            Self::Given => f.write_str("as given"),
            Self::Seniority { years } => write!(f, "{years} years of service"),
            Self::Loss { index } => write!(f, "loss #{index} at its actual amount"),
            Self::Award { rank } => write!(f, "ranked {rank}"),
            Self::Streak { months } => write!(f, "{months} months in a row"),
            Self::Condition { condition } => write!(f, "{condition}"),
            Self::Reached { score } => write!(f, "score {score}"),
            Self::DemotedThisQuarter => f.write_str("demoted earlier this quarter"),
        }
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ScoreBelow(score) => write!(f, "score below {score}"),
            Self::ComplaintsAtLeast(n) => write!(f, "at least {n} valid complaints"),
            Self::ItemZero => f.write_str("an item of the card scored 0"),
            Self::Failed => f.write_str("the grade does not pass"),
            Self::RankedFirst => f.write_str("ranked first in the team"),
        }
    }
}

#[derive(Debug, Clone)]
struct Demotion {
    clause: ClauseRef,
    from: Vec<u8>,
    when: Condition,
    to: u8,
}

choices! {
    /// Whose rank decides an award (the source says only agents without a complaint
    /// or irregularity enter the selection).
    ///
    /// ```
    /// use cs_policy::pay::Among;
    /// assert_eq!(serde_json::to_string(&Among::Eligible).unwrap(), r#""eligible""#);
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum Among as "a ranking population" {
        /// Ranks are counted among eligible agents only.
        Eligible => "eligible",
        /// Ranks are counted among all assessed agents; an ineligible agent's
        /// prize is not passed on.
        All => "all",
    }
}

choices! {
    /// What a tie for a prize-winning rank gets (a gap in the source's awards and streaks).
    ///
    /// ```
    /// use cs_policy::pay::Ties;
    /// assert_eq!(serde_json::to_string(&Ties::Shared).unwrap(), r#""shared""#);
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum Ties as "a tie rule" {
        /// Equal scores share the rank (1, 1, 3) and each gets its prize.
        Shared => "shared",
        /// A rank shared by several agents earns no prize.
        NoneAwarded => "none_awarded",
    }
}

#[derive(Debug, Clone)]
struct Awards {
    among: Among,
    ties: Ties,
    prizes: Vec<(u32, Decimal, ClauseRef)>,
}

/// What a streak earns.
///
/// ```
/// use cs_policy::pay::{ActionKind, Outcome};
/// let json = serde_json::to_string(&Outcome::Action(ActionKind::Dismissal)).unwrap();
/// assert_eq!(json, r#"{"action":"dismissal"}"#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Outcome {
    /// A one-off amount (200 after three months ranked first).
    Reward(Decimal),
    /// An action (dismissal, deemed resignation).
    Action(ActionKind),
}

choices! {
    /// When a reward streak pays again (a gap in the source's "one-off").
    ///
    /// ```
    /// use cs_policy::pay::Repeat;
    /// assert_eq!(serde_json::to_string(&Repeat::OncePerRun).unwrap(), r#""once_per_run""#);
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum Repeat as "a repeat rule" {
        /// Once per unbroken run, in the month it reaches its length.
        OncePerRun => "once_per_run",
        /// Again every time the run grows by its length.
        EveryRun => "every_run",
    }
}

#[derive(Debug, Clone)]
struct Streak {
    clause: ClauseRef,
    when: Condition,
    months: u32,
    outcome: Outcome,
    repeat: Repeat,
}

choices! {
    #[derive(Clone, Copy)]
    enum When as "a condition" {
        ScoreBelow => "score_below",
        ComplaintsAtLeast => "complaints_at_least",
        ItemZero => "item_zero",
        Failed => "failed",
        RankedFirst => "ranked_first",
    }
}

choices! {
    #[derive(Clone, Copy)]
    enum ActionWord as "an action" {
        Dismissal => "dismissal",
        DeemedResignation => "deemed_resignation",
    }
}

fn read_condition(t: &mut Table<'_, '_>, ld: &mut Loader) -> Option<Condition> {
    let when: When = t.req(ld, "when")?;
    Some(match when {
        When::ScoreBelow => Condition::ScoreBelow(t.req(ld, "score")?),
        When::ComplaintsAtLeast => {
            Condition::ComplaintsAtLeast(t.req_in(ld, "count", 1..=u32::MAX)?)
        }
        When::ItemZero => Condition::ItemZero,
        When::Failed => Condition::Failed,
        When::RankedFirst => Condition::RankedFirst,
    })
}

/// A pay amount: one line a month at most.
fn amount(t: &mut Table<'_, '_>, ld: &mut Loader, key: &'static str) -> Option<Decimal> {
    money::req_charged(t, ld, key, Charged::Monthly)
}

impl PayRules {
    /// The clause of the `[pay]` table itself.
    pub fn clause(&self) -> ClauseRef {
        self.clause
    }

    /// Every plan, in file order.
    pub fn plans(&self) -> &[Plan] {
        &self.plans
    }

    /// A plan by id.
    pub fn plan(&self, id: &str) -> Option<&Plan> {
        self.plans.iter().find(|p| &*p.id == id)
    }

    pub(crate) fn read(table: &mut Table<'_, '_>, ld: &mut Loader, policy: &Policy) -> Self {
        let clause = ld.clause(table);
        let mut plans = Vec::new();
        for (id, mut t) in table.ids(ld, "plans") {
            let plan = Plan::read(&id, &mut t, ld, policy, clause);
            t.finish(ld);
            plans.push(plan);
        }
        Self { clause, plans }
    }
}

/// Reads an optional part table, giving its clause.
fn part<'a, 'i>(
    t: &mut Table<'a, 'i>,
    ld: &mut Loader,
    key: &'static str,
    plan: ClauseRef,
) -> Option<(Table<'a, 'i>, ClauseRef)> {
    let mut sub = t.opt_table(ld, key)?;
    let clause = ld.clause_under(&mut sub, Some(plan));
    Some((sub, clause))
}

impl Plan {
    /// The plan's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The plan's clause.
    pub fn clause(&self) -> ClauseRef {
        self.clause
    }

    /// The clause that lists the posts' base pay, if the plan has posts.
    pub fn posts_clause(&self) -> Option<ClauseRef> {
        self.posts.as_ref().map(|(_, clause)| *clause)
    }

    /// The posts with a base pay, and their amounts.
    pub fn posts(&self) -> impl Iterator<Item = (&str, Decimal)> {
        self.posts
            .iter()
            .flat_map(|(p, _)| p.iter().map(|post| (post.id(), post.amount)))
    }

    /// A post by reference: at once for one this policy made, by id for
    /// one read back, never for another policy's.
    pub fn post(&self, post: PostRef) -> Option<&Post> {
        let (posts, _) = self.posts.as_ref()?;
        post.find_in(posts, self.tag, Post::reference)
    }

    /// The reference to the post with id `id`, if the plan pays it.
    pub fn post_ref(&self, id: &str) -> Option<PostRef> {
        let (posts, _) = self.posts.as_ref()?;
        posts.iter().find(|p| p.id() == id).map(Post::reference)
    }

    /// The star levels, from the lowest to the highest.
    pub fn levels(&self) -> &[Level] {
        self.levels.as_ref().map_or(&[], |l| &l.list)
    }

    /// A level by reference (a level held, or one a move points to): at
    /// once for one this policy made, by id for one read back, never for
    /// another policy's.
    pub fn level(&self, level: LevelRef) -> Option<&Level> {
        level.find_in(self.levels(), self.tag, Level::reference)
    }

    /// The reference to the level with id `id`, if the plan defines it.
    pub fn level_ref(&self, id: &str) -> Option<LevelRef> {
        self.levels()
            .iter()
            .find(|l| l.id() == id)
            .map(Level::reference)
    }

    /// Every score the plan compares a month's score with: the levels'
    /// `min_score` and the `score_below` lines of its demotions and
    /// streaks (where a boundary search looks).
    pub(crate) fn score_lines(&self) -> impl Iterator<Item = Decimal> + '_ {
        fn when(c: &Condition) -> Option<Decimal> {
            match c {
                Condition::ScoreBelow(line) => Some(*line),
                _ => None,
            }
        }
        let levels = self.levels.iter().flat_map(|l| {
            l.list
                .iter()
                .filter_map(|level| level.min_score)
                .chain(l.demotions.iter().filter_map(|d| when(&d.when)))
        });
        levels.chain(self.streaks.iter().filter_map(|s| when(&s.when)))
    }

    /// Reads one plan: its scorecard, then each part of the month's pay in
    /// the order the file lists them, then what the parts need of the card.
    fn read(
        id: &Located<String>,
        t: &mut Table<'_, '_>,
        ld: &mut Loader,
        policy: &Policy,
        pay: ClauseRef,
    ) -> Self {
        let clause = ld.clause_under(t, Some(pay));
        let card_id: Option<Located<String>> = t.opt(ld, "scorecard");
        let card = card_id.as_ref().and_then(|c| read_card(c, ld, policy));
        let card_ref = card.and_then(|r| policy.kpi().and_then(|k| k.card(r)));
        let posts = part(t, ld, "base", clause).map(|(b, c)| (read_posts(b, ld), c));
        let kpi_bonus = amount_part(t, ld, ("kpi_bonus", "pool"), clause);
        let performance = part(t, ld, "performance", clause)
            .and_then(|(b, c)| Some((read_performance(b, ld, card_ref)?, c)));
        let commission = bare_part(t, ld, "commission", clause);
        let shared_commission = bare_part(t, ld, "shared_commission", clause);
        let seniority = amount_part(t, ld, ("seniority", "per_year"), clause);
        let full_attendance = amount_part(t, ld, ("full_attendance", "amount"), clause);
        let loss = bare_part(t, ld, "loss", clause);
        let levels = part(t, ld, "star_levels", clause).and_then(|(mut b, c)| {
            let levels = Levels::read(&mut b, ld, c);
            b.finish(ld);
            levels
        });
        let awards = part(t, ld, "awards", clause).and_then(|(mut b, c)| {
            let awards = Awards::read(&mut b, ld, c);
            b.finish(ld);
            awards
        });
        let streaks = t
            .tables(ld, "streaks")
            .into_iter()
            .filter_map(|s| Streak::read(s, ld, clause))
            .collect();
        let window = part(t, ld, "window", clause).and_then(|(b, c)| read_window(b, ld, c));
        let exclusion = part(t, ld, "exclusion", clause)
            .and_then(|(b, c)| Some((read_exclusion(b, ld, policy)?, c)));
        let plan = Self {
            id: id.value.clone().into_boxed_str(),
            clause,
            card,
            posts,
            kpi_bonus,
            performance,
            commission,
            shared_commission,
            seniority,
            full_attendance,
            loss,
            levels,
            awards,
            streaks,
            window,
            exclusion,
            tag: ld.clauses.tag(),
        };
        plan.check_card(t, ld, card_id.is_some(), card_ref);
        plan
    }

    /// A plan whose bonus, performance pay, levels, awards or streaks look
    /// at a score names the card that gives it; a demotion on a failed
    /// grade needs the card's bands.
    fn check_card(
        &self,
        t: &Table<'_, '_>,
        ld: &mut Loader,
        named: bool,
        card: Option<&Scorecard>,
    ) {
        let needs_card = self.kpi_bonus.is_some()
            || self.performance.is_some()
            || self.levels.is_some()
            || self.awards.is_some()
            || !self.streaks.is_empty();
        if needs_card && !named {
            t.missing(ld, "scorecard")
                .help("name the scorecard that assesses the plan's agents: `scorecard = \"<id>\"`");
        }
        if let (Some(levels), Some(card)) = (&self.levels, card) {
            let needs_bands = levels.demotions.iter().any(|d| d.when == Condition::Failed);
            if needs_bands && card.bands().is_none() {
                ld.error(
                    ProblemCode::MissingKey,
                    t.span.start..t.span.start,
                    t.path(),
                    format!(
                        "a demotion on a failed grade needs bands on scorecard `{}`",
                        card.id()
                    ),
                );
            }
        }
    }
}

/// Reads a part table that states one amount (`(part, amount)` keys).
fn amount_part(
    t: &mut Table<'_, '_>,
    ld: &mut Loader,
    (key, amount_key): (&'static str, &'static str),
    plan: ClauseRef,
) -> Option<(Decimal, ClauseRef)> {
    let (mut b, c) = part(t, ld, key, plan)?;
    let a = amount(&mut b, ld, amount_key);
    b.finish(ld);
    Some((a?, c))
}

/// Reads a part table that holds nothing but its clause.
fn bare_part(
    t: &mut Table<'_, '_>,
    ld: &mut Loader,
    key: &'static str,
    plan: ClauseRef,
) -> Option<ClauseRef> {
    part(t, ld, key, plan).map(|(b, c)| {
        b.finish(ld);
        c
    })
}

/// The scorecard a plan names, which `[kpi]` must define.
fn read_card(c: &Located<String>, ld: &mut Loader, policy: &Policy) -> Option<ScorecardRef> {
    let found = policy.scorecard_ref(&c.value);
    if found.is_none() {
        let known: Vec<&str> = policy
            .kpi()
            .map(|k| k.scorecards().iter().map(Scorecard::id).collect())
            .unwrap_or_default();
        ld.error(
            ProblemCode::UndefinedReference,
            c.span.clone(),
            &c.path,
            format!(
                "`{}` names scorecard `{}`, which `[kpi]` does not define",
                c.path, c.value
            ),
        )
        .help(if known.is_empty() {
            format!("define it: `[kpi.scorecards.{}]`", c.value)
        } else {
            format!("defined scorecards: `{}`", known.join("`, `"))
        });
    }
    found
}

/// Reads the base pay by post: each post once, with its amount.
fn read_posts(mut b: Table<'_, '_>, ld: &mut Loader) -> Vec<Post> {
    let mut list: Vec<Post> = Vec::new();
    for mut r in b.tables(ld, "posts") {
        let name: Option<Located<String>> = r.req(ld, "post");
        let amount = amount(&mut r, ld, "amount");
        r.allow("label");
        r.finish(ld);
        let (Some(n), Some(amount)) = (name, amount) else {
            continue;
        };
        if list.iter().any(|p| p.id() == n.value) {
            ld.error(
                ProblemCode::Duplicate,
                n.span,
                &n.path,
                format!("post `{}` is listed twice", n.value),
            );
            continue;
        }
        list.push(Post {
            reference: PostRef::new(&n.value, list.len(), ld.clauses.tag()),
            amount,
        });
    }
    if list.is_empty() {
        b.missing(ld, "posts")
            .help("list each post: `posts = [{ post = \"agent\", amount = \"2000\" }]`");
    }
    b.finish(ld);
    list
}

/// Reads the full performance pay; every band of the card must say what
/// share of it the band earns.
fn read_performance(
    mut b: Table<'_, '_>,
    ld: &mut Loader,
    card: Option<&Scorecard>,
) -> Option<Decimal> {
    let full = amount(&mut b, ld, "full");
    let span = b.span.clone();
    let path = b.path().to_owned();
    b.finish(ld);
    if let Some(card) = card {
        let ok = card
            .bands()
            .is_some_and(|bands| bands.rows().iter().all(|r| r.pay_share().is_some()));
        if !ok {
            ld.error(
                ProblemCode::MissingKey,
                span.start..span.start,
                &path,
                format!(
                    "`{path}` pays a share by grade, but not every band of scorecard `{}` gives `pay_share`",
                    card.id()
                ),
            )
            .help("give each band row `pay_share` in percent, such as `pay_share = 80`");
        }
    }
    full
}

/// Reads the assessment window: from a day of the next month to a later
/// one, within the 28 days every month has.
fn read_window(
    mut b: Table<'_, '_>,
    ld: &mut Loader,
    c: ClauseRef,
) -> Option<(u32, u32, ClauseRef)> {
    let from: Option<u32> = b.req_in(ld, "from_day", 1..=28);
    let to: Option<Located<u32>> = b.req(ld, "to_day");
    b.finish(ld);
    let (from, to) = (from?, to?);
    if to.value < from || to.value > 28 {
        ld.error(
            ProblemCode::OutOfRange,
            to.span,
            &to.path,
            format!(
                "`{}` is `{}`; it must lie from `from_day` to 28",
                to.path, to.value
            ),
        );
        return None;
    }
    Some((from, to.value, c))
}

/// Reads how many months away exclude an agent from assessment; stated
/// here and in the attendance section too, both must say one number, or
/// an edit to one place goes unseen.
fn read_exclusion(mut b: Table<'_, '_>, ld: &mut Loader, policy: &Policy) -> Option<Decimal> {
    let over: Option<Located<Decimal>> = b.req(ld, "absent_months_over");
    b.finish(ld);
    let over = over?;
    let stated = policy.attendance().and_then(|a| a.months_away_limit());
    if let Some((months, elsewhere)) = stated
        && over.value != Decimal::from(months)
    {
        let elsewhere = elsewhere.id().to_owned();
        ld.error(
            ProblemCode::Conflict,
            over.span.clone(),
            &over.path,
            format!(
                "`{}` is {} but `{elsewhere}.max_months_away` is {months}: both state the limit",
                over.path, over.value
            ),
        )
        .help("state the same number of months in both places, or leave one of them out");
    }
    Some(over.value)
}

impl Awards {
    /// Reads whose rank decides a prize, what a tie gets (both choices the
    /// policy must state) and the prize of each rank.
    fn read(b: &mut Table<'_, '_>, ld: &mut Loader, c: ClauseRef) -> Option<Self> {
        let among: Option<Among> = b.stated(
            ld,
            "among",
            "state whose rank decides a prize: `among = \"eligible\"` (only agents without a complaint or irregularity are ranked) or `among = \"all\"`",
        );
        let ties: Option<Ties> = b.stated(
            ld,
            "ties",
            "state what a tie for a prize gets: `ties = \"shared\"` or `ties = \"none_awarded\"`",
        );
        let mut prizes = Vec::new();
        for mut r in b.tables(ld, "prizes") {
            let pc = ld.clause_under(&mut r, Some(c));
            let rank: Option<u32> = r.req_in(ld, "rank", 1..=u32::MAX);
            let a = amount(&mut r, ld, "amount");
            r.finish(ld);
            if let (Some(rank), Some(a)) = (rank, a) {
                prizes.push((rank, a, pc));
            }
        }
        Some(Self {
            among: among?,
            ties: ties?,
            prizes,
        })
    }
}

impl Streak {
    /// Reads one streak: the condition, its length in months, and what it
    /// earns (a reward or an action, one of the two) and how often.
    fn read(mut s: Table<'_, '_>, ld: &mut Loader, plan: ClauseRef) -> Option<Self> {
        let clause = ld.clause_under(&mut s, Some(plan));
        let when = read_condition(&mut s, ld);
        let months: Option<u32> = s.req_in(ld, "months", 1..=120);
        let outcome = read_outcome(&mut s, ld);
        let repeat = match (outcome, s.node("repeat")) {
            (_, Some(n)) => n.read(ld),
            (Some(Outcome::Reward(_)), None) => {
                s.unstated(ld, "repeat").help("state whether the reward is paid `repeat = \"once_per_run\"` or again `repeat = \"every_run\"`");
                None
            }
            _ => Some(Repeat::OncePerRun),
        };
        s.finish(ld);
        Some(Self {
            clause,
            when: when?,
            months: months?,
            outcome: outcome?,
            repeat: repeat?,
        })
    }
}

/// What a streak earns: `reward` or `action`, one of the two.
fn read_outcome(s: &mut Table<'_, '_>, ld: &mut Loader) -> Option<Outcome> {
    match (s.node("reward"), s.node("action")) {
        (Some(r), None) => r
            .amount(ld)
            .map(|a| Outcome::Reward(money::check_worst_month(ld, &r, a, Charged::Monthly))),
        (None, Some(a)) => a.read::<ActionWord>(ld).map(|w| {
            Outcome::Action(match w {
                ActionWord::Dismissal => ActionKind::Dismissal,
                ActionWord::DeemedResignation => ActionKind::DeemedResignation,
            })
        }),
        (Some(r), Some(_)) => {
            ld.error(
                ProblemCode::Conflict,
                r.span(),
                &r.path(),
                format!("`{}` gives both `reward` and `action`", s.path()),
            );
            None
        }
        (None, None) => {
            s.missing(ld, "reward")
                .help("a streak earns `reward = \"200\"` or `action = \"dismissal\"`");
            None
        }
    }
}

impl Levels {
    /// Reads the star levels: which level is paid and how a score promotes
    /// (choices the policy must state), the levels from the lowest up, the
    /// starting level and the demotions.
    fn read(t: &mut Table<'_, '_>, ld: &mut Loader, clause: ClauseRef) -> Option<Self> {
        let start: Option<Located<String>> = t.req(ld, "start");
        let pay_by: Option<PayBy> = t.stated(
            ld,
            "pay_by",
            "state which level is paid: `pay_by = \"held_level\"` or `pay_by = \"month_score\"`",
        );
        let promotion: Option<Promotion> = t.stated(
            ld,
            "promotion",
            "state how a score promotes: `promotion = \"to_score_level\"`, `\"one_step\"` or `\"none\"`",
        );
        let quarter_blocks_promotion = t.opt_or(ld, "quarter_blocks_promotion", false);
        let list = read_levels(t, ld, clause);
        let start = start.and_then(|s| find_level(&list, ld, &s));
        let demotions = t
            .tables(ld, "demotions")
            .into_iter()
            .filter_map(|d| read_demotion(d, ld, clause, &list))
            .collect();
        Some(Self {
            start: start?,
            pay_by: pay_by?,
            promotion: promotion?,
            quarter_blocks_promotion,
            list,
            demotions,
        })
    }

    /// The reference to the level at `place`.
    fn reference(&self, place: u8) -> LevelRef {
        self.list
            .get(usize::from(place))
            .map(Level::reference)
            .unwrap_or_default()
    }
}

/// Reads the levels, from the lowest to the highest: each level's score
/// may not fall below the one before.
fn read_levels(t: &mut Table<'_, '_>, ld: &mut Loader, clause: ClauseRef) -> Vec<Level> {
    let mut list: Vec<Level> = Vec::new();
    let mut last_min: Option<Decimal> = None;
    for (id, mut l) in t.ids(ld, "levels") {
        let lc = ld.clause_under(&mut l, Some(clause));
        let min: Option<Located<Decimal>> = l.opt(ld, "min_score");
        if let Some(m) = &min {
            if last_min.is_some_and(|p| m.value < p) {
                ld.error(
                    ProblemCode::OutOfOrder,
                    m.span.clone(),
                    &m.path,
                    format!(
                        "level `{}` needs a lower score than the level below it",
                        id.value
                    ),
                )
                .help("list levels from the lowest to the highest");
            }
            last_min = Some(m.value);
        }
        let pay = |l: &mut Table<'_, '_>, ld: &mut Loader, key| {
            money::opt_charged(l, ld, key, Charged::Monthly).unwrap_or_default()
        };
        let level = Level {
            reference: LevelRef::new(&id.value, list.len(), ld.clauses.tag()),
            clause: lc,
            min_score: min.map(|m| m.value),
            base: amount(&mut l, ld, "base").unwrap_or_default(),
            assessed_pay: pay(&mut l, ld, "assessed_pay"),
            star_bonus: pay(&mut l, ld, "star_bonus"),
            full_attendance: pay(&mut l, ld, "full_attendance"),
            commission: l.opt_or(ld, "commission", false),
        };
        l.finish(ld);
        list.push(level);
    }
    list
}

/// The place of the level a key names, which the plan must define.
fn find_level(list: &[Level], ld: &mut Loader, name: &Located<String>) -> Option<u8> {
    let i = list.iter().position(|l| l.id() == name.value);
    if i.is_none() {
        let known: Vec<&str> = list.iter().map(Level::id).collect();
        ld.error(
            ProblemCode::UndefinedReference,
            name.span.clone(),
            &name.path,
            format!(
                "`{}` names level `{}`, which is not defined",
                name.path, name.value
            ),
        )
        .help(format!("defined levels: `{}`", known.join("`, `")));
    }
    i.and_then(|i| u8::try_from(i).ok())
}

/// Reads one demotion: the levels it applies from, its condition and the
/// level it moves to.
fn read_demotion(
    mut d: Table<'_, '_>,
    ld: &mut Loader,
    clause: ClauseRef,
    list: &[Level],
) -> Option<Demotion> {
    let dc = ld.clause_under(&mut d, Some(clause));
    let from: Option<Located<Vec<String>>> = d.req(ld, "from");
    let when = read_condition(&mut d, ld);
    let to: Option<Located<String>> = d.req(ld, "to");
    d.finish(ld);
    let from: Option<Vec<u8>> = from.and_then(|f| {
        let mut out = Vec::new();
        for (i, name) in f.value.iter().enumerate() {
            let located = Located {
                value: name.clone(),
                span: f.span.clone(),
                path: format!("{}[{i}]", f.path),
            };
            out.push(find_level(list, ld, &located)?);
        }
        Some(out)
    });
    let to = to.and_then(|t| find_level(list, ld, &t));
    Some(Demotion {
        clause: dc,
        from: from?,
        when: when?,
        to: to?,
    })
}

impl Level {
    /// The level's id.
    pub fn id(&self) -> &str {
        self.reference.id()
    }

    /// A reference to the level, as statements and level moves carry it.
    pub fn reference(&self) -> LevelRef {
        self.reference
    }

    /// The level's clause.
    pub fn clause(&self) -> ClauseRef {
        self.clause
    }

    /// The score that reaches the level (promotion, and pay by month score).
    pub fn min_score(&self) -> Option<Decimal> {
        self.min_score
    }

    /// The level's base pay.
    pub fn base(&self) -> Decimal {
        self.base
    }
}

impl Plan {
    /// Whether the plan pays a full-attendance bonus itself: then
    /// the monthly statement leaves the attendance section's bonus to it.
    pub(crate) fn pays_full_attendance(&self) -> bool {
        self.full_attendance.is_some()
            || self
                .levels
                .as_ref()
                .is_some_and(|l| l.list.iter().any(|v| !v.full_attendance.is_zero()))
    }
}

// ---------------------------------------------------------------- facts

/// The facts of one agent's month, as the other modules and the CRM give
/// them. Attendance, leave and discipline results come in as counts, flags
/// and ready-made lines (see [`MonthInputs`]).
///
/// ```
/// use cs_policy::pay::AgentMonth;
/// let facts = AgentMonth { agent: "A01".into(), plan: "after_sales".into(), year: 2026, month: 3, ..Default::default() };
/// assert!(facts.history.is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AgentMonth {
    /// The agent's id, for error messages.
    pub agent: String,
    /// The pay plan's id.
    pub plan: String,
    /// The year of the month assessed.
    pub year: i32,
    /// The month assessed, 1 to 12.
    pub month: u32,
    /// The agent's post, for base pay by post.
    pub post: Option<String>,
    /// The star level the agent holds this month; `None` is the
    /// plan's starting level.
    pub level: Option<String>,
    /// The assessor's scorecard facts.
    pub card: CardFacts,
    /// Counts, flags and amounts of the month.
    pub inputs: MonthInputs,
    /// The months before, oldest first, the last being the previous month
    /// (demotions and streaks look back).
    pub history: Vec<PastMonth>,
}

/// What the other modules decided about the month, as plain facts.
///
/// After the attendance, leave and discipline modules are merged, their
/// results fill these fields: `attendance` and `full_attendance` from the
/// attendance month, `complaints` and `irregularities` from the discipline
/// month, and their amount lines go in `extra_lines`.
///
/// ```
/// use cs_policy::pay::MonthInputs;
/// let inputs: MonthInputs = serde_json::from_str(r#"{ "full_attendance": true, "commission": "250.00", "complaints": 1 }"#).unwrap();
/// assert_eq!(inputs.commission.to_string(), "250.00");
/// assert_eq!(inputs.attendance.late, 0);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MonthInputs {
    /// Lates, early leaves, leaves and absences (for a card's attendance item).
    pub attendance: AttendanceCounts,
    /// Whether the month had full attendance.
    pub full_attendance: bool,
    /// Valid complaints (award eligibility, demotions).
    pub complaints: u32,
    /// Service irregularities (award eligibility).
    pub irregularities: u32,
    /// Personal commission.
    pub commission: Decimal,
    /// Shared commission.
    pub shared_commission: Decimal,
    /// Years of service (for seniority pay).
    pub seniority_years: u32,
    /// Losses the agent's own errors caused, each at its actual amount.
    pub losses: Vec<Decimal>,
    /// Months absent within the assessment period.
    pub months_absent: Decimal,
    /// Lines other modules computed (attendance deductions, fines), added to
    /// the statement as they are, rounded as the policy says. Not read from
    /// scenario files: other modules produce them.
    #[serde(skip)]
    pub extra_lines: Vec<StatementLine>,
}

/// One earlier month of an agent.
///
/// ```
/// use cs_policy::pay::PastMonth;
/// let march: PastMonth = serde_json::from_str(r#"{ "score": "68", "rank": 9, "demoted": true }"#).unwrap();
/// assert_eq!(march.rank, Some(9));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PastMonth {
    /// The month's score; `None` when the agent was not assessed (which
    /// breaks every streak).
    pub score: Option<Decimal>,
    /// The month's rank in the team, if ranked.
    pub rank: Option<u32>,
    /// Whether the month's assessment demoted the agent (the quarter rule).
    pub demoted: bool,
}

// ---------------------------------------------------------------- results

/// What a statement line is.
///
/// ```
/// use cs_policy::pay::LineKind;
/// assert_eq!(serde_json::to_string(&LineKind::KpiBonus).unwrap(), r#""kpi_bonus""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LineKind {
    /// Base pay or post wage by post.
    Base,
    /// The KPI bonus.
    KpiBonus,
    /// The share of performance pay.
    PerformancePay,
    /// A star level's base pay.
    LevelBase,
    /// A star level's assessed pay.
    AssessedPay,
    /// A star bonus.
    StarBonus,
    /// The full-attendance bonus.
    FullAttendance,
    /// Personal commission.
    Commission,
    /// Shared commission.
    SharedCommission,
    /// Seniority pay.
    Seniority,
    /// A loss charged at its actual amount.
    Loss,
    /// A monthly award.
    Award,
    /// A streak reward.
    StreakReward,
    /// An attendance deduction (from the attendance module).
    Attendance,
    /// A fine (from the discipline module).
    Fine,
    /// Anything else another module adds.
    Other,
}

impl LineKind {
    /// The kind in one word, as statements show it.
    ///
    /// ```
    /// assert_eq!(cs_policy::pay::LineKind::KpiBonus.word(), "kpi_bonus");
    /// ```
    pub fn word(self) -> &'static str {
        match self {
            Self::Base => "base",
            Self::KpiBonus => "kpi_bonus",
            Self::PerformancePay => "performance_pay",
            Self::LevelBase => "level_base",
            Self::AssessedPay => "assessed_pay",
            Self::StarBonus => "star_bonus",
            Self::FullAttendance => "full_attendance",
            Self::Commission => "commission",
            Self::SharedCommission => "shared_commission",
            Self::Seniority => "seniority",
            Self::Loss => "loss",
            Self::Award => "award",
            Self::StreakReward => "streak_reward",
            Self::Attendance => "attendance",
            Self::Fine => "fine",
            Self::Other => "other",
        }
    }
}

/// Why a line or action came about: typed detail beside its clause.
///
/// ```
/// use cs_policy::pay::Because;
/// let json = serde_json::to_string(&Because::Award { rank: 1 }).unwrap();
/// assert_eq!(json, r#"{"award":{"rank":1}}"#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Because {
    /// The agent's post.
    Post {
        /// The post paid, by its id.
        post: PostRef,
    },
    /// The KPI bonus: pool × score ÷ total.
    Score {
        /// The score.
        score: Decimal,
        /// The card's total.
        total: Decimal,
        /// The pool.
        pool: Decimal,
    },
    /// The grade failed, so the bonus is nothing.
    Failed {
        /// The score.
        score: Decimal,
        /// The score in percent of the total.
        percent: Decimal,
    },
    /// The agent was not assessed this month.
    NotAssessed {
        /// Months absent.
        months_absent: Decimal,
    },
    /// A grade's share of performance pay.
    Share {
        /// The share in percent.
        share: Decimal,
        /// The full performance pay.
        full: Decimal,
        /// The clause that states the full amount (the line itself cites
        /// the band that set the share).
        full_clause: ClauseRef,
    },
    /// The star level paid.
    Level {
        /// The level paid, by its id.
        level: LevelRef,
    },
    /// An amount the facts give (commission).
    Given,
    /// Seniority pay per year.
    Seniority {
        /// Years of service.
        years: u32,
    },
    /// A loss, by its place in the facts (a loss has no id of its own).
    Loss {
        /// Its place in [`MonthInputs::losses`], from 0.
        index: u16,
    },
    /// A prize-winning rank.
    Award {
        /// The rank that won.
        rank: u32,
    },
    /// A streak that reached its length.
    Streak {
        /// Months in the run.
        months: u32,
    },
    /// A condition of the month held (a demotion).
    Condition {
        /// The condition.
        condition: Condition,
    },
    /// A score that reached a higher level (a promotion).
    Reached {
        /// The score.
        score: Decimal,
    },
    /// A demotion earlier in the quarter blocks promotion.
    DemotedThisQuarter,
}

impl Because {
    /// The scales of the amounts it holds, in order. With `==`, which
    /// takes `50` and `50.0` as one amount, whether two reasons are written
    /// alike.
    #[cfg_attr(not(feature = "jsonl"), allow(dead_code))]
    pub(crate) fn scales(&self) -> [u32; 3] {
        match *self {
            Self::Score { score, total, pool } => [score.scale(), total.scale(), pool.scale()],
            Self::Failed { score, percent } => [score.scale(), percent.scale(), 0],
            Self::NotAssessed { months_absent } => [months_absent.scale(), 0, 0],
            Self::Share { share, full, .. } => [share.scale(), full.scale(), 0],
            Self::Reached { score } => [score.scale(), 0, 0],
            Self::Condition {
                condition: Condition::ScoreBelow(score),
            } => [score.scale(), 0, 0],
            Self::Condition { .. }
            | Self::Post { .. }
            | Self::Level { .. }
            | Self::Given
            | Self::Seniority { .. }
            | Self::Loss { .. }
            | Self::Award { .. }
            | Self::Streak { .. }
            | Self::DemotedThisQuarter => [0; 3],
        }
    }
}

/// One line of a monthly statement.
///
/// ```
/// use cs_policy::Policy;
/// use cs_policy::pay::{Because, LineKind, StatementLine};
/// // A line another module computed, to pass in `MonthInputs::extra_lines`.
/// let policy = Policy::example("shop")?;
/// let fine = StatementLine {
///     kind: LineKind::Fine,
///     amount: "-50".parse().unwrap(),
///     clause: policy.clause_by_id("funds.activity").unwrap(),
///     because: Because::Given,
/// };
/// assert_eq!(fine.amount.to_string(), "-50");
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatementLine {
    /// What the line is.
    pub kind: LineKind,
    /// The amount, signed (deductions negative), rounded as the policy says.
    pub amount: Decimal,
    /// The plan's clause that set the amount: a post's base, a band, a level.
    pub clause: ClauseRef,
    /// The month's fact the clause was applied to.
    pub because: Because,
}

/// A level move or an assessment left out: what the plan does besides pay.
///
/// ```
/// use cs_policy::pay::ActionKind;
/// let trial = cs_policy::pay::LevelRef::from_id("trial");
/// let json = serde_json::to_string(&ActionKind::Demotion { to: trial }).unwrap();
/// assert_eq!(json, r#"{"demotion":{"to":"trial"}}"#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ActionKind {
    /// Not assessed this period.
    NotAssessed,
    /// Moves down to this level next month.
    Demotion {
        /// The level, by its id.
        to: LevelRef,
    },
    /// Moves up to this level next month.
    Promotion {
        /// The level, by its id.
        to: LevelRef,
    },
    /// A promotion the score earned is blocked (the quarter rule).
    PromotionBlocked {
        /// The level it would have reached, by its id.
        to: LevelRef,
    },
    /// Dismissal.
    Dismissal,
    /// Deemed to have resigned.
    DeemedResignation,
}

/// An action of the month, with its clause.
///
/// ```
/// use cs_policy::Policy;
/// use cs_policy::kpi::{CardFacts, ItemFact, ItemValue};
/// use cs_policy::pay::{ActionKind, AgentMonth};
/// let policy = Policy::example("call-centre")?;
/// let facts = AgentMonth {
///     plan: "assessment_system".into(),
///     year: 2026,
///     month: 4,
///     post: Some("agent".into()),
///     inputs: cs_policy::pay::MonthInputs { months_absent: 3.into(), ..Default::default() },
///     ..Default::default()
/// };
/// let statement = policy.agent_month(&facts).unwrap();
/// assert_eq!(statement.actions[0].kind, ActionKind::NotAssessed);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// What happens.
    pub kind: ActionKind,
    /// The clause that decided it.
    pub clause: ClauseRef,
    /// Why.
    pub because: Because,
}

/// One agent's month: lines whose total is their sum, plus actions.
///
/// Every line is rounded as the policy says ([`Statement::decimals`],
/// [`Statement::rounding`]); the total is the exact sum of the rounded
/// lines, so it balances to the fen.
///
/// ```
/// use cs_policy::Policy;
/// use cs_policy::kpi::{CardFacts, ItemFact, ItemValue};
/// use cs_policy::pay::AgentMonth;
/// let policy = Policy::example("property")?;
/// let facts = AgentMonth {
///     plan: "front_desk".into(),
///     year: 2026,
///     month: 3,
///     card: CardFacts { items: vec![ItemFact { item: "assessment".into(), value: ItemValue::Points(98.into()) }], adjustments: vec![] },
///     ..Default::default()
/// };
/// let statement = policy.agent_month(&facts).unwrap();
/// assert_eq!(statement.total.to_string(), "1000.00");
/// assert_eq!(statement.decimals, 2);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    /// Whether the agent was assessed (months away can exclude).
    pub assessed: bool,
    /// The card scored, if assessed.
    pub score: Option<CardScore>,
    /// The rank in the team, when computed by [`Policy::team_month`].
    pub rank: Option<u32>,
    /// The level held this month, by its id.
    pub level: Option<LevelRef>,
    /// The level for next month, by its id.
    pub next_level: Option<LevelRef>,
    /// The pay lines.
    pub lines: Vec<StatementLine>,
    /// The actions.
    pub actions: Vec<Action>,
    /// The sum of the lines.
    pub total: Decimal,
    /// Decimal places every line is rounded to.
    pub decimals: u32,
    /// How every line is rounded.
    pub rounding: RoundingMode,
}

/// A whole team's month: one statement per agent, in input order.
///
/// ```
/// let policy = cs_policy::Policy::example("call-centre")?;
/// let month = policy.team_month(&[]).unwrap();
/// assert!(month.statements.is_empty());
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamMonth {
    /// The statements, in the order the agents were given.
    pub statements: Vec<Statement>,
}

/// The days of the assessment (the 5th to the 10th of the next month).
///
/// ```
/// let policy = cs_policy::Policy::example("call-centre")?;
/// let window = policy.assessment_window("assessment_system", 2026, 3).unwrap().unwrap();
/// assert_eq!(window.first.to_string(), "2026-04-05");
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssessmentWindow {
    /// The first day.
    pub first: NaiveDate,
    /// The last day (inclusive).
    pub last: NaiveDate,
    /// The clause.
    pub clause: ClauseRef,
}

/// Why a statement could not be built: a fact the policy cannot take.
///
/// ```
/// use cs_policy::pay::{AgentMonth, PayError};
/// let policy = cs_policy::Policy::example("shop")?;
/// let facts = AgentMonth { agent: "A1".into(), plan: "after_sales".into(), year: 2026, month: 0, ..Default::default() };
/// assert!(matches!(policy.agent_month(&facts), Err(PayError::BadMonth { month: 0, .. })));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PayError {
    /// The policy has no `[pay]` section.
    #[error("the policy has no `[pay]` section; add plans under `[pay.plans.<id>]`")]
    NoSection,
    /// No plan has that id.
    #[error("agent `{agent}`: no pay plan is named `{plan}`; the policy defines: {known}")]
    UnknownPlan {
        /// The agent.
        agent: String,
        /// The plan named.
        plan: String,
        /// The plans that exist.
        known: String,
    },
    /// The post is missing or not one the plan pays.
    #[error(
        "agent `{agent}`: post `{post}` has no base pay in plan `{plan}`; give one of: {known}"
    )]
    UnknownPost {
        /// The agent.
        agent: String,
        /// The post given (empty when missing).
        post: String,
        /// The plan.
        plan: String,
        /// The posts that exist.
        known: String,
    },
    /// The level is missing or not one the plan defines.
    #[error(
        "agent `{agent}`: level `{level}` is not defined in plan `{plan}`; give one of: {known}"
    )]
    UnknownLevel {
        /// The agent.
        agent: String,
        /// The level given (empty when missing).
        level: String,
        /// The plan.
        plan: String,
        /// The levels that exist.
        known: String,
    },
    /// A month outside 1 to 12, or a date that cannot be formed.
    #[error("agent `{agent}`: month `{year}-{month}` does not exist; months run from 1 to 12")]
    BadMonth {
        /// The agent.
        agent: String,
        /// The year.
        year: i32,
        /// The month.
        month: u32,
    },
    /// A negative amount where only a positive one makes sense.
    #[error(
        "agent `{agent}`: `{what}` is `{amount}`, which is negative; give it as a positive amount"
    )]
    Negative {
        /// The agent.
        agent: String,
        /// The fact.
        what: &'static str,
        /// The amount.
        amount: Decimal,
    },
    /// An amount given that the plan does not pay or charge.
    #[error(
        "agent `{agent}`: plan `{plan}` has no `{what}`, so the amount `{amount}` cannot be paid; leave it out or add `[pay.plans.{plan}.{what}]`"
    )]
    NotInPlan {
        /// The agent.
        agent: String,
        /// The plan.
        plan: String,
        /// The part missing.
        what: &'static str,
        /// The amount given.
        amount: Decimal,
    },
    /// The card's facts are bad.
    #[error("agent `{agent}`: {error}")]
    Card {
        /// The agent.
        agent: String,
        /// What is wrong.
        #[source]
        error: KpiError,
    },
    /// An amount too large to compute (see [`Overflow`]).
    #[error("agent `{agent}`: {error}; check the amounts for a typing mistake")]
    Overflow {
        /// The agent.
        agent: String,
        /// What overflowed, with its values.
        #[source]
        error: Overflow,
    },
}

// ---------------------------------------------------------------- evaluation

/// The team's view of one agent: their rank within their plan and the
/// rank that decides a prize, found by [`Policy::rank`] from every
/// agent's [`Standing`].
///
/// ```
/// let unranked = cs_policy::pay::Ranked::default();
/// assert_eq!(unranked.rank(), None);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ranked {
    pub(crate) rank: Option<u32>,
    /// The rank that decides a prize, and whether it is shared.
    pub(crate) award_rank: Option<(u32, bool)>,
}

impl Ranked {
    /// The rank within the plan, for a scored agent.
    pub fn rank(&self) -> Option<u32> {
        self.rank
    }
}

/// What ranking needs of one agent: the plan (by position), the
/// score, and whether they may win a prize. Small and `Copy`, so that a
/// team of any size is ranked from these alone.
///
/// ```
/// use cs_policy::{Policy, Scenario};
/// let policy = Policy::example("call-centre")?;
/// let month = Scenario::from_toml_str("c.toml", include_str!("../policies/call-centre.scenario.toml"))?;
/// let m = policy.month(month.header())?;
/// let (record, numbers) = &month.records()?[0];
/// let standing = policy.evaluate(&m, record, numbers)?.standing();
/// assert!(standing.is_some_and(|s| s.score().is_some()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub(crate) plan: u32,
    pub(crate) score: Option<Decimal>,
    pub(crate) eligible: bool,
}

impl Standing {
    /// The score the agent is ranked by, if they were scored.
    pub fn score(&self) -> Option<Decimal> {
        self.score
    }
}

/// How many agents of each plan have each score, and how many of them may
/// win a prize: all that ranking needs, in memory that grows with the
/// scores given rather than with the team.
#[derive(Debug, Default)]
pub(crate) struct Scores {
    /// (agents, agents who may win a prize) by plan, then score from the
    /// highest.
    counts: BTreeMap<(u32, Reverse<Decimal>), (u32, u32)>,
}

impl Scores {
    /// Counts an agent in, if they were scored.
    pub(crate) fn see(&mut self, standing: Standing) {
        let Some(score) = standing.score else {
            return;
        };
        let count = self
            .counts
            .entry((standing.plan, Reverse(score)))
            .or_default();
        count.0 = count.0.saturating_add(1);
        if standing.eligible {
            count.1 = count.1.saturating_add(1);
        }
    }
}

/// The rank each score gives in its plan, for an agent who may win a
/// prize and for one who may not.
#[derive(Debug, Default)]
pub(crate) struct Ranks {
    at: BTreeMap<(u32, Reverse<Decimal>), (Ranked, Ranked)>,
}

impl Ranks {
    /// The rank of an agent with this standing.
    pub(crate) fn of(&self, standing: Option<Standing>) -> Ranked {
        let Some((standing, score)) = standing.and_then(|s| Some((s, s.score?))) else {
            return Ranked::default();
        };
        self.at.get(&(standing.plan, Reverse(score))).map_or_else(
            Ranked::default,
            |&(eligible, not)| {
                if standing.eligible { eligible } else { not }
            },
        )
    }
}

/// The lines of a statement as they are built.
struct Lines {
    list: Vec<StatementLine>,
    rounding: money::Rounding,
}

impl Lines {
    /// A line rounded as the policy says and written with its decimal
    /// places (700.00).
    fn push(&mut self, kind: LineKind, amount: Decimal, clause: ClauseRef, because: Because) {
        let mut amount = self.rounding.round(amount);
        amount.rescale(self.rounding.decimals());
        self.list.push(StatementLine {
            kind,
            amount,
            clause,
            because,
        });
    }
}

struct Ctx<'a> {
    policy: &'a Policy,
    plan: &'a Plan,
    card: Option<&'a Scorecard>,
    facts: &'a AgentMonth,
    /// The card's facts and the history, apart from `facts` so that the
    /// monthly statement can lend its own without copying them.
    card_facts: &'a CardFacts,
    history: &'a [PastMonth],
}

impl Ctx<'_> {
    fn overflow(&self, error: Overflow) -> PayError {
        PayError::Overflow {
            agent: self.facts.agent.clone(),
            error,
        }
    }
}

impl Policy {
    /// The `[pay]` section, if the policy has one.
    ///
    /// ```
    /// assert!(cs_policy::Policy::example("shop")?.pay().is_some());
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn pay(&self) -> Option<&PayRules> {
        self.pay.as_ref()
    }

    /// One agent's month without the team: scorecard, pay lines, level moves
    /// and streaks. Ranks (and so awards and rank streaks) need the team:
    /// use [`Policy::team_month`] for them.
    ///
    /// ```
    /// use cs_policy::Policy;
    /// use cs_policy::kpi::{CardFacts, ItemFact, ItemValue};
    /// use cs_policy::pay::AgentMonth;
    ///
    /// let policy = Policy::example("property")?;
    /// let facts = AgentMonth {
    ///     agent: "F01".into(),
    ///     plan: "front_desk".into(),
    ///     year: 2026,
    ///     month: 3,
    ///     card: CardFacts {
    ///         items: vec![ItemFact { item: "assessment".into(), value: ItemValue::Points(88.into()) }],
    ///         adjustments: vec![],
    ///     },
    ///     ..Default::default()
    /// };
    /// let statement = policy.agent_month(&facts).unwrap();
    /// // 86–90 earns 80% of the performance pay.
    /// assert_eq!(statement.total.to_string(), "800.00");
    /// assert_eq!(statement.total, statement.lines.iter().map(|l| l.amount).sum());
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn agent_month(&self, facts: &AgentMonth) -> Result<Statement, PayError> {
        self.agent_month_lent(facts, &facts.card, &facts.history)
    }

    /// [`Policy::agent_month`] with the card's facts and the history lent
    /// apart from `facts` (whose own are then ignored).
    pub(crate) fn agent_month_lent(
        &self,
        facts: &AgentMonth,
        card_facts: &CardFacts,
        history: &[PastMonth],
    ) -> Result<Statement, PayError> {
        let ctx = self.ctx(facts, card_facts, history)?;
        let score = ctx.score()?;
        ctx.statement(score, Ranked::default())
    }

    /// A whole team's month in one call: every agent scored, ranked within
    /// their plan by score (equal scores share a rank: 1, 1, 3), awards
    /// given, then each agent's statement built.
    ///
    /// ```
    /// use cs_policy::Policy;
    /// use cs_policy::kpi::{CardFacts, ItemFact, ItemValue};
    /// use cs_policy::pay::AgentMonth;
    ///
    /// let policy = Policy::example("call-centre")?;
    /// let agent = |id: &str, points: i64| AgentMonth {
    ///     agent: id.into(),
    ///     plan: "star_levels".into(),
    ///     year: 2026,
    ///     month: 3,
    ///     level: Some("ordinary".into()),
    ///     card: CardFacts {
    ///         items: ["service", "knowledge", "discipline", "teamwork"]
    ///             .iter()
    ///             .map(|i| ItemFact { item: (*i).into(), value: ItemValue::Points((points / 4).into()) })
    ///             .collect(),
    ///         adjustments: vec![],
    ///     },
    ///     ..Default::default()
    /// };
    /// let team = policy.team_month(&[agent("A", 84), agent("B", 92), agent("C", 88)]).unwrap();
    /// let ranks: Vec<_> = team.statements.iter().map(|s| s.rank.unwrap()).collect();
    /// assert_eq!(ranks, [3, 1, 2]);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn team_month(&self, agents: &[AgentMonth]) -> Result<TeamMonth, PayError> {
        self.team_month_lent(agents.iter().map(|f| (f, &f.card, f.history.as_slice())))
    }

    /// [`Policy::team_month`] with each agent's card facts and history lent
    /// apart from their month's facts.
    pub(crate) fn team_month_lent<'a>(
        &'a self,
        agents: impl ExactSizeIterator<Item = (&'a AgentMonth, &'a CardFacts, &'a [PastMonth])>,
    ) -> Result<TeamMonth, PayError> {
        let mut prepared = Vec::with_capacity(agents.len());
        for (facts, card_facts, history) in agents {
            let ctx = self.ctx(facts, card_facts, history)?;
            let score = ctx.score()?;
            prepared.push((ctx, score));
        }
        let standings: Vec<Option<Standing>> = prepared
            .iter()
            .map(|(ctx, score)| {
                Some(Standing {
                    plan: self.plan_index(ctx.plan),
                    score: score.as_ref().map(|s| s.score),
                    eligible: eligible_for_awards(ctx),
                })
            })
            .collect();
        let ranked = self.rank_team(&standings);
        let mut statements = Vec::with_capacity(prepared.len());
        for ((ctx, score), r) in prepared.into_iter().zip(ranked) {
            statements.push(ctx.statement(score, r)?);
        }
        Ok(TeamMonth { statements })
    }

    /// One agent's month with its plan and scorecard found.
    fn ctx<'a>(
        &'a self,
        facts: &'a AgentMonth,
        card_facts: &'a CardFacts,
        history: &'a [PastMonth],
    ) -> Result<Ctx<'a>, PayError> {
        let (plan, card) = self.plan_for(facts)?;
        Ok(Ctx {
            policy: self,
            plan,
            card,
            facts,
            card_facts,
            history,
        })
    }

    /// Where `plan` stands among the policy's plans.
    fn plan_index(&self, plan: &Plan) -> u32 {
        self.pay().map_or(0, |pay| {
            let i = pay
                .plans
                .iter()
                .position(|q| std::ptr::eq(q, plan))
                .unwrap_or(0);
            u32::try_from(i).unwrap_or(u32::MAX)
        })
    }

    /// One agent's score and standing, before the team is ranked: the first
    /// half of [`Policy::team_month`] for one agent.
    pub(crate) fn month_standing(
        &self,
        facts: &AgentMonth,
        card_facts: &CardFacts,
        history: &[PastMonth],
    ) -> Result<(Option<CardScore>, Standing), PayError> {
        let ctx = self.ctx(facts, card_facts, history)?;
        let score = ctx.score()?;
        let standing = Standing {
            plan: self.plan_index(ctx.plan),
            score: score.as_ref().map(|s| s.score),
            eligible: eligible_for_awards(&ctx),
        };
        Ok((score, standing))
    }

    /// One agent's pay statement once the team is ranked: the second half
    /// of [`Policy::team_month`].
    pub(crate) fn ranked_month(
        &self,
        facts: &AgentMonth,
        card_facts: &CardFacts,
        history: &[PastMonth],
        score: Option<CardScore>,
        ranked: Ranked,
    ) -> Result<Statement, PayError> {
        let ctx = self.ctx(facts, card_facts, history)?;
        ctx.statement(score, ranked)
    }

    /// Ranks within each plan by score (equal scores share a rank: 1, 1,
    /// 3) and gives the ranks that win prizes, from one compact
    /// standing per agent, in their order.
    pub(crate) fn rank_team(&self, standings: &[Option<Standing>]) -> Vec<Ranked> {
        let mut scores = Scores::default();
        standings.iter().flatten().for_each(|&s| scores.see(s));
        let ranks = self.ranks(&scores);
        standings.iter().map(|&s| ranks.of(s)).collect()
    }

    /// Whether two ranks give an agent on plan `plan` (by position) the
    /// same statement but for the rank it states: the same prize, and
    /// first place for both or neither where a streak counts first places.
    #[cfg_attr(not(feature = "jsonl"), allow(dead_code))]
    pub(crate) fn same_pay(&self, plan: u32, a: Ranked, b: Ranked) -> bool {
        let Some(plan) = self.plan_at(plan) else {
            return true;
        };
        let prize = |r: Ranked| {
            plan.awards
                .as_ref()
                .and_then(|awards| awards.won(r).next().map(|p| p.0))
        };
        let first = plan
            .streaks
            .iter()
            .any(|s| s.when == Condition::RankedFirst);
        prize(a) == prize(b) && (!first || ranked_first(a.rank) == ranked_first(b.rank))
    }

    fn plan_at(&self, plan: u32) -> Option<&Plan> {
        self.pay()?.plans.get(usize::try_from(plan).ok()?)
    }

    /// What a rank decides of each plan's pay, by position.
    #[cfg_attr(not(feature = "jsonl"), allow(dead_code))]
    pub(crate) fn rank_stakes(&self) -> Vec<Stakes> {
        let plans = self.pay().map_or(&[][..], |p| &p.plans);
        plans
            .iter()
            .map(|plan| Stakes {
                prizes: plan.awards.as_ref().map(|a| {
                    let deepest = a.prizes.iter().map(|p| p.0).max().unwrap_or(0);
                    (deepest, a.among == Among::Eligible)
                }),
                first: plan
                    .streaks
                    .iter()
                    .any(|s| s.when == Condition::RankedFirst),
            })
            .collect()
    }

    /// The rank each of `scores` gives in its plan: 1 + the number of
    /// strictly higher scores, equal scores sharing a rank; and the rank
    /// that decides a prize, among every agent or the eligible only.
    pub(crate) fn ranks(&self, scores: &Scores) -> Ranks {
        let plans = self.pay().map(|p| p.plans.as_slice()).unwrap_or_default();
        let mut ranks = Ranks::default();
        // The plan, and how many of its agents score higher: all, and
        // those who may win a prize.
        let mut above = (u32::MAX, 0u32, 0u32);
        for (&(plan, score), &(size, eligible_size)) in &scores.counts {
            if above.0 != plan {
                above = (plan, 0, 0);
            }
            let (_, all_above, eligible_above) = above;
            above = (
                plan,
                all_above.saturating_add(size),
                eligible_above.saturating_add(eligible_size),
            );
            let Some(plan_at) = usize::try_from(plan).ok().and_then(|i| plans.get(i)) else {
                continue;
            };
            let rank = all_above.saturating_add(1);
            let award = plan_at.awards.as_ref().map(|a| match a.among {
                Among::Eligible => (eligible_above.saturating_add(1), eligible_size > 1),
                Among::All => (rank, size > 1),
            });
            let ranked = |award_rank| Ranked {
                rank: Some(rank),
                award_rank,
            };
            ranks
                .at
                .insert((plan, score), (ranked(award), ranked(None)));
        }
        ranks
    }

    /// The assessment window of a month under a plan (K14: the 5th to the
    /// 10th of the following month).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let policy = cs_policy::Policy::example("call-centre")?;
    /// let w = policy.assessment_window("assessment_system", 2026, 12).unwrap().unwrap();
    /// assert_eq!((w.first, w.last), (NaiveDate::from_ymd_opt(2027, 1, 5).unwrap(), NaiveDate::from_ymd_opt(2027, 1, 10).unwrap()));
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn assessment_window(
        &self,
        plan: &str,
        year: i32,
        month: u32,
    ) -> Result<Option<AssessmentWindow>, PayError> {
        let facts = AgentMonth {
            plan: plan.to_owned(),
            year,
            month,
            ..AgentMonth::default()
        };
        let (plan, _) = self.plan_for(&facts)?;
        let Some((from, to, clause)) = plan.window else {
            return Ok(None);
        };
        let bad = || PayError::BadMonth {
            agent: String::new(),
            year,
            month,
        };
        let (ny, nm) = if month == 12 {
            (year.checked_add(1).ok_or_else(bad)?, 1)
        } else {
            (year, month + 1)
        };
        let first = NaiveDate::from_ymd_opt(ny, nm, from).ok_or_else(bad)?;
        let last = NaiveDate::from_ymd_opt(ny, nm, to).ok_or_else(bad)?;
        Ok(Some(AssessmentWindow {
            first,
            last,
            clause,
        }))
    }

    fn plan_for(&self, facts: &AgentMonth) -> Result<(&Plan, Option<&Scorecard>), PayError> {
        let pay = self.pay().ok_or(PayError::NoSection)?;
        let plan = pay.plan(&facts.plan).ok_or_else(|| PayError::UnknownPlan {
            agent: facts.agent.clone(),
            plan: facts.plan.clone(),
            known: pay
                .plans
                .iter()
                .map(|p| &*p.id)
                .collect::<Vec<_>>()
                .join(", "),
        })?;
        if !(1..=12).contains(&facts.month) {
            return Err(PayError::BadMonth {
                agent: facts.agent.clone(),
                year: facts.year,
                month: facts.month,
            });
        }
        let card = plan.card.and_then(|r| self.kpi().and_then(|k| k.card(r)));
        Ok((plan, card))
    }
}

/// Whether an agent may win a prize: no complaint, no irregularity.
fn eligible_for_awards(ctx: &Ctx<'_>) -> bool {
    ctx.facts.inputs.complaints == 0 && ctx.facts.inputs.irregularities == 0
}

impl Awards {
    /// The prizes a rank wins (K10): none for a shared rank where ties win
    /// nothing.
    fn won(&self, ranked: Ranked) -> impl Iterator<Item = &(u32, Decimal, ClauseRef)> {
        let rank = ranked
            .award_rank
            .filter(|&(_, tied)| !(tied && self.ties == Ties::NoneAwarded))
            .map(|(rank, _)| rank);
        self.prizes.iter().filter(move |p| Some(p.0) == rank)
    }
}

/// What a rank decides of one plan's pay.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Stakes {
    /// The plan's prizes, if it has any: the lowest rank one goes to, and
    /// whether they are ranked among the eligible only.
    pub(crate) prizes: Option<(u32, bool)>,
    /// Whether a streak counts first places.
    pub(crate) first: bool,
}

/// The one condition a month's rank decides for a streak: first place.
fn ranked_first(rank: Option<u32>) -> bool {
    rank == Some(1)
}

impl Ctx<'_> {
    fn excluded(&self) -> Option<(Decimal, ClauseRef)> {
        self.plan
            .exclusion
            .filter(|(over, _)| self.facts.inputs.months_absent > *over)
    }

    fn score(&self) -> Result<Option<CardScore>, PayError> {
        if self.excluded().is_some() {
            return Ok(None);
        }
        match self.card {
            Some(card) => card
                .score(self.card_facts, &self.facts.inputs.attendance)
                .map(Some)
                .map_err(|error| PayError::Card {
                    agent: self.facts.agent.clone(),
                    error,
                }),
            None => Ok(None),
        }
    }

    /// One agent's statement, in the order the month's pay is stated: the
    /// facts checked, exclusion, base pay by post, the star level's pay,
    /// the KPI bonus, performance pay, commissions and seniority, losses,
    /// awards, streaks, the other modules' lines, then next month's level
    /// and the total.
    fn statement(&self, score: Option<CardScore>, ranked: Ranked) -> Result<Statement, PayError> {
        let inputs = &self.facts.inputs;
        self.check_amounts()?;
        let rounding = self.policy.rounding();
        let mut lines = Lines {
            list: Vec::with_capacity(8 + inputs.extra_lines.len()),
            rounding,
        };
        let mut actions: Vec<Action> = Vec::new();
        let excluded = self.excluded();
        if let Some((_, clause)) = excluded {
            actions.push(Action {
                kind: ActionKind::NotAssessed,
                clause,
                because: Because::NotAssessed {
                    months_absent: inputs.months_absent,
                },
            });
        }
        self.base_pay(&mut lines)?;
        let levels = self.plan.levels.as_ref();
        let held = levels.map(|l| self.held_level(l)).transpose()?;
        let commission_paid = match (levels, held) {
            (Some(levels), Some(held)) => self.level_pay(&mut lines, levels, held, score.as_ref()),
            _ => false,
        };
        self.kpi_bonus(&mut lines, score.as_ref(), excluded)?;
        self.performance_pay(&mut lines, score.as_ref(), excluded)?;
        self.commissions(&mut lines, commission_paid)?;
        self.losses(&mut lines)?;
        self.awards(&mut lines, ranked);
        if let Some(s) = &score {
            self.streaks(&mut lines, &mut actions, s, ranked.rank)?;
        }
        for extra in &inputs.extra_lines {
            lines.push(extra.kind, extra.amount, extra.clause, extra.because);
        }
        let next_level = match (levels, held, &score) {
            (Some(levels), Some(held), Some(s)) => {
                Some(self.move_level(levels, held, s, &mut actions)?)
            }
            _ => held,
        };
        let total = self.total(&lines.list)?;
        let reference = |place: Option<u8>| levels.zip(place).map(|(l, p)| l.reference(p));
        Ok(Statement {
            assessed: excluded.is_none(),
            score,
            rank: ranked.rank,
            level: reference(held),
            next_level: reference(next_level),
            lines: lines.list,
            actions,
            total,
            decimals: rounding.decimals(),
            rounding: rounding.mode(),
        })
    }

    /// Amounts the facts give that may not be negative.
    fn check_amounts(&self) -> Result<(), PayError> {
        let inputs = &self.facts.inputs;
        for (what, amount) in [
            ("commission", inputs.commission),
            ("shared_commission", inputs.shared_commission),
            ("months_absent", inputs.months_absent),
        ] {
            if amount.is_sign_negative() && !amount.is_zero() {
                return Err(PayError::Negative {
                    agent: self.facts.agent.clone(),
                    what,
                    amount,
                });
            }
        }
        Ok(())
    }

    /// Base pay by post: the agent's post must be one the plan
    /// pays.
    fn base_pay(&self, lines: &mut Lines) -> Result<(), PayError> {
        let Some((posts, clause)) = &self.plan.posts else {
            return Ok(());
        };
        let post = self.facts.post.as_deref().unwrap_or("");
        let found = posts
            .iter()
            .find(|p| p.id() == post)
            .ok_or_else(|| PayError::UnknownPost {
                agent: self.facts.agent.clone(),
                post: post.to_owned(),
                plan: self.plan.id.to_string(),
                known: posts.iter().map(Post::id).collect::<Vec<_>>().join(", "),
            })?;
        lines.push(
            LineKind::Base,
            found.amount,
            *clause,
            Because::Post {
                post: found.reference,
            },
        );
        Ok(())
    }

    /// The star level's pay (K9): the level held, or the one the month's
    /// score reaches when the plan pays by score; its base, assessed pay,
    /// commission, star bonus and full-attendance bonus. Whether it paid
    /// the commission.
    fn level_pay(
        &self,
        lines: &mut Lines,
        levels: &Levels,
        held: u8,
        score: Option<&CardScore>,
    ) -> bool {
        let inputs = &self.facts.inputs;
        let paid = match (levels.pay_by, score) {
            (PayBy::MonthScore, Some(s)) if held != levels.start => {
                reached(levels, s.score).unwrap_or(levels.start)
            }
            _ => held,
        };
        let Some(level) = levels.list.get(usize::from(paid)) else {
            return false;
        };
        let because = Because::Level {
            level: level.reference,
        };
        let c = level.clause;
        lines.push(LineKind::LevelBase, level.base, c, because);
        if !level.assessed_pay.is_zero() {
            lines.push(LineKind::AssessedPay, level.assessed_pay, c, because);
        }
        // A level without commission (trial) shows the commission earned
        // as unpaid, citing the level, rather than dropping it.
        if level.commission {
            lines.push(LineKind::Commission, inputs.commission, c, because);
        } else if !inputs.commission.is_zero() {
            lines.push(LineKind::Commission, Decimal::ZERO, c, because);
        }
        if !level.star_bonus.is_zero() {
            lines.push(LineKind::StarBonus, level.star_bonus, c, because);
        }
        if inputs.full_attendance && !level.full_attendance.is_zero() {
            lines.push(LineKind::FullAttendance, level.full_attendance, c, because);
        }
        true
    }

    /// The KPI bonus (K4): pool × score ÷ total, nothing when the grade
    /// fails (citing the band) or the agent was not assessed.
    fn kpi_bonus(
        &self,
        lines: &mut Lines,
        score: Option<&CardScore>,
        excluded: Option<(Decimal, ClauseRef)>,
    ) -> Result<(), PayError> {
        let Some((pool, clause)) = self.plan.kpi_bonus else {
            return Ok(());
        };
        match (score, excluded) {
            (Some(s), _) if s.passed() => {
                let amount = money::share(pool, s.score, s.total, "the kpi bonus pool")
                    .map_err(|e| self.overflow(e))?;
                let because = Because::Score {
                    score: s.score,
                    total: s.total,
                    pool,
                };
                lines.push(LineKind::KpiBonus, amount, clause, because);
            }
            (Some(s), _) => lines.push(
                LineKind::KpiBonus,
                Decimal::ZERO,
                s.grade.map_or(clause, |g| g.clause),
                Because::Failed {
                    score: s.score,
                    percent: s.percent,
                },
            ),
            (None, Some((_, ex))) => {
                lines.push(LineKind::KpiBonus, Decimal::ZERO, ex, self.not_assessed())
            }
            (None, None) => {}
        }
        Ok(())
    }

    /// The share of performance pay the grade's band states, citing
    /// the band; nothing when the agent was not assessed.
    fn performance_pay(
        &self,
        lines: &mut Lines,
        score: Option<&CardScore>,
        excluded: Option<(Decimal, ClauseRef)>,
    ) -> Result<(), PayError> {
        let Some((full, clause)) = self.plan.performance else {
            return Ok(());
        };
        match (score, excluded) {
            (Some(s), _) => {
                let share = s.grade.and_then(|g| g.pay_share).unwrap_or(Decimal::ZERO);
                let amount = money::percent_of(share, full, "the performance pay")
                    .map_err(|e| self.overflow(e))?;
                lines.push(
                    LineKind::PerformancePay,
                    amount,
                    s.grade.map_or(clause, |g| g.clause),
                    Because::Share {
                        share,
                        full,
                        full_clause: clause,
                    },
                );
            }
            (None, Some((_, ex))) => lines.push(
                LineKind::PerformancePay,
                Decimal::ZERO,
                ex,
                self.not_assessed(),
            ),
            (None, None) => {}
        }
        Ok(())
    }

    /// Why an agent not assessed earns nothing.
    fn not_assessed(&self) -> Because {
        Because::NotAssessed {
            months_absent: self.facts.inputs.months_absent,
        }
    }

    /// Commissions, seniority pay and the plan's full-attendance bonus
    /// (K15): an amount the plan does not pay is an error, not dropped.
    fn commissions(&self, lines: &mut Lines, level_paid_commission: bool) -> Result<(), PayError> {
        let inputs = &self.facts.inputs;
        match self.plan.commission {
            _ if level_paid_commission => {}
            Some(clause) => lines.push(
                LineKind::Commission,
                inputs.commission,
                clause,
                Because::Given,
            ),
            None if !inputs.commission.is_zero() => {
                return Err(self.not_in_plan("commission", inputs.commission));
            }
            None => {}
        }
        match self.plan.shared_commission {
            Some(clause) => lines.push(
                LineKind::SharedCommission,
                inputs.shared_commission,
                clause,
                Because::Given,
            ),
            None if !inputs.shared_commission.is_zero() => {
                return Err(self.not_in_plan("shared_commission", inputs.shared_commission));
            }
            None => {}
        }
        match self.plan.seniority {
            Some((per, clause)) => {
                let years = inputs.seniority_years;
                let amount = money::times(per, years.into(), "the seniority pay per year")
                    .map_err(|e| self.overflow(e))?;
                lines.push(
                    LineKind::Seniority,
                    amount,
                    clause,
                    Because::Seniority { years },
                );
            }
            None if inputs.seniority_years > 0 => {
                return Err(self.not_in_plan("seniority", Decimal::from(inputs.seniority_years)));
            }
            None => {}
        }
        if let Some((amount, clause)) = self.plan.full_attendance {
            if inputs.full_attendance {
                lines.push(LineKind::FullAttendance, amount, clause, Because::Given);
            }
        }
        Ok(())
    }

    /// Losses the agent caused, each charged at its actual amount (K16).
    fn losses(&self, lines: &mut Lines) -> Result<(), PayError> {
        for (i, loss) in self.facts.inputs.losses.iter().enumerate() {
            if loss.is_sign_negative() && !loss.is_zero() {
                return Err(PayError::Negative {
                    agent: self.facts.agent.clone(),
                    what: "losses",
                    amount: *loss,
                });
            }
            let Some(clause) = self.plan.loss else {
                return Err(self.not_in_plan("loss", *loss));
            };
            let because = Because::Loss { index: idx16(i) };
            lines.push(LineKind::Loss, -*loss, clause, because);
        }
        Ok(())
    }

    /// The prize of the rank the agent won, unless a shared rank earns none
    /// (see [`Awards::won`]).
    fn awards(&self, lines: &mut Lines, ranked: Ranked) {
        for &(rank, amount, clause) in self.plan.awards.iter().flat_map(|a| a.won(ranked)) {
            lines.push(LineKind::Award, amount, clause, Because::Award { rank });
        }
    }

    /// Each streak that reaches its length this month (K13, and the
    /// dismissal after two months under 70): a
    /// reward line or an action.
    fn streaks(
        &self,
        lines: &mut Lines,
        actions: &mut Vec<Action>,
        s: &CardScore,
        rank: Option<u32>,
    ) -> Result<(), PayError> {
        for streak in &self.plan.streaks {
            let run = self.run(streak.when, s, rank)?;
            let fires = match (streak.outcome, streak.repeat) {
                (Outcome::Action(_), _) => run >= streak.months,
                (Outcome::Reward(_), Repeat::OncePerRun) => run == streak.months,
                (Outcome::Reward(_), Repeat::EveryRun) => run > 0 && run % streak.months == 0,
            };
            if !fires {
                continue;
            }
            let because = Because::Streak { months: run };
            match streak.outcome {
                Outcome::Reward(amount) => {
                    lines.push(LineKind::StreakReward, amount, streak.clause, because)
                }
                Outcome::Action(kind) => actions.push(Action {
                    kind,
                    clause: streak.clause,
                    because,
                }),
            }
        }
        Ok(())
    }

    /// The sum of the lines, each within what a line may be.
    fn total(&self, lines: &[StatementLine]) -> Result<Decimal, PayError> {
        for l in lines {
            money::within_line(l.amount, l.kind.word()).map_err(|e| self.overflow(e))?;
        }
        money::total(lines.iter().map(|l| l.amount), "the pay lines").map_err(|e| self.overflow(e))
    }

    fn not_in_plan(&self, what: &'static str, amount: Decimal) -> PayError {
        PayError::NotInPlan {
            agent: self.facts.agent.clone(),
            plan: self.plan.id.to_string(),
            what,
            amount,
        }
    }

    fn held_level(&self, levels: &Levels) -> Result<u8, PayError> {
        let name = self.facts.level.as_deref();
        match name {
            None => Ok(levels.start),
            Some(name) => levels
                .list
                .iter()
                .position(|l| l.id() == name)
                .and_then(|i| u8::try_from(i).ok())
                .ok_or_else(|| PayError::UnknownLevel {
                    agent: self.facts.agent.clone(),
                    level: name.to_owned(),
                    plan: self.plan.id.to_string(),
                    known: levels
                        .list
                        .iter()
                        .map(Level::id)
                        .collect::<Vec<_>>()
                        .join(", "),
                }),
        }
    }

    /// Whether a condition holds in a month.
    fn holds(
        &self,
        when: Condition,
        score: Decimal,
        passed: bool,
        item_zero: bool,
        complaints: u32,
        rank: Option<u32>,
    ) -> bool {
        match when {
            Condition::ScoreBelow(line) => score < line,
            Condition::ComplaintsAtLeast(n) => complaints >= n,
            Condition::ItemZero => item_zero,
            Condition::Failed => !passed,
            Condition::RankedFirst => ranked_first(rank),
        }
    }

    /// The length of the run of months, this one included, where `when` holds.
    fn run(&self, when: Condition, s: &CardScore, rank: Option<u32>) -> Result<u32, PayError> {
        let inputs = &self.facts.inputs;
        if !self.holds(
            when,
            s.score,
            s.passed(),
            s.any_item_zero,
            inputs.complaints,
            rank,
        ) {
            return Ok(0);
        }
        let mut run = 1u32;
        for past in self.history.iter().rev() {
            let Some(score) = past.score else { break };
            let passed = match (when, self.card.and_then(Scorecard::bands)) {
                (Condition::Failed, Some(_)) => self
                    .card
                    .map(|c| c.grade_of(score))
                    .transpose()
                    .map_err(|error| PayError::Card {
                        agent: self.facts.agent.clone(),
                        error,
                    })?
                    .flatten()
                    .is_none_or(|g| g.pass),
                _ => true,
            };
            // Past months give no complaint count or item scores: only
            // score, grade and rank conditions look back.
            let holds = match when {
                Condition::ComplaintsAtLeast(_) | Condition::ItemZero => false,
                _ => self.holds(when, score, passed, false, 0, past.rank),
            };
            if !holds {
                break;
            }
            run = run.saturating_add(1);
        }
        Ok(run)
    }

    /// Next month's level (K11, K12): the most severe demotion that
    /// applies, else the promotion the score earns unless a demotion
    /// earlier in the quarter blocks it.
    fn move_level(
        &self,
        levels: &Levels,
        held: u8,
        s: &CardScore,
        actions: &mut Vec<Action>,
    ) -> Result<u8, PayError> {
        if let Some(d) = self.demotion(levels, held, s) {
            actions.push(Action {
                kind: ActionKind::Demotion {
                    to: levels.reference(d.to),
                },
                clause: d.clause,
                because: Because::Condition { condition: d.when },
            });
            return Ok(d.to);
        }
        let target = match levels.promotion {
            Promotion::None => None,
            Promotion::ToScoreLevel => reached(levels, s.score),
            Promotion::OneStep => reached(levels, s.score).map(|r| r.min(held.saturating_add(1))),
        };
        let Some(to) = target.filter(|t| *t > held) else {
            return Ok(held);
        };
        let level_clause = levels
            .list
            .get(usize::from(to))
            .map_or(self.plan.clause, |l| l.clause);
        let to_ref = levels.reference(to);
        if levels.quarter_blocks_promotion {
            // Months of this quarter before this one.
            let before = usize::try_from((self.facts.month - 1) % 3).unwrap_or(0);
            let demoted_this_quarter = self.history.iter().rev().take(before).any(|p| p.demoted);
            if demoted_this_quarter {
                actions.push(Action {
                    kind: ActionKind::PromotionBlocked { to: to_ref },
                    clause: level_clause,
                    because: Because::DemotedThisQuarter,
                });
                return Ok(held);
            }
        }
        actions.push(Action {
            kind: ActionKind::Promotion { to: to_ref },
            clause: level_clause,
            because: Because::Reached { score: s.score },
        });
        Ok(to)
    }

    /// The most severe demotion from the level held whose condition holds
    /// this month.
    fn demotion<'l>(&self, levels: &'l Levels, held: u8, s: &CardScore) -> Option<&'l Demotion> {
        let complaints = self.facts.inputs.complaints;
        let applies = |d: &&Demotion| {
            d.from.contains(&held)
                && d.to < held
                && self.holds(
                    d.when,
                    s.score,
                    s.passed(),
                    s.any_item_zero,
                    complaints,
                    None,
                )
        };
        // The first of the lowest targets, as the file lists them.
        levels.demotions.iter().filter(applies).fold(
            None,
            |best: Option<&Demotion>, d| match best {
                Some(b) if b.to <= d.to => Some(b),
                _ => Some(d),
            },
        )
    }
}

/// The highest level whose `min_score` the score reaches (levels without
/// one, such as the starting level, are never reached by score).
fn reached(levels: &Levels, score: Decimal) -> Option<u8> {
    levels
        .list
        .iter()
        .enumerate()
        .rev()
        .find(|(_, l)| l.min_score.is_some_and(|m| score >= m))
        .and_then(|(i, _)| u8::try_from(i).ok())
}

fn idx16(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}
