//! One year's official holiday list, read from its own file or built in code.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::{Arc, LazyLock, OnceLock};

use chrono::{NaiveDate, Weekday};

use super::days::{self, Rules};
use super::{weekday_name, weekend_of};
use crate::explain::Interned;
use crate::policy::read::{self, Loader, Table};
use crate::policy::{LoadError, Problems};

/// The holiday calendars shipped with the crate, one per country-year:
/// `(id, file text)`. A policy names them in `[calendar] calendars`.
///
/// ```
/// let ids: Vec<&str> = cs_policy::calendar::CALENDARS.iter().map(|(id, _)| *id).collect();
/// assert_eq!(ids, ["cn-2025", "cn-2026"]);
/// ```
pub const CALENDARS: &[(&str, &str)] = &[
    ("cn-2025", include_str!("../../calendars/cn-2025.toml")),
    ("cn-2026", include_str!("../../calendars/cn-2026.toml")),
];

/// The shipped calendars, read once.
static SHIPPED: LazyLock<Vec<HolidayCalendar>> = LazyLock::new(|| {
    CALENDARS
        .iter()
        .filter_map(|(id, text)| {
            HolidayCalendar::from_toml_str(&format!("calendars/{id}.toml"), text).ok()
        })
        .collect()
});

/// A holiday block of a [`HolidayCalendar`], as its file lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolidayBlock {
    name: Box<str>,
    first: NaiveDate,
    last: NaiveDate,
    source: Option<Box<str>>,
    line: usize,
}

impl HolidayBlock {
    pub(crate) fn new(name: String, first: NaiveDate, last: NaiveDate, line: usize) -> Self {
        Self {
            name: name.into_boxed_str(),
            first,
            last,
            source: None,
            line,
        }
    }

    /// The holiday's name, such as `春节`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The first day off.
    pub fn first(&self) -> NaiveDate {
        self.first
    }

    /// The last day off (inclusive).
    pub fn last(&self) -> NaiveDate {
        self.last
    }

    /// The block's own citation, when it gives one.
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }

    pub(crate) fn line(&self) -> usize {
        self.line
    }
}

/// One year's public holidays and make-up working days (调休), from an
/// official notice: a file of its own under `calendars/` (see
/// [`CALENDARS`]), one loaded from disk, or one built in code with
/// [`HolidayCalendar::builder`]. A policy names the calendars it uses.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::calendar::HolidayCalendar;
///
/// let cn = HolidayCalendar::shipped("cn-2025").unwrap();
/// assert_eq!(cn.year(), 2025);
/// let spring = &cn.holidays()[1];
/// assert_eq!((spring.name(), spring.first(), spring.last()), (
///     "春节",
///     NaiveDate::from_ymd_opt(2025, 1, 28).unwrap(),
///     NaiveDate::from_ymd_opt(2025, 2, 4).unwrap(),
/// ));
/// assert!(cn.source().unwrap().contains("国办发明电〔2024〕12号"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolidayCalendar {
    id: Box<str>,
    label: Option<Box<str>>,
    source: Option<Box<str>>,
    year: i32,
    holidays: Vec<HolidayBlock>,
    makeup: Vec<(NaiveDate, usize)>,
    line: usize,
    /// The TOML it was read from, for comparing policies ([`crate::diff`]).
    text: Arc<str>,
    /// Its entries' clause ids, made on first use.
    ids: ClauseIdsOnce,
}

/// The clause ids a policy naming a calendar gives its entries:
/// `calendars.<id>`, `….holidays[i]`, `….makeup_working_days[i]`.
#[derive(Debug, Clone)]
pub(crate) struct ClauseIds {
    pub(crate) own: Interned,
    pub(crate) holidays: Vec<Interned>,
    pub(crate) makeup: Vec<Interned>,
}

/// Made once per calendar, since every load of every policy that names it
/// needs the same ids; being made or not is no part of a calendar's value.
#[derive(Debug, Clone, Default)]
struct ClauseIdsOnce(OnceLock<ClauseIds>);

