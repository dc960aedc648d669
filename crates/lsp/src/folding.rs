//! `textDocument/foldingRange`: every object and array that spans lines, from the permissive
//! parse (so a comment or a trailing comma does not take the folds away).

use manifest_lint_core::Encoding;
use manifest_lint_core::tree::{Node, tree};
use tower_lsp_server::ls_types::FoldingRange;

use crate::document::Snapshot;

/// The folds of the text, outermost first; `None` when it does not parse at all.
pub fn folding_ranges(snap: &Snapshot, encoding: Encoding) -> Option<Vec<FoldingRange>> {
    let root = tree(&snap.text)?;
    let mut out = Vec::new();
    let mut stack: Vec<&Node> = vec![&root];
    while let Some(node) = stack.pop() {
        if node.children.is_empty() {
            continue;
        }
        let start = snap.position(node.span.start, encoding).line;
        let close = node.span.end.saturating_sub(1);
        let close_line = snap.position(close, encoding).line;
        // The closing bracket stays visible when it starts its line (as VS Code's JSON does).
        let line_start = snap.text[..close].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let bracket_first = snap.text[line_start..close].trim().is_empty();
        let end = if bracket_first {
            close_line.saturating_sub(1)
        } else {
            close_line
        };
        if end > start {
            out.push(FoldingRange {
                start_line: start,
                end_line: end,
                ..Default::default()
            });
        }
        stack.extend(node.children.iter().rev().map(|c| &c.value));
    }
    Some(out)
}
