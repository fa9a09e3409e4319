//! KPI scorecards, weights and grade bands.
//!
//! The `[kpi]` section of a policy file holds scorecards keyed by id. A card
//! declares its `total` and lists items whose maxima must add up to it (a
//! 110-point template declared as 100 is rejected with `total-mismatch`).
//! Items are graded (excellent 20 / good 15 / fair 10 / poor 0), given
//! points, rated as a percentage of a weight, tiered on a metric or fed by
//! attendance counts. Deductions and additions per occurrence, fixed or
//! within a discretionary range, adjust the sum. Grade bands over the score
//! or its percentage are half-open ranges, or inclusive whole-number ranges
//! when the card says scores are whole numbers; validation rejects a gap or
//! an overlap over the score's whole domain, and [`Policy::band`] finds the
//! band of a score by binary search over the band edges.
//!
//! ```toml
//! [kpi.scorecards.after_sales]
//! total = 130
//! above_total = "cap"
//! below_zero = "floor"
//! [kpi.scorecards.after_sales.items.quality]
//! kind = "graded"
//! max = 20
//! grades = [{ grade = "excellent", points = 20 }, { grade = "good", points = 15 }]
//! [kpi.scorecards.after_sales.adjustments.praise]
//! kind = "addition"
//! points = 2
//! [kpi.scorecards.after_sales.bands]
//! over = "percent"
//! bounds = "half_open"
//! rows = [{ grade = "fail", to = 70, pass = false }, { grade = "pass", from = 70 }]
//! ```

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::Policy;
pub use crate::attendance::AttendanceCounts;
use crate::explain::{ClauseRef, PolicyTag, Ref};
use crate::money::{self, Overflow};
use crate::policy::ProblemCode;
use crate::policy::read::{Loader, Located, Node, Table, choices};

/// The `[kpi]` section of a policy: its scorecards.
///
/// ```
/// let policy = cs_policy::Policy::example("shop")?;
/// let kpi = policy.kpi().unwrap();
/// let card = kpi.scorecard("after_sales").unwrap();
/// assert_eq!(card.total().to_string(), "130");
/// assert_eq!(card.items().len(), 6);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone)]
pub struct KpiRules {
    clause: ClauseRef,
    cards: Vec<Scorecard>,
    /// The policy text that made the references.
    tag: PolicyTag,
}

/// A reference to one scorecard of a policy, written as the card's id:
/// what [`Policy::band`] takes, found once with [`Policy::scorecard_ref`].
///
/// ```
/// let policy = cs_policy::Policy::example("shop")?;
/// let card = policy.scorecard_ref("after_sales").unwrap();
/// assert_eq!(serde_json::to_string(&card)?, r#""after_sales""#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub type ScorecardRef = Ref<Scorecard>;

/// A reference to one grade band of a scorecard, written as its grade
/// (`fail`, `good`): what a [`GradeRef`] names its band by.
///
/// ```
/// let policy = cs_policy::Policy::example("property")?;
/// let card = policy.scorecard_ref("front_desk").unwrap();
/// let grade = policy.band(card, 93.into())?;
/// assert_eq!(grade.band.id(), "good");
/// assert_eq!(serde_json::to_string(&grade.band)?, r#""good""#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub type BandRef = Ref<Band>;

/// A reference to one grade of a graded item (`excellent`, `good`),
/// written as the grade's word: how an [`ItemDetail`] names the grade given.
pub type ItemGradeRef = Ref<ItemGrade>;

choices! {
    /// How often a card is assessed (the weighted property card quarterly, the
    /// others monthly).
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("call-centre")?;
    /// let k6 = policy.kpi().unwrap().scorecard("property_satisfaction").unwrap();
    /// assert_eq!(k6.period(), cs_policy::kpi::Period::Quarter);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum Period as "an assessment period" {
        /// Once a month.
        Month => "month",
        /// Once a quarter.
        Quarter => "quarter",
        /// Once a year.
        Year => "year",
    }
}

choices! {
    /// What happens to a sum of points above the card's total (additions can
    /// push it there): a choice the sources leave open.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let card = policy.kpi().unwrap().scorecard("after_sales").unwrap();
    /// assert_eq!(card.above_total(), cs_policy::kpi::AboveTotal::Cap);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum AboveTotal as "a choice for scores above the total" {
        /// The score is capped at the total.
        Cap => "cap",
        /// The score is kept as it is.
        Keep => "keep",
    }
}

choices! {
    /// What happens to a sum of points below zero (deductions can push it
    /// there): a choice the sources leave open.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let card = policy.kpi().unwrap().scorecard("after_sales").unwrap();
    /// assert_eq!(card.below_zero(), cs_policy::kpi::BelowZero::Floor);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum BelowZero as "a choice for scores below zero" {
        /// The score floors at zero.
        Floor => "floor",
        /// The score may be negative.
        Keep => "keep",
    }
}

choices! {
    /// What grade bands are drawn over.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let bands = policy.kpi().unwrap().scorecard("after_sales").unwrap().bands().unwrap();
    /// assert_eq!(bands.over(), cs_policy::kpi::Over::Percent); // 70% of 130
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum Over as "what bands are drawn over" {
        /// The score itself (98 points and above).
        Score => "score",
        /// The score as a percentage of the card's total (below 70%).
        Percent => "percent",
    }
}

choices! {
    /// How band rows state their bounds.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("property")?;
    /// let bands = policy.kpi().unwrap().scorecard("front_desk").unwrap().bands().unwrap();
    /// assert_eq!(bands.bounds(), cs_policy::kpi::Bounds::WholeNumbers); // 91–97
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum Bounds as "a kind of band bounds" {
        /// Rows give `from` (included) and `to` (excluded); any score fits.
        HalfOpen => "half_open",
        /// Rows give `min` and `max`, both included, and scores are whole
        /// numbers (91–97 as written); a fractional score is a bad fact.
        WholeNumbers => "whole_numbers",
    }
}

/// One scorecard (`[kpi.scorecards.<id>]`).
///
/// ```
/// let policy = cs_policy::Policy::example("call-centre")?;
/// let k7 = policy.kpi().unwrap().scorecard("property_template").unwrap();
/// let weights: Vec<String> = k7.items().iter().map(|i| i.max().to_string()).collect();
/// assert_eq!(weights, ["30", "30", "20", "20"]);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Scorecard {
    reference: ScorecardRef,
    clause: ClauseRef,
    total: Decimal,
    period: Period,
    above_total: AboveTotal,
    below_zero: BelowZero,
    items: Vec<Item>,
    adjustments: Vec<Adjustment>,
    bands: Option<Bands>,
    /// The scores the card can give: from `low` to `high` (both included),
    /// `None` unbounded (a deduction kept below zero, an addition kept
    /// above the total).
    domain: (Option<Decimal>, Option<Decimal>),
}

/// One item of a scorecard, with its maximum points.
///
/// ```
/// let policy = cs_policy::Policy::example("shop")?;
/// let card = policy.kpi().unwrap().scorecard("after_sales").unwrap();
/// let refund = &card.items()[1];
/// assert_eq!((refund.id(), refund.max().to_string()), ("refund_rate", "30".to_owned()));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Item {
    id: Box<str>,
    clause: ClauseRef,
    max: Decimal,
    kind: ItemKind,
}

/// How an item is scored.
///
/// ```
/// use cs_policy::kpi::ItemKind;
/// let policy = cs_policy::Policy::example("shop")?;
/// let card = policy.kpi().unwrap().scorecard("after_sales").unwrap();
/// assert!(matches!(card.items()[5].kind(), ItemKind::Attendance { floor_at_zero: true, .. }));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum ItemKind {
    /// A grade word gives fixed points.
    Graded {
        /// Each grade and its points, in file order.
        grades: Vec<ItemGrade>,
    },
    /// The assessor gives points from 0 to the maximum.
    Points,
    /// A weighted category: a rating from 0 to 100 (percent) earns that
    /// share of the item's maximum, its weight.
    Rated,
    /// A metric (such as a refund rate in percent) earns the points of the
    /// first tier whose `at_most` it does not exceed, else `otherwise`.
    Tiered {
        /// `(at_most, points)`, `at_most` strictly increasing.
        tiers: Vec<(Decimal, Decimal)>,
        /// Points when the metric exceeds every tier.
        otherwise: Decimal,
    },
    /// Attendance counts: full points less a deduction per late, early
    /// leave, leave and absence.
    Attendance {
        /// Points with nothing to deduct.
        full: Decimal,
        /// Deducted per late arrival.
        per_late: Decimal,
        /// Deducted per early leave.
        per_early_leave: Decimal,
        /// Deducted per leave.
        per_leave: Decimal,
        /// Deducted per absence.
        per_absence: Decimal,
        /// Whether the item stops at 0 (a gap the policy states).
        floor_at_zero: bool,
    },
}

choices! {
    /// Whether an adjustment takes points off or adds them.
    ///
    /// ```
    /// use cs_policy::kpi::Direction;
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let card = policy.kpi().unwrap().scorecard("after_sales").unwrap();
    /// assert_eq!(card.adjustments()[2].direction(), Direction::Addition); // praise +2
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum Direction as "an adjustment kind" {
        /// Takes points off (a low-quality review, a verified complaint).
        Deduction => "deduction",
        /// Adds points (a customer's praise, outstanding performance).
        Addition => "addition",
    }
}

