//! Leave types, entitlements, notice, paperwork and conversion of excess days (L1–L11).
//!
//! The `[leave]` section of a policy file.

use crate::Policy;
use crate::explain::ClauseRef;
use crate::policy::read::{Loader, Table};

/// The `[leave]` section of a policy.
#[derive(Debug, Clone)]
pub struct LeaveRules {
    clause: ClauseRef,
}

impl LeaveRules {
    /// The clause of the `[leave]` table itself.
    pub fn clause(&self) -> ClauseRef {
        self.clause
    }

    pub(crate) fn read(table: &mut Table<'_, '_>, ld: &mut Loader, _policy: &Policy) -> Self {
        Self {
            clause: ld.clause(table),
        }
    }
}
