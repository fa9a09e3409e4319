//! A payroll as a stream of agent-months: each read, evaluated and written
//! out in input order, in parallel batches (feature `parallel`), with
//! memory that stays flat whatever the size of the team.
//!
//! Ranks and awards need every agent, so no statement is final
//! until the whole team has been read. [`write_lines`] (feature `jsonl`)
//! reads and evaluates each row once:
//! 1. every row is read, its facts checked and its month evaluated, its
//!    statement written as JSON without a rank and kept (in memory while
//!    small, then in a temporary file) with its [`Standing`] (plan,
//!    score, eligibility), the agent's id written down and the score
//!    counted; a row that fails is reported here, before anything is
//!    written;
//! 2. the ids written down show any agent listed twice (if one is, the
//!    rows are read again, that row refused where it stands); the team is
//!    ranked from each plan's scores counted;
//! 3. the statements are written out in order, each scored agent's rank
//!    filled in; the few whose rank wins something (a prize, or a first
//!    place a streak counts) are evaluated again with it.
//!
//! [`run`] hands each statement to a program's own code instead: it
//! evaluates every row in the first pass (so that every error shows
//! before anything is emitted) and again, ranked, in the second, reading
//! the rows twice.
//!
//! Either way each statement is whole and the same, byte for byte, as the
//! one the same facts give from a TOML scenario. By default the first bad
//! row stops the run before any output; with `keep_going` bad rows are
//! reported (in order, once every row is read), skipped, and the rest
//! evaluated. Memory holds the batches in flight and a count per distinct
//! score, not anything per agent.
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
//!     fn rows(&self) -> Result<impl Iterator<Item = Result<AgentRecord, String>> + Send, String> {
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
//! let month = Scenario::from_toml_str("c.toml", include_str!("../../policies/call-centre.scenario.toml"))?;
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

mod leaders;
#[cfg(feature = "jsonl")]
mod spill;
mod tape;
mod twice;

use std::fmt;
use std::hash::{Hash, Hasher};

use rust_decimal::Decimal;

use crate::Policy;
#[cfg(feature = "jsonl")]
use crate::explain::CiteError;
use crate::facts::FactProblem;
use crate::facts::check::{self, MonthDays};
use crate::pay::{Ranks, Scores};
use crate::policy::read::Suggestions;
use crate::scenario::{AgentRecord, MonthHeader, Numbers};
use crate::statement::{AgentStatement, Evaluated, Month, Ranked, Standing, StatementError};
use leaders::Leaders;
use twice::Twice;

/// Rows are evaluated this many at a time: enough to keep every core busy,
/// few enough that a batch's facts and output stay small.
const BATCH: usize = 2048;

/// The first pass starts with a batch this small, doubling up to
/// [`BATCH`]: the ranks of its rows are guessed before any score is
/// known, and a wrong guess costs a second evaluation.
const FIRST_BATCH: usize = 32;

