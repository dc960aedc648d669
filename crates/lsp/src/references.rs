//! References, document highlight and rename of package names and scopes.
//!
//! - On a package name (a `dependencies` key or value, a `testables` or `pinnedPackages` item):
//!   every mention of the name (`dependencies` keys, `testables`, `pinnedPackages`, scopes equal
//!   to it) and the scope that routes it (from the core's resolver).
//! - On a scope: the scope strings equal to it (in any registry) and the dependencies it routes
//!   (those whose winning scope it is).
//!
//! Rename changes the mentions of a package name everywhere above, or the scope strings equal to
//! a scope (the packages it routes keep their names and are then routed by the manifest's scopes
//! as they stand after the rename). The new name must pass the core's own name or scope rules.
//! Every string literal is replaced whole, quotes included, with the new value JSON-escaped.

use std::collections::HashMap;

use manifest_lint_core::{Analysis, Encoding, Span};
use tower_lsp_server::ls_types::{
    DocumentHighlight, DocumentHighlightKind, Location, OptionalVersionedTextDocumentIdentifier,
    PrepareRenameResponse, TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};

use crate::document::View;
use crate::lookup::{self, Target};

/// What the cursor is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Package(String),
    Scope(String),
}

/// A mention: a string literal's span (quotes included), and whether it declares the subject
/// (a dependency key for a package, a scope string for a scope).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    pub span: Span,
    pub declaration: bool,
    /// Whether a rename changes it (the routing scope of a package does not).
    pub renamed: bool,
}

/// The subject under `offset` of the analysed text, with the span of the string it is in, and
/// whether that string is the subject's name itself (a dependency's value is not).
fn subject_at(analysis: &Analysis, offset: usize) -> Option<(Subject, Span, bool)> {
    let manifest = &analysis.manifest;
    if let Some((target, span)) = lookup::target_at(manifest, offset) {
        return match target {
            Target::Dependency(i) => {
                let dep = &manifest.dependencies()[i];
                let on_name = dep.name.span == span;
                Some((
                    Subject::Package(dep.name.value.as_str().to_owned()),
                    span,
                    on_name,
                ))
            }
            Target::Scope(r) => {
                let (scope, span) = lookup::scope(manifest, r)?;
                Some((Subject::Scope(scope.to_string()), span, true))
            }
            _ => None,
        };
    }
    let lists = [&manifest.testables, &manifest.pinned_packages];
    lists
        .into_iter()
        .flatten()
        .flat_map(|l| &l.items)
        .find(|item| item.span.touches(offset))
        .map(|item| {
            (
                Subject::Package(item.value.as_str().to_owned()),
                item.span,
                true,
            )
        })
}

/// Every mention of `subject`, in document order.
pub fn mentions(analysis: &Analysis, subject: &Subject) -> Vec<Mention> {
    let manifest = &analysis.manifest;
    let mut out = Vec::new();
    let scopes = manifest
        .registries()
        .iter()
        .flat_map(|r| r.scopes.iter().flat_map(|s| &s.items));
    match subject {
        Subject::Package(name) => {
            for dep in manifest.dependencies() {
                if dep.name.value == *name {
                    out.push(Mention {
                        span: dep.name.span,
                        declaration: true,
                        renamed: true,
                    });
                }
            }
            let lists = [&manifest.testables, &manifest.pinned_packages];
            for item in lists.into_iter().flatten().flat_map(|l| &l.items) {
                if item.value == *name {
                    out.push(Mention {
                        span: item.span,
                        declaration: false,
                        renamed: true,
                    });
                }
            }
            for scope in scopes {
                if scope.value == *name {
                    out.push(Mention {
                        span: scope.span,
                        declaration: false,
                        renamed: true,
                    });
                }
            }
            // The scope that routes it, when that is not the name itself.
            if let Some(winner) = analysis.resolve(name).winner {
                if let Some((scope, span)) = lookup::scope(manifest, winner) {
                    if scope != name {
                        out.push(Mention {
                            span,
                            declaration: false,
                            renamed: false,
                        });
                    }
                }
            }
        }
        Subject::Scope(scope) => {
            for s in scopes {
                if s.value == *scope {
                    out.push(Mention {
                        span: s.span,
                        declaration: true,
                        renamed: true,
                    });
                }
            }
            let routes = |name: &str| {
                analysis
                    .resolve(name)
                    .winner
                    .and_then(|w| lookup::scope(manifest, w))
                    .is_some_and(|(winner, _)| winner == scope)
            };
            for dep in manifest.dependencies() {
                if lookup::non_registry_source(dep).is_none() && routes(&dep.name.value) {
                    out.push(Mention {
                        span: dep.name.span,
                        declaration: false,
                        renamed: false,
                    });
                }
            }
        }
    }
    out.sort_by_key(|m| m.span.start);
    out.dedup_by_key(|m| m.span);
    out
}

