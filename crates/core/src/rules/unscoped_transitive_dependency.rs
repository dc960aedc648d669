use super::prelude::*;
use crate::project::check::{chain_words, registry_words, report_at_roots};
use crate::project::{Package, PackumentStatus, Source};

declare_rule! {
    /// ## What it does
    /// When the project's files are read, reports a transitive dependency (a dependency of a
    /// package, not of the manifest) that is not one of Unity's packages and that no scope of the
    /// project covers, so that Unity asks the default registry for it. It is reported at the
    /// manifest's dependency that pulls it in, with the chain of packages, and names the
    /// registry that likely serves it: the one the package asking for it came from. Not
    /// reported: packages the lock file records as served by the default registry, dependencies
    /// of packages that came from the default registry themselves, and (online) packages the
    /// default registry turns out to have. Online, a package the default registry does not have
    /// is `transitive-package-not-found` instead.
    ///
    /// ## Why is this bad?
    /// Unity routes every package, direct or transitive, through the **project's** scopes; a
    /// package's own registry plays no part, and there is no fallback. A scoped package that
    /// depends on another publisher's package, which no scope covers, sends that dependency to
    /// Unity's registry, and resolution fails with `Package [name@version] cannot be found`
    /// for a package the manifest never names (openupm #2568, glTFast #203).
    ///
    /// ## Example
    /// ```json
    /// "dependencies": { "com.acme.game": "1.0.0" },
    /// "scopedRegistries": [
    ///   { "name": "Acme", "url": "https://npm.acme.com", "scopes": ["com.acme"] }
    /// ]
    /// ```
    /// where `com.acme.game@1.0.0` depends on `com.partner.sdk@2.0.0`.
    ///
    /// ## How to fix
    /// Add a scope that covers the dependency (its name, or a namespace of it) to the registry
    /// that serves it, usually the registry of the package that depends on it.
    pub static UNSCOPED_TRANSITIVE_DEPENDENCY = {
        id: "unscoped-transitive-dependency",
        severity: Warning,
        summary: "A transitive non-Unity dependency that no scope covers, so it goes to the default registry",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(project) = ctx.project else { return };
    let default_url = ctx.manifest.default_registry_url();
    for package in &project.graph.packages {
        let name = package.name.as_str();
        if package.source != Source::Registry
            || package.requested_by.iter().any(|r| r == "manifest")
            || crate::known::served_by_unity(name)
            || super::dependency_names::problem(name).is_some()
            || ctx.resolver.winner(name).is_some()
        {
            continue;
        }
        // Lock evidence: the last resolution found it in the very registry Unity asks now.
        if let Some(entry) = ctx.locked(name)
            && entry.source.as_deref() == Some("registry")
            && entry
                .url
                .as_deref()
                .is_some_and(|url| crate::lock::same_registry(url, default_url))
        {
            continue;
        }
        // Online, the registry's answer settles it (a 404 is transitive-package-not-found).
        if matches!(
            project.packument(package),
            Some(PackumentStatus::Found(_) | PackumentStatus::NotFound)
        ) {
            continue;
        }
        let parents: Vec<&Package> = package
            .requested_by
            .iter()
            .filter_map(|r| project.graph.package(r))
            .collect();
        // A package of the default registry depending on it: that registry is where it lives.
        if parents.iter().any(|p| {
            p.source == Source::Registry
                && p.registry
                    .as_deref()
                    .is_some_and(|u| crate::lock::same_registry(u, default_url))
        }) {
            continue;
        }
        let target = registry_words(ctx.manifest, default_url);
        report_at_roots(project, ctx.manifest, name, out, |span, chain| {
            let parent = chain.len().checked_sub(2).map(|i| chain[i]);
            let d = Diagnostic::new(
                &UNSCOPED_TRANSITIVE_DEPENDENCY,
                span,
                format!(
                    "No scope covers `{name}`, so Unity looks for it in {target}: {}",
                    chain_words(chain)
                ),
            );
            match parent.and_then(|p| Some((p, p.registry.as_deref()?))) {
                Some((p, url)) => d.with_note(format!(
                    "`{}` comes from {}, which likely serves `{name}` too: add the scope `{name}` \
                     (or a namespace of it) to that registry",
                    p.name,
                    registry_words(ctx.manifest, url)
                )),
                None => d.with_note(format!(
                    "if a scoped registry serves `{name}`, add a scope that covers it; Unity does \
                     not fall back from one registry to another"
                )),
            }
        });
    }
}
