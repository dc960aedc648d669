//! What the project diagnostics share: the project's inputs with their `package.json` files
//! parsed, and where in the manifest a problem found deeper in the project is reported.
//!
//! The project rules (`local-package-missing` and the others in `crate::rules`) run inside
//! [`crate::lint`] when [`crate::LintOptions::project`] is given, so rule levels, sorting and
//! secret masking apply to them as to every other rule. Every finding is reported in the
//! manifest, at the direct dependency that pulls the problem in, with the chain of packages in
//! the message (`com.acme.game@1.0.0 -> com.partner.sdk@2.0.0`).

use std::borrow::Cow;
use std::collections::VecDeque;

use crate::model::Manifest;
use crate::project::{
    EditorVersion, Origin, Package, PackumentStatus, ProjectGraph, ProjectInput, Source,
    VersionInfo,
};
use crate::text::Span;

/// The project around a manifest, prepared once for every project rule.
#[derive(Debug)]
pub struct ProjectContext<'a> {
    pub input: &'a ProjectInput<'a>,
    /// The `package.json` of each of `input.packages` (same order), parsed; `None` when it is
    /// missing or not a JSON object.
    pub disk: &'a [Option<PackageJson>],
    /// What Unity would install ([`super::resolve`]).
    pub graph: ProjectGraph,
    /// The project's Editor, from `ProjectSettings/ProjectVersion.txt`.
    pub editor: Option<EditorVersion>,
    /// Per package of the graph (same order), the roots that pull it in.
    reach: Vec<Vec<Reach>>,
}

/// The parts of a package's `package.json` the project rules read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackageJson {
    pub name: Option<String>,
    pub version: Option<String>,
    pub unity: Option<String>,
    pub unity_release: Option<String>,
    /// `dependencies` with string values, name -> requested version, sorted by name.
    pub dependencies: Vec<(String, String)>,
}

impl PackageJson {
    /// Parses a `package.json` text; `None` when it is not a JSON object (its own lint says so).
    pub fn parse(text: &str) -> Option<Self> {
        match RawPackage::read(text) {
            Some(raw) => Some(raw.for_rules()),
            // What the strict reader leaves: one strict serde_json pass (`super::ordered`).
            None => Self::from_node(&super::ordered::Node::parse(text).ok()?),
        }
    }

    /// From a parsed `package.json`; the last of duplicate keys wins, as in a
    /// `serde_json::Value`.
    pub(crate) fn from_node(root: &super::ordered::Node) -> Option<Self> {
        if !matches!(root, super::ordered::Node::Obj(_)) {
            return None;
        }
        let string = |key: &str| {
            root.member(key)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let dependencies = match root.member("dependencies") {
            Some(super::ordered::Node::Obj(deps)) => {
                let mut last: std::collections::BTreeMap<&str, &super::ordered::Node> =
                    std::collections::BTreeMap::new();
                for (k, v) in deps {
                    last.insert(k, v);
                }
                last.into_iter()
                    .filter_map(|(k, v)| Some((k.to_string(), v.as_str()?.to_string())))
                    .collect()
            }
            _ => Vec::new(),
        };
        Some(Self {
            name: string("name"),
            version: string("version"),
            unity: string("unity"),
            unity_release: string("unityRelease"),
            dependencies,
        })
    }
}

/// What one pass of the strict reader ([`super::strict`]) takes from a `package.json` for both
/// of its readers (the project rules' [`PackageJson`], resolution's): the last of each key.
pub(crate) struct RawPackage<'t> {
    name: Option<Cow<'t, str>>,
    version: Option<Cow<'t, str>>,
    unity: Option<Cow<'t, str>>,
    unity_release: Option<Cow<'t, str>>,
    /// The last `dependencies` when it is an object: its members in document order, with their
    /// values when strings.
    dependencies: Option<super::strict::Members<'t>>,
}

