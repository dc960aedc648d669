//! Reads a Unity project from disk for manifest-lint: the files the core's project model
//! ([`manifest_lint_core::project::ProjectInput`]) takes as text.
//!
//! A project is the folder that holds `Packages/manifest.json`. [`read_project`] (given that
//! folder or the manifest's path) and [`read_beside`] (given the manifest's path and its text,
//! for an editor's unsaved buffer) read:
//! - `Packages/packages-lock.json` and `ProjectSettings/ProjectVersion.txt`, when present;
//! - every embedded package: each folder `Packages/<dir>/` that holds a `package.json`, in
//!   folder-name order;
//! - every local package a `file:` dependency of the manifest names, in manifest order: a
//!   folder (its `package.json`) or a `.tgz`/`.tar.gz` tarball (its `package/package.json`,
//!   read from the gzip stream, never extracted). `file:` paths are relative to the `Packages`
//!   folder, or absolute; escaped-backslash Windows paths (`file:..\\pkg`) resolve too.
//!
//! A cloned project is untrusted input, so every read is bounded. Symbolic links are followed,
//! as Unity follows them (a package folder linked in from elsewhere is a common setup), but a
//! link cannot make a read unbounded: only regular files are opened (a FIFO or a device would
//! block or never end), each read stops at a size cap, a tarball's decompressed stream and its
//! number of entries are capped, and at most [`MAX_PACKAGES`] packages are read. A file that is
//! missing, too large, not UTF-8 or corrupt becomes a [`Missing`] in words (or a note), never a
//! panic.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

use manifest_lint_core::Manifest;
use manifest_lint_core::project::{Missing, Origin, PackageInput, ProjectInput};

/// Largest manifest read (the CLI's own cap).
pub const MAX_MANIFEST_BYTES: u64 = 256 * 1024 * 1024;
/// Largest lock file read (Unity's are tens of kilobytes).
pub const MAX_LOCK_BYTES: u64 = 16 * 1024 * 1024;
/// Largest `ProjectVersion.txt` read (Unity's are two lines).
pub const MAX_PROJECT_VERSION_BYTES: u64 = 64 * 1024;
/// Largest `package.json` read (real ones are a few kilobytes).
pub const MAX_PACKAGE_JSON_BYTES: u64 = 4 * 1024 * 1024;
/// Most packages (embedded plus local) read from one project.
pub const MAX_PACKAGES: usize = 2_000;
/// Most entries of `Packages/` looked at for embedded packages.
pub const MAX_PACKAGES_DIR_ENTRIES: usize = 20_000;
/// Most bytes decompressed from one tarball while looking for its `package/package.json`.
pub const MAX_TARBALL_BYTES: u64 = 1024 * 1024 * 1024;
/// Most entries of one tarball looked at.
pub const MAX_TARBALL_ENTRIES: usize = 200_000;

/// A project's files, read and owned; [`Project::input`] lends them to the core.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Project {
    /// The project folder (the parent of the `Packages` folder).
    pub folder: PathBuf,
    /// The manifest's path.
    pub manifest_path: PathBuf,
    /// The manifest's text (lossily decoded when not UTF-8).
    pub manifest: String,
    pub lock: Option<String>,
    pub project_version: Option<String>,
    /// Embedded packages by folder name, then local packages in manifest order.
    pub packages: Vec<PackageFile>,
    /// What could not be read and was left out (a lock file too large, too many packages), in
    /// words, for the CLI to print and the server to log.
    pub notes: Vec<String>,
}

/// One package on disk, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageFile {
    pub origin: Origin,
    /// For messages: `/`-separated and relative to the project folder
    /// (`Packages/com.acme.tool/package.json`, `../shared/tool/package.json`,
    /// `Packages/tool.tgz`); absolute when the `file:` path is.
    pub path: String,
    /// Where it is on disk: the `package.json`, or the tarball.
    pub disk_path: PathBuf,
    pub text: Result<String, Missing>,
}

impl Project {
    /// The core's view of these files (offline: no packuments).
    pub fn input(&self) -> ProjectInput<'_> {
        ProjectInput {
            manifest: &self.manifest,
            lock: self.lock.as_deref(),
            project_version: self.project_version.as_deref(),
            packages: self
                .packages
                .iter()
                .map(|p| PackageInput {
                    origin: p.origin.clone(),
                    path: p.path.clone(),
                    text: p.text.as_deref().map_err(Clone::clone),
                })
                .collect(),
            packuments: None,
        }
    }

    /// The `Packages` folder.
    pub fn packages_folder(&self) -> &Path {
        self.manifest_path.parent().unwrap_or(Path::new("."))
    }
}

