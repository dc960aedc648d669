use rustc_hash::FxHashMap;

use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports two scoped registries with the same `name`, or the same `url` (ignoring a trailing
    /// slash).
    ///
    /// ## Why is this bad?
    /// Registry names label the registries in the Package Manager window and Unity 6 warns when
    /// two collide. Two entries for one URL split its scopes over two places and usually mean a
    /// registry was added twice (for example by two OpenUPM installs); their scopes belong in one
    /// entry.
    ///
    /// ## Example
    /// ```json
    /// "scopedRegistries": [
    ///   { "name": "OpenUPM", "url": "https://package.openupm.com", "scopes": ["com.a"] },
    ///   { "name": "OpenUPM", "url": "https://package.openupm.com", "scopes": ["com.b"] }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Merge the entries: one registry per URL, with all of its scopes, under a unique name.
    pub static DUPLICATE_REGISTRY = {
        id: "duplicate-registry",
        severity: Warning,
        summary: "Two registries with the same name or the same URL",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut names: FxHashMap<&str, Span> = FxHashMap::default();
    let mut urls: FxHashMap<String, Span> = FxHashMap::default();
    for registry in ctx.manifest.registries() {
        if let Some(name) = &registry.name
            && !name.value.trim().is_empty()
        {
            match names.get(name.value.as_str()) {
                Some(&first) => out.push(
                    Diagnostic::new(
                        &DUPLICATE_REGISTRY,
                        name.span,
                        format!("Another scoped registry is already named `{}`", name.value),
                    )
                    .with_label(first, "first used here")
                    .with_note("give each registry a unique name, or merge the two entries"),
                ),
                None => {
                    names.insert(&name.value, name.span);
                }
            }
        }
        if let Some(url) = &registry.url
            && !url.value.trim().is_empty()
        {
            let key = url.value.trim().trim_end_matches('/').to_ascii_lowercase();
            match urls.get(&key) {
                Some(&first) => out.push(
                    Diagnostic::new(
                        &DUPLICATE_REGISTRY,
                        url.span,
                        format!(
                            "Another scoped registry already uses `{}`",
                            crate::url::redact(&url.value)
                        ),
                    )
                    .with_label(first, "first used here")
                    .with_note(
                        "merge the two entries: one registry per URL, with all of its scopes",
                    ),
                ),
                None => {
                    urls.insert(key, url.span);
                }
            }
        }
    }
}
