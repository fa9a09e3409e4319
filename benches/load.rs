//! Loading and validating the shipped example policies (TOML text → `Policy`),
//! each beside the `toml` crate's parse alone of the same file.
//!
//! Run: `cargo bench --bench load`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
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

/// Hostile files, loaded and their problems rendered as `check` does: the
/// shop policy with thousands of unknown keys in its `[policy]` table, and
/// with thousands of small unknown tables. Each size is four times the one
/// before: the time must grow no faster than the file (linear loading).
fn hostile(c: &mut Criterion) {
    let mut group = c.benchmark_group("hostile");
    group.sample_size(10);
    let sizes = [5_000, 20_000, 80_000];
    let files = sizes
        .iter()
        .map(|n| (format!("{n} keys"), many_keys(*n)))
        .chain(
            sizes
                .iter()
                .map(|n| (format!("{n} tables"), many_tables(*n))),
        );
    for (name, text) in files {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(format!("{name} ({} bytes)", text.len()), |b| {
            b.iter(
                || match Policy::from_toml_str("hostile.toml", black_box(&text)) {
                    Ok(_) => 0,
                    Err(problems) => problems.render().len(),
                },
            )
        });
    }
    group.finish();
}

/// The shop policy with `n` unknown keys (`k00001=1`) in `[policy]`.
pub fn many_keys(n: usize) -> String {
    let (_, shop) = EXAMPLES[0];
    let keys: String = (0..n).map(|i| format!("k{i:05}=1\n")).collect();
    shop.replacen("[policy]\n", &format!("[policy]\n{keys}"), 1)
}

/// The shop policy followed by `n` small unknown tables.
pub fn many_tables(n: usize) -> String {
    let (_, shop) = EXAMPLES[0];
    let tables: String = (0..n)
        .map(|i| format!("[table_{i:07}]\nlabel = \"a small table\"\n"))
        .collect();
    format!("{shop}\n{tables}")
}

criterion_group!(benches, load, hostile);
criterion_main!(benches);
