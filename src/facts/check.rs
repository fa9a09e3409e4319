//! Problems of the facts themselves, found after reading: what no type can
//! refuse (a month 13, an agent listed twice, a date outside the month, a
//! leave ending before it starts) and, given a policy, what it does not
//! define (a shift, plan, post, level, incident kind or leave type) and
//! punches on days without a roster entry. Each problem is named by its
//! field path, for the reader to locate; every one is reported.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};

use super::FactProblem;
use crate::Policy;
use crate::policy::ProblemCode;
use crate::policy::read::{Hint, Suggestions};
use crate::scenario::{AgentFacts, AgentRecord, Days, DaysWord, MonthHeader, Scenario};

/// The month's days, and which of them are working days when a policy's
/// calendar says so.
pub(crate) struct MonthDays {
    pub(crate) header: MonthHeader,
    /// Every date of the month.
    pub(crate) dates: Vec<NaiveDate>,
    /// Bit `d` set: day `d + 1` is a working day (none without a policy,
    /// or when its calendar does not cover the month).
    pub(crate) working: Option<u32>,
    /// Why the working days are not known: a date the policy's calendars
    /// do not cover.
    pub(crate) uncovered: Option<crate::calendar::CalendarError>,
}

impl MonthDays {
    /// The month's days; `None` for a month that does not exist.
    pub(crate) fn new(header: MonthHeader, policy: Option<&Policy>) -> Option<Self> {
        let first = NaiveDate::from_ymd_opt(header.year, header.month, 1)?;
        let dates: Vec<NaiveDate> = first
            .iter_days()
            .take_while(|d| d.month() == header.month)
            .collect();
        let mut uncovered = None;
        let working = policy.and_then(|p| {
            let mut mask = 0u32;
            for d in &dates {
                match p.calendar().is_working_day(*d) {
                    Ok(true) => mask |= 1 << d.day0(),
                    Ok(false) => {}
                    Err(error) => {
                        uncovered = Some(error);
                        return None;
                    }
                }
            }
            Some(mask)
        });
        Some(Self {
            header,
            dates,
            working,
            uncovered,
        })
    }

    /// Whether `date` lies in the month.
    pub(crate) fn holds(&self, date: NaiveDate) -> bool {
        date.year() == self.header.year && date.month() == self.header.month
    }

    /// The days of a roster entry as a mask (bit `d`: day `d + 1`), when
    /// they can be known.
    pub(crate) fn mask(&self, days: &Days, except: &[NaiveDate]) -> Option<u32> {
        let mut mask = match days {
            Days::Word(DaysWord::WorkingDays) => self.working?,
            // A month has 28 to 31 days: the low bits, one a day.
            Days::Word(DaysWord::EveryDay) => {
                let len = u32::try_from(self.dates.len()).unwrap_or(32);
                u32::MAX.checked_shr(32u32.saturating_sub(len)).unwrap_or(0)
            }
            Days::Dates(dates) => dates
                .iter()
                .filter(|d| self.holds(**d))
                .fold(0u32, |m, d| m | 1 << d.day0()),
        };
        for d in except.iter().filter(|d| self.holds(**d)) {
            mask &= !(1 << d.day0());
        }
        Some(mask)
    }
}

/// Where a fact is, written out only when a problem is found: checking a
/// line without problems allocates nothing for paths.
#[derive(Clone, Copy)]
struct At<'a> {
    list: &'a str,
    index: Option<usize>,
}

impl<'a> At<'a> {
    fn item(list: &'a str, index: usize) -> Self {
        Self {
            list,
            index: Some(index),
        }
    }

    fn top(list: &'a str) -> Self {
        Self { list, index: None }
    }

    /// The element's path, or `key` within it.
    fn path(&self, key: &str) -> String {
        let mut out = self.list.to_owned();
        if let Some(i) = self.index {
            out.push_str(&format!("[{i}]"));
        }
        if !key.is_empty() {
            if !out.is_empty() && !key.starts_with('[') {
                out.push('.');
            }
            out.push_str(key);
        }
        out
    }
}

/// The problems found so far, and the file's budget of "did you mean"
/// suggestions.
struct Check<'s> {
    out: Vec<FactProblem>,
    suggestions: &'s Suggestions,
}

