//! Shifts, rosters and rest rules (S1–S10).
//!
//! The `[shifts]` section of a policy file defines shift types (a night shift
//! that ends after midnight says so, and belongs to the day it starts), the
//! rest rules a roster must keep, minimum staffing, whether holidays are
//! worked, shift swaps, overtime and the weekly meetings:
//!
//! ```toml
//! [shifts]
//! source = "000 part 1 §1"
//! holidays = "worked_as_usual"
//!
//! [shifts.types.night]
//! label = "晚班"
//! start = 17:30
//! end = 01:00
//! crosses_midnight = true
//! extends_while_serving = true     # S2: recorded, never penalised
//!
//! [[shifts.rest]]
//! rule = "days_per_week"           # or "max_consecutive_working_days", "days_per_month"
//! days = 1
//!
//! [[shifts.staffing]]
//! kind = "window"                  # or "per_shift" with `shifts = [...]`
//! from = 11:30
//! to = 13:30
//! min = 2
//! ```
//!
//! A roster is a fact ([`Roster`]): who works which shift on which date.
//! [`Policy::check_roster`] reports every breach with its date and agent.

use chrono::{Datelike, Days, NaiveDate, NaiveTime, Timelike, Weekday};
use serde::{Deserialize, Serialize};

use crate::Policy;
use crate::explain::ClauseRef;
use crate::policy::ProblemCode;
use crate::policy::read::{Choice, Loader, Located, Node, Table, closest};

const DAY: u16 = 24 * 60;

/// A reference to one shift type of a policy, resolved from its id once
/// ([`Policy::shift_ref`]) so that evaluation never looks up strings.
///
/// In a scenario file it is written as the shift type's position; the roster
/// form ([`Roster`]) names shifts by id instead.
///
/// ```
/// let policy = cs_policy::Policy::example("shop")?;
/// let night = policy.shift_ref("p1_night").unwrap();
/// assert_eq!(policy.shift_type(night).unwrap().id(), "p1_night");
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ShiftRef(u16);

impl ShiftRef {
    /// The shift type's position in [`ShiftRules::types`].
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let night = policy.shift_ref("p1_night").unwrap();
    /// assert_eq!(policy.shifts().unwrap().types()[night.index()].id(), "p1_night");
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub const fn index(self) -> usize {
        self.0 as usize
    }
}

/// The hours of a shift on one weekday, in minutes from the midnight that
/// starts the shift's day (so a shift ending at 01:00 the next day ends at
/// minute 1500).
///
/// ```
/// use chrono::Weekday;
/// use cs_policy::Policy;
///
/// let policy = Policy::example("shop")?;
/// let night = policy.shift_ref("p1_night").unwrap();
/// let hours = policy.shift_type(night).unwrap().hours(Weekday::Mon);
/// assert_eq!((hours.start_minute(), hours.end_minute()), (17 * 60 + 30, 25 * 60));
/// assert!(hours.crosses_midnight());
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShiftHours {
    start: u16,
    end: u16,
    clause: ClauseRef,
}

impl ShiftHours {
    /// The minute of the shift's day the shift starts (0–1439).
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let night = policy.shift_type(policy.shift_ref("p1_night").unwrap()).unwrap();
    /// let hours = night.hours(chrono::Weekday::Mon);
    /// assert_eq!(hours.start_minute(), 17 * 60 + 30);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub const fn start_minute(&self) -> u32 {
        self.start as u32
    }

    /// The minute the shift ends, counted from the midnight that starts the
    /// shift's day: above 1440 when it ends the next day.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let night = policy.shift_type(policy.shift_ref("p1_night").unwrap()).unwrap();
    /// let hours = night.hours(chrono::Weekday::Mon);
    /// assert_eq!(hours.end_minute(), 25 * 60); // 01:00 the next day
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub const fn end_minute(&self) -> u32 {
        self.end as u32
    }

    /// The start as a time of day.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let night = policy.shift_type(policy.shift_ref("p1_night").unwrap()).unwrap();
    /// let hours = night.hours(chrono::Weekday::Mon);
    /// assert_eq!(hours.start(), chrono::NaiveTime::from_hms_opt(17, 30, 0).unwrap());
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn start(&self) -> NaiveTime {
        time_of(self.start)
    }

    /// The end as a time of day (on the next day when it crosses midnight).
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let night = policy.shift_type(policy.shift_ref("p1_night").unwrap()).unwrap();
    /// let hours = night.hours(chrono::Weekday::Mon);
    /// assert_eq!(hours.end(), chrono::NaiveTime::from_hms_opt(1, 0, 0).unwrap());
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn end(&self) -> NaiveTime {
        time_of(self.end % DAY)
    }

    /// Whether the shift ends on the day after it starts.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let night = policy.shift_type(policy.shift_ref("p1_night").unwrap()).unwrap();
    /// let hours = night.hours(chrono::Weekday::Mon);
    /// assert!(hours.crosses_midnight());
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub const fn crosses_midnight(&self) -> bool {
        self.end > DAY
    }

    /// The clause that sets these hours: the shift type, or its weekday
    /// entry (`shifts.types.regular.hours[0]`).
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let night = policy.shift_type(policy.shift_ref("p1_night").unwrap()).unwrap();
    /// let hours = night.hours(chrono::Weekday::Mon);
    /// assert_eq!(policy.clause(hours.clause()).id(), "shifts.types.p1_night");
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub const fn clause(&self) -> ClauseRef {
        self.clause
    }
}

fn time_of(minute: u16) -> NaiveTime {
    NaiveTime::from_hms_opt(u32::from(minute / 60) % 24, u32::from(minute % 60), 0)
        .unwrap_or(NaiveTime::MIN)
}

/// How the overlap of a handover (S3: the day shift hands over during its
/// last 30 minutes) counts as worked time: a gap the policy must state.
///
/// ```
/// let policy = cs_policy::Policy::example("shop")?;
/// let day = policy.shift_type(policy.shift_ref("p2_day").unwrap()).unwrap();
/// assert_eq!(day.handover().unwrap().counts_for, cs_policy::shift::OverlapCounts::Both);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OverlapCounts {
    /// Both the outgoing and the incoming shift count the overlap as worked.
    Both,
    /// Only the outgoing shift counts it.
    Outgoing,
    /// Only the incoming shift counts it.
    Incoming,
}

impl Choice for OverlapCounts {
    const WHAT: &'static str = "who counts the handover overlap as worked";
    const CHOICES: &'static [(&'static str, Self)] = &[
        ("both", Self::Both),
        ("outgoing", Self::Outgoing),
        ("incoming", Self::Incoming),
    ];
}

/// A handover: the last minutes of one shift overlap the next (S3).
///
/// ```
/// let policy = cs_policy::Policy::example("shop")?;
/// let day = policy.shift_type(policy.shift_ref("p2_day").unwrap()).unwrap();
/// let handover = day.handover().unwrap();
/// assert_eq!((handover.minutes, handover.to), (30, policy.shift_ref("p2_night").unwrap()));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Handover {
    /// Minutes of overlap at the end of the outgoing shift.
    pub minutes: u16,
    /// The incoming shift.
    pub to: ShiftRef,
    /// Who counts the overlap as worked.
    pub counts_for: OverlapCounts,
    /// The clause (`shifts.types.<id>.handover`).
    pub clause: ClauseRef,
}

