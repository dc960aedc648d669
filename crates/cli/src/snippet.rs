//! What human output shows of the source: for one diagnostic, only the lines its labels need,
//! each cut to a window around the labels when it is long, with every control character of the
//! input made visible (`\u{1b}`), so that a hostile manifest can neither drive the terminal nor
//! make the output grow with the square of its size (a one-line manifest no longer repeats the
//! whole line under every diagnostic).
//!
//! An [`Excerpt`] is a `codespan_reporting` file whose lines keep their original numbers and
//! whose header positions are those of the original text (1-based lines, columns in
//! characters, as in `--format json`), while its source holds only the shown text.

use std::fmt::Write as _;
use std::ops::Range;

use codespan_reporting::files::{Error, Files, Location};
use manifest_lint_core::{Encoding, LineIndex, Span};

/// Lines longer than this (in bytes) are cut to windows around the labels.
pub(crate) const MAX_LINE_BYTES: usize = 200;
/// Characters kept on each side of a label's start or end inside a cut line.
pub(crate) const CONTEXT_CHARS: usize = 40;
/// What stands for the text left out of a cut line.
const ELLIPSIS: &str = "...";

/// Whether `c` must not reach a terminal as it is: C0 and C1 controls, DEL, and the Unicode
/// controls that reorder or break text (bidirectional overrides, line separators).
fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

fn push_escaped(out: &mut String, c: char) {
    if is_unsafe(c) {
        let _ = write!(out, "\\u{{{:x}}}", c as u32);
    } else {
        out.push(c);
    }
}

/// Whether every byte is printable ASCII (`0x20..0x7f`), checked eight bytes at a time.
pub(crate) fn printable_ascii(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut words = bytes.chunks_exact(8);
    let mut bad = 0;
    for word in &mut words {
        let x = u64::from_le_bytes(word.try_into().unwrap_or_default());
        // The high bit of a byte below 0x20 (exact: without such a byte nothing borrows), and
        // of a byte from 0x7f up.
        bad |= (x.wrapping_sub(ONES * 0x20) & !x) | ((x & !HIGH) + ONES) | x;
    }
    bad & HIGH == 0 && words.remainder().iter().all(|b| (0x20..0x7f).contains(b))
}

/// Whether `s` has nothing to escape: printable ASCII is checked a word at a time, anything
/// else (tabs included) a character at a time.
fn is_safe(s: &str) -> bool {
    printable_ascii(s.as_bytes()) || !s.chars().any(is_unsafe)
}

/// `s` with every unsafe character escaped; line breaks kept when `keep_newlines`.
pub(crate) fn escape(s: &str, keep_newlines: bool) -> String {
    escape_cow(s, keep_newlines).into_owned()
}

