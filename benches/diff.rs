//! `cs-policy diff`'s boundary search: its cost follows the edges of a
//! policy (band rows, ladder steps), not the size of its numbers.
//!
//! - `diff/card total`: the property policy against a copy whose K5 card
//!   totals 100 to 5 × 10^28 points: flat.
//! - `diff/ladder steps`: the shop policy against a copy whose F1 ladder has
//!   10 to 4,000 steps: linear in the steps.
//!
//! Run: `cargo bench --bench diff`.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use cs_policy::Policy;
use cs_policy::boundary::Boundaries;

fn example(name: &str) -> &'static str {
    cs_policy::EXAMPLES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
        .unwrap_or_default()
}

/// The property policy with its one-item card scaled to `total` points.
fn card_of_total(total: &str) -> Policy {
    let text = example("property")
        .replacen("total = 100\n", &format!("total = {total}\n"), 1)
        .replacen(
            "kind = \"points\"\nmax = 100\n",
            &format!("kind = \"points\"\nmax = {total}\n"),
            1,
        );
    Policy::from_toml_str("card.toml", &text).unwrap_or_else(|e| panic!("{e}"))
}

/// The shop policy with F1's complaint ladder grown to `steps` steps, each
/// one yuan dearer than the one before from the third.
fn ladder_of(steps: usize) -> Policy {
    let shipped = "steps = [\n  { amount = 50, label = \"第一次\" },\n  { amount = 100, label = \"第二次\" },\n  { amount = 200, label = \"第三次\" },\n]";
    let mut rows = vec![
        "  { amount = 50 }".to_owned(),
        "  { amount = 100 }".to_owned(),
    ];
    rows.extend((0..steps.saturating_sub(2)).map(|i| format!("  {{ amount = {} }}", 200 + i)));
    let text = example("shop").replacen(shipped, &format!("steps = [\n{}\n]", rows.join(",\n")), 1);
    Policy::from_toml_str("ladder.toml", &text).unwrap_or_else(|e| panic!("{e}"))
}

fn diff(c: &mut Criterion) {
    let mut group = c.benchmark_group("diff/card total");
    let property = Policy::example("property").unwrap_or_else(|e| panic!("{e}"));
    for total in [
        "100",
        "10000",
        "10000000",
        "400000000",
        "\"50000000000000000000000000000\"",
    ] {
        let card = card_of_total(total);
        group.bench_with_input(
            BenchmarkId::from_parameter(total.trim_matches('"')),
            &card,
            |b, card| b.iter(|| Boundaries::between(black_box(&property), black_box(card))),
        );
    }
    group.finish();

    let mut group = c.benchmark_group("diff/ladder steps");
    group.sample_size(10);
    let shop = Policy::example("shop").unwrap_or_else(|e| panic!("{e}"));
    for steps in [10, 100, 1000, 4000] {
        let ladder = ladder_of(steps);
        group.throughput(Throughput::Elements(steps as u64));
        group.bench_with_input(BenchmarkId::from_parameter(steps), &ladder, |b, ladder| {
            b.iter(|| Boundaries::between(black_box(&shop), black_box(ladder)))
        });
    }
    group.finish();
}

criterion_group!(benches, diff);
criterion_main!(benches);
