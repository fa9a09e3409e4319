//! The shipped policies and scenarios, loaded once for every target, and the
//! checks every target makes of a file that does not load.

// Each target uses its own part of this module.
#![allow(dead_code)]

use std::sync::LazyLock;

use cs_policy::{EXAMPLES, Policy, Problems, Scenario};

/// Every shipped policy with its text.
pub static POLICIES: LazyLock<Vec<(Policy, &'static str)>> = LazyLock::new(|| {
    EXAMPLES
        .iter()
        .filter_map(|(name, text)| Policy::example(name).ok().map(|p| (p, *text)))
        .collect()
});

/// Every shipped scenario, read.
pub static SCENARIOS: LazyLock<Vec<Scenario>> = LazyLock::new(|| {
    [
        include_str!("../../policies/shop.scenario.toml"),
        include_str!("../../policies/education.scenario.toml"),
        include_str!("../../policies/call-centre.scenario.toml"),
    ]
    .iter()
    .filter_map(|text| Scenario::from_toml_str("shipped.scenario.toml", text).ok())
    .collect()
});

/// A file's problems are each located inside it, and render.
pub fn located(text: &str, problems: &Problems) {
    let lines = text.lines().count().max(1);
    assert!(!problems.diagnostics().is_empty());
    for d in problems.diagnostics() {
        assert!(d.line >= 1 && d.line <= lines + 1, "{d}");
        assert!(d.column >= 1, "{d}");
        assert!(d.span.start <= text.len(), "{d}");
        assert!(!d.message.is_empty(), "{d}");
    }
    let _ = problems.render();
    let _ = problems.render_short();
}