/// [`escape`], borrowing `s` when it has nothing to escape.
pub(crate) fn escape_cow(s: &str, keep_newlines: bool) -> std::borrow::Cow<'_, str> {
    if is_safe(s) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if keep_newlines && c == '\n' {
            out.push(c);
        } else {
            push_escaped(&mut out, c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Text of whole lines (a diff) for a terminal: unsafe characters escaped, line breaks (`\n`,
/// `\r\n`) and tabs kept.
pub(crate) fn escape_lines(s: &str) -> std::borrow::Cow<'_, str> {
    if is_safe(s) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' || (c == '\r' && chars.peek() == Some(&'\n')) {
            out.push(c);
        } else {
            push_escaped(&mut out, c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// One shown piece of an original line: original bytes `orig`, starting at `at` in the source.
#[derive(Debug, Clone)]
struct Piece {
    orig: Range<usize>,
    at: usize,
}

#[derive(Debug)]
struct ShownLine {
    /// Zero-based line of the original text.
    line: usize,
    /// Its range in the excerpt's source, without a line break.
    range: Range<usize>,
    pieces: Vec<Piece>,
}

/// The shown part of one file for one diagnostic; see the module documentation.
pub(crate) struct Excerpt<'a> {
    name: &'a str,
    text: &'a str,
    index: &'a LineIndex,
    source: String,
    lines: Vec<ShownLine>,
    /// Where each label starts, in the source and in the original text.
    starts: Vec<(usize, usize)>,
}

/// Lines a label spanning `start..=end` makes codespan show (with its default configuration):
/// the first and last, the first few inside, and the one before the last.
fn label_lines(start: usize, end: usize, lines: &mut Vec<usize>) {
    lines.push(start);
    lines.push(end);
    if end > start {
        let config = codespan_reporting::term::Config::default();
        lines.extend((start + 1..end).take(config.start_context_lines));
        if end - start > 1 {
            lines.extend((end - config.end_context_lines.min(end - start - 1))..end);
        }
    }
}

impl<'a> Excerpt<'a> {
    /// The excerpt of `text` (already masked) that shows `spans` (the diagnostic's labels).
    pub(crate) fn new(name: &'a str, text: &'a str, index: &'a LineIndex, spans: &[Span]) -> Self {
        let clamp = |o: usize| floor_boundary(text, o.min(text.len()));
        let mut wanted: Vec<usize> = Vec::new();
        let mut points: Vec<(usize, usize)> = Vec::new(); // (line, offset)
        for span in spans {
            let (s, e) = (clamp(span.start), clamp(span.end.max(span.start)));
            let (ls, le) = (index.line_of(s), index.line_of(e));
            label_lines(ls, le, &mut wanted);
            points.push((ls, s));
            points.push((le, e));
        }
        wanted.sort_unstable();
        wanted.dedup();
        // A single line between two shown lines is shown too (codespan prints it instead of a
        // break).
        let mut filled = Vec::with_capacity(wanted.len() * 2);
        for (i, &line) in wanted.iter().enumerate() {
            if i > 0 && line == wanted[i - 1] + 2 {
                filled.push(line - 1);
            }
            filled.push(line);
        }
        points.sort_unstable();
        let mut excerpt = Excerpt {
            name,
            text,
            index,
            source: String::new(),
            lines: Vec::with_capacity(filled.len()),
            starts: Vec::new(),
        };
        let mut p = 0;
        for line in filled {
            while p < points.len() && points[p].0 < line {
                p += 1;
            }
            let from = p;
            while p < points.len() && points[p].0 == line {
                p += 1;
            }
            let offsets: Vec<usize> = points[from..p].iter().map(|x| x.1).collect();
            excerpt.push_line(line, &offsets);
        }
        excerpt.starts = spans
            .iter()
            .map(|s| (excerpt.map(s.start), clamp(s.start)))
            .collect();
        excerpt
    }

    fn content(&self, line: usize) -> Range<usize> {
        let start = self.index.line_start(line).unwrap_or(self.text.len());
        let mut end = self
            .index
            .line_start(line + 1)
            .unwrap_or(self.text.len())
            .max(start);
        let bytes = self.text.as_bytes();
        if end > start && bytes[end - 1] == b'\n' {
            end -= 1;
        }
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        start..end
    }

    /// Appends `line`, cut to windows around `offsets` when it is long.
    fn push_line(&mut self, line: usize, offsets: &[usize]) {
        if !self.source.is_empty() || !self.lines.is_empty() {
            self.source.push('\n');
        }
        let content = self.content(line);
        let text = self.text;
        let windows: Vec<Range<usize>> = if content.len() <= MAX_LINE_BYTES {
            vec![content.clone()]
        } else {
            let mut windows: Vec<Range<usize>> = Vec::new();
            let around: Vec<usize> = if offsets.is_empty() {
                vec![content.start]
            } else {
                offsets.to_vec()
            };
            for &o in &around {
                let o = o.clamp(content.start, content.end);
                let start = text[content.start..o]
                    .char_indices()
                    .rev()
                    .nth(CONTEXT_CHARS - 1)
                    .map_or(content.start, |(i, _)| content.start + i);
                let end = text[o..content.end]
                    .char_indices()
                    .nth(CONTEXT_CHARS)
                    .map_or(content.end, |(i, _)| o + i);
                match windows.last_mut() {
                    // Overlapping or close enough that an ellipsis would save nothing.
                    Some(last) if start <= last.end + ELLIPSIS.len() => {
                        last.end = last.end.max(end)
                    }
                    _ => windows.push(start..end),
                }
            }
            windows
        };
        let begin = self.source.len();
        let mut pieces = Vec::with_capacity(windows.len());
        let mut previous_end = content.start;
        for window in windows {
            if window.start > previous_end {
                self.source.push_str(ELLIPSIS);
            }
            pieces.push(Piece {
                orig: window.clone(),
                at: self.source.len(),
            });
            for c in text[window.clone()].chars() {
                push_escaped(&mut self.source, c);
            }
            previous_end = window.end;
        }
        if previous_end < content.end {
            self.source.push_str(ELLIPSIS);
        }
        self.lines.push(ShownLine {
            line,
            range: begin..self.source.len(),
            pieces,
        });
    }

    /// Where the original `offset` is in the source.
    pub(crate) fn map(&self, offset: usize) -> usize {
        let offset = floor_boundary(self.text, offset.min(self.text.len()));
        let line = self.index.line_of(offset);
        let Ok(i) = self.lines.binary_search_by_key(&line, |l| l.line) else {
            return self.source.len();
        };
        let shown = &self.lines[i];
        for piece in &shown.pieces {
            if offset < piece.orig.start {
                // Inside text left out before this piece: the ellipsis before it.
                return piece
                    .at
                    .saturating_sub(ELLIPSIS.len())
                    .max(shown.range.start);
            }
            if offset <= piece.orig.end {
                let mut pos = piece.at;
                for c in self.text[piece.orig.start..offset].chars() {
                    pos += if is_unsafe(c) {
                        format!("\\u{{{:x}}}", c as u32).len()
                    } else {
                        c.len_utf8()
                    };
                }
                return pos;
            }
        }
        shown.range.end
    }

    /// A label range of the original text as a range of the source.
    pub(crate) fn range(&self, span: Span) -> Range<usize> {
        let start = self.map(span.start);
        start..self.map(span.end.max(span.start)).max(start)
    }

    fn shown(&self, line: usize) -> Option<&ShownLine> {
        self.lines
            .binary_search_by_key(&line, |l| l.line)
            .ok()
            .map(|i| &self.lines[i])
    }

    /// The original offset of a source position that starts a label (for the header).
    fn unmap(&self, byte: usize) -> usize {
        if let Some(&(_, offset)) = self.starts.iter().find(|(at, _)| *at == byte) {
            return offset;
        }
        let i = self.lines.partition_point(|l| l.range.start <= byte);
        i.checked_sub(1)
            .and_then(|i| self.lines[i].pieces.first())
            .map_or(0, |p| p.orig.start)
    }
}

pub(crate) fn floor_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

impl<'a> Files<'a> for Excerpt<'_> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, Error> {
        Ok(&self.source)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, Error> {
        let i = self.lines.partition_point(|l| l.range.start <= byte_index);
        Ok(i.checked_sub(1).map_or(0, |i| self.lines[i].line))
    }

    fn line_number(&'a self, (): (), line_index: usize) -> Result<usize, Error> {
        Ok(line_index + 1)
    }

    fn location(&'a self, (): (), byte_index: usize) -> Result<Location, Error> {
        let offset = self.unmap(byte_index);
        let p = self.index.position(self.text, offset, Encoding::Utf32);
        Ok(Location {
            line_number: p.line as usize + 1,
            column_number: p.column as usize + 1,
        })
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, Error> {
        if line_index >= self.index.line_count() {
            return Err(Error::LineTooLarge {
                given: line_index,
                max: self.index.line_count().saturating_sub(1),
            });
        }
        // Lines that are not shown (inside a long multi-line label) are empty.
        Ok(self
            .shown(line_index)
            .map_or(self.source.len()..self.source.len(), |l| l.range.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn excerpt_of<'a>(text: &'a str, index: &'a LineIndex, span: Span) -> Excerpt<'a> {
        Excerpt::new("f", text, index, &[span])
    }

    #[test]
    fn printable_ascii_is_checked_exactly() {
        for len in [0, 1, 7, 8, 9, 16, 23] {
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = b;
                    let expected = (0x20..0x7f).contains(&b);
                    assert_eq!(printable_ascii(&bytes), expected, "{b:#x} at {at} of {len}");
                }
            }
        }
        assert!(printable_ascii(b""));
        assert!(printable_ascii(b" ~ ~ ~ ~ ~ ~ ~ ~ ~"));
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(
            escape("a\u{1b}[2J\u{7}b\u{9b}", false),
            "a\\u{1b}[2J\\u{7}b\\u{9b}"
        );
        assert_eq!(escape("one\ntwo\tx", true), "one\ntwo\tx");
        assert_eq!(escape("one\ntwo", false), "one\\u{a}two");
        assert_eq!(escape("\u{202e}evil", false), "\\u{202e}evil");
        assert_eq!(escape_lines("a\r\nb\u{1b}\rc\n"), "a\r\nb\\u{1b}\\u{d}c\n");
    }

    #[test]
    fn long_lines_are_cut_around_the_label_and_positions_stay_right() {
        let text = format!(
            "{{\"a\": \"{}\", \"key\": \"\u{1b}[2J\", \"z\": 1}}",
            "x".repeat(5000)
        );
        let index = LineIndex::new(&text);
        let start = text.find("\"key\"").unwrap();
        let span = Span::new(start, start + 5);
        let e = excerpt_of(&text, &index, span);
        assert!(e.source.len() < 2 * CONTEXT_CHARS + 20, "{}", e.source);
        assert!(e.source.starts_with("..."), "{}", e.source);
        assert!(e.source.contains("\\u{1b}[2J"), "{}", e.source);
        assert!(!e.source.contains('\u{1b}'));
        let range = e.range(span);
        assert_eq!(&e.source[range.clone()], "\"key\"");
        let location = e.location((), range.start).unwrap();
        assert_eq!(location.line_number, 1);
        assert_eq!(location.column_number, start + 1);
    }

    #[test]
    fn a_long_label_keeps_both_ends() {
        let text = format!("[\"{}\"]", "y".repeat(1000));
        let index = LineIndex::new(&text);
        let e = excerpt_of(&text, &index, Span::new(0, text.len()));
        assert!(e.source.len() < 2 * 2 * CONTEXT_CHARS + 10, "{}", e.source);
        assert!(e.source.starts_with("[\"yy"), "{}", e.source);
        assert!(e.source.ends_with("yy\"]"), "{}", e.source);
        assert!(e.source.contains("..."));
        assert_eq!(e.range(Span::new(0, text.len())), 0..e.source.len());
    }

    #[test]
    fn short_lines_are_shown_whole() {
        let text = "{\n  \"a\": 1\n}\n";
        let index = LineIndex::new(text);
        let e = excerpt_of(text, &index, Span::new(4, 7));
        assert_eq!(e.source, "  \"a\": 1");
        assert_eq!(&e.source[e.range(Span::new(4, 7))], "\"a\"");
        assert_eq!(e.line_index((), 2).unwrap(), 1);
    }
}
