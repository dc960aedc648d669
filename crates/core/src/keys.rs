//! The documentation of every key of Unity's project manifest, in one table: what it is, its
//! type, the values Unity allows, a one-line example and the Unity manual page about it.
//!
//! The table drives the language server's hover over keys and the documentation of its key
//! completions, and [`json_schema`] generates from it the JSON Schema published in
//! `editors/schema/` (so that an editor's plain JSON service understands the manifest too).
//! `model::ROOT_PROPERTIES` and `model::REGISTRY_PROPERTIES`, which the rules use, must list the
//! same keys with the same types (a test checks it).

use serde_json::{Map, Value, json};

use crate::model::{JsonType, RESOLUTION_STRATEGIES};

/// Where a key lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyPlace {
    /// A top-level key of the manifest.
    Root,
    /// A key of an entry of `scopedRegistries`.
    Registry,
    /// A top-level key of a package's `package.json`.
    Package,
    /// A key of an entry of a `package.json`'s `samples`.
    Sample,
}

/// What a key's value holds, in more detail than its JSON type (for the schema).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `dependencies`: package name to a version, Git URL or `file:` path.
    Dependencies,
    /// `scopedRegistries`: an array of registry objects (the [`KeyPlace::Registry`] keys).
    Registries,
    /// An array of package names.
    PackageNames,
    /// `scopes`: a non-empty array of scope strings.
    Scopes,
    Boolean,
    /// A string, one of the listed values.
    Enum(&'static [&'static str]),
    /// A registry URL.
    Url,
    /// Any string.
    String,
    /// An object whose content the manifest keeps as it is (`lock`).
    Object,
    /// A package name (`com.company.package`).
    PackageName,
    /// A SemVer version (`1.2.3`).
    SemVer,
    /// `unity`: `major.minor` (`2021.3`).
    UnityVersion,
    /// `unityRelease`: `<update><release>` (`45f1`).
    UnityRelease,
    /// A package's `dependencies`: package name to an exact version.
    PackageDependencies,
    /// An array of strings (`keywords`).
    Strings,
    /// `author`: an object with `name`, `email`, `url`, or one string.
    Author,
    /// `samples`: an array of sample objects (the [`KeyPlace::Sample`] keys).
    Samples,
}

impl Shape {
    pub const fn json_type(self) -> JsonType {
        match self {
            Shape::Dependencies | Shape::Object | Shape::PackageDependencies | Shape::Author => {
                JsonType::Object
            }
            Shape::Registries
            | Shape::PackageNames
            | Shape::Scopes
            | Shape::Strings
            | Shape::Samples => JsonType::Array,
            Shape::Boolean => JsonType::Boolean,
            Shape::Enum(_)
            | Shape::Url
            | Shape::String
            | Shape::PackageName
            | Shape::SemVer
            | Shape::UnityVersion
            | Shape::UnityRelease => JsonType::String,
        }
    }

    /// The type as a reader says it: "object (package name → version)".
    pub const fn label(self) -> &'static str {
        match self {
            Shape::Dependencies => "object (package name → version, Git URL or `file:` path)",
            Shape::Registries => "array of scoped registries",
            Shape::PackageNames => "array of package names",
            Shape::Scopes => "array of scopes (package names or name prefixes)",
            Shape::Boolean => "boolean",
            Shape::Enum(_) => "string (one of the values below)",
            Shape::Url => "string (an absolute http or https URL)",
            Shape::String => "string",
            Shape::Object => "object",
            Shape::PackageName => "string (a lowercase reverse-domain package name)",
            Shape::SemVer => "string (a SemVer version, major.minor.patch)",
            Shape::UnityVersion => "string (a Unity version, major.minor)",
            Shape::UnityRelease => "string (a Unity release, update and release letter)",
            Shape::PackageDependencies => "object (package name → exact version)",
            Shape::Strings => "array of strings",
            Shape::Author => "object (`name`, `email`, `url`) or string",
            Shape::Samples => "array of samples",
        }
    }
}