impl Check<'_> {
    /// A reference the policy does not define, with the closest defined
    /// id or the list of them while the file's budget lasts.
    fn undefined<'k>(
        &mut self,
        at: &str,
        (what, id): (&str, &str),
        table: &str,
        known: impl ExactSizeIterator<Item = &'k str>,
    ) {
        let problem = FactProblem::new(
            at.to_owned(),
            ProblemCode::UndefinedReference,
            format!("names {what} `{id}`, which {table} does not define"),
        );
        self.out.push(
            match self.suggestions.hint(id, known.len(), || known.collect()) {
                Hint::Closest(best) => problem.help(format!("did you mean `{best}`?")),
                Hint::Known(known) if known.is_empty() => problem,
                Hint::Known(known) => problem.help(format!("defined: `{}`", known.join("`, `"))),
                Hint::Spent => problem.help(format!("the ids defined are those of {table}")),
            },
        );
    }
}

/// Every problem of a scenario's facts.
pub(crate) fn scenario(s: &Scenario, policy: Option<&Policy>) -> Vec<FactProblem> {
    let suggestions = Suggestions::default();
    let mut ck = Check {
        out: Vec::new(),
        suggestions: &suggestions,
    };
    let Some(month) = month(s.header(), policy, &mut ck.out) else {
        return ck.out;
    };
    let index = agents(&s.agents, policy, &mut ck);
    let rostered = scenario_roster(s, policy, &month, &index, &mut ck);
    scenario_punches(s, policy, &month, (&index, &rostered), &mut ck.out);
    scenario_requests_and_incidents(s, policy, &index, &mut ck);
    ck.out
}

/// The roster's problems, and each agent's rostered days of the month as
/// a mask (`None` once a date outside the month is named).
fn scenario_roster(
    s: &Scenario,
    policy: Option<&Policy>,
    month: &MonthDays,
    index: &HashMap<&str, usize>,
    ck: &mut Check<'_>,
) -> Vec<Option<u32>> {
    let mut rostered: Vec<Option<u32>> = vec![Some(0); s.agents.len()];
    for (i, line) in s.roster.iter().enumerate() {
        let at = At::item("roster", i);
        shift(policy, &line.shift, at, ck);
        dates_in_month(month, &line.days, at, &mut ck.out);
        let mask = month.mask(&line.days, &line.except);
        for (k, agent) in line.agents.iter().enumerate() {
            let Some(a) = known(
                index,
                agent,
                || at.path(&format!("agents[{k}]")),
                &mut ck.out,
            ) else {
                continue;
            };
            if let Some(slot) = rostered.get_mut(a) {
                *slot = slot.zip(mask).map(|(x, y)| x | y);
            }
        }
    }
    rostered
}

/// The problems of punches, the punch log and its corrections, each day
/// checked against the agent's `rostered` days.
fn scenario_punches(
    s: &Scenario,
    policy: Option<&Policy>,
    month: &MonthDays,
    (index, rostered): (&HashMap<&str, usize>, &[Option<u32>]),
    out: &mut Vec<FactProblem>,
) {
    let mut punched: HashMap<(usize, NaiveDate), usize> = HashMap::new();
    for (i, p) in s.punches.iter().enumerate() {
        let at = At::item("punches", i);
        let Some(a) = known(index, &p.agent, || at.path("agent"), out) else {
            continue;
        };
        // The first punch of the day is kept, however many follow it.
        let first = *punched.entry((a, p.date)).or_insert(i);
        if first != i {
            out.push(twice_punched(at, &p.agent, p.date, first));
        }
        let rostered = rostered.get(a).copied().flatten();
        punch_day(month, rostered, p.date, at, out);
    }
    for (i, e) in s.punch_log.iter().enumerate() {
        let at = At::item("punch_log", i);
        known(index, &e.agent, || at.path("agent"), out);
    }
    for (i, c) in s.punch_corrections.iter().enumerate() {
        let at = At::item("punch_corrections", i);
        if let Some(a) = known(index, &c.agent, || at.path("agent"), out) {
            let rostered = rostered.get(a).copied().flatten();
            correction(month, rostered, (c.date, c.asked_on), at, out);
        }
    }
    punch_rules(
        policy,
        (!s.punch_log.is_empty(), !s.punch_corrections.is_empty()),
        out,
    );
}

/// The problems of leave requests and incidents.
fn scenario_requests_and_incidents(
    s: &Scenario,
    policy: Option<&Policy>,
    index: &HashMap<&str, usize>,
    ck: &mut Check<'_>,
) {
    for (i, r) in s.leave_requests.iter().enumerate() {
        let at = At::item("leave_requests", i);
        if let Some(a) = known(index, &r.agent, || at.path("agent"), &mut ck.out) {
            leave_facts(policy, s.agents.get(a), &r.request, at, &mut ck.out);
        }
        leave(policy, &r.request, at, ck);
    }
    for (i, inc) in s.incidents.iter().enumerate() {
        let at = At::item("incidents", i);
        known(index, &inc.agent, || at.path("agent"), &mut ck.out);
        kind(policy, &inc.kind, at, ck);
    }
}