/// The early arrival expected before a shift starts (S5: 10–15 minutes).
/// It is recorded on the day, never penalised.
///
/// ```
/// let policy = cs_policy::Policy::example("shop")?;
/// let day = policy.shift_type(policy.shift_ref("p3_day").unwrap()).unwrap();
/// let early = day.arrive_early().unwrap();
/// assert_eq!((early.min_minutes, early.max_minutes), (10, 15));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EarlyArrival {
    /// The fewest minutes before the start the agent should arrive.
    pub min_minutes: u16,
    /// The most minutes before the start expected.
    pub max_minutes: u16,
    /// The clause (`shifts.types.<id>.arrive_early`).
    pub clause: ClauseRef,
}

/// One shift type: its hours (per weekday where they differ), unpaid breaks,
/// handover, early arrival and whether it extends while a customer is served.
///
/// ```
/// use chrono::Weekday;
/// use cs_policy::Policy;
///
/// // S7: Monday–Friday 09:00–20:00, Saturday–Sunday 10:00–20:00.
/// let policy = Policy::example("education")?;
/// let shift = policy.shift_type(policy.shift_ref("regular").unwrap()).unwrap();
/// assert_eq!(shift.hours(Weekday::Fri).start_minute(), 9 * 60);
/// assert_eq!(shift.hours(Weekday::Sat).start_minute(), 10 * 60);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShiftType {
    id: Box<str>,
    clause: ClauseRef,
    week: [ShiftHours; 7],
    breaks: Vec<(u16, u16)>,
    handover: Option<Handover>,
    arrive_early: Option<EarlyArrival>,
    extends_while_serving: bool,
    transport_allowance: bool,
    handed_over_from: Option<(u16, OverlapCounts)>,
}

impl ShiftType {
    /// The id the file gives the shift type (`[shifts.types.<id>]`).
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let night = policy.shift_type(policy.shift_ref("p1_night").unwrap()).unwrap();
    /// assert_eq!(night.id(), "p1_night");
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The clause that defines the shift type.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let night = policy.shift_type(policy.shift_ref("p1_night").unwrap()).unwrap();
    /// assert_eq!(policy.clause(night.clause()).source(), Some("000 part 1 §1"));
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn clause(&self) -> ClauseRef {
        self.clause
    }

    /// The hours on a weekday.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let night = policy.shift_type(policy.shift_ref("p1_night").unwrap()).unwrap();
    /// assert_eq!(night.hours(chrono::Weekday::Sun).end_minute(), 25 * 60);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn hours(&self, day: Weekday) -> ShiftHours {
        self.week[day.num_days_from_monday() as usize]
    }

    /// The hours on the weekday numbered from Monday = 0.
    pub(crate) fn week_hours(&self, monday0: u32) -> ShiftHours {
        self.week[(monday0 % 7) as usize]
    }

    /// The unpaid breaks as (start, end) minutes of the shift's day.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("call-centre")?;
    /// let office = policy.shift_type(policy.shift_ref("office").unwrap()).unwrap();
    /// assert_eq!(office.breaks(), [(12 * 60, 13 * 60)]);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn breaks(&self) -> &[(u16, u16)] {
        &self.breaks
    }

    /// The handover at the end of this shift, if any.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let night = policy.shift_type(policy.shift_ref("p1_night").unwrap()).unwrap();
    /// assert!(night.handover().is_none());
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn handover(&self) -> Option<&Handover> {
        self.handover.as_ref()
    }

    /// The early arrival expected, if any.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let night = policy.shift_type(policy.shift_ref("p1_night").unwrap()).unwrap();
    /// assert!(night.arrive_early().is_none());
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn arrive_early(&self) -> Option<&EarlyArrival> {
        self.arrive_early.as_ref()
    }

    /// Whether the shift is extended while a customer is still being served
    /// (S2); the extension is recorded and never penalised.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let night = policy.shift_type(policy.shift_ref("p1_night").unwrap()).unwrap();
    /// assert!(night.extends_while_serving()); // S2
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn extends_while_serving(&self) -> bool {
        self.extends_while_serving
    }

    /// Whether agents on this shift get a transport allowance after it (S3:
    /// 晚班下班后由公司给予交通补贴); the amount is pay's business.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let night = policy.shift_type(policy.shift_ref("p2_night").unwrap()).unwrap();
    /// assert!(night.transport_allowance());
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn transport_allowance(&self) -> bool {
        self.transport_allowance
    }

    /// Paid minutes on a weekday: the hours less unpaid breaks, less a
    /// handover overlap that the policy counts for the other shift only.
    ///
    /// ```
    /// use chrono::Weekday;
    /// use cs_policy::Policy;
    ///
    /// // S8: 09:00–18:00 with a one-hour lunch is eight paid hours.
    /// let policy = Policy::example("call-centre")?;
    /// let office = policy.shift_type(policy.shift_ref("office").unwrap()).unwrap();
    /// assert_eq!(office.paid_minutes(Weekday::Sat), 8 * 60);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn paid_minutes(&self, day: Weekday) -> u32 {
        let h = self.hours(day);
        let mut paid = u32::from(h.end - h.start);
        for &(s, e) in &self.breaks {
            paid = paid.saturating_sub(overlap(s, e, h.start, h.end));
        }
        if let Some(ho) = &self.handover {
            if ho.counts_for == OverlapCounts::Incoming {
                paid = paid.saturating_sub(u32::from(ho.minutes));
            }
        }
        if let Some((minutes, OverlapCounts::Outgoing)) = self.handed_over_from {
            paid = paid.saturating_sub(u32::from(minutes));
        }
        paid
    }

    /// Whether the agent is on duty at minute `m` of the shift's day (inside
    /// the hours and not on a break; `break_start` moves the first break, for
    /// staggered meals).
    fn on_duty(&self, day: Weekday, m: u16, break_start: Option<u16>) -> bool {
        let h = self.hours(day);
        if m < h.start || m >= h.end {
            return false;
        }
        for (i, &(s, e)) in self.breaks.iter().enumerate() {
            let (s, e) = match (i, break_start) {
                (0, Some(b)) => (b, b.saturating_add(e - s)),
                _ => (s, e),
            };
            if m >= s && m < e {
                return false;
            }
        }
        true
    }
}

fn overlap(a0: u16, a1: u16, b0: u16, b1: u16) -> u32 {
    u32::from(a1.min(b1).saturating_sub(a0.max(b0)))
}

/// Whether a shift rostered on a public holiday is worked as usual (S7) or is
/// a roster breach.
///
/// ```
/// use cs_policy::shift::HolidayWork;
/// let policy = cs_policy::Policy::example("education")?;
/// assert_eq!(policy.shifts().unwrap().holidays().map(|h| h.0), Some(HolidayWork::WorkedAsUsual));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HolidayWork {
    /// Holidays are worked as usual (S7: 节假日照常上班).
    WorkedAsUsual,
    /// Holidays are not worked: a shift rostered on one is a breach.
    NotWorked,
}

impl Choice for HolidayWork {
    const WHAT: &'static str = "a holiday rule";
    const CHOICES: &'static [(&'static str, Self)] = &[
        ("worked_as_usual", Self::WorkedAsUsual),
        ("not_worked", Self::NotWorked),
    ];
}

/// The kind of a rest rule.
///
/// ```
/// use cs_policy::shift::RestKind;
/// let policy = cs_policy::Policy::example("shop")?;
/// let kinds: Vec<_> = policy.shifts().unwrap().rest().iter().map(|r| (r.kind, r.days)).collect();
/// assert_eq!(kinds, [(RestKind::DaysPerWeek, 1), (RestKind::MaxConsecutiveWorkingDays, 6), (RestKind::DaysPerMonth, 4)]);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RestKind {
    /// At least `days` rest days in every calendar week (S1: 每周单休).
    DaysPerWeek,
    /// At most `days` working days in a row (S3: 做六休一 is 6).
    MaxConsecutiveWorkingDays,
    /// At least `days` rest days in every calendar month (S4, S10: 每月四天休息).
    DaysPerMonth,
}

