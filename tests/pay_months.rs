//! Across months and across the team: rankings and awards, level moves,
//! streaks and the assessment window (K10–K14).

use chrono::NaiveDate;
use cs_policy::Policy;
use cs_policy::kpi::{CardFacts, ItemFact, ItemValue};
use cs_policy::pay::{
    Action, ActionKind, AgentMonth, Because, LevelRef, LineKind, MonthInputs, PastMonth, Statement,
};
use rust_decimal::Decimal;

/// A call-centre agent on the star-level plan with `score` spread over the
/// four 25-point items.
fn star(agent: &str, level: &str, score: u32) -> AgentMonth {
    // Spread evenly (70 → 18, 18, 17, 17) so that no item is 0 by accident.
    let items = ["service", "knowledge", "discipline", "teamwork"]
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let p = score / 4 + u32::from((i as u32) < score % 4);
            ItemFact {
                item: (*item).into(),
                value: ItemValue::Points(p.into()),
            }
        })
        .collect();
    AgentMonth {
        agent: agent.into(),
        plan: "star_levels".into(),
        year: 2026,
        month: 5,
        level: Some(level.into()),
        card: CardFacts {
            items,
            adjustments: vec![],
        },
        inputs: MonthInputs {
            commission: Decimal::from(100),
            ..Default::default()
        },
        ..Default::default()
    }
}

fn level_name(policy: &Policy, level: Option<LevelRef>) -> String {
    let plan = policy.pay().unwrap().plan("star_levels").unwrap();
    plan.level(level.unwrap()).unwrap().id().to_owned()
}

fn awards(s: &Statement) -> Vec<String> {
    s.lines
        .iter()
        .filter(|l| l.kind == LineKind::Award)
        .map(|l| l.amount.to_string())
        .collect()
}

fn kinds(s: &Statement) -> Vec<ActionKind> {
    s.actions.iter().map(|a: &Action| a.kind).collect()
}

/// K10: ranks count every agent of the team; the service star (rank 1, 100)
/// and the hope star (rank 2, 50) go among agents with no complaint or
/// irregularity, tied scores sharing the rank by the file's choice.
#[test]
fn k10_ranks_and_stars_of_a_team() {
    let policy = Policy::example("call-centre").unwrap();
    // (case, team as (agent, score, complaints, irregularities), ranks, each
    // agent's awards)
    #[rustfmt::skip]
    let rows = [
        ("k10_rank_1_service_star_100_rank_2_hope_star_50",
         vec![("A", 85, 0, 0), ("B", 93, 0, 0), ("C", 88, 0, 0), ("D", 72, 0, 0)],
         vec![3, 1, 2, 4], vec!["", "100.00", "50.00", ""]),
        // Ranks still count everyone; prizes go among eligible agents only.
        ("k10_an_agent_with_a_complaint_or_irregularity_is_not_selected",
         vec![("A", 85, 0, 0), ("B", 93, 1, 0), ("C", 88, 0, 1), ("D", 72, 0, 0)],
         vec![3, 1, 2, 4], vec!["100.00", "", "", "50.00"]),
        ("k10_tied_scores_share_the_rank_by_the_files_choice",
         vec![("A", 90, 0, 0), ("B", 90, 0, 0), ("C", 80, 0, 0)],
         vec![1, 1, 3], vec!["100.00", "100.00", ""]),
    ];
    for (case, agents, ranks, prizes) in rows {
        let team: Vec<_> = agents
            .into_iter()
            .map(|(agent, score, complaints, irregularities)| {
                let mut month = star(agent, "ordinary", score);
                month.inputs.complaints = complaints;
                month.inputs.irregularities = irregularities;
                month
            })
            .collect();
        let month = policy.team_month(&team).unwrap();
        let got: Vec<_> = month.statements.iter().map(|s| s.rank.unwrap()).collect();
        assert_eq!(got, ranks, "{case}");
        let got: Vec<_> = month
            .statements
            .iter()
            .map(|s| awards(s).join(" "))
            .collect();
        assert_eq!(got, prizes, "{case}");
    }
}

/// K10: the service star's line cites its clause, labelled 服务之星, for rank 1.
#[test]
fn k10_the_service_star_line_names_its_label_and_rank() {
    let policy = Policy::example("call-centre").unwrap();
    let team = vec![
        star("A", "ordinary", 85),
        star("B", "ordinary", 93),
        star("C", "ordinary", 88),
        star("D", "ordinary", 72),
    ];
    let month = policy.team_month(&team).unwrap();
    let b = &month.statements[1];
    let award = b.lines.iter().find(|l| l.kind == LineKind::Award).unwrap();
    assert_eq!(
        policy.clause(award.clause).unwrap().label(),
        Some("服务之星")
    );
    assert_eq!(award.because, Because::Award { rank: 1 });
}

