//! The diagnostics core of manifest-lint.
pub mod facts;
