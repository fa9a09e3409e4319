//! F1–F9 pinned through the example policies (shop = seeds/000, education = seeds/001).

use chrono::NaiveDate;
use cs_policy::Policy;
use cs_policy::discipline::{Action, DisciplineError, Effect, Incident, Rule, Statement, Window};
use rust_decimal::Decimal;

fn shop() -> Policy {
    Policy::example("shop").expect("shop policy loads")
}

fn education() -> Policy {
    Policy::example("education").expect("education policy loads")
}

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).expect("valid test date")
}

fn yuan(n: i64) -> Decimal {
    Decimal::from(n)
}

fn many(agent: &str, kind: &str, dates: &[NaiveDate]) -> Vec<Incident> {
    dates
        .iter()
        .map(|date| Incident::new(agent, kind, *date))
        .collect()
}

fn amounts(s: &Statement<'_>) -> Vec<Decimal> {
    s.lines().iter().map(|l| l.amount).collect()
}

/// F1–F3 on the shop policy: one agent's incidents of one kind, each line's
/// occurrence and fine, and the fines in all.
#[test]
fn f1_f3_fines_of_one_agents_incidents() {
    let policy = shop();
    /// (case, kind, dates, each line's occurrence, each line's fine, fines in all)
    type Row<'a> = (&'a str, &'a str, &'a [NaiveDate], &'a [u32], &'a [i64], i64);
    #[rustfmt::skip]
    let rows: [Row; 6] = [
        ("f1_two_complaints_in_a_month_cost_150",
         "complaint", &[d(3, 2), d(3, 17)], &[1, 2], &[50, 100], 150),
        ("f1_three_complaints_in_a_month_cost_350_cumulatively",
         "complaint", &[d(3, 2), d(3, 17), d(3, 30)], &[1, 2, 3], &[50, 100, 200], 350),
        // 31 March and 1 April are both first complaints of their calendar month.
        ("f1_month_boundary_restarts_the_count",
         "complaint", &[d(3, 31), d(4, 1)], &[1, 1], &[50, 50], 100),
        // Past the last step the file repeats it.
        ("f1_fourth_complaint_repeats_the_last_step_as_the_policy_chooses",
         "complaint", &[d(3, 2), d(3, 3), d(3, 4), d(3, 5)], &[1, 2, 3, 4], &[50, 100, 200, 200], 550),
        ("f2_non_work_on_shift_costs_10_each_time",
         "off_task_part1", &[d(3, 2), d(3, 3), d(3, 4), d(3, 5)], &[1, 2, 3, 4], &[10; 4], 40),
        ("f3_disclosing_a_colleagues_contact_costs_10_each_time",
         "disclosure", &[d(3, 2), d(3, 2)], &[1, 2], &[10, 10], 20),
    ];
    for (case, kind, dates, occurrences, fines, total) in rows {
        let incidents = many("a1", kind, dates);
        let s = policy.discipline_statement(&incidents).unwrap();
        let got: Vec<_> = s.lines().iter().map(|l| l.occurrence).collect();
        assert_eq!(got, occurrences, "{case}");
        let want: Vec<_> = fines.iter().map(|&fine| yuan(fine)).collect();
        assert_eq!(amounts(&s), want, "{case}");
        assert_eq!(s.fines_total(), yuan(total), "{case}");
        assert_eq!(s.total(), -yuan(total), "{case}");
    }
}

/// F1: the third complaint is the ladder's third step, cited with its label
/// and source.
#[test]
fn f1_the_third_complaint_is_step_3_citing_its_label_and_source() {
    let policy = shop();
    let incidents = many("a1", "complaint", &[d(3, 2), d(3, 17), d(3, 30)]);
    let s = policy.discipline_statement(&incidents).unwrap();
    let steps: Vec<_> = s.lines().iter().map(|l| (l.occurrence, l.step)).collect();
    assert_eq!(steps, [(1, Some(1)), (2, Some(2)), (3, Some(3))]);
    let third = policy.clause(s.lines()[2].clause).unwrap();
    assert_eq!(third.id(), "discipline.ladders.complaint.steps[2]");
    assert_eq!(third.label(), Some("第三次"));
    assert_eq!(third.source(), Some("000 part 1 §6 (part 3 §4)"));
}