#[test]
fn k10_no_awards_without_the_team() {
    let policy = Policy::example("call-centre").unwrap();
    let s = policy.agent_month(&star("A", "ordinary", 99)).unwrap();
    assert_eq!(s.rank, None);
    assert!(awards(&s).is_empty());
}

#[test]
fn k11_ordinary_month_under_70_goes_to_trial_next_month() {
    let policy = Policy::example("call-centre").unwrap();
    let s = policy.agent_month(&star("A", "ordinary", 69)).unwrap();
    assert_eq!(level_name(&policy, s.next_level), "trial");
    assert_eq!(
        kinds(&s),
        [ActionKind::Demotion {
            to: LevelRef::from_id("trial")
        }]
    );
    assert_eq!(
        policy.clause(s.actions[0].clause).unwrap().source(),
        Some("004 客服部考核管理制度 六 普通员工 1")
    );
    let s = policy.agent_month(&star("A", "ordinary", 70)).unwrap();
    assert_eq!(level_name(&policy, s.next_level), "ordinary");
    assert!(s.actions.is_empty());
}

#[test]
fn k11_two_consecutive_months_under_70_is_dismissal() {
    let policy = Policy::example("call-centre").unwrap();
    // March: ordinary, 65 → trial in April. April: trial, 60 → dismissal.
    let march = policy.agent_month(&star("A", "ordinary", 65)).unwrap();
    assert_eq!(level_name(&policy, march.next_level), "trial");
    assert!(!kinds(&march).contains(&ActionKind::Dismissal));
    let mut april = star("A", "trial", 60);
    april.history = vec![PastMonth {
        score: Some(65.into()),
        rank: None,
        demoted: true,
    }];
    let april = policy.agent_month(&april).unwrap();
    assert_eq!(kinds(&april), [ActionKind::Dismissal]);
    assert_eq!(april.actions[0].because, Because::Streak { months: 2 });
    // A month of 70 in between breaks the run.
    let mut may = star("A", "trial", 60);
    may.history = vec![
        PastMonth {
            score: Some(65.into()),
            ..Default::default()
        },
        PastMonth {
            score: Some(70.into()),
            ..Default::default()
        },
    ];
    assert!(!kinds(&policy.agent_month(&may).unwrap()).contains(&ActionKind::Dismissal));
}

#[test]
fn k11_two_valid_complaints_or_an_item_at_zero_sends_ordinary_to_trial() {
    let policy = Policy::example("call-centre").unwrap();
    let mut m = star("A", "ordinary", 85);
    m.inputs.complaints = 2;
    let s = policy.agent_month(&m).unwrap();
    assert_eq!(level_name(&policy, s.next_level), "trial");
    let mut m = star("A", "ordinary", 75);
    for (i, p) in [25, 25, 25, 0].into_iter().enumerate() {
        m.card.items[i].value = ItemValue::Points(p.into());
    }
    let s = policy.agent_month(&m).unwrap();
    assert!(s.score.as_ref().unwrap().any_item_zero);
    assert_eq!(level_name(&policy, s.next_level), "trial");
}

#[test]
fn k12_star_demotions() {
    let policy = Policy::example("call-centre").unwrap();
    let next = |level: &str, score: u32, complaints: u32| {
        let mut m = star("A", level, score);
        m.inputs.complaints = complaints;
        level_name(&policy, policy.agent_month(&m).unwrap().next_level)
    };
    assert_eq!(next("one_star", 79, 0), "ordinary");
    assert_eq!(next("one_star", 80, 0), "one_star");
    assert_eq!(next("two_star", 89, 0), "one_star");
    assert_eq!(next("two_star", 90, 0), "two_star");
    // Under 70 a star goes to trial: the most severe demotion wins.
    assert_eq!(next("two_star", 69, 0), "trial");
    assert_eq!(next("one_star", 50, 0), "trial");
    assert_eq!(next("two_star", 98, 2), "ordinary");
}

#[test]
fn k9_k12_promotion_by_score_is_blocked_after_a_demotion_in_the_quarter() {
    let policy = Policy::example("call-centre").unwrap();
    // May is the second month of Q2: a demotion decided in April blocks it.
    let mut m = star("A", "ordinary", 96);
    let s = policy.agent_month(&m).unwrap();
    assert_eq!(level_name(&policy, s.next_level), "two_star");
    assert_eq!(
        kinds(&s),
        [ActionKind::Promotion {
            to: LevelRef::from_id("two_star")
        }]
    );
    m.history = vec![PastMonth {
        score: Some(65.into()),
        rank: None,
        demoted: true,
    }];
    let s = policy.agent_month(&m).unwrap();
    assert_eq!(level_name(&policy, s.next_level), "ordinary");
    assert_eq!(
        kinds(&s),
        [ActionKind::PromotionBlocked {
            to: LevelRef::from_id("two_star")
        }]
    );
    assert_eq!(s.actions[0].because, Because::DemotedThisQuarter);
    // A demotion in March (the previous quarter) does not block May.
    m.history = vec![
        PastMonth {
            score: Some(65.into()),
            rank: None,
            demoted: true,
        },
        PastMonth {
            score: Some(85.into()),
            rank: None,
            demoted: false,
        },
    ];
    let s = policy.agent_month(&m).unwrap();
    assert_eq!(level_name(&policy, s.next_level), "two_star");
}

