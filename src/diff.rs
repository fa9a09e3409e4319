//! What changed between two versions of a policy, clause by clause.
//!
//! Both files are loaded (so both must be valid) and compared as TOML
//! values, so formatting, comments and key order do not count. Each
//! difference is reported at the most specific clause that contains it (a
//! ladder step rather than its ladder), once: `~` for a changed clause with
//! the values that changed inside it, `+` for a clause only the new file has,
//! `-` for one only the old file has. A difference outside every clause is
//! reported at its own path. Arrays are aligned, so that a holiday inserted
//! into a list is one added clause: the unchanged ones after it are not
//! reported, and a changed one is cited by its new index with its old one
//! (`~ calendar.holidays[4] (was calendar.holidays[3]): ...`).
//!
//! ```
//! use cs_policy::diff::PolicyDiff;
//!
//! let old = cs_policy::EXAMPLES[0].1;
//! let new = old.replace(r#"label = "第二次""#, r#"label = "第二回""#);
//! let diff = PolicyDiff::from_texts("old.toml", old, "new.toml", &new)?;
//! assert_eq!(
//!     diff.to_string(),
//!     "~ discipline.ladders.complaint.steps[1]: label \"第二次\" → \"第二回\"\n"
//! );
//! # Ok::<(), cs_policy::diff::DiffError>(())
//! ```

use std::collections::{HashMap, HashSet};
use std::fmt::{self, Write as _};
use std::path::Path;
use std::rc::Rc;
use std::sync::LazyLock;

use serde::Serialize;
use toml::{Table, Value};

