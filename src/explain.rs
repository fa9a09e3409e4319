//! Clause references: how every result says which rule produced it.
//!
//! Every table in a policy file that states a rule is a *clause*, known by
//! its dotted path (`attendance.late`, `discipline.ladders.complaint.steps[2]`,
//! `calendars.cn-2026.holidays[3]`). Results carry a [`ClauseRef`]: four bytes, `Copy`,
//! free to attach to every day, line and grade on a hot path. The policy
//! resolves it to the [`Clause`], with the clause's label and the citation of
//! the handbook text it comes from.

use std::fmt;
use std::sync::{Arc, LazyLock};

use crate::Policy;

/// A reference to one clause of one policy: cheap to copy, resolved with
/// [`Policy::clause`] or shown with [`Policy::cite`].
///
/// In JSON it is the clause's index in [`Policy::clauses`], which a reader
/// resolves against the same policy.
///
/// A reference belongs to the policy that produced it; resolving it against
/// another policy gives that policy's clause with the same number or, past
/// its end, a clause with an empty id.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::Policy;
///
/// let policy = Policy::example("shop")?;
/// let national_day = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
/// let day = policy.calendar().day(national_day)?;
/// let clause = policy.clause(day.clause);
/// assert!(clause.id().starts_with("calendars.cn-2026.holidays["));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Deserialize)]
#[serde(transparent)]
pub struct ClauseRef(u32);

// Serialised as the bare index, as `#[serde(transparent)]` would; while a
// case runner records (feature `testing`), as the clause's id instead, and
// the clause is noted as cited.
impl serde::Serialize for ClauseRef {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[cfg(feature = "testing")]
        if let Some(id) = recorder::cite_clause(self.0) {
            return serializer.serialize_str(&id);
        }
        serializer.serialize_u32(self.0)
    }
}

impl ClauseRef {
    /// The clause's position in its policy's [`Policy::clauses`] list.
    pub const fn index(self) -> usize {
        self.0 as usize
    }
}

/// One rule of a policy, as the file states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    id: Box<str>,
    label: Option<Box<str>>,
    /// Shared with the clauses that inherit it.
    source: Option<Arc<str>>,
    line: u32,
}

impl Clause {
    /// The clause's dotted path in the policy file, such as `attendance.late`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The human label the file gives the clause (in any language), if any.
    pub fn label(&self) -> Option<&str> {
        self.label.as_deref()
    }

    /// The citation of the handbook text the clause comes from, such as
    /// `001 ch.2 B 三.1`; a clause without one of its own inherits its parent's.
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }

    /// The 1-based line of the policy file where the clause is written.
    pub fn line(&self) -> u32 {
        self.line
    }
}

/// Every clause of a policy, in file order.
#[derive(Debug, Clone, Default)]
pub(crate) struct ClauseBook {
    clauses: Vec<Clause>,
}

impl ClauseBook {
    pub(crate) fn add(
        &mut self,
        id: String,
        label: Option<Box<str>>,
        source: Option<Arc<str>>,
        line: usize,
    ) -> ClauseRef {
        let index = u32::try_from(self.clauses.len()).unwrap_or(u32::MAX);
        self.clauses.push(Clause {
            id: id.into_boxed_str(),
            label,
            source,
            line: u32::try_from(line).unwrap_or(u32::MAX),
        });
        ClauseRef(index)
    }

    pub(crate) fn set_source(&mut self, clause: ClauseRef, source: String) {
        if let Some(c) = self.clauses.get_mut(clause.index()) {
            c.source = Some(Arc::from(source));
        }
    }

    /// The source of `clause`, shared, for a clause that inherits it.
    pub(crate) fn shared_source(&self, clause: ClauseRef) -> Option<Arc<str>> {
        self.clauses.get(clause.index())?.source.clone()
    }

    pub(crate) fn get(&self, clause: ClauseRef) -> &Clause {
        static UNKNOWN: LazyLock<Clause> = LazyLock::new(|| Clause {
            id: Box::from(""),
            label: None,
            source: None,
            line: 0,
        });
        self.clauses.get(clause.index()).unwrap_or(&UNKNOWN)
    }

    pub(crate) fn all(&self) -> &[Clause] {
        &self.clauses
    }

