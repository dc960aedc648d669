use super::prelude::*;
use crate::facts::RegistryStatus;

declare_rule! {
    /// ## What it does
    /// With online checks on, reports a registry that answered 401 or 403: no credentials in
    /// `.upmconfig.toml` match its URL, or the ones sent were refused. It names the `npmAuth` key
    /// Unity would use, and says so when a key exists that differs only by the scheme (`http`
    /// for `https`), which is not matched. (A key that differs only by a trailing slash is
    /// matched, as openupm-cli does, and sent.)
    ///
    /// ## Why is this bad?
    /// Unity shows `Access to '...' was denied` for every package of the registry. The key of an
    /// `[npmAuth."..."]` table must be the registry URL: `http://npm.example.com` does not
    /// authorise `https://npm.example.com`.
    ///
    /// ## Example
    /// ```toml
    /// # ~/.upmconfig.toml, for "url": "https://npm.example.com"
    /// [npmAuth."http://npm.example.com"]
    /// token = "..."
    /// ```
    ///
    /// ## How to fix
    /// Add (or correct) `[npmAuth."<the registry url, exactly>"]` with a valid `token` (or
    /// `_auth`) in `~/.upmconfig.toml` (`%USERPROFILE%\.upmconfig.toml` on Windows).
    pub static REGISTRY_UNAUTHORIZED = {
        id: "registry-unauthorized",
        severity: Error,
        summary: "A registry that refuses access (401/403) with the credentials Unity would send",
        online: true,
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(facts) = ctx.facts else { return };
    for url in ctx.registry_urls() {
        let Some(RegistryStatus::Unauthorized {
            status,
            credentials,
        }) = facts.registry(&url.value)
        else {
            continue;
        };
        let shown = crate::url::redact(&url.value);
        let mut d = match &credentials.sent_key {
            Some(key) => Diagnostic::new(
                &REGISTRY_UNAUTHORIZED,
                url.span,
                format!("Registry `{shown}` refused the credentials from .upmconfig.toml (HTTP {status})"),
            )
            .with_note(format!(
                "sent: [npmAuth.\"{key}\"]{}; check that the token is valid and has read access",
                credentials.config_file.as_ref().map(|f| format!(" from {f}")).unwrap_or_default()
            )),
            None => Diagnostic::new(
                &REGISTRY_UNAUTHORIZED,
                url.span,
                format!("Registry `{shown}` requires credentials, and no .upmconfig.toml entry matches its URL (HTTP {status})"),
            )
            .with_note(format!("Unity looks for [npmAuth.\"{shown}\"] in ~/.upmconfig.toml")),
        };
        if let Some(near) = &credentials.near_miss_key {
            d = d.with_note(format!(
                "[npmAuth.\"{near}\"] exists but its scheme differs from the registry URL's, so it is not used"
            ));
        }
        out.push(d);
    }
}
