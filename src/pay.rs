//! Bonus formulas, pay lines and star levels across months (K4, K5, K9–K16, A10).
//!
//! The `[pay]` section of a policy file holds pay plans keyed by id. A plan
//! names the scorecard that assesses its agents and lists the parts of the
//! month's pay, each a table that is also the clause its lines cite:
//!
//! - `base`: base pay (or post wage) by post (K4: 2000 / 2500 / 3000; K15);
//! - `kpi_bonus`: pool × score ÷ total, nothing when the grade fails (K4);
//! - `performance`: a full performance pay times the grade's `pay_share` (K5);
//! - `commission`, `shared_commission`, `seniority`, `full_attendance` (K15, A6);
//! - `loss`: losses the agent caused, charged at their actual amount (K16);
//! - `star_levels`: pay by level and the level moves from month to month
//!   (K9, K11, K12);
//! - `awards`: prizes by monthly rank for agents without a complaint or a
//!   service irregularity (K10);
//! - `streaks`: runs of months that earn a reward or an action (K11, K13);
//! - `window`: the days of the next month the assessment is made (K14);
//! - `exclusion`: agents absent too long are not assessed (A10).
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

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::Policy;
use crate::explain::ClauseRef;
use crate::kpi::{AttendanceCounts, CardFacts, CardScore, KpiError, Scorecard};
use crate::money::{self, Charged, Overflow, RoundingMode};
use crate::policy::ProblemCode;
use crate::policy::read::{Choice, Loader, Located, Table};

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
    card: Option<usize>,
    posts: Option<(Posts, ClauseRef)>,
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
}

/// Posts and their base pay, in file order.
type Posts = Vec<(Box<str>, Decimal)>;

/// Which level's pay an agent gets in a month (a gap in K9: the pay table
/// names a score for each level, the demotion rules move levels monthly).
///
/// ```
/// use cs_policy::pay::PayBy;
/// assert_eq!(serde_json::to_string(&PayBy::HeldLevel).unwrap(), r#""held_level""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayBy {
    /// The level the agent holds this month.
    HeldLevel,
    /// The highest level whose `min_score` this month's score reaches
    /// (never for an agent on the starting level, who gets its pay).
    MonthScore,
}

impl Choice for PayBy {
    const WHAT: &'static str = "a way to choose the level paid";
    const CHOICES: &'static [(&'static str, Self)] = &[
        ("held_level", Self::HeldLevel),
        ("month_score", Self::MonthScore),
    ];
}

/// How a month's score promotes an agent (the sources state only demotions).
///
/// ```
/// use cs_policy::pay::Promotion;
/// assert_eq!(serde_json::to_string(&Promotion::ToScoreLevel).unwrap(), r#""to_score_level""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Promotion {
    /// To the highest level whose `min_score` the score reaches.
    ToScoreLevel,
    /// One level up when the score reaches the next level's `min_score`.
    OneStep,
    /// Never by score.
    None,
}

impl Choice for Promotion {
    const WHAT: &'static str = "a promotion rule";
    const CHOICES: &'static [(&'static str, Self)] = &[
        ("to_score_level", Self::ToScoreLevel),
        ("one_step", Self::OneStep),
        ("none", Self::None),
    ];
}

/// The star levels of a plan (K9) and their moves (K11, K12).
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
/// let one_star = plan.level(2).unwrap();
/// assert_eq!((one_star.id(), one_star.min_score()), ("one_star", Some(90.into())));
/// assert_eq!(one_star.base().to_string(), "1100");
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Level {
    id: Box<str>,
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
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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

#[derive(Debug, Clone)]
struct Demotion {
    clause: ClauseRef,
    from: Vec<u8>,
    when: Condition,
    to: u8,
}

/// Whose rank decides an award (K10 says only agents without a complaint
/// or irregularity enter the selection).
///
/// ```
/// use cs_policy::pay::Among;
/// assert_eq!(serde_json::to_string(&Among::Eligible).unwrap(), r#""eligible""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Among {
    /// Ranks are counted among eligible agents only.
    Eligible,
    /// Ranks are counted among all assessed agents; an ineligible agent's
    /// prize is not passed on.
    All,
}

impl Choice for Among {
    const WHAT: &'static str = "a ranking population";
    const CHOICES: &'static [(&'static str, Self)] =
        &[("eligible", Self::Eligible), ("all", Self::All)];
}

