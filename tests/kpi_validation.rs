//! Invalid `[kpi]` sections: each problem with its exact code, line and field.

mod common;

use common::{diagnostics, line_of, policy_table};
use cs_policy::{Policy, ProblemCode};

const HEAD: &str = policy_table!("t", "T");

#[test]
fn k8_faithful_copy_is_caught_as_a_total_mismatch() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/kpi/k8_faithful.toml"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let err = Policy::from_toml_str("k8_faithful.toml", &text).unwrap_err();
    let [d] = err.diagnostics() else {
        panic!("expected exactly one problem:\n{err}");
    };
    assert_eq!(d.code, ProblemCode::TotalMismatch);
    assert_eq!(d.line, line_of(&text, "total = 100"));
    assert_eq!(d.column, 9);
    assert_eq!(d.field, "kpi.scorecards.department_template.total");
    assert_eq!(
        d.message,
        "the items of scorecard `department_template` add up to `110` (30 + 20 + 15 + 15 + 20 + 10) but `total` is `100`"
    );
    assert_eq!(
        d.help.as_deref(),
        Some("make the item maxima add up to `100`, or declare `total = 110`")
    );
}

/// The K5 card the band cases below hang their bands on.
macro_rules! k5_card {
    () => {
        r#"
[kpi.scorecards.k5]
total = 100
[kpi.scorecards.k5.items.assessment]
kind = "points"
max = 100
"#
    };
}

/// An invalid `[kpi]` snippet and every problem it gives, in order.
struct Case {
    /// Named after the rules it pins.
    case: &'static str,
    body: &'static str,
    /// (code, a text first found on the problem's line, field, the message
    /// where the case pins it).
    problems: &'static [(
        ProblemCode,
        &'static str,
        &'static str,
        Option<&'static str>,
    )],
}

const INVALID: &[Case] = &[
    Case {
        case: "k7_weights_that_do_not_add_up_to_the_total_are_rejected",
        body: r#"
[kpi.scorecards.k7]
total = 100
[kpi.scorecards.k7.items.knowledge]
kind = "rated"
max = 30
[kpi.scorecards.k7.items.attitude]
kind = "rated"
max = 30
[kpi.scorecards.k7.items.teamwork]
kind = "rated"
max = 20
"#,
        problems: &[(
            ProblemCode::TotalMismatch,
            "total = 100",
            "kpi.scorecards.k7.total",
            Some("the items of scorecard `k7` add up to `80` (30 + 30 + 20) but `total` is `100`"),
        )],
    },
    Case {
        case: "k5_integer_ranges_read_as_half_open_leave_a_gap_from_97_to_98",
        body: concat!(
            k5_card!(),
            r#"[kpi.scorecards.k5.bands]
over = "score"
bounds = "half_open"
rows = [
  { grade = "fail", to = 86 },
  { grade = "basic", from = 86, to = 91 },
  { grade = "good", from = 91, to = 97 },
  { grade = "excellent", from = 98 },
]
"#
        ),
        problems: &[(
            ProblemCode::Gap,
            "{ grade = \"excellent\"",
            "kpi.scorecards.k5.bands.rows[3]",
            Some("scores from `97` up to `98` are in no band (between `good` and `excellent`)"),
        )],
    },
    Case {
        case: "k5_whole_number_rows_that_overlap_are_rejected",
        body: concat!(
            k5_card!(),
            r#"[kpi.scorecards.k5.bands]
over = "score"
bounds = "whole_numbers"
rows = [
  { grade = "fail", max = 85 },
  { grade = "basic", min = 86, max = 91 },
  { grade = "good", min = 91, max = 97 },
  { grade = "excellent", min = 98 },
]
"#
        ),
        problems: &[(
            ProblemCode::Overlap,
            "{ grade = \"good\"",
            "kpi.scorecards.k5.bands.rows[2]",
            Some("bands `basic` and `good` both hold scores from `91` up to `91`"),
        )],
    },
    Case {
        case: "k5_bands_must_say_whether_scores_are_whole_numbers",
        body: concat!(
            k5_card!(),
            r#"[kpi.scorecards.k5.bands]
over = "score"
rows = [{ grade = "all" }]
"#
        ),
        problems: &[(
            ProblemCode::UnstatedChoice,
            "[kpi.scorecards.k5.bands]",
            "kpi.scorecards.k5.bands.bounds",
            Some(
                "`kpi.scorecards.k5.bands` does not state `bounds`, a choice the source leaves open",
            ),
        )],
    },
    Case {
        case: "k4_bands_that_stop_short_of_the_top_score_leave_a_gap",
        body: concat!(
            k5_card!(),
            r#"[kpi.scorecards.k5.bands]
over = "percent"
bounds = "half_open"
rows = [
  { grade = "fail", from = 10, to = 70, pass = false },
  { grade = "pass", from = 70, to = 100 },
]
"#
        ),
        problems: &[
            (
                ProblemCode::Gap,
                "{ grade = \"fail\"",
                "kpi.scorecards.k5.bands.rows[0]",
                Some("scores from `0` up to `10` are in no band"),
            ),
            (
                ProblemCode::Gap,
                "{ grade = \"pass\"",
                "kpi.scorecards.k5.bands.rows[1]",
                Some("a score of `100` is in no band"),
            ),
        ],
    },
    Case {
        case: "k3_additions_and_deductions_need_the_cap_and_floor_choices",
        body: r#"
[kpi.scorecards.k1]
total = 20
[kpi.scorecards.k1.items.quality]
kind = "points"
max = 20
[kpi.scorecards.k1.adjustments.praise]
kind = "addition"
points = 2
[kpi.scorecards.k1.adjustments.complaint]
kind = "deduction"
range = [5, 20]
"#,
        problems: &[
            (
                ProblemCode::UnstatedChoice,
                "[kpi.scorecards.k1]",
                "kpi.scorecards.k1.above_total",
                None,
            ),
            (
                ProblemCode::UnstatedChoice,
                "[kpi.scorecards.k1]",
                "kpi.scorecards.k1.below_zero",
                None,
            ),
        ],
    },
    Case {
        case: "a9_attendance_item_must_say_whether_it_floors_at_zero",
        body: r#"
[kpi.scorecards.c]
total = 20
below_zero = "floor"
[kpi.scorecards.c.items.attendance]
kind = "attendance"
max = 20
full = 20
per_late = 5
per_early_leave = 0
per_leave = 5
per_absence = 10
"#,
        problems: &[(
            ProblemCode::UnstatedChoice,
            "[kpi.scorecards.c.items.attendance]",
            "kpi.scorecards.c.items.attendance.floor_at_zero",
            Some(
                "`kpi.scorecards.c.items.attendance` does not state `floor_at_zero`, a choice the source leaves open",
            ),
        )],
    },
    Case {
        case: "k1_k2_every_problem_in_a_card_is_reported_not_only_the_first",
        body: r#"
[kpi.scorecards.k1]
total = 50
[kpi.scorecards.k1.items.quality]
kind = "graded"
max = 20
grades = [{ grade = "excellent", points = 25 }, { grade = "good", points = 15 }]
[kpi.scorecards.k1.items.refund_rate]
kind = "tiered"
max = 30
tiers = [{ at_most = 8, points = 20 }, { at_most = 5, points = 30 }]
otherwise = 0
[kpi.scorecards.k1.items.speed]
kind = "fast"
max = 10
"#,
        problems: &[
            (
                ProblemCode::OutOfRange,
                "grades = ",
                "kpi.scorecards.k1.items.quality.grades[0].points",
                None,
            ),
            (
                ProblemCode::OutOfOrder,
                "tiers = ",
                "kpi.scorecards.k1.items.refund_rate.tiers[1].at_most",
                None,
            ),
            (
                ProblemCode::InvalidValue,
                "kind = \"fast\"",
                "kpi.scorecards.k1.items.speed.kind",
                None,
            ),
        ],
    },
];