#[test]
fn f1_fourth_complaint_repeats_the_last_step_as_the_policy_chooses() {
    let policy = shop();
    let incidents = many("a1", "complaint", &[d(3, 2), d(3, 3), d(3, 4), d(3, 5)]);
    let s = policy.discipline_statement(&incidents).unwrap();
    let fourth = &s.lines()[3];
    assert_eq!(
        (fourth.amount, fourth.step, fourth.beyond),
        (yuan(200), Some(3), 1)
    );
    // The file's own past-end choice decided, citing the handbook it extends.
    let clause = policy.clause(fourth.clause).unwrap();
    assert_eq!(clause.id(), "discipline.ladders.complaint.past_end");
    assert_eq!(clause.source(), Some("000 part 1 §6 (part 3 §4)"));
    assert_eq!(s.fines_total(), yuan(550));
}

#[test]
fn f1_each_agent_counts_separately_and_lines_come_in_date_order() {
    let policy = shop();
    let incidents = vec![
        Incident::new("a2", "complaint", d(3, 20)),
        Incident::new("a1", "complaint", d(3, 5)),
        Incident::new("a2", "complaint", d(3, 1)),
    ];
    let s = policy.discipline_statement(&incidents).unwrap();
    let got: Vec<_> = s
        .lines()
        .iter()
        .map(|l| (l.incident, &*l.agent, l.amount))
        .collect();
    assert_eq!(
        got,
        [
            (2, "a2", yuan(50)),
            (1, "a1", yuan(50)),
            (0, "a2", yuan(100))
        ]
    );
    assert_eq!(s.agent_total("a2"), yuan(-150));
}

#[test]
fn f1_a8_fines_go_to_the_activity_fund() {
    let policy = shop();
    let incidents = many("a1", "complaint", &[d(3, 2), d(3, 3)]);
    let s = policy.discipline_statement(&incidents).unwrap();
    let totals = s.fund_totals();
    assert_eq!(totals.len(), 1);
    assert_eq!(totals[0].fund.map(|f| f.id()), Some("activity"));
    assert_eq!((totals[0].fines, totals[0].rewards), (yuan(150), yuan(0)));
    assert_eq!(s.lines()[0].fund.map(|f| f.id()), Some("activity"));
}

#[test]
fn f1_praise_is_rewarded_on_the_same_statement() {
    let policy = shop();
    let incidents = vec![
        Incident::new("a1", "complaint", d(3, 2)),
        Incident::new("a1", "praise", d(3, 9)),
        Incident::new("a1", "praise", d(3, 10)),
    ];
    let s = policy.discipline_statement(&incidents).unwrap();
    assert_eq!(s.lines()[1].effect, Effect::Reward);
    assert_eq!(s.rewards_total(), yuan(40));
    assert_eq!(s.fines_total(), yuan(50));
    assert_eq!(s.total(), yuan(-10));
    assert_eq!(s.fund_totals()[0].net(), yuan(10));
}

/// F2: non-work on shift is a flat fine, the shop's alternative to F4's
/// off-task ladder.
#[test]
fn f2_non_work_on_shift_is_a_flat_rule_alternative_to_off_task() {
    let policy = shop();
    let rules = policy.discipline().unwrap();
    let f2 = rules
        .kind(rules.resolve_kind("off_task_part1").unwrap())
        .unwrap();
    assert!(matches!(f2.rule(), Rule::Flat(_)));
    assert_eq!(f2.alternative_to(), rules.resolve_kind("off_task"));
}

#[test]
fn f3_disclosure_fines_cite_their_clause_and_source() {
    let policy = shop();
    let incidents = many("a1", "disclosure", &[d(3, 2)]);
    let s = policy.discipline_statement(&incidents).unwrap();
    let clause = policy.clause(s.lines()[0].clause).unwrap();
    assert_eq!(clause.id(), "discipline.ladders.disclosure.each");
    assert_eq!(clause.source(), Some("000 part 1 §12 (part 3 §10)"));
}

