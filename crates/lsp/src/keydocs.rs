//! Documentation on keys: hover over a manifest key (top level or scoped-registry property)
//! shows the core's key table entry (type, allowed values, example, Unity manual link), the same
//! text that key completions carry and that the JSON Schema publishes.

use manifest_lint_core::Encoding;
use manifest_lint_core::keys::{self, KeyDoc, KeyPlace};
use manifest_lint_core::model::Manifest;
use tower_lsp_server::ls_types::{Hover, HoverContents, MarkupContent, MarkupKind};

use crate::document::View;

/// The known key under `offset` (of the analysed text), with its span.
fn key_at(
    manifest: &Manifest,
    offset: usize,
) -> Option<(&'static KeyDoc, manifest_lint_core::Span)> {
    if let Some(m) = manifest.members.iter().find(|m| m.key.span.touches(offset)) {
        return Some((keys::key(KeyPlace::Root, &m.key.value)?, m.key.span));
    }
    let registry = manifest
        .registries()
        .iter()
        .find(|r| r.span.touches(offset))?;
    let m = registry
        .members
        .iter()
        .find(|m| m.key.span.touches(offset))?;
    Some((keys::key(KeyPlace::Registry, &m.key.value)?, m.key.span))
}

/// The hover over a key, when the cursor is on one the table documents.
pub fn hover(view: &View<'_>, offset: usize, encoding: Encoding) -> Option<Hover> {
    let (doc, span) = key_at(&view.snap.analysis.manifest, view.snap_offset(offset)?)?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: doc.markdown(),
        }),
        range: Some(view.range(span, encoding)?),
    })
}

/// The documentation a key completion carries.
pub fn documentation(
    place: KeyPlace,
    key: &str,
) -> Option<tower_lsp_server::ls_types::Documentation> {
    keys::key(place, key).map(|doc| {
        tower_lsp_server::ls_types::Documentation::MarkupContent(MarkupContent {
            kind: MarkupKind::Markdown,
            value: doc.markdown(),
        })
    })
}

#[cfg(test)]
mod tests {
    use manifest_lint_core::LintOptions;

    use super::*;
    use crate::document::Snapshot;

    fn hover_text(text: &str, needle: &str) -> Option<String> {
        let snap = Snapshot::new(text.to_string(), &LintOptions::default());
        let offset = text.find(needle).unwrap() + 1;
        let h = hover(&View::current(&snap), offset, Encoding::Utf16)?;
        let HoverContents::Markup(m) = h.contents else {
            panic!()
        };
        Some(m.value)
    }

    #[test]
    fn keys_at_both_levels_and_nothing_elsewhere() {
        let text = r#"{"enableLockFile": true, "scopedRegistries": [{"name": "A", "url": "https://a.example", "scopes": ["com.a"]}], "x": 1}"#;
        let md = hover_text(text, "\"enableLockFile\"").unwrap();
        assert!(
            md.contains("packages-lock.json") && md.contains("upm-conflicts-auto"),
            "{md}"
        );
        let md = hover_text(text, "\"scopes\"").unwrap();
        assert!(md.contains("scoped registry property"), "{md}");
        let md = hover_text(text, "\"url\"").unwrap();
        assert!(md.contains("upm-scoped.html"), "{md}");
        // Unknown keys and values are not documented here.
        assert_eq!(hover_text(text, "\"x\""), None);
        assert_eq!(hover_text(text, "\"com.a\""), None);
    }
}