/// What a tie for a prize-winning rank gets (a gap in K10 and K13).
///
/// ```
/// use cs_policy::pay::Ties;
/// assert_eq!(serde_json::to_string(&Ties::Shared).unwrap(), r#""shared""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ties {
    /// Equal scores share the rank (1, 1, 3) and each gets its prize.
    Shared,
    /// A rank shared by several agents earns no prize.
    NoneAwarded,
}

impl Choice for Ties {
    const WHAT: &'static str = "a tie rule";
    const CHOICES: &'static [(&'static str, Self)] = &[
        ("shared", Self::Shared),
        ("none_awarded", Self::NoneAwarded),
    ];
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
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A one-off amount (K13: 200 after three months ranked first).
    Reward(Decimal),
    /// An action (K11: dismissal; K13: deemed resignation).
    Action(ActionKind),
}

/// When a reward streak pays again (a gap in K13's "one-off").
///
/// ```
/// use cs_policy::pay::Repeat;
/// assert_eq!(serde_json::to_string(&Repeat::OncePerRun).unwrap(), r#""once_per_run""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Repeat {
    /// Once per unbroken run, in the month it reaches its length.
    OncePerRun,
    /// Again every time the run grows by its length.
    EveryRun,
}

impl Choice for Repeat {
    const WHAT: &'static str = "a repeat rule";
    const CHOICES: &'static [(&'static str, Self)] = &[
        ("once_per_run", Self::OncePerRun),
        ("every_run", Self::EveryRun),
    ];
}

#[derive(Debug, Clone)]
struct Streak {
    clause: ClauseRef,
    when: Condition,
    months: u32,
    outcome: Outcome,
    repeat: Repeat,
}

#[derive(Clone, Copy)]
enum When {
    ScoreBelow,
    ComplaintsAtLeast,
    ItemZero,
    Failed,
    RankedFirst,
}

impl Choice for When {
    const WHAT: &'static str = "a condition";
    const CHOICES: &'static [(&'static str, Self)] = &[
        ("score_below", Self::ScoreBelow),
        ("complaints_at_least", Self::ComplaintsAtLeast),
        ("item_zero", Self::ItemZero),
        ("failed", Self::Failed),
        ("ranked_first", Self::RankedFirst),
    ];
}

#[derive(Clone, Copy)]
enum ActionWord {
    Dismissal,
    DeemedResignation,
}

