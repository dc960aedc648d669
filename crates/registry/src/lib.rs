//! The online half of manifest-lint: probes scoped registries over HTTP and returns plain
//! [`OnlineFacts`] for the (pure, I/O-free) core to lint with.
//!
//! * Per registry URL: `GET <url>/-/v1/search?text=<first scope>&from=0&size=1`, and after a 404
//!   `GET <url>/-/all`, giving a [`RegistryStatus`].
//! * Per package resolved to that registry: `GET <url>/<name>` (the npm packument), giving a
//!   [`PackageStatus`] with the listed versions and `dist-tags.latest`.
//! * For completing package names, on request ([`Prober::search`]):
//!   `GET <url>/-/v1/search?text=<text>&from=0&size=250`, and after a 404 `GET <url>/-/all`,
//!   giving [`SearchResults`] (names, latest versions, descriptions).
//!
//! Credentials come from Unity's `.upmconfig.toml` files ([`upmconfig`]); the global file's
//! `caFile` is trusted in addition to the built-in roots; `HTTPS_PROXY`, `HTTP_PROXY` and
//! `NO_PROXY` are honoured. One shared HTTP client, bounded parallelism, a timeout on every
//! request, capped bodies, bounded redirects, and a cache with a time to live in which each URL
//! has at most one probe in flight (so a language server may ask on every edit).
//!
//! ```no_run
//! # async fn demo() {
//! use manifest_lint_registry::{ProbeOptions, ProbeTarget, probe};
//! let report = probe(
//!     &[ProbeTarget {
//!         url: "https://package.openupm.com".into(),
//!         scopes: vec!["com.cysharp".into()],
//!         packages: vec!["com.cysharp.unitask".into()],
//!     }],
//!     ProbeOptions::default(),
//! )
//! .await;
//! for problem in &report.config_errors {
//!     eprintln!("warning: {problem}");
//! }
//! println!("{:?}", report.facts.registry("https://package.openupm.com"));
//! # }
//! ```
//!
//! Secrets never appear in any output: not in results, error details, `Debug` or `Display`.

mod cache;
mod guard;
mod http;
mod packument;
mod search;
pub mod upmconfig;
mod urls;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The input, as the core computes it (`Analysis::probe_targets`): a registry URL verbatim,
/// its scopes (the first is the search text), and the package names resolved to it.
pub use manifest_lint_core::facts::ProbeTarget;
pub use manifest_lint_core::facts::{
    Credentials, NetworkFailure, OnlineFacts, PackageStatus, RegistryStatus, SearchSupport,
    SkipReason,
};
use reqwest::Client;
use serde::Deserialize;
use serde::de::{IgnoredAny, MapAccess, Visitor};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::cache::TtlCache;
pub use crate::guard::is_internal;
use crate::guard::{AddressGuard, GuardedResolver, Run};
use crate::http::{Body, Exchange, get};
pub use crate::packument::Followed;
pub use crate::search::{SearchHit, SearchResults, SearchSource};
pub use crate::upmconfig::{ConfigError, UpmConfig};
use crate::urls::RegistryBase;

/// `Accept` for search endpoints.
const ACCEPT_JSON: &str = "application/json";
/// `Accept` for packuments: npm's abbreviated form when the server has it (much smaller, and it
/// still lists `versions` and `dist-tags`), else the full document.
const ACCEPT_PACKUMENT: &str =
    "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*";