fn assessment(agent: &str, results: i64, history: Vec<PastMonth>) -> AgentMonth {
    let rating = |item: &str, r: i64| ItemFact {
        item: item.into(),
        value: ItemValue::Rating(r.into()),
    };
    AgentMonth {
        agent: agent.into(),
        plan: "assessment_system".into(),
        year: 2026,
        month: 6,
        post: Some("agent".into()),
        card: CardFacts {
            items: vec![
                rating("results", results),
                rating("ability", results),
                rating("attitude", results),
            ],
            adjustments: vec![],
        },
        history,
        ..Default::default()
    }
}

fn first(score: i64) -> PastMonth {
    PastMonth {
        score: Some(score.into()),
        rank: Some(1),
        demoted: false,
    }
}

#[test]
fn k13_three_consecutive_months_ranked_first_earn_200_once() {
    let policy = Policy::example("call-centre").unwrap();
    let reward = |history: Vec<PastMonth>| {
        let team = vec![assessment("A", 95, history), assessment("B", 80, vec![])];
        let month = policy.team_month(&team).unwrap();
        month.statements[0]
            .lines
            .iter()
            .filter(|l| l.kind == LineKind::StreakReward)
            .map(|l| l.amount.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(reward(vec![first(90), first(92)]), ["200.00"]);
    // The fourth month of the run pays nothing more (once per run).
    assert!(reward(vec![first(90), first(90), first(92)]).is_empty());
    // Two months are not three.
    assert!(reward(vec![first(90)]).is_empty());
    // A month ranked second breaks the run.
    let second = PastMonth {
        score: Some(88.into()),
        rank: Some(2),
        demoted: false,
    };
    assert!(reward(vec![second, first(92)]).is_empty());
}

#[test]
fn k13_three_consecutive_failed_months_are_deemed_resignation() {
    let policy = Policy::example("call-centre").unwrap();
    let failed = |s: i64| PastMonth {
        score: Some(s.into()),
        ..Default::default()
    };
    let s = policy
        .agent_month(&assessment("A", 50, vec![failed(55), failed(59)]))
        .unwrap();
    assert_eq!(kinds(&s), [ActionKind::DeemedResignation]);
    assert_eq!(
        policy.clause(s.actions[0].clause).unwrap().source(),
        Some("004 客服考核制度 篇一 第12条")
    );
    // 60 passes under this file's bands, so the run is broken.
    let s = policy
        .agent_month(&assessment("A", 50, vec![failed(55), failed(60)]))
        .unwrap();
    assert!(s.actions.is_empty());
    // A month not assessed breaks the run too.
    let absent = PastMonth::default();
    let s = policy
        .agent_month(&assessment("A", 50, vec![failed(55), absent, failed(40)]))
        .unwrap();
    assert!(s.actions.is_empty());
}

#[test]
fn k14_assessment_window_is_the_5th_to_10th_of_the_next_month() {
    let policy = Policy::example("call-centre").unwrap();
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let w = policy
        .assessment_window("assessment_system", 2026, 3)
        .unwrap()
        .unwrap();
    assert_eq!((w.first, w.last), (date(2026, 4, 5), date(2026, 4, 10)));
    assert_eq!(
        policy.clause(w.clause).unwrap().source(),
        Some("004 客服考核制度 篇一 第6条")
    );
    assert!(
        policy
            .assessment_window("star_levels", 2026, 3)
            .unwrap()
            .is_none()
    );
    assert!(
        policy
            .assessment_window("assessment_system", 2026, 0)
            .is_err()
    );
}

#[test]
fn a10_excluded_agents_are_not_ranked() {
    let policy = Policy::example("call-centre").unwrap();
    let mut away = assessment("A", 99, vec![]);
    away.inputs.months_absent = 3.into();
    let month = policy
        .team_month(&[
            away,
            assessment("B", 80, vec![]),
            assessment("C", 70, vec![]),
        ])
        .unwrap();
    let ranks: Vec<_> = month.statements.iter().map(|s| s.rank).collect();
    assert_eq!(ranks, [None, Some(1), Some(2)]);
}

#[test]
fn team_month_reports_the_agent_with_bad_facts() {
    let policy = Policy::example("call-centre").unwrap();
    let mut bad = star("Z9", "ordinary", 80);
    bad.card.items[0].value = ItemValue::Points(26.into());
    let err = policy
        .team_month(&[star("A", "ordinary", 80), bad])
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "agent `Z9`: item `service` is given `26` points, outside 0 to its maximum `25`"
    );
}
