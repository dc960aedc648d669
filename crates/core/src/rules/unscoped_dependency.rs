use super::prelude::*;
use crate::version::SourceKind;

declare_rule! {
    /// ## What it does
    /// Reports a registry dependency that is not one of Unity's packages (`com.unity.*`) and that
    /// no scope covers, so Unity asks its own registry for it. It is a warning when a scope almost
    /// covers it: a scope that is invalid but would match once corrected (`com.example.*`,
    /// `@example`, `Com.Example`), or one that matches the start of the name but not on a dot
    /// boundary (`com.example` does not cover `com.examples.tools`). Otherwise it is for
    /// information. `file:` and Git dependencies are never reported, nor are packages that
    /// Unity's registry is known to serve: names under a publisher namespace Unity's registry
    /// hosts (`com.meta.xr`, `com.autodesk.fbx`, `com.havok.physics`), and any package that
    /// `packages-lock.json` records as served by the default registry the manifest now asks, nor
    /// (with the project's files) embedded packages, which no registry is asked for.
    ///
    /// ## Why is this bad?
    /// Unity has no fallback: a package goes to exactly one registry. A third-party package that no
    /// scope routes to its registry is looked up in Unity's registry, where it is not, and
    /// resolution fails with `Package [name@version] cannot be found`. Transitive dependencies of
    /// scoped packages need covering too.
    ///
    /// ## Example
    /// ```json
    /// "dependencies": { "com.examples.tools": "1.0.0" },
    /// "scopedRegistries": [
    ///   { "name": "Example", "url": "https://npm.example.com", "scopes": ["com.example"] }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Add a scope that covers the package (its name, or a prefix ending before a dot) to the
    /// registry that serves it, or correct the near-miss scope.
    pub static UNSCOPED_DEPENDENCY = {
        id: "unscoped-dependency",
        severity: Info,
        summary: "A non-Unity package that no scope covers, so Unity's registry is asked for it",
        check: check,
    }
}

/// A scope that is invalid as written, with the form it was probably meant to have.
struct Corrected<'a> {
    meant: String,
    span: Span,
    registry: String,
    written: &'a str,
}

fn corrected(scope: &str) -> String {
    let s = scope.trim().trim_start_matches('@').replace('/', ".");
    let s = s.trim_end_matches(['*', '.', '?']).trim_matches('.');
    s.to_lowercase()
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut corrections: Option<Vec<Corrected<'_>>> = None;
    let default_url = ctx.manifest.default_registry_url();
    let kinds = ctx.source_kinds();
    for (dep, kind) in ctx.manifest.dependencies().iter().zip(kinds) {
        let name = dep.name.value.as_str();
        // An embedded package wins over the manifest's entry: no registry is asked.
        if crate::known::served_by_unity(name) || ctx.project.is_some_and(|p| p.is_embedded(name)) {
            continue;
        }
        // Lock evidence: the last resolution found it in the very registry Unity asks now.
        if let Some(entry) = ctx.locked(name)
            && entry.source.as_deref() == Some("registry")
            && entry
                .url
                .as_deref()
                .is_some_and(|url| crate::lock::same_registry(url, default_url))
        {
            continue;
        }
        if *kind != Some(SourceKind::Registry) {
            continue;
        }
        // The resolver first: a scope covers nearly every name, and then the name's shape
        // need not be checked a second time (invalid-package-name checks it).
        if ctx.resolver.winner(name).is_some() || super::dependency_names::problem(name).is_some() {
            continue;
        }
        let target = if default_url == crate::model::UNITY_REGISTRY_URL {
            format!("Unity's registry ({default_url})")
        } else {
            format!("the default registry `{}`", crate::url::redact(default_url))
        };
        let mut d = Diagnostic::new(
            &UNSCOPED_DEPENDENCY,
            dep.name.span,
            format!("No scope covers `{name}`, so Unity looks for it in {target}"),
        );
        // Near miss 1: an invalid scope that would cover the name once corrected.
        let corrections = corrections.get_or_insert_with(|| {
            let mut list = Vec::new();
            for registry in ctx.manifest.registries() {
                let Some(scopes) = &registry.scopes else {
                    continue;
                };
                for scope in &scopes.items {
                    // A well-formed scope is its own correction: no strings made for it.
                    if super::invalid_scope::is_plainly_valid(&scope.value) {
                        continue;
                    }
                    let meant = corrected(&scope.value);
                    if meant != scope.value && !meant.is_empty() {
                        list.push(Corrected {
                            meant,
                            span: scope.span,
                            registry: registry.display_name(),
                            written: &scope.value,
                        });
                    }
                }
            }
            list
        });
        let covers = |scope: &str| {
            name == scope
                || (name.starts_with(scope) && name.as_bytes().get(scope.len()) == Some(&b'.'))
        };
        if let Some(c) = corrections.iter().find(|c| covers(&c.meant)) {
            d = d
                .with_severity(Severity::Warning)
                .with_label(
                    c.span,
                    format!(
                        "`{}` of `{}` would cover it, but as written it matches nothing",
                        c.written, c.registry
                    ),
                )
                .with_note(format!("write the scope as `{}`", c.meant));
        } else if let Some((scope, span, registry)) = partial_match(ctx, name) {
            // Near miss 2: a scope that matches the start of the name, but not on a dot boundary.
            d = d
                .with_severity(Severity::Warning)
                .with_label(span, format!("`{scope}` of `{registry}` does not cover it: scopes match whole name segments"))
                .with_note(format!("add `{name}` (or the prefix that ends before a dot) to the scopes of the registry that serves it"));
        } else {
            d = d.with_note("if a scoped registry serves this package, add a scope that covers it; Unity does not fall back from one registry to another");
        }
        out.push(d);
    }
}

/// The longest valid scope that is a prefix of `name` ending inside a name segment.
fn partial_match(ctx: &Context<'_>, name: &str) -> Option<(String, Span, String)> {
    let registries = ctx.manifest.registries();
    (1..name.len())
        .rev()
        .filter(|&end| {
            name.is_char_boundary(end)
                && name.as_bytes()[end] != b'.'
                && name.as_bytes()[end - 1] != b'.'
        })
        .find_map(|end| {
            let prefix = &name[..end];
            let decl = ctx.resolver.declarations(prefix).first()?;
            // Skip the trivial: a one-segment scope such as `com` partially matching `company`.
            if !prefix.contains('.') {
                return None;
            }
            let registry = &registries[decl.registry];
            let span = registry.scopes.as_ref()?.items[decl.scope].span;
            Some((prefix.to_string(), span, registry.display_name()))
        })
}
