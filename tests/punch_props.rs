//! Property tests of punch assignment (issue 19): for any log, every event
//! lands on exactly one rostered shift or is reported, and the days and
//! each event's fate are what a hand-written oracle gives: every window
//! tried for every event, in the plainest way.

use std::cmp::Reverse;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};
use cs_policy::Policy;
use cs_policy::attendance::WorkDay;
use cs_policy::punch::{Direction, Event, Fate, Reason, Role, Timestamp};
use proptest::prelude::*;

/// The shift types of the test policies: (id, start, end) in minutes of the
/// shift's day, the end past 1440 for a night shift.
const SHIFTS: [(&str, u32, u32); 4] = [
    ("day", 9 * 60, 18 * 60),
    ("early", 6 * 60, 14 * 60),
    ("late", 17 * 60 + 30, 25 * 60),
    ("night", 22 * 60, 30 * 60),
];

const COUNTS: [&str; 3] = ["first_in_last_out", "alternating", "by_direction"];

#[derive(Debug, Clone, Copy)]
struct Rules {
    before: u32,
    after: u32,
    counts: usize,
    duplicate: u32,
}

fn policy(r: Rules) -> Policy {
    let hm = |m: u32| format!("{:02}:{:02}:00", (m / 60) % 24, m % 60);
    let mut text = format!(
        "[policy]\nid = \"p\"\nname = \"P\"\nformat = 1\ncurrency = \"CNY\"\ntime_zone = \"Asia/Shanghai\"\neffective = 2026-01-01\n\n[calendar]\nweekend = [\"saturday\", \"sunday\"]\ncalendars = [\"cn-2026\"]\n\n[shifts.punches]\ncheck_in_before_minutes = {}\ncheck_out_after_minutes = {}\ncounts = \"{}\"\nduplicate_within_seconds = {}\n",
        r.before, r.after, COUNTS[r.counts], r.duplicate
    );
    for (id, start, end) in SHIFTS {
        text.push_str(&format!(
            "\n[shifts.types.{id}]\nstart = {}\nend = {}\ncrosses_midnight = {}\n",
            hm(start),
            hm(end),
            end > 1440
        ));
    }
    Policy::from_toml_str("p.toml", &text).unwrap_or_else(|e| panic!("{e}"))
}

/// One event as generated: near a rostered shift's start or end (`near`:
/// which shift and which end) or anywhere from a day before the month to
/// two after it; seconds from there; a direction; whether it is written in
/// UTC; and an echo some seconds later (the machine read twice).
type EventSpec = (Option<(usize, bool)>, i64, u8, bool, Option<i64>);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Oracle {
    Assigned(NaiveDate, Role),
    Reported(Reason),
}

/// A day's check-in and check-out.
type Punches = (Option<NaiveDateTime>, Option<NaiveDateTime>);

struct OShift {
    date: NaiveDate,
    start: NaiveDateTime,
    end: NaiveDateTime,
    open: NaiveDateTime,
    close: NaiveDateTime,
}

