//! The followup decisions beside their hand-written twins: "when is this
//! member's next follow-up call due?" (C1, C2) for the education policy's
//! numbers: the first call within 48 hours of the service card, the second
//! within two weeks of the deal, the third within a month and 15 days; the
//! fourth waits on the parents' meeting, the birthday call on a birthday.

use std::hint::black_box;

use chrono::{Days, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use criterion::Criterion;
use cs_policy::followup::{CallRef, MadeCall, Member, NextCall};
use cs_policy::{ClauseRef, Policy};

/// The next call, written by hand for education's first three calls: the
/// call, its window, whether the window is open at `at`, and the call's
/// clause. `made[i]` says whether the i-th call is made; `calls[i]` is its
/// reference and clause.
fn next_call_by_hand(
    deal: NaiveDate,
    card: NaiveDateTime,
    made: [bool; 3],
    at: NaiveDateTime,
    calls: &[(CallRef, ClauseRef); 3],
) -> Option<(CallRef, NaiveDateTime, NaiveDateTime, bool, ClauseRef)> {
    let end_of_day = NaiveTime::from_hms_nano_opt(23, 59, 59, 999_999_999)?;
    let start = deal.and_time(NaiveTime::MIN);
    let windows = [
        (card, card.checked_add_signed(TimeDelta::hours(48))?),
        (start, (deal + Days::new(14)).and_time(end_of_day)),
        (
            start,
            (deal.checked_add_months(Months::new(1))? + Days::new(15)).and_time(end_of_day),
        ),
    ];
    let mut next: Option<(usize, NaiveDateTime, NaiveDateTime)> = None;
    for (i, (opens, closes)) in windows.into_iter().enumerate() {
        if made[i] || closes < at {
            continue;
        }
        if next.is_none_or(|n| (closes, opens) < (n.2, n.1)) {
            next = Some((i, opens, closes));
        }
    }
    let (i, opens, closes) = next?;
    let (call, clause) = calls.get(i)?;
    Some((*call, opens, closes, opens <= at, *clause))
}

pub fn bench(c: &mut Criterion) {
    let policy = Policy::example("education").expect("education loads");
    let deal = NaiveDate::from_ymd_opt(2026, 3, 2).expect("a date");
    let card = deal.and_hms_opt(10, 0, 0).expect("a time");
    let member = Member {
        id: "M1".into(),
        deal,
        card_received: Some(card),
        ..Default::default()
    };
    let call = |id: &str| {
        let call = policy.call_ref(id).expect("education plans it");
        let clause = policy
            .followup()
            .and_then(|f| f.call(call))
            .expect("a call")
            .clause();
        (call, clause)
    };
    let calls = [call("first"), call("second"), call("third")];
    let first = calls[0].0;
    let made = [MadeCall {
        call: first,
        at: deal.and_hms_opt(15, 0, 0).expect("a time"),
    }];
    let at = deal.and_hms_opt(16, 0, 0).expect("a time");

    // Both give the second call, its window closing on 16 March.
    let NextCall::Due(next) = policy
        .next_call(&member, &made, at)
        .expect("a valid member")
    else {
        panic!("the second call is due");
    };
    let by_hand =
        next_call_by_hand(deal, card, [true, false, false], at, &calls).expect("a call is due");
    assert_eq!(next.call.id(), "second");
    assert_eq!(
        (
            next.call,
            next.window.opens,
            next.window.closes,
            next.open,
            next.clause
        ),
        by_hand
    );

    let mut g = c.benchmark_group("followup");
    g.bench_function("next_call/call", |b| {
        b.iter(|| policy.next_call(black_box(&member), black_box(&made), black_box(at)))
    });
    g.bench_function("next_call/by_hand", |b| {
        b.iter(|| {
            next_call_by_hand(
                black_box(deal),
                black_box(card),
                black_box([true, false, false]),
                black_box(at),
                black_box(&calls),
            )
        })
    });
    g.finish();
}
