//! The `manifest-lint` binary as users and CI run it: exit statuses, output shapes, paths,
//! hostile input.

mod common;

use common::{bin, project, repo, run, stderr, stdout, write_manifest};

use serde_json::Value;

const CLEAN: &str = r#"{"dependencies": {"com.example.tools": "1.0.0"}, "scopedRegistries": [{"name": "Example", "url": "https://npm.example.com", "scopes": ["com.example"]}]}"#;
const GLOB: &str = "{\n  \"scopedRegistries\": [\n    {\n      \"name\": \"Example\",\n      \"url\": \"https://npm.example.com\",\n      \"scopes\": [\"com.example.*\"]\n    }\n  ]\n}\n";
const WARNING_ONLY: &str = r#"{"scopedRegistries": [{"name": "Example", "url": "https://npm.example.com", "scopes": ["com.example", "com.example"]}]}"#;

#[test]
fn exit_status_is_0_clean_1_errors_2_usage() {
    let dir = tempfile::tempdir().unwrap();
    let clean = write_manifest(&dir.path().join("clean"), CLEAN.as_bytes());
    let bad = write_manifest(&dir.path().join("bad"), GLOB.as_bytes());
    let warn = write_manifest(&dir.path().join("warn"), WARNING_ONLY.as_bytes());

    let o = run(&["check", clean.to_str().unwrap()], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("No problems found in 1 manifest."));

    let o = run(&["check", bad.to_str().unwrap()], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("error[glob-scope]"), "{}", stdout(&o));

    let o = run(&["check", warn.to_str().unwrap()], dir.path());
    assert_eq!(o.status.code(), Some(0), "warnings alone pass");
    let o = run(
        &["check", "--deny-warnings", warn.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "--deny-warnings fails on warnings"
    );

    let o = run(&["check", "--format", "yaml"], dir.path());
    assert_eq!(o.status.code(), Some(2), "unknown format is a usage error");
    let o = run(&["frobnicate"], dir.path());
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_missing_file_says_which_path_and_why() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(&["check", "nope/manifest.json"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("nope/manifest.json") && err.contains("no such file"),
        "{err}"
    );

    let o = run(&["check", "."], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("without Packages/manifest.json"),
        "{}",
        stderr(&o)
    );

    // No path: the search upwards finds nothing in an empty temp folder.
    let o = run(&["check"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no Packages/manifest.json"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn nothing_readable_is_exit_2_with_the_error_on_stderr_and_no_report() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("NotAProject")).unwrap();
    for args in [
        &["check", "missing/Packages/manifest.json"][..],
        &["check", "NotAProject"],
        &["check", "NotAProject", "missing.json"],
        &["check", "--format", "json", "NotAProject"],
        &["check", "--format", "sarif", "missing.json"],
    ] {
        let o = run(args, dir.path());
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert_eq!(stdout(&o), "", "{args:?}: no report of 0 manifests");
        assert!(stderr(&o).contains("manifest-lint: error: "), "{args:?}");
    }
    let o = run(&["check", "NotAProject"], dir.path());
    assert!(
        stderr(&o).contains("`NotAProject` is a folder without Packages/manifest.json"),
        "{}",
        stderr(&o)
    );

    // One readable manifest among missing ones: its report, and still exit 2.
    let clean = write_manifest(&dir.path().join("Game"), CLEAN.as_bytes());
    let o = run(
        &["check", "missing.json", clean.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).contains("No problems found in 1 manifest."),
        "{}",
        stdout(&o)
    );
    assert!(stderr(&o).contains("missing.json"), "{}", stderr(&o));
}

#[test]
fn a_project_folder_or_the_current_folder_finds_the_manifest() {
    let dir = tempfile::tempdir().unwrap();
    write_manifest(dir.path(), GLOB.as_bytes());
    let o = run(&["check", "."], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("Packages/manifest.json:6:18"),
        "{}",
        stdout(&o)
    );

    // From a subfolder of the project, with no path.
    let assets = dir.path().join("Assets").join("Scripts");
    std::fs::create_dir_all(&assets).unwrap();
    let o = run(&["check"], &assets);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).contains("glob-scope"));
}

#[test]
fn json_output_is_one_document_with_one_based_character_columns() {
    let dir = tempfile::tempdir().unwrap();
    // An emoji before the scope on the same line: columns count characters, not bytes.
    let text = "{\"scopedRegistries\": [{\"name\": \"😀\", \"url\": \"https://npm.example.com\", \"scopes\": [\"com.example.*\"]}]}";
    let path = write_manifest(dir.path(), text.as_bytes());
    let o = run(
        &["check", "--format", "json", path.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    let doc: Value =
        serde_json::from_slice(&o.stdout).expect("stdout is exactly one JSON document");
    assert_eq!(doc["version"], 1);
    let file = &doc["files"][0];
    assert_eq!(file["path"], path.to_str().unwrap());
    let d = &file["diagnostics"][0];
    assert_eq!(d["rule"], "glob-scope");
    assert_eq!(d["severity"], "error");
    let scope_col = text.find("\"com.example.*\"").unwrap();
    let chars_before = text[..scope_col].chars().count();
    assert_eq!(
        d["start"],
        serde_json::json!({"line": 1, "column": chars_before + 1})
    );
    assert_eq!(
        d["end"],
        serde_json::json!({"line": 1, "column": chars_before + 1 + "\"com.example.*\"".len()})
    );
    assert_eq!(d["fix"]["applicability"], "safe");
    assert_eq!(d["fix"]["edits"][0]["replacement"], "\"com.example\"");
    assert_eq!(
        doc["summary"],
        serde_json::json!({"errors": 1, "warnings": 0, "infos": 0, "hints": 0})
    );
}

#[test]
fn every_severity_appears_in_json_and_the_summary() {
    let o = run(
        &["check", "--format", "json", "examples/sample-project"],
        &repo(),
    );
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let diagnostics = doc["files"][0]["diagnostics"].as_array().unwrap();
    let count = |s: &str| diagnostics.iter().filter(|d| d["severity"] == s).count();
    for (key, severity) in [
        ("errors", "error"),
        ("warnings", "warning"),
        ("infos", "info"),
        ("hints", "hint"),
    ] {
        assert_eq!(doc["summary"][key], count(severity), "{key}");
    }
    assert!(
        count("error") >= 5 && count("warning") >= 3 && count("hint") >= 1,
        "{diagnostics:#?}"
    );
}

#[test]
fn human_output_has_colour_only_when_asked_and_never_with_no_color() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_manifest(dir.path(), GLOB.as_bytes());
    let p = path.to_str().unwrap();
    let o = run(&["check", "--color", "always", p], dir.path());
    assert!(stdout(&o).contains("\u{1b}["), "colour requested");
    let o = run(&["check", p], dir.path());
    assert!(!stdout(&o).contains("\u{1b}["), "no colour into a pipe");
    let o = bin()
        .args(["check", p])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!stdout(&o).contains("\u{1b}["));
    let text = stdout(&o);
    assert!(
        text.contains("error[glob-scope]: `com.example.*` is a glob pattern"),
        "{text}"
    );
    assert!(
        text.trim_end().ends_with(
            "Checked 1 manifest: 1 error, 0 warnings, 0 infos, 0 hints. 1 with a safe fix."
        ),
        "{text}"
    );
}

#[test]
fn hostile_input_gets_a_diagnostic_never_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty", Vec::new(), "The manifest is empty"),
        (
            "binary",
            vec![
                0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0xff, 0xfe,
            ],
            "not UTF-8",
        ),
        ("nul", b"{\"a\": \0}".to_vec(), "invalid-json"),
        ("array root", b"[1, 2]".to_vec(), "must be an object"),
        ("deep", "[".repeat(200_000).into_bytes(), "nested more than"),
        (
            "bom",
            [&[0xEF, 0xBB, 0xBF][..], CLEAN.as_bytes()].concat(),
            "byte order mark",
        ),
    ];
    for (name, bytes, expect) in cases {
        let path = write_manifest(&dir.path().join(name.replace(' ', "_")), &bytes);
        let o = run(&["check", path.to_str().unwrap()], dir.path());
        let out = stdout(&o);
        assert!(
            matches!(o.status.code(), Some(0 | 1)),
            "{name}: {:?} {}",
            o.status,
            stderr(&o)
        );
        assert!(
            out.contains(expect),
            "{name}: expected `{expect}` in\n{out}"
        );
    }
}

