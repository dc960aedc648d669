//! Online checks in the language server, against a small registry served on 127.0.0.1.

mod common;
mod inproc;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{TestClient, apply_edits, codes, find};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const URI: &str = "file:///game/Packages/manifest.json";

/// A registry that has `com.example.present` (versions 1.0.0 and 1.1.0), answers search, and
/// answers 404 for everything else. Records every request path.
async fn registry() -> (String, Arc<Mutex<Vec<String>>>) {
    serve(|path| {
        if path.starts_with("/-/v1/search") {
            (200, json!({"objects": [], "total": 0}))
        } else if path == "/com.example.present" {
            (
                200,
                json!({"name": "com.example.present",
                       "versions": {"1.0.0": {}, "1.1.0": {}},
                       "dist-tags": {"latest": "1.1.0"}}),
            )
        } else {
            (404, json!({"error": "not found"}))
        }
    })
    .await
}

/// A registry on 127.0.0.1 answering each request (path and query) through `answer`, after
/// 300 ms for a search of 250 results (so that no completion can have them at once). Records
/// every request path.
async fn serve(
    answer: impl Fn(&str) -> (u16, Value) + Send + Sync + 'static,
) -> (String, Arc<Mutex<Vec<String>>>) {
    let answer = Arc::new(answer);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let log = log.clone();
            let answer = answer.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 65536 {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&head);
                let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
                log.lock().unwrap().push(path.clone());
                if path.contains("size=250") {
                    tokio::time::sleep(Duration::from_millis(300)).await;
                }
                let (status, body) = answer(&path);
                let body = body.to_string();
                let response = format!(
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(response.as_bytes()).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    (url, seen)
}

fn manifest(url: &str) -> String {
    format!(
        r#"{{
  "dependencies": {{
    "com.example.present": "1.0.0",
    "com.example.missing": "1.0.0"
  }},
  "scopedRegistries": [
    {{ "name": "Local", "url": "{url}", "scopes": ["com.example"] }}
  ]
}}
"#
    )
}

