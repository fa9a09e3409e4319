//! Shift definitions and roster checks through the public API (S1–S10).

mod common;

use chrono::{NaiveDate, NaiveTime, Weekday};
use common::policy_table;
use cs_policy::Policy;
use cs_policy::shift::{
    BreachKind, MeetingTime, OverlapCounts, Roster, RosterBreach, RosterEntry, ShiftError, Swap,
};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn time(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn entry(agent: &str, d: NaiveDate, shift: &str) -> RosterEntry {
    RosterEntry {
        agent: agent.into(),
        date: d,
        shift: shift.into(),
        break_start: None,
        swap: None,
    }
}

fn shop() -> Policy {
    Policy::example("shop").unwrap()
}

fn of_kind<'a>(
    breaches: &'a [RosterBreach],
    pred: impl Fn(&BreachKind) -> bool + 'a,
) -> impl Iterator<Item = &'a RosterBreach> + 'a {
    breaches.iter().filter(move |b| pred(&b.kind))
}

#[test]
fn s1_day_and_night_shift_hours_night_ends_next_day() {
    let p = shop();
    let day = p.shift_type(p.shift_ref("p1_day").unwrap()).unwrap();
    let h = day.hours(Weekday::Wed);
    assert_eq!((h.start(), h.end()), (time(8, 30), time(17, 30)));
    assert!(!h.crosses_midnight());
    let night = p.shift_type(p.shift_ref("p1_night").unwrap()).unwrap();
    let h = night.hours(Weekday::Wed);
    assert_eq!((h.start(), h.end()), (time(17, 30), time(1, 0)));
    assert!(h.crosses_midnight());
    assert_eq!(night.paid_minutes(Weekday::Wed), 7 * 60 + 30);
    assert_eq!(
        p.clause(night.clause()).unwrap().source(),
        Some("000 part 1 §1")
    );
}

#[test]
fn s1_one_rest_day_per_week_breach_names_week_and_agent() {
    let p = shop();
    // Monday 2 March to Sunday 15 March: ann works every day of the first
    // week and rests on the second Sunday.
    let mut entries: Vec<_> = (2..=14)
        .map(|d| entry("ann", date(2026, 3, d), "p1_day"))
        .collect();
    entries.push(entry("bob", date(2026, 3, 2), "p1_night"));
    let b = p
        .check_roster(&Roster { entries }, date(2026, 3, 2), date(2026, 3, 15))
        .unwrap();
    let week: Vec<_> =
        of_kind(&b, |k| matches!(k, BreachKind::TooFewRestDaysInWeek { .. })).collect();
    assert_eq!(week.len(), 1);
    assert_eq!(week[0].date, date(2026, 3, 2));
    assert_eq!(week[0].agent.as_deref(), Some("ann"));
    assert_eq!(
        week[0].kind,
        BreachKind::TooFewRestDaysInWeek {
            rest_days: 0,
            required: 1
        }
    );
    assert_eq!((week[0].clause).id(), "shifts.rest[0]");
}

#[test]
fn s2_night_shifts_extend_while_serving() {
    let p = shop();
    for id in ["p1_night", "p2_night", "p3_night"] {
        let t = p.shift_type(p.shift_ref(id).unwrap()).unwrap();
        assert!(t.extends_while_serving(), "{id}");
    }
    let day = p.shift_type(p.shift_ref("p1_day").unwrap()).unwrap();
    assert!(!day.extends_while_serving());
}

#[test]
fn s3_six_on_one_off_and_the_thirty_minute_handover() {
    let p = shop();
    let day = p.shift_type(p.shift_ref("p2_day").unwrap()).unwrap();
    let ho = day.handover().unwrap();
    assert_eq!(ho.minutes, 30);
    assert_eq!(ho.to, p.shift_ref("p2_night").unwrap());
    assert_eq!(ho.counts_for, OverlapCounts::Both);
    // The night shift 17:00–24:00 overlaps the day shift's last half hour.
    let night = p.shift_type(ho.to).unwrap();
    assert_eq!(night.hours(Weekday::Mon).end_minute(), 24 * 60);
    assert_eq!(day.paid_minutes(Weekday::Mon), 9 * 60);
    assert_eq!(night.paid_minutes(Weekday::Mon), 7 * 60);
    // S3: night-shift staff get a transport allowance.
    assert!(night.transport_allowance());
    assert!(!day.transport_allowance());

    let six: Vec<_> = (1..=6)
        .map(|d| entry("cai", date(2026, 3, d), "p2_day"))
        .collect();
    let rest = |b: Vec<RosterBreach>| -> Vec<RosterBreach> {
        b.into_iter()
            .filter(|b| matches!(b.kind, BreachKind::TooManyDaysInARow { .. }))
            .collect()
    };
    let b = p
        .check_roster(&Roster { entries: six }, date(2026, 3, 1), date(2026, 3, 7))
        .unwrap();
    assert!(rest(b).is_empty());
    // Nine days running: one breach for the run, dated the seventh day.
    let nine: Vec<_> = (1..=9)
        .map(|d| entry("cai", date(2026, 3, d), "p2_night"))
        .collect();
    let b = rest(
        p.check_roster(
            &Roster { entries: nine },
            date(2026, 3, 1),
            date(2026, 3, 10),
        )
        .unwrap(),
    );
    assert_eq!(b.len(), 1);
    assert_eq!(b[0].date, date(2026, 3, 7));
    assert_eq!(
        b[0].kind,
        BreachKind::TooManyDaysInARow {
            first: date(2026, 3, 1),
            days: 9,
            allowed: 6
        }
    );
}

