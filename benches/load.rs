//! Loading and validating the shipped example policies (TOML text → `Policy`).
//!
//! Run: `cargo bench --bench load`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use cs_policy::{EXAMPLES, Policy};

fn load(c: &mut Criterion) {
    let mut group = c.benchmark_group("load");
    for (name, text) in EXAMPLES {
        group.bench_function(format!("{name} ({} bytes)", text.len()), |b| {
            b.iter(|| Policy::from_toml_str(black_box(name), black_box(text)).is_ok())
        });
    }
    group.finish();
    // The TOML parse alone, for comparison: what validation adds on top.
    let (name, text) = EXAMPLES[0];
    c.bench_function(&format!("toml parse only/{name}"), |b| {
        b.iter(|| toml::de::DeTable::parse(black_box(text)).is_ok())
    });
}

criterion_group!(benches, load);
criterion_main!(benches);
