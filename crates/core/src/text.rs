//! Byte spans and the one line index that turns them into lines and columns.
//!
//! The core speaks only in byte offsets. Conversion to positions happens at the edges (CLI output,
//! LSP) through [`LineIndex`], which understands the three column units in use: UTF-8 bytes,
//! UTF-16 code units (LSP's default) and Unicode scalar values ("characters", for humans and the
//! CLI's JSON output). Line breaks are `\n`, `\r\n` and a lone `\r`, as in LSP; U+2028/U+2029 are
//! not line breaks.

use std::sync::OnceLock;

use serde::Serialize;

/// A half-open byte range `start..end` into the manifest text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    pub const fn empty(at: usize) -> Self {
        Self { start: at, end: at }
    }

    pub const fn len(self) -> usize {
        self.end - self.start
    }

    pub const fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub const fn contains(self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }

    /// Like [`Span::contains`] but also true at `end`, which is where an editor cursor sits
    /// right after a token.
    pub const fn touches(self, offset: usize) -> bool {
        self.start <= offset && offset <= self.end
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start..self.end
    }
}

impl From<jsonc_parser::common::Range> for Span {
    fn from(r: jsonc_parser::common::Range) -> Self {
        Span::new(r.start, r.end)
    }
}

/// The unit in which a column is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units (LSP's default; astral characters count 2).
    Utf16,
    /// Unicode scalar values: what a person calls characters.
    Utf32,
}

/// A zero-based line and a zero-based column in some [`Encoding`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

/// The high bit of each byte of `word` that equals `byte`, and no other bit (exact: no false
/// positives from borrows, unlike the plain has-zero-byte test).
const fn bytes_equal(word: u64, byte: u8) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let x = word ^ (0x0101_0101_0101_0101 * byte as u64);
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// Whether the `\n` or `\r` at `i` ends a line: `\r\n` is one break, its `\r` starts nothing.
fn line_break_ends_at(bytes: &[u8], i: usize) -> bool {
    bytes.get(i) == Some(&b'\n') || bytes.get(i + 1) != Some(&b'\n')
}

/// Offsets of line starts, computed once per text.
///
/// Built with one word-at-a-time pass over the line breaks, so that a renderer can afford it for any
/// text. Columns in UTF-16 or characters on non-ASCII text are counted from the line's start;
/// on a line longer than [`CHUNK`] bytes (a minified manifest is one line) they are counted from
/// the nearest checkpoint instead, kept every [`CHUNK`] bytes and made the first time that line
/// is asked about. Converting N positions on one line of length L so costs O(L) once, then
/// O(log L + CHUNK) each, not O(N * L).
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    ascii: bool,
    len: usize,
    /// The non-ASCII lines longer than `CHUNK` bytes, by line number, each with its
    /// checkpoints once one of its positions has been converted.
    long_lines: Vec<(usize, OnceLock<Vec<Checkpoint>>)>,
}

/// Bytes between two checkpoints of a long line.
pub const CHUNK: usize = 256;

/// The columns of a character boundary of a long line, counted from the line's start.
#[derive(Debug, Clone, Copy)]
struct Checkpoint {
    byte: usize,
    utf16: usize,
    utf32: usize,
}

impl Checkpoint {
    fn units(&self, encoding: Encoding) -> usize {
        match encoding {
            Encoding::Utf8 => self.byte,
            Encoding::Utf16 => self.utf16,
            Encoding::Utf32 => self.utf32,
        }
    }
}

