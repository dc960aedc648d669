//! The `Packages/packages-lock.json` Unity would write for a [`ProjectGraph`], byte for byte
//! in Unity's layout: two-space indentation, entries ordered by name with the built-in modules
//! (`com.unity.modules.*`) after the others, and in each entry `version`, `depth`, `source`,
//! `dependencies` (in the order the package declares them), then `url` (registry packages: the
//! registry without a trailing slash) or `hash` (Git packages, when known).

use super::{ProjectGraph, Source};

/// The lock file's text, ending with a newline.
pub fn lock_text(graph: &ProjectGraph) -> String {
    let mut packages: Vec<_> = graph.packages.iter().collect();
    packages.sort_by(|a, b| {
        let key = |n: &str| (n.starts_with("com.unity.modules."), n.to_string());
        key(&a.name).cmp(&key(&b.name))
    });
    let q = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string());
    let mut out = String::from("{\n  \"dependencies\": {");
    if packages.is_empty() {
        out.push_str("}\n}\n");
        return out;
    }
    for (i, p) in packages.iter().enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        out.push_str(&format!("    {}: {{\n", q(&p.name)));
        out.push_str(&format!("      \"version\": {},\n", q(&p.version)));
        out.push_str(&format!("      \"depth\": {},\n", p.depth));
        out.push_str(&format!("      \"source\": {},\n", q(p.source.as_str())));
        out.push_str("      \"dependencies\": {");
        if p.declared.is_empty() {
            out.push('}');
        } else {
            for (j, (name, version)) in p.declared.iter().enumerate() {
                out.push_str(if j == 0 { "\n" } else { ",\n" });
                out.push_str(&format!("        {}: {}", q(name), q(version)));
            }
            out.push_str("\n      }");
        }
        match (p.source, &p.registry, &p.hash) {
            (Source::Registry, Some(url), _) => {
                out.push_str(&format!(
                    ",\n      \"url\": {}",
                    q(url.trim_end_matches('/'))
                ));
            }
            (Source::Git, _, Some(hash)) => {
                out.push_str(&format!(",\n      \"hash\": {}", q(hash)));
            }
            _ => {}
        }
        out.push_str("\n    }");
    }
    out.push_str("\n  }\n}\n");
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::super::Package;
    use super::*;

    fn package(name: &str, source: Source, declared: &[(&str, &str)]) -> Package {
        let declared: Vec<(String, String)> = declared
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        Package {
            name: name.into(),
            version: "1.0.0".into(),
            source,
            registry: (source == Source::Registry).then(|| "https://r.example.com/".to_string()),
            depth: 0,
            dependencies: declared.iter().cloned().collect::<BTreeMap<_, _>>(),
            requested_by: vec!["manifest".into()],
            hash: (source == Source::Git).then(|| "0123".to_string()),
            declared,
        }
    }

    #[test]
    fn unitys_layout() {
        let graph = ProjectGraph {
            packages: vec![
                package("com.unity.modules.ai", Source::Builtin, &[]),
                package(
                    "com.b",
                    Source::Registry,
                    &[("com.z", "1.0.0"), ("com.a", "2.0.0")],
                ),
                package("com.a", Source::Git, &[]),
            ],
            unknown: Vec::new(),
        };
        let expected = r#"{
  "dependencies": {
    "com.a": {
      "version": "1.0.0",
      "depth": 0,
      "source": "git",
      "dependencies": {},
      "hash": "0123"
    },
    "com.b": {
      "version": "1.0.0",
      "depth": 0,
      "source": "registry",
      "dependencies": {
        "com.z": "1.0.0",
        "com.a": "2.0.0"
      },
      "url": "https://r.example.com"
    },
    "com.unity.modules.ai": {
      "version": "1.0.0",
      "depth": 0,
      "source": "builtin",
      "dependencies": {}
    }
  }
}
"#;
        assert_eq!(lock_text(&graph), expected);
        assert_eq!(
            lock_text(&ProjectGraph::default()),
            "{\n  \"dependencies\": {}\n}\n"
        );
    }
}
