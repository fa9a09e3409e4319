//! Mutation testing for a policy's cases: does the suite fail when the
//! policy is edited?
//!
//! [`run`] makes small edits of the policy, one at a time, from its own
//! text, reloads each with [`Policy::from_toml_str`], and runs the cases
//! against it. A mutant some case fails on is *killed*; one every case still
//! passes on *survived*. The score is killed ÷ (mutants − equivalent).
//!
//! The edits (each is one [`Mutant`]):
//! - **moved** ([`Operator::Moved`]): every number (amounts, limits,
//!   thresholds, band edges, steps, window lengths, day counts) one unit up
//!   and one unit down. The unit is the number's own last written decimal
//!   place: `30` moves to `29` and `31`, `"0.98"` to `"0.97"` and `"0.99"`.
//!   A number the reader treats as an amount may be quoted (`"2000"`); it is
//!   moved and written back quoted. Dates and times of day are not moved.
//! - **band edge** ([`Operator::EdgeMoved`]): where moving a number alone
//!   leaves a gap or an overlap with the step beside it (`to = 70`, then
//!   `from = 70`; `max = 85`, then `min = 86`), the two move together, so
//!   a pass line moves as one edge.
//! - **flipped** ([`Operator::Flipped`]): every stated choice changed to
//!   each other word the policy reader accepts there (`inclusive` ↔
//!   `exclusive`, `replaces` ↔ `adds`, `calendar_days` ↔ `working_days`),
//!   the words taken from the reader's own record of the format; every
//!   `true` ↔ `false`.
//! - **dropped** and **repeated** ([`Operator::Dropped`],
//!   [`Operator::Repeated`]): each step of a list of tables (a ladder's
//!   steps, a notice ladder, tiers, band rows) removed, or written twice.
//!
//! A mutant the reader rejects (an overlap, a step out of order) is no
//! policy and is not counted; [`MutationReport::not_loaded`] says how many.
//!
//! A surviving mutant is *equivalent* when nothing shows a decision it
//! changes: [`Boundaries::between`] the policy and the mutant finds no probe
//! that decides differently, and no case's facts give a different outcome
//! (in any value, checked or not). It is listed with that reason and not
//! counted. Every other survivor is listed with the edit (file:line, old →
//! new), its clause, and a suggested case: the first boundary example (or
//! the case whose outcome moved), written in the cases format with the
//! values the policy gives and the mutant does not, checked to pass on the
//! policy and to fail on the mutant.
//!
//! Mutants run in parallel, one thread per available core.
//!
//! ```
//! use cs_policy::testing::{CasesFile, mutants};
//!
//! let text = cs_policy::EXAMPLES.iter().find(|(n, _)| *n == "fintech").unwrap().1;
//! let cases = CasesFile::read(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/fintech.cases.toml"))?;
//! let report = mutants::run("fintech.toml", text, &[cases])?;
//! assert!(report.counted() > 0);
//! assert!(report.meets(95.into()), "{report}");
//! for survivor in report.survivors() {
//!     println!("{}", survivor.mutant); // fintech.toml:42:11: clause: 30 → 31
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod generate;
mod suggest;

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};

use rust_decimal::Decimal;
use serde::Serialize;

use super::{CasesError, CasesFile};
use crate::Policy;
use crate::boundary::{Boundaries, BoundaryExample};
use crate::policy::Problems;

/// What kind of edit a mutant is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Operator {
    /// A number moved one unit up or down.
    Moved,
    /// A band edge (two touching numbers of adjacent steps) moved one unit.
    EdgeMoved,
    /// A choice changed to another word, or a flag to the other value.
    Flipped,
    /// A step of a list of tables removed.
    Dropped,
    /// A step of a list of tables written twice.
    Repeated,
}

impl Operator {
    /// The operator in words, as reports show it.
    pub const fn word(self) -> &'static str {
        match self {
            Self::Moved => "moved",
            Self::EdgeMoved => "band edge moved",
            Self::Flipped => "flipped",
            Self::Dropped => "step dropped",
            Self::Repeated => "step repeated",
        }
    }
}