/// K1–K5, K7, A9: each invalid snippet gives exactly its problems, and the
/// messages the case pins.
#[test]
fn k1_k7_each_invalid_snippet_reports_every_problem() {
    for row in INVALID {
        let text = format!("{HEAD}{}", row.body);
        let got = diagnostics(&text);
        assert_eq!(
            got.len(),
            row.problems.len(),
            "case `{}`: {got:?}",
            row.case
        );
        for (got, &(code, at, field, message)) in got.iter().zip(row.problems) {
            let want_message = message.unwrap_or(&got.3);
            assert_eq!(
                (got.0, got.1, got.2.as_str(), got.3.as_str()),
                (code, line_of(&text, at), field, want_message),
                "case `{}`",
                row.case
            );
        }
    }
}

#[test]
fn k8_faithful_copy_renders_with_its_source_line() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/kpi/k8_faithful.toml"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let err = Policy::from_toml_str("tests/fixtures/kpi/k8_faithful.toml", &text).unwrap_err();
    insta::assert_snapshot!(err.render());
}

/// K5 (issue 14): whole-number bands on a card that can score a fraction pass
/// nothing through: the conflict is found at check time, not at the first
/// 97.5 evaluated.
#[test]
fn k5_whole_number_bands_on_a_card_that_scores_fractions_are_rejected() {
    let bands = r#"
[kpi.scorecards.k5.bands]
over = "score"
bounds = "whole_numbers"
rows = [
  { grade = "fail", max = 85, pass = false },
  { grade = "basic_pass", min = 86, max = 90 },
  { grade = "good", min = 91, max = 97 },
  { grade = "excellent", min = 98 },
]
"#;
    let cases = [
        (
            "[kpi.scorecards.k5.items.knowledge]\nkind = \"rated\"\nmax = 100\n",
            "rated item `knowledge`",
        ),
        (
            "[kpi.scorecards.k5.items.form]\nkind = \"points\"\nmax = 100\n\
             [kpi.scorecards.k5.adjustments.praise]\nkind = \"addition\"\npoints = \"0.5\"\n",
            "adjustment `praise`",
        ),
    ];
    for (items, what) in cases {
        let body =
            format!("\n[kpi.scorecards.k5]\ntotal = 100\nabove_total = \"cap\"\n{items}{bands}");
        let text = format!("{HEAD}{body}");
        let err = Policy::from_toml_str("t.toml", &text).unwrap_err();
        let [d] = err.diagnostics() else {
            panic!("expected exactly one problem:\n{err}");
        };
        assert_eq!(d.code, ProblemCode::Conflict);
        assert_eq!(d.line, line_of(&text, "bounds = \"whole_numbers\""));
        assert_eq!(d.column, 10);
        assert_eq!(d.field, "kpi.scorecards.k5.bands.bounds");
        assert_eq!(
            d.message,
            format!("whole-number bands on a card whose {what} can score a fraction")
        );
        assert!(
            d.help
                .as_deref()
                .unwrap()
                .contains("`bounds = \"half_open\"`")
        );
    }
    // Whole points and whole adjustments: the shipped K5 card stays valid.
    let property = Policy::example("property").unwrap();
    let card = property.kpi().unwrap().scorecard("front_desk").unwrap();
    assert_eq!(
        card.bands().unwrap().bounds(),
        cs_policy::kpi::Bounds::WholeNumbers
    );
}
