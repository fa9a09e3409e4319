//! Cases that kill a surviving mutant, written in the cases format.
//!
//! The facts come from the first boundary example (the probe `diff` would
//! print, at its first value) or from a case whose outcome the mutant moves;
//! the expectation is every value the policy gives there that the mutant
//! does not (at most [`MOST_VALUES`]). A suggestion is kept only when it
//! passes on the policy and fails on the mutant.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde_json::{Value, json};

use crate::Policy;
use crate::boundary::BoundaryExample;
use crate::diff::write_string;
use crate::testing::{CasesFile, Evaluator, scalar_eq};

/// Values a suggested case checks at most: enough to pin the decision.
pub(super) const MOST_VALUES: usize = 6;

/// The date probes start from (a Monday clear of holidays in 2026).
fn probe_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or_default()
}

/// The policy and a mutant, evaluated side by side.
pub(super) struct Both<'p> {
    policy: &'p Policy,
    mutant: &'p Policy,
    before: Evaluator<'p>,
    after: Evaluator<'p>,
}

impl<'p> Both<'p> {
    pub(super) fn new(policy: &'p Policy, mutant: &'p Policy) -> Self {
        Self {
            policy,
            mutant,
            before: Evaluator::new(policy),
            after: Evaluator::new(mutant),
        }
    }

    /// A case for the boundary example `example`, if its probe can be
    /// written as facts and the case kills the mutant.
    pub(super) fn case_for_example(&mut self, example: &BoundaryExample) -> Option<String> {
        let (run, facts) = probe_facts(self.policy, self.mutant, example)?;
        let name = format!(
            "{}: {}: {}",
            example.clause, example.probe, example.before.summary
        );
        self.killing_case(&name, run, &facts)
    }

    /// A case from the first of `cases`' evaluations whose outcome the
    /// mutant moves, checking the values that moved.
    pub(super) fn case_from_cases(&mut self, cases: &[CasesFile]) -> Option<String> {
        cases.iter().flat_map(CasesFile::runs).find_map(|r| {
            let name = match r.row {
                Some(row) => format!("{}, row {row}", r.name),
                None => r.name.to_owned(),
            };
            self.killing_case(&name, r.run, &r.facts)
        })
    }

    /// Whether the two give different outcomes on `facts`; `None` when the
    /// policy itself rejects them.
    fn differ(&mut self, run: &str, facts: &Value) -> Option<bool> {
        let before = self.before.outcome(run, facts).ok()?;
        Some(
            self.after
                .outcome(run, facts)
                .map_or(true, |after| !differences(&before, &after).is_empty()),
        )
    }

    /// The case checking, on `facts`, what the policy gives and the mutant
    /// does not; `None` when they agree, or when the case does not kill the
    /// mutant.
    fn killing_case(&mut self, name: &str, run: &str, facts: &Value) -> Option<String> {
        let (policy, mutant) = (self.policy, self.mutant);
        let expect = match (
            self.before.outcome(run, facts),
            self.after.outcome(run, facts),
        ) {
            (Ok(before), Ok(after)) => Expect::Values(differences(&before, &after)),
            // The mutant rejects the facts: any value of the policy's outcome.
            (Ok(before), Err(_)) => Expect::Values(differences(&before, &Value::Null)),
            (Err(before), Ok(_)) => Expect::Error(before),
            (Err(before), Err(after)) if !after.contains(&before) => Expect::Error(before),
            (Err(_), Err(_)) => return None,
        };
        if matches!(&expect, Expect::Values(v) if v.is_empty()) {
            return None;
        }
        let text = case_text(name, run, facts, &expect);
        let case = CasesFile::parse("suggested case", &text).ok()?;
        let passes = |p: &Policy| {
            crate::testing::run(p, std::slice::from_ref(&case)).is_ok_and(|r| r.passed())
        };
        (passes(policy) && !passes(mutant)).then_some(text)
    }
}

/// What a suggested case expects.
enum Expect {
    /// Values at paths of the outcome.
    Values(Vec<(String, Value)>),
    /// An error containing this message.
    Error(String),
}

