//! `manifest-lint check`.

use std::io::IsTerminal;
use std::path::PathBuf;

use manifest_lint_core::{Analysis, LintOptions, Severity, lint_bytes};

use crate::render::{self, FileReport};
use crate::{CheckArgs, ColorWhen, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, Format, locate};

pub(crate) fn run(args: &CheckArgs) -> u8 {
    let mut io_failed = false;
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        match locate::find_upwards() {
            Ok(path) => vec![path],
            Err(message) => {
                crate::error(message);
                return EXIT_USAGE;
            }
        }
    } else {
        args.paths
            .iter()
            .filter_map(|p| match locate::manifest_path(p) {
                Ok(path) => Some(path),
                Err(message) => {
                    crate::error(message);
                    io_failed = true;
                    None
                }
            })
            .collect()
    };

    let options = LintOptions::default();
    let mut reports = Vec::new();
    for path in paths {
        let bytes = match locate::read(&path) {
            Ok(bytes) => bytes,
            Err(message) => {
                crate::error(message);
                io_failed = true;
                continue;
            }
        };
        let (text, analysis) = lint_bytes(&bytes, &options);
        reports.push(FileReport {
            path: path.display().to_string(),
            text: text.into_owned(),
            analysis,
        });
    }

    let stdout = std::io::stdout();
    let result = match args.format {
        Format::Human => {
            let color = match args.color {
                ColorWhen::Always => true,
                ColorWhen::Never => false,
                ColorWhen::Auto => {
                    stdout.is_terminal()
                        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                }
            };
            render::human(&mut stdout.lock(), &reports, color)
        }
        Format::Json => render::json(&mut stdout.lock(), &reports),
    };
    if let Err(err) = result {
        if err.kind() != std::io::ErrorKind::BrokenPipe {
            crate::error(format!("cannot write the report: {err}"));
        }
        return EXIT_USAGE;
    }
    if io_failed {
        return EXIT_USAGE;
    }
    exit_status(reports.iter().map(|r| &r.analysis), args.deny_warnings)
}

fn exit_status<'a>(analyses: impl Iterator<Item = &'a Analysis>, deny_warnings: bool) -> u8 {
    let threshold = if deny_warnings {
        Severity::Warning
    } else {
        Severity::Error
    };
    let failing = analyses
        .flat_map(|a| &a.diagnostics)
        .any(|d| d.severity >= threshold);
    if failing { EXIT_PROBLEMS } else { EXIT_OK }
}
