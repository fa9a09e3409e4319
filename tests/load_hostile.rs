//! Hostile and careless files (issue 13): every problem located where it is,
//! shown as written, and nothing a file does makes loading blow up.

use std::io::Write as _;

use cs_policy::{DEFAULT_SIZE_LIMIT, LoadError, Policy, ProblemCode, read_file};

fn shop() -> &'static str {
    cs_policy::EXAMPLES[0].1
}

/// The shop policy with its first `from` replaced by `to`.
fn edited(from: &str, to: &str) -> String {
    assert!(shop().contains(from), "{from}");
    shop().replacen(from, to, 1)
}

fn problems(text: &str) -> cs_policy::Problems {
    Policy::from_toml_str("hostile.toml", text).unwrap_err()
}

#[test]
fn a_hexadecimal_amount_is_shown_as_written() {
    // F1: the shop's first complaint fine, 50, written as 0x32.
    let found = problems(&edited("{ amount = 50,", "{ amount = 0x32,"));
    let d = &found.diagnostics()[0];
    assert_eq!(d.code, ProblemCode::WrongType);
    assert!(
        d.message.ends_with("found the integer `0x32`"),
        "{}",
        d.message
    );
}

#[test]
fn a_policy_effective_in_year_0_is_refused() {
    let found = problems(&edited("effective = 2026-01-01", "effective = 0000-01-01"));
    let d = &found.diagnostics()[0];
    assert_eq!(
        (d.code, d.field.as_str()),
        (ProblemCode::OutOfRange, "policy.effective")
    );
    assert!(d.message.contains("before 1900-01-01"), "{}", d.message);
    assert!(
        Policy::from_toml_str(
            "x",
            &edited("effective = 2026-01-01", "effective = 1900-01-01")
        )
        .is_ok()
    );
}

#[test]
fn a_byte_order_mark_takes_no_column() {
    let text = format!("\u{feff}bogus = 1\n{}", shop());
    let found = problems(&text);
    let d = &found.diagnostics()[0];
    assert_eq!((d.line, d.column, d.code), (1, 1, ProblemCode::UnknownKey));
    assert!(
        found.render().contains("1 | bogus = 1\n  | ^^^^^\n"),
        "{found}"
    );
}

#[test]
fn invalid_utf8_is_located_at_its_first_bad_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("march.scenario.toml");
    let mut file = std::fs::File::create(&path).unwrap();
    file.write_all(b"year = 2026\nmonth = \"\xe4\xb8\x89\xff\"\n")
        .unwrap();
    let error = read_file(&path, DEFAULT_SIZE_LIMIT).unwrap_err();
    let found = error.problems().expect("a located problem");
    let d = &found.diagnostics()[0];
    // `month = "三` is nine characters: the bad byte is the tenth.
    assert_eq!((d.line, d.column, d.code), (2, 11, ProblemCode::Syntax));
    assert!(d.message.contains("`0xFF`"), "{}", d.message);
    assert!(!error.to_string().contains("policy file"), "{error}");
}

