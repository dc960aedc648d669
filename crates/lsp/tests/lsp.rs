//! End-to-end tests of the language server in this process, over real JSON-RPC framing.

mod common;
mod inproc;

use std::time::Duration;

use common::{MANIFEST, TestClient, URI, apply_edits, codes, find, pos, utf16_at};
use serde_json::{Value, json};

fn td(uri: &str) -> Value {
    json!({ "uri": uri })
}

async fn hover_text(client: &mut TestClient, uri: &str, position: Value) -> Option<String> {
    let result = client
        .request(
            "textDocument/hover",
            json!({"textDocument": td(uri), "position": position}),
        )
        .await;
    result["contents"]["value"].as_str().map(str::to_string)
}

#[tokio::test]
async fn initialize_negotiates_the_position_encoding() {
    let cases = [
        (json!({}), "utf-16"),
        (
            json!({"general": {"positionEncodings": ["utf-16"]}}),
            "utf-16",
        ),
        (
            json!({"general": {"positionEncodings": ["utf-16", "utf-8"]}}),
            "utf-8",
        ),
        (
            json!({"general": {"positionEncodings": ["utf-32", "utf-16"]}}),
            "utf-32",
        ),
        (
            json!({"general": {"positionEncodings": ["latin-1"]}}),
            "utf-16",
        ),
    ];
    for (capabilities, expected) in cases {
        let mut client = inproc::start();
        let result = client
            .initialize(capabilities.clone(), json!({"online": false}))
            .await;
        let caps = &result["capabilities"];
        assert_eq!(caps["positionEncoding"], expected, "{capabilities}");
        assert_eq!(caps["textDocumentSync"]["change"], 2);
        for provider in [
            "hoverProvider",
            "definitionProvider",
            "inlayHintProvider",
            "documentSymbolProvider",
        ] {
            assert_eq!(caps[provider], true, "{provider}");
        }
        let kinds = caps["codeActionProvider"]["codeActionKinds"].to_string();
        assert!(
            kinds.contains("quickfix") && kinds.contains("source.fixAll.manifest-lint"),
            "{kinds}"
        );
        assert_eq!(result["serverInfo"]["name"], "manifest-lint");
    }
}

#[tokio::test]
async fn diagnostics_on_open_and_on_change() {
    let mut client = inproc::offline().await;
    client.open(URI, 1, MANIFEST).await;
    let diagnostics = client.diagnostics(URI, 1).await;
    assert_eq!(codes(&diagnostics), ["redundant-scope", "duplicate-scope"]);

    let redundant = &diagnostics[0];
    assert_eq!(redundant["source"], "manifest-lint");
    assert_eq!(redundant["severity"], 4, "hint");
    assert_eq!(redundant["tags"], json!([1]), "unnecessary");
    assert!(
        redundant["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .ends_with("#redundant-scope"),
        "{redundant}"
    );
    assert_eq!(
        redundant["range"]["start"],
        find(MANIFEST, "\"com.example.tools\"", 1, 0)
    );
    assert_eq!(
        redundant["range"]["end"],
        find(MANIFEST, "\"com.example.tools\"", 1, 19)
    );
    let related = &redundant["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], URI);
    assert_eq!(
        related["location"]["range"]["start"],
        find(MANIFEST, "\"com.example\"", 0, 0)
    );

    let duplicate = &diagnostics[1];
    assert_eq!(duplicate["severity"], 2, "warning");
    assert_eq!(
        duplicate["range"]["start"],
        find(MANIFEST, "\"com.example\"", 1, 0)
    );

    // Delete the repeated scope's line with an incremental change.
    let line = find(MANIFEST, "\"com.example\",", 1, 0)["line"]
        .as_u64()
        .unwrap() as u32;
    client
        .change(
            URI,
            2,
            json!([{ "range": {"start": pos(line, 0), "end": pos(line + 1, 0)}, "text": "" }]),
        )
        .await;
    let diagnostics = client.diagnostics(URI, 2).await;
    assert_eq!(codes(&diagnostics), ["redundant-scope"]);
}

#[tokio::test]
async fn hover_explains_dependencies_scopes_and_registries() {
    let mut client = inproc::offline().await;
    client.open(URI, 1, MANIFEST).await;

    let on_name = hover_text(&mut client, URI, find(MANIFEST, "com.example.tools", 0, 3))
        .await
        .unwrap();
    assert!(on_name.contains("**OpenUPM**"), "{on_name}");
    assert!(on_name.contains("https://package.openupm.com"), "{on_name}");
    assert!(on_name.contains("names this package exactly"), "{on_name}");
    assert!(on_name.contains("Also matched `com.example`"), "{on_name}");
    let on_value = hover_text(&mut client, URI, find(MANIFEST, "1.2.0", 0, 1))
        .await
        .unwrap();
    assert_eq!(on_name, on_value);

    let unity = hover_text(&mut client, URI, find(MANIFEST, "com.unity.ugui", 0, 0))
        .await
        .unwrap();
    assert!(unity.contains("Unity's registry"), "{unity}");

    let scope = hover_text(&mut client, URI, find(MANIFEST, "jp.keijiro", 1, 2))
        .await
        .unwrap();
    assert!(scope.contains("Serves 1 dependency"), "{scope}");
    assert!(scope.contains("jp.keijiro.klak.ndi"), "{scope}");

    let redundant = hover_text(&mut client, URI, find(MANIFEST, "com.example.tools", 1, 2))
        .await
        .unwrap();
    assert!(redundant.contains("redundant-scope"), "{redundant}");

    // The first listing of a repeated scope: the finding is on the second, with a label here.
    let first = hover_text(&mut client, URI, find(MANIFEST, "\"com.example\"", 0, 2))
        .await
        .unwrap();
    assert!(
        first.contains("duplicate-scope` (reported elsewhere, pointing here)"),
        "{first}"
    );

    let url = hover_text(&mut client, URI, find(MANIFEST, "openupm.com", 0, 0))
        .await
        .unwrap();
    assert!(url.contains("Registry OpenUPM"), "{url}");
    assert!(url.contains("Online checks are off"), "{url}");

    assert_eq!(hover_text(&mut client, URI, pos(0, 0)).await, None);

    // Local and Git packages go to no registry.
    let text = r#"{"dependencies": {"com.acme.local": "file:../Acme", "com.acme.git": "https://github.com/acme/x.git#v1"}}"#;
    client.change_all(URI, 2, text).await;
    let local = hover_text(&mut client, URI, find(text, "acme.local", 0, 0))
        .await
        .unwrap();
    assert!(local.contains("local folder or tarball"), "{local}");
    let git = hover_text(&mut client, URI, find(text, "acme.git", 0, 0))
        .await
        .unwrap();
    assert!(git.contains("a Git repository"), "{git}");
    let hints = client
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": td(URI), "range": {"start": pos(0, 0), "end": pos(1, 0)}}),
        )
        .await;
    let labels: Vec<&str> = hints
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["→ local", "→ Git"]);
}