/// Pages of Unity's manual.
pub mod manual {
    pub const PROJECT_MANIFEST: &str = "https://docs.unity3d.com/Manual/upm-manifestPrj.html";
    pub const SCOPED_REGISTRIES: &str = "https://docs.unity3d.com/Manual/upm-scoped.html";
    pub const DEPENDENCIES: &str = "https://docs.unity3d.com/Manual/upm-dependencies.html";
    pub const LOCK_FILE: &str = "https://docs.unity3d.com/Manual/upm-conflicts-auto.html";
    pub const GIT: &str = "https://docs.unity3d.com/Manual/upm-git.html";
    pub const TESTS: &str = "https://docs.unity3d.com/Manual/cus-tests.html";
    pub const PACKAGE_MANIFEST: &str = "https://docs.unity3d.com/Manual/upm-manifestPkg.html";
    pub const NAMING: &str = "https://docs.unity3d.com/Manual/cus-naming.html";
    pub const SAMPLES: &str = "https://docs.unity3d.com/Manual/cus-samples.html";
    pub const VERSIONING: &str = "https://docs.unity3d.com/Manual/upm-semver.html";
}

/// One key's documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyDoc {
    pub key: &'static str,
    pub place: KeyPlace,
    pub shape: Shape,
    /// One sentence: what the key does.
    pub summary: &'static str,
    /// More about the values Unity allows (may be empty).
    pub values: &'static str,
    /// What Unity does when the key is absent (may be empty).
    pub default: &'static str,
    /// A one-line example: the key and a value, as written in the manifest.
    pub example: &'static str,
    /// The Unity manual page about it.
    pub manual: &'static str,
    /// A key Unity keeps reading for old projects but no longer documents.
    pub legacy: bool,
}

