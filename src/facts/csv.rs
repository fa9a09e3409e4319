//! Punch logs from CSV exports (feature `csv`): an attendance machine's or
//! DingTalk's export read as it is, its columns named in a small mapping.
//!
//! A mapping is a TOML file (by convention beside the log:
//! `shop.punches.columns.toml` for `shop.punches.csv`) naming the column
//! that holds each fact:
//!
//! ```toml
//! agent = "工号"                 # the agent's id
//! date = "考勤日期"              # optional: the date, when the time column holds the time of day only
//! time = "打卡时间"              # the timestamp (or the time of day, with `date`)
//! direction = "打卡类型"         # optional: in or out
//! device = "打卡设备"            # optional: carried through
//! directions = { in = ["上班"], out = ["下班"] }  # the words of the direction column
//! # format = "%d.%m.%Y %H:%M"    # optional: a strftime format for other timestamps
//! # delimiter = ";"              # optional: the field separator (default `,`)
//! # header_line = 3              # optional: the header's line, after title lines (default 1)
//! ```
//!
//! Without a mapping the log is in the crate's own form: a header naming
//! `agent` and `time`, and optionally `direction` (`in`/`out`) and
//! `device`. A column the mapping names that the header lacks is an error
//! in the mapping, at its line and column, with the closest header. Every
//! bad row of the log is reported with its line and column (a cell that is
//! not a timestamp, a direction word the mapping does not list, an empty
//! agent, a row with another number of fields than the header), all of
//! them in one pass, never a panic. Timestamps are read as
//! [`Timestamp`] reads them: local time or with a
//! UTC offset.
//!
//! ```
//! use cs_policy::facts::csv::{Mapping, PunchLog};
//! let mapping = Mapping::from_toml_str("m.toml", "agent = \"工号\"\ndate = \"日期\"\ntime = \"时间\"\n")?;
//! let log = PunchLog::read("log.csv", "工号,日期,时间\nS01,2026-03-02,08:57\nS01,2026-03-02,18:03\n", Some(&mapping))?;
//! assert_eq!(log.events()[1].time.to_string(), "2026-03-02T18:03:00");
//! assert_eq!(log.line_of(1), Some(3));
//!
//! let bad = PunchLog::read("log.csv", "agent,time\nS01,2026-03-02 8:57\nS02,yesterday\n", None).unwrap_err();
//! assert_eq!(bad.problems()[0].diagnostics()[0].to_string(),
//!     "log.csv:3:5: error[invalid-value]: `yesterday` in column `time` is not a date and time");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;

use super::toml::TomlDoc;
use crate::policy::read::{Hint, Suggestions, closest};
use crate::policy::{Diagnostic, LoadError, ProblemCode, Problems};
use crate::punch::{AgentEvent, Direction, Timestamp};
use crate::{Policy, Scenario};

/// Which column of a punch log holds each fact, and how to read them.
///
/// ```
/// use cs_policy::facts::csv::Columns;
/// let own = Columns::default();
/// assert_eq!((own.agent.as_str(), own.time.as_str()), ("agent", "time"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    /// The agent's id.
    pub agent: String,
    /// The timestamp, or with [`Columns::date`] the time of day.
    pub time: String,
    /// The date, when it has a column of its own.
    pub date: Option<String>,
    /// In or out.
    pub direction: Option<String>,
    /// The device.
    pub device: Option<String>,
    /// The words of the direction column that mean in.
    pub in_words: Vec<String>,
    /// The words that mean out.
    pub out_words: Vec<String>,
    /// A strftime format for the timestamp (date and time joined by a
    /// space when they are two columns); none: the formats
    /// [`Timestamp`] reads.
    pub format: Option<String>,
    /// The field separator.
    pub delimiter: u8,
    /// The 1-based line of the header; lines before it (an export's title)
    /// are skipped.
    pub header_line: u64,
}

