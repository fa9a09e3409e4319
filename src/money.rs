//! Amounts, rounding and the funds that deductions go to.
//!
//! Money is [`Decimal`], never a float. A policy states its rounding once
//! (`[policy.rounding]`, by default to the fen, half away from zero, the
//! Chinese payroll norm); results that round say so.

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::explain::ClauseRef;
use crate::policy::ProblemCode;
use crate::policy::read::{Choice, Hint, Loader, Located, Node, Table, choices};

choices! {
    /// How a half-way amount is rounded.
    ///
    /// `rust_decimal`'s own `round_dp` rounds half to even, which is not what a
    /// payroll clerk expects, so the mode is always named.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    #[non_exhaustive]
    pub enum RoundingMode as "a rounding mode" {
        /// 0.125 → 0.13, −0.125 → −0.13 (the default).
        HalfAwayFromZero => "half_away_from_zero",
        /// 0.125 → 0.12, 0.135 → 0.14 (banker's rounding).
        HalfEven => "half_even",
        /// Always towards zero: 0.129 → 0.12.
        TowardZero => "toward_zero",
        /// Always away from zero: 0.121 → 0.13.
        AwayFromZero => "away_from_zero",
    }
}

impl RoundingMode {
    fn strategy(self) -> RoundingStrategy {
        match self {
            Self::HalfAwayFromZero => RoundingStrategy::MidpointAwayFromZero,
            Self::HalfEven => RoundingStrategy::MidpointNearestEven,
            Self::TowardZero => RoundingStrategy::ToZero,
            Self::AwayFromZero => RoundingStrategy::AwayFromZero,
        }
    }
}

/// The policy's rounding of money: how many decimal places and which mode.
///
/// ```
/// use cs_policy::{Rounding, RoundingMode};
/// use rust_decimal::Decimal;
///
/// let fen = Rounding::default();
/// assert_eq!((fen.decimals(), fen.mode()), (2, RoundingMode::HalfAwayFromZero));
/// assert_eq!(fen.round(Decimal::new(615384615, 8)).to_string(), "6.15");
/// assert_eq!(fen.round(Decimal::new(125, 3)).to_string(), "0.13");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rounding {
    decimals: u32,
    mode: RoundingMode,
}

impl Default for Rounding {
    fn default() -> Self {
        Self {
            decimals: 2,
            mode: RoundingMode::HalfAwayFromZero,
        }
    }
}

impl Rounding {
    /// Decimal places kept (2 = to the fen).
    pub fn decimals(&self) -> u32 {
        self.decimals
    }

    /// The rounding mode.
    pub fn mode(&self) -> RoundingMode {
        self.mode
    }

    /// Rounds an amount as the policy says; a zero is never negative
    /// (`-0.004` rounds to `0.00`, not `-0.00`).
    ///
    /// ```
    /// use cs_policy::Rounding;
    /// use rust_decimal::Decimal;
    ///
    /// assert_eq!(Rounding::default().round(Decimal::new(-4, 3)).to_string(), "0.00");
    /// assert_eq!(Rounding::default().round("-0.00".parse().unwrap()).to_string(), "0.00");
    /// ```
    pub fn round(&self, amount: Decimal) -> Decimal {
        unsigned_zero(amount.round_dp_with_strategy(self.decimals, self.mode.strategy()))
    }

    pub(crate) fn read(table: &mut Table<'_, '_>, ld: &mut Loader) -> Self {
        let Some(mut t) = table.opt_table(ld, "rounding") else {
            return Self::default();
        };
        let rounding = Self {
            decimals: t.opt_in(ld, "decimals", 0..=6).unwrap_or(2),
            mode: t.opt_or(ld, "mode", RoundingMode::HalfAwayFromZero),
        };
        t.finish(ld);
        rounding
    }
}

impl fmt::Display for Rounding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mode = RoundingMode::CHOICES
            .iter()
            .find(|(_, m)| *m == self.mode)
            .map_or("", |(w, _)| w);
        write!(f, "{} decimal places, {mode}", self.decimals)
    }
}

