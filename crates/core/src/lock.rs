//! Unity's lock file, `Packages/packages-lock.json`: what the last resolution chose for every
//! package, direct or transitive. The core only reads the text it is given (the CLI and the
//! language server find the file); the `stale-lock` rule compares it with the manifest.
//!
//! ```json
//! {
//!   "dependencies": {
//!     "com.example.tools": {
//!       "version": "1.2.0",
//!       "depth": 0,
//!       "source": "registry",
//!       "dependencies": {},
//!       "url": "https://npm.example.com"
//!     }
//!   }
//! }
//! ```

use std::borrow::Cow;

use serde_json::Value;

use crate::text::{Encoding, LineIndex};

/// One package of the lock file. Fields that are missing or of another type are `None`: the
/// lock is Unity's own output, so only what the checks need is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockEntry {
    pub name: String,
    pub version: Option<String>,
    /// 0 for a direct dependency of the project manifest.
    pub depth: Option<u64>,
    /// `registry`, `builtin`, `embedded`, `local`, `local-tarball` or `git`.
    pub source: Option<String>,
    /// The registry that served the package (`registry` entries only).
    pub url: Option<String>,
    /// The names of the packages it depends on, as the lock records them; `None` when the entry
    /// has no `dependencies` object.
    pub dependencies: Option<Vec<String>>,
}

/// A parsed lock file, entries in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LockFile {
    pub entries: Vec<LockEntry>,
}

/// Why a lock file could not be read. `line` and `column` are 1-based (characters), when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockError {
    pub message: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
}

impl std::fmt::Display for LockError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, "line {line}, column {column}: ")?,
            (Some(line), None) => write!(f, "line {line}: ")?,
            _ => {}
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for LockError {}

fn shape_error(message: String) -> LockError {
    LockError {
        message,
        line: None,
        column: None,
    }
}

/// Parses a lock file's text (a leading byte order mark is allowed).
pub fn parse_lock(text: &str) -> Result<LockFile, LockError> {
    match read_entries(text) {
        Some(entries) => Ok(LockFile::from_entries(&entries)),
        None => parse_lock_slowly(text),
    }
}

/// One entry of a lock file as one pass over its text reads it: every field the lint's rules
/// ([`LockEntry`]) and resolution read, the last of duplicate keys winning (as in serde_json's
/// map), strings borrowed from the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawEntry<'a> {
    pub(crate) name: Cow<'a, str>,
    pub(crate) version: Option<Cow<'a, str>>,
    pub(crate) depth: Option<u64>,
    pub(crate) source: Option<Cow<'a, str>>,
    pub(crate) url: Option<Cow<'a, str>>,
    pub(crate) hash: Option<Cow<'a, str>>,
    /// The entry's last `dependencies` member when it is an object: its members in document
    /// order, with their values when strings.
    pub(crate) dependencies: Option<crate::project::strict::Members<'a>>,
}

/// The entries of a lock text in document order, duplicates included, in one pass (the crate's
/// strict reader); `None` when the text is anything but strict JSON of a lock's shape (a root
/// object whose `dependencies`, if any, is an object of objects): the slow path then gives the
/// answer, or the error, serde_json gives.
pub(crate) fn read_entries(text: &str) -> Option<Vec<RawEntry<'_>>> {
    use crate::project::strict::{Kind, Reader};
    let mut reader = Reader::new(text);
    let mut entries = Vec::new();
    reader.object(|r, key| {
        if key != "dependencies" {
            return r.skip();
        }
        // The last `dependencies` counts.
        entries.clear();
        r.object(|r, name| {
            let mut entry = RawEntry {
                name,
                version: None,
                depth: None,
                source: None,
                url: None,
                hash: None,
                dependencies: None,
            };
            r.object(|r, field| {
                match &*field {
                    "version" => entry.version = r.string_or_skip()?,
                    "source" => entry.source = r.string_or_skip()?,
                    "url" => entry.url = r.string_or_skip()?,
                    "hash" => entry.hash = r.string_or_skip()?,
                    "depth" => {
                        entry.depth = match r.kind()? {
                            Kind::Other if r.at_number() => {
                                let number = r.number()?;
                                // A fraction is a float (no u64); an integer past u64 too.
                                number
                                    .bytes()
                                    .all(|b| b.is_ascii_digit())
                                    .then(|| number.parse().ok())
                                    .flatten()
                            }
                            _ => {
                                r.skip()?;
                                None
                            }
                        }
                    }
                    "dependencies" => entry.dependencies = r.string_members_or_skip()?,
                    _ => r.skip()?,
                }
                Some(())
            })?;
            entries.push(entry);
            Some(())
        })
    })?;
    reader.end()?;
    Some(entries)
}

