//! The binary's `--fix`, `--diff`, configuration files, `--rule`, the lock file and embedded
//! packages, end to end on temporary Unity projects.

mod common;

use std::process::Output;

use common::{project, run, stderr, stdout};

use serde_json::Value;

/// Two duplicate scopes and a glob (safe fixes), an http URL (an unsafe fix), CRLF line breaks and
/// no final newline.
const FIXABLE: &str = "{\r\n  \"dependencies\": {\r\n    \"com.example.tools\": \"1.0.0\"\r\n  },\r\n  \"scopedRegistries\": [\r\n    {\r\n      \"name\": \"Example\",\r\n      \"url\": \"http://npm.example.com\",\r\n      \"scopes\": [\r\n        \"com.example\",\r\n        \"com.example.*\",\r\n        \"com.example\"\r\n      ]\r\n    }\r\n  ]\r\n}";

const SAFELY_FIXED: &str = "{\r\n  \"dependencies\": {\r\n    \"com.example.tools\": \"1.0.0\"\r\n  },\r\n  \"scopedRegistries\": [\r\n    {\r\n      \"name\": \"Example\",\r\n      \"url\": \"http://npm.example.com\",\r\n      \"scopes\": [\r\n        \"com.example\"\r\n      ]\r\n    }\r\n  ]\r\n}";

#[test]
fn fix_writes_the_safe_fixes_and_a_second_run_changes_nothing() {
    let (dir, path) = project(FIXABLE);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    }
    let o = run(&["check", "--fix"], dir.path());
    let out = stdout(&o);
    assert_eq!(
        o.status.code(),
        Some(0),
        "only a warning remains\n{out}{}",
        stderr(&o)
    );
    assert!(
        out.starts_with(
            "Applied 2 fixes to Packages/manifest.json (duplicate-scope: 1, glob-scope: 1).\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("warning[insecure-registry-url]"),
        "what remains is reported\n{out}"
    );
    let fixed = std::fs::read_to_string(&path).unwrap();
    assert_eq!(fixed, SAFELY_FIXED, "CRLF kept, nothing else touched");
    serde_json::from_str::<Value>(&fixed).expect("still strict JSON");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640, "permissions kept");
    }
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, ["manifest.json"], "no temporary file left");

    // Nothing left to do: the file is not even rewritten.
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let o = run(&["check", "--fix"], dir.path());
    assert_eq!(o.status.code(), Some(0));
    assert!(!stdout(&o).contains("Applied"), "{}", stdout(&o));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), SAFELY_FIXED);
    assert_eq!(
        std::fs::metadata(&path).unwrap().modified().unwrap(),
        modified
    );

    // --unsafe-fixes also applies the unsafe one.
    let o = run(&["check", "--fix", "--unsafe-fixes"], dir.path());
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).contains("(insecure-registry-url: 1)"),
        "{}",
        stdout(&o)
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        SAFELY_FIXED.replace("http://", "https://")
    );
}

#[test]
fn fix_reports_remaining_errors_in_machine_formats_and_counts_on_stderr() {
    let manifest = FIXABLE.replace("\"1.0.0\"", "\"^1.0.0\"");
    let (dir, path) = project(&manifest);
    let o = run(&["check", "--fix", "--format", "json"], dir.path());
    assert_eq!(o.status.code(), Some(1), "the range stays an error");
    let doc: Value = serde_json::from_slice(&o.stdout).expect("stdout is only the report");
    let rules: Vec<&str> = doc["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert!(
        rules.contains(&"invalid-version") && !rules.contains(&"duplicate-scope"),
        "{rules:?}"
    );
    assert!(stderr(&o).contains("Applied 2 fixes"), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&path).unwrap().contains("^1.0.0"));
}

