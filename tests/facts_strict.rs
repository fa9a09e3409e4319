//! Facts are held to the policy's standard in every format: a float where
//! money goes is `float-money`, an unknown key is refused with the closest
//! known one, and each problem is located (file:line:col for TOML, line
//! and field path for JSON Lines); every problem of a file in one pass.
#![cfg(feature = "jsonl")]

mod common;

use common::located as codes;

use cs_policy::facts::jsonl;
use cs_policy::testing::{CasesError, CasesFile};
use cs_policy::{Policy, ProblemCode, Scenario};

/// Issue 13.4: `commission = 12345678901234.565` would read as …234.56.
#[test]
fn a_float_commission_in_a_scenario_is_float_money_at_its_place() {
    let text = "year = 2026\nmonth = 3\n[[agents]]\nid = \"A\"\ncommission = 12345678901234.565\n";
    let problems = Scenario::from_toml_str("m.scenario.toml", text).unwrap_err();
    assert_eq!(
        codes(&problems),
        [(5, 14, "agents[0].commission", ProblemCode::FloatMoney)]
    );
    let d = &problems.diagnostics()[0];
    assert_eq!(
        d.message,
        "money in `agents[0].commission` is written as a float, which cannot hold every amount exactly"
    );
    assert_eq!(
        d.help.as_deref(),
        Some("write the amount as a string: `\"12345678901234.565\"`")
    );
    let text = text.replace("12345678901234.565", "\"12345678901234.565\"");
    let month = Scenario::from_toml_str("m.scenario.toml", &text).unwrap();
    assert_eq!(month.agents[0].commission.to_string(), "12345678901234.565");
}

/// A KPI item's points are an enum's value (`value = { points = … }`): a
/// float there is named down to the variant, in TOML as in JSON Lines.
#[test]
fn a_float_in_a_variant_is_located_at_the_variant() {
    let text = std::fs::read_to_string("policies/call-centre.scenario.toml").unwrap();
    let text = text.replacen(
        "value = { points = \"25\" }",
        "value = { points = 25.5 }",
        1,
    );
    let problems = Scenario::from_toml_str("c.scenario.toml", &text).unwrap_err();
    let d = &problems.diagnostics()[0];
    assert_eq!(
        (d.code, d.field.as_str()),
        (
            ProblemCode::FloatMoney,
            "agents[0].card.items[0].value.points"
        )
    );
    let line = r#"{"agent": {"id": "A", "card": {"items": [{"item": "service", "value": {"points": 25.5}}]}}}"#;
    let problems = jsonl::read_record("c.jsonl", 2, line).unwrap_err();
    assert_eq!(
        codes(&problems),
        [(
            2,
            line.find("25.5").unwrap() + 1,
            "agent.card.items[0].value.points",
            ProblemCode::FloatMoney
        )]
    );
}

