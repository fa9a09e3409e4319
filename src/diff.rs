//! What changed between two versions of a policy, clause by clause.
//!
//! Both files are loaded (so both must be valid) and compared as TOML
//! values, so formatting, comments and key order do not count. Each
//! difference is reported at the most specific clause that contains it (a
//! ladder step rather than its ladder), once: `~` for a changed clause with
//! the values that changed inside it, `+` for a clause only the new file has,
//! `-` for one only the old file has. A difference outside every clause is
//! reported at its own path. Arrays are compared element by element, as
//! clause ids count them (`calendar.holidays[2]`).
//!
//! ```
//! use cs_policy::diff::PolicyDiff;
//!
//! let old = cs_policy::EXAMPLES[0].1;
//! let new = old.replace(r#"name = "劳动节""#, r#"name = "五一劳动节""#);
//! let diff = PolicyDiff::from_texts("old.toml", old, "new.toml", &new)?;
//! assert_eq!(
//!     diff.to_string(),
//!     "~ calendar.holidays[3]: name \"劳动节\" → \"五一劳动节\"\n"
//! );
//! # Ok::<(), cs_policy::diff::DiffError>(())
//! ```

use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::path::Path;
use std::sync::LazyLock;

use serde::Serialize;
use toml::{Table, Value};

use crate::{LoadError, Policy};

/// Every clause that differs between two policies, in file order.
///
/// Made by [`PolicyDiff::between`], [`PolicyDiff::from_texts`] or
/// [`PolicyDiff::from_paths`]; shown one change a line by `Display`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PolicyDiff {
    changes: Vec<Change>,
}

/// Whether a clause was added, removed or changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Only the new policy has the clause.
    Added,
    /// Only the old policy has the clause.
    Removed,
    /// Both have it, with different values.
    Changed,
}

impl ChangeKind {
    /// The sign a change line starts with: `+`, `-` or `~`.
    pub const fn sign(self) -> char {
        match self {
            Self::Added => '+',
            Self::Removed => '-',
            Self::Changed => '~',
        }
    }
}

/// One clause that differs, with its old and new values.
///
/// ```
/// use cs_policy::diff::{ChangeKind, PolicyDiff};
///
/// let old = cs_policy::EXAMPLES[0].1;
/// let new = old.replace("2026-10-10]", "2026-10-10, 2026-12-26]");
/// let diff = PolicyDiff::from_texts("old.toml", old, "new.toml", &new)?;
/// let change = &diff.changes()[0];
/// assert_eq!(change.kind, ChangeKind::Added);
/// assert_eq!(change.clause, "calendar.makeup_working_days[6]");
/// assert_eq!(change.new.as_deref(), Some("2026-12-26"));
/// # Ok::<(), cs_policy::diff::DiffError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Added, removed or changed.
    pub kind: ChangeKind,
    /// The clause id (`discipline.ladders.complaint.steps[1]`) or, for a
    /// difference outside every clause, the path where it is.
    pub clause: String,
    /// Whether [`Change::clause`] is a clause of either policy (rather than
    /// the path of a difference outside every clause).
    pub is_clause: bool,
    /// The whole old value, written as inline TOML; `None` when added, and
    /// for a changed clause that holds other clauses (see
    /// [`Change::values`]).
    pub old: Option<String>,
    /// The whole new value, written as inline TOML; `None` when removed, and
    /// for a changed clause that holds other clauses.
    pub new: Option<String>,
    /// For a changed clause, each value inside it that differs.
    pub values: Vec<ValueChange>,
}

/// One value that differs inside a changed clause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValueChange {
    /// Its path inside the clause (`amount`, `days[2]`); empty when the
    /// clause's value itself is a plain value that changed.
    pub path: String,
    /// The old value as inline TOML; `None` when the new file added it.
    pub old: Option<String>,
    /// The new value as inline TOML; `None` when the new file removed it.
    pub new: Option<String>,
}

