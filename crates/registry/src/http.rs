//! One HTTP exchange: GET with redirects followed by hand (so credentials never leave the
//! registry's URL prefix), the body read as a stream up to a cap, failures classified.

use std::time::{Duration, Instant};

use manifest_lint_core::facts::{NetworkFailure, SkipReason};
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderValue, LOCATION};
use reqwest::{Client, StatusCode, Url};

use crate::guard::{AddressGuard, InternalAddress, Run};
use crate::urls::{RegistryBase, origin_only};

/// How much of the body to read.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Body {
    /// Read it all, failing past `cap` bytes.
    Full { cap: usize },
    /// Read only up to the first non-whitespace byte (enough to see that it is JSON), then drop
    /// the connection: for `/-/all`, which can be huge.
    FirstByte,
}

/// A completed exchange.
#[derive(Debug)]
pub(crate) struct Answer {
    pub status: StatusCode,
    /// The body (for [`Body::FirstByte`]: just the first non-whitespace byte, if any).
    pub body: Vec<u8>,
}

/// A failed exchange: no usable HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    pub failure: NetworkFailure,
    pub detail: String,
    /// Set when the request was not sent, or not finished, for a reason that says nothing about
    /// the registry (an address not allowed, the run's deadline or cap, no file descriptors
    /// left here): the caller reports "not checked", never "unreachable".
    pub skip: Option<SkipReason>,
}

impl Failure {
    fn other(detail: impl Into<String>) -> Self {
        Failure {
            failure: NetworkFailure::Other,
            detail: detail.into(),
            skip: None,
        }
    }

    pub(crate) fn skipped(reason: SkipReason, detail: impl Into<String>) -> Self {
        Failure {
            failure: NetworkFailure::Other,
            detail: detail.into(),
            skip: Some(reason),
        }
    }
}

/// Settings for [`get`].
pub(crate) struct Exchange<'a> {
    pub client: &'a Client,
    pub registry: &'a RegistryBase,
    /// Sent only on requests that [`RegistryBase::covers`].
    pub auth: Option<&'a HeaderValue>,
    pub timeout: Duration,
    pub max_redirects: usize,
    pub accept: &'static str,
    pub guard: &'a AddressGuard,
    pub run: &'a Run,
}

/// GETs `url` under one overall timeout (covering redirects and the body), cut short by the
/// run's deadline.
pub(crate) async fn get(ex: &Exchange<'_>, url: Url, body: Body) -> Result<Answer, Failure> {
    let left = ex.run.deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Err(deadline_passed());
    }
    let timeout = ex.timeout.min(left);
    match tokio::time::timeout(timeout, get_inner(ex, url, body)).await {
        Ok(result) => result,
        Err(_) if timeout < ex.timeout => Err(deadline_passed()),
        Err(_) => Err(Failure {
            failure: NetworkFailure::Timeout,
            detail: format!("no complete answer within {}", human(ex.timeout)),
            skip: None,
        }),
    }
}

fn deadline_passed() -> Failure {
    Failure::skipped(
        SkipReason::Deadline,
        "not checked: the run's overall deadline passed",
    )
}

