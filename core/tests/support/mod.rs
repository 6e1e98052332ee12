//! Helpers shared by test binaries that say `mod support;`.

pub mod fault;