impl<'t> RawPackage<'t> {
    /// `None` when the text is not a strict JSON object, or is one the strict reader leaves to
    /// serde_json: the caller reads it the slow way.
    pub(crate) fn read(text: &'t str) -> Option<Self> {
        use super::strict::Reader;
        let mut raw = RawPackage {
            name: None,
            version: None,
            unity: None,
            unity_release: None,
            dependencies: None,
        };
        let mut reader = Reader::new(text);
        reader.object(|r, key| {
            match &*key {
                "name" => raw.name = r.string_or_skip()?,
                "version" => raw.version = r.string_or_skip()?,
                "unity" => raw.unity = r.string_or_skip()?,
                "unityRelease" => raw.unity_release = r.string_or_skip()?,
                "dependencies" => raw.dependencies = r.string_members_or_skip()?,
                _ => r.skip()?,
            }
            Some(())
        })?;
        reader.end()?;
        Some(raw)
    }

    /// The project rules' reading ([`PackageJson::from_node`]).
    pub(crate) fn for_rules(&self) -> PackageJson {
        let owned = |s: &Option<Cow<'_, str>>| s.as_deref().map(str::to_string);
        let dependencies = match &self.dependencies {
            Some(deps) => {
                // The last of each name, whatever its value; then only strings, by name.
                let mut order: Vec<usize> = (0..deps.len()).collect();
                order.sort_by(|&a, &b| deps[a].0.cmp(&deps[b].0));
                order
                    .iter()
                    .enumerate()
                    .filter(|&(k, &i)| order.get(k + 1).is_none_or(|&n| deps[n].0 != deps[i].0))
                    .filter_map(|(_, &i)| {
                        let (name, value) = &deps[i];
                        Some((name.to_string(), value.as_deref()?.to_string()))
                    })
                    .collect()
            }
            None => Vec::new(),
        };
        PackageJson {
            name: owned(&self.name),
            version: owned(&self.version),
            unity: owned(&self.unity),
            unity_release: owned(&self.unity_release),
            dependencies,
        }
    }

    /// Resolution's reading ([`super::graph::read_package_json`]).
    pub(crate) fn for_resolution(&self) -> Result<super::graph::PackageJson, String> {
        let name = match self.name.as_deref() {
            Some(name) if !name.is_empty() => name.to_string(),
            _ => return Err("it has no `name`".into()),
        };
        Ok(super::graph::PackageJson {
            name,
            dependencies: self
                .dependencies
                .as_deref()
                .map(super::graph::string_values)
                .unwrap_or_default(),
        })
    }
}

impl<'a> ProjectContext<'a> {
    /// The project around `input.manifest`, with the model (and resolver) the lint has made
    /// of it (`None` when it does not parse) and the project's other files parsed
    /// ([`super::Prepared::new`] of `input`).
    pub fn new(
        input: &'a ProjectInput<'a>,
        manifest: Option<(&Manifest, &crate::resolve::Resolver)>,
        prepared: &'a super::Prepared,
    ) -> Self {
        let (graph, links) = match manifest {
            Some((manifest, resolver)) => {
                super::graph::resolve_indexed(input, manifest, resolver, prepared)
            }
            None => (ProjectGraph::unparsed(), Vec::new()),
        };
        Self {
            input,
            disk: &prepared.disk,
            reach: reach(&graph, &links),
            graph,
            editor: prepared.editor.clone(),
        }
    }

    /// Whether an embedded package goes by `name` (it then wins over the manifest's entry).
    pub fn is_embedded(&self, name: &str) -> bool {
        embedded_names(self.input, self.disk).any(|n| n == name)
    }

    /// The `package.json` of the package on disk that the graph installs as `package`
    /// (embedded, local or local tarball).
    pub fn package_json(&self, package: &Package) -> Option<&PackageJson> {
        let index = self
            .input
            .packages
            .iter()
            .zip(self.disk)
            .position(|(p, json)| match (&p.origin, package.source) {
                (Origin::Embedded { .. }, Source::Embedded) => {
                    json.as_ref().and_then(|j| j.name.as_deref()) == Some(package.name.as_str())
                }
                (Origin::Local { dependency, .. }, Source::Local)
                | (Origin::LocalTarball { dependency, .. }, Source::LocalTarball) => {
                    dependency == &package.name
                }
                _ => false,
            })?;
        self.disk[index].as_ref()
    }

