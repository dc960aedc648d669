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
use tokio::process::Child;

const BIN: &str = env!("CARGO_BIN_EXE_manifest-lint");

fn spawn() -> (TestClient, Child) {
    common::spawn_server(BIN)
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

// The server under abuse: malformed framing, `$/` requests, large manifests.

fn framed(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// The framing layer's limit on a body (crates/lsp/src/transport.rs, `MAX_BODY`).
const MAX_BODY: usize = 64 * 1024 * 1024;

/// Asks something the server answers (hover on a document it does not have: `null`).
async fn still_answers(client: &mut TestClient, case: &str) {
    let answer = client
        .request_raw(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}),
        )
        .await;
    assert_eq!(answer["result"], Value::Null, "{case}: {answer}");
    assert!(answer.get("error").is_none(), "{case}: {answer}");
}

#[tokio::test]
async fn each_malformed_message_is_answered_and_the_server_goes_on() {
    let notification = br#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
    let mut oversized = format!("Content-Length: {}\r\n\r\n", MAX_BODY + 1).into_bytes();
    oversized.resize(oversized.len() + MAX_BODY + 1, b' ');
    let cases: Vec<(&str, Vec<u8>, i64)> = vec![
        (
            "a body that is not JSON",
            framed(b"{\"jsonrpc\": \"2.0\", "),
            -32700,
        ),
        (
            "a body that is not UTF-8",
            framed(b"{\"jsonrpc\":\"2.0\",\"method\":\"\xff\xfe\"}"),
            -32700,
        ),
        ("JSON that is no message", framed(b"[1, 2, 3]"), -32600),
        (
            "a message of another JSON-RPC version",
            framed(br#"{"jsonrpc":"1.0","method":"initialized"}"#),
            -32600,
        ),
        ("an empty body", framed(b""), -32700),
        (
            "a huge body that is not JSON",
            framed(&vec![b'x'; 8 * 1024 * 1024]),
            -32700,
        ),
        (
            "no Content-Length",
            [
                &b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n"[..],
                notification,
            ]
            .concat(),
            -32700,
        ),
        (
            "a Content-Length that is not a number",
            [&b"Content-Length: twelve\r\n\r\n"[..], notification].concat(),
            -32700,
        ),
        (
            "lines that are no header",
            b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".to_vec(),
            -32700,
        ),
        ("a body over the limit", oversized, -32700),
    ];
    for (case, bytes, code) in cases {
        let (mut client, mut child) = spawn();
        client.initialize(json!({}), json!({"online": false})).await;
        client.send_raw(&bytes).await;
        let reply = client.response(&Value::Null).await;
        assert_eq!(reply["error"]["code"], code, "{case}: {reply}");
        still_answers(&mut client, case).await;
        client.shutdown_and_exit().await;
        assert_eq!(exit_status(&mut child).await.code(), Some(0), "{case}");
    }
}

#[tokio::test]
async fn header_names_are_read_in_any_case() {
    let (mut client, mut child) = spawn();
    client.initialize(json!({}), json!({"online": false})).await;
    for (i, name) in ["content-length", "CONTENT-LENGTH", "Content-length"]
        .iter()
        .enumerate()
    {
        let id = 100 + i as i64;
        let body = json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover",
            "params": {"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}}})
        .to_string();
        // With a Content-Type without charset, which tower-lsp-server's codec refuses too.
        let message = format!(
            "{name}: {}\r\nContent-Type: application/vscode-jsonrpc\r\n\r\n{body}",
            body.len()
        );
        client.send_raw(message.as_bytes()).await;
        let answer = client.response(&json!(id)).await;
        assert!(answer.get("error").is_none(), "{name}: {answer}");
        assert_eq!(answer["result"], Value::Null, "{name}");
    }
    client.shutdown_and_exit().await;
    assert_eq!(exit_status(&mut child).await.code(), Some(0));
    let stray = client.drain(Duration::from_millis(100)).await;
    assert!(!stray.iter().any(|m| m.get("error").is_some()), "{stray:?}");
}

#[tokio::test]
async fn a_dollar_request_gets_method_not_found() {
    let (mut client, mut child) = spawn();
    client.initialize(json!({}), json!({"online": false})).await;
    let answer = client.request_raw("$/foo", json!({})).await;
    assert_eq!(answer["error"]["code"], -32601, "{answer}");
    // A `$/` notification is ignored, as LSP allows.
    client.notify("$/bar", json!({})).await;
    still_answers(&mut client, "$/bar").await;
    let messages = client.drain(Duration::from_millis(300)).await;
    assert!(
        !messages.iter().any(|m| m.get("error").is_some()),
        "{messages:?}"
    );
    client.shutdown_and_exit().await;
    assert_eq!(exit_status(&mut child).await.code(), Some(0));
}

/// A generated manifest: `deps` dependencies, then one registry whose scope `com.example` is
/// listed `1 + repeats` times (each repeat a `duplicate-scope` with a safe fix).
fn large_manifest(deps: usize, repeats: usize) -> String {
    let deps: Vec<String> = (0..deps)
        .map(|i| format!("    \"com.example.pkg{i:06}\": \"1.0.0\""))
        .collect();
    let scopes = vec!["        \"com.example\""; repeats + 1];
    format!(
        "{{\n  \"dependencies\": {{\n{}\n  }},\n  \"scopedRegistries\": [\n    {{\n      \"name\": \"Example\",\n      \"url\": \"https://npm.example.com\",\n      \"scopes\": [\n{}\n      ]\n    }}\n  ]\n}}\n",
        deps.join(",\n"),
        scopes.join(",\n")
    )
}

fn resolving() -> Value {
    json!({"textDocument": {"codeAction": {"resolveSupport": {"properties": ["edit"]}}}})
}

#[tokio::test]
async fn code_actions_without_only_are_bounded_on_a_large_manifest() {
    let (deps, repeats) = (3000, 1500);
    let text = large_manifest(deps, repeats);
    let lines = text.lines().count() as u32;
    let (mut client, _child) = spawn();
    client
        .initialize(resolving(), json!({"online": false}))
        .await;
    client.open(URI, 1, &text).await;
    let diagnostics = client.diagnostics(URI, 1).await;
    assert_eq!(diagnostics.len(), repeats, "{:?}", codes(&diagnostics));

    // The cursor on one repeated scope: its quick fix, and "Fix all" left to resolve.
    let at = find(&text, "\"com.example\"", 7, 3);
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": {"start": at, "end": at},
                   "context": {"diagnostics": []}}),
        )
        .await;
    let size = actions.to_string().len();
    let actions = actions.as_array().unwrap();
    assert_eq!(actions.len(), 2, "{actions:?}");
    assert_eq!(actions[0]["kind"], "quickfix");
    let fix_all = &actions[1];
    assert_eq!(fix_all["kind"], "source.fixAll.manifest-lint");
    assert!(fix_all.get("edit").is_none(), "computed eagerly: {fix_all}");
    assert!(fix_all.get("data").is_some(), "{fix_all}");
    assert!(size < 4096, "{size} bytes");

    // A range over the whole text: the quick fixes are capped.
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI},
                   "range": {"start": {"line": 0, "character": 0}, "end": {"line": lines, "character": 0}},
                   "context": {"diagnostics": []}}),
        )
        .await;
    let size = actions.to_string().len();
    let quick = actions
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == "quickfix")
        .count();
    assert_eq!(quick, 100, "quick fixes in one answer");
    assert!(size < 200_000, "{size} bytes");

    // A client that cannot resolve gets no "Fix all" for a large text unless it asks for it.
    let (mut plain, _child) = spawn();
    plain.initialize(json!({}), json!({"online": false})).await;
    plain.open(URI, 1, &text).await;
    plain.diagnostics(URI, 1).await;
    let actions = plain
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": {"start": at, "end": at},
                   "context": {"diagnostics": []}}),
        )
        .await;
    let kinds: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["quickfix"]);
}

