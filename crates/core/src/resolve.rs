//! Which registry each package comes from, exactly as Unity decides it.
//!
//! A scope matches a package name when the name equals it or starts with it followed by a dot;
//! among all matching scopes of all registries the longest wins; with none, the default registry.
//! Matching is case-sensitive. Looking a name up costs one hash probe per dot-prefix of the name,
//! whatever the number of scopes.

use std::collections::HashMap;

use crate::model::Manifest;

/// A scope of the manifest: registry index (into `Manifest::registries()`) and scope index (into
/// that registry's `scopes.items`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ScopeRef {
    pub registry: usize,
    pub scope: usize,
}

/// Where a package resolves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    /// The winning scope, or `None` for the default registry.
    pub winner: Option<ScopeRef>,
    /// Other registries that list the very same winning scope (Unity rejects that set-up; we
    /// report the first listed as the winner).
    pub tied: Vec<ScopeRef>,
    /// Shorter matching scopes that lost to the winner, longest first.
    pub losers: Vec<ScopeRef>,
}

impl Resolution {
    pub fn is_default(&self) -> bool {
        self.winner.is_none()
    }
}

/// An index of every valid-looking scope string to the places that declare it.
#[derive(Debug, Default, Clone)]
pub struct Resolver {
    scopes: HashMap<String, Vec<ScopeRef>>,
}

impl Resolver {
    pub fn new(manifest: &Manifest) -> Self {
        let mut scopes: HashMap<String, Vec<ScopeRef>> = HashMap::new();
        for (r, registry) in manifest.registries().iter().enumerate() {
            let Some(list) = &registry.scopes else { continue };
            for (s, scope) in list.items.iter().enumerate() {
                let refs = scopes.entry(scope.value.clone()).or_default();
                // The same scope twice in one registry is one claim (duplicate-scope reports it).
                if !refs.iter().any(|r2| r2.registry == r) {
                    refs.push(ScopeRef { registry: r, scope: s });
                }
            }
        }
        Self { scopes }
    }

    /// The registries' declarations of exactly this scope string, in manifest order.
    pub fn declarations(&self, scope: &str) -> &[ScopeRef] {
        self.scopes.get(scope).map_or(&[], Vec::as_slice)
    }

    /// Every declared scope that matches `name` (the name itself, then each dot-prefix), longest
    /// first; each entry is one scope string with its declarations.
    pub fn matches<'s, 'n: 's>(&'s self, name: &'n str) -> impl Iterator<Item = (&'n str, &'s [ScopeRef])> + 's {
        let ends = std::iter::once(name.len()).chain(name.rmatch_indices('.').map(|(i, _)| i));
        ends.filter_map(move |end| {
            let prefix = &name[..end];
            self.scopes.get(prefix).map(|refs| (prefix, refs.as_slice()))
        })
    }

    pub fn resolve(&self, name: &str) -> Resolution {
        let mut matches = self.matches(name);
        match matches.next() {
            None => Resolution { winner: None, tied: Vec::new(), losers: Vec::new() },
            Some((_, refs)) => Resolution {
                winner: Some(refs[0]),
                tied: refs[1..].to_vec(),
                losers: matches.flat_map(|(_, refs)| refs.iter().copied()).collect(),
            },
        }
    }

    /// The longest declared scope that is a proper dot-prefix of `scope` (what would serve the
    /// packages of `scope` if it were removed), with its declarations.
    pub fn parent<'s>(&self, scope: &'s str) -> Option<(&'s str, &[ScopeRef])> {
        scope
            .rmatch_indices('.')
            .map(|(i, _)| &scope[..i])
            .find_map(|prefix| self.scopes.get(prefix).map(|refs| (prefix, refs.as_slice())))
    }
}
