//! Shifts, rosters and rest rules.
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
//! extends_while_serving = true     # serving past the end: recorded, never penalised
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

use std::collections::HashMap;

use chrono::{Datelike, Days, NaiveDate, NaiveTime, Timelike, Weekday};
use serde::{Deserialize, Serialize};

use crate::Policy;
use crate::explain::{ClauseRef, PolicyTag};
use crate::policy::ProblemCode;
use crate::policy::read::{Loader, Located, Node, Table, choices};

const DAY: u16 = 24 * 60;

/// A reference to one shift type of a policy: `Copy`, written as the shift
/// type's id (`"p1_night"`) and read back from it. Resolve an id once with
/// [`Policy::shift_ref`]; the policy that made the reference finds the type
/// at once, any other policy by id.
///
/// ```
/// let policy = cs_policy::Policy::example("shop")?;
/// let night = policy.shift_ref("p1_night").unwrap();
/// assert_eq!(policy.shift_type(night).unwrap().id(), "p1_night");
/// assert_eq!(serde_json::to_string(&night)?, r#""p1_night""#);
/// let back: cs_policy::shift::ShiftRef = serde_json::from_str(r#""p1_night""#)?;
/// assert_eq!(back, night);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub type ShiftRef = crate::explain::Ref<ShiftType>;

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
    /// assert_eq!(hours.clause().id(), "shifts.types.p1_night");
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub const fn clause(&self) -> ClauseRef {
        self.clause
    }
}

fn time_of(minute: u16) -> NaiveTime {
    let second = u32::from(minute % DAY) * 60;
    NaiveTime::from_num_seconds_from_midnight_opt(second, 0).unwrap_or(NaiveTime::MIN)
}

choices! {
    /// How the overlap of a handover (the day shift hands over during its
    /// last 30 minutes) counts as worked time: a gap the policy must state.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let day = policy.shift_type(policy.shift_ref("p2_day").unwrap()).unwrap();
    /// assert_eq!(day.handover().unwrap().counts_for, cs_policy::shift::OverlapCounts::Both);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum OverlapCounts as "who counts the handover overlap as worked" {
        /// Both the outgoing and the incoming shift count the overlap as worked.
        Both => "both",
        /// Only the outgoing shift counts it.
        Outgoing => "outgoing",
        /// Only the incoming shift counts it.
        Incoming => "incoming",
    }
}

/// A handover: the last minutes of one shift overlap the next.
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

/// The early arrival expected before a shift starts (10–15 minutes).
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
/// // Monday–Friday 09:00–20:00, Saturday–Sunday 10:00–20:00.
/// let policy = Policy::example("education")?;
/// let shift = policy.shift_type(policy.shift_ref("regular").unwrap()).unwrap();
/// assert_eq!(shift.hours(Weekday::Fri).start_minute(), 9 * 60);
/// assert_eq!(shift.hours(Weekday::Sat).start_minute(), 10 * 60);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShiftType {
    reference: ShiftRef,
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
        self.reference.id()
    }

    /// The reference to this shift type, as [`Policy::shift_ref`] gives it.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let night = &policy.shifts().unwrap().types()[1];
    /// assert_eq!(night.reference(), policy.shift_ref("p1_night").unwrap());
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn reference(&self) -> ShiftRef {
        self.reference
    }

    /// The clause that defines the shift type.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let night = policy.shift_type(policy.shift_ref("p1_night").unwrap()).unwrap();
    /// assert_eq!(policy.clause(night.clause())?.source(), Some("000 part 1 §1"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
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

    /// Whether the shift is extended while a customer is still being
    /// served; the extension is recorded and never penalised
    /// ([`Policy::attendance_day`] records it).
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let night = policy.shift_type(policy.shift_ref("p1_night").unwrap()).unwrap();
    /// assert!(night.extends_while_serving());
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn extends_while_serving(&self) -> bool {
        self.extends_while_serving
    }

    /// Whether agents on this shift get a transport allowance after it
    /// (晚班下班后由公司给予交通补贴); the amount is pay's business.
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
    /// // 09:00–18:00 with a one-hour lunch is eight paid hours.
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