impl Choice for RestKind {
    const WHAT: &'static str = "a rest rule";
    const CHOICES: &'static [(&'static str, Self)] = &[
        ("days_per_week", Self::DaysPerWeek),
        (
            "max_consecutive_working_days",
            Self::MaxConsecutiveWorkingDays,
        ),
        ("days_per_month", Self::DaysPerMonth),
    ];
}

/// One rest rule a roster must keep (`[[shifts.rest]]`).
///
/// ```
/// let policy = cs_policy::Policy::example("shop")?;
/// let rule = &policy.shifts().unwrap().rest()[2];
/// assert_eq!(rule.days, 4);
/// assert_eq!(rule.applies_to.len(), 3);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestRule {
    /// What is counted.
    pub kind: RestKind,
    /// The number of days.
    pub days: u8,
    /// The shift types whose agents the rule binds (every agent when empty).
    pub applies_to: Vec<ShiftRef>,
    /// The clause (`shifts.rest[i]`).
    pub clause: ClauseRef,
}

/// Which dates a staffing rule checks.
///
/// ```
/// use cs_policy::shift::StaffedDays;
/// let policy = cs_policy::Policy::example("shop")?;
/// assert_eq!(policy.shifts().unwrap().staffing()[1].days, StaffedDays::EveryDay);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffedDays {
    /// Every date of the checked period.
    EveryDay,
    /// Only the calendar's working days.
    WorkingDays,
    /// Only dates the rule's shift (for a window, any shift) is rostered at
    /// all: a shift nobody works that day is not run.
    WhenRostered,
}

impl Choice for StaffedDays {
    const WHAT: &'static str = "a choice of days";
    const CHOICES: &'static [(&'static str, Self)] = &[
        ("every_day", Self::EveryDay),
        ("working_days", Self::WorkingDays),
        ("when_rostered", Self::WhenRostered),
    ];
}

/// What a staffing rule counts.
///
/// ```
/// use cs_policy::shift::Staffing;
/// let policy = cs_policy::Policy::example("shop")?;
/// let lunch = &policy.shifts().unwrap().staffing()[1];
/// assert!(matches!(lunch.staffing, Staffing::Window { .. }));
/// assert_eq!(lunch.min, 2);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Staffing {
    /// Agents on duty (in their hours, not on a break) at every minute of a
    /// window of the day (S6: two over the midday meal).
    Window {
        /// First minute of the window.
        from: NaiveTime,
        /// End of the window (exclusive).
        to: NaiveTime,
    },
    /// Agents rostered on each listed shift (S4: two per shift).
    PerShift {
        /// The shifts counted.
        shifts: Vec<ShiftRef>,
    },
}

/// One minimum-staffing rule (`[[shifts.staffing]]`).
///
/// ```
/// let policy = cs_policy::Policy::example("shop")?;
/// let per_shift = &policy.shifts().unwrap().staffing()[0];
/// assert_eq!(per_shift.min, 2);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffingRule {
    /// What is counted.
    pub staffing: Staffing,
    /// The fewest agents required.
    pub min: u16,
    /// Which dates are checked.
    pub days: StaffedDays,
    /// The clause (`shifts.staffing[i]`).
    pub clause: ClauseRef,
}

/// When a weekly meeting or report happens.
///
/// ```
/// use cs_policy::shift::MeetingTime;
/// let policy = cs_policy::Policy::example("education")?;
/// let weekly = &policy.shifts().unwrap().meetings()[0];
/// assert_eq!(weekly.time(), MeetingTime::BeforeLeaving);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingTime {
    /// At a time of day (S9: Monday 08:00).
    At(NaiveTime),
    /// Before leaving, at the end of the shift (S9: Monday afternoon before leaving).
    BeforeLeaving,
    /// Some time in the afternoon (S9: the weekly report on Sunday afternoon).
    Afternoon,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MeetingWhen {
    BeforeLeaving,
    Afternoon,
}

impl Choice for MeetingWhen {
    const WHAT: &'static str = "a time of meeting";
    const CHOICES: &'static [(&'static str, Self)] = &[
        ("before_leaving", Self::BeforeLeaving),
        ("afternoon", Self::Afternoon),
    ];
}

/// A weekly meeting or report (`[shifts.meetings.<id>]`, S9).
///
/// ```
/// let policy = cs_policy::Policy::example("shop")?;
/// let weekly = &policy.shifts().unwrap().meetings()[0];
/// assert_eq!((weekly.id(), weekly.weekday()), ("weekly", chrono::Weekday::Mon));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    id: Box<str>,
    weekday: Weekday,
    time: MeetingTime,
    clause: ClauseRef,
}

impl Meeting {
    /// The id the file gives it.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let weekly = &policy.shifts().unwrap().meetings()[0];
    /// assert_eq!(weekly.id(), "weekly");
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn id(&self) -> &str {
        &self.id
    }
    /// The weekday it happens on.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let weekly = &policy.shifts().unwrap().meetings()[0];
    /// assert_eq!(weekly.weekday(), chrono::Weekday::Mon);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn weekday(&self) -> Weekday {
        self.weekday
    }
    /// When in the day.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let weekly = &policy.shifts().unwrap().meetings()[0];
    /// assert_eq!(weekly.time(), cs_policy::shift::MeetingTime::At(chrono::NaiveTime::from_hms_opt(8, 0, 0).unwrap()));
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn time(&self) -> MeetingTime {
        self.time
    }
    /// The clause.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let weekly = &policy.shifts().unwrap().meetings()[0];
    /// assert_eq!(policy.clause(weekly.clause()).id(), "shifts.meetings.weekly");
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn clause(&self) -> ClauseRef {
        self.clause
    }
}

/// One meeting on one date, from [`Policy::meetings_between`].
///
/// ```
/// use chrono::NaiveDate;
/// let policy = cs_policy::Policy::example("shop")?;
/// let d = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
/// let meetings = policy.meetings_between(d, d)?;
/// assert_eq!(meetings[0].meeting, "weekly");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeetingDate {
    /// The meeting's id.
    pub meeting: String,
    /// The date.
    pub date: NaiveDate,
    /// When in the day.
    pub time: MeetingTime,
    /// The clause that sets it.
    pub clause: ClauseRef,
}

/// The `[shifts]` section of a policy.
///
/// ```
/// let policy = cs_policy::Policy::example("shop")?;
/// let shifts = policy.shifts().unwrap();
/// assert_eq!(shifts.types().len(), 8);
/// assert_eq!(shifts.rest().len(), 3);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone)]
pub struct ShiftRules {
    clause: ClauseRef,
    types: Vec<ShiftType>,
    holidays: Option<(HolidayWork, ClauseRef)>,
    rest: Vec<RestRule>,
    staffing: Vec<StaffingRule>,
    swap_consent: Option<(bool, ClauseRef)>,
    overtime: Option<Overtime>,
    meetings: Vec<Meeting>,
    punches: Option<crate::punch::PunchRules>,
    /// Shift types written in the file that could not be read (their own
    /// problems are reported): references to them add nothing. Empty in a
    /// loaded policy.
    unreadable: Vec<Box<str>>,
}

