//! Invariants over random inputs: every monthly statement balances to the
//! fen, and every band table covers its score domain exactly once.

use cs_policy::Policy;
use cs_policy::kpi::{AdjustmentFact, AttendanceCounts, CardFacts, ItemFact, ItemValue, Over};
use cs_policy::pay::{AgentMonth, Because, LineKind, MonthInputs, PastMonth, StatementLine};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::sync::LazyLock;

static SHOP: LazyLock<Policy> = LazyLock::new(|| Policy::example("shop").unwrap());
static CALL: LazyLock<Policy> = LazyLock::new(|| Policy::example("call-centre").unwrap());

/// Money with up to four decimal places, so that rounding has work to do.
fn money(max: i64) -> impl Strategy<Value = Decimal> {
    (0..=max * 10_000).prop_map(|n| Decimal::new(n, 4))
}

fn signed_money(max: i64) -> impl Strategy<Value = Decimal> {
    (-max * 10_000..=max * 10_000).prop_map(|n| Decimal::new(n, 4))
}

fn grade() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["excellent", "good", "fair", "poor"])
}

fn extra_lines(policy: &'static Policy) -> impl Strategy<Value = Vec<StatementLine>> {
    let clause = policy.clause_by_id("policy").unwrap();
    prop::collection::vec(signed_money(500), 0..4).prop_map(move |amounts| {
        amounts
            .into_iter()
            .map(|amount| StatementLine {
                kind: LineKind::Fine,
                amount,
                clause,
                because: Because::Given,
            })
            .collect()
    })
}

fn shop_month() -> impl Strategy<Value = AgentMonth> {
    (
        prop::collection::vec(grade(), 4),
        money(40),
        (0u32..4, 0u32..3, 0u32..3, 0u32..3),
        (0u32..3, 5u32..=20, 0u32..3, 0u32..6, 2u32..=5),
        prop::sample::select(vec!["agent", "senior", "team_lead"]),
        extra_lines(&SHOP),
    )
        .prop_map(
            |(
                grades,
                refund,
                (lates, early, leaves, absences),
                (low, complaint, complaints, praise, outstanding),
                post,
                extra,
            )| {
                let items = ["quality", "disputes", "cooperation", "execution"]
                    .iter()
                    .zip(grades)
                    .map(|(i, g)| ItemFact {
                        item: (*i).into(),
                        value: ItemValue::Grade(g.into()),
                    })
                    .chain([ItemFact {
                        item: "refund_rate".into(),
                        value: ItemValue::Metric(refund),
                    }])
                    .collect();
                let adj = |id: &str, times, points: Option<u32>| AdjustmentFact {
                    adjustment: id.into(),
                    times,
                    points: points.map(Decimal::from),
                };
                AgentMonth {
                    agent: "P".into(),
                    plan: "after_sales".into(),
                    year: 2026,
                    month: 7,
                    post: Some(post.into()),
                    card: CardFacts {
                        items,
                        adjustments: vec![
                            adj("low_review", low, None),
                            adj("complaint", complaints, Some(complaint)),
                            adj("praise", praise, None),
                            adj("outstanding", 1, Some(outstanding)),
                        ],
                    },
                    inputs: MonthInputs {
                        attendance: AttendanceCounts {
                            late: lates as u16,
                            early_leave: early as u16,
                            leaves: leaves as u16,
                            absent: absences as u16,
                            ..Default::default()
                        },
                        extra_lines: extra,
                        ..Default::default()
                    },
                    ..Default::default()
                }
            },
        )
}

fn star_month() -> impl Strategy<Value = AgentMonth> {
    (
        prop::collection::vec(0u32..=25, 4),
        prop::sample::select(vec!["trial", "ordinary", "one_star", "two_star"]),
        money(3000),
        any::<bool>(),
        (0u32..3, 0u32..2),
        prop::collection::vec(money(300), 0..3),
        prop::collection::vec((prop::option::of(0u32..=100), any::<bool>()), 0..4),
        (1u32..=12, extra_lines(&CALL)),
    )
        .prop_map(
            |(
                points,
                level,
                commission,
                full,
                (complaints, irregularities),
                losses,
                history,
                (month, extra),
            )| {
                let items = ["service", "knowledge", "discipline", "teamwork"]
                    .iter()
                    .zip(points)
                    .map(|(i, p)| ItemFact {
                        item: (*i).into(),
                        value: ItemValue::Points(p.into()),
                    })
                    .collect();
                let commission = if level == "trial" {
                    Decimal::ZERO
                } else {
                    commission
                };
                AgentMonth {
                    agent: "C".into(),
                    plan: "star_levels".into(),
                    year: 2026,
                    month,
                    level: Some(level.into()),
                    card: CardFacts {
                        items,
                        adjustments: vec![],
                    },
                    inputs: MonthInputs {
                        commission,
                        full_attendance: full,
                        complaints,
                        irregularities,
                        losses,
                        extra_lines: extra,
                        ..Default::default()
                    },
                    history: history
                        .into_iter()
                        .map(|(score, demoted)| PastMonth {
                            score: score.map(Decimal::from),
                            rank: None,
                            demoted,
                        })
                        .collect(),
                    ..Default::default()
                }
            },
        )
}

