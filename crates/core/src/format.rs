//! Formatting in the layout Unity's Package Manager writes when it saves a manifest: two spaces
//! per level, one member or element per line, `"key": value`, empty objects and arrays as `{}`
//! and `[]`, keys in their order. The line endings (LF or CRLF) and whether the text ends with a
//! line break are kept, and so is a byte-order mark.
//!
//! Only whitespace changes: every token (strings and numbers byte for byte, escapes included)
//! stays as it is, duplicates and all, and the result is checked to hold the same tokens before
//! it is returned. Text that is not strict JSON is refused: there is no telling what a comment
//! or a trailing comma should become without changing what the file says.

use crate::diagnostic::Edit;
use crate::text::Span;
use crate::tree::{Child, Kind, Node};

const INDENT: &str = "  ";

/// Why a text was not formatted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatError {
    /// Empty or only whitespace.
    Empty,
    /// Not strict JSON: where, and the strict parser's message.
    NotStrict { span: Span, message: String },
}

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormatError::Empty => write!(f, "the file is empty"),
            FormatError::NotStrict { message, .. } => write!(f, "not strict JSON: {message}"),
        }
    }
}

impl std::error::Error for FormatError {}

/// A strictly parsed text, ready to be formatted.
struct Input<'a> {
    text: &'a str,
    root: Node,
    newline: &'static str,
}

fn prepare(text: &str) -> Result<Input<'_>, FormatError> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    if body.trim().is_empty() {
        return Err(FormatError::Empty);
    }
    let offset = text.len() - body.len();
    crate::parse::strict_check(body).map_err(|(span, message)| FormatError::NotStrict {
        span: Span::new(span.start + offset, span.end + offset),
        message,
    })?;
    let root = crate::tree::tree(text).ok_or_else(|| FormatError::NotStrict {
        span: Span::new(0, text.len()),
        message: "the text does not parse".to_string(),
    })?;
    Ok(Input {
        text,
        root,
        newline: line_ending(text),
    })
}

/// The text's line ending: CRLF when its first line break is one, else LF.
fn line_ending(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// The whole text in Unity's layout.
pub fn format(text: &str) -> Result<String, FormatError> {
    let input = prepare(text)?;
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    if text.starts_with('\u{feff}') {
        out.push('\u{feff}');
    }
    write_value(&mut out, &input, &input.root, 0);
    if text[input.root.span.end..].contains(['\n', '\r']) {
        out.push_str(input.newline);
    }
    check_same_tokens(text, &out)?;
    Ok(out)
}

/// One edit that formats the smallest part of the text enclosing `range`: the members or
/// elements the range touches, within the innermost object or array that holds all of it (or
/// that whole object or array when the range touches none of its members, or the whole text at
/// the top). The edit may change nothing.
pub fn format_range(text: &str, range: Span) -> Result<Edit, FormatError> {
    let input = prepare(text)?;
    let range = Span::new(range.start.min(text.len()), range.end.min(text.len()));
    let mut node = &input.root;
    let mut depth = 0;
    let edit = loop {
        let hits: Vec<&Child> = node
            .children
            .iter()
            .filter(|c| touches(c.span, range))
            .collect();
        let Some((first, last)) = hits.first().zip(hits.last()) else {
            // Between the members, or on a bracket: this whole object or array.
            if depth == 0 {
                break Edit::replace(Span::new(0, text.len()), format(text)?);
            }
            let mut out = String::new();
            write_value(&mut out, &input, node, depth);
            break Edit::replace(node.span, out);
        };
        if hits.len() == 1 {
            let value = &first.value;
            let inside = value.span.start < range.start && range.end < value.span.end;
            if value.is_container() && inside {
                node = value;
                depth += 1;
                continue;
            }
        }
        // From after the token before the first member (`{`, `[` or `,`) to the token after the
        // last one (`,`, `}` or `]`).
        let start = text[..first.span.start].trim_end().len();
        let gap_after = &text[last.span.end..];
        let end = last.span.end + (gap_after.len() - gap_after.trim_start().len());
        let mut out = String::new();
        for (i, child) in hits.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(input.newline);
            indent(&mut out, depth + 1);
            write_child(&mut out, &input, child, depth + 1);
        }
        if matches!(text.as_bytes().get(end), Some(b'}' | b']')) {
            out.push_str(input.newline);
            indent(&mut out, depth);
        }
        break Edit::replace(Span::new(start, end), out);
    };
    let after = crate::diagnostic::apply_edits(text, [&edit]).unwrap_or_else(|| text.to_string());
    check_same_tokens(text, &after)?;
    Ok(edit)
}

/// Whether a member's span is touched by the range (a cursor touches what it is on or beside).
fn touches(span: Span, range: Span) -> bool {
    if range.start == range.end {
        span.start <= range.start && range.start <= span.end
    } else {
        span.start < range.end && range.start < span.end
    }
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str(INDENT);
    }
}

