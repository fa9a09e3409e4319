//! Issue 18: a payroll of 100,000 agent-months, JSON Lines in and JSON
//! Lines out, through `cs_policy::stream::write_lines` on every core (the
//! path `cs-policy eval POLICY FACTS.jsonl --format jsonl` takes, output
//! to a sink, allocating with mimalloc and run on the pool's own thread as
//! the command line does); and the
//! 100-bad-agent scenario of issue 13 read and checked.
//!
//! Run with `cargo bench --bench stream --features jsonl,parallel`; the
//! agents are the call centre's shipped scenario repeated, as
//! `examples/big_scenario` writes them.

use std::hint::black_box;
use std::io::Write;

use criterion::{Criterion, criterion_group, criterion_main};
use cs_policy::facts::jsonl::JsonLines;
use cs_policy::{Policy, Scenario};

const AGENTS: usize = 100_000;

/// The command line's allocator (see its `main`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn big_file(dir: &std::path::Path) -> std::path::PathBuf {
    let month = Scenario::from_toml_str(
        "call-centre.scenario.toml",
        include_str!("../policies/call-centre.scenario.toml"),
    )
    .unwrap();
    let records = month.records().unwrap();
    let path = dir.join("big.jsonl");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    serde_json::to_writer(&mut out, &month.header()).unwrap();
    out.write_all(b"\n").unwrap();
    for i in 0..AGENTS {
        let (record, _) = &records[i % records.len()];
        let mut record = record.clone();
        record.agent.id = format!("{}-{i:07}", record.agent.id);
        serde_json::to_writer(&mut out, &record).unwrap();
        out.write_all(b"\n").unwrap();
    }
    out.flush().unwrap();
    path
}

fn stream(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = big_file(dir.path());
    let policy = Policy::example("call-centre").unwrap();
    let mut group = c.benchmark_group("stream");
    group.sample_size(10);
    group.bench_function("100k agent-months jsonl to jsonl", |b| {
        b.iter(|| {
            let (lines, header) = JsonLines::open(&path).unwrap();
            let mut sink = std::io::sink();
            // On the pool's own thread, as the command line runs it.
            let report = rayon::scope(|_| {
                cs_policy::stream::write_lines(&policy, header, &lines, false, &mut sink, |_, e| {
                    panic!("{}", e.render())
                })
            })
            .unwrap();
            black_box(report.statements)
        });
    });
    group.finish();
}

/// Issue 13.3: 100 bad agents among 6,000 (2.5 MB) were read again for
/// each problem (15 s); read once, they cost no more than the good ones.
fn bad_scenario(c: &mut Criterion) {
    let mut text = String::from("year = 2026\nmonth = 3\n");
    for i in 0..6_000 {
        let years = if i % 60 == 0 { "\"x\"" } else { "3" };
        text.push_str(&format!(
            "\n[[agents]]\nid = \"A{i}\"\nplan = \"after_sales\"\npost = \"agent\"\nseniority_years = {years}\ncard.items = [{{ item = \"quality\", value = {{ grade = \"good\" }} }}, {{ item = \"refund_rate\", value = {{ metric = \"4.5\" }} }}]\nhistory = [{{ score = \"75\", rank = 3 }}, {{ score = \"68\", rank = 9 }}]\nlosses = [\"37.50\", \"12.00\"]\n"
        ));
    }
    assert!(text.len() > 2_000_000 / 2);
    let mut group = c.benchmark_group("check");
    group.sample_size(10);
    group.bench_function("scenario with 100 bad agents", |b| {
        b.iter(|| {
            let problems = Scenario::from_toml_str("bad.scenario.toml", black_box(&text));
            assert_eq!(problems.map(|_| 0).unwrap_err().len(), 100);
        });
    });
    group.finish();
}

criterion_group!(benches, stream, bad_scenario);
criterion_main!(benches);
