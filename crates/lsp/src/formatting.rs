//! `textDocument/formatting` and `rangeFormatting`: the core's formatter (the one `manifest-lint
//! format` runs), answered as one minimal edit. The client's tab size and spaces setting are
//! not used: the layout is the one Unity writes, whatever the editor's defaults.

use manifest_lint_core::{Encoding, Span};
use tower_lsp_server::ls_types::TextEdit;

use crate::actions::minimal_edit;
use crate::document::Snapshot;

/// The edits that format the whole text (`range: None`) or the members around `range`; `None`
/// when the text is not strict JSON (nothing is changed then: the diagnostics say why), an
/// empty list when it is formatted already.
pub fn format(snap: &Snapshot, range: Option<Span>, encoding: Encoding) -> Option<Vec<TextEdit>> {
    let text = &snap.text;
    let formatted = match range {
        None => manifest_lint_core::format::format(text).ok()?,
        Some(range) => {
            let edit = manifest_lint_core::format::format_range(text, range).ok()?;
            manifest_lint_core::diagnostic::apply_edits(text, [&edit])?
        }
    };
    if formatted == *text {
        return Some(Vec::new());
    }
    let edit = minimal_edit(text, &formatted);
    Some(vec![TextEdit::new(
        snap.range(edit.span, encoding),
        edit.replacement,
    )])
}