#[test]
fn an_unreadable_file_is_not_called_a_policy_file() {
    let error = read_file("no/such.scenario.toml", DEFAULT_SIZE_LIMIT).unwrap_err();
    assert!(matches!(error, LoadError::Read { .. }));
    assert_eq!(
        error.to_string().split(':').next(),
        Some("cannot read `no/such.scenario.toml`")
    );
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.toml");
    std::fs::write(&path, shop()).unwrap();
    let error = Policy::from_path_with_limit(&path, 1000).unwrap_err();
    assert!(
        matches!(error, LoadError::TooLarge { limit: 1000, .. }),
        "{error}"
    );
    assert!(
        error.to_string().contains("size limit of 1000 bytes"),
        "{error}"
    );
    assert!(Policy::from_path_with_limit(&path, shop().len() as u64).is_ok());
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_device_is_refused_without_reading_it() {
    // Reading either would never end: a FIFO with no writer blocks, and
    // /dev/zero grows without bound.
    let error = Policy::from_path("/dev/zero").unwrap_err();
    assert!(matches!(error, LoadError::NotAFile { .. }), "{error}");
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("policy.toml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let error = Policy::from_path(&fifo).unwrap_err();
        assert!(matches!(error, LoadError::NotAFile { .. }), "{error}");
    }
    assert!(matches!(
        Policy::from_path(dir.path()),
        Err(LoadError::NotAFile { .. })
    ));
}

#[test]
fn a_megabyte_line_with_many_problems_is_shown_clipped() {
    // 82 misspelt weekdays on one line of about a megabyte.
    let padding = " ".repeat(12_000);
    let days: Vec<String> = (0..82).map(|i| format!("\"day{i}\",{padding}")).collect();
    let line = format!("weekend = [{}]", days.join(""));
    assert!(line.len() > 980_000);
    let found = problems(&edited("weekend = [\"saturday\", \"sunday\"]", &line));
    assert_eq!(found.len(), 82);
    let shown = found.render();
    // Each problem shows about 120 characters of its line, not all of it.
    assert!(shown.len() < 82 * 600, "{} bytes", shown.len());
    let d = &found.diagnostics()[81];
    assert!(
        shown.contains(&format!("…{}\"day81\",", " ".repeat(50))),
        "{}",
        &shown[shown.len() - 900..]
    );
    assert!(d.column > 900_000);
}

#[test]
fn a_syntax_error_leaves_the_other_problems_reported() {
    // F1 (shop): a key written twice, and a ladder step with no amount; the
    // duplicate names the key and the line it was first written on.
    let text = edited("id = \"shop\"", "id = \"shop\"\nid = \"shop2\"").replacen(
        "{ amount = 100, label = \"第二次\" }",
        "{ label = \"第二次\" }",
        1,
    );
    let found = problems(&text);
    let codes: Vec<(ProblemCode, usize)> = found
        .diagnostics()
        .iter()
        .map(|d| (d.code, d.line))
        .collect();
    assert_eq!(codes.len(), 2, "{found}");
    let duplicate = &found.diagnostics()[0];
    assert_eq!(duplicate.code, ProblemCode::Syntax);
    let first = text
        .lines()
        .position(|l| l == "id = \"shop\"")
        .map(|i| i + 1);
    assert_eq!(Some(duplicate.line - 1), first);
    assert_eq!(
        duplicate.message,
        format!(
            "duplicate key `id`, first defined on line {}",
            duplicate.line - 1
        )
    );
    assert_eq!(found.diagnostics()[1].code, ProblemCode::MissingKey);
}

#[test]
fn a_table_opened_twice_names_the_first_header() {
    let text = format!("{}\n[calendar]\nlabel = \"again\"\n", shop());
    let found = problems(&text);
    let d = &found.diagnostics()[0];
    let first = shop()
        .lines()
        .position(|l| l == "[calendar]")
        .map(|i| i + 1)
        .unwrap();
    assert_eq!(
        d.message,
        format!("duplicate key `calendar`, first defined on line {first}")
    );
}

#[test]
fn what_a_broken_line_hides_is_not_reported_as_missing() {
    // A key with no value ends what the parser reads: the keys after it are
    // not reported missing, only the line that is broken.
    let text = edited("name = ", "name ");
    let found = problems(&text);
    assert!(
        found
            .diagnostics()
            .iter()
            .all(|d| d.code == ProblemCode::Syntax),
        "{found}"
    );
}

#[test]
fn twenty_thousand_unknown_keys_are_each_reported_once() {
    // The timing is pinned by the `hostile` group of `cargo bench --bench load`.
    let keys: String = (0..20_000).map(|i| format!("k{i:05}=1\n")).collect();
    let text = edited("[policy]\n", &format!("[policy]\n{keys}"));
    let found = problems(&text);
    assert_eq!(found.len(), 20_000);
    let last = &found.diagnostics()[19_999];
    assert_eq!((last.line, last.field.as_str()), (20_007, "policy.k19999"));
}
