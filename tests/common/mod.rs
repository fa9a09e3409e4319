//! Set-up shared by the integration tests: the `[policy]` table inline
//! policies start with, the problems of a snippet that does not load and the
//! negative test tables that assert them, the shipped examples with an edit,
//! scorecard facts, and the command-line tool with its temporary files.
// Each test file is its own crate and uses only part of this module.
#![allow(dead_code, unused_macros, unused_imports)]

use cs_policy::{Policy, ProblemCode};

/// The `[policy]` table of an inline test policy, as a string literal (so
/// that `concat!` can add a body): 7 lines, so a body's first line is line 8.
macro_rules! policy_table {
    ($id:literal, $name:literal) => {
        concat!(
            "[policy]\nid = \"",
            $id,
            "\"\nname = \"",
            $name,
            "\"\nformat = 1\ncurrency = \"CNY\"\ntime_zone = \"Asia/Shanghai\"\neffective = 2026-01-01\n"
        )
    };
}
pub(crate) use policy_table;

/// A problem as the tests pin it: code, 1-based line, field.
pub type Problem = (ProblemCode, usize, String);

/// Every problem of `text` as (code, line in the file, field, message); none
/// when it loads.
pub fn diagnostics(text: &str) -> Vec<(ProblemCode, usize, String, String)> {
    match Policy::from_toml_str("t.toml", text) {
        Ok(_) => Vec::new(),
        Err(p) => p
            .diagnostics()
            .iter()
            .map(|d| (d.code, d.line, d.field.clone(), d.message.clone()))
            .collect(),
    }
}

/// Every problem of `text` as (code, line in the file, field); none when it
/// loads.
pub fn problems(text: &str) -> Vec<Problem> {
    diagnostics(text)
        .into_iter()
        .map(|(code, line, field, _)| (code, line, field))
        .collect()
}

/// Every problem of `head` + `body` as (code, line within `body`, field).
pub fn problems_below(head: &str, body: &str) -> Vec<Problem> {
    let head_lines = head.lines().count();
    problems(&format!("{head}{body}"))
        .into_iter()
        .map(|(code, line, field)| (code, line - head_lines, field))
        .collect()
}

/// The 1-based line of the first occurrence of `needle` in `text`.
pub fn line_of(text: &str, needle: &str) -> usize {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in text"));
    text[..at].matches('\n').count() + 1
}

/// (code, field) of each problem, in order: for the cases that pin no line.
pub fn codes_and_fields(problems: &cs_policy::Problems) -> Vec<(ProblemCode, &str)> {
    problems
        .diagnostics()
        .iter()
        .map(|d| (d.code, d.field.as_str()))
        .collect()
}

/// The field of each problem, in order.
pub fn fields(problems: &cs_policy::Problems) -> Vec<&str> {
    problems
        .diagnostics()
        .iter()
        .map(|d| d.field.as_str())
        .collect()
}

/// (line, column, field, code) of each problem, in order.
pub fn located(problems: &cs_policy::Problems) -> Vec<(usize, usize, &str, ProblemCode)> {
    problems
        .diagnostics()
        .iter()
        .map(|d| (d.line, d.column, d.field.as_str(), d.code))
        .collect()
}

/// Where an invalid snippet's problem lines are counted from.
#[derive(Clone, Copy)]
pub enum Lines {
    /// The whole file, `[policy]` table included.
    InFile,
    /// The snippet's own first line is line 1.
    InBody,
}

/// An invalid snippet and every problem it must give, in order: the row of
/// a negative test table.
pub struct Invalid {
    /// The case, named after the rule it pins (a RULES.md id where there is one).
    pub case: &'static str,
    /// The snippet, loaded after the file's head.
    pub body: &'static str,
    /// (code, line, field) of each problem.
    pub problems: &'static [(ProblemCode, usize, &'static str)],
}

/// Loads `head` + each row's body and asserts its problems, naming the row.
#[track_caller]
pub fn assert_invalid(head: &str, lines: Lines, rows: &[Invalid]) {
    for row in rows {
        let got = match lines {
            Lines::InFile => problems(&format!("{head}{}", row.body)),
            Lines::InBody => problems_below(head, row.body),
        };
        let want: Vec<Problem> = row
            .problems
            .iter()
            .map(|&(code, line, field)| (code, line, field.to_owned()))
            .collect();
        assert_eq!(got, want, "case `{}`", row.case);
    }
}

