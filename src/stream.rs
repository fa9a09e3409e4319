//! A payroll as a stream of agent-months: each read, evaluated and written
//! out in input order, in parallel batches (feature `parallel`), with
//! memory that stays flat whatever the size of the team.
//!
//! Ranks and awards (K10) need every agent. They are found in a second
//! pass over the rows, not by holding every statement:
//! 1. every row is read, its facts checked and its month evaluated in
//!    full, keeping only a [`Standing`](crate::statement::Standing) (plan, score, eligibility: about
//!    thirty bytes) per agent; a row that fails is reported here, before
//!    anything is written;
//! 2. the team is ranked from the standings;
//! 3. the rows are read and evaluated again, each agent's statement now
//!    complete with its rank and award, rendered and written in order.
//!
//! So each statement is whole and the same, byte for byte, as the one the
//! same facts give from a TOML scenario; the source is read twice (a file
//! is opened again, a database queried again), which costs less than
//! holding a payroll in memory. By default the first bad row stops the run
//! before any output; with `keep_going` bad rows are reported, skipped,
//! and the rest evaluated.
//!
//! ```
//! use cs_policy::stream::{Refusal, Rows, run};
//! use cs_policy::scenario::{AgentRecord, MonthHeader};
//! use cs_policy::{Policy, Scenario};
//!
//! /// Rows a program holds (or queries) itself.
//! struct Team(Vec<AgentRecord>);
//!
//! impl Rows for Team {
//!     type Row = AgentRecord;
//!     type Error = String;
//!     fn rows(&self) -> Result<impl Iterator<Item = Result<AgentRecord, String>>, String> {
//!         Ok(self.0.clone().into_iter().map(Ok))
//!     }
//!     fn record(&self, row: &AgentRecord) -> Result<AgentRecord, String> {
//!         Ok(row.clone())
//!     }
//!     fn refuse(&self, row: &AgentRecord, why: Refusal) -> String {
//!         format!("{}: {why}", row.agent.id)
//!     }
//! }
//!
//! let policy = Policy::example("call-centre")?;
//! let month = Scenario::from_toml_str("c.toml", include_str!("../policies/call-centre.scenario.toml"))?;
//! let team = Team(month.records()?.into_iter().map(|(r, _)| r).collect());
//! let mut written = Vec::new();
//! let report = run(&policy, month.header(), &team, false,
//!     |s| (s.agent.clone(), s.rank),
//!     |out| { written.push(out); Ok(()) },
//!     |_, _| {})?;
//! assert_eq!(report.statements, written.len());
//! assert!(written.iter().any(|(_, rank)| *rank == Some(1)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashSet;
use std::fmt;
use std::hash::{Hash, Hasher};

use rust_decimal::Decimal;

use crate::Policy;
use crate::facts::FactProblem;
use crate::facts::check::{self, MonthDays};
use crate::scenario::{AgentRecord, MonthHeader, Numbers};
use crate::statement::{AgentStatement, Month, StatementError};

/// Rows are evaluated this many at a time: enough to keep every core busy,
/// few enough that a batch's facts and output stay small.
const BATCH: usize = 2048;

/// Where agent records come from: a file, a query, a program's own rows.
/// The rows are read twice (see the module's documentation); reading one
/// into a record happens on any thread.
pub trait Rows: Sync {
    /// One row as the source gives it (a line of text, a database row).
    type Row: Send + Sync;
    /// Why a row could not be read or evaluated, located as the source
    /// locates it.
    type Error: Send + fmt::Display;
    /// The rows from the first, each time it is called.
    fn rows(&self) -> Result<impl Iterator<Item = Result<Self::Row, Self::Error>>, Self::Error>;
    /// The record a row holds.
    fn record(&self, row: &Self::Row) -> Result<AgentRecord, Self::Error>;
    /// The error for a row whose facts do not hold or whose month cannot
    /// be evaluated.
    fn refuse(&self, row: &Self::Row, why: Refusal) -> Self::Error;
}

/// Why a row that was read is refused.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Refusal {
    /// Its facts do not hold together, or name what the policy does not
    /// define: every problem, by field path.
    Facts(Vec<FactProblem>),
    /// Its month cannot be evaluated.
    Statement(StatementError),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Facts(problems) => {
                for (i, p) in problems.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{}: {}", p.field, p.message)?;
                }
                Ok(())
            }
            Self::Statement(error) => write!(f, "{error}"),
        }
    }
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Statements written.
    pub statements: usize,
    /// Rows skipped (`keep_going`), by position from 0.
    pub skipped: Vec<usize>,
    /// The sum of every statement written.
    pub total: Decimal,
}

