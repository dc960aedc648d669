//! A small LSP client for tests and the benchmark: real `Content-Length` framing over any
//! async byte streams (in-process pipes or a child process's stdio).
#![allow(dead_code)]

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;

/// How long a test waits for any one answer before failing.
/// The manifest most tests open: a scope listed twice, a redundant one, three dependencies.
pub const URI: &str = "file:///game/Packages/manifest.json";

pub const MANIFEST: &str = r#"{
  "dependencies": {
    "com.example.tools": "1.2.0",
    "com.unity.ugui": "2.0.0",
    "jp.keijiro.klak.ndi": "2.1.4"
  },
  "scopedRegistries": [
    {
      "name": "OpenUPM",
      "url": "https://package.openupm.com",
      "scopes": [
        "com.example",
        "com.example.tools",
        "com.example",
        "jp.keijiro"
      ]
    }
  ]
}
"#;

pub const TIMEOUT: Duration = Duration::from_secs(20);

pub struct TestClient {
    writer: Box<dyn AsyncWrite + Unpin + Send>,
    /// Each message with the moment its frame had been read whole (before it was parsed).
    incoming: mpsc::UnboundedReceiver<(Instant, Value)>,
    /// When the frame of the message [`TestClient::wait_for`] returned last had been read, if it
    /// came straight from the server (not from the backlog).
    pub arrival: Option<Instant>,
    /// Notifications (and server requests) received while waiting for something else.
    backlog: VecDeque<Value>,
    next_id: i64,
    /// The answer to `workspace/configuration` for our section.
    pub configuration: Value,
    /// Methods of the requests the server sent to the client.
    pub server_requests: Vec<String>,
    /// The `registrations` of every `client/registerCapability` request.
    pub registrations: Vec<Value>,
}

/// Reads framed messages from `reader` and forwards them, until the stream ends.
async fn read_loop<R: AsyncRead + Unpin>(reader: R, tx: mpsc::UnboundedSender<(Instant, Value)>) {
    let mut reader = BufReader::new(reader);
    loop {
        let mut length = None;
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length:") {
                length = v.trim().parse::<usize>().ok();
            }
        }
        let Some(length) = length else { return };
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).await.is_err() {
            return;
        }
        let arrival = Instant::now();
        let Ok(value) = serde_json::from_slice::<Value>(&body) else {
            return;
        };
        if tx.send((arrival, value)).is_err() {
            return;
        }
    }
}

