//! Rendering diagnostics for people (codespan-reporting) and machines (JSON).

use std::io::Write;

use codespan_reporting::diagnostic::{
    Diagnostic as CsDiagnostic, Label as CsLabel, Severity as CsSeverity,
};
use codespan_reporting::term::termcolor::{Ansi, NoColor, WriteColor};
use codespan_reporting::term::{self, Config};
use std::path::PathBuf;

use manifest_lint_core::{
    Analysis, Applicability, Diagnostic, Encoding, Fix, LineIndex, RULES, RuleMeta, Severity, Span,
    mask_secrets,
};
use serde_json::{Value, json};

use crate::snippet::{Excerpt, escape};

/// One linted file.
pub(crate) struct FileReport {
    pub path: String,
    pub text: String,
    pub analysis: Analysis,
    pub kind: FileKind,
}

/// What kind of file a report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileKind {
    /// A project manifest, `Packages/manifest.json`.
    Manifest,
    /// An embedded package's `package.json` (reported only when it has findings).
    PackageJson,
}

/// "1 manifest", "2 manifests and 1 package.json".
fn checked(reports: &[FileReport]) -> String {
    let manifests = reports
        .iter()
        .filter(|r| r.kind == FileKind::Manifest)
        .count();
    let packages = reports.len() - manifests;
    let mut text = plural(manifests, "manifest");
    if packages > 0 {
        text.push_str(&format!(
            " and {packages} package.json file{}",
            if packages == 1 { "" } else { "s" }
        ));
    }
    text
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
    for report in reports {
        // Credentials inside URLs are masked in every snippet.
        let source = mask_secrets(&report.text, &report.analysis.secrets);
        let index = LineIndex::new(&source);
        let name = escape(&report.path, false);
        for diagnostic in &report.analysis.diagnostics {
            let spans: Vec<Span> = std::iter::once(diagnostic.span)
                .chain(diagnostic.labels.iter().map(|l| l.span))
                .collect();
            let excerpt = Excerpt::new(&name, &source, &index, &spans);
            let cs = to_codespan(&excerpt, diagnostic);
            term::emit_to_write_style(out, &config, &excerpt, &cs).map_err(|e| match e {
                // Kept as it is, so that a closed pipe is still recognised as one.
                codespan_reporting::files::Error::Io(e) => e,
                other => std::io::Error::other(other),
            })?;
        }
    }
    let c = Counts::of(reports);
    let files = checked(reports);
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

/// The diagnostic for codespan, its words escaped (they may quote the input) and its labels
/// placed in the excerpt.
fn to_codespan(excerpt: &Excerpt<'_>, d: &Diagnostic) -> CsDiagnostic<()> {
    let severity = match d.severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Info => CsSeverity::Note,
        Severity::Hint => CsSeverity::Help,
    };
    let mut labels = vec![CsLabel::primary((), excerpt.range(d.span))];
    labels.extend(d.labels.iter().map(|l| {
        CsLabel::secondary((), excerpt.range(l.span)).with_message(escape(&l.message, false))
    }));
    let mut notes: Vec<String> = d.notes.iter().map(|n| escape(n, true)).collect();
    if let Some(fix) = &d.fix {
        let how = match fix.applicability {
            Applicability::Safe => "fix",
            Applicability::Unsafe => "suggestion",
        };
        notes.push(format!("{how}: {}", escape(&fix.title, false)));
    }
    CsDiagnostic::new(severity)
        .with_message(escape(&d.message, false))
        .with_code(d.rule.id)
        .with_labels(labels)
        .with_notes(notes)
}