    pub(crate) fn find(&self, id: &str) -> Option<ClauseRef> {
        self.clauses
            .iter()
            .position(|c| &*c.id == id)
            .and_then(|i| u32::try_from(i).ok())
            .map(ClauseRef)
    }
}

/// A clause shown for people: `id «label» [source]`.
///
/// Made by [`Policy::cite`]; formatting it allocates nothing.
///
/// ```
/// use cs_policy::Policy;
///
/// let policy = Policy::example("education")?;
/// let clause = policy.clause_by_id("calendars.cn-2026").unwrap();
/// assert_eq!(
///     policy.cite(clause).to_string(),
///     "calendars.cn-2026 «2026 public holidays of mainland China» [国务院办公厅关于2026年部分节假日安排的通知 (国办发明电〔2025〕7号)]"
/// );
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Citation<'p> {
    clause: &'p Clause,
}

impl<'p> Citation<'p> {
    pub(crate) fn new(policy: &'p Policy, clause: ClauseRef) -> Self {
        Self {
            clause: policy.clause(clause),
        }
    }

    /// The clause cited.
    pub fn clause(&self) -> &'p Clause {
        self.clause
    }
}

impl fmt::Display for Citation<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.clause.id())?;
        if let Some(label) = self.clause.label() {
            write!(f, " «{label}»")?;
        }
        if let Some(source) = self.clause.source() {
            write!(f, " [{source}]")?;
        }
        Ok(())
    }
}

/// Records which clauses (and funds) an outcome cites, for the case runner:
/// while a recording is on, serialising a [`ClauseRef`] or a
/// [`FundRef`](crate::FundRef) on this thread notes it and writes its id.
#[cfg(feature = "testing")]
pub(crate) mod recorder {
    use std::cell::RefCell;

    /// One recording: the policy's ids, and what was cited so far.
    pub(crate) struct Recording {
        pub(crate) clause_ids: Vec<Box<str>>,
        pub(crate) fund_ids: Vec<Box<str>>,
        pub(crate) fund_clauses: Vec<u32>,
        pub(crate) cited: Vec<bool>,
    }

    thread_local! {
        static CURRENT: RefCell<Option<Recording>> = const { RefCell::new(None) };
    }

    /// Stops the recording when dropped, so a panic cannot leave it on.
    pub(crate) struct Guard(());

    impl Guard {
        /// Starts recording on this thread.
        pub(crate) fn start(recording: Recording) -> Self {
            CURRENT.with_borrow_mut(|c| *c = Some(recording));
            Guard(())
        }

        /// Clears what was cited, keeping the ids.
        pub(crate) fn reset(&self) {
            CURRENT.with_borrow_mut(|c| {
                if let Some(r) = c {
                    r.cited.iter_mut().for_each(|b| *b = false);
                }
            });
        }

        /// The indices of the clauses cited since the last reset.
        pub(crate) fn cited(&self) -> Vec<usize> {
            CURRENT.with_borrow(|c| {
                c.as_ref().map_or_else(Vec::new, |r| {
                    r.cited
                        .iter()
                        .enumerate()
                        .filter_map(|(i, b)| b.then_some(i))
                        .collect()
                })
            })
        }
    }

    impl Drop for Guard {
        fn drop(&mut self) {
            CURRENT.with_borrow_mut(|c| *c = None);
        }
    }

    /// Notes a clause as cited and gives its id, when recording.
    pub(crate) fn cite_clause(index: u32) -> Option<Box<str>> {
        CURRENT.with_borrow_mut(|c| {
            let r = c.as_mut()?;
            let i = usize::try_from(index).ok()?;
            if let Some(b) = r.cited.get_mut(i) {
                *b = true;
            }
            Some(r.clause_ids.get(i).cloned().unwrap_or_default())
        })
    }

    /// Notes a fund's clause as cited and gives the fund's id, when recording.
    pub(crate) fn cite_fund(index: u16) -> Option<Box<str>> {
        CURRENT.with_borrow_mut(|c| {
            let r = c.as_mut()?;
            let i = usize::from(index);
            if let Some(&clause) = r.fund_clauses.get(i) {
                if let Some(b) = usize::try_from(clause)
                    .ok()
                    .and_then(|k| r.cited.get_mut(k))
                {
                    *b = true;
                }
            }
            Some(r.fund_ids.get(i).cloned().unwrap_or_default())
        })
    }
}