impl Default for Columns {
    /// The crate's own form: `agent`, `time`, `direction`, `device`.
    fn default() -> Self {
        Self {
            agent: "agent".into(),
            time: "time".into(),
            date: None,
            direction: Some("direction".into()),
            device: Some("device".into()),
            in_words: vec!["in".into()],
            out_words: vec!["out".into()],
            format: None,
            delimiter: b',',
            header_line: 1,
        }
    }
}

/// A mapping as a file states it, with where it states each column.
#[derive(Debug, Clone)]
struct Origin {
    file: Arc<str>,
    text: Arc<str>,
    /// The span of each key's value, by key.
    spans: Vec<(&'static str, Range<usize>)>,
}

/// The columns of a punch log, from a mapping file or built in code.
///
/// ```
/// use cs_policy::facts::csv::{Columns, Mapping};
/// let m = Mapping::new(Columns { agent: "emp".into(), ..Columns::default() });
/// assert_eq!(m.columns().agent, "emp");
/// let err = Mapping::from_toml_str("m.toml", "agent = \"工号\"\ntime = \"打卡时间\"\ndevise = \"x\"\n").unwrap_err();
/// assert_eq!(err.diagnostics()[0].help.as_deref(), Some("did you mean `device`?"));
/// ```
#[derive(Debug, Clone)]
pub struct Mapping {
    columns: Columns,
    /// Whether `direction` and `device` may be absent from the header (the
    /// crate's own form, where they are optional).
    optional: bool,
    origin: Option<Origin>,
}

/// The keys of a mapping file.
const KEYS: &[&str] = &[
    "agent",
    "time",
    "date",
    "direction",
    "device",
    "directions",
    "format",
    "delimiter",
    "header_line",
];

/// The words of a direction column.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Words {
    #[serde(rename = "in")]
    in_words: Vec<String>,
    #[serde(rename = "out")]
    out_words: Vec<String>,
}

impl Mapping {
    /// The columns given, each one required in the log's header.
    pub fn new(columns: Columns) -> Self {
        Self {
            columns,
            optional: false,
            origin: None,
        }
    }

    /// The crate's own form: `agent` and `time`, and `direction` and
    /// `device` when the header has them.
    pub fn own() -> Self {
        Self {
            columns: Columns::default(),
            optional: true,
            origin: None,
        }
    }

    /// The columns.
    pub fn columns(&self) -> &Columns {
        &self.columns
    }

    /// Reads a mapping file's text; every problem is located in it (an
    /// unknown key, a value of the wrong type, a delimiter that is not one
    /// ASCII character).
    pub fn from_toml_str(file: &str, text: &str) -> Result<Self, Problems> {
        let mut doc = TomlDoc::parse(file, text)?;
        let agent: Option<String> = doc.required("agent");
        let time: Option<String> = doc.required("time");
        let own = Columns::default();
        let words: Option<Words> = doc.value("directions");
        let delimiter: Option<String> = doc.value("delimiter");
        let mut columns = Columns {
            agent: agent.unwrap_or_default(),
            time: time.unwrap_or_default(),
            date: doc.value("date"),
            direction: doc.value("direction"),
            device: doc.value("device"),
            format: doc.value("format"),
            header_line: doc.whole("header_line", "a line number").unwrap_or(1),
            ..own
        };
        if let Some(w) = words {
            (columns.in_words, columns.out_words) = (w.in_words, w.out_words);
        }
        doc.finish_keys(KEYS);
        let mut problems = Vec::new();
        if let Some(d) = delimiter {
            match d.as_bytes() {
                [b] if d.is_ascii() && *b != b'"' && *b != b'\n' => columns.delimiter = *b,
                _ => problems.push(
                    super::FactProblem::new(
                        "delimiter".into(),
                        ProblemCode::InvalidValue,
                        format!("`{d}` is not a field separator"),
                    )
                    .help("give one ASCII character, such as `\",\"`, `\";\"` or `\"\\t\"`"),
                ),
            }
        }
        if columns.header_line == 0 {
            problems.push(super::FactProblem::new(
                "header_line".into(),
                ProblemCode::OutOfRange,
                "`header_line` counts lines from 1".into(),
            ));
        }
        doc.report(problems);
        let spans = KEYS
            .iter()
            .filter_map(|k| doc.value_span(k).map(|s| (*k, s)))
            .collect();
        doc.finish()?;
        Ok(Self {
            columns,
            optional: false,
            origin: Some(Origin {
                file: Arc::from(file),
                text: Arc::from(text),
                spans,
            }),
        })
    }

