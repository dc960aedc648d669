//! Registry URL helpers: validation, loopback detection and redaction of credentials.

use url::{Host, Url};

/// Why a registry URL is unusable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlProblem {
    Empty,
    SurroundingWhitespace,
    NotAbsolute,
    Scheme(String),
    NoHost,
    Malformed(String),
}

/// Parses a registry URL the way Unity requires it: an absolute `http` or `https` URL.
pub fn parse_registry_url(raw: &str) -> Result<Url, UrlProblem> {
    if raw.trim().is_empty() {
        return Err(UrlProblem::Empty);
    }
    if raw.trim() != raw {
        return Err(UrlProblem::SurroundingWhitespace);
    }
    let url = match Url::parse(raw) {
        Ok(url) => url,
        Err(url::ParseError::RelativeUrlWithoutBase) => return Err(UrlProblem::NotAbsolute),
        Err(err) => return Err(UrlProblem::Malformed(err.to_string())),
    };
    match url.scheme() {
        "http" | "https" => {}
        other => return Err(UrlProblem::Scheme(other.to_string())),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(UrlProblem::NoHost);
    }
    Ok(url)
}

/// What the registry rules ask of a registry URL, without keeping the parsed [`Url`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryUrl {
    /// The scheme is `http` (not `https`).
    pub http: bool,
    /// The host as the URL standard writes it ([`Url::host_str`]).
    pub host: Option<String>,
    /// [`is_loopback`].
    pub loopback: bool,
    /// No path but slashes, and no query.
    pub bare: bool,
}

impl RegistryUrl {
    pub fn of(url: &Url) -> Self {
        Self {
            http: url.scheme() == "http",
            host: url.host_str().map(str::to_string),
            loopback: is_loopback(url),
            bare: url.path().trim_matches('/').is_empty() && url.query().is_none(),
        }
    }
}

/// [`parse_registry_url`], reduced to a [`RegistryUrl`]. A plain `http(s)://host/path` (nearly
/// every registry URL) is read without the URL parser: for such text the parser changes
/// nothing (lowercase ASCII host that is not an IP address and has no `xn--` label, no port,
/// no user-info, a path without `.` segments, escapes, query or fragment), so the answer is the
/// same; anything else goes through [`parse_registry_url`].
pub fn check_registry_url(raw: &str) -> Result<RegistryUrl, UrlProblem> {
    if let Some(plain) = plain_registry_url(raw) {
        return Ok(plain);
    }
    parse_registry_url(raw).map(|url| RegistryUrl::of(&url))
}

fn plain_registry_url(raw: &str) -> Option<RegistryUrl> {
    let (http, rest) = match raw.strip_prefix("https://") {
        Some(rest) => (false, rest),
        None => (true, raw.strip_prefix("http://")?),
    };
    let host_end = rest.bytes().position(|c| c == b'/').unwrap_or(rest.len());
    let (host, path) = rest.split_at(host_end);
    // Labels of `a-z 0-9 -`, none empty, none starting or ending with `-`, none `xn--`; the
    // last starting with a letter, which keeps the host from being read as an IPv4 address.
    let h = host.as_bytes();
    let mut previous = b'.';
    let mut last_label_first = 0;
    for (i, &c) in h.iter().enumerate() {
        match c {
            b'a'..=b'z' | b'0'..=b'9' => {
                if previous == b'.' {
                    last_label_first = c;
                    if h[i..].starts_with(b"xn--") {
                        return None;
                    }
                }
            }
            b'-' if previous != b'.' => {}
            b'.' if previous != b'.' && previous != b'-' => {}
            _ => return None,
        }
        previous = c;
    }
    if matches!(previous, b'.' | b'-') || !last_label_first.is_ascii_lowercase() {
        return None;
    }
    // A path of plain characters with no `.` segment (nor any segment starting with a dot).
    let mut previous = 0;
    for c in path.bytes() {
        let plain = c.is_ascii_alphanumeric() || matches!(c, b'/' | b'-' | b'_' | b'~' | b'.');
        if !plain || (previous == b'/' && c == b'.') {
            return None;
        }
        previous = c;
    }
    Some(RegistryUrl {
        http,
        host: Some(host.to_string()),
        loopback: host == "localhost" || host.ends_with(".localhost"),
        bare: path.trim_matches('/').is_empty(),
    })
}

