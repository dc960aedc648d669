//! Behaviour that depends on the process environment (proxy variables, `UPM_*_CONFIG_FILE`).
//! Each case runs this test binary again as a child process with the environment it needs, so no
//! test changes this process's environment.

mod common;

use std::time::Duration;

use common::{FakeServer, Reply, healthy, options};
use manifest_lint_registry::{ProbeTarget, Prober, UpmConfig, probe};

const CHILD_MODE: &str = "MANIFEST_LINT_REGISTRY_TEST_CHILD";
const CHILD_URL: &str = "MANIFEST_LINT_REGISTRY_TEST_URL";
const SECRET: &str = "env-token-never-printed";

/// The child's side: does nothing unless started by `run_child`.
#[tokio::test]
#[ignore = "runs only as a child process of the other tests in this file"]
async fn child() {
    let (Ok(mode), Ok(url)) = (std::env::var(CHILD_MODE), std::env::var(CHILD_URL)) else {
        return;
    };
    match mode.as_str() {
        "status" => {
            let p =
                Prober::new(options(Duration::from_secs(5)), UpmConfig::empty()).expect("prober");
            println!("RESULT {:?}", p.registry_status(&url, "com.example").await);
        }
        "probe" => {
            let report = probe(
                &[ProbeTarget {
                    url: url.clone(),
                    scopes: vec!["com.example".into()],
                    packages: vec!["com.example.tools".into()],
                }],
                options(Duration::from_secs(5)),
            )
            .await;
            println!("RESULT {:?}", report.facts.registry(&url));
            println!(
                "PACKAGE {:?}",
                report.facts.package(&url, "com.example.tools")
            );
            for e in &report.config_errors {
                println!("CONFIG {e}");
            }
        }
        other => panic!("unknown child mode {other}"),
    }
}

/// Runs `child` in a fresh process with exactly these proxy / config variables.
async fn run_child(mode: &str, url: &str, vars: &[(&str, String)]) -> String {
    let exe = std::env::current_exe().expect("current exe");
    let mut command = tokio::process::Command::new(exe);
    command.args([
        "child",
        "--exact",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ]);
    for var in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
        "UPM_USER_CONFIG_FILE",
        "UPM_GLOBAL_CONFIG_FILE",
    ] {
        command.env_remove(var);
    }
    command.env(CHILD_MODE, mode).env(CHILD_URL, url);
    for (k, v) in vars {
        command.env(k, v);
    }
    let out = tokio::time::timeout(Duration::from_secs(60), command.output())
        .await
        .expect("child finished in time")
        .expect("child ran");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "child failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("RESULT"), "child did not run:\n{stdout}");
    stdout
}

#[tokio::test]
async fn http_proxy_is_used_and_no_proxy_bypasses_it() {
    let registry = FakeServer::start(healthy).await;
    // The proxy answers for everyone, and records the absolute-form targets it is sent.
    let proxy = FakeServer::start(|_| Reply::Json(200, "{\"objects\":[]}".into())).await;

    let out = run_child("status", &registry.url(), &[("HTTP_PROXY", proxy.url())]).await;
    assert!(
        out.contains("RESULT Reachable { search: V1Search }"),
        "{out}"
    );
    assert_eq!(registry.count(), 0);
    let seen = proxy.requests();
    assert_eq!(seen.len(), 1);
    assert!(
        seen[0]
            .target
            .starts_with(&format!("{}/-/v1/search?", registry.url())),
        "{:?}",
        seen[0]
    );

    let out = run_child(
        "status",
        &registry.url(),
        &[
            ("HTTP_PROXY", proxy.url()),
            ("NO_PROXY", "127.0.0.1".to_string()),
        ],
    )
    .await;
    assert!(
        out.contains("RESULT Reachable { search: V1Search }"),
        "{out}"
    );
    assert_eq!(registry.count(), 1);
    assert_eq!(proxy.count(), 1);
}

#[tokio::test]
async fn probe_reads_both_upmconfig_files_from_the_environment() {
    let registry = FakeServer::start(|r| {
        if r.header("authorization") == Some(&format!("Bearer {SECRET}")) {
            healthy(r)
        } else {
            Reply::Status(401)
        }
    })
    .await;
    let url = registry.url();
    let dir = tempfile::tempdir().expect("tempdir");
    let user = dir.path().join("user.toml");
    let global = dir.path().join("global.toml");
    std::fs::write(
        &user,
        format!("[npmAuth.\"{url}\"]\ntoken = \"{SECRET}\"\n"),
    )
    .expect("write");
    std::fs::write(&global, "caFile = 42\n").expect("write");

    let out = run_child(
        "probe",
        &url,
        &[
            ("UPM_USER_CONFIG_FILE", user.display().to_string()),
            ("UPM_GLOBAL_CONFIG_FILE", global.display().to_string()),
        ],
    )
    .await;
    assert!(
        out.contains("RESULT Some(Reachable { search: V1Search })"),
        "{out}"
    );
    assert!(out.contains("PACKAGE Some(Found {"), "{out}");
    assert!(
        out.contains(&format!(
            "CONFIG {}:1:10: caFile must be a string",
            global.display()
        )),
        "{out}"
    );
    assert!(!out.contains(SECRET), "{out}");

    // UPM_USER_CONFIG_FILE naming a missing file is reported; the probe still runs, unauthorised.
    let missing = dir.path().join("missing.toml");
    let out = run_child(
        "probe",
        &url,
        &[("UPM_USER_CONFIG_FILE", missing.display().to_string())],
    )
    .await;
    assert!(
        out.contains("RESULT Some(Unauthorized { status: 401"),
        "{out}"
    );
    assert!(
        out.contains("UPM_USER_CONFIG_FILE names this file, but it does not exist"),
        "{out}"
    );
}