/// Overtime: time worked after a shift's end on a shift that does not extend
/// while serving (S8: only with a prior approved request).
///
/// ```
/// let policy = cs_policy::Policy::example("call-centre")?;
/// let overtime = policy.shifts().unwrap().overtime().unwrap();
/// assert!(overtime.needs_prior_approval);
/// assert_eq!(overtime.from_minutes, 30);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overtime {
    /// Whether overtime needs a request approved beforehand.
    pub needs_prior_approval: bool,
    /// Minutes after the end from which staying counts as overtime.
    pub from_minutes: u16,
    /// The clause (`shifts.overtime`).
    pub clause: ClauseRef,
}

impl ShiftRules {
    /// The clause of the `[shifts]` table itself.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// assert_eq!(policy.clause(policy.shifts().unwrap().clause()).id(), "shifts");
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn clause(&self) -> ClauseRef {
        self.clause
    }

    /// Every shift type, in file order.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// assert_eq!(policy.shifts().unwrap().types()[0].id(), "p1_day");
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn types(&self) -> &[ShiftType] {
        &self.types
    }

    /// Whether holidays are worked as usual, with its clause, if stated.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// assert!(policy.shifts().unwrap().holidays().is_some());
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn holidays(&self) -> Option<(HolidayWork, ClauseRef)> {
        self.holidays
    }

    /// The rest rules.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// assert_eq!(policy.shifts().unwrap().rest()[1].days, 6); // 做六休一
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn rest(&self) -> &[RestRule] {
        &self.rest
    }

    /// The staffing rules.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// assert_eq!(policy.shifts().unwrap().staffing().len(), 2);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn staffing(&self) -> &[StaffingRule] {
        &self.staffing
    }

    /// The overtime rule, if stated.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// assert!(policy.shifts().unwrap().overtime().is_none());
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn overtime(&self) -> Option<&Overtime> {
        self.overtime.as_ref()
    }

    /// The weekly meetings and reports.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// assert_eq!(policy.shifts().unwrap().meetings().len(), 1);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn meetings(&self) -> &[Meeting] {
        &self.meetings
    }

    /// How punch logs are assigned to shifts (`[shifts.punches]`), if stated.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// assert!(policy.shifts().unwrap().punches().is_some());
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn punches(&self) -> Option<&crate::punch::PunchRules> {
        self.punches.as_ref()
    }

    pub(crate) fn get(&self, shift: ShiftRef) -> Option<&ShiftType> {
        self.types.get(shift.index())
    }

    fn find(&self, id: &str) -> Option<ShiftRef> {
        self.types
            .iter()
            .position(|t| &*t.id == id)
            .and_then(|i| u16::try_from(i).ok())
            .map(ShiftRef)
    }

    /// The id of every shift type, in the file's order.
    fn ids(&self) -> Vec<&str> {
        self.types.iter().map(|t| t.id()).collect()
    }

    pub(crate) fn resolve(&self, ld: &mut Loader, id: &Located<String>) -> Option<ShiftRef> {
        if let Some(r) = self.find(&id.value) {
            return Some(r);
        }
        if self.unreadable.iter().any(|u| **u == *id.value) {
            return None;
        }
        let ids = self.ids();
        let reported = ld.error(
            ProblemCode::UndefinedReference,
            id.span.clone(),
            &id.path,
            format!(
                "`{}` names shift `{}`, which `[shifts.types]` does not define",
                id.path, id.value
            ),
        );
        match closest(&id.value, &ids) {
            Some(best) => reported.help(format!("did you mean `{best}`?")),
            None => reported.help(format!("defined shifts: `{}`", ids.join("`, `"))),
        }
        None
    }

    pub(crate) fn read(table: &mut Table<'_, '_>, ld: &mut Loader, _policy: &Policy) -> Self {
        let clause = ld.clause(table);
        let mut rules = Self {
            clause,
            types: Vec::new(),
            holidays: None,
            rest: Vec::new(),
            staffing: Vec::new(),
            swap_consent: None,
            overtime: None,
            meetings: Vec::new(),
            punches: None,
            unreadable: Vec::new(),
        };
        if let Some(h) = table.opt::<HolidayWork>(ld, "holidays") {
            rules.holidays = Some((h, clause));
        }
        // Handovers name a shift that may come later in the file: resolve after.
        let mut handovers = Vec::new();
        for (id, mut t) in table.ids(ld, "types") {
            let name = id.value.clone();
            match read_type(&mut t, ld, id, clause) {
                Some((ty, ho)) => {
                    if let Some(ho) = ho {
                        handovers.push((rules.types.len(), ho));
                    }
                    rules.types.push(ty);
                }
                None => rules.unreadable.push(name.into_boxed_str()),
            }
            t.finish(ld);
        }
        rules.link_handovers(ld, handovers);
        for mut t in table.tables(ld, "rest") {
            let rc = ld.clause_under(&mut t, Some(clause));
            let kind = t.req::<RestKind>(ld, "rule");
            let range = match kind {
                Some(RestKind::DaysPerWeek) => 1..=6,
                Some(RestKind::DaysPerMonth) => 1..=27,
                _ => 1..=30,
            };
            let days = t.req_in::<u8>(ld, "days", range);
            let applies_to = rules.read_refs(&mut t, ld, "applies_to");
            t.finish(ld);
            if let (Some(kind), Some(days)) = (kind, days) {
                rules.rest.push(RestRule {
                    kind,
                    days,
                    applies_to,
                    clause: rc,
                });
            }
        }
        for mut t in table.tables(ld, "staffing") {
            let sc = ld.clause_under(&mut t, Some(clause));
            if let Some(rule) = rules.read_staffing(&mut t, ld, sc) {
                rules.staffing.push(rule);
            }
            t.finish(ld);
        }
        if let Some(mut t) = table.opt_table(ld, "swaps") {
            let sc = ld.clause_under(&mut t, Some(clause));
            if let Some(both) = t.req::<bool>(ld, "gap_blames_both") {
                rules.swap_consent = Some((both, sc));
            }
            t.finish(ld);
        }
        if let Some(mut t) = table.opt_table(ld, "overtime") {
            let oc = ld.clause_under(&mut t, Some(clause));
            let needs = t.req::<bool>(ld, "needs_prior_approval");
            let from = t.opt_in::<u16>(ld, "from_minutes", 0..=720).unwrap_or(0);
            t.finish(ld);
            if let Some(needs) = needs {
                rules.overtime = Some(Overtime {
                    needs_prior_approval: needs,
                    from_minutes: from,
                    clause: oc,
                });
            }
        }
        rules.read_meetings(table, ld, clause);
        rules.punches = table.opt_table(ld, "punches").and_then(|mut t| {
            let punches = crate::punch::PunchRules::read(&mut t, ld, &rules, clause);
            t.finish(ld);
            punches
        });
        rules
    }

    /// Links each handover to the shift it names (which may come later in
    /// the file), checking that the incoming shift starts as it says.
    fn link_handovers(&mut self, ld: &mut Loader, handovers: Vec<(usize, PendingHandover)>) {
        for (i, (minutes, to, counts_for, hclause)) in handovers {
            let Some(to_ref) = self.resolve(ld, &to) else {
                continue;
            };
            let (Some(out), Some(inc)) = (self.types.get(i), self.get(to_ref)) else {
                continue;
            };
            let mismatch = out
                .week
                .iter()
                .zip(inc.week.iter())
                .any(|(o, n)| o.end.checked_sub(minutes) != Some(n.start));
            if mismatch {
                ld.error(
                ProblemCode::Conflict,
                to.span.clone(),
                &to.path,
                format!(
                    "shift `{}` hands over to `{}` during its last {minutes} minutes, but `{}` does not start then",
                    out.id, inc.id, inc.id
                ),
            )
            .help("make the incoming shift start `minutes` before the outgoing one ends");
                continue;
            }
            if let Some(inc) = self.types.get_mut(to_ref.index()) {
                inc.handed_over_from = Some((minutes, counts_for));
            }
            if let Some(out) = self.types.get_mut(i) {
                out.handover = Some(Handover {
                    minutes,
                    to: to_ref,
                    counts_for,
                    clause: hclause,
                });
            }
        }
    }

    /// `[shifts.meetings.<id>]`: each meeting's weekday and time.
    fn read_meetings(&mut self, table: &mut Table<'_, '_>, ld: &mut Loader, clause: ClauseRef) {
        for (id, mut t) in table.ids(ld, "meetings") {
            let mc = ld.clause_under(&mut t, Some(clause));
            let weekday = t.req::<Weekday>(ld, "weekday");
            let at = t.opt::<NaiveTime>(ld, "at");
            let when_node = t.node("when");
            let when = when_node.as_ref().and_then(|n| n.read::<MeetingWhen>(ld));
            let time = match (at, when, &when_node) {
                (Some(at), None, None) => Some(MeetingTime::At(at)),
                (None, Some(MeetingWhen::BeforeLeaving), _) => Some(MeetingTime::BeforeLeaving),
                (None, Some(MeetingWhen::Afternoon), _) => Some(MeetingTime::Afternoon),
                (Some(_), _, Some(n)) => {
                    ld.error(
                        ProblemCode::Conflict,
                        n.span(),
                        &n.path(),
                        format!("`{}` gives both `at` and `when`", t.path()),
                    )
                    .help("give a time with `at = 08:00`, or `when = \"before_leaving\"`");
                    None
                }
                (None, None, None) => {
                    t.missing(ld, "at").help(
                    "give a time with `at = 08:00`, or `when = \"before_leaving\"` or `\"afternoon\"`",
                );
                    None
                }
                _ => None,
            };
            t.finish(ld);
            if let (Some(weekday), Some(time)) = (weekday, time) {
                self.meetings.push(Meeting {
                    id: id.value.into_boxed_str(),
                    weekday,
                    time,
                    clause: mc,
                });
            }
        }
    }

    fn read_refs(
        &self,
        t: &mut Table<'_, '_>,
        ld: &mut Loader,
        key: &'static str,
    ) -> Vec<ShiftRef> {
        let ids: Vec<Located<String>> = t.opt(ld, key).unwrap_or_default();
        ids.iter().filter_map(|id| self.resolve(ld, id)).collect()
    }

    fn read_staffing(
        &self,
        t: &mut Table<'_, '_>,
        ld: &mut Loader,
        clause: ClauseRef,
    ) -> Option<StaffingRule> {
        #[derive(Clone, Copy)]
        enum Kind {
            Window,
            PerShift,
        }
        impl Choice for Kind {
            const WHAT: &'static str = "a kind of staffing rule";
            const CHOICES: &'static [(&'static str, Self)] =
                &[("window", Self::Window), ("per_shift", Self::PerShift)];
        }
        let kind = t.req::<Kind>(ld, "kind");
        let min = t.req_in::<u16>(ld, "min", 1..=10_000);
        let days = t.opt_or(ld, "days", StaffedDays::EveryDay);
        let staffing = match kind? {
            Kind::Window => {
                let from: Option<Located<NaiveTime>> = t.req(ld, "from");
                let to: Option<Located<NaiveTime>> = t.req(ld, "to");
                let (from, to) = (from?, to?);
                if to.value <= from.value {
                    ld.error(
                        ProblemCode::OutOfOrder,
                        to.span,
                        &to.path,
                        format!(
                            "staffing window ends at {} before it starts at {}",
                            to.value.format("%H:%M"),
                            from.value.format("%H:%M")
                        ),
                    )
                    .help("a staffing window lies within one day: write `to` after `from`");
                    return None;
                }
                Staffing::Window {
                    from: from.value,
                    to: to.value,
                }
            }
            Kind::PerShift => {
                if !t.contains("shifts") {
                    t.missing(ld, "shifts")
                        .help("list the shifts counted, such as `shifts = [\"day\", \"night\"]`");
                }
                Staffing::PerShift {
                    shifts: self.read_refs(t, ld, "shifts"),
                }
            }
        };
        Some(StaffingRule {
            staffing,
            min: min?,
            days,
            clause,
        })
    }
}