choices! {
    /// Whether a shift rostered on a public holiday is worked as usual or is
    /// a roster breach.
    ///
    /// ```
    /// use cs_policy::shift::HolidayWork;
    /// let policy = cs_policy::Policy::example("education")?;
    /// assert_eq!(policy.shifts().unwrap().holidays().map(|h| h.0), Some(HolidayWork::WorkedAsUsual));
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum HolidayWork as "a holiday rule" {
        /// Holidays are worked as usual (节假日照常上班).
        WorkedAsUsual => "worked_as_usual",
        /// Holidays are not worked: a shift rostered on one is a breach.
        NotWorked => "not_worked",
    }
}

choices! {
    /// The kind of a rest rule.
    ///
    /// ```
    /// use cs_policy::shift::RestKind;
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let kinds: Vec<_> = policy.shifts().unwrap().rest().iter().map(|r| (r.kind, r.days)).collect();
    /// assert_eq!(kinds, [(RestKind::DaysPerWeek, 1), (RestKind::MaxConsecutiveWorkingDays, 6), (RestKind::DaysPerMonth, 4)]);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum RestKind as "a rest rule" {
        /// At least `days` rest days in every calendar week (每周单休).
        DaysPerWeek => "days_per_week",
        /// At most `days` working days in a row (做六休一 is 6).
        MaxConsecutiveWorkingDays => "max_consecutive_working_days",
        /// At least `days` rest days in every calendar month (每月四天休息).
        DaysPerMonth => "days_per_month",
    }
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

choices! {
    /// Which dates a staffing rule checks.
    ///
    /// ```
    /// use cs_policy::shift::StaffedDays;
    /// let policy = cs_policy::Policy::example("shop")?;
    /// assert_eq!(policy.shifts().unwrap().staffing()[1].days, StaffedDays::EveryDay);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum StaffedDays as "a choice of days" {
        /// Every date of the checked period.
        EveryDay => "every_day",
        /// Only the calendar's working days.
        WorkingDays => "working_days",
        /// Only dates the rule's shift (for a window, any shift) is rostered at
        /// all: a shift nobody works that day is not run.
        WhenRostered => "when_rostered",
    }
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Staffing {
    /// Agents on duty (in their hours, not on a break) at every minute of a
    /// window of the day (two over the midday meal).
    Window {
        /// First minute of the window.
        from: NaiveTime,
        /// End of the window (exclusive).
        to: NaiveTime,
    },
    /// Agents rostered on each listed shift (two per shift).
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum MeetingTime {
    /// At a time of day (Monday 08:00).
    At(NaiveTime),
    /// Before leaving, at the end of the shift (Monday afternoon before leaving).
    BeforeLeaving,
    /// Some time in the afternoon (the weekly report on Sunday afternoon).
    Afternoon,
}

choices! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum MeetingWhen as "a time of meeting" {
        BeforeLeaving => "before_leaving",
        Afternoon => "afternoon",
    }
}

