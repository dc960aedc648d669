//! Hostile manifests against the binary (issue 14): secrets in Git URLs never printed, the
//! terminal never fed raw control characters or unbounded output, closed pipes end quietly, and
//! `--fix` never damages the user's file.

mod common;

use common::{project, run, stderr, stdout};

/// Git dependencies with credentials in every form the rule knows, one of them an http URL
/// without `.git` (whose `invalid-version` fix and message would repeat the value).
const GIT_SECRETS: &str = r#"{
  "dependencies": {
    "com.example.a": "https://ci:SECRETalpha1@git.example.com/a.git#v1.0.0",
    "com.example.b": "git+https://deploy:SECRETbravo2@git.example.com/b.git",
    "com.example.c": "ssh://builder:SECRETcharlie3@git.example.com/c.git",
    "com.example.d": "https://ghp_SECRETdelta4abcdefghijkl@github.com/o/d.git",
    "com.example.e": "https://ci:SECRETecho5@github.com/o/e#a1b2c3d"
  }
}
"#;

const TOKENS: &[&str] = &[
    "SECRETalpha1",
    "SECRETbravo2",
    "SECRETcharlie3",
    "SECRETdelta4",
    "SECRETecho5",
];

#[test]
fn git_url_credentials_reach_no_output() {
    let (dir, path) = project(GIT_SECRETS);
    let p = path.to_str().unwrap();
    let runs: Vec<Vec<&str>> = vec![
        vec!["check", p],
        vec!["check", "--format", "json", p],
        vec!["check", "--format", "jsonl", p],
        vec!["check", "--format", "sarif", p],
        vec!["check", "--format", "github", p],
        vec!["check", "--diff", "--unsafe-fixes", p],
        vec!["resolve", "--manifest", p, "com.example.a"],
    ];
    for args in &runs {
        let o = run(args, dir.path());
        let all = stdout(&o) + &stderr(&o);
        assert!(
            all.contains("git-url-credentials") || args[0] == "resolve" || args[1] == "--diff",
            "{args:?} did not report the rule:\n{all}"
        );
        for token in TOKENS {
            assert!(!all.contains(token), "{args:?} leaked {token}:\n{all}");
        }
    }
    // The diff shows the fix: the credentials go.
    let o = run(&["check", "--diff", "--unsafe-fixes", p], dir.path());
    let diff = stdout(&o);
    assert!(
        diff.contains("+    \"com.example.a\": \"https://git.example.com/a.git#v1.0.0\","),
        "{diff}"
    );
    // Over SSH the user name stays.
    assert!(
        diff.contains("\"ssh://builder@git.example.com/c.git\""),
        "{diff}"
    );
    // Applying the unsafe fixes removes them from the file, and says so without repeating them.
    let o = run(&["check", "--fix", "--unsafe-fixes", p], dir.path());
    let all = stdout(&o) + &stderr(&o);
    for token in TOKENS {
        assert!(!all.contains(token), "--fix leaked {token}:\n{all}");
    }
    let fixed = std::fs::read_to_string(&path).unwrap();
    for token in &TOKENS[..4] {
        assert!(!fixed.contains(token), "{fixed}");
    }
}

/// The bytes of `out` that a terminal would act on: C0 controls but line breaks and tabs, DEL,
/// and C1 controls (as UTF-8).
fn control_bytes(out: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(out);
    text.char_indices()
        .filter(|(_, c)| c.is_control() && !matches!(c, '\n' | '\t'))
        .map(|(i, c)| format!("U+{:04X} at {i}", c as u32))
        .collect()
}

