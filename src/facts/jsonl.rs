//! JSON Lines facts (feature `jsonl`): a month of any size, one agent per
//! line, read one line at a time.
//!
//! The first line is the month ([`MonthHeader`]); every other line is one
//! agent's month ([`AgentRecord`]): the agent, their roster, punches,
//! leave requests and incidents. Blank lines are skipped.
//!
//! ```text
//! {"year": 2026, "month": 3, "punctual": true}
//! {"agent": {"id": "S01", "plan": "after_sales", "post": "agent", "commission": "250.00"}, "roster": [{"shift": "p3_regular", "days": "working_days"}], "punches": [{"date": "2026-03-03", "in": "09:12", "out": "18:00"}], "incidents": [{"kind": "complaint", "date": "2026-03-05"}]}
//! ```
//!
//! Lines are read as strictly as a TOML scenario: an unknown key is
//! refused with the closest known key, money is a string or an integer
//! (a JSON float is `float-money`, as in a policy), and every problem
//! names its line and field path. Incidents and leave requests are
//! numbered through the file, in line order, as a scenario numbers its
//! lists.
//!
//! ```
//! use cs_policy::facts::jsonl;
//! let header = jsonl::read_header("m.jsonl", 1, r#"{"year": 2026, "month": 3}"#)?;
//! let line = r#"{"agent": {"id": "A", "commission": 250.5}}"#;
//! let problems = jsonl::read_record("m.jsonl", 2, line).unwrap_err();
//! let d = &problems.diagnostics()[0];
//! assert_eq!((d.line, d.field.as_str(), d.code.as_str()), (2, "agent.commission", "float-money"));
//! # Ok::<(), cs_policy::Problems>(())
//! ```

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use super::strict::{self, Found};
use super::{FactProblem, is_float, serde_problem};
use crate::attendance::AttendanceCounts;
use crate::policy::read::Suggestions;
use crate::policy::{Diagnostic, ProblemCode, Problems};
use crate::scenario::{AgentRecord, MonthHeader, Scenario};
use crate::statement::{AgentStatement, StatementError};
use crate::stream::{Refusal, Rows};
use crate::{CiteError, Clause, Policy};

/// Reads the month line (the first of a file).
pub fn read_header(file: &str, line: usize, text: &str) -> Result<MonthHeader, Problems> {
    read_line(file, line, text).map_err(|mut problems| {
        if problems.len() == 1
            && problems[0].code == ProblemCode::UnknownKey
            && problems[0].field == "agent"
        {
            problems[0].help = Some(
                "the first line gives the month: `{\"year\": 2026, \"month\": 3}`, then one agent per line"
                    .into(),
            );
        }
        Problems::new(Arc::from(text), problems)
    })
}

/// Reads one agent's line.
pub fn read_record(file: &str, line: usize, text: &str) -> Result<AgentRecord, Problems> {
    read_line(file, line, text).map_err(|problems| Problems::new(Arc::from(text), problems))
}

/// Reads one line strictly into `T`: its one problem, located.
fn read_line<T: DeserializeOwned>(
    file: &str,
    line: usize,
    text: &str,
) -> Result<T, Vec<Diagnostic>> {
    // Every facts struct denies unknown fields and a decimal refuses a
    // float, so a line serde_json reads as it is is a line the strict
    // layer reads the same; the strict layer, which costs a third more,
    // is there to locate a problem.
    if let Ok(value) = serde_json::from_str::<T>(text) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let read = strict::read::<T, _>(&mut de, "").and_then(|value| {
        de.end().map_err(|e| {
            let found = Found {
                path: String::new(),
                own: None,
            };
            (e, found)
        })?;
        Ok(value)
    });
    read.map_err(|(error, found)| vec![diagnostic(file, line, text, &error, &found)])
}

/// A serde_json problem on one line, at its column, in the house style.
fn diagnostic(
    file: &str,
    line: usize,
    text: &str,
    error: &serde_json::Error,
    found: &Found,
) -> Diagnostic {
    // serde_json points just past what it read when it stopped.
    let end = floor(text, error.column().min(text.len()));
    let full = error.to_string();
    let float = match &found.own {
        Some((code, _, _)) => *code == ProblemCode::FloatMoney,
        None => is_float(&full),
    };
    let (code, message, help, start) = match &found.own {
        _ if float => {
            let start = text[..end]
                .rfind(|c: char| !(c.is_ascii_digit() || "+-.eE".contains(c)))
                .map_or(0, |i| i + 1);
            let help = strict::float_help(&text[start..end]);
            let message = strict::float_message(&found.path);
            (ProblemCode::FloatMoney, message, Some(help), start)
        }
        Some((code, message, help)) => {
            let name = found.path.rsplit('.').next().unwrap_or("");
            let start = text[..end].rfind(&format!("\"{name}\"")).unwrap_or(end);
            (*code, message.clone(), help.clone(), start)
        }
        None => {
            let message = full
                .rsplit_once(" at line ")
                .map_or(full.as_str(), |(m, _)| m);
            let (code, message, help) = serde_problem(message, &found.path);
            (code, message, help, value_start(text, end))
        }
    };
    let start = floor(text, start.min(end));
    Diagnostic {
        file: Arc::from(file),
        line,
        column: text[..start].chars().count() + 1,
        span: start..end.max(start + 1).min(text.len().max(start)),
        code,
        field: found.path.clone(),
        message,
        help,
    }
}

