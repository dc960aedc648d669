//! Test harness: a real Verdaccio on loopback, small fault servers on loopback, and helpers.
//! Nothing here talks to any address but 127.0.0.1.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use manifest_lint_registry::upmconfig::{ConfigLocation, ConfigPaths};
use manifest_lint_registry::{ProbeOptions, Prober, UpmConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

// ---------------------------------------------------------------------------------------------
// Verdaccio
// ---------------------------------------------------------------------------------------------

/// `tests/registry-server` at the workspace root.
pub fn server_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/registry-server")
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
        let dir = server_dir();
        let bin = dir.join("node_modules/verdaccio/bin/verdaccio");
        assert!(bin.exists(), "{INSTALL_HINT} (missing: {})", bin.display());

        let tempdir = tempfile::Builder::new()
            .prefix("manifest-lint-verdaccio-")
            .tempdir()
            .expect("temporary directory");
        let mut config = std::fs::read_to_string(dir.join("config.yaml")).expect("config.yaml");
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

impl Drop for Verdaccio {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The per-test-binary Verdaccio, seeded once:
/// `com.example.tools` 1.0.0, 1.2.0 (latest), 2.0.0-preview.1 (tag preview);
/// `com.example.other` 1.0.0; `com.private.secret` 1.0.0 (readable only with a token);
/// `org.elsewhere.com.example` 1.0.0 (outside `com.example`, for fuzzy search). Each described
/// as "Fixture <name>".
pub struct Seeded {
    pub server: Verdaccio,
    /// Token of user `alice`.
    pub token: String,
}

pub fn verdaccio() -> &'static Seeded {
    static SHARED: OnceLock<Seeded> = OnceLock::new();
    SHARED.get_or_init(|| {
        let server = Verdaccio::start(None, true);
        let token = server.add_user("alice", "alice-password-1");
        for (name, version, tag) in [
            ("com.example.tools", "1.0.0", "latest"),
            ("com.example.tools", "1.2.0", "latest"),
            ("com.example.tools", "2.0.0-preview.1", "preview"),
            ("com.example.other", "1.0.0", "latest"),
            ("com.private.secret", "1.0.0", "latest"),
            ("org.elsewhere.com.example", "1.0.0", "latest"),
        ] {
            server.publish(&token, name, version, tag);
        }
        Seeded { server, token }
    })
}

fn free_port() -> u16 {
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

/// Makes a test CA and a server certificate for 127.0.0.1 with the `openssl` command.
/// Returns (CA PEM path, server files).
pub fn make_certificates(dir: &Path) -> (PathBuf, Tls) {
    let run = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .unwrap_or_else(|e| panic!("cannot run `openssl` ({e}): needed for the caFile test"));
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    std::fs::write(
        dir.join("server.ext"),
        "basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n\
         keyUsage=digitalSignature,keyEncipherment\n",
    )
    .expect("ext file");
    run(&[
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=manifest-lint test CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    run(&[
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=127.0.0.1",
    ]);
    run(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.crt",
        "-days",
        "2",
        "-extfile",
        "server.ext",
    ]);
    (
        dir.join("ca.pem"),
        Tls {
            key: dir.join("server.key"),
            cert: dir.join("server.crt"),
        },
    )
}

// ---------------------------------------------------------------------------------------------
// Configuration helpers
// ---------------------------------------------------------------------------------------------

/// Writes `user` (and `global`) TOML into a temporary directory and loads them as Unity would.
pub fn config(user: &str, global: Option<&str>) -> (UpmConfig, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let user_path = dir.path().join(".upmconfig.toml");
    std::fs::write(&user_path, user).expect("write");
    let global = global.map(|text| {
        let path = dir.path().join("upmconfig.toml");
        std::fs::write(&path, text).expect("write");
        ConfigLocation {
            path,
            from_env: None,
        }
    });
    let (config, errors) = UpmConfig::load(&ConfigPaths {
        user: Some(ConfigLocation {
            path: user_path,
            from_env: None,
        }),
        global,
    });
    assert!(errors.is_empty(), "unexpected config errors: {errors:?}");
    (config, dir)
}

pub fn options(timeout: Duration) -> ProbeOptions {
    ProbeOptions {
        timeout,
        ..ProbeOptions::default()
    }
}

pub fn prober(config: UpmConfig) -> Prober {
    Prober::new(options(Duration::from_secs(10)), config).expect("prober")
}

// ---------------------------------------------------------------------------------------------
// Fault servers
// ---------------------------------------------------------------------------------------------

/// One request as the fake server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// The request target: a path and query, or an absolute URL when we are used as a proxy.
    pub target: String,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }
}

/// What the fake server does with a request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// Status and JSON body.
    Json(u16, String),
    /// Status, no body.
    Status(u16),
    /// A 3xx with this `Location`.
    Redirect(u16, String),
    /// Reads the request and then says nothing (for 30 s at most, then closes).
    Silent,
    /// 200 with a body that never ends (stops after 256 MiB or when the client goes away).
    Endless,
    /// Waits, then does the inner reply.
    Delayed(Duration, Box<Reply>),
}