/// Two agents on each part 3 shift every day of March 2026, resting on the
/// dates given per agent (all other dates rostered).
fn part3_march(rest: &[(&str, &str, &[u32])]) -> Roster {
    let mut entries = Vec::new();
    for (agent, shift, off) in rest {
        for d in 1..=31 {
            if !off.contains(&d) {
                entries.push(entry(agent, date(2026, 3, d), shift));
            }
        }
    }
    Roster { entries }
}

#[test]
fn s4_s10_four_rest_days_per_calendar_month() {
    let p = shop();
    let roster = part3_march(&[
        ("zhang", "p3_day", &[1, 8, 15, 22]),
        ("zeng", "p3_day", &[2, 9, 16]),
    ]);
    let b = p
        .check_roster(&roster, date(2026, 3, 1), date(2026, 3, 31))
        .unwrap();
    let month: Vec<_> = of_kind(&b, |k| {
        matches!(k, BreachKind::TooFewRestDaysInMonth { .. })
    })
    .collect();
    assert_eq!(month.len(), 1);
    assert_eq!(month[0].agent.as_deref(), Some("zeng"));
    assert_eq!(month[0].date, date(2026, 3, 1));
    assert_eq!(
        month[0].kind,
        BreachKind::TooFewRestDaysInMonth {
            rest_days: 3,
            required: 4
        }
    );
    assert_eq!(
        p.clause(month[0].clause).unwrap().source(),
        Some("000 part 3 §1")
    );
}

#[test]
fn s4_two_people_per_shift_every_breach_reported() {
    let p = shop();
    let roster = part3_march(&[
        ("zhang", "p3_day", &[1, 8, 15, 22]),
        ("zeng", "p3_day", &[2, 9, 16, 23]),
        ("yan", "p3_night", &[]),
        ("ceng", "p3_night", &[]),
        ("duan", "p3_regular", &[3, 10, 17, 24]),
        ("wang", "p3_regular", &[3, 10, 17, 24]),
    ]);
    let b = p
        .check_roster(&roster, date(2026, 3, 1), date(2026, 3, 31))
        .unwrap();
    let short: Vec<_> =
        of_kind(&b, |k| matches!(k, BreachKind::ShiftUnderstaffed { .. })).collect();
    // The day shift is one short on 1, 2, 8, 9, 15, 16, 22, 23; the regular
    // shift is not run on 3, 10, 17, 24 (the shop runs a shift only when
    // someone is rostered on it: its own choice).
    let dates: Vec<u32> = short
        .iter()
        .map(|b| chrono::Datelike::day(&b.date))
        .collect();
    assert_eq!(dates, [1, 2, 8, 9, 15, 16, 22, 23]);
    assert_eq!(
        short[0].kind,
        BreachKind::ShiftUnderstaffed {
            shift: "p3_day".into(),
            rostered: 1,
            required: 2
        }
    );
    assert!(short.iter().all(|b| b.agent.is_none()));
    // The night agents never rest: the monthly rest rule catches both.
    let rest: Vec<_> = of_kind(&b, |k| {
        matches!(k, BreachKind::TooFewRestDaysInMonth { .. })
    })
    .filter_map(|b| b.agent.as_deref())
    .collect();
    assert_eq!(rest, ["ceng", "yan"]);
}

