//! A scenario file (a month's facts), seeded with the shipped ones: when it
//! reads, every shipped policy makes its statements from it; never a panic,
//! statements or a typed error.
#![no_main]

use cs_policy::Scenario;
use libfuzzer_sys::fuzz_target;

mod shipped;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let month = match Scenario::from_toml_str("fuzz.scenario.toml", &text) {
        Ok(month) => month,
        Err(problems) => return shipped::located(&text, &problems),
    };
    for (policy, _) in shipped::POLICIES.iter() {
        if let Ok(team) = policy.team_statement(&month) {
            let _ = team.render_table(policy);
        }
        if let Some(agent) = month.agents.first() {
            let _ = policy.agent_statement(&month, &agent.id);
        }
    }
});
