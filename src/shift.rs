//! Shifts, rosters and rest rules (S1–S10).
//!
//! The `[shifts]` section of a policy file.

use crate::Policy;
use crate::explain::ClauseRef;
use crate::policy::read::{Loader, Table};

/// The `[shifts]` section of a policy.
#[derive(Debug, Clone)]
pub struct ShiftRules {
    clause: ClauseRef,
}

impl ShiftRules {
    /// The clause of the `[shifts]` table itself.
    pub fn clause(&self) -> ClauseRef {
        self.clause
    }

    pub(crate) fn read(table: &mut Table<'_, '_>, ld: &mut Loader, _policy: &Policy) -> Self {
        Self {
            clause: ld.clause(table),
        }
    }
}
