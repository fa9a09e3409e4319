//! Problems found in a policy file, each located to file, line, column and field.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use super::source::{LineIndex, floor_char_boundary, locate};

/// The kind of a problem in a policy file, with a stable code.
///
/// The code (see [`ProblemCode::as_str`]) is what tools and tests match on;
/// it never changes once published, while messages may be reworded.
///
/// ```
/// use cs_policy::ProblemCode;
/// assert_eq!(ProblemCode::UnknownKey.as_str(), "unknown-key");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ProblemCode {
    /// The file could not be read.
    Io,
    /// The text is not valid TOML.
    Syntax,
    /// The format version is not one this crate reads.
    UnsupportedVersion,
    /// A key that the policy format does not know.
    UnknownKey,
    /// A key the policy format requires is absent.
    MissingKey,
    /// A value of the wrong TOML type (a string where a table belongs, say).
    WrongType,
    /// A number outside its allowed range (a month 13, a negative amount).
    OutOfRange,
    /// Money written as a TOML float, which cannot hold every amount exactly.
    FloatMoney,
    /// A value of the right type that does not parse (a date, a time, a choice).
    InvalidValue,
    /// A reference to an id that the policy does not define.
    UndefinedReference,
    /// The same id or date given twice.
    Duplicate,
    /// A choice the source handbook leaves open, which the policy must state.
    UnstatedChoice,
    /// Two entries that claim the same range or the same day.
    Overlap,
    /// Part of a range that no entry covers.
    Gap,
    /// Parts that do not add up to the total the policy declares.
    TotalMismatch,
    /// Steps or bounds not in the order the rule needs.
    OutOfOrder,
    /// Two settings that cannot both hold.
    Conflict,
}

impl ProblemCode {
    /// The stable, kebab-case code shown as `error[code]`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Io => "io",
            Self::Syntax => "syntax",
            Self::UnsupportedVersion => "unsupported-version",
            Self::UnknownKey => "unknown-key",
            Self::MissingKey => "missing-key",
            Self::WrongType => "wrong-type",
            Self::OutOfRange => "out-of-range",
            Self::FloatMoney => "float-money",
            Self::InvalidValue => "invalid-value",
            Self::UndefinedReference => "undefined-reference",
            Self::Duplicate => "duplicate",
            Self::UnstatedChoice => "unstated-choice",
            Self::Overlap => "overlap",
            Self::Gap => "gap",
            Self::TotalMismatch => "total-mismatch",
            Self::OutOfOrder => "out-of-order",
            Self::Conflict => "conflict",
        }
    }
}

impl fmt::Display for ProblemCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem in a policy file.
///
/// Line and column are 1-based; the column counts characters, not bytes, so
/// it stays right on lines with Chinese text. `span` is the byte range in the
/// file's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The file the problem is in, as the caller named it.
    pub file: Arc<str>,
    /// 1-based line of the start of the offending text.
    pub line: usize,
    /// 1-based column (in characters) of the start of the offending text.
    pub column: usize,
    /// Byte range of the offending text.
    pub span: Range<usize>,
    /// The stable problem code.
    pub code: ProblemCode,
    /// The dotted path of the field, such as `calendar.holidays[3]`; empty for
    /// problems that belong to no field (syntax errors).
    pub field: String,
    /// What is wrong, lowercase, with user values in backticks.
    pub message: String,
    /// What to do about it, where there is something useful to say.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A problem at `span` of `file`, its line and column found later for
    /// all problems at once (see [`Problems::new`]).
    pub(crate) fn unlocated(
        file: Arc<str>,
        span: Range<usize>,
        code: ProblemCode,
        field: &str,
        message: String,
    ) -> Self {
        Self {
            file,
            line: 0,
            column: 0,
            span,
            code,
            field: field.to_owned(),
            message,
            help: None,
        }
    }
}

impl fmt::Display for Diagnostic {
    /// One line: `file:line:col: error[code]: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: error[{}]: {}",
            self.file, self.line, self.column, self.code, self.message
        )
    }
}

impl std::error::Error for Diagnostic {}