type PendingHandover = (u16, Located<String>, OverlapCounts, ClauseRef);

fn minute_of(t: NaiveTime) -> u16 {
    // hour < 24 and minute < 60, so this fits.
    (t.hour() * 60 + t.minute()) as u16
}

fn read_hours(
    t: &mut Table<'_, '_>,
    ld: &mut Loader,
    crosses: bool,
    clause: ClauseRef,
) -> Option<ShiftHours> {
    let start: Option<Located<NaiveTime>> = t.req(ld, "start");
    let end: Option<Located<NaiveTime>> = t.req(ld, "end");
    let (start, end) = (start?, end?);
    let (s, e) = (minute_of(start.value), minute_of(end.value));
    if crosses {
        if e > s {
            ld.error(
                ProblemCode::Conflict,
                end.span,
                &end.path,
                format!(
                    "`{}` says the shift crosses midnight, but it ends at {} after it starts at {}",
                    t.path(),
                    end.value.format("%H:%M"),
                    start.value.format("%H:%M")
                ),
            )
            .help("remove `crosses_midnight = true`, or give the end time on the next day");
            return None;
        }
        Some(ShiftHours {
            start: s,
            end: e + DAY,
            clause,
        })
    } else if e == s {
        ld.error(
            ProblemCode::OutOfOrder,
            end.span,
            &end.path,
            format!(
                "`{}` ends at {} when it starts: a shift of no time",
                t.path(),
                end.value.format("%H:%M"),
            ),
        )
        .help("give the time the shift ends; a shift of a full day ends on the next day and says `crosses_midnight = true`");
        None
    } else if e < s {
        ld.error(
            ProblemCode::OutOfOrder,
            end.span,
            &end.path,
            format!(
                "`{}` ends at {} before it starts at {}",
                t.path(),
                end.value.format("%H:%M"),
                start.value.format("%H:%M")
            ),
        )
        .help("a shift that ends after midnight says `crosses_midnight = true`; it belongs to the day it starts");
        None
    } else {
        Some(ShiftHours {
            start: s,
            end: e,
            clause,
        })
    }
}

