//! `cs-policy`: check customer-service policy files and evaluate them.

use std::io::Write as _;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use cs_policy::boundary::Boundaries;
use cs_policy::diff::{AgentChange, Change, DiffError, PolicyDiff, Replay};
use cs_policy::facts::jsonl::LineError;
use cs_policy::{Diagnostic, LoadError, Policy, ProblemCode, Scenario};
use serde::Serialize;

#[derive(Parser)]
#[command(
    name = "cs-policy",
    version,
    about = "Customer-service rulebooks as typed, checked policy files",
    after_help = "Exit codes: 0 success; 1 problems found (invalid files, differing policies, failing cases); \
2 a file cannot be read or loaded. Problems are coloured on a terminal unless NO_COLOR is set."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate policy files (and `*.cases.toml`, `*.scenario.toml` and
    /// `*.jsonl` facts files, `*.csv` punch logs with their `*.columns.toml`
    /// mappings and `*.corrections.toml` corrections, and holiday calendars
    /// under a `calendars/` directory) and print every problem as
    /// file:line:col.
    ///
    /// Facts are checked against `--policy`, or else against the policy
    /// beside them (`shop.toml` for `shop.scenario.toml`, `shop.jsonl`,
    /// `shop.punches.csv`): the shifts, plans, posts, kinds and leave types
    /// they name, and punches on rostered days. A punch log is read with
    /// `--columns`, or the mapping beside it (`shop.punches.columns.toml`
    /// for `shop.punches.csv`), every bad row located; its agents are
    /// checked against the scenario beside it (`shop.scenario.toml`), as
    /// are its corrections (`shop.punches.corrections.toml`).
    ///
    /// Exits 0 when every file is valid, 1 when any file has a problem, 2
    /// when a file cannot be read (missing, not a regular file, over the
    /// 16 MiB size limit). Warnings (`--as-of`) are printed apart and never
    /// fail the check.
    Check {
        /// Policy files to check.
        #[arg(required = true)]
        files: Vec<String>,
        /// The policy facts files are checked against.
        #[arg(long)]
        policy: Option<String>,
        /// How to print the problems.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Warn when a policy's holiday calendars end within 60 days of this
        /// date (YYYY-MM-DD), so next year's calendar is added in time.
        #[arg(long, value_name = "DATE")]
        as_of: Option<chrono::NaiveDate>,
        /// The column mapping of the `*.csv` punch logs checked.
        #[arg(long, value_name = "FILE")]
        columns: Option<String>,
    },
    /// List every clause that differs between two versions of a policy, then
    /// the inputs where they decide differently.
    ///
    /// One line per clause: `~` changed (with the values that changed),
    /// `+` added, `-` removed. Then one line per boundary example, `≠`: a
    /// probe (minutes late, the k-th incident of a kind, a score) whose
    /// outcome differs, before → after; a run of values disagreeing the same
    /// way is one line naming its first and last value. Exits 0 when the
    /// policies state the same rules, 1 when they differ, 2 when either
    /// cannot be loaded.
    Diff {
        /// The policy as it was.
        old: String,
        /// The policy as it is to be.
        new: String,
        /// Scenario files (a month's facts) to replay through both: every
        /// agent whose statement changes, with the lines that changed.
        scenarios: Vec<String>,
        /// How to print the changes.
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
    },
    /// Run policy test cases: each case's facts through the policy, its
    /// expected outcomes compared; with `--mutants`, also small edits of the
    /// policy, to see whether the cases catch them.
    ///
    /// Prints PASS or FAIL per case (a FAIL names the case's file:line),
    /// with the differing values side by side (path, expected, actual).
    /// `--mutants` moves every number of the policy one unit (its last
    /// written decimal place) each way, a band edge as one; flips every
    /// choice to each other word the format allows, and every flag; drops
    /// and repeats every step of a list of tables. It runs the cases
    /// against each edit that loads, in parallel, and reports the mutation
    /// score (killed ÷ (loaded − equivalent)), each surviving edit with its
    /// clause and a case that kills it, ready to paste, and each equivalent
    /// one with the reason.
    ///
    /// Exits 0 when every case passes and each minimum asked for is met, 1
    /// otherwise (also for a cases file without cases), 2 when a file cannot
    /// be read.
    Test(TestArgs),
    /// Replay a month: every agent's statement under a policy, each line
    /// with the clause that decided it.
    ///
    /// The facts are a TOML scenario or a JSON Lines file (`*.jsonl`: the
    /// month on the first line, then one agent per line), which is
    /// evaluated as a stream on every core and written with `--format
    /// jsonl`, one statement per line in input order.
    ///
    /// `--punches LOG.csv` adds a punch log (an attendance machine's or
    /// DingTalk's CSV export) to a TOML scenario: its punches are assigned
    /// to the rostered shifts by the policy's `[shifts.punches]`, and every
    /// punch on no shift is listed on standard error with its line and
    /// reason. Its columns are named by `--columns MAP.toml`, else by the
    /// mapping beside the log (`LOG.columns.toml`), else they are the
    /// crate's own (`agent`, `time`, `direction`, `device`). The log's
    /// corrections (补卡), when it has some, are beside it
    /// (`LOG.corrections.toml`: `[[punch_corrections]]` as a scenario writes
    /// them) and are added to the scenario's.
    ///
    /// Exits 0 on success, 1 when facts cannot be evaluated (with
    /// `--keep-going`: when any line was skipped), 2 when either file cannot
    /// be loaded.
    Eval {
        /// The policy file.
        policy: String,
        /// The facts: a scenario (`*.toml`) or JSON Lines (`*.jsonl`).
        scenario: String,
        /// How to print the statements.
        #[arg(long, value_enum, default_value_t = EvalFormat::Table)]
        format: EvalFormat,
        /// Report a bad line of a JSON Lines file, skip it and evaluate the
        /// rest; without it the first bad line stops the run before anything
        /// is written.
        #[arg(long)]
        keep_going: bool,
        /// Threads to evaluate on (default: every core).
        #[arg(long, value_name = "N")]
        threads: Option<usize>,
        /// A punch log (CSV) whose punches are assigned to the scenario's
        /// rostered shifts.
        #[arg(long, value_name = "LOG.csv")]
        punches: Option<String>,
        /// The column mapping of the punch log (TOML).
        #[arg(long, value_name = "MAP.toml", requires = "punches")]
        columns: Option<String>,
    },
    /// Print the JSON Schema of the policy format, for editors.
    ///
    /// Policy files declare it on their first line:
    /// `#:schema ../schema/cs-policy.schema.json`.
    Schema,
}

