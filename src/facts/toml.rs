//! The TOML facts reader: a document parsed once into toml's spanned tree,
//! each top-level key taken out and read strictly by itself, and each
//! element of a top-level list (an agent, a punch, a case) read by itself,
//! so that one bad element is reported and the rest still read, every
//! problem in one pass, each at its file, line and column.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use super::strict::{self, Found};
use super::{FactProblem, find_word, is_float, serde_problem, tidy};
use crate::policy::read::closest;
use crate::policy::{Diagnostic, ProblemCode, Problems};

/// A facts document being read.
pub(crate) struct TomlDoc<'t> {
    file: Arc<str>,
    text: &'t str,
    root: DeTable<'t>,
    problems: Vec<Diagnostic>,
    /// The span of every element of each list read, to locate problems
    /// found later by path.
    elements: HashMap<&'static str, Vec<Range<usize>>>,
    /// The span of each top-level value read.
    values: HashMap<&'static str, Range<usize>>,
}

impl<'t> TomlDoc<'t> {
    /// Parses `text`; a text that is not TOML gives every syntax error.
    pub(crate) fn parse(file: &str, text: &'t str) -> Result<Self, Problems> {
        let (root, syntax) = DeTable::parse_recoverable(text);
        let mut doc = Self {
            file: Arc::from(file),
            text,
            root: root.into_inner(),
            problems: Vec::new(),
            elements: HashMap::new(),
            values: HashMap::new(),
        };
        if syntax.is_empty() {
            return Ok(doc);
        }
        for error in &syntax {
            let span = error.span().unwrap_or(0..0);
            doc.push(span, ProblemCode::Syntax, "", tidy(error.message()), None);
        }
        Err(doc.into_problems())
    }

    /// Takes `key` out of the document and reads it; `None` when it is
    /// absent or wrong (the problem is then recorded).
    pub(crate) fn value<T: DeserializeOwned>(&mut self, key: &'static str) -> Option<T> {
        let (_, value) = self.root.remove_entry(key)?;
        self.values.insert(key, value.span());
        self.read(value, key)
    }

    /// [`TomlDoc::value`] for a whole number that is no amount of money:
    /// a float is refused as what it is (`what`), not as money.
    #[cfg(feature = "csv")]
    pub(crate) fn whole(&mut self, key: &'static str, what: &str) -> Option<u64> {
        let span = match self.root.get(key) {
            Some(v) if matches!(v.get_ref(), DeValue::Float(_)) => v.span(),
            _ => return self.value(key),
        };
        self.root.remove(key);
        self.values.insert(key, span.clone());
        let written = self.text.get(span.clone()).unwrap_or("").to_owned();
        let message = format!("`{key}` is {what}, a whole number; found `{written}`");
        let help = format!("write it without a fraction or exponent, such as `{key} = 3`");
        self.push(span, ProblemCode::WrongType, key, message, Some(help));
        None
    }

    /// [`TomlDoc::value`] for a key that must be there.
    pub(crate) fn required<T: DeserializeOwned>(&mut self, key: &'static str) -> Option<T> {
        if !self.root.contains_key(key) {
            self.push(
                0..0,
                ProblemCode::MissingKey,
                key,
                format!("missing key `{key}` at the top level"),
                Some(format!("add `{key} = ...` at the top of the file")),
            );
            return None;
        }
        self.value(key)
    }

