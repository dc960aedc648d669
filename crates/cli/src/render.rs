//! Rendering diagnostics for people (codespan-reporting) and machines (JSON).

use std::io::Write;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label as CsLabel};
use codespan_reporting::term::termcolor::{Ansi, NoColor};
use codespan_reporting::term::{self, Config};
use std::path::PathBuf;

use manifest_lint_core::{
    Analysis, Applicability, Diagnostic, Encoding, Fix, LineIndex, RULES, RuleMeta, Severity, Span,
    mask_secrets,
};
use serde::Serialize;
use serde_json::{Value, json};

use crate::direct;
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
    if manifests == 0 && packages > 0 {
        return plural(packages, "package.json file");
    }
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
pub(crate) struct Counts {
    pub(crate) errors: usize,
    pub(crate) warnings: usize,
    pub(crate) infos: usize,
    pub(crate) hints: usize,
    pub(crate) fixable: usize,
}

impl Counts {
    pub(crate) fn of<'a>(reports: impl IntoIterator<Item = &'a FileReport>) -> Self {
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

/// Human output: a snippet per diagnostic, then a one-line summary. The common shape of
/// diagnostic is written directly ([`crate::direct`]), any other through codespan-reporting.
pub(crate) fn human(
    out: &mut dyn Write,
    reports: &[FileReport],
    color: bool,
) -> std::io::Result<()> {
    let config = Config::default();
    let palette = direct::Palette::new(color);
    let mut buf = Vec::new();
    for report in reports {
        // Credentials inside URLs are masked in every snippet.
        let source = mask_secrets(&report.text, &report.analysis.secrets);
        // Made only for a diagnostic that codespan renders.
        let index = std::cell::OnceCell::new();
        let mut lines = direct::Lines::new(&source);
        let name = escape(&report.path, false);
        for diagnostic in &report.analysis.diagnostics {
            buf.clear();
            let written = lines.as_mut().is_some_and(|lines| {
                direct::render(&mut buf, &palette, &name, &source, lines, diagnostic)
            });
            if !written {
                let index = index.get_or_init(|| LineIndex::new(&source));
                via_codespan(&mut buf, &config, color, &name, &source, index, diagnostic)?;
            }
            // A closed pipe surfaces here, with its error kind intact.
            out.write_all(&buf)?;
        }
    }
    summary(out, reports)
}

/// One diagnostic through codespan-reporting, appended to `buf`.
fn via_codespan(
    buf: &mut Vec<u8>,
    config: &Config,
    color: bool,
    name: &str,
    source: &str,
    index: &LineIndex,
    diagnostic: &Diagnostic,
) -> std::io::Result<()> {
    let spans: Vec<Span> = std::iter::once(diagnostic.span)
        .chain(diagnostic.labels.iter().map(|l| l.span))
        .collect();
    let excerpt = Excerpt::new(name, source, index, &spans);
    let cs = to_codespan(&excerpt, diagnostic);
    let from = buf.len();
    let emitted = if color {
        term::emit_to_write_style(&mut Ansi::new(&mut *buf), config, &excerpt, &cs)
    } else {
        term::emit_to_write_style(&mut NoColor::new(&mut *buf), config, &excerpt, &cs)
    };
    emitted.map_err(std::io::Error::other)?;
    if diagnostic.severity == Severity::Hint {
        name_hint(&mut buf[from..]);
    }
    Ok(())
}

/// codespan-reporting names its `Help` severity "help"; ours is "hint" in the summary, JSON, the
/// configuration and `--rule`, so the header of a rendered hint says `hint[rule-id]` too. The
/// header is the first thing written, so the first `help[` is its severity.
fn name_hint(rendered: &mut [u8]) {
    if let Some(at) = rendered.windows(5).position(|w| w == b"help[") {
        rendered[at..at + 4].copy_from_slice(b"hint");
    }
}

fn summary(out: &mut dyn Write, reports: &[FileReport]) -> std::io::Result<()> {
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
    let severity = direct::cs_severity(d.severity);
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

// Machine output is streamed: each diagnostic's object is made while it is written, never a
// tree of the whole document (200,000 diagnostics took 2.0 GB as JSON, 3.6 GB as SARIF). The
// structs below declare their fields in alphabetical order, which is the order the document
// had as a `serde_json::Value` (whose objects sort their keys): the bytes are unchanged.

/// A 1-based line and column (in characters).
#[derive(Debug, Clone, Copy)]
pub(crate) struct JsonPosition {
    pub(crate) column: u32,
    pub(crate) line: u32,
}

/// The positions machine output needs in one file: those of its diagnostics' spans, labels and
/// edits, worked out in one pass over the text up to the last of them (a line index of a 5 MB
/// manifest cost more than all its positions).
pub(crate) struct Positions<'a> {
    text: &'a str,
    offsets: Vec<usize>,
    positions: Vec<manifest_lint_core::text::Position>,
    /// For an offset that was not gathered (none is, today): a whole index, made once.
    index: std::cell::OnceCell<LineIndex>,
}

impl<'a> Positions<'a> {
    pub(crate) fn new(report: &'a FileReport) -> Self {
        let mut offsets = Vec::new();
        for d in &report.analysis.diagnostics {
            offsets.extend([d.span.start, d.span.end]);
            offsets.extend(d.labels.iter().flat_map(|l| [l.span.start, l.span.end]));
            if let Some(fix) = &d.fix {
                offsets.extend(fix.edits.iter().flat_map(|e| [e.span.start, e.span.end]));
            }
        }
        offsets.sort_unstable();
        offsets.dedup();
        let positions =
            manifest_lint_core::text::positions(&report.text, &offsets, Encoding::Utf32);
        Self {
            text: &report.text,
            offsets,
            positions,
            index: std::cell::OnceCell::new(),
        }
    }

    pub(crate) fn position(&self, offset: usize) -> JsonPosition {
        let p = match self.offsets.binary_search(&offset) {
            Ok(i) => self.positions[i],
            Err(_) => self
                .index
                .get_or_init(|| LineIndex::new(self.text))
                .position(self.text, offset, Encoding::Utf32),
        };
        JsonPosition {
            column: p.column + 1,
            line: p.line + 1,
        }
    }
}

/// Serializes the items of an iterator made on demand, as a sequence.
struct Stream<F>(F);

impl<F, I> Serialize for Stream<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

/// Whether a fix's replacement text repeats a credential of the file (as a fix that only
/// changes a URL's scheme does): such fixes are left out of machine output, which never shows
/// secrets.
pub(crate) fn leaks(report: &FileReport, fix: &Fix) -> bool {
    report
        .analysis
        .secrets
        .iter()
        .filter_map(|s| report.text.get(s.range()))
        .filter(|secret| !secret.is_empty())
        .any(|secret| fix.edits.iter().any(|e| e.replacement.contains(secret)))
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

/// A rule's SARIF tags: `online` for online rules, `package.json` for the rules that look at
/// package manifests (alone or as well as project manifests).
fn sarif_tags(rule: &RuleMeta) -> Vec<&'static str> {
    let mut tags = Vec::new();
    if rule.online {
        tags.push("online");
    }
    if rule.files != manifest_lint_core::Files::Manifest {
        tags.push("package.json");
    }
    tags
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
                "properties": {"tags": sarif_tags(rule)},
            })
        })
        .collect();
    // Each file's location is worked out once (it reads the file system), before writing.
    let locations: Vec<Value> = reports
        .iter()
        .map(|r| paths.sarif_location(&r.path))
        .collect();
    let results = Stream(|| {
        reports
            .iter()
            .zip(&locations)
            .flat_map(|(report, location)| {
                let at = Positions::new(report);
                report
                    .analysis
                    .diagnostics
                    .iter()
                    .map(move |d| SarifResult::new(report, location, &at, d))
            })
    });
    #[derive(Serialize)]
    struct Document<'a, R: Serialize> {
        #[serde(rename = "$schema")]
        schema: &'a str,
        runs: [Run<'a, R>; 1],
        version: &'a str,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Run<'a, R: Serialize> {
        column_kind: &'a str,
        results: R,
        tool: Value,
    }
    let document = Document {
        schema: "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        runs: [Run {
            column_kind: "unicodeCodePoints",
            results,
            tool: json!({"driver": {
                "name": "manifest-lint",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }}),
        }],
        version: "2.1.0",
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

