//! Orders: flag colours, remark order, commission attribution and shop promises.
//!
//! The `[orders]` section of a policy file:
//!
//! ```toml
//! [orders.flags]
//! source = "000 part 3 ch.2"
//! # A shop sets one flag per order; which wins is the file's own choice.
//! priority = ["delayed", "courier", "gift_refund", "other", "standard"]
//! [orders.flags.colours]
//! standard = { colour = "red", when = "standard" }
//! courier = { colour = "yellow", when = "courier_requirement" }
//! delayed = { colour = "green", when = "delayed_shipment" }
//! gift_refund = { colour = "blue", when = "gift_or_refund" }
//! other = { colour = "purple", when = "other_remark" }
//!
//! [orders.remark]
//! separator = ", "
//! agent = "agent {agent}"
//! courier = "ship by {courier}"
//! delay = "hold until {reason}"
//! gift = "free {gift}"
//! refund = "refund {amount} yuan"
//! gift_refund_separator = " and "
//! ```

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::Policy;
use crate::explain::ClauseRef;
use crate::money::{self, Charged, Overflow};
use crate::policy::ProblemCode;
use crate::policy::read::{Loader, Located, Node, PairWords, Table, choices};

choices! {
    /// A flag colour a shop can set on an order.
    ///
    /// ```
    /// use cs_policy::orders::{Colour, Order};
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let yellow = Order { courier: Some("顺丰".into()), ..Default::default() };
    /// assert_eq!(policy.order_flag(&yellow).unwrap().unwrap().colour, Colour::Yellow);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum Colour as "a flag colour" {
        /// Red: the standard order, or a special request.
        Red => "red",
        /// Yellow: a special courier requirement.
        Yellow => "yellow",
        /// Green: the shipment must be delayed.
        Green => "green",
        /// Blue: gift or refund information.
        Blue => "blue",
        /// Purple: any other remark.
        Purple => "purple",
    }
}

choices! {
    /// Which fact of an order makes a flag apply.
    ///
    /// ```
    /// use cs_policy::orders::FlagCondition;
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let flags = policy.orders().unwrap().flags();
    /// assert_eq!(flags[0].when(), FlagCondition::DelayedShipment);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum FlagCondition as "a flag condition" {
        /// Every order (the standard flag, red in the handbook).
        Standard => "standard",
        /// The customer asked for a particular courier (yellow).
        CourierRequirement => "courier_requirement",
        /// The shipment is held back (green).
        DelayedShipment => "delayed_shipment",
        /// A gift or a refund goes with the order (blue).
        GiftOrRefund => "gift_or_refund",
        /// Any other remark (purple).
        OtherRemark => "other_remark",
        /// The customer made a special request (a small red flag).
        SpecialRequest => "special_request",
    }
}

choices! {
    /// What kind of goods an order holds, for the return rule.
    ///
    /// ```
    /// assert_eq!(cs_policy::orders::Goods::default(), cs_policy::orders::Goods::Regular);
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum Goods as "a kind of goods" {
        /// Ordinary stock.
        #[default]
        Regular => "regular",
        /// Made or reserved in a special size (预定特殊尺码).
        CustomSize => "custom_size",
        /// Bought on the customer's behalf (代购).
        ProxyPurchase => "proxy_purchase",
    }
}

/// How a period of days is counted; it lives in [`crate::calendar`], this
/// path is kept for code that named it here.
pub use crate::calendar::DayCount;

choices! {
    /// Where the delivery window of the shipping promise is counted from.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let policy = cs_policy::Policy::example("shop")?;
    /// // This policy counts the 3–7 days from payment.
    /// let p = policy.shipping_promise(NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()).unwrap();
    /// assert_eq!(p.arrive_by, NaiveDate::from_ymd_opt(2026, 3, 11).unwrap());
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum ArriveFrom as "a starting point" {
        /// From the day the customer paid (what the customer hears).
        Payment => "payment",
        /// From the day the parcel is shipped.
        Shipment => "shipment",
    }
}

/// One order's facts, as the shop system holds them.
///
/// ```
/// let order = cs_policy::orders::Order { agent: Some(1), ..Default::default() };
/// assert!(order.refund_amount.is_none());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Order {
    /// The order number, used in errors.
    pub id: String,
    /// The number of the agent who sold the order, if written.
    pub agent: Option<u32>,
    /// The courier the customer asked for, if any.
    pub courier: Option<String>,
    /// Why the shipment is held back, if it is.
    pub delay_reason: Option<String>,
    /// The tracking number, which a delayed order must carry first.
    pub tracking_number: Option<String>,
    /// The gift that goes with the order, if any.
    pub gift: Option<String>,
    /// Whether part of the price is refunded.
    pub refund: bool,
    /// The refunded amount; required when `refund` is set.
    pub refund_amount: Option<Decimal>,
    /// Whether the customer made a special request.
    pub special_request: bool,
    /// Any other remark.
    pub other_remark: Option<String>,
    /// Whether the order-maker has marked the order as read, i.e. picked.
    pub marked_read: bool,
    /// Whether the order was placed automatically, without an agent.
    pub auto_placed: bool,
}

/// A bad fact in an order, or a rule the policy does not have.
///
/// ```
/// use cs_policy::orders::{Order, OrderError};
/// let policy = cs_policy::Policy::example("shop")?;
/// let bad = Order { id: "T9".into(), refund: true, ..Default::default() };
/// assert_eq!(policy.order_flag(&bad), Err(OrderError::RefundWithoutAmount { order: "T9".into() }));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OrderError {
    /// A date the holiday calendars do not cover.
    #[error(transparent)]
    Calendar(#[from] crate::calendar::CalendarError),
    /// The policy has no `[orders]` section.
    #[error("the policy has no `[orders]` section; add one to evaluate orders")]
    NoOrders,
    /// The `[orders]` section lacks the table a question needs.
    #[error("the policy's `[orders]` section has no `{0}` table; add it to answer this")]
    NoRule(&'static str),
    /// A refund without its amount.
    #[error("order `{order}` has a refund but no refund amount; give `refund_amount`")]
    RefundWithoutAmount {
        /// The order.
        order: String,
    },
    /// A refund amount on an order not marked as refunded.
    #[error(
        "order `{order}` gives refund amount `{amount}` but `refund` is not set; set `refund = true` or drop the amount"
    )]
    AmountWithoutRefund {
        /// The order.
        order: String,
        /// The amount given.
        amount: Decimal,
    },
    /// A negative or zero refund.
    #[error("order `{order}` has refund amount `{amount}`; a refund is a positive amount")]
    BadRefundAmount {
        /// The order.
        order: String,
        /// The amount given.
        amount: Decimal,
    },
    /// A delayed order without its tracking number (the remark asks for it first).
    #[error(
        "order `{order}` is delayed but has no tracking number; fill in the tracking number before the remark"
    )]
    DelayWithoutTracking {
        /// The order.
        order: String,
    },
    /// An unpaid order that is neither auto-placed nor has a serving agent.
    #[error(
        "unpaid order `{order}` names no serving agent and was not auto-placed; give `agent` or set `auto_placed`"
    )]
    NoServingAgent {
        /// The order.
        order: String,
    },
    /// A return asked for before the goods arrived.
    #[error("return request on {requested} is before the goods were received on {received}")]
    ReturnBeforeReceipt {
        /// When the goods arrived.
        received: NaiveDate,
        /// When the return was asked for.
        requested: NaiveDate,
    },
    /// A price that is negative.
    #[error("price `{0}` is negative")]
    NegativePrice(Decimal),
    /// A date past the end of the calendar.
    #[error("a date past {0} is outside the calendar")]
    DateOverflow(NaiveDate),
    /// An amount too large to compute (see [`Overflow`]).
    #[error("{0}; check the price for a typing mistake")]
    Overflow(#[from] Overflow),
}

