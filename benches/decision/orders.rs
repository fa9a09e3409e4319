//! The orders decisions beside their hand-written twins: "what flag and
//! what remark does this order get?" (O1, O2) for the shop policy's
//! numbers: the flag by the shop's priority (delayed green, courier yellow,
//! gift or refund blue, other purple, special red, standard red) and the
//! remark's parts in the handbook's order.

use std::hint::black_box;

use criterion::Criterion;
use cs_policy::Policy;
use cs_policy::orders::{Colour, Order, RemarkPart};
use cs_policy::rust_decimal::Decimal;

/// The flag's colour and the remark's parts (bits in the handbook's order:
/// agent, courier, delay, gift, refund, other), written by hand for the shop.
fn marks_by_hand(order: &Order) -> (Colour, u8) {
    let colour = if order.delay_reason.is_some() {
        Colour::Green
    } else if order.courier.is_some() {
        Colour::Yellow
    } else if order.gift.is_some() || order.refund {
        Colour::Blue
    } else if order.other_remark.is_some() {
        Colour::Purple
    } else {
        Colour::Red
    };
    let parts = u8::from(order.agent.is_some())
        | u8::from(order.courier.is_some()) << 1
        | u8::from(order.delay_reason.is_some()) << 2
        | u8::from(order.gift.is_some()) << 3
        | u8::from(order.refund) << 4
        | u8::from(order.other_remark.is_some()) << 5;
    (colour, parts)
}

pub fn bench(c: &mut Criterion) {
    let policy = Policy::example("shop").expect("shop loads");
    let order = Order {
        id: "T1".into(),
        agent: Some(1),
        gift: Some("小礼品".into()),
        refund: true,
        refund_amount: Some(Decimal::new(5, 0)),
        ..Default::default()
    };

    // Both give blue, with the agent, gift and refund parts.
    let marks = policy.order_marks(&order).expect("a valid order");
    let flag = marks.flag.expect("a flag applies");
    let parts = [
        RemarkPart::Agent,
        RemarkPart::Courier,
        RemarkPart::Delay,
        RemarkPart::Gift,
        RemarkPart::Refund,
        RemarkPart::Other,
    ]
    .into_iter()
    .enumerate()
    .fold(0u8, |bits, (i, p)| {
        bits | u8::from(marks.remark.contains(p)) << i
    });
    assert_eq!((flag.colour, parts), marks_by_hand(&order));
    assert_eq!(
        marks.remark.iter().collect::<Vec<_>>(),
        [RemarkPart::Agent, RemarkPart::Gift, RemarkPart::Refund]
    );

    let mut g = c.benchmark_group("orders");
    g.bench_function("order_marks/call", |b| {
        b.iter(|| policy.order_marks(black_box(&order)))
    });
    g.bench_function("order_marks/by_hand", |b| {
        b.iter(|| marks_by_hand(black_box(&order)))
    });
    g.finish();
}
