//! Property: every monthly statement balances to the fen (issue 6, item 5)
//! over random months: punches (A1–A5), leave (A7, L11), incidents (F1–F9),
//! cards (K1–K4, A9) and pay (K4, K9–K16).

use chrono::{NaiveDate, NaiveTime};
use cs_policy::attendance::MonthPay;
use cs_policy::discipline::Incident;
use cs_policy::kpi::{AdjustmentFact, CardFacts, ItemFact, ItemValue};
use cs_policy::leave::{Approver, Document, LeaveRequest, Sex};
use cs_policy::scenario::{AgentFacts, AgentRequest, Days, DaysWord, PunchFact, RosterLine};
use cs_policy::{Policy, Scenario};
use proptest::prelude::*;
use rust_decimal::Decimal;

#[derive(Debug, Clone)]
struct AgentSeed {
    grades: [u8; 4],
    refund_tenths: u32,
    praise: u32,
    low: u32,
    /// (day of March, minutes late, minutes early, punched at all)
    punches: Vec<(u32, u32, u32, bool)>,
    /// (kind, month, day)
    incidents: Vec<(u8, u32, u32)>,
    leave: Option<(u32, bool)>,
    base_fen: i64,
    commission_fen: i64,
    points: [u8; 4],
    level: u8,
    loss_fen: Option<i64>,
}

fn agent_seed() -> impl Strategy<Value = AgentSeed> {
    (
        (
            prop::array::uniform4(0u8..4),
            0u32..200,
            0u32..4,
            0u32..3,
            prop::collection::vec((2u32..=31, 0u32..50, 0u32..50, any::<bool>()), 0..6),
        ),
        (
            prop::collection::vec((0u8..8, 1u32..=3, 1u32..=28), 0..6),
            prop::option::of((2u32..=27, any::<bool>())),
            100_000i64..900_000,
            0i64..100_000,
            prop::array::uniform4(0u8..=25),
            0u8..4,
            prop::option::of(1i64..50_000),
        ),
    )
        .prop_map(
            |(
                (grades, refund_tenths, praise, low, punches),
                (incidents, leave, base_fen, commission_fen, points, level, loss_fen),
            )| AgentSeed {
                grades,
                refund_tenths,
                praise,
                low,
                punches,
                incidents,
                leave,
                base_fen,
                commission_fen,
                points,
                level,
                loss_fen,
            },
        )
}

fn d(m: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2026, m, day)
}

fn fen(x: i64) -> Decimal {
    Decimal::new(x, 2)
}

