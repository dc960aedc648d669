use super::prelude::*;
use crate::project::check::{chain_words, report_at_roots};
use crate::project::{Package, Source};

declare_rule! {
    /// ## What it does
    /// When the project's files are read and `ProjectSettings/ProjectVersion.txt` gives the
    /// Editor version, reports a package whose `unity` field (with `unityRelease`) is newer than
    /// that Editor: the `package.json` of embedded and local packages, and online the registry's
    /// record of the version Unity would install. It is reported at the manifest's dependency
    /// that pulls the package in, with the chain of packages when it is a transitive one.
    ///
    /// ## Why is this bad?
    /// A package's `unity` is the oldest Editor it supports. On an older Editor the Package
    /// Manager flags the package as incompatible, and its code often does not compile there
    /// (it uses APIs the older Editor lacks).
    ///
    /// ## Example
    /// ```json
    /// "dependencies": { "com.acme.tools": "2.0.0" }
    /// ```
    /// where `com.acme.tools@2.0.0` has `"unity": "2022.3"` and the project is on `2021.3.20f1`.
    ///
    /// ## How to fix
    /// Use a version of the package made for the project's Editor (an older one), or upgrade
    /// the project to the Editor the package needs.
    pub static EDITOR_TOO_OLD = {
        id: "editor-too-old",
        severity: Error,
        summary: "A package that needs a newer Unity Editor than the project's",
        check: check,
    }
}

/// The package's `unity` and `unityRelease`, from its `package.json` or its packument.
fn needs<'p>(
    project: &'p crate::project::check::ProjectContext<'_>,
    package: &'p Package,
) -> Option<(&'p str, Option<&'p str>)> {
    match package.source {
        Source::Embedded | Source::Local | Source::LocalTarball => {
            let json = project.package_json(package)?;
            Some((json.unity.as_deref()?, json.unity_release.as_deref()))
        }
        Source::Registry => {
            let info = project.version_info(package)?;
            Some((info.unity.as_deref()?, info.unity_release.as_deref()))
        }
        Source::Builtin | Source::Git => None,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(project) = ctx.project else { return };
    let Some(editor) = &project.editor else {
        return;
    };
    for package in &project.graph.packages {
        let Some((unity, release)) = needs(project, package) else {
            continue;
        };
        if editor.satisfies(unity, release) != Some(false) {
            continue;
        }
        let needed = match release.map(str::trim).filter(|r| !r.is_empty()) {
            Some(r) => format!("{}.{r}", unity.trim()),
            None => unity.trim().to_string(),
        };
        report_at_roots(project, ctx.manifest, &package.name, out, |span, chain| {
            let tail = if chain.len() > 1 {
                format!(" ({})", chain_words(chain))
            } else {
                String::new()
            };
            Diagnostic::new(
                &EDITOR_TOO_OLD,
                span,
                format!(
                    "`{}` needs Unity {needed}, the project is on {editor}{tail}",
                    crate::project::check::display(package)
                ),
            )
            .with_note("use a version of the package made for this Editor, or upgrade the project's Editor")
        });
    }
}
