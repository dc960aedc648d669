//! Formatting, folding and selection ranges, document links, code lens, inlay hints and pull
//! diagnostics, over stdio with the real `manifest-lint lsp` binary (real `Content-Length`
//! framing).
//!
//! Belongs to the root package (its `[[test]] lsp_features` entry), like `stdio.rs`.

#[path = "../common/mod.rs"]
mod common;

use std::time::Duration;

use common::{MANIFEST, TestClient, URI, apply_edits, codes, find, pos};
use serde_json::{Value, json};
use tokio::process::Child;

const BIN: &str = env!("CARGO_BIN_EXE_manifest-lint");

fn spawn() -> (TestClient, Child) {
    common::spawn_server(BIN)
}

/// A plain push client (UTF-16, online checks off).
async fn started() -> (TestClient, Child) {
    let (mut client, child) = spawn();
    client.initialize(json!({}), json!({"online": false})).await;
    (client, child)
}

fn td(uri: &str) -> Value {
    json!({ "uri": uri })
}

/// The byte offset of an LSP position in an ASCII text with `\n` line breaks.
fn offset(text: &str, p: &Value) -> usize {
    let line = p["line"].as_u64().unwrap() as usize;
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    start + p["character"].as_u64().unwrap() as usize
}

/// The text a range covers.
fn slice<'t>(text: &'t str, range: &Value) -> &'t str {
    &text[offset(text, &range["start"])..offset(text, &range["end"])]
}

const MESSY: &str = "{\"dependencies\":{\"com.unity.ugui\" : \"2.0.0\",\n\t\"com.example.tools\":\"1.2.0\"},\n\"scopedRegistries\":[{\"name\":\"Example\",\"url\":\"https://npm.example.com\",\"scopes\":[\"com.example\"]}],\"testables\":[ ]}\n";

const UNITY: &str = "{\n  \"dependencies\": {\n    \"com.unity.ugui\": \"2.0.0\",\n    \"com.example.tools\": \"1.2.0\"\n  },\n  \"scopedRegistries\": [\n    {\n      \"name\": \"Example\",\n      \"url\": \"https://npm.example.com\",\n      \"scopes\": [\n        \"com.example\"\n      ]\n    }\n  ],\n  \"testables\": []\n}\n";

#[tokio::test]
async fn every_capability_is_advertised_and_pull_only_to_pull_clients() {
    let (mut client, _child) = spawn();
    let result = client.initialize(json!({}), json!({"online": false})).await;
    let caps = &result["capabilities"];
    for provider in [
        "documentFormattingProvider",
        "documentRangeFormattingProvider",
        "foldingRangeProvider",
        "selectionRangeProvider",
    ] {
        assert_eq!(caps[provider], true, "{provider}");
    }
    assert_eq!(caps["documentLinkProvider"]["resolveProvider"], false);
    assert_eq!(caps["codeLensProvider"]["resolveProvider"], false);
    assert!(caps.get("diagnosticProvider").is_none(), "{caps}");

    let (mut pull, _child) = spawn();
    let result = pull
        .initialize(
            json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}}}),
            json!({"online": false}),
        )
        .await;
    let provider = &result["capabilities"]["diagnosticProvider"];
    assert_eq!(provider["identifier"], "manifest-lint");
    assert_eq!(provider["interFileDependencies"], false);
    assert_eq!(provider["workspaceDiagnostics"], false);
}

