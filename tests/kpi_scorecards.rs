//! Scorecards and grade bands of the example policies (K1–K8, A9).

mod common;

use common::{dec as d, grade, metric, rating};
use cs_policy::Policy;
use cs_policy::kpi::{
    AdjustmentFact, AttendanceCounts, CardFacts, ItemDetail, ItemFact, ItemValue, KpiError, Period,
};
use rust_decimal::Decimal;

fn adj(id: &str, times: u32, points: Option<&str>) -> AdjustmentFact {
    AdjustmentFact {
        adjustment: id.into(),
        times,
        points: points.map(d),
    }
}

/// The K1 card of 20, 30, 15, 15, 10, 15 (one late).
fn shop_card() -> CardFacts {
    CardFacts {
        items: vec![
            grade("quality", "excellent"),
            metric("refund_rate", "4.2"),
            grade("disputes", "good"),
            grade("cooperation", "good"),
            grade("execution", "fair"),
        ],
        adjustments: vec![],
    }
}

fn one_late() -> AttendanceCounts {
    AttendanceCounts {
        late: 1,
        ..Default::default()
    }
}

#[test]
fn k1_card_of_six_items_sums_to_105_out_of_130() {
    let policy = Policy::example("shop").unwrap();
    let s = policy
        .score_card("after_sales", &shop_card(), &one_late())
        .unwrap();
    let points: Vec<String> = s.items.iter().map(|i| i.points.to_string()).collect();
    assert_eq!(points, ["20", "30", "15", "15", "10", "15"]);
    assert_eq!(s.score, d("105"));
    assert_eq!(s.total, d("130"));
}

#[test]
fn k1_graded_items_score_excellent_20_good_15_fair_10_poor_0() {
    let policy = Policy::example("shop").unwrap();
    for (g, expected) in [("excellent", 20), ("good", 15), ("fair", 10), ("poor", 0)] {
        let mut card = shop_card();
        card.items[0] = grade("quality", g);
        let s = policy
            .score_card("after_sales", &card, &AttendanceCounts::default())
            .unwrap();
        assert_eq!(s.items[0].points, Decimal::from(expected), "{g}");
        assert!(matches!(s.items[0].detail, ItemDetail::Grade { .. }));
    }
}

#[test]
fn k1_k3_card_with_one_low_review_and_two_praises_is_104() {
    let policy = Policy::example("shop").unwrap();
    let mut card = shop_card();
    card.adjustments = vec![adj("low_review", 1, None), adj("praise", 2, None)];
    let s = policy
        .score_card("after_sales", &card, &one_late())
        .unwrap();
    assert_eq!(s.adjustments, d("-1"));
    assert_eq!(s.score, d("104"));
    assert!(s.passed());
}

#[test]
fn k2_refund_rate_at_most_5_percent_earns_30_then_the_files_own_tiers() {
    let policy = Policy::example("shop").unwrap();
    for (rate, expected) in [
        ("0", 30),
        ("5", 30),
        ("5.01", 20),
        ("8", 20),
        ("12", 10),
        ("12.5", 0),
    ] {
        let mut card = shop_card();
        card.items[1] = metric("refund_rate", rate);
        let s = policy
            .score_card("after_sales", &card, &AttendanceCounts::default())
            .unwrap();
        assert_eq!(
            s.items[1].points,
            Decimal::from(expected),
            "refund rate {rate}%"
        );
    }
}

#[test]
fn k3_verified_complaint_is_5_to_20_at_the_assessors_discretion() {
    let policy = Policy::example("shop").unwrap();
    let mut card = shop_card();
    card.adjustments = vec![
        adj("complaint", 2, Some("12")),
        adj("outstanding", 1, Some("5")),
    ];
    let s = policy
        .score_card("after_sales", &card, &AttendanceCounts::default())
        .unwrap();
    // 110 − 2×12 + 5
    assert_eq!(s.score, d("91"));

    card.adjustments = vec![adj("complaint", 1, Some("25"))];
    let err = policy
        .score_card("after_sales", &card, &AttendanceCounts::default())
        .unwrap_err();
    assert_eq!(
        err,
        KpiError::AdjustmentOutOfRange {
            adjustment: "complaint".into(),
            points: d("25"),
            lo: d("5"),
            hi: d("20"),
        }
    );
    card.adjustments = vec![adj("complaint", 1, None)];
    let err = policy
        .score_card("after_sales", &card, &AttendanceCounts::default())
        .unwrap_err();
    assert!(matches!(err, KpiError::PointsNeeded { .. }), "{err}");
}

#[test]
fn k3_additions_above_130_are_capped_by_the_files_choice() {
    let policy = Policy::example("shop").unwrap();
    let card = CardFacts {
        items: vec![
            grade("quality", "excellent"),
            metric("refund_rate", "1"),
            grade("disputes", "excellent"),
            grade("cooperation", "excellent"),
            grade("execution", "excellent"),
        ],
        adjustments: vec![adj("praise", 10, None)],
    };
    let s = policy
        .score_card("after_sales", &card, &AttendanceCounts::default())
        .unwrap();
    assert_eq!(s.raw, d("150"));
    assert_eq!(s.score, d("130"));
}

