//! Policy test cases: facts, the outcomes a policy must give for them, and
//! which clauses no case exercised (feature `testing`).
//!
//! A *cases file* (`policies/<policy>.cases.toml`) is a list of `[[case]]`
//! tables. Each case names the evaluation it runs (`run`), the facts it
//! gives it (`facts`, read into that evaluation's own fact types), and what
//! the outcome must contain (`expect`); optionally the clauses that must
//! decide it (`expect_clauses`), or the error the facts must give
//! (`expect_error`). A case may be a table: `columns` names the fact and
//! expectation each column sets (`facts.days[0].clock_in`,
//! `expect.summary.total_deducted`, `expect_clauses`, `expect_error`; a bare
//! `facts` column adds its keys to the facts, a bare `expect` column is the
//! row's whole expectation), and every `rows` entry is run as its own case.
//!
//! ```toml
//! policy = "education"   # the policy id these cases are for (optional)
//!
//! [[case]]
//! name = "late within thirty minutes is late, beyond it absent"
//! run = "attendance_month"
//! facts.agent = "li"
//! facts.year = 2026
//! facts.month = 3
//! facts.days = [{ date = 2026-03-02, shift = "regular", in = 2026-03-02T09:29:00, out = 2026-03-02T20:00:00 }]
//! columns = ["facts.days[0].in", "expect.days[0].status", "expect_clauses"]
//! rows = [
//!   [2026-03-02T09:29:00, "late",   ["attendance.late"]],
//!   [2026-03-02T09:31:00, "absent", ["attendance.late"]],
//! ]
//! ```
//!
//! # Comparing outcomes
//!
//! The outcome is compared in its serialised (JSON) form, the same shape
//! `--format json` prints, except that a clause is written as its id
//! (`"attendance.late"`) and a fund as its id (`"reward"`), not as numbers.
//! Only what `expect` names is compared:
//! - a table matches an object that has every key it names, each matching;
//! - in an array, `days.3.status = "late"` (or the column path
//!   `days[3].status`) checks the element at index 3 (counting from 0);
//!   `{ len = 2 }` checks the length, `{ contains = [..] }` that each listed
//!   value matches some element; an array written out (`lines = [..]`) must
//!   have exactly that many elements, each matching in order;
//! - numbers and amounts compare by value (`20`, `"20"` and `"20.00"` are
//!   equal; amounts are strings in JSON);
//! - dates and times compare as written in TOML (`2026-03-02`, `09:30:00`);
//! - the word `"none"` matches an absent value (`null`).
//!
//! Differences are listed by path, keys in alphabetical order.
//!
//! In `facts`, amounts and scores are quoted (`"250.00"`); TOML dates,
//! times and date-times are written bare.
//!
//! # Clause coverage
//!
//! A clause is *cited* by an outcome when the outcome's serialised form
//! contains its [`ClauseRef`](crate::ClauseRef) (or a
//! [`FundRef`](crate::FundRef) of the fund it defines). Only passing cases
//! (and passing rows) count. Coverage is over every clause of the policy
//! except the `policy` clause (the file's heading: it names the rulebook but
//! states no rule, so no outcome cites it). A clause is *covered* when a
//! passing case cites it, or when it contains other clauses (its id is a
//! prefix of theirs, followed by `.` or `[`) and one of them is covered: a
//! section or ladder is exercised through its steps. The threshold
//! ([`Coverage::meets`]) is exact: `covered × 100 ≥ threshold × total`, in
//! decimals, so `100` means every clause.

use std::fmt;
use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::Policy;
use crate::explain::recorder::{Guard, Noted};
use crate::facts::toml::TomlDoc;
use crate::policy::Problems;

mod command;
pub mod mutants;

pub use command::{OutputFormat, TestError, TestOptions, TestOutcome, test_command};

/// The evaluations a case may run (`run = "..."`), each with the facts it
/// reads.
///
/// ```
/// assert!(cs_policy::testing::RUNS.iter().any(|(run, _)| *run == "attendance_month"));
/// ```
pub const RUNS: &[(&str, &str)] = &[
    ("calendar_day", "date"),
    ("shift_hours", "shift, date"),
    ("meetings_between", "from, to"),
    ("check_roster", "roster, from, to"),
    (
        "attendance_month",
        "an attendance month: agent, year, month, days, ...",
    ),
    ("assign_punches", "year, month, days, events"),
    ("correct_punches", "days, corrections"),
    ("assessed", "days_away"),
    ("check_leave_request", "agent, request"),
    ("check_leave_requests", "agent, requests"),
    ("leave_year", "year, agent, requests"),
    ("nursing_minutes", "leave_type, child_born, date"),
    ("full_years", "birth_date, on"),
    ("discipline_statement", "incidents"),
    ("discipline_month", "year, month, incidents"),
    ("score_card", "scorecard, card, attendance"),
    ("grade", "scorecard, score"),
    ("agent_month", "a pay month: agent, plan, ..."),
    ("team_month", "agents"),
    ("assessment_window", "plan, year, month"),
    ("order_flag", "an order"),
    ("order_remark", "an order"),
    ("order_commission", "an order"),
    ("add_to_order", "an order"),
    ("process_order", "an order"),
    ("unpaid_chaser", "order, duty_agent"),
    ("stock_alert", "listed"),
    ("return_decision", "a return request"),
    ("shipping_promise", "paid"),
    ("vip_price", "completed_purchases, price"),
    ("size_followup_voucher", "responded"),
    ("calls_due", "members, date"),
    ("check_calls", "members, log, as_of"),
    ("birthday_plan", "members, year, month"),
    ("data_entry", "card, entered"),
    ("day_report", "a day log: agent, date, ..."),
    ("revisit_due", "customer, today"),
];

/// A cases file that could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CasesError {
    /// The file cannot be read: it is missing, not a regular file, over
    /// the size limit ([`crate::DEFAULT_SIZE_LIMIT`]) or not UTF-8.
    #[error(transparent)]
    Read(crate::LoadError),
    /// The file is not a valid cases file: every case that cannot be read,
    /// located.
    #[error("`{file}` is not a valid cases file:\n{problems}")]
    Invalid {
        /// The file.
        file: String,
        /// What is wrong, with line, column and field.
        problems: Problems,
    },
    /// The file is for another policy.
    #[error("`{file}` holds cases for policy `{cases_for}`, not `{policy}`")]
    OtherPolicy {
        /// The file.
        file: String,
        /// The policy the file names.
        cases_for: String,
        /// The policy given.
        policy: String,
    },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSpec {
    #[serde(default)]
    policy: Option<String>,
    #[serde(default, rename = "case")]
    cases: Vec<CaseSpec>,
    /// Where each case is written, to locate problems of its facts.
    #[serde(skip)]
    spans: Vec<std::ops::Range<usize>>,
    /// The file's text, to show them in.
    #[serde(skip)]
    text: std::sync::Arc<str>,
}

impl FileSpec {
    /// Reads a cases file strictly, every case by itself: every problem in
    /// one pass, each at its line and column.
    fn read(file: &str, text: &str) -> Result<Self, Problems> {
        let mut doc = TomlDoc::parse(file, text)?;
        let policy = doc.value("policy");
        let cases = doc.list("case");
        let spans = doc.spans("case").to_vec();
        doc.finish_keys(&["policy", "case"]);
        doc.finish()?;
        Ok(Self {
            policy,
            cases,
            spans,
            text: std::sync::Arc::from(text),
        })
    }
}

