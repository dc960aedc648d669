//! Parses one file one way, for instruction counts of the parse alone:
//! `valgrind --tool=callgrind target/release/examples/parse_cost FILE MODE`, MODE one of
//! `jsonc` (jsonc-parser's permissive tree), `strict` (serde_json's strictness check), `both`
//! (the two, what `lint` did for strict text before the fast parser) or `fast` (the strict
//! fast parser, which does both at once). Prints whether it parsed.
use manifest_lint_core::parse;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(path), Some(mode)) = (args.next(), args.next()) else {
        eprintln!("usage: parse_cost FILE jsonc|strict|both|fast");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(path).expect("read");
    let parsed = match mode.as_str() {
        "jsonc" => parse::parse_permissive(&text).is_ok(),
        "strict" => parse::strict_check(&text).is_ok(),
        "both" => parse::parse_permissive(&text).is_ok() && parse::strict_check(&text).is_ok(),
        "fast" => parse::parse_strict(&text).is_some(),
        _ => {
            eprintln!("unknown mode {mode}");
            std::process::exit(2);
        }
    };
    println!("{mode}: {parsed}");
}
