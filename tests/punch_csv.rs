//! Punch logs from CSV exports (issue 19): a DingTalk-style export read
//! through its mapping, every bad row located by line and column, all at
//! once, and a mapping naming a column the log lacks located in the mapping.
#![cfg(feature = "csv")]

mod common;

use common::located;

use cs_policy::facts::csv::{LogError, Mapping, PunchLog};
use cs_policy::punch::Direction;
use cs_policy::{Policy, ProblemCode, Scenario};

const MAPPING: &str = r#"header_line = 2
agent = "工号"
date = "考勤日期"
time = "打卡时间"
direction = "打卡类型"
device = "打卡设备"
directions = { in = ["上班"], out = ["下班"] }
"#;

fn mapping() -> Mapping {
    Mapping::from_toml_str("map.toml", MAPPING).unwrap()
}

fn shown(error: &LogError) -> Vec<String> {
    error
        .problems()
        .iter()
        .flat_map(|p| p.diagnostics().iter().map(ToString::to_string))
        .collect()
}

#[test]
fn the_shipped_dingtalk_export_reads_without_editing() {
    let text = include_str!("../policies/shop.punches.csv");
    let mapping = Mapping::from_toml_str(
        "shop.punches.columns.toml",
        include_str!("../policies/shop.punches.columns.toml"),
    )
    .unwrap();
    let log = PunchLog::read("shop.punches.csv", text, Some(&mapping)).unwrap();
    // Every line after the title and the header is one punch.
    assert_eq!(log.events().len(), text.lines().count() - 2);
    assert_eq!(log.line_of(0), Some(3));
    let night = log
        .events()
        .iter()
        .find(|e| e.agent == "S05" && e.time.to_string().starts_with("2026-04-01"))
        .unwrap();
    assert_eq!(night.direction, Some(Direction::Out));
    assert_eq!(night.device.as_deref(), Some("前台考勤机"));
    let month = Scenario::from_toml_str(
        "shop.scenario.toml",
        include_str!("../policies/shop.scenario.toml"),
    )
    .unwrap();
    let policy = Policy::example("shop").unwrap();
    log.check(Some(&month), Some(&policy)).unwrap();
}

#[test]
fn every_bad_row_is_located_by_line_and_column_at_once() {
    let text = "打卡记录 2026-03\n\
姓名,工号,考勤日期,打卡时间,打卡类型,打卡设备\n\
陈静,S01,2026-03-02,08:52:10,上班,前台\n\
陈静,S01,2026-03-32,18:02:00,下班,前台\n\
王磊,,2026-03-02,08:55:00,上班,前台\n\
王磊,S02,2026-03-02,18:01:00,下般,前台\n\
李娜,S03,2026-03-02,08:50:00\n\
\"李, 娜\",S03,2026/3/2,25:00,上班,前台\n";
    let error = PunchLog::read("log.csv", text, Some(&mapping())).unwrap_err();
    assert_eq!(
        shown(&error),
        [
            "log.csv:4:8: error[invalid-value]: `2026-03-32 18:02:00` in column `考勤日期` and `打卡时间` is not a date and time",
            "log.csv:5:4: error[missing-key]: the row has no agent in column `工号`",
            "log.csv:6:28: error[invalid-value]: `下般` in column `打卡类型` is neither in nor out",
            "log.csv:7:1: error[invalid-value]: the row has 4 field(s), the header 6",
            "log.csv:8:12: error[invalid-value]: `2026/3/2 25:00` in column `考勤日期` and `打卡时间` is not a date and time",
        ]
    );
    let problems = &error.problems()[0];
    assert_eq!(
        problems.diagnostics()[2].help.as_deref(),
        Some("did you mean `下班`?")
    );
    // The offending cell is shown and underlined.
    assert!(
        problems
            .render()
            .contains("6 | 王磊,S02,2026-03-02,18:01:00,下般,前台")
    );
}

#[test]
fn a_column_the_log_lacks_is_located_in_the_mapping() {
    let text = "title\n姓名,工号,日期,打卡时间,打卡类型,打卡设备\n";
    let error = PunchLog::read("log.csv", text, Some(&mapping())).unwrap_err();
    assert_eq!(
        shown(&error),
        [
            "map.toml:3:8: error[undefined-reference]: the log has no column `考勤日期` (the mapping's `date`)"
        ]
    );
    assert_eq!(
        error.problems()[0].diagnostics()[0].help.as_deref(),
        Some("the header's columns: `姓名`, `工号`, `日期`, `打卡时间`, `打卡类型`, `打卡设备`")
    );
    // An unknown key of the mapping itself is refused too.
    let typo = Mapping::from_toml_str("m.toml", "agent = \"a\"\ntime = \"t\"\ndirecton = \"d\"\n")
        .unwrap_err();
    let problem = &typo.diagnostics()[0];
    assert_eq!((problem.code, problem.line), (ProblemCode::UnknownKey, 3));
    assert_eq!(problem.help.as_deref(), Some("did you mean `direction`?"));
}

#[test]
fn without_a_mapping_the_log_is_in_the_crates_own_columns() {
    let log = PunchLog::read(
        "own.csv",
        "\u{feff}agent,time\nS01,2026-03-02T01:05:00Z\nS01,2026-03-02 18:00\n",
        None,
    )
    .unwrap();
    assert_eq!(
        log.events()[0].time.to_string(),
        "2026-03-02T01:05:00+00:00"
    );
    assert_eq!(log.events()[0].direction, None);
    let error = PunchLog::read("own.csv", "who,when\nS01,2026-03-02 08:00\n", None).unwrap_err();
    assert_eq!(
        shown(&error),
        [
            "own.csv:1:1: error[undefined-reference]: the log has no column `agent` (the mapping's `agent`)",
            "own.csv:1:1: error[undefined-reference]: the log has no column `time` (the mapping's `time`)",
        ]
    );
}

