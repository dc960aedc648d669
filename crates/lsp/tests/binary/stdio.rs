//! The real `manifest-lint lsp` binary over stdio, and in a real editor (headless Neovim).
//!
//! This file belongs to the root package (see its `[[test]] lsp_stdio` entry), the only package
//! for which Cargo builds the `manifest-lint` binary and sets `CARGO_BIN_EXE_manifest-lint`.

#[path = "../common/mod.rs"]
mod common;

use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{MANIFEST, TestClient, URI, codes, find};
use serde_json::{Value, json};
use tokio::process::{Child, Command};

const BIN: &str = env!("CARGO_BIN_EXE_manifest-lint");

fn spawn() -> (TestClient, Child) {
    let mut child = Command::new(BIN)
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("start manifest-lint lsp");
    let stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    (TestClient::new(stdout, stdin), child)
}

async fn exit_status(child: &mut Child) -> std::process::ExitStatus {
    tokio::time::timeout(Duration::from_secs(5), child.wait())
        .await
        .expect("the server exits within 5 s")
        .expect("wait for the server")
}

#[tokio::test]
async fn a_stdio_session_ends_with_status_zero() {
    let (mut client, mut child) = spawn();
    let result = client
        .initialize(
            json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}),
            json!({"online": false}),
        )
        .await;
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    client.open(URI, 1, MANIFEST).await;
    let diagnostics = client.diagnostics(URI, 1).await;
    assert_eq!(codes(&diagnostics), ["redundant-scope", "duplicate-scope"]);
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": find(MANIFEST, "klak", 0, 0)}),
        )
        .await;
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("jp.keijiro"),
        "{hover}"
    );
    client.change_all(URI, 2, "{}").await;
    assert_eq!(codes(&client.diagnostics(URI, 2).await), ["empty-manifest"]);
    client.shutdown_and_exit().await;
    let status = exit_status(&mut child).await;
    assert_eq!(status.code(), Some(0));
}

#[tokio::test]
async fn exit_without_shutdown_is_status_one() {
    let (mut client, mut child) = spawn();
    client.initialize(json!({}), json!({"online": false})).await;
    client.notify("exit", Value::Null).await;
    assert_eq!(exit_status(&mut child).await.code(), Some(1));
}

#[tokio::test]
async fn the_end_of_stdin_ends_the_server() {
    let (mut client, mut child) = spawn();
    client.initialize(json!({}), json!({"online": false})).await;
    client.request("shutdown", Value::Null).await;
    drop(client);
    assert_eq!(exit_status(&mut child).await.code(), Some(0));
}

/// Neovim must be there: `tests/run` installs it (tests/steps/20-neovim.sh). Only an explicit
/// `MANIFEST_LINT_SKIP_NEOVIM=1` skips this test, and says so.
#[test]
fn neovim_shows_diagnostics_and_hover() {
    let version = std::process::Command::new("nvim").arg("--version").output();
    if !matches!(&version, Ok(o) if o.status.success()) {
        if std::env::var_os("MANIFEST_LINT_SKIP_NEOVIM").is_some_and(|v| v == "1") {
            eprintln!("SKIPPED neovim_shows_diagnostics_and_hover: MANIFEST_LINT_SKIP_NEOVIM=1");
            return;
        }
        panic!(
            "Neovim (nvim) is not installed: run tests/steps/20-neovim.sh (or tests/run, which runs it), \
             or set MANIFEST_LINT_SKIP_NEOVIM=1 to skip this test knowingly"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let packages = dir.path().join("Game").join("Packages");
    std::fs::create_dir_all(&packages).unwrap();
    let manifest = packages.join("manifest.json");
    std::fs::write(&manifest, MANIFEST).unwrap();
    let out = dir.path().join("results.json");
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/crates/lsp/tests/binary/neovim.lua"
    );
    let mut child = std::process::Command::new("nvim")
        .args(["--headless", "-u", "NONE", "-i", "NONE", "-n", "-c"])
        .arg(format!("luafile {script}"))
        .env("ML_BIN", BIN)
        .env("ML_MANIFEST", &manifest)
        .env("ML_OUT", &out)
        .env("XDG_STATE_HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path())
        .env("XDG_CACHE_HOME", dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .expect("start nvim");
    let deadline = Instant::now() + Duration::from_secs(90);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("nvim did not finish within 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let results: Value = serde_json::from_str(
        &std::fs::read_to_string(&out)
            .unwrap_or_else(|e| panic!("no results from nvim ({status}): {e}")),
    )
    .unwrap();
    assert!(status.success(), "nvim: {status}; {results}");
    assert!(results.get("error").is_none(), "{results}");
    let diagnostics = results["diagnostics"].as_array().unwrap();
    let got: Vec<&str> = diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("?"))
        .collect();
    assert_eq!(got, ["redundant-scope", "duplicate-scope"], "{results}");
    assert_eq!(diagnostics[1]["lnum"], 13, "{results}");
    assert_eq!(diagnostics[1]["source"], "manifest-lint", "{results}");
    let hover = results["hover"].as_str().unwrap_or_default();
    assert!(
        hover.contains("**OpenUPM**") && hover.contains("names this package exactly"),
        "{results}"
    );
    let after: Vec<&str> = results["after_edit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("?"))
        .collect();
    assert_eq!(after, ["redundant-scope"], "{results}");
    assert_eq!(
        results["steps"].as_array().unwrap().last().unwrap(),
        "stopped",
        "{results}"
    );
}
