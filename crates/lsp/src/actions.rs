//! Code actions: each fix the core offers as a quick fix, and "Fix all safe problems".

use std::collections::HashMap;

use manifest_lint_core::diagnostic::apply_edits;
use manifest_lint_core::{Applicability, Edit, Encoding, LintOptions, Span};
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, DocumentChanges, OneOf,
    OptionalVersionedTextDocumentIdentifier, TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};

use crate::convert;
use crate::document::Snapshot;

/// The kind of the fix-all source action.
pub const FIX_ALL_KIND: &str = "source.fixAll.manifest-lint";

/// Rounds of fix, re-lint, fix in "Fix all" (fixes whose edits overlap wait for a later round).
const MAX_ROUNDS: usize = 10;

/// How to address the document in a workspace edit.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub uri: &'a Uri,
    pub version: i32,
    /// The client takes `documentChanges` (then the edit names the version it applies to).
    pub document_changes: bool,
}

fn workspace_edit(target: Target<'_>, edits: Vec<TextEdit>) -> WorkspaceEdit {
    if target.document_changes {
        WorkspaceEdit {
            document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri: target.uri.clone(),
                    version: Some(target.version),
                },
                edits: edits.into_iter().map(OneOf::Left).collect(),
            }])),
            ..Default::default()
        }
    } else {
        WorkspaceEdit {
            changes: Some(HashMap::from([(target.uri.clone(), edits)])),
            ..Default::default()
        }
    }
}

fn text_edits(snap: &Snapshot, edits: &[Edit], encoding: Encoding) -> Vec<TextEdit> {
    edits
        .iter()
        .map(|e| TextEdit::new(snap.range(e.span, encoding), e.replacement.clone()))
        .collect()
}

/// Which kinds the client asked for (`None`: all).
pub fn wants(only: Option<&[CodeActionKind]>, kind: &str) -> bool {
    match only {
        None => true,
        Some(kinds) => kinds.iter().any(|k| {
            let k = k.as_str();
            kind == k || kind.starts_with(&format!("{k}."))
        }),
    }
}

/// Quick fixes of the diagnostics that touch `range`.
pub fn quick_fixes(
    snap: &Snapshot,
    range: Span,
    target: Target<'_>,
    encoding: Encoding,
) -> Vec<CodeActionOrCommand> {
    snap.analysis
        .diagnostics
        .iter()
        .filter(|d| d.span.start <= range.end && range.start <= d.span.end)
        .filter_map(|d| {
            let fix = d.fix.as_ref()?;
            Some(CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.title.clone(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![convert::diagnostic(d, target.uri, snap, encoding)]),
                edit: Some(workspace_edit(
                    target,
                    text_edits(snap, &fix.edits, encoding),
                )),
                is_preferred: Some(fix.applicability == Applicability::Safe),
                ..Default::default()
            }))
        })
        .collect()
}

/// Applies every safe fix: in each round the fixes whose edits overlap none already taken, then
/// a re-lint, until nothing is left to fix or after [`MAX_ROUNDS`]. `None` when nothing changes.
pub fn fix_all_text(text: &str, options: &LintOptions<'_>) -> Option<String> {
    let mut text = text.to_string();
    let mut changed = false;
    for _ in 0..MAX_ROUNDS {
        let analysis = manifest_lint_core::lint(&text, options);
        let mut taken: Vec<&Edit> = Vec::new();
        for fix in analysis
            .diagnostics
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .filter(|f| f.applicability == Applicability::Safe)
        {
            let clashes = fix
                .edits
                .iter()
                .any(|e| taken.iter().any(|t| overlap(e.span, t.span)));
            if !clashes {
                taken.extend(&fix.edits);
            }
        }
        if taken.is_empty() {
            break;
        }
        match apply_edits(&text, taken) {
            Some(fixed) if fixed != text => {
                text = fixed;
                changed = true;
            }
            _ => break,
        }
    }
    changed.then_some(text)
}

/// Two edits conflict when their ranges share a byte, or both insert at one place (their order
/// would be arbitrary).
fn overlap(a: Span, b: Span) -> bool {
    (a.start < b.end && b.start < a.end) || (a.start == b.start && (a.is_empty() || b.is_empty()))
}

/// The "Fix all safe problems" action: one minimal edit from the current text to the fixed one.
pub fn fix_all(
    snap: &Snapshot,
    options: &LintOptions<'_>,
    target: Target<'_>,
    encoding: Encoding,
) -> Option<CodeActionOrCommand> {
    let has_safe_fix = snap.analysis.diagnostics.iter().any(|d| {
        d.fix
            .as_ref()
            .is_some_and(|f| f.applicability == Applicability::Safe)
    });
    if !has_safe_fix {
        return None;
    }
    let fixed = fix_all_text(&snap.text, options)?;
    let edit = minimal_edit(&snap.text, &fixed);
    Some(CodeActionOrCommand::CodeAction(CodeAction {
        title: "Fix all safe problems".to_string(),
        kind: Some(CodeActionKind::from(FIX_ALL_KIND)),
        edit: Some(workspace_edit(target, text_edits(snap, &[edit], encoding))),
        ..Default::default()
    }))
}

/// The lengths in bytes of the longest common prefix and suffix of `old` and `new` (not
/// overlapping, both cut at character boundaries of both texts).
pub fn common_affixes(old: &str, new: &str) -> (usize, usize) {
    let (a, b) = (old.as_bytes(), new.as_bytes());
    let mut prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let room = a.len().min(b.len()) - prefix;
    let mut suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(room)
        .take_while(|(x, y)| x == y)
        .count();
    while !old.is_char_boundary(a.len() - suffix) || !new.is_char_boundary(b.len() - suffix) {
        suffix -= 1;
    }
    (prefix, suffix)
}

/// One edit that turns `old` into `new`: the differing middle, between the common prefix and
/// suffix.
pub fn minimal_edit(old: &str, new: &str) -> Edit {
    let (prefix, suffix) = common_affixes(old, new);
    Edit::replace(
        Span::new(prefix, old.len() - suffix),
        &new[prefix..new.len() - suffix],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_edit_round_trips() {
        for (old, new) in [
            ("abcdef", "abXdef"),
            ("abc", "abc"),
            ("", "x"),
            ("aaa", "aa"),
            ("é😀é", "é😁é"),
            ("{\"a\": 1}", "{}"),
        ] {
            let edit = minimal_edit(old, new);
            assert_eq!(apply_edits(old, [&edit]).unwrap(), new, "{old} -> {new}");
        }
        assert_eq!(minimal_edit("abcdef", "abXdef").span, Span::new(2, 3));
    }
}
