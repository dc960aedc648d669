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

/// `→ Registry` after each dependency's value inside `range`, then, where the project has
/// problems at that dependency, `⚠ N problems · pulls in M packages` ([`crate::transitive`]).
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
        let position = view.current.position(value.end, encoding);
        hints.push(InlayHint {
            position,
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
        hints.extend(crate::transitive::hint(analysis, dep, position));
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

/// Symbols in one outline, at most, summaries included: a generated manifest of megabytes would
/// otherwise give an answer of a hundred megabytes and more.
pub const MAX_SYMBOLS: usize = 5000;

/// Children of one symbol, at most; the rest are summarised in one more child, `… N more`.
pub const MAX_CHILDREN: usize = 1000;

/// Longest name or detail of a symbol, in characters (longer ones end with `…`).
pub const MAX_NAME_CHARS: usize = 200;

fn cut(text: &str) -> String {
    match text.char_indices().nth(MAX_NAME_CHARS) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// Symbols for `items` (one per item that `make` turns into a symbol, given its full span), at
/// most [`MAX_CHILDREN`] and no more than `budget` allows; what is left is summarised in one
/// symbol of `kind` covering the items left out.
fn bounded<T>(
    view: &View<'_>,
    encoding: Encoding,
    items: &[T],
    span: impl Fn(&T) -> Span,
    kind: SymbolKind,
    budget: &mut usize,
    mut make: impl FnMut(&T, &mut usize) -> Option<DocumentSymbol>,
) -> Vec<DocumentSymbol> {
    let mut out = Vec::new();
    // Room for the summary, kept aside while the children (and theirs) are made.
    let reserve = usize::from(*budget > 0 && !items.is_empty());
    *budget -= reserve;
    let mut rest = items;
    while let Some((first, after)) = rest.split_first() {
        if out.len() >= MAX_CHILDREN || *budget == 0 {
            break;
        }
        *budget -= 1;
        match make(first, budget) {
            Some(symbol) => out.push(symbol),
            None => *budget += 1,
        }
        rest = after;
    }
    *budget += reserve;
    if let (Some(first), Some(last), true) = (rest.first(), rest.last(), *budget > 0) {
        let full = Span::new(span(first).start, span(last).end);
        let start = Span::new(full.start, full.start);
        if let (Some(range), Some(selection)) =
            (view.range(full, encoding), view.range(start, encoding))
        {
            *budget -= 1;
            out.push(symbol(
                format!("… {} more", rest.len()),
                Some(format!("not listed: outlines show at most {MAX_CHILDREN} children and {MAX_SYMBOLS} symbols")),
                kind,
                range,
                selection,
                Vec::new(),
            ));
        }
    }
    out
}

/// The outline: `scopedRegistries` with each registry and its scopes, and `dependencies`, in
/// document order. Bounded: at most [`MAX_SYMBOLS`] symbols, [`MAX_CHILDREN`] children per symbol
/// (the rest summarised), names and details of [`MAX_NAME_CHARS`].
pub fn document_symbols(view: &View<'_>, encoding: Encoding) -> Vec<DocumentSymbol> {
    let manifest = &view.snap.analysis.manifest;
    // A symbol whose full range was edited falls back to its name's range.
    let ranges = |full: Span, selection: Span| -> Option<(Range, Range)> {
        let selection = view.range(selection, encoding)?;
        let full = view.range(full, encoding).unwrap_or(selection);
        Some((full, selection))
    };
    let member = |key: &str| manifest.member(key).map(|m| (m.span, m.key.span));
    // The two top-level symbols are always there.
    let mut budget = MAX_SYMBOLS - 2;
    let mut out = Vec::new();
    if let (Some(list), Some((full, key))) =
        (&manifest.scoped_registries, member("scopedRegistries"))
    {
        let registries = bounded(
            view,
            encoding,
            &list.registries,
            |r| r.span,
            SymbolKind::MODULE,
            &mut budget,
            |r, budget| {
                let selection = r.name.as_ref().map_or(r.span, |n| n.span);
                let (full, sel) = ranges(r.span, selection)?;
                let items: Vec<_> = r.scopes.iter().flat_map(|s| &s.items).collect();
                let scopes = bounded(
                    view,
                    encoding,
                    &items,
                    |scope| scope.span,
                    SymbolKind::NAMESPACE,
                    budget,
                    |scope, _| {
                        let (full, sel) = ranges(scope.span, scope.span)?;
                        Some(symbol(
                            cut(&scope.value),
                            None,
                            SymbolKind::NAMESPACE,
                            full,
                            sel,
                            Vec::new(),
                        ))
                    },
                );
                let url = r
                    .url
                    .as_ref()
                    .map(|u| cut(&manifest_lint_core::url::redact(&u.value)));
                Some(symbol(
                    cut(&r.display_name()),
                    url,
                    SymbolKind::MODULE,
                    full,
                    sel,
                    scopes,
                ))
            },
        );
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
        let children = bounded(
            view,
            encoding,
            &deps.entries,
            |d| d.span,
            SymbolKind::PACKAGE,
            &mut budget,
            |d, _| {
                let (full, sel) = ranges(d.span, d.name.span)?;
                let version = d.version.as_ref().map(|v| cut(&v.value));
                Some(symbol(
                    cut(&d.name.value),
                    version,
                    SymbolKind::PACKAGE,
                    full,
                    sel,
                    Vec::new(),
                ))
            },
        );
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