#[tokio::test]
async fn quick_fixes_and_fix_all_mend_the_text() {
    let mut client = inproc::start();
    client
        .initialize(
            json!({"workspace": {"workspaceEdit": {"documentChanges": true}}}),
            json!({"online": false}),
        )
        .await;
    client.open(URI, 7, MANIFEST).await;
    client.diagnostics(URI, 7).await;

    let at = find(MANIFEST, "\"com.example\"", 1, 3);
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": td(URI), "range": {"start": at, "end": at}, "context": {"diagnostics": []}}),
        )
        .await;
    let actions = actions.as_array().unwrap();
    let quick = actions
        .iter()
        .find(|a| a["kind"] == "quickfix")
        .expect("a quick fix");
    assert_eq!(quick["title"], "Remove the repeated scope");
    assert_eq!(quick["isPreferred"], true);
    assert_eq!(quick["diagnostics"][0]["code"], "duplicate-scope");
    let change = &quick["edit"]["documentChanges"][0];
    assert_eq!(change["textDocument"]["version"], 7);
    let fixed = apply_edits(MANIFEST, change["edits"].as_array().unwrap());
    assert_eq!(fixed.matches("\"com.example\"").count(), 1, "{fixed}");
    assert!(serde_json::from_str::<Value>(&fixed).is_ok(), "{fixed}");

    let only_fix_all = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": td(URI), "range": {"start": pos(0, 0), "end": pos(0, 0)},
                   "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
        )
        .await;
    let only_fix_all = only_fix_all.as_array().unwrap();
    assert_eq!(only_fix_all.len(), 1, "{only_fix_all:?}");
    assert_eq!(only_fix_all[0]["kind"], "source.fixAll.manifest-lint");
    assert_eq!(only_fix_all[0]["title"], "Fix all safe problems");
    let edits = only_fix_all[0]["edit"]["documentChanges"][0]["edits"]
        .as_array()
        .unwrap();
    let all_fixed = apply_edits(MANIFEST, edits);
    client.change_all(URI, 8, &all_fixed).await;
    assert_eq!(
        client.diagnostics(URI, 8).await,
        Vec::<Value>::new(),
        "{all_fixed}"
    );
    assert!(
        all_fixed.contains("\"com.example\",\n        \"jp.keijiro\""),
        "{all_fixed}"
    );
}