use crate::money;
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
#[non_exhaustive]
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
/// let new = old.replace(
///     r#"calendars = ["cn-2026"]"#,
///     "calendars = [\"cn-2026\"]\nmakeup_working_days = [2026-12-26]",
/// );
/// let diff = PolicyDiff::from_texts("old.toml", old, "new.toml", &new)?;
/// let change = &diff.changes()[0];
/// assert_eq!(change.kind, ChangeKind::Added);
/// assert_eq!(change.clause, "calendar.makeup_working_days[0]");
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
    /// The clause's id in the old policy, when it moved (a holiday inserted
    /// before it shifts its index).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved_from: Option<String>,
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
#[non_exhaustive]
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
    pub fn between<'p>(
        old: &'p Policy,
        old_text: &str,
        new: &'p Policy,
        new_text: &str,
    ) -> Result<Self, DiffError> {
        let parse = |which, text: &str| {
            text.parse::<Table>().map_err(|e| DiffError::NotToml {
                which,
                message: e.message().to_owned(),
            })
        };
        // The holiday calendars a policy names are compared as part of it,
        // under `calendars.<id>`, the ids of their clauses.
        let with_calendars = |which, text: &str, policy: &Policy| {
            let mut doc = parse(which, text)?;
            let mut calendars = Table::new();
            for c in policy.calendar().calendars() {
                calendars.insert(c.id().to_owned(), Value::Table(parse(which, c.text())?));
            }
            if !calendars.is_empty() {
                doc.insert("calendars".to_owned(), Value::Table(calendars));
            }
            Ok(doc)
        };
        let old_doc = with_calendars("old", old_text, old)?;
        let new_doc = with_calendars("new", new_text, new)?;
        let ids = |policy: &'p Policy| -> Vec<&'p str> {
            policy
                .clauses()
                .iter()
                .map(|c| c.id())
                .filter(|id| !id.is_empty())
                .collect()
        };
        Ok(Self {
            changes: compare(&old_doc, &new_doc, &ids(old), &ids(new)),
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

    /// Reads two policy files and compares them, like [`PolicyDiff::from_texts`];
    /// each is read as a policy is loaded ([`crate::read_file`] within
    /// [`crate::DEFAULT_SIZE_LIMIT`]).
    pub fn from_paths(old: impl AsRef<Path>, new: impl AsRef<Path>) -> Result<Self, DiffError> {
        let read = |path: &Path| crate::read_file(path, crate::DEFAULT_SIZE_LIMIT);
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
        write!(f, "{} {}", self.kind.sign(), self.clause)?;
        if let Some(old_id) = &self.moved_from {
            write!(f, " (was {old_id})")?;
        }
        f.write_str(": ")?;
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

/// The clause a difference belongs to, with its paths and values on each
/// side (a clause may sit at another index in the new file).
struct Owner<'v> {
    id: String,
    old_path: Option<String>,
    old: Option<&'v Value>,
    new: Option<&'v Value>,
}

/// One difference between the two documents.
struct Difference<'v> {
    /// The most specific clause holding it, if any.
    owner: Option<Rc<Owner<'v>>>,
    /// Its path in the document (the new one where it has the value).
    path: String,
    /// Its path inside the owner.
    relative: String,
    old: Option<&'v Value>,
    new: Option<&'v Value>,
}

/// Where the walk is, on each side.
#[derive(Clone)]
struct At {
    old: Option<String>,
    new: Option<String>,
    relative: String,
}

impl At {
    fn key(&self, key: &str) -> Self {
        let join = |path: &str| child_path(path, key);
        Self {
            old: self.old.as_deref().map(join),
            new: self.new.as_deref().map(join),
            relative: join(&self.relative),
        }
    }

    fn index(&self, old: Option<usize>, new: Option<usize>) -> Self {
        let shown = new.or(old).unwrap_or_default();
        Self {
            old: self
                .old
                .as_deref()
                .zip(old)
                .map(|(p, i)| format!("{p}[{i}]")),
            new: self
                .new
                .as_deref()
                .zip(new)
                .map(|(p, i)| format!("{p}[{i}]")),
            relative: format!("{}[{shown}]", self.relative),
        }
    }
}

struct Walk<'a, 'v> {
    old_ids: HashSet<&'a str>,
    new_ids: HashSet<&'a str>,
    out: Vec<Difference<'v>>,
}

/// The changes between two policy tables: every difference found by a
/// walk of both, grouped by the clause it falls in, each group one change.
fn compare(old: &Table, new: &Table, old_ids: &[&str], new_ids: &[&str]) -> Vec<Change> {
    let mut walk = Walk {
        old_ids: old_ids.iter().copied().collect(),
        new_ids: new_ids.iter().copied().collect(),
        out: Vec::new(),
    };
    let root = At {
        old: Some(String::new()),
        new: Some(String::new()),
        relative: String::new(),
    };
    walk.tables(&root, None, Some(old), Some(new));
    let ids: Vec<&str> = old_ids.iter().chain(new_ids).copied().collect();
    by_clause(walk.out)
        .into_iter()
        .filter_map(|(clause, differences)| change_of(clause, &differences, &ids))
        .collect()
}

/// The differences grouped by clause, in the order first met. A clause
/// removed at an index and another moved to it are two groups.
fn by_clause(differences: Vec<Difference<'_>>) -> Vec<(String, Vec<Difference<'_>>)> {
    let mut groups: Vec<(String, Vec<Difference<'_>>)> = Vec::new();
    let mut index: HashMap<(String, Option<String>), usize> = HashMap::new();
    for difference in differences {
        let key = match &difference.owner {
            Some(owner) => (owner.id.clone(), owner.old_path.clone()),
            None => (difference.path.clone(), None),
        };
        let slot = *index.entry(key.clone()).or_insert_with(|| {
            groups.push((key.0, Vec::new()));
            groups.len() - 1
        });
        if let Some(group) = groups.get_mut(slot) {
            group.1.push(difference);
        }
    }
    groups
}

/// One clause's differences as a change: added, removed, or changed value
/// by value; a changed clause holding other clauses is not shown whole.
fn change_of(clause: String, differences: &[Difference<'_>], ids: &[&str]) -> Option<Change> {
    let first = differences.first()?;
    let (old, new, moved_from, is_clause) = match &first.owner {
        Some(owner) => (
            owner.old,
            owner.new,
            owner.old_path.clone().filter(|p| *p != owner.id),
            true,
        ),
        None => (first.old, first.new, None, false),
    };
    let kind = match (old, new) {
        (None, Some(_)) => ChangeKind::Added,
        (Some(_), None) => ChangeKind::Removed,
        _ => ChangeKind::Changed,
    };
    let values = match kind {
        ChangeKind::Changed => differences
            .iter()
            .map(|d| ValueChange {
                // Outside every clause, a difference is its own group.
                path: match d.owner {
                    Some(_) => d.relative.clone(),
                    None => String::new(),
                },
                old: d.old.map(inline),
                new: d.new.map(inline),
            })
            .collect(),
        _ => Vec::new(),
    };
    // A changed clause holding other clauses would repeat them all.
    let whole = kind != ChangeKind::Changed
        || !(has_clause_below(ids, &clause)
            || moved_from
                .as_deref()
                .is_some_and(|p| has_clause_below(ids, p)));
    Some(Change {
        kind,
        old: old.filter(|_| whole).map(inline),
        new: new.filter(|_| whole).map(inline),
        clause,
        moved_from,
        is_clause,
        values,
    })
}

impl<'v> Walk<'_, 'v> {
    fn tables(
        &mut self,
        at: &At,
        owner: Option<Rc<Owner<'v>>>,
        old: Option<&'v Table>,
        new: Option<&'v Table>,
    ) {
        let (old_table, new_table) = (old.unwrap_or(&EMPTY), new.unwrap_or(&EMPTY));
        for (key, value) in new_table {
            let old_value = old_table.get(key);
            self.walk(&at.key(key), owner.clone(), old_value, Some(value));
        }
        for (key, value) in old_table {
            if !new_table.contains_key(key) {
                self.walk(&at.key(key), owner.clone(), Some(value), None);
            }
        }
    }

    /// The values at `at` on each side: two tables or two arrays are walked
    /// into, as is one only one side has that holds clauses; any other
    /// pair that differs is a difference.
    fn walk(
        &mut self,
        at: &At,
        owner: Option<Rc<Owner<'v>>>,
        old: Option<&'v Value>,
        new: Option<&'v Value>,
    ) {
        let (at, owner) = self.enter(at, owner, old, new);
        // A table or array only one side has that holds clauses but is no
        // clause itself: each clause inside is added or removed on its own.
        let split_old = new.is_none() && holds_clauses(&self.old_ids, at.old.as_deref());
        let split_new = old.is_none() && holds_clauses(&self.new_ids, at.new.as_deref());
        match (old, new) {
            (Some(Value::Table(o)), Some(Value::Table(n))) => {
                self.tables(&at, owner, Some(o), Some(n));
            }
            (Some(Value::Array(o)), Some(Value::Array(n))) => {
                self.elements(&at, owner, align(o, n), o, n);
            }
            (Some(o), Some(n)) if o == n => {}
            (Some(Value::Table(t)), None) if split_old => {
                let at = At { new: None, ..at };
                self.tables(&at, owner, Some(t), None);
            }
            (None, Some(Value::Table(t))) if split_new => {
                let at = At { old: None, ..at };
                self.tables(&at, owner, None, Some(t));
            }
            (Some(Value::Array(items)), None) if split_old => {
                let at = At { new: None, ..at };
                let removed = (0..items.len()).map(|i| (Some(i), None));
                self.elements(&at, owner, removed, items, &[]);
            }
            (None, Some(Value::Array(items))) if split_new => {
                let at = At { old: None, ..at };
                let added = (0..items.len()).map(|j| (None, Some(j)));
                self.elements(&at, owner, added, &[], items);
            }
            (None, None) => {}
            _ => self.differ(at, owner, old, new),
        }
    }

    /// Where the walk stands at `at`: a clause that starts there owns what
    /// lies inside it, whose paths are then relative to it.
    fn enter(
        &self,
        at: &At,
        owner: Option<Rc<Owner<'v>>>,
        old: Option<&'v Value>,
        new: Option<&'v Value>,
    ) -> (At, Option<Rc<Owner<'v>>>) {
        let in_old = at.old.as_deref().filter(|p| self.old_ids.contains(p));
        let in_new = at.new.as_deref().filter(|p| self.new_ids.contains(p));
        let mut at = at.clone();
        let Some(id) = in_new.or(in_old) else {
            return (at, owner);
        };
        let owner = Rc::new(Owner {
            id: id.to_owned(),
            old_path: at.old.clone(),
            old,
            new,
        });
        at.relative = String::new();
        (at, Some(owner))
    }

    /// The elements of two arrays, paired by index as `pairs` says, each
    /// walked at its place on each side.
    fn elements(
        &mut self,
        at: &At,
        owner: Option<Rc<Owner<'v>>>,
        pairs: impl IntoIterator<Item = (Option<usize>, Option<usize>)>,
        old: &'v [Value],
        new: &'v [Value],
    ) {
        for (i, j) in pairs {
            let (o, n) = (i.and_then(|i| old.get(i)), j.and_then(|j| new.get(j)));
            self.walk(&at.index(i, j), owner.clone(), o, n);
        }
    }

    /// A value that differs, kept at its path in the new document where it
    /// has one, else in the old.
    fn differ(
        &mut self,
        at: At,
        owner: Option<Rc<Owner<'v>>>,
        old: Option<&'v Value>,
        new: Option<&'v Value>,
    ) {
        let path = at.new.clone().filter(|_| new.is_some());
        let path = path.or_else(|| at.old.clone()).unwrap_or_default();
        self.out.push(Difference {
            owner,
            path,
            relative: at.relative,
            old,
            new,
        });
    }
}

/// Pairs the elements of two arrays: equal elements in the longest common
/// subsequence are matched (so an inserted element shifts nothing), and the
/// elements between matches are paired in order, the rest added or removed.
fn align(old: &[Value], new: &[Value]) -> Vec<(Option<usize>, Option<usize>)> {
    let (a, b) = (old.len(), new.len());
    let mut pairs = Vec::with_capacity(a.max(b));
    if a.saturating_mul(b) > 1_000_000 {
        // Too long to align: compare by position.
        for k in 0..a.max(b) {
            pairs.push(((k < a).then_some(k), (k < b).then_some(k)));
        }
        return pairs;
    }
    // common[i * (b + 1) + j]: the longest common subsequence of old[i..], new[j..].
    let at = |i: usize, j: usize| i * (b + 1) + j;
    let mut common = vec![0u32; (a + 1) * (b + 1)];
    for i in (0..a).rev() {
        for j in (0..b).rev() {
            common[at(i, j)] = if old[i] == new[j] {
                common[at(i + 1, j + 1)] + 1
            } else {
                common[at(i + 1, j)].max(common[at(i, j + 1)])
            };
        }
    }
    let (mut gap_old, mut gap_new) = (Vec::new(), Vec::new());
    let flush = |pairs: &mut Vec<_>, gap_old: &mut Vec<usize>, gap_new: &mut Vec<usize>| {
        pairs.extend(pair_gap(old, new, gap_old, gap_new));
        gap_old.clear();
        gap_new.clear();
    };
    let (mut i, mut j) = (0, 0);
    while i < a || j < b {
        if i < a && j < b && old[i] == new[j] {
            flush(&mut pairs, &mut gap_old, &mut gap_new);
            pairs.push((Some(i), Some(j)));
            i += 1;
            j += 1;
        } else if j < b && (i == a || common[at(i, j + 1)] >= common[at(i + 1, j)]) {
            gap_new.push(j);
            j += 1;
        } else {
            gap_old.push(i);
            i += 1;
        }
    }
    flush(&mut pairs, &mut gap_old, &mut gap_new);
    pairs
}

/// Pairs the elements between two matches: in order when there are as many
/// on each side (values edited in place), otherwise each with the most
/// similar one (tables sharing the most values), the rest added or removed.
fn pair_gap(
    old: &[Value],
    new: &[Value],
    gap_old: &[usize],
    gap_new: &[usize],
) -> Vec<(Option<usize>, Option<usize>)> {
    if gap_old.len() == gap_new.len() {
        return gap_old
            .iter()
            .zip(gap_new)
            .map(|(i, j)| (Some(*i), Some(*j)))
            .collect();
    }
    let shared = |i: usize, j: usize| match (old.get(i), new.get(j)) {
        (Some(Value::Table(o)), Some(Value::Table(n))) => {
            o.iter().filter(|(k, v)| n.get(*k) == Some(*v)).count()
        }
        _ => 0,
    };
    let mut candidates: Vec<(usize, usize, usize)> = gap_old
        .iter()
        .flat_map(|i| gap_new.iter().map(move |j| (*i, *j)))
        .map(|(i, j)| (shared(i, j), i, j))
        .filter(|(score, _, _)| *score > 0)
        .collect();
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2))));
    let (mut used_old, mut used_new) = (HashSet::new(), HashSet::new());
    let mut pairs = Vec::new();
    for (_, i, j) in candidates {
        if !used_old.contains(&i) && !used_new.contains(&j) {
            used_old.insert(i);
            used_new.insert(j);
            pairs.push((Some(i), Some(j)));
        }
    }
    pairs.extend(
        gap_old
            .iter()
            .filter(|i| !used_old.contains(*i))
            .map(|i| (Some(*i), None)),
    );
    pairs.extend(
        gap_new
            .iter()
            .filter(|j| !used_new.contains(*j))
            .map(|j| (None, Some(*j))),
    );
    // In file order: by index, a removed element before one now at its index.
    pairs.sort_by_key(|(i, j)| (j.or(*i), j.is_some()));
    pairs
}

