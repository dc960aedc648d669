//! Faults a real registry will not produce on demand, from small servers on 127.0.0.1.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{FakeServer, Reply, closed_port, config, healthy, options, prober};
use manifest_lint_registry::{
    Credentials, NetworkFailure, PackageStatus, ProbeOptions, ProbeTarget, Prober, RegistryStatus,
    SearchResults, SearchSource, SearchSupport, SkipReason, UpmConfig,
};

fn unreachable(status: &RegistryStatus) -> (NetworkFailure, &str) {
    match status {
        RegistryStatus::Unreachable { failure, detail } => (*failure, detail.as_str()),
        other => panic!("expected Unreachable, got {other:?}"),
    }
}

#[tokio::test]
async fn silent_registry_costs_one_timeout() {
    let server = FakeServer::start(|_| Reply::Silent).await;
    let url = server.url();
    let packages: Vec<String> = (0..40).map(|i| format!("com.example.p{i}")).collect();
    let p = Prober::new(options(Duration::from_secs(1)), UpmConfig::empty()).expect("prober");
    let started = Instant::now();
    let facts = p
        .probe(&[ProbeTarget {
            url: url.clone(),
            scopes: vec!["com.example".into()],
            packages: packages.clone(),
        }])
        .await;
    let took = started.elapsed();
    assert!(took < Duration::from_secs(5), "took {took:?}");
    let (failure, detail) = unreachable(facts.registry(&url).expect("status"));
    assert_eq!(failure, NetworkFailure::Timeout, "{detail}");
    // Only the search request was sent; no package was requested.
    assert_eq!(server.count(), 1, "{:?}", server.requests());
    for name in &packages {
        assert!(
            matches!(
                facts.package(&url, name),
                Some(PackageStatus::Unknown { .. })
            ),
            "{name}"
        );
    }
    // And the LSP asking again costs nothing (cached).
    let again = Instant::now();
    let status = p.registry_status(&url, "com.example").await;
    assert!(again.elapsed() < Duration::from_millis(200));
    assert_eq!(unreachable(&status).0, NetworkFailure::Timeout);
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn packument_requests_stop_after_one_network_failure() {
    // Search answers, every packument hangs: the package probes must not cost one timeout each.
    let server = FakeServer::start(|r| {
        if r.path().ends_with("/-/v1/search") {
            Reply::Json(200, "{\"objects\":[]}".into())
        } else {
            Reply::Silent
        }
    })
    .await;
    let url = server.url();
    let opts = ProbeOptions {
        timeout: Duration::from_secs(1),
        max_concurrency: 2,
        ..ProbeOptions::default()
    };
    let p = Prober::new(opts, UpmConfig::empty()).expect("prober");
    let started = Instant::now();
    let facts = p
        .probe(&[ProbeTarget {
            url: url.clone(),
            scopes: vec!["com.example".into()],
            packages: (0..30).map(|i| format!("com.example.p{i}")).collect(),
        }])
        .await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(server.count() <= 3, "{} requests", server.count());
    assert_eq!(facts.packages[&url].len(), 30);
}

#[tokio::test]
async fn connection_refused() {
    let url = format!("http://127.0.0.1:{}", closed_port());
    let status = prober(UpmConfig::empty())
        .registry_status(&url, "com.example")
        .await;
    let (failure, detail) = unreachable(&status);
    assert_eq!(failure, NetworkFailure::ConnectionRefused, "{detail}");
    assert!(
        !detail.contains("127.0.0.1"),
        "details name no URL: {detail}"
    );
}

#[tokio::test]
async fn tls_to_a_plain_http_server_is_a_tls_failure() {
    let server = FakeServer::start(healthy).await;
    let url = format!("https://{}", server.addr);
    let status = prober(UpmConfig::empty())
        .registry_status(&url, "com.example")
        .await;
    let (failure, detail) = unreachable(&status);
    assert_eq!(failure, NetworkFailure::Tls, "{detail}");
}

#[tokio::test]
async fn server_errors_and_proxy_auth() {
    let server = FakeServer::start(|_| Reply::Status(503)).await;
    let status = prober(UpmConfig::empty())
        .registry_status(&server.url(), "com.example")
        .await;
    assert_eq!(unreachable(&status).0, NetworkFailure::ServerError(503));

    let server = FakeServer::start(|_| Reply::Status(500)).await;
    let p = prober(UpmConfig::empty());
    assert_eq!(
        unreachable(&p.registry_status(&server.url(), "com.example").await).0,
        NetworkFailure::ServerError(500)
    );
    assert!(matches!(
        p.package_status(&server.url(), "com.example.tools").await,
        PackageStatus::Unknown { .. }
    ));

    let proxy = FakeServer::start(|_| Reply::Status(407)).await;
    let status = prober(UpmConfig::empty())
        .registry_status(&proxy.url(), "com.example")
        .await;
    let (failure, detail) = unreachable(&status);
    assert_eq!(failure, NetworkFailure::Other);
    assert!(detail.contains("407"), "{detail}");
}

#[tokio::test]
async fn search_405_means_not_searchable() {
    // GitHub Packages: no search, 405.
    let server = FakeServer::start(|r| {
        if r.path().ends_with("/-/v1/search") {
            Reply::Status(405)
        } else {
            healthy(r)
        }
    })
    .await;
    let p = prober(UpmConfig::empty());
    assert_eq!(
        p.registry_status(&server.url(), "com.example").await,
        RegistryStatus::Reachable {
            search: SearchSupport::None { status: Some(405) }
        }
    );
    // 405 is not 404: /-/all is not tried.
    assert!(
        server
            .requests()
            .iter()
            .all(|r| !r.path().ends_with("/-/all"))
    );
}

#[tokio::test]
async fn search_404_falls_back_to_all() {
    let server = FakeServer::start(|r| {
        if r.path().ends_with("/-/all") {
            Reply::Json(200, "{\"_updated\":1}".into())
        } else {
            Reply::Json(404, "{}".into())
        }
    })
    .await;
    assert_eq!(
        prober(UpmConfig::empty())
            .registry_status(&server.url(), "com.example")
            .await,
        RegistryStatus::Reachable {
            search: SearchSupport::AllEndpoint
        }
    );
    let paths: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.path().to_string())
        .collect();
    assert_eq!(paths, ["/-/v1/search", "/-/all"]);

    let neither = FakeServer::start(|_| Reply::Status(404)).await;
    assert_eq!(
        prober(UpmConfig::empty())
            .registry_status(&neither.url(), "com.example")
            .await,
        RegistryStatus::Reachable {
            search: SearchSupport::None { status: Some(404) }
        }
    );
}

