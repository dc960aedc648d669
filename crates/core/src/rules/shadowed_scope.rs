use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a scope that more than one registry lists.
    ///
    /// ## Why is this bad?
    /// Unity maps each package to exactly one registry. When two registries claim the same scope,
    /// Unity cannot choose, treats the configuration as broken and disables the packages involved
    /// (users report "will disable all packages"). The usual cause is a package moved from one
    /// registry to another, with the old scope left behind.
    ///
    /// ## Example
    /// ```json
    /// "scopedRegistries": [
    ///   { "name": "Old", "url": "https://old.example.com", "scopes": ["com.example"] },
    ///   { "name": "New", "url": "https://new.example.com", "scopes": ["com.example"] }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Keep the scope in the one registry that serves those packages and remove it from the
    /// others. A more specific scope (`com.example.tools`) in a second registry is fine: the
    /// longest match wins.
    pub static SHADOWED_SCOPE = {
        id: "shadowed-scope",
        severity: Error,
        summary: "The same scope in more than one registry",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let registries = ctx.manifest.registries();
    for entry in ctx.scopes() {
        let scope = entry.scope;
        let declarations = ctx.resolver.declarations(&scope.value);
        // Report each later registry's claim once (at its first listing of the scope).
        if declarations
            .iter()
            .position(|d| *d == entry.at)
            .is_none_or(|pos| pos == 0)
        {
            continue;
        }
        let first = declarations[0];
        let first_registry = &registries[first.registry];
        let Some(first_scope) = first_registry
            .scopes
            .as_ref()
            .map(|l| &l.items[first.scope])
        else {
            continue;
        };
        let owner = first_registry.display_name();
        let message = format!(
            "`{}` is also a scope of registry `{owner}`: Unity cannot tell which registry serves these packages",
            scope.value
        );
        out.push(
            Diagnostic::new(&SHADOWED_SCOPE, scope.span, message)
                .with_label(first_scope.span, format!("also claimed by `{owner}` here"))
                .with_note("keep the scope in exactly one registry"),
        );
    }
}
