//! Monthly statements of one agent: pay lines, totals and bad facts
//! (K4, K5, K9, K15, K16, A6, A10).

mod common;

use common::{dec as d, grade, points, rating};
use cs_policy::Policy;
use cs_policy::kpi::{AdjustmentFact, AttendanceCounts, CardFacts, ItemFact, ItemValue};
use cs_policy::pay::{
    ActionKind, AgentMonth, Because, LineKind, PayError, Statement, StatementLine,
};
use rust_decimal::Decimal;

/// K1 card: 20, 30, 15, 15, 10 and the attendance item (15 with one late).
fn shop_month(post: &str, adjustments: Vec<AdjustmentFact>) -> AgentMonth {
    AgentMonth {
        agent: "S01".into(),
        plan: "after_sales".into(),
        year: 2026,
        month: 3,
        post: Some(post.into()),
        card: CardFacts {
            items: vec![
                grade("quality", "excellent"),
                ItemFact {
                    item: "refund_rate".into(),
                    value: ItemValue::Metric(d("3")),
                },
                grade("disputes", "good"),
                grade("cooperation", "good"),
                grade("execution", "fair"),
            ],
            adjustments,
        },
        inputs: cs_policy::pay::MonthInputs {
            attendance: AttendanceCounts {
                late: 1,
                ..Default::default()
            },
            ..Default::default()
        },
        ..Default::default()
    }
}

fn amounts(s: &Statement) -> Vec<(LineKind, String)> {
    s.lines
        .iter()
        .map(|l| (l.kind, l.amount.to_string()))
        .collect()
}

fn balanced(s: &Statement) {
    let sum: Decimal = s.lines.iter().map(|l| l.amount).sum();
    assert_eq!(s.total, sum);
}

#[test]
fn k1_k4_card_of_104_points_earns_a_bonus_of_800() {
    let policy = Policy::example("shop").unwrap();
    let adjustments = vec![
        AdjustmentFact {
            adjustment: "low_review".into(),
            times: 1,
            points: None,
        },
        AdjustmentFact {
            adjustment: "praise".into(),
            times: 2,
            points: None,
        },
    ];
    let s = policy
        .agent_month(&shop_month("agent", adjustments))
        .unwrap();
    assert_eq!(s.score.as_ref().unwrap().score, d("104"));
    assert_eq!(
        amounts(&s),
        [
            (LineKind::Base, "2000.00".into()),
            (LineKind::KpiBonus, "800.00".into())
        ]
    );
    assert_eq!(s.total.to_string(), "2800.00");
    balanced(&s);
    let bonus = &s.lines[1];
    assert_eq!(bonus.clause.id(), "pay.plans.after_sales.kpi_bonus");
    assert_eq!(
        bonus.because,
        Because::Score {
            score: d("104"),
            total: d("130"),
            pool: d("1000")
        }
    );
}

/// 110 from the items (no late), less a discretionary complaint deduction.
fn shop_score(score: i64) -> AgentMonth {
    let mut m = shop_month("agent", vec![]);
    m.inputs.attendance = AttendanceCounts::default();
    let deduct = 110 - score;
    m.card.adjustments = vec![AdjustmentFact {
        adjustment: "complaint".into(),
        times: 1,
        points: Some(deduct.into()),
    }];
    m
}

#[test]
fn k4_exactly_70_percent_91_of_130_passes_with_700() {
    let policy = Policy::example("shop").unwrap();
    let s = policy.agent_month(&shop_score(91)).unwrap();
    assert_eq!(s.lines[1].amount.to_string(), "700.00");
    assert_eq!(s.total.to_string(), "2700.00");
}

#[test]
fn k4_90_of_130_is_below_the_pass_line_and_earns_no_bonus() {
    let policy = Policy::example("shop").unwrap();
    let s = policy.agent_month(&shop_score(90)).unwrap();
    let bonus = &s.lines[1];
    assert_eq!(
        (bonus.kind, bonus.amount.to_string()),
        (LineKind::KpiBonus, "0.00".into())
    );
    assert!(matches!(bonus.because, Because::Failed { .. }));
    // The zero cites the failing band.
    assert_eq!(
        bonus.clause.id(),
        "kpi.scorecards.after_sales.bands.rows[0]"
    );
    assert_eq!(s.total.to_string(), "2000.00");
}