/// A deduction or addition per occurrence.
///
/// ```
/// let policy = cs_policy::Policy::example("shop")?;
/// let card = policy.kpi().unwrap().scorecard("after_sales").unwrap();
/// let complaint = &card.adjustments()[1];
/// assert_eq!(complaint.id(), "complaint");
/// assert_eq!(complaint.range(), (5.into(), 20.into())); // −5 to −20
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Adjustment {
    id: Box<str>,
    clause: ClauseRef,
    direction: Direction,
    /// `(lo, hi)`: fixed when equal, else the assessor's choice within.
    range: (Decimal, Decimal),
}

/// What on a card can make its score a fraction, in the policy's words: a
/// rated (weighted) item, or points or an adjustment that are not whole.
fn fraction_source(items: &[Item], adjustments: &[Adjustment]) -> Option<String> {
    let whole = |d: &Decimal| d.fract().is_zero();
    for item in items {
        let fractional = match &item.kind {
            ItemKind::Rated => return Some(format!("rated item `{}`", item.id)),
            ItemKind::Points => false,
            ItemKind::Graded { grades } => grades.iter().any(|g| !whole(&g.points)),
            ItemKind::Tiered { tiers, otherwise } => {
                !whole(otherwise) || tiers.iter().any(|(_, p)| !whole(p))
            }
            ItemKind::Attendance {
                full,
                per_late,
                per_early_leave,
                per_leave,
                per_absence,
                ..
            } => [full, per_late, per_early_leave, per_leave, per_absence]
                .into_iter()
                .any(|d| !whole(d)),
        };
        if fractional {
            return Some(format!("item `{}`", item.id));
        }
    }
    adjustments
        .iter()
        .find(|a| !whole(&a.range.0) || !whole(&a.range.1))
        .map(|a| format!("adjustment `{}`", a.id))
}

/// The grade bands of a card.
///
/// ```
/// let policy = cs_policy::Policy::example("property")?;
/// let bands = policy.kpi().unwrap().scorecard("front_desk").unwrap().bands().unwrap();
/// let grades: Vec<&str> = bands.rows().iter().map(|b| b.grade()).collect();
/// assert_eq!(grades, ["fail", "basic_pass", "good", "excellent"]);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Bands {
    clause: ClauseRef,
    over: Over,
    bounds: Bounds,
    /// Sorted by lower bound; each covers `[from, to)`, `None` unbounded.
    rows: Vec<Band>,
    /// Where each row but the first starts, in points of the score (a
    /// percentage bound times the total), for the binary search.
    edges: Vec<Decimal>,
    /// Where the first row starts and the last ends, in points.
    ends: (Option<Decimal>, Option<Decimal>),
    /// The policy text that made the references.
    tag: PolicyTag,
}

/// One grade band.
///
/// ```
/// let policy = cs_policy::Policy::example("property")?;
/// let bands = policy.kpi().unwrap().scorecard("front_desk").unwrap().bands().unwrap();
/// let good = &bands.rows()[2];
/// // Written `min = 91, max = 97`: held as [91, 98).
/// assert_eq!((good.from(), good.to()), (Some(91.into()), Some(98.into())));
/// assert_eq!(good.pay_share(), Some(100.into()));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Band {
    reference: BandRef,
    clause: ClauseRef,
    from: Option<Decimal>,
    to: Option<Decimal>,
    pass: bool,
    pay_share: Option<Decimal>,
}

/// One grade of a graded item and the points it gives.
///
/// ```
/// use cs_policy::kpi::ItemKind;
/// let policy = cs_policy::Policy::example("shop")?;
/// let card = policy.kpi().unwrap().scorecard("after_sales").unwrap();
/// let ItemKind::Graded { grades } = card.items()[0].kind() else { unreachable!() };
/// let points: Vec<(&str, String)> = grades.iter().map(|g| (g.id(), g.points().to_string())).collect();
/// assert_eq!(points[0], ("excellent", "20".to_owned()));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone)]
pub struct ItemGrade {
    reference: ItemGradeRef,
    points: Decimal,
}

impl ItemGrade {
    /// The grade's word (`excellent`).
    pub fn id(&self) -> &str {
        self.reference.id()
    }

    /// A reference to the grade, as an [`ItemDetail`] carries it.
    pub fn reference(&self) -> ItemGradeRef {
        self.reference
    }

    /// The points the grade gives.
    pub fn points(&self) -> Decimal {
        self.points
    }
}

impl KpiRules {
    /// The clause of the `[kpi]` table itself.
    pub fn clause(&self) -> ClauseRef {
        self.clause
    }

    /// Every scorecard, in file order.
    pub fn scorecards(&self) -> &[Scorecard] {
        &self.cards
    }

    /// A scorecard by id.
    pub fn scorecard(&self, id: &str) -> Option<&Scorecard> {
        self.cards.iter().find(|c| c.id() == id)
    }

    /// A scorecard by reference: at once for one this policy made, by id
    /// for one read back, never for another policy's.
    pub fn card(&self, card: ScorecardRef) -> Option<&Scorecard> {
        card.find_in(&self.cards, self.tag, Scorecard::reference)
    }

    pub(crate) fn read(table: &mut Table<'_, '_>, ld: &mut Loader, _policy: &Policy) -> Self {
        let clause = ld.clause(table);
        let mut cards = Vec::new();
        for (id, mut t) in table.ids(ld, "scorecards") {
            let card = Scorecard::read(&id, &mut t, ld, clause, cards.len());
            t.finish(ld);
            cards.push(card);
        }
        Self {
            clause,
            cards,
            tag: ld.clauses.tag(),
        }
    }
}

/// Whether a card's adjustments and items can push its score above the
/// total or below zero, and what the card says happens then.
struct Reach {
    adds: bool,
    deducts: bool,
    above_total: AboveTotal,
    below_zero: BelowZero,
}

impl Scorecard {
    /// The card's id.
    pub fn id(&self) -> &str {
        self.reference.id()
    }

    /// A reference to the card, as [`Policy::band`] takes it.
    pub fn reference(&self) -> ScorecardRef {
        self.reference
    }

    /// The clause that defines the card.
    pub fn clause(&self) -> ClauseRef {
        self.clause
    }

    /// The declared total (130 for the shop's card, 100 for most others).
    pub fn total(&self) -> Decimal {
        self.total
    }

    /// How often the card is assessed.
    pub fn period(&self) -> Period {
        self.period
    }

    /// What happens above the total.
    pub fn above_total(&self) -> AboveTotal {
        self.above_total
    }

    /// What happens below zero.
    pub fn below_zero(&self) -> BelowZero {
        self.below_zero
    }

    /// The items, in file order.
    pub fn items(&self) -> &[Item] {
        &self.items
    }

    /// The deductions and additions, in file order.
    pub fn adjustments(&self) -> &[Adjustment] {
        &self.adjustments
    }

    /// The grade bands, if the card has them.
    pub fn bands(&self) -> Option<&Bands> {
        self.bands.as_ref()
    }

    /// Reads one card, to be kept at `place`: its total and period, items
    /// and adjustments, what happens past either end, and its bands.
    fn read(
        id: &Located<String>,
        t: &mut Table<'_, '_>,
        ld: &mut Loader,
        kpi: ClauseRef,
        place: usize,
    ) -> Self {
        let clause = ld.clause_under(t, Some(kpi));
        let total_node = t.req_node(ld, "total");
        let total = total_node
            .as_ref()
            .and_then(|n| positive(n, ld))
            .unwrap_or(Decimal::ONE_HUNDRED);
        let period = t.opt_or(ld, "period", Period::Month);
        let above_node = t.node("above_total");
        let below_node = t.node("below_zero");
        let above: Option<AboveTotal> = above_node.as_ref().and_then(|n| n.read(ld));
        let below: Option<BelowZero> = below_node.as_ref().and_then(|n| n.read(ld));
        let items = read_items(t, ld, clause);
        let adjustments = read_adjustments(t, ld, clause);
        if let Some(node) = &total_node {
            check_total(id, node, total, &items, ld);
        }
        let reach = Reach::read(t, ld, &items, &adjustments, (above, below));
        let domain = reach.domain(total);
        let bands = t.opt_table(ld, "bands").map(|mut bt| {
            let fraction = fraction_source(&items, &adjustments);
            let bands = Bands::read(&mut bt, ld, clause, (domain, total), fraction.as_deref());
            bt.finish(ld);
            bands
        });
        Self {
            reference: ScorecardRef::new(&id.value, place, ld.clauses.tag()),
            clause,
            total,
            period,
            above_total: reach.above_total,
            below_zero: reach.below_zero,
            items,
            adjustments,
            bands,
            domain,
        }
    }

    /// Scores one card from facts: each item, then the deductions and
    /// additions, the sum capped or floored as the card says, and its band.
    /// `attendance` feeds an attendance item; cards without one ignore it.
    ///
    /// ```
    /// use cs_policy::Policy;
    /// use cs_policy::kpi::{AttendanceCounts, CardFacts, ItemFact, ItemValue};
    ///
    /// let policy = Policy::example("call-centre")?;
    /// let card = policy.kpi().unwrap().scorecard("property_template").unwrap();
    /// let rating = |item: &str, r: i64| ItemFact { item: item.into(), value: ItemValue::Rating(r.into()) };
    /// let facts = CardFacts {
    ///     items: vec![rating("knowledge", 90), rating("attitude", 80), rating("teamwork", 100), rating("professionalism", 50)],
    ///     adjustments: vec![],
    /// };
    /// let score = card.score(&facts, &AttendanceCounts::default()).unwrap();
    /// // 30×90% + 30×80% + 20×100% + 20×50% = 81, graded good (80–89).
    /// assert_eq!(score.score.to_string(), "81");
    /// assert_eq!(policy.kpi().unwrap().grade_name(card, score.grade.unwrap()), Some("good"));
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn score(
        &self,
        facts: &CardFacts,
        attendance: &AttendanceCounts,
    ) -> Result<CardScore, KpiError> {
        let scored = self.score_items(facts, attendance)?;
        let (adjustment_lines, adjusted) = self.score_adjustments(facts)?;
        let raw = money::plus(scored.sum, adjusted, "the item points and adjustments")?;
        let score = self.within_ends(raw);
        let percent = self.percent_of_total(score)?;
        let grade = match &self.bands {
            Some(_) => Some(self.band(score)?),
            None => None,
        };
        Ok(CardScore {
            items: scored.items,
            adjustment_lines,
            adjustments: adjusted,
            raw,
            score,
            total: self.total,
            percent,
            grade,
            any_item_zero: scored.any_zero,
            clause: self.clause,
        })
    }