/// `textDocument/references`.
pub fn references(
    view: &View<'_>,
    offset: usize,
    uri: &Uri,
    include_declaration: bool,
    encoding: Encoding,
) -> Option<Vec<Location>> {
    let analysis = &view.snap.analysis;
    let (subject, _, _) = subject_at(analysis, view.snap_offset(offset)?)?;
    Some(
        mentions(analysis, &subject)
            .into_iter()
            .filter(|m| include_declaration || !m.declaration)
            .filter_map(|m| view.range(m.span, encoding))
            .map(|range| Location::new(uri.clone(), range))
            .collect(),
    )
}

/// `textDocument/documentHighlight`: the mentions, declarations as writes.
pub fn highlights(
    view: &View<'_>,
    offset: usize,
    encoding: Encoding,
) -> Option<Vec<DocumentHighlight>> {
    let analysis = &view.snap.analysis;
    let (subject, _, _) = subject_at(analysis, view.snap_offset(offset)?)?;
    Some(
        mentions(analysis, &subject)
            .into_iter()
            .filter_map(|m| {
                Some(DocumentHighlight {
                    range: view.range(m.span, encoding)?,
                    kind: Some(if m.declaration {
                        DocumentHighlightKind::WRITE
                    } else {
                        DocumentHighlightKind::READ
                    }),
                })
            })
            .collect(),
    )
}

/// Why a rename cannot be done here.
pub type Refusal = String;

/// The inside of a string literal's span (without its quotes).
fn inside(span: Span) -> Span {
    Span::new(
        span.start + 1,
        span.end.saturating_sub(1).max(span.start + 1),
    )
}

/// The renamable subject under the cursor: only in text that parses now (renaming from an older
/// analysis could write over what the user has typed since).
fn renamable(view: &View<'_>, offset: usize) -> Result<(Subject, Span), Refusal> {
    if view.is_stale() {
        return Err("The manifest is not valid JSON right now: fix it, then rename.".into());
    }
    let analysis = &view.snap.analysis;
    match subject_at(analysis, offset) {
        Some((subject, span, true)) => Ok((subject, span)),
        Some((Subject::Package(_), _, false)) => {
            Err("A version cannot be renamed: rename the package name (the key).".into())
        }
        _ => Err("Only package names and scopes can be renamed.".into()),
    }
}

/// `textDocument/prepareRename`: the name's range (inside its quotes) and its current value.
pub fn prepare(
    view: &View<'_>,
    offset: usize,
    encoding: Encoding,
) -> Result<PrepareRenameResponse, Refusal> {
    let (subject, span) = renamable(view, offset)?;
    let placeholder = match subject {
        Subject::Package(name) | Subject::Scope(name) => name,
    };
    Ok(PrepareRenameResponse::RangeWithPlaceholder {
        range: view.current.range(inside(span), encoding),
        placeholder,
    })
}

