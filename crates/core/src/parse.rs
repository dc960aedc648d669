//! Parsing: a permissive parse so that one stray comma does not hide every other problem, then a
//! strictness pass that reports each departure from the strict JSON that Unity's resolver reads.

use jsonc_parser::ast::{ObjectPropName, Value};
use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions};

use crate::text::Span;

pub mod fast;

pub use fast::parse_strict;

/// Nesting deeper than this is refused (as the parser itself does): no Unity manifest comes
/// near it, and it keeps every walk over the tree shallow.
pub const MAX_DEPTH: usize = 512;

/// The permissive options. Every field is spelt out on purpose: a new field in a future
/// jsonc-parser release must be a decision here, not a silent default.
pub fn parse_options() -> ParseOptions {
    ParseOptions {
        allow_comments: true,
        allow_loose_object_property_names: true,
        allow_trailing_commas: true,
        allow_missing_commas: true,
        allow_single_quoted_strings: true,
        allow_hexadecimal_numbers: true,
        allow_unary_plus_numbers: true,
        allow_bare_decimal_point_numbers: true,
        allow_non_finite_numbers: true,
        allow_extended_string_escapes: true,
    }
}

/// A departure from strict JSON that the permissive parser tolerated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Departure {
    LineComment(Span),
    BlockComment(Span),
    TrailingComma(Span),
    /// Two items with no comma between them; `after` is the end of the first item.
    MissingComma {
        after: usize,
        next: Span,
    },
    /// More than one comma between two items.
    ExtraComma(Span),
    SingleQuotedString {
        span: Span,
        value: String,
    },
    UnquotedKey {
        span: Span,
        name: String,
    },
    NonStrictNumber(Span),
    BadEscape(Span),
    ControlCharacterInString(Span),
    NonJsonWhitespace {
        span: Span,
        ch: char,
    },
    /// Anything else; found by the strict reference parser.
    Other {
        span: Span,
        message: String,
    },
}

/// A syntax error the permissive parser could not get past.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
}

pub struct Parsed<'a> {
    pub value: Option<Value<'a>>,
}

/// Parses permissively. `text` must already have any BOM blanked out (see `lib.rs`).
///
/// Strict JSON (nearly every manifest and lock file) goes through [`parse_strict`], which
/// builds the same tree in a fraction of the time; anything else through jsonc-parser
/// ([`parse_permissive`]).
pub fn parse(text: &str) -> Result<Parsed<'_>, SyntaxError> {
    match parse_strict(text) {
        Some(value) => Ok(Parsed { value: Some(value) }),
        None => parse_permissive(text),
    }
}

/// Parses permissively with jsonc-parser, whatever the text.
pub fn parse_permissive(text: &str) -> Result<Parsed<'_>, SyntaxError> {
    let collect = CollectOptions {
        comments: CommentCollectionStrategy::Off,
        tokens: false,
    };
    match jsonc_parser::parse_to_ast(text, &collect, &parse_options()) {
        Ok(result) => Ok(Parsed {
            value: result.value,
        }),
        Err(err) => {
            let span: Span = err.range().into();
            let message = match err.kind() {
                jsonc_parser::errors::ParseErrorKind::NestingDepthExceeded => {
                    format!("objects and arrays are nested more than {MAX_DEPTH} levels deep")
                }
                kind => lowercase_first(&kind.to_string()),
            };
            Err(SyntaxError { span, message })
        }
    }
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Whether `text` is strict JSON, by serde_json, the reference strict parser. On failure, the
/// byte span and message of its error.
pub fn strict_check(text: &str) -> Result<(), (Span, String)> {
    match serde_json::from_str::<serde::de::IgnoredAny>(text) {
        Ok(_) => Ok(()),
        Err(err) => {
            let offset = offset_of_line_column(text, err.line(), err.column());
            let message = err.to_string();
            let message = match message.rfind(" at line ") {
                Some(i) => message[..i].to_string(),
                None => message,
            };
            Err((Span::new(offset, next_char_end(text, offset)), message))
        }
    }
}

