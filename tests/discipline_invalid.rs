//! Invalid `[discipline]` snippets: each problem's code, line and field.
//! Lines are counted from the first line of the snippet.

use cs_policy::{Policy, ProblemCode};

const HEADER: &str = r#"[policy]
id = "t"
name = "T"
format = 1
currency = "CNY"
time_zone = "Asia/Shanghai"
effective = 2026-01-01

[funds.activity]

[discipline]
"#;

fn header_lines() -> usize {
    HEADER.lines().count()
}

fn load(snippet: &str) -> Result<Policy, cs_policy::Problems> {
    Policy::from_toml_str("t.toml", &format!("{HEADER}{snippet}"))
}

/// Every problem as (code, line within the snippet, field).
fn problems(snippet: &str) -> Vec<(ProblemCode, usize, String)> {
    match load(snippet) {
        Ok(_) => Vec::new(),
        Err(p) => p
            .diagnostics()
            .iter()
            .map(|d| (d.code, d.line - header_lines(), d.field.clone()))
            .collect(),
    }
}

fn one(code: ProblemCode, line: usize, field: &str) -> Vec<(ProblemCode, usize, String)> {
    vec![(code, line, field.to_owned())]
}

fn help_of(snippet: &str) -> String {
    let problems = load(snippet).unwrap_err();
    problems.diagnostics()[0].help.clone().unwrap_or_default()
}

#[test]
fn f1_ladder_that_steps_down_is_out_of_order() {
    let snippet = r#"fund = "activity"
[discipline.ladders.complaint]
window = "calendar_month"
step_amounts = "all_paid"
past_end = "repeat_last"
steps = [
  { amount = 100 },
  { amount = 50 },
]
"#;
    assert_eq!(
        problems(snippet),
        one(
            ProblemCode::OutOfOrder,
            8,
            "discipline.ladders.complaint.steps[1]"
        )
    );
    assert!(help_of(snippet).contains("allow_decrease = true"));
}

#[test]
fn f1_a_stated_decrease_is_accepted() {
    let snippet = r#"fund = "activity"
[discipline.ladders.complaint]
window = "calendar_month"
step_amounts = "all_paid"
past_end = "repeat_last"
allow_decrease = true
steps = [{ amount = 100 }, { amount = 50 }]
"#;
    assert_eq!(problems(snippet), []);
}

#[test]
fn f4_milder_action_after_dismissal_is_out_of_order() {
    let snippet = r#"[discipline.ladders.off_task]
window = "ever"
past_end = "repeat_last"
steps = [
  { actions = ["dismissal"] },
  { actions = ["warning"] },
]
"#;
    assert_eq!(
        problems(snippet),
        one(
            ProblemCode::OutOfOrder,
            6,
            "discipline.ladders.off_task.steps[1]"
        )
    );
}

#[test]
fn f1_gap_past_the_last_step_must_be_stated() {
    let snippet = r#"fund = "activity"
[discipline.ladders.complaint]
window = "calendar_month"
step_amounts = "all_paid"
steps = [{ amount = 50 }, { amount = 100 }, { amount = 200 }]
"#;
    assert_eq!(
        problems(snippet),
        one(
            ProblemCode::UnstatedChoice,
            2,
            "discipline.ladders.complaint.past_end"
        )
    );
    assert!(help_of(snippet).contains("repeat_last"));
}

#[test]
fn f4_gap_counting_window_must_be_stated() {
    let snippet = r#"fund = "activity"
[discipline.ladders.off_task]
step_amounts = "all_paid"
past_end = "repeat_last"
steps = [{ amount = 10 }, { amount = 30 }, { actions = ["dismissal"] }]
"#;
    assert_eq!(
        problems(snippet),
        one(
            ProblemCode::UnstatedChoice,
            2,
            "discipline.ladders.off_task.window"
        )
    );
}

#[test]
fn f1_cumulative_semantics_must_be_stated() {
    let snippet = r#"fund = "activity"
[discipline.ladders.complaint]
window = "calendar_month"
past_end = "repeat_last"
steps = [{ amount = 50 }, { amount = 100 }]
"#;
    assert_eq!(
        problems(snippet),
        one(
            ProblemCode::UnstatedChoice,
            2,
            "discipline.ladders.complaint.step_amounts"
        )
    );
}

#[test]
fn f1_even_a_single_step_must_say_how_amounts_add_up() {
    // Repeated past its end, one step of 50 costs 50 each time, or 50 in all.
    let snippet = r#"fund = "activity"
[discipline.ladders.complaint]
window = "calendar_month"
past_end = "repeat_last"
steps = [{ amount = 50 }]
"#;
    assert_eq!(
        problems(snippet),
        one(
            ProblemCode::UnstatedChoice,
            2,
            "discipline.ladders.complaint.step_amounts"
        )
    );
}

