//! Mutants made from a policy's own text: its spanned TOML tree (the toml
//! crate's) says where each value is written, and the policy reader's own
//! record of the format says what each value is (an amount, one of a set of
//! words, a flag).

use std::collections::HashMap;
use std::ops::Range;

use rust_decimal::Decimal;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{Linked, Mutant, Operator};
use crate::Policy;
use crate::policy::read::{RecNode, Shape};
use crate::policy::source::{LineIndex, Locator};

/// One replacement in the policy's text.
pub(super) type Edit = (Range<usize>, String);

/// Every mutant of `text`, in file order: see the [module documentation](super).
pub(super) fn mutants(policy: &Policy, file: &str, text: &str, format: &RecNode) -> Vec<Mutant> {
    let (doc, _) = DeTable::parse_recoverable(text);
    let mut walk = Walk {
        policy,
        file,
        text,
        lines: LineIndex::new(text),
        links: HashMap::new(),
        words: Vec::new(),
        out: Vec::new(),
        places: Vec::new(),
    };
    walk.table(doc.get_ref(), "", Some(format));
    walk.locate();
    walk.out
        .sort_by_key(|m| m.edits.first().map_or(0, |e| e.0.start));
    walk.out
}

struct Walk<'a> {
    policy: &'a Policy,
    file: &'a str,
    text: &'a str,
    lines: LineIndex,
    /// For a number in a step, the touching number of the step beside it
    /// (see [`links`]), by the number's offset.
    links: HashMap<usize, Link>,
    /// The words written in the table being walked (and its lists).
    words: Vec<String>,
    out: Vec<Mutant>,
    /// Where each mutant (and the number it carries along) is shown, by
    /// offset, with the mutant's place in `out`: all located in one pass.
    places: Vec<(usize, usize, Shown)>,
}

/// Which line and column a place fills in.
#[derive(Clone, Copy)]
enum Shown {
    Mutant,
    Linked,
}

/// A number written in a step of a list, which a move of another number
/// carries along.
#[derive(Clone)]
struct Link {
    span: Range<usize>,
    number: Decimal,
    quoted: bool,
    field: String,
}

/// The recorded format at one step down: a key the reader names, else any
/// entry of a table of ids.
fn child<'f>(node: Option<&'f RecNode>, key: &str) -> Option<&'f RecNode> {
    let node = node?;
    node.keys.get(key).or(node.entry.as_deref())
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// The words a value recorded with `shapes` may take, when it is a choice.
fn words(shapes: &[Shape]) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for shape in shapes {
        if let Shape::Words { words, .. } = shape {
            for word in words {
                if !out.contains(word) {
                    out.push(word);
                }
            }
        }
    }
    out
}

/// Whether the reader reads a string here as a number (an amount, a rate).
fn numeric_string(shapes: &[Shape]) -> bool {
    shapes
        .iter()
        .any(|s| matches!(s, Shape::Money { .. } | Shape::Decimal))
}

/// The unit a number moves by: its last written decimal place, 1 for a
/// whole number.
pub(super) fn unit_of(value: Decimal) -> Decimal {
    Decimal::new(1, value.scale())
}

