//! `manifest-lint tree` end to end: the real binary on the fixture project
//! `tests/projects/tree-sample` (an embedded package overriding a manifest entry, a local
//! package with its own dependencies, a Git package, built-in modules, a version conflict, a
//! dependency the lock file does not list), and `--online` against a small registry on
//! loopback that counts what it is asked.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use common::{project, repo, run, stderr, stdout};
use serde_json::Value;

fn sample() -> String {
    repo()
        .join("tests/projects/tree-sample")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn human_output_is_a_tree() {
    let o = run(&["tree", &sample()], &repo());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    insta::assert_snapshot!(stdout(&o));
}

#[test]
fn json_output_is_the_graph() {
    let o = run(&["tree", &sample(), "--format", "json"], &repo());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["version"], 1);
    let packages = doc["packages"].as_array().unwrap();
    let names: Vec<&str> = packages
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "com.acme.core",
            "com.acme.game",
            "com.acme.shared",
            "com.acme.tools",
            "com.example.git",
            "com.partner.sdk",
            "com.unity.modules.audio",
            "com.unity.modules.imgui",
            "com.unity.modules.ui",
            "com.unity.textmeshpro",
            "com.unity.ugui",
        ]
    );
    let by_name = |n: &str| packages.iter().find(|p| p["name"] == n).unwrap();
    // The two requests (1.0.0 from com.acme.game, 1.1.0 from the embedded com.acme.tools): on
    // 2021.3 the highest wins.
    assert_eq!(
        by_name("com.acme.core"),
        &serde_json::json!({
            "name": "com.acme.core", "version": "1.1.0", "source": "registry",
            "registry": "https://npm.acme.example", "depth": 1, "dependencies": {},
            "requestedBy": ["com.acme.game", "com.acme.tools"]
        })
    );
    // The embedded package wins over the manifest's `2.0.0`.
    let tools = by_name("com.acme.tools");
    assert_eq!(tools["source"], "embedded");
    assert_eq!(tools["version"], "file:com.acme.tools");
    assert_eq!(tools["registry"], Value::Null);
    // The local package's own dependency, routed by the project's scopes (none covers it).
    let sdk = by_name("com.partner.sdk");
    assert_eq!(sdk["registry"], "https://packages.unity.com");
    assert_eq!(sdk["requestedBy"], serde_json::json!(["com.acme.shared"]));
    assert_eq!(by_name("com.unity.ugui")["source"], "builtin");
    assert_eq!(by_name("com.example.git")["source"], "git");
    // Keys in the documented order.
    let first = text.find("\"name\"").unwrap();
    let order: Vec<usize> = [
        "\"name\"",
        "\"version\"",
        "\"source\"",
        "\"registry\"",
        "\"depth\"",
        "\"dependencies\"",
        "\"requestedBy\"",
    ]
    .iter()
    .map(|k| first + text[first..].find(k).unwrap())
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    // What it could not know offline is said, on stderr (stdout stays JSON).
    assert!(
        stderr(&o).contains("not known offline: com.partner.sdk@2.0.0"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn lock_output_is_the_lock_file_unity_would_write() {
    let o = run(&["tree", &sample(), "--format", "lock"], &repo());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let ours = stdout(&o);
    // Unity's lock, plus the dependency the local package gained since it was written.
    let theirs = std::fs::read_to_string(
        repo().join("tests/projects/tree-sample/Packages/packages-lock.json"),
    )
    .unwrap();
    let expected = theirs
        .replace(
            "      \"dependencies\": {\n        \"com.unity.modules.ui\": \"1.0.0\"\n      }\n    },\n    \"com.acme.tools\"",
            "      \"dependencies\": {\n        \"com.partner.sdk\": \"2.0.0\",\n        \"com.unity.modules.ui\": \"1.0.0\"\n      }\n    },\n    \"com.acme.tools\"",
        )
        .replace(
            "      \"hash\": \"0f4a9c3e2b1d8f7a6c5e4d3b2a1f0e9d8c7b6a59\"\n    },\n",
            "      \"hash\": \"0f4a9c3e2b1d8f7a6c5e4d3b2a1f0e9d8c7b6a59\"\n    },\n    \"com.partner.sdk\": {\n      \"version\": \"2.0.0\",\n      \"depth\": 1,\n      \"source\": \"registry\",\n      \"dependencies\": {},\n      \"url\": \"https://packages.unity.com\"\n    },\n",
        );
    assert_ne!(
        expected, theirs,
        "the fixture's lock changed: update this test"
    );
    assert_eq!(ours, expected);
}

#[test]
fn no_output_repeats_a_credential() {
    let manifest = r#"{
      "scopedRegistries": [{"name": "p", "url": "https://user:s3cret-pass@npm.private.example", "scopes": ["com.private"]}],
      "dependencies": {
        "com.private.a": "1.0.0",
        "com.private.git": "https://ghp_t0ken1234567890@github.com/acme/private.git"
      }
    }"#;
    let (dir, _) = project(manifest);
    for format in ["human", "json", "lock"] {
        let o = run(&["tree", ".", "--format", format], dir.path());
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let all = format!("{}{}", stdout(&o), stderr(&o));
        assert!(!all.contains("s3cret-pass"), "{format}: {all}");
        assert!(!all.contains("ghp_t0ken1234567890"), "{format}: {all}");
        assert!(all.contains("***"), "{format}: {all}");
    }
}

#[test]
fn usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(&["tree", "."], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("Packages/manifest.json"),
        "{}",
        stderr(&o)
    );
    let (dir, _) = project("{\"dependencies\": ");
    let o = run(&["tree", "."], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not valid JSON"), "{}", stderr(&o));
    let o = run(&["tree", ".", "--format", "yaml"], dir.path());
    assert_eq!(o.status.code(), Some(2));
}

/// A registry on 127.0.0.1 serving packuments from `answer`, recording every path asked.
fn registry(answer: fn(&str) -> Option<String>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let log = Arc::clone(&log);
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    return;
                }
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
                        break;
                    }
                }
                let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
                log.lock().unwrap().push(path.clone());
                let (status, body) = match answer(&path) {
                    Some(body) => (200, body),
                    None => (404, r#"{"error": "not found"}"#.to_string()),
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
            });
        }
    });
    (url, seen)
}