#[test]
fn f4_unknown_action_is_reported_with_a_suggestion() {
    let snippet = r#"[discipline.ladders.off_task]
window = "ever"
past_end = "repeat_last"
steps = [
  { actions = ["warning"] },
  { actions = ["dismisal"] },
]
"#;
    assert_eq!(
        problems(snippet),
        one(
            ProblemCode::InvalidValue,
            6,
            "discipline.ladders.off_task.steps[1].actions[0]"
        )
    );
    assert_eq!(help_of(snippet), "did you mean `dismissal`?");
}

#[test]
fn f2_negative_and_float_amounts_are_rejected() {
    let snippet = r#"fund = "activity"
[discipline.ladders.off_task]
each = { amount = -10 }

[discipline.ladders.disclosure]
each = { amount = 10.5 }
"#;
    assert_eq!(
        problems(snippet),
        vec![
            (
                ProblemCode::OutOfRange,
                3,
                "discipline.ladders.off_task.each.amount".to_owned()
            ),
            (
                ProblemCode::FloatMoney,
                6,
                "discipline.ladders.disclosure.each.amount".to_owned()
            ),
        ]
    );
}

#[test]
fn a8_undefined_fund_is_an_undefined_reference() {
    let snippet = r#"fund = "activty"
[discipline.ladders.disclosure]
each = { amount = 10 }
"#;
    assert_eq!(
        problems(snippet),
        one(ProblemCode::UndefinedReference, 1, "discipline.fund")
    );
    assert_eq!(help_of(snippet), "did you mean `activity`?");
}

#[test]
fn a8_fine_with_money_and_no_fund_is_missing_its_fund() {
    let snippet = r#"[discipline.ladders.disclosure]
each = { amount = 10 }
"#;
    assert_eq!(
        problems(snippet),
        one(
            ProblemCode::MissingKey,
            1,
            "discipline.ladders.disclosure.fund"
        )
    );
}

#[test]
fn windows_must_be_well_formed() {
    let snippet = r#"[discipline.ladders.a]
window = { rolling_days = 0 }
past_end = "repeat_last"
steps = [{ actions = ["warning"] }]

[discipline.ladders.b]
window = "calendar_mnth"
past_end = "repeat_last"
steps = [{ actions = ["warning"] }]

[discipline.ladders.c]
window = 30
past_end = "repeat_last"
steps = [{ actions = ["warning"] }]
"#;
    assert_eq!(
        problems(snippet),
        vec![
            (
                ProblemCode::OutOfRange,
                2,
                "discipline.ladders.a.window.rolling_days".to_owned()
            ),
            (
                ProblemCode::InvalidValue,
                7,
                "discipline.ladders.b.window".to_owned()
            ),
            (
                ProblemCode::WrongType,
                12,
                "discipline.ladders.c.window".to_owned()
            ),
        ]
    );
}

#[test]
fn each_and_steps_conflict_and_one_is_required() {
    let snippet = r#"[discipline.ladders.a]
each = { actions = ["warning"] }
steps = [{ actions = ["warning"] }]

[discipline.ladders.b]
label = "nothing stated"
"#;
    assert_eq!(
        problems(snippet),
        vec![
            (
                ProblemCode::Conflict,
                3,
                "discipline.ladders.a.steps".to_owned()
            ),
            (
                ProblemCode::MissingKey,
                5,
                "discipline.ladders.b.steps".to_owned()
            ),
        ]
    );
}

#[test]
fn flat_rule_has_no_past_end() {
    let snippet = r#"[discipline.ladders.a]
each = { actions = ["warning"] }
past_end = "repeat_last"
"#;
    assert_eq!(
        problems(snippet),
        one(ProblemCode::Conflict, 3, "discipline.ladders.a.past_end")
    );
}

#[test]
fn discretionary_range_must_not_be_upside_down() {
    let snippet = r#"fund = "activity"
[discipline.ladders.complaint]
each = { min = 20, max = 5 }
"#;
    assert_eq!(
        problems(snippet),
        one(
            ProblemCode::OutOfOrder,
            3,
            "discipline.ladders.complaint.each.max"
        )
    );
}

#[test]
fn f9_a_reward_cannot_punish() {
    let snippet = r#"[discipline.rewards.praise]
each = { actions = ["dismissal"] }
"#;
    assert_eq!(
        problems(snippet),
        one(
            ProblemCode::Conflict,
            2,
            "discipline.rewards.praise.each.actions[0]"
        )
    );
}

