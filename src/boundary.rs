//! Where two versions of a policy decide differently, found without any
//! scenario.
//!
//! [`Boundaries::between`] builds small facts around every decision point
//! of both policies and evaluates them through each policy's own public
//! evaluation functions. Only the probes whose outcomes differ are kept,
//! each as a concrete example with the outcome before and after and the
//! clauses that decided each.
//!
//! What is probed (each value of each domain, so an edge that moved is
//! found on both sides whatever the policies' data say, and a clause only
//! one policy has is probed against the other's "no such rule"):
//! - discipline: the k-th incident of each kind in one window, k = 1 to the
//!   longer ladder's steps + 2, all from one evaluation; one a day from the
//!   window's first day, and once its days are used up several on its last
//!   day, so no probe leaves the window it tests; a step with a range is
//!   charged its top;
//! - attendance, on a shift both policies define (else each policy's
//!   first shift): every minute late, and every minute early, from 0 to the
//!   shorter shift's length (at most 600); the n-th late, and the n-th
//!   absent day, in a row, n = 1 to 8, reported as what that day adds (a
//!   conversion, a deduction, a review);
//! - kpi bands: the whole scores on each side of every band edge and of each
//!   card's total, 0 and the highest whole score, plus each fractional band
//!   edge and one hundredth below it: grades change only at edges, so these
//!   decide as every whole score from 0 to the total would;
//! - kpi tiered items: the metric at each tier's `at_most` of either
//!   policy and one hundredth above it;
//! - pay plans: the whole scores the plan's card can be filled to within 16
//!   of an edge (a band edge, a card's total, a level's `min_score`, a
//!   `score_below` line, an item filled up), for each star level held;
//! - leave: requests of 1 to the longest notice step + 2 counted days made
//!   on their first day (the notice ladder, and a type's own notice); each
//!   entitlement by the age at the marriage, on the leave's start, 16 to
//!   40, for a man and a woman (the late-marriage age); 1 to the larger
//!   yearly cap + 2 one-day requests of a capped type in one year;
//! - orders: the listed stock, 0 to 200 (the low-stock alert); a return of
//!   regular, resaleable goods asked 0 to 60 days after receipt; the
//!   shipping and delivery windows quoted for an order paid on a Monday
//!   clear of holidays;
//! - follow-up: 0 to 40 effective outgoing calls in a day (the daily
//!   quotas); an incoming call answered on the 1st to 12th ring.
//!
//! The number of probes follows the number of band rows, ladder steps and
//! edges, never a card's total (`benches/diff.rs`).
//!
//! How ranges are summarised: consecutive probe values that disagree in the
//! same way (the same outcome before and the same outcome after, the probe
//! value itself left out) make one example, which names its first and last
//! disagreeing value; the outcomes shown are those at the first. Moving a
//! 30-minute late limit to 20 is thus one example, "21–30 minutes late:
//! late → absent". The same disagreement found twice for one clause (a
//! plan's starting level held or left unstated) is reported once.
//!
//! ```
//! use cs_policy::Policy;
//! use cs_policy::boundary::Boundaries;
//!
//! let old_text = cs_policy::EXAMPLES.iter().find(|(n, _)| *n == "shop").unwrap().1;
//! let new_text = old_text.replace(
//!     r#"{ amount = 100, label = "第二次" }"#,
//!     r#"{ amount = 120, label = "第二次" }"#,
//! );
//! let old = Policy::from_toml_str("old.toml", old_text)?;
//! let new = Policy::from_toml_str("new.toml", &new_text)?;
//! let found = Boundaries::between(&old, &new);
//! assert_eq!(
//!     found.to_string(),
//!     "≠ discipline.ladders.complaint: 2nd occurrence in a month: fine 100 → 120\n"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

use crate::Policy;
use crate::attendance::{
    AbsenceReason, AgentMonth, DayStatus, MonthPay, MonthReport, MonthSummary, WorkDay,
};
use crate::discipline::{Effect, Incident, Window};

/// Every boundary example where two policies disagree, sorted by clause.
///
/// ```
/// use cs_policy::Policy;
/// use cs_policy::boundary::Boundaries;
///
/// let policy = Policy::example("education")?;
/// assert!(Boundaries::between(&policy, &policy).is_empty());
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Boundaries {
    examples: Vec<BoundaryExample>,
}

/// One input where the two policies disagree, or a run of consecutive
/// inputs that disagree in the same way.
///
/// ```
/// use cs_policy::Policy;
/// use cs_policy::boundary::Boundaries;
///
/// let old_text = cs_policy::EXAMPLES.iter().find(|(n, _)| *n == "education").unwrap().1;
/// let new_text = old_text.replacen("limit_minutes = 30", "limit_minutes = 20", 1);
/// let old = Policy::from_toml_str("old.toml", old_text)?;
/// let new = Policy::from_toml_str("new.toml", &new_text)?;
/// let found = Boundaries::between(&old, &new);
/// let example = &found.examples()[0];
/// assert_eq!(example.clause, "attendance.late");
/// assert_eq!((example.first, example.last), (21.into(), 30.into()));
/// assert_eq!(example.before.summary, "late, deducted 20");
/// assert_eq!(example.after.summary, "absent, deducted 50");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BoundaryExample {
    /// The clause probed: a kind of incident, a threshold, a band table.
    pub clause: String,
    /// What was probed, in words (`2nd occurrence in a month`,
    /// `21–30 minutes late on shift regular`).
    pub probe: String,
    /// The first disagreeing value of the probe (minutes, an occurrence, a
    /// score).
    pub first: Decimal,
    /// The last disagreeing value of the run (equal to `first` for one).
    pub last: Decimal,
    /// The old policy's outcome at `first`.
    pub before: Outcome,
    /// The new policy's outcome at `first`.
    pub after: Outcome,
}

/// What one policy decided for a probe.
///
/// ```
/// use cs_policy::boundary::Outcome;
/// let outcome = Outcome { summary: "fine 100".into(), clause: Some("discipline.ladders.complaint.steps[1]".into()) };
/// assert_eq!(outcome.to_string(), "fine 100 (discipline.ladders.complaint.steps[1])");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    /// The outcome in words, without the probe's value (`fine 100`,
    /// `late, deducted 20`, `grade basic_pass, pass, pay share 80%`).
    pub summary: String,
    /// The clause that decided it, if the policy has one for it.
    pub clause: Option<String>,
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.summary)?;
        if let Some(clause) = &self.clause {
            write!(f, " ({clause})")?;
        }
        Ok(())
    }
}

impl Outcome {
    fn new(summary: impl Into<String>, clause: Option<&str>) -> Self {
        Self {
            summary: summary.into(),
            clause: clause.filter(|c| !c.is_empty()).map(str::to_owned),
        }
    }

    fn none(summary: impl Into<String>) -> Self {
        Self::new(summary, None)
    }
}

impl Boundaries {
    /// Probes both policies and keeps every disagreement.
    ///
    /// Policies with different sections work: a section only one policy has
    /// is probed against the other's "no such rules" outcome.
    ///
    /// ```
    /// use cs_policy::Policy;
    /// use cs_policy::boundary::Boundaries;
    ///
    /// let old = Policy::example("property")?;
    /// let text = cs_policy::EXAMPLES.iter().find(|(n, _)| *n == "property").unwrap().1;
    /// let new = Policy::from_toml_str("new.toml", &text.replace(
    ///     r#"{ grade = "fail", max = 85,"#, r#"{ grade = "fail", max = 84,"#).replace(
    ///     r#"min = 86, max = 90"#, r#"min = 85, max = 90"#))?;
    /// let found = Boundaries::between(&old, &new);
    /// // Only a score of 85 changes: its grade and its performance pay.
    /// let at: Vec<_> = found.examples().iter().map(|e| (e.clause.as_str(), e.first)).collect();
    /// assert_eq!(at, [("kpi.scorecards.front_desk.bands", 85.into()), ("pay.plans.front_desk", 85.into())]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn between(old: &Policy, new: &Policy) -> Self {
        let mut examples = Vec::new();
        let pair = Pair {
            old,
            new,
            year: probe_year(old, new),
        };
        pair.discipline(&mut examples);
        pair.attendance(&mut examples);
        pair.kpi(&mut examples);
        pair.tiers(&mut examples);
        pair.pay(&mut examples);
        pair.leave(&mut examples);
        pair.orders(&mut examples);
        pair.followup(&mut examples);
        // Stable: within a clause, the probes keep their order.
        examples.sort_by(|a, b| a.clause.cmp(&b.clause));
        // One example per edge: the same disagreement found by two probes
        // of a clause (a plan's starting level held or unstated) once.
        let mut seen = std::collections::HashSet::new();
        examples.retain(|e| {
            seen.insert((
                e.clause.clone(),
                e.first,
                e.last,
                e.before.summary.clone(),
                e.after.summary.clone(),
            ))
        });
        Self { examples }
    }

    /// Every example, sorted by clause.
    ///
    /// ```
    /// use cs_policy::Policy;
    /// use cs_policy::boundary::Boundaries;
    ///
    /// let text = cs_policy::EXAMPLES.iter().find(|(n, _)| *n == "shop").unwrap().1;
    /// let old = Policy::from_toml_str("old.toml", text)?;
    /// let new = Policy::from_toml_str("new.toml", &text.replacen("below = 10", "below = 12", 1))?;
    /// let found = Boundaries::between(&old, &new);
    /// // 10 and 11 listed now raise the low-stock alert.
    /// assert_eq!(found.examples()[0].probe, "10–11 item(s) listed");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn examples(&self) -> &[BoundaryExample] {
        &self.examples
    }

    /// Whether the policies agree on every probe.
    ///
    /// ```
    /// use cs_policy::Policy;
    /// use cs_policy::boundary::Boundaries;
    ///
    /// let shop = Policy::example("shop")?;
    /// let fintech = Policy::example("fintech")?;
    /// assert!(!Boundaries::between(&shop, &fintech).is_empty());
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.examples.is_empty()
    }
}

