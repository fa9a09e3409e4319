//! Invalid `[orders]` snippets: each problem with its code, line and field.

use cs_policy::{Policy, ProblemCode};

const HEADER: &str = r#"[policy]
id = "t"
name = "T"
format = 1
currency = "CNY"
time_zone = "Asia/Shanghai"
effective = 2026-01-01
"#;

/// Loads `HEADER` + `body` and returns `(code, line, field)` of every
/// problem; `body` lines are numbered from 8.
fn problems(body: &str) -> Vec<(ProblemCode, usize, String)> {
    let text = format!("{HEADER}{body}");
    let err = Policy::from_toml_str("t.toml", &text).expect_err("policy should be rejected");
    err.diagnostics()
        .iter()
        .map(|d| (d.code, d.line, d.field.clone()))
        .collect()
}

#[test]
fn o1_several_flags_without_priority_is_an_unstated_choice() {
    let body = r#"[orders]
[orders.flags]
[orders.flags.colours]
standard = { colour = "red", when = "standard" }
courier = { colour = "yellow", when = "courier_requirement" }
"#;
    assert_eq!(
        problems(body),
        [(
            ProblemCode::UnstatedChoice,
            9,
            "orders.flags.priority".into()
        )]
    );
}

#[test]
fn o1_priority_must_rank_every_defined_flag_once() {
    let body = r#"[orders]
[orders.flags]
priority = ["standart", "courier", "courier"]
[orders.flags.colours]
standard = { colour = "red", when = "standard" }
courier = { colour = "yellow", when = "courier_requirement" }
delayed = { colour = "green", when = "delayed_shipment" }
"#;
    assert_eq!(
        problems(body),
        [
            (
                ProblemCode::UnstatedChoice,
                10,
                "orders.flags.priority".into()
            ),
            (
                ProblemCode::UndefinedReference,
                10,
                "orders.flags.priority[0]".into()
            ),
            (
                ProblemCode::Duplicate,
                10,
                "orders.flags.priority[2]".into()
            ),
        ]
    );
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

#[test]
fn o2_templates_need_their_placeholder_and_no_unknown_ones() {
    let body = r#"[orders]
[orders.remark]
separator = ", "
agent = "agent"
courier = "ship by {carrier}"
delay = "hold until {reason}"
gift = "free {gift}"
"#;
    assert_eq!(
        problems(body),
        [
            (ProblemCode::MissingKey, 9, "orders.remark.refund".into()),
            (ProblemCode::InvalidValue, 11, "orders.remark.agent".into()),
            (
                ProblemCode::InvalidValue,
                12,
                "orders.remark.courier".into()
            ),
        ]
    );
}

#[test]
fn r1_r2_day_counts_are_unstated_choices_and_bounds_ordered() {
    let body = r#"[orders]
[orders.returns]
days = 7
buyer_pays_postage = true
[orders.shipping]
ship_within = [3, 1]
arrive_within = [3, 7]
"#;
    assert_eq!(
        problems(body),
        [
            (
                ProblemCode::UnstatedChoice,
                9,
                "orders.returns.count".into()
            ),
            (
                ProblemCode::UnstatedChoice,
                12,
                "orders.shipping.count".into()
            ),
            (
                ProblemCode::UnstatedChoice,
                12,
                "orders.shipping.arrive_counted_from".into()
            ),
            (
                ProblemCode::OutOfOrder,
                13,
                "orders.shipping.ship_within".into()
            ),
        ]
    );
}

#[test]
fn r3_rate_and_voucher_amounts_checked() {
    let body = r#"[orders]
[orders.vip]
after_purchases = 1
price_rate = "1.2"
[orders.size_followup_voucher]
amount = 5.0
[orders.low_stock]
belov = 10
"#;
    assert_eq!(
        problems(body),
        [
            (ProblemCode::OutOfRange, 11, "orders.vip.price_rate".into()),
            (
                ProblemCode::FloatMoney,
                13,
                "orders.size_followup_voucher.amount".into()
            ),
            (ProblemCode::MissingKey, 14, "orders.low_stock.below".into()),
            (ProblemCode::UnknownKey, 15, "orders.low_stock.belov".into()),
        ]
    );
}

#[test]
fn o1_broken_flag_named_in_priority_is_reported_once() {
    let body = r#"[orders]
[orders.flags]
priority = ["courier", "standard"]
[orders.flags.colours]
standard = { colour = "red", when = "standard" }
courier = { colour = "orange", when = "courier_requirement" }
"#;
    assert_eq!(
        problems(body),
        [(
            ProblemCode::InvalidValue,
            13,
            "orders.flags.colours.courier.colour".into()
        )]
    );
}