/// A SARIF region: 1-based lines and columns, `endColumn` one past the last character.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRegion {
    end_column: u32,
    end_line: u32,
    start_column: u32,
    start_line: u32,
}

fn region(at: &Positions<'_>, span: Span) -> SarifRegion {
    let start = at.position(span.start);
    let end = at.position(span.end);
    SarifRegion {
        end_column: end.column,
        end_line: end.line,
        start_column: start.column,
        start_line: start.line,
    }
}

#[derive(Serialize)]
struct SarifText<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifPhysical<'a> {
    artifact_location: &'a Value,
    region: SarifRegion,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation<'a> {
    physical_location: SarifPhysical<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRelated<'a> {
    id: usize,
    message: SarifText<'a>,
    physical_location: SarifPhysical<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifReplacement<'a> {
    deleted_region: SarifRegion,
    inserted_content: SarifText<'a>,
}

#[derive(Serialize)]
struct SarifChange<'a> {
    #[serde(rename = "artifactLocation")]
    artifact_location: &'a Value,
    replacements: Vec<SarifReplacement<'a>>,
}

#[derive(Serialize)]
struct SarifFixProperties {
    applicability: Applicability,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix<'a> {
    artifact_changes: [SarifChange<'a>; 1],
    description: SarifText<'a>,
    properties: SarifFixProperties,
}

/// One SARIF result, made while it is written.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    fixes: Option<[SarifFix<'a>; 1]>,
    level: &'a str,
    locations: [SarifLocation<'a>; 1],
    message: SarifMessage,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifRelated<'a>>,
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
}

#[derive(Serialize)]
struct SarifMessage {
    text: String,
}

impl<'a> SarifResult<'a> {
    fn new(
        report: &'a FileReport,
        location: &'a Value,
        at: &Positions<'_>,
        d: &'a Diagnostic,
    ) -> Self {
        let fixes = d
            .fix
            .as_ref()
            .filter(|f| !f.edits.is_empty() && !leaks(report, f))
            .map(|fix| {
                [SarifFix {
                    artifact_changes: [SarifChange {
                        artifact_location: location,
                        replacements: fix
                            .edits
                            .iter()
                            .map(|e| SarifReplacement {
                                deleted_region: region(at, e.span),
                                inserted_content: SarifText {
                                    text: &e.replacement,
                                },
                            })
                            .collect(),
                    }],
                    description: SarifText { text: &fix.title },
                    properties: SarifFixProperties {
                        applicability: fix.applicability,
                    },
                }]
            });
        SarifResult {
            fixes,
            level: sarif_level(d.severity),
            locations: [SarifLocation {
                physical_location: SarifPhysical {
                    artifact_location: location,
                    region: region(at, d.span),
                },
            }],
            message: SarifMessage {
                text: message_with_notes(d),
            },
            related_locations: d
                .labels
                .iter()
                .enumerate()
                .map(|(i, l)| SarifRelated {
                    id: i + 1,
                    message: SarifText { text: &l.message },
                    physical_location: SarifPhysical {
                        artifact_location: location,
                        region: region(at, l.span),
                    },
                })
                .collect(),
            rule_id: d.rule.id,
            rule_index: RULES.iter().position(|r| r.id == d.rule.id),
        }
    }
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
                // CI logs render escape sequences: the input's control characters stay visible.
                escape_data(&escape(&message_with_notes(d), true))
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
pub(crate) mod tests {
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