/// `textDocument/rename`: the edits, checked against the core's name or scope rules.
pub fn rename(
    view: &View<'_>,
    offset: usize,
    new_name: &str,
    target: crate::actions::Target<'_>,
    encoding: Encoding,
) -> Result<WorkspaceEdit, Refusal> {
    let (subject, _) = renamable(view, offset)?;
    let analysis = &view.snap.analysis;
    match &subject {
        Subject::Package(old) => {
            if let Some(problem) = manifest_lint_core::naming::package_name_problem(new_name) {
                return Err(format!(
                    "`{new_name}` is not a valid package name: {problem}"
                ));
            }
            if new_name != old
                && analysis
                    .manifest
                    .dependencies()
                    .iter()
                    .any(|d| d.name.value == new_name)
            {
                return Err(format!("`{new_name}` is already a dependency."));
            }
        }
        Subject::Scope(old) => {
            if let Some(problem) = manifest_lint_core::naming::scope_problem(new_name) {
                return Err(format!("`{new_name}` is not a valid scope: {problem}"));
            }
            // A registry listing both would list the scope twice.
            let twice = new_name != old
                && analysis.manifest.registries().iter().any(|r| {
                    let has =
                        |v: &str| r.scopes.iter().flat_map(|s| &s.items).any(|s| s.value == v);
                    has(old) && has(new_name)
                });
            if twice {
                return Err(format!(
                    "A registry with `{old}` already lists `{new_name}`: remove one of them instead."
                ));
            }
        }
    }
    let quoted = serde_json::to_string(new_name).unwrap_or_default();
    let edits: Vec<TextEdit> = mentions(analysis, &subject)
        .into_iter()
        .filter(|m| m.renamed)
        .map(|m| TextEdit::new(view.current.range(m.span, encoding), quoted.clone()))
        .collect();
    Ok(workspace_edit(target, edits))
}

