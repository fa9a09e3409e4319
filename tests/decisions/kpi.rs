//! The kpi decisions allocate nothing.
