//! What the server reads from disk beside a manifest: `Packages/packages-lock.json` (for the
//! `stale-lock` rule), the project's `manifest-lint.toml` (its `[rules]`, shared with the CLI)
//! and, for the project diagnostics, the project's packages on disk and its Editor version (read
//! by `manifest-lint-files`, the CLI's reader; in the background when the manifest names a
//! tarball, which can take a while); for a package's `package.json`, only the configuration.
//! Read when the document opens, when it is saved, and when the client reports that one of those
//! files changed; never on a keystroke.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use std::sync::Arc;

use manifest_lint_core::RuleLevel;
use manifest_lint_core::config::{find_config, parse_config};
use tower_lsp_server::ls_types::Uri;

/// Largest lock file read (Unity's are tens of kilobytes).
const MAX_LOCK_BYTES: u64 = 16 * 1024 * 1024;

/// The lock file's name, beside the manifest.
pub const LOCK_FILE: &str = "packages-lock.json";

/// Files beside (or above) one manifest.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProjectFiles {
    /// Whether the document is a project manifest or a package's `package.json` (by its name).
    pub kind: manifest_lint_core::FileKind,
    /// The text of `packages-lock.json` beside the manifest.
    pub lock: Option<Arc<str>>,
    /// The `[rules]` of the `manifest-lint.toml` that applies.
    pub levels: HashMap<String, RuleLevel>,
    /// That file, when there is one.
    pub config: Option<PathBuf>,
    /// The project around a manifest named `manifest.json`, once read ([`read_disk`]).
    pub disk: Option<Arc<manifest_lint_files::Project>>,
    /// The lock and `disk` parsed once for every keystroke's lint ([`ProjectFiles::prepare`]
    /// after changing them; a lint given a stale one parses the texts itself).
    pub prepared: PreparedFiles,
}

/// [`manifest_lint_core::project::Prepared`] of a [`ProjectFiles`]' texts: derived from the
/// other fields, so it takes no part in comparing two of them.
#[derive(Debug, Clone, Default)]
pub struct PreparedFiles(Option<Arc<manifest_lint_core::project::Prepared>>);

impl PartialEq for PreparedFiles {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl PreparedFiles {
    pub fn get(&self) -> Option<&manifest_lint_core::project::Prepared> {
        self.0.as_deref()
    }
}

/// The files watched for the project diagnostics, besides the lock file and the configuration.
pub const PROJECT_GLOBS: &[&str] = &[
    "**/Packages/*/package.json",
    "**/ProjectSettings/ProjectVersion.txt",
];

/// Reads the project around the manifest at `uri` (with `text` for its `file:` dependencies);
/// `None` for a manifest not named `manifest.json` or not on disk. Blocking: run it off the
/// handlers.
pub fn read_disk(uri: &Uri, text: String) -> Option<manifest_lint_files::Project> {
    let path =
        manifest_path(uri).filter(|p| p.file_name().is_some_and(|n| n == "manifest.json"))?;
    Some(manifest_lint_files::read_beside(&path, text))
}

/// Whether a manifest's text may name a tarball (`file:...tgz` / `.tar.gz`): its project is then
/// read in the background. A cheap over-approximation: any mention counts.
pub fn has_tarballs(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains(".tgz") || lower.contains(".tar.gz")
}

/// Whether [`read_disk`] reads a project for `uri` (a `file:` URI of a `manifest.json`).
pub fn in_project(uri: &Uri) -> bool {
    manifest_path(uri).is_some_and(|p| p.file_name().is_some_and(|n| n == "manifest.json"))
}

/// The manifest's path on disk, for `file:` URIs.
pub fn manifest_path(uri: &Uri) -> Option<PathBuf> {
    if !uri.scheme().as_str().eq_ignore_ascii_case("file") {
        return None;
    }
    uri.to_file_path().map(|p| p.into_owned())
}

impl ProjectFiles {
    /// The project's files for the core, when they have been read.
    pub fn input(&self) -> Option<manifest_lint_core::project::ProjectInput<'_>> {
        self.disk
            .as_deref()
            .map(manifest_lint_files::Project::input)
    }

    /// Parses the lock and the project's other files for the lints to come (the language
    /// server lints on every keystroke; these files change only on disk). Call it after
    /// changing `lock` or `disk`.
    pub fn prepare(&mut self) {
        let input = self.input();
        let prepared = match self.kind {
            manifest_lint_core::FileKind::Manifest => {
                manifest_lint_core::project::Prepared::new(self.lock.as_deref(), input.as_ref())
            }
            manifest_lint_core::FileKind::Package => {
                manifest_lint_core::project::Prepared::new(None, None)
            }
        };
        drop(input);
        self.prepared = PreparedFiles(Some(Arc::new(prepared)));
    }

    /// Sets the project read from disk, and prepares it.
    pub fn set_disk(&mut self, disk: Option<Arc<manifest_lint_files::Project>>) {
        self.disk = disk;
        self.prepare();
    }

    /// Reads the files for the manifest at `uri`; problems are described in `warnings`.
    pub fn load(uri: &Uri, warnings: &mut Vec<String>) -> ProjectFiles {
        let kind = if crate::package::is_package_json(uri) {
            manifest_lint_core::FileKind::Package
        } else {
            manifest_lint_core::FileKind::Manifest
        };
        let none = ProjectFiles {
            kind,
            ..ProjectFiles::default()
        };
        let Some(manifest) = manifest_path(uri) else {
            return none;
        };
        let Some(dir) = manifest.parent() else {
            return none;
        };
        // A package.json has no lock file of its own.
        let lock = match kind {
            manifest_lint_core::FileKind::Manifest => {
                read_lock(&dir.join(LOCK_FILE), warnings).map(Arc::from)
            }
            manifest_lint_core::FileKind::Package => None,
        };
        let mut files = ProjectFiles { lock, ..none };
        if let Some(path) = find_config(dir, |p| p.exists()) {
            match std::fs::read_to_string(&path) {
                Ok(text) => match parse_config(&text) {
                    Ok(config) => files.levels = config.levels(),
                    Err(e) => warnings.push(format!(
                        "invalid configuration `{}`: {e}; its rules are ignored",
                        path.display()
                    )),
                },
                Err(e) => warnings.push(format!(
                    "cannot read the configuration `{}`: {e}",
                    path.display()
                )),
            }
            files.config = Some(path);
        }
        files.prepare();
        files
    }
}

fn read_lock(path: &Path, warnings: &mut Vec<String>) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    if meta.len() > MAX_LOCK_BYTES {
        warnings.push(format!(
            "`{}` is larger than {} MiB; the lock checks are skipped",
            path.display(),
            MAX_LOCK_BYTES / 1024 / 1024
        ));
        return None;
    }
    match std::fs::read(path) {
        Ok(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
        Err(e) => {
            warnings.push(format!("cannot read `{}`: {e}", path.display()));
            None
        }
    }
}