async fn hover(client: &mut TestClient, position: Value) -> String {
    let result = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": position}),
        )
        .await;
    result["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn a_missing_package_is_reported_after_the_background_probe() {
    let (url, seen) = registry().await;
    let text = manifest(&url);
    // A registry on loopback is asked only because the user trusts it explicitly.
    let mut client = inproc::with_options(
        json!({"online": true, "registryTimeout": 5, "trustedRegistries": [url]}),
    )
    .await;
    client.open(URI, 1, &text).await;

    let with_facts = client
        .wait_for("textDocument/publishDiagnostics", |p| {
            p["uri"] == URI && p["diagnostics"].to_string().contains("package-not-found")
        })
        .await;
    assert_eq!(with_facts["version"], 1);
    let diagnostics = with_facts["diagnostics"].as_array().unwrap();
    let missing = diagnostics
        .iter()
        .find(|d| d["code"] == "package-not-found")
        .unwrap();
    assert_eq!(
        missing["range"]["start"],
        find(&text, "\"com.example.missing\"", 0, 0)
    );
    assert_eq!(
        codes(diagnostics)
            .iter()
            .filter(|c| *c == "package-not-found")
            .count(),
        1
    );
    let requests = seen.lock().unwrap().clone();
    assert!(
        requests.iter().any(|p| p.starts_with("/-/v1/search")),
        "{requests:?}"
    );
    assert!(
        requests.contains(&"/com.example.missing".to_string()),
        "{requests:?}"
    );

    // Typing re-lints with the facts at once, and does not ask the registry again.
    let before = seen.lock().unwrap().len();
    client.change_all(URI, 2, &format!("{text} ")).await;
    let diagnostics = client.diagnostics(URI, 2).await;
    assert!(
        codes(&diagnostics).contains(&"package-not-found".to_string()),
        "{diagnostics:?}"
    );
    client.drain(Duration::from_millis(300)).await;
    assert_eq!(seen.lock().unwrap().len(), before);

    // Hover tells what the registry said.
    let on_url = hover(&mut client, find(&text, "127.0.0.1", 0, 0)).await;
    assert!(on_url.contains("Status: reachable"), "{on_url}");
    let on_present = hover(&mut client, find(&text, "example.present", 0, 0)).await;
    assert!(
        on_present.contains("2 versions, latest `1.1.0`"),
        "{on_present}"
    );
    let on_missing = hover(&mut client, find(&text, "example.missing", 0, 0)).await;
    assert!(on_missing.contains("does not have it"), "{on_missing}");

    // Versions from the packument complete the value; the first answer is incomplete while the
    // full packument (the versions' `unity` requirements) is fetched in the background.
    let params = json!({"textDocument": {"uri": URI}, "position": find(&text, "1.0.0", 0, 0)});
    let first = client
        .request("textDocument/completion", params.clone())
        .await;
    assert_eq!(first["isIncomplete"], true, "{first}");
    let labels: Vec<&str> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["1.1.0", "1.0.0"]);
    assert_eq!(first["items"][0]["preselect"], true);
    // Once it is there (no `unity` in it: the details stay), the answer is whole.
    let deadline = Instant::now() + Duration::from_secs(10);
    let items = loop {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let result = client
            .request("textDocument/completion", params.clone())
            .await;
        if result.is_array() || Instant::now() > deadline {
            break result;
        }
    };
    assert_eq!(items[0]["label"], "1.1.0", "{items}");
    assert_eq!(items[0]["detail"], "latest", "{items}");
    assert_eq!(items[0]["preselect"], true);

    // A burst of edits adding a dependency: probed once typing pauses, for the last text only.
    let before = seen.lock().unwrap().len();
    let mut version = 3;
    let mut edited = String::new();
    for typed in ["com.example.o", "com.example.ot", "com.example.other"] {
        edited = text.replacen(
            "\"com.example.missing\"",
            &format!("\"{typed}\": \"1.0.0\",\n    \"com.example.missing\""),
            1,
        );
        client.change_all(URI, version, &edited).await;
        version += 1;
    }
    let last = version - 1;
    let probed = client
        .wait_for("textDocument/publishDiagnostics", |p| {
            p["version"] == last
                && p["diagnostics"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|d| d["code"] == "package-not-found")
                    .count()
                    == 2
        })
        .await;
    let other = find(&edited, "\"com.example.other\"", 0, 0);
    assert!(
        probed["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "package-not-found" && d["range"]["start"] == other),
        "{probed}"
    );
    let asked: Vec<String> = seen.lock().unwrap()[before..].to_vec();
    assert!(
        asked.contains(&"/com.example.other".to_string()),
        "{asked:?}"
    );
    assert!(
        !asked
            .iter()
            .any(|p| p == "/com.example.o" || p == "/com.example.ot"),
        "{asked:?}"
    );
}

#[tokio::test]
async fn no_request_is_made_when_online_is_false() {
    let (url, seen) = registry().await;
    let text = manifest(&url);

    // From initializationOptions.
    let mut client = inproc::offline().await;
    client.open(URI, 1, &text).await;
    client.diagnostics(URI, 1).await;
    client.change_all(URI, 2, &format!("{text} ")).await;
    client.diagnostics(URI, 2).await;
    let on_url = hover(&mut client, find(&text, "127.0.0.1", 0, 0)).await;
    assert!(on_url.contains("Online checks are off"), "{on_url}");

    // From workspace/configuration alone: no probe may start before its answer.
    let mut client = inproc::start();
    client.configuration = json!({"online": false});
    client
        .initialize(json!({"workspace": {"configuration": true}}), Value::Null)
        .await;
    client.open(URI, 1, &text).await;
    client.diagnostics(URI, 1).await;
    client.drain(Duration::from_millis(500)).await;
    assert!(
        client
            .server_requests
            .contains(&"workspace/configuration".to_string())
    );

    assert_eq!(*seen.lock().unwrap(), Vec::<String>::new());
}

/// A search answer listing `names` (latest 1.2.0, described as "About <name>").
fn search_answer(names: &[&str]) -> Value {
    let objects: Vec<Value> = names
        .iter()
        .map(|n| json!({"package": {"name": n, "version": "1.2.0", "description": format!("About {n}")}}))
        .collect();
    json!({"objects": objects, "total": names.len()})
}

thread_local! {
    /// The legacy-registry server of the test running on this thread: its URL and requests.
    static LEGACY: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    static LEGACY_SEEN: std::cell::RefCell<Arc<Mutex<Vec<String>>>> = std::cell::RefCell::new(Arc::default());
}

