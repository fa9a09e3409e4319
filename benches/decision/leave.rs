//! The leave decisions beside their hand-written twins.

use criterion::Criterion;

pub fn bench(_c: &mut Criterion) {}
