//! The diagnostics core of manifest-lint.
//!
//! Pure and synchronous: text in, diagnostics and a resolution model out. Spans are byte offsets
//! into the text; [`text::LineIndex`] turns them into lines and columns at the edges. Facts from
//! the network arrive as [`facts::OnlineFacts`]; the core never fetches anything. A text of
//! 256 KiB or more has its rules run on two threads where the machine has two cores (scoped
//! threads, joined before [`lint`] returns: the call stays synchronous, and its result is the
//! same).
//!
//! ```
//! use manifest_lint_core::{lint, LintOptions};
//! let analysis = lint(r#"{"scopedRegistries": [{"name": "x", "url": "https://r.example.com", "scopes": ["com.example.*"]}]}"#, &LintOptions::default());
//! assert_eq!(analysis.diagnostics[0].rule.id, "glob-scope");
//! ```

use std::borrow::Cow;
use std::collections::HashMap;

pub mod config;
pub mod diagnostic;
pub mod facts;
pub mod fix;
pub mod format;
pub mod json_text;
pub mod keys;
pub mod known;
pub mod lock;
pub mod model;
pub mod naming;
pub mod package;
pub mod parse;
pub mod project;
pub mod resolve;
pub mod rules;
pub mod text;
pub mod tree;
pub mod url;
pub mod version;

pub use diagnostic::{Applicability, Diagnostic, Edit, Fix, Label, Severity};
pub use facts::OnlineFacts;
pub use model::Manifest;
pub use resolve::{Resolution, Resolver, ScopeRef};
pub use rules::{Files, RULES, RuleMeta, rule};
pub use text::{Encoding, LineIndex, Position, Span};

/// What a configuration may do to a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleLevel {
    Off,
    On(Severity),
}

/// Which kind of file a text is: the rules that run, and the words of the messages, depend on it.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// A project manifest, `Packages/manifest.json`.
    #[default]
    Manifest,
    /// A package manifest, the `package.json` at the root of a package.
    Package,
}

impl FileKind {
    /// By file name: a file named `package.json` is a package manifest, any other a project
    /// manifest (`manifest.json`, or whatever name a user passes).
    pub fn of_path(path: &std::path::Path) -> Self {
        if path.file_name().is_some_and(|n| n == "package.json") {
            FileKind::Package
        } else {
            FileKind::Manifest
        }
    }

    /// What messages call the file: "manifest", "package.json".
    pub const fn noun(self) -> &'static str {
        match self {
            FileKind::Manifest => "manifest",
            FileKind::Package => "package.json",
        }
    }
}

/// Inputs besides the text.
#[derive(Debug, Default, Clone)]
pub struct LintOptions<'a> {
    /// What kind of file the text is (a project manifest unless said otherwise).
    pub kind: FileKind,
    /// What the registry probes found; `None` when offline (online rules then stay silent).
    pub facts: Option<&'a OnlineFacts>,
    /// Per-rule overrides by rule id.
    pub levels: HashMap<String, RuleLevel>,
    /// The text of `Packages/packages-lock.json` when it sits beside the manifest; `None` skips
    /// the lock checks (`stale-lock`).
    pub lock: Option<&'a str>,
    /// The project's files beside the manifest (`check PROJECT`, the language server): turns
    /// the project diagnostics on (packages on disk, transitive dependencies, the Editor
    /// version). `None` lints the manifest alone. Its `manifest` is not read: the linted text
    /// takes its place, so that an editor's buffer is checked against the files as last read.
    pub project: Option<&'a project::ProjectInput<'a>>,
    /// `lock` and `project`'s other files already parsed, for a caller that lints the same
    /// project many times (the language server, on every keystroke): made once with
    /// [`project::Prepared::new`]`(lock, project)`. Ignored, and the texts parsed anew, when it
    /// was made from other texts; `None` parses them on every lint.
    pub prepared: Option<&'a project::Prepared>,
}

/// The result of linting one manifest.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// What kind of file was linted (as [`LintOptions::kind`] said).
    pub kind: FileKind,
    /// The package model, when the file is a `package.json`.
    pub package: Option<package::PackageJson>,
    /// For a project manifest, the manifest; for a `package.json`, its `dependencies` (and any
    /// `scopedRegistries`, which Unity ignores there) in the same model.
    pub manifest: Manifest,
    pub resolver: Resolver,
    /// Sorted by position, then rule id.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the text parsed (permissively) into a tree; when false the model is empty.
    pub parsed: bool,
    /// Byte spans of credentials inside the text (user-info in registry URLs, passwords and
    /// tokens in Git dependency URLs). The diagnostics' words never contain them (the core
    /// replaces them with `***`); renderers that
    /// show source snippets mask these bytes so no output ever repeats a secret.
    pub secrets: Vec<Span>,
    /// What Unity would install ([`project::resolve`]), for a project manifest linted with
    /// [`LintOptions::project`]; `None` otherwise.
    pub graph: Option<project::ProjectGraph>,
}