/// One small edit of a policy.
///
/// Its `Display` is `file:line:column: clause: old → new`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mutant {
    /// The policy file, as named.
    pub file: String,
    /// The line of the edited value (of the step, for a step).
    pub line: u32,
    /// Its column, in characters, from 1.
    pub column: u32,
    /// The most specific clause holding the edit (empty when none does).
    pub clause: String,
    /// The edited value's field path (`discipline.ladders.complaint.steps[1].amount`).
    pub field: String,
    /// What kind of edit.
    pub operator: Operator,
    /// The value as the policy writes it (the step, for a step).
    pub old: String,
    /// The value as the mutant writes it.
    pub new: String,
    /// For a band edge, the other number moved with it: its line, field,
    /// old and new text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub with: Option<Linked>,
    #[serde(skip)]
    edits: Vec<generate::Edit>,
    /// The edits with the touching number of the step beside it moved too,
    /// tried when this one alone is rejected.
    #[serde(skip)]
    fallback: Option<(Vec<generate::Edit>, Linked)>,
    /// The words written in the edited table, to try in facts.
    #[serde(skip)]
    words: Vec<String>,
}

/// The second number of a band edge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Linked {
    /// Its line.
    pub line: u32,
    /// Its field path.
    pub field: String,
    /// As the policy writes it.
    pub old: String,
    /// As the mutant writes it.
    pub new: String,
}

impl Mutant {
    /// The mutant's text: `text` (the policy it was made from) with the edit
    /// applied.
    pub fn apply(&self, text: &str) -> String {
        apply(text, &self.edits)
    }

    /// Where the value sits within the policy, as `file:line:column`.
    pub fn location(&self) -> String {
        format!("{}:{}:{}", self.file, self.line, self.column)
    }
}

fn apply(text: &str, edits: &[generate::Edit]) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for (span, new) in edits {
        out.push_str(text.get(at..span.start).unwrap_or_default());
        out.push_str(new);
        at = span.end;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    out
}

impl fmt::Display for Mutant {
    /// `file:line:col: clause: field old → new` (with the band edge's
    /// other number).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let clause = if self.clause.is_empty() {
            "(no clause)"
        } else {
            &self.clause
        };
        let field = self
            .field
            .strip_prefix(&self.clause)
            .map(|rest| rest.trim_start_matches('.'))
            .filter(|rest| !rest.is_empty())
            .unwrap_or("");
        write!(f, "{}: {clause}: {}", self.location(), self.operator.word())?;
        if !field.is_empty() {
            write!(f, " {field}")?;
        }
        match self.operator {
            Operator::Dropped | Operator::Repeated => write!(f, ": {}", self.old)?,
            _ => write!(f, " {} → {}", self.old, self.new)?,
        }
        if let Some(with) = &self.with {
            write!(
                f,
                ", with {} {} → {} (line {})",
                with.field, with.old, with.new, with.line
            )?;
        }
        Ok(())
    }
}

/// What became of one mutant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "result")]
#[non_exhaustive]
pub enum Fate {
    /// The policy reader rejects the edit: not counted.
    NotLoaded {
        /// The reader's first problem.
        problem: String,
    },
    /// A case fails on the mutant.
    Killed {
        /// The first case that fails, as `file:line: name`.
        by: String,
    },
    /// Every case passes on the mutant.
    Survived {
        /// The first boundary example where the policy and the mutant
        /// decide differently, if the probes find one.
        example: Option<BoundaryExample>,
        /// A case that kills the mutant, in the cases format, ready to paste.
        suggestion: Option<String>,
    },
    /// Nothing observable differs: not counted.
    Equivalent {
        /// Why the mutant counts as equivalent.
        reason: String,
    },
}

/// One mutant and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MutantResult {
    /// The edit.
    pub mutant: Mutant,
    /// What became of it.
    #[serde(flatten)]
    pub fate: Fate,
}

/// Every mutant of a policy and the score its cases reach.
///
/// Its `Display` lists the survivors with their suggested cases, the
/// equivalent mutants with their reasons, and the score line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MutationReport {
    /// The policy's id.
    pub policy: String,
    /// Every mutant made, in file order.
    pub mutants: Vec<MutantResult>,
}

impl MutationReport {
    fn count(&self, f: impl Fn(&Fate) -> bool) -> usize {
        self.mutants.iter().filter(|m| f(&m.fate)).count()
    }

    /// Mutants made, whether they load or not.
    pub fn total(&self) -> usize {
        self.mutants.len()
    }

    /// Mutants the policy reader rejects (not counted).
    pub fn not_loaded(&self) -> usize {
        self.count(|f| matches!(f, Fate::NotLoaded { .. }))
    }

    /// Mutants some case kills.
    pub fn killed(&self) -> usize {
        self.count(|f| matches!(f, Fate::Killed { .. }))
    }

    /// Equivalent mutants (not counted).
    pub fn equivalent(&self) -> usize {
        self.count(|f| matches!(f, Fate::Equivalent { .. }))
    }

