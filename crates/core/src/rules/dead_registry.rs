use super::prelude::*;

/// Registry hosts that no longer serve packages: host, what happened, the replacement URL.
const DEAD: &[(&str, &str, Option<&str>)] = &[
    ("bintray.com", "Bintray closed in 2021", None),
    (
        "unitynuget-registry.azurewebsites.net",
        "UnityNuGet's Azure host was discontinued on 2025-03-10",
        Some("https://unitynuget-registry.openupm.com"),
    ),
];

declare_rule! {
    /// ## What it does
    /// Reports a registry URL (scoped or the legacy `registry`) on a host that no longer serves
    /// packages: Bintray (`*.bintray.com`, closed in 2021) and UnityNuGet's former host
    /// `unitynuget-registry.azurewebsites.net` (discontinued on 2025-03-10, replaced by
    /// `https://unitynuget-registry.openupm.com`).
    ///
    /// ## Why is this bad?
    /// Unity has no fallback: every package that the registry's scopes cover fails to resolve
    /// on any machine without a warm package cache, so a fresh clone or a CI build breaks while
    /// the author's machine keeps working from its cache.
    ///
    /// ## Example
    /// ```json
    /// { "name": "UnityNuGet", "url": "https://unitynuget-registry.azurewebsites.net", "scopes": ["org.nuget"] }
    /// ```
    ///
    /// ## How to fix
    /// Point the registry at its successor: for UnityNuGet,
    /// `https://unitynuget-registry.openupm.com` (the fix does this). Bintray has no successor:
    /// find where the publisher moved its packages (often OpenUPM or the vendor's own registry).
    pub static DEAD_REGISTRY = {
        id: "dead-registry",
        severity: Warning,
        summary: "A registry URL on a host that no longer serves packages (Bintray, UnityNuGet's old host)",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (url, parsed) in ctx.parsed_registry_urls() {
        // A registry URL as Unity needs it is already parsed; only the others (spaces around it,
        // another scheme) are parsed here, as written without the spaces.
        let reparsed;
        let parsed = match parsed {
            Ok(parsed) => parsed,
            Err(_) => match ::url::Url::parse(url.value.trim()) {
                Ok(p) => {
                    reparsed = crate::url::RegistryUrl::of(&p);
                    &reparsed
                }
                Err(_) => continue,
            },
        };
        let Some(host) = parsed.host.as_deref() else {
            continue;
        };
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        let Some((_, what, replacement)) = DEAD
            .iter()
            .find(|(dead, _, _)| host == *dead || host.ends_with(&format!(".{dead}")))
        else {
            continue;
        };
        let mut d = Diagnostic::new(
            &DEAD_REGISTRY,
            url.span,
            format!(
                "`{}` no longer serves packages: {what}",
                crate::url::redact(&url.value)
            ),
        )
        .with_note("Unity does not fall back to another registry: the packages it served fail to resolve without a warm cache");
        match replacement {
            Some(new) => {
                // Only a bare host URL has an evident successor; a path on it is left to the user.
                let bare = parsed.bare && crate::url::userinfo_range(&url.value).is_none();
                let fix = Fix::safe(
                    format!("Use `{new}`"),
                    vec![Edit::replace(url.span, json_string(new))],
                );
                d = d.with_note(format!("its replacement is `{new}`"));
                if bare {
                    d = d.with_fix(fix);
                }
            }
            None => {
                d = d.with_note("find where the publisher moved its packages (often OpenUPM or the vendor's own registry)");
            }
        }
        out.push(d);
    }
}