#[test]
fn secrets_in_urls_never_reach_any_output() {
    let dir = tempfile::tempdir().unwrap();
    let text = r#"{"dependencies": {"com.example.a": "1.0.0"}, "scopedRegistries": [{"name": "Example", "url": "https://bot:hunter2-secret@npm.example.com", "scopes": ["com.example"]}]}"#;
    let path = write_manifest(dir.path(), text.as_bytes());
    let p = path.to_str().unwrap();
    for args in [
        vec!["check", p],
        vec!["check", "--format", "json", p],
        vec!["resolve", "--manifest", p, "com.example.a"],
    ] {
        let o = run(&args, dir.path());
        let all = stdout(&o) + &stderr(&o);
        assert!(
            !all.contains("hunter2"),
            "{args:?} leaked the secret:\n{all}"
        );
        assert!(!all.contains("bot:"), "{args:?} leaked the user:\n{all}");
    }
}

#[test]
fn resolve_explains_the_choice_in_text_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let text = r#"{"scopedRegistries": [
        {"name": "General", "url": "https://example.com/registry", "scopes": ["com.example", "com.example.tools.physics"]},
        {"name": "Tools", "url": "https://mycompany.example.com/tools-registry", "scopes": ["com.example.mycompany.tools"]}]}"#;
    write_manifest(dir.path(), text.as_bytes());
    let o = run(
        &[
            "resolve",
            "--format",
            "json",
            "com.example.mycompany.tools.animation",
            "com.unity.animation",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc[0]["package"], "com.example.mycompany.tools.animation");
    assert_eq!(
        doc[0]["registry"],
        serde_json::json!({"name": "Tools", "url": "https://mycompany.example.com/tools-registry"})
    );
    assert_eq!(doc[0]["scope"], "com.example.mycompany.tools");
    assert_eq!(doc[0]["default"], false);
    assert_eq!(doc[0]["candidates"][0]["scope"], "com.example");
    assert_eq!(doc[1]["default"], true);
    assert_eq!(doc[1]["scope"], Value::Null);
    assert_eq!(doc[1]["registry"]["url"], "https://packages.unity.com");

    let o = run(&["resolve", "com.example.animation"], dir.path());
    let text = stdout(&o);
    assert!(
        text.starts_with("com.example.animation -> General (https://example.com/registry)"),
        "{text}"
    );
    assert!(text.contains("longest that matches"), "{text}");

    let o = run(&["resolve"], dir.path());
    assert_eq!(o.status.code(), Some(2), "a package is required");
}