#[test]
fn s5_early_arrival_and_swaps_without_consent() {
    let p = shop();
    let t = p.shift_type(p.shift_ref("p3_day").unwrap()).unwrap();
    let a = t.arrive_early().unwrap();
    assert_eq!((a.min_minutes, a.max_minutes), (10, 15));
    let d = date(2026, 3, 2);
    let mut swapped = entry("yan", d, "p1_night");
    swapped.swap = Some(Swap {
        with: "ceng".into(),
        consented: false,
    });
    let mut agreed = entry("ann", d, "p1_day");
    agreed.swap = Some(Swap {
        with: "bob".into(),
        consented: true,
    });
    let b = p
        .check_roster(
            &Roster {
                entries: vec![swapped, agreed],
            },
            d,
            d,
        )
        .unwrap();
    let swaps: Vec<_> =
        of_kind(&b, |k| matches!(k, BreachKind::SwapWithoutConsent { .. })).collect();
    assert_eq!(swaps.len(), 1);
    assert_eq!(swaps[0].agent.as_deref(), Some("yan"));
    assert_eq!(
        swaps[0].kind,
        BreachKind::SwapWithoutConsent {
            with: "ceng".into(),
            both_responsible: true
        }
    );
}

#[test]
fn s6_two_on_duty_over_lunch_every_short_day_reported() {
    let p = shop();
    // Ann alone on the day shift from Monday to Wednesday; Bob joins on Wednesday
    // from 12:00 only on the regular shift... which starts at 09:00, so Wednesday is fine.
    let entries = vec![
        entry("ann", date(2026, 3, 2), "p1_day"),
        entry("ann", date(2026, 3, 3), "p1_day"),
        entry("ann", date(2026, 3, 4), "p1_day"),
        entry("bob", date(2026, 3, 4), "p3_regular"),
    ];
    let b = p
        .check_roster(&Roster { entries }, date(2026, 3, 2), date(2026, 3, 4))
        .unwrap();
    let lunch: Vec<_> = of_kind(&b, |k| matches!(k, BreachKind::Understaffed { .. })).collect();
    assert_eq!(lunch.len(), 2);
    assert_eq!(lunch[0].date, date(2026, 3, 2));
    assert_eq!(lunch[1].date, date(2026, 3, 3));
    assert_eq!(
        lunch[0].kind,
        BreachKind::Understaffed {
            at: time(11, 30),
            on_duty: 1,
            required: 2
        }
    );
    assert_eq!(
        p.clause(lunch[0].clause).unwrap().source(),
        Some("000 part 4")
    );
}

const STAGGERED: &str = concat!(
    "\n",
    policy_table!("demo", "Demo"),
    r#"
[shifts]
holidays = "not_worked"

[shifts.types.office]
start = 09:00
end = 18:00
breaks = [{ start = 12:00, end = 13:00 }]

[[shifts.staffing]]
kind = "window"
from = 12:00
to = 14:00
min = 1
days = "working_days"
"#
);

