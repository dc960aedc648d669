//! A real Verdaccio on loopback for the tests of every crate that needs one (the registry
//! prober's and the CLI's), included with `#[path]`: the committed `tests/registry-server`
//! (Verdaccio 6.8.0 under `run.js`, `uplinks: {}`), started on a free port with its own storage,
//! seeded through the npm API. Nothing here talks to any address but 127.0.0.1.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

/// `tests/registry-server` at the workspace root.
pub fn server_dir() -> PathBuf {
    // The including test's package is the root package or one under `crates/`: look upwards.
    let mut dir = Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf();
    loop {
        let candidate = dir.join("tests/registry-server");
        if candidate.is_dir() || !dir.pop() {
            return candidate;
        }
    }
}

const INSTALL_HINT: &str = "Verdaccio is not installed for the registry tests. Run \
    `npm ci --prefix tests/registry-server` from the repository root (or `tests/run`, whose step \
    tests/steps/05-install-verdaccio.sh does it).";

/// A Verdaccio process on a free loopback port, with its own storage in a temporary directory.
/// Stopped on drop; and since it runs under `run.js`, which stops it when our end of its stdin
/// closes, it also stops when the test process dies.
pub struct Verdaccio {
    child: Child,
    _stdin: ChildStdin,
    /// `http://127.0.0.1:<port>` (or `https://`), no trailing slash.
    pub url: String,
    pub port: u16,
    pub dir: PathBuf,
    /// Verdaccio's own log (with `log_requests`, one `http` line per request).
    log: PathBuf,
    _tempdir: Option<tempfile::TempDir>,
}

/// Extra files for an HTTPS Verdaccio.
pub struct Tls {
    pub key: PathBuf,
    pub cert: PathBuf,
}

impl Verdaccio {
    /// Starts Verdaccio with the committed `config.yaml`. `shared`: the temporary directory is
    /// handed to `run.js` to delete when Verdaccio stops (the instance lives in a static that is
    /// never dropped).
    pub fn start(tls: Option<&Tls>, shared: bool) -> Verdaccio {
        Verdaccio::start_with(tls, shared, false)
    }

    /// [`Verdaccio::start`]; with `log_requests`, Verdaccio logs every request (its `http` log
    /// level) for [`Verdaccio::gets`].
    pub fn start_with(tls: Option<&Tls>, shared: bool, log_requests: bool) -> Verdaccio {
        let dir = server_dir();
        let bin = dir.join("node_modules/verdaccio/bin/verdaccio");
        assert!(bin.exists(), "{INSTALL_HINT} (missing: {})", bin.display());

        let tempdir = tempfile::Builder::new()
            .prefix("manifest-lint-verdaccio-")
            .tempdir()
            .expect("temporary directory");
        let mut config = std::fs::read_to_string(dir.join("config.yaml")).expect("config.yaml");
        if log_requests {
            config = config.replace("level: warn", "level: http");
            assert!(
                config.contains("level: http"),
                "config.yaml changed its log level line"
            );
        }
        if let Some(tls) = tls {
            config.push_str(&format!(
                "https:\n  key: {}\n  cert: {}\n",
                tls.key.display(),
                tls.cert.display()
            ));
        }
        let config_path = tempdir.path().join("config.yaml");
        std::fs::write(&config_path, config).expect("write config");
        let scheme = if tls.is_some() { "https" } else { "http" };

        let mut last_log = String::new();
        for _attempt in 0..3 {
            let port = free_port();
            let log_path = tempdir.path().join(format!("verdaccio-{port}.log"));
            let log = std::fs::File::create(&log_path).expect("log file");
            let mut command = Command::new("node");
            command.arg(dir.join("run.js"));
            if shared {
                command.arg("--remove-on-exit").arg(tempdir.path());
            }
            command
                .arg("-c")
                .arg(&config_path)
                .arg("-l")
                .arg(format!("{scheme}://127.0.0.1:{port}"))
                .stdin(Stdio::piped())
                .stdout(log.try_clone().expect("log"))
                .stderr(log);
            let mut child = command.spawn().unwrap_or_else(|e| {
                panic!("cannot run `node` ({e}): Node.js is needed for the registry tests")
            });
            let stdin = child.stdin.take().expect("piped stdin");
            if wait_listening(&mut child, port, Duration::from_secs(30)) {
                let dir_path = tempdir.path().to_path_buf();
                let tempdir = if shared {
                    let _ = tempdir.keep();
                    None
                } else {
                    Some(tempdir)
                };
                return Verdaccio {
                    child,
                    _stdin: stdin,
                    url: format!("{scheme}://127.0.0.1:{port}"),
                    port,
                    dir: dir_path,
                    log: log_path,
                    _tempdir: tempdir,
                };
            }
            let _ = child.kill();
            let _ = child.wait();
            last_log = std::fs::read_to_string(&log_path).unwrap_or_default();
        }
        panic!("Verdaccio did not start (3 tries). Last log:\n{last_log}");
    }

