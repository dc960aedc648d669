//! Writes a generated benchmark manifest to stdout:
//! `cargo run --release -p manifest-lint-core --example gen_manifest -- [REGISTRIES [SCOPES [DEPS]]]`
//! (default 4000 10 3: the 5 MB manifest of the speed target).

#[path = "../benches/generate.rs"]
mod generate;

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse().expect("whole numbers"))
        .collect();
    let get = |i: usize, default: usize| args.get(i).copied().unwrap_or(default);
    print!(
        "{}",
        generate::manifest(get(0, 4000), get(1, 10), get(2, 3))
    );
}
