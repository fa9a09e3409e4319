//! `cs-policy test`: cases, coverage and mutants, printed as text, JSON or
//! JUnit XML.

use std::collections::HashMap;
use std::fmt::Write as _;

use rust_decimal::Decimal;
use serde::Serialize;

use super::mutants::{self, Fate, MutantResult, MutantsError, MutationReport};
use super::{CaseResult, CasesFile, Coverage, Report, Verdict};
use crate::Policy;

/// How `cs-policy test` prints its results.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum OutputFormat {
    /// PASS/FAIL lines, differing values side by side, survivors with their
    /// suggested cases.
    #[default]
    Text,
    /// One JSON document, for tools.
    Json,
    /// JUnit XML, which CI servers show as test results.
    Junit,
}

/// What `cs-policy test` is asked to do.
///
/// ```
/// use cs_policy::testing::TestOptions;
/// let options = TestOptions {
///     policy: "policies/shop.toml".into(),
///     cases: vec!["policies/shop.cases.toml".into()],
///     min_mutation_score: Some(95.into()),
///     ..TestOptions::default()
/// };
/// assert!(options.runs_mutants());
/// ```
#[derive(Debug, Clone, Default)]
pub struct TestOptions {
    /// The policy file.
    pub policy: String,
    /// The cases files.
    pub cases: Vec<String>,
    /// List the clauses no passing case exercised.
    pub coverage: bool,
    /// Fail below this clause coverage, in percent (compared exactly).
    pub min_coverage: Option<Decimal>,
    /// Run the mutants of the policy against the cases.
    pub mutants: bool,
    /// Fail below this mutation score, in percent (compared exactly);
    /// implies [`TestOptions::mutants`].
    pub min_mutation_score: Option<Decimal>,
    /// How to print.
    pub format: OutputFormat,
}

impl TestOptions {
    /// Whether mutants are run: asked for, or a minimum score given.
    pub fn runs_mutants(&self) -> bool {
        self.mutants || self.min_mutation_score.is_some()
    }
}

/// What `cs-policy test` prints, and whether the run passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestOutcome {
    /// The text for standard output, in the format asked for.
    pub output: String,
    /// Every case passed, and every minimum asked for is met.
    pub passed: bool,
}

/// Why `cs-policy test` could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TestError {
    /// A file cannot be read, or is not valid: its problems, rendered.
    #[error("{0}")]
    Unreadable(String),
    /// An option is out of range.
    #[error("{0}")]
    Usage(String),
    /// A cases file holds no case: a suite that checks nothing.
    #[error("error: no cases in `{0}`: write at least one `[[case]]`\n")]
    NoCases(String),
}

impl TestError {
    /// The exit code `cs-policy test` ends with: 1 for a suite without
    /// cases (a failed run), 2 for a file that cannot be read or a bad
    /// option.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::NoCases(_) => 1,
            Self::Unreadable(_) | Self::Usage(_) => 2,
        }
    }
}

