//! Working days: the weekend, public holidays and make-up working days.
//!
//! China moves working days around its public holidays (调休): a holiday
//! block is made longer by working a weekend date before or after it. Each
//! year's official list is a calendar file of its own under `calendars/`
//! (see [`HolidayCalendar`] and [`CALENDARS`]); a policy's `[calendar]`
//! section names the calendars it uses and may add company days of its own:
//!
//! ```toml
//! [calendar]
//! weekend = ["saturday", "sunday"]
//! calendars = ["cn-2025", "cn-2026"]
//! holidays = [{ date = 2026-03-20, name = "公司年会" }]   # the company's own
//! ```
//!
//! A calendar knows the years it covers: asking about a date outside them
//! is an error ([`CalendarError`]), never a silent ordinary day.

mod days;
mod file;

use std::collections::HashSet;
use std::fmt;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;

pub use file::{CALENDARS, HolidayBlock, HolidayCalendar, HolidayCalendarBuilder};
pub(crate) use file::{CalendarFiles, ClauseIds, Found};

use crate::explain::ClauseRef;
use crate::policy::ProblemCode;
use crate::policy::read::{Loader, Node, Table};

/// The longest holiday block accepted, in days.
const LONGEST_HOLIDAY: u64 = 31;

/// Where the anniversary of a 29 February date falls in a common year: a
/// choice the handbooks leave open, stated by each policy that needs it
/// (ages for leave; birthday calls).
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::calendar::LeapDay;
///
/// let born = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
/// let on = |rule: LeapDay, year| rule.anniversary(born, year);
/// assert_eq!(on(LeapDay::February28, 2025), NaiveDate::from_ymd_opt(2025, 2, 28));
/// assert_eq!(on(LeapDay::March1, 2025), NaiveDate::from_ymd_opt(2025, 3, 1));
/// assert_eq!(on(LeapDay::March1, 2028), NaiveDate::from_ymd_opt(2028, 2, 29));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LeapDay {
    /// On 28 February, the last day of the birth month.
    February28,
    /// On 1 March, the first day after 28 February has passed.
    March1,
}

impl crate::policy::read::Choice for LeapDay {
    const WHAT: &'static str = "a day for 29 February anniversaries";
    const CHOICES: &'static [(&'static str, Self)] =
        &[("february_28", Self::February28), ("march_1", Self::March1)];
}

impl LeapDay {
    /// The anniversary of `date` in `year`; `None` past the representable
    /// calendar.
    pub fn anniversary(self, date: NaiveDate, year: i32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(year, date.month(), date.day()).or_else(|| match self {
            // Only 29 February lacks its day in some years.
            Self::February28 => NaiveDate::from_ymd_opt(year, 2, 28),
            Self::March1 => NaiveDate::from_ymd_opt(year, 3, 1),
        })
    }
}

/// How a period of days is counted: every calendar day, or the policy
/// calendar's working days only (its holidays not counted, its make-up
/// working days counted). A choice each period of a policy states.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::calendar::DayCount;
///
/// let policy = cs_policy::Policy::example("shop")?;
/// let date = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
/// // One working day after Friday 13 February 2026 is Saturday 14th, a make-up working day.
/// assert_eq!(DayCount::WorkingDays.after(policy.calendar(), date(2, 13), 1)?, Some(date(2, 14)));
/// assert_eq!(DayCount::CalendarDays.after(policy.calendar(), date(2, 13), 3)?, Some(date(2, 16)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DayCount {
    /// Every calendar day counts.
    CalendarDays,
    /// Only the policy calendar's working days count (holidays and make-up
    /// working days included).
    WorkingDays,
}

impl crate::policy::read::Choice for DayCount {
    const WHAT: &'static str = "a way of counting days";
    const CHOICES: &'static [(&'static str, Self)] = &[
        ("calendar_days", Self::CalendarDays),
        ("working_days", Self::WorkingDays),
    ];
}

