//! TOML syntax errors: each said on one line, a duplicate key named with the
//! line of its first definition, and what the errors kept the reader from
//! seeing told apart from the problems of what it did see.

use std::collections::HashMap;
use std::ops::Range;

use toml::de::DeValue;

use super::diagnostic::{Diagnostic, ProblemCode};
use super::read::Doc;
use super::source::LineIndex;

/// One syntax error as reported: where, what, and what to do.
pub(crate) struct SyntaxProblem {
    pub(crate) span: Range<usize>,
    pub(crate) message: String,
    pub(crate) help: Option<String>,
}

/// What the syntax errors of a file broke, so that the problems they cause
/// in the tree read past them are dropped and no others.
#[derive(Debug, Default)]
pub(crate) struct Broken {
    /// Where the errors are, merged into sorted, disjoint ranges.
    spans: Vec<Range<usize>>,
    /// Where the errors that lost text (all but duplicate keys) start, sorted.
    lost: Vec<usize>,
    /// Where the parser gave up on the rest of the file, if it did.
    cut: Option<usize>,
    /// Where each line that opens a table (`[...]`) starts, sorted.
    headers: Vec<usize>,
}

impl Broken {
    pub(crate) fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Whether `problem` only follows from the syntax errors: it is where
    /// one of them is, or it says something is absent that the parser may
    /// have lost (a key of a table whose text holds an error, a reference to
    /// what a file cut short never reached).
    pub(crate) fn hides(&self, problem: &Diagnostic) -> bool {
        if problem.code == ProblemCode::Syntax {
            return false;
        }
        let span = problem.span.start..problem.span.end.max(problem.span.start + 1);
        let next = self.spans.partition_point(|s| s.start < span.end);
        let overlaps =
            next > 0 && self.spans[next - 1].end.max(self.spans[next - 1].start + 1) > span.start;
        if overlaps {
            return true;
        }
        match problem.code {
            ProblemCode::MissingKey | ProblemCode::UnstatedChoice => {
                self.cut.is_some() || self.lost_in_section(span.start)
            }
            ProblemCode::UndefinedReference | ProblemCode::Gap | ProblemCode::TotalMismatch => {
                self.cut.is_some()
            }
            _ => false,
        }
    }

    /// Whether an error that lost text lies in the section (from its
    /// `[header]` line to the next) that holds `offset`.
    fn lost_in_section(&self, offset: usize) -> bool {
        let after = self.headers.partition_point(|h| *h <= offset);
        let start = after.checked_sub(1).map_or(0, |i| self.headers[i]);
        let end = self.headers.get(after).copied().unwrap_or(usize::MAX);
        let first = self.lost.partition_point(|l| *l < start);
        self.lost.get(first).is_some_and(|l| *l < end)
    }
}

/// Says each syntax error of `text` on one line, and finds what they broke.
pub(crate) fn syntax_problems(
    doc: &Doc<'_>,
    text: &str,
    lines: &LineIndex,
    errors: Vec<toml::de::Error>,
) -> (Vec<SyntaxProblem>, Broken) {
    let mut broken = Broken::default();
    if errors.is_empty() {
        return (Vec::new(), broken);
    }
    broken.headers = header_lines(text);
    let mut firsts: Option<FirstDefinitions> = None;
    let mut said = Vec::with_capacity(errors.len());
    for error in errors {
        let span = error.span().unwrap_or(0..0);
        let message = error.message().lines().next().unwrap_or("").trim();
        if message == "duplicate key" {
            let firsts =
                firsts.get_or_insert_with(|| FirstDefinitions::new(doc, text, &broken.headers));
            said.push(duplicate(
                text,
                lines,
                &broken.headers,
                firsts,
                span.clone(),
            ));
        } else {
            broken.lost.push(span.start);
            said.push(SyntaxProblem {
                span: span.clone(),
                message: message.to_owned(),
                help: None,
            });
        }
        broken.spans.push(span);
    }
    broken.lost.sort_unstable();
    broken.spans.sort_by_key(|s| s.start);
    broken.spans = merge(std::mem::take(&mut broken.spans));
    broken.cut = cut(doc, text, &broken.lost);
    (said, broken)
}

