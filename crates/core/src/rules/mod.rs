//! The rules: one file each, each declared with [`declare_rule!`] so that its doc comment is its
//! documentation, and all listed once in [`RULES`], the table that drives `rules`, `explain`,
//! SARIF rule metadata and the language server's `codeDescription`.

use jsonc_parser::ast::Value;

use crate::diagnostic::{Diagnostic, Severity};
use crate::facts::OnlineFacts;
use crate::model::Manifest;
use crate::parse::{Departure, SyntaxError};
use crate::resolve::Resolver;

/// Where the rules' documentation is published; a rule's page is `DOCS_URL#<id>`.
pub const DOCS_URL: &str = "https://github.com/manifest-lint/manifest-lint/blob/main/docs/rules.md";

/// A rule's identity and documentation.
pub struct RuleMeta {
    /// Stable id, kebab-case: what users type in configuration and what SARIF calls `ruleId`.
    pub id: &'static str,
    pub default_severity: Severity,
    /// One line: what the rule finds.
    pub summary: &'static str,
    /// Raw doc comment (sections "What it does", "Why is this bad?", "Example", "How to fix").
    doc: &'static str,
    /// Whether the rule needs facts from the network (`--online`).
    pub online: bool,
    /// Which files the rule looks at.
    pub files: Files,
    check: fn(&Context<'_>, &mut Vec<Diagnostic>),
}

impl RuleMeta {
    /// The documentation as Markdown.
    pub fn documentation(&self) -> String {
        let mut out = String::with_capacity(self.doc.len());
        for line in self.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.trim().to_string()
    }

    pub fn url(&self) -> String {
        format!("{DOCS_URL}#{}", self.id)
    }
}

/// Which files a rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Files {
    /// Project manifests (`Packages/manifest.json`) only.
    Manifest,
    /// Package manifests (a package's `package.json`) only.
    Package,
    /// Both kinds.
    Both,
}

impl Files {
    pub fn covers(self, kind: crate::FileKind) -> bool {
        matches!(
            (self, kind),
            (Files::Both, _)
                | (Files::Manifest, crate::FileKind::Manifest)
                | (Files::Package, crate::FileKind::Package)
        )
    }

    /// As documentation says it.
    pub const fn label(self) -> &'static str {
        match self {
            Files::Manifest => "`Packages/manifest.json`",
            Files::Package => "`package.json`",
            Files::Both => "`Packages/manifest.json` and `package.json`",
        }
    }

    /// The short marker for rule tables: "" for manifests, else which files.
    pub const fn marker(self) -> &'static str {
        match self {
            Files::Manifest => "",
            Files::Package => " (package.json)",
            Files::Both => " (also package.json)",
        }
    }
}

impl std::fmt::Debug for RuleMeta {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id)
    }
}

impl PartialEq for RuleMeta {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for RuleMeta {}

/// A rule's [`Files`]: project manifests unless it says otherwise.
macro_rules! rule_files {
    () => {
        $crate::rules::Files::Manifest
    };
    ($files:ident) => {
        $crate::rules::Files::$files
    };
}

/// Declares a rule. The doc comment becomes the rule's documentation.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub static $name:ident = {
            id: $id:literal,
            severity: $severity:ident,
            summary: $summary:literal,
            $(online: $online:literal,)?
            $(files: $files:ident,)?
            check: $check:path $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub static $name: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
            id: $id,
            default_severity: $crate::diagnostic::Severity::$severity,
            summary: $summary,
            doc: concat!($($doc, "\n"),*),
            online: false $(|| $online)?,
            files: rule_files!($($files)?),
            check: $check,
        };
    };
}

