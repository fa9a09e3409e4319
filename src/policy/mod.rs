//! The policy document: one TOML file is one organisation's rulebook.
//!
//! A file is read in one pass that reports every problem it finds (see
//! [`Problems`]); only a file with none becomes a [`Policy`], and a `Policy`
//! holds nothing invalid, so evaluation never re-checks it.

mod diagnostic;
pub(crate) mod read;
pub(crate) mod source;
mod syntax;

use std::fmt::Write as _;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

#[cfg(feature = "miette")]
pub use diagnostic::MietteReport;
pub use diagnostic::{Diagnostic, LoadError, ProblemCode, Problems};
use read::{Doc, Loader, Located, Table};
pub use source::{DEFAULT_SIZE_LIMIT, read_file};

use crate::attendance::AttendanceRules;
use crate::calendar::{Calendar, CalendarFiles, HolidayCalendar};
use crate::discipline::DisciplineRules;
use crate::explain::{Citation, CiteError, Clause, ClauseBook, ClauseRef, PolicyTag};
use crate::followup::FollowupRules;
use crate::kpi::KpiRules;
use crate::leave::LeaveRules;
use crate::money::{Fund, FundRef, Funds, Rounding};
use crate::orders::OrderRules;
use crate::pay::PayRules;
use crate::shift::ShiftRules;

/// The earliest date a policy may take effect: no rulebook of a
/// customer-service department is older, and a year such as `0000` is a typo.
pub const EARLIEST_EFFECTIVE: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(date) => date,
    None => NaiveDate::MIN,
};

/// The policy format version this crate reads.
pub const FORMAT_VERSION: u32 = 1;

/// The example policies shipped with the crate, one per source handbook:
/// `(name, file text)`. Load one with [`Policy::example`].
pub const EXAMPLES: &[(&str, &str)] = &[
    ("shop", include_str!("../../policies/shop.toml")),
    ("education", include_str!("../../policies/education.toml")),
    ("property", include_str!("../../policies/property.toml")),
    ("fintech", include_str!("../../policies/fintech.toml")),
    (
        "call-centre",
        include_str!("../../policies/call-centre.toml"),
    ),
];

/// Which policy produced a result: its id, its version (`[policy]
/// version`) and the SHA-256 of its text, in lower-case hex (the same as
/// `sha256sum policies/shop.toml` prints).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyStamp {
    /// The policy's id.
    pub id: String,
    /// The policy's version, when it gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The SHA-256 of the policy's text.
    pub sha256: String,
}

/// What the `[policy]` table says about the rulebook itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    id: String,
    name: String,
    currency: String,
    time_zone: String,
    /// The time zone, from the IANA database.
    tz: chrono_tz::Tz,
    effective: NaiveDate,
    version: Option<String>,
    source: Option<String>,
}

impl Meta {
    /// The policy's id, such as `education`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The policy's human name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The ISO 4217 currency code of every amount, such as `CNY`.
    pub fn currency(&self) -> &str {
        &self.currency
    }

    /// The IANA name of the time zone all civil times are in, such as
    /// `Asia/Shanghai`, checked against the IANA database when the policy is
    /// read. Evaluation works in civil time; only a punch given with a UTC
    /// offset is converted to it (see [`crate::punch`]).
    pub fn time_zone(&self) -> &str {
        &self.time_zone
    }

    /// The time zone, for converting instants to the policy's civil time.
    pub(crate) fn tz(&self) -> chrono_tz::Tz {
        self.tz
    }

    /// The date from which the policy applies.
    pub fn effective(&self) -> NaiveDate {
        self.effective
    }

    /// The version the file gives itself (`[policy] version`), if any.
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }

    /// The citation of the handbook the policy was written from.
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }
}

