use super::prelude::*;
use crate::url::{UrlProblem, parse_registry_url};

declare_rule! {
    /// ## What it does
    /// Reports a registry URL (a scoped registry's `url`, or the legacy top-level `registry`)
    /// that is not an absolute `http` or `https` URL.
    ///
    /// ## Why is this bad?
    /// Unity talks to registries over HTTP(S) only. A URL without a scheme
    /// (`npm.example.com`), with another scheme (`ftp://`, `git+https://`), blank, or with stray
    /// spaces fails with `Unable to connect` or makes Unity reject the configuration.
    ///
    /// ## Example
    /// ```json
    /// { "name": "Example", "url": "npm.example.com", "scopes": ["com.example"] }
    /// ```
    ///
    /// ## How to fix
    /// Write the full address with its scheme: `https://npm.example.com`. The fix adds
    /// `https://` or trims spaces where that is all that is missing.
    pub static INVALID_REGISTRY_URL = {
        id: "invalid-registry-url",
        severity: Error,
        summary: "A registry URL that is not an absolute http or https URL",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (url, parsed) in ctx.parsed_registry_urls() {
        let Err(problem) = parsed else {
            continue;
        };
        let shown = crate::url::redact(&url.value);
        let (message, fix) = match problem {
            UrlProblem::Empty => ("The registry URL is empty".to_string(), None),
            UrlProblem::SurroundingWhitespace => (
                format!("`{shown}` has spaces around it"),
                Some(Fix::safe(
                    "Trim the spaces",
                    vec![Edit::replace(url.span, json_string(url.value.trim()))],
                )),
            ),
            UrlProblem::NotAbsolute => {
                let with_scheme = format!("https://{}", url.value);
                let fix = parse_registry_url(&with_scheme).ok().map(|_| {
                    Fix::unsafe_(
                        "Add `https://`",
                        vec![Edit::replace(url.span, json_string(&with_scheme))],
                    )
                });
                (
                    format!("`{shown}` is not an absolute URL: it has no `https://`"),
                    fix,
                )
            }
            UrlProblem::Scheme(scheme) => (
                format!(
                    "`{shown}` uses `{scheme}:`, but registries are reached over http or https"
                ),
                None,
            ),
            UrlProblem::NoHost => (format!("`{shown}` has no host name"), None),
            UrlProblem::Malformed(why) => (format!("`{shown}` is not a valid URL ({why})"), None),
        };
        let mut d = Diagnostic::new(&INVALID_REGISTRY_URL, url.span, message)
            .with_note("Unity needs an absolute http(s) URL, e.g. `https://npm.example.com`");
        if let Some(fix) = fix {
            d = d.with_fix(fix);
        }
        out.push(d);
    }
}
