//! Package manifests: the `package.json` at the root of a Unity package (embedded in a project,
//! a local `file:` package, or one a team authors and publishes). Unity reads it with the same
//! strict JSON parser as the project manifest, and has its own rules for it
//! (<https://docs.unity3d.com/Manual/upm-manifestPkg.html>): `name` and `version` are required,
//! `unity` is `YYYY.N`, `dependencies` are exact versions only.
//!
//! [`lint`] runs the same pipeline as a project manifest (permissive parse, `invalid-json`,
//! `duplicate-key`, `wrong-type`, rule levels, sorting, the secret scrub) with the rules whose
//! [`crate::Files`] cover package manifests.
//!
//! ```
//! use manifest_lint_core::{package, LintOptions};
//! let analysis = package::lint(r#"{"name": "com.example.tools", "version": "1.8"}"#, &LintOptions::default());
//! assert_eq!(analysis.diagnostics[0].rule.id, "invalid-package-version");
//! ```

use jsonc_parser::ast::{Object, Value};

use crate::model::{JsonType, Member, Str, prop_name};
use crate::parse::value_span;
use crate::text::Span;
use crate::{Analysis, FileKind, LintOptions};

/// Lints a `package.json`'s text (whatever `options.kind` says).
pub fn lint(text: &str, options: &LintOptions<'_>) -> Analysis {
    with_kind(options, |o| crate::lint(text, o))
}

/// Lints a `package.json`'s raw bytes; see [`crate::lint_bytes`].
pub fn lint_bytes<'b>(
    bytes: &'b [u8],
    options: &LintOptions<'_>,
) -> (std::borrow::Cow<'b, str>, Analysis) {
    with_kind(options, |o| crate::lint_bytes(bytes, o))
}

fn with_kind<T>(options: &LintOptions<'_>, run: impl FnOnce(&LintOptions<'_>) -> T) -> T {
    if options.kind == FileKind::Package {
        return run(options);
    }
    let options = LintOptions {
        kind: FileKind::Package,
        ..options.clone()
    };
    run(&options)
}

/// The top-level keys Unity reads in a `package.json`, with their types, in the order of
/// Unity's manual. `author` may also be a string (`"Name <mail> (url)"`).
pub const PACKAGE_PROPERTIES: &[(&str, JsonType)] = &[
    ("name", JsonType::String),
    ("version", JsonType::String),
    ("displayName", JsonType::String),
    ("description", JsonType::String),
    ("unity", JsonType::String),
    ("unityRelease", JsonType::String),
    ("dependencies", JsonType::Object),
    ("keywords", JsonType::Array),
    ("author", JsonType::Object),
    ("documentationUrl", JsonType::String),
    ("changelogUrl", JsonType::String),
    ("licensesUrl", JsonType::String),
    ("license", JsonType::String),
    ("samples", JsonType::Array),
    ("hideInEditor", JsonType::Boolean),
    ("type", JsonType::String),
];

/// The keys of an entry of `samples`.
pub const SAMPLE_PROPERTIES: &[(&str, JsonType)] = &[
    ("displayName", JsonType::String),
    ("description", JsonType::String),
    ("path", JsonType::String),
];

/// Keys that Unity does not read but tolerates, and that real packages carry: npm's own
/// `package.json` fields (packages are published to npm-compatible registries with npm's tools),
/// and what Unity's and other tools write (`_upm`, `relatedPackages`, VRChat's `vpm*`, ...).
/// They are never reported; neither is any key starting with `_`.
pub const TOLERATED_KEYS: &[&str] = &[
    // npm
    "homepage",
    "bugs",
    "contributors",
    "maintainers",
    "funding",
    "files",
    "main",
    "browser",
    "bin",
    "man",
    "directories",
    "repository",
    "scripts",
    "config",
    "devDependencies",
    "peerDependencies",
    "peerDependenciesMeta",
    "bundleDependencies",
    "bundledDependencies",
    "optionalDependencies",
    "overrides",
    "engines",
    "os",
    "cpu",
    "private",
    "publishConfig",
    "workspaces",
    "exports",
    "imports",
    "types",
    "typings",
    "module",
    "readme",
    "readmeFilename",
    "gitHead",
    "dist",
    "licenses",
    "packageManager",
    "release",
    // Unity and tools around it
    "relatedPackages",
    "category",
    "upmCi",
    "upm",
    "unityProject",
    "url",
    "changelog",
    "vpmDependencies",
    "legacyFolders",
    "legacyFiles",
    "legacyPackages",
    "zipSHA256",
    "repo",
    "openupm",
    "scopedRegistries",
];

/// What a `package.json` says, in Unity's terms, with spans. Built leniently like
/// [`crate::Manifest`]: values of the wrong type are left out (`wrong-type` reports them), and
/// of duplicate keys the last counts, as in Unity.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackageJson {
    /// The root object's span; `None` when the root is missing or not an object.
    pub root: Option<Span>,
    /// The root object's members, in order (duplicates included).
    pub members: Vec<Member>,
    pub name: Option<Str>,
    pub version: Option<Str>,
    pub unity: Option<Str>,
    pub unity_release: Option<Str>,
    pub samples: Option<Samples>,
}

