//! Punch assignment (issue 19): one month of a 1,000-agent team's punch
//! log put on its rostered shifts, per event. Each agent works the shop's
//! 09:00–18:00 shift on March's working days (every fifth agent the part 1
//! night shift, out after midnight), punching four times a day (in, lunch
//! out and in, out), some days twice at the door within seconds, some
//! punches given in UTC, now and then one on a day off.
//!
//! `cargo bench --bench punch`

use std::hint::black_box;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use cs_policy::Policy;
use cs_policy::attendance::WorkDay;
use cs_policy::punch::{Direction, Event, EventOutcome, Timestamp};

const AGENTS: u32 = 1_000;

/// One agent's rostered days and punch log for March 2026.
fn agent(policy: &Policy, seed: u32) -> (Vec<WorkDay>, Vec<Event>) {
    let night = seed % 5 == 0;
    let shift = policy
        .shift_ref(if night { "p1_night" } else { "p3_regular" })
        .expect("the shop's shifts");
    let mut days = Vec::with_capacity(22);
    let mut events = Vec::with_capacity(100);
    let mut n = 0u32;
    for d in 1..=31 {
        let date = NaiveDate::from_ymd_opt(2026, 3, d).expect("a March date");
        let roll = seed.wrapping_mul(2_654_435_761).wrapping_add(d * 40_503) % 97;
        let at = |h: i64, m: i64| {
            date.and_hms_opt(0, 0, 0)
                .map(|t| t + Duration::minutes(h * 60 + m))
        };
        if date.weekday().number_from_monday() > 5 {
            if roll == 0 {
                events.extend(at(10, 15).map(|t| Event::at(Timestamp::Local(t))));
            }
            continue;
        }
        days.push(WorkDay {
            date,
            shift,
            clock_in: None,
            clock_out: None,
            overtime_approved: false,
        });
        n += 1;
        let jitter = i64::from(roll % 13);
        let times = if night {
            [
                at(17, 20 + jitter),
                at(21, jitter),
                at(21, 30 + jitter),
                at(25, 5 + jitter),
            ]
        } else {
            [
                at(8, 45 + jitter),
                at(12, jitter),
                at(12, 55 + jitter),
                at(18, jitter),
            ]
        };
        push_punches(&mut events, times.into_iter().flatten(), n, roll % 11 == 0);
    }
    (days, events)
}

/// A day's punches, in and out in turn: every seventh written with a UTC
/// offset, and the first punched twice when `twice`.
fn push_punches(
    events: &mut Vec<Event>,
    times: impl Iterator<Item = NaiveDateTime>,
    n: u32,
    twice: bool,
) {
    for (k, t) in times.enumerate() {
        let time = if (n + k as u32) % 7 == 0 {
            Timestamp::Offset((t - Duration::hours(8)).and_utc().fixed_offset())
        } else {
            Timestamp::Local(t)
        };
        let direction = Some(if k % 2 == 0 {
            Direction::In
        } else {
            Direction::Out
        });
        events.push(Event {
            time,
            direction,
            device: None,
        });
        if k == 0 && twice {
            events.push(Event {
                time: Timestamp::Local(t + Duration::seconds(12)),
                direction,
                device: None,
            });
        }
    }
}

fn bench(c: &mut Criterion) {
    let policy = Policy::example("shop").expect("the shop example loads");
    let team: Vec<(Vec<WorkDay>, Vec<Event>)> = (0..AGENTS).map(|s| agent(&policy, s)).collect();
    let events: usize = team.iter().map(|(_, e)| e.len()).sum();
    let mut group = c.benchmark_group("punch");
    group.throughput(Throughput::Elements(events as u64));
    group.bench_function("assign a 1,000-agent month", |b| {
        let mut out: Vec<EventOutcome> = Vec::with_capacity(128);
        let mut days: Vec<WorkDay> = Vec::with_capacity(31);
        b.iter(|| {
            for (rostered, log) in &team {
                days.clear();
                days.extend_from_slice(rostered);
                policy
                    .assign_punches(2026, 3, &mut days, black_box(log), &mut out)
                    .expect("the month assigns");
                black_box(&days);
            }
        });
    });
    group.finish();
    eprintln!("{events} events, {} per agent", events / AGENTS as usize);
}

criterion_group!(benches, bench);
criterion_main!(benches);
