//! Checking leave requests against the education policy (L1–L11).
//!
//! Run: `cargo bench --bench leave`.

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use cs_policy::Policy;
use cs_policy::leave::{Agent, Approver, Document, LeaveRequest, Sex};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

fn paperwork(r: LeaveRequest) -> LeaveRequest {
    r.with_documents([
        Document::LeaveForm,
        Document::HospitalCertificate,
        Document::MarriageCertificate,
    ])
    .with_approvals([Approver::AboveDepartmentHead])
    .reported_back()
}

fn leave(c: &mut Criterion) {
    let policy = Policy::example("education").expect("the education example loads");
    let agent = Agent::new("a1", d(1998, 4, 2), Sex::Woman).joined_on(d(2024, 3, 1));
    let one_day = paperwork(LeaveRequest::new(
        "personal",
        d(2026, 3, 10),
        d(2026, 3, 10),
        d(2026, 3, 9),
    ));
    let marriage = paperwork(
        LeaveRequest::new("marriage", d(2026, 4, 20), d(2026, 5, 1), d(2026, 4, 1))
            .with_marriage(d(2026, 4, 18)),
    );
    let maternity =
        paperwork(
            LeaveRequest::new("maternity", d(2026, 7, 1), d(2026, 10, 28), d(2026, 6, 1))
                .with_birth(d(2026, 7, 16), false, 2),
        );
    let mut group = c.benchmark_group("leave");
    group.bench_function("one-day personal leave", |b| {
        b.iter(|| policy.check_leave_request(black_box(&agent), black_box(&one_day)))
    });
    group.bench_function("12-day marriage leave", |b| {
        b.iter(|| policy.check_leave_request(black_box(&agent), black_box(&marriage)))
    });
    group.bench_function("120-day maternity leave", |b| {
        b.iter(|| policy.check_leave_request(black_box(&agent), black_box(&maternity)))
    });
    // A year of 24 two-day requests, then the balance against the cap.
    let year: Vec<LeaveRequest> = (1..=12u32)
        .flat_map(|m| {
            [3u32, 17].map(|day| {
                paperwork(LeaveRequest::new(
                    "personal",
                    d(2026, m, day),
                    d(2026, m, day + 1),
                    d(2026, m, 1),
                ))
            })
        })
        .collect();
    group.bench_function("year of 24 requests + balance", |b| {
        b.iter(|| {
            let decisions = policy.check_leave_requests(black_box(&agent), black_box(&year))?;
            policy.leave_year(2026, &decisions)
        })
    });
    group.finish();
}

criterion_group!(benches, leave);
criterion_main!(benches);