/// Writes `node`, whose closing bracket goes at `depth`.
fn write_value(out: &mut String, input: &Input<'_>, node: &Node, depth: usize) {
    let (open, close) = match node.kind {
        Kind::Scalar => {
            out.push_str(&input.text[node.span.range()]);
            return;
        }
        Kind::Object => ('{', '}'),
        Kind::Array => ('[', ']'),
    };
    out.push(open);
    for (i, child) in node.children.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(input.newline);
        indent(out, depth + 1);
        write_child(out, input, child, depth + 1);
    }
    if !node.children.is_empty() {
        out.push_str(input.newline);
        indent(out, depth);
    }
    out.push(close);
}

fn write_child(out: &mut String, input: &Input<'_>, child: &Child, depth: usize) {
    if let Some(key) = child.key {
        out.push_str(&input.text[key.range()]);
        out.push_str(": ");
    }
    write_value(out, input, &child.value, depth);
}

/// The tokens of a JSON text, each as its exact source text (no whitespace).
pub fn tokens(text: &str) -> Option<Vec<&str>> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let collect = jsonc_parser::CollectOptions {
        comments: jsonc_parser::CommentCollectionStrategy::AsTokens,
        tokens: true,
    };
    let parsed = jsonc_parser::parse_to_ast(body, &collect, &crate::parse::parse_options()).ok()?;
    Some(
        parsed
            .tokens?
            .iter()
            .map(|t| &body[t.range.start..t.range.end])
            .collect(),
    )
}

