//! Writing fixed manifests back, and showing fixes as a diff.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// How temporary files of [`write_atomically`] are named: `.manifest-lint-<random>.tmp`.
const TEMP_PREFIX: &str = ".manifest-lint-";
const TEMP_SUFFIX: &str = ".tmp";
/// A temporary file of ours older than this is left over from a run that crashed.
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(60);

/// Replaces the file at `path`, which held `original` when it was read, with `text`,
/// atomically: the text goes to a temporary file in the same folder, which takes the original's
/// permissions, owner, group and extended attributes, is flushed to disk, and is renamed over
/// the original. An interrupted run leaves either the old file or the new one, never half of
/// one, and its temporary file is removed by the next run (see [`remove_stale_temp_files`]). A
/// symbolic link is followed: the file it points to is replaced, the link stays.
///
/// Refused, with the reason, when: `text` is not strict JSON; the file is read-only (version
/// control such as Perforce keeps files read-only until they are checked out); it has other
/// hard links (a rename would silently split them); its owner, group or extended attributes
/// cannot be carried over; or it changed on disk since it was read.
pub(crate) fn write_atomically(path: &Path, original: &[u8], text: &str) -> Result<(), String> {
    let shown = path.display();
    let refuse = |why: String| format!("not writing `{shown}`: {why}");
    let fail = |what: &str, e: std::io::Error| format!("cannot write `{shown}`: {what}: {e}");
    // A byte-order mark is kept as the user had it (`format` keeps it); the data after it must be
    // strict JSON.
    let data = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(data) {
        return Err(refuse(format!(
            "the fixed text would not be valid JSON ({e}); this is a bug in manifest-lint, please report it"
        )));
    }
    let target = std::fs::canonicalize(path).map_err(|e| fail("cannot find it", e))?;
    let dir = target
        .parent()
        .ok_or_else(|| format!("cannot write `{shown}`: it has no folder"))?;
    let meta = std::fs::metadata(&target).map_err(|e| fail("cannot read its metadata", e))?;
    if meta.permissions().readonly() {
        return Err(refuse(
            "it is read-only (version control such as Perforce keeps files read-only until they \
             are checked out: `p4 edit` it, or make it writable, and run again)"
                .to_string(),
        ));
    }
    platform::check_links(&meta).map_err(refuse)?;
    remove_stale_temp_files(dir);
    let mut temp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .tempfile_in(dir)
        .map_err(|e| fail("cannot create a temporary file beside it", e))?;
    temp.write_all(text.as_bytes())
        .map_err(|e| fail("cannot write the temporary file", e))?;
    std::fs::set_permissions(temp.path(), meta.permissions())
        .map_err(|e| fail("cannot copy the permissions", e))?;
    platform::copy_owner_and_attributes(&target, &meta, temp.as_file()).map_err(refuse)?;
    temp.as_file()
        .sync_all()
        .map_err(|e| fail("cannot write the temporary file", e))?;
    // Last look before the rename: an editor or another tool may have saved it meanwhile.
    let now = std::fs::read(&target).map_err(|e| fail("cannot read it again", e))?;
    if now != original {
        return Err(refuse(
            "it changed on disk while it was being fixed; run again".to_string(),
        ));
    }
    temp.persist(&target)
        .map_err(|e| fail("cannot replace it", e.error))?;
    Ok(())
}

/// Removes temporary files left in `dir` by a run that crashed (named like ours and older than
/// a minute, so that a run going on beside this one keeps its own).
pub(crate) fn remove_stale_temp_files(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !(name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)) {
            continue;
        }
        let stale = entry
            .metadata()
            .ok()
            .filter(std::fs::Metadata::is_file)
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_AFTER);
        if stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(unix)]
mod platform {
    use std::os::unix::fs::MetadataExt;
    use std::path::Path;

    pub(super) fn check_links(meta: &std::fs::Metadata) -> Result<(), String> {
        if meta.nlink() > 1 {
            return Err(format!(
                "it has {} hard links, and replacing it would leave the others with the old text \
                 (fix a copy, or run on each link's own file)",
                meta.nlink()
            ));
        }
        Ok(())
    }