#[tokio::test]
async fn formatting_round_trips_and_is_idempotent() {
    let (mut client, _child) = started().await;
    client.open(URI, 1, MESSY).await;
    let params = json!({"textDocument": td(URI), "options": {"tabSize": 8, "insertSpaces": false}});
    let edits = client
        .request("textDocument/formatting", params.clone())
        .await;
    let edits = edits.as_array().unwrap().clone();
    assert_eq!(edits.len(), 1, "one minimal edit");
    // Minimal: the common prefix `{` is not part of it.
    assert_ne!(edits[0]["range"]["start"], pos(0, 0));
    let formatted = apply_edits(MESSY, &edits);
    assert_eq!(
        formatted, UNITY,
        "Unity's layout, whatever the editor's tab size"
    );

    client.change_all(URI, 2, &formatted).await;
    let again = client
        .request("textDocument/formatting", params.clone())
        .await;
    assert_eq!(again, json!([]), "formatted text stays as it is");

    // Not strict JSON: no edit at all.
    let broken = "{\"dependencies\": {\"a.b\": \"1.0.0\",}}";
    client.change_all(URI, 3, broken).await;
    let refused = client.request("textDocument/formatting", params).await;
    assert_eq!(refused, Value::Null);
}

#[tokio::test]
async fn range_formatting_formats_the_members_in_the_range() {
    let (mut client, _child) = started().await;
    client.open(URI, 1, MESSY).await;
    // A selection inside `"com.unity.ugui" : "2.0.0"`.
    let range = json!({"start": find(MESSY, "ugui", 0, 0), "end": find(MESSY, "2.0.0", 0, 0)});
    let edits = client
        .request(
            "textDocument/rangeFormatting",
            json!({"textDocument": td(URI), "range": range, "options": {"tabSize": 2, "insertSpaces": true}}),
        )
        .await;
    let out = apply_edits(MESSY, edits.as_array().unwrap());
    assert_eq!(
        out,
        MESSY.replace(
            "{\"com.unity.ugui\" : \"2.0.0\",",
            "{\n    \"com.unity.ugui\": \"2.0.0\","
        ),
        "only that member changes"
    );
    // Formatting the rest afterwards gives the same as formatting all at once.
    client.change_all(URI, 2, &out).await;
    let edits = client
        .request(
            "textDocument/formatting",
            json!({"textDocument": td(URI), "options": {"tabSize": 2, "insertSpaces": true}}),
        )
        .await;
    assert_eq!(apply_edits(&out, edits.as_array().unwrap()), UNITY);
}

#[tokio::test]
async fn folding_ranges_cover_every_multi_line_object_and_array() {
    let (mut client, _child) = started().await;
    client.open(URI, 1, MANIFEST).await;
    let folds = client
        .request(
            "textDocument/foldingRange",
            json!({"textDocument": td(URI)}),
        )
        .await;
    let lines: Vec<(u64, u64)> = folds
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["startLine"].as_u64().unwrap(),
                f["endLine"].as_u64().unwrap(),
            )
        })
        .collect();
    // The root, dependencies, scopedRegistries, the registry, its scopes; closing brackets
    // stay visible.
    assert_eq!(lines, [(0, 17), (1, 4), (6, 16), (7, 15), (10, 14)]);

    // A comment does not take the folds away (the permissive parse); one-line objects fold not.
    let text = "{\n  // c\n  \"dependencies\": {\"a\": \"1\"},\n  \"testables\": [\n    \"a\"]\n}";
    client.change_all(URI, 2, text).await;
    let folds = client
        .request(
            "textDocument/foldingRange",
            json!({"textDocument": td(URI)}),
        )
        .await;
    let lines: Vec<(u64, u64)> = folds
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["startLine"].as_u64().unwrap(),
                f["endLine"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(lines, [(0, 4), (3, 4)]);
}

