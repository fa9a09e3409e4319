//! Monthly statements from the shipped scenarios: attendance (A1–A7), leave
//! (L1, L2, L11), discipline (F1, F4, F6, F8, F9), scorecard (K1, K4, A9)
//! and pay (K9–K12, K16), each line citing its clause.

use cs_policy::attendance::DeductionKind;
use cs_policy::discipline::Action as Disc;
use cs_policy::pay;
use cs_policy::statement::{ActionKind, AgentStatement, LineKind, StatementError};
use cs_policy::{Policy, Scenario};
use rust_decimal::Decimal;

fn scenario(name: &str) -> Scenario {
    let path = format!("policies/{name}.scenario.toml");
    Scenario::from_path(&path).unwrap()
}

fn team(name: &str) -> (Policy, Vec<AgentStatement>) {
    let policy = Policy::example(name).unwrap();
    let month = scenario(name);
    let team = policy.team_statement(&month).unwrap();
    assert_eq!(
        team.total,
        team.statements.iter().map(|s| s.total).sum::<Decimal>()
    );
    (policy, team.statements)
}

fn agent<'a>(team: &'a [AgentStatement], id: &str) -> &'a AgentStatement {
    team.iter().find(|s| s.agent == id).unwrap()
}

fn amounts(s: &AgentStatement) -> Vec<(String, String, String)> {
    s.lines
        .iter()
        .map(|l| {
            (
                l.kind.word().to_owned(),
                l.amount.to_string(),
                l.clause.id().to_owned(),
            )
        })
        .collect()
}

fn row(kind: &str, amount: &str, clause: &str) -> (String, String, String) {
    (kind.to_owned(), amount.to_owned(), clause.to_owned())
}

fn has_action(s: &AgentStatement, kind: ActionKind) -> bool {
    s.actions.iter().any(|a| a.kind == kind)
}

#[test]
fn every_shipped_scenario_balances_to_the_fen_and_cites_clauses() {
    for name in ["shop", "education", "call-centre"] {
        let (_, statements) = team(name);
        assert!((3..=6).contains(&statements.len()), "{name}");
        for s in &statements {
            assert_eq!(s.total, s.lines.iter().map(|l| l.amount).sum::<Decimal>());
            assert_eq!(s.total.scale(), 2, "{name} {}", s.agent);
            for l in &s.lines {
                assert_eq!(l.amount.scale(), 2);
                assert!(!l.clause.id().is_empty());
            }
        }
    }
}

/// F1: three complaints in one month cost 50, 100 and 200, all paid; K4 a
/// failed card (30 of 130, under 70%) earns no bonus.
#[test]
fn f1_ladder_and_k4_failed_card_on_the_shop_statement() {
    let (_, team) = team("shop");
    let s02 = agent(&team, "S02");
    assert_eq!(
        amounts(s02),
        [
            row("base", "2000.00", "pay.plans.after_sales.base"),
            row(
                "kpi_bonus",
                "0.00",
                "kpi.scorecards.after_sales.bands.rows[0]"
            ),
            row("fine", "-50.00", "discipline.ladders.complaint.steps[0]"),
            row("fine", "-100.00", "discipline.ladders.complaint.steps[1]"),
            row("fine", "-200.00", "discipline.ladders.complaint.steps[2]"),
        ]
    );
    assert_eq!(s02.total.to_string(), "1650.00");
    // counts_as = "complaint" on the kind, not its id, counts them (K10).
    assert_eq!(s02.complaints, 3);
}

/// K4: pool × score ÷ total; A9: two lates take 10 of the attendance item's
/// 20; K3 praise +2 twice, a low review −5; F9 reward and F1 praise lines.
#[test]
fn k4_bonus_and_a9_attendance_item_fed_by_the_month() {
    let (_, team) = team("shop");
    let s01 = agent(&team, "S01");
    assert_eq!(s01.attendance.unwrap().late, 2);
    let card = s01.score.as_ref().unwrap();
    let item = card
        .items
        .iter()
        .find(|i| i.clause.id() == "kpi.scorecards.after_sales.items.attendance")
        .unwrap();
    assert_eq!(item.points, Decimal::from(10)); // A9: 20 − 2 × 5
    // 20 + 30 + 15 + 20 + 15 + 10 + 2 × 2 − 5 = 109
    assert_eq!(card.score, Decimal::from(109));
    assert_eq!(
        amounts(s01),
        [
            row("base", "2500.00", "pay.plans.after_sales.base"),
            row("kpi_bonus", "838.46", "pay.plans.after_sales.kpi_bonus"),
            row("fine", "-50.00", "discipline.ladders.complaint.steps[0]"),
            row("reward", "20.00", "discipline.rewards.praise.each"),
        ]
    );
    let s05 = agent(&team, "S05");
    assert!(amounts(s05).contains(&row(
        "reward",
        "10.00",
        "discipline.rewards.data_error_found.each"
    )));
}

