//! Invalid `[pay]` sections: each problem with its exact code, line and field.

use cs_policy::{Policy, ProblemCode};

const HEAD: &str = r#"[policy]
id = "t"
name = "T"
format = 1
currency = "CNY"
time_zone = "Asia/Shanghai"
effective = 2026-01-01

[kpi.scorecards.card]
total = 100
[kpi.scorecards.card.items.all]
kind = "points"
max = 100
[kpi.scorecards.card.bands]
over = "score"
bounds = "half_open"
rows = [{ grade = "fail", to = 70, pass = false }, { grade = "pass", from = 70 }]
"#;

fn line_of(text: &str, needle: &str) -> usize {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in text"));
    text[..at].matches('\n').count() + 1
}

fn problems(body: &str) -> (String, Vec<(ProblemCode, usize, String)>) {
    let text = format!("{HEAD}{body}");
    let err = Policy::from_toml_str("t.toml", &text).expect_err("the snippet should not load");
    let list = err
        .diagnostics()
        .iter()
        .map(|d| (d.code, d.line, d.field.clone()))
        .collect();
    (text, list)
}

#[test]
fn k4_plan_naming_an_undefined_scorecard() {
    let (text, list) = problems(
        r#"
[pay.plans.p]
scorecard = "crad"
[pay.plans.p.kpi_bonus]
pool = "1000"
"#,
    );
    assert_eq!(
        list,
        [(
            ProblemCode::UndefinedReference,
            line_of(&text, "scorecard = \"crad\""),
            "pay.plans.p.scorecard".into()
        )]
    );
    let err = Policy::from_toml_str("t.toml", &text).unwrap_err();
    assert_eq!(
        err.diagnostics()[0].help.as_deref(),
        Some("defined scorecards: `card`")
    );
}

#[test]
fn k4_pool_written_as_a_float_is_rejected() {
    let (text, list) = problems(
        r#"
[pay.plans.p]
scorecard = "card"
[pay.plans.p.kpi_bonus]
pool = 1000.0
"#,
    );
    assert_eq!(
        list,
        [(
            ProblemCode::FloatMoney,
            line_of(&text, "pool = 1000.0"),
            "pay.plans.p.kpi_bonus.pool".into()
        )]
    );
}

#[test]
fn k5_performance_pay_needs_a_share_on_every_band() {
    let (text, list) = problems(
        r#"
[pay.plans.p]
scorecard = "card"
[pay.plans.p.performance]
full = "1000"
"#,
    );
    assert_eq!(
        list,
        [(
            ProblemCode::MissingKey,
            line_of(&text, "[pay.plans.p.performance]"),
            "pay.plans.p.performance".into()
        )]
    );
}

#[test]
fn k10_awards_must_state_who_is_ranked_and_what_a_tie_gets() {
    let (text, list) = problems(
        r#"
[pay.plans.p]
scorecard = "card"
[pay.plans.p.awards]
prizes = [{ rank = 1, amount = "100" }]
"#,
    );
    let line = line_of(&text, "[pay.plans.p.awards]");
    assert_eq!(
        list,
        [
            (
                ProblemCode::UnstatedChoice,
                line,
                "pay.plans.p.awards.among".into()
            ),
            (
                ProblemCode::UnstatedChoice,
                line,
                "pay.plans.p.awards.ties".into()
            ),
        ]
    );
}

#[test]
fn k9_k11_levels_must_be_defined_and_choices_stated() {
    let (text, list) = problems(
        r#"
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
    );
    let levels = line_of(&text, "[pay.plans.p.star_levels]");
    assert_eq!(
        list,
        [
            (
                ProblemCode::UnstatedChoice,
                levels,
                "pay.plans.p.star_levels.pay_by".into()
            ),
            (
                ProblemCode::UnstatedChoice,
                levels,
                "pay.plans.p.star_levels.promotion".into()
            ),
            (
                ProblemCode::OutOfOrder,
                line_of(&text, "min_score = 75"),
                "pay.plans.p.star_levels.levels.one_star.min_score".into()
            ),
            (
                ProblemCode::UndefinedReference,
                line_of(&text, "to = \"probation\""),
                "pay.plans.p.star_levels.demotions[0].to".into()
            ),
        ]
    );
}

#[test]
fn k13_reward_streak_must_say_whether_it_repeats() {
    let (text, list) = problems(
        r#"
[pay.plans.p]
scorecard = "card"
[[pay.plans.p.streaks]]
when = "ranked_first"
months = 3
reward = "200"
"#,
    );
    assert_eq!(
        list,
        [(
            ProblemCode::UnstatedChoice,
            line_of(&text, "when = \"ranked_first\"") - 1,
            "pay.plans.p.streaks[0].repeat".into()
        )]
    );
}

#[test]
fn k14_window_days_out_of_order() {
    let (text, list) = problems(
        r#"
[pay.plans.p]
[pay.plans.p.window]
from_day = 10
to_day = 5
"#,
    );
    assert_eq!(
        list,
        [(
            ProblemCode::OutOfRange,
            line_of(&text, "to_day = 5"),
            "pay.plans.p.window.to_day".into()
        )]
    );
}

#[test]
fn k4_kpi_bonus_without_a_scorecard() {
    let (text, list) = problems(
        r#"
[pay.plans.p]
[pay.plans.p.kpi_bonus]
pool = "1000"
"#,
    );
    assert_eq!(
        list,
        [(
            ProblemCode::MissingKey,
            line_of(&text, "[pay.plans.p]"),
            "pay.plans.p.scorecard".into()
        )]
    );
}

/// A10 stated in both the attendance section and a plan's exclusion: the two
/// numbers must agree, or an edit to one place would go unseen.
#[test]
fn a10_limits_that_disagree_are_a_conflict() {
    let (_, text) = cs_policy::EXAMPLES
        .iter()
        .find(|(name, _)| *name == "call-centre")
        .unwrap_or_else(|| panic!("call-centre is shipped"));
    assert!(Policy::from_toml_str("call-centre.toml", text).is_ok());
    let edited = text.replace("absent_months_over = 2", "absent_months_over = 3");
    assert_ne!(&edited, text);
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
