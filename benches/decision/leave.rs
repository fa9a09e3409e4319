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

/// What the twin decides: the days counted and of absence, and each unmet
/// requirement as the clause that asks it.
#[derive(Debug, PartialEq)]
struct Decided {
    counted: u32,
    absence: u32,
    unmet: [Option<&'static str>; 3],
}

/// Education's one day of personal leave written by hand: counted on a
/// working day (Monday to Friday outside the holidays, or a make-up day);
/// the ladder's first step asks a department head's signature or higher
/// and the leave form (no notice), the type asks reporting back; a day
/// with anything unmet is absence.
fn by_hand(request: &LeaveRequest) -> Decided {
    let day = (request.from.month(), request.from.day());
    let holiday = HOLIDAYS.iter().any(|(from, to)| *from <= day && day <= *to);
    let weekend = matches!(request.from.weekday(), Weekday::Sat | Weekday::Sun);
    let counted = u32::from(MAKEUP.contains(&day) || !(weekend || holiday));
    let signed = request
        .approvals
        .iter()
        .any(|a| *a >= Approver::DepartmentHead);
    let form = request.documents.contains(&Document::LeaveForm);
    let unmet = [
        (!signed).then_some("leave.notice[0]"),
        (!form).then_some("leave.notice[0]"),
        (!request.reported_back).then_some("leave.types.personal"),
    ];
    let refused = unmet.iter().any(Option::is_some);
    Decided {
        counted,
        absence: if refused { counted } else { 0 },
        unmet,
    }
}

pub fn bench(c: &mut Criterion) {
    let policy = Policy::example("education").expect("the shipped policy loads");
    let tuesday = NaiveDate::from_ymd_opt(2026, 3, 10).expect("a date");
    let agent = Agent::id_only("a1");
    let request = LeaveRequest::new("personal", tuesday, tuesday, tuesday)
        .with_documents([Document::LeaveForm])
        .with_approvals([Approver::DepartmentHead])
        .reported_back();
    // The twin decides as the policy, with its papers and without them.
    let bare = LeaveRequest::new("personal", tuesday, tuesday, tuesday);
    for r in [&request, &bare] {
        let summary = policy.decide_leave(&agent, r).expect("decided");
        let clauses: Vec<&str> = summary.unmet.iter().map(|u| u.clause.id()).collect();
        let twin = by_hand(r);
        let twin_clauses: Vec<&str> = twin.unmet.iter().flatten().copied().collect();
        assert_eq!(
            (summary.counted_days, summary.absence_days, clauses),
            (twin.counted, twin.absence, twin_clauses),
        );
    }
    let mut group = c.benchmark_group("leave");
    group.bench_function("decide_leave: one personal day", |b| {
        b.iter(|| policy.decide_leave(black_box(&agent), black_box(&request)))
    });
    group.bench_function("by hand: one personal day", |b| {
        b.iter(|| by_hand(black_box(&request)))
    });
    group.finish();
}