/// One organisation's rulebook, loaded and known to be valid.
///
/// Cheap to share: `Policy` is `Send + Sync` and evaluation borrows it.
///
/// ```
/// use cs_policy::Policy;
///
/// let policy = Policy::example("education")?;
/// assert_eq!(policy.meta().currency(), "CNY");
/// assert_eq!(policy.rounding().decimals(), 2);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Policy {
    pub(crate) meta: Meta,
    pub(crate) rounding: Rounding,
    pub(crate) calendar: Calendar,
    pub(crate) funds: Funds,
    pub(crate) shifts: Option<ShiftRules>,
    pub(crate) leave: Option<LeaveRules>,
    pub(crate) attendance: Option<AttendanceRules>,
    pub(crate) discipline: Option<DisciplineRules>,
    pub(crate) kpi: Option<KpiRules>,
    pub(crate) pay: Option<PayRules>,
    pub(crate) orders: Option<OrderRules>,
    pub(crate) followup: Option<FollowupRules>,
    pub(crate) clauses: ClauseBook,
    /// The text read, for the stamp's SHA-256.
    text: Arc<str>,
    /// Worked out on the first statement (or [`Policy::stamp`]): a load
    /// that produces none does not pay for hashing the text.
    stamp: OnceLock<Arc<PolicyStamp>>,
}

impl Policy {
    /// Reads a policy from TOML text. `file` names the text in diagnostics.
    ///
    /// Every problem in the file is reported, not only the first.
    ///
    /// ```
    /// use cs_policy::{Policy, ProblemCode};
    ///
    /// let text = r#"
    /// [policy]
    /// id = "demo"
    /// name = "Demo"
    /// format = 1
    /// currency = "CNY"
    /// time_zone = "Asia/Shanghai"
    /// effective = 2026-13-01
    ///
    /// [calendar]
    /// weekend = ["saturday", "sundy"]
    /// "#;
    /// let problems = Policy::from_toml_str("demo.toml", text).unwrap_err();
    /// let codes: Vec<_> = problems.diagnostics().iter().map(|d| d.code).collect();
    /// assert_eq!(codes, [ProblemCode::Syntax, ProblemCode::InvalidValue]);
    /// # // the month 13 is a TOML syntax error; the weekday is checked by the policy
    /// ```
    pub fn from_toml_str(file: &str, text: &str) -> Result<Self, Problems> {
        Self::read_text(file, text, &mut CalendarFiles::default())
    }

