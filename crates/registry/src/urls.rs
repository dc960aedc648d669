//! Registry URL handling: parsing, joining endpoint paths under a base that may have a path, the
//! "is this request for that registry" test that guards credentials, and redaction for messages.

use reqwest::Url;

/// A registry base URL, parsed once.
#[derive(Debug, Clone)]
pub(crate) struct RegistryBase {
    url: Url,
}

impl RegistryBase {
    /// Accepts absolute `http`/`https` URLs only (what Unity accepts). The error is a sentence.
    pub(crate) fn parse(raw: &str) -> Result<Self, String> {
        let url =
            Url::parse(raw.trim()).map_err(|e| format!("not an absolute http(s) URL ({e})"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!("not an http(s) URL (scheme `{}`)", url.scheme()));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err("the URL has no host".to_string());
        }
        Ok(RegistryBase { url })
    }

    /// The base's path without trailing slashes (`""` for the root).
    fn base_path(&self) -> &str {
        self.url.path().trim_end_matches('/')
    }

    /// `<base>/<segments>` with query and fragment dropped: `https://h/npm/@o` and
    /// `https://h/npm/@o/` both join `-/v1/search` into `https://h/npm/@o/-/v1/search`.
    pub(crate) fn join(&self, tail: &str) -> Url {
        let mut url = self.url.clone();
        url.set_query(None);
        url.set_fragment(None);
        let path = format!("{}/{}", self.base_path(), tail.trim_start_matches('/'));
        url.set_path(&path);
        url
    }

    /// `GET <base>/-/v1/search?text=<scope>&from=0&size=1`.
    pub(crate) fn search(&self, scope: &str) -> Url {
        self.search_page(scope, 1)
    }

    /// `GET <base>/-/v1/search?text=<text>&from=0&size=<size>`.
    pub(crate) fn search_page(&self, text: &str, size: usize) -> Url {
        let mut url = self.join("-/v1/search");
        url.query_pairs_mut()
            .append_pair("text", text)
            .append_pair("from", "0")
            .append_pair("size", &size.to_string());
        url
    }

    /// `GET <base>/-/all`.
    pub(crate) fn all(&self) -> Url {
        self.join("-/all")
    }

    /// `GET <base>/<name>`. A `/` in the name (npm's `@scope/name`, invalid for Unity but it may
    /// still be asked about) is sent as `%2F`, as npm does; Unity names need no encoding.
    pub(crate) fn package(&self, name: &str) -> Url {
        self.join(&name.replace('/', "%2F"))
    }

    /// Whether `url` is a request for this registry: same scheme, host and port, and a path at or
    /// under the base path. Only such requests carry the registry's credentials.
    pub(crate) fn covers(&self, url: &Url) -> bool {
        if url.scheme() != self.url.scheme()
            || url.host_str() != self.url.host_str()
            || url.port_or_known_default() != self.url.port_or_known_default()
        {
            return false;
        }
        let base = self.base_path();
        let path = url.path();
        path == base
            || path
                .strip_prefix(base)
                .is_some_and(|rest| rest.starts_with('/'))
    }
}

/// A URL a server sent us (a redirect's `Location`), for messages: its origin only
/// (`scheme://host[:port]`). A server may reflect the request's `Authorization` header or a
/// token into the path or query of a `Location`, so only the origin is ever shown.
pub(crate) fn origin_only(url: &Url) -> String {
    match url.origin() {
        url::Origin::Tuple(..) => url.origin().ascii_serialization(),
        url::Origin::Opaque(_) => format!("a `{}:` URL", url.scheme()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_under_a_path_with_or_without_slash() {
        for raw in ["https://host/npm/@owner", "https://host/npm/@owner/"] {
            let base = RegistryBase::parse(raw).unwrap();
            assert_eq!(
                base.search("com.example").as_str(),
                "https://host/npm/@owner/-/v1/search?text=com.example&from=0&size=1"
            );
            assert_eq!(
                base.search_page("com.example.to ols&x", 250).as_str(),
                "https://host/npm/@owner/-/v1/search?text=com.example.to+ols%26x&from=0&size=250"
            );
            assert_eq!(base.all().as_str(), "https://host/npm/@owner/-/all");
            assert_eq!(
                base.package("com.example.tools").as_str(),
                "https://host/npm/@owner/com.example.tools"
            );
        }
        let root = RegistryBase::parse("http://127.0.0.1:4873").unwrap();
        assert_eq!(root.all().as_str(), "http://127.0.0.1:4873/-/all");
        assert_eq!(
            root.package("@scope/name").as_str(),
            "http://127.0.0.1:4873/@scope%2Fname"
        );
    }

    #[test]
    fn rejects_non_http() {
        assert!(RegistryBase::parse("ftp://x").is_err());
        assert!(RegistryBase::parse("packages.example.com").is_err());
        assert!(RegistryBase::parse("").is_err());
        assert!(RegistryBase::parse("file:///tmp").is_err());
    }

    #[test]
    fn covers_only_its_prefix() {
        let base = RegistryBase::parse("https://host/npm/").unwrap();
        let ok = |s: &str| base.covers(&Url::parse(s).unwrap());
        assert!(ok("https://host/npm/com.x"));
        assert!(ok("https://host:443/npm/-/all"));
        assert!(ok("https://host/npm"));
        assert!(!ok("https://host/npmother/com.x"));
        assert!(!ok("https://host/other"));
        assert!(!ok("http://host/npm/com.x"));
        assert!(!ok("https://evil/npm/com.x"));
        assert!(!ok("https://host:8443/npm/com.x"));
        let root = RegistryBase::parse("http://h:1").unwrap();
        assert!(root.covers(&Url::parse("http://h:1/anything").unwrap()));
    }

    #[test]
    fn origin_only_drops_userinfo_path_and_query() {
        let url = Url::parse("https://me:pw@host:8443/x/Bearer%20tok?token=tok#t").unwrap();
        assert_eq!(origin_only(&url), "https://host:8443");
        let url = Url::parse("http://host:80/tok").unwrap();
        assert_eq!(origin_only(&url), "http://host");
        let url = Url::parse("data:text/plain,tok").unwrap();
        assert_eq!(origin_only(&url), "a `data:` URL");
    }
}