/// Where agent records come from: a file, a query, a program's own rows.
/// The rows may be read twice (see the module's documentation); reading
/// one into a record happens on any thread.
pub trait Rows: Sync {
    /// One row as the source gives it (a line of text, a database row).
    type Row: Send + Sync;
    /// Why a row could not be read or evaluated, located as the source
    /// locates it.
    type Error: Send + fmt::Display;
    /// The rows from the first, each time it is called.
    fn rows(
        &self,
    ) -> Result<impl Iterator<Item = Result<Self::Row, Self::Error>> + Send, Self::Error>;
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
    /// Statements evaluated a second time, once the team was ranked:
    /// every one with [`run`]; with [`write_lines`], those whose rank pays
    /// otherwise than guessed while the team was being read.
    pub again: usize,
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
    /// Writing failed (or keeping the statements until the team is
    /// ranked did), or the rows changed between the two passes.
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
/// input order, `bad` for each row skipped when `keep_going`. Every row
/// is evaluated twice (see the module's documentation); to write JSON
/// Lines, [`write_lines`] evaluates each once.
pub fn run<R: Rows, O: Send>(
    policy: &Policy,
    header: MonthHeader,
    rows: &R,
    keep_going: bool,
    render: impl Fn(&AgentStatement) -> O + Sync,
    mut emit: impl FnMut(O) -> std::io::Result<()>,
    mut bad: impl FnMut(usize, R::Error),
) -> Result<Report, Stop<R::Error>> {
    with_pass(policy, header, rows, |pass| {
        let team = pass.first(keep_going, &mut bad, &|_| (), &mut Nowhere)?;
        let ranks = policy.ranks(&team.scores);
        let total = pass.again(&ranks, team.good, &team.skipped, &render, &mut emit)?;
        Ok(Report {
            statements: team.good,
            skipped: team.skipped,
            total,
            again: team.good,
        })
    })
}

/// Evaluates every row of `rows` for `header`'s month and writes each
/// agent's statement to `out` as a JSON line (as
/// [`statement_line`](crate::facts::jsonl::statement_line) writes it), in
/// input order; `bad` is called for each row skipped when `keep_going`.
/// Each row is read and evaluated once, and read again only for the few
/// agents whose rank wins something (see the module's documentation); the
/// statements wait for the ranking in a temporary file once they pass a
/// few megabytes. With the `parallel` feature, a call made inside
/// `rayon::scope` (as the command line makes it, `out` and `bad` then
/// `Send`) hands each batch to the pool without waking a thread that
/// waits outside it: about half the wake-ups, and 3–6 % of the wall time
/// for 100,000 agent-months.
///
/// ```
/// use cs_policy::facts::jsonl::{self, JsonLines};
/// use cs_policy::{Policy, Scenario};
///
/// let policy = Policy::example("call-centre")?;
/// let month = Scenario::from_toml_str("c.toml", include_str!("../../policies/call-centre.scenario.toml"))?;
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("month.jsonl");
/// let mut facts = Vec::new();
/// jsonl::write_scenario(&month, &mut facts)?;
/// std::fs::write(&path, facts)?;
///
/// let (lines, header) = JsonLines::open(&path)?;
/// let mut out = Vec::new();
/// let report = cs_policy::stream::write_lines(&policy, header, &lines, false, &mut out, |_, e| eprint!("{}", e.render()))?;
/// // The same statements, byte for byte, as the whole team evaluated at once.
/// let team = policy.team_statement(&month)?;
/// let lines: Vec<Vec<u8>> = team.statements.iter().map(|s| jsonl::statement_line(&policy, s)).collect::<Result<_, _>>()?;
/// let whole = lines.concat();
/// assert_eq!(out, whole);
/// assert_eq!(report.total, team.total);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg(feature = "jsonl")]
pub fn write_lines<R: Rows>(
    policy: &Policy,
    header: MonthHeader,
    rows: &R,
    keep_going: bool,
    out: &mut impl std::io::Write,
    mut bad: impl FnMut(usize, R::Error),
) -> Result<Report, Stop<R::Error>> {
    with_pass(policy, header, rows, |pass| {
        let mut kept = Kept(spill::Spill::default());
        let team = pass.first(keep_going, &mut bad, &unranked_line(policy), &mut kept)?;
        let ranks = policy.ranks(&team.scores);
        let replay = kept.0.replay().map_err(Stop::Write)?;
        let (total, again) = pass.fill(&ranks, team.good, &team.skipped, replay, out)?;
        Ok(Report {
            statements: team.good,
            skipped: team.skipped,
            total,
            again,
        })
    })
}

/// Where the first pass hands each good row, in order.
trait Stash<K>: Send {
    fn stash(&mut self, done: Done<K>) -> std::io::Result<()>;
    /// Forgets every row handed so far, to start over.
    fn restart(&mut self);
}

/// [`run`] keeps nothing of the first pass but the team.
struct Nowhere;

impl Stash<()> for Nowhere {
    fn stash(&mut self, _: Done<()>) -> std::io::Result<()> {
        Ok(())
    }

    fn restart(&mut self) {}
}

/// [`write_lines`] keeps each statement as its JSON line.
#[cfg(feature = "jsonl")]
struct Kept(spill::Spill);

#[cfg(feature = "jsonl")]
type Line = Result<(Vec<u8>, Option<u32>), CiteError>;

#[cfg(feature = "jsonl")]
impl Stash<Line> for Kept {
    fn stash(&mut self, done: Done<Line>) -> std::io::Result<()> {
        // A statement this policy made always cites its own clauses.
        let (line, slot) = done.kept.map_err(std::io::Error::other)?;
        let head = spill::Head {
            slot,
            standing: done.standing,
            assumed: done.assumed,
            firsts: done.firsts,
            total: done.total,
        };
        self.0.push(&head, &line)
    }