fn read_type(
    t: &mut Table<'_, '_>,
    ld: &mut Loader,
    id: Located<String>,
    section: ClauseRef,
) -> Option<(ShiftType, Option<PendingHandover>)> {
    let clause = ld.clause_under(t, Some(section));
    let crosses = t.opt_or(ld, "crosses_midnight", false);
    let extends = t.opt_or(ld, "extends_while_serving", false);
    let transport_allowance = t.opt_or(ld, "transport_allowance", false);
    let default = read_hours(t, ld, crosses, clause);
    let mut week = [default; 7];
    for node in t.array(ld, "hours") {
        let Some(mut h) = node.table(ld) else {
            continue;
        };
        let hc = ld.clause_at(h.path().to_owned(), None, &node.span(), Some(clause));
        let days: Option<Vec<Located<Weekday>>> = h.req(ld, "days");
        let hours = read_hours(&mut h, ld, crosses, hc);
        h.finish(ld);
        for day in days.unwrap_or_default() {
            let slot = &mut week[day.value.num_days_from_monday() as usize];
            if slot.is_some_and(|s| s.clause != clause) {
                ld.error(
                    ProblemCode::Duplicate,
                    day.span,
                    &day.path,
                    format!("`{}` gives hours for {:?} twice", id.path, day.value),
                )
                .help("name each weekday in one `hours` entry only");
            }
            *slot = hours;
        }
    }
    let mut breaks = Vec::new();
    for node in t.array(ld, "breaks") {
        if let Some(b) = read_break(&node, ld, &week) {
            breaks.push(b);
        }
    }
    let arrive_early = t.opt_table(ld, "arrive_early").and_then(|mut a| {
        let ac = ld.clause_under(&mut a, Some(clause));
        let min = a.req_in::<u16>(ld, "min_minutes", 0..=240);
        let max: Option<Located<u16>> = a.req(ld, "max_minutes");
        a.finish(ld);
        let (min, max) = (min?, max?);
        if max.value < min {
            ld.error(
                ProblemCode::OutOfOrder,
                max.span,
                &max.path,
                format!(
                    "`{}` is {} minutes, less than `min_minutes` {min}",
                    max.path, max.value
                ),
            );
            return None;
        }
        Some(EarlyArrival {
            min_minutes: min,
            max_minutes: max.value,
            clause: ac,
        })
    });
    let handover = t.opt_table(ld, "handover").and_then(|mut h| {
        let hc = ld.clause_under(&mut h, Some(clause));
        let minutes = h.req_in::<u16>(ld, "minutes", 1..=240);
        let to: Option<Located<String>> = h.req(ld, "to");
        let counts_for = match h.node("overlap_counts_for") {
            Some(n) => n.read::<OverlapCounts>(ld),
            None => {
                let line = ld.line_span(ld.line_of(h.span.start));
                ld.error(
                    ProblemCode::UnstatedChoice,
                    line,
                    &h.field("overlap_counts_for"),
                    format!("`{}` does not state `overlap_counts_for`", h.path()),
                )
                .help(
                    "the handbook leaves open whether the overlap counts as worked for both: write `overlap_counts_for = \"both\"`, `\"outgoing\"` or `\"incoming\"`",
                );
                None
            }
        };
        h.finish(ld);
        Some((minutes?, to?, counts_for?, hc))
    });
    let week = [
        week[0]?, week[1]?, week[2]?, week[3]?, week[4]?, week[5]?, week[6]?,
    ];
    Some((
        ShiftType {
            id: id.value.into_boxed_str(),
            clause,
            week,
            breaks,
            handover: None,
            arrive_early,
            extends_while_serving: extends,
            transport_allowance,
            handed_over_from: None,
        },
        handover,
    ))
}

fn read_break(
    node: &Node<'_, '_>,
    ld: &mut Loader,
    week: &[Option<ShiftHours>; 7],
) -> Option<(u16, u16)> {
    let mut b = node.table(ld)?;
    let start: Option<NaiveTime> = b.req(ld, "start");
    let end: Option<NaiveTime> = b.req(ld, "end");
    b.finish(ld);
    let (mut s, mut e) = (minute_of(start?), minute_of(end?));
    let first = week.iter().flatten().next()?;
    // A break on a night shift after midnight belongs to the next day's clock.
    if s < first.start {
        s += DAY;
    }
    if s >= DAY {
        e += DAY;
    }
    if e <= s {
        e += DAY;
    }
    let inside = week
        .iter()
        .flatten()
        .all(|h| s >= h.start && e <= h.end && e > s);
    if !inside {
        ld.error(
            ProblemCode::OutOfRange,
            node.span(),
            &node.path(),
            format!(
                "break `{}` does not lie within the shift's hours",
                node.path()
            ),
        )
        .help("give a break that starts and ends inside the shift on every weekday");
        return None;
    }
    Some((s, e))
}

/// Who works which shift on which date: one entry per agent and date; a
/// date without an entry is a rest day.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::shift::{Roster, RosterEntry};
/// let d = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
/// let roster = Roster { entries: vec![RosterEntry { agent: "ann".into(), date: d, shift: "p1_day".into(), break_start: None, swap: None }] };
/// let policy = cs_policy::Policy::example("shop")?;
/// assert!(policy.check_roster(&roster, d, d)?.len() == 1); // alone over lunch (S6)
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roster {
    /// The entries, in any order.
    pub entries: Vec<RosterEntry>,
}

/// One agent on one shift on one date (the date the shift starts).
///
/// ```
/// let entry: cs_policy::shift::RosterEntry = serde_json::from_str(r#"{"agent": "ann", "date": "2026-03-02", "shift": "p1_night"}"#).unwrap();
/// assert!(entry.swap.is_none());
/// # Ok::<(), ()>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterEntry {
    /// The agent.
    pub agent: String,
    /// The date the shift starts.
    pub date: NaiveDate,
    /// The shift type's id.
    pub shift: String,
    /// When the agent's meal break starts, where meals are staggered (S6);
    /// the shift's first break otherwise.
    #[serde(default)]
    pub break_start: Option<NaiveTime>,
    /// The shift was swapped with another agent (S5).
    #[serde(default)]
    pub swap: Option<Swap>,
}

/// A shift swap (S5: needs prior consent; a gap it causes makes both responsible).
///
/// ```
/// let swap: cs_policy::shift::Swap = serde_json::from_str(r#"{"with": "bob", "consented": false}"#).unwrap();
/// assert!(!swap.consented);
/// # Ok::<(), ()>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Swap {
    /// The other agent.
    pub with: String,
    /// Whether the swap had the prior consent the policy requires.
    pub consented: bool,
}

/// One breach of a roster rule.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::shift::{BreachKind, Roster, RosterEntry};
/// let policy = cs_policy::Policy::example("shop")?;
/// let d = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
/// let roster = Roster { entries: vec![RosterEntry { agent: "ann".into(), date: d, shift: "p1_day".into(), break_start: None, swap: None }] };
/// let breach = &policy.check_roster(&roster, d, d)?[0];
/// assert_eq!(breach.date, d);
/// assert!(matches!(breach.kind, BreachKind::Understaffed { on_duty: 1, required: 2, .. }));
/// assert_eq!(policy.clause(breach.clause).id(), "shifts.staffing[1]");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RosterBreach {
    /// The date the breach is on (the week's or month's first date for rest
    /// counts, the day a run passes the limit for consecutive days).
    pub date: NaiveDate,
    /// The agent, for breaches of one agent's roster.
    pub agent: Option<String>,
    /// What is wrong.
    pub kind: BreachKind,
    /// The clause broken.
    pub clause: ClauseRef,
}

/// What a roster breach is.
///
/// ```
/// use cs_policy::shift::BreachKind;
/// let kind = BreachKind::TooFewRestDaysInMonth { rest_days: 3, required: 4 };
/// assert_eq!(serde_json::to_value(&kind).unwrap()["kind"], "too_few_rest_days_in_month");
/// # Ok::<(), ()>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum BreachKind {
    /// Too few rest days in a calendar week starting on `date`.
    TooFewRestDaysInWeek {
        /// Rest days rostered.
        rest_days: u8,
        /// Rest days required.
        required: u8,
    },
    /// A run of working days longer than allowed, passing it on `date`.
    TooManyDaysInARow {
        /// The first day of the run.
        first: NaiveDate,
        /// Days in the run.
        days: u16,
        /// Days allowed.
        allowed: u8,
    },
    /// Too few rest days in the calendar month starting on `date`.
    TooFewRestDaysInMonth {
        /// Rest days rostered.
        rest_days: u8,
        /// Rest days required.
        required: u8,
    },
    /// Too few agents on duty within a staffing window.
    Understaffed {
        /// The first minute with too few on duty.
        at: NaiveTime,
        /// The fewest agents on duty in the window.
        on_duty: u16,
        /// Agents required.
        required: u16,
    },
    /// Too few agents rostered on a shift.
    ShiftUnderstaffed {
        /// The shift's id.
        shift: String,
        /// Agents rostered on it.
        rostered: u16,
        /// Agents required.
        required: u16,
    },
    /// A shift rostered on a public holiday that is not worked.
    ShiftOnHoliday {
        /// The shift's id.
        shift: String,
        /// The holiday's name.
        holiday: String,
    },
    /// A swap without the prior consent required.
    SwapWithoutConsent {
        /// The other agent.
        with: String,
        /// Whether the policy makes both agents responsible.
        both_responsible: bool,
    },
}

