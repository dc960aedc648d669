//! The fix engine: lint, apply every applicable fix that does not collide with another, lint
//! again, until nothing is left to apply. Pure: text in, text out. `manifest-lint check --fix`
//! and the language server's "Fix all" both call [`fix_all`]; single quick fixes use the same
//! [`Fix`] objects through [`Fix::apply`].
//!
//! Guarantees:
//! - every byte outside an applied edit is kept (indentation, key order, line endings, a final
//!   newline or its absence); replacement text that contains `\n` gets `\r\n` instead when the
//!   text's line breaks are CRLF;
//! - a text that is strict JSON stays strict JSON: a pass whose result is not is undone and its
//!   fixes are tried one at a time;
//! - the result is strict JSON or nothing is applied: when the passes end on a text that is not
//!   (a syntax problem no fix mends), the engine goes back to the last strict text it reached,
//!   else to the input, and counts the fixes it took back in [`FixOutcome::withheld`];
//! - fixes whose edits touch (an insertion at the edge of a deletion) are not applied in the
//!   same pass: their order would be a guess;
//! - the engine stops after [`MAX_PASSES`] passes, when a pass applies nothing, or when it would
//!   produce a text already seen, so running it on its own output applies nothing.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::text::Span;
use crate::{Analysis, LintOptions, lint};

/// The most lint-and-fix passes one call makes.
pub const MAX_PASSES: usize = 10;

/// Which fixes to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixOptions {
    /// Apply [`Applicability::Unsafe`] fixes too (`--unsafe-fixes`).
    pub unsafe_fixes: bool,
    /// At most this many passes (at least 1 is made).
    pub max_passes: usize,
}

impl Default for FixOptions {
    fn default() -> Self {
        Self {
            unsafe_fixes: false,
            max_passes: MAX_PASSES,
        }
    }
}

/// What [`fix_all`] did.
#[derive(Debug, Clone)]
pub struct FixOutcome {
    /// The fixed text (equal to the input when nothing applied).
    pub text: String,
    /// How many fixes were applied, by rule id.
    pub applied: BTreeMap<&'static str, usize>,
    /// The analysis of [`FixOutcome::text`]: what remains.
    pub analysis: Analysis,
    /// Passes that applied something.
    pub passes: usize,
    /// Fixes that were applied and then undone because the text they left is not strict JSON
    /// (when the input has a syntax problem no fix mends): 0 when the result is strict JSON or
    /// nothing applied. A caller that writes files writes only strict JSON.
    pub withheld: usize,
}

impl FixOutcome {
    /// The number of fixes applied.
    pub fn total(&self) -> usize {
        self.applied.values().sum()
    }

    /// Whether the text changed.
    pub fn changed(&self) -> bool {
        self.total() > 0
    }
}

/// The fix of `diagnostic` when it may be applied automatically with these options.
pub fn applicable<'d>(diagnostic: &'d Diagnostic, options: &FixOptions) -> Option<&'d Fix> {
    diagnostic.fix.as_ref().filter(|f| {
        !f.edits.is_empty() && (f.applicability == Applicability::Safe || options.unsafe_fixes)
    })
}

