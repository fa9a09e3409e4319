//! Reading a policy file: the `toml` crate's spanned tree walked by hand, so
//! that every problem is reported with its location instead of stopping at
//! the first.
//!
//! Domain modules read their section with [`Table`]: each `req`/`opt` call
//! names a key (which also marks it as known), and [`Table::finish`] reports
//! the keys nobody asked for, with a "did you mean" from the known ones.
//! A failed read reports its problem and returns `None`; a reader may carry on
//! with a default, because a file with any problem never becomes a `Policy`.

// Some helpers serve only the domain sections that use them.
#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};
use std::fmt::Display;
use std::ops::{Range, RangeInclusive};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock};

use chrono::{NaiveDate, NaiveTime, Weekday};
use rust_decimal::Decimal;
use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};

use super::diagnostic::{Diagnostic, ProblemCode};
use super::source::LineIndex;
use super::syntax::{Broken, syntax_problems};
use crate::explain::{ClauseBook, ClauseRef};

/// A parsed TOML document: the `toml` crate's spanned tree of tables.
pub(crate) type Doc<'i> = Spanned<DeTable<'i>>;

/// One value of a [`Doc`], with where it is written.
type Val<'i> = Spanned<DeValue<'i>>;

/// One empty table: what an absent table reads as while the format is
/// being recorded.
static EMPTY: LazyLock<Val<'static>> =
    LazyLock::new(|| Spanned::new(0..0, DeValue::Table(DeTable::new())));

/// The same empty table, as a table.
static EMPTY_TABLE: LazyLock<DeTable<'static>> = LazyLock::new(DeTable::new);

/// Parses `text`, recovering from errors: the tree holds everything that
/// could be read, and every problem is returned.
pub(crate) fn parse(text: &str) -> (Doc<'_>, Vec<toml::de::Error>) {
    DeTable::parse_recoverable(text)
}

/// Collects problems and clauses while a file is read.
pub(crate) struct Loader {
    file: Arc<str>,
    text: Arc<str>,
    /// Where each line starts, for the lines of clauses.
    lines: LineIndex,
    /// Where shared paths are assembled (see [`Node::shared_path`]).
    scratch: String,
    /// Lists of known keys given back by finished tables, for the next
    /// tables to fill: most tables would otherwise allocate one.
    spare_known: Vec<Vec<(&'static str, usize)>>,
    problems: Vec<Diagnostic>,
    pub(crate) clauses: ClauseBook,
    /// When on, every read also records what it expected (see [`Recorder`]).
    recorder: Option<Box<Recorder>>,
    /// "Did you mean" for the ids the file names but does not define.
    pub(crate) suggestions: Suggestions,
}

/// A just-reported problem, to which a help line may be added.
pub(crate) struct Reported<'l>(&'l mut Diagnostic);

impl Reported<'_> {
    /// Adds the help line: what the author should write instead.
    pub(crate) fn help(self, text: impl Into<String>) {
        self.0.help = Some(text.into());
    }
}

impl Loader {
    pub(crate) fn new(file: Arc<str>, text: Arc<str>) -> Self {
        Self {
            lines: LineIndex::new(&text),
            file,
            text,
            scratch: String::with_capacity(64),
            spare_known: Vec::new(),
            problems: Vec::new(),
            clauses: ClauseBook::default(),
            recorder: None,
            suggestions: Suggestions::default(),
        }
    }

    /// Whether reads are being recorded (and absent tables probed).
    pub(crate) fn recording(&self) -> bool {
        self.recorder.is_some()
    }

    /// Records that the value at the field path `path` is expected to have
    /// `shape`; does nothing unless recording.
    pub(crate) fn record_shape(&mut self, path: &str, shape: impl FnOnce() -> Shape) {
        // The shape is built only when recording: loading pays nothing for it.
        if let Some(rec) = &mut self.recorder {
            rec.node(path).add_shape(shape());
        }
    }

    /// Attaches a description to the value at the field path `path`, shown
    /// by editors from the format's JSON Schema; does nothing unless recording.
    pub(crate) fn describe(&mut self, path: &str, doc: &'static str) {
        if let Some(rec) = &mut self.recorder {
            let node = rec.node(path);
            if !node.docs.contains(&doc) {
                node.docs.push(doc);
            }
        }
    }

    /// Notes that the value at `path` is a clause.
    fn record_clause(&mut self, path: &str) {
        if let Some(rec) = &mut self.recorder {
            rec.node(path).clause = true;
        }
    }

    /// Records that the number at `path` must lie in `range`.
    fn expect_range<T: Display>(&mut self, path: &str, range: &RangeInclusive<T>) {
        if let Some(rec) = &mut self.recorder {
            let bounds = (range.start().to_string(), range.end().to_string());
            let node = rec.node(path);
            if !node.ranges.contains(&bounds) {
                node.ranges.push(bounds);
            }
        }
    }

    /// Records a problem at `span` in the field `field`.
    pub(crate) fn error(
        &mut self,
        code: ProblemCode,
        span: Range<usize>,
        field: &str,
        message: impl Into<String>,
    ) -> Reported<'_> {
        // Lines and columns are found for all problems at once, when they
        // are handed over (see `Problems::new`).
        self.problems.push(Diagnostic::unlocated(
            self.file.clone(),
            span,
            code,
            field,
            message.into(),
        ));
        let last = self.problems.len() - 1;
        Reported(&mut self.problems[last])
    }

    /// Reports TOML syntax errors, each on its first line; returns what
    /// they broke, so that the problems that follow from them can be dropped.
    pub(crate) fn syntax_errors(&mut self, doc: &Doc<'_>, syntax: Vec<toml::de::Error>) -> Broken {
        let (said, broken) = syntax_problems(doc, &self.text, &self.lines, syntax);
        for problem in said {
            let reported = self.error(ProblemCode::Syntax, problem.span, "", problem.message);
            if let Some(help) = problem.help {
                reported.help(help);
            }
        }
        broken
    }

    /// Keeps only the problems `keep` accepts.
    pub(crate) fn retain(&mut self, keep: impl FnMut(&Diagnostic) -> bool) {
        self.problems.retain(keep);
    }

    pub(crate) fn has_problems(&self) -> bool {
        !self.problems.is_empty()
    }

    pub(crate) fn text(&self) -> &Arc<str> {
        &self.text
    }

    pub(crate) fn into_parts(self) -> (Vec<Diagnostic>, ClauseBook) {
        (self.problems, self.clauses)
    }

    /// The first line of `span` (up to its end), where problems about a
    /// table as a whole point.
    pub(crate) fn header_span(&self, span: &Range<usize>) -> Range<usize> {
        let start = span.start.min(self.text.len());
        let end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |n| start + n)
            .min(span.end.max(start));
        start..end.max(start)
    }

    /// The 1-based line of a byte offset.
    pub(crate) fn line_of(&self, offset: usize) -> usize {
        self.lines.line_of(offset)
    }

    /// The byte range of a 1-based line, without its line break.
    pub(crate) fn line_span(&self, line: usize) -> Range<usize> {
        self.lines.line_span(line, &self.text)
    }

    /// Where each line of the text starts.
    pub(crate) fn lines(&self) -> &LineIndex {
        &self.lines
    }

    /// Registers `table` as a clause: its path is the clause id, and its
    /// optional `label` and `source` keys describe it.
    pub(crate) fn clause(&mut self, table: &mut Table<'_, '_>) -> ClauseRef {
        self.clause_under(table, None)
    }

    /// Registers `table` as a clause inside `parent`, whose source it inherits
    /// when it gives none of its own.
    pub(crate) fn clause_under(
        &mut self,
        table: &mut Table<'_, '_>,
        parent: Option<ClauseRef>,
    ) -> ClauseRef {
        if self.recording() {
            self.record_clause(table.path());
            self.describe(&table.field("label"), LABEL_DOC);
            self.describe(&table.field("source"), SOURCE_DOC);
        }
        let label = table.opt_text(self, "label").map(Box::from);
        let source = match table.opt_text(self, "source") {
            Some(own) => Some(Arc::from(own)),
            None => parent.and_then(|p| self.clauses.shared_source(p)),
        };
        let line = self.line_of(table.span.start);
        self.clauses.add(table.path(), label, source, line)
    }

    /// Registers a clause that has no table of its own (one value in a list,
    /// say), inheriting its parent's source.
    pub(crate) fn clause_at(
        &mut self,
        id: String,
        label: Option<String>,
        span: &Range<usize>,
        parent: Option<ClauseRef>,
    ) -> ClauseRef {
        self.record_clause(&id);
        let source = parent.and_then(|p| self.clauses.shared_source(p));
        let line = self.line_of(span.start);
        self.clauses
            .add(&id, label.map(String::into_boxed_str), source, line)
    }
}

