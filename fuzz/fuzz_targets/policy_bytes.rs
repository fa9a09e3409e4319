//! Any bytes as a policy file: it loads, or every problem is located inside
//! it; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod shipped;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(problems) = cs_policy::Policy::from_toml_str("fuzz.toml", &text) {
        shipped::located(&text, &problems);
    }
});
