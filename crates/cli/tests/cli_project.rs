//! The project diagnostics end to end: the real binary on the fixture projects
//! `tests/projects/diag-*` offline (snapshots), and `diag-online` with `--online` against a real
//! Verdaccio on loopback, whose request log shows that built-in and embedded packages are never
//! asked for.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

use common::{bin, repo, stderr, stdout};
use serde_json::{Value, json};

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/projects").join(name)
}

/// `check .` in `dir`, offline, without colour.
fn check(dir: &Path, extra: &[&str]) -> std::process::Output {
    bin()
        .args(["check", ".", "--color", "never"])
        .args(extra)
        .current_dir(dir)
        .env_remove("MANIFEST_LINT_ONLINE")
        .output()
        .expect("run manifest-lint")
}

#[test]
fn diag_online_offline() {
    let o = check(&fixture("diag-online"), &["--offline"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    insta::assert_snapshot!(stdout(&o));
}

#[test]
fn diag_lock_offline() {
    let o = check(&fixture("diag-lock"), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    insta::assert_snapshot!(stdout(&o));
}

#[test]
fn a_manifest_path_names_the_same_project() {
    let dir = fixture("diag-online");
    let by_folder = check(&dir, &["--offline", "--format", "json"]);
    let by_path = bin()
        .args([
            "check",
            "Packages/manifest.json",
            "--offline",
            "--format",
            "json",
        ])
        .current_dir(&dir)
        .output()
        .unwrap();
    let rules = |o: &std::process::Output| -> Vec<String> {
        let doc: Value = serde_json::from_str(&stdout(o)).unwrap();
        doc["files"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["rule"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(rules(&by_folder), rules(&by_path));
    assert!(rules(&by_path).contains(&"local-package-missing".to_string()));
}

// ---------------------------------------------------------------------------------------------
// Verdaccio
// ---------------------------------------------------------------------------------------------

const INSTALL_HINT: &str = "Verdaccio is not installed for the registry tests. Run \
    `npm ci --prefix tests/registry-server` from the repository root (or `tests/run`, whose step \
    tests/steps/05-install-verdaccio.sh does it).";

/// A Verdaccio on a free loopback port that logs every request, in its own temporary folder.
/// It stops when dropped, and (under `run.js`) when this process dies.
struct Verdaccio {
    child: Child,
    _stdin: ChildStdin,
    port: u16,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Verdaccio {
    fn start() -> Verdaccio {
        let server = repo().join("tests/registry-server");
        let bin = server.join("node_modules/verdaccio/bin/verdaccio");
        assert!(bin.exists(), "{INSTALL_HINT} (missing: {})", bin.display());
        let dir = tempfile::Builder::new()
            .prefix("manifest-lint-verdaccio-")
            .tempdir()
            .unwrap();
        // The committed configuration, logging each request (`http` level) for the count.
        let config = std::fs::read_to_string(server.join("config.yaml"))
            .unwrap()
            .replace("level: warn", "level: http");
        assert!(
            config.contains("level: http"),
            "config.yaml changed its log level line"
        );
        let config_path = dir.path().join("config.yaml");
        std::fs::write(&config_path, config).unwrap();
        let mut last = String::new();
        for _ in 0..3 {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .map(|a| a.port())
                .unwrap();
            let log = dir.path().join(format!("verdaccio-{port}.log"));
            let file = std::fs::File::create(&log).unwrap();
            let mut child = Command::new("node")
                .arg(server.join("run.js"))
                .arg("-c")
                .arg(&config_path)
                .arg("-l")
                .arg(format!("http://127.0.0.1:{port}"))
                .stdin(Stdio::piped())
                .stdout(file.try_clone().unwrap())
                .stderr(file)
                .spawn()
                .unwrap_or_else(|e| panic!("cannot run `node` ({e}): {INSTALL_HINT}"));
            let stdin = child.stdin.take().unwrap();
            let deadline = Instant::now() + Duration::from_secs(30);
            let addr = SocketAddr::from(([127, 0, 0, 1], port));
            while Instant::now() < deadline {
                if let Ok(Some(_)) = child.try_wait() {
                    break;
                }
                if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                    return Verdaccio {
                        child,
                        _stdin: stdin,
                        port,
                        log,
                        _dir: dir,
                    };
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            let _ = child.kill();
            let _ = child.wait();
            last = std::fs::read_to_string(&log).unwrap_or_default();
        }
        panic!("Verdaccio did not start (3 tries). Last log:\n{last}");
    }

    fn http(&self, method: &str, path: &str, token: Option<&str>, body: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        let auth = token.map_or(String::new(), |t| format!("authorization: Bearer {t}\r\n"));
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nhost: 127.0.0.1:{}\r\nconnection: close\r\ncontent-type: application/json\r\n{auth}content-length: {}\r\n\r\n{body}",
            self.port,
            body.len()
        )
        .unwrap();
        let mut raw = String::new();
        stream.read_to_string(&mut raw).unwrap();
        let status = raw
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let body = raw
            .split_once("\r\n\r\n")
            .map_or("", |(_, b)| b)
            .to_string();
        (status, body)
    }

    fn add_user(&self, name: &str) -> String {
        let (status, body) = self.http(
            "PUT",
            &format!("/-/user/org.couchdb.user:{name}"),
            None,
            &json!({"name": name, "password": format!("{name}-password-1")}).to_string(),
        );
        assert_eq!(status, 201, "{body}");
        let doc: Value = serde_json::from_str(&body).unwrap();
        doc["token"].as_str().unwrap().to_string()
    }

    /// Publishes one version as `npm publish` does, with its `unity` and `dependencies`.
    fn publish(&self, token: &str, name: &str, version: &str, unity: &str, deps: Value) {
        let tarball = format!("fixture tarball of {name}@{version}");
        let body = json!({
            "_id": name,
            "name": name,
            "dist-tags": {"latest": version},
            "versions": {version: {
                "name": name,
                "version": version,
                "unity": unity,
                "dependencies": deps,
                "dist": {"tarball": format!("http://127.0.0.1:{}/{name}/-/{name}-{version}.tgz", self.port)},
            }},
            "_attachments": {format!("{name}-{version}.tgz"): {
                "content_type": "application/octet-stream",
                "data": base64(tarball.as_bytes()),
                "length": tarball.len(),
            }},
        });
        let (status, answer) =
            self.http("PUT", &format!("/{name}"), Some(token), &body.to_string());
        assert!(
            status == 200 || status == 201,
            "publishing {name}@{version}: {status} {answer}"
        );
    }

    /// The paths of the GET requests Verdaccio logged (its `http` lines: `'GET /path'`).
    fn gets(&self) -> Vec<String> {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let mut out = Vec::new();
        for line in log.lines() {
            let Ok(entry) = serde_json::from_str::<Value>(line) else {
                continue;
            };
            let msg = entry["msg"].as_str().unwrap_or("");
            let (Some(method), Some(url)) = (
                entry["request"]["method"].as_str(),
                entry["request"]["url"].as_str(),
            ) else {
                // Some versions only spell it out in the message.
                if let Some(rest) = msg.split("'GET ").nth(1) {
                    out.push(rest.split('\'').next().unwrap_or("").to_string());
                }
                continue;
            };
            if method == "GET" {
                out.push(url.to_string());
            }
        }
        out
    }
}

impl Drop for Verdaccio {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Copies a fixture project into a fresh repository-root folder.
fn copy_project(from: &Path) -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    copy(from, dir.path());
    dir
}

#[test]
fn online_project_diagnostics_on_verdaccio_never_ask_for_builtin_or_embedded_packages() {
    let registry = Verdaccio::start();
    let token = registry.add_user("publisher");
    registry.publish(
        &token,
        "com.acme.game",
        "1.0.0",
        "2021.3",
        json!({
            "com.partner.sdk": "2.0.0",
            "com.acme.core": "3.0.0",
            "com.acme.new": "1.0.0",
            "com.unity.modules.audio": "1.0.0",
        }),
    );
    registry.publish(&token, "com.acme.core", "1.0.0", "2021.3", json!({}));
    registry.publish(&token, "com.acme.core", "2.0.0", "2021.3", json!({}));
    registry.publish(&token, "com.acme.new", "1.0.0", "2023.1", json!({}));
    // Published, to show that the embedded package is not asked for even though it exists.
    registry.publish(&token, "com.acme.tools", "1.0.0", "2021.3", json!({}));
    let before = registry.gets().len();

    let dir = copy_project(&fixture("diag-online"));
    let manifest = dir.path().join("Packages/manifest.json");
    let text = std::fs::read_to_string(&manifest)
        .unwrap()
        .replace("127.0.0.1:4873", &format!("127.0.0.1:{}", registry.port))
        .replace("localhost:4873", &format!("localhost:{}", registry.port));
    std::fs::write(&manifest, text).unwrap();

    let o = bin()
        .args(["check", ".", "--online", "--format", "json"])
        .current_dir(dir.path())
        .env("UPM_USER_CONFIG_FILE", dir.path().join("none.toml"))
        .env(
            "UPM_GLOBAL_CONFIG_FILE",
            dir.path().join("none-global.toml"),
        )
        .env("NO_PROXY", "*")
        .env_remove("HTTP_PROXY")
        .env_remove("HTTPS_PROXY")
        .env_remove("http_proxy")
        .env_remove("https_proxy")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let found: Vec<(String, String)> = doc["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["message"]
                    .as_str()
                    .unwrap()
                    .replace(&registry.port.to_string(), "PORT"),
            )
        })
        .filter(|(rule, _)| rule != "legacy-registry" && rule != "insecure-registry-url")
        .collect();
    let expected: Vec<(&str, &str)> = vec![
        (
            "editor-too-old",
            "`com.acme.new@1.0.0` needs Unity 2023.1, the project is on 2022.3.10f1 (com.acme.game@1.0.0 -> com.acme.new@1.0.0)",
        ),
        (
            "transitive-package-not-found",
            "`com.partner.sdk` is not on the registry http://localhost:PORT, where it resolves: com.acme.game@1.0.0 -> com.partner.sdk@2.0.0",
        ),
        (
            "transitive-version-not-found",
            "`Acme` (http://127.0.0.1:PORT) has no version 3.0.0 of `com.acme.core`: com.acme.game@1.0.0 -> com.acme.core@3.0.0",
        ),
        (
            "editor-too-old",
            "`com.acme.tools (embedded)` needs Unity 2023.1, the project is on 2022.3.10f1",
        ),
        (
            "invalid-transitive-dependency",
            "`com.acme.local` asks for `com.acme.util` as `https://github.com/acme/util.git` (a Git URL), which Unity rejects in a package: com.acme.local (local)",
        ),
        (
            "transitive-package-not-found",
            "`com.partner.analytics` is not on the registry http://localhost:PORT, where it resolves: com.acme.local (local) -> com.partner.analytics@1.0.0",
        ),
        (
            "local-package-missing",
            "No folder at `LocalPackages/com.acme.gone`: Unity cannot load `com.acme.gone`",
        ),
        (
            "builtin-module-unavailable",
            "Unity 2022.3.10f1 has no built-in `com.unity.modules.accessibility`: resolution fails with `Package [com.unity.modules.accessibility@1.0.0] cannot be found`",
        ),
    ];
    let found_ref: Vec<(&str, &str)> = found
        .iter()
        .map(|(r, m)| (r.as_str(), m.as_str()))
        .collect();
    assert_eq!(found_ref, expected, "{}", stdout(&o));

    // What the run asked: never a built-in module nor the embedded package.
    let gets: Vec<String> = registry.gets()[before..].to_vec();
    let packages: Vec<&str> = gets
        .iter()
        .map(|p| p.trim_start_matches('/'))
        .filter(|p| !p.starts_with('-'))
        .collect();
    assert!(
        packages.iter().all(|p| !p.starts_with("com.unity.modules")),
        "{gets:#?}"
    );
    assert!(!packages.contains(&"com.acme.tools"), "{gets:#?}");
    for asked in [
        "com.acme.game",
        "com.acme.core",
        "com.acme.new",
        "com.partner.sdk",
    ] {
        assert!(
            packages.contains(&asked),
            "{asked} was not asked: {gets:#?}"
        );
    }
}