/// Where the value that ends at `end` starts: a string's opening quote,
/// else the last character read.
fn value_start(text: &str, end: usize) -> usize {
    let bytes = text.as_bytes();
    let last = end.saturating_sub(1);
    if end < 2 || bytes.get(last) != Some(&b'"') {
        return last;
    }
    // The opening quote is the first one back not escaped by an odd run of
    // backslashes.
    let mut at = last;
    while let Some(quote) = memchr::memrchr(b'"', &bytes[..at]) {
        let slashes = bytes[..quote]
            .iter()
            .rev()
            .take_while(|&&b| b == b'\\')
            .count();
        if slashes % 2 == 0 {
            return quote;
        }
        at = quote;
    }
    last
}

fn floor(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Problems of a line's facts, each at its line with its field path.
///
/// The places are found in one reading of each object and array on the
/// way to them, and the columns counted in one pass in the order of the
/// places: a line with many problems costs its length, not their product.
pub fn facts_problems(file: &str, line: usize, text: &str, problems: Vec<FactProblem>) -> Problems {
    let mut places = Places::new(text);
    let spans: Vec<std::ops::Range<usize>> =
        problems.iter().map(|p| places.key(&p.field)).collect();
    let mut order: Vec<usize> = (0..spans.len()).collect();
    order.sort_by_key(|&i| spans[i].start);
    let mut columns = vec![0; spans.len()];
    let (mut counted, mut chars) = (0, 0);
    for i in order {
        let start = spans[i].start;
        chars += text.get(counted..start).map_or(0, |t| t.chars().count());
        counted = start;
        columns[i] = chars + 1;
    }
    let file: Arc<str> = Arc::from(file);
    let diagnostics = problems
        .into_iter()
        .zip(spans.into_iter().zip(columns))
        .map(|(p, (span, column))| Diagnostic {
            file: file.clone(),
            line,
            column,
            span,
            code: p.code,
            field: p.field,
            message: p.message,
            help: p.help,
        })
        .collect();
    Problems::new(Arc::from(text), diagnostics)
}

/// Where the keys of field paths are written in one line. Each object and
/// array on the way to a key is read once, as raw slices of the line, and
/// kept by its path for the next problem inside it.
struct Places<'t> {
    text: &'t str,
    /// The line as one value; `None` when it is not JSON.
    root: Option<&'t RawValue>,
    objects: std::collections::HashMap<String, std::collections::HashMap<String, &'t RawValue>>,
    arrays: std::collections::HashMap<String, Vec<&'t RawValue>>,
}

impl<'t> Places<'t> {
    fn new(text: &'t str) -> Self {
        Self {
            text,
            root: serde_json::from_str(text).ok(),
            objects: std::collections::HashMap::new(),
            arrays: std::collections::HashMap::new(),
        }
    }

    /// Where a value lies in the line.
    fn span_of(&self, raw: &RawValue) -> std::ops::Range<usize> {
        let start = (raw.get().as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize);
        start..start + raw.get().len()
    }

    /// The key a field path ends with (`punches[3].date`), or the element
    /// when it ends with an index; as far as the path can be followed, the
    /// whole line when not at all.
    fn key(&mut self, field: &str) -> std::ops::Range<usize> {
        let Some(mut raw) = self.root else {
            return 0..0;
        };
        let mut at = 0..0;
        let mut path = String::new();
        for part in field.split('.').filter(|p| !p.is_empty()) {
            let mut pieces = part.split('[');
            let name = pieces.next().unwrap_or_default();
            let object = read_once(&mut self.objects, &path, raw);
            let Some(&value) = object.get(name) else {
                return at;
            };
            raw = value;
            let value_at = self.span_of(raw);
            // The key's closing quote is the last one before the colon.
            let before = self.text.get(..value_at.start).unwrap_or_default();
            let key_end = before
                .trim_end()
                .strip_suffix(':')
                .map_or(0, |b| b.trim_end().len());
            at = value_start(self.text, key_end)..key_end;
            push_key(&mut path, name);
            for index in pieces {
                let index: usize = index.trim_end_matches(']').parse().unwrap_or(usize::MAX);
                let array = read_once(&mut self.arrays, &path, raw);
                let Some(&element) = array.get(index) else {
                    return at;
                };
                raw = element;
                at = self.span_of(raw);
                path.push_str(&format!("[{index}]"));
            }
        }
        at
    }
}

/// The object or array at `path`, read from its raw slice the first time
/// it is asked for (empty when it is not one).
fn read_once<'c, 't, T: serde::Deserialize<'t> + Default>(
    kept: &'c mut std::collections::HashMap<String, T>,
    path: &str,
    raw: &'t RawValue,
) -> &'c T {
    kept.entry(path.to_owned())
        .or_insert_with(|| serde_json::from_str(raw.get()).unwrap_or_default())
}

/// A path one key deeper.
fn push_key(path: &mut String, key: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(key);
}

/// A JSON Lines facts file, read a line at a time, as the rows of a
/// [`crate::stream::run`].
///
/// ```
/// use cs_policy::facts::jsonl::JsonLines;
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("m.jsonl");
/// std::fs::write(&path, "{\"year\": 2026, \"month\": 3}\n{\"agent\": {\"id\": \"A\"}}\n")?;
/// let (file, header) = JsonLines::open(&path)?;
/// assert_eq!(header.month, 3);
/// # let _ = file;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct JsonLines {
    path: PathBuf,
    shown: String,
    /// The line after the month's.
    first: usize,
}

