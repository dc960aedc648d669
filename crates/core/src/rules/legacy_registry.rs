use super::prelude::*;
use crate::version::SourceKind;

/// At most this many package names are spelt out.
const NAMES_SHOWN: usize = 5;

declare_rule! {
    /// ## What it does
    /// Reports the legacy top-level `registry` when it points at another host than Unity's
    /// public registry (`https://packages.unity.com`), and says which of the manifest's
    /// dependencies it now serves: every registry dependency that no scope covers, Unity's own
    /// `com.unity.*` packages included, but not the built-in modules (`com.unity.modules.*`, and
    /// what the lock records as `builtin`), which come with the Editor.
    ///
    /// ## Why is this bad?
    /// The legacy `registry` (Unity 2018.3 to 2019, still honoured later) does not add a
    /// registry: it replaces Unity's registry for every package that no scoped registry claims.
    /// A staging or internal host there silently moves all of those packages, and if that host
    /// is unreachable from a clone (an internal mirror) nothing that it serves resolves.
    ///
    /// ## Example
    /// ```json
    /// { "registry": "https://staging-packages.unity.com", "dependencies": { "com.unity.ugui": "1.0.0" } }
    /// ```
    ///
    /// ## How to fix
    /// Remove `registry` to use Unity's public registry, and add a scoped registry for the
    /// packages that really come from another server.
    pub static LEGACY_REGISTRY = {
        id: "legacy-registry",
        severity: Info,
        summary: "The legacy top-level `registry` replacing Unity's registry for every unscoped package",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(registry) = &ctx.manifest.registry else {
        return;
    };
    if crate::url::parse_registry_url(registry.value.trim()).is_err()
        || crate::lock::same_registry(registry.value.trim(), crate::model::UNITY_REGISTRY_URL)
    {
        return;
    }
    let served: Vec<&str> = ctx
        .manifest
        .dependencies()
        .iter()
        .zip(ctx.source_kinds())
        .filter(|(d, kind)| {
            let name = d.name.value.as_str();
            let registry_version = **kind == Some(SourceKind::Registry);
            let builtin = name.starts_with("com.unity.modules.")
                || ctx
                    .locked(name)
                    .is_some_and(|e| e.source.as_deref() == Some("builtin"));
            registry_version && !builtin && ctx.resolver.winner(name).is_none()
        })
        .map(|(d, _)| d.name.value.as_str())
        .collect();
    let url = crate::url::redact(&registry.value);
    let message = if served.is_empty() {
        format!(
            "The legacy `registry` replaces Unity's registry with `{url}` for every package no \
             scope covers; no dependency of this manifest is such a package now"
        )
    } else {
        let mut names: Vec<String> = served
            .iter()
            .take(NAMES_SHOWN)
            .map(|n| format!("`{n}`"))
            .collect();
        if served.len() > NAMES_SHOWN {
            names.push(format!("{} more", served.len() - NAMES_SHOWN));
        }
        let (what, come) = if served.len() == 1 {
            ("the one dependency".to_string(), "comes")
        } else {
            (format!("the {} dependencies", served.len()), "come")
        };
        format!(
            "The legacy `registry` replaces Unity's registry with `{url}`: {what} that no scope \
             covers {come} from it ({})",
            names.join(", ")
        )
    };
    out.push(
        Diagnostic::new(&LEGACY_REGISTRY, registry.span, message)
            .with_note("remove `registry` to use Unity's public registry; add a scoped registry for packages from another server"),
    );
}