#[tokio::test]
async fn non_json_search_answer_is_not_a_registry() {
    let server = FakeServer::start(|_| Reply::Json(200, "<html>hello</html>".into())).await;
    let status = prober(UpmConfig::empty())
        .registry_status(&server.url(), "com.example")
        .await;
    let (failure, detail) = unreachable(&status);
    assert_eq!(failure, NetworkFailure::Other);
    assert!(detail.contains("not JSON"), "{detail}");
}

#[tokio::test]
async fn urls_with_a_path_join_correctly() {
    let server = FakeServer::start(healthy).await;
    for base in [
        format!("{}/npm/@owner", server.url()),
        format!("{}/npm/@owner/", server.url()),
    ] {
        let p = prober(UpmConfig::empty());
        assert_eq!(
            p.registry_status(&base, "com.example").await,
            RegistryStatus::Reachable {
                search: SearchSupport::V1Search
            }
        );
        assert!(matches!(
            p.package_status(&base, "com.example.tools").await,
            PackageStatus::Found { .. }
        ));
    }
    let targets: Vec<_> = server.requests().iter().map(|r| r.target.clone()).collect();
    assert_eq!(
        targets,
        [
            "/npm/@owner/-/v1/search?text=com.example&from=0&size=1",
            "/npm/@owner/com.example.tools",
            "/npm/@owner/-/v1/search?text=com.example&from=0&size=1",
            "/npm/@owner/com.example.tools",
        ]
    );
}

#[tokio::test]
async fn packages_found_not_found_and_malformed() {
    let server = FakeServer::start(|r| match r.path() {
        "/com.example.tools" => Reply::Json(
            200,
            r#"{"versions":{"1.0.0":{},"1.2.0":{},"2.0.0-preview.1":{}},"dist-tags":{"latest":"1.2.0"}}"#
                .into(),
        ),
        "/com.example.broken" => Reply::Json(200, "{\"versions\": [".into()),
        "/com.example.teapot" => Reply::Status(418),
        _ => Reply::Status(404),
    })
    .await;
    let url = server.url();
    let p = prober(UpmConfig::empty());
    assert_eq!(
        p.package_status(&url, "com.example.tools").await,
        PackageStatus::Found {
            versions: vec!["1.0.0".into(), "1.2.0".into(), "2.0.0-preview.1".into()],
            latest: Some("1.2.0".into())
        }
    );
    assert_eq!(
        p.package_status(&url, "com.example.none").await,
        PackageStatus::NotFound
    );
    let PackageStatus::Unknown { detail } = p.package_status(&url, "com.example.broken").await
    else {
        panic!("malformed packument must be Unknown")
    };
    assert!(detail.contains("not usable JSON"), "{detail}");
    assert_eq!(
        p.package_status(&url, "com.example.teapot").await,
        PackageStatus::Unknown {
            detail: "HTTP 418 I'm a teapot".into()
        }
    );
    // The packument is asked for in npm's abbreviated form first.
    let accept = server.requests()[0]
        .header("accept")
        .unwrap_or("")
        .to_string();
    assert!(
        accept.starts_with("application/vnd.npm.install-v1+json"),
        "{accept}"
    );
}

