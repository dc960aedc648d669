//! The project diagnostics: the manifest linted with the project's files around it
//! (`LintOptions::project`), each rule on small inline projects.

use manifest_lint_core::project::{Missing, Origin, PackageInput, ProjectInput};
use manifest_lint_core::{Analysis, LintOptions, Severity, lint};

/// A package on disk: (origin, path, text or why missing).
type Disk<'a> = (Origin, &'a str, Result<&'a str, Missing>);

fn embedded<'a>(dir: &str, text: &'a str) -> Disk<'a> {
    (
        Origin::Embedded { dir: dir.into() },
        Box::leak(format!("Packages/{dir}/package.json").into_boxed_str()),
        Ok(text),
    )
}

fn local<'a>(
    dependency: &str,
    spec: &str,
    path: &'a str,
    text: Result<&'a str, Missing>,
) -> Disk<'a> {
    let origin = if spec.ends_with(".tgz") {
        Origin::LocalTarball {
            dependency: dependency.into(),
            spec: spec.into(),
        }
    } else {
        Origin::Local {
            dependency: dependency.into(),
            spec: spec.into(),
        }
    };
    (origin, path, text)
}

struct Project<'a> {
    manifest: &'a str,
    lock: Option<&'a str>,
    version: Option<&'a str>,
    disk: Vec<Disk<'a>>,
}

impl<'a> Project<'a> {
    fn new(manifest: &'a str) -> Self {
        Self {
            manifest,
            lock: None,
            version: None,
            disk: Vec::new(),
        }
    }

    fn input(&self) -> ProjectInput<'_> {
        ProjectInput {
            manifest: self.manifest,
            lock: self.lock,
            project_version: self.version,
            packages: self
                .disk
                .iter()
                .map(|(origin, path, text)| PackageInput {
                    origin: origin.clone(),
                    path: path.to_string(),
                    text: text.clone(),
                })
                .collect(),
            packuments: None,
        }
    }

    fn lint(&self) -> Analysis {
        let input = self.input();
        lint(
            self.manifest,
            &LintOptions {
                lock: self.lock,
                project: Some(&input),
                ..Default::default()
            },
        )
    }
}

/// (rule, severity, the text at the span, message) of the diagnostics of `rules`.
fn found(
    analysis: &Analysis,
    text: &str,
    rules: &[&str],
) -> Vec<(String, Severity, String, String)> {
    analysis
        .diagnostics
        .iter()
        .filter(|d| rules.contains(&d.rule.id))
        .map(|d| {
            (
                d.rule.id.to_string(),
                d.severity,
                text[d.span.range()].to_string(),
                d.message.clone(),
            )
        })
        .collect()
}

// ---- local-package-missing ----

