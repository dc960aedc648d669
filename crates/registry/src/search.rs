//! Search results for completing package names: the types, and reading the two answers a
//! registry may give (`/-/v1/search`, and `/-/all` after a 404).

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;

/// One package a registry's search listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHit {
    /// The package name.
    pub name: String,
    /// Its latest version: the search object's `version`, else its `dist-tags.latest`.
    pub version: Option<String>,
    /// Its description, when the registry gave a non-empty one.
    pub description: Option<String>,
}

/// Which answer [`SearchResults`] come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchSource {
    /// `GET <url>/-/v1/search?text=<text>&from=0&size=<n>`: the registry's own (fuzzy) matches.
    V1Search,
    /// `/-/v1/search` answered 404 and `GET <url>/-/all` answered: the names that start with the
    /// text (ASCII case-insensitively), sorted.
    AllEndpoint,
    /// No usable answer (no search endpoint, access denied, unreachable, not JSON, too large, or
    /// not requested because the registry is known to be unreachable or to have no search):
    /// no hits. The detail says why, naming no URL and no secret.
    Failed { detail: String },
}

/// What a registry's search returned for one text ([`crate::Prober::search`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchResults {
    /// In the registry's order (`/-/all`: by name), each name once.
    pub hits: Vec<SearchHit>,
    pub source: SearchSource,
    /// The answer filled the page asked for (or the registry said it has more): there may be
    /// hits beyond these, which a longer text would narrow down to.
    pub truncated: bool,
}

impl SearchResults {
    pub(crate) fn failed(detail: impl Into<String>) -> SearchResults {
        SearchResults {
            hits: Vec::new(),
            source: SearchSource::Failed {
                detail: detail.into(),
            },
            truncated: false,
        }
    }
}

/// A string field, when it is a non-blank string.
fn text_field(value: &Value, key: &str) -> Option<String> {
    value
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .map(str::to_string)
}

/// The version and description of a search object's `package` (or of a `/-/all` entry).
fn hit(name: String, package: &Value) -> SearchHit {
    let version = text_field(package, "version").or_else(|| {
        package
            .get("dist-tags")
            .and_then(|tags| text_field(tags, "latest"))
    });
    SearchHit {
        name,
        version,
        description: text_field(package, "description"),
    }
}

/// Reads a `/-/v1/search` answer: `{"objects": [{"package": {"name", "version", "description",
/// ...}}, ...], "total": n}`. Objects without a name are skipped; `size` is the page size asked for.
pub(crate) fn parse_v1(body: &[u8], size: usize) -> Result<SearchResults, String> {
    let value: Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let objects = value
        .get("objects")
        .and_then(Value::as_array)
        .ok_or("no `objects` list")?;
    let mut hits: Vec<SearchHit> = Vec::new();
    for object in objects {
        let Some(package) = object.get("package") else {
            continue;
        };
        let Some(name) = text_field(package, "name") else {
            continue;
        };
        if hits.iter().any(|h| h.name == name) {
            continue;
        }
        hits.push(hit(name, package));
    }
    let total = value.get("total").and_then(Value::as_u64);
    let truncated =
        objects.len() >= size || total.is_some_and(|total| total > objects.len() as u64);
    Ok(SearchResults {
        hits,
        source: SearchSource::V1Search,
        truncated,
    })
}