/// Every problem found in one policy file, with the file's text so that each
/// can be shown in context.
///
/// Returned by [`Policy::from_toml_str`](crate::Policy::from_toml_str); its
/// `Display` renders every problem as [`Problems::render`] does.
///
/// ```
/// use cs_policy::Policy;
///
/// let text = "[policy]\nid = \"demo\"\nname = \"Demo\"\nformat = 1\ncurrency = \"CNY\"\n\
///             time_zone = \"Asia/Shanghai\"\neffective = 2026-01-01\n\n\
///             [calendar]\nweekend = [\"sunday\"]\nlable = \"typo\"\n";
/// let problems = Policy::from_toml_str("demo.toml", text).unwrap_err();
/// let first = &problems.diagnostics()[0];
/// assert_eq!((first.line, first.column, first.field.as_str()), (11, 1, "calendar.lable"));
/// assert!(problems.render().contains("help: did you mean `label`?"));
/// ```
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}", self.render())]
pub struct Problems {
    text: Arc<str>,
    diagnostics: Vec<Diagnostic>,
}

impl Problems {
    pub(crate) fn new(text: Arc<str>, mut diagnostics: Vec<Diagnostic>) -> Self {
        diagnostics.sort_by_key(|d| (d.span.start, d.code));
        locate(&text, &mut diagnostics);
        Self { text, diagnostics }
    }

    /// The problems, in the order they appear in the file.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// How many problems there are.
    pub fn len(&self) -> usize {
        self.diagnostics.len()
    }

    /// Whether there are none (never true for a value returned by a loader).
    pub fn is_empty(&self) -> bool {
        self.diagnostics.is_empty()
    }

    /// Every problem in the compiler's form: the `file:line:col: error[code]:
    /// message` line, the offending line underlined, and a help line where
    /// there is one.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for (i, one) in self.rendered().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&one);
        }
        out
    }

    /// Each problem as [`Problems::render`] shows it, one at a time (without
    /// the blank line between them), so that a report of many problems is
    /// written out as it is made rather than held whole.
    ///
    /// ```
    /// use cs_policy::Policy;
    ///
    /// let problems = Policy::from_toml_str("demo.toml", "[policy]\nid = 1\nnmae = 2\n").unwrap_err();
    /// let each: Vec<String> = problems.rendered().collect();
    /// assert_eq!(each.len(), problems.len());
    /// assert_eq!(each.join("\n"), problems.render());
    /// assert!(each.iter().any(|one| one.starts_with("demo.toml:2:6: error[wrong-type]")));
    /// ```
    pub fn rendered(&self) -> impl Iterator<Item = String> + '_ {
        let lines = LineIndex::new(&self.text);
        self.diagnostics.iter().map(move |d| {
            let mut out = String::new();
            render_one(&mut out, &self.text, &lines, d);
            out
        })
    }

    /// The problems, taken out (in the order they appear in the file).
    ///
    /// ```
    /// use cs_policy::Policy;
    ///
    /// let problems = Policy::from_toml_str("demo.toml", "[policy]\nid = 1\n").unwrap_err();
    /// let count = problems.len();
    /// assert_eq!(problems.into_diagnostics().len(), count);
    /// ```
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }

    /// The plain one-line form of every problem, one per line, for tools that
    /// read `file:line:col` and nothing else.
    pub fn render_short(&self) -> String {
        let mut out = String::new();
        for d in &self.diagnostics {
            out.push_str(&d.to_string());
            out.push('\n');
        }
        out
    }
}

/// The longest line shown whole, in characters: a longer one (a line of a
/// megabyte, say) is clipped to [`SHOWN_BEFORE`] characters before the
/// problem's start and [`SHOWN_FROM`] from it.
const SHOWN_WHOLE: usize = 120;
const SHOWN_BEFORE: usize = 50;
const SHOWN_FROM: usize = 70;

fn render_one(out: &mut String, text: &str, lines: &LineIndex, d: &Diagnostic) {
    use std::fmt::Write as _;
    let _ = writeln!(out, "{d}");
    let at = floor_char_boundary(text, d.span.start.min(text.len()));
    let whole = lines.line_span(lines.line_of(at), text);
    // A byte order mark opening the file is not shown (nor counted).
    let line_start = if whole.start == 0 && text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8().min(whole.end)
    } else {
        whole.start
    };
    let line = text[line_start..whole.end].trim_end_matches('\r');
    let start = at.clamp(line_start, line_start + line.len()) - line_start;
    let end = d
        .span
        .end
        .clamp(line_start + start, line_start + line.len())
        - line_start;
    let end = floor_char_boundary(line, end);
    // The part of the line shown: all of it unless it is long.
    let long = line.chars().nth(SHOWN_WHOLE).is_some();
    let from = line[..start]
        .char_indices()
        .rev()
        .take(SHOWN_BEFORE)
        .last()
        .map_or(start, |(i, _)| if long { i } else { 0 });
    let to = line[start..]
        .char_indices()
        .nth(SHOWN_FROM)
        .map_or(
            line.len(),
            |(i, _)| if long { start + i } else { line.len() },
        );
    let open = if from > 0 { "…" } else { "" };
    let close = if to < line.len() { "…" } else { "" };
    let before = format!("{open}{}", &line[from..start]).replace('\t', "    ");
    let marked = line[start..end.min(to).max(start)].replace('\t', "    ");
    let shown = line[from..to].replace('\t', "    ");
    let number = d.line.to_string();
    let pad = " ".repeat(number.len());
    let _ = writeln!(out, "{pad} |");
    let _ = writeln!(out, "{number} | {open}{shown}{close}");
    let _ = writeln!(
        out,
        "{pad} | {}{}",
        " ".repeat(before.width()),
        "^".repeat(marked.width().max(1))
    );
    if let Some(help) = &d.help {
        let _ = writeln!(out, "{pad} = help: {help}");
    }
}

