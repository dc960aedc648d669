//! `check --format sarif|github|jsonl`: snapshots of each format, and every SARIF log the binary
//! writes validated against the official SARIF 2.1.0 schema (vendored in `tests/data/`).

mod common;

use std::path::Path;
use std::process::Output;

use common::{repo, run};

use serde_json::Value;

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("output is UTF-8")
}

/// The SARIF log of `check --format sarif <args>` run from `cwd`, validated.
fn sarif(args: &[&str], cwd: &Path) -> Value {
    let mut all = vec!["check", "--format", "sarif"];
    all.extend_from_slice(args);
    let o = run(&all, cwd);
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{:?}: {}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
    let log: Value = serde_json::from_slice(&o.stdout).expect("stdout is one JSON document");
    validate(&log);
    let mut uris = Vec::new();
    all_uris(&log["runs"][0]["results"], &mut uris);
    for uri in uris {
        assert!(
            valid_uri_reference(&uri),
            "not a percent-encoded URI reference: {uri}"
        );
    }
    log
}

fn violations(log: &Value) -> Vec<String> {
    let schema: Value = serde_json::from_str(include_str!("data/sarif-schema-2.1.0.json"))
        .expect("the vendored schema is JSON");
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles");
    validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn validate(log: &Value) {
    let errors = violations(log);
    assert!(
        errors.is_empty(),
        "SARIF schema violations:\n{}",
        errors.join("\n")
    );
}

#[test]
fn the_schema_check_rejects_what_it_should() {
    let mut log = sarif(&["tests/fixtures/duplicate-scope/fail.json"], &repo());
    let region = &mut log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    region["startLine"] = 0.into();
    assert!(!violations(&log).is_empty(), "lines start at 1");
    let mut log = sarif(&["tests/fixtures/duplicate-scope/fail.json"], &repo());
    log["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!violations(&log).is_empty(), "levels are an enum");
    // Draft 4 knows no `uri-reference` format, so URIs are checked by `valid_uri_reference`.
}

/// A URI reference as this tool writes them: unreserved characters, `/`, `:` (only in `file:`
/// URIs) and `%XX` escapes.
fn valid_uri_reference(uri: &str) -> bool {
    let rest = uri.strip_prefix("file:///").unwrap_or(uri);
    let bytes = rest.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => i += 1,
            b':' if uri.starts_with("file:") => i += 1,
            b'%' if bytes.len() > i + 2
                && bytes[i + 1].is_ascii_hexdigit()
                && bytes[i + 2].is_ascii_hexdigit() =>
            {
                i += 3
            }
            _ => return false,
        }
    }
    true
}

fn all_uris(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("uri", Value::String(s)) => out.push(s.clone()),
                    _ => all_uris(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| all_uris(v, out)),
        _ => {}
    }
}

/// Replaces the version (which changes with every release) and shortens the rule table to ids,
/// for snapshots.
fn stable(mut log: Value) -> Value {
    let driver = &mut log["runs"][0]["tool"]["driver"];
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    driver["version"] = "[VERSION]".into();
    driver["semanticVersion"] = "[VERSION]".into();
    let ids: Vec<Value> = driver["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].clone())
        .collect();
    driver["rules"] = Value::Array(ids);
    log
}

#[test]
fn sarif_of_the_sample_project_and_fixtures_is_valid() {
    let log = sarif(&["examples/sample-project"], &repo());
    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "manifest-lint");
    assert_eq!(
        driver["informationUri"],
        "https://github.com/manifest-lint/manifest-lint"
    );
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), manifest_lint_core::RULES.len());
    for (rule, meta) in rules.iter().zip(manifest_lint_core::RULES) {
        assert_eq!(rule["id"], meta.id);
        assert_eq!(rule["shortDescription"]["text"], meta.summary);
        assert_eq!(rule["help"]["markdown"], meta.documentation());
        assert_eq!(rule["helpUri"], meta.url());
        assert!(!rule["fullDescription"]["text"].as_str().unwrap().is_empty());
    }
    let results = run["results"].as_array().unwrap();
    assert!(results.len() >= 10, "{results:#?}");
    for result in results {
        let id = result["ruleId"].as_str().unwrap();
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], id, "ruleIndex points at the rule");
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(
            location["artifactLocation"],
            serde_json::json!({"uri": "examples/sample-project/Packages/manifest.json", "uriBaseId": "%SRCROOT%"})
        );
        let region = &location["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1);
        assert!(region["startColumn"].as_u64().unwrap() >= 1);
    }
    let levels: Vec<&str> = results
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    assert!(levels.contains(&"error") && levels.contains(&"warning") && levels.contains(&"note"));
    assert!(
        results.iter().any(|r| r["fixes"].is_array()),
        "fixes are included"
    );
    assert!(
        results.iter().any(|r| r["relatedLocations"].is_array()),
        "labels are related locations"
    );

    for fixture in [
        "tests/fixtures/glob-scope/fail.json",
        "tests/fixtures/invalid-json/fail-jsonc.json",
        "tests/fixtures/invalid-json/fail-bom.json",
        "tests/fixtures/invalid-json/fail-empty.json",
        "tests/fixtures/duplicate-key/fail.json",
        "tests/fixtures/registry-url-credentials/fail.json",
        "tests/fixtures/wrong-type/fail-root.json",
    ] {
        sarif(&[fixture], &repo());
    }
    // No finding at all still makes a valid (empty) run.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("manifest.json");
    std::fs::write(&path, r#"{"dependencies": {"com.unity.ugui": "1.0.0"}}"#).unwrap();
    let log = sarif(&[path.to_str().unwrap()], dir.path());
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
}