fn workspace_edit(target: crate::actions::Target<'_>, edits: Vec<TextEdit>) -> WorkspaceEdit {
    if target.document_changes {
        WorkspaceEdit {
            document_changes: Some(tower_lsp_server::ls_types::DocumentChanges::Edits(vec![
                TextDocumentEdit {
                    text_document: OptionalVersionedTextDocumentIdentifier {
                        uri: target.uri.clone(),
                        version: Some(target.version),
                    },
                    edits: edits
                        .into_iter()
                        .map(tower_lsp_server::ls_types::OneOf::Left)
                        .collect(),
                },
            ])),
            ..Default::default()
        }
    } else {
        WorkspaceEdit {
            changes: Some(HashMap::from([(target.uri.clone(), edits)])),
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use manifest_lint_core::LintOptions;

    use super::*;
    use crate::document::Snapshot;

    const TEXT: &str = r#"{
  "dependencies": {
    "com.example.tools": "1.0.0",
    "com.example.b": "1.0.0",
    "org.other": "file:../x",
    "com.unity.ugui": "2.0.0"
  },
  "testables": ["com.example.tools"],
  "pinnedPackages": ["com.example.tools", "com.unity.ugui"],
  "scopedRegistries": [
    {"name": "A", "url": "https://a.example", "scopes": ["com.example", "com.example.tools", "org"]},
    {"name": "B", "url": "https://b.example", "scopes": ["com.example.tools"]}
  ]
}"#;

    fn spans_text(text: &str, ms: &[Mention]) -> Vec<String> {
        ms.iter()
            .map(|m| text[m.span.range()].to_string())
            .collect()
    }

    fn at(needle: &str, nth: usize) -> usize {
        TEXT.match_indices(needle).nth(nth).unwrap().0 + 1
    }

    #[test]
    fn a_package_name_reaches_every_mention_and_its_scope() {
        let snap = Snapshot::new(TEXT.into(), &LintOptions::default());
        let (subject, _, on_name) =
            subject_at(&snap.analysis, at("\"com.example.tools\"", 1)).unwrap();
        assert!(on_name);
        assert_eq!(subject, Subject::Package("com.example.tools".into()));
        let ms = mentions(&snap.analysis, &subject);
        // Key, testables, pinned, the two scopes equal to it (one of them routes it).
        assert_eq!(ms.len(), 5, "{:?}", spans_text(TEXT, &ms));
        assert!(ms.iter().all(|m| m.renamed));
        assert_eq!(ms.iter().filter(|m| m.declaration).count(), 1);
        // com.example.b: its key, and the scope that routes it (not renamed with it).
        let ms = mentions(&snap.analysis, &Subject::Package("com.example.b".into()));
        assert_eq!(
            spans_text(TEXT, &ms),
            ["\"com.example.b\"", "\"com.example\""]
        );
        assert_eq!(
            ms.iter().map(|m| m.renamed).collect::<Vec<_>>(),
            [true, false]
        );
    }

    #[test]
    fn a_scope_reaches_its_declarations_and_the_dependencies_it_routes() {
        let snap = Snapshot::new(TEXT.into(), &LintOptions::default());
        let ms = mentions(&snap.analysis, &Subject::Scope("com.example".into()));
        assert_eq!(
            spans_text(TEXT, &ms),
            ["\"com.example.b\"", "\"com.example\""]
        );
        // `org` routes nothing: org.other is a local package.
        let ms = mentions(&snap.analysis, &Subject::Scope("org".into()));
        assert_eq!(spans_text(TEXT, &ms), ["\"org\""]);
        // Listed by two registries: both declarations.
        let ms = mentions(&snap.analysis, &Subject::Scope("com.example.tools".into()));
        assert_eq!(ms.iter().filter(|m| m.declaration).count(), 2);
        assert_eq!(ms.len(), 3);
    }

    #[test]
    fn rename_checks_the_new_name_and_refuses_elsewhere() {
        let snap = Snapshot::new(TEXT.into(), &LintOptions::default());
        let view = View::current(&snap);
        let uri: Uri = "file:///p/Packages/manifest.json".parse().unwrap();
        let target = crate::actions::Target {
            uri: &uri,
            version: 1,
            document_changes: false,
        };
        let key = at("\"com.example.b\"", 0);
        let edit = rename(&view, key, "com.example.c", target, Encoding::Utf16).unwrap();
        let edits = &edit.changes.unwrap()[&uri];
        assert_eq!(edits.len(), 1);
        assert_eq!(edits[0].new_text, "\"com.example.c\"");
        let err = rename(&view, key, "Com.Example", target, Encoding::Utf16).unwrap_err();
        assert!(err.contains("not a valid package name"), "{err}");
        let err = rename(&view, key, "com.unity.ugui", target, Encoding::Utf16).unwrap_err();
        assert!(err.contains("already a dependency"), "{err}");
        let scope = at("\"org\"", 0);
        let err = rename(&view, scope, "@acme/shaders", target, Encoding::Utf16).unwrap_err();
        assert!(err.contains("npm"), "{err}");
        let scope_a = at("\"com.example\"", 0);
        let err = rename(&view, scope_a, "org", target, Encoding::Utf16).unwrap_err();
        assert!(err.contains("already lists"), "{err}");
        // A version, a registry name, a key of the manifest: not renamable.
        for needle in ["\"1.0.0\"", "\"A\"", "\"testables\""] {
            assert!(
                prepare(&view, at(needle, 0), Encoding::Utf16).is_err(),
                "{needle}"
            );
        }
        let PrepareRenameResponse::RangeWithPlaceholder { placeholder, range } =
            prepare(&view, key, Encoding::Utf16).unwrap()
        else {
            panic!()
        };
        assert_eq!(placeholder, "com.example.b");
        // A client that takes documentChanges gets the edit for this version of the document.
        let versioned = crate::actions::Target {
            document_changes: true,
            version: 7,
            ..target
        };
        let edit = rename(&view, key, "com.example.c", versioned, Encoding::Utf16).unwrap();
        let Some(tower_lsp_server::ls_types::DocumentChanges::Edits(docs)) = edit.document_changes
        else {
            panic!()
        };
        assert_eq!(docs[0].text_document.version, Some(7));
        assert_eq!(docs[0].edits.len(), 1);
        assert!(edit.changes.is_none());
        // While the text does not parse, nothing is renamed from the older analysis.
        let broken = Snapshot::new(
            TEXT.replacen("\"org\"]", "\"org]", 1),
            &LintOptions::default(),
        );
        let stale = View::stale(&broken, &snap);
        let err = prepare(&stale, key, Encoding::Utf16).unwrap_err();
        assert!(err.contains("not valid JSON"), "{err}");
        assert_eq!(range.start.character, 5);
        assert_eq!(range.end.character, 5 + "com.example.b".len() as u32);
    }
}