/// One line of a facts file.
#[derive(Debug, Clone)]
pub struct Line {
    /// The line number, from 1.
    pub number: usize,
    /// Its text, without the line break; bytes that are not UTF-8 shown
    /// as `�`.
    pub text: String,
    /// Where the first byte that is not UTF-8 is, and what it is.
    not_utf8: Option<(usize, u8)>,
}

impl Line {
    /// The line's text, or its problem if it is not UTF-8 text: a bad line
    /// like any other, so that `--keep-going` skips it.
    fn utf8(&self, file: &str) -> Result<&str, Problems> {
        let Some((at, byte)) = self.not_utf8 else {
            return Ok(&self.text);
        };
        let column = self
            .text
            .get(..at)
            .map_or(1, |before| before.chars().count() + 1);
        let diagnostic = Diagnostic {
            file: Arc::from(file),
            line: self.number,
            column,
            // The replacement character the shown text holds there.
            span: at..at + char::REPLACEMENT_CHARACTER.len_utf8(),
            code: ProblemCode::Syntax,
            field: String::new(),
            message: format!("the line is not UTF-8 text: byte `0x{byte:02X}` cannot be read"),
            help: Some("save the file as UTF-8, as JSON requires".to_owned()),
        };
        Err(Problems::new(
            Arc::from(self.text.as_str()),
            vec![diagnostic],
        ))
    }
}

/// Why a facts file or one of its lines cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LineError {
    /// The file cannot be read.
    #[error("cannot read `{file}`: {source}")]
    Io {
        /// The file.
        file: String,
        /// Why.
        source: std::io::Error,
    },
    /// A line (or the month's) holds problems, each located.
    #[error("{0}")]
    Problems(Problems),
    /// A line's month cannot be evaluated.
    #[error("{file}:{line}: {error}")]
    Statement {
        /// The file.
        file: String,
        /// The line.
        line: usize,
        /// Why.
        error: Box<StatementError>,
    },
}

impl LineError {
    /// The line's problems, rendered, or the message.
    pub fn render(&self) -> String {
        match self {
            Self::Problems(p) => p.render(),
            other => format!("error: {other}\n"),
        }
    }

    fn io(file: &str, source: std::io::Error) -> Self {
        Self::Io {
            file: file.to_owned(),
            source,
        }
    }
}

impl JsonLines {
    /// Opens a facts file and reads its month line.
    pub fn open(path: impl AsRef<Path>) -> Result<(Self, MonthHeader), LineError> {
        let path = path.as_ref().to_path_buf();
        let shown = path.display().to_string();
        let mut source = Self {
            path,
            shown,
            first: 1,
        };
        let mut lines = source.lines_from(1)?;
        let first = lines.next().transpose()?;
        let Some(first) = first else {
            let message = "the file is empty; its first line gives the month".to_owned();
            let d = Diagnostic {
                file: Arc::from(source.shown.as_str()),
                line: 1,
                column: 1,
                span: 0..0,
                code: ProblemCode::MissingKey,
                field: String::new(),
                message,
                help: Some("write `{\"year\": 2026, \"month\": 3}` on the first line".into()),
            };
            return Err(LineError::Problems(Problems::new(Arc::from(""), vec![d])));
        };
        let text = first.utf8(&source.shown).map_err(LineError::Problems)?;
        let header = read_header(&source.shown, first.number, text).map_err(LineError::Problems)?;
        source.first = first.number + 1;
        Ok((source, header))
    }

    /// The lines from line `from` on, blank ones skipped.
    fn lines_from(&self, from: usize) -> Result<LineIter, LineError> {
        let file = File::open(&self.path).map_err(|source| LineError::io(&self.shown, source))?;
        Ok(LineIter {
            reader: BufReader::with_capacity(1 << 16, file),
            number: 0,
            from,
            shown: self.shown.clone(),
            room: 256,
        })
    }
}

/// The most room a line is read into before it is seen to need more.
const ROOM: usize = 1 << 16;

/// The lines of a file, one at a time.
struct LineIter {
    reader: BufReader<File>,
    number: usize,
    from: usize,
    shown: String,
    /// The last line's length: the next is read into that much room (at
    /// most `ROOM`: one huge line does not make every later one as large).
    room: usize,
}

impl Iterator for LineIter {
    type Item = Result<Line, LineError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let mut bytes = Vec::with_capacity(self.room);
            match self.read_line(&mut bytes) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(source) => return Some(Err(LineError::io(&self.shown, source))),
            }
            self.number += 1;
            self.room = bytes.len().next_power_of_two().min(ROOM);
            if self.number < self.from {
                continue;
            }
            let (mut text, not_utf8) = match String::from_utf8(bytes) {
                Ok(text) => (text, None),
                Err(error) => {
                    let at = error.utf8_error().valid_up_to();
                    let byte = error.as_bytes().get(at).copied().unwrap_or(0);
                    let text = String::from_utf8_lossy(error.as_bytes()).into_owned();
                    (text, Some((at, byte)))
                }
            };
            if text.trim().is_empty() {
                continue;
            }
            let trimmed = text.trim_end_matches(['\n', '\r']).len();
            text.truncate(trimmed);
            return Some(Ok(Line {
                number: self.number,
                text,
                not_utf8,
            }));
        }
    }
}