fn fen(x: Decimal) -> bool {
    x.scale() == 2 && x.round_dp(2) == x
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// K1–K4: every shop statement balances to the fen.
    #[test]
    fn shop_statement_balances_to_the_fen(m in shop_month()) {
        let s = SHOP.agent_month(&m).unwrap();
        let sum: Decimal = s.lines.iter().map(|l| l.amount).sum();
        prop_assert_eq!(s.total, sum);
        prop_assert!(s.lines.iter().all(|l| fen(l.amount)));
        prop_assert!(fen(s.total));
        let bonus = s.lines.iter().find(|l| l.kind == LineKind::KpiBonus).unwrap();
        prop_assert!(bonus.amount >= Decimal::ZERO && bonus.amount <= Decimal::from(1000));
    }

    /// K9–K16: a team of star-level agents; every statement balances.
    #[test]
    fn star_team_statements_balance_to_the_fen(team in prop::collection::vec(star_month(), 1..12)) {
        let month = CALL.team_month(&team).unwrap();
        prop_assert_eq!(month.statements.len(), team.len());
        for s in &month.statements {
            let sum: Decimal = s.lines.iter().map(|l| l.amount).sum();
            prop_assert_eq!(s.total, sum);
            prop_assert!(s.lines.iter().all(|l| fen(l.amount)));
            prop_assert!(s.rank.is_some_and(|r| (1..=team.len() as u32).contains(&r)));
        }
        // Exactly the best eligible score earns the 100 (ties share it).
        let hundreds = month.statements.iter().filter(|s| {
            s.lines.iter().any(|l| l.kind == LineKind::Award && l.amount == Decimal::from(100))
        }).count();
        let eligible: Vec<Decimal> = team.iter().zip(&month.statements)
            .filter(|(m, _)| m.inputs.complaints == 0 && m.inputs.irregularities == 0)
            .map(|(_, s)| s.score.as_ref().unwrap().score)
            .collect();
        let best = eligible.iter().max();
        let expected = best.map_or(0, |b| eligible.iter().filter(|s| *s == b).count());
        prop_assert_eq!(hundreds, expected);
    }

    /// K4, K5, K7 and the file's own bands: any score in a card's domain
    /// lies in exactly one band.
    #[test]
    fn band_tables_cover_their_range_exactly_once(n in 0u32..=10_000, whole in 0u32..=100) {
        for policy in [&*SHOP, &*CALL, &Policy::example("property").unwrap()] {
            for card in policy.kpi().unwrap().scorecards() {
                let Some(bands) = card.bands() else { continue };
                let top = if bands.over() == Over::Percent { Decimal::ONE_HUNDRED } else { card.total() };
                let x = if bands.bounds() == cs_policy::kpi::Bounds::WholeNumbers {
                    (top * Decimal::from(whole) / Decimal::ONE_HUNDRED).floor()
                } else {
                    top * Decimal::from(n) / Decimal::from(10_000)
                };
                let holding: Vec<usize> = bands.rows().iter().enumerate()
                    .filter(|(_, r)| r.from().is_none_or(|f| f <= x) && r.to().is_none_or(|t| x < t))
                    .map(|(i, _)| i)
                    .collect();
                prop_assert_eq!(holding.len(), 1, "{} {} in {:?}", card.id(), x, holding);
            }
        }
    }
}

/// Random band tables over a 100-point card: a table loads exactly when its
/// rows cover 0–100 once; otherwise it is rejected with `gap` or `overlap`.
fn band_table() -> impl Strategy<Value = Vec<(Option<i64>, Option<i64>)>> {
    // Cut points, then each row's bounds nudged by −1, 0 or +1 to make
    // gaps and overlaps.
    (
        prop::collection::btree_set(1i64..100, 1..5),
        prop::collection::vec(-1i64..=1, 10),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(cuts, nudges, open_low, open_high)| {
            let cuts: Vec<i64> = cuts.into_iter().collect();
            let mut rows = Vec::new();
            let mut from = if open_low { None } else { Some(0) };
            for (k, cut) in cuts.iter().enumerate() {
                let nudge = nudges.get(k).copied().unwrap_or(0);
                rows.push((from, Some(cut + nudge)));
                from = Some(*cut);
            }
            rows.push((from, if open_high { None } else { Some(101) }));
            rows
        })
}