impl DayCount {
    /// The date `n` days of this count after `date` (`date` itself not
    /// counted); `None` past the last representable date.
    pub fn after(
        self,
        calendar: &Calendar,
        date: NaiveDate,
        n: u32,
    ) -> Result<Option<NaiveDate>, CalendarError> {
        match self {
            Self::CalendarDays => Ok(date.checked_add_days(chrono::Days::new(u64::from(n)))),
            Self::WorkingDays => calendar.add_working_days(date, n).map(Some),
        }
    }

    /// Reads how the period of table `t` counts its days (`key`): a choice
    /// the policy must state, calendar days when it does not.
    pub(crate) fn read(t: &mut Table<'_, '_>, ld: &mut Loader, key: &'static str) -> Self {
        if t.contains(key) {
            return t.req(ld, key).unwrap_or(Self::CalendarDays);
        }
        t.allow(key);
        let span = ld.header_span(&t.span);
        ld.error(
            ProblemCode::UnstatedChoice,
            span,
            &t.field(key),
            format!(
                "`{}` does not say whether its days are calendar or working days",
                t.path()
            ),
        )
        .help(format!(
            "state it: `{key} = \"calendar_days\"` or `{key} = \"working_days\"`"
        ));
        Self::CalendarDays
    }
}

/// What kind of day a date is under the policy's calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DayKind {
    /// An ordinary working day.
    Working,
    /// A weekend day that is not worked.
    Weekend,
    /// A public holiday.
    Holiday,
    /// A weekend day worked to make up for a holiday (调休).
    MakeupWorking,
}

impl DayKind {
    /// Whether the organisation works that day.
    pub const fn is_working(self) -> bool {
        matches!(self, Self::Working | Self::MakeupWorking)
    }
}

/// One date classified, with the clause that decided it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalendarDay {
    /// The date.
    pub date: NaiveDate,
    /// What kind of day it is.
    pub kind: DayKind,
    /// The holiday or make-up entry that decided it, or the `calendar` clause
    /// itself for ordinary working days and weekends.
    pub clause: ClauseRef,
}

/// A named public holiday block of the policy's calendar: the block as its
/// list gives it (name, first and last day: see [`HolidayBlock`]) and the
/// clause that cites it.
///
/// ```
/// let policy = cs_policy::Policy::example("shop")?;
/// let spring = &policy.calendar().holidays()[1];
/// assert_eq!((spring.name(), spring.last().to_string().as_str()), ("春节", "2026-02-23"));
/// assert_eq!(spring.clause().id(), "calendars.cn-2026.holidays[1]");
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    block: HolidayBlock,
    clause: ClauseRef,
}

impl std::ops::Deref for Holiday {
    type Target = HolidayBlock;

    fn deref(&self) -> &HolidayBlock {
        &self.block
    }
}

impl Holiday {
    /// The clause (`calendars.cn-2026.holidays[i]` for an official holiday,
    /// `calendar.holidays[i]` for the policy's own).
    pub fn clause(&self) -> ClauseRef {
        self.clause
    }
}

/// A date the calendar cannot answer for.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::Policy;
/// use cs_policy::calendar::CalendarError;
///
/// let policy = Policy::example("shop")?;
/// let date = NaiveDate::from_ymd_opt(2027, 2, 8).unwrap();
/// let err = policy.calendar().day(date).unwrap_err();
/// assert_eq!(err, CalendarError::NotCovered { date, first_year: 2026, last_year: 2026 });
/// assert_eq!(
///     err.to_string(),
///     "date `2027-02-08` is outside the holiday calendars, which cover 2026; name a calendar for 2027 in `[calendar] calendars`"
/// );
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, thiserror::Error)]
#[serde(rename_all = "snake_case", tag = "error")]
#[non_exhaustive]
pub enum CalendarError {
    /// The date lies outside the years the holiday calendars cover.
    #[error(
        "date `{date}` is outside the holiday calendars, which cover {}; name a calendar for {} in `[calendar] calendars`",
        Years(*first_year, *last_year),
        date.year()
    )]
    NotCovered {
        /// The date asked about.
        date: NaiveDate,
        /// The first year covered.
        first_year: i32,
        /// The last year covered.
        last_year: i32,
    },
    /// Counting working days from `date` runs past the representable dates.
    #[error("counting working days from `{date}` runs past the last representable date")]
    PastEnd {
        /// Where the count started.
        date: NaiveDate,
    },
}

