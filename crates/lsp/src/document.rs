//! One open document: its text (a rope, edited incrementally), the analysis of its current
//! version, and the analysis of the last version that parsed, kept so that hover and definition go
//! on working while the user is half-way through typing something that is not JSON yet.

use std::sync::Arc;
use std::time::Instant;

use manifest_lint_core::facts::ProbeTarget;
use manifest_lint_core::{Analysis, Encoding, LineIndex, LintOptions, OnlineFacts, Position, Span};
use ropey::Rope;

use crate::project::ProjectFiles;
use tower_lsp_server::ls_types::{self as lsp, TextDocumentContentChangeEvent};

/// A text with its line index and analysis. Immutable once built.
#[derive(Debug)]
pub struct Snapshot {
    pub text: String,
    pub index: LineIndex,
    pub analysis: Analysis,
}

impl Snapshot {
    pub fn new(text: String, options: &LintOptions<'_>) -> Snapshot {
        let analysis = analyse(&text, options);
        let index = LineIndex::new(&text);
        Snapshot {
            text,
            index,
            analysis,
        }
    }

    /// The byte offset of an LSP position (clamped, never out of bounds).
    pub fn offset(&self, position: lsp::Position, encoding: Encoding) -> usize {
        self.index.offset(
            &self.text,
            Position {
                line: position.line,
                column: position.character,
            },
            encoding,
        )
    }

    pub fn position(&self, offset: usize, encoding: Encoding) -> lsp::Position {
        let p = self.index.position(&self.text, offset, encoding);
        lsp::Position::new(p.line, p.column)
    }

    pub fn range(&self, span: Span, encoding: Encoding) -> lsp::Range {
        lsp::Range::new(
            self.position(span.start, encoding),
            self.position(span.end, encoding),
        )
    }

    /// The byte span of an LSP range (clamped; a reversed range is put in order).
    pub fn span(&self, range: lsp::Range, encoding: Encoding) -> Span {
        let a = self.offset(range.start, encoding);
        let b = self.offset(range.end, encoding);
        Span::new(a.min(b), a.max(b))
    }
}

/// Lints `text`. Should the core ever panic on some input, the server lives on: the document
/// then shows nothing (and nothing from it is taken as the last good parse), and the panic is
/// reported on stderr, which editors keep in their logs.
fn analyse(text: &str, options: &LintOptions<'_>) -> Analysis {
    let run = std::panic::AssertUnwindSafe(|| manifest_lint_core::lint(text, options));
    match std::panic::catch_unwind(run) {
        Ok(analysis) => analysis,
        Err(_) => {
            eprintln!(
                "manifest-lint: internal error while linting a document of {} bytes",
                text.len()
            );
            let mut empty = manifest_lint_core::lint("{}", &LintOptions::default());
            empty.parsed = false;
            empty
        }
    }
}

/// An open document.
#[derive(Debug)]
pub struct Document {
    /// Distinguishes this opening of the URI from a later one (for background tasks).
    pub id: u64,
    pub version: i32,
    rope: Rope,
    pub current: Arc<Snapshot>,
    /// The latest snapshot whose text parsed (possibly `current` itself).
    pub last_good: Option<Arc<Snapshot>>,
    /// What online checks found for this document's registries, merged over probes.
    pub facts: Option<OnlineFacts>,
    /// Generation of the newest probe whose facts were merged.
    pub facts_generation: u64,
    /// The last probe started: its targets, and when.
    pub last_probe: Option<(Vec<ProbeTarget>, Instant)>,
    /// The lock file and project configuration beside the manifest.
    pub project: ProjectFiles,
    /// When the probe after the latest edit is due (while its timer task is pending).
    pub probe_due: Option<Instant>,
}

impl Document {
    pub fn new(id: u64, version: i32, text: String, options: &LintOptions<'_>) -> Document {
        let rope = Rope::from_str(&text);
        let mut doc = Document {
            id,
            version,
            rope,
            current: Arc::new(Snapshot::new(String::new(), options)),
            last_good: None,
            facts: None,
            facts_generation: 0,
            last_probe: None,
            project: ProjectFiles::default(),
            probe_due: None,
        };
        doc.replace_current(Snapshot::new(text, options));
        doc
    }

    /// Makes `snapshot` the current one (and the last good one when it parsed).
    pub fn replace_current(&mut self, snapshot: Snapshot) {
        let snapshot = Arc::new(snapshot);
        if snapshot.analysis.parsed {
            self.last_good = Some(snapshot.clone());
        }
        self.current = snapshot;
    }

    /// Applies the changes of one `didChange` in order (each range refers to the text left by
    /// the previous change) to the rope. Call [`Document::relint`] afterwards.
    pub fn apply_changes(
        &mut self,
        changes: &[TextDocumentContentChangeEvent],
        encoding: Encoding,
    ) {
        for change in changes {
            match change.range {
                None => self.rope = Rope::from_str(&change.text),
                Some(range) => {
                    let a = char_index(&self.rope, range.start, encoding);
                    let b = char_index(&self.rope, range.end, encoding);
                    let (a, b) = (a.min(b), a.max(b));
                    self.rope.remove(a..b);
                    self.rope.insert(a, &change.text);
                }
            }
        }
    }

