use super::prelude::*;
use crate::facts::PackageStatus;
use crate::version::{DependencySource, classify};

declare_rule! {
    /// ## What it does
    /// With online checks on, reports a dependency whose exact version its registry does not
    /// list, naming the nearest versions and the latest.
    ///
    /// ## Why is this bad?
    /// Unity fails with `Package [name@version] cannot be found` although the package exists,
    /// a confusing message when the cause is a version that was never published, or was
    /// unpublished.
    ///
    /// ## Example
    /// ```json
    /// "dependencies": { "com.example.tools": "1.3.0" }
    /// ```
    ///
    /// ## How to fix
    /// Use a version the registry has (the message lists the nearest ones and the latest).
    pub static VERSION_NOT_FOUND = {
        id: "version-not-found",
        severity: Error,
        summary: "A dependency version its registry does not have",
        online: true,
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(facts) = ctx.facts else { return };
    for dep in ctx.manifest.dependencies() {
        let Some(version) = &dep.version else {
            continue;
        };
        let Ok(DependencySource::Registry(wanted)) = classify(&version.value) else {
            continue;
        };
        let name = dep.name.value.as_str();
        // An embedded package wins over the entry: no registry is asked for it.
        if ctx.project.is_some_and(|p| p.is_embedded(name)) {
            continue;
        }
        let (url, registry) = ctx.registry_for(name);
        let Some(PackageStatus::Found { versions, latest }) = facts.package(url, name) else {
            continue;
        };
        if versions.iter().any(|v| v == version.value) {
            continue;
        }
        let mut parsed: Vec<semver::Version> = versions
            .iter()
            .filter_map(|v| semver::Version::parse(v).ok())
            .collect();
        parsed.sort();
        let below = parsed.iter().rev().find(|v| **v < wanted);
        let above = parsed.iter().find(|v| **v > wanted);
        let nearest: Vec<String> = below
            .into_iter()
            .chain(above)
            .map(|v| format!("`{v}`"))
            .collect();
        let mut d = Diagnostic::new(
            &VERSION_NOT_FOUND,
            version.span,
            format!("{registry} has no version `{}` of `{name}`", version.value),
        );
        if !nearest.is_empty() {
            d = d.with_note(format!("nearest versions: {}", nearest.join(", ")));
        }
        if let Some(latest) = latest {
            d = d
                .with_note(format!("latest: `{latest}`"))
                .with_fix(Fix::unsafe_(
                    format!("Use the latest version, `{latest}`"),
                    vec![Edit::replace(version.span, json_string(latest))],
                ));
        }
        out.push(d);
    }
}