/// The `samples` array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Samples {
    pub span: Span,
    /// The entries that are objects.
    pub entries: Vec<Sample>,
}

/// One entry of `samples` that is an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    /// Position in the array.
    pub element: usize,
    pub span: Span,
    pub members: Vec<Member>,
    pub display_name: Option<Str>,
    pub path: Option<Str>,
}

impl PackageJson {
    pub fn from_ast(root: Option<&Value<'_>>) -> Self {
        let mut package = PackageJson::default();
        let Some(Value::Object(object)) = root else {
            return package;
        };
        package.root = Some(object.range.into());
        package.members = members(object);
        for prop in &object.properties {
            match (prop_name(prop), &prop.value) {
                ("name", v) => package.name = string(v),
                ("version", v) => package.version = string(v),
                ("unity", v) => package.unity = string(v),
                ("unityRelease", v) => package.unity_release = string(v),
                ("samples", Value::Array(array)) => {
                    package.samples = Some(Samples {
                        span: array.range.into(),
                        entries: array
                            .elements
                            .iter()
                            .enumerate()
                            .filter_map(|(i, v)| match v {
                                Value::Object(o) => Some(sample(i, o)),
                                _ => None,
                            })
                            .collect(),
                    })
                }
                ("samples", _) => package.samples = None,
                _ => {}
            }
        }
        package
    }

    /// The top-level member for `key` that Unity uses (the last one).
    pub fn member(&self, key: &str) -> Option<&Member> {
        self.members.iter().rev().find(|m| m.key.value == key)
    }

    pub fn samples(&self) -> &[Sample] {
        self.samples.as_ref().map_or(&[], |s| &s.entries)
    }
}

fn sample(element: usize, object: &Object<'_>) -> Sample {
    let mut sample = Sample {
        element,
        span: object.range.into(),
        members: members(object),
        display_name: None,
        path: None,
    };
    for prop in &object.properties {
        match prop_name(prop) {
            "displayName" => sample.display_name = string(&prop.value),
            "path" => sample.path = string(&prop.value),
            _ => {}
        }
    }
    sample
}

fn members(object: &Object<'_>) -> Vec<Member> {
    object
        .properties
        .iter()
        .map(|p| Member {
            key: key_str(p),
            span: p.range.into(),
            value_span: value_span(&p.value),
            value_type: JsonType::of(&p.value),
        })
        .collect()
}

fn key_str(prop: &jsonc_parser::ast::ObjectProp<'_>) -> Str {
    use jsonc_parser::ast::ObjectPropName;
    match &prop.name {
        ObjectPropName::String(s) => Str {
            value: s.value.as_ref().into(),
            span: s.range.into(),
        },
        ObjectPropName::Word(w) => Str {
            value: w.value.into(),
            span: w.range.into(),
        },
    }
}

fn string(value: &Value<'_>) -> Option<Str> {
    match value {
        Value::StringLit(s) => Some(Str {
            value: s.value.as_ref().into(),
            span: s.range.into(),
        }),
        _ => None,
    }
}