    /// Mutants counted: those that load and are not equivalent.
    pub fn counted(&self) -> usize {
        self.count(|f| matches!(f, Fate::Killed { .. } | Fate::Survived { .. }))
    }

    /// The survivors, in file order.
    pub fn survivors(&self) -> impl Iterator<Item = &MutantResult> {
        self.mutants
            .iter()
            .filter(|m| matches!(m.fate, Fate::Survived { .. }))
    }

    /// Whether the score is at least `min_percent` %, exactly:
    /// `killed × 100 ≥ min_percent × counted`, never rounded. No counted
    /// mutant meets any threshold.
    ///
    /// ```
    /// use cs_policy::testing::mutants::MutationReport;
    /// let report = MutationReport { policy: "none".into(), mutants: Vec::new() };
    /// assert!(report.meets(100.into()));
    /// ```
    pub fn meets(&self, min_percent: Decimal) -> bool {
        let killed = Decimal::from(self.killed()).checked_mul(Decimal::ONE_HUNDRED);
        let needed = Decimal::from(self.counted()).checked_mul(min_percent);
        match (killed, needed) {
            (Some(killed), Some(needed)) => killed >= needed,
            _ => false,
        }
    }

    /// The score, killed ÷ counted, in percent cut (never rounded up) to
    /// one decimal; 100 when nothing is counted.
    pub fn score(&self) -> Decimal {
        if self.counted() == 0 {
            return Decimal::ONE_HUNDRED;
        }
        (Decimal::from(self.killed()) * Decimal::ONE_HUNDRED / Decimal::from(self.counted()))
            .trunc_with_scale(1)
    }

    /// `killed/counted (p%)`, with what was left out.
    pub fn summary(&self) -> String {
        format!(
            "mutation score {}/{} ({}%); {} survived, {} equivalent, {} not loaded, of {} mutants",
            self.killed(),
            self.counted(),
            self.score(),
            self.counted() - self.killed(),
            self.equivalent(),
            self.not_loaded(),
            self.total()
        )
    }
}

impl fmt::Display for MutationReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for m in &self.mutants {
            match &m.fate {
                Fate::Survived {
                    example,
                    suggestion,
                } => {
                    writeln!(f, "SURVIVED  {}", m.mutant)?;
                    if let Some(example) = example {
                        writeln!(f, "    {example}")?;
                    }
                    match suggestion {
                        Some(case) => {
                            writeln!(f, "    a case that kills it:")?;
                            for line in case.lines() {
                                writeln!(f, "      {line}")?;
                            }
                        }
                        None => writeln!(f, "    no case could be suggested")?,
                    }
                }
                Fate::Equivalent { reason } => {
                    writeln!(f, "EQUIVALENT  {}", m.mutant)?;
                    writeln!(f, "    {reason}")?;
                }
                _ => {}
            }
        }
        writeln!(f, "{}", self.summary())
    }
}

/// Why mutants could not be run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MutantsError {
    /// The policy itself does not load.
    #[error("the policy has problems:\n{0}")]
    Policy(Problems),
    /// A cases file cannot be run against the policy.
    #[error(transparent)]
    Cases(#[from] CasesError),
    /// The cases do not pass on the policy: a mutant could not be told apart.
    #[error(
        "{failed} case(s) fail on the policy itself: mutants are run only against a suite that passes"
    )]
    Failing {
        /// How many cases fail.
        failed: usize,
    },
    /// There is no case to run.
    #[error("no cases: a suite without cases kills no mutant")]
    NoCases,
}

/// Makes every mutant of the policy `text` (named `file`), runs `cases`
/// against each, and reports what became of each (see the [module
/// documentation](self)).
///
/// The cases must all pass on the policy itself.
pub fn run(file: &str, text: &str, cases: &[CasesFile]) -> Result<MutationReport, MutantsError> {
    let policy = Policy::from_toml_str(file, text).map_err(MutantsError::Policy)?;
    if cases.iter().all(CasesFile::is_empty) {
        return Err(MutantsError::NoCases);
    }
    let baseline = super::run(&policy, cases)?;
    if !baseline.passed() {
        return Err(MutantsError::Failing {
            failed: baseline.failed(),
        });
    }
    let format = crate::policy::read::record_format();
    let made = generate::mutants(&policy, file, text, &format);
    let setting = Setting {
        file,
        text,
        policy: &policy,
        cases,
    };
    let fates = in_parallel(&made, |mutant| setting.fate(mutant));
    let mut mutants: Vec<MutantResult> = Vec::with_capacity(made.len());
    let mut seen = std::collections::HashSet::new();
    for (mutant, fate) in fates {
        // A band edge is reached from both of its numbers: kept once.
        if seen.insert(mutant.edits.clone()) {
            mutants.push(MutantResult { mutant, fate });
        }
    }
    Ok(MutationReport {
        policy: policy.meta().id().to_owned(),
        mutants,
    })
}

