//! `manifest-lint format`: rewrites manifests in the layout Unity's Package Manager writes, with
//! the core's formatter (the language server's too).

use manifest_lint_core::format::{FormatError, format};
use manifest_lint_core::{Encoding, LineIndex};

use crate::{EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, FormatArgs, fixing, locate};

pub(crate) fn run(args: &FormatArgs) -> u8 {
    let mut failed = false;
    let Some(paths) = locate::manifest_paths(&args.paths, &mut failed) else {
        return EXIT_USAGE;
    };
    let mut changed = 0;
    let mut unchanged = 0;
    for path in &paths {
        let shown = path.display();
        let bytes = match locate::read(path) {
            Ok(bytes) => bytes,
            Err(message) => {
                crate::error(message);
                failed = true;
                continue;
            }
        };
        let Ok(text) = std::str::from_utf8(&bytes) else {
            crate::error(format!("cannot format `{shown}`: it is not UTF-8 text"));
            failed = true;
            continue;
        };
        let formatted = match format(text) {
            Ok(formatted) => formatted,
            Err(err) => {
                crate::error(format!("cannot format `{shown}`: {}", describe(text, &err)));
                failed = true;
                continue;
            }
        };
        if formatted == text {
            unchanged += 1;
            continue;
        }
        changed += 1;
        if args.check {
            println!("would reformat {shown}");
        } else if let Err(message) = fixing::write_atomically(path, &bytes, &formatted) {
            crate::error(message);
            failed = true;
        } else {
            println!("reformatted {shown}");
        }
    }
    let files = |n: usize| format!("{n} file{}", if n == 1 { "" } else { "s" });
    if args.check {
        eprintln!(
            "{} would be reformatted, {} already formatted",
            files(changed),
            files(unchanged)
        );
    } else {
        eprintln!(
            "{} reformatted, {} already formatted",
            files(changed),
            files(unchanged)
        );
    }
    if failed {
        EXIT_USAGE
    } else if args.check && changed > 0 {
        EXIT_PROBLEMS
    } else {
        EXIT_OK
    }
}

/// The error with a 1-based line and column, as a human reads them.
fn describe(text: &str, err: &FormatError) -> String {
    match err {
        FormatError::Empty => err.to_string(),
        FormatError::NotStrict { span, .. } => {
            let p = LineIndex::new(text).position(text, span.start, Encoding::Utf32);
            format!(
                "{err} (line {}, column {}); run `manifest-lint check` to see why",
                p.line + 1,
                p.column + 1
            )
        }
    }
}
