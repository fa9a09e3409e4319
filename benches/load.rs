//! Loading and validating the shipped example policies (TOML text → `Policy`),
//! each beside the `toml` crate's parse alone of the same file.
//!
//! Run: `cargo bench --bench load`. Besides criterion's figures it prints,
//! for each policy, the whole load divided by the parse alone, each the
//! fastest of rounds that take turns: on a shared machine the two
//! criterion figures are measured minutes apart, under other loads.

use std::hint::black_box;
use std::time::{Duration, Instant};

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

/// Rounds of [`ratio`], each one load and one parse.
const ROUNDS: usize = 300;

/// For every shipped policy, the fastest whole load over the fastest parse
/// alone, the two timed by turns so that both meet the same machine.
fn ratio(_: &mut Criterion) {
    for (name, text) in EXAMPLES {
        let (mut load, mut parse) = (Duration::MAX, Duration::MAX);
        for _ in 0..ROUNDS {
            let start = Instant::now();
            black_box(Policy::from_toml_str(black_box(name), black_box(text)).is_ok());
            load = load.min(start.elapsed());
            let start = Instant::now();
            black_box(toml::de::DeTable::parse(black_box(text)).is_ok());
            parse = parse.min(start.elapsed());
        }
        let times = load.as_secs_f64() / parse.as_secs_f64();
        println!(
            "load/{name}: whole load {load:.1?} = {times:.2} × the parse alone {parse:.1?} (fastest of {ROUNDS} rounds by turns)"
        );
    }
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

criterion_group!(benches, load, ratio, hostile);
criterion_main!(benches);