/// The values of `before` that `after` lacks or holds otherwise, by path
/// (`lines.1.amount`; `len` for a list's length), in order, at most
/// [`MOST_VALUES`].
fn differences(before: &Value, after: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    differ(before, after, &mut String::new(), &mut out);
    out.truncate(MOST_VALUES);
    out
}

fn differ(before: &Value, after: &Value, path: &mut String, out: &mut Vec<(String, Value)>) {
    if out.len() >= MOST_VALUES {
        return;
    }
    let at = |path: &mut String, step: &str, b: &Value, a: &Value, out: &mut Vec<_>| {
        let len = path.len();
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(step);
        differ(b, a, path, out);
        path.truncate(len);
    };
    match (before, after) {
        (Value::Object(b), Value::Object(a)) => {
            for (key, value) in b {
                at(
                    path,
                    &key_text(key),
                    value,
                    a.get(key).unwrap_or(&Value::Null),
                    out,
                );
            }
            for key in a.keys().filter(|k| !b.contains_key(*k)) {
                at(path, &key_text(key), &Value::Null, &a[key], out);
            }
        }
        (Value::Array(b), Value::Array(a)) => {
            if b.len() != a.len() {
                at(path, "len", &json!(b.len()), &json!(a.len()), out);
            }
            // Elements the mutant lost, wherever they stood; else what
            // moved at each index.
            let lost: Vec<Value> = b.iter().filter(|x| !a.contains(x)).cloned().collect();
            if b.len() != a.len() || lost.iter().any(Value::is_object) {
                if !lost.is_empty() {
                    let mut step = path.clone();
                    if !step.is_empty() {
                        step.push('.');
                    }
                    step.push_str("contains");
                    out.push((step, Value::Array(lost.into_iter().take(2).collect())));
                }
                return;
            }
            for (i, (b, a)) in b.iter().zip(a).enumerate() {
                at(path, &i.to_string(), b, a, out);
            }
        }
        (b, a) if scalar_eq(b, a) || (b.is_null() && a.as_str() == Some("none")) => {}
        (b, _) => out.push((path.clone(), b.clone())),
    }
}

/// A key as TOML writes it: bare when it can be.
fn key_text(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare {
        key.to_owned()
    } else {
        let mut out = String::new();
        write_string(&mut out, key);
        out
    }
}

/// The case in the cases format.
fn case_text(name: &str, run: &str, facts: &Value, expect: &Expect) -> String {
    let mut out = String::from("[[case]]\nname = ");
    write_string(&mut out, name);
    out.push_str("\nrun = ");
    write_string(&mut out, run);
    out.push('\n');
    write_facts(&mut out, "facts", facts);
    match expect {
        Expect::Values(values) => {
            for (path, value) in values {
                if path.is_empty() {
                    out.push_str("expect = ");
                } else {
                    let _ = write!(out, "expect.{path} = ");
                }
                write_value(&mut out, value, false);
                out.push('\n');
            }
        }
        Expect::Error(message) => {
            out.push_str("expect_error = ");
            write_string(&mut out, message);
            out.push('\n');
        }
    }
    out
}

/// Facts as dotted keys (`facts.card.items = [...]`), a table's keys each
/// on its own line.
fn write_facts(out: &mut String, prefix: &str, value: &Value) {
    match value {
        Value::Null => {}
        Value::Object(map) if !map.is_empty() => {
            for (key, value) in map {
                write_facts(out, &format!("{prefix}.{}", key_text(key)), value);
            }
        }
        other => {
            let _ = write!(out, "{prefix} = ");
            write_value(out, other, true);
            out.push('\n');
        }
    }
}

