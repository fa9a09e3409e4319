//! The discipline decisions allocate nothing.