impl fmt::Display for Boundaries {
    /// One example a line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for example in &self.examples {
            writeln!(f, "{example}")?;
        }
        Ok(())
    }
}

impl fmt::Display for BoundaryExample {
    /// `≠ clause: probe: before → after`; words the two outcomes start with
    /// in common are written once (`fine 100 → 120`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "≠ {}: {}: ", self.clause, self.probe)?;
        // `fine 100` and `fine 120`: the same words but the last.
        let split = |s: &'_ str| {
            s.rsplit_once(' ')
                .map(|(head, last)| (head.to_owned(), last.to_owned()))
        };
        match (split(&self.before.summary), split(&self.after.summary)) {
            (Some((head, before)), Some((head_after, after)))
                if head == head_after && !head.contains(',') =>
            {
                write!(f, "{head} {before} → {after}")
            }
            _ => write!(f, "{} → {}", self.before.summary, self.after.summary),
        }
    }
}

/// One probe value with each policy's outcome.
struct Probe {
    value: Decimal,
    before: Outcome,
    after: Outcome,
}

/// Turns probes (in increasing value) into examples: consecutive
/// disagreeing probes with the same pair of outcomes make one.
fn summarise(
    out: &mut Vec<BoundaryExample>,
    clause: &str,
    probes: Vec<Probe>,
    describe: impl Fn(Decimal, Decimal) -> String,
) {
    let mut run: Option<(Probe, Decimal)> = None;
    let flush = |out: &mut Vec<BoundaryExample>, run: Option<(Probe, Decimal)>| {
        if let Some((first, last)) = run {
            out.push(run_example(clause, first, last, &describe));
        }
    };
    for probe in probes {
        if probe.before.summary == probe.after.summary {
            flush(out, run.take());
            continue;
        }
        match &mut run {
            Some((first, last))
                if first.before.summary == probe.before.summary
                    && first.after.summary == probe.after.summary =>
            {
                *last = probe.value;
            }
            _ => {
                flush(out, run.take());
                let value = probe.value;
                run = Some((probe, value));
            }
        }
    }
    flush(out, run);
}

/// The example a run of disagreeing probes makes, from its `first` probe
/// to the value `last`, citing `clause` or, when none is stated, the
/// clause of the side that decided.
fn run_example(
    clause: &str,
    first: Probe,
    last: Decimal,
    describe: &impl Fn(Decimal, Decimal) -> String,
) -> BoundaryExample {
    let clause = deciding_clause(&first)
        .filter(|_| clause.is_empty())
        .unwrap_or(clause)
        .to_owned();
    BoundaryExample {
        clause,
        probe: describe(first.value, last),
        first: first.value,
        last,
        before: first.before,
        after: first.after,
    }
}

/// The clause of the side that decided a disagreement, where either
/// outcome names one.
fn deciding_clause(probe: &Probe) -> Option<&str> {
    // Without a stated clause, the side whose outcome names a conversion or
    // an action decided the difference; else the new.
    let marked = |o: &Outcome| o.summary.contains("converted") || o.summary.contains("review");
    // Else the more specific (deeper) clause, the new one on a tie.
    let depth = |o: &Outcome| o.clause.as_deref().map_or(0, |c| c.split('.').count());
    let sides = if (marked(&probe.before) && !marked(&probe.after))
        || (marked(&probe.before) == marked(&probe.after)
            && depth(&probe.before) > depth(&probe.after))
    {
        [&probe.before, &probe.after]
    } else {
        [&probe.after, &probe.before]
    };
    sides.iter().find_map(|o| o.clause.as_deref())
}

struct Pair<'p> {
    old: &'p Policy,
    new: &'p Policy,
    /// The year dated probes are taken in: one both calendars cover.
    year: i32,
}

/// A year both policies' calendars cover: 2026 where they can, else the
/// latest they share (probes outside it would only find calendar errors).
fn probe_year(old: &Policy, new: &Policy) -> i32 {
    let years = |p: &Policy| p.calendar().years().unwrap_or((i32::MIN, i32::MAX));
    let ((a0, a1), (b0, b1)) = (years(old), years(new));
    let (first, last) = (a0.max(b0), a1.min(b1));
    if first > last || (first..=last).contains(&2026) {
        2026
    } else {
        last
    }
}

/// Every scorecard id of a policy.
fn card_ids(policy: &Policy) -> Vec<&str> {
    policy
        .kpi()
        .map(|k| k.scorecards().iter().map(|c| c.id()).collect())
        .unwrap_or_default()
}

impl<'p> Pair<'p> {
    /// The ids `of` gives for each policy, the new policy's first, each
    /// once.
    fn either(&self, of: impl Fn(&'p Policy) -> Vec<&'p str>) -> Vec<&'p str> {
        let mut seen = std::collections::HashSet::new();
        of(self.new)
            .into_iter()
            .chain(of(self.old))
            .filter(|id| seen.insert(*id))
            .collect()
    }

    fn probe_each<V: Copy + Into<Decimal>>(
        &self,
        values: impl IntoIterator<Item = V>,
        outcome: impl Fn(&Policy, V) -> Outcome,
    ) -> Vec<Probe> {
        values
            .into_iter()
            .map(|v| Probe {
                value: v.into(),
                before: outcome(self.old, v),
                after: outcome(self.new, v),
            })
            .collect()
    }
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// Days of a probe value, `3 day(s)`, or of a run, `3–5 days`.
fn days_words(first: Decimal, last: Decimal, unit: &str) -> String {
    let (first, last) = (whole(first), whole(last));
    if first == last {
        format!("{first} {unit}(s)")
    } else {
        format!("{first}–{last} {unit}s")
    }
}

/// Ordinals of a run of probe values: `3rd`, or `3rd–5th`.
fn ordinal_range(first: Decimal, last: Decimal) -> String {
    let (first, last) = (whole(first), whole(last));
    if first == last {
        ordinal(first)
    } else {
        format!("{}–{}", ordinal(first), ordinal(last))
    }
}

fn window_words(window: Window) -> String {
    match window {
        Window::CalendarMonth => "in a month".into(),
        Window::Quarter => "in a quarter".into(),
        Window::CalendarYear => "in a year".into(),
        Window::Ever => "ever".into(),
        Window::RollingDays(days) => format!("within {days} days"),
    }
}

/// A whole number as a `u32`, for probe values built from one.
fn whole(value: Decimal) -> u32 {
    value.trunc().to_u32().unwrap_or(0)
}

fn range_words(first: Decimal, last: Decimal, unit: &str) -> String {
    if first == last {
        format!("{first} {unit}")
    } else {
        format!("{first}–{last} {unit}")
    }
}

// ---------------------------------------------------------------- discipline

impl Pair<'_> {
    fn discipline(&self, out: &mut Vec<BoundaryExample>) {
        let (old, new) = (self.old.discipline(), self.new.discipline());
        if old.is_none() && new.is_none() {
            return;
        }
        let ids = self.either(|p| {
            p.discipline()
                .map(|d| d.kinds().iter().map(|k| k.id()).collect())
                .unwrap_or_default()
        });
        for id in ids {
            let (old_kind, new_kind) = (kind_of(self.old, id), kind_of(self.new, id));
            let steps = |k: Option<&crate::discipline::Kind>| match k.map(|k| k.rule()) {
                Some(crate::discipline::Rule::Ladder(ladder)) => ladder.steps().len(),
                _ => 1,
            };
            let most = u32::try_from(steps(old_kind).max(steps(new_kind)) + 2).unwrap_or(3);
            let window = new_kind
                .or(old_kind)
                .map(|k| k.window())
                .unwrap_or(Window::Ever);
            let clause = new_kind
                .map(|k| k.clause().id())
                .or(old_kind.map(|k| k.clause().id()))
                .unwrap_or(id)
                .to_owned();
            // A range's top, from the new policy's steps (else the old's).
            let chosen = range_tops(new_kind.or(old_kind));
            let (before, after) = (
                occurrences(self.old, id, most, window, &chosen),
                occurrences(self.new, id, most, window, &chosen),
            );
            let probes = before
                .into_iter()
                .zip(after)
                .zip(1..=most)
                .map(|((before, after), k)| Probe {
                    value: k.into(),
                    before,
                    after,
                })
                .collect();
            let words = window_words(window);
            summarise(out, &clause, probes, |first, last| {
                format!("{} occurrence {words}", ordinal_range(first, last))
            });
        }
    }
}

/// The amount chosen, step by step, for an incident whose step states a
/// range: its top.
fn range_tops(kind: Option<&crate::discipline::Kind>) -> Vec<Option<Decimal>> {
    match kind.map(|k| k.rule()) {
        Some(crate::discipline::Rule::Ladder(ladder)) => ladder
            .steps()
            .iter()
            .map(|s| range_top(s.amount()))
            .collect(),
        Some(crate::discipline::Rule::Flat(step)) => vec![range_top(step.amount())],
        None => Vec::new(),
    }
}

fn range_top(amount: crate::discipline::StepAmount) -> Option<Decimal> {
    match amount {
        crate::discipline::StepAmount::Range { max, .. } => Some(max),
        _ => None,
    }
}

fn kind_of<'p>(policy: &'p Policy, id: &str) -> Option<&'p crate::discipline::Kind> {
    let rules = policy.discipline()?;
    rules.kind(rules.resolve_kind(id)?)
}

fn card_of<'p>(policy: &'p Policy, id: &str) -> Option<&'p crate::kpi::Scorecard> {
    policy.kpi()?.scorecard(id)
}

