//! The other side of each stated choice, on small inline policies: pay by
//! month score, one-step promotion, unshared ties, ranks among all agents,
//! repeating streak rewards, uncapped scores (K3, K9, K10, K13).

mod common;

use common::policy_table;
use cs_policy::Policy;
use cs_policy::kpi::{AdjustmentFact, AttendanceCounts, CardFacts, ItemFact, ItemValue};
use cs_policy::pay::{ActionKind, AgentMonth, LevelRef, LineKind, MonthInputs, PastMonth};
use rust_decimal::Decimal;

const POLICY: &str = concat!(
    "\n",
    policy_table!("variants", "Variants"),
    r#"
[kpi.scorecards.card]
total = 100
above_total = "keep"
below_zero = "keep"
[kpi.scorecards.card.items.all]
kind = "points"
max = 100
[kpi.scorecards.card.adjustments.bonus]
kind = "addition"
points = 10
[kpi.scorecards.card.adjustments.penalty]
kind = "deduction"
points = 10
[kpi.scorecards.card.bands]
over = "score"
bounds = "half_open"
rows = [
  { grade = "fail", to = 70, pass = false },
  { grade = "pass", from = 70 },
]

[pay.plans.levels]
scorecard = "card"
[pay.plans.levels.star_levels]
start = "trial"
pay_by = "month_score"
promotion = "one_step"
[pay.plans.levels.star_levels.levels.trial]
base = "1100"
[pay.plans.levels.star_levels.levels.ordinary]
min_score = 80
base = "1100"
assessed_pay = "400"
[pay.plans.levels.star_levels.levels.one_star]
min_score = 90
base = "1100"
assessed_pay = "400"
star_bonus = "200"
[pay.plans.levels.star_levels.levels.two_star]
min_score = 95
base = "1100"
assessed_pay = "400"
star_bonus = "300"
[pay.plans.levels.awards]
among = "all"
ties = "none_awarded"
prizes = [{ rank = 1, amount = "100" }, { rank = 2, amount = "50" }]
[[pay.plans.levels.streaks]]
when = "ranked_first"
months = 2
reward = "20"
repeat = "every_run"
"#
);

fn policy() -> Policy {
    Policy::from_toml_str("variants.toml", POLICY).unwrap()
}

fn month(agent: &str, level: &str, points: i64) -> AgentMonth {
    AgentMonth {
        agent: agent.into(),
        plan: "levels".into(),
        year: 2026,
        month: 2,
        level: Some(level.into()),
        card: CardFacts {
            items: vec![ItemFact {
                item: "all".into(),
                value: ItemValue::Points(points.into()),
            }],
            adjustments: vec![],
        },
        inputs: MonthInputs::default(),
        ..Default::default()
    }
}

fn total(policy: &Policy, m: &AgentMonth) -> String {
    policy.agent_month(m).unwrap().total.to_string()
}

#[test]
fn k9_pay_by_month_score_pays_the_level_the_score_reaches() {
    let p = policy();
    // Held two-star, scored 91: paid as one-star this month.
    assert_eq!(total(&p, &month("A", "two_star", 91)), "1700.00");
    // Held ordinary, scored 96: paid as two-star.
    assert_eq!(total(&p, &month("A", "ordinary", 96)), "1800.00");
    // Below every level's score: paid as the starting level.
    assert_eq!(total(&p, &month("A", "one_star", 75)), "1100.00");
    // A trial agent is paid as trial whatever the score.
    assert_eq!(total(&p, &month("A", "trial", 99)), "1100.00");
}

#[test]
fn k9_one_step_promotion_moves_one_level_at_a_time() {
    let p = policy();
    let s = p.agent_month(&month("A", "trial", 99)).unwrap();
    let ordinary = LevelRef::from_id("ordinary");
    assert_eq!(s.next_level, Some(ordinary));
    assert_eq!(s.actions[0].kind, ActionKind::Promotion { to: ordinary });
}

#[test]
fn k10_ranks_among_all_and_ties_earn_nothing() {
    let p = policy();
    let mut complained = month("A", "ordinary", 95);
    complained.inputs.complaints = 1;
    let team = [
        complained,
        month("B", "ordinary", 90),
        month("C", "ordinary", 90),
        month("D", "ordinary", 80),
    ];
    let out = p.team_month(&team).unwrap();
    let awards: Vec<Vec<String>> = out
        .statements
        .iter()
        .map(|s| {
            s.lines
                .iter()
                .filter(|l| l.kind == LineKind::Award)
                .map(|l| l.amount.to_string())
                .collect()
        })
        .collect();
    // A is first but has a complaint: the 100 is not passed on; B and C tie
    // for second, so nobody gets the 50.
    assert_eq!(awards, [Vec::<String>::new(), vec![], vec![], vec![]]);
}

#[test]
fn k13_every_run_reward_pays_again_each_time_the_run_grows_by_its_length() {
    let p = policy();
    let first = PastMonth {
        score: Some(90.into()),
        rank: Some(1),
        demoted: false,
    };
    let rewards = |history: Vec<PastMonth>| {
        let mut top = month("A", "ordinary", 99);
        top.history = history;
        let out = p.team_month(&[top, month("B", "ordinary", 10)]).unwrap();
        out.statements[0]
            .lines
            .iter()
            .filter(|l| l.kind == LineKind::StreakReward)
            .count()
    };
    assert_eq!(rewards(vec![first]), 1);
    assert_eq!(rewards(vec![first, first]), 0);
    assert_eq!(rewards(vec![first, first, first]), 1);
}

#[test]
fn k3_kept_scores_may_exceed_the_total_or_fall_below_zero() {
    let p = policy();
    let adj = |id: &str, times| AdjustmentFact {
        adjustment: id.into(),
        times,
        points: None,
    };
    let facts = |points: i64, a: AdjustmentFact| CardFacts {
        items: vec![ItemFact {
            item: "all".into(),
            value: ItemValue::Points(points.into()),
        }],
        adjustments: vec![a],
    };
    let high = p
        .score_card(
            "card",
            &facts(100, adj("bonus", 2)),
            &AttendanceCounts::default(),
        )
        .unwrap();
    assert_eq!(high.score, Decimal::from(120));
    assert!(high.passed());
    let low = p
        .score_card(
            "card",
            &facts(5, adj("penalty", 1)),
            &AttendanceCounts::default(),
        )
        .unwrap();
    assert_eq!(low.score, Decimal::from(-5));
    assert!(!low.passed());
}
