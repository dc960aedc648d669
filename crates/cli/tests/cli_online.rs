//! `check --online` end to end: the real binary against small registries on loopback.
//! (The prober itself is tested against a real Verdaccio in crates/registry.)

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A tiny HTTP/1.1 server on 127.0.0.1: `answer(path, authorization)` gives (status, body), or
/// `None` to accept and never answer. Records every request line.
struct Registry {
    url: String,
    requests: Arc<Mutex<Vec<String>>>,
}

/// How a test registry answers a request: `(path, authorization)` to (status, body), or `None`.
type Answer = fn(&str, Option<&str>) -> Option<(u16, String)>;

fn registry(answer: Answer) -> Registry {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = requests.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let seen = seen.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    return;
                }
                let mut auth = None;
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
                        break;
                    }
                    if let Some(v) = header
                        .strip_prefix("authorization: ")
                        .or_else(|| header.strip_prefix("Authorization: "))
                    {
                        auth = Some(v.trim().to_string());
                    }
                }
                let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
                seen.lock()
                    .unwrap()
                    .push(format!("{path} auth={}", auth.as_deref().unwrap_or("-")));
                match answer(&path, auth.as_deref()) {
                    // A 3xx answer's "body" is its Location.
                    Some((status, location)) if (300..400).contains(&status) => {
                        let _ = write!(
                            stream,
                            "HTTP/1.1 {status} X\r\nlocation: {location}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                        );
                    }
                    Some((status, body)) => {
                        let _ = write!(
                            stream,
                            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                            body.len()
                        );
                    }
                    None => std::thread::sleep(Duration::from_secs(30)),
                }
            });
        }
    });
    Registry { url, requests }
}

