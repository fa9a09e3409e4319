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
use crate::policy::read::{Choice, Loader, Located, Table};

/// How a half-way amount is rounded.
///
/// `rust_decimal`'s own `round_dp` rounds half to even, which is not what a
/// payroll clerk expects, so the mode is always named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundingMode {
    /// 0.125 → 0.13, −0.125 → −0.13 (the default).
    HalfAwayFromZero,
    /// 0.125 → 0.12, 0.135 → 0.14 (banker's rounding).
    HalfEven,
    /// Always towards zero: 0.129 → 0.12.
    TowardZero,
    /// Always away from zero: 0.121 → 0.13.
    AwayFromZero,
}

impl Choice for RoundingMode {
    const WHAT: &'static str = "a rounding mode";
    const CHOICES: &'static [(&'static str, Self)] = &[
        ("half_away_from_zero", Self::HalfAwayFromZero),
        ("half_even", Self::HalfEven),
        ("toward_zero", Self::TowardZero),
        ("away_from_zero", Self::AwayFromZero),
    ];
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

    /// Rounds an amount as the policy says.
    pub fn round(&self, amount: Decimal) -> Decimal {
        amount.round_dp_with_strategy(self.decimals, self.mode.strategy())
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

/// A fund that deductions or fines go to (A8: the department's reward fund;
/// F1: the activity fund, collected by finance and published).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fund {
    id: Box<str>,
    clause: ClauseRef,
}

impl Fund {
    /// The fund's id in the policy file (`[funds.<id>]`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The clause that defines the fund.
    pub fn clause(&self) -> ClauseRef {
        self.clause
    }
}

/// A reference to one of the policy's funds; copyable, resolved with
/// [`Policy::fund`](crate::Policy::fund). In JSON it is the fund's index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(transparent)]
pub struct FundRef(u16);

// The bare index, as `#[serde(transparent)]` would; while a case runner
// records (feature `testing`), the fund's id, noting its clause as cited.
impl Serialize for FundRef {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[cfg(feature = "testing")]
        if let Some(id) = crate::explain::recorder::cite_fund(self.0) {
            return serializer.serialize_str(&id);
        }
        serializer.serialize_u16(self.0)
    }
}

impl FundRef {
    /// The fund's position in [`Policy::funds`](crate::Policy::funds).
    pub const fn index(self) -> usize {
        self.0 as usize
    }
}

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
                id: id.value.into_boxed_str(),
                clause,
            });
        }
        Self { list }
    }

    /// Resolves a fund id written somewhere in the file, reporting an
    /// undefined one with the ids that exist.
    #[allow(dead_code)] // used by the sections that pay into funds
    pub(crate) fn resolve(&self, ld: &mut Loader, id: &Located<String>) -> Option<FundRef> {
        let found = self.list.iter().position(|f| *f.id == *id.value);
        match found.and_then(|i| u16::try_from(i).ok()) {
            Some(i) => Some(FundRef(i)),
            None => {
                let ids: Vec<&str> = self.list.iter().map(|f| f.id()).collect();
                let reported = ld.error(
                    ProblemCode::UndefinedReference,
                    id.span.clone(),
                    &id.path,
                    format!(
                        "`{}` names fund `{}`, which `[funds]` does not define",
                        id.path, id.value
                    ),
                );
                match crate::policy::read::closest(&id.value, &ids) {
                    Some(best) => reported.help(format!("did you mean `{best}`?")),
                    None if ids.is_empty() => {
                        reported.help(format!("define it: `[funds.{}]`", id.value))
                    }
                    None => reported.help(format!("defined funds: `{}`", ids.join("`, `"))),
                }
                None
            }
        }
    }

    pub(crate) fn get(&self, fund: FundRef) -> Option<&Fund> {
        self.list.get(fund.index())
    }
}
