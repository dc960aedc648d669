use super::prelude::*;
use crate::project::check::package_location;
use crate::project::{Missing, Origin};

declare_rule! {
    /// ## What it does
    /// When the project's files are read (`check PROJECT`, the language server), reports a
    /// `file:` dependency whose folder or tarball does not exist, or holds no `package.json`
    /// (a tarball: no `package/package.json`). The path is taken relative to the `Packages`
    /// folder, as Unity takes it; escaped backslashes (`file:..\\libs\\tool`) are read as
    /// slashes. A package that exists but cannot be read (not UTF-8, a corrupt tarball, larger
    /// than manifest-lint reads) is a warning saying why.
    ///
    /// ## Why is this bad?
    /// Unity cannot load the package and the whole resolution fails: a local package must be a
    /// folder (or a `.tgz`) with a `package.json` at its root. The usual causes are a path
    /// written relative to the project folder instead of `Packages/`, a package moved or not
    /// checked out beside the project, and a tarball whose contents are not in a `package/`
    /// folder.
    ///
    /// ## Example
    /// ```json
    /// "dependencies": { "com.acme.tools": "file:../acme-tools" }
    /// ```
    /// with no `acme-tools` folder beside the project folder (`file:` paths start in `Packages/`,
    /// so `file:../acme-tools` is `<project>/acme-tools`).
    ///
    /// ## How to fix
    /// Correct the path (relative to `Packages/`, or absolute), check the package out where the
    /// path points, or depend on a registry version instead.
    pub static LOCAL_PACKAGE_MISSING = {
        id: "local-package-missing",
        severity: Error,
        summary: "A `file:` dependency whose folder or tarball is missing or has no package.json",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(project) = ctx.project else { return };
    for package in &project.input.packages {
        let (dependency, spec, tarball) = match &package.origin {
            Origin::Local { dependency, spec } => (dependency, spec, false),
            Origin::LocalTarball { dependency, spec } => (dependency, spec, true),
            Origin::Embedded { .. } => continue,
        };
        let Err(missing) = &package.text else {
            continue;
        };
        // The entry Unity keeps (the last of duplicates), if it still says this.
        let Some(dep) = ctx
            .manifest
            .dependencies()
            .iter()
            .rev()
            .find(|d| d.name.value == dependency)
            .filter(|d| d.version.as_ref().is_some_and(|v| v.value == spec))
        else {
            continue;
        };
        let span = dep.version.as_ref().map_or(dep.name.span, |v| v.span);
        let at = package_location(&package.path);
        let what = if tarball { "tarball" } else { "folder" };
        let d = match missing {
            Missing::NotFound => Diagnostic::new(
                &LOCAL_PACKAGE_MISSING,
                span,
                format!("No {what} at `{at}`: Unity cannot load `{dependency}`"),
            )
            .with_note(
                "a `file:` path is relative to the Packages folder (`file:../x` is `x` in the \
                 project folder), or absolute",
            ),
            Missing::NoPackageJson if tarball => Diagnostic::new(
                &LOCAL_PACKAGE_MISSING,
                span,
                format!(
                    "The tarball `{at}` has no package/package.json: Unity cannot load `{dependency}`"
                ),
            )
            .with_note("a package tarball holds its files in a `package/` folder, as `npm pack` writes it"),
            Missing::NoPackageJson => Diagnostic::new(
                &LOCAL_PACKAGE_MISSING,
                span,
                format!(
                    "The folder `{at}` has no package.json, so it is not a package: Unity cannot load `{dependency}`"
                ),
            )
            .with_note("point the `file:` path at the folder that holds the package.json"),
            Missing::Unreadable(why) => Diagnostic::new(
                &LOCAL_PACKAGE_MISSING,
                span,
                format!("Cannot read the local package `{dependency}` at `{at}`: {why}"),
            )
            .with_severity(Severity::Warning)
            .with_note("the project checks of this package are skipped"),
        };
        out.push(d);
    }
}