/// Everything a rule may look at. Rules never see the network: online facts come in `facts`.
pub struct Context<'a> {
    pub text: &'a str,
    /// Which kind of file this is; only the rules whose [`Files`] cover it run.
    pub kind: crate::FileKind,
    /// The package model, when the file is a `package.json`.
    pub package: Option<&'a crate::package::PackageJson>,
    /// The permissively parsed tree, when the text parsed at all.
    pub ast: Option<&'a Value<'a>>,
    pub manifest: &'a Manifest,
    pub resolver: &'a Resolver,
    pub facts: Option<&'a OnlineFacts>,
    /// Input-level problems for `invalid-json`.
    pub input: &'a InputProblems,
    /// The lock file beside the manifest, parsed (or why it could not be), for `stale-lock`.
    pub lock: Option<&'a Result<crate::lock::LockFile, crate::lock::LockError>>,
    /// The project around the manifest, when its files were given (the project rules).
    pub project: Option<&'a crate::project::check::ProjectContext<'a>>,
    /// Lookups built once per lint, on first use (see [`Caches`]).
    pub caches: Caches<'a>,
}

/// What several rules would otherwise recompute: filled lazily, once per lint (by whichever
/// rule asks first: [`run_all`] may run rules on two threads, and the other waits for it).
#[derive(Default)]
pub struct Caches<'a> {
    /// The lock's entries by package name (the first entry of a name), built on the first
    /// [`Context::locked`] call: a linear search per dependency made a large manifest with a lock
    /// quadratic.
    locked: std::sync::OnceLock<rustc_hash::FxHashMap<&'a str, &'a crate::lock::LockEntry>>,
    /// [`crate::url::check_registry_url`] of each of [`Context::registry_urls`], in that order:
    /// the URL rules read it instead of parsing every URL again, rule after rule.
    registry_urls:
        std::sync::OnceLock<Vec<Result<crate::url::RegistryUrl, crate::url::UrlProblem>>>,
    /// The manifest's dependencies by name (the last entry of a name), for [`Context::dependency`].
    dependencies: std::sync::OnceLock<rustc_hash::FxHashMap<&'a str, &'a crate::model::Dependency>>,
    /// [`crate::version::source_kind`] of each dependency's value (`None`: not a string), in
    /// manifest order: the rules that ask what a value is read it instead of classifying every
    /// value again, rule after rule.
    source_kinds: std::sync::OnceLock<Vec<Option<crate::version::SourceKind>>>,
}

impl<'a> Context<'a> {
    /// The URL and display name of the registry a package resolves to.
    pub fn registry_for(&self, package: &str) -> (&str, String) {
        match self.resolver.winner(package) {
            Some(winner) => {
                let registry = &self.manifest.registries()[winner.registry];
                (
                    registry.url.as_ref().map_or("", |u| u.value.as_str()),
                    registry.display_name(),
                )
            }
            None => {
                let url = self.manifest.default_registry_url();
                let name = if url == crate::model::UNITY_REGISTRY_URL {
                    "Unity's registry".to_string()
                } else {
                    "the default registry".to_string()
                };
                (url, name)
            }
        }
    }