fn empty_table() -> toml::Value {
    toml::Value::Table(toml::Table::new())
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseSpec {
    name: String,
    run: String,
    #[serde(default)]
    facts: toml::Table,
    #[serde(default = "empty_table")]
    expect: toml::Value,
    #[serde(default)]
    expect_clauses: Vec<String>,
    #[serde(default)]
    expect_error: Option<String>,
    #[serde(default)]
    columns: Vec<String>,
    #[serde(default)]
    rows: Vec<Vec<toml::Value>>,
}

/// A parsed cases file, ready to run with [`run`].
///
/// ```
/// use cs_policy::testing::CasesFile;
///
/// let cases = CasesFile::parse("inline", r#"
/// [[case]]
/// name = "New Year's Day is a holiday"
/// run = "calendar_day"
/// facts.date = 2026-01-01
/// expect.kind = "holiday"
/// "#)?;
/// assert_eq!(cases.len(), 1);
/// # Ok::<(), cs_policy::testing::CasesError>(())
/// ```
#[derive(Debug, Clone)]
pub struct CasesFile {
    file: String,
    spec: FileSpec,
    /// Where each case, and each row of its table, is written.
    lines: Vec<CaseLines>,
}

/// The lines a case and its table's rows are written on.
#[derive(Debug, Clone, Default)]
struct CaseLines {
    line: u32,
    rows: Vec<u32>,
}

/// The line of each `[[case]]` and of each element of its `rows`, from the
/// toml crate's spanned tree.
fn case_lines(text: &str) -> Vec<CaseLines> {
    use toml::de::{DeTable, DeValue};
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line =
        |offset: usize| u32::try_from(starts.partition_point(|&s| s <= offset)).unwrap_or(u32::MAX);
    let (doc, _) = DeTable::parse_recoverable(text);
    let Some(DeValue::Array(cases)) = doc.get_ref().get("case").map(|c| c.get_ref()) else {
        return Vec::new();
    };
    cases
        .iter()
        .map(|case| {
            let rows = match case.get_ref() {
                DeValue::Table(t) => match t.get("rows").map(|r| r.get_ref()) {
                    Some(DeValue::Array(rows)) => {
                        rows.iter().map(|r| line(r.span().start)).collect()
                    }
                    _ => Vec::new(),
                },
                _ => Vec::new(),
            };
            CaseLines {
                line: line(case.span().start),
                rows,
            }
        })
        .collect()
}

impl CasesFile {
    /// Parses a cases file's text; `file` names it in reports.
    pub fn parse(file: &str, text: &str) -> Result<Self, CasesError> {
        let spec = FileSpec::read(file, text).map_err(|problems| CasesError::Invalid {
            file: file.to_owned(),
            problems,
        })?;
        Ok(Self {
            file: file.to_owned(),
            spec,
            lines: case_lines(text),
        })
    }

    /// Reads and parses a cases file, as a policy is read: a regular file
    /// within [`crate::DEFAULT_SIZE_LIMIT`], in UTF-8.
    ///
    /// ```
    /// use cs_policy::testing::{CasesError, CasesFile};
    ///
    /// let dir = env!("CARGO_MANIFEST_DIR");
    /// let cases = CasesFile::read(format!("{dir}/policies/fintech.cases.toml"))?;
    /// assert!(!cases.is_empty());
    /// let not_a_file = CasesFile::read(format!("{dir}/policies")).unwrap_err();
    /// assert!(matches!(not_a_file, CasesError::Read(cs_policy::LoadError::NotAFile { .. })));
    /// # Ok::<(), CasesError>(())
    /// ```
    pub fn read(path: impl AsRef<Path>) -> Result<Self, CasesError> {
        let path = path.as_ref();
        let text = crate::read_file(path, crate::DEFAULT_SIZE_LIMIT).map_err(CasesError::Read)?;
        Self::parse(&path.display().to_string(), &text)
    }

    /// How many cases the file holds (a table counts once).
    pub fn len(&self) -> usize {
        self.spec.cases.len()
    }

    /// Whether the file holds no case.
    pub fn is_empty(&self) -> bool {
        self.spec.cases.is_empty()
    }

    /// The policy id the file says its cases are for, if it says.
    pub fn policy(&self) -> Option<&str> {
        self.spec.policy.as_deref()
    }

    /// Checks every case's facts (each row's, for a table) against the
    /// types its evaluation reads, under `policy`: an unknown key, a
    /// missing one or a wrong type is a problem located at its case, so
    /// `check` finds a `clock_inn` before `test` runs.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("fintech")?;
    /// let cases = cs_policy::testing::CasesFile::parse("c.toml",
    ///     "[[case]]\nname = \"a\"\nrun = \"calendar_day\"\nfacts.dat = 2026-01-01\nexpect.kind = \"holiday\"\n")?;
    /// let problems = cases.check_facts(&policy).unwrap_err();
    /// assert_eq!(problems.diagnostics()[0].line, 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check_facts(&self, policy: &Policy) -> Result<(), Problems> {
        let file: std::sync::Arc<str> = std::sync::Arc::from(self.file.as_str());
        let mut found = Vec::new();
        for (i, spec) in self.spec.cases.iter().enumerate() {
            let at = self.spec.spans.get(i).map_or(0, |span| span.start);
            for message in fact_problems(policy, spec) {
                // Located with the others when the problems are gathered.
                found.push(crate::Diagnostic::unlocated(
                    file.clone(),
                    at..at,
                    crate::ProblemCode::InvalidValue,
                    &format!("case[{i}].facts"),
                    message,
                ));
            }
        }
        if found.is_empty() {
            return Ok(());
        }
        Err(Problems::new(self.spec.text.clone(), found))
    }
}

/// The problems of a case's facts (each row's): what reading them as the
/// evaluation's own types refuses.
fn fact_problems(policy: &Policy, spec: &CaseSpec) -> Vec<String> {
    let base = Expected {
        facts: toml_to_json(&toml::Value::Table(spec.facts.clone()), true),
        expect: Value::Null,
        clauses: Vec::new(),
        error: None,
    };
    let mut facts = vec![(None, base.facts.clone())];
    for (n, row) in spec.rows.iter().enumerate() {
        if let Ok(case) = with_row(&base, &spec.columns, row) {
            facts.push((Some(n + 1), case.facts));
        }
    }
    if !spec.rows.is_empty() {
        facts.remove(0);
    }
    facts
        .into_iter()
        .filter_map(|(row, f)| match evaluate(policy, &spec.run, &f) {
            Err(Failure::Setup(m)) if m.starts_with("facts") => Some(match row {
                Some(n) => format!("case `{}`, row {n}: {m}", spec.name),
                None => format!("case `{}`: {m}", spec.name),
            }),
            _ => None,
        })
        .collect()
}

/// One value that differs: where, what the case expects, what the policy gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mismatch {
    /// Where in the outcome (`summary.deductions[0].amount`); empty for the
    /// outcome itself.
    pub path: String,
    /// What the case expects, as written.
    pub expected: String,
    /// What the evaluation gave (`missing` when absent).
    pub actual: String,
}