#[test]
fn local_package_missing_folder_tarball_and_package_json() {
    let manifest = r#"{"dependencies": {
  "com.acme.gone": "file:../gone",
  "com.acme.empty": "file:../empty",
  "com.acme.tgz": "file:tool.tgz",
  "com.acme.badtgz": "file:bad.tgz",
  "com.acme.binary": "file:../binary",
  "com.acme.fine": "file:../fine"
}}"#;
    let mut p = Project::new(manifest);
    p.disk = vec![
        local(
            "com.acme.gone",
            "file:../gone",
            "gone/package.json",
            Err(Missing::NotFound),
        ),
        local(
            "com.acme.empty",
            "file:../empty",
            "empty/package.json",
            Err(Missing::NoPackageJson),
        ),
        local(
            "com.acme.tgz",
            "file:tool.tgz",
            "Packages/tool.tgz",
            Err(Missing::NotFound),
        ),
        local(
            "com.acme.badtgz",
            "file:bad.tgz",
            "Packages/bad.tgz",
            Err(Missing::NoPackageJson),
        ),
        local(
            "com.acme.binary",
            "file:../binary",
            "binary/package.json",
            Err(Missing::Unreadable(
                "package.json is not UTF-8 (byte 0)".into(),
            )),
        ),
        local(
            "com.acme.fine",
            "file:../fine",
            "fine/package.json",
            Ok(r#"{"name": "com.acme.fine", "version": "1.0.0"}"#),
        ),
    ];
    let analysis = p.lint();
    let got = found(&analysis, manifest, &["local-package-missing"]);
    assert_eq!(
        got,
        vec![
            (
                "local-package-missing".into(),
                Severity::Error,
                "\"file:../gone\"".into(),
                "No folder at `gone`: Unity cannot load `com.acme.gone`".into()
            ),
            (
                "local-package-missing".into(),
                Severity::Error,
                "\"file:../empty\"".into(),
                "The folder `empty` has no package.json, so it is not a package: Unity cannot load `com.acme.empty`".into()
            ),
            (
                "local-package-missing".into(),
                Severity::Error,
                "\"file:tool.tgz\"".into(),
                "No tarball at `Packages/tool.tgz`: Unity cannot load `com.acme.tgz`".into()
            ),
            (
                "local-package-missing".into(),
                Severity::Error,
                "\"file:bad.tgz\"".into(),
                "The tarball `Packages/bad.tgz` has no package/package.json: Unity cannot load `com.acme.badtgz`".into()
            ),
            (
                "local-package-missing".into(),
                Severity::Warning,
                "\"file:../binary\"".into(),
                "Cannot read the local package `com.acme.binary` at `binary`: package.json is not UTF-8 (byte 0)".into()
            ),
        ]
    );
}

#[test]
fn without_the_project_files_there_are_no_project_diagnostics() {
    let manifest = r#"{"dependencies": {"com.acme.gone": "file:../gone"}}"#;
    let analysis = lint(manifest, &LintOptions::default());
    assert!(found(&analysis, manifest, &["local-package-missing"]).is_empty());
}

#[test]
fn a_stale_disk_entry_is_not_reported_at_a_changed_value() {
    // The editor's buffer now says another path than the one read from disk.
    let manifest = r#"{"dependencies": {"com.acme.gone": "file:../moved"}}"#;
    let mut p = Project::new(manifest);
    p.disk = vec![local(
        "com.acme.gone",
        "file:../gone",
        "gone/package.json",
        Err(Missing::NotFound),
    )];
    assert!(found(&p.lint(), manifest, &["local-package-missing"]).is_empty());
}

// ---- probe targets ----

fn probed(analysis: &Analysis, input: Option<&ProjectInput<'_>>) -> Vec<(String, Vec<String>)> {
    let targets = match input {
        Some(input) => analysis.probe_targets_in(input),
        None => analysis.probe_targets(),
    };
    targets.into_iter().map(|t| (t.url, t.packages)).collect()
}

#[test]
fn built_in_and_embedded_packages_are_never_probed() {
    let manifest = r#"{
  "dependencies": {
    "com.unity.modules.ui": "1.0.0",
    "com.unity.ugui": "1.0.0",
    "com.acme.embedded": "1.0.0",
    "com.acme.tools": "2.0.0",
    "com.unity.lockbuiltin": "1.0.0"
  },
  "scopedRegistries": [{"name": "Acme", "url": "https://npm.acme.example", "scopes": ["com.acme"]}]
}"#;
    let lock = r#"{"dependencies": {
  "com.unity.lockbuiltin": {"version": "1.0.0", "depth": 0, "source": "builtin", "dependencies": {}}
}}"#;
    let mut p = Project::new(manifest);
    p.lock = Some(lock);
    // The folder's name differs from the package's: the package.json's `name` counts.
    p.disk = vec![embedded(
        "AcmeEmbedded",
        r#"{"name": "com.acme.embedded", "version": "1.0.0"}"#,
    )];
    let analysis = p.lint();
    let input = p.input();
    assert_eq!(
        probed(&analysis, Some(&input)),
        vec![
            (
                "https://npm.acme.example".to_string(),
                vec!["com.acme.tools".to_string()]
            ),
            (
                "https://packages.unity.com".to_string(),
                vec!["com.unity.ugui".to_string()]
            ),
        ]
    );
    // Without the project, only the built-in modules are known to stay out.
    assert_eq!(
        probed(&analysis, None),
        vec![
            (
                "https://npm.acme.example".to_string(),
                vec![
                    "com.acme.embedded".to_string(),
                    "com.acme.tools".to_string()
                ]
            ),
            (
                "https://packages.unity.com".to_string(),
                vec![
                    "com.unity.ugui".to_string(),
                    "com.unity.lockbuiltin".to_string()
                ]
            ),
        ]
    );
}