/// A diagnostic as a JSON object (the shape of `--format json`), positions 1-based in characters.
fn diagnostic_json(report: &FileReport, index: &LineIndex, d: &Diagnostic) -> Value {
    let text = report.text.as_str();
    let pos = |offset: usize| {
        let p = index.position(text, offset, Encoding::Utf32);
        json!({"line": p.line + 1, "column": p.column + 1})
    };
    let range = |span: Span| (pos(span.start), pos(span.end));
    let (start, end) = range(d.span);
    let labels: Vec<Value> = d
        .labels
        .iter()
        .map(|l| {
            let (start, end) = range(l.span);
            json!({"message": l.message, "start": start, "end": end})
        })
        .collect();
    let fix = d.fix.as_ref().filter(|f| !leaks(report, f)).map(|f| {
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
}

/// Whether a fix's replacement text repeats a credential of the file (as a fix that only
/// changes a URL's scheme does): such fixes are left out of machine output, which never shows
/// secrets.
fn leaks(report: &FileReport, fix: &Fix) -> bool {
    report
        .analysis
        .secrets
        .iter()
        .filter_map(|s| report.text.get(s.range()))
        .filter(|secret| !secret.is_empty())
        .any(|secret| fix.edits.iter().any(|e| e.replacement.contains(secret)))
}

/// Machine output: exactly one JSON document.
pub(crate) fn json(out: &mut dyn Write, reports: &[FileReport]) -> std::io::Result<()> {
    let files: Vec<Value> = reports
        .iter()
        .map(|report| {
            let index = LineIndex::new(&report.text);
            let diagnostics: Vec<Value> = report
                .analysis
                .diagnostics
                .iter()
                .map(|d| diagnostic_json(report, &index, d))
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

/// JSON Lines: one compact object per diagnostic (the `--format json` diagnostic plus the
/// file's `path`), nothing else.
pub(crate) fn jsonl(out: &mut dyn Write, reports: &[FileReport]) -> std::io::Result<()> {
    for report in reports {
        let index = LineIndex::new(&report.text);
        for d in &report.analysis.diagnostics {
            let mut object = serde_json::Map::new();
            object.insert("path".into(), Value::from(report.path.as_str()));
            if let Value::Object(rest) = diagnostic_json(report, &index, d) {
                object.extend(rest);
            }
            serde_json::to_writer(&mut *out, &Value::Object(object))?;
            writeln!(out)?;
        }
    }
    Ok(())
}

/// Where output formats for code hosts say a file is: relative to the repository's root (the
/// nearest folder above the current one that holds `.git`), else to the current folder.
pub(crate) struct ArtifactPaths {
    /// Canonical roots to try, in order.
    roots: Vec<PathBuf>,
}

impl ArtifactPaths {
    /// From the current folder.
    pub(crate) fn from_current_dir() -> Self {
        let mut roots = Vec::new();
        if let Ok(cwd) = std::env::current_dir().and_then(std::fs::canonicalize) {
            if let Some(root) = cwd.ancestors().find(|d| d.join(".git").exists()) {
                roots.push(root.to_path_buf());
            }
            roots.push(cwd);
        }
        Self { roots }
    }

    /// `path` relative to the repository root (or the current folder) with forward slashes;
    /// `None` when it is outside both or does not exist.
    pub(crate) fn relative(&self, path: &str) -> Option<String> {
        let absolute = std::fs::canonicalize(path).ok()?;
        self.roots.iter().find_map(|root| {
            let rel = absolute.strip_prefix(root).ok()?;
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            (!parts.is_empty()).then(|| parts.join("/"))
        })
    }

    /// The path to show a code host: relative when possible, else absolute with forward
    /// slashes, else as given.
    pub(crate) fn for_host(&self, path: &str) -> String {
        self.relative(path).unwrap_or_else(|| {
            std::fs::canonicalize(path)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_else(|_| path.replace('\\', "/"))
        })
    }

    /// A SARIF `artifactLocation`: a percent-encoded relative reference against `%SRCROOT%`,
    /// or an absolute `file:` URI when the file is outside the repository.
    fn sarif_location(&self, path: &str) -> Value {
        match self.relative(path) {
            Some(rel) => json!({"uri": percent_encode(&rel, false), "uriBaseId": SRCROOT}),
            None => {
                let absolute = self.for_host(path);
                let slash = if absolute.starts_with('/') { "" } else { "/" };
                json!({"uri": format!("file://{slash}{}", percent_encode(&absolute, true))})
            }
        }
    }
}

const SRCROOT: &str = "%SRCROOT%";

/// Percent-encodes a path for a URI: unreserved characters and `/` stay, everything else
/// (bytes of UTF-8) is encoded; `:` too unless `keep_colon` (a drive letter in a `file:` URI),
/// so that a relative reference never reads as a scheme.
fn percent_encode(path: &str, keep_colon: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            b':' if keep_colon => out.push(':'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A rule's "What it does" section as one paragraph of plain text.
fn what_it_does(rule: &RuleMeta) -> String {
    let doc = rule.documentation();
    let section = doc
        .split("## What it does")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .unwrap_or(rule.summary);
    section.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

/// "The message\n\nnote one\nnote two".
fn message_with_notes(d: &Diagnostic) -> String {
    if d.notes.is_empty() {
        d.message.clone()
    } else {
        format!("{}\n\n{}", d.message, d.notes.join("\n"))
    }
}

/// SARIF 2.1.0: one run, every rule of the table in `tool.driver.rules`, one result per
/// diagnostic. Lines and columns are 1-based and count Unicode code points (`columnKind`), and a
/// region's `endColumn` is one past its last character.
pub(crate) fn sarif(
    out: &mut dyn Write,
    reports: &[FileReport],
    paths: &ArtifactPaths,
) -> std::io::Result<()> {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|rule| {
            let documentation = rule.documentation();
            json!({
                "id": rule.id,
                "name": pascal_case(rule.id),
                "shortDescription": {"text": rule.summary},
                "fullDescription": {"text": what_it_does(rule)},
                "help": {"text": documentation, "markdown": documentation},
                "helpUri": rule.url(),
                "defaultConfiguration": {"level": sarif_level(rule.default_severity)},
                "properties": {"tags": if rule.online { vec!["online"] } else { vec![] }},
            })
        })
        .collect();
    let mut results = Vec::new();
    for report in reports {
        let index = LineIndex::new(&report.text);
        let location = paths.sarif_location(&report.path);
        let region = |span: Span| {
            let start = index.position(&report.text, span.start, Encoding::Utf32);
            let end = index.position(&report.text, span.end, Encoding::Utf32);
            json!({
                "startLine": start.line + 1,
                "startColumn": start.column + 1,
                "endLine": end.line + 1,
                "endColumn": end.column + 1,
            })
        };
        for d in &report.analysis.diagnostics {
            let rule_index = RULES.iter().position(|r| r.id == d.rule.id);
            let mut result = json!({
                "ruleId": d.rule.id,
                "level": sarif_level(d.severity),
                "message": {"text": message_with_notes(d)},
                "locations": [{
                    "physicalLocation": {"artifactLocation": location, "region": region(d.span)},
                }],
            });
            if let Some(i) = rule_index {
                result["ruleIndex"] = json!(i);
            }
            if !d.labels.is_empty() {
                result["relatedLocations"] = d
                    .labels
                    .iter()
                    .enumerate()
                    .map(|(i, l)| {
                        json!({
                            "id": i + 1,
                            "message": {"text": l.message},
                            "physicalLocation": {"artifactLocation": location, "region": region(l.span)},
                        })
                    })
                    .collect();
            }
            if let Some(fix) = d
                .fix
                .as_ref()
                .filter(|f| !f.edits.is_empty() && !leaks(report, f))
            {
                let replacements: Vec<Value> = fix
                    .edits
                    .iter()
                    .map(|e| {
                        json!({
                            "deletedRegion": region(e.span),
                            "insertedContent": {"text": e.replacement},
                        })
                    })
                    .collect();
                result["fixes"] = json!([{
                    "description": {"text": fix.title},
                    "artifactChanges": [{"artifactLocation": location, "replacements": replacements}],
                    "properties": {"applicability": fix.applicability},
                }]);
            }
            results.push(result);
        }
    }
    let document = json!({
        "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "manifest-lint",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

const INFORMATION_URI: &str = "https://github.com/manifest-lint/manifest-lint";

/// "glob-scope" -> "GlobScope".
fn pascal_case(id: &str) -> String {
    id.split('-')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}

/// GitHub Actions workflow commands, one line per diagnostic: `::error file=...,line=...::msg`.
/// Columns are given only when the span is on one line; `endColumn` is one past the end, as in
/// SARIF. Info and hint become `notice`.
pub(crate) fn github(
    out: &mut dyn Write,
    reports: &[FileReport],
    paths: &ArtifactPaths,
) -> std::io::Result<()> {
    for report in reports {
        let index = LineIndex::new(&report.text);
        let file = paths.for_host(&report.path);
        for d in &report.analysis.diagnostics {
            let level = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info | Severity::Hint => "notice",
            };
            let start = index.position(&report.text, d.span.start, Encoding::Utf32);
            let end = index.position(&report.text, d.span.end, Encoding::Utf32);
            let mut properties = vec![
                format!("file={}", escape_property(&file)),
                format!("line={}", start.line + 1),
            ];
            let one_line = start.line == end.line;
            if one_line {
                properties.push(format!("col={}", start.column + 1));
            }
            properties.push(format!("endLine={}", end.line + 1));
            if one_line {
                properties.push(format!("endColumn={}", end.column + 1));
            }
            properties.push(format!(
                "title={}",
                escape_property(&format!("manifest-lint ({})", d.rule.id))
            ));
            writeln!(
                out,
                "::{level} {}::{}",
                properties.join(","),
                escape_data(&message_with_notes(d))
            )?;
        }
    }
    Ok(())
}

/// Escapes a workflow command's message.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_command_escapes() {
        assert_eq!(escape_data("50% a\r\nb:c,d"), "50%25 a%0D%0Ab:c,d");
        assert_eq!(escape_property("C:/a,b%\n"), "C%3A/a%2Cb%25%0A");
    }

    #[test]
    fn uris_are_percent_encoded_references() {
        assert_eq!(
            percent_encode("My Game/Packages/manifest.json", false),
            "My%20Game/Packages/manifest.json"
        );
        assert_eq!(percent_encode("a:b/é#?", false), "a%3Ab/%C3%A9%23%3F");
        assert_eq!(percent_encode("C:/x y", true), "C:/x%20y");
    }

    #[test]
    fn rule_names() {
        assert_eq!(pascal_case("glob-scope"), "GlobScope");
        assert!(
            what_it_does(manifest_lint_core::rule("glob-scope").unwrap())
                .starts_with("Reports a scope with wildcard")
        );
    }
}
