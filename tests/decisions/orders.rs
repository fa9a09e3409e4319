//! The orders decisions allocate nothing, and bad facts are typed errors
//! naming the order.

use std::fmt::Write as _;

use chrono::NaiveDate;
use cs_policy::Policy;
use cs_policy::orders::{Colour, Goods, Order, OrderError, RemarkPart, ReturnRequest};
use cs_policy::rust_decimal::Decimal;

use super::{allocations, round_trip};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn gift_and_refund() -> Order {
    Order {
        id: "T1".into(),
        agent: Some(1),
        gift: Some("小礼品".into()),
        refund: true,
        refund_amount: Some(Decimal::new(5, 0)),
        ..Default::default()
    }
}

#[test]
fn o1_o2_order_marks_allocates_nothing() {
    let policy = Policy::example("shop").unwrap();
    let order = gift_and_refund();
    let (marks, n) = allocations(|| policy.order_marks(&order));
    assert_eq!(n, 0);
    let marks = marks.unwrap();
    // O1: a gift or a refund flies blue, above the standard red.
    let flag = marks.flag.unwrap();
    assert_eq!(flag.colour, Colour::Blue);
    assert_eq!(flag.clause.id(), "orders.flags.colours.gift_refund");
    assert_eq!(flag.applicable, 2);
    assert_eq!(flag.chosen_by.unwrap().id(), "orders.flags.priority");
    // O2: agent number, gift, refund, in that order.
    assert!(
        marks
            .remark
            .iter()
            .eq([RemarkPart::Agent, RemarkPart::Gift, RemarkPart::Refund])
    );
    assert_eq!(marks.remark_clause.id(), "orders.remark");
}

#[test]
fn o2_remark_text_is_written_into_the_callers_buffer_without_allocating() {
    let policy = Policy::example("shop").unwrap();
    let order = gift_and_refund();
    let marks = policy.order_marks(&order).unwrap();
    let mut text = String::with_capacity(128);
    let (wrote, n) = allocations(|| {
        let remark = policy.remark_text(&order, marks.remark)?;
        write!(text, "{remark}").map_err(|_| OrderError::NoRule("remark"))
    });
    wrote.unwrap();
    assert_eq!(n, 0);
    assert_eq!(text, "1号客服、赠送小礼品并退还5元钱");
}

#[test]
fn o3_a_special_request_and_o6_low_stock_allocate_nothing() {
    let policy = Policy::example("shop").unwrap();
    let special = Order {
        agent: Some(3),
        special_request: true,
        ..Default::default()
    };
    let (marks, n) = allocations(|| policy.order_marks(&special));
    assert_eq!(n, 0);
    let flag = marks.unwrap().flag.unwrap();
    assert_eq!(
        (flag.colour, flag.clause.id()),
        (Colour::Red, "orders.flags.colours.special")
    );
    let (alert, n) = allocations(|| policy.stock_alert(9));
    assert_eq!(n, 0);
    assert!(alert.unwrap().is_some());
}

#[test]
fn bad_order_facts_are_typed_errors_naming_the_order() {
    let policy = Policy::example("shop").unwrap();
    let no_amount = Order {
        id: "T2".into(),
        refund: true,
        ..Default::default()
    };
    assert_eq!(
        policy.order_marks(&no_amount),
        Err(OrderError::RefundWithoutAmount { order: "T2".into() })
    );
    let stray_amount = Order {
        id: "T3".into(),
        refund_amount: Some(Decimal::new(5, 0)),
        ..Default::default()
    };
    assert_eq!(
        policy.order_marks(&stray_amount),
        Err(OrderError::AmountWithoutRefund {
            order: "T3".into(),
            amount: Decimal::new(5, 0)
        })
    );
    let negative = Order {
        id: "T4".into(),
        refund: true,
        refund_amount: Some(Decimal::new(-5, 0)),
        ..Default::default()
    };
    assert_eq!(
        policy.order_marks(&negative),
        Err(OrderError::BadRefundAmount {
            order: "T4".into(),
            amount: Decimal::new(-5, 0)
        })
    );
    // O2: a delayed order's remark needs its tracking number first.
    let untracked = Order {
        id: "T5".into(),
        delay_reason: Some("尺码确认".into()),
        ..Default::default()
    };
    assert_eq!(
        policy.order_marks(&untracked),
        Err(OrderError::DelayWithoutTracking { order: "T5".into() })
    );
    // A policy without `[orders]`.
    let education = Policy::example("education").unwrap();
    assert_eq!(
        education.order_marks(&gift_and_refund()),
        Err(OrderError::NoOrders)
    );
}

#[test]
fn o1_o6_r1_r3_each_result_reads_back_equal() {
    let p = Policy::example("shop").unwrap();
    let order = gift_and_refund();
    let marks = p.order_marks(&order).unwrap();
    round_trip(&marks);
    round_trip(&marks.flag.unwrap());
    round_trip(&marks.remark);
    round_trip(&p.order_remark(&order).unwrap());
    round_trip(&p.order_commission(&order).unwrap());
    round_trip(&p.process_order(&order).unwrap());
    round_trip(&p.add_to_order(&order).unwrap());
    let unpaid = Order {
        auto_placed: true,
        ..Order::default()
    };
    round_trip(&p.unpaid_chaser(&unpaid, 4).unwrap());
    round_trip(&p.stock_alert(9).unwrap().unwrap());
    let request = ReturnRequest {
        received: d(2026, 3, 1),
        requested: d(2026, 3, 5),
        resaleable: true,
        goods: Goods::Regular,
    };
    round_trip(&request);
    round_trip(&p.return_decision(&request).unwrap());
    round_trip(&p.shipping_promise(d(2026, 2, 13)).unwrap());
    round_trip(&p.vip_price(1, Decimal::new(100, 0)).unwrap());
    round_trip(&p.size_followup_voucher(true).unwrap().unwrap());
    round_trip(&order);
}

#[test]
fn o1_a_flag_is_written_as_its_clause_path_not_a_position() {
    let p = Policy::example("shop").unwrap();
    let flag = p.order_flag(&gift_and_refund()).unwrap().unwrap();
    let json = serde_json::to_value(flag).unwrap();
    assert_eq!(json["clause"], "orders.flags.colours.gift_refund");
    assert_eq!(json["colour"], "blue");
}