/// A roster or meeting request that cannot be checked.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::shift::{Roster, ShiftError};
/// let policy = cs_policy::Policy::example("fintech")?;
/// let d = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
/// assert_eq!(policy.check_roster(&Roster::default(), d, d), Err(ShiftError::NoShiftRules));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShiftError {
    /// A date the holiday calendars do not cover.
    #[error(transparent)]
    Calendar(#[from] crate::calendar::CalendarError),
    /// The policy has no `[shifts]` section.
    #[error("the policy has no `[shifts]` section; add one to check rosters")]
    NoShiftRules,
    /// A roster entry names a shift the policy does not define.
    #[error(
        "roster entry for `{agent}` on {date} names shift `{shift}`, which the policy does not define (defined: {known})"
    )]
    UnknownShift {
        /// The agent.
        agent: String,
        /// The date.
        date: NaiveDate,
        /// The shift named.
        shift: String,
        /// The shifts the policy defines.
        known: String,
    },
    /// The same agent is rostered twice on one date.
    #[error("`{agent}` is rostered twice on {date}; give one entry per agent and date")]
    DuplicateEntry {
        /// The agent.
        agent: String,
        /// The date.
        date: NaiveDate,
    },
    /// An entry lies outside the period checked.
    #[error(
        "roster entry for `{agent}` on {date} lies outside the period {from} to {to}; check the dates or widen the period"
    )]
    OutsidePeriod {
        /// The agent.
        agent: String,
        /// The date.
        date: NaiveDate,
        /// First date of the period.
        from: NaiveDate,
        /// Last date of the period.
        to: NaiveDate,
    },
    /// The period ends before it starts.
    #[error("the period ends on {to} before it starts on {from}")]
    PeriodOutOfOrder {
        /// First date.
        from: NaiveDate,
        /// Last date.
        to: NaiveDate,
    },
}

impl Policy {
    /// The `[shifts]` section, if the policy has one.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// assert!(policy.shifts().unwrap().types().len() >= 2);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn shifts(&self) -> Option<&ShiftRules> {
        self.shifts.as_ref()
    }

    /// Resolves a shift type's id once, for evaluation that never looks up strings.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// assert!(policy.shift_ref("p1_day").is_some());
    /// assert!(policy.shift_ref("dinner").is_none());
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn shift_ref(&self, id: &str) -> Option<ShiftRef> {
        self.shifts.as_ref()?.find(id)
    }

    /// A shift type by reference.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let night = policy.shift_ref("p1_night").unwrap();
    /// assert!(policy.shift_type(night).unwrap().extends_while_serving());
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn shift_type(&self, shift: ShiftRef) -> Option<&ShiftType> {
        self.shifts.as_ref()?.get(shift)
    }

    /// Every weekly meeting and report from `from` to `to` inclusive (S9).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::Policy;
    ///
    /// let policy = Policy::example("shop")?;
    /// let d = |day| NaiveDate::from_ymd_opt(2026, 3, day).unwrap();
    /// let meetings = policy.meetings_between(d(1), d(31))?;
    /// assert_eq!(meetings.first().map(|m| m.date), Some(d(2))); // the first Monday
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn meetings_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<MeetingDate>, ShiftError> {
        let rules = self.shifts.as_ref().ok_or(ShiftError::NoShiftRules)?;
        if to < from {
            return Err(ShiftError::PeriodOutOfOrder { from, to });
        }
        let mut out = Vec::new();
        for date in from.iter_days().take_while(|d| *d <= to) {
            for m in &rules.meetings {
                if date.weekday() == m.weekday {
                    out.push(MeetingDate {
                        meeting: m.id.to_string(),
                        date,
                        time: m.time,
                        clause: m.clause,
                    });
                }
            }
        }
        Ok(out)
    }

    /// Checks a roster over the period `from..=to` against the rest rules,
    /// the staffing rules, the holiday rule and swap consent, reporting every
    /// breach with its date and agent (S1, S3–S7, S10).
    ///
    /// Rest counts cover the calendar weeks and months that lie wholly in
    /// the period; runs of working days are checked within the period.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::Policy;
    /// use cs_policy::shift::{BreachKind, Roster, RosterEntry};
    ///
    /// let policy = Policy::example("shop")?;
    /// let d = |day| NaiveDate::from_ymd_opt(2026, 3, day).unwrap();
    /// // One agent on the part 2 day shift seven days running: 做六休一 is broken on day 7.
    /// let entries = (2..=8)
    ///     .map(|day| RosterEntry { agent: "ann".into(), date: d(day), shift: "p2_day".into(), break_start: None, swap: None })
    ///     .collect();
    /// let breaches = policy.check_roster(&Roster { entries }, d(2), d(8))?;
    /// assert!(breaches.iter().any(|b| b.date == d(8)
    ///     && matches!(b.kind, BreachKind::TooManyDaysInARow { days: 7, allowed: 6, .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check_roster(
        &self,
        roster: &Roster,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<RosterBreach>, ShiftError> {
        let rules = self.shifts.as_ref().ok_or(ShiftError::NoShiftRules)?;
        if to < from {
            return Err(ShiftError::PeriodOutOfOrder { from, to });
        }
        let span = usize::try_from((to - from).num_days()).unwrap_or(0) + 1;
        let (agents, resolved) = resolve_entries(rules, roster, from, to)?;
        // grid[agent][day] = shift rostered
        let mut grid: Vec<Vec<Option<ShiftRef>>> = vec![vec![None; span]; agents.len()];
        for &(a, day, shift, _, e) in &resolved {
            let slot = &mut grid[a][day];
            if slot.is_some() {
                return Err(ShiftError::DuplicateEntry {
                    agent: e.agent.clone(),
                    date: e.date,
                });
            }
            *slot = Some(shift);
        }
        let mut out = Vec::new();
        let date_at = |i: usize| from.checked_add_days(Days::new(i as u64)).unwrap_or(to);
        for rule in &rules.rest {
            for (a, days) in grid.iter().enumerate() {
                let bound = rule.applies_to.is_empty()
                    || days.iter().flatten().any(|s| rule.applies_to.contains(s));
                if bound {
                    rest_breaches(
                        rule,
                        days,
                        agents[a],
                        from,
                        span,
                        self.calendar.week_starts(),
                        &mut out,
                    );
                }
            }
        }
        for rule in &rules.staffing {
            for i in 0..span {
                let date = date_at(i);
                if rule.days == StaffedDays::WorkingDays && !self.calendar.is_working_day(date)? {
                    continue;
                }
                match &rule.staffing {
                    Staffing::PerShift { shifts } => {
                        for &s in shifts {
                            let n = grid.iter().filter(|d| d[i] == Some(s)).count();
                            let n = u16::try_from(n).unwrap_or(u16::MAX);
                            let run = n > 0 || rule.days != StaffedDays::WhenRostered;
                            if run && n < rule.min {
                                out.push(RosterBreach {
                                    date,
                                    agent: None,
                                    kind: BreachKind::ShiftUnderstaffed {
                                        shift: rules
                                            .get(s)
                                            .map_or_else(String::new, |t| t.id.to_string()),
                                        rostered: n,
                                        required: rule.min,
                                    },
                                    clause: rule.clause,
                                });
                            }
                        }
                    }
                    Staffing::Window { .. }
                        if rule.days == StaffedDays::WhenRostered
                            && grid.iter().all(|d| d[i].is_none()) => {}
                    Staffing::Window { from: w0, to: w1 } => {
                        let window = minute_of(*w0)..minute_of(*w1);
                        out.extend(window_breach(rules, &resolved, (i, date), rule, window));
                    }
                }
            }
        }
        self.entry_breaches(rules, &resolved, &mut out)?;
        out.sort_by(|a, b| (a.date, &a.agent).cmp(&(b.date, &b.agent)));
        Ok(out)
    }

    /// Each entry's own breaches: a shift on a holiday the policy does not
    /// work, a swap without consent.
    fn entry_breaches(
        &self,
        rules: &ShiftRules,
        resolved: &[Resolved<'_>],
        out: &mut Vec<RosterBreach>,
    ) -> Result<(), ShiftError> {
        for &(_, _, shift, _, e) in resolved {
            if let Some((HolidayWork::NotWorked, clause)) = rules.holidays {
                if let Some(h) = self.calendar.holiday(e.date)? {
                    out.push(RosterBreach {
                        date: e.date,
                        agent: Some(e.agent.clone()),
                        kind: BreachKind::ShiftOnHoliday {
                            shift: rules
                                .get(shift)
                                .map_or_else(String::new, |t| t.id.to_string()),
                            holiday: h.name().to_owned(),
                        },
                        clause,
                    });
                }
            }
            if let (Some(swap), Some((both, clause))) = (&e.swap, rules.swap_consent) {
                if !swap.consented {
                    out.push(RosterBreach {
                        date: e.date,
                        agent: Some(e.agent.clone()),
                        kind: BreachKind::SwapWithoutConsent {
                            with: swap.with.clone(),
                            both_responsible: both,
                        },
                        clause,
                    });
                }
            }
        }
        Ok(())
    }
}