fn legacy_searches() -> Vec<String> {
    searches(&LEGACY_SEEN.with(|l| l.borrow().clone()))
}

/// Registry A (`com.example`), whose search also returns names that are not its own, and
/// registry B (`com.example.tools.pro`, a longer scope that captures some of A's names); and a
/// legacy `registry` (its requests are returned by [`legacy_searches`]).
async fn two_registries() -> (
    String,
    Arc<Mutex<Vec<String>>>,
    String,
    Arc<Mutex<Vec<String>>>,
) {
    let (legacy, legacy_seen) = serve(|path| {
        if path.starts_with("/-/v1/search") {
            // One name no scope matches, one that A's scope routes (not the default's to offer).
            (
                200,
                search_answer(&["com.exotic.thing", "com.example.captured"]),
            )
        } else {
            (404, json!({"error": "not found"}))
        }
    })
    .await;
    LEGACY.with(|l| *l.borrow_mut() = legacy);
    LEGACY_SEEN.with(|l| *l.borrow_mut() = legacy_seen);
    let (a, a_seen) = serve(|path| {
        if path.starts_with("/-/v1/search") {
            let names = [
                "com.example.tools",
                "com.example.tools.pro.hidden", // B's scope routes it: not A's to offer
                "com.example.present",          // already a dependency
                "org.mentions.com.example",     // fuzzy search: not under the typed text
            ];
            (200, search_answer(&names))
        } else {
            (404, json!({"error": "not found"}))
        }
    })
    .await;
    let (b, b_seen) = serve(|path| {
        if path.starts_with("/-/v1/search") {
            (200, search_answer(&["com.example.tools.pro.kit"]))
        } else {
            (404, json!({"error": "not found"}))
        }
    })
    .await;
    (a, a_seen, b, b_seen)
}

/// The manifest of the package-name tests. Its legacy `registry` (the default registry, searched
/// for names no scope matches) is a third local server, so that no test ever asks Unity's.
fn two_registry_manifest(a: &str, b: &str, typed: &str) -> String {
    let legacy = LEGACY.with(|l| l.borrow().clone());
    format!(
        r#"{{
  "registry": "{legacy}",
  "dependencies": {{
    {typed}
    "com.example.present": "1.0.0"
  }},
  "scopedRegistries": [
    {{ "name": "A", "url": "{a}", "scopes": ["com.example"] }},
    {{ "name": "B", "url": "{b}", "scopes": ["com.example.tools.pro"] }}
  ]
}}
"#
    )
}

fn searches(seen: &Arc<Mutex<Vec<String>>>) -> Vec<String> {
    seen.lock()
        .unwrap()
        .iter()
        .filter(|p| p.contains("size=250"))
        .cloned()
        .collect()
}

