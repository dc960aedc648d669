//! `cargo +nightly fuzz run fix_all`: the fix engine on arbitrary input never produces text
//! that is not strict JSON (see `../invariants.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../invariants.rs"]
mod invariants;

fuzz_target!(|data: &[u8]| invariants::check_fix(data));