    /// Every item scored from its fact, or an attendance item from the
    /// counts; every item needs one fact, and every fact an item.
    fn score_items(
        &self,
        facts: &CardFacts,
        attendance: &AttendanceCounts,
    ) -> Result<ScoredItems, KpiError> {
        let mut scored = ScoredItems {
            items: Vec::with_capacity(self.items.len()),
            sum: Decimal::ZERO,
            any_zero: false,
        };
        let mut matched = 0usize;
        for item in &self.items {
            let fact = facts.items.iter().find(|f| *f.item == *item.id);
            let score = match (&item.kind, fact) {
                (ItemKind::Attendance { .. }, Some(_)) => {
                    return Err(KpiError::FedByAttendance {
                        item: item.id.to_string(),
                    });
                }
                (ItemKind::Attendance { .. }, None) => item.score_attendance(attendance)?,
                (_, Some(f)) => {
                    matched += 1;
                    item.score_fact(&f.value)?
                }
                (_, None) => {
                    return Err(KpiError::MissingItem {
                        scorecard: self.id().to_owned(),
                        item: item.id.to_string(),
                    });
                }
            };
            scored.any_zero |= score.points.is_zero();
            scored.sum = money::plus(scored.sum, score.points, "the item points")?;
            scored.items.push(score);
        }
        if matched != facts.items.len() {
            return Err(self.unmatched_fact(facts));
        }
        Ok(scored)
    }

    /// The error for the first fact naming no item of the card, or an item
    /// a second time.
    fn unmatched_fact(&self, facts: &CardFacts) -> KpiError {
        let mut seen = std::collections::HashSet::new();
        for f in &facts.items {
            if !self.items.iter().any(|it| *it.id == *f.item) {
                return KpiError::UnknownItem {
                    scorecard: self.id().to_owned(),
                    item: f.item.clone(),
                    known: self.item_names(),
                };
            }
            if !seen.insert(f.item.as_str()) {
                return KpiError::RepeatedItem {
                    scorecard: self.id().to_owned(),
                    item: f.item.clone(),
                };
            }
        }
        // Only called when some fact matched no item: not reached.
        KpiError::UnknownItem {
            scorecard: self.id().to_owned(),
            item: String::new(),
            known: self.item_names(),
        }
    }

    /// The deductions and additions per occurrence (K3): each at its fixed
    /// points or the assessor's choice within its range, times its
    /// occurrences; and their net.
    fn score_adjustments(
        &self,
        facts: &CardFacts,
    ) -> Result<(Vec<AdjustmentScore>, Decimal), KpiError> {
        let mut adjusted = Decimal::ZERO;
        let mut lines = Vec::with_capacity(facts.adjustments.len());
        for f in &facts.adjustments {
            let adj = self
                .adjustments
                .iter()
                .find(|a| *a.id == *f.adjustment)
                .ok_or_else(|| KpiError::UnknownAdjustment {
                    scorecard: self.id().to_owned(),
                    adjustment: f.adjustment.clone(),
                })?;
            let each = adj.each(f)?;
            let value = money::times(each, f.times.into(), &format!("`{}`", adj.id))?;
            let points = match adj.direction {
                Direction::Addition => value,
                Direction::Deduction => money::unsigned_zero(-value),
            };
            adjusted = money::plus(adjusted, points, "the adjustments")?;
            lines.push(AdjustmentScore {
                points,
                times: f.times,
                each,
                clause: adj.clause,
            });
        }
        Ok((lines, adjusted))
    }

    /// The sum after the card's `above_total` and `below_zero` choices.
    fn within_ends(&self, raw: Decimal) -> Decimal {
        let mut score = raw;
        if self.above_total == AboveTotal::Cap && score > self.total {
            score = self.total;
        }
        if self.below_zero == BelowZero::Floor && score < Decimal::ZERO {
            score = Decimal::ZERO;
        }
        score
    }

    /// The band a score on the card falls in: the score checked against
    /// what the card can give, then found among the bands.
    fn band(&self, score: Decimal) -> Result<GradeRef, KpiError> {
        let (low, high) = self.domain;
        if low.is_some_and(|l| score < l) || high.is_some_and(|h| score > h) {
            return Err(KpiError::OutsideCard {
                scorecard: self.reference,
                score,
                low,
                high,
            });
        }
        let bands = self.bands.as_ref().ok_or(KpiError::NoBands {
            scorecard: self.reference,
        })?;
        bands.find(score, self.total)
    }

    /// The grade band a score falls in (`None` when the card has no bands),
    /// for a score given rather than scored (a past month's).
    pub(crate) fn grade_of(&self, score: Decimal) -> Result<Option<GradeRef>, KpiError> {
        self.bands
            .as_ref()
            .map(|bands| bands.find(score, self.total))
            .transpose()
    }

    /// The score as a percentage of the total; a score too large to
    /// multiply by 100 first is divided first.
    fn percent_of_total(&self, score: Decimal) -> Result<Decimal, Overflow> {
        percent_of(score, self.total)
    }

    fn item_names(&self) -> String {
        let names: Vec<&str> = self.items.iter().map(|i| &*i.id).collect();
        names.join(", ")
    }
}

/// `score × 100 ÷ total`; a score too large to multiply by 100 first is
/// divided first.
fn percent_of(score: Decimal, total: Decimal) -> Result<Decimal, Overflow> {
    score
        .checked_mul(Decimal::ONE_HUNDRED)
        .and_then(|s| s.checked_div(total))
        .or_else(|| score.checked_div(total)?.checked_mul(Decimal::ONE_HUNDRED))
        .ok_or_else(|| {
            Overflow::new(format!(
                "the score `{score}` as a percentage of the total `{total}`"
            ))
        })
}

/// The items of a card scored, their sum, and whether any scored 0.
struct ScoredItems {
    items: Vec<ItemScore>,
    sum: Decimal,
    any_zero: bool,
}

/// Reads a card's items, at least one.
fn read_items(t: &mut Table<'_, '_>, ld: &mut Loader, clause: ClauseRef) -> Vec<Item> {
    let mut items = Vec::new();
    for (item_id, mut it) in t.ids(ld, "items") {
        if let Some(item) = Item::read(&item_id, &mut it, ld, clause) {
            items.push(item);
        }
        it.finish(ld);
    }
    if items.is_empty() {
        t.missing(ld, "items")
            .help("list the card's items: `[kpi.scorecards.<card>.items.<item>]`");
    }
    items
}

/// Reads a card's deductions and additions.
fn read_adjustments(t: &mut Table<'_, '_>, ld: &mut Loader, clause: ClauseRef) -> Vec<Adjustment> {
    let mut adjustments = Vec::new();
    for (adj_id, mut at) in t.ids(ld, "adjustments") {
        if let Some(adj) = Adjustment::read(&adj_id.value, &mut at, ld, clause) {
            adjustments.push(adj);
        }
        at.finish(ld);
    }
    adjustments
}

/// Checks that the maxima (or weights) of a card's items add up to its
/// declared total (K8: a 110-point template calling itself 100 points).
fn check_total(
    id: &Located<String>,
    node: &Node<'_, '_>,
    total: Decimal,
    items: &[Item],
    ld: &mut Loader,
) {
    let sum = items
        .iter()
        .try_fold(Decimal::ZERO, |s, i| s.checked_add(i.max));
    let Some(sum) = sum else { return };
    if items.is_empty() || sum == total {
        return;
    }
    let parts: Vec<String> = items.iter().map(|i| i.max.to_string()).collect();
    ld.error(
        ProblemCode::TotalMismatch,
        node.span(),
        &node.path(),
        format!(
            "the items of scorecard `{}` add up to `{sum}` ({}) but `total` is `{total}`",
            id.value,
            parts.join(" + ")
        ),
    )
    .help(format!(
        "make the item maxima add up to `{total}`, or declare `total = {sum}`"
    ));
}

impl Reach {
    /// What can push the card's score past either end, and the card's
    /// choices (`stated`) for what happens then: a choice the sources
    /// leave open, so a card that can go past an end must state it.
    fn read(
        t: &mut Table<'_, '_>,
        ld: &mut Loader,
        items: &[Item],
        adjustments: &[Adjustment],
        stated: (Option<AboveTotal>, Option<BelowZero>),
    ) -> Self {
        let adds = adjustments
            .iter()
            .any(|a| a.direction == Direction::Addition);
        let deducts = adjustments
            .iter()
            .any(|a| a.direction == Direction::Deduction)
            || items.iter().any(|i| {
                matches!(
                    i.kind,
                    ItemKind::Attendance {
                        floor_at_zero: false,
                        ..
                    }
                )
            });
        if adds && !t.contains("above_total") {
            t.unstated(ld, "above_total").help("additions can push the score above the total: state `above_total = \"cap\"` or `above_total = \"keep\"`");
        }
        if deducts && !t.contains("below_zero") {
            t.unstated(ld, "below_zero").help("deductions can push the score below zero: state `below_zero = \"floor\"` or `below_zero = \"keep\"`");
        }
        Self {
            adds,
            deducts,
            above_total: stated.0.unwrap_or(AboveTotal::Cap),
            below_zero: stated.1.unwrap_or(BelowZero::Floor),
        }
    }