fn labels(result: &Value) -> Vec<String> {
    let items = result.get("items").unwrap_or(result);
    items
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|i| i["label"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn package_names_complete_from_the_registries_searches() {
    let (a, a_seen, b, b_seen) = two_registries().await;
    let mut client = inproc::with_options(
        // The legacy `registry` is a loopback server too: trusted like the others, or the
        // server would rightly never search it.
        json!({"online": true, "registryTimeout": 5,
            "trustedRegistries": [a, b, LEGACY.with(|l| l.borrow().clone())]}),
    )
    .await;
    let text = two_registry_manifest(&a, &b, "");
    client.open(URI, 1, &text).await;
    client.diagnostics(URI, 1).await;

    // The user starts a new key: the text is not JSON any more.
    let typing = two_registry_manifest(&a, &b, "\"com.ex");
    client.change_all(URI, 2, &typing).await;
    client.diagnostics(URI, 2).await;
    let at = find(&typing, "\"com.ex", 0, 7);
    let params = json!({"textDocument": {"uri": URI}, "position": at});

    // Nothing is cached: the answer comes at once, incomplete, while the searches run.
    let first = client
        .request("textDocument/completion", params.clone())
        .await;
    assert_eq!(first["isIncomplete"], true, "{first}");
    assert_eq!(labels(&first), Vec::<String>::new());

    // Asked again (as the client does on the next keystroke), once the searches are done.
    let deadline = Instant::now() + Duration::from_secs(10);
    let result = loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let result = client
            .request("textDocument/completion", params.clone())
            .await;
        if !labels(&result).is_empty() || Instant::now() > deadline {
            break result;
        }
    };
    assert_eq!(
        labels(&result),
        [
            "com.example.tools",
            "com.example.tools.pro.kit",
            "com.exotic.thing"
        ],
        "{result}"
    );
    assert_ne!(result["isIncomplete"], true, "{result}");
    let items = result.get("items").unwrap_or(&result).clone();
    assert_eq!(items[0]["detail"], "A, latest 1.2.0");
    assert_eq!(items[0]["documentation"], "About com.example.tools");
    assert_eq!(items[1]["detail"], "B, latest 1.2.0");
    assert!(
        items[2]["detail"]
            .as_str()
            .unwrap()
            .ends_with("(registry), latest 1.2.0"),
        "{result}"
    );
    // The key has no value yet: the completion writes it, and the comma before the next member.
    let completed = apply_edits(&typing, &[items[0]["textEdit"].clone()]);
    assert_eq!(
        completed,
        two_registry_manifest(&a, &b, "\"com.example.tools\": \"1.2.0\",")
    );

    // Each registry was searched once, for its own scope only.
    assert_eq!(
        searches(&a_seen),
        ["/-/v1/search?text=com.example&from=0&size=250"]
    );
    assert_eq!(
        searches(&b_seen),
        ["/-/v1/search?text=com.example.tools.pro&from=0&size=250"]
    );
    // The default registry, for the part before the typed text's last dot.
    assert_eq!(legacy_searches(), ["/-/v1/search?text=com&from=0&size=250"]);

    // Typing on narrows the cached answers down without asking again (they were whole).
    let longer = two_registry_manifest(&a, &b, "\"com.example.tools.p");
    client.change_all(URI, 3, &longer).await;
    let at = find(&longer, "\"com.example.tools.p", 0, 19);
    let result = client
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": URI}, "position": at}),
        )
        .await;
    assert_eq!(labels(&result), ["com.example.tools.pro.kit"], "{result}");
    client.drain(Duration::from_millis(200)).await;
    assert_eq!(searches(&a_seen).len(), 1);
    assert_eq!(searches(&b_seen).len(), 1);
    assert_eq!(legacy_searches().len(), 1);
}