impl TestClient {
    pub fn new<R, W>(reader: R, writer: W) -> TestClient
    where
        R: AsyncRead + Unpin + Send + 'static,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(read_loop(reader, tx));
        TestClient {
            writer: Box::new(writer),
            incoming: rx,
            arrival: None,
            backlog: VecDeque::new(),
            next_id: 1,
            configuration: Value::Null,
            server_requests: Vec::new(),
            registrations: Vec::new(),
        }
    }

    pub async fn send(&mut self, message: Value) {
        let body = serde_json::to_vec(&message).unwrap();
        let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        framed.extend(body);
        self.writer
            .write_all(&framed)
            .await
            .expect("write to server");
        self.writer.flush().await.expect("flush to server");
    }

    /// Writes `bytes` to the server as they are (for malformed framing).
    pub async fn send_raw(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).await.expect("write to server");
        self.writer.flush().await.expect("flush to server");
    }

    /// The next response (a message without `method`) whose id is `id`, `null` included.
    pub async fn response(&mut self, id: &Value) -> Value {
        if let Some(i) = self
            .backlog
            .iter()
            .position(|m| m.get("method").is_none() && m["id"] == *id)
        {
            return self.backlog.remove(i).unwrap();
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let message = self
                .receive(deadline)
                .await
                .unwrap_or_else(|| panic!("no response with id {id} within {TIMEOUT:?}"));
            if message.get("method").is_none() && message["id"] == *id {
                return message;
            }
            self.backlog.push_back(message);
        }
    }

    pub async fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}))
            .await;
    }

    /// Sends a request and returns the whole response (`result` or `error`).
    pub async fn request_raw(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let message = self.receive(deadline).await.unwrap_or_else(|| {
                panic!("no answer to {method} within {TIMEOUT:?}");
            });
            if message.get("method").is_none() && message["id"] == json!(id) {
                return message;
            }
            self.backlog.push_back(message);
        }
    }

    /// Sends a request and returns its `result`, failing on an error answer.
    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_raw(method, params).await;
        assert!(
            response.get("error").is_none(),
            "{method} failed: {response}"
        );
        response["result"].clone()
    }

    /// The next message from the server, answering its requests on the way; `None` at the
    /// deadline or when the server closed the stream.
    async fn receive(&mut self, deadline: Instant) -> Option<Value> {
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let (arrival, message) = tokio::time::timeout(left, self.incoming.recv())
                .await
                .ok()??;
            self.arrival = Some(arrival);
            if message.get("method").is_some() && message.get("id").is_some() {
                self.answer_server_request(&message).await;
                continue;
            }
            return Some(message);
        }
    }

    async fn answer_server_request(&mut self, request: &Value) {
        let method = request["method"].as_str().unwrap_or_default().to_string();
        let result = match method.as_str() {
            "workspace/configuration" => {
                let items = request["params"]["items"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                Value::Array(items.iter().map(|_| self.configuration.clone()).collect())
            }
            _ => Value::Null,
        };
        if method == "client/registerCapability" {
            let list = request["params"]["registrations"].as_array();
            self.registrations
                .extend(list.into_iter().flatten().cloned());
        }
        self.server_requests.push(method);
        let id = request["id"].clone();
        self.send(json!({"jsonrpc": "2.0", "id": id, "result": result}))
            .await;
    }

    /// Waits for a notification `method` whose params satisfy `accept`; earlier notifications
    /// that do not match are dropped.
    pub async fn wait_for(
        &mut self,
        method: &str,
        mut accept: impl FnMut(&Value) -> bool,
    ) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        // The params are taken, not cloned: a clone of a large publish costs the keystroke bench
        // more than the server's work on it.
        while let Some(mut message) = self.backlog.pop_front() {
            if message["method"] == method && accept(&message["params"]) {
                self.arrival = None;
                return message["params"].take();
            }
        }
        loop {
            let mut message = self
                .receive(deadline)
                .await
                .unwrap_or_else(|| panic!("no {method} within {TIMEOUT:?}"));
            if message["method"] == method && accept(&message["params"]) {
                return message["params"].take();
            }
        }
    }

    /// Collects messages for `duration` (answering server requests), returning them.
    pub async fn drain(&mut self, duration: Duration) -> Vec<Value> {
        let deadline = Instant::now() + duration;
        let mut out: Vec<Value> = self.backlog.drain(..).collect();
        while let Some(message) = self.receive(deadline).await {
            out.push(message);
        }
        out
    }

    /// The diagnostics published for `uri` at `version`.
    pub async fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let mut params = self
            .wait_for("textDocument/publishDiagnostics", |p| {
                p["uri"] == uri && p["version"] == json!(version)
            })
            .await;
        match params["diagnostics"].take() {
            Value::Array(diagnostics) => diagnostics,
            _ => Vec::new(),
        }
    }

    /// `initialize` (with the given capabilities and initialization options) then `initialized`;
    /// returns the initialize result.
    pub async fn initialize(&mut self, capabilities: Value, options: Value) -> Value {
        let result = self
            .request(
                "initialize",
                json!({"processId": null, "rootUri": null, "capabilities": capabilities,
                       "initializationOptions": options}),
            )
            .await;
        self.notify("initialized", json!({})).await;
        result
    }

    pub async fn open(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "json", "version": version, "text": text}}),
        )
        .await;
    }

    pub async fn change(&mut self, uri: &str, version: i64, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        )
        .await;
    }

    /// Replaces the whole text.
    pub async fn change_all(&mut self, uri: &str, version: i64, text: &str) {
        self.change(uri, version, json!([{ "text": text }])).await;
    }

    pub async fn shutdown_and_exit(&mut self) {
        self.request("shutdown", Value::Null).await;
        self.notify("exit", Value::Null).await;
    }
}

/// `{"line": l, "character": c}`.
pub fn pos(line: u32, character: u32) -> Value {
    json!({"line": line, "character": character})
}

/// The UTF-16 position of byte `offset` of `text`.
pub fn utf16_at(text: &str, offset: usize) -> Value {
    let before = &text[..offset];
    let line = before.matches('\n').count() as u32;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col: usize = text[line_start..offset].chars().map(char::len_utf16).sum();
    pos(line, col as u32)
}

/// The UTF-16 position of the `nth` (0-based) occurrence of `needle` in `text`, moved right by
/// `shift` bytes.
pub fn find(text: &str, needle: &str, nth: usize, shift: usize) -> Value {
    let at = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} #{nth} not in text"))
        .0;
    utf16_at(text, at + shift)
}

/// Applies LSP text edits (UTF-16 positions, `\n` line breaks) to `text`, as a client would.
pub fn apply_edits(text: &str, edits: &[Value]) -> String {
    let offset = |p: &Value| -> usize {
        let line = p["line"].as_u64().unwrap() as usize;
        let character = p["character"].as_u64().unwrap() as usize;
        let mut start = 0;
        for _ in 0..line {
            start += text[start..]
                .find('\n')
                .map_or(text.len() - start, |i| i + 1);
        }
        let mut units = 0;
        for (i, ch) in text[start..].char_indices() {
            if units >= character || ch == '\n' || ch == '\r' {
                return start + i;
            }
            units += ch.len_utf16();
        }
        text.len()
    };
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (a, b, new) in spans {
        out.replace_range(a..b, &new);
    }
    out
}

/// The rule ids of published diagnostics.
pub fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Starts `bin lsp` with piped stdio (stderr shown) and a client on it; the process is killed
/// when the handle is dropped.
pub fn spawn_server(bin: &str) -> (TestClient, tokio::process::Child) {
    let mut child = tokio::process::Command::new(bin)
        .arg("lsp")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("start manifest-lint lsp");
    let stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    (TestClient::new(stdout, stdin), child)
}
