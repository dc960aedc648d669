//! The manifest model: what the JSON says, in Unity's terms, with a byte span for every key and
//! value. Built leniently: a value of the wrong type is left out of the model (the `wrong-type`
//! rule reports it) and everything else is still modelled. Owned, so that a language server can
//! keep it after the text it came from has changed.

use jsonc_parser::ast::{Object, ObjectProp, ObjectPropName, Value};

use crate::parse::value_span;
use crate::text::Span;

/// Unity's default registry, used when no scope matches and no legacy `registry` is set.
pub const UNITY_REGISTRY_URL: &str = "https://packages.unity.com";

/// A JSON value's type, as named in messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonType {
    Object,
    Array,
    String,
    Number,
    Boolean,
    Null,
}

impl JsonType {
    pub fn of(value: &Value<'_>) -> Self {
        match value {
            Value::StringLit(_) => JsonType::String,
            Value::NumberLit(_) => JsonType::Number,
            Value::BooleanLit(_) => JsonType::Boolean,
            Value::Object(_) => JsonType::Object,
            Value::Array(_) => JsonType::Array,
            Value::NullKeyword(_) => JsonType::Null,
        }
    }

    /// "an object", "a string", ...
    pub const fn with_article(self) -> &'static str {
        match self {
            JsonType::Object => "an object",
            JsonType::Array => "an array",
            JsonType::String => "a string",
            JsonType::Number => "a number",
            JsonType::Boolean => "a boolean",
            JsonType::Null => "null",
        }
    }
}

/// The top-level properties Unity knows, with their types.
pub const ROOT_PROPERTIES: &[(&str, JsonType)] = &[
    ("dependencies", JsonType::Object),
    ("scopedRegistries", JsonType::Array),
    ("testables", JsonType::Array),
    ("enableLockFile", JsonType::Boolean),
    ("resolutionStrategy", JsonType::String),
    ("pinnedPackages", JsonType::Array),
    ("registry", JsonType::String),
    ("lock", JsonType::Object),
    ("useSatSolver", JsonType::Boolean),
];

/// The properties of a scoped registry entry, with their types.
pub const REGISTRY_PROPERTIES: &[(&str, JsonType)] = &[
    ("name", JsonType::String),
    ("url", JsonType::String),
    ("scopes", JsonType::Array),
    ("overrideBuiltIns", JsonType::Boolean),
];

/// The allowed values of `resolutionStrategy`.
pub const RESOLUTION_STRATEGIES: &[&str] = &["lowest", "highestPatch", "highestMinor", "highest"];

/// A string of the model: a key, a name, a version, a scope, a URL. Stored inline up to 24
/// bytes (nearly every string of a manifest), so that the model of a large manifest costs no
/// allocation per string; it derefs to `&str`.
pub type Text = compact_str::CompactString;

/// A string value or key with its span (the span includes the quotes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Str {
    pub value: Text,
    pub span: Span,
}

/// One `"key": value` member of an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub key: Str,
    /// From the key's first byte to the value's last.
    pub span: Span,
    pub value_span: Span,
    pub value_type: JsonType,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    /// The root object's span; `None` when the root is missing or not an object.
    pub root: Option<Span>,
    /// The root object's members, in order (duplicates included).
    pub members: Vec<Member>,
    pub dependencies: Option<Dependencies>,
    pub scoped_registries: Option<ScopedRegistries>,
    pub testables: Option<StringList>,
    pub pinned_packages: Option<StringList>,
    pub resolution_strategy: Option<Str>,
    /// The legacy top-level `registry` that replaces Unity's default registry.
    pub registry: Option<Str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependencies {
    /// The `{...}` object's span.
    pub span: Span,
    pub entries: Vec<Dependency>,
}