/// Sorted ranges merged where they overlap.
fn merge(spans: Vec<Range<usize>>) -> Vec<Range<usize>> {
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for span in spans {
        match merged.last_mut() {
            Some(last) if span.start <= last.end.max(last.start + 1) => {
                last.end = last.end.max(span.end);
            }
            _ => merged.push(span),
        }
    }
    merged
}

/// Where the parser gave up on the rest of the file: an error past
/// everything the tree holds, with more than blanks and comments after its
/// line (after a key with no value, say, nothing more is read).
fn cut(doc: &Doc<'_>, text: &str, lost: &[usize]) -> Option<usize> {
    fn reach(value: &DeValue<'_>, far: &mut usize) {
        match value {
            DeValue::Table(table) => {
                for (key, value) in table.iter() {
                    *far = (*far).max(key.span().end).max(value.span().end);
                    reach(value.get_ref(), far);
                }
            }
            DeValue::Array(items) => {
                for value in items.iter() {
                    *far = (*far).max(value.span().end);
                    reach(value.get_ref(), far);
                }
            }
            _ => {}
        }
    }
    let mut far = 0;
    for (key, value) in doc.get_ref().iter() {
        far = far.max(key.span().end).max(value.span().end);
        reach(value.get_ref(), &mut far);
    }
    let at = *lost.iter().find(|at| **at >= far)?;
    let rest = text.get(at..)?;
    let after_line = rest.find('\n').map_or("", |n| &rest[n + 1..]);
    let more = after_line.lines().any(|line| {
        let line = line.trim();
        !line.is_empty() && !line.starts_with('#')
    });
    more.then_some(at)
}

/// Where each line whose first character opens a table header starts.
fn header_lines(text: &str) -> Vec<usize> {
    let mut at = 0;
    let mut found = Vec::new();
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with('[') {
            found.push(at);
        }
        at += line.len();
    }
    found
}

/// Every key of a tree by its dotted path (array indices left out) and by
/// its name, and every header by its path: where a duplicate was first
/// written. Found once per file, each list sorted.
struct FirstDefinitions {
    by_path: HashMap<String, Vec<usize>>,
    by_name: HashMap<String, Vec<usize>>,
    /// Where each header path is first opened.
    headers: HashMap<String, usize>,
}

impl FirstDefinitions {
    fn new(doc: &Doc<'_>, text: &str, headers: &[usize]) -> Self {
        fn walk(value: &DeValue<'_>, path: &str, firsts: &mut FirstDefinitions) {
            match value {
                DeValue::Table(table) => {
                    for (key, value) in table.iter() {
                        let name: &str = key.get_ref();
                        let here = if path.is_empty() {
                            name.to_owned()
                        } else {
                            format!("{path}.{name}")
                        };
                        let at = key.span().start;
                        firsts.by_name.entry(name.to_owned()).or_default().push(at);
                        walk(value.get_ref(), &here, firsts);
                        firsts.by_path.entry(here).or_default().push(at);
                    }
                }
                DeValue::Array(items) => {
                    for value in items.iter() {
                        walk(value.get_ref(), path, firsts);
                    }
                }
                _ => {}
            }
        }
        let mut firsts = Self {
            by_path: HashMap::new(),
            by_name: HashMap::new(),
            headers: HashMap::new(),
        };
        for at in headers {
            if let Some(path) = text.get(*at..).and_then(header_path) {
                firsts.headers.entry(path.join(".")).or_insert(*at);
            }
        }
        for (key, value) in doc.get_ref().iter() {
            let name: &str = key.get_ref();
            let at = key.span().start;
            firsts.by_name.entry(name.to_owned()).or_default().push(at);
            walk(value.get_ref(), name, &mut firsts);
            firsts.by_path.entry(name.to_owned()).or_default().push(at);
        }
        for list in firsts
            .by_path
            .values_mut()
            .chain(firsts.by_name.values_mut())
        {
            list.sort_unstable();
        }
        firsts
    }

    /// The last place before `before` (and from `from` on) where a key of
    /// the sorted list is written.
    fn last_in(list: Option<&Vec<usize>>, from: usize, before: usize) -> Option<usize> {
        let list = list?;
        let below = list.partition_point(|at| *at < before);
        below
            .checked_sub(1)
            .map(|i| list[i])
            .filter(|at| *at >= from)
    }
}

