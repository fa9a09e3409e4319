//! The orders decisions beside their hand-written twins: "what flag and
//! what remark does this order get?" (O1, O2) for the shop policy's
//! numbers: the flag by the shop's priority (delayed green, courier yellow,
//! gift or refund blue, other purple, special red, standard red) and the
//! remark's parts in the handbook's order.

use std::hint::black_box;

use criterion::Criterion;
use cs_policy::orders::{Colour, Order, RemarkPart};
use cs_policy::rust_decimal::Decimal;
use cs_policy::{ClauseRef, Policy};

/// The shop's clauses, as the hand-written rule would cite them: the flag
/// of each colour it can choose, and the remark.
struct Clauses {
    delayed: ClauseRef,
    courier: ClauseRef,
    gift_refund: ClauseRef,
    other: ClauseRef,
    standard: ClauseRef,
    remark: ClauseRef,
}

/// The flag's colour and clause, and the remark's parts (bits in the
/// handbook's order: agent, courier, delay, gift, refund, other) and
/// clause, written by hand for the shop.
fn marks_by_hand(order: &Order, c: &Clauses) -> (Colour, ClauseRef, u8, ClauseRef) {
    let (colour, clause) = if order.delay_reason.is_some() {
        (Colour::Green, c.delayed)
    } else if order.courier.is_some() {
        (Colour::Yellow, c.courier)
    } else if order.gift.is_some() || order.refund {
        (Colour::Blue, c.gift_refund)
    } else if order.other_remark.is_some() {
        (Colour::Purple, c.other)
    } else {
        (Colour::Red, c.standard)
    };
    let parts = u8::from(order.agent.is_some())
        | u8::from(order.courier.is_some()) << 1
        | u8::from(order.delay_reason.is_some()) << 2
        | u8::from(order.gift.is_some()) << 3
        | u8::from(order.refund) << 4
        | u8::from(order.other_remark.is_some()) << 5;
    (colour, clause, parts, c.remark)
}

pub fn bench(c: &mut Criterion) {
    let policy = Policy::example("shop").expect("shop loads");
    // O2's example: agent 1, SF courier, held until the size is confirmed,
    // a small gift and 5 yuan back.
    let order = Order {
        id: "T1".into(),
        agent: Some(1),
        courier: Some("顺丰".into()),
        delay_reason: Some("尺码未确认".into()),
        tracking_number: Some("SF1234567890".into()),
        gift: Some("小礼品".into()),
        refund: true,
        refund_amount: Some(Decimal::new(5, 0)),
        ..Default::default()
    };

    let clause = |id: &str| policy.clause_by_id(id).expect("the shop states it");
    let clauses = Clauses {
        delayed: clause("orders.flags.colours.delayed"),
        courier: clause("orders.flags.colours.courier"),
        gift_refund: clause("orders.flags.colours.gift_refund"),
        other: clause("orders.flags.colours.other"),
        standard: clause("orders.flags.colours.standard"),
        remark: clause("orders.remark"),
    };

    // Both give green (a delay comes first), with every part but "other".
    let marks = policy.order_marks(&order).expect("a valid order");
    let flag = marks.flag.expect("a flag applies");
    assert_eq!(
        (flag.colour, flag.clause, 0b1_1111, marks.remark_clause),
        marks_by_hand(&order, &clauses)
    );
    assert_eq!(
        marks.remark.iter().collect::<Vec<_>>(),
        [
            RemarkPart::Agent,
            RemarkPart::Courier,
            RemarkPart::Delay,
            RemarkPart::Gift,
            RemarkPart::Refund
        ]
    );

    let mut g = c.benchmark_group("orders");
    g.bench_function("order_marks/call", |b| {
        b.iter(|| policy.order_marks(black_box(&order)))
    });
    g.bench_function("order_marks/by_hand", |b| {
        b.iter(|| marks_by_hand(black_box(&order), black_box(&clauses)))
    });
    g.finish();
}