/// L11 + A7: leave signed by the supervisor is leave; leave asked without a
/// form is absence (and A9 takes 10 per absence). F4 counted ever: the third
/// violation, in March, dismisses.
#[test]
fn l11_a7_leave_and_f4_third_violation_on_the_shop_statement() {
    let (policy, team) = team("shop");
    let s03 = agent(&team, "S03");
    assert_eq!(s03.attendance.unwrap().on_leave, 1);
    assert!(has_action(
        s03,
        ActionKind::LeaveGranted {
            request: 0,
            days: 1,
            paid_days: 0,
            // Counted on S03's roster (the shop's own choice).
            counted_on_roster: policy.clause_by_id("leave.types.personal.on_roster"),
        }
    ));
    let s04 = agent(&team, "S04");
    assert_eq!(s04.attendance.unwrap().absent, 2);
    let refused = s04
        .actions
        .iter()
        .find(|a| matches!(a.kind, ActionKind::LeaveRefused { .. }))
        .unwrap();
    assert_eq!(refused.clause.id(), "leave.notice[0]");
    let dismissal = s04
        .actions
        .iter()
        .find(|a| a.kind == ActionKind::Discipline(Disc::Dismissal))
        .unwrap();
    assert_eq!(
        dismissal.clause.id(),
        "discipline.ladders.off_task.steps[2]"
    );
    assert_eq!(s04.irregularities, 1);
}

/// A policy without `[pay]` (education) still gets attendance and
/// discipline lines: A3 three lates become one absence at A4's 50; A5 three
/// days absent in a row take half the base wage; A1 45 minutes late is
/// absence; A7 leave without a form is absence; F6 second dress-code offence;
/// F8 a complaint withholds the month's performance pay (an action here).
#[test]
fn a3_a5_a7_f6_f8_without_pay_section() {
    let (policy, team) = team("education");
    assert!(policy.pay().is_none());
    let e01 = agent(&team, "E01");
    assert_eq!(
        amounts(e01),
        [
            row("early_leave", "-20.00", "attendance.deductions"),
            row("converted_absence", "-50.00", "attendance.streak"),
        ]
    );
    assert!(e01.score.is_none() && e01.rank.is_none());
    let e02 = agent(&team, "E02");
    assert_eq!(
        amounts(e02),
        [
            row("absence", "-150.00", "attendance.deductions"),
            row("absence_streak", "-1600.00", "attendance.absence_streak"),
        ]
    );
    let e03 = agent(&team, "E03");
    assert!(e03.lines.is_empty());
    assert_eq!(e03.total.to_string(), "0.00");
    assert!(has_action(
        e03,
        ActionKind::Discipline(Disc::BonusCancelled)
    ));
    assert!(has_action(
        e03,
        ActionKind::LeaveGranted {
            request: 0,
            days: 2,
            paid_days: 0,
            counted_on_roster: policy.clause_by_id("leave.types.personal.on_roster"),
        }
    ));
    let e04 = agent(&team, "E04");
    assert_eq!(e04.attendance.unwrap().absent, 2); // A1 + A7
    assert!(has_action(
        e04,
        ActionKind::Discipline(Disc::PerformancePayLost)
    ));
    assert_eq!(e04.complaints, 1);
    assert_eq!(
        e04.lines.first().map(|l| l.kind),
        Some(LineKind::Attendance(DeductionKind::Absence))
    );
}