    /// The lock file's entry for `package`, when a lock was given and parsed.
    pub fn locked(&self, package: &str) -> Option<&'a crate::lock::LockEntry> {
        let lock: &'a crate::lock::LockFile = self.lock?.as_ref().ok()?;
        let index = self.caches.locked.get_or_init(|| {
            let mut index = rustc_hash::FxHashMap::with_capacity_and_hasher(
                lock.entries.len(),
                Default::default(),
            );
            for entry in &lock.entries {
                index.entry(entry.name.as_str()).or_insert(entry);
            }
            index
        });
        index.get(package).copied()
    }

    /// The manifest's dependency named `name` (the last one, when the name is repeated); the map
    /// is built on first use.
    pub fn dependency(&self, name: &str) -> Option<&'a crate::model::Dependency> {
        let manifest: &'a Manifest = self.manifest;
        let index = self.caches.dependencies.get_or_init(|| {
            manifest
                .dependencies()
                .iter()
                .map(|d| (d.name.value.as_str(), d))
                .collect()
        });
        index.get(name).copied()
    }

    /// What each of the manifest's dependencies asks for ([`crate::version::source_kind`] of its
    /// value; `None` when the value is not a string), in the order of
    /// [`Manifest::dependencies`]; classified once per lint, on first use.
    pub fn source_kinds(&self) -> &[Option<crate::version::SourceKind>] {
        self.caches.source_kinds.get_or_init(|| {
            self.manifest
                .dependencies()
                .iter()
                .map(|d| {
                    d.version
                        .as_ref()
                        .map(|v| crate::version::source_kind(&v.value))
                })
                .collect()
        })
    }

    /// Every string scope of every registry, in manifest order.
    pub fn scopes(&self) -> impl Iterator<Item = ScopeEntry<'_>> {
        self.manifest
            .registries()
            .iter()
            .enumerate()
            .flat_map(|(r, registry)| {
                registry.scopes.iter().flat_map(move |list| {
                    list.items
                        .iter()
                        .enumerate()
                        .map(move |(s, scope)| ScopeEntry {
                            at: crate::resolve::ScopeRef {
                                registry: r,
                                scope: s,
                            },
                            registry,
                            list,
                            scope,
                        })
                })
            })
    }

    /// Every registry URL string of the manifest with its span (scoped registries, then the
    /// legacy top-level `registry`).
    pub fn registry_urls(&self) -> impl Iterator<Item = &crate::model::Str> {
        self.manifest
            .registries()
            .iter()
            .filter_map(|r| r.url.as_ref())
            .chain(self.manifest.registry.as_ref())
    }

    /// [`Self::registry_urls`], each with [`crate::url::check_registry_url`]'s answer for it,
    /// checked once per lint (on first use) whichever rules ask.
    pub fn parsed_registry_urls(
        &self,
    ) -> impl Iterator<
        Item = (
            &crate::model::Str,
            &Result<crate::url::RegistryUrl, crate::url::UrlProblem>,
        ),
    > {
        let parsed = self.caches.registry_urls.get_or_init(|| {
            self.registry_urls()
                .map(|u| crate::url::check_registry_url(&u.value))
                .collect()
        });
        self.registry_urls().zip(parsed)
    }
}

/// One scope of one registry, with what rules need around it.
pub struct ScopeEntry<'a> {
    /// Its place, as the resolver names it.
    pub at: crate::resolve::ScopeRef,
    pub registry: &'a crate::model::ScopedRegistry,
    /// The registry's whole `scopes` array (for list edits).
    pub list: &'a crate::model::Scopes,
    pub scope: &'a crate::model::Scope,
}

/// What went wrong before (or instead of) building the model.
#[derive(Debug, Default)]
pub struct InputProblems {
    pub syntax_error: Option<SyntaxError>,
    pub departures: Vec<Departure>,
    /// The strict parser's complaint when the permissive walk found no departure to explain it.
    pub strict_error: Option<(crate::text::Span, String)>,
    pub bom: bool,
    /// Offset of the first byte that is not UTF-8.
    pub invalid_utf8: Option<usize>,
    pub empty: bool,
}

mod builtin_module_unavailable;
mod dead_registry;
mod dependency_names;
mod duplicate_key;
mod duplicate_registry;
mod duplicate_scope;
mod editor_too_old;
mod empty_manifest;
mod empty_scopes;
mod git_url_credentials;
mod glob_scope;
mod ignored_scoped_registries;
mod insecure_registry_url;
mod invalid_json;
mod invalid_package_version;
mod invalid_registry_url;
mod invalid_scope;
mod invalid_transitive_dependency;
mod invalid_unity_release;
mod invalid_unity_version;
mod invalid_value;
mod invalid_version;
mod legacy_registry;
mod local_package_missing;
mod major_version_conflict;
mod missing_property;
mod npm_scope_notation;
mod obsolete_package;
mod package_not_found;
mod pinned_package_missing;
mod redundant_scope;
mod registry_not_checked;
mod registry_not_searchable;
mod registry_unauthorized;
mod registry_url_credentials;
mod sample_without_path;
mod shadowed_scope;
mod stale_lock;
mod transitive_package_not_found;
mod transitive_version_not_found;
mod unity_scope_override;
mod unknown_property;
mod unreachable_registry;
mod unscoped_dependency;
mod unscoped_transitive_dependency;
mod version_not_found;
mod wrong_type;