/// Whether the URL's host is this machine (`localhost`, `127.0.0.0/8`, `::1`).
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost") || d.ends_with(".localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// The byte range of the user-info (`user:password@`, without the `@`) inside a raw URL string,
/// when there is one. Works on the raw text so that renderers can mask exactly those bytes.
///
/// What counts as user-info follows the URL standard (as the `url` crate, and so the HTTP client,
/// reads it): in an `http(s)` URL a backslash ends the authority like `/` does, so
/// `https://npm.example.com\@other.example/npm` is host `npm.example.com` with the path
/// `/@other.example/npm`, not user `npm.example.com\` at host `other.example`.
pub fn userinfo_range(raw: &str) -> Option<std::ops::Range<usize>> {
    // No `@`, no user-info: the common case (every version string of a manifest comes here)
    // answered by one byte scan, before any substring search or URL parse.
    if !raw.as_bytes().contains(&b'@') {
        return None;
    }
    let scheme_end = raw.find("://")? + 3;
    let scheme = &raw[..scheme_end - 3];
    let special = ["http", "https", "ws", "wss", "ftp", "file"]
        .iter()
        .any(|s| s.eq_ignore_ascii_case(scheme));
    let rest = &raw[scheme_end..];
    let authority_end = if special {
        rest.find(['/', '\\', '?', '#'])
    } else {
        rest.find(['/', '?', '#'])
    }
    .unwrap_or(rest.len());
    let at = rest[..authority_end].rfind('@')?;
    // A URL the standard parses without user-info has none, whatever the raw text looks like.
    if let Ok(url) = Url::parse(raw) {
        if url.username().is_empty() && url.password().is_none() {
            return None;
        }
    }
    Some(scheme_end..scheme_end + at)
}

/// The byte range of the credentials inside a dependency URL (a Git URL such as
/// `https://ci:token@host/x.git`, `git+https://...`, `ssh://user:pass@host/x.git`): its
/// user-info (without the `@`) when that holds a password (`user:password`), or, over
/// http(s), a user name that is an access token (`https://ghp_...@github.com/x.git`). A bare
/// user name (`git@host:x.git`, `ssh://git@host/x.git`, `https://me@bitbucket.org/x.git`) is
/// not a credential: `None`.
pub fn dependency_credentials_range(raw: &str) -> Option<std::ops::Range<usize>> {
    let range = userinfo_range(raw)?;
    let info = &raw[range.clone()];
    if let Some((_, password)) = info.split_once(':') {
        return (!password.is_empty()).then_some(range);
    }
    let scheme = raw[..raw.find("://")?].to_ascii_lowercase();
    let http = matches!(scheme.trim_start_matches("git+"), "http" | "https");
    (http && looks_like_token(info)).then_some(range)
}

/// Whether a user name is in fact an access token: a known token prefix (GitHub, GitLab,
/// Bitbucket), or a long run of letters and digits mixed as generated tokens are.
fn looks_like_token(user: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "ghp_",
        "gho_",
        "ghu_",
        "ghs_",
        "ghr_",
        "github_pat_",
        "glpat-",
        "gloas-",
        "ATBB",
    ];
    if PREFIXES.iter().any(|p| user.starts_with(p)) {
        return true;
    }
    user.len() >= 20
        && user.bytes().any(|b| b.is_ascii_digit())
        && user.bytes().any(|b| b.is_ascii_alphabetic())
        && user
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'%'))
}