/// Tunables. [`Default`] gives the CLI's defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeOptions {
    /// Bound on each request, from sending it to the last byte of the body, redirects included
    /// (the CLI's `--registry-timeout SECONDS`). Default 10 s.
    pub timeout: Duration,
    /// Requests in flight at once, over all registries. Default 8; 0 counts as 1.
    pub max_concurrency: usize,
    /// How long an answer (success or failure) is reused before the URL is probed again.
    /// Default 5 minutes. Zero still shares a probe among callers who ask while it runs.
    pub cache_ttl: Duration,
    /// Redirects followed per request. Default 5; one more is reported as a redirect loop.
    pub max_redirects: usize,
    /// Largest packument read (`GET <url>/<name>`). Default 32 MiB.
    pub max_packument_bytes: usize,
    /// Largest search answer read by the status probe (`size=1` makes a real one tiny).
    /// Default 1 MiB.
    pub max_search_bytes: usize,
    /// Results asked for per [`Prober::search`] (`size=`, as Unity asks). Default 250; 0 counts
    /// as 1.
    pub search_size: usize,
    /// Largest answer of a [`Prober::search`] read from `/-/v1/search`. Default 8 MiB.
    pub max_search_results_bytes: usize,
    /// Largest `/-/all` read by a [`Prober::search`] (the whole index of the registry). Default
    /// 32 MiB; past it the search fails rather than reading on.
    pub max_all_bytes: usize,
    /// The `User-Agent` header.
    pub user_agent: String,
    /// Never connect to loopback, private, link-local or unspecified addresses (checked for IP
    /// literals before each request and redirect hop, and for host names after DNS
    /// resolution), except for the hosts in `allowed_internal_hosts`. Default false (the CLI's
    /// `--online` asks what the user asked for); the language server turns it on.
    pub block_internal: bool,
    /// Hosts (names or IP literals, as in a URL) that may be internal although
    /// `block_internal` is on: those of the registries the user trusts.
    pub allowed_internal_hosts: Vec<String>,
    /// One deadline for a whole [`Prober::probe`] call (and for each direct
    /// `registry_status` / `package_status` / `search` call): requests still waiting or running
    /// then end as "not checked" ([`RegistryStatus::NotChecked`]). Default 30 s.
    pub run_deadline: Duration,
    /// Requests (redirect hops included) one [`Prober::probe`] call may send; past it, the rest
    /// are "not checked". Default 256.
    pub max_requests: usize,
}

impl Default for ProbeOptions {
    fn default() -> Self {
        ProbeOptions {
            timeout: Duration::from_secs(manifest_lint_core::config::DEFAULT_ONLINE_TIMEOUT_SECS),
            max_concurrency: 8,
            cache_ttl: Duration::from_secs(300),
            max_redirects: 5,
            max_packument_bytes: 32 * 1024 * 1024,
            max_search_bytes: 1024 * 1024,
            search_size: 250,
            max_search_results_bytes: 8 * 1024 * 1024,
            max_all_bytes: 32 * 1024 * 1024,
            user_agent: format!("manifest-lint/{}", env!("CARGO_PKG_VERSION")),
            block_internal: false,
            allowed_internal_hosts: Vec::new(),
            run_deadline: Duration::from_secs(30),
            max_requests: 256,
        }
    }
}

/// Parses a timeout in seconds as the CLI takes it (`10`, `2.5`); the bound is the core's, shared
/// with the configuration file and the language server.
pub use manifest_lint_core::config::parse_timeout;

/// What [`probe`] returns: the facts, and the problems found in the configuration files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProbeReport {
    /// What the registries said.
    pub facts: OnlineFacts,
    /// Problems in `.upmconfig.toml` files (shown by the caller; probing went on without the
    /// unusable parts).
    pub config_errors: Vec<ConfigError>,
}

/// The HTTP client could not be set up (in practice: the TLS backend failed to initialise).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetupError {
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for SetupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot set up the HTTP client: {}", self.message)
    }
}

impl std::error::Error for SetupError {}

/// Loads the `.upmconfig.toml` files from Unity's locations, probes every registry of `targets`
/// and their packages, and returns the facts. Never fails: problems become statuses
/// ([`RegistryStatus::Unreachable`], [`PackageStatus::Unknown`]) or [`ProbeReport::config_errors`].
pub async fn probe(targets: &[ProbeTarget], options: ProbeOptions) -> ProbeReport {
    let (config, config_errors) = UpmConfig::from_env();
    let facts = match Prober::new(options, config) {
        Ok(prober) => prober.probe(targets).await,
        Err(e) => {
            let mut facts = OnlineFacts::default();
            for q in targets {
                facts.registries.insert(
                    q.url.clone(),
                    RegistryStatus::Unreachable {
                        failure: NetworkFailure::Other,
                        detail: e.to_string(),
                    },
                );
            }
            facts
        }
    };
    ProbeReport {
        facts,
        config_errors,
    }
}

