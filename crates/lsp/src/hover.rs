//! Hover: where a dependency resolves and why, what a scope serves, what a registry answered.

use std::fmt::Write as _;

use manifest_lint_core::facts::{NetworkFailure, PackageStatus, RegistryStatus, SearchSupport};
use manifest_lint_core::project::{Package, ProjectGraph, Source};
use manifest_lint_core::{Analysis, Encoding, OnlineFacts, ScopeRef, Span};
use tower_lsp_server::ls_types::{Hover, HoverContents, MarkupContent, MarkupKind};

use crate::document::View;
use crate::lookup::{self, Target};

/// What the online checks know, for the words of a hover.
#[derive(Debug, Clone, Copy)]
pub struct Online<'a> {
    pub enabled: bool,
    pub facts: Option<&'a OnlineFacts>,
}

/// Most dependencies listed under a scope before "and N more".
const MAX_LISTED: usize = 20;

pub fn hover(
    view: &View<'_>,
    offset: usize,
    online: Online<'_>,
    encoding: Encoding,
) -> Option<Hover> {
    let snap_offset = view.snap_offset(offset)?;
    let analysis = &view.snap.analysis;
    let (target, span) = lookup::target_at(&analysis.manifest, snap_offset)?;
    // Only when the whole token is unchanged text does the old analysis speak about it.
    let range = view.range(span, encoding)?;
    let markdown = match target {
        Target::Dependency(i) => dependency(analysis, i, online),
        Target::Scope(r) => scope(analysis, r, span),
        Target::RegistryUrl(r) | Target::RegistryName(r) => registry(analysis, Some(r), online),
        Target::LegacyRegistry => registry(analysis, None, online),
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: markdown,
        }),
        range: Some(range),
    })
}

fn dependency(analysis: &Analysis, index: usize, online: Online<'_>) -> String {
    let manifest = &analysis.manifest;
    let dep = &manifest.dependencies()[index];
    let name = &dep.name.value;
    if let Some(source) = lookup::non_registry_source(dep) {
        let what = if source == "Git" {
            "a Git repository"
        } else {
            "a local folder or tarball (`file:`)"
        };
        let caveat = if lookup::malformed(dep) {
            " Unity cannot use the value as written: see the diagnostic on it."
        } else {
            ""
        };
        let mut out = format!(
            "**{}** comes from {what}: no registry is asked for it. The packages it depends on \
             resolve through the scopes as usual.{caveat}\n",
            code(name)
        );
        pulls_in(&mut out, analysis, name);
        return out;
    }
    let explanation = analysis.explain(name);
    let mut out = if explanation.builtin {
        format!(
            "**{}** → **built-in** (from the Unity Editor)\n\n",
            code(name)
        )
    } else {
        format!(
            "**{}** → **{}** (`{}`)\n\n",
            code(name),
            explanation.registry.name,
            explanation.registry.url
        )
    };
    for sentence in explanation.sentences() {
        let _ = writeln!(out, "- {sentence}");
    }
    let (url, _) = lookup::registry_of(manifest, &analysis.resolver, name);
    if let Some(facts) = online.facts.filter(|_| online.enabled) {
        match facts.package(url, name) {
            Some(PackageStatus::Found { versions, latest }) => {
                let _ = write!(out, "\nThe registry has it: {} version", versions.len());
                if versions.len() != 1 {
                    out.push('s');
                }
                if let Some(latest) = latest {
                    let _ = write!(out, ", latest `{latest}`");
                }
                out.push_str(".\n");
            }
            Some(PackageStatus::NotFound) => {
                out.push_str("\nThe registry does not have it (HTTP 404).\n");
            }
            Some(PackageStatus::Unknown { detail }) => {
                let _ = writeln!(out, "\nCould not ask the registry about it: {detail}.");
            }
            None => {}
        }
    }
    pulls_in(&mut out, analysis, name);
    out
}

/// Most packages listed under "Pulls in" before "and N more".
const MAX_PULLED: usize = 30;

