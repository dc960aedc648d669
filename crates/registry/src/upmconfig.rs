//! Unity's `.upmconfig.toml` files: registry credentials (`[npmAuth."<url>"]`) and the custom
//! certificate authority (`caFile`).
//!
//! Two files are read, as Unity does:
//!
//! * the **user** file: `UPM_USER_CONFIG_FILE`, else `~/.upmconfig.toml`
//!   (`%USERPROFILE%\.upmconfig.toml` on Windows);
//! * the **global** file: `UPM_GLOBAL_CONFIG_FILE`, else `/etc/upmconfig.toml`
//!   (`%ALLUSERSPROFILE%\Unity\config\upmconfig.toml` on Windows). Only this one may hold `caFile`.
//!
//! Problems never panic and never abort loading: each becomes a [`ConfigError`] (file, line,
//! column, message) next to whatever could still be used, so the CLI and the language server can
//! show it. Secrets are kept inside [`AuthEntry`] and are never printed, not even by `Debug`.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};

use reqwest::header::HeaderValue;
use serde::Deserialize;
use toml::Spanned;

/// One problem found in a configuration file. Displays as `path:line:column: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file the problem is in (for a `caFile` problem: the configuration file naming it).
    pub path: PathBuf,
    /// 1-based line, when the problem has a place in the file.
    pub line: Option<usize>,
    /// 1-based column (in characters), when the problem has a place in the file.
    pub column: Option<usize>,
    /// What is wrong, in words meant for the user. Never contains a secret.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ConfigError {}

/// Which of Unity's two configuration files a path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigKind {
    /// `.upmconfig.toml` in the user's home (credentials).
    User,
    /// `upmconfig.toml` for the whole machine (credentials, `caFile`).
    Global,
}

/// Where one configuration file is looked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigLocation {
    /// The file's path.
    pub path: PathBuf,
    /// `Some(variable)` when the path came from `UPM_USER_CONFIG_FILE` / `UPM_GLOBAL_CONFIG_FILE`:
    /// then a missing file is reported, since the user asked for it. A missing file at the
    /// default location is normal and silent.
    pub from_env: Option<&'static str>,
}

/// The two files to read. Build it with [`ConfigPaths::from_env`], or by hand (tests, an editor
/// setting).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfigPaths {
    /// The user file, if a location could be determined.
    pub user: Option<ConfigLocation>,
    /// The global file, if a location could be determined.
    pub global: Option<ConfigLocation>,
}

/// Name of the variable that overrides the user file's location.
pub const USER_CONFIG_ENV: &str = "UPM_USER_CONFIG_FILE";
/// Name of the variable that overrides the global file's location.
pub const GLOBAL_CONFIG_ENV: &str = "UPM_GLOBAL_CONFIG_FILE";

impl ConfigPaths {
    /// Unity's locations, read from this process's environment.
    pub fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var_os(name))
    }

    /// Unity's locations, with environment variables read through `var` (so that callers and
    /// tests can supply their own environment).
    pub fn from_lookup(var: impl Fn(&str) -> Option<OsString>) -> Self {
        let non_empty = |name: &str| var(name).filter(|v| !v.is_empty());
        let user = match non_empty(USER_CONFIG_ENV) {
            Some(path) => Some(ConfigLocation {
                path: PathBuf::from(path),
                from_env: Some(USER_CONFIG_ENV),
            }),
            None => {
                let home = if cfg!(windows) {
                    non_empty("USERPROFILE")
                } else {
                    non_empty("HOME")
                };
                home.map(|home| ConfigLocation {
                    path: PathBuf::from(home).join(".upmconfig.toml"),
                    from_env: None,
                })
            }
        };
        let global = match non_empty(GLOBAL_CONFIG_ENV) {
            Some(path) => Some(ConfigLocation {
                path: PathBuf::from(path),
                from_env: Some(GLOBAL_CONFIG_ENV),
            }),
            None if cfg!(windows) => non_empty("ALLUSERSPROFILE").map(|root| ConfigLocation {
                path: PathBuf::from(root)
                    .join("Unity")
                    .join("config")
                    .join("upmconfig.toml"),
                from_env: None,
            }),
            None => Some(ConfigLocation {
                path: PathBuf::from("/etc/upmconfig.toml"),
                from_env: None,
            }),
        };
        ConfigPaths { user, global }
    }
}

