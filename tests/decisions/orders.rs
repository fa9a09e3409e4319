//! The orders decisions allocate nothing.