#[tokio::test]
async fn huge_bodies_are_capped() {
    let server = FakeServer::start(|_| Reply::Endless).await;
    let opts = ProbeOptions {
        max_packument_bytes: 1024 * 1024,
        ..options(Duration::from_secs(20))
    };
    let p = Prober::new(opts, UpmConfig::empty()).expect("prober");
    let started = Instant::now();
    let status = p.package_status(&server.url(), "com.example.big").await;
    let PackageStatus::Unknown { detail } = &status else {
        panic!("expected Unknown, got {status:?}")
    };
    assert!(detail.contains("larger than 1 MiB"), "{detail}");
    assert!(started.elapsed() < Duration::from_secs(10));
    // Search answers have their own, smaller cap.
    let status = p.registry_status(&server.url(), "com.example").await;
    let (failure, detail) = unreachable(&status);
    assert_eq!(failure, NetworkFailure::Other);
    assert!(detail.contains("larger than 1 MiB"), "{detail}");
}

#[tokio::test]
async fn redirect_loops_are_bounded() {
    // A -> B -> A ...
    let server = FakeServer::start(|r| {
        let next = if r.path().starts_with("/a") {
            "/b"
        } else {
            "/a"
        };
        Reply::Redirect(302, format!("{next}{}", r.path().len()))
    })
    .await;
    let status = prober(UpmConfig::empty())
        .registry_status(&server.url(), "com.example")
        .await;
    let (failure, detail) = unreachable(&status);
    assert_eq!(failure, NetworkFailure::Other);
    assert!(detail.contains("redirect loop"), "{detail}");
    assert!(server.count() <= 6, "{}", server.count());

    // A true cycle is caught as soon as it closes.
    let cycle = FakeServer::start(|_| Reply::Redirect(301, "/-/v1/search?text=x".into())).await;
    let status = prober(UpmConfig::empty())
        .registry_status(&cycle.url(), "x")
        .await;
    assert!(unreachable(&status).1.contains("redirect loop"));

    // A short chain is followed.
    let chain = FakeServer::start(|r| {
        if r.path() == "/moved/com.example.tools" {
            healthy(&common::Recorded {
                target: "/com.example.tools".into(),
                ..r.clone()
            })
        } else {
            Reply::Redirect(307, "/moved/com.example.tools".into())
        }
    })
    .await;
    assert!(matches!(
        prober(UpmConfig::empty())
            .package_status(&chain.url(), "com.example.tools")
            .await,
        PackageStatus::Found { .. }
    ));
}

const SECRET: &str = "tok-A-5ecret-never-shown";

#[tokio::test]
async fn token_reaches_only_its_registry() {
    // B records everything and must never see A's token.
    let b = Arc::new(FakeServer::start(healthy).await);
    let b_url = b.url();
    // A (under a path) demands the token, and redirects some packages elsewhere.
    let b_for_a = b_url.clone();
    let a = FakeServer::start(move |r| {
        let authorised = r.header("authorization") == Some(&format!("Bearer {SECRET}"));
        match r.path() {
            "/npm/com.example.elsewhere" => {
                Reply::Redirect(302, format!("{b_for_a}/com.example.tools"))
            }
            "/npm/com.example.sideways" => Reply::Redirect(302, "/other/com.example.tools".into()),
            "/other/com.example.tools" => healthy(&common::Recorded {
                target: "/com.example.tools".into(),
                ..r.clone()
            }),
            _ if !authorised => Reply::Status(401),
            path => healthy(&common::Recorded {
                target: path.trim_start_matches("/npm").to_string(),
                ..r.clone()
            }),
        }
    })
    .await;
    let a_url = format!("{}/npm", a.url());
    let (cfg, _dir) = config(
        &format!("[npmAuth.\"{a_url}\"]\ntoken = \"{SECRET}\"\nalwaysAuth = true\n"),
        None,
    );
    let p = prober(cfg);
    let facts = p
        .probe(&[
            ProbeTarget {
                url: a_url.clone(),
                scopes: vec!["com.example".into()],
                packages: vec![
                    "com.example.tools".into(),
                    "com.example.elsewhere".into(),
                    "com.example.sideways".into(),
                ],
            },
            ProbeTarget {
                url: b_url.clone(),
                scopes: vec!["com.other".into()],
                packages: vec!["com.example.tools".into()],
            },
        ])
        .await;
    assert_eq!(
        facts.registry(&a_url),
        Some(&RegistryStatus::Reachable {
            search: SearchSupport::V1Search
        })
    );
    for name in [
        "com.example.tools",
        "com.example.elsewhere",
        "com.example.sideways",
    ] {
        assert!(
            matches!(
                facts.package(&a_url, name),
                Some(PackageStatus::Found { .. })
            ),
            "{name}: {:?}",
            facts.package(&a_url, name)
        );
    }
    // A saw the token on its own prefix only.
    for r in a.requests() {
        let has = r.header("authorization").is_some();
        assert_eq!(has, r.path().starts_with("/npm/"), "{r:?}");
    }
    // B (its own probes and the redirect from A) never saw any authorization.
    assert!(b.count() >= 3, "{:?}", b.requests());
    for r in b.requests() {
        assert!(r.header("authorization").is_none(), "{r:?}");
        assert!(!format!("{r:?}").contains(SECRET));
    }
    // And no output shows it.
    for shown in [
        format!("{facts:?}"),
        format!("{p:?}"),
        format!("{:?}", p.config()),
        format!("{:?}", p.credentials_for(&a_url)),
    ] {
        assert!(!shown.contains(SECRET), "{shown}");
    }
}