    fn restart(&mut self) {
        self.0 = spill::Spill::default();
    }
}

/// A statement as its JSON line after the policy's stamp (the same on
/// every line, written with it when it is filled in), its clauses marked
/// (spelt out then too: half the bytes to keep), its rank (if it has
/// one) left to fill in: written as [`SLOT`], found at the first
/// `"rank":` (within a JSON string every quote is escaped, so that is a
/// key: the statement's own, written before its lines).
#[cfg(feature = "jsonl")]
fn unranked_line(policy: &Policy) -> impl Fn(AgentStatement) -> Line + Sync {
    const KEY: &[u8] = b"\"rank\":";
    move |mut statement| {
        let ranked = statement.rank.is_some();
        if ranked {
            statement.rank = Some(SLOT);
        }
        // A marked line mostly fits in a kilobyte, the largest size an
        // allocator serves from its quick lists; a longer one grows once.
        let mut line = Vec::with_capacity(1024);
        let citing = crate::facts::jsonl::Citing::Marked;
        crate::facts::jsonl::write_after_stamp(policy, &statement, citing, &mut line)?;
        let slot = line
            .windows(KEY.len())
            .position(|w| w == KEY)
            .map(|at| at + KEY.len())
            .filter(|&at| ranked && line[at..].starts_with(SLOT_TEXT))
            .and_then(|at| u32::try_from(at).ok());
        Ok((line, slot))
    }
}

/// The rank a kept line is written with, to be filled in.
#[cfg(feature = "jsonl")]
const SLOT: u32 = u32::MAX;
#[cfg(feature = "jsonl")]
const SLOT_TEXT: &[u8] = b"4294967295";

/// The month, evaluated once for every agent, and its days, handed to
/// `passes` with the rows to read.
fn with_pass<R: Rows, T>(
    policy: &Policy,
    header: MonthHeader,
    rows: &R,
    passes: impl FnOnce(Pass<'_, R>) -> Result<T, Stop<R::Error>>,
) -> Result<T, Stop<R::Error>> {
    let month = policy.month(header).map_err(Stop::Month)?;
    let days =
        MonthDays::new(header, Some(policy)).ok_or(Stop::Month(StatementError::BadMonth {
            year: header.year,
            month: header.month,
        }))?;
    passes(Pass {
        policy,
        month: &month,
        days: &days,
        suggestions: &Suggestions::default(),
        rows,
    })
}

/// The numbers of an agent's first incident and first leave request,
/// running through the good rows in order.
type Firsts = (u32, u32);

/// What the first pass keeps of the team.
struct Team {
    /// The scores of the scored agents, counted.
    scores: Scores,
    /// How many rows are good.
    good: usize,
    /// The rows skipped, by position.
    skipped: Vec<usize>,
}

/// What the first pass knows of the rows read so far.
struct Read {
    team: Team,
    /// The rows that list an agent again, by a 64-bit hash of their id
    /// (two ids colliding is far less likely than a bad line).
    twice: Twice,
    /// The numbers of the next good row's first incident and request.
    next: Firsts,
    leaders: Leaders,
}

/// A row through the first pass.
#[cfg_attr(not(feature = "jsonl"), allow(dead_code))]
struct Done<K> {
    /// The position among the good rows, once settled.
    good: usize,
    /// The agent's id, hashed.
    id: u64,
    standing: Option<Standing>,
    /// The rank the statement was written with, guessed from the agents
    /// before.
    assumed: Ranked,
    /// The numbers the statement was written with.
    firsts: Firsts,
    /// How many incidents and leave requests the row has.
    counts: Firsts,
    total: Decimal,
    kept: K,
}

struct Pass<'a, R> {
    policy: &'a Policy,
    month: &'a Month,
    days: &'a MonthDays,
    /// The budget of "did you mean" suggestions the rows share.
    suggestions: &'a Suggestions,
    rows: &'a R,
}

impl<R: Rows> Pass<'_, R> {
    /// The first pass: every row read, checked and evaluated with the rank
    /// it would have among the rows before, `keep` taking what is kept of
    /// its statement; each good row handed to `stash` in order, bad rows
    /// reported (and skipped, or the run stopped). Agents listed twice
    /// show only once every row is read: if there are any, the rows are
    /// read again, those rows refused where they are.
    fn first<K: Send>(
        &self,
        keep_going: bool,
        bad: &mut impl FnMut(usize, R::Error),
        keep: &(impl Fn(AgentStatement) -> K + Sync),
        stash: &mut impl Stash<K>,
    ) -> Result<Team, Stop<R::Error>> {
        let mut errors = Vec::new();
        let mut held = |at, error| errors.push((at, error));
        let (team, twice) = self.read_all(keep_going, Twice::unknown(), &mut held, keep, stash);
        if let Err(Stop::Month(_) | Stop::Write(_)) = team {
            return team;
        }
        let again = twice.find().map_err(Stop::Write)?;
        if again.is_empty() {
            errors.into_iter().for_each(|(at, error)| bad(at, error));
            return team;
        }
        drop((team, errors));
        stash.restart();
        let known = Twice::Known(again);
        self.read_all(keep_going, known, bad, keep, stash).0
    }