fn child_path(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// The other side of a table only one document has.
static EMPTY: LazyLock<Table> = LazyLock::new(Table::new);

/// Whether some clause lies strictly inside `path`.
fn has_clause_below(ids: &[&str], path: &str) -> bool {
    ids.iter().any(|id| strictly_inside(id, path))
}

fn has_clause_below_set(ids: &HashSet<&str>, path: &str) -> bool {
    ids.iter().any(|id| strictly_inside(id, path))
}

/// Whether `path` holds clauses of `ids` but is no clause itself.
fn holds_clauses(ids: &HashSet<&str>, path: Option<&str>) -> bool {
    path.is_some_and(|p| !ids.contains(p) && has_clause_below_set(ids, p))
}

fn strictly_inside(id: &str, path: &str) -> bool {
    id.strip_prefix(path)
        .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
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
        Value::Float(f) => write_float(out, *f),
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
        Value::Table(table) => write_table(out, table),
    }
}

/// A float as TOML writes it: a whole number keeps its `.0`, and the
/// special values their TOML names.
fn write_float(out: &mut String, f: f64) {
    if f.is_nan() {
        out.push_str("nan");
    } else if f.is_infinite() {
        out.push_str(if f > 0.0 { "inf" } else { "-inf" });
    } else if f.fract() == 0.0 && f.abs() < 1e15 {
        let _ = write!(out, "{f:.1}");
    } else {
        let _ = write!(out, "{f}");
    }
}