/// A month of `seeds` agents under a policy: `shift`, incident kinds, and
/// whether the agents are on the shop's or the call centre's plan.
fn month(seeds: &[AgentSeed], policy: &str) -> Scenario {
    let (shift, kinds, mo): (&str, &[&str], u32) = match policy {
        "shop" => (
            "p3_regular",
            &[
                "complaint",
                "off_task",
                "off_task_part1",
                "disclosure",
                "praise",
                "data_error_found",
                "suggestion_accepted",
                "unmarked_order",
            ],
            3,
        ),
        "education" => (
            "regular",
            &["dress_code", "complaint", "service_excellent"],
            3,
        ),
        _ => ("office", &["complaint", "irregularity"], 3),
    };
    let grade = ["excellent", "good", "fair", "poor"];
    let levels = ["trial", "ordinary", "one_star", "two_star"];
    let mut s = Scenario {
        year: 2026,
        month: mo,
        punctual: true,
        ..Default::default()
    };
    for (i, seed) in seeds.iter().enumerate() {
        let id = format!("A{i}");
        let mut a = AgentFacts {
            id: id.clone(),
            birth_date: NaiveDate::from_ymd_opt(1995, 1, 1),
            sex: Some(Sex::Woman),
            month_pay: Some(MonthPay {
                base_wage: fen(seed.base_fen),
                gross: fen(seed.base_fen + seed.commission_fen),
            }),
            ..Default::default()
        };
        match policy {
            "shop" => {
                a.plan = Some("after_sales".into());
                a.post = Some(["agent", "senior", "team_lead"][i % 3].into());
                let mut items: Vec<ItemFact> = ["quality", "disputes", "cooperation", "execution"]
                    .iter()
                    .zip(seed.grades)
                    .map(|(item, g)| ItemFact {
                        item: (*item).into(),
                        value: ItemValue::Grade(grade[usize::from(g)].into()),
                    })
                    .collect();
                items.push(ItemFact {
                    item: "refund_rate".into(),
                    value: ItemValue::Metric(Decimal::new(i64::from(seed.refund_tenths), 1)),
                });
                a.card = CardFacts {
                    items,
                    adjustments: vec![
                        AdjustmentFact {
                            adjustment: "praise".into(),
                            times: seed.praise,
                            points: None,
                        },
                        AdjustmentFact {
                            adjustment: "low_review".into(),
                            times: seed.low,
                            points: None,
                        },
                    ],
                };
            }
            "call-centre" => {
                a.plan = Some("star_levels".into());
                a.level = Some(levels[usize::from(seed.level)].into());
                if seed.level > 0 {
                    a.commission = fen(seed.commission_fen);
                }
                a.losses = seed.loss_fen.map(fen).into_iter().collect();
                a.card = CardFacts {
                    items: ["service", "knowledge", "discipline", "teamwork"]
                        .iter()
                        .zip(seed.points)
                        .map(|(item, p)| ItemFact {
                            item: (*item).into(),
                            value: ItemValue::Points(p.into()),
                        })
                        .collect(),
                    adjustments: vec![],
                };
            }
            _ => {}
        }
        s.agents.push(a);
        let mut used = Vec::new();
        for &(day, late, early, punched) in &seed.punches {
            let Some(date) = d(mo, day) else { continue };
            if used.contains(&date) {
                continue;
            }
            used.push(date);
            let start = 9;
            let end = if policy == "education" { 20 } else { 18 };
            s.punches.push(PunchFact {
                agent: id.clone(),
                date,
                clock_in: punched
                    .then(|| NaiveTime::from_hms_opt(start, late, 0))
                    .flatten(),
                clock_out: punched
                    .then(|| NaiveTime::from_hms_opt(end - 1, 60 - early.max(1), 0))
                    .flatten(),
            });
        }
        for &(k, m, day) in &seed.incidents {
            if let (Some(kind), Some(date)) = (kinds.get(usize::from(k) % kinds.len()), d(m, day)) {
                s.incidents.push(Incident::new(id.clone(), *kind, date));
            }
        }
        if let (Some((day, ok)), true) = (seed.leave, policy != "call-centre") {
            if let Some(date) = d(mo, day) {
                let mut r = LeaveRequest::new(
                    "personal",
                    date,
                    date,
                    date.pred_opt().unwrap().pred_opt().unwrap(),
                );
                if ok {
                    r = r
                        .with_documents([Document::LeaveForm])
                        .with_approvals([Approver::Supervisor, Approver::DepartmentHead])
                        .reported_back();
                }
                s.leave_requests.push(AgentRequest {
                    agent: id.clone(),
                    request: r,
                });
            }
        }
    }
    s.roster.push(RosterLine {
        agents: s.agents.iter().map(|a| a.id.clone()).collect(),
        shift: shift.into(),
        days: Days::Word(DaysWord::WorkingDays),
        except: vec![],
    });
    // Punches on days that are not rostered are dropped: only rostered
    // days are punched.
    let policy_obj = Policy::example(policy).unwrap();
    s.punches.retain(|p| {
        policy_obj
            .calendar()
            .is_working_day(p.date)
            .unwrap_or(false)
    });
    s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Every statement's total is the exact sum of its lines, every line
    /// and total is written to the fen, and the team total is the sum of the
    /// agents'.
    #[test]
    fn statements_balance_to_the_fen(
        seeds in prop::collection::vec(agent_seed(), 1..5),
        which in 0usize..3,
    ) {
        let name = ["shop", "education", "call-centre"][which];
        let policy = Policy::example(name).unwrap();
        let m = month(&seeds, name);
        let team = match policy.team_statement(&m) {
            Ok(team) => team,
            Err(error) => return Err(TestCaseError::fail(format!("{name}: {error}"))),
        };
        let mut sum = Decimal::ZERO;
        for s in &team.statements {
            prop_assert_eq!(s.total, s.lines.iter().map(|l| l.amount).sum::<Decimal>());
            prop_assert_eq!(s.total.scale(), 2);
            for l in &s.lines {
                prop_assert_eq!(l.amount.scale(), 2);
                prop_assert_eq!(l.amount, l.amount.round_dp(2));
            }
            sum += s.total;
        }
        prop_assert_eq!(team.total, sum);
        // One agent's statement is the team's, less what the ranking adds.
        let first = &team.statements[0];
        let alone = policy.agent_statement(&m, &first.agent).unwrap();
        prop_assert_eq!(alone.total, alone.lines.iter().map(|l| l.amount).sum::<Decimal>());
    }
}
