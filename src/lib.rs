//! # cs-policy
//!
//! A customer-service department's rulebook as typed data and pure
//! evaluation functions: shift times (night shifts that end after midnight
//! included), leave types with their notice and paperwork, attendance
//! penalties and streaks, escalating fines, KPI scorecards, grade bands and
//! bonus formulas, order flags and follow-up call schedules.
//!
//! A policy is one TOML file. [`Policy::from_path`] reads it and reports
//! **every** problem it finds, each with file, line, column, field and a
//! stable code; a file without problems becomes a [`Policy`], which cannot
//! hold an invalid state. Evaluation functions take the policy and the facts
//! and return outcomes; each outcome carries a [`ClauseRef`] naming the
//! clause that produced it, which [`Policy::cite`] shows with its label and
//! the handbook text it comes from.
//!
//! ```
//! use chrono::NaiveDate;
//! use cs_policy::Policy;
//!
//! let policy = Policy::example("shop")?;
//! let day = policy.calendar().day(NaiveDate::from_ymd_opt(2026, 2, 14).unwrap())?;
//! // A Saturday worked to make up for the Spring Festival holiday.
//! assert!(day.kind.is_working());
//! println!("{:?} because {}", day.kind, policy.cite(day.clause)?);
//! // The calendar covers the years of its holiday calendars, and no more.
//! assert!(policy.calendar().day(NaiveDate::from_ymd_opt(2027, 2, 8).unwrap()).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! One module per domain, each owning its TOML section, its model, its
//! validation and its evaluation functions (added to [`Policy`]):
//!
//! | module | section | evaluates |
//! |---|---|---|
//! | [`calendar`] | `[calendar]`, `calendars/*.toml` | working days, holidays, make-up working days, the years covered |
//! | [`shift`] | `[shifts]` | shift hours, roster checks (rest, staffing) |
//! | [`attendance`] | `[attendance]` | punches → day statuses → a month's penalties and streaks |
//! | [`leave`] | `[leave]` | leave requests: entitlement, notice, paperwork, the year cap |
//! | [`discipline`] | `[discipline]` | escalation ladders: fines, rewards, actions, funds |
//! | [`kpi`] | `[kpi]` | scorecards, weights, grade bands |
//! | [`pay`] | `[pay]` | bonus formulas, pay lines, star levels across months |
//! | [`orders`] | `[orders]` | flag colours, remarks, commission, shop promises |
//! | [`followup`] | `[followup]` | call schedules, quotas, response promises |
//!
//! [`statement`] joins them into each agent's monthly statement from a
//! [`Scenario`] (a month's facts); [`diff`] and [`boundary`] say what changes
//! between two versions of a policy; the `testing` feature runs a policy's
//! test cases with clause coverage and mutants (small edits of the policy
//! the cases must catch), and the `schema` feature prints the JSON
//! Schema of the format.
//!
//! Money is [`rust_decimal::Decimal`] and is rounded only where the policy
//! says ([`Rounding`]); civil time is `chrono`'s naive types.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

/// The `chrono` this crate's API takes dates and times from, so a program
/// need not depend on it itself.
pub use chrono;
/// The `rust_decimal` this crate's API takes amounts from.
pub use rust_decimal;

pub mod attendance;
pub mod boundary;
pub mod calendar;
pub mod diff;
pub mod discipline;
pub mod explain;
pub mod facts;
pub mod followup;
pub mod kpi;
pub mod leave;
pub mod money;
pub mod orders;
pub mod pay;
pub mod policy;
pub mod scenario;
#[cfg(feature = "schema")]
pub mod schema;
pub mod shift;
pub mod statement;
pub mod stream;
#[cfg(feature = "testing")]
pub mod testing;

pub use boundary::{Boundaries, BoundaryExample};
pub use calendar::{
    Calendar, CalendarDay, CalendarError, DayCount, DayKind, Holiday, HolidayCalendar,
};
pub use diff::{DiffError, PolicyDiff};
pub use explain::{Citation, CiteError, Clause, ClauseRef, Ref};
pub use money::{Fund, FundRef, Rounding, RoundingMode};
pub use policy::{
    DEFAULT_SIZE_LIMIT, Diagnostic, EARLIEST_EFFECTIVE, EXAMPLES, FORMAT_VERSION, LoadError, Meta,
    Policy, PolicyStamp, ProblemCode, Problems, read_file,
};
pub use scenario::Scenario;
#[cfg(feature = "schema")]
pub use schema::policy_schema;
pub use statement::{AgentStatement, TeamStatement};

// The README's example is compiled and run with the doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExample;
