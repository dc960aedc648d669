use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a scoped registry that lacks `name`, `url` or `scopes`.
    ///
    /// ## Why is this bad?
    /// Unity needs all three. Without `url` or `scopes`, its registry configuration is invalid
    /// and the project's packages do not resolve; without `name`, the Package Manager window
    /// cannot show the registry and Unity reports the configuration as invalid.
    ///
    /// ## Example
    /// ```json
    /// "scopedRegistries": [
    ///   { "url": "https://npm.example.com", "scopes": ["com.example"] }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Add the missing property: `"name"` is any label you like, `"url"` the registry's
    /// address, `"scopes"` the package name prefixes it serves.
    pub static MISSING_PROPERTY = {
        id: "missing-property",
        severity: Error,
        summary: "A scoped registry without `name`, `url` or `scopes`",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for registry in ctx.manifest.registries() {
        let missing: Vec<&str> = ["name", "url", "scopes"]
            .into_iter()
            .filter(|key| !registry.members.iter().any(|m| m.key.value == *key))
            .collect();
        if missing.is_empty() {
            continue;
        }
        let list = missing
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(" and ");
        let what = if missing.len() == 1 {
            "property"
        } else {
            "properties"
        };
        let mut d = Diagnostic::new(
            &MISSING_PROPERTY,
            Span::new(registry.span.start, registry.span.start + 1),
            format!(
                "Scoped registry `{}` lacks the {what} {list}",
                registry.display_name()
            ),
        );
        if missing.contains(&"scopes") {
            d = d.with_note("`scopes` lists the package name prefixes this registry serves, e.g. `\"scopes\": [\"com.example\"]`");
        }
        out.push(d);
    }
}
