use std::collections::BTreeMap;

use super::prelude::*;
use crate::lock::same_registry;
use crate::url::redact;

declare_rule! {
    /// ## What it does
    /// Compares the lock file that sits beside the manifest, `Packages/packages-lock.json`, with
    /// the manifest. Reports a package the lock says came from one registry (`"source":
    /// "registry"` with its `url`) while the manifest now routes it to another one. URLs that
    /// differ only by a trailing slash are the same registry. A direct dependency is reported on
    /// its name in `dependencies`; packages that only come in as dependencies of others are
    /// reported, grouped, on the scope that now routes them (or, when no scope does, on the
    /// legacy `registry`, on `scopedRegistries`, or on the manifest's first brace). A lock file
    /// that is not valid JSON is reported on the manifest's first brace: it cannot be compared.
    /// A direct dependency whose lock entry came from another kind of source than the manifest
    /// now asks for (a `local` folder while the manifest asks a registry version, a registry
    /// version while it asks `file:` or Git) is reported on its value. Packages that the lock
    /// still lists although the manifest no longer depends on them (a direct entry that left
    /// `dependencies`, and what only it pulled in) are reported, for information, on
    /// `dependencies`: Unity drops them when it resolves again.
    /// Nothing is checked when the manifest sets `"enableLockFile": false`, since Unity then
    /// ignores the lock.
    ///
    /// ## Why is this bad?
    /// The lock records what the last resolution fetched. When a scope was added, moved or
    /// removed since, the committed lock no longer describes what the manifest asks for: Unity
    /// re-resolves those packages from the new registry (possibly a different build of the same
    /// version, or a failure if that registry does not have it) and rewrites the lock, so
    /// machines that have and have not re-resolved disagree, and the change shows up as noise in
    /// a later commit.
    ///
    /// ## Example
    /// `packages-lock.json` says
    /// ```json
    /// "com.example.tools": { "version": "1.2.0", "depth": 0, "source": "registry", "url": "https://old-registry.example.com" }
    /// ```
    /// while the manifest now has
    /// ```json
    /// "scopedRegistries": [
    ///   { "name": "Example", "url": "https://npm.example.com", "scopes": ["com.example"] }
    /// ]
    /// ```
    ///
    /// ## How to fix
    /// Open the project in Unity (or run it in batch mode) so that the Package Manager resolves
    /// again and rewrites the lock, then commit the updated `packages-lock.json` together with the
    /// manifest change. If the registry change was not intended, restore the scope instead.
    pub static STALE_LOCK = {
        id: "stale-lock",
        severity: Warning,
        summary: "packages-lock.json disagrees with the manifest: another registry, another kind of source, or packages it no longer asks for",
        check: check,
    }
}

