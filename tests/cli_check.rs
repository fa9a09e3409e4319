//! `cs-policy check`: exit codes, locations and JSON output.
#![cfg(feature = "cli")]

use std::process::{Command, Output};

fn cs_policy(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cs-policy"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run cs-policy: {e}"))
}

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
    assert_eq!(out.status.code(), Some(1));
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

/// Checks one file written in a temporary directory under `name`; what
/// `check --format short` printed, the file's path and the exit code.
fn check_one(name: &str, text: &str) -> (String, String, Option<i32>) {
    let scratch = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = scratch.path().join(name);
    std::fs::write(&file, text).unwrap_or_else(|e| panic!("{e}"));
    let path = file.to_string_lossy().into_owned();
    let out = cs_policy(&["check", "--format", "short", &path]);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    (stdout, path, out.status.code())
}

#[test]
fn check_reports_a_broken_scenario_with_its_location() {
    let (stdout, path, code) = check_one(
        "broken.scenario.toml",
        "year = 2026\nmonth = 3\nagnets = []\n",
    );
    assert_eq!(code, Some(1));
    assert!(
        stdout.starts_with(&format!("{path}:3:1: error[")),
        "{stdout}"
    );
}

#[test]
fn check_reports_a_broken_cases_file_at_the_offending_key() {
    let (stdout, path, code) = check_one(
        "shop.cases.toml",
        "[[case]]\nname = \"x\"\nrun = \"calendar_day\"\nfacts.date = 2026-01-01\nbogus = 3\n",
    );
    assert_eq!(code, Some(1));
    assert!(
        stdout.starts_with(&format!(
            "{path}:5:1: error[unknown-key]: unknown key `bogus` in `case[0]`"
        )),
        "{stdout}"
    );
}