/// A weekly meeting or report (`[shifts.meetings.<id>]`).
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
    /// assert_eq!(weekly.clause().id(), "shifts.meetings.weekly");
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
    /// The policy text that made the references to its types.
    tag: PolicyTag,
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
/// while serving (only with a prior approved request).
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
    /// assert_eq!((policy.shifts().unwrap().clause()).id(), "shifts");
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

    /// Where the shift type a reference names is kept in
    /// [`ShiftRules::types`]: at once when this policy made the reference,
    /// by id when it was read back; another policy's is not found.
    pub(crate) fn position(&self, shift: ShiftRef) -> Option<usize> {
        if shift.foreign_to(self.tag) {
            return None;
        }
        match shift.index_in(self.tag) {
            Some(i) if self.types.get(i).is_some_and(|t| t.reference == shift) => Some(i),
            _ => self.types.iter().position(|t| t.reference == shift),
        }
    }

    /// The shift type a reference names (see [`ShiftRules::position`]).
    pub(crate) fn get(&self, shift: ShiftRef) -> Option<&ShiftType> {
        self.types.get(self.position(shift)?)
    }

    /// The ids of the shift types, in the file's order.
    fn ids(&self) -> Vec<&str> {
        self.types.iter().map(ShiftType::id).collect()
    }

    fn find(&self, id: &str) -> Option<ShiftRef> {
        self.types
            .iter()
            .find(|t| t.id() == id)
            .map(|t| t.reference)
    }

    pub(crate) fn resolve(&self, ld: &mut Loader, id: &Located<String>) -> Option<ShiftRef> {
        if let Some(r) = self.find(&id.value) {
            return Some(r);
        }
        if self.unreadable.iter().any(|u| **u == *id.value) {
            return None;
        }
        let hint = ld
            .suggestions
            .hint(&id.value, self.types.len(), || self.ids());
        let reported = ld.error(
            ProblemCode::UndefinedReference,
            id.span.clone(),
            &id.path,
            format!(
                "`{}` names shift `{}`, which `[shifts.types]` does not define",
                id.path, id.value
            ),
        );
        reported.help(hint.help("shifts", "[shifts.types]"));
        None
    }

    /// Reads the section in the order the file states it: the shift types
    /// and their handovers, then the rules a roster keeps (rest, staffing,
    /// swaps, overtime), the weekly meetings and the windows that assign
    /// punches to shifts.
    pub(crate) fn read(table: &mut Table<'_, '_>, ld: &mut Loader, _policy: &Policy) -> Self {
        let clause = ld.clause(table);
        let mut rules = Self {
            clause,
            tag: ld.clauses.tag(),
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
        let handovers = rules.read_types(table, ld);
        rules.link_handovers(ld, handovers);
        rules.rest = rules.read_rest(table, ld);
        rules.staffing = rules.read_staffing_rules(table, ld);
        rules.swap_consent = read_swaps(table, ld, clause);
        rules.overtime = read_overtime(table, ld, clause);
        rules.meetings = read_meetings(table, ld, clause);
        rules.punches = table.opt_table(ld, "punches").and_then(|mut t| {
            let punches = crate::punch::PunchRules::read(&mut t, ld, &rules, clause);
            t.finish(ld);
            punches
        });
        rules
    }

    /// Reads every shift type. The handovers they state come back apart,
    /// with the position of the outgoing type: a handover may name a type
    /// the file defines later.
    fn read_types(
        &mut self,
        table: &mut Table<'_, '_>,
        ld: &mut Loader,
    ) -> Vec<(usize, PendingHandover)> {
        let mut handovers = Vec::new();
        for (id, mut t) in table.ids(ld, "types") {
            let reference = ShiftRef::new(&id.value, self.types.len(), self.tag);
            match read_type(&mut t, ld, id, reference, self.clause) {
                Some((ty, ho)) => {
                    if let Some(ho) = ho {
                        handovers.push((self.types.len(), ho));
                    }
                    self.types.push(ty);
                }
                None => self.unreadable.push(Box::from(reference.id())),
            }
            t.finish(ld);
        }
        handovers
    }

    /// Ties each handover to the shift it hands over to, which must start
    /// when the overlap begins, on every weekday.
    fn link_handovers(&mut self, ld: &mut Loader, handovers: Vec<(usize, PendingHandover)>) {
        for (i, (minutes, to, counts_for, clause)) in handovers {
            let Some(at) = self.resolve(ld, &to).and_then(|r| self.position(r)) else {
                continue;
            };
            let (Some(out), Some(inc)) = (self.types.get(i), self.types.get(at)) else {
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
                        out.id(),
                        inc.id(),
                        inc.id()
                    ),
                )
                .help("make the incoming shift start `minutes` before the outgoing one ends");
                continue;
            }
            let to = inc.reference;
            if let Some(inc) = self.types.get_mut(at) {
                inc.handed_over_from = Some((minutes, counts_for));
            }
            if let Some(out) = self.types.get_mut(i) {
                out.handover = Some(Handover {
                    minutes,
                    to,
                    counts_for,
                    clause,
                });
            }
        }
    }

    /// Reads the rest rules (`[[shifts.rest]]`).
    fn read_rest(&self, table: &mut Table<'_, '_>, ld: &mut Loader) -> Vec<RestRule> {
        let mut rest = Vec::new();
        for mut t in table.tables(ld, "rest") {
            let clause = ld.clause_under(&mut t, Some(self.clause));
            let kind = t.req::<RestKind>(ld, "rule");
            let range = match kind {
                Some(RestKind::DaysPerWeek) => 1..=6,
                Some(RestKind::DaysPerMonth) => 1..=27,
                _ => 1..=30,
            };
            let days = t.req_in::<u8>(ld, "days", range);
            let applies_to = self.read_refs(&mut t, ld, "applies_to");
            t.finish(ld);
            if let (Some(kind), Some(days)) = (kind, days) {
                rest.push(RestRule {
                    kind,
                    days,
                    applies_to,
                    clause,
                });
            }
        }
        rest
    }

    /// Reads the staffing rules (`[[shifts.staffing]]`).
    fn read_staffing_rules(&self, table: &mut Table<'_, '_>, ld: &mut Loader) -> Vec<StaffingRule> {
        let mut staffing = Vec::new();
        for mut t in table.tables(ld, "staffing") {
            let clause = ld.clause_under(&mut t, Some(self.clause));
            if let Some(rule) = self.read_staffing(&mut t, ld, clause) {
                staffing.push(rule);
            }
            t.finish(ld);
        }
        staffing
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
        choices! {
            #[derive(Clone, Copy)]
            enum Kind as "a kind of staffing rule" {
                Window => "window",
                PerShift => "per_shift",
            }
        }
        let kind = t.req::<Kind>(ld, "kind");
        let min = t.req_in::<u16>(ld, "min", 1..=10_000);
        let days = t.opt_or(ld, "days", StaffedDays::EveryDay);
        let staffing = match kind? {
            Kind::Window => read_window(t, ld)?,
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

/// A staffing window, which lies within one day.
fn read_window(t: &mut Table<'_, '_>, ld: &mut Loader) -> Option<Staffing> {
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
    Some(Staffing::Window {
        from: from.value,
        to: to.value,
    })
}

/// Whether a swap without consent blames both agents (`[shifts.swaps]`).
fn read_swaps(
    table: &mut Table<'_, '_>,
    ld: &mut Loader,
    section: ClauseRef,
) -> Option<(bool, ClauseRef)> {
    let mut t = table.opt_table(ld, "swaps")?;
    let clause = ld.clause_under(&mut t, Some(section));
    let both = t.req::<bool>(ld, "gap_blames_both");
    t.finish(ld);
    Some((both?, clause))
}

/// The overtime rule (`[shifts.overtime]`).
fn read_overtime(
    table: &mut Table<'_, '_>,
    ld: &mut Loader,
    section: ClauseRef,
) -> Option<Overtime> {
    let mut t = table.opt_table(ld, "overtime")?;
    let clause = ld.clause_under(&mut t, Some(section));
    let needs = t.req::<bool>(ld, "needs_prior_approval");
    let from = t.opt_in::<u16>(ld, "from_minutes", 0..=720).unwrap_or(0);
    t.finish(ld);
    Some(Overtime {
        needs_prior_approval: needs?,
        from_minutes: from,
        clause,
    })
}

/// The weekly meetings and reports (`[shifts.meetings.<id>]`).
fn read_meetings(table: &mut Table<'_, '_>, ld: &mut Loader, section: ClauseRef) -> Vec<Meeting> {
    let mut meetings = Vec::new();
    for (id, mut t) in table.ids(ld, "meetings") {
        let clause = ld.clause_under(&mut t, Some(section));
        let weekday = t.req::<Weekday>(ld, "weekday");
        let time = read_meeting_time(&mut t, ld);
        t.finish(ld);
        if let (Some(weekday), Some(time)) = (weekday, time) {
            meetings.push(Meeting {
                id: id.value.into_boxed_str(),
                weekday,
                time,
                clause,
            });
        }
    }
    meetings
}

/// When a meeting happens: a time of day (`at`) or a moment of the day
/// (`when`), never both.
fn read_meeting_time(t: &mut Table<'_, '_>, ld: &mut Loader) -> Option<MeetingTime> {
    let at = t.opt::<NaiveTime>(ld, "at");
    let when_node = t.node("when");
    let when = when_node.as_ref().and_then(|n| n.read::<MeetingWhen>(ld));
    match (at, when, &when_node) {
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
    }
}

type PendingHandover = (u16, Located<String>, OverlapCounts, ClauseRef);

fn minute_of(t: NaiveTime) -> u16 {
    // hour < 24 and minute < 60, so this fits.
    (t.hour() * 60 + t.minute()) as u16
}

/// The hours a table states: `start` and `end`, the end on the next day
/// when the shift crosses midnight.
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
    let fits = if crosses { e <= s } else { e > s };
    if !fits {
        report_hours(ld, t.path(), (&start, &end), crosses, e == s);
        return None;
    }
    Some(ShiftHours {
        start: s,
        end: if crosses { e + DAY } else { e },
        clause,
    })
}

/// Reports hours that do not fit the shift: an end after the start on a
/// shift that crosses midnight, an end at or before the start on one that
/// does not.
fn report_hours(
    ld: &mut Loader,
    path: &str,
    (start, end): (&Located<NaiveTime>, &Located<NaiveTime>),
    crosses: bool,
    same_minute: bool,
) {
    let (from, to) = (start.value.format("%H:%M"), end.value.format("%H:%M"));
    let (code, message, help) = if crosses {
        (
            ProblemCode::Conflict,
            format!(
                "`{path}` says the shift crosses midnight, but it ends at {to} after it starts at {from}"
            ),
            "remove `crosses_midnight = true`, or give the end time on the next day",
        )
    } else if same_minute {
        (
            ProblemCode::OutOfOrder,
            format!("`{path}` ends at {to} when it starts: a shift of no time"),
            "give the time the shift ends; a shift of a full day ends on the next day and says `crosses_midnight = true`",
        )
    } else {
        (
            ProblemCode::OutOfOrder,
            format!("`{path}` ends at {to} before it starts at {from}"),
            "a shift that ends after midnight says `crosses_midnight = true`; it belongs to the day it starts",
        )
    };
    ld.error(code, end.span.clone(), &end.path, message)
        .help(help);
}

/// Reads one shift type; its handover comes back apart, to be tied to the
/// shift it names once every type is read.
fn read_type(
    t: &mut Table<'_, '_>,
    ld: &mut Loader,
    id: Located<String>,
    reference: ShiftRef,
    section: ClauseRef,
) -> Option<(ShiftType, Option<PendingHandover>)> {
    let clause = ld.clause_under(t, Some(section));
    let crosses = t.opt_or(ld, "crosses_midnight", false);
    let extends = t.opt_or(ld, "extends_while_serving", false);
    let transport_allowance = t.opt_or(ld, "transport_allowance", false);
    let week = read_week(t, ld, &id, crosses, clause);
    let mut breaks = Vec::new();
    for node in t.array(ld, "breaks") {
        if let Some(b) = read_break(&node, ld, &week) {
            breaks.push(b);
        }
    }
    let arrive_early = read_arrive_early(t, ld, clause);
    let handover = read_handover(t, ld, clause);
    let week = [
        week[0]?, week[1]?, week[2]?, week[3]?, week[4]?, week[5]?, week[6]?,
    ];
    Some((
        ShiftType {
            reference,
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

/// The hours on each weekday: the type's own `start` and `end`, replaced
/// on the weekdays an `hours` entry names.
fn read_week(
    t: &mut Table<'_, '_>,
    ld: &mut Loader,
    id: &Located<String>,
    crosses: bool,
    clause: ClauseRef,
) -> [Option<ShiftHours>; 7] {
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
    week
}

/// The early arrival a shift expects (`arrive_early`).
fn read_arrive_early(
    t: &mut Table<'_, '_>,
    ld: &mut Loader,
    section: ClauseRef,
) -> Option<EarlyArrival> {
    let mut a = t.opt_table(ld, "arrive_early")?;
    let clause = ld.clause_under(&mut a, Some(section));
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
        clause,
    })
}

/// The handover at a shift's end (`handover`), with the shift it names
/// still to be resolved.
fn read_handover(
    t: &mut Table<'_, '_>,
    ld: &mut Loader,
    section: ClauseRef,
) -> Option<PendingHandover> {
    let mut h = t.opt_table(ld, "handover")?;
    let clause = ld.clause_under(&mut h, Some(section));
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
    Some((minutes?, to?, counts_for?, clause))
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
/// assert!(policy.check_roster(&roster, d, d)?.len() == 1); // alone over lunch
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
    /// When the agent's meal break starts, where meals are staggered;
    /// the shift's first break otherwise.
    #[serde(default)]
    pub break_start: Option<NaiveTime>,
    /// The shift was swapped with another agent.
    #[serde(default)]
    pub swap: Option<Swap>,
}

/// A shift swap (needs prior consent; a gap it causes makes both responsible).
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
/// assert_eq!(breach.clause.id(), "shifts.staffing[1]");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
#[non_exhaustive]
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
#[non_exhaustive]
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
    /// breach with its date and agent; each stage names its rules.
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
        let grid = RosterGrid::build(rules, roster, from, to)?;
        let mut out = Vec::new();
        for rule in &rules.rest {
            grid.rest_breaches(rule, self.calendar.week_starts(), &mut out);
        }
        for rule in &rules.staffing {
            for day in 0..grid.span {
                let date = grid.date_at(day);
                if rule.days == StaffedDays::WorkingDays && !self.calendar.is_working_day(date)? {
                    continue;
                }
                match &rule.staffing {
                    Staffing::PerShift { shifts } => {
                        grid.shift_breaches(rules, rule, shifts, day, &mut out);
                    }
                    Staffing::Window { from, to } => {
                        out.extend(grid.window_breach(rules, rule, (*from, *to), day));
                    }
                }
            }
        }
        self.holiday_breaches(rules, &grid, &mut out)?;
        grid.swap_breaches(rules, &mut out);
        out.sort_by(|a, b| (a.date, &a.agent).cmp(&(b.date, &b.agent)));
        Ok(out)
    }

    /// S7: public holidays are worked as usual, or, where the policy says
    /// they are not worked, each shift rostered on one is a breach.
    fn holiday_breaches(
        &self,
        rules: &ShiftRules,
        grid: &RosterGrid<'_>,
        out: &mut Vec<RosterBreach>,
    ) -> Result<(), ShiftError> {
        let Some((HolidayWork::NotWorked, clause)) = rules.holidays else {
            return Ok(());
        };
        for r in &grid.entries {
            if let Some(h) = self.calendar.holiday(r.entry.date)? {
                out.push(RosterBreach {
                    date: r.entry.date,
                    agent: Some(r.entry.agent.clone()),
                    kind: BreachKind::ShiftOnHoliday {
                        shift: r.shift.id().to_owned(),
                        holiday: h.name().to_owned(),
                    },
                    clause,
                });
            }
        }
        Ok(())
    }
}

/// One roster entry resolved once: the day of the period it falls on, its
/// shift and its meal break's start.
struct Rostered<'r> {
    day: usize,
    shift: ShiftRef,
    break_start: Option<u16>,
    entry: &'r RosterEntry,
}

