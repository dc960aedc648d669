//! Which registry each package comes from, exactly as Unity decides it.
//!
//! A scope matches a package name when the name equals it or starts with it followed by a dot;
//! among all matching scopes of all registries the longest wins; with none, the default registry.
//! Matching is case-sensitive. Looking a name up costs one hash probe per dot-prefix of the name,
//! whatever the number of scopes.

use rustc_hash::FxHashMap;

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
    scopes: FxHashMap<String, Refs>,
    /// One bit per (length, last byte) pair of the scopes ([`shape_bit`]), so that a prefix
    /// of a length and ending no scope has is not hashed and looked up at all: a package name
    /// is rarely a scope itself, and a scope of the same length as the name seldom ends with
    /// the same byte. Empty when there are no scopes.
    shapes: Vec<u64>,
}

impl Resolver {
    pub fn new(manifest: &Manifest) -> Self {
        // Sized once for every scope, so that filling it never grows (and rehashes) the table.
        let count = manifest
            .registries()
            .iter()
            .filter_map(|r| r.scopes.as_ref())
            .map(|s| s.items.len())
            .sum();
        let mut scopes: FxHashMap<String, Refs> =
            FxHashMap::with_capacity_and_hasher(count, Default::default());
        for (r, registry) in manifest.registries().iter().enumerate() {
            let Some(list) = &registry.scopes else {
                continue;
            };
            for (s, scope) in list.items.iter().enumerate() {
                let at = ScopeRef {
                    registry: r,
                    scope: s,
                };
                // A scope seen before is looked up, not cloned for a key that would be dropped.
                match scopes.get_mut(scope.value.as_str()) {
                    // The same scope twice in one registry is one claim (duplicate-scope
                    // reports it).
                    Some(refs) => {
                        if !refs.as_slice().iter().any(|r2| r2.registry == r) {
                            refs.push(at);
                        }
                    }
                    None => {
                        scopes.insert(scope.value.as_str().to_owned(), Refs::One(at));
                    }
                }
            }
        }
        let mut shapes = vec![0u64; if scopes.is_empty() { 0 } else { SHAPE_WORDS }];
        for scope in scopes.keys() {
            let (word, bit) = shape_bit(scope);
            shapes[word] |= bit;
        }
        Self { scopes, shapes }
    }

    /// The declarations of exactly `scope`, or `None`: the map, behind the shape filter.
    fn get(&self, scope: &str) -> Option<&[ScopeRef]> {
        let (word, bit) = shape_bit(scope);
        if self.shapes.get(word).is_none_or(|w| w & bit == 0) {
            return None;
        }
        self.scopes.get(scope).map(Refs::as_slice)
    }

    /// The registries' declarations of exactly this scope string, in manifest order.
    pub fn declarations(&self, scope: &str) -> &[ScopeRef] {
        self.get(scope).unwrap_or(&[])
    }

    /// Every declared scope that matches `name` (the name itself, then each dot-prefix), longest
    /// first; each entry is one scope string with its declarations.
    pub fn matches<'s, 'n: 's>(
        &'s self,
        name: &'n str,
    ) -> impl Iterator<Item = (&'n str, &'s [ScopeRef])> + 's {
        let ends = std::iter::once(name.len()).chain(dots_from_end(name));
        ends.filter_map(move |end| {
            let prefix = &name[..end];
            self.get(prefix).map(|refs| (prefix, refs))
        })
    }

    /// The winning scope of `name` (the longest that matches), or `None` for the default
    /// registry: [`Resolver::resolve`] without the ties and losers, and without allocating.
    pub fn winner(&self, name: &str) -> Option<ScopeRef> {
        // `matches(name).next()` as a plain loop: this is every dependency's look-up, and the
        // chained iterator cost as much as the hashing.
        if let Some(refs) = self.get(name) {
            return Some(refs[0]);
        }
        let bytes = name.as_bytes();
        let mut end = bytes.len();
        while let Some(dot) = bytes[..end].iter().rposition(|&b| b == b'.') {
            if let Some(refs) = self.get(&name[..dot]) {
                return Some(refs[0]);
            }
            end = dot;
        }
        None
    }

    pub fn resolve(&self, name: &str) -> Resolution {
        let mut matches = self.matches(name);
        match matches.next() {
            None => Resolution {
                winner: None,
                tied: Vec::new(),
                losers: Vec::new(),
            },
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
        dots_from_end(scope)
            .map(|i| &scope[..i])
            .find_map(|prefix| self.get(prefix).map(|refs| (prefix, refs)))
    }
}