/// The URL with any user-info replaced by `***`, for every message that names a registry URL.
pub fn redact(raw: &str) -> String {
    match userinfo_range(raw) {
        Some(range) => format!("{}***{}", &raw[..range.start], &raw[range.end..]),
        None => raw.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plain_path_agrees_with_the_parser() {
        let urls = [
            "https://npm.example.com",
            "https://npm.example.com/",
            "http://npm.example.com/npm/registry/",
            "https://localhost",
            "http://registry.localhost/x",
            "https://a-b.c0.example",
            "https://127.0.0.1",
            "https://1.2.3",
            "https://example.0x1f",
            "https://xn--nxasmq6b.example",
            "https://ab--cd.example",
            "https://-a.example",
            "https://a..example",
            "https://example.com.",
            "https://EXAMPLE.com",
            "https://example.com:443/",
            "https://user@example.com",
            "https://example.com/a/./b",
            "https://example.com/a/../b",
            "https://example.com/.npm",
            "https://example.com/a%20b",
            "https://example.com/a?b",
            "https://example.com//",
            "https:///example.com",
            "https://",
            "http://x",
            "ftp://example.com",
        ];
        for raw in urls {
            let slow = parse_registry_url(raw).map(|u| RegistryUrl::of(&u));
            assert_eq!(check_registry_url(raw), slow, "{raw}");
            if let Some(plain) = plain_registry_url(raw) {
                assert_eq!(Ok(plain), slow, "{raw}");
            }
        }
        assert!(plain_registry_url("https://npm.example.com/npm").is_some());
    }

    #[test]
    fn registry_urls() {
        assert!(parse_registry_url("https://package.openupm.com").is_ok());
        assert!(parse_registry_url("http://localhost:4873/").is_ok());
        assert_eq!(parse_registry_url(""), Err(UrlProblem::Empty));
        assert_eq!(
            parse_registry_url(" https://x.com"),
            Err(UrlProblem::SurroundingWhitespace)
        );
        assert_eq!(
            parse_registry_url("package.openupm.com"),
            Err(UrlProblem::NotAbsolute)
        );
        assert_eq!(
            parse_registry_url("ftp://x.com"),
            Err(UrlProblem::Scheme("ftp".into()))
        );
        assert!(matches!(
            parse_registry_url("https://"),
            Err(UrlProblem::Malformed(_) | UrlProblem::NoHost)
        ));
    }

    #[test]
    fn loopback_hosts() {
        for url in [
            "http://localhost:4873",
            "http://127.0.0.2",
            "http://[::1]:80",
        ] {
            assert!(is_loopback(&Url::parse(url).unwrap()), "{url}");
        }
        assert!(!is_loopback(&Url::parse("http://10.0.0.1").unwrap()));
        assert!(!is_loopback(
            &Url::parse("http://localhost.example.com").unwrap()
        ));
    }

    #[test]
    fn credentials_are_redacted() {
        assert_eq!(
            redact("https://bob:s3cret@npm.example.com/x@y"),
            "https://***@npm.example.com/x@y"
        );
        assert_eq!(
            redact("https://npm.example.com/@scope"),
            "https://npm.example.com/@scope"
        );
        assert_eq!(userinfo_range("https://tok@h.com"), Some(8..11));
    }

    #[test]
    fn userinfo_follows_the_url_standard() {
        // A backslash ends the authority of an http(s) URL: the host is npm.example.com and
        // there are no credentials (the `url` crate, and so every request, agrees).
        let raw = r"https://npm.example.com\@other.example/npm";
        let url = Url::parse(raw).unwrap();
        assert_eq!(url.host_str(), Some("npm.example.com"));
        assert_eq!(url.username(), "");
        assert_eq!(userinfo_range(raw), None);
        assert_eq!(redact(raw), raw);
        // The same, escaped in JSON text (`\\`), as the rules see the raw string.
        assert_eq!(
            userinfo_range(r"https://npm.example.com\\@other.example/npm"),
            None
        );
        // Real user-info still is.
        let raw = "https://me:pw@npm.example.com/a\\b@c";
        assert_eq!(userinfo_range(raw), Some(8..13));
        assert_eq!(Url::parse(raw).unwrap().username(), "me");
    }

    #[test]
    fn credentials_in_dependency_urls() {
        let found = |raw: &str| dependency_credentials_range(raw).map(|r| raw[r].to_string());
        for (raw, secret) in [
            ("https://ci:token@host.example/x.git", "ci:token"),
            ("git+https://user:pass@host.example/x.git#v1", "user:pass"),
            ("ssh://user:pass@host.example/x.git", "user:pass"),
            ("git+ssh://git:hunter2@host.example/x.git", "git:hunter2"),
            (
                "https://ghp_abcdefABCDEF0123456789@github.com/o/r.git",
                "ghp_abcdefABCDEF0123456789",
            ),
            (
                "https://x9f8e7d6c5b4a3f2e1d0c9b8@gitlab.example/r.git",
                "x9f8e7d6c5b4a3f2e1d0c9b8",
            ),
        ] {
            assert_eq!(found(raw).as_deref(), Some(secret), "{raw}");
        }
        for raw in [
            "git@github.com:o/r.git",
            "ssh://git@github.com/o/r.git",
            "git+ssh://git@github.com/o/r.git",
            "https://me@bitbucket.org/team/r.git",
            "https://user:@host.example/r.git",
            "https://github.com/o/r.git?path=/a@b#c@d",
            "ssh://ghp_abcdefABCDEF0123456789@host/r.git",
            "file:../x",
        ] {
            assert_eq!(found(raw), None, "{raw}");
        }
    }
}