/// Why a run stopped.
#[derive(Debug)]
#[non_exhaustive]
pub enum Stop<E> {
    /// The month itself cannot be evaluated.
    Month(StatementError),
    /// The rows could not be read, or a row is bad and `keep_going` is off:
    /// nothing was written.
    Rows(E),
    /// Writing failed, or the rows changed between the two passes.
    Write(std::io::Error),
}

impl<E: fmt::Display> fmt::Display for Stop<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Month(e) => write!(f, "{e}"),
            Self::Rows(e) => write!(f, "{e}"),
            Self::Write(e) => write!(f, "{e}"),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for Stop<E> {}

/// Evaluates every row of `rows` for `header`'s month: `render` turns each
/// statement into what `emit` writes (on any thread), `emit` is called in
/// input order, `bad` for each row skipped when `keep_going`.
pub fn run<R: Rows, O: Send>(
    policy: &Policy,
    header: MonthHeader,
    rows: &R,
    keep_going: bool,
    render: impl Fn(&AgentStatement) -> O + Sync,
    mut emit: impl FnMut(O) -> std::io::Result<()>,
    mut bad: impl FnMut(usize, R::Error),
) -> Result<Report, Stop<R::Error>> {
    let month = policy.month(header).map_err(Stop::Month)?;
    let days =
        MonthDays::new(header, Some(policy)).ok_or(Stop::Month(StatementError::BadMonth {
            year: header.year,
            month: header.month,
        }))?;
    let pass = Pass {
        policy,
        month: &month,
        days: &days,
        rows,
    };
    let (entries, good, skipped) = pass.standings(keep_going, &mut bad)?;
    let ranked = policy.rank_entries(entries, good);
    pass.write(&ranked, &skipped, &render, &mut emit)
        .map(|(statements, total)| Report {
            statements,
            skipped,
            total,
        })
}

/// The ranking entries of the scored agents, how many good rows there
/// are, and the rows skipped.
type Standings = (Vec<crate::pay::RankEntry>, usize, Vec<usize>);

struct Pass<'a, R> {
    policy: &'a Policy,
    month: &'a Month,
    days: &'a MonthDays,
    rows: &'a R,
}