#[test]
fn a9_attendance_item_full_20_late_and_leave_minus_5_absence_minus_10_floored_at_0() {
    let policy = Policy::example("shop").unwrap();
    let cases = [
        (AttendanceCounts::default(), 20),
        (
            AttendanceCounts {
                late: 1,
                leaves: 1,
                ..Default::default()
            },
            10,
        ),
        (
            AttendanceCounts {
                absent: 1,
                ..Default::default()
            },
            10,
        ),
        (
            AttendanceCounts {
                late: 2,
                absent: 2,
                ..Default::default()
            },
            0,
        ),
    ];
    for (counts, expected) in cases {
        let s = policy
            .score_card("after_sales", &shop_card(), &counts)
            .unwrap();
        assert_eq!(s.items[5].points, Decimal::from(expected), "{counts:?}");
    }
}

#[test]
fn a9_attendance_item_takes_no_item_fact() {
    let policy = Policy::example("shop").unwrap();
    let mut card = shop_card();
    card.items.push(ItemFact {
        item: "attendance".into(),
        value: ItemValue::Points(20.into()),
    });
    let err = policy
        .score_card("after_sales", &card, &AttendanceCounts::default())
        .unwrap_err();
    assert_eq!(
        err,
        KpiError::FedByAttendance {
            item: "attendance".into()
        }
    );
}

#[test]
fn k4_pass_line_is_70_percent_of_130() {
    let policy = Policy::example("shop").unwrap();
    let kpi = policy.kpi().unwrap();
    let card = kpi.scorecard("after_sales").unwrap();
    // Build 91 and 90 from the card: 110 from items, minus deductions.
    for (deduct, passes) in [("19", true), ("20", false)] {
        let mut facts = shop_card();
        facts.items[1] = metric("refund_rate", "1");
        facts.adjustments = vec![adj("complaint", 1, Some(deduct))];
        let s = card.score(&facts, &AttendanceCounts::default()).unwrap();
        assert_eq!(s.score, Decimal::from(if passes { 91 } else { 90 }));
        assert_eq!(s.passed(), passes, "score {}", s.score);
        let name = kpi.grade_name(card, s.grade.unwrap()).unwrap();
        assert_eq!(name, if passes { "pass" } else { "fail" });
    }
}

#[test]
fn bad_facts_unknown_grade_and_points_above_max_are_errors() {
    let policy = Policy::example("shop").unwrap();
    let mut card = shop_card();
    card.items[0] = grade("quality", "superb");
    let err = policy
        .score_card("after_sales", &card, &AttendanceCounts::default())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "item `quality` has no grade `superb`; its grades are: excellent, good, fair, poor"
    );

    let facts = CardFacts {
        items: vec![ItemFact {
            item: "assessment".into(),
            value: ItemValue::Points(101.into()),
        }],
        adjustments: vec![],
    };
    let property = Policy::example("property").unwrap();
    let err = property
        .score_card("front_desk", &facts, &AttendanceCounts::default())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "item `assessment` is given `101` points, outside 0 to its maximum `100`"
    );
    let err = property
        .score_card("back_desk", &facts, &AttendanceCounts::default())
        .unwrap_err();
    assert!(matches!(err, KpiError::UnknownScorecard { .. }));
}