#[tokio::test]
async fn fix_all_is_resolved_on_demand() {
    let (mut client, mut child) = spawn();
    client
        .initialize(resolving(), json!({"online": false}))
        .await;
    client.open(URI, 1, MANIFEST).await;
    client.diagnostics(URI, 1).await;
    let at = find(MANIFEST, "\"com.example\"", 1, 3);
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": {"start": at, "end": at},
                   "context": {"diagnostics": []}}),
        )
        .await;
    let fix_all = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "source.fixAll.manifest-lint")
        .expect("fix all offered")
        .clone();
    assert!(fix_all.get("edit").is_none(), "{fix_all}");
    let resolved = client.request("codeAction/resolve", fix_all).await;
    let edits = resolved["edit"]["changes"][URI]
        .as_array()
        .expect("an edit");
    let fixed = common::apply_edits(MANIFEST, edits);
    client.change_all(URI, 2, &fixed).await;
    assert_eq!(
        client.diagnostics(URI, 2).await,
        Vec::<Value>::new(),
        "{fixed}"
    );
    client.shutdown_and_exit().await;
    assert_eq!(exit_status(&mut child).await.code(), Some(0));
}

/// Every symbol of an outline, depth first.
fn all_symbols(symbols: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    for s in symbols.as_array().into_iter().flatten() {
        out.push(s);
        out.extend(all_symbols(&s["children"]));
    }
    out
}