#[test]
fn k4_base_pay_by_post_2000_2500_3000() {
    let policy = Policy::example("shop").unwrap();
    for (post, base) in [
        ("agent", "2000.00"),
        ("senior", "2500.00"),
        ("team_lead", "3000.00"),
    ] {
        let mut m = shop_score(91);
        m.post = Some(post.into());
        let s = policy.agent_month(&m).unwrap();
        assert_eq!(s.lines[0].amount.to_string(), base, "{post}");
        assert_eq!(
            s.lines[0].clause.id(),
            "pay.plans.after_sales.base",
            "{post}"
        );
    }
    let mut m = shop_score(91);
    m.post = Some("intern".into());
    let err = policy.agent_month(&m).unwrap_err();
    assert_eq!(
        err.to_string(),
        "agent `S01`: post `intern` has no base pay in plan `after_sales`; give one of: agent, senior, team_lead"
    );
}

fn front_desk(score: &str) -> AgentMonth {
    AgentMonth {
        agent: "F01".into(),
        plan: "front_desk".into(),
        year: 2026,
        month: 3,
        card: CardFacts {
            items: vec![points("assessment", score)],
            adjustments: vec![],
        },
        ..Default::default()
    }
}

#[test]
fn k5_performance_pay_share_at_98_97_90_86_85() {
    let policy = Policy::example("property").unwrap();
    for (score, pay) in [
        ("98", "1000.00"),
        ("97", "1000.00"),
        ("90", "800.00"),
        ("86", "800.00"),
        ("85", "0.00"),
    ] {
        let s = policy.agent_month(&front_desk(score)).unwrap();
        assert_eq!(
            amounts(&s),
            [(LineKind::PerformancePay, pay.to_owned())],
            "{score}"
        );
        balanced(&s);
    }
    let err = policy.agent_month(&front_desk("97.5")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "agent `F01`: the score `97.5` is not a whole number, and the card's bands are on whole numbers"
    );
}

fn star(level: &str, score: u32, commission: &str, full_attendance: bool) -> AgentMonth {
    // Four items of 25: spread the score over them.
    let mut left = score;
    let items = ["service", "knowledge", "discipline", "teamwork"]
        .iter()
        .map(|i| {
            let p = left.min(25);
            left -= p;
            points(i, &p.to_string())
        })
        .collect();
    AgentMonth {
        agent: "C01".into(),
        plan: "star_levels".into(),
        year: 2026,
        month: 5,
        level: Some(level.into()),
        card: CardFacts {
            items,
            adjustments: vec![],
        },
        inputs: cs_policy::pay::MonthInputs {
            commission: d(commission),
            full_attendance,
            ..Default::default()
        },
        ..Default::default()
    }
}

#[test]
fn k9_two_star_at_96_points_with_250_commission_is_2150() {
    let policy = Policy::example("call-centre").unwrap();
    let s = policy
        .agent_month(&star("two_star", 96, "250", true))
        .unwrap();
    assert_eq!(
        amounts(&s),
        [
            (LineKind::LevelBase, "1100.00".into()),
            (LineKind::AssessedPay, "400.00".into()),
            (LineKind::Commission, "250.00".into()),
            (LineKind::StarBonus, "300.00".into()),
            (LineKind::FullAttendance, "100.00".into()),
        ]
    );
    assert_eq!(s.total.to_string(), "2150.00");
    balanced(&s);
    assert_eq!(
        (s.lines[3].clause).id(),
        "pay.plans.star_levels.star_levels.levels.two_star"
    );
}