/// A roster entry resolved: agent index, day index, shift, break start.
type Resolved<'a> = (usize, usize, ShiftRef, Option<u16>, &'a RosterEntry);

/// Resolves every roster entry once, each agent numbered in order of first
/// appearance; an entry outside the period or naming no shift is an error.
fn resolve_entries<'r>(
    rules: &ShiftRules,
    roster: &'r Roster,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(Vec<&'r str>, Vec<Resolved<'r>>), ShiftError> {
    let mut agents: Vec<&str> = Vec::new();
    let mut resolved: Vec<Resolved<'_>> = Vec::with_capacity(roster.entries.len());
    for e in &roster.entries {
        if e.date < from || e.date > to {
            return Err(ShiftError::OutsidePeriod {
                agent: e.agent.clone(),
                date: e.date,
                from,
                to,
            });
        }
        let shift = rules
            .find(&e.shift)
            .ok_or_else(|| ShiftError::UnknownShift {
                agent: e.agent.clone(),
                date: e.date,
                shift: e.shift.clone(),
                known: rules.ids().join(", "),
            })?;
        let a = match agents.iter().position(|x| *x == e.agent) {
            Some(a) => a,
            None => {
                agents.push(&e.agent);
                agents.len() - 1
            }
        };
        let day = usize::try_from((e.date - from).num_days()).unwrap_or(0);
        resolved.push((a, day, shift, e.break_start.map(minute_of), e));
    }
    Ok((agents, resolved))
}

/// A staffing window's breach on day `i` (`date`): the first minute with
/// the fewest agents on duty, when fewer than the rule's minimum.
fn window_breach(
    rules: &ShiftRules,
    resolved: &[Resolved<'_>],
    (i, date): (usize, NaiveDate),
    rule: &StaffingRule,
    window: std::ops::Range<u16>,
) -> Option<RosterBreach> {
    let weekday = date.weekday();
    let prev_weekday = weekday.pred();
    let mut fewest: Option<(u16, u16)> = None;
    for m in window {
        let mut n = 0u16;
        for &(_, day, shift, brk, _) in resolved {
            let Some(ty) = rules.get(shift) else { continue };
            let on = if day == i {
                ty.on_duty(weekday, m, brk)
            } else if day + 1 == i {
                ty.on_duty(prev_weekday, m + DAY, brk)
            } else {
                false
            };
            n += u16::from(on);
        }
        if n < rule.min && fewest.is_none_or(|(f, _)| n < f) {
            fewest = Some((n, fewest.map_or(m, |(_, at)| at)));
        }
    }
    fewest.map(|(n, at)| RosterBreach {
        date,
        agent: None,
        kind: BreachKind::Understaffed {
            at: time_of(at),
            on_duty: n,
            required: rule.min,
        },
        clause: rule.clause,
    })
}

fn rest_breaches(
    rule: &RestRule,
    days: &[Option<ShiftRef>],
    agent: &str,
    from: NaiveDate,
    span: usize,
    week_starts: Weekday,
    out: &mut Vec<RosterBreach>,
) {
    let date_at = |i: usize| from.checked_add_days(Days::new(i as u64)).unwrap_or(from);
    let breach = |date, kind| RosterBreach {
        date,
        agent: Some(agent.to_owned()),
        kind,
        clause: rule.clause,
    };
    match rule.kind {
        RestKind::MaxConsecutiveWorkingDays => {
            let allowed = u16::from(rule.days);
            let mut run = 0u16;
            for (i, d) in days.iter().enumerate() {
                run = if d.is_some() {
                    run.saturating_add(1)
                } else {
                    0
                };
                if run == allowed + 1 {
                    let first = date_at(i + 1 - usize::from(run));
                    out.push(breach(
                        date_at(i),
                        BreachKind::TooManyDaysInARow {
                            first,
                            days: run,
                            allowed: rule.days,
                        },
                    ));
                } else if run > allowed + 1 {
                    // One breach per run, which keeps the run's full length.
                    if let Some(RosterBreach {
                        kind: BreachKind::TooManyDaysInARow { days, .. },
                        ..
                    }) = out.last_mut()
                    {
                        *days = run;
                    }
                }
            }
        }
        RestKind::DaysPerWeek | RestKind::DaysPerMonth => {
            let weekly = rule.kind == RestKind::DaysPerWeek;
            let mut i = 0;
            while i < span {
                let date = date_at(i);
                let starts = if weekly {
                    date.weekday() == week_starts
                } else {
                    date.day() == 1
                };
                if !starts {
                    i += 1;
                    continue;
                }
                let len = if weekly {
                    7
                } else {
                    crate::calendar::days_in_month(date.year(), date.month()) as usize
                };
                let Some(period) = days.get(i..i + len) else {
                    break;
                };
                let rest = period.iter().filter(|d| d.is_none()).count();
                let rest = u8::try_from(rest).unwrap_or(u8::MAX);
                if rest < rule.days {
                    let kind = if weekly {
                        BreachKind::TooFewRestDaysInWeek {
                            rest_days: rest,
                            required: rule.days,
                        }
                    } else {
                        BreachKind::TooFewRestDaysInMonth {
                            rest_days: rest,
                            required: rule.days,
                        }
                    };
                    out.push(breach(date, kind));
                }
                i += len;
            }
        }
    }
}
