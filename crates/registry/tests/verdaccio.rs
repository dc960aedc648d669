//! Against a real Verdaccio on 127.0.0.1 (tests/registry-server; no uplinks, so nothing leaves
//! the machine). Needs `npm ci --prefix tests/registry-server` (tests/run does it).

mod common;

use std::time::Duration;

use common::{
    FakeServer, Reply, Verdaccio, config, http1, make_certificates, options, prober, verdaccio,
};
use manifest_lint_registry::{
    NetworkFailure, PackageStatus, ProbeTarget, Prober, RegistryStatus, SearchHit, SearchResults,
    SearchSource, SearchSupport, UpmConfig,
};

fn found(versions: &[&str], latest: &str) -> PackageStatus {
    PackageStatus::Found {
        versions: versions.iter().map(|v| v.to_string()).collect(),
        latest: Some(latest.to_string()),
    }
}

#[tokio::test]
async fn search_and_packuments() {
    let v = verdaccio();
    let url = &v.server.url;
    let p = prober(UpmConfig::empty());
    assert_eq!(
        p.registry_status(url, "com.example").await,
        RegistryStatus::Reachable {
            search: SearchSupport::V1Search
        }
    );
    assert_eq!(
        p.package_status(url, "com.example.tools").await,
        found(&["1.0.0", "1.2.0", "2.0.0-preview.1"], "1.2.0")
    );
    assert_eq!(
        p.package_status(url, "com.example.missing").await,
        PackageStatus::NotFound
    );
    // The same registry written with a trailing slash joins the same way.
    let slash = format!("{url}/");
    assert_eq!(
        p.package_status(&slash, "com.example.other").await,
        found(&["1.0.0"], "1.0.0")
    );
}

#[tokio::test]
async fn probe_builds_online_facts() {
    let v = verdaccio();
    let url = v.server.url.clone();
    let facts = prober(UpmConfig::empty())
        .probe(&[ProbeTarget {
            url: url.clone(),
            scopes: vec!["com.example".into()],
            packages: vec![
                "com.example.tools".into(),
                "com.example.other".into(),
                "com.example.nope".into(),
            ],
        }])
        .await;
    assert_eq!(
        facts.registry(&url),
        Some(&RegistryStatus::Reachable {
            search: SearchSupport::V1Search
        })
    );
    assert_eq!(
        facts.package(&url, "com.example.tools"),
        Some(&found(&["1.0.0", "1.2.0", "2.0.0-preview.1"], "1.2.0"))
    );
    assert_eq!(
        facts.package(&url, "com.example.other"),
        Some(&found(&["1.0.0"], "1.0.0"))
    );
    assert_eq!(
        facts.package(&url, "com.example.nope"),
        Some(&PackageStatus::NotFound)
    );
}

#[tokio::test]
async fn private_package_needs_the_token() {
    let v = verdaccio();
    let url = &v.server.url;

    // No credentials: Verdaccio refuses the packument.
    let status = prober(UpmConfig::empty())
        .package_status(url, "com.private.secret")
        .await;
    let PackageStatus::Unknown { detail } = &status else {
        panic!("expected Unknown, got {status:?}")
    };
    assert!(detail.contains("HTTP 401"), "{detail}");
    assert!(detail.contains("no credentials were sent"), "{detail}");

    // The token under the exact URL: sent, and the package is there.
    let (cfg, _dir) = config(
        &format!("[npmAuth.\"{url}\"]\ntoken = \"{}\"\n", v.token),
        None,
    );
    assert_eq!(
        prober(cfg).package_status(url, "com.private.secret").await,
        found(&["1.0.0"], "1.0.0")
    );

    // The key with a trailing slash the URL lacks: matched and sent too [ours].
    let (cfg, _dir) = config(
        &format!("[npmAuth.\"{url}/\"]\ntoken = \"{}\"\n", v.token),
        None,
    );
    let p = prober(cfg);
    assert_eq!(
        p.package_status(url, "com.private.secret").await,
        found(&["1.0.0"], "1.0.0")
    );
    assert_eq!(p.credentials_for(url).sent_key, Some(format!("{url}/")));

    // Basic auth (`_auth`, base64 of user:password) works as well.
    let (cfg, _dir) = config(
        &format!(
            "[npmAuth.\"{url}\"]\n_auth = \"{}\"\n",
            "YWxpY2U6YWxpY2UtcGFzc3dvcmQtMQ==" // alice:alice-password-1
        ),
        None,
    );
    assert_eq!(
        prober(cfg).package_status(url, "com.private.secret").await,
        found(&["1.0.0"], "1.0.0")
    );

    // The key under https while the registry is http: not sent, named as a near miss.
    let https_key = url.replacen("http://", "https://", 1);
    let (cfg, _dir) = config(
        &format!("[npmAuth.\"{https_key}\"]\ntoken = \"{}\"\n", v.token),
        None,
    );
    let status = prober(cfg).package_status(url, "com.private.secret").await;
    let PackageStatus::Unknown { detail } = &status else {
        panic!("expected Unknown, got {status:?}")
    };
    assert!(detail.contains(&https_key), "{detail}");
    assert!(!detail.contains(&v.token), "{detail}");
}

