//! The project diagnostics end to end: the real binary on the fixture projects
//! `tests/projects/diag-*` offline (snapshots), and `diag-online` with `--online` against a real
//! Verdaccio on loopback, whose request log shows that built-in and embedded packages are never
//! asked for.

mod common;
#[path = "../../../tests/support/verdaccio.rs"]
mod verdaccio;

use std::path::{Path, PathBuf};

use common::{bin, repo, stderr, stdout};
use serde_json::Value;
use verdaccio::Verdaccio;

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/projects").join(name)
}

/// `check .` in `dir`, offline, without colour.
fn check(dir: &Path, extra: &[&str]) -> std::process::Output {
    bin()
        .args(["check", ".", "--color", "never"])
        .args(extra)
        .current_dir(dir)
        .env_remove("MANIFEST_LINT_ONLINE")
        .output()
        .expect("run manifest-lint")
}

#[test]
fn diag_online_offline() {
    let o = check(&fixture("diag-online"), &["--offline"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    insta::assert_snapshot!(stdout(&o));
}

#[test]
fn diag_lock_offline() {
    let o = check(&fixture("diag-lock"), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    insta::assert_snapshot!(stdout(&o));
}

#[test]
fn a_manifest_path_names_the_same_project() {
    let dir = fixture("diag-online");
    let by_folder = check(&dir, &["--offline", "--format", "json"]);
    let by_path = bin()
        .args([
            "check",
            "Packages/manifest.json",
            "--offline",
            "--format",
            "json",
        ])
        .current_dir(&dir)
        .output()
        .unwrap();
    let rules = |o: &std::process::Output| -> Vec<String> {
        let doc: Value = serde_json::from_str(&stdout(o)).unwrap();
        doc["files"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["rule"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(rules(&by_folder), rules(&by_path));
    assert!(rules(&by_path).contains(&"local-package-missing".to_string()));
}

// ---------------------------------------------------------------------------------------------
// Verdaccio
// ---------------------------------------------------------------------------------------------

/// Copies a fixture project into a fresh repository-root folder.
fn copy_project(from: &Path) -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    copy(from, dir.path());
    dir
}

#[test]
fn online_project_diagnostics_on_verdaccio_never_ask_for_builtin_or_embedded_packages() {
    let registry = Verdaccio::start_with(None, false, true);
    let token = registry.add_user("publisher", "publisher-password-1");
    registry.publish_with(
        &token,
        "com.acme.game",
        "1.0.0",
        "latest",
        &[
            ("com.partner.sdk", "2.0.0"),
            ("com.acme.core", "3.0.0"),
            ("com.acme.new", "1.0.0"),
            ("com.unity.modules.audio", "1.0.0"),
        ],
        "2021.3",
    );
    registry.publish_with(&token, "com.acme.core", "1.0.0", "latest", &[], "2021.3");
    registry.publish_with(&token, "com.acme.core", "2.0.0", "latest", &[], "2021.3");
    registry.publish_with(&token, "com.acme.new", "1.0.0", "latest", &[], "2023.1");
    // Published, to show that the embedded package is not asked for even though it exists.
    registry.publish_with(&token, "com.acme.tools", "1.0.0", "latest", &[], "2021.3");
    let before = registry.gets().len();

    let dir = copy_project(&fixture("diag-online"));
    let manifest = dir.path().join("Packages/manifest.json");
    let text = std::fs::read_to_string(&manifest)
        .unwrap()
        .replace("127.0.0.1:4873", &format!("127.0.0.1:{}", registry.port))
        .replace("localhost:4873", &format!("localhost:{}", registry.port));
    std::fs::write(&manifest, text).unwrap();

    let o = bin()
        .args(["check", ".", "--online", "--format", "json"])
        .current_dir(dir.path())
        .env("UPM_USER_CONFIG_FILE", dir.path().join("none.toml"))
        .env(
            "UPM_GLOBAL_CONFIG_FILE",
            dir.path().join("none-global.toml"),
        )
        .env("NO_PROXY", "*")
        .env_remove("HTTP_PROXY")
        .env_remove("HTTPS_PROXY")
        .env_remove("http_proxy")
        .env_remove("https_proxy")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let found: Vec<(String, String)> = doc["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["message"]
                    .as_str()
                    .unwrap()
                    .replace(&registry.port.to_string(), "PORT"),
            )
        })
        .filter(|(rule, _)| rule != "legacy-registry" && rule != "insecure-registry-url")
        .collect();
    let expected: Vec<(&str, &str)> = vec![
        (
            "editor-too-old",
            "`com.acme.new@1.0.0` needs Unity 2023.1, the project is on 2022.3.10f1 (com.acme.game@1.0.0 -> com.acme.new@1.0.0)",
        ),
        (
            "transitive-package-not-found",
            "`com.partner.sdk` is not on the registry http://localhost:PORT, where it resolves: com.acme.game@1.0.0 -> com.partner.sdk@2.0.0",
        ),
        (
            "transitive-version-not-found",
            "`Acme` (http://127.0.0.1:PORT) has no version 3.0.0 of `com.acme.core`: com.acme.game@1.0.0 -> com.acme.core@3.0.0",
        ),
        (
            "editor-too-old",
            "`com.acme.tools (embedded)` needs Unity 2023.1, the project is on 2022.3.10f1",
        ),
        (
            "invalid-transitive-dependency",
            "`com.acme.local` asks for `com.acme.util` as `https://github.com/acme/util.git` (a Git URL), which Unity rejects in a package: com.acme.local (local)",
        ),
        (
            "transitive-package-not-found",
            "`com.partner.analytics` is not on the registry http://localhost:PORT, where it resolves: com.acme.local (local) -> com.partner.analytics@1.0.0",
        ),
        (
            "local-package-missing",
            "No folder at `LocalPackages/com.acme.gone`: Unity cannot load `com.acme.gone`",
        ),
        (
            "builtin-module-unavailable",
            "Unity 2022.3.10f1 has no built-in `com.unity.modules.accessibility`: resolution fails with `Package [com.unity.modules.accessibility@1.0.0] cannot be found`",
        ),
    ];
    let found_ref: Vec<(&str, &str)> = found
        .iter()
        .map(|(r, m)| (r.as_str(), m.as_str()))
        .collect();
    assert_eq!(found_ref, expected, "{}", stdout(&o));

    // What the run asked: never a built-in module nor the embedded package.
    let gets: Vec<String> = registry.gets()[before..].to_vec();
    let packages: Vec<&str> = gets
        .iter()
        .map(|p| p.trim_start_matches('/'))
        .filter(|p| !p.starts_with('-'))
        .collect();
    assert!(
        packages.iter().all(|p| !p.starts_with("com.unity.modules")),
        "{gets:#?}"
    );
    assert!(!packages.contains(&"com.acme.tools"), "{gets:#?}");
    for asked in [
        "com.acme.game",
        "com.acme.core",
        "com.acme.new",
        "com.partner.sdk",
    ] {
        assert!(
            packages.contains(&asked),
            "{asked} was not asked: {gets:#?}"
        );
    }
}