#[tokio::test]
async fn fix_all_without_document_changes_uses_changes() {
    let mut client = inproc::offline().await;
    client.open(URI, 1, MANIFEST).await;
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": td(URI), "range": {"start": pos(0, 0), "end": pos(0, 0)},
                   "context": {"diagnostics": [], "only": ["source"]}}),
        )
        .await;
    let edits = actions[0]["edit"]["changes"][URI]
        .as_array()
        .expect("changes");
    let fixed = apply_edits(MANIFEST, edits);
    assert!(!fixed.contains("\"com.example.tools\",\n"), "{fixed}");
}

#[tokio::test]
async fn definition_goes_to_the_winning_scope() {
    let mut client = inproc::offline().await;
    client.open(URI, 1, MANIFEST).await;
    let location = client
        .request(
            "textDocument/definition",
            json!({"textDocument": td(URI), "position": find(MANIFEST, "klak.ndi", 0, 0)}),
        )
        .await;
    assert_eq!(location["uri"], URI);
    assert_eq!(
        location["range"]["start"],
        find(MANIFEST, "\"jp.keijiro\"", 0, 0)
    );
    let none = client
        .request(
            "textDocument/definition",
            json!({"textDocument": td(URI), "position": find(MANIFEST, "com.unity.ugui", 0, 1)}),
        )
        .await;
    assert_eq!(none, Value::Null);
}

#[tokio::test]
async fn inlay_hints_name_the_registry() {
    let mut client = inproc::offline().await;
    client.open(URI, 1, MANIFEST).await;
    let whole = json!({"start": pos(0, 0), "end": pos(99, 0)});
    let hints = client
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": td(URI), "range": whole}),
        )
        .await;
    let labels: Vec<&str> = hints
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["→ OpenUPM", "→ Unity", "→ OpenUPM"]);
    assert_eq!(hints[0]["position"], find(MANIFEST, "\"1.2.0\"", 0, 7));
    // A range that holds only the second dependency.
    let line = find(MANIFEST, "com.unity.ugui", 0, 0)["line"]
        .as_u64()
        .unwrap() as u32;
    let hints = client
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": td(URI), "range": {"start": pos(line, 0), "end": pos(line, 99)}}),
        )
        .await;
    assert_eq!(hints.as_array().unwrap().len(), 1);

    let mut quiet = inproc::with_options(json!({"online": false, "inlayHints": false})).await;
    quiet.open(URI, 1, MANIFEST).await;
    let hints = quiet
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": td(URI), "range": whole}),
        )
        .await;
    assert_eq!(hints, json!([]));
}

#[tokio::test]
async fn completion_of_keys_values_and_scopes() {
    let mut client = inproc::offline().await;
    let text = "{\n  \"dependencies\": {\"com.acme.tools.a\": \"1.0.0\", \"com.acme.b\": \"1.0.0\"},\n  \"resolutionStrategy\": \"\",\n  \"scopedRegistries\": [{\"name\": \"Acme\", \"url\": \"https://npm.acme.example\", \"scopes\": [\"\"]}]\n}\n";
    client.open(URI, 1, text).await;
    client.diagnostics(URI, 1).await;

    let complete = |position: Value| json!({"textDocument": td(URI), "position": position});
    // Inside `"scopes": [""]`.
    let items = client
        .request(
            "textDocument/completion",
            complete(find(text, "[\"\"]", 0, 2)),
        )
        .await;
    let items = items.as_array().unwrap();
    assert_eq!(items[0]["label"], "com.acme", "{items:?}");
    let edit = &items[0]["textEdit"];
    let fixed = apply_edits(text, std::slice::from_ref(edit));
    assert!(fixed.contains("\"scopes\": [\"com.acme\"]"), "{fixed}");

    let items = client
        .request(
            "textDocument/completion",
            complete(find(text, "\"\",\n", 0, 1)),
        )
        .await;
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        ["lowest", "highestPatch", "highestMinor", "highest"]
    );

    // A key typed at the top level (the text is not JSON any more).
    let typing = text.replacen("{\n", "{\n  \"te\n", 1);
    client.change_all(URI, 2, &typing).await;
    let items = client
        .request("textDocument/completion", complete(pos(1, 5)))
        .await;
    let items = items.as_array().unwrap();
    let labels: Vec<&str> = items.iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert!(
        labels.contains(&"testables") && !labels.contains(&"dependencies"),
        "{labels:?}"
    );
    let testables = items.iter().find(|i| i["label"] == "testables").unwrap();
    let fixed = apply_edits(&typing, &[testables["textEdit"].clone()]);
    assert!(fixed.starts_with("{\n  \"testables\"\n"), "{fixed}");
}

