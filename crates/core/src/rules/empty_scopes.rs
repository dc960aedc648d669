use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a scoped registry whose `scopes` array is empty.
    ///
    /// ## Why is this bad?
    /// Unity rejects the whole registry configuration: `Registry configuration is invalid:
    /// Scoped registry at position 1 is invalid: "scopedRegistries[0].scopes" must contain at least
    /// 1 items`. Not only this registry's packages but every package of the project then fails
    /// to resolve.
    ///
    /// ## Example
    /// ```json
    /// { "name": "Example", "url": "https://npm.example.com", "scopes": [] }
    /// ```
    ///
    /// ## How to fix
    /// List at least one scope (the reverse-domain prefix of the packages this registry serves),
    /// or remove the registry entry.
    pub static EMPTY_SCOPES = {
        id: "empty-scopes",
        severity: Error,
        summary: "`\"scopes\": []`, which makes Unity reject the whole registry configuration",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for registry in ctx.manifest.registries() {
        let Some(scopes) = &registry.scopes else {
            continue;
        };
        if !scopes.element_spans.is_empty() {
            continue;
        }
        out.push(
            Diagnostic::new(
                &EMPTY_SCOPES,
                scopes.span,
                format!("Scoped registry `{}` has no scopes", registry.display_name()),
            )
            .with_note(format!(
                "Unity then rejects the whole configuration (\"scopedRegistries[{}].scopes\" must contain at least 1 items) and no package of the project resolves",
                registry.element
            ))
            .with_note("list the package name prefixes this registry serves, e.g. [\"com.example\"], or remove the registry"),
        );
    }
}