    /// The packument's facts about a registry package's chosen version, online.
    pub fn version_info(&self, package: &Package) -> Option<&VersionInfo> {
        match self.packument(package)? {
            PackumentStatus::Found(p) => p.versions.get(&package.version),
            _ => None,
        }
    }

    /// What the registry a package resolves to said about it, online; `None` when it was not
    /// asked (or offline).
    pub fn packument(&self, package: &Package) -> Option<&PackumentStatus> {
        let registry = package.registry.as_deref()?;
        let registries = &self.input.packuments?.registries;
        registries
            .get(registry)
            .or_else(|| {
                registries
                    .iter()
                    .find(|(url, _)| crate::lock::same_registry(url, registry))
                    .map(|(_, m)| m)
            })?
            .get(&package.name)
    }

    /// For each direct dependency that pulls `name` in (at most [`MAX_CHAINS`]), a shortest
    /// chain of packages from it down to `name` (a direct dependency itself: a chain of one).
    pub fn chains(&self, name: &str) -> Vec<Vec<&Package>> {
        let packages = &self.graph.packages;
        let Ok(target) = packages.binary_search_by(|p| p.name.as_str().cmp(name)) else {
            return Vec::new();
        };
        let mut chains = Vec::new();
        for entry in &self.reach[target] {
            let mut chain = vec![&packages[target]];
            let mut at = target;
            // The links of one root form a tree: the walk ends; the bound is for safety only.
            for _ in 0..packages.len() {
                let Some(step) = self.reach[at].iter().find(|e| e.root == entry.root) else {
                    break;
                };
                if step.pred == NO_PRED {
                    break;
                }
                at = step.pred as usize;
                chain.push(&packages[at]);
            }
            chain.reverse();
            chains.push(chain);
        }
        chains
    }
}

/// How a package is reached from one root: the root and the package before it on a shortest
/// chain ([`NO_PRED`] for the root itself).
#[derive(Debug, Clone, Copy)]
pub struct Reach {
    root: u32,
    pred: u32,
}

const NO_PRED: u32 = u32::MAX;

/// For every package of the graph, the roots that pull it in (at most [`MAX_CHAINS`]), each with
/// the previous package of a shortest chain: one breadth-first pass down from every root at once,
/// so that reporting is linear in the graph (each package takes a root once), never a walk up
/// the graph per finding.
///
/// `links` are, per package, the indices of the packages its `requested_by` names
/// ([`super::graph::resolve_indexed`]).
fn reach(graph: &ProjectGraph, links: &[Vec<u32>]) -> Vec<Vec<Reach>> {
    let packages = &graph.packages;
    let n = packages.len();
    let mut children: Vec<Vec<u32>> = vec![Vec::new(); n];
    for (i, by) in links.iter().enumerate() {
        for &j in by {
            if j as usize != i {
                children[j as usize].push(i as u32);
            }
        }
    }
    let roots: Vec<bool> = packages.iter().map(is_root).collect();
    let mut reach: Vec<Vec<Reach>> = vec![Vec::new(); n];
    let mut queue: VecDeque<usize> = VecDeque::new();
    for i in (0..n).filter(|&i| roots[i]) {
        reach[i].push(Reach {
            root: i as u32,
            pred: NO_PRED,
        });
        queue.push_back(i);
    }
    // How many of each package's roots went on to its children already.
    let mut sent = vec![0usize; n];
    while let Some(p) = queue.pop_front() {
        let (from, upto) = (sent[p], reach[p].len());
        if from == upto {
            continue;
        }
        sent[p] = upto;
        for &c in &children[p] {
            let c = c as usize;
            // A root is reported at itself; it is not reached through another.
            if roots[c] {
                continue;
            }
            let mut grew = false;
            for k in from..upto {
                let root = reach[p][k].root;
                if reach[c].len() >= MAX_CHAINS {
                    break;
                }
                if !reach[c].iter().any(|e| e.root == root) {
                    reach[c].push(Reach {
                        root,
                        pred: p as u32,
                    });
                    grew = true;
                }
            }
            if grew {
                queue.push_back(c);
            }
        }
    }
    reach
}

/// Most direct dependencies a problem is reported at.
pub const MAX_CHAINS: usize = 8;