    /// Reads a policy from TOML text, with holiday calendars the program
    /// supplies (next year's official list, say): a name in `[calendar]
    /// calendars` is looked up among `calendars` first, then among the
    /// shipped ones ([`CALENDARS`](crate::calendar::CALENDARS)).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::Policy;
    /// use cs_policy::calendar::HolidayCalendar;
    ///
    /// let d = |m, day| NaiveDate::from_ymd_opt(2027, m, day).unwrap();
    /// let acme = HolidayCalendar::builder("acme-2027", 2027)
    ///     .holiday("元旦", d(1, 1), d(1, 1))
    ///     .build()?;
    /// let text = cs_policy::EXAMPLES[0].1.replace(r#"calendars = ["cn-2026"]"#, r#"calendars = ["cn-2026", "acme-2027"]"#);
    /// let policy = Policy::from_toml_str_with("shop.toml", &text, &[acme])?;
    /// assert_eq!(policy.calendar().years(), Some((2026, 2027)));
    /// assert!(!policy.calendar().is_working_day(d(1, 1))?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_toml_str_with(
        file: &str,
        text: &str,
        calendars: &[HolidayCalendar],
    ) -> Result<Self, Problems> {
        let mut files = CalendarFiles {
            given: calendars,
            ..CalendarFiles::default()
        };
        Self::read_text(file, text, &mut files)
    }

    fn read_text(file: &str, text: &str, files: &mut CalendarFiles<'_>) -> Result<Self, Problems> {
        let text: Arc<str> = Arc::from(text);
        let mut ld = Loader::new(Arc::from(file), text.clone());
        ld.clauses.set_tag(PolicyTag::of(&text));
        let (doc, syntax) = read::parse(&text);
        let broken = ld.syntax_errors(&doc, syntax);
        let mut policy = Self::read(&doc, &mut ld, files);
        policy.text = text.clone();
        if !broken.is_empty() {
            // What the parser could not read would only be reported again:
            // as a bad value where the syntax error is, or as missing.
            ld.retain(|p| !broken.hides(p));
        }
        if ld.has_problems() {
            let (problems, _) = ld.into_parts();
            return Err(Problems::new(text, problems));
        }
        let (_, clauses) = ld.into_parts();
        Ok(Self { clauses, ..policy })
    }

    /// Reads a policy file; diagnostics name it by `path` as given.
    ///
    /// A holiday calendar the policy names is read from
    /// `calendars/<id>.toml` in the policy's directory or in its parent
    /// (the repository layout: `policies/` beside `calendars/`), before the
    /// shipped ones; a calendar file with problems is reported with its own.
    ///
    /// The file must be a regular file of at most [`DEFAULT_SIZE_LIMIT`]
    /// bytes (see [`read_file`]); [`Policy::from_path_with_limit`] reads a
    /// larger one.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self, LoadError> {
        Self::from_path_with_limit(path, DEFAULT_SIZE_LIMIT)
    }

    /// Reads a policy file of at most `limit` bytes.
    ///
    /// ```
    /// use cs_policy::{LoadError, Policy};
    ///
    /// let shop = concat!(env!("CARGO_MANIFEST_DIR"), "/policies/shop.toml");
    /// assert!(Policy::from_path_with_limit(shop, 1 << 20).is_ok());
    /// let small = Policy::from_path_with_limit(shop, 1000).unwrap_err();
    /// assert!(matches!(small, LoadError::TooLarge { limit: 1000, .. }));
    /// ```
    pub fn from_path_with_limit(path: impl AsRef<Path>, limit: u64) -> Result<Self, LoadError> {
        let path = path.as_ref();
        let shown = path.display().to_string();
        let text = read_file(path, limit)?;
        let mut files = CalendarFiles {
            dir: Some(path.parent().unwrap_or(Path::new("."))),
            ..CalendarFiles::default()
        };
        let policy = Self::read_text(&shown, &text, &mut files);
        match files.failed.into_iter().next() {
            Some(calendar) => Err(calendar),
            None => Ok(policy?),
        }
    }

    /// Loads one of the example policies shipped inside the crate, by name
    /// (see [`EXAMPLES`]), without touching the file system.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// assert_eq!(policy.meta().id(), "shop");
    /// assert!(cs_policy::Policy::example("bakery").is_err());
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn example(name: &str) -> Result<Self, LoadError> {
        let (file, text) =
            EXAMPLES
                .iter()
                .find(|(n, _)| *n == name)
                .ok_or_else(|| LoadError::UnknownExample {
                    name: name.to_owned(),
                    known: EXAMPLES
                        .iter()
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", "),
                })?;
        Ok(Self::from_toml_str(&format!("policies/{file}.toml"), text)?)
    }

    fn read(doc: &Doc<'_>, ld: &mut Loader, files: &mut CalendarFiles<'_>) -> Self {
        let mut root = Table::root(doc);
        let (meta, rounding) = read_meta(&mut root, ld);
        let calendar = Calendar::read(&mut root, ld, files);
        let funds = Funds::read(&mut root, ld);
        let mut policy = Self {
            meta,
            rounding,
            calendar,
            funds,
            shifts: None,
            leave: None,
            attendance: None,
            discipline: None,
            kpi: None,
            pay: None,
            orders: None,
            followup: None,
            clauses: ClauseBook::default(),
            text: Arc::from(""),
            stamp: OnceLock::new(),
        };
        // Sections are read in dependency order: each may refer to those before it.
        policy.shifts = section(&mut root, ld, "shifts", |t, ld| {
            ShiftRules::read(t, ld, &policy)
        });
        policy.leave = section(&mut root, ld, "leave", |t, ld| {
            LeaveRules::read(t, ld, &policy)
        });
        policy.attendance = section(&mut root, ld, "attendance", |t, ld| {
            AttendanceRules::read(t, ld, &policy)
        });
        policy.discipline = section(&mut root, ld, "discipline", |t, ld| {
            DisciplineRules::read(t, ld, &policy)
        });
        policy.kpi = section(&mut root, ld, "kpi", |t, ld| KpiRules::read(t, ld, &policy));
        policy.pay = section(&mut root, ld, "pay", |t, ld| PayRules::read(t, ld, &policy));
        policy.orders = section(&mut root, ld, "orders", |t, ld| {
            OrderRules::read(t, ld, &policy)
        });
        policy.followup = section(&mut root, ld, "followup", |t, ld| {
            FollowupRules::read(t, ld, &policy)
        });
        root.finish(ld);
        policy
    }

    /// What the `[policy]` table says.
    pub fn meta(&self) -> &Meta {
        &self.meta
    }

    /// How money is rounded.
    pub fn rounding(&self) -> Rounding {
        self.rounding
    }

    /// The working-day calendar.
    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    /// Every fund amounts may be paid into.
    pub fn funds(&self) -> &[Fund] {
        &self.funds.list
    }

    /// One fund; `None` for a fund of another policy's.
    pub fn fund(&self, fund: FundRef) -> Option<&Fund> {
        self.funds.get(fund, self.clauses.tag())
    }

    /// Every clause of the policy, in file order.
    pub fn clauses(&self) -> &[Clause] {
        self.clauses.all()
    }

    /// The clause a result cites; an error for a clause another policy
    /// made, or one read back that this policy does not have.
    pub fn clause(&self, clause: ClauseRef) -> Result<&Clause, CiteError> {
        self.clauses.resolve(clause, &self.meta.id)
    }

    /// Where the clause a result cites is kept among
    /// [`Policy::clauses`]; an error as [`Policy::clause`] gives one.
    #[cfg_attr(not(feature = "jsonl"), allow(dead_code))]
    pub(crate) fn clause_place(&self, clause: ClauseRef) -> Result<usize, CiteError> {
        self.clauses.place(clause, &self.meta.id)
    }

    /// A clause by its dotted id, such as `calendars.cn-2026.holidays[0]`.
    pub fn clause_by_id(&self, id: &str) -> Option<ClauseRef> {
        self.clauses.find(id)
    }

    /// A clause shown for people: `id «label» [source]`; an error as
    /// [`Policy::clause`] gives one.
    pub fn cite(&self, clause: ClauseRef) -> Result<Citation<'_>, CiteError> {
        Citation::new(self, clause)
    }

    /// Which policy this is: its id, version and the SHA-256 of its text.
    /// Statements carry it, so that a stored one can be matched to the
    /// policy that produced it.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("fintech")?;
    /// let stamp = policy.stamp();
    /// assert_eq!(stamp.id, "fintech");
    /// assert_eq!(stamp.sha256.len(), 64);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn stamp(&self) -> &PolicyStamp {
        self.shared_stamp()
    }

    /// The stamp as statements share it.
    pub(crate) fn shared_stamp(&self) -> &Arc<PolicyStamp> {
        self.stamp.get_or_init(|| {
            let digest = Sha256::digest(self.text.as_bytes());
            let mut sha256 = String::with_capacity(64);
            for b in digest {
                // Writing to a string cannot fail.
                let _ = write!(sha256, "{b:02x}");
            }
            Arc::new(PolicyStamp {
                id: self.meta.id.clone(),
                version: self.meta.version.clone(),
                sha256,
            })
        })
    }

    /// Shows `stamp` is this policy's: the statement it came with was
    /// produced by this very text.
    pub(crate) fn owns(&self, stamp: &PolicyStamp) -> Result<(), CiteError> {
        if stamp.sha256 == self.stamp().sha256 {
            Ok(())
        } else {
            Err(CiteError::OtherPolicy {
                produced_by: stamp.id.clone(),
                sha256: stamp.sha256.clone(),
                policy: self.meta.id.clone(),
            })
        }
    }
}