impl LineIter {
    /// The next line's bytes, its newline included, appended to `line`:
    /// how many; 0 at the end of the file. Found with `memchr`, a few
    /// times quicker than `BufRead::read_line` on lines of agents.
    fn read_line(&mut self, line: &mut Vec<u8>) -> std::io::Result<usize> {
        let mut read = 0;
        loop {
            let available = match self.reader.fill_buf() {
                Ok(available) => available,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            let (used, ended) = match memchr::memchr(b'\n', available) {
                Some(at) => (at + 1, true),
                None => (available.len(), available.is_empty()),
            };
            line.extend_from_slice(&available[..used]);
            self.reader.consume(used);
            read += used;
            if ended {
                return Ok(read);
            }
        }
    }
}

impl Rows for JsonLines {
    type Row = Line;
    type Error = LineError;

    fn rows(&self) -> Result<impl Iterator<Item = Result<Line, LineError>> + Send, LineError> {
        self.lines_from(self.first)
    }

    fn record(&self, row: &Line) -> Result<AgentRecord, LineError> {
        let text = row.utf8(&self.shown).map_err(LineError::Problems)?;
        read_record(&self.shown, row.number, text).map_err(LineError::Problems)
    }

    fn refuse(&self, row: &Line, why: Refusal) -> LineError {
        match why {
            Refusal::Facts(problems) => {
                LineError::Problems(facts_problems(&self.shown, row.number, &row.text, problems))
            }
            Refusal::Statement(error) => LineError::Statement {
                file: self.shown.clone(),
                line: row.number,
                error: Box::new(error),
            },
        }
    }
}

/// Checks every line of a facts file (read strictly, the facts checked,
/// against `policy` when given, each agent once) without evaluating:
/// every bad line's problems, or how many agent lines there are.
///
/// ```
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("m.jsonl");
/// std::fs::write(&path, "{\"year\": 2026, \"month\": 3}\n{\"agent\": {\"id\": \"A\"}}\n{\"agent\": {\"id\": \"A\"}}\n")?;
/// let bad = cs_policy::facts::jsonl::check_file(&path, None).unwrap_err();
/// assert_eq!(bad[0].diagnostics()[0].line, 3);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn check_file(path: impl AsRef<Path>, policy: Option<&Policy>) -> Result<usize, Vec<Problems>> {
    let whole = |e: LineError| match e {
        LineError::Problems(p) => vec![p],
        other => vec![facts_problems(
            &path.as_ref().display().to_string(),
            1,
            "",
            vec![FactProblem::new(
                String::new(),
                ProblemCode::Io,
                other.to_string(),
            )],
        )],
    };
    let (file, header) = JsonLines::open(path.as_ref()).map_err(whole)?;
    let mut bad = Vec::new();
    let Some(month) = super::check::MonthDays::new(header, policy) else {
        let problem = FactProblem::new(
            "month".into(),
            ProblemCode::OutOfRange,
            format!(
                "month `{}-{}` does not exist; months run from 1 to 12",
                header.year, header.month
            ),
        );
        return Err(vec![facts_problems(
            &file.shown,
            file.first - 1,
            "",
            vec![problem],
        )]);
    };
    let mut seen = std::collections::HashMap::new();
    let suggestions = Suggestions::default();
    let mut count = 0usize;
    for line in file.rows().map_err(whole)? {
        let line = line.map_err(whole)?;
        count += 1;
        if let Err(problems) = check_line(
            &file.shown,
            &line,
            (&month, policy, &suggestions),
            &mut seen,
        ) {
            bad.push(problems);
        }
    }
    if bad.is_empty() { Ok(count) } else { Err(bad) }
}

/// One agent's line read and its facts checked, its id not seen before.
fn check_line(
    file: &str,
    line: &Line,
    (month, policy, suggestions): (&super::check::MonthDays, Option<&Policy>, &Suggestions),
    seen: &mut std::collections::HashMap<String, usize>,
) -> Result<(), Problems> {
    let record = read_record(file, line.number, line.utf8(file)?)?;
    let mut problems = super::check::record(month, &record, policy, suggestions);
    // The agent's first line is kept, however many follow it.
    let first = *seen.entry(record.agent.id.clone()).or_insert(line.number);
    if first != line.number {
        problems.push(
            FactProblem::new(
                "agent.id".into(),
                ProblemCode::Duplicate,
                format!("agent `{}` is listed twice", record.agent.id),
            )
            .help(format!(
                "first listed on line {first}; give each agent once"
            )),
        );
    }
    if problems.is_empty() {
        return Ok(());
    }
    Err(facts_problems(file, line.number, &line.text, problems))
}

/// Writes a scenario as JSON Lines: its month, then one line per agent
/// with the facts that are theirs. Incidents and requests are numbered
/// through the file, so a scenario whose lists run agent by agent (as
/// [`Scenario::records`] groups them) gives the same statements either way.
///
/// ```
/// let month = cs_policy::Scenario::from_toml_str("s.toml", include_str!("../../policies/shop.scenario.toml"))?;
/// let mut out = Vec::new();
/// cs_policy::facts::jsonl::write_scenario(&month, &mut out)?;
/// assert_eq!(String::from_utf8(out)?.lines().count(), month.agents.len() + 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_scenario(month: &Scenario, out: &mut impl Write) -> Result<(), std::io::Error> {
    let records = month
        .records()
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string()))?;
    serde_json::to_writer(&mut *out, &month.header())?;
    out.write_all(b"\n")?;
    for (record, _) in &records {
        serde_json::to_writer(&mut *out, record)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// One statement as a JSON line (with its line break), clause ids spelt
/// out: what `cs-policy eval --format jsonl` writes per agent.
///
/// ```
/// use cs_policy::{Policy, Scenario};
/// let policy = Policy::example("shop")?;
/// let month = Scenario::from_toml_str("s.toml", include_str!("../../policies/shop.scenario.toml"))?;
/// let team = policy.team_statement(&month)?;
/// let line = cs_policy::facts::jsonl::statement_line(&policy, &team.statements[0])?;
/// assert!(line.starts_with(b"{\"policy\":{\"id\":\"shop\""));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn statement_line(policy: &Policy, statement: &AgentStatement) -> Result<Vec<u8>, CiteError> {
    let mut out = Vec::with_capacity(2048);
    write_statement(policy, statement, &mut out)?;
    Ok(out)
}