#[test]
fn resolve_given_a_path_first_says_to_use_manifest() {
    let (dir, _) = project(CLEAN);
    for first in [
        "Packages/manifest.json",
        ".",
        "Other/Packages/manifest.json",
        "manifest.json",
        "C:\\Game",
    ] {
        let o = run(&["resolve", first, "com.example.tools"], dir.path());
        assert_eq!(o.status.code(), Some(2), "{first}");
        assert_eq!(stdout(&o), "", "{first}");
        let err = stderr(&o);
        assert!(
            err.contains(&format!("`{first}` is a path, not a package name"))
                && err.contains(&format!(
                    "manifest-lint resolve --manifest {first} com.example.tools"
                )),
            "{first}: {err}"
        );
    }
    // An embedded package's folder is named like the package: that is still a package name.
    let packages = dir.path().join("Packages");
    std::fs::create_dir(packages.join("com.example.tools")).unwrap();
    std::fs::write(packages.join("com.example.tools/package.json"), "{}").unwrap();
    let o = run(&["resolve", "com.example.tools"], &packages);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("com.example.tools -> Example"),
        "{}",
        stdout(&o)
    );
    // With --manifest, the packages are not second-guessed.
    let o = run(
        &["resolve", "--manifest", ".", "com.example.tools"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn hints_print_as_hint_like_the_summary_calls_them() {
    let text = r#"{"scopedRegistries": [{"name": "Example", "url": "https://npm.example.com", "scopes": ["com.example", "com.example.tools"]}]}"#;
    let (dir, path) = project(text);
    let p = path.to_str().unwrap();
    for color in ["never", "always"] {
        let o = run(&["check", "--color", color, p], dir.path());
        let out = stdout(&o);
        assert!(out.contains("hint[redundant-scope]"), "{color}: {out}");
        assert!(!out.contains("help["), "{color}: {out}");
        assert!(out.contains("1 hint."), "{color}: {out}");
    }
}

#[test]
fn one_timeout_bound_for_the_flag_and_the_configuration() {
    let (dir, path) = project(CLEAN);
    let p = path.to_str().unwrap();
    let message = |shown: &str| {
        format!("{shown} is not a timeout: give seconds, more than 0 and at most 3600")
    };
    for bad in ["0", "3601", "-1", "soon"] {
        let flag = format!("--registry-timeout={bad}");
        let o = run(&["check", &flag, p], dir.path());
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert!(
            stderr(&o).contains(&message(&format!("`{bad}`"))),
            "{bad}: {}",
            stderr(&o)
        );
    }
    // The bound itself is accepted (offline: nothing is asked of the network).
    let o = run(
        &["check", "--offline", "--registry-timeout", "3600", p],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    let config = dir.path().join("manifest-lint.toml");
    std::fs::write(&config, "[online]\ntimeout = 3601\n").unwrap();
    let o = run(&["check", "--offline", p], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(&format!("`online.timeout`: {}", message("`3601`"))),
        "{}",
        stderr(&o)
    );
    std::fs::write(&config, "[online]\ntimeout = 3600\n").unwrap();
    let o = run(&["check", "--offline", p], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn resolve_says_a_built_in_module_comes_from_the_editor() {
    let dir = tempfile::tempdir().unwrap();
    write_manifest(
        dir.path(),
        br#"{"dependencies": {"com.unity.modules.audio": "1.0.0"}}"#,
    );
    let o = run(&["resolve", "com.unity.modules.audio"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.starts_with("com.unity.modules.audio -> built-in (from the Unity Editor)"),
        "{text}"
    );
    assert!(!text.contains("packages.unity.com"), "{text}");
    let o = run(
        &["resolve", "--format", "json", "com.unity.modules.audio"],
        dir.path(),
    );
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc[0]["builtin"], true);
    assert_eq!(doc[0]["registry"]["url"], "");
}

#[test]
fn rules_and_explain_come_from_the_rule_table() {
    let o = run(&["rules", "--format", "json"], &repo());
    let rules: Value = serde_json::from_slice(&o.stdout).unwrap();
    let ids: Vec<&str> = rules
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), manifest_lint_count());
    assert!(ids.contains(&"glob-scope") && ids.contains(&"unscoped-dependency"));

    let o = run(&["explain", "glob-scope"], &repo());
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    assert!(
        text.contains("## Why is this bad?") && text.contains("com.example.*"),
        "{text}"
    );

    let o = run(&["explain", "glob-scopes"], &repo());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `glob-scope`"),
        "{}",
        stderr(&o)
    );
}

fn manifest_lint_count() -> usize {
    let o = run(&["rules"], &repo());
    stdout(&o).lines().count()
}

#[test]
fn version_and_help() {
    let o = run(&["--version"], &repo());
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("manifest-lint "));
    let o = run(&["--help"], &repo());
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("Examples:"));
}
