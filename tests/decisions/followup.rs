//! The followup decisions allocate nothing.