    /// Registers a user through the npm login API and returns its token.
    pub fn add_user(&self, name: &str, password: &str) -> String {
        let body = format!(r#"{{"name":"{name}","password":"{password}"}}"#);
        let (status, answer) = http1(
            self.port,
            "PUT",
            &format!("/-/user/org.couchdb.user:{name}"),
            &[("content-type", "application/json")],
            body.as_bytes(),
        );
        assert_eq!(status, 201, "adding user {name}: {answer}");
        let json: serde_json::Value = serde_json::from_str(&answer).expect("JSON");
        json["token"].as_str().expect("token").to_string()
    }

    /// Publishes one version the way `npm publish` does: PUT of the packument with the tarball
    /// as a base64 attachment (the tarball content is not inspected by Verdaccio).
    pub fn publish(&self, token: &str, name: &str, version: &str, tag: &str) {
        self.publish_with(token, name, version, tag, &[], "2021.3");
    }

    /// [`Verdaccio::publish`] with `dependencies` and a `unity` field.
    pub fn publish_with(
        &self,
        token: &str,
        name: &str,
        version: &str,
        tag: &str,
        dependencies: &[(&str, &str)],
        unity: &str,
    ) {
        let dependencies: serde_json::Map<String, serde_json::Value> = dependencies
            .iter()
            .map(|(n, v)| (n.to_string(), serde_json::Value::from(*v)))
            .collect();
        let tarball = format!("fixture tarball of {name}@{version}");
        let body = serde_json::json!({
            "_id": name,
            "name": name,
            "description": format!("Fixture {name}"),
            "dist-tags": { tag: version },
            "versions": { version: {
                "name": name,
                "version": version,
                "description": format!("Fixture {name}"),
                "unity": unity,
                "dependencies": dependencies,
                "dist": { "tarball": format!("{}/{name}/-/{name}-{version}.tgz", self.url) },
            }},
            "_attachments": { format!("{name}-{version}.tgz"): {
                "content_type": "application/octet-stream",
                "data": base64(tarball.as_bytes()),
                "length": tarball.len(),
            }},
        })
        .to_string();
        let (status, answer) = http1(
            self.port,
            "PUT",
            &format!("/{name}"),
            &[
                ("content-type", "application/json"),
                ("authorization", &format!("Bearer {token}")),
            ],
            body.as_bytes(),
        );
        assert!(
            status == 200 || status == 201,
            "publishing {name}@{version}: {status} {answer}"
        );
    }
}

impl Verdaccio {
    /// The paths of the GET requests Verdaccio logged, in order (needs `log_requests`; its
    /// `http` lines carry the method and URL, or only a message `'GET /path'`).
    pub fn gets(&self) -> Vec<String> {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let mut out = Vec::new();
        for line in log.lines() {
            let Ok(entry) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            let msg = entry["msg"].as_str().unwrap_or("");
            let (Some(method), Some(url)) = (
                entry["request"]["method"].as_str(),
                entry["request"]["url"].as_str(),
            ) else {
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

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// Polls (bounded) until something listens on the port, or the child exits.
fn wait_listening(child: &mut Child, port: u16, limit: Duration) -> bool {
    let start = Instant::now();
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    while start.elapsed() < limit {
        if let Ok(Some(_)) = child.try_wait() {
            return false;
        }
        if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

/// A minimal blocking HTTP/1.1 exchange on loopback (for seeding Verdaccio). Returns the status
/// and the body as text.
pub fn http1(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nhost: 127.0.0.1:{port}\r\nconnection: close\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).expect("write");
    stream.write_all(body).expect("write body");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read");
    let text = String::from_utf8_lossy(&raw).to_string();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
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
