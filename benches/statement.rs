//! Monthly statements: one agent (a six-item card, pay, a few lines from
//! attendance and discipline) and a 1,000-agent team month with rankings,
//! both for pay alone and for the whole statement (roster and punches to
//! attendance, incidents to discipline, leave, scorecard and pay).
//!
//! Run with `cargo bench --bench statement`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use cs_policy::kpi::{AdjustmentFact, AttendanceCounts, CardFacts, ItemFact, ItemValue};
use cs_policy::pay::{AgentMonth, Because, LineKind, MonthInputs, PastMonth, StatementLine};
use cs_policy::scenario::{AgentFacts, Days, DaysWord, PunchFact, RosterLine};
use cs_policy::{Policy, Scenario};
use rust_decimal::Decimal;

/// The card: four grades, a metric and three adjustments.
fn shop_card() -> CardFacts {
    let grade = |item: &str, g: &str| ItemFact {
        item: item.into(),
        value: ItemValue::Grade(g.into()),
    };
    CardFacts {
        items: vec![
            grade("quality", "excellent"),
            ItemFact {
                item: "refund_rate".into(),
                value: ItemValue::Metric(Decimal::new(42, 1)),
            },
            grade("disputes", "good"),
            grade("cooperation", "good"),
            grade("execution", "fair"),
        ],
        adjustments: vec![
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
            AdjustmentFact {
                adjustment: "complaint".into(),
                times: 1,
                points: Some(Decimal::from(5)),
            },
        ],
    }
}

fn shop_agent(policy: &Policy) -> AgentMonth {
    let clause = policy.clause_by_id("funds.activity").unwrap();
    AgentMonth {
        agent: "S01".into(),
        plan: "after_sales".into(),
        year: 2026,
        month: 3,
        post: Some("senior".into()),
        card: shop_card(),
        inputs: MonthInputs {
            // 22 working days: one late, one leave.
            attendance: AttendanceCounts {
                late: 1,
                leaves: 1,
                ..Default::default()
            },
            extra_lines: vec![
                StatementLine {
                    kind: LineKind::Attendance,
                    amount: Decimal::from(-20),
                    clause,
                    because: Because::Given,
                },
                StatementLine {
                    kind: LineKind::Fine,
                    amount: Decimal::from(-50),
                    clause,
                    because: Because::Given,
                },
                StatementLine {
                    kind: LineKind::Fine,
                    amount: Decimal::from(-10),
                    clause,
                    because: Because::Given,
                },
            ],
            ..Default::default()
        },
        ..Default::default()
    }
}

