use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports `scopedRegistries` in a package's `package.json` (embedded in the project as
    /// `Packages/<package>/package.json`, local, or one you author). `manifest-lint check` on a
    /// Unity project folder (or its manifest) lints the `package.json` of every embedded and
    /// local package, and `manifest-lint check path/to/package.json` lints one directly.
    ///
    /// ## Why is this bad?
    /// Unity reads scoped registries only from the project manifest,
    /// `Packages/manifest.json`. In a package's `package.json` they are silently ignored, so the
    /// package's dependencies that need that registry are looked up in Unity's registry and fail
    /// with `Package [name@version] cannot be found`, however right the entry looks.
    ///
    /// ## Example
    /// `Packages/com.example.tools/package.json`:
    /// ```json
    /// {
    ///   "name": "com.example.tools",
    ///   "version": "1.0.0",
    ///   "dependencies": { "com.example.core": "1.0.0" },
    ///   "scopedRegistries": [
    ///     { "name": "Example", "url": "https://npm.example.com", "scopes": ["com.example"] }
    ///   ]
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Move the registry to the project manifest's `scopedRegistries` (merge its scopes into an
    /// existing entry for the same URL), then remove it from the `package.json`. Projects that
    /// use the package as a dependency need the same registry in their own manifests: say so in
    /// the package's documentation.
    pub static IGNORED_SCOPED_REGISTRIES = {
        id: "ignored-scoped-registries",
        severity: Warning,
        summary: "`scopedRegistries` in a package's package.json, where Unity ignores it",
        files: Package,
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(package) = ctx.package else { return };
    for member in package
        .members
        .iter()
        .filter(|m| m.key.value == "scopedRegistries")
    {
        out.push(
            Diagnostic::new(
                &IGNORED_SCOPED_REGISTRIES,
                member.key.span,
                "Unity ignores `scopedRegistries` in a package's package.json",
            )
            .with_note(
                "scoped registries are read only from the project manifest \
                 (Packages/manifest.json): move this entry there",
            ),
        );
    }
}
