//! The transitive-problems inlay hint: after a dependency of the manifest whose packages have
//! project problems, `⚠ 2 problems · pulls in 5 packages`, with a tooltip that lists each
//! problem (its message carries the chain `a@1.0.0 -> b@2.0.0`).
//!
//! Nothing is recomputed here: the problems are the project diagnostics the core already put at
//! that dependency's name (it reports every project finding at the direct dependency that pulls
//! it in), picked by rule id; the package count comes from the project graph. An inlay hint
//! rather than a code lens: it sits on the dependency's own line, so it neither moves the text
//! down (a lens adds a line above) nor needs a lens request, and it follows the `inlayHints`
//! setting like the `→ Registry` hint beside it.

use std::collections::HashSet;
use std::fmt::Write as _;

use manifest_lint_core::model::Dependency;
use manifest_lint_core::project::ProjectGraph;
use manifest_lint_core::{Analysis, Diagnostic};
use tower_lsp_server::ls_types::{
    InlayHint, InlayHintLabel, InlayHintTooltip, MarkupContent, MarkupKind, Position,
};

/// The project rules whose findings the core reports at the direct dependency.
pub const PROJECT_RULES: &[&str] = &[
    "local-package-missing",
    "editor-too-old",
    "builtin-module-unavailable",
    "invalid-transitive-dependency",
    "unscoped-transitive-dependency",
    "major-version-conflict",
    "transitive-package-not-found",
    "transitive-version-not-found",
];

/// The project diagnostics at `dep`: at its name, where the core reports what the dependency
/// pulls in, or at its value (`local-package-missing`: the `file:` path names nothing).
pub fn problems<'a>(analysis: &'a Analysis, dep: &Dependency) -> Vec<&'a Diagnostic> {
    analysis
        .diagnostics
        .iter()
        .filter(|d| {
            (d.span == dep.name.span || d.span == dep.value_span)
                && PROJECT_RULES.contains(&d.rule.id)
        })
        .collect()
}

