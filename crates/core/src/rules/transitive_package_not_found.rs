use super::prelude::*;
use crate::project::check::{chain_words, registry_words, report_at_roots};
use crate::project::{PackumentStatus, Source};

declare_rule! {
    /// ## What it does
    /// With online checks on and the project's files read, reports a transitive dependency
    /// that the registry it resolves to (through the project's scopes) does not have: the
    /// registry answers 404 for `GET <url>/<name>`. It is reported at the manifest's dependency
    /// that pulls it in, with the chain of packages. Built-in and embedded packages are never
    /// asked about.
    ///
    /// ## Why is this bad?
    /// Unity fails with `Package [name@version] cannot be found` for a package the manifest
    /// never names. Usually no scope covers it, so it went to the default registry, while the
    /// registry of the package that depends on it has it.
    ///
    /// ## Example
    /// ```json
    /// "dependencies": { "com.acme.game": "1.0.0" },
    /// "scopedRegistries": [
    ///   { "name": "Acme", "url": "https://npm.acme.com", "scopes": ["com.acme"] }
    /// ]
    /// ```
    /// where `com.acme.game@1.0.0` depends on `com.partner.sdk@2.0.0`, which Unity's registry
    /// does not have.
    ///
    /// ## How to fix
    /// Add a scope that routes the dependency to the registry that has it.
    pub static TRANSITIVE_PACKAGE_NOT_FOUND = {
        id: "transitive-package-not-found",
        severity: Error,
        summary: "A transitive dependency its registry does not have",
        online: true,
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(project) = ctx.project else { return };
    for package in &project.graph.packages {
        let name = package.name.as_str();
        // What the manifest asks for itself is `package-not-found`.
        if package.source != Source::Registry
            || package.requested_by.iter().any(|r| r == "manifest")
            || project.packument(package) != Some(&PackumentStatus::NotFound)
        {
            continue;
        }
        let Some(url) = package.registry.as_deref() else {
            continue;
        };
        let registry = registry_words(ctx.manifest, url);
        let scoped = ctx.resolver.winner(name).is_some();
        report_at_roots(project, ctx.manifest, name, out, |span, chain| {
            let d = Diagnostic::new(
                &TRANSITIVE_PACKAGE_NOT_FOUND,
                span,
                format!(
                    "`{name}` is not on {registry}, where it resolves: {}",
                    chain_words(chain)
                ),
            );
            if scoped {
                d.with_note("Unity will fail with 'cannot be found'; check which registry serves it and the scope that routes it")
            } else {
                d.with_note(format!(
                    "Unity will fail with 'cannot be found': no scope covers `{name}`; add one to the registry that serves it"
                ))
            }
        });
    }
}