/// Where a ladder's probes are placed: the first day of a window of
/// `window` in 2026 and the days it holds (a window that never restarts
/// is given a year).
fn window_days(window: Window) -> (NaiveDate, u32) {
    let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default();
    match window {
        Window::CalendarMonth => (day(3, 1), 31),
        Window::Quarter => (day(1, 1), 90),
        Window::CalendarYear | Window::Ever => (day(1, 1), 365),
        Window::RollingDays(days) => (day(3, 2), days),
    }
}

/// The outcomes of the 1st to `most`-th incident of a kind in one window,
/// from one evaluation of `most` incidents (an occurrence's outcome depends
/// only on those before it).
///
/// The incidents are one a day from the window's first day; once its days
/// are used up the rest fall on its last day (occurrences on one day count
/// in order), so the probes never leave the window they test. `chosen`
/// holds, step by step, the amount chosen for an incident whose step
/// states a range (its top).
fn occurrences(
    policy: &Policy,
    kind: &str,
    most: u32,
    window: Window,
    chosen: &[Option<Decimal>],
) -> Vec<Outcome> {
    let n = usize::try_from(most).unwrap_or(0);
    let Some(rules) = policy.discipline() else {
        return vec![Outcome::none("no discipline rules"); n];
    };
    if rules.resolve_kind(kind).is_none() {
        return vec![Outcome::none(format!("no kind `{kind}`")); n];
    }
    let (first, days) = window_days(window);
    let incidents: Vec<Incident> = (0..most)
        .map(|i| {
            let offset = TimeDelta::days(i64::from(i.min(days.saturating_sub(1))));
            let date = first.checked_add_signed(offset).unwrap_or(first);
            let incident = Incident::new("probe", kind, date);
            match chosen.get(i as usize).or(chosen.last()).copied().flatten() {
                Some(value) => incident.with_value(value),
                None => incident,
            }
        })
        .collect();
    // An error at one incident stands for every probe that includes it;
    // the probes before it are evaluated without it (at most twice more:
    // a line's own error, then the totals').
    let mut outcomes = vec![Outcome::none("nothing"); n];
    let mut end = n;
    while end > 0 {
        let Some(prefix) = incidents.get(..end) else {
            break;
        };
        match policy.discipline_statement(prefix) {
            Ok(statement) => {
                for (slot, line) in outcomes.iter_mut().zip(statement.lines()) {
                    *slot = line_outcome(line);
                }
                break;
            }
            Err(error) => {
                let at = failed_incident(&error).filter(|&i| i < end).unwrap_or(0);
                let failed = Outcome::none(format!("not evaluated: {error}"));
                for slot in outcomes.iter_mut().take(end).skip(at) {
                    *slot = failed.clone();
                }
                end = at;
            }
        }
    }
    outcomes
}

/// The incident a discipline error names, if it names one.
fn failed_incident(error: &crate::discipline::DisciplineError) -> Option<usize> {
    use crate::discipline::DisciplineError as E;
    match error {
        E::UnknownKind { index, .. }
        | E::MissingValue { index, .. }
        | E::ValueOutOfRange { index, .. }
        | E::UnexpectedValue { index, .. }
        | E::Overflow { index, .. } => Some(*index),
        _ => None,
    }
}

/// A fine or reward and its actions, in words, citing its step.
fn line_outcome(line: &crate::discipline::Line<'_>) -> Outcome {
    let word = match line.effect {
        Effect::Fine => "fine",
        Effect::Reward => "reward",
    };
    let mut summary = if line.amount.is_zero() {
        format!("no {word}")
    } else {
        format!("{word} {}", line.amount.normalize())
    };
    let actions: Vec<String> = line.actions.iter().map(|a| a.to_string()).collect();
    if !actions.is_empty() {
        summary = format!("{summary}, {}", actions.join(" + "));
    }
    Outcome::new(summary, Some(line.clause.id()))
}

// ---------------------------------------------------------------- attendance

/// Minutes probed at most (a shift longer than this is probed this far).
const MAX_MINUTES: u32 = 600;
/// Lates or absent days in a row probed at most.
const MAX_RUN: usize = 8;

/// Dates of March of the probe year working in both calendars on which the
/// shift works.
fn working_days(pair: &Pair<'_>) -> Vec<NaiveDate> {
    let mut dates = Vec::new();
    let mut date = NaiveDate::from_ymd_opt(pair.year, 3, 1).unwrap_or_default();
    let working = |p: &Policy, d| p.calendar().is_working_day(d).unwrap_or(false);
    while date.month() == 3 {
        if working(pair.old, date) && working(pair.new, date) {
            dates.push(date);
        }
        date += TimeDelta::days(1);
    }
    dates
}

/// The shift probed: one both policies define, else the one policy's first.
fn probe_shift<'a>(pair: &'a Pair<'_>) -> Option<(&'a str, &'a Policy)> {
    let ids = |p: &'a Policy| {
        p.shifts()
            .map(|s| s.types().iter().map(|t| t.id()).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    let (old_ids, new_ids) = (ids(pair.old), ids(pair.new));
    if let Some(id) = old_ids.iter().find(|id| new_ids.contains(id)) {
        return Some((id, pair.old));
    }
    // No shift in common: each policy's first shift, named by the old's.
    let has = |p: &Policy| p.attendance().is_some();
    match (has(pair.old), has(pair.new)) {
        (true, _) => old_ids.first().map(|id| (*id, pair.old)),
        (false, true) => new_ids.first().map(|id| (*id, pair.new)),
        (false, false) => None,
    }
}

/// The shift a policy is probed on: `preferred` if it defines it, else its
/// first shift.
fn shift_in(policy: &Policy, preferred: &str) -> Option<crate::shift::ShiftRef> {
    policy.shift_ref(preferred).or_else(|| {
        let first = policy.shifts()?.types().first()?.id();
        policy.shift_ref(first)
    })
}

/// A day's (start, end) as date-times, in the policy defining the shift.
fn shift_times(
    policy: &Policy,
    shift: crate::shift::ShiftRef,
    date: NaiveDate,
) -> Option<(NaiveDateTime, NaiveDateTime)> {
    let kind = policy.shift_type(shift)?;
    let hours = kind.hours(date.weekday());
    let midnight = date.and_hms_opt(0, 0, 0)?;
    let start = midnight + TimeDelta::minutes(i64::from(hours.start_minute()));
    let end = midnight + TimeDelta::minutes(i64::from(hours.end_minute()));
    (end > start).then_some((start, end))
}

fn day_word(status: DayStatus) -> &'static str {
    match status {
        DayStatus::OnTime => "on time",
        DayStatus::Late { .. } => "late",
        DayStatus::EarlyLeave { .. } => "left early",
        DayStatus::LateAndEarlyLeave { .. } => "late and left early",
        DayStatus::Absent {
            reason: AbsenceReason::UnapprovedLeave,
        } => "absent (unapproved leave)",
        DayStatus::Absent { .. } => "absent",
        DayStatus::OnLeave => "on leave",
        DayStatus::Rest => "rest day",
        DayStatus::Holiday => "holiday",
        DayStatus::MissingPunch { .. } => "missing punch",
    }
}

/// What a month's summary adds to a day's outcome: conversions, deductions
/// and actions.
fn month_words(policy: &Policy, summary: &MonthSummary) -> Vec<String> {
    let mut words = Vec::new();
    if !summary.conversions.is_empty() {
        words.push(format!(
            "{} converted to absence",
            summary.conversions.len()
        ));
    }
    if !summary.total_deducted.is_zero() {
        words.push(format!("deducted {}", summary.total_deducted.normalize()));
    }
    for action in &summary.actions {
        words.push(action_words(action.kind).to_owned());
    }
    let _ = policy;
    words
}

fn action_words(kind: crate::attendance::ActionKind) -> &'static str {
    match kind {
        crate::attendance::ActionKind::DismissalReview => "dismissal review",
    }
}

/// The clause of what the n-th day of a run adds: its conversion, its
/// action, else the last deduction.
fn marginal_clause(before: Option<&MonthSummary>, after: &MonthSummary) -> Option<&'static str> {
    let (conversions, actions) = before.map_or((0, 0), |b| (b.conversions.len(), b.actions.len()));
    let clause = after
        .actions
        .get(actions)
        .map(|a| a.clause)
        .or(after.conversions.get(conversions).map(|c| c.clause))
        .or(after.deductions.last().map(|d| d.clause))?;
    Some(clause.id())
}

/// What the n-th day of a run adds to the month: a conversion, the change
/// in deductions, new actions.
fn marginal_words(before: Option<&MonthSummary>, after: &MonthSummary) -> Vec<String> {
    let (conversions, deducted, actions) = before.map_or((0, Decimal::ZERO, 0), |b| {
        (b.conversions.len(), b.total_deducted, b.actions.len())
    });
    let mut words = Vec::new();
    if after.conversions.len() > conversions {
        words.push("converted to absence".to_owned());
    }
    match after.total_deducted.checked_sub(deducted) {
        Some(delta) if !delta.is_zero() || !words.is_empty() => {
            words.push(format!("deducted {}", delta.normalize()));
        }
        Some(_) => {}
        None => words.push(format!(
            "deducted {}, from {}",
            after.total_deducted, deducted
        )),
    }
    for action in after.actions.iter().skip(actions) {
        words.push(action_words(action.kind).to_owned());
    }
    if words.is_empty() {
        words.push("no penalty".to_owned());
    }
    words
}

impl Pair<'_> {
    /// Attendance: minutes late or early on one day, then lates and absent
    /// days in a row.
    fn attendance(&self, out: &mut Vec<BoundaryExample>) {
        let Some(probe) = AttendanceProbe::new(self) else {
            return;
        };
        for late in [true, false] {
            probe.one_day(out, late);
        }
        for absent in [false, true] {
            probe.in_a_row(out, absent);
        }
    }
}