/// How one case (or one row of a table) went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "result")]
#[non_exhaustive]
pub enum Verdict {
    /// Every expectation held.
    Passed,
    /// Some values differ.
    Failed {
        /// The differing values.
        mismatches: Vec<Mismatch>,
    },
    /// The case could not run as written (unknown evaluation, facts that do
    /// not fit, an error the case did not expect).
    Error {
        /// What went wrong.
        message: String,
    },
}

impl Verdict {
    /// Whether the case passed.
    pub fn passed(&self) -> bool {
        matches!(self, Self::Passed)
    }
}

/// One run of a case: the whole case, or one row of its table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowResult {
    /// The row's number in `rows` (from 1), for a table.
    pub row: Option<usize>,
    /// The line the row is written on, for a table.
    pub line: Option<u32>,
    /// The row's values as written, for a table (`column = value`).
    pub values: Vec<String>,
    /// How it went.
    pub verdict: Verdict,
}

/// One case of a cases file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseResult {
    /// The file it comes from.
    pub file: String,
    /// The line of its `[[case]]` header.
    pub line: u32,
    /// Its name.
    pub name: String,
    /// The evaluation it runs.
    pub run: String,
    /// One entry, or one per row of its table.
    pub rows: Vec<RowResult>,
}

impl CaseResult {
    /// Whether the case and every row of it passed.
    pub fn passed(&self) -> bool {
        self.rows.iter().all(|r| r.verdict.passed())
    }
}

/// A clause no passing case exercised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Uncovered {
    /// Its id (dotted path in the policy file).
    pub id: String,
    /// Its label, if it has one.
    pub label: Option<String>,
    /// Its line in the policy file.
    pub line: u32,
}

/// Clause coverage: how many of the policy's clauses the passing cases
/// exercised (see the [module documentation](self) for what counts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// Clauses counted (every clause but the `policy` heading).
    pub total: usize,
    /// Clauses covered.
    pub covered: usize,
    /// The clauses not covered, in file order.
    pub uncovered: Vec<Uncovered>,
}

impl Coverage {
    /// Whether at least `min_percent` % of the clauses are covered, exactly:
    /// `covered × 100 ≥ min_percent × total`, never rounded, so `100` needs
    /// every clause.
    ///
    /// ```
    /// use cs_policy::testing::Coverage;
    /// use rust_decimal::Decimal;
    ///
    /// let c = Coverage { total: 250, covered: 249, uncovered: Vec::new() };
    /// assert!(c.meets(Decimal::new(996, 1)));   // 99.6 %
    /// assert!(!c.meets(Decimal::new(997, 1)));  // 99.7 %
    /// assert!(!c.meets(Decimal::from(100)));
    /// ```
    pub fn meets(&self, min_percent: Decimal) -> bool {
        let covered = Decimal::from(self.covered).checked_mul(Decimal::ONE_HUNDRED);
        let needed = Decimal::from(self.total).checked_mul(min_percent);
        match (covered, needed) {
            (Some(covered), Some(needed)) => covered >= needed,
            // Only an absurd threshold overflows: it cannot be met.
            _ => false,
        }
    }

    /// The covered share as `covered/total (p%)`, the percentage cut (never
    /// rounded up) to one decimal.
    pub fn summary(&self) -> String {
        let percent = if self.total == 0 {
            Decimal::ONE_HUNDRED
        } else {
            (Decimal::from(self.covered) * Decimal::ONE_HUNDRED / Decimal::from(self.total))
                .trunc_with_scale(1)
        };
        format!("{}/{} clauses ({percent}%)", self.covered, self.total)
    }
}

/// The result of running cases files against a policy.
///
/// Its `Display` shows each case as `PASS`/`FAIL`, the differing values
/// side by side, and the coverage line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The policy's id.
    pub policy: String,
    /// Every case, in file order.
    pub cases: Vec<CaseResult>,
    /// Clause coverage from the passing cases.
    pub coverage: Coverage,
}

impl Report {
    /// Whether every case passed.
    pub fn passed(&self) -> bool {
        self.cases.iter().all(CaseResult::passed)
    }

    /// How many cases failed.
    pub fn failed(&self) -> usize {
        self.cases.iter().filter(|c| !c.passed()).count()
    }

    /// The not-exercised clauses, one per line, for `--coverage`.
    pub fn coverage_listing(&self) -> String {
        let mut out = format!("coverage: {}\n", self.coverage.summary());
        for u in &self.coverage.uncovered {
            out.push_str(&format!("  not exercised: line {:>4}  {}", u.line, u.id));
            if let Some(label) = &u.label {
                out.push_str(&format!(" «{label}»"));
            }
            out.push('\n');
        }
        out
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for case in &self.cases {
            let mark = if case.passed() { "PASS" } else { "FAIL" };
            let rows = if case.rows.len() > 1 || case.rows.first().is_some_and(|r| r.row.is_some())
            {
                format!(" [{} rows]", case.rows.len())
            } else {
                String::new()
            };
            if case.passed() {
                writeln!(f, "{mark}  {} ({}){rows}", case.name, case.run)?;
            } else {
                // A failure names where the case is written.
                writeln!(
                    f,
                    "{mark}  {}:{}: {} ({}){rows}",
                    case.file, case.line, case.name, case.run
                )?;
            }
            for row in case.rows.iter().filter(|r| !r.verdict.passed()) {
                let indent = if let Some(n) = row.row {
                    let at = row.line.map(|l| format!(" (line {l})")).unwrap_or_default();
                    writeln!(f, "      row {n}{at}: {}", row.values.join(", "))?;
                    "        "
                } else {
                    "      "
                };
                match &row.verdict {
                    Verdict::Passed => {}
                    Verdict::Error { message } => writeln!(f, "{indent}error: {message}")?,
                    Verdict::Failed { mismatches } => write_mismatches(f, indent, mismatches)?,
                }
            }
        }
        let failed = self.failed();
        writeln!(
            f,
            "{} of {} case(s) passed; coverage {}",
            self.cases.len() - failed,
            self.cases.len(),
            self.coverage.summary()
        )
    }
}

/// A failed row's mismatches as a table of path, expected and actual,
/// each column as wide as its widest entry.
fn write_mismatches(
    f: &mut fmt::Formatter<'_>,
    indent: &str,
    mismatches: &[Mismatch],
) -> fmt::Result {
    let width = |entry: fn(&Mismatch) -> &str, header: &str| {
        mismatches
            .iter()
            .map(|m| entry(m).chars().count())
            .chain([header.chars().count()])
            .max()
            .unwrap_or(0)
    };
    let w = width(|m| &m.path, "path");
    let e = width(|m| &m.expected, "expected");
    writeln!(f, "{indent}{:w$}  {:e$}  actual", "path", "expected")?;
    for m in mismatches {
        let path = if m.path.is_empty() { "." } else { &m.path };
        writeln!(f, "{indent}{path:w$}  {:e$}  {}", m.expected, m.actual)?;
    }
    Ok(())
}

