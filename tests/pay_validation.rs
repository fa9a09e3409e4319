//! Invalid `[pay]` sections: each problem with its exact code, line and field.

mod common;

use common::{InvalidAt, assert_invalid_at, example_edited, example_text, line_of, policy_table};
use cs_policy::{Policy, ProblemCode};

const HEAD: &str = concat!(
    policy_table!("t", "T"),
    r#"
[kpi.scorecards.card]
total = 100
[kpi.scorecards.card.items.all]
kind = "points"
max = 100
[kpi.scorecards.card.bands]
over = "score"
bounds = "half_open"
rows = [{ grade = "fail", to = 70, pass = false }, { grade = "pass", from = 70 }]
"#
);

/// Invalid `[pay]` snippets, each with every problem placed by a text on its line.
const INVALID: &[InvalidAt] = &[
    InvalidAt {
        case: "k4_plan_naming_an_undefined_scorecard",
        body: r#"
[pay.plans.p]
scorecard = "crad"
[pay.plans.p.kpi_bonus]
pool = "1000"
"#,
        problems: &[(
            ProblemCode::UndefinedReference,
            "scorecard = \"crad\"",
            "pay.plans.p.scorecard",
        )],
        helps: &[(0, "defined scorecards: `card`")],
    },
    InvalidAt {
        case: "k4_pool_written_as_a_float_is_rejected",
        body: r#"
[pay.plans.p]
scorecard = "card"
[pay.plans.p.kpi_bonus]
pool = 1000.0
"#,
        problems: &[(
            ProblemCode::FloatMoney,
            "pool = 1000.0",
            "pay.plans.p.kpi_bonus.pool",
        )],
        helps: &[],
    },
    InvalidAt {
        case: "k5_performance_pay_needs_a_share_on_every_band",
        body: r#"
[pay.plans.p]
scorecard = "card"
[pay.plans.p.performance]
full = "1000"
"#,
        problems: &[(
            ProblemCode::MissingKey,
            "[pay.plans.p.performance]",
            "pay.plans.p.performance",
        )],
        helps: &[],
    },
    InvalidAt {
        case: "k10_awards_must_state_who_is_ranked_and_what_a_tie_gets",
        body: r#"
[pay.plans.p]
scorecard = "card"
[pay.plans.p.awards]
prizes = [{ rank = 1, amount = "100" }]
"#,
        problems: &[
            (
                ProblemCode::UnstatedChoice,
                "[pay.plans.p.awards]",
                "pay.plans.p.awards.among",
            ),
            (
                ProblemCode::UnstatedChoice,
                "[pay.plans.p.awards]",
                "pay.plans.p.awards.ties",
            ),
        ],
        helps: &[],
    },
    InvalidAt {
        case: "k9_k11_levels_must_be_defined_and_choices_stated",
        body: r#"
[pay.plans.p]
scorecard = "card"
[pay.plans.p.star_levels]
start = "trial"
[pay.plans.p.star_levels.levels.trial]
base = "1100"
[pay.plans.p.star_levels.levels.ordinary]
min_score = 80
base = "1100"
[pay.plans.p.star_levels.levels.one_star]
min_score = 75
base = "1100"
[[pay.plans.p.star_levels.demotions]]
from = ["ordinary"]
when = "score_below"
score = 70
to = "probation"
"#,
        problems: &[
            (
                ProblemCode::UnstatedChoice,
                "[pay.plans.p.star_levels]",
                "pay.plans.p.star_levels.pay_by",
            ),
            (
                ProblemCode::UnstatedChoice,
                "[pay.plans.p.star_levels]",
                "pay.plans.p.star_levels.promotion",
            ),
            (
                ProblemCode::OutOfOrder,
                "min_score = 75",
                "pay.plans.p.star_levels.levels.one_star.min_score",
            ),
            (
                ProblemCode::UndefinedReference,
                "to = \"probation\"",
                "pay.plans.p.star_levels.demotions[0].to",
            ),
        ],
        helps: &[],
    },
    InvalidAt {
        case: "k13_reward_streak_must_say_whether_it_repeats",
        body: r#"
[pay.plans.p]
scorecard = "card"
[[pay.plans.p.streaks]]
when = "ranked_first"
months = 3
reward = "200"
"#,
        // The table's header, the line before `when`.
        problems: &[(
            ProblemCode::UnstatedChoice,
            "[[pay.plans.p.streaks]]",
            "pay.plans.p.streaks[0].repeat",
        )],
        helps: &[],
    },
    InvalidAt {
        case: "k14_window_days_out_of_order",
        body: r#"
[pay.plans.p]
[pay.plans.p.window]
from_day = 10
to_day = 5
"#,
        problems: &[(
            ProblemCode::OutOfRange,
            "to_day = 5",
            "pay.plans.p.window.to_day",
        )],
        helps: &[],
    },
    InvalidAt {
        case: "k4_kpi_bonus_without_a_scorecard",
        body: r#"
[pay.plans.p]
[pay.plans.p.kpi_bonus]
pool = "1000"
"#,
        problems: &[(
            ProblemCode::MissingKey,
            "[pay.plans.p]",
            "pay.plans.p.scorecard",
        )],
        helps: &[],
    },
];

/// K4, K5, K9–K11, K13, K14: each invalid snippet gives exactly its problems.
#[test]
fn k4_k14_each_invalid_snippet_reports_every_problem() {
    assert_invalid_at(HEAD, INVALID);
}

/// A10 stated in both the attendance section and a plan's exclusion: the two
/// numbers must agree, or an edit to one place would go unseen.
#[test]
fn a10_limits_that_disagree_are_a_conflict() {
    let text = example_text("call-centre");
    assert!(Policy::from_toml_str("call-centre.toml", text).is_ok());
    let edited = example_edited(
        "call-centre",
        &[("absent_months_over = 2", "absent_months_over = 3")],
    );
    assert_ne!(edited, text);
    let err = Policy::from_toml_str("call-centre.toml", &edited).expect_err("the limits disagree");
    let found: Vec<_> = err
        .diagnostics()
        .iter()
        .map(|d| (d.code, d.line, d.field.as_str()))
        .collect();
    assert_eq!(
        found,
        [(
            ProblemCode::Conflict,
            line_of(&edited, "absent_months_over = 3"),
            "pay.plans.assessment_system.exclusion.absent_months_over"
        )]
    );
}
