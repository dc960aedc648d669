//! `manifest-lint resolve`.

use manifest_lint_core::{LintOptions, lint_bytes};

use crate::{EXIT_OK, EXIT_USAGE, ListFormat, ResolveArgs, locate};

pub(crate) fn run(args: &ResolveArgs) -> u8 {
    let path = match &args.manifest {
        Some(p) => locate::manifest_path(p),
        None => locate::find_upwards(),
    };
    let bytes = match path.and_then(|p| locate::read(&p)) {
        Ok(bytes) => bytes,
        Err(message) => {
            crate::error(message);
            return EXIT_USAGE;
        }
    };
    let (_, analysis) = lint_bytes(&bytes, &LintOptions::default());
    if !analysis.parsed {
        crate::error("the manifest is not valid JSON; run `manifest-lint check` to see where");
        return EXIT_USAGE;
    }
    let explanations: Vec<_> = args.packages.iter().map(|p| analysis.explain(p)).collect();
    match args.format {
        ListFormat::Json => match serde_json::to_string_pretty(&explanations) {
            Ok(s) => println!("{s}"),
            Err(err) => {
                crate::error(err);
                return EXIT_USAGE;
            }
        },
        ListFormat::Human => {
            for e in &explanations {
                if e.builtin {
                    println!("{} -> built-in (from the Unity Editor)", e.package);
                } else {
                    println!("{} -> {} ({})", e.package, e.registry.name, e.registry.url);
                }
                for sentence in e.sentences() {
                    println!("  {sentence}");
                }
            }
        }
    }
    EXIT_OK
}