pub use dead_registry::DEAD_REGISTRY;
// For `crate::naming`, which checks names typed outside a manifest (an editor's rename).
pub(crate) use dependency_names::problem as package_name_problem;
pub(crate) use glob_scope::GLOB_CHARS;
pub(crate) use invalid_scope::problem as scope_shape_problem;

pub use builtin_module_unavailable::BUILTIN_MODULE_UNAVAILABLE;
pub use dependency_names::INVALID_PACKAGE_NAME;
pub use duplicate_key::DUPLICATE_KEY;
pub use duplicate_registry::DUPLICATE_REGISTRY;
pub use duplicate_scope::DUPLICATE_SCOPE;
pub use editor_too_old::EDITOR_TOO_OLD;
pub use empty_manifest::EMPTY_MANIFEST;
pub use empty_scopes::EMPTY_SCOPES;
pub use git_url_credentials::GIT_URL_CREDENTIALS;
pub(crate) use git_url_credentials::dependency_secret;
pub use glob_scope::GLOB_SCOPE;
pub use ignored_scoped_registries::IGNORED_SCOPED_REGISTRIES;
pub use insecure_registry_url::INSECURE_REGISTRY_URL;
pub use invalid_json::INVALID_JSON;
pub use invalid_package_version::INVALID_PACKAGE_VERSION;
pub use invalid_registry_url::INVALID_REGISTRY_URL;
pub use invalid_scope::INVALID_SCOPE;
pub use invalid_transitive_dependency::INVALID_TRANSITIVE_DEPENDENCY;
pub use invalid_unity_release::INVALID_UNITY_RELEASE;
pub use invalid_unity_version::INVALID_UNITY_VERSION;
pub use invalid_value::INVALID_VALUE;
pub use invalid_version::INVALID_VERSION;
pub use legacy_registry::LEGACY_REGISTRY;
pub use local_package_missing::LOCAL_PACKAGE_MISSING;
pub use major_version_conflict::MAJOR_VERSION_CONFLICT;
pub use missing_property::MISSING_PROPERTY;
pub use npm_scope_notation::NPM_SCOPE_NOTATION;
pub use obsolete_package::OBSOLETE_PACKAGE;
pub use package_not_found::PACKAGE_NOT_FOUND;
pub use pinned_package_missing::PINNED_PACKAGE_MISSING;
pub use redundant_scope::REDUNDANT_SCOPE;
pub use registry_not_checked::REGISTRY_NOT_CHECKED;
pub use registry_not_searchable::REGISTRY_NOT_SEARCHABLE;
pub use registry_unauthorized::REGISTRY_UNAUTHORIZED;
pub use registry_url_credentials::REGISTRY_URL_CREDENTIALS;
pub use sample_without_path::SAMPLE_WITHOUT_PATH;
pub use shadowed_scope::SHADOWED_SCOPE;
pub use stale_lock::STALE_LOCK;
pub use transitive_package_not_found::TRANSITIVE_PACKAGE_NOT_FOUND;
pub use transitive_version_not_found::TRANSITIVE_VERSION_NOT_FOUND;
pub use unity_scope_override::UNITY_SCOPE_OVERRIDE;
pub use unknown_property::UNKNOWN_PROPERTY;
pub use unreachable_registry::UNREACHABLE_REGISTRY;
pub use unscoped_dependency::UNSCOPED_DEPENDENCY;
pub use unscoped_transitive_dependency::UNSCOPED_TRANSITIVE_DEPENDENCY;
pub use version_not_found::VERSION_NOT_FOUND;
pub use wrong_type::WRONG_TYPE;

