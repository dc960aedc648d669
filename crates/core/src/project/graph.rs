//! [`resolve`]: the packages Unity installs for a project, from its [`ProjectInput`].
//!
//! 1. **Roots.** Every embedded package (`Packages/<dir>/package.json`) is installed at depth 0
//!    and wins over a manifest entry of the same name. The manifest's `file:` dependencies are
//!    local folders or tarballs, its Git URLs Git packages; both at depth 0, with the versions
//!    the manifest writes (as the lock file does). Its SemVer versions are requests at level 0.
//! 2. **Transitive dependencies.** The dependencies of each package come from its
//!    `package.json` (embedded and local packages), from the registry's packument of the chosen
//!    version (online) or from the lock file's entry for that version (offline), and each is
//!    routed through the *project's* scopes. Built-in packages (`com.unity.modules.*`, unless a
//!    matching registry sets `overrideBuiltIns`, and what the lock records as `builtin`) come
//!    with the Editor: never from a registry.
//! 3. **Version selection** ([`super::select`]) by the Editor version of
//!    `ProjectSettings/ProjectVersion.txt` (2020.1 and later when there is none). A package
//!    embedded, local or from Git is preferred over every version request for it.
//! 4. **Depth**: the fewest levels from the project, where a manifest entry that a package's
//!    higher request overrode no longer counts ([`leads_to`]), as Unity's lock files record it.
//!
//! Walks repeat until the chosen versions settle (a newer version can bring other
//! dependencies), at most [`MAX_WALKS`] times.

use std::collections::{BTreeMap, VecDeque};

// Fx hashing: the graph hashes package names thousands of times (SipHash was a tenth of a
// 50-package project's check).
use rustc_hash::FxHashMap as HashMap;

use super::ordered::Node;
use super::select::{self, Request, Rule, Strategy};
use super::{Missing, Origin, Package, ProjectGraph, ProjectInput, Source};
use crate::model::Manifest;
use crate::resolve::Resolver;
use crate::version::{self, DependencySource};

/// How many times the graph is walked before giving up on the versions settling.
pub const MAX_WALKS: usize = 32;

/// A cap on the packages of one graph (real projects have a few hundred), so that a hostile
/// input cannot grow the walks without bound; past it the rest is left out, and said.
pub const MAX_PACKAGES: usize = 100_000;

/// What the lock file records for one package (all that resolution reads of it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct LockRecord {
    version: Option<String>,
    source: Option<String>,
    url: Option<String>,
    hash: Option<String>,
    dependencies: Option<Vec<(String, String)>>,
}

/// The lock file as resolution reads it, by package name (the last of duplicates winning).
pub(crate) fn read_lock(text: &str) -> HashMap<String, LockRecord> {
    match crate::lock::read_entries(text) {
        Some(entries) => records_of(&entries),
        None => read_lock_slowly(text),
    }
}

/// [`read_lock`] of the entries one pass over the lock read ([`crate::lock::read_entries`]).
pub(crate) fn records_of(entries: &[crate::lock::RawEntry<'_>]) -> HashMap<String, LockRecord> {
    let mut records = HashMap::with_capacity_and_hasher(entries.len(), Default::default());
    let owned = |s: &Option<std::borrow::Cow<'_, str>>| s.as_deref().map(str::to_string);
    for entry in entries {
        let record = LockRecord {
            version: owned(&entry.version),
            source: owned(&entry.source),
            url: owned(&entry.url),
            hash: owned(&entry.hash),
            dependencies: entry.dependencies.as_deref().map(string_values),
        };
        records.insert(entry.name.to_string(), record);
    }
    records
}

/// An object's string members in document order, the last of duplicate keys winning where it
/// stands ([`string_pairs`] of what the strict reader read).
pub(crate) fn string_values(
    members: &[(std::borrow::Cow<'_, str>, Option<std::borrow::Cow<'_, str>>)],
) -> Vec<(String, String)> {
    last_of_each(
        members
            .iter()
            .filter_map(|(name, value)| Some((name.to_string(), value.as_deref()?.to_string())))
            .collect(),
    )
}

/// [`read_lock`] through a tree of the text: for what the strict reader leaves.
fn read_lock_slowly(text: &str) -> HashMap<String, LockRecord> {
    let Some(root) = strict_object(text) else {
        return HashMap::default();
    };
    let Some(Node::Obj(deps)) = root.member("dependencies") else {
        return HashMap::default();
    };
    let mut records = HashMap::with_capacity_and_hasher(deps.len(), Default::default());
    for (name, entry) in deps {
        if !matches!(entry, Node::Obj(_)) {
            continue;
        }
        let string = |k: &str| entry.member(k).and_then(Node::as_str).map(str::to_string);
        let record = LockRecord {
            version: string("version"),
            source: string("source"),
            url: string("url"),
            hash: string("hash"),
            dependencies: match entry.member("dependencies") {
                Some(Node::Obj(o)) => Some(string_pairs(o)),
                _ => None,
            },
        };
        records.insert(name.clone(), record);
    }
    records
}

/// The root object of a text that is strict JSON (as Unity's Node.js resolver requires), read
/// with its members in document order (one serde_json pass).
fn strict_object(text: &str) -> Option<Node> {
    match Node::parse(text).ok()? {
        root @ Node::Obj(_) => Some(root),
        _ => None,
    }
}

/// An object's string members in document order, the last of duplicate keys winning.
fn string_pairs(members: &[(String, Node)]) -> Vec<(String, String)> {
    last_of_each(
        members
            .iter()
            .filter_map(|(name, value)| Some((name.clone(), value.as_str()?.to_string())))
            .collect(),
    )
}

/// The pairs with only the last of each name, where that last one stands (linear: a hostile
/// object may hold many keys).
fn last_of_each(pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    let mut last: HashMap<&str, usize> =
        HashMap::with_capacity_and_hasher(pairs.len(), Default::default());
    for (i, (name, _)) in pairs.iter().enumerate() {
        last.insert(name, i);
    }
    let keep: Vec<bool> = (0..pairs.len())
        .map(|i| last[pairs[i].0.as_str()] == i)
        .collect();
    pairs
        .into_iter()
        .zip(keep)
        .filter_map(|(pair, keep)| keep.then_some(pair))
        .collect()
}

/// What a `package.json` says that resolution needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PackageJson {
    pub(crate) name: String,
    pub(crate) dependencies: Vec<(String, String)>,
}