/// An invalid snippet whose problems are placed by a text on their line:
/// the row of a negative test table that names lines by what they hold.
pub struct InvalidAt {
    /// The case, named after the rule it pins (a RULES.md id where there is one).
    pub case: &'static str,
    /// The snippet, loaded after the file's head.
    pub body: &'static str,
    /// (code, a text first found on the problem's line, field) of each problem.
    pub problems: &'static [(ProblemCode, &'static str, &'static str)],
    /// (index of a problem, its whole help line) where the case pins one.
    pub helps: &'static [(usize, &'static str)],
}

/// Loads `head` + each row's body and asserts its problems, each on the line
/// of the whole file that first holds its text, and the helps it pins,
/// naming the row.
#[track_caller]
pub fn assert_invalid_at(head: &str, rows: &[InvalidAt]) {
    for row in rows {
        let text = format!("{head}{}", row.body);
        let want: Vec<Problem> = row
            .problems
            .iter()
            .map(|&(code, at, field)| (code, line_of(&text, at), field.to_owned()))
            .collect();
        assert_eq!(problems(&text), want, "case `{}`", row.case);
        if row.helps.is_empty() {
            continue;
        }
        let found = Policy::from_toml_str("t.toml", &text).expect_err("it has problems");
        for &(i, help) in row.helps {
            assert_eq!(
                found.diagnostics()[i].help.as_deref(),
                Some(help),
                "case `{}`, problem {i}",
                row.case
            );
        }
    }
}

/// The text of a shipped example policy.
pub fn example_text(name: &str) -> &'static str {
    cs_policy::EXAMPLES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
        .unwrap_or_else(|| panic!("no example `{name}`"))
}

/// A shipped example's text with each `(from, to)` replaced (every
/// occurrence); each `from` must be in the text, so an edit cannot miss.
pub fn example_edited(name: &str, edits: &[(&str, &str)]) -> String {
    edits
        .iter()
        .fold(example_text(name).to_owned(), |text, (from, to)| {
            assert!(text.contains(from), "`{from}` is not in {name}");
            text.replace(from, to)
        })
}

/// A shipped example with edits, loaded; it must load.
pub fn example_policy(name: &str, edits: &[(&str, &str)]) -> Policy {
    let text = example_edited(name, edits);
    Policy::from_toml_str(&format!("{name}.toml"), &text).unwrap_or_else(|e| panic!("{e}"))
}

/// A decimal amount or score from its text.
pub fn dec(s: &str) -> rust_decimal::Decimal {
    s.parse().unwrap_or_else(|e| panic!("`{s}`: {e}"))
}

/// A scorecard item's fact: the grade it was given.
pub fn grade(item: &str, g: &str) -> cs_policy::kpi::ItemFact {
    cs_policy::kpi::ItemFact {
        item: item.into(),
        value: cs_policy::kpi::ItemValue::Grade(g.into()),
    }
}

/// A scorecard item's fact: the rating it was given.
pub fn rating(item: &str, r: i64) -> cs_policy::kpi::ItemFact {
    cs_policy::kpi::ItemFact {
        item: item.into(),
        value: cs_policy::kpi::ItemValue::Rating(r.into()),
    }
}

/// A scorecard item's fact: the points it was given.
pub fn points(item: &str, p: &str) -> cs_policy::kpi::ItemFact {
    cs_policy::kpi::ItemFact {
        item: item.into(),
        value: cs_policy::kpi::ItemValue::Points(dec(p)),
    }
}

/// A scorecard item's fact: the metric it measured.
pub fn metric(item: &str, m: &str) -> cs_policy::kpi::ItemFact {
    cs_policy::kpi::ItemFact {
        item: item.into(),
        value: cs_policy::kpi::ItemValue::Metric(dec(m)),
    }
}

/// The command-line tool, run in the crate's folder.
#[cfg(feature = "cli")]
pub fn cs_policy(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_cs-policy"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run cs-policy: {e}"))
}

/// What a run printed on standard output.
pub fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// What a run printed on standard error.
pub fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A file in the target directory's temporary folder, removed on drop.
pub struct TempFile(std::path::PathBuf);

impl TempFile {
    /// Writes `text` to a file named after `name` and this process.
    pub fn new(name: &str, text: &str) -> Self {
        // Tests run in parallel threads: a counter keeps their files apart.
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("{}-{n}-{name}", std::process::id()));
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        Self(path)
    }

    /// A shipped file of `policies/` with one edit (the first occurrence);
    /// `from` must be in it.
    pub fn shipped_edited(file: &str, from: &str, to: &str) -> Self {
        let source = format!("{}/policies/{file}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(source).unwrap_or_else(|e| panic!("{e}"));
        assert!(text.contains(from), "`{from}` is not in {file}");
        Self::new(file, &text.replacen(from, to, 1))
    }

    /// The path, as a command-line argument.
    pub fn arg(&self) -> &str {
        self.0.to_str().unwrap_or_default()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
