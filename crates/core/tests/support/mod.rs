//! Pieces several of the core's test files share (each includes this with `mod support;`).
#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;

/// `../shared/<what>` beside the repository, or under `$MANIFEST_LINT_SHARED` when set (to point
/// at another copy, or at nothing to see the skip). When it is absent, says so on stderr as
/// `SKIPPED <test>: ...` and gives `None`.
pub fn shared(what: &str, test: &str) -> Option<PathBuf> {
    let root = std::env::var_os("MANIFEST_LINT_SHARED").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
        PathBuf::from,
    );
    let dir = root.join(what);
    if dir.is_dir() {
        Some(dir)
    } else {
        // Straight to stderr, not `eprintln!`: the test harness captures the macros' output of a
        // passing test, and this line must be seen.
        let _ = writeln!(
            std::io::stderr().lock(),
            "SKIPPED {test}: {} is absent (the shared corpus of real projects sits beside the \
             repository only in CI and the development workspace)",
            dir.display()
        );
        None
    }
}

/// A small deterministic generator (xorshift64*), so that a failure is reproducible.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    /// One of `items` (not empty).
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}
