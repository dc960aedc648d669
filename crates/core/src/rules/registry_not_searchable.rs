use super::prelude::*;
use crate::facts::{RegistryStatus, SearchSupport};

declare_rule! {
    /// ## What it does
    /// With online checks on, reports a registry that offers neither npm search endpoint Unity
    /// uses to list packages: `GET /-/v1/search` nor `GET /-/all`.
    ///
    /// ## Why is this bad?
    /// Resolution still works, but the registry never appears under "My Registries" in the
    /// Package Manager window, so nobody can browse or update its packages there. GitHub
    /// Packages answers search with 405, for example.
    ///
    /// ## Example
    /// ```json
    /// { "name": "GitHub", "url": "https://npm.pkg.github.com/@example", "scopes": ["com.example"] }
    /// ```
    ///
    /// ## How to fix
    /// Nothing in the manifest: use a registry server with search (Verdaccio, OpenUPM, Gitea from
    /// 1.17), or accept managing these packages by editing the manifest.
    pub static REGISTRY_NOT_SEARCHABLE = {
        id: "registry-not-searchable",
        severity: Warning,
        summary: "A registry without the search endpoints the Package Manager window needs",
        online: true,
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(facts) = ctx.facts else { return };
    for url in ctx.registry_urls() {
        let Some(RegistryStatus::Reachable {
            search: SearchSupport::None { status },
        }) = facts.registry(&url.value)
        else {
            continue;
        };
        let answer = status
            .map(|s| format!(" (it answered {s})"))
            .unwrap_or_default();
        out.push(
            Diagnostic::new(
                &REGISTRY_NOT_SEARCHABLE,
                url.span,
                format!("Registry `{}` has no search endpoint{answer}", crate::url::redact(&url.value)),
            )
            .with_note("packages still resolve, but the registry will not show under My Registries in the Package Manager window"),
        );
    }
}