/// The formatter's own safety net: a result whose tokens differ from the input's is a bug, and
/// is refused rather than written.
fn check_same_tokens(before: &str, after: &str) -> Result<(), FormatError> {
    let expected = tokens(before);
    if expected.is_some() && expected == tokens(after) {
        Ok(())
    } else {
        Err(FormatError::NotStrict {
            span: Span::new(0, before.len()),
            message: "internal error: formatting would change the data".to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const UNITY: &str = "{\n  \"dependencies\": {\n    \"com.unity.ugui\": \"1.0.0\",\n    \"com.example.a\": \"file:../a\"\n  },\n  \"scopedRegistries\": [\n    {\n      \"name\": \"Example\",\n      \"url\": \"https://npm.example.com\",\n      \"scopes\": [\n        \"com.example\"\n      ]\n    }\n  ],\n  \"testables\": [],\n  \"lock\": {}\n}\n";

    fn squash(text: &str) -> String {
        // Every token of UNITY on one line, with odd spacing.
        tokens(text).unwrap().join(" ")
    }

    #[test]
    fn unity_layout_is_a_fixed_point() {
        assert_eq!(format(UNITY).unwrap(), UNITY);
    }

    #[test]
    fn any_spacing_becomes_unity_layout() {
        let messy = squash(UNITY) + "\n";
        assert_ne!(messy, UNITY);
        assert_eq!(format(&messy).unwrap(), UNITY);
        // Tabs, four spaces, `"key" :value`.
        let tabs = UNITY.replace("  ", "\t").replace("\": ", "\" :");
        assert_eq!(format(&tabs).unwrap(), UNITY);
    }

    #[test]
    fn line_endings_final_newline_and_bom_are_kept() {
        let crlf = squash(UNITY) + "\r\n";
        assert_eq!(format(&crlf).unwrap(), UNITY.replace('\n', "\r\n"));
        let spread_crlf = UNITY.replace('\n', "\r\n").replace("  ", "   ");
        assert_eq!(format(&spread_crlf).unwrap(), UNITY.replace('\n', "\r\n"));
        let no_final = UNITY.trim_end();
        assert_eq!(format(no_final).unwrap(), no_final);
        let many_final = format!("{}\n\n\n", UNITY.trim_end());
        assert_eq!(format(&many_final).unwrap(), UNITY);
        let bom = format!("\u{feff}{}", squash(UNITY));
        assert_eq!(format(&bom).unwrap(), format!("\u{feff}{}", no_final));
    }

    #[test]
    fn data_is_kept_byte_for_byte() {
        let text = r#"{"a":"\u00e9\/x","a":1.50e+3,"b":[true,false,null,-0],"c":{"d":[[]]}}"#;
        let out = format(text).unwrap();
        assert_eq!(tokens(text), tokens(&out));
        assert!(
            out.contains("\"a\": \"\\u00e9\\/x\",\n  \"a\": 1.50e+3,"),
            "{out}"
        );
        assert!(out.contains("\"d\": [\n      []\n    ]"), "{out}");
        assert_eq!(format(&out).unwrap(), out);
    }

    #[test]
    fn scalars_and_empty_containers_at_the_top() {
        assert_eq!(format("  [ ]  ").unwrap(), "[]");
        assert_eq!(format("{ }\n").unwrap(), "{}\n");
        assert_eq!(format("\"x\"").unwrap(), "\"x\"");
    }

    #[test]
    fn text_that_is_not_strict_json_is_refused() {
        for text in [
            "",
            "  \n",
            "{\"a\": 1,}",
            "// c\n{}",
            "{'a': 1}",
            "{\"a\": 1",
            "{a: 1}",
            "{\"a\": 0x10}",
        ] {
            assert!(format(text).is_err(), "{text:?}");
            assert!(format_range(text, Span::new(0, 0)).is_err(), "{text:?}");
        }
        match format("{\"a\": 1,}") {
            Err(FormatError::NotStrict { span, .. }) => assert_eq!(span.start, 8),
            other => panic!("{other:?}"),
        }
    }

    fn range_format(text: &str, needle: &str) -> String {
        let at = text.find(needle).unwrap();
        let edit = format_range(text, Span::new(at, at + needle.len())).unwrap();
        crate::diagnostic::apply_edits(text, [&edit]).unwrap()
    }

    #[test]
    fn range_formatting_touches_only_the_enclosing_members() {
        let text = "{\n\"dependencies\": {\"a\":\"1\",   \"b\" :\"2\", \"c\":\"3\"},\n\"testables\":[ ]\n}";
        // The range covers `"b" :"2"`: only that member changes (with the gap before it).
        let out = range_format(text, "\"b\" :\"2\"");
        assert_eq!(
            out,
            "{\n\"dependencies\": {\"a\":\"1\",\n    \"b\": \"2\", \"c\":\"3\"},\n\"testables\":[ ]\n}"
        );
        // Two members: both, and the gap between them.
        let out = range_format(text, "\"1\",   \"b\"");
        assert!(
            out.contains("{\n    \"a\": \"1\",\n    \"b\": \"2\", \"c\""),
            "{out}"
        );
        // The last member: the closing bracket goes on its own line.
        let out = range_format(text, "\"c\"");
        assert!(
            out.contains("\"2\",\n    \"c\": \"3\"\n  },\n\"testables\""),
            "{out}"
        );
        // A top-level member.
        let out = range_format(text, "\"testables\"");
        assert!(out.ends_with("},\n  \"testables\": []\n}"), "{out:?}");
        // Range formatting then formatting the whole is formatting the whole.
        for needle in ["\"b\" :\"2\"", "\"c\"", "\"testables\"", "{\"a\""] {
            let out = range_format(text, needle);
            assert_eq!(format(&out).unwrap(), format(text).unwrap(), "{needle}");
        }
        // The whole text.
        let whole = format_range(text, Span::new(0, text.len())).unwrap();
        assert_eq!(
            crate::diagnostic::apply_edits(text, [&whole]).unwrap(),
            format(text).unwrap()
        );
    }

    #[test]
    fn range_formatting_inside_a_container_between_members() {
        let text = "{\"a\": {\"x\":1 ,  \"y\":2}}";
        // A cursor in the gap after `1`: touches `"x":1` (its end).
        let at = text.find(" ,").unwrap();
        let edit = format_range(text, Span::new(at, at)).unwrap();
        let out = crate::diagnostic::apply_edits(text, [&edit]).unwrap();
        assert_eq!(out, "{\"a\": {\n    \"x\": 1,  \"y\":2}}");
        // A cursor after the comma, in whitespace: the whole inner object.
        let at = text.find(",  ").unwrap() + 2;
        let edit = format_range(text, Span::new(at, at)).unwrap();
        let out = crate::diagnostic::apply_edits(text, [&edit]).unwrap();
        assert_eq!(out, "{\"a\": {\n    \"x\": 1,\n    \"y\": 2\n  }}");
    }

    #[test]
    fn range_formatting_is_idempotent() {
        let text = squash(UNITY);
        for needle in ["\"com.example\"", "\"url\"", "\"lock\"", "1.0.0"] {
            let once = range_format(&text, needle);
            let at = once.find(needle).unwrap();
            let edit = format_range(&once, Span::new(at, at + needle.len())).unwrap();
            assert_eq!(
                crate::diagnostic::apply_edits(&once, [&edit]).unwrap(),
                once,
                "{needle}"
            );
        }
    }

    #[test]
    fn deep_nesting_formats() {
        let text = format!("{}{}", "[".repeat(500), "]".repeat(500));
        let out = format(&text).unwrap();
        assert_eq!(format(&out).unwrap(), out);
        assert_eq!(out.lines().count(), 999);
    }

    /// Every fixture manifest of the rule tests: formatted with its tokens kept and a fixed point
    /// after one pass, or refused because it is not strict JSON.
    #[test]
    fn every_fixture_formats_idempotently_or_is_refused() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
        let (mut formatted, mut refused) = (0, 0);
        let mut dirs = vec![root];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                if path.extension().is_none_or(|e| e != "json") {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                match format(&text) {
                    Ok(out) => {
                        formatted += 1;
                        assert_eq!(tokens(&text), tokens(&out), "{}", path.display());
                        assert_eq!(format(&out).unwrap(), out, "{}", path.display());
                    }
                    Err(_) => {
                        refused += 1;
                        let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
                        assert!(
                            body.trim().is_empty() || crate::parse::strict_check(body).is_err(),
                            "{}",
                            path.display()
                        );
                    }
                }
            }
        }
        assert!(formatted >= 30 && refused >= 3, "{formatted} {refused}");
    }
}