/// Every problem of one agent's record (a JSON Lines line), with paths
/// from the record.
pub(crate) fn record(
    month: &MonthDays,
    r: &AgentRecord,
    policy: Option<&Policy>,
    suggestions: &Suggestions,
) -> Vec<FactProblem> {
    let mut ck = Check {
        out: Vec::new(),
        suggestions,
    };
    agent(&r.agent, At::top("agent"), policy, &mut ck);
    let mut rostered = Some(0u32);
    for (i, e) in r.roster.iter().enumerate() {
        let at = At::item("roster", i);
        shift(policy, &e.shift, at, &mut ck);
        dates_in_month(month, &e.days, at, &mut ck.out);
        rostered = rostered
            .zip(month.mask(&e.days, &e.except))
            .map(|(x, y)| x | y);
    }
    // The first punch of each day of the month, by its position: a
    // repeated day is told where its first punch is without a search.
    let mut first_punch: [Option<usize>; 31] = [None; 31];
    for (i, p) in r.punches.iter().enumerate() {
        let at = At::item("punches", i);
        let slot = first_punch.get_mut(p.date.day0() as usize);
        if let Some(slot) = slot.filter(|_| month.holds(p.date)) {
            match *slot {
                Some(first) => ck.out.push(twice_punched(at, &r.agent.id, p.date, first)),
                None => *slot = Some(i),
            }
        }
        punch_day(month, rostered, p.date, at, &mut ck.out);
    }
    for (i, c) in r.punch_corrections.iter().enumerate() {
        let at = At::item("punch_corrections", i);
        correction(month, rostered, (c.date, c.asked_on), at, &mut ck.out);
    }
    punch_rules(
        policy,
        (!r.punch_log.is_empty(), !r.punch_corrections.is_empty()),
        &mut ck.out,
    );
    for (i, request) in r.leave_requests.iter().enumerate() {
        let at = At::item("leave_requests", i);
        leave_facts(policy, Some(&r.agent), request, at, &mut ck.out);
        leave(policy, request, at, &mut ck);
    }
    for (i, inc) in r.incidents.iter().enumerate() {
        kind(policy, &inc.kind, At::item("incidents", i), &mut ck);
    }
    ck.out
}

/// The month exists (and the policy's calendar covers it).
pub(crate) fn month(
    header: MonthHeader,
    policy: Option<&Policy>,
    out: &mut Vec<FactProblem>,
) -> Option<MonthDays> {
    let days = MonthDays::new(header, policy);
    if let Some(error) = days.as_ref().and_then(|d| d.uncovered.as_ref()) {
        let mut problem =
            FactProblem::new("month".into(), ProblemCode::OutOfRange, error.to_string());
        problem.help = Some(
            "name a holiday calendar for that year in the policy's `[calendar] calendars`".into(),
        );
        out.push(problem);
    }
    if days.is_none() {
        let message = format!(
            "month `{}-{}` does not exist; months run from 1 to 12",
            header.year, header.month
        );
        out.push(FactProblem::new(
            "month".into(),
            ProblemCode::OutOfRange,
            message,
        ));
    }
    days
}

/// Each agent once, each with what the policy defines.
fn agents<'s>(
    agents: &'s [AgentFacts],
    policy: Option<&Policy>,
    ck: &mut Check<'_>,
) -> HashMap<&'s str, usize> {
    let mut index: HashMap<&str, usize> = HashMap::with_capacity(agents.len());
    for (i, a) in agents.iter().enumerate() {
        let at = At::item("agents", i);
        if let Some(first) = index.insert(a.id.as_str(), i) {
            index.insert(a.id.as_str(), first);
            ck.out.push(
                FactProblem::new(
                    at.path("id"),
                    ProblemCode::Duplicate,
                    format!("agent `{}` is listed twice", a.id),
                )
                .help(format!(
                    "first listed as `agents[{first}]`; give each agent once"
                )),
            );
        }
        agent(a, at, policy, ck);
    }
    index
}

