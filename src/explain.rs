//! Clause references: how every result says which rule produced it.
//!
//! Every table in a policy file that states a rule is a *clause*, known by
//! its dotted path (`attendance.late`, `discipline.ladders.complaint.steps[2]`,
//! `calendars.cn-2026.holidays[3]`). Results carry a [`ClauseRef`]: a few words, `Copy`,
//! free to attach to every day, line and grade on a hot path. The policy
//! resolves it to the [`Clause`], with the clause's label and the citation of
//! the handbook text it comes from.

use std::collections::HashMap;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use crate::Policy;

/// Every id a reference has carried in this process, each stored once: a
/// reference is then a pointer, free to copy, that still says which clause,
/// fund or type it names when it is written out or read back.
static IDS: LazyLock<Mutex<HashMap<&'static str, Id>>> = LazyLock::new(Mutex::default);

/// A stored id, reached through one thin pointer: a reference stays two
/// words, and results that carry several stay small to copy.
type Id = &'static &'static str;

/// The one stored copy of `id`. The set only grows, by the distinct ids of
/// the policies a process reads (a few hundred for the shipped ones).
fn intern(id: &str) -> Id {
    let mut ids = IDS.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(&stored) = ids.get(id) {
        return stored;
    }
    let text: &'static str = Box::leak(Box::from(id));
    let stored: Id = Box::leak(Box::new(text));
    ids.insert(text, stored);
    stored
}

/// An id stored once by [`intern`]: a reference made from it looks
/// nothing up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Interned(Id);

impl Interned {
    /// The stored copy of `id`.
    pub(crate) fn of(id: &str) -> Self {
        Self(intern(id))
    }
}

/// Which policy text a reference was made by: a hash of the text, so that
/// two loads of one text share references and a reference from another
/// text is told apart. Zero: not yet tied to a
/// policy (read back from JSON).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub(crate) struct PolicyTag(pub(crate) u32);

impl PolicyTag {
    /// The tag of a policy text: a hash of it eight bytes at a time, a few
    /// times cheaper than its SHA-256, which a load need not wait for.
    /// Never zero. A collision only sends lookups by id: a reference is
    /// taken at its index only when the entry there has its id.
    pub(crate) fn of(text: &str) -> Self {
        let mix =
            |hash: u64, word: u64| (hash.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
        let word = |bytes: &[u8]| <[u8; 8]>::try_from(bytes).map_or(0, u64::from_le_bytes);
        // Four lanes, each taking every fourth word: a multiply waits only
        // for its own lane's, not for every one before it.
        let mut lanes = [text.len() as u64, 1, 2, 3];
        let mut blocks = text.as_bytes().chunks_exact(32);
        for block in &mut blocks {
            for (lane, bytes) in lanes.iter_mut().zip(block.chunks_exact(8)) {
                *lane = mix(*lane, word(bytes));
            }
        }
        let mut hash = lanes.into_iter().fold(0, mix);
        let mut words = blocks.remainder().chunks_exact(8);
        for bytes in words.by_ref() {
            hash = mix(hash, word(bytes));
        }
        let mut last = [0; 8];
        last[..words.remainder().len()].copy_from_slice(words.remainder());
        hash = mix(hash, u64::from_le_bytes(last));
        Self(((hash >> 32) as u32).max(1))
    }
}

/// A reference to something a policy defines by id: a clause
/// ([`ClauseRef`]), a fund ([`FundRef`](crate::FundRef)), and the domain
/// modules' own (a shift type, a leave type, an incident kind...).
///
/// It is `Copy` and costs nothing to attach to every result; it compares,
/// hashes, prints and serialises as its id, so a stored result reads back
/// equal and still names what it meant. The policy that made it resolves it
/// at once; any other policy resolves it by id, or refuses it.
///
/// ```
/// use cs_policy::ClauseRef;
///
/// let policy = cs_policy::Policy::example("education")?;
/// let late = policy.clause_by_id("attendance.late").unwrap();
/// assert_eq!(late.id(), "attendance.late");
/// let json = serde_json::to_string(&late)?;
/// assert_eq!(json, r#""attendance.late""#);
/// let back: ClauseRef = serde_json::from_str(&json)?;
/// assert_eq!(back, late);
/// assert_eq!(policy.clause(back)?.label(), policy.clause(late)?.label());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Ref<K: ?Sized> {
    id: Id,
    /// Where the policy that made it keeps it; `u32::MAX` when read back.
    index: u32,
    tag: PolicyTag,
    kind: PhantomData<fn() -> K>,
}

