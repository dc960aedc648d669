//! The fuzz target's invariants (`fuzz/invariants.rs`: a text `--fix` changed is strict JSON)
//! on stable, without cargo-fuzz: over the seed corpus (every fixture and
//! `fuzz/corpus/fix_all`) and a bounded number of deterministic mutations of each seed, so the
//! suite checks the same promise on every machine.

use std::path::{Path, PathBuf};

#[path = "../../../fuzz/invariants.rs"]
mod invariants;
mod support;
use support::Rng;

/// Mutations made of each seed.
const MUTATIONS_PER_SEED: usize = 40;

/// Pieces the mutations insert: the JSON syntax the fix engine reasons about.
const TOKENS: &[&str] = &[
    ",",
    ",,",
    "\"",
    ":",
    "{",
    "}",
    "[",
    "]",
    "\"a\": \"1\"",
    "\"a\"",
    "//x\n",
    "/*x*/",
    "\n",
    "\r\n",
    " ",
    "'",
    "\\",
    "01",
    "\u{feff}",
    "\"com.example\"",
    "\"scopes\": []",
    "é",
];

fn seeds() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in [root.join("tests/fixtures"), root.join("fuzz/corpus")] {
        for folder in std::fs::read_dir(&dir).unwrap().filter_map(Result::ok) {
            if let Ok(entries) = std::fs::read_dir(folder.path()) {
                files.extend(entries.filter_map(Result::ok).map(|e| e.path()));
            }
        }
    }
    files.sort();
    files
        .into_iter()
        .filter(|p| p.is_file())
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect()
}

/// One to three random edits of `seed`: delete a range, duplicate a range, or insert a token.
fn mutate(seed: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut out = seed.to_vec();
    for _ in 0..1 + rng.below(3) {
        let len = out.len();
        let at = rng.below(len + 1);
        match rng.below(3) {
            0 if len > 0 => {
                let end = (at + 1 + rng.below(12)).min(len);
                out.drain(at.min(end)..end);
            }
            1 if len > 0 => {
                let end = (at + 1 + rng.below(40)).min(len);
                let piece = out[at.min(end)..end].to_vec();
                out.splice(end..end, piece);
            }
            _ => {
                let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                out.splice(at..at, token.iter().copied());
            }
        }
    }
    out
}

#[test]
fn fixed_text_is_always_strict_json() {
    let seeds = seeds();
    assert!(
        seeds.len() > 40,
        "the seed corpus is there: {}",
        seeds.len()
    );
    let mut runs = 0;
    for (i, (name, seed)) in seeds.iter().enumerate() {
        let check = |bytes: &[u8]| {
            let caught = std::panic::catch_unwind(|| invariants::check_fix(bytes));
            if let Err(e) = caught {
                let why = e
                    .downcast_ref::<String>()
                    .cloned()
                    .unwrap_or_else(|| "panic".into());
                panic!("{name}: {why}");
            }
        };
        check(seed);
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ (i as u64 + 1));
        for _ in 0..MUTATIONS_PER_SEED {
            check(&mutate(seed, &mut rng));
            runs += 1;
        }
    }
    println!("fix invariants: {} seeds, {runs} mutations", seeds.len());
}

#[test]
fn the_mutations_reach_the_bug_class_they_guard() {
    // The regression the fuzz target was written for fails the invariant on the old engine.
    invariants::check_fix(br#"{"dependencies": {"a": "1""a": "1"}}"#);
}