/// A roster laid out over the period checked: who works which shift on
/// each day, every entry resolved once.
struct RosterGrid<'r> {
    from: NaiveDate,
    to: NaiveDate,
    span: usize,
    agents: Vec<&'r str>,
    /// The entries, in the roster's order.
    entries: Vec<Rostered<'r>>,
    /// `shifts[agent][day]`: the shift rostered, `None` on a rest day.
    shifts: Vec<Vec<Option<ShiftRef>>>,
    /// The positions in `entries` of each day's entries.
    by_day: Vec<Vec<usize>>,
}

impl<'r> RosterGrid<'r> {
    /// Resolves every entry (each in the period, naming a defined shift),
    /// then lays them out, one per agent and date.
    fn build(
        rules: &ShiftRules,
        roster: &'r Roster,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Self, ShiftError> {
        let span = usize::try_from((to - from).num_days()).unwrap_or(0) + 1;
        let mut grid = Self {
            from,
            to,
            span,
            agents: Vec::new(),
            entries: Vec::with_capacity(roster.entries.len()),
            shifts: Vec::new(),
            by_day: vec![Vec::new(); span],
        };
        let mut agent_of: HashMap<&str, usize> = HashMap::new();
        let mut agent_at = Vec::with_capacity(roster.entries.len());
        for e in &roster.entries {
            let shift = grid.resolve(rules, e)?;
            let next = agent_of.len();
            let agent = *agent_of.entry(e.agent.as_str()).or_insert(next);
            if agent == grid.agents.len() {
                grid.agents.push(&e.agent);
            }
            agent_at.push(agent);
            let day = usize::try_from((e.date - from).num_days()).unwrap_or(0);
            grid.entries.push(Rostered {
                day,
                shift,
                break_start: e.break_start.map(minute_of),
                entry: e,
            });
        }
        grid.shifts = vec![vec![None; span]; grid.agents.len()];
        for (i, (r, agent)) in grid.entries.iter().zip(agent_at).enumerate() {
            let slot = &mut grid.shifts[agent][r.day];
            if slot.is_some() {
                return Err(ShiftError::DuplicateEntry {
                    agent: r.entry.agent.clone(),
                    date: r.entry.date,
                });
            }
            *slot = Some(r.shift);
            grid.by_day[r.day].push(i);
        }
        Ok(grid)
    }