/// `cs-policy test POLICY CASES... [--coverage] [--min-coverage P]
/// [--mutants] [--min-mutation-score P] [--format text|json|junit]`: loads
/// the policy and the cases files, runs them (and the policy's mutants, see
/// [`mutants`]), and gives what to print and whether the run passed.
///
/// ```
/// use cs_policy::testing::{TestOptions, test_command};
///
/// let dir = env!("CARGO_MANIFEST_DIR");
/// let outcome = test_command(&TestOptions {
///     policy: format!("{dir}/policies/fintech.toml"),
///     cases: vec![format!("{dir}/policies/fintech.cases.toml")],
///     coverage: true,
///     min_coverage: Some(100.into()),
///     min_mutation_score: Some(95.into()),
///     ..TestOptions::default()
/// })?;
/// assert!(outcome.passed, "{}", outcome.output);
/// assert!(outcome.output.contains("mutation score"));
/// # Ok::<(), cs_policy::testing::TestError>(())
/// ```
pub fn test_command(options: &TestOptions) -> Result<TestOutcome, TestError> {
    check_percentages(options)?;
    let text = crate::read_file(&options.policy, crate::DEFAULT_SIZE_LIMIT).map_err(|e| {
        TestError::Unreadable(match e.problems() {
            Some(problems) => problems.render(),
            None => format!("error: {e}\n"),
        })
    })?;
    let policy = Policy::from_toml_str(&options.policy, &text)
        .map_err(|problems| TestError::Unreadable(problems.render()))?;
    let files = options
        .cases
        .iter()
        .map(CasesFile::read)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| TestError::Unreadable(format!("error: {e}\n")))?;
    if let Some(empty) = files.iter().find(|f| f.is_empty()) {
        return Err(TestError::NoCases(empty.file().to_owned()));
    }
    let report =
        super::run(&policy, &files).map_err(|e| TestError::Unreadable(format!("error: {e}\n")))?;
    let mutation = if options.runs_mutants() && report.passed() {
        Some(
            mutants::run(&options.policy, &text, &files)
                .map_err(|e| TestError::Unreadable(mutants_error(&e)))?,
        )
    } else {
        None
    };
    let run = Run {
        report: &report,
        mutation: mutation.as_ref(),
        shortfalls: shortfalls(options, &report, mutation.as_ref()),
    };
    let passed = report.passed() && run.shortfalls.is_empty();
    let output = match options.format {
        OutputFormat::Text => run.text(options),
        OutputFormat::Json => run.json(passed),
        OutputFormat::Junit => run.junit(),
    };
    Ok(TestOutcome { output, passed })
}

/// A minimum given as a percentage must be one.
fn check_percentages(options: &TestOptions) -> Result<(), TestError> {
    for (flag, min) in [
        ("--min-coverage", options.min_coverage),
        ("--min-mutation-score", options.min_mutation_score),
    ] {
        if let Some(min) = min
            && (min.is_sign_negative() || min > Decimal::ONE_HUNDRED)
        {
            return Err(TestError::Usage(format!(
                "error: `{flag} {min}` is not a percentage from 0 to 100\n"
            )));
        }
    }
    Ok(())
}

/// The minimums asked for that the run does not reach.
fn shortfalls(
    options: &TestOptions,
    report: &Report,
    mutation: Option<&MutationReport>,
) -> Vec<Shortfall> {
    let mut out = Vec::new();
    if let Some(min) = options.min_coverage
        && !report.coverage.meets(min)
    {
        out.push(Shortfall {
            what: "coverage",
            min,
            message: format!(
                "coverage {} is under the required {min}%",
                report.coverage.summary()
            ),
        });
    }
    if let (Some(mutation), Some(min)) = (mutation, options.min_mutation_score)
        && !mutation.meets(min)
    {
        out.push(Shortfall {
            what: "mutation score",
            min,
            message: format!("{} is under the required {min}%", mutation.summary()),
        });
    }
    out
}

fn mutants_error(error: &MutantsError) -> String {
    match error {
        MutantsError::Policy(problems) => problems.render(),
        other => format!("error: {other}\n"),
    }
}

/// A minimum the run does not reach.
struct Shortfall {
    what: &'static str,
    min: Decimal,
    message: String,
}

/// One `cs-policy test` run, to print.
struct Run<'r> {
    report: &'r Report,
    mutation: Option<&'r MutationReport>,
    shortfalls: Vec<Shortfall>,
}