/// Whether `name` starts with `prefix`, ASCII case-insensitively.
fn starts_with_ignore_case(name: &str, prefix: &str) -> bool {
    name.as_bytes()
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// Reads a `/-/all` answer (an object keyed by package name, plus `_updated`), keeping the
/// entries whose name starts with `prefix`; the others are skipped without being built. At most
/// `size` hits, by name.
pub(crate) fn parse_all(body: &[u8], prefix: &str, size: usize) -> Result<SearchResults, String> {
    struct Entries<'p>(&'p str);
    impl<'de> Visitor<'de> for Entries<'_> {
        type Value = Vec<SearchHit>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object keyed by package name")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut hits = Vec::new();
            while let Some(key) = map.next_key::<String>()? {
                if key.starts_with('_') || !starts_with_ignore_case(&key, self.0) {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
                let entry: Value = map.next_value()?;
                if entry.is_object() {
                    hits.push(hit(key, &entry));
                }
            }
            Ok(hits)
        }
    }
    impl<'de> DeserializeSeed<'de> for Entries<'_> {
        type Value = Vec<SearchHit>;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_map(self)
        }
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let mut hits = Entries(prefix)
        .deserialize(&mut de)
        .map_err(|e| e.to_string())?;
    de.end().map_err(|e| e.to_string())?;
    hits.sort_by(|a, b| a.name.cmp(&b.name));
    hits.dedup_by(|a, b| a.name == b.name);
    let truncated = hits.len() > size;
    hits.truncate(size);
    Ok(SearchResults {
        hits,
        source: SearchSource::AllEndpoint,
        truncated,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(r: &SearchResults) -> Vec<&str> {
        r.hits.iter().map(|h| h.name.as_str()).collect()
    }

    #[test]
    fn v1_objects_versions_and_descriptions() {
        // npm's shape (`version`) and Verdaccio's (`dist-tags` only), a nameless object, a
        // duplicate, a blank description.
        let body = br#"{"objects":[
            {"package":{"name":"com.a.one","version":"1.0.0","description":"One"}},
            {"package":{"name":"com.a.two","dist-tags":{"latest":"2.0.0"},"description":"  "}},
            {"package":{"description":"no name"}},
            {"package":{"name":"com.a.one","version":"9.9.9"}},
            {"score":1}
        ],"total":5}"#;
        let r = parse_v1(body, 250).unwrap();
        assert_eq!(r.source, SearchSource::V1Search);
        assert_eq!(
            r.hits,
            [
                SearchHit {
                    name: "com.a.one".into(),
                    version: Some("1.0.0".into()),
                    description: Some("One".into()),
                },
                SearchHit {
                    name: "com.a.two".into(),
                    version: Some("2.0.0".into()),
                    description: None,
                },
            ]
        );
        assert!(!r.truncated);
        // A full page, or a total beyond the page: there may be more.
        assert!(
            parse_v1(br#"{"objects":[{"package":{"name":"x"}}]}"#, 1)
                .unwrap()
                .truncated
        );
        assert!(
            parse_v1(br#"{"objects":[{"package":{"name":"x"}}],"total":7}"#, 250)
                .unwrap()
                .truncated
        );
        assert!(parse_v1(br#"{"total":1}"#, 250).is_err());
        assert!(parse_v1(b"<html>", 250).is_err());
    }

    #[test]
    fn all_keeps_names_under_the_prefix() {
        let body = br#"{"_updated":99999,
            "com.example.tools":{"name":"com.example.tools","description":"Tools","dist-tags":{"latest":"1.2.0"},"versions":{"1.2.0":"latest"}},
            "org.other":{"name":"org.other","description":"x","dist-tags":{"latest":"1.0.0"}},
            "Com.Example.Upper":{"name":"Com.Example.Upper"},
            "com.example.odd":"not an object",
            "com.examplex":{"name":"com.examplex"},
            "com.example.a":{"name":"com.example.a","description":{"nested":true}}}"#;
        let r = parse_all(body, "com.example.", 250).unwrap();
        assert_eq!(r.source, SearchSource::AllEndpoint);
        assert_eq!(
            names(&r),
            ["Com.Example.Upper", "com.example.a", "com.example.tools"]
        );
        assert_eq!(r.hits[2].version.as_deref(), Some("1.2.0"));
        assert_eq!(r.hits[2].description.as_deref(), Some("Tools"));
        assert_eq!(r.hits[1].description, None);
        assert!(!r.truncated);
        let r = parse_all(body, "com.example.", 2).unwrap();
        assert_eq!(names(&r), ["Com.Example.Upper", "com.example.a"]);
        assert!(r.truncated);
        assert!(parse_all(b"[1]", "x", 250).is_err());
        assert!(parse_all(b"{\"a\":{}} trailing", "x", 250).is_err());
    }
}
