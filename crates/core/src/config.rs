//! The project configuration file, `manifest-lint.toml`: parsing (text in, [`Config`] or a
//! [`ConfigError`] out) and discovery ([`find_config`], which asks a closure whether a path
//! exists, so the core stays free of I/O). The CLI and the language server share both.
//!
//! ```toml
//! [rules]
//! unscoped-dependency = "off"
//! redundant-scope = "warning"
//!
//! [online]
//! enabled = true
//! timeout = 5
//! ```

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use crate::RuleLevel;
use crate::diagnostic::Severity;
use crate::rules::{RULES, did_you_mean, rule};
use crate::text::{Encoding, LineIndex, Span};

/// The file name searched for.
pub const CONFIG_FILE_NAME: &str = "manifest-lint.toml";

/// Seconds an online check may take by default.
pub const DEFAULT_ONLINE_TIMEOUT_SECS: u64 = 10;

/// A validated configuration.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    /// Rule id -> level, for every rule the file names (ids are known rules).
    pub rules: BTreeMap<String, RuleLevel>,
    pub online: OnlineConfig,
}

impl Config {
    /// The rule levels in the form [`crate::LintOptions::levels`] takes.
    pub fn levels(&self) -> HashMap<String, RuleLevel> {
        self.rules.iter().map(|(k, v)| (k.clone(), *v)).collect()
    }
}

/// The `[online]` table: whether online checks run and how long each may take.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OnlineConfig {
    /// Default `false`: the linter stays offline unless asked.
    pub enabled: bool,
    /// Default [`DEFAULT_ONLINE_TIMEOUT_SECS`].
    pub timeout: Duration,
}

impl Default for OnlineConfig {
    fn default() -> Self {
        Self {
            enabled: false,
            timeout: Duration::from_secs(DEFAULT_ONLINE_TIMEOUT_SECS),
        }
    }
}

