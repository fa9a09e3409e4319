//! Attendance evaluation: one agent-month (22 rostered days with punches,
//! classified, with streak rules and penalties), and 100,000 agent-months.
//!
//! `cargo bench --bench attendance`

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use cs_policy::Policy;
use cs_policy::attendance::{AgentMonth, DayRecord, MonthPay, WorkDay};
use rust_decimal::Decimal;

/// March 2026 on the education policy: 22 rostered days, Monday to Friday,
/// with a mix of lates, early leaves and absences chosen by `seed`.
fn agent_month(policy: &Policy, seed: u32) -> AgentMonth {
    let shift = policy
        .shift_ref("regular")
        .expect("the education policy has `regular`");
    let mut days = Vec::with_capacity(22);
    let mut n = 0u32;
    for d in 1..=31 {
        let date = NaiveDate::from_ymd_opt(2026, 3, d).expect("a March date");
        if chrono::Datelike::weekday(&date).number_from_monday() > 5 || days.len() == 22 {
            continue;
        }
        n += 1;
        let roll = (seed.wrapping_mul(2_654_435_761).wrapping_add(n * 40_503)) % 23;
        let (inn, out) = match roll {
            0..=3 => (date.and_hms_opt(9, roll * 9, 0), date.and_hms_opt(20, 2, 0)),
            4 => (date.and_hms_opt(8, 55, 0), date.and_hms_opt(19, 45, 0)),
            5 => (None, None),
            6 => (date.and_hms_opt(9, 45, 0), date.and_hms_opt(20, 0, 0)),
            _ => (date.and_hms_opt(8, 50, 0), date.and_hms_opt(20, 5, 0)),
        };
        days.push(WorkDay {
            date,
            shift,
            clock_in: inn,
            clock_out: out,
            overtime_approved: false,
        });
    }
    AgentMonth {
        agent: format!("agent-{seed}"),
        year: 2026,
        month: 3,
        days,
        leave: Vec::new(),
        pay: Some(MonthPay {
            base_wage: Decimal::new(3000, 0),
            gross: Decimal::new(4200, 0),
        }),
    }
}

fn bench(c: &mut Criterion) {
    let policy = Policy::example("education").expect("the education example loads");
    let one = agent_month(&policy, 7);
    assert_eq!(one.days.len(), 22);
    let mut out: Vec<DayRecord> = Vec::with_capacity(31);
    c.bench_function("attendance_month/one agent-month (22 rostered days)", |b| {
        b.iter(|| {
            let summary = policy
                .attendance_month(black_box(&one), &mut out)
                .expect("valid facts");
            black_box(summary.total_deducted)
        })
    });

    let many: Vec<AgentMonth> = (0..100_000).map(|i| agent_month(&policy, i)).collect();
    let mut group = c.benchmark_group("attendance_month");
    group.sample_size(10);
    group.bench_function("100,000 agent-months", |b| {
        b.iter(|| {
            let mut total = Decimal::ZERO;
            for m in &many {
                let summary = policy.attendance_month(m, &mut out).expect("valid facts");
                total += summary.total_deducted;
            }
            black_box(total)
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
