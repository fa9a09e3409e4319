//! One-decision calls (issue 16) beside the same rule written by hand in
//! this file: "is this day late?", "which band is this score in?", "what
//! does the n-th complaint cost?", "what leave is this request worth?",
//! "when is the next call due?", "what flag does this order get?". Each
//! call returns its outcome with its clause, as the month evaluations use
//! it; the hand-written twin returns the same answer for the shipped
//! policy's numbers, as a floor to compare with.
//!
//! `cargo bench --bench decision`

use criterion::{criterion_group, criterion_main};

#[path = "decision/attendance.rs"]
mod attendance;
#[path = "decision/discipline.rs"]
mod discipline;
#[path = "decision/followup.rs"]
mod followup;
#[path = "decision/kpi.rs"]
mod kpi;
#[path = "decision/leave.rs"]
mod leave;
#[path = "decision/orders.rs"]
mod orders;

criterion_group!(
    decisions,
    attendance::bench,
    kpi::bench,
    discipline::bench,
    leave::bench,
    followup::bench,
    orders::bench
);
criterion_main!(decisions);