/// Probes registries, caching answers. Cheap to clone (clones share the client, the cache and
/// the parallelism bound); keep one for the life of a language server.
#[derive(Clone)]
pub struct Prober {
    inner: Arc<Inner>,
}

struct Inner {
    client: Client,
    guard: AddressGuard,
    config: UpmConfig,
    options: ProbeOptions,
    permits: Semaphore,
    registries: TtlCache<String, RegistryStatus>,
    packages: TtlCache<(String, String), PackageStatus>,
    packuments: TtlCache<(String, String), manifest_lint_core::project::PackumentStatus>,
    searches: TtlCache<(String, String), SearchResults>,
    /// Registry URL -> when and why a package request to it failed at the network level: later
    /// package requests to it are skipped until the cache TTL passes.
    tripped: Mutex<HashMap<String, (Instant, String)>>,
}

impl fmt::Debug for Prober {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Prober")
            .field("options", &self.inner.options)
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl Prober {
    /// A prober with the given options and credentials. Builds the one HTTP client: redirects
    /// are followed by the prober itself, the `caFile` certificates are added as trusted roots,
    /// and proxies come from `HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY` / `NO_PROXY` as read now.
    pub fn new(options: ProbeOptions, config: UpmConfig) -> Result<Prober, SetupError> {
        let guard = AddressGuard::new(options.block_internal, &options.allowed_internal_hosts);
        // No idle connections: sockets are bounded by the requests in flight
        // (`max_concurrency`), however many registries a manifest names. (500 registries once
        // held 998 idle sockets and, at 256 file descriptors, failed 54 probes.)
        let mut builder = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(options.user_agent.clone())
            .connect_timeout(options.timeout)
            .pool_max_idle_per_host(0);
        if guard.block_internal {
            builder = builder.dns_resolver(Arc::new(GuardedResolver {
                allowed: Arc::clone(&guard.allowed),
            }));
        }
        for cert in config.ca_certificates() {
            builder = builder.add_root_certificate(cert.clone());
        }
        let client = builder.build().map_err(|e| SetupError {
            message: http::classify(e).detail,
        })?;
        let ttl = options.cache_ttl;
        Ok(Prober {
            inner: Arc::new(Inner {
                client,
                guard,
                permits: Semaphore::new(options.max_concurrency.max(1)),
                options,
                config,
                registries: TtlCache::new(ttl),
                packages: TtlCache::new(ttl),
                packuments: TtlCache::new(ttl),
                searches: TtlCache::new(ttl),
                tripped: Mutex::new(HashMap::new()),
            }),
        })
    }

    /// The options in force.
    pub fn options(&self) -> &ProbeOptions {
        &self.inner.options
    }

    /// The credentials configuration in use.
    pub fn config(&self) -> &UpmConfig {
        &self.inner.config
    }

    /// What is known about credentials for `url` (the key that would be sent, its file, and a
    /// near-miss key), without any request.
    pub fn credentials_for(&self, url: &str) -> Credentials {
        let found = self.inner.config.lookup(url);
        Credentials {
            sent_key: found.entry.map(|e| e.key.clone()),
            config_file: found.entry.map(|e| e.file.display().to_string()),
            near_miss_key: found.near_miss.map(|e| e.key.clone()),
        }
    }

    /// Forgets every cached answer (for an explicit "refresh").
    pub fn clear_cache(&self) {
        self.inner.registries.clear();
        self.inner.packages.clear();
        self.inner.packuments.clear();
        self.inner.searches.clear();
        self.lock_tripped().clear();
    }

    /// Probes the search endpoints of the registry at `url` (verbatim from the manifest), with
    /// `first_scope` as the search text. Cached by `url` alone: a later call with another scope
    /// gets the cached status until the TTL passes.
    pub async fn registry_status(&self, url: &str, first_scope: &str) -> RegistryStatus {
        self.registry_status_in(url, first_scope, &self.new_run())
            .await
    }

    /// A fresh budget: the deadline and request cap of [`ProbeOptions`], starting now.
    fn new_run(&self) -> Arc<Run> {
        let options = &self.inner.options;
        Run::new(Instant::now() + options.run_deadline, options.max_requests)
    }

    async fn registry_status_in(&self, url: &str, first_scope: &str, run: &Run) -> RegistryStatus {
        self.inner
            .registries
            .get_or_compute_if(
                url.to_string(),
                || self.fetch_registry_status(url, first_scope, run),
                |status| !matches!(status, RegistryStatus::NotChecked { .. }),
            )
            .await
    }

    /// Fetches the packument of `name` from the registry at `url`. Cached by `(url, name)`. No
    /// request is sent (the answer is [`PackageStatus::Unknown`]) when the registry is known to be
    /// unreachable, or when a request to it for another package failed at the network level.
    pub async fn package_status(&self, url: &str, name: &str) -> PackageStatus {
        self.package_status_in(url, name, &self.new_run()).await
    }

    async fn package_status_in(&self, url: &str, name: &str, run: &Run) -> PackageStatus {
        self.inner
            .packages
            .get_or_compute_if(
                (url.to_string(), name.to_string()),
                || self.fetch_package_status(url, name, run),
                |status| !is_not_checked(status),
            )
            .await
    }

    /// Searches the registry at `url` for `text` (for completing package names): `GET
    /// <url>/-/v1/search?text=<text>&from=0&size=<search_size>`, and after a 404 `GET <url>/-/all`
    /// (capped at `max_all_bytes`; the names starting with `text` are kept). Cached by
    /// `(url, text)`, failures too, with one request in flight per pair; the registry's own
    /// credentials only. No request is sent when the registry is known (from
    /// [`Prober::registry_status`]'s cache) to be unreachable or to have no search endpoint.
    /// Never fails: a failure is [`SearchSource::Failed`] with no hits.
    ///
    /// Search is fuzzy (a registry may return names that merely mention the text): callers
    /// filter the hits themselves.
    pub async fn search(&self, url: &str, text: &str) -> SearchResults {
        let run = self.new_run();
        self.inner
            .searches
            .get_or_compute((url.to_string(), text.to_string()), || {
                self.fetch_search(url, text, &run)
            })
            .await
    }

    /// The cached answer of [`Prober::search`] for `(url, text)`, if there is a fresh one;
    /// never sends anything (a language server answers completion from it without waiting).
    pub fn cached_search(&self, url: &str, text: &str) -> Option<SearchResults> {
        self.inner
            .searches
            .peek(&(url.to_string(), text.to_string()))
    }

    /// Probes every registry of `targets` in parallel and then, for each one that is not
    /// unreachable, its packages. A registry that cannot be reached costs one timeout: its
    /// packages are not requested and are reported as [`PackageStatus::Unknown`].
    /// A URL listed twice is probed once, with the packages of both entries.
    pub async fn probe(&self, targets: &[ProbeTarget]) -> OnlineFacts {
        let mut merged: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
        for q in targets {
            let entry = merged
                .entry(q.url.clone())
                .or_insert_with(|| (q.scopes.first().cloned().unwrap_or_default(), Vec::new()));
            for name in &q.packages {
                if !entry.1.contains(name) {
                    entry.1.push(name.clone());
                }
            }
        }

        // One budget for the whole call: its deadline ends every request still running or
        // waiting, and its cap bounds how much one manifest can make us send.
        let run = self.new_run();
        let mut tasks = JoinSet::new();
        let mut task_urls = HashMap::new();
        for (url, (scope, packages)) in &merged {
            let me = self.clone();
            let run = Arc::clone(&run);
            let (url_owned, scope, packages) = (url.clone(), scope.clone(), packages.clone());
            let handle =
                tasks.spawn(async move { me.probe_one(url_owned, scope, packages, &run).await });
            task_urls.insert(handle.id(), url.clone());
        }

        let mut facts = OnlineFacts::default();
        while let Some(joined) = tasks.join_next_with_id().await {
            match joined {
                Ok((_, (url, status, packages))) => {
                    facts.registries.insert(url.clone(), status);
                    if !packages.is_empty() {
                        facts.packages.insert(url, packages);
                    }
                }
                Err(e) => {
                    if let Some(url) = task_urls.get(&e.id()) {
                        facts.registries.insert(
                            url.clone(),
                            RegistryStatus::Unreachable {
                                failure: NetworkFailure::Other,
                                detail: "internal error while probing".to_string(),
                            },
                        );
                    }
                }
            }
        }
        facts
    }

    async fn probe_one(
        &self,
        url: String,
        scope: String,
        packages: Vec<String>,
        run: &Arc<Run>,
    ) -> (String, RegistryStatus, BTreeMap<String, PackageStatus>) {
        let status = self.registry_status_in(&url, &scope, run).await;
        let mut results = BTreeMap::new();
        let skipped = match &status {
            RegistryStatus::Unreachable { .. } => {
                Some("not requested: the registry is unreachable".to_string())
            }
            RegistryStatus::NotChecked { .. } => {
                Some("not checked: the registry was not checked".to_string())
            }
            _ => None,
        };
        if let Some(detail) = skipped {
            for name in packages {
                results.insert(
                    name,
                    PackageStatus::Unknown {
                        detail: detail.clone(),
                    },
                );
            }
            return (url, status, results);
        }
        let mut tasks = JoinSet::new();
        let mut task_names = HashMap::new();
        for name in packages {
            let me = self.clone();
            let url = url.clone();
            let task_name = name.clone();
            let run = Arc::clone(run);
            let handle = tasks.spawn(async move {
                let status = me.package_status_in(&url, &task_name, &run).await;
                (task_name, status)
            });
            task_names.insert(handle.id(), name);
        }
        while let Some(joined) = tasks.join_next_with_id().await {
            match joined {
                Ok((_, (name, status))) => {
                    results.insert(name, status);
                }
                Err(e) => {
                    if let Some(name) = task_names.get(&e.id()) {
                        results.insert(
                            name.clone(),
                            PackageStatus::Unknown {
                                detail: "internal error while probing".to_string(),
                            },
                        );
                    }
                }
            }
        }
        (url, status, results)
    }

    fn lock_tripped(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Instant, String)>> {
        self.inner
            .tripped
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn tripped(&self, url: &str) -> Option<String> {
        let tripped = self.lock_tripped();
        let (at, why) = tripped.get(url)?;
        (at.elapsed() < self.inner.options.cache_ttl).then(|| why.clone())
    }

    fn exchange<'a>(
        &'a self,
        base: &'a RegistryBase,
        url: &str,
        accept: &'static str,
        run: &'a Run,
    ) -> Exchange<'a> {
        Exchange {
            client: &self.inner.client,
            registry: base,
            auth: self.inner.config.lookup(url).entry.map(|e| e.header()),
            timeout: self.inner.options.timeout,
            max_redirects: self.inner.options.max_redirects,
            accept,
            guard: &self.inner.guard,
            run,
        }
    }

