//! `textDocument/selectionRange`: growing the selection from the cursor through the string's
//! content, the string, the key or value, the member, the object or array, and so on up to the
//! whole document.

use manifest_lint_core::tree::{Kind, tree};
use manifest_lint_core::{Encoding, Span};
use tower_lsp_server::ls_types::{Position, SelectionRange};

use crate::document::Snapshot;

/// One selection range (with its parents) per position, as LSP requires.
pub fn selection_ranges(
    snap: &Snapshot,
    positions: &[Position],
    encoding: Encoding,
) -> Vec<SelectionRange> {
    let root = tree(&snap.text);
    positions
        .iter()
        .map(|&p| {
            let offset = snap.offset(p, encoding);
            let mut spans = vec![Span::new(0, snap.text.len())];
            if let Some(root) = &root {
                spans.extend(chain(&snap.text, root, offset));
            }
            spans.dedup();
            let mut range: Option<SelectionRange> = None;
            for span in spans {
                range = Some(SelectionRange {
                    range: snap.range(span, encoding),
                    parent: range.map(Box::new),
                });
            }
            range.expect("the document's range is always there")
        })
        .collect()
}

/// The spans around `offset`, outermost first.
fn chain(text: &str, root: &manifest_lint_core::tree::Node, offset: usize) -> Vec<Span> {
    let contains = |s: Span| s.start <= offset && offset <= s.end;
    let mut out = Vec::new();
    if !contains(root.span) {
        return out;
    }
    let mut node = root;
    out.push(node.span);
    while let Some(child) = node.children.iter().find(|c| contains(c.span)) {
        out.push(child.span);
        if let Some(key) = child.key.filter(|k| contains(*k)) {
            out.push(key);
            out.extend(string_content(text, key, offset));
            break;
        }
        if !contains(child.value.span) {
            break;
        }
        out.push(child.value.span);
        if child.value.kind == Kind::Scalar {
            out.extend(string_content(text, child.value.span, offset));
            break;
        }
        node = &child.value;
    }
    out
}

/// Inside a string's quotes: the content without them.
fn string_content(text: &str, span: Span, offset: usize) -> Option<Span> {
    let raw = text.get(span.range())?;
    let quoted = raw.len() >= 2
        && (raw.starts_with('"') && raw.ends_with('"')
            || raw.starts_with('\'') && raw.ends_with('\''));
    let inner = Span::new(span.start + 1, span.end - 1);
    (quoted && inner.start <= offset && offset <= inner.end).then_some(inner)
}
