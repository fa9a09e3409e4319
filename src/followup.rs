//! Follow-up call schedules, call quotas and response-time promises (C1–C12).
//!
//! The `[followup]` section of a policy file.

use crate::Policy;
use crate::explain::ClauseRef;
use crate::policy::read::{Loader, Table};

/// The `[followup]` section of a policy.
#[derive(Debug, Clone)]
pub struct FollowupRules {
    clause: ClauseRef,
}

impl FollowupRules {
    /// The clause of the `[followup]` table itself.
    pub fn clause(&self) -> ClauseRef {
        self.clause
    }

    pub(crate) fn read(table: &mut Table<'_, '_>, ld: &mut Loader, _policy: &Policy) -> Self {
        Self {
            clause: ld.clause(table),
        }
    }
}
