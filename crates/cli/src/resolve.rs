//! `manifest-lint resolve`.

use std::io::Write;

use manifest_lint_core::{LintOptions, lint_bytes};

use crate::snippet::escape;

use crate::{EXIT_OK, EXIT_USAGE, ListFormat, ResolveArgs, locate};

pub(crate) fn run(args: &ResolveArgs) -> u8 {
    let path_first = args
        .packages
        .first()
        .filter(|p| args.manifest.is_none() && looks_like_path(p));
    if let Some(first) = path_first {
        let rest = if args.packages.len() > 1 {
            args.packages[1..].join(" ")
        } else {
            "PACKAGE...".to_string()
        };
        crate::error(format!(
            "`{first}` is a path, not a package name; give the manifest with --manifest: \
             manifest-lint resolve --manifest {first} {rest}"
        ));
        return EXIT_USAGE;
    }
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
    let mut out = std::io::stdout().lock();
    let result = match args.format {
        ListFormat::Json => serde_json::to_writer_pretty(&mut out, &explanations)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out)),
        ListFormat::Human => explanations.iter().try_for_each(|e| {
            // Names and URLs come from the manifest: no control character reaches the terminal.
            if e.builtin {
                writeln!(
                    out,
                    "{} -> built-in (from the Unity Editor)",
                    escape(&e.package, false)
                )?;
            } else {
                writeln!(
                    out,
                    "{} -> {} ({})",
                    escape(&e.package, false),
                    escape(&e.registry.name, false),
                    escape(&e.registry.url, false)
                )?;
            }
            e.sentences()
                .iter()
                .try_for_each(|sentence| writeln!(out, "  {}", escape(sentence, false)))
        }),
    };
    crate::finish_output(result.and_then(|()| out.flush()), EXIT_OK)
}

/// Whether a `resolve` argument is a manifest or project path rather than a package name: it
/// names a `.json` file, holds a path separator (no package name does), or is a file or a Unity
/// project folder here. (An embedded package's folder is named like its package, so a folder
/// alone does not count.)
fn looks_like_path(arg: &str) -> bool {
    let path = std::path::Path::new(arg);
    arg.ends_with(".json")
        || arg.contains('/')
        || arg.contains('\\')
        || path.is_file()
        || path.join("Packages").join("manifest.json").is_file()
        || path.join("manifest.json").is_file()
}
