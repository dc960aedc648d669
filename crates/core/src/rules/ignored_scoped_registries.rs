use jsonc_parser::ast::Value;

use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports `scopedRegistries` in the `package.json` of a package embedded in the project
    /// (`Packages/<package>/package.json`). This rule looks at those files, not at the manifest:
    /// `manifest-lint check` on a Unity project folder (or its manifest) lints every
    /// `Packages/*/package.json` beside the manifest for it, and reports the finding against that
    /// `package.json`.
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
        check: check,
    }
}

/// The rule looks at `package.json` files only (see [`check_package_json`]).
fn check(_: &Context<'_>, _: &mut Vec<Diagnostic>) {}

/// Lints the text of an embedded package's `package.json`. Text that does not parse yields
/// nothing: Unity reports a broken `package.json` itself, and this linter's rules are about
/// manifests.
pub(crate) fn check_package_json(text: &str) -> Vec<Diagnostic> {
    let blanked;
    let text = if let Some(rest) = text.strip_prefix('\u{feff}') {
        blanked = format!("   {rest}");
        blanked.as_str()
    } else {
        text
    };
    let Ok(parsed) = crate::parse::parse(text) else {
        return Vec::new();
    };
    let Some(Value::Object(root)) = parsed.value else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for prop in &root.properties {
        if crate::model::prop_name(prop) != "scopedRegistries" {
            continue;
        }
        let span: Span = match &prop.name {
            jsonc_parser::ast::ObjectPropName::String(s) => s.range.into(),
            jsonc_parser::ast::ObjectPropName::Word(w) => w.range.into(),
        };
        out.push(
            Diagnostic::new(
                &IGNORED_SCOPED_REGISTRIES,
                span,
                "Unity ignores `scopedRegistries` in a package's package.json",
            )
            .with_note(
                "scoped registries are read only from the project manifest \
                 (Packages/manifest.json): move this entry there",
            ),
        );
    }
    out
}
