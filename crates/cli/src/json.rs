//! `--format json` and `--format jsonl`, written straight to bytes.
//!
//! serde_json's pretty printer escaped every key and wrote each diagnostic through a dozen
//! serializer calls (about 13,000 instructions a diagnostic, a tenth of a 5 MB manifest's run).
//! Here keys and indentation are literals, numbers go through `itoa` and strings through the
//! core's escaper, which spells escapes as serde_json does. The output is the same bytes as
//! serde_json's pretty (`json`) and compact (`jsonl`) printing of the same document, keys in
//! alphabetical order (the order the document had as a `serde_json::Value`): the tests below
//! check both against serde_json itself.

use std::io::Write;

use manifest_lint_core::json_text::{int, string};
use manifest_lint_core::{Applicability, Diagnostic};

use crate::render::{Counts, FileReport, Positions, leaks};

/// Bytes gathered before they are handed to the output.
const FLUSH_AT: usize = 64 * 1024;

/// Machine output: exactly one JSON document.
pub(crate) fn json(out: &mut dyn Write, reports: &[FileReport]) -> std::io::Result<()> {
    let mut buf = Vec::with_capacity(FLUSH_AT + 4096);
    let top = Pretty { indent: 0 };
    let mut document = Object::open(&mut buf, &top);
    let files = document.key(&mut buf, "files");
    let file_items = files.open(&mut buf, b'[');
    for (i, report) in reports.iter().enumerate() {
        file_items.member(&mut buf, i == 0);
        let mut file = Object::open(&mut buf, &file_items);
        let diagnostics = file.key(&mut buf, "diagnostics");
        let items = diagnostics.open(&mut buf, b'[');
        let at = Positions::new(report);
        for (j, d) in report.analysis.diagnostics.iter().enumerate() {
            items.member(&mut buf, j == 0);
            diagnostic(&mut buf, &items, report, &at, d, None);
            if buf.len() >= FLUSH_AT {
                out.write_all(&buf)?;
                buf.clear();
            }
        }
        diagnostics.close(&mut buf, b']', report.analysis.diagnostics.is_empty());
        file.key(&mut buf, "path");
        string(&mut buf, &report.path);
        file.close(&mut buf);
    }
    files.close(&mut buf, b']', reports.is_empty());
    let c = Counts::of(reports);
    let summary_layout = document.key(&mut buf, "summary");
    let mut summary = Object::open(&mut buf, summary_layout);
    for (key, n) in [
        ("errors", c.errors),
        ("hints", c.hints),
        ("infos", c.infos),
        ("warnings", c.warnings),
    ] {
        summary.key(&mut buf, key);
        int(&mut buf, n);
    }
    summary.close(&mut buf);
    document.key(&mut buf, "version");
    buf.push(b'1');
    document.close(&mut buf);
    buf.push(b'\n');
    out.write_all(&buf)
}

/// JSON Lines: one compact object per diagnostic (the `--format json` diagnostic plus the
/// file's `path`), nothing else.
pub(crate) fn jsonl(out: &mut dyn Write, reports: &[FileReport]) -> std::io::Result<()> {
    let mut buf = Vec::with_capacity(FLUSH_AT + 4096);
    for report in reports {
        let at = Positions::new(report);
        for d in &report.analysis.diagnostics {
            diagnostic(&mut buf, &Compact, report, &at, d, Some(&report.path));
            buf.push(b'\n');
            if buf.len() >= FLUSH_AT {
                out.write_all(&buf)?;
                buf.clear();
            }
        }
    }
    out.write_all(&buf)
}

/// The layout of objects and arrays: serde_json's pretty printer (two spaces an indentation
/// level, `": "` after keys) or its compact one.
trait Layout {
    /// Opens an object or array (`open` is `{` or `[`) whose members are one level deeper.
    fn open(&self, out: &mut Vec<u8>, open: u8) -> Self
    where
        Self: Sized;
    /// Before each member: `first` is whether it is the first.
    fn member(&self, out: &mut Vec<u8>, first: bool);
    /// After the key of a member.
    fn colon(&self, out: &mut Vec<u8>);
    /// Closes what `open` opened, at the outer level `self`; `empty` when nothing was in it.
    fn close(&self, out: &mut Vec<u8>, close: u8, empty: bool);
}

struct Pretty {
    /// Spaces before a member at this level.
    indent: usize,
}

impl Pretty {
    fn newline(&self, out: &mut Vec<u8>, indent: usize) {
        const SPACES: &[u8; 64] = &[b' '; 64];
        out.push(b'\n');
        let mut left = indent;
        while left > 0 {
            let n = left.min(SPACES.len());
            out.extend_from_slice(&SPACES[..n]);
            left -= n;
        }
    }
}

