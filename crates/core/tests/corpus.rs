//! Real manifests of working public Unity projects, kept beside the repository in
//! `../shared/corpus/*.json` and `../shared/projects/*/Packages/` (CI and the development
//! workspace have them; a plain clone does not, and then these tests print what they skip and
//! pass). Every one of these projects works in Unity, so the linter must report no error and no
//! warning on them, except the few real problems listed in [`REAL_WARNINGS`], and its infos must
//! not contradict what Unity itself recorded in the project's lock file.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use manifest_lint_core::{Analysis, LintOptions, Severity, lint_bytes};

mod support;
use support::shared;

/// Warnings on the real projects that are true problems, each with why (project folder or
/// corpus file stem, rule id, how many).
const REAL_WARNINGS: &[(&str, &str, usize, &str)] = &[
    (
        "Azure__azure-remote-rendering",
        "dead-registry",
        1,
        "Bintray closed in 2021: a fresh clone cannot fetch from it",
    ),
    (
        "Cysharp__YetAnotherHttpHandler",
        "dead-registry",
        1,
        "unitynuget-registry.azurewebsites.net was discontinued on 2025-03-10",
    ),
    (
        "asus4__ARKitStreamer",
        "dead-registry",
        1,
        "unitynuget-registry.azurewebsites.net was discontinued on 2025-03-10",
    ),
    (
        "keijiro__Akvfx",
        "dead-registry",
        1,
        "unitynuget-registry.azurewebsites.net was discontinued on 2025-03-10",
    ),
    (
        "keijiro__Lasp",
        "dead-registry",
        1,
        "unitynuget-registry.azurewebsites.net was discontinued on 2025-03-10",
    ),
    (
        "keijiro__Rcam2",
        "dead-registry",
        1,
        "unitynuget-registry.azurewebsites.net was discontinued on 2025-03-10",
    ),
    (
        "AnnulusGames__LitMotion",
        "dead-registry",
        1,
        "unitynuget-registry.azurewebsites.net was discontinued on 2025-03-10",
    ),
    (
        "Cysharp__ZLogger",
        "dead-registry",
        1,
        "unitynuget-registry.azurewebsites.net was discontinued on 2025-03-10",
    ),
    (
        "keijiro__KlakNDI",
        "dead-registry",
        1,
        "unitynuget-registry.azurewebsites.net was discontinued on 2025-03-10",
    ),
    (
        "Unity-Technologies__SynthDet",
        "unity-scope-override",
        2,
        "`com.unity.perception` and `com.unity.cv` go to Unity's internal Artifactory, which a \
         clone outside Unity cannot reach",
    ),
    (
        "Unity-Technologies__SynthDet",
        "stale-lock",
        1,
        "the lock has `com.unity.perception` from a local `file:C:/Dev/...` folder while the \
         manifest asks a registry version: a clone resolves something else",
    ),
    (
        "XRTK__Lumin",
        "insecure-registry-url",
        1,
        "a plain-http registry",
    ),
    (
        "XRTK__XRTK-Core",
        "insecure-registry-url",
        1,
        "a plain-http registry",
    ),
    (
        "xd-platform__xdsdk_common",
        "insecure-registry-url",
        1,
        "a plain-http registry",
    ),
    (
        "immutable__unity-immutable-sdk",
        "duplicate-registry",
        1,
        "two entries for https://package.openupm.com: one registry per URL",
    ),
];

/// `../shared/corpus/*.json`, sorted.
fn corpus_files(test: &str) -> Option<Vec<PathBuf>> {
    let dir = shared("corpus", test)?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    Some(files)
}

/// Every folder of `../shared/projects/` with a `Packages/manifest.json`, sorted.
fn project_dirs(test: &str) -> Option<Vec<PathBuf>> {
    let dir = shared("projects", test)?;
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("Packages/manifest.json").is_file())
        .collect();
    dirs.sort();
    Some(dirs)
}

/// Lints a manifest with its lock file (when given), as `check PROJECT` does, and checks what
/// the brief of this test promises. Returns a failure description per problem.
fn check_real(name: &str, manifest: &Path, lock: Option<&str>) -> Vec<String> {
    check_real_in(name, manifest, lock, None, &mut 0)
}