/// Words of [`Resolver::shapes`]: 64 lengths (63 meaning 63 or more) by 256 last bytes.
const SHAPE_WORDS: usize = 64 * 256 / 64;

/// The word and bit of [`Resolver::shapes`] for a string of this length and last byte (0 for
/// the empty string).
fn shape_bit(s: &str) -> (usize, u64) {
    let last = s.as_bytes().last().copied().unwrap_or(0);
    let index = (s.len().min(63) << 8) | usize::from(last);
    (index / 64, 1 << (index % 64))
}

/// Offsets of the dots in `s`, last first (a plain byte scan: names are short and this is the
/// resolver's inner loop).
fn dots_from_end(s: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = s.as_bytes();
    (0..bytes.len()).rev().filter(move |&i| bytes[i] == b'.')
}

/// The declarations of one scope string, in manifest order: nearly always one, kept inline
/// rather than in a vector of its own.
#[derive(Debug, Clone)]
enum Refs {
    One(ScopeRef),
    Many(Vec<ScopeRef>),
}

impl Refs {
    fn as_slice(&self) -> &[ScopeRef] {
        match self {
            Refs::One(r) => std::slice::from_ref(r),
            Refs::Many(v) => v,
        }
    }

    fn push(&mut self, at: ScopeRef) {
        match self {
            Refs::One(r) => *self = Refs::Many(vec![*r, at]),
            Refs::Many(v) => v.push(at),
        }
    }
}

/// A registry as named in explanations.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RegistryName {
    pub name: String,
    /// With any credentials masked.
    pub url: String,
}

/// Another scope that matched the package, and the registry that declares it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Candidate {
    pub scope: String,
    pub registry: RegistryName,
}

/// Which registry a package comes from and why, in words a person (or a JSON consumer) can use.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Explanation {
    pub package: String,
    pub registry: RegistryName,
    /// The winning scope; `None` when the default registry serves the package.
    pub scope: Option<String>,
    pub default: bool,
    /// Shorter matching scopes that lost, longest first.
    pub candidates: Vec<Candidate>,
    /// Other registries that declare the very same winning scope (a `shadowed-scope` error).
    pub tied: Vec<Candidate>,
    /// A built-in module (`com.unity.modules.*`): it comes with the Editor, not from a registry,
    /// unless the registry whose scope matches sets `overrideBuiltIns`. `registry` then names
    /// the Editor, with an empty URL, and `scope` the scope that matched without effect.
    pub builtin: bool,
}

impl Explanation {
    pub fn new(manifest: &Manifest, resolver: &Resolver, package: &str) -> Self {
        let registries = manifest.registries();
        let name_of = |r: ScopeRef| {
            let registry = &registries[r.registry];
            RegistryName {
                name: registry.display_name(),
                url: registry
                    .url
                    .as_ref()
                    .map(|u| crate::url::redact(&u.value))
                    .unwrap_or_default(),
            }
        };
        let scope_of = |r: ScopeRef| {
            registries[r.registry]
                .scopes
                .as_ref()
                .map(|s| s.items[r.scope].value.as_str().to_owned())
                .unwrap_or_default()
        };
        let candidate = |r: ScopeRef| Candidate {
            scope: scope_of(r),
            registry: name_of(r),
        };
        let resolution = resolver.resolve(package);
        let builtin = package.starts_with("com.unity.modules.")
            && resolution
                .winner
                .is_none_or(|w| registries[w.registry].override_built_ins != Some(true));
        let registry = match resolution.winner {
            _ if builtin => RegistryName {
                name: "Editor (built-in)".to_string(),
                url: String::new(),
            },
            Some(w) => name_of(w),
            None => {
                let url = manifest.default_registry_url();
                let name = if url == crate::model::UNITY_REGISTRY_URL {
                    "Unity"
                } else {
                    "default registry"
                };
                RegistryName {
                    name: name.to_string(),
                    url: crate::url::redact(url),
                }
            }
        };
        Self {
            package: package.to_string(),
            registry,
            scope: resolution.winner.map(scope_of),
            default: resolution.winner.is_none(),
            candidates: resolution.losers.iter().copied().map(candidate).collect(),
            tied: resolution.tied.iter().copied().map(candidate).collect(),
            builtin,
        }
    }