#[derive(Clone, Copy, ValueEnum)]
enum EvalFormat {
    /// A readable table: agent, line kind, amount, clause, because.
    Table,
    /// JSON, for tools.
    Json,
    /// One statement per line (JSON Lines), written as agents finish.
    Jsonl,
}

/// The arguments of `test`.
#[derive(clap::Args)]
struct TestArgs {
    /// The policy file.
    policy: String,
    /// Cases files (`policies/<policy>.cases.toml`).
    #[arg(required = true)]
    cases: Vec<String>,
    /// List the clauses no passing case exercised.
    #[arg(long)]
    coverage: bool,
    /// Fail unless at least this percentage of the clauses is covered,
    /// compared exactly (`100` means every clause).
    #[arg(long, value_name = "PERCENT")]
    min_coverage: Option<rust_decimal::Decimal>,
    /// Run the policy's mutants against the cases and report the
    /// mutation score.
    #[arg(long)]
    mutants: bool,
    /// Fail unless the cases kill at least this percentage of the
    /// counted mutants, compared exactly, never rounded (implies
    /// `--mutants`).
    #[arg(long, value_name = "PERCENT")]
    min_mutation_score: Option<rust_decimal::Decimal>,
    /// How to print the results: text, JSON, or JUnit XML for CI.
    #[arg(long, value_enum, default_value_t = TestFormat::Text)]
    format: TestFormat,
}

impl TestArgs {
    fn options(self) -> cs_policy::testing::TestOptions {
        cs_policy::testing::TestOptions {
            policy: self.policy,
            cases: self.cases,
            coverage: self.coverage,
            min_coverage: self.min_coverage,
            mutants: self.mutants,
            min_mutation_score: self.min_mutation_score,
            format: match self.format {
                TestFormat::Text => cs_policy::testing::OutputFormat::Text,
                TestFormat::Json => cs_policy::testing::OutputFormat::Json,
                TestFormat::Junit => cs_policy::testing::OutputFormat::Junit,
            },
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum TestFormat {
    /// PASS/FAIL lines, survivors with their suggested cases.
    Text,
    /// JSON, for tools.
    Json,
    /// JUnit XML, which CI servers show as test results.
    Junit,
}

#[derive(Clone, Copy, ValueEnum)]
enum DiffFormat {
    /// One line per changed clause.
    Text,
    /// JSON, for tools.
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// Each problem with the offending line shown and underlined.
    Text,
    /// One `file:line:col: error[code]: message` line per problem.
    Short,
    /// JSON, for editors and CI.
    Json,
}

#[derive(Serialize)]
struct DiffReport<'a> {
    changes: &'a [Change],
    boundaries: &'a Boundaries,
    scenarios: &'a [ScenarioReport],
}

/// One scenario replayed by `diff`: the agents whose statements change.
#[derive(Serialize)]
struct ScenarioReport {
    scenario: String,
    agents: Vec<AgentChange>,
}

#[derive(Serialize)]
struct FileReport<'a> {
    file: &'a str,
    valid: bool,
    problems: Vec<Diagnostic>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    warnings: Vec<Warning>,
}

/// Something a valid file should have looked at soon: never a failure.
#[derive(Serialize)]
struct Warning {
    code: &'static str,
    message: String,
    help: String,
}

/// How close to its end a calendar is warned about.
const CALENDAR_WARNING_DAYS: i64 = 60;

/// A warning when the coverage ending on `last` ends within
/// [`CALENDAR_WARNING_DAYS`] of `as_of` (or has ended).
fn calendar_warning(last: chrono::NaiveDate, as_of: chrono::NaiveDate) -> Option<Warning> {
    use chrono::Datelike as _;
    let left = (last - as_of).num_days();
    if left > CALENDAR_WARNING_DAYS {
        return None;
    }
    let next = last.year() + 1;
    let message = if left >= 0 {
        format!("the holiday calendars end on {last}, {left} day(s) after {as_of}")
    } else {
        format!("the holiday calendars ended on {last}, before {as_of}")
    };
    Some(Warning {
        code: "calendar-ends",
        message,
        help: format!(
            "add the calendar of {next} (`calendars/cn-{next}.toml` from the State Council's notice) and name it in `[calendar] calendars`; dates after {last} are errors until then"
        ),
    })
}

/// Rows are read, evaluated and freed on different threads: mimalloc
/// frees across threads without taking a lock.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check {
            files,
            policy,
            format,
            as_of,
            columns,
        } => {
            let given = Given {
                policy: policy.as_deref(),
                columns: columns.as_deref(),
            };
            check(&files, given, format, as_of)
        }
        Command::Diff {
            old,
            new,
            scenarios,
            format,
        } => diff(&old, &new, &scenarios, format),
        Command::Test(args) => test(&args.options()),
        Command::Eval {
            policy,
            scenario,
            format,
            keep_going,
            threads,
            punches,
            columns,
        } => {
            if let Err(code) = start_threads(threads) {
                return code;
            }
            let log = punches.as_deref().map(|log| (log, columns.as_deref()));
            eval_facts(&policy, &scenario, format, keep_going, log)
        }
        Command::Schema => schema(),
    }
}