impl<K: ?Sized> Ref<K> {
    /// A reference made by a policy while it is read.
    pub(crate) fn new(id: &str, index: usize, tag: PolicyTag) -> Self {
        Self::stored(Interned::of(id), index, tag)
    }

    /// A reference made from an id already stored.
    pub(crate) fn stored(id: Interned, index: usize, tag: PolicyTag) -> Self {
        Self {
            id: id.0,
            index: u32::try_from(index).unwrap_or(u32::MAX),
            tag,
            kind: PhantomData,
        }
    }

    /// A reference to the thing with id `id`, tied to no policy yet: any
    /// policy that defines `id` resolves it.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("education")?;
    /// let late = cs_policy::ClauseRef::from_id("attendance.late");
    /// assert_eq!(policy.clause(late)?.id(), "attendance.late");
    /// assert!(policy.clause(cs_policy::ClauseRef::from_id("attendance.lunch")).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_id(id: &str) -> Self {
        Self {
            id: intern(id),
            index: u32::MAX,
            tag: PolicyTag::default(),
            kind: PhantomData,
        }
    }

    /// The id it names, such as `discipline.ladders.complaint.steps[1]`.
    pub fn id(self) -> &'static str {
        self.id
    }

    /// Where its policy keeps it, when `tag` is that policy's and the
    /// entry at that place has its id; `None` sends the caller to look it
    /// up by id.
    pub(crate) fn index_in(self, tag: PolicyTag) -> Option<usize> {
        (self.tag == tag && self.index != u32::MAX).then_some(self.index as usize)
    }

    /// Whether another policy made it (one read back is nobody's).
    pub(crate) fn foreign_to(self, tag: PolicyTag) -> bool {
        self.tag != PolicyTag::default() && self.tag != tag
    }

    /// The entry of `list` it names, `reference` giving each entry's own:
    /// at once at its index when the policy `tag` made it, by id when it
    /// was read back; never for another policy's.
    pub(crate) fn find_in<T>(
        self,
        list: &[T],
        tag: PolicyTag,
        reference: impl Fn(&T) -> Self,
    ) -> Option<&T> {
        if self.foreign_to(tag) {
            return None;
        }
        match self.index_in(tag).and_then(|i| list.get(i)) {
            Some(found) if reference(found) == self => Some(found),
            _ => list.iter().find(|entry| reference(entry) == self),
        }
    }
}

/// A reference to nothing (an empty id), which no policy resolves: the
/// placeholder of a result that cites no clause of its own.
impl<K: ?Sized> Default for Ref<K> {
    fn default() -> Self {
        Self::from_id("")
    }
}

impl<K: ?Sized> Clone for Ref<K> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<K: ?Sized> Copy for Ref<K> {}

impl<K: ?Sized> PartialEq for Ref<K> {
    fn eq(&self, other: &Self) -> bool {
        // Ids are stored once, so equal ids are one pointer.
        std::ptr::eq(self.id, other.id)
    }
}

impl<K: ?Sized> Eq for Ref<K> {}

impl<K: ?Sized> Hash for Ref<K> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.id.hash(state);
    }
}

impl<K: ?Sized> PartialOrd for Ref<K> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<K: ?Sized> Ord for Ref<K> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.id.cmp(other.id)
    }
}

impl<K: ?Sized> fmt::Debug for Ref<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Ref({})", self.id)
    }
}

impl<K: ?Sized> fmt::Display for Ref<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id)
    }
}

impl<K: ?Sized> serde::Serialize for Ref<K> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[cfg(feature = "testing")]
        recorder::note::<K>(self.id);
        serializer.serialize_str(self.id)
    }
}

impl<'de, K: ?Sized> serde::Deserialize<'de> for Ref<K> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let id = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Ok(Self::from_id(&id))
    }
}

/// A reference to one clause of a policy: `Copy`, written as the clause's
/// path, resolved with [`Policy::clause`] or shown with [`Policy::cite`].
///
/// A reference belongs to the policy text that made it; another policy
/// refuses it ([`CiteError`]) rather than show a clause of its own under
/// its number. One read back from JSON names its clause by path, and a
/// policy that has that clause resolves it.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::Policy;
///
/// let policy = Policy::example("shop")?;
/// let national_day = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
/// let day = policy.calendar().day(national_day)?;
/// assert!(day.clause.id().starts_with("calendars.cn-2026.holidays["));
/// let education = Policy::example("education")?;
/// assert!(education.clause(day.clause).is_err()); // made by the shop's policy
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub type ClauseRef = Ref<Clause>;