/// The agent's plan, post and level are the policy's.
fn agent(a: &AgentFacts, at: At<'_>, policy: Option<&Policy>, ck: &mut Check<'_>) {
    let (Some(policy), Some(plan_id)) = (policy, a.plan.as_deref()) else {
        return;
    };
    let plans = policy.pay().map(|p| p.plans()).unwrap_or_default();
    let Some(plan) = plans.iter().find(|p| p.id() == plan_id) else {
        let ids = plans.iter().map(|p| p.id());
        ck.undefined(&at.path("plan"), ("plan", plan_id), "`[pay.plans]`", ids);
        return;
    };
    if let Some(post) = a.post.as_deref()
        && plan.posts_clause().is_some()
        && !plan.posts().any(|(p, _)| p == post)
    {
        let ids: Vec<&str> = plan.posts().map(|(p, _)| p).collect();
        let table = format!("plan `{plan_id}`'s posts");
        ck.undefined(&at.path("post"), ("post", post), &table, ids.into_iter());
    }
    if let Some(level) = a.level.as_deref()
        && !plan.levels().is_empty()
        && !plan.levels().iter().any(|l| l.id() == level)
    {
        let ids = plan.levels().iter().map(|l| l.id());
        let table = format!("plan `{plan_id}`'s levels");
        ck.undefined(&at.path("level"), ("level", level), &table, ids);
    }
}

/// The position of a listed agent, or a problem.
fn known(
    index: &HashMap<&str, usize>,
    agent: &str,
    at: impl FnOnce() -> String,
    out: &mut Vec<FactProblem>,
) -> Option<usize> {
    let found = index.get(agent).copied();
    if found.is_none() {
        out.push(
            FactProblem::new(
                at(),
                ProblemCode::UndefinedReference,
                format!("agent `{agent}` is not among the scenario's agents"),
            )
            .help("add them under `[[agents]]` or correct the id"),
        );
    }
    found
}

fn shift(policy: Option<&Policy>, id: &str, at: At<'_>, ck: &mut Check<'_>) {
    let Some(policy) = policy else { return };
    if policy.shift_ref(id).is_none() {
        let types = policy.shifts().map(|s| s.types()).unwrap_or_default();
        let ids = types.iter().map(|t| t.id());
        ck.undefined(&at.path("shift"), ("shift", id), "`[shifts.types]`", ids);
    }
}

fn kind(policy: Option<&Policy>, id: &str, at: At<'_>, ck: &mut Check<'_>) {
    let Some(policy) = policy else { return };
    let rules = policy.discipline();
    if rules.is_some_and(|r| r.resolve_kind(id).is_some()) {
        return;
    }
    let kinds = rules.map(|r| r.kinds()).unwrap_or_default();
    let ids = kinds.iter().map(|k| k.id());
    let table = "`[discipline.kinds]`";
    ck.undefined(&at.path("kind"), ("incident kind", id), table, ids);
}

fn leave(policy: Option<&Policy>, r: &crate::leave::LeaveRequest, at: At<'_>, ck: &mut Check<'_>) {
    if r.to < r.from {
        ck.out.push(
            FactProblem::new(
                at.path("to"),
                ProblemCode::OutOfOrder,
                format!("the leave ends on {} before it starts on {}", r.to, r.from),
            )
            .help("`to` is the last day of leave, on or after `from`"),
        );
    }
    let Some(policy) = policy else { return };
    let rules = policy.leave();
    if rules.is_none_or(|l| l.type_ref(&r.leave_type).is_none()) {
        let types = rules.map(|l| l.types()).unwrap_or_default();
        let ids = types.iter().map(|t| t.id());
        let at = at.path("leave_type");
        ck.undefined(&at, ("leave type", &r.leave_type), "`[leave.types]`", ids);
    }
}

/// An agent who files leave has what its type's rules read: the birth
/// date and sex only for a type whose rules read them (late marriage).
fn leave_facts(
    policy: Option<&Policy>,
    agent: Option<&AgentFacts>,
    r: &crate::leave::LeaveRequest,
    at: At<'_>,
    out: &mut Vec<FactProblem>,
) {
    let Some(a) = agent else { return };
    let reads = policy
        .and_then(|p| p.leave())
        .and_then(|l| l.get(l.type_ref(&r.leave_type)?))
        .and_then(crate::leave::LeaveType::reads_age_and_sex);
    let Some(clause) = reads else { return };
    for (what, missing) in [
        ("birth_date", a.birth_date.is_none()),
        ("sex", a.sex.is_none()),
    ] {
        if missing {
            out.push(
                FactProblem::new(
                    at.path(""),
                    ProblemCode::MissingKey,
                    format!(
                        "agent `{}` files `{}` leave but has no `{what}`, which `{}` reads",
                        a.id,
                        r.leave_type,
                        clause.id()
                    ),
                )
                .help(format!("add `{what}` to the agent")),
            );
        }
    }
}