/// Starts the pool statements are evaluated on with `--threads` threads,
/// when asked; exit 2 when it cannot be started.
fn start_threads(threads: Option<usize>) -> Result<(), ExitCode> {
    let Some(n) = threads else {
        return Ok(());
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build_global();
    pool.map_err(|error| {
        eprintln!("error: cannot start {n} threads: {error}");
        ExitCode::from(2)
    })
}

/// `eval` by the kind of facts: JSON Lines as a stream, a TOML scenario
/// with the punch log `--punches` adds.
fn eval_facts(
    policy: &str,
    scenario: &str,
    format: EvalFormat,
    keep_going: bool,
    log: Option<(&str, Option<&str>)>,
) -> ExitCode {
    if !scenario.ends_with(".jsonl") {
        return eval(policy, scenario, format, log);
    }
    if log.is_some() {
        eprintln!(
            "error: `--punches` adds a punch log to a TOML scenario; in JSON Lines, give each agent's punches as its line's `punch_log`"
        );
        return ExitCode::from(2);
    }
    eval_lines(policy, scenario, format, keep_going)
}

/// Writes the JSON Schema of the policy format to standard output.
fn schema() -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(cs_policy::schema::policy_schema_text().as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: cannot write the schema: {error}");
            ExitCode::from(2)
        }
    }
}