/// One value in the file, with its field path.
///
/// The path is built only when asked for ([`Node::path`]): most values are
/// read without a problem, and building a `String` for every one of them
/// cost as much as reading them.
#[derive(Clone)]
pub(crate) struct Node<'a, 'i> {
    value: &'a Val<'i>,
    /// The path of the table or array that holds the value, shared by all
    /// its values.
    parent: Rc<str>,
    /// Where the value sits in its parent.
    step: Step<'a>,
}

/// Where a [`Node`] sits in the table or array that holds it.
#[derive(Clone, Copy)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// A value that keeps where it was written, for checks that run after the
/// whole section is read (overlaps, order, totals).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Located<T> {
    pub(crate) value: T,
    pub(crate) span: Range<usize>,
    pub(crate) path: String,
}

impl<'a, 'i> Node<'a, 'i> {
    /// The value's dotted field path, such as `leave.types.marriage.days[2]`.
    pub(crate) fn path(&self) -> String {
        let mut path = String::with_capacity(self.parent.len() + 16);
        self.write_path(&mut path);
        path
    }

    /// The path, shared by the values of this table or array: written into
    /// the loader's scratch buffer and copied once into its `Rc`.
    fn shared_path(&self, ld: &mut Loader) -> Rc<str> {
        ld.scratch.clear();
        self.write_path(&mut ld.scratch);
        Rc::from(ld.scratch.as_str())
    }

    /// Appends the path to `out`: `parent.key`, `key` at the top level, or
    /// `parent[i]`.
    fn write_path(&self, out: &mut String) {
        use std::fmt::Write as _;
        out.push_str(&self.parent);
        match self.step {
            Step::Key(key) => {
                if !self.parent.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Step::Index(i) => {
                let _ = write!(out, "[{i}]");
            }
        }
    }

    pub(crate) fn span(&self) -> Range<usize> {
        self.value.span()
    }

    pub(crate) fn get_ref(&self) -> &'a DeValue<'i> {
        self.value.get_ref()
    }

    /// Reads the value as `T`, reporting a problem if it is not one.
    pub(crate) fn read<T: FromToml>(&self, ld: &mut Loader) -> Option<T> {
        if ld.recording() {
            ld.record_shape(&self.path(), T::shape);
        }
        T::from_toml(self, ld)
    }

    /// Reports that the value has the wrong type.
    pub(crate) fn wrong_type(&self, ld: &mut Loader, expected: &str) {
        let path = self.path();
        let found = describe(self.get_ref(), self.written(ld));
        ld.error(
            ProblemCode::WrongType,
            self.span(),
            &path,
            format!("`{path}` should be {expected}, found {found}"),
        );
    }

    /// Records that this value has the right type but is not a valid one.
    pub(crate) fn invalid<'l>(&self, ld: &'l mut Loader, message: String) -> Reported<'l> {
        ld.error(
            ProblemCode::InvalidValue,
            self.span(),
            &self.path(),
            message,
        )
    }

    /// The value as written in the file (`0x32`, not `50`).
    pub(crate) fn written<'t>(&self, ld: &'t Loader) -> &'t str {
        ld.text.get(self.span()).unwrap_or_default()
    }

    /// Reads the value as a table.
    pub(crate) fn table(&self, ld: &mut Loader) -> Option<Table<'a, 'i>> {
        if ld.recording() {
            ld.record_shape(&self.path(), || Shape::Table);
        }
        match self.get_ref() {
            DeValue::Table(table) => Some(Table {
                table,
                span: self.span(),
                path: self.shared_path(ld),
                // Most tables are read with a handful of keys: one
                // allocation instead of growing from 4 to 8 to 16, and
                // none when a finished table gave its list back.
                known: ld
                    .spare_known
                    .pop()
                    .unwrap_or_else(|| Vec::with_capacity(8)),
                read: 0,
                required: Vec::new(),
            }),
            _ => {
                self.wrong_type(ld, "a table");
                None
            }
        }
    }

    /// Reads the value as an array, each element with its indexed path.
    pub(crate) fn array(&self, ld: &mut Loader) -> Option<Vec<Node<'a, 'i>>> {
        if ld.recording() {
            ld.record_shape(&self.path(), || Shape::Array(Box::new(Shape::Any)));
        }
        match self.get_ref() {
            DeValue::Array(items) => {
                // One path for the whole array; each element adds its index
                // only when its own path is asked for.
                let parent: Rc<str> = self.shared_path(ld);
                Some(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, value)| Node {
                            value,
                            parent: parent.clone(),
                            step: Step::Index(i),
                        })
                        .collect(),
                )
            }
            _ => {
                self.wrong_type(ld, "an array");
                None
            }
        }
    }

    /// Reads the value as money: a quoted decimal string or an integer, never
    /// a float, which cannot hold every amount exactly.
    pub(crate) fn money(&self, ld: &mut Loader) -> Option<Decimal> {
        if ld.recording() {
            ld.record_shape(&self.path(), || Shape::Money { negative: true });
        }
        self.money_value(ld)
    }

    /// [`Node::money`] without recording, so that [`Node::amount`] records
    /// only its own shape.
    fn money_value(&self, ld: &mut Loader) -> Option<Decimal> {
        match self.get_ref() {
            DeValue::Float(f) => {
                let f = f.as_str();
                let path = self.path();
                ld.error(
                    ProblemCode::FloatMoney,
                    self.span(),
                    &path,
                    format!(
                        "money in `{path}` is written as a float, which cannot hold every amount exactly"
                    ),
                )
                .help(format!("write the amount as a string: `\"{f}\"`"));
                None
            }
            DeValue::String(_) | DeValue::Integer(..) => {
                let amount = Decimal::from_toml(self, ld)?;
                Some(amount)
            }
            _ => {
                self.wrong_type(
                    ld,
                    "an amount (a quoted decimal such as `\"20.00\"`, or an integer)",
                );
                None
            }
        }
    }

    /// Reads money that may not be negative.
    pub(crate) fn amount(&self, ld: &mut Loader) -> Option<Decimal> {
        if ld.recording() {
            ld.record_shape(&self.path(), || Shape::Money { negative: false });
        }
        let value = self.money_value(ld)?;
        if value.is_sign_negative() && !value.is_zero() {
            let path = self.path();
            ld.error(
                ProblemCode::OutOfRange,
                self.span(),
                &path,
                format!("`{path}` is a negative amount `{value}`"),
            )
            .help("amounts are written as positive numbers; whether they are paid or deducted follows from the clause");
            return None;
        }
        Some(value)
    }

    /// Reads a value of `T` and checks that it lies in `range`.
    pub(crate) fn read_in<T>(&self, ld: &mut Loader, range: RangeInclusive<T>) -> Option<T>
    where
        T: FromToml + PartialOrd + Display,
    {
        if ld.recording() {
            ld.expect_range(&self.path(), &range);
        }
        let value = self.read::<T>(ld)?;
        if !range.contains(&value) {
            let path = self.path();
            ld.error(
                ProblemCode::OutOfRange,
                self.span(),
                &path,
                format!(
                    "`{path}` is `{value}`, outside {} to {}",
                    range.start(),
                    range.end()
                ),
            );
            return None;
        }
        Some(value)
    }

    pub(crate) fn located<T>(&self, value: T) -> Located<T> {
        Located {
            value,
            span: self.span(),
            path: self.path(),
        }
    }
}