/// Why a policy cannot show a clause or a statement: it was made by
/// another policy, or names a clause the policy does not have.
///
/// ```
/// let education = cs_policy::Policy::example("education")?;
/// let late = education.clause_by_id("attendance.late").unwrap();
/// let err = cs_policy::Policy::example("shop")?.clause(late).unwrap_err();
/// assert_eq!(err.to_string(), "clause `attendance.late` was made by another policy than `shop`; cite it under the policy that produced it");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CiteError {
    /// Made by another policy text.
    #[error(
        "clause `{clause}` was made by another policy than `{policy}`; cite it under the policy that produced it"
    )]
    Foreign {
        /// The clause's id.
        clause: String,
        /// The policy asked.
        policy: String,
    },
    /// No clause of the policy has that id.
    #[error("policy `{policy}` has no clause `{clause}`")]
    Missing {
        /// The clause's id.
        clause: String,
        /// The policy asked.
        policy: String,
    },
    /// A statement stamped by another policy text (see
    /// [`PolicyStamp`](crate::PolicyStamp)).
    #[error(
        "the statement was produced by policy `{produced_by}` (sha256 {sha256}), not by `{policy}`; show it under the policy that produced it"
    )]
    OtherPolicy {
        /// The id of the policy that produced it.
        produced_by: String,
        /// The SHA-256 it was stamped with.
        sha256: String,
        /// The policy asked.
        policy: String,
    },
}

/// One rule of a policy, as the file states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    id: &'static str,
    label: Option<Box<str>>,
    /// Shared with the clauses that inherit it.
    source: Option<Arc<str>>,
    line: u32,
    /// Whether the id and label are plain text: a statement written as
    /// JSON copies them as they are, without looking for what to escape
    /// on every line.
    plain: bool,
}

impl Clause {
    /// The clause's dotted path in the policy file, such as `attendance.late`.
    pub fn id(&self) -> &str {
        self.id
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

    /// Whether the id and label hold no quote, backslash or control
    /// character.
    #[cfg_attr(not(feature = "jsonl"), allow(dead_code))]
    pub(crate) fn is_plain(&self) -> bool {
        self.plain
    }
}

/// Whether `text` holds no quote, backslash or control character: JSON
/// takes it between quotes as it is.
pub(crate) fn is_plain(text: &str) -> bool {
    // No early exit: the check runs over whole vectors of bytes.
    text.bytes().fold(true, |plain, b| {
        plain & (b >= 0x20) & (b != b'"') & (b != b'\\')
    })
}

/// Every clause of a policy, in file order.
#[derive(Debug, Clone, Default)]
pub(crate) struct ClauseBook {
    clauses: Vec<Clause>,
    tag: PolicyTag,
}

impl ClauseBook {
    /// Ties the clauses added from now on to the policy text `tag` names.
    pub(crate) fn set_tag(&mut self, tag: PolicyTag) {
        self.tag = tag;
    }

    pub(crate) fn tag(&self) -> PolicyTag {
        self.tag
    }

    pub(crate) fn add(
        &mut self,
        id: &str,
        label: Option<Box<str>>,
        source: Option<Arc<str>>,
        line: usize,
    ) -> ClauseRef {
        self.add_stored(Interned::of(id), label, source, line)
    }

    /// [`ClauseBook::add`] with an id already stored.
    pub(crate) fn add_stored(
        &mut self,
        id: Interned,
        label: Option<Box<str>>,
        source: Option<Arc<str>>,
        line: usize,
    ) -> ClauseRef {
        let clause = ClauseRef::stored(id, self.clauses.len(), self.tag);
        let plain = is_plain(clause.id) && label.as_deref().is_none_or(is_plain);
        self.clauses.push(Clause {
            id: clause.id,
            label,
            source,
            line: u32::try_from(line).unwrap_or(u32::MAX),
            plain,
        });
        clause
    }

    pub(crate) fn set_source(&mut self, clause: ClauseRef, source: &str) {
        if let Some(c) = self.position(clause).and_then(|i| self.clauses.get_mut(i)) {
            c.source = Some(Arc::from(source));
        }
    }

    /// The source of `clause`, shared, for a clause that inherits it.
    pub(crate) fn shared_source(&self, clause: ClauseRef) -> Option<Arc<str>> {
        self.get(clause)?.source.clone()
    }