impl Run<'_> {
    fn text(&self, options: &TestOptions) -> String {
        let mut out = self.report.to_string();
        if options.coverage {
            out.push_str(&self.report.coverage_listing());
        }
        if options.runs_mutants() {
            match self.mutation {
                Some(mutation) => out.push_str(&mutation.to_string()),
                None => out.push_str("mutants not run: the cases must pass first\n"),
            }
        }
        for shortfall in &self.shortfalls {
            let _ = writeln!(out, "{}", shortfall.message);
        }
        out
    }

    fn json(&self, passed: bool) -> String {
        #[derive(Serialize)]
        struct Mutation<'m> {
            score: Decimal,
            killed: usize,
            counted: usize,
            equivalent: usize,
            not_loaded: usize,
            total: usize,
            mutants: &'m [MutantResult],
        }
        #[derive(Serialize)]
        struct Document<'d> {
            policy: &'d str,
            passed: bool,
            cases: &'d [CaseResult],
            coverage: &'d Coverage,
            mutation: Option<Mutation<'d>>,
            shortfalls: Vec<&'d str>,
        }
        let document = Document {
            policy: &self.report.policy,
            passed,
            cases: &self.report.cases,
            coverage: &self.report.coverage,
            mutation: self.mutation.map(|m| Mutation {
                score: m.score(),
                killed: m.killed(),
                counted: m.counted(),
                equivalent: m.equivalent(),
                not_loaded: m.not_loaded(),
                total: m.total(),
                mutants: &m.mutants,
            }),
            shortfalls: self.shortfalls.iter().map(|s| s.message.as_str()).collect(),
        };
        let mut out = serde_json::to_string_pretty(&document).unwrap_or_default();
        out.push('\n');
        out
    }

    /// JUnit XML: a test suite per cases file (a test case per case, or per
    /// row of a table), one for the minimums asked for, and one for the
    /// mutants (killed passes, survived fails, equivalent is skipped).
    fn junit(&self) -> String {
        let mut suites = self.cases_suites();
        if !self.shortfalls.is_empty() || self.mutation.is_some() {
            suites.push(self.minimums_suite());
        }
        if let Some(mutation) = self.mutation {
            suites.push(mutants_suite(&self.report.policy, mutation));
        }
        write_junit(&suites)
    }

    /// A suite per cases file, in the order the files first appear, with a
    /// test case per case or per row of a table.
    fn cases_suites(&self) -> Vec<Suite> {
        let mut suites: Vec<Suite> = Vec::new();
        let mut suite_of: HashMap<&str, usize> = HashMap::new();
        for case in &self.report.cases {
            let file = case.file.as_str();
            let at = *suite_of.entry(file).or_insert_with(|| {
                suites.push(Suite::new(format!("{}: {file}", self.report.policy)));
                suites.len() - 1
            });
            for row in &case.rows {
                let name = match row.row {
                    Some(n) => format!("{} [row {n}]", case.name),
                    None => case.name.clone(),
                };
                let line = row.line.unwrap_or(case.line);
                suites[at].cases.push(TestCase {
                    class: self.report.policy.clone(),
                    name,
                    file: file.to_owned(),
                    line,
                    end: row_end(file, line, &row.verdict),
                });
            }
        }
        suites
    }

    fn minimums_suite(&self) -> Suite {
        let mut suite = Suite::new(format!("{}: minimums", self.report.policy));
        for shortfall in &self.shortfalls {
            suite.cases.push(TestCase {
                class: self.report.policy.clone(),
                name: format!("{} at least {}%", shortfall.what, shortfall.min),
                file: String::new(),
                line: 0,
                end: End::Failure {
                    kind: "below_minimum",
                    message: shortfall.message.clone(),
                    body: String::new(),
                },
            });
        }
        if let Some(mutation) = self.mutation {
            suite
                .properties
                .push(("mutation_score".into(), mutation.score().to_string()));
            suite.properties.push((
                "mutants_not_loaded".into(),
                mutation.not_loaded().to_string(),
            ));
        }
        suite
            .properties
            .push(("coverage".into(), self.report.coverage.summary()));
        suite
    }
}

/// How a case's row ended, its failure located at `file:line`.
fn row_end(file: &str, line: u32, verdict: &Verdict) -> End {
    match verdict {
        Verdict::Passed => End::Passed,
        Verdict::Failed { mismatches } => {
            let mut body = String::new();
            for m in mismatches {
                let path = if m.path.is_empty() { "." } else { &m.path };
                let _ = writeln!(body, "{path}: expected {}, actual {}", m.expected, m.actual);
            }
            End::Failure {
                kind: "mismatch",
                message: format!("{file}:{line}: {} value(s) differ", mismatches.len()),
                body,
            }
        }
        Verdict::Error { message } => End::Error {
            message: format!("{file}:{line}: {message}"),
        },
    }
}

