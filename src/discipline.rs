//! Escalation ladders: fines, rewards, warnings, actions and funds (F1–F9).
//!
//! The `[discipline]` section of a policy file.

use crate::Policy;
use crate::explain::ClauseRef;
use crate::policy::read::{Loader, Table};

/// The `[discipline]` section of a policy.
#[derive(Debug, Clone)]
pub struct DisciplineRules {
    clause: ClauseRef,
}

impl DisciplineRules {
    /// The clause of the `[discipline]` table itself.
    pub fn clause(&self) -> ClauseRef {
        self.clause
    }

    pub(crate) fn read(table: &mut Table<'_, '_>, ld: &mut Loader, _policy: &Policy) -> Self {
        Self {
            clause: ld.clause(table),
        }
    }
}
