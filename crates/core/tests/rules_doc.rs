//! `docs/rules.md` and the README's rule table are generated from the rule table; these tests
//! fail when they are stale.
//! Regenerate with `UPDATE_DOCS=1 cargo test -p manifest-lint-core --test rules_doc`.

use manifest_lint_core::RULES;

fn render() -> String {
    let mut out = String::from(
        "# Rules\n\n<!-- Generated from the rule table (crates/core/src/rules): edit the rules' doc comments, then run\n     UPDATE_DOCS=1 cargo test -p manifest-lint-core --test rules_doc -->\n\n",
    );
    out.push_str("Every rule has a stable id, used in output, in `manifest-lint explain ID`, and in configuration.\n");
    out.push_str("Online rules run only with online checks on (`--online` in the CLI, on by default in the language server).\n");
    out.push_str("Rules marked (package.json) look at package manifests, the `package.json` of a package, and (also package.json) at both kinds of file; the others at project manifests.\n\n");
    out.push_str("| id | default severity | finds |\n|---|---|---|\n");
    for rule in RULES {
        let online = if rule.online { " (online)" } else { "" };
        out.push_str(&format!(
            "| [`{}`](#{}) | {} | {}{online}{} |\n",
            rule.id,
            rule.id,
            rule.default_severity,
            rule.summary,
            rule.files.marker()
        ));
    }
    for rule in RULES {
        out.push_str(&format!(
            "\n## {}\n\nDefault severity: **{}**{}. Looks at {}.\n\n",
            rule.id,
            rule.default_severity,
            if rule.online { " (online)" } else { "" },
            rule.files.label()
        ));
        for line in rule.documentation().lines() {
            if let Some(heading) = line.strip_prefix("## ") {
                out.push_str(&format!("### {heading}\n"));
            } else {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

/// The compact table in the README, between its `rules:start` and `rules:end` markers.
fn readme_table() -> String {
    let mut out = String::from("| rule | default | finds |\n|---|---|---|\n");
    for rule in RULES {
        let online = if rule.online { " (online)" } else { "" };
        out.push_str(&format!(
            "| [`{}`](docs/rules.md#{}) | {} | {}{online}{} |\n",
            rule.id,
            rule.id,
            rule.default_severity,
            rule.summary,
            rule.files.marker()
        ));
    }
    out
}

#[test]
fn readme_lists_every_rule() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (start, end) = ("<!-- rules:start -->\n", "<!-- rules:end -->");
    let a = readme.find(start).expect("README has a rules:start marker") + start.len();
    let b = readme.find(end).expect("README has a rules:end marker");
    let want = readme_table();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, format!("{}{}{}", &readme[..a], want, &readme[b..])).unwrap();
        return;
    }
    assert!(
        readme[a..b] == want,
        "the README's rule table is stale: run UPDATE_DOCS=1 cargo test -p manifest-lint-core --test rules_doc"
    );
}

#[test]
fn rules_md_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules.md");
    let want = render();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/rules.md is stale: run UPDATE_DOCS=1 cargo test -p manifest-lint-core --test rules_doc"
    );
}

/// The editor docs link the generated rule list instead of keeping their own copy (hand-kept
/// lists fell behind: they missed `stale-lock` and `ignored-scoped-registries`).
#[test]
fn editor_docs_link_the_rule_list_instead_of_copying_it() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    for doc in ["docs/editors.md", "editors/vscode/README.md"] {
        let text = std::fs::read_to_string(root.join(doc)).unwrap();
        assert!(text.contains("rules.md"), "{doc} should link docs/rules.md");
        let named: Vec<&str> = RULES
            .iter()
            .map(|r| r.id)
            .filter(|id| text.contains(&format!("`{id}`")))
            .collect();
        assert!(
            named.len() < RULES.len() / 2,
            "{doc} names {} of {} rules ({named:?}): link docs/rules.md instead of listing them",
            named.len(),
            RULES.len()
        );
    }
}