async fn get_inner(ex: &Exchange<'_>, mut url: Url, body: Body) -> Result<Answer, Failure> {
    let mut visited: Vec<Url> = Vec::new();
    loop {
        // Every hop: an internal IP literal is refused before anything is sent (host names are
        // checked after DNS resolution, by the resolver), and each request counts.
        if let Err(blocked) = ex.guard.check_url(&url) {
            return Err(Failure::skipped(
                SkipReason::InternalAddress,
                blocked.to_string(),
            ));
        }
        if !ex.run.take_request() {
            return Err(Failure::skipped(
                SkipReason::RequestCap,
                format!(
                    "not checked: the run's cap of {} requests was reached",
                    ex.run.cap
                ),
            ));
        }
        let mut request = ex
            .client
            .get(url.clone())
            .header(ACCEPT, HeaderValue::from_static(ex.accept));
        if let Some(auth) = ex.auth {
            if ex.registry.covers(&url) {
                request = request.header(AUTHORIZATION, auth.clone());
            }
        }
        let mut response = request.send().await.map_err(classify)?;
        let status = response.status();
        if status.is_redirection() {
            if let Some(location) = response.headers().get(LOCATION) {
                let next = location
                    .to_str()
                    .ok()
                    .and_then(|loc| url.join(loc).ok())
                    .ok_or_else(|| {
                        Failure::other(format!(
                            "HTTP {} with an unusable Location header",
                            status.as_u16()
                        ))
                    })?;
                if !matches!(next.scheme(), "http" | "https") {
                    return Err(Failure::other(format!(
                        "redirected to a non-http(s) URL ({})",
                        origin_only(&next)
                    )));
                }
                visited.push(url);
                if visited.contains(&next) {
                    return Err(Failure::other(format!(
                        "redirect loop (back to {})",
                        origin_only(&next)
                    )));
                }
                if visited.len() > ex.max_redirects {
                    return Err(Failure::other(format!(
                        "redirect loop: more than {} redirects, the last to {}",
                        ex.max_redirects,
                        origin_only(&next)
                    )));
                }
                url = next;
                continue;
            }
        }
        let bytes = match body {
            Body::Full { cap } => {
                if response
                    .content_length()
                    .is_some_and(|len| len > cap as u64)
                {
                    return Err(too_large(cap));
                }
                let mut bytes = Vec::new();
                while let Some(chunk) = response.chunk().await.map_err(classify)? {
                    if bytes.len() + chunk.len() > cap {
                        return Err(too_large(cap));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                bytes
            }
            Body::FirstByte => {
                let mut first = Vec::new();
                let mut seen = 0usize;
                while let Some(chunk) = response.chunk().await.map_err(classify)? {
                    if let Some(b) = chunk.iter().find(|b| !b.is_ascii_whitespace()) {
                        first.push(*b);
                        break;
                    }
                    seen += chunk.len();
                    if seen > 64 * 1024 {
                        break;
                    }
                }
                first
            }
        };
        return Ok(Answer {
            status,
            body: bytes,
        });
    }
}

fn too_large(cap: usize) -> Failure {
    Failure::other(format!(
        "the answer is larger than {}, the limit; it was not read further",
        human_bytes(cap)
    ))
}

/// Sorts a reqwest error into a [`NetworkFailure`], with a detail that names no URL.
pub(crate) fn classify(err: reqwest::Error) -> Failure {
    let is_timeout = err.is_timeout();
    let err = err.without_url();
    let mut parts: Vec<String> = Vec::new();
    let mut refused = false;
    let mut skip = None;
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&err);
    while let Some(e) = source {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::ConnectionRefused {
                refused = true;
            }
            // EMFILE, ENFILE, ENOBUFS: this machine is out of descriptors or buffers.
            if matches!(io.raw_os_error(), Some(23 | 24 | 105)) {
                skip = Some(SkipReason::LocalResources);
            }
        }
        if let Some(blocked) = e.downcast_ref::<InternalAddress>() {
            return Failure::skipped(SkipReason::InternalAddress, blocked.to_string());
        }
        let text = e.to_string();
        // reqwest's and hyper's wrappers say nothing the innermost errors do not.
        let generic =
            text.starts_with("error sending request") || text.starts_with("client error (");
        if !generic && !text.is_empty() && parts.last() != Some(&text) {
            parts.push(text);
        }
        source = e.source();
    }
    let detail = if parts.is_empty() {
        "the request failed".to_string()
    } else {
        parts.join(": ")
    };
    let lower = detail.to_ascii_lowercase();
    if skip.is_some() || lower.contains("too many open files") {
        return Failure::skipped(
            SkipReason::LocalResources,
            format!("not checked: this machine ran out of file descriptors or sockets ({detail})"),
        );
    }
    let failure = if is_timeout {
        NetworkFailure::Timeout
    } else if refused {
        NetworkFailure::ConnectionRefused
    } else if lower.contains("dns error")
        || lower.contains("failed to lookup address")
        || lower.contains("name or service not known")
        || lower.contains("no such host")
    {
        NetworkFailure::Dns
    } else if lower.contains("certificate")
        || lower.contains("tls")
        || lower.contains("ssl")
        || lower.contains("handshake")
        || lower.contains("corrupt message")
        || lower.contains("invalidcontenttype")
    {
        NetworkFailure::Tls
    } else {
        NetworkFailure::Other
    };
    Failure {
        failure,
        detail,
        skip: None,
    }
}

pub(crate) fn human(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

pub(crate) fn human_bytes(n: usize) -> String {
    const MIB: usize = 1024 * 1024;
    const KIB: usize = 1024;
    if n >= MIB && n % MIB == 0 {
        format!("{} MiB", n / MIB)
    } else if n >= KIB && n % KIB == 0 {
        format!("{} KiB", n / KIB)
    } else {
        format!("{n} bytes")
    }
}