#[test]
fn diff_shows_the_fixes_without_writing() {
    let (dir, path) = project(&FIXABLE.replace("\r\n", "\n"));
    let o = run(&["check", "--diff"], dir.path());
    assert_eq!(
        o.status.code(),
        Some(1),
        "exit 1: there is something to fix"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        FIXABLE.replace("\r\n", "\n"),
        "--diff never writes"
    );
    assert!(
        stderr(&o).contains("Would apply 2 fixes to Packages/manifest.json"),
        "{}",
        stderr(&o)
    );
    insta::assert_snapshot!(stdout(&o));

    let o = run(&["check", "--diff", "--unsafe-fixes"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("+      \"url\": \"https://npm.example.com\","),
        "{}",
        stdout(&o)
    );

    std::fs::write(&path, SAFELY_FIXED).unwrap();
    let o = run(&["check", "--diff"], dir.path());
    assert_eq!(o.status.code(), Some(0), "nothing to fix: exit 0");
    assert_eq!(stdout(&o), "");
    assert!(stderr(&o).contains("No fixes to apply."));
}

#[test]
fn fix_flags_are_checked() {
    let (dir, _) = project(FIXABLE);
    let o = run(&["check", "--unsafe-fixes"], dir.path());
    assert_eq!(
        o.status.code(),
        Some(2),
        "--unsafe-fixes needs --fix or --diff"
    );
    let o = run(&["check", "--diff", "--format", "json"], dir.path());
    assert_eq!(o.status.code(), Some(2), "a diff has one format");
}

#[test]
fn a_file_that_is_not_utf8_is_never_written() {
    let (dir, path) = project("");
    let bytes = b"{\"scopes\": [\"a\", \"a\"], \"x\": \"\xff\"}".to_vec();
    std::fs::write(&path, &bytes).unwrap();
    let o = run(&["check", "--fix"], dir.path());
    assert!(
        stderr(&o).contains("not fixing `Packages/manifest.json`: it is not UTF-8"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "the invalid-json error is reported"
    );
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

#[cfg(unix)]
#[test]
fn fixing_through_a_symbolic_link_keeps_the_link() {
    let (dir, path) = project(FIXABLE);
    let real = dir.path().join("real-manifest.json");
    std::fs::rename(&path, &real).unwrap();
    std::os::unix::fs::symlink(&real, &path).unwrap();
    let o = run(&["check", "--fix"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        std::fs::symlink_metadata(&path)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read_to_string(&real).unwrap(), SAFELY_FIXED);
}

const CONFIGURABLE: &str = r#"{"dependencies": {"com.example.tools": "1.0.0"}, "scopedRegistries": [{"name": "Example", "url": "https://npm.example.com", "scopes": ["com.example", "com.example.*"]}]}"#;

fn rules_of(o: &Output) -> Vec<(String, String)> {
    let doc: Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(o), stderr(o)));
    doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["diagnostics"].as_array().unwrap().clone())
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn configuration_changes_levels_and_the_command_line_wins() {
    let (dir, _) = project(CONFIGURABLE);
    let o = run(&["check", "--format", "json"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(rules_of(&o), [("glob-scope".into(), "error".into())]);

    std::fs::write(
        dir.path().join("manifest-lint.toml"),
        "[rules]\nglob-scope = \"warning\"\n",
    )
    .unwrap();
    let o = run(&["check", "--format", "json"], dir.path());
    assert_eq!(o.status.code(), Some(0), "a warning passes");
    assert_eq!(rules_of(&o), [("glob-scope".into(), "warning".into())]);

    // Found from a subfolder, and from a path given from elsewhere.
    let assets = dir.path().join("Assets");
    std::fs::create_dir(&assets).unwrap();
    let o = run(&["check", "--format", "json"], &assets);
    assert_eq!(rules_of(&o), [("glob-scope".into(), "warning".into())]);
    let elsewhere = tempfile::tempdir().unwrap();
    let o = run(
        &["check", "--format", "json", dir.path().to_str().unwrap()],
        elsewhere.path(),
    );
    assert_eq!(rules_of(&o), [("glob-scope".into(), "warning".into())]);

    let o = run(
        &["check", "--format", "json", "--rule", "glob-scope=off"],
        dir.path(),
    );
    assert_eq!(rules_of(&o), []);
    let o = run(
        &["check", "--format", "json", "--rule", "glob-scope=error"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1), "--rule overrides the file");
    let o = run(&["check", "--format", "json", "--no-config"], dir.path());
    assert_eq!(rules_of(&o), [("glob-scope".into(), "error".into())]);

    let other = dir.path().join("strict.toml");
    std::fs::write(&other, "[rules]\nglob-scope = \"hint\"\n").unwrap();
    let o = run(
        &["check", "--format", "json", "--config", "strict.toml"],
        dir.path(),
    );
    assert_eq!(rules_of(&o), [("glob-scope".into(), "hint".into())]);

    // An "off" rule's fix is not applied either.
    std::fs::write(
        dir.path().join("manifest-lint.toml"),
        "[rules]\nglob-scope = \"off\"\n",
    )
    .unwrap();
    let o = run(&["check", "--fix"], dir.path());
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("Packages/manifest.json")).unwrap(),
        CONFIGURABLE
    );
}

#[test]
fn discovery_stops_at_the_repository_root() {
    let outer = tempfile::tempdir().unwrap();
    std::fs::write(
        outer.path().join("manifest-lint.toml"),
        "[rules]\nglob-scope = \"off\"\n",
    )
    .unwrap();
    let repo = outer.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::create_dir_all(repo.join("Game/Packages")).unwrap();
    std::fs::write(repo.join("Game/Packages/manifest.json"), CONFIGURABLE).unwrap();
    let o = run(&["check", "--format", "json", "Game"], &repo);
    assert_eq!(
        rules_of(&o),
        [("glob-scope".into(), "error".into())],
        "the file above the repository is not used"
    );
    std::fs::remove_dir(repo.join(".git")).unwrap();
    let o = run(&["check", "--format", "json", "Game"], &repo);
    assert_eq!(
        rules_of(&o),
        [],
        "without a repository the search goes on up"
    );
}

#[test]
fn a_bad_configuration_is_a_usage_error_naming_the_file_and_key() {
    let (dir, _) = project(CONFIGURABLE);
    let config = dir.path().join("manifest-lint.toml");
    let cases = [
        (
            "[rules]\nglob-scop = \"off\"\n",
            "line 2, column 1: `rules.glob-scop`: no rule `glob-scop`; did you mean `glob-scope`?",
        ),
        (
            "[rules]\nglob-scope = \"fatal\"\n",
            "`rules.glob-scope`: `fatal` is not a level; use one of \"error\", \"warning\", \"info\", \"hint\", \"off\"",
        ),
        (
            "[online]\nenabled = true\ntimeout = -1\n",
            "`online.timeout`",
        ),
        ("[onlin]\nenabled = true\n", "unknown field `onlin`"),
        ("rules = [", "line 1"),
    ];
    for (text, expected) in cases {
        std::fs::write(&config, text).unwrap();
        let o = run(&["check"], dir.path());
        assert_eq!(o.status.code(), Some(2), "{text}");
        let err = stderr(&o);
        assert!(err.contains("invalid configuration `"), "{err}");
        assert!(err.contains("manifest-lint.toml`: "), "{err}");
        assert!(
            err.contains(expected),
            "{text}: expected `{expected}` in {err}"
        );
        assert_eq!(stdout(&o), "", "no report from a bad configuration");
    }
    let o = run(&["check", "--config", "missing.toml"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("`missing.toml`: no such file"),
        "{}",
        stderr(&o)
    );

    let o = run(&["check", "--rule", "glob-scop=off"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `glob-scope`?"),
        "{}",
        stderr(&o)
    );
    let o = run(&["check", "--rule", "glob-scope"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("expected ID=LEVEL"), "{}", stderr(&o));
}

const LOCKED: &str = r#"{"dependencies": {"com.example.tools": "1.0.0"}, "scopedRegistries": [{"name": "Example", "url": "https://npm.example.com", "scopes": ["com.example"]}]}"#;

fn lock(url: &str) -> String {
    format!(
        r#"{{"dependencies": {{"com.example.tools": {{"version": "1.0.0", "depth": 0, "source": "registry", "dependencies": {{}}, "url": "{url}"}}}}}}"#
    )
}

#[test]
fn the_lock_beside_the_manifest_is_compared() {
    let (dir, path) = project(LOCKED);
    let lock_path = path.with_file_name("packages-lock.json");
    std::fs::write(&lock_path, lock("https://npm.example.com/")).unwrap();
    let o = run(&["check", "--format", "json"], dir.path());
    assert_eq!(rules_of(&o), [], "same registry but for a slash");

    std::fs::write(&lock_path, lock("https://old.example.com")).unwrap();
    let o = run(
        &["check", "--format", "json", "--deny-warnings"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(rules_of(&o), [("stale-lock".into(), "warning".into())]);
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let message = doc["files"][0]["diagnostics"][0]["message"]
        .as_str()
        .unwrap();
    assert!(
        message.contains("https://old.example.com") && message.contains("https://npm.example.com"),
        "{message}"
    );

    std::fs::write(&lock_path, "{\"dependencies\": {").unwrap();
    let o = run(&["check", "--format", "json"], dir.path());
    assert_eq!(
        o.status.code(),
        Some(0),
        "a malformed lock is a warning, not a crash"
    );
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let d = &doc["files"][0]["diagnostics"][0];
    assert_eq!(d["rule"], "stale-lock");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .starts_with("packages-lock.json is not valid: line 1")
    );

    // The lock only counts beside a file named manifest.json.
    let copy = dir.path().join("other.json");
    std::fs::write(&copy, LOCKED).unwrap();
    std::fs::write(
        dir.path().join("packages-lock.json"),
        lock("https://old.example.com"),
    )
    .unwrap();
    let o = run(&["check", "--format", "json", "other.json"], dir.path());
    assert_eq!(rules_of(&o), []);
}

#[test]
fn embedded_packages_are_checked_for_ignored_scoped_registries() {
    let (dir, _) = project(LOCKED);
    let package = dir.path().join("Packages/com.example.local");
    std::fs::create_dir_all(&package).unwrap();
    std::fs::write(
        package.join("package.json"),
        "{\n  \"name\": \"com.example.local\",\n  \"version\": \"1.0.0\",\n  \"scopedRegistries\": []\n}\n",
    )
    .unwrap();
    let clean = dir.path().join("Packages/com.example.clean");
    std::fs::create_dir_all(&clean).unwrap();
    std::fs::write(
        clean.join("package.json"),
        "{\"name\": \"com.example.clean\", \"version\": \"1.0.0\"}",
    )
    .unwrap();

    let o = run(&["check", "--format", "json"], dir.path());
    assert_eq!(o.status.code(), Some(0), "a warning");
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let files = doc["files"].as_array().unwrap();
    assert_eq!(
        files.len(),
        2,
        "only the package.json with findings is listed: {doc:#}"
    );
    assert_eq!(files[1]["path"], "Packages/com.example.local/package.json");
    let d = &files[1]["diagnostics"][0];
    assert_eq!(d["rule"], "ignored-scoped-registries");
    assert_eq!(d["start"], serde_json::json!({"line": 4, "column": 3}));

    let o = run(&["check", "."], dir.path());
    let out = stdout(&o);
    assert!(
        out.contains("Packages/com.example.local/package.json:4:3"),
        "{out}"
    );
    assert!(
        out.contains("Checked 1 manifest and 1 package.json file: 0 errors, 1 warning"),
        "{out}"
    );

    let o = run(
        &[
            "check",
            "--format",
            "json",
            "--rule",
            "ignored-scoped-registries=off",
        ],
        dir.path(),
    );
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["files"].as_array().unwrap().len(), 1);
}