#[test]
fn k9_trial_1100_ordinary_1600_plus_commission_one_star_adds_200() {
    let policy = Policy::example("call-centre").unwrap();
    let total = |level: &str, score: u32, full: bool| {
        policy
            .agent_month(&star(level, score, "250", full))
            .unwrap()
            .total
            .to_string()
    };
    assert_eq!(total("trial", 85, true), "1100.00");
    assert_eq!(total("ordinary", 85, true), "1850.00");
    assert_eq!(total("ordinary", 85, false), "1750.00");
    assert_eq!(total("one_star", 92, true), "2050.00");
    let err = policy
        .agent_month(&star("three_star", 92, "0", true))
        .unwrap_err();
    assert!(matches!(err, PayError::UnknownLevel { .. }), "{err}");
    // A trial agent is paid no commission: the line shows it unpaid.
    let s = policy.agent_month(&star("trial", 85, "250", true)).unwrap();
    assert_eq!(
        amounts(&s),
        [
            (LineKind::LevelBase, "1100.00".into()),
            (LineKind::Commission, "0.00".into())
        ]
    );
    // A plan that pays no commission at all rejects one.
    let mut m = front_desk("90");
    m.inputs.commission = d("10");
    let property = Policy::example("property").unwrap();
    let err = property.agent_month(&m).unwrap_err();
    assert!(
        matches!(
            err,
            PayError::NotInPlan {
                what: "commission",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn k16_losses_are_charged_at_their_actual_amount() {
    let policy = Policy::example("call-centre").unwrap();
    let mut m = star("ordinary", 85, "100", false);
    m.inputs.losses = vec![d("37.5"), d("12.345")];
    let s = policy.agent_month(&m).unwrap();
    let losses: Vec<_> = s
        .lines
        .iter()
        .filter(|l| l.kind == LineKind::Loss)
        .map(|l| l.amount.to_string())
        .collect();
    // Rounded to the fen, half away from zero.
    assert_eq!(losses, ["-37.50", "-12.35"]);
    assert_eq!(s.total.to_string(), "1550.15");
    balanced(&s);
    m.inputs.losses = vec![d("-5")];
    assert!(matches!(
        policy.agent_month(&m),
        Err(PayError::Negative { what: "losses", .. })
    ));
}

fn assessment(results: i64, months_absent: &str) -> AgentMonth {
    AgentMonth {
        agent: "P01".into(),
        plan: "assessment_system".into(),
        year: 2026,
        month: 4,
        post: Some("agent".into()),
        card: CardFacts {
            items: vec![
                rating("results", results),
                rating("ability", 80),
                rating("attitude", 90),
            ],
            adjustments: vec![],
        },
        inputs: cs_policy::pay::MonthInputs {
            commission: d("320.40"),
            shared_commission: d("88"),
            seniority_years: 3,
            months_absent: d(months_absent),
            ..Default::default()
        },
        ..Default::default()
    }
}

#[test]
fn k15_pay_is_post_wage_plus_personal_and_shared_commission_plus_seniority() {
    let policy = Policy::example("call-centre").unwrap();
    let s = policy.agent_month(&assessment(70, "0")).unwrap();
    assert_eq!(
        amounts(&s),
        [
            (LineKind::Base, "2000.00".into()),
            (LineKind::Commission, "320.40".into()),
            (LineKind::SharedCommission, "88.00".into()),
            (LineKind::Seniority, "150.00".into()),
        ]
    );
    assert_eq!(s.total.to_string(), "2558.40");
    assert!(s.assessed);
}

#[test]
fn a10_agent_absent_more_than_two_months_is_not_assessed() {
    let policy = Policy::example("call-centre").unwrap();
    let s = policy.agent_month(&assessment(70, "2.5")).unwrap();
    assert!(!s.assessed);
    assert!(s.score.is_none());
    assert_eq!(s.actions.len(), 1);
    assert_eq!(s.actions[0].kind, ActionKind::NotAssessed);
    assert_eq!(
        (s.actions[0].clause).id(),
        "pay.plans.assessment_system.exclusion"
    );
    // Exactly two months is not "more than 2".
    assert!(policy.agent_month(&assessment(70, "2")).unwrap().assessed);
}

#[test]
fn extra_lines_from_other_modules_are_rounded_and_summed() {
    let policy = Policy::example("shop").unwrap();
    let mut m = shop_score(104);
    let clause = policy.clause_by_id("funds.activity").unwrap();
    m.inputs.extra_lines = vec![
        StatementLine {
            kind: LineKind::Attendance,
            amount: d("-20"),
            clause,
            because: Because::Given,
        },
        StatementLine {
            kind: LineKind::Fine,
            amount: d("-50.005"),
            clause,
            because: Because::Given,
        },
    ];
    let s = policy.agent_month(&m).unwrap();
    let tail: Vec<_> = amounts(&s).into_iter().skip(2).collect();
    assert_eq!(
        tail,
        [
            (LineKind::Attendance, "-20.00".into()),
            (LineKind::Fine, "-50.01".into())
        ]
    );
    assert_eq!(s.total.to_string(), "2729.99");
    balanced(&s);
}

#[test]
fn bad_facts_unknown_plan_and_month_13_are_errors() {
    let policy = Policy::example("shop").unwrap();
    let mut m = shop_score(100);
    m.plan = "after_sale".into();
    assert_eq!(
        policy.agent_month(&m).unwrap_err().to_string(),
        "agent `S01`: no pay plan is named `after_sale`; the policy defines: after_sales"
    );
    let mut m = shop_score(100);
    m.month = 13;
    assert!(matches!(
        policy.agent_month(&m),
        Err(PayError::BadMonth { month: 13, .. })
    ));
    let education = Policy::example("education").unwrap();
    assert_eq!(education.agent_month(&m).unwrap_err(), PayError::NoSection);
}

#[test]
fn statement_serializes_to_json() {
    let policy = Policy::example("shop").unwrap();
    let s = policy.agent_month(&shop_score(104)).unwrap();
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["total"], "2800.00");
    assert_eq!(json["lines"][1]["kind"], "kpi_bonus");
    assert_eq!(json["rounding"], "half_away_from_zero");
}

/// A call-centre agent on the star levels, scoring `score` in four equal
/// items.
fn star_month(agent: &str, level: &str, score: i64) -> AgentMonth {
    AgentMonth {
        agent: agent.into(),
        plan: "star_levels".into(),
        year: 2026,
        month: 3,
        level: Some(level.into()),
        card: CardFacts {
            items: ["service", "knowledge", "discipline", "teamwork"]
                .iter()
                .map(|i| points(i, &(score / 4).to_string()))
                .collect(),
            adjustments: vec![],
        },
        ..Default::default()
    }
}

#[test]
fn k4_a_statement_reads_back_equal_naming_the_post_by_id() {
    let policy = Policy::example("shop").unwrap();
    let s = policy.agent_month(&shop_month("senior", vec![])).unwrap();
    let plan = policy.pay().unwrap().plan("after_sales").unwrap();
    assert_eq!(
        s.lines[0].because,
        Because::Post {
            post: plan.post_ref("senior").unwrap()
        }
    );
    let json = serde_json::to_string(&s).unwrap();
    assert!(json.contains(r#""post":"senior""#), "{json}");
    assert_eq!(serde_json::from_str::<Statement>(&json).unwrap(), s);
}

#[test]
fn k9_k11_star_level_statements_read_back_equal_naming_levels_by_id() {
    let policy = Policy::example("call-centre").unwrap();
    let plan = policy.pay().unwrap().plan("star_levels").unwrap();
    // K11: an ordinary agent under 70 goes to trial next month.
    let s = policy
        .agent_month(&star_month("C04", "ordinary", 64))
        .unwrap();
    let trial = plan.level_ref("trial").unwrap();
    assert_eq!(s.level, plan.level_ref("ordinary"));
    assert_eq!(s.next_level, Some(trial));
    assert!(
        s.actions
            .iter()
            .any(|a| a.kind == ActionKind::Demotion { to: trial })
    );
    let json = serde_json::to_string(&s).unwrap();
    assert!(json.contains(r#""level":"ordinary""#), "{json}");
    assert!(json.contains(r#""demotion":{"to":"trial"}"#), "{json}");
    let back: Statement = serde_json::from_str(&json).unwrap();
    assert_eq!(back, s);
    // Read back, a level is tied to no policy and still resolves by id.
    assert_eq!(plan.level(back.next_level.unwrap()).unwrap().id(), "trial");
}

#[test]
fn k10_a_team_month_reads_back_equal() {
    let policy = Policy::example("call-centre").unwrap();
    let team = policy
        .team_month(&[
            star_month("A", "ordinary", 84),
            star_month("B", "one_star", 92),
            star_month("C", "trial", 88),
        ])
        .unwrap();
    let json = serde_json::to_string(&team).unwrap();
    assert_eq!(
        serde_json::from_str::<cs_policy::pay::TeamMonth>(&json).unwrap(),
        team
    );
}

#[test]
fn k14_an_assessment_window_reads_back_equal() {
    let policy = Policy::example("call-centre").unwrap();
    let w = policy
        .assessment_window("assessment_system", 2026, 3)
        .unwrap()
        .unwrap();
    let json = serde_json::to_string(&w).unwrap();
    assert_eq!(
        serde_json::from_str::<cs_policy::pay::AssessmentWindow>(&json).unwrap(),
        w
    );
}