fn test(options: &cs_policy::testing::TestOptions) -> ExitCode {
    match cs_policy::testing::test_command(options) {
        Ok(outcome) => {
            let mut stdout = std::io::stdout().lock();
            if let Err(error) = stdout.write_all(outcome.output.as_bytes()) {
                eprintln!("error: cannot write the results: {error}");
                return ExitCode::from(2);
            }
            if outcome.passed {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(error) => {
            eprint!("{error}");
            ExitCode::from(error.exit_code())
        }
    }
}

/// Why a file given to `check` is not valid.
enum CheckFailure {
    /// Problems located in the file (for JSON Lines, one set per bad line).
    Problems(Vec<cs_policy::Problems>),
    /// One problem for the file as a whole.
    Whole(ProblemCode, String),
}

/// Reads a file as `check`, `diff` and `eval` do: a regular file within the
/// size limit, UTF-8 (invalid bytes are a located problem).
fn read(file: &str) -> Result<String, LoadError> {
    cs_policy::read_file(file, cs_policy::DEFAULT_SIZE_LIMIT)
}

/// The policy facts in `file` are checked against: the one given, or the
/// policy beside the file (`shop.toml` for `shop.scenario.toml`), if any.
fn policy_for(file: &str, given: Option<&str>) -> Option<Policy> {
    if let Some(path) = given {
        return Policy::from_path(path).ok();
    }
    let stem = [
        ".scenario.toml",
        ".cases.toml",
        ".jsonl",
        ".punches.csv",
        ".punches.columns.toml",
        ".punches.corrections.toml",
    ]
    .iter()
    .find_map(|suffix| file.strip_suffix(suffix))?;
    let beside = format!("{stem}.toml");
    std::path::Path::new(&beside)
        .exists()
        .then(|| Policy::from_path(&beside).ok())
        .flatten()
}

/// The files `check` was told to check facts against.
#[derive(Clone, Copy)]
struct Given<'a> {
    /// The policy (`--policy`).
    policy: Option<&'a str>,
    /// The punch logs' column mapping (`--columns`).
    columns: Option<&'a str>,
}

/// The file beside `file` with its `suffix` replaced by `by`, if it exists.
fn beside(file: &str, suffix: &str, by: &str) -> Option<String> {
    let other = format!("{}{by}", file.strip_suffix(suffix)?);
    std::path::Path::new(&other).exists().then_some(other)
}

/// The column mapping of the punch log `log`: the one given, or the one
/// beside it (`log.columns.toml`); none: the crate's own columns.
fn mapping_for(
    log: &str,
    given: Option<&str>,
) -> Result<Option<cs_policy::facts::csv::Mapping>, LoadError> {
    let path = given
        .map(str::to_owned)
        .or_else(|| beside(log, ".csv", ".columns.toml"));
    path.map(cs_policy::facts::csv::Mapping::from_path)
        .transpose()
}

/// Checks a punch log as `eval --punches` reads it: the mapping, every
/// row, and, when a policy and a scenario are beside it, its agents and the
/// policy's punch windows.
fn check_log(log: &str, given: Given<'_>) -> Result<(), CheckFailure> {
    use cs_policy::facts::csv::{LogError, PunchLog};
    let mapping = mapping_for(log, given.columns).map_err(load_failure)?;
    let read = PunchLog::from_path(log, mapping.as_ref()).map_err(|error| match error {
        LogError::Read(error) => load_failure(error),
        LogError::Invalid(sets) => CheckFailure::Problems(sets),
        other => CheckFailure::Whole(ProblemCode::Io, other.to_string()),
    })?;
    let policy = policy_for(log, given.policy);
    let month =
        beside(log, ".punches.csv", ".scenario.toml").and_then(|s| Scenario::from_path(s).ok());
    read.check(month.as_ref(), policy.as_ref())
        .map_err(|problems| CheckFailure::Problems(vec![problems]))
}

/// Checks a punch log's corrections (`LOG.corrections.toml`) against the
/// month beside the log (`shop.scenario.toml` for
/// `shop.punches.corrections.toml`) and its policy.
fn check_corrections(file: &str, given: Given<'_>) -> Result<(), CheckFailure> {
    let Some(scenario) = beside(file, ".punches.corrections.toml", ".scenario.toml") else {
        return Err(CheckFailure::Whole(
            ProblemCode::Io,
            format!(
                "{file}: no scenario beside it to check its corrections against (`<name>.scenario.toml` for `<name>.punches.corrections.toml`)"
            ),
        ));
    };
    let mut month = Scenario::from_path(&scenario).map_err(load_failure)?;
    let policy = policy_for(file, given.policy);
    month
        .add_corrections_path(file, policy.as_ref())
        .map_err(load_failure)
}

fn load_failure(error: LoadError) -> CheckFailure {
    match error {
        LoadError::Invalid(problems) => CheckFailure::Problems(vec![problems]),
        other => CheckFailure::Whole(ProblemCode::Io, other.to_string()),
    }
}

/// Loads a policy, or a cases, scenario or JSON Lines facts file by its
/// name (`<policy>.cases.toml`, `<policy>.scenario.toml`, `*.jsonl`), a
/// punch log (`*.csv`) or its column mapping (`*.columns.toml`), or a
/// holiday calendar by its directory (`calendars/`), for `check`; returns
/// the last date a policy's calendar covers, if its coverage ends.
fn load_any(file: &str, given: Given<'_>) -> Result<Option<chrono::NaiveDate>, CheckFailure> {
    let policy = given.policy;
    if file.ends_with(".csv") {
        return check_log(file, given).map(|()| None);
    }
    if file.ends_with(".corrections.toml") {
        return check_corrections(file, given).map(|()| None);
    }
    if file.ends_with(".columns.toml") {
        return check_mapping(file, given).map(|()| None);
    }
    if in_calendars(file) {
        // One year's list on its own ends by design: only a policy's
        // coverage is warned about.
        return cs_policy::HolidayCalendar::from_path(file)
            .map(|_| None)
            .map_err(load_failure);
    }
    if file.ends_with(".cases.toml") {
        return check_cases(file, policy).map(|()| None);
    }
    if file.ends_with(".jsonl") {
        let policy = policy_for(file, policy);
        return cs_policy::facts::jsonl::check_file(file, policy.as_ref())
            .map(|_| None)
            .map_err(CheckFailure::Problems);
    }
    let loaded = if file.ends_with(".scenario.toml") {
        match policy_for(file, policy) {
            Some(policy) => Scenario::from_path_for(file, &policy).map(|_| None),
            None => Scenario::from_path(file).map(|_| None),
        }
    } else {
        Policy::from_path(file).map(|p| p.calendar().last_day())
    };
    loaded.map_err(load_failure)
}

/// Checks a punch log's column mapping, and the log beside it
/// (`shop.punches.csv` for `shop.punches.columns.toml`) read with it.
fn check_mapping(file: &str, given: Given<'_>) -> Result<(), CheckFailure> {
    cs_policy::facts::csv::Mapping::from_path(file).map_err(load_failure)?;
    match beside(file, ".columns.toml", ".csv") {
        Some(log) => check_log(
            &log,
            Given {
                columns: Some(file),
                ..given
            },
        ),
        None => Ok(()),
    }
}

/// Whether a file is a holiday calendar: one in a `calendars/` directory.
fn in_calendars(file: &str) -> bool {
    std::path::Path::new(file)
        .parent()
        .and_then(|p| p.file_name())
        .is_some_and(|d| d == "calendars")
}

/// Checks a cases file, and its cases' facts against the policy given or
/// the one beside it.
fn check_cases(file: &str, given: Option<&str>) -> Result<(), CheckFailure> {
    use cs_policy::testing::{CasesError, CasesFile};
    let policy = policy_for(file, given);
    let text = read(file).map_err(load_failure)?;
    CasesFile::parse(file, &text)
        .and_then(|cases| match &policy {
            Some(policy) => cases
                .check_facts(policy)
                .map_err(|problems| CasesError::Invalid {
                    file: file.to_owned(),
                    problems,
                }),
            None => Ok(()),
        })
        .map_err(|error| match error {
            CasesError::Invalid { problems, .. } => CheckFailure::Problems(vec![problems]),
            other => CheckFailure::Whole(ProblemCode::InvalidValue, other.to_string()),
        })
}

/// Whether what is written to `stream` is coloured: on a terminal, unless
/// `NO_COLOR` is set (anstream's choice, as clap makes it).
fn colour(stream: &impl anstream::stream::RawStream) -> bool {
    anstream::AutoStream::choice(stream) != anstream::ColorChoice::Never
}

/// Problems as `check` and the other commands show them: coloured (see
/// [`paint`]) where colour is wanted, plain otherwise.
fn shown(problems: &cs_policy::Problems, coloured: bool) -> String {
    if coloured {
        paint(&problems.render())
    } else {
        problems.render()
    }
}

/// Writes problems to standard error, coloured on a terminal.
fn eprint_problems(problems: &cs_policy::Problems) {
    let stderr = std::io::stderr();
    let coloured = colour(&stderr);
    let _ = output(stderr.lock(), coloured).write_all(shown(problems, coloured).as_bytes());
}

/// Where coloured text goes: through anstream, which passes the colours to
/// a terminal; plain text goes straight to the stream.
fn output<'s, S: anstream::stream::RawStream + anstream::stream::AsLockedWrite + 's>(
    stream: S,
    coloured: bool,
) -> Box<dyn std::io::Write + 's> {
    if coloured {
        Box::new(anstream::AutoStream::always(stream))
    } else {
        Box::new(stream)
    }
}