/// [`PackageJson`] from a `package.json`'s parse ([`Node::parse`]), or why there is none.
pub(crate) fn read_package_json(
    parsed: &Result<Node, serde_json::Error>,
) -> Result<PackageJson, String> {
    let root = match parsed {
        Ok(root @ Node::Obj(_)) => root,
        Ok(_) => return Err("its root is not an object".into()),
        Err(e) => return Err(format!("not valid JSON ({e})")),
    };
    let name = match root.member("name") {
        Some(Node::Str(s)) if !s.is_empty() => s.clone(),
        _ => return Err("it has no `name`".into()),
    };
    let dependencies = match root.member("dependencies") {
        Some(Node::Obj(o)) => string_pairs(o),
        _ => Vec::new(),
    };
    Ok(PackageJson { name, dependencies })
}

/// A package whose version does not come from version requests: embedded, local, Git.
#[derive(Debug, Clone)]
struct Fixed {
    version: String,
    source: Source,
    /// `Err(why)` when they cannot be known.
    dependencies: Result<Vec<(String, String)>, String>,
    hash: Option<String>,
}

/// One request in a walk: the version, the level, and who asks (`None`: the manifest).
#[derive(Debug, Clone)]
struct Req {
    version: String,
    level: u32,
    from: Option<String>,
}

struct Walk {
    /// The version each requested (non-fixed) package was walked with.
    used: HashMap<String, String>,
    requests: HashMap<String, Vec<Req>>,
    /// Breadth-first level of the first visit.
    levels: HashMap<String, u32>,
    /// Visit order.
    order: Vec<String>,
    /// Whether [`MAX_PACKAGES`] left packages out.
    capped: bool,
    /// The version [`Context::pick`] chose when the walk reached a package, and how many
    /// requests it had then: [`Context::choose`] picks again only when more came later.
    picked: HashMap<String, (usize, Option<String>)>,
    /// The dependencies of each requested package at its walked version
    /// ([`Context::dependencies`]), for [`Context::finish`].
    found: HashMap<String, Result<Vec<(String, String)>, String>>,
}

struct Context<'a, 'i> {
    input: &'a ProjectInput<'i>,
    manifest: &'a Manifest,
    resolver: &'a Resolver,
    lock: &'a HashMap<String, LockRecord>,
    /// What resolution needs of each of `input.packages` (same order).
    packages: &'a [Result<PackageJson, String>],
    rule: Rule,
    strategy: Strategy,
    fixed: BTreeMap<String, Fixed>,
    /// The manifest's registry requests, in manifest order (last of duplicate keys).
    direct: Vec<(String, String)>,
    /// The manifest's entries for packages that are embedded, local or from Git: requests that
    /// choose nothing, kept for `requested_by`.
    named: Vec<(String, String)>,
}

/// Builds the graph of every package Unity would install for this project, parsing
/// `input.manifest`. [`crate::lint`] builds it from the model it has already made
/// ([`resolve_parsed`]).
pub fn resolve(input: &ProjectInput<'_>) -> ProjectGraph {
    let manifest_text = input
        .manifest
        .strip_prefix('\u{feff}')
        .unwrap_or(input.manifest);
    let manifest = match crate::parse::parse(manifest_text) {
        Ok(parsed) => Manifest::from_ast(parsed.value.as_ref()),
        Err(_) => return ProjectGraph::unparsed(),
    };
    let prepared = super::Prepared::new(None, Some(input));
    resolve_parsed(input, &manifest, &Resolver::new(&manifest), &prepared)
}

/// [`resolve`] with the manifest already parsed (`input.manifest` is not read): the model of
/// `input.manifest`, its resolver, and the project's other files parsed
/// ([`super::Prepared::new`] of `input`).
pub fn resolve_parsed(
    input: &ProjectInput<'_>,
    manifest: &Manifest,
    resolver: &Resolver,
    prepared: &super::Prepared,
) -> ProjectGraph {
    let rule = match &prepared.editor {
        Some(e) if !e.selects_highest() => Rule::FewestLevels,
        _ => Rule::Highest,
    };
    let strategy = manifest
        .resolution_strategy
        .as_ref()
        .and_then(|s| Strategy::parse(&s.value))
        .unwrap_or_default();
    let mut unknown = Vec::new();
    let mut cx = Context {
        input,
        manifest,
        resolver,
        lock: &prepared.records,
        packages: &prepared.resolution,
        rule,
        strategy,
        fixed: BTreeMap::new(),
        direct: Vec::new(),
        named: Vec::new(),
    };
    cx.roots(&mut unknown);

    let mut walk = cx.walk(&HashMap::default());
    let mut settled = false;
    for _ in 0..MAX_WALKS {
        let next = cx.choose(&walk);
        if next == walk.used {
            settled = true;
            break;
        }
        walk = cx.walk(&next);
    }
    if !settled {
        unknown.push(format!(
            "the chosen versions did not settle after {MAX_WALKS} walks of the graph: versions may differ from Unity's"
        ));
    }
    let mut graph = cx.finish(&walk, unknown);
    scrub(&mut graph.unknown, cx.manifest);
    graph
}