/// Every key, top level first, in the order Unity's manual lists them.
pub static KEYS: &[KeyDoc] = &[
    KeyDoc {
        key: "dependencies",
        place: KeyPlace::Root,
        shape: Shape::Dependencies,
        summary: "The project's direct dependencies: each package name with the version, Git URL or local path to use.",
        values: "A registry version is an exact SemVer version (`1.2.3`, `1.0.0-preview.1`): no ranges, no `latest`. A Git dependency is a Git URL (`.git` path, `git+https://`, `git://`, `git@host:path.git`) with an optional `?path=` before an optional `#revision`. A local package is `file:` and a folder or tarball, absolute or relative to `Packages/`.",
        default: "",
        example: r#""dependencies": { "com.unity.ugui": "2.0.0" }"#,
        manual: manual::PROJECT_MANIFEST,
        legacy: false,
    },
    KeyDoc {
        key: "scopedRegistries",
        place: KeyPlace::Root,
        shape: Shape::Registries,
        summary: "npm-compatible registries besides Unity's, each with the package-name scopes it serves.",
        values: "A package comes from the registry whose scope matches its name most closely (the longest scope equal to the name or a dot-prefix of it); with none, from the default registry.",
        default: "",
        example: r#""scopedRegistries": [{ "name": "OpenUPM", "url": "https://package.openupm.com", "scopes": ["com.example"] }]"#,
        manual: manual::SCOPED_REGISTRIES,
        legacy: false,
    },
    KeyDoc {
        key: "testables",
        place: KeyPlace::Root,
        shape: Shape::PackageNames,
        summary: "Packages whose tests the Test Runner loads (besides the project's own).",
        values: "Package names, each also a dependency of the project.",
        default: "No package's tests are loaded.",
        example: r#""testables": ["com.example.tools"]"#,
        manual: manual::TESTS,
        legacy: false,
    },
    KeyDoc {
        key: "enableLockFile",
        place: KeyPlace::Root,
        shape: Shape::Boolean,
        summary: "Whether the Package Manager writes `Packages/packages-lock.json`, which records the resolved version and source of every package.",
        values: "",
        default: "`true`",
        example: r#""enableLockFile": true"#,
        manual: manual::LOCK_FILE,
        legacy: false,
    },
    KeyDoc {
        key: "resolutionStrategy",
        place: KeyPlace::Root,
        shape: Shape::Enum(RESOLUTION_STRATEGIES),
        summary: "How far the Package Manager may upgrade indirect dependencies beyond the lowest version asked for.",
        values: "`lowest` (no upgrade), `highestPatch`, `highestMinor`, `highest` (the newest version, even a new major one).",
        default: "`lowest`",
        example: r#""resolutionStrategy": "highestPatch""#,
        manual: manual::DEPENDENCIES,
        legacy: false,
    },
    KeyDoc {
        key: "pinnedPackages",
        place: KeyPlace::Root,
        shape: Shape::PackageNames,
        summary: "Unity 6: packages whose resolved version stays as it is when other packages ask for a newer one.",
        values: "Package names, each also in `dependencies`.",
        default: "",
        example: r#""pinnedPackages": ["com.unity.ugui"]"#,
        manual: manual::PROJECT_MANIFEST,
        legacy: false,
    },
    KeyDoc {
        key: "registry",
        place: KeyPlace::Root,
        shape: Shape::Url,
        summary: "Legacy: replaces Unity's default registry (`https://packages.unity.com`) for every package no scope matches.",
        values: "Honoured by Unity 2018.3 to 2020.2; prefer `scopedRegistries`.",
        default: "`https://packages.unity.com`",
        example: r#""registry": "https://packages.unity.com""#,
        manual: manual::SCOPED_REGISTRIES,
        legacy: true,
    },
    KeyDoc {
        key: "lock",
        place: KeyPlace::Root,
        shape: Shape::Object,
        summary: "Legacy (Unity 2019.3 and older): the commits that Git dependencies were locked to, written by the Package Manager.",
        values: "Package name to `{ \"revision\": ..., \"hash\": ... }`. Newer Editors keep this in `Packages/packages-lock.json`.",
        default: "",
        example: r#""lock": { "com.example.git": { "revision": "HEAD", "hash": "0123abcd..." } }"#,
        manual: manual::GIT,
        legacy: true,
    },
    KeyDoc {
        key: "useSatSolver",
        place: KeyPlace::Root,
        shape: Shape::Boolean,
        summary: "Undocumented switch for the Package Manager's dependency solver, seen in real manifests; Unity accepts it.",
        values: "",
        default: "",
        example: r#""useSatSolver": true"#,
        manual: manual::DEPENDENCIES,
        legacy: false,
    },
    KeyDoc {
        key: "name",
        place: KeyPlace::Registry,
        shape: Shape::String,
        summary: "The registry's name, shown in the Package Manager window.",
        values: "Not empty or blank; unique among the registries.",
        default: "",
        example: r#""name": "OpenUPM""#,
        manual: manual::SCOPED_REGISTRIES,
        legacy: false,
    },
    KeyDoc {
        key: "url",
        place: KeyPlace::Registry,
        shape: Shape::Url,
        summary: "The address of the npm-compatible registry that serves the scopes.",
        values: "An absolute `http` or `https` URL, without credentials (those go in `.upmconfig.toml`).",
        default: "",
        example: r#""url": "https://package.openupm.com""#,
        manual: manual::SCOPED_REGISTRIES,
        legacy: false,
    },
    KeyDoc {
        key: "scopes",
        place: KeyPlace::Registry,
        shape: Shape::Scopes,
        summary: "The package names this registry serves: a scope matches a name equal to it or starting with it and a dot.",
        values: "At least one. Lowercase reverse-domain names such as `com.example`; no wildcards and no npm `@scope` notation. Matching is case-sensitive.",
        default: "",
        example: r#""scopes": ["com.example", "com.example.tools"]"#,
        manual: manual::SCOPED_REGISTRIES,
        legacy: false,
    },
    KeyDoc {
        key: "overrideBuiltIns",
        place: KeyPlace::Registry,
        shape: Shape::Boolean,
        summary: "Unity 6: let this registry's versions of built-in packages replace the ones that come with the Editor.",
        values: "",
        default: "`false`",
        example: r#""overrideBuiltIns": true"#,
        manual: manual::SCOPED_REGISTRIES,
        legacy: false,
    },
    KeyDoc {
        key: "name",
        place: KeyPlace::Package,
        shape: Shape::PackageName,
        summary: "Required: the package's unique name, which projects write in their dependencies.",
        values: "Reverse-domain notation (`com.company.package`): lowercase letters, digits, `-`, `_` and `.`, starting with a letter or digit, at most 214 characters. npm's `@scope/name` form is rejected.",
        default: "",
        example: r#""name": "com.example.tools""#,
        manual: manual::NAMING,
        legacy: false,
    },
    KeyDoc {
        key: "version",
        place: KeyPlace::Package,
        shape: Shape::SemVer,
        summary: "Required: the package's version.",
        values: "Semantic Versioning, `major.minor.patch` with an optional `-prerelease` (`1.2.3`, `2.0.0-preview.1`); `1.8` is not one.",
        default: "",
        example: r#""version": "1.2.3""#,
        manual: manual::VERSIONING,
        legacy: false,
    },
    KeyDoc {
        key: "displayName",
        place: KeyPlace::Package,
        shape: Shape::String,
        summary: "The name the Package Manager window and the Project window show.",
        values: "",
        default: "",
        example: r#""displayName": "Example Tools""#,
        manual: manual::PACKAGE_MANIFEST,
        legacy: false,
    },
    KeyDoc {
        key: "description",
        place: KeyPlace::Package,
        shape: Shape::String,
        summary: "What the package does, shown in the Package Manager window's details.",
        values: "UTF-8 text; `\\n` line breaks and bullets such as `\\u25AA` are shown.",
        default: "",
        example: r#""description": "Tools for example projects.""#,
        manual: manual::PACKAGE_MANIFEST,
        legacy: false,
    },
    KeyDoc {
        key: "unity",
        place: KeyPlace::Package,
        shape: Shape::UnityVersion,
        summary: "The oldest Unity version the package supports.",
        values: "`major.minor` only (`2021.3`, `6000.0`); the update and release (`45f1`) go in `unityRelease`.",
        default: "Compatible with every Unity version.",
        example: r#""unity": "2021.3""#,
        manual: manual::PACKAGE_MANIFEST,
        legacy: false,
    },
    KeyDoc {
        key: "unityRelease",
        place: KeyPlace::Package,
        shape: Shape::UnityRelease,
        summary: "The oldest release of that Unity version the package supports.",
        values: "`<update><release>`: `0b4`, `45f1`. No effect without `unity`.",
        default: "",
        example: r#""unityRelease": "45f1""#,
        manual: manual::PACKAGE_MANIFEST,
        legacy: false,
    },
    KeyDoc {
        key: "dependencies",
        place: KeyPlace::Package,
        shape: Shape::PackageDependencies,
        summary: "The packages this package needs, each with the version to use; Unity resolves them through the project's registries.",
        values: "Exact SemVer versions only: no ranges, no Git URLs, no `file:` paths (those work only in the project manifest).",
        default: "",
        example: r#""dependencies": { "com.unity.ugui": "1.0.0" }"#,
        manual: manual::PACKAGE_MANIFEST,
        legacy: false,
    },
    KeyDoc {
        key: "keywords",
        place: KeyPlace::Package,
        shape: Shape::Strings,
        summary: "Words the Package Manager's search finds the package by.",
        values: "",
        default: "",
        example: r#""keywords": ["tools", "editor"]"#,
        manual: manual::PACKAGE_MANIFEST,
        legacy: false,
    },
    KeyDoc {
        key: "author",
        place: KeyPlace::Package,
        shape: Shape::Author,
        summary: "The package's author (one).",
        values: "An object with `name` (required), `email` and `url`, or one string `\"Name <email> (url)\"`.",
        default: "",
        example: r#""author": { "name": "Example", "email": "dev@example.com" }"#,
        manual: manual::PACKAGE_MANIFEST,
        legacy: false,
    },
    KeyDoc {
        key: "documentationUrl",
        place: KeyPlace::Package,
        shape: Shape::Url,
        summary: "Where the package's documentation is; offline, the Package Manager opens `Documentation~` instead.",
        values: "",
        default: "",
        example: r#""documentationUrl": "https://example.com/docs""#,
        manual: manual::PACKAGE_MANIFEST,
        legacy: false,
    },
    KeyDoc {
        key: "changelogUrl",
        place: KeyPlace::Package,
        shape: Shape::Url,
        summary: "Where the package's changelog is; offline, the Package Manager opens `CHANGELOG.md` instead.",
        values: "",
        default: "",
        example: r#""changelogUrl": "https://example.com/changelog""#,
        manual: manual::PACKAGE_MANIFEST,
        legacy: false,
    },
    KeyDoc {
        key: "licensesUrl",
        place: KeyPlace::Package,
        shape: Shape::Url,
        summary: "Where the package's license information is; offline, the Package Manager opens `LICENSE.md` instead.",
        values: "",
        default: "",
        example: r#""licensesUrl": "https://example.com/license""#,
        manual: manual::PACKAGE_MANIFEST,
        legacy: false,
    },
    KeyDoc {
        key: "license",
        place: KeyPlace::Package,
        shape: Shape::String,
        summary: "The package's license: an SPDX identifier or a sentence such as \"Refer to LICENSE.md\".",
        values: "Without it the package must contain a `LICENSE.md` file.",
        default: "",
        example: r#""license": "MIT""#,
        manual: manual::PACKAGE_MANIFEST,
        legacy: false,
    },
    KeyDoc {
        key: "samples",
        place: KeyPlace::Package,
        shape: Shape::Samples,
        summary: "The samples the package ships, which users import from the Package Manager window.",
        values: "Each with `displayName`, `description` and the `path` of its folder under `Samples~`.",
        default: "",
        example: r#""samples": [{ "displayName": "Basic", "description": "A first scene", "path": "Samples~/Basic" }]"#,
        manual: manual::SAMPLES,
        legacy: false,
    },
    KeyDoc {
        key: "hideInEditor",
        place: KeyPlace::Package,
        shape: Shape::Boolean,
        summary: "Whether the Project window and the Object Picker hide the package's assets.",
        values: "`false` keeps them always visible.",
        default: "`true`",
        example: r#""hideInEditor": false"#,
        manual: manual::PACKAGE_MANIFEST,
        legacy: false,
    },
    KeyDoc {
        key: "type",
        place: KeyPlace::Package,
        shape: Shape::String,
        summary: "Reserved for Unity's internal use.",
        values: "",
        default: "",
        example: r#""type": "tool""#,
        manual: manual::PACKAGE_MANIFEST,
        legacy: false,
    },
    KeyDoc {
        key: "displayName",
        place: KeyPlace::Sample,
        shape: Shape::String,
        summary: "The sample's name in the Package Manager window.",
        values: "",
        default: "",
        example: r#""displayName": "Basic""#,
        manual: manual::SAMPLES,
        legacy: false,
    },
    KeyDoc {
        key: "description",
        place: KeyPlace::Sample,
        shape: Shape::String,
        summary: "What the sample shows.",
        values: "",
        default: "",
        example: r#""description": "A first scene""#,
        manual: manual::SAMPLES,
        legacy: false,
    },
    KeyDoc {
        key: "path",
        place: KeyPlace::Sample,
        shape: Shape::String,
        summary: "The sample's folder, which the Package Manager copies into the project on import.",
        values: "Relative to the package root, under `Samples~` (`Samples~/Basic`).",
        default: "",
        example: r#""path": "Samples~/Basic""#,
        manual: manual::SAMPLES,
        legacy: false,
    },
];

