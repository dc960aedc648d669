use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a registry reached over plain `http://` on a host that is not this machine.
    ///
    /// ## Why is this bad?
    /// Over plain HTTP, the packages, their code and any token from `.upmconfig.toml` cross the
    /// network unencrypted: anyone on the path can read the token or swap a package. A registry on
    /// `localhost` (a local Verdaccio) is fine.
    ///
    /// ## Example
    /// ```json
    /// { "name": "Example", "url": "http://npm.example.com", "scopes": ["com.example"] }
    /// ```
    ///
    /// ## How to fix
    /// Use `https://` (the fix offers it; check that the server serves HTTPS).
    pub static INSECURE_REGISTRY_URL = {
        id: "insecure-registry-url",
        severity: Warning,
        summary: "Plain http to a host that is not loopback",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (url, parsed) in ctx.parsed_registry_urls() {
        let Ok(parsed) = parsed else {
            continue;
        };
        if !parsed.http || parsed.loopback {
            continue;
        }
        let https = format!("https{}", &url.value["http".len()..]);
        out.push(
            Diagnostic::new(
                &INSECURE_REGISTRY_URL,
                url.span,
                format!(
                    "`{}` is plain http: packages and credentials cross the network unencrypted",
                    crate::url::redact(&url.value)
                ),
            )
            .with_fix(Fix::unsafe_(
                "Use https",
                vec![Edit::replace(url.span, json_string(&https))],
            )),
        );
    }
}