/// A day probed: its date, and minutes late at clock-in and early at
/// clock-out (`None`: no punch).
type ProbeDay = (NaiveDate, Option<i64>, Option<i64>);

/// What every attendance probe shares: the shift, the working days of the
/// probe month, and how long a probe may be late or early.
struct AttendanceProbe<'a> {
    pair: &'a Pair<'a>,
    /// The shift probed, as the policy that defines it names it.
    shift: &'a str,
    /// Working days of the probe month, in order (at least one).
    dates: Vec<NaiveDate>,
    /// The shorter of the two shifts, so every probe's punches fit both.
    length: u32,
    /// The shift as each policy names it (`day / regular`).
    shown: String,
}

impl<'a> AttendanceProbe<'a> {
    fn new(pair: &'a Pair<'a>) -> Option<Self> {
        let (shift, _) = probe_shift(pair)?;
        let dates = working_days(pair);
        let first_day = *dates.first()?;
        let mut length = u32::MAX;
        let mut names: Vec<&str> = Vec::new();
        for policy in [pair.old, pair.new] {
            let Some(shift_ref) = shift_in(policy, shift) else {
                continue;
            };
            if let Some((start, end)) = shift_times(policy, shift_ref, first_day) {
                length = length.min(u32::try_from((end - start).num_minutes()).unwrap_or(0));
            }
            if let Some(kind) = policy.shift_type(shift_ref) {
                if !names.contains(&kind.id()) {
                    names.push(kind.id());
                }
            }
        }
        Some(Self {
            pair,
            shift,
            dates,
            length: length.min(MAX_MINUTES),
            shown: names.join(" / "),
        })
    }

    fn first_day(&self) -> NaiveDate {
        self.dates.first().copied().unwrap_or_default()
    }

    /// The month of `days` on the probed shift, as `policy` reports it.
    fn month(&self, policy: &Policy, days: Vec<ProbeDay>) -> Result<MonthReport, Outcome> {
        let Some(shift_ref) = shift_in(policy, self.shift) else {
            return Err(Outcome::none("no shifts"));
        };
        if policy.attendance().is_none() {
            return Err(Outcome::none("no attendance rules"));
        }
        let days = days
            .into_iter()
            .filter_map(|(date, late, early)| {
                let (start, end) = shift_times(policy, shift_ref, date)?;
                Some(WorkDay {
                    date,
                    shift: shift_ref,
                    clock_in: late.map(|m| start + TimeDelta::minutes(m)),
                    clock_out: early.map(|m| end - TimeDelta::minutes(m)),
                    overtime_approved: false,
                })
            })
            .collect();
        let facts = AgentMonth {
            agent: "probe".into(),
            year: self.pair.year,
            month: 3,
            days,
            leave: Vec::new(),
            pay: Some(MonthPay {
                base_wage: Decimal::from(3000),
                gross: Decimal::from(4000),
            }),
        };
        policy
            .attendance_report(&facts)
            .map_err(|e| Outcome::none(format!("not evaluated: {e}")))
    }

    /// Every minute late (or early) on one day, 0 to the shift's length.
    fn one_day(&self, out: &mut Vec<BoundaryExample>, late: bool) {
        let what = if late {
            "minutes late"
        } else {
            "minutes early"
        };
        let probes = self
            .pair
            .probe_each(0..=self.length, |p, m| self.day_outcome(p, late, m));
        summarise(out, "", probes, |first, last| {
            format!("{} on shift {}", range_words(first, last, what), self.shown)
        });
    }

    /// One day `m` minutes late (or early): the day's status, what the
    /// month adds, and the full-attendance bonus a clean month earns.
    fn day_outcome(&self, policy: &Policy, late: bool, m: u32) -> Outcome {
        let (first_day, m) = (self.first_day(), i64::from(m));
        let day = if late {
            (first_day, Some(m), Some(0))
        } else {
            (first_day, Some(0), Some(m))
        };
        let report = match self.month(policy, vec![day]) {
            Err(outcome) => return outcome,
            Ok(report) => report,
        };
        let Some(record) = report.days.iter().find(|d| d.date == first_day) else {
            return Outcome::none("not rostered");
        };
        let mut words = vec![day_word(record.status).to_owned()];
        words.extend(month_words(policy, &report.summary));
        let mut clause = record.clause;
        if let Some(full) = &report.summary.full_attendance {
            if let Some(amount) = full.amount {
                words.push(format!("full-attendance bonus {}", amount.normalize()));
                clause = full.clause;
            }
        }
        Outcome::new(words.join(", "), Some(clause.id()))
    }

    /// The n-th late (or absent day) in a row, n = 1 to [`MAX_RUN`],
    /// reported as what that day adds to the month.
    fn in_a_row(&self, out: &mut Vec<BoundaryExample>, absent: bool) {
        let what = if absent {
            "absent day in a row"
        } else {
            "late in a row"
        };
        let most = MAX_RUN.min(self.dates.len());
        let probes = self
            .pair
            .probe_each(1..=u32::try_from(most).unwrap_or(0), |p, n| {
                self.run_outcome(p, absent, usize::try_from(n).unwrap_or(0))
            });
        let (old, new) = (self.pair.old.attendance(), self.pair.new.attendance());
        let fallback = new
            .or(old)
            .map_or("attendance", |a| a.clause().id())
            .to_owned();
        let mut found = Vec::new();
        summarise(&mut found, "", probes, |first, last| {
            format!(
                "{} {what} on shift {}",
                ordinal_range(first, last),
                self.shown
            )
        });
        for mut example in found {
            if example.before.clause.is_none() && example.after.clause.is_none() {
                example.clause = fallback.clone();
            }
            out.push(example);
        }
    }

    /// What the n-th day of a run adds to the month of the n - 1 before it.
    fn run_outcome(&self, policy: &Policy, absent: bool, n: usize) -> Outcome {
        let days = |n: usize| {
            let day = |d| {
                if absent {
                    (d, None, None)
                } else {
                    (d, Some(1), Some(0))
                }
            };
            self.dates.iter().take(n).map(|&d| day(d)).collect()
        };
        let previous = match n {
            0 | 1 => None,
            n => self.month(policy, days(n - 1)).ok(),
        };
        match self.month(policy, days(n)) {
            Err(outcome) => outcome,
            Ok(report) => {
                let before = previous.as_ref().map(|r| &r.summary);
                let words = marginal_words(before, &report.summary);
                Outcome::new(words.join(", "), marginal_clause(before, &report.summary))
            }
        }
    }
}

// ---------------------------------------------------------------- kpi

impl Pair<'_> {
    fn kpi(&self, out: &mut Vec<BoundaryExample>) {
        for id in self.either(card_ids) {
            let (old_card, new_card) = (card_of(self.old, id), card_of(self.new, id));
            if old_card.and_then(|c| c.bands()).is_none()
                && new_card.and_then(|c| c.bands()).is_none()
            {
                continue;
            }
            let total = [old_card, new_card]
                .into_iter()
                .flatten()
                .map(|c| c.total())
                .max()
                .unwrap_or(Decimal::ONE_HUNDRED);
            let cards = [old_card, new_card];
            let values = band_probes(cards.into_iter().flatten(), total);
            let probes = values
                .into_iter()
                .map(|score| Probe {
                    value: score,
                    before: grade_outcome(old_card, id, score),
                    after: grade_outcome(new_card, id, score),
                })
                .collect();
            let clause = new_card
                .and_then(|c| c.bands().map(|b| b.clause().id()))
                .or(old_card.and_then(|c| c.bands().map(|b| b.clause().id())))
                .unwrap_or_default()
                .to_owned();
            summarise(out, &clause, probes, |first, last| {
                if first == last {
                    format!("score {first} on card {id}")
                } else {
                    format!("scores {first}–{last} on card {id}")
                }
            });
        }
    }
}

/// The band a score falls in on the card `id` as one policy has it, with
/// whether it passes and its share of pay.
fn grade_outcome(card: Option<&crate::kpi::Scorecard>, id: &str, score: Decimal) -> Outcome {
    let Some(card) = card else {
        return Outcome::none(format!("no scorecard `{id}`"));
    };
    match card.grade_of(score) {
        Err(error) => Outcome::none(format!("not graded: {error}")),
        Ok(None) => Outcome::none("no bands"),
        Ok(Some(g)) => {
            let name = g.band.id();
            let mut summary = format!(
                "grade {name}, {}",
                if g.pass { "passed" } else { "not passed" }
            );
            if let Some(share) = g.pay_share {
                summary.push_str(&format!(", pay share {}%", share.normalize()));
            }
            Outcome::new(summary, Some(g.clause.id()))
        }
    }
}

/// A band edge of `card` in points: an edge over percent is that share of
/// the card's total; `None` when it lies beyond any decimal (and so above
/// every score).
fn edge_in_points(card: &crate::kpi::Scorecard, edge: Decimal) -> Option<Decimal> {
    match card.bands().map(|b| b.over()) {
        Some(crate::kpi::Over::Percent) => edge
            .checked_mul(card.total())
            .map(|x| x / Decimal::ONE_HUNDRED)
            .or_else(|| (edge / Decimal::ONE_HUNDRED).checked_mul(card.total())),
        _ => Some(edge),
    }
}

/// Every band edge of the cards, in points.
fn band_edges<'c>(
    cards: impl IntoIterator<Item = &'c crate::kpi::Scorecard>,
) -> impl Iterator<Item = (Decimal, bool)> {
    cards.into_iter().flat_map(|card| {
        let over_score = card
            .bands()
            .is_some_and(|b| b.over() == crate::kpi::Over::Score);
        card.bands()
            .map(|b| b.rows())
            .unwrap_or_default()
            .iter()
            .flat_map(|row| [row.from(), row.to()])
            .flatten()
            .filter_map(move |edge| edge_in_points(card, edge).map(|e| (e, over_score)))
    })
}

