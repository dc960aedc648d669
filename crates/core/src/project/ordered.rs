//! Strict JSON (as Unity's Node.js resolver reads the lock and `package.json` files) read in
//! one serde_json pass into a small tree that keeps object members in document order, duplicates
//! included. Since the project's files are read by the strict pull reader ([`super::strict`]),
//! this is the slow path: for what that reader leaves to serde_json (an exponent, a lone
//! surrogate, deep nesting, a text that is not a lock's or a package's shape) and for
//! serde_json's error messages.

use std::fmt;

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// A JSON value as far as the project model reads it: strings, objects, the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node {
    Str(String),
    /// Members in document order, duplicate keys kept.
    Obj(Vec<(String, Node)>),
    /// A number, boolean, null or array: read past, never looked into.
    Other,
}

impl Node {
    /// Parses strict JSON (a leading byte-order mark is skipped); serde_json's error when it is not.
    pub(crate) fn parse(text: &str) -> Result<Node, serde_json::Error> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        serde_json::from_str(text)
    }

    /// The last member named `key` of an object (JSON parsers keep the last of duplicates).
    pub(crate) fn member(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Obj(members) => members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Node::Str(s) => Some(s),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Str(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::Str(v))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Node::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(key) = map.next_key::<String>()? {
            members.push((key, map.next_value::<Node>()?));
        }
        Ok(Node::Obj(members))
    }
}

#[cfg(test)]
mod tests {
    use super::Node;

    #[test]
    fn keeps_document_order_and_duplicates() {
        let node = Node::parse(
            "\u{feff}{\"b\": \"1\", \"a\": [1, {\"x\": 2}], \"b\": {\"c\": \"\\u00e9\"}}",
        )
        .unwrap();
        let Node::Obj(members) = &node else {
            panic!("{node:?}")
        };
        let keys: Vec<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["b", "a", "b"]);
        assert_eq!(node.member("a"), Some(&Node::Other));
        assert_eq!(
            node.member("b"),
            Some(&Node::Obj(vec![("c".into(), Node::Str("é".into()))]))
        );
    }

    #[test]
    fn refuses_what_is_not_strict_json() {
        for text in ["{\"a\": 1,}", "{\"a\": 1} x", "// c\n{}", "{a: 1}", ""] {
            assert!(Node::parse(text).is_err(), "{text}");
        }
    }
}