#[tokio::test]
async fn https_registry_trusted_through_ca_file() {
    let certs = tempfile::tempdir().expect("tempdir");
    let (ca, tls) = make_certificates(certs.path());
    let server = Verdaccio::start(Some(&tls), false);
    let url = server.url.clone();

    // Without the CA: a TLS failure, reported as such.
    let status = prober(UpmConfig::empty())
        .registry_status(&url, "com.example")
        .await;
    let RegistryStatus::Unreachable { failure, detail } = &status else {
        panic!("expected Unreachable, got {status:?}")
    };
    assert_eq!(*failure, NetworkFailure::Tls, "{detail}");

    // With the global upmconfig.toml naming the CA as caFile: trusted.
    let (cfg, _dir) = config("", Some(&format!("caFile = \"{}\"\n", ca.display())));
    assert!(cfg.ca_file().is_some());
    let p = Prober::new(options(Duration::from_secs(10)), cfg).expect("prober");
    assert_eq!(
        p.registry_status(&url, "com.example").await,
        RegistryStatus::Reachable {
            search: SearchSupport::V1Search
        }
    );
    drop(server);
}

fn hit(name: &str, version: &str) -> SearchHit {
    SearchHit {
        name: name.to_string(),
        version: Some(version.to_string()),
        description: Some(format!("Fixture {name}")),
    }
}

fn names(results: &SearchResults) -> Vec<&str> {
    results.hits.iter().map(|h| h.name.as_str()).collect()
}

#[tokio::test]
async fn search_lists_names_latest_versions_and_descriptions() {
    let v = verdaccio();
    let url = &v.server.url;
    let p = prober(UpmConfig::empty());
    assert_eq!(p.cached_search(url, "com.example"), None);
    let results = p.search(url, "com.example").await;
    assert_eq!(results.source, SearchSource::V1Search);
    assert!(!results.truncated);
    // Verdaccio's search is fuzzy: a name that merely mentions the text comes back too (callers
    // filter by prefix); the private package does not without a token.
    let mut found = names(&results);
    found.sort_unstable();
    assert_eq!(
        found,
        [
            "com.example.other",
            "com.example.tools",
            "org.elsewhere.com.example"
        ]
    );
    let tools = results
        .hits
        .iter()
        .find(|h| h.name == "com.example.tools")
        .unwrap();
    // Verdaccio gives no `version` in search objects: the latest comes from `dist-tags`.
    assert_eq!(tools, &hit("com.example.tools", "1.2.0"));
    // Cached: the same answer without a request.
    assert_eq!(p.cached_search(url, "com.example"), Some(results));

    // A longer text narrows it down.
    let narrow = p.search(url, "com.example.to").await;
    assert_eq!(narrow.hits, [hit("com.example.tools", "1.2.0")]);
    // A page of one is full: there may be more.
    let opts = manifest_lint_registry::ProbeOptions {
        search_size: 1,
        ..options(Duration::from_secs(10))
    };
    let small = Prober::new(opts, UpmConfig::empty()).expect("prober");
    let page = small.search(url, "com.example").await;
    assert_eq!(page.hits.len(), 1);
    assert!(page.truncated);
}

#[tokio::test]
async fn search_shows_private_packages_only_with_the_token() {
    let v = verdaccio();
    let url = &v.server.url;
    let anonymous = prober(UpmConfig::empty()).search(url, "com.private").await;
    assert_eq!(anonymous.hits, []);
    let (cfg, _dir) = config(
        &format!("[npmAuth.\"{url}\"]\ntoken = \"{}\"\n", v.token),
        None,
    );
    let with_token = prober(cfg).search(url, "com.private").await;
    assert_eq!(with_token.hits, [hit("com.private.secret", "1.0.0")]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_falls_back_to_verdaccios_all_endpoint() {
    // A front whose search answers 404 and whose /-/all is Verdaccio's real one.
    let v = verdaccio();
    let port = v.server.port;
    let front = FakeServer::start(move |r| {
        if r.path() == "/-/all" {
            let (status, body) = http1(port, "GET", "/-/all", &[], b"");
            Reply::Json(status, dechunk(&body))
        } else {
            Reply::Status(404)
        }
    })
    .await;
    let p = prober(UpmConfig::empty());
    let results = p.search(&front.url(), "com.example.").await;
    assert_eq!(results.source, SearchSource::AllEndpoint);
    // Only names that start with the text, sorted, from the whole index.
    assert_eq!(
        results.hits,
        [
            hit("com.example.other", "1.0.0"),
            hit("com.example.tools", "1.2.0")
        ]
    );
    assert!(!results.truncated);
    let paths: Vec<_> = front
        .requests()
        .iter()
        .map(|r| r.path().to_string())
        .collect();
    assert_eq!(paths, ["/-/v1/search", "/-/all"]);
}

/// The body of a `Transfer-Encoding: chunked` answer (as `http1` returns it, undecoded), or the
/// text itself when it is not chunked.
fn dechunk(raw: &str) -> String {
    if raw.trim_start().starts_with('{') {
        return raw.to_string();
    }
    let mut out = String::new();
    let mut rest = raw;
    while let Some((size, tail)) = rest.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).expect("chunk size");
        if size == 0 {
            break;
        }
        out.push_str(&tail[..size]);
        rest = &tail[size + 2..];
    }
    out
}
