use super::prelude::*;
use crate::project::check::{chain_words, registry_words, report_at_roots};
use crate::project::{PackumentStatus, Source};

declare_rule! {
    /// ## What it does
    /// With online checks on and the project's files read, reports a transitive dependency
    /// whose registry has the package but not the version Unity would install (the version the
    /// packages ask for, as Unity selects it). It is reported at the manifest's dependency that
    /// pulls it in, with the chain of packages.
    ///
    /// ## Why is this bad?
    /// Unity fails with `Package [name@version] cannot be found`. Usually the dependency went to
    /// another registry than the one that publishes that version (a mirror that lags behind, or
    /// Unity's registry serving an older copy), or the version was unpublished.
    ///
    /// ## Example
    /// ```json
    /// "dependencies": { "com.acme.game": "1.0.0" }
    /// ```
    /// where `com.acme.game@1.0.0` depends on `com.acme.core@3.0.0` and the registry has only
    /// `com.acme.core` 1.x and 2.x.
    ///
    /// ## How to fix
    /// Route the dependency to the registry that publishes that version, or depend on a
    /// version of the parent package whose dependencies exist.
    pub static TRANSITIVE_VERSION_NOT_FOUND = {
        id: "transitive-version-not-found",
        severity: Error,
        summary: "A transitive dependency whose registry lacks the version Unity would install",
        online: true,
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(project) = ctx.project else { return };
    for package in &project.graph.packages {
        let name = package.name.as_str();
        if package.source != Source::Registry {
            continue;
        }
        let Some(PackumentStatus::Found(packument)) = project.packument(package) else {
            continue;
        };
        if packument.versions.contains_key(&package.version) {
            continue;
        }
        // The manifest's own request of this version is `version-not-found`.
        let direct = ctx.manifest.dependencies().iter().any(|d| {
            d.name.value == name
                && d.version
                    .as_ref()
                    .is_some_and(|v| v.value == package.version)
        });
        if direct {
            continue;
        }
        let Some(url) = package.registry.as_deref() else {
            continue;
        };
        let registry = registry_words(ctx.manifest, url);
        let version = &package.version;
        report_at_roots(project, ctx.manifest, name, out, |span, chain| {
            let d = Diagnostic::new(
                &TRANSITIVE_VERSION_NOT_FOUND,
                span,
                format!(
                    "{registry} has no version {version} of `{name}`: {}",
                    chain_words(chain)
                ),
            );
            match &packument.latest {
                Some(latest) => d.with_note(format!(
                    "Unity will fail with 'cannot be found'; the registry's latest is {latest}"
                )),
                None => d.with_note("Unity will fail with 'cannot be found'"),
            }
        });
    }
}