/// The manifest a path names: the path itself when it is a file, else `<path>/Packages/manifest.json`
/// or `<path>/manifest.json` (a `Packages` folder).
pub fn manifest_path(given: &Path) -> Result<PathBuf, String> {
    if given.is_dir() {
        let in_project = given.join("Packages").join("manifest.json");
        if in_project.is_file() {
            return Ok(in_project);
        }
        let in_packages = given.join("manifest.json");
        if in_packages.is_file() {
            return Ok(in_packages);
        }
        return Err(format!(
            "`{}` is a folder without Packages/manifest.json (is it a Unity project folder?)",
            given.display()
        ));
    }
    Ok(given.to_path_buf())
}

/// Reads the project at `given` (a project folder, a `Packages` folder or a manifest's path).
/// Only an unreadable manifest is an error; every other file is optional.
pub fn read_project(given: &Path) -> Result<Project, String> {
    let manifest = manifest_path(given)?;
    let bytes = read_capped(&manifest, MAX_MANIFEST_BYTES).map_err(|e| e.words(&manifest))?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    Ok(read_beside(&manifest, text))
}

/// Reads the files beside a manifest whose text is already known (an editor's buffer).
pub fn read_beside(manifest_path: &Path, manifest: String) -> Project {
    let packages_dir = match manifest_path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let folder = match packages_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => packages_dir.join(".."),
    };
    let mut project = Project {
        folder,
        manifest_path: manifest_path.to_path_buf(),
        manifest,
        ..Project::default()
    };
    let mut notes = Vec::new();
    // Only a manifest named `manifest.json` sits in a project; any other file is linted alone.
    let in_project = manifest_path
        .file_name()
        .is_some_and(|n| n == "manifest.json");
    if !in_project {
        return project;
    }
    project.lock = read_optional(
        &packages_dir.join("packages-lock.json"),
        MAX_LOCK_BYTES,
        &mut notes,
    );
    project.project_version = read_optional(
        &project
            .folder
            .join("ProjectSettings")
            .join("ProjectVersion.txt"),
        MAX_PROJECT_VERSION_BYTES,
        &mut notes,
    );
    project.packages = embedded(&packages_dir, &mut notes);
    let locals = local(&packages_dir, &project.manifest, &mut notes);
    for package in locals {
        if project.packages.len() >= MAX_PACKAGES {
            notes.push(format!(
                "more than {MAX_PACKAGES} packages on disk; the rest are not read"
            ));
            break;
        }
        project.packages.push(package);
    }
    project.notes = notes;
    project
}

/// Why a read failed.
#[derive(Debug)]
enum ReadError {
    NotFound,
    NotAFile,
    TooLarge(u64),
    Io(std::io::Error),
}

impl ReadError {
    fn words(&self, path: &Path) -> String {
        match self {
            ReadError::NotFound => format!("cannot read `{}`: no such file", path.display()),
            ReadError::NotAFile => format!("`{}` is not a regular file", path.display()),
            ReadError::TooLarge(cap) => format!(
                "`{}` is larger than {}; it is not read",
                path.display(),
                size(*cap)
            ),
            ReadError::Io(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                format!("cannot read `{}`: permission denied", path.display())
            }
            ReadError::Io(e) => format!("cannot read `{}`: {e}", path.display()),
        }
    }

    /// The same, without the path (the core's [`Missing::Unreadable`] names its package).
    fn reason(&self) -> String {
        match self {
            ReadError::NotFound => "no such file".to_string(),
            ReadError::NotAFile => "not a regular file".to_string(),
            ReadError::TooLarge(cap) => format!("larger than {}", size(*cap)),
            ReadError::Io(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                "permission denied".to_string()
            }
            ReadError::Io(e) => e.to_string(),
        }
    }
}

fn size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{} MiB", bytes / (1024 * 1024))
    } else {
        format!("{} KiB", bytes / 1024)
    }
}

/// Reads a regular file (following symbolic links), refusing more than `cap` bytes.
fn read_capped(path: &Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ReadError::NotFound,
        _ => ReadError::Io(e),
    })?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile);
    }
    if meta.len() > cap {
        return Err(ReadError::TooLarge(cap));
    }
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // The file may have grown since `metadata`: the cap holds whatever it says now.
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > cap {
        return Err(ReadError::TooLarge(cap));
    }
    Ok(bytes)
}

