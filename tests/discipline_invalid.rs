//! Invalid `[discipline]` snippets: each problem's code, line and field.
//! Lines are counted from the first line of the snippet.

mod common;

use common::{Invalid, Lines, assert_invalid, codes_and_fields, policy_table, problems_below};
use cs_policy::{Policy, ProblemCode};

const HEADER: &str = concat!(
    policy_table!("t", "T"),
    "\n[funds.activity]\n\n[discipline]\n"
);

fn load(snippet: &str) -> Result<Policy, cs_policy::Problems> {
    Policy::from_toml_str("t.toml", &format!("{HEADER}{snippet}"))
}

/// Every problem as (code, line within the snippet, field).
fn problems(snippet: &str) -> Vec<(ProblemCode, usize, String)> {
    problems_below(HEADER, snippet)
}

fn one(code: ProblemCode, line: usize, field: &str) -> Vec<(ProblemCode, usize, String)> {
    vec![(code, line, field.to_owned())]
}

fn help_of(snippet: &str) -> String {
    let problems = load(snippet).unwrap_err();
    problems.diagnostics()[0].help.clone().unwrap_or_default()
}

/// Invalid snippets, each with every problem as (code, line, field).
const INVALID: &[Invalid] = &[
    Invalid {
        // Repeated past its end, one step of 50 costs 50 each time, or 50 in all.
        case: "f1_even_a_single_step_must_say_how_amounts_add_up",
        body: r#"fund = "activity"
[discipline.ladders.complaint]
window = "calendar_month"
past_end = "repeat_last"
steps = [{ amount = 50 }]
"#,
        problems: &[(
            ProblemCode::UnstatedChoice,
            2,
            "discipline.ladders.complaint.step_amounts",
        )],
    },
    Invalid {
        case: "f1_a_stated_decrease_is_accepted",
        body: r#"fund = "activity"
[discipline.ladders.complaint]
window = "calendar_month"
step_amounts = "all_paid"
past_end = "repeat_last"
allow_decrease = true
steps = [{ amount = 100 }, { amount = 50 }]
"#,
        problems: &[],
    },
    Invalid {
        case: "f4_milder_action_after_dismissal_is_out_of_order",
        body: r#"[discipline.ladders.off_task]
window = "ever"
past_end = "repeat_last"
steps = [
  { actions = ["dismissal"] },
  { actions = ["warning"] },
]
"#,
        problems: &[(
            ProblemCode::OutOfOrder,
            6,
            "discipline.ladders.off_task.steps[1]",
        )],
    },
    Invalid {
        case: "f4_gap_counting_window_must_be_stated",
        body: r#"fund = "activity"
[discipline.ladders.off_task]
step_amounts = "all_paid"
past_end = "repeat_last"
steps = [{ amount = 10 }, { amount = 30 }, { actions = ["dismissal"] }]
"#,
        problems: &[(
            ProblemCode::UnstatedChoice,
            2,
            "discipline.ladders.off_task.window",
        )],
    },
    Invalid {
        case: "f1_cumulative_semantics_must_be_stated",
        body: r#"fund = "activity"
[discipline.ladders.complaint]
window = "calendar_month"
past_end = "repeat_last"
steps = [{ amount = 50 }, { amount = 100 }]
"#,
        problems: &[(
            ProblemCode::UnstatedChoice,
            2,
            "discipline.ladders.complaint.step_amounts",
        )],
    },
    Invalid {
        case: "f2_negative_and_float_amounts_are_rejected",
        body: r#"fund = "activity"
[discipline.ladders.off_task]
each = { amount = -10 }

[discipline.ladders.disclosure]
each = { amount = 10.5 }
"#,
        problems: &[
            (
                ProblemCode::OutOfRange,
                3,
                "discipline.ladders.off_task.each.amount",
            ),
            (
                ProblemCode::FloatMoney,
                6,
                "discipline.ladders.disclosure.each.amount",
            ),
        ],
    },
    Invalid {
        case: "a8_fine_with_money_and_no_fund_is_missing_its_fund",
        body: r#"[discipline.ladders.disclosure]
each = { amount = 10 }
"#,
        problems: &[(
            ProblemCode::MissingKey,
            1,
            "discipline.ladders.disclosure.fund",
        )],
    },
    Invalid {
        case: "windows_must_be_well_formed",
        body: r#"[discipline.ladders.a]
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
"#,
        problems: &[
            (
                ProblemCode::OutOfRange,
                2,
                "discipline.ladders.a.window.rolling_days",
            ),
            (ProblemCode::InvalidValue, 7, "discipline.ladders.b.window"),
            (ProblemCode::WrongType, 12, "discipline.ladders.c.window"),
        ],
    },
    Invalid {
        case: "each_and_steps_conflict_and_one_is_required",
        body: r#"[discipline.ladders.a]
each = { actions = ["warning"] }
steps = [{ actions = ["warning"] }]

[discipline.ladders.b]
label = "nothing stated"
"#,
        problems: &[
            (ProblemCode::Conflict, 3, "discipline.ladders.a.steps"),
            (ProblemCode::MissingKey, 5, "discipline.ladders.b.steps"),
        ],
    },
    Invalid {
        case: "flat_rule_has_no_past_end",
        body: r#"[discipline.ladders.a]
each = { actions = ["warning"] }
past_end = "repeat_last"
"#,
        problems: &[(ProblemCode::Conflict, 3, "discipline.ladders.a.past_end")],
    },
    Invalid {
        case: "discretionary_range_must_not_be_upside_down",
        body: r#"fund = "activity"
[discipline.ladders.complaint]
each = { min = 20, max = 5 }
"#,
        problems: &[(
            ProblemCode::OutOfOrder,
            3,
            "discipline.ladders.complaint.each.max",
        )],
    },
    Invalid {
        case: "f9_a_reward_cannot_punish",
        body: r#"[discipline.rewards.praise]
each = { actions = ["dismissal"] }
"#,
        problems: &[(
            ProblemCode::Conflict,
            2,
            "discipline.rewards.praise.each.actions[0]",
        )],
    },
    Invalid {
        case: "f5_alternative_of_an_invalid_kind_reports_only_the_kind",
        body: r#"[discipline.ladders.complaint_part2]
alternative_to = "complaint"
each = { actions = ["demerit"] }

[discipline.ladders.complaint]
each = { actions = ["demirit"] }
"#,
        problems: &[(
            ProblemCode::InvalidValue,
            6,
            "discipline.ladders.complaint.each.actions[0]",
        )],
    },
    Invalid {
        case: "kind_ids_are_shared_by_ladders_and_rewards",
        body: r#"[discipline.ladders.praise]
each = { actions = ["warning"] }

[discipline.rewards.praise]
each = { actions = ["commendation"] }
"#,
        problems: &[(ProblemCode::Duplicate, 4, "discipline.rewards.praise")],
    },
    Invalid {
        case: "total_so_far_needs_fixed_rising_amounts",
        body: r#"fund = "activity"
[discipline.ladders.a]
window = "ever"
past_end = "repeat_last"
step_amounts = "total_so_far"
allow_decrease = true
steps = [{ amount = 50 }, { amount = 20 }]
"#,
        problems: &[(
            ProblemCode::Conflict,
            5,
            "discipline.ladders.a.step_amounts",
        )],
    },
    Invalid {
        case: "past_end_rules_are_checked",
        body: r#"fund = "activity"
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
"#,
        problems: &[
            (
                ProblemCode::OutOfOrder,
                6,
                "discipline.ladders.halving.past_end",
            ),
            (
                ProblemCode::Conflict,
                12,
                "discipline.ladders.adds_to_a_range.past_end",
            ),
            (
                ProblemCode::OutOfOrder,
                18,
                "discipline.ladders.lower_after.past_end",
            ),
            (
                ProblemCode::InvalidValue,
                23,
                "discipline.ladders.typo.past_end",
            ),
        ],
    },
];

