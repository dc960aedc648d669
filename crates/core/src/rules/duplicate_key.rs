use rustc_hash::FxHashMap;

use jsonc_parser::ast::Value;

use super::prelude::*;
use crate::diagnostic::remove_list_item;
use crate::model::prop_name;

declare_rule! {
    /// ## What it does
    /// Reports a key that appears more than once in the same object: the same dependency listed
    /// twice, two `scopedRegistries` arrays, a registry with two `url`s.
    ///
    /// ## Why is this bad?
    /// JSON parsers, Unity's included, keep only the last value of a repeated key and silently drop
    /// the others. Whoever edits the first occurrence sees no effect, and merges of manifests from
    /// two branches often leave such pairs behind.
    ///
    /// ## Example
    /// ```json
    /// "dependencies": {
    ///   "com.example.tools": "1.0.0",
    ///   "com.example.tools": "1.2.0"
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Keep one entry. The fix removes the earlier occurrence, which Unity ignores anyway, so it
    /// does not change what Unity does.
    pub static DUPLICATE_KEY = {
        id: "duplicate-key",
        severity: Warning,
        summary: "A key repeated in one object (Unity keeps the last)",
        files: Both,
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(root) = ctx.ast else { return };
    let dependencies = ctx.manifest.dependencies.as_ref().map(|d| d.span);
    let mut stack = vec![root];
    while let Some(value) = stack.pop() {
        match value {
            Value::Array(array) => stack.extend(array.elements.iter()),
            Value::Object(object) => {
                stack.extend(object.properties.iter().map(|p| &p.value));
                if object.properties.len() < 2 {
                    continue;
                }
                let in_dependencies = dependencies == Some(object.range.into());
                let mut last_seen: FxHashMap<&str, usize> = FxHashMap::default();
                last_seen.reserve(object.properties.len());
                // Member spans for the fix, made at the first duplicate only.
                let mut members: Vec<Span> = Vec::new();
                for (i, prop) in object.properties.iter().enumerate() {
                    let name = prop_name(prop);
                    let Some(previous) = last_seen.insert(name, i) else {
                        continue;
                    };
                    if members.is_empty() {
                        members = object.properties.iter().map(|p| p.range.into()).collect();
                    }
                    let key_span = key_span_of(prop);
                    let previous_key = key_span_of(&object.properties[previous]);
                    let message = if in_dependencies {
                        format!(
                            "`{name}` is listed more than once in `dependencies`; Unity uses only the last entry"
                        )
                    } else {
                        format!("Duplicate key `{name}`; Unity keeps only the last value")
                    };
                    out.push(
                        Diagnostic::new(&DUPLICATE_KEY, key_span, message)
                            .with_label(previous_key, "ignored: first listed here")
                            .with_fix(Fix::safe(
                                format!("Remove the earlier `{name}`"),
                                vec![remove_list_item(&members, previous)],
                            )),
                    );
                }
            }
            _ => {}
        }
    }
}

fn key_span_of(prop: &jsonc_parser::ast::ObjectProp<'_>) -> Span {
    match &prop.name {
        jsonc_parser::ast::ObjectPropName::String(s) => s.range.into(),
        jsonc_parser::ast::ObjectPropName::Word(w) => w.range.into(),
    }
}