impl Analysis {
    pub fn resolve(&self, package: &str) -> Resolution {
        self.resolver.resolve(package)
    }

    /// Which registry `package` comes from and why.
    pub fn explain(&self, package: &str) -> resolve::Explanation {
        resolve::Explanation::new(&self.manifest, &self.resolver, package)
    }

    /// What online checks should ask: each registry with a usable URL, its scopes, and the
    /// registry dependencies (exact versions, not `file:` or Git) that resolve to it; the default
    /// registry last, for the dependencies no scope covers. Registries in manifest order.
    /// Built-in modules (`com.unity.modules.*`) come with the Editor and are not asked about,
    /// unless the registry they resolve to sets `overrideBuiltIns`.
    pub fn probe_targets(&self) -> Vec<facts::ProbeTarget> {
        self.probe_targets_skipping(|_| false, |_| false)
    }

    /// [`Analysis::probe_targets`] for a manifest in a project: besides the built-in modules,
    /// what Unity never fetches is left out too: embedded packages (`Packages/<dir>/`, by the
    /// name their `package.json` gives) and what the lock file records as `builtin`.
    pub fn probe_targets_in(&self, project: &project::ProjectInput<'_>) -> Vec<facts::ProbeTarget> {
        let embedded = project::check::embedded_package_names(project);
        let builtin = project::check::lock_builtins(project.lock);
        self.probe_targets_skipping(
            |name| embedded.iter().any(|e| e == name),
            |name| builtin.iter().any(|b| b == name),
        )
    }

    fn probe_targets_skipping(
        &self,
        embedded: impl Fn(&str) -> bool,
        builtin: impl Fn(&str) -> bool,
    ) -> Vec<facts::ProbeTarget> {
        let registries = self.manifest.registries();
        let mut targets: Vec<facts::ProbeTarget> = registries
            .iter()
            .map(|r| facts::ProbeTarget {
                url: r
                    .url
                    .as_ref()
                    .map(|u| u.value.as_str().to_owned())
                    .unwrap_or_default(),
                scopes: r
                    .scopes
                    .as_ref()
                    .map(|s| {
                        s.items
                            .iter()
                            .map(|i| i.value.as_str().to_owned())
                            .collect()
                    })
                    .unwrap_or_default(),
                packages: Vec::new(),
            })
            .collect();
        let mut default = facts::ProbeTarget {
            url: self.manifest.default_registry_url().to_string(),
            ..Default::default()
        };
        for dep in self.manifest.dependencies() {
            let Some(version) = &dep.version else {
                continue;
            };
            if !matches!(
                version::classify(&version.value),
                Ok(version::DependencySource::Registry(_))
            ) {
                continue;
            }
            let name = dep.name.value.as_str();
            if embedded(name) {
                continue;
            }
            let winner = self.resolver.winner(name);
            let overrides_builtins =
                winner.is_some_and(|w| registries[w.registry].override_built_ins == Some(true));
            if !overrides_builtins && (name.starts_with("com.unity.modules.") || builtin(name)) {
                continue;
            }
            let target = match winner {
                Some(w) => &mut targets[w.registry],
                None => &mut default,
            };
            if !target.packages.iter().any(|p| *p == dep.name.value) {
                target.packages.push(dep.name.value.as_str().to_owned());
            }
        }
        targets.push(default);
        targets.retain(|t| {
            url::parse_registry_url(&t.url).is_ok() && url::userinfo_range(&t.url).is_none()
        });
        targets
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// Lints raw bytes: text that is not UTF-8 gets one `invalid-json` diagnostic at the first bad
/// byte. Returns the text the spans refer to (lossily decoded when the bytes were not UTF-8).
pub fn lint_bytes<'b>(bytes: &'b [u8], options: &LintOptions<'_>) -> (Cow<'b, str>, Analysis) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), lint(text, options)),
        Err(err) => {
            let text = String::from_utf8_lossy(bytes);
            let input = rules::InputProblems {
                invalid_utf8: Some(err.valid_up_to()),
                ..Default::default()
            };
            let analysis = finish(&text, None, input, options);
            (text, analysis)
        }
    }
}

