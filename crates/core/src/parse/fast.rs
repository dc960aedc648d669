//! The fast path for strict JSON: one hand-written pass over the bytes that builds the very tree
//! [`super::parse_permissive`] (jsonc-parser) builds, and at the same time proves the text strict, so the
//! second pass of [`super::strict_check`] is not needed.
//!
//! It accepts only what both of today's passes accept: RFC 8259 JSON as serde_json reads it
//! (whitespace only space, tab, LF and CR; no control character inside a string; the JSON number
//! grammar; only the JSON escapes) and as jsonc-parser reads it without error (every `\u` escape
//! a scalar value or a surrogate pair; nesting within [`super::MAX_DEPTH`], counted as
//! jsonc-parser counts it). Anything else, however small, returns `None` and the caller takes
//! the permissive path, which reports it.
//!
//! The tree is jsonc-parser's to the byte: a string's range covers its quotes and its value is
//! borrowed unless it has an escape; a property's range runs from its key's opening quote to the
//! end of its value; duplicate keys are all kept, in order.

use std::borrow::Cow;

use jsonc_parser::ast::{
    Array, BooleanLit, NullKeyword, NumberLit, Object, ObjectProp, ObjectPropName, StringLit, Value,
};
use jsonc_parser::common::Range;

use super::MAX_DEPTH;
use crate::json_text::find_special;

/// Parses `text` if it is strict JSON (one value, with only JSON whitespace around it), into
/// the tree [`super::parse_permissive`] would give; `None` for anything else. Never panics.
pub fn parse_strict(text: &str) -> Option<Value<'_>> {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        values: Vec::new(),
        // Room for a property every 32 bytes (a manifest's dependency line is about 30), so
        // that a large `dependencies` grows the stack seldom or never: each regrowth copied
        // every property so far into new memory. Room not written to costs no memory, but
        // address space does: at most a million properties (about 100 MB) are reserved, so a
        // huge text of white space reserves no gigabyte.
        props: Vec::with_capacity((text.len() / 32).min(1 << 20)),
    };
    parser.skip_whitespace();
    let value = parser.value(0)?;
    parser.skip_whitespace();
    (parser.pos == parser.bytes.len()).then_some(value)
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// The elements of the arrays being parsed, innermost last: each array takes its own off
    /// the end into a vector of exactly its length (one allocation per array, no regrowth).
    values: Vec<Value<'a>>,
    /// The same for the properties of the objects being parsed.
    props: Vec<ObjectProp<'a>>,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn range_from(&self, start: usize) -> Range {
        Range {
            start,
            end: self.pos,
        }
    }

    /// `depth` is the length jsonc-parser's range stack has here: one per enclosing array, two
    /// per enclosing object (the object's and the property's). It refuses a value when that is
    /// over the limit, and so does this.
    fn value(&mut self, depth: usize) -> Option<Value<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        let start = self.pos;
        match self.peek()? {
            b'{' => self.object(depth).map(Value::Object),
            b'[' => self.array(depth).map(Value::Array),
            b'"' => self.string().map(Value::StringLit),
            b'-' | b'0'..=b'9' => self.number().map(Value::NumberLit),
            b't' => {
                self.keyword(b"true")?;
                Some(Value::BooleanLit(BooleanLit {
                    range: self.range_from(start),
                    value: true,
                }))
            }
            b'f' => {
                self.keyword(b"false")?;
                Some(Value::BooleanLit(BooleanLit {
                    range: self.range_from(start),
                    value: false,
                }))
            }
            b'n' => {
                self.keyword(b"null")?;
                Some(Value::NullKeyword(NullKeyword {
                    range: self.range_from(start),
                }))
            }
            _ => None,
        }
    }

    /// What follows the keyword is left to the grammar: only whitespace, `,`, `]`, `}` or the
    /// end of the text may, so `truex` is refused there.
    fn keyword(&mut self, word: &[u8]) -> Option<()> {
        let end = self.pos + word.len();
        if self.bytes.get(self.pos..end)? != word {
            return None;
        }
        self.pos = end;
        Some(())
    }

    fn object(&mut self, depth: usize) -> Option<Object<'a>> {
        let start = self.pos;
        self.pos += 1;
        let mark = self.props.len();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Some(Object {
                range: self.range_from(start),
                properties: Vec::new(),
            });
        }
        loop {
            if self.peek() != Some(b'"') {
                return None;
            }
            let name = self.string()?;
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return None;
            }
            self.pos += 1;
            self.skip_whitespace();
            let value = self.value(depth + 2)?;
            self.props.push(ObjectProp {
                range: self.range_from(name.range.start),
                name: ObjectPropName::String(name),
                value,
            });
            if !self.separator(b'}')? {
                break;
            }
        }
        Some(Object {
            range: self.range_from(start),
            properties: take_from(&mut self.props, mark),
        })
    }

    /// After a member or an element: `,` (then `true`: another follows) or `close` (`false`),
    /// with the whitespace around it; anything else is not strict JSON (`None`).
    #[inline]
    fn separator(&mut self, close: u8) -> Option<bool> {
        self.skip_whitespace();
        match self.peek()? {
            b',' => {
                self.pos += 1;
                self.skip_whitespace();
                Some(true)
            }
            b if b == close => {
                self.pos += 1;
                Some(false)
            }
            _ => None,
        }
    }

    fn array(&mut self, depth: usize) -> Option<Array<'a>> {
        let start = self.pos;
        self.pos += 1;
        let mark = self.values.len();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Some(Array {
                range: self.range_from(start),
                elements: Vec::new(),
            });
        }
        loop {
            let value = self.value(depth + 1)?;
            self.values.push(value);
            if !self.separator(b']')? {
                break;
            }
        }
        Some(Array {
            range: self.range_from(start),
            elements: take_from(&mut self.values, mark),
        })
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, as jsonc-parser scans it for such text.
    /// A digit right after a leading `0` is left to the grammar (which refuses it).
    fn number(&mut self) -> Option<NumberLit<'a>> {
        let start = self.pos;
        let b = self.bytes;
        let mut i = start;
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        match b.get(i)? {
            b'0' => i += 1,
            b'1'..=b'9' => i = skip_digits(b, i + 1),
            _ => return None,
        }
        if b.get(i) == Some(&b'.') {
            let after = skip_digits(b, i + 1);
            if after == i + 1 {
                return None;
            }
            i = after;
        }
        if let Some(b'e' | b'E') = b.get(i) {
            i += 1;
            if let Some(b'+' | b'-') = b.get(i) {
                i += 1;
            }
            let after = skip_digits(b, i);
            if after == i {
                return None;
            }
            i = after;
        }
        self.pos = i;
        Some(NumberLit {
            range: self.range_from(start),
            value: self.text.get(start..i)?,
        })
    }

    /// A string at `self.pos` (its opening quote).
    fn string(&mut self) -> Option<StringLit<'a>> {
        let start = self.pos;
        let content = start + 1;
        let i = find_special(self.bytes, content);
        match self.bytes.get(i)? {
            b'"' => {
                self.pos = i + 1;
                Some(StringLit {
                    range: self.range_from(start),
                    value: Cow::Borrowed(self.text.get(content..i)?),
                })
            }
            b'\\' => self.escaped_string(start, i),
            // A control character.
            _ => None,
        }
    }

    /// The rest of a string with an escape, the first at `i`: decoded as jsonc-parser does.
    fn escaped_string(&mut self, start: usize, mut i: usize) -> Option<StringLit<'a>> {
        let b = self.bytes;
        let mut value = String::with_capacity(i - start + 16);
        let mut segment = start + 1;
        loop {
            match b.get(i)? {
                b'"' => {
                    value.push_str(self.text.get(segment..i)?);
                    self.pos = i + 1;
                    return Some(StringLit {
                        range: self.range_from(start),
                        value: Cow::Owned(value),
                    });
                }
                b'\\' => {
                    value.push_str(self.text.get(segment..i)?);
                    let (ch, len) = escape(b, i)?;
                    value.push(ch);
                    segment = i + len;
                }
                _ => return None,
            }
            i = find_special(b, segment);
        }
    }
}

