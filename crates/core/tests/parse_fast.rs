//! The strict fast parser ([`parse::parse_strict`]) against today's two passes, jsonc-parser's
//! permissive tree ([`parse::parse_permissive`]) and serde_json's strictness check
//! ([`parse::strict_check`]): on every input, the fast parser succeeds exactly when both of
//! those do, and then its tree is jsonc-parser's, down to every range and to whether each
//! string is borrowed; and [`parse::parse`] (the fast parser, or else jsonc-parser) gives
//! what jsonc-parser alone gives. Inputs: every JSON file of the repository, the shared corpus of real
//! projects (when it is beside the repository), generated manifests, random JSON, random
//! mutations of JSON, and a list of departures from strict JSON.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use jsonc_parser::ast::{ObjectPropName, Value};
use manifest_lint_core::parse;

#[path = "../benches/generate.rs"]
mod generate;
mod support;
use support::{Rng, shared};

/// What `lint` does to a BOM before parsing.
fn blank_bom(text: &str) -> Cow<'_, str> {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => Cow::Owned(format!("   {rest}")),
        None => Cow::Borrowed(text),
    }
}

/// The differential check on one text. Returns whether the fast parser took it.
fn check(text: &str) -> bool {
    let fast = parse::parse_strict(text);
    let permissive = parse::parse_permissive(text);
    let strict = parse::strict_check(text).is_ok();
    let both = strict && permissive.as_ref().is_ok_and(|p| p.value.is_some());
    assert_eq!(
        fast.is_some(),
        both,
        "fast parser {} but strict_check {} and jsonc-parser {}: {}",
        if fast.is_some() { "took" } else { "refused" },
        if strict { "accepts" } else { "refuses" },
        if permissive.is_ok() {
            "parses"
        } else {
            "fails"
        },
        excerpt(text)
    );
    match (&parse::parse(text), &permissive) {
        (Ok(a), Ok(b)) => assert!(a.value == b.value, "parse differs: {}", excerpt(text)),
        (Err(a), Err(b)) => assert_eq!(a, b, "{}", excerpt(text)),
        _ => panic!("parse and parse_permissive disagree on {}", excerpt(text)),
    }
    if let Some(fast) = fast {
        let expected = permissive.unwrap().value.unwrap();
        assert!(
            fast == expected,
            "trees differ for {}:\nfast  {fast:?}\njsonc {expected:?}",
            excerpt(text)
        );
        same_borrowing(&fast, &expected, text);
        true
    } else {
        false
    }
}

fn excerpt(text: &str) -> String {
    let mut s: String = text.chars().take(300).collect();
    if s.len() < text.len() {
        s.push_str("...");
    }
    format!("{s:?}")
}

