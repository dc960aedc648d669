//! Documentation on keys: hover over a manifest key (top level or scoped-registry property) or
//! a package.json key (top level or sample property)
//! shows the core's key table entry (type, allowed values, example, Unity manual link), the same
//! text that key completions carry and that the JSON Schema publishes.

use manifest_lint_core::Encoding;
use manifest_lint_core::keys::{self, KeyDoc, KeyPlace};
use manifest_lint_core::model::Manifest;
use manifest_lint_core::package::PackageJson;
use tower_lsp_server::ls_types::{Hover, HoverContents, MarkupContent, MarkupKind};

use crate::document::View;

/// The known key under `offset` of a package.json, with its span.
fn package_key_at(
    package: &PackageJson,
    offset: usize,
) -> Option<(&'static KeyDoc, manifest_lint_core::Span)> {
    if let Some(m) = package.members.iter().find(|m| m.key.span.touches(offset)) {
        return Some((keys::key(KeyPlace::Package, &m.key.value)?, m.key.span));
    }
    let sample = package.samples().iter().find(|s| s.span.touches(offset))?;
    let m = sample.members.iter().find(|m| m.key.span.touches(offset))?;
    Some((keys::key(KeyPlace::Sample, &m.key.value)?, m.key.span))
}

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
    let analysis = &view.snap.analysis;
    let at = view.snap_offset(offset)?;
    let (doc, span) = match &analysis.package {
        Some(package) => package_key_at(package, at)?,
        None => key_at(&analysis.manifest, at)?,
    };
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

    #[test]
    fn package_json_keys_at_both_levels() {
        let text = r#"{"name": "com.a.b", "unity": "2021.3", "samples": [{"path": "Samples~/A"}], "scopes": 1}"#;
        let options = LintOptions {
            kind: manifest_lint_core::FileKind::Package,
            ..Default::default()
        };
        let snap = Snapshot::new(text.to_string(), &options);
        let at = |needle: &str| {
            let h = hover(
                &View::current(&snap),
                text.find(needle).unwrap() + 1,
                Encoding::Utf16,
            )?;
            let HoverContents::Markup(m) = h.contents else {
                panic!()
            };
            Some(m.value)
        };
        let md = at("\"unity\"").unwrap();
        assert!(
            md.contains("package.json property") && md.contains("unityRelease"),
            "{md}"
        );
        let md = at("\"path\"").unwrap();
        assert!(
            md.contains("sample property") && md.contains("cus-samples"),
            "{md}"
        );
        // A manifest key means nothing in a package.json.
        assert_eq!(at("\"scopes\""), None);
    }
}
