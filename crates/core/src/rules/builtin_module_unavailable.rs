use super::prelude::*;
use crate::project::Source;
use crate::project::check::{chain_words, report_at_roots};

declare_rule! {
    /// ## What it does
    /// When the project's files are read and `ProjectSettings/ProjectVersion.txt` gives the
    /// Editor version, reports a built-in module (`com.unity.modules.*`) that this Editor does
    /// not have, where that is known (a small table of documented cases, see
    /// `known::BUILTIN_MODULES_ABSENT_THROUGH`): `com.unity.modules.accessibility` is not in
    /// 2022.3 or earlier. A module a package asks for is reported at the manifest's dependency
    /// that pulls the package in.
    ///
    /// ## Why is this bad?
    /// Built-in packages come with the Editor, not from a registry; an Editor without the module
    /// fails with `Package [com.unity.modules.accessibility@1.0.0] cannot be found`. It happens
    /// when a manifest is copied from a project on a newer Editor, or a project is downgraded.
    ///
    /// ## Example
    /// ```json
    /// "dependencies": { "com.unity.modules.accessibility": "1.0.0" }
    /// ```
    /// in a project on `2022.3.10f1`.
    ///
    /// ## How to fix
    /// Remove the module from the manifest (or the package that needs it), or upgrade the
    /// project's Editor.
    pub static BUILTIN_MODULE_UNAVAILABLE = {
        id: "builtin-module-unavailable",
        severity: Error,
        summary: "A built-in module that the project's Editor version does not have",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(project) = ctx.project else { return };
    let Some(editor) = &project.editor else {
        return;
    };
    for package in &project.graph.packages {
        if package.source != Source::Builtin {
            continue;
        }
        let Some(through) = crate::known::builtin_module_absent_through(&package.name) else {
            continue;
        };
        if (editor.year, editor.minor) > through {
            continue;
        }
        let name = &package.name;
        report_at_roots(project, ctx.manifest, name, out, |span, chain| {
            let tail = if chain.len() > 1 {
                format!(" ({})", chain_words(chain))
            } else {
                String::new()
            };
            Diagnostic::new(
                &BUILTIN_MODULE_UNAVAILABLE,
                span,
                format!(
                    "Unity {editor} has no built-in `{name}`: resolution fails with `Package [{name}@{}] cannot be found`{tail}",
                    package.version
                ),
            )
            .with_note(format!(
                "`{name}` comes with Editors newer than {}.{}; remove it, or upgrade the project's Editor",
                through.0, through.1
            ))
        });
    }
}
