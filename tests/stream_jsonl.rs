//! Issue 18: JSON Lines facts evaluated as a stream give every agent the
//! same statement, byte for byte, as the TOML scenario with the same facts,
//! on one thread or all; bad lines stop the run before any output, or are
//! reported and skipped with `--keep-going`.
#![cfg(all(feature = "jsonl", feature = "parallel", feature = "cli"))]

use std::path::Path;
use std::process::{Command, Output};

use cs_policy::facts::jsonl::{self, JsonLines};
use cs_policy::{Policy, Scenario};

const SHIPPED: [&str; 5] = ["shop", "education", "call-centre", "property", "fintech"];

fn scenario(name: &str) -> Scenario {
    let path = format!(
        "{}/policies/{name}.scenario.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    Scenario::from_path(&path).unwrap_or_else(|e| panic!("{e}"))
}

/// The statements of the JSON Lines file at `path`, one line each: as
/// `stream::write_lines` writes them (each line evaluated once) and as
/// `stream::run` hands them over (each evaluated twice), and how many
/// `write_lines` evaluated again once the team was ranked.
fn streamed(policy: &Policy, path: &Path, threads: usize) -> ([Vec<u8>; 2], usize) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| {
        let (lines, header) = JsonLines::open(path).unwrap();
        let mut written = Vec::new();
        let report =
            cs_policy::stream::write_lines(policy, header, &lines, false, &mut written, |_, e| {
                panic!("{e}")
            })
            .unwrap();
        let mut emitted = Vec::new();
        cs_policy::stream::run(
            policy,
            header,
            &lines,
            false,
            |s| jsonl::statement_line(policy, s).unwrap(),
            |line| {
                emitted.extend(line);
                Ok(())
            },
            |_, e| panic!("{e}"),
        )
        .unwrap();
        ([written, emitted], report.again)
    })
}

#[test]
fn toml_and_json_lines_on_one_thread_or_all_give_the_same_statements() {
    let dir = tempfile::tempdir().unwrap();
    for name in SHIPPED {
        let policy = Policy::example(name).unwrap();
        let month = scenario(name);
        let mut from_toml = Vec::new();
        for s in &policy.team_statement(&month).unwrap().statements {
            from_toml.extend(jsonl::statement_line(&policy, s).unwrap());
        }
        let path = dir.path().join(format!("{name}.jsonl"));
        let mut file = Vec::new();
        jsonl::write_scenario(&month, &mut file).unwrap();
        std::fs::write(&path, file).unwrap();
        for threads in [1, 4] {
            for from_lines in streamed(&policy, &path, threads).0 {
                assert_eq!(
                    String::from_utf8_lossy(&from_lines),
                    String::from_utf8_lossy(&from_toml),
                    "{name}, {threads} thread(s)"
                );
            }
        }
    }
}

/// A statement's JSON line is its view as serde_json writes it, for
/// every statement of every shipped scenario, and for an agent whose id
/// needs escaping and whose total is negative.
#[test]
fn a_statement_line_is_its_view_as_serde_json_writes_it() {
    let as_json = |policy: &Policy, s: &cs_policy::AgentStatement| {
        let mut view = serde_json::to_vec(&s.view(policy).unwrap()).unwrap();
        view.push(b'\n');
        let line = jsonl::statement_line(policy, s).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&line),
            String::from_utf8_lossy(&view)
        );
    };
    let (mut lines, mut actions) = (0, 0);
    for name in SHIPPED {
        let policy = Policy::example(name).unwrap();
        let team = policy.team_statement(&scenario(name)).unwrap();
        for s in &team.statements {
            as_json(&policy, s);
            lines += s.lines.len();
            actions += s.actions.len();
        }
        let mut odd = team.statements[0].clone();
        odd.agent = "A\"1\\\n\u{7}".into();
        odd.total = -odd.total - rust_decimal::Decimal::new(1, 2);
        as_json(&policy, &odd);
    }
    // A policy with a version, one that needs escaping, in its stamp.
    let text = include_str!("../policies/shop.toml").replacen(
        "[policy]\n",
        "[policy]\nversion = \"2026.1 \\\"draft\\\"\"\n",
        1,
    );
    let policy = Policy::from_toml_str("shop.toml", &text).unwrap();
    assert!(policy.stamp().version.as_deref() == Some("2026.1 \"draft\""));
    let team = policy.team_statement(&scenario("shop")).unwrap();
    as_json(&policy, &team.statements[0]);
    assert!(lines > 0 && actions > 0, "{lines} lines, {actions} actions");
}