    /// Reads a mapping file; problems name it by `path` as given.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self, LoadError> {
        let path = path.as_ref();
        let text = crate::read_file(path, crate::DEFAULT_SIZE_LIMIT)?;
        Ok(Self::from_toml_str(&path.display().to_string(), &text)?)
    }

    /// Each column the mapping names, with its key; `required` ones must be
    /// in the header.
    fn named(&self) -> Vec<(&'static str, &str, bool)> {
        let c = &self.columns;
        let mut out = vec![("agent", c.agent.as_str(), true)];
        if let Some(d) = &c.date {
            out.push(("date", d, true));
        }
        out.push(("time", c.time.as_str(), true));
        for (key, column) in [("direction", &c.direction), ("device", &c.device)] {
            if let Some(column) = column {
                out.push((key, column, !self.optional));
            }
        }
        out
    }
}

/// A punch log read: every event, with the row it came from.
///
/// ```
/// let log = cs_policy::facts::csv::PunchLog::read("l.csv", "agent,time,direction\nS01,2026-03-02T01:05:00Z,in\n", None)?;
/// assert_eq!(log.events()[0].direction, Some(cs_policy::punch::Direction::In));
/// # Ok::<(), cs_policy::facts::csv::LogError>(())
/// ```
#[derive(Debug, Clone)]
pub struct PunchLog {
    file: Arc<str>,
    text: Arc<str>,
    events: Vec<AgentEvent>,
    /// The byte offset of each event's row.
    rows: Vec<usize>,
    /// The 1-based line of each event's row, kept as read so that locating
    /// a punch never re-reads the file.
    lines: Vec<u64>,
    agent_column: usize,
    delimiter: u8,
}

/// A punch log that cannot be read.
///
/// ```
/// let err = cs_policy::facts::csv::PunchLog::from_path("no/such/log.csv", None).unwrap_err();
/// assert!(err.to_string().contains("no/such/log.csv"));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LogError {
    /// A file cannot be read (missing, too large, not UTF-8).
    #[error(transparent)]
    Read(#[from] LoadError),
    /// Problems located in the mapping or the log: one set per file.
    #[error("{}", render(.0))]
    Invalid(Vec<Problems>),
}

fn render(sets: &[Problems]) -> String {
    sets.iter()
        .map(Problems::render)
        .collect::<Vec<_>>()
        .join("\n")
}

impl LogError {
    /// The located problems, one set per file (none for a file that cannot
    /// be read).
    pub fn problems(&self) -> &[Problems] {
        match self {
            Self::Invalid(sets) => sets,
            Self::Read(_) => &[],
        }
    }
}

/// The columns found in the header, by position.
struct Found {
    agent: usize,
    date: Option<usize>,
    time: usize,
    direction: Option<usize>,
    device: Option<usize>,
    /// The header's cells.
    names: Vec<String>,
}

/// Problems of one file, collected then handed over as [`Problems`].
struct Report {
    file: Arc<str>,
    text: Arc<str>,
    found: Vec<Diagnostic>,
}

impl Report {
    fn new(file: Arc<str>, text: Arc<str>) -> Self {
        Self {
            file,
            text,
            found: Vec::new(),
        }
    }