fn star_team(n: usize) -> Vec<AgentMonth> {
    let levels = ["trial", "ordinary", "one_star", "two_star"];
    (0..n)
        .map(|i| {
            let score = 60 + (i * 37 % 41) as u32; // 60..=100, many ties
            let items = ["service", "knowledge", "discipline", "teamwork"]
                .iter()
                .enumerate()
                .map(|(k, item)| {
                    let p = score / 4 + u32::from((k as u32) < score % 4);
                    ItemFact {
                        item: (*item).into(),
                        value: ItemValue::Points(p.min(25).into()),
                    }
                })
                .collect();
            let level = levels[i % 4];
            AgentMonth {
                agent: format!("C{i:04}"),
                plan: "star_levels".into(),
                year: 2026,
                month: 5,
                level: Some(level.into()),
                card: CardFacts {
                    items,
                    adjustments: vec![],
                },
                inputs: MonthInputs {
                    commission: if level == "trial" {
                        Decimal::ZERO
                    } else {
                        Decimal::new(25_050 + i as i64, 2)
                    },
                    full_attendance: i % 3 != 0,
                    complaints: u32::from(i % 17 == 0),
                    losses: if i % 29 == 0 {
                        vec![Decimal::new(3_750, 2)]
                    } else {
                        vec![]
                    },
                    ..Default::default()
                },
                history: vec![
                    PastMonth {
                        score: Some(Decimal::from(75)),
                        rank: Some(3),
                        demoted: false,
                    },
                    PastMonth {
                        score: Some(Decimal::from(68)),
                        rank: Some(9),
                        demoted: i % 5 == 0,
                    },
                ],
                ..Default::default()
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let shop = Policy::example("shop").unwrap();
    let agent = shop_agent(&shop);
    assert_eq!(
        shop.agent_month(&agent).unwrap().total.to_string(),
        "3143.08"
    );
    c.bench_function("statement/one_agent_month", |b| {
        b.iter(|| black_box(&shop).agent_month(black_box(&agent)).unwrap())
    });

    let call = Policy::example("call-centre").unwrap();
    let team = star_team(1_000);
    assert_eq!(call.team_month(&team).unwrap().statements.len(), 1_000);
    c.bench_function("statement/team_month_1000_agents", |b| {
        b.iter(|| black_box(&call).team_month(black_box(&team)).unwrap())
    });
}

/// The shop's S01 alone: 22 rostered days (two of them late), a complaint
/// and a praise, a six-item card (the attendance item fed by the month) and
/// pay.
fn shop_scenario() -> Scenario {
    let full = Scenario::from_toml_str(
        "shop.scenario.toml",
        include_str!("../policies/shop.scenario.toml"),
    )
    .unwrap();
    let keep = |a: &str| a == "S01";
    Scenario {
        agents: full.agents.into_iter().filter(|a| keep(&a.id)).collect(),
        roster: vec![RosterLine {
            agents: vec!["S01".into()],
            ..full.roster[0].clone()
        }],
        punches: full
            .punches
            .into_iter()
            .filter(|p| keep(&p.agent))
            .collect(),
        leave_requests: vec![],
        incidents: full
            .incidents
            .into_iter()
            .filter(|i| keep(&i.agent))
            .collect(),
        ..full
    }
}

/// A 1,000-agent call-centre month: star levels, ties, complaints,
/// irregularities and losses (as `examples/big_scenario.rs` writes it).
fn big_team(n: usize) -> Scenario {
    let levels = ["trial", "ordinary", "one_star", "two_star"];
    let days = [11, 12, 13, 14, 18, 19, 20, 21];
    let date = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 5, d).unwrap();
    let agents: Vec<AgentFacts> = star_team(n)
        .into_iter()
        .enumerate()
        .map(|(i, m)| AgentFacts {
            id: m.agent,
            plan: Some(m.plan),
            level: Some(levels[i % 4].into()),
            card: m.card,
            commission: m.inputs.commission,
            losses: m.inputs.losses,
            history: m.history,
            ..Default::default()
        })
        .collect();
    let ids: Vec<String> = agents.iter().map(|a| a.id.clone()).collect();
    Scenario {
        year: 2026,
        month: 5,
        punctual: true,
        roster: vec![RosterLine {
            agents: ids.clone(),
            shift: "office".into(),
            days: Days::Word(DaysWord::WorkingDays),
            except: vec![],
        }],
        punches: (0..n)
            .step_by(7)
            .map(|i| PunchFact {
                agent: ids[i].clone(),
                date: date(days[i % days.len()]),
                clock_in: chrono::NaiveTime::from_hms_opt(9, 5 + (i % 20) as u32, 0),
                clock_out: chrono::NaiveTime::from_hms_opt(18, 0, 0),
            })
            .collect(),
        incidents: (0..n)
            .step_by(11)
            .map(|i| {
                let kind = if i % 2 == 0 {
                    "complaint"
                } else {
                    "irregularity"
                };
                cs_policy::discipline::Incident::new(
                    ids[i].clone(),
                    kind,
                    date(days[(i / 11) % days.len()]),
                )
            })
            .collect(),
        agents,
        ..Default::default()
    }
}

fn bench_statement(c: &mut Criterion) {
    let shop = Policy::example("shop").unwrap();
    let one = shop_scenario();
    let s = shop.agent_statement(&one, "S01").unwrap();
    assert_eq!(s.attendance.unwrap().rostered, 22);
    assert_eq!(s.total.to_string(), "3308.46");
    c.bench_function("statement/full_one_agent_month", |b| {
        b.iter(|| {
            black_box(&shop)
                .agent_statement(black_box(&one), "S01")
                .unwrap()
        })
    });

    let call = Policy::example("call-centre").unwrap();
    let team = big_team(1_000);
    let month = call.team_statement(&team).unwrap();
    assert_eq!(month.statements.len(), 1_000);
    assert!(month.statements.iter().all(|s| s.rank.is_some()));
    c.bench_function("statement/full_team_month_1000_agents", |b| {
        b.iter(|| black_box(&call).team_statement(black_box(&team)).unwrap())
    });
}

criterion_group!(benches, bench, bench_statement);
criterion_main!(benches);