/// At most this many package names are spelt out in a grouped diagnostic.
const NAMES_SHOWN: usize = 5;

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(lock) = ctx.lock else {
        return;
    };
    let Some(root) = ctx.manifest.root else {
        return;
    };
    if lock_disabled(ctx) {
        return;
    }
    let first_brace = Span::new(root.start, root.start + 1);
    let lock = match lock {
        Ok(lock) => lock,
        Err(err) => {
            out.push(
                Diagnostic::new(
                    &STALE_LOCK,
                    first_brace,
                    format!("packages-lock.json is not valid: {err}"),
                )
                .with_note(
                    "the lock cannot be compared with this manifest; Unity rewrites it when it \
                     resolves: restore it from version control or delete it and let Unity \
                     create it again",
                ),
            );
            return;
        }
    };

    let gone = gone_from_manifest(ctx, lock);
    // Transitive packages, grouped by where they are reported and the two registries.
    let mut groups: BTreeMap<(Span, String, String), Group> = BTreeMap::new();
    for entry in &lock.entries {
        if gone.contains(entry.name.as_str()) {
            continue;
        }
        if let Some(d) = source_changed(ctx, entry) {
            out.push(d);
            continue;
        }
        if entry.source.as_deref() != Some("registry") {
            continue;
        }
        let Some(locked_url) = entry.url.as_deref() else {
            continue;
        };
        let (now_url, now_name) = ctx.registry_for(&entry.name);
        if now_url.trim().is_empty() || same_registry(locked_url, now_url) {
            continue;
        }
        let resolution = ctx.resolver.resolve(&entry.name);
        let scope = resolution.winner.map(|w| {
            let registry = &ctx.manifest.registries()[w.registry];
            let scope = &registry
                .scopes
                .as_ref()
                .expect("a winning scope's list")
                .items[w.scope];
            (scope.span, scope.value.clone())
        });
        let now = format!("{now_name} ({})", redact(now_url));
        let direct = ctx.dependency(&entry.name);
        if let Some(dep) = direct {
            let mut d = Diagnostic::new(
                &STALE_LOCK,
                dep.name.span,
                format!(
                    "packages-lock.json has `{}` from {}, but the manifest now resolves it to \
                     {now}",
                    entry.name,
                    redact(locked_url)
                ),
            );
            if let Some((span, value)) = &scope {
                d = d.with_label(*span, format!("`{value}` routes it there"));
            }
            out.push(d.with_note(RESOLVE_AGAIN));
            continue;
        }
        let (span, via) = match &scope {
            Some((span, value)) => (*span, Via::Scope(value.as_str().to_owned())),
            None => match (
                &ctx.manifest.registry,
                ctx.manifest.member("scopedRegistries"),
            ) {
                (Some(registry), _) => (registry.span, Via::LegacyRegistry),
                (None, Some(member)) => (member.key.span, Via::NoScope),
                (None, None) => (first_brace, Via::NoScope),
            },
        };
        let group = groups
            .entry((span, redact(locked_url), now))
            .or_insert_with(|| Group {
                via,
                names: Vec::new(),
            });
        group.names.push(entry.name.clone());
    }
    for ((span, locked, now), group) in groups {
        let names = names_list(group.names.clone());
        let (what, them) = if group.names.len() == 1 {
            ("package", "it")
        } else {
            ("packages", "them")
        };
        out.push(
            Diagnostic::new(
                &STALE_LOCK,
                span,
                format!(
                    "packages-lock.json has the {what} {} from {locked}, but the manifest now \
                     resolves {them} to {now} ({})",
                    names,
                    match &group.via {
                        Via::Scope(scope) => format!("through scope `{scope}`"),
                        Via::LegacyRegistry => "through the legacy `registry`".to_string(),
                        Via::NoScope => format!("no scope covers {them}"),
                    },
                ),
            )
            .with_note(RESOLVE_AGAIN),
        );
    }
    if !gone.is_empty() {
        let mut names: Vec<&str> = gone.into_iter().collect();
        names.sort_unstable();
        let shown = names_list(names.iter().map(|n| n.to_string()).collect());
        let (what, them, are) = if names.len() == 1 {
            ("package", "it", "is")
        } else {
            ("packages", "them", "are")
        };
        let span = ctx
            .manifest
            .member("dependencies")
            .map_or(first_brace, |m| m.key.span);
        out.push(
            Diagnostic::new(
                &STALE_LOCK,
                span,
                format!(
                    "packages-lock.json still lists the {what} {shown}, which {are} gone from \
                     the manifest (no dependency asks for {them} any more): Unity drops {them} \
                     when it resolves again"
                ),
            )
            .with_severity(Severity::Info)
            .with_note(RESOLVE_AGAIN),
        );
    }
}

/// Names in backticks, at most [`NAMES_SHOWN`] of them, then how many more.
fn names_list(all: Vec<String>) -> String {
    let mut names: Vec<String> = all
        .iter()
        .take(NAMES_SHOWN)
        .map(|n| format!("`{n}`"))
        .collect();
    if all.len() > NAMES_SHOWN {
        names.push(format!("{} more", all.len() - NAMES_SHOWN));
    }
    names.join(", ")
}

/// Lock entries that no dependency of the manifest asks for any more: direct entries (`depth`
/// 0, not embedded or built-in) that left `dependencies`, and what only they pulled in. Packages
/// embedded in the project count as roots, like the manifest's dependencies.
fn gone_from_manifest<'l>(
    ctx: &Context<'_>,
    lock: &'l crate::lock::LockFile,
) -> std::collections::HashSet<&'l str> {
    use std::collections::HashSet;
    let by_name: std::collections::HashMap<&str, &crate::lock::LockEntry> =
        lock.entries.iter().map(|e| (e.name.as_str(), e)).collect();
    let closure = |roots: Vec<&'l str>| {
        let mut seen: HashSet<&'l str> = HashSet::new();
        let mut stack = roots;
        while let Some(name) = stack.pop() {
            let Some(entry) = by_name.get(name) else {
                continue;
            };
            if !seen.insert(entry.name.as_str()) {
                continue;
            }
            for dep in entry.dependencies.iter().flatten() {
                stack.push(dep.as_str());
            }
        }
        seen
    };
    let wanted: HashSet<&str> = ctx
        .manifest
        .dependencies()
        .iter()
        .map(|d| d.name.value.as_str())
        .collect();
    let live = closure(
        lock.entries
            .iter()
            .filter(|e| wanted.contains(e.name.as_str()) || e.source.as_deref() == Some("embedded"))
            .map(|e| e.name.as_str())
            .collect(),
    );
    let gone_roots = lock
        .entries
        .iter()
        .filter(|e| {
            e.depth == Some(0)
                && !wanted.contains(e.name.as_str())
                && !matches!(e.source.as_deref(), Some("embedded" | "builtin"))
        })
        .map(|e| e.name.as_str())
        .collect();
    closure(gone_roots)
        .into_iter()
        .filter(|n| !live.contains(n))
        .collect()
}