/// The documentation of `key` at `place`.
pub fn key(place: KeyPlace, key: &str) -> Option<&'static KeyDoc> {
    KEYS.iter().find(|k| k.place == place && k.key == key)
}

/// The keys at `place`, in the table's order.
pub fn keys(place: KeyPlace) -> impl Iterator<Item = &'static KeyDoc> {
    KEYS.iter().filter(move |k| k.place == place)
}

impl KeyDoc {
    /// Where the key is, as a reader says it.
    pub fn place_label(&self) -> &'static str {
        match self.place {
            KeyPlace::Root => "manifest property",
            KeyPlace::Registry => "scoped registry property",
            KeyPlace::Package => "package.json property",
            KeyPlace::Sample => "sample property",
        }
    }

    /// The documentation as Markdown (hover and completion).
    pub fn markdown(&self) -> String {
        let mut out = format!(
            "**`{}`** · {} · {}",
            self.key,
            self.place_label(),
            self.shape.label()
        );
        if self.legacy {
            out.push_str(" · legacy");
        }
        out.push_str("\n\n");
        out.push_str(self.summary);
        out.push_str("\n\n");
        if let Shape::Enum(values) = self.shape {
            let list: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
            out.push_str(&format!("Allowed values: {}.\n\n", list.join(", ")));
        }
        if !self.values.is_empty() {
            out.push_str(self.values);
            out.push_str("\n\n");
        }
        if !self.default.is_empty() {
            out.push_str(&format!("Default: {}\n\n", self.default));
        }
        out.push_str(&format!("Example: `{}`\n\n", self.example));
        out.push_str(&format!("[Unity manual]({})", self.manual));
        out
    }

    /// The plain-text description used in the JSON Schema.
    fn description(&self) -> String {
        let mut out = String::from(self.summary);
        if !self.values.is_empty() {
            out.push(' ');
            out.push_str(self.values);
        }
        if !self.default.is_empty() {
            out.push_str(&format!(
                " Default: {}.",
                self.default.trim_end_matches('.')
            ));
        }
        out.push_str(&format!(" Example: {}", self.example));
        out
    }

    fn schema(&self) -> Value {
        let mut schema = match self.shape {
            Shape::Dependencies => json!({
                "type": "object",
                "additionalProperties": {
                    "type": "string",
                    "description": "An exact version (1.2.3), a Git URL, or file: and a path."
                }
            }),
            Shape::Registries => {
                let mut properties = Map::new();
                for k in keys(KeyPlace::Registry) {
                    properties.insert(k.key.to_string(), k.schema());
                }
                json!({
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["name", "url", "scopes"],
                        "properties": properties
                    }
                })
            }
            Shape::PackageNames => json!({"type": "array", "items": {"type": "string"}}),
            Shape::Scopes => json!({
                "type": "array",
                "minItems": 1,
                "items": {"type": "string"}
            }),
            Shape::Boolean => json!({"type": "boolean"}),
            Shape::Enum(values) => json!({"type": "string", "enum": values}),
            Shape::Url => json!({"type": "string", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://"}),
            Shape::String => json!({"type": "string"}),
            Shape::Object => json!({"type": "object"}),
            Shape::PackageName => json!({
                "type": "string",
                "pattern": "^[a-z0-9][a-z0-9._-]*$",
                "maxLength": 214
            }),
            Shape::SemVer => json!({"type": "string", "pattern": SEMVER_PATTERN}),
            Shape::UnityVersion => {
                json!({"type": "string", "pattern": "^[1-9][0-9]{3}\\.[0-9]{1,2}$"})
            }
            Shape::UnityRelease => json!({
                "type": "string",
                "pattern": "^[0-9]+[abfpx][0-9]+(c[0-9]+)?$"
            }),
            Shape::PackageDependencies => json!({
                "type": "object",
                "additionalProperties": {
                    "type": "string",
                    "pattern": SEMVER_PATTERN,
                    "description": "An exact version (1.2.3): no range, Git URL or file: path."
                }
            }),
            Shape::Strings => json!({"type": "array", "items": {"type": "string"}}),
            Shape::Author => json!({
                "type": ["object", "string"],
                "properties": {
                    "name": {"type": "string"},
                    "email": {"type": "string"},
                    "url": {"type": "string"}
                }
            }),
            Shape::Samples => {
                let mut properties = Map::new();
                for k in keys(KeyPlace::Sample) {
                    properties.insert(k.key.to_string(), k.schema());
                }
                json!({
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["path"],
                        "properties": properties
                    }
                })
            }
        };
        let object = schema.as_object_mut().expect("schemas are objects");
        object.insert("description".into(), Value::String(self.description()));
        object.insert("markdownDescription".into(), Value::String(self.markdown()));
        if self.legacy {
            object.insert("deprecated".into(), Value::Bool(true));
        }
        schema
    }
}

