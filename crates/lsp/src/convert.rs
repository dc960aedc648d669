//! From the core's byte spans and diagnostics to LSP's positions and diagnostics.

use std::str::FromStr;

use manifest_lint_core::{Encoding, Severity};
use tower_lsp_server::ls_types::{
    self as lsp, CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag,
    Location, NumberOrString, Uri,
};

use crate::document::Snapshot;

/// The `source` of every diagnostic.
pub const SOURCE: &str = "manifest-lint";

pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Hint => DiagnosticSeverity::HINT,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Error => DiagnosticSeverity::ERROR,
    }
}

/// One core diagnostic as LSP shows it: the rule id as `code`, its documentation as
/// `codeDescription`, labels as related information, notes appended to the message.
pub fn diagnostic(
    d: &manifest_lint_core::Diagnostic,
    uri: &Uri,
    snap: &Snapshot,
    encoding: Encoding,
) -> lsp::Diagnostic {
    let mut message = d.message.clone();
    for note in &d.notes {
        message.push('\n');
        message.push_str(note);
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .map(|label| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), snap.range(label.span, encoding)),
            message: label.message.clone(),
        })
        .collect();
    lsp::Diagnostic {
        range: snap.range(d.span, encoding),
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.rule.id.to_string())),
        code_description: Uri::from_str(&d.rule.url())
            .ok()
            .map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: d.unnecessary.then(|| vec![DiagnosticTag::UNNECESSARY]),
        data: None,
    }
}

/// Every diagnostic of a snapshot.
pub fn diagnostics(snap: &Snapshot, uri: &Uri, encoding: Encoding) -> Vec<lsp::Diagnostic> {
    snap.analysis
        .diagnostics
        .iter()
        .map(|d| diagnostic(d, uri, snap, encoding))
        .collect()
}

/// The core's encoding for a negotiated LSP position encoding.
pub fn encoding(kind: &lsp::PositionEncodingKind) -> Option<Encoding> {
    match kind.as_str() {
        "utf-8" => Some(Encoding::Utf8),
        "utf-16" => Some(Encoding::Utf16),
        "utf-32" => Some(Encoding::Utf32),
        _ => None,
    }
}

pub fn encoding_kind(encoding: Encoding) -> lsp::PositionEncodingKind {
    match encoding {
        Encoding::Utf8 => lsp::PositionEncodingKind::UTF8,
        Encoding::Utf16 => lsp::PositionEncodingKind::UTF16,
        Encoding::Utf32 => lsp::PositionEncodingKind::UTF32,
    }
}

/// Picks the position encoding: UTF-8 when the client offers it (the core's native unit), then
/// UTF-32, else LSP's default UTF-16.
pub fn negotiate(offered: Option<&[lsp::PositionEncodingKind]>) -> Encoding {
    let offered: Vec<Encoding> = offered
        .unwrap_or_default()
        .iter()
        .filter_map(encoding)
        .collect();
    [Encoding::Utf8, Encoding::Utf32]
        .into_iter()
        .find(|e| offered.contains(e))
        .unwrap_or(Encoding::Utf16)
}

/// Whether a document is a Unity project manifest: its path ends in `Packages/manifest.json`
/// (case-insensitively for Windows paths, as their file system compares).
pub fn is_manifest(uri: &Uri) -> bool {
    let path = uri.path().decode().to_string_lossy().replace('\\', "/");
    let suffix = "Packages/manifest.json";
    let matches = |p: &str, s: &str| p == s || p.ends_with(&format!("/{s}"));
    if matches(&path, suffix) {
        return true;
    }
    // `/c:/Game/...` or `c:/Game/...`: a Windows path.
    let trimmed = path.strip_prefix('/').unwrap_or(&path);
    let windows = trimmed.as_bytes().get(1) == Some(&b':')
        && trimmed
            .as_bytes()
            .first()
            .is_some_and(u8::is_ascii_alphabetic);
    windows && matches(&path.to_lowercase(), &suffix.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_paths() {
        let yes = [
            "file:///home/me/Game/Packages/manifest.json",
            "file:///c%3A/Game/packages/Manifest.json",
            "file:///C:/Game/Packages/manifest.json",
            "untitled:Packages/manifest.json",
        ];
        let no = [
            "file:///home/me/Game/Packages/package.json",
            "file:///home/me/Game/packages/manifest.json",
            "file:///home/me/Game/MyPackages/manifest.json",
            "file:///home/me/manifest.json",
        ];
        for uri in yes {
            assert!(is_manifest(&Uri::from_str(uri).unwrap()), "{uri}");
        }
        for uri in no {
            assert!(!is_manifest(&Uri::from_str(uri).unwrap()), "{uri}");
        }
    }

    #[test]
    fn negotiation_prefers_utf8_then_utf32() {
        use lsp::PositionEncodingKind as K;
        assert_eq!(negotiate(None), Encoding::Utf16);
        assert_eq!(negotiate(Some(&[K::UTF16])), Encoding::Utf16);
        assert_eq!(negotiate(Some(&[K::UTF16, K::UTF8])), Encoding::Utf8);
        assert_eq!(negotiate(Some(&[K::UTF32, K::UTF16])), Encoding::Utf32);
        assert_eq!(
            negotiate(Some(&[K::from("latin-1".to_string())])),
            Encoding::Utf16
        );
    }
}
