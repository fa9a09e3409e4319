//! A month of a small team under a shipped policy: every agent's statement,
//! every line citing its clause.
//!
//! Run with `cargo run --example monthly_statement` (the shop's after-sales
//! team); name another shipped policy with a scenario to see its month:
//! `cargo run --example monthly_statement -- education`.

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
    let month = Scenario::from_toml_str(file, text)?;
    let team = policy.team_statement(&month)?;
    print!("{}", team.render_table(&policy).unwrap());
    Ok(())
}
