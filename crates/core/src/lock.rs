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
mod tests {
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