/// [`statement_line`] written at the end of `out`: the fields of
/// [`AgentStatement::view`] in its order, as serde_json writes the view,
/// straight from the statement; the keys, and the clause ids and labels
/// that need no escaping, copied as they are, since a payroll writes
/// millions of them.
pub(crate) fn write_statement(
    policy: &Policy,
    statement: &AgentStatement,
    out: &mut Vec<u8>,
) -> Result<(), CiteError> {
    write_stamp_head(out, &statement.policy);
    write_after_stamp(policy, statement, Citing::Spelt, out)
}

/// How a statement line names the clauses of its lines and actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Citing {
    /// Spelt out: `,"clause":"…","label":"…"`.
    Spelt,
    /// As [`CLAUSE_MARK`] and the clause's place among the policy's
    /// clauses (four bytes, least significant first), for a line that
    /// waits to be written: [`spell_clauses`] spells them out then.
    Marked,
}

/// A byte JSON text never holds as it is (a control character is always
/// escaped), so it marks a clause to spell out.
pub(crate) const CLAUSE_MARK: u8 = 0x01;

/// Every clause of `policy` as a line spells it, by place.
pub(crate) fn spelt_clauses(policy: &Policy) -> Vec<Vec<u8>> {
    let spell = |cited| {
        let mut out = Vec::new();
        clause(&mut out, cited);
        out
    };
    policy.clauses().iter().map(spell).collect()
}

/// `line`, written with [`Citing::Marked`], written to `out` with each
/// clause spelt out from `spelt` ([`spelt_clauses`]).
pub(crate) fn spell_clauses(
    out: &mut impl Write,
    line: &[u8],
    spelt: &[Vec<u8>],
) -> std::io::Result<()> {
    let mut rest = line;
    while let Some(at) = memchr::memchr(CLAUSE_MARK, rest) {
        out.write_all(&rest[..at])?;
        let place = rest
            .get(at + 1..at + 5)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .and_then(|b| usize::try_from(u32::from_le_bytes(b)).ok());
        let clause = place.and_then(|place| spelt.get(place));
        let Some(clause) = clause else {
            return Err(std::io::Error::other(
                "a kept statement cites no clause of the policy",
            ));
        };
        out.write_all(clause)?;
        rest = &rest[at + 5..];
    }
    out.write_all(rest)
}

/// What every statement line of a policy starts with: `{"policy":`, the
/// stamp and a comma.
pub(crate) fn stamp_head(stamp: &crate::PolicyStamp) -> Vec<u8> {
    let mut out = Vec::new();
    write_stamp_head(&mut out, stamp);
    out
}

/// [`stamp_head`] written at the end of `out`.
fn write_stamp_head(out: &mut Vec<u8>, stamp: &crate::PolicyStamp) {
    out.extend_from_slice(b"{\"policy\":");
    write_stamp(out, stamp);
    out.push(b',');
}

/// [`write_statement`] after its [`stamp_head`], from `"agent":` on: the
/// part that differs from one agent to the next.
pub(crate) fn write_after_stamp(
    policy: &Policy,
    statement: &AgentStatement,
    citing: Citing,
    out: &mut Vec<u8>,
) -> Result<(), CiteError> {
    policy.owns(&statement.policy)?;
    out.extend_from_slice(b"\"agent\":");
    string(out, &statement.agent);
    out.extend_from_slice(b",\"total\":");
    decimal(out, statement.total);
    out.extend_from_slice(b",\"score\":");
    match &statement.score {
        Some(card) => decimal(out, card.score),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"rank\":");
    match statement.rank {
        Some(rank) => count(out, rank),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"attendance\":");
    match &statement.attendance {
        Some(counts) => attendance(out, counts),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"lines\":");
    list(out, b"{\"kind\":", &statement.lines, |out, line| {
        string(out, line.kind.word());
        out.extend_from_slice(b",\"amount\":");
        decimal(out, line.amount);
        cite(out, policy, line.clause, citing)?;
        out.extend_from_slice(b",\"because\":");
        REASONS.with_borrow_mut(|recent| recent.write(out, line.because));
        Ok(())
    })?;
    out.extend_from_slice(b",\"actions\":");
    list(out, b"{\"action\":", &statement.actions, |out, action| {
        ACTIONS.with_borrow_mut(|recent| recent.write(out, action.kind));
        cite(out, policy, action.clause, citing)?;
        out.extend_from_slice(b",\"date\":");
        match action.date {
            Some(date) => self::date(out, date),
            None => out.extend_from_slice(b"null"),
        }
        Ok(())
    })?;
    out.extend_from_slice(b"}\n");
    Ok(())
}

thread_local! {
    /// The reasons and actions this thread wrote last: a payroll's
    /// statements give the same few again and again (a plan's lines share
    /// the level paid, a team is promoted to the same few levels).
    static REASONS: std::cell::RefCell<Recent<crate::statement::Because>> =
        std::cell::RefCell::new(Recent::new(crate::statement::Because::written_alike));
    static ACTIONS: std::cell::RefCell<Recent<crate::statement::ActionKind>> =
        std::cell::RefCell::new(Recent::new(PartialEq::eq));
}