/// The most one line of a month's statement may hold, in the policy's
/// currency: 10^15. A decimal holds 28 significant digits; beyond this a
/// sum of lines could lose the fen. No payroll line comes near it.
///
/// A policy amount whose worst month would pass it is a `check` error.
/// The worst month charges every amount as often as a month allows, each
/// amount on its own: an amount per occurrence (a late, an early leave, a
/// fine or reward of a discipline kind, whatever its step, and the step a
/// ladder adds past its end) 31 times, once on each day of the longest
/// month; the absence rate 62 times (a late and an early leave on each of
/// 31 days, each converted to an absence by a streak of one); an amount per
/// month (pay lines, bonuses, awards, a voucher) once. Amounts that facts
/// multiply without a bound of their own (a percentage of pay, a seniority
/// rate times years, a ladder multiplied past its end) are checked as they
/// are evaluated instead, as an [`Overflow`].
///
/// ```
/// assert_eq!(cs_policy::money::LARGEST_LINE.to_string(), "1000000000000000");
/// ```
pub const LARGEST_LINE: Decimal = Decimal::from_parts(0xA4C6_8000, 0x0003_8D7E, 0, false, 0);

/// An amount too large to compute: what was being computed, in the
/// policy's words and with its values, and the limit it crossed (the
/// largest decimal, or [`LARGEST_LINE`] for a line of a statement).
///
/// ```
/// use chrono::NaiveDate;
/// use cs_policy::Policy;
/// use cs_policy::attendance::{AgentMonth, AttendanceError, MonthPay, WorkDay};
///
/// let policy = Policy::example("education")?;
/// let regular = policy.shift_ref("regular").unwrap();
/// let absent = |d| WorkDay { date: NaiveDate::from_ymd_opt(2026, 3, d).unwrap(), shift: regular,
///     clock_in: None, clock_out: None, overtime_approved: false };
/// let pay = MonthPay { base_wage: "2000000000000000000000000000".parse()?, gross: 0.into() };
/// let month = AgentMonth { agent: "li".into(), year: 2026, month: 3,
///     days: vec![absent(2), absent(3), absent(4)], leave: vec![], pay: Some(pay) };
/// // Three absent days in a row cost half the base wage, which is too large.
/// let Err(AttendanceError::Overflow { error, .. }) = policy.attendance_report(&month) else { panic!() };
/// assert_eq!(error.to_string(), "50% of base wage `2000000000000000000000000000` overflows");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
#[error("{what} {}", beyond(*.limit))]
pub struct Overflow {
    what: String,
    limit: Decimal,
}

fn beyond(limit: Decimal) -> String {
    if limit == Decimal::MAX {
        "overflows".to_owned()
    } else {
        format!("is more than `{limit}`, the largest amount kept to the fen")
    }
}

impl Overflow {
    /// A computation past the largest decimal.
    pub(crate) fn new(what: impl Into<String>) -> Self {
        Self {
            what: what.into(),
            limit: Decimal::MAX,
        }
    }

    /// What was being computed, with its values: 50% of base wage
    /// \`2000000000000000000000000000\`.
    pub fn what(&self) -> &str {
        &self.what
    }

    /// The limit crossed: [`Decimal::MAX`], or [`LARGEST_LINE`].
    pub fn limit(&self) -> Decimal {
        self.limit
    }
}

/// A zero without its sign: `-0.00` is `0.00`, so that no fine reads `-0.00`.
pub(crate) fn unsigned_zero(mut amount: Decimal) -> Decimal {
    if amount.is_zero() {
        amount.set_sign_positive(true);
    }
    amount
}

/// `each × count`, or what overflowed (`the late deduction `20` × 3`).
pub(crate) fn times(each: Decimal, count: Decimal, what: &str) -> Result<Decimal, Overflow> {
    each.checked_mul(count)
        .map(unsigned_zero)
        .ok_or_else(|| Overflow::new(format!("{what} `{each}` × {count}")))
}

/// `percent`% of `base`, or what overflowed (`50% of base wage `…``).
pub(crate) fn percent_of(percent: Decimal, base: Decimal, what: &str) -> Result<Decimal, Overflow> {
    base.checked_mul(percent)
        .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
        .map(unsigned_zero)
        .ok_or_else(|| Overflow::new(format!("{}% of {what} `{base}`", percent.normalize())))
}