/// How many packages `name` pulls in, transitively (itself not counted), from the graph.
pub fn pulled_in(graph: &ProjectGraph, name: &str) -> usize {
    let mut seen = HashSet::from([name]);
    let mut todo = vec![name];
    while let Some(next) = todo.pop() {
        let Some(package) = graph.package(next) else {
            continue;
        };
        for dep in package.dependencies.keys() {
            if graph.package(dep).is_some() && seen.insert(dep.as_str()) {
                todo.push(dep.as_str());
            }
        }
    }
    seen.len() - 1
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The label and Markdown tooltip for `dep`, when it has project problems.
pub fn describe(analysis: &Analysis, dep: &Dependency) -> Option<(String, String)> {
    let problems = problems(analysis, dep);
    if problems.is_empty() {
        return None;
    }
    let mut label = format!("⚠ {}", plural(problems.len(), "problem", "problems"));
    let pulled = analysis
        .graph
        .as_ref()
        .map_or(0, |g| pulled_in(g, &dep.name.value));
    if pulled > 0 {
        let _ = write!(
            label,
            " · pulls in {}",
            plural(pulled, "package", "packages")
        );
    }
    let mut tooltip = format!(
        "Problems of the project at `{}` (what it pulls in, or the package itself):\n\n",
        dep.name.value.replace('`', "'")
    );
    for d in problems {
        let _ = writeln!(
            tooltip,
            "- **{}** `{}`: {}",
            d.severity.as_str(),
            d.rule.id,
            d.message
        );
    }
    Some((label, tooltip))
}

/// The hint after the dependency's value (ending at `position`).
pub fn hint(analysis: &Analysis, dep: &Dependency, position: Position) -> Option<InlayHint> {
    let (label, tooltip) = describe(analysis, dep)?;
    Some(InlayHint {
        position,
        label: InlayHintLabel::String(label),
        kind: None,
        text_edits: None,
        tooltip: Some(InlayHintTooltip::MarkupContent(MarkupContent {
            kind: MarkupKind::Markdown,
            value: tooltip,
        })),
        padding_left: Some(true),
        padding_right: None,
        data: None,
    })
}

#[cfg(test)]
mod tests {
    use manifest_lint_core::project::{Origin, PackageInput, ProjectInput};
    use manifest_lint_core::{Encoding, LintOptions};

    use super::*;
    use crate::document::{Snapshot, View};
    use crate::navigation::inlay_hints;

    const MANIFEST: &str = r#"{
  "scopedRegistries": [
    {"name": "Acme", "url": "https://npm.acme.example", "scopes": ["com.acme"]}
  ],
  "dependencies": {
    "com.acme.local": "file:../Local",
    "com.acme.plain": "1.0.0"
  }
}
"#;

    const LOCAL: &str = r#"{
  "name": "com.acme.local",
  "version": "1.0.0",
  "dependencies": {
    "com.partner.analytics": "1.0.0",
    "com.acme.util": "https://github.com/acme/util.git",
    "com.unity.modules.ui": "1.0.0"
  }
}
"#;

    fn snapshot(local: &str) -> Snapshot {
        let input = ProjectInput {
            manifest: MANIFEST,
            packages: vec![PackageInput {
                origin: Origin::Local {
                    dependency: "com.acme.local".into(),
                    spec: "file:../Local".into(),
                },
                path: "../Local/package.json".into(),
                text: Ok(local),
            }],
            ..ProjectInput::default()
        };
        let options = LintOptions {
            project: Some(&input),
            ..LintOptions::default()
        };
        Snapshot::new(MANIFEST.to_string(), &options)
    }

    fn labels(snap: &Snapshot) -> Vec<(u32, String, Option<String>)> {
        let whole = manifest_lint_core::Span::new(0, snap.text.len());
        inlay_hints(&View::current(snap), whole, Encoding::Utf16)
            .into_iter()
            .map(|h| {
                let InlayHintLabel::String(label) = h.label else {
                    panic!("a string label")
                };
                let tooltip = match h.tooltip {
                    Some(InlayHintTooltip::MarkupContent(m)) => Some(m.value),
                    _ => None,
                };
                (h.position.line, label, tooltip)
            })
            .collect()
    }

    #[test]
    fn the_direct_dependency_shows_the_problems_it_pulls_in() {
        let snap = snapshot(LOCAL);
        let hints = labels(&snap);
        // Pulls in `com.partner.analytics` and `com.unity.modules.ui`; the Git URL Unity rejects
        // in a package installs nothing.
        let found: Vec<(u32, &str)> = hints.iter().map(|(l, s, _)| (*l, s.as_str())).collect();
        assert_eq!(
            found,
            [
                (5, "→ local"),
                (5, "⚠ 2 problems · pulls in 2 packages"),
                (6, "→ Acme"),
            ]
        );
        let tooltip = hints[1].2.as_deref().unwrap();
        assert!(
            tooltip.contains("`unscoped-transitive-dependency`")
                && tooltip.contains("com.acme.local (local) -> com.partner.analytics@1.0.0"),
            "{tooltip}"
        );
        assert!(
            tooltip.contains("**error** `invalid-transitive-dependency`"),
            "{tooltip}"
        );
    }

    #[test]
    fn nothing_without_problems_or_without_the_project() {
        let clean = LOCAL
            .replace("    \"com.partner.analytics\": \"1.0.0\",\n", "")
            .replace(
                "    \"com.acme.util\": \"https://github.com/acme/util.git\",\n",
                "",
            );
        let hints = labels(&snapshot(&clean));
        assert!(
            hints.iter().all(|(_, l, _)| l.starts_with('→')),
            "{hints:?}"
        );
        // The manifest alone (no project read yet): no project diagnostics, no hint.
        let alone = Snapshot::new(MANIFEST.to_string(), &LintOptions::default());
        assert!(labels(&alone).iter().all(|(_, l, _)| l.starts_with('→')));
    }
}
