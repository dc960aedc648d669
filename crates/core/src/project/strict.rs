//! A pull reader for strict JSON, for the project's files (the lock, every `package.json`):
//! one pass over the bytes, the caller taking what it needs straight into its own structs (no
//! tree in between), strings borrowed from the text unless they have an escape.
//!
//! It accepts only what serde_json accepts (RFC 8259: whitespace only space, tab, LF and CR; no
//! control character inside a string; only the JSON escapes; the number grammar), and is
//! stricter still where serde_json's answer would take more than a glance: any `\u` escape that
//! is not a scalar value or a surrogate pair, a number with an exponent or with many digits (it
//! may be out of range), nesting deeper than [`MAX_DEPTH`]. Every method answers `None` on what
//! it refuses; the caller then reads the text the slow way (serde_json), which gives the same
//! answer for what this accepts and its own error for the rest. Never panics.

use std::borrow::Cow;

/// An object's members in document order, with their values when strings.
pub(crate) type Members<'a> = Vec<(Cow<'a, str>, Option<Cow<'a, str>>)>;

/// Deepest nesting read here (serde_json's own limit is 128).
pub(crate) const MAX_DEPTH: u32 = 100;

/// Longest number read here: past it serde_json may find it out of range.
const MAX_NUMBER_DIGITS: usize = 100;

pub(crate) struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: u32,
}