#[tokio::test]
async fn selection_ranges_grow_from_key_to_document() {
    let (mut client, _child) = started().await;
    client.open(URI, 1, MANIFEST).await;
    let result = client
        .request(
            "textDocument/selectionRange",
            json!({"textDocument": td(URI), "positions": [find(MANIFEST, "klak", 0, 0), find(MANIFEST, "openupm", 0, 0)]}),
        )
        .await;
    let chains: Vec<Vec<&str>> = result
        .as_array()
        .unwrap()
        .iter()
        .map(|mut r| {
            let mut chain = Vec::new();
            while r.is_object() {
                chain.push(slice(MANIFEST, &r["range"]));
                r = &r["parent"];
            }
            chain
        })
        .collect();
    assert_eq!(chains.len(), 2, "one per position");
    let deps_start = MANIFEST.find("{\n    \"com.example.tools\"").unwrap();
    let deps_end = MANIFEST.find("  },").unwrap() + 3;
    assert_eq!(
        chains[0],
        [
            "jp.keijiro.klak.ndi",
            "\"jp.keijiro.klak.ndi\"",
            "\"jp.keijiro.klak.ndi\": \"2.1.4\"",
            &MANIFEST[deps_start..deps_end],
            &MANIFEST[MANIFEST.find("\"dependencies\"").unwrap()..deps_end],
            MANIFEST.trim_end(),
            MANIFEST,
        ]
    );
    assert_eq!(
        &chains[1][..3],
        [
            "https://package.openupm.com",
            "\"https://package.openupm.com\"",
            "\"url\": \"https://package.openupm.com\"",
        ]
    );
    assert_eq!(chains[1].last(), Some(&MANIFEST));
}

#[tokio::test]
async fn document_links_go_to_registries_repositories_and_local_packages() {
    let dir = tempfile::tempdir().unwrap();
    let packages = dir.path().join("Game").join("Packages");
    std::fs::create_dir_all(&packages).unwrap();
    let manifest_path = packages.join("manifest.json");
    let uri = format!("file://{}", manifest_path.display());
    let text = r#"{
  "dependencies": {
    "com.a.git": "https://github.com/owner/repo.git?path=/Packages/a#v1.0.0",
    "com.a.scp": "git@gitlab.com:group/repo.git",
    "com.a.other": "https://git.example.com/owner/repo.git",
    "com.a.secret": "https://user:token@github.com/owner/secret.git",
    "com.a.local": "file:../../Shared/com.a.local",
    "com.a.tarball": "file:com.a.tarball-1.0.0.tgz",
    "com.a.registry": "1.0.0"
  },
  "scopedRegistries": [
    {"name": "A", "url": "https://npm.a.example.com", "scopes": ["com.a"]},
    {"name": "B", "url": "https://bob:s3cret@npm.b.example.com", "scopes": ["com.b"]}
  ]
}
"#;
    let (mut client, _child) = started().await;
    client.open(&uri, 1, text).await;
    let links = client
        .request(
            "textDocument/documentLink",
            json!({"textDocument": td(&uri)}),
        )
        .await;
    let found: Vec<(&str, String)> = links
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                slice(text, &l["range"]),
                l["target"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let shared = dir
        .path()
        .join("Shared")
        .join("com.a.local")
        .join("package.json");
    let tarball = packages.join("com.a.tarball-1.0.0.tgz");
    assert_eq!(
        found,
        [
            (
                "https://npm.a.example.com",
                "https://npm.a.example.com".to_string()
            ),
            (
                "https://github.com/owner/repo.git?path=/Packages/a#v1.0.0",
                "https://github.com/owner/repo".to_string()
            ),
            (
                "git@gitlab.com:group/repo.git",
                "https://gitlab.com/group/repo".to_string()
            ),
            (
                "file:../../Shared/com.a.local",
                format!("file://{}", shared.display())
            ),
            (
                "file:com.a.tarball-1.0.0.tgz",
                format!("file://{}", tarball.display())
            ),
        ]
    );
    assert!(!links.to_string().contains("s3cret") && !links.to_string().contains("token"));

    // manifest-lint.toml: each rule id links to its documentation.
    let config_uri = format!("file://{}", dir.path().join("manifest-lint.toml").display());
    let config = "[rules]\nglob-scope = \"off\"\nnot-a-rule = \"off\"\n";
    client.open(&config_uri, 1, config).await;
    let links = client
        .request(
            "textDocument/documentLink",
            json!({"textDocument": td(&config_uri)}),
        )
        .await;
    let links = links.as_array().unwrap();
    assert_eq!(links.len(), 1, "{links:?}");
    assert_eq!(slice(config, &links[0]["range"]), "glob-scope");
    let target = links[0]["target"].as_str().unwrap();
    assert!(target.ends_with("docs/rules.md#glob-scope"), "{target}");
    // Edited: the links follow, and the document gets no diagnostics (it is not a manifest).
    client
        .change(&config_uri, 2, json!([{"range": {"start": pos(1, 0), "end": pos(1, 0)}, "text": "\"duplicate-scope\" = \"warning\"\n"}]))
        .await;
    let links = client
        .request(
            "textDocument/documentLink",
            json!({"textDocument": td(&config_uri)}),
        )
        .await;
    let ids: Vec<&str> = links
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["target"].as_str().unwrap().rsplit('#').next().unwrap())
        .collect();
    assert_eq!(ids, ["duplicate-scope", "glob-scope"]);
    let published = client.drain(Duration::from_millis(300)).await;
    assert!(
        !published
            .iter()
            .any(|m| m["params"]["uri"] == json!(config_uri)),
        "{published:?}"
    );
}

