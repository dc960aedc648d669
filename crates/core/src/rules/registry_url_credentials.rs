use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a registry URL with a user name or password inside it
    /// (`https://user:token@npm.example.com`).
    ///
    /// ## Why is this bad?
    /// The manifest is committed: the credentials are now in the repository's history, readable by
    /// everyone with access, and they end up in logs. Unity's supported place for registry
    /// credentials is `.upmconfig.toml` in the user's home folder. manifest-lint masks the secret
    /// in everything it prints.
    ///
    /// ## Example
    /// ```json
    /// { "name": "Example", "url": "https://ci:s3cret@npm.example.com", "scopes": ["com.example"] }
    /// ```
    ///
    /// ## How to fix
    /// Remove the credentials from the URL, revoke them (they are in the history), and put a new
    /// token in `~/.upmconfig.toml`:
    /// `[npmAuth."https://npm.example.com"]` with `token = "..."`.
    pub static REGISTRY_URL_CREDENTIALS = {
        id: "registry-url-credentials",
        severity: Error,
        summary: "A user or password inside a registry URL",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for url in ctx.registry_urls() {
        let inner = Span::new(url.span.start + 1, url.span.end.saturating_sub(1));
        let Some(raw) = ctx.text.get(inner.range()) else {
            continue;
        };
        let Some(range) = crate::url::userinfo_range(raw) else {
            continue;
        };
        let secret = Span::new(inner.start + range.start, inner.start + range.end + 1);
        let clean = format!("{}{}", &raw[..range.start], &raw[range.end + 1..]);
        let host_key = clean.trim_end_matches('/');
        out.push(
            Diagnostic::new(
                &REGISTRY_URL_CREDENTIALS,
                secret,
                "This registry URL contains credentials, which are now in the repository",
            )
            .with_note(format!(
                "remove them, revoke them, and put a token in ~/.upmconfig.toml under [npmAuth.\"{host_key}\"]"
            ))
            .with_fix(Fix::unsafe_(
                "Remove the credentials from the URL",
                vec![Edit::delete(secret)],
            )),
        );
    }
}