/// A table as an inline table, its keys bare where TOML allows.
fn write_table(out: &mut String, table: &Table) {
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

/// A TOML basic string, quoted and escaped.
pub(crate) fn write_string(out: &mut String, s: &str) {
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

/// One month replayed through two versions of a policy: every agent whose
/// statement changes, with the total before and after and each line that
/// changed, matched by line kind and clause id.
///
/// ```
/// use cs_policy::diff::Replay;
/// use cs_policy::{Policy, Scenario};
///
/// let old = Policy::example("shop")?;
/// let text = cs_policy::EXAMPLES[0].1.replace(
///     r#"{ amount = 100, label = "第二次" }"#,
///     r#"{ amount = 120, label = "第二次" }"#,
/// );
/// let new = Policy::from_toml_str("shop-120.toml", &text)?;
/// let month = Scenario::from_toml_str(
///     "month.scenario.toml",
///     r#"
/// year = 2026
/// month = 3
/// [[agents]]
/// id = "S01"
/// [[incidents]]
/// agent = "S01"
/// kind = "complaint"
/// date = "2026-03-03"
/// [[incidents]]
/// agent = "S01"
/// kind = "complaint"
/// date = "2026-03-10"
/// "#,
/// )?;
/// let replay = Replay::between(&old, &new, &month).unwrap();
/// let agent = &replay.agents[0];
/// assert_eq!((agent.agent.as_str(), agent.change().to_string().as_str()), ("S01", "-20.00"));
/// assert_eq!(agent.lines[0].clause, "discipline.ladders.complaint.steps[1]");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Replay {
    /// The agents whose statements differ, in the scenario's order.
    pub agents: Vec<AgentChange>,
}

/// One agent's statement under both versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgentChange {
    /// The agent.
    pub agent: String,
    /// The statement's total under the old policy.
    pub before: rust_decimal::Decimal,
    /// The statement's total under the new policy.
    pub after: rust_decimal::Decimal,
    /// The lines whose amounts differ (summed per kind and clause).
    pub lines: Vec<LineChange>,
}

