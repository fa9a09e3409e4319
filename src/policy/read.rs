//! Reading a policy file: a spanned TOML tree walked by hand, so that every
//! problem is reported with its location instead of stopping at the first.
//!
//! Domain modules read their section with [`Table`]: each `req`/`opt` call
//! names a key (which also marks it as known), and [`Table::finish`] reports
//! the keys nobody asked for, with a "did you mean" from the known ones.
//! A failed read reports its problem and returns `None`; a reader may carry on
//! with a default, because a file with any problem never becomes a `Policy`.

// Some helpers serve only the domain sections that use them.
#![allow(dead_code)]

use std::fmt::Display;
use std::ops::{Range, RangeInclusive};
use std::sync::Arc;

use chrono::{NaiveDate, NaiveTime, Weekday};
use rust_decimal::Decimal;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::diagnostic::{Diagnostic, ProblemCode, line_column};
use crate::explain::{ClauseBook, ClauseRef};

/// Collects problems and clauses while a file is read.
pub(crate) struct Loader {
    file: Arc<str>,
    text: Arc<str>,
    /// Byte offset of the start of each line, for clause line numbers.
    line_starts: Vec<usize>,
    problems: Vec<Diagnostic>,
    pub(crate) clauses: ClauseBook,
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
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self {
            file,
            text,
            line_starts,
            problems: Vec::new(),
            clauses: ClauseBook::default(),
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
        let (line, column) = line_column(&self.text, span.start);
        self.problems.push(Diagnostic {
            file: self.file.clone(),
            line,
            column,
            span,
            code,
            field: field.to_owned(),
            message: message.into(),
            help: None,
        });
        let last = self.problems.len() - 1;
        Reported(&mut self.problems[last])
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

    /// The 1-based line of a byte offset.
    pub(crate) fn line_of(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|start| *start <= offset)
            .max(1)
    }

    /// The byte range of a 1-based line, without its line break.
    pub(crate) fn line_span(&self, line: usize) -> Range<usize> {
        let start = self
            .line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len());
        let end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |n| start + n);
        start..end
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
        let label: Option<String> = table.opt(self, "label");
        let source: Option<String> = table.opt(self, "source");
        let source =
            source.or_else(|| parent.and_then(|p| self.clauses.get(p).source().map(str::to_owned)));
        let line = self.line_of(table.span.start);
        self.clauses.add(table.path.clone(), label, source, line)
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
        let source = parent.and_then(|p| self.clauses.get(p).source().map(str::to_owned));
        let line = self.line_of(span.start);
        self.clauses.add(id, label, source, line)
    }
}

/// One value in the file, with its field path.
#[derive(Clone)]
pub(crate) struct Node<'a, 'i> {
    pub(crate) value: &'a Spanned<DeValue<'i>>,
    pub(crate) path: String,
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
    pub(crate) fn span(&self) -> Range<usize> {
        self.value.span()
    }

    pub(crate) fn get_ref(&self) -> &'a DeValue<'i> {
        self.value.get_ref()
    }

    /// Reads the value as `T`, reporting a problem if it is not one.
    pub(crate) fn read<T: FromToml>(&self, ld: &mut Loader) -> Option<T> {
        T::from_toml(self, ld)
    }

    /// Reports that the value has the wrong type.
    pub(crate) fn wrong_type(&self, ld: &mut Loader, expected: &str) {
        ld.error(
            ProblemCode::WrongType,
            self.span(),
            &self.path,
            format!(
                "`{}` should be {expected}, found {}",
                self.path,
                describe(self.get_ref())
            ),
        );
    }

    /// Reads the value as a table.
    pub(crate) fn table(&self, ld: &mut Loader) -> Option<Table<'a, 'i>> {
        match self.get_ref() {
            DeValue::Table(map) => Some(Table {
                map,
                span: self.span(),
                path: self.path.clone(),
                known: Vec::new(),
            }),
            _ => {
                self.wrong_type(ld, "a table");
                None
            }
        }
    }

