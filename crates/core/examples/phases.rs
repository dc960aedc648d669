//! Times each phase of a lint on one file: `cargo run --release -p manifest-lint-core --example phases FILE`.
use std::time::Instant;

use manifest_lint_core::{LintOptions, Manifest, Resolver, lint, parse};

fn main() {
    let path = std::env::args().nth(1).expect("usage: phases FILE");
    let text = std::fs::read_to_string(path).expect("read");
    let t = Instant::now();
    let parsed = parse::parse_permissive(&text).expect("parse");
    println!(
        "jsonc parse     {:>8.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    let t = Instant::now();
    let strict = parse::strict_check(&text).is_ok();
    println!(
        "strict check    {:>8.1} ms ({strict})",
        t.elapsed().as_secs_f64() * 1e3
    );
    let t = Instant::now();
    let manifest = Manifest::from_ast(parsed.value.as_ref());
    println!(
        "model           {:>8.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    let t = Instant::now();
    let resolver = Resolver::new(&manifest);
    println!(
        "resolver index  {:>8.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    let t = Instant::now();
    let winners = manifest
        .dependencies()
        .iter()
        .filter(|d| resolver.resolve(&d.name.value).winner.is_some())
        .count();
    println!(
        "resolve all     {:>8.1} ms ({winners} scoped)",
        t.elapsed().as_secs_f64() * 1e3
    );
    drop(parsed);
    let t = Instant::now();
    let analysis = lint(&text, &LintOptions::default());
    println!(
        "whole lint      {:>8.1} ms ({} diagnostics)",
        t.elapsed().as_secs_f64() * 1e3,
        analysis.diagnostics.len()
    );
}