impl Walk<'_> {
    fn table(&mut self, table: &DeTable<'_>, path: &str, format: Option<&RecNode>) {
        let mut words = Vec::new();
        for value in table.values() {
            match value.get_ref() {
                DeValue::String(s) => words.push(s.to_string()),
                DeValue::Array(items) => words.extend(
                    items
                        .iter()
                        .filter_map(|i| i.get_ref().as_str().map(str::to_owned)),
                ),
                _ => {}
            }
        }
        let outer = std::mem::replace(&mut self.words, words);
        for (key, value) in table {
            let key = key.get_ref();
            self.value(value, &join(path, key), child(format, key));
        }
        self.words = outer;
    }

    fn value(&mut self, value: &Spanned<DeValue<'_>>, path: &str, format: Option<&RecNode>) {
        let shapes = format.map_or(&[][..], |f| &f.shapes[..]);
        match value.get_ref() {
            DeValue::Table(table) => self.table(table, path, format),
            DeValue::Array(items) => {
                let items_format = format.and_then(|f| f.items.as_deref());
                self.links.extend(links(items, path, items_format));
                for (i, item) in items.iter().enumerate() {
                    self.value(item, &format!("{path}[{i}]"), items_format);
                }
                if !items.is_empty()
                    && items
                        .iter()
                        .all(|i| matches!(i.get_ref(), DeValue::Table(_)))
                {
                    self.ladder(items, path);
                }
            }
            DeValue::Integer(int) if int.radix() == 10 => {
                if let Ok(number) = int.as_str().parse::<Decimal>() {
                    self.moved(value.span(), path, number, false);
                }
            }
            DeValue::Float(float) => {
                if let Ok(number) = float.as_str().parse::<Decimal>() {
                    self.moved(value.span(), path, number, false);
                }
            }
            DeValue::String(s) => {
                let choices = words(shapes);
                if !choices.is_empty() {
                    let others: Vec<String> = choices
                        .iter()
                        .filter(|w| **w != s.as_ref())
                        .map(|w| format!("\"{w}\""))
                        .collect();
                    self.flipped(value.span(), path, &others);
                } else if numeric_string(shapes)
                    && let Ok(number) = s.parse::<Decimal>()
                {
                    self.moved(value.span(), path, number, true);
                }
            }
            DeValue::Boolean(b) => {
                self.flipped(value.span(), path, &[(!b).to_string()]);
            }
            // Dates and times are calendar data and clock readings, not the
            // rule's numbers: not moved.
            _ => {}
        }
    }

    /// A number one unit up and one unit down, written as the file writes
    /// it (quoted or bare, with as many decimals).
    fn moved(&mut self, span: Range<usize>, path: &str, number: Decimal, quoted: bool) {
        let unit = unit_of(number);
        for delta in [unit, -unit] {
            let Some(written) = moved_text(number, delta, quoted) else {
                continue;
            };
            self.push(Change {
                operator: Operator::Moved,
                path,
                at: span.start,
                old: self.text[span.clone()].to_owned(),
                new: written.clone(),
                edits: vec![(span.clone(), written)],
                delta: Some(delta),
            });
        }
    }

    /// A choice changed to each other word the reader knows for it.
    fn flipped(&mut self, span: Range<usize>, path: &str, choices: &[String]) {
        for word in choices {
            self.push(Change {
                operator: Operator::Flipped,
                path,
                at: span.start,
                old: self.text[span.clone()].to_owned(),
                new: word.clone(),
                edits: vec![(span.clone(), word.clone())],
                delta: None,
            });
        }
    }

    /// Each step of a list of tables dropped, and repeated right after itself.
    fn ladder(&mut self, items: &[Spanned<DeValue<'_>>], path: &str) {
        for (i, item) in items.iter().enumerate() {
            let step = format!("{path}[{i}]");
            let span = item.span();
            let written = &self.text[span.clone()];
            let (drop, repeat) = if written.starts_with("[[") {
                // `[[...]]`: from the header's line to the end of its last value's line.
                let start = self
                    .lines
                    .start_of(self.lines.line_of(span.start), self.text);
                let last = last_offset(item).max(span.end);
                let end = self.lines.start_of(self.lines.line_of(last) + 1, self.text);
                let body = &self.text[start..end];
                let copy = if body.ends_with('\n') {
                    format!("\n{body}")
                } else {
                    format!("\n\n{body}")
                };
                ((start..end, String::new()), (end..end, copy))
            } else {
                // Inline: the element and the comma after it (before it, for the last).
                let drop = match items.get(i + 1) {
                    Some(next) => span.start..next.span().start,
                    None if i > 0 => items[i - 1].span().end..span.end,
                    None => span.clone(),
                };
                let copy = format!("{written}, ");
                ((drop, String::new()), (span.start..span.start, copy))
            };
            let shown = one_line(written, i);
            for (operator, edit, new) in [
                (Operator::Dropped, drop, "(dropped)"),
                (Operator::Repeated, repeat, "(repeated)"),
            ] {
                self.push(Change {
                    operator,
                    path: &step,
                    at: span.start,
                    old: shown.clone(),
                    new: new.to_owned(),
                    edits: vec![edit],
                    delta: None,
                });
            }
        }
    }

    /// Fills in every mutant's line and column, and its carried number's
    /// line, in order of offset.
    fn locate(&mut self) {
        self.places.sort_unstable_by_key(|place| place.0);
        let mut locator = Locator::new(self.text, &self.lines);
        let narrow = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        for &(offset, index, shown) in &self.places {
            let (line, column) = locator.at(offset);
            let Some(mutant) = self.out.get_mut(index) else {
                continue;
            };
            match shown {
                Shown::Mutant => (mutant.line, mutant.column) = (narrow(line), narrow(column)),
                Shown::Linked => {
                    if let Some((_, linked)) = &mut mutant.fallback {
                        linked.line = narrow(line);
                    }
                }
            }
        }
    }

    fn push(&mut self, change: Change<'_>) {
        let index = self.out.len();
        self.places.push((change.at, index, Shown::Mutant));
        let fallback = change.edits.first().and_then(|(span, _)| {
            let link = self.links.get(&span.start)?;
            let written = moved_text(link.number, change.delta?, link.quoted)?;
            let mut edits = change.edits.clone();
            edits.push((link.span.clone(), written.clone()));
            edits.sort_by_key(|e| e.0.start);
            let linked = Linked {
                line: 0,
                field: link.field.clone(),
                old: self.text[link.span.clone()].to_owned(),
                new: written,
            };
            Some((edits, linked, link.span.start))
        });
        let fallback = fallback.map(|(edits, linked, at)| {
            self.places.push((at, index, Shown::Linked));
            (edits, linked)
        });
        self.out.push(Mutant {
            file: self.file.to_owned(),
            line: 0,
            column: 0,
            clause: clause_of(self.policy, change.path).to_owned(),
            field: change.path.to_owned(),
            operator: change.operator,
            old: change.old,
            new: change.new,
            with: None,
            edits: change.edits,
            fallback,
            words: self.words.clone(),
        });
    }
}

