//! Rendering diagnostics for people (codespan-reporting) and machines (JSON).

use std::io::Write;

use codespan_reporting::diagnostic::{
    Diagnostic as CsDiagnostic, Label as CsLabel, Severity as CsSeverity,
};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::termcolor::{Ansi, NoColor, WriteColor};
use codespan_reporting::term::{self, Config};
use manifest_lint_core::{
    Analysis, Applicability, Diagnostic, Encoding, LineIndex, Severity, Span, mask_secrets,
};
use serde_json::{Value, json};

/// One linted file.
pub(crate) struct FileReport {
    pub path: String,
    pub text: String,
    pub analysis: Analysis,
}

#[derive(Default)]
struct Counts {
    errors: usize,
    warnings: usize,
    infos: usize,
    hints: usize,
    fixable: usize,
}

impl Counts {
    fn of<'a>(reports: impl IntoIterator<Item = &'a FileReport>) -> Self {
        let mut c = Counts::default();
        for d in reports.into_iter().flat_map(|r| &r.analysis.diagnostics) {
            match d.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Info => c.infos += 1,
                Severity::Hint => c.hints += 1,
            }
            if d.fix
                .as_ref()
                .is_some_and(|f| f.applicability == Applicability::Safe)
            {
                c.fixable += 1;
            }
        }
        c
    }
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// Human output: a snippet per diagnostic, then a one-line summary.
pub(crate) fn human(
    out: &mut dyn Write,
    reports: &[FileReport],
    color: bool,
) -> std::io::Result<()> {
    if color {
        human_to(&mut Ansi::new(out), reports)
    } else {
        human_to(&mut NoColor::new(out), reports)
    }
}

fn human_to<W: WriteColor>(out: &mut W, reports: &[FileReport]) -> std::io::Result<()> {
    let config = Config::default();
    let mut files = SimpleFiles::new();
    for report in reports {
        // Credentials inside URLs are masked in every snippet.
        let source = mask_secrets(&report.text, &report.analysis.secrets).into_owned();
        let id = files.add(report.path.clone(), source);
        for diagnostic in &report.analysis.diagnostics {
            let cs = to_codespan(id, diagnostic);
            term::emit_to_write_style(out, &config, &files, &cs).map_err(std::io::Error::other)?;
        }
    }
    let c = Counts::of(reports);
    let files = plural(reports.len(), "manifest");
    if c.errors + c.warnings + c.infos + c.hints == 0 {
        writeln!(out, "No problems found in {files}.")?;
    } else {
        let mut line = format!(
            "Checked {files}: {}, {}, {}, {}.",
            plural(c.errors, "error"),
            plural(c.warnings, "warning"),
            plural(c.infos, "info"),
            plural(c.hints, "hint")
        );
        if c.fixable > 0 {
            line.push_str(&format!(" {} with a safe fix.", c.fixable));
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}

fn to_codespan(file: usize, d: &Diagnostic) -> CsDiagnostic<usize> {
    let severity = match d.severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Info => CsSeverity::Note,
        Severity::Hint => CsSeverity::Help,
    };
    let mut labels = vec![CsLabel::primary(file, d.span.range())];
    labels.extend(
        d.labels
            .iter()
            .map(|l| CsLabel::secondary(file, l.span.range()).with_message(&l.message)),
    );
    let mut notes: Vec<String> = d.notes.clone();
    if let Some(fix) = &d.fix {
        let how = match fix.applicability {
            Applicability::Safe => "fix",
            Applicability::Unsafe => "suggestion",
        };
        notes.push(format!("{how}: {}", fix.title));
    }
    CsDiagnostic::new(severity)
        .with_message(&d.message)
        .with_code(d.rule.id)
        .with_labels(labels)
        .with_notes(notes)
}

/// Machine output: exactly one JSON document.
pub(crate) fn json(out: &mut dyn Write, reports: &[FileReport]) -> std::io::Result<()> {
    let files: Vec<Value> = reports
        .iter()
        .map(|report| {
            let index = LineIndex::new(&report.text);
            let pos = |offset: usize| {
                let p = index.position(&report.text, offset, Encoding::Utf32);
                json!({"line": p.line + 1, "column": p.column + 1})
            };
            let range = |span: Span| (pos(span.start), pos(span.end));
            let diagnostics: Vec<Value> = report
                .analysis
                .diagnostics
                .iter()
                .map(|d| {
                    let (start, end) = range(d.span);
                    let labels: Vec<Value> = d
                        .labels
                        .iter()
                        .map(|l| {
                            let (start, end) = range(l.span);
                            json!({"message": l.message, "start": start, "end": end})
                        })
                        .collect();
                    let fix = d.fix.as_ref().map(|f| {
                        let edits: Vec<Value> = f
                            .edits
                            .iter()
                            .map(|e| {
                                let (start, end) = range(e.span);
                                json!({"start": start, "end": end, "replacement": e.replacement})
                            })
                            .collect();
                        json!({"title": f.title, "applicability": f.applicability, "edits": edits})
                    });
                    json!({
                        "rule": d.rule.id,
                        "severity": d.severity.as_str(),
                        "message": d.message,
                        "start": start,
                        "end": end,
                        "labels": labels,
                        "notes": d.notes,
                        "fix": fix,
                    })
                })
                .collect();
            json!({"path": report.path, "diagnostics": diagnostics})
        })
        .collect();
    let c = Counts::of(reports);
    let document = json!({
        "version": 1,
        "files": files,
        "summary": {"errors": c.errors, "warnings": c.warnings, "infos": c.infos, "hints": c.hints},
    });
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}
