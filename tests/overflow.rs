//! Amounts too large to compute: each is a typed error naming what
//! overflowed and with which values, or the right answer, never a panic;
//! and any amount, up to the largest decimal and with up to 28 digits,
//! through every evaluation (policy amounts and fact amounts).

mod common;

use common::{example_text as example, fields};
use cs_policy::attendance::{AgentMonth, AttendanceError, MonthPay, WorkDay};
use cs_policy::boundary::Boundaries;
use cs_policy::discipline::DisciplineError;
use cs_policy::kpi::KpiError;
use cs_policy::money::LARGEST_LINE;
use cs_policy::orders::OrderError;
use cs_policy::pay::PayError;
use cs_policy::statement::StatementError;
use cs_policy::{Policy, Scenario};
use proptest::prelude::*;
use rust_decimal::Decimal;

const EDUCATION_MONTH: &str = include_str!("../policies/education.scenario.toml");
const SHOP_MONTH: &str = include_str!("../policies/shop.scenario.toml");
const CALL_CENTRE_MONTH: &str = include_str!("../policies/call-centre.scenario.toml");

#[test]
fn a5_half_of_a_base_wage_too_large_is_named_with_its_value() {
    // E02 is absent three days in a row: A5 takes 50% of the base wage.
    let text = EDUCATION_MONTH.replacen(
        r#"base_wage = "3200""#,
        r#"base_wage = "2000000000000000000000000000""#,
        1,
    );
    let month = Scenario::from_toml_str("e.scenario.toml", &text).expect("the month reads");
    let policy = Policy::example("education").expect("education loads");
    let err = policy.team_statement(&month).unwrap_err();
    let StatementError::Attendance(AttendanceError::Overflow { agent, error }) = &err else {
        panic!("not an overflow: {err}");
    };
    assert_eq!(agent, "E02");
    assert_eq!(
        error.what(),
        "50% of base wage `2000000000000000000000000000`"
    );
    assert_eq!(error.limit(), Decimal::MAX);
    assert_eq!(
        err.to_string(),
        "agent `E02`: 50% of base wage `2000000000000000000000000000` overflows; check the amounts for a typing mistake"
    );
}