    /// Takes the list `key` out of the document and reads each element by
    /// itself; an element that cannot be read is reported and left out.
    pub(crate) fn list<T: DeserializeOwned>(&mut self, key: &'static str) -> Vec<T> {
        let Some((_, value)) = self.root.remove_entry(key) else {
            return Vec::new();
        };
        let span = value.span();
        let items = match value.into_inner() {
            DeValue::Array(items) => items,
            other => {
                let found = format!("a {}", other.type_str());
                let message = format!("`{key}` must be a list, found {found}");
                let help = format!("write `[[{key}]]` tables or `{key} = [...]`");
                self.push(span, ProblemCode::WrongType, key, message, Some(help));
                return Vec::new();
            }
        };
        let mut out = Vec::with_capacity(items.len());
        let mut spans = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            spans.push(item.span());
            let prefix = format!("{key}[{i}]");
            if let Some(value) = self.read(item, &prefix) {
                out.push(value);
            }
        }
        self.elements.insert(key, spans);
        out
    }

    /// Reads one value strictly, recording its problem if it has one.
    fn read<T: DeserializeOwned>(
        &mut self,
        value: toml::Spanned<DeValue<'t>>,
        prefix: &str,
    ) -> Option<T> {
        let span = value.span();
        match strict::read::<T, _>(ValueDeserializer::from(value), prefix) {
            Ok(value) => Some(value),
            Err((error, found)) => {
                let at = error.span().unwrap_or(span);
                self.found(at, &found, error.message());
                None
            }
        }
    }

    fn found(&mut self, span: Range<usize>, found: &Found, message: &str) {
        match &found.own {
            Some((code, message, help)) => {
                let help = match code {
                    ProblemCode::FloatMoney => Some(strict::float_help(
                        self.text.get(span.clone()).unwrap_or(""),
                    )),
                    _ => help.clone(),
                };
                self.push(span, *code, &found.path, message.clone(), help);
            }
            None if is_float(message) => {
                let help = strict::float_help(self.text.get(span.clone()).unwrap_or(""));
                let message = strict::float_message(&found.path);
                self.push(
                    span,
                    ProblemCode::FloatMoney,
                    &found.path,
                    message,
                    Some(help),
                );
            }
            None => {
                let (code, message, help) = serde_problem(message, &found.path);
                self.push(span, code, &found.path, message, help);
            }
        }
    }

    /// Reports every key left in the document: none of `known`.
    pub(crate) fn finish_keys(&mut self, known: &[&str]) {
        let left: Vec<(String, Range<usize>)> = self
            .root
            .iter()
            .map(|(k, _)| (k.get_ref().to_string(), k.span()))
            .collect();
        for (key, span) in left {
            let help = match closest(&key, known) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("known keys here: `{}`", known.join("`, `")),
            };
            let message = format!("unknown key `{key}` at the top level");
            self.push(span, ProblemCode::UnknownKey, &key, message, Some(help));
        }
    }

    /// The span of each element of the list `key` read.
    #[cfg(feature = "testing")]
    pub(crate) fn spans(&self, key: &str) -> &[Range<usize>] {
        self.elements.get(key).map_or(&[], Vec::as_slice)
    }

    /// The span of the top-level value `key`, when it was read.
    #[cfg(feature = "csv")]
    pub(crate) fn value_span(&self, key: &str) -> Option<Range<usize>> {
        self.values.get(key).cloned()
    }

    /// Whether any problem was found so far.
    pub(crate) fn has_problems(&self) -> bool {
        !self.problems.is_empty()
    }

    /// Reports problems found in the facts after reading, each located at
    /// the field its path names.
    pub(crate) fn report(&mut self, problems: Vec<FactProblem>) {
        for p in problems {
            let span = self.span_of(&p.field);
            self.push(span, p.code, &p.field, p.message, p.help);
        }
    }

    /// The span of the field `path` names: the element of a list it is in,
    /// narrowed to the key it ends with when that is written inside.
    fn span_of(&self, path: &str) -> Range<usize> {
        let (head, rest) = path.split_once('[').unwrap_or((path, ""));
        let element = rest
            .split_once(']')
            .and_then(|(i, tail)| Some((i.parse::<usize>().ok()?, tail)));
        let Some((index, tail)) = element else {
            return self
                .values
                .get(head)
                .cloned()
                .unwrap_or_else(|| self.key_span(head));
        };
        let Some(span) = self.elements.get(head).and_then(|s| s.get(index)).cloned() else {
            return 0..0;
        };
        // The last key named (`agents` in `.agents[1]`).
        let last = tail
            .split('.')
            .filter_map(|part| part.split('[').next())
            .rfind(|key| !key.is_empty())
            .unwrap_or("");
        if last.is_empty() {
            return self.header(span);
        }
        match find_word(self.text, self.body(span.clone()), last) {
            Some(at) => at..at + last.len(),
            None => self.header(span),
        }
    }

    /// A top-level key never read (a missing one): the start of the file.
    fn key_span(&self, _key: &str) -> Range<usize> {
        0..0
    }

    /// An element written as a `[[list]]` table runs on to the next table
    /// header; an inline element is its own span.
    fn body(&self, span: Range<usize>) -> Range<usize> {
        let Some(rest) = self.text.get(span.start..) else {
            return span;
        };
        if !rest.starts_with("[[") {
            return span;
        }
        let mut end = span.start;
        for line in rest.split_inclusive('\n').skip(1) {
            if line.trim_start().starts_with('[') {
                break;
            }
            end += line.len();
        }
        let first = rest.find('\n').map_or(rest.len(), |n| n + 1);
        span.start..(span.start + first).max(end + first)
    }

    /// The first line of an element, where problems about it as a whole
    /// point.
    fn header(&self, span: Range<usize>) -> Range<usize> {
        let rest = self.text.get(span.clone()).unwrap_or("");
        let len = rest.find('\n').unwrap_or(rest.len());
        span.start..span.start + len
    }

    /// Records a problem at `span` in the field at the dotted `path`; its
    /// line and column are found with all the others', in one pass.
    fn push(
        &mut self,
        span: Range<usize>,
        code: ProblemCode,
        path: &str,
        message: String,
        help: Option<String>,
    ) {
        let mut problem = Diagnostic::unlocated(self.file.clone(), span, code, path, message);
        problem.help = help;
        self.problems.push(problem);
    }

    /// Every problem found, or none.
    pub(crate) fn finish(self) -> Result<(), Problems> {
        if self.problems.is_empty() {
            return Ok(());
        }
        Err(self.into_problems())
    }

    fn into_problems(self) -> Problems {
        Problems::new(Arc::from(self.text), self.problems)
    }
}