/// Reports an error on standard error: located problems rendered, any other
/// error on one line.
fn eprint_error(error: &LoadError) {
    match error.problems() {
        Some(problems) => eprint_problems(problems),
        None => eprintln!("error: {error}"),
    }
}

/// Colours a rendering of problems as compilers do: `error[code]` and the
/// underline in red, the gutter in blue, `help` in cyan. Plain text in,
/// ANSI escapes out; `anstream` strips them where colour is not wanted.
fn paint(rendered: &str) -> String {
    use std::fmt::Write as _;
    let red = anstyle::AnsiColor::Red.on_default().bold();
    let blue = anstyle::AnsiColor::Blue.on_default().bold();
    let cyan = anstyle::AnsiColor::Cyan.on_default().bold();
    let mut out = String::with_capacity(rendered.len() + rendered.len() / 8);
    for line in rendered.split_inclusive('\n') {
        // The gutter: a line number or blanks, then `|` or `=`.
        let body = line.trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ');
        let gutter = &line[..line.len() - body.len()];
        if gutter.ends_with(' ') && body.starts_with('|') {
            let rest = &body[1..];
            if gutter.trim().is_empty() && rest.contains('^') {
                let _ = write!(out, "{blue}{gutter}|{blue:#}{red}{rest}{red:#}");
            } else {
                let _ = write!(out, "{blue}{gutter}|{blue:#}{rest}");
            }
        } else if gutter.ends_with(' ') && body.starts_with("= help:") {
            let _ = write!(
                out,
                "{blue}{gutter}={blue:#} {cyan}help{cyan:#}{}",
                &body[6..]
            );
        } else if let Some(at) = line.find(": error[") {
            let (place, rest) = line.split_at(at + 2);
            let end = rest.find("]:").map_or(rest.len(), |e| e + 1);
            let _ = write!(out, "{place}{red}{}{red:#}{}", &rest[..end], &rest[end..]);
        } else {
            out.push_str(line);
        }
    }
    out
}

/// A problem of a file as a whole, placed at its start.
fn whole_problem(file: &str, code: ProblemCode, message: String) -> Diagnostic {
    Diagnostic {
        file: file.into(),
        line: 1,
        column: 1,
        span: 0..0,
        code,
        field: String::new(),
        message,
        help: None,
    }
}

fn check(
    files: &[String],
    given: Given<'_>,
    format: Format,
    as_of: Option<chrono::NaiveDate>,
) -> ExitCode {
    let checking = Checking {
        given,
        format,
        as_of,
        coloured: colour(&std::io::stdout()),
    };
    // Buffered: thousands of problems are written in a few calls, not one a line.
    let mut stdout = std::io::BufWriter::new(output(std::io::stdout().lock(), checking.coloured));
    let mut reports = Vec::new();
    let mut tally = Tally::default();
    for file in files {
        let report = checking.file(&mut stdout, file, &mut tally);
        match format {
            Format::Json => reports.push(report),
            Format::Text | Format::Short => checking.write_warnings(&mut stdout, &report),
        }
    }
    // What was written goes out before the summary on standard error.
    let _ = stdout.flush();
    match format {
        Format::Json => {
            let _ = serde_json::to_writer_pretty(&mut stdout, &reports);
            let _ = writeln!(stdout);
        }
        Format::Text | Format::Short => tally.summarise(files.len()),
    }
    tally.exit_code()
}

/// How `check` reads and shows its files.
struct Checking<'a> {
    /// The policy and the column mapping facts are checked with.
    given: Given<'a>,
    format: Format,
    /// The day a policy's calendars are warned to end near.
    as_of: Option<chrono::NaiveDate>,
    coloured: bool,
}

