//! What `--fix` promises for any input, checked by the fuzz target `fix_all` (with
//! cargo-fuzz, on nightly) and by `crates/core/tests/fuzz_fix.rs` (on stable, over the fixtures
//! and deterministic mutations of them). Included by path from both, so they check the same.

use manifest_lint_core::LintOptions;
use manifest_lint_core::fix::{FixOptions, fix_all};

/// Runs the fix engine on `bytes` (when they are UTF-8), with safe fixes and with unsafe ones,
/// and panics when a promise is broken:
/// - a text the engine changed is strict JSON (checked with serde_json, not with the engine's
///   own parser), so `--fix` never writes anything else;
/// - a strict JSON input stays strict JSON;
/// - a change is reported exactly when the text changed.
pub fn check_fix(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let strict = |t: &str| serde_json::from_str::<serde::de::IgnoredAny>(t).is_ok();
    let strict_before = strict(text);
    for unsafe_fixes in [false, true] {
        let options = FixOptions {
            unsafe_fixes,
            ..Default::default()
        };
        let outcome = fix_all(text, &LintOptions::default(), &options);
        assert_eq!(
            outcome.changed(),
            outcome.text != text,
            "a change is reported exactly when the text changed\ninput: {text:?}\noutput: {:?}",
            outcome.text
        );
        if outcome.changed() {
            assert!(
                strict(&outcome.text),
                "fixed text is not strict JSON (unsafe fixes: {unsafe_fixes})\ninput: {text:?}\noutput: {:?}",
                outcome.text
            );
        }
        if strict_before {
            assert!(
                strict(&outcome.text),
                "strict JSON was broken\ninput: {text:?}"
            );
        }
    }
}