    async fn fetch_registry_status(&self, url: &str, scope: &str, run: &Run) -> RegistryStatus {
        let base = match RegistryBase::parse(url) {
            Ok(base) => base,
            Err(detail) => {
                return RegistryStatus::Unreachable {
                    failure: NetworkFailure::Other,
                    detail,
                };
            }
        };
        let ex = self.exchange(&base, url, ACCEPT_JSON, run);
        let _permit = self.inner.permits.acquire().await.ok();
        let cap = self.inner.options.max_search_bytes;
        let search = match get(&ex, base.search(scope), Body::Full { cap }).await {
            Ok(answer) => answer,
            Err(f) => return failed_status(f),
        };
        let code = search.status.as_u16();
        match code {
            200..=299 => {
                if is_json_object(&search.body) {
                    RegistryStatus::Reachable {
                        search: SearchSupport::V1Search,
                    }
                } else {
                    RegistryStatus::Unreachable {
                        failure: NetworkFailure::Other,
                        detail: format!(
                            "/-/v1/search answered HTTP {code} with a body that is not JSON: \
                             is this an npm registry?"
                        ),
                    }
                }
            }
            404 => {
                let all = get(&ex, base.all(), Body::FirstByte).await;
                match all {
                    Ok(answer) => {
                        let code = answer.status.as_u16();
                        match code {
                            200..=299 if answer.body.first() == Some(&b'{') => {
                                RegistryStatus::Reachable {
                                    search: SearchSupport::AllEndpoint,
                                }
                            }
                            401 | 403 => self.unauthorized(url, code),
                            _ => RegistryStatus::Reachable {
                                search: SearchSupport::None { status: Some(code) },
                            },
                        }
                    }
                    Err(f) if f.skip.is_some() => failed_status(f),
                    // The server did answer the search request: reachable, but /-/all is of no use.
                    Err(_) => RegistryStatus::Reachable {
                        search: SearchSupport::None { status: None },
                    },
                }
            }
            401 | 403 => self.unauthorized(url, code),
            407 => RegistryStatus::Unreachable {
                failure: NetworkFailure::Other,
                detail: "the proxy asks for authentication (HTTP 407)".to_string(),
            },
            500..=599 => RegistryStatus::Unreachable {
                failure: NetworkFailure::ServerError(code),
                detail: format!("/-/v1/search answered HTTP {}", status_text(search.status)),
            },
            _ => RegistryStatus::Reachable {
                search: SearchSupport::None { status: Some(code) },
            },
        }
    }

