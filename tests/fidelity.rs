//! Issue 14: the readings the handbooks leave open, each pinned where the
//! shipped policy states it, with the rule id from RULES.md.

mod common;

use chrono::NaiveDate;
use common::example_text as text_of;
use cs_policy::Policy;
use cs_policy::attendance::{AgentMonth, DeductionKind, MonthPay, WorkDay};
use cs_policy::followup::{Call, DayLog, Member, Promise};
use cs_policy::kpi::{AttendanceCounts, CardFacts, ItemFact, ItemValue};
use rust_decimal::Decimal;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Three absences in a row, Monday 2 to Wednesday 4 March 2026, on a base
/// wage of 3,000.
fn three_absences(policy: &Policy) -> AgentMonth {
    let regular = policy.shift_ref("regular").unwrap();
    let absent = |day| WorkDay {
        date: d(2026, 3, day),
        shift: regular,
        clock_in: None,
        clock_out: None,
        overtime_approved: false,
    };
    AgentMonth {
        agent: "li".into(),
        year: 2026,
        month: 3,
        days: vec![absent(2), absent(3), absent(4)],
        leave: vec![],
        pay: Some(MonthPay {
            base_wage: 3000.into(),
            gross: 4200.into(),
        }),
    }
}

#[test]
fn a5_the_share_of_pay_adds_to_or_replaces_the_absences_as_stated() {
    // The education policy states "adds": 1,500 + 3 × 50.
    let adds = Policy::example("education").unwrap();
    let summary = adds
        .attendance_report(&three_absences(&adds))
        .unwrap()
        .summary;
    assert_eq!(summary.total_deducted, Decimal::from(1650));
    let stated = "pay_base = \"base_wage\"\n# Whether the 50% replaces";
    assert!(text_of("education").contains(stated));
    assert!(text_of("education").contains("converted = \"adds\""));

    // Stated the other way: the 50% alone.
    let text = text_of("education").replace("converted = \"adds\"", "converted = \"replaces\"");
    let replaces = Policy::from_toml_str("education-replaces.toml", &text).unwrap();
    let summary = replaces
        .attendance_report(&three_absences(&replaces))
        .unwrap()
        .summary;
    assert_eq!(summary.total_deducted, Decimal::from(1500));
    assert!(
        !summary
            .deductions
            .iter()
            .any(|l| l.kind == DeductionKind::Absence)
    );

    // Left unstated: the policy does not load.
    let text = text_of("education").replace("converted = \"adds\"\n", "");
    let err = Policy::from_toml_str("education.toml", &text).unwrap_err();
    let fields: Vec<_> = err.diagnostics().iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["attendance.absence_streak.converted"]);
    assert_eq!(err.diagnostics()[0].code.as_str(), "unstated-choice");
}

#[test]
fn c2_the_fourth_call_runs_from_three_to_two_weeks_before_the_meeting() {
    let policy = Policy::example("education").unwrap();
    let member = Member {
        id: "M1".into(),
        deal: d(2026, 3, 2),
        parents_meeting: Some(d(2026, 6, 20)),
        ..Default::default()
    };
    let fourth = |date| {
        policy
            .calls_due(std::slice::from_ref(&member), date)
            .unwrap()
            .into_iter()
            .find(|c| c.clause.id() == "followup.calls.fourth")
    };
    // The file's own reading: open 30 May, closed after 6 June.
    let due = fourth(d(2026, 5, 30)).unwrap();
    assert_eq!(
        due.window.opens,
        d(2026, 5, 30).and_hms_opt(0, 0, 0).unwrap()
    );
    assert_eq!(due.window.closes.date(), d(2026, 6, 6));
    assert!(fourth(d(2026, 5, 29)).is_none());
    assert!(fourth(d(2026, 6, 10)).is_none());
    assert!(
        text_of("education")
            .contains("the other\n# reading, \"within the two or three weeks before it\"")
    );
}

#[test]
fn k7_a_score_of_70_passes_as_the_file_states() {
    let policy = Policy::example("call-centre").unwrap();
    let rating = |item: &str| ItemFact {
        item: item.into(),
        value: ItemValue::Rating(70.into()),
    };
    let facts = CardFacts {
        items: ["knowledge", "attitude", "teamwork", "professionalism"]
            .into_iter()
            .map(rating)
            .collect(),
        adjustments: vec![],
    };
    let score = policy
        .score_card("property_template", &facts, &AttendanceCounts::default())
        .unwrap();
    assert_eq!(score.score, Decimal::from(70));
    let grade = score.grade.unwrap();
    assert!(grade.pass);
    assert_eq!(
        grade.clause.id(),
        "kpi.scorecards.property_template.bands.rows[1]"
    );
    assert!(text_of("call-centre").contains("This file's own choice: 70 passes"));
}