impl Layout for Pretty {
    fn open(&self, out: &mut Vec<u8>, open: u8) -> Self {
        out.push(open);
        Pretty {
            indent: self.indent + 2,
        }
    }

    fn member(&self, out: &mut Vec<u8>, first: bool) {
        if !first {
            out.push(b',');
        }
        self.newline(out, self.indent);
    }

    fn colon(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b": ");
    }

    fn close(&self, out: &mut Vec<u8>, close: u8, empty: bool) {
        if !empty {
            self.newline(out, self.indent);
        }
        out.push(close);
    }
}

struct Compact;

impl Layout for Compact {
    fn open(&self, out: &mut Vec<u8>, open: u8) -> Self {
        out.push(open);
        Compact
    }

    fn member(&self, out: &mut Vec<u8>, first: bool) {
        if !first {
            out.push(b',');
        }
    }

    fn colon(&self, out: &mut Vec<u8>) {
        out.push(b':');
    }

    fn close(&self, out: &mut Vec<u8>, close: u8, _empty: bool) {
        out.push(close);
    }
}

/// An object being written: its members in the order they are given (alphabetical).
struct Object<'l, L: Layout> {
    outer: &'l L,
    inner: L,
    first: bool,
}

impl<'l, L: Layout> Object<'l, L> {
    fn open(out: &mut Vec<u8>, outer: &'l L) -> Self {
        let inner = outer.open(out, b'{');
        Object {
            outer,
            inner,
            first: true,
        }
    }

    /// Writes `"key": ` (the key needs no escaping) and returns the layout for the value.
    fn key(&mut self, out: &mut Vec<u8>, key: &str) -> &L {
        self.inner.member(out, self.first);
        self.first = false;
        out.push(b'"');
        out.extend_from_slice(key.as_bytes());
        out.push(b'"');
        self.inner.colon(out);
        &self.inner
    }

    fn close(self, out: &mut Vec<u8>) {
        self.outer.close(out, b'}', self.first);
    }
}

fn diagnostic<L: Layout>(
    out: &mut Vec<u8>,
    layout: &L,
    report: &FileReport,
    at: &Positions,
    d: &Diagnostic,
    path: Option<&str>,
) {
    let mut object = Object::open(out, layout);
    let inner = object.key(out, "end");
    position(out, inner, at, d.span.end);
    let fix_layout = object.key(out, "fix");
    match d.fix.as_ref().filter(|f| !leaks(report, f)) {
        None => out.extend_from_slice(b"null"),
        Some(fix) => {
            let mut f = Object::open(out, fix_layout);
            f.key(out, "applicability");
            string(
                out,
                match fix.applicability {
                    Applicability::Safe => "safe",
                    Applicability::Unsafe => "unsafe",
                },
            );
            let edits = f.key(out, "edits");
            let items = edits.open(out, b'[');
            for (i, edit) in fix.edits.iter().enumerate() {
                items.member(out, i == 0);
                let mut e = Object::open(out, &items);
                let inner = e.key(out, "end");
                position(out, inner, at, edit.span.end);
                e.key(out, "replacement");
                string(out, &edit.replacement);
                let inner = e.key(out, "start");
                position(out, inner, at, edit.span.start);
                e.close(out);
            }
            edits.close(out, b']', fix.edits.is_empty());
            f.key(out, "title");
            string(out, &fix.title);
            f.close(out);
        }
    }
    let labels_layout = object.key(out, "labels");
    let items = labels_layout.open(out, b'[');
    for (i, label) in d.labels.iter().enumerate() {
        items.member(out, i == 0);
        let mut l = Object::open(out, &items);
        let inner = l.key(out, "end");
        position(out, inner, at, label.span.end);
        l.key(out, "message");
        string(out, &label.message);
        let inner = l.key(out, "start");
        position(out, inner, at, label.span.start);
        l.close(out);
    }
    labels_layout.close(out, b']', d.labels.is_empty());
    object.key(out, "message");
    string(out, &d.message);
    let notes_layout = object.key(out, "notes");
    let items = notes_layout.open(out, b'[');
    for (i, note) in d.notes.iter().enumerate() {
        items.member(out, i == 0);
        string(out, note);
    }
    notes_layout.close(out, b']', d.notes.is_empty());
    if let Some(path) = path {
        object.key(out, "path");
        string(out, path);
    }
    object.key(out, "rule");
    string(out, d.rule.id);
    object.key(out, "severity");
    string(out, d.severity.as_str());
    let inner = object.key(out, "start");
    position(out, inner, at, d.span.start);
    object.close(out);
}

/// `{"column": c, "line": l}`, 1-based, columns in characters.
fn position<L: Layout>(out: &mut Vec<u8>, layout: &L, at: &Positions, offset: usize) {
    let p = at.position(offset);
    let mut object = Object::open(out, layout);
    object.key(out, "column");
    int(out, p.column);
    object.key(out, "line");
    int(out, p.line);
    object.close(out);
}

