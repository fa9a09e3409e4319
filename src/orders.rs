//! Orders: flag colours, remark order, commission attribution and shop promises (O1–O6, R1–R3).
//!
//! The `[orders]` section of a policy file.

use crate::Policy;
use crate::explain::ClauseRef;
use crate::policy::read::{Loader, Table};

/// The `[orders]` section of a policy.
#[derive(Debug, Clone)]
pub struct OrderRules {
    clause: ClauseRef,
}

impl OrderRules {
    /// The clause of the `[orders]` table itself.
    pub fn clause(&self) -> ClauseRef {
        self.clause
    }

    pub(crate) fn read(table: &mut Table<'_, '_>, ld: &mut Loader, _policy: &Policy) -> Self {
        Self {
            clause: ld.clause(table),
        }
    }
}
