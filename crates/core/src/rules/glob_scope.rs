use super::prelude::*;
use crate::diagnostic::remove_list_item;

/// Characters that make a scope a glob pattern.
pub(crate) const GLOB_CHARS: &[char] = &['*', '?', '[', ']', '{', '}', '!'];

declare_rule! {
    /// ## What it does
    /// Reports a scope with wildcard or other glob characters: `com.example.*`, `*`,
    /// `com.exa?ple`.
    ///
    /// ## Why is this bad?
    /// "Wildcards and other glob patterns aren't supported" (Unity manual). A scope is matched
    /// literally, so `com.example.*` matches no package and everything meant for the registry goes
    /// to Unity's registry instead. There is no need for a wildcard: a scope already covers every
    /// package whose name continues it after a dot.
    ///
    /// ## Example
    /// ```json
    /// "scopes": ["com.example.*"]
    /// ```
    ///
    /// ## How to fix
    /// Write the namespace itself: `com.example` covers `com.example.tools`,
    /// `com.example.tools.physics` and every other package under it. The fix does exactly that
    /// (or removes the entry when the namespace is already listed).
    pub static GLOB_SCOPE = {
        id: "glob-scope",
        severity: Error,
        summary: "A scope with wildcard or glob characters",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for entry in ctx.scopes() {
        let (scopes, scope) = (entry.list, entry.scope);
        let value = &scope.value;
        // A well-formed scope (nearly every one) has no glob character: one pass settles it.
        if super::invalid_scope::is_plainly_valid(value)
            || value.starts_with('@')
            || !value.contains(GLOB_CHARS)
        {
            continue;
        }
        let mut d = Diagnostic::new(
            &GLOB_SCOPE,
            scope.span,
            format!(
                "`{value}` is a glob pattern, but Unity matches scopes literally: it matches no package"
            ),
        );
        let namespace = value.trim_end_matches(['*', '.']);
        if !namespace.is_empty()
            && !namespace.contains(GLOB_CHARS)
            && super::invalid_scope::is_well_formed(namespace)
        {
            d = d.with_note(format!(
                "`{namespace}` alone already covers every package under it"
            ));
            let listed = scopes.items.iter().any(|s| s.value == namespace);
            d = d.with_fix(if listed {
                Fix::safe(
                    format!("Remove it (`{namespace}` is already listed)"),
                    vec![remove_list_item(&scopes.element_spans, scope.element)],
                )
            } else {
                Fix::safe(
                    format!("Use `{namespace}`"),
                    vec![Edit::replace(scope.span, json_string(namespace))],
                )
            });
        } else {
            d = d.with_note("list the package name prefix itself, e.g. `com.example`, which covers every package under it");
        }
        out.push(d);
    }
}