impl LockFile {
    /// The lock file of [`read_entries`]' entries: ordered by name, the last of duplicates
    /// winning (serde_json's map), each entry's dependency names sorted.
    pub(crate) fn from_entries(raw: &[RawEntry<'_>]) -> LockFile {
        let mut order: Vec<usize> = (0..raw.len()).collect();
        // Stable: of equal names, the last in the text stays last.
        order.sort_by(|&a, &b| raw[a].name.cmp(&raw[b].name));
        let mut entries: Vec<LockEntry> = Vec::with_capacity(raw.len());
        for (k, &i) in order.iter().enumerate() {
            if order
                .get(k + 1)
                .is_some_and(|&next| raw[next].name == raw[i].name)
            {
                continue;
            }
            let e = &raw[i];
            let owned = |s: &Option<Cow<'_, str>>| s.as_deref().map(str::to_string);
            entries.push(LockEntry {
                name: e.name.to_string(),
                version: owned(&e.version),
                depth: e.depth,
                source: owned(&e.source),
                url: owned(&e.url),
                dependencies: e.dependencies.as_ref().map(|deps| {
                    let mut names: Vec<&str> = deps.iter().map(|(name, _)| &**name).collect();
                    names.sort_unstable();
                    names.dedup();
                    names.into_iter().map(str::to_string).collect()
                }),
            });
        }
        LockFile { entries }
    }
}

/// [`parse_lock`] through serde_json's tree: for what [`read_entries`] leaves, and its errors.
pub(crate) fn parse_lock_slowly(text: &str) -> Result<LockFile, LockError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let root: Value = serde_json::from_str(text).map_err(|err| {
        let message = err.to_string();
        let message = match message.rfind(" at line ") {
            Some(i) => message[..i].to_string(),
            None => message,
        };
        // serde_json counts columns in bytes; convert to characters like every other output.
        let (line, column) = if err.line() == 0 {
            (None, None)
        } else {
            let index = LineIndex::new(text);
            let start = text
                .split_inclusive('\n')
                .take(err.line() - 1)
                .map(str::len)
                .sum::<usize>();
            let offset = (start + err.column().saturating_sub(1)).min(text.len());
            let position = index.position(text, offset, Encoding::Utf32);
            (Some(position.line + 1), Some(position.column + 1))
        };
        LockError {
            message,
            line,
            column,
        }
    })?;
    let Value::Object(root) = root else {
        return Err(shape_error("the root is not an object".into()));
    };
    let dependencies = match root.get("dependencies") {
        None => return Ok(LockFile::default()),
        Some(Value::Object(map)) => map,
        Some(_) => return Err(shape_error("`dependencies` is not an object".into())),
    };
    let mut entries = Vec::with_capacity(dependencies.len());
    for (name, value) in dependencies {
        let Value::Object(entry) = value else {
            return Err(shape_error(format!(
                "the entry for `{name}` is not an object"
            )));
        };
        let string = |key: &str| entry.get(key).and_then(Value::as_str).map(str::to_string);
        entries.push(LockEntry {
            name: name.clone(),
            version: string("version"),
            depth: entry.get("depth").and_then(Value::as_u64),
            source: string("source"),
            url: string("url"),
            dependencies: entry
                .get("dependencies")
                .and_then(Value::as_object)
                .map(|deps| deps.keys().cloned().collect()),
        });
    }
    Ok(LockFile { entries })
}