    async fn fetch_search(&self, url: &str, text: &str, run: &Run) -> SearchResults {
        let base = match RegistryBase::parse(url) {
            Ok(base) => base,
            Err(detail) => return SearchResults::failed(detail),
        };
        match self.inner.registries.peek(&url.to_string()) {
            Some(RegistryStatus::Unreachable { .. }) => {
                return SearchResults::failed("not requested: the registry is unreachable");
            }
            Some(RegistryStatus::Reachable {
                search: SearchSupport::None { status },
            }) => {
                let why = status.map_or(String::new(), |code| format!(" (HTTP {code})"));
                return SearchResults::failed(format!(
                    "not requested: the registry has no search endpoint{why}"
                ));
            }
            _ => {}
        }
        let options = &self.inner.options;
        let size = options.search_size.max(1);
        let ex = self.exchange(&base, url, ACCEPT_JSON, run);
        let _permit = self.inner.permits.acquire().await.ok();
        let cap = options.max_search_results_bytes;
        let answer = match get(&ex, base.search_page(text, size), Body::Full { cap }).await {
            Ok(answer) => answer,
            Err(f) => return SearchResults::failed(f.detail),
        };
        let code = answer.status.as_u16();
        match code {
            200..=299 => search::parse_v1(&answer.body, size).unwrap_or_else(|e| {
                SearchResults::failed(format!(
                    "/-/v1/search answered HTTP {code} with a body that is not a search \
                     result ({e})"
                ))
            }),
            404 => {
                let cap = options.max_all_bytes;
                match get(&ex, base.all(), Body::Full { cap }).await {
                    Ok(all) if all.status.is_success() => search::parse_all(&all.body, text, size)
                        .unwrap_or_else(|e| {
                            SearchResults::failed(format!(
                                "/-/all answered HTTP {} with a body that is not an index \
                                 ({e})",
                                all.status.as_u16()
                            ))
                        }),
                    Ok(all) => SearchResults::failed(format!(
                        "/-/v1/search answered HTTP 404 and /-/all HTTP {}",
                        status_text(all.status)
                    )),
                    Err(f) => SearchResults::failed(format!(
                        "/-/v1/search answered HTTP 404; /-/all: {}",
                        f.detail
                    )),
                }
            }
            _ => SearchResults::failed(format!(
                "/-/v1/search answered HTTP {}",
                status_text(answer.status)
            )),
        }
    }