/// Runs cases files against a policy and reports every case and the clause
/// coverage of the passing ones.
///
/// A file naming another policy (`policy = "..."`) is an error; a case that
/// cannot run (unknown evaluation, facts that do not fit) fails with a
/// message, and the other cases still run.
///
/// ```
/// use cs_policy::Policy;
/// use cs_policy::testing::{CasesFile, run};
///
/// let policy = Policy::example("fintech")?;
/// let cases = CasesFile::parse("inline", r#"
/// [[case]]
/// name = "Labour Day block"
/// run = "calendar_day"
/// facts.date = 2026-05-01
/// expect = { kind = "holiday", clause = "calendars.cn-2026.holidays[3]" }
///
/// [[case]]
/// name = "Around the Spring Festival"
/// run = "calendar_day"
/// columns = ["facts.date", "expect.kind"]
/// rows = [
///   [2026-02-13, "working"],
///   [2026-02-16, "holiday"],
///   [2026-02-14, "makeup_working"],
/// ]
/// "#)?;
/// let report = run(&policy, &[cases])?;
/// assert!(report.passed(), "{report}");
/// assert!(!report.coverage.meets(100.into()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn run(policy: &Policy, files: &[CasesFile]) -> Result<Report, CasesError> {
    let id = policy.meta().id();
    for f in files {
        if let Some(cases_for) = f.policy()
            && cases_for != id
        {
            return Err(CasesError::OtherPolicy {
                file: f.file.clone(),
                cases_for: cases_for.to_owned(),
                policy: id.to_owned(),
            });
        }
    }
    let clauses = policy.clauses();
    let guard = Guard::start();
    let mut covered = vec![false; clauses.len()];
    let mut cases = Vec::new();
    for f in files {
        for (n, spec) in f.spec.cases.iter().enumerate() {
            let lines = f.lines.get(n).cloned().unwrap_or_default();
            cases.push(run_case(
                policy,
                &guard,
                (&f.file, lines),
                spec,
                &mut covered,
            ));
        }
    }
    drop(guard);
    Ok(Report {
        policy: id.to_owned(),
        cases,
        coverage: coverage(policy, &covered),
    })
}

fn coverage(policy: &Policy, cited: &[bool]) -> Coverage {
    let clauses = policy.clauses();
    let is_covered = |i: usize, id: &str| {
        cited.get(i).copied().unwrap_or(false)
            || clauses.iter().zip(cited).any(|(c, &hit)| {
                hit && c
                    .id()
                    .strip_prefix(id)
                    .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
            })
    };
    let mut total = 0;
    let mut covered = 0;
    let mut uncovered = Vec::new();
    for (i, c) in clauses.iter().enumerate() {
        if c.id() == "policy" {
            continue;
        }
        total += 1;
        if is_covered(i, c.id()) {
            covered += 1;
        } else {
            uncovered.push(Uncovered {
                id: c.id().to_owned(),
                label: c.label().map(str::to_owned),
                line: c.line(),
            });
        }
    }
    Coverage {
        total,
        covered,
        uncovered,
    }
}

fn run_case(
    policy: &Policy,
    guard: &Guard,
    (file, lines): (&str, CaseLines),
    spec: &CaseSpec,
    covered: &mut [bool],
) -> CaseResult {
    let mut result = CaseResult {
        file: file.to_owned(),
        line: lines.line,
        name: spec.name.clone(),
        run: spec.run.clone(),
        rows: Vec::new(),
    };
    let base = expected(spec);
    if spec.rows.is_empty() {
        let verdict = if spec.columns.is_empty() {
            run_one(policy, guard, &spec.run, &base, covered)
        } else {
            Verdict::Error {
                message: "`columns` given without `rows`".into(),
            }
        };
        result.rows.push(RowResult {
            row: None,
            line: None,
            values: Vec::new(),
            verdict,
        });
        return result;
    }
    for (n, row) in spec.rows.iter().enumerate() {
        let values = spec
            .columns
            .iter()
            .zip(row)
            .map(|(c, v)| format!("{c} = {}", show_toml(v)))
            .collect();
        let verdict = match with_row(&base, &spec.columns, row) {
            Ok(case) => run_one(policy, guard, &spec.run, &case, covered),
            Err(message) => Verdict::Error { message },
        };
        result.rows.push(RowResult {
            row: Some(n + 1),
            line: lines.rows.get(n).copied(),
            values,
            verdict,
        });
    }
    result
}

/// A case as written, before any table row.
fn expected(spec: &CaseSpec) -> Expected {
    Expected {
        facts: toml_to_json(&toml::Value::Table(spec.facts.clone()), true),
        expect: toml_to_json(&spec.expect, false),
        clauses: spec
            .expect_clauses
            .iter()
            .map(|c| Value::String(c.clone()))
            .collect(),
        error: spec.expect_error.clone(),
    }
}

/// One evaluation a cases file makes: a case, or one row of its table,
/// with the facts the runner gives it.
pub(crate) struct CaseRun<'f> {
    /// The case's name.
    pub(crate) name: &'f str,
    /// The row's number (from 1), for a table.
    pub(crate) row: Option<usize>,
    /// The evaluation.
    pub(crate) run: &'f str,
    /// Its facts, as JSON.
    pub(crate) facts: Value,
}

impl CasesFile {
    /// Every evaluation the file's cases make, in file order; a row that
    /// cannot be applied is left out (it runs as an error).
    pub(crate) fn runs(&self) -> Vec<CaseRun<'_>> {
        let mut out = Vec::new();
        for spec in &self.spec.cases {
            let base = expected(spec);
            if spec.rows.is_empty() {
                out.push(CaseRun {
                    name: &spec.name,
                    row: None,
                    run: &spec.run,
                    facts: base.facts,
                });
                continue;
            }
            for (n, row) in spec.rows.iter().enumerate() {
                if let Ok(case) = with_row(&base, &spec.columns, row) {
                    out.push(CaseRun {
                        name: &spec.name,
                        row: Some(n + 1),
                        run: &spec.run,
                        facts: case.facts,
                    });
                }
            }
        }
        out
    }

    /// The file's name, as given.
    pub fn file(&self) -> &str {
        &self.file
    }
}

/// A case with its table row applied.
#[derive(Clone)]
struct Expected {
    facts: Value,
    expect: Value,
    clauses: Vec<Value>,
    error: Option<String>,
}

fn with_row(base: &Expected, columns: &[String], row: &[toml::Value]) -> Result<Expected, String> {
    if row.len() != columns.len() {
        return Err(format!(
            "the row has {} value(s) for {} column(s)",
            row.len(),
            columns.len()
        ));
    }
    let mut case = base.clone();
    for (column, value) in columns.iter().zip(row) {
        let (root, rest) = column.split_once('.').unwrap_or((column.as_str(), ""));
        match root {
            // A whole `facts` column: its keys are added to (or replace)
            // the case's facts.
            "facts" if rest.is_empty() => match (&mut case.facts, toml_to_json(value, true)) {
                (Value::Object(base), Value::Object(row)) => base.extend(row),
                (base, row) => *base = row,
            },
            // A whole `expect` column: the row's expectation of the outcome.
            "expect" if rest.is_empty() => case.expect = toml_to_json(value, false),
            "facts" => set(&mut case.facts, rest, toml_to_json(value, true), true)
                .map_err(|e| format!("column `{column}`: {e}"))?,
            "expect" => set(&mut case.expect, rest, toml_to_json(value, false), false)
                .map_err(|e| format!("column `{column}`: {e}"))?,
            "expect_clauses" if rest.is_empty() => {
                case.clauses = match toml_to_json(value, false) {
                    Value::Array(list) => list,
                    one => vec![one],
                }
            }
            "expect_error" if rest.is_empty() => {
                case.error = Some(match value {
                    toml::Value::String(s) => s.clone(),
                    other => other.to_string(),
                });
            }
            _ => {
                return Err(format!(
                    "column `{column}` must start with `facts.`, `expect.`, or be `expect_clauses` or `expect_error`"
                ));
            }
        }
    }
    Ok(case)
}