/// How an [`AuthEntry`] authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthScheme {
    /// `token = "..."`, sent as `Authorization: Bearer <token>`.
    Bearer,
    /// `_auth = "..."` (base64 of `user:password`), sent as `Authorization: Basic <_auth>`.
    Basic,
}

/// One `[npmAuth."<url>"]` table. The secret inside is only ever turned into an `Authorization`
/// header (marked sensitive); `Debug` shows `<redacted>`.
#[derive(Clone)]
pub struct AuthEntry {
    /// The table's key, verbatim (the registry URL it is for).
    pub key: String,
    /// The file it came from.
    pub file: PathBuf,
    /// 1-based line of the key in that file.
    pub line: usize,
    /// `alwaysAuth`: send the credentials to tarball hosts too. Parsed for completeness; the
    /// prober never downloads tarballs.
    pub always_auth: bool,
    /// Bearer or Basic.
    pub scheme: AuthScheme,
    header: HeaderValue,
}

impl AuthEntry {
    /// The `Authorization` header value (marked sensitive, so `Debug` of it hides the secret).
    pub(crate) fn header(&self) -> &HeaderValue {
        &self.header
    }
}

impl fmt::Debug for AuthEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthEntry")
            .field("key", &self.key)
            .field("file", &self.file)
            .field("line", &self.line)
            .field("always_auth", &self.always_auth)
            .field("scheme", &self.scheme)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// What [`UpmConfig::lookup`] found for a registry URL.
#[derive(Debug, Clone, Copy, Default)]
pub struct AuthMatch<'a> {
    /// The entry whose credentials are sent: the key equal to the URL, else the key equal to the
    /// URL with its trailing slash toggled.
    pub entry: Option<&'a AuthEntry>,
    /// When nothing is sent: an entry whose key differs from the URL only by the scheme
    /// (`http`/`https`) and/or trailing slashes. Never sent; reported as the likely reason for a
    /// 401.
    pub near_miss: Option<&'a AuthEntry>,
}

/// The parsed configuration: credentials from both files (user file first), and the extra
/// trusted roots from the global file's `caFile`.
#[derive(Clone, Default)]
pub struct UpmConfig {
    entries: Vec<AuthEntry>,
    ca_file: Option<PathBuf>,
    ca_certificates: Vec<reqwest::Certificate>,
}

impl fmt::Debug for UpmConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UpmConfig")
            .field("entries", &self.entries)
            .field("ca_file", &self.ca_file)
            .field("ca_certificates", &self.ca_certificates.len())
            .finish()
    }
}

impl UpmConfig {
    /// No credentials and no extra roots.
    pub fn empty() -> Self {
        Self::default()
    }

    /// Reads the user and global files from Unity's locations (see [`ConfigPaths::from_env`]).
    pub fn from_env() -> (Self, Vec<ConfigError>) {
        Self::load(&ConfigPaths::from_env())
    }

