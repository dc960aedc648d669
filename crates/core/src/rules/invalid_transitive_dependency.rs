use super::prelude::*;
use crate::project::Source;
use crate::project::check::{chain_words, report_at_roots};
use crate::version::{DependencySource, VersionProblem, classify};

declare_rule! {
    /// ## What it does
    /// When the project's files are read, reports a package (embedded, local, or, online or from
    /// the lock file, one from a registry) whose `dependencies` name a Git URL, a `file:` path, a
    /// range (`^1.2.0`, `~1.2`, `>=1`), a tag (`latest`) or anything else that is not an exact
    /// SemVer version. It is reported at the manifest's dependency that pulls the package in,
    /// with the chain of packages. Not reported when the project names that dependency itself
    /// (a manifest entry of any kind, or an embedded package): the project's choice then wins
    /// and Unity does not read the package's request, as the lock files of working projects
    /// show (Git packages asking for other Git URLs, or for `v1.0.7`, that the manifest lists).
    ///
    /// ## Why is this bad?
    /// Only the project manifest may use Git URLs and `file:` paths, and no manifest may use
    /// ranges: in a package's `package.json` Unity fails with `Version '...' is invalid.
    /// Expected a 'SemVer' compatible value.`, and the project does not resolve.
    ///
    /// ## Example
    /// ```json
    /// "dependencies": { "com.acme.tools": "file:../acme-tools" }
    /// ```
    /// where `acme-tools/package.json` has
    /// `"dependencies": { "com.acme.core": "https://github.com/acme/core.git" }`.
    ///
    /// ## How to fix
    /// In the package, depend on an exact published version; move the Git URL or `file:` path
    /// to the project manifest, which may use them (it then wins over the package's request).
    pub static INVALID_TRANSITIVE_DEPENDENCY = {
        id: "invalid-transitive-dependency",
        severity: Error,
        summary: "A package's dependency that is a Git URL, a `file:` path or a range, which Unity rejects",
        check: check,
    }
}

/// What a package's dependency value is instead of an exact version, or `None` when it is one.
fn kind(value: &str) -> Option<&'static str> {
    match classify(value) {
        Ok(DependencySource::Registry(_)) => None,
        Ok(DependencySource::Git) => Some("a Git URL"),
        Ok(DependencySource::File) | Err(VersionProblem::FileEmpty) => Some("a `file:` path"),
        Err(problem) if problem.is_git() => Some("a Git URL"),
        Err(VersionProblem::Range { .. }) => Some("a version range"),
        Err(VersionProblem::Tag) => Some("a tag"),
        Err(_) => Some("not a SemVer version"),
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(project) = ctx.project else { return };
    for package in &project.graph.packages {
        if package.source == Source::Builtin {
            continue;
        }
        for (dep, value) in &package.dependencies {
            let Some(kind) = kind(value) else { continue };
            let named = ctx
                .manifest
                .dependencies()
                .iter()
                .any(|d| d.name.value == dep);
            if named || project.is_embedded(dep) {
                continue;
            }
            // Credentials written into a Git URL stay out of the words.
            let shown = crate::url::redact(value);
            report_at_roots(project, ctx.manifest, &package.name, out, |span, chain| {
                Diagnostic::new(
                    &INVALID_TRANSITIVE_DEPENDENCY,
                    span,
                    format!(
                        "`{}` asks for `{dep}` as `{shown}` ({kind}), which Unity rejects in a package: {}",
                        package.name,
                        chain_words(chain)
                    ),
                )
                .with_note(format!(
                    "Unity fails with \"Version '{shown}' is invalid. Expected a 'SemVer' compatible value.\"; \
                     a package may depend only on exact versions (Git URLs and `file:` paths belong in the project manifest)"
                ))
            });
        }
    }
}