/// The oracle: each event against every shift's window; each shift's
/// events in time order, duplicates against the last one not a duplicate,
/// then the check-in and check-out by the way of counting.
fn oracle(
    r: Rules,
    month: (i32, u32),
    roster: &[(NaiveDate, usize)],
    events: &[(NaiveDateTime, Option<Direction>)],
) -> (Vec<Oracle>, Vec<Punches>) {
    let shifts: Vec<OShift> = roster
        .iter()
        .map(|&(date, s)| {
            let midnight = date.and_time(NaiveTime::MIN);
            let start = midnight + Duration::minutes(i64::from(SHIFTS[s].1));
            let end = midnight + Duration::minutes(i64::from(SHIFTS[s].2));
            OShift {
                date,
                start,
                end,
                open: start - Duration::minutes(i64::from(r.before)),
                close: end + Duration::minutes(i64::from(r.after)),
            }
        })
        .collect();
    let distance = |s: &OShift, t: NaiveDateTime| {
        if t < s.start {
            s.start - t
        } else if t > s.end {
            t - s.end
        } else {
            Duration::zero()
        }
    };
    let mut fates = Vec::new();
    let mut on: Vec<Vec<usize>> = vec![Vec::new(); shifts.len()];
    for (i, &(t, _)) in events.iter().enumerate() {
        let best = (0..shifts.len())
            .filter(|&k| shifts[k].open <= t && t <= shifts[k].close)
            .min_by_key(|&k| (distance(&shifts[k], t), Reverse(shifts[k].date)));
        match best {
            Some(k) => {
                on[k].push(i);
                fates.push(Oracle::Assigned(shifts[k].date, Role::Between));
            }
            None => fates.push(Oracle::Reported(reason(&shifts, t, month))),
        }
    }
    let mut days = vec![(None, None); shifts.len()];
    for (k, list) in on.iter_mut().enumerate() {
        list.sort_by_key(|&i| (events[i].0, i));
        let mut last: Option<usize> = None;
        let mut kept = Vec::new();
        for &i in list.iter() {
            let (t, direction) = events[i];
            if let Some(l) = last {
                if (t - events[l].0).num_seconds() <= i64::from(r.duplicate) {
                    fates[i] = Oracle::Reported(Reason::Duplicate { of: l as u32 });
                    continue;
                }
            }
            last = Some(i);
            if COUNTS[r.counts] == "by_direction" && direction.is_none() {
                fates[i] = Oracle::Reported(Reason::NoDirection);
                continue;
            }
            kept.push(i);
        }
        let (cin, cout) = count(r, &shifts[k], &kept, events);
        for (at, role) in [(cin, Role::In), (cout, Role::Out)] {
            if let Some(i) = at {
                fates[i] = Oracle::Assigned(shifts[k].date, role);
            }
        }
        if !kept.is_empty() {
            days[k] = (cin.map(|i| events[i].0), cout.map(|i| events[i].0));
        }
    }
    (fates, days)
}

fn count(
    r: Rules,
    s: &OShift,
    kept: &[usize],
    events: &[(NaiveDateTime, Option<Direction>)],
) -> (Option<usize>, Option<usize>) {
    let (Some(&first), Some(&last)) = (kept.first(), kept.last()) else {
        return (None, None);
    };
    match COUNTS[r.counts] {
        "first_in_last_out" if kept.len() == 1 => {
            let t = events[first].0;
            if t - s.start < s.end - t {
                (Some(first), None)
            } else {
                (None, Some(first))
            }
        }
        "first_in_last_out" => (Some(first), Some(last)),
        "alternating" => (Some(first), (kept.len() % 2 == 0).then_some(last)),
        _ => {
            let cin = kept
                .iter()
                .position(|&i| events[i].1 == Some(Direction::In));
            let cout = kept
                .iter()
                .rposition(|&i| events[i].1 == Some(Direction::Out))
                .filter(|&o| cin.is_none_or(|f| o > f));
            (cin.map(|k| kept[k]), cout.map(|k| kept[k]))
        }
    }
}

fn reason(shifts: &[OShift], t: NaiveDateTime, (year, month): (i32, u32)) -> Reason {
    let date = t.date();
    if date.year() != year || date.month() != month {
        return Reason::OutsideMonth;
    }
    let midnight = date.and_time(NaiveTime::MIN);
    if shifts.iter().any(|s| s.date == date) {
        return Reason::OutsideWindow { date };
    }
    match shifts
        .iter()
        .find(|s| date.pred_opt() == Some(s.date) && s.end > midnight)
    {
        Some(s) => Reason::OutsideWindow { date: s.date },
        None => Reason::DayOff,
    }
}

fn rules() -> impl Strategy<Value = Rules> {
    (0u32..=720, 0u32..=720, 0usize..3, 0u32..=300).prop_map(
        |(before, after, counts, duplicate)| Rules {
            before,
            after,
            counts,
            duplicate,
        },
    )
}

fn case() -> impl Strategy<Value = (Rules, u32, Vec<(u32, usize)>, Vec<EventSpec>)> {
    let event = (
        prop::option::of((0usize..40, any::<bool>())),
        -(14 * 3600i64)..(35 * 24 * 3600),
        0u8..3,
        any::<bool>(),
        prop::option::of(0i64..400),
    );
    (
        rules(),
        1u32..=12,
        prop::collection::vec((1u32..=31, 0usize..4), 0..20),
        prop::collection::vec(event, 0..60),
    )
}