    /// Gives `temp` the owner, group and extended attributes of the original.
    pub(super) fn copy_owner_and_attributes(
        original: &Path,
        meta: &std::fs::Metadata,
        temp: &std::fs::File,
    ) -> Result<(), String> {
        let temp_meta = temp
            .metadata()
            .map_err(|e| format!("cannot read the temporary file: {e}"))?;
        if temp_meta.uid() != meta.uid() || temp_meta.gid() != meta.gid() {
            std::os::unix::fs::fchown(temp, Some(meta.uid()), Some(meta.gid())).map_err(|e| {
                format!(
                    "replacing it would change its owner or group (user {}, group {}) and they \
                     cannot be kept: {e}",
                    meta.uid(),
                    meta.gid()
                )
            })?;
        }
        copy_attributes(original, temp)
    }

    #[cfg(any(target_os = "linux", target_os = "android", target_os = "macos"))]
    fn copy_attributes(original: &Path, temp: &std::fs::File) -> Result<(), String> {
        use rustix::fs::{XattrFlags, fsetxattr, getxattr, listxattr};
        let cannot = |e: rustix::io::Errno| {
            format!("its extended attributes cannot be carried over to the new file: {e}")
        };
        let mut names = vec![0u8; 4096];
        let n = match listxattr(original, &mut names[..]) {
            Ok(n) => n,
            // A file system without extended attributes has none to keep.
            Err(rustix::io::Errno::NOTSUP) => return Ok(()),
            Err(rustix::io::Errno::RANGE) => {
                names = vec![0u8; 1 << 16];
                listxattr(original, &mut names[..]).map_err(cannot)?
            }
            Err(e) => return Err(cannot(e)),
        };
        for name in names[..n].split(|&b| b == 0).filter(|n| !n.is_empty()) {
            let name = <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(name);
            let mut value = vec![0u8; 1 << 16];
            let len = getxattr(original, name, &mut value[..]).map_err(cannot)?;
            let current = {
                let mut buf = vec![0u8; 1 << 16];
                rustix::fs::fgetxattr(temp, name, &mut buf[..])
                    .ok()
                    .map(|l| buf[..l].to_vec())
            };
            if current.as_deref() == Some(&value[..len]) {
                continue;
            }
            fsetxattr(temp, name, &value[..len], XattrFlags::empty()).map_err(cannot)?;
        }
        Ok(())
    }

    #[cfg(not(any(target_os = "linux", target_os = "android", target_os = "macos")))]
    fn copy_attributes(_: &Path, _: &std::fs::File) -> Result<(), String> {
        Ok(())
    }
}

#[cfg(not(unix))]
mod platform {
    pub(super) fn check_links(_: &std::fs::Metadata) -> Result<(), String> {
        Ok(())
    }

    pub(super) fn copy_owner_and_attributes(
        _: &std::path::Path,
        _: &std::fs::Metadata,
        _: &std::fs::File,
    ) -> Result<(), String> {
        Ok(())
    }
}

/// A unified diff of one file (three lines of context), empty when nothing changed.
pub(crate) fn unified_diff(path: &str, before: &str, after: &str) -> String {
    if before == after {
        return String::new();
    }
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(path, path)
        .to_string()
}

/// "duplicate-scope: 2, glob-scope: 1".
pub(crate) fn by_rule(applied: &BTreeMap<&'static str, usize>) -> String {
    applied
        .iter()
        .map(|(rule, n)| format!("{rule}: {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn fixes(n: usize) -> String {
    format!("{n} fix{}", if n == 1 { "" } else { "es" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_changed_since_it_was_read_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("manifest.json");
        std::fs::write(&path, "{\"a\": 2}").unwrap();
        let err = write_atomically(&path, b"{\"a\": 1}", "{}").unwrap_err();
        assert!(err.contains("changed on disk"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{\"a\": 2}");
        write_atomically(&path, b"{\"a\": 2}", "{}").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{}");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file left");
    }

    #[test]
    fn text_that_is_not_strict_json_is_never_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("manifest.json");
        std::fs::write(&path, "{}").unwrap();
        let err = write_atomically(&path, b"{}", "{,\"a\": 1}").unwrap_err();
        assert!(err.contains("not be valid JSON"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{}");
    }
}