fn packuments(path: &str) -> Option<String> {
    Some(match path {
        "/com.acme.game" => r#"{"versions": {"1.0.0": {"unity": "2021.3", "dependencies": {"com.acme.lib": "1.1.0", "com.unity.modules.audio": "1.0.0", "com.acme.tools": "1.0.0"}}}, "dist-tags": {"latest": "1.0.0"}}"#,
        "/com.acme.lib" => r#"{"versions": {"1.1.0": {"dependencies": {"com.partner.sdk": "2.0.0"}}}, "dist-tags": {"latest": "1.1.0"}}"#,
        "/com.partner.sdk" => r#"{"versions": {"2.0.0": {}}, "dist-tags": {"latest": "2.0.0"}}"#,
        _ => return None,
    }
    .to_string())
}

#[test]
fn online_follows_packuments_and_never_asks_for_builtin_or_embedded_packages() {
    let (url, seen) = registry(packuments);
    // The legacy top-level `registry` replaces Unity's default, so that every request stays on
    // loopback.
    let manifest = format!(
        r#"{{"registry": "{url}",
            "scopedRegistries": [{{"name": "acme", "url": "{url}", "scopes": ["com.acme"]}}],
            "dependencies": {{"com.acme.game": "1.0.0", "com.acme.tools": "1.0.0",
              "com.unity.modules.ai": "1.0.0"}}}}"#
    );
    let (dir, _) = project(&manifest);
    let embedded = dir.path().join("Packages/com.acme.tools");
    std::fs::create_dir_all(&embedded).unwrap();
    std::fs::write(
        embedded.join("package.json"),
        r#"{"name": "com.acme.tools", "version": "1.0.0"}"#,
    )
    .unwrap();

    let o = run(&["tree", ".", "--online", "--format", "json"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut asked = seen.lock().unwrap().clone();
    asked.sort();
    assert_eq!(
        asked,
        ["/com.acme.game", "/com.acme.lib", "/com.partner.sdk"]
    );
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let sdk = doc["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "com.partner.sdk")
        .unwrap();
    assert_eq!(sdk["depth"], 2);
    assert_eq!(sdk["registry"], url.as_str());
    assert!(!stderr(&o).contains("not known: com."), "{}", stderr(&o));

    // Offline, the same project says what it does not know.
    let o = run(&["tree", "."], dir.path());
    assert!(
        stdout(&o).contains("Not known offline") && stdout(&o).contains("com.acme.game@1.0.0"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_deep_chain_is_cut_not_a_crash() {
    // A lock file chaining 5,000 packages (a hostile clone): the tree stops at its depth cap.
    let n = 5_000;
    let mut lock = String::from("{\"dependencies\": {");
    for i in 0..n {
        lock.push_str(&format!(
            "\"com.x.p{i}\": {{\"version\": \"1.0.0\", \"depth\": {i}, \"source\": \"registry\", \"dependencies\": {{\"com.x.p{}\": \"1.0.0\"}}}}, ",
            i + 1
        ));
    }
    lock.push_str(&format!(
        "\"com.x.p{n}\": {{\"version\": \"1.0.0\", \"depth\": {n}, \"source\": \"registry\", \"dependencies\": {{}}}}}}}}"
    ));
    let (dir, manifest) = project(r#"{"dependencies": {"com.x.p0": "1.0.0"}}"#);
    std::fs::write(manifest.with_file_name("packages-lock.json"), lock).unwrap();
    let o = run(&["tree", "."], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("deeper levels left out (more than 64)"),
        "{}",
        &text[..2000.min(text.len())]
    );
    assert!(
        text.contains(&format!("{} packages", n + 1)),
        "{}",
        text.lines().last().unwrap_or("")
    );
    for format in ["json", "lock"] {
        let o = run(&["tree", ".", "--format", format], dir.path());
        assert_eq!(o.status.code(), Some(0), "{format}: {}", stderr(&o));
    }
}

/// `tree --online` takes the `[online] timeout` of the project's `manifest-lint.toml`, as `check`
/// does: on a registry that accepts connections and never answers, a 1-second timeout ends the
/// run in seconds where the default (10 s) would not.
#[test]
fn online_tree_takes_the_configured_timeout() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    let manifest = format!(
        r#"{{"registry": "{url}",
            "scopedRegistries": [{{"name": "silent", "url": "{url}", "scopes": ["com.acme"]}}],
            "dependencies": {{"com.acme.game": "1.0.0"}}}}"#
    );
    let (dir, _) = project(&manifest);
    std::fs::write(
        dir.path().join("manifest-lint.toml"),
        "[online]\ntimeout = 1\n",
    )
    .unwrap();
    let started = std::time::Instant::now();
    let o = run(&["tree", ".", "--online"], dir.path());
    let took = started.elapsed();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("com.acme.game"), "{}", stdout(&o));
    assert!(
        took < std::time::Duration::from_secs(8),
        "took {took:?}: the configured 1 s timeout was not used"
    );
}