/// The kind of source a manifest value asks for, in the lock's words.
fn asked_sources(value: &str) -> Option<(&'static [&'static str], &'static str)> {
    use crate::version::{DependencySource, classify};
    match classify(value) {
        Ok(DependencySource::Registry(_)) => Some((&["registry", "builtin"], "a registry version")),
        Ok(DependencySource::File) => Some((&["local", "local-tarball"], "a `file:` path")),
        Ok(DependencySource::Git) => Some((&["git"], "a Git repository")),
        Err(_) => None,
    }
}

/// A direct dependency whose lock entry came from another kind of source than the manifest
/// now asks for.
fn source_changed(ctx: &Context<'_>, entry: &crate::lock::LockEntry) -> Option<Diagnostic> {
    let locked = entry.source.as_deref()?;
    if locked == "embedded" {
        return None; // an embedded package wins over whatever the manifest says
    }
    let dep = ctx.dependency(&entry.name)?;
    let version = dep.version.as_ref()?;
    let (expected, asked) = asked_sources(&version.value)?;
    if expected.contains(&locked) {
        return None;
    }
    let was = match locked {
        "registry" => format!(
            "a registry ({})",
            entry.url.as_deref().map_or("no URL".to_string(), redact)
        ),
        "builtin" => "the Editor (built-in)".to_string(),
        "local" | "local-tarball" => match entry.version.as_deref() {
            Some(path) if path.starts_with("file:") => format!("a local path (`{path}`)"),
            _ => "a local path".to_string(),
        },
        "git" => "a Git repository".to_string(),
        other => format!("source `{other}`"),
    };
    Some(
        Diagnostic::new(
            &STALE_LOCK,
            version.span,
            format!(
                "packages-lock.json has `{}` from {was}, but the manifest now asks for {asked}",
                entry.name
            ),
        )
        .with_note(RESOLVE_AGAIN),
    )
}

const RESOLVE_AGAIN: &str = "let Unity resolve again (open the project) and commit the \
                             rewritten packages-lock.json together with the manifest";

enum Via {
    Scope(String),
    LegacyRegistry,
    NoScope,
}

struct Group {
    via: Via,
    names: Vec<String>,
}

/// Whether the manifest turns the lock file off (`"enableLockFile": false`).
fn lock_disabled(ctx: &Context<'_>) -> bool {
    ctx.manifest
        .member("enableLockFile")
        .is_some_and(|m| ctx.text.get(m.value_span.range()) == Some("false"))
}

#[cfg(test)]
mod tests {
    use crate::{LintOptions, lint};