/// One mutant as the walk finds it.
struct Change<'p> {
    operator: Operator,
    path: &'p str,
    /// Where the mutant is shown.
    at: usize,
    old: String,
    new: String,
    edits: Vec<Edit>,
    /// How far a number moved.
    delta: Option<Decimal>,
}

/// A step as one line: an inline table as written, a `[[...]]` table as its
/// header and position.
fn one_line(written: &str, index: usize) -> String {
    if written.starts_with("[[") {
        return format!("{written} #{}", index + 1);
    }
    let line: String = written.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() > 72 {
        let cut: String = line.chars().take(70).collect();
        format!("{cut} …")
    } else {
        line
    }
}

/// `number` moved by `delta`, written with as many decimals, quoted or bare.
fn moved_text(number: Decimal, delta: Decimal, quoted: bool) -> Option<String> {
    let mut moved = number.checked_add(delta)?;
    moved.rescale(number.scale());
    Some(if quoted {
        format!("\"{moved}\"")
    } else {
        moved.to_string()
    })
}

/// A number written directly in a step (not nested deeper), with its span.
fn numbers<'v>(
    step: &'v Spanned<DeValue<'_>>,
    path: String,
    format: Option<&'v RecNode>,
) -> impl Iterator<Item = Link> + 'v {
    let table = match step.get_ref() {
        DeValue::Table(table) => Some(table),
        _ => None,
    };
    table.into_iter().flatten().filter_map(move |(key, value)| {
        let span = value.span();
        let field = join(&path, key.get_ref());
        match value.get_ref() {
            DeValue::Integer(int) if int.radix() == 10 => Some(Link {
                span,
                number: int.as_str().parse().ok()?,
                quoted: false,
                field,
            }),
            DeValue::String(s) => {
                let shapes = child(format, key.get_ref()).map(|f| &f.shapes[..])?;
                numeric_string(shapes).then_some(())?;
                Some(Link {
                    span,
                    number: s.parse().ok()?,
                    quoted: true,
                    field,
                })
            }
            _ => None,
        }
    })
}

/// Numbers of adjacent steps that touch: one step ends where the next
/// begins (`to = 70`, then `from = 70`), or one unit before it (`max = 85`,
/// then `min = 86`). Moving one alone leaves a gap or an overlap, which the
/// reader rejects; a band edge moves as one, both numbers together.
fn links(
    items: &[Spanned<DeValue<'_>>],
    path: &str,
    format: Option<&RecNode>,
) -> Vec<(usize, Link)> {
    let mut out = Vec::new();
    for (i, pair) in items.windows(2).enumerate() {
        let (before, after): (Vec<Link>, Vec<Link>) = (
            numbers(&pair[0], format!("{path}[{i}]"), format).collect(),
            numbers(&pair[1], format!("{path}[{}]", i + 1), format).collect(),
        );
        for low in &before {
            let unit = unit_of(low.number);
            let touching = after
                .iter()
                .find(|high| high.number == low.number)
                .or_else(|| after.iter().find(|high| high.number == low.number + unit));
            if let Some(high) = touching {
                out.push((low.span.start, high.clone()));
                out.push((high.span.start, low.clone()));
            }
        }
    }
    out
}

/// The end of the last value written inside `value`.
fn last_offset(value: &Spanned<DeValue<'_>>) -> usize {
    match value.get_ref() {
        DeValue::Table(table) => table
            .values()
            .map(last_offset)
            .max()
            .unwrap_or(value.span().end),
        DeValue::Array(items) => items
            .iter()
            .map(last_offset)
            .max()
            .unwrap_or(0)
            .max(value.span().end),
        _ => value.span().end,
    }
}

/// The most specific clause holding the field `path`, `""` when none does.
pub(super) fn clause_of<'p>(policy: &'p Policy, path: &str) -> &'p str {
    policy
        .clauses()
        .iter()
        .map(|c| c.id())
        .filter(|id| {
            path.strip_prefix(id).is_some_and(|rest| {
                rest.is_empty() || rest.starts_with('.') || rest.starts_with('[')
            })
        })
        .max_by_key(|id| id.len())
        .unwrap_or("")
}
