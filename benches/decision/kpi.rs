//! The kpi decisions beside their hand-written twins: the band of a score,
//! with whether it passes, its share of performance pay and its clause, on
//! the property's front-desk card (whole-number bands: fail to 85, basic
//! pass 86–90 at 80%, good 91–97, excellent from 98) and the shop's
//! after-sales card (fail below 70% of 130).

use std::hint::black_box;

use criterion::Criterion;
use cs_policy::Policy;
use rust_decimal::Decimal;

/// A band found by hand: its grade, whether it passes, its share of
/// performance pay and its clause.
#[derive(Debug, Clone, Copy, PartialEq)]
struct ByHand {
    grade: &'static str,
    pass: bool,
    pay_share: Option<Decimal>,
    clause: &'static str,
}

/// The front desk's bands, written out: a whole score from 0 to 100.
struct FrontDesk {
    rows: [(i64, ByHand); 4],
}

impl FrontDesk {
    fn new() -> Self {
        let row = |grade, pass, share: i64, i: usize| ByHand {
            grade,
            pass,
            pay_share: Some(share.into()),
            clause: [
                "kpi.scorecards.front_desk.bands.rows[0]",
                "kpi.scorecards.front_desk.bands.rows[1]",
                "kpi.scorecards.front_desk.bands.rows[2]",
                "kpi.scorecards.front_desk.bands.rows[3]",
            ][i],
        };
        Self {
            rows: [
                (0, row("fail", false, 0, 0)),
                (86, row("basic_pass", true, 80, 1)),
                (91, row("good", true, 100, 2)),
                (98, row("excellent", true, 100, 3)),
            ],
        }
    }

    fn band(&self, score: Decimal) -> Option<ByHand> {
        if !score.fract().is_zero() || score < Decimal::ZERO || score > Decimal::ONE_HUNDRED {
            return None;
        }
        let row = self
            .rows
            .iter()
            .rev()
            .find(|(min, _)| score >= Decimal::from(*min))?;
        Some(row.1)
    }
}

/// The after-sales card's pass line, written out: 70% of 130 is 91.
fn after_sales(score: Decimal) -> Option<ByHand> {
    if score < Decimal::ZERO || score > Decimal::from(130) {
        return None;
    }
    let pass = score * Decimal::ONE_HUNDRED >= Decimal::from(70 * 130);
    Some(ByHand {
        grade: if pass { "pass" } else { "fail" },
        pass,
        pay_share: None,
        clause: if pass {
            "kpi.scorecards.after_sales.bands.rows[1]"
        } else {
            "kpi.scorecards.after_sales.bands.rows[0]"
        },
    })
}

/// The call's answer in the hand-written twin's terms, to check both agree.
fn as_by_hand(policy: &Policy, card: &str, score: Decimal) -> Option<ByHand> {
    let g = policy.band(policy.scorecard_ref(card)?, score).ok()?;
    Some(ByHand {
        grade: g.band.id(),
        pass: g.pass,
        pay_share: g.pay_share,
        clause: g.clause.id(),
    })
}

pub fn bench(c: &mut Criterion) {
    let property = Policy::example("property").unwrap();
    let shop = Policy::example("shop").unwrap();
    let front_desk = property.scorecard_ref("front_desk").unwrap();
    let card = shop.scorecard_ref("after_sales").unwrap();
    let hand = FrontDesk::new();
    for s in 0..=100 {
        let s = Decimal::from(s);
        assert_eq!(as_by_hand(&property, "front_desk", s), hand.band(s));
    }
    for s in 0..=130 {
        let s = Decimal::from(s);
        assert_eq!(as_by_hand(&shop, "after_sales", s), after_sales(s));
    }
    let (basic, good) = (Decimal::from(88), Decimal::from(93));
    let mut g = c.benchmark_group("kpi");
    g.bench_function("band/front_desk 88", |b| {
        b.iter(|| property.band(black_box(front_desk), black_box(basic)))
    });
    g.bench_function("hand-written/front_desk 88", |b| {
        b.iter(|| hand.band(black_box(basic)))
    });
    g.bench_function("band/after_sales 93", |b| {
        b.iter(|| shop.band(black_box(card), black_box(good)))
    });
    g.bench_function("hand-written/after_sales 93", |b| {
        b.iter(|| after_sales(black_box(good)))
    });
    g.finish();
}