impl Choice for ActionWord {
    const WHAT: &'static str = "an action";
    const CHOICES: &'static [(&'static str, Self)] = &[
        ("dismissal", Self::Dismissal),
        ("deemed_resignation", Self::DeemedResignation),
    ];
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

    /// The posts with a base pay, and their amounts (K4, K15).
    pub fn posts(&self) -> impl Iterator<Item = (&str, Decimal)> {
        self.posts
            .iter()
            .flat_map(|(p, _)| p.iter().map(|(n, a)| (&**n, *a)))
    }

    /// The star levels, from the lowest to the highest (K9).
    pub fn levels(&self) -> &[Level] {
        self.levels.as_ref().map_or(&[], |l| &l.list)
    }

    /// The level a level move points to.
    pub fn level(&self, index: u8) -> Option<&Level> {
        self.levels().get(usize::from(index))
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

    fn read(
        id: &Located<String>,
        t: &mut Table<'_, '_>,
        ld: &mut Loader,
        policy: &Policy,
        pay: ClauseRef,
    ) -> Self {
        let clause = ld.clause_under(t, Some(pay));
        let card_id: Option<Located<String>> = t.opt(ld, "scorecard");
        let card = card_id.as_ref().and_then(|c| {
            let found = policy.kpi().and_then(|k| k.card_index(&c.value));
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
        });
        let card_ref = card.and_then(|i| policy.kpi().and_then(|k| k.card_at(i)));
        let posts = part(t, ld, "base", clause).map(|(mut b, c)| {
            let mut list: Vec<(Box<str>, Decimal)> = Vec::new();
            for mut r in b.tables(ld, "posts") {
                let name: Option<Located<String>> = r.req(ld, "post");
                let amount = amount(&mut r, ld, "amount");
                r.allow("label");
                r.finish(ld);
                if let (Some(n), Some(a)) = (name, amount) {
                    if list.iter().any(|(x, _)| **x == *n.value) {
                        ld.error(
                            ProblemCode::Duplicate,
                            n.span,
                            &n.path,
                            format!("post `{}` is listed twice", n.value),
                        );
                    } else {
                        list.push((n.value.into_boxed_str(), a));
                    }
                }
            }
            if list.is_empty() {
                b.missing(ld, "posts")
                    .help("list each post: `posts = [{ post = \"agent\", amount = \"2000\" }]`");
            }
            b.finish(ld);
            (list, c)
        });
        let kpi_bonus = part(t, ld, "kpi_bonus", clause).and_then(|(mut b, c)| {
            let pool = amount(&mut b, ld, "pool");
            b.finish(ld);
            Some((pool?, c))
        });
        let performance = part(t, ld, "performance", clause).and_then(|(mut b, c)| {
            let full = amount(&mut b, ld, "full");
            let span = b.span.clone();
            let path = b.path().to_owned();
            b.finish(ld);
            // K5: every band must say what share of the pay it earns.
            if let Some(card) = card_ref {
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
            Some((full?, c))
        });
        let commission = part(t, ld, "commission", clause).map(|(b, c)| {
            b.finish(ld);
            c
        });
        let shared_commission = part(t, ld, "shared_commission", clause).map(|(b, c)| {
            b.finish(ld);
            c
        });
        let seniority = part(t, ld, "seniority", clause).and_then(|(mut b, c)| {
            let per = amount(&mut b, ld, "per_year");
            b.finish(ld);
            Some((per?, c))
        });
        let full_attendance = part(t, ld, "full_attendance", clause).and_then(|(mut b, c)| {
            let a = amount(&mut b, ld, "amount");
            b.finish(ld);
            Some((a?, c))
        });
        let loss = part(t, ld, "loss", clause).map(|(b, c)| {
            b.finish(ld);
            c
        });
        let levels = part(t, ld, "star_levels", clause).and_then(|(mut b, c)| {
            let levels = Levels::read(&mut b, ld, c);
            b.finish(ld);
            levels
        });
        let awards = part(t, ld, "awards", clause).and_then(|(mut b, c)| {
            let among = b.node("among");
            let among: Option<Among> = match among {
                Some(n) => n.read(ld),
                None => {
                    b.unstated(ld, "among").help("state whose rank decides a prize: `among = \"eligible\"` (only agents without a complaint or irregularity are ranked) or `among = \"all\"`");
                    None
                }
            };
            let ties = b.node("ties");
            let ties: Option<Ties> = match ties {
                Some(n) => n.read(ld),
                None => {
                    b.unstated(ld, "ties").help("state what a tie for a prize gets: `ties = \"shared\"` or `ties = \"none_awarded\"`");
                    None
                }
            };
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
            b.finish(ld);
            Some(Awards {
                among: among?,
                ties: ties?,
                prizes,
            })
        });
        let mut streaks = Vec::new();
        for mut s in t.tables(ld, "streaks") {
            let sc = ld.clause_under(&mut s, Some(clause));
            let when = read_condition(&mut s, ld);
            let months: Option<u32> = s.req_in(ld, "months", 1..=120);
            let reward = s.node("reward");
            let action = s.node("action");
            let outcome = match (reward, action) {
                (Some(r), None) => r.amount(ld).map(|a| {
                    Outcome::Reward(money::check_worst_month(ld, &r, a, Charged::Monthly))
                }),
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
            };
            let repeat = match (outcome, s.node("repeat")) {
                (_, Some(n)) => n.read(ld),
                (Some(Outcome::Reward(_)), None) => {
                    s.unstated(ld, "repeat").help("state whether the reward is paid `repeat = \"once_per_run\"` or again `repeat = \"every_run\"`");
                    None
                }
                _ => Some(Repeat::OncePerRun),
            };
            s.finish(ld);
            if let (Some(when), Some(months), Some(outcome), Some(repeat)) =
                (when, months, outcome, repeat)
            {
                streaks.push(Streak {
                    clause: sc,
                    when,
                    months,
                    outcome,
                    repeat,
                });
            }
        }
        let window = part(t, ld, "window", clause).and_then(|(mut b, c)| {
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
        });
        let exclusion = part(t, ld, "exclusion", clause).and_then(|(mut b, c)| {
            let over: Option<Located<Decimal>> = b.req(ld, "absent_months_over");
            b.finish(ld);
            let over = over?;
            // A10 may be stated here and in the attendance section; one rule
            // must say one number, or an edit to one place goes unseen.
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
                        "`{}` is {} but `{elsewhere}.max_months_away` is {months}: both state A10's limit",
                        over.path, over.value
                    ),
                )
                .help("state the same number of months in both places, or leave one of them out");
            }
            Some((over.value, c))
        });
        let needs_card = kpi_bonus.is_some()
            || performance.is_some()
            || levels.is_some()
            || awards.is_some()
            || !streaks.is_empty();
        if needs_card && card_id.is_none() {
            t.missing(ld, "scorecard")
                .help("name the scorecard that assesses the plan's agents: `scorecard = \"<id>\"`");
        }
        if let (Some(levels), Some(card)) = (&levels, card_ref) {
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
        Self {
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
        }
    }
}