#[tokio::test]
async fn document_symbols_are_bounded_on_a_large_manifest() {
    let (deps, repeats) = (12_000, 1500);
    let long_name = format!("com.example.{}", "x".repeat(10_000));
    let text = large_manifest(deps, repeats).replacen("com.example.pkg000000", &long_name, 1);
    let (mut client, _child) = spawn();
    client.initialize(json!({}), json!({"online": false})).await;
    client.open(URI, 1, &text).await;
    client.diagnostics(URI, 1).await;
    let outline = client
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    let size = outline.to_string().len();
    let symbols = all_symbols(&outline);
    assert!(symbols.len() <= 5000, "{} symbols", symbols.len());
    assert!(size < 1_000_000, "{size} bytes for {} bytes", text.len());
    let by_name = |name: &str| {
        outline
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name)
            .unwrap_or_else(|| panic!("no {name}"))
    };
    let children = by_name("dependencies")["children"].as_array().unwrap();
    assert_eq!(children.len(), 1001);
    assert_eq!(children[1000]["name"], format!("… {} more", deps - 1000));
    assert_eq!(children[999]["name"], "com.example.pkg000999");
    let first = children[0]["name"].as_str().unwrap();
    assert!(first.chars().count() <= 201, "{} characters", first.len());
    assert!(first.starts_with("com.example.xxx") && first.ends_with('…'));
    // The summary covers what it leaves out: from the 1001st dependency to the last.
    assert_eq!(
        children[1000]["range"]["start"],
        find(&text, "\"com.example.pkg001000\"", 0, 0)
    );
    let registry = &by_name("scopedRegistries")["children"][0];
    let scopes = registry["children"].as_array().unwrap();
    assert_eq!(scopes.len(), 1001);
    assert_eq!(
        scopes[1000]["name"],
        format!("… {} more", repeats + 1 - 1000)
    );

    // Many registries: the whole outline stays within its budget of symbols.
    let registries: Vec<String> = (0..8)
        .map(|r| {
            let scopes: Vec<String> = (0..1000).map(|s| format!("\"org.r{r}.s{s}\"")).collect();
            format!(
                "{{\"name\": \"R{r}\", \"url\": \"https://r{r}.example.com\", \"scopes\": [{}]}}",
                scopes.join(", ")
            )
        })
        .collect();
    let text = format!(
        "{{\"dependencies\": {{}}, \"scopedRegistries\": [{}]}}",
        registries.join(",\n")
    );
    client.change_all(URI, 2, &text).await;
    client.diagnostics(URI, 2).await;
    let outline = client
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    let symbols = all_symbols(&outline);
    assert!(
        (4900..=5000).contains(&symbols.len()),
        "{} symbols",
        symbols.len()
    );
    assert!(
        symbols
            .iter()
            .any(|s| s["name"].as_str().unwrap().ends_with(" more")),
        "the rest is summarised"
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

/// A Unity package's `package.json` over stdio: its diagnostics, hover and completion of its
/// keys, the quick fix that splits `unity`; an npm project's `package.json` is left alone.
#[tokio::test]
async fn a_unity_package_json_is_linted_and_an_npm_one_is_not() {
    const PACKAGE_URI: &str = "file:///work/tools/package.json";
    const NPM_URI: &str = "file:///work/web/package.json";
    let text = "{\n  \"name\": \"com.example.tools\",\n  \"version\": \"1.8\",\n  \"unity\": \"2020.3.45f1\",\n  \n}\n";
    let (mut client, mut child) = spawn();
    client
        .initialize(
            json!({"textDocument": {"completion": {"completionItem": {"snippetSupport": false}}}}),
            json!({"online": false}),
        )
        .await;
    client
        .open(
            NPM_URI,
            1,
            r#"{"name": "web", "dependencies": {"left-pad": "^1.3.0"}}"#,
        )
        .await;
    // Nothing is published for the npm package.json (a Unity package would have its errors).
    let early = client.drain(Duration::from_millis(300)).await;
    assert!(
        !early.iter().any(|m| m["params"]["uri"] == NPM_URI),
        "{early:?}"
    );
    client.open(PACKAGE_URI, 1, text).await;
    let diagnostics = client.diagnostics(PACKAGE_URI, 1).await;
    assert_eq!(
        codes(&diagnostics),
        [
            "invalid-package-version",
            "invalid-unity-version",
            "invalid-json"
        ]
    );
    let link = diagnostics[1]["codeDescription"]["href"].as_str().unwrap();
    assert!(link.ends_with("#invalid-unity-version"), "{link}");

    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": PACKAGE_URI}, "position": find(text, "\"unity\"", 0, 2)}),
        )
        .await;
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(
        value.contains("package.json property") && value.contains("upm-manifestPkg"),
        "{hover}"
    );

    // The quick fix on `unity` splits it into `unity` and `unityRelease`.
    let at = find(text, "2020.3.45f1", 0, 1);
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": PACKAGE_URI}, "range": {"start": at, "end": at},
                   "context": {"diagnostics": [], "only": ["quickfix"]}}),
        )
        .await;
    let split = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Split into"))
        .unwrap_or_else(|| panic!("{actions}"));
    let edits = split["edit"]["changes"][PACKAGE_URI].as_array().unwrap();
    let fixed = common::apply_edits(text, edits);
    assert!(
        fixed.contains("\"unity\": \"2020.3\",\n  \"unityRelease\": \"45f1\","),
        "{fixed}"
    );

    // Completion of a new key: package.json keys not yet there, each with its documentation.
    let items = client
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": PACKAGE_URI}, "position": {"line": 4, "character": 2}}),
        )
        .await;
    let items = items
        .as_array()
        .cloned()
        .unwrap_or_else(|| items["items"].as_array().cloned().unwrap_or_default());
    let labels: Vec<&str> = items.iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert!(
        labels.contains(&"unityRelease") && labels.contains(&"samples"),
        "{labels:?}"
    );
    assert!(
        !labels.contains(&"name") && !labels.contains(&"scopedRegistries"),
        "{labels:?}"
    );
    let samples = items.iter().find(|i| i["label"] == "samples").unwrap();
    assert!(
        samples["documentation"]["value"]
            .as_str()
            .unwrap()
            .contains("cus-samples"),
        "{samples}"
    );

    // Nor hover: the server does not know the document.
    let hover = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": NPM_URI}, "position": {"line": 0, "character": 3}}),
        )
        .await;
    assert_eq!(hover, Value::Null);
    client.shutdown_and_exit().await;
    assert_eq!(exit_status(&mut child).await.code(), Some(0));
}

