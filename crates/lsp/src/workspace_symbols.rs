//! `workspace/symbol` across the open manifests: dependencies, scoped registries and scopes
//! whose name contains the query (case-insensitively; an empty query lists them all).

use manifest_lint_core::Encoding;
use tower_lsp_server::ls_types::{Location, SymbolInformation, SymbolKind, Uri};

use crate::document::View;

/// Most symbols in one answer.
const MAX_SYMBOLS: usize = 1000;

#[allow(deprecated)] // `SymbolInformation::deprecated` must be spelt out.
fn info(name: &str, kind: SymbolKind, location: Location, container: &str) -> SymbolInformation {
    SymbolInformation {
        name: name.to_string(),
        kind,
        tags: None,
        deprecated: None,
        location,
        container_name: Some(container.to_string()),
    }
}

/// The symbols of one document matching `query` (already lowercased), appended to `out`.
pub fn collect(
    view: &View<'_>,
    uri: &Uri,
    query: &str,
    encoding: Encoding,
    out: &mut Vec<SymbolInformation>,
) {
    let manifest = &view.snap.analysis.manifest;
    let matches = |name: &str| name.to_lowercase().contains(query);
    let mut push = |name: &str, kind, span, container: &str| {
        if out.len() < MAX_SYMBOLS && matches(name) {
            if let Some(range) = view.range(span, encoding) {
                out.push(info(
                    name,
                    kind,
                    Location::new(uri.clone(), range),
                    container,
                ));
            }
        }
    };
    for dep in manifest.dependencies() {
        push(
            &dep.name.value,
            SymbolKind::PACKAGE,
            dep.name.span,
            "dependencies",
        );
    }
    for registry in manifest.registries() {
        let name = registry.display_name();
        let span = registry.name.as_ref().map_or(registry.span, |n| n.span);
        push(&name, SymbolKind::MODULE, span, "scopedRegistries");
        for scope in registry.scopes.iter().flat_map(|s| &s.items) {
            push(&scope.value, SymbolKind::NAMESPACE, scope.span, &name);
        }
    }
}

#[cfg(test)]
mod tests {
    use manifest_lint_core::LintOptions;

    use super::*;
    use crate::document::Snapshot;

    #[test]
    fn names_containing_the_query() {
        let text = r#"{"dependencies": {"com.example.tools": "1.0.0", "com.unity.ugui": "1.0.0"},
            "scopedRegistries": [{"name": "Example Registry", "url": "https://a.example", "scopes": ["com.example"]}]}"#;
        let snap = Snapshot::new(text.into(), &LintOptions::default());
        let uri: Uri = "file:///p/Packages/manifest.json".parse().unwrap();
        let mut out = Vec::new();
        collect(
            &View::current(&snap),
            &uri,
            "example",
            Encoding::Utf16,
            &mut out,
        );
        let names: Vec<(&str, SymbolKind)> =
            out.iter().map(|s| (s.name.as_str(), s.kind)).collect();
        assert_eq!(
            names,
            [
                ("com.example.tools", SymbolKind::PACKAGE),
                ("Example Registry", SymbolKind::MODULE),
                ("com.example", SymbolKind::NAMESPACE),
            ]
        );
        assert_eq!(out[2].container_name.as_deref(), Some("Example Registry"));
        let mut all = Vec::new();
        collect(&View::current(&snap), &uri, "", Encoding::Utf16, &mut all);
        assert_eq!(all.len(), 4);
    }
}