fn covers_once(rows: &[(Option<i64>, Option<i64>)]) -> bool {
    (0..=100).all(|x| {
        rows.iter()
            .filter(|(f, t)| f.is_none_or(|f| f <= x) && t.is_none_or(|t| x < t))
            .count()
            == 1
    }) && rows.iter().all(|(f, t)| match (f, t) {
        (Some(f), Some(t)) => f < t,
        _ => true,
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn validation_accepts_exactly_the_band_tables_that_cover_once(rows in band_table()) {
        let mut text = String::from(
            "[policy]\nid = \"t\"\nname = \"T\"\nformat = 1\ncurrency = \"CNY\"\ntime_zone = \"Asia/Shanghai\"\neffective = 2026-01-01\n\
             [kpi.scorecards.c]\ntotal = 100\n[kpi.scorecards.c.items.all]\nkind = \"points\"\nmax = 100\n\
             [kpi.scorecards.c.bands]\nover = \"score\"\nbounds = \"half_open\"\nrows = [\n",
        );
        for (i, (from, to)) in rows.iter().enumerate() {
            text.push_str(&format!("  {{ grade = \"g{i}\""));
            if let Some(f) = from { text.push_str(&format!(", from = {f}")); }
            if let Some(t) = to { text.push_str(&format!(", to = {t}")); }
            text.push_str(" },\n");
        }
        text.push_str("]\n");
        let loaded = Policy::from_toml_str("t.toml", &text);
        match (covers_once(&rows), loaded) {
            (true, Ok(_)) => {}
            (false, Err(problems)) => {
                for d in problems.diagnostics() {
                    prop_assert!(
                        matches!(d.code, cs_policy::ProblemCode::Gap | cs_policy::ProblemCode::Overlap | cs_policy::ProblemCode::OutOfOrder),
                        "{}", d
                    );
                }
            }
            (true, Err(problems)) => prop_assert!(false, "rejected a table that covers once:\n{text}\n{problems}"),
            (false, Ok(_)) => prop_assert!(false, "accepted a table with a gap or overlap:\n{text}"),
        }
    }
}

fn any_decimal() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        (-1_000_000i64..1_000_000, 0u32..6).prop_map(|(n, s)| Decimal::new(n, s)),
        Just(Decimal::MAX),
        Just(Decimal::MIN),
    ]
}

fn any_value() -> impl Strategy<Value = ItemValue> {
    prop_oneof![
        prop::sample::select(vec!["excellent", "good", "superb", ""])
            .prop_map(|g| ItemValue::Grade(g.into())),
        any_decimal().prop_map(ItemValue::Points),
        any_decimal().prop_map(ItemValue::Rating),
        any_decimal().prop_map(ItemValue::Metric),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Bad facts of every kind give an error, never a panic.
    #[test]
    fn arbitrary_facts_never_panic(
        plan in prop::sample::select(vec!["after_sales", "star_levels", "assessment_system", "nope"]),
        items in prop::collection::vec((prop::sample::select(vec!["quality", "refund_rate", "service", "results", "attendance", "x"]), any_value()), 0..7),
        adjustments in prop::collection::vec((prop::sample::select(vec!["praise", "complaint", "y"]), any::<u32>(), prop::option::of(any_decimal())), 0..3),
        money in (any_decimal(), any_decimal(), any::<u32>(), any_decimal()),
        month in 0u32..14,
        losses in prop::collection::vec(any_decimal(), 0..2),
        extra in prop::collection::vec(any_decimal(), 0..2),
    ) {
        let policy: &Policy = if plan == "after_sales" { &SHOP } else { &CALL };
        let clause = policy.clause_by_id("policy").unwrap();
        let m = AgentMonth {
            agent: "Q".into(),
            plan: plan.into(),
            year: 2026,
            month,
            post: Some("agent".into()),
            level: Some("ordinary".into()),
            card: CardFacts {
                items: items.into_iter().map(|(i, v)| ItemFact { item: i.into(), value: v }).collect(),
                adjustments: adjustments
                    .into_iter()
                    .map(|(a, times, points)| AdjustmentFact { adjustment: a.into(), times, points })
                    .collect(),
            },
            inputs: MonthInputs {
                commission: money.0,
                shared_commission: money.1,
                seniority_years: money.2,
                months_absent: money.3,
                losses,
                extra_lines: extra
                    .into_iter()
                    .map(|amount| StatementLine { kind: LineKind::Other, amount, clause, because: Because::Given })
                    .collect(),
                ..Default::default()
            },
            ..Default::default()
        };
        if let Ok(s) = policy.agent_month(&m) {
            let sum: Decimal = s.lines.iter().map(|l| l.amount).sum();
            prop_assert_eq!(s.total, sum);
            // Every line and the total keep the fen.
            prop_assert!(s.lines.iter().all(|l| fen(l.amount)));
            prop_assert!(fen(s.total));
        }
        let _ = policy.team_month(&[m.clone(), m]);
    }
}