/// [`check_real`] with the project's files read from disk (`project`: the project folder), so
/// that the project diagnostics run too.
fn check_real_in(
    name: &str,
    manifest: &Path,
    lock: Option<&str>,
    project: Option<&manifest_lint_files::Project>,
    artefacts: &mut usize,
) -> Vec<String> {
    let bytes = std::fs::read(manifest).unwrap();
    let input = project.map(manifest_lint_files::Project::input);
    let options = LintOptions {
        lock,
        project: input.as_ref(),
        ..Default::default()
    };
    let (_, mut analysis) = lint_bytes(&bytes, &options);
    let mut failures = Vec::new();
    if let Some(project) = project {
        let before = analysis.diagnostics.len();
        failures.extend(corpus_artefacts(name, project, &mut analysis));
        *artefacts += before - analysis.diagnostics.len();
    }
    if !analysis.parsed {
        failures.push(format!("{name}: did not parse"));
    }
    for d in &analysis.diagnostics {
        if d.severity == Severity::Error {
            failures.push(format!("{name}: error[{}] {}", d.rule.id, d.message));
        }
    }
    let mut warnings: std::collections::BTreeMap<&str, usize> = Default::default();
    for d in analysis
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
    {
        *warnings.entry(d.rule.id).or_default() += 1;
    }
    for (rule, count) in &warnings {
        let allowed = REAL_WARNINGS
            .iter()
            .find(|(p, r, _, _)| *p == name && r == rule);
        match allowed {
            Some((_, _, n, _)) if n == count => {}
            _ => {
                let shown: Vec<&str> = analysis
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity == Severity::Warning && d.rule.id == *rule)
                    .map(|d| d.message.as_str())
                    .collect();
                failures.push(format!(
                    "{name}: {count} warning(s) [{rule}] not listed as real: {shown:#?}"
                ));
            }
        }
    }
    for (project, rule, count, _) in REAL_WARNINGS {
        if *project == name && !warnings.contains_key(rule) {
            failures.push(format!(
                "{name}: the listed real warning [{rule}] x{count} is no longer reported"
            ));
        }
    }
    if let Some(lock) = lock {
        failures.extend(infos_contradicting_lock(name, &analysis, lock));
    }
    failures
}

/// The shared copy of each project keeps only `Packages/manifest.json` and the lock file: the
/// folders and tarballs its `file:` dependencies name (inside `Packages/` or beside the
/// project) stayed in the original repository, so
/// `local-package-missing` on them says nothing about the project. Such a diagnostic is taken
/// out when the folder is absent from the copy *and* nothing else is wrong with it: the lock
/// (when there is one) records the package as `local`/`local-tarball` with that very path, so
/// Unity found it there. Anything else stays a failure.
fn corpus_artefacts(
    name: &str,
    project: &manifest_lint_files::Project,
    analysis: &mut Analysis,
) -> Vec<String> {
    use manifest_lint_core::project::{Missing, Origin};
    let lock = project
        .lock
        .as_deref()
        .and_then(|l| manifest_lint_core::lock::parse_lock(l).ok());
    let mut failures = Vec::new();
    let artefacts: Vec<String> = project
        .packages
        .iter()
        .filter_map(|p| match (&p.origin, &p.text) {
            (
                Origin::Local { dependency, spec } | Origin::LocalTarball { dependency, spec },
                Err(Missing::NotFound | Missing::NoPackageJson),
            ) => {
                if let Some(lock) = &lock {
                    let entry = lock.entries.iter().find(|e| &e.name == dependency);
                    let agrees = entry.is_some_and(|e| {
                        matches!(e.source.as_deref(), Some("local" | "local-tarball"))
                            && e.version.as_deref() == Some(spec.as_str())
                    });
                    if !agrees {
                        failures.push(format!(
                            "{name}: `{dependency}` ({spec}) is missing and the lock does not record it as local there"
                        ));
                    }
                }
                Some(dependency.clone())
            }
            _ => None,
        })
        .collect();
    let deps = analysis.manifest.dependencies().to_vec();
    analysis.diagnostics.retain(|d| {
        d.rule.id != "local-package-missing"
            || !deps.iter().any(|dep| {
                artefacts.iter().any(|a| *a == dep.name.value)
                    && dep.version.as_ref().is_some_and(|v| v.span == d.span)
            })
    });
    failures
}

/// An `unscoped-dependency` info says Unity looks for the package in the default registry, as a
/// hint that it may not be there: misleading when the lock shows the default registry served it.
fn infos_contradicting_lock(name: &str, analysis: &Analysis, lock: &str) -> Vec<String> {
    let Ok(lock) = manifest_lint_core::lock::parse_lock(lock) else {
        return Vec::new();
    };
    let default = analysis.manifest.default_registry_url();
    analysis
        .diagnostics
        .iter()
        .filter(|d| d.rule.id == "unscoped-dependency")
        .filter_map(|d| {
            let dep = analysis
                .manifest
                .dependencies()
                .iter()
                .find(|dep| dep.name.span == d.span)?;
            let entry = lock
                .entries
                .iter()
                .find(|e| e.name == dep.name.value && e.source.as_deref() == Some("registry"))?;
            let url = entry.url.as_deref()?;
            manifest_lint_core::lock::same_registry(url, default).then(|| {
                format!(
                    "{name}: `{}` is reported as unscoped, but the lock shows {url} served it: {}",
                    dep.name.value, d.message
                )
            })
        })
        .collect()
}

#[test]
fn real_corpus_manifests_have_no_error_and_no_false_warning() {
    let Some(files) = corpus_files("real_corpus_manifests_have_no_error_and_no_false_warning")
    else {
        return;
    };
    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_stem().unwrap().to_str().unwrap();
        failures.extend(check_real(name, path, None));
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(
        files.len() >= 15,
        "only {} corpus manifests found",
        files.len()
    );
}