#[tokio::test]
async fn a_shorter_cached_search_answers_at_once_while_the_longer_one_runs() {
    let (a, _, b, _) = two_registries().await;
    let legacy = LEGACY.with(|l| l.borrow().clone());
    let mut client = inproc::with_options(
        json!({"online": true, "registryTimeout": 5, "trustedRegistries": [a, b, legacy]}),
    )
    .await;
    let complete = async |client: &mut TestClient, version: i64, typed: &str| {
        let text = two_registry_manifest(&a, &b, typed);
        client.change_all(URI, version, &text).await;
        let at = find(&text, typed, 0, typed.len());
        client
            .request(
                "textDocument/completion",
                json!({"textDocument": {"uri": URI}, "position": at}),
            )
            .await
    };
    client
        .open(URI, 1, &two_registry_manifest(&a, &b, ""))
        .await;
    client.diagnostics(URI, 1).await;
    // `com.` searches the default registry for `com`; asked again until its answer is there.
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut version = 2;
    loop {
        let result = complete(&mut client, version, "\"com.").await;
        version += 1;
        if labels(&result).contains(&"com.exotic.thing".to_string()) || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // `com.exotic.t` wants `com.exotic`, not cached: the first answer already holds what
    // `com`'s answer had under the typed text, incomplete, while `com.exotic` is searched.
    let first = complete(&mut client, version, "\"com.exotic.t").await;
    assert_eq!(labels(&first), ["com.exotic.thing"], "{first}");
    assert_eq!(first["isIncomplete"], true, "{first}");
    // Asked again once that search answered: the same name, and nothing more to come.
    let second = loop {
        version += 1;
        let result = complete(&mut client, version, "\"com.exotic.t").await;
        if result["isIncomplete"] != true || Instant::now() > deadline {
            break result;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(labels(&second), ["com.exotic.thing"], "{second}");
    assert_ne!(second["isIncomplete"], true, "{second}");
    // The default registry was searched for each text once.
    assert_eq!(
        legacy_searches(),
        [
            "/-/v1/search?text=com&from=0&size=250",
            "/-/v1/search?text=com.exotic&from=0&size=250"
        ]
    );
}

#[tokio::test]
async fn no_search_is_made_when_online_is_false() {
    let (a, a_seen, b, b_seen) = two_registries().await;
    let typing = two_registry_manifest(&a, &b, "\"com.ex");
    let at = find(&typing, "\"com.ex", 0, 7);
    let params = json!({"textDocument": {"uri": URI}, "position": at});

    // From initializationOptions.
    let mut client = inproc::offline().await;
    client.open(URI, 1, &typing).await;
    client.diagnostics(URI, 1).await;
    for _ in 0..3 {
        let result = client
            .request("textDocument/completion", params.clone())
            .await;
        assert_eq!(result, Value::Null);
        client.drain(Duration::from_millis(150)).await;
    }

    // From workspace/configuration alone: not even while its answer is awaited.
    let mut client = inproc::start();
    client.configuration = json!({"online": false});
    client
        .initialize(json!({"workspace": {"configuration": true}}), Value::Null)
        .await;
    client.open(URI, 1, &typing).await;
    client.diagnostics(URI, 1).await;
    for _ in 0..3 {
        client
            .request("textDocument/completion", params.clone())
            .await;
        client.drain(Duration::from_millis(150)).await;
    }
    let result = client.request("textDocument/completion", params).await;
    assert_eq!(result, Value::Null);

    assert_eq!(*a_seen.lock().unwrap(), Vec::<String>::new());
    assert_eq!(*b_seen.lock().unwrap(), Vec::<String>::new());
    assert_eq!(legacy_searches(), Vec::<String>::new());
}

/// A manifest naming `url` as a scoped registry and as the legacy `registry` (a beacon).
fn beacon_manifest(url: &str) -> String {
    format!(
        r#"{{
  "registry": "{url}/beacon",
  "dependencies": {{
    "com.example.present": "1.0.0"
  }},
  "scopedRegistries": [
    {{ "name": "Local", "url": "{url}", "scopes": ["com.example"] }}
  ]
}}
"#
    )
}

fn not_checked(diagnostics: &[Value]) -> Vec<&Value> {
    diagnostics
        .iter()
        .filter(|d| d["code"] == "registry-not-checked")
        .collect()
}

#[tokio::test]
async fn registries_the_user_does_not_trust_are_not_asked() {
    let (url, seen) = registry().await;
    let text = beacon_manifest(&url);
    let mut client = inproc::with_options(
        json!({"online": true, "registryTimeout": 5, "trustRegistryCommand": true}),
    )
    .await;
    client.open(URI, 1, &text).await;
    let published = client
        .wait_for("textDocument/publishDiagnostics", |p| {
            p["uri"] == URI
                && p["diagnostics"]
                    .to_string()
                    .contains("registry-not-checked")
        })
        .await;
    let diagnostics = published["diagnostics"].as_array().unwrap().clone();
    let skipped = not_checked(&diagnostics);
    // One info per registry: the scoped one and the legacy `registry` field.
    assert_eq!(skipped.len(), 2, "{diagnostics:?}");
    assert!(skipped.iter().all(|d| d["severity"] == 3), "{skipped:?}");
    assert!(
        skipped[0]["message"]
            .as_str()
            .unwrap()
            .contains("not trusted it"),
        "{skipped:?}"
    );
    assert!(
        codes(&diagnostics)
            .iter()
            .all(|c| c != "package-not-found" && c != "unreachable-registry"),
        "{diagnostics:?}"
    );
    client.drain(Duration::from_millis(500)).await;
    assert_eq!(
        *seen.lock().unwrap(),
        Vec::<String>::new(),
        "nothing is sent"
    );

    // The quick fix runs the client's command with the registry URL.
    let at = find(&text, "127.0.0.1", 1, 0);
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": {"start": at, "end": at},
                   "context": {"diagnostics": []}}),
        )
        .await;
    let trust: Vec<&Value> = actions
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["command"]["command"] == "manifestLint.trustRegistry")
        .collect();
    assert_eq!(trust.len(), 1, "{actions}");
    assert_eq!(trust[0]["command"]["arguments"], json!([url]));

    // Completion searches no untrusted registry either.
    let typing = text.replace(
        r#""com.example.present": "1.0.0""#,
        "\"com.example.present\": \"1.0.0\",\n    \"com.ex",
    );
    client.change_all(URI, 2, &typing).await;
    client.diagnostics(URI, 2).await;
    let at = find(&typing, "\"com.ex\n", 0, 7);
    let result = client
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": URI}, "position": at}),
        )
        .await;
    // Nothing is pending for an untrusted registry: the client need not ask again.
    assert_ne!(result["isIncomplete"], true, "{result}");
    client.drain(Duration::from_millis(500)).await;
    assert_eq!(
        *seen.lock().unwrap(),
        Vec::<String>::new(),
        "no search is sent"
    );

    // Once the user trusts it (their editor's settings), it is asked.
    client.change_all(URI, 3, &text).await;
    client
        .notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"manifestLint": {"online": true, "trustedRegistries": [url]}}}),
        )
        .await;
    let started = Instant::now();
    while seen.lock().unwrap().len() < 3 && started.elapsed() < Duration::from_secs(10) {
        client.drain(Duration::from_millis(100)).await;
    }
    let requests = seen.lock().unwrap().clone();
    assert!(
        requests.iter().any(|p| p.starts_with("/-/v1/search")),
        "{requests:?}"
    );
    // The legacy `registry` field's URL shares the trusted prefix here: asked too.
    assert!(
        requests.iter().any(|p| p.starts_with("/beacon/")),
        "{requests:?}"
    );
}