#[tokio::test]
async fn unauthorized_reports_credentials_and_near_miss() {
    let server = FakeServer::start(|_| Reply::Status(401)).await;
    let url = server.url();
    let near = url.replacen("http://", "https://", 1) + "/";
    let (cfg, dir) = config(
        &format!("[npmAuth.\"{near}\"]\ntoken = \"{SECRET}\"\n"),
        None,
    );
    let status = prober(cfg).registry_status(&url, "com.example").await;
    assert_eq!(
        status,
        RegistryStatus::Unauthorized {
            status: 401,
            credentials: Credentials {
                sent_key: None,
                config_file: None,
                near_miss_key: Some(near.clone()),
            }
        }
    );
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.header("authorization").is_none())
    );

    // A 403 with credentials sent names the key and its file.
    let server = FakeServer::start(|_| Reply::Status(403)).await;
    let url = server.url();
    let (cfg, dir2) = config(
        &format!("[npmAuth.\"{url}\"]\ntoken = \"{SECRET}\"\n"),
        None,
    );
    let status = prober(cfg).registry_status(&url, "com.example").await;
    let user_file = dir2.path().join(".upmconfig.toml").display().to_string();
    assert_eq!(
        status,
        RegistryStatus::Unauthorized {
            status: 403,
            credentials: Credentials {
                sent_key: Some(url.clone()),
                config_file: Some(user_file),
                near_miss_key: None,
            }
        }
    );
    assert!(!format!("{status:?}").contains(SECRET));
    drop(dir);
}

#[tokio::test]
async fn malformed_upmconfig_is_a_clear_error_and_probing_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let user = dir.path().join(".upmconfig.toml");
    std::fs::write(
        &user,
        "[npmAuth.\"https://ok.example\"]\ntoken = \"t\"\n\n[npmAuth.\"https://bad.example\"\ntoken = \"x\"\n",
    )
    .expect("write");
    let (cfg, errors) = UpmConfig::load(&manifest_lint_registry::upmconfig::ConfigPaths {
        user: Some(manifest_lint_registry::upmconfig::ConfigLocation {
            path: user.clone(),
            from_env: None,
        }),
        global: None,
    });
    assert_eq!(errors.len(), 1);
    let shown = errors[0].to_string();
    assert!(
        shown.starts_with(&format!("{}:4:", user.display())),
        "{shown}"
    );
    let server = FakeServer::start(healthy).await;
    assert_eq!(
        prober(cfg)
            .registry_status(&server.url(), "com.example")
            .await,
        RegistryStatus::Reachable {
            search: SearchSupport::V1Search
        }
    );
}