/// An optional file: `None` when absent; when present but unreadable, a note and `None`.
/// Not UTF-8 is decoded lossily (the core reports what it cannot parse).
fn read_optional(path: &Path, cap: u64, notes: &mut Vec<String>) -> Option<String> {
    match read_capped(path, cap) {
        Ok(bytes) => Some(match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        }),
        Err(ReadError::NotFound) => None,
        Err(e) => {
            notes.push(e.words(path));
            None
        }
    }
}

/// A `package.json`'s text, or why there is none.
fn read_package_json(path: &Path) -> Result<String, Missing> {
    let bytes = read_capped(path, MAX_PACKAGE_JSON_BYTES).map_err(|e| match e {
        ReadError::NotFound => Missing::NoPackageJson,
        e => Missing::Unreadable(e.reason()),
    })?;
    utf8(bytes)
}

fn utf8(bytes: Vec<u8>) -> Result<String, Missing> {
    String::from_utf8(bytes).map_err(|e| {
        Missing::Unreadable(format!(
            "package.json is not UTF-8 (byte {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// `Packages/<dir>/package.json` for every folder that has one, by folder name.
fn embedded(packages_dir: &Path, notes: &mut Vec<String>) -> Vec<PackageFile> {
    let Ok(entries) = std::fs::read_dir(packages_dir) else {
        return Vec::new();
    };
    let mut dirs: Vec<(String, PathBuf)> = Vec::new();
    for (i, entry) in entries.enumerate() {
        if i >= MAX_PACKAGES_DIR_ENTRIES {
            notes.push(format!(
                "`{}` has more than {MAX_PACKAGES_DIR_ENTRIES} entries; the rest are not looked at",
                packages_dir.display()
            ));
            break;
        }
        let Ok(entry) = entry else { continue };
        // `is_dir` follows symbolic links: a linked-in package folder is embedded too.
        let path = entry.path();
        if !path.is_dir() {
            continue;
        }
        let package_json = path.join("package.json");
        // A folder without a package.json is not a package (Unity ignores it).
        if std::fs::symlink_metadata(&package_json).is_err() {
            continue;
        }
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            notes.push(format!(
                "`{}` has a name that is not UTF-8; it is not read",
                path.display()
            ));
            continue;
        };
        dirs.push((name, package_json));
    }
    dirs.sort();
    if dirs.len() > MAX_PACKAGES {
        notes.push(format!(
            "more than {MAX_PACKAGES} embedded packages; the rest are not read"
        ));
        dirs.truncate(MAX_PACKAGES);
    }
    dirs.into_iter()
        .map(|(dir, package_json)| PackageFile {
            path: format!("Packages/{dir}/package.json"),
            text: read_package_json(&package_json),
            disk_path: package_json,
            origin: Origin::Embedded { dir },
        })
        .collect()
}

/// The `file:` dependencies of the manifest (the last of duplicate names, as Unity keeps it),
/// in manifest order, read.
fn local(packages_dir: &Path, manifest: &str, notes: &mut Vec<String>) -> Vec<PackageFile> {
    let text = manifest.strip_prefix('\u{feff}').unwrap_or(manifest);
    // A `file:` value spells `file:` in the text, unless it is written with `\u` escapes: when
    // neither is there (most manifests), the manifest need not be parsed a second time here.
    let finder = |needle: &str| memchr::memmem::find(text.as_bytes(), needle.as_bytes());
    if finder("file:").is_none() && finder("\\u").is_none() {
        return Vec::new();
    }
    let Ok(parsed) = manifest_lint_core::parse::parse(text) else {
        return Vec::new();
    };
    let model = Manifest::from_ast(parsed.value.as_ref());
    let deps = model.dependencies();
    // Unity uses the last of duplicate entries: the index of each name's last one, so that
    // skipping the earlier ones stays linear in the number of dependencies.
    let last: std::collections::HashMap<&str, usize> = deps
        .iter()
        .enumerate()
        .map(|(i, d)| (d.name.value.as_str(), i))
        .collect();
    let mut out = Vec::new();
    for (i, dep) in deps.iter().enumerate() {
        let Some(version) = &dep.version else {
            continue;
        };
        if last.get(dep.name.value.as_str()) != Some(&i) {
            continue;
        }
        let Some(spec_path) = version.value.strip_prefix("file:") else {
            continue;
        };
        if spec_path.trim().is_empty() {
            continue;
        }
        if out.len() >= MAX_PACKAGES {
            notes.push(format!(
                "more than {MAX_PACKAGES} `file:` dependencies; the rest are not read"
            ));
            break;
        }
        out.push(local_package(
            packages_dir,
            &dep.name.value,
            &version.value,
            spec_path,
        ));
    }
    out
}

/// Whether a `file:` path names a tarball by its ending.
fn is_tarball_name(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".tgz") || lower.ends_with(".tar.gz")
}

fn local_package(packages_dir: &Path, name: &str, spec: &str, spec_path: &str) -> PackageFile {
    // Escaped backslashes (Windows) mean the same as forward slashes.
    let forward = spec_path.replace('\\', "/");
    let relative = Path::new(&forward);
    let disk = if relative.is_absolute() {
        relative.to_path_buf()
    } else {
        packages_dir.join(relative)
    };
    let shown = if relative.is_absolute() {
        forward.clone()
    } else {
        normalize(&format!("Packages/{forward}"))
    };
    let dependency = name.to_string();
    let spec = spec.to_string();
    let meta = std::fs::metadata(&disk);
    let tarball = match &meta {
        Ok(m) => m.is_file(),
        Err(_) => is_tarball_name(&forward),
    };
    if tarball {
        let text = match meta {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Missing::NotFound),
            Err(e) => Err(Missing::Unreadable(ReadError::Io(e).reason())),
            Ok(_) => read_tarball(&disk),
        };
        return PackageFile {
            origin: Origin::LocalTarball { dependency, spec },
            path: shown,
            disk_path: disk,
            text,
        };
    }
    let package_json = disk.join("package.json");
    let text = match meta {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Missing::NotFound),
        Err(e) => Err(Missing::Unreadable(ReadError::Io(e).reason())),
        Ok(m) if !m.is_dir() => Err(Missing::Unreadable(
            "neither a folder nor a tarball".to_string(),
        )),
        Ok(_) => read_package_json(&package_json),
    };
    PackageFile {
        origin: Origin::Local { dependency, spec },
        path: normalize(&format!("{}/package.json", shown.trim_end_matches('/'))),
        disk_path: package_json,
        text,
    }
}

/// `a/./b/../c` -> `a/c`, lexically (a leading `..` stays).
fn normalize(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for component in Path::new(path).components() {
        match component {
            Component::CurDir | Component::RootDir => {}
            Component::ParentDir => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !absolute {
                    parts.push("..");
                }
            }
            Component::Normal(s) => parts.push(s.to_str().unwrap_or("?")),
            Component::Prefix(p) => parts.push(p.as_os_str().to_str().unwrap_or("?")),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// The `package/package.json` of a gzipped tarball, read from the stream.
fn read_tarball(path: &Path) -> Result<String, Missing> {
    read_tarball_limited(path, MAX_TARBALL_BYTES)
}

fn read_tarball_limited(path: &Path, max_bytes: u64) -> Result<String, Missing> {
    let file =
        std::fs::File::open(path).map_err(|e| Missing::Unreadable(ReadError::Io(e).reason()))?;
    let gz = flate2::read::GzDecoder::new(std::io::BufReader::new(file));
    let mut archive = tar::Archive::new(gz.take(max_bytes));
    let found = find_package_json(&mut archive);
    // A stream cut at the cap may look like a clean end: say it was the cap.
    if archive.into_inner().limit() == 0 && found.is_err() {
        return Err(Missing::Unreadable(format!(
            "no package/package.json in its first {} (decompressed)",
            size(max_bytes)
        )));
    }
    found
}

fn find_package_json<R: Read>(archive: &mut tar::Archive<R>) -> Result<String, Missing> {
    let corrupt = |e: std::io::Error| Missing::Unreadable(format!("not a readable .tgz: {e}"));
    let entries = archive.entries().map_err(corrupt)?;
    for (i, entry) in entries.enumerate() {
        if i >= MAX_TARBALL_ENTRIES {
            return Err(Missing::Unreadable(format!(
                "no package/package.json in its first {MAX_TARBALL_ENTRIES} entries"
            )));
        }
        let mut entry = entry.map_err(corrupt)?;
        let is_package_json = entry.path().is_ok_and(|p| {
            let p = p.strip_prefix(".").unwrap_or(&p);
            p == Path::new("package/package.json")
        });
        if !is_package_json || !entry.header().entry_type().is_file() {
            continue;
        }
        if entry.size() > MAX_PACKAGE_JSON_BYTES {
            return Err(Missing::Unreadable(format!(
                "its package/package.json is larger than {}",
                size(MAX_PACKAGE_JSON_BYTES)
            )));
        }
        let mut bytes = Vec::new();
        (&mut entry)
            .take(MAX_PACKAGE_JSON_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(corrupt)?;
        return utf8(bytes);
    }
    Err(Missing::NoPackageJson)
}

#[cfg(test)]
mod tests;