/// What the next value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Object,
    String,
    /// A number, boolean, null or array.
    Other,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `text` (a leading byte-order mark is skipped).
    pub(crate) fn new(text: &'a str) -> Self {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        Reader {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            depth: 0,
        }
    }

    fn skip_whitespace(&mut self) {
        let mut pos = self.pos;
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(pos) {
            pos += 1;
        }
        self.pos = pos;
    }

    /// The kind of the next value; `None` at the end of the text or before a byte no value
    /// starts with.
    pub(crate) fn kind(&mut self) -> Option<Kind> {
        self.skip_whitespace();
        match self.bytes.get(self.pos)? {
            b'{' => Some(Kind::Object),
            b'"' => Some(Kind::String),
            b'[' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n' => Some(Kind::Other),
            _ => None,
        }
    }

    /// Whether the next value is a number.
    pub(crate) fn at_number(&mut self) -> bool {
        self.skip_whitespace();
        matches!(self.bytes.get(self.pos), Some(b'-' | b'0'..=b'9'))
    }

    /// After the last value: only whitespace may follow.
    pub(crate) fn end(mut self) -> Option<()> {
        self.skip_whitespace();
        (self.pos == self.bytes.len()).then_some(())
    }

    /// The next value when it is a string; any other value is read past (`Some(None)`).
    pub(crate) fn string_or_skip(&mut self) -> Option<Option<Cow<'a, str>>> {
        match self.kind()? {
            Kind::String => self.string().map(Some),
            _ => self.skip().map(|()| None),
        }
    }

    /// The next value when it is an object: its members in document order, with their values
    /// when strings (`dependencies`); any other value is read past (`Some(None)`).
    pub(crate) fn string_members_or_skip(&mut self) -> Option<Option<Members<'a>>> {
        if self.kind()? != Kind::Object {
            return self.skip().map(|()| None);
        }
        let mut members = Vec::new();
        self.object(|r, key| {
            members.push((key, r.string_or_skip()?));
            Some(())
        })?;
        Some(Some(members))
    }

    /// Reads an object's members: `member` gets each key and must read its value (exactly one).
    /// The next value must be an object.
    pub(crate) fn object(
        &mut self,
        mut member: impl FnMut(&mut Self, Cow<'a, str>) -> Option<()>,
    ) -> Option<()> {
        self.skip_whitespace();
        if self.bytes.get(self.pos) != Some(&b'{') {
            return None;
        }
        self.enter()?;
        self.pos += 1;
        self.skip_whitespace();
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            self.depth -= 1;
            return Some(());
        }
        loop {
            self.skip_whitespace();
            if self.bytes.get(self.pos) != Some(&b'"') {
                return None;
            }
            let key = self.string()?;
            self.skip_whitespace();
            if self.bytes.get(self.pos) != Some(&b':') {
                return None;
            }
            self.pos += 1;
            member(self, key)?;
            self.skip_whitespace();
            match self.bytes.get(self.pos)? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    self.depth -= 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    /// Reads past the next value, whatever it is.
    pub(crate) fn skip(&mut self) -> Option<()> {
        self.skip_whitespace();
        match *self.bytes.get(self.pos)? {
            b'{' => self.object(|r, _| r.skip()),
            b'[' => {
                self.enter()?;
                self.pos += 1;
                self.skip_whitespace();
                if self.bytes.get(self.pos) == Some(&b']') {
                    self.pos += 1;
                    self.depth -= 1;
                    return Some(());
                }
                loop {
                    self.skip()?;
                    self.skip_whitespace();
                    match self.bytes.get(self.pos)? {
                        b',' => self.pos += 1,
                        b']' => {
                            self.pos += 1;
                            self.depth -= 1;
                            return Some(());
                        }
                        _ => return None,
                    }
                }
            }
            b'"' => self.string().map(drop),
            b't' => self.keyword(b"true"),
            b'f' => self.keyword(b"false"),
            b'n' => self.keyword(b"null"),
            b'-' | b'0'..=b'9' => self.number().map(drop),
            _ => None,
        }
    }

    fn keyword(&mut self, word: &[u8]) -> Option<()> {
        let end = self.pos + word.len();
        if self.bytes.get(self.pos..end)? != word {
            return None;
        }
        self.pos = end;
        Some(())
    }

    /// The next value when it is a number: its text. What follows is left to the grammar
    /// (only whitespace, `,`, `]`, `}` or the end may), so `1x` is refused there.
    pub(crate) fn number(&mut self) -> Option<&'a str> {
        self.skip_whitespace();
        let start = self.pos;
        if self.bytes.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        match self.bytes.get(self.pos)? {
            b'0' => self.pos += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if !self.bytes.get(self.pos)?.is_ascii_digit() {
                return None;
            }
            self.digits();
        }
        // An exponent may take a number out of serde_json's range: its error, not ours.
        if let Some(b'e' | b'E') = self.bytes.get(self.pos) {
            return None;
        }
        (self.pos - start <= MAX_NUMBER_DIGITS).then(|| &self.text[start..self.pos])
    }

    fn digits(&mut self) {
        while self.bytes.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
    }

    /// The next value, a string: borrowed from the text unless it has an escape.
    pub(crate) fn string(&mut self) -> Option<Cow<'a, str>> {
        if self.bytes.get(self.pos) != Some(&b'"') {
            return None;
        }
        self.pos += 1;
        let start = self.pos;
        self.plain_run()?;
        if self.bytes[self.pos] == b'"' {
            self.pos += 1;
            // Both ends are ASCII bytes, so the range lies on character boundaries.
            return self.text.get(start..self.pos - 1).map(Cow::Borrowed);
        }
        let mut owned = String::from(self.text.get(start..self.pos)?);
        loop {
            match *self.bytes.get(self.pos)? {
                b'"' => {
                    self.pos += 1;
                    return Some(Cow::Owned(owned));
                }
                b'\\' => {
                    self.pos += 1;
                    let escaped = *self.bytes.get(self.pos)?;
                    self.pos += 1;
                    owned.push(match escaped {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return None,
                    });
                }
                _ => {
                    let from = self.pos;
                    self.plain_run()?;
                    owned.push_str(self.text.get(from..self.pos)?);
                }
            }
        }
    }

    /// Moves past the bytes of a string that stand for themselves, to its closing quote or a
    /// backslash; `None` at a control character or the end of the text.
    fn plain_run(&mut self) -> Option<()> {
        let pos = crate::json_text::find_special(self.bytes, self.pos);
        match self.bytes.get(pos)? {
            b'"' | b'\\' => {
                self.pos = pos;
                Some(())
            }
            _ => None,
        }
    }

    /// After `\u`: a scalar value, or a surrogate pair (`\ud83d\ude00`); anything else refused.
    fn unicode_escape(&mut self) -> Option<char> {
        let first = self.hex4()?;
        if !(0xD800..0xDC00).contains(&first) {
            return char::from_u32(first);
        }
        if self.bytes.get(self.pos..self.pos + 2)? != b"\\u" {
            return None;
        }
        self.pos += 2;
        let second = self.hex4()?;
        if !(0xDC00..0xE000).contains(&second) {
            return None;
        }
        char::from_u32(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.bytes.get(self.pos..self.pos + 4)?;
        let mut value = 0;
        for &d in digits {
            value = value * 16 + (d as char).to_digit(16)?;
        }
        self.pos += 4;
        Some(value)
    }
}