/// Runs `each` on every item, on as many threads as there are cores, and
/// gives the results in the items' order.
fn in_parallel<T: Sync, R: Send>(items: &[T], each: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len().max(1));
    let next = AtomicUsize::new(0);
    let mut results: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        done.push((i, each(item)));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| match w.join() {
                Ok(done) => done,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    });
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// Why a mutant counts as equivalent.
const EQUIVALENT: &str = "nothing decides differently: no boundary probe, no case's facts, and no nearby facts (each value of a case's facts moved a little or set to the edited values)";

impl Mutant {
    /// What the edit suggests trying in facts.
    fn hints(&self) -> suggest::Hints {
        let number = |text: &str| text.trim_matches('"').parse::<Decimal>().ok();
        let mut numbers: Vec<Decimal> = [&self.old, &self.new]
            .into_iter()
            .chain(self.with.iter().flat_map(|w| [&w.old, &w.new]))
            .filter_map(|t| number(t))
            .collect();
        numbers.dedup();
        let mut words = self.words.clone();
        if self.operator == Operator::Flipped {
            words.extend([&self.old, &self.new].map(|w| w.trim_matches('"').to_owned()));
        }
        suggest::Hints { numbers, words }
    }
}

/// What every mutant is run in.
struct Setting<'a> {
    file: &'a str,
    text: &'a str,
    policy: &'a Policy,
    cases: &'a [CasesFile],
}

impl Setting<'_> {
    /// Loads the mutant (as a band edge when its number alone is rejected),
    /// runs the cases, and judges a survivor.
    fn fate(&self, mutant: &Mutant) -> (Mutant, Fate) {
        let mut mutant = mutant.clone();
        let loaded = match Policy::from_toml_str(self.file, &mutant.apply(self.text)) {
            Ok(loaded) => Ok(loaded),
            Err(problems) => {
                let edge = mutant.fallback.take().and_then(|(edits, linked)| {
                    let loaded = Policy::from_toml_str(self.file, &apply(self.text, &edits));
                    Some((loaded.ok()?, edits, linked))
                });
                match edge {
                    Some((loaded, edits, linked)) => {
                        mutant.operator = Operator::EdgeMoved;
                        mutant.edits = edits;
                        mutant.with = Some(linked);
                        Ok(loaded)
                    }
                    None => Err(problems),
                }
            }
        };
        mutant.fallback = None;
        let fate = match loaded {
            Err(problems) => Fate::NotLoaded {
                problem: problems
                    .diagnostics()
                    .first()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            },
            Ok(loaded) => self.judge(&loaded, &mutant),
        };
        mutant.words = Vec::new();
        (mutant, fate)
    }

    /// Killed by a failing case, else a survivor or an equivalent mutant.
    fn judge(&self, mutant: &Policy, edit: &Mutant) -> Fate {
        let report = match super::run(mutant, self.cases) {
            Ok(report) => report,
            Err(error) => {
                return Fate::Killed {
                    by: error.to_string(),
                };
            }
        };
        if let Some(case) = report.cases.iter().find(|c| !c.passed()) {
            return Fate::Killed {
                by: format!("{}:{}: {}", case.file, case.line, case.name),
            };
        }
        let found = Boundaries::between(self.policy, mutant);
        let mut both = suggest::Both::new(self.policy, mutant);
        if let Some(example) = found.examples().first() {
            let suggestion = found
                .examples()
                .iter()
                .take(4)
                .find_map(|e| both.case_for_example(e))
                .or_else(|| both.case_from_cases(self.cases));
            return Fate::Survived {
                example: Some(example.clone()),
                suggestion,
            };
        }
        let found = both
            .case_from_cases(self.cases)
            .or_else(|| both.case_from_nearby_facts(self.cases, &edit.clause, &edit.hints()));
        match found {
            Some(suggestion) => Fate::Survived {
                example: None,
                suggestion: Some(suggestion),
            },
            None => Fate::Equivalent {
                reason: EQUIVALENT.into(),
            },
        }
    }
}