/// How many values [`Recent`] keeps.
const RECENT: usize = 8;

/// Values lately written as serde_json writes them, with their text, the
/// oldest given up for a new one.
struct Recent<T> {
    written: Vec<(T, Vec<u8>)>,
    /// Whether two values are written alike.
    alike: fn(&T, &T) -> bool,
    /// The place the next new value takes once every place is full.
    next: usize,
}

impl<T: serde::Serialize> Recent<T> {
    fn new(alike: fn(&T, &T) -> bool) -> Self {
        Self {
            written: Vec::with_capacity(RECENT),
            alike,
            next: 0,
        }
    }

    /// `v` written at the end of `out`: its text copied if it was written
    /// lately, serialized (and kept) if not.
    fn write(&mut self, out: &mut Vec<u8>, v: T) {
        if let Some((_, text)) = self.written.iter().find(|(w, _)| (self.alike)(w, &v)) {
            out.extend_from_slice(text);
            return;
        }
        let start = out.len();
        value(out, &v);
        let text = &out[start..];
        if self.written.len() < RECENT {
            self.written.push((v, text.to_vec()));
            return;
        }
        let (kept, kept_text) = &mut self.written[self.next];
        *kept = v;
        kept_text.clear();
        kept_text.extend_from_slice(text);
        self.next = (self.next + 1) % RECENT;
    }
}

/// A JSON list of objects, each opened with `open` and its fields written
/// by `fields`.
fn list<T>(
    out: &mut Vec<u8>,
    open: &[u8],
    items: &[T],
    mut fields: impl FnMut(&mut Vec<u8>, &T) -> Result<(), CiteError>,
) -> Result<(), CiteError> {
    out.push(b'[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(open);
        fields(out, item)?;
        out.push(b'}');
    }
    out.push(b']');
    Ok(())
}

/// The policy's stamp, as it serializes: the same on every line.
fn write_stamp(out: &mut Vec<u8>, stamp: &crate::PolicyStamp) {
    out.extend_from_slice(b"{\"id\":");
    string(out, &stamp.id);
    if let Some(version) = &stamp.version {
        out.extend_from_slice(b",\"version\":");
        string(out, version);
    }
    out.extend_from_slice(b",\"sha256\":");
    string(out, &stamp.sha256);
    out.push(b'}');
}

/// A value as serde_json writes it.
fn value(out: &mut Vec<u8>, value: &impl serde::Serialize) {
    // Statement views hold no map with non-string keys: they always write.
    let _ = serde_json::to_writer(&mut *out, value);
}

/// A date as serde_json writes it (`"2026-05-07"`), by hand for the
/// years of four digits.
fn date(out: &mut Vec<u8>, date: chrono::NaiveDate) {
    use chrono::Datelike;
    let Ok(year) = u16::try_from(date.year()) else {
        return value(out, &date);
    };
    if year > 9999 {
        return value(out, &date);
    }
    let two = |n: u32| [b'0' + (n / 10) as u8, b'0' + (n % 10) as u8];
    let (hi, lo) = (u32::from(year / 100), u32::from(year % 100));
    out.push(b'"');
    out.extend_from_slice(&two(hi));
    out.extend_from_slice(&two(lo));
    out.push(b'-');
    out.extend_from_slice(&two(date.month()));
    out.push(b'-');
    out.extend_from_slice(&two(date.day()));
    out.push(b'"');
}

/// A string, copied between quotes when nothing in it needs escaping.
fn string(out: &mut Vec<u8>, text: &str) {
    if !crate::explain::is_plain(text) {
        return value(out, &text);
    }
    out.push(b'"');
    out.extend_from_slice(text.as_bytes());
    out.push(b'"');
}

/// The attendance counts, as serde_json writes them.
fn attendance(out: &mut Vec<u8>, counts: &AttendanceCounts) {
    // Every field named: one added to the counts must be written here.
    let AttendanceCounts {
        rostered,
        on_time,
        late,
        early_leave,
        absent,
        converted_absences,
        on_leave,
        leaves,
        missing_punch,
    } = *counts;
    let fields = [
        ("rostered", rostered),
        ("on_time", on_time),
        ("late", late),
        ("early_leave", early_leave),
        ("absent", absent),
        ("converted_absences", converted_absences),
        ("on_leave", on_leave),
        ("leaves", leaves),
        ("missing_punch", missing_punch),
    ];
    for (i, (key, count)) in fields.into_iter().enumerate() {
        out.extend_from_slice(if i == 0 { b"{\"" } else { b",\"" });
        out.extend_from_slice(key.as_bytes());
        out.extend_from_slice(b"\":");
        self::count(out, count.into());
    }
    out.push(b'}');
}

/// A count in decimal digits.
fn count(out: &mut Vec<u8>, count: u32) {
    let (digits, at) = count_digits(count);
    out.extend_from_slice(&digits[at..]);
}

/// A count's decimal digits: `digits[at..]` of `(digits, at)`.
pub(crate) fn count_digits(count: u32) -> ([u8; 10], usize) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    let mut left = count;
    loop {
        at -= 1;
        digits[at] = b'0' + (left % 10) as u8;
        left /= 10;
        if left == 0 {
            break;
        }
    }
    (digits, at)
}

