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
    // For comparison: the `toml` crate's own spanned tree of the same file,
    // parsed and nothing more. A policy is read from a lighter tree built
    // from the same parser's events (`src/policy/tree.rs`), so a whole load,
    // validation included, costs little more than this parse alone.
    let (name, text) = EXAMPLES[0];
    c.bench_function(&format!("toml crate parse only/{name}"), |b| {
        b.iter(|| toml::de::DeTable::parse(black_box(text)).is_ok())
    });
}

criterion_group!(benches, load);
criterion_main!(benches);