/// A minified manifest (one line) whose registry names hold non-ASCII text (accents, CJK, an
/// astral character) and with `errors` dependencies of version `1.0` spread along the line.
fn minified_non_ascii(deps: usize, errors: usize) -> String {
    let mut members = Vec::new();
    for d in 0..deps {
        let version = if d % (deps / errors) == 0 {
            "1.0".to_string()
        } else {
            format!("1.{d}.0")
        };
        members.push(format!("\"com.vendor.p{d}\":\"{version}\""));
    }
    format!(
        "{{\"dependencies\":{{{}}},\"scopedRegistries\":[{{\"name\":\"Überraschung 日本語 😀\",\"url\":\"https://npm.vendor.example.com\",\"scopes\":[\"com.vendor\"]}}]}}",
        members.join(",")
    )
}

/// The UTF-16 start positions of the `invalid-version` diagnostics.
fn invalid_version_starts(diagnostics: &[Value]) -> Vec<Value> {
    diagnostics
        .iter()
        .filter(|d| d["code"] == "invalid-version")
        .map(|d| d["range"]["start"].clone())
        .collect()
}

#[tokio::test]
async fn a_minified_non_ascii_manifest_gets_utf16_positions_along_its_one_line() {
    let (mut client, mut child) = spawn();
    client.initialize(json!({}), json!({"online": false})).await;
    let text = format!(
        "{{\"description\":\"à la 日本 😀\",{}",
        &minified_non_ascii(3000, 300)[1..]
    );
    client.open(URI, 1, &text).await;
    let diagnostics = client.diagnostics(URI, 1).await;
    // Every error where the client counts it: UTF-16 units from the start of the one line.
    let expected: Vec<Value> = text
        .match_indices("\"1.0\"")
        .map(|(at, _)| common::utf16_at(&text, at))
        .collect();
    assert_eq!(expected.len(), 300);
    assert_eq!(invalid_version_starts(&diagnostics), expected);

    // An edit near the end of the line (after all the non-ASCII text): two astral characters at
    // the end of the last error's package name move that error by four units, no other.
    let last = text.rfind("\"1.0\"").unwrap();
    let at = common::utf16_at(&text, last - 2);
    client
        .change(
            URI,
            2,
            json!([{ "range": {"start": at, "end": at}, "text": "😀😀" }]),
        )
        .await;
    let edited = format!("{}😀😀{}", &text[..last - 2], &text[last - 2..]);
    let diagnostics = client.diagnostics(URI, 2).await;
    let expected: Vec<Value> = edited
        .match_indices("\"1.0\"")
        .map(|(at, _)| common::utf16_at(&edited, at))
        .collect();
    let starts = invalid_version_starts(&diagnostics);
    assert_eq!(starts, expected);
    assert_eq!(
        starts[299]["character"].as_u64().unwrap(),
        common::utf16_at(&text, last)["character"].as_u64().unwrap() + 4
    );
    client.shutdown_and_exit().await;
    assert!(exit_status(&mut child).await.success());
}