enum Segment {
    Key(String),
    Index(usize),
}

fn segments(path: &str) -> Result<Vec<Segment>, String> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, mut rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        if !key.is_empty() {
            out.push(Segment::Key(key.to_owned()));
        }
        while !rest.is_empty() {
            let (index, after) = rest
                .split_once(']')
                .ok_or_else(|| format!("`[` without `]` in `{part}`"))?;
            let index = index
                .parse()
                .map_err(|_| format!("`[{index}]` is not an index"))?;
            out.push(Segment::Index(index));
            rest = after.strip_prefix('[').unwrap_or(after);
        }
    }
    if out.is_empty() {
        return Err("the path names nothing after its first word".into());
    }
    Ok(out)
}

/// Sets `path` in `target`. In facts an index reaches into an array (one
/// past the end appends); in expectations it is an element check, kept as
/// a numeric key.
fn set(target: &mut Value, path: &str, value: Value, facts: bool) -> Result<(), String> {
    let segments = segments(path)?;
    let mut at = target;
    for (i, seg) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        let next = if last {
            value.clone()
        } else {
            match segments.get(i + 1) {
                Some(Segment::Index(_)) if facts => Value::Array(Vec::new()),
                _ => Value::Object(Map::new()),
            }
        };
        at = match seg {
            Segment::Index(n) if facts => {
                let list = at
                    .as_array_mut()
                    .ok_or_else(|| format!("`[{n}]` indexes something that is not a list"))?;
                let len = list.len();
                if *n == len {
                    list.push(next);
                } else if last && let Some(slot) = list.get_mut(*n) {
                    *slot = next;
                }
                list.get_mut(*n)
                    .ok_or_else(|| format!("no element [{n}] (the list has {len})"))?
            }
            Segment::Key(_) | Segment::Index(_) => {
                let key = match seg {
                    Segment::Key(k) => k.clone(),
                    Segment::Index(n) => n.to_string(),
                };
                if !at.is_object() {
                    *at = Value::Object(Map::new());
                }
                let map = at
                    .as_object_mut()
                    .ok_or_else(|| format!("`{key}` is set inside a value"))?;
                if last {
                    map.insert(key.clone(), next);
                    map.get_mut(&key)
                        .ok_or_else(|| format!("`{key}` cannot be set"))?
                } else {
                    map.entry(key).or_insert(next)
                }
            }
        };
    }
    Ok(())
}

fn run_one(
    policy: &Policy,
    guard: &Guard,
    run: &str,
    case: &Expected,
    covered: &mut [bool],
) -> Verdict {
    guard.take();
    let outcome = evaluate(policy, run, &case.facts);
    let cited = cited_clauses(policy, &guard.take());
    let outcome = match settle_error(outcome, case) {
        Ok(outcome) => outcome,
        Err(verdict) => return verdict,
    };
    let mut mismatches = Vec::new();
    if let Some(wanted) = &case.error {
        mismatches.push(Mismatch {
            path: "error".into(),
            expected: format!("an error containing `{wanted}`"),
            actual: "no error".into(),
        });
    }
    compare(&case.expect, &outcome, &mut String::new(), &mut mismatches);
    if let Err(verdict) = compare_clauses(policy, case, &cited, &mut mismatches) {
        return verdict;
    }
    if case.expect.as_object().is_some_and(Map::is_empty)
        && case.clauses.is_empty()
        && case.error.is_none()
    {
        return Verdict::Error {
            message: "the case expects nothing: give `expect`, `expect_clauses` or `expect_error`"
                .into(),
        };
    }
    if mismatches.is_empty() {
        for i in cited {
            if let Some(c) = covered.get_mut(i) {
                *c = true;
            }
        }
        Verdict::Passed
    } else {
        Verdict::Failed { mismatches }
    }
}

/// A case's outcome, or its verdict already when the evaluation failed:
/// a failure the case expects passes if its message matches.
fn settle_error(outcome: Result<Value, Failure>, case: &Expected) -> Result<Value, Verdict> {
    match (outcome, &case.error) {
        (Err(Failure::Setup(message)), _) => Err(Verdict::Error { message }),
        (Err(Failure::Evaluation(message)), Some(wanted)) => {
            Err(if message.contains(wanted.as_str()) {
                Verdict::Passed
            } else {
                Verdict::Failed {
                    mismatches: vec![Mismatch {
                        path: "error".into(),
                        expected: format!("an error containing `{wanted}`"),
                        actual: message,
                    }],
                }
            })
        }
        (Err(Failure::Evaluation(message)), None) => Err(Verdict::Error {
            message: format!("the evaluation failed: {message}"),
        }),
        (Ok(outcome), _) => Ok(outcome),
    }
}

/// Each clause the case expects cited, checked against the clauses
/// `cited` (by place); a clause id the policy lacks is an error of the
/// case, not a mismatch.
fn compare_clauses(
    policy: &Policy,
    case: &Expected,
    cited: &[usize],
    mismatches: &mut Vec<Mismatch>,
) -> Result<(), Verdict> {
    for clause in &case.clauses {
        let Some(id) = clause.as_str() else {
            return Err(Verdict::Error {
                message: format!("`expect_clauses` holds {clause}, not a clause id"),
            });
        };
        let Some(clause) = policy.clause_by_id(id) else {
            return Err(Verdict::Error {
                message: format!("`expect_clauses` names `{id}`, which the policy does not have"),
            });
        };
        let place = policy.clauses().iter().position(|c| c.id() == clause.id());
        if !place.is_some_and(|i| cited.contains(&i)) {
            let cited: Vec<&str> = cited.iter().map(|&i| policy.clauses()[i].id()).collect();
            mismatches.push(Mismatch {
                path: "(clauses cited)".into(),
                expected: format!("cites {id}"),
                actual: if cited.is_empty() {
                    "cites none".into()
                } else {
                    cited.join(", ")
                },
            });
        }
    }
    Ok(())
}

