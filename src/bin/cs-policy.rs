//! `cs-policy`: check customer-service policy files and evaluate them.

use std::io::Write as _;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use cs_policy::boundary::Boundaries;
use cs_policy::diff::{AgentChange, Change, DiffError, PolicyDiff, Replay};
use cs_policy::{Diagnostic, LoadError, Policy, ProblemCode, Scenario};
use serde::Serialize;

#[derive(Parser)]
#[command(
    name = "cs-policy",
    version,
    about = "Customer-service rulebooks as typed, checked policy files"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate policy files (and `*.cases.toml`, `*.scenario.toml` files)
    /// and print every problem as file:line:col.
    ///
    /// Exits 0 when every file is valid, 1 when any file has a problem.
    Check {
        /// Policy files to check.
        #[arg(required = true)]
        files: Vec<String>,
        /// How to print the problems.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
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
    /// Exits 0 on success, 1 when the scenario's facts cannot be evaluated,
    /// 2 when either file cannot be loaded.
    Eval {
        /// The policy file.
        policy: String,
        /// The scenario file (a month's facts).
        scenario: String,
        /// How to print the statements.
        #[arg(long, value_enum, default_value_t = EvalFormat::Table)]
        format: EvalFormat,
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
struct FileReport {
    file: String,
    valid: bool,
    problems: Vec<Diagnostic>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { files, format } => check(&files, format),
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
        } => eval(&policy, &scenario, format),
        Command::Schema => {
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(cs_policy::schema::policy_schema_text().as_bytes()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("error: cannot write the schema: {error}");
                    ExitCode::from(2)
                }
            }
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
    /// Problems located in the file.
    Problems(cs_policy::Problems),
    /// One problem for the file as a whole.
    Whole(ProblemCode, String),
}

/// Loads a policy, or a cases or scenario file by its name
/// (`<policy>.cases.toml`, `<policy>.scenario.toml`), for `check`.
fn load_any(file: &str) -> Result<(), CheckFailure> {
    let loaded = if file.ends_with(".cases.toml") {
        return cs_policy::testing::CasesFile::read(file)
            .map(|_| ())
            .map_err(|error| match error {
                cs_policy::testing::CasesError::Invalid { problems, .. } => {
                    CheckFailure::Problems(problems)
                }
                cs_policy::testing::CasesError::Io { .. } => {
                    CheckFailure::Whole(ProblemCode::Io, error.to_string())
                }
                other => CheckFailure::Whole(ProblemCode::InvalidValue, other.to_string()),
            });
    } else if file.ends_with(".scenario.toml") {
        Scenario::from_path(file).map(|_| ())
    } else {
        Policy::from_path(file).map(|_| ())
    };
    loaded.map_err(|error| match error {
        LoadError::Invalid(problems) => CheckFailure::Problems(problems),
        other => CheckFailure::Whole(ProblemCode::Io, other.to_string()),
    })
}

fn check(files: &[String], format: Format) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    let mut reports = Vec::new();
    let mut failed = 0usize;
    for file in files {
        let (problems, rendered) = match load_any(file) {
            Ok(()) => (Vec::new(), String::new()),
            Err(CheckFailure::Problems(problems)) => {
                let rendered = match format {
                    Format::Short => problems.render_short(),
                    _ => problems.render(),
                };
                (problems.diagnostics().to_vec(), rendered)
            }
            Err(CheckFailure::Whole(code, message)) => {
                let diagnostic = Diagnostic {
                    file: file.as_str().into(),
                    line: 1,
                    column: 1,
                    span: 0..0,
                    code,
                    field: String::new(),
                    message,
                    help: None,
                };
                let rendered = format!("{diagnostic}\n");
                (vec![diagnostic], rendered)
            }
        };
        if !problems.is_empty() {
            failed += 1;
        }
        match format {
            Format::Json => reports.push(FileReport {
                file: file.clone(),
                valid: problems.is_empty(),
                problems,
            }),
            Format::Text | Format::Short => {
                let _ = write!(stdout, "{rendered}");
                if matches!(format, Format::Text) && !rendered.is_empty() {
                    let _ = writeln!(stdout);
                }
            }
        }
    }
    match format {
        Format::Json => {
            let _ = serde_json::to_writer_pretty(&mut stdout, &reports);
            let _ = writeln!(stdout);
        }
        Format::Text | Format::Short => {
            if failed == 0 {
                eprintln!("{} file(s) valid", files.len());
            } else {
                eprintln!("{failed} of {} file(s) have problems", files.len());
            }
        }
    }
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn diff(old: &str, new: &str, scenarios: &[String], format: DiffFormat) -> ExitCode {
    let changes = match PolicyDiff::from_paths(old, new) {
        Ok(changes) => changes,
        Err(DiffError::Invalid { old, new }) => {
            for error in [old, new].into_iter().flatten() {
                match error.problems() {
                    Some(problems) => eprint!("{}", problems.render()),
                    None => eprintln!("error: {error}"),
                }
            }
            return ExitCode::from(2);
        }
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    // Both files loaded above, so they load again.
    let (old_policy, new_policy) = match (Policy::from_path(old), Policy::from_path(new)) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(error), _) | (_, Err(error)) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    let boundaries = Boundaries::between(&old_policy, &new_policy);
    let mut replays = Vec::new();
    for file in scenarios {
        let month = match Scenario::from_path(file) {
            Ok(month) => month,
            Err(error) => {
                match error.problems() {
                    Some(problems) => eprint!("{}", problems.render()),
                    None => eprintln!("error: {error}"),
                }
                return ExitCode::from(2);
            }
        };
        match Replay::between(&old_policy, &new_policy, &month) {
            Ok(replay) => replays.push(ScenarioReport {
                scenario: file.clone(),
                agents: replay.agents,
            }),
            Err(error) => {
                eprintln!("error: {file}: {error}");
                return ExitCode::from(2);
            }
        }
    }
    let mut stdout = std::io::stdout().lock();
    let written = match format {
        DiffFormat::Text => write!(stdout, "{changes}{boundaries}").and_then(|()| {
            for report in &replays {
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
                boundaries: &boundaries,
                scenarios: &replays,
            };
            serde_json::to_writer_pretty(&mut stdout, &report)
                .map_err(std::io::Error::from)
                .and_then(|()| writeln!(stdout))
        }
    };
    if let Err(error) = written {
        eprintln!("error: cannot write the changes: {error}");
        return ExitCode::from(2);
    }
    let count = changes.changes().len();
    let examples = boundaries.examples().len();
    let agents: usize = replays.iter().map(|r| r.agents.len()).sum();
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

fn eval(policy: &str, scenario: &str, format: EvalFormat) -> ExitCode {
    let loaded = Policy::from_path(policy).and_then(|p| Ok((p, Scenario::from_path(scenario)?)));
    let (policy, month) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => {
            match error.problems() {
                Some(problems) => eprint!("{}", problems.render()),
                None => eprintln!("error: {error}"),
            }
            return ExitCode::from(2);
        }
    };
    let team = match policy.team_statement(&month) {
        Ok(team) => team,
        Err(error) => {
            eprintln!("error: {scenario}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let written = match format {
        EvalFormat::Table => stdout.write_all(team.render_table(&policy).as_bytes()),
        EvalFormat::Json => serde_json::to_writer_pretty(&mut stdout, &team.view(&policy))
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(stdout)),
    };
    match written.and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: cannot write the statements: {error}");
            ExitCode::from(2)
        }
    }
}
