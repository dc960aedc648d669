//! The project as Unity resolves it: the manifest, the lock file, the packages on disk
//! (embedded and local), the Editor version and, online, the registries' packuments.
//!
//! Pure like the rest of the core: the CLI and the language server find and read the files and
//! hand their texts over in a [`ProjectInput`]; the network facts arrive as [`Packuments`].
//! [`resolve`] builds the [`ProjectGraph`]: every package Unity would install, direct or
//! transitive, with its chosen version, source, registry, depth and who asked for it.
//!
//! This file is the contract between the model (graph, version selection, `tree`) and its
//! consumers (project diagnostics, the language server): keep its types stable, extend them
//! with new fields rather than changing the meaning of existing ones.

use std::collections::BTreeMap;

pub mod check;
pub mod editor;
mod graph;
mod lockfile;
mod ordered;
mod prepared;
pub mod select;
pub(crate) mod strict;

pub use editor::EditorVersion;
pub use graph::{resolve, resolve_parsed};
pub use lockfile::lock_text;
pub use prepared::Prepared;

/// The texts of a project's files. Paths are for messages only, `/`-separated and relative to
/// the project folder (the folder that holds `Packages/manifest.json`).
#[derive(Debug, Clone, Default)]
pub struct ProjectInput<'a> {
    /// `Packages/manifest.json`.
    pub manifest: &'a str,
    /// `Packages/packages-lock.json`, when present.
    pub lock: Option<&'a str>,
    /// `ProjectSettings/ProjectVersion.txt`, when present.
    pub project_version: Option<&'a str>,
    /// Every embedded package (`Packages/<dir>/package.json`) and every local package a `file:`
    /// dependency of the manifest names, in that order (embedded by folder name, then local in
    /// manifest order).
    pub packages: Vec<PackageInput<'a>>,
    /// What the registries said (online); `None` offline.
    pub packuments: Option<&'a Packuments>,
}

/// One package on disk.
#[derive(Debug, Clone)]
pub struct PackageInput<'a> {
    pub origin: Origin,
    /// The `package.json`'s path for messages (`Packages/com.acme.tool/package.json`,
    /// `../shared-packages/tool/package.json`, `Packages/tool.tgz`).
    pub path: String,
    /// The text of its `package.json`, or why there is none.
    pub text: Result<&'a str, Missing>,
}

/// Where a package on disk comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A folder under `Packages/` (its name as `dir`).
    Embedded { dir: String },
    /// A `file:` dependency naming a folder: the manifest's dependency name and its value.
    Local { dependency: String, spec: String },
    /// A `file:` dependency naming a `.tgz`/`.tar.gz` (its `package/package.json`).
    LocalTarball { dependency: String, spec: String },
}

/// Why a package on disk has no readable `package.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// The folder or tarball a `file:` dependency names does not exist.
    NotFound,
    /// The folder (or tarball) exists but holds no `package.json`.
    NoPackageJson,
    /// It could not be read (permissions, not UTF-8, too large, a corrupt tarball); in words.
    Unreadable(String),
}

/// What registries said about packages, online: registry URL (as the manifest writes it, or
/// the default registry's) -> package name -> packument. A package missing from the map was
/// not asked; [`PackumentStatus::NotFound`] is a 404.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Packuments {
    pub registries: BTreeMap<String, BTreeMap<String, PackumentStatus>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackumentStatus {
    Found(Packument),
    NotFound,
    /// Asked, but no usable answer (in words).
    Unknown(String),
}

/// The parts of a packument resolution needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Packument {
    /// Version -> what `versions[v]` says.
    pub versions: BTreeMap<String, VersionInfo>,
    /// `dist-tags.latest`.
    pub latest: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VersionInfo {
    /// `dependencies`, name -> requested version, in the packument's order.
    pub dependencies: Vec<(String, String)>,
    /// `unity` (`2021.3`) and `unityRelease` (`20f1`).
    pub unity: Option<String>,
    pub unity_release: Option<String>,
}

/// Where an installed package comes from, as the lock file names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    Registry,
    Builtin,
    Embedded,
    Local,
    LocalTarball,
    Git,
}

impl Source {
    /// The lock file's word: `registry`, `builtin`, `embedded`, `local`, `local-tarball`, `git`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Source::Registry => "registry",
            Source::Builtin => "builtin",
            Source::Embedded => "embedded",
            Source::Local => "local",
            Source::LocalTarball => "local-tarball",
            Source::Git => "git",
        }
    }
}

/// Every package Unity would install.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectGraph {
    /// Sorted by name (the lock file's order).
    pub packages: Vec<Package>,
    /// What could not be known (offline: a registry package whose dependencies neither the lock
    /// file nor a packument gives), in words, for `tree` to say.
    pub unknown: Vec<String>,
}

impl ProjectGraph {
    /// The graph of a project whose manifest does not parse: nothing is known.
    pub fn unparsed() -> Self {
        Self {
            packages: Vec::new(),
            unknown: vec!["Packages/manifest.json does not parse: no package is known".to_string()],
        }
    }

    pub fn package(&self, name: &str) -> Option<&Package> {
        self.packages
            .binary_search_by(|p| p.name.as_str().cmp(name))
            .ok()
            .map(|i| &self.packages[i])
    }
}

/// One installed package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    pub name: String,
    /// The chosen version (for `file:`/Git packages, the manifest's value, as the lock writes it).
    pub version: String,
    pub source: Source,
    /// The registry URL for registry packages; `None` otherwise.
    pub registry: Option<String>,
    /// 0 for the manifest's own dependencies (and embedded packages).
    pub depth: u32,
    /// Its own dependencies, name -> requested version, sorted by name.
    pub dependencies: BTreeMap<String, String>,
    /// The packages (or `manifest` for the project's own `dependencies`) that request it.
    pub requested_by: Vec<String>,
    /// The commit of a Git package, when the lock file records it.
    pub hash: Option<String>,
    /// [`Package::dependencies`] in the order the package declares them (its `package.json`,
    /// packument or lock entry): the order Unity's lock file writes.
    pub declared: Vec<(String, String)>,
}
