//! A policy file, seeded with the shipped ones and mutated: when it loads,
//! it is compared with every shipped policy (clauses and boundary examples)
//! and every shipped scenario is replayed through it and through the shipped
//! policy it came from; never a panic, an answer or a typed error.
#![no_main]

use cs_policy::boundary::Boundaries;
use cs_policy::diff::{PolicyDiff, Replay};
use cs_policy::Policy;
use libfuzzer_sys::fuzz_target;

mod shipped;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let policy = match Policy::from_toml_str("fuzz.toml", &text) {
        Ok(policy) => policy,
        Err(problems) => return shipped::located(&text, &problems),
    };
    for (old, old_text) in shipped::POLICIES.iter() {
        let _ = PolicyDiff::between(old, old_text, &policy, &text);
        let found = Boundaries::between(old, &policy);
        let _ = found.to_string();
        if old.meta().id() == policy.meta().id() {
            for month in shipped::SCENARIOS.iter() {
                let _ = Replay::between(old, &policy, month).map(|r| r.to_string());
            }
        }
    }
    for month in shipped::SCENARIOS.iter() {
        if let Ok(team) = policy.team_statement(month) {
            let _ = team.render_table(&policy);
        }
    }
});