    /// The shift an entry names, when the entry lies in the period.
    fn resolve(&self, rules: &ShiftRules, e: &RosterEntry) -> Result<ShiftRef, ShiftError> {
        if e.date < self.from || e.date > self.to {
            return Err(ShiftError::OutsidePeriod {
                agent: e.agent.clone(),
                date: e.date,
                from: self.from,
                to: self.to,
            });
        }
        rules
            .find(&e.shift)
            .ok_or_else(|| ShiftError::UnknownShift {
                agent: e.agent.clone(),
                date: e.date,
                shift: e.shift.clone(),
                known: rules.ids().join(", "),
            })
    }

    fn date_at(&self, day: usize) -> NaiveDate {
        self.from
            .checked_add_days(Days::new(day as u64))
            .unwrap_or(self.to)
    }

    /// Every agent's breaches of one rest rule, for the agents it binds.
    fn rest_breaches(&self, rule: &RestRule, week_starts: Weekday, out: &mut Vec<RosterBreach>) {
        for (agent, days) in self.agents.iter().zip(&self.shifts) {
            let bound = rule.applies_to.is_empty()
                || days.iter().flatten().any(|s| rule.applies_to.contains(s));
            if !bound {
                continue;
            }
            let breach = |date, kind| RosterBreach {
                date,
                agent: Some((*agent).to_owned()),
                kind,
                clause: rule.clause,
            };
            match rule.kind {
                RestKind::MaxConsecutiveWorkingDays => {
                    self.run_breaches(rule.days, days, breach, out);
                }
                RestKind::DaysPerWeek | RestKind::DaysPerMonth => {
                    self.period_breaches(rule, days, week_starts, breach, out);
                }
            }
        }
    }