/// Whether `value` is a `unity` field Unity reads: `major.minor` with a four-digit major
/// (`2019.4`, `6000.0`).
pub fn is_unity_version(value: &str) -> bool {
    let Some((major, minor)) = value.split_once('.') else {
        return false;
    };
    major.len() == 4
        && major.bytes().all(|b| b.is_ascii_digit())
        && !major.starts_with('0')
        && !minor.is_empty()
        && minor.len() <= 2
        && minor.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `value` is a `unityRelease` field Unity reads: `<update><release>` such as `0b4`,
/// `45f1`, `10a3`, or a China release `22f1c1`.
pub fn is_unity_release(value: &str) -> bool {
    let b = value.as_bytes();
    let digits = |i: usize| b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    let update = digits(0);
    if update == 0 || update >= b.len() || !matches!(b[update], b'a' | b'b' | b'f' | b'p' | b'x') {
        return false;
    }
    let release = digits(update + 1);
    if release == 0 {
        return false;
    }
    let rest = &b[update + 1 + release..];
    match rest {
        [] => true,
        [b'c', tail @ ..] => !tail.is_empty() && tail.iter().all(u8::is_ascii_digit),
        _ => false,
    }
}

/// A full Editor version written in `unity` (`2020.3.45f1`), split into what `unity` and
/// `unityRelease` take (`2020.3`, `45f1`); `None` when it is not of that form.
pub fn split_unity_version(value: &str) -> Option<(&str, &str)> {
    let mut dots = value.match_indices('.');
    let (_, _) = dots.next()?;
    let (second, _) = dots.next()?;
    let (unity, release) = (&value[..second], &value[second + 1..]);
    (is_unity_version(unity) && is_unity_release(release)).then_some((unity, release))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unity_versions_and_releases() {
        for ok in ["2019.1", "2020.3", "6000.0", "2022.10"] {
            assert!(is_unity_version(ok), "{ok}");
        }
        for bad in [
            "2020",
            "2020.3.45f1",
            "2020.",
            "20.3",
            "v2020.3",
            "2020.3f1",
            "",
            "0200.1",
        ] {
            assert!(!is_unity_version(bad), "{bad}");
        }
        for ok in ["0b4", "45f1", "10f1", "0a13", "22f1c1", "3p2", "0x1"] {
            assert!(is_unity_release(ok), "{ok}");
        }
        for bad in [
            "",
            "f1",
            "45",
            "45f",
            "45F1",
            "0b4 ",
            "2020.3.45f1",
            "45f1c",
            "1q1",
        ] {
            assert!(!is_unity_release(bad), "{bad}");
        }
        assert_eq!(split_unity_version("2020.3.45f1"), Some(("2020.3", "45f1")));
        assert_eq!(split_unity_version("6000.0.23f1"), Some(("6000.0", "23f1")));
        assert_eq!(split_unity_version("2020.3.45"), None);
        assert_eq!(split_unity_version("2020.3"), None);
    }

    #[test]
    fn the_model_keeps_the_last_of_duplicates_and_skips_wrong_types() {
        let text = r#"{"name": "a", "name": "com.b", "version": 1, "samples": [1, {"path": "Samples~/x"}]}"#;
        let parsed = crate::parse::parse(text).unwrap();
        let p = PackageJson::from_ast(parsed.value.as_ref());
        assert_eq!(p.name.as_ref().unwrap().value, "com.b");
        assert_eq!(p.version, None);
        assert_eq!(p.samples().len(), 1);
        assert_eq!(p.samples()[0].element, 1);
        assert_eq!(p.samples()[0].path.as_ref().unwrap().value, "Samples~/x");
    }
}

#[cfg(test)]
mod lint_tests {
    use super::*;
    use crate::fix::{FixOptions, fix_all};

    fn ids(text: &str) -> Vec<&'static str> {
        lint(text, &LintOptions::default())
            .diagnostics
            .iter()
            .map(|d| d.rule.id)
            .collect()
    }

    #[test]
    fn a_good_package_has_nothing_and_manifest_rules_stay_out() {
        let text = r#"{
  "name": "com.example.tools",
  "version": "1.2.3",
  "displayName": "Tools",
  "unity": "2021.3",
  "unityRelease": "20f1",
  "dependencies": { "com.unity.ugui": "1.0.0", "com.unity.modules.ui": "1.0.0" },
  "keywords": ["tools"],
  "author": "Example <me@example.com>",
  "samples": [{ "displayName": "Basic", "description": "d", "path": "Samples~/Basic" }],
  "repository": { "type": "git", "url": "https://github.com/example/tools.git" },
  "scripts": { "test": "echo" },
  "devDependencies": { "x": "^1.0.0" },
  "_upm": { "changelog": "x" },
  "hideInEditor": false,
  "license": "MIT"
}"#;
        assert_eq!(ids(text), Vec::<&str>::new());
    }

    #[test]
    fn every_package_rule_fires() {
        let text = r#"{
  "name": "Com.Example.Tools",
  "version": "1.8",
  "unity": "2020.3.45f1",
  "dependancies": {},
  "dependencies": { "com.a": "^1.0.0", "com.b": "https://github.com/a/b.git", "com.c": "file:../c" },
  "samples": [{ "displayName": "Basic" }],
  "scopedRegistries": []
}"#;
        let found = ids(text);
        for id in [
            "invalid-package-name",
            "invalid-package-version",
            "invalid-unity-version",
            "unknown-property",
            "invalid-version",
            "sample-without-path",
            "ignored-scoped-registries",
        ] {
            assert!(found.contains(&id), "{id} not in {found:?}");
        }
        assert_eq!(found.iter().filter(|i| **i == "invalid-version").count(), 3);
        assert_eq!(ids("{}"), ["missing-property"]);
        assert_eq!(
            ids("{\"name\": \"com.a\", \"version\": \"1.0.0\",}"),
            ["invalid-json"]
        );
    }

    #[test]
    fn the_unity_split_is_a_safe_fix_that_keeps_the_layout() {
        let text = "{\r\n  \"name\": \"com.a\",\r\n  \"version\": \"1.0.0\",\r\n  \"unity\": \"2020.3.45f1\"\r\n}\r\n";
        let options = LintOptions {
            kind: FileKind::Package,
            ..Default::default()
        };
        let outcome = fix_all(text, &options, &FixOptions::default());
        assert_eq!(
            outcome.text,
            "{\r\n  \"name\": \"com.a\",\r\n  \"version\": \"1.0.0\",\r\n  \"unity\": \"2020.3\",\r\n  \"unityRelease\": \"45f1\"\r\n}\r\n"
        );
        assert!(outcome.analysis.diagnostics.is_empty());
        let one_line = r#"{"name": "com.a", "version": "1.0.0", "unity": "6000.0.23f1", "x": 1}"#;
        let outcome = fix_all(one_line, &options, &FixOptions::default());
        assert_eq!(
            outcome.text,
            r#"{"name": "com.a", "version": "1.0.0", "unity": "6000.0", "unityRelease": "23f1", "x": 1}"#
        );
    }
}