#[test]
fn a_quoted_cell_may_hold_the_separator_and_a_custom_format_reads_other_exports() {
    let mapping = Mapping::from_toml_str(
        "m.toml",
        "agent = \"Employee\"\ntime = \"Punch\"\nformat = \"%d.%m.%Y %H:%M\"\ndelimiter = \";\"\n",
    )
    .unwrap();
    let log = PunchLog::read(
        "m.csv",
        "Employee;Punch;Note\nS01;02.03.2026 08:57;\"late; bus\"\nS01;xx;\n",
        Some(&mapping),
    )
    .unwrap_err();
    assert_eq!(
        shown(&log),
        ["m.csv:3:5: error[invalid-value]: `xx` in column `Punch` is not a date and time"]
    );
}

/// Every problem of a mapping file at once, each at its line, column and
/// key: a column named by a number, a line number written as a float (no
/// float is read anywhere), a separator of two characters, an unknown word
/// list key and an unknown key.
#[test]
fn every_mapping_problem_is_located_by_line_column_and_key() {
    let text = "agent = 3\n\
time = \"打卡时间\"\n\
header_line = 2.5\n\
delimiter = \";;\"\n\
directions = { in = [\"上班\"], outt = [\"下班\"] }\n\
devcie = \"打卡设备\"\n";
    let problems = Mapping::from_toml_str("map.toml", text).unwrap_err();
    let shown: Vec<String> = problems
        .diagnostics()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        shown,
        [
            "map.toml:1:9: error[wrong-type]: invalid type: integer `3`, expected a string in `agent`",
            "map.toml:3:15: error[wrong-type]: `header_line` is a line number, a whole number; found `2.5`",
            "map.toml:4:13: error[invalid-value]: `;;` is not a field separator",
            "map.toml:5:29: error[unknown-key]: unknown key `outt` in `directions`",
            "map.toml:6:1: error[unknown-key]: unknown key `devcie` at the top level",
        ],
    );
    assert_eq!(
        located(&problems),
        [
            (1, 9, "agent", ProblemCode::WrongType),
            (3, 15, "header_line", ProblemCode::WrongType),
            (4, 13, "delimiter", ProblemCode::InvalidValue),
            (5, 29, "directions.outt", ProblemCode::UnknownKey),
            (6, 1, "devcie", ProblemCode::UnknownKey),
        ]
    );
    assert_eq!(
        problems.diagnostics()[4].help.as_deref(),
        Some("did you mean `device`?")
    );
    // A mapping without the agent's column says where to add it.
    let problems =
        Mapping::from_toml_str("map.toml", "time = \"t\"\nheader_line = 0\n").unwrap_err();
    assert_eq!(
        located(&problems),
        [
            (1, 1, "agent", ProblemCode::MissingKey),
            (2, 15, "header_line", ProblemCode::OutOfRange),
        ]
    );
}

/// Each bad row's problem names the column (the field) it is in, beside
/// its line and column; a short row names the first column it lacks.
#[test]
fn each_bad_row_names_its_field() {
    let text = "打卡记录 2026-03\n\
姓名,工号,考勤日期,打卡时间,打卡类型,打卡设备\n\
王磊,,2026-03-02,08:55:00,上班,前台\n\
王磊,S02,2026-03-02,18:01,下般,前台\n\
李娜,S03,2026-03-02,08:50:00\n\
李娜,S03,2026-03-02,8.5,上班,前台\n";
    let error = PunchLog::read("log.csv", text, Some(&mapping())).unwrap_err();
    assert_eq!(
        located(&error.problems()[0]),
        [
            (3, 4, "工号", ProblemCode::MissingKey),
            (4, 25, "打卡类型", ProblemCode::InvalidValue),
            (5, 1, "打卡类型", ProblemCode::InvalidValue),
            (6, 8, "打卡时间", ProblemCode::InvalidValue),
        ]
    );
}

proptest::proptest! {
    /// Whatever the log's or the mapping's text, reading it gives events
    /// or located problems, never a panic; every problem is on a line of
    /// its file.
    #[test]
    fn any_text_is_read_or_located_never_a_panic(
        log in "[a-zA-Z0-9,;\"\r\n :/TZ+.\\-\u{feff}上班下]{0,160}",
        map in "[a-z_=\"\\[\\]{},.0-9\n ;]{0,80}",
    ) {
        let lines = |text: &str| text.split('\n').count();
        for mapping in [None, Some(mapping())] {
            if let Err(error) = PunchLog::read("l.csv", &log, mapping.as_ref()) {
                for p in error.problems() {
                    for d in p.diagnostics() {
                        let total = if d.file.as_ref() == "l.csv" { lines(&log) } else { lines(MAPPING) };
                        proptest::prop_assert!((1..=total).contains(&d.line), "{d}");
                        proptest::prop_assert!(d.column >= 1, "{d}");
                    }
                }
            }
        }
        if let Err(problems) = Mapping::from_toml_str("m.toml", &map) {
            for d in problems.diagnostics() {
                proptest::prop_assert!((1..=lines(&map)).contains(&d.line), "{d}");
            }
        }
    }
}