impl Checking<'_> {
    /// Checks one file: its problems written to `out` as they are rendered
    /// (kept in its report for JSON), its calendar warned about, each
    /// counted in `tally`.
    fn file<'f>(
        &self,
        out: &mut impl std::io::Write,
        file: &'f str,
        tally: &mut Tally,
    ) -> FileReport<'f> {
        let mut warnings = Vec::new();
        let mut problems = Vec::new();
        let found = match load_any(file, self.given) {
            Ok(last) => {
                warnings.extend(
                    self.as_of
                        .zip(last)
                        .and_then(|(a, l)| calendar_warning(l, a)),
                );
                false
            }
            Err(failure) => {
                if matches!(failure, CheckFailure::Whole(ProblemCode::Io, _)) {
                    tally.unreadable += 1;
                }
                self.write_failure(out, file, failure, &mut problems)
            }
        };
        if found {
            tally.failed += 1;
        }
        if !warnings.is_empty() {
            tally.warned += 1;
        }
        FileReport {
            file,
            valid: !found,
            problems,
            warnings,
        }
    }

    /// Writes a file's problems as `check` shows them in its format, each
    /// as soon as it is rendered; for JSON they are kept in `kept` for the
    /// report instead. Whether there were any.
    fn write_failure(
        &self,
        out: &mut impl std::io::Write,
        file: &str,
        failure: CheckFailure,
        kept: &mut Vec<Diagnostic>,
    ) -> bool {
        let (format, coloured) = (self.format, self.coloured);
        let sets = match failure {
            CheckFailure::Problems(sets) => sets,
            CheckFailure::Whole(code, message) => {
                let diagnostic = whole_problem(file, code, message);
                match format {
                    Format::Json => kept.push(diagnostic),
                    Format::Short => {
                        let _ = writeln!(out, "{diagnostic}");
                    }
                    Format::Text => {
                        let _ = writeln!(out, "{diagnostic}\n");
                    }
                }
                return true;
            }
        };
        if sets.iter().all(cs_policy::Problems::is_empty) {
            return false;
        }
        match format {
            Format::Json => kept.extend(
                sets.into_iter()
                    .flat_map(cs_policy::Problems::into_diagnostics),
            ),
            Format::Short => {
                for d in sets.iter().flat_map(|p| p.diagnostics()) {
                    let _ = writeln!(out, "{d}");
                }
            }
            Format::Text => {
                let each = sets.iter().flat_map(cs_policy::Problems::rendered);
                for (i, one) in each.enumerate() {
                    let one = if coloured { paint(&one) } else { one };
                    let gap = if i > 0 { "\n" } else { "" };
                    let _ = write!(out, "{gap}{one}");
                }
                let _ = writeln!(out);
            }
        }
        true
    }

    /// A file's warnings as text or short lines, `help` in text only.
    fn write_warnings(&self, out: &mut impl std::io::Write, report: &FileReport<'_>) {
        for w in &report.warnings {
            let _ = writeln!(out, "{}: warning[{}]: {}", report.file, w.code, w.message);
            if matches!(self.format, Format::Text) {
                let _ = writeln!(out, "  = help: {}", w.help);
            }
        }
    }
}

/// How many files `check` found with problems, with warnings, and that it
/// could not read.
#[derive(Default)]
struct Tally {
    failed: usize,
    warned: usize,
    unreadable: usize,
}

impl Tally {
    /// The summary on standard error after text or short output.
    fn summarise(&self, files: usize) {
        let (failed, warned) = (self.failed, self.warned);
        if failed == 0 && warned > 0 {
            eprintln!("{files} file(s) valid; {warned} with warnings");
        } else if failed == 0 {
            eprintln!("{files} file(s) valid");
        } else {
            eprintln!("{failed} of {files} file(s) have problems");
        }
    }

    /// 2 when a file could not be read, 1 when any has problems, else 0.
    fn exit_code(&self) -> ExitCode {
        if self.unreadable > 0 {
            ExitCode::from(2)
        } else if self.failed == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        }
    }
}

fn diff(old: &str, new: &str, scenarios: &[String], format: DiffFormat) -> ExitCode {
    let compared = match Compared::of(old, new, scenarios) {
        Ok(compared) => compared,
        Err(code) => return code,
    };
    if let Err(error) = compared.write(format) {
        eprintln!("error: cannot write the changes: {error}");
        return ExitCode::from(2);
    }
    compared.summarise()
}

/// Two versions of a policy compared by `diff`: the clauses that differ,
/// the boundary examples where they decide differently, and the scenarios
/// replayed through both.
struct Compared {
    changes: PolicyDiff,
    boundaries: Boundaries,
    replays: Vec<ScenarioReport>,
}

impl Compared {
    /// Reads, loads and compares both policies, and replays each scenario
    /// through them; the first that fails is reported, exit 2.
    fn of(old: &str, new: &str, scenarios: &[String]) -> Result<Self, ExitCode> {
        let (old_text, new_text) = read_both(old, new)?;
        let changes = clause_changes(old, &old_text, new, &new_text)?;
        // Both texts loaded above, so they load again.
        let loaded = (
            Policy::from_toml_str(old, &old_text),
            Policy::from_toml_str(new, &new_text),
        );
        let (old_policy, new_policy) = match loaded {
            (Ok(old), Ok(new)) => (old, new),
            (Err(error), _) | (_, Err(error)) => {
                eprint_problems(&error);
                return Err(ExitCode::from(2));
            }
        };
        let boundaries = Boundaries::between(&old_policy, &new_policy);
        let replays = scenarios
            .iter()
            .map(|file| replay(&old_policy, &new_policy, file))
            .collect::<Result<_, _>>()?;
        Ok(Self {
            changes,
            boundaries,
            replays,
        })
    }

    /// Writes the comparison to standard output in `format`.
    fn write(&self, format: DiffFormat) -> std::io::Result<()> {
        let (changes, boundaries) = (&self.changes, &self.boundaries);
        let mut stdout = std::io::stdout().lock();
        match format {
            DiffFormat::Text => write!(stdout, "{changes}{boundaries}").and_then(|()| {
                for report in &self.replays {
                    writeln!(stdout, "= {}", report.scenario)?;
                    let replay = Replay {
                        agents: report.agents.clone(),
                    };
                    write!(stdout, "{replay}")?;
                }
                Ok(())
            }),
            DiffFormat::Json => {
                let report = DiffReport {
                    changes: changes.changes(),
                    boundaries,
                    scenarios: &self.replays,
                };
                serde_json::to_writer_pretty(&mut stdout, &report)
                    .map_err(std::io::Error::from)
                    .and_then(|()| writeln!(stdout))
            }
        }
    }

    /// The summary on standard error: exit 0 when the policies state the
    /// same rules, 1 when they differ.
    fn summarise(&self) -> ExitCode {
        let count = self.changes.changes().len();
        let examples = self.boundaries.examples().len();
        let agents: usize = self.replays.iter().map(|r| r.agents.len()).sum();
        if count == 0 && examples == 0 && agents == 0 {
            eprintln!("the two policies state the same rules");
            ExitCode::SUCCESS
        } else {
            eprintln!(
                "{count} clause(s) differ; {examples} boundary example(s) where they decide differently; {agents} agent statement(s) change"
            );
            ExitCode::FAILURE
        }
    }
}