/// A span of years as people write it: `2026`, `2025–2026`.
struct Years(i32, i32);

impl fmt::Display for Years {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == self.1 {
            write!(f, "{}", self.0)
        } else {
            write!(f, "{}–{}", self.0, self.1)
        }
    }
}

/// A holiday calendar a policy names, as it uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedCalendar {
    id: Box<str>,
    year: i32,
    clause: ClauseRef,
    text: std::sync::Arc<str>,
}

impl NamedCalendar {
    /// The calendar's id, such as `cn-2026`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The year it covers.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// Its clause (`calendars.cn-2026`), citing the notice.
    pub fn clause(&self) -> ClauseRef {
        self.clause
    }

    /// The calendar's file text, for comparing policies.
    pub(crate) fn text(&self) -> &str {
        &self.text
    }
}

/// The policy's calendar: which dates are worked, over the years its holiday
/// calendars cover.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::{DayKind, Policy};
///
/// let policy = Policy::example("shop")?;
/// let calendar = policy.calendar();
/// let date = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
/// assert_eq!(calendar.day(date(10, 1))?.kind, DayKind::Holiday);
/// assert_eq!(calendar.day(date(10, 10))?.kind, DayKind::MakeupWorking); // a Saturday
/// // Three working days after Wednesday 30 September: Thursday 8, Friday 9, Saturday 10 October.
/// assert_eq!(calendar.add_working_days(date(9, 30), 3)?, date(10, 10));
/// assert_eq!(calendar.years(), Some((2026, 2026)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Calendar {
    clause: ClauseRef,
    week_starts: Weekday,
    weekend: [bool; 7],
    calendars: Vec<NamedCalendar>,
    /// The years covered; `None` for a calendar that lists no holiday at all.
    years: Option<(i32, i32)>,
    holidays: Vec<Holiday>,
    /// Every holiday date with its index in `holidays`, sorted.
    holiday_days: Vec<(NaiveDate, u16)>,
    /// Every make-up working day on the policy's weekend, with its clause, sorted.
    makeup_days: Vec<(NaiveDate, ClauseRef)>,
}

impl Calendar {
    /// The clause of the `[calendar]` table.
    pub fn clause(&self) -> ClauseRef {
        self.clause
    }

    /// The first day of the week (for weekly rest rules and reports).
    pub fn week_starts(&self) -> Weekday {
        self.week_starts
    }

    /// Whether a weekday is part of the ordinary weekend.
    pub fn is_weekend(&self, day: Weekday) -> bool {
        self.weekend[day.num_days_from_monday() as usize]
    }

    /// The holiday calendars the policy names, in year order.
    pub fn calendars(&self) -> &[NamedCalendar] {
        &self.calendars
    }

    /// The first and last year covered. `None` for a calendar that names no
    /// holiday calendar and lists no day of its own: it keeps a plain week,
    /// which nothing can run out of.
    pub fn years(&self) -> Option<(i32, i32)> {
        self.years
    }

    /// The last date covered, if the coverage ends.
    pub fn last_day(&self) -> Option<NaiveDate> {
        self.years
            .and_then(|(_, last)| NaiveDate::from_ymd_opt(last, 12, 31))
    }

    /// Ok when `date` lies in the years covered.
    pub fn covers(&self, date: NaiveDate) -> Result<(), CalendarError> {
        match self.years {
            Some((first_year, last_year)) if !(first_year..=last_year).contains(&date.year()) => {
                Err(CalendarError::NotCovered {
                    date,
                    first_year,
                    last_year,
                })
            }
            _ => Ok(()),
        }
    }

    /// The public holidays (official and the company's own), in date order.
    pub fn holidays(&self) -> &[Holiday] {
        &self.holidays
    }