/// One flag of the policy's colour table.
///
/// ```
/// let policy = cs_policy::Policy::example("shop")?;
/// let first = &policy.orders().unwrap().flags()[0];
/// assert_eq!((first.id(), first.colour()), ("delayed", cs_policy::orders::Colour::Green));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Flag {
    id: Box<str>,
    colour: Colour,
    when: FlagCondition,
    clause: ClauseRef,
}

impl Flag {
    /// The flag's id in the file (`[orders.flags.colours.<id>]`).
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// assert_eq!(policy.orders().unwrap().flags()[5].id(), "standard");
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Its colour.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// assert_eq!(policy.orders().unwrap().flags()[5].colour(), cs_policy::orders::Colour::Red);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn colour(&self) -> Colour {
        self.colour
    }

    /// The fact that makes it apply.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// assert_eq!(policy.orders().unwrap().flags()[4].when(), cs_policy::orders::FlagCondition::SpecialRequest);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn when(&self) -> FlagCondition {
        self.when
    }

    /// Its clause.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let flag = &policy.orders().unwrap().flags()[3];
    /// assert_eq!(flag.clause().id(), "orders.flags.colours.other");
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn clause(&self) -> ClauseRef {
        self.clause
    }
}

/// The flag an order gets.
///
/// ```
/// use cs_policy::{Policy, orders::{Colour, Order}};
///
/// let policy = Policy::example("shop")?;
/// let order = Order { agent: Some(1), gift: Some("small gift".into()), ..Default::default() };
/// let flag = policy.order_flag(&order).unwrap().unwrap();
/// assert_eq!(flag.colour, Colour::Blue);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlagOutcome {
    /// The colour set.
    pub colour: Colour,
    /// Why this flag applies.
    pub when: FlagCondition,
    /// How many flags applied; the priority chose this one among them.
    pub applicable: u8,
    /// The flag's clause.
    pub clause: ClauseRef,
    /// The priority clause, when more than one flag applied.
    pub chosen_by: Option<ClauseRef>,
}

/// The order's remark in the standard order.
///
/// ```
/// use cs_policy::{Policy, orders::Order};
///
/// let policy = Policy::example("shop")?;
/// let remark = policy.order_remark(&Order { agent: Some(7), ..Default::default() }).unwrap();
/// assert_eq!(remark.text, "7号客服");
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Remark {
    /// The remark text.
    pub text: String,
    /// The remark clause.
    pub clause: ClauseRef,
}

/// Whether an order earns its agent commission.
///
/// ```
/// use cs_policy::{Policy, orders::Order};
///
/// let policy = Policy::example("shop")?;
/// let c = policy.order_commission(&Order::default()).unwrap();
/// assert!(!c.credited); // no agent number: the agent bears the loss
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commission {
    /// The agent credited, if any.
    pub agent: Option<u32>,
    /// Whether the order counts towards the agent's commission.
    pub credited: bool,
    /// The commission clause.
    pub clause: ClauseRef,
}

/// What to do when a customer wants to add to an order.
///
/// ```
/// use cs_policy::orders::{AddAction, Order};
/// let policy = cs_policy::Policy::example("shop")?;
/// assert_eq!(policy.add_to_order(&Order::default()).unwrap().action, AddAction::ContactOrderMaker);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AddAction {
    /// The order is already picked: the customer pays postage again.
    CustomerPaysPostageAgain,
    /// Contact the order-maker at once to add it.
    ContactOrderMaker,
}

/// The answer to an addition.
///
/// ```
/// use cs_policy::{Policy, orders::{AddAction, Order}};
///
/// let policy = Policy::example("shop")?;
/// let read = Order { marked_read: true, ..Default::default() };
/// assert_eq!(policy.add_to_order(&read).unwrap().action, AddAction::CustomerPaysPostageAgain);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddToOrder {
    /// The action.
    pub action: AddAction,
    /// The clause.
    pub clause: ClauseRef,
}

/// Who chases an unpaid order.
///
/// ```
/// use cs_policy::orders::{ChaserRole, Order};
/// let policy = cs_policy::Policy::example("shop")?;
/// let o = Order { agent: Some(2), ..Default::default() };
/// assert_eq!(policy.unpaid_chaser(&o, 7).unwrap().role, ChaserRole::ServingAgent);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ChaserRole {
    /// The agent who served the buyer.
    ServingAgent,
    /// The day's duty agent (auto-placed orders).
    DutyAgent,
}

/// The agent who chases an unpaid order.
///
/// ```
/// use cs_policy::{Policy, orders::{ChaserRole, Order}};
///
/// let policy = Policy::example("shop")?;
/// let auto = Order { auto_placed: true, ..Default::default() };
/// let chaser = policy.unpaid_chaser(&auto, 9).unwrap();
/// assert_eq!((chaser.agent, chaser.role), (9, ChaserRole::DutyAgent));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chaser {
    /// The agent's number.
    pub agent: u32,
    /// Why that agent.
    pub role: ChaserRole,
    /// The clause.
    pub clause: ClauseRef,
}

/// A low-stock alert.
///
/// ```
/// let policy = cs_policy::Policy::example("shop")?;
/// assert!(policy.stock_alert(9).unwrap().is_some());
/// assert!(policy.stock_alert(10).unwrap().is_none());
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StockAlert {
    /// The listed stock.
    pub listed: u32,
    /// The threshold it is below.
    pub below: u32,
    /// The clause.
    pub clause: ClauseRef,
}

/// A return request's facts.
///
/// ```
/// use chrono::NaiveDate;
/// let r = cs_policy::orders::ReturnRequest {
///     received: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
///     requested: NaiveDate::from_ymd_opt(2026, 3, 8).unwrap(),
///     resaleable: true,
///     goods: cs_policy::orders::Goods::Regular,
/// };
/// assert!(r.resaleable);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnRequest {
    /// When the customer received the goods.
    pub received: NaiveDate,
    /// When the customer asked to return them.
    pub requested: NaiveDate,
    /// Tags and packaging complete, not damaged, soiled or washed.
    pub resaleable: bool,
    /// What kind of goods.
    pub goods: Goods,
}

/// Why a return is or is not accepted.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::orders::{Goods, ReturnReason, ReturnRequest};
/// let policy = cs_policy::Policy::example("shop")?;
/// let d = |day| NaiveDate::from_ymd_opt(2026, 3, day).unwrap();
/// let r = ReturnRequest { received: d(1), requested: d(9), resaleable: true, goods: Goods::Regular };
/// assert_eq!(policy.return_decision(&r).unwrap().reason, ReturnReason::TooLate);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ReturnReason {
    /// Asked within the period, resaleable, not excluded.
    WithinPeriod,
    /// Asked after the last day.
    TooLate,
    /// Not in a resaleable condition.
    NotResaleable,
    /// The kind of goods is excluded.
    Excluded(Goods),
}