    /// The scores the card can give, from `low` to `high`; `None` where
    /// a deduction or addition kept past an end leaves it unbounded.
    fn domain(&self, total: Decimal) -> (Option<Decimal>, Option<Decimal>) {
        let low = (self.below_zero == BelowZero::Floor || !self.deducts).then_some(Decimal::ZERO);
        let high = (self.above_total == AboveTotal::Cap || !self.adds).then_some(total);
        (low, high)
    }
}

fn positive(node: &Node<'_, '_>, ld: &mut Loader) -> Option<Decimal> {
    let value: Decimal = node.read(ld)?;
    if value <= Decimal::ZERO {
        ld.error(
            ProblemCode::OutOfRange,
            node.span(),
            &node.path(),
            format!("`{}` is `{value}`; it must be above zero", node.path()),
        );
        return None;
    }
    Some(value)
}

fn non_negative(t: &mut Table<'_, '_>, ld: &mut Loader, key: &'static str) -> Option<Decimal> {
    let node = t.req_node(ld, key)?;
    let value: Decimal = node.read(ld)?;
    if value < Decimal::ZERO {
        ld.error(
            ProblemCode::OutOfRange,
            node.span(),
            &node.path(),
            format!(
                "`{}` is `{value}`; points are written as positive numbers",
                node.path()
            ),
        )
        .help(
            "whether points are deducted follows from the key (`per_late`, `kind = \"deduction\"`)",
        );
        return None;
    }
    Some(value)
}

choices! {
    #[derive(Clone, Copy)]
    enum KindWord as "an item kind" {
        Graded => "graded",
        Points => "points",
        Rated => "rated",
        Tiered => "tiered",
        Attendance => "attendance",
    }
}

fn above_max(
    ld: &mut Loader,
    node_span: std::ops::Range<usize>,
    path: &str,
    v: Decimal,
    max: Decimal,
) {
    ld.error(
        ProblemCode::OutOfRange,
        node_span,
        path,
        format!("`{path}` gives `{v}` points, above the item's `max` of `{max}`"),
    );
}

/// Reads the `points` of a grade or tier, reporting points above the item's
/// maximum or below zero.
fn read_points(t: &mut Table<'_, '_>, ld: &mut Loader, max: Decimal) -> Option<Decimal> {
    let node = t.req_node(ld, "points");
    let points: Option<Decimal> = node.as_ref().and_then(|n| n.read(ld));
    if let (Some(p), Some(n)) = (points, &node) {
        if p > max || p < Decimal::ZERO {
            above_max(ld, n.span(), &n.path(), p, max);
        }
    }
    points
}

impl Item {
    /// The item's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The clause that defines the item.
    pub fn clause(&self) -> ClauseRef {
        self.clause
    }

    /// The item's maximum points (its weight, for a rated item).
    pub fn max(&self) -> Decimal {
        self.max
    }

    /// How the item is scored.
    pub fn kind(&self) -> &ItemKind {
        &self.kind
    }

    /// Reads one item: its kind, maximum, and the keys of its kind.
    fn read(
        id: &Located<String>,
        t: &mut Table<'_, '_>,
        ld: &mut Loader,
        card: ClauseRef,
    ) -> Option<Self> {
        let clause = ld.clause_under(t, Some(card));
        let kind_word: Option<KindWord> = t.req(ld, "kind");
        let max_node = t.req_node(ld, "max");
        let max = max_node.as_ref().and_then(|n| positive(n, ld));
        let max_v = max.unwrap_or(Decimal::MAX);
        let Some(kind_word) = kind_word else {
            // The kind is wrong: its keys are not unknown, only unread.
            for key in [
                "grades",
                "tiers",
                "otherwise",
                "full",
                "per_late",
                "per_early_leave",
                "per_leave",
                "per_absence",
                "floor_at_zero",
            ] {
                t.allow(key);
            }
            return None;
        };
        let kind = match kind_word {
            KindWord::Graded => read_graded(t, ld, max_v),
            KindWord::Points => ItemKind::Points,
            KindWord::Rated => ItemKind::Rated,
            KindWord::Tiered => read_tiered(t, ld, max_v),
            KindWord::Attendance => read_attendance(t, ld, max_v),
        };
        Some(Self {
            id: id.value.clone().into_boxed_str(),
            clause,
            max: max?,
            kind,
        })
    }

    /// Scores the assessor's fact for the item, of the item's kind.
    fn score_fact(&self, value: &ItemValue) -> Result<ItemScore, KpiError> {
        let bad = |expected: &'static str| KpiError::WrongValue {
            item: self.id.to_string(),
            expected,
        };
        let (points, detail) = match (&self.kind, value) {
            (ItemKind::Graded { grades }, ItemValue::Grade(word)) => self.graded(grades, word)?,
            (ItemKind::Graded { .. }, _) => return Err(bad("a grade")),
            (ItemKind::Points, ItemValue::Points(p)) => (self.given(*p)?, ItemDetail::Points),
            (ItemKind::Points, _) => return Err(bad("points")),
            (ItemKind::Rated, ItemValue::Rating(r)) => self.rated(*r)?,
            (ItemKind::Rated, _) => return Err(bad("a rating from 0 to 100")),
            (ItemKind::Tiered { tiers, otherwise }, ItemValue::Metric(m)) => {
                tiered(tiers, *otherwise, *m)
            }
            (ItemKind::Tiered { .. }, _) => return Err(bad("a metric")),
            (ItemKind::Attendance { .. }, _) => return Err(bad("attendance counts")),
        };
        Ok(ItemScore {
            points,
            max: self.max,
            clause: self.clause,
            detail,
        })
    }

    /// A graded item: the grade word gives its fixed points (K1: excellent
    /// 20, good 15, fair 10, poor 0).
    fn graded(&self, grades: &[ItemGrade], word: &str) -> Result<(Decimal, ItemDetail), KpiError> {
        let grade =
            grades
                .iter()
                .find(|g| g.id() == word)
                .ok_or_else(|| KpiError::UnknownGrade {
                    item: self.id.to_string(),
                    grade: word.to_owned(),
                    known: grades
                        .iter()
                        .map(ItemGrade::id)
                        .collect::<Vec<_>>()
                        .join(", "),
                })?;
        Ok((
            grade.points,
            ItemDetail::Grade {
                grade: grade.reference,
            },
        ))
    }

    /// Points given directly, from 0 to the item's maximum.
    fn given(&self, points: Decimal) -> Result<Decimal, KpiError> {
        if points < Decimal::ZERO || points > self.max {
            return Err(KpiError::AboveMax {
                item: self.id.to_string(),
                points,
                max: self.max,
            });
        }
        Ok(points)
    }

    /// A weighted category: a rating from 0 to 100 earns that share of the
    /// item's weight (K6: owner satisfaction weighs 40%; rated 90, it is 36).
    fn rated(&self, rating: Decimal) -> Result<(Decimal, ItemDetail), KpiError> {
        if rating < Decimal::ZERO || rating > Decimal::ONE_HUNDRED {
            return Err(KpiError::RatingOutOfRange {
                item: self.id.to_string(),
                rating,
            });
        }
        let points = money::percent_of(rating, self.max, &format!("item `{}`'s weight", self.id))?;
        Ok((points, ItemDetail::Rating { rating }))
    }

    /// An attendance item (A9): full points less a deduction per late,
    /// early leave, leave and absence, stopping at 0 when the policy says.
    fn score_attendance(&self, counts: &AttendanceCounts) -> Result<ItemScore, KpiError> {
        let ItemKind::Attendance {
            full,
            per_late,
            per_early_leave,
            per_leave,
            per_absence,
            floor_at_zero,
        } = &self.kind
        else {
            return Err(KpiError::WrongValue {
                item: self.id.to_string(),
                expected: "a fact, not attendance counts",
            });
        };
        let mut points = *full;
        for (count, per) in [
            (counts.late, per_late),
            (counts.early_leave, per_early_leave),
            (counts.leaves, per_leave),
            (counts.absent, per_absence),
        ] {
            let what = format!("item `{}`'s points", self.id);
            let off = money::times(
                *per,
                count.into(),
                &format!("item `{}`'s deduction", self.id),
            )?;
            points = money::minus(points, off, &what)?;
        }
        if *floor_at_zero && points < Decimal::ZERO {
            points = Decimal::ZERO;
        }
        Ok(ItemScore {
            points,
            max: self.max,
            clause: self.clause,
            detail: ItemDetail::Attendance { counts: *counts },
        })
    }
}

/// A tiered item (K2): the metric earns the points of the first tier whose
/// `at_most` it does not exceed (at most 5% refunds earns 30), else
/// `otherwise`.
fn tiered(
    tiers: &[(Decimal, Decimal)],
    otherwise: Decimal,
    metric: Decimal,
) -> (Decimal, ItemDetail) {
    let tier = tiers.iter().position(|(at_most, _)| metric <= *at_most);
    let points = tier
        .and_then(|i| tiers.get(i))
        .map_or(otherwise, |(_, p)| *p);
    (
        points,
        ItemDetail::Tier {
            metric,
            tier: tier.map(index16),
        },
    )
}