    /// The holiday a date falls in, if any.
    pub fn holiday(&self, date: NaiveDate) -> Result<Option<&Holiday>, CalendarError> {
        self.covers(date)?;
        Ok(self.holiday_in_covered(date))
    }

    /// The holiday a date falls in, for a date the caller has checked
    /// with [`Calendar::covers`].
    pub(crate) fn holiday_in_covered(&self, date: NaiveDate) -> Option<&Holiday> {
        let i = self
            .holiday_days
            .binary_search_by_key(&date, |(d, _)| *d)
            .ok()?;
        self.holidays.get(usize::from(self.holiday_days[i].1))
    }

    /// Classifies a date; an error for a date outside the years covered.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::{DayKind, Policy};
    ///
    /// let policy = Policy::example("education")?;
    /// let day = policy.calendar().day(NaiveDate::from_ymd_opt(2026, 2, 14).unwrap())?;
    /// assert_eq!(day.kind, DayKind::MakeupWorking);
    /// assert_eq!(day.clause.id(), "calendars.cn-2026.makeup_working_days[1]");
    /// assert!(policy.calendar().day(NaiveDate::from_ymd_opt(2027, 2, 8).unwrap()).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn day(&self, date: NaiveDate) -> Result<CalendarDay, CalendarError> {
        self.covers(date)?;
        let (kind, clause) = if let Some(holiday) = self.holiday_in_covered(date) {
            (DayKind::Holiday, holiday.clause)
        } else if let Ok(i) = self.makeup_days.binary_search_by_key(&date, |(d, _)| *d) {
            (DayKind::MakeupWorking, self.makeup_days[i].1)
        } else if self.is_weekend(date.weekday()) {
            (DayKind::Weekend, self.clause)
        } else {
            (DayKind::Working, self.clause)
        };
        Ok(CalendarDay { date, kind, clause })
    }

    /// Whether the organisation works on a date.
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        Ok(self.day(date)?.kind.is_working())
    }

    /// The date `n` working days after `date` (`date` itself not counted).
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        self.step_working_days(date, n, NaiveDate::succ_opt)
    }

    /// The date `n` working days before `date` (`date` itself not counted).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let date = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    /// // The working day before Thursday 8 October is Wednesday 30 September,
    /// // before the National Day block; before 24 February it is Saturday
    /// // 14 February, a make-up working day.
    /// assert_eq!(policy.calendar().sub_working_days(date(10, 8), 1)?, date(9, 30));
    /// assert_eq!(policy.calendar().sub_working_days(date(2, 24), 1)?, date(2, 14));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn sub_working_days(&self, date: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        self.step_working_days(date, n, NaiveDate::pred_opt)
    }

    fn step_working_days(
        &self,
        date: NaiveDate,
        n: u32,
        step: fn(&NaiveDate) -> Option<NaiveDate>,
    ) -> Result<NaiveDate, CalendarError> {
        let mut day = date;
        let mut left = n;
        // A week always holds a working day: a weekend of every day is
        // rejected when the calendar is read.
        while left > 0 {
            day = step(&day).ok_or(CalendarError::PastEnd { date })?;
            if self.is_working_day(day)? {
                left -= 1;
            }
        }
        Ok(day)
    }

    /// How many working days lie in `from..=to` (0 when `to` is before `from`).
    pub fn working_days(&self, from: NaiveDate, to: NaiveDate) -> Result<u32, CalendarError> {
        let mut n = 0u32;
        for d in from.iter_days().take_while(|d| *d <= to) {
            if self.is_working_day(d)? {
                n = n.saturating_add(1);
            }
        }
        Ok(n)
    }

    pub(crate) fn read(
        root: &mut Table<'_, '_>,
        ld: &mut Loader,
        files: &mut CalendarFiles<'_>,
    ) -> Self {
        let mut calendar = Self {
            clause: ClauseRef::default(),
            week_starts: Weekday::Mon,
            weekend: weekend_of(&[Weekday::Sat, Weekday::Sun]),
            calendars: Vec::new(),
            years: None,
            holidays: Vec::new(),
            holiday_days: Vec::new(),
            makeup_days: Vec::new(),
        };
        let Some(mut t) = root.opt_table(ld, "calendar") else {
            calendar.clause = ld.clauses.add("calendar", None, None, 1);
            return calendar;
        };
        calendar.clause = ld.clause(&mut t);
        calendar.week_starts = t.opt_or(ld, "week_starts", Weekday::Mon);
        if let Some(node) = t.node("weekend") {
            if let Some(days) = node.read::<Vec<Weekday>>(ld) {
                if days.len() >= 7 {
                    ld.error(
                        ProblemCode::OutOfRange,
                        node.span(),
                        &node.path(),
                        "a weekend of every day of the week leaves no working day",
                    );
                }
                calendar.weekend = weekend_of(&days);
            }
        }
        t.describe(ld, "calendars", "the holiday calendars used, by id, such as `[\"cn-2025\", \"cn-2026\"]`: shipped with the crate, or `calendars/<id>.toml` next to the policy");
        let names = t.array(ld, "calendars");
        for node in &names {
            calendar.name_calendar(ld, node, files);
        }
        let rules = days::Rules {
            weekend: calendar.weekend,
            year: None,
        };
        calendar.named_years(ld, &t);
        let (own, makeup) = days::read(&mut t, ld, &rules);
        calendar.add_own(ld, own, makeup);
        t.finish(ld);
        calendar.index();
        calendar
    }

    /// Resolves one name of `calendars` and adds its days.
    fn name_calendar(
        &mut self,
        ld: &mut Loader,
        node: &Node<'_, '_>,
        files: &mut CalendarFiles<'_>,
    ) {
        let Some(name) = node.read::<String>(ld) else {
            return;
        };
        if let Some(found) = resolve(ld, node, &name, files) {
            self.add_named(ld, node, &name, &found);
        }
    }

    /// Adds a named calendar's days, each as a clause `calendars.<id>.…`
    /// citing the calendar's notice.
    fn add_named(
        &mut self,
        ld: &mut Loader,
        node: &Node<'_, '_>,
        name: &str,
        found: &HolidayCalendar,
    ) {
        if let Some(other) = self.calendars.iter().find(|c| c.year == found.year()) {
            let message = if *other.id == *found.id() {
                format!("calendar `{name}` is named twice")
            } else {
                format!(
                    "calendars `{}` and `{name}` both cover {}",
                    other.id,
                    found.year()
                )
            };
            ld.error(ProblemCode::Duplicate, node.span(), &node.path(), message)
                .help("name one calendar for each year");
            return;
        }
        // `name` is the calendar's own id: `resolve` refuses any other.
        let ids = found.clause_ids();
        let label = found.label().map(Box::from);
        let source = found.source().map(std::sync::Arc::from);
        let clause = ld.clauses.add_stored(ids.own, label, source, found.line());
        self.add_named_days(ld, found, ids, clause);
        self.calendars.push(NamedCalendar {
            id: Box::from(found.id()),
            year: found.year(),
            clause,
            text: found.text().clone(),
        });
    }

    /// A named calendar's holidays and make-up days, each a clause citing
    /// the calendar's notice (`clause`) unless it has its own.
    fn add_named_days(
        &mut self,
        ld: &mut Loader,
        found: &HolidayCalendar,
        ids: &ClauseIds,
        clause: ClauseRef,
    ) {
        self.holidays.reserve(found.holidays().len());
        for (h, id) in found.holidays().iter().zip(&ids.holidays) {
            let c = ld.clauses.add_stored(
                *id,
                Some(Box::from(h.name())),
                ld.clauses.shared_source(clause),
                h.line(),
            );
            if let Some(own) = h.source() {
                ld.clauses.set_source(c, own);
            }
            self.holidays.push(Holiday {
                block: h.clone(),
                clause: c,
            });
        }
        for ((date, line), id) in found.makeup_lines().iter().zip(&ids.makeup) {
            // A make-up day off the policy's own weekend is worked anyway: it
            // decides nothing here, so it is no clause of this policy.
            if !self.is_weekend(date.weekday()) {
                continue;
            }
            let c = ld
                .clauses
                .add_stored(*id, None, ld.clauses.shared_source(clause), *line);
            self.makeup_days.push((*date, c));
        }
    }

    /// Adds the policy's own days, reporting those that clash with an
    /// official calendar's.
    fn add_own(&mut self, ld: &mut Loader, own: Vec<days::Listed>, makeup: Vec<days::Makeup>) {
        let official = self.holidays.len();
        self.add_own_holidays(ld, own, official);
        self.add_own_makeup(ld, makeup, official);
        if self.calendars.is_empty() {
            // Without an official calendar the policy's own list sets the years.
            self.years = self
                .holidays
                .iter()
                .flat_map(|h| [h.first().year(), h.last().year()])
                .chain(self.makeup_days.iter().map(|(d, _)| d.year()))
                .fold(None, |span: Option<(i32, i32)>, y| {
                    Some(span.map_or((y, y), |(a, b)| (a.min(y), b.max(y))))
                });
        }
    }

    /// Adds the policy's own holidays after the first `official` ones.
    fn add_own_holidays(&mut self, ld: &mut Loader, own: Vec<days::Listed>, official: usize) {
        for h in own {
            self.own_outside_years(ld, &h.span, &h.path, [h.first, h.last], "holiday");
            let clash = self.holidays[..official]
                .iter()
                .find(|o| o.first() <= h.last && h.first <= o.last());
            if let Some(o) = clash {
                let other = format!("`{}` of the official calendar", o.name());
                days::report_overlap(ld, &h, &other, o.first(), o.last());
            }
            let clause = ld.clause_at(
                h.path.clone(),
                Some(h.name.clone()),
                &h.span,
                Some(self.clause),
            );
            if let Some(source) = &h.source {
                ld.clauses.set_source(clause, source);
            }
            self.holidays.push(Holiday {
                block: HolidayBlock::new(h.name, h.first, h.last, ld.line_of(h.span.start)),
                clause,
            });
        }
    }

    /// Adds the policy's own make-up working days, refusing one inside an
    /// official holiday (of the first `official`) or already listed.
    fn add_own_makeup(&mut self, ld: &mut Loader, makeup: Vec<days::Makeup>, official: usize) {
        let mut listed: HashSet<NaiveDate> = self.makeup_days.iter().map(|(d, _)| *d).collect();
        for m in makeup {
            self.own_outside_years(
                ld,
                &m.span,
                &m.path,
                [m.date, m.date],
                "make-up working day",
            );
            let clause = ld.clause_at(m.path.clone(), None, &m.span, Some(self.clause));
            if let Some(o) = self.holidays[..official]
                .iter()
                .find(|o| o.first() <= m.date && m.date <= o.last())
            {
                ld.error(
                    ProblemCode::Conflict,
                    m.span,
                    &m.path,
                    format!(
                        "{} is both a make-up working day and part of holiday `{}`",
                        m.date,
                        o.name()
                    ),
                );
                continue;
            }
            if !listed.insert(m.date) {
                ld.error(
                    ProblemCode::Duplicate,
                    m.span,
                    &m.path,
                    format!(
                        "make-up working day {} is already in the official calendar",
                        m.date
                    ),
                );
                continue;
            }
            self.makeup_days.push((m.date, clause));
        }
    }

    /// Reports a company day outside the years the named calendars cover.
    fn own_outside_years(
        &self,
        ld: &mut Loader,
        span: &std::ops::Range<usize>,
        path: &str,
        dates: [NaiveDate; 2],
        what: &str,
    ) {
        let Some((first, last)) = self.years else {
            return;
        };
        if let Some(date) = dates
            .into_iter()
            .find(|d| !(first..=last).contains(&d.year()))
        {
            ld.error(
                ProblemCode::OutOfRange,
                span.clone(),
                path,
                format!(
                    "{what} {date} is outside the years the holiday calendars cover, {}",
                    Years(first, last)
                ),
            )
            .help(format!("name the holiday calendar of {} too", date.year()));
        }
    }

    /// The years the named calendars cover, which must follow one another.
    fn named_years(&mut self, ld: &mut Loader, t: &Table<'_, '_>) {
        self.calendars.sort_by_key(|c| c.year);
        for pair in self.calendars.windows(2) {
            if pair[1].year > pair[0].year + 1 {
                ld.error(
                    ProblemCode::Gap,
                    t.header_span(ld),
                    &t.field("calendars"),
                    format!(
                        "the holiday calendars cover {} and {} but not {}",
                        pair[0].year,
                        pair[1].year,
                        pair[0].year + 1
                    ),
                )
                .help("name a calendar for every year in between");
            }
        }
        self.years = self
            .calendars
            .first()
            .zip(self.calendars.last())
            .map(|(a, b)| (a.year, b.year));
    }

    /// Sorts the holidays and indexes every date.
    fn index(&mut self) {
        self.holidays.sort_by_key(|h| h.first());
        self.holiday_days.clear();
        let days = self
            .holidays
            .iter()
            .map(|h| (h.last() - h.first()).num_days() + 1);
        self.holiday_days
            .reserve(usize::try_from(days.sum::<i64>()).unwrap_or(0));
        for (i, h) in self.holidays.iter().enumerate() {
            let Ok(i) = u16::try_from(i) else { break };
            for day in h.first().iter_days().take_while(|d| *d <= h.last()) {
                self.holiday_days.push((day, i));
            }
        }
        self.holiday_days.sort_by_key(|(d, _)| *d);
        self.holiday_days.dedup_by_key(|(d, _)| *d);
        self.makeup_days.sort_by_key(|(d, _)| *d);
    }
}

