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
