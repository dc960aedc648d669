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
    assert_eq!(client.diagnostics(URI, 2).await, Vec::<Value>::new());
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

/// A manifest for navigation: a package named in every place, a scope routing two
/// dependencies, a key written with an escape, and non-ASCII text before names on their lines.
const NAV_URI: &str = "file:///game/Packages/manifest.json";
const NAV: &str = r#"{
  "dependencies": {
    "com.ex\u0061mple.tools": "1.2.0",
    "com.example.b": "1.0.0", "jp.keijiro.klak": "2.0.0"
  },
  "testables": ["com.example.tools"],
  "pinnedPackages": ["com.example.tools"],
  "scopedRegistries": [
    {"name": "Ünïcödé 😀", "url": "https://package.openupm.com", "scopes": ["com.example", "jp.keijiro", "com.example.tools"]}
  ]
}
"#;

async fn navigation_session() -> (TestClient, Child) {
    let (mut client, child) = spawn();
    let init = client
        .initialize(
            json!({"textDocument": {"completion": {"completionItem": {"snippetSupport": true}}}}),
            json!({"online": false}),
        )
        .await;
    let caps = &init["capabilities"];
    assert_eq!(caps["referencesProvider"], true, "{caps}");
    assert_eq!(caps["documentHighlightProvider"], true, "{caps}");
    assert_eq!(caps["renameProvider"]["prepareProvider"], true, "{caps}");
    assert_eq!(caps["workspaceSymbolProvider"], true, "{caps}");
    assert_eq!(
        caps["semanticTokensProvider"]["legend"]["tokenTypes"],
        json!(["namespace", "type", "number"]),
        "{caps}"
    );
    client.open(NAV_URI, 1, NAV).await;
    client.diagnostics(NAV_URI, 1).await;
    (client, child)
}

fn at(needle: &str, nth: usize) -> Value {
    json!({"textDocument": {"uri": NAV_URI}, "position": find(NAV, needle, nth, 1)})
}

/// The texts of `NAV` that locations or edits cover.
fn covered(ranges: &[Value]) -> Vec<String> {
    let mut out: Vec<String> = ranges
        .iter()
        .map(|r| {
            let marked = common::apply_edits(
                NAV,
                &[
                    json!({"range": {"start": r["end"], "end": r["end"]}, "newText": "»"}),
                    json!({"range": {"start": r["start"], "end": r["start"]}, "newText": "«"}),
                ],
            );
            let a = marked.find('«').unwrap();
            let b = marked.find('»').unwrap();
            marked[a + '«'.len_utf8()..b].to_string()
        })
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn references_and_highlights_reach_every_place() {
    let (mut client, mut child) = navigation_session().await;
    // From a package name: its key (escaped), testables, pinnedPackages, the equal scope.
    let mut params = at("\"com.example.tools\"", 0);
    params["context"] = json!({"includeDeclaration": true});
    let refs = client.request("textDocument/references", params).await;
    let ranges: Vec<Value> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["range"].clone())
        .collect();
    assert_eq!(
        covered(&ranges),
        [
            "\"com.ex\\u0061mple.tools\"",
            "\"com.example.tools\"",
            "\"com.example.tools\"",
            "\"com.example.tools\"",
        ]
    );
    assert!(refs.as_array().unwrap().iter().all(|l| l["uri"] == NAV_URI));
    // From a scope (after non-ASCII text on its line): itself and the dependencies it routes.
    let mut params = at("\"com.example\"", 0);
    params["context"] = json!({"includeDeclaration": false});
    let refs = client.request("textDocument/references", params).await;
    let ranges: Vec<Value> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["range"].clone())
        .collect();
    assert_eq!(covered(&ranges), ["\"com.example.b\""]);
    // And back: from the dependency to the scope that routes it.
    let highlights = client
        .request(
            "textDocument/documentHighlight",
            at("\"jp.keijiro.klak\"", 0),
        )
        .await;
    let list = highlights.as_array().unwrap();
    let ranges: Vec<Value> = list.iter().map(|h| h["range"].clone()).collect();
    assert_eq!(covered(&ranges), ["\"jp.keijiro\"", "\"jp.keijiro.klak\""]);
    // In document order: the dependency key is the write, the scope a read.
    let kinds: Vec<i64> = list.iter().map(|h| h["kind"].as_i64().unwrap()).collect();
    assert_eq!(kinds, [3, 2]);
    client.shutdown_and_exit().await;
    assert_eq!(exit_status(&mut child).await.code(), Some(0));
}

