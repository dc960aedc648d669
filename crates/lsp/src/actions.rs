//! Code actions: each fix the core offers as a quick fix, and "Fix all safe problems".

use std::collections::HashMap;

use manifest_lint_core::fix::FixOptions;
use manifest_lint_core::{Applicability, Edit, Encoding, LintOptions, Span};
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, DocumentChanges, OneOf,
    OptionalVersionedTextDocumentIdentifier, TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};

use serde::{Deserialize, Serialize};

use crate::convert;
use crate::document::Snapshot;

/// The kind of the fix-all source action.
pub const FIX_ALL_KIND: &str = "source.fixAll.manifest-lint";

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

/// Quick fixes in one answer, at most: a range over the whole of a large file would otherwise
/// list every fix of the file.
pub const MAX_QUICK_FIXES: usize = 100;

/// Quick fixes of the diagnostics that touch `range` (the first [`MAX_QUICK_FIXES`]).
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
        .filter(|d| d.fix.is_some())
        .take(MAX_QUICK_FIXES)
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

/// Whether some diagnostic of `snap` has a safe fix (then "Fix all safe problems" is offered).
pub fn has_safe_fix(snap: &Snapshot) -> bool {
    snap.analysis.diagnostics.iter().any(|d| {
        d.fix
            .as_ref()
            .is_some_and(|f| f.applicability == Applicability::Safe)
    })
}

/// The edit of "Fix all safe problems": one minimal edit from the current text to the fixed
/// one. Runs the fix engine (up to 10 lints of the text): the caller keeps it off the state lock.
pub fn fix_all_edit(
    snap: &Snapshot,
    options: &LintOptions<'_>,
    target: Target<'_>,
    encoding: Encoding,
) -> Option<WorkspaceEdit> {
    if !has_safe_fix(snap) {
        return None;
    }
    // The same engine as `check --fix`: non-overlapping fixes per pass, re-lint, repeat.
    let outcome = manifest_lint_core::fix::fix_all(&snap.text, options, &FixOptions::default());
    if !outcome.changed() {
        return None;
    }
    let edit = minimal_edit(&snap.text, &outcome.text);
    Some(workspace_edit(target, text_edits(snap, &[edit], encoding)))
}

/// The "Fix all safe problems" action; `edit: None` with `data` leaves the edit to
/// `codeAction/resolve` (see [`ResolveData`]).
pub fn fix_all_action(
    edit: Option<WorkspaceEdit>,
    data: Option<ResolveData>,
) -> CodeActionOrCommand {
    CodeActionOrCommand::CodeAction(CodeAction {
        title: FIX_ALL_TITLE.to_string(),
        kind: Some(CodeActionKind::from(FIX_ALL_KIND)),
        edit,
        data: data.and_then(|d| serde_json::to_value(d).ok()),
        ..Default::default()
    })
}

/// Largest text for which a `codeAction` request without `only` runs the fix engine (for
/// clients that cannot resolve an action's edit later); a Unity manifest is a few kilobytes.
pub const EAGER_FIX_ALL_BYTES: usize = 128 * 1024;

/// The title of the fix-all action.
pub const FIX_ALL_TITLE: &str = "Fix all safe problems";

/// What an unresolved "Fix all safe problems" carries for `codeAction/resolve`: the document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ResolveData {
    #[serde(rename = "manifestLintFixAll")]
    pub uri: Uri,
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

/// For each `registry-not-checked` diagnostic in `range` whose registry was skipped as
/// untrusted: "Trust registry ... for online checks", running the client's `command` with the
/// registry URL (the VS Code extension adds it to the user setting `trustedRegistries`).
pub fn trust_registry(
    snap: &Snapshot,
    facts: Option<&manifest_lint_core::OnlineFacts>,
    range: Span,
    command: &str,
) -> Vec<CodeActionOrCommand> {
    use manifest_lint_core::facts::{RegistryStatus, SkipReason};
    let Some(facts) = facts else {
        return Vec::new();
    };
    let manifest = &snap.analysis.manifest;
    let urls: Vec<_> = manifest
        .registries()
        .iter()
        .filter_map(|r| r.url.as_ref())
        .chain(manifest.registry.as_ref())
        .collect();
    let mut out = Vec::new();
    for d in &snap.analysis.diagnostics {
        if d.rule.id != manifest_lint_core::rules::REGISTRY_NOT_CHECKED.id
            || d.span.start > range.end
            || range.start > d.span.end
        {
            continue;
        }
        let Some(url) = urls.iter().find(|u| u.span == d.span) else {
            continue;
        };
        if !matches!(
            facts.registry(&url.value),
            Some(RegistryStatus::NotChecked {
                reason: SkipReason::Untrusted,
                ..
            })
        ) {
            continue;
        }
        let title = format!(
            "Trust registry {} for online checks (user setting)",
            manifest_lint_core::url::redact(&url.value)
        );
        out.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: title.clone(),
            kind: Some(CodeActionKind::QUICKFIX),
            command: Some(tower_lsp_server::ls_types::Command {
                title,
                command: command.to_string(),
                arguments: Some(vec![serde_json::Value::String(
                    url.value.as_str().to_owned(),
                )]),
            }),
            ..Default::default()
        }));
    }
    out
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
            assert_eq!(
                manifest_lint_core::diagnostic::apply_edits(old, [&edit]).unwrap(),
                new,
                "{old} -> {new}"
            );
        }
        assert_eq!(minimal_edit("abcdef", "abXdef").span, Span::new(2, 3));
    }
}