/// Whether the graph's package is one the project asks for itself: a manifest dependency or a
/// package on disk (embedded, or a `file:`/Git dependency), rather than a dependency of one.
pub fn is_root(package: &Package) -> bool {
    package.requested_by.is_empty()
        || package.depth == 0
        || package.requested_by.iter().any(|r| r == "manifest")
}

/// A package as a chain shows it: `com.acme.game@1.0.0`; a package on disk or from Git by its
/// source (`com.acme.tool (embedded)`).
pub fn display(package: &Package) -> String {
    match package.source {
        Source::Registry | Source::Builtin => format!("{}@{}", package.name, package.version),
        source => format!("{} ({})", package.name, source.as_str()),
    }
}

/// `com.acme.game@1.0.0 -> com.partner.sdk@2.0.0`. A chain longer than [`MAX_CHAIN_SHOWN`]
/// keeps its two ends (`a@1.0.0 -> b@1.0.0 -> (7 more) -> y@1.0.0 -> z@1.0.0`), so that a deep
/// graph cannot make a message grow without bound.
pub fn chain_words(chain: &[&Package]) -> String {
    let words: Vec<String> = if chain.len() > MAX_CHAIN_SHOWN {
        let (head, tail) = (MAX_CHAIN_SHOWN / 2, MAX_CHAIN_SHOWN - MAX_CHAIN_SHOWN / 2);
        chain[..head]
            .iter()
            .map(|p| display(p))
            .chain(std::iter::once(format!(
                "({} more)",
                chain.len() - head - tail
            )))
            .chain(chain[chain.len() - tail..].iter().map(|p| display(p)))
            .collect()
    } else {
        chain.iter().map(|p| display(p)).collect()
    };
    words.join(" -> ")
}

/// Most packages a chain names in a message.
pub const MAX_CHAIN_SHOWN: usize = 6;

fn parse_disk(input: &ProjectInput<'_>) -> Vec<Option<PackageJson>> {
    input
        .packages
        .iter()
        .map(|p| p.text.as_ref().ok().and_then(|t| PackageJson::parse(t)))
        .collect()
}

/// The names embedded packages go by: their `package.json`'s `name`, else their folder's.
fn embedded_names<'i>(
    input: &'i ProjectInput<'_>,
    disk: &'i [Option<PackageJson>],
) -> impl Iterator<Item = &'i str> {
    input
        .packages
        .iter()
        .zip(disk)
        .filter_map(|(p, json)| match &p.origin {
            Origin::Embedded { dir } => Some(
                json.as_ref()
                    .and_then(|j| j.name.as_deref())
                    .unwrap_or(dir.as_str()),
            ),
            _ => None,
        })
}

/// The names of the project's embedded packages (for the probes, which need no graph).
pub fn embedded_package_names(input: &ProjectInput<'_>) -> Vec<String> {
    let disk = parse_disk(input);
    embedded_names(input, &disk).map(str::to_string).collect()
}

/// Where a problem pulled in by the direct dependency `root` is reported: that dependency's
/// name in the manifest (the last of duplicates, the one Unity keeps), else the `dependencies`
/// key (an embedded package the manifest does not list), else the start of the text.
pub fn report_span(manifest: &Manifest, root: &str) -> Span {
    if let Some(dep) = manifest
        .dependencies()
        .iter()
        .rev()
        .find(|d| d.name.value == root)
    {
        return dep.name.span;
    }
    if let Some(member) = manifest.member("dependencies") {
        return member.key.span;
    }
    manifest
        .root
        .map_or(Span::new(0, 0), |r| Span::new(r.start, r.start))
}

/// The names the lock file records with `"source": "builtin"`.
pub fn lock_builtins(lock: Option<&str>) -> Vec<String> {
    let Some(Ok(lock)) = lock.map(crate::lock::parse_lock) else {
        return Vec::new();
    };
    lock.entries
        .into_iter()
        .filter(|e| e.source.as_deref() == Some("builtin"))
        .map(|e| e.name)
        .collect()
}