    fn unauthorized(&self, url: &str, status: u16) -> RegistryStatus {
        RegistryStatus::Unauthorized {
            status,
            credentials: self.credentials_for(url),
        }
    }

    async fn fetch_package_status(&self, url: &str, name: &str, run: &Run) -> PackageStatus {
        let answer = match self.get_packument(url, name, ACCEPT_PACKUMENT, run).await {
            Ok(answer) => answer,
            Err(status) => return status,
        };
        let code = answer.status.as_u16();
        match code {
            200..=299 => match parse_packument(&answer.body) {
                Ok(p) => PackageStatus::Found {
                    versions: p.versions,
                    latest: p.latest,
                },
                Err(e) => PackageStatus::Unknown {
                    detail: format!("the packument is not usable JSON: {e}"),
                },
            },
            _ => self.packument_failure(url, &answer),
        }
    }

    /// `GET <url>/<name>` with the registry's credentials, unless the registry is known to be
    /// unreachable or an earlier request to it failed at the network level: the answer, or the
    /// status that ends the attempt.
    pub(crate) async fn get_packument(
        &self,
        url: &str,
        name: &str,
        accept: &'static str,
        run: &Run,
    ) -> Result<http::Answer, PackageStatus> {
        let base = match RegistryBase::parse(url) {
            Ok(base) => base,
            Err(detail) => return Err(PackageStatus::Unknown { detail }),
        };
        match self.inner.registries.peek(&url.to_string()) {
            Some(RegistryStatus::Unreachable { .. }) => {
                return Err(PackageStatus::Unknown {
                    detail: "not requested: the registry is unreachable".to_string(),
                });
            }
            Some(RegistryStatus::NotChecked { detail, .. }) => {
                return Err(PackageStatus::Unknown { detail });
            }
            _ => {}
        }
        let skipped = |why: String| PackageStatus::Unknown {
            detail: format!("not requested: an earlier request to this registry failed ({why})"),
        };
        if let Some(why) = self.tripped(url) {
            return Err(skipped(why));
        }
        let _permit = self.inner.permits.acquire().await.ok();
        // Checked again: the request that failed may have run while this one waited.
        if let Some(why) = self.tripped(url) {
            return Err(skipped(why));
        }
        let ex = self.exchange(&base, url, accept, run);
        let cap = self.inner.options.max_packument_bytes;
        let answer = match get(&ex, base.package(name), Body::Full { cap }).await {
            Ok(answer) => answer,
            Err(f) => {
                if f.skip.is_none()
                    && matches!(
                        f.failure,
                        NetworkFailure::Timeout
                            | NetworkFailure::ConnectionRefused
                            | NetworkFailure::Dns
                            | NetworkFailure::Tls
                    )
                {
                    self.lock_tripped()
                        .insert(url.to_string(), (Instant::now(), f.detail.clone()));
                }
                return Err(PackageStatus::Unknown { detail: f.detail });
            }
        };
        Ok(answer)
    }

