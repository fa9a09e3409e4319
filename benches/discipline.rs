//! A month of incidents for a 200-agent department through the shop policy's
//! ladders (F1–F9): kind resolution, window counting, lines and fund totals.

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use cs_policy::Policy;
use cs_policy::discipline::Incident;
use rust_decimal::Decimal;

const KINDS: &[&str] = &[
    "complaint",
    "complaint_part3",
    "off_task",
    "off_task_part1",
    "disclosure",
    "unmarked_order",
    "praise",
    "data_error_found",
    "suggestion_accepted",
];

/// `agents × per_agent` incidents spread over March 2026, deterministic.
fn month(agents: usize, per_agent: usize) -> Vec<Incident> {
    let mut out = Vec::with_capacity(agents * per_agent);
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for a in 0..agents {
        for _ in 0..per_agent {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let kind = KINDS[(seed % KINDS.len() as u64) as usize];
            let day = 1 + ((seed >> 8) % 31) as u32;
            let date = NaiveDate::from_ymd_opt(2026, 3, day).unwrap_or_default();
            let mut i = Incident::new(format!("agent {a:03}"), kind, date);
            if kind == "complaint_part3" {
                i.value = Some(Decimal::from((seed >> 16) % 201));
            }
            out.push(i);
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let policy = Policy::example("shop").expect("shop policy loads");
    let incidents = month(200, 10);
    let mut group = c.benchmark_group("discipline");
    group.throughput(Throughput::Elements(incidents.len() as u64));
    group.bench_function("statement_2000_incidents", |b| {
        b.iter(|| {
            let s = policy
                .discipline_statement(black_box(&incidents))
                .expect("valid facts");
            black_box(s.total())
        });
    });
    group.bench_function("month_2000_incidents", |b| {
        b.iter(|| {
            let s = policy
                .discipline_month(2026, 3, black_box(&incidents))
                .expect("valid facts");
            black_box(s.lines().len())
        });
    });
    let rules = policy.discipline().expect("shop has discipline");
    group.bench_function("resolve_kind", |b| {
        b.iter(|| black_box(rules.resolve_kind(black_box("suggestion_accepted"))));
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
