//! A month of a small team under a shipped policy: every agent's statement,
//! every line citing its clause.
//!
//! Run with `cargo run --example monthly_statement` (the shop's after-sales
//! team, with the punch log DingTalk exported for it: its punches are
//! assigned to the rostered shifts, a forgotten punch corrected in time,
//! one asked too late); name another shipped policy with a scenario to see
//! its month: `cargo run --example monthly_statement -- education`.

use cs_policy::facts::csv::{Mapping, PunchLog};
use cs_policy::punch::{Fate, Reason};
use cs_policy::{Policy, Scenario};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let name = std::env::args().nth(1).unwrap_or_else(|| "shop".to_owned());
    let (file, text) = match name.as_str() {
        "shop" => (
            "policies/shop.scenario.toml",
            include_str!("../policies/shop.scenario.toml"),
        ),
        "education" => (
            "policies/education.scenario.toml",
            include_str!("../policies/education.scenario.toml"),
        ),
        "call-centre" => (
            "policies/call-centre.scenario.toml",
            include_str!("../policies/call-centre.scenario.toml"),
        ),
        other => {
            return Err(format!(
                "no scenario ships for `{other}`: try shop, education or call-centre"
            )
            .into());
        }
    };
    let policy = Policy::example(&name)?;
    let mut month = Scenario::from_toml_str(file, text)?;
    let log = (name == "shop").then(shop_log).transpose()?;
    if let Some(log) = &log {
        log.check(Some(&month), Some(&policy))?;
        month.punch_log.extend(log.events().iter().cloned());
        month.add_corrections_toml(
            "policies/shop.punches.corrections.toml",
            include_str!("../policies/shop.punches.corrections.toml"),
            Some(&policy),
        )?;
    }
    let team = policy.team_statement(&month)?;
    print!("{}", team.render_table(&policy)?);
    if let Some(log) = &log {
        punches_on_no_shift(&policy, &month, log)?;
    }
    Ok(())
}

/// The shop team's punch log, read with the mapping of its columns.
fn shop_log() -> Result<PunchLog, Box<dyn std::error::Error>> {
    let mapping = Mapping::from_toml_str(
        "policies/shop.punches.columns.toml",
        include_str!("../policies/shop.punches.columns.toml"),
    )?;
    let log = PunchLog::read(
        "policies/shop.punches.csv",
        include_str!("../policies/shop.punches.csv"),
        Some(&mapping),
    )?;
    Ok(log)
}

/// Every punch of the log that landed on no shift, at its line, with its
/// reason.
fn punches_on_no_shift(
    policy: &Policy,
    month: &Scenario,
    log: &PunchLog,
) -> Result<(), Box<dyn std::error::Error>> {
    println!("\npunches on no shift ({}):", log.file());
    let outcomes = policy.punch_log_outcomes(month)?;
    for (i, (o, e)) in outcomes.iter().zip(log.events()).enumerate() {
        let Fate::Reported { reason } = o.fate else {
            continue;
        };
        let line = |i: usize| log.line_of(i).unwrap_or(0);
        let why = match reason {
            Reason::Duplicate { of } => format!("a duplicate of line {}", line(of as usize)),
            other => other.to_string(),
        };
        println!("  line {:>3}  {}  {}  {why}", line(i), e.agent, o.time);
    }
    Ok(())
}
