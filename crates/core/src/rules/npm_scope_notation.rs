use super::ScopeEntry;
use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a scope written in npm's `@scope` notation (`@company` or `@company/package`).
    ///
    /// ## Why is this bad?
    /// Unity does not support npm's scope notation. Unity package names are reverse-domain names
    /// (`com.company.package`) and can never start with `@`, so such a scope matches nothing: the
    /// packages meant for this registry are looked up in Unity's registry instead and fail with
    /// `Package [...] cannot be found`. The habit comes from npm and from GitHub Packages' docs.
    ///
    /// ## Example
    /// ```json
    /// { "name": "Company", "url": "https://npm.company.com", "scopes": ["@company"] }
    /// ```
    ///
    /// ## How to fix
    /// Use the reverse-domain prefix of the packages, e.g. `com.company`. When the part after `@`
    /// already is one (`@com.company`), the fix drops the `@`.
    pub static NPM_SCOPE_NOTATION = {
        id: "npm-scope-notation",
        severity: Error,
        summary: "A scope in npm `@scope` notation",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for ScopeEntry { scope, .. } in ctx.scopes().filter(|e| e.scope.value.starts_with('@')) {
        let message = format!(
            "`{}` uses npm's @scope notation, which Unity does not support: it matches no package",
            scope.value
        );
        let mut d = Diagnostic::new(&NPM_SCOPE_NOTATION, scope.span, message).with_note(
            "packages meant for this registry fall through to Unity's registry and fail with 'cannot be found'",
        );
        let bare = scope.value[1..].replace('/', ".");
        if bare.contains('.') && super::invalid_scope::is_well_formed(&bare) {
            d = d.with_fix(Fix::unsafe_(
                format!("Use `{bare}`"),
                vec![Edit::replace(scope.span, json_string(&bare))],
            ));
        } else {
            d = d.with_note(
                "use the reverse-domain prefix of the package names instead, e.g. `com.company`",
            );
        }
        out.push(d);
    }
}
