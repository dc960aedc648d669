//! `textDocument/publishDiagnostics` written straight to JSON bytes.
//!
//! The server publishes a document's whole set of diagnostics on every keystroke. Through serde's
//! derived serializers each of the ~25 keys and ~8 strings of a diagnostic is its own escaped
//! string (every key goes through serde_json's byte-by-byte escaper and several buffer checks),
//! which made serializing a typical manifest's 60 diagnostics (35 KB) cost more than linting it.
//! Here the keys are literals, numbers go through `itoa` (what serde_json itself uses), strings
//! are copied in runs between the few bytes JSON escapes, and only a diagnostic's `data` (an
//! arbitrary JSON value) and enum values outside LSP's lists go through serde_json. The output
//! is the same JSON as serde_json's for the same parameters (tested below, member for member),
//! with keys in the types' field order.

use serde::Serialize;
use tower_lsp_server::ls_types::*;

/// The JSON-RPC notification body of `publishDiagnostics` with `params`.
pub fn publish_diagnostics(params: &PublishDiagnosticsParams) -> Vec<u8> {
    let mut out = Vec::with_capacity(128 + 640 * params.diagnostics.len());
    out.extend_from_slice(
        br#"{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"#,
    );
    string(&mut out, params.uri.as_str());
    out.extend_from_slice(br#","diagnostics":["#);
    let mut memo = Memo::default();
    for (i, d) in params.diagnostics.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        diagnostic(&mut out, d, &mut memo);
    }
    out.push(b']');
    if let Some(version) = params.version {
        out.extend_from_slice(br#","version":"#);
        int(&mut out, version);
    }
    out.extend_from_slice(b"}}");
    out
}

/// The escaped form of the strings most diagnostics of a publish share (their code, link,
/// source and the document's URI in related information): each is escaped once per run of
/// equal values.
#[derive(Default)]
struct Memo<'a> {
    code: Last<'a>,
    href: Last<'a>,
    source: Last<'a>,
    uri: Last<'a>,
}

/// The last string written through it, and what it was written as.
#[derive(Default)]
struct Last<'a>(Option<&'a str>, Vec<u8>);

impl<'a> Last<'a> {
    fn string(&mut self, out: &mut Vec<u8>, s: &'a str) {
        if self.0 == Some(s) {
            out.extend_from_slice(&self.1);
            return;
        }
        let start = out.len();
        string(out, s);
        self.0 = Some(s);
        self.1.clear();
        self.1.extend_from_slice(&out[start..]);
    }
}

