use super::prelude::*;
use crate::diagnostic::remove_list_item;

declare_rule! {
    /// ## What it does
    /// Reports a scope that a broader scope of the same registry already covers, when no scope
    /// of another registry lies in between, so that removing it changes nothing.
    ///
    /// ## Why is this bad?
    /// A scope covers every package whose name continues it after a dot: `com.example` covers
    /// `com.example.tools`. OpenUPM's install instructions add every package name as a scope,
    /// which leaves dozens of entries that do nothing and make the real routing hard to read.
    ///
    /// ## Example
    /// ```json
    /// "scopes": ["com.example", "com.example.tools", "com.example.tools.physics"]
    /// ```
    ///
    /// ## How to fix
    /// Remove the covered scopes; the fix does. When another registry has a scope in between
    /// (`com.example.tools` in a second registry), the inner scope is not redundant and is left
    /// alone.
    pub static REDUNDANT_SCOPE = {
        id: "redundant-scope",
        severity: Hint,
        summary: "A scope already covered by a broader scope of the same registry",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for entry in ctx.scopes() {
        let (scopes, scope) = (entry.list, entry.scope);
        // Only the registry's first listing of a scope, and only scopes no other registry
        // claims (those are duplicate-scope's and shadowed-scope's business).
        if ctx.resolver.declarations(&scope.value) != [entry.at] {
            continue;
        }
        if !super::invalid_scope::is_well_formed(&scope.value) {
            continue;
        }
        let Some((parent, owners)) = ctx.resolver.parent(&scope.value) else {
            continue;
        };
        if owners.len() != 1 || owners[0].registry != entry.at.registry {
            continue;
        }
        let parent_span = scopes.items[owners[0].scope].span;
        let message = format!(
            "`{}` is already covered by `{parent}` in this registry",
            scope.value
        );
        out.push(
            Diagnostic::new(&REDUNDANT_SCOPE, scope.span, message)
                .with_label(parent_span, "this broader scope covers it")
                .with_fix(Fix::safe(
                    "Remove the redundant scope",
                    vec![remove_list_item(&scopes.element_spans, scope.element)],
                ))
                .unnecessary(),
        );
    }
}
