//! The core's fix engine on every fixture, with safe fixes only and with unsafe ones too:
//! - every change lies inside an edit of a fix that was applied (checked pass by pass with a
//!   character diff), so indentation, key order and everything else stay byte for byte;
//! - strict JSON stays strict JSON, and a changed text is always strict JSON;
//! - the same fixes on the fixture with CRLF line breaks give the same result with CRLF line
//!   breaks, and no bare LF appears;
//! - running the engine on its own output applies nothing;
//! - every rule whose fixture offers a fix gets it applied.

use std::collections::BTreeSet;
use std::path::PathBuf;

use manifest_lint_core::fix::{FixOptions, applicable, apply_fixes, fix_all};
use manifest_lint_core::{LintOptions, Span, lint};

fn fixtures() -> Vec<(String, String)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let mut out = Vec::new();
    for rule in std::fs::read_dir(&root).unwrap() {
        let rule = rule.unwrap().path();
        for file in std::fs::read_dir(&rule).unwrap() {
            let file = file.unwrap().path();
            let name = file.file_name().unwrap().to_str().unwrap().to_string();
            if !name.ends_with(".json") || name.ends_with(".lock.json") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            let shown = format!("{}/{name}", rule.file_name().unwrap().to_str().unwrap());
            out.push((shown, text));
        }
    }
    out.sort();
    assert!(out.len() > 40, "fixtures found: {}", out.len());
    out
}

fn is_strict(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text).is_ok()
}

/// Runs the passes by hand and checks that each changes only bytes inside its edits; returns the
/// final text.
fn fix_by_hand(name: &str, text: &str, options: &FixOptions) -> String {
    let mut current = text.to_string();
    // The engine ends on strict JSON or on the input: the last strict text of the passes.
    let mut last_strict = text.to_string();
    for _ in 0..manifest_lint_core::fix::MAX_PASSES {
        let analysis = lint(&current, &LintOptions::default());
        let fixes: Vec<_> = analysis
            .diagnostics
            .iter()
            .filter_map(|d| applicable(d, options))
            .collect();
        let (next, accepted) = apply_fixes(&current, &fixes);
        if accepted.is_empty() || next == current {
            break;
        }
        let edits: Vec<Span> = accepted
            .iter()
            .flat_map(|&i| fixes[i].edits.iter().map(|e| e.span))
            .collect();
        let diff = similar::TextDiff::from_chars(current.as_str(), next.as_str());
        for op in diff.ops() {
            if matches!(op.tag(), similar::DiffTag::Equal) {
                continue;
            }
            // The changed old range in bytes.
            let old = op.old_range();
            let start: usize = current.chars().take(old.start).map(char::len_utf8).sum();
            let end: usize = start
                + current
                    .chars()
                    .skip(old.start)
                    .take(old.len())
                    .map(char::len_utf8)
                    .sum::<usize>();
            assert!(
                edits.iter().any(|e| e.start <= end && start <= e.end),
                "{name}: bytes {start}..{end} changed outside every edit {edits:?}\n{current}\n=>\n{next}"
            );
        }
        current = next;
        if is_strict(&current) {
            last_strict = current.clone();
        }
    }
    if is_strict(&current) {
        current
    } else {
        last_strict
    }
}

#[test]
fn fixes_keep_everything_outside_their_edits() {
    let mut fixed_rules: BTreeSet<&str> = BTreeSet::new();
    let mut offered_rules: BTreeSet<&str> = BTreeSet::new();
    for (name, text) in fixtures() {
        for options in [
            FixOptions::default(),
            FixOptions {
                unsafe_fixes: true,
                ..Default::default()
            },
        ] {
            let outcome = fix_all(&text, &LintOptions::default(), &options);
            for d in &lint(&text, &LintOptions::default()).diagnostics {
                if d.fix.is_some() {
                    offered_rules.insert(d.rule.id);
                }
            }
            fixed_rules.extend(outcome.applied.keys());
            assert_eq!(
                outcome.changed(),
                outcome.text != text,
                "{name}: a change is reported exactly when the text changed"
            );
            if outcome.changed() {
                assert!(
                    is_strict(&outcome.text),
                    "{name}: the fixed text is not strict JSON:\n{}",
                    outcome.text
                );
            }
            if is_strict(&text) {
                assert!(
                    is_strict(&outcome.text),
                    "{name}: broke the JSON:\n{}",
                    outcome.text
                );
            }
            assert_eq!(
                fix_by_hand(&name, &text, &options),
                outcome.text,
                "{name}: the engine matches its passes"
            );
            let again = fix_all(&outcome.text, &LintOptions::default(), &options);
            assert!(
                !again.changed(),
                "{name}: a second run applied {:?}",
                again.applied
            );
            // What remains is what the final text has.
            let remaining: Vec<_> = lint(&outcome.text, &LintOptions::default())
                .diagnostics
                .into_iter()
                .map(|d| (d.rule.id, d.span))
                .collect();
            let reported: Vec<_> = outcome
                .analysis
                .diagnostics
                .iter()
                .map(|d| (d.rule.id, d.span))
                .collect();
            assert_eq!(remaining, reported, "{name}");

            // CRLF: same fixes, CRLF kept.
            if !text.contains('\r') {
                let crlf = text.replace('\n', "\r\n");
                let crlf_outcome = fix_all(&crlf, &LintOptions::default(), &options);
                assert_eq!(
                    crlf_outcome.text.replace("\r\n", "\n"),
                    outcome.text,
                    "{name}: CRLF changes the fixes"
                );
                assert!(
                    !crlf_outcome.text.replace("\r\n", "").contains('\n'),
                    "{name}: a bare LF appeared"
                );
                assert_eq!(crlf_outcome.applied, outcome.applied, "{name}");
            }
        }
    }
    assert!(
        offered_rules.len() >= 12,
        "fixable rules in the fixtures: {offered_rules:?}"
    );
    let unapplied: Vec<_> = offered_rules.difference(&fixed_rules).collect();
    assert!(
        unapplied.is_empty(),
        "rules whose fixture fixes were never applied: {unapplied:?}"
    );
}

#[test]
fn a_final_newline_or_its_absence_is_kept() {
    let text = "{\n  \"scopedRegistries\": [{\"name\": \"E\", \"url\": \"https://npm.example.com\", \"scopes\": [\"com.example\", \"com.example\"]}]\n}";
    for end in ["", "\n", "\r\n\r\n"] {
        let input = format!("{text}{end}");
        let outcome = fix_all(&input, &LintOptions::default(), &FixOptions::default());
        assert!(outcome.changed());
        assert!(
            outcome.text.ends_with(&format!("}}{end}")),
            "{:?}",
            outcome.text
        );
    }
}