    /// S3 (做六休一): a run of working days longer than allowed is one
    /// breach, dated the day the run passes the limit, with the run's full
    /// length.
    fn run_breaches(
        &self,
        allowed: u8,
        days: &[Option<ShiftRef>],
        breach: impl Fn(NaiveDate, BreachKind) -> RosterBreach,
        out: &mut Vec<RosterBreach>,
    ) {
        let limit = u16::from(allowed);
        let mut run = 0u16;
        for (i, d) in days.iter().enumerate() {
            run = if d.is_some() {
                run.saturating_add(1)
            } else {
                0
            };
            if run == limit + 1 {
                let first = self.date_at(i + 1 - usize::from(run));
                let kind = BreachKind::TooManyDaysInARow {
                    first,
                    days: run,
                    allowed,
                };
                out.push(breach(self.date_at(i), kind));
            } else if run > limit + 1 {
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

    /// S1 (one rest day a week) and S10 (four rest days a month, the
    /// monthly roster review): the rest days of every calendar week or
    /// month that lies wholly in the period, each short one a breach dated
    /// its first day.
    fn period_breaches(
        &self,
        rule: &RestRule,
        days: &[Option<ShiftRef>],
        week_starts: Weekday,
        breach: impl Fn(NaiveDate, BreachKind) -> RosterBreach,
        out: &mut Vec<RosterBreach>,
    ) {
        let weekly = rule.kind == RestKind::DaysPerWeek;
        let mut i = 0;
        while i < self.span {
            let date = self.date_at(i);
            let len = match weekly {
                true if date.weekday() == week_starts => 7,
                false if date.day() == 1 => {
                    crate::calendar::days_in_month(date.year(), date.month()) as usize
                }
                _ => {
                    i += 1;
                    continue;
                }
            };
            let Some(period) = days.get(i..i + len) else {
                break;
            };
            let rest = period.iter().filter(|d| d.is_none()).count();
            let rest_days = u8::try_from(rest).unwrap_or(u8::MAX);
            if rest_days < rule.days {
                let required = rule.days;
                out.push(breach(
                    date,
                    if weekly {
                        BreachKind::TooFewRestDaysInWeek {
                            rest_days,
                            required,
                        }
                    } else {
                        BreachKind::TooFewRestDaysInMonth {
                            rest_days,
                            required,
                        }
                    },
                ));
            }
            i += len;
        }
    }

    /// S4 (two per shift): the agents rostered on each listed shift on one
    /// day; a shift nobody works is not run when the rule counts only
    /// rostered days.
    fn shift_breaches(
        &self,
        rules: &ShiftRules,
        rule: &StaffingRule,
        shifts: &[ShiftRef],
        day: usize,
        out: &mut Vec<RosterBreach>,
    ) {
        for &s in shifts {
            let n = self.shifts.iter().filter(|d| d[day] == Some(s)).count();
            let n = u16::try_from(n).unwrap_or(u16::MAX);
            let run = n > 0 || rule.days != StaffedDays::WhenRostered;
            if run && n < rule.min {
                out.push(RosterBreach {
                    date: self.date_at(day),
                    agent: None,
                    kind: BreachKind::ShiftUnderstaffed {
                        shift: rules.get(s).map_or_else(String::new, |t| t.id().to_owned()),
                        rostered: n,
                        required: rule.min,
                    },
                    clause: rule.clause,
                });
            }
        }
    }

    /// S6 (two on duty over the midday meal): the agents on duty at every
    /// minute of a window of one day, counting the previous day's night
    /// shifts; the fewest found, at the first minute it occurs.
    fn window_breach(
        &self,
        rules: &ShiftRules,
        rule: &StaffingRule,
        (from, to): (NaiveTime, NaiveTime),
        day: usize,
    ) -> Option<RosterBreach> {
        if rule.days == StaffedDays::WhenRostered && self.by_day[day].is_empty() {
            return None;
        }
        let date = self.date_at(day);
        let today = (&self.by_day[day][..], date.weekday(), 0);
        let before = day.checked_sub(1).map_or(&[][..], |d| &self.by_day[d][..]);
        // The previous day's shifts still running, on its own clock.
        let yesterday = (before, date.weekday().pred(), DAY);
        let on_duty = |m: u16| {
            let count = |(list, weekday, offset): (&[usize], Weekday, u16)| {
                list.iter()
                    .filter(|&&i| {
                        let r = &self.entries[i];
                        rules
                            .get(r.shift)
                            .is_some_and(|ty| ty.on_duty(weekday, m + offset, r.break_start))
                    })
                    .count()
            };
            u16::try_from(count(today) + count(yesterday)).unwrap_or(u16::MAX)
        };
        let mut fewest: Option<(u16, u16)> = None;
        for m in minute_of(from)..minute_of(to) {
            let n = on_duty(m);
            if n < rule.min && fewest.is_none_or(|(f, _)| n < f) {
                fewest = Some((n, fewest.map_or(m, |(_, at)| at)));
            }
        }
        let (on_duty, at) = fewest?;
        Some(RosterBreach {
            date,
            agent: None,
            kind: BreachKind::Understaffed {
                at: time_of(at),
                on_duty,
                required: rule.min,
            },
            clause: rule.clause,
        })
    }

    /// Swaps without the prior consent the policy requires (换班须事先同意):
    /// a breach of the agent who swapped, naming whether both are
    /// responsible.
    fn swap_breaches(&self, rules: &ShiftRules, out: &mut Vec<RosterBreach>) {
        let Some((both, clause)) = rules.swap_consent else {
            return;
        };
        for r in &self.entries {
            let Some(swap) = r.entry.swap.as_ref().filter(|s| !s.consented) else {
                continue;
            };
            out.push(RosterBreach {
                date: r.entry.date,
                agent: Some(r.entry.agent.clone()),
                kind: BreachKind::SwapWithoutConsent {
                    with: swap.with.clone(),
                    both_responsible: both,
                },
                clause,
            });
        }
    }
}