/// Lints a manifest's text, or a `package.json`'s when `options.kind` is [`FileKind::Package`]
/// (see [`package::lint`]).
pub fn lint(text: &str, options: &LintOptions<'_>) -> Analysis {
    let mut input = rules::InputProblems::default();
    // A BOM is blanked out (same length, so every span stays right) and reported.
    let blanked;
    let parse_text = if let Some(rest) = text.strip_prefix('\u{feff}') {
        input.bom = true;
        blanked = format!("   {rest}");
        blanked.as_str()
    } else {
        text
    };
    if parse_text.trim().is_empty() {
        input.empty = true;
        return finish(text, None, input, options);
    }
    // Nearly every manifest is strict JSON: one pass proves it and builds the same tree the
    // permissive parser would, and the strictness check is then moot.
    if let Some(value) = parse::parse_strict(parse_text) {
        return finish(text, Some(&value), input, options);
    }
    let parsed = match parse::parse_permissive(parse_text) {
        Ok(parsed) => parsed,
        Err(err) => {
            input.syntax_error = Some(err);
            return finish(text, None, input, options);
        }
    };
    if let Err(strict) = parse::strict_check(parse_text) {
        input.departures = parse::departures(parse_text, parsed.value.as_ref());
        if input.departures.is_empty() {
            input.strict_error = Some(strict);
        }
    }
    finish(text, parsed.value.as_ref(), input, options)
}

fn finish(
    text: &str,
    ast: Option<&jsonc_parser::ast::Value<'_>>,
    input: rules::InputProblems,
    options: &LintOptions<'_>,
) -> Analysis {
    // A package.json has `dependencies` too (and sometimes `scopedRegistries`, which Unity
    // ignores there): the manifest model of them serves the shared rules and the secret scrub.
    let manifest = Manifest::from_ast(ast);
    let resolver = Resolver::new(&manifest);
    let package = (options.kind == FileKind::Package).then(|| package::PackageJson::from_ast(ast));
    // The project diagnostics are about a project manifest and the project around it.
    // The graph follows the linted text (an editor's buffer), not the manifest as last read.
    let project_input = match options.kind {
        FileKind::Manifest => options.project.map(|input| project::ProjectInput {
            manifest: text,
            ..input.clone()
        }),
        FileKind::Package => None,
    };
    // The lock and the project's package.json files: parsed once by a caller that keeps them
    // (`options.prepared`), else here.
    let (lock_text, project_files) = match options.kind {
        FileKind::Manifest => (options.lock, project_input.as_ref()),
        FileKind::Package => (None, None),
    };
    let made;
    let prepared = match options
        .prepared
        .filter(|p| p.is_for(lock_text, project_files))
    {
        Some(prepared) => prepared,
        None => {
            made = project::Prepared::new(lock_text, project_files);
            &made
        }
    };
    let project = project_input.as_ref().map(|input| {
        let parsed = ast.is_some().then_some((&manifest, &resolver));
        project::check::ProjectContext::new(input, parsed, prepared)
    });
    let ctx = rules::Context {
        text,
        kind: options.kind,
        package: package.as_ref(),
        ast,
        manifest: &manifest,
        resolver: &resolver,
        facts: options.facts,
        input: &input,
        lock: prepared.lock.as_ref(),
        project: project.as_ref(),
        caches: rules::Caches::default(),
    };
    let mut diagnostics = apply_levels_and_sort(rules::run_all(&ctx), options);
    let (secrets, git_secrets) = secrets(text, &manifest, ctx.source_kinds());
    scrub_secrets(
        &mut diagnostics,
        &secret_strings(text, &manifest, &secrets, git_secrets),
    );
    let graph = project.map(|p| p.graph);
    Analysis {
        graph,
        kind: options.kind,
        package,
        parsed: ast.is_some(),
        manifest,
        resolver,
        diagnostics,
        secrets,
    }
}

/// Lints the `package.json` of a package (embedded, local or one a team authors): the
/// diagnostics of [`package::lint`]. Spans refer to `text`; the options' rule levels apply as
/// for manifests.
pub fn lint_package_json(text: &str, options: &LintOptions<'_>) -> Vec<Diagnostic> {
    package::lint(text, options).diagnostics
}