impl AgentChange {
    /// How much the total moved (after − before). [`Replay::between`]
    /// checks that it fits; totals set by hand that do not give the
    /// nearest a decimal holds.
    pub fn change(&self) -> rust_decimal::Decimal {
        self.after.saturating_sub(self.before)
    }
}

/// The lines of one kind and clause on one agent's statement, before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineChange {
    /// The line kind, as `cs-policy eval` shows it.
    pub kind: &'static str,
    /// The clause id that decided the lines.
    pub clause: String,
    /// Their sum under the old policy (0 when it had none).
    pub before: rust_decimal::Decimal,
    /// Their sum under the new policy (0 when it has none).
    pub after: rust_decimal::Decimal,
}

impl Replay {
    /// Evaluates the month under both policies and keeps the differences.
    pub fn between(
        old: &Policy,
        new: &Policy,
        month: &crate::Scenario,
    ) -> Result<Self, crate::statement::StatementError> {
        let before = old.team_statement(month)?;
        let after = new.team_statement(month)?;
        let mut agents = Vec::new();
        for (b, a) in before.statements.iter().zip(&after.statements) {
            let mut sums: std::collections::BTreeMap<
                (String, &'static str),
                (rust_decimal::Decimal, rust_decimal::Decimal),
            > = std::collections::BTreeMap::new();
            let overflow = |error| crate::statement::StatementError::Overflow {
                agent: b.agent.clone(),
                error,
            };
            for line in &b.lines {
                let key = (line.clause.id().to_owned(), line.kind.word());
                let sum = &mut sums.entry(key).or_default().0;
                *sum = money::plus(*sum, line.amount, line.kind.word()).map_err(overflow)?;
            }
            for line in &a.lines {
                let key = (line.clause.id().to_owned(), line.kind.word());
                let sum = &mut sums.entry(key).or_default().1;
                *sum = money::plus(*sum, line.amount, line.kind.word()).map_err(overflow)?;
            }
            money::minus(a.total, b.total, "the change in the total").map_err(overflow)?;
            let lines: Vec<LineChange> = sums
                .into_iter()
                .filter(|(_, (x, y))| x != y)
                .map(|((clause, kind), (before, after))| LineChange {
                    kind,
                    clause,
                    before,
                    after,
                })
                .collect();
            if !lines.is_empty() || b.total != a.total {
                agents.push(AgentChange {
                    agent: b.agent.clone(),
                    before: b.total,
                    after: a.total,
                    lines,
                });
            }
        }
        Ok(Self { agents })
    }
}

impl fmt::Display for Replay {
    /// `agent: total before → after (change)`, then one indented line per
    /// changed line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for agent in &self.agents {
            writeln!(
                f,
                "{}: total {} → {} ({:+})",
                agent.agent,
                agent.before,
                agent.after,
                agent.change()
            )?;
            for line in &agent.lines {
                writeln!(
                    f,
                    "    {} {}: {} → {}",
                    line.clause, line.kind, line.before, line.after
                )?;
            }
        }
        Ok(())
    }
}
