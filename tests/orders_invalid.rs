//! Invalid `[orders]` snippets: each problem with its code, line and field.

mod common;

use common::{Invalid, Lines, assert_invalid, policy_table};
use cs_policy::{Policy, ProblemCode};

/// Lines are counted in the whole file: a body's first line is line 8.
const HEADER: &str = policy_table!("t", "T");

/// Invalid snippets, each with every problem as (code, line, field).
const INVALID: &[Invalid] = &[
    Invalid {
        case: "o1_several_flags_without_priority_is_an_unstated_choice",
        body: r#"[orders]
[orders.flags]
[orders.flags.colours]
standard = { colour = "red", when = "standard" }
courier = { colour = "yellow", when = "courier_requirement" }
"#,
        problems: &[(ProblemCode::UnstatedChoice, 9, "orders.flags.priority")],
    },
    Invalid {
        case: "o1_priority_must_rank_every_defined_flag_once",
        body: r#"[orders]
[orders.flags]
priority = ["standart", "courier", "courier"]
[orders.flags.colours]
standard = { colour = "red", when = "standard" }
courier = { colour = "yellow", when = "courier_requirement" }
delayed = { colour = "green", when = "delayed_shipment" }
"#,
        problems: &[
            (ProblemCode::UnstatedChoice, 10, "orders.flags.priority"),
            (
                ProblemCode::UndefinedReference,
                10,
                "orders.flags.priority[0]",
            ),
            (ProblemCode::Duplicate, 10, "orders.flags.priority[2]"),
        ],
    },
    Invalid {
        case: "o2_templates_need_their_placeholder_and_no_unknown_ones",
        body: r#"[orders]
[orders.remark]
separator = ", "
agent = "agent"
courier = "ship by {carrier}"
delay = "hold until {reason}"
gift = "free {gift}"
"#,
        problems: &[
            (ProblemCode::MissingKey, 9, "orders.remark.refund"),
            (ProblemCode::InvalidValue, 11, "orders.remark.agent"),
            (ProblemCode::InvalidValue, 12, "orders.remark.courier"),
        ],
    },
    Invalid {
        case: "r1_r2_day_counts_are_unstated_choices_and_bounds_ordered",
        body: r#"[orders]
[orders.returns]
days = 7
buyer_pays_postage = true
[orders.shipping]
ship_within = [3, 1]
arrive_within = [3, 7]
"#,
        problems: &[
            (ProblemCode::UnstatedChoice, 9, "orders.returns.count"),
            (ProblemCode::UnstatedChoice, 12, "orders.shipping.count"),
            (
                ProblemCode::UnstatedChoice,
                12,
                "orders.shipping.arrive_counted_from",
            ),
            (ProblemCode::OutOfOrder, 13, "orders.shipping.ship_within"),
        ],
    },
    Invalid {
        case: "r3_rate_and_voucher_amounts_checked",
        body: r#"[orders]
[orders.vip]
after_purchases = 1
price_rate = "1.2"
[orders.size_followup_voucher]
amount = 5.0
[orders.low_stock]
belov = 10
"#,
        problems: &[
            (ProblemCode::OutOfRange, 11, "orders.vip.price_rate"),
            (
                ProblemCode::FloatMoney,
                13,
                "orders.size_followup_voucher.amount",
            ),
            (ProblemCode::MissingKey, 14, "orders.low_stock.below"),
            (ProblemCode::UnknownKey, 15, "orders.low_stock.belov"),
        ],
    },
    Invalid {
        case: "o1_broken_flag_named_in_priority_is_reported_once",
        body: r#"[orders]
[orders.flags]
priority = ["courier", "standard"]
[orders.flags.colours]
standard = { colour = "red", when = "standard" }
courier = { colour = "orange", when = "courier_requirement" }
"#,
        problems: &[(
            ProblemCode::InvalidValue,
            13,
            "orders.flags.colours.courier.colour",
        )],
    },
];

/// O1, O2, R1–R3: each invalid snippet gives exactly its problems.
#[test]
fn o1_r3_each_invalid_snippet_reports_every_problem() {
    assert_invalid(HEADER, Lines::InFile, INVALID);
}

#[test]
fn o1_unknown_colour_and_condition_with_suggestions() {
    let body = r#"[orders]
[orders.flags.colours]
standard = { colour = "rad", when = "standerd" }
"#;
    let text = format!("{HEADER}{body}");
    let err = Policy::from_toml_str("t.toml", &text).unwrap_err();
    let got: Vec<_> = err
        .diagnostics()
        .iter()
        .map(|d| (d.code, d.line, d.field.as_str(), d.help.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (
                ProblemCode::InvalidValue,
                10,
                "orders.flags.colours.standard.colour",
                Some("did you mean `red`?")
            ),
            (
                ProblemCode::InvalidValue,
                10,
                "orders.flags.colours.standard.when",
                Some("did you mean `standard`?")
            ),
        ]
    );
}