/// What is wrong with a configuration text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The offending key's dotted path (`rules.glob-scop`) when it is known.
    pub key: Option<String>,
    /// What is wrong, as a sentence fragment.
    pub message: String,
    /// Byte span in the text, when known.
    pub span: Option<Span>,
    /// 1-based line and column (characters) of the span's start, when known.
    pub line: Option<u32>,
    pub column: Option<u32>,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, "line {line}, column {column}: ")?;
        }
        if let Some(key) = &self.key {
            write!(f, "`{key}`: ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

impl ConfigError {
    fn new(text: &str, key: Option<String>, span: Option<Span>, message: String) -> Self {
        let (line, column) = match span {
            Some(span) => {
                let p = LineIndex::new(text).position(text, span.start, Encoding::Utf32);
                (Some(p.line + 1), Some(p.column + 1))
            }
            None => (None, None),
        };
        Self {
            key,
            message,
            span,
            line,
            column,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    #[serde(default)]
    online: RawOnline,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawOnline {
    enabled: Option<Spanned<toml::Value>>,
    timeout: Option<Spanned<toml::Value>>,
}

/// The rule ids that are keys of `[rules]` in a configuration text, each with the span of the
/// key as written (quotes included), for editors' links. Values are not checked here, so a bad
/// level elsewhere does not hide the rest; ids that name no rule are left out. Empty when the
/// text is not TOML.
pub fn rule_keys(text: &str) -> Vec<(String, Span)> {
    #[derive(Deserialize)]
    struct Lenient {
        #[serde(default)]
        rules: BTreeMap<Spanned<String>, toml::Value>,
    }
    let Ok(lenient) = toml::from_str::<Lenient>(text) else {
        return Vec::new();
    };
    lenient
        .rules
        .keys()
        .filter(|id| rule(id.get_ref()).is_some())
        .map(|id| {
            (
                id.get_ref().clone(),
                Span::new(id.span().start, id.span().end),
            )
        })
        .collect()
}

/// The values a rule's level may take, as written in the file and on the command line.
pub const LEVEL_NAMES: &[&str] = &["error", "warning", "info", "hint", "off"];

/// Parses a level: `error`, `warning`, `info`, `hint` or `off`.
pub fn parse_level(value: &str) -> Option<RuleLevel> {
    match value {
        "off" => Some(RuleLevel::Off),
        "error" | "warning" | "info" | "hint" => Severity::parse(value).map(RuleLevel::On),
        _ => None,
    }
}

/// Why a rule id is not one: "no rule `x`; did you mean `y`?".
pub fn unknown_rule_message(id: &str) -> String {
    match did_you_mean(id, RULES.iter().map(|r| r.id)) {
        Some(s) => format!("no rule `{id}`; did you mean `{s}`?"),
        None => format!("no rule `{id}` (`manifest-lint rules` lists them)"),
    }
}

/// The longest registry timeout accepted, in seconds: one bound for `--registry-timeout`,
/// `[online] timeout` and the language server's `registryTimeout`.
pub const MAX_TIMEOUT_SECS: u64 = 3600;

/// A registry timeout of `secs` seconds, when it is within the one bound every front end applies:
/// a finite number more than 0 and at most [`MAX_TIMEOUT_SECS`].
pub fn timeout_from_secs(secs: f64) -> Option<Duration> {
    (secs.is_finite() && secs > 0.0 && secs <= MAX_TIMEOUT_SECS as f64)
        .then(|| Duration::from_secs_f64(secs))
}

/// Why a value is not a timeout, for every front end alike; `shown` is the value as the user
/// wrote it, in backticks: "`0` is not a timeout: give seconds, more than 0 and at most 3600".
pub fn invalid_timeout(shown: &str) -> String {
    format!("{shown} is not a timeout: give seconds, more than 0 and at most {MAX_TIMEOUT_SECS}")
}

/// Parses a timeout in seconds as the command line takes it (`10`, `2.5`), with the bound of
/// [`timeout_from_secs`]. Usable as a clap `value_parser`.
pub fn parse_timeout(text: &str) -> Result<Duration, String> {
    text.trim()
        .parse::<f64>()
        .ok()
        .and_then(timeout_from_secs)
        .ok_or_else(|| invalid_timeout(&format!("`{text}`")))
}

/// Parses and validates a configuration file's text.
pub fn parse_config(text: &str) -> Result<Config, ConfigError> {
    let raw: RawConfig = toml::from_str(text).map_err(|err| {
        let message = err.message().trim_end().to_string();
        let span = err.span().map(|r| Span::new(r.start, r.end));
        // Name the key when the error points at one and does not name it itself
        // ("duplicate key").
        let key = span
            .and_then(|s| text.get(s.range()))
            .filter(|k| {
                !message.contains('`')
                    && !k.is_empty()
                    && k.len() <= 100
                    && k.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
            })
            .map(str::to_string);
        ConfigError::new(text, key, span, message)
    })?;
    let mut config = Config::default();
    for (id, value) in &raw.rules {
        let key = Some(format!("rules.{}", id.get_ref()));
        let id_span = Span::new(id.span().start, id.span().end);
        if rule(id.get_ref()).is_none() {
            return Err(ConfigError::new(
                text,
                key,
                Some(id_span),
                unknown_rule_message(id.get_ref()),
            ));
        }
        let Some(level) = value.get_ref().as_str().and_then(parse_level) else {
            return Err(ConfigError::new(
                text,
                key,
                Some(span_of(value)),
                format!(
                    "{} is not a level; use one of {}",
                    shown(value.get_ref()),
                    quoted_list(LEVEL_NAMES)
                ),
            ));
        };
        config.rules.insert(id.get_ref().clone(), level);
    }
    if let Some(enabled) = &raw.online.enabled {
        let Some(value) = enabled.get_ref().as_bool() else {
            return Err(ConfigError::new(
                text,
                Some("online.enabled".into()),
                Some(span_of(enabled)),
                format!("{} is not true or false", shown(enabled.get_ref())),
            ));
        };
        config.online.enabled = value;
    }
    if let Some(timeout) = &raw.online.timeout {
        let secs = match timeout.get_ref() {
            toml::Value::Integer(i) => Some(*i as f64),
            toml::Value::Float(f) => Some(*f),
            _ => None,
        };
        let Some(duration) = secs.and_then(timeout_from_secs) else {
            return Err(ConfigError::new(
                text,
                Some("online.timeout".into()),
                Some(span_of(timeout)),
                invalid_timeout(&shown(timeout.get_ref())),
            ));
        };
        config.online.timeout = duration;
    }
    Ok(config)
}

fn span_of<T>(value: &Spanned<T>) -> Span {
    Span::new(value.span().start, value.span().end)
}

/// A value as written, in backticks ("`false`", "`\"fatal\"`" shows as "`fatal`").
fn shown(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => format!("`{s}`"),
        other => format!("`{other}`"),
    }
}

fn quoted_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("\"{i}\"")).collect();
    quoted.join(", ")
}

/// Finds the configuration file for a manifest in `start_dir` (the manifest's folder, an
/// absolute path): `manifest-lint.toml` in that folder or the nearest folder above it. The search
/// stops at the first folder that contains `.git` (the repository's root, searched too) and at
/// the file system's root. `exists` tells whether a path exists (file or folder); a `.git` file,
/// as in Git worktrees and submodules, counts.
pub fn find_config(start_dir: &Path, exists: impl Fn(&Path) -> bool) -> Option<PathBuf> {
    for dir in start_dir.ancestors() {
        let candidate = dir.join(CONFIG_FILE_NAME);
        if exists(&candidate) {
            return Some(candidate);
        }
        if exists(&dir.join(".git")) {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn a_full_configuration() {
        let config = parse_config(
            "[rules]\nunscoped-dependency = \"off\"\nredundant-scope = \"error\"\n\n[online]\nenabled = true\ntimeout = 2.5\n",
        )
        .unwrap();
        assert_eq!(config.rules["unscoped-dependency"], RuleLevel::Off);
        assert_eq!(
            config.rules["redundant-scope"],
            RuleLevel::On(Severity::Error)
        );
        assert!(config.online.enabled);
        assert_eq!(config.online.timeout, Duration::from_millis(2500));
        assert_eq!(config.levels().len(), 2);
    }

    #[test]
    fn defaults() {
        let config = parse_config("").unwrap();
        assert_eq!(config, Config::default());
        assert!(!config.online.enabled);
        assert_eq!(config.online.timeout, Duration::from_secs(10));
        let config = parse_config("[online]\ntimeout = 3\n").unwrap();
        assert_eq!(config.online.timeout, Duration::from_secs(3));
    }

    #[test]
    fn errors_name_the_key_and_the_place() {
        let err = parse_config("[rules]\nglob-scop = \"error\"\n").unwrap_err();
        assert_eq!(err.key.as_deref(), Some("rules.glob-scop"));
        assert_eq!((err.line, err.column), (Some(2), Some(1)));
        assert_eq!(
            err.to_string(),
            "line 2, column 1: `rules.glob-scop`: no rule `glob-scop`; did you mean `glob-scope`?"
        );

        let err = parse_config("[rules]\nglob-scope = \"fatal\"\n").unwrap_err();
        assert_eq!(err.key.as_deref(), Some("rules.glob-scope"));
        assert_eq!((err.line, err.column), (Some(2), Some(14)));
        assert!(err.message.contains("`fatal` is not a level"), "{err}");

        let err = parse_config("[rule]\n").unwrap_err();
        assert!(err.message.contains("unknown field `rule`"), "{err}");
        assert_eq!(err.line, Some(1));

        let err = parse_config("[online]\nenable = true\n").unwrap_err();
        assert!(err.message.contains("unknown field `enable`"), "{err}");

        let err = parse_config("[online]\ntimeout = 0\n").unwrap_err();
        assert_eq!(err.key.as_deref(), Some("online.timeout"));

        let err = parse_config("[online]\nenabled = \"yes\"\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 2, column 11: `online.enabled`: `yes` is not true or false"
        );

        let err = parse_config("[online]\ntimeout = 3601\n").unwrap_err();
        assert_eq!(
            err.message,
            "`3601` is not a timeout: give seconds, more than 0 and at most 3600"
        );
        assert!(parse_config("[online]\ntimeout = 3600\n").is_ok());

        let err = parse_config("[online]\ntimeout = \"5s\"\n").unwrap_err();
        assert_eq!(err.key.as_deref(), Some("online.timeout"));
        assert!(err.message.starts_with("`5s` is not a timeout"), "{err}");

        let err = parse_config("[rules]\nglob-scope = false\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 2, column 14: `rules.glob-scope`: `false` is not a level; use one of \"error\", \"warning\", \"info\", \"hint\", \"off\""
        );

        let err =
            parse_config("[rules]\nglob-scope = \"off\"\nglob-scope = \"hint\"\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 3, column 1: `glob-scope`: duplicate key"
        );

        let err = parse_config("[rules\n").unwrap_err();
        assert_eq!(err.line, Some(1), "{err}");
    }

    #[test]
    fn levels() {
        assert_eq!(parse_level("off"), Some(RuleLevel::Off));
        assert_eq!(parse_level("hint"), Some(RuleLevel::On(Severity::Hint)));
        assert_eq!(parse_level("warn"), None, "only the documented names");
        assert_eq!(parse_level("Error"), None);
    }

    #[test]
    fn discovery_walks_up_to_the_repository_root() {
        let exists = |set: &'static [&'static str]| {
            let set: HashSet<PathBuf> = set.iter().map(PathBuf::from).collect();
            move |p: &Path| set.contains(p)
        };
        let start = Path::new("/repo/game/Packages");
        assert_eq!(
            find_config(
                start,
                exists(&["/repo/game/manifest-lint.toml", "/repo/.git"])
            ),
            Some(PathBuf::from("/repo/game/manifest-lint.toml"))
        );
        assert_eq!(
            find_config(start, exists(&["/repo/manifest-lint.toml", "/repo/.git"])),
            Some(PathBuf::from("/repo/manifest-lint.toml")),
            "the repository root itself is searched"
        );
        assert_eq!(
            find_config(start, exists(&["/manifest-lint.toml", "/repo/.git"])),
            None,
            "never above the repository"
        );
        assert_eq!(
            find_config(start, exists(&["/manifest-lint.toml"])),
            Some(PathBuf::from("/manifest-lint.toml")),
            "up to the file system's root without a repository"
        );
        assert_eq!(
            find_config(start, exists(&["/repo/game/Packages/manifest-lint.toml"])),
            Some(PathBuf::from("/repo/game/Packages/manifest-lint.toml"))
        );
    }

    #[test]
    fn rule_keys_are_found_with_their_spans() {
        let text = "[online]\nenabled = true\n[rules]\nglob-scope = \"off\"\n\"duplicate-scope\" = 3\nno-such-rule = \"off\"\n";
        let keys = rule_keys(text);
        let shown: Vec<(&str, &str)> = keys
            .iter()
            .map(|(id, span)| (id.as_str(), &text[span.range()]))
            .collect();
        assert_eq!(
            shown,
            [
                ("duplicate-scope", "\"duplicate-scope\""),
                ("glob-scope", "glob-scope")
            ]
        );
        assert_eq!(rule_keys("[rules\n"), Vec::new());
    }
}