/// serde_json counts lines by `\n` and columns in bytes, both from 1.
fn offset_of_line_column(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let mut offset = (start + column.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn next_char_end(text: &str, offset: usize) -> usize {
    text[offset..]
        .chars()
        .next()
        .map_or(offset, |c| offset + c.len_utf8())
}

/// Walks the permissive tree and lists every departure from strict JSON.
pub fn departures(text: &str, root: Option<&Value<'_>>) -> Vec<Departure> {
    let mut out = Vec::new();
    match root {
        Some(root) => {
            let span = value_span(root);
            scan_gap(text, Span::new(0, span.start), GapKind::Edge, &mut out);
            walk(text, root, &mut out);
            scan_gap(
                text,
                Span::new(span.end, text.len()),
                GapKind::Edge,
                &mut out,
            );
        }
        None => {
            scan_gap(text, Span::new(0, text.len()), GapKind::Edge, &mut out);
        }
    }
    out
}

pub fn value_span(value: &Value<'_>) -> Span {
    match value {
        Value::StringLit(v) => v.range.into(),
        Value::NumberLit(v) => v.range.into(),
        Value::BooleanLit(v) => v.range.into(),
        Value::Object(v) => v.range.into(),
        Value::Array(v) => v.range.into(),
        Value::NullKeyword(v) => v.range.into(),
    }
}

fn walk(text: &str, value: &Value<'_>, out: &mut Vec<Departure>) {
    // An explicit stack: the tree can be up to MAX_DEPTH deep.
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            Value::StringLit(s) => check_string(text, s.range.into(), &s.value, out),
            Value::NumberLit(n) => {
                if !is_strict_number(n.value) {
                    out.push(Departure::NonStrictNumber(n.range.into()));
                }
            }
            Value::BooleanLit(_) | Value::NullKeyword(_) => {}
            Value::Array(array) => {
                let items: Vec<Span> = array.elements.iter().map(value_span).collect();
                check_list(text, array.range.into(), &items, out);
                stack.extend(array.elements.iter().rev());
            }
            Value::Object(object) => {
                let items: Vec<Span> = object.properties.iter().map(|p| p.range.into()).collect();
                check_list(text, object.range.into(), &items, out);
                for prop in &object.properties {
                    let name_span: Span = match &prop.name {
                        ObjectPropName::String(s) => {
                            check_string(text, s.range.into(), &s.value, out);
                            s.range.into()
                        }
                        ObjectPropName::Word(w) => {
                            out.push(Departure::UnquotedKey {
                                span: w.range.into(),
                                name: w.value.to_string(),
                            });
                            w.range.into()
                        }
                    };
                    let value_start = value_span(&prop.value).start;
                    scan_gap(
                        text,
                        Span::new(name_span.end, value_start),
                        GapKind::Colon,
                        out,
                    );
                }
                stack.extend(object.properties.iter().rev().map(|p| &p.value));
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum GapKind {
    /// Before the root value or after it: only whitespace and comments.
    Edge,
    /// Between a container's opening bracket and its first item, or its last item and its
    /// closing bracket: no comma allowed (one before the closing bracket is a trailing comma).
    Open,
    Close,
    /// Between two items: exactly one comma.
    Between,
    /// Between a key and its value: the colon (the parser insists on it).
    Colon,
}

/// Checks the items of an array or object: the gaps between the brackets and the items.
fn check_list(text: &str, container: Span, items: &[Span], out: &mut Vec<Departure>) {
    let inner = Span::new(
        container.start + 1,
        container.end.saturating_sub(1).max(container.start + 1),
    );
    if items.is_empty() {
        scan_gap(text, inner, GapKind::Close, out);
        return;
    }
    scan_gap(
        text,
        Span::new(inner.start, items[0].start),
        GapKind::Open,
        out,
    );
    for pair in items.windows(2) {
        let commas = scan_gap(
            text,
            Span::new(pair[0].end, pair[1].start),
            GapKind::Between,
            out,
        );
        match commas.len() {
            0 => out.push(Departure::MissingComma {
                after: pair[0].end,
                next: pair[1],
            }),
            1 => {}
            _ => commas[1..]
                .iter()
                .for_each(|&c| out.push(Departure::ExtraComma(Span::new(c, c + 1)))),
        }
    }
    scan_gap(
        text,
        Span::new(items[items.len() - 1].end, inner.end),
        GapKind::Close,
        out,
    );
}

/// Scans whitespace, comments and separators between two tokens; returns the commas' offsets.
fn scan_gap(text: &str, gap: Span, kind: GapKind, out: &mut Vec<Departure>) -> Vec<usize> {
    let mut commas = Vec::new();
    if gap.start >= gap.end || gap.end > text.len() {
        return commas;
    }
    let bytes = text.as_bytes();
    let mut i = gap.start;
    while i < gap.end {
        match bytes[i] {
            b' ' | b'\t' | b'\n' | b'\r' | b':' => i += 1,
            b',' => {
                match kind {
                    GapKind::Between => commas.push(i),
                    GapKind::Close => out.push(Departure::TrailingComma(Span::new(i, i + 1))),
                    _ => out.push(Departure::ExtraComma(Span::new(i, i + 1))),
                }
                i += 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = text[i..gap.end]
                    .find(['\n', '\r'])
                    .map_or(gap.end, |n| i + n);
                out.push(Departure::LineComment(Span::new(i, end)));
                i = end;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = text[i + 2..gap.end]
                    .find("*/")
                    .map_or(gap.end, |n| i + 2 + n + 2);
                out.push(Departure::BlockComment(Span::new(i, end)));
                i = end;
            }
            _ => {
                let ch = text[i..].chars().next().unwrap_or('\u{fffd}');
                let end = i + ch.len_utf8();
                if ch.is_whitespace() || ch == '\u{feff}' {
                    out.push(Departure::NonJsonWhitespace {
                        span: Span::new(i, end),
                        ch,
                    });
                }
                i = end;
            }
        }
    }
    commas
}

fn check_string(text: &str, span: Span, value: &str, out: &mut Vec<Departure>) {
    let raw = &text[span.range()];
    if raw.starts_with('\'') {
        out.push(Departure::SingleQuotedString {
            span,
            value: value.to_string(),
        });
        return;
    }
    let bytes = raw.as_bytes();
    let mut i = 1;
    let end = bytes.len().saturating_sub(1);
    while i < end {
        match bytes[i] {
            b'\\' => {
                let ok = match bytes.get(i + 1) {
                    Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                        i += 2;
                        true
                    }
                    Some(b'u')
                        if bytes.len() >= i + 6
                            && bytes[i + 2..i + 6].iter().all(u8::is_ascii_hexdigit) =>
                    {
                        i += 6;
                        true
                    }
                    _ => false,
                };
                if !ok {
                    let len = raw[i + 1..].chars().next().map_or(1, |c| 1 + c.len_utf8());
                    out.push(Departure::BadEscape(Span::new(
                        span.start + i,
                        span.start + i + len,
                    )));
                    i += len;
                }
            }
            b if b < 0x20 => {
                out.push(Departure::ControlCharacterInString(Span::new(
                    span.start + i,
                    span.start + i + 1,
                )));
                i += 1;
            }
            _ => i += 1,
        }
    }
}

/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
pub fn is_strict_number(s: &str) -> bool {
    let b = s.as_bytes();
    // Advances past a run of digits; whether there was at least one.
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i > start
    };
    let mut i = usize::from(b.first() == Some(&b'-'));
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            digits(&mut i);
        }
        _ => return false,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !digits(&mut i) {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Departure> {
        let parsed = parse(text).unwrap();
        departures(text, parsed.value.as_ref())
    }

    #[test]
    fn strict_json_has_no_departures() {
        let text = r#"{"a": [1, -2.5e3, "x\n\u00e9"], "b": {"c": null, "d": true}}"#;
        assert_eq!(kinds(text), vec![]);
        assert!(strict_check(text).is_ok());
    }

    #[test]
    fn each_departure_is_found_at_its_span() {
        let text =
            "// c\n{a: 'x', \"b\": [1, 2,], \"c\": 0x1F \"d\": +1, /* e */ \"f\": \"\\x41\",}";
        let found = kinds(text);
        let spans: Vec<&str> = found
            .iter()
            .map(|d| match d {
                Departure::LineComment(s)
                | Departure::BlockComment(s)
                | Departure::TrailingComma(s)
                | Departure::NonStrictNumber(s)
                | Departure::BadEscape(s) => &text[s.range()],
                Departure::SingleQuotedString { span, .. }
                | Departure::UnquotedKey { span, .. } => &text[span.range()],
                Departure::MissingComma { next, .. } => &text[next.range()],
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        assert_eq!(
            spans,
            [
                "// c",
                "\"d\": +1",
                "/* e */",
                ",",
                "a",
                "'x'",
                ",",
                "0x1F",
                "+1",
                "\\x"
            ],
            "{found:?}"
        );
    }

    #[test]
    fn strict_numbers() {
        for ok in ["0", "-0", "12", "1.5", "1e5", "1E+5", "-1.25e-3"] {
            assert!(is_strict_number(ok), "{ok}");
        }
        for bad in ["01", "+1", ".5", "5.", "0x10", "NaN", "Infinity", "1e", "-"] {
            assert!(!is_strict_number(bad), "{bad}");
        }
    }

    #[test]
    fn fatal_errors_have_a_span_and_never_panic() {
        for text in [
            "",
            "{",
            "{\"a\" 1}",
            "[[[[",
            "}",
            "\u{0}\u{1}garbage",
            "{\"a\":\"\\u12\"}",
        ] {
            if let Err(err) = parse(text) {
                assert!(err.span.end <= text.len() + 1, "{text:?}: {err:?}");
            }
        }
        let deep = "[".repeat(100_000);
        assert!(parse(&deep).err().unwrap().message.contains("nested"));
    }
}
