//! [`Prepared`]: the parts of a project that do not change while its manifest is edited (the
//! lock file, every `package.json`, the Editor version), parsed once.
//!
//! The language server lints the manifest on every keystroke, against files it read on open,
//! save or a watched-file change. Parsing a 4 MB lock file per keystroke cost more than the whole
//! lint of the manifest, so the server makes a [`Prepared`] when it reads the files and hands it
//! to every lint ([`crate::LintOptions::prepared`]); the CLI lints once and lets the lint make it.
//!
//! A [`Prepared`] remembers which texts it was made from (their addresses and lengths, not
//! their bytes): a lint given one made from other texts ignores it and parses the texts it has
//! ([`Prepared::is_for`]), so a stale cache costs time, never a wrong answer.

use rustc_hash::FxHashMap as HashMap;

use super::ProjectInput;
use super::check::{PackageJson, RawPackage};
use super::editor::EditorVersion;
use super::graph::{self, LockRecord};
use super::ordered::Node;
use crate::lock::{LockError, LockFile};

/// The parsed forms of a project's files besides the manifest.
#[derive(Debug)]
pub struct Prepared {
    key: Key,
    /// The lock file as the lint's rules read it (`stale-lock`), when a lock was given.
    pub(crate) lock: Option<Result<LockFile, LockError>>,
    /// The lock file as resolution reads it, by package name.
    pub(crate) records: HashMap<String, LockRecord>,
    /// Per [`ProjectInput::packages`] (same order): the `package.json` as the project rules
    /// read it, `None` when missing or not a JSON object.
    pub(crate) disk: Vec<Option<PackageJson>>,
    /// Per [`ProjectInput::packages`]: what resolution needs of it, or why it is not known.
    pub(crate) resolution: Vec<Result<graph::PackageJson, String>>,
    pub(crate) editor: Option<EditorVersion>,
}

/// Which texts a [`Prepared`] was made from: the address and length of each.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Key {
    lock: Option<(usize, usize)>,
    project_lock: Option<(usize, usize)>,
    project_version: Option<(usize, usize)>,
    packages: Vec<Option<(usize, usize)>>,
}

fn at(text: &str) -> (usize, usize) {
    (text.as_ptr() as usize, text.len())
}

impl Key {
    fn new(lock: Option<&str>, project: Option<&ProjectInput<'_>>) -> Self {
        Key {
            lock: lock.map(at),
            project_lock: project.and_then(|p| p.lock).map(at),
            project_version: project.and_then(|p| p.project_version).map(at),
            packages: project.map_or_else(Vec::new, |p| {
                p.packages
                    .iter()
                    .map(|p| p.text.as_ref().ok().map(|t| at(t)))
                    .collect()
            }),
        }
    }
}

impl Prepared {
    /// Parses `lock` (the lock text the manifest rules check, [`crate::LintOptions::lock`]) and
    /// the project's lock, `package.json` files and Editor version.
    pub fn new(lock: Option<&str>, project: Option<&ProjectInput<'_>>) -> Self {
        let packages = project.map_or(&[][..], |p| p.packages.as_slice());
        let mut disk = Vec::with_capacity(packages.len());
        let mut resolution = Vec::with_capacity(packages.len());
        for package in packages {
            match &package.text {
                Ok(text) => {
                    if let Some(raw) = RawPackage::read(text) {
                        disk.push(Some(raw.for_rules()));
                        resolution.push(raw.for_resolution());
                        continue;
                    }
                    // What the strict reader leaves (and its errors): through serde_json.
                    let parsed = Node::parse(text);
                    disk.push(parsed.as_ref().ok().and_then(PackageJson::from_node));
                    resolution.push(graph::read_package_json(&parsed));
                }
                Err(missing) => {
                    disk.push(None);
                    resolution.push(Err(graph::missing_words(missing)));
                }
            }
        }
        let project_lock = project.and_then(|p| p.lock);
        // The lint's lock and the project's are the same file (the CLI and the server read it
        // once for each): one pass gives both readings.
        let (lock_file, records) = match (lock, project_lock) {
            (Some(a), Some(b)) if a == b => match crate::lock::read_entries(a) {
                Some(entries) => (
                    Some(Ok(LockFile::from_entries(&entries))),
                    graph::records_of(&entries),
                ),
                None => (Some(crate::lock::parse_lock(a)), graph::read_lock(b)),
            },
            _ => (
                lock.map(crate::lock::parse_lock),
                project_lock.map(graph::read_lock).unwrap_or_default(),
            ),
        };
        Prepared {
            key: Key::new(lock, project),
            lock: lock_file,
            records,
            disk,
            resolution,
            editor: project
                .and_then(|p| p.project_version)
                .and_then(EditorVersion::from_project_version),
        }
    }