#[test]
fn a4_a_late_deduction_whose_month_cannot_be_held_is_located_by_check() {
    // 31 lates of 4 × 10^28 pass any decimal: the policy does not load.
    let text = example("education").replacen(
        r#"late = "20""#,
        r#"late = "40000000000000000000000000000""#,
        1,
    );
    let problems = Policy::from_toml_str("e.toml", &text).unwrap_err();
    let found = problems.diagnostics();
    assert_eq!(found.len(), 1, "{problems}");
    let line = 1 + text[..text.find(r#"late = "4"#).unwrap()]
        .matches('\n')
        .count();
    assert_eq!(
        (found[0].line, found[0].column, found[0].field.as_str()),
        (line, 8, "attendance.deductions.late")
    );
    assert_eq!(
        found[0].message,
        "`attendance.deductions.late` is `40000000000000000000000000000`, too large for a month: charged on each day of a 31-day month it passes `1000000000000000`, the largest amount a statement keeps to the fen"
    );
    assert_eq!(
        found[0].help.as_deref(),
        Some("write an amount of at most `32258064516129.03`")
    );
}

#[test]
fn a4_a_huge_late_and_early_leave_are_both_located() {
    let text = example("education")
        .replacen(
            r#"late = "20""#,
            r#"late = "40000000000000000000000000000""#,
            1,
        )
        .replacen(
            r#"early_leave = "20""#,
            r#"early_leave = "40000000000000000000000000000""#,
            1,
        );
    let problems = Policy::from_toml_str("e.toml", &text).unwrap_err();
    let fields = fields(&problems);
    assert_eq!(
        fields,
        [
            "attendance.deductions.late",
            "attendance.deductions.early_leave"
        ]
    );
}

#[test]
fn the_largest_amount_a_month_can_hold_loads_and_evaluates() {
    // 10^15 ÷ 31, to the fen: 31 lates of it stay within a statement line.
    let text = example("education").replacen(r#"late = "20""#, r#"late = "32258064516129.03""#, 1);
    let policy = Policy::from_toml_str("e.toml", &text).expect("the largest late loads");
    let month = Scenario::from_toml_str("e.scenario.toml", EDUCATION_MONTH).expect("reads");
    // E01's lates are converted (A3), so the month evaluates as shipped.
    assert!(policy.team_statement(&month).is_ok());
}

#[test]
fn a_pay_amount_beyond_a_statement_line_is_located_by_check() {
    // K4: the after-sales agent's post wage, one line a month.
    let from = r#"{ post = "agent", amount = "2000","#;
    let text =
        example("shop").replacen(from, r#"{ post = "agent", amount = "1000000000000001","#, 1);
    assert_ne!(text, example("shop"), "`{from}` is in the shop");
    let problems = Policy::from_toml_str("s.toml", &text).unwrap_err();
    let found = problems.diagnostics();
    assert_eq!(found.len(), 1, "{problems}");
    assert!(
        found[0].message.ends_with("too large for a month: on one line it passes `1000000000000000`, the largest amount a statement keeps to the fen"),
        "{}",
        found[0].message
    );
}

#[test]
fn k15_a_commission_beyond_a_statement_line_names_the_line() {
    // C01's level pays commission (K9): a commission past 10^15 cannot
    // be a statement line.
    let text = CALL_CENTRE_MONTH.replacen(
        r#"commission = "320.50""#,
        r#"commission = "2000000000000000""#,
        1,
    );
    assert_ne!(text, CALL_CENTRE_MONTH);
    let month = Scenario::from_toml_str("c.scenario.toml", &text).expect("the month reads");
    let policy = Policy::example("call-centre").expect("call-centre loads");
    let err = policy.team_statement(&month).unwrap_err();
    assert_eq!(
        err.to_string(),
        "agent `C01`: commission `2000000000000000.00` is more than `1000000000000000`, the largest amount kept to the fen; check the amounts for a typing mistake"
    );
}

#[test]
fn r3_a_price_too_large_to_keep_its_fen_is_an_error() {
    // R3: 9.8折 of 10^15 is kept to the fen; of the largest decimal it
    // would not be, so the price is refused by name.
    let policy = Policy::example("shop").expect("shop loads");
    let vip = policy.vip_price(1, LARGEST_LINE).expect("10^15 is a price");
    assert_eq!(vip.price.to_string(), "980000000000000.00");
    assert_eq!(vip.discount.to_string(), "20000000000000.00");
    let err = policy.vip_price(1, Decimal::MAX).unwrap_err();
    assert!(matches!(&err, OrderError::Overflow(o) if o.limit() == LARGEST_LINE));
    assert_eq!(
        err.to_string(),
        "the price `79228162514264337593543950335` is more than `1000000000000000`, the largest amount kept to the fen; check the price for a typing mistake"
    );
}

#[test]
fn a_negative_zero_fine_reads_zero() {
    // `"-0.00"` is not a negative amount; its fine is written `0.00`.
    let text = example("shop").replacen(
        r#"{ amount = 50, label = "第一次" }"#,
        r#"{ amount = "-0.00", label = "第一次" }"#,
        1,
    );
    let policy = Policy::from_toml_str("s.toml", &text).expect("loads");
    let month = Scenario::from_toml_str("s.scenario.toml", SHOP_MONTH).expect("reads");
    let team = policy.team_statement(&month).expect("evaluates");
    let table = team.render_table(&policy).unwrap();
    assert!(!table.contains("-0.00"), "{table}");
    let fines: Vec<String> = team
        .statements
        .iter()
        .flat_map(|s| &s.lines)
        .filter(|l| l.kind.word() == "fine" && l.amount.is_zero())
        .map(|l| l.amount.to_string())
        .collect();
    assert_eq!(fines, ["0.00", "0.00"]);
}

#[test]
fn a4_a_negative_zero_deduction_reads_zero_with_its_rate() {
    let text =
        example("education").replacen(r#"early_leave = "20""#, r#"early_leave = "-0.00""#, 1);
    let policy = Policy::from_toml_str("e.toml", &text).expect("loads");
    let month = Scenario::from_toml_str("e.scenario.toml", EDUCATION_MONTH).expect("reads");
    let team = policy.team_statement(&month).expect("evaluates");
    let table = team.render_table(&policy).unwrap();
    // E01's early leave on 18 March: `1 × 0.00`, deducting `0.00`.
    assert!(!table.contains("-0.00"), "{table}");
    assert!(
        table.contains("1 × 0.00, the last on 2026-03-18"),
        "{table}"
    );
}

const MONTHS: [(&str, &str); 3] = [
    ("shop", SHOP_MONTH),
    ("education", EDUCATION_MONTH),
    ("call-centre", CALL_CENTRE_MONTH),
];

/// Any non-negative decimal: all 96 bits and any scale (up to 28 digits
/// after the point), or one of the edges that matter.
fn amount() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        (any::<u32>(), any::<u32>(), any::<u32>(), 0u32..=28)
            .prop_map(|(lo, mid, hi, scale)| Decimal::from_parts(lo, mid, hi, false, scale)),
        (any::<u64>(), 0u32..=28)
            .prop_map(|(n, scale)| Decimal::from_i128_with_scale(i128::from(n), scale)),
        prop::sample::select(vec![
            Decimal::MAX,
            Decimal::from_i128_with_scale(10_i128.pow(28), 0),
            Decimal::from_i128_with_scale(2 * 10_i128.pow(27), 0),
            Decimal::from_i128_with_scale(9_999_999_999_999_999_999_999_999_999, 28),
            LARGEST_LINE,
            LARGEST_LINE + Decimal::new(1, 2),
            LARGEST_LINE / Decimal::from(31),
            Decimal::ZERO,
            Decimal::new(-0, 2),
            Decimal::new(1, 28),
        ]),
    ]
}

/// Whether a statement error is an overflow, named with its values.
fn overflow(error: &StatementError) -> bool {
    let named = |e: &cs_policy::money::Overflow| !e.what().is_empty();
    match error {
        StatementError::Overflow { error, .. } => named(error),
        StatementError::Attendance(AttendanceError::Overflow { error, .. }) => named(error),
        StatementError::Discipline(DisciplineError::Overflow { error, .. }) => named(error),
        StatementError::Pay(PayError::Overflow { error, .. }) => named(error),
        StatementError::Pay(PayError::Card {
            error: KpiError::Overflow(error),
            ..
        }) => named(error),
        _ => false,
    }
}

/// Every shipped scenario through `policy`: statements, or an overflow.
fn every_month(name: &str, policy: &Policy) -> Result<(), TestCaseError> {
    for (owner, text) in MONTHS {
        if owner != name {
            continue;
        }
        let month =
            Scenario::from_toml_str("m.scenario.toml", text).expect("a shipped month reads");
        if let Err(error) = policy.team_statement(&month) {
            prop_assert!(overflow(&error), "{name}: not an overflow: {error}");
        }
    }
    Ok(())
}

/// Policy amounts the shipped files state, each a place for any amount.
const PLACES: &[(&str, &str, &str)] = &[
    ("education", r#"late = "20""#, r#"late = "{}""#),
    (
        "education",
        r#"early_leave = "20""#,
        r#"early_leave = "{}""#,
    ),
    ("education", r#"absent = "50""#, r#"absent = "{}""#),
    (
        "shop",
        r#"{ amount = 200, label = "第三次" }"#,
        r#"{ amount = "{}", label = "第三次" }"#,
    ),
    ("shop", r#"pool = "1000""#, r#"pool = "{}""#),
    (
        "shop",
        r#"{ post = "agent", amount = "2000","#,
        r#"{ post = "agent", amount = "{}","#,
    ),
    ("property", r#"full = "1000""#, r#"full = "{}""#),
    ("call-centre", "min_score = 90", r#"min_score = "{}""#),
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// A policy amount: it loads or each problem is located (an amount whose
    /// worst month passes a statement line is one); a policy that loads
    /// evaluates its shipped month and is compared with the shipped file.
    #[test]
    fn any_policy_amount_loads_and_evaluates_or_is_located(
        place in prop::sample::select(PLACES),
        value in amount(),
    ) {
        let (name, from, to) = place;
        let text = example(name).replacen(from, &to.replace("{}", &value.to_string()), 1);
        prop_assert_ne!(&text, example(name));
        match Policy::from_toml_str("p.toml", &text) {
            Err(problems) => {
                for d in problems.diagnostics() {
                    prop_assert!(d.line >= 1 && d.span.start <= text.len(), "{d}");
                }
            }
            Ok(policy) => {
                every_month(name, &policy)?;
                let shipped = Policy::example(name).expect("shipped loads");
                let _ = Boundaries::between(&shipped, &policy).to_string();
                let _ = Boundaries::between(&policy, &shipped).to_string();
            }
        }
    }

    /// A4: a per-occurrence amount loads exactly when 31 of it fit a
    /// statement line (the worst month), to the fen.
    #[test]
    fn a4_a_late_loads_exactly_when_its_worst_month_fits(value in amount()) {
        let text = example("education").replacen(r#"late = "20""#, &format!(r#"late = "{value}""#), 1);
        let fits = value.checked_mul(Decimal::from(31)).is_some_and(|m| m <= LARGEST_LINE);
        let loaded = Policy::from_toml_str("e.toml", &text);
        prop_assert_eq!(loaded.is_ok(), fits, "{}", value);
        if let Err(problems) = loaded {
            prop_assert_eq!(problems.diagnostics()[0].field.as_str(), "attendance.deductions.late");
        }
    }

    /// Fact amounts: a month's pay (A5), commissions and losses (K9, K16)
    /// and prices (R3), each any amount.
    #[test]
    fn any_fact_amount_gives_an_answer_or_an_overflow(
        base_wage in amount(),
        gross in amount(),
        commission in amount(),
        loss in amount(),
    ) {
        let education = Policy::example("education").expect("loads");
        let mut month = Scenario::from_toml_str("e.scenario.toml", EDUCATION_MONTH).expect("reads");
        for agent in &mut month.agents {
            agent.month_pay = Some(MonthPay { base_wage, gross });
        }
        if let Err(error) = education.team_statement(&month) {
            prop_assert!(overflow(&error), "{error}");
        }

        let call_centre = Policy::example("call-centre").expect("loads");
        let mut month = Scenario::from_toml_str("c.scenario.toml", CALL_CENTRE_MONTH).expect("reads");
        for agent in &mut month.agents {
            agent.commission = commission;
            agent.losses = vec![loss];
        }
        if let Err(error) = call_centre.team_statement(&month) {
            prop_assert!(overflow(&error), "{error}");
        }

        let shop = Policy::example("shop").expect("loads");
        match shop.vip_price(1, commission) {
            Ok(vip) => prop_assert_eq!(vip.price + vip.discount, commission),
            Err(error) => prop_assert!(matches!(error, OrderError::Overflow(_)), "{error}"),
        }
    }

    /// A5 directly: three absent days on any month's pay.
    #[test]
    fn a5_any_month_pay_gives_its_share_or_names_it(base_wage in amount()) {
        let policy = Policy::example("education").expect("loads");
        let regular = policy.shift_ref("regular").expect("a regular shift");
        let day = |d| WorkDay {
            date: chrono::NaiveDate::from_ymd_opt(2026, 3, d).expect("a date"),
            shift: regular,
            clock_in: None,
            clock_out: None,
            overtime_approved: false,
        };
        let facts = AgentMonth {
            agent: "li".into(),
            year: 2026,
            month: 3,
            days: vec![day(2), day(3), day(4)],
            leave: vec![],
            pay: Some(MonthPay { base_wage, gross: Decimal::ZERO }),
        };
        match policy.attendance_report(&facts) {
            Ok(report) => {
                let share = report.summary.deductions.iter().find(|d| d.each == Decimal::from(50));
                prop_assert!(share.is_some());
            }
            Err(AttendanceError::Overflow { error, .. }) => {
                prop_assert_eq!(error.what(), format!("50% of base wage `{base_wage}`"));
            }
            Err(other) => prop_assert!(false, "{other}"),
        }
    }
}