/// The smallest whole number at or above `x`, and the one below it.
fn whole_around(x: Decimal) -> [Option<Decimal>; 2] {
    let up = x.ceil().normalize();
    [up.checked_sub(Decimal::ONE), Some(up)]
}

/// The scores that stand for every score from 0 to `total` on the cards'
/// bands: grades change only at band edges, so between two edges every
/// whole score decides as the first and last whole scores do. They are
/// those two around each edge (and a card's total), 0 and the highest
/// whole score; and each fractional edge, or edge over percent, and one
/// hundredth below it. As many as the edges, whatever the total.
fn band_probes<'c>(
    cards: impl IntoIterator<Item = &'c crate::kpi::Scorecard> + Clone,
    total: Decimal,
) -> Vec<Decimal> {
    let cent = Decimal::new(1, 2);
    let mut values = vec![Decimal::ZERO, total.floor().normalize()];
    for card in cards.clone() {
        values.extend(whole_around(card.total()).into_iter().flatten());
        values.extend(card.total().floor().normalize().checked_add(Decimal::ONE));
    }
    for (edge, over_score) in band_edges(cards) {
        values.extend(whole_around(edge).into_iter().flatten());
        if edge.fract().is_zero() && over_score {
            continue;
        }
        values.push(edge.normalize());
        values.extend(edge.checked_sub(cent).map(|e| e.normalize()));
    }
    values.retain(|v| !v.is_sign_negative() && *v <= total);
    values.sort();
    values.dedup();
    values
}

// ---------------------------------------------------------------- pay

/// Card facts that score exactly `target` on a card (with no attendance
/// counts and no adjustments), if the card's items can make it: graded and
/// tiered items take the best option that fits, points and rated items fill
/// the rest.
pub(crate) fn facts_for(
    card: &crate::kpi::Scorecard,
    target: Decimal,
) -> Option<crate::kpi::CardFacts> {
    use crate::kpi::{ItemFact, ItemKind, ItemValue};
    let mut remaining = after_attendance(card, target)?;
    let mut items = Vec::new();
    let fact = |item: &crate::kpi::Item, value| ItemFact {
        item: item.id().to_owned(),
        value,
    };
    // Coarse items first, so the fine ones can make up the difference.
    for item in card.items() {
        let value = match item.kind() {
            ItemKind::Graded { grades } => best_grade(grades, &mut remaining)?,
            ItemKind::Tiered { tiers, otherwise } => best_tier(tiers, *otherwise, &mut remaining)?,
            _ => continue,
        };
        items.push(fact(item, value));
    }
    for item in card.items() {
        let value = match item.kind() {
            ItemKind::Points => ItemValue::Points(fill_up_to(&mut remaining, item.max())?),
            ItemKind::Rated => {
                let points = fill_up_to(&mut remaining, item.max())?;
                let rating = points
                    .checked_mul(Decimal::ONE_HUNDRED)?
                    .checked_div(item.max())?;
                ItemValue::Rating(rating)
            }
            _ => continue,
        };
        items.push(fact(item, value));
    }
    remaining.is_zero().then_some(crate::kpi::CardFacts {
        items,
        adjustments: Vec::new(),
    })
}

/// The points left of `target` once every attendance item gives its full
/// points (the probe has nothing to deduct), if it does not go below 0.
fn after_attendance(card: &crate::kpi::Scorecard, target: Decimal) -> Option<Decimal> {
    let mut remaining = target;
    for item in card.items() {
        if let crate::kpi::ItemKind::Attendance { full, .. } = item.kind() {
            remaining = remaining.checked_sub(*full)?;
        }
    }
    (!remaining.is_sign_negative()).then_some(remaining)
}

/// The grade with the most points that still fit in `remaining`, taken
/// from it.
fn best_grade(
    grades: &[crate::kpi::ItemGrade],
    remaining: &mut Decimal,
) -> Option<crate::kpi::ItemValue> {
    let grade = grades
        .iter()
        .filter(|g| g.points() <= *remaining)
        .max_by_key(|g| g.points())?;
    *remaining = remaining.checked_sub(grade.points())?;
    Some(crate::kpi::ItemValue::Grade(grade.id().to_owned()))
}

/// The metric of the tier with the most points that fit in `remaining`,
/// or one past every tier when `otherwise` gives more and fits; its
/// points taken from `remaining`.
fn best_tier(
    tiers: &[(Decimal, Decimal)],
    otherwise: Decimal,
    remaining: &mut Decimal,
) -> Option<crate::kpi::ItemValue> {
    let best = tiers
        .iter()
        .filter(|(_, p)| *p <= *remaining)
        .max_by_key(|(_, p)| *p);
    let metric = match best {
        Some((at_most, points)) if *points >= otherwise || otherwise > *remaining => {
            *remaining = remaining.checked_sub(*points)?;
            *at_most
        }
        _ => {
            let above = tiers.last().map_or(Decimal::ZERO, |(a, _)| *a);
            *remaining = remaining.checked_sub(otherwise)?;
            above.checked_add(Decimal::ONE)?
        }
    };
    Some(crate::kpi::ItemValue::Metric(metric))
}

/// As many of `remaining`'s points as an item of at most `max` takes,
/// taken from it.
fn fill_up_to(remaining: &mut Decimal, max: Decimal) -> Option<Decimal> {
    let points = (*remaining).min(max);
    *remaining = remaining.checked_sub(points)?;
    Some(points)
}

/// The scorecard a pay plan scores, found by scoring each card under it.
pub(crate) fn plan_card<'p>(policy: &'p Policy, plan: &str) -> Option<&'p crate::kpi::Scorecard> {
    let kpi = policy.kpi()?;
    kpi.scorecards().iter().find(|card| {
        let Some(facts) = facts_for(card, card.total()) else {
            return false;
        };
        policy
            .agent_month(&probe_month(plan, None, facts))
            .ok()
            .and_then(|s| s.score)
            .is_some_and(|s| s.clause == card.clause())
    })
}

/// The probe agent's March 2026 on `plan`, holding `level`, with `card`
/// as the assessor filled it.
fn probe_month(
    plan: &str,
    level: Option<&str>,
    card: crate::kpi::CardFacts,
) -> crate::pay::AgentMonth {
    crate::pay::AgentMonth {
        agent: "probe".into(),
        plan: plan.to_owned(),
        year: 2026,
        month: 3,
        level: level.map(str::to_owned),
        card,
        ..Default::default()
    }
}

/// A pay plan of a policy, by its id.
fn plan_of<'p>(policy: &'p Policy, id: &str) -> Option<&'p crate::pay::Plan> {
    policy.pay()?.plan(id)
}

/// What a policy pays on `plan` for a card scored as `facts`, with the
/// actions it takes, citing the clause that decided.
fn pay_outcome(
    policy: &Policy,
    plan: &str,
    level: Option<&str>,
    facts: &crate::kpi::CardFacts,
) -> Outcome {
    match pay_statement(policy, plan, level, facts) {
        Ok(statement) => Outcome::new(pay_words(&statement), pay_clause(&statement)),
        Err(outcome) => outcome,
    }
}

/// The probe's pay statement, or the outcome that says why there is none.
fn pay_statement(
    policy: &Policy,
    plan: &str,
    level: Option<&str>,
    facts: &crate::kpi::CardFacts,
) -> Result<crate::pay::Statement, Outcome> {
    let Some(pay) = policy.pay() else {
        return Err(Outcome::none("no pay rules"));
    };
    if pay.plan(plan).is_none() {
        return Err(Outcome::none(format!("no plan `{plan}`")));
    }
    let month = probe_month(plan, level, facts.clone());
    policy.agent_month(&month).map_err(|error| match error {
        // Past an item's maximum, in words that do not name the probe's
        // points, so that a run of such scores is one example.
        crate::pay::PayError::Card {
            error: crate::kpi::KpiError::AboveMax { item, max, .. },
            ..
        } => Outcome::none(format!(
            "not evaluated: item `{item}` takes at most `{max}` points"
        )),
        error => Outcome::none(format!("not evaluated: {error}")),
    })
}

/// A pay statement in words: the total, then each action.
fn pay_words(statement: &crate::pay::Statement) -> String {
    use crate::pay::ActionKind;
    let mut words = vec![format!("pay {}", statement.total.normalize())];
    for action in &statement.actions {
        words.push(match action.kind {
            ActionKind::NotAssessed => "not assessed".to_owned(),
            ActionKind::Demotion { to } => format!("demoted to {}", to.id()),
            ActionKind::Promotion { to } => format!("promoted to {}", to.id()),
            ActionKind::PromotionBlocked { to } => format!("promotion to {} blocked", to.id()),
            ActionKind::Dismissal => "dismissal".to_owned(),
            ActionKind::DeemedResignation => "deemed resignation".to_owned(),
        });
    }
    words.join(", ")
}

/// The clause that decided a pay statement: its first action, else its
/// first line that pays something, else the grade of its score.
fn pay_clause(statement: &crate::pay::Statement) -> Option<&'static str> {
    let clause = statement
        .actions
        .first()
        .map(|a| a.clause)
        .or(statement
            .lines
            .iter()
            .find(|l| !l.amount.is_zero())
            .map(|l| l.clause))
        .or(statement
            .score
            .as_ref()
            .and_then(|s| s.grade)
            .map(|g| g.clause));
    clause.map(|c| c.id())
}

/// Whole scores probed on each side of an edge of a pay plan.
const NEAR_EDGE: i64 = 16;

