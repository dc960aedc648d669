//! Pull diagnostics (`textDocument/diagnostic`), for clients that say they support them; those
//! get no `publishDiagnostics`. Each report has a `resultId` derived from what it holds, so a
//! client that asks again about an unchanged document is told "unchanged".

use std::hash::{DefaultHasher, Hash, Hasher};

use manifest_lint_core::Encoding;
use tower_lsp_server::ls_types::{
    DocumentDiagnosticReport, DocumentDiagnosticReportResult, FullDocumentDiagnosticReport,
    RelatedFullDocumentDiagnosticReport, RelatedUnchangedDocumentDiagnosticReport,
    UnchangedDocumentDiagnosticReport, Uri,
};

use crate::convert;
use crate::document::Document;

/// The report for an open document (`None`: not open, an empty report), "unchanged" when it
/// holds what the client's `previous` report held.
pub fn report(
    doc: Option<&Document>,
    uri: &Uri,
    encoding: Encoding,
    previous: Option<&str>,
) -> DocumentDiagnosticReportResult {
    let items = doc.map_or_else(Vec::new, |d| {
        convert::diagnostics(&d.current, uri, encoding)
    });
    let mut hasher = DefaultHasher::new();
    doc.map(|d| d.id).hash(&mut hasher);
    serde_json::to_string(&items)
        .unwrap_or_default()
        .hash(&mut hasher);
    let result_id = format!("{:016x}", hasher.finish());
    let report = if previous == Some(result_id.as_str()) {
        DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
            related_documents: None,
            unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport { result_id },
        })
    } else {
        DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport {
                result_id: Some(result_id),
                items,
            },
        })
    };
    DocumentDiagnosticReportResult::Report(report)
}