#[test]
fn s6_staggered_meals_keep_someone_on_duty() {
    let p = Policy::from_toml_str("demo.toml", STAGGERED).unwrap();
    let d = date(2026, 3, 2);
    let together = Roster {
        entries: vec![entry("a", d, "office"), entry("b", d, "office")],
    };
    let b = p.check_roster(&together, d, d).unwrap();
    assert_eq!(
        b[0].kind,
        BreachKind::Understaffed {
            at: time(12, 0),
            on_duty: 0,
            required: 1
        }
    );
    let mut staggered = together.clone();
    staggered.entries[1].break_start = Some(time(13, 0));
    assert!(p.check_roster(&staggered, d, d).unwrap().is_empty());
    // Saturday is not a working day here: not checked.
    let sat = date(2026, 3, 7);
    assert!(
        p.check_roster(&Roster::default(), sat, sat)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn s7_holidays_worked_as_usual_or_a_breach() {
    let edu = Policy::example("education").unwrap();
    let oct1 = date(2026, 10, 1);
    let roster = Roster {
        entries: vec![entry("li", oct1, "regular")],
    };
    assert!(edu.check_roster(&roster, oct1, oct1).unwrap().is_empty());
    let p = Policy::from_toml_str(
        "demo.toml",
        STAGGERED.replace("min = 1", "min = 0").as_str(),
    );
    assert!(p.is_err(), "min is at least 1");
    let text = format!(
        "{STAGGERED}\n[calendar]\nholidays = [{{ date = 2026-10-01, name = \"国庆节\" }}]\n"
    );
    let p = Policy::from_toml_str("demo.toml", &text).unwrap();
    let roster = Roster {
        entries: vec![entry("a", oct1, "office")],
    };
    let b = p.check_roster(&roster, oct1, oct1).unwrap();
    assert_eq!(b.len(), 1);
    assert_eq!(
        b[0].kind,
        BreachKind::ShiftOnHoliday {
            shift: "office".into(),
            holiday: "国庆节".into()
        }
    );
    assert_eq!(b[0].agent.as_deref(), Some("a"));
}

#[test]
fn s7_weekday_hours_monday_to_friday_nine_weekend_ten() {
    let p = Policy::example("education").unwrap();
    let t = p.shift_type(p.shift_ref("regular").unwrap()).unwrap();
    for day in [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
    ] {
        assert_eq!(t.hours(day).start(), time(9, 0));
        assert_eq!(t.hours(day).end(), time(20, 0));
    }
    for day in [Weekday::Sat, Weekday::Sun] {
        assert_eq!(t.hours(day).start(), time(10, 0));
        assert_eq!(
            (t.hours(day).clause()).id(),
            "shifts.types.regular.hours[0]"
        );
        assert_eq!(
            p.clause(t.hours(day).clause()).unwrap().source(),
            Some("001 ch.2 B 一")
        );
    }
}

#[test]
fn s8_saturday_to_thursday_nine_to_six_with_an_hour_for_lunch() {
    let p = Policy::example("call-centre").unwrap();
    let t = p.shift_type(p.shift_ref("office").unwrap()).unwrap();
    assert_eq!(t.paid_minutes(Weekday::Sat), 8 * 60);
    assert_eq!(t.breaks(), [(12 * 60, 13 * 60)]);
    assert!(p.calendar().is_weekend(Weekday::Fri));
    assert!(!p.calendar().is_weekend(Weekday::Sat));
    let ot = p.shifts().unwrap().overtime().unwrap();
    assert!(ot.needs_prior_approval);
    // Rostered Saturday to Thursday (six days): the weekly rest holds.
    let six: Vec<_> = (7..=12)
        .map(|d| entry("zhao", date(2026, 3, d), "office"))
        .collect();
    let b = p
        .check_roster(
            &Roster {
                entries: six.clone(),
            },
            date(2026, 3, 9),
            date(2026, 3, 15),
        )
        .unwrap_err();
    assert!(matches!(b, ShiftError::OutsidePeriod { .. }));
    let b = p
        .check_roster(
            &Roster { entries: six },
            date(2026, 3, 7),
            date(2026, 3, 15),
        )
        .unwrap();
    assert!(b.is_empty());
    // Seven days from Monday 9 to Sunday 15 break it.
    let seven: Vec<_> = (9..=15)
        .map(|d| entry("zhao", date(2026, 3, d), "office"))
        .collect();
    let b = p
        .check_roster(
            &Roster { entries: seven },
            date(2026, 3, 7),
            date(2026, 3, 15),
        )
        .unwrap();
    assert_eq!(b.len(), 1);
    assert_eq!(
        b[0].date,
        date(2026, 3, 9),
        "the calendar week starts on Monday"
    );
}

#[test]
fn s9_weekly_meetings_and_reports() {
    let shop = shop();
    let m = shop
        .meetings_between(date(2026, 3, 1), date(2026, 3, 31))
        .unwrap();
    let dates: Vec<_> = m.iter().map(|m| m.date).collect();
    assert_eq!(dates, [2, 9, 16, 23, 30].map(|d| date(2026, 3, d)));
    assert_eq!(m[0].time, MeetingTime::At(time(8, 0)));
    assert_eq!(
        shop.clause(m[0].clause).unwrap().source(),
        Some("000 part 1 §4")
    );
    let edu = Policy::example("education").unwrap();
    let m = edu
        .meetings_between(date(2026, 3, 1), date(2026, 3, 2))
        .unwrap();
    assert_eq!(m.len(), 2);
    assert_eq!(
        (m[0].meeting.as_str(), m[0].time),
        ("report", MeetingTime::Afternoon)
    );
    assert_eq!(
        (m[1].meeting.as_str(), m[1].time),
        ("weekly", MeetingTime::BeforeLeaving)
    );
}

#[test]
fn s10_roster_check_errors_name_the_entry() {
    let p = shop();
    let d = date(2026, 3, 2);
    let err = p
        .check_roster(
            &Roster {
                entries: vec![entry("ann", d, "p9_day")],
            },
            d,
            d,
        )
        .unwrap_err();
    assert!(err.to_string().contains("`p9_day`"));
    assert!(err.to_string().contains("ann"));
    let err = p
        .check_roster(
            &Roster {
                entries: vec![entry("ann", d, "p1_day"), entry("ann", d, "p1_night")],
            },
            d,
            d,
        )
        .unwrap_err();
    assert_eq!(
        err,
        ShiftError::DuplicateEntry {
            agent: "ann".into(),
            date: d
        }
    );
    assert!(matches!(
        p.check_roster(&Roster::default(), d, date(2026, 3, 1)),
        Err(ShiftError::PeriodOutOfOrder { .. })
    ));
    let fintech = Policy::example("fintech").unwrap();
    assert_eq!(
        fintech.check_roster(&Roster::default(), d, d),
        Err(ShiftError::NoShiftRules)
    );
}

#[test]
fn night_shift_covers_a_window_after_midnight() {
    let text = concat!(
        "\n",
        policy_table!("demo", "Demo"),
        r#"
[shifts.types.night]
start = 17:30
end = 01:00
crosses_midnight = true
breaks = [{ start = 00:00, end = 00:15 }]

[[shifts.staffing]]
kind = "window"
from = 00:00
to = 00:45
min = 1
"#
    );
    let p = Policy::from_toml_str("demo.toml", text).unwrap();
    let t = p.shift_type(p.shift_ref("night").unwrap()).unwrap();
    assert_eq!(t.breaks(), [(24 * 60, 24 * 60 + 15)]);
    assert_eq!(t.paid_minutes(Weekday::Mon), 7 * 60 + 15);
    // The night shift of 31 March covers 1 April 00:15–00:45, but not its break.
    let roster = Roster {
        entries: vec![entry("a", date(2026, 3, 31), "night")],
    };
    let b = p
        .check_roster(&roster, date(2026, 3, 31), date(2026, 4, 1))
        .unwrap();
    let dates: Vec<_> = b.iter().map(|b| (b.date, b.kind.clone())).collect();
    assert_eq!(
        dates,
        [
            (
                date(2026, 3, 31),
                BreachKind::Understaffed {
                    at: time(0, 0),
                    on_duty: 0,
                    required: 1
                }
            ),
            (
                date(2026, 4, 1),
                BreachKind::Understaffed {
                    at: time(0, 0),
                    on_duty: 0,
                    required: 1
                }
            ),
        ]
    );
}

/// Serialises `value` and reads it back equal; the JSON written.
fn round_trip<T>(value: &T) -> serde_json::Value
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let json = serde_json::to_string(value).unwrap();
    let back: T = serde_json::from_str(&json).unwrap();
    assert_eq!(&back, value, "{json}");
    serde_json::from_str(&json).unwrap()
}

/// Every kind of roster breach reads back equal, its clause and shift
/// written as their ids: those a real month breaks (S1, S3, S4),
/// and the rest built by hand (S6 lunch cover, S7 holidays, S5 swaps).
#[test]
fn every_roster_breach_round_trips() {
    let p = shop();
    let roster = part3_march(&[
        ("zhang", "p3_day", &[1, 8, 15, 22]),
        ("zeng", "p3_day", &[2, 9, 16]),
        ("yan", "p3_night", &[]),
        ("ann", "p1_day", &[]),
        ("bo", "p2_day", &[]),
    ]);
    let breaches = p
        .check_roster(&roster, date(2026, 3, 1), date(2026, 3, 31))
        .unwrap();
    let mut kinds = std::collections::BTreeSet::new();
    for b in &breaches {
        let json = round_trip(b);
        assert!(json["clause"].is_string(), "{json}");
        kinds.insert(json["kind"]["kind"].as_str().unwrap().to_owned());
    }
    let clause = breaches[0].clause;
    let by_hand = [
        BreachKind::Understaffed {
            at: time(12, 0),
            on_duty: 1,
            required: 2,
        },
        BreachKind::ShiftOnHoliday {
            shift: "regular".into(),
            holiday: "国庆节".into(),
        },
        BreachKind::SwapWithoutConsent {
            with: "bob".into(),
            both_responsible: true,
        },
    ];
    for kind in by_hand {
        let b = RosterBreach {
            date: date(2026, 10, 1),
            agent: Some("ann".into()),
            kind,
            clause,
        };
        let json = round_trip(&b);
        kinds.insert(json["kind"]["kind"].as_str().unwrap().to_owned());
    }
    assert_eq!(kinds.len(), 7, "{kinds:?}");
}

/// S9: a meeting's date reads back equal, its clause written as its path.
#[test]
fn a_meeting_date_round_trips() {
    let m = shop()
        .meetings_between(date(2026, 3, 1), date(2026, 3, 31))
        .unwrap();
    for meeting in &m {
        assert_eq!(round_trip(meeting)["clause"], "shifts.meetings.weekly");
    }
}
