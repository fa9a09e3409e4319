//! Orders (O1–O6) and shop promises (R1–R3) through the public API, on the
//! shop example policy (seeds/000).

mod common;

use chrono::NaiveDate;
use common::policy_table;
use cs_policy::Policy;
use cs_policy::orders::{
    AddAction, ChaserRole, Colour, FlagCondition, Goods, Order, OrderError, ReturnReason,
    ReturnRequest,
};
use rust_decimal::Decimal;

fn shop() -> Policy {
    Policy::example("shop").expect("shop example loads")
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

fn dec(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

/// The O2 example order: agent 1, SF courier, held until the size is
/// confirmed (tracking number filled in first), a small gift and 5 yuan back.
fn o2_order() -> Order {
    Order {
        id: "T1".into(),
        agent: Some(1),
        courier: Some("顺丰".into()),
        delay_reason: Some("尺码未确认".into()),
        tracking_number: Some("SF1234567890".into()),
        gift: Some("小礼品".into()),
        refund: true,
        refund_amount: Some(dec("5")),
        ..Order::default()
    }
}

#[test]
fn o1_each_colour_from_its_fact() {
    let p = shop();
    let flag = |o: Order| p.order_flag(&o).unwrap().unwrap();
    let base = Order {
        agent: Some(1),
        ..Order::default()
    };
    let standard = flag(base.clone());
    assert_eq!(
        (standard.colour, standard.when, standard.applicable),
        (Colour::Red, FlagCondition::Standard, 1)
    );
    assert_eq!(standard.chosen_by, None);
    let yellow = flag(Order {
        courier: Some("顺丰".into()),
        ..base.clone()
    });
    assert_eq!(yellow.colour, Colour::Yellow);
    let green = flag(Order {
        delay_reason: Some("尺码未确认".into()),
        ..base.clone()
    });
    assert_eq!(green.colour, Colour::Green);
    let blue_gift = flag(Order {
        gift: Some("小礼品".into()),
        ..base.clone()
    });
    assert_eq!(blue_gift.colour, Colour::Blue);
    let blue_refund = flag(Order {
        refund: true,
        refund_amount: Some(dec("5")),
        ..base.clone()
    });
    assert_eq!(blue_refund.colour, Colour::Blue);
    let purple = flag(Order {
        other_remark: Some("发票抬头另开".into()),
        ..base
    });
    assert_eq!(purple.colour, Colour::Purple);
    assert_eq!(purple.clause.id(), "orders.flags.colours.other");
    assert_eq!(
        p.clause(purple.clause).unwrap().source(),
        Some("000 part 3 ch.2")
    );
}

#[test]
fn o1_priority_decides_when_several_flags_apply() {
    let p = shop();
    let flag = p.order_flag(&o2_order()).unwrap().unwrap();
    // Delay beats courier and gift/refund in this file's priority; the
    // standard flag also applies, so four in all.
    assert_eq!(flag.colour, Colour::Green);
    assert_eq!(flag.applicable, 4);
    let chosen_by = flag.chosen_by.expect("priority decided");
    assert_eq!(chosen_by.id(), "orders.flags.priority");
}

#[test]
fn o3_special_request_gets_the_small_red_flag() {
    let p = shop();
    let order = Order {
        agent: Some(3),
        special_request: true,
        ..Order::default()
    };
    let flag = p.order_flag(&order).unwrap().unwrap();
    assert_eq!(
        (flag.colour, flag.when),
        (Colour::Red, FlagCondition::SpecialRequest)
    );
    assert_eq!(
        p.clause(flag.clause).unwrap().source(),
        Some("000 part 1 §7")
    );
}

#[test]
fn o3_variant_without_standard_flag_leaves_plain_orders_unflagged() {
    let text = format!(
        "{}\n[orders]\n[orders.flags.colours]\nspecial = {{ colour = \"red\", when = \"special_request\" }}\n",
        HEADER
    );
    let p = Policy::from_toml_str("o3.toml", &text).unwrap();
    assert_eq!(p.order_flag(&Order::default()).unwrap(), None);
    let special = Order {
        special_request: true,
        ..Order::default()
    };
    assert_eq!(p.order_flag(&special).unwrap().unwrap().colour, Colour::Red);
}

#[test]
fn o2_remark_in_the_standard_order_chinese_wording() {
    let p = shop();
    let remark = p.order_remark(&o2_order()).unwrap();
    assert_eq!(
        remark.text,
        "1号客服、发顺丰快递、由于尺码未确认等确定了再发货、赠送小礼品并退还5元钱"
    );
    assert_eq!(remark.clause.id(), "orders.remark");
}

pub const HEADER: &str = concat!(policy_table!("t", "T"));

#[test]
fn o2_remark_example_pinned_in_english_wording() {
    let text = format!(
        r#"{HEADER}
[orders]
[orders.remark]
separator = ", "
gift_refund_separator = " and "
agent = "agent {{agent}}"
courier = "ship by {{courier}}"
delay = "hold until {{reason}}"
gift = "free {{gift}}"
refund = "refund {{amount}} yuan"
"#
    );
    let p = Policy::from_toml_str("o2.toml", &text).unwrap();
    let order = Order {
        courier: Some("SF".into()),
        delay_reason: Some("the size is confirmed".into()),
        gift: Some("small gift".into()),
        refund_amount: Some(dec("5.00")),
        ..o2_order()
    };
    assert_eq!(
        p.order_remark(&order).unwrap().text,
        "agent 1, ship by SF, hold until the size is confirmed, free small gift and refund 5 yuan"
    );
    // A refund without a gift follows the ordinary separator.
    let refund_only = Order {
        gift: None,
        courier: None,
        delay_reason: None,
        ..order
    };
    assert_eq!(
        p.order_remark(&refund_only).unwrap().text,
        "agent 1, refund 5 yuan"
    );
}

#[test]
fn o2_delay_needs_the_tracking_number_first() {
    let p = shop();
    let order = Order {
        tracking_number: None,
        ..o2_order()
    };
    assert_eq!(
        p.order_remark(&order),
        Err(OrderError::DelayWithoutTracking { order: "T1".into() })
    );
}

#[test]
fn o1_o2_refund_without_amount_is_a_bad_fact() {
    let p = shop();
    let order = Order {
        refund_amount: None,
        ..o2_order()
    };
    let err = p.process_order(&order).unwrap_err();
    assert_eq!(err, OrderError::RefundWithoutAmount { order: "T1".into() });
    assert!(
        err.to_string()
            .contains("`T1` has a refund but no refund amount")
    );
    let amount_only = Order {
        refund: false,
        ..o2_order()
    };
    assert!(matches!(
        p.order_flag(&amount_only),
        Err(OrderError::AmountWithoutRefund { .. })
    ));
    let negative = Order {
        refund_amount: Some(dec("-5")),
        ..o2_order()
    };
    assert!(matches!(
        p.order_remark(&negative),
        Err(OrderError::BadRefundAmount { .. })
    ));
}

#[test]
fn o3_f7_commission_needs_the_agent_number() {
    let p = shop();
    let with = p.order_commission(&o2_order()).unwrap();
    assert_eq!((with.agent, with.credited), (Some(1), true));
    let without = p
        .order_commission(&Order {
            agent: None,
            ..o2_order()
        })
        .unwrap();
    assert_eq!((without.agent, without.credited), (None, false));
    assert_eq!(
        p.clause(without.clause).unwrap().source(),
        Some("000 part 1 §7, part 3 §5")
    );
}

#[test]
fn o4_adding_to_a_read_order_costs_postage_again() {
    let p = shop();
    let read = Order {
        marked_read: true,
        ..Order::default()
    };
    assert_eq!(
        p.add_to_order(&read).unwrap().action,
        AddAction::CustomerPaysPostageAgain
    );
    let open = p.add_to_order(&Order::default()).unwrap();
    assert_eq!(open.action, AddAction::ContactOrderMaker);
    assert_eq!(open.clause.id(), "orders.add_to_order");
}

#[test]
fn o5_unpaid_order_chased_by_serving_or_duty_agent() {
    let p = shop();
    let served = p
        .unpaid_chaser(
            &Order {
                agent: Some(4),
                ..Order::default()
            },
            9,
        )
        .unwrap();
    assert_eq!((served.agent, served.role), (4, ChaserRole::ServingAgent));
    let auto = p
        .unpaid_chaser(
            &Order {
                auto_placed: true,
                agent: Some(4),
                ..Order::default()
            },
            9,
        )
        .unwrap();
    assert_eq!((auto.agent, auto.role), (9, ChaserRole::DutyAgent));
    assert!(matches!(
        p.unpaid_chaser(&Order::default(), 9),
        Err(OrderError::NoServingAgent { .. })
    ));
}

#[test]
fn o6_low_stock_alert_below_ten() {
    let p = shop();
    assert_eq!(p.stock_alert(9).unwrap().map(|a| a.below), Some(10));
    assert_eq!(p.stock_alert(0).unwrap().map(|a| a.listed), Some(0));
    assert!(p.stock_alert(10).unwrap().is_none());
    assert!(p.stock_alert(11).unwrap().is_none());
}

#[test]
fn r1_seven_day_return_if_resaleable_and_not_excluded() {
    let p = shop();
    let req = |received, requested, resaleable, goods| ReturnRequest {
        received,
        requested,
        resaleable,
        goods,
    };
    let ok = p
        .return_decision(&req(d(2026, 12, 28), d(2027, 1, 4), true, Goods::Regular))
        .unwrap();
    // Seven calendar days after receipt, across the year end.
    assert_eq!(ok.last_day, d(2027, 1, 4));
    assert!(ok.accepted && ok.buyer_pays_postage);
    let late = p
        .return_decision(&req(d(2026, 12, 28), d(2027, 1, 5), true, Goods::Regular))
        .unwrap();
    assert_eq!((late.accepted, late.reason), (false, ReturnReason::TooLate));
    let washed = p
        .return_decision(&req(d(2026, 3, 1), d(2026, 3, 2), false, Goods::Regular))
        .unwrap();
    assert_eq!(washed.reason, ReturnReason::NotResaleable);
    for goods in [Goods::CustomSize, Goods::ProxyPurchase] {
        let r = p
            .return_decision(&req(d(2026, 3, 1), d(2026, 3, 2), true, goods))
            .unwrap();
        assert_eq!(r.reason, ReturnReason::Excluded(goods));
    }
    assert!(matches!(
        p.return_decision(&req(d(2026, 3, 5), d(2026, 3, 1), true, Goods::Regular)),
        Err(OrderError::ReturnBeforeReceipt { .. })
    ));
}

#[test]
fn r2_ship_in_one_to_three_and_arrive_in_three_to_seven_working_days() {
    let p = shop();
    // Monday 2 March 2026, an ordinary week.
    let plain = p.shipping_promise(d(2026, 3, 2)).unwrap();
    assert_eq!(
        (
            plain.ship_from,
            plain.ship_by,
            plain.arrive_from,
            plain.arrive_by
        ),
        (d(2026, 3, 3), d(2026, 3, 5), d(2026, 3, 5), d(2026, 3, 11))
    );
    // Paid Wednesday 30 September: National Day 1–7 October is off, Saturday
    // 10 October is a make-up working day.
    let golden_week = p.shipping_promise(d(2026, 9, 30)).unwrap();
    assert_eq!(
        (golden_week.ship_from, golden_week.ship_by),
        (d(2026, 10, 8), d(2026, 10, 10))
    );
    assert_eq!(
        (golden_week.arrive_from, golden_week.arrive_by),
        (d(2026, 10, 10), d(2026, 10, 15))
    );
    // Paid Friday 13 February: Saturday 14th is worked, then Spring Festival
    // 15–23 February.
    let spring = p.shipping_promise(d(2026, 2, 13)).unwrap();
    assert_eq!(
        (spring.ship_from, spring.ship_by),
        (d(2026, 2, 14), d(2026, 2, 25))
    );
    // Across the year end: 1 January 2027 is past the 2026 calendar, so the
    // promise is an error naming it, never an ordinary working day (issue 17).
    let year_end = p.shipping_promise(d(2026, 12, 31)).unwrap_err();
    assert_eq!(
        year_end,
        cs_policy::orders::OrderError::Calendar(cs_policy::CalendarError::NotCovered {
            date: d(2027, 1, 1),
            first_year: 2026,
            last_year: 2026
        })
    );
}

#[test]
fn r2_delivery_counted_from_shipment_when_the_policy_says_so() {
    let text = format!(
        "{HEADER}\n[orders]\n[orders.shipping]\ncount = \"working_days\"\nship_within = [1, 3]\narrive_within = [3, 7]\narrive_counted_from = \"shipment\"\n"
    );
    let p = Policy::from_toml_str("r2.toml", &text).unwrap();
    let s = p.shipping_promise(d(2026, 3, 2)).unwrap();
    // Ship 3–5 March; arrive 3 working days after the 3rd, 7 after the 5th.
    assert_eq!(
        (s.arrive_from, s.arrive_by),
        (d(2026, 3, 6), d(2026, 3, 16))
    );
}

#[test]
fn r3_vip_pays_98_percent_after_the_first_purchase() {
    let p = shop();
    let first = p.vip_price(0, dec("199.00")).unwrap();
    assert_eq!(
        (first.vip, first.price, first.discount),
        (false, dec("199.00"), dec("0"))
    );
    let vip = p.vip_price(1, dec("199.00")).unwrap();
    // 199 × 0.98 = 195.02
    assert_eq!(
        (vip.vip, vip.price, vip.discount),
        (true, dec("195.02"), dec("3.98"))
    );
    // Rounded to the fen, half away from zero: 0.25 × 0.98 = 0.245 → 0.25.
    assert_eq!(p.vip_price(2, dec("0.25")).unwrap().price, dec("0.25"));
    assert_eq!(
        p.vip_price(1, dec("-1")),
        Err(OrderError::NegativePrice(dec("-1")))
    );
}

#[test]
fn r3_size_followup_voucher_is_five_yuan() {
    let p = shop();
    let v = p.size_followup_voucher(true).unwrap().unwrap();
    assert_eq!(v.amount, dec("5"));
    assert_eq!(v.clause.id(), "orders.size_followup_voucher");
    assert!(p.size_followup_voucher(false).unwrap().is_none());
}

#[test]
fn policy_without_orders_gives_a_clear_error() {
    let p = Policy::example("education").unwrap();
    let err = p.order_flag(&Order::default()).unwrap_err();
    assert_eq!(err, OrderError::NoOrders);
    assert!(err.to_string().contains("no `[orders]` section"));
}

#[test]
fn outcomes_serialize_as_json() {
    let p = shop();
    let out = p.process_order(&o2_order()).unwrap();
    let json = serde_json::to_string(&out).unwrap();
    assert!(json.contains("\"colour\":\"green\""), "{json}");
}

#[test]
fn o2_order_facts_read_from_json() {
    let order: Order = serde_json::from_str(
        r#"{"id": "J1", "agent": 1, "gift": "小礼品", "refund": true, "refund_amount": "5"}"#,
    )
    .unwrap();
    assert_eq!(
        shop().order_remark(&order).unwrap().text,
        "1号客服、赠送小礼品并退还5元钱"
    );
}