/// The problem of a key written twice: named, with the line of its first
/// definition when it can be found.
fn duplicate(
    text: &str,
    lines: &LineIndex,
    headers: &[usize],
    firsts: &FirstDefinitions,
    span: Range<usize>,
) -> SyntaxProblem {
    let raw = text.get(span.clone()).unwrap_or_default();
    let name = raw.trim_matches(|c| c == '"' || c == '\'');
    let first = first_definition(text, lines, headers, firsts, &span, name);
    let message = match first {
        Some(at) => format!(
            "duplicate key `{name}`, first defined on line {}",
            lines.line_of(at)
        ),
        None => format!("duplicate key `{name}`"),
    };
    SyntaxProblem {
        span,
        message,
        help: Some(
            "a key is defined once in its table: remove one of the two, or rename one".into(),
        ),
    }
}

/// Where the key a duplicate at `span` repeats was first written: the same
/// dotted path in the section (`[header]`) the duplicate is in, or the same
/// header opened before.
fn first_definition(
    text: &str,
    lines: &LineIndex,
    headers: &[usize],
    firsts: &FirstDefinitions,
    span: &Range<usize>,
    name: &str,
) -> Option<usize> {
    let line_start = lines.start_of(lines.line_of(span.start), text);
    let before = text.get(line_start..span.start)?;
    let section_at = headers.partition_point(|h| *h <= line_start);
    if let Some(path) = header_path(text.get(line_start..)?) {
        // A header opened again: the earlier header of the same table, or
        // the key that made it.
        let joined = path.join(".");
        let earlier = firsts
            .headers
            .get(&joined)
            .copied()
            .filter(|h| *h < line_start);
        return earlier
            .or_else(|| FirstDefinitions::last_in(firsts.by_path.get(&joined), 0, span.start));
    }
    let section = section_at.checked_sub(1).map_or(0, |i| headers[i]);
    let mut path = text
        .get(section..)
        .and_then(header_path)
        .unwrap_or_default();
    if section == 0 && headers.first() != Some(&0) {
        path.clear();
    }
    let prefix = before.trim();
    let dotted = match prefix.strip_suffix('.') {
        None if prefix.is_empty() => Some(Vec::new()),
        Some(keys) => dotted_key(keys)
            .filter(|(_, rest)| rest.is_empty())
            .map(|(k, _)| k),
        None => None,
    };
    match dotted {
        Some(keys) => {
            path.extend(keys);
            path.push(name.to_owned());
            FirstDefinitions::last_in(firsts.by_path.get(&path.join(".")), section, span.start)
        }
        // Inside an inline table: the key of that name written last before.
        None => FirstDefinitions::last_in(firsts.by_name.get(name), section, span.start),
    }
}

/// The keys of the header a line opens (`[a.b]`, `[[a."b c"]]`).
fn header_path(line: &str) -> Option<Vec<String>> {
    let line = line.trim_start();
    let inner = line.strip_prefix("[[").or_else(|| line.strip_prefix('['))?;
    let (keys, rest) = dotted_key(inner)?;
    rest.starts_with(']').then_some(keys)
}

/// The keys of a dotted key at the start of `text`, and what follows it.
fn dotted_key(text: &str) -> Option<(Vec<String>, &str)> {
    let mut keys = Vec::new();
    let mut rest = text.trim_start();
    loop {
        let (key, after) = if let Some(quoted) = rest.strip_prefix('"') {
            let end = quoted
                .char_indices()
                .scan(false, |escaped, (i, c)| {
                    let close = c == '"' && !*escaped;
                    *escaped = c == '\\' && !*escaped;
                    Some((i, close))
                })
                .find(|(_, close)| *close)?
                .0;
            (&quoted[..end], &quoted[end + 1..])
        } else if let Some(quoted) = rest.strip_prefix('\'') {
            let end = quoted.find('\'')?;
            (&quoted[..end], &quoted[end + 1..])
        } else {
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(rest.len());
            if end == 0 {
                return None;
            }
            (&rest[..end], &rest[end..])
        };
        keys.push(key.to_owned());
        let after = after.trim_start();
        match after.strip_prefix('.') {
            Some(more) => rest = more.trim_start(),
            None => return Some((keys, after)),
        }
    }
}