    /// Records a problem; `help` says what to do, where there is something
    /// useful to say.
    fn push(
        &mut self,
        span: Range<usize>,
        code: ProblemCode,
        field: &str,
        message: String,
        help: impl Into<Option<String>>,
    ) {
        let mut found = Diagnostic::unlocated(self.file.clone(), span, code, field, message);
        found.help = help.into();
        self.found.push(found);
    }

    fn finish(self) -> Option<Problems> {
        (!self.found.is_empty()).then(|| Problems::new(self.text, self.found))
    }
}

impl PunchLog {
    /// Reads a log's text with `mapping` (none: the crate's own columns).
    /// Every problem is reported: the mapping's columns the header lacks (in
    /// the mapping file, when it came from one), and every bad row.
    pub fn read(file: &str, text: &str, mapping: Option<&Mapping>) -> Result<Self, LogError> {
        let own = Mapping::own();
        let mapping = mapping.unwrap_or(&own);
        let file: Arc<str> = Arc::from(file);
        let text: Arc<str> = Arc::from(text);
        let mut log = Self {
            file: file.clone(),
            text: text.clone(),
            events: Vec::new(),
            rows: Vec::new(),
            lines: Vec::new(),
            agent_column: 0,
            delimiter: mapping.columns.delimiter,
        };
        let mut report = Report::new(file, text.clone());
        let mut rows = reader(&text, mapping.columns.delimiter);
        let header = header(&mut rows, &mapping.columns, &mut report);
        let found = match header {
            Some((header, at)) => columns(mapping, &header, at, &mut report),
            None => Err(None),
        };
        match found {
            Ok(found) => {
                log.agent_column = found.agent;
                log.read_rows(rows, &mapping.columns, &found, &mut report);
            }
            Err(Some(problems)) => return Err(LogError::Invalid(vec![problems])),
            Err(None) => {}
        }
        match report.finish() {
            Some(problems) => Err(LogError::Invalid(vec![problems])),
            None => Ok(log),
        }
    }

    /// Reads a log file with `mapping`; problems name it by `path` as given.
    pub fn from_path(path: impl AsRef<Path>, mapping: Option<&Mapping>) -> Result<Self, LogError> {
        let path = path.as_ref();
        let text = crate::read_file(path, crate::DEFAULT_SIZE_LIMIT)?;
        Self::read(&path.display().to_string(), &text, mapping)
    }

    /// Every event, in the log's order.
    pub fn events(&self) -> &[AgentEvent] {
        &self.events
    }

    /// The events, to give to a scenario (`Scenario::punch_log`).
    pub fn into_events(self) -> Vec<AgentEvent> {
        self.events
    }

    /// The file, as named.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The 1-based line of event `index`'s row.
    pub fn line_of(&self, index: usize) -> Option<usize> {
        self.lines
            .get(index)
            .and_then(|&line| usize::try_from(line).ok())
    }