    /// Whether it was made from these very texts (the same strings in memory, not equal ones).
    pub fn is_for(&self, lock: Option<&str>, project: Option<&ProjectInput<'_>>) -> bool {
        self.key == Key::new(lock, project)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::{Missing, Origin, PackageInput};

    #[test]
    fn it_knows_the_texts_it_was_made_from() {
        let lock = String::from(r#"{"dependencies": {}}"#);
        let same_bytes = lock.clone();
        let package = String::from(r#"{"name": "com.acme.tool", "version": "1.0.0"}"#);
        let input = ProjectInput {
            lock: Some(&lock),
            packages: vec![
                PackageInput {
                    origin: Origin::Embedded { dir: "tool".into() },
                    path: "Packages/tool/package.json".into(),
                    text: Ok(&package),
                },
                PackageInput {
                    origin: Origin::Embedded { dir: "gone".into() },
                    path: "Packages/gone/package.json".into(),
                    text: Err(Missing::NoPackageJson),
                },
            ],
            ..ProjectInput::default()
        };
        let prepared = Prepared::new(Some(&lock), Some(&input));
        assert!(prepared.is_for(Some(&lock), Some(&input)));
        // Equal bytes elsewhere in memory are other texts (the cache is by identity).
        assert!(!prepared.is_for(Some(&same_bytes), Some(&input)));
        assert!(!prepared.is_for(None, Some(&input)));
        let fewer = ProjectInput {
            packages: input.packages[..1].to_vec(),
            ..input.clone()
        };
        assert!(!prepared.is_for(Some(&lock), Some(&fewer)));
        assert_eq!(prepared.disk.len(), 2);
        assert_eq!(
            prepared.disk[0].as_ref().and_then(|p| p.name.as_deref()),
            Some("com.acme.tool")
        );
        assert!(prepared.resolution[1].is_err());
        assert!(matches!(prepared.lock, Some(Ok(_))));
    }

    /// A lint uses a `Prepared` made from its very texts, and ignores one made from others:
    /// the stale one here says the lock agrees with the manifest, the real lock does not.
    #[test]
    fn a_lint_ignores_a_prepared_made_from_other_texts() {
        let manifest = r#"{"dependencies": {"com.acme.tool": "1.0.0"}}"#;
        let lock_of = |url: &str| {
            format!(
                r#"{{"dependencies": {{"com.acme.tool": {{"version": "1.0.0", "depth": 0, "source": "registry", "dependencies": {{}}, "url": "{url}"}}}}}}"#
            )
        };
        let (lock, agreeing) = (
            lock_of("https://npm.acme.example.com"),
            lock_of("https://packages.unity.com"),
        );
        let input = ProjectInput {
            manifest,
            lock: Some(&lock),
            ..ProjectInput::default()
        };
        let rules = |prepared: Option<&Prepared>| {
            let options = crate::LintOptions {
                lock: Some(&lock),
                project: Some(&input),
                prepared,
                ..crate::LintOptions::default()
            };
            let analysis = crate::lint(manifest, &options);
            analysis
                .diagnostics
                .iter()
                .map(|d| d.rule.id)
                .collect::<Vec<_>>()
        };
        let fresh = rules(None);
        assert!(fresh.contains(&"stale-lock"), "{fresh:?}");
        let same = Prepared::new(Some(&lock), Some(&input));
        assert_eq!(rules(Some(&same)), fresh);
        let other = ProjectInput {
            lock: Some(&agreeing),
            ..input.clone()
        };
        let stale = Prepared::new(Some(&agreeing), Some(&other));
        assert!(stale.lock.as_ref().is_some_and(|l| l.is_ok()));
        assert_eq!(rules(Some(&stale)), fresh);
    }
}
