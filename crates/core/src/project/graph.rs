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

use std::borrow::Cow;
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
    // A few pairs (a package's dependencies), usually without duplicates: compared with each
    // other, no table.
    if pairs.len() <= 16
        && !pairs
            .iter()
            .enumerate()
            .any(|(i, (name, _))| pairs[i + 1..].iter().any(|(other, _)| other == name))
    {
        return pairs;
    }
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

/// Why the dependencies of a package are not known, in words (borrowed where the words are the
/// input's or fixed: no formatting per package).
type Why<'a> = Cow<'a, str>;

/// A package's dependencies as its source lists them (borrowed from the prepared files, the
/// packuments or the lock), or why they are not known.
type Deps<'a> = Result<&'a [(String, String)], Why<'a>>;

/// A package whose version does not come from version requests: embedded, local, Git.
#[derive(Debug, Clone)]
struct Fixed<'a> {
    version: Cow<'a, str>,
    source: Source,
    /// `Err(why)` when they cannot be known.
    dependencies: Deps<'a>,
    hash: Option<&'a str>,
}

/// A package name's number in [`Names`].
type Id = u32;

/// Not visited (a level or depth).
const UNSEEN: u32 = u32::MAX;

/// Every package name the graph meets, each once, as a number: the walks index vectors by it
/// instead of hashing names. With each name, what depends on the name alone, found once.
struct Names<'a> {
    ids: HashMap<&'a str, Id>,
    names: Vec<&'a str>,
    facts: Vec<Facts<'a>>,
}

#[derive(Debug, Clone, Copy)]
struct Facts<'a> {
    /// Its lock file record.
    lock: Option<&'a LockRecord>,
    /// Whether it comes with the Editor.
    builtin: bool,
    /// The registry it resolves to through the project's scopes.
    registry: &'a str,
    /// Its index in [`Context::fixed`], when embedded, local or from Git.
    fixed: Option<usize>,
}

/// One request in a walk: the version, the level, and who asks (`None`: the manifest).
#[derive(Debug, Clone, Copy)]
struct Req<'a> {
    version: &'a str,
    level: u32,
    from: Option<Id>,
}

/// What one walk found, by [`Id`]; names met after the vectors were sized are past their ends
/// until [`Walk::grow`].
struct Walk<'a> {
    /// The version each requested (non-fixed) package was walked with.
    used: Vec<Option<String>>,
    requests: Vec<Vec<Req<'a>>>,
    /// Breadth-first level of the first visit ([`UNSEEN`] when not visited).
    levels: Vec<u32>,
    /// How many packages have a level.
    seen: usize,
    /// Visit order.
    order: Vec<Id>,
    /// Whether [`MAX_PACKAGES`] left packages out.
    capped: bool,
    /// The version [`Context::pick`] chose when the walk reached a package, and how many
    /// requests it had then: [`Context::choose`] picks again only when more came later.
    picked: Vec<Option<(usize, Option<String>)>>,
    /// The dependencies of each requested package at its walked version
    /// ([`Context::dependencies`]), for [`Context::finish`].
    found: Vec<Option<Deps<'a>>>,
}

impl Walk<'_> {
    fn new(n: usize) -> Self {
        let mut walk = Walk {
            used: Vec::new(),
            requests: Vec::new(),
            levels: Vec::new(),
            seen: 0,
            order: Vec::new(),
            capped: false,
            picked: Vec::new(),
            found: Vec::new(),
        };
        walk.grow(n);
        walk
    }

    fn grow(&mut self, n: usize) {
        if self.levels.len() < n {
            self.used.resize(n, None);
            self.requests.resize_with(n, Vec::new);
            self.levels.resize(n, UNSEEN);
            self.picked.resize(n, None);
            self.found.resize(n, None);
        }
    }
}