/// Reads a graded item's grades: each word once, with its points.
fn read_graded(t: &mut Table<'_, '_>, ld: &mut Loader, max: Decimal) -> ItemKind {
    let mut grades: Vec<ItemGrade> = Vec::new();
    for mut g in t.tables(ld, "grades") {
        let name: Option<String> = g.req(ld, "grade");
        let points = read_points(&mut g, ld, max);
        let path = g.path().to_owned();
        let span = g.span.clone();
        g.finish(ld);
        let (Some(name), Some(points)) = (name, points) else {
            continue;
        };
        if grades.iter().any(|g| g.id() == name) {
            ld.error(
                ProblemCode::Duplicate,
                span,
                &path,
                format!("grade `{name}` is listed twice in `{}`", t.path()),
            );
            continue;
        }
        grades.push(ItemGrade {
            reference: ItemGradeRef::new(&name, grades.len(), ld.clauses.tag()),
            points,
        });
    }
    if grades.is_empty() {
        t.missing(ld, "grades")
            .help("list the grades: `grades = [{ grade = \"excellent\", points = 20 }, ...]`");
    }
    ItemKind::Graded { grades }
}

/// Reads a tiered item's tiers, from the lowest `at_most` up, and the points
/// of a metric above them all.
fn read_tiered(t: &mut Table<'_, '_>, ld: &mut Loader, max: Decimal) -> ItemKind {
    let mut tiers: Vec<(Decimal, Decimal)> = Vec::new();
    for mut g in t.tables(ld, "tiers") {
        let at_most: Option<Located<Decimal>> = g.req(ld, "at_most");
        let points = read_points(&mut g, ld, max);
        g.finish(ld);
        let (Some(a), Some(p)) = (at_most, points) else {
            continue;
        };
        if let Some((prev, _)) = tiers.last() {
            if a.value <= *prev {
                ld.error(
                    ProblemCode::OutOfOrder,
                    a.span.clone(),
                    &a.path,
                    format!(
                        "tier `at_most = {}` does not come after the previous tier's `{prev}`",
                        a.value
                    ),
                )
                .help("list tiers from the lowest `at_most` to the highest");
                continue;
            }
        }
        tiers.push((a.value, p));
    }
    if tiers.is_empty() {
        t.missing(ld, "tiers")
            .help("list the tiers: `tiers = [{ at_most = 5, points = 30 }, ...]`");
    }
    let otherwise = non_negative(t, ld, "otherwise").unwrap_or_default();
    ItemKind::Tiered { tiers, otherwise }
}

/// Reads an attendance item's full points, deductions per count, and
/// whether it stops at 0 (a gap the policy must state).
fn read_attendance(t: &mut Table<'_, '_>, ld: &mut Loader, max: Decimal) -> ItemKind {
    let full_node = t.req_node(ld, "full");
    let full = full_node
        .as_ref()
        .and_then(|n| n.read::<Decimal>(ld))
        .unwrap_or_default();
    if let Some(n) = &full_node {
        if full > max {
            above_max(ld, n.span(), &n.path(), full, max);
        }
    }
    let per_late = non_negative(t, ld, "per_late").unwrap_or_default();
    let per_early_leave = non_negative(t, ld, "per_early_leave").unwrap_or_default();
    let per_leave = non_negative(t, ld, "per_leave").unwrap_or_default();
    let per_absence = non_negative(t, ld, "per_absence").unwrap_or_default();
    let floor_at_zero = match t.node("floor_at_zero") {
        Some(n) => n.read::<bool>(ld).unwrap_or(true),
        None => {
            t.unstated(ld, "floor_at_zero").help("the source does not say whether the item stops at 0: state `floor_at_zero = true` or `false`");
            true
        }
    };
    ItemKind::Attendance {
        floor_at_zero,
        full,
        per_late,
        per_early_leave,
        per_leave,
        per_absence,
    }
}

fn index16(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}

impl Adjustment {
    /// The adjustment's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The clause that defines it.
    pub fn clause(&self) -> ClauseRef {
        self.clause
    }

    /// Whether it deducts or adds.
    pub fn direction(&self) -> Direction {
        self.direction
    }

    /// The points per occurrence: `(lo, hi)`, equal when fixed.
    pub fn range(&self) -> (Decimal, Decimal) {
        self.range
    }

    /// The points each occurrence of a fact is worth: the fixed points, or
    /// the assessor's choice within the range.
    fn each(&self, fact: &AdjustmentFact) -> Result<Decimal, KpiError> {
        let (lo, hi) = self.range;
        match fact.points {
            None if lo == hi => Ok(lo),
            None => Err(KpiError::PointsNeeded {
                adjustment: fact.adjustment.clone(),
                lo,
                hi,
            }),
            Some(p) if p < lo || p > hi => Err(KpiError::AdjustmentOutOfRange {
                adjustment: fact.adjustment.clone(),
                points: p,
                lo,
                hi,
            }),
            Some(p) => Ok(p),
        }
    }

    /// Reads one deduction or addition: its direction and its points per
    /// occurrence, fixed or a range, never negative.
    fn read(id: &str, t: &mut Table<'_, '_>, ld: &mut Loader, card: ClauseRef) -> Option<Self> {
        let clause = ld.clause_under(t, Some(card));
        let direction: Option<Direction> = t.req(ld, "kind");
        let range = read_adjustment_points(t, ld)?;
        if range.0 < Decimal::ZERO {
            ld.error(
                ProblemCode::OutOfRange,
                t.span.clone(),
                t.path(),
                format!("`{}` has negative points", t.path()),
            )
            .help("write points as positive numbers; `kind` says whether they are deducted");
            return None;
        }
        Some(Self {
            id: Box::from(id),
            clause,
            direction: direction?,
            range,
        })
    }
}

/// An adjustment's points per occurrence: `points` (fixed) or `range`
/// (the assessor's choice), one of the two.
fn read_adjustment_points(t: &mut Table<'_, '_>, ld: &mut Loader) -> Option<(Decimal, Decimal)> {
    match (t.node("points"), t.node("range")) {
        (Some(n), None) => {
            let p: Decimal = n.read(ld)?;
            Some((p, p))
        }
        (None, Some(n)) => {
            let v: Vec<Decimal> = n.read(ld)?;
            match v.as_slice() {
                [lo, hi] if lo <= hi => Some((*lo, *hi)),
                _ => {
                    ld.error(
                        ProblemCode::InvalidValue,
                        n.span(),
                        &n.path(),
                        format!("`{}` must be two numbers, the lower first", n.path()),
                    )
                    .help("write `range = [5, 20]`");
                    None
                }
            }
        }
        (Some(n), Some(_)) => {
            ld.error(
                ProblemCode::Conflict,
                n.span(),
                &n.path(),
                format!("`{}` gives both `points` and `range`", t.path()),
            )
            .help("give `points` for a fixed amount per occurrence, or `range` for the assessor's choice");
            None
        }
        (None, None) => {
            t.missing(ld, "points")
                .help("give `points = 5` per occurrence, or `range = [5, 20]` at the assessor's discretion");
            None
        }
    }
}

/// A band row as read, with where it was written (for the cover checks).
type ReadRow = (Band, std::ops::Range<usize>, String);

impl Bands {
    /// The clause of the bands table.
    pub fn clause(&self) -> ClauseRef {
        self.clause
    }

    /// What the bands are drawn over.
    pub fn over(&self) -> Over {
        self.over
    }

    /// How the rows state their bounds.
    pub fn bounds(&self) -> Bounds {
        self.bounds
    }

    /// The bands, from the lowest to the highest.
    pub fn rows(&self) -> &[Band] {
        &self.rows
    }

    /// One band by reference: at once for one this policy made, by grade
    /// for one read back.
    pub fn row(&self, band: BandRef) -> Option<&Band> {
        band.find_in(&self.rows, self.tag, Band::reference)
    }

    /// Reads a card's bands: how rows state their bounds, each row, then
    /// checks that they cover every score the card can give (`domain`, in
    /// points of a card of `total`) once. `fraction` names what on the
    /// card can score a fraction, if anything.
    fn read(
        t: &mut Table<'_, '_>,
        ld: &mut Loader,
        card: ClauseRef,
        (domain, total): ((Option<Decimal>, Option<Decimal>), Decimal),
        fraction: Option<&str>,
    ) -> Self {
        let clause = ld.clause_under(t, Some(card));
        let over = t.req(ld, "over").unwrap_or(Over::Score);
        let bounds = read_bounds(t, ld, fraction);
        let (low, high) = match over {
            Over::Score => domain,
            Over::Percent => (
                domain.0.map(|_| Decimal::ZERO),
                domain.1.map(|_| Decimal::ONE_HUNDRED),
            ),
        };
        let mut rows: Vec<ReadRow> = Vec::new();
        for node in t.array(ld, "rows") {
            rows.extend(read_row(&node, ld, clause, bounds));
        }
        if rows.is_empty() {
            t.missing(ld, "rows");
        }
        rows.sort_by(|a, b| cmp_low(a.0.from, b.0.from));
        check_unique(&rows, ld);
        check_cover(ld, &rows, low, high, bounds);
        let tag = ld.clauses.tag();
        let rows: Vec<Band> = rows
            .into_iter()
            .enumerate()
            .map(|(i, (band, _, _))| Band {
                reference: BandRef::new(band.grade(), i, tag),
                ..band
            })
            .collect();
        let in_points = |bound: Option<Decimal>| bound.map(|b| points_of(b, over, total));
        Self {
            clause,
            over,
            bounds,
            edges: rows
                .iter()
                .skip(1)
                .filter_map(|r| in_points(r.from))
                .collect(),
            ends: (
                rows.first().and_then(|r| in_points(r.from)),
                rows.last().and_then(|r| in_points(r.to)),
            ),
            rows,
            tag,
        }
    }