/// Why two policies could not be compared.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    /// One or both files could not be read or are not valid policies; each
    /// error holds every problem of its file.
    #[error("{}", invalid_message(.old.as_ref(), .new.as_ref()))]
    Invalid {
        /// What went wrong with the old policy, if anything.
        old: Option<LoadError>,
        /// What went wrong with the new policy, if anything.
        new: Option<LoadError>,
    },
    /// A text given with a loaded policy is not TOML (it cannot be the text
    /// the policy was loaded from).
    #[error("the {which} policy's text is not TOML: {message}")]
    NotToml {
        /// `old` or `new`.
        which: &'static str,
        /// What the parser said.
        message: String,
    },
}

fn invalid_message(old: Option<&LoadError>, new: Option<&LoadError>) -> String {
    let mut out = String::new();
    for (which, error) in [("old", old), ("new", new)] {
        if let Some(error) = error {
            if !out.is_empty() {
                out.push('\n');
            }
            match error.problems() {
                Some(problems) => {
                    let _ = write!(
                        out,
                        "the {which} policy has {} problem(s):\n{}",
                        problems.len(),
                        problems.render_short().trim_end()
                    );
                }
                None => {
                    let _ = write!(out, "the {which} policy: {error}");
                }
            }
        }
    }
    out
}

impl PolicyDiff {
    /// Compares two loaded policies, given the TOML texts they were loaded
    /// from.
    ///
    /// ```
    /// use cs_policy::Policy;
    /// use cs_policy::diff::PolicyDiff;
    ///
    /// let text = cs_policy::EXAMPLES[1].1;
    /// let policy = Policy::from_toml_str("education.toml", text)?;
    /// let diff = PolicyDiff::between(&policy, text, &policy, text)?;
    /// assert!(diff.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn between(
        old: &Policy,
        old_text: &str,
        new: &Policy,
        new_text: &str,
    ) -> Result<Self, DiffError> {
        let parse = |which, text: &str| {
            text.parse::<Table>().map_err(|e| DiffError::NotToml {
                which,
                message: e.message().to_owned(),
            })
        };
        let old_doc = parse("old", old_text)?;
        let new_doc = parse("new", new_text)?;
        let ids: Vec<&str> = old
            .clauses()
            .iter()
            .chain(new.clauses())
            .map(|c| c.id())
            .filter(|id| !id.is_empty())
            .collect();
        Ok(Self {
            changes: compare(&old_doc, &new_doc, &ids),
        })
    }

    /// Loads two policy texts and compares them; `old_file` and `new_file`
    /// name them in problems. Both must be valid policies: otherwise the
    /// error holds every problem of each invalid one.
    ///
    /// ```
    /// use cs_policy::diff::{DiffError, PolicyDiff};
    ///
    /// let old = cs_policy::EXAMPLES[0].1;
    /// let new = old.replace("week_starts = \"monday\"", "week_starts = \"mon\"");
    /// let Err(DiffError::Invalid { old: None, new: Some(error) }) =
    ///     PolicyDiff::from_texts("old.toml", old, "new.toml", &new)
    /// else {
    ///     panic!("the new policy is invalid");
    /// };
    /// assert_eq!(error.problems().map(|p| p.len()), Some(1));
    /// ```
    pub fn from_texts(
        old_file: &str,
        old_text: &str,
        new_file: &str,
        new_text: &str,
    ) -> Result<Self, DiffError> {
        let old = Policy::from_toml_str(old_file, old_text).map_err(LoadError::from);
        let new = Policy::from_toml_str(new_file, new_text).map_err(LoadError::from);
        match (old, new) {
            (Ok(old), Ok(new)) => Self::between(&old, old_text, &new, new_text),
            (old, new) => Err(DiffError::Invalid {
                old: old.err(),
                new: new.err(),
            }),
        }
    }

    /// Reads two policy files and compares them, like [`PolicyDiff::from_texts`].
    pub fn from_paths(old: impl AsRef<Path>, new: impl AsRef<Path>) -> Result<Self, DiffError> {
        let read = |path: &Path| {
            std::fs::read_to_string(path).map_err(|source| LoadError::Read {
                path: path.display().to_string(),
                source,
            })
        };
        let (old, new) = (old.as_ref(), new.as_ref());
        match (read(old), read(new)) {
            (Ok(old_text), Ok(new_text)) => Self::from_texts(
                &old.display().to_string(),
                &old_text,
                &new.display().to_string(),
                &new_text,
            ),
            (old, new) => Err(DiffError::Invalid {
                old: old.err(),
                new: new.err(),
            }),
        }
    }

    /// Every change, in file order.
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// Whether the two policies state the same rules.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