fn diagnostic<'a>(out: &mut Vec<u8>, d: &'a Diagnostic, memo: &mut Memo<'a>) {
    out.extend_from_slice(br#"{"range":"#);
    range(out, &d.range);
    if let Some(severity) = d.severity {
        out.extend_from_slice(br#","severity":"#);
        match severity {
            DiagnosticSeverity::ERROR => out.push(b'1'),
            DiagnosticSeverity::WARNING => out.push(b'2'),
            DiagnosticSeverity::INFORMATION => out.push(b'3'),
            DiagnosticSeverity::HINT => out.push(b'4'),
            other => serde(out, &other),
        }
    }
    if let Some(code) = &d.code {
        out.extend_from_slice(br#","code":"#);
        match code {
            NumberOrString::Number(n) => int(out, *n),
            NumberOrString::String(s) => memo.code.string(out, s),
        }
    }
    if let Some(description) = &d.code_description {
        out.extend_from_slice(br#","codeDescription":{"href":"#);
        memo.href.string(out, description.href.as_str());
        out.push(b'}');
    }
    if let Some(source) = &d.source {
        out.extend_from_slice(br#","source":"#);
        memo.source.string(out, source);
    }
    out.extend_from_slice(br#","message":"#);
    string(out, &d.message);
    if let Some(related) = &d.related_information {
        out.extend_from_slice(br#","relatedInformation":["#);
        for (i, r) in related.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(br#"{"location":{"uri":"#);
            memo.uri.string(out, r.location.uri.as_str());
            out.extend_from_slice(br#","range":"#);
            range(out, &r.location.range);
            out.extend_from_slice(br#"},"message":"#);
            string(out, &r.message);
            out.push(b'}');
        }
        out.push(b']');
    }
    if let Some(tags) = &d.tags {
        out.extend_from_slice(br#","tags":["#);
        for (i, tag) in tags.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            match tag {
                &DiagnosticTag::UNNECESSARY => out.push(b'1'),
                &DiagnosticTag::DEPRECATED => out.push(b'2'),
                other => serde(out, other),
            }
        }
        out.push(b']');
    }
    if let Some(data) = &d.data {
        out.extend_from_slice(br#","data":"#);
        serde(out, data);
    }
    out.push(b'}');
}

fn range(out: &mut Vec<u8>, r: &Range) {
    out.extend_from_slice(br#"{"start":"#);
    position(out, r.start);
    out.extend_from_slice(br#","end":"#);
    position(out, r.end);
    out.push(b'}');
}

fn position(out: &mut Vec<u8>, p: Position) {
    out.extend_from_slice(br#"{"line":"#);
    int(out, p.line);
    out.extend_from_slice(br#","character":"#);
    int(out, p.character);
    out.push(b'}');
}

/// A value through serde_json (for `data` and unknown enum values).
fn serde<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) {
    // Writing to a Vec fails only for a type that cannot be JSON; `null` keeps the output valid.
    if serde_json::to_writer(&mut *out, value).is_err() {
        out.extend_from_slice(b"null");
    }
}

use manifest_lint_core::json_text::{int, string};

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn uri(s: &str) -> Uri {
        s.parse().unwrap()
    }

    /// What serde_json writes for the same notification.
    fn reference(params: &PublishDiagnosticsParams) -> Vec<u8> {
        serde_json::to_vec(&json!({
            "jsonrpc": "2.0",
            "method": "textDocument/publishDiagnostics",
            "params": params,
        }))
        .unwrap()
    }

    fn check(params: &PublishDiagnosticsParams) {
        let ours = publish_diagnostics(params);
        let ours: Value = serde_json::from_slice(&ours)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&ours)));
        let theirs: Value = serde_json::from_slice(&reference(params)).unwrap();
        assert_eq!(ours, theirs);
    }

    fn full(message: &str) -> Diagnostic {
        Diagnostic {
            range: Range::new(Position::new(3, 8), Position::new(3, 40)),
            severity: Some(DiagnosticSeverity::HINT),
            code: Some(NumberOrString::String("redundant-scope".into())),
            code_description: Some(CodeDescription {
                href: uri("https://example.com/docs/rules.md#redundant-scope"),
            }),
            source: Some("manifest-lint".into()),
            message: message.into(),
            related_information: Some(vec![
                DiagnosticRelatedInformation {
                    location: Location::new(
                        uri("file:///game/Packages/manifest.json"),
                        Range::new(Position::new(2, 8), Position::new(2, 26)),
                    ),
                    message: "this broader scope covers it".into(),
                },
                DiagnosticRelatedInformation {
                    location: Location::new(
                        uri("file:///C%3A/Game%20%C3%9Cber/Packages/manifest.json"),
                        Range::new(Position::new(0, 0), Position::new(u32::MAX, u32::MAX)),
                    ),
                    message: String::new(),
                },
            ]),
            tags: Some(vec![DiagnosticTag::UNNECESSARY, DiagnosticTag::DEPRECATED]),
            data: Some(json!({"fix": [1, "two", {"three": null}], "why": "a \"quoted\" line\n"})),
        }
    }

    #[test]
    fn equals_serde_json_for_every_field() {
        check(&PublishDiagnosticsParams::new(
            uri("file:///game/Packages/manifest.json"),
            vec![full("`a.b` is already covered by `a`")],
            Some(7),
        ));
    }

    #[test]
    fn shared_strings_are_right_after_a_change_of_value() {
        // Runs of one code, link, source and related URI, broken by other values and by
        // diagnostics without them: each must be written as its own value, not the last one's.
        let mut other = full("other");
        other.code = Some(NumberOrString::String("glob-scope".into()));
        other.code_description = Some(CodeDescription {
            href: uri("https://example.com/docs/rules.md#glob-scope"),
        });
        other.source = Some("another \"tool\"".into());
        if let Some(related) = &mut other.related_information {
            related[0].location.uri = uri("file:///other/Packages/manifest.json");
        }
        let bare = Diagnostic {
            message: "bare".into(),
            ..Diagnostic::default()
        };
        check(&PublishDiagnosticsParams::new(
            uri("file:///game/Packages/manifest.json"),
            vec![
                full("a"),
                full("b"),
                other.clone(),
                other.clone(),
                full("c"),
                bare.clone(),
                other,
                bare,
                full("d"),
            ],
            Some(3),
        ));
    }

    #[test]
    fn equals_serde_json_without_the_optional_fields() {
        let bare = Diagnostic {
            range: Range::default(),
            message: "m".into(),
            ..Diagnostic::default()
        };
        let numbered = Diagnostic {
            code: Some(NumberOrString::Number(-42)),
            severity: Some(DiagnosticSeverity::ERROR),
            related_information: Some(Vec::new()),
            tags: Some(Vec::new()),
            ..bare.clone()
        };
        for version in [None, Some(0), Some(i32::MIN), Some(i32::MAX)] {
            check(&PublishDiagnosticsParams::new(
                uri("file:///x.json"),
                Vec::new(),
                version,
            ));
            check(&PublishDiagnosticsParams::new(
                uri("untitled:Untitled-1"),
                vec![bare.clone(), numbered.clone(), bare.clone()],
                version,
            ));
        }
        for severity in [DiagnosticSeverity::WARNING, DiagnosticSeverity::INFORMATION] {
            let d = Diagnostic {
                severity: Some(severity),
                ..bare.clone()
            };
            check(&PublishDiagnosticsParams::new(
                uri("file:///x"),
                vec![d],
                None,
            ));
        }
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        // Every byte below 0x80 (each control character, quote and backslash), non-ASCII text
        // (accents, CJK, an astral character, U+2028) and a lone surrogate's replacement.
        let mut every: String = (0u8..0x80).map(char::from).collect();
        every.push_str("Überraschungsei 日本語 😀 \u{2028} \u{fffd} \u{7f}");
        let mut messages = vec![
            every.clone(),
            String::new(),
            "\"".into(),
            "\\".into(),
            "end\\".into(),
            "\u{1}".into(),
            "plain".into(),
        ];
        // One byte to escape at every offset of a string longer than two words.
        for at in 0..20 {
            for special in ['"', '\\', '\n', '\u{1f}'] {
                let mut m: String = "abcdefghijklmnopqrst".into();
                m.replace_range(at..at + 1, &special.to_string());
                messages.push(m);
            }
        }
        for message in &messages {
            let message = message.as_str();
            let params =
                PublishDiagnosticsParams::new(uri("file:///x"), vec![full(message)], Some(1));
            check(&params);
            // Byte for byte, too: the escapes are serde_json's own spelling.
            let ours = publish_diagnostics(&params);
            let mut expected = Vec::new();
            string(&mut expected, message);
            assert_eq!(expected, serde_json::to_vec(message).unwrap());
            assert!(
                ours.windows(expected.len())
                    .any(|w| w == expected.as_slice())
            );
        }
    }
}