/// `n` texts that differ from `text` by a character or two inserted or deleted (the characters
/// JSON's grammar turns on), for tests that compare a reader of this module with serde_json's.
#[cfg(test)]
pub(crate) fn mutations(text: &str, n: usize) -> Vec<String> {
    const ALPHABET: &[char] = &[
        '{', '}', '[', ']', '"', ',', ':', '\\', 'u', 'd', '8', '0', '1', '-', '.', 'e', ' ', '\n',
        '\t', '\u{1}', 'x', 'é',
    ];
    let mut state = 0x2545_f491_4f6c_dd1d_u64 ^ text.len() as u64;
    let mut next = move |bound: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % bound.max(1) as u64) as usize
    };
    (0..n)
        .map(|_| {
            let mut chars: Vec<char> = text.chars().collect();
            for _ in 0..1 + next(2) {
                let at = next(chars.len() + 1);
                if next(2) == 0 && at < chars.len() {
                    chars.remove(at);
                } else {
                    chars.insert(at, ALPHABET[next(ALPHABET.len())]);
                }
            }
            chars.into_iter().collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads a whole value the way the callers do, into serde_json's tree for comparison.
    fn read(text: &str) -> Option<serde_json::Value> {
        fn value(r: &mut Reader<'_>) -> Option<serde_json::Value> {
            match r.kind()? {
                Kind::Object => {
                    let mut map = serde_json::Map::new();
                    r.object(|r, key| {
                        let v = value(r)?;
                        map.insert(key.into_owned(), v);
                        Some(())
                    })?;
                    Some(serde_json::Value::Object(map))
                }
                Kind::String => Some(serde_json::Value::String(r.string()?.into_owned())),
                Kind::Other => {
                    r.skip()?;
                    Some(serde_json::Value::Null)
                }
            }
        }
        let mut r = Reader::new(text);
        let v = value(&mut r)?;
        r.end()?;
        Some(v)
    }

    /// Nulls every value that is not a string or an object (the reader does not look into them).
    fn shape(v: serde_json::Value) -> serde_json::Value {
        use serde_json::Value;
        match v {
            Value::Object(m) => Value::Object(m.into_iter().map(|(k, v)| (k, shape(v))).collect()),
            Value::String(s) => Value::String(s),
            _ => Value::Null,
        }
    }

    #[test]
    fn what_it_accepts_serde_json_reads_the_same() {
        let texts = [
            r#"{"a": "b", "c": {"d": [1, -2.5, true, false, null, {"x": []}], "e": "\u00e9\ud83d\ude00\n\"\\\/"}}"#,
            "\u{feff} {\"a\" : \"\" ,\"a\":\"2\"}\r\n\t",
            r#"[]"#,
            r#""x""#,
            r#"0"#,
            r#"-0.5"#,
            r#"{"é": "ü", "k\"ey": "v"}"#,
        ];
        for text in texts {
            let ours = read(text).unwrap_or_else(|| panic!("refused {text}"));
            let theirs: serde_json::Value =
                serde_json::from_str(text.trim_start_matches('\u{feff}')).unwrap();
            assert_eq!(ours, shape(theirs), "{text}");
        }
    }

    #[test]
    fn what_serde_json_refuses_it_refuses() {
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let texts = [
            "{\"a\": 1,}",
            "{\"a\": 1} x",
            "// c\n{}",
            "{a: 1}",
            "",
            "{\"a\": \"\t\"}",
            "{\"a\": \"\\x\"}",
            "{\"a\": 01}",
            "{\"a\": 1.}",
            "{\"a\": -}",
            "{\"a\": tru}",
            "{\"a\": \"\\ud800\"}",
            "{\"a\": \"\\udc00\"}",
            "{\"a\": \"\\ud800\\u0041\"}",
            "{\"a\": \"x",
            "{\"a\"}",
            "{\"a\": [1,]}",
            "[1 2]",
            "\u{b}{}",
            deep.as_str(),
        ];
        for text in texts {
            assert_eq!(read(text), None, "{text:?}");
            let _ = serde_json::from_str::<serde_json::Value>(text).unwrap_err();
        }
    }

    #[test]
    fn every_special_byte_is_seen_wherever_it_stands_in_a_word() {
        for len in 0..20 {
            for at in 0..len {
                for special in [
                    "\\\"", "\\n", "\"", "\u{1}", "\u{1f}", "é", "\\u00e9", "\u{7f}",
                ] {
                    let inner: String = (0..len)
                        .map(|i| {
                            if i == at {
                                special.to_string()
                            } else {
                                "a".into()
                            }
                        })
                        .collect();
                    let text = format!("\"{inner}\"");
                    let theirs = serde_json::from_str::<serde_json::Value>(&text).ok();
                    assert_eq!(read(&text), theirs, "{text:?}");
                }
            }
        }
    }

    #[test]
    fn it_leaves_to_serde_json_what_takes_more_than_a_glance() {
        // Valid JSON, but an exponent or a huge number may be out of range: refused here.
        for text in ["1e5", "[1E400]", &"9".repeat(400)] {
            assert_eq!(read(text), None, "{text}");
        }
    }
}
