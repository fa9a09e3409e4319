//! Bonus formulas, pay lines and star levels across months (K4, K9–K16).
//!
//! The `[pay]` section of a policy file.

use crate::Policy;
use crate::explain::ClauseRef;
use crate::policy::read::{Loader, Table};

/// The `[pay]` section of a policy.
#[derive(Debug, Clone)]
pub struct PayRules {
    clause: ClauseRef,
}

impl PayRules {
    /// The clause of the `[pay]` table itself.
    pub fn clause(&self) -> ClauseRef {
        self.clause
    }

    pub(crate) fn read(table: &mut Table<'_, '_>, ld: &mut Loader, _policy: &Policy) -> Self {
        Self {
            clause: ld.clause(table),
        }
    }
}