/// K10 across batches: a team larger than one batch is ranked as a whole,
/// as the same team in one TOML scenario is.
#[test]
fn k10_a_team_larger_than_a_batch_is_ranked_as_one() {
    let policy = Policy::example("call-centre").unwrap();
    let month = scenario("call-centre");
    let records = month.records().unwrap();
    let mut big = Scenario {
        year: month.year,
        month: month.month,
        punctual: month.punctual,
        ..Scenario::default()
    };
    let n = 5000;
    for i in 0..n {
        let (r, _) = &records[i % records.len()];
        let id = format!("{}-{i}", r.agent.id);
        let mut agent = r.agent.clone();
        agent.id.clone_from(&id);
        big.agents.push(agent);
        big.roster
            .extend(r.roster.iter().map(|e| cs_policy::scenario::RosterLine {
                agents: vec![id.clone()],
                shift: e.shift.clone(),
                days: e.days.clone(),
                except: e.except.clone(),
            }));
        big.punches
            .extend(r.punches.iter().map(|p| cs_policy::scenario::PunchFact {
                agent: id.clone(),
                date: p.date,
                clock_in: p.clock_in,
                clock_out: p.clock_out,
            }));
        big.incidents
            .extend(r.incidents.iter().map(|x| cs_policy::discipline::Incident {
                agent: id.clone(),
                kind: x.kind.clone(),
                date: x.date,
                value: x.value,
                details: x.details.clone(),
            }));
    }
    let team = policy.team_statement(&big).unwrap();
    let mut from_toml = Vec::new();
    for s in &team.statements {
        from_toml.extend(jsonl::statement_line(&policy, s).unwrap());
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.jsonl");
    let mut file = Vec::new();
    jsonl::write_scenario(&big, &mut file).unwrap();
    std::fs::write(&path, file).unwrap();
    let (outs, again) = streamed(&policy, &path, 2);
    for out in outs {
        assert!(out == from_toml, "the streamed statements differ");
    }
    // The ranks guessed while the team is read hold once the leaders of
    // the first, small batches are seen (32 rows guessed before any score
    // was known, then 64): only agents of those are evaluated twice.
    assert!(again > 0 && again < 96, "{again} of {n} evaluated again");
    let firsts = team.statements.iter().filter(|s| s.rank == Some(1)).count();
    assert!(firsts > 1 && firsts < n / 2, "{firsts}");
}

fn cs_policy(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cs-policy"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

fn bad_file(dir: &Path) -> String {
    let month = scenario("shop");
    let mut file = Vec::new();
    jsonl::write_scenario(&month, &mut file).unwrap();
    let mut text = String::from_utf8(file).unwrap();
    // Line 3 (the second agent) gets a float commission, line 5 a shift
    // the policy does not define.
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines[2] = lines[2].replace("\"commission\":\"0\"", "\"commission\":12.5");
    lines[4] = lines[4].replace("p3_regular", "p3_regualr");
    text = lines.join("\n") + "\n";
    let path = dir.join("bad.jsonl");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// A line ending in `\r\n`, or the last one without a newline, reads as
/// any other; a line that is not UTF-8 text is a bad line, located at its
/// first bad byte: it stops the run, or is skipped with `--keep-going`.
#[test]
fn lines_may_end_in_crlf_or_at_the_end_and_must_be_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let mut file = Vec::new();
    jsonl::write_scenario(&scenario("shop"), &mut file).unwrap();
    let text = String::from_utf8(file).unwrap();
    let eval = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let path = path.display().to_string();
        cs_policy(&["eval", "policies/shop.toml", &path, "--format", "jsonl"])
    };
    let plain = eval("plain.jsonl", text.as_bytes());
    assert!(plain.status.success());
    let crlf = text.replace('\n', "\r\n");
    let crlf = eval("crlf.jsonl", crlf.trim_end().as_bytes());
    assert!(crlf.status.success());
    assert_eq!(crlf.stdout, plain.stdout);
    let mut lines: Vec<Vec<u8>> = text.lines().map(|l| l.as_bytes().to_vec()).collect();
    lines[2].insert(1, 0xFF);
    let broken = eval("broken.jsonl", &lines.join(&b'\n'));
    assert_eq!(broken.status.code(), Some(1));
    assert!(broken.stdout.is_empty());
    let err = String::from_utf8(broken.stderr).unwrap();
    assert!(
        err.contains("broken.jsonl:3:2: error[syntax]: the line is not UTF-8 text: byte `0xFF`"),
        "{err}"
    );
    let path = dir.path().join("broken.jsonl").display().to_string();
    let args = ["eval", "policies/shop.toml", &path, "--format", "jsonl"];
    let kept = cs_policy(&[&args[..], &["--keep-going"]].concat());
    assert_eq!(kept.status.code(), Some(1));
    let err = String::from_utf8(kept.stderr).unwrap();
    assert!(
        err.contains("broken.jsonl:3:2:") && err.contains("1 bad line(s) skipped"),
        "{err}"
    );
    // The statements of the file without line 3.
    lines.remove(2);
    let without = eval("without.jsonl", &lines.join(&b'\n'));
    assert!(without.status.success());
    assert!(!kept.stdout.is_empty());
    assert_eq!(kept.stdout, without.stdout);
}

#[test]
fn a_bad_line_stops_the_run_before_any_output() {
    let dir = tempfile::tempdir().unwrap();
    let path = bad_file(dir.path());
    let out = cs_policy(&["eval", "policies/shop.toml", &path, "--format", "jsonl"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("bad.jsonl:3:"), "{err}");
    assert!(err.contains("error[float-money]"), "{err}");
    assert!(err.contains("nothing written"), "{err}");
}

#[test]
fn keep_going_skips_bad_lines_lists_them_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = bad_file(dir.path());
    let out = cs_policy(&[
        "eval",
        "policies/shop.toml",
        &path,
        "--format",
        "jsonl",
        "--keep-going",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 3, "{stdout}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("bad.jsonl:3:"), "{err}");
    assert!(err.contains("bad.jsonl:5:"), "{err}");
    assert!(
        err.contains("roster[0].shift") || err.contains("p3_regualr"),
        "{err}"
    );
    assert!(err.contains("2 bad line(s) skipped"), "{err}");
}

/// Issue 13.5: `check` checks a scenario's facts against the policy beside
/// it (or `--policy`) and locates every problem; a JSON Lines file line by
/// line.
#[test]
fn check_locates_every_fact_problem_against_the_policy() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("dup.scenario.toml");
    std::fs::write(
        &scenario,
        "year = 2026\nmonth = 3\n[[agents]]\nid = \"S01\"\n[[agents]]\nid = \"S01\"\n[[incidents]]\nagent = \"S01\"\nkind = \"complaint\"\ndate = \"2026-03-02\"\n[[incidents]]\nagent = \"S09\"\nkind = \"complant\"\ndate = \"2026-03-02\"\n",
    )
    .unwrap();
    let scenario = scenario.display().to_string();
    let out = cs_policy(&[
        "check",
        "--policy",
        "policies/shop.toml",
        &scenario,
        "--format",
        "short",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            format!("{scenario}:6:1: error[duplicate]: agent `S01` is listed twice"),
            format!(
                "{scenario}:12:1: error[undefined-reference]: agent `S09` is not among the scenario's agents"
            ),
            format!(
                "{scenario}:13:1: error[undefined-reference]: names incident kind `complant`, which `[discipline.kinds]` does not define"
            ),
        ]
    );
    let path = bad_file(dir.path());
    let out = cs_policy(&[
        "check",
        "--policy",
        "policies/shop.toml",
        &path,
        "--format",
        "short",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("bad.jsonl:3:"), "{text}");
    assert!(text.contains("bad.jsonl:5:"), "{text}");
}

/// The statements `write_lines` and `run` give for the JSON Lines `text`
/// with `keep_going`, and the positions of the rows each skipped.
fn streamed_keep_going(policy: &Policy, dir: &Path, text: &str) -> [(Vec<u8>, Vec<usize>); 2] {
    let path = dir.join("month.jsonl");
    std::fs::write(&path, text).unwrap();
    let (lines, header) = JsonLines::open(&path).unwrap();
    let mut written = Vec::new();
    let mut bad = Vec::new();
    let report =
        cs_policy::stream::write_lines(policy, header, &lines, true, &mut written, |at, _| {
            bad.push(at)
        })
        .unwrap();
    assert_eq!(report.skipped, bad);
    let mut emitted = Vec::new();
    let mut bad_too = Vec::new();
    let report = cs_policy::stream::run(
        policy,
        header,
        &lines,
        true,
        |s| jsonl::statement_line(policy, s).unwrap(),
        |line| {
            emitted.extend(line);
            Ok(())
        },
        |at, _| bad_too.push(at),
    )
    .unwrap();
    assert_eq!(report.skipped, bad_too);
    [(written, bad), (emitted, bad_too)]
}

/// An agent listed again is refused where the second line stands, as a
/// bad line among the others (in order), and the team is ranked and
/// numbered without it: the statements are those of the file without it.
#[test]
fn an_agent_listed_twice_in_a_stream_is_refused_at_the_second_line() {
    let dir = tempfile::tempdir().unwrap();
    for name in SHIPPED {
        let policy = Policy::example(name).unwrap();
        let mut file = Vec::new();
        jsonl::write_scenario(&scenario(name), &mut file).unwrap();
        let text = String::from_utf8(file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let (head, agents) = (lines[0], &lines[1..]);
        if agents.len() < 2 {
            continue;
        }
        // Every agent listed again two lines further on, and a float
        // commission on the last line.
        let mut twice = vec![head];
        let mut expected = Vec::new();
        for (i, agent) in agents.iter().enumerate() {
            twice.push(agent);
            if i >= 1 {
                expected.push(twice.len());
                twice.push(agents[i - 1]);
            }
        }
        let float = float_commission(agents[0]);
        twice.push(&float);
        let once = lines.join("\n") + "\n";
        let twice = twice.join("\n") + "\n";
        let [(whole, none), _] = streamed_keep_going(&policy, dir.path(), &once);
        assert!(none.is_empty());
        for (out, bad) in streamed_keep_going(&policy, dir.path(), &twice) {
            assert_eq!(out, whole, "{name}");
            let mut all = expected.iter().map(|at| at - 1).collect::<Vec<_>>();
            all.push(twice.lines().count() - 2);
            assert_eq!(bad, all, "{name}");
        }
        // Without `keep_going`, the first agent listed again stops the run.
        let path = dir.path().join("twice.jsonl");
        std::fs::write(&path, &twice).unwrap();
        let (rows, header) = JsonLines::open(&path).unwrap();
        let mut out = Vec::new();
        let stopped =
            cs_policy::stream::write_lines(&policy, header, &rows, false, &mut out, |_, _| {})
                .unwrap_err();
        assert!(out.is_empty());
        let cs_policy::stream::Stop::Rows(error) = stopped else {
            panic!("{name}: {stopped}");
        };
        let shown = error.render();
        assert!(shown.contains("listed twice"), "{name}: {shown}");
        assert!(
            shown.contains(&format!(":{}", expected[0] + 1)),
            "{name}: {shown}"
        );
    }
}

/// An agent's line with its commission given as a float.
fn float_commission(line: &str) -> String {
    let key = "\"commission\":\"";
    let at = line.find(key).unwrap() + key.len();
    let end = at + line[at..].find('"').unwrap();
    format!("{}12.5{}", &line[..at - 1], &line[end + 1..])
}

/// Issue 18: bad lines skipped in one batch, and agents listed again,
/// move the numbers of the incidents and leave requests in the batches
/// after it: the statements are those of the file without them, on one
/// thread or two.
#[test]
fn bad_lines_in_one_batch_leave_the_numbers_of_the_next_right() {
    let dir = tempfile::tempdir().unwrap();
    let policy = Policy::example("shop").unwrap();
    let month = scenario("shop");
    let records = month.records().unwrap();
    let n = 5000;
    let mut good = Vec::new();
    serde_json::to_writer(&mut good, &month.header()).unwrap();
    good.push(b'\n');
    let mut bad = good.clone();
    let mut skipped = Vec::new();
    for i in 0..n {
        let (record, _) = &records[i % records.len()];
        let mut record = record.clone();
        record.agent.id = format!("{}-{i}", record.agent.id);
        let line = serde_json::to_string(&record).unwrap();
        // A bad line (an unknown key) before each agent with incidents
        // or requests among the first 2,048 (every one of the first,
        // growing batches), and a few after.
        let counted = !record.incidents.is_empty() || !record.leave_requests.is_empty();
        if (i < 2048 && counted) || i % 1000 == 999 {
            skipped.push(skipped.len() + i);
            bad.extend(line.replacen("{", "{\"stray\":1,", 1).bytes());
            bad.push(b'\n');
        }
        for file in [&mut good, &mut bad] {
            file.extend(line.bytes());
            file.push(b'\n');
        }
        // Agents past the first 2,048 listed again: a good line until
        // the whole file is read.
        if counted && (2100..2300).contains(&i) {
            skipped.push(skipped.len() + i + 1);
            bad.extend(line.bytes());
            bad.push(b'\n');
        }
    }
    assert!(skipped.len() > 100, "{}", skipped.len());
    let [(whole, none), _] =
        streamed_keep_going(&policy, dir.path(), std::str::from_utf8(&good).unwrap());
    assert!(none.is_empty());
    let text = std::str::from_utf8(&bad).unwrap();
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        for (out, skipped_here) in pool.install(|| streamed_keep_going(&policy, dir.path(), text)) {
            assert!(out == whole, "{threads} thread(s): the statements differ");
            assert_eq!(skipped_here, skipped);
        }
    }
}