    /// Texts to render diagnostics of: every fixture and corpus manifest, and a few shapes
    /// made up here (tabs, non-ASCII, control characters, long lines, CRLF, no final newline).
    pub(crate) fn texts() -> Vec<String> {
        fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
            entries.sort();
            for path in entries {
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| e == "json") {
                    if let Ok(text) = std::fs::read_to_string(&path) {
                        out.push(text);
                    }
                }
            }
        }
        let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts = Vec::new();
        walk(&here.join("../../tests/fixtures"), &mut texts);
        assert!(texts.len() > 20, "the fixtures are missing");
        walk(&here.join("../../../shared/corpus"), &mut texts);
        let long = "x".repeat(300);
        texts.extend([
            String::new(),
            "{".to_string(),
            "{\n  \"dependencies\": {\n    \"a.b\": \"1.0.0\"\n  }\n}".to_string(),
            "{\n\t\"dependencies\": {\n\t\t\"a.b\": \"1.0.0\"\n\t}\n}\n".to_string(),
            "{\r\n  \"dependencies\": {\r\n    \"a.b\": \"1\"\r\n  }\r\n}\r\n".to_string(),
            "{\n  \"dependencies\": {\n    \"é.ü\": \"1.0.0\", \"x\u{1b}[2J\": \"2\"\n  }\n}\n"
                .to_string(),
            format!("{{\n  \"dependencies\": {{\n    \"{long}\": \"1.0.0\"\n  }}\n}}\n"),
            format!("{}\n{{\"dependencies\": {{}}}}\n", "\n".repeat(120)),
        ]);
        texts
    }