#[tokio::test]
async fn document_symbols_outline_registries_and_dependencies() {
    let mut client = inproc::offline().await;
    client.open(URI, 1, MANIFEST).await;
    let symbols = client
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": td(URI)}),
        )
        .await;
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["dependencies", "scopedRegistries"]);
    let deps = symbols[0]["children"].as_array().unwrap();
    assert_eq!(deps.len(), 3);
    assert_eq!(deps[0]["name"], "com.example.tools");
    assert_eq!(deps[0]["detail"], "1.2.0");
    let registry = &symbols[1]["children"][0];
    assert_eq!(registry["name"], "OpenUPM");
    let scopes: Vec<&str> = registry["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        scopes,
        [
            "com.example",
            "com.example.tools",
            "com.example",
            "jp.keijiro"
        ]
    );
}

#[tokio::test]
async fn a_burst_of_changes_ends_with_the_diagnostics_of_the_final_text() {
    let mut client = inproc::offline().await;
    client.open(URI, 1, MANIFEST).await;
    let mut text = MANIFEST.to_string();
    // Type a new scope, one character per change, after the last one.
    let anchor = text.find("\"jp.keijiro\"").unwrap() + "\"jp.keijiro\"".len();
    let typed = ", \"com.example.*\", \"@npm\"";
    let mut sent = 0;
    for (i, ch) in typed.chars().enumerate() {
        let at = utf16_at(&text, anchor + i);
        text.insert(anchor + i, ch);
        client
            .change(
                URI,
                2 + i as i64,
                json!([{ "range": {"start": at, "end": at}, "text": ch.to_string() }]),
            )
            .await;
        sent += 1;
    }
    // And some more changes elsewhere, up to 50.
    while sent < 50 {
        let at = utf16_at(&text, 1);
        text.insert(1, ' ');
        client
            .change(
                URI,
                2 + sent,
                json!([{ "range": {"start": at, "end": at}, "text": " " }]),
            )
            .await;
        sent += 1;
    }
    let final_version = 1 + sent;
    let mut seen = Vec::new();
    let last = loop {
        let params = client
            .wait_for("textDocument/publishDiagnostics", |p| p["uri"] == URI)
            .await;
        let version = params["version"].as_i64().unwrap();
        seen.push(version);
        if version == final_version {
            break params;
        }
    };
    assert!(
        seen.windows(2).all(|w| w[0] < w[1]),
        "versions out of order: {seen:?}"
    );

    // The same text opened fresh gives the same diagnostics.
    let other = "file:///other/Packages/manifest.json";
    client.open(other, 1, &text).await;
    let fresh = client.diagnostics(other, 1).await;
    assert_eq!(
        last["diagnostics"].to_string(),
        Value::from(fresh.clone()).to_string().replace(other, URI)
    );
    assert!(
        codes(&fresh).contains(&"glob-scope".to_string()),
        "{:?}",
        codes(&fresh)
    );
    assert!(
        codes(&fresh).contains(&"npm-scope-notation".to_string()),
        "{:?}",
        codes(&fresh)
    );
}

#[tokio::test]
async fn columns_after_astral_characters_in_each_encoding() {
    let text = "{\"scopedRegistries\": [{\"name\": \"😀 Émoji 😀\", \"url\": \"https://x.example.com\", \"scopes\": [\"com.example.*\"]}]}";
    let start = text.find("\"com.example.*\"").unwrap();
    let prefix = &text[..start];
    let cases = [
        (json!({}), prefix.encode_utf16().count()),
        (
            json!({"general": {"positionEncodings": ["utf-8"]}}),
            prefix.len(),
        ),
        (
            json!({"general": {"positionEncodings": ["utf-32"]}}),
            prefix.chars().count(),
        ),
    ];
    for (capabilities, column) in cases {
        let mut client = inproc::start();
        client
            .initialize(capabilities.clone(), json!({"online": false}))
            .await;
        client.open(URI, 1, text).await;
        let diagnostics = client.diagnostics(URI, 1).await;
        let glob = diagnostics
            .iter()
            .find(|d| d["code"] == "glob-scope")
            .expect("glob-scope");
        assert_eq!(
            glob["range"]["start"],
            pos(0, column as u32),
            "{capabilities}"
        );
        // Hovering at that column finds the scope.
        let hover = hover_text(&mut client, URI, pos(0, column as u32 + 1))
            .await
            .unwrap();
        assert!(hover.contains("Scope `com.example.*`"), "{hover}");
    }
    assert_ne!(prefix.encode_utf16().count(), prefix.len());
}