/// A JSON value as inline TOML: dates and times bare, amounts quoted,
/// `null` as `"none"`. A long list of tables is written one a line.
fn write_value(out: &mut String, value: &Value, top: bool) {
    match value {
        Value::Null => out.push_str("\"none\""),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) if is_date_or_time(s) => out.push_str(s),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            let long = top && items.len() > 1 && items.iter().all(Value::is_object);
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if long {
                    out.push_str("\n  ");
                } else if i > 0 {
                    out.push_str(", ");
                }
                write_value(out, item, false);
                if long {
                    out.push(',');
                }
            }
            if long {
                out.push('\n');
            }
            out.push(']');
        }
        Value::Object(map) => {
            let entries: Vec<_> = map.iter().filter(|(_, v)| !v.is_null()).collect();
            if entries.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push_str("{ ");
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                let _ = write!(out, "{} = ", key_text(key));
                write_value(out, item, false);
            }
            out.push_str(" }");
        }
    }
}

/// Whether a string is a date, a date-time or a time as TOML writes them
/// (and chrono serialises them).
fn is_date_or_time(s: &str) -> bool {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
        || NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").is_ok()
        || (s.len() == 8 && NaiveTime::parse_from_str(s, "%H:%M:%S").is_ok())
}

/// The facts of a boundary probe at its first value, as a case's `run` and
/// `facts`: the same facts the probe gave both policies.
fn probe_facts(
    policy: &Policy,
    mutant: &Policy,
    example: &BoundaryExample,
) -> Option<(&'static str, Value)> {
    let probe = example.probe.as_str();
    let first = example.first;
    let n = first.trunc().to_u32()?;
    let word_after = |marker: &str| {
        let rest = &probe[probe.find(marker)? + marker.len()..];
        rest.split([' ', ',']).next()
    };
    if probe.contains(" occurrence ") {
        let kind = example.clause.split('.').nth(2)?;
        return Some(("discipline_statement", occurrences(policy, kind, n)));
    }
    if let Some(shift) = word_after(" on shift ") {
        return attendance(policy, mutant, probe, shift, n);
    }
    if let Some(card) = word_after(" on card ") {
        if probe.starts_with("score") {
            return Some((
                "grade",
                json!({ "scorecard": card, "score": first.normalize().to_string() }),
            ));
        }
        let item = probe.split(' ').next()?;
        return tier(policy, card, item, first);
    }
    if let Some(plan) = word_after(" on plan ") {
        return pay(policy, plan, word_after(", level "), first);
    }
    if probe.ends_with(", made on its first day") {
        let kind = word_after(" of ")?;
        return notice(policy, kind, n);
    }
    if let Some(kind) = probe.strip_suffix(" leave in a year") {
        let kind = kind.rsplit(' ').next()?;
        return year_cap(policy, kind, n);
    }
    if probe.contains(" leave of a ") {
        let kind = probe.split(' ').next()?;
        let man = probe.contains(" leave of a man ");
        return entitlement(kind, man, n);
    }
    others(probe, first, n)
}

/// Probes of one number: stock, returns, the shipping promise, calls.
fn others(probe: &str, first: Decimal, n: u32) -> Option<(&'static str, Value)> {
    let day = probe_day();
    if probe.ends_with(" listed") {
        return Some(("stock_alert", json!({ "listed": n })));
    }
    if probe.starts_with("a return of regular goods") {
        let asked = day + TimeDelta::days(i64::from(n));
        let facts = json!({ "received": day.to_string(), "requested": asked.to_string(),
            "resaleable": true, "goods": "regular" });
        return Some(("return_decision", facts));
    }
    if probe.starts_with("an order paid on") {
        return Some(("shipping_promise", json!({ "paid": day.to_string() })));
    }
    let at = day
        .and_hms_opt(10, 0, 0)?
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string();
    if probe.contains("effective outgoing call") {
        let call = json!({ "at": at, "direction": "outgoing", "effective": true,
            "to_unverified": true, "duration_secs": 60 });
        let calls = vec![call; usize::try_from(n).ok()?];
        return Some((
            "day_report",
            json!({ "date": day.to_string(), "calls": calls }),
        ));
    }
    if probe.starts_with("an incoming call answered") {
        let call = json!({ "at": at, "direction": "incoming", "effective": true,
            "rings": first.trunc().to_u8()?, "duration_secs": 60 });
        return Some((
            "day_report",
            json!({ "date": day.to_string(), "calls": [call] }),
        ));
    }
    None
}