    /// The first pass with agents listed twice known or not: its team, and
    /// the ids it wrote down. While a batch is evaluated, the batch before
    /// is stashed and the next one read.
    fn read_all<K: Send>(
        &self,
        keep_going: bool,
        twice: Twice,
        bad: &mut impl FnMut(usize, R::Error),
        keep: &(impl Fn(AgentStatement) -> K + Sync),
        stash: &mut impl Stash<K>,
    ) -> (Result<Team, Stop<R::Error>>, Twice) {
        let mut read = Read {
            team: Team {
                scores: Scores::default(),
                good: 0,
                skipped: Vec::new(),
            },
            twice,
            next: (0, 0),
            leaders: Leaders::new(self.policy),
        };
        let team = self.read_into(&mut read, keep_going, bad, keep, stash);
        (team.map(|()| read.team), read.twice)
    }

    fn read_into<K: Send>(
        &self,
        read: &mut Read,
        keep_going: bool,
        bad: &mut impl FnMut(usize, R::Error),
        keep: &(impl Fn(AgentStatement) -> K + Sync),
        stash: &mut impl Stash<K>,
    ) -> Result<(), Stop<R::Error>> {
        let mut rows = self.rows.rows().map_err(Stop::Rows)?;
        let mut size = FIRST_BATCH;
        let mut batch = next_batch(&mut rows, size).map_err(Stop::Rows)?;
        let mut settled = Vec::new();
        while !batch.is_empty() {
            size = (size * 2).min(BATCH);
            // The batch before is counted and stashed beside this one.
            let scores = &mut read.team.scores;
            let (done, (stashed, after)) = join(
                || self.evaluate_batch(&batch, read.next, &read.leaders, keep),
                || {
                    let stashed = count_and_stash(settled.drain(..), scores, stash);
                    (stashed, next_batch(&mut rows, size))
                },
            );
            stashed.map_err(Stop::Write)?;
            settled = self.settle(read, &batch, done, keep_going, bad, keep)?;
            batch = after.map_err(Stop::Rows)?;
        }
        count_and_stash(settled.into_iter(), &mut read.team.scores, stash).map_err(Stop::Write)
    }

    /// A batch's rows settled in order: an agent listed twice refused, a
    /// row after a bad one evaluated again with its own numbers, the good
    /// rows numbered and shown to the leaders (their scores are counted
    /// while the next batch is evaluated).
    fn settle<K: Send>(
        &self,
        read: &mut Read,
        batch: &[R::Row],
        done: Vec<Result<Done<K>, R::Error>>,
        keep_going: bool,
        bad: &mut impl FnMut(usize, R::Error),
        keep: &(impl Fn(AgentStatement) -> K + Sync),
    ) -> Result<Vec<Done<K>>, Stop<R::Error>> {
        let at = read.team.good + read.team.skipped.len();
        let mut settled = Vec::with_capacity(batch.len());
        let mut redo = Vec::new();
        for (i, (result, row)) in done.into_iter().zip(batch).enumerate() {
            let result = match result {
                Ok(d) if read.twice.again(at + i, d.id).map_err(Stop::Write)? => {
                    Err(self.rows.refuse(row, Refusal::Facts(vec![twice()])))
                }
                other => other,
            };
            match result {
                Ok(mut d) => {
                    // A bad row before it moved its numbers.
                    if d.firsts != read.next && d.counts != (0, 0) {
                        redo.push((i, read.next));
                    }
                    d.firsts = read.next;
                    read.next = plus(read.next, d.counts);
                    settled.push(Some(d));
                }
                Err(error) if keep_going => {
                    read.team.skipped.push(at + i);
                    bad(at + i, error);
                    settled.push(None);
                }
                Err(error) => return Err(Stop::Rows(error)),
            }
        }
        let redone = map(&redo, |&(i, firsts)| {
            let row = &batch[i];
            self.read(row).and_then(|(record, id)| {
                self.evaluate(row, &record, id, firsts, &read.leaders, keep)
            })
        });
        for (&(i, _), d) in redo.iter().zip(redone) {
            settled[i] = Some(d.map_err(|_| Stop::Write(changed()))?);
        }
        let mut good = Vec::with_capacity(settled.len());
        for mut d in settled.into_iter().flatten() {
            if let Some(standing) = d.standing {
                read.leaders.see(standing);
            }
            d.good = read.team.good;
            read.team.good += 1;
            good.push(d);
        }
        Ok(good)
    }

    /// One batch through the first pass, in order: every row read and
    /// checked, then evaluated with the numbers its incidents and requests
    /// take if every row before it is good.
    fn evaluate_batch<K: Send>(
        &self,
        batch: &[R::Row],
        mut next: Firsts,
        leaders: &Leaders,
        keep: &(impl Fn(AgentStatement) -> K + Sync),
    ) -> Vec<Result<Done<K>, R::Error>> {
        // Each record is numbered where it lies and moved only to the
        // core that evaluates it.
        let mut read = map(batch, |row| (self.read(row), next));
        for (read, firsts) in &mut read {
            *firsts = next;
            if let Ok((record, _)) = read {
                next = plus(next, counts(record));
            }
        }
        map_owned_beside(read, batch, |(read, firsts), row| {
            read.and_then(|(record, id)| self.evaluate(row, &record, id, firsts, leaders, keep))
        })
    }