/// The calendar a name of `calendars` stands for, or `None` once the
/// reason there is none is reported.
fn resolve<'c>(
    ld: &mut Loader,
    node: &Node<'_, '_>,
    name: &str,
    files: &mut CalendarFiles<'c>,
) -> Option<std::borrow::Cow<'c, HolidayCalendar>> {
    let (span, path) = (node.span(), node.path());
    match files.find(name) {
        Found::Calendar(c, from) => {
            if c.id() != name {
                let file = from.unwrap_or_default();
                ld.error(
                    ProblemCode::InvalidValue,
                    span,
                    &path,
                    format!("file `{file}` holds calendar `{}`, not `{name}`", c.id()),
                )
                .help(format!(
                    "name the file `{}.toml`, or correct its `id`",
                    c.id()
                ));
                return None;
            }
            Some(c)
        }
        Found::Broken(file) => {
            ld.error(
                ProblemCode::InvalidValue,
                span,
                &path,
                format!("calendar `{name}` in `{file}` has problems"),
            )
            .help(format!("run `cs-policy check {file}` to see them"));
            None
        }
        Found::Unknown => {
            ld.error(
                ProblemCode::UndefinedReference,
                span,
                &path,
                format!("no holiday calendar is named `{name}`"),
            )
            .help(format!(
                "the calendars known are: {}; put `calendars/{name}.toml` next to the policy, or give the calendar to `Policy::from_toml_str_with`",
                files.known()
            ));
            None
        }
    }
}

fn weekend_of(days: &[Weekday]) -> [bool; 7] {
    let mut weekend = [false; 7];
    for d in days {
        weekend[d.num_days_from_monday() as usize] = true;
    }
    weekend
}

/// How many days `month` of `year` has (31 when the month cannot be
/// represented; callers check the month first).
pub(crate) fn days_in_month(year: i32, month: u32) -> u32 {
    NaiveDate::from_ymd_opt(year, month, 1)
        .and_then(|first| first.checked_add_months(chrono::Months::new(1)))
        .and_then(|next| next.pred_opt())
        .map_or(31, |last| last.day())
}

pub(crate) fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}