    /// One sentence per fact: where, why, and what lost.
    pub fn sentences(&self) -> Vec<String> {
        let mut out = Vec::new();
        let registry = format!("`{}` ({})", self.registry.name, self.registry.url);
        if self.builtin {
            out.push("Built into the Unity Editor: built-in modules (`com.unity.modules.*`) come with the Editor, not from a registry.".to_string());
            if let Some(scope) = &self.scope {
                out.push(format!("Scope `{scope}` matches it, but without `overrideBuiltIns` on its registry Unity keeps the Editor's built-in package."));
            }
            return out;
        }
        match &self.scope {
            Some(scope) if scope == &self.package => out.push(format!("Resolves to {registry}: its scope `{scope}` names this package exactly.")),
            Some(scope) => out.push(format!("Resolves to {registry}: its scope `{scope}` is the longest that matches.")),
            None if self.registry.name == "Unity" => {
                out.push(format!("Resolves to Unity's registry ({}): no scope of this manifest matches it.", self.registry.url))
            }
            None => out.push(format!("Resolves to the default registry ({}) set by the top-level `registry`: no scope matches it.", self.registry.url)),
        }
        for tied in &self.tied {
            out.push(format!(
                "`{}` ({}) lists the same scope: Unity rejects a scope claimed by two registries.",
                tied.registry.name, tied.registry.url
            ));
        }
        for lost in &self.candidates {
            out.push(format!(
                "Also matched `{}` of `{}`, which loses because it is shorter.",
                lost.scope, lost.registry.name
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::{LintOptions, lint};

    /// The worked example of Unity's manual (Scoped registries: "How Unity picks the registry").
    const MANUAL: &str = r#"{
      "scopedRegistries": [
        { "name": "General", "url": "https://example.com/registry",
          "scopes": ["com.example", "com.example.tools.physics"] },
        { "name": "Tools", "url": "https://mycompany.example.com/tools-registry",
          "scopes": ["com.example.mycompany.tools"] }
      ]
    }"#;

    fn winner(text: &str, package: &str) -> (String, Option<String>) {
        let analysis = lint(text, &LintOptions::default());
        let e = super::Explanation::new(&analysis.manifest, &analysis.resolver, package);
        (e.registry.name, e.scope)
    }

    /// [`super::Resolver::winner`], the look-up without ties and losers that the rules and the
    /// project graph use, names the winner [`super::Resolver::resolve`] names: for every name
    /// made of the scopes' segments (a scope itself, its prefixes, longer names, near misses)
    /// over scopes that nest, repeat within a registry and across registries.
    #[test]
    fn winner_is_resolves_winner() {
        let text = r#"{"scopedRegistries": [
          {"name": "A", "url": "https://a.example.com", "scopes": ["com.a", "com.a.b.c", "com.a", "org"]},
          {"name": "B", "url": "https://b.example.com", "scopes": ["com.a.b", "com.a.b.c", "com.ab", "o"]},
          {"name": "C", "url": "https://c.example.com", "scopes": ["com.a.b.c.d", "org", "com.a.b"]}
        ]}"#;
        let analysis = lint(text, &LintOptions::default());
        let segments = ["com", "a", "b", "c", "d", "ab", "org", "o", ""];
        let mut names = vec![String::new()];
        let mut checked = 0;
        let mut scoped = 0;
        for _ in 0..5 {
            let mut longer = Vec::new();
            for name in &names {
                for segment in segments {
                    longer.push(if name.is_empty() {
                        segment.to_string()
                    } else {
                        format!("{name}.{segment}")
                    });
                }
            }
            for name in &longer {
                let resolution = analysis.resolver.resolve(name);
                assert_eq!(analysis.resolver.winner(name), resolution.winner, "{name}");
                checked += 1;
                scoped += usize::from(resolution.winner.is_some());
            }
            names = longer;
        }
        assert!(
            checked > 60_000 && scoped > 5_000,
            "{checked} names, {scoped} scoped"
        );
    }

    #[test]
    fn the_manuals_worked_example() {
        let cases = [
            ("com.example.animation", "General", Some("com.example")),
            (
                "com.example.tools.physics",
                "General",
                Some("com.example.tools.physics"),
            ),
            (
                "com.example.mycompany.tools.animation",
                "Tools",
                Some("com.example.mycompany.tools"),
            ),
            ("com.unity.animation", "Unity", None),
        ];
        for (package, registry, scope) in cases {
            assert_eq!(
                winner(MANUAL, package),
                (registry.to_string(), scope.map(str::to_string)),
                "{package}"
            );
        }
        let analysis = lint(MANUAL, &LintOptions::default());
        let e = super::Explanation::new(
            &analysis.manifest,
            &analysis.resolver,
            "com.example.mycompany.tools.animation",
        );
        assert_eq!(e.candidates.len(), 1);
        assert_eq!(e.candidates[0].scope, "com.example");
        assert_eq!(e.candidates[0].registry.name, "General");
    }

    #[test]
    fn matching_is_on_dot_boundaries_and_case_sensitive() {
        let text = r#"{"scopedRegistries": [{"name": "A", "url": "https://a.example.com", "scopes": ["com.example", "com.uni"]}]}"#;
        assert_eq!(winner(text, "com.examples.x").0, "Unity");
        assert_eq!(winner(text, "com.unity.x").0, "Unity");
        assert_eq!(winner(text, "Com.Example.x").0, "Unity");
        assert_eq!(winner(text, "com.example").0, "A");
        assert_eq!(winner(text, "com.example.x.y").0, "A");
    }

    #[test]
    fn legacy_registry_replaces_the_default() {
        let text = r#"{"registry": "https://mirror.example.com"}"#;
        let analysis = lint(text, &LintOptions::default());
        let e = super::Explanation::new(&analysis.manifest, &analysis.resolver, "com.unity.x");
        assert!(e.default);
        assert_eq!(e.registry.url, "https://mirror.example.com");
    }

    #[test]
    fn built_in_modules_come_from_the_editor() {
        let text = r#"{"scopedRegistries": [
            {"name": "A", "url": "https://a.example.com", "scopes": ["com.unity.modules"]},
            {"name": "B", "url": "https://b.example.com", "scopes": ["com.unity.modules.audio"], "overrideBuiltIns": true}]}"#;
        let analysis = lint(text, &LintOptions::default());
        let e = super::Explanation::new(
            &analysis.manifest,
            &analysis.resolver,
            "com.unity.modules.ai",
        );
        assert!(e.builtin);
        assert_eq!(e.registry.url, "");
        assert!(
            e.sentences()[0].starts_with("Built into the Unity Editor"),
            "{:?}",
            e.sentences()
        );
        assert!(e.sentences()[1].contains("overrideBuiltIns"));
        let e = super::Explanation::new(
            &analysis.manifest,
            &analysis.resolver,
            "com.unity.modules.audio",
        );
        assert!(!e.builtin, "overrideBuiltIns makes the registry serve it");
        assert_eq!(e.registry.name, "B");
        let e = super::Explanation::new(&analysis.manifest, &analysis.resolver, "com.unity.ugui");
        assert!(!e.builtin);
    }

    #[test]
    fn names_with_many_dots_match_every_prefix() {
        // More dots than the forward pass keeps: the longer prefixes are hashed on their own.
        let long = (0..40)
            .map(|i| format!("p{i}"))
            .collect::<Vec<_>>()
            .join(".");
        let scopes = ["p0", "p0.p1.p2", ".x", ""]
            .iter()
            .map(|s| format!("\"{s}\""))
            .chain([format!("\"{}\"", &long[..long.rfind('.').unwrap()])])
            .collect::<Vec<_>>()
            .join(", ");
        let text = format!(
            r#"{{"scopedRegistries": [{{"name": "A", "url": "https://a.example.com", "scopes": [{scopes}]}}]}}"#
        );
        let analysis = lint(&text, &LintOptions::default());
        let found: Vec<&str> = analysis
            .resolver
            .matches(&long)
            .map(|(prefix, _)| prefix)
            .collect();
        assert_eq!(found, [&long[..long.rfind('.').unwrap()], "p0.p1.p2", "p0"]);
        let found: Vec<&str> = analysis.resolver.matches(".x.y").map(|(p, _)| p).collect();
        assert_eq!(found, [".x", ""]);
        assert_eq!(
            analysis.resolver.parent("p0.p1.p2").map(|(p, _)| p),
            Some("p0")
        );
        assert_eq!(analysis.resolver.declarations("p0.p1.p2").len(), 1);
        assert!(analysis.resolver.declarations("p0.p1").is_empty());
    }

    #[test]
    fn a_scope_claimed_twice_is_reported_as_a_tie() {
        let text = r#"{"scopedRegistries": [
            {"name": "A", "url": "https://a.example.com", "scopes": ["com.x"]},
            {"name": "B", "url": "https://b.example.com", "scopes": ["com.x"]}]}"#;
        let analysis = lint(text, &LintOptions::default());
        let e = super::Explanation::new(&analysis.manifest, &analysis.resolver, "com.x.y");
        assert_eq!(e.registry.name, "A");
        assert_eq!(e.tied[0].registry.name, "B");
    }
}