#[tokio::test]
async fn second_call_is_served_from_the_cache() {
    let server = FakeServer::start(healthy).await;
    let url = server.url();
    let p = prober(UpmConfig::empty());
    for _ in 0..3 {
        p.registry_status(&url, "com.example").await;
        p.package_status(&url, "com.example.tools").await;
    }
    assert_eq!(server.count(), 2);
    // probe() goes through the same cache.
    p.probe(&[ProbeTarget {
        url: url.clone(),
        scopes: vec!["com.example".into()],
        packages: vec!["com.example.tools".into()],
    }])
    .await;
    assert_eq!(server.count(), 2);
    // Until the cache is cleared.
    p.clear_cache();
    p.registry_status(&url, "com.example").await;
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn cache_expires_after_its_ttl() {
    let server = FakeServer::start(healthy).await;
    let url = server.url();
    let opts = ProbeOptions {
        cache_ttl: Duration::from_millis(300),
        ..ProbeOptions::default()
    };
    let p = Prober::new(opts, UpmConfig::empty()).expect("prober");
    p.registry_status(&url, "com.example").await;
    p.registry_status(&url, "com.example").await;
    assert_eq!(server.count(), 1);
    tokio::time::sleep(Duration::from_millis(400)).await;
    p.registry_status(&url, "com.example").await;
    assert_eq!(server.count(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_share_one_request() {
    let server =
        FakeServer::start(|r| Reply::Delayed(Duration::from_millis(300), Box::new(healthy(r))))
            .await;
    let url = server.url();
    let p = prober(UpmConfig::empty());
    let mut tasks = Vec::new();
    for _ in 0..12 {
        let p = p.clone();
        let url = url.clone();
        tasks.push(tokio::spawn(async move {
            (
                p.registry_status(&url, "com.example").await,
                p.package_status(&url, "com.example.tools").await,
            )
        }));
    }
    for t in tasks {
        let (registry, package) = t.await.expect("task");
        assert_eq!(
            registry,
            RegistryStatus::Reachable {
                search: SearchSupport::V1Search
            }
        );
        assert!(matches!(package, PackageStatus::Found { .. }));
    }
    let paths: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.path().to_string())
        .collect();
    assert_eq!(paths.len(), 2, "{paths:?}");
}

#[tokio::test]
async fn invalid_urls_are_reported_not_requested() {
    let p = prober(UpmConfig::empty());
    for url in ["", "packages.example.com", "ftp://example.com", "http://"] {
        let (failure, _) = unreachable(&p.registry_status(url, "com.example").await);
        assert_eq!(failure, NetworkFailure::Other, "{url}");
        assert!(matches!(
            p.package_status(url, "com.example.tools").await,
            PackageStatus::Unknown { .. }
        ));
    }
}

// ---------------------------------------------------------------------------------------------
// Prober::search (completion of package names)
// ---------------------------------------------------------------------------------------------

fn failed(results: &SearchResults) -> &str {
    assert!(results.hits.is_empty(), "{results:?}");
    match &results.source {
        SearchSource::Failed { detail } => detail,
        other => panic!("expected Failed, got {other:?}"),
    }
}

const SEARCH_ANSWER: &str = r#"{"objects":[
    {"package":{"name":"com.example.tools","version":"1.2.0","description":"Tools"}},
    {"package":{"name":"com.example.other","version":"0.1.0"}}],"total":2}"#;

#[tokio::test]
async fn search_asks_for_a_page_of_250() {
    let server = FakeServer::start(|_| Reply::Json(200, SEARCH_ANSWER.into())).await;
    let url = format!("{}/npm/", server.url());
    let results = prober(UpmConfig::empty())
        .search(&url, "com.example.to")
        .await;
    assert_eq!(results.source, SearchSource::V1Search);
    assert_eq!(results.hits.len(), 2);
    assert_eq!(results.hits[0].version.as_deref(), Some("1.2.0"));
    assert_eq!(results.hits[0].description.as_deref(), Some("Tools"));
    assert_eq!(results.hits[1].description, None);
    assert!(!results.truncated);
    let request = &server.requests()[0];
    assert_eq!(
        request.target,
        "/npm/-/v1/search?text=com.example.to&from=0&size=250"
    );
    assert_eq!(request.header("accept"), Some("application/json"));
}

#[tokio::test]
async fn search_405_is_empty_and_cached() {
    // GitHub Packages: no search endpoint.
    let server = FakeServer::start(|r| {
        if r.path().ends_with("/-/v1/search") {
            Reply::Status(405)
        } else {
            healthy(r)
        }
    })
    .await;
    let url = server.url();
    let p = prober(UpmConfig::empty());
    let results = p.search(&url, "com.example").await;
    assert!(failed(&results).contains("405"), "{results:?}");
    assert!(!results.truncated);
    assert_eq!(p.cached_search(&url, "com.example"), Some(results.clone()));
    for _ in 0..3 {
        assert_eq!(p.search(&url, "com.example").await, results);
    }
    // One request: cached, and 405 is not 404, so /-/all is not tried.
    assert_eq!(server.count(), 1, "{:?}", server.requests());
    // Another text is another request.
    p.search(&url, "com.example.tools").await;
    assert_eq!(server.count(), 2);
    // Until the cache is cleared.
    p.clear_cache();
    assert_eq!(p.cached_search(&url, "com.example"), None);
}

#[tokio::test]
async fn search_404_reads_all_filtered_by_prefix() {
    let server = FakeServer::start(|r| {
        if r.path() == "/-/all" {
            Reply::Json(
                200,
                r#"{"_updated":1,
                    "com.example.tools":{"name":"com.example.tools","dist-tags":{"latest":"1.2.0"},"description":"Tools"},
                    "com.examplex.no":{"name":"com.examplex.no"},
                    "org.other":{"name":"org.other"}}"#
                    .into(),
            )
        } else {
            Reply::Status(404)
        }
    })
    .await;
    let url = server.url();
    let p = prober(UpmConfig::empty());
    let results = p.search(&url, "com.example.").await;
    assert_eq!(results.source, SearchSource::AllEndpoint);
    assert_eq!(results.hits.len(), 1);
    assert_eq!(results.hits[0].name, "com.example.tools");
    assert_eq!(results.hits[0].version.as_deref(), Some("1.2.0"));
    p.search(&url, "com.example.").await;
    let paths: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.path().to_string())
        .collect();
    assert_eq!(paths, ["/-/v1/search", "/-/all"]);

    // /-/all has its own cap: past it the search fails rather than reading on.
    let endless = FakeServer::start(|r| {
        if r.path() == "/-/all" {
            Reply::Endless
        } else {
            Reply::Status(404)
        }
    })
    .await;
    let opts = ProbeOptions {
        max_all_bytes: 1024 * 1024,
        ..options(Duration::from_secs(20))
    };
    let p = Prober::new(opts, UpmConfig::empty()).expect("prober");
    let started = Instant::now();
    let results = p.search(&endless.url(), "com.example").await;
    assert!(
        failed(&results).contains("larger than 1 MiB"),
        "{results:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));

    // Neither endpoint: empty, saying so.
    let neither = FakeServer::start(|_| Reply::Status(404)).await;
    let results = prober(UpmConfig::empty())
        .search(&neither.url(), "com.example")
        .await;
    assert!(failed(&results).contains("/-/all HTTP 404"), "{results:?}");
}