    /// The band a score on a card of `total` falls in, found by binary
    /// search over the band edges, in the same time whichever band it is.
    fn find(&self, score: Decimal, total: Decimal) -> Result<GradeRef, KpiError> {
        if self.bounds == Bounds::WholeNumbers {
            let x = match self.over {
                Over::Score => score,
                Over::Percent => percent_of(score, total)?,
            };
            if !x.fract().is_zero() {
                return Err(KpiError::NotWhole { score: x });
            }
        }
        let outside = || KpiError::NoBand {
            score: match self.over {
                Over::Score => score,
                Over::Percent => percent_of(score, total).unwrap_or(score),
            },
        };
        let (low, high) = self.ends;
        if low.is_some_and(|l| score < l) || high.is_some_and(|h| score >= h) {
            return Err(outside());
        }
        // Rows cover the domain exactly once: the last row starting at or
        // below the score holds it.
        let i = self.edges.partition_point(|edge| *edge <= score);
        let row = self.rows.get(i).ok_or_else(outside)?;
        Ok(GradeRef {
            band: row.reference,
            pass: row.pass,
            pay_share: row.pay_share,
            clause: row.clause,
        })
    }
}

/// A band bound in points of a card of `total`: as written over the score,
/// `bound`% of the total over a percentage (exact: a decimal keeps the
/// product, and dividing by 100 moves its point).
fn points_of(bound: Decimal, over: Over, total: Decimal) -> Decimal {
    match over {
        Over::Score => bound,
        Over::Percent => bound
            .checked_mul(total)
            .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
            .unwrap_or(if bound.is_sign_negative() {
                Decimal::MIN
            } else {
                Decimal::MAX
            }),
    }
}

/// Reads how band rows state their bounds: a choice the card must state;
/// whole-number bands on a card that can score a fraction would pass
/// `check` and fail on the first 97.5 such a card produces.
fn read_bounds(t: &mut Table<'_, '_>, ld: &mut Loader, fraction: Option<&str>) -> Bounds {
    let Some(n) = t.node("bounds") else {
        t.unstated(ld, "bounds").help("state whether rows are `bounds = \"half_open\"` (`from` included, `to` excluded) or `bounds = \"whole_numbers\"` (`min` and `max` included, scores whole)");
        return Bounds::HalfOpen;
    };
    let bounds = n.read(ld).unwrap_or(Bounds::HalfOpen);
    if let (Bounds::WholeNumbers, Some(what)) = (bounds, fraction) {
        ld.error(
            ProblemCode::Conflict,
            n.span(),
            &n.path(),
            format!("whole-number bands on a card whose {what} can score a fraction"),
        )
        .help("write the rows as `bounds = \"half_open\"` with `from` and `to`, so that every score between two bands has one");
    }
    bounds
}

/// Reads one band row: its grade, bounds (whole-number bounds held as
/// `[min, max + 1)`), whether it passes and its share of pay.
fn read_row(
    node: &Node<'_, '_>,
    ld: &mut Loader,
    clause: ClauseRef,
    bounds: Bounds,
) -> Option<ReadRow> {
    let mut r = node.table(ld)?;
    let row_clause = ld.clause_under(&mut r, Some(clause));
    let grade: Option<String> = r.req(ld, "grade");
    let (from, to) = match bounds {
        Bounds::HalfOpen => (r.opt::<Decimal>(ld, "from"), r.opt::<Decimal>(ld, "to")),
        Bounds::WholeNumbers => {
            let min: Option<i64> = r.opt(ld, "min");
            let max: Option<i64> = r.opt(ld, "max");
            (
                min.map(Decimal::from),
                max.and_then(|m| m.checked_add(1)).map(Decimal::from),
            )
        }
    };
    let pass = r.opt_or(ld, "pass", true);
    let share = r.node("pay_share");
    let pay_share = share
        .as_ref()
        .and_then(|n| n.read_in(ld, Decimal::ZERO..=Decimal::ONE_HUNDRED));
    r.finish(ld);
    if let (Some(f), Some(t2)) = (from, to) {
        if t2 <= f {
            ld.error(
                ProblemCode::OutOfOrder,
                node.span(),
                &node.path(),
                format!(
                    "band `{}` ends before it starts",
                    grade.as_deref().unwrap_or("")
                ),
            );
            return None;
        }
    }
    let band = Band {
        reference: BandRef::from_id(&grade?),
        clause: row_clause,
        from,
        to,
        pass,
        pay_share,
    };
    Some((band, node.span(), node.path()))
}

/// Reports a grade given by two rows: a band is known by its grade.
fn check_unique(rows: &[ReadRow], ld: &mut Loader) {
    let mut seen: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    for (band, span, path) in rows {
        let first = *seen.entry(band.grade()).or_insert(path);
        if first != path {
            ld.error(
                ProblemCode::Duplicate,
                span.clone(),
                path,
                format!(
                    "grade `{}` is given by two bands (`{first}` and `{path}`)",
                    band.grade()
                ),
            )
            .help("give each band its own grade: results name a band by it");
        }
    }
}

fn cmp_low(a: Option<Decimal>, b: Option<Decimal>) -> std::cmp::Ordering {
    match (a, b) {
        (None, None) => std::cmp::Ordering::Equal,
        (None, Some(_)) => std::cmp::Ordering::Less,
        (Some(_), None) => std::cmp::Ordering::Greater,
        (Some(x), Some(y)) => x.cmp(&y),
    }
}

fn show(bound: Option<Decimal>, bounds: Bounds, upper: bool) -> String {
    match (bound, bounds, upper) {
        (None, _, false) => "below".into(),
        (None, _, true) => "above".into(),
        (Some(b), Bounds::WholeNumbers, true) => (b - Decimal::ONE).to_string(),
        (Some(b), _, _) => b.to_string(),
    }
}

/// Checks that sorted band rows cover `[low, high]` exactly once; `None`
/// bounds are unbounded.
fn check_cover(
    ld: &mut Loader,
    rows: &[ReadRow],
    low: Option<Decimal>,
    high: Option<Decimal>,
    bounds: Bounds,
) {
    if let Some(first) = rows.first() {
        check_low_end(ld, first, low, bounds);
    }
    for pair in rows.windows(2) {
        check_between(ld, &pair[0].0, &pair[1], bounds);
    }
    if let Some(last) = rows.last() {
        check_high_end(ld, last, high, bounds);
    }
}

/// Reports scores below the lowest band, down to the domain's lower end.
fn check_low_end(
    ld: &mut Loader,
    (first, span, path): &ReadRow,
    low: Option<Decimal>,
    bounds: Bounds,
) {
    let starts_ok = match (first.from, low) {
        (None, _) => true,
        (Some(f), Some(l)) => f <= l,
        (Some(_), None) => false,
    };
    if starts_ok {
        return;
    }
    let what = match low {
        Some(l) => format!(
            "scores from `{l}` up to `{}`",
            show(first.from, bounds, false)
        ),
        None => format!(
            "scores below `{}` (they can fall below zero)",
            show(first.from, bounds, false)
        ),
    };
    ld.error(
        ProblemCode::Gap,
        span.clone(),
        path,
        format!("{what} are in no band"),
    )
    .help("start the lowest band lower, or leave out its lower bound");
}

/// Reports a gap or an overlap between two neighbouring bands.
fn check_between(ld: &mut Loader, a: &Band, (b, span, path): &ReadRow, bounds: Bounds) {
    match (a.to, b.from) {
        (None, _) => {
            ld.error(
                ProblemCode::Overlap,
                span.clone(),
                path,
                format!(
                    "bands `{}` and `{}` overlap: `{}` has no upper bound",
                    a.grade(),
                    b.grade(),
                    a.grade()
                ),
            )
            .help("give the lower band an upper bound where the next one starts");
        }
        (Some(t), Some(f)) if f > t => {
            ld.error(
                ProblemCode::Gap,
                span.clone(),
                path,
                format!(
                    "scores from `{t}` up to `{f}` are in no band (between `{}` and `{}`)",
                    a.grade(),
                    b.grade()
                ),
            )
            .help(match bounds {
                Bounds::HalfOpen => "start each band where the one below it ends (`to` is excluded, `from` included)",
                Bounds::WholeNumbers => "start each band one above the `max` of the band below it",
            });
        }
        (Some(t), Some(f)) if f < t => {
            ld.error(
                ProblemCode::Overlap,
                span.clone(),
                path,
                format!(
                    "bands `{}` and `{}` both hold scores from `{f}` up to `{}`",
                    a.grade(),
                    b.grade(),
                    show(Some(t), bounds, true)
                ),
            )
            .help("start each band where the one below it ends");
        }
        (Some(_), None) => {
            ld.error(
                ProblemCode::Overlap,
                span.clone(),
                path,
                format!("bands `{}` and `{}` overlap", a.grade(), b.grade()),
            );
        }
        _ => {}
    }
}