#[test]
fn c8_the_five_minute_call_limit_is_the_files_own() {
    let policy = Policy::example("shop").unwrap();
    let call = |secs| Call {
        at: d(2026, 3, 2).and_hms_opt(9, 0, 0).unwrap(),
        duration_secs: secs,
        ..serde_json::from_str(r#"{"at": "2026-03-02T09:00:00"}"#).unwrap()
    };
    let log = DayLog {
        date: d(2026, 3, 2),
        calls: vec![call(300), call(301)],
        ..serde_json::from_str(r#"{"date": "2026-03-02"}"#).unwrap()
    };
    let report = policy.day_report(&log).unwrap();
    let kept: Vec<bool> = report
        .promises
        .iter()
        .filter(|p| p.promise == Promise::CallLength)
        .map(|p| p.kept)
        .collect();
    assert_eq!(kept, [true, false]);
    assert!(text_of("shop").contains("the limit is this\n# file's own choice"));
}

#[test]
fn l9_parents_in_law_are_listed_as_the_files_reading_of_yue_fu_mu() {
    use cs_policy::leave::{Agent, Approver, Document, LeaveRequest, Relation, Sex};
    let policy = Policy::example("education").unwrap();
    // A woman's husband's parents count too: not only the wife's parents.
    let woman = Agent::new("w", d(1995, 1, 1), Sex::Woman);
    let request = LeaveRequest::new(
        "bereavement",
        d(2026, 3, 10),
        d(2026, 3, 12),
        d(2026, 3, 10),
    )
    .with_relation(Relation::ParentInLaw)
    .with_documents([Document::LeaveForm])
    .with_approvals([Approver::DepartmentHead]);
    let decision = policy.check_leave_request(&woman, &request).unwrap();
    assert_eq!(decision.paid_days, 3);
    assert!(
        text_of("education").contains("this file's own choice reads them as any\n# parent-in-law")
    );
}

#[test]
fn r3_the_voucher_cites_chapter_3() {
    let policy = Policy::example("shop").unwrap();
    let voucher = policy.size_followup_voucher(true).unwrap().unwrap();
    assert_eq!(
        policy.clause(voucher.clause).unwrap().source(),
        Some("000 part 3 ch.3")
    );
}

#[test]
fn s5_the_400_hotline_arrives_10_minutes_early() {
    let policy = Policy::example("shop").unwrap();
    let hotline = policy
        .shift_type(policy.shift_ref("p4_hotline").unwrap())
        .unwrap();
    let early = hotline.arrive_early().unwrap();
    assert_eq!((early.min_minutes, early.max_minutes), (10, 10));
    assert_eq!(
        policy.clause(early.clause).unwrap().source(),
        Some("000 part 4 a")
    );
    // Part 3's 10 to 15 minutes stays as it was.
    let p3 = policy
        .shift_type(policy.shift_ref("p3_day").unwrap())
        .unwrap();
    let early = p3.arrive_early().unwrap();
    assert_eq!((early.min_minutes, early.max_minutes), (10, 15));
}

#[test]
fn leap_day_ages_take_1_march_and_birthday_calls_28_february_each_with_its_reason() {
    // L6/L8 ages and C4 birthday calls: each rule states its day and why.
    let policy = Policy::example("education").unwrap();
    let ages = policy.leave().unwrap().ages().unwrap();
    let born = d(2004, 2, 29);
    assert_eq!(ages.full_years(born, d(2027, 2, 28)), Some(22));
    assert_eq!(ages.full_years(born, d(2027, 3, 1)), Some(23));
    let member = Member {
        id: "M1".into(),
        deal: d(2026, 3, 2),
        birthday: Some(born),
        ..Default::default()
    };
    let birthday = |date| {
        policy
            .calls_due(std::slice::from_ref(&member), date)
            .unwrap()
            .into_iter()
            .any(|c| c.clause.id() == "followup.calls.birthday")
    };
    assert!(birthday(d(2027, 2, 28)));
    assert!(!birthday(d(2027, 3, 1)));
    let text = text_of("education");
    assert!(text.contains("an age needs the year complete, a greeting the\n# month"));
    assert!(text.contains("Each rule says why it differs"));
}