/// What a dependency brings into the project, from the project's graph (when the server has
/// read the project's files): the version Unity installs when it is not the manifest's, and
/// every package it pulls in, transitively, with where each comes from.
fn pulls_in(out: &mut String, analysis: &Analysis, name: &str) {
    let Some(graph) = &analysis.graph else {
        return;
    };
    let Some(package) = graph.package(name) else {
        return;
    };
    let asked = analysis
        .manifest
        .dependencies()
        .iter()
        .rev()
        .find(|d| d.name.value == name)
        .and_then(|d| d.version.as_ref())
        .map(|v| v.value.as_str());
    match package.source {
        Source::Embedded => {
            let _ = writeln!(
                out,
                "\nAn embedded package (`Packages/{}`) wins over this entry: Unity ignores the \
                 manifest's version for it.",
                code(package.version.trim_start_matches("file:"))
            );
        }
        Source::Registry | Source::Builtin if asked.is_some_and(|a| a != package.version) => {
            let others: Vec<String> = package
                .requested_by
                .iter()
                .filter(|r| *r != "manifest")
                .map(|r| format!("`{}`", code(r)))
                .collect();
            let _ = writeln!(
                out,
                "\nUnity installs **{}** here{}.",
                code(&package.version),
                if others.is_empty() {
                    String::new()
                } else {
                    format!(" (asked for by {})", others.join(", "))
                }
            );
        }
        _ => {}
    }
    if package.dependencies.is_empty() {
        if graph
            .unknown
            .iter()
            .any(|u| u.starts_with(&format!("{name}@")))
        {
            out.push_str("\nWhat it depends on is not known yet (not in the lock file; online checks ask the registry).\n");
        }
        return;
    }
    out.push_str("\nPulls in:\n\n");
    let mut seen = std::collections::HashSet::new();
    seen.insert(name.to_string());
    let mut lines = Vec::new();
    let mut more = 0usize;
    list(graph, package, 0, &mut seen, &mut lines, &mut more);
    for line in &lines {
        out.push_str(line);
        out.push('\n');
    }
    if more > 0 {
        let _ = writeln!(out, "- and {more} more");
    }
}

fn list(
    graph: &ProjectGraph,
    package: &Package,
    level: usize,
    seen: &mut std::collections::HashSet<String>,
    lines: &mut Vec<String>,
    more: &mut usize,
) {
    for (dep, asked) in &package.dependencies {
        if !seen.insert(dep.clone()) {
            continue;
        }
        if lines.len() >= MAX_PULLED {
            *more += 1;
            continue;
        }
        let indent = "  ".repeat(level);
        let Some(child) = graph.package(dep) else {
            lines.push(format!(
                "{indent}- `{}` {} (not installed)",
                code(dep),
                code(&mask(asked))
            ));
            continue;
        };
        let from = match (child.source, &child.registry) {
            (Source::Registry, Some(url)) => {
                format!("from `{}`", code(&manifest_lint_core::url::redact(url)))
            }
            (Source::Builtin, _) => "built-in".to_string(),
            (source, _) => source.as_str().to_string(),
        };
        let asked = if *asked != child.version {
            format!(" (asked {})", code(&mask(asked)))
        } else {
            String::new()
        };
        lines.push(format!(
            "{indent}- `{}` {}{asked}, {from}",
            code(dep),
            code(&mask(&child.version))
        ));
        list(graph, child, level + 1, seen, lines, more);
    }
}

/// A version as shown: a Git URL's credentials replaced by `***`.
fn mask(version: &str) -> String {
    match manifest_lint_core::url::dependency_credentials_range(version) {
        Some(range) => format!("{}***{}", &version[..range.start], &version[range.end..]),
        None => version.to_string(),
    }
}

fn scope(analysis: &Analysis, r: ScopeRef, span: Span) -> String {
    let manifest = &analysis.manifest;
    let registry = &manifest.registries()[r.registry];
    let value = lookup::scope(manifest, r).map_or("", |(v, _)| v);
    let mut out = format!(
        "**Scope `{}`** of **{}**\n\n",
        code(value),
        registry.display_name()
    );
    let served: Vec<&str> = manifest
        .dependencies()
        .iter()
        .map(|d| d.name.value.as_str())
        .filter(|name| {
            analysis.resolve(name).winner.is_some_and(|w| {
                w.registry == r.registry
                    && lookup::scope(manifest, w).is_some_and(|(s, _)| s == value)
            })
        })
        .collect();
    match served.len() {
        0 => out.push_str("Serves no dependency of this manifest.\n"),
        n => {
            let _ = writeln!(
                out,
                "Serves {n} dependenc{} of this manifest:\n",
                if n == 1 { "y" } else { "ies" }
            );
            for name in served.iter().take(MAX_LISTED) {
                let _ = writeln!(out, "- `{}`", code(name));
            }
            if n > MAX_LISTED {
                let _ = writeln!(out, "- and {} more", n - MAX_LISTED);
            }
        }
    }
    findings(&mut out, analysis, span);
    out
}