/// `k` incidents of a kind, one a day from the probe day; a step stating a
/// range is charged its top, as the probe charges it.
fn occurrences(policy: &Policy, kind: &str, k: u32) -> Value {
    use crate::discipline::{Rule, StepAmount};
    let tops: Vec<Option<Decimal>> = policy
        .discipline()
        .and_then(|d| d.kind(d.resolve_kind(kind)?))
        .map(|k| {
            let top = |amount| match amount {
                StepAmount::Range { max, .. } => Some(max),
                _ => None,
            };
            match k.rule() {
                Rule::Ladder(ladder) => ladder.steps().iter().map(|s| top(s.amount())).collect(),
                Rule::Flat(step) => vec![top(step.amount())],
            }
        })
        .unwrap_or_default();
    let incidents: Vec<Value> = (0..k)
        .map(|i| {
            let date = probe_day() + TimeDelta::days(i64::from(i));
            let mut incident = json!({ "agent": "a1", "kind": kind, "date": date.to_string() });
            let top = tops.get(i as usize).or(tops.last()).copied().flatten();
            if let Some(top) = top {
                incident["value"] = Value::String(top.normalize().to_string());
            }
            incident
        })
        .collect();
    json!({ "incidents": incidents })
}

/// Attendance probes: minutes late or early on one day, or a run
/// of lates or absent days, on the working days of March 2026 in both
/// policies' calendars.
fn attendance(
    policy: &Policy,
    mutant: &Policy,
    probe: &str,
    shown: &str,
    n: u32,
) -> Option<(&'static str, Value)> {
    let shift = shown
        .split(" / ")
        .find(|id| policy.shift_ref(id).is_some())?;
    let shift_ref = policy.shift_ref(shift)?;
    let kind = policy.shift_type(shift_ref)?;
    let dates = march_working_days(policy, mutant)?;
    let times = |date: NaiveDate| {
        let hours = kind.hours(date.weekday());
        let midnight = date.and_hms_opt(0, 0, 0)?;
        let start = midnight + TimeDelta::minutes(i64::from(hours.start_minute()));
        let end = midnight + TimeDelta::minutes(i64::from(hours.end_minute()));
        (end > start).then_some((start, end))
    };
    let stamp = |t: NaiveDateTime| t.format("%Y-%m-%dT%H:%M:%S").to_string();
    let minutes = i64::from(n);
    let day = |date: NaiveDate, late: Option<i64>, early: Option<i64>| -> Option<Value> {
        let (start, end) = times(date)?;
        let mut day = json!({ "date": date.to_string(), "shift": shift });
        if let Some(late) = late {
            day["clock_in"] = json!(stamp(start + TimeDelta::minutes(late)));
        }
        if let Some(early) = early {
            day["clock_out"] = json!(stamp(end - TimeDelta::minutes(early)));
        }
        Some(day)
    };
    let first = *dates.first()?;
    let days: Vec<Value> = if probe.contains(" minutes late ") {
        vec![day(first, Some(minutes), Some(0))?]
    } else if probe.contains(" minutes early ") {
        vec![day(first, Some(0), Some(minutes))?]
    } else {
        let absent = probe.contains(" absent day in a row ");
        dates
            .iter()
            .take(usize::try_from(n).ok()?)
            .map(|&d| {
                if absent {
                    day(d, None, None)
                } else {
                    day(d, Some(1), Some(0))
                }
            })
            .collect::<Option<_>>()?
    };
    let facts = json!({ "agent": "a1", "year": 2026, "month": 3, "days": days,
        "pay": { "base_wage": "3000", "gross": "4000" } });
    Some(("attendance_month", facts))
}

/// The days of March 2026 that both calendars call working days.
fn march_working_days(policy: &Policy, mutant: &Policy) -> Option<Vec<NaiveDate>> {
    let mut dates = Vec::new();
    let mut date = NaiveDate::from_ymd_opt(2026, 3, 1)?;
    while date.month() == 3 {
        let working = |p: &Policy| p.calendar().day(date).is_ok_and(|d| d.kind.is_working());
        if working(policy) && working(mutant) {
            dates.push(date);
        }
        date += TimeDelta::days(1);
    }
    Some(dates)
}

