//! The common shape of a human diagnostic, written straight into bytes: every label on one
//! short line of printable ASCII, at most one label per line. That is nearly every diagnostic
//! of a real manifest, and codespan-reporting spends ~28,000 instructions on each (a formatted
//! write per character of every shown line, and its default colour table rebuilt for every
//! style change). Anything else — tabs, non-ASCII or control characters, long lines,
//! multi-line or overlapping labels, `\r` line breaks — is left to codespan, through
//! [`crate::snippet::Excerpt`].
//!
//! The bytes are those codespan writes for the same diagnostic (its `Config::default()`), style
//! changes included: the escape sequences come from codespan's own styles, captured once
//! ([`Palette`]). A test renders every fixture and corpus manifest, and many made-up spans,
//! both ways and compares them.

use std::borrow::Cow;
use std::ops::Range;

use codespan_reporting::diagnostic::{LabelStyle, Severity as CsSeverity};
use codespan_reporting::term::WriteStyle;
use codespan_reporting::term::termcolor::{Ansi, NoColor};
use manifest_lint_core::{Applicability, Diagnostic, Severity};

use crate::snippet::{MAX_LINE_BYTES, escape_cow, floor_boundary, printable_ascii};

/// codespan's severity for ours.
pub(crate) fn cs_severity(severity: Severity) -> CsSeverity {
    match severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Info => CsSeverity::Note,
        Severity::Hint => CsSeverity::Help,
    }
}

fn slot(severity: Severity) -> usize {
    match severity {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
        Severity::Hint => 3,
    }
}

const SEVERITIES: [Severity; 4] = [
    Severity::Error,
    Severity::Warning,
    Severity::Info,
    Severity::Hint,
];

/// The bytes codespan's writer emits for each style change (empty without colour).
pub(crate) struct Palette {
    header: [Vec<u8>; 4],
    primary: [Vec<u8>; 4],
    secondary: [Vec<u8>; 4],
    header_message: Vec<u8>,
    line_number: Vec<u8>,
    note_bullet: Vec<u8>,
    source_border: Vec<u8>,
    reset: Vec<u8>,
}

impl Palette {
    pub(crate) fn new(color: bool) -> Self {
        let capture = |f: &dyn Fn(&mut dyn WriteStyle) -> std::io::Result<()>| -> Vec<u8> {
            if color {
                let mut w = Ansi::new(Vec::new());
                let _ = f(&mut w);
                w.into_inner()
            } else {
                let mut w = NoColor::new(Vec::new());
                let _ = f(&mut w);
                w.into_inner()
            }
        };
        let per_severity = |f: &dyn Fn(&mut dyn WriteStyle, CsSeverity) -> std::io::Result<()>| {
            SEVERITIES.map(|s| capture(&|w| f(w, cs_severity(s))))
        };
        Palette {
            header: per_severity(&|w, s| w.set_header(s)),
            primary: per_severity(&|w, s| w.set_label(s, LabelStyle::Primary)),
            secondary: per_severity(&|w, s| w.set_label(s, LabelStyle::Secondary)),
            header_message: capture(&|w| w.set_header_message()),
            line_number: capture(&|w| w.set_line_number()),
            note_bullet: capture(&|w| w.set_note_bullet()),
            source_border: capture(&|w| w.set_source_border()),
            reset: capture(&|w| w.reset()),
        }
    }
}

/// Line numbers of a text without `\r`, for offsets asked about roughly in order: the line
/// breaks between the last offset and the next are counted (vectorized), so a whole report
/// costs about one pass over the text, not a line index.
pub(crate) struct Lines<'a> {
    bytes: &'a [u8],
    at: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    /// `None` when the text has a `\r` (a line break of its own, or half of one).
    pub(crate) fn new(text: &'a str) -> Option<Self> {
        let bytes = text.as_bytes();
        memchr::memchr(b'\r', bytes).is_none().then_some(Self {
            bytes,
            at: 0,
            line: 0,
        })
    }

    /// The zero-based line of `offset` (at most the text's length).
    fn line_of(&mut self, offset: usize) -> usize {
        if offset >= self.at {
            self.line += memchr::memchr_iter(b'\n', &self.bytes[self.at..offset]).count();
        } else {
            self.line -= memchr::memchr_iter(b'\n', &self.bytes[offset..self.at]).count();
        }
        self.at = offset;
        self.line
    }

    /// The content (without its line break) of the line that holds `offset`.
    fn content(&self, offset: usize) -> Range<usize> {
        let start = memchr::memrchr(b'\n', &self.bytes[..offset]).map_or(0, |i| i + 1);
        let end =
            memchr::memchr(b'\n', &self.bytes[offset..]).map_or(self.bytes.len(), |i| offset + i);
        start..end
    }
}