#[tokio::test]
async fn internal_addresses_are_asked_only_when_listed() {
    let (url, seen) = registry().await;
    let text = manifest(&url);
    // Asking every registry still does not reach loopback: only an explicit entry does.
    let mut client =
        inproc::with_options(json!({"online": true, "registryTimeout": 5, "probeAll": true})).await;
    client.open(URI, 1, &text).await;
    let published = client
        .wait_for("textDocument/publishDiagnostics", |p| {
            p["uri"] == URI
                && p["diagnostics"]
                    .to_string()
                    .contains("registry-not-checked")
        })
        .await;
    let diagnostics = published["diagnostics"].as_array().unwrap().clone();
    let skipped = not_checked(&diagnostics);
    assert_eq!(skipped.len(), 1, "{diagnostics:?}");
    assert!(
        skipped[0]["message"].as_str().unwrap().contains("internal"),
        "{skipped:?}"
    );
    client.drain(Duration::from_millis(300)).await;
    assert_eq!(*seen.lock().unwrap(), Vec::<String>::new());
}

/// A project on disk (`Packages/manifest.json` routing `com.example` to `url`, and
/// `ProjectSettings/ProjectVersion.txt` on 2021.3.20f1); its manifest's URI and text.
fn unity_project(dir: &std::path::Path, url: &str) -> (String, String) {
    let packages = dir.join("Game/Packages");
    std::fs::create_dir_all(&packages).unwrap();
    std::fs::create_dir_all(dir.join("Game/ProjectSettings")).unwrap();
    std::fs::write(
        dir.join("Game/ProjectSettings/ProjectVersion.txt"),
        "m_EditorVersion: 2021.3.20f1\nm_EditorVersionWithRevision: 2021.3.20f1 (6a7b8c9d0e1f)\n",
    )
    .unwrap();
    let text = format!(
        r#"{{
  "dependencies": {{
    "com.example.present": "1.0.0"
  }},
  "scopedRegistries": [
    {{ "name": "Local", "url": "{url}", "scopes": ["com.example"] }}
  ]
}}
"#
    );
    std::fs::write(packages.join("manifest.json"), &text).unwrap();
    (
        format!("file://{}", packages.join("manifest.json").display()),
        text,
    )
}

/// The items of a completion answer (a list or an array), ordered by `sortText` as a client
/// shows them.
fn sorted_items(result: &Value) -> Vec<Value> {
    let mut items = result
        .get("items")
        .unwrap_or(result)
        .as_array()
        .cloned()
        .unwrap_or_default();
    items.sort_by_key(|i| i["sortText"].as_str().unwrap_or_default().to_string());
    items
}