impl Pair<'_> {
    /// The whole scores a plan is probed at: those within [`NEAR_EDGE`] of
    /// every score where its pay can change, from 0 to the card's total.
    /// The edges are the card's total and 0, its band edges under either
    /// policy, the plan's level scores and `score_below` lines under
    /// either policy, and where the card's facts change shape (each item's
    /// maximum added up in order, each grade's and tier's points). Between
    /// edges pay is flat, or (a pool × score ÷ total) grows with the
    /// score; a stretch longer than twice [`NEAR_EDGE`] is probed near its
    /// ends only, so the cost follows the edges, not the total.
    fn pay_scores(&self, card: &crate::kpi::Scorecard, plan: &str) -> Vec<Decimal> {
        use crate::kpi::ItemKind;
        let total = card.total();
        let mut edges = vec![Decimal::ZERO, total];
        let same = [card_of(self.old, card.id()), card_of(self.new, card.id())];
        edges.extend(same.into_iter().flatten().map(crate::kpi::Scorecard::total));
        edges.extend(band_edges(same.into_iter().flatten()).map(|(edge, _)| edge));
        for policy in [self.old, self.new] {
            if let Some(plan) = plan_of(policy, plan) {
                edges.extend(plan.score_lines());
            }
        }
        let mut filled = Some(Decimal::ZERO);
        for item in card.items() {
            filled = filled.and_then(|f| f.checked_add(item.max()));
            edges.extend(filled);
            match item.kind() {
                ItemKind::Graded { grades } => edges.extend(grades.iter().map(|g| g.points())),
                ItemKind::Tiered { tiers, otherwise } => {
                    edges.extend(tiers.iter().map(|(_, p)| *p));
                    edges.push(*otherwise);
                }
                _ => {}
            }
        }
        let top = total.floor();
        let mut scores = Vec::new();
        for edge in edges {
            let up = edge.ceil();
            let (Some(from), Some(to)) = (
                up.checked_sub(NEAR_EDGE.into()),
                up.checked_add((NEAR_EDGE - 1).into()),
            ) else {
                continue;
            };
            let (from, to) = (from.max(Decimal::ZERO), to.min(top));
            let mut score = from;
            while score <= to {
                scores.push(score.normalize());
                let Some(next) = score.checked_add(Decimal::ONE) else {
                    break;
                };
                score = next;
            }
        }
        scores.sort();
        scores.dedup();
        scores
    }
    /// Pay plans: each plan's card filled to every score probed, with no
    /// level stated and with each level held.
    fn pay(&self, out: &mut Vec<BoundaryExample>) {
        let ids = self.either(|p| {
            p.pay()
                .map(|pay| pay.plans().iter().map(|plan| plan.id()).collect())
                .unwrap_or_default()
        });
        for plan in ids {
            // The card from the policy that has the plan, the new first.
            let defining = if plan_of(self.new, plan).is_some() {
                self.new
            } else {
                self.old
            };
            let Some(card) = plan_card(defining, plan) else {
                continue;
            };
            let clause = plan_of(self.new, plan)
                .or(plan_of(self.old, plan))
                .map(|p| p.clause().id())
                .unwrap_or_default();
            // One card fact per whole score probed that the card can make.
            let scores: Vec<(Decimal, crate::kpi::CardFacts)> = self
                .pay_scores(card, plan)
                .into_iter()
                .filter_map(|s| facts_for(card, s).map(|f| (s, f)))
                .collect();
            for level in self.plan_levels(plan) {
                self.pay_held(out, clause, plan, level, &scores);
            }
        }
    }

    /// The levels a plan is probed holding: none stated (its starting
    /// level), then each level of the plan under either policy.
    fn plan_levels(&self, plan: &str) -> Vec<Option<&str>> {
        std::iter::once(None)
            .chain(
                self.either(|p| {
                    plan_of(p, plan)
                        .map(|p| p.levels().iter().map(|l| l.id()).collect())
                        .unwrap_or_default()
                })
                .into_iter()
                .map(Some),
            )
            .collect()
    }

    /// A plan's pay at each score probed, `level` held, under both
    /// policies.
    fn pay_held(
        &self,
        out: &mut Vec<BoundaryExample>,
        clause: &str,
        plan: &str,
        level: Option<&str>,
        scores: &[(Decimal, crate::kpi::CardFacts)],
    ) {
        let probes = scores
            .iter()
            .map(|(score, facts)| Probe {
                value: *score,
                before: pay_outcome(self.old, plan, level, facts),
                after: pay_outcome(self.new, plan, level, facts),
            })
            .collect();
        let held = level
            .map(|l| format!(", level {l} held"))
            .unwrap_or_default();
        summarise(out, clause, probes, |first, last| {
            if first == last {
                format!("score {first} on plan {plan}{held}")
            } else {
                format!("scores {first}–{last} on plan {plan}{held}")
            }
        });
    }
}

// ---------------------------------------------------------------- leave

/// Every document a leave type may ask for: a probe that brings them all is
/// decided by what it probes, not by a missing paper.
const EVERY_PAPER: [crate::leave::Document; 4] = [
    crate::leave::Document::LeaveForm,
    crate::leave::Document::HospitalCertificate,
    crate::leave::Document::MarriageCertificate,
    crate::leave::Document::BirthCertificate,
];

/// Longest request probed on the notice ladder, in counted days, beyond the
/// last step's start.
const LADDER_BEYOND: u32 = 2;

/// A leave type under both policies, and the definition probed: the new
/// policy's, else the old's, with the calendar of the policy giving it.
struct LeaveTypes<'p> {
    id: &'p str,
    old: Option<&'p crate::leave::LeaveType>,
    new: Option<&'p crate::leave::LeaveType>,
    defining: &'p crate::leave::LeaveType,
    policy: &'p Policy,
}

impl<'p> LeaveTypes<'p> {
    fn of(pair: &Pair<'p>, id: &'p str) -> Option<Self> {
        let type_of = |p: &'p Policy| {
            let leave = p.leave()?;
            leave.get(leave.type_ref(id)?)
        };
        let (old, new) = (type_of(pair.old), type_of(pair.new));
        let (defining, policy) = match (new, old) {
            (Some(t), _) => (t, pair.new),
            (None, Some(t)) => (t, pair.old),
            (None, None) => return None,
        };
        Some(Self {
            id,
            old,
            new,
            defining,
            policy,
        })
    }

    /// Whether either policy's definition has `property`.
    fn either(&self, property: impl Fn(&crate::leave::LeaveType) -> bool) -> bool {
        [self.old, self.new].into_iter().flatten().any(property)
    }
}

/// The first date from `start` that `counting` counts, and the date it has
/// counted `n` (or the 400th day, if it counts fewer).
fn counted_days(
    policy: &Policy,
    counting: crate::leave::Counting,
    start: NaiveDate,
    n: u32,
) -> Option<(NaiveDate, NaiveDate)> {
    let mut date = start;
    let mut counted = 0;
    let mut first = None;
    for _ in 0..400 {
        if counting.counts(policy.calendar(), date).unwrap_or(false) {
            first.get_or_insert(date);
            counted += 1;
            if counted == n {
                break;
            }
        }
        date += TimeDelta::days(1);
    }
    Some((first?, date))
}

/// The day every leave probe starts on: 1 June of the probe year.
fn leave_start(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 6, 1).unwrap_or_default()
}

/// The day the probe agent joined: long before any leave probed, so a
/// marriage certificate is always obtained after it.
fn probe_joined() -> NaiveDate {
    NaiveDate::from_ymd_opt(2016, 1, 1).unwrap_or_default()
}

impl<'p> Pair<'p> {
    /// Leave: for each type, what a request needs by its length (the
    /// notice ladder once, a type's own notice), and what it is entitled
    /// to by the agent's age; then the year's cap.
    fn leave(&self, out: &mut Vec<BoundaryExample>) {
        use crate::leave::{Agent, LeaveType, Sex};
        if self.old.leave().is_none() && self.new.leave().is_none() {
            return;
        }
        let ids = self.either(|p| {
            p.leave()
                .map(|l| l.types().iter().map(|t| t.id()).collect())
                .unwrap_or_default()
        });
        let birth = NaiveDate::from_ymd_opt(1996, 1, 1).unwrap_or_default();
        let agent = Agent::new("probe", birth, Sex::Woman).joined_on(probe_joined());
        let mut ladder_probed = false;
        for id in ids {
            let Some(types) = LeaveTypes::of(self, id) else {
                continue;
            };
            // The shared ladder once, through the first type that follows
            // it; a type's own notice through that type.
            let mut scopes: Vec<&str> = Vec::new();
            if types.either(LeaveType::follows_ladder) && !ladder_probed {
                ladder_probed = true;
                scopes.push("leave.notice");
            }
            if types.either(|t| t.notice_days().is_some()) {
                scopes.push(types.defining.clause().id());
            }
            for scope in scopes {
                self.notice(out, &types, &agent, scope);
            }
            if types.either(|t| t.entitlement().is_some()) {
                for sex in [Sex::Man, Sex::Woman] {
                    self.entitlement_by_age(out, &types, sex);
                }
            }
        }
        self.year_cap(out, &agent, self.year);
    }

    /// The notice a request needs by its length: 1 to the longest notice
    /// step + [`LADDER_BEYOND`] counted days, made on its first day
    /// without paperwork, shows what it needs under `scope`.
    fn notice(
        &self,
        out: &mut Vec<BoundaryExample>,
        types: &LeaveTypes<'_>,
        agent: &crate::leave::Agent,
        scope: &str,
    ) {
        let longest = [self.old.leave(), self.new.leave()]
            .into_iter()
            .flatten()
            .flat_map(|l| l.notice_steps().iter().map(|s| s.min_days))
            .max()
            .unwrap_or(1)
            + LADDER_BEYOND;
        let (start, counting) = (leave_start(self.year), types.defining.counting());
        let probes = (1..=longest)
            .filter_map(|n| {
                let (first, last) = counted_days(types.policy, counting, start, n)?;
                let request = crate::leave::LeaveRequest::new(types.id, first, last, first)
                    .with_marriage(first);
                Some(Probe {
                    value: n.into(),
                    before: needs(self.old, agent, &request, scope),
                    after: needs(self.new, agent, &request, scope),
                })
            })
            .collect();
        let id = types.id;
        summarise(out, "", probes, |first, last| {
            let days = days_words(first, last, "counted day");
            format!("a request of {days} of {id}, made on its first day")
        });
    }