/// Every rule, in the order `manifest-lint rules` lists them.
pub static RULES: &[&RuleMeta] = &[
    &INVALID_JSON,
    &DUPLICATE_KEY,
    &WRONG_TYPE,
    &INVALID_VALUE,
    &MISSING_PROPERTY,
    &UNKNOWN_PROPERTY,
    &EMPTY_MANIFEST,
    &NPM_SCOPE_NOTATION,
    &GLOB_SCOPE,
    &INVALID_SCOPE,
    &EMPTY_SCOPES,
    &DUPLICATE_SCOPE,
    &SHADOWED_SCOPE,
    &REDUNDANT_SCOPE,
    &UNITY_SCOPE_OVERRIDE,
    &INVALID_REGISTRY_URL,
    &INSECURE_REGISTRY_URL,
    &REGISTRY_URL_CREDENTIALS,
    &GIT_URL_CREDENTIALS,
    &DUPLICATE_REGISTRY,
    &DEAD_REGISTRY,
    &LEGACY_REGISTRY,
    &INVALID_PACKAGE_NAME,
    &INVALID_VERSION,
    &OBSOLETE_PACKAGE,
    &UNSCOPED_DEPENDENCY,
    &PINNED_PACKAGE_MISSING,
    &STALE_LOCK,
    &IGNORED_SCOPED_REGISTRIES,
    &INVALID_PACKAGE_VERSION,
    &INVALID_UNITY_VERSION,
    &INVALID_UNITY_RELEASE,
    &SAMPLE_WITHOUT_PATH,
    &UNREACHABLE_REGISTRY,
    &REGISTRY_UNAUTHORIZED,
    &REGISTRY_NOT_SEARCHABLE,
    &PACKAGE_NOT_FOUND,
    &VERSION_NOT_FOUND,
    &REGISTRY_NOT_CHECKED,
    // The project diagnostics (with the project's files: `check PROJECT`, the language server).
    &LOCAL_PACKAGE_MISSING,
    &EDITOR_TOO_OLD,
    &BUILTIN_MODULE_UNAVAILABLE,
    &INVALID_TRANSITIVE_DEPENDENCY,
    &UNSCOPED_TRANSITIVE_DEPENDENCY,
    &MAJOR_VERSION_CONFLICT,
    &TRANSITIVE_PACKAGE_NOT_FOUND,
    &TRANSITIVE_VERSION_NOT_FOUND,
];

/// Looks a rule up by id.
pub fn rule(id: &str) -> Option<&'static RuleMeta> {
    RULES.iter().copied().find(|r| r.id == id)
}

/// Texts at least this long have their rules run on two threads (when the machine has two
/// cores): below it a thread costs more than it saves. A typical manifest is a few kilobytes.
pub(crate) const PARALLEL_FROM: usize = 256 * 1024;

/// The rules whose work grows with every dependency or scope: on two threads they are handed
/// out first, so that neither thread is left with one of them at the end while the other idles.
static HEAVY: &[&RuleMeta] = &[
    &UNSCOPED_DEPENDENCY,
    &INVALID_PACKAGE_NAME,
    &DUPLICATE_KEY,
    &REDUNDANT_SCOPE,
    &GIT_URL_CREDENTIALS,
];

/// Runs every rule. The diagnostics come in [`RULES`] order, each rule's in the order it
/// reported them, whether the rules ran on one thread or two.
pub(crate) fn run_all(ctx: &Context<'_>) -> Vec<Diagnostic> {
    let rules: Vec<&RuleMeta> = RULES
        .iter()
        .copied()
        .filter(|r| r.files.covers(ctx.kind))
        .collect();
    if ctx.text.len() >= PARALLEL_FROM && two_cores() && !tests::one_thread() {
        if let Some(out) = run_on_two_threads(ctx, &rules) {
            return out;
        }
    }
    let mut out = Vec::new();
    for rule in rules {
        (rule.check)(ctx, &mut out);
    }
    out
}

fn two_cores() -> bool {
    std::thread::available_parallelism().is_ok_and(|n| n.get() >= 2)
}