/// SemVer 2.0.0, as a JSON Schema pattern.
const SEMVER_PATTERN: &str = r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$";

/// Where the generated package.json schema is published (its `$id`).
pub const PACKAGE_SCHEMA_ID: &str = "https://raw.githubusercontent.com/manifest-lint/manifest-lint/main/editors/schema/unity-package.schema.json";

/// The JSON Schema (draft-07) of a Unity package's `package.json`, from [`KEYS`]: `name` and
/// `version` required, the forms of `unity`, `unityRelease` and the dependencies' versions, a
/// sample's `path`. Other keys are allowed (npm's fields and other tools' keys, which Unity
/// tolerates).
pub fn package_json_schema() -> Value {
    let mut properties = Map::new();
    for k in keys(KeyPlace::Package) {
        properties.insert(k.key.to_string(), k.schema());
    }
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": PACKAGE_SCHEMA_ID,
        "$comment": "Generated by manifest-lint from its key table (crates/core/src/keys.rs): do not edit; run UPDATE_SCHEMA=1 cargo test -p manifest-lint-core --test schema.",
        "title": "Unity package manifest (package.json)",
        "description": "The package manifest of a Unity package: its name, version, supported Editor and dependencies.",
        "type": "object",
        "required": ["name", "version"],
        "properties": properties
    })
}