/// `amount × part ÷ whole`, or what overflowed (`the kpi bonus pool `…` ×
/// 91 ÷ 130`); `whole` is above zero.
pub(crate) fn share(
    amount: Decimal,
    part: Decimal,
    whole: Decimal,
    what: &str,
) -> Result<Decimal, Overflow> {
    amount
        .checked_mul(part)
        .and_then(|x| x.checked_div(whole))
        .map(unsigned_zero)
        .ok_or_else(|| Overflow::new(format!("{what} `{amount}` × {part} ÷ {whole}")))
}

/// `a + b`, or what overflowed (`the adjustments `…` + `…``).
pub(crate) fn plus(a: Decimal, b: Decimal, what: &str) -> Result<Decimal, Overflow> {
    a.checked_add(b)
        .map(unsigned_zero)
        .ok_or_else(|| Overflow::new(format!("{what} `{a}` + `{b}`")))
}

/// `a − b`, or what overflowed.
pub(crate) fn minus(a: Decimal, b: Decimal, what: &str) -> Result<Decimal, Overflow> {
    a.checked_sub(b)
        .map(unsigned_zero)
        .ok_or_else(|| Overflow::new(format!("{what} `{a}` − `{b}`")))
}

/// The sum of `amounts`, or the two terms that overflowed (`the month's
/// deductions `…` + `…``).
pub(crate) fn total(
    amounts: impl IntoIterator<Item = Decimal>,
    what: &str,
) -> Result<Decimal, Overflow> {
    amounts
        .into_iter()
        .try_fold(Decimal::ZERO, |sum, amount| plus(sum, amount, what))
}

/// `amount` if one line of a statement may hold it ([`LARGEST_LINE`]).
pub(crate) fn within_line(amount: Decimal, what: &str) -> Result<Decimal, Overflow> {
    // Its digits no more than the limit's (a whole number): within, as
    // nearly every amount is, without scaling one to the other.
    let limit = LARGEST_LINE.mantissa().unsigned_abs();
    if amount.mantissa().unsigned_abs() > limit && amount.abs() > LARGEST_LINE {
        return Err(Overflow {
            what: format!("{what} `{amount}`"),
            limit: LARGEST_LINE,
        });
    }
    Ok(amount)
}

/// How often the worst month charges an amount (see [`LARGEST_LINE`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Charged {
    /// Once a day: a late, an early leave, an incident of one kind.
    Daily,
    /// The absence rate: every late and early leave converted.
    Converted,
    /// Once a month: a pay line, a bonus, an award.
    Monthly,
}

impl Charged {
    fn times(self) -> u32 {
        match self {
            Self::Daily => 31,
            Self::Converted => 62,
            Self::Monthly => 1,
        }
    }

    fn words(self) -> &'static str {
        match self {
            Self::Daily => "charged on each day of a 31-day month",
            Self::Converted => {
                "charged 62 times in a month (a late and an early leave on each of 31 days, each converted to an absence)"
            }
            Self::Monthly => "on one line",
        }
    }
}

/// Reports an amount stated at `node` whose worst month ([`LARGEST_LINE`])
/// would pass what a statement line holds; the amount is kept either way
/// (a zero without its sign), so the rest of the section is checked as
/// written.
pub(crate) fn check_worst_month(
    ld: &mut Loader,
    node: &Node<'_, '_>,
    amount: Decimal,
    charged: Charged,
) -> Decimal {
    let times = Decimal::from(charged.times());
    let fits = amount
        .abs()
        .checked_mul(times)
        .is_some_and(|worst| worst <= LARGEST_LINE);
    if !fits {
        let path = node.path();
        let most = (LARGEST_LINE / times).trunc_with_scale(2).normalize();
        ld.error(
            ProblemCode::OutOfRange,
            node.span(),
            &path,
            format!(
                "`{path}` is `{amount}`, too large for a month: {} it passes `{LARGEST_LINE}`, the largest amount a statement keeps to the fen",
                charged.words()
            ),
        )
        .help(format!("write an amount of at most `{most}`"));
    }
    unsigned_zero(amount)
}