    /// Where `clause` is kept: at once for one of this book's own, by id
    /// for one read back; never for another policy's.
    fn position(&self, clause: ClauseRef) -> Option<usize> {
        if clause.foreign_to(self.tag) {
            return None;
        }
        match clause.index_in(self.tag) {
            Some(i) => Some(i),
            None => self
                .clauses
                .iter()
                .position(|c| std::ptr::eq(c.id, *clause.id)),
        }
    }

    pub(crate) fn get(&self, clause: ClauseRef) -> Option<&Clause> {
        self.clauses.get(self.position(clause)?)
    }

    /// The clause, or why this book does not hold it.
    pub(crate) fn resolve(&self, clause: ClauseRef, policy: &str) -> Result<&Clause, CiteError> {
        let at = self.place(clause, policy)?;
        Ok(&self.clauses[at])
    }

    /// Where the book keeps the clause, or why it does not hold it.
    pub(crate) fn place(&self, clause: ClauseRef, policy: &str) -> Result<usize, CiteError> {
        match self.position(clause).filter(|&at| at < self.clauses.len()) {
            Some(at) => Ok(at),
            None if clause.foreign_to(self.tag) => Err(CiteError::Foreign {
                clause: clause.id().to_owned(),
                policy: policy.to_owned(),
            }),
            None => Err(CiteError::Missing {
                clause: clause.id().to_owned(),
                policy: policy.to_owned(),
            }),
        }
    }

    pub(crate) fn all(&self) -> &[Clause] {
        &self.clauses
    }

    pub(crate) fn find(&self, id: &str) -> Option<ClauseRef> {
        let index = self.clauses.iter().position(|c| c.id == id)?;
        Some(ClauseRef::new(id, index, self.tag))
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
///     policy.cite(clause)?.to_string(),
///     "calendars.cn-2026 «2026 public holidays of mainland China» [国务院办公厅关于2026年部分节假日安排的通知 (国办发明电〔2025〕7号)]"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Citation<'p> {
    clause: &'p Clause,
}

impl<'p> Citation<'p> {
    pub(crate) fn new(policy: &'p Policy, clause: ClauseRef) -> Result<Self, CiteError> {
        Ok(Self {
            clause: policy.clause(clause)?,
        })
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

/// Notes what an outcome cites, for the case runner's coverage: while a
/// guard is held, each reference serialised on this thread is noted with
/// its kind. What is written does not change.
#[cfg(feature = "testing")]
pub(crate) mod recorder {
    use std::cell::RefCell;

    /// A reference noted: the kind it names (its Rust type) and its id.
    pub(crate) type Noted = (&'static str, &'static str);

    thread_local! {
        static NOTED: RefCell<Option<Vec<Noted>>> = const { RefCell::new(None) };
    }

    /// Stops noting when dropped, so a panic cannot leave it on.
    pub(crate) struct Guard(());

    impl Guard {
        /// Starts noting on this thread.
        pub(crate) fn start() -> Self {
            NOTED.with_borrow_mut(|n| *n = Some(Vec::new()));
            Guard(())
        }

        /// What was noted since the last call.
        pub(crate) fn take(&self) -> Vec<Noted> {
            NOTED.with_borrow_mut(|n| n.as_mut().map(std::mem::take).unwrap_or_default())
        }
    }

    impl Drop for Guard {
        fn drop(&mut self) {
            NOTED.with_borrow_mut(|n| *n = None);
        }
    }

    /// Notes a reference of kind `K`, when a guard is held.
    pub(crate) fn note<K: ?Sized>(id: &'static str) {
        NOTED.with_borrow_mut(|n| {
            if let Some(noted) = n {
                noted.push((std::any::type_name::<K>(), id));
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::PolicyTag;

    /// Texts that differ anywhere, in a whole word, in the bytes after the
    /// last one or only in length, get other tags; one text gets one tag.
    #[test]
    fn a_policy_tag_tells_texts_apart() {
        let texts = [
            "",
            "\0",
            "id = \"shop\"\n",
            "id = \"shoq\"\n",
            "id = \"shop\"\n\n",
            "[policy]\nid = \"shop\"\n",
            "[policy]\nid = \"shop\"\r\n",
        ];
        let tags: Vec<PolicyTag> = texts.iter().map(|t| PolicyTag::of(t)).collect();
        for (i, a) in tags.iter().enumerate() {
            assert_ne!(a.0, 0, "{:?}", texts[i]);
            assert_eq!(*a, PolicyTag::of(texts[i]));
            for (j, b) in tags.iter().enumerate().skip(i + 1) {
                assert_ne!(a, b, "{:?} and {:?}", texts[i], texts[j]);
            }
        }
    }
}