/// A manifest whose publish is about 800 KB (2,000 `invalid-version` errors): more than a pipe
/// or a socket holds, so the server's non-blocking writes must wait and go on.
fn manifest_with_many_errors() -> String {
    let deps: Vec<String> = (0..2000)
        .map(|i| format!("    \"com.example.package{i}\": \"1.0\""))
        .collect();
    format!(
        "{{\n  \"dependencies\": {{\n{}\n  }}\n}}\n",
        deps.join(",\n")
    )
}

/// Whether the server's stdout is non-blocking (the flag of its open file description, from
/// `/proc/<pid>/fdinfo/1`): the sign that it is on the event loop, not tokio's blocking pool.
fn stdout_nonblocking(child: &Child) -> bool {
    fd_nonblocking(child, 1)
}

fn fd_nonblocking(child: &Child, fd: u32) -> bool {
    let pid = child.id().expect("the server runs");
    let info = std::fs::read_to_string(format!("/proc/{pid}/fdinfo/{fd}")).expect("fdinfo");
    let flags = info
        .lines()
        .find_map(|l| l.strip_prefix("flags:"))
        .map(|f| u32::from_str_radix(f.trim(), 8).expect("octal flags"))
        .expect("a flags line");
    const O_NONBLOCK: u32 = 0o4000;
    flags & O_NONBLOCK != 0
}

/// A session on `client`: the small manifest's diagnostics, then the big one's in full, then
/// `shutdown` and `exit` and status 0. `nonblocking`: what the server's stdout is expected to be.
async fn session_with_a_large_publish(
    mut client: TestClient,
    child: &mut Child,
    nonblocking: bool,
) {
    client.initialize(json!({}), json!({"online": false})).await;
    assert_eq!(stdout_nonblocking(child), nonblocking);
    client.open(URI, 1, MANIFEST).await;
    assert_eq!(
        codes(&client.diagnostics(URI, 1).await),
        ["redundant-scope", "duplicate-scope"]
    );
    let big = manifest_with_many_errors();
    client.change_all(URI, 2, &big).await;
    let diagnostics = client.diagnostics(URI, 2).await;
    assert_eq!(diagnostics.len(), 2000);
    assert!(codes(&diagnostics).iter().all(|c| c == "invalid-version"));
    client.change_all(URI, 3, "{}").await;
    assert_eq!(codes(&client.diagnostics(URI, 3).await), ["empty-manifest"]);
    client.shutdown_and_exit().await;
    assert_eq!(exit_status(child).await.code(), Some(0));
}

