//! Starting the server inside the test process, over in-memory pipes.
#![allow(dead_code)]

use serde_json::{Value, json};

use crate::common::TestClient;

/// A server running in this process, with the task that serves (its output: whether `shutdown`
/// came before the end).
pub fn start_with_handle() -> (TestClient, tokio::task::JoinHandle<bool>) {
    let (client_end, server_end) = tokio::io::duplex(1 << 16);
    let (server_read, server_write) = tokio::io::split(server_end);
    let handle = tokio::spawn(manifest_lint_lsp::serve(server_read, server_write));
    let (client_read, client_write) = tokio::io::split(client_end);
    (TestClient::new(client_read, client_write), handle)
}

pub fn start() -> TestClient {
    start_with_handle().0
}

/// Initialized as a plain client (UTF-16, no configuration support) with `options`.
pub async fn with_options(options: Value) -> TestClient {
    let mut client = start();
    client.initialize(json!({}), options).await;
    client
}

/// Initialized as a plain client with online checks off.
pub async fn offline() -> TestClient {
    with_options(json!({"online": false})).await
}