/// How problems with a `[low, high]` pair speak of it (see
/// [`Table::req_pair`]).
pub(crate) struct PairWords {
    /// The lower bound, which the help asks for first ("smaller").
    pub(crate) lower: &'static str,
    /// What the pair holds, and in which order ("minutes, smaller first").
    pub(crate) holds: &'static str,
    /// A pair to copy ("[5, 10]").
    pub(crate) example: &'static str,
}

/// A table being read; see the module docs.
pub(crate) struct Table<'a, 'i> {
    /// The keys and values, looked up by key.
    table: &'a DeTable<'i>,
    pub(crate) span: Range<usize>,
    /// Shared with the nodes read from the table (see [`Node`]).
    path: Rc<str>,
    /// Every key asked for, with the address of its entry (0 when absent),
    /// so that an entry read twice is counted once.
    known: Vec<(&'static str, usize)>,
    /// How many of the table's entries [`Table::node`] has read: when they
    /// are all of the table's, no key can be unknown and `finish` looks no
    /// further (a table's keys compared with every known name cost a load
    /// more than anything else it checks).
    read: usize,
    /// Keys read with `req*`, noted only while recording.
    required: Vec<&'static str>,
}

impl<'a, 'i> Table<'a, 'i> {
    pub(crate) fn root(doc: &'a Doc<'i>) -> Self {
        Self {
            table: doc.get_ref(),
            span: doc.span(),
            path: Rc::from(""),
            known: Vec::new(),
            read: 0,
            required: Vec::new(),
        }
    }

    /// An empty table standing for an absent one while probing.
    fn probe(path: String) -> Self {
        Self {
            table: &EMPTY_TABLE,
            span: 0..0,
            path: Rc::from(path),
            known: Vec::new(),
            read: 0,
            required: Vec::new(),
        }
    }

    /// The table's dotted field path (empty at the top level).
    pub(crate) fn path(&self) -> &str {
        &self.path
    }

    /// The dotted path of `key` in this table.
    pub(crate) fn field(&self, key: &str) -> String {
        join(&self.path, key)
    }

    /// The value under `key`, if present; marks the key as known.
    pub(crate) fn node(&mut self, key: &'static str) -> Option<Node<'a, 'i>> {
        let value = self.table.get(key);
        let at = value.map_or(0, |v| std::ptr::from_ref(v) as usize);
        if at != 0 && !self.known.iter().any(|(_, seen)| *seen == at) {
            self.read += 1;
        }
        self.known.push((key, at));
        Some(Node {
            value: value?,
            parent: self.path.clone(),
            step: Step::Key(key),
        })
    }

    /// Attaches a description to `key`, for the format's JSON Schema (what
    /// editors show); costs nothing unless the format is being recorded.
    pub(crate) fn describe(&self, ld: &mut Loader, key: &str, doc: &'static str) {
        if ld.recording() {
            ld.describe(&self.field(key), doc);
        }
    }

    /// Marks `key` as known without reading it (read elsewhere).
    pub(crate) fn allow(&mut self, key: &'static str) {
        self.known.push((key, 0));
    }

    pub(crate) fn contains(&self, key: &str) -> bool {
        self.table.contains_key(key)
    }

    /// The value under `key`, reporting its absence.
    pub(crate) fn req_node(&mut self, ld: &mut Loader, key: &'static str) -> Option<Node<'a, 'i>> {
        if ld.recording() {
            self.required.push(key);
        }
        let node = self.node(key);
        if node.is_none() {
            self.missing(ld, key);
        }
        node
    }