/// What serde or chrono refuses is worded as a policy's problems are:
/// the field named, the right code, the whole value marked, and for a
/// roster's days the closest word.
#[test]
fn values_serde_refuses_name_their_field_in_every_format() {
    type Seen = (ProblemCode, String, Option<String>, String);
    // A span is within the line for JSON Lines, within the file for TOML.
    let seen = |problems: &cs_policy::Problems, text: &str| -> Seen {
        let d = &problems.diagnostics()[0];
        let marked = text.get(d.span.clone()).unwrap_or("").to_owned();
        (d.code, d.message.clone(), d.help.clone(), marked)
    };
    let line = r#"{"agent": {"id": "A"}, "roster": [{"shift": "office", "days": "working_dayz"}]}"#;
    let problems = jsonl::read_record("c.jsonl", 1, line).unwrap_err();
    let days = (
        ProblemCode::InvalidValue,
        "`working_dayz` is not a set of days in `roster[0].days`".to_owned(),
        Some("did you mean `working_days`?".to_owned()),
    );
    let (code, message, help, marked) = seen(&problems, line);
    assert_eq!((code, message, help), days.clone());
    assert_eq!(marked, "\"working_dayz\"");

    let text = "year = 2026\nmonth = 5\n[[roster]]\nagents = [\"A\"]\nshift = \"office\"\ndays = \"working_dayz\"\n[[agents]]\nid = \"A\"\n";
    let problems = Scenario::from_toml_str("c.scenario.toml", text).unwrap_err();
    let (code, message, help, marked) = seen(&problems, text);
    assert_eq!(code, days.0);
    assert!(
        message.starts_with("`working_dayz` is not a set of days in `roster[0]"),
        "{message}"
    );
    assert_eq!(help, days.2);
    assert_eq!(marked, "\"working_dayz\"");

    // A date that does not exist, and a missing key: coded `missing-key`.
    let line =
        r#"{"agent": {"id": "A"}, "incidents": [{"kind": "complaint", "date": "2026-05-47"}]}"#;
    let problems = jsonl::read_record("c.jsonl", 1, line).unwrap_err();
    let (code, message, _, marked) = seen(&problems, line);
    assert_eq!(
        (code, message.as_str(), marked.as_str()),
        (
            ProblemCode::InvalidValue,
            "`incidents[0].date` is not a date or time that exists",
            "\"2026-05-47\""
        )
    );
    let problems = jsonl::read_record("c.jsonl", 1, r#"{"agent": {"plan": "x"}}"#).unwrap_err();
    let d = &problems.diagnostics()[0];
    assert_eq!(
        (d.code, d.message.as_str()),
        (ProblemCode::MissingKey, "missing key `id` in `agent`")
    );
    let text = "year = 2026\nmonth = 5\n[[agents]]\nplan = \"x\"\n";
    let problems = Scenario::from_toml_str("c.scenario.toml", text).unwrap_err();
    let d = &problems.diagnostics()[0];
    assert_eq!(
        (d.code, d.message.as_str()),
        (ProblemCode::MissingKey, "missing key `id` in `agents[0]`")
    );
}

#[test]
fn a_float_in_a_json_line_is_float_money_at_its_line_and_path() {
    let line = r#"{"agent": {"id": "A", "losses": ["1.5", 12345678901234.565]}}"#;
    let problems = jsonl::read_record("m.jsonl", 7, line).unwrap_err();
    assert_eq!(
        codes(&problems),
        [(
            7,
            line.find("1234").unwrap() + 1,
            "agent.losses[1]",
            ProblemCode::FloatMoney
        )]
    );
    assert_eq!(
        problems.diagnostics()[0].help.as_deref(),
        Some("write the amount as a string: `\"12345678901234.565\"`")
    );
}

/// Issue 13.4: `facts.price = 1000000000000000.05` gave a VIP price of
/// …0.00; a float `expect` was compared through f64.
#[test]
fn floats_in_cases_facts_and_expectations_are_float_money() {
    // One problem per case: a case is read as a whole.
    let text = "[[case]]\nname = \"R3\"\nrun = \"vip_price\"\nfacts.completed_purchases = 1\nfacts.price = 1000000000000000.05\n\n[[case]]\nname = \"R3\"\nrun = \"vip_price\"\nexpect = 980000000000000.04\n";
    let err = CasesFile::parse("shop.cases.toml", text).unwrap_err();
    let CasesError::Invalid { problems, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(
        codes(problems),
        [
            (5, 15, "case[0].facts.price", ProblemCode::FloatMoney),
            (10, 10, "case[1].expect", ProblemCode::FloatMoney),
        ]
    );
}

/// Issue 18: `clock_inn` in a case's facts silently turned a late day into
/// an absence.
#[test]
fn an_unknown_key_in_cases_facts_fails_the_case_naming_it() {
    let text = r#"
[[case]]
name = "A1"
run = "attendance_month"
facts = { agent = "li", year = 2026, month = 3, days = [{ date = 2026-03-02, shift = "regular", clock_inn = 2026-03-02T09:10:00, clock_out = 2026-03-02T20:00:00 }] }
expect.days.0.status = "late"
"#;
    let policy = Policy::example("education").unwrap();
    let cases = CasesFile::parse("education.cases.toml", text).unwrap();
    let report = cs_policy::testing::run(&policy, &[cases]).unwrap();
    let shown = report.to_string();
    assert!(!report.passed(), "{shown}");
    assert!(
        shown.contains(
            "facts: `days[0].clock_inn`: unknown key `clock_inn` in `days[0]` (did you mean `clock_in`?)"
        ),
        "{shown}"
    );
}

#[test]
fn unknown_keys_in_a_scenario_are_each_located_with_the_closest_key() {
    let text = "year = 2026\nmonth = 3\n[[agents]]\nid = \"A\"\nplna = \"x\"\n\n[[punches]]\nagent = \"A\"\ndate = \"2026-03-02\"\nclock_in = \"09:00\"\n";
    let problems = Scenario::from_toml_str("m.scenario.toml", text).unwrap_err();
    assert_eq!(
        codes(&problems),
        [
            (5, 1, "agents[0].plna", ProblemCode::UnknownKey),
            (10, 1, "punches[0].clock_in", ProblemCode::UnknownKey),
        ]
    );
    let helps: Vec<_> = problems
        .diagnostics()
        .iter()
        .map(|d| d.help.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(
        helps,
        [
            "did you mean `plan`?",
            "known keys here: `agent`, `date`, `in`, `out`"
        ]
    );
}

#[test]
fn an_unknown_key_in_a_leave_request_is_refused() {
    let text = "year = 2026\nmonth = 3\n[[leave_requests]]\nagent = \"A\"\nleave_type = \"personal\"\nfrom = \"2026-03-02\"\nto = \"2026-03-02\"\nrequested_on = \"2026-03-01\"\nreported_bak = true\n";
    let problems = Scenario::from_toml_str("m.scenario.toml", text).unwrap_err();
    assert_eq!(
        codes(&problems),
        [(
            9,
            1,
            "leave_requests[0].reported_bak",
            ProblemCode::UnknownKey
        )]
    );
}

#[test]
fn an_unknown_key_in_a_json_line_is_refused_at_its_path() {
    let line = r#"{"agent": {"id": "A"}, "punches": [{"date": "2026-03-02", "inn": "09:00"}]}"#;
    let problems = jsonl::read_record("m.jsonl", 3, line).unwrap_err();
    let d = &problems.diagnostics()[0];
    assert_eq!(
        (d.line, d.field.as_str(), d.code),
        (3, "punches[0].inn", ProblemCode::UnknownKey)
    );
    assert_eq!(d.column, line.find("\"inn\"").unwrap() + 1);
    assert_eq!(d.help.as_deref(), Some("did you mean `in`?"));
    let header = jsonl::read_header("m.jsonl", 1, r#"{"year": 2026, "monht": 3}"#).unwrap_err();
    assert_eq!(
        header.diagnostics()[0].help.as_deref(),
        Some("did you mean `month`?")
    );
}

/// Issue 13.5: each problem of the facts, located; all of them, not the
/// first.
#[test]
fn facts_that_do_not_hold_together_are_all_located() {
    let text = "\
year = 2026
month = 3
[[agents]]
id = \"S01\"
plan = \"after_sales\"
[[agents]]
id = \"S01\"
[[roster]]
agents = [\"S01\", \"S09\"]
shift = \"p3_regualr\"
days = [\"2026-03-02\", \"2026-04-01\"]
[[punches]]
agent = \"S01\"
date = \"2026-03-03\"
in = \"09:00\"
[[punches]]
agent = \"S01\"
date = \"2026-03-03\"
in = \"09:00\"
[[leave_requests]]
agent = \"S01\"
leave_type = \"personal\"
from = \"2026-03-20\"
to = \"2026-03-19\"
requested_on = \"2026-03-18\"
[[incidents]]
agent = \"S01\"
kind = \"complaint\"
date = \"2026-03-05\"
";
    let policy = Policy::example("shop").unwrap();
    let problems = Scenario::from_toml_str_for("m.scenario.toml", text, &policy).unwrap_err();
    let found: Vec<(usize, &str)> = problems
        .diagnostics()
        .iter()
        .map(|d| (d.line, d.field.as_str()))
        .collect();
    assert!(found.contains(&(7, "agents[1].id")), "{found:?}");
    assert!(found.contains(&(10, "roster[0].shift")), "{found:?}");
    assert!(found.contains(&(11, "roster[0].days[1]")), "{found:?}");
    // 03-03 is not among the roster's dates.
    assert!(found.contains(&(14, "punches[0].date")), "{found:?}");
    assert!(found.contains(&(9, "roster[0].agents[1]")), "{found:?}");
    assert!(found.contains(&(18, "punches[1].date")), "{found:?}");
    assert!(found.contains(&(24, "leave_requests[0].to")), "{found:?}");
    // A personal day reads no birth date or sex (issue 16.3): an agent
    // without them files it.
    assert!(!found.contains(&(20, "leave_requests[0]")), "{found:?}");
    // Without the policy, what only the policy knows is not checked.
    let problems = Scenario::from_toml_str("m.scenario.toml", text).unwrap_err();
    assert!(
        problems
            .diagnostics()
            .iter()
            .all(|d| d.field != "roster[0].shift")
    );
    // Month 13.
    let problems = Scenario::from_toml_str("m.toml", "year = 2026\nmonth = 13\n").unwrap_err();
    assert_eq!(codes(&problems), [(2, 9, "month", ProblemCode::OutOfRange)]);
}

/// A day punched again and again: each later punch is a duplicate that
/// names the day's first punch, in a scenario and in a JSON line, however
/// many there are (a line of 20,000 punches on one day is checked without
/// searching back for the first).
#[test]
fn each_repeated_punch_of_a_day_names_the_first() {
    let first = "the first is `punches[0]`; give one per day";
    let mut text = String::from("year = 2026\nmonth = 3\n[[agents]]\nid = \"A\"\n");
    for _ in 0..3 {
        text.push_str("[[punches]]\nagent = \"A\"\ndate = 2026-03-02\nin = 09:00:00\n");
    }
    let problems = Scenario::from_toml_str("m.scenario.toml", &text).unwrap_err();
    let twice: Vec<(&str, Option<&str>)> = problems
        .diagnostics()
        .iter()
        .filter(|d| d.code == ProblemCode::Duplicate)
        .map(|d| (d.field.as_str(), d.help.as_deref()))
        .collect();
    assert_eq!(
        twice,
        [
            ("punches[1].date", Some(first)),
            ("punches[2].date", Some(first))
        ]
    );

    // The same on one line of a TOML scenario: each located on its own.
    let punch = r#"{agent = "A", date = 2026-03-02, in = 09:00:00}"#;
    let line = format!("punches = [{}]", vec![punch; 20_000].join(", "));
    let text = format!("year = 2026\nmonth = 3\n{line}\n[[agents]]\nid = \"A\"\n");
    let problems = Scenario::from_toml_str("m.scenario.toml", &text).unwrap_err();
    let twice: Vec<_> = problems
        .diagnostics()
        .iter()
        .filter(|d| d.code == ProblemCode::Duplicate)
        .collect();
    assert_eq!(twice.len(), 19_999);
    let last = twice[19_998];
    assert_eq!((last.field.as_str(), last.line), ("punches[19999].date", 3));
    assert_eq!(last.column, line.rfind("date").unwrap() + 1);

    let punch = r#"{"date": "2026-03-02", "in": "09:00"}"#;
    let punches = vec![punch; 20_000].join(", ");
    let line = format!(r#"{{"agent": {{"id": "A"}}, "punches": [{punches}]}}"#);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.jsonl");
    std::fs::write(&path, format!("{{\"year\": 2026, \"month\": 3}}\n{line}\n")).unwrap();
    let bad = jsonl::check_file(&path, None).unwrap_err();
    let twice: Vec<_> = bad[0]
        .diagnostics()
        .iter()
        .filter(|d| d.code == ProblemCode::Duplicate)
        .collect();
    assert_eq!(twice.len(), 19_999);
    assert!(twice.iter().all(|d| d.help.as_deref() == Some(first)));
    assert_eq!(twice[19_998].field, "punches[19999].date");
    // Each is marked at its own punch's key, not the first punch's.
    assert_eq!(twice[19_998].column, line.rfind("\"date\"").unwrap() + 1);
    let second = line.match_indices("\"date\"").nth(1).unwrap().0;
    assert_eq!((twice[0].column, twice[0].span.len()), (second + 1, 6));
    // The report shows each problem's stretch of the one long line (each
    // punch is also unrostered), clipped around its own key: the line is
    // read once, not once per problem.
    let report = bad[0].render();
    assert_eq!(report.matches("\n2 | ").count(), 19_999 + 20_000);
    assert!(report.ends_with("= help: the first is `punches[0]`; give one per day\n"));
    let last = report.rsplit("\n2 | …").next().unwrap();
    let (shown, rest) = last.split_once('\n').unwrap();
    let caret = rest.lines().next().unwrap();
    assert!(line.ends_with(shown));
    assert_eq!(caret.trim_start_matches([' ', '|']), "^^^^^^");
    let under: String = format!("…{shown}")
        .chars()
        .skip(caret.find('^').unwrap() - 4)
        .take(6)
        .collect();
    assert_eq!(under, "\"date\"");
}

/// A facts file naming undefined shifts against a policy of 2,000 shift
/// types costs its length: each suggestion looks through every type, so
/// once the file has looked through its budget (2^20 names, shared by all
/// its lines) a problem says where the ids are defined instead.
#[test]
fn suggestions_for_undefined_ids_stop_once_a_file_has_spent_its_budget() {
    let mut text = common::example_text("shop").to_owned();
    for i in 0..2_000 {
        text.push_str(&format!(
            "\n[shifts.types.extra_{i:04}]\nlabel = \"x\"\nsource = \"x\"\nstart = 09:00:00\nend = 18:00:00\n"
        ));
    }
    let policy = Policy::from_toml_str("many.toml", &text).unwrap();
    let mut facts = String::from("{\"year\": 2026, \"month\": 3}\n");
    for i in 0..300 {
        facts.push_str(&format!(
            "{{\"agent\": {{\"id\": \"A{i}\"}}, \"roster\": [{{\"shift\": \"extra_0001x\", \"days\": \"every_day\"}}]}}\n"
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.jsonl");
    std::fs::write(&path, facts).unwrap();
    let bad = jsonl::check_file(&path, Some(&policy)).unwrap_err();
    let helps: Vec<&str> = bad
        .iter()
        .map(|p| p.diagnostics()[0].help.as_deref().unwrap())
        .collect();
    assert_eq!(helps.len(), 300);
    // Each looked through 2,004 types: 2 × 2,004 names of the budget.
    let affordable = (1 << 20) / (2 * 2_004);
    assert!(
        helps[..affordable]
            .iter()
            .all(|h| *h == "did you mean `extra_0001`?")
    );
    assert!(
        helps[affordable..]
            .iter()
            .all(|h| *h == "the ids defined are those of `[shifts.types]`")
    );
}

/// Issue 13.3: a scenario with 100 bad agents was read again for every
/// problem (15 s for 2.5 MB) and problems past about 100 were dropped.
/// Read once, every problem is reported.
#[test]
fn every_bad_agent_of_a_large_scenario_is_reported() {
    let mut text = String::from("year = 2026\nmonth = 3\n");
    for i in 0..20_000 {
        let bad = i % 100 == 0;
        text.push_str(&format!(
            "\n[[agents]]\nid = \"A{i}\"\nseniority_years = {}\n",
            if bad { "\"x\"" } else { "3" }
        ));
    }
    let problems = Scenario::from_toml_str("big.scenario.toml", &text).unwrap_err();
    assert_eq!(problems.len(), 200);
    let last = problems.diagnostics().last().unwrap();
    assert_eq!(last.field, "agents[19900].seniority_years");
}

/// Issue 18: `check` called a cases file with `clock_inn` valid; read
/// against the policy, each case's facts are checked by the types its
/// evaluation reads, the problem located at the case.
#[test]
fn check_finds_an_unknown_key_in_cases_facts_at_its_case() {
    let text = "[[case]]\nname = \"fine\"\nrun = \"calendar_day\"\nfacts.date = 2026-01-01\nexpect.kind = \"holiday\"\n\n[[case]]\nname = \"A1\"\nrun = \"attendance_month\"\nfacts = { agent = \"li\", year = 2026, month = 3, days = [{ date = 2026-03-02, shift = \"regular\", clock_inn = 2026-03-02T09:10:00 }] }\nexpect.days.0.status = \"late\"\n";
    let policy = Policy::example("education").unwrap();
    let cases = CasesFile::parse("education.cases.toml", text).unwrap();
    let problems = cases.check_facts(&policy).unwrap_err();
    assert_eq!(
        codes(&problems),
        [(7, 1, "case[1].facts", ProblemCode::InvalidValue)]
    );
    assert!(
        problems.diagnostics()[0]
            .message
            .contains("unknown key `clock_inn` in `days[0]` (did you mean `clock_in`?)"),
        "{problems}"
    );
}

/// Issue 16.3: a marriage's age rule reads the birth date and sex; an agent
/// without them is told which leave type and which clause need them.
#[test]
fn a_marriage_request_without_birth_date_names_the_type_and_clause() {
    let text = "\
year = 2026
month = 4
[[agents]]
id = \"T01\"
joined_on = \"2020-01-01\"
[[leave_requests]]
agent = \"T01\"
leave_type = \"marriage\"
from = \"2026-04-20\"
to = \"2026-04-22\"
requested_on = \"2026-04-01\"
married_on = \"2026-04-18\"
";
    let policy = Policy::example("education").unwrap();
    let problems = Scenario::from_toml_str_for("m.scenario.toml", text, &policy).unwrap_err();
    let messages: Vec<String> = problems
        .diagnostics()
        .iter()
        .map(|d| d.message.clone())
        .collect();
    assert!(
        messages.iter().any(|m| m
            == "agent `T01` files `marriage` leave but has no `birth_date`, which `leave.types.marriage.entitlement` reads"),
        "{messages:?}"
    );
}

/// Facts files take TOML's own dates and times, as policy files do: the
/// shop scenario with its dates and punches written unquoted gives the same
/// statements as the shipped, quoted one.
#[test]
fn unquoted_toml_dates_and_times_in_a_scenario_read_as_quoted_ones() {
    let policy = Policy::example("shop").unwrap();
    let quoted = include_str!("../policies/shop.scenario.toml");
    let mut unquoted = String::new();
    let mut changed = 0;
    for line in quoted.lines() {
        let bare = [
            "date = \"",
            "birth_date = \"",
            "clock_in = \"",
            "clock_out = \"",
        ]
        .iter()
        .any(|key| line.starts_with(key));
        if bare {
            changed += 1;
            unquoted.push_str(&line.replace('"', ""));
        } else {
            unquoted.push_str(line);
        }
        unquoted.push('\n');
    }
    assert!(changed >= 4, "{changed} lines unquoted");
    let a = Scenario::from_toml_str("q.scenario.toml", quoted).unwrap();
    let b = Scenario::from_toml_str("u.scenario.toml", &unquoted).unwrap();
    let (a, b) = (
        policy.team_statement(&a).unwrap(),
        policy.team_statement(&b).unwrap(),
    );
    assert_eq!(a, b);
    // A date and time where a date goes is still refused, at its place.
    let wrong = quoted.replacen("date = \"2026-03-03\"", "date = 2026-03-03T10:00:00", 1);
    let problems = Scenario::from_toml_str("w.scenario.toml", &wrong).unwrap_err();
    assert_eq!(problems.diagnostics()[0].code, ProblemCode::InvalidValue);
}

/// Every object and value of a JSON line, by field path, as problems name
/// them: `(path, is an object)`.
fn places(value: &serde_json::Value, path: &str, out: &mut Vec<(String, serde_json::Value)>) {
    let join = |key: &str| match path {
        "" => key.to_owned(),
        _ => format!("{path}.{key}"),
    };
    match value {
        serde_json::Value::Object(map) => {
            out.push((path.to_owned(), value.clone()));
            map.iter().for_each(|(k, v)| places(v, &join(k), out));
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                places(v, &format!("{path}[{i}]"), out);
            }
        }
        _ => out.push((path.to_owned(), value.clone())),
    }
}

/// `value` with the value at `path` changed by `change`.
fn edited(
    value: &serde_json::Value,
    path: &str,
    change: impl Fn(&mut serde_json::Value),
) -> serde_json::Value {
    let mut copy = value.clone();
    let pointer: String = path
        .replace('[', ".")
        .replace(']', "")
        .split('.')
        .filter(|p| !p.is_empty())
        .map(|p| format!("/{p}"))
        .collect();
    change(copy.pointer_mut(&pointer).unwrap());
    copy
}

/// Every agent line of every shipped scenario, and one with a raw punch
/// log, corrections and a birth besides.
fn shipped_lines() -> Vec<String> {
    let mut lines = Vec::new();
    for name in ["shop", "education", "property", "fintech", "call-centre"] {
        let path = format!("policies/{name}.scenario.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        let month = Scenario::from_toml_str(&path, &text).unwrap();
        let mut out = Vec::new();
        jsonl::write_scenario(&month, &mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        lines.extend(out.lines().skip(1).map(str::to_owned));
    }
    lines.push(
        r#"{"agent": {"id": "L1"}, "punch_log": [{"time": "2026-03-02 08:57", "direction": "in", "device": "D1"}], "punch_corrections": [{"date": "2026-03-02", "punch": "out", "time": "18:00", "asked_on": "2026-03-03", "approved": true}], "leave_requests": [{"leave_type": "maternity", "from": "2026-03-02", "to": "2026-03-20", "requested_on": "2026-02-01", "birth": {"date": "2026-03-10", "babies": 2, "difficult": true}}]}"#
            .to_owned(),
    );
    lines
}

/// Lines are read without the strict layer when they read as they are:
/// that holds only if every facts struct refuses an unknown key and every
/// value a float, at every place. An unknown key in each object, and a
/// float for each value, of every shipped agent line is refused, where it
/// stands.
#[test]
fn every_place_of_a_json_line_refuses_an_unknown_key_and_a_float() {
    let (mut objects, mut values) = (0, 0);
    for line in shipped_lines() {
        jsonl::read_record("m.jsonl", 2, &line).unwrap();
        let whole: serde_json::Value = serde_json::from_str(&line).unwrap();
        let mut all = Vec::new();
        places(&whole, "", &mut all);
        for (path, value) in all {
            if value.is_object() {
                objects += 1;
                let bad = edited(&whole, &path, |v| {
                    v.as_object_mut()
                        .unwrap()
                        .insert("zz_unknown".into(), 0.into());
                });
                let problems = jsonl::read_record("m.jsonl", 2, &bad.to_string())
                    .map(|_| format!("accepted at `{path}`"))
                    .unwrap_err();
                let field = &problems.diagnostics()[0].field;
                assert!(field.starts_with(&path), "{field} outside {path}: {bad}");
            } else if value.is_string() || value.is_number() {
                values += 1;
                let bad = edited(&whole, &path, |v| *v = serde_json::json!(12.5));
                let problems = jsonl::read_record("m.jsonl", 2, &bad.to_string())
                    .map(|_| format!("accepted at `{path}`"))
                    .unwrap_err();
                let d = &problems.diagnostics()[0];
                // A variant's value too is located at its own path
                // (`card.items[0].value.points`), not at its enum.
                assert_eq!(d.field, path, "{bad}");
                let money = value
                    .as_str()
                    .is_some_and(|s| s.parse::<rust_decimal::Decimal>().is_ok());
                if money {
                    assert_eq!(d.code, ProblemCode::FloatMoney, "{bad}");
                }
            }
        }
    }
    assert!(
        objects > 200 && values > 300,
        "{objects} objects, {values} values"
    );
}
