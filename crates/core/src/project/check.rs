//! What the project diagnostics share: the project's inputs with their `package.json` files
//! parsed, and where in the manifest a problem found deeper in the project is reported.
//!
//! The project rules (`local-package-missing` and the others in `crate::rules`) run inside
//! [`crate::lint`] when [`crate::LintOptions::project`] is given, so rule levels, sorting and
//! secret masking apply to them as to every other rule. Every finding is reported in the
//! manifest, at the direct dependency that pulls the problem in, with the chain of packages in
//! the message (`com.acme.game@1.0.0 -> com.partner.sdk@2.0.0`).

use crate::model::Manifest;
use crate::project::{Origin, ProjectInput};
use crate::text::Span;

/// The project around a manifest, prepared once for every project rule.
#[derive(Debug)]
pub struct ProjectContext<'a> {
    pub input: &'a ProjectInput<'a>,
    /// The `package.json` of each of `input.packages` (same order), parsed; `None` when it is
    /// missing or not a JSON object.
    pub disk: Vec<Option<PackageJson>>,
}

/// The parts of a package's `package.json` the project rules read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackageJson {
    pub name: Option<String>,
    pub version: Option<String>,
    pub unity: Option<String>,
    pub unity_release: Option<String>,
    /// `dependencies` with string values, name -> requested version, sorted by name.
    pub dependencies: Vec<(String, String)>,
}

impl PackageJson {
    /// Parses a `package.json` text; `None` when it is not a JSON object (its own lint says so).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let serde_json::Value::Object(root) = serde_json::from_str(text).ok()? else {
            return None;
        };
        let string = |key: &str| root.get(key).and_then(|v| v.as_str()).map(str::to_string);
        let dependencies = match root.get("dependencies") {
            Some(serde_json::Value::Object(deps)) => deps
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect(),
            _ => Vec::new(),
        };
        Some(Self {
            name: string("name"),
            version: string("version"),
            unity: string("unity"),
            unity_release: string("unityRelease"),
            dependencies,
        })
    }
}

impl<'a> ProjectContext<'a> {
    pub fn new(input: &'a ProjectInput<'a>, _manifest: &Manifest) -> Self {
        let disk = input
            .packages
            .iter()
            .map(|p| p.text.as_ref().ok().and_then(|t| PackageJson::parse(t)))
            .collect();
        Self { input, disk }
    }

    /// The name an embedded package goes by: its `package.json`'s `name`, else its folder's.
    pub fn embedded_names(&self) -> impl Iterator<Item = &str> {
        self.input
            .packages
            .iter()
            .zip(&self.disk)
            .filter_map(|(p, json)| match &p.origin {
                Origin::Embedded { dir } => Some(
                    json.as_ref()
                        .and_then(|j| j.name.as_deref())
                        .unwrap_or(dir.as_str()),
                ),
                _ => None,
            })
    }

    /// Whether an embedded package goes by `name` (it then wins over the manifest's entry).
    pub fn is_embedded(&self, name: &str) -> bool {
        self.embedded_names().any(|n| n == name)
    }
}

/// Where a problem pulled in by the direct dependency `root` is reported: that dependency's
/// name in the manifest (the last of duplicates, the one Unity keeps), else the `dependencies`
/// key (an embedded package the manifest does not list), else the start of the text.
pub fn report_span(manifest: &Manifest, root: &str) -> Span {
    if let Some(dep) = manifest
        .dependencies()
        .iter()
        .rev()
        .find(|d| d.name.value == root)
    {
        return dep.name.span;
    }
    if let Some(member) = manifest.member("dependencies") {
        return member.key.span;
    }
    manifest
        .root
        .map_or(Span::new(0, 0), |r| Span::new(r.start, r.start))
}

/// The names the lock file records with `"source": "builtin"`.
pub fn lock_builtins(lock: Option<&str>) -> Vec<String> {
    let Some(Ok(lock)) = lock.map(crate::lock::parse_lock) else {
        return Vec::new();
    };
    lock.entries
        .into_iter()
        .filter(|e| e.source.as_deref() == Some("builtin"))
        .map(|e| e.name)
        .collect()
}

/// The folder or tarball a `package.json` path for messages names
/// (`local/tool/package.json` -> `local/tool`; a tarball's path is the tarball).
pub fn package_location(path: &str) -> &str {
    path.strip_suffix("/package.json").unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_json_parts() {
        let json = PackageJson::parse(
            "\u{feff}{\"name\": \"com.a\", \"version\": \"1.0.0\", \"unity\": \"2022.3\", \
             \"unityRelease\": \"0f1\", \"dependencies\": {\"com.z\": \"1.0.0\", \"com.b\": 2}}",
        )
        .unwrap();
        assert_eq!(json.name.as_deref(), Some("com.a"));
        assert_eq!(json.unity.as_deref(), Some("2022.3"));
        assert_eq!(json.unity_release.as_deref(), Some("0f1"));
        assert_eq!(json.dependencies, [("com.z".into(), "1.0.0".into())]);
        assert_eq!(PackageJson::parse("[1]"), None);
        assert_eq!(PackageJson::parse("{,"), None);
    }

    #[test]
    fn locations() {
        assert_eq!(package_location("local/tool/package.json"), "local/tool");
        assert_eq!(package_location("Packages/tool.tgz"), "Packages/tool.tgz");
    }
}