/// The events' civil times and directions: near a shift's start or end
/// (within 14 hours), or anywhere around the month; echoes after them.
fn local_events(
    first: NaiveDate,
    roster: &[(NaiveDate, usize)],
    specs: &[EventSpec],
) -> Vec<(NaiveDateTime, Option<Direction>, bool)> {
    let origin = first.and_time(NaiveTime::MIN) - Duration::days(1);
    let mut out = Vec::new();
    for &(near, secs, dir, utc, echo) in specs {
        let direction = match dir {
            0 => None,
            1 => Some(Direction::In),
            _ => Some(Direction::Out),
        };
        let t =
            match near.and_then(|(k, end)| roster.get(k % roster.len().max(1)).map(|r| (r, end))) {
                Some((&(date, s), end)) => {
                    let edge = if end { SHIFTS[s].2 } else { SHIFTS[s].1 };
                    // A third on whole half hours: the middle of a shift,
                    // and the middle between two shifts, exactly.
                    let offset = secs % (14 * 3600);
                    let offset = if secs % 3 == 0 {
                        offset - offset % 1800
                    } else {
                        offset
                    };
                    date.and_time(NaiveTime::MIN)
                        + Duration::minutes(i64::from(edge))
                        + Duration::seconds(offset)
                }
                None => origin + Duration::seconds(secs.rem_euclid(35 * 24 * 3600)),
            };
        out.push((t, direction, utc));
        if let Some(e) = echo {
            out.push((t + Duration::seconds(e), direction, !utc));
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_event_lands_on_one_shift_or_is_reported_as_the_oracle_says(
        (r, month, roster, specs) in case()
    ) {
        let p = policy(r);
        let first = NaiveDate::from_ymd_opt(2026, month, 1).unwrap();
        let mut seen = std::collections::HashSet::new();
        let roster: Vec<(NaiveDate, usize)> = roster
            .into_iter()
            .filter_map(|(d, s)| first.with_day(d).map(|date| (date, s)))
            .filter(|(date, _)| seen.insert(*date))
            .collect();
        let written = local_events(first, &roster, &specs);
        let local: Vec<(NaiveDateTime, Option<Direction>)> =
            written.iter().map(|&(t, d, _)| (t, d)).collect();
        let events: Vec<Event> = written
            .iter()
            .map(|&(t, direction, utc)| {
                let time: Timestamp = if utc {
                    format!("{}Z", (t - Duration::hours(8)).format("%Y-%m-%dT%H:%M:%S"))
                        .parse()
                        .unwrap()
                } else {
                    Timestamp::Local(t)
                };
                Event { time, direction, device: None }
            })
            .collect();
        let mut days: Vec<WorkDay> = roster
            .iter()
            .map(|&(date, s)| WorkDay {
                date,
                shift: p.shift_ref(SHIFTS[s].0).unwrap(),
                clock_in: None,
                clock_out: None,
                overtime_approved: false,
            })
            .collect();
        let mut out = Vec::new();
        p.assign_punches(2026, month, &mut days, &events, &mut out).unwrap();

        // One outcome per event: on a rostered shift's date, or reported.
        prop_assert_eq!(out.len(), events.len());
        for o in &out {
            if let Fate::Assigned { date, .. } = o.fate {
                prop_assert!(roster.iter().any(|(d, _)| *d == date));
            }
        }
        let (fates, expected) = oracle(r, (2026, month), &roster, &local);
        for (i, (o, want)) in out.iter().zip(&fates).enumerate() {
            let got = match o.fate {
                Fate::Assigned { date, role } => Oracle::Assigned(date, role),
                Fate::Reported { reason } => Oracle::Reported(reason),
            };
            prop_assert_eq!(&got, want, "event {} at {}", i, local[i].0);
            prop_assert_eq!(o.time, local[i].0);
        }
        for (day, (cin, cout)) in days.iter().zip(&expected) {
            prop_assert_eq!((day.clock_in, day.clock_out), (*cin, *cout), "day {}", day.date);
        }
        // Each day's check-in and check-out are assigned events, once each.
        for day in &days {
            for (t, role) in [(day.clock_in, Role::In), (day.clock_out, Role::Out)] {
                if let Some(t) = t {
                    let n = out.iter().filter(|o| o.time == t && o.fate == Fate::Assigned { date: day.date, role }).count();
                    prop_assert_eq!(n, 1);
                }
            }
        }
    }
}