#[tokio::test]
async fn search_failures_are_empty_results() {
    let p = Prober::new(options(Duration::from_secs(1)), UpmConfig::empty()).expect("prober");
    // Not JSON, a huge answer, silence, refusal, an unusable URL.
    let html = FakeServer::start(|_| Reply::Json(200, "<html></html>".into())).await;
    assert!(failed(&p.search(&html.url(), "com.x").await).contains("not a search result"));
    let endless = FakeServer::start(|_| Reply::Endless).await;
    let opts = ProbeOptions {
        max_search_results_bytes: 1024 * 1024,
        ..options(Duration::from_secs(20))
    };
    let capped = Prober::new(opts, UpmConfig::empty()).expect("prober");
    assert!(failed(&capped.search(&endless.url(), "com.x").await).contains("larger than 1 MiB"));
    let silent = FakeServer::start(|_| Reply::Silent).await;
    let started = Instant::now();
    assert!(failed(&p.search(&silent.url(), "com.x").await).contains("within 1 s"));
    assert!(started.elapsed() < Duration::from_secs(5));
    let refused = format!("http://127.0.0.1:{}", closed_port());
    let detail = failed(&p.search(&refused, "com.x").await).to_string();
    assert!(
        !detail.contains("127.0.0.1"),
        "details name no URL: {detail}"
    );
    failed(&p.search("ftp://example.com", "com.x").await);
}