fn dates_in_month(month: &MonthDays, days: &Days, at: At<'_>, out: &mut Vec<FactProblem>) {
    let Days::Dates(dates) = days else { return };
    for (k, d) in dates.iter().enumerate() {
        if !month.holds(*d) {
            out.push(outside(&at.path(&format!("days[{k}]")), *d, month));
        }
    }
}

/// A punch's date is in the month and, when the roster is known, rostered.
fn punch_day(
    month: &MonthDays,
    rostered: Option<u32>,
    date: NaiveDate,
    at: At<'_>,
    out: &mut Vec<FactProblem>,
) {
    if !month.holds(date) {
        out.push(outside(&at.path("date"), date, month));
    } else if rostered.is_some_and(|mask| mask & (1 << date.day0()) == 0) {
        out.push(
            FactProblem::new(
                at.path("date"),
                ProblemCode::UndefinedReference,
                format!("the punch on {date} has no roster entry that day"),
            )
            .help("roster the shift that day or drop the punch"),
        );
    }
}

/// A correction is for a rostered day of the month, asked on or after it.
fn correction(
    month: &MonthDays,
    rostered: Option<u32>,
    (date, asked_on): (NaiveDate, NaiveDate),
    at: At<'_>,
    out: &mut Vec<FactProblem>,
) {
    punch_day(month, rostered, date, at, out);
    if asked_on < date {
        out.push(
            FactProblem::new(
                at.path("asked_on"),
                ProblemCode::OutOfOrder,
                format!("the correction was asked on {asked_on}, before its shift on {date}"),
            )
            .help("`date` is the shift's date; `asked_on` the day the correction was asked"),
        );
    }
}

/// A punch log needs the policy's `[shifts.punches]`, corrections its
/// `[attendance.corrections]`.
fn punch_rules(
    policy: Option<&Policy>,
    (log, corrections): (bool, bool),
    out: &mut Vec<FactProblem>,
) {
    let Some(policy) = policy else { return };
    if log && policy.shifts().and_then(|s| s.punches()).is_none() {
        out.push(
            FactProblem::new(
                "punch_log[0]".into(),
                ProblemCode::UndefinedReference,
                "the policy states no punch windows, so a punch log cannot be assigned to shifts".into(),
            )
            .help("add `[shifts.punches]` to the policy: how early a check-in, how late a check-out, which punches count"),
        );
    }
    if corrections && policy.attendance().and_then(|a| a.corrections()).is_none() {
        out.push(
            FactProblem::new(
                "punch_corrections[0]".into(),
                ProblemCode::UndefinedReference,
                "the policy states no correction rules, so punch corrections cannot be decided"
                    .into(),
            )
            .help("add `[attendance.corrections]` to the policy: how many a month, and by when"),
        );
    }
}

fn twice_punched(at: At<'_>, agent: &str, date: NaiveDate, first: usize) -> FactProblem {
    let first = At {
        index: Some(first),
        ..at
    }
    .path("");
    FactProblem::new(
        at.path("date"),
        ProblemCode::Duplicate,
        format!("agent `{agent}` has two punches on {date}"),
    )
    .help(format!("the first is `{first}`; give one per day"))
}

fn outside(at: &str, date: NaiveDate, month: &MonthDays) -> FactProblem {
    let (y, m) = (month.header.year, month.header.month);
    FactProblem::new(
        at.to_owned(),
        ProblemCode::OutOfRange,
        format!("{date} is outside the month {y}-{m:02}"),
    )
    .help("the facts are of one month: move the date into it or drop it")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every day of a month is the month's low bits, one a day, for months
    /// of 28 to 31 days; its exceptions are taken out.
    #[test]
    fn every_day_is_a_bit_for_each_day_of_the_month() {
        for (year, month) in [(2026, 2), (2028, 2), (2026, 4), (2026, 5)] {
            let header = MonthHeader {
                year,
                month,
                punctual: false,
            };
            let days = MonthDays::new(header, None).unwrap();
            let all = days.dates.iter().fold(0u32, |m, d| m | 1 << d.day0());
            let every_day = Days::Word(DaysWord::EveryDay);
            assert_eq!(days.mask(&every_day, &[]), Some(all));
            let second = days.dates[1];
            assert_eq!(days.mask(&every_day, &[second]), Some(all & !2));
        }
    }
}