impl PartialEq for ClauseIdsOnce {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for ClauseIdsOnce {}

impl HolidayCalendar {
    /// The clause ids of its entries in a policy that names it.
    pub(crate) fn clause_ids(&self) -> &ClauseIds {
        self.ids.0.get_or_init(|| {
            let own = format!("calendars.{}", self.id);
            let entry = |list: &str, i: usize| Interned::of(&format!("{own}.{list}[{i}]"));
            ClauseIds {
                holidays: (0..self.holidays.len())
                    .map(|i| entry("holidays", i))
                    .collect(),
                makeup: (0..self.makeup.len())
                    .map(|i| entry("makeup_working_days", i))
                    .collect(),
                own: Interned::of(&own),
            }
        })
    }

    /// Reads a calendar from TOML text; `file` names the text in problems.
    /// Every problem is reported, each with its line and column.
    ///
    /// ```
    /// use cs_policy::calendar::HolidayCalendar;
    ///
    /// let text = r#"
    /// id = "acme-2027"
    /// year = 2027
    /// weekend = ["saturday", "sunday"]
    /// holidays = [
    ///   { from = 2027-01-01, to = 2027-01-03, name = "元旦" },
    ///   { date = 2026-12-31, name = "除夕" },
    /// ]
    /// makeup_working_days = [2027-01-04, 2027-01-02]
    /// "#;
    /// let problems = HolidayCalendar::from_toml_str("acme-2027.toml", text).unwrap_err();
    /// let lines: Vec<String> = problems.diagnostics().iter().map(|d| d.to_string()).collect();
    /// assert_eq!(lines, [
    ///     "acme-2027.toml:7:12: error[out-of-range]: holiday 2026-12-31 is outside the calendar's year 2027",
    ///     "acme-2027.toml:9:24: error[invalid-value]: make-up working day 2027-01-04 is a Monday, which is worked anyway",
    ///     "acme-2027.toml:9:36: error[conflict]: 2027-01-02 is both a make-up working day and part of holiday `元旦`",
    /// ]);
    /// ```
    pub fn from_toml_str(file: &str, text: &str) -> Result<Self, Problems> {
        let text: Arc<str> = Arc::from(text);
        let mut ld = Loader::new(Arc::from(file), text.clone());
        let (doc, syntax) = read::parse(&text);
        let broken = ld.syntax_errors(&doc, syntax);
        let mut root = Table::root(&doc);
        let calendar = Self::read(&mut root, &mut ld, &text);
        root.finish(&mut ld);
        if !broken.is_empty() {
            ld.retain(|p| !broken.hides(p));
        }
        let (problems, _) = ld.into_parts();
        match calendar {
            Some(calendar) if problems.is_empty() => Ok(calendar),
            _ => Err(Problems::new(text, problems)),
        }
    }

    /// Reads a calendar file; problems name it by `path` as given.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self, LoadError> {
        let path = path.as_ref();
        let text = crate::read_file(path, crate::DEFAULT_SIZE_LIMIT)?;
        Ok(Self::from_toml_str(&path.display().to_string(), &text)?)
    }

