//! Core benchmarks: a typical manifest's lint (the bundled sample project, and the real
//! manifests of the shared corpus when it is beside the repository), generated manifests of
//! growing size (time should grow linearly), resolution alone, and the fix engine on many
//! fixes (`-- fix`; linear too), and the parse of the 5 MB manifest alone: today's two passes
//! (jsonc-parser's permissive tree, serde_json's strictness check) against the strict fast
//! parser that does both at once.
//!
//! `cargo bench -p manifest-lint-core --bench lint`. The whole-CLI comparison with `jq` is
//! `bench/run.sh`. Without `../shared/corpus` (a plain clone), the corpus group is skipped with
//! a line saying so; every other group needs nothing outside the repository.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use manifest_lint_core::{LintOptions, lint, parse};

mod generate;

/// The repository's own example project, so that a typical manifest is always measured.
fn bundled(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/sample-project/Packages/manifest.json");
    let text = std::fs::read_to_string(&path).expect("the bundled sample project's manifest");
    let mut group = c.benchmark_group("bundled");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_with_input(
        BenchmarkId::from_parameter("sample-project"),
        &text,
        |b, text| b.iter(|| lint(black_box(text), &LintOptions::default())),
    );
    group.finish();
}

fn corpus(c: &mut Criterion) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if !dir.is_dir() {
        println!(
            "lint bench: skipped the `corpus` group: {} is not there (it sits beside the repository in CI only)",
            dir.display()
        );
        return;
    }
    let mut group = c.benchmark_group("corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), &text, |b, text| {
            b.iter(|| lint(black_box(text), &LintOptions::default()))
        });
    }
    group.finish();
}

fn scaling(c: &mut Criterion) {
    let mut group = c.benchmark_group("generated");
    group.sample_size(10);
    for registries in [250, 500, 1000, 2000, 4000] {
        let text = generate::manifest(registries, 10, 3);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(
            BenchmarkId::new("registries", registries),
            &text,
            |b, text| b.iter(|| lint(black_box(text), &LintOptions::default())),
        );
    }
    group.finish();
}

fn resolution(c: &mut Criterion) {
    let text = generate::manifest(4000, 10, 3);
    let analysis = lint(&text, &LintOptions::default());
    let names: Vec<String> = analysis
        .manifest
        .dependencies()
        .iter()
        .map(|d| d.name.value.as_str().to_owned())
        .collect();
    let mut group = c.benchmark_group("resolve");
    group.sample_size(10);
    group.bench_function("120k-deps-40k-scopes", |b| {
        b.iter(|| {
            names
                .iter()
                .filter(|n| analysis.resolve(n).winner.is_some())
                .count()
        })
    });
    group.finish();
}

/// The parse alone, on the 5 MB generated manifest: each pass of the permissive path, both
/// (what `lint` did for strict text before the fast parser), and the fast parser.
fn parsing(c: &mut Criterion) {
    let text = generate::manifest(4000, 10, 3);
    let mut group = c.benchmark_group("parse");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("jsonc-parser", |b| {
        b.iter(|| parse::parse_permissive(black_box(&text)).is_ok())
    });
    group.bench_function("strict-check", |b| {
        b.iter(|| parse::strict_check(black_box(&text)).is_ok())
    });
    group.bench_function("jsonc-parser+strict-check", |b| {
        b.iter(|| {
            let parsed = parse::parse_permissive(black_box(&text));
            (
                parsed.is_ok(),
                parse::strict_check(black_box(&text)).is_ok(),
            )
        })
    });
    group.bench_function("fast", |b| {
        b.iter(|| parse::parse_strict(black_box(&text)).is_some())
    });
    group.finish();
}

/// `fix_all` on one registry with N copies of one scope (N - 1 `duplicate-scope` fixes in one
/// pass): time should grow linearly with N, as `lint`'s does (it used to be quadratic: 400,000
/// duplicates took 107 s against 1.6 s for `check`).
fn fixing(c: &mut Criterion) {
    use manifest_lint_core::fix::{FixOptions, fix_all};
    let mut group = c.benchmark_group("fix");
    group.sample_size(10);
    for n in [25_000, 50_000, 100_000] {
        let scopes = vec!["\"com.example\""; n].join(", ");
        let text = format!(
            "{{\"scopedRegistries\": [{{\"name\": \"E\", \"url\": \"https://npm.example.com\", \"scopes\": [{scopes}]}}]}}"
        );
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("duplicate-scopes", n), &text, |b, text| {
            b.iter(|| {
                fix_all(
                    black_box(text),
                    &LintOptions::default(),
                    &FixOptions::default(),
                )
            })
        });
    }
    group.finish();
}

criterion_group!(
    benches, bundled, corpus, scaling, resolution, fixing, parsing
);
criterion_main!(benches);