/// K10: ranks within the plan over the whole team; the first eligible agent
/// is the service star (100), the next eligible one the hope star (50): C02
/// has two complaints and C05 an irregularity, so neither may win. K12 two
/// complaints demote a star; K11 two months under 70 dismiss; K16 a loss at
/// its actual amount; K9 the two-star's pay.
#[test]
fn k9_k10_k11_k12_k16_team_ranking_on_the_call_centre_statement() {
    let (_, team) = team("call-centre");
    let ranks: Vec<_> = team.iter().map(|s| (s.agent.as_str(), s.rank)).collect();
    assert_eq!(
        ranks,
        [
            ("C01", Some(1)),
            ("C02", Some(2)),
            ("C03", Some(3)),
            ("C04", Some(5)),
            ("C05", Some(4))
        ]
    );
    let award = |s: &AgentStatement| {
        s.lines
            .iter()
            .find(|l| l.kind == LineKind::Pay(pay::LineKind::Award))
            .map(|l| l.amount.to_string())
    };
    let c01 = agent(&team, "C01");
    assert_eq!(award(c01).as_deref(), Some("100.00"));
    // K9: 1100 + 400 + 320.50 + 300 + 100 full attendance, + the award.
    assert_eq!(c01.total.to_string(), "2320.50");
    let c02 = agent(&team, "C02");
    assert_eq!((c02.complaints, award(c02)), (2, None));
    let demotion = c02
        .actions
        .iter()
        .find(|a| matches!(a.kind, ActionKind::Pay(pay::ActionKind::Demotion { .. })))
        .unwrap();
    assert_eq!(
        demotion.clause.id(),
        "pay.plans.star_levels.star_levels.demotions[6]"
    );
    let c03 = agent(&team, "C03");
    assert_eq!(award(c03).as_deref(), Some("50.00"));
    // One late: no full attendance (A6, K9).
    assert!(
        !c03.lines
            .iter()
            .any(|l| l.kind == LineKind::Pay(pay::LineKind::FullAttendance))
    );
    let c04 = agent(&team, "C04");
    assert!(has_action(c04, ActionKind::Pay(pay::ActionKind::Dismissal)));
    assert!(amounts(c04).contains(&row("loss", "-37.50", "pay.plans.star_levels.loss")));
    let c05 = agent(&team, "C05");
    assert_eq!((c05.irregularities, award(c05)), (1, None));
}

/// Without the team there is no rank (K10 needs it), but the rest is the same.
#[test]
fn k10_one_agent_statement_has_no_rank() {
    let policy = Policy::example("call-centre").unwrap();
    let month = scenario("call-centre");
    let alone = policy.agent_statement(&month, "C01").unwrap();
    assert_eq!(alone.rank, None);
    assert!(
        !alone
            .lines
            .iter()
            .any(|l| l.kind == LineKind::Pay(pay::LineKind::Award))
    );
    assert_eq!(alone.total.to_string(), "2220.50");
}

/// A policy without `[attendance]` (property): pay lines only (K5).
#[test]
fn k5_policy_without_attendance_has_no_attendance_lines() {
    let policy = Policy::example("property").unwrap();
    let month = Scenario::from_toml_str(
        "p.toml",
        r#"
year = 2026
month = 3
[[agents]]
id = "F01"
plan = "front_desk"
card.items = [{ item = "assessment", value = { points = "88" } }]
"#,
    )
    .unwrap();
    let s = policy.agent_statement(&month, "F01").unwrap();
    assert!(s.attendance.is_none());
    assert_eq!(s.total.to_string(), "800.00"); // K5: 86–90 earns 80%
}

#[test]
fn an_unknown_agent_in_punches_is_named() {
    let policy = Policy::example("shop").unwrap();
    let mut month = scenario("shop");
    month.punches[1].agent = "S99".into();
    let err = policy.team_statement(&month).unwrap_err();
    assert_eq!(
        err,
        StatementError::UnknownAgent {
            what: "punch",
            index: 1,
            agent: "S99".into()
        }
    );
    assert!(err.to_string().contains("`S99`"));
}

#[test]
fn a_punch_without_a_roster_entry_is_named() {
    let policy = Policy::example("shop").unwrap();
    let mut month = scenario("shop");
    month.punches[0].date = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(); // a Sunday
    assert!(matches!(
        policy.team_statement(&month),
        Err(StatementError::PunchWithoutRoster { index: 0, .. })
    ));
}