    /// One row read and its facts checked: its record and hashed id.
    fn read(&self, row: &R::Row) -> Result<(AgentRecord, u64), R::Error> {
        let record = self.rows.record(row)?;
        let mut hasher = std::hash::DefaultHasher::new();
        record.agent.id.hash(&mut hasher);
        let id = hasher.finish();
        let problems = check::record(self.days, &record, Some(self.policy), self.suggestions);
        if !problems.is_empty() {
            return Err(self.rows.refuse(row, Refusal::Facts(problems)));
        }
        Ok((record, id))
    }

    /// One record evaluated with the rank `leaders` guess for it, its
    /// incidents and requests numbered from `firsts`: every error of its
    /// month shows here.
    fn evaluate<K>(
        &self,
        row: &R::Row,
        record: &AgentRecord,
        id: u64,
        firsts: Firsts,
        leaders: &Leaders,
        keep: &impl Fn(AgentStatement) -> K,
    ) -> Result<Done<K>, R::Error> {
        let (mut standing, mut assumed) = (None, Ranked::default());
        let statement = self.statement(row, record, firsts, |evaluated| {
            standing = evaluated.standing();
            assumed = standing.map_or_else(Ranked::default, |s| leaders.guess(s));
            assumed
        })?;
        Ok(Done {
            good: 0,
            id,
            standing,
            assumed,
            firsts,
            counts: counts(record),
            total: statement.total,
            kept: keep(statement),
        })
    }

    /// One record evaluated with its first incident and request numbers,
    /// and its statement with the rank `rank` gives it.
    fn statement(
        &self,
        row: &R::Row,
        record: &AgentRecord,
        firsts: Firsts,
        rank: impl FnOnce(&Evaluated) -> Ranked,
    ) -> Result<AgentStatement, R::Error> {
        let refuse = |e| self.rows.refuse(row, Refusal::Statement(e));
        let numbers = Numbers::from_first(record, firsts.0, firsts.1);
        let evaluated = self
            .policy
            .evaluate(self.month, record, &numbers)
            .map_err(refuse)?;
        let ranked = rank(&evaluated);
        self.policy
            .statement_of(record, evaluated, ranked)
            .map_err(refuse)
    }

    /// [`run`]'s second pass: the `good` rows evaluated again, ranked by
    /// `ranks`, in batches, rendered in parallel and emitted in order;
    /// their total.
    fn again<O: Send>(
        &self,
        ranks: &Ranks,
        good: usize,
        skipped: &[usize],
        render: &(impl Fn(&AgentStatement) -> O + Sync),
        emit: &mut impl FnMut(O) -> std::io::Result<()>,
    ) -> Result<Decimal, Stop<R::Error>> {
        let mut rows = GoodRows::new(self.rows.rows().map_err(Stop::Rows)?, skipped);
        let mut next: Firsts = (0, 0);
        let mut total = Decimal::ZERO;
        for start in (0..good).step_by(BATCH) {
            let mut jobs = Vec::with_capacity(BATCH);
            for _ in start..good.min(start + BATCH) {
                let row = rows.next()?;
                let record = self.rows.record(&row).map_err(Stop::Rows)?;
                let firsts = next;
                next = plus(next, counts(&record));
                jobs.push((row, record, firsts));
            }
            let outs = map(&jobs, |(row, record, firsts)| {
                let rank = |e: &Evaluated| ranks.of(e.standing());
                let s = self.statement(row, record, *firsts, rank)?;
                Ok::<_, R::Error>((s.total, render(&s)))
            });
            for out in outs {
                let (amount, out) = out.map_err(Stop::Rows)?;
                total = add(total, amount)?;
                emit(out).map_err(Stop::Write)?;
            }
        }
        Ok(total)
    }

