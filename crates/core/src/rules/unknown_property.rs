use super::did_you_mean;
use super::prelude::*;
use crate::model::{Member, REGISTRY_PROPERTIES, ROOT_PROPERTIES};

declare_rule! {
    /// ## What it does
    /// Reports a top-level key or a scoped-registry key that Unity does not know, with a "did you
    /// mean" when it is close to one it does (`scopedRegistry`, `scope`, `dependancies`).
    ///
    /// In a `package.json` only a near-miss of a key Unity reads is reported (`dependancies`,
    /// `unityrelease`, `displayname`, a sample's `Path`): a package.json carries npm's fields
    /// (`repository`, `scripts`, `devDependencies`, ...) and other tools' keys, which Unity
    /// tolerates, so any key that is not close to one of Unity's is left alone.
    ///
    /// ## Why is this bad?
    /// Unity ignores keys it does not know, silently. A misspelt `scopedRegistries` means the
    /// registries are never used and every scoped package fails with `cannot be found`.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "scopedRegistry": [
    ///     { "name": "Example", "url": "https://npm.example.com", "scope": ["com.example"] }
    ///   ]
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Correct the spelling (the fix renames the key to the suggestion), or remove the key.
    pub static UNKNOWN_PROPERTY = {
        id: "unknown-property",
        severity: Warning,
        summary: "A key Unity does not know, with \"did you mean\" when close to one",
        files: Both,
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    if let Some(package) = ctx.package {
        check_package(package, out);
        return;
    }
    let root_keys = || ROOT_PROPERTIES.iter().map(|(k, _)| *k);
    for member in &ctx.manifest.members {
        if !root_keys().any(|k| k == member.key.value) {
            out.push(report(
                member,
                "a top-level property of the manifest",
                root_keys(),
            ));
        }
    }
    for registry in ctx.manifest.registries() {
        let keys = || REGISTRY_PROPERTIES.iter().map(|(k, _)| *k);
        for member in &registry.members {
            if !keys().any(|k| k == member.key.value) {
                out.push(report(member, "a scoped registry property", keys()));
            }
        }
    }
}

fn check_package(package: &crate::package::PackageJson, out: &mut Vec<Diagnostic>) {
    use crate::package::{PACKAGE_PROPERTIES, SAMPLE_PROPERTIES, TOLERATED_KEYS};
    let near_misses = |members: &[Member],
                       known: &[(&'static str, crate::model::JsonType)],
                       what: &str,
                       out: &mut Vec<Diagnostic>| {
        let keys = || known.iter().map(|(k, _)| *k);
        for member in members {
            let key = member.key.value.as_str();
            if keys().any(|k| k == key) || TOLERATED_KEYS.contains(&key) || key.starts_with('_') {
                continue;
            }
            if suggestion(key, keys()).is_some() {
                out.push(report(member, what, keys()));
            }
        }
    };
    near_misses(
        &package.members,
        PACKAGE_PROPERTIES,
        "a package.json property Unity reads",
        out,
    );
    for sample in package.samples() {
        near_misses(&sample.members, SAMPLE_PROPERTIES, "a sample property", out);
    }
}

/// The known key `key` is most likely a slip for.
fn suggestion<'k>(key: &str, known: impl Iterator<Item = &'k str> + Clone) -> Option<&'k str> {
    did_you_mean(key, known.clone()).or_else(|| {
        // Singular/plural slips: `scope` for `scopes`, `scopedRegistry` for `scopedRegistries`.
        known.clone().find(|k| k.starts_with(key) && key.len() >= 4)
    })
}

fn report<'k>(
    member: &Member,
    what: &str,
    known: impl Iterator<Item = &'k str> + Clone,
) -> Diagnostic {
    let key = &member.key.value;
    let mut d = Diagnostic::new(
        &UNKNOWN_PROPERTY,
        member.key.span,
        format!("`{key}` is not {what}; Unity ignores it"),
    );
    match suggestion(key, known.clone()) {
        Some(s) => {
            d = d
                .with_note(format!("did you mean `{s}`?"))
                .with_fix(Fix::unsafe_(
                    format!("Rename to `{s}`"),
                    vec![Edit::replace(member.key.span, json_string(s))],
                ));
        }
        None => {
            let list = known
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ");
            d = d.with_note(format!("known properties: {list}"));
        }
    }
    d
}