type Handler = dyn Fn(&Recorded) -> Reply + Send + Sync;

/// A tiny HTTP/1.1 server on 127.0.0.1 that records every request and answers through a closure.
pub struct FakeServer {
    pub addr: SocketAddr,
    pub requests: Arc<Mutex<Vec<Recorded>>>,
    pub connections: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl FakeServer {
    pub async fn start(handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> FakeServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let handler: Arc<Handler> = Arc::new(handler);
        let task = {
            let requests = Arc::clone(&requests);
            let connections = Arc::clone(&connections);
            tokio::spawn(async move {
                while let Ok((socket, _)) = listener.accept().await {
                    connections.fetch_add(1, Ordering::SeqCst);
                    let requests = Arc::clone(&requests);
                    let handler = Arc::clone(&handler);
                    tokio::spawn(async move {
                        let _ = serve(socket, requests, handler).await;
                    });
                }
            })
        };
        FakeServer {
            addr,
            requests,
            connections,
            task,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().expect("lock").clone()
    }

    pub fn count(&self) -> usize {
        self.requests.lock().expect("lock").len()
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    mut socket: tokio::net::TcpStream,
    requests: Arc<Mutex<Vec<Recorded>>>,
    handler: Arc<Handler>,
) -> std::io::Result<()> {
    let mut raw = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = socket.read(&mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        raw.extend_from_slice(&buf[..n]);
        if raw.first() == Some(&0x16) {
            // A TLS ClientHello on a plain-HTTP port: answer in plain HTTP, as a real server would.
            socket
                .write_all(
                    b"HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n",
                )
                .await?;
            return Ok(());
        }
        if raw.windows(4).any(|w| w == b"\r\n\r\n") || raw.len() > 64 * 1024 {
            break;
        }
    }
    let text = String::from_utf8_lossy(&raw).to_string();
    let mut lines = text.split("\r\n");
    let mut first = lines.next().unwrap_or("").split(' ');
    let method = first.next().unwrap_or("").to_string();
    let target = first.next().unwrap_or("").to_string();
    let headers = lines
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let request = Recorded {
        method,
        target,
        headers,
    };
    requests.lock().expect("lock").push(request.clone());
    let mut reply = handler(&request);
    loop {
        match reply {
            Reply::Delayed(wait, inner) => {
                tokio::time::sleep(wait).await;
                reply = *inner;
            }
            Reply::Json(status, body) => {
                let head = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                socket.write_all(head.as_bytes()).await?;
                socket.write_all(body.as_bytes()).await?;
                return socket.shutdown().await;
            }
            Reply::Status(status) => {
                let head = format!(
                    "HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                );
                socket.write_all(head.as_bytes()).await?;
                return socket.shutdown().await;
            }
            Reply::Redirect(status, location) => {
                let head = format!(
                    "HTTP/1.1 {status} X\r\nlocation: {location}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                );
                socket.write_all(head.as_bytes()).await?;
                return socket.shutdown().await;
            }
            Reply::Silent => {
                tokio::time::sleep(Duration::from_secs(30)).await;
                return Ok(());
            }
            Reply::Endless => {
                socket
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n{\"versions\":{\"")
                    .await?;
                let chunk = vec![b'a'; 64 * 1024];
                for _ in 0..(256 * 16) {
                    socket.write_all(&chunk).await?;
                }
                return Ok(());
            }
        }
    }
}

/// A port on which nothing listens (bound, then released).
pub fn closed_port() -> u16 {
    free_port()
}

/// A handler for a minimal healthy registry: search works, `com.example.tools` exists.
pub fn healthy(request: &Recorded) -> Reply {
    let path = request.path();
    if path.ends_with("/-/v1/search") {
        Reply::Json(200, r#"{"objects":[],"total":0}"#.to_string())
    } else if path.ends_with("/com.example.tools") {
        Reply::Json(
            200,
            r#"{"name":"com.example.tools","versions":{"1.0.0":{},"1.2.0":{}},"dist-tags":{"latest":"1.2.0"}}"#
                .to_string(),
        )
    } else {
        Reply::Json(404, r#"{"error":"not found"}"#.to_string())
    }
}