/// Replaces every credential the manifest's URLs carry (registry user-info, a Git dependency's
/// password or token) by `***` in the words of `lines`: no message repeats a secret.
fn scrub(lines: &mut [String], manifest: &Manifest) {
    use crate::url::{dependency_credentials_range, userinfo_range};
    let mut secrets: Vec<String> = manifest
        .registries()
        .iter()
        .filter_map(|r| r.url.as_ref())
        .chain(manifest.registry.as_ref())
        .filter_map(|u| userinfo_range(&u.value).map(|r| u.value[r].to_string()))
        .chain(manifest.dependencies().iter().filter_map(|d| {
            let v = &d.version.as_ref()?.value;
            dependency_credentials_range(v).map(|r| v[r].to_string())
        }))
        .filter(|s| !s.is_empty())
        .collect();
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    for line in lines {
        for secret in &secrets {
            if line.contains(secret.as_str()) {
                *line = line.replace(secret.as_str(), "***");
            }
        }
    }
}

impl<'a> Context<'a, '_> {
    /// Embedded packages, then the manifest's dependencies.
    fn roots(&mut self, unknown: &mut Vec<String>) {
        for (package, json) in self.input.packages.iter().zip(self.packages) {
            let Origin::Embedded { dir } = &package.origin else {
                continue;
            };
            match json {
                Ok(json) => {
                    self.fixed.entry(json.name.clone()).or_insert(Fixed {
                        version: format!("file:{dir}"),
                        source: Source::Embedded,
                        dependencies: Ok(json.dependencies.clone()),
                        hash: None,
                    });
                }
                Err(why) => unknown.push(format!(
                    "{}: {why}: the embedded package is not known",
                    package.path
                )),
            }
        }
        // Unity keeps the last of duplicate keys.
        let entries = last_of_each(
            self.manifest
                .dependencies()
                .iter()
                .filter_map(|dep| {
                    Some((dep.name.value.clone(), dep.version.as_ref()?.value.clone()))
                })
                .collect(),
        );
        for (name, value) in entries {
            if self
                .fixed
                .get(&name)
                .is_some_and(|f| f.source == Source::Embedded)
            {
                self.named.push((name, value));
                continue;
            }
            match version::classify(&value) {
                Ok(DependencySource::File) => {
                    let fixed = self.local(&name, &value);
                    self.fixed.insert(name.clone(), fixed);
                    self.named.push((name, value));
                }
                Ok(DependencySource::Git) => {
                    let record = self
                        .lock
                        .get(&name)
                        .filter(|r| r.version.as_deref() == Some(value.as_str()));
                    let fixed = Fixed {
                        dependencies: record.and_then(|r| r.dependencies.clone()).ok_or_else(
                            || "a Git package: its dependencies are known once Unity has fetched it (the lock file does not list them)".to_string(),
                        ),
                        hash: record.and_then(|r| r.hash.clone()),
                        version: value.clone(),
                        source: Source::Git,
                    };
                    self.fixed.insert(name.clone(), fixed);
                    self.named.push((name, value));
                }
                Ok(DependencySource::Registry(_)) => self.direct.push((name, value)),
                Err(_) => unknown.push(format!(
                    "{name}: `{value}` is not a dependency Unity can resolve: left out"
                )),
            }
        }
    }

    /// A `file:` dependency of the manifest.
    fn local(&self, name: &str, value: &str) -> Fixed {
        let normalized = version::file_backslashes(value).unwrap_or_else(|| value.to_string());
        let lower = normalized.to_ascii_lowercase();
        let tarball = lower.ends_with(".tgz") || lower.ends_with(".tar.gz");
        let source = if tarball {
            Source::LocalTarball
        } else {
            Source::Local
        };
        let on_disk = self
            .input
            .packages
            .iter()
            .zip(self.packages)
            .find(|(p, _)| match &p.origin {
                Origin::Local { dependency, .. } | Origin::LocalTarball { dependency, .. } => {
                    dependency == name
                }
                Origin::Embedded { .. } => false,
            });
        let from_lock = || {
            self.lock
                .get(name)
                .filter(|r| matches!(r.source.as_deref(), Some("local" | "local-tarball")))
                .and_then(|r| r.dependencies.clone())
        };
        let dependencies = match on_disk.map(|(p, json)| (&p.path, &p.text, json)) {
            Some((_, Ok(_), json)) => json
                .as_ref()
                .map(|j| j.dependencies.clone())
                .or_else(|why| from_lock().ok_or_else(|| why.clone())),
            Some((path, Err(missing), _)) => from_lock().ok_or_else(|| {
                format!(
                    "{path}: {}: its dependencies are unknown",
                    missing_words(missing)
                )
            }),
            None => from_lock().ok_or_else(|| {
                "its package.json was not read and the lock file does not list its dependencies"
                    .to_string()
            }),
        };
        Fixed {
            version: value.to_string(),
            source,
            dependencies,
            hash: None,
        }
    }

    /// Whether a requested package comes with the Editor.
    fn builtin(&self, name: &str) -> bool {
        if self
            .lock
            .get(name)
            .is_some_and(|r| r.source.as_deref() == Some("builtin"))
        {
            return true;
        }
        name.starts_with("com.unity.modules.")
            && self.resolver.resolve(name).winner.is_none_or(|w| {
                self.manifest.registries()[w.registry].override_built_ins != Some(true)
            })
    }

    /// The registry a package resolves to through the project's scopes.
    fn registry(&self, name: &str) -> &'a str {
        let manifest: &'a Manifest = self.manifest;
        match self.resolver.resolve(name).winner {
            Some(w) => match &manifest.registries()[w.registry].url {
                Some(url) => &url.value,
                None => manifest.default_registry_url(),
            },
            None => manifest.default_registry_url(),
        }
    }

    fn packument(&self, name: &str) -> Option<&super::PackumentStatus> {
        self.input
            .packuments?
            .registries
            .get(self.registry(name))?
            .get(name)
    }

    /// The dependencies of a requested package at `version`.
    fn dependencies(&self, name: &str, version: &str) -> Result<Vec<(String, String)>, String> {
        let lock = self.lock.get(name);
        if self.builtin(name) {
            return lock.and_then(|r| r.dependencies.clone()).ok_or_else(|| {
                "built into the Editor; its dependencies are not in the lock file".to_string()
            });
        }
        let from_lock = || {
            lock.filter(|r| r.version.as_deref() == Some(version))
                .and_then(|r| r.dependencies.clone())
        };
        match self.packument(name) {
            Some(super::PackumentStatus::Found(p)) => match p.versions.get(version) {
                Some(info) => Ok(info.dependencies.clone()),
                None => Err(format!(
                    "{} has no version {version}",
                    crate::url::redact(self.registry(name))
                )),
            },
            Some(super::PackumentStatus::NotFound) => Err(format!(
                "not found on {}",
                crate::url::redact(self.registry(name))
            )),
            Some(super::PackumentStatus::Unknown(why)) => {
                from_lock().ok_or_else(|| why.clone())
            }
            None => from_lock().ok_or_else(|| {
                if self.input.packuments.is_some() {
                    "its registry was not asked, and the lock file does not list this version"
                        .to_string()
                } else {
                    "its dependencies are not in the lock file at this version (`--online` asks the registry)".to_string()
                }
            }),
        }
    }

    /// The version Unity picks for a requested package, from its requests.
    fn pick(&self, name: &str, requests: &[Req]) -> Option<String> {
        if self.builtin(name)
            && let Some(v) = self
                .lock
                .get(name)
                .filter(|r| r.source.as_deref() == Some("builtin"))
                .and_then(|r| r.version.clone())
        {
            return Some(v);
        }
        let reqs: Vec<Request<'_>> = requests
            .iter()
            .map(|r| Request {
                version: &r.version,
                level: r.level,
            })
            .collect();
        let available: Option<Vec<&str>> = match self.packument(name) {
            Some(super::PackumentStatus::Found(p)) => {
                Some(p.versions.keys().map(String::as_str).collect())
            }
            _ => None,
        };
        let rule = if self.builtin(name) {
            Rule::Highest
        } else {
            self.rule
        };
        let chosen = select::select(&reqs, rule, self.strategy, available.as_deref())?;
        Some(self.locked(name, requests, chosen, available.as_deref()))
    }

    /// Unity re-uses the lock file's version of an indirect dependency as long as it satisfies
    /// the requests ("Lock files" in Unity's manual): a locked version at least the chosen one,
    /// from the registry the package resolves to now (and, online, that the registry still has).
    fn locked(
        &self,
        name: &str,
        requests: &[Req],
        chosen: String,
        available: Option<&[&str]>,
    ) -> String {
        // Before 2020.1 a version is exact (no range a newer locked version would satisfy).
        if self.rule == Rule::FewestLevels || requests.iter().any(|r| r.level == 0) {
            return chosen;
        }
        let Some(record) = self.lock.get(name) else {
            return chosen;
        };
        let (Some(locked), Some("registry")) = (&record.version, record.source.as_deref()) else {
            return chosen;
        };
        let same_registry = record
            .url
            .as_deref()
            .is_none_or(|u| crate::lock::same_registry(u, self.registry(name)));
        let still_there = available.is_none_or(|a| a.contains(&locked.as_str()));
        match (
            semver::Version::parse(locked),
            semver::Version::parse(&chosen),
        ) {
            (Ok(l), Ok(c)) if l >= c && same_registry && still_there => locked.clone(),
            _ => chosen,
        }
    }

    /// One breadth-first walk, with the versions of `prev` where it has them.
    fn walk(&self, prev: &HashMap<String, String>) -> Walk {
        let mut walk = Walk {
            used: HashMap::default(),
            requests: HashMap::default(),
            levels: HashMap::default(),
            order: Vec::new(),
            capped: false,
            picked: HashMap::default(),
            found: HashMap::default(),
        };
        let mut queue: VecDeque<(String, u32)> = VecDeque::new();
        for name in self.fixed.keys() {
            walk.levels.insert(name.clone(), 0);
            queue.push_back((name.clone(), 0));
        }
        for (name, version) in &self.named {
            walk.requests.entry(name.clone()).or_default().push(Req {
                version: version.clone(),
                level: 0,
                from: None,
            });
        }
        for (name, version) in &self.direct {
            walk.requests.entry(name.clone()).or_default().push(Req {
                version: version.clone(),
                level: 0,
                from: None,
            });
            if !walk.levels.contains_key(name) {
                walk.levels.insert(name.clone(), 0);
                queue.push_back((name.clone(), 0));
            }
        }
        while let Some((name, level)) = queue.pop_front() {
            walk.order.push(name.clone());
            let dependencies = match self.fixed.get(&name) {
                Some(fixed) => fixed.dependencies.clone().unwrap_or_default(),
                None => {
                    let requests = walk.requests.get(&name).map_or(&[][..], Vec::as_slice);
                    let version = match prev.get(&name) {
                        Some(v) => Some(v.clone()),
                        None => {
                            let picked = self.pick(&name, requests);
                            walk.picked
                                .insert(name.clone(), (requests.len(), picked.clone()));
                            picked
                        }
                    };
                    let Some(version) = version else {
                        continue;
                    };
                    let found = self.dependencies(&name, &version);
                    let deps = found.clone().unwrap_or_default();
                    walk.found.insert(name.clone(), found);
                    walk.used.insert(name.clone(), version);
                    deps
                }
            };
            for (dep, version) in dependencies {
                walk.requests.entry(dep.clone()).or_default().push(Req {
                    version,
                    level: level + 1,
                    from: Some(name.clone()),
                });
                if !walk.levels.contains_key(&dep) {
                    if walk.levels.len() >= MAX_PACKAGES {
                        walk.capped = true;
                        continue;
                    }
                    walk.levels.insert(dep.clone(), level + 1);
                    queue.push_back((dep, level + 1));
                }
            }
        }
        walk
    }

    /// The versions the walk's requests choose.
    fn choose(&self, walk: &Walk) -> HashMap<String, String> {
        walk.order
            .iter()
            .filter(|n| !self.fixed.contains_key(*n))
            .filter_map(|n| {
                let requests = walk.requests.get(n).map_or(&[][..], Vec::as_slice);
                let picked = match walk.picked.get(n) {
                    Some((count, picked)) if *count == requests.len() => picked.clone(),
                    _ => self.pick(n, requests),
                };
                Some((n.clone(), picked?))
            })
            .collect()
    }

    fn finish(&self, walk: &Walk, mut unknown: Vec<String>) -> ProjectGraph {
        // Depth: the fewest levels from the project, where a manifest entry whose version lost
        // to a package's higher request no longer counts (Unity then records the depth of the
        // package requests).
        let any_leads: HashMap<&str, bool> = walk
            .requests
            .iter()
            .map(|(name, requests)| {
                let any = walk.used.get(name).is_some_and(|chosen| {
                    requests
                        .iter()
                        .any(|r| leads_to(r.from.is_none(), &r.version, chosen))
                });
                (name.as_str(), any)
            })
            .collect();
        let counts = |name: &str, req: &Req| match walk.used.get(name) {
            Some(chosen) if !self.builtin(name) => {
                !any_leads[name] || leads_to(req.from.is_none(), &req.version, chosen)
            }
            _ => true,
        };
        let mut edges: HashMap<&str, Vec<&str>> = HashMap::default();
        let mut depth: HashMap<&str, u32> = HashMap::default();
        let mut queue: VecDeque<&str> = VecDeque::new();
        for name in self.fixed.keys() {
            depth.insert(name, 0);
            queue.push_back(name);
        }
        for (name, requests) in &walk.requests {
            for req in requests.iter().filter(|r| counts(name, r)) {
                match &req.from {
                    None => {
                        if !depth.contains_key(name.as_str()) {
                            depth.insert(name, 0);
                            queue.push_back(name);
                        }
                    }
                    Some(from) => edges.entry(from).or_default().push(name),
                }
            }
        }
        while let Some(name) = queue.pop_front() {
            let d = depth[name];
            for &to in edges.get(name).map_or(&[][..], Vec::as_slice) {
                if !depth.contains_key(to) {
                    depth.insert(to, d + 1);
                    queue.push_back(to);
                }
            }
        }

        let mut packages = Vec::new();
        let mut builtin_unknown = 0usize;
        for name in &walk.order {
            let requests = walk.requests.get(name).map_or(&[][..], Vec::as_slice);
            let mut requested_by: Vec<String> = requests
                .iter()
                .map(|r| r.from.clone().unwrap_or_else(|| "manifest".to_string()))
                .collect();
            requested_by.sort_by(|a, b| (a != "manifest", a).cmp(&(b != "manifest", b)));
            requested_by.dedup();
            let (version, source, registry, deps, hash) = match self.fixed.get(name) {
                Some(fixed) => (
                    fixed.version.clone(),
                    fixed.source,
                    None,
                    fixed.dependencies.clone(),
                    fixed.hash.clone(),
                ),
                None => {
                    let Some(version) = walk.used.get(name) else {
                        let asked: Vec<String> = requests
                            .iter()
                            .map(|r| {
                                format!(
                                    "{} asks for `{}`",
                                    r.from.as_deref().unwrap_or("the manifest"),
                                    r.version
                                )
                            })
                            .collect();
                        unknown.push(format!(
                            "{name}: no request is a version Unity can resolve ({}): left out",
                            asked.join(", ")
                        ));
                        continue;
                    };
                    let builtin = self.builtin(name);
                    let (source, registry) = if builtin {
                        (Source::Builtin, None)
                    } else {
                        (Source::Registry, Some(self.registry(name).to_string()))
                    };
                    let found = match walk.found.get(name) {
                        Some(found) => found.clone(),
                        None => self.dependencies(name, version),
                    };
                    (version.clone(), source, registry, found, None)
                }
            };
            let declared = match deps {
                Ok(deps) => deps,
                Err(why) => {
                    if source == Source::Builtin {
                        builtin_unknown += 1;
                    } else {
                        unknown.push(format!("{name}@{version}: {why}"));
                    }
                    Vec::new()
                }
            };
            let dependencies = declared.iter().cloned().collect();
            packages.push(Package {
                depth: depth
                    .get(name.as_str())
                    .copied()
                    .unwrap_or_else(|| walk.levels[name]),
                name: name.clone(),
                version,
                source,
                registry,
                dependencies,
                requested_by,
                hash,
                declared,
            });
        }
        if walk.capped {
            unknown.push(format!(
                "more than {MAX_PACKAGES} packages: the rest of the graph is left out"
            ));
        }
        if builtin_unknown > 0 {
            unknown.push(format!(
                "the dependencies of {builtin_unknown} built-in package{} (they come with the Editor; the lock file would list them)",
                if builtin_unknown == 1 { "" } else { "s" }
            ));
        }
        // Names are unique (the walk visits each once), so an unstable sort gives the same order
        // as a stable one, with fewer moves (it was a tenth of a 16,500-package graph).
        packages.sort_unstable_by(|a, b| a.name.cmp(&b.name));
        debug_assert!(packages.windows(2).all(|w| w[0].name != w[1].name));
        ProjectGraph { packages, unknown }
    }
}