#[tokio::test]
async fn crlf_text_edits_and_positions() {
    let crlf = MANIFEST.replace('\n', "\r\n");
    let mut client = inproc::offline().await;
    client.open(URI, 1, &crlf).await;
    let diagnostics = client.diagnostics(URI, 1).await;
    assert_eq!(
        diagnostics[1]["range"]["start"],
        find(MANIFEST, "\"com.example\"", 1, 0)
    );

    // Insert a dependency line before `"com.unity.ugui"`; the CRLF of the edited line stays.
    let line = find(MANIFEST, "com.unity.ugui", 0, 0)["line"]
        .as_u64()
        .unwrap() as u32;
    client
        .change(URI, 2, json!([{ "range": {"start": pos(line, 0), "end": pos(line, 0)}, "text": "    \"com.acme.x\": \"1.0.0\",\r\n" }]))
        .await;
    let diagnostics = client.diagnostics(URI, 2).await;
    let duplicate = diagnostics
        .iter()
        .find(|d| d["code"] == "duplicate-scope")
        .unwrap();
    assert_eq!(duplicate["range"]["start"], pos(line + 11, 8));
    let hover = hover_text(&mut client, URI, pos(line, 8)).await.unwrap();
    assert!(hover.contains("com.acme.x"), "{hover}");
    // A position past the end of a CRLF line is the end of the line, not the next one.
    let hover = hover_text(&mut client, URI, pos(line + 1, 200)).await;
    assert!(hover.is_none(), "{hover:?}");
    // The fix's edit, applied to the CRLF text, removes exactly the repeated scope.
    let at = pos(line + 11, 10);
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": td(URI), "range": {"start": at, "end": at}, "context": {"diagnostics": [], "only": ["quickfix"]}}),
        )
        .await;
    let edit = &actions[0]["edit"]["changes"][URI][0];
    assert_eq!(edit["range"]["start"], pos(line + 10, 27));
    assert_eq!(edit["range"]["end"], pos(line + 11, 21));
}

#[tokio::test]
async fn other_json_files_get_nothing() {
    let mut client = inproc::offline().await;
    let other = "file:///game/Packages/com.acme.tools/package.json";
    client.open(other, 1, MANIFEST).await;
    client.change_all(other, 2, "{").await;
    let uri_params =
        json!({"textDocument": td(other), "position": find(MANIFEST, "com.unity", 0, 0)});
    assert_eq!(
        client
            .request("textDocument/hover", uri_params.clone())
            .await,
        Value::Null
    );
    assert_eq!(
        client
            .request("textDocument/completion", uri_params.clone())
            .await,
        Value::Null
    );
    assert_eq!(
        client.request("textDocument/definition", uri_params).await,
        Value::Null
    );
    assert_eq!(
        client
            .request(
                "textDocument/documentSymbol",
                json!({"textDocument": td(other)})
            )
            .await,
        Value::Null
    );
    let messages = client.drain(Duration::from_millis(300)).await;
    assert!(
        !messages
            .iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics"),
        "{messages:?}"
    );
}

#[tokio::test]
async fn invalid_json_keeps_hover_and_definition_from_the_last_parse() {
    let mut client = inproc::offline().await;
    client.open(URI, 1, MANIFEST).await;
    client.diagnostics(URI, 1).await;
    // Start typing a new dependency at the top: the text is no longer JSON.
    let typing = MANIFEST.replacen(
        "\"dependencies\": {\n",
        "\"dependencies\": {\n    \"com.ac\n",
        1,
    );
    client.change_all(URI, 2, &typing).await;
    let diagnostics = client.diagnostics(URI, 2).await;
    assert!(
        codes(&diagnostics).contains(&"invalid-json".to_string()),
        "{diagnostics:?}"
    );

    let hover = hover_text(&mut client, URI, find(&typing, "jp.keijiro.klak", 0, 2))
        .await
        .unwrap();
    assert!(
        hover.contains("jp.keijiro.klak.ndi") && hover.contains("OpenUPM"),
        "{hover}"
    );
    let location = client
        .request(
            "textDocument/definition",
            json!({"textDocument": td(URI), "position": find(&typing, "klak.ndi", 0, 0)}),
        )
        .await;
    assert_eq!(
        location["range"]["start"],
        find(&typing, "\"jp.keijiro\"", 0, 0)
    );
    // The token being typed was not in the last parse.
    assert_eq!(
        hover_text(&mut client, URI, find(&typing, "com.ac\n", 0, 2)).await,
        None
    );
}