impl fmt::Display for PolicyDiff {
    /// One change a line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for change in &self.changes {
            writeln!(f, "{change}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Change {
    /// `~ clause: key old → new, key old → new`, `+ clause: value` or
    /// `- clause: value`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: ", self.kind.sign(), self.clause)?;
        match self.kind {
            ChangeKind::Added => f.write_str(self.new.as_deref().unwrap_or_default()),
            ChangeKind::Removed => f.write_str(self.old.as_deref().unwrap_or_default()),
            ChangeKind::Changed => {
                for (i, value) in self.values.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    if !value.path.is_empty() {
                        write!(f, "{} ", value.path)?;
                    }
                    let shown = |v: &Option<String>| v.clone().unwrap_or_else(|| "(absent)".into());
                    write!(f, "{} → {}", shown(&value.old), shown(&value.new))?;
                }
                Ok(())
            }
        }
    }
}

/// One difference between the two documents, at a path.
struct Difference<'v> {
    path: String,
    old: Option<&'v Value>,
    new: Option<&'v Value>,
}

fn compare(old: &Table, new: &Table, ids: &[&str]) -> Vec<Change> {
    let mut differences = Vec::new();
    walk_tables("", old, new, ids, &mut differences);

    // Group the differences by the most specific clause containing each.
    let mut groups: Vec<(String, bool, Vec<Difference<'_>>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for difference in differences {
        let owner = ids
            .iter()
            .filter(|id| contains(id, &difference.path))
            .max_by_key(|id| id.len());
        let (key, is_clause) = match owner {
            Some(id) => ((*id).to_owned(), true),
            None => (difference.path.clone(), false),
        };
        let slot = *index.entry(key.clone()).or_insert_with(|| {
            groups.push((key, is_clause, Vec::new()));
            groups.len() - 1
        });
        if let Some(group) = groups.get_mut(slot) {
            group.2.push(difference);
        }
    }

    groups
        .into_iter()
        .map(|(clause, is_clause, differences)| {
            let old_value = lookup(old, &clause);
            let new_value = lookup(new, &clause);
            let kind = match (old_value, new_value) {
                (None, Some(_)) => ChangeKind::Added,
                (Some(_), None) => ChangeKind::Removed,
                _ => ChangeKind::Changed,
            };
            let values = match kind {
                ChangeKind::Changed => differences
                    .iter()
                    .map(|d| ValueChange {
                        path: relative(&clause, &d.path).to_owned(),
                        old: d.old.map(inline),
                        new: d.new.map(inline),
                    })
                    .collect(),
                _ => Vec::new(),
            };
            // A changed clause holding other clauses would repeat them all.
            let whole = kind != ChangeKind::Changed || !has_clause_below(ids, &clause);
            Change {
                kind,
                old: old_value.filter(|_| whole).map(inline),
                new: new_value.filter(|_| whole).map(inline),
                clause,
                is_clause,
                values,
            }
        })
        .collect()
}

/// Whether the clause `id` holds the value at `path` (or is it).
fn contains(id: &str, path: &str) -> bool {
    path.strip_prefix(id)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('['))
}

/// `path` inside the clause `id`, without the separating dot.
fn relative<'p>(id: &str, path: &'p str) -> &'p str {
    let rest = path.get(id.len()..).unwrap_or(path);
    rest.strip_prefix('.').unwrap_or(rest)
}

fn child_path(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn walk_tables<'v>(
    path: &str,
    old: &'v Table,
    new: &'v Table,
    ids: &[&str],
    out: &mut Vec<Difference<'v>>,
) {
    for (key, value) in new {
        walk(&child_path(path, key), old.get(key), Some(value), ids, out);
    }
    for (key, value) in old {
        if !new.contains_key(key) {
            walk(&child_path(path, key), Some(value), None, ids, out);
        }
    }
}