    /// [`write_lines`]' second pass: the kept lines of the `good` rows
    /// written out in order after the policy's stamp, each rank filled in
    /// from `ranks`; an agent
    /// whose rank pays otherwise than the rank their line was written
    /// with assumed (a prize, a first place) evaluated again with it.
    /// While a batch is written, the next is read back. Their total, and
    /// how many were evaluated again.
    #[cfg(feature = "jsonl")]
    fn fill(
        &self,
        ranks: &Ranks,
        good: usize,
        skipped: &[usize],
        mut replay: spill::Replay,
        out: &mut impl std::io::Write,
    ) -> Result<(Decimal, usize), Stop<R::Error>> {
        let mut rows = None;
        let mut again = 0;
        let mut total = Decimal::ZERO;
        let spelling = Spelling::new(self.policy);
        let mut parts: Vec<Part> = (0..BATCH.div_ceil(PART)).map(|_| Part::default()).collect();
        let mut current = spill::Chunk::default();
        let mut next = spill::Chunk::default();
        replay
            .chunk(good.min(BATCH), &mut current)
            .map_err(Stop::Write)?;
        for start in (0..good).step_by(BATCH) {
            if current.heads.len() != good.min(start + BATCH) - start {
                return Err(Stop::Write(changed()));
            }
            let chunk = map(&current.heads, |(h, _)| ranks.of(h.standing));
            let after = good.saturating_sub(start + BATCH).min(BATCH);
            let open = || self.rows.rows().map(|all| GoodRows::new(all, skipped));
            let (read, written) = overlap(
                || replay.chunk(after, &mut next),
                || {
                    let at = (start, &mut rows, open);
                    self.write_chunk(&current, &chunk, at, (&spelling, &mut parts), out)
                },
            );
            read.map_err(Stop::Write)?;
            let (amount, redone) = written?;
            total = add(total, amount)?;
            again += redone;
            std::mem::swap(&mut current, &mut next);
        }
        Ok((total, again))
    }

    /// One batch of [`Pass::fill`]: the kept lines of `chunk`'s agents
    /// (`start` the first's position) made whole on every core, `PART` at
    /// a time in `parts`, and written; those whose rank pays otherwise
    /// evaluated again from `rows` (opened the first time one is). Their
    /// total, and how many were evaluated again.
    #[cfg(feature = "jsonl")]
    fn write_chunk<'r, I: Iterator<Item = Result<R::Row, R::Error>>>(
        &self,
        kept: &spill::Chunk,
        chunk: &[Ranked],
        (start, rows, open): (
            usize,
            &mut Option<GoodRows<'r, I>>,
            impl Fn() -> Result<GoodRows<'r, I>, R::Error>,
        ),
        (spelling, parts): (&Spelling, &mut [Part]),
        out: &mut impl std::io::Write,
    ) -> Result<(Decimal, usize), Stop<R::Error>> {
        let mut jobs = Vec::new();
        for (i, (&(head, _), &rank)) in kept.heads.iter().zip(chunk).enumerate() {
            if !self.fits(&head, rank) {
                if rows.is_none() {
                    *rows = Some(open().map_err(Stop::Rows)?);
                }
                let row = rows.as_mut().map(|r| r.at(start + i)).transpose()?;
                jobs.extend(row.map(|row| (i, row, head.firsts, rank)));
            }
        }
        let again: Vec<usize> = jobs.iter().map(|job| job.0).collect();
        let (fresh, made) = join(
            || {
                map(&jobs, |(_, row, firsts, rank)| {
                    let record = self.rows.record(row)?;
                    let s = self.statement(row, &record, *firsts, |_| *rank)?;
                    let mut line = Vec::with_capacity(2048);
                    let written = crate::facts::jsonl::write_statement(self.policy, &s, &mut line);
                    Ok::<_, R::Error>((s.total, written.map(|()| line)))
                })
            },
            || {
                map_mut(parts, |p, part| {
                    let lines = (p * PART).min(chunk.len())..((p + 1) * PART).min(chunk.len());
                    spelling.part(part, kept, chunk, lines, &again)
                })
            },
        );
        let fresh = again.iter().copied().zip(fresh);
        let total = write_parts(kept, parts, made, fresh, out)?;
        Ok((total, jobs.len()))
    }

    /// Whether a kept line, its rank filled in, is the agent's statement.
    #[cfg(feature = "jsonl")]
    fn fits(&self, head: &spill::Head, rank: Ranked) -> bool {
        let filled = head.slot.is_some() || rank.rank().is_none();
        let plan = head.standing.map_or(0, |s| s.plan);
        filled && self.policy.same_pay(plan, head.assumed, rank)
    }
}

/// How many kept lines one core makes whole at a time.
#[cfg(feature = "jsonl")]
const PART: usize = 256;

/// Kept lines made whole, one after the other, and where each ends: kept
/// from one batch to the next, so that their room is taken once.
#[cfg(feature = "jsonl")]
#[derive(Default)]
struct Part {
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

/// What a kept line lacks that is the same for every line (the policy's
/// stamp, its clauses spelt out), worked out once for the whole run.
#[cfg(feature = "jsonl")]
struct Spelling {
    stamp: Vec<u8>,
    spelt: Vec<Vec<u8>>,
}

#[cfg(feature = "jsonl")]
impl Spelling {
    fn new(policy: &Policy) -> Self {
        Self {
            stamp: crate::facts::jsonl::stamp_head(policy.stamp()),
            spelt: crate::facts::jsonl::spelt_clauses(policy),
        }
    }