/// Applies the configured rule levels (dropping rules turned off) and sorts by position.
fn apply_levels_and_sort(
    mut diagnostics: Vec<Diagnostic>,
    options: &LintOptions<'_>,
) -> Vec<Diagnostic> {
    if !options.levels.is_empty() {
        diagnostics.retain_mut(|d| match options.levels.get(d.rule.id) {
            Some(RuleLevel::Off) => false,
            Some(RuleLevel::On(severity)) => {
                d.severity = *severity;
                true
            }
            None => true,
        });
    }
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.span.end, a.rule.id).cmp(&(b.span.start, b.span.end, b.rule.id))
    });
    diagnostics
}

/// The secret spans, registries' first; and whether any is a dependency's. `kinds` are the
/// dependencies' [`version::SourceKind`]s: an exact version (nearly every value) holds no
/// credentials, so only the other values are searched.
fn secrets(
    text: &str,
    manifest: &Manifest,
    kinds: &[Option<version::SourceKind>],
) -> (Vec<Span>, bool) {
    let urls = manifest
        .registries()
        .iter()
        .filter_map(|r| r.url.as_ref())
        .chain(manifest.registry.as_ref());
    let registry_secrets = urls.filter_map(|url| {
        let inner = Span::new(url.span.start + 1, url.span.end.saturating_sub(1));
        let raw = text.get(inner.range())?;
        let range = url::userinfo_range(raw)?;
        Some(Span::new(
            inner.start + range.start,
            inner.start + range.end,
        ))
    });
    let git_secrets = manifest
        .dependencies()
        .iter()
        .zip(kinds)
        .filter(|(_, kind)| **kind != Some(version::SourceKind::Registry))
        .filter_map(|(dep, _)| rules::dependency_secret(text, dep));
    let mut spans: Vec<Span> = registry_secrets.collect();
    let registries = spans.len();
    spans.extend(git_secrets);
    let any_git = spans.len() > registries;
    (spans, any_git)
}

/// Every secret as text, longest first: the bytes under each secret span, and the credentials
/// of the decoded URL values (which differ from the raw bytes when the JSON string uses escapes).
///
/// A dependency's decoded credentials are looked for only when some dependency has a secret
/// span (`git_secrets`): every dependency whose decoded value has credentials has one (the
/// whole value when its raw text spells them with escapes), so without any the search over
/// every dependency (a large manifest's 120,000) finds nothing.
fn secret_strings(
    text: &str,
    manifest: &Manifest,
    secrets: &[Span],
    git_secrets: bool,
) -> Vec<String> {
    let dependencies = if git_secrets {
        manifest.dependencies()
    } else {
        &[]
    };
    let decoded = manifest
        .registries()
        .iter()
        .filter_map(|r| r.url.as_ref())
        .chain(manifest.registry.as_ref())
        .filter_map(|u| url::userinfo_range(&u.value).map(|r| u.value[r].to_string()))
        .chain(dependencies.iter().filter_map(|d| {
            let v = &d.version.as_ref()?.value;
            url::dependency_credentials_range(v).map(|r| v[r].to_string())
        }));
    let mut all: Vec<String> = secrets
        .iter()
        .filter_map(|s| text.get(s.range()).map(str::to_string))
        .chain(decoded)
        .filter(|s| !s.is_empty())
        .collect();
    all.sort_by_key(|s| std::cmp::Reverse(s.len()));
    all.dedup();
    all
}

/// Replaces every secret inside the words of the diagnostics (messages, notes, labels, fix
/// titles) with `***`, so that no renderer can repeat one whatever a rule quoted.
fn scrub_secrets(diagnostics: &mut [Diagnostic], secrets: &[String]) {
    if secrets.is_empty() {
        return;
    }
    let scrub = |s: &mut String| {
        for secret in secrets {
            if s.contains(secret.as_str()) {
                *s = s.replace(secret.as_str(), "***");
            }
        }
    };
    for d in diagnostics {
        scrub(&mut d.message);
        d.notes.iter_mut().for_each(scrub);
        d.labels.iter_mut().for_each(|l| scrub(&mut l.message));
        if let Some(fix) = &mut d.fix {
            scrub(&mut fix.title);
        }
    }
}

/// `text` with every secret span's bytes replaced by `*` (same length, so spans still apply).
pub fn mask_secrets<'t>(text: &'t str, secrets: &[Span]) -> Cow<'t, str> {
    if secrets.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    for span in secrets {
        for b in &mut bytes[span.start.min(text.len())..span.end.min(text.len())] {
            *b = b'*';
        }
    }
    // Masking whole characters' bytes with ASCII keeps UTF-8 valid only when spans are on
    // character boundaries, which URL user-info spans are; fall back to a lossy decode anyway.
    Cow::Owned(
        String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
    )
}