fn npm_registry(path: &str, _auth: Option<&str>) -> Option<(u16, String)> {
    Some(match path {
        p if p.starts_with("/-/v1/search") => (200, r#"{"objects": [], "total": 0}"#.into()),
        "/com.example.tools" => (200, r#"{"name": "com.example.tools", "versions": {"1.0.0": {}, "1.2.0": {}}, "dist-tags": {"latest": "1.2.0"}}"#.into()),
        _ => (404, r#"{"error": "not found"}"#.into()),
    })
}

fn project(dir: &Path, url: &str, deps: &str) -> String {
    let packages = dir.join("Packages");
    std::fs::create_dir_all(&packages).unwrap();
    let text = format!(
        r#"{{"dependencies": {{{deps}}}, "scopedRegistries": [{{"name": "Local", "url": "{url}", "scopes": ["com.example"]}}]}}"#
    );
    std::fs::write(packages.join("manifest.json"), text).unwrap();
    dir.to_str().unwrap().to_string()
}

fn check(args: &[&str], home: &Path) -> Output {
    check_env(args, home, &[])
}

fn check_env(args: &[&str], home: &Path, env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_manifest-lint"))
        .env_remove("MANIFEST_LINT_ONLINE")
        .envs(env.iter().copied())
        .arg("check")
        .args(args)
        .env("UPM_USER_CONFIG_FILE", home.join(".upmconfig.toml"))
        .env("UPM_GLOBAL_CONFIG_FILE", home.join("global-upmconfig.toml"))
        .env("NO_PROXY", "*")
        .env_remove("HTTP_PROXY")
        .env_remove("HTTPS_PROXY")
        .env_remove("http_proxy")
        .env_remove("https_proxy")
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr)
}

#[test]
fn offline_by_default_sends_nothing() {
    let server = registry(npm_registry);
    let dir = tempfile::tempdir().unwrap();
    let p = project(dir.path(), &server.url, r#""com.example.gone": "1.0.0""#);
    let o = check(&[&p], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    std::thread::sleep(Duration::from_millis(100));
    assert!(
        server.requests.lock().unwrap().is_empty(),
        "offline run sent {:?}",
        server.requests.lock().unwrap()
    );
}

#[test]
fn online_finds_missing_packages_and_versions() {
    let server = registry(npm_registry);
    let dir = tempfile::tempdir().unwrap();
    let p = project(
        dir.path(),
        &server.url,
        r#""com.example.gone": "1.0.0", "com.example.tools": "1.1.0""#,
    );
    let o = check(&["--online", "--format", "json", &p], dir.path());
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rules: Vec<&str> = doc["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"package-not-found"), "{rules:?}");
    assert!(rules.contains(&"version-not-found"), "{rules:?}");
    let requests = server.requests.lock().unwrap().clone();
    assert!(
        requests
            .iter()
            .any(|r| r.starts_with("/-/v1/search?text=com.example")),
        "{requests:?}"
    );
    assert!(
        requests.iter().any(|r| r.starts_with("/com.example.gone ")),
        "{requests:?}"
    );
}

#[test]
fn a_repository_configuration_cannot_turn_online_on() {
    let server = registry(npm_registry);
    let dir = tempfile::tempdir().unwrap();
    let p = project(dir.path(), &server.url, r#""com.example.gone": "1.0.0""#);
    std::fs::write(
        dir.path().join("manifest-lint.toml"),
        "[online]\nenabled = true\ntimeout = 5\n",
    )
    .unwrap();
    // The cloned repository's file asks for the network: ignored, with a note saying why.
    let o = check(&[&p], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("note:") && err.contains("[online] enabled = true") && err.contains("ignored"),
        "{err}"
    );
    std::thread::sleep(Duration::from_millis(100));
    assert!(server.requests.lock().unwrap().is_empty());
    // --offline: nothing, and nothing to note.
    let o = check(&["--offline", &p], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(!text(&o).contains("note:"), "{}", text(&o));
    assert!(server.requests.lock().unwrap().is_empty());
    // The user's own environment variable does switch it on, as --online does.
    let o = check_env(&[&p], dir.path(), &[("MANIFEST_LINT_ONLINE", "1")]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("package-not-found"), "{}", text(&o));
    // --offline wins over it.
    let before = server.requests.lock().unwrap().len();
    let o = check_env(
        &["--offline", &p],
        dir.path(),
        &[("MANIFEST_LINT_ONLINE", "1")],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(server.requests.lock().unwrap().len(), before);
}

#[test]
fn a_silent_registry_costs_one_timeout() {
    let server = registry(|_, _| None);
    let dir = tempfile::tempdir().unwrap();
    let deps: Vec<String> = (0..30)
        .map(|i| format!("\"com.example.p{i}\": \"1.0.0\""))
        .collect();
    let p = project(dir.path(), &server.url, &deps.join(", "));
    let started = Instant::now();
    let o = check(&["--online", "--registry-timeout", "1", &p], dir.path());
    let took = started.elapsed();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("error[unreachable-registry]")
            && text(&o).contains("did not answer in time"),
        "{}",
        text(&o)
    );
    assert!(
        took < Duration::from_secs(6),
        "took {took:?} for 30 packages on a silent registry"
    );
}

#[test]
fn refused_tokens_are_named_by_key_never_shown() {
    let server = registry(|_, _| Some((401, "{}".into())));
    let dir = tempfile::tempdir().unwrap();
    let p = project(dir.path(), &server.url, r#""com.example.tools": "1.0.0""#);
    std::fs::write(
        dir.path().join(".upmconfig.toml"),
        format!(
            "[npmAuth.\"{}\"]\ntoken = \"tok-SECRET-123\"\nalwaysAuth = true\n",
            server.url
        ),
    )
    .unwrap();
    let o = check(&["--online", &p], dir.path());
    let all = text(&o);
    assert_eq!(o.status.code(), Some(1), "{all}");
    assert!(
        all.contains("error[registry-unauthorized]") && all.contains("refused the credentials"),
        "{all}"
    );
    assert!(!all.contains("tok-SECRET-123"), "the token leaked:\n{all}");
    let requests = server.requests.lock().unwrap().clone();
    assert!(
        requests
            .iter()
            .any(|r| r.ends_with("auth=Bearer tok-SECRET-123")),
        "the token was not sent: {requests:?}"
    );

    std::fs::write(
        dir.path().join(".upmconfig.toml"),
        "[npmAuth.\"https://elsewhere.example.com\"\ntoken = 1",
    )
    .unwrap();
    let o = check(&["--online", &p], dir.path());
    let all = text(&o);
    assert!(
        all.contains("warning:") && all.contains(".upmconfig.toml"),
        "a malformed config is reported: {all}"
    );
}

#[test]
fn a_token_reflected_into_a_redirect_is_never_shown() {
    // The registry reflects the Authorization header into its redirect's Location, and then
    // redirects that URL to itself: the redirect loop's message must name the origin only.
    let server = registry(|path, auth| {
        let token = auth.unwrap_or("none").replace(' ', "-");
        Some((
            302,
            format!("{}?auth={token}", path.split('?').next().unwrap_or("")),
        ))
    });
    let dir = tempfile::tempdir().unwrap();
    let p = project(dir.path(), &server.url, r#""com.example.tools": "1.0.0""#);
    std::fs::write(
        dir.path().join(".upmconfig.toml"),
        format!(
            "[npmAuth.\"{}\"]\ntoken = \"tok-REFLECTED-456\"\n",
            server.url
        ),
    )
    .unwrap();
    for format in ["human", "json", "jsonl", "sarif", "github"] {
        let o = check(&["--online", "--format", format, &p], dir.path());
        let all = text(&o);
        assert_eq!(o.status.code(), Some(1), "{format}: {all}");
        assert!(
            all.contains("redirect loop") && all.contains(&server.url),
            "{format}: the redirect is reported with its origin: {all}"
        );
        assert!(
            !all.contains("tok-REFLECTED-456"),
            "{format}: the reflected token leaked:\n{all}"
        );
    }
    let requests = server.requests.lock().unwrap().clone();
    assert!(
        requests
            .iter()
            .any(|r| r.contains("auth=Bearer-tok-REFLECTED-456")),
        "the server did reflect the token: {requests:?}"
    );
}

/// A registry that keeps each connection open between requests (HTTP/1.1 keep-alive, as real
/// registries do); search works and every package exists at 1.0.0. Returns its URL.
fn keep_alive_registry() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    loop {
                        let mut header = String::new();
                        if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
                            break;
                        }
                    }
                    let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
                    // Search works, and every package exists at 1.0.0.
                    let body = if path.starts_with("/-/v1/search") {
                        r#"{"objects": [], "total": 0}"#.to_string()
                    } else {
                        r#"{"versions": {"1.0.0": {}}, "dist-tags": {"latest": "1.0.0"}}"#
                            .to_string()
                    };
                    let status = 200;
                    if write!(
                        stream,
                        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                        body.len()
                    )
                    .is_err()
                    {
                        return;
                    }
                }
            });
        }
    });
    url
}

#[test]
fn many_registries_at_a_low_descriptor_limit_are_never_falsely_unreachable() {
    // 120 registries that keep connections alive, and a process allowed 64 file descriptors:
    // idle connections kept per registry would exhaust them and fail the rest as unreachable.
    let urls: Vec<String> = (0..120).map(|_| keep_alive_registry()).collect();
    let dir = tempfile::tempdir().unwrap();
    let packages = dir.path().join("Packages");
    std::fs::create_dir_all(&packages).unwrap();
    let registries: Vec<String> = urls
        .iter()
        .enumerate()
        .map(|(i, url)| {
            format!(r#"{{"name": "R{i}", "url": "{url}", "scopes": ["com.example{i}"]}}"#)
        })
        .collect();
    let deps: Vec<String> = (0..120)
        .map(|i| format!(r#""com.example{i}.tools": "1.0.0""#))
        .collect();
    std::fs::write(
        packages.join("manifest.json"),
        format!(
            r#"{{"dependencies": {{{}}}, "scopedRegistries": [{}]}}"#,
            deps.join(", "),
            registries.join(", ")
        ),
    )
    .unwrap();
    let o = Command::new("sh")
        .arg("-c")
        .arg("ulimit -n 64 && exec \"$0\" check --online --format json \"$1\"")
        .arg(env!("CARGO_BIN_EXE_manifest-lint"))
        .arg(dir.path())
        .env("UPM_USER_CONFIG_FILE", dir.path().join(".upmconfig.toml"))
        .env(
            "UPM_GLOBAL_CONFIG_FILE",
            dir.path().join("global-upmconfig.toml"),
        )
        .env("NO_PROXY", "*")
        .env_remove("HTTP_PROXY")
        .env_remove("HTTPS_PROXY")
        .env_remove("http_proxy")
        .env_remove("https_proxy")
        .env_remove("MANIFEST_LINT_ONLINE")
        .output()
        .unwrap();
    let all = text(&o);
    assert!(
        !all.contains("unreachable-registry"),
        "a local limit was reported as the registries' fault:\n{}",
        &all[..all.len().min(4000)]
    );
    // Every package was found (each registry answered): nothing was left unchecked either.
    assert_eq!(o.status.code(), Some(0), "{}", &all[..all.len().min(4000)]);
    assert!(
        !all.contains("registry-not-checked"),
        "{}",
        &all[..all.len().min(4000)]
    );
}
