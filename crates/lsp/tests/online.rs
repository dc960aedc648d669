//! Online checks in the language server, against a small registry served on 127.0.0.1.

mod common;
mod inproc;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{TestClient, codes, find};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const URI: &str = "file:///game/Packages/manifest.json";

/// A registry that has `com.example.present` (versions 1.0.0 and 1.1.0), answers search, and
/// answers 404 for everything else. Records every request path.
async fn registry() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let log = log.clone();
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
                let (status, body) = if path.starts_with("/-/v1/search") {
                    ("200 OK", json!({"objects": [], "total": 0}).to_string())
                } else if path == "/com.example.present" {
                    (
                        "200 OK",
                        json!({"name": "com.example.present",
                               "versions": {"1.0.0": {}, "1.1.0": {}},
                               "dist-tags": {"latest": "1.1.0"}})
                        .to_string(),
                    )
                } else {
                    ("404 Not Found", json!({"error": "not found"}).to_string())
                };
                let response = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
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
    let mut client = inproc::with_options(json!({"online": true, "registryTimeout": 5})).await;
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

    // Versions from the packument complete the value.
    let items = client
        .request(
            "textDocument/completion",
            json!({"textDocument": {"uri": URI}, "position": find(&text, "1.0.0", 0, 0)}),
        )
        .await;
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["1.1.0", "1.0.0"]);
    assert_eq!(items[0]["preselect"], true);
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
