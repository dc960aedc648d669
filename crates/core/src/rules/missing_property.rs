use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a scoped registry that lacks `name`, `url` or `scopes`, or whose `name` is empty
    /// or only whitespace; and a `package.json` without `name` or `version`, the two properties
    /// Unity requires of a package.
    ///
    /// ## Why is this bad?
    /// Unity needs all three. Without `url` or `scopes`, its registry configuration is invalid
    /// and the project's packages do not resolve; without `name`, the Package Manager window
    /// cannot show the registry and Unity reports the configuration as invalid. An empty or blank
    /// name is the same to Unity: "Registry name cannot be null, empty or whitespace".
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
    /// address, `"scopes"` the package name prefixes it serves. A package needs its
    /// reverse-domain `"name"` and a SemVer `"version"`. For a blank name the fix
    /// proposes the registry's host name.
    pub static MISSING_PROPERTY = {
        id: "missing-property",
        severity: Error,
        summary: "A scoped registry without `name`, `url` or `scopes` (or a blank `name`); a package without `name` or `version`",
        files: Both,
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    if let Some(package) = ctx.package {
        check_package(package, out);
        return;
    }
    for registry in ctx.manifest.registries() {
        if let Some(name) = &registry.name
            && name.value.trim().is_empty()
        {
            let mut d = Diagnostic::new(
                &MISSING_PROPERTY,
                name.span,
                format!(
                    "Scoped registry `{}` has a blank `name`: Unity rejects an empty or whitespace name",
                    registry.display_name()
                ),
            );
            let host = registry
                .url
                .as_ref()
                .and_then(|u| ::url::Url::parse(u.value.trim()).ok())
                .and_then(|u| u.host_str().map(str::to_string));
            if let Some(host) = host {
                d = d.with_fix(Fix::unsafe_(
                    format!("Name it `{host}`"),
                    vec![Edit::replace(name.span, json_string(&host))],
                ));
            }
            out.push(d);
        }
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

/// `name` and `version` are required: without them a registry refuses the package and the
/// Package Manager cannot load it.
fn check_package(package: &crate::package::PackageJson, out: &mut Vec<Diagnostic>) {
    let Some(root) = package.root else { return };
    let missing: Vec<&str> = ["name", "version"]
        .into_iter()
        .filter(|key| package.member(key).is_none())
        .collect();
    if missing.is_empty() {
        return;
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
    out.push(
        Diagnostic::new(
            &MISSING_PROPERTY,
            Span::new(root.start, root.start + 1),
            format!("The package.json lacks the required {what} {list}"),
        )
        .with_note(
            "a registry refuses a package without `name` and `version`, and the Package Manager \
             cannot load it: e.g. `\"name\": \"com.company.package\", \"version\": \"1.0.0\"`",
        ),
    );
}