fn show(v: &Value) -> String {
    match v {
        Value::Null => "none".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn show_toml(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn decimal(v: &Value) -> Option<Decimal> {
    match v {
        Value::Number(n) => n.to_string().parse().ok(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn scalar_eq(expected: &Value, actual: &Value) -> bool {
    if expected == actual {
        return true;
    }
    if expected.as_str() == Some("none") && actual.is_null() {
        return true;
    }
    match (decimal(expected), decimal(actual)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

fn compare(expected: &Value, actual: &Value, path: &mut String, out: &mut Vec<Mismatch>) {
    let mismatch = |out: &mut Vec<Mismatch>, path: &str, actual: String| {
        out.push(Mismatch {
            path: path.to_owned(),
            expected: show(expected),
            actual,
        });
    };
    match (expected, actual) {
        (Value::Object(want), Value::Array(list)) => compare_list(want, list, path, out),
        (Value::Object(want), Value::Object(have)) => {
            for (key, want) in want {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                match have.get(key) {
                    Some(value) => compare(want, value, path, out),
                    None if want.as_str() == Some("none") => {}
                    None => out.push(Mismatch {
                        path: path.clone(),
                        expected: show(want),
                        actual: "missing".into(),
                    }),
                }
                path.truncate(len);
            }
        }
        (Value::Array(want), Value::Array(have)) => {
            if want.len() != have.len() {
                out.push(Mismatch {
                    path: format!("{path}.len"),
                    expected: format!("{} element(s)", want.len()),
                    actual: format!("{} element(s)", have.len()),
                });
                return;
            }
            for (n, (w, h)) in want.iter().zip(have).enumerate() {
                let len = path.len();
                path.push_str(&format!("[{n}]"));
                compare(w, h, path, out);
                path.truncate(len);
            }
        }
        (Value::Object(_) | Value::Array(_), other) => mismatch(out, path, show(other)),
        (_, Value::Object(_) | Value::Array(_)) => mismatch(out, path, actual.to_string()),
        _ => {
            if !scalar_eq(expected, actual) {
                mismatch(out, path, show(actual));
            }
        }
    }
}

/// An expectation written as a table against a list: its elements by
/// index, its `len`, or elements it `contains`.
fn compare_list(
    want: &serde_json::Map<String, Value>,
    list: &[Value],
    path: &mut String,
    out: &mut Vec<Mismatch>,
) {
    for (key, want) in want {
        let len = path.len();
        match (key.as_str(), key.parse::<usize>()) {
            (_, Ok(n)) => {
                path.push_str(&format!("[{n}]"));
                match list.get(n) {
                    Some(item) => compare(want, item, path, out),
                    None => out.push(Mismatch {
                        path: path.clone(),
                        expected: show(want),
                        actual: format!("missing (the list has {})", list.len()),
                    }),
                }
            }
            ("len", _) => {
                path.push_str(".len");
                if !scalar_eq(want, &Value::from(list.len())) {
                    out.push(Mismatch {
                        path: path.clone(),
                        expected: show(want),
                        actual: list.len().to_string(),
                    });
                }
            }
            ("contains", _) => compare_contains(want, list, path, out),
            _ => out.push(Mismatch {
                path: format!("{path}.{key}"),
                expected: show(want),
                actual: "a list (check an element with an index, `len` or `contains`)".into(),
            }),
        }
        path.truncate(len);
    }
}

/// `contains`: each wanted element (one, or a list of them) matches some
/// element of the list.
fn compare_contains(want: &Value, list: &[Value], path: &str, out: &mut Vec<Mismatch>) {
    let wanted = match want {
        Value::Array(w) => w.as_slice(),
        one => std::slice::from_ref(one),
    };
    for w in wanted {
        let found = list.iter().any(|item| {
            let mut m = Vec::new();
            compare(w, item, &mut String::new(), &mut m);
            m.is_empty()
        });
        if !found {
            out.push(Mismatch {
                path: if path.is_empty() {
                    "contains".into()
                } else {
                    format!("{path}.contains")
                },
                expected: show(w),
                actual: format!("no such element among {}", list.len()),
            });
        }
    }
}

/// TOML to JSON. Dates and times become their TOML text (which is chrono's);
/// in facts, floats become decimal strings, since amounts are decimals.
fn toml_to_json(v: &toml::Value, facts: bool) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s.clone()),
        toml::Value::Integer(i) => Value::from(*i),
        toml::Value::Float(f) if facts => Value::String(f.to_string()),
        toml::Value::Float(f) => serde_json::Number::from_f64(*f)
            .map(Value::Number)
            .unwrap_or(Value::String(f.to_string())),
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.iter().map(|x| toml_to_json(x, facts)).collect()),
        toml::Value::Table(t) => Value::Object(
            t.iter()
                .map(|(k, x)| (k.clone(), toml_to_json(x, facts)))
                .collect(),
        ),
    }
}

enum Failure {
    /// The case is not written right: unknown evaluation, facts that do not fit.
    Setup(String),
    /// The evaluation rejected the facts.
    Evaluation(String),
}

/// Reads a case's facts strictly, as every facts file is read: an unknown
/// key is refused (`clock_inn` does not silently leave a day unpunched),
/// with its path and the closest known key.
fn facts<T: serde::de::DeserializeOwned>(facts: &Value) -> Result<T, Failure> {
    crate::facts::strict::read::<T, _>(facts, "").map_err(|(error, found)| {
        let (message, help) = match found.own {
            Some((_, message, help)) => (message, help),
            None => (crate::facts::tidy(&error.to_string()), None),
        };
        let help = help.map(|h| format!(" ({h})")).unwrap_or_default();
        let at = match found.path.as_str() {
            "" => String::new(),
            path => format!("`{path}`: "),
        };
        Failure::Setup(format!("facts: {at}{message}{help}"))
    })
}

fn outcome<T: Serialize, E: fmt::Display>(result: Result<T, E>) -> Result<Value, Failure> {
    let value = result.map_err(|e| Failure::Evaluation(e.to_string()))?;
    serde_json::to_value(&value).map_err(|e| Failure::Setup(format!("outcome: {e}")))
}

macro_rules! args {
    ($name:ident { $($field:ident : $ty:ty),* $(,)? }) => {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct $name { $($field: $ty),* }
    };
}

args!(DateArgs { date: NaiveDate });
args!(ShiftDayArgs {
    shift: String,
    date: NaiveDate
});
args!(AgeArgs {
    birth_date: NaiveDate,
    on: NaiveDate
});
args!(RangeArgs {
    from: NaiveDate,
    to: NaiveDate
});
args!(RosterArgs {
    roster: crate::shift::Roster,
    from: NaiveDate,
    to: NaiveDate
});
args!(DaysAwayArgs { days_away: u32 });
args!(AssignArgs {
    year: i32,
    month: u32,
    days: Vec<crate::attendance::WorkDay>,
    events: Vec<crate::punch::Event>
});
args!(CorrectArgs {
    days: Vec<crate::attendance::WorkDay>,
    corrections: Vec<crate::punch::Correction>
});

/// A punch log put on its days, as a case sees it.
#[derive(Serialize)]
struct AssignedOut {
    events: Vec<crate::punch::EventOutcome>,
    days: Vec<crate::attendance::WorkDay>,
}

/// Corrections decided, as a case sees them.
#[derive(Serialize)]
struct CorrectedOut {
    corrections: Vec<crate::punch::CorrectionOutcome>,
    days: Vec<crate::attendance::WorkDay>,
}
args!(LeaveArgs {
    agent: crate::leave::Agent,
    request: crate::leave::LeaveRequest
});
args!(LeavesArgs { agent: crate::leave::Agent, requests: Vec<crate::leave::LeaveRequest> });
args!(LeaveYearArgs { year: i32, agent: crate::leave::Agent, requests: Vec<crate::leave::LeaveRequest> });
args!(NursingArgs {
    leave_type: String,
    child_born: NaiveDate,
    date: NaiveDate
});
args!(IncidentsArgs { incidents: Vec<crate::discipline::Incident> });
args!(MonthIncidentsArgs { year: i32, month: u32, incidents: Vec<crate::discipline::Incident> });
args!(TeamArgs { agents: Vec<crate::pay::AgentMonth> });
args!(WindowArgs {
    plan: String,
    year: i32,
    month: u32
});
args!(ChaserArgs {
    order: crate::orders::Order,
    duty_agent: u32
});
args!(StockArgs { listed: u32 });
args!(PaidArgs { paid: NaiveDate });
args!(VipArgs {
    completed_purchases: u32,
    price: Decimal
});
args!(VoucherArgs { responded: bool });
args!(DueArgs { members: Vec<crate::followup::Member>, date: NaiveDate });
args!(CheckCallsArgs { members: Vec<crate::followup::Member>, log: Vec<crate::followup::LoggedCall>, as_of: NaiveDateTime });
args!(BirthdayArgs { members: Vec<crate::followup::Member>, year: i32, month: u32 });
args!(EntryArgs { card: NaiveDateTime, entered: Option<NaiveDateTime> });
args!(RevisitArgs {
    customer: crate::followup::Customer,
    today: NaiveDate
});

args!(GradeArgs {
    scorecard: String,
    score: Decimal
});

/// The band a score falls in, as a case sees it.
#[derive(Serialize)]
struct GradeOut {
    score: Decimal,
    percent: Decimal,
    grade: String,
    pass: bool,
    pay_share: Option<Decimal>,
    clause: crate::ClauseRef,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CardArgs {
    scorecard: String,
    card: crate::kpi::CardFacts,
    #[serde(default)]
    attendance: crate::kpi::AttendanceCounts,
}

/// A calendar day as a case sees it (the library's type is not serialised).
#[derive(Serialize)]
struct CalendarDayOut {
    date: NaiveDate,
    kind: crate::calendar::DayKind,
    working: bool,
    clause: crate::ClauseRef,
}

/// A shift's hours on one date, as a case sees them.
#[derive(Serialize)]
struct ShiftHoursOut {
    start: chrono::NaiveTime,
    end: chrono::NaiveTime,
    crosses_midnight: bool,
    paid_minutes: u32,
    clause: crate::ClauseRef,
    /// The handover whose overlap the paid minutes account for.
    handover: Option<crate::ClauseRef>,
}

/// Full years (周岁) on a date, as a case sees them.
#[derive(Serialize)]
struct FullYearsOut {
    years: Option<u32>,
    clause: crate::ClauseRef,
}

/// The band of a score on a scorecard.
fn grade(policy: &Policy, a: &GradeArgs) -> Result<GradeOut, String> {
    let card = policy
        .kpi()
        .and_then(|k| k.scorecard(&a.scorecard))
        .ok_or_else(|| format!("no scorecard `{}`", a.scorecard))?;
    let found = card
        .grade_of(a.score)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("scorecard `{}` has no bands", a.scorecard))?;
    let percent = a
        .score
        .checked_mul(Decimal::ONE_HUNDRED)
        .and_then(|s| s.checked_div(card.total()))
        .ok_or("the score is too large")?;
    Ok(GradeOut {
        score: a.score,
        percent,
        grade: found.band.id().to_owned(),
        pass: found.pass,
        pay_share: found.pay_share,
        clause: found.clause,
    })
}

/// In an attendance month, each day's `shift` names a shift type the
/// policy defines: an unknown one is a mistake of the case, not of the
/// policy.
fn check_shifts(policy: &Policy, f: &Value) -> Result<(), Failure> {
    let days = f.get("days").and_then(Value::as_array);
    for id in days
        .into_iter()
        .flatten()
        .filter_map(|d| d.get("shift")?.as_str())
    {
        if policy.shift_ref(id).is_none() {
            return Err(Failure::Setup(format!("facts: no shift type `{id}`")));
        }
    }
    Ok(())
}

/// Runs one evaluation on facts written as in a case (`run`, `facts`) and
/// gives its outcome as a case compares it: JSON with clauses and funds as
/// their ids. For writing cases: see what an evaluation gives.
///
/// ```
/// let policy = cs_policy::Policy::example("fintech")?;
/// let facts: toml::Table = toml::from_str("date = 2026-10-01")?;
/// let outcome = cs_policy::testing::outcome_of(&policy, "calendar_day", &facts)?;
/// assert_eq!(outcome["clause"], "calendars.cn-2026.holidays[6]");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn outcome_of(policy: &Policy, run: &str, facts: &toml::Table) -> Result<Value, String> {
    outcome_of_json(
        policy,
        run,
        &toml_to_json(&toml::Value::Table(facts.clone()), true),
    )
}

/// [`outcome_of`] on facts already in JSON, as the runner holds them.
pub(crate) fn outcome_of_json(policy: &Policy, run: &str, facts: &Value) -> Result<Value, String> {
    Evaluator::new(policy).outcome(run, facts)
}

/// The clauses an evaluation cited, by their place in the policy: each
/// clause its outcome names, and the clause defining each fund it names.
fn cited_clauses(policy: &Policy, noted: &[Noted]) -> Vec<usize> {
    let clause_kind = std::any::type_name::<crate::Clause>();
    let fund_kind = std::any::type_name::<crate::Fund>();
    let mut places = Vec::new();
    for &(kind, id) in noted {
        let clause = if kind == clause_kind {
            Some(id)
        } else if kind == fund_kind {
            let fund = policy.funds().iter().find(|f| f.id() == id);
            fund.map(|f| f.clause().id())
        } else {
            None
        };
        let place = clause.and_then(|c| policy.clauses().iter().position(|x| x.id() == c));
        if let Some(i) = place.filter(|i| !places.contains(i)) {
            places.push(i);
        }
    }
    places
}

/// Evaluations of one policy, outcomes written as cases compare them.
pub(crate) struct Evaluator<'p> {
    policy: &'p Policy,
}

impl<'p> Evaluator<'p> {
    pub(crate) fn new(policy: &'p Policy) -> Self {
        Self { policy }
    }

    /// The outcome of `run` on `facts` (JSON, as the runner holds them).
    pub(crate) fn outcome(&mut self, run: &str, facts: &Value) -> Result<Value, String> {
        evaluate(self.policy, run, facts).map_err(|e| match e {
            Failure::Setup(m) | Failure::Evaluation(m) => m,
        })
    }
}

/// The runs of shifts, ages, the calendar and rosters; `None` for any
/// other run.
fn evaluate_days(policy: &Policy, run: &str, f: &Value) -> Result<Option<Value>, Failure> {
    let value = match run {
        "shift_hours" => {
            let a: ShiftDayArgs = facts(f)?;
            let shift = policy
                .shift_ref(&a.shift)
                .and_then(|s| policy.shift_type(s))
                .ok_or_else(|| Failure::Evaluation(format!("no shift type `{}`", a.shift)))?;
            let weekday = chrono::Datelike::weekday(&a.date);
            let hours = shift.hours(weekday);
            outcome(Ok::<_, String>(ShiftHoursOut {
                start: hours.start(),
                end: hours.end(),
                crosses_midnight: hours.crosses_midnight(),
                paid_minutes: shift.paid_minutes(weekday),
                clause: hours.clause(),
                handover: shift.handover().map(|h| h.clause),
            }))
        }
        "full_years" => {
            let a: AgeArgs = facts(f)?;
            let ages = policy
                .leave()
                .and_then(|l| l.ages())
                .ok_or_else(|| Failure::Evaluation("the policy has no `[leave.ages]`".into()))?;
            outcome(Ok::<_, String>(FullYearsOut {
                years: ages.full_years(a.birth_date, a.on),
                clause: ages.clause,
            }))
        }
        "calendar_day" => {
            let a: DateArgs = facts(f)?;
            outcome(policy.calendar().day(a.date).map(|day| CalendarDayOut {
                date: day.date,
                kind: day.kind,
                working: day.kind.is_working(),
                clause: day.clause,
            }))
        }
        "meetings_between" => {
            let a: RangeArgs = facts(f)?;
            outcome(policy.meetings_between(a.from, a.to))
        }
        "check_roster" => {
            let a: RosterArgs = facts(f)?;
            outcome(policy.check_roster(&a.roster, a.from, a.to))
        }
        _ => return Ok(None),
    };
    value.map(Some)
}

/// The runs of a month of attendance: punches, their corrections and the
/// days away assessed; `None` for any other run.
fn evaluate_attendance(policy: &Policy, run: &str, f: &Value) -> Result<Option<Value>, Failure> {
    use crate::attendance;
    let value = match run {
        "attendance_month" => {
            check_shifts(policy, f)?;
            let a: attendance::AgentMonth = facts(f)?;
            outcome(policy.attendance_report(&a))
        }
        "assign_punches" => {
            check_shifts(policy, f)?;
            let mut a: AssignArgs = facts(f)?;
            let mut events = Vec::new();
            let result =
                policy.assign_punches(a.year, a.month, &mut a.days, &a.events, &mut events);
            outcome(result.map(|()| AssignedOut {
                events,
                days: a.days,
            }))
        }
        "correct_punches" => {
            check_shifts(policy, f)?;
            let mut a: CorrectArgs = facts(f)?;
            let mut corrections = Vec::new();
            let result = policy.correct_punches(&mut a.days, &a.corrections, &mut corrections);
            outcome(result.map(|()| CorrectedOut {
                corrections,
                days: a.days,
            }))
        }
        "assessed" => {
            let a: DaysAwayArgs = facts(f)?;
            outcome(policy.assessed(a.days_away))
        }
        _ => return Ok(None),
    };
    value.map(Some)
}

/// The runs of orders and follow-up calls; `None` for any other run.
fn evaluate_service(policy: &Policy, run: &str, f: &Value) -> Result<Option<Value>, Failure> {
    use crate::{followup, orders};
    let value = match run {
        "order_flag" => outcome(policy.order_flag(&facts::<orders::Order>(f)?)),
        "order_remark" => outcome(policy.order_remark(&facts::<orders::Order>(f)?)),
        "order_commission" => outcome(policy.order_commission(&facts::<orders::Order>(f)?)),
        "add_to_order" => outcome(policy.add_to_order(&facts::<orders::Order>(f)?)),
        "process_order" => outcome(policy.process_order(&facts::<orders::Order>(f)?)),
        "unpaid_chaser" => {
            let a: ChaserArgs = facts(f)?;
            outcome(policy.unpaid_chaser(&a.order, a.duty_agent))
        }
        "stock_alert" => {
            let a: StockArgs = facts(f)?;
            outcome(policy.stock_alert(a.listed))
        }
        "return_decision" => outcome(policy.return_decision(&facts::<orders::ReturnRequest>(f)?)),
        "shipping_promise" => {
            let a: PaidArgs = facts(f)?;
            outcome(policy.shipping_promise(a.paid))
        }
        "vip_price" => {
            let a: VipArgs = facts(f)?;
            outcome(policy.vip_price(a.completed_purchases, a.price))
        }
        "size_followup_voucher" => {
            let a: VoucherArgs = facts(f)?;
            outcome(policy.size_followup_voucher(a.responded))
        }
        "calls_due" => {
            let a: DueArgs = facts(f)?;
            outcome(policy.calls_due(&a.members, a.date))
        }
        "check_calls" => {
            let a: CheckCallsArgs = facts(f)?;
            outcome(policy.check_calls(&a.members, &a.log, a.as_of))
        }
        "birthday_plan" => {
            let a: BirthdayArgs = facts(f)?;
            outcome(policy.birthday_plan(&a.members, a.year, a.month))
        }
        "data_entry" => {
            let a: EntryArgs = facts(f)?;
            outcome(policy.data_entry(a.card, a.entered))
        }
        "day_report" => outcome(policy.day_report(&facts::<followup::DayLog>(f)?)),
        "revisit_due" => {
            let a: RevisitArgs = facts(f)?;
            outcome(policy.revisit_due(&a.customer, a.today))
        }
        _ => return Ok(None),
    };
    value.map(Some)
}

/// The runs, family by family.
type Family = fn(&Policy, &str, &Value) -> Result<Option<Value>, Failure>;

const FAMILIES: [Family; 5] = [
    evaluate_days,
    evaluate_attendance,
    evaluate_service,
    evaluate_leave_and_discipline,
    evaluate_pay,
];

fn evaluate(policy: &Policy, run: &str, f: &Value) -> Result<Value, Failure> {
    for family in FAMILIES {
        if let Some(value) = family(policy, run, f)? {
            return Ok(value);
        }
    }
    let runs: Vec<&str> = RUNS.iter().map(|(r, _)| *r).collect();
    let hint = crate::policy::read::closest(run, &runs)
        .map(|best| format!("; did you mean `{best}`?"))
        .unwrap_or_default();
    Err(Failure::Setup(format!(
        "`run = \"{run}\"` is not an evaluation{hint} (see `cs_policy::testing::RUNS`)"
    )))
}

/// The runs of leave requests and incidents; `None` for any other run.
fn evaluate_leave_and_discipline(
    policy: &Policy,
    run: &str,
    f: &Value,
) -> Result<Option<Value>, Failure> {
    let value = match run {
        "check_leave_request" => {
            let a: LeaveArgs = facts(f)?;
            outcome(policy.check_leave_request(&a.agent, &a.request))
        }
        "check_leave_requests" => {
            let a: LeavesArgs = facts(f)?;
            outcome(policy.check_leave_requests(&a.agent, &a.requests))
        }
        "leave_year" => {
            let a: LeaveYearArgs = facts(f)?;
            let decisions = policy
                .check_leave_requests(&a.agent, &a.requests)
                .map_err(|e| Failure::Evaluation(e.to_string()))?;
            outcome(policy.leave_year(a.year, &decisions))
        }
        "nursing_minutes" => {
            let a: NursingArgs = facts(f)?;
            outcome(policy.nursing_minutes(&a.leave_type, a.child_born, a.date))
        }
        "discipline_statement" => {
            let a: IncidentsArgs = facts(f)?;
            outcome(policy.discipline_statement(&a.incidents))
        }
        "discipline_month" => {
            let a: MonthIncidentsArgs = facts(f)?;
            outcome(policy.discipline_month(a.year, a.month, &a.incidents))
        }
        _ => return Ok(None),
    };
    value.map(Some)
}

/// The runs of scorecards, grades and pay; `None` for any other run.
fn evaluate_pay(policy: &Policy, run: &str, f: &Value) -> Result<Option<Value>, Failure> {
    use crate::pay;
    let value = match run {
        "score_card" => {
            let a: CardArgs = facts(f)?;
            outcome(policy.score_card(&a.scorecard, &a.card, &a.attendance))
        }
        "grade" => {
            let a: GradeArgs = facts(f)?;
            outcome(grade(policy, &a))
        }
        "agent_month" => {
            let a: pay::AgentMonth = facts(f)?;
            outcome(policy.agent_month(&a))
        }
        "team_month" => {
            let a: TeamArgs = facts(f)?;
            outcome(policy.team_month(&a.agents))
        }
        "assessment_window" => {
            let a: WindowArgs = facts(f)?;
            outcome(policy.assessment_window(&a.plan, a.year, a.month))
        }
        _ => return Ok(None),
    };
    value.map(Some)
}