#[test]
fn control_characters_of_the_input_never_reach_the_terminal() {
    // Raw in a key (not strict JSON but parsed), and escaped in another (the message quotes the
    // decoded key), a BEL in a registry name, and C1 controls.
    let manifest = "{\n  \"dependencies\": {\n    \"com.example.\u{1b}[2J\u{1b}]0;pwned\u{7}\": \"1.0.0\",\n    \"com.example.\\u001b[2Jx\": \"1.0.0\"\n  },\n  \"scopedRegistries\": [{\"name\": \"Bell\\u0007\u{9b}31m\", \"url\": \"http://npm.example.com\", \"scopes\": [\"com.example\", \"com.example\"]}],\n  \"\u{85}x\": 1\n}\n";
    let (dir, path) = project(manifest);
    let p = path.to_str().unwrap();
    let o = run(&["check", "--color", "never", p], dir.path());
    let out = stdout(&o);
    assert!(out.contains("error["), "{out}");
    assert!(out.contains("\\u{1b}[2J"), "escapes are visible:\n{out}");
    assert_eq!(control_bytes(&o.stdout), Vec::<String>::new(), "{out}");
    assert_eq!(control_bytes(&o.stderr), Vec::<String>::new());
    let o = run(&["check", "--format", "github", p], dir.path());
    assert!(stdout(&o).contains("::error"), "{}", stdout(&o));
    assert_eq!(
        control_bytes(&o.stdout),
        Vec::<String>::new(),
        "{}",
        stdout(&o)
    );
    let o = run(
        &["resolve", "--manifest", p, "com.example.\u{1b}[2Jx"],
        dir.path(),
    );
    assert!(stdout(&o).contains("Bell"), "{}", stdout(&o));
    assert_eq!(
        control_bytes(&o.stdout),
        Vec::<String>::new(),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_binary_file_shows_no_raw_bytes() {
    let mut bytes: Vec<u8> = (0u8..=255).collect();
    bytes.extend_from_slice(b"{\"a\": \x00\x1b[2J\x07\xff\xfe}");
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let path = common::write_manifest(dir.path(), &bytes);
    let o = run(&["check", path.to_str().unwrap()], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(std::str::from_utf8(&o.stdout).is_ok(), "output is text");
    assert_eq!(
        control_bytes(&o.stdout),
        Vec::<String>::new(),
        "{}",
        stdout(&o)
    );
}

#[test]
fn output_is_bounded_by_the_input_on_a_one_line_manifest() {
    // 400 duplicate scopes on one line of 8 KB: 399 diagnostics. Each used to repeat the whole
    // line (3.2 MB of output).
    let scopes = vec!["\"com.example\""; 400].join(", ");
    let manifest = format!(
        "{{\"scopedRegistries\": [{{\"name\": \"E\", \"url\": \"https://npm.example.com\", \"scopes\": [{scopes}]}}]}}"
    );
    assert!(manifest.len() > 6000);
    let (dir, path) = project(&manifest);
    let o = run(
        &["check", "--color", "never", path.to_str().unwrap()],
        dir.path(),
    );
    let out = stdout(&o);
    assert!(out.contains("warning[duplicate-scope]"), "{out}");
    let longest = out.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(longest < 200, "a line of {longest} characters");
    assert!(
        out.len() < 400 * 1000,
        "{} bytes of output for {} bytes of input",
        out.len(),
        manifest.len()
    );
    // The caret stays under the text it marks, and the header gives the original column.
    let lines: Vec<&str> = out.lines().collect();
    let header = lines.iter().position(|l| l.contains("┌─")).unwrap();
    let column: usize = lines[header].rsplit(':').next().unwrap().parse().unwrap();
    let second = manifest.match_indices("\"com.example\"").nth(1).unwrap().0;
    assert_eq!(column, second + 1, "{}", lines[header]);
    let source = lines[header + 2];
    let carets = lines[header + 3];
    let at = carets.find('^').unwrap();
    let width = carets[at..].chars().take_while(|&c| c == '^').count();
    let marked: String = source[at..].chars().take(width).collect();
    assert!(source.contains("..."), "{source}");
    assert_eq!(marked, "\"com.example\"", "\n{source}\n{carets}");
}

/// Runs the binary with its stdout closed before it writes anything.
fn with_closed_stdout(args: &[&str], cwd: &std::path::Path) -> std::process::Output {
    let mut child = common::bin()
        .args(args)
        .current_dir(cwd)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let scopes = vec!["\"com.example\""; 2000].join(",\n");
    let manifest = format!(
        "{{\"scopedRegistries\": [{{\"name\": \"E\", \"url\": \"https://npm.example.com\", \"scopes\": [{scopes}]}}], \"dependencies\": {{\"com.example.a\": \"1.0.0\"}}}}"
    );
    let (dir, path) = project(&manifest);
    let p = path.to_str().unwrap();
    for args in [
        vec!["explain", "glob-scope"],
        vec!["rules"],
        vec!["rules", "--format", "json"],
        vec!["resolve", "--manifest", p, "com.example.a"],
        vec!["check", p],
        vec!["check", "--format", "json", p],
        vec!["check", "--format", "sarif", p],
        vec!["check", "--diff", p],
    ] {
        let o = with_closed_stdout(&args, dir.path());
        let err = stderr(&o);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(!err.contains("Broken pipe"), "{args:?}: {err}");
        assert_ne!(o.status.code(), Some(101), "{args:?}: {err}");
    }
}

/// The `.tmp` files in a folder.
fn temp_files(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect()
}

const DUPLICATE_SCOPE: &str = r#"{"scopedRegistries": [{"name": "E", "url": "https://npm.example.com", "scopes": ["com.example", "com.example"]}]}"#;

#[test]
fn fix_never_writes_text_that_is_not_strict_json() {
    // The duplicate-key fix deletes up to the second member, the missing-comma fix inserts
    // there: together they wrote `{,"a": "1"}` and called it fixed.
    let (dir, path) =
        project(r#"{"dependencies": {"com.example.a": "1.0.0""com.example.a": "1.0.0"}}"#);
    let o = run(&["check", "--fix", path.to_str().unwrap()], dir.path());
    let fixed = std::fs::read_to_string(&path).unwrap();
    assert!(
        serde_json::from_str::<serde_json::Value>(&fixed).is_ok(),
        "{fixed}\n{}",
        stderr(&o)
    );
    assert_eq!(fixed, r#"{"dependencies": {"com.example.a": "1.0.0"}}"#);

    // A comment has only an unsafe fix: the safe ones would leave it, so nothing is written.
    let text = "{\n  // keep\n  \"scopedRegistries\": [{\"name\": \"E\", \"url\": \"https://npm.example.com\", \"scopes\": [\"com.example\", \"com.example\"]}]\n}\n";
    std::fs::write(&path, text).unwrap();
    let o = run(&["check", "--fix", path.to_str().unwrap()], dir.path());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    assert!(stderr(&o).contains("not applying 1 fix"), "{}", stderr(&o));
}

#[cfg(unix)]
#[test]
fn fix_leaves_read_only_files_and_hard_links_alone() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, path) = project(DUPLICATE_SCOPE);
    let p = path.to_str().unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let o = run(&["check", "--fix", p], dir.path());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("read-only"), "{}", stderr(&o));
    assert!(stderr(&o).contains("Perforce"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), DUPLICATE_SCOPE);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o444);

    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let link = dir.path().join("manifest-link.json");
    std::fs::hard_link(&path, &link).unwrap();
    let o = run(&["check", "--fix", p], dir.path());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("hard links"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), DUPLICATE_SCOPE);
    assert_eq!(std::fs::read_to_string(&link).unwrap(), DUPLICATE_SCOPE);
    assert_eq!(temp_files(path.parent().unwrap()), Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn fix_keeps_owner_group_and_extended_attributes() {
    use std::os::unix::fs::MetadataExt;
    let (dir, path) = project(DUPLICATE_SCOPE);
    // Files we create are ours: uid 0 means root, who may give them away.
    let root = std::fs::metadata(&path).unwrap().uid() == 0;
    if root {
        std::os::unix::fs::chown(&path, Some(4321), Some(4322)).unwrap();
    } else {
        println!("SKIP owner and group: not running as root, cannot give the file another owner");
    }
    let xattr = rustix::fs::setxattr(
        &path,
        "user.manifest-lint-test",
        b"kept",
        rustix::fs::XattrFlags::empty(),
    );
    if let Err(e) = &xattr {
        println!("SKIP extended attributes: this file system refuses them ({e})");
    }
    let o = run(&["check", "--fix", path.to_str().unwrap()], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let fixed = std::fs::read_to_string(&path).unwrap();
    assert_ne!(fixed, DUPLICATE_SCOPE, "the fix was applied");
    let meta = std::fs::metadata(&path).unwrap();
    if root {
        assert_eq!((meta.uid(), meta.gid()), (4321, 4322));
    }
    if xattr.is_ok() {
        let mut value = [0u8; 16];
        let n = rustix::fs::getxattr(&path, "user.manifest-lint-test", &mut value[..]).unwrap();
        assert_eq!(&value[..n], b"kept");
    }
}

#[test]
fn fix_removes_temporary_files_a_crashed_run_left() {
    let (dir, path) = project(DUPLICATE_SCOPE);
    let packages = path.parent().unwrap();
    let stale = packages.join(".manifest-lint-crashed.tmp");
    let fresh = packages.join(".manifest-lint-running.tmp");
    let other = packages.join("notes.tmp");
    for f in [&stale, &fresh, &other] {
        std::fs::write(f, "half").unwrap();
    }
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for f in [&stale, &other] {
        std::fs::File::options()
            .write(true)
            .open(f)
            .unwrap()
            .set_modified(hour_ago)
            .unwrap();
    }
    let o = run(&["check", "--fix", path.to_str().unwrap()], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut left = temp_files(packages);
    left.sort();
    // A stale file of ours goes; one of a run going on beside and the user's own stay.
    assert_eq!(left, [".manifest-lint-running.tmp", "notes.tmp"]);
}

#[test]
fn a_diff_on_a_terminal_escapes_control_characters_and_a_piped_one_stays_a_patch() {
    // In a comment (whose removal is an unsafe fix): the diff shows the removed line.
    let manifest = "{\n  // \u{1b}]0;pwned\u{7}\n  \"scopedRegistries\": [{\"name\": \"E\", \"url\": \"https://npm.example.com\", \"scopes\": [\"com.example\", \"com.example\"]}]\n}\n";
    let (dir, path) = project(manifest);
    let p = path.to_str().unwrap();
    let piped = run(&["check", "--diff", "--unsafe-fixes", p], dir.path());
    assert!(
        stdout(&piped).contains("\u{1b}]0;pwned"),
        "a piped diff is the patch"
    );
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        println!("SKIP the terminal half: util-linux `script` (for a pseudo-terminal) is missing");
        return;
    }
    let bin = env!("CARGO_BIN_EXE_manifest-lint");
    let o = std::process::Command::new("script")
        .args([
            "-qec",
            &format!("'{bin}' check --diff --unsafe-fixes '{p}'"),
            "/dev/null",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let out = stdout(&o);
    assert!(out.contains("-  \"scopedRegistries\""), "{out}");
    assert!(out.contains("\\u{1b}]0;pwned\\u{7}"), "{out}");
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
}