/// Lints `text`, applies the applicable fixes, and repeats; see the module documentation.
pub fn fix_all(text: &str, lint_options: &LintOptions<'_>, options: &FixOptions) -> FixOutcome {
    let strict_before = is_strict(text);
    let mut current = text.to_string();
    let mut analysis = lint(&current, lint_options);
    let mut applied: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut seen: HashSet<String> = HashSet::from([current.clone()]);
    let mut passes = 0;
    // The last strict JSON text reached, with what had been applied to reach it.
    let mut last_strict: Option<(String, BTreeMap<&'static str, usize>, usize)> = None;
    for _ in 0..options.max_passes.max(1) {
        let candidates: Vec<(&'static str, &Fix)> = analysis
            .diagnostics
            .iter()
            .filter_map(|d| applicable(d, options).map(|f| (d.rule.id, f)))
            .collect();
        if candidates.is_empty() {
            break;
        }
        let fixes: Vec<&Fix> = candidates.iter().map(|(_, f)| *f).collect();
        let (mut next, mut accepted) = apply_fixes(&current, &fixes);
        if strict_before && !is_strict(&next) {
            // A fix (or a combination) broke the JSON: take the first fix that alone does not.
            let alone = accepted.iter().find_map(|&i| {
                let (text, one) = apply_fixes(&current, &fixes[i..=i]);
                (one.len() == 1 && is_strict(&text)).then_some((text, i))
            });
            match alone {
                Some((text, i)) => {
                    next = text;
                    accepted = vec![i];
                }
                None => break,
            }
        }
        if accepted.is_empty() || next == current || !seen.insert(next.clone()) {
            break;
        }
        for &i in &accepted {
            *applied.entry(candidates[i].0).or_default() += 1;
        }
        passes += 1;
        current = next;
        analysis = lint(&current, lint_options);
        if is_strict(&current) {
            last_strict = Some((current.clone(), applied.clone(), passes));
        }
    }
    let mut withheld = 0;
    if passes > 0 && !is_strict(&current) {
        // Never leave a text Unity cannot read: go back to the last strict one of the passes
        // (none when the input was not strict: then nothing is applied).
        let (text, kept_applied, kept_passes) =
            last_strict.unwrap_or_else(|| (text.to_string(), BTreeMap::new(), 0));
        let total = |a: &BTreeMap<&'static str, usize>| a.values().sum::<usize>();
        withheld = total(&applied) - total(&kept_applied);
        analysis = lint(&text, lint_options);
        current = text;
        applied = kept_applied;
        passes = kept_passes;
    }
    FixOutcome {
        text: current,
        applied,
        analysis,
        passes,
        withheld,
    }
}

/// Applies `fixes` in order, skipping any fix whose edits collide with an edit already accepted
/// (or overlap each other, or fall outside the text or inside a character). Returns the new text
/// and the indices of the fixes applied. Linear in the number of edits (up to a logarithm): the
/// accepted edits are kept ordered, and only the neighbours of a new edit are compared with it.
pub fn apply_fixes(text: &str, fixes: &[&Fix]) -> (String, Vec<usize>) {
    let crlf = uses_crlf(text);
    // Accepted edits by (start, end), each with the index of its fix.
    let mut accepted_edits: BTreeMap<(usize, usize), Vec<(usize, Edit)>> = BTreeMap::new();
    let mut accepted = Vec::new();
    'fixes: for (i, fix) in fixes.iter().enumerate() {
        let mut mine: Vec<&Edit> = Vec::with_capacity(fix.edits.len());
        for edit in &fix.edits {
            let span = edit.span;
            if span.start > span.end
                || span.end > text.len()
                || !text.is_char_boundary(span.start)
                || !text.is_char_boundary(span.end)
            {
                continue 'fixes;
            }
            // Edits of one fix were made together: only a real overlap between them is wrong.
            if mine.iter().any(|other| overlap(other, edit))
                || collides_with_accepted(&accepted_edits, edit)
            {
                continue 'fixes;
            }
            mine.push(edit);
        }
        for e in mine {
            accepted_edits
                .entry((e.span.start, e.span.end))
                .or_default()
                .push((
                    i,
                    Edit {
                        span: e.span,
                        replacement: adapt_line_endings(&e.replacement, crlf).into_owned(),
                    },
                ));
        }
        accepted.push(i);
    }
    // In order of position; edits at the same place keep the order of their fix.
    let edits: Vec<&Edit> = accepted_edits.values().flatten().map(|(_, e)| e).collect();
    let fixed = crate::diagnostic::apply_ordered_edits(text, &edits)
        .expect("accepted edits neither overlap nor leave the text");
    (fixed, accepted)
}

/// Whether `edit` collides with an accepted edit. Accepted non-empty edits never overlap one
/// another, so walking back from the last one that starts at or before `edit`'s end, the first
/// one that ends before `edit` starts ends the search.
fn collides_with_accepted(
    accepted: &BTreeMap<(usize, usize), Vec<(usize, Edit)>>,
    edit: &Edit,
) -> bool {
    for (&(start, end), _) in accepted.range(..=(edit.span.end, usize::MAX)).rev() {
        let other = Span::new(start, end);
        if collide(other, edit.span) {
            return true;
        }
        if end < edit.span.start {
            return false;
        }
    }
    false
}

/// Edits of one fix overlap when their ranges share a byte, or both insert at one offset, or
/// one inserts strictly inside the other.
fn overlap(a: &Edit, b: &Edit) -> bool {
    let (a, b) = (a.span, b.span);
    if a.is_empty() && b.is_empty() {
        return a.start == b.start;
    }
    if a.is_empty() {
        return b.start < a.start && a.start < b.end;
    }
    if b.is_empty() {
        return a.start < b.start && b.start < a.end;
    }
    a.start < b.end && b.start < a.end
}

/// Edits of two different fixes collide when they overlap, and also when one inserts at an
/// edge of the other's range: `{"a": "1""a": "1"}` has a fix that deletes the first member up
/// to the second and one that inserts the missing comma there; both together give `{,"a": "1"}`.
/// Two deletions that only touch do not collide (removing neighbours of a list).
fn collide(a: Span, b: Span) -> bool {
    if a.is_empty() && b.is_empty() {
        return a.start == b.start;
    }
    if a.is_empty() {
        return b.start <= a.start && a.start <= b.end;
    }
    if b.is_empty() {
        return a.start <= b.start && b.start <= a.end;
    }
    a.start < b.end && b.start < a.end
}

/// Whether the text's first line break is CRLF.
fn uses_crlf(text: &str) -> bool {
    text.find('\n')
        .is_some_and(|i| i > 0 && text.as_bytes()[i - 1] == b'\r')
}

/// `replacement` with each bare `\n` turned into `\r\n` when `crlf`.
fn adapt_line_endings(replacement: &str, crlf: bool) -> Cow<'_, str> {
    if !crlf || !replacement.contains('\n') {
        return Cow::Borrowed(replacement);
    }
    let mut out = String::with_capacity(replacement.len() + 8);
    let mut previous = '\0';
    for ch in replacement.chars() {
        if ch == '\n' && previous != '\r' {
            out.push('\r');
        }
        out.push(ch);
        previous = ch;
    }
    Cow::Owned(out)
}

