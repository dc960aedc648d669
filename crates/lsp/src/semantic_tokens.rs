//! Semantic tokens (`textDocument/semanticTokens/full`): scopes, package names and registry
//! versions, so that a theme can tell them from other strings. Each token is a whole string
//! literal (quotes included; a JSON string never spans lines).

use manifest_lint_core::{Encoding, Span};
use tower_lsp_server::ls_types::{
    SemanticToken, SemanticTokenType, SemanticTokens, SemanticTokensLegend,
};

use crate::document::View;

/// The token types, in legend order.
const TYPES: [SemanticTokenType; 3] = [
    SemanticTokenType::NAMESPACE, // a scope
    SemanticTokenType::TYPE,      // a package name
    SemanticTokenType::NUMBER,    // a registry version
];
const SCOPE: u32 = 0;
const PACKAGE: u32 = 1;
const VERSION: u32 = 2;

pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TYPES.to_vec(),
        token_modifiers: Vec::new(),
    }
}

/// The tokens of the document, in order.
pub fn full(view: &View<'_>, encoding: Encoding) -> SemanticTokens {
    let manifest = &view.snap.analysis.manifest;
    let mut spans: Vec<(Span, u32)> = Vec::new();
    for dep in manifest.dependencies() {
        spans.push((dep.name.span, PACKAGE));
        if let Some(version) = &dep.version {
            if crate::lookup::non_registry_source(dep).is_none() {
                spans.push((version.span, VERSION));
            }
        }
    }
    for list in [&manifest.testables, &manifest.pinned_packages]
        .into_iter()
        .flatten()
    {
        spans.extend(list.items.iter().map(|i| (i.span, PACKAGE)));
    }
    for registry in manifest.registries() {
        spans.extend(
            registry
                .scopes
                .iter()
                .flat_map(|s| &s.items)
                .map(|s| (s.span, SCOPE)),
        );
    }
    spans.sort_by_key(|(span, _)| span.start);
    let mut data = Vec::with_capacity(spans.len());
    let (mut line, mut column) = (0, 0);
    for (span, kind) in spans {
        let Some(range) = view.range(span, encoding) else {
            continue;
        };
        if range.start.line != range.end.line || range.end.character <= range.start.character {
            continue;
        }
        let delta_line = range.start.line - line;
        let delta_start = if delta_line == 0 {
            range.start.character - column
        } else {
            range.start.character
        };
        data.push(SemanticToken {
            delta_line,
            delta_start,
            length: range.end.character - range.start.character,
            token_type: kind,
            token_modifiers_bitset: 0,
        });
        (line, column) = (range.start.line, range.start.character);
    }
    SemanticTokens {
        result_id: None,
        data,
    }
}

#[cfg(test)]
mod tests {
    use manifest_lint_core::LintOptions;

    use super::*;
    use crate::document::Snapshot;

    #[test]
    fn scopes_names_and_versions_relative_to_each_other() {
        let text = "{\"dependencies\": {\"😀.a\": \"1.0.0\", \"b.c\": \"file:../x\"},\n \"scopedRegistries\": [{\"scopes\": [\"com.x\"]}]}";
        let snap = Snapshot::new(text.into(), &LintOptions::default());
        let tokens = full(&View::current(&snap), Encoding::Utf16).data;
        let flat: Vec<(u32, u32, u32, u32)> = tokens
            .iter()
            .map(|t| (t.delta_line, t.delta_start, t.length, t.token_type))
            .collect();
        assert_eq!(
            flat,
            [
                (0, 18, 6, PACKAGE), // "😀.a": the emoji is two UTF-16 units
                (0, 8, 7, VERSION),
                (0, 9, 5, PACKAGE), // the file: value is not a version
                (1, 34, 7, SCOPE),
            ]
        );
    }
}
