//! The discipline decisions beside their hand-written twins: what the n-th
//! occurrence of a kind costs, with its actions, fund and clause, for the
//! shop's ladders (complaints 50 / 100 / 200 a month, the last repeated;
//! off-task 10 / 30 / dismissal, counted ever).

use std::hint::black_box;

use criterion::Criterion;
use cs_policy::Policy;
use cs_policy::discipline::{Action, StepAmount};
use rust_decimal::Decimal;

/// The n-th occurrence of a ladder written by hand: its amount, whether it
/// dismisses, its fund and its clause, the last step repeated past the end.
#[derive(Debug, Clone, Copy, PartialEq)]
struct ByHand {
    amount: Option<Decimal>,
    dismissal: bool,
    fund: &'static str,
    clause: &'static str,
}

/// A ladder as the shop's file states it: its steps, the last repeated
/// past the end under the `past_end` clause.
struct HandLadder {
    steps: [(Option<Decimal>, bool); 3],
    clauses: [&'static str; 4],
}

impl HandLadder {
    fn complaint() -> Self {
        Self {
            steps: [
                (Some(50.into()), false),
                (Some(100.into()), false),
                (Some(200.into()), false),
            ],
            clauses: [
                "discipline.ladders.complaint.steps[0]",
                "discipline.ladders.complaint.steps[1]",
                "discipline.ladders.complaint.steps[2]",
                "discipline.ladders.complaint.past_end",
            ],
        }
    }

    fn off_task() -> Self {
        Self {
            steps: [
                (Some(10.into()), false),
                (Some(30.into()), false),
                (None, true),
            ],
            clauses: [
                "discipline.ladders.off_task.steps[0]",
                "discipline.ladders.off_task.steps[1]",
                "discipline.ladders.off_task.steps[2]",
                "discipline.ladders.off_task.past_end",
            ],
        }
    }

    fn occurrence(&self, n: u32) -> Option<ByHand> {
        let i = usize::try_from(n.checked_sub(1)?).ok()?;
        let (amount, dismissal) = self.steps[i.min(self.steps.len() - 1)];
        Some(ByHand {
            amount,
            dismissal,
            fund: "activity",
            clause: self.clauses[i.min(self.clauses.len() - 1)],
        })
    }
}

/// The call's answer in the hand-written twin's terms, to check both agree.
fn as_by_hand(policy: &Policy, kind: &str, n: u32) -> ByHand {
    let o = policy
        .occurrence(policy.kind_ref(kind).unwrap(), n)
        .unwrap();
    ByHand {
        amount: match o.amount {
            StepAmount::Fixed(a) => Some(a),
            _ => None,
        },
        dismissal: o.actions.contains(Action::Dismissal),
        fund: o.fund.map_or("", |f| f.id()),
        clause: o.clause.id(),
    }
}

pub fn bench(c: &mut Criterion) {
    let policy = Policy::example("shop").unwrap();
    let complaint = policy.kind_ref("complaint").unwrap();
    let off_task = policy.kind_ref("off_task").unwrap();
    let (hand_complaint, hand_off_task) = (HandLadder::complaint(), HandLadder::off_task());
    for n in 1..=5 {
        assert_eq!(
            as_by_hand(&policy, "complaint", n),
            hand_complaint.occurrence(n).unwrap()
        );
        assert_eq!(
            as_by_hand(&policy, "off_task", n),
            hand_off_task.occurrence(n).unwrap()
        );
    }
    let mut g = c.benchmark_group("discipline");
    g.bench_function("occurrence/complaint 2nd", |b| {
        b.iter(|| policy.occurrence(black_box(complaint), black_box(2)))
    });
    g.bench_function("hand-written/complaint 2nd", |b| {
        b.iter(|| hand_complaint.occurrence(black_box(2)))
    });
    g.bench_function("occurrence/complaint 5th (past the end)", |b| {
        b.iter(|| policy.occurrence(black_box(complaint), black_box(5)))
    });
    g.bench_function("hand-written/complaint 5th (past the end)", |b| {
        b.iter(|| hand_complaint.occurrence(black_box(5)))
    });
    g.bench_function("occurrence/off_task 3rd (dismissal)", |b| {
        b.iter(|| policy.occurrence(black_box(off_task), black_box(3)))
    });
    g.bench_function("hand-written/off_task 3rd (dismissal)", |b| {
        b.iter(|| hand_off_task.occurrence(black_box(3)))
    });
    g.finish();
}
