//! Any amount, up to the largest decimal and with up to 28 digits, through
//! every evaluation: policy amounts and fact amounts give an answer or a
//! typed error (an overflow naming what overflowed, or a located problem
//! in the policy), never a panic.

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

fn example(name: &str) -> &'static str {
    cs_policy::EXAMPLES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
        .unwrap_or_default()
}

const MONTHS: [(&str, &str); 3] = [
    ("shop", include_str!("../policies/shop.scenario.toml")),
    (
        "education",
        include_str!("../policies/education.scenario.toml"),
    ),
    (
        "call-centre",
        include_str!("../policies/call-centre.scenario.toml"),
    ),
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
        let mut month = Scenario::from_toml_str("e.scenario.toml", MONTHS[1].1).expect("reads");
        for agent in &mut month.agents {
            agent.month_pay = Some(MonthPay { base_wage, gross });
        }
        if let Err(error) = education.team_statement(&month) {
            prop_assert!(overflow(&error), "{error}");
        }

        let call_centre = Policy::example("call-centre").expect("loads");
        let mut month = Scenario::from_toml_str("c.scenario.toml", MONTHS[2].1).expect("reads");
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