/// Reads the amount under `key` (required), checked against its worst month.
pub(crate) fn req_charged(
    table: &mut Table<'_, '_>,
    ld: &mut Loader,
    key: &'static str,
    charged: Charged,
) -> Option<Decimal> {
    let amount = table.req_amount(ld, key);
    worst_month_of(table, ld, key, amount, charged)
}

/// Reads the amount under `key`, if present, checked against its worst month.
pub(crate) fn opt_charged(
    table: &mut Table<'_, '_>,
    ld: &mut Loader,
    key: &'static str,
    charged: Charged,
) -> Option<Decimal> {
    let amount = table.opt_amount(ld, key);
    worst_month_of(table, ld, key, amount, charged)
}

fn worst_month_of(
    table: &mut Table<'_, '_>,
    ld: &mut Loader,
    key: &'static str,
    amount: Option<Decimal>,
    charged: Charged,
) -> Option<Decimal> {
    let amount = amount?;
    match table.node(key) {
        Some(node) => Some(check_worst_month(ld, &node, amount, charged)),
        None => Some(amount),
    }
}

/// A fund that deductions or fines go to (the department's reward fund, or
/// the activity fund, collected by finance and published).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fund {
    reference: FundRef,
    clause: ClauseRef,
}

impl Fund {
    /// The fund's id in the policy file (`[funds.<id>]`).
    pub fn id(&self) -> &str {
        self.reference.id()
    }

    /// A reference to the fund, as results carry it.
    pub fn reference(&self) -> FundRef {
        self.reference
    }

    /// The clause that defines the fund.
    pub fn clause(&self) -> ClauseRef {
        self.clause
    }
}

/// A reference to one of the policy's funds: `Copy`, written as the fund's
/// id, resolved with [`Policy::fund`](crate::Policy::fund).
///
/// ```
/// let policy = cs_policy::Policy::example("education")?;
/// let fund = policy.funds()[0].reference();
/// assert_eq!(serde_json::to_string(&fund)?, format!("\"{}\"", fund.id()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub type FundRef = crate::explain::Ref<Fund>;

/// The `[funds]` section: every fund an amount may be paid into.
#[derive(Debug, Clone, Default)]
pub(crate) struct Funds {
    pub(crate) list: Vec<Fund>,
}

impl Funds {
    pub(crate) fn read(root: &mut Table<'_, '_>, ld: &mut Loader) -> Self {
        let mut list = Vec::new();
        for (id, mut table) in root.ids(ld, "funds") {
            let clause = ld.clause(&mut table);
            table.finish(ld);
            list.push(Fund {
                reference: FundRef::new(&id.value, list.len(), ld.clauses.tag()),
                clause,
            });
        }
        Self { list }
    }

    /// Resolves a fund id written somewhere in the file, reporting an
    /// undefined one with the ids that exist.
    #[allow(dead_code)] // used by the sections that pay into funds
    pub(crate) fn resolve(&self, ld: &mut Loader, id: &Located<String>) -> Option<FundRef> {
        match self.list.iter().find(|f| f.id() == id.value) {
            Some(fund) => Some(fund.reference),
            None => {
                let ids = || self.list.iter().map(|f| f.id()).collect();
                let hint = ld.suggestions.hint(&id.value, self.list.len(), ids);
                let reported = ld.error(
                    ProblemCode::UndefinedReference,
                    id.span.clone(),
                    &id.path,
                    format!(
                        "`{}` names fund `{}`, which `[funds]` does not define",
                        id.path, id.value
                    ),
                );
                match hint {
                    Hint::Known(ids) if ids.is_empty() => {
                        reported.help(format!("define it: `[funds.{}]`", id.value))
                    }
                    hint => reported.help(hint.help("funds", "[funds]")),
                }
                None
            }
        }
    }

    /// The fund, found at once when this policy made the reference, by id
    /// when it was read back; another policy's is not found.
    pub(crate) fn get(&self, fund: FundRef, tag: crate::explain::PolicyTag) -> Option<&Fund> {
        if fund.foreign_to(tag) {
            return None;
        }
        match fund.index_in(tag).and_then(|i| self.list.get(i)) {
            Some(found) if found.reference == fund => Some(found),
            _ => self.list.iter().find(|f| f.reference == fund),
        }
    }
}
