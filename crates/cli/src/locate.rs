//! Finding and reading manifests.

use std::path::{Path, PathBuf};

/// Manifests larger than this are refused rather than read: no real manifest comes near it.
pub const MAX_MANIFEST_BYTES: u64 = 256 * 1024 * 1024;

/// A manifest path as the user gave it, resolved to the file: a project folder's
/// `Packages/manifest.json`, a `Packages` folder's `manifest.json`, else a package folder's
/// `package.json`.
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
        // A package's own folder (a package repository): its package.json.
        let package = given.join("package.json");
        if package.is_file() {
            return Ok(package);
        }
        return Err(format!(
            "`{}` is a folder without Packages/manifest.json or package.json (is it a Unity project or package folder?)",
            given.display()
        ));
    }
    Ok(given.to_path_buf())
}

/// Searches the current folder and its parents for `Packages/manifest.json`.
/// The manifests a command was given (each a manifest or a project folder), or the one found
/// upwards from the current folder when none was. A path that names no manifest is reported on
/// stderr and sets `failed`; `None` when there was nothing to search upwards from.
pub fn manifest_paths(given: &[PathBuf], failed: &mut bool) -> Option<Vec<PathBuf>> {
    if given.is_empty() {
        return match find_upwards() {
            Ok(path) => Some(vec![path]),
            Err(message) => {
                crate::error(message);
                None
            }
        };
    }
    Some(
        given
            .iter()
            .filter_map(|p| match manifest_path(p) {
                Ok(path) => Some(path),
                Err(message) => {
                    crate::error(message);
                    *failed = true;
                    None
                }
            })
            .collect(),
    )
}

pub fn find_upwards() -> Result<PathBuf, String> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?;
    for dir in cwd.ancestors() {
        let candidate = dir.join("Packages").join("manifest.json");
        if candidate.is_file() {
            return Ok(relative_to(&candidate, &cwd));
        }
        if dir.file_name().is_some_and(|n| n == "Packages") && dir.join("manifest.json").is_file() {
            return Ok(relative_to(&dir.join("manifest.json"), &cwd));
        }
    }
    Err(format!(
        "no Packages/manifest.json in `{}` or any folder above it; pass a manifest or a Unity project folder",
        cwd.display()
    ))
}

fn relative_to(path: &Path, base: &Path) -> PathBuf {
    path.strip_prefix(base)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

/// Reads a manifest's bytes, with a message that names the path and the reason on failure.
pub fn read(path: &Path) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path)
        .map_err(|e| format!("cannot read `{}`: {}", path.display(), describe(&e)))?;
    if meta.is_dir() {
        return Err(format!(
            "`{}` is a folder, not a manifest file",
            path.display()
        ));
    }
    if meta.len() > MAX_MANIFEST_BYTES {
        return Err(format!(
            "`{}` is {} MiB; manifests over {} MiB are refused",
            path.display(),
            meta.len() / (1024 * 1024),
            MAX_MANIFEST_BYTES / (1024 * 1024)
        ));
    }
    crate::memory::input(meta.len());
    std::fs::read(path).map_err(|e| format!("cannot read `{}`: {}", path.display(), describe(&e)))
}

fn describe(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => err.to_string(),
    }
}
