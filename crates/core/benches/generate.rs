//! Large, realistic manifests for benchmarks (shared by the criterion bench and the
//! `gen_manifest` example that the CLI benchmark script runs).
//!
//! Each registry gets `scopes` scopes (`com.vN.aM`), each scope `deps` dependencies under it;
//! one dependency in a hundred is left unscoped and one registry in fifty lists a redundant
//! child scope, so that rules have something to report. `manifest(4000, 10, 3)` is the 5 MB
//! manifest of the speed target: 4,000 registries, 40,000 scopes, 120,000 dependencies.
//! Deterministic: the same arguments always give the same text.

use std::fmt::Write;

pub fn manifest(registries: usize, scopes: usize, deps: usize) -> String {
    let mut dependencies = String::new();
    let mut list = String::new();
    let mut n = 0;
    for r in 0..registries {
        let mut scope_lines: Vec<String> =
            (0..scopes).map(|s| format!("\"com.v{r}.a{s}\"")).collect();
        if r % 50 == 0 {
            scope_lines.push(format!("\"com.v{r}.a0.extras\""));
        }
        if r > 0 {
            list.push_str(",\n");
        }
        let _ = write!(
            list,
            "    {{\n      \"name\": \"Vendor {r}\",\n      \"url\": \"https://npm.v{r}.example.com\",\n      \"scopes\": [\n        {}\n      ]\n    }}",
            scope_lines.join(",\n        ")
        );
        for s in 0..scopes {
            for d in 0..deps {
                n += 1;
                let prefix = if n % 100 == 0 {
                    format!("org.u{r}")
                } else {
                    format!("com.v{r}.a{s}")
                };
                if !dependencies.is_empty() {
                    dependencies.push_str(",\n");
                }
                let _ = write!(
                    dependencies,
                    "    \"{prefix}.pkg{d}\": \"{}.{s}.{}\"",
                    1 + d,
                    r % 10
                );
            }
        }
    }
    format!(
        "{{\n  \"dependencies\": {{\n{dependencies}\n  }},\n  \"scopedRegistries\": [\n{list}\n  ]\n}}\n"
    )
}