#[tokio::test]
async fn settings_from_initialization_options_and_configuration() {
    // Rule levels in the wrapped shape.
    let mut client = inproc::with_options(json!({"manifestLint": {"online": false, "rules": {"duplicate-scope": "off", "redundant-scope": "error"}}})).await;
    client.open(URI, 1, MANIFEST).await;
    let diagnostics = client.diagnostics(URI, 1).await;
    assert_eq!(codes(&diagnostics), ["redundant-scope"]);
    assert_eq!(diagnostics[0]["severity"], 1);

    // A client that answers workspace/configuration; null initialization options.
    let mut client = inproc::start();
    client.configuration = json!({"online": false, "rules": {"redundant-scope": "off"}});
    client
        .initialize(json!({"workspace": {"configuration": true}}), Value::Null)
        .await;
    client.open(URI, 1, MANIFEST).await;
    let diagnostics = loop {
        let d = client.diagnostics(URI, 1).await;
        if codes(&d) == ["duplicate-scope"] {
            break d;
        }
    };
    assert_eq!(diagnostics.len(), 1);
    assert!(
        client
            .server_requests
            .contains(&"workspace/configuration".to_string())
    );

    // didChangeConfiguration makes the server ask again and re-lint.
    client.configuration = json!({"online": false, "rules": {"duplicate-scope": "hint"}});
    client
        .notify(
            "workspace/didChangeConfiguration",
            json!({"settings": null}),
        )
        .await;
    let diagnostics = client.diagnostics(URI, 1).await;
    assert_eq!(codes(&diagnostics), ["redundant-scope", "duplicate-scope"]);
    assert_eq!(diagnostics[1]["severity"], 4);

    // A wrong value is ignored, and the user is told.
    let mut client =
        inproc::with_options(json!({"online": false, "registryTimeout": "soon"})).await;
    let log = client.wait_for("window/logMessage", |_| true).await;
    assert!(
        log["message"].as_str().unwrap().contains("registryTimeout"),
        "{log}"
    );

    // A client without workspace/configuration pushes its settings.
    let mut client = inproc::offline().await;
    client.open(URI, 1, MANIFEST).await;
    client.diagnostics(URI, 1).await;
    client
        .notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"manifestLint": {"online": false, "rules": {"redundant-scope": "off", "duplicate-scope": "off"}}}}),
        )
        .await;
    assert_eq!(client.diagnostics(URI, 1).await, Vec::<Value>::new());
}

#[tokio::test]
async fn odd_client_input_is_clamped_or_refused_never_fatal() {
    let mut client = inproc::offline().await;
    client.open(URI, 1, MANIFEST).await;
    // Positions far outside the text.
    assert_eq!(hover_text(&mut client, URI, pos(9999, 9999)).await, None);
    let hover = hover_text(&mut client, URI, pos(2, 9999)).await;
    assert!(hover.is_none(), "{hover:?}");
    // An edit whose range runs past the end: clamped to the end.
    client
        .change(
            URI,
            2,
            json!([{ "range": {"start": pos(18, 1), "end": pos(500, 7)}, "text": "\n\n" }]),
        )
        .await;
    client.diagnostics(URI, 2).await;
    // A reversed range.
    client
        .change(
            URI,
            3,
            json!([{ "range": {"start": pos(0, 1), "end": pos(0, 0)}, "text": "" }]),
        )
        .await;
    client.diagnostics(URI, 3).await;
    // Unknown documents, malformed parameters, an unknown method.
    client
        .change(
            "file:///nowhere/Packages/manifest.json",
            5,
            json!([{ "text": "{}" }]),
        )
        .await;
    let bad = client
        .request_raw("textDocument/hover", json!({"nonsense": true}))
        .await;
    assert!(bad.get("error").is_some(), "{bad}");
    let unknown = client.request_raw("manifestLint/unknown", json!({})).await;
    assert!(unknown.get("error").is_some(), "{unknown}");
    // Still serving.
    let hover = hover_text(&mut client, URI, find(MANIFEST, "com.unity.ugui", 0, 1)).await;
    assert!(hover.is_some());
}

#[tokio::test]
async fn shutdown_then_exit_ends_the_server() {
    let (mut client, handle) = inproc::start_with_handle();
    client.initialize(json!({}), json!({"online": false})).await;
    client.open(URI, 1, MANIFEST).await;
    client.shutdown_and_exit().await;
    let clean = tokio::time::timeout(Duration::from_secs(5), handle)
        .await
        .expect("the server stops after exit")
        .unwrap();
    assert!(clean);
}