/// Whether two walks' versions are the same (ids past either's end have none).
fn same_versions(a: &[Option<String>], b: &[Option<String>]) -> bool {
    let n = a.len().max(b.len());
    (0..n).all(|i| a.get(i).and_then(Option::as_ref) == b.get(i).and_then(Option::as_ref))
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
    /// The packages on disk and from Git, by name.
    fixed: Vec<(&'a str, Fixed<'a>)>,
    /// The manifest's registry requests, in manifest order (last of duplicate keys).
    direct: Vec<(&'a str, &'a str)>,
    /// The manifest's entries for packages that are embedded, local or from Git: requests that
    /// choose nothing, kept for `requested_by`.
    named: Vec<(&'a str, &'a str)>,
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
    resolve_indexed(input, manifest, resolver, prepared).0
}

/// [`resolve_parsed`], with, per package of the graph (same order), the indices in
/// `graph.packages` of the packages that request it (the `manifest` left out): the links
/// [`super::check`] follows, without looking names up again.
pub(crate) fn resolve_indexed(
    input: &ProjectInput<'_>,
    manifest: &Manifest,
    resolver: &Resolver,
    prepared: &super::Prepared,
) -> (ProjectGraph, Vec<Vec<u32>>) {
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
        fixed: Vec::new(),
        direct: Vec::new(),
        named: Vec::new(),
    };
    cx.roots(&mut unknown);
    let mut names = Names {
        ids: HashMap::default(),
        names: Vec::new(),
        facts: Vec::new(),
    };
    for i in 0..cx.fixed.len() {
        let id = cx.id(&mut names, cx.fixed[i].0);
        names.facts[id as usize].fixed = Some(i);
    }

    let mut walk = cx.walk(&mut names, &[]);
    let mut settled = false;
    for _ in 0..MAX_WALKS {
        let next = cx.choose(&names, &walk);
        if same_versions(&next, &walk.used) {
            settled = true;
            break;
        }
        walk = cx.walk(&mut names, &next);
    }
    if !settled {
        unknown.push(format!(
            "the chosen versions did not settle after {MAX_WALKS} walks of the graph: versions may differ from Unity's"
        ));
    }
    let (mut graph, links) = cx.finish(&names, &walk, unknown);
    scrub(&mut graph.unknown, cx.manifest);
    (graph, links)
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
    if secrets.is_empty() {
        return;
    }
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    for line in lines {
        for secret in &secrets {
            if line.contains(secret.as_str()) {
                *line = line.replace(secret.as_str(), "***");
            }
        }
    }
}

/// `ids` in the byte order of their `names`. Names are unique (the walk visits each once), so
/// an unstable sort gives the same order as a stable one. Each name's first 16 bytes, as one
/// big-endian number, are compared first: package names share long prefixes
/// (`com.company.`), and comparing them byte by byte was most of a large project's graph.
fn sort_by_name(ids: &mut Vec<Id>, names: &[&str]) {
    let prefix = |name: &str| {
        let mut bytes = [0u8; 16];
        let n = name.len().min(16);
        bytes[..n].copy_from_slice(&name.as_bytes()[..n]);
        u128::from_be_bytes(bytes)
    };
    let mut keyed: Vec<(u128, Id)> = ids
        .iter()
        .map(|&id| (prefix(names[id as usize]), id))
        .collect();
    // Zero bytes pad a short name, so equal numbers are either a tie to break on the whole
    // names or a name padded with what another spells as zero bytes: both compare whole.
    keyed.sort_unstable_by(|(pa, a), (pb, b)| {
        pa.cmp(pb)
            .then_with(|| names[*a as usize].cmp(names[*b as usize]))
    });
    ids.clear();
    ids.extend(keyed.into_iter().map(|(_, id)| id));
}

/// `pairs` with only the last of each name, where that last one stands (linear).
fn last_of_each_pair<'s>(pairs: Vec<(&'s str, &'s str)>) -> Vec<(&'s str, &'s str)> {
    let mut last: HashMap<&str, usize> =
        HashMap::with_capacity_and_hasher(pairs.len(), Default::default());
    for (i, (name, _)) in pairs.iter().enumerate() {
        last.insert(name, i);
    }
    pairs
        .iter()
        .enumerate()
        .filter(|(i, (name, _))| last[name] == *i)
        .map(|(_, pair)| *pair)
        .collect()
}