fn walk<'v>(
    path: &str,
    old: Option<&'v Value>,
    new: Option<&'v Value>,
    ids: &[&str],
    out: &mut Vec<Difference<'v>>,
) {
    match (old, new) {
        (Some(Value::Table(o)), Some(Value::Table(n))) => walk_tables(path, o, n, ids, out),
        (Some(Value::Array(o)), Some(Value::Array(n))) => {
            for i in 0..o.len().max(n.len()) {
                walk(&format!("{path}[{i}]"), o.get(i), n.get(i), ids, out);
            }
        }
        (Some(o), Some(n)) if o == n => {}
        // A table or array only one side has, holding clauses but no clause
        // itself: each clause inside is added or removed on its own.
        (Some(Value::Table(t)), None) if splits(ids, path) => {
            walk_tables(path, t, &EMPTY, ids, out)
        }
        (None, Some(Value::Table(t))) if splits(ids, path) => {
            walk_tables(path, &EMPTY, t, ids, out)
        }
        (Some(Value::Array(items)), None) if splits(ids, path) => {
            for (i, item) in items.iter().enumerate() {
                walk(&format!("{path}[{i}]"), Some(item), None, ids, out);
            }
        }
        (None, Some(Value::Array(items))) if splits(ids, path) => {
            for (i, item) in items.iter().enumerate() {
                walk(&format!("{path}[{i}]"), None, Some(item), ids, out);
            }
        }
        (None, None) => {}
        _ => out.push(Difference {
            path: path.to_owned(),
            old,
            new,
        }),
    }
}

/// Whether a value only one side has is reported clause by clause: it holds
/// clauses and is no clause itself (a clause added or removed whole is one
/// change).
fn splits(ids: &[&str], path: &str) -> bool {
    !ids.contains(&path) && has_clause_below(ids, path)
}

/// The other side of a table only one document has.
static EMPTY: LazyLock<Table> = LazyLock::new(Table::new);

/// Whether some clause lies strictly inside `path`.
fn has_clause_below(ids: &[&str], path: &str) -> bool {
    ids.iter().any(|id| {
        id.strip_prefix(path)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
    })
}

/// The value at a dotted path with `[i]` indices; keys may hold dots.
fn lookup<'v>(doc: &'v Table, path: &str) -> Option<&'v Value> {
    let mut rest = path;
    // The longest key of `table` that `rest` starts with, up to a separator.
    let mut value = step(doc, &mut rest)?;
    loop {
        if rest.is_empty() {
            return Some(value);
        }
        if let Some(after) = rest.strip_prefix('[') {
            let close = after.find(']')?;
            let index: usize = after[..close].parse().ok()?;
            value = value.as_array()?.get(index)?;
            rest = &after[close + 1..];
        } else if let Some(after) = rest.strip_prefix('.') {
            rest = after;
            value = step(value.as_table()?, &mut rest)?;
        } else {
            return None;
        }
    }
}

fn step<'v>(table: &'v Table, rest: &mut &str) -> Option<&'v Value> {
    let (key, value) = table
        .iter()
        .filter(|(key, _)| {
            rest.strip_prefix(key.as_str()).is_some_and(|after| {
                after.is_empty() || after.starts_with('.') || after.starts_with('[')
            })
        })
        .max_by_key(|(key, _)| key.len())?;
    *rest = &rest[key.len()..];
    Some(value)
}

/// A value written as inline TOML, on one line.
fn inline(value: &Value) -> String {
    let mut out = String::new();
    write_inline(&mut out, value);
    out
}

fn write_inline(out: &mut String, value: &Value) {
    match value {
        Value::String(s) => write_string(out, s),
        Value::Integer(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) => {
            if f.is_nan() {
                out.push_str("nan");
            } else if f.is_infinite() {
                out.push_str(if *f > 0.0 { "inf" } else { "-inf" });
            } else if f.fract() == 0.0 && f.abs() < 1e15 {
                let _ = write!(out, "{f:.1}");
            } else {
                let _ = write!(out, "{f}");
            }
        }
        Value::Boolean(b) => {
            let _ = write!(out, "{b}");
        }
        Value::Datetime(d) => {
            let _ = write!(out, "{d}");
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_inline(out, item);
            }
            out.push(']');
        }
        Value::Table(table) => {
            if table.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push_str("{ ");
            for (i, (key, item)) in table.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                let bare = !key.is_empty()
                    && key
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                if bare {
                    out.push_str(key);
                } else {
                    write_string(out, key);
                }
                out.push_str(" = ");
                write_inline(out, item);
            }
            out.push_str(" }");
        }
    }
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