    /// What a packument answer other than a success means.
    pub(crate) fn packument_failure(&self, url: &str, answer: &http::Answer) -> PackageStatus {
        let code = answer.status.as_u16();
        match code {
            404 => PackageStatus::NotFound,
            401 | 403 => {
                let creds = self.credentials_for(url);
                let about = match (&creds.sent_key, &creds.near_miss_key) {
                    (Some(key), _) => format!("the credentials of npmAuth.\"{key}\" were sent"),
                    (None, Some(near)) => format!(
                        "no credentials were sent: npmAuth.\"{near}\" differs from the registry \
                         url by its scheme or a trailing slash"
                    ),
                    (None, None) => {
                        "no credentials were sent: no npmAuth entry matches the registry url"
                            .to_string()
                    }
                };
                PackageStatus::Unknown {
                    detail: format!("access denied (HTTP {code}); {about}"),
                }
            }
            _ => PackageStatus::Unknown {
                detail: format!("HTTP {}", status_text(answer.status)),
            },
        }
    }
}

/// The registry status for a failed exchange: "not checked" when the failure says nothing about
/// the registry, else unreachable.
fn failed_status(f: http::Failure) -> RegistryStatus {
    match f.skip {
        Some(reason) => RegistryStatus::NotChecked {
            reason,
            detail: f.detail,
        },
        None => RegistryStatus::Unreachable {
            failure: f.failure,
            detail: f.detail,
        },
    }
}

