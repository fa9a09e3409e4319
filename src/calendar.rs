//! Working days: the weekend, public holidays and make-up working days.
//!
//! China moves working days around its public holidays (调休): a holiday
//! block is made longer by working a weekend date before or after it. The
//! `[calendar]` section lists both, so "working day" is computable:
//!
//! ```toml
//! [calendar]
//! label = "2026 public holidays"
//! weekend = ["saturday", "sunday"]
//! holidays = [
//!   { date = 2026-01-01, name = "元旦" },
//!   { from = 2026-02-15, to = 2026-02-23, name = "春节" },
//! ]
//! makeup_working_days = [2026-02-14, 2026-02-28]
//! ```

use std::ops::Range;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Serialize;

use crate::explain::ClauseRef;
use crate::policy::ProblemCode;
use crate::policy::read::{Loader, Located, Table};

/// The longest holiday block accepted, in days.
const LONGEST_HOLIDAY: u64 = 31;

/// Where the anniversary of a 29 February date falls in a common year: a
/// choice the handbooks leave open, stated by each policy that needs it
/// (ages for leave, L6/L8; birthday calls, C4).
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

/// What kind of day a date is under the policy's calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
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

/// A named public holiday block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    name: Box<str>,
    first: NaiveDate,
    last: NaiveDate,
    clause: ClauseRef,
}

impl Holiday {
    /// The holiday's name as the file gives it.
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

    /// The clause (`calendar.holidays[i]`).
    pub fn clause(&self) -> ClauseRef {
        self.clause
    }
}

