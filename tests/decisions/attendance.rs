//! The attendance decisions allocate nothing.