/// An amount as a decimal string, as it displays: its digits with the
/// point `scale` from the right (a `0` before a leading point), a minus
/// for a negative amount.
fn decimal(out: &mut Vec<u8>, amount: rust_decimal::Decimal) {
    // The digits, lowest first: at most 29, padded to the scale (at most 28).
    let mut digits = [b'0'; 40];
    let mut len = 0;
    let mut mantissa = amount.mantissa().unsigned_abs();
    while mantissa > u128::from(u64::MAX) {
        digits[len] += (mantissa % 10) as u8;
        mantissa /= 10;
        len += 1;
    }
    let mut small = u64::try_from(mantissa).unwrap_or(u64::MAX);
    while small > 0 {
        digits[len] += (small % 10) as u8;
        small /= 10;
        len += 1;
    }
    let scale = amount.scale() as usize;
    let len = len.max(scale);
    out.push(b'"');
    if amount.is_sign_negative() {
        out.push(b'-');
    }
    if len == 0 {
        out.push(b'0');
    }
    for i in 0..len {
        if i == len - scale {
            if i == 0 {
                out.push(b'0');
            }
            out.push(b'.');
        }
        out.push(digits[len - 1 - i]);
    }
    out.push(b'"');
}

/// A line's or action's clause, spelt out or marked.
fn cite(
    out: &mut Vec<u8>,
    policy: &Policy,
    cited: crate::ClauseRef,
    citing: Citing,
) -> Result<(), CiteError> {
    match citing {
        Citing::Spelt => clause(out, policy.clause(cited)?),
        Citing::Marked => {
            let place = policy.clause_place(cited)?;
            out.push(CLAUSE_MARK);
            out.extend_from_slice(&u32::try_from(place).unwrap_or(u32::MAX).to_le_bytes());
        }
    }
    Ok(())
}

/// A line's or action's clause id and label.
fn clause(out: &mut Vec<u8>, cited: &Clause) {
    out.extend_from_slice(b",\"clause\":");
    text(out, cited.id(), cited.is_plain());
    out.extend_from_slice(b",\"label\":");
    match cited.label() {
        Some(label) => text(out, label, cited.is_plain()),
        None => out.extend_from_slice(b"null"),
    }
}