/// Where the generated schema is published (its `$id`).
pub const SCHEMA_ID: &str = "https://raw.githubusercontent.com/manifest-lint/manifest-lint/main/editors/schema/unity-manifest.schema.json";

/// The JSON Schema (draft-07, as SchemaStore asks) of Unity's `Packages/manifest.json`, from
/// [`KEYS`]. It checks what is certain (types, the allowed values, the three properties a scoped
/// registry needs, a non-empty `scopes`) and allows keys it does not know, which Unity ignores
/// (manifest-lint's `unknown-property` rule reports those, with a suggestion).
pub fn json_schema() -> Value {
    let mut properties = Map::new();
    for k in keys(KeyPlace::Root) {
        properties.insert(k.key.to_string(), k.schema());
    }
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "$comment": "Generated by manifest-lint from its key table (crates/core/src/keys.rs): do not edit; run UPDATE_SCHEMA=1 cargo test -p manifest-lint-core --test schema.",
        "title": "Unity project manifest (Packages/manifest.json)",
        "description": "The project manifest of a Unity project: its packages and the registries they come from.",
        "type": "object",
        "properties": properties
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{REGISTRY_PROPERTIES, ROOT_PROPERTIES};

    #[test]
    fn the_rules_key_lists_are_the_table() {
        let pairs = |place| -> Vec<(&str, JsonType)> {
            keys(place).map(|k| (k.key, k.shape.json_type())).collect()
        };
        assert_eq!(pairs(KeyPlace::Root), ROOT_PROPERTIES);
        assert_eq!(pairs(KeyPlace::Registry), REGISTRY_PROPERTIES);
        assert_eq!(pairs(KeyPlace::Package), crate::package::PACKAGE_PROPERTIES);
        assert_eq!(pairs(KeyPlace::Sample), crate::package::SAMPLE_PROPERTIES);
    }

    #[test]
    fn every_key_has_a_summary_an_example_and_a_manual_page() {
        for k in KEYS {
            assert!(k.summary.ends_with('.'), "{}", k.key);
            assert!(
                k.example.starts_with(&format!("\"{}\": ", k.key)),
                "{}",
                k.key
            );
            let (_, value) = k.example.split_once(": ").unwrap();
            if !value.ends_with("...\" } }") {
                let parsed: Value = serde_json::from_str(value).expect(k.key);
                let json_type = match parsed {
                    Value::Object(_) => JsonType::Object,
                    Value::Array(_) => JsonType::Array,
                    Value::String(_) => JsonType::String,
                    Value::Bool(_) => JsonType::Boolean,
                    Value::Number(_) => JsonType::Number,
                    Value::Null => JsonType::Null,
                };
                assert_eq!(json_type, k.shape.json_type(), "{}", k.key);
            }
            assert!(
                k.manual.starts_with("https://docs.unity3d.com/Manual/"),
                "{}",
                k.key
            );
            let md = k.markdown();
            assert!(md.contains(k.manual) && md.contains(k.example), "{md}");
        }
        assert!(
            key(KeyPlace::Root, "resolutionStrategy")
                .unwrap()
                .markdown()
                .contains("`highestMinor`")
        );
        assert_eq!(key(KeyPlace::Registry, "dependencies"), None);
    }
}