    /// A calendar shipped with the crate, by id (see [`CALENDARS`]).
    pub fn shipped(id: &str) -> Option<&'static Self> {
        SHIPPED.iter().find(|c| &*c.id == id)
    }

    /// Starts a calendar for `year` in code, such as next year's list a
    /// program fetched itself; [`HolidayCalendarBuilder::build`] checks it as
    /// a calendar file is checked.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::calendar::HolidayCalendar;
    ///
    /// let d = |m, day| NaiveDate::from_ymd_opt(2027, m, day).unwrap();
    /// let calendar = HolidayCalendar::builder("acme-2027", 2027)
    ///     .source("the company's own list")
    ///     .holiday("元旦", d(1, 1), d(1, 1))
    ///     .build()?;
    /// assert_eq!(calendar.holidays().len(), 1);
    ///
    /// // The same checks as a file: a make-up working day on a Tuesday.
    /// let problems = HolidayCalendar::builder("acme-2027", 2027)
    ///     .makeup_working_day(d(1, 5))
    ///     .build()
    ///     .unwrap_err();
    /// assert_eq!(problems.diagnostics()[0].field, "makeup_working_days[0]");
    /// # Ok::<(), cs_policy::Problems>(())
    /// ```
    pub fn builder(id: impl Into<String>, year: i32) -> HolidayCalendarBuilder {
        HolidayCalendarBuilder {
            id: id.into(),
            year,
            label: None,
            source: None,
            weekend: vec![Weekday::Sat, Weekday::Sun],
            holidays: Vec::new(),
            makeup: Vec::new(),
        }
    }

    fn read(root: &mut Table<'_, '_>, ld: &mut Loader, text: &Arc<str>) -> Option<Self> {
        let id: Option<String> = root.req(ld, "id");
        let label: Option<String> = root.opt(ld, "label");
        let source: Option<String> = root.opt(ld, "source");
        let year = root.req_in::<i32>(ld, "year", 1900..=9999);
        let weekend = root
            .req::<Vec<Weekday>>(ld, "weekend")
            .map(|w| weekend_of(&w));
        let line = ld.line_of(root.span.start);
        let rules = Rules {
            weekend: weekend.unwrap_or([false, false, false, false, false, true, true]),
            year,
        };
        let (holidays, makeup) = days::read(root, ld, &rules);
        let (id, year, _) = (id?, year?, weekend?);
        Some(Self {
            id: id.into_boxed_str(),
            label: label.map(String::into_boxed_str),
            source: source.map(String::into_boxed_str),
            year,
            holidays: holidays
                .into_iter()
                .map(|h| HolidayBlock {
                    name: h.name.into_boxed_str(),
                    first: h.first,
                    last: h.last,
                    source: h.source.map(String::into_boxed_str),
                    line: ld.line_of(h.span.start),
                })
                .collect(),
            makeup: makeup
                .into_iter()
                .map(|m| (m.date, ld.line_of(m.span.start)))
                .collect(),
            line,
            text: text.clone(),
            ids: ClauseIdsOnce::default(),
        })
    }

    /// The calendar's id, such as `cn-2026`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The year it covers.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// Its human name.
    pub fn label(&self) -> Option<&str> {
        self.label.as_deref()
    }

    /// The notice it is taken from.
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }

    /// The holiday blocks, in file order.
    pub fn holidays(&self) -> &[HolidayBlock] {
        &self.holidays
    }

    /// The make-up working days, in file order.
    pub fn makeup_working_days(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.makeup.iter().map(|(d, _)| *d)
    }

    pub(crate) fn makeup_lines(&self) -> &[(NaiveDate, usize)] {
        &self.makeup
    }

    pub(crate) fn line(&self) -> usize {
        self.line
    }

    pub(crate) fn text(&self) -> &Arc<str> {
        &self.text
    }
}

/// A [`HolidayCalendar`] under construction; see [`HolidayCalendar::builder`].
#[derive(Debug, Clone)]
#[must_use]
pub struct HolidayCalendarBuilder {
    id: String,
    year: i32,
    label: Option<String>,
    source: Option<String>,
    weekend: Vec<Weekday>,
    holidays: Vec<(String, NaiveDate, NaiveDate)>,
    makeup: Vec<NaiveDate>,
}

