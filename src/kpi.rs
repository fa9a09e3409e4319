//! KPI scorecards, weights and grade bands (K1–K8, K14).
//!
//! The `[kpi]` section of a policy file.

use crate::Policy;
use crate::explain::ClauseRef;
use crate::policy::read::{Loader, Table};

/// The `[kpi]` section of a policy.
#[derive(Debug, Clone)]
pub struct KpiRules {
    clause: ClauseRef,
}

impl KpiRules {
    /// The clause of the `[kpi]` table itself.
    pub fn clause(&self) -> ClauseRef {
        self.clause
    }

    pub(crate) fn read(table: &mut Table<'_, '_>, ld: &mut Loader, _policy: &Policy) -> Self {
        Self {
            clause: ld.clause(table),
        }
    }
}
