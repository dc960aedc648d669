//! `manifest-lint resolve`.

use std::io::Write;

use manifest_lint_core::{LintOptions, lint_bytes};

use crate::snippet::escape;

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
    let mut out = std::io::stdout().lock();
    let result = match args.format {
        ListFormat::Json => serde_json::to_writer_pretty(&mut out, &explanations)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out)),
        ListFormat::Human => explanations.iter().try_for_each(|e| {
            // Names and URLs come from the manifest: no control character reaches the terminal.
            writeln!(
                out,
                "{} -> {} ({})",
                escape(&e.package, false),
                escape(&e.registry.name, false),
                escape(&e.registry.url, false)
            )?;
            e.sentences()
                .iter()
                .try_for_each(|sentence| writeln!(out, "  {}", escape(sentence, false)))
        }),
    };
    crate::finish_output(result.and_then(|()| out.flush()), EXIT_OK)
}