#[tokio::test]
async fn search_is_not_sent_where_it_cannot_work() {
    // A registry already known to have no search endpoint, or to be unreachable, is not asked.
    let server = FakeServer::start(|r| {
        if r.path().ends_with("/-/v1/search") {
            Reply::Status(405)
        } else {
            healthy(r)
        }
    })
    .await;
    let p = prober(UpmConfig::empty());
    p.registry_status(&server.url(), "com.example").await;
    assert_eq!(server.count(), 1);
    let results = p.search(&server.url(), "com.example").await;
    assert!(
        failed(&results).contains("no search endpoint"),
        "{results:?}"
    );
    assert_eq!(server.count(), 1);

    let down = FakeServer::start(|_| Reply::Status(503)).await;
    p.registry_status(&down.url(), "com.example").await;
    let results = p.search(&down.url(), "com.example").await;
    assert!(failed(&results).contains("unreachable"), "{results:?}");
    assert_eq!(down.count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_searches_share_one_request() {
    let server = FakeServer::start(|_| {
        Reply::Delayed(
            Duration::from_millis(300),
            Box::new(Reply::Json(200, SEARCH_ANSWER.into())),
        )
    })
    .await;
    let url = server.url();
    let p = prober(UpmConfig::empty());
    let mut tasks = Vec::new();
    for _ in 0..12 {
        let p = p.clone();
        let url = url.clone();
        tasks.push(tokio::spawn(
            async move { p.search(&url, "com.example").await },
        ));
    }
    // While in flight nothing is cached yet.
    assert_eq!(p.cached_search(&url, "com.example"), None);
    for t in tasks {
        assert_eq!(t.await.expect("task").hits.len(), 2);
    }
    assert_eq!(server.count(), 1, "{:?}", server.requests());
}

#[tokio::test]
async fn search_sends_the_token_only_to_its_registry() {
    let b = Arc::new(FakeServer::start(|_| Reply::Json(200, SEARCH_ANSWER.into())).await);
    let b_url = b.url();
    let b_for_a = b_url.clone();
    let a = FakeServer::start(move |r| {
        let authorised = r.header("authorization") == Some(&format!("Bearer {SECRET}"));
        if r.target.contains("text=com.elsewhere") {
            // Redirected to another host: the token must not follow.
            Reply::Redirect(302, format!("{b_for_a}/-/v1/search?text=com.elsewhere"))
        } else if authorised {
            Reply::Json(200, SEARCH_ANSWER.into())
        } else {
            Reply::Status(401)
        }
    })
    .await;
    let a_url = format!("{}/npm", a.url());
    let (cfg, _dir) = config(
        &format!("[npmAuth.\"{a_url}\"]\ntoken = \"{SECRET}\"\n"),
        None,
    );
    let p = prober(cfg);
    assert_eq!(p.search(&a_url, "com.example").await.hits.len(), 2);
    assert_eq!(p.search(&a_url, "com.elsewhere").await.hits.len(), 2);
    // B, searched directly and through A's redirect, never sees a token.
    assert_eq!(p.search(&b_url, "com.example").await.hits.len(), 2);
    assert_eq!(b.count(), 2);
    for r in b.requests() {
        assert!(r.header("authorization").is_none(), "{r:?}");
    }
    assert!(
        a.requests()
            .iter()
            .all(|r| r.header("authorization").is_some())
    );
    // 401 without credentials: empty, and the detail says the status.
    let results = prober(UpmConfig::empty())
        .search(&a_url, "com.example")
        .await;
    assert!(failed(&results).contains("401"), "{results:?}");
    assert!(!format!("{results:?}").contains(SECRET));
}

fn guarded(allowed: &[&str]) -> Prober {
    Prober::new(
        ProbeOptions {
            block_internal: true,
            allowed_internal_hosts: allowed.iter().map(|h| h.to_string()).collect(),
            ..options(Duration::from_secs(5))
        },
        UpmConfig::empty(),
    )
    .expect("prober")
}

fn not_checked(status: &RegistryStatus) -> (SkipReason, &str) {
    match status {
        RegistryStatus::NotChecked { reason, detail } => (*reason, detail.as_str()),
        other => panic!("expected NotChecked, got {other:?}"),
    }
}

#[tokio::test]
async fn internal_addresses_are_not_asked_unless_allowed() {
    let server = FakeServer::start(healthy).await;
    let port = server.addr.port();
    // IP literals in every spelling, and a host name that resolves to loopback (checked after
    // DNS resolution).
    for url in [
        format!("http://127.0.0.1:{port}"),
        format!("http://[::ffff:127.0.0.1]:{port}"),
        format!("http://0x7f000001:{port}"),
        format!("http://localhost:{port}"),
    ] {
        let status = guarded(&[]).registry_status(&url, "com.example").await;
        let (reason, detail) = not_checked(&status);
        assert_eq!(reason, SkipReason::InternalAddress, "{url}: {detail}");
        assert!(detail.contains("internal address"), "{detail}");
        let package = guarded(&[]).package_status(&url, "com.example.tools").await;
        assert!(
            matches!(&package, PackageStatus::Unknown { detail } if detail.starts_with("not checked")),
            "{package:?}"
        );
    }
    assert_eq!(server.count(), 0, "{:?}", server.requests());
    // Allowed by the user: asked. (The CLI's prober, without the guard, asks too.)
    for p in [guarded(&["127.0.0.1"]), prober(UpmConfig::empty())] {
        let status = p.registry_status(&server.url(), "com.example").await;
        assert!(
            matches!(status, RegistryStatus::Reachable { .. }),
            "{status:?}"
        );
    }
    let status = guarded(&["localhost"])
        .registry_status(&format!("http://localhost:{port}"), "com.example")
        .await;
    assert!(
        matches!(status, RegistryStatus::Reachable { .. }),
        "{status:?}"
    );
}

#[tokio::test]
async fn every_redirect_hop_is_checked() {
    let internal = FakeServer::start(healthy).await;
    let port = internal.addr.port();
    // The first hop is allowed (127.0.0.1, as a trusted registry's host would be); a redirect
    // to an internal address that is not allowed is not followed, whether it names it by a host
    // name (checked after DNS) or by another spelling of the address.
    for (target, followed) in [
        (format!("http://localhost:{port}/-/v1/search"), false),
        (format!("http://[::ffff:7f00:1]:{port}/-/v1/search"), false),
        (format!("http://127.0.0.1:{port}/-/v1/search"), true),
    ] {
        let hop = target.clone();
        let first = FakeServer::start(move |_| Reply::Redirect(302, hop.clone())).await;
        let status = guarded(&["127.0.0.1"])
            .registry_status(&first.url(), "com.example")
            .await;
        if followed {
            assert!(
                matches!(status, RegistryStatus::Reachable { .. }),
                "{target}: {status:?}"
            );
        } else {
            let (reason, detail) = not_checked(&status);
            assert_eq!(reason, SkipReason::InternalAddress, "{target}: {detail}");
        }
        assert_eq!(first.count(), 1);
    }
    // Only the allowed hop reached the internal server.
    assert_eq!(internal.count(), 1, "{:?}", internal.requests());
}

#[tokio::test]
async fn one_deadline_for_the_whole_run() {
    // 16 registries that never answer, a 3 s timeout per request, 8 in flight: without a run
    // deadline that is two rounds of timeouts (6 s); with a 1 s deadline, about 1 s, and every
    // registry is "not checked", not "unreachable".
    let server = FakeServer::start(|_| Reply::Silent).await;
    let targets: Vec<ProbeTarget> = (0..16)
        .map(|i| ProbeTarget {
            url: format!("{}/r{i}", server.url()),
            scopes: vec!["com.example".into()],
            packages: vec!["com.example.tools".into()],
        })
        .collect();
    let p = Prober::new(
        ProbeOptions {
            run_deadline: Duration::from_secs(1),
            ..options(Duration::from_secs(3))
        },
        UpmConfig::empty(),
    )
    .expect("prober");
    let started = Instant::now();
    let facts = p.probe(&targets).await;
    let took = started.elapsed();
    assert!(took < Duration::from_millis(2500), "took {took:?}");
    for t in &targets {
        let (reason, _) = not_checked(facts.registry(&t.url).expect("status"));
        assert_eq!(reason, SkipReason::Deadline);
        assert!(matches!(
            facts.package(&t.url, "com.example.tools"),
            Some(PackageStatus::Unknown { .. })
        ));
    }
    // "Not checked" is not cached: a later run asks again.
    let before = server.count();
    let _ = p.probe(&targets[..1]).await;
    assert!(server.count() > before);
}

#[tokio::test]
async fn a_cap_on_requests_per_run() {
    let server = FakeServer::start(healthy).await;
    let targets: Vec<ProbeTarget> = (0..10)
        .map(|i| ProbeTarget {
            url: format!("{}/r{i}", server.url()),
            scopes: vec!["com.example".into()],
            packages: Vec::new(),
        })
        .collect();
    let p = Prober::new(
        ProbeOptions {
            max_requests: 4,
            ..options(Duration::from_secs(5))
        },
        UpmConfig::empty(),
    )
    .expect("prober");
    let facts = p.probe(&targets).await;
    assert_eq!(server.count(), 4);
    let capped = facts
        .registries
        .values()
        .filter(|s| {
            matches!(
                s,
                RegistryStatus::NotChecked {
                    reason: SkipReason::RequestCap,
                    ..
                }
            )
        })
        .count();
    assert_eq!(capped, 6, "{:?}", facts.registries);
    assert!(
        facts
            .registries
            .values()
            .all(|s| !matches!(s, RegistryStatus::Unreachable { .. }))
    );
}

#[tokio::test]
async fn a_backslash_ends_the_host_as_the_url_standard_says() {
    // `http://127.0.0.1:<port>\@other.example/npm` is host 127.0.0.1 with the path
    // `/@other.example/npm`, not user `127.0.0.1:<port>\` at other.example: the request goes to
    // 127.0.0.1, and other.example's credentials are not sent there.
    let server = FakeServer::start(healthy).await;
    let url = format!("{}\\@other.example/npm", server.url());
    let (config, _dir) = config(
        "[npmAuth.\"http://other.example/npm\"]\ntoken = \"tok-OTHER\"\n",
        None,
    );
    let status = prober(config).registry_status(&url, "com.example").await;
    assert!(
        matches!(status, RegistryStatus::Reachable { .. }),
        "{status:?}"
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert!(
        requests[0]
            .path()
            .starts_with("/@other.example/npm/-/v1/search"),
        "{requests:?}"
    );
    assert_eq!(requests[0].header("authorization"), None);
}
