//! Facts learnt from the network, handed to the core as plain data.
//!
//! The core never performs I/O: `manifest-lint-registry` probes registries and fills an
//! [`OnlineFacts`]; the online rules (`unreachable-registry`, `registry-unauthorized`,
//! `registry-not-searchable`, `package-not-found`, `version-not-found`, `registry-not-checked`)
//! read it. With no facts
//! (the CLI's default offline mode) those rules report nothing.

use std::collections::BTreeMap;

/// Everything the probes found out, keyed by the registry URL exactly as written in the manifest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OnlineFacts {
    /// One entry per probed registry URL (the manifest's `url` string, verbatim).
    pub registries: BTreeMap<String, RegistryStatus>,
    /// Registry URL (verbatim) -> package name -> what the registry said about the package.
    pub packages: BTreeMap<String, BTreeMap<String, PackageStatus>>,
}

impl OnlineFacts {
    pub fn registry(&self, url: &str) -> Option<&RegistryStatus> {
        self.registries.get(url)
    }

    pub fn package(&self, url: &str, name: &str) -> Option<&PackageStatus> {
        self.packages.get(url)?.get(name)
    }
}

/// The outcome of probing one registry's search endpoints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistryStatus {
    /// The registry answered. `search` says which browsing endpoint works, if any.
    Reachable { search: SearchSupport },
    /// No usable answer at all.
    Unreachable {
        failure: NetworkFailure,
        detail: String,
    },
    /// 401 or 403.
    Unauthorized {
        status: u16,
        credentials: Credentials,
    },
    /// Deliberately not asked, or not asked to the end: no claim is made about the registry.
    /// `detail` says why in words (and, for [`SkipReason::Untrusted`], how to trust it).
    NotChecked { reason: SkipReason, detail: String },
}

/// Why a registry was not checked ([`RegistryStatus::NotChecked`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// The user has not trusted the registry (the language server asks only registries the
    /// user trusts).
    Untrusted,
    /// Its host is, or resolves to, a loopback, private, link-local or unspecified address
    /// that the user has not allowed (language server).
    InternalAddress,
    /// The run's overall deadline passed first.
    Deadline,
    /// The run's cap on requests was reached first.
    RequestCap,
    /// This machine ran out of a resource (file descriptors, sockets): not the registry's fault.
    LocalResources,
}

/// Which endpoint lets Unity's Package Manager window list the registry under "My Registries".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchSupport {
    /// `GET <url>/-/v1/search` works.
    V1Search,
    /// `/-/v1/search` answered 404, `GET <url>/-/all` works.
    AllEndpoint,
    /// Neither works; `status` is the HTTP status of the last attempt, when there was one.
    None { status: Option<u16> },
}

/// Why a registry could not be reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkFailure {
    Dns,
    ConnectionRefused,
    Tls,
    Timeout,
    /// An HTTP 5xx answer.
    ServerError(u16),
    /// A redirect loop, a body over the size cap, a malformed answer, ...
    Other,
}

/// What the probe knew about credentials for a registry (never the secret itself).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Credentials {
    /// The `npmAuth` key that matched the registry URL and was sent, if any.
    pub sent_key: Option<String>,
    /// The `.upmconfig.toml` file the key came from.
    pub config_file: Option<String>,
    /// A key that differs from the URL by its scheme (`http` for `https`, with or without a
    /// trailing slash) and so was not sent: the commonest reason for a 401. (A key that differs
    /// only by a trailing slash is matched and sent; it then shows in `sent_key`.)
    pub near_miss_key: Option<String>,
}

/// What a registry said about one package (`GET <url>/<name>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackageStatus {
    /// The packument exists; `versions` as listed, `latest` from `dist-tags.latest`.
    Found {
        versions: Vec<String>,
        latest: Option<String>,
    },
    /// 404.
    NotFound,
    /// Anything else (timeout, 5xx, unreadable body): no claim is made about the package.
    Unknown { detail: String },
}

/// One registry to probe: its URL as written, its scopes, and the registry dependencies of the
/// manifest that resolve to it. Produced by [`crate::Analysis::probe_targets`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProbeTarget {
    pub url: String,
    pub scopes: Vec<String>,
    pub packages: Vec<String>,
}