/// Reports a problem of the graph's package `name` at every direct dependency that pulls it in
/// (once per place in the manifest): `make` gets the span and the chain from that dependency
/// down to `name`.
pub(crate) fn report_at_roots(
    project: &ProjectContext<'_>,
    manifest: &Manifest,
    name: &str,
    out: &mut Vec<crate::Diagnostic>,
    mut make: impl FnMut(Span, &[&Package]) -> crate::Diagnostic,
) {
    let mut spans: Vec<Span> = Vec::new();
    for chain in project.chains(name) {
        let span = report_span(manifest, &chain[0].name);
        if spans.contains(&span) {
            continue;
        }
        spans.push(span);
        out.push(make(span, &chain));
    }
}

/// The words for a registry URL: the manifest's name for it (`` `Acme` (https://npm.acme.com) ``),
/// `Unity's registry (https://packages.unity.com)`, or the URL.
pub fn registry_words(manifest: &Manifest, url: &str) -> String {
    let shown = crate::url::redact(url);
    if let Some(registry) = manifest.registries().iter().find(|r| {
        r.url
            .as_ref()
            .is_some_and(|u| crate::lock::same_registry(&u.value, url))
    }) {
        return format!("`{}` ({shown})", registry.display_name());
    }
    if crate::lock::same_registry(url, crate::model::UNITY_REGISTRY_URL) {
        return format!("Unity's registry ({shown})");
    }
    format!("the registry {shown}")
}

/// The folder or tarball a `package.json` path for messages names
/// (`local/tool/package.json` -> `local/tool`; a tarball's path is the tarball).
pub fn package_location(path: &str) -> &str {
    path.strip_suffix("/package.json").unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_json_parts() {
        let json = PackageJson::parse(
            "\u{feff}{\"name\": \"com.a\", \"version\": \"1.0.0\", \"unity\": \"2022.3\", \
             \"unityRelease\": \"0f1\", \"dependencies\": {\"com.z\": \"1.0.0\", \"com.b\": 2}}",
        )
        .unwrap();
        assert_eq!(json.name.as_deref(), Some("com.a"));
        assert_eq!(json.unity.as_deref(), Some("2022.3"));
        assert_eq!(json.unity_release.as_deref(), Some("0f1"));
        assert_eq!(json.dependencies, [("com.z".into(), "1.0.0".into())]);
        assert_eq!(PackageJson::parse("[1]"), None);
        assert_eq!(PackageJson::parse("{,"), None);
    }

    #[test]
    fn one_pass_over_a_package_json_reads_what_the_tree_reads() {
        let bases = [
            r#"{"name": "com.a", "version": "1.0.0", "displayName": "A \"quoted\" name\n",
               "unity": "2022.3", "unityRelease": "0f1", "keywords": ["x", 1],
               "dependencies": {"com.z": "1.0.0", "com.b": 2, "com.z": "2.0.0", "com.b": "3.0.0", "com.c": "1.0.0", "com.c": null},
               "author": {"name": "x"}, "samples": [{"path": "S~"}]}"#,
            r#"{"name": "", "dependencies": {}, "dependencies": 1, "version": 1}"#,
            r#"{"name": "n", "name": "\u0041\u00e9", "dependencies": {"k": "v"}}"#,
        ];
        let mut fast = 0;
        for base in bases {
            assert!(RawPackage::read(base).is_some(), "{base}");
            for text in std::iter::once(base.to_string())
                .chain(crate::project::strict::mutations(base, 3000))
            {
                let Some(raw) = RawPackage::read(&text) else {
                    continue;
                };
                fast += 1;
                let parsed = crate::project::ordered::Node::parse(&text);
                assert_eq!(
                    Some(raw.for_rules()),
                    parsed.as_ref().ok().and_then(PackageJson::from_node),
                    "{text}"
                );
                assert_eq!(
                    raw.for_resolution(),
                    crate::project::graph::read_package_json(&parsed),
                    "{text}"
                );
            }
        }
        assert!(fast > 1000, "{fast}");
    }

    #[test]
    fn locations() {
        assert_eq!(package_location("local/tool/package.json"), "local/tool");
        assert_eq!(package_location("Packages/tool.tgz"), "Packages/tool.tgz");
    }
}