    /// The kept lines at `lines` of a chunk made whole in `part`, in
    /// place of what it held; a line evaluated `again` is left out (it
    /// ends where the line before it does).
    fn part(
        &self,
        part: &mut Part,
        kept: &spill::Chunk,
        ranks: &[Ranked],
        lines: std::ops::Range<usize>,
        again: &[usize],
    ) -> std::io::Result<()> {
        part.bytes.clear();
        part.ends.clear();
        for i in lines {
            if again.binary_search(&i).is_err() {
                let (head, range) = &kept.heads[i];
                let rank = ranks.get(i).and_then(|r| r.rank());
                self.kept(&mut part.bytes, &kept.lines[range.clone()], head.slot, rank)?;
            }
            part.ends.push(part.bytes.len());
        }
        Ok(())
    }

    /// A kept line written whole: its stamp, its rank in place of its
    /// [`SLOT`] and its clauses spelt out.
    fn kept(
        &self,
        out: &mut Vec<u8>,
        line: &[u8],
        slot: Option<u32>,
        rank: Option<u32>,
    ) -> std::io::Result<()> {
        use crate::facts::jsonl::spell_clauses;
        out.extend_from_slice(&self.stamp);
        let Some(slot) = slot else {
            return spell_clauses(out, line, &self.spelt);
        };
        let slot = usize::try_from(slot).map_err(std::io::Error::other)?;
        let (before, after) = line.split_at(slot);
        out.extend_from_slice(before);
        match rank {
            Some(rank) => {
                let (digits, at) = crate::facts::jsonl::count_digits(rank);
                out.extend_from_slice(&digits[at..]);
            }
            None => out.extend_from_slice(b"null"),
        }
        let after = after.get(SLOT_TEXT.len()..).unwrap_or_default();
        spell_clauses(out, after, &self.spelt)
    }
}

/// The good rows of a second reading, the skipped ones left out.
struct GoodRows<'r, I> {
    rows: I,
    skipped: std::iter::Peekable<std::slice::Iter<'r, usize>>,
    /// The position of the next row, and of the next good row.
    at: usize,
    good: usize,
}

impl<'r, T, E, I: Iterator<Item = Result<T, E>>> GoodRows<'r, I> {
    fn new(rows: I, skipped: &'r [usize]) -> Self {
        Self {
            rows,
            skipped: skipped.iter().peekable(),
            at: 0,
            good: 0,
        }
    }

    /// The next good row.
    fn next(&mut self) -> Result<T, Stop<E>> {
        loop {
            let row = self
                .rows
                .next()
                .ok_or_else(|| Stop::Write(changed()))?
                .map_err(Stop::Rows)?;
            let at = self.at;
            self.at += 1;
            if self.skipped.next_if_eq(&&at).is_none() {
                self.good += 1;
                return Ok(row);
            }
        }
    }

    /// The good row at position `good` (at or after the next).
    #[cfg(feature = "jsonl")]
    fn at(&mut self, good: usize) -> Result<T, Stop<E>> {
        loop {
            let this = self.good;
            let row = self.next()?;
            if this == good {
                return Ok(row);
            }
        }
    }
}

/// How many incidents and leave requests a record has.
fn counts(record: &AgentRecord) -> Firsts {
    (
        idx32(record.incidents.len()),
        idx32(record.leave_requests.len()),
    )
}

fn plus(a: Firsts, b: Firsts) -> Firsts {
    (a.0.saturating_add(b.0), a.1.saturating_add(b.1))
}

/// A batch's lines written in order: the kept ones made whole in `parts`
/// (`made` says whether each part was) with the `fresh` ones, evaluated
/// again and numbered by their place in the batch, put in where they
/// belong. The batch's total.
#[cfg(feature = "jsonl")]
fn write_parts<E>(
    kept: &spill::Chunk,
    parts: &[Part],
    made: Vec<std::io::Result<()>>,
    fresh: impl Iterator<Item = (usize, FreshLine<E>)>,
    out: &mut impl std::io::Write,
) -> Result<Decimal, Stop<E>> {
    let mut fresh = fresh.peekable();
    let mut total = Decimal::ZERO;
    for (p, (part, made)) in parts.iter().zip(made).enumerate() {
        made.map_err(Stop::Write)?;
        let mut written = 0;
        for (i, &end) in (p * PART..).zip(&part.ends) {
            match fresh.next_if(|(at, _)| *at == i) {
                Some((_, line)) => {
                    let (amount, line) = line.map_err(Stop::Rows)?;
                    let line = line.map_err(|e| Stop::Write(std::io::Error::other(e)))?;
                    total = add(total, amount)?;
                    out.write_all(&part.bytes[written..end])
                        .map_err(Stop::Write)?;
                    out.write_all(&line).map_err(Stop::Write)?;
                    written = end;
                }
                None => total = add(total, kept.heads[i].0.total)?,
            }
        }
        out.write_all(&part.bytes[written..]).map_err(Stop::Write)?;
    }
    Ok(total)
}

