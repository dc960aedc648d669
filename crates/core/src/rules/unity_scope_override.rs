use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a scope that routes Unity's own packages to this registry: the namespaces `com`,
    /// `com.unity` and `com.unity.modules`, and any other `com.unity.*` scope unless there is
    /// evidence that the name is not Unity's. A `com.unity.*` scope is taken as Unity's own when
    /// it names (or is a namespace of) one of Unity's published packages that this project
    /// lists; otherwise it is left alone when it names a known community package that borrows
    /// Unity's prefix (`com.unity.uiextensions`), or when `packages-lock.json` shows a package
    /// under it served by a registry on a host Unity does not run. Without such evidence the
    /// scope is reported: `com.unity` is Unity's namespace.
    ///
    /// ## Why is this bad?
    /// Unity's packages (`com.unity.*`) normally come from Unity's registry. A scope that covers
    /// them sends those requests, and your project's trust, to another server: a documented
    /// feature for mirrors, and a supply-chain risk when it is an accident (`com` covers almost
    /// every package in existence). If the registry lacks a package, Unity does not fall back to
    /// its own registry: resolution fails.
    ///
    /// ## Example
    /// ```json
    /// { "name": "Mirror", "url": "https://npm.example.com", "scopes": ["com"] }
    /// ```
    ///
    /// ## How to fix
    /// Use the narrowest scope that covers your packages (`com.example`). If the override is
    /// intended (an internal mirror of Unity's registry), turn this rule off for the project.
    pub static UNITY_SCOPE_OVERRIDE = {
        id: "unity-scope-override",
        severity: Warning,
        summary: "A scope that routes Unity's own packages (`com.unity.*`) to this registry",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for entry in ctx.scopes() {
        let (registry, scope) = (entry.registry, entry.scope);
        let value = scope.value.as_str();
        let what = match value {
            "com" => "almost every package, Unity's own `com.unity.*` packages included,",
            "com.unity" => "all of Unity's own packages (`com.unity.*`)",
            _ if crate::known::covers("com.unity.modules", value) => {
                "Unity's built-in modules (`com.unity.modules.*`)"
            }
            _ if value.starts_with("com.unity.") => {
                if !names_unity_package(value) && third_party(ctx, value) {
                    continue;
                }
                "Unity's own package(s) under this name"
            }
            _ => continue,
        };
        let message = format!(
            "`{value}` sends {what} to `{}` instead of Unity's registry",
            registry.display_name()
        );
        out.push(
            Diagnostic::new(&UNITY_SCOPE_OVERRIDE, scope.span, message)
                .with_note("Unity does not fall back to its own registry: if this one lacks a package, resolution fails")
                .with_note("if this is an intended mirror, turn the rule off for this project"),
        );
    }
}

/// Whether the scope is one of Unity's listed packages or a namespace of one.
fn names_unity_package(scope: &str) -> bool {
    crate::known::UNITY_PACKAGES
        .iter()
        .any(|name| crate::known::covers(scope, name))
}

/// Whether there is evidence that what the scope covers is not Unity's: a known community
/// package, or a lock entry under the scope served by a host Unity does not run.
fn third_party(ctx: &Context<'_>, scope: &str) -> bool {
    if crate::known::COMMUNITY_UNITY_PREFIXED.contains(&scope) {
        return true;
    }
    let Some(Ok(lock)) = ctx.lock else {
        return false;
    };
    lock.entries.iter().any(|e| {
        crate::known::covers(scope, &e.name)
            && e.source.as_deref() == Some("registry")
            && e.url
                .as_deref()
                .is_some_and(|u| !crate::known::is_unity_host(u))
    })
}
