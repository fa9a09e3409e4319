//! The leave decisions allocate nothing.