    /// Reports that `key` is missing from this table.
    pub(crate) fn missing<'l>(&self, ld: &'l mut Loader, key: &str) -> Reported<'l> {
        let span = self.header_span(ld);
        let field = self.field(key);
        let message = if self.path.is_empty() {
            format!("missing key `{key}`")
        } else {
            format!("missing key `{key}` in `{}`", self.path)
        };
        ld.error(ProblemCode::MissingKey, span, &field, message)
    }

    /// Where to point at this table as a whole: its header line.
    pub(crate) fn header_span(&self, ld: &Loader) -> Range<usize> {
        ld.header_span(&self.span)
    }

    /// Reports that this table does not state `key`, a choice the source
    /// handbook leaves open; the caller adds the help line.
    pub(crate) fn unstated<'l>(&self, ld: &'l mut Loader, key: &str) -> Reported<'l> {
        let span = self.header_span(ld);
        ld.error(
            ProblemCode::UnstatedChoice,
            span,
            &self.field(key),
            format!(
                "`{}` does not state `{key}`, a choice the source leaves open",
                self.path
            ),
        )
    }

    /// Reads a choice the source handbook leaves open, so the policy must
    /// state it: when absent it is reported as an unstated choice, with the
    /// words to choose from. `what` says what the choice decides.
    pub(crate) fn req_choice<T: Choice>(
        &mut self,
        ld: &mut Loader,
        key: &'static str,
        what: &str,
    ) -> Option<T> {
        if ld.recording() {
            self.required.push(key);
        }
        self.record_shape(ld, key, T::shape);
        match self.node(key) {
            Some(node) => node.read(ld),
            None => {
                let words: Vec<&str> = T::CHOICES.iter().map(|(w, _)| *w).collect();
                self.unstated(ld, key).help(format!(
                    "state {what}: `{key} = \"{}\"`",
                    words.join(&format!("\"` or `{key} = \"")),
                ));
                None
            }
        }
    }

    /// Reads a choice the source handbook leaves open, which the policy
    /// must state: when absent it is reported as an unstated choice, with
    /// `help` saying how to state it.
    pub(crate) fn stated<T: FromToml>(
        &mut self,
        ld: &mut Loader,
        key: &'static str,
        help: &str,
    ) -> Option<T> {
        match self.node(key) {
            Some(n) => n.read(ld),
            None => {
                self.unstated(ld, key).help(help);
                None
            }
        }
    }

    pub(crate) fn req<T: FromToml>(&mut self, ld: &mut Loader, key: &'static str) -> Option<T> {
        self.record_shape(ld, key, T::shape);
        self.req_node(ld, key)?.read(ld)
    }

    /// An optional string, borrowed from the file rather than copied.
    pub(crate) fn opt_text(&mut self, ld: &mut Loader, key: &'static str) -> Option<&'a str> {
        self.record_shape(ld, key, String::shape);
        let node = self.node(key)?;
        match node.get_ref() {
            DeValue::String(text) => Some(text.as_ref()),
            _ => {
                node.wrong_type(ld, "a string");
                None
            }
        }
    }

    pub(crate) fn opt<T: FromToml>(&mut self, ld: &mut Loader, key: &'static str) -> Option<T> {
        self.record_shape(ld, key, T::shape);
        self.node(key)?.read(ld)
    }

    /// Records the shape a read expects under `key`, present or not.
    fn record_shape(&self, ld: &mut Loader, key: &str, shape: impl FnOnce() -> Shape) {
        if ld.recording() {
            ld.record_shape(&self.field(key), shape);
        }
    }

    fn expect_in<T: FromToml + Display>(
        &self,
        ld: &mut Loader,
        key: &str,
        range: &RangeInclusive<T>,
    ) {
        if ld.recording() {
            let field = self.field(key);
            ld.record_shape(&field, T::shape);
            ld.expect_range(&field, range);
        }
    }

    pub(crate) fn opt_or<T: FromToml>(
        &mut self,
        ld: &mut Loader,
        key: &'static str,
        default: T,
    ) -> T {
        self.opt(ld, key).unwrap_or(default)
    }

    /// [`Table::opt_in`] of a key that must be there: its absence is
    /// reported.
    pub(crate) fn req_in<T: FromToml + PartialOrd + Display>(
        &mut self,
        ld: &mut Loader,
        key: &'static str,
        range: RangeInclusive<T>,
    ) -> Option<T> {
        if ld.recording() {
            self.required.push(key);
        }
        if !self.contains(key) {
            self.missing(ld, key);
        }
        self.opt_in(ld, key, range)
    }

    /// Reads the value under `key`, if present, and checks that it lies in
    /// `range`.
    pub(crate) fn opt_in<T: FromToml + PartialOrd + Display>(
        &mut self,
        ld: &mut Loader,
        key: &'static str,
        range: RangeInclusive<T>,
    ) -> Option<T> {
        self.expect_in(ld, key, &range);
        self.node(key)?.read_in(ld, range)
    }

    /// Reads a required `[low, high]` pair of whole numbers: a pair written
    /// high first is reported and read swapped; a missing or malformed one
    /// reads as `(0, 0)` once reported.
    pub(crate) fn req_pair(
        &mut self,
        ld: &mut Loader,
        key: &'static str,
        words: &PairWords,
    ) -> (u32, u32) {
        let Some(node) = self.req_node(ld, key) else {
            return (0, 0);
        };
        let Some(v) = node.read::<Vec<u32>>(ld) else {
            return (0, 0);
        };
        match v.as_slice() {
            [a, b] if a <= b => (*a, *b),
            [a, b] => {
                ld.error(
                    ProblemCode::OutOfOrder,
                    node.span(),
                    &node.path(),
                    format!("`{}` runs from {a} down to {b}", node.path()),
                )
                .help(format!(
                    "write the {} bound first: `[{b}, {a}]`",
                    words.lower
                ));
                (*b, *a)
            }
            _ => {
                let path = node.path();
                node.invalid(
                    ld,
                    format!("`{path}` should be two numbers of {}", words.holds),
                )
                .help(format!("write it as `{}`", words.example));
                (0, 0)
            }
        }
    }

    pub(crate) fn req_amount(&mut self, ld: &mut Loader, key: &'static str) -> Option<Decimal> {
        self.record_shape(ld, key, || Shape::Money { negative: false });
        self.req_node(ld, key)?.amount(ld)
    }

    pub(crate) fn opt_amount(&mut self, ld: &mut Loader, key: &'static str) -> Option<Decimal> {
        self.record_shape(ld, key, || Shape::Money { negative: false });
        self.node(key)?.amount(ld)
    }

    pub(crate) fn req_money(&mut self, ld: &mut Loader, key: &'static str) -> Option<Decimal> {
        self.record_shape(ld, key, || Shape::Money { negative: true });
        self.req_node(ld, key)?.money(ld)
    }

    pub(crate) fn opt_money(&mut self, ld: &mut Loader, key: &'static str) -> Option<Decimal> {
        self.record_shape(ld, key, || Shape::Money { negative: true });
        self.node(key)?.money(ld)
    }

    pub(crate) fn req_table(
        &mut self,
        ld: &mut Loader,
        key: &'static str,
    ) -> Option<Table<'a, 'i>> {
        self.record_shape(ld, key, || Shape::Table);
        match self.req_node(ld, key) {
            Some(node) => node.table(ld),
            None => self.probe_absent(ld, key),
        }
    }

    pub(crate) fn opt_table(
        &mut self,
        ld: &mut Loader,
        key: &'static str,
    ) -> Option<Table<'a, 'i>> {
        self.record_shape(ld, key, || Shape::Table);
        match self.node(key) {
            Some(node) => node.table(ld),
            None => self.probe_absent(ld, key),
        }
    }

    /// While recording, an absent table is read as an empty one, so that its
    /// reader records the keys it would read there.
    fn probe_absent(&self, ld: &Loader, key: &str) -> Option<Table<'a, 'i>> {
        ld.recording().then(|| Table::probe(self.field(key)))
    }

    /// The elements of an optional array (empty when absent).
    pub(crate) fn array(&mut self, ld: &mut Loader, key: &'static str) -> Vec<Node<'a, 'i>> {
        self.record_shape(ld, key, || Shape::Array(Box::new(Shape::Any)));
        let mut items = self.node(key).and_then(|n| n.array(ld)).unwrap_or_default();
        if items.is_empty() && ld.recording() {
            // Probing: one empty element, so that the element reader records too.
            items.push(Node {
                value: &EMPTY,
                parent: Rc::from(self.field(key)),
                step: Step::Index(0),
            });
        }
        items
    }

    /// The elements of an optional array of tables (empty when absent).
    pub(crate) fn tables(&mut self, ld: &mut Loader, key: &'static str) -> Vec<Table<'a, 'i>> {
        self.array(ld, key)
            .into_iter()
            .filter_map(|n| n.table(ld))
            .collect()
    }

    /// Reads an optional table whose every key is an id the file chooses
    /// (`[leave.types.marriage]`), each value a table, in file order.
    pub(crate) fn ids(
        &mut self,
        ld: &mut Loader,
        key: &'static str,
    ) -> Vec<(Located<String>, Table<'a, 'i>)> {
        self.record_shape(ld, key, || Shape::Table);
        match self.opt_table(ld, key) {
            Some(table) => table.entries(ld),
            None => Vec::new(),
        }
    }

    /// Every entry of this table read as an id and a table, in file order.
    pub(crate) fn entries(self, ld: &mut Loader) -> Vec<(Located<String>, Table<'a, 'i>)> {
        let mut out = Vec::with_capacity(self.table.len());
        if let Some(rec) = &mut ld.recorder {
            rec.node(&self.path).add_shape(Shape::Table);
            for key in self.table.keys() {
                rec.entry(&self.path, self.field(key.get_ref()));
            }
        }
        // Ids come back in the order their keys were last written (a
        // `[header]` after a deeper one moves its key there).
        let mut in_file_order: Vec<(&Spanned<DeString<'i>>, &Val<'i>)> =
            self.table.iter().collect();
        in_file_order.sort_by_key(|(key, _)| key.span().start);
        for (key, value) in in_file_order {
            let node = Node {
                value,
                parent: self.path.clone(),
                step: Step::Key(key.get_ref()),
            };
            let id = Located {
                value: key.get_ref().to_string(),
                span: key.span(),
                path: node.path(),
            };
            if let Some(table) = node.table(ld) {
                out.push((id, table));
            }
        }
        if out.is_empty() {
            if let Some(rec) = &mut ld.recorder {
                // Probing: one entry with a made-up id, so that the entry
                // reader records too.
                let path = self.field(PROBE_ID);
                rec.entry(&self.path, path.clone());
                rec.node(&path).add_shape(Shape::Table);
                let id = Located {
                    value: PROBE_ID.to_owned(),
                    span: 0..0,
                    path: path.clone(),
                };
                out.push((id, Table::probe(path)));
            }
        }
        out
    }

    /// Reports every key in the table that no read asked for.
    pub(crate) fn finish(mut self, ld: &mut Loader) {
        if let Some(rec) = &mut ld.recorder {
            rec.visit(&self.path, &self.known_keys(), &self.required);
        }
        if self.read != self.table.len() {
            self.report_unknown(ld);
        }
        self.known.clear();
        ld.spare_known.push(self.known);
    }

    /// The keys asked for, as named.
    fn known_keys(&self) -> Vec<&'static str> {
        self.known.iter().map(|(key, _)| *key).collect()
    }

    /// Reports the keys that no read asked for, each with the closest known
    /// one.
    fn report_unknown(&self, ld: &mut Loader) {
        let known = self.known_keys();
        for key in self.table.keys() {
            let name: &str = key.get_ref();
            if known.contains(&name) {
                continue;
            }
            let field = self.field(name);
            let where_ = if self.path.is_empty() {
                "at the top level".to_owned()
            } else {
                format!("in `{}`", self.path)
            };
            let reported = ld.error(
                ProblemCode::UnknownKey,
                key.span(),
                &field,
                format!("unknown key `{name}` {where_}"),
            );
            match closest(name, &known) {
                Some(best) => reported.help(format!("did you mean `{best}`?")),
                None if !known.is_empty() => {
                    let mut known: Vec<&str> = known.clone();
                    known.sort_unstable();
                    known.dedup();
                    reported.help(format!("known keys here: `{}`", known.join("`, `")));
                }
                None => {}
            }
        }
    }
}