    /// Reads both files. A missing file at a default location is silently skipped; every other
    /// problem is returned next to what could be used.
    pub fn load(paths: &ConfigPaths) -> (Self, Vec<ConfigError>) {
        let mut config = UpmConfig::default();
        let mut errors = Vec::new();
        // User first: its entries win over the global file's for the same key (our choice).
        for (location, kind) in [
            (&paths.user, ConfigKind::User),
            (&paths.global, ConfigKind::Global),
        ] {
            let Some(location) = location else { continue };
            match std::fs::read(&location.path) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => {
                        let (part, part_errors) = Self::parse(&text, &location.path, kind);
                        config.merge(part);
                        errors.extend(part_errors);
                    }
                    Err(_) => errors.push(ConfigError {
                        path: location.path.clone(),
                        line: None,
                        column: None,
                        message: "not valid UTF-8, so not a TOML file; ignored".to_string(),
                    }),
                },
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    if let Some(var) = location.from_env {
                        errors.push(ConfigError {
                            path: location.path.clone(),
                            line: None,
                            column: None,
                            message: format!("{var} names this file, but it does not exist"),
                        });
                    }
                }
                Err(e) => errors.push(ConfigError {
                    path: location.path.clone(),
                    line: None,
                    column: None,
                    message: format!("cannot be read: {e}"),
                }),
            }
        }
        (config, errors)
    }

    /// Parses one file's text. `path` is used in errors and to resolve a relative `caFile`
    /// (against the file's directory, our choice); `caFile` is only honoured for
    /// [`ConfigKind::Global`], as in Unity.
    pub fn parse(text: &str, path: &Path, kind: ConfigKind) -> (Self, Vec<ConfigError>) {
        let mut config = UpmConfig::default();
        let mut errors = Vec::new();
        let at = |span: Option<std::ops::Range<usize>>, message: String| {
            let (line, column) = match span {
                Some(span) => {
                    let (l, c) = line_col(text, span.start);
                    (Some(l), Some(c))
                }
                None => (None, None),
            };
            ConfigError {
                path: path.to_path_buf(),
                line,
                column,
                message,
            }
        };

        let raw: RawFile = match toml::from_str(text) {
            Ok(raw) => raw,
            Err(e) => {
                let message = format!(
                    "not a valid .upmconfig.toml, the whole file is ignored: {}",
                    e.message().trim_end()
                );
                errors.push(at(e.span(), message));
                return (config, errors);
            }
        };

        for (key, table) in raw.npm_auth.map(Spanned::into_inner).unwrap_or_default() {
            let line = line_col(text, key.span().start).0;
            let key_span = key.span();
            let key = key.into_inner();
            match parse_entry(&key, table.into_inner()) {
                Ok((entry, warnings)) => {
                    for (span, message) in warnings {
                        errors.push(at(Some(span.unwrap_or(key_span.clone())), message));
                    }
                    config.entries.push(AuthEntry {
                        key,
                        file: path.to_path_buf(),
                        line,
                        always_auth: entry.always_auth,
                        scheme: entry.scheme,
                        header: entry.header,
                    });
                }
                Err((span, message)) => {
                    errors.push(at(Some(span.unwrap_or(key_span)), message));
                }
            }
        }

        if let Some(ca_file) = raw.ca_file {
            let span = ca_file.span();
            match (kind, ca_file.into_inner()) {
                (ConfigKind::User, _) => errors.push(at(
                    Some(span),
                    "caFile is only read from the global configuration file (upmconfig.toml, \
                     or the file UPM_GLOBAL_CONFIG_FILE names); Unity ignores it here"
                        .to_string(),
                )),
                (ConfigKind::Global, toml::Value::String(file)) => {
                    let mut ca_path = PathBuf::from(&file);
                    if ca_path.is_relative() {
                        if let Some(dir) = path.parent() {
                            ca_path = dir.join(ca_path);
                        }
                    }
                    match load_certificates(&ca_path) {
                        Ok(certs) => {
                            config.ca_certificates = certs;
                            config.ca_file = Some(ca_path);
                        }
                        Err(message) => errors.push(at(Some(span), message)),
                    }
                }
                (ConfigKind::Global, other) => errors.push(at(
                    Some(span),
                    format!(
                        "caFile must be a string (the path of a PEM file), found {}",
                        other.type_str()
                    ),
                )),
            }
        }
        (config, errors)
    }

    /// Appends `other`'s entries after this one's (so this one's win), and takes its `caFile`
    /// when this one has none.
    pub fn merge(&mut self, other: UpmConfig) {
        self.entries.extend(other.entries);
        if self.ca_file.is_none() {
            self.ca_file = other.ca_file;
            self.ca_certificates = other.ca_certificates;
        }
    }

    /// All credential entries, user file first.
    pub fn entries(&self) -> &[AuthEntry] {
        &self.entries
    }

    /// The `caFile` in use (resolved path), if one was loaded.
    pub fn ca_file(&self) -> Option<&Path> {
        self.ca_file.as_deref()
    }

    pub(crate) fn ca_certificates(&self) -> &[reqwest::Certificate] {
        &self.ca_certificates
    }

    /// Finds the credentials for a registry URL (the manifest's `url`, verbatim).
    ///
    /// Matching (our decision, following the reference): the key equal to the URL; else the key equal to
    /// the URL with a trailing slash toggled (`https://r.example/` <-> `https://r.example`), which
    /// is *sent* too (openupm-cli accepts both forms, and Unity documents no normalisation).
    /// When neither exists, a key differing only by scheme and/or trailing slashes is returned as
    /// `near_miss` and is not sent.
    pub fn lookup(&self, url: &str) -> AuthMatch<'_> {
        if let Some(entry) = self.entries.iter().find(|e| e.key == url) {
            return AuthMatch {
                entry: Some(entry),
                near_miss: None,
            };
        }
        let toggled = match url.strip_suffix('/') {
            Some(_) => url.trim_end_matches('/').to_string(),
            None => format!("{url}/"),
        };
        if let Some(entry) = self.entries.iter().find(|e| e.key == toggled) {
            return AuthMatch {
                entry: Some(entry),
                near_miss: None,
            };
        }
        let wanted = loose_form(url);
        let near_miss = self.entries.iter().find(|e| loose_form(&e.key) == wanted);
        AuthMatch {
            entry: None,
            near_miss,
        }
    }
}

