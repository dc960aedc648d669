//! The JSON Schema of the manifest (`editors/schema/unity-manifest.schema.json`, and the copy the
//! VS Code extension ships) is generated from the key table (`manifest_lint_core::keys`); these
//! tests fail when it is stale, and check it against real manifests.
//! Regenerate with `UPDATE_SCHEMA=1 cargo test -p manifest-lint-core --test schema`.

use std::path::{Path, PathBuf};

use manifest_lint_core::keys::{json_schema, package_json_schema};
use serde_json::{Value, json};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Where the generated schema is written: the published one, and the VS Code extension's copy
/// (an extension can only contribute a schema from inside its own folder).
const OUTPUTS: &[&str] = &[
    "editors/schema/unity-manifest.schema.json",
    "editors/vscode/schema/unity-manifest.schema.json",
];

/// The same for the package.json schema.
const PACKAGE_OUTPUTS: &[&str] = &[
    "editors/schema/unity-package.schema.json",
    "editors/vscode/schema/unity-package.schema.json",
];

fn rendered() -> String {
    pretty(&json_schema())
}

fn pretty(schema: &Value) -> String {
    let mut text = serde_json::to_string_pretty(schema).unwrap();
    text.push('\n');
    text
}

#[test]
fn the_published_schema_is_the_generated_one() {
    let update = std::env::var_os("UPDATE_SCHEMA").is_some();
    let package = pretty(&package_json_schema());
    let manifest = rendered();
    let all = OUTPUTS
        .iter()
        .map(|o| (o, &manifest))
        .chain(PACKAGE_OUTPUTS.iter().map(|o| (o, &package)));
    for (out, want) in all {
        let want = want.as_str();
        let path = root().join(out);
        if update {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, want).unwrap();
            continue;
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "{out} is stale: run UPDATE_SCHEMA=1 cargo test -p manifest-lint-core --test schema"
        );
    }
}

#[test]
fn the_catalog_entry_matches_the_schema() {
    let text = std::fs::read_to_string(root().join("editors/schema/catalog-entry.json")).unwrap();
    let entry: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(entry["fileMatch"], json!(["**/Packages/manifest.json"]));
    assert_eq!(entry["url"], json_schema()["$id"]);
    assert!(entry["name"].as_str().unwrap().contains("Unity"));
    assert!(!entry["description"].as_str().unwrap().is_empty());
}

fn validator() -> jsonschema::Validator {
    compile(json_schema())
}

fn compile(schema: Value) -> jsonschema::Validator {
    assert!(jsonschema::meta::is_valid(&schema), "not a valid schema");
    jsonschema::draft7::new(&schema).expect("the schema compiles as draft-07")
}

fn errors(validator: &jsonschema::Validator, path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let instance: Value = serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
    validator
        .iter_errors(&instance)
        .map(|e| format!("{}: {e} at {}", path.display(), e.instance_path()))
        .collect()
}

/// `../shared` (real projects) exists only beside the repository in this workspace and in CI.
fn shared() -> Option<PathBuf> {
    let dir = root().join("../shared");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!(
            "SKIP: {} is absent: real manifests not checked",
            dir.display()
        );
        None
    }
}

#[test]
fn every_real_manifest_is_valid() {
    let Some(shared) = shared() else { return };
    let validator = validator();
    let mut paths: Vec<PathBuf> = Vec::new();
    for entry in std::fs::read_dir(shared.join("corpus")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            paths.push(path);
        }
    }
    for entry in std::fs::read_dir(shared.join("projects")).unwrap() {
        let path = entry.unwrap().path().join("Packages/manifest.json");
        if path.is_file() {
            paths.push(path);
        }
    }
    assert!(paths.len() > 50, "only {} manifests found", paths.len());
    let found: Vec<String> = paths.iter().flat_map(|p| errors(&validator, p)).collect();
    assert!(found.is_empty(), "{}", found.join("\n"));
    println!("{} real manifests valid", paths.len());
}

#[test]
fn fixture_pass_cases_are_valid_and_some_fail_cases_are_not() {
    let validator = validator();
    let fixtures = root().join("tests/fixtures");
    let mut checked = 0;
    for entry in std::fs::read_dir(&fixtures).unwrap() {
        let dir = entry.unwrap().path();
        let pass = dir.join("pass.json");
        if !pass.is_file() {
            continue;
        }
        let found = errors(&validator, &pass);
        assert!(found.is_empty(), "{}", found.join("\n"));
        checked += 1;
    }
    assert!(checked > 20, "only {checked} pass cases");
    // What the schema can know: a wrong type, an unknown strategy, empty scopes.
    for case in ["wrong-type", "invalid-value", "empty-scopes"] {
        let found = errors(&validator, &fixtures.join(case).join("fail.json"));
        assert!(!found.is_empty(), "{case}/fail.json passed the schema");
    }
}

/// The package.json fixtures (`tests/fixtures/<rule>/package/`): every pass case is valid for the
/// package schema, and the fail cases of what a schema can know are not.
#[test]
fn package_fixtures_against_the_package_schema() {
    let validator = compile(package_json_schema());
    let fixtures = root().join("tests/fixtures");
    let mut checked = 0;
    for entry in std::fs::read_dir(&fixtures).unwrap() {
        let pass = entry.unwrap().path().join("package/pass.json");
        if !pass.is_file() {
            continue;
        }
        let found = errors(&validator, &pass);
        assert!(found.is_empty(), "{}", found.join("\n"));
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} package.json pass cases");
    for case in [
        "invalid-package-version",
        "invalid-unity-version",
        "invalid-unity-release",
        "sample-without-path",
        "missing-property",
        "invalid-package-name",
    ] {
        let found = errors(&validator, &fixtures.join(case).join("package/fail.json"));
        assert!(
            !found.is_empty(),
            "{case}/package/fail.json passed the schema"
        );
    }
}