/// A tiered item at `metric`, the rest of the card filled to its total.
fn tier(policy: &Policy, card: &str, item: &str, metric: Decimal) -> Option<(&'static str, Value)> {
    use crate::kpi::ItemValue;
    let scorecard = policy.kpi()?.scorecard(card)?;
    let mut facts = crate::boundary::facts_for(scorecard, scorecard.total())?;
    for fact in &mut facts.items {
        if fact.item == item {
            fact.value = ItemValue::Metric(metric);
        }
    }
    let facts = json!({ "scorecard": card, "card": serde_json::to_value(&facts).ok()? });
    Some(("score_card", facts))
}

/// A pay plan's month at a score, at a held level.
fn pay(
    policy: &Policy,
    plan: &str,
    level: Option<&str>,
    score: Decimal,
) -> Option<(&'static str, Value)> {
    let card = crate::boundary::plan_card(policy, plan)?;
    let facts = crate::boundary::facts_for(card, score)?;
    let mut month = json!({ "agent": "a1", "plan": plan, "year": 2026, "month": 3,
        "card": serde_json::to_value(&facts).ok()? });
    if let Some(level) = level {
        month["level"] = json!(level);
    }
    Some(("agent_month", month))
}

/// The probes' leave starts on the first counted day from 1 June 2026.
fn leave_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or_default()
}

/// An agent of the leave probes.
fn leave_agent(birth: NaiveDate, man: bool) -> Value {
    json!({ "id": "a1", "birth_date": birth.to_string(), "sex": if man { "man" } else { "woman" } })
}

/// A request of `n` counted days made on its first day (the notice
/// ladder's, or a type's own notice).
fn notice(policy: &Policy, kind: &str, n: u32) -> Option<(&'static str, Value)> {
    let leave = policy.leave()?;
    let counting = leave.get(leave.type_ref(kind)?)?.counting();
    let counted: Vec<NaiveDate> = leave_start()
        .iter_days()
        .take(400)
        .filter(|d| {
            counting
                .counts(policy.calendar(), *d)
                .is_ok_and(|counts| counts)
        })
        .take(usize::try_from(n).ok()?)
        .collect();
    let (from, to) = (*counted.first()?, *counted.last()?);
    let request = json!({ "leave_type": kind, "from": from.to_string(), "to": to.to_string(),
        "requested_on": from.to_string() });
    let birth = NaiveDate::from_ymd_opt(1996, 1, 1)?;
    let facts = json!({ "agent": leave_agent(birth, false), "request": request });
    Some(("check_leave_request", facts))
}

/// Every paper a request may need, as the probes bring them.
const EVERY_PAPER: [&str; 4] = [
    "leave_form",
    "hospital_certificate",
    "marriage_certificate",
    "birth_certificate",
];

/// The entitlement of an agent aged `age` at the leave's start (the
/// late-marriage age).
fn entitlement(kind: &str, man: bool, age: u32) -> Option<(&'static str, Value)> {
    let start = leave_start();
    let birth = NaiveDate::from_ymd_opt(2026 - i32::try_from(age).ok()?, 5, 1)?;
    let request = json!({ "leave_type": kind, "from": start.to_string(),
        "to": (start + TimeDelta::days(29)).to_string(),
        "requested_on": (start - TimeDelta::days(60)).to_string(),
        "documents": EVERY_PAPER, "approvals": ["above_department_head"],
        "reported_back": true,
        "birth": { "date": start.to_string(), "difficult": false, "babies": 1 } });
    let facts = json!({ "agent": leave_agent(birth, man), "request": request });
    Some(("check_leave_request", facts))
}