#[tokio::test]
async fn a_large_publish_over_pipes() {
    let (client, mut child) = spawn();
    session_with_a_large_publish(client, &mut child, true).await;
}

/// Starts the server with its stdin and stdout on one end of a socket pair, as editors built on
/// libuv (VS Code, Neovim) do, and its stderr there too when `stderr_too` (`2>&1`: then stdout
/// keeps the blocking writer, see crates/lsp/src/stdio.rs).
fn spawn_on_a_socket(stderr_too: bool) -> (TestClient, Child) {
    use std::os::fd::OwnedFd;
    let (ours, theirs) = std::os::unix::net::UnixStream::pair().expect("a socket pair");
    let fd =
        |s: &std::os::unix::net::UnixStream| Stdio::from(OwnedFd::from(s.try_clone().unwrap()));
    let mut command = tokio::process::Command::new(BIN);
    command
        .arg("lsp")
        .stdin(fd(&theirs))
        .stdout(fd(&theirs))
        .kill_on_drop(true);
    command.stderr(if stderr_too {
        fd(&theirs)
    } else {
        Stdio::inherit()
    });
    let child = command.spawn().expect("start manifest-lint lsp");
    drop(theirs);
    ours.set_nonblocking(true).unwrap();
    let stream = tokio::net::UnixStream::from_std(ours).unwrap();
    let (read, write) = stream.into_split();
    (TestClient::new(read, write), child)
}

#[tokio::test]
async fn a_large_publish_over_a_socket_pair() {
    let (client, mut child) = spawn_on_a_socket(false);
    session_with_a_large_publish(client, &mut child, true).await;
}

#[tokio::test]
async fn a_session_with_stderr_on_the_same_socket() {
    let (client, mut child) = spawn_on_a_socket(true);
    session_with_a_large_publish(client, &mut child, false).await;
}

/// Stdin a pipe and stdout a file (not pollable): both stay with tokio's blocking stdio, and
/// stdin must not be left non-blocking (the blocking reader would then see `WouldBlock` on an
/// empty pipe and end the session). The messages are written only after the server has had
/// time to start reading.
#[tokio::test]
async fn stdout_to_a_file_keeps_blocking_stdio_and_serves() {
    use tokio::io::AsyncWriteExt;
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("out");
    let out = std::fs::File::create(&out_path).unwrap();
    let mut child = tokio::process::Command::new(BIN)
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(out)
        .kill_on_drop(true)
        .spawn()
        .expect("start manifest-lint lsp");
    let mut stdin = child.stdin.take().unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!fd_nonblocking(&child, 0), "stdin was left non-blocking");
    let frame = |body: Value| {
        let body = body.to_string();
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    };
    // Answers are read back from the file: the server's own requests to the client carry ids
    // too, an answer has no `method`.
    let answered = |id: i64| {
        let text = std::fs::read_to_string(&out_path).unwrap();
        text.split("Content-Length:")
            .filter_map(|frame| frame.split_once("\r\n\r\n"))
            .filter_map(|(_, body)| serde_json::from_str::<Value>(body).ok())
            .any(|m| m["id"] == id && m.get("method").is_none() && m.get("error").is_none())
    };
    let exchanges = [
        (
            vec![frame(
                json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": {"capabilities": {}, "initializationOptions": {"online": false}}}),
            )],
            1,
        ),
        (
            vec![
                frame(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}})),
                frame(json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})),
            ],
            2,
        ),
    ];
    for (messages, id) in exchanges {
        stdin.write_all(messages.concat().as_bytes()).await.unwrap();
        stdin.flush().await.unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while !answered(id) {
            assert!(Instant::now() < deadline, "no answer to request {id}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    let exit = frame(json!({"jsonrpc": "2.0", "method": "exit"}));
    stdin.write_all(exit.as_bytes()).await.unwrap();
    stdin.flush().await.unwrap();
    assert_eq!(exit_status(&mut child).await.code(), Some(0));
}