#[tokio::test]
async fn the_lock_file_and_project_configuration_beside_the_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let game = dir.path().join("Game");
    let packages = game.join("Packages");
    std::fs::create_dir_all(&packages).unwrap();
    std::fs::create_dir_all(game.join(".git")).unwrap();
    let manifest = r#"{
  "dependencies": { "com.example.tools": "1.2.0" },
  "scopedRegistries": [
    { "name": "Example", "url": "https://npm.example.com", "scopes": ["com.example", "com.example.tools"] }
  ]
}
"#;
    let lock = |url: &str| {
        json!({"dependencies": {"com.example.tools": {
            "version": "1.2.0", "depth": 0, "source": "registry", "dependencies": {}, "url": url}}})
        .to_string()
    };
    std::fs::write(packages.join("manifest.json"), manifest).unwrap();
    std::fs::write(
        packages.join("packages-lock.json"),
        lock("https://old.example.com"),
    )
    .unwrap();
    std::fs::write(
        game.join("manifest-lint.toml"),
        "[rules]\nredundant-scope = \"off\"\n",
    )
    .unwrap();
    let uri = format!("file://{}", packages.join("manifest.json").display());

    // The project's configuration turns redundant-scope off; the lock is stale.
    let mut client = inproc::offline().await;
    client.open(&uri, 1, manifest).await;
    assert_eq!(codes(&client.diagnostics(&uri, 1).await), ["stale-lock"]);

    // The editor's rule levels win over the project's.
    let mut editor =
        inproc::with_options(json!({"online": false, "rules": {"redundant-scope": "warning"}}))
            .await;
    editor.open(&uri, 1, manifest).await;
    let mut got = codes(&editor.diagnostics(&uri, 1).await);
    got.sort();
    assert_eq!(got, ["redundant-scope", "stale-lock"]);

    // Unity re-resolved: the lock changes on disk and the client says so.
    std::fs::write(
        packages.join("packages-lock.json"),
        lock("https://npm.example.com"),
    )
    .unwrap();
    client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": format!("file://{}", packages.join("packages-lock.json").display()), "type": 2}]}),
        )
        .await;
    assert_eq!(client.diagnostics(&uri, 1).await, Vec::<Value>::new());

    // Saving the manifest reads the configuration again.
    std::fs::write(game.join("manifest-lint.toml"), "[rules]\n").unwrap();
    client
        .notify(
            "textDocument/didSave",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    assert_eq!(
        codes(&client.diagnostics(&uri, 1).await),
        ["redundant-scope"]
    );
}

#[tokio::test]
async fn registrations_and_inlay_hint_refresh_when_the_client_allows_them() {
    let mut client = inproc::start();
    client.configuration = json!({"online": false});
    client
        .initialize(
            json!({"workspace": {
                "configuration": true,
                "didChangeConfiguration": {"dynamicRegistration": true},
                "didChangeWatchedFiles": {"dynamicRegistration": true},
                "inlayHint": {"refreshSupport": true}}}),
            json!({"online": false}),
        )
        .await;
    client.open(URI, 1, MANIFEST).await;
    client.diagnostics(URI, 1).await;
    client.drain(Duration::from_millis(200)).await;
    assert!(
        client
            .server_requests
            .contains(&"client/registerCapability".to_string()),
        "{:?}",
        client.server_requests
    );
    // Configuration changes: only for our section, not every setting of the editor.
    let configuration = client
        .registrations
        .iter()
        .find(|r| r["method"] == "workspace/didChangeConfiguration")
        .unwrap_or_else(|| panic!("{:?}", client.registrations));
    assert_eq!(
        configuration["registerOptions"],
        json!({"section": "manifestLint"})
    );
    client.configuration = json!({"online": false, "inlayHints": false});
    client
        .notify(
            "workspace/didChangeConfiguration",
            json!({"settings": null}),
        )
        .await;
    client.drain(Duration::from_millis(300)).await;
    assert!(
        client
            .server_requests
            .contains(&"workspace/inlayHint/refresh".to_string()),
        "{:?}",
        client.server_requests
    );
    let hints = client
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": td(URI), "range": {"start": pos(0, 0), "end": pos(99, 0)}}),
        )
        .await;
    assert_eq!(hints, json!([]));
}

#[tokio::test]
async fn hover_and_inlay_hints_on_a_malformed_git_url_say_git() {
    let mut client = inproc::offline().await;
    let text = "{\n  \"dependencies\": {\n    \"com.example.tools\": \"https://github.com/example/tools.git#v1?path=/sub\",\n    \"com.unity.modules.audio\": \"1.0.0\"\n  },\n  \"scopedRegistries\": [{\"name\": \"Example\", \"url\": \"https://npm.example.com\", \"scopes\": [\"com.example\"]}]\n}\n";
    client.open(URI, 1, text).await;
    let on_name = hover_text(&mut client, URI, find(text, "com.example.tools", 0, 3))
        .await
        .unwrap();
    assert!(on_name.contains("a Git repository"), "{on_name}");
    assert!(
        on_name.contains("cannot use the value as written"),
        "{on_name}"
    );
    assert!(!on_name.contains("npm.example.com"), "{on_name}");
    let module = hover_text(
        &mut client,
        URI,
        find(text, "com.unity.modules.audio", 0, 3),
    )
    .await
    .unwrap();
    assert!(module.contains("built-in"), "{module}");
    let whole = json!({"start": pos(0, 0), "end": pos(99, 0)});
    let hints = client
        .request(
            "textDocument/inlayHint",
            json!({"textDocument": td(URI), "range": whole}),
        )
        .await;
    let labels: Vec<&str> = hints
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["→ Git (malformed)", "→ Editor (built-in)"]);
}