/// `n` one-day requests of a capped type in 2026, each in good time with
/// every paper (the year's cap).
fn year_cap(policy: &Policy, kind: &str, n: u32) -> Option<(&'static str, Value)> {
    let leave = policy.leave()?;
    let counting = leave.get(leave.type_ref(kind)?)?.counting();
    let requests: Vec<Value> = NaiveDate::from_ymd_opt(2026, 1, 1)?
        .iter_days()
        .take_while(|d| d.year() == 2026)
        .filter(|d| {
            counting
                .counts(policy.calendar(), *d)
                .is_ok_and(|counts| counts)
        })
        .take(usize::try_from(n).ok()?)
        .map(|day| {
            json!({ "leave_type": kind, "from": day.to_string(), "to": day.to_string(),
                "requested_on": (day - TimeDelta::days(60)).to_string(),
                "documents": EVERY_PAPER,
                "approvals": ["supervisor", "department_head", "above_department_head"],
                "reported_back": true })
        })
        .collect();
    let birth = NaiveDate::from_ymd_opt(1996, 1, 1)?;
    let facts = json!({ "year": 2026, "agent": leave_agent(birth, false), "requests": requests });
    Some(("leave_year", facts))
}

/// What an edit suggests trying in facts: the numbers it moved (before and
/// after), and the words written in the edited step.
pub(super) struct Hints {
    pub(super) numbers: Vec<Decimal>,
    pub(super) words: Vec<String>,
}

/// Evaluations tried at most per mutant, over every nearby fact.
const MOST_TRIES: usize = 1500;

/// A case from a case's facts with one value changed: each number set to
/// 0, 1, 2, one unit either side, and the edited numbers; each date or time
/// a day or a minute either side, and the edited numbers of minutes; each
/// word to the edited step's words; each flag flipped. The cases whose
/// outcome cites `clause` are tried first.
impl Both<'_> {
    /// A case from a case's facts with one value changed: each number set
    /// to 0, 1, 2, one unit either side, and the edited numbers; each date a
    /// day, a month or a year either side; each time a minute and the edited
    /// numbers of minutes either side; each word to the edited step's words;
    /// each flag flipped. Only the evaluations whose outcome cites the
    /// clause's section are varied, those citing the clause first.
    pub(super) fn case_from_nearby_facts(
        &mut self,
        cases: &[CasesFile],
        clause: &str,
        hints: &Hints,
    ) -> Option<String> {
        let section = clause.split(['.', '[']).next().unwrap_or_default();
        let mut runs = Vec::new();
        for r in cases.iter().flat_map(CasesFile::runs) {
            let Ok(outcome) = self.before.outcome(r.run, &r.facts) else {
                continue;
            };
            let text = outcome.to_string();
            let rank = if !clause.is_empty() && text.contains(clause) {
                0
            } else if section == "policy" || text.contains(&format!("\"{section}.")) {
                1
            } else {
                continue;
            };
            runs.push((rank, r));
        }
        runs.sort_by_key(|(rank, _)| *rank);
        let mut tries = 0;
        for (_, r) in &runs {
            let mut leaves = Vec::new();
            leaves_of(&r.facts, &mut Vec::new(), &mut leaves);
            for (path, leaf) in leaves {
                for value in nearby(&leaf, hints) {
                    tries += 1;
                    if tries > MOST_TRIES {
                        return None;
                    }
                    let mut facts = r.facts.clone();
                    if let Some(slot) = reach(&mut facts, &path) {
                        *slot = value.clone();
                    }
                    if self.differ(r.run, &facts) != Some(true) {
                        continue;
                    }
                    let mut shown = String::new();
                    write_value(&mut shown, &value, false);
                    let name = format!("{}, with {} = {shown}", r.name, path_text(&path));
                    if let Some(case) = self.killing_case(&name, r.run, &facts) {
                        return Some(case);
                    }
                }
            }
        }
        None
    }
}

/// One step into a JSON value.
#[derive(Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn path_text(path: &[Step]) -> String {
    let mut out = String::from("facts");
    for step in path {
        match step {
            Step::Key(k) => {
                out.push('.');
                out.push_str(&key_text(k));
            }
            Step::Index(i) => {
                let _ = write!(out, "[{i}]");
            }
        }
    }
    out
}

fn leaves_of(value: &Value, path: &mut Vec<Step>, out: &mut Vec<(Vec<Step>, Value)>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                path.push(Step::Key(key.clone()));
                leaves_of(item, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Step::Index(i));
                leaves_of(item, path, out);
                path.pop();
            }
        }
        Value::Null => {}
        leaf => out.push((path.clone(), leaf.clone())),
    }
}