/// Completes the value of `com.example.present` until the details carry `unity` requirements
/// (the versions come with the background probe, the requirements with the full packument).
async fn versions_with_requirements(client: &mut TestClient, uri: &str, text: &str) -> Value {
    let at = find(text, "\"1.0.0\"", 0, 1);
    let params = json!({"textDocument": {"uri": uri}, "position": at});
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let result = client
            .request("textDocument/completion", params.clone())
            .await;
        let done = sorted_items(&result).iter().any(|i| {
            i["detail"]
                .as_str()
                .is_some_and(|d| d.contains("needs Unity"))
        });
        if done || Instant::now() > deadline {
            return result;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn unity_registry_answer(path: &str) -> (u16, Value) {
    if path == "/com.example.present" {
        (
            200,
            json!({"name": "com.example.present",
                   "versions": {
                       "1.0.0": {"unity": "2020.3"},
                       "1.1.0": {"unity": "2021.3", "unityRelease": "10f1"},
                       "1.2.0": {},
                       "2.0.0": {"unity": "2022.3"}
                   },
                   "dist-tags": {"latest": "2.0.0"}}),
        )
    } else {
        (404, json!({"error": "not found"}))
    }
}

#[tokio::test]
async fn version_completion_shows_unity_requirements_against_the_projects_editor() {
    let (url, seen) = serve(unity_registry_answer).await;
    let dir = tempfile::tempdir().unwrap();
    let (uri, text) = unity_project(dir.path(), &url);

    // A client that shows the `deprecated` tag.
    let mut client = inproc::start();
    client
        .initialize(
            json!({"textDocument": {"completion": {"completionItem": {
                "tagSupport": {"valueSet": [1]}}}}}),
            json!({"online": true, "registryTimeout": 5, "trustedRegistries": [url]}),
        )
        .await;
    client.open(&uri, 1, &text).await;
    let result = versions_with_requirements(&mut client, &uri, &text).await;
    let items = sorted_items(&result);
    let shown: Vec<(&str, &str)> = items
        .iter()
        .map(|i| {
            (
                i["label"].as_str().unwrap(),
                i["detail"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    // The versions the project's Editor can use first (newest first), then the one it cannot.
    assert_eq!(
        shown,
        [
            ("1.2.0", "version"),
            ("1.1.0", "needs Unity 2021.3.10f1"),
            ("1.0.0", "needs Unity 2020.3"),
            (
                "2.0.0",
                "latest, needs Unity 2022.3 (the project is on 2021.3.20f1)"
            ),
        ],
        "{result}"
    );
    assert_eq!(items[3]["tags"], json!([1]), "{result}");
    assert!(
        items[..3].iter().all(|i| i.get("tags").is_none()),
        "{result}"
    );
    assert!(
        items.iter().all(|i| i.get("preselect").is_none()),
        "{result}"
    );
    assert_ne!(result["isIncomplete"], true, "{result}");

    // Asked again: from the cache. The probe's packument and the full one, once each.
    client
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": find(&text, "\"1.0.0\"", 0, 1)}),
        )
        .await;
    client.drain(Duration::from_millis(200)).await;
    let asked: Vec<String> = seen
        .lock()
        .unwrap()
        .iter()
        .filter(|p| p.starts_with("/com.example.present"))
        .cloned()
        .collect();
    assert_eq!(asked, ["/com.example.present", "/com.example.present"]);
}

#[tokio::test]
async fn version_completion_tags_only_for_clients_that_show_them_and_asks_only_trusted_registries()
{
    let (url, _) = serve(unity_registry_answer).await;
    let dir = tempfile::tempdir().unwrap();
    let (uri, text) = unity_project(dir.path(), &url);
    let mut client = inproc::with_options(
        json!({"online": true, "registryTimeout": 5, "trustedRegistries": [url]}),
    )
    .await;
    client.open(&uri, 1, &text).await;
    let result = versions_with_requirements(&mut client, &uri, &text).await;
    let items = sorted_items(&result);
    assert_eq!(items.len(), 4, "{result}");
    assert_eq!(
        items[3]["detail"], "latest, needs Unity 2022.3 (the project is on 2021.3.20f1)",
        "{result}"
    );
    assert!(items.iter().all(|i| i.get("tags").is_none()), "{result}");

    // Not trusted: never asked, so no versions to complete at all.
    let (other, other_seen) = serve(unity_registry_answer).await;
    let dir = tempfile::tempdir().unwrap();
    let (uri, text) = unity_project(dir.path(), &other);
    client.open(&uri, 1, &text).await;
    client.drain(Duration::from_millis(500)).await;
    let result = client
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": find(&text, "\"1.0.0\"", 0, 1)}),
        )
        .await;
    assert!(sorted_items(&result).is_empty(), "{result}");
    assert!(other_seen.lock().unwrap().is_empty());
}