    /// Checks the log against the month it is for, when known: every agent
    /// among the scenario's, and a policy that states punch windows. Each
    /// problem is located at its row.
    ///
    /// ```
    /// use cs_policy::{Policy, Scenario};
    /// use cs_policy::facts::csv::PunchLog;
    /// let policy = Policy::example("shop")?;
    /// let month = Scenario::from_toml_str("m.toml", "year = 2026\nmonth = 3\n[[agents]]\nid = \"S01\"\n")?;
    /// let log = PunchLog::read("l.csv", "agent,time\nS01,2026-03-02 08:57\nS10,2026-03-02 08:58\n", None)?;
    /// let problems = log.check(Some(&month), Some(&policy)).unwrap_err();
    /// assert_eq!(problems.diagnostics()[0].to_string(), "l.csv:3:1: error[undefined-reference]: agent `S10` is not among the scenario's agents");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check(&self, month: Option<&Scenario>, policy: Option<&Policy>) -> Result<(), Problems> {
        let mut report = Report::new(self.file.clone(), self.text.clone());
        if policy.is_some_and(|p| p.shifts().and_then(|s| s.punches()).is_none()) {
            report.push(
                0..0,
                ProblemCode::UndefinedReference,
                "",
                "the policy states no punch windows, so a punch log cannot be assigned to shifts"
                    .into(),
                Some("add `[shifts.punches]` to the policy".into()),
            );
        }
        let Some(month) = month else {
            return report.finish().map_or(Ok(()), Err);
        };
        let agents: HashSet<&str> = month.agents.iter().map(|a| a.id.as_str()).collect();
        let ids: Vec<&str> = month.agents.iter().map(|a| a.id.as_str()).collect();
        let suggestions = Suggestions::default();
        for (e, &row) in self.events.iter().zip(&self.rows) {
            if agents.contains(e.agent.as_str()) {
                continue;
            }
            let span = cell_span(&self.text, row, self.agent_column, self.delimiter);
            let help = match suggestions.hint(&e.agent, ids.len(), || ids.clone()) {
                Hint::Closest(best) => format!("did you mean `{best}`?"),
                Hint::Known(_) | Hint::Spent => {
                    "add them under `[[agents]]` or correct the id".into()
                }
            };
            report.push(
                span,
                ProblemCode::UndefinedReference,
                "agent",
                format!("agent `{}` is not among the scenario's agents", e.agent),
                Some(help),
            );
        }
        report.finish().map_or(Ok(()), Err)
    }

    /// Reads every row after the header into an event, reporting each bad
    /// row.
    fn read_rows(
        &mut self,
        mut rows: ::csv::Reader<&[u8]>,
        c: &Columns,
        found: &Found,
        report: &mut Report,
    ) {
        let mut record = ::csv::StringRecord::new();
        let offset = bom(&self.text);
        loop {
            match rows.read_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(error) => {
                    let at = error.position().map_or(0, |p| p.byte() as usize) + offset;
                    report.push(at..at, ProblemCode::Syntax, "", tidy(&error), None);
                    break;
                }
            }
            let start = record.position().map_or(0, |p| p.byte() as usize) + offset;
            if record.iter().all(|cell| cell.trim().is_empty()) {
                continue;
            }
            let cell = |i: usize| cell_span(&self.text, start, i, c.delimiter);
            if record.len() != found.names.len() {
                let line_end = self.text[start..]
                    .find('\n')
                    .map_or(self.text.len(), |n| start + n);
                // A short row is missing the header's next column.
                let missing = found.names.get(record.len()).map_or("", String::as_str);
                report.push(
                    start..line_end,
                    ProblemCode::InvalidValue,
                    missing,
                    format!(
                        "the row has {} field(s), the header {}",
                        record.len(),
                        found.names.len()
                    ),
                    Some("give every row the header's columns; quote a cell that holds the separator".into()),
                );
                continue;
            }
            if let Some(event) = row_event(&record, c, found, &cell, report) {
                self.events.push(event);
                self.rows.push(start);
                self.lines
                    .push(record.position().map_or(0, ::csv::Position::line));
            }
        }
    }
}

/// The length of a byte order mark opening `text`.
fn bom(text: &str) -> usize {
    if text.starts_with('\u{feff}') { 3 } else { 0 }
}

fn tidy(error: &::csv::Error) -> String {
    let message = error.to_string();
    let first = message.lines().next().unwrap_or("").trim();
    first.strip_suffix('.').unwrap_or(first).to_lowercase()
}

/// A reader of the log's records, every line a record (the header found
/// by its line).
fn reader(text: &str, delimiter: u8) -> ::csv::Reader<&[u8]> {
    let body = &text[bom(text)..];
    ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(body.as_bytes())
}

