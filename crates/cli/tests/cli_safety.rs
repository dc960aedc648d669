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