    /// Reads the value as an array, each element with its indexed path.
    pub(crate) fn array(&self, ld: &mut Loader) -> Option<Vec<Node<'a, 'i>>> {
        match self.get_ref() {
            DeValue::Array(items) => Some(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, value)| Node {
                        value,
                        path: format!("{}[{i}]", self.path),
                    })
                    .collect(),
            ),
            _ => {
                self.wrong_type(ld, "an array");
                None
            }
        }
    }

    /// Reads the value as money: a quoted decimal string or an integer, never
    /// a float, which cannot hold every amount exactly.
    pub(crate) fn money(&self, ld: &mut Loader) -> Option<Decimal> {
        match self.get_ref() {
            DeValue::Float(f) => {
                ld.error(
                    ProblemCode::FloatMoney,
                    self.span(),
                    &self.path,
                    format!(
                        "money in `{}` is written as a float, which cannot hold every amount exactly",
                        self.path
                    ),
                )
                .help(format!("write the amount as a string: `\"{}\"`", f.as_str()));
                None
            }
            DeValue::String(_) | DeValue::Integer(_) => {
                let amount = self.read::<Decimal>(ld)?;
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
        let value = self.money(ld)?;
        if value.is_sign_negative() && !value.is_zero() {
            ld.error(
                ProblemCode::OutOfRange,
                self.span(),
                &self.path,
                format!("`{}` is a negative amount `{value}`", self.path),
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
        let value = self.read::<T>(ld)?;
        if !range.contains(&value) {
            ld.error(
                ProblemCode::OutOfRange,
                self.span(),
                &self.path,
                format!(
                    "`{}` is `{value}`, outside {} to {}",
                    self.path,
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
            path: self.path.clone(),
        }
    }
}

/// A table being read; see the module docs.
pub(crate) struct Table<'a, 'i> {
    map: &'a DeTable<'i>,
    pub(crate) span: Range<usize>,
    pub(crate) path: String,
    known: Vec<&'static str>,
}

impl<'a, 'i> Table<'a, 'i> {
    pub(crate) fn root(doc: &'a Spanned<DeTable<'i>>) -> Self {
        Self {
            map: doc.get_ref(),
            span: doc.span(),
            path: String::new(),
            known: Vec::new(),
        }
    }

    /// The dotted path of `key` in this table.
    pub(crate) fn field(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// The value under `key`, if present; marks the key as known.
    pub(crate) fn node(&mut self, key: &'static str) -> Option<Node<'a, 'i>> {
        self.known.push(key);
        self.map.get(key).map(|value| Node {
            value,
            path: self.field(key),
        })
    }

    /// Marks `key` as known without reading it (read elsewhere).
    pub(crate) fn allow(&mut self, key: &'static str) {
        self.known.push(key);
    }

    pub(crate) fn contains(&self, key: &str) -> bool {
        self.map.get(key).is_some()
    }

    /// The value under `key`, reporting its absence.
    pub(crate) fn req_node(&mut self, ld: &mut Loader, key: &'static str) -> Option<Node<'a, 'i>> {
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
    fn header_span(&self, ld: &Loader) -> Range<usize> {
        let text = ld.text();
        let start = self.span.start.min(text.len());
        let end = text[start..]
            .find('\n')
            .map_or(text.len(), |n| start + n)
            .min(self.span.end.max(start));
        start..end.max(start)
    }

    pub(crate) fn req<T: FromToml>(&mut self, ld: &mut Loader, key: &'static str) -> Option<T> {
        self.req_node(ld, key)?.read(ld)
    }

    pub(crate) fn opt<T: FromToml>(&mut self, ld: &mut Loader, key: &'static str) -> Option<T> {
        self.node(key)?.read(ld)
    }

    pub(crate) fn opt_or<T: FromToml>(
        &mut self,
        ld: &mut Loader,
        key: &'static str,
        default: T,
    ) -> T {
        self.opt(ld, key).unwrap_or(default)
    }

    pub(crate) fn req_in<T>(
        &mut self,
        ld: &mut Loader,
        key: &'static str,
        range: RangeInclusive<T>,
    ) -> Option<T>
    where
        T: FromToml + PartialOrd + Display,
    {
        self.req_node(ld, key)?.read_in(ld, range)
    }

    pub(crate) fn opt_in<T>(
        &mut self,
        ld: &mut Loader,
        key: &'static str,
        range: RangeInclusive<T>,
    ) -> Option<T>
    where
        T: FromToml + PartialOrd + Display,
    {
        self.node(key)?.read_in(ld, range)
    }

    pub(crate) fn req_amount(&mut self, ld: &mut Loader, key: &'static str) -> Option<Decimal> {
        self.req_node(ld, key)?.amount(ld)
    }

    pub(crate) fn opt_amount(&mut self, ld: &mut Loader, key: &'static str) -> Option<Decimal> {
        self.node(key)?.amount(ld)
    }

    pub(crate) fn req_money(&mut self, ld: &mut Loader, key: &'static str) -> Option<Decimal> {
        self.req_node(ld, key)?.money(ld)
    }

    pub(crate) fn opt_money(&mut self, ld: &mut Loader, key: &'static str) -> Option<Decimal> {
        self.node(key)?.money(ld)
    }

    pub(crate) fn req_table(
        &mut self,
        ld: &mut Loader,
        key: &'static str,
    ) -> Option<Table<'a, 'i>> {
        self.req_node(ld, key)?.table(ld)
    }

    pub(crate) fn opt_table(
        &mut self,
        ld: &mut Loader,
        key: &'static str,
    ) -> Option<Table<'a, 'i>> {
        self.node(key)?.table(ld)
    }

    /// The elements of an optional array (empty when absent).
    pub(crate) fn array(&mut self, ld: &mut Loader, key: &'static str) -> Vec<Node<'a, 'i>> {
        self.node(key).and_then(|n| n.array(ld)).unwrap_or_default()
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
        match self.opt_table(ld, key) {
            Some(table) => table.entries(ld),
            None => Vec::new(),
        }
    }

    /// Every entry of this table read as an id and a table, in file order.
    pub(crate) fn entries(self, ld: &mut Loader) -> Vec<(Located<String>, Table<'a, 'i>)> {
        let mut out = Vec::new();
        for (key, value) in self.map.iter() {
            let node = Node {
                value,
                path: self.field(key.get_ref()),
            };
            let id = Located {
                value: key.get_ref().to_string(),
                span: key.span(),
                path: node.path.clone(),
            };
            if let Some(table) = node.table(ld) {
                out.push((id, table));
            }
        }
        out
    }

    /// Reports every key in the table that no read asked for.
    pub(crate) fn finish(self, ld: &mut Loader) {
        for (key, _) in self.map.iter() {
            let name = key.get_ref().as_ref();
            if self.known.contains(&name) {
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
            match closest(name, &self.known) {
                Some(best) => reported.help(format!("did you mean `{best}`?")),
                None if !self.known.is_empty() => {
                    let mut known: Vec<&str> = self.known.clone();
                    known.sort_unstable();
                    known.dedup();
                    reported.help(format!("known keys here: `{}`", known.join("`, `")));
                }
                None => {}
            }
        }
    }
}

/// The known name closest to `name`, if it is close enough to be a typo.
pub(crate) fn closest<'k>(name: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(name, k), *k))
        .filter(|(d, k)| *d <= (k.chars().count() / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn describe(value: &DeValue<'_>) -> String {
    match value {
        DeValue::String(s) => format!("the string `\"{s}\"`"),
        DeValue::Integer(i) => format!("the integer `{}`", i.as_str()),
        DeValue::Float(f) => format!("the float `{}`", f.as_str()),
        DeValue::Boolean(b) => format!("`{b}`"),
        DeValue::Datetime(d) => format!("the datetime `{d}`"),
        DeValue::Array(_) => "an array".to_owned(),
        DeValue::Table(_) => "a table".to_owned(),
    }
}

/// A value that can be read from one TOML value.
pub(crate) trait FromToml: Sized {
    fn from_toml(node: &Node<'_, '_>, ld: &mut Loader) -> Option<Self>;
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

impl<T: Choice> FromToml for T {
    fn from_toml(node: &Node<'_, '_>, ld: &mut Loader) -> Option<Self> {
        let DeValue::String(word) = node.get_ref() else {
            node.wrong_type(ld, &format!("{} (a string)", T::WHAT));
            return None;
        };
        if let Some((_, value)) = T::CHOICES.iter().find(|(w, _)| *w == word.as_ref()) {
            return Some(*value);
        }
        let words: Vec<&str> = T::CHOICES.iter().map(|(w, _)| *w).collect();
        let reported = ld.error(
            ProblemCode::InvalidValue,
            node.span(),
            &node.path,
            format!("`{word}` is not {} in `{}`", T::WHAT, node.path),
        );
        match closest(word, &words) {
            Some(best) => reported.help(format!("did you mean `{best}`?")),
            None => reported.help(format!("expected one of `{}`", words.join("`, `"))),
        }
        None
    }
}

impl FromToml for String {
    fn from_toml(node: &Node<'_, '_>, ld: &mut Loader) -> Option<Self> {
        match node.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            _ => {
                node.wrong_type(ld, "a string");
                None
            }
        }
    }
}

impl FromToml for bool {
    fn from_toml(node: &Node<'_, '_>, ld: &mut Loader) -> Option<Self> {
        match node.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                node.wrong_type(ld, "`true` or `false`");
                None
            }
        }
    }
}

macro_rules! integer {
    ($($t:ty),*) => {$(
        impl FromToml for $t {
            fn from_toml(node: &Node<'_, '_>, ld: &mut Loader) -> Option<Self> {
                let DeValue::Integer(i) = node.get_ref() else {
                    node.wrong_type(ld, "a whole number");
                    return None;
                };
                let parsed = i128::from_str_radix(i.as_str(), i.radix())
                    .ok()
                    .and_then(|v| <$t>::try_from(v).ok());
                if parsed.is_none() {
                    ld.error(
                        ProblemCode::OutOfRange,
                        node.span(),
                        &node.path,
                        format!(
                            "`{}` is `{}`, outside {} to {}",
                            node.path,
                            i.as_str(),
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
        let cleaned = text.trim().replace('_', "");
        match Decimal::from_str_exact(&cleaned) {
            Ok(d) => Some(d),
            Err(_) => {
                ld.error(
                    ProblemCode::InvalidValue,
                    node.span(),
                    &node.path,
                    format!("`{text}` in `{}` is not a decimal number", node.path),
                )
                .help("write a plain decimal such as `\"12.50\"`");
                None
            }
        }
    }
}

impl FromToml for NaiveDate {
    /// A TOML local date (`2026-10-01`) or the same as a string.
    fn from_toml(node: &Node<'_, '_>, ld: &mut Loader) -> Option<Self> {
        let parsed = match node.get_ref() {
            DeValue::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt
                .date
                .and_then(|d| NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())),
            DeValue::String(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").ok(),
            _ => {
                node.wrong_type(ld, "a date such as `2026-10-01`");
                return None;
            }
        };
        if parsed.is_none() {
            ld.error(
                ProblemCode::InvalidValue,
                node.span(),
                &node.path,
                format!("`{}` is not a valid date", node.path),
            )
            .help("write a calendar date as YYYY-MM-DD, such as `2026-10-01`");
        }
        parsed
    }
}

impl FromToml for NaiveTime {
    /// A TOML local time (`08:30` or `08:30:00`) or the same as a string.
    fn from_toml(node: &Node<'_, '_>, ld: &mut Loader) -> Option<Self> {
        let parsed = match node.get_ref() {
            DeValue::Datetime(dt) if dt.date.is_none() && dt.offset.is_none() => {
                dt.time.and_then(|t| {
                    NaiveTime::from_hms_opt(
                        t.hour.into(),
                        t.minute.into(),
                        t.second.unwrap_or(0).into(),
                    )
                })
            }
            DeValue::String(s) => NaiveTime::parse_from_str(s, "%H:%M")
                .or_else(|_| NaiveTime::parse_from_str(s, "%H:%M:%S"))
                .ok(),
            _ => {
                node.wrong_type(ld, "a time of day such as `08:30`");
                return None;
            }
        };
        if parsed.is_none() {
            ld.error(
                ProblemCode::InvalidValue,
                node.span(),
                &node.path,
                format!("`{}` is not a valid time of day", node.path),
            )
            .help("write a time from `00:00` to `23:59`; a shift that ends after midnight says `crosses_midnight = true`");
        }
        parsed
    }
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
    fn from_toml(node: &Node<'_, '_>, ld: &mut Loader) -> Option<Self> {
        let value = node.read::<T>(ld)?;
        Some(node.located(value))
    }
}