#[test]
fn f4_third_violation_is_dismissal() {
    let policy = shop();
    let incidents = many("a1", "off_task", &[d(3, 2), d(3, 9), d(3, 16)]);
    let s = policy.discipline_statement(&incidents).unwrap();
    assert_eq!(amounts(&s), [yuan(10), yuan(30), yuan(0)]);
    assert!(s.lines()[2].actions.contains(Action::Dismissal));
    assert!(s.lines()[..2].iter().all(|l| l.actions.is_empty()));
    let dismissals: Vec<_> = s.actions().collect();
    assert_eq!(dismissals.len(), 1);
    assert_eq!(
        (dismissals[0].action, dismissals[0].step, dismissals[0].date),
        (Action::Dismissal, Some(3), d(3, 16))
    );
    assert_eq!(
        policy.clause(dismissals[0].clause).unwrap().label(),
        Some("第三次开除")
    );
}

#[test]
fn f4_counts_across_months_because_the_file_chose_ever() {
    let policy = shop();
    let rules = policy.discipline().unwrap();
    let off_task = rules.kind(rules.resolve_kind("off_task").unwrap()).unwrap();
    assert_eq!(off_task.window(), Window::Ever);
    let incidents = many("a1", "off_task", &[d(1, 20), d(6, 2), d(11, 30)]);
    let nov = policy.discipline_month(2026, 11, &incidents).unwrap();
    assert_eq!(nov.lines().len(), 1);
    assert_eq!(nov.lines()[0].occurrence, 3);
    assert_eq!(nov.count(Action::Dismissal, Some("a1")), 1);
    assert_eq!(nov.fines_total(), yuan(0));
}

#[test]
fn f5_part2_variant_gives_demerits_not_money() {
    let policy = shop();
    let incidents = vec![
        Incident::new("a1", "off_task_part2", d(3, 2)),
        Incident::new("a1", "complaint_part2", d(3, 3)),
        Incident::new("a2", "complaint_part2", d(3, 4)),
    ];
    let s = policy.discipline_statement(&incidents).unwrap();
    assert_eq!(s.fines_total(), yuan(0));
    assert_eq!(s.count(Action::Demerit, Some("a1")), 2);
    assert_eq!(s.count(Action::Demerit, None), 3);
    let clause = policy.clause(s.lines()[1].clause).unwrap();
    assert_eq!(clause.source(), Some("000 part 2 §5"));
}

#[test]
fn f6_dress_code_first_time_warning_and_sent_home() {
    let policy = education();
    let incidents = many("t1", "dress_code", &[d(9, 1)]);
    let s = policy.discipline_statement(&incidents).unwrap();
    let first = s.lines()[0].actions;
    assert!(first.contains(Action::Warning) && first.contains(Action::SentHomeToChange));
    assert!(!first.contains(Action::BonusCancelled));
}

#[test]
fn f6_dress_code_second_time_cancels_the_months_bonus() {
    let policy = education();
    let incidents = many("t1", "dress_code", &[d(9, 1), d(10, 14)]);
    let oct = policy.discipline_month(2026, 10, &incidents).unwrap();
    assert_eq!(oct.lines().len(), 1);
    let second = &oct.lines()[0];
    assert_eq!(second.step, Some(2));
    assert!(second.actions.contains(Action::WrittenSelfCriticism));
    assert!(second.actions.contains(Action::BonusCancelled));
    assert_eq!(second.amount, yuan(0));
}

#[test]
fn f7_unmarked_order_loses_its_commission() {
    let policy = shop();
    let rules = policy.discipline().unwrap();
    let kinds: Vec<_> = rules
        .kinds_with(Action::CommissionLost)
        .map(|k| rules.kind(k).unwrap().id())
        .collect();
    assert_eq!(kinds, ["unmarked_order"]);
    let mut order = Incident::new("a1", "unmarked_order", d(3, 2));
    order.details = Some("order 118".into());
    let incidents = vec![order];
    let s = policy.discipline_statement(&incidents).unwrap();
    let taken: Vec<_> = s.actions().collect();
    assert_eq!(taken.len(), 1);
    assert_eq!(taken[0].action, Action::CommissionLost);
    assert_eq!(taken[0].details.as_deref(), Some("order 118"));
    assert_eq!(s.fines_total(), yuan(0));
}

