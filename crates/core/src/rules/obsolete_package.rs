use super::prelude::*;

/// Packages that must leave the manifest, with the release that made them obsolete and why.
const OBSOLETE: &[(&str, &str, &str)] = &[(
    "com.unity.package-manager-ui",
    "2019.3",
    "the Package Manager window is part of the Editor",
)];

declare_rule! {
    /// ## What it does
    /// Reports a dependency on a package that Unity says to remove from the manifest:
    /// `com.unity.package-manager-ui` as of Unity 2019.3.
    ///
    /// ## Why is this bad?
    /// From 2019.3 on the Package Manager window is part of the Editor, and Unity's
    /// troubleshooting page says to remove `com.unity.package-manager-ui` from the project
    /// manifest. On 2019.2 and older it is still the window itself, so the linter (which does
    /// not know the project's Editor version) reports it for information only.
    ///
    /// ## Example
    /// ```json
    /// "dependencies": { "com.unity.package-manager-ui": "2.1.2" }
    /// ```
    ///
    /// ## How to fix
    /// On Unity 2019.3 or later, remove the dependency. The fix does that; it is not applied
    /// automatically because on older Editors the package is still needed.
    pub static OBSOLETE_PACKAGE = {
        id: "obsolete-package",
        severity: Info,
        summary: "A dependency Unity says to remove from the manifest (`com.unity.package-manager-ui`)",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(deps) = &ctx.manifest.dependencies else {
        return;
    };
    let members = deps.member_spans();
    for dep in ctx.manifest.dependencies() {
        let Some((name, since, why)) = OBSOLETE.iter().find(|(n, _, _)| *n == dep.name.value)
        else {
            continue;
        };
        let mut d = Diagnostic::new(
            &OBSOLETE_PACKAGE,
            dep.name.span,
            format!("`{name}` must be removed from the manifest as of Unity {since}: {why}"),
        )
        .with_note(format!(
            "keep it only while the project is on an Editor older than {since}"
        ));
        if let Some(at) = members.iter().position(|s| *s == dep.span) {
            d = d.with_fix(Fix::unsafe_(
                format!("Remove `{name}`"),
                vec![crate::diagnostic::remove_list_item(&members, at)],
            ));
        }
        out.push(d);
    }
}
