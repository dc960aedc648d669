//! Which addresses a prober may connect to, and the budget of one run.
//!
//! * [`AddressGuard`]: with [`crate::ProbeOptions::block_internal`] on (the language server's
//!   default), loopback, private, link-local and unspecified addresses are never connected to
//!   unless their host is allowed. IP literals are checked before each request, redirect hops
//!   included; host names after DNS resolution, by [`GuardedResolver`] (so a public name that
//!   resolves to `127.0.0.1` or `10.0.0.5` is caught too).
//! * [`Run`]: one overall deadline and a cap on requests for one [`crate::Prober::probe`] call.

use std::collections::HashSet;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use reqwest::Url;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::Host;

/// Whether `ip` is loopback, private, link-local, unspecified (or another address that only
/// means something inside this machine or its network), in any of its IPv6 spellings.
pub fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_internal_v4(v4),
        IpAddr::V6(v6) => is_internal_v6(v6),
    }
}

fn is_internal_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_loopback()            // 127.0.0.0/8
        || ip.is_private()      // 10/8, 172.16/12, 192.168/16
        || ip.is_link_local()   // 169.254/16
        || ip.is_unspecified()  // 0.0.0.0
        || ip.is_broadcast()
        || a == 0               // 0.0.0.0/8, "this network"
        || (a == 100 && (64..128).contains(&b)) // 100.64/10, carrier-grade NAT
}

fn is_internal_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    if ip.is_loopback() || ip.is_unspecified() {
        return true;
    }
    // fc00::/7 (unique local), fe80::/10 (link-local), fec0::/10 (old site-local).
    if (s[0] & 0xfe00) == 0xfc00 || (s[0] & 0xffc0) == 0xfe80 || (s[0] & 0xffc0) == 0xfec0 {
        return true;
    }
    // IPv4 inside IPv6: mapped ::ffff:a.b.c.d, compatible ::a.b.c.d, NAT64 64:ff9b::a.b.c.d.
    let embedded = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    let mapped = s[..5] == [0, 0, 0, 0, 0] && s[5] == 0xffff;
    let compatible = s[..6] == [0, 0, 0, 0, 0, 0];
    let nat64 = s[..6] == [0x64, 0xff9b, 0, 0, 0, 0];
    (mapped || compatible || nat64) && is_internal_v4(embedded)
}

/// The error a blocked connection fails with (found again in the error chain by `classify`).
#[derive(Debug)]
pub(crate) struct InternalAddress {
    pub host: String,
}

impl fmt::Display for InternalAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "not checked: `{}` is, or resolves only to, an internal address (loopback, private, link-local or \
             unspecified); online checks do not connect there unless you trust the registry",
            self.host
        )
    }
}

impl std::error::Error for InternalAddress {}

/// The address policy of one prober.
#[derive(Debug, Clone, Default)]
pub(crate) struct AddressGuard {
    pub block_internal: bool,
    /// Lower-case host names and IP literals (as `url` writes them) that may be internal.
    pub allowed: Arc<HashSet<String>>,
}

impl AddressGuard {
    pub(crate) fn new(block_internal: bool, allowed: &[String]) -> Self {
        let mut set: HashSet<String> = allowed.iter().map(|h| normalize_host(h)).collect();
        // The user's own proxy must stay reachable (it is often on a private address); with a
        // proxy, it is the proxy that resolves registry host names.
        for var in [
            "HTTPS_PROXY",
            "https_proxy",
            "HTTP_PROXY",
            "http_proxy",
            "ALL_PROXY",
            "all_proxy",
        ] {
            if let Some(host) = std::env::var(var)
                .ok()
                .and_then(|v| Url::parse(v.trim()).ok())
                .and_then(|u| u.host_str().map(normalize_host))
            {
                set.insert(host);
            }
        }
        AddressGuard {
            block_internal,
            allowed: Arc::new(set),
        }
    }

    /// `Err` when `url`'s host is an internal IP literal that is not allowed.
    pub(crate) fn check_url(&self, url: &Url) -> Result<(), InternalAddress> {
        if !self.block_internal {
            return Ok(());
        }
        let ip = match url.host() {
            Some(Host::Ipv4(ip)) => IpAddr::V4(ip),
            Some(Host::Ipv6(ip)) => IpAddr::V6(ip),
            _ => return Ok(()),
        };
        let host = url.host_str().map(normalize_host).unwrap_or_default();
        if is_internal(ip) && !self.allowed.contains(&host) {
            return Err(InternalAddress { host });
        }
        Ok(())
    }
}

fn normalize_host(host: &str) -> String {
    host.trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .trim_end_matches('.')
        .to_ascii_lowercase()
}

/// A DNS resolver that drops internal addresses of hosts that are not allowed.
pub(crate) struct GuardedResolver {
    pub allowed: Arc<HashSet<String>>,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = normalize_host(name.as_str());
        let allowed = self.allowed.contains(&host);
        Box::pin(async move {
            let all: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if allowed {
                return Ok(Box::new(all.into_iter()) as Addrs);
            }
            let public: Vec<SocketAddr> = all
                .iter()
                .copied()
                .filter(|a| !is_internal(a.ip()))
                .collect();
            if public.is_empty() && !all.is_empty() {
                return Err(Box::new(InternalAddress { host }) as Box<_>);
            }
            Ok(Box::new(public.into_iter()) as Addrs)
        })
    }
}

/// The budget of one run: a deadline, and how many requests may still be sent.
#[derive(Debug)]
pub(crate) struct Run {
    pub deadline: Instant,
    left: AtomicUsize,
    pub cap: usize,
}

impl Run {
    pub(crate) fn new(deadline: Instant, cap: usize) -> Arc<Run> {
        Arc::new(Run {
            deadline,
            left: AtomicUsize::new(cap),
            cap,
        })
    }

    /// Takes one request from the budget; `false` when none is left.
    pub(crate) fn take_request(&self) -> bool {
        self.left
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_addresses_in_every_spelling() {
        for ip in [
            "127.0.0.1",
            "127.255.0.9",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "0.1.2.3",
            "100.64.0.1",
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "::127.0.0.1",
            "::ffff:0.0.0.0",
            "64:ff9b::10.0.0.1",
        ] {
            assert!(is_internal(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "8.8.8.8",
            "172.32.0.1",
            "192.169.0.1",
            "100.128.0.1",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
            "64:ff9b::8.8.8.8",
        ] {
            assert!(!is_internal(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn ip_literals_are_checked_unless_allowed() {
        let guard = AddressGuard {
            block_internal: true,
            allowed: Arc::new(["127.0.0.2".to_string(), "::1".to_string()].into()),
        };
        let check = |u: &str| guard.check_url(&Url::parse(u).unwrap()).is_ok();
        assert!(!check("http://127.0.0.1:4873/x"));
        assert!(!check("http://[::ffff:7f00:1]/x"));
        assert!(!check("http://0x7f000001/x")); // the URL standard reads this as 127.0.0.1
        assert!(!check("http://[fe80::1]/"));
        assert!(check("http://127.0.0.2:4873/x"));
        assert!(check("http://[::1]:4873/x"));
        assert!(check("https://8.8.8.8/x"));
        assert!(check("https://registry.example/x")); // names: checked after DNS
        let open = AddressGuard::default();
        assert!(
            open.check_url(&Url::parse("http://127.0.0.1/").unwrap())
                .is_ok()
        );
    }
}
