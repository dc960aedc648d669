use super::prelude::*;
use crate::project::Source;
use crate::project::check::{display, report_at_roots, report_span};

declare_rule! {
    /// ## What it does
    /// When the project's files are read, reports a registry package that is requested at two
    /// or more major versions (the manifest asks for `1.4.0` and a package for `2.0.0`, or two
    /// packages disagree). It names every request and the version Unity installs, and is
    /// reported at the manifest's entry for the package when there is one, else at the
    /// manifest's dependencies that pull in the requests Unity does not follow.
    ///
    /// It is a warning when a package gets an **older** major version than it asks for (Unity
    /// 2019.x picks the request closest to the project, so a manifest entry can hold a package's
    /// dependency back). When packages only get a newer major than they ask for, it is for
    /// information: from 2020.1 Unity installs the highest version requested, and working
    /// projects do this all the time (`com.unity.ext.nunit` 1.x asked by the Rider integration,
    /// 2.x installed for the Test Framework).
    ///
    /// ## Why is this bad?
    /// Unity installs one version of each package, so a package built against another major
    /// version gets one whose API may have breaking changes; an older major than it needs
    /// usually lacks what it uses and fails to compile. Unity's Package Manager reports such
    /// conflicts in the console.
    ///
    /// ## Example
    /// ```json
    /// "dependencies": { "com.acme.core": "1.4.0", "com.acme.game": "1.0.0" }
    /// ```
    /// where `com.acme.game@1.0.0` depends on `com.acme.core@2.0.0`.
    ///
    /// ## How to fix
    /// Align the versions: upgrade the manifest's entry (or the package that asks for the
    /// older major) so that every request names the same major version.
    pub static MAJOR_VERSION_CONFLICT = {
        id: "major-version-conflict",
        severity: Warning,
        summary: "A package requested at different major versions",
        check: check,
    }
}

fn major(version: &str) -> Option<u64> {
    semver::Version::parse(version).ok().map(|v| v.major)
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(project) = ctx.project else { return };
    let graph = &project.graph;
    for package in &graph.packages {
        if package.source != Source::Registry {
            continue;
        }
        let name = package.name.as_str();
        // Every request: who asks (`None`: the manifest) and for which version.
        let mut requests: Vec<(Option<&crate::project::Package>, &str)> = Vec::new();
        for by in &package.requested_by {
            if by == "manifest" {
                if let Some(v) = ctx.dependency(name).and_then(|d| d.version.as_ref()) {
                    requests.push((None, v.value.as_str()));
                }
            } else if let Some(parent) = graph.package(by)
                && let Some(v) = parent.dependencies.get(name)
            {
                requests.push((Some(parent), v.as_str()));
            }
        }
        let mut majors: Vec<u64> = requests.iter().filter_map(|(_, v)| major(v)).collect();
        majors.sort_unstable();
        majors.dedup();
        if majors.len() < 2 {
            continue;
        }
        let chosen = package.version.as_str();
        let chosen_major = major(chosen);
        // A request for a newer major than installed: that package is held back.
        let held_back = requests
            .iter()
            .any(|(_, v)| major(v).is_some_and(|m| chosen_major.is_some_and(|c| m > c)));
        let severity = if held_back {
            Severity::Warning
        } else {
            Severity::Info
        };
        let words: Vec<String> = requests
            .iter()
            .map(|(by, v)| match by {
                None => format!("{v} by the manifest"),
                Some(p) => format!("{v} by {}", display(p)),
            })
            .collect();
        let message = format!(
            "`{name}` is requested at different major versions ({}); Unity installs {chosen}",
            words.join(", ")
        );
        let note = "a package built against another major version may not work with the one installed; align the requests";
        if package.requested_by.iter().any(|r| r == "manifest") {
            out.push(
                Diagnostic::new(
                    &MAJOR_VERSION_CONFLICT,
                    report_span(ctx.manifest, name),
                    message,
                )
                .with_severity(severity)
                .with_note(note),
            );
            continue;
        }
        // At the roots of the requests Unity does not follow.
        let mut reported: Vec<Span> = Vec::new();
        for (by, v) in &requests {
            let Some(by) = by else { continue };
            if major(v) == chosen_major {
                continue;
            }
            let mut found = Vec::new();
            report_at_roots(project, ctx.manifest, &by.name, &mut found, |span, _| {
                Diagnostic::new(&MAJOR_VERSION_CONFLICT, span, message.clone())
                    .with_severity(severity)
                    .with_note(note)
            });
            for d in found {
                if !reported.contains(&d.span) {
                    reported.push(d.span);
                    out.push(d);
                }
            }
        }
    }
}
