//! Working-day calendars: the yearly holiday files, the years they cover,
//! calendars built in code, and leave counted on an agent's roster (issue 17).

mod common;

use common::{codes_and_fields, example_text, fields};

use chrono::NaiveDate;
use cs_policy::attendance::{AgentMonth, AttendanceError, WorkDay};
use cs_policy::calendar::HolidayCalendar;
use cs_policy::leave::{Agent, Approver, Document, LeaveError, LeaveRequest, Sex};
use cs_policy::{CalendarError, DayKind, Policy, ProblemCode};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// The education policy naming both shipped calendars.
fn education_2025_2026() -> Policy {
    let text = example_text("education").replace(
        r#"calendars = ["cn-2026"]"#,
        r#"calendars = ["cn-2025", "cn-2026"]"#,
    );
    Policy::from_toml_str("education.toml", &text).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn spring_festival_2025_and_its_makeup_days() {
    let policy = education_2025_2026();
    let cal = policy.calendar();
    assert_eq!(cal.years(), Some((2025, 2026)));
    for day in date(2025, 1, 28).iter_days().take(8) {
        let found = cal.day(day).unwrap();
        assert_eq!(found.kind, DayKind::Holiday, "{day}");
        assert_eq!(found.clause.id(), "calendars.cn-2025.holidays[1]");
    }
    assert_eq!(cal.day(date(2025, 2, 5)).unwrap().kind, DayKind::Working);
    for (made_up, i) in [(date(2025, 1, 26), 0), (date(2025, 2, 8), 1)] {
        let found = cal.day(made_up).unwrap();
        assert_eq!(found.kind, DayKind::MakeupWorking, "{made_up}");
        assert_eq!(
            policy.cite(found.clause).unwrap().to_string(),
            format!(
                "calendars.cn-2025.makeup_working_days[{i}] [国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号)]"
            )
        );
    }
    // National Day and Mid-Autumn 2025: one block of 8 days; Sat 11 Oct worked.
    assert_eq!(
        cal.holiday(date(2025, 10, 8)).unwrap().map(|h| h.name()),
        Some("国庆节、中秋节")
    );
    assert_eq!(
        cal.day(date(2025, 10, 11)).unwrap().kind,
        DayKind::MakeupWorking
    );
    // Working days run across the year end, through the 2026 New Year block.
    assert_eq!(
        cal.add_working_days(date(2025, 12, 31), 1),
        Ok(date(2026, 1, 4))
    );
}

#[test]
fn spring_festival_2026_and_its_makeup_saturdays() {
    let policy = Policy::example("shop").unwrap();
    let cal = policy.calendar();
    for day in date(2026, 2, 15).iter_days().take(9) {
        assert_eq!(cal.day(day).unwrap().kind, DayKind::Holiday, "{day}");
    }
    for made_up in [date(2026, 2, 14), date(2026, 2, 28)] {
        assert_eq!(cal.day(made_up).unwrap().kind, DayKind::MakeupWorking);
    }
    let day = cal.day(date(2026, 2, 16)).unwrap();
    assert_eq!(
        policy.cite(day.clause).unwrap().to_string(),
        "calendars.cn-2026.holidays[1] «春节» [国办发明电〔2025〕7号 二]"
    );
    // October 2026: 22 weekdays, 5 of them in the holiday block, plus Saturday 10 October.
    assert_eq!(
        cal.working_days(date(2026, 10, 1), date(2026, 10, 31)),
        Ok(18)
    );
}

#[test]
fn a_friday_off_work_week_keeps_the_holidays_and_ignores_makeup_weekend_days() {
    // S8: the call centre works Saturday to Thursday.
    let policy = Policy::example("call-centre").unwrap();
    let cal = policy.calendar();
    assert_eq!(cal.day(date(2026, 11, 20)).unwrap().kind, DayKind::Weekend); // a Friday
    assert_eq!(cal.day(date(2026, 11, 21)).unwrap().kind, DayKind::Working); // a Saturday
    assert_eq!(cal.day(date(2026, 2, 14)).unwrap().kind, DayKind::Working); // worked anyway
    assert_eq!(cal.day(date(2026, 2, 16)).unwrap().kind, DayKind::Holiday);
}

#[test]
fn the_2027_spring_festival_is_an_error_in_the_calendar() {
    let policy = Policy::example("shop").unwrap();
    let err = policy.calendar().day(date(2027, 2, 8)).unwrap_err();
    assert_eq!(
        err,
        CalendarError::NotCovered {
            date: date(2027, 2, 8),
            first_year: 2026,
            last_year: 2026
        }
    );
    assert_eq!(
        err.to_string(),
        "date `2027-02-08` is outside the holiday calendars, which cover 2026; name a calendar for 2027 in `[calendar] calendars`"
    );
    assert!(
        policy
            .calendar()
            .is_working_day(date(2025, 12, 31))
            .is_err()
    );
    // Counting runs into the error too: never a silent ordinary day.
    assert!(
        policy
            .calendar()
            .add_working_days(date(2026, 12, 30), 5)
            .is_err()
    );
    // Two years: the message names both.
    let two = education_2025_2026()
        .calendar()
        .day(date(2027, 2, 8))
        .unwrap_err();
    assert!(two.to_string().contains("which cover 2025–2026"));
}

#[test]
fn the_2027_spring_festival_is_an_error_in_a_leave_decision() {
    let policy = Policy::example("education").unwrap();
    let agent = Agent::new("li", date(1995, 5, 10), Sex::Woman);
    let request = LeaveRequest::new(
        "personal",
        date(2027, 2, 8),
        date(2027, 2, 9),
        date(2027, 2, 1),
    )
    .with_documents([Document::LeaveForm])
    .with_approvals([Approver::AboveDepartmentHead]);
    let err = policy.check_leave_request(&agent, &request).unwrap_err();
    assert!(matches!(
        err,
        LeaveError::Calendar { index: 0, error: CalendarError::NotCovered { date: d, .. } } if d == date(2027, 2, 8)
    ));
    assert!(
        err.to_string()
            .starts_with("request 0: date `2027-02-08` is outside the holiday calendars")
    );
}

#[test]
fn the_2027_spring_festival_is_an_error_in_an_attendance_month() {
    let policy = Policy::example("education").unwrap();
    let regular = policy.shift_ref("regular").unwrap();
    let month = AgentMonth {
        agent: "li".into(),
        year: 2027,
        month: 2,
        days: vec![WorkDay {
            date: date(2027, 2, 8),
            shift: regular,
            clock_in: date(2027, 2, 8).and_hms_opt(9, 0, 0),
            clock_out: date(2027, 2, 8).and_hms_opt(20, 0, 0),
            overtime_approved: false,
        }],
        leave: vec![],
        pay: None,
    };
    let err = policy.attendance_report(&month).unwrap_err();
    assert_eq!(
        err,
        AttendanceError::Calendar(CalendarError::NotCovered {
            date: date(2027, 2, 1),
            first_year: 2026,
            last_year: 2026
        })
    );
}

#[test]
fn a_custom_calendar_built_in_code_evaluates_a_2027_month() {
    // Not the official 2027 list: a company's own calendar for the test.
    let acme = HolidayCalendar::builder("acme-2027", 2027)
        .label("test calendar")
        .source("the company's own list")
        .holiday("元旦", date(2027, 1, 1), date(2027, 1, 1))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let text = example_text("education").replace(
        r#"calendars = ["cn-2026"]"#,
        r#"calendars = ["cn-2026", "acme-2027"]"#,
    );
    let policy = Policy::from_toml_str_with("education.toml", &text, &[acme])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(policy.calendar().years(), Some((2026, 2027)));
    let regular = policy.shift_ref("regular").unwrap();
    let day = |d: u32, late: u32| WorkDay {
        date: date(2027, 1, d),
        shift: regular,
        clock_in: date(2027, 1, d).and_hms_opt(9, late, 0),
        clock_out: date(2027, 1, d).and_hms_opt(20, 0, 0),
        overtime_approved: false,
    };
    let month = AgentMonth {
        agent: "li".into(),
        year: 2027,
        month: 1,
        days: vec![day(4, 10), day(5, 0)],
        leave: vec![],
        pay: None,
    };
    let report = policy.attendance_report(&month).unwrap();
    assert_eq!(report.days.len(), 31);
    assert_eq!(
        report.days[0].status,
        cs_policy::attendance::DayStatus::Holiday
    );
    assert_eq!(
        (report.days[0].clause).id(),
        "calendars.acme-2027.holidays[0]"
    );
    assert_eq!(report.summary.counts.late, 1);
    assert_eq!(report.summary.total_deducted.to_string(), "20"); // A4
}

#[test]
fn a_personal_leave_saturday_counts_one_day_for_an_agent_rostered_on_saturdays() {
    let policy = Policy::example("education").unwrap();
    let saturday = date(2026, 3, 7);
    let request = LeaveRequest::new("personal", saturday, saturday, saturday)
        .with_documents([Document::LeaveForm])
        .with_approvals([Approver::DepartmentHead])
        .reported_back();
    let rostered = Agent::new("li", date(1995, 5, 10), Sex::Woman).rostered_on([
        date(2026, 3, 2),
        saturday,
        date(2026, 3, 14),
    ]);
    let decision = policy.check_leave_request(&rostered, &request).unwrap();
    assert_eq!(decision.counted_days, 1);
    assert_eq!(
        decision.days[0].status,
        cs_policy::leave::DayStatus::Leave { paid: false }
    );
    assert_eq!(
        decision.counted_on_roster.map(|c| c.id()),
        Some("leave.types.personal.on_roster")
    );
    // Without a roster the calendar's working days count: Saturday is none.
    let no_roster = Agent::new("li", date(1995, 5, 10), Sex::Woman);
    let decision = policy.check_leave_request(&no_roster, &request).unwrap();
    assert_eq!(decision.counted_days, 0);
    assert_eq!(decision.counted_on_roster, None);
    // And a weekday the agent is not rostered on does not count.
    let monday = date(2026, 3, 9);
    let request = LeaveRequest::new("personal", monday, monday, monday)
        .with_documents([Document::LeaveForm])
        .with_approvals([Approver::DepartmentHead])
        .reported_back();
    assert_eq!(
        policy
            .check_leave_request(&rostered, &request)
            .unwrap()
            .counted_days,
        0
    );
}

#[test]
fn a_type_in_working_days_must_say_how_a_roster_counts() {
    let text = example_text("education").replacen("on_roster = \"rostered_days\"\n", "", 1);
    let err = Policy::from_toml_str("education.toml", &text).unwrap_err();
    let found = codes_and_fields(&err);
    assert_eq!(
        found,
        [(
            ProblemCode::UnstatedChoice,
            "leave.types.personal.on_roster"
        )]
    );
}

#[test]
fn the_shipped_policies_carry_no_holiday_list_of_their_own() {
    for (name, text) in cs_policy::EXAMPLES {
        assert!(!text.contains("holidays = ["), "{name}");
        assert!(!text.contains("makeup_working_days"), "{name}");
        assert!(text.contains(r#"calendars = ["cn-2026"]"#), "{name}");
        let policy = Policy::example(name).unwrap();
        assert_eq!(policy.calendar().years(), Some((2026, 2026)), "{name}");
        assert_eq!(policy.calendar().holidays().len(), 7, "{name}");
    }
}

#[test]
fn a_calendar_file_reports_every_problem_with_its_place() {
    let text = r#"id = "cn-2027"
year = 2027
weekend = ["saturday", "sunday"]
holidays = [
  { from = 2027-02-06, to = 2027-02-12, name = "春节" },
  { date = 2027-02-12, name = "春节" },
  { date = 2026-12-31, name = "元旦" },
]
makeup_working_days = [2027-02-17, 2027-02-20, 2027-02-20]
"#;
    let problems = HolidayCalendar::from_toml_str("calendars/cn-2027.toml", text).unwrap_err();
    let lines: Vec<String> = problems
        .diagnostics()
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert_eq!(
        lines,
        [
            "calendars/cn-2027.toml:6:3: error[overlap]: holiday `春节` overlaps `春节` from 2027-02-12 to 2027-02-12",
            "calendars/cn-2027.toml:7:12: error[out-of-range]: holiday 2026-12-31 is outside the calendar's year 2027",
            "calendars/cn-2027.toml:9:24: error[invalid-value]: make-up working day 2027-02-17 is a Wednesday, which is worked anyway",
            "calendars/cn-2027.toml:9:48: error[duplicate]: make-up working day 2027-02-20 is listed twice",
        ]
    );
    let fields = fields(&problems);
    assert_eq!(
        fields,
        [
            "holidays[1]",
            "holidays[2].date",
            "makeup_working_days[0]",
            "makeup_working_days[2]"
        ]
    );
    // The builder checks the same way.
    let built = HolidayCalendar::builder("cn-2027", 2027)
        .holiday("春节", date(2027, 2, 6), date(2027, 2, 12))
        .holiday("春节", date(2027, 2, 12), date(2027, 2, 12))
        .holiday("元旦", date(2026, 12, 31), date(2026, 12, 31))
        .makeup_working_day(date(2027, 2, 17))
        .makeup_working_day(date(2027, 2, 20))
        .makeup_working_day(date(2027, 2, 20))
        .build()
        .unwrap_err();
    let codes: Vec<ProblemCode> = built.diagnostics().iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        [
            ProblemCode::Overlap,
            ProblemCode::OutOfRange,
            ProblemCode::OutOfRange,
            ProblemCode::InvalidValue,
            ProblemCode::Duplicate
        ]
    );
    assert!(built.render().contains("cn-2027 (built in code):"));
}

#[test]
fn the_shipped_calendar_files_load_and_cite_their_notices() {
    for (id, notice) in [
        ("cn-2025", "国办发明电〔2024〕12号"),
        ("cn-2026", "国办发明电〔2025〕7号"),
    ] {
        let cal = HolidayCalendar::shipped(id).unwrap();
        assert!(cal.source().unwrap().contains(notice), "{id}");
        let path = format!("{}/calendars/{id}.toml", env!("CARGO_MANIFEST_DIR"));
        assert_eq!(&HolidayCalendar::from_path(path).unwrap(), cal);
    }
}

#[test]
fn a_policy_names_only_calendars_it_can_find_for_years_in_a_row() {
    let with = |names: &str| example_text("shop").replace(r#"calendars = ["cn-2026"]"#, names);
    let problems = |names: &str| {
        let err = Policy::from_toml_str("shop.toml", &with(names)).unwrap_err();
        err.diagnostics()
            .iter()
            .map(|d| {
                (
                    d.code,
                    d.message.clone(),
                    d.help.clone().unwrap_or_default(),
                )
            })
            .collect::<Vec<_>>()
    };
    let unknown = problems(r#"calendars = ["cn-2026", "cn-2027"]"#);
    assert_eq!(unknown.len(), 1);
    assert_eq!(unknown[0].0, ProblemCode::UndefinedReference);
    assert_eq!(unknown[0].1, "no holiday calendar is named `cn-2027`");
    assert!(unknown[0].2.contains("cn-2025, cn-2026"));
    assert!(unknown[0].2.contains("calendars/cn-2027.toml"));
    let twice = problems(r#"calendars = ["cn-2026", "cn-2026"]"#);
    assert_eq!(twice[0].0, ProblemCode::Duplicate);
    // A company day must lie in the years covered.
    let own = problems(
        "calendars = [\"cn-2026\"]\nholidays = [{ date = 2027-03-01, name = \"公司年会\" }]",
    );
    assert_eq!(own[0].0, ProblemCode::OutOfRange);
    assert!(
        own[0]
            .1
            .contains("outside the years the holiday calendars cover, 2026")
    );
    // A company day on an official holiday is reported.
    let clash = problems(
        "calendars = [\"cn-2026\"]\nholidays = [{ date = 2026-10-01, name = \"公司年会\" }]",
    );
    assert_eq!(clash[0].0, ProblemCode::Overlap);
}

#[test]
fn a_policy_file_finds_calendars_next_to_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("policies")).unwrap();
    std::fs::create_dir(dir.path().join("calendars")).unwrap();
    let policy_path = dir.path().join("policies/shop.toml");
    std::fs::write(
        &policy_path,
        example_text("shop").replace(
            r#"calendars = ["cn-2026"]"#,
            r#"calendars = ["cn-2026", "acme-2027"]"#,
        ),
    )
    .unwrap();
    let acme = dir.path().join("calendars/acme-2027.toml");
    std::fs::write(
        &acme,
        "id = \"acme-2027\"\nyear = 2027\nweekend = [\"saturday\", \"sunday\"]\nholidays = [{ date = 2027-01-01, name = \"元旦\" }]\n",
    )
    .unwrap();
    let policy = Policy::from_path(&policy_path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(policy.calendar().years(), Some((2026, 2027)));
    assert_eq!(
        policy.calendar().day(date(2027, 1, 1)).unwrap().kind,
        DayKind::Holiday
    );
    // A broken calendar file is reported with its own problems.
    std::fs::write(
        &acme,
        "id = \"acme-2027\"\nyear = 2027\nweekend = [\"saturday\", \"sunday\"]\nmakeup_working_days = [2027-01-05]\n",
    )
    .unwrap();
    let err = Policy::from_path(&policy_path).unwrap_err();
    let problems = err.problems().unwrap();
    assert_eq!(problems.diagnostics()[0].line, 4);
    assert!(problems.diagnostics()[0].file.ends_with("acme-2027.toml"));
}

mod properties {
    use chrono::{Datelike, Days, NaiveDate};
    use cs_policy::Policy;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// A date inside the covered years is classified; outside them it is
        /// an error naming that date, never an ordinary day; and counting
        /// working days forward lands on a working day after the start.
        #[test]
        fn covered_dates_answer_and_others_are_errors(n in 0u64..(365 * 4), k in 1u32..15) {
            let policy = Policy::example("education").unwrap();
            let cal = policy.calendar();
            let date = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + Days::new(n);
            match cal.day(date) {
                Ok(day) => {
                    prop_assert_eq!(date.year(), 2026);
                    prop_assert_eq!(cal.is_working_day(date), Ok(day.kind.is_working()));
                }
                Err(cs_policy::CalendarError::NotCovered { date: d, first_year, last_year }) => {
                    prop_assert_ne!(date.year(), 2026);
                    prop_assert_eq!((d, first_year, last_year), (date, 2026, 2026));
                }
                Err(other) => prop_assert!(false, "{other}"),
            }
            if let Ok(later) = cal.add_working_days(date, k) {
                prop_assert!(later > date);
                prop_assert_eq!(cal.is_working_day(later), Ok(true));
                prop_assert_eq!(cal.working_days(date.succ_opt().unwrap(), later), Ok(k));
            }
        }
    }
}