/// [`run_all`]'s work shared by this thread and one more: each takes the next rule (the
/// [`HEAVY`] ones first) until none is left. `None` when the thread could not be started.
fn run_on_two_threads(ctx: &Context<'_>, rules: &[&RuleMeta]) -> Option<Vec<Diagnostic>> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let mut order: Vec<usize> = (0..rules.len())
        .filter(|&i| HEAVY.contains(&rules[i]))
        .collect();
    order.extend((0..rules.len()).filter(|&i| !HEAVY.contains(&rules[i])));
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done: Vec<(usize, Vec<Diagnostic>)> = Vec::new();
        while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
            let mut out = Vec::new();
            (rules[i].check)(ctx, &mut out);
            done.push((i, out));
        }
        done
    };
    let mut done = std::thread::scope(|scope| {
        let other = std::thread::Builder::new()
            .name("manifest-lint rules".into())
            .spawn_scoped(scope, work)
            .ok()?;
        let mut done = work();
        // A rule that panicked on the other thread panics here, as it would have run alone.
        done.extend(
            other
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p)),
        );
        Some(done)
    })?;
    done.sort_unstable_by_key(|(i, _)| *i);
    Some(done.into_iter().flat_map(|(_, out)| out).collect())
}

/// The closest candidate to `word` by Jaro-Winkler similarity, when it is close enough to be
/// worth a "did you mean".
pub fn did_you_mean<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::jaro_winkler(&word.to_lowercase(), &c.to_lowercase()),
                c,
            )
        })
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Shared helpers for rule files.
pub(crate) mod prelude {
    pub(crate) use super::Context;
    pub(crate) use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
    pub(crate) use crate::text::Span;

    /// A JSON string literal for `value`, for replacements.
    pub(crate) fn json_string(value: &str) -> String {
        serde_json::to_string(value).unwrap_or_else(|_| format!("\"{value}\""))
    }
}

/// Outside the tests no run is held to one thread.
#[cfg(not(test))]
mod tests {
    pub(super) fn one_thread() -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        /// Set by a test to have the lints on its thread run every rule on that one thread.
        static ONE_THREAD: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    pub(super) fn one_thread() -> bool {
        ONE_THREAD.with(std::cell::Cell::get)
    }

    /// Every fixture, padded with trailing white space (the same JSON, the same spans) to the
    /// length that has the rules run on two threads, gives the very diagnostics, in the very
    /// order, that one thread gives.
    #[test]
    fn two_threads_report_what_one_thread_does() {
        assert!(
            two_cores(),
            "this test needs two cores to run the rules on two threads"
        );
        let fixtures =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
        let mut files = 0;
        let mut reported = std::collections::BTreeSet::new();
        for dir in std::fs::read_dir(&fixtures).expect("tests/fixtures") {
            for name in ["fail.json", "pass.json"] {
                let Ok(text) = std::fs::read_to_string(dir.as_ref().unwrap().path().join(name))
                else {
                    continue;
                };
                let padded = format!("{text}{}", " ".repeat(PARALLEL_FROM));
                let options = crate::LintOptions::default();
                let two = crate::lint(&padded, &options).diagnostics;
                ONE_THREAD.with(|one| one.set(true));
                let one = crate::lint(&padded, &options).diagnostics;
                ONE_THREAD.with(|one| one.set(false));
                assert_eq!(two, one, "{name} in {:?}", dir.unwrap().path());
                reported.extend(one.iter().map(|d| d.rule.id));
                files += 1;
            }
        }
        assert!(files > 50, "only {files} fixtures read");
        assert!(
            reported.len() > 25,
            "only {} rules reported",
            reported.len()
        );
    }

    #[test]
    fn ids_are_unique_kebab_case_and_documented() {
        let mut seen = std::collections::HashSet::new();
        for rule in RULES {
            assert!(seen.insert(rule.id), "duplicate id {}", rule.id);
            assert!(
                rule.id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{}",
                rule.id
            );
            let doc = rule.documentation();
            for section in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "## How to fix",
            ] {
                assert!(doc.contains(section), "{} lacks {section}", rule.id);
            }
            assert!(
                !rule.summary.ends_with('.'),
                "{}: summary is a phrase",
                rule.id
            );
        }
    }
}
