//! Which `package.json` files the server lints as Unity package manifests.
//!
//! Every npm project has a `package.json`, and most are not Unity packages: linting one as a
//! Unity package would report its version ranges and Git dependencies as errors. So a
//! `package.json` is linted only when it is a Unity package's, by where it is or by what it
//! says (decided when the document opens):
//! - it sits in a package folder inside a Unity project's `Packages` folder
//!   (`<project>/Packages/<dir>/package.json` with `<project>/Packages/manifest.json` on disk):
//!   an embedded package; or
//! - its text has Unity's own marker, a top-level `unity` or `unityRelease` key; or
//! - its `name` is a Unity package name in reverse-domain form with at least three segments
//!   (`com.company.package`), which npm packages practically never use.

use std::path::Path;

use tower_lsp_server::ls_types::Uri;

/// Whether the document at `uri` is a `package.json` at all (by file name).
pub fn is_package_json(uri: &Uri) -> bool {
    let path = uri.path().decode().to_string_lossy().replace('\\', "/");
    path == "package.json" || path.ends_with("/package.json")
}

/// Whether the `package.json` at `uri`, with `text`, is a Unity package's (see the module
/// documentation).
pub fn is_unity_package(uri: &Uri, text: &str) -> bool {
    is_package_json(uri)
        && (crate::project::manifest_path(uri).is_some_and(|p| is_embedded(&p)) || says_unity(text))
}

/// `<project>/Packages/<dir>/package.json` with `<project>/Packages/manifest.json` on disk.
fn is_embedded(path: &Path) -> bool {
    let Some(packages) = path.parent().and_then(Path::parent) else {
        return false;
    };
    packages
        .file_name()
        .is_some_and(|n| n.eq_ignore_ascii_case("Packages"))
        && packages.join("manifest.json").is_file()
}

/// A top-level `unity`/`unityRelease` key, or a reverse-domain `name`.
fn says_unity(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Ok(parsed) = manifest_lint_core::parse::parse(text) else {
        return false;
    };
    let package = manifest_lint_core::package::PackageJson::from_ast(parsed.value.as_ref());
    if package
        .members
        .iter()
        .any(|m| matches!(m.key.value.as_str(), "unity" | "unityRelease"))
    {
        return true;
    }
    package.name.is_some_and(|name| {
        let name = name.value;
        name.split('.').count() >= 3
            && manifest_lint_core::naming::package_name_problem(&name).is_none()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(s: &str) -> Uri {
        s.parse().unwrap()
    }

    #[test]
    fn unity_packages_by_content() {
        let u = uri("file:///nowhere/tools/package.json");
        assert!(is_unity_package(&u, r#"{"name": "x", "unity": "2021.3"}"#));
        assert!(is_unity_package(
            &u,
            r#"{"name": "com.example.tools", "version": "1.0.0"}"#
        ));
        // npm packages are left alone.
        assert!(!is_unity_package(
            &u,
            r#"{"name": "left-pad", "version": "1.3.0"}"#
        ));
        assert!(!is_unity_package(
            &u,
            r#"{"name": "lodash.debounce", "dependencies": {"a": "^1"}}"#
        ));
        assert!(!is_unity_package(&u, r#"{"name": "@scope/x.y.z"}"#));
        assert!(!is_unity_package(&u, "not json"));
        // Only files named package.json.
        let other = uri("file:///nowhere/tools/other.json");
        assert!(!is_unity_package(&other, r#"{"unity": "2021.3"}"#));
    }

    #[test]
    fn embedded_packages_by_place() {
        let dir = tempfile::tempdir().unwrap();
        let packages = dir.path().join("Packages");
        std::fs::create_dir_all(packages.join("tools")).unwrap();
        let file = packages.join("tools/package.json");
        std::fs::write(&file, "{}").unwrap();
        let u = Uri::from_file_path(&file).unwrap();
        // No manifest beside: not a project.
        assert!(!is_unity_package(&u, r#"{"name": "tools"}"#));
        std::fs::write(packages.join("manifest.json"), "{}").unwrap();
        assert!(is_unity_package(&u, r#"{"name": "tools"}"#));
    }
}