/// The decision on a return.
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::{Policy, orders::{Goods, ReturnRequest}};
///
/// let policy = Policy::example("shop")?;
/// let d = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
/// let r = ReturnRequest { received: d(3, 1), requested: d(3, 8), resaleable: true, goods: Goods::Regular };
/// let decision = policy.return_decision(&r).unwrap();
/// assert!(decision.accepted && decision.buyer_pays_postage);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnDecision {
    /// Whether the return is accepted.
    pub accepted: bool,
    /// Why.
    pub reason: ReturnReason,
    /// The last day a return may be asked for.
    pub last_day: NaiveDate,
    /// Whether the buyer pays the return postage.
    pub buyer_pays_postage: bool,
    /// The clause.
    pub clause: ClauseRef,
}

/// The shipping and delivery windows quoted to a customer.
///
/// ```
/// use chrono::NaiveDate;
/// let policy = cs_policy::Policy::example("shop")?;
/// let paid = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(); // a Monday
/// let p = policy.shipping_promise(paid).unwrap();
/// assert_eq!(p.ship_by, NaiveDate::from_ymd_opt(2026, 3, 5).unwrap());
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShippingPromise {
    /// The earliest shipping day.
    pub ship_from: NaiveDate,
    /// The latest shipping day.
    pub ship_by: NaiveDate,
    /// The earliest delivery day.
    pub arrive_from: NaiveDate,
    /// The latest delivery day ("usually").
    pub arrive_by: NaiveDate,
    /// The clause.
    pub clause: ClauseRef,
}

/// A price with the VIP discount applied where due.
///
/// ```
/// use rust_decimal::Decimal;
/// let policy = cs_policy::Policy::example("shop")?;
/// let p = policy.vip_price(1, Decimal::new(100, 0)).unwrap();
/// assert_eq!(p.price, Decimal::new(9800, 2));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VipPrice {
    /// Whether the customer is a VIP.
    pub vip: bool,
    /// The price to pay, rounded as the policy says.
    pub price: Decimal,
    /// The discount given.
    pub discount: Decimal,
    /// The clause.
    pub clause: ClauseRef,
}

/// A voucher given to a customer.
///
/// ```
/// let policy = cs_policy::Policy::example("shop")?;
/// let v = policy.size_followup_voucher(true).unwrap().unwrap();
/// assert_eq!(v.amount, rust_decimal::Decimal::new(5, 0));
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Voucher {
    /// The voucher's value.
    pub amount: Decimal,
    /// The clause.
    pub clause: ClauseRef,
}

/// Everything the shop does with a new order: flag, remark, commission.
///
/// ```
/// use cs_policy::{Policy, orders::Order};
/// let policy = Policy::example("shop")?;
/// let out = policy.process_order(&Order { agent: Some(3), ..Default::default() }).unwrap();
/// assert!(out.commission.credited);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderOutcome {
    /// The flag, if any applies.
    pub flag: Option<FlagOutcome>,
    /// The remark.
    pub remark: Remark,
    /// The commission attribution.
    pub commission: Commission,
}

/// One part of an order's remark.
///
/// ```
/// use cs_policy::orders::{Order, RemarkPart};
/// let policy = cs_policy::Policy::example("shop")?;
/// let order = Order { agent: Some(1), gift: Some("小礼品".into()), ..Default::default() };
/// let parts: Vec<_> = policy.order_marks(&order)?.remark.iter().collect();
/// assert_eq!(parts, [RemarkPart::Agent, RemarkPart::Gift]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RemarkPart {
    /// The number of the agent who sold the order.
    Agent,
    /// The courier the customer asked for.
    Courier,
    /// Why the shipment is held back.
    Delay,
    /// The gift.
    Gift,
    /// The refund.
    Refund,
    /// Any other remark.
    Other,
}

const REMARK_PARTS: [RemarkPart; 6] = [
    RemarkPart::Agent,
    RemarkPart::Courier,
    RemarkPart::Delay,
    RemarkPart::Gift,
    RemarkPart::Refund,
    RemarkPart::Other,
];

/// The parts an order's remark writes, in the remark's order: a set, `Copy`,
/// written as the list of its parts.
///
/// ```
/// use cs_policy::orders::{Order, RemarkPart, RemarkParts};
/// let policy = cs_policy::Policy::example("shop")?;
/// let order = Order { agent: Some(1), courier: Some("顺丰".into()), ..Default::default() };
/// let parts = policy.order_marks(&order)?.remark;
/// assert!(parts.contains(RemarkPart::Courier));
/// assert_eq!(serde_json::to_string(&parts)?, r#"["agent","courier"]"#);
/// assert_eq!(serde_json::from_str::<RemarkParts>(r#"["agent","courier"]"#)?, parts);
/// assert!(serde_json::from_str::<RemarkParts>(r#"["courier","agent"]"#).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize)]
#[serde(try_from = "Vec<RemarkPart>")]
pub struct RemarkParts(u8);

impl RemarkParts {
    /// Whether the remark writes `part`.
    ///
    /// ```
    /// use cs_policy::orders::{Order, RemarkPart};
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let parts = policy.order_marks(&Order::default())?.remark;
    /// assert!(!parts.contains(RemarkPart::Agent));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn contains(self, part: RemarkPart) -> bool {
        self.0 & (1 << part as u8) != 0
    }

    /// The parts, in the remark's order.
    ///
    /// ```
    /// use cs_policy::orders::Order;
    /// let policy = cs_policy::Policy::example("shop")?;
    /// assert_eq!(policy.order_marks(&Order::default())?.remark.iter().count(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn iter(self) -> impl Iterator<Item = RemarkPart> {
        REMARK_PARTS.into_iter().filter(move |p| self.contains(*p))
    }

    fn with(self, part: RemarkPart, when: bool) -> Self {
        Self(self.0 | (u8::from(when) << part as u8))
    }
}

impl std::fmt::Debug for RemarkParts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for RemarkParts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl TryFrom<Vec<RemarkPart>> for RemarkParts {
    type Error = String;

    fn try_from(parts: Vec<RemarkPart>) -> Result<Self, String> {
        if parts.windows(2).any(|w| w[0] >= w[1]) {
            return Err(format!(
                "remark parts {parts:?} are not each once in the remark's order (agent, courier, delay, gift, refund, other)"
            ));
        }
        Ok(parts
            .into_iter()
            .fold(Self::default(), |set, part| set.with(part, true)))
    }
}

/// The flag and the remark of one order, as one decision (see
/// [`Policy::order_marks`]); the remark's text is written by
/// [`Policy::remark_text`].
///
/// ```
/// use cs_policy::orders::{Colour, Order, OrderMarks};
/// let policy = cs_policy::Policy::example("shop")?;
/// let marks = policy.order_marks(&Order { agent: Some(1), ..Default::default() })?;
/// assert_eq!(marks.flag.unwrap().colour, Colour::Red);
/// let json = serde_json::to_string(&marks)?;
/// assert_eq!(serde_json::from_str::<OrderMarks>(&json)?, marks);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderMarks {
    /// The flag, if any applies.
    pub flag: Option<FlagOutcome>,
    /// The parts the remark writes, in order.
    pub remark: RemarkParts,
    /// The remark clause.
    pub remark_clause: ClauseRef,
}

/// An order's remark text, written in the policy's wording as it is shown
/// (`Display`): nothing is allocated until the caller stores it.
///
/// ```
/// use cs_policy::orders::Order;
/// let policy = cs_policy::Policy::example("shop")?;
/// let order = Order { agent: Some(2), courier: Some("顺丰".into()), ..Default::default() };
/// let marks = policy.order_marks(&order)?;
/// assert_eq!(policy.remark_text(&order, marks.remark)?.to_string(), "2号客服、发顺丰快递");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct RemarkText<'a> {
    rules: &'a RemarkRules,
    order: &'a Order,
    parts: RemarkParts,
}