/// Text known to be plain copied between quotes, other text escaped.
fn text(out: &mut Vec<u8>, text: &str, plain: bool) {
    if plain {
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
    } else {
        value(out, &text);
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::*;

    /// A line written with its clauses marked and then spelt out is the
    /// line written with them spelt out at once, labels that need
    /// escaping included.
    #[test]
    fn a_marked_line_spelt_out_is_the_spelt_line() {
        let text = include_str!("../../policies/call-centre.toml").replace(
            "label = \"二星级",
            "label = \"\\\"quoted\\\" \\\\ \\u0001 二星级",
        );
        assert!(text.contains("\\\"quoted"));
        let policy = Policy::from_toml_str("c.toml", &text).unwrap();
        let team = call_centre_month(&policy);
        let spelt = spelt_clauses(&policy);
        let mut escaped = 0;
        for statement in &team.statements {
            let (mut marked, mut whole, mut out) = (Vec::new(), Vec::new(), Vec::new());
            write_after_stamp(&policy, statement, Citing::Marked, &mut marked).unwrap();
            write_after_stamp(&policy, statement, Citing::Spelt, &mut whole).unwrap();
            spell_clauses(&mut out, &marked, &spelt).unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                String::from_utf8(whole.clone()).unwrap()
            );
            assert!(marked.len() < whole.len() || statement.lines.is_empty());
            escaped += usize::from(whole.windows(8).any(|w| w == b"\\\"quoted"));
        }
        assert!(escaped > 0, "no line cites the escaped label");
    }

    /// Amounts are written as they display (and serialize): zeros at every
    /// scale, negatives, a negative zero, the largest mantissas.
    #[test]
    fn an_amount_is_written_as_it_displays() {
        let mut amounts = vec![Decimal::MAX, Decimal::MIN, -Decimal::ZERO];
        for scale in 0..=28 {
            for mantissa in [
                0i128,
                1,
                -1,
                5,
                10,
                12_345,
                -232_050,
                i128::from(u64::MAX) + 1,
            ] {
                amounts.push(Decimal::from_i128_with_scale(mantissa, scale));
            }
        }
        let mut negative_zero = Decimal::new(0, 2);
        negative_zero.set_sign_negative(true);
        amounts.push(negative_zero);
        for amount in amounts {
            let mut out = Vec::new();
            decimal(&mut out, amount);
            assert_eq!(String::from_utf8(out).unwrap(), format!("\"{amount}\""));
        }
    }

    /// Dates are written as serde_json writes them, years of one to five
    /// digits and before the common era included.
    #[test]
    fn a_date_is_written_as_serde_json_writes_it() {
        for (y, m, d) in [
            (2026, 5, 7),
            (2026, 12, 31),
            (5, 1, 1),
            (999, 10, 9),
            (9999, 12, 31),
            (10_000, 1, 1),
            (0, 2, 29),
            (-1, 3, 1),
        ] {
            let date = chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
            let mut out = Vec::new();
            super::date(&mut out, date);
            let json = serde_json::to_string(&date).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), json);
        }
    }

    /// The statements of the call centre's shipped month under `policy`.
    fn call_centre_month(policy: &Policy) -> crate::statement::TeamStatement {
        let month = Scenario::from_toml_str(
            "c.toml",
            include_str!("../../policies/call-centre.scenario.toml"),
        )
        .unwrap();
        policy.team_statement(&month).unwrap()
    }

    /// The lines that share a reason have it copied: each line's reason is
    /// its own.
    #[test]
    fn a_shared_reason_is_copied_line_by_line() {
        let policy = Policy::example("call-centre").unwrap();
        let team = call_centre_month(&policy);
        let mut shared = 0;
        for statement in &team.statements {
            let mut out = Vec::new();
            write_after_stamp(&policy, statement, Citing::Spelt, &mut out).unwrap();
            let line: serde_json::Value =
                serde_json::from_slice(&[b"{".as_slice(), &out].concat()).unwrap();
            let lines = line["lines"].as_array().unwrap();
            assert_eq!(lines.len(), statement.lines.len());
            for (written, line) in lines.iter().zip(&statement.lines) {
                assert_eq!(
                    written["because"],
                    serde_json::to_value(line.because).unwrap()
                );
            }
            shared += statement
                .lines
                .windows(2)
                .filter(|w| w[0].because == w[1].because)
                .count();
        }
        assert!(shared > 0, "no two lines in a row share a reason");
    }

    /// Reasons equal as amounts but written otherwise (`50` and `50.0`)
    /// are each written as they are, not copied one for the other.
    #[test]
    fn a_reason_equal_but_written_otherwise_is_written_again() {
        use crate::statement::Because;
        let policy = Policy::example("call-centre").unwrap();
        let team = call_centre_month(&policy);
        let mut statement = team.statements[0].clone();
        let last = chrono::NaiveDate::from_ymd_opt(2026, 5, 7).unwrap();
        let reason = |each| Because::Occurrences {
            count: 2,
            each,
            last,
        };
        let (fifty, fifty_point_0) = (Decimal::new(50, 0), Decimal::new(500, 1));
        assert_eq!(reason(fifty), reason(fifty_point_0));
        let line = statement.lines[0];
        statement.lines = [fifty, fifty_point_0, fifty_point_0]
            .map(|each| crate::statement::Line {
                because: reason(each),
                ..line
            })
            .to_vec();
        let mut out = Vec::new();
        write_after_stamp(&policy, &statement, Citing::Spelt, &mut out).unwrap();
        let line: serde_json::Value =
            serde_json::from_slice(&[b"{".as_slice(), &out].concat()).unwrap();
        let each: Vec<_> = line["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["because"]["occurrences"]["each"].as_str().unwrap())
            .collect();
        assert_eq!(each, ["50", "50.0", "50.0"]);
    }

    /// Values kept or given up, each is written as serde_json writes it,
    /// amounts at their own scale.
    #[test]
    fn recent_values_are_written_as_serde_json_writes_them() {
        use crate::statement::Because;
        let last = chrono::NaiveDate::from_ymd_opt(2026, 5, 7).unwrap();
        let reasons: Vec<Because> = (0..3 * RECENT as i64)
            .map(|i| Because::Occurrences {
                count: 2,
                each: Decimal::new(
                    50 * 10i64.pow((i % 2) as u32),
                    (i % 2) as u32 + u32::from(i > 5),
                ),
                last: last + chrono::Days::new((i / 4) as u64),
            })
            .collect();
        let mut recent = Recent::new(Because::written_alike);
        for (round, i) in (0..4).flat_map(|r| (0..reasons.len()).map(move |i| (r, i))) {
            // Forwards, backwards, then every third.
            let at = match round {
                0 | 2 => i,
                1 => reasons.len() - 1 - i,
                _ => i * 3 % reasons.len(),
            };
            let mut out = b"[".to_vec();
            recent.write(&mut out, reasons[at]);
            assert_eq!(out[1..], serde_json::to_vec(&reasons[at]).unwrap());
        }
    }

    /// The attendance counts are written as serde_json writes them.
    #[test]
    fn attendance_counts_are_written_as_serde_json_writes_them() {
        for n in [0u16, 7, 10, 22, 999, u16::MAX] {
            let counts = AttendanceCounts {
                rostered: n,
                on_time: n / 2,
                late: 1,
                early_leave: 0,
                absent: n % 10,
                converted_absences: 10,
                on_leave: 100,
                leaves: 1000,
                missing_punch: n,
            };
            let mut out = Vec::new();
            attendance(&mut out, &counts);
            assert_eq!(out, serde_json::to_vec(&counts).unwrap());
        }
    }

    /// A string is copied as it is only when serde_json would write it so.
    #[test]
    fn a_string_value_is_marked_from_its_opening_quote() {
        let text = r#"{"a": "x\"y\\", "b": 7}"#;
        let end = text.find(", \"b").unwrap();
        assert_eq!(value_start(text, end), text.find("\"x").unwrap());
        let end = text.find('}').unwrap();
        assert_eq!(value_start(text, end), end - 1);
        assert_eq!(value_start("\"", 1), 0);
    }

    #[test]
    fn a_string_is_escaped_where_serde_json_escapes_it() {
        let texts = [
            "",
            "plain",
            "二星级 (得分≥95分)",
            "a\"b",
            "back\\slash",
            "tab\there",
            "long enough to take whole words \u{1f}",
            "12345678\"",
            "1234567\n",
            "\u{7f}ok",
        ];
        for text in texts {
            let mut out = Vec::new();
            string(&mut out, text);
            assert_eq!(out, serde_json::to_vec(text).unwrap(), "{text:?}");
            let naive = text.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\');
            assert_eq!(!crate::explain::is_plain(text), naive, "{text:?}");
        }
    }
}