    /// Lints the rope's text; make it current with [`Document::replace_current`].
    pub fn relint(&self, options: &LintOptions<'_>) -> Snapshot {
        Snapshot::new(String::from(&self.rope), options)
    }

    /// Where to look things up for a request at `position`: the current analysis when the text
    /// parses, else the last one that parsed, with the offsets of the text both share.
    pub fn view(&self) -> View<'_> {
        match &self.last_good {
            Some(good) if !self.current.analysis.parsed => View::stale(&self.current, good),
            _ => View::current(&self.current),
        }
    }
}

/// The char index in `rope` of an LSP position. Out-of-range positions are clamped: a line past
/// the end means the end of the text, a column past the line's end means the end of the line
/// (before its line break), a column inside a character means that character.
pub fn char_index(rope: &Rope, position: lsp::Position, encoding: Encoding) -> usize {
    let line = position.line as usize;
    if line >= rope.len_lines() {
        return rope.len_chars();
    }
    let start = rope.line_to_char(line);
    let slice = rope.line(line);
    let mut content = slice.len_chars();
    if content > 0 && slice.char(content - 1) == '\n' {
        content -= 1;
    }
    if content > 0 && slice.char(content - 1) == '\r' {
        content -= 1;
    }
    let end = start + content;
    let want = position.character as usize;
    // Ropey's own conversions (O(log n)), not a walk along the line: a minified manifest is one
    // line of megabytes, and an edit at its end must not count every character before it.
    match encoding {
        Encoding::Utf32 => start + want.min(content),
        Encoding::Utf8 => {
            let first = rope.char_to_byte(start);
            let last = rope.char_to_byte(end);
            // A byte inside a character means that character.
            rope.byte_to_char((first + want).min(last))
        }
        Encoding::Utf16 => {
            let first = rope.char_to_utf16_cu(start);
            let last = rope.char_to_utf16_cu(end);
            // A unit inside a surrogate pair means its character.
            rope.utf16_cu_to_char((first + want).min(last))
        }
    }
}

/// A snapshot to answer from, and how its offsets relate to the current text.
///
/// When the current text does not parse, requests are answered from the last snapshot that did,
/// but only where the text is unchanged: before the first changed byte or after the last one.
/// A token found in the old snapshot is used only when all of it lies in such a region, so what
/// the user points at is exactly what the old analysis saw.
#[derive(Debug, Clone, Copy)]
pub struct View<'a> {
    /// What to look things up in.
    pub snap: &'a Snapshot,
    /// The text the client has, for positions.
    pub current: &'a Snapshot,
    /// Length of the common prefix of both texts (all of the text when not stale).
    prefix: usize,
    /// Length of the common suffix, not overlapping the prefix.
    suffix: usize,
}

impl<'a> View<'a> {
    pub fn current(snap: &'a Snapshot) -> View<'a> {
        View {
            snap,
            current: snap,
            prefix: snap.text.len(),
            suffix: 0,
        }
    }

    pub fn stale(current: &'a Snapshot, good: &'a Snapshot) -> View<'a> {
        let (prefix, suffix) = crate::actions::common_affixes(&current.text, &good.text);
        View {
            snap: good,
            current,
            prefix,
            suffix,
        }
    }

    pub fn is_stale(&self) -> bool {
        !std::ptr::eq(self.snap, self.current)
    }

    /// The offset in `snap` of an offset in the current text, when it is in unchanged text.
    pub fn snap_offset(&self, offset: usize) -> Option<usize> {
        if !self.is_stale() {
            return Some(offset);
        }
        let (clen, slen) = (self.current.text.len(), self.snap.text.len());
        let offset = offset.min(clen);
        if offset <= self.prefix {
            Some(offset)
        } else if offset >= clen - self.suffix {
            Some(slen - (clen - offset))
        } else {
            None
        }
    }

    /// The current-text span of a span of `snap`, when all of it is unchanged text.
    pub fn current_span(&self, span: Span) -> Option<Span> {
        if !self.is_stale() {
            return Some(span);
        }
        let (clen, slen) = (self.current.text.len(), self.snap.text.len());
        if span.end <= self.prefix {
            Some(span)
        } else if span.start >= slen - self.suffix {
            Some(Span::new(
                clen - (slen - span.start),
                clen - (slen - span.end.min(slen)),
            ))
        } else {
            None
        }
    }

