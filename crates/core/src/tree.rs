//! The shape of a JSON text with a byte span for every node: what formatting, folding and
//! selection ranges walk. Owned (unlike the parser's tree), so it can be built from any text,
//! kept, and walked without the text's lifetime. Built from the same permissive parse as the
//! diagnostics; the root may be any value.

use jsonc_parser::ast::{ObjectPropName, Value};

use crate::parse::value_span;
use crate::text::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Object,
    Array,
    /// A string, number, boolean or null.
    Scalar,
}

/// A value: an object or array with its children, or a scalar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub span: Span,
    pub kind: Kind,
    pub children: Vec<Child>,
}

/// A member of an object (with its key) or an element of an array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Child {
    /// The key's span, quotes included; `None` for array elements.
    pub key: Option<Span>,
    /// The whole member (key to value) or element.
    pub span: Span,
    pub value: Node,
}

impl Node {
    pub fn is_container(&self) -> bool {
        self.kind != Kind::Scalar
    }
}

/// The tree of `text`, or `None` when the text does not parse (even permissively) or is empty.
/// A byte-order mark is treated as whitespace, so spans still refer to `text`.
pub fn tree(text: &str) -> Option<Node> {
    let blanked;
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => {
            blanked = format!("   {rest}");
            blanked.as_str()
        }
        None => text,
    };
    let parsed = crate::parse::parse(text).ok()?;
    parsed.value.as_ref().map(node)
}

// Recursion is bounded: the parser refuses nesting deeper than `parse::MAX_DEPTH`.
fn node(value: &Value<'_>) -> Node {
    match value {
        Value::Object(object) => Node {
            span: object.range.into(),
            kind: Kind::Object,
            children: object
                .properties
                .iter()
                .map(|p| Child {
                    key: Some(match &p.name {
                        ObjectPropName::String(s) => s.range.into(),
                        ObjectPropName::Word(w) => w.range.into(),
                    }),
                    span: p.range.into(),
                    value: node(&p.value),
                })
                .collect(),
        },
        Value::Array(array) => Node {
            span: array.range.into(),
            kind: Kind::Array,
            children: array
                .elements
                .iter()
                .map(|e| Child {
                    key: None,
                    span: value_span(e),
                    value: node(e),
                })
                .collect(),
        },
        other => Node {
            span: value_span(other),
            kind: Kind::Scalar,
            children: Vec::new(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_of_members_keys_and_elements() {
        let text = "\u{feff}{\"a\": [1, {}], \"b\": null}";
        let root = tree(text).unwrap();
        assert_eq!(root.kind, Kind::Object);
        assert_eq!(&text[root.span.range()], &text[3..]);
        let a = &root.children[0];
        assert_eq!(&text[a.key.unwrap().range()], "\"a\"");
        assert_eq!(&text[a.span.range()], "\"a\": [1, {}]");
        assert_eq!(a.value.kind, Kind::Array);
        let elements: Vec<&str> = a
            .value
            .children
            .iter()
            .map(|c| &text[c.span.range()])
            .collect();
        assert_eq!(elements, ["1", "{}"]);
        assert!(a.value.children.iter().all(|c| c.key.is_none()));
        assert_eq!(root.children[1].value.kind, Kind::Scalar);
        assert_eq!(tree("{"), None);
        assert_eq!(tree("  "), None);
    }
}
