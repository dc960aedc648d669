//! JSON text written directly: one string escaper for every output the linter writes without
//! serde (the language server's publishes, `check --format json`), spelled as serde_json spells
//! it, so that their bytes are the same as serde_json's would be.

/// `s` as a JSON string, escaped as serde_json escapes it: `"`, `\` and the control characters
/// below U+0020 (with the short forms where JSON has them), everything else as it is.
pub fn string(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    // `bytes[start..]` is yet to be copied.
    let mut start = 0;
    loop {
        let at = find_special(bytes, start);
        let Some(&special) = bytes.get(at) else {
            break;
        };
        out.extend_from_slice(&bytes[start..at]);
        match special {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            b => out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[(b >> 4) as usize],
                HEX[(b & 0xf) as usize],
            ]),
        }
        start = at + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// The index of the first `"`, `\` or control character (below 0x20) at or after `i`, or
/// `b.len()`: the bytes a JSON string cannot hold as they are. Eight bytes at a time (the
/// zero-byte test of Mycroft's, as serde_json does it): in a manifest nearly every byte is inside
/// a string, so this is the hot loop of the parsers (`parse::fast`, `project::strict`) and of
/// the escaper above.
pub fn find_special(b: &[u8], i: usize) -> usize {
    const ONES: u64 = u64::MAX / 255;
    const HIGHS: u64 = ONES << 7;
    let mut offset = i;
    while let Some(chunk) = b.get(offset..offset + 8) {
        let x = u64::from_le_bytes(<[u8; 8]>::try_from(chunk).unwrap_or([0; 8]));
        let control = x.wrapping_sub(ONES * 0x20) & !x;
        let q = x ^ (ONES * u64::from(b'"'));
        let quote = q.wrapping_sub(ONES) & !q;
        let s = x ^ (ONES * u64::from(b'\\'));
        let backslash = s.wrapping_sub(ONES) & !s;
        let found = (control | quote | backslash) & HIGHS;
        if found != 0 {
            // The lowest flagged byte is exact (only bytes above a true hit can be flagged
            // by a borrow).
            return offset + (found.trailing_zeros() / 8) as usize;
        }
        offset += 8;
    }
    while let Some(&byte) = b.get(offset) {
        if byte == b'"' || byte == b'\\' || byte < 0x20 {
            return offset;
        }
        offset += 1;
    }
    b.len()
}

/// An integer, as serde_json writes it (through `itoa`, which it uses).
pub fn int<I: itoa::Integer>(out: &mut Vec<u8>, n: I) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_special_is_exact_for_every_byte_in_every_lane() {
        for b in 0..=255u8 {
            for lane in 0..8 {
                let mut word = [b'a'; 8];
                word[lane] = b;
                let expected = b < 0x20 || b == b'"' || b == b'\\';
                assert_eq!(
                    find_special(&word, 0),
                    if expected { lane } else { 8 },
                    "{b:#x} at {lane}"
                );
                // Beside high bytes (UTF-8 continuation) and the byte just below and above.
                let mut word = [0xc3, 0x9c, 0x80, 0xff, 0x21, 0x5b, 0x5d, 0x23];
                word[lane] = b;
                assert_eq!(
                    find_special(&word, 0),
                    if expected { lane } else { 8 },
                    "{b:#x} at {lane}"
                );
            }
        }
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        // Every byte below 0x80, non-ASCII text, and one byte to escape at every offset of a
        // string longer than two words.
        let mut every: String = (0u8..0x80).map(char::from).collect();
        every.push_str("Überraschungsei 日本語 😀 \u{2028} \u{fffd} \u{7f}");
        let mut strings = vec![every, String::new(), "\"".into(), "end\\".into()];
        for at in 0..20 {
            for special in ['"', '\\', '\n', '\u{1f}'] {
                let mut s: String = "abcdefghijklmnopqrst".into();
                s.replace_range(at..at + 1, &special.to_string());
                strings.push(s);
            }
        }
        for s in &strings {
            let mut ours = Vec::new();
            string(&mut ours, s);
            assert_eq!(ours, serde_json::to_vec(s).unwrap(), "{s:?}");
        }
    }
}