/// Waits for a publication of `uri` at `version` whose codes (sorted) are `want`.
async fn diagnostics_become(client: &mut TestClient, uri: &str, version: i64, want: &[&str]) {
    client
        .wait_for("textDocument/publishDiagnostics", |p| {
            let mut got = codes(p["diagnostics"].as_array().unwrap_or(&Vec::new()));
            got.sort();
            p["uri"] == uri && p["version"] == json!(version) && got == want
        })
        .await;
}

#[tokio::test]
async fn project_diagnostics_from_the_packages_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let game = dir.path().join("Game");
    let packages = game.join("Packages");
    std::fs::create_dir_all(packages.join("Tools")).unwrap();
    std::fs::create_dir_all(game.join("ProjectSettings")).unwrap();
    std::fs::create_dir_all(game.join(".git")).unwrap();
    std::fs::write(
        game.join("ProjectSettings/ProjectVersion.txt"),
        "m_EditorVersion: 2021.3.20f1\n",
    )
    .unwrap();
    let tools = |unity: &str| {
        format!(r#"{{"name": "com.acme.tools", "version": "2.0.0", "unity": "{unity}"}}"#)
    };
    std::fs::write(packages.join("Tools/package.json"), tools("2022.3")).unwrap();
    let manifest = r#"{
  "dependencies": {
    "com.acme.tools": "1.0.0",
    "com.acme.local": "file:../local"
  }
}
"#;
    std::fs::write(packages.join("manifest.json"), manifest).unwrap();
    let uri = format!("file://{}", packages.join("manifest.json").display());

    let mut client = inproc::offline().await;
    client.open(&uri, 1, manifest).await;
    // Read in the background, then published.
    diagnostics_become(
        &mut client,
        &uri,
        1,
        &["editor-too-old", "local-package-missing"],
    )
    .await;

    // The local package appears and the manifest is saved.
    std::fs::create_dir_all(game.join("local")).unwrap();
    std::fs::write(
        game.join("local/package.json"),
        r#"{"name": "com.acme.local", "version": "1.0.0"}"#,
    )
    .unwrap();
    client
        .notify(
            "textDocument/didSave",
            json!({"textDocument": {"uri": uri}}),
        )
        .await;
    diagnostics_become(&mut client, &uri, 1, &["editor-too-old"]).await;

    // The embedded package is made for the project's Editor: a watched file changed.
    std::fs::write(packages.join("Tools/package.json"), tools("2021.3")).unwrap();
    client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": format!("file://{}", packages.join("Tools/package.json").display()), "type": 2}]}),
        )
        .await;
    diagnostics_become(&mut client, &uri, 1, &[]).await;
}

#[tokio::test]
async fn hover_on_a_dependency_lists_what_it_pulls_in() {
    let project = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/projects/tree-sample")
        .canonicalize()
        .unwrap();
    let path = project.join("Packages/manifest.json");
    let manifest = std::fs::read_to_string(&path).unwrap();
    let uri = format!("file://{}", path.display());
    let mut client = inproc::offline().await;
    client.open(&uri, 1, &manifest).await;
    // The project is read in the background: poll (bounded) until the hover knows the graph.
    let on = |name: &str| find(&manifest, name, 0, 2);
    let mut game = None;
    for _ in 0..200 {
        let text = hover_text(&mut client, &uri, on("com.acme.game")).await;
        if text.as_deref().is_some_and(|t| t.contains("Pulls in")) {
            game = text;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let game = game.expect("the hover lists what com.acme.game pulls in");
    assert!(
        game.contains("- `com.acme.core` 1.1.0 (asked 1.0.0), from `https://npm.acme.example`"),
        "{game}"
    );
    assert!(
        game.contains("- `com.unity.ugui` 1.0.0, built-in"),
        "{game}"
    );
    assert!(
        game.contains("  - `com.unity.modules.imgui` 1.0.0, built-in"),
        "{game}"
    );

    let tools = hover_text(&mut client, &uri, on("com.acme.tools"))
        .await
        .unwrap();
    assert!(
        tools.contains("An embedded package (`Packages/com.acme.tools`) wins"),
        "{tools}"
    );
    assert!(tools.contains("- `com.acme.core` 1.1.0, from"), "{tools}");

    let shared = hover_text(&mut client, &uri, on("com.acme.shared"))
        .await
        .unwrap();
    assert!(
        shared.contains("- `com.partner.sdk` 2.0.0, from `https://packages.unity.com`"),
        "{shared}"
    );
}