/// F1, F2, F4, F5, F9, A8: each snippet gives exactly its problems (none
/// where the case says the snippet is valid).
#[test]
fn f1_f9_each_snippet_reports_every_problem() {
    assert_invalid(HEADER, Lines::InBody, INVALID);
}

/// The help line a case pins: all of it, or a part.
enum Help {
    Is(&'static str),
    Contains(&'static str),
}

/// Snippets whose one problem comes with a help line.
struct WithHelp {
    case: &'static str,
    snippet: &'static str,
    /// (code, line within the snippet, field)
    problem: (ProblemCode, usize, &'static str),
    help: Help,
}

const WITH_HELP: &[WithHelp] = &[
    WithHelp {
        case: "f1_ladder_that_steps_down_is_out_of_order",
        snippet: r#"fund = "activity"
[discipline.ladders.complaint]
window = "calendar_month"
step_amounts = "all_paid"
past_end = "repeat_last"
steps = [
  { amount = 100 },
  { amount = 50 },
]
"#,
        problem: (
            ProblemCode::OutOfOrder,
            8,
            "discipline.ladders.complaint.steps[1]",
        ),
        help: Help::Contains("allow_decrease = true"),
    },
    WithHelp {
        case: "f1_gap_past_the_last_step_must_be_stated",
        snippet: r#"fund = "activity"
[discipline.ladders.complaint]
window = "calendar_month"
step_amounts = "all_paid"
steps = [{ amount = 50 }, { amount = 100 }, { amount = 200 }]
"#,
        problem: (
            ProblemCode::UnstatedChoice,
            2,
            "discipline.ladders.complaint.past_end",
        ),
        help: Help::Contains("repeat_last"),
    },
    WithHelp {
        case: "f4_unknown_action_is_reported_with_a_suggestion",
        snippet: r#"[discipline.ladders.off_task]
window = "ever"
past_end = "repeat_last"
steps = [
  { actions = ["warning"] },
  { actions = ["dismisal"] },
]
"#,
        problem: (
            ProblemCode::InvalidValue,
            6,
            "discipline.ladders.off_task.steps[1].actions[0]",
        ),
        help: Help::Is("did you mean `dismissal`?"),
    },
    WithHelp {
        case: "a8_undefined_fund_is_an_undefined_reference",
        snippet: r#"fund = "activty"
[discipline.ladders.disclosure]
each = { amount = 10 }
"#,
        problem: (ProblemCode::UndefinedReference, 1, "discipline.fund"),
        help: Help::Is("did you mean `activity`?"),
    },
    WithHelp {
        case: "f5_alternative_must_name_a_defined_kind",
        snippet: r#"[discipline.ladders.complaint_part2]
alternative_to = "complain"
each = { actions = ["demerit"] }

[discipline.ladders.complaint]
each = { actions = ["warning"] }
"#,
        problem: (
            ProblemCode::UndefinedReference,
            2,
            "discipline.ladders.complaint_part2.alternative_to",
        ),
        help: Help::Is("did you mean `complaint`?"),
    },
];

/// F1, F4, F5, A8: the one problem of each snippet, and the help that says
/// what to write instead.
#[test]
fn f1_f5_a8_each_problem_comes_with_its_help() {
    for row in WITH_HELP {
        let (code, line, field) = row.problem;
        assert_eq!(
            problems(row.snippet),
            one(code, line, field),
            "case `{}`",
            row.case
        );
        let help = help_of(row.snippet);
        match row.help {
            Help::Is(want) => assert_eq!(help, want, "case `{}`", row.case),
            Help::Contains(part) => {
                assert!(help.contains(part), "case `{}`: {help}", row.case);
            }
        }
    }
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
    let codes = codes_and_fields(&problems);
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
