//! Attendance: punches to day status to a month of penalties and streaks (A1–A10).
//!
//! The `[attendance]` section of a policy file.

use crate::Policy;
use crate::explain::ClauseRef;
use crate::policy::read::{Loader, Table};

/// A day the agent is on leave, as the leave rules decided it: approved leave
/// classifies as leave; leave that was not approved in the required way is
/// treated as absence (A7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LeaveDay {
    /// The date on leave.
    pub date: chrono::NaiveDate,
    /// Whether the leave was approved with every requirement met.
    pub approved: bool,
}

/// The `[attendance]` section of a policy.
#[derive(Debug, Clone)]
pub struct AttendanceRules {
    clause: ClauseRef,
}

impl AttendanceRules {
    /// The clause of the `[attendance]` table itself.
    pub fn clause(&self) -> ClauseRef {
        self.clause
    }

    pub(crate) fn read(table: &mut Table<'_, '_>, ld: &mut Loader, _policy: &Policy) -> Self {
        Self {
            clause: ld.clause(table),
        }
    }
}