#[tokio::test]
async fn code_lenses_count_what_each_registry_serves() {
    let (mut client, _child) = started().await;
    let text = MANIFEST.replace(
        "  ]\n}",
        "    ,{\"name\": \"Unused\", \"url\": \"https://npm.unused.example.com\", \"scopes\": [\"org.unused\"]}\n  ]\n}",
    );
    let text = text.replace(
        "\"jp.keijiro.klak.ndi\": \"2.1.4\"",
        "\"jp.keijiro.klak.ndi\": \"2.1.4\",\n    \"com.local\": \"file:../local\"",
    );
    client.open(URI, 1, &text).await;
    let lenses = client
        .request("textDocument/codeLens", json!({"textDocument": td(URI)}))
        .await;
    let found: Vec<(Value, &str)> = lenses
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["range"]["start"].clone(),
                l["command"]["title"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                find(&text, "{\n      \"name\": \"OpenUPM\"", 0, 0),
                "serves 2 dependencies"
            ),
            (
                find(&text, "{\"name\": \"Unused\"", 0, 0),
                "no dependency uses this registry"
            ),
            (
                find(&text, "\"dependencies\"", 0, 0),
                "4 dependencies: 1 from Unity's registry, 2 from OpenUPM, 1 local"
            ),
        ]
    );
}

#[tokio::test]
async fn pull_clients_ask_and_get_unchanged_for_unchanged_documents() {
    let (mut client, _child) = spawn();
    client
        .initialize(
            json!({"textDocument": {"diagnostic": {}}, "workspace": {"diagnostics": {"refreshSupport": true}}}),
            json!({"online": false}),
        )
        .await;
    client.open(URI, 1, MANIFEST).await;
    let ask = |previous: Option<&str>| json!({"textDocument": td(URI), "identifier": "manifest-lint", "previousResultId": previous});
    let first = client.request("textDocument/diagnostic", ask(None)).await;
    assert_eq!(first["kind"], "full");
    let items = first["items"].as_array().unwrap();
    assert_eq!(codes(items), ["redundant-scope", "duplicate-scope"]);
    let id = first["resultId"].as_str().unwrap().to_string();

    let second = client
        .request("textDocument/diagnostic", ask(Some(&id)))
        .await;
    assert_eq!(second, json!({"kind": "unchanged", "resultId": id}));

    // Diagnostics that change without an edit (here: the settings) make the server ask the
    // client to pull again.
    client
        .notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"manifestLint": {"online": false, "rules": {"redundant-scope": "off"}}}}),
        )
        .await;
    client.drain(Duration::from_millis(300)).await;
    assert!(
        client
            .server_requests
            .iter()
            .any(|m| m == "workspace/diagnostic/refresh"),
        "{:?}",
        client.server_requests
    );
    let after = client
        .request("textDocument/diagnostic", ask(Some(&id)))
        .await;
    assert_eq!(after["kind"], "full");
    assert_eq!(
        codes(after["items"].as_array().unwrap()),
        ["duplicate-scope"]
    );
    let id = after["resultId"].as_str().unwrap().to_string();

    // An edit that changes nothing the diagnostics say (whitespace at the end): still unchanged.
    client.change_all(URI, 2, &format!("{MANIFEST}\n")).await;
    let third = client
        .request("textDocument/diagnostic", ask(Some(&id)))
        .await;
    assert_eq!(third["kind"], "unchanged");

    client
        .change_all(URI, 3, r#"{"dependencies": {"com.unity.ugui": "1.0.0"}}"#)
        .await;
    let fourth = client
        .request("textDocument/diagnostic", ask(Some(&id)))
        .await;
    assert_eq!(fourth["kind"], "full");
    assert_eq!(fourth["items"], json!([]));
    assert_ne!(fourth["resultId"].as_str().unwrap(), id);

    // Never both: nothing was pushed to this client.
    client
        .notify("textDocument/didClose", json!({"textDocument": td(URI)}))
        .await;
    let messages = client.drain(Duration::from_millis(300)).await;
    assert!(
        !messages
            .iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics"),
        "{messages:?}"
    );
    // A document that is not open has an empty report.
    let closed = client.request("textDocument/diagnostic", ask(None)).await;
    assert_eq!(closed["items"], json!([]));
}