/// A line evaluated again: its total and its JSON, or why it has none.
#[cfg(feature = "jsonl")]
type FreshLine<E> = Result<(Decimal, Result<Vec<u8>, CiteError>), E>;

fn add<E>(total: Decimal, amount: Decimal) -> Result<Decimal, Stop<E>> {
    total.checked_add(amount).ok_or_else(|| {
        Stop::Write(std::io::Error::other(
            "the team's total is too large to add up",
        ))
    })
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

fn idx32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Good rows counted into the team's scores and handed to `stash`, in
/// order.
fn count_and_stash<K>(
    good: impl Iterator<Item = Done<K>>,
    scores: &mut Scores,
    stash: &mut impl Stash<K>,
) -> std::io::Result<()> {
    for done in good {
        if let Some(standing) = done.standing {
            scores.see(standing);
        }
        stash.stash(done)?;
    }
    Ok(())
}

/// The next rows, up to `size`; an error of the source stops the run.
fn next_batch<T, E>(
    rows: &mut impl Iterator<Item = Result<T, E>>,
    size: usize,
) -> Result<Vec<T>, E> {
    let mut batch = Vec::with_capacity(size);
    for row in rows.by_ref().take(size) {
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

/// `a` and `b`, at once when the feature is on.
#[cfg(feature = "parallel")]
fn join<A: Send, B: Send>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B + Send) -> (A, B) {
    rayon::join(a, b)
}

/// `a`, then `b`.
#[cfg(not(feature = "parallel"))]
fn join<A: Send, B: Send>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B + Send) -> (A, B) {
    (a(), b())
}

/// `other` on another thread while `here` runs on this one (which need
/// not be sendable), when the feature is on.
#[cfg(all(feature = "parallel", feature = "jsonl"))]
fn overlap<A: Send, B>(other: impl FnOnce() -> A + Send, here: impl FnOnce() -> B) -> (A, B) {
    let mut done = None;
    let b = rayon::in_place_scope(|scope| {
        scope.spawn(|_| done = Some(other()));
        here()
    });
    // The scope ends only once its spawned work has.
    let a = done.unwrap_or_else(|| unreachable!("a scope waits for the work it spawned"));
    (a, b)
}

/// `other`, then `here`.
#[cfg(all(not(feature = "parallel"), feature = "jsonl"))]
fn overlap<A: Send, B>(other: impl FnOnce() -> A + Send, here: impl FnOnce() -> B) -> (A, B) {
    (other(), here())
}

/// `f` over each item and its position, in parallel when the feature is
/// on, results in order.
#[cfg(all(feature = "parallel", feature = "jsonl"))]
fn map_mut<T: Send, U: Send>(
    items: &mut [T],
    f: impl Fn(usize, &mut T) -> U + Sync + Send,
) -> Vec<U> {
    use rayon::prelude::*;
    items
        .par_iter_mut()
        .enumerate()
        .map(|(i, t)| f(i, t))
        .collect()
}

/// `f` over each item and its position, results in order.
#[cfg(all(not(feature = "parallel"), feature = "jsonl"))]
fn map_mut<T: Send, U: Send>(
    items: &mut [T],
    f: impl Fn(usize, &mut T) -> U + Sync + Send,
) -> Vec<U> {
    items.iter_mut().enumerate().map(|(i, t)| f(i, t)).collect()
}

/// [`map`] taking the items.
#[cfg(feature = "parallel")]
fn map_owned<T: Send, U: Send>(items: Vec<T>, f: impl Fn(T) -> U + Sync + Send) -> Vec<U> {
    use rayon::prelude::*;
    items.into_par_iter().map(f).collect()
}

/// [`map`] taking the items.
#[cfg(not(feature = "parallel"))]
fn map_owned<T: Send, U: Send>(items: Vec<T>, f: impl Fn(T) -> U + Sync + Send) -> Vec<U> {
    items.into_iter().map(f).collect()
}

/// [`map_owned`] with the row each item came from, in parallel when the
/// feature is on.
fn map_owned_beside<T: Send, R: Sync, U: Send>(
    items: Vec<T>,
    rows: &[R],
    f: impl Fn(T, &R) -> U + Sync + Send,
) -> Vec<U> {
    #[cfg(feature = "parallel")]
    let items = rayon::iter::IntoParallelIterator::into_par_iter(items);
    #[cfg(feature = "parallel")]
    use rayon::iter::{IndexedParallelIterator, ParallelIterator};
    #[cfg(not(feature = "parallel"))]
    let items = items.into_iter();
    items.zip(rows).map(|(item, row)| f(item, row)).collect()
}