/// Characters and UTF-16 code units in `bytes` (whole characters): every byte that does not
/// continue a character starts one, and each four-byte character is two UTF-16 units.
fn count_units(bytes: &[u8]) -> (usize, usize) {
    let utf32 = bytes.iter().filter(|&&b| (b as i8) >= -0x40).count();
    let astral = bytes.iter().filter(|&&b| b >= 0xF0).count();
    (utf32 + astral, utf32)
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut line_starts = Vec::with_capacity(bytes.len() / 32 + 1);
        line_starts.push(0);
        // Eight bytes at a time: a manifest's lines are short, and a search call per line
        // (memchr's) costs more than the scan itself. Without any `\r` (nearly every text),
        // each `\n` starts a line.
        let crlf = memchr::memchr(b'\r', bytes).is_some();
        let mut words = bytes.chunks_exact(8);
        let mut at = 0;
        for word in &mut words {
            let word = u64::from_le_bytes(word.try_into().unwrap_or_default());
            let mut breaks = bytes_equal(word, b'\n');
            if crlf {
                breaks |= bytes_equal(word, b'\r');
            }
            while breaks != 0 {
                let i = at + breaks.trailing_zeros() as usize / 8;
                if !crlf || line_break_ends_at(bytes, i) {
                    line_starts.push(i + 1);
                }
                breaks &= breaks - 1;
            }
            at += 8;
        }
        for (i, &b) in words.remainder().iter().enumerate() {
            if (b == b'\n' || b == b'\r') && line_break_ends_at(bytes, at + i) {
                line_starts.push(at + i + 1);
            }
        }
        let ascii = text.is_ascii();
        let long_lines = if ascii {
            Vec::new()
        } else {
            let ends = line_starts[1..].iter().copied().chain([bytes.len()]);
            line_starts
                .iter()
                .zip(ends)
                .enumerate()
                .filter(|(_, (start, end))| *end - **start > CHUNK)
                .map(|(line, _)| (line, OnceLock::new()))
                .collect()
        };
        Self {
            line_starts,
            ascii,
            len: text.len(),
            long_lines,
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset where `line` (zero-based) starts; `None` past the last line.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.line_starts.get(line).copied()
    }

    /// The zero-based line that contains `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Byte range of `line`'s content, without its line break.
    fn line_content(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self.line_starts[line];
        let mut end = self.line_starts.get(line + 1).copied().unwrap_or(self.len);
        let bytes = text.as_bytes();
        if end > start && bytes[end - 1] == b'\n' {
            end -= 1;
        }
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        start..end
    }

    /// The checkpoints of `line` when it is a long non-ASCII line (made on first use).
    fn checkpoints(&self, text: &str, line: usize) -> Option<&[Checkpoint]> {
        let i = self
            .long_lines
            .binary_search_by_key(&line, |(l, _)| *l)
            .ok()?;
        let points = self.long_lines[i].1.get_or_init(|| {
            let content = self.line_content(text, line);
            let bytes = text.as_bytes();
            let mut points = vec![Checkpoint {
                byte: content.start,
                utf16: 0,
                utf32: 0,
            }];
            let mut at = content.start;
            let (mut utf16, mut utf32) = (0, 0);
            while at + CHUNK < content.end {
                let mut next = at + CHUNK;
                while !text.is_char_boundary(next) {
                    next += 1;
                }
                let (u16s, u32s) = count_units(&bytes[at..next]);
                utf16 += u16s;
                utf32 += u32s;
                points.push(Checkpoint {
                    byte: next,
                    utf16,
                    utf32,
                });
                at = next;
            }
            points
        });
        Some(points)
    }

    /// The position of a byte `offset` (clamped to the text and to a character boundary).
    pub fn position(&self, text: &str, offset: usize, encoding: Encoding) -> Position {
        let mut offset = offset.min(self.len);
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        let column = if self.ascii || encoding == Encoding::Utf8 {
            offset - start
        } else {
            let (from, before) = match self.checkpoints(text, line) {
                Some(points) => {
                    let p = points[points.partition_point(|p| p.byte <= offset) - 1];
                    (p.byte, p.units(encoding))
                }
                None => (start, 0),
            };
            let (utf16, utf32) = count_units(&text.as_bytes()[from..offset]);
            before
                + match encoding {
                    Encoding::Utf16 => utf16,
                    _ => utf32,
                }
        };
        Position {
            line: line as u32,
            column: column as u32,
        }
    }

    /// The byte offset of a position. Out-of-range positions are clamped: a line past the end
    /// means the end of the text, a column past the line's end means the line's end (as LSP
    /// specifies), and a column inside a character means that character's start.
    pub fn offset(&self, text: &str, position: Position, encoding: Encoding) -> usize {
        let line = position.line as usize;
        if line >= self.line_starts.len() {
            return self.len;
        }
        let content = self.line_content(text, line);
        let want = position.column as usize;
        if self.ascii || encoding == Encoding::Utf8 {
            let mut offset = content.start + want.min(content.len());
            while !text.is_char_boundary(offset) {
                offset -= 1;
            }
            return offset;
        }
        let (from, mut units) = match self.checkpoints(text, line) {
            Some(points) => {
                let p = points[points.partition_point(|p| p.units(encoding) <= want) - 1];
                (p.byte, p.units(encoding))
            }
            None => (content.start, 0),
        };
        for (i, ch) in text[from..content.end].char_indices() {
            let width = match encoding {
                Encoding::Utf16 => ch.len_utf16(),
                _ => 1,
            };
            if units + width > want {
                return from + i;
            }
            units += width;
        }
        content.end
    }
}