/// `path.key`, or `key` at the top level.
fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        return key.to_owned();
    }
    // Built by hand: `format!` costs several times as much.
    let mut field = String::with_capacity(path.len() + 1 + key.len());
    field.push_str(path);
    field.push('.');
    field.push_str(key);
    field
}

/// How many known names the "did you mean" suggestions for one file may
/// look through in all. Each suggestion looks through every known name,
/// so a hostile file with thousands of unknown names against thousands of
/// defined ones would cost their product; past the budget, a problem says
/// where the names are defined instead.
const SUGGESTION_BUDGET: usize = 1 << 20;

/// "Did you mean" suggestions for one file, within a budget of known names
/// looked through (see [`SUGGESTION_BUDGET`]). The budget is shared by the
/// threads that check a file's lines side by side.
#[derive(Debug)]
pub(crate) struct Suggestions {
    left: AtomicUsize,
}

impl Default for Suggestions {
    fn default() -> Self {
        Self {
            left: AtomicUsize::new(SUGGESTION_BUDGET),
        }
    }
}

/// What to say of a name that the known names lack.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Hint<'k> {
    /// The known name close enough to be what was meant.
    Closest(&'k str),
    /// None is close: the known names, to list.
    Known(Vec<&'k str>),
    /// The file has used up its budget: say where the names are defined.
    Spent,
}

impl Hint<'_> {
    /// The help for a name of the `things` defined under `under` that the
    /// file does not define: the close one, the list, or where to look.
    pub(crate) fn help(&self, things: &str, under: &str) -> String {
        match self {
            Hint::Closest(best) => format!("did you mean `{best}`?"),
            Hint::Known(ids) => format!("defined {things}: `{}`", ids.join("`, `")),
            Hint::Spent => format!("the {things} are defined under `{under}`"),
        }
    }
}

impl Suggestions {
    /// What to say of `name`, which the `count` names `known` gives lack:
    /// looking through them and listing them each take their number from
    /// the budget; `known` is not called once it is spent.
    pub(crate) fn hint<'k>(
        &self,
        name: &str,
        count: usize,
        known: impl FnOnce() -> Vec<&'k str>,
    ) -> Hint<'k> {
        let cost = count.saturating_mul(2);
        let taken = self
            .left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(cost)
            });
        if taken.is_err() {
            self.left.store(0, Ordering::Relaxed);
            return Hint::Spent;
        }
        let known = known();
        match closest(name, &known) {
            Some(best) => Hint::Closest(best),
            None => Hint::Known(known),
        }
    }
}

/// The known name closest to `name`, if it is close enough to be a typo.
///
/// Typos are edits, insertions, deletions and swaps of neighbours (optimal
/// string alignment); a name whose length differs by more than the allowed
/// distance is passed over uncompared, as thousands of unknown keys are.
pub(crate) fn closest<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    let length = name.chars().count();
    known
        .iter()
        .filter_map(|k| {
            let allowed = (k.chars().count() / 3).max(1);
            if length.abs_diff(k.chars().count()) > allowed {
                return None;
            }
            let distance = strsim::osa_distance(name, k);
            (distance <= allowed).then_some((distance, *k))
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// What a value is, for a problem that it is the wrong type: numbers as
/// they are `written`, so that `0x32` is not shown as `32`.
fn describe(value: &DeValue<'_>, written: &str) -> String {
    match value {
        DeValue::String(s) => format!("the string `\"{s}\"`"),
        DeValue::Integer(_) => format!("the integer `{written}`"),
        DeValue::Float(_) => format!("the float `{written}`"),
        DeValue::Boolean(b) => format!("`{b}`"),
        DeValue::Datetime(d) => format!("the datetime `{d}`"),
        DeValue::Array(..) => "an array".to_owned(),
        DeValue::Table(..) => "a table".to_owned(),
    }
}

/// A value that can be read from one TOML value.
pub(crate) trait FromToml: Sized {
    fn from_toml(node: &Node<'_, '_>, ld: &mut Loader) -> Option<Self>;

    /// What the value looks like in the file, for the format's JSON Schema;
    /// [`Shape::Any`] when a type does not say.
    fn shape() -> Shape {
        Shape::Any
    }
}

/// A closed set of words a field may take, such as `calendar_month`.
///
/// Implement it for a fieldless enum to read it with [`Table::req`]; an
/// unknown word is reported with the closest known one.
pub(crate) trait Choice: Copy + 'static {
    /// What the field is, for messages ("a window", "a weekday").
    const WHAT: &'static str;
    /// Every word and the value it means.
    const CHOICES: &'static [(&'static str, Self)];
}