/// The header's cells (trimmed) and where it starts; a log too short to
/// have one is reported.
fn header(
    rows: &mut ::csv::Reader<&[u8]>,
    c: &Columns,
    report: &mut Report,
) -> Option<(Vec<String>, usize)> {
    let mut record = ::csv::StringRecord::new();
    let offset = bom(&report.text);
    loop {
        match rows.read_record(&mut record) {
            Ok(true) => {
                let pos = record.position();
                if pos.map_or(0, |p| p.line()) >= c.header_line {
                    let at = pos.map_or(0, |p| p.byte() as usize) + offset;
                    let cells = record.iter().map(|h| h.trim().to_owned()).collect();
                    return Some((cells, at));
                }
            }
            Ok(false) => break,
            Err(error) => {
                let at = error.position().map_or(0, |p| p.byte() as usize) + offset;
                report.push(at..at, ProblemCode::Syntax, "", tidy(&error), None);
                return None;
            }
        }
    }
    let end = report.text.len();
    report.push(
        end..end,
        ProblemCode::MissingKey,
        "",
        format!("the log has no header at line {}", c.header_line),
        Some("start the log with a header naming its columns".into()),
    );
    None
}

/// Finds each column the mapping names in the header. A column the header
/// lacks is reported in the mapping file when the mapping came from one
/// (`Err(Some(..))`), else at the header.
fn columns(
    mapping: &Mapping,
    header: &[String],
    at: usize,
    report: &mut Report,
) -> Result<Found, Option<Problems>> {
    let names: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut origin = mapping
        .origin
        .as_ref()
        .map(|o| Report::new(o.file.clone(), o.text.clone()));
    let line_end = report.text[at..]
        .find('\n')
        .map_or(report.text.len(), |n| at + n);
    let mut find = |key: &'static str, column: &str, required: bool| {
        let hits: Vec<usize> = (0..names.len()).filter(|&i| names[i] == column).collect();
        if hits.len() == 1 || (hits.is_empty() && !required) {
            return hits.first().copied();
        }
        let (message, help) = column_problem(key, column, hits.len(), &names);
        let code = ProblemCode::UndefinedReference;
        let span = mapping
            .origin
            .as_ref()
            .and_then(|o| o.spans.iter().find(|(k, _)| *k == key));
        match (&mut origin, span) {
            (Some(r), Some((_, span))) => r.push(span.clone(), code, key, message, Some(help)),
            _ => report.push(at..line_end, code, key, message, Some(help)),
        }
        None
    };
    let mut got = Vec::new();
    for (key, column, required) in mapping.named() {
        got.push((key, find(key, column, required)));
    }
    let slot = |key: &str| got.iter().find(|(k, _)| *k == key).and_then(|(_, i)| *i);
    let missing = mapping
        .named()
        .iter()
        .any(|(k, _, req)| *req && slot(k).is_none());
    if let Some(problems) = origin.and_then(Report::finish) {
        return Err(Some(problems));
    }
    match (slot("agent"), slot("time")) {
        (Some(agent), Some(time)) if !missing => Ok(Found {
            agent,
            date: slot("date"),
            time,
            direction: slot("direction"),
            device: slot("device"),
            names: header.to_vec(),
        }),
        _ => Err(None),
    }
}

/// Why the mapping's `key`, naming `column`, matches `hits` columns of
/// the header (`names`) and not one, and what to do.
fn column_problem(key: &str, column: &str, hits: usize, names: &[&str]) -> (String, String) {
    if hits == 0 {
        let help = match closest(column, names) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("the header's columns: `{}`", names.join("`, `")),
        };
        return (
            format!("the log has no column `{column}` (the mapping's `{key}`)"),
            help,
        );
    }
    (
        format!("the log has {hits} columns named `{column}` (the mapping's `{key}`)"),
        "rename one of them in the export, or name another column".to_owned(),
    )
}