#[test]
fn f5_alternative_must_name_a_defined_kind() {
    let snippet = r#"[discipline.ladders.complaint_part2]
alternative_to = "complain"
each = { actions = ["demerit"] }

[discipline.ladders.complaint]
each = { actions = ["warning"] }
"#;
    assert_eq!(
        problems(snippet),
        one(
            ProblemCode::UndefinedReference,
            2,
            "discipline.ladders.complaint_part2.alternative_to"
        )
    );
    assert_eq!(help_of(snippet), "did you mean `complaint`?");
}

#[test]
fn f5_alternative_of_an_invalid_kind_reports_only_the_kind() {
    let snippet = r#"[discipline.ladders.complaint_part2]
alternative_to = "complaint"
each = { actions = ["demerit"] }

[discipline.ladders.complaint]
each = { actions = ["demirit"] }
"#;
    assert_eq!(
        problems(snippet),
        one(
            ProblemCode::InvalidValue,
            6,
            "discipline.ladders.complaint.each.actions[0]"
        )
    );
}

#[test]
fn kind_ids_are_shared_by_ladders_and_rewards() {
    let snippet = r#"[discipline.ladders.praise]
each = { actions = ["warning"] }

[discipline.rewards.praise]
each = { actions = ["commendation"] }
"#;
    assert_eq!(
        problems(snippet),
        one(ProblemCode::Duplicate, 4, "discipline.rewards.praise")
    );
}

#[test]
fn total_so_far_needs_fixed_rising_amounts() {
    let snippet = r#"fund = "activity"
[discipline.ladders.a]
window = "ever"
past_end = "repeat_last"
step_amounts = "total_so_far"
allow_decrease = true
steps = [{ amount = 50 }, { amount = 20 }]
"#;
    assert_eq!(
        problems(snippet),
        one(
            ProblemCode::Conflict,
            5,
            "discipline.ladders.a.step_amounts"
        )
    );
}

#[test]
fn past_end_rules_are_checked() {
    let snippet = r#"fund = "activity"
[discipline.ladders.halving]
window = "ever"
step_amounts = "all_paid"
steps = [{ amount = 50 }, { amount = 100 }]
past_end = { multiply = "0.5" }

[discipline.ladders.adds_to_a_range]
window = "ever"
step_amounts = "all_paid"
steps = [{ min = 10, max = 20 }]
past_end = { add = 10 }

[discipline.ladders.lower_after]
window = "ever"
step_amounts = "all_paid"
steps = [{ amount = 50 }, { amount = 100 }]
past_end = { amount = 60 }

[discipline.ladders.typo]
window = "ever"
steps = [{ actions = ["warning"] }]
past_end = "repeat_lst"
"#;
    assert_eq!(
        problems(snippet),
        vec![
            (
                ProblemCode::OutOfOrder,
                6,
                "discipline.ladders.halving.past_end".to_owned()
            ),
            (
                ProblemCode::Conflict,
                12,
                "discipline.ladders.adds_to_a_range.past_end".to_owned()
            ),
            (
                ProblemCode::OutOfOrder,
                18,
                "discipline.ladders.lower_after.past_end".to_owned()
            ),
            (
                ProblemCode::InvalidValue,
                23,
                "discipline.ladders.typo.past_end".to_owned()
            ),
        ]
    );
}

#[test]
fn unknown_keys_in_steps_get_a_suggestion() {
    let snippet = r#"fund = "activity"
[discipline.ladders.a]
window = "ever"
past_end = "repeat_last"
steps = [{ amout = 10 }]
"#;
    let problems = load(snippet).unwrap_err();
    let codes: Vec<_> = problems
        .diagnostics()
        .iter()
        .map(|d| (d.code, d.field.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            (ProblemCode::MissingKey, "discipline.ladders.a.steps[0]"),
            (
                ProblemCode::UnknownKey,
                "discipline.ladders.a.steps[0].amout"
            ),
        ]
    );
    assert_eq!(
        problems.diagnostics()[1].help.as_deref(),
        Some("did you mean `amount`?")
    );
}

#[test]
fn every_problem_is_reported_not_only_the_first() {
    let snippet = r#"fund = "activity"
[discipline.ladders.a]
steps = [{ amount = 100 }, { amount = 50 }]

[discipline.ladders.b]
each = { actions = ["sacked"] }
"#;
    let codes: Vec<_> = problems(snippet).into_iter().map(|p| p.0).collect();
    assert_eq!(
        codes,
        [
            ProblemCode::UnstatedChoice,
            ProblemCode::UnstatedChoice,
            ProblemCode::UnstatedChoice,
            ProblemCode::OutOfOrder,
            ProblemCode::InvalidValue,
        ]
    );
}
