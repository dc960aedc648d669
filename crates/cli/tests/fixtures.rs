//! Fixture-driven rule tests: `tests/fixtures/<rule-id>/{fail,pass}*.json`, one manifest per case.
//!
//! For each fixture: a `fail*` manifest must raise its rule and a `pass*` one must not (and must
//! raise no error at all); every offered fix must apply cleanly, keep strict JSON strict, and make
//! at least one diagnostic of its rule go away. The rendered diagnostics and each fix's effect are
//! snapshotted.
//!
//! A `<name>.lock.json` beside a fixture is passed as its `packages-lock.json` (and is not a
//! fixture itself). Fixtures in a `package/` folder (`tests/fixtures/<rule-id>/package/*.json`)
//! are packages' `package.json` files, linted as such.

use manifest_lint_core::{Analysis, FileKind, LintOptions, Severity, lint_bytes};

fn lint_fixture<'t>(
    bytes: &'t [u8],
    options: &LintOptions<'_>,
) -> (std::borrow::Cow<'t, str>, Analysis) {
    lint_bytes(bytes, options)
}

fn changed_lines(before: &str, after: &str) -> String {
    let a: Vec<&str> = before.lines().collect();
    let b: Vec<&str> = after.lines().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let mut out = String::new();
    for line in &a[prefix..a.len() - suffix] {
        out.push_str(&format!("  -{line}\n"));
    }
    for line in &b[prefix..b.len() - suffix] {
        out.push_str(&format!("  +{line}\n"));
    }
    out
}

#[test]
fn rule_fixtures() {
    insta::glob!("../../../tests/fixtures", "**/*.json", |path| {
        let folder = path.parent().unwrap();
        let kind = if folder.ends_with("package") {
            FileKind::Package
        } else {
            FileKind::Manifest
        };
        let rule_folder = match kind {
            FileKind::Package => folder.parent().unwrap(),
            FileKind::Manifest => folder,
        };
        let rule = rule_folder.file_name().unwrap().to_str().unwrap();
        let name = path.file_name().unwrap().to_str().unwrap();
        let file = match kind {
            FileKind::Package => format!("package/{name}"),
            FileKind::Manifest => name.to_string(),
        };
        let file = file.as_str();
        let name_starts = |prefix: &str| name.starts_with(prefix);
        if name.ends_with(".lock.json") {
            return;
        }
        assert!(
            manifest_lint_core::rule(rule).is_some(),
            "fixture folder `{rule}` names no rule"
        );
        let bytes = std::fs::read(path).unwrap();
        let lock = std::fs::read_to_string(path.with_extension("lock.json")).ok();
        let options = LintOptions {
            kind,
            lock: lock.as_deref(),
            ..Default::default()
        };
        let (text, analysis) = lint_fixture(&bytes, &options);
        let of_rule = analysis
            .diagnostics
            .iter()
            .filter(|d| d.rule.id == rule)
            .count();
        if name_starts("fail") {
            assert!(
                of_rule > 0,
                "{rule}/{file}: expected at least one `{rule}` diagnostic"
            );
        } else {
            assert_eq!(of_rule, 0, "{rule}/{file}: expected no `{rule}` diagnostic");
            let errors: Vec<_> = analysis
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .collect();
            assert!(
                errors.is_empty(),
                "{rule}/{file}: a passing fixture has errors: {errors:#?}"
            );
        }

        let strict_before = serde_json::from_str::<serde_json::Value>(&text).is_ok();
        let mut fixes = String::new();
        for d in &analysis.diagnostics {
            let Some(fix) = &d.fix else { continue };
            let fixed = fix.apply(&text).unwrap_or_else(|| {
                panic!("{rule}/{file}: fix `{}` has overlapping edits", fix.title)
            });
            if strict_before {
                serde_json::from_str::<serde_json::Value>(&fixed).unwrap_or_else(|e| {
                    panic!(
                        "{rule}/{file}: fix `{}` broke the JSON: {e}\n{fixed}",
                        fix.title
                    )
                });
            }
            let (_, after) = lint_fixture(fixed.as_bytes(), &options);
            let same = |x: &&manifest_lint_core::Diagnostic| {
                x.rule.id == d.rule.id && x.message == d.message
            };
            let before_count = analysis.diagnostics.iter().filter(same).count();
            let after_count = after.diagnostics.iter().filter(same).count();
            assert!(
                after_count < before_count,
                "{rule}/{file}: fix `{}` did not mend `{}`",
                fix.title,
                d.message
            );
            fixes.push_str(&format!(
                "[{}] {:?} fix: {}\n{}",
                d.rule.id,
                fix.applicability,
                fix.title,
                changed_lines(&text, &fixed)
            ));
        }

        let shown = format!("{rule}/{file}");
        let mut snapshot = manifest_lint_cli::render_plain_as(&shown, &text, analysis, kind);
        if !fixes.is_empty() {
            snapshot.push_str("\n--- fixes ---\n");
            snapshot.push_str(&fixes);
        }
        insta::assert_snapshot!(snapshot);
    });
}