/// The policy's calendar: which dates are worked.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::{DayKind, Policy};
///
/// let policy = Policy::example("shop")?;
/// let calendar = policy.calendar();
/// let date = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
/// assert_eq!(calendar.day(date(10, 1)).kind, DayKind::Holiday);
/// assert_eq!(calendar.day(date(10, 10)).kind, DayKind::MakeupWorking); // a Saturday
/// // Three working days after Wednesday 30 September: Thursday 8, Friday 9, Saturday 10 October.
/// assert_eq!(calendar.add_working_days(date(9, 30), 3), Some(date(10, 10)));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Calendar {
    clause: ClauseRef,
    week_starts: Weekday,
    weekend: [bool; 7],
    holidays: Vec<Holiday>,
    /// Every holiday date with its index in `holidays`, sorted.
    holiday_days: Vec<(NaiveDate, u16)>,
    /// Every make-up working day with its clause, sorted.
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

    /// The public holidays, in date order.
    pub fn holidays(&self) -> &[Holiday] {
        &self.holidays
    }

    /// The holiday a date falls in, if any.
    pub fn holiday(&self, date: NaiveDate) -> Option<&Holiday> {
        let i = self
            .holiday_days
            .binary_search_by_key(&date, |(d, _)| *d)
            .ok()?;
        self.holidays.get(usize::from(self.holiday_days[i].1))
    }

    /// Classifies a date.
    pub fn day(&self, date: NaiveDate) -> CalendarDay {
        let (kind, clause) = if let Some(holiday) = self.holiday(date) {
            (DayKind::Holiday, holiday.clause)
        } else if let Ok(i) = self.makeup_days.binary_search_by_key(&date, |(d, _)| *d) {
            (DayKind::MakeupWorking, self.makeup_days[i].1)
        } else if self.is_weekend(date.weekday()) {
            (DayKind::Weekend, self.clause)
        } else {
            (DayKind::Working, self.clause)
        };
        CalendarDay { date, kind, clause }
    }

    /// Whether the organisation works on a date.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.day(date).kind.is_working()
    }

    /// The date `n` working days after `date` (`date` itself not counted);
    /// `None` past the end of the representable calendar.
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> Option<NaiveDate> {
        let mut day = date;
        let mut left = n;
        // A week always holds at least one working day unless the whole week
        // is weekend; that case is rejected when the calendar is read.
        while left > 0 {
            day = day.checked_add_days(Days::new(1))?;
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        Some(day)
    }

    /// The date `n` working days before `date` (`date` itself not counted);
    /// `None` before the start of the representable calendar.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let date = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    /// // The working day before Thursday 8 October is Wednesday 30 September,
    /// // before the National Day block; before 24 February it is Saturday
    /// // 14 February, a make-up working day.
    /// assert_eq!(policy.calendar().sub_working_days(date(10, 8), 1), Some(date(9, 30)));
    /// assert_eq!(policy.calendar().sub_working_days(date(2, 24), 1), Some(date(2, 14)));
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn sub_working_days(&self, date: NaiveDate, n: u32) -> Option<NaiveDate> {
        let mut day = date;
        let mut left = n;
        while left > 0 {
            day = day.checked_sub_days(Days::new(1))?;
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        Some(day)
    }

    /// How many working days lie in `from..=to` (0 when `to` is before `from`).
    pub fn working_days(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        from.iter_days()
            .take_while(|d| *d <= to)
            .filter(|d| self.is_working_day(*d))
            .fold(0u32, |n, _| n.saturating_add(1))
    }

    pub(crate) fn read(root: &mut Table<'_, '_>, ld: &mut Loader) -> Self {
        let mut calendar = Self {
            clause: ClauseRef::default(),
            week_starts: Weekday::Mon,
            weekend: weekend_of(&[Weekday::Sat, Weekday::Sun]),
            holidays: Vec::new(),
            holiday_days: Vec::new(),
            makeup_days: Vec::new(),
        };
        let Some(mut t) = root.opt_table(ld, "calendar") else {
            calendar.clause = ld.clauses.add("calendar".into(), None, None, 1);
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
        let mut spans = Vec::new();
        for node in t.array(ld, "holidays") {
            if calendar.read_holiday(ld, &node) {
                spans.push(node.span());
            }
        }
        for node in t.array(ld, "makeup_working_days") {
            calendar.read_makeup_day(ld, &node);
        }
        t.finish(ld);
        calendar.check(ld, spans);
        calendar
    }

    fn read_holiday(&mut self, ld: &mut Loader, node: &crate::policy::read::Node<'_, '_>) -> bool {
        let Some(mut t) = node.table(ld) else {
            return false;
        };
        let name: Option<String> = t.req(ld, "name");
        t.allow("label");
        let single: Option<Located<NaiveDate>> = t.opt(ld, "date");
        let from: Option<Located<NaiveDate>> = t.opt(ld, "from");
        let to: Option<Located<NaiveDate>> = t.opt(ld, "to");
        let source: Option<String> = t.opt(ld, "source");
        let (first, last) = match (single, from, to) {
            (Some(d), None, None) => (d.clone(), d),
            (None, Some(f), Some(l)) => (f, l),
            (Some(d), _, _) => {
                ld.error(
                    ProblemCode::Conflict,
                    d.span,
                    &d.path,
                    format!("`{}` gives both `date` and `from`/`to`", t.path()),
                )
                .help("give `date` for a single day, or `from` and `to` for a block");
                return false;
            }
            _ => {
                ld.error(
                    ProblemCode::MissingKey,
                    node.span(),
                    t.path(),
                    format!("`{}` needs `date`, or `from` and `to`", t.path()),
                )
                .help("write `{ date = 2026-01-01, name = \"元旦\" }` or `{ from = 2026-10-01, to = 2026-10-07, name = \"国庆节\" }`");
                return false;
            }
        };
        let path = t.path().to_owned();
        t.finish(ld);
        let t = Located {
            value: (),
            span: node.span(),
            path,
        };
        if last.value < first.value {
            ld.error(
                ProblemCode::OutOfOrder,
                last.span,
                &last.path,
                format!(
                    "`{}` ends on {} before it starts on {}",
                    t.path, last.value, first.value
                ),
            );
            return false;
        }
        if (last.value - first.value).num_days() >= LONGEST_HOLIDAY as i64 {
            ld.error(
                ProblemCode::OutOfRange,
                last.span,
                &last.path,
                format!("`{}` is longer than {LONGEST_HOLIDAY} days", t.path),
            )
            .help("list each holiday block separately");
            return false;
        }
        let Some(name) = name else { return false };
        let clause = ld.clause_at(
            t.path.clone(),
            Some(name.clone()),
            &node.span(),
            Some(self.clause),
        );
        if let Some(source) = source {
            // A holiday citing its own notice overrides the calendar's citation.
            ld.clauses.set_source(clause, source);
        }
        let Ok(index) = u16::try_from(self.holidays.len()) else {
            return false;
        };
        // Indexed now so that make-up days read next can be checked against it.
        for day in first.value.iter_days().take_while(|d| *d <= last.value) {
            self.holiday_days.push((day, index));
        }
        self.holidays.push(Holiday {
            name: name.into_boxed_str(),
            first: first.value,
            last: last.value,
            clause,
        });
        true
    }

    fn read_makeup_day(&mut self, ld: &mut Loader, node: &crate::policy::read::Node<'_, '_>) {
        let Some(date) = node.read::<NaiveDate>(ld) else {
            return;
        };
        if !self.is_weekend(date.weekday()) {
            ld.error(
                ProblemCode::InvalidValue,
                node.span(),
                &node.path(),
                format!(
                    "make-up working day {date} is a {}, which is worked anyway",
                    weekday_name(date.weekday())
                ),
            )
            .help("a make-up working day (调休) is a weekend date that is worked; check the date");
            return;
        }
        let clause = ld.clause_at(node.path(), None, &node.span(), Some(self.clause));
        if let Some(i) = self.holiday_days.iter().position(|(d, _)| *d == date) {
            let holiday = &self.holidays[usize::from(self.holiday_days[i].1)];
            ld.error(
                ProblemCode::Conflict,
                node.span(),
                &node.path(),
                format!(
                    "{date} is both a make-up working day and part of holiday `{}`",
                    holiday.name
                ),
            );
            return;
        }
        if self.makeup_days.iter().any(|(d, _)| *d == date) {
            ld.error(
                ProblemCode::Duplicate,
                node.span(),
                &node.path(),
                format!("make-up working day {date} is listed twice"),
            );
            return;
        }
        self.makeup_days.push((date, clause));
    }

    /// Sorts the holidays and reports each pair of blocks that share days.
    /// `spans` holds where each holiday (in file order) was written.
    fn check(&mut self, ld: &mut Loader, spans: Vec<Range<usize>>) {
        let mut blocks: Vec<(Holiday, Range<usize>)> = std::mem::take(&mut self.holidays)
            .into_iter()
            .zip(spans)
            .collect();
        blocks.sort_by_key(|(h, span)| (h.first, span.start));
        for (i, (later, span)) in blocks.iter().enumerate() {
            for (earlier, earlier_span) in &blocks[..i] {
                if earlier.last < later.first {
                    continue;
                }
                // Point at whichever block the file lists later.
                let (shown, other, at) = if earlier_span.start > span.start {
                    (earlier, later, earlier_span)
                } else {
                    (later, earlier, span)
                };
                let id = ld.clauses.get(shown.clause).id().to_owned();
                ld.error(
                    ProblemCode::Overlap,
                    at.clone(),
                    &id,
                    format!(
                        "holiday `{}` overlaps `{}` from {} to {}",
                        shown.name,
                        other.name,
                        later.first.max(earlier.first),
                        later.last.min(earlier.last)
                    ),
                )
                .help("each date may belong to one holiday block only");
            }
        }
        self.holidays = blocks.into_iter().map(|(h, _)| h).collect();
        self.holiday_days.clear();
        for (i, h) in self.holidays.iter().enumerate() {
            let Ok(i) = u16::try_from(i) else { break };
            for day in h.first.iter_days().take_while(|d| *d <= h.last) {
                self.holiday_days.push((day, i));
            }
        }
        self.holiday_days.sort_by_key(|(d, _)| *d);
        self.holiday_days.dedup_by_key(|(d, _)| *d);
        self.makeup_days.sort_by_key(|(d, _)| *d);
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