/// A line shown as it is: short, and only characters one column wide that need no escape.
fn plain(line: &[u8]) -> bool {
    line.len() <= MAX_LINE_BYTES && printable_ascii(line)
}

struct Shown<'d> {
    line: usize,
    content: Range<usize>,
    /// Columns of the label (end at least one past start), its style and message.
    columns: Range<usize>,
    primary: bool,
    message: Cow<'d, str>,
}

fn digits(mut n: usize) -> usize {
    let mut count = 1;
    while n >= 10 {
        n /= 10;
        count += 1;
    }
    count
}

fn push_number(buf: &mut Vec<u8>, n: usize) {
    let mut b = itoa::Buffer::new();
    buf.extend_from_slice(b.format(n).as_bytes());
}

fn push_spaces(buf: &mut Vec<u8>, n: usize) {
    buf.resize(buf.len() + n, b' ');
}

/// Writes `d` as codespan would into `buf` (appending) when it has the common shape; `false`
/// (and nothing written) otherwise. `name` is the escaped file name, `text` the masked text.
pub(crate) fn render(
    buf: &mut Vec<u8>,
    palette: &Palette,
    name: &str,
    text: &str,
    lines: &mut Lines<'_>,
    d: &Diagnostic,
) -> bool {
    if d.rule.id.is_empty() {
        return false;
    }
    let bytes = text.as_bytes();
    let clamp = |o: usize| floor_boundary(text, o.min(text.len()));
    let mut shown: Vec<Shown<'_>> = Vec::with_capacity(1 + d.labels.len());
    let labels = std::iter::once((d.span, None))
        .chain(d.labels.iter().map(|l| (l.span, Some(l.message.as_str()))));
    for (span, message) in labels {
        let start = clamp(span.start);
        let end = clamp(span.end.max(span.start));
        let line = lines.line_of(start);
        if lines.line_of(end) != line || shown.iter().any(|s| s.line == line) {
            return false;
        }
        let content = lines.content(start);
        if !plain(&bytes[content.clone()]) {
            return false;
        }
        let from = start - content.start;
        shown.push(Shown {
            line,
            columns: from..(end - content.start).max(from + 1),
            content,
            primary: message.is_none(),
            message: message.map_or(Cow::Borrowed(""), |m| escape_cow(m, false)),
        });
    }
    // The primary label is first: it gives the header's position.
    let location = (shown[0].line + 1, shown[0].columns.start + 1);
    shown.sort_unstable_by_key(|s| s.line);
    // A single line between two shown lines is shown too; it must be plain as well.
    for pair in shown.windows(2) {
        if pair[1].line == pair[0].line + 2 {
            let next = pair[0].content.end + 1;
            if !plain(&bytes[lines.content(next)]) {
                return false;
            }
        }
    }
    let pad = digits(shown.last().map_or(1, |s| s.line + 1));
    let sev = slot(d.severity);
    let p = palette;

    // Header.
    buf.extend_from_slice(&p.header[sev]);
    buf.extend_from_slice(match d.severity {
        Severity::Error => b"error",
        Severity::Warning => b"warning",
        Severity::Info => b"note",
        // codespan's "help", named as everywhere else (see `render::name_hint`).
        Severity::Hint => b"hint",
    });
    buf.push(b'[');
    buf.extend_from_slice(d.rule.id.as_bytes());
    buf.push(b']');
    buf.extend_from_slice(&p.header_message);
    buf.extend_from_slice(b": ");
    buf.extend_from_slice(escape_cow(&d.message, false).as_bytes());
    buf.extend_from_slice(&p.reset);
    buf.push(b'\n');

    let gutter = |buf: &mut Vec<u8>| push_spaces(buf, pad + 1);
    let border = |buf: &mut Vec<u8>, c: &str| {
        buf.extend_from_slice(&p.source_border);
        buf.extend_from_slice(c.as_bytes());
        buf.extend_from_slice(&p.reset);
    };
    let source_line =
        |buf: &mut Vec<u8>, line: usize, content: &[u8], primary: Option<Range<usize>>| {
            buf.extend_from_slice(&p.line_number);
            push_spaces(buf, pad - digits(line + 1));
            push_number(buf, line + 1);
            buf.extend_from_slice(&p.reset);
            buf.push(b' ');
            border(buf, "│");
            buf.push(b' ');
            match primary.filter(|c| c.start < content.len()) {
                Some(c) => {
                    let end = c.end.min(content.len());
                    buf.extend_from_slice(&content[..c.start]);
                    buf.extend_from_slice(&p.primary[sev]);
                    buf.extend_from_slice(&content[c.start..end]);
                    buf.extend_from_slice(&p.reset);
                    buf.extend_from_slice(&content[end..]);
                }
                None => buf.extend_from_slice(content),
            }
            buf.push(b'\n');
        };

    // Snippet start and the empty line under it.
    gutter(buf);
    border(buf, "┌─");
    buf.push(b' ');
    buf.extend_from_slice(name.as_bytes());
    buf.push(b':');
    push_number(buf, location.0);
    buf.push(b':');
    push_number(buf, location.1);
    buf.push(b'\n');
    gutter(buf);
    border(buf, "│");
    buf.push(b'\n');

    for (i, s) in shown.iter().enumerate() {
        let content = &bytes[s.content.clone()];
        source_line(buf, s.line, content, s.primary.then(|| s.columns.clone()));
        // The carets, and the message after them.
        let style = if s.primary {
            &p.primary[sev]
        } else {
            &p.secondary[sev]
        };
        gutter(buf);
        border(buf, "│");
        buf.push(b' ');
        push_spaces(buf, s.columns.start);
        buf.extend_from_slice(style);
        let carets = s.columns.end.min(content.len() + 1) - s.columns.start;
        buf.resize(buf.len() + carets, if s.primary { b'^' } else { b'-' });
        buf.extend_from_slice(&p.reset);
        if !s.message.is_empty() {
            buf.push(b' ');
            buf.extend_from_slice(style);
            buf.extend_from_slice(s.message.as_bytes());
            buf.extend_from_slice(&p.reset);
        }
        buf.push(b'\n');
        if let Some(next) = shown.get(i + 1) {
            match next.line - s.line {
                1 => {}
                2 => {
                    let between = lines.content(s.content.end + 1);
                    source_line(buf, s.line + 1, &bytes[between], None);
                }
                _ => {
                    gutter(buf);
                    border(buf, "·");
                    buf.push(b'\n');
                }
            }
        }
    }

    let fix = d.fix.as_ref().map(|fix| {
        let how = match fix.applicability {
            Applicability::Safe => "fix",
            Applicability::Unsafe => "suggestion",
        };
        format!("{how}: {}", escape_cow(&fix.title, false))
    });
    let notes = d
        .notes
        .iter()
        .map(|n| escape_cow(n, true))
        .chain(fix.map(Cow::Owned));
    let mut any_note = false;
    for note in notes {
        if !any_note {
            // The empty line that closes the snippet, before the notes.
            gutter(buf);
            border(buf, "│");
            buf.push(b'\n');
            any_note = true;
        }
        for (n, line) in note.lines().enumerate() {
            gutter(buf);
            if n == 0 {
                buf.extend_from_slice(&p.note_bullet);
                buf.push(b'=');
                buf.extend_from_slice(&p.reset);
            } else {
                buf.push(b' ');
            }
            buf.push(b' ');
            buf.extend_from_slice(line.as_bytes());
            buf.push(b'\n');
        }
    }
    buf.push(b'\n');
    true
}