fn mutants_suite(policy: &str, mutation: &MutationReport) -> Suite {
    let mut suite = Suite::new(format!("{policy}: mutants"));
    for m in &mutation.mutants {
        let end = match &m.fate {
            Fate::NotLoaded { .. } => continue,
            Fate::Killed { by } => End::Passed.with_out(format!("killed by {by}")),
            Fate::Survived {
                example,
                suggestion,
            } => {
                let mut body = String::new();
                if let Some(example) = example {
                    let _ = writeln!(body, "{example}");
                }
                match suggestion {
                    Some(case) => {
                        let _ = write!(body, "a case that kills it:\n{case}");
                    }
                    None => body.push_str("no case could be suggested\n"),
                }
                End::Failure {
                    kind: "survived",
                    message: format!("survived: {}", m.mutant),
                    body,
                }
            }
            Fate::Equivalent { reason } => End::Skipped {
                message: format!("equivalent: {reason}"),
            },
        };
        suite.cases.push(TestCase {
            class: format!("{policy}.mutants"),
            name: m.mutant.to_string(),
            file: m.mutant.file.clone(),
            line: m.mutant.line,
            end,
        });
    }
    suite
}

/// A JUnit test suite.
struct Suite {
    name: String,
    properties: Vec<(String, String)>,
    cases: Vec<TestCase>,
}

impl Suite {
    fn new(name: String) -> Self {
        Self {
            name,
            properties: Vec::new(),
            cases: Vec::new(),
        }
    }

    fn count(&self, f: impl Fn(&End) -> bool) -> usize {
        self.cases.iter().filter(|c| f(&c.end)).count()
    }
}

/// A JUnit test case.
struct TestCase {
    class: String,
    name: String,
    file: String,
    line: u32,
    end: End,
}

/// How a JUnit test case ended.
enum End {
    Passed,
    PassedWith(String),
    Failure {
        kind: &'static str,
        message: String,
        body: String,
    },
    Error {
        message: String,
    },
    Skipped {
        message: String,
    },
}

impl End {
    fn with_out(self, out: String) -> Self {
        match self {
            Self::Passed => Self::PassedWith(out),
            other => other,
        }
    }
}

fn write_junit(suites: &[Suite]) -> String {
    let total = |f: &dyn Fn(&End) -> bool| suites.iter().map(|s| s.count(f)).sum::<usize>();
    let failures = |e: &End| matches!(e, End::Failure { .. });
    let errors = |e: &End| matches!(e, End::Error { .. });
    let skipped = |e: &End| matches!(e, End::Skipped { .. });
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"cs-policy test\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">",
        total(&|_| true),
        total(&failures),
        total(&errors),
        total(&skipped),
    );
    for suite in suites {
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">",
            xml(&suite.name),
            suite.cases.len(),
            suite.count(failures),
            suite.count(errors),
            suite.count(skipped),
        );
        if !suite.properties.is_empty() {
            out.push_str("    <properties>\n");
            for (name, value) in &suite.properties {
                let _ = writeln!(
                    out,
                    "      <property name=\"{}\" value=\"{}\"/>",
                    xml(name),
                    xml(value)
                );
            }
            out.push_str("    </properties>\n");
        }
        for case in &suite.cases {
            write_case(&mut out, case);
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

fn write_case(out: &mut String, case: &TestCase) {
    let _ = write!(
        out,
        "    <testcase classname=\"{}\" name=\"{}\"",
        xml(&case.class),
        xml(&case.name)
    );
    if !case.file.is_empty() {
        let _ = write!(out, " file=\"{}\" line=\"{}\"", xml(&case.file), case.line);
    }
    match &case.end {
        End::Passed => out.push_str("/>\n"),
        End::PassedWith(text) => {
            let _ = writeln!(
                out,
                ">\n      <system-out>{}</system-out>\n    </testcase>",
                xml(text)
            );
        }
        End::Failure {
            kind,
            message,
            body,
        } => {
            let _ = writeln!(
                out,
                ">\n      <failure type=\"{kind}\" message=\"{}\">{}</failure>\n    </testcase>",
                xml(message),
                xml(body)
            );
        }
        End::Error { message } => {
            let _ = writeln!(
                out,
                ">\n      <error type=\"error\" message=\"{}\"/>\n    </testcase>",
                xml(message)
            );
        }
        End::Skipped { message } => {
            let _ = writeln!(
                out,
                ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                xml(message)
            );
        }
    }
}

/// Text escaped for XML attributes and character data; characters XML 1.0
/// cannot hold are written as `\u{..}`.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\t' | '\r' => out.push(c),
            c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}