    /// What a request is entitled to by the agent's age: the same request
    /// with every paper, by a man or a woman aged 16 to 40 at the marriage,
    /// which is on the leave's first day.
    fn entitlement_by_age(
        &self,
        out: &mut Vec<BoundaryExample>,
        types: &LeaveTypes<'_>,
        sex: crate::leave::Sex,
    ) {
        use crate::leave::{Agent, Approver, LeaveRequest, Sex};
        let start = leave_start(self.year);
        let to = start + TimeDelta::days(29);
        let request = LeaveRequest::new(types.id, start, to, start - TimeDelta::days(60))
            .with_documents(EVERY_PAPER)
            .with_approvals([Approver::AboveDepartmentHead])
            .with_birth(start, false, 1)
            .with_marriage(start)
            .reported_back();
        let probes = (16u32..=40)
            .filter_map(|age| {
                let born = NaiveDate::from_ymd_opt(self.year - i32::try_from(age).ok()?, 5, 1)?;
                let agent = Agent::new("probe", born, sex).joined_on(probe_joined());
                Some(Probe {
                    value: age.into(),
                    before: entitlement(self.old, &agent, &request),
                    after: entitlement(self.new, &agent, &request),
                })
            })
            .collect();
        let who = match sex {
            Sex::Man => "a man",
            Sex::Woman => "a woman",
        };
        let id = types.id;
        summarise(out, types.defining.clause().id(), probes, |first, last| {
            format!(
                "{id} leave of {who} aged {}",
                range_words(first, last, "").trim_end()
            )
        });
    }

    /// The year's cap: 1 to the larger cap + 2 one-day requests of a
    /// capped type in one year, each asked for in good time with every
    /// paper, so that only the count decides.
    fn year_cap(&self, out: &mut Vec<BoundaryExample>, agent: &crate::leave::Agent, year: i32) {
        use crate::leave::{Approver, LeaveRequest};
        let allowed = |p: &'_ Policy| p.leave().and_then(|l| l.year_cap()).map(|c| c.allowed());
        let Some(most) = allowed(self.old).max(allowed(self.new)) else {
            return;
        };
        let most = most.saturating_add(LADDER_BEYOND);
        // One capped type stands for all: the cap is one clause.
        let capped = |p: &'_ Policy| {
            p.leave().and_then(|l| {
                l.types()
                    .iter()
                    .find(|t| t.counts_against_cap())
                    .map(|t| (t.id().to_owned(), t.counting()))
            })
        };
        let (defining, policy) = match (capped(self.new), capped(self.old)) {
            (Some(found), _) => (found, self.new),
            (None, Some(found)) => (found, self.old),
            (None, None) => return,
        };
        let (id, counting) = defining;
        let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
        let days: Vec<NaiveDate> = first
            .iter_days()
            .take_while(|d| d.year() == year)
            .filter(|d| counting.counts(policy.calendar(), *d).unwrap_or(false))
            .take(usize::try_from(most).unwrap_or(usize::MAX))
            .collect();
        let requests: Vec<LeaveRequest> = days
            .iter()
            .map(|day| {
                LeaveRequest::new(id.as_str(), *day, *day, *day - TimeDelta::days(60))
                    .with_documents(EVERY_PAPER)
                    .with_approvals([
                        Approver::Supervisor,
                        Approver::DepartmentHead,
                        Approver::AboveDepartmentHead,
                    ])
                    .reported_back()
            })
            .collect();
        let probes = (1..=requests.len())
            .map(|n| Probe {
                value: Decimal::from(n),
                before: within_cap(self.old, agent, &requests[..n], year),
                after: within_cap(self.new, agent, &requests[..n], year),
            })
            .collect();
        summarise(out, "", probes, |first, last| {
            format!("{} of {id} leave in a year", days_words(first, last, "day"))
        });
    }
}

/// Whether a year's requests stay within the year's cap.
fn within_cap(
    policy: &Policy,
    agent: &crate::leave::Agent,
    requests: &[crate::leave::LeaveRequest],
    year: i32,
) -> Outcome {
    let Some(leave) = policy.leave() else {
        return Outcome::none("no leave rules");
    };
    let Some(cap) = leave.year_cap() else {
        return Outcome::none("no yearly cap");
    };
    let balance = policy
        .check_leave_requests(agent, requests)
        .and_then(|decisions| policy.leave_year(year, &decisions));
    match balance {
        Err(error) => Outcome::none(format!("not evaluated: {error}")),
        Ok(balance) => {
            let clause = Some(cap.clause.id());
            if balance.over_cap_days > 0 {
                Outcome::new("over the year's cap", clause)
            } else {
                Outcome::new("within the year's cap", clause)
            }
        }
    }
}

/// A request decided alone, or the outcome that says why it was not.
fn decided(
    policy: &Policy,
    agent: &crate::leave::Agent,
    request: &crate::leave::LeaveRequest,
) -> Result<crate::leave::LeaveSummary, Outcome> {
    let Some(leave) = policy.leave() else {
        return Err(Outcome::none("no leave rules"));
    };
    if leave.type_ref(&request.leave_type).is_none() {
        return Err(Outcome::none(format!(
            "no leave type `{}`",
            request.leave_type
        )));
    }
    policy
        .decide_leave(agent, request)
        .map_err(|error| Outcome::none(format!("not evaluated: {error}")))
}

/// What a request needs that it lacks, with the clause of the first need.
///
/// Only the requirements whose clause id starts with `scope` count: the
/// notice ladder's (`leave.notice`) or one type's own notice.
fn needs(
    policy: &Policy,
    agent: &crate::leave::Agent,
    request: &crate::leave::LeaveRequest,
    scope: &str,
) -> Outcome {
    use crate::leave::Requirement;
    let decision = match decided(policy, agent, request) {
        Ok(decision) => decision,
        Err(outcome) => return outcome,
    };
    // Only what the notice rules ask: a type's papers and reporting back do
    // not depend on the length or the notice.
    let unmet: Vec<_> = decision
        .unmet
        .iter()
        .filter(|u| {
            let id = u.clause.id();
            id.strip_prefix(scope).is_some_and(|rest| {
                rest.is_empty() || rest.starts_with('[') || rest.starts_with('.')
            }) && (scope.starts_with("leave.notice")
                || matches!(u.requirement, Requirement::Notice { .. }))
        })
        .collect();
    if unmet.is_empty() {
        return Outcome::none("no notice, signature or form needed");
    }
    let words: Vec<String> = unmet
        .iter()
        .map(|u| match u.requirement {
            // The days given depend on the probe, not the policy.
            Requirement::Notice { required_days, .. } => format!("notice of {required_days} days"),
            other => other.to_string(),
        })
        .collect();
    let clause = unmet.first().map(|u| u.clause.id());
    Outcome::new(format!("needs {}", words.join("; ")), clause)
}

/// The days a request is entitled to.
fn entitlement(
    policy: &Policy,
    agent: &crate::leave::Agent,
    request: &crate::leave::LeaveRequest,
) -> Outcome {
    use crate::leave::Grant;
    let decision = match decided(policy, agent, request) {
        Ok(decision) => decision,
        Err(outcome) => return outcome,
    };
    let summary = match decision.grant {
        Grant::Open => "open".to_owned(),
        Grant::Days { days, .. } => format!("entitled days {days}"),
        Grant::NursingHour {
            minutes_per_day,
            last_day,
        } => format!("nursing {minutes_per_day} minutes a day until {last_day}"),
        Grant::Statutory => "statutory".to_owned(),
    };
    Outcome::new(summary, Some(decision.grant_clause.id()))
}

// ---------------------------------------------------------------- kpi tiers

impl Pair<'_> {
    /// Tiered items: the metric at each tier's `at_most` of either
    /// policy and one hundredth above it, the rest of the card filled to
    /// its total.
    fn tiers(&self, out: &mut Vec<BoundaryExample>) {
        for card_id in self.either(card_ids) {
            let (old_card, new_card) = (card_of(self.old, card_id), card_of(self.new, card_id));
            let Some(defining) = new_card.or(old_card) else {
                continue;
            };
            let Some(base) = facts_for(defining, defining.total()) else {
                continue;
            };
            for item in defining.items() {
                let edges = tier_edges([old_card, new_card], item.id());
                if edges.is_empty() {
                    continue;
                }
                let tiered = TieredItem {
                    card_id,
                    item,
                    base: &base,
                };
                let probes = edges
                    .into_iter()
                    .map(|metric| Probe {
                        value: metric,
                        before: tiered.points(self.old, old_card, metric),
                        after: tiered.points(self.new, new_card, metric),
                    })
                    .collect();
                let item_id = item.id();
                let clause = item.clause().id().to_owned();
                summarise(out, &clause, probes, |first, last| {
                    if first == last {
                        format!("{item_id} at {first} on card {card_id}")
                    } else {
                        format!("{item_id} from {first} to {last} on card {card_id}")
                    }
                });
            }
        }
    }
}