#[tokio::test]
async fn rename_of_a_package_and_of_a_scope() {
    let (mut client, mut child) = navigation_session().await;
    let prepared = client
        .request("textDocument/prepareRename", at("\"com.example.tools\"", 1))
        .await;
    assert_eq!(prepared["placeholder"], "com.example.tools");
    assert_eq!(covered(&[prepared["range"].clone()]), ["com.example.tools"]);
    // A version and a registry name are not renamable: an error the editor shows.
    for needle in ["\"1.2.0\"", "\"Ünïcödé"] {
        let answer = client
            .request_raw("textDocument/prepareRename", at(needle, 0))
            .await;
        assert_eq!(answer["error"]["code"], -32803, "{answer}");
    }
    let mut params = at("\"com.example.tools\"", 1);
    params["newName"] = json!("com.example.gadgets");
    let edit = client.request("textDocument/rename", params).await;
    let edits = edit["changes"][NAV_URI].as_array().unwrap().clone();
    let renamed = common::apply_edits(NAV, &edits);
    assert_eq!(
        renamed,
        NAV.replace("com.ex\\u0061mple.tools", "com.example.gadgets")
            .replace("com.example.tools", "com.example.gadgets")
    );
    // An invalid new name is refused with the rule's reason.
    let mut params = at("\"com.example.b\"", 0);
    params["newName"] = json!("@acme/b");
    let answer = client.request_raw("textDocument/rename", params).await;
    assert!(
        answer["error"]["message"]
            .as_str()
            .unwrap()
            .contains("@scope"),
        "{answer}"
    );
    // A scope: only the scope strings equal to it change.
    let mut params = at("\"jp.keijiro\"", 0);
    params["newName"] = json!("jp.keijiro.klak");
    let edit = client.request("textDocument/rename", params).await;
    let edits = edit["changes"][NAV_URI].as_array().unwrap().clone();
    assert_eq!(edits.len(), 1);
    assert_eq!(
        common::apply_edits(NAV, &edits),
        NAV.replace("\"jp.keijiro\"]", "\"jp.keijiro.klak\"]")
            .replace("\"jp.keijiro\", ", "\"jp.keijiro.klak\", ")
    );
    client.shutdown_and_exit().await;
    assert_eq!(exit_status(&mut child).await.code(), Some(0));
}

#[tokio::test]
async fn key_documentation_and_workspace_symbols() {
    let (mut client, mut child) = navigation_session().await;
    let hover = client
        .request("textDocument/hover", at("\"pinnedPackages\"", 0))
        .await;
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("https://docs.unity3d.com/Manual/upm-manifestPrj.html"),
        "{text}"
    );
    assert!(text.contains("Example: `\"pinnedPackages\": "), "{text}");
    let hover = client.request("textDocument/hover", at("\"url\"", 0)).await;
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("scoped registry property")
    );
    // Key completion carries the same documentation.
    let other = "file:///other/Packages/manifest.json";
    client.open(other, 1, "{\n  \n}").await;
    client.diagnostics(other, 1).await;
    let completion = client
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": other}, "position": common::pos(1, 2)}),
        )
        .await;
    let items = completion.as_array().unwrap();
    let lock = items
        .iter()
        .find(|i| i["label"] == "enableLockFile")
        .unwrap();
    assert!(
        lock["documentation"]["value"]
            .as_str()
            .unwrap()
            .contains("packages-lock.json"),
        "{lock}"
    );
    // Semantic tokens: 3 package names and their 3 versions, testables, pinnedPackages, 3 scopes.
    let tokens = client
        .request(
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": NAV_URI}}),
        )
        .await;
    let data: Vec<u64> = tokens["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    let types: Vec<u64> = data.chunks(5).map(|t| t[3]).collect();
    assert_eq!(types, [1, 2, 1, 2, 1, 2, 1, 1, 0, 0, 0]);
    // The last scope, on the registry line after non-ASCII text: its UTF-16 column.
    let line = NAV.lines().position(|l| l.contains("Ünïcödé")).unwrap();
    let before = &NAV.lines().nth(line).unwrap()[..NAV
        .lines()
        .nth(line)
        .unwrap()
        .rfind("\"com.example.tools\"")
        .unwrap()];
    let last = &data[data.len() - 5..];
    assert_eq!(
        last[1] as usize,
        before.chars().map(char::len_utf16).sum::<usize>() - {
            let second = &NAV.lines().nth(line).unwrap()[..NAV
                .lines()
                .nth(line)
                .unwrap()
                .rfind("\"jp.keijiro\"")
                .unwrap()];
            second.chars().map(char::len_utf16).sum::<usize>()
        }
    );
    assert_eq!(last[2], "\"com.example.tools\"".len() as u64);
    // Workspace symbols across both open manifests.
    client
        .change_all(
            other,
            2,
            r#"{"dependencies": {"com.example.other": "1.0.0"}}"#,
        )
        .await;
    client.diagnostics(other, 2).await;
    let symbols = client
        .request("workspace/symbol", json!({"query": "EXAMPLE.T"}))
        .await;
    let found: Vec<(String, String)> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_string(),
                s["location"]["uri"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("com.example.tools".to_string(), NAV_URI.to_string()),
            ("com.example.tools".to_string(), NAV_URI.to_string()),
        ]
    );
    let symbols = client
        .request("workspace/symbol", json!({"query": "com.example.o"}))
        .await;
    assert_eq!(symbols[0]["location"]["uri"], other);
    client.shutdown_and_exit().await;
    assert_eq!(exit_status(&mut child).await.code(), Some(0));
}