#[test]
fn a_scenario_with_a_syntax_error_is_reported_with_line_and_column() {
    let text = "year = 2026\nmonth = 3\n\n[[agents]]\nid = \"A\nplan = \"x\"\n";
    let problems = Scenario::from_toml_str("broken.scenario.toml", text).unwrap_err();
    let d = &problems.diagnostics()[0];
    // The unterminated string is found at the end of its line.
    assert_eq!((d.line, d.column), (5, 8));
    assert_eq!(d.code, cs_policy::ProblemCode::Syntax);
    let rendered = problems.render();
    assert!(
        rendered.starts_with("broken.scenario.toml:5:8: error[syntax]"),
        "{rendered}"
    );
}

#[test]
fn a_misspelt_scenario_key_is_reported_with_line_and_column() {
    let text = "year = 2026\nmonth = 3\n\n[[agents]]\nid = \"A\"\nplna = \"x\"\n";
    let problems = Scenario::from_toml_str("typo.toml", text).unwrap_err();
    let d = &problems.diagnostics()[0];
    assert_eq!(d.line, 6);
    assert!(d.message.contains("plna"), "{}", d.message);
    assert_eq!(d.field, "agents[0].plna");
}

#[test]
fn a_bad_scenario_value_names_its_field() {
    let text = "year = 2026\nmonth = 3\n\n[[agents]]\nid = \"A\"\n\n[[agents]]\nid = \"B\"\nseniority_years = \"two\"\n";
    let problems = Scenario::from_toml_str("bad.toml", text).unwrap_err();
    let d = &problems.diagnostics()[0];
    assert_eq!(
        (d.line, d.column, d.field.as_str()),
        (9, 19, "agents[1].seniority_years")
    );
}

#[test]
fn json_view_spells_out_clause_ids() {
    let policy = Policy::example("shop").unwrap();
    let team = policy.team_statement(&scenario("shop")).unwrap();
    let json = serde_json::to_value(team.view(&policy).unwrap()).unwrap();
    assert_eq!(
        json["statements"][1]["lines"][2]["clause"],
        "discipline.ladders.complaint.steps[0]"
    );
    assert_eq!(json["statements"][1]["total"], "1650.00");
}

/// F8 (a complaint withholds the month's performance pay) on a pay plan
/// with performance pay (K5): the line is nothing, citing the incident's
/// clause; `counts_as` counts the complaint.
#[test]
fn f8_complaint_withholds_the_performance_pay_line() {
    let text = format!(
        "{}\n[discipline]\n[discipline.ladders.complaint]\ncounts_as = \"complaint\"\neach = {{ actions = [\"performance_pay_lost\"] }}\n",
        include_str!("../policies/property.toml")
    );
    let policy = Policy::from_toml_str("property-f8.toml", &text).unwrap();
    let month = Scenario::from_toml_str(
        "p.toml",
        r#"
year = 2026
month = 3
[[agents]]
id = "F01"
plan = "front_desk"
card.items = [{ item = "assessment", value = { points = "98" } }]
[[incidents]]
agent = "F01"
kind = "complaint"
date = "2026-03-09"
"#,
    )
    .unwrap();
    let s = policy.agent_statement(&month, "F01").unwrap();
    let line = s
        .lines
        .iter()
        .find(|l| l.kind == LineKind::Pay(pay::LineKind::PerformancePay))
        .unwrap();
    assert_eq!(line.amount.to_string(), "0.00");
    assert_eq!(line.clause.id(), "discipline.ladders.complaint.each");
    assert!(matches!(
        line.because,
        cs_policy::statement::Because::Withheld { incident: 0, .. }
    ));
    assert_eq!((s.complaints, s.total.to_string()), (1, "0.00".to_owned()));
}

/// serde stops at the first problem; a scenario reports one for every agent,
/// punch or request that cannot be read, each located with its field.
#[test]
fn every_bad_element_of_a_scenario_is_reported() {
    let text = "year = 2026\nmonth = 3\n\n[[agents]]\nid = \"A\"\nseniority_years = \"two\"\n\n\
                [[agents]]\nid = \"B\"\n\n[[agents]]\nid = \"C\"\nplna = \"x\"\n\n\
                [[punches]]\nagent = \"B\"\ndate = \"2026-03-40\"\n";
    let problems = Scenario::from_toml_str("multi.toml", text).unwrap_err();
    let found: Vec<_> = problems
        .diagnostics()
        .iter()
        .map(|d| (d.line, d.column, d.field.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (6, 19, "agents[0].seniority_years"),
            (13, 1, "agents[2].plna"),
            (17, 8, "punches[0].date"),
        ]
    );
}
