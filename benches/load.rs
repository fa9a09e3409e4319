//! Loading and validating the shipped example policies (TOML text → `Policy`),
//! each beside the `toml` crate's parse alone of the same file.
//!
//! Run: `cargo bench --bench load`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use cs_policy::{EXAMPLES, Policy};

/// For every shipped policy: a whole load (parse, read, validate) and, for
/// comparison, the `toml` crate's spanned tree of the same file, parsed and
/// nothing more. A load is read from that tree, so the two differ by what
/// reading and validating cost.
fn load(c: &mut Criterion) {
    let mut group = c.benchmark_group("load");
    for (name, text) in EXAMPLES {
        group.bench_function(format!("{name} ({} bytes)/whole load", text.len()), |b| {
            b.iter(|| Policy::from_toml_str(black_box(name), black_box(text)).is_ok())
        });
        group.bench_function(
            format!("{name} ({} bytes)/toml parse only", text.len()),
            |b| b.iter(|| toml::de::DeTable::parse(black_box(text)).is_ok()),
        );
    }
    group.finish();
}

criterion_group!(benches, load);
criterion_main!(benches);