    /// A small deterministic generator (xorshift) for made-up spans.
    pub(crate) struct Rng(pub(crate) u64);

    impl Rng {
        pub(crate) fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n.max(1) as u64) as usize
        }

        /// Made-up span, labels, message, notes and severity (the `i % 4`th) for `d`, with
        /// words from `words`, spans in or just past a text of `len` bytes.
        pub(crate) fn vary(&mut self, d: &mut Diagnostic, len: usize, words: &[&str], i: usize) {
            use manifest_lint_core::Label;
            d.span = self.span(len);
            d.labels = (0..self.below(4))
                .map(|_| Label {
                    span: self.span(len),
                    message: words[self.below(words.len())].to_string(),
                })
                .collect();
            d.message = format!("made up {}", words[self.below(words.len())]);
            d.notes = (0..self.below(3))
                .map(|_| words[self.below(words.len())].to_string())
                .collect();
            d.severity = [
                Severity::Error,
                Severity::Warning,
                Severity::Info,
                Severity::Hint,
            ][i % 4];
        }

        pub(crate) fn span(&mut self, len: usize) -> Span {
            let start = self.below(len + 2);
            match self.below(4) {
                0 => Span::new(start, start),
                1 => Span::new(start, start + self.below(len + 2)),
                _ => Span::new(start, start + self.below(12)),
            }
        }
    }

    /// The direct rendering is byte for byte codespan's, with and without colour, for the
    /// linter's own diagnostics and for made-up spans, labels and words; and it is the one
    /// used for most of them (so the comparison is not empty).
    #[test]
    fn direct_rendering_is_codespans() {
        use manifest_lint_core::{LintOptions, lint};
        let config = Config::default();
        let palettes = [direct::Palette::new(false), direct::Palette::new(true)];
        let words = ["", "a label", "tab\tand `x`", "é\u{1b}[0m", "two\nlines"];
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let (mut direct_count, mut total) = (0, 0);
        for text in texts() {
            let analysis = lint(&text, &LintOptions::default());
            let mut diagnostics = analysis.diagnostics.clone();
            // Made-up variants of the first diagnostic (or of a new one on an empty result).
            let model = diagnostics.first().cloned().unwrap_or_else(|| {
                Diagnostic::new(
                    manifest_lint_core::rule("glob-scope").unwrap(),
                    Span::new(0, 1),
                    "m",
                )
            });
            for i in 0..40 {
                let mut d = model.clone();
                rng.vary(&mut d, text.len(), &words, i);
                if i % 3 == 0 {
                    d.fix = None;
                }
                diagnostics.push(d);
            }
            let source = mask_secrets(&text, &analysis.secrets);
            let index = LineIndex::new(&source);
            // One cursor for all, as `human` does (its offsets go back and forth here).
            let mut lines = direct::Lines::new(&source);
            for d in &diagnostics {
                for (color, palette) in [false, true].into_iter().zip(&palettes) {
                    total += 1;
                    let mut expected = Vec::new();
                    via_codespan(
                        &mut expected,
                        &config,
                        color,
                        "dir/f.json",
                        &source,
                        &index,
                        d,
                    )
                    .unwrap();
                    let Some(lines) = &mut lines else {
                        continue;
                    };
                    let mut got = Vec::new();
                    if direct::render(&mut got, palette, "dir/f.json", &source, lines, d) {
                        direct_count += 1;
                        assert_eq!(
                            String::from_utf8_lossy(&got),
                            String::from_utf8_lossy(&expected),
                            "colour {color}, {d:?}"
                        );
                    } else {
                        assert!(got.is_empty());
                    }
                }
            }
        }
        assert!(
            direct_count * 4 > total,
            "{direct_count} of {total} rendered directly"
        );
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