impl<'a> Context<'a, '_> {
    /// Embedded packages, then the manifest's dependencies.
    fn roots(&mut self, unknown: &mut Vec<String>) {
        let mut fixed: BTreeMap<&'a str, Fixed<'a>> = BTreeMap::new();
        let input: &'a ProjectInput<'_> = self.input;
        for (package, json) in input.packages.iter().zip(self.packages) {
            let Origin::Embedded { dir } = &package.origin else {
                continue;
            };
            match json {
                Ok(json) => {
                    fixed.entry(json.name.as_str()).or_insert(Fixed {
                        version: Cow::Owned(format!("file:{dir}")),
                        source: Source::Embedded,
                        dependencies: Ok(&json.dependencies),
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
        let manifest: &'a Manifest = self.manifest;
        let entries = last_of_each_pair(
            manifest
                .dependencies()
                .iter()
                .filter_map(|dep| {
                    Some((
                        dep.name.value.as_str(),
                        dep.version.as_ref()?.value.as_str(),
                    ))
                })
                .collect(),
        );
        for (name, value) in entries {
            if fixed
                .get(name)
                .is_some_and(|f| f.source == Source::Embedded)
            {
                self.named.push((name, value));
                continue;
            }
            match version::classify(value) {
                Ok(DependencySource::File) => {
                    let local = self.local(name, value);
                    fixed.insert(name, local);
                    self.named.push((name, value));
                }
                Ok(DependencySource::Git) => {
                    let lock: &'a HashMap<String, LockRecord> = self.lock;
                    let record = lock
                        .get(name)
                        .filter(|r| r.version.as_deref() == Some(value));
                    let git = Fixed {
                        dependencies: record.and_then(|r| r.dependencies.as_deref()).ok_or(
                            Cow::Borrowed("a Git package: its dependencies are known once Unity has fetched it (the lock file does not list them)"),
                        ),
                        hash: record.and_then(|r| r.hash.as_deref()),
                        version: Cow::Borrowed(value),
                        source: Source::Git,
                    };
                    fixed.insert(name, git);
                    self.named.push((name, value));
                }
                Ok(DependencySource::Registry(_)) => self.direct.push((name, value)),
                Err(_) => unknown.push(format!(
                    "{name}: `{value}` is not a dependency Unity can resolve: left out"
                )),
            }
        }
        self.fixed = fixed.into_iter().collect();
    }

    /// A `file:` dependency of the manifest.
    fn local(&self, name: &str, value: &'a str) -> Fixed<'a> {
        let normalized = version::file_backslashes(value).unwrap_or_else(|| value.to_string());
        let lower = normalized.to_ascii_lowercase();
        let tarball = lower.ends_with(".tgz") || lower.ends_with(".tar.gz");
        let source = if tarball {
            Source::LocalTarball
        } else {
            Source::Local
        };
        let input: &'a ProjectInput<'_> = self.input;
        let packages: &'a [Result<PackageJson, String>] = self.packages;
        let on_disk = input
            .packages
            .iter()
            .zip(packages)
            .find(|(p, _)| match &p.origin {
                Origin::Local { dependency, .. } | Origin::LocalTarball { dependency, .. } => {
                    dependency == name
                }
                Origin::Embedded { .. } => false,
            });
        let lock: &'a HashMap<String, LockRecord> = self.lock;
        let from_lock = || {
            lock.get(name)
                .filter(|r| matches!(r.source.as_deref(), Some("local" | "local-tarball")))
                .and_then(|r| r.dependencies.as_deref())
        };
        let dependencies: Deps<'a> = match on_disk.map(|(p, json)| (&p.path, &p.text, json)) {
            Some((_, Ok(_), json)) => match json {
                Ok(j) => Ok(&j.dependencies),
                Err(why) => from_lock().ok_or(Cow::Borrowed(why.as_str())),
            },
            Some((path, Err(missing), _)) => from_lock().ok_or_else(|| {
                Cow::Owned(format!(
                    "{path}: {}: its dependencies are unknown",
                    missing_words(missing)
                ))
            }),
            None => from_lock().ok_or(Cow::Borrowed(
                "its package.json was not read and the lock file does not list its dependencies",
            )),
        };
        Fixed {
            version: Cow::Borrowed(value),
            source,
            dependencies,
            hash: None,
        }
    }

    /// The number of `name`, met now or before (with its facts found the first time).
    fn id(&self, names: &mut Names<'a>, name: &'a str) -> Id {
        if let Some(&id) = names.ids.get(name) {
            return id;
        }
        let id = names.names.len() as Id;
        names.ids.insert(name, id);
        names.names.push(name);
        let lock: &'a HashMap<String, LockRecord> = self.lock;
        let manifest: &'a Manifest = self.manifest;
        let record = lock.get(name);
        let winner = self.resolver.winner(name);
        // It comes with the Editor when the lock says so, or when it is a module that no
        // matching registry overrides.
        let builtin = record.is_some_and(|r| r.source.as_deref() == Some("builtin"))
            || (name.starts_with("com.unity.modules.")
                && winner.is_none_or(|w| {
                    manifest.registries()[w.registry].override_built_ins != Some(true)
                }));
        // The registry it resolves to through the project's scopes.
        let registry = match winner {
            Some(w) => match &manifest.registries()[w.registry].url {
                Some(url) => &url.value,
                None => manifest.default_registry_url(),
            },
            None => manifest.default_registry_url(),
        };
        names.facts.push(Facts {
            lock: record,
            builtin,
            registry,
            fixed: None,
        });
        id
    }

    fn packument(&self, names: &Names<'a>, id: Id) -> Option<&'a super::PackumentStatus> {
        let input: &'a ProjectInput<'_> = self.input;
        input
            .packuments?
            .registries
            .get(names.facts[id as usize].registry)?
            .get(names.names[id as usize])
    }

    /// The dependencies of a requested package at `version`.
    fn dependencies(&self, names: &Names<'a>, id: Id, version: &str) -> Deps<'a> {
        let facts = names.facts[id as usize];
        let lock = facts.lock;
        if facts.builtin {
            return lock
                .and_then(|r| r.dependencies.as_deref())
                .ok_or(Cow::Borrowed(
                    "built into the Editor; its dependencies are not in the lock file",
                ));
        }
        let from_lock = || {
            lock.filter(|r| r.version.as_deref() == Some(version))
                .and_then(|r| r.dependencies.as_deref())
        };
        match self.packument(names, id) {
            Some(super::PackumentStatus::Found(p)) => match p.versions.get(version) {
                Some(info) => Ok(&info.dependencies),
                None => Err(Cow::Owned(format!(
                    "{} has no version {version}",
                    crate::url::redact(facts.registry)
                ))),
            },
            Some(super::PackumentStatus::NotFound) => Err(Cow::Owned(format!(
                "not found on {}",
                crate::url::redact(facts.registry)
            ))),
            Some(super::PackumentStatus::Unknown(why)) => {
                from_lock().ok_or(Cow::Borrowed(why.as_str()))
            }
            None => from_lock().ok_or_else(|| {
                Cow::Borrowed(if self.input.packuments.is_some() {
                    "its registry was not asked, and the lock file does not list this version"
                } else {
                    "its dependencies are not in the lock file at this version (`--online` asks the registry)"
                })
            }),
        }
    }

    /// The version Unity picks for a requested package, from its requests.
    fn pick(&self, names: &Names<'a>, id: Id, requests: &[Req<'_>]) -> Option<String> {
        let facts = names.facts[id as usize];
        if facts.builtin
            && let Some(v) = facts
                .lock
                .filter(|r| r.source.as_deref() == Some("builtin"))
                .and_then(|r| r.version.clone())
        {
            return Some(v);
        }
        let reqs: Vec<Request<'_>> = requests
            .iter()
            .map(|r| Request {
                version: r.version,
                level: r.level,
            })
            .collect();
        let available: Option<Vec<&str>> = match self.packument(names, id) {
            Some(super::PackumentStatus::Found(p)) => {
                Some(p.versions.keys().map(String::as_str).collect())
            }
            _ => None,
        };
        let rule = if facts.builtin {
            Rule::Highest
        } else {
            self.rule
        };
        let chosen = select::select(&reqs, rule, self.strategy, available.as_deref())?;
        Some(self.locked(facts, requests, chosen, available.as_deref()))
    }

    /// Unity re-uses the lock file's version of an indirect dependency as long as it satisfies
    /// the requests ("Lock files" in Unity's manual): a locked version at least the chosen one,
    /// from the registry the package resolves to now (and, online, that the registry still has).
    fn locked(
        &self,
        facts: Facts<'a>,
        requests: &[Req<'_>],
        chosen: String,
        available: Option<&[&str]>,
    ) -> String {
        // Before 2020.1 a version is exact (no range a newer locked version would satisfy).
        if self.rule == Rule::FewestLevels || requests.iter().any(|r| r.level == 0) {
            return chosen;
        }
        let Some(record) = facts.lock else {
            return chosen;
        };
        let (Some(locked), Some("registry")) = (&record.version, record.source.as_deref()) else {
            return chosen;
        };
        let same_registry = record
            .url
            .as_deref()
            .is_none_or(|u| crate::lock::same_registry(u, facts.registry));
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
    fn walk(&self, names: &mut Names<'a>, prev: &[Option<String>]) -> Walk<'a> {
        let mut walk = Walk::new(names.names.len());
        let mut queue: VecDeque<(Id, u32)> = VecDeque::new();
        for (name, _) in &self.fixed {
            let id = names.ids[name];
            walk.levels[id as usize] = 0;
            walk.seen += 1;
            queue.push_back((id, 0));
        }
        for &(name, version) in &self.named {
            let id = self.id(names, name);
            walk.grow(names.names.len());
            walk.requests[id as usize].push(Req {
                version,
                level: 0,
                from: None,
            });
        }
        for &(name, version) in &self.direct {
            let id = self.id(names, name);
            walk.grow(names.names.len());
            walk.requests[id as usize].push(Req {
                version,
                level: 0,
                from: None,
            });
            if walk.levels[id as usize] == UNSEEN {
                walk.levels[id as usize] = 0;
                walk.seen += 1;
                queue.push_back((id, 0));
            }
        }
        while let Some((id, level)) = queue.pop_front() {
            walk.order.push(id);
            let i = id as usize;
            let dependencies: &'a [(String, String)] = match names.facts[i].fixed {
                Some(f) => self.fixed[f]
                    .1
                    .dependencies
                    .as_ref()
                    .map_or(&[][..], |d| *d),
                None => {
                    let version = match prev.get(i).and_then(Option::as_ref) {
                        Some(v) => Some(v.clone()),
                        None => {
                            let requests = &walk.requests[i];
                            let picked = self.pick(names, id, requests);
                            walk.picked[i] = Some((requests.len(), picked.clone()));
                            picked
                        }
                    };
                    let Some(version) = version else {
                        continue;
                    };
                    let found = self.dependencies(names, id, &version);
                    let deps = found.as_ref().map_or(&[][..], |d| *d);
                    walk.found[i] = Some(found);
                    walk.used[i] = Some(version);
                    deps
                }
            };
            for (dep, version) in dependencies {
                let d = self.id(names, dep);
                walk.grow(names.names.len());
                let d = d as usize;
                walk.requests[d].push(Req {
                    version,
                    level: level + 1,
                    from: Some(id),
                });
                if walk.levels[d] == UNSEEN {
                    if walk.seen >= MAX_PACKAGES {
                        walk.capped = true;
                        continue;
                    }
                    walk.levels[d] = level + 1;
                    walk.seen += 1;
                    queue.push_back((d as Id, level + 1));
                }
            }
        }
        walk.grow(names.names.len());
        walk
    }

    /// The versions the walk's requests choose.
    fn choose(&self, names: &Names<'a>, walk: &Walk<'a>) -> Vec<Option<String>> {
        let mut next = vec![None; names.names.len()];
        for &id in &walk.order {
            let i = id as usize;
            if names.facts[i].fixed.is_some() {
                continue;
            }
            let requests = &walk.requests[i];
            next[i] = match &walk.picked[i] {
                Some((count, picked)) if *count == requests.len() => picked.clone(),
                _ => self.pick(names, id, requests),
            };
        }
        next
    }

    fn finish(
        &self,
        names: &Names<'a>,
        walk: &Walk<'a>,
        mut unknown: Vec<String>,
    ) -> (ProjectGraph, Vec<Vec<u32>>) {
        let n = names.names.len();
        // Depth: the fewest levels from the project, where a manifest entry whose version lost
        // to a package's higher request no longer counts (Unity then records the depth of the
        // package requests).
        let any_leads: Vec<bool> = (0..n)
            .map(|i| {
                walk.used[i].as_deref().is_some_and(|chosen| {
                    walk.requests[i]
                        .iter()
                        .any(|r| leads_to(r.from.is_none(), r.version, chosen))
                })
            })
            .collect();
        let counts = |i: usize, req: &Req<'_>| match walk.used[i].as_deref() {
            Some(chosen) if !names.facts[i].builtin => {
                !any_leads[i] || leads_to(req.from.is_none(), req.version, chosen)
            }
            _ => true,
        };
        let mut edges: Vec<Vec<Id>> = vec![Vec::new(); n];
        let mut depth: Vec<u32> = vec![UNSEEN; n];
        let mut queue: VecDeque<Id> = VecDeque::new();
        for (name, _) in &self.fixed {
            let id = names.ids[name];
            depth[id as usize] = 0;
            queue.push_back(id);
        }
        for (i, requests) in walk.requests.iter().enumerate() {
            for req in requests.iter().filter(|r| counts(i, r)) {
                match req.from {
                    None => {
                        if depth[i] == UNSEEN {
                            depth[i] = 0;
                            queue.push_back(i as Id);
                        }
                    }
                    Some(from) => edges[from as usize].push(i as Id),
                }
            }
        }
        while let Some(id) = queue.pop_front() {
            let d = depth[id as usize];
            for &to in &edges[id as usize] {
                if depth[to as usize] == UNSEEN {
                    depth[to as usize] = d + 1;
                    queue.push_back(to);
                }
            }
        }

        // The packages in name order (the graph's), and each one's place in it.
        let mut kept: Vec<Id> = walk
            .order
            .iter()
            .copied()
            .filter(|&id| {
                names.facts[id as usize].fixed.is_some() || walk.used[id as usize].is_some()
            })
            .collect();
        sort_by_name(&mut kept, &names.names);
        let mut place: Vec<u32> = vec![u32::MAX; n];
        for (k, &id) in kept.iter().enumerate() {
            place[id as usize] = k as u32;
        }

        // Each package goes to its place in name order.
        let mut slots: Vec<Option<Package>> = vec![None; kept.len()];
        let mut links: Vec<Vec<u32>> = vec![Vec::new(); kept.len()];
        let mut builtin_unknown = 0usize;
        for &id in &walk.order {
            let i = id as usize;
            let name = names.names[i];
            let requests = &walk.requests[i];
            let (version, source, registry, deps, hash): (
                String,
                Source,
                Option<String>,
                Deps<'a>,
                Option<String>,
            ) = match names.facts[i].fixed {
                Some(f) => {
                    let fixed = &self.fixed[f].1;
                    (
                        fixed.version.to_string(),
                        fixed.source,
                        None,
                        fixed.dependencies.clone(),
                        fixed.hash.map(str::to_string),
                    )
                }
                None => {
                    let Some(version) = walk.used[i].as_ref() else {
                        let asked: Vec<String> = requests
                            .iter()
                            .map(|r| {
                                format!(
                                    "{} asks for `{}`",
                                    r.from.map_or("the manifest", |f| names.names[f as usize]),
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
                    let facts = names.facts[i];
                    let (source, registry) = if facts.builtin {
                        (Source::Builtin, None)
                    } else {
                        (Source::Registry, Some(facts.registry.to_string()))
                    };
                    let found = match &walk.found[i] {
                        Some(found) => found.clone(),
                        None => self.dependencies(names, id, version),
                    };
                    (version.clone(), source, registry, found, None)
                }
            };
            let k = place[i] as usize;
            let declared: Vec<(String, String)> = match deps {
                Ok(deps) => deps.to_vec(),
                Err(why) => {
                    if source == Source::Builtin {
                        builtin_unknown += 1;
                    } else {
                        let mut line =
                            String::with_capacity(name.len() + version.len() + why.len() + 3);
                        line.push_str(name);
                        line.push('@');
                        line.push_str(&version);
                        line.push_str(": ");
                        line.push_str(&why);
                        unknown.push(line);
                    }
                    Vec::new()
                }
            };
            // The manifest first, then the packages by name; each once.
            let by_name = |f: &Option<Id>| f.map_or("manifest", |f| names.names[f as usize]);
            let mut by: Vec<&str> = requests.iter().map(|r| by_name(&r.from)).collect();
            by.sort_unstable_by(|a, b| (*a != "manifest", a).cmp(&(*b != "manifest", b)));
            by.dedup();
            // The packages of the graph that go by those names (a package named `manifest`
            // too, as a look-up of the names finds it).
            links[k] = by
                .iter()
                .filter_map(|name| names.ids.get(name))
                .map(|&id| place[id as usize])
                .filter(|&p| p != u32::MAX)
                .collect();
            let requested_by: Vec<String> = by.into_iter().map(str::to_string).collect();
            let dependencies = declared.iter().cloned().collect();
            slots[k] = Some(Package {
                depth: match depth[i] {
                    UNSEEN => walk.levels[i],
                    d => d,
                },
                name: name.to_string(),
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
        let packages: Vec<Package> = slots.into_iter().flatten().collect();
        debug_assert!(packages.windows(2).all(|w| w[0].name < w[1].name));
        (ProjectGraph { packages, unknown }, links)
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

    /// The prefix-first sort against a plain sort of the names: shared prefixes of every
    /// length around 16 bytes, names that are prefixes of others, and NUL bytes (which the
    /// padding of a short name spells too).
    #[test]
    fn sorting_by_name_is_byte_order() {
        let stems = ["com.company.tools", "com.company.", "com.c", "", "a\0", "a"];
        let tails = ["", "\0", "\0\0", "x", "\0x", "zz.pkg", ".a", "é"];
        let mut all: Vec<String> = Vec::new();
        for stem in stems {
            for tail in tails {
                for pad in 0..20 {
                    all.push(format!("{stem}{}{tail}", "q".repeat(pad)));
                }
            }
        }
        all.sort();
        all.dedup();
        let names: Vec<&str> = all.iter().rev().map(String::as_str).collect();
        let mut ids: Vec<Id> = (0..names.len() as Id).collect();
        // A fixed shuffle, so the sort has work to do whatever order the names came in.
        ids.sort_by_key(|&id| (id.wrapping_mul(2_654_435_761)) % 1009);
        sort_by_name(&mut ids, &names);
        let sorted: Vec<&str> = ids.iter().map(|&id| names[id as usize]).collect();
        let mut expected = names.clone();
        expected.sort_unstable();
        assert_eq!(sorted, expected);
        assert!(sorted.len() > 500, "{}", sorted.len());
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
