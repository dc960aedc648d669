use super::prelude::*;
use crate::facts::PackageStatus;

declare_rule! {
    /// ## What it does
    /// With online checks on, reports a dependency that the registry it resolves to does not
    /// have (the registry answers 404 for `GET <url>/<name>`).
    ///
    /// ## Why is this bad?
    /// Unity fails with `Package [name@version] cannot be found`. Since each package goes to
    /// exactly one registry, the cause is usually a missing or wrong scope (the package went to
    /// the wrong registry) or a typo in the name.
    ///
    /// ## Example
    /// ```json
    /// "dependencies": { "com.example.tols": "1.0.0" }
    /// ```
    ///
    /// ## How to fix
    /// Correct the name, or add the scope that routes the package to the registry that has it.
    pub static PACKAGE_NOT_FOUND = {
        id: "package-not-found",
        severity: Error,
        summary: "A dependency its registry does not have",
        online: true,
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(facts) = ctx.facts else { return };
    for dep in ctx.manifest.dependencies() {
        let name = dep.name.value.as_str();
        // An embedded package wins over the entry: no registry is asked for it.
        if ctx.project.is_some_and(|p| p.is_embedded(name)) {
            continue;
        }
        let (url, registry) = ctx.registry_for(name);
        if facts.package(url, name) != Some(&PackageStatus::NotFound) {
            continue;
        }
        out.push(
            Diagnostic::new(
                &PACKAGE_NOT_FOUND,
                dep.name.span,
                format!("`{name}` is not on {registry} ({}), where it resolves", crate::url::redact(url)),
            )
            .with_note("Unity will fail with 'cannot be found'; check the name, or the scope that should route it to another registry"),
        );
    }
}