#[test]
fn f8_complaint_loses_the_months_performance_pay_and_is_recorded() {
    let policy = education();
    let rules = policy.discipline().unwrap();
    let complaint = rules
        .kind(rules.resolve_kind("complaint").unwrap())
        .unwrap();
    assert!(complaint.actions().contains(Action::PerformancePayLost));
    let incidents = many("t1", "complaint", &[d(4, 3)]);
    let s = policy.discipline_statement(&incidents).unwrap();
    assert!(s.lines()[0].actions.contains(Action::PerformancePayLost));
    assert!(s.lines()[0].actions.contains(Action::RecordedOnFile));
    assert_eq!(s.count(Action::PerformancePayLost, Some("t1")), 1);
}

#[test]
fn f9_errors_found_and_suggestions_accepted_are_rewarded() {
    let policy = shop();
    let incidents = vec![
        Incident::new("a1", "data_error_found", d(3, 2)),
        Incident::new("a1", "data_error_found", d(3, 3)),
        Incident::new("a1", "suggestion_accepted", d(3, 4)),
    ];
    let s = policy.discipline_statement(&incidents).unwrap();
    assert!(s.lines().iter().all(|l| l.effect == Effect::Reward));
    assert_eq!(amounts(&s), [yuan(10), yuan(10), yuan(20)]);
    assert_eq!(s.total(), yuan(40));
    assert_eq!(
        policy.clause(s.lines()[2].clause).unwrap().source(),
        Some("000 part 3 §11")
    );
}

#[test]
fn discretionary_complaint_takes_the_chosen_value_within_its_range() {
    // Part 3 §4: "根据具体情况进行处理分析" — the value is a fact, checked.
    let policy = shop();
    let incidents = vec![Incident::new("a1", "complaint_part3", d(3, 2)).with_value(yuan(80))];
    let s = policy.discipline_statement(&incidents).unwrap();
    assert_eq!(s.fines_total(), yuan(80));

    let too_much = vec![Incident::new("a1", "complaint_part3", d(3, 2)).with_value(yuan(250))];
    let err = policy.discipline_statement(&too_much).unwrap_err();
    assert!(matches!(
        err,
        DisciplineError::ValueOutOfRange { index: 0, .. }
    ));
    assert!(err.to_string().contains("250"), "{err}");

    let missing = vec![Incident::new("a1", "complaint_part3", d(3, 2))];
    let err = policy.discipline_statement(&missing).unwrap_err();
    assert!(matches!(err, DisciplineError::MissingValue { .. }));
}

#[test]
fn bad_facts_give_clear_errors() {
    let policy = shop();
    let unknown = vec![
        Incident::new("a1", "complaint", d(3, 2)),
        Incident::new("a7", "complant", d(3, 5)),
    ];
    let err = policy.discipline_statement(&unknown).unwrap_err();
    assert_eq!(
        err,
        DisciplineError::UnknownKind {
            index: 1,
            agent: "a7".into(),
            date: d(3, 5),
            kind: "complant".into(),
            suggestion: Some("complaint".into()),
        }
    );
    let valued = vec![Incident::new("a1", "complaint", d(3, 2)).with_value(yuan(5))];
    assert!(matches!(
        policy.discipline_statement(&valued),
        Err(DisciplineError::UnexpectedValue { .. })
    ));
    assert!(matches!(
        policy.discipline_month(2026, 13, &valued),
        Err(DisciplineError::InvalidMonth { month: 13, .. })
    ));
    let bare = Policy::example("property").unwrap();
    assert!(matches!(
        bare.discipline_statement(&[]),
        Err(DisciplineError::NoSection)
    ));
}

#[test]
fn statement_serializes_as_json() {
    let policy = shop();
    let incidents = many("a1", "off_task", &[d(3, 2), d(3, 3), d(3, 4)]);
    let s = policy.discipline_statement(&incidents).unwrap();
    let json = serde_json::to_value(&s).unwrap();
    let third = &json["lines"][2];
    assert_eq!(third["kind"], "off_task");
    assert_eq!(third["actions"], serde_json::json!(["dismissal"]));
    assert_eq!(third["amount"], "0");
    assert_eq!(json["funds"][0]["fund"], "activity");
}

#[test]
fn every_example_cites_a_source_for_every_discipline_clause() {
    for name in ["shop", "education"] {
        let policy = Policy::example(name).unwrap();
        for clause in policy.clauses() {
            if clause.id().starts_with("discipline") {
                assert!(clause.source().is_some(), "{name}: {}", clause.id());
            }
        }
    }
}
