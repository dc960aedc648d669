//! Which registries the language server may ask: only those the *user* trusts.
//!
//! A manifest opened from a freshly cloned repository may name any URL: asking it would tell its
//! owner that the project was opened (a beacon), reach into the user's network, or send the
//! user's credentials where the repository chose. So online checks ask only Unity's registry,
//! OpenUPM, registries with an `npmAuth` entry in the user's `.upmconfig.toml`, and the URL
//! prefixes of the `trustedRegistries` setting (the editor's configuration, never the project's
//! files). Every other registry gets one `registry-not-checked` info saying how to trust it.

use manifest_lint_core::facts::{RegistryStatus, SkipReason};
use manifest_lint_registry::UpmConfig;
use url::Url;

use crate::settings::Settings;

/// The command a client runs to trust a registry (argument: the registry URL); the VS Code
/// extension implements it by adding the URL to the user setting.
pub const TRUST_COMMAND: &str = "manifestLint.trustRegistry";

/// Registries trusted without being named: Unity's and OpenUPM (https only).
const BUILT_IN: &[&str] = &["packages.unity.com", "package.openupm.com"];

/// An entry of `trustedRegistries`: an absolute http(s) URL with a host.
pub fn parse_entry(raw: &str) -> Option<Url> {
    let url = Url::parse(raw.trim()).ok()?;
    (matches!(url.scheme(), "http" | "https") && url.host_str().is_some_and(|h| !h.is_empty()))
        .then_some(url)
}

/// Whether `entry` covers `registry`: same scheme, host and port, and the registry's path at or
/// under the entry's path (whole segments: `https://h/npm` covers `https://h/npm/@o`, not
/// `https://h/npmx`). An origin covers every registry on it.
pub fn covers(entry: &Url, registry: &Url) -> bool {
    if entry.scheme() != registry.scheme()
        || entry.host() != registry.host()
        || entry.port_or_known_default() != registry.port_or_known_default()
    {
        return false;
    }
    let base = entry.path().trim_end_matches('/');
    let path = registry.path();
    path.trim_end_matches('/') == base
        || path
            .strip_prefix(base)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// The trust in force: the settings' entries, and whether to ask every registry anyway.
#[derive(Debug, Clone, Default)]
pub struct Trust {
    entries: Vec<Url>,
    probe_all: bool,
}

impl Trust {
    pub fn new(settings: &Settings) -> Trust {
        Trust {
            entries: settings
                .trusted_registries
                .iter()
                .filter_map(|e| parse_entry(e))
                .collect(),
            probe_all: settings.probe_all,
        }
    }

    /// Whether online checks may ask the registry at `url` (verbatim from the manifest).
    pub fn allows(&self, url: &str, config: &UpmConfig) -> bool {
        if self.probe_all || config.lookup(url).entry.is_some() {
            return true;
        }
        let Ok(parsed) = Url::parse(url) else {
            return false;
        };
        let built_in = parsed.scheme() == "https"
            && parsed.port().is_none()
            && parsed
                .host_str()
                .is_some_and(|h| BUILT_IN.contains(&h.trim_end_matches('.')));
        built_in || self.entries.iter().any(|e| covers(e, &parsed))
    }

    /// Hosts the user named in `trustedRegistries`: the only ones that may be internal
    /// addresses (loopback, private, link-local).
    pub fn allowed_internal_hosts(&self) -> Vec<String> {
        self.entries
            .iter()
            .filter_map(|e| e.host_str().map(str::to_string))
            .collect()
    }
}

/// The status of a registry the user has not trusted: no request is sent.
pub fn untrusted_status() -> RegistryStatus {
    RegistryStatus::NotChecked {
        reason: SkipReason::Untrusted,
        detail: "a manifest may name any server, so only registries you trust are asked: \
                 Unity's, OpenUPM, those with an npmAuth entry in your .upmconfig.toml, and those \
                 in the `manifestLint.trustedRegistries` list of your editor's user settings (add \
                 this URL there to trust it)"
            .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trust(entries: &[&str]) -> Trust {
        Trust::new(&Settings {
            trusted_registries: entries.iter().map(|e| e.to_string()).collect(),
            ..Settings::default()
        })
    }

    #[test]
    fn built_in_entries_and_prefixes() {
        let none = UpmConfig::empty();
        let t = trust(&["https://npm.example.com/npm", "http://127.0.0.1:4873"]);
        for ok in [
            "https://packages.unity.com",
            "https://package.openupm.com/",
            "https://npm.example.com/npm",
            "https://npm.example.com/npm/@owner",
            "https://npm.example.com:443/npm/",
            "http://127.0.0.1:4873/",
        ] {
            assert!(t.allows(ok, &none), "{ok}");
        }
        for no in [
            "http://package.openupm.com",
            "https://package.openupm.com.evil.example",
            "https://npm.example.com/npmx",
            "https://npm.example.com/",
            "http://npm.example.com/npm",
            "https://npm.example.com\\@packages.unity.com/npm",
            "https://packages.unity.com:8443",
            "http://127.0.0.1:4874",
            "http://localhost:4873",
            "not a url",
        ] {
            assert!(!t.allows(no, &none), "{no}");
        }
        assert_eq!(t.allowed_internal_hosts(), ["npm.example.com", "127.0.0.1"]);
        let all = Trust::new(&Settings {
            probe_all: true,
            ..Settings::default()
        });
        assert!(all.allows("https://anything.example", &none));
    }
}