/// One row's event, or its problems reported.
fn row_event(
    record: &::csv::StringRecord,
    c: &Columns,
    found: &Found,
    cell: &dyn Fn(usize) -> Range<usize>,
    report: &mut Report,
) -> Option<AgentEvent> {
    let text = |i: usize| record.get(i).unwrap_or("").trim();
    let agent = text(found.agent);
    if agent.is_empty() {
        report.push(
            cell(found.agent),
            ProblemCode::MissingKey,
            &c.agent,
            format!("the row has no agent in column `{}`", c.agent),
            None,
        );
    }
    let time = match found.date {
        Some(d) => stamp(&format!("{} {}", text(d), text(found.time)), c),
        None => stamp(text(found.time), c),
    };
    if time.is_none() {
        let (at, written, column) = match found.date {
            Some(d) => (
                cell(d).start..cell(found.time).end,
                format!("{} {}", text(d), text(found.time)),
                format!("{}` and `{}", c.date.as_deref().unwrap_or(""), c.time),
            ),
            None => (
                cell(found.time),
                text(found.time).to_owned(),
                c.time.clone(),
            ),
        };
        let help = "write it as `2026-03-02 09:05`, `2026/3/2 9:05:12` or with a UTC offset (`2026-03-02T01:05:00Z`), or name its format in the mapping: `format = \"%d.%m.%Y %H:%M\"`";
        report.push(
            at,
            ProblemCode::InvalidValue,
            &c.time,
            format!("`{written}` in column `{column}` is not a date and time"),
            Some(help.into()),
        );
    }
    let direction = match found.direction {
        Some(i) => direction(text(i), c, cell(i), report)?,
        None => None,
    };
    let device = found
        .device
        .map(text)
        .filter(|d| !d.is_empty())
        .map(str::to_owned);
    Some(AgentEvent {
        agent: (!agent.is_empty()).then(|| agent.to_owned())?,
        time: time?,
        direction,
        device,
    })
}

/// A timestamp as the mapping reads it.
fn stamp(written: &str, c: &Columns) -> Option<Timestamp> {
    match &c.format {
        Some(format) => Timestamp::parse_with(written, format).ok(),
        None => written.parse().ok(),
    }
}

/// A direction cell: empty is none, else one of the mapping's words
/// (`None` when it is not, reported).
fn direction(
    word: &str,
    c: &Columns,
    span: Range<usize>,
    report: &mut Report,
) -> Option<Option<Direction>> {
    if word.is_empty() {
        return Some(None);
    }
    let is = |words: &[String]| words.iter().any(|w| w.eq_ignore_ascii_case(word));
    if is(&c.in_words) {
        return Some(Some(Direction::In));
    }
    if is(&c.out_words) {
        return Some(Some(Direction::Out));
    }
    let words: Vec<&str> = c
        .in_words
        .iter()
        .chain(&c.out_words)
        .map(String::as_str)
        .collect();
    let help = match closest(word, &words) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!(
            "the mapping's `directions` list `{}` as in and `{}` as out",
            c.in_words.join("`, `"),
            c.out_words.join("`, `")
        ),
    };
    let column = c.direction.as_deref().unwrap_or("direction");
    report.push(
        span,
        ProblemCode::InvalidValue,
        column,
        format!("`{word}` in column `{column}` is neither in nor out"),
        Some(help),
    );
    None
}

/// The byte range of cell `index` of the record starting at `start`,
/// quotes and all (a quoted cell may hold the separator).
fn cell_span(text: &str, start: usize, index: usize, delimiter: u8) -> Range<usize> {
    let bytes = text.as_bytes();
    let (mut i, mut field, mut from, mut quoted) = (start, 0, start, false);
    while let Some(&b) = bytes.get(i) {
        if quoted {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 2;
                    continue;
                }
                quoted = false;
            }
        } else if b == b'"' {
            quoted = true;
        } else if b == delimiter || b == b'\n' || b == b'\r' {
            if field == index {
                return from..i;
            }
            if b != delimiter {
                break;
            }
            field += 1;
            from = i + 1;
        }
        i += 1;
    }
    if field == index {
        from..i
    } else {
        start..start
    }
}