/// The items of `stack` from `mark` on, moved out. From the bottom (an outermost container,
/// such as a manifest's `dependencies`), the whole vector is taken as it is rather than copied:
/// it is the largest, and copying it cost more than all the small ones together.
fn take_from<T>(stack: &mut Vec<T>, mark: usize) -> Vec<T> {
    if mark == 0 {
        std::mem::take(stack)
    } else {
        stack.split_off(mark)
    }
}

fn skip_digits(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    i
}

/// The escape at `b[i]` (a backslash): its character and its length in bytes. Lone surrogates
/// are refused: jsonc-parser fails on them (serde_json's check lets them by).
fn escape(b: &[u8], i: usize) -> Option<(char, usize)> {
    let ch = match b.get(i + 1)? {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{08}',
        b'f' => '\u{0C}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => {
            let high = hex4(b, i + 2)?;
            return match high {
                0xD800..=0xDBFF => {
                    if b.get(i + 6) != Some(&b'\\') || b.get(i + 7) != Some(&b'u') {
                        return None;
                    }
                    let low = hex4(b, i + 8)?;
                    if !(0xDC00..=0xDFFF).contains(&low) {
                        return None;
                    }
                    let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                    Some((char::from_u32(code)?, 12))
                }
                0xDC00..=0xDFFF => None,
                _ => Some((char::from_u32(high)?, 6)),
            };
        }
        _ => return None,
    };
    Some((ch, 2))
}

fn hex4(b: &[u8], i: usize) -> Option<u32> {
    let digits = b.get(i..i + 4)?;
    let mut value = 0;
    for &d in digits {
        let v = match d {
            b'0'..=b'9' => d - b'0',
            b'a'..=b'f' => d - b'a' + 10,
            b'A'..=b'F' => d - b'A' + 10,
            _ => return None,
        };
        value = value * 16 + u32::from(v);
    }
    Some(value)
}