/// Declares a fieldless enum that is a [`Choice`], from one list of its
/// variants, each with the word that names it in a policy:
///
/// ```text
/// choices! {
///     /// How money is rounded.
///     #[derive(Clone, Copy)]
///     pub enum Rounding as "a rounding mode" {
///         /// Halves go up.
///         HalfUp => "half_up",
///     }
/// }
/// ```
///
/// A word must be the variant's name in `snake_case`, which is also its
/// serde name when the enum derives serde with `rename_all = "snake_case"`:
/// the build fails otherwise, so a file and a JSON result name a choice alike.
macro_rules! choices {
    (
        $(#[$attr:meta])*
        $vis:vis enum $name:ident as $what:literal {
            $($(#[$variant_attr:meta])* $variant:ident => $word:literal,)+
        }
    ) => {
        $(#[$attr])*
        $vis enum $name {
            $($(#[$variant_attr])* $variant,)+
        }

        impl $crate::policy::read::Choice for $name {
            const WHAT: &'static str = $what;
            const CHOICES: &'static [(&'static str, Self)] = &[$(($word, Self::$variant)),+];
        }

        $(const _: () = assert!(
            $crate::policy::read::is_snake_case_of($word, stringify!($variant)),
            concat!("`", $word, "` is not `", stringify!($variant), "` in snake_case"),
        );)+
    };
}
pub(crate) use choices;

/// Whether `word` is `ident` in `snake_case` as serde writes it: a `_`
/// before each capital but the first, and every letter lower case.
pub(crate) const fn is_snake_case_of(word: &str, ident: &str) -> bool {
    let (word, ident) = (word.as_bytes(), ident.as_bytes());
    let (mut w, mut i) = (0, 0);
    while i < ident.len() {
        let c = ident[i];
        if c.is_ascii_uppercase() && i > 0 {
            if w >= word.len() || word[w] != b'_' {
                return false;
            }
            w += 1;
        }
        if w >= word.len() || word[w] != c.to_ascii_lowercase() {
            return false;
        }
        w += 1;
        i += 1;
    }
    w == word.len()
}

impl<T: Choice> FromToml for T {
    fn shape() -> Shape {
        Shape::Words {
            what: T::WHAT,
            words: T::CHOICES.iter().map(|(w, _)| *w).collect(),
        }
    }

    fn from_toml(node: &Node<'_, '_>, ld: &mut Loader) -> Option<Self> {
        let DeValue::String(word) = node.get_ref() else {
            node.wrong_type(ld, &format!("{} (a string)", T::WHAT));
            return None;
        };
        if let Some((_, value)) = T::CHOICES.iter().find(|(w, _)| *w == word.as_ref()) {
            return Some(*value);
        }
        let words: Vec<&str> = T::CHOICES.iter().map(|(w, _)| *w).collect();
        let reported = node.invalid(
            ld,
            format!("`{word}` is not {} in `{}`", T::WHAT, node.path()),
        );
        match closest(word, &words) {
            Some(best) => reported.help(format!("did you mean `{best}`?")),
            None => reported.help(format!("expected one of `{}`", words.join("`, `"))),
        }
        None
    }
}

/// A value read as it stands when the TOML value has the one right type.
macro_rules! plain_value {
    ($t:ty, $shape:expr, $variant:ident($v:ident) => $read:expr, $expected:literal) => {
        impl FromToml for $t {
            fn shape() -> Shape {
                $shape
            }

            fn from_toml(node: &Node<'_, '_>, ld: &mut Loader) -> Option<Self> {
                let DeValue::$variant($v) = node.get_ref() else {
                    node.wrong_type(ld, $expected);
                    return None;
                };
                Some($read)
            }
        }
    };
}

plain_value!(String, Shape::String, String(s) => s.to_string(), "a string");
plain_value!(bool, Shape::Bool, Boolean(b) => *b, "`true` or `false`");

macro_rules! integer {
    ($($t:ty),*) => {$(
        impl FromToml for $t {
            fn shape() -> Shape {
                Shape::Integer {
                    min: i128::from(<$t>::MIN),
                    max: i128::from(<$t>::MAX),
                }
            }

            fn from_toml(node: &Node<'_, '_>, ld: &mut Loader) -> Option<Self> {
                let DeValue::Integer(i) = node.get_ref() else {
                    node.wrong_type(ld, "a whole number");
                    return None;
                };
                let parsed = i128::from_str_radix(i.as_str(), i.radix())
                    .ok()
                    .and_then(|v| <$t>::try_from(v).ok());
                if parsed.is_none() {
                    let written = node.written(ld).to_owned();
                    ld.error(
                        ProblemCode::OutOfRange,
                        node.span(),
                        &node.path(),
                        format!(
                            "`{}` is `{}`, outside {} to {}",
                            node.path(),
                            written,
                            <$t>::MIN,
                            <$t>::MAX
                        ),
                    );
                }
                parsed
            }
        }
    )*};
}
integer!(u8, u16, u32, u64, i32, i64);

impl FromToml for Decimal {
    fn shape() -> Shape {
        Shape::Decimal
    }

    /// A decimal that is not money: a quoted string, an integer, or a float
    /// (read from its written digits, so nothing is lost).
    fn from_toml(node: &Node<'_, '_>, ld: &mut Loader) -> Option<Self> {
        let text: &str = match node.get_ref() {
            DeValue::String(s) => s.as_ref(),
            DeValue::Integer(i) if i.radix() == 10 => i.as_str(),
            DeValue::Float(f) => f.as_str(),
            _ => {
                node.wrong_type(ld, "a number");
                return None;
            }
        };
        // Digits may be grouped with `_` in TOML numbers; most are not.
        let trimmed = text.trim();
        let cleaned: std::borrow::Cow<'_, str> = if trimmed.contains('_') {
            trimmed.replace('_', "").into()
        } else {
            trimmed.into()
        };
        match Decimal::from_str_exact(&cleaned) {
            Ok(d) => Some(d),
            Err(_) => {
                node.invalid(
                    ld,
                    format!("`{text}` in `{}` is not a decimal number", node.path()),
                )
                .help("write a plain decimal such as `\"12.50\"`");
                None
            }
        }
    }
}

/// A TOML local date (`2026-10-01`), `None` for another kind of datetime.
fn local_date(dt: &toml::value::Datetime) -> Option<Option<NaiveDate>> {
    (dt.time.is_none() && dt.offset.is_none()).then(|| {
        dt.date
            .and_then(|d| NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into()))
    })
}

fn date_text(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// A TOML local time (`08:30` or `08:30:00`), `None` for another kind of datetime.
fn local_time(dt: &toml::value::Datetime) -> Option<Option<NaiveTime>> {
    (dt.date.is_none() && dt.offset.is_none()).then(|| {
        dt.time.and_then(|t| {
            let second = t.second.unwrap_or(0).into();
            NaiveTime::from_hms_opt(t.hour.into(), t.minute.into(), second)
        })
    })
}

fn time_text(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(s, "%H:%M:%S"))
        .ok()
}

/// A date or time of day, written as a TOML datetime of its kind or as a string.
macro_rules! clock_value {
    ($t:ty, $shape:expr, $words:expr, $from_datetime:path, $from_text:path) => {
        impl FromToml for $t {
            fn shape() -> Shape {
                $shape
            }

            fn from_toml(node: &Node<'_, '_>, ld: &mut Loader) -> Option<Self> {
                read_clock_value(node, ld, &$words, $from_datetime, $from_text)
            }
        }
    };
}

clock_value!(NaiveDate, Shape::Date, DATE, local_date, date_text);
clock_value!(NaiveTime, Shape::Time, TIME, local_time, time_text);

/// How a date or a time of day is described in its problems.
struct ClockWords {
    expected: &'static str,
    invalid: &'static str,
    help: &'static str,
}

const DATE: ClockWords = ClockWords {
    expected: "a date such as `2026-10-01`",
    invalid: "is not a valid date",
    help: "write a calendar date as YYYY-MM-DD, such as `2026-10-01`",
};

const TIME: ClockWords = ClockWords {
    expected: "a time of day such as `08:30`",
    invalid: "is not a valid time of day",
    help: "write a time from `00:00` to `23:59`; a shift that ends after midnight says `crosses_midnight = true`",
};

/// A date or time written as a TOML datetime of the right kind (`from_datetime`
/// gives `None` for another kind) or as a string; an impossible one is reported.
fn read_clock_value<T>(
    node: &Node<'_, '_>,
    ld: &mut Loader,
    words: &ClockWords,
    from_datetime: impl FnOnce(&toml::value::Datetime) -> Option<Option<T>>,
    from_text: impl FnOnce(&str) -> Option<T>,
) -> Option<T> {
    let parsed = match node.get_ref() {
        DeValue::Datetime(dt) => from_datetime(dt),
        DeValue::String(s) => Some(from_text(s)),
        _ => None,
    };
    let Some(parsed) = parsed else {
        node.wrong_type(ld, words.expected);
        return None;
    };
    if parsed.is_none() {
        node.invalid(ld, format!("`{}` {}", node.path(), words.invalid))
            .help(words.help);
    }
    parsed
}

impl Choice for Weekday {
    const WHAT: &'static str = "a weekday";
    const CHOICES: &'static [(&'static str, Self)] = &[
        ("monday", Weekday::Mon),
        ("tuesday", Weekday::Tue),
        ("wednesday", Weekday::Wed),
        ("thursday", Weekday::Thu),
        ("friday", Weekday::Fri),
        ("saturday", Weekday::Sat),
        ("sunday", Weekday::Sun),
    ];
}