impl<R: Rows> Pass<'_, R> {
    /// The first pass: every row read, checked and evaluated, its
    /// standing kept; bad rows reported (and skipped, or the run stopped).
    fn standings(
        &self,
        keep_going: bool,
        bad: &mut impl FnMut(usize, R::Error),
    ) -> Result<Standings, Stop<R::Error>> {
        let mut entries = Vec::new();
        let mut good = 0usize;
        let mut skipped = Vec::new();
        // Agents seen, by a 64-bit hash of their id: a payroll's ids in a
        // few bytes each (two ids colliding is far less likely than a
        // bad line).
        let mut seen: HashSet<u64> = HashSet::new();
        let mut at = 0usize;
        let mut rows = self.rows.rows().map_err(Stop::Rows)?;
        loop {
            let batch = next_batch(&mut rows).map_err(Stop::Rows)?;
            if batch.is_empty() {
                break;
            }
            let results = map(&batch, |row| self.standing(row));
            for (result, row) in results.into_iter().zip(&batch) {
                let result = result.and_then(|(standing, id)| {
                    if seen.insert(id) {
                        return Ok(standing);
                    }
                    Err(self.rows.refuse(row, Refusal::Facts(vec![twice()])))
                });
                match result {
                    Ok(standing) => {
                        entries.extend(standing.and_then(|s| s.entry(good)));
                        good += 1;
                    }
                    Err(error) if keep_going => {
                        skipped.push(at);
                        bad(at, error);
                    }
                    Err(error) => return Err(Stop::Rows(error)),
                }
                at += 1;
            }
        }
        Ok((entries, good, skipped))
    }

    /// One row up to its standing, its statement built (unranked) so that
    /// every error shows in the first pass.
    fn standing(
        &self,
        row: &R::Row,
    ) -> Result<(Option<crate::statement::Standing>, u64), R::Error> {
        let record = self.rows.record(row)?;
        let mut hasher = std::hash::DefaultHasher::new();
        record.agent.id.hash(&mut hasher);
        let id = hasher.finish();
        let problems = check::record(self.days, &record, Some(self.policy));
        if !problems.is_empty() {
            return Err(self.rows.refuse(row, Refusal::Facts(problems)));
        }
        let refuse = |e| self.rows.refuse(row, Refusal::Statement(e));
        let numbers = Numbers::default();
        let evaluated = self
            .policy
            .evaluate(self.month, &record, &numbers)
            .map_err(refuse)?;
        let standing = evaluated.standing();
        self.policy
            .statement_of(&record, evaluated, Default::default())
            .map_err(refuse)?;
        Ok((standing, id))
    }

    /// The second pass: every good row evaluated again with its rank, in
    /// batches, rendered in parallel and emitted in order.
    fn write<O: Send>(
        &self,
        ranked: &[crate::statement::Ranked],
        skipped: &[usize],
        render: &(impl Fn(&AgentStatement) -> O + Sync),
        emit: &mut impl FnMut(O) -> std::io::Result<()>,
    ) -> Result<(usize, Decimal), Stop<R::Error>> {
        let mut rows = self.rows.rows().map_err(Stop::Rows)?;
        let (mut at, mut good) = (0usize, 0usize);
        let (mut incident, mut request) = (0u32, 0u32);
        let mut total = Decimal::ZERO;
        let mut skip = skipped.iter().peekable();
        loop {
            let mut batch = next_batch(&mut rows).map_err(Stop::Rows)?;
            if batch.is_empty() {
                break;
            }
            batch.retain(|_| {
                let keep = skip.next_if_eq(&&at).is_none();
                at += 1;
                keep
            });
            let records = map(&batch, |row| self.rows.record(row));
            let mut jobs = Vec::with_capacity(records.len());
            for (record, row) in records.into_iter().zip(&batch) {
                let record = record.map_err(Stop::Rows)?;
                let numbers = Numbers::from_first(&record, incident, request);
                incident = incident.saturating_add(idx32(record.incidents.len()));
                request = request.saturating_add(idx32(record.leave_requests.len()));
                let rank = ranked
                    .get(good)
                    .copied()
                    .ok_or_else(|| Stop::Write(changed()))?;
                good += 1;
                jobs.push((row, record, numbers, rank));
            }
            let outs = map(&jobs, |(row, record, numbers, rank)| {
                let refuse = |e| self.rows.refuse(row, Refusal::Statement(e));
                let e = self
                    .policy
                    .evaluate(self.month, record, numbers)
                    .map_err(refuse)?;
                let s = self.policy.statement_of(record, e, *rank).map_err(refuse)?;
                Ok::<_, R::Error>((s.total, render(&s)))
            });
            for out in outs {
                let (amount, out) = out.map_err(Stop::Rows)?;
                total = total
                    .checked_add(amount)
                    .ok_or_else(|| Stop::Write(overflow()))?;
                emit(out).map_err(Stop::Write)?;
            }
        }
        if good != ranked.len() {
            return Err(Stop::Write(changed()));
        }
        Ok((good, total))
    }
}

/// An agent whose id an earlier row gave.
fn twice() -> FactProblem {
    FactProblem::new(
        "agent.id".into(),
        crate::policy::ProblemCode::Duplicate,
        "the agent is listed twice: an earlier line gives the same id".into(),
    )
    .help("give each agent once")
}

fn changed() -> std::io::Error {
    std::io::Error::other("the rows changed between the two passes")
}

fn overflow() -> std::io::Error {
    std::io::Error::other("the team's total is too large to add up")
}

fn idx32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The next rows, up to a batch; an error of the source stops the run.
fn next_batch<T, E>(rows: &mut impl Iterator<Item = Result<T, E>>) -> Result<Vec<T>, E> {
    let mut batch = Vec::with_capacity(BATCH);
    for row in rows.by_ref().take(BATCH) {
        batch.push(row?);
    }
    Ok(batch)
}

/// `f` over a batch, in parallel when the feature is on, results in order.
#[cfg(feature = "parallel")]
fn map<T: Sync, U: Send>(items: &[T], f: impl Fn(&T) -> U + Sync + Send) -> Vec<U> {
    use rayon::prelude::*;
    items.par_iter().map(f).collect()
}

/// `f` over a batch, results in order.
#[cfg(not(feature = "parallel"))]
fn map<T: Sync, U: Send>(items: &[T], f: impl Fn(&T) -> U + Sync + Send) -> Vec<U> {
    items.iter().map(f).collect()
}
