//! Writes a month of N agents (default 1,000) for a shipped policy, as a
//! TOML scenario or as JSON Lines, to time `cs-policy eval` on a large
//! team. The agents are the policy's shipped scenario
//! (`policies/<name>.scenario.toml`) repeated, each copy with its own ids:
//!
//! ```sh
//! cargo run --release --example big_scenario -- call-centre 100000 jsonl > /tmp/big.jsonl
//! cargo run --release --example big_scenario -- call-centre 1000 toml > /tmp/big.scenario.toml
//! cargo build --release --features cli
//! /usr/bin/time -v target/release/cs-policy eval policies/call-centre.toml /tmp/big.jsonl --format jsonl > /tmp/big.out.jsonl
//! ```
//!
//! Both formats hold the same facts, so every agent's statement is the same
//! from either.

use std::io::{BufWriter, Write};

use cs_policy::Scenario;
use cs_policy::scenario::{AgentRecord, Numbers};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "call-centre".to_owned());
    let n: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(1_000);
    let format = args.next().unwrap_or_else(|| "toml".to_owned());
    let path = format!(
        "{}/policies/{name}.scenario.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let template = Scenario::from_path(&path)?;
    let records = template.records()?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    match format.as_str() {
        "jsonl" => jsonl(&template, &records, n, &mut out)?,
        "toml" => out.write_all(toml::to_string(&scenario(&template, &records, n))?.as_bytes())?,
        other => return Err(format!("format `{other}`: write `toml` or `jsonl`").into()),
    }
    out.flush()?;
    Ok(())
}

/// The `i`-th agent: the template's agent `i % len`, renamed.
fn agent(records: &[(AgentRecord, Numbers)], i: usize) -> AgentRecord {
    let (record, _) = &records[i % records.len()];
    let mut copy = record.clone();
    copy.agent.id = format!("{}-{:07}", record.agent.id, i);
    copy
}

/// One line per agent, written as each is made: memory stays small for
/// any `n`.
fn jsonl(
    template: &Scenario,
    records: &[(AgentRecord, Numbers)],
    n: usize,
    out: &mut impl Write,
) -> Result<(), Box<dyn std::error::Error>> {
    serde_json::to_writer(&mut *out, &template.header())?;
    out.write_all(b"\n")?;
    for i in 0..n {
        serde_json::to_writer(&mut *out, &agent(records, i))?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// The same agents as one scenario, their facts listed agent by agent.
fn scenario(template: &Scenario, records: &[(AgentRecord, Numbers)], n: usize) -> Scenario {
    let mut month = Scenario {
        year: template.year,
        month: template.month,
        punctual: template.punctual,
        ..Scenario::default()
    };
    for i in 0..n {
        let r = agent(records, i);
        let id = r.agent.id.clone();
        month.roster.extend(
            r.roster
                .into_iter()
                .map(|e| cs_policy::scenario::RosterLine {
                    agents: vec![id.clone()],
                    shift: e.shift,
                    days: e.days,
                    except: e.except,
                }),
        );
        month.punches.extend(
            r.punches
                .into_iter()
                .map(|p| cs_policy::scenario::PunchFact {
                    agent: id.clone(),
                    date: p.date,
                    clock_in: p.clock_in,
                    clock_out: p.clock_out,
                }),
        );
        month
            .leave_requests
            .extend(r.leave_requests.into_iter().map(|request| {
                cs_policy::scenario::AgentRequest {
                    agent: id.clone(),
                    request,
                }
            }));
        month.incidents.extend(
            r.incidents
                .into_iter()
                .map(|x| cs_policy::discipline::Incident {
                    agent: id.clone(),
                    kind: x.kind,
                    date: x.date,
                    value: x.value,
                    details: x.details,
                }),
        );
        month.agents.push(r.agent);
    }
    month
}
