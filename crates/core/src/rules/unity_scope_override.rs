use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a scope that routes Unity's own packages to this registry: `com`, `com.unity`, or
    /// any `com.unity.*` scope.
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
            _ if value.starts_with("com.unity.") => "Unity's own package(s) under this name",
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