/// Whether a package status is a "not checked" (not kept in the cache).
fn is_not_checked(status: &PackageStatus) -> bool {
    matches!(status, PackageStatus::Unknown { detail } if detail.starts_with("not checked"))
}

fn status_text(status: reqwest::StatusCode) -> String {
    match status.canonical_reason() {
        Some(reason) => format!("{} {reason}", status.as_u16()),
        None => status.as_u16().to_string(),
    }
}

fn is_json_object(body: &[u8]) -> bool {
    matches!(
        serde_json::from_slice::<serde_json::Value>(body),
        Ok(serde_json::Value::Object(_))
    )
}

struct Packument {
    versions: Vec<String>,
    latest: Option<String>,
}

/// Reads `versions` (keys in document order) and `dist-tags.latest`; ignores everything else.
fn parse_packument(body: &[u8]) -> Result<Packument, String> {
    #[derive(Deserialize)]
    struct Raw {
        #[serde(default)]
        versions: Option<VersionKeys>,
        #[serde(default, rename = "dist-tags")]
        dist_tags: Option<BTreeMap<String, serde_json::Value>>,
    }
    let raw: Raw = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let latest = raw.dist_tags.and_then(|tags| {
        tags.get("latest")
            .and_then(|v| v.as_str().map(String::from))
    });
    Ok(Packument {
        versions: raw.versions.map(|v| v.0).unwrap_or_default(),
        latest,
    })
}

/// The keys of a JSON object, in order, values skipped.
struct VersionKeys(Vec<String>);

impl<'de> Deserialize<'de> for VersionKeys {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Keys;
        impl<'de> Visitor<'de> for Keys {
            type Value = VersionKeys;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of versions")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut keys = Vec::new();
                while let Some((key, IgnoredAny)) = map.next_entry::<String, IgnoredAny>()? {
                    keys.push(key);
                }
                Ok(VersionKeys(keys))
            }
        }
        deserializer.deserialize_map(Keys)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packument_versions_in_document_order() {
        let p = parse_packument(
            br#"{"name":"x","versions":{"1.2.0":{},"1.0.0":{"a":[1]},"2.0.0-preview.1":{}},"dist-tags":{"latest":"1.2.0"}}"#,
        )
        .unwrap();
        assert_eq!(p.versions, ["1.2.0", "1.0.0", "2.0.0-preview.1"]);
        assert_eq!(p.latest.as_deref(), Some("1.2.0"));
        let p = parse_packument(br#"{"name":"x"}"#).unwrap();
        assert!(p.versions.is_empty() && p.latest.is_none());
        assert!(parse_packument(br#"{"versions":[1,2]}"#).is_err());
        assert!(parse_packument(b"<html>").is_err());
        let p = parse_packument(br#"{"versions":{},"dist-tags":{"latest":3}}"#).unwrap();
        assert!(p.latest.is_none());
    }

    #[test]
    fn timeouts_parse() {
        assert_eq!(parse_timeout("10"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_timeout("2.5"), Ok(Duration::from_millis(2500)));
        for bad in ["0", "-1", "NaN", "inf", "abc", "1e9", ""] {
            assert!(parse_timeout(bad).is_err(), "{bad}");
        }
    }
}