/// `PartialEq` on the trees compares string values, not whether they borrow the text: this
/// does (a borrowed value is the fast parser's promise for a string with no escape).
fn same_borrowing(a: &Value<'_>, b: &Value<'_>, text: &str) {
    let borrowed = |c: &Cow<'_, str>| matches!(c, Cow::Borrowed(_));
    match (a, b) {
        (Value::StringLit(x), Value::StringLit(y)) => assert_eq!(
            borrowed(&x.value),
            borrowed(&y.value),
            "borrowing of {:?} in {}",
            x.value,
            excerpt(text)
        ),
        (Value::Array(x), Value::Array(y)) => {
            for (x, y) in x.elements.iter().zip(&y.elements) {
                same_borrowing(x, y, text);
            }
        }
        (Value::Object(x), Value::Object(y)) => {
            for (x, y) in x.properties.iter().zip(&y.properties) {
                if let (ObjectPropName::String(p), ObjectPropName::String(q)) = (&x.name, &y.name) {
                    assert_eq!(
                        borrowed(&p.value),
                        borrowed(&q.value),
                        "borrowing of key {:?} in {}",
                        p.value,
                        excerpt(text)
                    );
                }
                same_borrowing(&x.value, &y.value, text);
            }
        }
        _ => {}
    }
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn json_files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if name == "target" || name == ".git" || name == "node_modules" {
            continue;
        }
        if path.is_dir() {
            json_files_under(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// Checks each file; returns (files, taken by the fast parser).
fn check_files(files: &[PathBuf]) -> (usize, usize) {
    let mut taken = 0;
    let mut checked = 0;
    for path in files {
        let bytes = std::fs::read(path).unwrap();
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        checked += 1;
        if check(&blank_bom(text)) {
            taken += 1;
        }
    }
    (checked, taken)
}

#[test]
fn the_repository_s_json_files() {
    let mut files = Vec::new();
    json_files_under(&repo_root(), &mut files);
    files.sort();
    let (checked, taken) = check_files(&files);
    // The fixtures hold both strict manifests and broken ones (tests/fixtures/invalid-json).
    assert!(checked > 100, "only {checked} JSON files found");
    assert!(taken > 50, "the fast parser took only {taken} of {checked}");
    assert!(
        taken < checked,
        "the fast parser took every file, broken ones too"
    );
}

#[test]
fn the_shared_corpus() {
    let Some(dir) = shared("corpus", "parse_fast corpus") else {
        return;
    };
    let mut files = Vec::new();
    json_files_under(&dir, &mut files);
    files.sort();
    let (checked, taken) = check_files(&files);
    assert!(checked > 0 && taken > 0, "{taken} of {checked}");
}

#[test]
fn the_shared_projects() {
    let Some(dir) = shared("projects", "parse_fast projects") else {
        return;
    };
    let mut files = Vec::new();
    for project in std::fs::read_dir(dir).unwrap().flatten() {
        json_files_under(&project.path().join("Packages"), &mut files);
    }
    files.sort();
    let (checked, taken) = check_files(&files);
    assert!(checked > 0 && taken > 0, "{taken} of {checked}");
}

#[test]
fn generated_manifests() {
    for (registries, scopes, deps) in [(1, 1, 1), (3, 2, 1), (60, 10, 3), (200, 4, 2)] {
        let text = generate::manifest(registries, scopes, deps);
        assert!(check(&text), "generated {registries} {scopes} {deps}");
    }
}

/// Random JSON text. `dirty` lets in, now and then, what strict JSON does not allow (a raw
/// control character, a lone surrogate, a bad escape, a non-JSON space, a loose number), so
/// that both sides of the check get exercised.
struct Gen {
    rng: Rng,
    dirty: bool,
}

impl Gen {
    fn ws(&mut self, out: &mut String) {
        if self.rng.chance(2) {
            return;
        }
        for _ in 0..self.rng.below(4) {
            out.push(self.rng.pick(&[' ', ' ', '\n', '\t', '\r']));
        }
        if self.rng.chance(3) {
            // A line break and indentation, of every length around the eight bytes the
            // parser skips at once.
            out.push('\n');
            for _ in 0..self.rng.below(20) {
                out.push(' ');
            }
            if self.rng.chance(4) {
                out.push(self.rng.pick(&['\t', '\r', '\n']));
            }
        }
        if self.dirty && self.rng.chance(200) {
            out.push(
                self.rng
                    .pick(&['\u{b}', '\u{c}', '\u{a0}', '\u{feff}', '\u{2028}']),
            );
        }
    }

    fn hex4(&mut self, out: &mut String, value: u32) {
        let s = format!("{value:04x}");
        if self.rng.chance(2) {
            out.push_str(&s.to_uppercase());
        } else {
            out.push_str(&s);
        }
    }

    fn string(&mut self, out: &mut String) {
        out.push('"');
        let longest = if self.rng.chance(10) { 40 } else { 8 };
        let len = self.rng.below(longest);
        for _ in 0..len {
            match self.rng.below(20) {
                0 => out.push_str(
                    self.rng
                        .pick(&["\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t"]),
                ),
                1 => {
                    out.push_str("\\u");
                    let value = match self.rng.below(4) {
                        0 => self.rng.below(0x80) as u32,
                        1 => self.rng.below(0xD800) as u32,
                        _ => 0xE000 + self.rng.below(0x2000) as u32,
                    };
                    self.hex4(out, value);
                }
                2 => {
                    // A surrogate pair.
                    out.push_str("\\u");
                    let high = 0xD800 + self.rng.below(0x400) as u32;
                    self.hex4(out, high);
                    out.push_str("\\u");
                    let low = 0xDC00 + self.rng.below(0x400) as u32;
                    self.hex4(out, low);
                }
                3 => out.push(self.rng.pick(&[
                    'é', '\u{2028}', '\u{2029}', '\u{7f}', '😀', 'ß', '\u{feff}', '\u{a0}', '中',
                ])),
                4 if self.dirty && self.rng.chance(4) => match self.rng.below(5) {
                    0 => out.push(char::from(self.rng.below(0x20) as u8)),
                    1 => {
                        out.push_str("\\u");
                        let lone = 0xD800 + self.rng.below(0x800) as u32;
                        self.hex4(out, lone);
                    }
                    2 => out.push_str(
                        self.rng
                            .pick(&["\\x41", "\\v", "\\'", "\\0", "\\u12", "\\"]),
                    ),
                    3 => {
                        // A high surrogate followed by something else.
                        out.push_str("\\uD83D");
                        out.push_str(self.rng.pick(&["x", "\\n", "\\u0041", "\\uD83D\\uDE00"]));
                    }
                    _ => out.push('\''),
                },
                _ => {
                    let c = self.rng.pick(&b"abcxyz0129 .-_:,{}[]@#$'"[..]);
                    out.push(char::from(c));
                }
            }
        }
        out.push('"');
    }

    fn number(&mut self, out: &mut String) {
        if self.dirty && self.rng.chance(30) {
            out.push_str(self.rng.pick(&[
                "01",
                "+1",
                ".5",
                "5.",
                "0x1F",
                "NaN",
                "Infinity",
                "-Infinity",
                "1e",
                "-",
                "1.e3",
                "--1",
                "1e+",
                "00",
            ]));
            return;
        }
        if self.rng.chance(3) {
            out.push('-');
        }
        if self.rng.chance(3) {
            out.push('0');
        } else {
            out.push(char::from(b'1' + self.rng.below(9) as u8));
            let longest = if self.rng.chance(20) { 40 } else { 5 };
            for _ in 0..self.rng.below(longest) {
                out.push(char::from(b'0' + self.rng.below(10) as u8));
            }
        }
        if self.rng.chance(3) {
            out.push('.');
            for _ in 0..=self.rng.below(5) {
                out.push(char::from(b'0' + self.rng.below(10) as u8));
            }
        }
        if self.rng.chance(4) {
            out.push(self.rng.pick(&['e', 'E']));
            if self.rng.chance(2) {
                out.push(self.rng.pick(&['+', '-']));
            }
            for _ in 0..=self.rng.below(4) {
                out.push(char::from(b'0' + self.rng.below(10) as u8));
            }
        }
    }

    fn value(&mut self, out: &mut String, depth: usize) {
        let scalar_only = depth > 6;
        match self.rng.below(if scalar_only { 6 } else { 9 }) {
            0 | 1 => self.string(out),
            2 => self.number(out),
            3 => out.push_str("true"),
            4 => out.push_str("false"),
            5 => out.push_str("null"),
            6 | 7 => {
                out.push('{');
                self.ws(out);
                let n = self.rng.below(5);
                let mut keys: Vec<String> = Vec::new();
                for i in 0..n {
                    if i > 0 {
                        out.push(',');
                        self.ws(out);
                    }
                    // Duplicate keys now and then.
                    if !keys.is_empty() && self.rng.chance(6) {
                        let key = keys[self.rng.below(keys.len())].clone();
                        out.push_str(&key);
                    } else {
                        let start = out.len();
                        self.string(out);
                        keys.push(out[start..].to_string());
                    }
                    self.ws(out);
                    out.push(':');
                    self.ws(out);
                    self.value(out, depth + 1);
                    self.ws(out);
                }
                if self.dirty && n > 0 && self.rng.chance(40) {
                    out.push(',');
                }
                out.push('}');
            }
            _ => {
                out.push('[');
                self.ws(out);
                let n = self.rng.below(5);
                for i in 0..n {
                    if i > 0 {
                        out.push(',');
                        self.ws(out);
                    }
                    self.value(out, depth + 1);
                    self.ws(out);
                }
                if self.dirty && self.rng.chance(60) {
                    out.push_str(self.rng.pick(&[",", " // c\n", "/* c */"]));
                }
                out.push(']');
            }
        }
    }

    fn document(&mut self) -> String {
        let mut out = String::new();
        self.ws(&mut out);
        self.value(&mut out, 0);
        self.ws(&mut out);
        out
    }
}

#[test]
fn random_strict_json() {
    let mut generator = Gen {
        rng: Rng(0x9E37_79B9_7F4A_7C15),
        dirty: false,
    };
    for _ in 0..4000 {
        let text = generator.document();
        assert!(check(&text), "strict text refused: {}", excerpt(&text));
    }
}

#[test]
fn random_json_with_departures() {
    let mut generator = Gen {
        rng: Rng(0xD1B5_4A32_D192_ED03),
        dirty: true,
    };
    let (mut taken, mut refused) = (0, 0);
    for _ in 0..4000 {
        if check(&generator.document()) {
            taken += 1;
        } else {
            refused += 1;
        }
    }
    // Both outcomes must have been exercised for the test to mean anything.
    eprintln!("{taken} taken, {refused} refused");
    assert!(
        taken > 1000 && refused > 300,
        "{taken} taken, {refused} refused"
    );
}

/// Random edits of strict texts: each edited text is checked, whether it is still strict or not.
#[test]
fn random_mutations() {
    let mut rng = Rng(0x1234_5678_9ABC_DEF1);
    let mut generator = Gen {
        rng: Rng(0x0F0F_1234_0000_0001),
        dirty: false,
    };
    let mut bases: Vec<String> = (0..40).map(|_| generator.document()).collect();
    bases.push(generate::manifest(2, 2, 1));
    bases.push(r#"{"a": [1, -2.5e3, "x\n\u00e9"], "b": {"c": null, "d": true}}"#.to_string());
    let pieces = [
        ",", "/", "*", "//", "/*", "'", "\\", "\"", "{", "}", "[", "]", ":", "0", "-", ".", "e",
        "+", "\u{b}", "\u{c}", "\u{a0}", "\u{2028}", "\u{feff}", "\0", "\u{1f}", "x", "t", " ",
        "\n", "\\u", "\\uD800", "\\uDC00", "é",
    ];
    let (mut taken, mut refused) = (0, 0);
    for round in 0..6000 {
        let base = &bases[round % bases.len()];
        let mut chars: Vec<char> = base.chars().collect();
        for _ in 0..=rng.below(2) {
            let at = rng.below(chars.len() + 1);
            match rng.below(4) {
                0 if at < chars.len() => {
                    chars.remove(at);
                }
                1 if at < chars.len() => {
                    chars[at] = rng.pick(&pieces[..]).chars().next().unwrap();
                }
                2 => chars.truncate(at),
                _ => {
                    let piece = rng.pick(&pieces);
                    for (k, c) in piece.chars().enumerate() {
                        chars.insert(at + k, c);
                    }
                }
            }
        }
        let text: String = chars.into_iter().collect();
        if check(&text) {
            taken += 1;
        } else {
            refused += 1;
        }
    }
    eprintln!("{taken} taken, {refused} refused");
    assert!(
        taken > 100 && refused > 1000,
        "{taken} taken, {refused} refused"
    );
}

#[test]
fn departures_from_strict_json_are_refused() {
    let deep_arrays = format!("{}1{}", "[".repeat(513), "]".repeat(513));
    let deep_objects = format!("{}1{}", "{\"a\":".repeat(257), "}".repeat(257));
    let very_deep = "[".repeat(100_000);
    for text in [
        "",
        "   ",
        "// c\n{}",
        "{} // c",
        "/* c */ {}",
        "{\"a\": 1 /* c */}",
        "[1,]",
        "{\"a\": 1,}",
        "[1,,2]",
        "[1 2]",
        "{\"a\": 1 \"b\": 2}",
        "{'a': 1}",
        "['a']",
        "{a: 1}",
        "{\"a\" 1}",
        "{\"a\"::1}",
        "[\"\\x41\"]",
        "[\"\\v\"]",
        "[\"\\'\"]",
        "[\"\\0\"]",
        "[\"\\u12\"]",
        "[\"\\u12g4\"]",
        "[\"a\\\nb\"]",
        "[\"\\uD800\"]",
        "[\"\\uDC00\"]",
        "[\"\\uD83D\\u0041\"]",
        "[\"\\uD83Dx\"]",
        "{\"\\uD800\": 1}",
        "[\"a\u{0}b\"]",
        "[\"a\u{1f}b\"]",
        "[\"a\tb\"]",
        "[\"a\nb\"]",
        "[01]",
        "[+1]",
        "[.5]",
        "[5.]",
        "[0x1F]",
        "[NaN]",
        "[Infinity]",
        "[-Infinity]",
        "[1e]",
        "[1e+]",
        "[-]",
        "[--1]",
        "[truex]",
        "[nul]",
        "[True]",
        "\u{b}[]",
        "[\u{c}]",
        "[\u{a0}1]",
        "\u{feff}{}",
        "{}\u{2028}",
        "[] []",
        "{}}",
        "[",
        "{\"a\": [1, 2",
        "\"abc",
        "{\"a\"",
        "\u{0}\u{1}garbage",
        "\u{7f}ELF\u{2}\u{1}",
        deep_arrays.as_str(),
        deep_objects.as_str(),
        very_deep.as_str(),
    ] {
        assert!(
            parse::parse_strict(text).is_none(),
            "took {}",
            excerpt(text)
        );
        check(text);
    }
}

/// The nesting limit is jsonc-parser's to the level: one array per level, an object and its
/// property two.
#[test]
fn the_nesting_limit_is_the_permissive_parser_s() {
    let arrays = |n: usize, inner: &str| format!("{}{inner}{}", "[".repeat(n), "]".repeat(n));
    let objects =
        |n: usize, inner: &str| format!("{}{inner}{}", "{\"a\":".repeat(n), "}".repeat(n));
    for (text, took) in [
        (arrays(512, "1"), true),
        (arrays(513, "1"), false),
        (arrays(513, ""), true),
        (arrays(514, ""), false),
        (objects(256, "1"), true),
        (objects(257, "1"), false),
        (objects(256, "[]"), true),
        (objects(256, "{}"), true),
        (objects(256, "[1]"), false),
        (objects(255, &arrays(2, "true")), true),
        (objects(255, &arrays(3, "true")), false),
    ] {
        assert_eq!(check(&text), took, "{}", excerpt(&text));
    }
}

#[test]
fn escapes_decode_as_jsonc_parser_decodes_them() {
    let text = r#"{"a\u00e9\/\b\f\n\r\t\"\\": "\ud83d\uDE00 \u2028 x", "plain": "é", "plain": 1}"#;
    assert!(check(text));
    let Some(Value::Object(object)) = parse::parse_strict(text) else {
        panic!("not an object");
    };
    let ObjectPropName::String(key) = &object.properties[0].name else {
        panic!("not a string key");
    };
    assert_eq!(key.value, "aé/\u{8}\u{c}\n\r\t\"\\");
    assert!(matches!(key.value, Cow::Owned(_)));
    let Value::StringLit(value) = &object.properties[0].value else {
        panic!("not a string");
    };
    assert_eq!(value.value, "😀 \u{2028} x");
    // Duplicate keys are all kept, in order; a property runs from its key to its value's end.
    assert_eq!(object.properties.len(), 3);
    let last = &object.properties[2];
    assert_eq!(&text[last.range.start..last.range.end], "\"plain\": 1");
}