impl Levels {
    fn read(t: &mut Table<'_, '_>, ld: &mut Loader, clause: ClauseRef) -> Option<Self> {
        let start: Option<Located<String>> = t.req(ld, "start");
        let pay_by: Option<PayBy> = match t.node("pay_by") {
            Some(n) => n.read(ld),
            None => {
                t.unstated(ld, "pay_by").help("state which level is paid: `pay_by = \"held_level\"` or `pay_by = \"month_score\"`");
                None
            }
        };
        let promotion: Option<Promotion> = match t.node("promotion") {
            Some(n) => n.read(ld),
            None => {
                t.unstated(ld, "promotion").help("state how a score promotes: `promotion = \"to_score_level\"`, `\"one_step\"` or `\"none\"`");
                None
            }
        };
        let quarter_blocks_promotion = t.opt_or(ld, "quarter_blocks_promotion", false);
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
            let level = Level {
                id: id.value.into_boxed_str(),
                clause: lc,
                min_score: min.map(|m| m.value),
                base: amount(&mut l, ld, "base").unwrap_or_default(),
                assessed_pay: money::opt_charged(&mut l, ld, "assessed_pay", Charged::Monthly)
                    .unwrap_or_default(),
                star_bonus: money::opt_charged(&mut l, ld, "star_bonus", Charged::Monthly)
                    .unwrap_or_default(),
                full_attendance: money::opt_charged(
                    &mut l,
                    ld,
                    "full_attendance",
                    Charged::Monthly,
                )
                .unwrap_or_default(),
                commission: l.opt_or(ld, "commission", false),
            };
            l.finish(ld);
            list.push(level);
        }
        let find = |ld: &mut Loader, name: &Located<String>| -> Option<u8> {
            let i = list.iter().position(|l| *l.id == *name.value);
            if i.is_none() {
                let known: Vec<&str> = list.iter().map(|l| &*l.id).collect();
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
        };
        let start = start.and_then(|s| find(ld, &s));
        let mut demotions = Vec::new();
        for mut d in t.tables(ld, "demotions") {
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
                    out.push(find(ld, &located)?);
                }
                Some(out)
            });
            let to = to.and_then(|t| find(ld, &t));
            if let (Some(from), Some(when), Some(to)) = (from, when, to) {
                demotions.push(Demotion {
                    clause: dc,
                    from,
                    when,
                    to,
                });
            }
        }
        Some(Self {
            start: start?,
            pay_by: pay_by?,
            promotion: promotion?,
            quarter_blocks_promotion,
            list,
            demotions,
        })
    }
}