#[test]
fn real_projects_have_no_error_and_no_false_warning() {
    let Some(dirs) = project_dirs("real_projects_have_no_error_and_no_false_warning") else {
        return;
    };
    let mut failures = Vec::new();
    let mut with_lock = 0;
    // `local-package-missing` on folders the shared copy left out: proof the project checks ran.
    let mut artefacts = 0;
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_str().unwrap();
        let lock = std::fs::read_to_string(dir.join("Packages/packages-lock.json")).ok();
        with_lock += usize::from(lock.is_some());
        let project = manifest_lint_files::read_project(dir).unwrap();
        failures.extend(check_real_in(
            name,
            &dir.join("Packages/manifest.json"),
            lock.as_deref(),
            Some(&project),
            &mut artefacts,
        ));
    }
    assert!(
        artefacts > 0,
        "no `file:` dependency was checked: the project checks did not run"
    );
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(dirs.len() >= 70, "only {} projects found", dirs.len());
    assert!(
        with_lock >= 40,
        "only {with_lock} projects have a lock file"
    );
}

/// Every listed real warning names a project or corpus file that exists (so the list cannot
/// rot into entries that silently allow nothing).
#[test]
fn listed_real_warnings_name_existing_inputs() {
    let test = "listed_real_warnings_name_existing_inputs";
    let (Some(files), Some(dirs)) = (corpus_files(test), project_dirs(test)) else {
        return;
    };
    for (name, rule, _, why) in REAL_WARNINGS {
        assert!(
            manifest_lint_core::rule(rule).is_some(),
            "{name}: unknown rule {rule}"
        );
        assert!(!why.is_empty());
        let exists = files.iter().any(|f| f.file_stem().unwrap() == *name)
            || dirs.iter().any(|d| d.file_name().unwrap() == *name);
        assert!(exists, "{name} is neither a corpus file nor a project");
    }
}

/// Every prefix of every corpus manifest (what an editor holds while someone types it from the
/// top) and a spread of byte mutations lint without a panic, and every span lies inside the text.
#[test]
fn truncated_and_mutated_manifests_never_panic() {
    let Some(files) = corpus_files("truncated_and_mutated_manifests_never_panic") else {
        return;
    };
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let junk: &[u8] = b"{}[],:\"'\\/*0-+.eEtfn \n\r\t\xff\xc3\xa9@";
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let check = |input: &[u8]| {
            let (text, analysis) = lint_bytes(input, &LintOptions::default());
            for d in &analysis.diagnostics {
                assert!(
                    d.span.start <= d.span.end && d.span.end <= text.len(),
                    "{}: span {:?} out of {}",
                    path.display(),
                    d.span,
                    text.len()
                );
                if let Some(fix) = &d.fix {
                    let _ = fix.apply(&text);
                }
            }
        };
        for end in 0..bytes.len() {
            check(&bytes[..end]);
        }
        for _ in 0..300 {
            let mut mutated = bytes.clone();
            for _ in 0..(1 + next() % 4) {
                let at = (next() as usize) % mutated.len();
                match next() % 3 {
                    0 => mutated[at] = junk[(next() as usize) % junk.len()],
                    1 => {
                        mutated.remove(at);
                    }
                    _ => mutated.insert(at, junk[(next() as usize) % junk.len()]),
                }
            }
            check(&mutated);
        }
    }
}

/// The `package.json` of every embedded package of the real projects
/// (`../shared/projects/*/Packages/*/package.json`): these packages load in Unity, so the
/// package lint must report no error and no warning on them.
#[test]
fn real_embedded_packages_have_no_error_and_no_warning() {
    let test = "real_embedded_packages_have_no_error_and_no_warning";
    let Some(dirs) = project_dirs(test) else {
        return;
    };
    let mut packages: Vec<PathBuf> = dirs
        .iter()
        .filter_map(|d| std::fs::read_dir(d.join("Packages")).ok())
        .flatten()
        .map(|e| e.unwrap().path().join("package.json"))
        .filter(|p| p.is_file())
        .collect();
    packages.sort();
    if packages.is_empty() {
        let _ = writeln!(
            std::io::stderr().lock(),
            "SKIPPED {test}: no project in ../shared/projects has an embedded package's \
             package.json (the copies hold only manifests and lock files)"
        );
        return;
    }
    let mut failures = Vec::new();
    for path in &packages {
        let bytes = std::fs::read(path).unwrap();
        let (_, analysis) =
            manifest_lint_core::package::lint_bytes(&bytes, &LintOptions::default());
        for d in &analysis.diagnostics {
            if d.severity >= Severity::Warning {
                failures.push(format!(
                    "{}: {}[{}] {}",
                    path.display(),
                    d.severity,
                    d.rule.id,
                    d.message
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    let _ = writeln!(
        std::io::stderr().lock(),
        "{test}: {} embedded package.json files, none with an error or a warning",
        packages.len()
    );
}
