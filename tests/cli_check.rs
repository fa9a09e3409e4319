//! `cs-policy check`: exit codes, locations and JSON output.
#![cfg(feature = "cli")]

mod common;

use common::cs_policy;
use std::process::{Command, Output};

fn shipped_policies() -> Vec<String> {
    cs_policy::EXAMPLES
        .iter()
        .map(|(name, _)| format!("policies/{name}.toml"))
        .collect()
}

#[test]
fn check_passes_every_shipped_policy() {
    let mut args = vec!["check"];
    let files = shipped_policies();
    args.extend(files.iter().map(String::as_str));
    let out = cs_policy(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn check_reports_an_unterminated_string_at_line_three_and_exits_1() {
    let out = cs_policy(&[
        "check",
        "tests/fixtures/invalid/syntax_unterminated_string.toml",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let first = stdout.lines().next().unwrap_or_default();
    assert_eq!(
        first,
        "tests/fixtures/invalid/syntax_unterminated_string.toml:3:21: error[syntax]: invalid basic string, expected `\"`"
    );
    // The offending line is shown and underlined.
    assert!(
        stdout.contains("3 | name = \"unterminated\n  |                     ^\n"),
        "{stdout}"
    );
}

#[test]
fn check_reports_all_five_problems_of_one_file() {
    let out = cs_policy(&[
        "check",
        "--format",
        "short",
        "tests/fixtures/invalid/five_problems.toml",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let locations: Vec<&str> = stdout
        .lines()
        .map(|l| l.split(": ").next().unwrap_or_default())
        .collect();
    assert_eq!(
        locations,
        [
            "tests/fixtures/invalid/five_problems.toml:6:12",
            "tests/fixtures/invalid/five_problems.toml:11:1",
            "tests/fixtures/invalid/five_problems.toml:12:24",
            "tests/fixtures/invalid/five_problems.toml:14:29",
            "tests/fixtures/invalid/five_problems.toml:16:24",
        ]
    );
}

#[test]
fn check_json_lists_each_file_with_its_problems() {
    let out = cs_policy(&[
        "check",
        "--format",
        "json",
        "policies/shop.toml",
        "tests/fixtures/invalid/unknown_key.toml",
        "tests/fixtures/invalid/no-such-file.toml",
    ]);
    // A file that cannot be read makes it 2, as for `test`, `diff`, `eval`.
    assert_eq!(out.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert_eq!(json[0]["valid"], true);
    assert_eq!(json[1]["valid"], false);
    assert_eq!(json[1]["problems"][0]["code"], "unknown-key");
    assert_eq!(json[1]["problems"][0]["line"], 10);
    assert_eq!(json[1]["problems"][0]["column"], 1);
    assert_eq!(json[1]["problems"][0]["field"], "calendar.week_start");
    assert_eq!(
        json[1]["problems"][0]["help"],
        "did you mean `week_starts`?"
    );
    assert_eq!(json[2]["problems"][0]["code"], "io");
}

#[test]
fn check_accepts_every_file_in_policies_including_cases_and_scenarios() {
    let mut files: Vec<String> =
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/policies"))
            .unwrap_or_else(|e| panic!("{e}"))
            .filter_map(|entry| entry.ok())
            .map(|entry| format!("policies/{}", entry.file_name().to_string_lossy()))
            .filter(|name| name.ends_with(".toml"))
            .collect();
    files.sort();
    assert!(files.iter().any(|f| f.ends_with(".cases.toml")));
    assert!(files.iter().any(|f| f.ends_with(".scenario.toml")));
    let mut args = vec!["check"];
    args.extend(files.iter().map(String::as_str));
    let out = cs_policy(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// Broken scenario and cases files, each written in a temporary directory
/// under its name: (case, file name, text, what `check --format short`
/// prints after the file's path).
const BROKEN: &[(&str, &str, &str, &str)] = &[
    // A scenario: the misspelt key's line.
    (
        "check_reports_a_broken_scenario_with_its_location",
        "broken.scenario.toml",
        "year = 2026\nmonth = 3\nagnets = []\n",
        ":3:1: error[",
    ),
    // A cases file: the offending key.
    (
        "check_reports_a_broken_cases_file_at_the_offending_key",
        "shop.cases.toml",
        "[[case]]\nname = \"x\"\nrun = \"calendar_day\"\nfacts.date = 2026-01-01\nbogus = 3\n",
        ":5:1: error[unknown-key]: unknown key `bogus` in `case[0]`",
    ),
];

#[test]
fn check_reports_a_broken_scenario_or_cases_file_at_the_offending_key() {
    for &(case, name, text, located) in BROKEN {
        let scratch = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = scratch.path().join(name);
        std::fs::write(&file, text).unwrap_or_else(|e| panic!("{e}"));
        let path = file.to_string_lossy().into_owned();
        let out = cs_policy(&["check", "--format", "short", &path]);
        assert_eq!(out.status.code(), Some(1), "{case}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.starts_with(&format!("{path}{located}")),
            "{case}: {stdout}"
        );
    }
}

/// Issue 17: `--as-of` warns when a policy's holiday calendars end within
/// 60 days; the warning is shown apart from errors and never fails the check.
#[test]
fn check_as_of_warns_when_the_calendars_end_within_60_days() {
    let out = cs_policy(&["check", "--as-of", "2026-11-30", "policies/shop.toml"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with(
            "policies/shop.toml: warning[calendar-ends]: the holiday calendars end on 2026-12-31, 31 day(s) after 2026-11-30\n"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("= help: add the calendar of 2027"));
    assert!(!stdout.contains("error["));
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 file(s) valid; 1 with warnings"));
    // 61 days before the end: nothing to say.
    let out = cs_policy(&["check", "--as-of", "2026-10-31", "policies/shop.toml"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    // JSON keeps warnings apart from problems.
    let out = cs_policy(&[
        "check",
        "--as-of",
        "2027-01-15",
        "--format",
        "json",
        "policies/education.toml",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert_eq!(json[0]["valid"], true);
    assert_eq!(json[0]["problems"].as_array().map(Vec::len), Some(0));
    assert_eq!(json[0]["warnings"][0]["code"], "calendar-ends");
    assert_eq!(
        json[0]["warnings"][0]["message"],
        "the holiday calendars ended on 2026-12-31, before 2027-01-15"
    );
}

/// Issue 17: the calendar files are checked like policies, every problem
/// with its place.
#[test]
fn check_reads_calendar_files() {
    let out = cs_policy(&["check", "calendars/cn-2025.toml", "calendars/cn-2026.toml"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir(dir.path().join("calendars")).unwrap_or_else(|e| panic!("{e}"));
    let bad = dir.path().join("calendars/cn-2027.toml");
    std::fs::write(
        &bad,
        "id = \"cn-2027\"\nyear = 2027\nweekend = [\"saturday\", \"sunday\"]\nmakeup_working_days = [2027-01-05]\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let path = bad.display().to_string();
    let out = cs_policy(&["check", "--format", "short", &path]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!(
            "{path}:4:24: error[invalid-value]: make-up working day 2027-01-05 is a Tuesday, which is worked anyway\n"
        )
    );
}

fn cs_policy_with(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cs-policy"));
    command
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR");
    for (key, value) in env {
        command.env(key, value);
    }
    command
        .output()
        .unwrap_or_else(|e| panic!("cannot run cs-policy: {e}"))
}

#[test]
fn check_exits_2_when_a_file_cannot_be_read_and_1_for_problems() {
    let unreadable = cs_policy(&["check", "policies/shop.toml", "no/such.toml"]);
    assert_eq!(unreadable.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&unreadable.stdout);
    assert!(
        stdout.starts_with("no/such.toml:1:1: error[io]: cannot read `no/such.toml`"),
        "{stdout}"
    );
    let device = cs_policy(&["check", "/dev/zero"]);
    assert_eq!(device.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&device.stdout).contains("not a regular file"));
    let invalid = cs_policy(&["check", "tests/fixtures/invalid/unknown_key.toml"]);
    assert_eq!(invalid.status.code(), Some(1));
    let help = cs_policy(&["check", "--help"]);
    assert!(String::from_utf8_lossy(&help.stdout).contains("2 when a file cannot be read"));
}

#[test]
fn invalid_utf8_in_a_scenario_is_located_and_the_file_is_no_policy() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("march.scenario.toml");
    std::fs::write(&path, b"year = 2026\nmonth = 3 # \xff\n").unwrap_or_else(|e| panic!("{e}"));
    let shown = path.display().to_string();
    let out = cs_policy(&["check", &shown]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with(&format!(
            "{shown}:2:13: error[syntax]: the text is not UTF-8"
        )),
        "{stdout}"
    );
    assert!(!stdout.contains("policy file"), "{stdout}");
}

#[test]
fn problems_are_coloured_only_where_colour_is_wanted() {
    let file = "tests/fixtures/invalid/unknown_key.toml";
    let plain = cs_policy_with(&["check", file], &[]);
    assert!(!plain.stdout.contains(&0x1b), "no colour into a pipe");
    let forced = cs_policy_with(&["check", file], &[("CLICOLOR_FORCE", "1")]);
    let coloured = String::from_utf8_lossy(&forced.stdout);
    assert!(
        coloured.contains("\u{1b}[1m\u{1b}[31merror[unknown-key]\u{1b}[0m"),
        "{coloured:?}"
    );
    assert!(coloured.contains("\u{1b}[36mhelp\u{1b}[0m"), "{coloured:?}");
    let no_color = cs_policy_with(
        &["check", file],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
    );
    assert_eq!(no_color.stdout, plain.stdout);
}