/// The `\n` bytes in `bytes`, counted 128 at a time into a byte, which the compiler turns into
/// 16-byte compares (a search call per line break, or a count into a `usize`, costs several
/// times more on a manifest's short lines).
fn count_newlines(bytes: &[u8]) -> usize {
    let mut chunks = bytes.chunks_exact(128);
    let mut n = 0;
    for chunk in &mut chunks {
        n += chunk.iter().map(|&b| u8::from(b == b'\n')).sum::<u8>() as usize;
    }
    n + chunks.remainder().iter().filter(|&&b| b == b'\n').count()
}

/// The positions of `offsets`, which must be in ascending order, in one pass over `text` that
/// stops at the last of them: the same answers as [`LineIndex::position`] (offsets clamped to
/// the text and to a character boundary), for output that needs a few positions of a large
/// text once, where building a [`LineIndex`] would cost more than the positions themselves.
/// Columns on a line are counted on from the previous offset on that line, so any number of
/// offsets on one long line costs that line's length once.
pub fn positions(text: &str, offsets: &[usize], encoding: Encoding) -> Vec<Position> {
    debug_assert!(offsets.is_sorted());
    let bytes = text.as_bytes();
    let crlf = memchr::memchr(b'\r', bytes).is_some();
    let mut out = Vec::with_capacity(offsets.len());
    let (mut line, mut line_start) = (0, 0);
    // Where the scan for line breaks goes on, and the column there.
    let (mut at, mut column) = (0, 0);
    for &offset in offsets {
        let mut offset = offset.min(bytes.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        // `offset` only goes down to a boundary at or after `at`, since `at` was one and the
        // offsets ascend.
        let between = &bytes[at..offset];
        if crlf {
            for i in memchr::memchr2_iter(b'\n', b'\r', between) {
                if line_break_ends_at(bytes, at + i) {
                    line += 1;
                    line_start = at + i + 1;
                }
            }
        } else if let Some(last) = memchr::memrchr(b'\n', between) {
            line += count_newlines(between);
            line_start = at + last + 1;
        }
        if line_start > at {
            (at, column) = (line_start, 0);
        }
        column += match encoding {
            Encoding::Utf8 => offset - at,
            _ => {
                let (utf16, utf32) = count_units(&bytes[at..offset]);
                if encoding == Encoding::Utf16 {
                    utf16
                } else {
                    utf32
                }
            }
        };
        at = offset;
        out.push(Position {
            line: line as u32,
            column: column as u32,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_split_on_lf_crlf_and_lone_cr_but_not_u2028() {
        let text = "a\nb\r\nc\rd\u{2028}e";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 4);
        let d = text.find('d').unwrap();
        assert_eq!(
            index.position(text, d, Encoding::Utf32),
            Position { line: 3, column: 0 }
        );
        let e = text.find('e').unwrap();
        assert_eq!(
            index.position(text, e, Encoding::Utf32),
            Position { line: 3, column: 2 }
        );
    }

    #[test]
    fn line_breaks_are_found_at_every_offset_of_a_word() {
        // Breaks at each alignment, a `\r\n` split across two words, bytes that differ from
        // `\n` and `\r` by one bit (a borrow-prone has-zero test would misfire on them), and a
        // tail shorter than a word.
        for text in [
            "ab\ncd\r\nefg\rhijklmn\r\n\x0b\x0c\x0e\u{8a}\u{8d}\n\n\r\r\nxyz\r",
            // Without any `\r`: the plain `\n` scan.
            "ab\ncdefghi\n\n\x0b\x0e\u{8a}jklmnopqrstuvw\nxyz\n",
        ] {
            breaks_at_every_offset(text);
        }
    }

    fn breaks_at_every_offset(text: &str) {
        let expected: Vec<usize> = std::iter::once(0)
            .chain(text.bytes().enumerate().filter_map(|(i, b)| {
                let breaks =
                    b == b'\n' || (b == b'\r' && text.as_bytes().get(i + 1) != Some(&b'\n'));
                breaks.then_some(i + 1)
            }))
            .collect();
        for skip in 0..text.len() {
            let Some(text) = text.get(skip..) else {
                continue;
            };
            let index = LineIndex::new(text);
            let expected: Vec<usize> = std::iter::once(0)
                .chain(expected.iter().filter(|&&s| s > skip).map(|s| s - skip))
                .collect();
            let found: Vec<usize> = (0..index.line_count())
                .map(|l| index.line_start(l).unwrap())
                .collect();
            assert_eq!(found, expected, "from byte {skip}");
        }
    }

    #[test]
    fn columns_in_each_encoding_after_an_astral_character() {
        let text = "{\"😀\": \"é\"}";
        let index = LineIndex::new(text);
        let e = text.find('é').unwrap();
        assert_eq!(index.position(text, e, Encoding::Utf8).column, 10);
        assert_eq!(index.position(text, e, Encoding::Utf16).column, 8);
        assert_eq!(index.position(text, e, Encoding::Utf32).column, 7);
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let pos = index.position(text, e, enc);
            assert_eq!(index.offset(text, pos, enc), e, "{enc:?}");
        }
    }

    /// The column of `offset` counted from its line's start, the slow and obvious way.
    fn naive_column(text: &str, offset: usize, encoding: Encoding) -> usize {
        let line_start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let prefix = &text[line_start..offset];
        match encoding {
            Encoding::Utf8 => prefix.len(),
            Encoding::Utf16 => prefix.chars().map(char::len_utf16).sum(),
            Encoding::Utf32 => prefix.chars().count(),
        }
    }

    #[test]
    fn long_non_ascii_lines_convert_through_their_checkpoints_both_ways() {
        // Several lines longer than CHUNK, mixing 1-, 2-, 3- and 4-byte characters so that
        // checkpoints fall inside characters, and a short line between them.
        let piece = "{\"naïve\": \"日本語😀x\"}, ";
        let long = piece.repeat(3 * CHUNK / piece.len() + 7);
        let text = format!("{long}\nshort é\r\n{long}😀\r{long}");
        let index = LineIndex::new(&text);
        assert_eq!(index.line_count(), 4);
        for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
            // The `\n` of a `\r\n` is inside the line break, which has no column of its own.
            if text.as_bytes().get(offset) == Some(&b'\n') && text.as_bytes()[offset - 1] == b'\r' {
                continue;
            }
            for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
                let pos = index.position(&text, offset, enc);
                assert_eq!(
                    pos.column as usize,
                    naive_column(&text, offset, enc),
                    "{offset} {enc:?}"
                );
                assert_eq!(index.offset(&text, pos, enc), offset, "{offset} {enc:?}");
            }
        }
        // A UTF-16 column inside a surrogate pair, far into a long line, lands on its start.
        let astral = text.find('😀').unwrap() + 40 * piece.len();
        let astral = astral + text[astral..].find('😀').unwrap();
        let pos = index.position(&text, astral, Encoding::Utf16);
        let inside = Position {
            column: pos.column + 1,
            ..pos
        };
        assert_eq!(index.offset(&text, inside, Encoding::Utf16), astral);
        // Past the end of a long line: the line's end.
        let past = Position {
            line: 0,
            column: u32::MAX,
        };
        assert_eq!(index.offset(&text, past, Encoding::Utf32), long.len());
    }

    /// `positions` answers as the index does, for every offset (and past the end) of texts with
    /// every kind of line break, non-ASCII and astral characters, in every encoding, and for
    /// sparse subsets of the offsets.
    #[test]
    fn one_pass_positions_equal_the_index() {
        let texts = [
            "",
            "a",
            "{\n  \"a\": 1\n}\n",
            "x\r\ny\rz\n\r\n\rw",
            "é\n日本語\r\n😀a😀\u{2028}b\r",
            "\r",
            "\n\n",
        ];
        let long = "ü".repeat(300) + "\n" + &"😀x".repeat(200);
        for text in texts.iter().copied().chain([long.as_str()]) {
            let index = LineIndex::new(text);
            let every: Vec<usize> = (0..=text.len() + 2).collect();
            for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
                for step in [1, 2, 7] {
                    let offsets: Vec<usize> = every.iter().copied().step_by(step).collect();
                    let expected: Vec<Position> = offsets
                        .iter()
                        .map(|&o| index.position(text, o, encoding))
                        .collect();
                    assert_eq!(
                        positions(text, &offsets, encoding),
                        expected,
                        "{text:?} {encoding:?} every {step}"
                    );
                }
            }
        }
    }

    #[test]
    fn out_of_range_positions_are_clamped() {
        let text = "ab\r\ncd";
        let index = LineIndex::new(text);
        assert_eq!(
            index.offset(
                text,
                Position {
                    line: 0,
                    column: 99
                },
                Encoding::Utf16
            ),
            2
        );
        assert_eq!(
            index.offset(text, Position { line: 9, column: 0 }, Encoding::Utf16),
            6
        );
        assert_eq!(
            index.position(text, 99, Encoding::Utf16),
            Position { line: 1, column: 2 }
        );
        // A UTF-16 column in the middle of a surrogate pair lands on the character's start.
        let text = "😀x";
        let index = LineIndex::new(text);
        assert_eq!(
            index.offset(text, Position { line: 0, column: 1 }, Encoding::Utf16),
            0
        );
        assert_eq!(
            index.offset(text, Position { line: 0, column: 2 }, Encoding::Utf16),
            4
        );
    }
}
