//! Writing fixed manifests back, and showing fixes as a diff.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// Replaces the file at `path` with `text` atomically: the text goes to a temporary file in the
/// same folder, which takes the original's permissions, is flushed to disk, and is renamed over
/// the original. An interrupted run leaves either the old file or the new one, never half of
/// one. A symbolic link is followed: the file it points to is replaced, the link stays.
pub(crate) fn write_atomically(path: &Path, text: &str) -> Result<(), String> {
    let fail =
        |what: &str, e: std::io::Error| format!("cannot write `{}`: {what}: {e}", path.display());
    let target = std::fs::canonicalize(path).map_err(|e| fail("cannot find it", e))?;
    let dir = target
        .parent()
        .ok_or_else(|| format!("cannot write `{}`: it has no folder", path.display()))?;
    let permissions = std::fs::metadata(&target)
        .map_err(|e| fail("cannot read its permissions", e))?
        .permissions();
    let mut temp = tempfile::Builder::new()
        .prefix(".manifest-lint-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| fail("cannot create a temporary file beside it", e))?;
    temp.write_all(text.as_bytes())
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|e| fail("cannot write the temporary file", e))?;
    std::fs::set_permissions(temp.path(), permissions)
        .map_err(|e| fail("cannot copy the permissions", e))?;
    temp.persist(&target)
        .map_err(|e| fail("cannot replace it", e.error))?;
    Ok(())
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