impl<T: FromToml> FromToml for Vec<T> {
    fn shape() -> Shape {
        Shape::Array(Box::new(T::shape()))
    }

    fn from_toml(node: &Node<'_, '_>, ld: &mut Loader) -> Option<Self> {
        let items = node.array(ld)?;
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for item in &items {
            match item.read::<T>(ld) {
                Some(v) => out.push(v),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }
}

impl<T: FromToml> FromToml for Located<T> {
    fn shape() -> Shape {
        T::shape()
    }

    fn from_toml(node: &Node<'_, '_>, ld: &mut Loader) -> Option<Self> {
        let value = node.read::<T>(ld)?;
        Some(node.located(value))
    }
}

/// What a reader expects a value to be: the policy format as the readers see
/// it, turned into the JSON Schema by `cs_policy::schema`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Shape {
    /// Nothing known (a type that does not describe itself).
    Any,
    /// A string.
    String,
    /// A whole number within the bounds of its Rust type.
    Integer { min: i128, max: i128 },
    /// A decimal that is not money: a quoted decimal, an integer or a float.
    Decimal,
    /// Money: a quoted decimal or an integer, never a float; `negative` when
    /// the amount may be below zero.
    Money { negative: bool },
    /// `true` or `false`.
    Bool,
    /// A local date.
    Date,
    /// A local time of day.
    Time,
    /// One of a closed set of words ([`Choice`]).
    Words {
        what: &'static str,
        words: Vec<&'static str>,
    },
    /// An array of values of one shape.
    Array(Box<Shape>),
    /// A table.
    Table,
}

/// What a clause's `label` key is, for the JSON Schema.
const LABEL_DOC: &str = "The clause's name for people, in any language";
/// What a clause's `source` key is, for the JSON Schema.
const SOURCE_DOC: &str =
    "The section of the source handbook the clause comes from, such as `001 ch.2 B 三.1`";

/// The id given to the made-up entry that probes an id table.
const PROBE_ID: &str = "id";

/// One step of a field path pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seg {
    /// A key the reader names.
    Key(String),
    /// Any entry of a table whose keys are ids the file chooses.
    Entry,
    /// Any element of an array.
    Item,
}

/// What every read expected at one field path pattern, merged over every
/// time the pattern was read.
#[derive(Debug, Default)]
pub(crate) struct RecNode {
    /// Scalar shapes expected here (usually one).
    pub(crate) shapes: Vec<Shape>,
    /// Read as a table.
    pub(crate) table: bool,
    /// Read as an array.
    pub(crate) array: bool,
    /// Ranges a number here was checked against, as written by the reader.
    pub(crate) ranges: Vec<(String, String)>,
    /// Known keys, when a table.
    pub(crate) keys: BTreeMap<String, RecNode>,
    /// The shape of every entry, when a table of ids.
    pub(crate) entry: Option<Box<RecNode>>,
    /// The shape of every element, when an array.
    pub(crate) items: Option<Box<RecNode>>,
    /// How many tables at this pattern were finished (so their unknown keys
    /// were reported).
    pub(crate) visits: u32,
    /// For each key, in how many of those tables a `req*` read asked for it.
    pub(crate) required: BTreeMap<String, u32>,
    /// Whether the value here is a clause of the policy.
    pub(crate) clause: bool,
    /// Descriptions the readers attached.
    pub(crate) docs: Vec<&'static str>,
}

impl RecNode {
    fn descend(&mut self, pattern: &[Seg]) -> &mut RecNode {
        let mut node = self;
        for seg in pattern {
            node = match seg {
                Seg::Key(key) => node.keys.entry(key.clone()).or_default(),
                Seg::Entry => node.entry.get_or_insert_with(Box::default),
                Seg::Item => node.items.get_or_insert_with(Box::default),
            };
        }
        node
    }

    fn add_shape(&mut self, shape: Shape) {
        match shape {
            Shape::Any => {}
            Shape::Table => self.table = true,
            Shape::Array(inner) => {
                self.array = true;
                self.items
                    .get_or_insert_with(Box::default)
                    .add_shape(*inner);
            }
            Shape::Integer { min, max } => {
                let known = self.shapes.iter_mut().find_map(|s| match s {
                    Shape::Integer { min, max } => Some((min, max)),
                    _ => None,
                });
                match known {
                    Some((lo, hi)) => {
                        *lo = (*lo).min(min);
                        *hi = (*hi).max(max);
                    }
                    None => self.shapes.push(Shape::Integer { min, max }),
                }
            }
            other => {
                if !self.shapes.contains(&other) {
                    self.shapes.push(other);
                }
            }
        }
    }

    /// Whether every finished table here read `key` with `req*`, so that a
    /// key required only in some branches of a reader is not required.
    pub(crate) fn is_required(&self, key: &str) -> bool {
        self.visits > 0 && self.required.get(key) == Some(&self.visits)
    }

    /// Whether a table here reports unknown keys.
    pub(crate) fn is_closed(&self) -> bool {
        self.visits > 0
    }
}

/// Records, while a file is read, what every read expected where, with
/// field paths generalised to patterns (ids and array indices).
#[derive(Default)]
struct Recorder {
    root: RecNode,
    /// The pattern of each entry path of a table of ids in the file being read.
    entries: HashMap<String, Vec<Seg>>,
}

impl Recorder {
    /// The pattern of a field path such as `leave.types.marriage.days[2]`.
    fn pattern(&self, path: &str) -> Vec<Seg> {
        if path.is_empty() {
            return Vec::new();
        }
        if let Some(pattern) = self.entries.get(path) {
            return pattern.clone();
        }
        if let Some(open) = path.strip_suffix(']').and_then(|p| p.rfind('[')) {
            let index = &path[open + 1..path.len() - 1];
            if !index.is_empty() && index.bytes().all(|b| b.is_ascii_digit()) {
                let mut pattern = self.pattern(&path[..open]);
                pattern.push(Seg::Item);
                return pattern;
            }
        }
        match path.rfind('.') {
            Some(dot) => {
                let mut pattern = self.pattern(&path[..dot]);
                pattern.push(Seg::Key(path[dot + 1..].to_owned()));
                pattern
            }
            None => vec![Seg::Key(path.to_owned())],
        }
    }

    fn node(&mut self, path: &str) -> &mut RecNode {
        let pattern = self.pattern(path);
        self.root.descend(&pattern)
    }