/// Reports scores above the highest band, up to the domain's upper end.
fn check_high_end(
    ld: &mut Loader,
    (last, span, path): &ReadRow,
    high: Option<Decimal>,
    bounds: Bounds,
) {
    let ends_ok = match (last.to, high) {
        (None, _) => true,
        (Some(t), Some(h)) => t > h,
        (Some(_), None) => false,
    };
    if ends_ok {
        return;
    }
    let what = match high {
        Some(h) if last.to.is_some_and(|t| t == h) => format!("a score of `{h}` is"),
        Some(h) => format!(
            "scores from `{}` to `{h}` are",
            show(last.to, bounds, false)
        ),
        None => format!(
            "scores from `{}` up (additions are kept above the total) are",
            show(last.to, bounds, false)
        ),
    };
    ld.error(
        ProblemCode::Gap,
        span.clone(),
        path,
        format!("{what} in no band"),
    )
    .help("leave out the highest band's upper bound, or raise it above the top score");
}

impl Band {
    /// The grade the band gives, as the file names it: the band's id.
    pub fn grade(&self) -> &str {
        self.reference.id()
    }

    /// A reference to the band, as a [`GradeRef`] carries it.
    pub fn reference(&self) -> BandRef {
        self.reference
    }

    /// The band's clause.
    pub fn clause(&self) -> ClauseRef {
        self.clause
    }

    /// The lower bound (included); `None` is unbounded.
    pub fn from(&self) -> Option<Decimal> {
        self.from
    }

    /// The upper bound (excluded); `None` is unbounded. For whole-number
    /// bands this is one above the written `max`.
    pub fn to(&self) -> Option<Decimal> {
        self.to
    }

    /// Whether the grade passes the assessment.
    pub fn pass(&self) -> bool {
        self.pass
    }

    /// The share of performance pay the grade earns, in percent.
    pub fn pay_share(&self) -> Option<Decimal> {
        self.pay_share
    }
}

/// The assessor's facts for one card.
///
/// ```
/// use cs_policy::kpi::{AdjustmentFact, CardFacts, ItemFact, ItemValue};
/// let facts = CardFacts {
///     items: vec![ItemFact { item: "quality".into(), value: ItemValue::Grade("good".into()) }],
///     adjustments: vec![AdjustmentFact { adjustment: "praise".into(), times: 2, points: None }],
/// };
/// assert_eq!(facts.adjustments[0].times, 2);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CardFacts {
    /// One fact per item (attendance items excepted: they are fed by counts).
    pub items: Vec<ItemFact>,
    /// Deductions and additions that occurred.
    pub adjustments: Vec<AdjustmentFact>,
}

/// The assessment of one item.
///
/// ```
/// use cs_policy::kpi::{ItemFact, ItemValue};
/// let fact = ItemFact { item: "refund_rate".into(), value: ItemValue::Metric("4.5".parse().unwrap()) };
/// assert_eq!(fact.item, "refund_rate");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemFact {
    /// The item's id on the card.
    pub item: String,
    /// What the assessor gave.
    pub value: ItemValue,
}

/// What an assessor gives an item.
///
/// ```
/// use cs_policy::kpi::ItemValue;
/// let json = serde_json::to_string(&ItemValue::Grade("good".into())).unwrap();
/// assert_eq!(json, r#"{"grade":"good"}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ItemValue {
    /// A grade word for a graded item.
    Grade(String),
    /// Points for a points item.
    Points(Decimal),
    /// A rating from 0 to 100 for a rated (weighted) item.
    Rating(Decimal),
    /// The metric of a tiered item (a refund rate in percent).
    Metric(Decimal),
}

/// Occurrences of one deduction or addition.
///
/// ```
/// use cs_policy::kpi::AdjustmentFact;
/// // Two verified complaints, each judged at 10 points.
/// let fact = AdjustmentFact { adjustment: "complaint".into(), times: 2, points: Some(10.into()) };
/// assert_eq!(fact.times, 2);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdjustmentFact {
    /// The adjustment's id on the card.
    pub adjustment: String,
    /// How many times it occurred.
    pub times: u32,
    /// The points per occurrence chosen within a discretionary range; leave
    /// out for a fixed adjustment.
    #[serde(default)]
    pub points: Option<Decimal>,
}

/// A card scored.
///
/// ```
/// use cs_policy::Policy;
/// use cs_policy::kpi::{AttendanceCounts, CardFacts, ItemFact, ItemValue};
/// let policy = Policy::example("property")?;
/// let facts = CardFacts { items: vec![ItemFact { item: "assessment".into(), value: ItemValue::Points(85.into()) }], adjustments: vec![] };
/// let score = policy.score_card("front_desk", &facts, &AttendanceCounts::default()).unwrap();
/// assert!(!score.passed()); // 85 and below fails
/// assert_eq!(score.percent.to_string(), "85");
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardScore {
    /// Each item's points, in card order.
    pub items: Vec<ItemScore>,
    /// Each deduction or addition applied, in the order given, with
    /// its clause.
    pub adjustment_lines: Vec<AdjustmentScore>,
    /// The net of deductions and additions.
    pub adjustments: Decimal,
    /// Items plus adjustments, before capping or flooring.
    pub raw: Decimal,
    /// The score after the card's `above_total` and `below_zero` choices.
    pub score: Decimal,
    /// The card's declared total.
    pub total: Decimal,
    /// `score × 100 ÷ total`, unrounded.
    pub percent: Decimal,
    /// The grade band the score falls in, if the card has bands.
    pub grade: Option<GradeRef>,
    /// Whether any item scored 0 (a demotion rule looks at that).
    pub any_item_zero: bool,
    /// The card's clause.
    pub clause: ClauseRef,
}

impl CardScore {
    /// Whether the score passes: its band passes, or the card has no bands.
    pub fn passed(&self) -> bool {
        self.grade.is_none_or(|g| g.pass)
    }
}

/// One item scored.
///
/// ```
/// use cs_policy::Policy;
/// use cs_policy::kpi::{AttendanceCounts, CardFacts, ItemFact, ItemValue};
/// let policy = Policy::example("property")?;
/// let facts = CardFacts { items: vec![ItemFact { item: "assessment".into(), value: ItemValue::Points(92.into()) }], adjustments: vec![] };
/// let score = policy.score_card("front_desk", &facts, &AttendanceCounts::default()).unwrap();
/// assert_eq!((score.items[0].points, score.items[0].max), (92.into(), 100.into()));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemScore {
    /// The points earned.
    pub points: Decimal,
    /// The item's maximum.
    pub max: Decimal,
    /// The item's clause.
    pub clause: ClauseRef,
    /// How the points came about.
    pub detail: ItemDetail,
}

/// One deduction or addition applied to a card.
///
/// ```
/// use cs_policy::Policy;
/// use cs_policy::kpi::{AdjustmentFact, AttendanceCounts, CardFacts, ItemFact, ItemValue};
/// let policy = Policy::example("shop")?;
/// let grade = |item: &str, g: &str| ItemFact { item: item.into(), value: ItemValue::Grade(g.into()) };
/// let facts = CardFacts {
///     items: vec![
///         grade("quality", "good"),
///         ItemFact { item: "refund_rate".into(), value: ItemValue::Metric(4.into()) },
///         grade("disputes", "good"),
///         grade("cooperation", "good"),
///         grade("execution", "good"),
///     ],
///     adjustments: vec![AdjustmentFact { adjustment: "praise".into(), times: 2, points: None }],
/// };
/// let score = policy.score_card("after_sales", &facts, &AttendanceCounts::default()).unwrap();
/// let praise = &score.adjustment_lines[0];
/// assert_eq!((praise.points, praise.times), (4.into(), 2)); // +2 per praise
/// assert_eq!(praise.clause.id(), "kpi.scorecards.after_sales.adjustments.praise");
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdjustmentScore {
    /// Points added (positive) or deducted (negative) in all.
    pub points: Decimal,
    /// How many times it applied.
    pub times: u32,
    /// Points each time (the assessor's choice within a range).
    pub each: Decimal,
    /// The adjustment's clause.
    pub clause: ClauseRef,
}

/// How an item's points came about.
///
/// ```
/// use cs_policy::kpi::{AttendanceCounts, ItemDetail};
/// let detail = ItemDetail::Attendance { counts: AttendanceCounts { late: 1, ..Default::default() } };
/// assert!(serde_json::to_string(&detail).unwrap().starts_with(r#"{"attendance""#));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ItemDetail {
    /// A grade of the item's grades.
    Grade {
        /// The grade given.
        grade: ItemGradeRef,
    },
    /// Points given directly.
    Points,
    /// A rating of the item's weight.
    Rating {
        /// The rating, 0 to 100.
        rating: Decimal,
    },
    /// A metric placed on a tier.
    Tier {
        /// The metric given.
        metric: Decimal,
        /// The tier's place in the item's tiers (tiers have no id of their
        /// own), `None` for `otherwise`.
        tier: Option<u16>,
    },
    /// Attendance counts scored.
    Attendance {
        /// The counts.
        counts: AttendanceCounts,
    },
}

/// The grade band a score fell in.
///
/// ```
/// use cs_policy::Policy;
/// use cs_policy::kpi::{AttendanceCounts, CardFacts, ItemFact, ItemValue};
/// let policy = Policy::example("property")?;
/// let facts = CardFacts { items: vec![ItemFact { item: "assessment".into(), value: ItemValue::Points(98.into()) }], adjustments: vec![] };
/// let grade = policy.score_card("front_desk", &facts, &AttendanceCounts::default()).unwrap().grade.unwrap();
/// assert_eq!(policy.clause(grade.clause)?.label(), Some("优秀"));
/// assert_eq!(grade.band.id(), "excellent");
/// let json = serde_json::to_string(&grade)?;
/// assert!(json.starts_with(r#"{"band":"excellent","pass":true"#));
/// assert_eq!(serde_json::from_str::<cs_policy::kpi::GradeRef>(&json)?, grade);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeRef {
    /// The band, by its grade.
    pub band: BandRef,
    /// Whether the grade passes.
    pub pass: bool,
    /// The share of performance pay, in percent, if the band states one.
    pub pay_share: Option<Decimal>,
    /// The band's clause.
    pub clause: ClauseRef,
}

