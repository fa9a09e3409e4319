//! Shipped files are TOML 1.0, so any TOML tool reads them; the reader also
//! takes what only TOML 1.1 allows.

use cs_policy::Policy;

/// Every `.toml` file under `policies/`: policies, scenarios, cases.
fn shipped() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "toml"))
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            (path.display().to_string(), text)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_shipped_file_is_toml_1_0() {
    let files = shipped();
    assert!(files.len() >= 13, "only {} files", files.len());
    for (path, text) in files {
        if let Err(error) = text.parse::<toml_1_0::Table>() {
            panic!("{path} is not TOML 1.0:\n{error}");
        }
    }
}

#[test]
fn the_toml_1_0_parser_rejects_a_time_without_seconds() {
    // What the check above relies on: times such as `08:30` are TOML 1.1.
    assert!("start = 08:30".parse::<toml_1_0::Table>().is_err());
    assert!("start = 08:30:00".parse::<toml_1_0::Table>().is_ok());
    // Inline tables over several lines, with a trailing comma, are TOML 1.1 too.
    assert!("a = { b = 1,\n}".parse::<toml_1_0::Table>().is_err());
}

#[test]
fn a_policy_written_in_toml_1_1_still_loads_the_same() {
    // S1: the shop's regular shift, 08:30 to 17:30, written without seconds
    // and with an inline table over two lines.
    let (_, shop) = cs_policy::EXAMPLES[0];
    assert!(shop.contains("start = 08:30:00"));
    let one_one = shop
        .replace("start = 08:30:00", "start = 08:30")
        .replace("end = 17:30:00", "end = 17:30")
        .replace("[policy]\n", "[policy]\nnote = { a = 1,\n}\n");
    assert!(one_one.parse::<toml_1_0::Table>().is_err());
    let problems = Policy::from_toml_str("shop-1.1.toml", &one_one).unwrap_err();
    // The only problem is the key the policy does not know, not the syntax.
    let codes: Vec<_> = problems
        .diagnostics()
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(codes, ["unknown-key"], "{problems}");
    let times_only = shop
        .replace("start = 08:30:00", "start = 08:30")
        .replace("end = 17:30:00", "end = 17:30");
    let policy = Policy::from_toml_str("shop-1.1.toml", &times_only).unwrap();
    let shipped = Policy::example("shop").unwrap();
    let hours = |p: &Policy| -> Vec<String> {
        let types = p.shifts().map(|s| s.types()).unwrap_or_default();
        types
            .iter()
            .map(|t| {
                let h = t.hours(chrono::Weekday::Mon);
                format!("{} {}-{}", t.id(), h.start(), h.end())
            })
            .collect()
    };
    assert_eq!(hours(&policy), hours(&shipped));
    assert!(
        hours(&policy).iter().any(|h| h.contains("08:30:00")),
        "{:?}",
        hours(&policy)
    );
}