    /// Notes that `entry` is an entry of the table of ids at `table`.
    fn entry(&mut self, table: &str, entry: String) {
        let mut pattern = self.pattern(table);
        pattern.push(Seg::Entry);
        self.root.descend(&pattern).add_shape(Shape::Table);
        self.entries.insert(entry, pattern);
    }

    /// Notes a finished table: its known keys and those read with `req*`.
    fn visit(&mut self, path: &str, known: &[&'static str], required: &[&'static str]) {
        let node = self.node(path);
        node.table = true;
        node.visits += 1;
        for key in known {
            node.keys.entry((*key).to_owned()).or_default();
        }
        let mut required = required.to_vec();
        required.sort_unstable();
        required.dedup();
        for key in required {
            *node.required.entry(key.to_owned()).or_default() += 1;
        }
    }
}

/// Reads an empty document and every shipped example with recording on,
/// probing every absent table, and returns what the readers expected: the
/// policy format, from the readers themselves. Problems are discarded.
pub(crate) fn record_format() -> RecNode {
    let documents = std::iter::once("").chain(crate::EXAMPLES.iter().map(|(_, text)| *text));
    record(documents, |root, ld| {
        let _ = crate::Policy::read(root, ld, &mut crate::calendar::CalendarFiles::default());
    })
}

/// Reads each document with `read` while recording; see [`record_format`].
pub(crate) fn record<'t>(
    documents: impl IntoIterator<Item = &'t str>,
    mut read: impl FnMut(&Doc<'_>, &mut Loader),
) -> RecNode {
    let mut recorder = Box::<Recorder>::default();
    for text in documents {
        recorder.entries.clear();
        let mut ld = Loader::new(Arc::from("recording"), Arc::from(text));
        ld.recorder = Some(recorder);
        let (tree, _) = parse(text);
        read(&tree, &mut ld);
        recorder = ld.recorder.take().unwrap_or_default();
    }
    recorder.root
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A hostile file naming thousands of undefined ids against thousands
    /// of defined ones costs its length: suggestions stop once the file
    /// has looked through its budget of names, and the names are then not
    /// even listed.
    #[test]
    fn suggestions_stop_once_a_file_has_looked_through_its_budget() {
        let owned: Vec<String> = (0..1000).map(|i| format!("shift_{i:04}")).collect();
        let known: Vec<&str> = owned.iter().map(String::as_str).collect();
        let suggestions = Suggestions::default();
        let affordable = SUGGESTION_BUDGET / (2 * known.len());
        for _ in 0..affordable {
            let hint = suggestions.hint("shift_0001x", known.len(), || known.clone());
            assert_eq!(hint, Hint::Closest("shift_0001"));
        }
        let hint = suggestions.hint("shift_0001x", known.len(), || unreachable!());
        assert_eq!(hint, Hint::Spent);
        // A small list still costs its number: it too is refused now.
        let hint = suggestions.hint("x", 1, || unreachable!());
        assert_eq!(hint, Hint::Spent);
        let fresh = Suggestions::default();
        let hint = fresh.hint("nothing_near", known.len(), || known.clone());
        assert_eq!(hint, Hint::Known(known.clone()));
    }

    /// A small reader with every kind of read, standing for a section.
    pub(crate) fn read_demo(doc: &Doc<'_>, ld: &mut Loader) {
        let mut root = Table::root(doc);
        if let Some(mut t) = root.opt_table(ld, "demo") {
            let kind: Option<String> = t.req(ld, "kind");
            if kind.as_deref() == Some("fixed") {
                let _ = t.req_amount(ld, "amount");
            }
            let _ = t.opt_in::<u32>(ld, "days", 1..=31);
            for mut step in t.tables(ld, "steps") {
                let _ = step.req_money(ld, "fine");
                step.finish(ld);
            }
            for node in t.array(ld, "dates") {
                let _ = node.read::<NaiveDate>(ld);
            }
            for (_, mut entry) in t.ids(ld, "types") {
                let _ = entry.opt::<Vec<Weekday>>(ld, "rest");
                entry.finish(ld);
            }
            t.finish(ld);
        }
        root.finish(ld);
    }

    #[test]
    fn probing_an_empty_document_records_every_key_of_every_absent_table() {
        let format = record([""], read_demo);
        let demo = &format.keys["demo"];
        assert!(demo.table && demo.is_closed());
        let keys: Vec<&str> = demo.keys.keys().map(String::as_str).collect();
        assert_eq!(keys, ["dates", "days", "kind", "steps", "types"]);
        assert!(demo.is_required("kind"));
        // Read only when `kind` is "fixed": never seen while probing.
        assert!(!demo.keys.contains_key("amount"));
        let days = &demo.keys["days"];
        assert_eq!(
            days.shapes,
            [Shape::Integer {
                min: 0,
                max: i128::from(u32::MAX)
            }]
        );
        assert_eq!(days.ranges, [("1".to_owned(), "31".to_owned())]);
        let step = demo.keys["steps"].items.as_deref().map(|s| &s.keys["fine"]);
        assert_eq!(
            step.map(|s| s.shapes.clone()),
            Some(vec![Shape::Money { negative: true }])
        );
        let date = demo.keys["dates"]
            .items
            .as_deref()
            .map(|d| d.shapes.clone());
        assert_eq!(date, Some(vec![Shape::Date]));
        let entry = demo.keys["types"].entry.as_deref();
        let rest = entry.and_then(|e| e.keys["rest"].items.as_deref());
        assert!(matches!(
            rest.map(|r| &r.shapes[..]),
            Some([Shape::Words {
                what: "a weekday",
                ..
            }])
        ));
    }

    #[test]
    fn a_key_required_in_one_branch_only_is_not_required() {
        let fixed = "[demo]\nkind = \"fixed\"\namount = \"20\"\n";
        let rate = "[demo]\nkind = \"rate\"\n";
        let format = record([fixed, rate], read_demo);
        let demo = &format.keys["demo"];
        assert_eq!(demo.visits, 2);
        assert!(demo.is_required("kind"));
        assert!(!demo.is_required("amount"));
        assert_eq!(
            demo.keys["amount"].shapes,
            [Shape::Money { negative: false }]
        );
        let format = record([fixed], read_demo);
        assert!(format.keys["demo"].is_required("amount"));
    }

    #[test]
    fn ids_and_indices_generalise_to_one_pattern() {
        let text = "[demo]\nkind = \"x\"\nsteps = [{ fine = 1 }, { fine = \"-2\" }]\n\
                    [demo.types.a]\nrest = [\"sunday\"]\n[demo.types.\"b.c\"]\n";
        let format = record([text], read_demo);
        let demo = &format.keys["demo"];
        let types = &demo.keys["types"];
        assert!(
            types.keys.is_empty(),
            "ids are no keys: {:?}",
            types.keys.keys()
        );
        assert_eq!(types.entry.as_deref().map(|e| e.visits), Some(2));
        assert_eq!(
            demo.keys["steps"].items.as_deref().map(|s| s.visits),
            Some(2)
        );
    }

    #[test]
    fn reading_without_recording_probes_nothing() {
        let (doc, _) = parse("");
        let mut ld = Loader::new(Arc::from("t"), Arc::from(""));
        let mut root = Table::root(&doc);
        assert!(root.opt_table(&mut ld, "demo").is_none());
        assert!(root.array(&mut ld, "dates").is_empty());
        assert!(root.ids(&mut ld, "types").is_empty());
        assert!(!ld.has_problems());
    }
}