/// The inlay hints of a whole document, as (line, label, tooltip).
async fn inlay_hints(client: &mut TestClient, uri: &str) -> Vec<(u64, String, String)> {
    let whole = json!({"start": pos(0, 0), "end": pos(999, 0)});
    let hints = client
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": td(uri), "range": whole}),
        )
        .await;
    hints
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["position"]["line"].as_u64().unwrap(),
                h["label"].as_str().unwrap().to_string(),
                h["tooltip"]["value"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn inlay_hints_show_the_problems_a_direct_dependency_pulls_in() {
    // A project on disk: `com.acme.local` is a local package whose package.json asks for an
    // unscoped `com.partner.analytics` and a Git URL; `com.acme.gone` names a missing folder.
    let project = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/projects/diag-online")
        .canonicalize()
        .unwrap();
    let path = project.join("Packages/manifest.json");
    let manifest = std::fs::read_to_string(&path).unwrap();
    let uri = format!("file://{}", path.display());
    let (mut client, _child) = started().await;
    client.open(&uri, 1, &manifest).await;
    let line = |name: &str| find(&manifest, name, 0, 0)["line"].as_u64().unwrap();
    // The project is read off the handlers: poll (bounded) until its problems are known.
    let mut hints = Vec::new();
    for _ in 0..200 {
        hints = inlay_hints(&mut client, &uri).await;
        if hints.iter().any(|(_, l, _)| l.starts_with('⚠')) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let warned: Vec<(u64, &str)> = hints
        .iter()
        .filter(|(_, l, _)| l.starts_with('⚠'))
        .map(|(n, l, _)| (*n, l.as_str()))
        .collect();
    assert!(
        warned.contains(&(
            line("\"com.acme.local\""),
            "⚠ 2 problems · pulls in 2 packages"
        )),
        "{hints:?}"
    );
    assert!(
        warned.contains(&(line("\"com.acme.gone\""), "⚠ 1 problem")),
        "{hints:?}"
    );
    // Only dependencies with problems get one; the registry hint stays on every line.
    assert!(
        !warned
            .iter()
            .any(|(n, _)| *n == line("\"com.unity.modules.ui\"")),
        "{hints:?}"
    );
    let local = &hints
        .iter()
        .find(|(n, l, _)| *n == line("\"com.acme.local\"") && l.starts_with('⚠'))
        .unwrap()
        .2;
    assert!(
        local.contains("`unscoped-transitive-dependency`")
            && local.contains("com.acme.local (local) -> com.partner.analytics@1.0.0"),
        "{local}"
    );
    assert!(local.contains("`invalid-transitive-dependency`"), "{local}");
    let labels: Vec<&str> = hints
        .iter()
        .filter(|(n, _, _)| *n == line("\"com.acme.local\""))
        .map(|(_, l, _)| l.as_str())
        .collect();
    assert_eq!(labels[0], "→ local", "{hints:?}");
}