/// The URL without its scheme (if http or https) and without trailing slashes.
fn loose_form(url: &str) -> &str {
    let lower_starts = |prefix: &str| {
        url.get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
    };
    let rest = if lower_starts("https://") {
        &url[8..]
    } else if lower_starts("http://") {
        &url[7..]
    } else {
        url
    };
    rest.trim_end_matches('/')
}

#[derive(Deserialize)]
struct RawFile {
    #[serde(rename = "npmAuth")]
    npm_auth: Option<Spanned<BTreeMap<Spanned<String>, Spanned<RawTable>>>>,
    #[serde(rename = "caFile")]
    ca_file: Option<Spanned<toml::Value>>,
}

type RawTable = BTreeMap<Spanned<String>, Spanned<toml::Value>>;

struct ParsedEntry {
    always_auth: bool,
    scheme: AuthScheme,
    header: HeaderValue,
}

type Span = Option<std::ops::Range<usize>>;

/// Checks one `npmAuth` table. `Err` drops the entry; the warnings keep it.
#[allow(clippy::type_complexity)]
fn parse_entry(
    key: &str,
    table: RawTable,
) -> Result<(ParsedEntry, Vec<(Span, String)>), (Span, String)> {
    let mut warnings = Vec::new();
    let mut token = None;
    let mut auth = None;
    let mut always_auth = false;
    for (name, value) in table {
        let value_span = value.span();
        let value = value.into_inner();
        match name.get_ref().as_str() {
            "token" | "_auth" => {
                let toml::Value::String(secret) = value else {
                    return Err((
                        Some(value_span),
                        format!(
                            "npmAuth.\"{key}\".{} must be a string, found {}",
                            name.get_ref(),
                            value.type_str()
                        ),
                    ));
                };
                if name.get_ref() == "token" {
                    token = Some((secret, value_span));
                } else {
                    auth = Some((secret, value_span));
                }
            }
            "alwaysAuth" => match value {
                toml::Value::Boolean(b) => always_auth = b,
                other => warnings.push((
                    Some(value_span),
                    format!(
                        "npmAuth.\"{key}\".alwaysAuth must be true or false, found {}; treated as false",
                        other.type_str()
                    ),
                )),
            },
            "email" => {}
            other => warnings.push((
                Some(name.span()),
                format!(
                    "npmAuth.\"{key}\".{other} is not a setting Unity reads (it reads token, _auth, \
                     email and alwaysAuth)"
                ),
            )),
        }
    }
    if !(key.starts_with("http://") || key.starts_with("https://")) {
        warnings.push((
            None,
            format!(
                "npmAuth key \"{key}\" is not an http(s) URL, so it can never match a registry url"
            ),
        ));
    }
    let (scheme, secret, span) = match (token, auth) {
        (Some((token, span)), other) => {
            if other.is_some() {
                warnings.push((
                    Some(span.clone()),
                    format!("npmAuth.\"{key}\" has both token and _auth; token is used"),
                ));
            }
            (AuthScheme::Bearer, token, span)
        }
        (None, Some((auth, span))) => {
            let looks_base64 = !auth.is_empty()
                && auth
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='));
            if !looks_base64 {
                warnings.push((
                    Some(span.clone()),
                    format!(
                        "npmAuth.\"{key}\"._auth should be the base64 encoding of user:password, \
                         and this value is not base64"
                    ),
                ));
            }
            (AuthScheme::Basic, auth, span)
        }
        (None, None) => {
            return Err((
                None,
                format!(
                    "npmAuth.\"{key}\" has neither token nor _auth, so no credentials are sent \
                     for it"
                ),
            ));
        }
    };
    let secret = secret.trim();
    if secret.is_empty() {
        return Err((
            Some(span),
            format!("npmAuth.\"{key}\" has an empty secret, so no credentials are sent for it"),
        ));
    }
    let prefix = match scheme {
        AuthScheme::Bearer => "Bearer ",
        AuthScheme::Basic => "Basic ",
    };
    let Ok(mut header) = HeaderValue::from_str(&format!("{prefix}{secret}")) else {
        return Err((
            Some(span),
            format!(
                "npmAuth.\"{key}\" has a secret with characters an HTTP header cannot carry \
                 (a line break or a non-ASCII character?), so no credentials are sent for it"
            ),
        ));
    };
    header.set_sensitive(true);
    Ok((
        ParsedEntry {
            always_auth,
            scheme,
            header,
        },
        warnings,
    ))
}