/// Reads both policies' texts; each that cannot be read is reported.
fn read_both(old: &str, new: &str) -> Result<(String, String), ExitCode> {
    match (read(old), read(new)) {
        (Ok(old), Ok(new)) => Ok((old, new)),
        (old, new) => {
            for error in [old.err(), new.err()].into_iter().flatten() {
                eprint_error(&error);
            }
            Err(ExitCode::from(2))
        }
    }
}

/// The clauses that differ between the two texts; the problems of each
/// that does not load are reported.
fn clause_changes(
    old: &str,
    old_text: &str,
    new: &str,
    new_text: &str,
) -> Result<PolicyDiff, ExitCode> {
    PolicyDiff::from_texts(old, old_text, new, new_text).map_err(|error| {
        match error {
            DiffError::Invalid { old, new } => {
                for error in [old, new].into_iter().flatten() {
                    eprint_error(&error);
                }
            }
            error => eprintln!("error: {error}"),
        }
        ExitCode::from(2)
    })
}

/// One scenario replayed through both policies: the agents whose
/// statements change.
fn replay(old: &Policy, new: &Policy, file: &str) -> Result<ScenarioReport, ExitCode> {
    let month = Scenario::from_path(file).map_err(|error| {
        eprint_error(&error);
        ExitCode::from(2)
    })?;
    match Replay::between(old, new, &month) {
        Ok(replay) => Ok(ScenarioReport {
            scenario: file.to_owned(),
            agents: replay.agents,
        }),
        Err(error) => {
            eprintln!("error: {file}: {error}");
            Err(ExitCode::from(2))
        }
    }
}

/// Whether a problem is one of reading the file (exit 2) rather than of
/// facts that do not hold together (exit 1).
fn is_read_problem(d: &Diagnostic) -> bool {
    !matches!(
        d.code,
        ProblemCode::UndefinedReference
            | ProblemCode::Duplicate
            | ProblemCode::OutOfRange
            | ProblemCode::OutOfOrder
    )
}

/// Reads the punch log `eval --punches` names, checked against the month:
/// its problems reported (exit 2 when it cannot be read, 1 when its facts
/// do not hold together).
fn read_log(
    (log, columns): (&str, Option<&str>),
    month: &Scenario,
    policy: &Policy,
) -> Result<cs_policy::facts::csv::PunchLog, ExitCode> {
    use cs_policy::facts::csv::{LogError, PunchLog};
    let mapping = mapping_for(log, columns).map_err(|error| report_load(&error))?;
    let read = PunchLog::from_path(log, mapping.as_ref()).map_err(|error| match error {
        LogError::Read(error) => report_load(&error),
        LogError::Invalid(sets) => {
            sets.iter().for_each(eprint_problems);
            ExitCode::from(2)
        }
        other => {
            eprintln!("error: {other}");
            ExitCode::from(2)
        }
    })?;
    read.check(Some(month), Some(policy)).map_err(|problems| {
        eprint_problems(&problems);
        ExitCode::FAILURE
    })?;
    Ok(read)
}

/// Lists on standard error every punch of the log that landed on no shift,
/// at its line, with its reason; then how many landed.
fn report_punches(
    policy: &Policy,
    month: &Scenario,
    log: &cs_policy::facts::csv::PunchLog,
    inline: usize,
) -> Result<(), cs_policy::statement::StatementError> {
    use cs_policy::punch::{Fate, Reason};
    let at = |i: usize| match i.checked_sub(inline) {
        Some(row) => format!("{}:{}", log.file(), log.line_of(row).unwrap_or(0)),
        None => format!("punch_log[{i}]"),
    };
    let outcomes = policy.punch_log_outcomes(month)?;
    let mut stderr = std::io::stderr().lock();
    let mut reported = 0usize;
    for (i, (o, e)) in outcomes.iter().zip(&month.punch_log).enumerate() {
        let Fate::Reported { reason } = o.fate else {
            continue;
        };
        reported += 1;
        let why = match reason {
            Reason::Duplicate { of } => format!("a duplicate of the punch at {}", at(of as usize)),
            other => other.to_string(),
        };
        let _ = writeln!(
            stderr,
            "{}: note: the punch of `{}` at {} is on no shift: {why}",
            at(i),
            e.agent,
            o.time
        );
    }
    let _ = writeln!(
        stderr,
        "{}: {} punch(es) on shifts, {reported} on none",
        log.file(),
        outcomes.len() - reported
    );
    Ok(())
}