/// Why a policy could not be loaded from a file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The file could not be read.
    #[error("cannot read `{path}`: {source}")]
    Read {
        /// The path as given.
        path: String,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The path names no regular file (a directory, a FIFO, a device), which
    /// is refused rather than read: a FIFO blocks, `/dev/zero` never ends.
    #[error("cannot read `{path}`: it is not a regular file")]
    NotAFile {
        /// The path as given.
        path: String,
    },
    /// The file is larger than the limit it was read with (see
    /// [`read_file`](crate::read_file) and
    /// [`DEFAULT_SIZE_LIMIT`](crate::DEFAULT_SIZE_LIMIT)).
    #[error(
        "cannot read `{path}`: it is over the size limit of {limit} bytes (raise it with `Policy::from_path_with_limit` or `read_file`)"
    )]
    TooLarge {
        /// The path as given.
        path: String,
        /// The limit, in bytes.
        limit: u64,
    },
    /// [`Policy::example`](crate::Policy::example) was given a name it does not ship.
    #[error("no example policy is named `{name}`; the examples are: {known}")]
    UnknownExample {
        /// The name asked for.
        name: String,
        /// The names that exist, comma-separated.
        known: String,
    },
    /// The file was read and holds problems.
    #[error(transparent)]
    Invalid(#[from] Problems),
}

impl LoadError {
    /// The problems in the file, when it could be read.
    pub fn problems(&self) -> Option<&Problems> {
        match self {
            Self::Invalid(p) => Some(p),
            Self::Read { .. }
            | Self::NotAFile { .. }
            | Self::TooLarge { .. }
            | Self::UnknownExample { .. } => None,
        }
    }
}

/// Policy problems as a `miette` report: the file's text as source code and
/// each problem as a related diagnostic with its span labelled.
///
/// ```
/// use cs_policy::Policy;
///
/// let text = "[policy]\nid = 1\n";
/// let problems = Policy::from_toml_str("demo.toml", text).unwrap_err();
/// let report = problems.to_miette();
/// let related = miette::Diagnostic::related(&report).map_or(0, Iterator::count);
/// assert_eq!(related, problems.len());
/// ```
#[cfg(feature = "miette")]
#[derive(Debug)]
pub struct MietteReport<'p> {
    problems: &'p Problems,
}

#[cfg(feature = "miette")]
impl Problems {
    /// A view of these problems for a `miette` report handler.
    pub fn to_miette(&self) -> MietteReport<'_> {
        MietteReport { problems: self }
    }
}

#[cfg(feature = "miette")]
impl fmt::Display for MietteReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self
            .problems
            .diagnostics
            .first()
            .map_or("policy", |d| &*d.file);
        write!(f, "{} problem(s) in {file}", self.problems.len())
    }
}

#[cfg(feature = "miette")]
impl std::error::Error for MietteReport<'_> {}

#[cfg(feature = "miette")]
impl miette::Diagnostic for MietteReport<'_> {
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.problems.text)
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        Some(Box::new(
            self.problems
                .diagnostics
                .iter()
                .map(|d| d as &dyn miette::Diagnostic),
        ))
    }
}

#[cfg(feature = "miette")]
impl miette::Diagnostic for Diagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display + 'a>)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let span = self.span.start..self.span.end.max(self.span.start);
        let label = if self.field.is_empty() {
            None
        } else {
            Some(self.field.clone())
        };
        Some(Box::new(std::iter::once(
            miette::LabeledSpan::new_with_span(label, span),
        )))
    }
}
