//! Security layer benchmarks (filled in below).
fn main() {}