    /// The client's range for a span of `snap`, when it is unchanged text.
    pub fn range(&self, span: Span, encoding: Encoding) -> Option<lsp::Range> {
        self.current_span(span)
            .map(|s| self.current.range(s, encoding))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> lsp::Position {
        lsp::Position::new(line, character)
    }

    #[test]
    fn char_index_clamps_and_counts_units() {
        let rope = Rope::from_str("a😀b\r\ncd\re\n");
        assert_eq!(char_index(&rope, pos(0, 0), Encoding::Utf16), 0);
        assert_eq!(char_index(&rope, pos(0, 1), Encoding::Utf16), 1);
        // Inside the surrogate pair: the emoji's start.
        assert_eq!(char_index(&rope, pos(0, 2), Encoding::Utf16), 1);
        assert_eq!(char_index(&rope, pos(0, 3), Encoding::Utf16), 2);
        assert_eq!(char_index(&rope, pos(0, 5), Encoding::Utf8), 2);
        assert_eq!(char_index(&rope, pos(0, 2), Encoding::Utf32), 2);
        // Past the end of the line: before the CRLF.
        assert_eq!(char_index(&rope, pos(0, 99), Encoding::Utf16), 3);
        // A lone CR is a line break.
        assert_eq!(char_index(&rope, pos(2, 0), Encoding::Utf16), 8);
        assert_eq!(char_index(&rope, pos(3, 5), Encoding::Utf16), 10);
        assert_eq!(char_index(&rope, pos(99, 5), Encoding::Utf16), 10);
    }

    /// The char index of a position by walking the line, unit by unit: what `char_index`
    /// computes with ropey's indexes.
    fn walked(text: &str, position: lsp::Position, encoding: Encoding) -> usize {
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        let Some(line) = lines.get(position.line as usize) else {
            return text.chars().count();
        };
        let before: usize = lines[..position.line as usize]
            .iter()
            .map(|l| l.chars().count())
            .sum();
        let content = line.trim_end_matches('\n').trim_end_matches('\r');
        let mut units = 0;
        for (i, ch) in content.chars().enumerate() {
            let width = match encoding {
                Encoding::Utf8 => ch.len_utf8(),
                Encoding::Utf16 => ch.len_utf16(),
                Encoding::Utf32 => 1,
            };
            if units + width > position.character as usize {
                return before + i;
            }
            units += width;
        }
        before + content.chars().count()
    }

    #[test]
    fn char_index_agrees_with_walking_the_line() {
        let text = "{\"é😀\": \"日本\u{10FFFF}x\"}\r\nab😀\n\n€";
        let rope = Rope::from_str(text);
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            for line in 0..5 {
                for character in 0..40 {
                    let p = pos(line, character);
                    assert_eq!(
                        char_index(&rope, p, encoding),
                        walked(text, p, encoding),
                        "{encoding:?} {line}:{character}"
                    );
                }
            }
        }
    }

    #[test]
    fn edits_apply_in_order() {
        let options = LintOptions::default();
        let mut doc = Document::new(1, 1, "{\r\n  \"a\": 1\r\n}".into(), &options);
        let change = |l1, c1, l2, c2, text: &str| TextDocumentContentChangeEvent {
            range: Some(lsp::Range::new(pos(l1, c1), pos(l2, c2))),
            range_length: None,
            text: text.into(),
        };
        doc.apply_changes(
            &[
                change(1, 3, 1, 4, "😀"),
                change(1, 5, 1, 6, "b"),
                change(1, 99, 2, 0, "\n"),
            ],
            Encoding::Utf16,
        );
        let snapshot = doc.relint(&options);
        doc.replace_current(snapshot);
        assert_eq!(doc.current.text, "{\r\n  \"😀b: 1\n}");
    }

    #[test]
    fn stale_view_maps_only_unchanged_text() {
        let options = LintOptions::default();
        let good = Snapshot::new(r#"{"a": "1", "b": "2"}"#.into(), &options);
        let current = Snapshot::new(r#"{"a": "1x, "b": "2"}"#.into(), &options);
        let view = View::stale(&current, &good);
        assert!(view.is_stale());
        assert_eq!(view.snap_offset(2), Some(2));
        assert_eq!(view.snap_offset(9), Some(9));
        assert_eq!(view.current_span(Span::new(1, 4)), Some(Span::new(1, 4)));
        // `"1"` lost its closing quote: not the same token any more.
        assert_eq!(view.current_span(Span::new(6, 9)), None);

        // Text of another length: the suffix is shifted.
        let good = Snapshot::new(r#"{"a": "1", "b": "2"}"#.into(), &options);
        let current = Snapshot::new(r#"{"a": "1xyz, "b": "2"}"#.into(), &options);
        let view = View::stale(&current, &good);
        let b_now = current.text.find("\"b\"").unwrap();
        let b_then = good.text.find("\"b\"").unwrap();
        assert_eq!(view.snap_offset(b_now), Some(b_then));
        assert_eq!(view.snap_offset(9), None);
        assert_eq!(
            view.current_span(Span::new(b_then, b_then + 3)),
            Some(Span::new(b_now, b_now + 3))
        );
    }
}
