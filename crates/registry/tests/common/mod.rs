//! Test harness: a real Verdaccio on loopback, small fault servers on loopback, and helpers.
//! Nothing here talks to any address but 127.0.0.1.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use manifest_lint_registry::upmconfig::{ConfigLocation, ConfigPaths};
use manifest_lint_registry::{ProbeOptions, Prober, UpmConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

// ---------------------------------------------------------------------------------------------
// Verdaccio
// ---------------------------------------------------------------------------------------------

#[path = "../../../../tests/support/verdaccio.rs"]
mod verdaccio;
pub use verdaccio::*;

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
