use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports an entry of a `package.json`'s `samples` that has no `path`, or an empty one.
    ///
    /// ## Why is this bad?
    /// `path` tells the Package Manager which folder (under `Samples~`) to copy into the
    /// project when a user imports the sample. Without it the sample is listed but cannot be
    /// imported.
    ///
    /// ## Example
    /// ```json
    /// "samples": [
    ///   { "displayName": "Basic", "description": "A first scene" }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Add the folder: `"path": "Samples~/Basic"`.
    pub static SAMPLE_WITHOUT_PATH = {
        id: "sample-without-path",
        severity: Warning,
        summary: "A package `samples` entry without `path`",
        files: Package,
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(package) = ctx.package else { return };
    for sample in package.samples() {
        let name = sample
            .display_name
            .as_ref()
            .filter(|n| !n.value.trim().is_empty())
            .map_or_else(
                || format!("#{}", sample.element + 1),
                |n| format!("`{}`", n.value),
            );
        match &sample.path {
            Some(path) if path.value.trim().is_empty() => out.push(
                Diagnostic::new(
                    &SAMPLE_WITHOUT_PATH,
                    path.span,
                    format!("Sample {name} has an empty `path`"),
                )
                .with_note("`path` is the sample's folder, such as `Samples~/Basic`"),
            ),
            Some(_) => {}
            // A `path` of another type is `wrong-type`'s.
            None if sample.members.iter().any(|m| m.key.value == "path") => {}
            None => out.push(
                Diagnostic::new(
                    &SAMPLE_WITHOUT_PATH,
                    Span::new(sample.span.start, sample.span.start + 1),
                    format!("Sample {name} has no `path`: the Package Manager cannot import it"),
                )
                .with_note("add the sample's folder, such as `\"path\": \"Samples~/Basic\"`"),
            ),
        }
    }
}