impl RemarkText<'_> {
    /// The remark written out, to store.
    fn stored(self) -> Remark {
        use std::fmt::Write as _;
        let mut text = String::with_capacity(64);
        let _ = write!(text, "{self}");
        Remark {
            text,
            clause: self.rules.clause,
        }
    }
}

impl std::fmt::Display for RemarkText<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let r = self.rules;
        let mut wrote = false;
        for part in self.parts.iter() {
            let Some(tpl) = r.template(part) else {
                continue;
            };
            if wrote {
                let gift_then_refund =
                    part == RemarkPart::Refund && self.parts.contains(RemarkPart::Gift);
                f.write_str(if gift_then_refund {
                    &r.gift_refund_separator
                } else {
                    &r.separator
                })?;
            }
            wrote |= tpl.render(f, self.order)?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Agent,
    Courier,
    Reason,
    Tracking,
    Gift,
    Amount,
    Text,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Text(Box<str>),
    Field(Field),
}

/// A wording template parsed once, at load.
#[derive(Debug, Clone, Default)]
struct Template(Vec<Segment>);

impl Template {
    /// Writes the template for `order`; whether it wrote anything.
    fn render(
        &self,
        out: &mut impl std::fmt::Write,
        order: &Order,
    ) -> Result<bool, std::fmt::Error> {
        let mut wrote = false;
        for seg in &self.0 {
            let text = match seg {
                Segment::Text(t) => &**t,
                Segment::Field(Field::Agent) => {
                    if let Some(a) = order.agent {
                        write!(out, "{a}")?;
                        wrote = true;
                    }
                    continue;
                }
                Segment::Field(Field::Amount) => {
                    if let Some(a) = order.refund_amount {
                        write!(out, "{}", a.normalize())?;
                        wrote = true;
                    }
                    continue;
                }
                Segment::Field(Field::Courier) => order.courier.as_deref().unwrap_or(""),
                Segment::Field(Field::Reason) => order.delay_reason.as_deref().unwrap_or(""),
                Segment::Field(Field::Tracking) => order.tracking_number.as_deref().unwrap_or(""),
                Segment::Field(Field::Gift) => order.gift.as_deref().unwrap_or(""),
                Segment::Field(Field::Text) => order.other_remark.as_deref().unwrap_or(""),
            };
            out.write_str(text)?;
            wrote |= !text.is_empty();
        }
        Ok(wrote)
    }
}

#[derive(Debug, Clone)]
struct Flags {
    /// Flags in priority order, highest first.
    by_priority: Vec<Flag>,
    priority_clause: Option<ClauseRef>,
    /// The flag chosen for each set of facts an order can have (indexed by
    /// [`facts`]), worked out once at load by [`choose_flag`] so that
    /// flagging an order is a lookup.
    chosen: Vec<Option<FlagOutcome>>,
}

impl Flags {
    fn new(by_priority: Vec<Flag>, priority_clause: Option<ClauseRef>) -> Self {
        let mut flags = Self {
            by_priority,
            priority_clause,
            chosen: Vec::new(),
        };
        flags.chosen = (0..=FACTS_ALL)
            .map(|facts| choose_flag(&flags, facts))
            .collect();
        flags
    }
}

#[derive(Debug, Clone)]
struct RemarkRules {
    clause: ClauseRef,
    separator: Box<str>,
    gift_refund_separator: Box<str>,
    agent: Template,
    courier: Template,
    delay: Template,
    gift: Template,
    refund: Template,
    other: Option<Template>,
}

