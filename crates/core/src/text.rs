//! Byte spans and the one line index that turns them into lines and columns.
//!
//! The core speaks only in byte offsets. Conversion to positions happens at the edges (CLI output,
//! LSP) through [`LineIndex`], which understands the three column units in use: UTF-8 bytes,
//! UTF-16 code units (LSP's default) and Unicode scalar values ("characters", for humans and the
//! CLI's JSON output). Line breaks are `\n`, `\r\n` and a lone `\r`, as in LSP; U+2028/U+2029 are
//! not line breaks.

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

/// Offsets of line starts, computed once per text.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    ascii: bool,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut line_starts = Vec::with_capacity(bytes.len() / 32 + 1);
        line_starts.push(0);
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => line_starts.push(i + 1),
                b'\r' => {
                    if bytes.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    line_starts.push(i + 1);
                }
                _ => {}
            }
            i += 1;
        }
        Self {
            line_starts,
            ascii: text.is_ascii(),
            len: text.len(),
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
            let prefix = &text[start..offset];
            match encoding {
                Encoding::Utf16 => prefix.chars().map(char::len_utf16).sum(),
                Encoding::Utf32 => prefix.chars().count(),
                Encoding::Utf8 => unreachable!(),
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
        let mut units = 0;
        for (i, ch) in text[content.clone()].char_indices() {
            let width = match encoding {
                Encoding::Utf16 => ch.len_utf16(),
                _ => 1,
            };
            if units + width > want {
                return content.start + i;
            }
            units += width;
        }
        content.end
    }
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