impl HolidayCalendarBuilder {
    /// Names the calendar for people.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Cites the notice the list comes from.
    pub fn source(mut self, source: impl Into<String>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// The weekend make-up working days fall on (Saturday and Sunday
    /// unless set).
    pub fn weekend(mut self, days: impl IntoIterator<Item = Weekday>) -> Self {
        self.weekend = days.into_iter().collect();
        self
    }

    /// Adds a holiday block from `first` to `last` (inclusive).
    pub fn holiday(mut self, name: impl Into<String>, first: NaiveDate, last: NaiveDate) -> Self {
        self.holidays.push((name.into(), first, last));
        self
    }

    /// Adds a make-up working day (a weekend date that is worked).
    pub fn makeup_working_day(mut self, date: NaiveDate) -> Self {
        self.makeup.push(date);
        self
    }

    /// Checks the calendar as a file would be checked, reporting every
    /// problem; the file named in problems is `<id> (built in code)`, its
    /// text the calendar written as TOML.
    pub fn build(self) -> Result<HolidayCalendar, Problems> {
        let text = self.to_toml();
        HolidayCalendar::from_toml_str(&format!("{} (built in code)", self.id), &text)
    }

    /// The calendar as the TOML a file would hold.
    fn to_toml(&self) -> String {
        let quote = |s: &str| toml::Value::String(s.to_owned()).to_string();
        let mut out = String::new();
        let _ = writeln!(out, "id = {}", quote(&self.id));
        let _ = writeln!(out, "year = {}", self.year);
        if let Some(label) = &self.label {
            let _ = writeln!(out, "label = {}", quote(label));
        }
        if let Some(source) = &self.source {
            let _ = writeln!(out, "source = {}", quote(source));
        }
        let weekend: Vec<String> = self
            .weekend
            .iter()
            .map(|d| quote(&weekday_name(*d).to_lowercase()))
            .collect();
        let _ = writeln!(out, "weekend = [{}]", weekend.join(", "));
        out.push_str("holidays = [\n");
        for (name, first, last) in &self.holidays {
            let _ = writeln!(
                out,
                "  {{ from = {first}, to = {last}, name = {} }},",
                quote(name)
            );
        }
        out.push_str("]\nmakeup_working_days = [\n");
        for date in &self.makeup {
            let _ = writeln!(out, "  {date},");
        }
        out.push_str("]\n");
        out
    }
}

/// Where a policy's named calendars are found: calendars given by the
/// program, then files next to the policy, then the shipped ones.
#[derive(Debug, Default)]
pub(crate) struct CalendarFiles<'c> {
    pub(crate) given: &'c [HolidayCalendar],
    /// The policy file's directory, when it was read from disk.
    pub(crate) dir: Option<&'c Path>,
    /// Calendar files next to the policy that could not be loaded.
    pub(crate) failed: Vec<LoadError>,
}

/// What a name resolved to.
pub(crate) enum Found<'c> {
    /// The calendar, and the file it was read from when it came from disk
    /// (its `id` may then differ from the name).
    Calendar(std::borrow::Cow<'c, HolidayCalendar>, Option<String>),
    /// A file was there but could not be loaded (see `failed`).
    Broken(String),
    Unknown,
}

impl<'c> CalendarFiles<'c> {
    pub(crate) fn find(&mut self, id: &str) -> Found<'c> {
        if let Some(c) = self.given.iter().find(|c| &*c.id == id) {
            return Found::Calendar(std::borrow::Cow::Borrowed(c), None);
        }
        if let Some(dir) = self.dir {
            let name = format!("{id}.toml");
            let candidates = [
                dir.join("calendars").join(&name),
                dir.join("../calendars").join(&name),
            ];
            if let Some(path) = candidates.iter().find(|p| p.is_file()) {
                let shown = path.display().to_string();
                return match HolidayCalendar::from_path(path) {
                    Ok(c) => Found::Calendar(std::borrow::Cow::Owned(c), Some(shown)),
                    Err(e) => {
                        self.failed.push(e);
                        Found::Broken(shown)
                    }
                };
            }
        }
        match HolidayCalendar::shipped(id) {
            Some(c) => Found::Calendar(std::borrow::Cow::Borrowed(c), None),
            None => Found::Unknown,
        }
    }

    /// The ids a policy may name: given, then shipped.
    pub(crate) fn known(&self) -> String {
        let mut ids: Vec<&str> = self.given.iter().map(|c| c.id()).collect();
        for (id, _) in CALENDARS {
            if !ids.contains(id) {
                ids.push(id);
            }
        }
        ids.join(", ")
    }
}
