use super::prelude::*;
use crate::facts::{NetworkFailure, RegistryStatus};

declare_rule! {
    /// ## What it does
    /// With online checks on (`--online`, or the language server's default), reports a registry
    /// that could not be reached: its host name does not resolve, the connection is refused, TLS
    /// fails, it does not answer within the timeout, or it answers with a server error (5xx).
    ///
    /// ## Why is this bad?
    /// Unity fails every package of an unreachable registry (`Unable to connect`, `Request [GET
    /// ...] failed with status code [503]`) and, with no fallback, the project does not open
    /// cleanly. Dead registries are common: Bintray closed in 2021 and manifests still name it.
    ///
    /// ## Example
    /// ```json
    /// { "name": "Bintray", "url": "https://api.bintray.com/npm/example/unity", "scopes": ["com.example"] }
    /// ```
    ///
    /// ## How to fix
    /// Check the URL for typos, your network or VPN, and whether the registry moved. Replace a
    /// dead registry with the one its packages moved to.
    pub static UNREACHABLE_REGISTRY = {
        id: "unreachable-registry",
        severity: Error,
        summary: "A registry that cannot be reached (DNS, refused, TLS, timeout, 5xx)",
        online: true,
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(facts) = ctx.facts else { return };
    for url in ctx.registry_urls() {
        let Some(RegistryStatus::Unreachable { failure, detail }) = facts.registry(&url.value)
        else {
            continue;
        };
        let shown = crate::url::redact(&url.value);
        let why = match failure {
            NetworkFailure::Dns => "its host name does not resolve".to_string(),
            NetworkFailure::ConnectionRefused => "the connection was refused".to_string(),
            NetworkFailure::Tls => "the TLS (https) handshake failed".to_string(),
            NetworkFailure::Timeout => "it did not answer in time".to_string(),
            NetworkFailure::ServerError(status) => {
                format!("it answered with server error {status}")
            }
            NetworkFailure::Other => "the request failed".to_string(),
        };
        let mut d = Diagnostic::new(
            &UNREACHABLE_REGISTRY,
            url.span,
            format!("Registry `{shown}` is unreachable: {why}"),
        );
        if !detail.is_empty() {
            d = d.with_note(detail.clone());
        }
        out.push(d.with_note("Unity fails every package of an unreachable registry"));
    }
}