fn eval(
    policy: &str,
    scenario: &str,
    format: EvalFormat,
    punches: Option<(&str, Option<&str>)>,
) -> ExitCode {
    let policy = match load_policy(policy) {
        Ok(policy) => policy,
        Err(code) => return code,
    };
    let mut month = match Scenario::from_path_for(scenario, &policy) {
        Ok(month) => month,
        Err(error) => return report_facts(&error),
    };
    let inline = month.punch_log.len();
    let log = match add_punches(&mut month, &policy, punches) {
        Ok(log) => log,
        Err(code) => return code,
    };
    let team = match policy.team_statement(&month) {
        Ok(team) => team,
        Err(error) => {
            eprintln!("error: {scenario}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    if let Err(error) = write_team(&mut stdout, &policy, &team, format) {
        return report_unwritten(&error);
    }
    match log.map(|log| report_punches(&policy, &month, &log, inline)) {
        Some(Err(error)) => {
            eprintln!("error: {scenario}: {error}");
            ExitCode::FAILURE
        }
        _ => ExitCode::SUCCESS,
    }
}

/// Loads the policy `eval` evaluates under; exit 2 when it cannot.
fn load_policy(path: &str) -> Result<Policy, ExitCode> {
    Policy::from_path(path).map_err(|error| report_load(&error))
}

/// Adds the punch log `--punches` names to the month, with the
/// corrections beside it; the log, to report its punches by.
fn add_punches(
    month: &mut Scenario,
    policy: &Policy,
    punches: Option<(&str, Option<&str>)>,
) -> Result<Option<cs_policy::facts::csv::PunchLog>, ExitCode> {
    let log = punches.map(|p| read_log(p, month, policy)).transpose()?;
    let corrections = punches.and_then(|(log, _)| beside(log, ".csv", ".corrections.toml"));
    if let Some(Err(error)) = corrections.map(|c| month.add_corrections_path(c, Some(policy))) {
        return Err(report_facts(&error));
    }
    if let Some(log) = &log {
        month.punch_log.extend(log.events().iter().cloned());
    }
    Ok(log)
}

/// Writes the team's statements to `stdout` in `format`, flushed.
fn write_team(
    stdout: &mut impl std::io::Write,
    policy: &Policy,
    team: &cs_policy::statement::TeamStatement,
    format: EvalFormat,
) -> std::io::Result<()> {
    let written = match format {
        EvalFormat::Table => team
            .render_table(policy)
            .map_err(std::io::Error::other)
            .and_then(|table| stdout.write_all(table.as_bytes())),
        EvalFormat::Json => team
            .view(policy)
            .map_err(std::io::Error::other)
            .and_then(|view| {
                serde_json::to_writer_pretty(&mut *stdout, &view).map_err(std::io::Error::from)
            })
            .and_then(|()| writeln!(stdout)),
        EvalFormat::Jsonl => team.statements.iter().try_for_each(|s| {
            let line = cs_policy::facts::jsonl::statement_line(policy, s)
                .map_err(std::io::Error::other)?;
            stdout.write_all(&line)
        }),
    };
    written.and_then(|()| stdout.flush())
}

/// Reports statements that could not be written: exit 2.
fn report_unwritten(error: &std::io::Error) -> ExitCode {
    eprintln!("error: cannot write the statements: {error}");
    ExitCode::from(2)
}

/// Reports facts that cannot be loaded: exit 2 when a file cannot be read,
/// 1 when its facts do not hold together.
fn report_facts(error: &LoadError) -> ExitCode {
    match error {
        LoadError::Invalid(problems) => {
            eprint_problems(problems);
            if problems.diagnostics().iter().any(is_read_problem) {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
        other => report_load(other),
    }
}

/// Reports a file that cannot be loaded: exit 2.
fn report_load(error: &LoadError) -> ExitCode {
    eprint_error(error);
    ExitCode::from(2)
}

/// Evaluates a JSON Lines file as a stream: statements written one per
/// line as agents finish, bad lines reported (and skipped with
/// `keep_going`).
fn eval_lines(policy: &str, file: &str, format: EvalFormat, keep_going: bool) -> ExitCode {
    use cs_policy::facts::jsonl::JsonLines;
    use cs_policy::stream::write_lines;
    if !matches!(format, EvalFormat::Jsonl) {
        eprintln!(
            "error: `{file}` is JSON Lines, evaluated as a stream: write its statements with `--format jsonl`"
        );
        return ExitCode::from(2);
    }
    let policy = match load_policy(policy) {
        Ok(policy) => policy,
        Err(code) => return code,
    };
    let (lines, header) = match JsonLines::open(file) {
        Ok(opened) => opened,
        Err(error) => {
            eprint!("{}", error.render());
            return ExitCode::from(2);
        }
    };
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout());
    let mut bad = 0usize;
    // Run on the pool's own thread, so that each batch handed to the pool
    // and back wakes no thread that sleeps outside it.
    let result = rayon::scope(|_| {
        write_lines(
            &policy,
            header,
            &lines,
            keep_going,
            &mut stdout,
            |_, error| {
                bad += 1;
                eprint!("{}", error.render());
            },
        )
    });
    let flushed = stdout.flush();
    streamed(file, result, flushed, bad)
}

/// How a stream of statements ended, reported on standard error: written
/// (with the `bad` lines skipped), stopped by a bad line before anything
/// was written, or not written.
fn streamed(
    file: &str,
    result: Result<cs_policy::stream::Report, cs_policy::stream::Stop<LineError>>,
    flushed: std::io::Result<()>,
    bad: usize,
) -> ExitCode {
    use cs_policy::stream::Stop;
    match (result, flushed) {
        (Ok(report), Ok(())) => {
            eprintln!(
                "{} statement(s) written, team total {}",
                report.statements, report.total
            );
            if report.skipped.is_empty() {
                ExitCode::SUCCESS
            } else {
                eprintln!("{bad} bad line(s) skipped");
                ExitCode::FAILURE
            }
        }
        (Err(Stop::Rows(error @ LineError::Io { .. })), _) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
        (Err(Stop::Rows(error)), _) => {
            eprint!("{}", error.render());
            eprintln!("nothing written: a bad line stops the run (`--keep-going` skips bad lines)");
            ExitCode::FAILURE
        }
        (Err(error), _) => {
            eprintln!("error: {file}: {error}");
            ExitCode::from(2)
        }
        (Ok(_), Err(error)) => report_unwritten(&error),
    }
}