impl RemarkRules {
    fn template(&self, part: RemarkPart) -> Option<&Template> {
        match part {
            RemarkPart::Agent => Some(&self.agent),
            RemarkPart::Courier => Some(&self.courier),
            RemarkPart::Delay => Some(&self.delay),
            RemarkPart::Gift => Some(&self.gift),
            RemarkPart::Refund => Some(&self.refund),
            RemarkPart::Other => self.other.as_ref(),
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Returns {
    clause: ClauseRef,
    days: u32,
    count: DayCount,
    buyer_pays_postage: bool,
    excluded: [bool; 3],
}

#[derive(Debug, Clone, Copy)]
struct Shipping {
    clause: ClauseRef,
    count: DayCount,
    ship: (u32, u32),
    arrive: (u32, u32),
    arrive_from: ArriveFrom,
}

#[derive(Debug, Clone, Copy)]
struct Vip {
    clause: ClauseRef,
    after_purchases: u32,
    price_rate: Decimal,
}

/// The `[orders]` section of a policy.
///
/// ```
/// let policy = cs_policy::Policy::example("shop")?;
/// let orders = policy.orders().unwrap();
/// assert_eq!(orders.flags().len(), 6);
/// # Ok::<(), cs_policy::LoadError>(())
/// ```
#[derive(Debug, Clone)]
pub struct OrderRules {
    clause: ClauseRef,
    flags: Option<Flags>,
    remark: Option<RemarkRules>,
    commission: Option<(ClauseRef, bool)>,
    add_to_order: Option<ClauseRef>,
    unpaid: Option<ClauseRef>,
    low_stock: Option<(ClauseRef, u32)>,
    returns: Option<Returns>,
    shipping: Option<Shipping>,
    vip: Option<Vip>,
    voucher: Option<(ClauseRef, Decimal)>,
}

const FLAGS: &str = "orders.flags";

impl OrderRules {
    /// The clause of the `[orders]` table itself.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let orders = policy.orders().unwrap();
    /// assert_eq!(orders.clause().id(), "orders");
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn clause(&self) -> ClauseRef {
        self.clause
    }

    /// The flag table, highest priority first.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let ids: Vec<_> = policy.orders().unwrap().flags().iter().map(|f| f.id()).collect();
    /// assert_eq!(ids, ["delayed", "courier", "gift_refund", "other", "special", "standard"]);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn flags(&self) -> &[Flag] {
        self.flags.as_ref().map_or(&[], |f| &f.by_priority)
    }

    pub(crate) fn read(table: &mut Table<'_, '_>, ld: &mut Loader, policy: &Policy) -> Self {
        let _ = policy;
        let clause = ld.clause(table);
        let flags = read_part(table, ld, clause, "flags", read_flags);
        let remark = read_part(table, ld, clause, "remark", read_remark);
        let commission = read_clause_with(table, ld, clause, "commission", |t, ld| {
            t.req(ld, "requires_agent_number").unwrap_or(true)
        });
        let add_to_order = read_clause_with(table, ld, clause, "add_to_order", |_, _| ());
        let unpaid = read_clause_with(table, ld, clause, "unpaid", |_, _| ());
        let low_stock = read_clause_with(table, ld, clause, "low_stock", |t, ld| {
            t.req_in(ld, "below", 1..=u32::MAX).unwrap_or(1)
        });
        let returns = read_part(table, ld, clause, "returns", read_returns);
        let shipping = read_part(table, ld, clause, "shipping", read_shipping);
        let vip = read_part(table, ld, clause, "vip", read_vip);
        let voucher = read_clause_with(table, ld, clause, "size_followup_voucher", |t, ld| {
            money::req_charged(t, ld, "amount", Charged::Monthly).unwrap_or_default()
        });
        Self {
            clause,
            flags,
            remark,
            commission,
            add_to_order: add_to_order.map(|(c, ())| c),
            unpaid: unpaid.map(|(c, ())| c),
            low_stock,
            returns,
            shipping,
            vip,
            voucher,
        }
    }
}

/// A small table of `[orders]` read as its clause and what `read` takes
/// from it.
/// The part under `key`, if the section has it, read by `read` as a
/// clause inside `parent`.
fn read_part<'a, 'i, T>(
    table: &mut Table<'a, 'i>,
    ld: &mut Loader,
    parent: ClauseRef,
    key: &'static str,
    read: impl FnOnce(Table<'a, 'i>, &mut Loader, ClauseRef) -> T,
) -> Option<T> {
    let t = table.opt_table(ld, key)?;
    Some(read(t, ld, parent))
}

fn read_clause_with<T>(
    table: &mut Table<'_, '_>,
    ld: &mut Loader,
    parent: ClauseRef,
    key: &'static str,
    read: impl FnOnce(&mut Table<'_, '_>, &mut Loader) -> T,
) -> Option<(ClauseRef, T)> {
    let mut t = table.opt_table(ld, key)?;
    let clause = ld.clause_under(&mut t, Some(parent));
    let value = read(&mut t, ld);
    t.finish(ld);
    Some((clause, value))
}

fn read_vip(mut t: Table<'_, '_>, ld: &mut Loader, parent: ClauseRef) -> Vip {
    let clause = ld.clause_under(&mut t, Some(parent));
    let after_purchases = t.req_in(ld, "after_purchases", 1..=u32::MAX).unwrap_or(1);
    let price_rate = match t.req_node(ld, "price_rate") {
        Some(n) => read_rate(&n, ld),
        None => Decimal::ONE,
    };
    t.finish(ld);
    Vip {
        clause,
        after_purchases,
        price_rate,
    }
}

fn read_rate(node: &Node<'_, '_>, ld: &mut Loader) -> Decimal {
    let Some(rate) = node.read::<Decimal>(ld) else {
        return Decimal::ONE;
    };
    if rate <= Decimal::ZERO || rate > Decimal::ONE {
        ld.error(
            ProblemCode::OutOfRange,
            node.span(),
            &node.path(),
            format!("`{}` is `{rate}`, outside 0 (exclusive) to 1", node.path()),
        )
        .help("write the share of the price the VIP pays: `\"0.98\"` for 9.8折 (2% off)");
        return Decimal::ONE;
    }
    rate
}

/// The flag table: each flag of `colours`, then the `priority` that ranks
/// them (required once there is more than one).
fn read_flags(mut t: Table<'_, '_>, ld: &mut Loader, parent: ClauseRef) -> Flags {
    let clause = ld.clause_under(&mut t, Some(parent));
    let priority: Option<Located<Vec<Located<String>>>> = t.opt(ld, "priority");
    let (defined, written) = read_colours(&mut t, ld, clause);
    let header = t.span.clone();
    let path = t.path().to_owned();
    t.finish(ld);
    let Some(priority) = priority else {
        if defined.len() > 1 {
            let ids: Vec<&str> = defined.iter().map(|(id, _)| id.value.as_str()).collect();
            ld.error(
                ProblemCode::UnstatedChoice,
                ld.header_span(&header),
                &format!("{path}.priority"),
                format!(
                    "`{FLAGS}` defines {} flags but no `priority`: an order gets one flag, and the handbook does not say which wins",
                    defined.len()
                ),
            )
            .help(format!(
                "state the order, highest first: `priority = [\"{}\"]`",
                ids.join("\", \"")
            ));
        }
        return Flags::new(defined.into_iter().map(|(_, f)| f).collect(), None);
    };
    let priority_clause = ld.clause_at(priority.path.clone(), None, &priority.span, Some(clause));
    Flags::new(
        rank_flags(ld, &priority, &defined, &written),
        Some(priority_clause),
    )
}

/// Each flag of `colours` read whole, with its id; and every id written,
/// read or not, so that a flag already reported as broken is not reported
/// again as undefined.
fn read_colours(
    t: &mut Table<'_, '_>,
    ld: &mut Loader,
    clause: ClauseRef,
) -> (Vec<(Located<String>, Flag)>, Vec<String>) {
    let mut defined = Vec::new();
    let mut written = Vec::new();
    for (id, mut ft) in t.ids(ld, "colours") {
        written.push(id.value.clone());
        let fc = ld.clause_under(&mut ft, Some(clause));
        let colour = ft.req(ld, "colour");
        let when = ft.req(ld, "when");
        ft.finish(ld);
        if let (Some(colour), Some(when)) = (colour, when) {
            let flag = Flag {
                id: id.value.clone().into_boxed_str(),
                colour,
                when,
                clause: fc,
            };
            defined.push((id, flag));
        }
    }
    (defined, written)
}

/// The flags in the order `priority` ranks them; a flag listed twice, a
/// flag `colours` does not define, and a flag left unranked are reported.
fn rank_flags(
    ld: &mut Loader,
    priority: &Located<Vec<Located<String>>>,
    defined: &[(Located<String>, Flag)],
    written: &[String],
) -> Vec<Flag> {
    let ids: Vec<&str> = defined.iter().map(|(id, _)| id.value.as_str()).collect();
    // Looked up by id, so a long list costs its length, not its square.
    let place: HashMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let written: HashSet<&str> = written.iter().map(String::as_str).collect();
    let mut order = Vec::new();
    let mut used = vec![false; defined.len()];
    for id in &priority.value {
        match place.get(id.value.as_str()).copied() {
            Some(i) if used.get(i).copied().unwrap_or(true) => {
                ld.error(
                    ProblemCode::Duplicate,
                    id.span.clone(),
                    &id.path,
                    format!("flag `{}` is listed twice in `priority`", id.value),
                );
            }
            Some(i) => {
                if let (Some(u), Some((_, f))) = (used.get_mut(i), defined.get(i)) {
                    *u = true;
                    order.push(f.clone());
                }
            }
            None if written.contains(id.value.as_str()) => {}
            None => undefined_flag(ld, id, &ids),
        }
    }
    let left: Vec<&str> = ids
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(id, _)| *id)
        .collect();
    if !left.is_empty() {
        ld.error(
            ProblemCode::UnstatedChoice,
            priority.span.clone(),
            &priority.path,
            format!("`priority` does not rank flag `{}`", left.join("`, `")),
        )
        .help("list every flag of `colours` in `priority`, highest first");
    }
    order
}

/// A flag `priority` names that `colours` does not define.
fn undefined_flag(ld: &mut Loader, id: &Located<String>, ids: &[&str]) {
    let hint = ld.suggestions.hint(&id.value, ids.len(), || ids.to_vec());
    ld.error(
        ProblemCode::UndefinedReference,
        id.span.clone(),
        &id.path,
        format!(
            "`priority` names flag `{}`, which `{FLAGS}.colours` does not define",
            id.value
        ),
    )
    .help(hint.help("flags", &format!("{FLAGS}.colours")));
}

/// A wording with `{name}` placeholders from `allowed`, which must use
/// `required` when given; each problem in it is reported.
fn read_template(
    t: &mut Table<'_, '_>,
    ld: &mut Loader,
    key: &'static str,
    allowed: &[(&'static str, Field)],
    required: Option<&'static str>,
) -> Option<Template> {
    let node = t.node(key)?;
    let text: String = node.read(ld)?;
    let mut segs = Vec::new();
    let mut rest = text.as_str();
    let mut used_required = required.is_none();
    let mut ok = true;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            segs.push(Segment::Text(rest[..open].into()));
        }
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            ld.error(
                ProblemCode::InvalidValue,
                node.span(),
                &node.path(),
                format!("`{}` has a `{{` without its `}}`", node.path()),
            )
            .help("write a placeholder as `{name}`");
            ok = false;
            rest = "";
            break;
        };
        match placeholder(&node, ld, &after[..close], allowed) {
            Some((name, field)) => {
                used_required |= Some(name) == required;
                segs.push(Segment::Field(field));
            }
            None => ok = false,
        }
        rest = &after[close + 1..];
    }
    if !rest.is_empty() {
        segs.push(Segment::Text(rest.into()));
    }
    if let (true, false, Some(r)) = (ok, used_required, required) {
        ld.error(
            ProblemCode::InvalidValue,
            node.span(),
            &node.path(),
            format!("`{}` does not use `{{{r}}}`", node.path()),
        )
        .help(format!("put `{{{r}}}` where the value belongs"));
        ok = false;
    }
    ok.then_some(Template(segs))
}

