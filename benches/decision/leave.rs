//! The leave decisions beside their hand-written twins: "what is this
//! request worth?" for one day of personal leave under the education
//! policy.

use std::hint::black_box;

use chrono::{Datelike, NaiveDate, Weekday};
use criterion::Criterion;
use cs_policy::Policy;
use cs_policy::leave::{Agent, Approver, Document, LeaveRequest};

/// The 2026 holidays of the education policy's calendar (cn-2026), as
/// (first, last) month-days, and its make-up working days.
const HOLIDAYS: [((u32, u32), (u32, u32)); 7] = [
    ((1, 1), (1, 3)),
    ((2, 15), (2, 23)),
    ((4, 4), (4, 6)),
    ((5, 1), (5, 5)),
    ((6, 19), (6, 21)),
    ((9, 25), (9, 27)),
    ((10, 1), (10, 7)),
];
const MAKEUP: [(u32, u32); 6] = [(1, 4), (2, 14), (2, 28), (5, 9), (9, 20), (10, 10)];

/// Education's one day of personal leave written by hand: counted on a
/// working day (Monday to Friday outside the holidays, or a make-up day),
/// and approved with the ladder's first step (a department head's
/// signature or higher, the leave form; no notice) and reporting back.
/// Gives the days counted and whether the request is approved.
fn by_hand(request: &LeaveRequest) -> (u32, bool) {
    let day = (request.from.month(), request.from.day());
    let holiday = HOLIDAYS.iter().any(|(from, to)| *from <= day && day <= *to);
    let weekend = matches!(request.from.weekday(), Weekday::Sat | Weekday::Sun);
    let working = MAKEUP.contains(&day) || !(weekend || holiday);
    let counted = u32::from(working);
    let approved = request
        .approvals
        .iter()
        .any(|a| *a >= Approver::DepartmentHead)
        && request.documents.contains(&Document::LeaveForm)
        && request.reported_back;
    (counted, approved)
}

pub fn bench(c: &mut Criterion) {
    let policy = Policy::example("education").expect("the shipped policy loads");
    let tuesday = NaiveDate::from_ymd_opt(2026, 3, 10).expect("a date");
    let agent = Agent::id_only("a1");
    let request = LeaveRequest::new("personal", tuesday, tuesday, tuesday)
        .with_documents([Document::LeaveForm])
        .with_approvals([Approver::DepartmentHead])
        .reported_back();
    let summary = policy.decide_leave(&agent, &request).expect("decided");
    assert_eq!(
        (summary.counted_days, summary.approved()),
        by_hand(&request),
        "the twin decides as the policy"
    );
    let mut group = c.benchmark_group("leave");
    group.bench_function("decide_leave: one personal day", |b| {
        b.iter(|| policy.decide_leave(black_box(&agent), black_box(&request)))
    });
    group.bench_function("by hand: one personal day", |b| {
        b.iter(|| by_hand(black_box(&request)))
    });
    group.finish();
}