    const MANIFEST: &str = r#"{
  "dependencies": {
    "com.example.tools": "1.0.0",
    "com.unity.ugui": "2.0.0"
  },
  "scopedRegistries": [
    { "name": "Example", "url": "https://npm.example.com", "scopes": ["com.example"] }
  ]
}"#;

    fn stale(manifest: &str, lock: &str) -> Vec<(String, String)> {
        let options = LintOptions {
            lock: Some(lock),
            ..Default::default()
        };
        lint(manifest, &options)
            .diagnostics
            .into_iter()
            .filter(|d| d.rule.id == "stale-lock")
            .map(|d| (manifest[d.span.range()].to_string(), d.message))
            .collect()
    }

    fn entry(name: &str, depth: u32, url: &str) -> String {
        format!(
            r#""{name}": {{"version": "1.0.0", "depth": {depth}, "source": "registry", "dependencies": {{}}, "url": "{url}"}}"#
        )
    }

    fn lock(entries: &[String]) -> String {
        format!("{{\"dependencies\": {{{}}}}}", entries.join(", "))
    }

    #[test]
    fn an_up_to_date_lock_is_quiet() {
        let l = lock(&[
            entry("com.example.tools", 0, "https://npm.example.com/"),
            entry("com.example.core", 1, "https://npm.example.com"),
            entry("com.unity.ugui", 0, "https://packages.unity.com"),
            r#""com.unity.modules.ui": {"version": "1.0.0", "depth": 1, "source": "builtin", "dependencies": {}}"#.to_string(),
        ]);
        assert_eq!(stale(MANIFEST, &l), vec![]);
        assert_eq!(stale(MANIFEST, "{}"), vec![]);
    }

    #[test]
    fn a_direct_dependency_is_reported_on_its_name() {
        let l = lock(&[entry("com.example.tools", 0, "https://old.example.com")]);
        let found = stale(MANIFEST, &l);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "\"com.example.tools\"");
        assert!(
            found[0].1.contains("https://old.example.com")
                && found[0].1.contains("Example (https://npm.example.com)"),
            "{}",
            found[0].1
        );
    }

    #[test]
    fn transitive_packages_are_grouped_on_the_scope_that_routes_them() {
        let l = lock(&[
            entry("com.example.a", 1, "https://old.example.com"),
            entry("com.example.b", 2, "https://old.example.com"),
            entry("com.other.c", 1, "https://npm.example.com"),
        ]);
        let found = stale(MANIFEST, &l);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(found[0].0, "\"scopedRegistries\"");
        assert!(found[0].1.contains("`com.other.c`") && found[0].1.contains("no scope covers it"));
        assert!(found[0].1.contains("Unity's registry"), "{}", found[0].1);
        assert_eq!(found[1].0, "\"com.example\"");
        assert!(
            found[1]
                .1
                .contains("packages `com.example.a`, `com.example.b`")
                && found[1].1.contains("through scope `com.example`"),
            "{}",
            found[1].1
        );
    }

    #[test]
    fn a_malformed_lock_is_one_diagnostic_on_the_first_brace() {
        let found = stale(MANIFEST, "{\"dependencies\": ");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "{");
        assert!(
            found[0]
                .1
                .starts_with("packages-lock.json is not valid: line 1")
        );
    }

    #[test]
    fn nothing_when_the_lock_is_disabled_or_the_manifest_is_broken() {
        let l = lock(&[entry("com.example.tools", 0, "https://old.example.com")]);
        let disabled = MANIFEST.replacen('{', "{\n  \"enableLockFile\": false,", 1);
        assert_eq!(stale(&disabled, &l), vec![]);
        assert_eq!(stale("{", &l), vec![]);
        let enabled = MANIFEST.replacen('{', "{\n  \"enableLockFile\": true,", 1);
        assert_eq!(stale(&enabled, &l).len(), 1);
    }

    #[test]
    fn packages_gone_from_the_manifest_are_one_info_and_embedded_ones_are_roots() {
        let l = lock(&[
            entry("com.example.tools", 0, "https://npm.example.com"),
            entry("com.unity.ugui", 0, "https://packages.unity.com"),
            // Left the manifest, with what only it pulled in.
            r#""com.gone.sdk": {"version": "1.0.0", "depth": 0, "source": "registry", "dependencies": {"com.gone.core": "1.0.0", "com.example.shared": "1.0.0"}, "url": "https://npm.gone.example"}"#.to_string(),
            entry("com.gone.core", 1, "https://npm.gone.example"),
            // Also needed by an embedded package: not gone.
            entry("com.example.shared", 1, "https://npm.example.com"),
            r#""com.embedded.pkg": {"version": "file:com.embedded.pkg", "depth": 0, "source": "embedded", "dependencies": {"com.example.shared": "1.0.0"}}"#.to_string(),
        ]);
        let options = LintOptions {
            lock: Some(&l),
            ..Default::default()
        };
        let found: Vec<_> = lint(MANIFEST, &options)
            .diagnostics
            .into_iter()
            .filter(|d| d.rule.id == "stale-lock")
            .collect();
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].severity, crate::Severity::Info);
        assert_eq!(&MANIFEST[found[0].span.range()], "\"dependencies\"");
        assert!(
            found[0]
                .message
                .contains("`com.gone.core`, `com.gone.sdk`, which are gone from the manifest"),
            "{}",
            found[0].message
        );
        assert!(
            !found[0].message.contains("now resolves"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn a_lock_source_of_another_kind_is_reported_on_the_value() {
        let l = lock(&[
            r#""com.example.tools": {"version": "file:C:/Dev/tools", "depth": 0, "source": "local", "dependencies": {}}"#.to_string(),
            r#""com.unity.ugui": {"version": "2.0.0", "depth": 0, "source": "builtin", "dependencies": {}}"#.to_string(),
        ]);
        let found = stale(MANIFEST, &l);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].0, "\"1.0.0\"");
        assert!(
            found[0]
                .1
                .contains("from a local path (`file:C:/Dev/tools`)")
                && found[0].1.contains("now asks for a registry version"),
            "{}",
            found[0].1
        );
    }

    #[test]
    fn credentials_never_appear_in_messages() {
        let l = lock(&[entry(
            "com.example.tools",
            0,
            "https://bot:secret@old.example.com",
        )]);
        let found = stale(MANIFEST, &l);
        assert!(!found[0].1.contains("secret"), "{}", found[0].1);
    }
}