impl Level {
    /// The level's id.
    pub fn id(&self) -> &str {
        &self.id
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
    /// Whether the plan pays a full-attendance bonus itself (K9, K15): then
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
    /// The agent's post, for base pay by post (K4, K15).
    pub post: Option<String>,
    /// The star level the agent holds this month (K9); `None` is the
    /// plan's starting level.
    pub level: Option<String>,
    /// The assessor's scorecard facts.
    pub card: CardFacts,
    /// Counts, flags and amounts of the month.
    pub inputs: MonthInputs,
    /// The months before, oldest first, the last being the previous month
    /// (K11, K12, K13 look back).
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
    /// Lates, early leaves, leaves and absences (A9's card item).
    pub attendance: AttendanceCounts,
    /// Whether the month had full attendance (A6; K9's 100).
    pub full_attendance: bool,
    /// Valid complaints (K10 eligibility, K11/K12 demotions).
    pub complaints: u32,
    /// Service irregularities (K10 eligibility).
    pub irregularities: u32,
    /// Personal commission (K9, K15).
    pub commission: Decimal,
    /// Shared commission (K15).
    pub shared_commission: Decimal,
    /// Years of service (K15's seniority pay).
    pub seniority_years: u32,
    /// Losses the agent's own errors caused, each at its actual amount (K16).
    pub losses: Vec<Decimal>,
    /// Months absent within the assessment period (A10).
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
#[serde(default)]
pub struct PastMonth {
    /// The month's score; `None` when the agent was not assessed (which
    /// breaks every streak).
    pub score: Option<Decimal>,
    /// The month's rank in the team, if ranked.
    pub rank: Option<u32>,
    /// Whether the month's assessment demoted the agent (K12's quarter rule).
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
pub enum LineKind {
    /// Base pay or post wage by post (K4, K15).
    Base,
    /// The KPI bonus (K4).
    KpiBonus,
    /// The share of performance pay (K5).
    PerformancePay,
    /// A star level's base pay (K9).
    LevelBase,
    /// A star level's assessed pay (K9).
    AssessedPay,
    /// A star bonus (K9).
    StarBonus,
    /// The full-attendance bonus (A6, K9).
    FullAttendance,
    /// Personal commission (K9, K15).
    Commission,
    /// Shared commission (K15).
    SharedCommission,
    /// Seniority pay (K15).
    Seniority,
    /// A loss charged at its actual amount (K16).
    Loss,
    /// A monthly award (K10).
    Award,
    /// A streak reward (K13).
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
pub enum Because {
    /// The agent's post, by index in the plan's posts.
    Post {
        /// Index into [`Plan::posts`].
        post: u16,
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
    /// The grade failed, so the bonus is nothing (K4).
    Failed {
        /// The score.
        score: Decimal,
        /// The score in percent of the total.
        percent: Decimal,
    },
    /// The agent was not assessed this month (A10).
    NotAssessed {
        /// Months absent.
        months_absent: Decimal,
    },
    /// A grade's share of performance pay (K5).
    Share {
        /// The share in percent.
        share: Decimal,
        /// The full performance pay.
        full: Decimal,
        /// The clause that states the full amount (the line itself cites
        /// the band that set the share).
        full_clause: ClauseRef,
    },
    /// The star level paid (K9).
    Level {
        /// Index into [`Plan::levels`].
        level: u8,
    },
    /// An amount the facts give (commission).
    Given,
    /// Seniority pay per year.
    Seniority {
        /// Years of service.
        years: u32,
    },
    /// A loss, by index in the facts.
    Loss {
        /// Index into [`MonthInputs::losses`].
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
    /// A demotion earlier in the quarter blocks promotion (K12).
    DemotedThisQuarter,
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
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct StatementLine {
    /// What the line is.
    pub kind: LineKind,
    /// The amount, signed (deductions negative), rounded as the policy says.
    pub amount: Decimal,
    /// The clause that decided it.
    pub clause: ClauseRef,
    /// Why.
    pub because: Because,
}

/// An action without an amount.
///
/// ```
/// use cs_policy::pay::ActionKind;
/// let json = serde_json::to_string(&ActionKind::Demotion { to: 0 }).unwrap();
/// assert_eq!(json, r#"{"demotion":{"to":0}}"#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// Not assessed this period (A10).
    NotAssessed,
    /// Moves down to the level with this index next month (K11, K12).
    Demotion {
        /// Index into [`Plan::levels`].
        to: u8,
    },
    /// Moves up to the level with this index next month.
    Promotion {
        /// Index into [`Plan::levels`].
        to: u8,
    },
    /// A promotion the score earned is blocked (K12's quarter rule).
    PromotionBlocked {
        /// The level it would have reached.
        to: u8,
    },
    /// Dismissal (K11).
    Dismissal,
    /// Deemed to have resigned (K13).
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
/// assert_eq!(statement.actions[0].kind, ActionKind::NotAssessed); // A10
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statement {
    /// Whether the agent was assessed (A10 can exclude).
    pub assessed: bool,
    /// The card scored, if assessed.
    pub score: Option<CardScore>,
    /// The rank in the team, when computed by [`Policy::team_month`].
    pub rank: Option<u32>,
    /// The level held this month, by index into [`Plan::levels`].
    pub level: Option<u8>,
    /// The level for next month.
    pub next_level: Option<u8>,
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
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamMonth {
    /// The statements, in the order the agents were given.
    pub statements: Vec<Statement>,
}

/// The days of the assessment (K14: the 5th to the 10th of the next month).
///
/// ```
/// let policy = cs_policy::Policy::example("call-centre")?;
/// let window = policy.assessment_window("assessment_system", 2026, 3).unwrap().unwrap();
/// assert_eq!(window.first.to_string(), "2026-04-05");
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
/// rank that decides a prize (K10), found by [`Policy::rank`] from every
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

/// What ranking needs of one agent (K10): the plan (by position), the
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

/// What ranking keeps of a scored agent: (plan, position, score, may win
/// a prize), 28 bytes, so a payroll of a million is ranked in a few tens
/// of megabytes.
pub(crate) type RankEntry = (u32, u32, Decimal, bool);

impl Standing {
    /// The score the agent is ranked by, if they were scored.
    pub fn score(&self) -> Option<Decimal> {
        self.score
    }

    /// The agent's entry for ranking, at position `i`, if they were scored.
    pub(crate) fn entry(&self, i: usize) -> Option<RankEntry> {
        Some((
            self.plan,
            u32::try_from(i).ok()?,
            self.score?,
            self.eligible,
        ))
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
    /// // K5: 86–90 earns 80% of the performance pay.
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
    /// given (K10), then each agent's statement built.
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
    /// 3) and gives the ranks that win prizes (K10), from one compact
    /// standing per agent, in their order.
    pub(crate) fn rank_team(&self, standings: &[Option<Standing>]) -> Vec<Ranked> {
        let order = standings
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.as_ref()?.entry(i))
            .collect();
        self.rank_entries(order, standings.len())
    }

    /// [`Policy::rank_team`] from the entries of the scored agents among
    /// `agents`.
    pub(crate) fn rank_entries(&self, mut order: Vec<RankEntry>, agents: usize) -> Vec<Ranked> {
        order.sort_by(|a, b| a.0.cmp(&b.0).then(b.2.cmp(&a.2)));
        let mut ranked = vec![Ranked::default(); agents];
        let plans = self.pay().map(|p| p.plans.as_slice()).unwrap_or_default();
        for group in order.chunk_by(|a, b| a.0 == b.0) {
            let Some(plan) = group
                .first()
                .and_then(|&(p, ..)| plans.get(usize::try_from(p).ok()?))
            else {
                continue;
            };
            rank_group(group, &mut ranked, plan.awards.as_ref());
        }
        ranked
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
        let card = plan
            .card
            .and_then(|i| self.kpi().and_then(|k| k.card_at(i)));
        Ok((plan, card))
    }
}

/// Whether an agent may win a prize (K10: no complaint, no irregularity).
fn eligible_for_awards(ctx: &Ctx<'_>) -> bool {
    ctx.facts.inputs.complaints == 0 && ctx.facts.inputs.irregularities == 0
}

/// Gives ranks within one plan's group, sorted by score descending.
fn rank_group(group: &[RankEntry], ranked: &mut [Ranked], awards: Option<&Awards>) {
    // Competition ranking: 1 + the number of strictly higher scores. Equal
    // scores are adjacent, so each run of them is one rank.
    let mut above = 0u32;
    let mut eligible_above = 0u32;
    for run in group.chunk_by(|a, b| a.2 == b.2) {
        let size = u32::try_from(run.len()).unwrap_or(u32::MAX);
        let eligible_size = u32::try_from(run.iter().filter(|r| r.3).count()).unwrap_or(u32::MAX);
        let rank = above.saturating_add(1);
        let award = awards.map(|a| match a.among {
            Among::Eligible => (eligible_above.saturating_add(1), eligible_size > 1),
            Among::All => (rank, size > 1),
        });
        for &(_, i, _, eligible) in run {
            if let Some(slot) = usize::try_from(i).ok().and_then(|i| ranked.get_mut(i)) {
                *slot = Ranked {
                    rank: Some(rank),
                    award_rank: award.filter(|_| eligible),
                };
            }
        }
        above = above.saturating_add(size);
        eligible_above = eligible_above.saturating_add(eligible_size);
    }
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

    fn statement(&self, score: Option<CardScore>, ranked: Ranked) -> Result<Statement, PayError> {
        let f = self.facts;
        let inputs = &f.inputs;
        let plan = self.plan;
        let rounding = self.policy.rounding();
        let mut lines: Vec<StatementLine> = Vec::with_capacity(8 + inputs.extra_lines.len());
        let mut actions: Vec<Action> = Vec::new();
        let decimals = rounding.decimals();
        let mut line = |kind, amount: Decimal, clause, because| {
            // Rounded, then written with the policy's decimal places (700.00).
            let mut amount = rounding.round(amount);
            amount.rescale(decimals);
            lines.push(StatementLine {
                kind,
                amount,
                clause,
                because,
            });
        };
        for (what, amount) in [
            ("commission", inputs.commission),
            ("shared_commission", inputs.shared_commission),
            ("months_absent", inputs.months_absent),
        ] {
            if amount.is_sign_negative() && !amount.is_zero() {
                return Err(PayError::Negative {
                    agent: f.agent.clone(),
                    what,
                    amount,
                });
            }
        }
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
        // Base pay by post (K4, K15).
        if let Some((posts, clause)) = &plan.posts {
            let post = f.post.as_deref().unwrap_or("");
            let i = posts
                .iter()
                .position(|(p, _)| **p == *post)
                .ok_or_else(|| PayError::UnknownPost {
                    agent: f.agent.clone(),
                    post: post.to_owned(),
                    plan: plan.id.to_string(),
                    known: posts
                        .iter()
                        .map(|(p, _)| &**p)
                        .collect::<Vec<_>>()
                        .join(", "),
                })?;
            let amount = posts.get(i).map_or(Decimal::ZERO, |p| p.1);
            line(
                LineKind::Base,
                amount,
                *clause,
                Because::Post { post: idx16(i) },
            );
        }
        // Star levels (K9).
        let mut commission_paid = false;
        let held = match &plan.levels {
            Some(levels) => Some(self.held_level(levels)?),
            None => None,
        };
        if let (Some(levels), Some(held)) = (&plan.levels, held) {
            let paid = match (levels.pay_by, &score) {
                (PayBy::MonthScore, Some(s)) if held != levels.start => {
                    reached(levels, s.score).unwrap_or(levels.start)
                }
                _ => held,
            };
            if let Some(level) = levels.list.get(usize::from(paid)) {
                let because = Because::Level { level: paid };
                let c = level.clause;
                line(LineKind::LevelBase, level.base, c, because);
                if !level.assessed_pay.is_zero() {
                    line(LineKind::AssessedPay, level.assessed_pay, c, because);
                }
                // A level without commission (trial) shows the commission
                // earned as unpaid, citing the level, rather than dropping it.
                commission_paid = true;
                if level.commission {
                    line(LineKind::Commission, inputs.commission, c, because);
                } else if !inputs.commission.is_zero() {
                    line(LineKind::Commission, Decimal::ZERO, c, because);
                }
                if !level.star_bonus.is_zero() {
                    line(LineKind::StarBonus, level.star_bonus, c, because);
                }
                if inputs.full_attendance && !level.full_attendance.is_zero() {
                    line(LineKind::FullAttendance, level.full_attendance, c, because);
                }
            }
        }
        // KPI bonus (K4): pool × score ÷ total, nothing when the grade fails.
        if let Some((pool, clause)) = plan.kpi_bonus {
            match (&score, excluded) {
                (Some(s), _) if s.passed() => {
                    let amount = money::share(pool, s.score, s.total, "the kpi bonus pool")
                        .map_err(|e| self.overflow(e))?;
                    line(
                        LineKind::KpiBonus,
                        amount,
                        clause,
                        Because::Score {
                            score: s.score,
                            total: s.total,
                            pool,
                        },
                    );
                }
                (Some(s), _) => line(
                    LineKind::KpiBonus,
                    Decimal::ZERO,
                    s.grade.map_or(clause, |g| g.clause),
                    Because::Failed {
                        score: s.score,
                        percent: s.percent,
                    },
                ),
                (None, Some((_, ex))) => line(
                    LineKind::KpiBonus,
                    Decimal::ZERO,
                    ex,
                    Because::NotAssessed {
                        months_absent: inputs.months_absent,
                    },
                ),
                (None, None) => {}
            }
        }
        // Share of performance pay by grade (K5).
        if let Some((full, clause)) = plan.performance {
            match (&score, excluded) {
                (Some(s), _) => {
                    let share = s.grade.and_then(|g| g.pay_share).unwrap_or(Decimal::ZERO);
                    let amount = money::percent_of(share, full, "the performance pay")
                        .map_err(|e| self.overflow(e))?;
                    line(
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
                (None, Some((_, ex))) => line(
                    LineKind::PerformancePay,
                    Decimal::ZERO,
                    ex,
                    Because::NotAssessed {
                        months_absent: inputs.months_absent,
                    },
                ),
                (None, None) => {}
            }
        }
        // K15: commissions and seniority.
        if let Some(clause) = plan.commission {
            if !commission_paid {
                commission_paid = true;
                line(
                    LineKind::Commission,
                    inputs.commission,
                    clause,
                    Because::Given,
                );
            }
        }
        if !commission_paid && !inputs.commission.is_zero() {
            return Err(self.not_in_plan("commission", inputs.commission));
        }
        match plan.shared_commission {
            Some(clause) => line(
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
        match plan.seniority {
            Some((per, clause)) => {
                let amount = money::times(
                    per,
                    inputs.seniority_years.into(),
                    "the seniority pay per year",
                )
                .map_err(|e| self.overflow(e))?;
                line(
                    LineKind::Seniority,
                    amount,
                    clause,
                    Because::Seniority {
                        years: inputs.seniority_years,
                    },
                );
            }
            None if inputs.seniority_years > 0 => {
                return Err(self.not_in_plan("seniority", Decimal::from(inputs.seniority_years)));
            }
            None => {}
        }
        if let Some((amount, clause)) = plan.full_attendance {
            if inputs.full_attendance {
                line(LineKind::FullAttendance, amount, clause, Because::Given);
            }
        }
        // K16: losses at their actual amount.
        for (i, loss) in inputs.losses.iter().enumerate() {
            if loss.is_sign_negative() && !loss.is_zero() {
                return Err(PayError::Negative {
                    agent: f.agent.clone(),
                    what: "losses",
                    amount: *loss,
                });
            }
            let Some(clause) = plan.loss else {
                return Err(self.not_in_plan("loss", *loss));
            };
            line(
                LineKind::Loss,
                -*loss,
                clause,
                Because::Loss { index: idx16(i) },
            );
        }
        // K10: awards by rank.
        if let (Some(awards), Some((rank, tied))) = (&plan.awards, ranked.award_rank) {
            if !(tied && awards.ties == Ties::NoneAwarded) {
                for (r, amount, clause) in &awards.prizes {
                    if *r == rank {
                        line(LineKind::Award, *amount, *clause, Because::Award { rank });
                    }
                }
            }
        }
        // Streaks (K11, K13).
        if let Some(s) = &score {
            for streak in &plan.streaks {
                let run = self.run(streak.when, s, ranked.rank)?;
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
                        line(LineKind::StreakReward, amount, streak.clause, because)
                    }
                    Outcome::Action(kind) => actions.push(Action {
                        kind,
                        clause: streak.clause,
                        because,
                    }),
                }
            }
        }
        for extra in &inputs.extra_lines {
            line(extra.kind, extra.amount, extra.clause, extra.because);
        }
        // Level moves for next month (K11, K12).
        let mut next_level = held;
        if let (Some(levels), Some(held), Some(s)) = (&plan.levels, held, &score) {
            next_level = Some(self.move_level(levels, held, s, &mut actions)?);
        }
        for l in &lines {
            money::within_line(l.amount, l.kind.word()).map_err(|e| self.overflow(e))?;
        }
        let total = money::total(lines.iter().map(|l| l.amount), "the pay lines")
            .map_err(|e| self.overflow(e))?;
        Ok(Statement {
            assessed: excluded.is_none(),
            score,
            rank: ranked.rank,
            level: held,
            next_level,
            lines,
            actions,
            total,
            decimals: rounding.decimals(),
            rounding: rounding.mode(),
        })
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
                .position(|l| *l.id == *name)
                .and_then(|i| u8::try_from(i).ok())
                .ok_or_else(|| PayError::UnknownLevel {
                    agent: self.facts.agent.clone(),
                    level: name.to_owned(),
                    plan: self.plan.id.to_string(),
                    known: levels
                        .list
                        .iter()
                        .map(|l| &*l.id)
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
            Condition::RankedFirst => rank == Some(1),
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

    fn move_level(
        &self,
        levels: &Levels,
        held: u8,
        s: &CardScore,
        actions: &mut Vec<Action>,
    ) -> Result<u8, PayError> {
        let complaints = self.facts.inputs.complaints;
        // The most severe demotion that applies wins.
        let mut demoted: Option<(u8, &Demotion)> = None;
        for d in &levels.demotions {
            if !d.from.contains(&held) || d.to >= held {
                continue;
            }
            if self.holds(
                d.when,
                s.score,
                s.passed(),
                s.any_item_zero,
                complaints,
                None,
            ) && demoted.is_none_or(|(to, _)| d.to < to)
            {
                demoted = Some((d.to, d));
            }
        }
        if let Some((to, d)) = demoted {
            actions.push(Action {
                kind: ActionKind::Demotion { to },
                clause: d.clause,
                because: Because::Condition { condition: d.when },
            });
            return Ok(to);
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
        if levels.quarter_blocks_promotion {
            // Months of this quarter before this one.
            let before = usize::try_from((self.facts.month - 1) % 3).unwrap_or(0);
            let demoted_this_quarter = self.history.iter().rev().take(before).any(|p| p.demoted);
            if demoted_this_quarter {
                actions.push(Action {
                    kind: ActionKind::PromotionBlocked { to },
                    clause: level_clause,
                    because: Because::DemotedThisQuarter,
                });
                return Ok(held);
            }
        }
        actions.push(Action {
            kind: ActionKind::Promotion { to },
            clause: level_clause,
            because: Because::Reached { score: s.score },
        });
        Ok(to)
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