impl Dependencies {
    /// Member spans in order, for list edits.
    pub fn member_spans(&self) -> Vec<Span> {
        self.entries.iter().map(|e| e.span).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    pub name: Str,
    /// The value when it is a string.
    pub version: Option<Str>,
    pub value_span: Span,
    /// The whole member.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopedRegistries {
    pub span: Span,
    /// The entries that are objects.
    pub registries: Vec<ScopedRegistry>,
    /// Every element's span, objects or not, for list edits.
    pub element_spans: Vec<Span>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopedRegistry {
    /// Position in the `scopedRegistries` array.
    pub element: usize,
    pub span: Span,
    pub members: Vec<Member>,
    pub name: Option<Str>,
    pub url: Option<Str>,
    pub scopes: Option<Scopes>,
    pub override_built_ins: Option<bool>,
}

impl ScopedRegistry {
    /// The name to show in messages: the `name`, else the URL, else "registry #N".
    pub fn display_name(&self) -> String {
        match (&self.name, &self.url) {
            (Some(n), _) if !n.value.trim().is_empty() => n.value.as_str().to_owned(),
            (_, Some(u)) => crate::url::redact(&u.value),
            _ => format!("registry #{}", self.element + 1),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scopes {
    pub span: Span,
    /// The elements that are strings.
    pub items: Vec<Scope>,
    /// Every element's span, strings or not, for list edits.
    pub element_spans: Vec<Span>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub value: Text,
    pub span: Span,
    /// Position in the `scopes` array.
    pub element: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StringList {
    pub span: Span,
    pub items: Vec<Str>,
    pub element_spans: Vec<Span>,
}

impl Manifest {
    /// Builds the model from the permissively parsed tree.
    pub fn from_ast(root: Option<&Value<'_>>) -> Self {
        let mut manifest = Manifest::default();
        let Some(Value::Object(object)) = root else {
            return manifest;
        };
        manifest.root = Some(object.range.into());
        manifest.members = members(object);
        // Unity keeps the last of duplicate keys, so later members overwrite earlier ones.
        for prop in &object.properties {
            match (prop_name(prop), &prop.value) {
                ("dependencies", Value::Object(deps)) => {
                    manifest.dependencies = Some(Dependencies {
                        span: deps.range.into(),
                        entries: deps
                            .properties
                            .iter()
                            .map(|p| Dependency {
                                name: key_str(p),
                                version: string(&p.value),
                                value_span: value_span(&p.value),
                                span: p.range.into(),
                            })
                            .collect(),
                    });
                }
                ("scopedRegistries", Value::Array(array)) => {
                    manifest.scoped_registries = Some(ScopedRegistries {
                        span: array.range.into(),
                        element_spans: array.elements.iter().map(value_span).collect(),
                        registries: array
                            .elements
                            .iter()
                            .enumerate()
                            .filter_map(|(i, v)| match v {
                                Value::Object(o) => Some(registry(i, o)),
                                _ => None,
                            })
                            .collect(),
                    });
                }
                ("testables", v @ Value::Array(_)) => manifest.testables = string_list(v),
                ("pinnedPackages", v @ Value::Array(_)) => {
                    manifest.pinned_packages = string_list(v)
                }
                ("resolutionStrategy", v) => manifest.resolution_strategy = string(v),
                ("registry", v) => manifest.registry = string(v),
                _ => {}
            }
        }
        manifest
    }

    pub fn registries(&self) -> &[ScopedRegistry] {
        self.scoped_registries
            .as_ref()
            .map_or(&[], |r| &r.registries)
    }

    pub fn dependencies(&self) -> &[Dependency] {
        self.dependencies.as_ref().map_or(&[], |d| &d.entries)
    }

    /// The registry used when no scope matches: the legacy `registry` when it is a string, else
    /// Unity's.
    pub fn default_registry_url(&self) -> &str {
        match &self.registry {
            Some(r) if !r.value.trim().is_empty() => &r.value,
            _ => UNITY_REGISTRY_URL,
        }
    }

    /// The top-level member for `key` that Unity uses (the last one).
    pub fn member(&self, key: &str) -> Option<&Member> {
        self.members.iter().rev().find(|m| m.key.value == key)
    }
}

fn registry(element: usize, object: &Object<'_>) -> ScopedRegistry {
    let mut registry = ScopedRegistry {
        element,
        span: object.range.into(),
        members: members(object),
        name: None,
        url: None,
        scopes: None,
        override_built_ins: None,
    };
    for prop in &object.properties {
        match (prop_name(prop), &prop.value) {
            ("name", v) => registry.name = string(v),
            ("url", v) => registry.url = string(v),
            ("scopes", Value::Array(array)) => {
                registry.scopes = Some(Scopes {
                    span: array.range.into(),
                    element_spans: array.elements.iter().map(value_span).collect(),
                    items: array
                        .elements
                        .iter()
                        .enumerate()
                        .filter_map(|(i, v)| match v {
                            Value::StringLit(s) => Some(Scope {
                                value: Text::from(&*s.value),
                                span: s.range.into(),
                                element: i,
                            }),
                            _ => None,
                        })
                        .collect(),
                });
            }
            ("scopes", _) => registry.scopes = None,
            ("overrideBuiltIns", Value::BooleanLit(b)) => {
                registry.override_built_ins = Some(b.value)
            }
            _ => {}
        }
    }
    registry
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

/// A member's key, borrowed from the tree.
pub fn prop_name<'a>(prop: &'a ObjectProp<'_>) -> &'a str {
    match &prop.name {
        ObjectPropName::String(s) => &s.value,
        ObjectPropName::Word(w) => w.value,
    }
}

fn key_str(prop: &ObjectProp<'_>) -> Str {
    match &prop.name {
        ObjectPropName::String(s) => Str {
            value: Text::from(&*s.value),
            span: s.range.into(),
        },
        ObjectPropName::Word(w) => Str {
            value: Text::from(w.value),
            span: w.range.into(),
        },
    }
}

fn string(value: &Value<'_>) -> Option<Str> {
    match value {
        Value::StringLit(s) => Some(Str {
            value: Text::from(&*s.value),
            span: s.range.into(),
        }),
        _ => None,
    }
}

fn string_list(value: &Value<'_>) -> Option<StringList> {
    let Value::Array(array) = value else {
        return None;
    };
    Some(StringList {
        span: array.range.into(),
        element_spans: array.elements.iter().map(value_span).collect(),
        items: array.elements.iter().filter_map(string).collect(),
    })
}