/// Whether a request counts for the depth of the chosen version, as Unity's lock files show it:
/// every package's request does (the fewest levels from the project win), the manifest's own
/// only when it names that very version: a direct dependency that a package's higher request
/// overrode is recorded at the depth of the packages that request it.
fn leads_to(manifest: bool, requested: &str, chosen: &str) -> bool {
    !manifest || requested == chosen
}

pub(crate) fn missing_words(missing: &Missing) -> String {
    match missing {
        Missing::NotFound => "not found".to_string(),
        Missing::NoPackageJson => "no package.json".to_string(),
        Missing::Unreadable(why) => format!("unreadable ({why})"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{PackageInput, Packument, PackumentStatus, Packuments, VersionInfo};
    use super::*;

    fn names(graph: &ProjectGraph) -> Vec<(&str, &str, Source, u32)> {
        graph
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.source, p.depth))
            .collect()
    }

    #[test]
    fn one_pass_over_the_lock_reads_what_the_tree_reads() {
        let mut fast = 0;
        for base in crate::lock::tests::TRICKY_LOCKS.iter().chain([&LOCK]) {
            for text in std::iter::once(base.to_string())
                .chain(crate::project::strict::mutations(base, 3000))
            {
                if let Some(entries) = crate::lock::read_entries(&text) {
                    fast += 1;
                    assert_eq!(records_of(&entries), read_lock_slowly(&text), "{text}");
                }
            }
        }
        assert!(fast > 1000, "{fast}");
    }

    #[test]
    fn sources_of_the_manifests_dependencies() {
        let manifest = r#"{
          "scopedRegistries": [{"name": "A", "url": "https://a.example.com", "scopes": ["com.acme"]}],
          "dependencies": {
            "com.acme.game": "1.0.0",
            "com.unity.modules.audio": "1.0.0",
            "com.acme.local": "file:..\\shared\\local",
            "com.acme.tgz": "file:pkgs/tool-1.0.0.tgz",
            "com.acme.git": "https://github.com/acme/git.git#v1",
            "com.acme.embedded": "2.0.0",
            "com.acme.bad": "^1.0.0"
          }
        }"#;
        let packages = vec![
            PackageInput {
                origin: Origin::Embedded {
                    dir: "Embedded".into(),
                },
                path: "Packages/Embedded/package.json".into(),
                text: Ok(
                    r#"{"name": "com.acme.embedded", "version": "3.0.0", "dependencies": {"com.acme.lib": "1.2.0"}}"#,
                ),
            },
            PackageInput {
                origin: Origin::Local {
                    dependency: "com.acme.local".into(),
                    spec: "file:..\\shared\\local".into(),
                },
                path: "../shared/local/package.json".into(),
                text: Ok(
                    r#"{"name": "com.acme.local", "version": "1.0.0", "dependencies": {"com.partner.sdk": "2.0.0"}}"#,
                ),
            },
            PackageInput {
                origin: Origin::LocalTarball {
                    dependency: "com.acme.tgz".into(),
                    spec: "file:pkgs/tool-1.0.0.tgz".into(),
                },
                path: "Packages/pkgs/tool-1.0.0.tgz".into(),
                text: Err(Missing::NotFound),
            },
        ];
        let input = ProjectInput {
            manifest,
            packages,
            ..Default::default()
        };
        let graph = resolve(&input);
        assert_eq!(
            names(&graph),
            vec![
                ("com.acme.embedded", "file:Embedded", Source::Embedded, 0),
                ("com.acme.game", "1.0.0", Source::Registry, 0),
                (
                    "com.acme.git",
                    "https://github.com/acme/git.git#v1",
                    Source::Git,
                    0
                ),
                ("com.acme.lib", "1.2.0", Source::Registry, 1),
                ("com.acme.local", "file:..\\shared\\local", Source::Local, 0),
                (
                    "com.acme.tgz",
                    "file:pkgs/tool-1.0.0.tgz",
                    Source::LocalTarball,
                    0
                ),
                ("com.partner.sdk", "2.0.0", Source::Registry, 1),
                ("com.unity.modules.audio", "1.0.0", Source::Builtin, 0),
            ]
        );
        let sdk = graph.package("com.partner.sdk").unwrap();
        // Routed through the project's scopes: no scope covers it, so Unity's registry.
        assert_eq!(sdk.registry.as_deref(), Some("https://packages.unity.com"));
        assert_eq!(sdk.requested_by, vec!["com.acme.local"]);
        let game = graph.package("com.acme.game").unwrap();
        assert_eq!(game.registry.as_deref(), Some("https://a.example.com"));
        for name in ["com.acme.embedded", "com.acme.local", "com.acme.git"] {
            let p = graph.package(name).unwrap();
            assert_eq!(p.requested_by, vec!["manifest"], "{name}");
        }
        assert_eq!(game.requested_by, vec!["manifest"]);
        assert_eq!(
            graph.package("com.unity.modules.audio").unwrap().registry,
            None
        );
        let said = graph.unknown.join("\n");
        assert!(said.contains("com.acme.bad: `^1.0.0`"), "{said}");
        assert!(
            said.contains("com.acme.game@1.0.0: its dependencies are not in the lock file"),
            "{said}"
        );
        assert!(
            said.contains("Packages/pkgs/tool-1.0.0.tgz: not found"),
            "{said}"
        );
        assert!(said.contains("com.acme.git@"), "{said}");
    }

    const LOCK: &str = r#"{"dependencies": {
      "com.a": {"version": "1.0.0", "depth": 0, "source": "registry", "dependencies": {"com.c": "1.0.0"}, "url": "https://packages.unity.com"},
      "com.b": {"version": "1.0.0", "depth": 0, "source": "registry", "dependencies": {"com.d": "1.0.0"}, "url": "https://packages.unity.com"},
      "com.d": {"version": "1.0.0", "depth": 1, "source": "registry", "dependencies": {"com.c": "2.0.0"}, "url": "https://packages.unity.com"},
      "com.c": {"version": "2.0.0", "depth": 2, "source": "registry", "dependencies": {}, "url": "https://packages.unity.com"},
      "com.unity.ugui": {"version": "2.0.0", "depth": 1, "source": "builtin", "dependencies": {"com.unity.modules.ui": "1.0.0"}}
    }}"#;

    #[test]
    fn the_lock_file_gives_the_dependencies_offline_and_the_editor_picks_the_rule() {
        let manifest = r#"{"dependencies": {"com.a": "1.0.0", "com.b": "1.0.0"}}"#;
        let input = ProjectInput {
            manifest,
            lock: Some(LOCK),
            ..Default::default()
        };
        let graph = resolve(&input);
        // 2020+ (no ProjectVersion.txt): the highest request wins; the depth is the fewest
        // levels of the packages' requests.
        let c = graph.package("com.c").unwrap();
        assert_eq!((c.version.as_str(), c.depth), ("2.0.0", 1));
        assert_eq!(c.requested_by, vec!["com.a", "com.d"]);
        assert!(graph.unknown.is_empty(), "{:?}", graph.unknown);
        // 2019: the fewest levels win, and com.c@1.0.0's dependencies are not in the lock.
        let input = ProjectInput {
            project_version: Some("m_EditorVersion: 2019.4.40f1\n"),
            ..input
        };
        let graph = resolve(&input);
        let c = graph.package("com.c").unwrap();
        assert_eq!((c.version.as_str(), c.depth), ("1.0.0", 1));
        assert_eq!(graph.unknown.len(), 1, "{:?}", graph.unknown);
    }

    #[test]
    fn locked_versions_are_reused_and_overridden_manifest_entries_lose_depth_0() {
        let lock = r#"{"dependencies": {
          "com.a": {"version": "1.0.0", "depth": 0, "source": "registry", "dependencies": {"com.x": "1.2.0", "com.y": "1.0.0"}, "url": "https://packages.unity.com"},
          "com.x": {"version": "1.2.0", "depth": 1, "source": "registry", "dependencies": {}, "url": "https://packages.unity.com"},
          "com.y": {"version": "1.0.4", "depth": 1, "source": "registry", "dependencies": {}, "url": "https://packages.unity.com"}
        }}"#;
        let manifest = r#"{"dependencies": {"com.a": "1.0.0", "com.x": "1.1.0"}}"#;
        let graph = resolve(&ProjectInput {
            manifest,
            lock: Some(lock),
            ..Default::default()
        });
        // com.x: the manifest asks 1.1.0, com.a 1.2.0; 1.2.0 wins and its depth is com.a's + 1.
        let x = graph.package("com.x").unwrap();
        assert_eq!((x.version.as_str(), x.depth), ("1.2.0", 1));
        assert_eq!(x.requested_by, vec!["manifest", "com.a"]);
        // com.y: requested 1.0.0, locked at 1.0.4: Unity keeps the locked version.
        let y = graph.package("com.y").unwrap();
        assert_eq!(y.version, "1.0.4");
        // Not when the lock came from another registry than the one the scopes pick now.
        let moved = lock.replace(
            r#""version": "1.0.4", "depth": 1, "source": "registry", "dependencies": {}, "url": "https://packages.unity.com""#,
            r#""version": "1.0.4", "depth": 1, "source": "registry", "dependencies": {}, "url": "https://old.example.com""#,
        );
        let graph = resolve(&ProjectInput {
            manifest,
            lock: Some(&moved),
            ..Default::default()
        });
        assert_eq!(graph.package("com.y").unwrap().version, "1.0.0");
    }

    #[test]
    fn lock_builtins_keep_the_editors_version() {
        let manifest = r#"{"dependencies": {"com.unity.ugui": "1.0.0"}}"#;
        let graph = resolve(&ProjectInput {
            manifest,
            lock: Some(LOCK),
            ..Default::default()
        });
        let ugui = graph.package("com.unity.ugui").unwrap();
        assert_eq!(
            (ugui.version.as_str(), ugui.source, ugui.depth),
            ("2.0.0", Source::Builtin, 0)
        );
        let ui = graph.package("com.unity.modules.ui").unwrap();
        assert_eq!((ui.source, ui.depth), (Source::Builtin, 1));
    }

    #[test]
    fn packuments_online_and_the_strategy() {
        let manifest = r#"{"resolutionStrategy": "highestMinor",
          "scopedRegistries": [{"name": "A", "url": "https://a.example.com", "scopes": ["com.acme"]}],
          "dependencies": {"com.acme.game": "1.0.0"}}"#;
        let info = |deps: &[(&str, &str)]| VersionInfo {
            dependencies: deps
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
            ..Default::default()
        };
        let mut a = BTreeMap::new();
        a.insert(
            "com.acme.game".to_string(),
            PackumentStatus::Found(Packument {
                versions: [
                    ("1.0.0".to_string(), info(&[("com.acme.lib", "1.1.0")])),
                    ("1.5.0".to_string(), info(&[])),
                ]
                .into(),
                latest: Some("1.5.0".into()),
            }),
        );
        a.insert(
            "com.acme.lib".to_string(),
            PackumentStatus::Found(Packument {
                versions: [
                    ("1.1.0".to_string(), info(&[])),
                    ("1.4.0".to_string(), info(&[("com.partner.sdk", "2.0.0")])),
                    ("2.0.0".to_string(), info(&[])),
                ]
                .into(),
                latest: Some("2.0.0".into()),
            }),
        );
        let mut unity = BTreeMap::new();
        unity.insert("com.partner.sdk".to_string(), PackumentStatus::NotFound);
        let packuments = Packuments {
            registries: [
                ("https://a.example.com".to_string(), a),
                ("https://packages.unity.com".to_string(), unity),
            ]
            .into(),
        };
        let graph = resolve(&ProjectInput {
            manifest,
            packuments: Some(&packuments),
            ..Default::default()
        });
        assert_eq!(
            names(&graph),
            vec![
                // The manifest's own version is not upgraded by the strategy ...
                ("com.acme.game", "1.0.0", Source::Registry, 0),
                // ... an indirect one is, within its major.
                ("com.acme.lib", "1.4.0", Source::Registry, 1),
                ("com.partner.sdk", "2.0.0", Source::Registry, 2),
            ]
        );
        assert_eq!(
            graph.unknown,
            vec!["com.partner.sdk@2.0.0: not found on https://packages.unity.com".to_string()]
        );
    }

    #[test]
    fn large_inputs_stay_linear() {
        // 20,000 manifest entries (each twice: the last wins) and 20,000 lock entries that all
        // request one package: nothing here may be quadratic.
        let n = 20_000;
        let mut manifest = String::from("{\"dependencies\": {");
        let mut lock = String::from("{\"dependencies\": {");
        for i in 0..n {
            manifest.push_str(&format!(
                "\"com.x.p{i}\": \"0.0.1\", \"com.x.p{i}\": \"1.0.0\", "
            ));
            lock.push_str(&format!(
                "\"com.x.p{i}\": {{\"version\": \"1.0.0\", \"depth\": 0, \"source\": \"registry\", \"dependencies\": {{\"com.x.hub\": \"1.{i}.0\"}}}}, "
            ));
        }
        manifest.push_str("\"com.x.last\": \"1.0.0\"}}");
        lock.push_str("\"com.x.hub\": {\"version\": \"1.19999.0\", \"depth\": 1, \"source\": \"registry\", \"dependencies\": {}}}}");
        let graph = resolve(&ProjectInput {
            manifest: &manifest,
            lock: Some(&lock),
            ..Default::default()
        });
        assert_eq!(graph.packages.len(), n + 2);
        let hub = graph.package("com.x.hub").unwrap();
        assert_eq!((hub.version.as_str(), hub.depth), ("1.19999.0", 1));
        assert_eq!(hub.requested_by.len(), n);
        assert_eq!(graph.package("com.x.p7").unwrap().version, "1.0.0");
    }

    #[test]
    fn cycles_and_bad_input_end() {
        let lock = r#"{"dependencies": {
          "com.a": {"version": "1.0.0", "depth": 0, "source": "registry", "dependencies": {"com.b": "1.0.0"}},
          "com.b": {"version": "1.0.0", "depth": 1, "source": "registry", "dependencies": {"com.a": "1.0.0"}}}}"#;
        let graph = resolve(&ProjectInput {
            manifest: r#"{"dependencies": {"com.a": "1.0.0"}}"#,
            lock: Some(lock),
            ..Default::default()
        });
        assert_eq!(
            names(&graph),
            vec![
                ("com.a", "1.0.0", Source::Registry, 0),
                ("com.b", "1.0.0", Source::Registry, 1)
            ]
        );
        let graph = resolve(&ProjectInput {
            manifest: "{",
            ..Default::default()
        });
        assert!(graph.packages.is_empty());
        assert_eq!(graph.unknown.len(), 1);
        let graph = resolve(&ProjectInput {
            manifest: r#"{"dependencies": {"com.a": "1.0.0"}}"#,
            lock: Some("not json"),
            ..Default::default()
        });
        assert_eq!(graph.packages.len(), 1);
    }
}
