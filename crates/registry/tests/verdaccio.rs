//! Against a real Verdaccio on 127.0.0.1 (tests/registry-server; no uplinks, so nothing leaves
//! the machine). Needs `npm ci --prefix tests/registry-server` (tests/run does it).

mod common;

use std::time::Duration;

use common::{Verdaccio, config, make_certificates, options, prober, verdaccio};
use manifest_lint_registry::{
    NetworkFailure, PackageStatus, ProbeTarget, Prober, RegistryStatus, SearchSupport, UpmConfig,
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
