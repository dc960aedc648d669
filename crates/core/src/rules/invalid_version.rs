use super::prelude::*;
use crate::version::{SourceKind, VersionProblem, classify};

declare_rule! {
    /// ## What it does
    /// Reports a dependency value that is neither an exact SemVer version, a `file:` path, nor a
    /// Git URL of a form Unity accepts.
    ///
    /// ## Why is this bad?
    /// Unity resolves exact versions only: npm ranges (`^1.2.0`, `~1.2`, `>=1.0.0`, `1.x`),
    /// tags (`latest`) and prefixes (`v1.2.3`) fail. `exclude` is obsolete. A Git URL must end
    /// its repository path in `.git` or start with `git+`; `?path=` must come before
    /// `#revision` (the reverse fails) and be relative to the repository root (`?path=/sub`, not
    /// `?path=c:\\repo\\sub`); a commit must be the full 40-character hash; `git://` takes no
    /// `git+` prefix; SCP-style (`git@host:user/repo`) and `ssh://` URLs need the `.git` ending
    /// too. A `file:` path written with escaped backslashes (`"file:..\\pkg"`) works on Windows
    /// only: it gets a hint to use forward slashes, which work everywhere.
    ///
    /// In a `package.json` the `dependencies` take exact versions only: Unity rejects a Git URL
    /// or a `file:` path there (`Version '...' is invalid. Expected a 'SemVer' compatible
    /// value.`), as well as everything above.
    ///
    /// ## Example
    /// ```json
    /// "dependencies": {
    ///   "com.example.tools": "^1.2.0",
    ///   "com.example.git": "https://github.com/example/repo.git#v1.0.0?path=/Packages/tools"
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Pin the exact version (`1.2.0`); put `?path=` before `#revision`; use the full commit
    /// hash; write `git://` without `git+`; add `.git` to the repository path. The fixes do what
    /// can be done without guessing.
    pub static INVALID_VERSION = {
        id: "invalid-version",
        severity: Error,
        summary: "A dependency value that is not an exact version, a `file:` path or a Git URL Unity accepts (in a package's dependencies: not an exact version)",
        files: Both,
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let package = ctx.kind == crate::FileKind::Package;
    for (dep, kind) in ctx.manifest.dependencies().iter().zip(ctx.source_kinds()) {
        let Some(version) = &dep.version else {
            continue;
        };
        // An exact version (nearly every value) has no problem, no backslashes and is what a
        // package.json takes: nothing below applies to it.
        if *kind == Some(SourceKind::Registry) {
            continue;
        }
        if package {
            let source = &version.value;
            let what = if source.starts_with("file:") {
                Some("a local `file:` path")
            } else if crate::version::is_git(source)
                || classify(source).is_err_and(|p| p.is_git())
                || source.starts_with("git")
            {
                Some("a Git URL")
            } else {
                None
            };
            if let Some(what) = what {
                out.push(
                    Diagnostic::new(
                        &INVALID_VERSION,
                        version.span,
                        format!("A package's dependencies take exact versions only: Unity rejects {what} in package.json"),
                    )
                    .with_note(
                        "Git and `file:` dependencies work only in the project manifest \
                         (Packages/manifest.json): publish the dependency to a registry and \
                         depend on its version, and let each project add the Git or local \
                         source itself",
                    ),
                );
                continue;
            }
        }
        if let Some(fixed) = crate::version::file_backslashes(&version.value) {
            out.push(
                Diagnostic::new(
                    &INVALID_VERSION,
                    version.span,
                    "This `file:` path uses backslashes, which Unity accepts on Windows only",
                )
                .with_severity(Severity::Hint)
                .with_note("forward slashes work on every platform")
                .with_fix(Fix::safe(
                    "Use forward slashes",
                    vec![Edit::replace(version.span, json_string(&fixed))],
                )),
            );
            continue;
        }
        let Err(problem) = classify(&version.value) else {
            continue;
        };
        let v = &version.value;
        let replace = |title: String, with: &str, safe: bool| {
            let edits = vec![Edit::replace(version.span, json_string(with))];
            if safe {
                Fix::safe(title, edits)
            } else {
                Fix::unsafe_(title, edits)
            }
        };
        let (message, fix): (String, Option<Fix>) = match problem {
            VersionProblem::Empty => ("The version is empty".into(), None),
            VersionProblem::Exclude => ("`exclude` is obsolete; remove the dependency instead".into(), None),
            VersionProblem::Tag => (format!("`{v}` is a tag; Unity needs an exact version such as `1.2.0`"), None),
            VersionProblem::Range { exact } => (
                format!("`{v}` is a version range; Unity needs an exact version"),
                exact.map(|e| replace(format!("Pin `{e}`"), &e, false)),
            ),
            VersionProblem::LeadingV { exact } => (
                format!("`{v}` is not a SemVer version (no `v` prefix)"),
                Some(replace(format!("Use `{exact}`"), &exact, true)),
            ),
            VersionProblem::NotSemver(why) => (
                format!("`{v}` is not an exact SemVer version (major.minor.patch){}", if why.is_empty() { String::new() } else { format!(": {why}") }),
                None,
            ),
            VersionProblem::FileEmpty => ("`file:` needs a path to a package folder or tarball".into(), None),
            VersionProblem::GitPlusGit { fixed } => (
                "`git+git://` is not a Git URL Unity accepts: the GIT protocol takes no `git+` prefix".into(),
                Some(replace("Write `git://`".into(), &fixed, true)),
            ),
            VersionProblem::GitAbsolutePath { path } => (
                format!("`?path={path}` is an absolute path; it must be relative to the repository root, such as `?path=/sub/folder`"),
                None,
            ),
            VersionProblem::SshNotGit { suggestion } => (
                "Unity does not recognise this SSH URL as a Git repository: its path does not end in `.git`".into(),
                Some(replace("Add `.git`".into(), &suggestion, false)),
            ),
            VersionProblem::GitRevisionBeforePath { fixed } => (
                "`?path=` must come before `#revision` in a Git URL; in this order Unity fails to fetch it".into(),
                Some(replace("Put `?path=` before `#revision`".into(), &fixed, true)),
            ),
            VersionProblem::GitShortHash { hash } => (
                format!("`{hash}` looks like a short commit hash; Unity needs the full 40-character hash"),
                None,
            ),
            VersionProblem::HttpNotGit { suggestion } => (
                "Unity does not recognise this URL as a Git repository (its path does not end in `.git` and it has no `git+` prefix)".into(),
                suggestion.map(|s| replace("Add `.git`".into(), &s, false)),
            ),
        };
        let mut d = Diagnostic::new(&INVALID_VERSION, version.span, message);
        if let Some(fix) = fix {
            d = d.with_fix(fix);
        }
        out.push(d);
    }
}
