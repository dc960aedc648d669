//! What the user points at: the manifest token under a byte offset.

use manifest_lint_core::model::{Manifest, ScopedRegistry};
use manifest_lint_core::{ScopeRef, Span};

/// A token of the manifest that requests can be about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A dependency's name or value; index into `Manifest::dependencies()`.
    Dependency(usize),
    /// A scope string; indices as in [`ScopeRef`].
    Scope(ScopeRef),
    /// A scoped registry's `url` value; index into `Manifest::registries()`.
    RegistryUrl(usize),
    /// A scoped registry's `name` value.
    RegistryName(usize),
    /// The legacy top-level `registry` value.
    LegacyRegistry,
}

/// The token under `offset` (a cursor right after a token still points at it), with its span.
pub fn target_at(manifest: &Manifest, offset: usize) -> Option<(Target, Span)> {
    for (i, dep) in manifest.dependencies().iter().enumerate() {
        if dep.name.span.touches(offset) {
            return Some((Target::Dependency(i), dep.name.span));
        }
        if dep.value_span.touches(offset) {
            return Some((Target::Dependency(i), dep.value_span));
        }
    }
    for (r, registry) in manifest.registries().iter().enumerate() {
        if !registry.span.touches(offset) {
            continue;
        }
        if let Some(url) = registry.url.as_ref().filter(|u| u.span.touches(offset)) {
            return Some((Target::RegistryUrl(r), url.span));
        }
        if let Some(name) = registry.name.as_ref().filter(|n| n.span.touches(offset)) {
            return Some((Target::RegistryName(r), name.span));
        }
        if let Some(scopes) = &registry.scopes {
            for (s, scope) in scopes.items.iter().enumerate() {
                if scope.span.touches(offset) {
                    return Some((
                        Target::Scope(ScopeRef {
                            registry: r,
                            scope: s,
                        }),
                        scope.span,
                    ));
                }
            }
        }
    }
    if let Some(registry) = manifest
        .registry
        .as_ref()
        .filter(|r| r.span.touches(offset))
    {
        return Some((Target::LegacyRegistry, registry.span));
    }
    None
}

/// The scope string and span of a [`ScopeRef`].
pub fn scope(manifest: &Manifest, r: ScopeRef) -> Option<(&str, Span)> {
    let item = manifest
        .registries()
        .get(r.registry)?
        .scopes
        .as_ref()?
        .items
        .get(r.scope)?;
    Some((&item.value, item.span))
}

/// The registry URL a package's requests go to, verbatim from the manifest (the key of
/// `OnlineFacts`), and the registry entry when a scope routes it.
pub fn registry_of<'m>(
    manifest: &'m Manifest,
    resolver: &manifest_lint_core::Resolver,
    package: &str,
) -> (&'m str, Option<&'m ScopedRegistry>) {
    match resolver.resolve(package).winner {
        Some(w) => {
            let registry = &manifest.registries()[w.registry];
            (
                registry.url.as_ref().map_or("", |u| u.value.as_str()),
                Some(registry),
            )
        }
        None => (manifest.default_registry_url(), None),
    }
}

/// For a dependency that no registry serves (a `file:` folder or tarball, or a Git URL, also a
/// malformed one: it is still not looked up in a registry): a short name for where it comes
/// from.
pub fn non_registry_source(dep: &manifest_lint_core::model::Dependency) -> Option<&'static str> {
    use manifest_lint_core::version::{DependencySource, VersionProblem, classify};
    match classify(&dep.version.as_ref()?.value) {
        Ok(DependencySource::File) | Err(VersionProblem::FileEmpty) => Some("local"),
        Ok(DependencySource::Git) => Some("Git"),
        Err(problem) if problem.is_git() => Some("Git"),
        _ => None,
    }
}

/// Whether the dependency's value is malformed (a diagnostic says how).
pub fn malformed(dep: &manifest_lint_core::model::Dependency) -> bool {
    dep.version
        .as_ref()
        .is_some_and(|v| manifest_lint_core::version::classify(&v.value).is_err())
}
