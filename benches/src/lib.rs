//! Benchmarks of Stockbook.