/// Why scoring failed: a fact the card cannot take.
///
/// ```
/// use cs_policy::Policy;
/// use cs_policy::kpi::{AttendanceCounts, CardFacts, KpiError};
/// let policy = Policy::example("property")?;
/// let err = policy.score_card("front_desk", &CardFacts::default(), &AttendanceCounts::default()).unwrap_err();
/// assert!(matches!(err, KpiError::MissingItem { .. }));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum KpiError {
    /// The policy has no `[kpi]` section.
    #[error("the policy has no `[kpi]` section; add scorecards under `[kpi.scorecards.<id>]`")]
    NoSection,
    /// No scorecard has that id.
    #[error("no scorecard is named `{scorecard}`; the policy defines: {known}")]
    UnknownScorecard {
        /// The id asked for.
        scorecard: String,
        /// The ids that exist.
        known: String,
    },
    /// An item of the card was given no fact.
    #[error("scorecard `{scorecard}` item `{item}` has no assessment; give one fact per item")]
    MissingItem {
        /// The card.
        scorecard: String,
        /// The item.
        item: String,
    },
    /// A fact names an item the card does not have.
    #[error("scorecard `{scorecard}` has no item `{item}`; its items are: {known}")]
    UnknownItem {
        /// The card.
        scorecard: String,
        /// The item named.
        item: String,
        /// The card's items.
        known: String,
    },
    /// Two facts name the same item.
    #[error("scorecard `{scorecard}` item `{item}` is given twice; give one fact per item")]
    RepeatedItem {
        /// The card.
        scorecard: String,
        /// The item named twice.
        item: String,
    },
    /// A grade the item does not define.
    #[error("item `{item}` has no grade `{grade}`; its grades are: {known}")]
    UnknownGrade {
        /// The item.
        item: String,
        /// The grade given.
        grade: String,
        /// The grades that exist.
        known: String,
    },
    /// Points outside 0 to the item's maximum.
    #[error("item `{item}` is given `{points}` points, outside 0 to its maximum `{max}`")]
    AboveMax {
        /// The item.
        item: String,
        /// The points given.
        points: Decimal,
        /// The item's maximum.
        max: Decimal,
    },
    /// A rating outside 0 to 100.
    #[error("item `{item}` is rated `{rating}`; ratings run from 0 to 100")]
    RatingOutOfRange {
        /// The item.
        item: String,
        /// The rating given.
        rating: Decimal,
    },
    /// The fact is of the wrong kind for the item.
    #[error("item `{item}` takes {expected}")]
    WrongValue {
        /// The item.
        item: String,
        /// What it takes.
        expected: &'static str,
    },
    /// An attendance item was given a fact; it is fed by the attendance counts.
    #[error("item `{item}` is scored from the attendance counts; leave it out of the item facts")]
    FedByAttendance {
        /// The item.
        item: String,
    },
    /// An adjustment the card does not define.
    #[error("scorecard `{scorecard}` has no deduction or addition `{adjustment}`")]
    UnknownAdjustment {
        /// The card.
        scorecard: String,
        /// The adjustment named.
        adjustment: String,
    },
    /// Discretionary points outside the stated range.
    #[error("`{adjustment}` is given `{points}` points per occurrence, outside `{lo}` to `{hi}`")]
    AdjustmentOutOfRange {
        /// The adjustment.
        adjustment: String,
        /// The points given.
        points: Decimal,
        /// The lowest allowed.
        lo: Decimal,
        /// The highest allowed.
        hi: Decimal,
    },
    /// A discretionary adjustment given without its points.
    #[error("`{adjustment}` is at the assessor's discretion: give `points` from `{lo}` to `{hi}`")]
    PointsNeeded {
        /// The adjustment.
        adjustment: String,
        /// The lowest allowed.
        lo: Decimal,
        /// The highest allowed.
        hi: Decimal,
    },
    /// A fractional score on whole-number bands.
    #[error("the score `{score}` is not a whole number, and the card's bands are on whole numbers")]
    NotWhole {
        /// The score.
        score: Decimal,
    },
    /// A score outside every band (a score given rather than scored, past
    /// the ends of the card).
    #[error("the score `{score}` is in no band")]
    NoBand {
        /// The score.
        score: Decimal,
    },
    /// A score the card cannot give: below its lowest or above its highest
    /// score (0 and its total, unless deductions or additions are kept
    /// past them).
    #[error("scorecard `{scorecard}` gives scores {}, not `{score}`; give a score the card can give", span_words(*.low, *.high))]
    OutsideCard {
        /// The card asked about.
        scorecard: ScorecardRef,
        /// The score given.
        score: Decimal,
        /// The lowest score the card gives, `None` unbounded.
        low: Option<Decimal>,
        /// The highest score the card gives, `None` unbounded.
        high: Option<Decimal>,
    },
    /// The card has no grade bands.
    #[error("scorecard `{scorecard}` has no grade bands; add `[kpi.scorecards.{scorecard}.bands]`")]
    NoBands {
        /// The card asked about.
        scorecard: ScorecardRef,
    },
    /// A number too large to compute (see [`Overflow`]).
    #[error("{0}; check the facts for a typing mistake")]
    Overflow(#[from] Overflow),
}

/// The scores from `low` to `high`, in words.
fn span_words(low: Option<Decimal>, high: Option<Decimal>) -> String {
    match (low, high) {
        (Some(l), Some(h)) => format!("from `{l}` to `{h}`"),
        (Some(l), None) => format!("from `{l}` up"),
        (None, Some(h)) => format!("up to `{h}`"),
        (None, None) => "of any value".to_owned(),
    }
}

impl KpiRules {
    /// The name of a grade a card gave.
    pub fn grade_name<'a>(&self, card: &'a Scorecard, grade: GradeRef) -> Option<&'a str> {
        card.bands
            .as_ref()
            .and_then(|b| b.row(grade.band))
            .map(Band::grade)
    }
}

impl Policy {
    /// The `[kpi]` section, if the policy has one.
    ///
    /// ```
    /// assert!(cs_policy::Policy::example("shop")?.kpi().is_some());
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn kpi(&self) -> Option<&KpiRules> {
        self.kpi.as_ref()
    }

    /// Scores a card by id (see [`Scorecard::score`]).
    ///
    /// ```
    /// use cs_policy::Policy;
    /// use cs_policy::kpi::{AttendanceCounts, CardFacts, ItemFact, ItemValue};
    ///
    /// let policy = Policy::example("property")?;
    /// let facts = CardFacts {
    ///     items: vec![ItemFact { item: "assessment".into(), value: ItemValue::Points(90.into()) }],
    ///     adjustments: vec![],
    /// };
    /// let score = policy.score_card("front_desk", &facts, &AttendanceCounts::default()).unwrap();
    /// assert_eq!(score.grade.unwrap().pay_share.unwrap().to_string(), "80"); // 86–90
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn score_card(
        &self,
        scorecard: &str,
        facts: &CardFacts,
        attendance: &AttendanceCounts,
    ) -> Result<CardScore, KpiError> {
        let kpi = self.kpi().ok_or(KpiError::NoSection)?;
        let card = kpi
            .scorecard(scorecard)
            .ok_or_else(|| kpi.unknown(scorecard))?;
        card.score(facts, attendance)
    }

    /// The reference to the scorecard with id `id`, for [`Policy::band`];
    /// `None` when the policy defines no such card.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("property")?;
    /// assert_eq!(policy.scorecard_ref("front_desk").unwrap().id(), "front_desk");
    /// assert!(policy.scorecard_ref("back_desk").is_none());
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn scorecard_ref(&self, id: &str) -> Option<ScorecardRef> {
        self.kpi()?.scorecard(id).map(Scorecard::reference)
    }

    /// The grade band of `score` on `scorecard`: its grade, whether it
    /// passes, its share of performance pay and its clause (K5, K7, and the
    /// pass line of the KPI bonus). A binary search over the band edges,
    /// in the same time whichever band it is; it allocates nothing. Every
    /// card scored ([`Policy::score_card`]) is graded by this call.
    ///
    /// ```
    /// use cs_policy::kpi::KpiError;
    ///
    /// let policy = cs_policy::Policy::example("property")?;
    /// let card = policy.scorecard_ref("front_desk").unwrap();
    /// let basic = policy.band(card, 88.into())?;
    /// assert_eq!((basic.band.id(), basic.pay_share), ("basic_pass", Some(80.into())));
    /// assert_eq!(basic.clause.id(), "kpi.scorecards.front_desk.bands.rows[1]");
    /// assert!(!policy.band(card, 85.into())?.pass);
    /// assert!(matches!(policy.band(card, 101.into()), Err(KpiError::OutsideCard { .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn band(&self, scorecard: ScorecardRef, score: Decimal) -> Result<GradeRef, KpiError> {
        let kpi = self.kpi().ok_or(KpiError::NoSection)?;
        let card = kpi
            .card(scorecard)
            .ok_or_else(|| kpi.unknown(scorecard.id()))?;
        card.band(score)
    }
}

impl KpiRules {
    /// The error for a scorecard id the policy does not define.
    fn unknown(&self, scorecard: &str) -> KpiError {
        KpiError::UnknownScorecard {
            scorecard: scorecard.to_owned(),
            known: self
                .cards
                .iter()
                .map(Scorecard::id)
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}