/// The field a placeholder names among `allowed`; an unknown one is
/// reported with the names allowed.
fn placeholder(
    node: &Node<'_, '_>,
    ld: &mut Loader,
    name: &str,
    allowed: &[(&'static str, Field)],
) -> Option<(&'static str, Field)> {
    if let Some(&(n, f)) = allowed.iter().find(|(n, _)| *n == name) {
        return Some((n, f));
    }
    let names: Vec<&str> = allowed.iter().map(|(n, _)| *n).collect();
    ld.error(
        ProblemCode::InvalidValue,
        node.span(),
        &node.path(),
        format!("`{}` uses unknown placeholder `{{{name}}}`", node.path()),
    )
    .help(format!("placeholders here: `{{{}}}`", names.join("}`, `{")));
    None
}

fn read_remark(mut t: Table<'_, '_>, ld: &mut Loader, parent: ClauseRef) -> RemarkRules {
    let clause = ld.clause_under(&mut t, Some(parent));
    let separator: String = t.req(ld, "separator").unwrap_or_default();
    let gift_refund_separator: String = t
        .opt(ld, "gift_refund_separator")
        .unwrap_or_else(|| separator.clone());
    let req = |t: &mut Table<'_, '_>,
               ld: &mut Loader,
               key: &'static str,
               allowed: &[(&'static str, Field)],
               required: &'static str| {
        if !t.contains(key) {
            t.missing(ld, key).help(format!(
                "give the wording, such as `{key} = \"... {{{required}}} ...\"`"
            ));
            t.allow(key);
            return Template::default();
        }
        read_template(t, ld, key, allowed, Some(required)).unwrap_or_default()
    };
    let agent = req(&mut t, ld, "agent", &[("agent", Field::Agent)], "agent");
    let courier = req(
        &mut t,
        ld,
        "courier",
        &[("courier", Field::Courier)],
        "courier",
    );
    let delay = req(
        &mut t,
        ld,
        "delay",
        &[("reason", Field::Reason), ("tracking", Field::Tracking)],
        "reason",
    );
    let gift = req(&mut t, ld, "gift", &[("gift", Field::Gift)], "gift");
    let refund = req(&mut t, ld, "refund", &[("amount", Field::Amount)], "amount");
    let other = read_template(&mut t, ld, "other", &[("text", Field::Text)], Some("text"));
    t.finish(ld);
    RemarkRules {
        clause,
        separator: separator.into_boxed_str(),
        gift_refund_separator: gift_refund_separator.into_boxed_str(),
        agent,
        courier,
        delay,
        gift,
        refund,
        other,
    }
}

fn read_returns(mut t: Table<'_, '_>, ld: &mut Loader, parent: ClauseRef) -> Returns {
    let clause = ld.clause_under(&mut t, Some(parent));
    let days = t.req_in(ld, "days", 1..=366).unwrap_or(7);
    let count = DayCount::read(&mut t, ld, "count");
    let buyer_pays_postage = t.req(ld, "buyer_pays_postage").unwrap_or(true);
    let mut excluded = [false; 3];
    for g in t.opt::<Vec<Goods>>(ld, "excluded").unwrap_or_default() {
        excluded[goods_index(g)] = true;
    }
    t.finish(ld);
    Returns {
        clause,
        days,
        count,
        buyer_pays_postage,
        excluded,
    }
}

fn goods_index(g: Goods) -> usize {
    match g {
        Goods::Regular => 0,
        Goods::CustomSize => 1,
        Goods::ProxyPurchase => 2,
    }
}

/// A window of days, as problems speak of it.
const DAYS: PairWords = PairWords {
    lower: "shorter",
    holds: "days, fewest first",
    example: "[1, 3]",
};

fn read_shipping(mut t: Table<'_, '_>, ld: &mut Loader, parent: ClauseRef) -> Shipping {
    let clause = ld.clause_under(&mut t, Some(parent));
    let count = DayCount::read(&mut t, ld, "count");
    let ship = t.req_pair(ld, "ship_within", &DAYS);
    let arrive = t.req_pair(ld, "arrive_within", &DAYS);
    let arrive_from = if t.contains("arrive_counted_from") {
        t.req(ld, "arrive_counted_from")
            .unwrap_or(ArriveFrom::Payment)
    } else {
        t.allow("arrive_counted_from");
        let span = ld.header_span(&t.span);
        ld.error(
            ProblemCode::UnstatedChoice,
            span,
            &t.field("arrive_counted_from"),
            "the handbook does not say whether the delivery days count from payment or from shipment",
        )
        .help("state it: `arrive_counted_from = \"payment\"` or `\"shipment\"`");
        ArriveFrom::Payment
    };
    t.finish(ld);
    Shipping {
        clause,
        count,
        ship,
        arrive,
        arrive_from,
    }
}

fn check_refund(order: &Order) -> Result<Option<Decimal>, OrderError> {
    match (order.refund, order.refund_amount) {
        (true, None) => Err(OrderError::RefundWithoutAmount {
            order: order.id.clone(),
        }),
        (false, Some(amount)) => Err(OrderError::AmountWithoutRefund {
            order: order.id.clone(),
            amount,
        }),
        (true, Some(amount)) if amount.is_zero() || amount.is_sign_negative() => {
            Err(OrderError::BadRefundAmount {
                order: order.id.clone(),
                amount,
            })
        }
        (_, amount) => Ok(amount),
    }
}

/// The bit a flag condition takes in an order's [`facts`].
const fn fact(when: FlagCondition) -> u8 {
    1 << when as u8
}

/// Every fact at once: the last index of [`Flags::chosen`]. A condition
/// added after `SpecialRequest` widens it (and [`facts`]).
const FACTS_ALL: u8 = (fact(FlagCondition::SpecialRequest) << 1) - 1;

/// The flag conditions an order's facts meet, a bit each.
fn facts(order: &Order) -> u8 {
    fact(FlagCondition::Standard)
        | u8::from(order.courier.is_some()) << FlagCondition::CourierRequirement as u8
        | u8::from(order.delay_reason.is_some()) << FlagCondition::DelayedShipment as u8
        | u8::from(order.gift.is_some() || order.refund) << FlagCondition::GiftOrRefund as u8
        | u8::from(order.other_remark.is_some()) << FlagCondition::OtherRemark as u8
        | u8::from(order.special_request) << FlagCondition::SpecialRequest as u8
}

fn add_days(
    policy: &Policy,
    count: DayCount,
    date: NaiveDate,
    n: u32,
) -> Result<NaiveDate, OrderError> {
    count
        .after(policy.calendar(), date, n)?
        .ok_or(OrderError::DateOverflow(date))
}
/// A delayed order's remark needs its tracking number first.
fn check_delay(order: &Order) -> Result<(), OrderError> {
    if order.delay_reason.is_some() && order.tracking_number.is_none() {
        return Err(OrderError::DelayWithoutTracking {
            order: order.id.clone(),
        });
    }
    Ok(())
}

/// The flag an order with `facts` gets (O1): of the flags whose condition
/// the facts meet, the first in the policy's priority; the priority clause
/// cited when more than one applied.
fn choose_flag(flags: &Flags, facts: u8) -> Option<FlagOutcome> {
    let mut chosen: Option<&Flag> = None;
    let mut applicable: u8 = 0;
    for flag in &flags.by_priority {
        if facts & fact(flag.when) != 0 {
            applicable = applicable.saturating_add(1);
            chosen = chosen.or(Some(flag));
        }
    }
    chosen.map(|f| FlagOutcome {
        colour: f.colour,
        when: f.when,
        applicable,
        clause: f.clause,
        chosen_by: if applicable > 1 {
            flags.priority_clause
        } else {
            None
        },
    })
}

/// The flag an order gets, as [`choose_flag`] chose it at load.
fn flag_for(flags: &Flags, order: &Order) -> Option<FlagOutcome> {
    flags
        .chosen
        .get(usize::from(facts(order)))
        .copied()
        .flatten()
}

/// The parts of an order's remark (O2), in the handbook's order: the
/// agent's number, the courier, the delay reason, the gift and the refund,
/// then any other remark where the policy has a wording for it.
fn remark_parts(r: &RemarkRules, order: &Order) -> RemarkParts {
    RemarkParts::default()
        .with(RemarkPart::Agent, order.agent.is_some())
        .with(RemarkPart::Courier, order.courier.is_some())
        .with(RemarkPart::Delay, order.delay_reason.is_some())
        .with(RemarkPart::Gift, order.gift.is_some())
        .with(RemarkPart::Refund, order.refund)
        .with(
            RemarkPart::Other,
            order.other_remark.is_some() && r.other.is_some(),
        )
}

impl Policy {
    /// The `[orders]` section, if the policy has one.
    ///
    /// ```
    /// assert!(cs_policy::Policy::example("shop")?.orders().is_some());
    /// assert!(cs_policy::Policy::example("education")?.orders().is_none());
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn orders(&self) -> Option<&OrderRules> {
        self.orders.as_ref()
    }

    fn order_rules(&self) -> Result<&OrderRules, OrderError> {
        self.orders.as_ref().ok_or(OrderError::NoOrders)
    }

    /// The flag an order gets: the highest-priority flag whose condition
    /// the order's facts meet, or `None` when none applies.
    ///
    /// ```
    /// use cs_policy::{Policy, orders::{Colour, Order}};
    /// let policy = Policy::example("shop")?;
    /// let plain = policy.order_flag(&Order { agent: Some(1), ..Default::default() }).unwrap();
    /// assert_eq!(plain.unwrap().colour, Colour::Red);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn order_flag(&self, order: &Order) -> Result<Option<FlagOutcome>, OrderError> {
        let rules = self.order_rules()?;
        let flags = rules.flags.as_ref().ok_or(OrderError::NoRule("flags"))?;
        check_refund(order)?;
        Ok(flag_for(flags, order))
    }

    /// The order's remark in the standard order, in the policy's wording:
    /// agent number, courier, delay reason (the tracking number must be
    /// filled in first), gift and refund, then any other remark.
    ///
    /// ```
    /// use cs_policy::{Policy, orders::Order};
    /// let policy = Policy::example("shop")?;
    /// let order = Order { agent: Some(2), courier: Some("顺丰".into()), ..Default::default() };
    /// assert_eq!(policy.order_remark(&order).unwrap().text, "2号客服、发顺丰快递");
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn order_remark(&self, order: &Order) -> Result<Remark, OrderError> {
        let rules = self.order_rules()?;
        let r = rules.remark.as_ref().ok_or(OrderError::NoRule("remark"))?;
        check_refund(order)?;
        check_delay(order)?;
        let parts = remark_parts(r, order);
        Ok(RemarkText {
            rules: r,
            order,
            parts,
        }
        .stored())
    }

    /// The flag and the remark of one order, as one decision (O3: every
    /// order carries its agent's number, and a special request its own
    /// flag): the flag as [`order_flag`](Self::order_flag) chooses it, and
    /// the parts the remark writes, in order, with the remark's clause.
    /// The text is written by [`remark_text`](Self::remark_text). Bad facts
    /// (a refund without its amount, a delay without its tracking number)
    /// are errors. Allocates nothing.
    ///
    /// ```
    /// use cs_policy::orders::{Colour, Order, RemarkPart};
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let order = Order { agent: Some(1), special_request: true, ..Default::default() };
    /// let marks = policy.order_marks(&order)?;
    /// assert_eq!(marks.flag.unwrap().clause.id(), "orders.flags.colours.special");
    /// assert_eq!(marks.remark.iter().collect::<Vec<_>>(), [RemarkPart::Agent]);
    /// assert_eq!(marks.remark_clause.id(), "orders.remark");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn order_marks(&self, order: &Order) -> Result<OrderMarks, OrderError> {
        let rules = self.order_rules()?;
        let flags = rules.flags.as_ref().ok_or(OrderError::NoRule("flags"))?;
        check_refund(order)?;
        let r = rules.remark.as_ref().ok_or(OrderError::NoRule("remark"))?;
        check_delay(order)?;
        Ok(OrderMarks {
            flag: flag_for(flags, order),
            remark: remark_parts(r, order),
            remark_clause: r.clause,
        })
    }

    /// The text of an order's remark, the `parts` of
    /// [`order_marks`](Self::order_marks) in the policy's wording, written
    /// when shown (`Display`): nothing is allocated until then.
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use cs_policy::orders::Order;
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let order = Order { agent: Some(1), gift: Some("小礼品".into()), refund: true,
    ///     refund_amount: Some(Decimal::new(5, 0)), ..Default::default() };
    /// let marks = policy.order_marks(&order)?;
    /// assert_eq!(policy.remark_text(&order, marks.remark)?.to_string(), "1号客服、赠送小礼品并退还5元钱");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn remark_text<'a>(
        &'a self,
        order: &'a Order,
        parts: RemarkParts,
    ) -> Result<RemarkText<'a>, OrderError> {
        let rules = self.order_rules()?;
        let r = rules.remark.as_ref().ok_or(OrderError::NoRule("remark"))?;
        Ok(RemarkText {
            rules: r,
            order,
            parts,
        })
    }

    /// Whether the order counts towards its agent's commission (F7): an
    /// order without the agent's number in its remark earns nothing, and the
    /// agent bears the loss.
    ///
    /// ```
    /// use cs_policy::{Policy, orders::Order};
    /// let policy = Policy::example("shop")?;
    /// let c = policy.order_commission(&Order { agent: Some(5), ..Default::default() }).unwrap();
    /// assert_eq!((c.agent, c.credited), (Some(5), true));
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn order_commission(&self, order: &Order) -> Result<Commission, OrderError> {
        let rules = self.order_rules()?;
        let (clause, needs) = rules.commission.ok_or(OrderError::NoRule("commission"))?;
        Ok(Commission {
            agent: order.agent,
            credited: order.agent.is_some() || !needs,
            clause,
        })
    }

    /// What to do when the customer wants to add to an order (O4).
    ///
    /// ```
    /// use cs_policy::{Policy, orders::{AddAction, Order}};
    /// let policy = Policy::example("shop")?;
    /// let open = policy.add_to_order(&Order::default()).unwrap();
    /// assert_eq!(open.action, AddAction::ContactOrderMaker);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn add_to_order(&self, order: &Order) -> Result<AddToOrder, OrderError> {
        let rules = self.order_rules()?;
        let clause = rules
            .add_to_order
            .ok_or(OrderError::NoRule("add_to_order"))?;
        let action = if order.marked_read {
            AddAction::CustomerPaysPostageAgain
        } else {
            AddAction::ContactOrderMaker
        };
        Ok(AddToOrder { action, clause })
    }

    /// Who chases an unpaid order (O5): the serving agent, or for an
    /// auto-placed order the day's duty agent.
    ///
    /// ```
    /// use cs_policy::{Policy, orders::{ChaserRole, Order}};
    /// let policy = Policy::example("shop")?;
    /// let c = policy.unpaid_chaser(&Order { agent: Some(4), ..Default::default() }, 9).unwrap();
    /// assert_eq!((c.agent, c.role), (4, ChaserRole::ServingAgent));
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn unpaid_chaser(&self, order: &Order, duty_agent: u32) -> Result<Chaser, OrderError> {
        let rules = self.order_rules()?;
        let clause = rules.unpaid.ok_or(OrderError::NoRule("unpaid"))?;
        if order.auto_placed {
            return Ok(Chaser {
                agent: duty_agent,
                role: ChaserRole::DutyAgent,
                clause,
            });
        }
        let agent = order.agent.ok_or_else(|| OrderError::NoServingAgent {
            order: order.id.clone(),
        })?;
        Ok(Chaser {
            agent,
            role: ChaserRole::ServingAgent,
            clause,
        })
    }

    /// A low-stock alert when the listed stock is below the threshold (O6).
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// assert_eq!(policy.stock_alert(3).unwrap().unwrap().below, 10);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn stock_alert(&self, listed: u32) -> Result<Option<StockAlert>, OrderError> {
        let rules = self.order_rules()?;
        let (clause, below) = rules.low_stock.ok_or(OrderError::NoRule("low_stock"))?;
        Ok((listed < below).then_some(StockAlert {
            listed,
            below,
            clause,
        }))
    }

    /// Whether a return is accepted (R1): excluded goods first, then the
    /// goods' condition, then the period counted from receipt. The rule is
    /// the no-reason return for non-quality reasons; a quality complaint is
    /// after-sales business and not decided here.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use cs_policy::{Policy, orders::{Goods, ReturnReason, ReturnRequest}};
    /// let policy = Policy::example("shop")?;
    /// let d = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    /// let r = ReturnRequest { received: d(3, 1), requested: d(3, 2), resaleable: true, goods: Goods::CustomSize };
    /// assert_eq!(policy.return_decision(&r).unwrap().reason, ReturnReason::Excluded(Goods::CustomSize));
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn return_decision(&self, request: &ReturnRequest) -> Result<ReturnDecision, OrderError> {
        let rules = self.order_rules()?;
        let r = rules.returns.ok_or(OrderError::NoRule("returns"))?;
        if request.requested < request.received {
            return Err(OrderError::ReturnBeforeReceipt {
                received: request.received,
                requested: request.requested,
            });
        }
        let last_day = add_days(self, r.count, request.received, r.days)?;
        let reason = if r.excluded[goods_index(request.goods)] {
            ReturnReason::Excluded(request.goods)
        } else if !request.resaleable {
            ReturnReason::NotResaleable
        } else if request.requested > last_day {
            ReturnReason::TooLate
        } else {
            ReturnReason::WithinPeriod
        };
        Ok(ReturnDecision {
            accepted: reason == ReturnReason::WithinPeriod,
            reason,
            last_day,
            buyer_pays_postage: r.buyer_pays_postage,
            clause: r.clause,
        })
    }

    /// The shipping and delivery windows to quote for an order paid on `paid`
    /// (R2), in the policy's days (working days: the calendar's holidays and
    /// make-up working days apply).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let d = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    /// let p = policy.shipping_promise(d(9, 30)).unwrap();
    /// // National Day: Thursday 8, Friday 9, then Saturday 10 October, a make-up working day.
    /// assert_eq!(p.ship_by, d(10, 10));
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn shipping_promise(&self, paid: NaiveDate) -> Result<ShippingPromise, OrderError> {
        let rules = self.order_rules()?;
        let s = rules.shipping.ok_or(OrderError::NoRule("shipping"))?;
        let ship_from = add_days(self, s.count, paid, s.ship.0)?;
        let ship_by = add_days(self, s.count, paid, s.ship.1)?;
        let (arrive_from, arrive_by) = match s.arrive_from {
            ArriveFrom::Payment => (
                add_days(self, s.count, paid, s.arrive.0)?,
                add_days(self, s.count, paid, s.arrive.1)?,
            ),
            ArriveFrom::Shipment => (
                add_days(self, s.count, ship_from, s.arrive.0)?,
                add_days(self, s.count, ship_by, s.arrive.1)?,
            ),
        };
        Ok(ShippingPromise {
            ship_from,
            ship_by,
            arrive_from,
            arrive_by,
            clause: s.clause,
        })
    }

    /// The price a customer pays after `completed_purchases` earlier
    /// purchases (R3: a VIP after the first, 9.8折), rounded as the policy says.
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// let policy = cs_policy::Policy::example("shop")?;
    /// let first = policy.vip_price(0, Decimal::new(100, 0)).unwrap();
    /// assert!(!first.vip);
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn vip_price(
        &self,
        completed_purchases: u32,
        price: Decimal,
    ) -> Result<VipPrice, OrderError> {
        let rules = self.order_rules()?;
        let v = rules.vip.ok_or(OrderError::NoRule("vip"))?;
        if price.is_sign_negative() && !price.is_zero() {
            return Err(OrderError::NegativePrice(price));
        }
        money::within_line(price, "the price")?;
        let vip = completed_purchases >= v.after_purchases;
        let paid = if vip {
            self.rounding()
                .round(money::times(price, v.price_rate, "the VIP price")?)
        } else {
            price
        };
        Ok(VipPrice {
            vip,
            price: paid,
            discount: money::minus(price, paid, "the discount")?,
            clause: v.clause,
        })
    }

    /// The voucher for a customer who answered the size follow-up, the
    /// shop's other promise besides the VIP price.
    ///
    /// ```
    /// let policy = cs_policy::Policy::example("shop")?;
    /// assert!(policy.size_followup_voucher(false).unwrap().is_none());
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn size_followup_voucher(&self, responded: bool) -> Result<Option<Voucher>, OrderError> {
        let rules = self.order_rules()?;
        let (clause, amount) = rules
            .voucher
            .ok_or(OrderError::NoRule("size_followup_voucher"))?;
        Ok(responded.then_some(Voucher { amount, clause }))
    }

    /// Flag, remark and commission of one order at once, the remark
    /// written out to store.
    ///
    /// ```
    /// use cs_policy::{Policy, orders::Order};
    /// let policy = Policy::example("shop")?;
    /// let bad = Order { refund: true, ..Default::default() };
    /// assert!(policy.process_order(&bad).is_err()); // a refund needs its amount
    /// # Ok::<(), cs_policy::LoadError>(())
    /// ```
    pub fn process_order(&self, order: &Order) -> Result<OrderOutcome, OrderError> {
        let marks = self.order_marks(order)?;
        Ok(OrderOutcome {
            flag: marks.flag,
            remark: self.remark_text(order, marks.remark)?.stored(),
            commission: self.order_commission(order)?,
        })
    }
}