/// Two registry URLs name the same registry when they are equal but for trailing slashes.
pub fn same_registry(a: &str, b: &str) -> bool {
    a.trim_end_matches('/') == b.trim_end_matches('/')
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn entries_are_read_in_file_order() {
        let lock = parse_lock(
            "\u{feff}{\"dependencies\": {\"b\": {\"version\": \"1.0.0\", \"depth\": 0, \"source\": \"registry\", \"url\": \"https://r\"}, \"a\": {\"source\": \"builtin\", \"depth\": \"x\"}}}",
        )
        .unwrap();
        let names: Vec<&str> = lock.entries.iter().map(|e| e.name.as_str()).collect();
        // serde_json's map is ordered by key unless `preserve_order` is on; either is fine for
        // the checks, which never depend on the order.
        assert!(names.contains(&"a") && names.contains(&"b"));
        let b = lock.entries.iter().find(|e| e.name == "b").unwrap();
        assert_eq!(b.url.as_deref(), Some("https://r"));
        assert_eq!(b.depth, Some(0));
        let a = lock.entries.iter().find(|e| e.name == "a").unwrap();
        assert_eq!(a.depth, None);
        assert_eq!(a.url, None);
    }

    #[test]
    fn malformed_locks_say_where() {
        let err = parse_lock("{\n  \"dependencies\": {\n    \"é\": 1,,\n}").unwrap_err();
        assert_eq!(err.line, Some(3));
        assert_eq!(err.column, Some(12), "{err}");
        assert!(err.to_string().starts_with("line 3, column 12: "), "{err}");
        let err = parse_lock("[]").unwrap_err();
        assert_eq!(err.to_string(), "the root is not an object");
        let err = parse_lock("{\"dependencies\": {\"a\": 1}}").unwrap_err();
        assert!(err.message.contains("`a`"));
        assert_eq!(parse_lock("{}").unwrap(), LockFile::default());
    }

    /// Locks with what the one pass must read as serde_json does: duplicate entries and keys,
    /// depths that are no u64, escapes, values of other types.
    pub(crate) const TRICKY_LOCKS: &[&str] = &[
        r#"{"dependencies": {
          "com.b": {"version": "1.0.0", "depth": 0, "source": "registry", "dependencies": {"com.z": "1.0.0", "com.a": 2, "com.z": "2.0.0"}, "url": "https://r"},
          "com.a": {"version": "2.0.0", "depth": 1.0, "source": "builtin", "dependencies": {}},
          "com.c": {"version": "1.0.0", "depth": -0, "source": "git", "hash": "abc", "dependencies": 5},
          "com.b": {"version": "\u0031.1.0", "depth": 18446744073709551616, "version": null, "url": ["x"]},
          "com.d": {"depth": "1", "depth": 7, "source": "lo\"cal", "dependencies": {"é": "\ud83d\ude00"}}
        }, "other": [1, {"dependencies": {}}, "x"]}"#,
        "\u{feff}{\"dependencies\": {}}",
        r#"{"dependencies": {"a": {}}, "dependencies": {"b": {"version": "1"}}}"#,
        r#"{"x": 1}"#,
    ];

    #[test]
    fn one_pass_reads_what_serde_json_reads() {
        let mut fast = 0;
        for base in TRICKY_LOCKS {
            assert!(read_entries(base).is_some(), "{base}");
            for text in std::iter::once(base.to_string())
                .chain(crate::project::strict::mutations(base, 3000))
            {
                let slow = parse_lock_slowly(&text);
                if let Some(entries) = read_entries(&text) {
                    fast += 1;
                    assert_eq!(Ok(LockFile::from_entries(&entries)), slow, "{text}");
                }
            }
        }
        // The mutations keep many texts valid: the fast path took a good share of them.
        assert!(fast > 1000, "{fast}");
    }

    #[test]
    fn trailing_slashes_do_not_matter() {
        assert!(same_registry(
            "https://r.example.com/",
            "https://r.example.com"
        ));
        assert!(!same_registry(
            "https://r.example.com",
            "http://r.example.com"
        ));
    }
}