fn section<'a, 'i, T>(
    root: &mut Table<'a, 'i>,
    ld: &mut Loader,
    key: &'static str,
    read: impl FnOnce(&mut Table<'a, 'i>, &mut Loader) -> T,
) -> Option<T> {
    let mut table = root.opt_table(ld, key)?;
    let value = read(&mut table, ld);
    table.finish(ld);
    Some(value)
}

/// A time zone name the IANA database does not know, with the closest one.
fn unknown_zone(ld: &mut Loader, node: &read::Node<'_, '_>, zone: &str) {
    let names: Vec<&str> = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect();
    let reported = ld.error(
        ProblemCode::InvalidValue,
        node.span(),
        &node.path(),
        format!("`{zone}` is not a time zone name"),
    );
    match read::closest(zone, &names) {
        Some(best) => reported.help(format!("did you mean `{best}`?")),
        None => reported.help("write an IANA time zone name, such as `Asia/Shanghai`"),
    }
}

fn read_meta(root: &mut Table<'_, '_>, ld: &mut Loader) -> (Meta, Rounding) {
    let mut meta = Meta {
        id: String::new(),
        name: String::new(),
        currency: "CNY".into(),
        time_zone: "Asia/Shanghai".into(),
        tz: chrono_tz::Tz::Asia__Shanghai,
        effective: NaiveDate::MIN,
        version: None,
        source: None,
    };
    let Some(mut t) = root.opt_table(ld, "policy") else {
        if !root.contains("policy") {
            root.missing(ld, "policy").help(
                "start the file with `[policy]` giving `id`, `name`, `format = 1`, `currency`, `time_zone` and `effective`",
            );
        }
        return (meta, Rounding::default());
    };
    read_format(&mut t, ld);
    meta.id = t.req(ld, "id").unwrap_or_default();
    meta.name = t.req(ld, "name").unwrap_or_default();
    t.describe(
        ld,
        "version",
        "the policy's own version, such as `2026.1`: statements carry it",
    );
    meta.version = t.opt(ld, "version");
    if let Some(code) = read_currency(&mut t, ld) {
        meta.currency = code;
    }
    if let Some((zone, tz)) = read_time_zone(&mut t, ld) {
        meta.time_zone = zone;
        meta.tz = tz;
    }
    meta.effective = read_effective(&mut t, ld).unwrap_or(NaiveDate::MIN);
    meta.source = t.opt(ld, "source");
    let rounding = Rounding::read(&mut t, ld);
    let clause = ld.clause_at("policy".into(), Some(meta.name.clone()), &t.span, None);
    if let Some(source) = &meta.source {
        ld.clauses.set_source(clause, source);
    }
    t.finish(ld);
    (meta, rounding)
}

