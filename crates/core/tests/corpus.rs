//! Real manifests of working public Unity projects (`../shared/corpus`, beside the repository):
//! the linter must report no error on any of them.

use std::path::PathBuf;

use manifest_lint_core::{LintOptions, Severity, lint_bytes};

fn corpus_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    assert!(
        dir.is_dir(),
        "the shared corpus is expected at {} (a checkout of shared/ beside the repository)",
        dir.display()
    );
    dir
}

#[test]
fn no_error_on_any_real_manifest() {
    let mut checked = 0;
    for entry in std::fs::read_dir(corpus_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let (_, analysis) = lint_bytes(&bytes, &LintOptions::default());
        assert!(analysis.parsed, "{} did not parse", path.display());
        let errors: Vec<_> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
        let warnings: Vec<_> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .collect();
        assert!(
            warnings.is_empty(),
            "{}: working projects should not warn either: {warnings:#?}",
            path.display()
        );
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} corpus manifests found");
}

/// Every prefix of every corpus manifest (what an editor holds while someone types it from the
/// top) and a spread of byte mutations lint without a panic, and every span lies inside the text.
#[test]
fn truncated_and_mutated_manifests_never_panic() {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let junk: &[u8] = b"{}[],:\"'\\/*0-+.eEtfn \n\r\t\xff\xc3\xa9@";
    for entry in std::fs::read_dir(corpus_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
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
