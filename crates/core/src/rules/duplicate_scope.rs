use rustc_hash::FxHashMap;

use super::prelude::*;
use crate::diagnostic::remove_list_item;

declare_rule! {
    /// ## What it does
    /// Reports the same scope listed twice in one registry.
    ///
    /// ## Why is this bad?
    /// The second entry does nothing. It is harmless to Unity but it is noise that hides real
    /// changes in reviews, and it is often the trace of a merge or a copy-paste gone wrong.
    ///
    /// ## Example
    /// ```json
    /// "scopes": ["com.example", "com.example.tools", "com.example"]
    /// ```
    ///
    /// ## How to fix
    /// Remove the repeated entry; the fix does.
    pub static DUPLICATE_SCOPE = {
        id: "duplicate-scope",
        severity: Warning,
        summary: "The same scope twice in one registry",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for registry in ctx.manifest.registries() {
        let Some(scopes) = &registry.scopes else {
            continue;
        };
        let mut first: FxHashMap<&str, Span> =
            FxHashMap::with_capacity_and_hasher(scopes.items.len(), Default::default());
        for scope in &scopes.items {
            if let Some(&earlier) = first.get(scope.value.as_str()) {
                out.push(
                    Diagnostic::new(
                        &DUPLICATE_SCOPE,
                        scope.span,
                        format!("`{}` is already a scope of this registry", scope.value),
                    )
                    .with_label(earlier, "first listed here")
                    .with_fix(Fix::safe(
                        "Remove the repeated scope",
                        vec![remove_list_item(&scopes.element_spans, scope.element)],
                    ))
                    .unnecessary(),
                );
            } else {
                first.insert(&scope.value, scope.span);
            }
        }
    }
}
