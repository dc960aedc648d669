//! `check` on packages' `package.json` files: one named directly (or a package folder), and the
//! embedded and local packages of a project, in every output format, each as its own file.

mod common;

use common::{run, stderr, stdout, write_manifest};
use serde_json::Value;

const BAD_PACKAGE: &str = "{\n  \"name\": \"com.example.tools\",\n  \"version\": \"1.8\",\n  \"unity\": \"2020.3.45f1\",\n  \"dependencies\": { \"com.example.core\": \"https://github.com/example/core.git\" }\n}\n";

fn rules(file: &Value) -> Vec<String> {
    file["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_package_json_named_directly_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::fs::write(dir.path().join("package.json"), BAD_PACKAGE).unwrap();

    let o = run(&["check", "--format", "json", "package.json"], dir.path());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let files = doc["files"].as_array().unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0]["path"], "package.json");
    assert_eq!(
        rules(&files[0]),
        [
            "invalid-package-version",
            "invalid-unity-version",
            "invalid-version"
        ]
    );
    // No manifest rule runs on it (an unscoped dependency is the project's business).
    assert_eq!(doc["summary"]["infos"], 0);

    let o = run(&["check", "package.json"], dir.path());
    let out = stdout(&o);
    assert!(out.contains("package.json:3:14"), "{out}");
    assert!(
        out.contains("Checked 1 package.json file: 3 errors, 0 warnings"),
        "{out}"
    );

    // A package folder (no Packages/manifest.json in it) means its package.json.
    let o = run(&["check", "--format", "github", "."], dir.path());
    let out = stdout(&o);
    assert!(
        out.contains("::error file=package.json,line=4,col=12,")
            && out.contains("(invalid-unity-version)"),
        "{out}"
    );

    let o = run(&["check", "--format", "sarif", "package.json"], dir.path());
    let log: Value = serde_json::from_slice(&o.stdout).unwrap();
    let run0 = &log["runs"][0];
    let results = run0["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "package.json"
    );
    let rule = run0["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "invalid-unity-version")
        .unwrap();
    assert_eq!(
        rule["properties"]["tags"],
        serde_json::json!(["package.json"])
    );
}

#[test]
fn fix_splits_unity_in_a_package_json() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let path = dir.path().join("package.json");
    std::fs::write(&path, BAD_PACKAGE).unwrap();
    let o = run(&["check", "--fix", "package.json"], dir.path());
    assert_eq!(o.status.code(), Some(1), "errors remain: {}", stdout(&o));
    let fixed = std::fs::read_to_string(&path).unwrap();
    assert!(
        fixed.contains("  \"unity\": \"2020.3\",\n  \"unityRelease\": \"45f1\",\n"),
        "{fixed}"
    );
    // `1.8` -> `1.8.0` is a guess: only under --unsafe-fixes.
    assert!(fixed.contains("\"version\": \"1.8\""), "{fixed}");
    let o = run(
        &["check", "--fix", "--unsafe-fixes", "package.json"],
        dir.path(),
    );
    let fixed = std::fs::read_to_string(&path).unwrap();
    assert!(fixed.contains("\"version\": \"1.8.0\""), "{fixed}");
    // The Git dependency has no fix: it stays, and so does its error.
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn a_project_lints_its_embedded_and_local_packages() {
    // `<tmp>/game` is the project, `<tmp>/shared/local` a local package beside it.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let game = dir.path().join("game");
    write_manifest(
        &game,
        br#"{"dependencies": {"com.example.tools": "1.0.0", "com.example.local": "file:../../shared/local", "com.example.tar": "file:missing.tgz"}}"#,
    );
    let embedded = game.join("Packages/com.example.tools");
    std::fs::create_dir_all(&embedded).unwrap();
    std::fs::write(embedded.join("package.json"), BAD_PACKAGE).unwrap();
    let fine = game.join("Packages/com.example.fine");
    std::fs::create_dir_all(&fine).unwrap();
    std::fs::write(
        fine.join("package.json"),
        r#"{"name": "com.example.fine", "version": "1.0.0", "unity": "2021.3"}"#,
    )
    .unwrap();
    let local = dir.path().join("shared/local");
    std::fs::create_dir_all(&local).unwrap();
    std::fs::write(
        local.join("package.json"),
        "{\n  \"name\": \"com.example.local\",\n  \"version\": \"1.0.0\",\n  \"samples\": [{ \"displayName\": \"A\" }]\n}\n",
    )
    .unwrap();

    let o = run(&["check", "--format", "json", "game"], dir.path());
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let files = doc["files"].as_array().unwrap();
    let paths: Vec<&str> = files.iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(
        paths,
        [
            "game/Packages/manifest.json",
            "game/Packages/com.example.tools/package.json",
            "shared/local/package.json",
        ],
        "{doc:#}"
    );
    assert_eq!(
        rules(&files[1]),
        [
            "invalid-package-version",
            "invalid-unity-version",
            "invalid-version"
        ]
    );
    assert_eq!(rules(&files[2]), ["sample-without-path"]);

    let o = run(&["check", "game"], dir.path());
    let out = stdout(&o);
    // (The manifest has the project diagnostics' findings of its own.)
    assert!(
        out.contains("Checked 1 manifest and 2 package.json files:"),
        "{out}"
    );
    assert!(
        out.contains("game/Packages/com.example.tools/package.json:4:12")
            && out.contains("shared/local/package.json:4:15"),
        "{out}"
    );
    // Rule levels from the command line apply to packages too.
    let o = run(
        &[
            "check",
            "--format",
            "json",
            "--rule",
            "sample-without-path=off",
            "game",
        ],
        dir.path(),
    );
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["files"].as_array().unwrap().len(), 2, "{doc:#}");
}
