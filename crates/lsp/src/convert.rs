//! From the core's byte spans and diagnostics to LSP's positions and diagnostics.

use std::str::FromStr;

use manifest_lint_core::{Encoding, Severity, Span};
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
    convert_one(d, uri, &mut |span| snap.range(span, encoding), &mut None)
}

fn convert_one(
    d: &manifest_lint_core::Diagnostic,
    uri: &Uri,
    range: &mut impl FnMut(Span) -> lsp::Range,
    description: &mut Option<(&'static str, Option<CodeDescription>)>,
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
            location: Location::new(uri.clone(), range(label.span)),
            message: label.message.clone(),
        })
        .collect();
    // Diagnostics come sorted by position, so runs of one rule are common: its link is parsed
    // once per run.
    let code_description = match description {
        Some((id, href)) if *id == d.rule.id => href.clone(),
        _ => {
            let href = Uri::from_str(&d.rule.url())
                .ok()
                .map(|href| CodeDescription { href });
            *description = Some((d.rule.id, href.clone()));
            href
        }
    };
    lsp::Diagnostic {
        range: range(d.span),
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.rule.id.to_string())),
        code_description,
        source: Some(SOURCE.to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: d.unnecessary.then(|| vec![DiagnosticTag::UNNECESSARY]),
        data: None,
    }
}

/// Every diagnostic of a snapshot. Their offsets are converted together, in one pass along the
/// text ([`Positions`]).
pub fn diagnostics(snap: &Snapshot, uri: &Uri, encoding: Encoding) -> Vec<lsp::Diagnostic> {
    let diagnostics = &snap.analysis.diagnostics;
    let offsets = diagnostics.iter().flat_map(|d| {
        std::iter::once(d.span)
            .chain(d.labels.iter().map(|l| l.span))
            .flat_map(|s| [s.start, s.end])
    });
    let positions = Positions::new(snap, offsets, encoding);
    let mut range = |span: Span| positions.range(span);
    let mut description = None;
    diagnostics
        .iter()
        .map(|d| convert_one(d, uri, &mut range, &mut description))
        .collect()
}

/// The LSP positions of a set of byte offsets of one text, computed in one pass in offset order:
/// each column is counted on from the previous offset on its line, so a thousand diagnostics on
/// one line of megabytes (a minified manifest) cost one walk along the line, not a thousand.
pub struct Positions {
    /// Sorted, distinct, clamped to the text and to character boundaries.
    offsets: Vec<usize>,
    positions: Vec<lsp::Position>,
}

impl Positions {
    pub fn new(
        snap: &Snapshot,
        offsets: impl IntoIterator<Item = usize>,
        encoding: Encoding,
    ) -> Positions {
        let text = snap.text.as_str();
        let mut offsets: Vec<usize> = offsets.into_iter().map(|o| boundary(text, o)).collect();
        offsets.sort_unstable();
        offsets.dedup();
        let mut positions = Vec::with_capacity(offsets.len());
        // The line of the previous offset, and that offset with its column.
        let mut previous: Option<(usize, usize, usize)> = None;
        for &offset in &offsets {
            let line = snap.index.line_of(offset);
            let (from, column) = match previous {
                Some((l, at, column)) if l == line => (at, column),
                _ => (snap.index.line_start(line).unwrap_or(0), 0),
            };
            let column = column + units(&text[from..offset], encoding);
            positions.push(lsp::Position::new(line as u32, column as u32));
            previous = Some((line, offset, column));
        }
        Positions { offsets, positions }
    }

    /// The range of a span whose ends were among the offsets given.
    pub fn range(&self, span: Span) -> lsp::Range {
        let start = self.find(span.start);
        let end = self.find(span.end);
        lsp::Range::new(start, end)
    }

    fn find(&self, offset: usize) -> lsp::Position {
        match self.offsets.binary_search(&offset) {
            Ok(i) => self.positions[i],
            // Clamped when the set was made (past the end, inside a character): the nearest
            // offset below is where it went.
            Err(i) => i
                .checked_sub(1)
                .map_or(lsp::Position::new(0, 0), |i| self.positions[i]),
        }
    }
}

/// `offset` clamped to the text and moved back to a character boundary (as the line index does).
fn boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The length of `s` in `encoding`'s units.
fn units(s: &str, encoding: Encoding) -> usize {
    if encoding == Encoding::Utf8 || s.is_ascii() {
        return s.len();
    }
    match encoding {
        Encoding::Utf16 => s.chars().map(char::len_utf16).sum(),
        _ => s.chars().count(),
    }
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
    fn positions_in_one_pass_agree_with_the_line_index() {
        use manifest_lint_core::LintOptions;
        let text = "{\"dependencies\": {\"é😀\": \"1\", \"日本\": 2}}\r\n\n  \"€\"x\r😀";
        let snap = Snapshot::new(text.to_string(), &LintOptions::default());
        // Every offset, past the end too, inside characters too, in no order and repeated.
        let offsets: Vec<usize> = (0..text.len() + 3).rev().chain(0..4).collect();
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let positions = Positions::new(&snap, offsets.iter().copied(), encoding);
            for &offset in &offsets {
                let span = manifest_lint_core::Span::new(offset, text.len() + 2);
                assert_eq!(
                    positions.range(span),
                    snap.range(span, encoding),
                    "{encoding:?} at {offset}"
                );
            }
        }
        // The diagnostics of a text, converted together, are those converted one by one.
        let uri = Uri::from_str("file:///p/Packages/manifest.json").unwrap();
        let text = "{\"dependencies\": {\"Émoji😀\": \"x\", \"a\": \"1.0.0\", \"a\": 2}, \"scopedRegistries\": [{\"name\": \"日本\", \"url\": \"ftp://x\", \"scopes\": [\"com.A\", \"com.A\"]}]}";
        let snap = Snapshot::new(text.to_string(), &LintOptions::default());
        assert!(snap.analysis.diagnostics.len() > 3);
        let one_by_one: Vec<lsp::Diagnostic> = snap
            .analysis
            .diagnostics
            .iter()
            .map(|d| diagnostic(d, &uri, &snap, Encoding::Utf16))
            .collect();
        assert_eq!(diagnostics(&snap, &uri, Encoding::Utf16), one_by_one);
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