/// The metrics a tiered item is probed at: each tier's `at_most` on
/// either card and one hundredth above it, and 0; none when neither card
/// tiers the item.
fn tier_edges(cards: [Option<&crate::kpi::Scorecard>; 2], item: &str) -> Vec<Decimal> {
    let cent = Decimal::new(1, 2);
    let mut edges: Vec<Decimal> = Vec::new();
    for card in cards.into_iter().flatten() {
        let Some(same) = card.items().iter().find(|i| i.id() == item) else {
            continue;
        };
        if let crate::kpi::ItemKind::Tiered { tiers, .. } = same.kind() {
            for (at_most, _) in tiers {
                edges.push(at_most.normalize());
                edges.extend(at_most.checked_add(cent).map(|e| e.normalize()));
            }
        }
    }
    if edges.is_empty() {
        return edges;
    }
    edges.push(Decimal::ZERO);
    edges.sort();
    edges.dedup();
    edges
}

/// A tiered item probed on a card: the card's facts filled to its total,
/// in which only the item's metric moves.
struct TieredItem<'a> {
    card_id: &'a str,
    item: &'a crate::kpi::Item,
    base: &'a crate::kpi::CardFacts,
}

impl TieredItem<'_> {
    /// The points a policy's `card` gives the item at `metric`, citing the
    /// item.
    fn points(
        &self,
        policy: &Policy,
        card: Option<&crate::kpi::Scorecard>,
        metric: Decimal,
    ) -> Outcome {
        let (card_id, item) = (self.card_id, self.item);
        if card.is_none() {
            return Outcome::none(format!("no scorecard `{card_id}`"));
        }
        let mut facts = self.base.clone();
        for fact in &mut facts.items {
            if fact.item == item.id() {
                fact.value = crate::kpi::ItemValue::Metric(metric);
            }
        }
        let counts = crate::kpi::AttendanceCounts::default();
        match policy.score_card(card_id, &facts, &counts) {
            Err(error) => Outcome::none(format!("not scored: {error}")),
            Ok(score) => {
                let Some(scored) = score
                    .items
                    .iter()
                    .find(|s| s.clause.id().ends_with(&format!(".{}", item.id())))
                else {
                    return Outcome::none(format!("no item `{}`", item.id()));
                };
                Outcome::new(
                    format!("points {}", scored.points.normalize()),
                    Some(scored.clause.id()),
                )
            }
        }
    }
}

// ---------------------------------------------------------------- orders

/// Listed stock probed at most (the low-stock alert).
const MAX_STOCK: u32 = 200;
/// Days after receipt a return is probed at most.
const MAX_RETURN_DAYS: i64 = 60;

impl Pair<'_> {
    /// Orders: the listed stock, the day a return is asked for, and the
    /// windows quoted for a paid order.
    fn orders(&self, out: &mut Vec<BoundaryExample>) {
        if self.old.orders().is_none() && self.new.orders().is_none() {
            return;
        }
        self.stock(out);
        self.returns(out);
        self.shipping(out);
    }

    /// The listed stock, 0 to [`MAX_STOCK`]: whether it raises the
    /// low-stock alert.
    fn stock(&self, out: &mut Vec<BoundaryExample>) {
        let stock = |p: &Policy, listed: u32| {
            order_outcome(
                p,
                || p.stock_alert(listed),
                |alert| match alert {
                    None => Outcome::none("no alert"),
                    Some(alert) => Outcome::new("low-stock alert", Some(alert.clause.id())),
                },
            )
        };
        let probes = self.probe_each(0..=MAX_STOCK, stock);
        summarise(out, "", probes, |first, last| {
            format!("{} listed", range_words(first, last, "item(s)"))
        });
    }

    /// The day a return of regular, resaleable goods is asked for, 0 to
    /// [`MAX_RETURN_DAYS`] days after receipt.
    fn returns(&self, out: &mut Vec<BoundaryExample>) {
        use crate::orders::{Goods, ReturnRequest};
        let received = NaiveDate::from_ymd_opt(self.year, 3, 2).unwrap_or_default();
        let ret = |p: &Policy, days: i64| {
            let request = ReturnRequest {
                received,
                requested: received + TimeDelta::days(days),
                resaleable: true,
                goods: Goods::Regular,
            };
            order_outcome(
                p,
                || p.return_decision(&request),
                |decision| {
                    Outcome::new(
                        if decision.accepted {
                            "accepted"
                        } else {
                            "refused as too late"
                        },
                        Some(decision.clause.id()),
                    )
                },
            )
        };
        let probes = self.probe_each(0..=MAX_RETURN_DAYS, ret);
        summarise(out, "", probes, |first, last| {
            format!(
                "a return of regular goods asked {} after receipt on {received}",
                range_words(first, last, "day(s)")
            )
        });
    }

    /// The windows quoted for an order paid on a Monday clear of holidays,
    /// where only the counted days decide.
    fn shipping(&self, out: &mut Vec<BoundaryExample>) {
        let paid = NaiveDate::from_ymd_opt(self.year, 3, 2).unwrap_or_default();
        let promise = |p: &Policy, _: u32| {
            order_outcome(
                p,
                || p.shipping_promise(paid),
                |promise| {
                    Outcome::new(
                        format!(
                            "ships {} to {}, arrives {} to {}",
                            promise.ship_from,
                            promise.ship_by,
                            promise.arrive_from,
                            promise.arrive_by
                        ),
                        Some(promise.clause.id()),
                    )
                },
            )
        };
        let probes = self.probe_each([0u32], promise);
        summarise(out, "", probes, |_, _| {
            format!("an order paid on Monday {paid}")
        });
    }
}

/// What `policy` answers when an order rule is asked: none without order
/// rules, a missing rule or an error in words, else as `decided` words it.
fn order_outcome<T>(
    policy: &Policy,
    ask: impl FnOnce() -> Result<T, crate::orders::OrderError>,
    decided: impl FnOnce(T) -> Outcome,
) -> Outcome {
    use crate::orders::OrderError;
    if policy.orders().is_none() {
        return Outcome::none("no order rules");
    }
    match ask() {
        Err(OrderError::NoRule(rule)) => Outcome::none(format!("no {rule} rule")),
        Err(other) => Outcome::none(format!("not evaluated: {other}")),
        Ok(answer) => decided(answer),
    }
}

// ---------------------------------------------------------------- followup

/// Calls in a day probed at most (the daily quotas).
const MAX_CALLS: u32 = 40;
/// Rings probed at most (the promise to answer by a ring).
const MAX_RINGS: u8 = 12;

impl Pair<'_> {
    /// Follow-up: 0 to [`MAX_CALLS`] effective outgoing calls in a day
    /// against the daily quotas, then an incoming call answered on the 1st
    /// to [`MAX_RINGS`]-th ring.
    fn followup(&self, out: &mut Vec<BoundaryExample>) {
        if self.old.followup().is_none() && self.new.followup().is_none() {
            return;
        }
        let date = NaiveDate::from_ymd_opt(self.year, 3, 2).unwrap_or_default();
        let probes = self.probe_each(0..=MAX_CALLS, |p, n| quota_outcome(p, date, n));
        summarise(out, "", probes, |first, last| {
            format!(
                "{} in a day",
                range_words(first, last, "effective outgoing call(s)")
            )
        });
        let probes = self.probe_each(1..=MAX_RINGS, |p, r| ring_outcome(p, date, r));
        summarise(out, "", probes, |first, last| {
            format!(
                "an incoming call answered on the {} ring",
                ordinal_range(first, last)
            )
        });
    }
}

/// The report of a day of `calls` on `date`, each a minute long at 10:00.
fn call_day(
    policy: &Policy,
    date: NaiveDate,
    calls: Vec<crate::followup::Call>,
) -> Result<crate::followup::DayReport, Outcome> {
    use crate::followup::{Call, DayLog};
    if policy.followup().is_none() {
        return Err(Outcome::none("no follow-up rules"));
    }
    let at = date.and_hms_opt(10, 0, 0).unwrap_or_default();
    let calls = calls
        .into_iter()
        .map(|call| Call {
            at,
            duration_secs: 60,
            ..call
        })
        .collect();
    let log = DayLog {
        date,
        calls,
        ..Default::default()
    };
    policy
        .day_report(&log)
        .map_err(|e| Outcome::none(format!("not evaluated: {e}")))
}

/// The day's quotas after `n` effective outgoing calls to unverified users:
/// each met or short, citing the first one short.
fn quota_outcome(policy: &Policy, date: NaiveDate, n: u32) -> Outcome {
    use crate::followup::{Call, Direction};
    let call = Call {
        direction: Direction::Outgoing,
        effective: true,
        to_unverified: true,
        ..Default::default()
    };
    let day = match call_day(policy, date, (0..n).map(|_| call).collect()) {
        Err(outcome) => return outcome,
        Ok(day) if day.quotas.is_empty() => return Outcome::none("no quota"),
        Ok(day) => day,
    };
    let words: Vec<String> = day
        .quotas
        .iter()
        .map(|q| {
            let id = q.clause.id();
            let name = id.rsplit('.').next().unwrap_or(id);
            let kept = if q.kept { "met" } else { "short" };
            format!("{name} {kept}")
        })
        .collect();
    let clause = day
        .quotas
        .iter()
        .find(|q| !q.kept)
        .or(day.quotas.first())
        .map(|q| q.clause.id());
    Outcome::new(words.join(", "), clause)
}

/// Whether an incoming call answered on the `r`-th ring keeps the promise
/// to answer by a ring.
fn ring_outcome(policy: &Policy, date: NaiveDate, r: u8) -> Outcome {
    use crate::followup::{Call, Direction, Promise};
    let call = Call {
        direction: Direction::Incoming,
        effective: true,
        rings: Some(r),
        ..Default::default()
    };
    let day = match call_day(policy, date, vec![call]) {
        Err(outcome) => return outcome,
        Ok(day) => day,
    };
    match day
        .promises
        .iter()
        .find(|c| c.promise == Promise::AnswerByRing)
    {
        None => Outcome::none("no ring promise"),
        Some(check) if check.kept => Outcome::new("answered in time", Some(check.clause.id())),
        Some(check) => Outcome::new("answered too late", Some(check.clause.id())),
    }
}
