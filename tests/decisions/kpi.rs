//! The kpi decisions allocate nothing, and bad arguments are typed errors
//! naming what was asked.

use cs_policy::Policy;
use cs_policy::kpi::{
    AttendanceCounts, CardFacts, CardScore, GradeRef, ItemFact, ItemValue, KpiError, ScorecardRef,
};
use rust_decimal::Decimal;

use crate::allocations;

fn property() -> Policy {
    Policy::example("property").unwrap()
}

#[test]
fn k5_the_band_of_each_front_desk_score_is_found_without_allocating() {
    let policy = property();
    let (card, count) = allocations(|| policy.scorecard_ref("front_desk"));
    assert_eq!(count, 0);
    let card = card.unwrap();
    // K5: ≤85 fail (none), 86–90 basic pass (80%), 91–97 good, ≥98 excellent.
    for (score, grade, pass, share) in [
        (0, "fail", false, 0),
        (85, "fail", false, 0),
        (86, "basic_pass", true, 80),
        (90, "basic_pass", true, 80),
        (91, "good", true, 100),
        (97, "good", true, 100),
        (98, "excellent", true, 100),
        (100, "excellent", true, 100),
    ] {
        let (band, count) = allocations(|| policy.band(card, Decimal::from(score)));
        assert_eq!(count, 0, "score {score}");
        let band = band.unwrap();
        assert_eq!(
            (band.band.id(), band.pass, band.pay_share),
            (grade, pass, Some(Decimal::from(share))),
            "score {score}"
        );
        assert!(
            band.clause
                .id()
                .starts_with("kpi.scorecards.front_desk.bands.rows[")
        );
    }
}

#[test]
fn k4_the_shop_card_fails_below_70_percent_of_130_without_allocating() {
    let policy = Policy::example("shop").unwrap();
    let card = policy.scorecard_ref("after_sales").unwrap();
    let (fail, count) = allocations(|| policy.band(card, Decimal::from(90)));
    assert_eq!(count, 0);
    assert!(!fail.unwrap().pass);
    let (pass, count) = allocations(|| policy.band(card, Decimal::from(91)));
    assert_eq!(count, 0);
    let pass = pass.unwrap();
    assert!(pass.pass);
    assert_eq!(pass.clause.id(), "kpi.scorecards.after_sales.bands.rows[1]");
}

#[test]
fn an_unknown_scorecard_is_a_typed_error_naming_it() {
    let policy = property();
    assert!(policy.scorecard_ref("back_desk").is_none());
    let err = policy
        .band(ScorecardRef::from_id("back_desk"), Decimal::from(90))
        .unwrap_err();
    assert!(
        matches!(&err, KpiError::UnknownScorecard { scorecard, known } if scorecard == "back_desk" && known.contains("front_desk")),
        "{err:?}"
    );
}

#[test]
fn another_policys_scorecard_is_refused() {
    let property = property();
    let shop = Policy::example("shop").unwrap();
    let card = shop.scorecard_ref("after_sales").unwrap();
    assert!(matches!(
        property.band(card, Decimal::from(90)),
        Err(KpiError::UnknownScorecard { .. })
    ));
}

#[test]
fn a_score_outside_the_card_is_a_typed_error_naming_card_and_score() {
    let policy = property();
    let card = policy.scorecard_ref("front_desk").unwrap();
    for score in [Decimal::from(101), Decimal::from(-1)] {
        let (err, count) = allocations(|| policy.band(card, score));
        assert_eq!(count, 0);
        assert_eq!(
            err,
            Err(KpiError::OutsideCard {
                scorecard: card,
                score,
                low: Some(Decimal::ZERO),
                high: Some(Decimal::ONE_HUNDRED),
            })
        );
    }
    let message = policy
        .band(card, Decimal::from(101))
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("`front_desk`") && message.contains("`101`"),
        "{message}"
    );
}

#[test]
fn k5_a_fraction_on_whole_number_bands_is_a_typed_error() {
    let policy = property();
    let card = policy.scorecard_ref("front_desk").unwrap();
    assert_eq!(
        policy.band(card, "97.5".parse().unwrap()),
        Err(KpiError::NotWhole {
            score: "97.5".parse().unwrap()
        })
    );
}

#[test]
fn a_grade_and_a_card_score_read_back_equal_and_name_the_band_by_grade() {
    let policy = property();
    let card = policy.scorecard_ref("front_desk").unwrap();
    let grade = policy.band(card, Decimal::from(88)).unwrap();
    let json = serde_json::to_string(&grade).unwrap();
    assert!(json.contains(r#""band":"basic_pass""#), "{json}");
    assert_eq!(serde_json::from_str::<GradeRef>(&json).unwrap(), grade);

    let facts = CardFacts {
        items: vec![ItemFact {
            item: "assessment".into(),
            value: ItemValue::Points(Decimal::from(88)),
        }],
        adjustments: vec![],
    };
    let score = policy
        .score_card("front_desk", &facts, &AttendanceCounts::default())
        .unwrap();
    assert_eq!(score.grade, Some(grade));
    let json = serde_json::to_string(&score).unwrap();
    assert_eq!(serde_json::from_str::<CardScore>(&json).unwrap(), score);
}

#[test]
fn k1_k3_a_shop_card_with_grades_and_adjustments_reads_back_equal() {
    let policy = Policy::example("shop").unwrap();
    let grade = |item: &str, g: &str| ItemFact {
        item: item.into(),
        value: ItemValue::Grade(g.into()),
    };
    let facts = CardFacts {
        items: vec![
            grade("quality", "excellent"),
            ItemFact {
                item: "refund_rate".into(),
                value: ItemValue::Metric(Decimal::from(4)),
            },
            grade("disputes", "good"),
            grade("cooperation", "fair"),
            grade("execution", "good"),
        ],
        adjustments: vec![cs_policy::kpi::AdjustmentFact {
            adjustment: "complaint".into(),
            times: 1,
            points: Some(Decimal::from(10)),
        }],
    };
    let score = policy
        .score_card("after_sales", &facts, &AttendanceCounts::default())
        .unwrap();
    let json = serde_json::to_string(&score).unwrap();
    // The grade given is named by its word, not its place in the item.
    assert!(json.contains(r#""grade":"excellent""#), "{json}");
    assert_eq!(serde_json::from_str::<CardScore>(&json).unwrap(), score);
}
