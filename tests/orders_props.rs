//! Invariants of order flags (O1) and the remark (O2) over any order facts.

use cs_policy::Policy;
use cs_policy::orders::{Colour, FlagCondition, Order};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn any_order() -> impl Strategy<Value = Order> {
    (
        proptest::option::of(1u32..100),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        proptest::option::of(1i64..100_000),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(agent, courier, delay, gift, refund, special, other)| Order {
                id: "P".into(),
                agent,
                courier: courier.then(|| "顺丰".to_owned()),
                delay_reason: delay.then(|| "尺码未确认".to_owned()),
                tracking_number: delay.then(|| "SF1".to_owned()),
                gift: gift.then(|| "小礼品".to_owned()),
                refund: refund.is_some(),
                refund_amount: refund.map(|c| Decimal::new(c, 2)),
                special_request: special,
                other_remark: other.then(|| "其他".to_owned()),
                ..Order::default()
            },
        )
}

proptest! {
    /// O1: the flag chosen is the first in the policy's priority whose fact
    /// holds; the shop's table always yields one flag.
    #[test]
    fn o1_flag_is_the_highest_priority_that_applies(order in any_order()) {
        let p = Policy::example("shop").unwrap();
        let flag = p.order_flag(&order).unwrap().unwrap();
        let expected = if order.delay_reason.is_some() {
            (Colour::Green, FlagCondition::DelayedShipment)
        } else if order.courier.is_some() {
            (Colour::Yellow, FlagCondition::CourierRequirement)
        } else if order.gift.is_some() || order.refund {
            (Colour::Blue, FlagCondition::GiftOrRefund)
        } else if order.other_remark.is_some() {
            (Colour::Purple, FlagCondition::OtherRemark)
        } else if order.special_request {
            (Colour::Red, FlagCondition::SpecialRequest)
        } else {
            (Colour::Red, FlagCondition::Standard)
        };
        prop_assert_eq!((flag.colour, flag.when), expected);
        prop_assert!(flag.applicable >= 1);
        prop_assert_eq!(flag.chosen_by.is_some(), flag.applicable > 1);
    }

    /// O2: the parts appear in the standard order: agent, courier, delay, gift, refund.
    #[test]
    fn o2_remark_parts_in_the_standard_order(order in any_order()) {
        let p = Policy::example("shop").unwrap();
        let text = p.order_remark(&order).unwrap().text;
        let positions: Vec<usize> = [
            order.agent.map(|_| "号客服"),
            order.courier.as_ref().map(|_| "快递"),
            order.delay_reason.as_ref().map(|_| "再发货"),
            order.gift.as_ref().map(|_| "赠送"),
            order.refund.then_some("退还"),
        ]
        .into_iter()
        .flatten()
        .map(|needle| text.find(needle).expect("part present"))
        .collect();
        prop_assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text}");
    }
}
