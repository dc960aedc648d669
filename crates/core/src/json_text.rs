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
    // `bytes[start..]` is yet to be copied; `i` is where the search for the next escape goes on.
    let mut start = 0;
    let mut i = 0;
    loop {
        // Whole words of eight bytes while none needs escaping (in most strings none does).
        while let Some(word) = bytes.get(i..i + 8) {
            let mut eight = [0; 8];
            eight.copy_from_slice(word);
            if needs_escape(u64::from_le_bytes(eight)) {
                break;
            }
            i += 8;
        }
        let end = bytes.len().min(i + 8);
        let Some(at) = bytes[i..end]
            .iter()
            .position(|&b| escaped(b))
            .map(|p| i + p)
        else {
            if end == bytes.len() {
                break;
            }
            i = end;
            continue;
        };
        out.extend_from_slice(&bytes[start..at]);
        match bytes[at] {
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
        i = at + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// Whether JSON needs `b` escaped.
fn escaped(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// Whether any of the eight bytes in `word` is below 0x20, `"` or `\\` (the bit tricks of "Bit
/// Twiddling Hacks": a byte below `n` or equal to zero sets its high bit in the result; the
/// answer for the word as a whole is exact).
fn needs_escape(word: u64) -> bool {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    let below = |x: u64, n: u8| x.wrapping_sub(ONES * n as u64) & !x & HIGH;
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    (below(word, 0x20) | zero(word ^ (ONES * b'"' as u64)) | zero(word ^ (ONES * b'\\' as u64)))
        != 0
}

/// An integer, as serde_json writes it (through `itoa`, which it uses).
pub fn int<I: itoa::Integer>(out: &mut Vec<u8>, n: I) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needs_escape_is_exact_for_every_byte_in_every_lane() {
        for b in 0..=255u8 {
            for lane in 0..8 {
                let mut word = [b'a'; 8];
                word[lane] = b;
                let expected = b < 0x20 || b == b'"' || b == b'\\';
                assert_eq!(
                    needs_escape(u64::from_le_bytes(word)),
                    expected,
                    "{b:#x} at {lane}"
                );
                // Beside high bytes (UTF-8 continuation) and the byte just below and above.
                let mut word = [0xc3, 0x9c, 0x80, 0xff, 0x21, 0x5b, 0x5d, 0x23];
                word[lane] = b;
                assert_eq!(
                    needs_escape(u64::from_le_bytes(word)),
                    expected,
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
