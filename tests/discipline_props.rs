//! Property tests of the discipline ladders (F1–F9 machinery).

mod common;

use chrono::NaiveDate;
use common::policy_table;
use cs_policy::discipline::{Effect, Incident};
use cs_policy::{Policy, ProblemCode};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// Kinds of the shop example, with the discretionary range where there is one.
const SHOP_KINDS: &[(&str, Option<(i64, i64)>)] = &[
    ("complaint", None),
    ("complaint_part3", Some((0, 200))),
    ("complaint_part2", None),
    ("off_task", None),
    ("off_task_part1", None),
    ("off_task_part2", None),
    ("disclosure", None),
    ("unmarked_order", None),
    ("praise", None),
    ("data_error_found", None),
    ("suggestion_accepted", None),
];

fn incident() -> impl Strategy<Value = Incident> {
    (0..3usize, 0..SHOP_KINDS.len(), 0..365u64, 0..=20_000i64).prop_map(
        |(agent, kind, day, cents)| {
            let (id, range) = SHOP_KINDS[kind];
            let date = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Days::new(day);
            let mut i = Incident::new(format!("agent {agent}"), id, date);
            if let Some((lo, hi)) = range {
                let v = Decimal::new(cents, 2).clamp(Decimal::from(lo), Decimal::from(hi));
                i.value = Some(v);
            }
            i
        },
    )
}

proptest! {
    /// For any sequence of incidents, the total equals the sum of the lines,
    /// and the fund totals add up to the fines and rewards.
    #[test]
    fn total_equals_sum_of_lines(incidents in prop::collection::vec(incident(), 0..60)) {
        let policy = Policy::example("shop").unwrap();
        let s = policy.discipline_statement(&incidents).unwrap();
        prop_assert_eq!(s.lines().len(), incidents.len());
        let sum: Decimal = s.lines().iter().map(|l| l.signed()).sum();
        prop_assert_eq!(s.total(), sum);
        prop_assert_eq!(s.rewards_total() - s.fines_total(), s.total());
        let fund_fines: Decimal = s.fund_totals().iter().map(|f| f.fines).sum();
        let fund_rewards: Decimal = s.fund_totals().iter().map(|f| f.rewards).sum();
        prop_assert_eq!(fund_fines, s.fines_total());
        prop_assert_eq!(fund_rewards, s.rewards_total());
        prop_assert!(s.lines().windows(2).all(|w| w[0].date <= w[1].date));
        prop_assert!(s.lines().iter().all(|l| !l.amount.is_sign_negative()));
        // A month's statement is the same lines restricted to that month.
        let march = policy.discipline_month(2026, 3, &incidents).unwrap();
        let from_all: Vec<_> = s.lines().iter().filter(|l| l.date.format("%m").to_string() == "03").cloned().collect();
        prop_assert_eq!(march.lines(), &from_all[..]);
        let month_sum: Decimal = march.lines().iter().map(|l| l.signed()).sum();
        prop_assert_eq!(march.total(), month_sum);
    }
}

fn past_end_rule() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\"repeat_last\"".to_owned()),
        (0..500i64).prop_map(|a| format!("{{ add = {a} }}")),
        (100..=300i64).prop_map(|f| format!("{{ multiply = \"{}\" }}", Decimal::new(f, 2))),
        // A stated step past the end, above every generated step (< 1000).
        (1000..1500i64).prop_map(|a| format!("{{ amount = {a} }}")),
    ]
}

fn ladder_toml(steps: &[i64], past_end: &str, mode: &str) -> String {
    let steps: Vec<String> = steps
        .iter()
        .map(|c| format!("{{ amount = \"{}\" }}", Decimal::new(*c, 2)))
        .collect();
    format!(
        concat!(
            policy_table!("p", "P"),
            r#"
[funds.activity]

[discipline]
fund = "activity"

[discipline.ladders.x]
window = "calendar_month"
step_amounts = "{mode}"
steps = [{}]
past_end = {past_end}
"#
        ),
        steps.join(", "),
        mode = mode,
        past_end = past_end,
    )
}

proptest! {
    /// Along a non-decreasing ladder each occurrence costs at least the one
    /// before, on the ladder and past its end, whatever the past-end rule.
    #[test]
    fn non_decreasing_ladder_never_gets_cheaper(
        mut cents in prop::collection::vec(0..100_000i64, 1..6),
        past_end in past_end_rule(),
        n in 1..25usize,
    ) {
        cents.sort_unstable();
        let text = ladder_toml(&cents, &past_end, "all_paid");
        let policy = Policy::from_toml_str("p.toml", &text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let incidents: Vec<_> = (0..n).map(|_| Incident::new("a", "x", day)).collect();
        let s = policy.discipline_statement(&incidents).unwrap();
        prop_assert!(s.lines().iter().all(|l| l.effect == Effect::Fine));
        for w in s.lines().windows(2) {
            prop_assert!(w[0].amount <= w[1].amount, "{} then {}", w[0].amount, w[1].amount);
        }
        for (i, line) in s.lines().iter().enumerate().take(cents.len()) {
            prop_assert_eq!(line.amount, Decimal::new(cents[i], 2));
        }
    }

    /// With `total_so_far`, what the window has cost so far equals the step
    /// reached (on the ladder), and never decreases.
    #[test]
    fn total_so_far_pays_the_step_reached(
        mut cents in prop::collection::vec(0..100_000i64, 1..6),
        n in 1..12usize,
    ) {
        cents.sort_unstable();
        let text = ladder_toml(&cents, "\"repeat_last\"", "total_so_far");
        let policy = Policy::from_toml_str("p.toml", &text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let incidents: Vec<_> = (0..n).map(|_| Incident::new("a", "x", day)).collect();
        let s = policy.discipline_statement(&incidents).unwrap();
        let reached = cents[n.min(cents.len()) - 1];
        prop_assert_eq!(s.fines_total(), Decimal::new(reached, 2));
        prop_assert!(s.lines().iter().all(|l| !l.amount.is_sign_negative()));
    }

    /// A ladder with any step lower than an earlier one is rejected unless it
    /// says `allow_decrease = true`.
    #[test]
    fn decreasing_ladder_is_out_of_order(
        mut cents in prop::collection::vec(1..100_000i64, 2..6),
        at in 1..6usize,
    ) {
        cents.sort_unstable();
        let at = at.min(cents.len() - 1);
        cents[at] = cents[at - 1] - 1;
        let text = ladder_toml(&cents, "\"repeat_last\"", "all_paid");
        let problems = Policy::from_toml_str("p.toml", &text).unwrap_err();
        let codes: Vec<_> = problems.diagnostics().iter().map(|d| d.code).collect();
        prop_assert_eq!(codes, vec![ProblemCode::OutOfOrder]);
        let allowed = text.replace("step_amounts", "allow_decrease = true\nstep_amounts");
        prop_assert!(Policy::from_toml_str("p.toml", &allowed).is_ok());
    }
}