fn is_strict(text: &str) -> bool {
    crate::parse::strict_check(text).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(edits: Vec<Edit>) -> Fix {
        Fix::safe("t", edits)
    }

    #[test]
    fn overlapping_fixes_are_skipped_in_order() {
        let a = fix(vec![Edit::delete(Span::new(0, 2))]);
        let b = fix(vec![Edit::delete(Span::new(1, 3))]);
        let c = fix(vec![Edit::replace(Span::new(4, 5), "E")]);
        let d = fix(vec![Edit::insert(2, "+")]);
        let e = fix(vec![Edit::insert(2, "-")]);
        let (text, accepted) = apply_fixes("abcdef", &[&a, &b, &c, &d, &e]);
        // `d` inserts at the end of `a`'s deletion: a collision too.
        assert_eq!(accepted, vec![0, 2]);
        assert_eq!(text, "cdEf");
        let f = fix(vec![Edit::insert(3, "+")]);
        assert_eq!(apply_fixes("abcdef", &[&a, &f]).1, vec![0, 1]);
        // Within one fix, edits that touch are fine.
        let g = fix(vec![Edit::delete(Span::new(0, 2)), Edit::insert(2, "+")]);
        assert_eq!(apply_fixes("abcdef", &[&g]).0, "+cdef");
    }

    #[test]
    fn an_insert_at_the_edge_of_a_deletion_is_not_applied_with_it() {
        // duplicate-key deletes the first member up to the second; invalid-json inserts the
        // missing comma exactly there. Together they made `{,"a": "1"}`.
        let text = r#"{"dependencies": {"a": "1""a": "1"}}"#;
        let outcome = fix_all(text, &LintOptions::default(), &FixOptions::default());
        assert!(is_strict(&outcome.text), "{}", outcome.text);
        assert!(!outcome.text.contains("{,"), "{}", outcome.text);
        assert_eq!(outcome.text, r#"{"dependencies": {"a": "1"}}"#);
    }

    #[test]
    fn the_result_is_strict_json_or_nothing_is_applied() {
        // A comment (a departure with no fix) stays, so the duplicate scope's fix would still
        // leave text Unity cannot read: nothing is applied, and the outcome says why.
        let text = "{\n  // note\n  \"scopedRegistries\": [{\"name\": \"E\", \"url\": \"https://npm.example.com\", \"scopes\": [\"com.example\", \"com.example\"]}]\n}";
        let outcome = fix_all(text, &LintOptions::default(), &FixOptions::default());
        assert!(!outcome.changed(), "{}", outcome.text);
        assert_eq!(outcome.text, text);
        assert_eq!(outcome.withheld, 1, "{outcome:?}");
        assert!(!outcome.analysis.diagnostics.is_empty());
        // With unsafe fixes the comment goes too, and the result is strict.
        let all = FixOptions {
            unsafe_fixes: true,
            ..Default::default()
        };
        let outcome = fix_all(text, &LintOptions::default(), &all);
        assert!(outcome.changed());
        assert!(is_strict(&outcome.text), "{}", outcome.text);
        // A trailing comma is fixable: the whole result is strict.
        let text = r#"{"scopedRegistries": [{"name": "E", "url": "https://npm.example.com", "scopes": ["com.example", "com.example",]}]}"#;
        let outcome = fix_all(text, &LintOptions::default(), &FixOptions::default());
        assert!(outcome.changed());
        assert!(is_strict(&outcome.text), "{}", outcome.text);
        assert_eq!(outcome.withheld, 0);
    }

    #[test]
    fn a_fix_with_bad_edits_is_skipped_whole() {
        let bad = fix(vec![
            Edit::delete(Span::new(0, 1)),
            Edit::delete(Span::new(0, 9)),
        ]);
        let inside_char = fix(vec![Edit::delete(Span::new(1, 2))]);
        let (text, accepted) = apply_fixes("éa", &[&bad, &inside_char]);
        assert!(accepted.is_empty());
        assert_eq!(text, "éa");
    }

    #[test]
    fn inserted_line_breaks_follow_the_text() {
        let f = fix(vec![Edit::insert(1, "\n  x\r\n")]);
        assert_eq!(apply_fixes("{\r\n}", &[&f]).0, "{\r\n  x\r\n\r\n}");
        assert_eq!(apply_fixes("{\n}", &[&f]).0, "{\n  x\r\n\n}");
    }

    #[test]
    fn fixes_repeat_until_nothing_is_left_and_are_idempotent() {
        let text = "{\r\n  \"scopedRegistries\": [\r\n    {\r\n      \"name\": \"Example\",\r\n      \"url\": \"https://npm.example.com\",\r\n      \"scopes\": [\"com.example\", \"com.example\", \"com.example\", \"com.example.*\"]\r\n    }\r\n  ]\r\n}";
        let outcome = fix_all(text, &LintOptions::default(), &FixOptions::default());
        assert!(outcome.changed());
        assert_eq!(
            outcome.text,
            text.replace(
                "[\"com.example\", \"com.example\", \"com.example\", \"com.example.*\"]",
                "[\"com.example\"]"
            )
        );
        assert_eq!(outcome.applied.get("duplicate-scope"), Some(&2));
        assert!(outcome.total() >= 3, "{:?}", outcome.applied);
        assert!(outcome.analysis.diagnostics.is_empty());
        let again = fix_all(
            &outcome.text,
            &LintOptions::default(),
            &FixOptions::default(),
        );
        assert!(!again.changed());
        assert_eq!(again.text, outcome.text);
    }

    #[test]
    fn unsafe_fixes_only_when_asked_and_off_rules_never() {
        let text = r#"{"scopedRegistries": [{"name": "E", "url": "http://npm.example.com", "scopes": ["com.example", "com.example"]}]}"#;
        let safe = fix_all(text, &LintOptions::default(), &FixOptions::default());
        assert_eq!(
            safe.applied.keys().copied().collect::<Vec<_>>(),
            ["duplicate-scope"]
        );
        let all = fix_all(
            text,
            &LintOptions::default(),
            &FixOptions {
                unsafe_fixes: true,
                ..Default::default()
            },
        );
        assert!(
            all.applied.contains_key("insecure-registry-url"),
            "{:?}",
            all.applied
        );
        let mut options = LintOptions::default();
        options
            .levels
            .insert("duplicate-scope".into(), crate::RuleLevel::Off);
        let off = fix_all(text, &options, &FixOptions::default());
        assert!(!off.changed());
    }
}