fn load_certificates(path: &Path) -> Result<Vec<reqwest::Certificate>, String> {
    let bytes = std::fs::read(path)
        .map_err(|e| format!("caFile {} cannot be read: {e}", path.display()))?;
    let certs = reqwest::Certificate::from_pem_bundle(&bytes).map_err(|e| {
        format!(
            "caFile {} is not a PEM certificate bundle: {e}",
            path.display()
        )
    })?;
    if certs.is_empty() {
        return Err(format!(
            "caFile {} holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
            path.display()
        ));
    }
    Ok(certs)
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_user(text: &str) -> (UpmConfig, Vec<ConfigError>) {
        UpmConfig::parse(text, Path::new("/home/u/.upmconfig.toml"), ConfigKind::User)
    }

    #[test]
    fn parses_token_and_auth_entries() {
        let (config, errors) = parse_user(
            "[npmAuth.\"https://a.example/npm\"]\ntoken = \"tok-1\"\nalwaysAuth = true\n\n\
             [npmAuth.\"https://b.example\"]\n_auth = \"dXNlcjpwYXNz\"\nemail = \"me@x\"\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        let entries = config.entries();
        assert_eq!(entries.len(), 2);
        let a = config.lookup("https://a.example/npm").entry.unwrap();
        assert_eq!(a.scheme, AuthScheme::Bearer);
        assert!(a.always_auth);
        assert_eq!(a.line, 1);
        assert_eq!(a.header().to_str().unwrap(), "Bearer tok-1");
        let b = config.lookup("https://b.example").entry.unwrap();
        assert_eq!(b.scheme, AuthScheme::Basic);
        assert_eq!(b.line, 5);
        assert_eq!(b.header().to_str().unwrap(), "Basic dXNlcjpwYXNz");
    }

    #[test]
    fn debug_never_shows_secrets() {
        let (config, _) = parse_user("[npmAuth.\"https://a.example\"]\ntoken = \"SECRET-XYZ\"\n");
        let shown = format!("{config:?} {:?}", config.lookup("https://a.example"));
        assert!(!shown.contains("SECRET-XYZ"), "{shown}");
        assert!(shown.contains("<redacted>"));
        assert!(!format!("{:?}", config.entries()[0].header()).contains("SECRET-XYZ"));
    }

    #[test]
    fn syntax_error_has_path_line_and_column() {
        let (config, errors) = parse_user(
            "[npmAuth.\"https://a.example\"]\ntoken = \"abc\"\n\n[npmAuth.\"https://b.example\"\ntoken = 1\n",
        );
        assert!(config.entries().is_empty());
        assert_eq!(errors.len(), 1, "{errors:?}");
        let e = &errors[0];
        assert_eq!(e.path, Path::new("/home/u/.upmconfig.toml"));
        assert_eq!(e.line, Some(4), "{e}");
        let shown = e.to_string();
        assert!(
            shown.starts_with("/home/u/.upmconfig.toml:4:"),
            "unexpected: {shown}"
        );
        assert!(shown.contains("not a valid .upmconfig.toml"), "{shown}");
    }

    #[test]
    fn wrong_types_are_located_and_other_entries_survive() {
        let (config, errors) = parse_user(
            "[npmAuth.\"https://a.example\"]\ntoken = 42\n\n[npmAuth.\"https://b.example\"]\ntoken = \"ok\"\nalwaysAuth = \"yes\"\n",
        );
        assert!(config.lookup("https://a.example").entry.is_none());
        assert!(config.lookup("https://b.example").entry.is_some());
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(errors[0].line, Some(2));
        assert!(
            errors[0]
                .message
                .contains("must be a string, found integer")
        );
        assert_eq!(errors[1].line, Some(6));
        assert!(errors[1].message.contains("alwaysAuth"));
    }

    #[test]
    fn npm_auth_not_a_table_is_an_error_not_a_panic() {
        let (_, errors) = parse_user("npmAuth = \"https://a.example\"\n");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, Some(1));
        let (_, errors) = parse_user("[npmAuth]\n\"https://a.example\" = 3\n");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, Some(2), "{:?}", errors[0]);
    }

    #[test]
    fn entry_without_secret_and_unknown_keys() {
        let (config, errors) =
            parse_user("[npmAuth.\"https://a.example\"]\nusername = \"u\"\npassword = \"p\"\n");
        assert!(config.entries().is_empty());
        let all = errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n");
        assert!(all.contains("neither token nor _auth"), "{all}");
        assert!(!all.contains("\"p\""));
    }

    #[test]
    fn secret_with_newline_is_rejected_without_echoing_it() {
        let (config, errors) =
            parse_user("[npmAuth.\"https://a.example\"]\ntoken = \"abc\\ndef-SECRET\"\n");
        assert!(config.entries().is_empty());
        assert_eq!(errors.len(), 1);
        assert!(!errors[0].to_string().contains("SECRET"));
    }

    #[test]
    fn lookup_exact_then_slash_toggled_then_near_miss() {
        let (config, _) = parse_user(
            "[npmAuth.\"https://a.example/npm/\"]\ntoken = \"t1\"\n\
             [npmAuth.\"http://b.example\"]\ntoken = \"t2\"\n\
             [npmAuth.\"https://c.example\"]\ntoken = \"t3\"\n[npmAuth.\"https://c.example/\"]\ntoken = \"t4\"\n",
        );
        // Slash toggled: matched and sent.
        let m = config.lookup("https://a.example/npm");
        assert_eq!(m.entry.unwrap().key, "https://a.example/npm/");
        assert!(m.near_miss.is_none());
        // Scheme differs: a near miss, not sent.
        let m = config.lookup("https://b.example/");
        assert!(m.entry.is_none());
        assert_eq!(m.near_miss.unwrap().key, "http://b.example");
        // Exact wins over toggled.
        assert_eq!(
            config.lookup("https://c.example/").entry.unwrap().key,
            "https://c.example/"
        );
        assert_eq!(
            config.lookup("https://c.example").entry.unwrap().key,
            "https://c.example"
        );
        // Unrelated: nothing.
        let m = config.lookup("https://d.example");
        assert!(m.entry.is_none() && m.near_miss.is_none());
    }

    #[test]
    fn ca_file_only_in_global_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        let (_, errors) = parse_user("caFile = \"/x.pem\"\n");
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("only read from the global"));

        let global = dir.path().join("upmconfig.toml");
        let (config, errors) =
            UpmConfig::parse("caFile = \"missing.pem\"\n", &global, ConfigKind::Global);
        assert!(config.ca_file().is_none());
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].message.contains("cannot be read"),
            "{}",
            errors[0]
        );
        assert!(
            errors[0]
                .message
                .contains(&dir.path().join("missing.pem").display().to_string())
        );

        std::fs::write(dir.path().join("junk.pem"), "hello").unwrap();
        let (_, errors) = UpmConfig::parse("caFile = \"junk.pem\"\n", &global, ConfigKind::Global);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].message.contains("no PEM certificate")
                || errors[0].message.contains("not a PEM")
        );
    }

    #[test]
    fn load_reports_missing_explicit_file_but_not_default() {
        let dir = tempfile::tempdir().unwrap();
        let paths = ConfigPaths {
            user: Some(ConfigLocation {
                path: dir.path().join("nope.toml"),
                from_env: Some(USER_CONFIG_ENV),
            }),
            global: Some(ConfigLocation {
                path: dir.path().join("absent.toml"),
                from_env: None,
            }),
        };
        let (_, errors) = UpmConfig::load(&paths);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains(USER_CONFIG_ENV));
    }

    #[test]
    fn user_entries_win_over_global() {
        let dir = tempfile::tempdir().unwrap();
        let user = dir.path().join("user.toml");
        let global = dir.path().join("global.toml");
        std::fs::write(&user, "[npmAuth.\"https://a.example\"]\ntoken = \"u\"\n").unwrap();
        std::fs::write(&global, "[npmAuth.\"https://a.example\"]\ntoken = \"g\"\n").unwrap();
        let paths = ConfigPaths {
            user: Some(ConfigLocation {
                path: user.clone(),
                from_env: None,
            }),
            global: Some(ConfigLocation {
                path: global,
                from_env: None,
            }),
        };
        let (config, errors) = UpmConfig::load(&paths);
        assert!(errors.is_empty());
        assert_eq!(config.lookup("https://a.example").entry.unwrap().file, user);
    }

    #[test]
    fn paths_from_lookup() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                vars.iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| OsString::from(v))
            }
        };
        let paths = ConfigPaths::from_lookup(env(&[
            ("UPM_USER_CONFIG_FILE", "/u.toml"),
            ("UPM_GLOBAL_CONFIG_FILE", "/g.toml"),
        ]));
        assert_eq!(paths.user.unwrap().path, PathBuf::from("/u.toml"));
        assert_eq!(paths.global.unwrap().path, PathBuf::from("/g.toml"));
        if !cfg!(windows) {
            let paths = ConfigPaths::from_lookup(env(&[("HOME", "/home/me")]));
            let user = paths.user.unwrap();
            assert_eq!(user.path, PathBuf::from("/home/me/.upmconfig.toml"));
            assert_eq!(user.from_env, None);
            assert_eq!(
                paths.global.unwrap().path,
                PathBuf::from("/etc/upmconfig.toml")
            );
        }
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\ncé d", 7), (2, 4));
        assert_eq!(line_col("", 5), (1, 1));
    }
}