fn registry(analysis: &Analysis, index: Option<usize>, online: Online<'_>) -> String {
    let manifest = &analysis.manifest;
    let (title, url, span) = match index {
        Some(i) => {
            let r = &manifest.registries()[i];
            (
                format!("**Registry {}**", r.display_name()),
                r.url.as_ref(),
                r.url.as_ref().map(|u| u.span),
            )
        }
        None => (
            "**Default registry** (legacy top-level `registry`)".to_string(),
            manifest.registry.as_ref(),
            manifest.registry.as_ref().map(|u| u.span),
        ),
    };
    let mut out = title;
    if let Some(url) = url {
        let _ = write!(out, " — `{}`", manifest_lint_core::url::redact(&url.value));
    }
    out.push_str("\n\n");
    if let Some(i) = index {
        let scopes = manifest.registries()[i]
            .scopes
            .as_ref()
            .map_or(0, |s| s.items.len());
        let served = manifest
            .dependencies()
            .iter()
            .filter(|d| {
                analysis
                    .resolve(&d.name.value)
                    .winner
                    .is_some_and(|w| w.registry == i)
            })
            .count();
        let _ = writeln!(
            out,
            "{scopes} scope{}; serves {served} dependenc{} of this manifest.\n",
            plural(scopes),
            if served == 1 { "y" } else { "ies" }
        );
    }
    let status = match (online.enabled, url) {
        (false, _) => "Online checks are off (setting `online`).".to_string(),
        (true, None) => String::new(),
        (true, Some(url)) => match online.facts.and_then(|f| f.registry(&url.value)) {
            Some(status) => describe_status(status),
            None => "Not checked yet.".to_string(),
        },
    };
    if !status.is_empty() {
        let _ = writeln!(out, "Status: {status}");
    }
    if let Some(span) = span {
        findings(&mut out, analysis, span);
    }
    out
}

/// The registry's status in words.
pub fn describe_status(status: &RegistryStatus) -> String {
    match status {
        RegistryStatus::Reachable { search } => match search {
            SearchSupport::V1Search => {
                "reachable; search works (`/-/v1/search`), so Unity lists its packages under My Registries.".to_string()
            }
            SearchSupport::AllEndpoint => {
                "reachable; search works through `/-/all`, so Unity lists its packages under My Registries.".to_string()
            }
            SearchSupport::None { status } => {
                let code = status.map(|s| format!(" (HTTP {s})")).unwrap_or_default();
                format!(
                    "reachable, but it has no search endpoint{code}: Unity's Package Manager window will not list its packages (resolution still works)."
                )
            }
        },
        RegistryStatus::Unreachable { failure, detail } => {
            let why = match failure {
                NetworkFailure::Dns => "the host name does not resolve".to_string(),
                NetworkFailure::ConnectionRefused => "the connection was refused".to_string(),
                NetworkFailure::Tls => "the TLS handshake failed".to_string(),
                NetworkFailure::Timeout => "it did not answer in time".to_string(),
                NetworkFailure::ServerError(code) => format!("it answered HTTP {code}"),
                NetworkFailure::Other => "it gave no usable answer".to_string(),
            };
            format!("unreachable: {why} ({detail}).")
        }
        RegistryStatus::NotChecked { detail, .. } => {
            if detail.is_empty() {
                "not checked.".to_string()
            } else {
                format!("not checked: {detail}")
            }
        }
        RegistryStatus::Unauthorized {
            status,
            credentials,
        } => {
            let mut s = format!("access denied (HTTP {status})");
            match (&credentials.sent_key, &credentials.near_miss_key) {
                (Some(key), _) => {
                    let _ = write!(s, "; the credentials of `npmAuth.\"{key}\"`");
                    if let Some(file) = &credentials.config_file {
                        let _ = write!(s, " in `{file}`");
                    }
                    s.push_str(" were sent.");
                }
                (None, Some(near)) => {
                    let _ = write!(
                        s,
                        "; no credentials were sent: `npmAuth.\"{near}\"` differs from the url by a trailing slash or the scheme."
                    );
                }
                (None, None) => s.push_str("; no `.upmconfig.toml` entry matches this url."),
            }
            s
        }
    }
}

/// Appends the diagnostics found at `span` ("redundant", "shadowed", ...), and those elsewhere
/// that point here with a label ("also claimed by ... here", "first listed here").
fn findings(out: &mut String, analysis: &Analysis, span: Span) {
    let overlaps = |other: Span| other.start < span.end && span.start < other.end;
    let mut lines = Vec::new();
    for d in &analysis.diagnostics {
        if overlaps(d.span) {
            lines.push(format!("- {} `{}`: {}", d.severity, d.rule.id, d.message));
        } else if d.labels.iter().any(|l| overlaps(l.span)) {
            lines.push(format!(
                "- {} `{}` (reported elsewhere, pointing here): {}",
                d.severity, d.rule.id, d.message
            ));
        }
    }
    if lines.is_empty() {
        return;
    }
    out.push('\n');
    for line in lines {
        out.push_str(&line);
        out.push('\n');
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Text for inside backticks: a backtick in a name would end the code span early.
fn code(text: &str) -> String {
    text.replace('`', "'")
}