#[cfg(test)]
mod tests {
    use manifest_lint_core::{Edit, Encoding, Fix, LineIndex, LintOptions, Span, lint};
    use serde_json::json;

    use super::*;
    use crate::render::FileKind;
    use crate::render::tests::{Rng, texts};

    /// What serde_json makes of the same document, built here from the diagnostics with
    /// positions from a whole line index.
    fn expected(reports: &[FileReport]) -> (String, String) {
        let mut files = Vec::new();
        let mut lines = String::new();
        for report in reports {
            let index = LineIndex::new(&report.text);
            let at = |offset: usize| {
                let p = index.position(&report.text, offset, Encoding::Utf32);
                json!({"column": p.column + 1, "line": p.line + 1})
            };
            let mut diagnostics = Vec::new();
            for d in &report.analysis.diagnostics {
                let fix = d.fix.as_ref().filter(|f| !leaks(report, f)).map(|f| {
                    json!({
                        "applicability": f.applicability,
                        "edits": f.edits.iter().map(|e| json!({
                            "end": at(e.span.end),
                            "replacement": e.replacement,
                            "start": at(e.span.start),
                        })).collect::<Vec<_>>(),
                        "title": f.title,
                    })
                });
                let mut object = json!({
                    "end": at(d.span.end),
                    "fix": fix,
                    "labels": d.labels.iter().map(|l| json!({
                        "end": at(l.span.end),
                        "message": l.message,
                        "start": at(l.span.start),
                    })).collect::<Vec<_>>(),
                    "message": d.message,
                    "notes": d.notes,
                    "rule": d.rule.id,
                    "severity": d.severity.as_str(),
                    "start": at(d.span.start),
                });
                diagnostics.push(object.clone());
                object["path"] = json!(report.path);
                lines.push_str(&serde_json::to_string(&object).unwrap());
                lines.push('\n');
            }
            files.push(json!({"diagnostics": diagnostics, "path": report.path}));
        }
        let c = Counts::of(reports);
        let document = json!({
            "files": files,
            "summary": {"errors": c.errors, "hints": c.hints, "infos": c.infos, "warnings": c.warnings},
            "version": 1,
        });
        (
            serde_json::to_string_pretty(&document).unwrap() + "\n",
            lines,
        )
    }

    fn ours(reports: &[FileReport]) -> (String, String) {
        let (mut pretty, mut lines) = (Vec::new(), Vec::new());
        json(&mut pretty, reports).unwrap();
        jsonl(&mut lines, reports).unwrap();
        (
            String::from_utf8(pretty).unwrap(),
            String::from_utf8(lines).unwrap(),
        )
    }

    /// Byte for byte serde_json's output, for every fixture and corpus manifest's diagnostics
    /// and for made-up ones with labels, notes, fixes, escapes and spans anywhere (past the end
    /// and inside characters too), one file at a time, all together and none.
    #[test]
    fn json_and_jsonl_are_serde_jsons_bytes() {
        let words = [
            "",
            "a \"quoted\" word",
            "tab\tand \\",
            "é\u{1b}[0m 😀",
            "two\nlines",
        ];
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let mut reports = Vec::new();
        for (n, text) in texts().into_iter().enumerate() {
            let mut analysis = lint(&text, &LintOptions::default());
            for i in 0..12 {
                let mut d = analysis.diagnostics.first().cloned().unwrap_or_else(|| {
                    manifest_lint_core::Diagnostic::new(
                        manifest_lint_core::rule("glob-scope").unwrap(),
                        Span::new(0, 1),
                        "m",
                    )
                });
                rng.vary(&mut d, text.len(), &words, i);
                d.fix = (i % 3 != 0).then(|| Fix {
                    title: words[rng.below(words.len())].to_string(),
                    applicability: if i % 2 == 0 {
                        Applicability::Safe
                    } else {
                        Applicability::Unsafe
                    },
                    edits: (0..rng.below(3))
                        .map(|_| Edit {
                            span: rng.span(text.len()),
                            replacement: words[rng.below(words.len())].to_string(),
                        })
                        .collect(),
                });
                analysis.diagnostics.push(d);
            }
            reports.push(FileReport {
                path: format!("dir {n}/\"f\".json"),
                text,
                analysis,
                kind: FileKind::Manifest,
            });
        }
        let mut compared = 0;
        for report in &reports {
            let one = std::slice::from_ref(report);
            assert_eq!(ours(one), expected(one), "{}", report.path);
            compared += report.analysis.diagnostics.len();
        }
        assert!(compared > 1000, "only {compared} diagnostics compared");
        assert_eq!(ours(&reports), expected(&reports));
        assert_eq!(ours(&[]), expected(&[]));
    }
}