#[test]
fn bad_facts_missing_unknown_and_repeated_items_are_errors() {
    let policy = Policy::example("shop").unwrap();
    let edited = |edit: fn(&mut CardFacts)| {
        let mut card = shop_card();
        edit(&mut card);
        card
    };
    /// (case, the shop's card edited, the error it must give)
    type Row = (&'static str, CardFacts, fn(&KpiError) -> bool);
    #[rustfmt::skip]
    let rows: [Row; 3] = [
        ("bad_facts_missing_unknown_and_repeated_items_are_errors (missing)", edited(|c| { c.items.pop(); }),
         |e| matches!(e, KpiError::MissingItem { item, .. } if item == "execution")),
        ("bad_facts_missing_unknown_and_repeated_items_are_errors (repeated)", edited(|c| c.items.push(grade("quality", "good"))),
         |e| matches!(e, KpiError::RepeatedItem { item, .. } if item == "quality")),
        ("bad_facts_missing_unknown_and_repeated_items_are_errors (unknown)", edited(|c| c.items.push(grade("qualty", "good"))),
         |e| matches!(e, KpiError::UnknownItem { item, .. } if item == "qualty")),
    ];
    for (case, card, expected) in rows {
        let err = policy
            .score_card("after_sales", &card, &AttendanceCounts::default())
            .unwrap_err();
        assert!(expected(&err), "{case}: {err:?}");
    }
}

fn front_desk(points: &str) -> Result<cs_policy::kpi::CardScore, KpiError> {
    let policy = Policy::example("property").unwrap();
    let facts = CardFacts {
        items: vec![ItemFact {
            item: "assessment".into(),
            value: ItemValue::Points(d(points)),
        }],
        adjustments: vec![],
    };
    policy.score_card("front_desk", &facts, &AttendanceCounts::default())
}

#[test]
fn k5_bands_at_98_97_90_86_85() {
    let policy = Policy::example("property").unwrap();
    let kpi = policy.kpi().unwrap();
    let card = kpi.scorecard("front_desk").unwrap();
    for (score, name, share) in [
        ("98", "excellent", 100),
        ("100", "excellent", 100),
        ("97", "good", 100),
        ("91", "good", 100),
        ("90", "basic_pass", 80),
        ("86", "basic_pass", 80),
        ("85", "fail", 0),
        ("0", "fail", 0),
    ] {
        let s = front_desk(score).unwrap();
        let g = s.grade.unwrap();
        assert_eq!(kpi.grade_name(card, g), Some(name), "{score}");
        assert_eq!(g.pay_share, Some(Decimal::from(share)), "{score}");
        assert_eq!(g.pass, name != "fail");
    }
}

#[test]
fn k5_whole_number_bands_reject_97_5() {
    assert_eq!(
        front_desk("97.5").unwrap_err(),
        KpiError::NotWhole { score: d("97.5") }
    );
}

#[test]
fn k6_weighted_categories_40_30_20_10_assessed_quarterly() {
    let policy = Policy::example("call-centre").unwrap();
    let card = policy
        .kpi()
        .unwrap()
        .scorecard("property_satisfaction")
        .unwrap();
    assert_eq!(card.period(), Period::Quarter);
    let facts = CardFacts {
        items: vec![
            rating("owner_satisfaction", 90),
            rating("efficiency", 80),
            rating("resolution", 75),
            rating("teamwork", 100),
        ],
        adjustments: vec![],
    };
    let s = card.score(&facts, &AttendanceCounts::default()).unwrap();
    // 36 + 24 + 15 + 10
    assert_eq!(s.score, d("85"));
    let bad = CardFacts {
        items: vec![rating("owner_satisfaction", 101)],
        adjustments: vec![],
    };
    assert!(matches!(
        card.score(&bad, &AttendanceCounts::default()),
        Err(KpiError::RatingOutOfRange { .. })
    ));
}

#[test]
fn k7_weights_30_30_20_20_graded_90_80_70() {
    let policy = Policy::example("call-centre").unwrap();
    let kpi = policy.kpi().unwrap();
    let card = kpi.scorecard("property_template").unwrap();
    for (r, name) in [
        (100, "excellent"),
        (90, "excellent"),
        (89, "good"),
        (80, "good"),
        (79, "pass"),
        (70, "pass"),
        (69, "fail"),
    ] {
        let facts = CardFacts {
            items: vec![
                rating("knowledge", r),
                rating("attitude", r),
                rating("teamwork", r),
                rating("professionalism", r),
            ],
            adjustments: vec![],
        };
        let s = card.score(&facts, &AttendanceCounts::default()).unwrap();
        assert_eq!(s.score, Decimal::from(r));
        assert_eq!(kpi.grade_name(card, s.grade.unwrap()), Some(name), "{r}");
    }
    // 89.5 falls in a half-open band, not in a gap.
    let facts = CardFacts {
        items: vec![
            rating("knowledge", 90),
            rating("attitude", 90),
            rating("teamwork", 90),
            ItemFact {
                item: "professionalism".into(),
                value: ItemValue::Rating(d("87.5")),
            },
        ],
        adjustments: vec![],
    };
    let s = card.score(&facts, &AttendanceCounts::default()).unwrap();
    assert_eq!(s.score, d("89.5"));
    assert_eq!(kpi.grade_name(card, s.grade.unwrap()), Some("good"));
}

#[test]
fn k8_shipped_department_template_is_corrected_to_110() {
    let policy = Policy::example("call-centre").unwrap();
    let card = policy
        .kpi()
        .unwrap()
        .scorecard("department_template")
        .unwrap();
    let maxima: Vec<String> = card.items().iter().map(|i| i.max().to_string()).collect();
    assert_eq!(maxima, ["30", "20", "15", "15", "20", "10"]);
    assert_eq!(card.total(), d("110"));
}

#[test]
fn every_result_cites_a_clause_with_a_source() {
    let policy = Policy::example("shop").unwrap();
    let s = policy
        .score_card("after_sales", &shop_card(), &one_late())
        .unwrap();
    let refund = policy.clause(s.items[1].clause).unwrap();
    assert_eq!(refund.id(), "kpi.scorecards.after_sales.items.refund_rate");
    assert!(refund.source().unwrap().contains("truncated"));
    let band = policy.clause(s.grade.unwrap().clause).unwrap();
    assert_eq!(band.id(), "kpi.scorecards.after_sales.bands.rows[1]");
    assert!(band.source().unwrap().contains("70%"));
}
