use jsonc_parser::ast::Value;

use super::prelude::*;
use crate::model::{JsonType, REGISTRY_PROPERTIES, ROOT_PROPERTIES, prop_name};
use crate::package::{PACKAGE_PROPERTIES, SAMPLE_PROPERTIES};
use crate::parse::value_span;

declare_rule! {
    /// ## What it does
    /// Reports a value of the wrong JSON type: a root that is not an object, `dependencies` that
    /// is not an object or has a non-string version, `scopedRegistries` that is not an array of
    /// objects, a `scopes` entry that is not a string, `enableLockFile` that is not a boolean, and
    /// so on for every property Unity knows. In a `package.json` the same for its properties
    /// (`version` a string, `keywords` an array of strings, `samples` an array of objects,
    /// `author` an object or a string, `hideInEditor` a boolean).
    ///
    /// ## Why is this bad?
    /// Unity refuses a manifest whose known properties have the wrong type, and the whole project
    /// fails to resolve: a version written as a number (`"com.example.tools": 1`) is enough.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "dependencies": { "com.example.tools": 1.0 },
    ///   "scopedRegistries": { "name": "Example" }
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Write the value with the type shown in the message: versions are strings (`"1.0.0"`),
    /// `scopedRegistries` is an array (`[ { ... } ]`), `scopes` is an array of strings.
    pub static WRONG_TYPE = {
        id: "wrong-type",
        severity: Error,
        summary: "A value of the wrong JSON type, including a root that is not an object",
        files: Both,
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(root) = ctx.ast else { return };
    let package = ctx.kind == crate::FileKind::Package;
    let Value::Object(root) = root else {
        out.push(mismatch(
            value_span(root),
            if package {
                "The package.json"
            } else {
                "The manifest"
            },
            JsonType::Object,
            JsonType::of(root),
        ));
        return;
    };
    let properties = if package {
        PACKAGE_PROPERTIES
    } else {
        ROOT_PROPERTIES
    };
    for prop in &root.properties {
        let name = prop_name(prop);
        let Some(&(_, expected)) = properties.iter().find(|(key, _)| *key == name) else {
            continue;
        };
        let found = JsonType::of(&prop.value);
        // A package's `author` may be a string too ("Name <mail> (url)").
        if package && name == "author" && found == JsonType::String {
            continue;
        }
        if found != expected {
            let mut d = mismatch(
                value_span(&prop.value),
                &format!("`{name}`"),
                expected,
                found,
            );
            if package && name == "author" {
                d.message = format!(
                    "`author` must be an object or a string, not {}",
                    found.with_article()
                );
            }
            out.push(d);
            continue;
        }
        match (name, &prop.value) {
            ("dependencies", Value::Object(deps)) => {
                for dep in &deps.properties {
                    let found = JsonType::of(&dep.value);
                    if found != JsonType::String {
                        let what = format!("The version of `{}`", prop_name(dep));
                        let mut d =
                            mismatch(value_span(&dep.value), &what, JsonType::String, found);
                        if let Value::NumberLit(n) = &dep.value {
                            d = d.with_fix(Fix::unsafe_(
                                "Quote the version",
                                vec![Edit::replace(n.range.into(), json_string(n.value))],
                            ));
                        }
                        out.push(d);
                    }
                }
            }
            ("scopedRegistries", Value::Array(array)) => {
                for (i, element) in array.elements.iter().enumerate() {
                    let Value::Object(registry) = element else {
                        let what = format!("Scoped registry #{}", i + 1);
                        out.push(mismatch(
                            value_span(element),
                            &what,
                            JsonType::Object,
                            JsonType::of(element),
                        ));
                        continue;
                    };
                    check_registry(registry, out);
                }
            }
            ("samples", Value::Array(array)) if package => check_samples(array, out),
            ("testables" | "pinnedPackages" | "keywords", Value::Array(array)) => {
                for element in &array.elements {
                    let found = JsonType::of(element);
                    if found != JsonType::String {
                        let what = format!("An item of `{name}`");
                        out.push(mismatch(
                            value_span(element),
                            &what,
                            JsonType::String,
                            found,
                        ));
                    }
                }
            }
            _ => {}
        }
    }
}

fn check_samples(array: &jsonc_parser::ast::Array<'_>, out: &mut Vec<Diagnostic>) {
    for (i, element) in array.elements.iter().enumerate() {
        let Value::Object(sample) = element else {
            let what = format!("Sample #{}", i + 1);
            out.push(mismatch(
                value_span(element),
                &what,
                JsonType::Object,
                JsonType::of(element),
            ));
            continue;
        };
        for prop in &sample.properties {
            let name = prop_name(prop);
            let Some(&(_, expected)) = SAMPLE_PROPERTIES.iter().find(|(key, _)| *key == name)
            else {
                continue;
            };
            let found = JsonType::of(&prop.value);
            if found != expected {
                out.push(mismatch(
                    value_span(&prop.value),
                    &format!("The sample's `{name}`"),
                    expected,
                    found,
                ));
            }
        }
    }
}

fn check_registry(registry: &jsonc_parser::ast::Object<'_>, out: &mut Vec<Diagnostic>) {
    for prop in &registry.properties {
        let name = prop_name(prop);
        let Some(&(_, expected)) = REGISTRY_PROPERTIES.iter().find(|(key, _)| *key == name) else {
            continue;
        };
        let found = JsonType::of(&prop.value);
        if found != expected {
            let mut d = mismatch(
                value_span(&prop.value),
                &format!("The registry's `{name}`"),
                expected,
                found,
            );
            if name == "scopes"
                && let Value::StringLit(s) = &prop.value
            {
                d = d.with_fix(Fix::safe(
                    "Wrap the scope in an array",
                    vec![Edit::replace(
                        s.range.into(),
                        format!("[{}]", json_string(&s.value)),
                    )],
                ));
            }
            out.push(d);
            continue;
        }
        if let Value::Array(scopes) = &prop.value {
            for element in &scopes.elements {
                let found = JsonType::of(element);
                if found != JsonType::String {
                    out.push(mismatch(
                        value_span(element),
                        "A scope",
                        JsonType::String,
                        found,
                    ));
                }
            }
        }
    }
}

fn mismatch(span: Span, what: &str, expected: JsonType, found: JsonType) -> Diagnostic {
    Diagnostic::new(
        &WRONG_TYPE,
        span,
        format!(
            "{what} must be {}, not {}",
            expected.with_article(),
            found.with_article()
        ),
    )
}
