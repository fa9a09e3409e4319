//! A cases file, seeded with the shipped ones: when it reads, it runs
//! against the shipped policy it names (every one when it names none); a
//! case that cannot be evaluated fails with a message, never a panic.
#![no_main]

use cs_policy::testing::{CasesError, CasesFile, run};
use libfuzzer_sys::fuzz_target;

mod shipped;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let cases = match CasesFile::parse("fuzz.cases.toml", &text) {
        Ok(cases) => cases,
        Err(CasesError::Invalid { problems, .. }) => return shipped::located(&text, &problems),
        Err(_) => return,
    };
    for (policy, _) in shipped::POLICIES.iter() {
        if cases.policy().is_none_or(|id| id == policy.meta().id()) {
            if let Ok(report) = run(policy, std::slice::from_ref(&cases)) {
                let _ = report.to_string();
                let _ = report.coverage_listing();
            }
        }
    }
});