/// Checks `format`, the version of the file's layout this crate reads.
fn read_format(t: &mut Table<'_, '_>, ld: &mut Loader) {
    let Some(node) = t.req_node(ld, "format") else {
        return;
    };
    let Some(version) = node.read::<u32>(ld) else {
        return;
    };
    if version != FORMAT_VERSION {
        ld.error(
            ProblemCode::UnsupportedVersion,
            node.span(),
            &node.path(),
            format!("policy format `{version}` is not supported"),
        )
        .help(format!(
            "this version of cs-policy reads `format = {FORMAT_VERSION}`"
        ));
    }
}

/// Reads `currency`, an ISO 4217 code.
fn read_currency(t: &mut Table<'_, '_>, ld: &mut Loader) -> Option<String> {
    let node = t.req_node(ld, "currency")?;
    let code = node.read::<String>(ld)?;
    if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        return Some(code);
    }
    ld.error(
        ProblemCode::InvalidValue,
        node.span(),
        &node.path(),
        format!("`{code}` is not an ISO 4217 currency code"),
    )
    .help("write three capital letters, such as `CNY`");
    None
}

/// Reads `time_zone`, an IANA zone: its name as written and the zone.
fn read_time_zone(t: &mut Table<'_, '_>, ld: &mut Loader) -> Option<(String, chrono_tz::Tz)> {
    let node = t.req_node(ld, "time_zone")?;
    let zone = node.read::<String>(ld)?;
    match zone.parse::<chrono_tz::Tz>() {
        Ok(tz) => Some((zone, tz)),
        Err(_) => {
            unknown_zone(ld, &node, &zone);
            None
        }
    }
}

/// Reads `effective`, a date from [`EARLIEST_EFFECTIVE`] on.
fn read_effective(t: &mut Table<'_, '_>, ld: &mut Loader) -> Option<NaiveDate> {
    let date: Located<NaiveDate> = t.req(ld, "effective")?;
    if date.value < EARLIEST_EFFECTIVE {
        ld.error(
            ProblemCode::OutOfRange,
            date.span,
            &date.path,
            format!(
                "`{}` is `{}`, before {EARLIEST_EFFECTIVE}",
                date.path, date.value
            ),
        )
        .help("write the date the policy takes effect, such as `2026-01-01`");
        return None;
    }
    Some(date.value)
}
