//! Orders and follow-up calls: one order's flag, remark and commission; a
//! shipping promise over the holiday calendar; a call log of 1,000 members.

use std::hint::black_box;

use chrono::{NaiveDate, TimeDelta};
use criterion::{Criterion, criterion_group, criterion_main};
use cs_policy::Policy;
use cs_policy::followup::{LoggedCall, Member};
use cs_policy::orders::Order;
use rust_decimal::Decimal;

fn orders(c: &mut Criterion) {
    let shop = Policy::example("shop").expect("shop example");
    let order = Order {
        id: "T1".into(),
        agent: Some(1),
        courier: Some("顺丰".into()),
        delay_reason: Some("尺码未确认".into()),
        tracking_number: Some("SF1".into()),
        gift: Some("小礼品".into()),
        refund: true,
        refund_amount: Some(Decimal::new(5, 0)),
        ..Order::default()
    };
    c.bench_function("orders/flag", |b| {
        b.iter(|| shop.order_flag(black_box(&order)))
    });
    c.bench_function("orders/process (flag, remark, commission)", |b| {
        b.iter(|| shop.process_order(black_box(&order)))
    });
    let paid = NaiveDate::from_ymd_opt(2026, 9, 30).expect("date");
    c.bench_function("orders/shipping_promise (National Day)", |b| {
        b.iter(|| shop.shipping_promise(black_box(paid)))
    });
}

fn followup(c: &mut Criterion) {
    let edu = Policy::example("education").expect("education example");
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).expect("date");
    let members: Vec<Member> = (0..1000)
        .map(|i| {
            let deal = start + TimeDelta::days(i % 300);
            Member {
                id: format!("M{i}"),
                deal,
                card_received: deal.and_hms_opt(18, 0, 0),
                parents_meeting: Some(deal + TimeDelta::days(120)),
                birthday: NaiveDate::from_ymd_opt(2020, 1 + (i % 12) as u32, 1 + (i % 28) as u32),
                vip: i % 10 == 0,
            }
        })
        .collect();
    let log: Vec<LoggedCall> = members
        .iter()
        .flat_map(|m| {
            let at = m.deal.and_hms_opt(10, 0, 0).expect("time");
            [
                LoggedCall {
                    member: m.id.clone(),
                    call: "first".into(),
                    at: at + TimeDelta::days(1),
                },
                LoggedCall {
                    member: m.id.clone(),
                    call: "second".into(),
                    at: at + TimeDelta::days(10),
                },
            ]
        })
        .collect();
    let as_of = NaiveDate::from_ymd_opt(2026, 12, 31)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .expect("date");
    c.bench_function("followup/check_calls (1000 members, 2000 calls)", |b| {
        b.iter(|| edu.check_calls(black_box(&members), black_box(&log), as_of))
    });
    c.bench_function("followup/calls_due (1000 members)", |b| {
        b.iter(|| edu.calls_due(black_box(&members), as_of.date()))
    });
}

criterion_group!(benches, orders, followup);
criterion_main!(benches);
