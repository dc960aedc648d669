use std::collections::HashSet;

use super::did_you_mean;
use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports an item of `pinnedPackages` that is not in `dependencies`.
    ///
    /// ## Why is this bad?
    /// Unity 6 pins only direct dependencies: each item of `pinnedPackages` must also be a key of
    /// `dependencies`. A typo or a dependency removed later leaves a pin that Unity rejects.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "dependencies": { "com.example.tools": "1.0.0" },
    ///   "pinnedPackages": ["com.example.tool"]
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Correct the name, add the dependency, or remove the pin.
    pub static PINNED_PACKAGE_MISSING = {
        id: "pinned-package-missing",
        severity: Error,
        summary: "A `pinnedPackages` item that is not in `dependencies`",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(pinned) = &ctx.manifest.pinned_packages else {
        return;
    };
    let names: HashSet<&str> = ctx
        .manifest
        .dependencies()
        .iter()
        .map(|d| d.name.value.as_str())
        .collect();
    for item in &pinned.items {
        if names.contains(item.value.as_str()) {
            continue;
        }
        let mut d = Diagnostic::new(
            &PINNED_PACKAGE_MISSING,
            item.span,
            format!("`{}` is pinned but is not in `dependencies`", item.value),
        )
        .with_note("only direct dependencies can be pinned");
        if let Some(suggestion) = did_you_mean(&item.value, names.iter().copied()) {
            d = d
                .with_note(format!("did you mean `{suggestion}`?"))
                .with_fix(Fix::unsafe_(
                    format!("Change to `{suggestion}`"),
                    vec![Edit::replace(item.span, json_string(suggestion))],
                ));
        }
        out.push(d);
    }
}
