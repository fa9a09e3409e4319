//! Counting windows, past-end rules and step sums (the F gaps a policy must
//! settle: RULES.md "what the 4th occurrence costs", "whether the count resets").

mod common;

use chrono::NaiveDate;
use common::policy_table;
use cs_policy::Policy;
use cs_policy::discipline::{Incident, PastEnd, Rule, StepAmount, Window};
use rust_decimal::Decimal;

fn policy(ladder: &str) -> Policy {
    load(ladder).unwrap_or_else(|e| panic!("{e}"))
}

fn load(ladder: &str) -> Result<Policy, cs_policy::Problems> {
    let text = format!(
        concat!(
            policy_table!("w", "W"),
            r#"
[funds.activity]

[discipline]
fund = "activity"

[discipline.ladders.x]
source = "test"
{ladder}
"#
        ),
        ladder = ladder
    );
    Policy::from_toml_str("w.toml", &text)
}

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).unwrap()
}

fn costs(policy: &Policy, dates: &[NaiveDate]) -> Vec<Decimal> {
    let incidents: Vec<_> = dates.iter().map(|d| Incident::new("a", "x", *d)).collect();
    let s = policy.discipline_statement(&incidents).unwrap();
    s.lines().iter().map(|l| l.amount).collect()
}

fn yuan(v: &[i64]) -> Vec<Decimal> {
    v.iter().map(|n| Decimal::from(*n)).collect()
}

const F1_STEPS: &str = r#"step_amounts = "all_paid"
steps = [{ amount = 50 }, { amount = 100 }, { amount = 200 }]
past_end = "repeat_last""#;

#[test]
fn f1_quarter_window_restarts_in_april() {
    let p = policy(&format!("window = \"quarter\"\n{F1_STEPS}"));
    assert_eq!(
        costs(&p, &[d(1, 5), d(3, 31), d(4, 1), d(6, 30)]),
        yuan(&[50, 100, 50, 100])
    );
}

#[test]
fn f1_calendar_year_window() {
    let p = policy(&format!("window = \"calendar_year\"\n{F1_STEPS}"));
    assert_eq!(
        costs(&p, &[d(1, 5), d(12, 31), d(12, 31)]),
        yuan(&[50, 100, 200])
    );
}

#[test]
fn f4_rolling_window_counts_the_last_n_days() {
    let p = policy(&format!("window = {{ rolling_days = 30 }}\n{F1_STEPS}"));
    let rules = p.discipline().unwrap();
    assert_eq!(rules.kinds()[0].window(), Window::RollingDays(30));
    // 1 March and 30 March are 30 days apart inclusive: second offence.
    // 31 March is 30 days after 1 March: the 1 March offence has left the window.
    assert_eq!(
        costs(&p, &[d(3, 1), d(3, 30), d(3, 31), d(6, 1)]),
        yuan(&[50, 100, 100, 50])
    );
}

#[test]
fn f1_past_end_adds_a_stated_amount_each_time() {
    let p = policy(
        r#"window = "calendar_month"
step_amounts = "all_paid"
steps = [{ amount = 50 }, { amount = 100 }, { amount = 200 }]
past_end = { add = 100, label = "每次再加100" }"#,
    );
    let dates = [d(3, 1), d(3, 2), d(3, 3), d(3, 4), d(3, 5)];
    assert_eq!(costs(&p, &dates), yuan(&[50, 100, 200, 300, 400]));
    let incidents: Vec<_> = dates.iter().map(|d| Incident::new("a", "x", *d)).collect();
    let s = p.discipline_statement(&incidents).unwrap();
    let fifth = &s.lines()[4];
    assert_eq!((fifth.step, fifth.beyond), (None, 2));
    assert_eq!(fifth.clause.id(), "discipline.ladders.x.past_end");
    assert_eq!(p.clause(fifth.clause).unwrap().label(), Some("每次再加100"));
    assert_eq!(p.clause(fifth.clause).unwrap().source(), Some("test"));
}

#[test]
fn f1_past_end_multiplies_and_rounds_to_the_fen() {
    let p = policy(
        r#"window = "calendar_month"
step_amounts = "all_paid"
steps = [{ amount = "33.33" }]
past_end = { multiply = "1.5" }"#,
    );
    let got = costs(&p, &[d(3, 1), d(3, 2), d(3, 3)]);
    assert_eq!(got[1].to_string(), "50.00"); // 49.995 half away from zero
    assert_eq!(got[2].to_string(), "74.99"); // 74.9925
}

