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
}
