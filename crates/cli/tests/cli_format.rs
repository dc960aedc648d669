//! `manifest-lint format`: Unity's layout, written atomically; `--check` for pre-commit; and
//! the real projects' manifests, which must come out with the same data and stay put.

mod common;

use std::path::{Path, PathBuf};

use common::{project, run, stderr, stdout};

const MESSY: &str = "{\"dependencies\":{\"com.unity.ugui\" : \"1.0.0\",\n\t\"com.example.a\":\"file:../a\"},\n\"scopedRegistries\":[{\"name\":\"Example\",\"url\":\"https://npm.example.com\",\"scopes\":[\"com.example\"]}],\"testables\":[ ]}\n";

const UNITY: &str = "{\n  \"dependencies\": {\n    \"com.unity.ugui\": \"1.0.0\",\n    \"com.example.a\": \"file:../a\"\n  },\n  \"scopedRegistries\": [\n    {\n      \"name\": \"Example\",\n      \"url\": \"https://npm.example.com\",\n      \"scopes\": [\n        \"com.example\"\n      ]\n    }\n  ],\n  \"testables\": []\n}\n";

#[test]
fn format_rewrites_in_unity_layout_and_then_has_nothing_to_do() {
    let (dir, path) = project(MESSY);
    let out = run(&["format"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        format!(
            "reformatted {}\n",
            Path::new("Packages/manifest.json").display()
        )
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), UNITY);
    let again = run(&["format", "--check"], dir.path());
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(stdout(&again), "");
    assert!(stderr(&again).contains("0 files would be reformatted, 1 file already formatted"));
    // No temporary file is left beside it.
    let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["manifest.json"]);
}

#[test]
fn check_lists_what_would_change_and_writes_nothing() {
    let (dir, path) = project(MESSY);
    let (other, other_path) = project(UNITY);
    let out = run(
        &[
            "format",
            "--check",
            path.to_str().unwrap(),
            other_path.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), format!("would reformat {}\n", path.display()));
    assert!(stderr(&out).contains("1 file would be reformatted, 1 file already formatted"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), MESSY);
    drop(other);
}

#[test]
fn crlf_is_kept_and_a_project_folder_is_accepted() {
    let (dir, path) = project(&MESSY.replace('\n', "\r\n"));
    let out = run(&["format", dir.path().to_str().unwrap()], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        UNITY.replace('\n', "\r\n")
    );
}

#[test]
fn text_that_is_not_strict_json_is_left_alone_with_exit_two() {
    let broken = "{\n  \"dependencies\": {\n    \"com.unity.ugui\": \"1.0.0\",\n  }\n}\n";
    let (dir, path) = project(broken);
    for args in [&["format"][..], &["format", "--check"]] {
        let out = run(args, dir.path());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(
            err.contains("cannot format `Packages/manifest.json`: not strict JSON")
                && err.contains("(line 4, column 3)"),
            "{err}"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), broken);
    }
    std::fs::write(&path, b"{\"a\": \"\xff\"}").unwrap();
    let out = run(&["format"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not UTF-8"), "{}", stderr(&out));
    std::fs::write(&path, b"").unwrap();
    let out = run(&["format"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("the file is empty"),
        "{}",
        stderr(&out)
    );
}

/// The text without the whitespace outside strings: what must not change.
fn without_layout(text: &str) -> String {
    let mut out = String::new();
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        if in_string {
            out.push(c);
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            out.push(c);
        }
    }
    out
}

/// Every manifest of the shared corpus and projects (../shared exists only on the project's
/// machines and in CI): formatting keeps the data (the same values, keys in the same order,
/// strings and numbers byte for byte), is idempotent, and leaves most of them as they are.
#[test]
fn real_manifests_keep_their_data_and_formatting_is_idempotent() {
    let shared = common::repo().join("../shared");
    if !shared.is_dir() {
        println!("SKIPPED real_manifests_keep_their_data: ../shared is not here");
        return;
    }
    let mut manifests: Vec<PathBuf> = Vec::new();
    for entry in std::fs::read_dir(shared.join("corpus")).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "json") {
            manifests.push(p);
        }
    }
    for entry in std::fs::read_dir(shared.join("projects")).unwrap() {
        let p = entry.unwrap().path().join("Packages/manifest.json");
        if p.is_file() {
            manifests.push(p);
        }
    }
    manifests.sort();
    assert!(manifests.len() > 50, "{}", manifests.len());
    let scratch = tempfile::tempdir().unwrap();
    let mut copies = Vec::new();
    for (i, source) in manifests.iter().enumerate() {
        let copy = scratch.path().join(format!("{i}.json"));
        // Written, not copied: the shared corpus has no write bits, and `format` rightly
        // refuses to write a read-only file.
        std::fs::write(&copy, std::fs::read(source).unwrap()).unwrap();
        copies.push(copy);
    }
    let args: Vec<&str> = std::iter::once("format")
        .chain(copies.iter().map(|p| p.to_str().unwrap()))
        .collect();
    let out = run(&args, scratch.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut already = 0;
    for (source, copy) in manifests.iter().zip(&copies) {
        let before = std::fs::read_to_string(source).unwrap();
        let after = std::fs::read_to_string(copy).unwrap();
        if before == after {
            already += 1;
        }
        let name = source.display();
        assert_eq!(without_layout(&before), without_layout(&after), "{name}");
        let value = |t: &str| serde_json::from_str::<serde_json::Value>(t).unwrap();
        assert_eq!(value(&before), value(&after), "{name}");
        assert_eq!(
            before.contains("\r\n"),
            after.contains("\r\n"),
            "{name}: line endings"
        );
        assert_eq!(
            before.ends_with('\n'),
            after.ends_with('\n'),
            "{name}: final newline"
        );
    }
    let mut check = args.clone();
    check.insert(1, "--check");
    let out = run(&check, scratch.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "not idempotent: {}",
        stdout(&out)
    );
    println!(
        "{already} of {} real manifests are already in Unity's layout",
        manifests.len()
    );
    // Unity writes this layout itself: nearly every untouched manifest is in it already.
    assert!(already * 10 >= manifests.len() * 8, "{already}");
}
