//! Attendance: punches to day status to a month of penalties and streaks (A1–A10).
//!
//! The `[attendance]` section of a policy file.

use crate::Policy;
use crate::explain::ClauseRef;
use crate::policy::read::{Loader, Table};

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