fn reach<'v>(value: &'v mut Value, path: &[Step]) -> Option<&'v mut Value> {
    let mut at = value;
    for step in path {
        at = match step {
            Step::Key(k) => at.get_mut(k.as_str())?,
            Step::Index(i) => at.get_mut(*i)?,
        };
    }
    Some(at)
}

/// The values tried in place of `leaf`.
fn nearby(leaf: &Value, hints: &Hints) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    let numbers = |n: Decimal| {
        let unit = super::generate::unit_of(n);
        let mut list = vec![
            Decimal::ZERO,
            Decimal::ONE,
            Decimal::TWO,
            n - unit,
            n + unit,
        ];
        list.extend(hints.numbers.iter().copied());
        list.retain(|x| *x != n);
        list
    };
    match leaf {
        Value::Bool(b) => out.push(Value::Bool(!b)),
        Value::Number(n) => {
            if let Some(n) = n.as_i64() {
                for x in numbers(Decimal::from(n)) {
                    if let Some(x) = x
                        .to_i64()
                        .filter(|_| x.fract().is_zero() && x >= Decimal::ZERO)
                    {
                        out.push(json!(x));
                    }
                }
            }
        }
        Value::String(s) => {
            if let Ok(n) = s.parse::<Decimal>() {
                out.extend(
                    numbers(n)
                        .into_iter()
                        .map(|x| json!(x.normalize().to_string())),
                );
            } else {
                out.extend(nearby_words(s, hints));
            }
        }
        _ => {}
    }
    out.dedup();
    out
}

/// The values tried in place of a string that is not a number: a date a
/// day, a month or a year either side, a time moved by
/// [`minutes_tried`], or any other word the policy uses.
fn nearby_words(s: &str, hints: &Hints) -> Vec<Value> {
    if let Ok(date) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        let moved = [
            date.checked_sub_days(chrono::Days::new(1)),
            date.checked_add_days(chrono::Days::new(1)),
            date.checked_sub_months(chrono::Months::new(1)),
            date.checked_add_months(chrono::Months::new(1)),
            date.checked_sub_months(chrono::Months::new(12)),
            date.checked_add_months(chrono::Months::new(12)),
        ];
        moved
            .into_iter()
            .flatten()
            .map(|d| json!(d.to_string()))
            .collect()
    } else if let Ok(at) = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S") {
        minutes_tried(hints)
            .into_iter()
            .filter_map(|minutes| at.checked_add_signed(TimeDelta::minutes(minutes)))
            .map(|moved| json!(moved.format("%Y-%m-%dT%H:%M:%S").to_string()))
            .collect()
    } else {
        hints
            .words
            .iter()
            .filter(|w| *w != s)
            .map(|w| json!(w))
            .collect()
    }
}

/// Minutes a time is moved by: one either side, and the edited numbers
/// either side (a limit of 30 minutes moved to 31).
fn minutes_tried(hints: &Hints) -> Vec<i64> {
    let mut out = vec![-1, 1];
    for n in &hints.numbers {
        if let Some(n) = n.to_i64().filter(|n| (1..=600).contains(n)) {
            out.extend([-n, n]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cases file's facts are outside input: a time or a date at the end
    /// of chrono's range is moved only where it can be, never past it.
    #[test]
    fn values_at_the_end_of_time_are_moved_only_inward() {
        let hints = Hints {
            numbers: Vec::new(),
            words: Vec::new(),
        };
        let last = NaiveDateTime::MAX.format("%Y-%m-%dT%H:%M:%S").to_string();
        let earlier = (NaiveDateTime::MAX - TimeDelta::minutes(1)).format("%Y-%m-%dT%H:%M:%S");
        assert_eq!(nearby_words(&last, &hints), [json!(earlier.to_string())]);
        let first = NaiveDate::MIN.to_string();
        let next = NaiveDate::MIN.succ_opt().map(|d| d.to_string());
        assert_eq!(nearby_words(&first, &hints)[0], json!(next));
    }
}