#[test]
fn sarif_snapshot() {
    let log = sarif(&["tests/fixtures/duplicate-scope/fail.json"], &repo());
    insta::assert_snapshot!(serde_json::to_string_pretty(&stable(log)).unwrap());
}

#[test]
fn sarif_columns_count_characters_and_uris_are_encoded() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("My Game #1").join("Packages");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let text = "{\"scopedRegistries\": [{\"name\": \"😀é\", \"url\": \"https://npm.example.com\", \"scopes\": [\"com.example.*\"]}]}";
    std::fs::write(folder.join("manifest.json"), text).unwrap();
    // Run from a subfolder: the URI is still relative to the repository root.
    let log = sarif(&["Packages/manifest.json"], &dir.path().join("My Game #1"));
    let result = &log["runs"][0]["results"][0];
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        "My%20Game%20%231/Packages/manifest.json"
    );
    let start = text.find("\"com.example.*\"").unwrap();
    let column = text[..start].chars().count() + 1;
    assert_eq!(location["region"]["startColumn"], column);
    assert_eq!(
        location["region"]["endColumn"],
        column + "\"com.example.*\"".len()
    );

    // Outside the current folder and any repository: an absolute file URI.
    let other = tempfile::tempdir().unwrap();
    let log = sarif(
        &[folder.join("manifest.json").to_str().unwrap()],
        other.path(),
    );
    let uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(uri.starts_with("file:///"), "{uri}");
    assert!(
        uri.ends_with("/My%20Game%20%231/Packages/manifest.json"),
        "{uri}"
    );
}

#[test]
fn github_annotations_snapshot_and_escapes() {
    let o = run(
        &[
            "check",
            "--format",
            "github",
            "tests/fixtures/duplicate-scope/fail.json",
            "tests/fixtures/invalid-json/fail-syntax.json",
            "tests/fixtures/unscoped-dependency/fail.json",
        ],
        &repo(),
    );
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    for line in text.lines() {
        assert!(
            line.starts_with("::error file=")
                || line.starts_with("::warning file=")
                || line.starts_with("::notice file="),
            "{line}"
        );
        let (properties, message) = line[2..].split_once("::").unwrap();
        assert!(!message.contains('\n') && !message.contains('\r'));
        assert!(properties.contains(",title=manifest-lint ("), "{line}");
    }
    insta::assert_snapshot!(text);

    // A multi-line span has no columns; messages and properties are escaped.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a,b:c.json");
    std::fs::write(&path, "{\"dependencies\": [\n  \"x\"\n]}").unwrap();
    let o = run(&["check", "--format", "github", "a,b:c.json"], dir.path());
    let text = stdout(&o);
    let line = text
        .lines()
        .find(|l| l.contains("wrong-type"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        line.starts_with("::error file=a%2Cb%3Ac.json,line=1,endLine=3,title="),
        "{line}"
    );
    assert!(!line.contains("col="), "{line}");
}

#[test]
fn jsonl_is_one_object_per_diagnostic() {
    let o = run(
        &[
            "check",
            "--format",
            "jsonl",
            "tests/fixtures/duplicate-scope/fail.json",
            "tests/fixtures/glob-scope/pass.json",
            "tests/fixtures/glob-scope/fail.json",
        ],
        &repo(),
    );
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    let objects: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is one JSON object"))
        .collect();
    let json = run(
        &[
            "check",
            "--format",
            "json",
            "tests/fixtures/duplicate-scope/fail.json",
            "tests/fixtures/glob-scope/pass.json",
            "tests/fixtures/glob-scope/fail.json",
        ],
        &repo(),
    );
    let doc: Value = serde_json::from_slice(&json.stdout).unwrap();
    let mut expected = Vec::new();
    for file in doc["files"].as_array().unwrap() {
        for d in file["diagnostics"].as_array().unwrap() {
            let mut d = d.clone();
            d["path"] = file["path"].clone();
            expected.push(d);
        }
    }
    assert_eq!(objects, expected, "the same diagnostics as --format json");
    insta::assert_snapshot!(text);
}

#[test]
fn credentials_stay_out_of_sarif_github_and_jsonl() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("manifest.json");
    // http: the insecure-registry-url fix would repeat the credentials in its replacement.
    std::fs::write(
        &path,
        r#"{"scopedRegistries": [{"name": "E", "url": "http://bot:hunter2@npm.example.com", "scopes": ["com.example"]}]}"#,
    )
    .unwrap();
    for format in ["sarif", "github", "jsonl", "json"] {
        let o = run(&["check", "--format", format, "manifest.json"], dir.path());
        let all = stdout(&o) + &String::from_utf8_lossy(&o.stderr);
        assert!(all.contains("insecure-registry-url"), "{format}: {all}");
        assert!(
            !all.contains("hunter2"),
            "{format} leaked the secret:\n{all}"
        );
    }
}