#[test]
fn f4_past_end_states_a_dismissal_review() {
    let p = policy(
        r#"window = "ever"
step_amounts = "all_paid"
steps = [{ amount = 10 }, { amount = 30 }]
past_end = { amount = 30, actions = ["dismissal_review"] }"#,
    );
    let rules = p.discipline().unwrap();
    let Rule::Ladder(ladder) = rules.kinds()[0].rule() else {
        panic!("a ladder")
    };
    let PastEnd::Stated(step) = ladder.past_end() else {
        panic!("a stated step")
    };
    assert_eq!(step.amount(), StepAmount::Fixed(Decimal::from(30)));
    let incidents: Vec<_> = [d(1, 1), d(5, 1), d(9, 1), d(12, 1)]
        .iter()
        .map(|d| Incident::new("a", "x", *d))
        .collect();
    let s = p.discipline_statement(&incidents).unwrap();
    let reviews: Vec<_> = s.actions().map(|a| a.date).collect();
    assert_eq!(reviews, [d(9, 1), d(12, 1)]);
}

#[test]
fn f1_total_so_far_reading_pays_only_what_each_step_adds() {
    // The other reading of 累计: the third complaint brings the month to 200.
    let p = policy(
        r#"window = "calendar_month"
step_amounts = "total_so_far"
steps = [{ amount = 50 }, { amount = 100 }, { amount = 200 }]
past_end = "repeat_last""#,
    );
    assert_eq!(
        costs(&p, &[d(3, 1), d(3, 2), d(3, 3), d(3, 4)]),
        yuan(&[50, 50, 100, 0])
    );
}

#[test]
fn discretionary_step_on_a_ladder() {
    // K3-style discretion: the first step is chosen between 5 and 20.
    let p = policy(
        r#"window = "calendar_month"
step_amounts = "all_paid"
steps = [{ min = 5, max = 20 }, { min = 20, max = 50 }]
past_end = "repeat_last""#,
    );
    let incidents = vec![
        Incident::new("a", "x", d(3, 1)).with_value(Decimal::from(5)),
        Incident::new("a", "x", d(3, 2)).with_value(Decimal::from(50)),
        Incident::new("a", "x", d(3, 3)).with_value(Decimal::from(20)),
    ];
    let s = p.discipline_statement(&incidents).unwrap();
    assert_eq!(s.fines_total(), Decimal::from(75));
    let bad = vec![
        Incident::new("a", "x", d(3, 1)).with_value(Decimal::from(5)),
        Incident::new("a", "x", d(3, 2)).with_value(Decimal::from(19)),
    ];
    assert!(p.discipline_statement(&bad).is_err());
}

#[test]
fn multiplying_forever_overflows_with_an_error_not_a_panic() {
    let p = policy(
        r#"window = "ever"
step_amounts = "all_paid"
steps = [{ amount = 1000000 }]
past_end = { multiply = 1000 }"#,
    );
    let incidents: Vec<_> = (0..40).map(|_| Incident::new("a", "x", d(3, 1))).collect();
    let err = p.discipline_statement(&incidents).unwrap_err();
    // 1000000 × 1000^8 = 10^30, past a decimal's 7.9 × 10^28: the ninth
    // occurrence names its computation.
    assert_eq!(
        err.to_string(),
        "incident 8 (a, 2026-03-01, `x`) is occurrence 9: the amount `1000000` × `1000`^8 overflows; check the ladder's amounts and the incidents"
    );
}

#[test]
fn an_amount_whose_worst_month_is_too_large_is_a_check_error() {
    // 31 incidents a month, one a day, at 5 × 10^28 each: no statement
    // could hold it, so the policy does not load.
    let problems = load(
        r#"window = "ever"
each = { amount = "50000000000000000000000000000" }"#,
    )
    .unwrap_err();
    let found = problems.diagnostics();
    assert_eq!(found.len(), 1, "{problems}");
    assert_eq!(
        (found[0].line, found[0].field.as_str()),
        (17, "discipline.ladders.x.each.amount")
    );
    assert!(
        found[0].message.contains("too large for a month"),
        "{}",
        found[0].message
    );
}
