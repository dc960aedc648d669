//! Go to definition, inlay hints and document symbols.

use manifest_lint_core::{Encoding, Span};
use tower_lsp_server::ls_types::{
    DocumentSymbol, InlayHint, InlayHintLabel, InlayHintTooltip, Location, MarkupContent,
    MarkupKind, Range, SymbolKind, Uri,
};

use crate::document::View;
use crate::lookup::{self, Target};

/// From a dependency (name or value) to the scope that routes it.
pub fn definition(
    view: &View<'_>,
    offset: usize,
    uri: &Uri,
    encoding: Encoding,
) -> Option<Location> {
    let analysis = &view.snap.analysis;
    let (target, span) = lookup::target_at(&analysis.manifest, view.snap_offset(offset)?)?;
    view.current_span(span)?;
    let Target::Dependency(i) = target else {
        return None;
    };
    let dep = &analysis.manifest.dependencies()[i];
    if lookup::non_registry_source(dep).is_some() {
        return None;
    }
    let name = &dep.name.value;
    let winner = analysis.resolve(name).winner?;
    let (_, scope_span) = lookup::scope(&analysis.manifest, winner)?;
    Some(Location::new(
        uri.clone(),
        view.range(scope_span, encoding)?,
    ))
}

/// `→ Registry` after each dependency's value inside `range`.
pub fn inlay_hints(view: &View<'_>, range: Span, encoding: Encoding) -> Vec<InlayHint> {
    let analysis = &view.snap.analysis;
    let mut hints = Vec::new();
    for dep in analysis.manifest.dependencies() {
        let Some(value) = view.current_span(dep.value_span) else {
            continue;
        };
        if value.end < range.start || value.end > range.end {
            continue;
        }
        let (label, tooltip) = match lookup::non_registry_source(dep) {
            Some(source) if lookup::malformed(dep) => (
                format!("{source} (malformed)"),
                "No registry is asked for it; Unity cannot use the value as written.".to_string(),
            ),
            Some(source) => (
                source.to_string(),
                "No registry is asked for it.".to_string(),
            ),
            None => {
                let explanation = analysis.explain(&dep.name.value);
                (
                    explanation.registry.name.clone(),
                    explanation.sentences().join("\n\n"),
                )
            }
        };
        hints.push(InlayHint {
            position: view.current.position(value.end, encoding),
            label: InlayHintLabel::String(format!("→ {label}")),
            kind: None,
            text_edits: None,
            tooltip: Some(InlayHintTooltip::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value: tooltip,
            })),
            padding_left: Some(true),
            padding_right: None,
            data: None,
        });
    }
    hints
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must be spelt out.
fn symbol(
    name: String,
    detail: Option<String>,
    kind: SymbolKind,
    range: Range,
    selection_range: Range,
    children: Vec<DocumentSymbol>,
) -> DocumentSymbol {
    DocumentSymbol {
        name: if name.is_empty() {
            "\"\"".to_string()
        } else {
            name
        },
        detail,
        kind,
        tags: None,
        deprecated: None,
        range,
        selection_range,
        children: (!children.is_empty()).then_some(children),
    }
}

/// The outline: `scopedRegistries` with each registry and its scopes, and `dependencies`, in
/// document order.
pub fn document_symbols(view: &View<'_>, encoding: Encoding) -> Vec<DocumentSymbol> {
    let manifest = &view.snap.analysis.manifest;
    // A symbol whose full range was edited falls back to its name's range.
    let ranges = |full: Span, selection: Span| -> Option<(Range, Range)> {
        let selection = view.range(selection, encoding)?;
        let full = view.range(full, encoding).unwrap_or(selection);
        Some((full, selection))
    };
    let member = |key: &str| manifest.member(key).map(|m| (m.span, m.key.span));
    let mut out = Vec::new();
    if let (Some(list), Some((full, key))) =
        (&manifest.scoped_registries, member("scopedRegistries"))
    {
        let registries: Vec<DocumentSymbol> = list
            .registries
            .iter()
            .filter_map(|r| {
                let scopes: Vec<DocumentSymbol> = r
                    .scopes
                    .iter()
                    .flat_map(|s| &s.items)
                    .filter_map(|scope| {
                        let (full, sel) = ranges(scope.span, scope.span)?;
                        Some(symbol(
                            scope.value.clone(),
                            None,
                            SymbolKind::NAMESPACE,
                            full,
                            sel,
                            Vec::new(),
                        ))
                    })
                    .collect();
                let selection = r.name.as_ref().map_or(r.span, |n| n.span);
                let (full, sel) = ranges(r.span, selection)?;
                let url = r
                    .url
                    .as_ref()
                    .map(|u| manifest_lint_core::url::redact(&u.value));
                Some(symbol(
                    r.display_name(),
                    url,
                    SymbolKind::MODULE,
                    full,
                    sel,
                    scopes,
                ))
            })
            .collect();
        if let Some((full, sel)) = ranges(full, key) {
            out.push(symbol(
                "scopedRegistries".into(),
                None,
                SymbolKind::ARRAY,
                full,
                sel,
                registries,
            ));
        }
    }
    if let (Some(deps), Some((full, key))) = (&manifest.dependencies, member("dependencies")) {
        let children: Vec<DocumentSymbol> = deps
            .entries
            .iter()
            .filter_map(|d| {
                let (full, sel) = ranges(d.span, d.name.span)?;
                let version = d.version.as_ref().map(|v| v.value.clone());
                Some(symbol(
                    d.name.value.clone(),
                    version,
                    SymbolKind::PACKAGE,
                    full,
                    sel,
                    Vec::new(),
                ))
            })
            .collect();
        if let Some((full, sel)) = ranges(full, key) {
            out.push(symbol(
                "dependencies".into(),
                None,
                SymbolKind::OBJECT,
                full,
                sel,
                children,
            ));
        }
    }
    out.sort_by_key(|s| (s.range.start.line, s.range.start.character));
    out
}