#[test]
fn a_registry_that_overrides_built_ins_is_asked_for_them() {
    let manifest = r#"{
  "dependencies": {"com.unity.modules.ui": "1.0.0"},
  "scopedRegistries": [{"name": "Mods", "url": "https://npm.mods.example", "scopes": ["com.unity.modules"], "overrideBuiltIns": true}]
}"#;
    let analysis = lint(manifest, &LintOptions::default());
    assert_eq!(
        probed(&analysis, None)[0],
        (
            "https://npm.mods.example".to_string(),
            vec!["com.unity.modules.ui".to_string()]
        )
    );
}

// ---- transitive dependencies ----

const ACME: &str = r#""scopedRegistries": [{"name": "Acme", "url": "https://npm.acme.example", "scopes": ["com.acme"]}]"#;

fn manifest_with(deps: &str) -> String {
    format!("{{\n  \"dependencies\": {{{deps}}},\n  {ACME}\n}}")
}

fn lock_entry(name: &str, version: &str, url: &str, deps: &str) -> String {
    format!(
        r#""{name}": {{"version": "{version}", "depth": 0, "source": "registry", "dependencies": {{{deps}}}, "url": "{url}"}}"#
    )
}

#[test]
fn a_transitive_dependency_no_scope_covers_is_reported_at_the_direct_one() {
    let manifest = manifest_with(r#""com.acme.game": "1.0.0""#);
    let lock = format!(
        "{{\"dependencies\": {{{}}}}}",
        lock_entry(
            "com.acme.game",
            "1.0.0",
            "https://npm.acme.example",
            r#""com.partner.sdk": "2.0.0", "com.unity.ugui": "1.0.0""#
        )
    );
    let mut p = Project::new(&manifest);
    p.lock = Some(&lock);
    let analysis = p.lint();
    let got = found(&analysis, &manifest, &["unscoped-transitive-dependency"]);
    assert_eq!(
        got,
        vec![(
            "unscoped-transitive-dependency".into(),
            Severity::Warning,
            "\"com.acme.game\"".into(),
            "No scope covers `com.partner.sdk`, so Unity looks for it in Unity's registry (https://packages.unity.com): com.acme.game@1.0.0 -> com.partner.sdk@2.0.0".into()
        )]
    );
    let d = analysis
        .diagnostics
        .iter()
        .find(|d| d.rule.id == "unscoped-transitive-dependency")
        .unwrap();
    assert_eq!(
        d.notes,
        [
            "`com.acme.game` comes from `Acme` (https://npm.acme.example), which likely serves `com.partner.sdk` too: add the scope `com.partner.sdk` (or a namespace of it) to that registry"
        ]
    );
}

#[test]
fn lock_evidence_and_unity_parents_silence_the_unscoped_warning() {
    // The lock says Unity's registry served it; and a Unity package's own dependency.
    let manifest = manifest_with(r#""com.acme.game": "1.0.0", "com.unity.thing": "1.0.0""#);
    let lock = format!(
        "{{\"dependencies\": {{{}, {}, {}}}}}",
        lock_entry(
            "com.acme.game",
            "1.0.0",
            "https://npm.acme.example",
            r#""com.partner.sdk": "2.0.0""#
        ),
        lock_entry("com.partner.sdk", "2.0.0", "https://packages.unity.com", ""),
        lock_entry(
            "com.unity.thing",
            "1.0.0",
            "https://packages.unity.com",
            r#""org.other.lib": "1.0.0""#
        ),
    );
    let mut p = Project::new(&manifest);
    p.lock = Some(&lock);
    let analysis = p.lint();
    assert!(found(&analysis, &manifest, &["unscoped-transitive-dependency"]).is_empty());
}

#[test]
fn a_local_package_with_its_own_dependencies() {
    let manifest = manifest_with(r#""com.acme.local": "file:../local""#);
    let json = r#"{"name": "com.acme.local", "version": "1.0.0", "dependencies": {
        "com.partner.sdk": "2.0.0",
        "com.acme.core": "https://user:s3cret@github.com/acme/core.git",
        "com.acme.range": "^1.0.0",
        "com.acme.other": "file:../other",
        "com.acme.fine": "1.0.0"
    }}"#;
    let mut p = Project::new(&manifest);
    p.disk = vec![local(
        "com.acme.local",
        "file:../local",
        "local/package.json",
        Ok(json),
    )];
    let analysis = p.lint();
    let got = found(
        &analysis,
        &manifest,
        &[
            "invalid-transitive-dependency",
            "unscoped-transitive-dependency",
        ],
    );
    let messages: Vec<&str> = got.iter().map(|g| g.3.as_str()).collect();
    assert_eq!(
        messages,
        [
            "`com.acme.local` asks for `com.acme.core` as `https://***@github.com/acme/core.git` (a Git URL), which Unity rejects in a package: com.acme.local (local)",
            "`com.acme.local` asks for `com.acme.other` as `file:../other` (a `file:` path), which Unity rejects in a package: com.acme.local (local)",
            "`com.acme.local` asks for `com.acme.range` as `^1.0.0` (a version range), which Unity rejects in a package: com.acme.local (local)",
            "No scope covers `com.partner.sdk`, so Unity looks for it in Unity's registry (https://packages.unity.com): com.acme.local (local) -> com.partner.sdk@2.0.0",
        ]
    );
    assert!(got.iter().all(|g| g.2 == "\"com.acme.local\""), "{got:?}");
    assert!(!format!("{:?}", analysis.diagnostics).contains("s3cret"));
}

// ---- the Editor version ----

#[test]
fn an_embedded_package_that_needs_a_newer_editor_wins_over_the_manifest_entry() {
    let manifest = manifest_with(r#""com.acme.tools": "1.0.0""#);
    let mut p = Project::new(&manifest);
    p.version =
        Some("m_EditorVersion: 2021.3.20f1\nm_EditorVersionWithRevision: 2021.3.20f1 (abc)\n");
    p.disk = vec![embedded(
        "Tools",
        r#"{"name": "com.acme.tools", "version": "2.0.0", "unity": "2022.3"}"#,
    )];
    let analysis = p.lint();
    assert_eq!(
        found(&analysis, &manifest, &["editor-too-old"]),
        vec![(
            "editor-too-old".into(),
            Severity::Error,
            "\"com.acme.tools\"".into(),
            "`com.acme.tools (embedded)` needs Unity 2022.3, the project is on 2021.3.20f1".into()
        )]
    );
    // Embedded: never asked of a registry.
    let input = p.input();
    assert!(
        analysis
            .probe_targets_in(&input)
            .iter()
            .all(|t| t.packages.is_empty()),
        "{:?}",
        analysis.probe_targets_in(&input)
    );
}

#[test]
fn unity_release_counts_and_no_project_version_says_nothing() {
    let manifest = manifest_with(r#""com.acme.local": "file:../local""#);
    let json = r#"{"name": "com.acme.local", "version": "1.0.0", "unity": "2021.3", "unityRelease": "25f1"}"#;
    let mut p = Project::new(&manifest);
    p.disk = vec![local(
        "com.acme.local",
        "file:../local",
        "local/package.json",
        Ok(json),
    )];
    assert!(found(&p.lint(), &manifest, &["editor-too-old"]).is_empty());
    p.version = Some("m_EditorVersion: 2021.3.20f1\n");
    assert_eq!(
        found(&p.lint(), &manifest, &["editor-too-old"])[0].3,
        "`com.acme.local (local)` needs Unity 2021.3.25f1, the project is on 2021.3.20f1"
    );
    p.version = Some("m_EditorVersion: 2021.3.25f1\n");
    assert!(found(&p.lint(), &manifest, &["editor-too-old"]).is_empty());
}

#[test]
fn a_built_in_module_the_editor_lacks() {
    let manifest = r#"{"dependencies": {"com.unity.modules.accessibility": "1.0.0", "com.unity.modules.ui": "1.0.0"}}"#;
    let mut p = Project::new(manifest);
    p.version = Some("m_EditorVersion: 2022.3.10f1\n");
    assert_eq!(
        found(&p.lint(), manifest, &["builtin-module-unavailable"]),
        vec![(
            "builtin-module-unavailable".into(),
            Severity::Error,
            "\"com.unity.modules.accessibility\"".into(),
            "Unity 2022.3.10f1 has no built-in `com.unity.modules.accessibility`: resolution fails with `Package [com.unity.modules.accessibility@1.0.0] cannot be found`".into()
        )]
    );
    for newer in [
        "m_EditorVersion: 2023.2.1f1\n",
        "m_EditorVersion: 6000.0.23f1\n",
    ] {
        p.version = Some(newer);
        assert!(found(&p.lint(), manifest, &["builtin-module-unavailable"]).is_empty());
    }
    p.version = None;
    assert!(found(&p.lint(), manifest, &["builtin-module-unavailable"]).is_empty());
}

// ---- major versions ----

#[test]
fn major_version_conflicts() {
    let manifest = manifest_with(r#""com.acme.core": "1.4.0", "com.acme.game": "1.0.0""#);
    let lock = format!(
        "{{\"dependencies\": {{{}}}}}",
        lock_entry(
            "com.acme.game",
            "1.0.0",
            "https://npm.acme.example",
            r#""com.acme.core": "2.0.0""#
        )
    );
    let mut p = Project::new(&manifest);
    p.lock = Some(&lock);
    // 2020.1 and later: the highest wins; the manifest's entry only gets a newer major.
    assert_eq!(
        found(&p.lint(), &manifest, &["major-version-conflict"]),
        vec![(
            "major-version-conflict".into(),
            Severity::Info,
            "\"com.acme.core\"".into(),
            "`com.acme.core` is requested at different major versions (1.4.0 by the manifest, 2.0.0 by com.acme.game@1.0.0); Unity installs 2.0.0".into()
        )]
    );
    // 2019.x: the request closest to the project wins, and holds com.acme.game back.
    p.version = Some("m_EditorVersion: 2019.4.40f1\n");
    assert_eq!(
        found(&p.lint(), &manifest, &["major-version-conflict"]),
        vec![(
            "major-version-conflict".into(),
            Severity::Warning,
            "\"com.acme.core\"".into(),
            "`com.acme.core` is requested at different major versions (1.4.0 by the manifest, 2.0.0 by com.acme.game@1.0.0); Unity installs 1.4.0".into()
        )]
    );

    // Between two packages: at the one whose request Unity does not follow.
    let manifest = manifest_with(r#""com.acme.a": "1.0.0", "com.acme.b": "1.0.0""#);
    let lock = format!(
        "{{\"dependencies\": {{{}, {}}}}}",
        lock_entry(
            "com.acme.a",
            "1.0.0",
            "https://npm.acme.example",
            r#""com.acme.x": "1.0.0""#
        ),
        lock_entry(
            "com.acme.b",
            "1.0.0",
            "https://npm.acme.example",
            r#""com.acme.x": "2.1.0""#
        ),
    );
    let mut p = Project::new(&manifest);
    p.lock = Some(&lock);
    let got = found(&p.lint(), &manifest, &["major-version-conflict"]);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].2, "\"com.acme.a\"");
    assert_eq!(got[0].1, Severity::Info);
    assert!(got[0].3.contains("Unity installs 2.1.0"), "{}", got[0].3);

    // Same major: nothing.
    let lock = lock.replace("\"com.acme.x\": \"1.0.0\"", "\"com.acme.x\": \"2.0.0\"");
    p.lock = Some(&lock);
    assert!(found(&p.lint(), &manifest, &["major-version-conflict"]).is_empty());
}

#[test]
fn an_embedded_package_the_manifest_does_not_list_is_reported_at_dependencies() {
    let manifest = manifest_with(r#""com.acme.game": "1.0.0""#);
    let mut p = Project::new(&manifest);
    p.disk = vec![embedded(
        "Mine",
        r#"{"name": "com.mine.tool", "version": "1.0.0", "dependencies": {"com.mine.lib": "~1.2.0"}}"#,
    )];
    let got = found(&p.lint(), &manifest, &["invalid-transitive-dependency"]);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].2, "\"dependencies\"");
    assert!(
        got[0].3.ends_with(": com.mine.tool (embedded)"),
        "{}",
        got[0].3
    );
}

// ---- online ----

mod online {
    use super::*;
    use manifest_lint_core::project::{Packument, PackumentStatus, Packuments, VersionInfo};

    /// A version: its number, its dependencies and its `unity`.
    type V<'a> = (&'a str, &'a [(&'a str, &'a str)], Option<&'a str>);

    fn packument(versions: &[V<'_>]) -> PackumentStatus {
        PackumentStatus::Found(Packument {
            versions: versions
                .iter()
                .map(|(v, deps, unity)| {
                    (
                        v.to_string(),
                        VersionInfo {
                            dependencies: deps
                                .iter()
                                .map(|(n, v)| (n.to_string(), v.to_string()))
                                .collect(),
                            unity: unity.map(str::to_string),
                            unity_release: None,
                        },
                    )
                })
                .collect(),
            latest: versions.last().map(|v| v.0.to_string()),
        })
    }

    #[test]
    fn what_the_registries_lack_and_the_editor_a_version_needs() {
        let manifest = manifest_with(r#""com.acme.game": "1.0.0""#);
        let mut packuments = Packuments::default();
        let acme = packuments
            .registries
            .entry("https://npm.acme.example".into())
            .or_default();
        acme.insert(
            "com.acme.game".into(),
            packument(&[(
                "1.0.0",
                &[
                    ("com.partner.sdk", "2.0.0"),
                    ("com.acme.core", "3.0.0"),
                    ("com.acme.new", "1.0.0"),
                    ("com.unity.modules.ui", "1.0.0"),
                ],
                None,
            )]),
        );
        acme.insert(
            "com.acme.core".into(),
            packument(&[("1.0.0", &[], None), ("2.0.0", &[], None)]),
        );
        acme.insert(
            "com.acme.new".into(),
            packument(&[("1.0.0", &[], Some("2023.1"))]),
        );
        packuments
            .registries
            .entry("https://packages.unity.com".into())
            .or_default()
            .insert("com.partner.sdk".into(), PackumentStatus::NotFound);
        let mut p = Project::new(&manifest);
        p.version = Some("m_EditorVersion: 2022.3.5f1\n");
        let mut input = p.input();
        input.packuments = Some(&packuments);
        let analysis = lint(
            &manifest,
            &LintOptions {
                project: Some(&input),
                ..Default::default()
            },
        );
        let got = found(
            &analysis,
            &manifest,
            &[
                "transitive-package-not-found",
                "transitive-version-not-found",
                "unscoped-transitive-dependency",
                "editor-too-old",
                "package-not-found",
            ],
        );
        let messages: Vec<(&str, &str)> =
            got.iter().map(|g| (g.0.as_str(), g.3.as_str())).collect();
        assert_eq!(
            messages,
            [
                (
                    "editor-too-old",
                    "`com.acme.new@1.0.0` needs Unity 2023.1, the project is on 2022.3.5f1 (com.acme.game@1.0.0 -> com.acme.new@1.0.0)"
                ),
                (
                    "transitive-package-not-found",
                    "`com.partner.sdk` is not on Unity's registry (https://packages.unity.com), where it resolves: com.acme.game@1.0.0 -> com.partner.sdk@2.0.0"
                ),
                (
                    "transitive-version-not-found",
                    "`Acme` (https://npm.acme.example) has no version 3.0.0 of `com.acme.core`: com.acme.game@1.0.0 -> com.acme.core@3.0.0"
                ),
            ]
        );
    }
}

#[test]
fn a_package_request_the_manifest_overrides_is_not_read_by_unity() {
    // As in real projects' lock files: Git packages asking for Git URLs (or `v1.0.7`) of
    // packages the manifest lists itself.
    let manifest = manifest_with(
        r#""com.acme.local": "file:../local", "com.acme.core": "https://github.com/acme/core.git", "com.acme.sf": "1.0.8""#,
    );
    let json = r#"{"name": "com.acme.local", "version": "1.0.0", "dependencies": {
        "com.acme.core": "https://github.com/acme/core.git#v2", "com.acme.sf": "v1.0.7"}}"#;
    let mut p = Project::new(&manifest);
    p.disk = vec![local(
        "com.acme.local",
        "file:../local",
        "local/package.json",
        Ok(json),
    )];
    assert!(found(&p.lint(), &manifest, &["invalid-transitive-dependency"]).is_empty());
}

#[test]
fn a_long_hostile_chain_stays_bounded() {
    // 3,000 packages in a line, each also asking for a range: every one is a finding whose
    // chain climbs the whole line.
    let n = 3_000;
    let mut entries = Vec::new();
    for i in 0..n {
        let next = if i + 1 < n {
            format!(r#""com.acme.p{}": "1.0.0", "#, i + 1)
        } else {
            String::new()
        };
        entries.push(format!(
            r#""com.acme.p{i}": {{"version": "1.0.0", "depth": {i}, "source": "registry", "dependencies": {{{next}"com.acme.r{i}": "^1.0.0"}}, "url": "https://npm.acme.example"}}"#
        ));
    }
    let lock = format!("{{\"dependencies\": {{{}}}}}", entries.join(",\n"));
    let manifest = manifest_with(r#""com.acme.p0": "1.0.0""#);
    let mut p = Project::new(&manifest);
    p.lock = Some(&lock);
    let analysis = p.lint();
    let invalid = found(&analysis, &manifest, &["invalid-transitive-dependency"]);
    // Every finding is reported at the one direct dependency, and its message stays short
    // however deep the chain.
    assert_eq!(invalid.len(), n);
    assert!(
        invalid.iter().all(|f| f.2 == "\"com.acme.p0\""),
        "{:?}",
        &invalid[..1]
    );
    let longest = invalid.iter().map(|f| f.3.len()).max().unwrap();
    assert!(longest < 400, "{longest}: {}", invalid.last().unwrap().3);
    // The deepest: 3,000 packages, the three at each end shown.
    assert!(
        invalid.iter().any(|f| f
            .3
            .contains("com.acme.p2@1.0.0 -> (2994 more) -> com.acme.p2997@1.0.0")),
        "{:?}",
        invalid.iter().map(|f| &f.3).max_by_key(|m| m.len())
    );
}
