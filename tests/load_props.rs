//! Loading never panics: every shipped policy, edited at random the ways a
//! person editing one might slip (a line dropped, doubled or cut short, a
//! number or word changed), either loads or reports its problems, each
//! located inside the file.

use cs_policy::{EXAMPLES, Policy};
use proptest::prelude::*;

/// One slip in a policy file.
#[derive(Debug, Clone)]
enum Edit {
    /// Drop the line.
    Drop(usize),
    /// Write the line twice.
    Double(usize),
    /// Cut the file short at this share (per mille) of its length.
    Truncate(u16),
    /// Replace what follows the first `=` on the line.
    Value(usize, &'static str),
    /// Swap the line with the next one.
    Swap(usize),
}

const VALUES: &[&str] = &[
    "0",
    "-1",
    "99999999999999999999",
    "4294967296",
    "65536",
    "1.5",
    "-0.01",
    "\"12345678901234567.89\"",
    "\"\"",
    "\"x\"",
    "\"zero\"",
    "true",
    "[]",
    "{}",
    "[1, 2]",
    "2026-02-30",
    "2026-13-01",
    "25:00",
    "1979-05-27T07:32:00Z",
    "{ x = 1 }",
    "\"calendar_month\"",
    "\"08:30\"",
    "\"2026-01-01\"",
];

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0usize..1000).prop_map(Edit::Drop),
        (0usize..1000).prop_map(Edit::Double),
        (0u16..1000).prop_map(Edit::Truncate),
        (0usize..1000, prop::sample::select(VALUES)).prop_map(|(l, v)| Edit::Value(l, v)),
        (0usize..1000).prop_map(Edit::Swap),
    ]
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    for edit in edits {
        if lines.is_empty() {
            break;
        }
        let n = lines.len();
        match *edit {
            Edit::Drop(l) => {
                lines.remove(l % n);
            }
            Edit::Double(l) => {
                let line = lines[l % n].clone();
                lines.insert(l % n, line);
            }
            Edit::Truncate(share) => {
                let joined = lines.join("\n");
                let mut cut = joined.len() * usize::from(share) / 1000;
                while !joined.is_char_boundary(cut) {
                    cut -= 1;
                }
                lines = joined[..cut].lines().map(str::to_owned).collect();
            }
            Edit::Value(l, value) => {
                let line = &mut lines[l % n];
                if let Some(eq) = line.find('=') {
                    line.truncate(eq + 1);
                    line.push(' ');
                    line.push_str(value);
                }
            }
            Edit::Swap(l) => lines.swap(l % n, (l + 1) % n),
        }
    }
    lines.join("\n")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn edited_policies_load_or_report_located_problems(
        which in 0..EXAMPLES.len(),
        edits in prop::collection::vec(edit(), 1..4),
    ) {
        let (name, text) = EXAMPLES[which];
        let edited = apply(text, &edits);
        if let Err(problems) = Policy::from_toml_str(name, &edited) {
            let lines = edited.lines().count().max(1);
            prop_assert!(!problems.diagnostics().is_empty());
            for d in problems.diagnostics() {
                prop_assert!(d.line >= 1 && d.line <= lines + 1, "{d}");
                prop_assert!(d.column >= 1, "{d}");
                prop_assert!(d.span.start <= edited.len(), "{d}");
                prop_assert!(!d.message.is_empty(), "{d}");
            }
            // Rendering shows each problem's line; it must not panic either.
            let _ = problems.render();
        }
    }
}
