//! Diagnostics, their secondary labels, and the fixes that mend them.

use serde::{Serialize, Serializer};

use crate::rules::RuleMeta;
use crate::text::Span;

/// How serious a diagnostic is. Ordered from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Hint,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Hint => "hint",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "hint" => Severity::Hint,
            "info" | "information" => Severity::Info,
            "warning" | "warn" => Severity::Warning,
            "error" => Severity::Error,
            _ => return None,
        })
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A secondary place that matters to a diagnostic ("first listed here").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// Whether a fix can be applied without a person looking at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Changes what the manifest means in a way the user may not want: offered, never automatic.
    Unsafe,
    /// Keeps the user's evident intent (e.g. removes an exact duplicate): `--fix` applies it.
    Safe,
}

/// One replacement of a byte range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

impl Edit {
    pub fn delete(span: Span) -> Self {
        Self {
            span,
            replacement: String::new(),
        }
    }

    pub fn replace(span: Span, replacement: impl Into<String>) -> Self {
        Self {
            span,
            replacement: replacement.into(),
        }
    }

    pub fn insert(at: usize, text: impl Into<String>) -> Self {
        Self {
            span: Span::empty(at),
            replacement: text.into(),
        }
    }
}

/// A set of non-overlapping edits that together mend one diagnostic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// What the fix does, as a command ("Remove the duplicate scope").
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self {
            title: title.into(),
            applicability: Applicability::Safe,
            edits,
        }
    }

    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self {
            title: title.into(),
            applicability: Applicability::Unsafe,
            edits,
        }
    }

    /// The fixed text, or `None` when two edits overlap.
    pub fn apply(&self, text: &str) -> Option<String> {
        apply_edits(text, self.edits.iter())
    }
}

/// Applies edits (in any order) to `text`; `None` when two of them overlap or one is out of
/// bounds.
pub fn apply_edits<'a>(text: &str, edits: impl IntoIterator<Item = &'a Edit>) -> Option<String> {
    let mut edits: Vec<&Edit> = edits.into_iter().collect();
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    apply_ordered_edits(text, &edits)
}

/// [`apply_edits`] for edits already sorted by position.
pub(crate) fn apply_ordered_edits(text: &str, edits: &[&Edit]) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for edit in edits {
        if edit.span.start < last || edit.span.end > text.len() {
            return None;
        }
        out.push_str(text.get(last..edit.span.start)?);
        out.push_str(&edit.replacement);
        last = edit.span.end;
    }
    out.push_str(text.get(last..)?);
    Some(out)
}

/// One finding of one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    #[serde(serialize_with = "rule_id")]
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    pub labels: Vec<Label>,
    /// Extra sentences shown under the snippet ("help: ...").
    pub notes: Vec<String>,
    pub fix: Option<Fix>,
    /// The text under `span` can go without changing anything (editors fade it).
    pub unnecessary: bool,
}

fn rule_id<S: Serializer>(rule: &&'static RuleMeta, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(rule.id)
}

impl Diagnostic {
    pub fn new(rule: &'static RuleMeta, span: Span, message: impl Into<String>) -> Self {
        Self {
            rule,
            severity: rule.default_severity,
            message: message.into(),
            span,
            labels: Vec::new(),
            notes: Vec::new(),
            fix: None,
            unnecessary: false,
        }
    }

    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn unnecessary(mut self) -> Self {
        self.unnecessary = true;
        self
    }
}

/// The edit that removes item `index` of a comma-separated list (array elements or object
/// members, given by their spans in order) and keeps the commas valid: an item after the first
/// goes together with the separator before it, the first one with the separator after it.
pub fn remove_list_item(items: &[Span], index: usize) -> Edit {
    let span = if index > 0 {
        Span::new(items[index - 1].end, items[index].end)
    } else if items.len() > 1 {
        Span::new(items[0].start, items[1].start)
    } else {
        items[0]
    };
    Edit::delete(span)
}

/// Edits that remove several items of one list at once (indices in any order, no repeats).
/// Runs of adjacent items are removed as one range so that the edits never overlap.
pub fn remove_list_items(items: &[Span], indices: &[usize]) -> Vec<Edit> {
    let mut sorted: Vec<usize> = indices.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    if sorted.len() == items.len() {
        return vec![Edit::delete(Span::new(
            items[0].start,
            items[items.len() - 1].end,
        ))];
    }
    let mut edits = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        let first = sorted[i];
        let mut last = first;
        while i + 1 < sorted.len() && sorted[i + 1] == last + 1 {
            i += 1;
            last = sorted[i];
        }
        let span = if first > 0 {
            Span::new(items[first - 1].end, items[last].end)
        } else {
            Span::new(items[0].start, items[last + 1].start)
        };
        edits.push(Edit::delete(span));
        i += 1;
    }
    edits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str, items: &[&str]) -> Vec<Span> {
        let mut from = 0;
        items
            .iter()
            .map(|item| {
                let start = from + text[from..].find(item).unwrap();
                from = start + item.len();
                Span::new(start, from)
            })
            .collect()
    }

    #[test]
    fn removing_list_items_keeps_commas_valid() {
        let text = "[\n  \"a\",\n  \"b\",\n  \"c\"\n]";
        let items = spans(text, &["\"a\"", "\"b\"", "\"c\""]);
        let cases = [
            (vec![0], "[\n  \"b\",\n  \"c\"\n]"),
            (vec![1], "[\n  \"a\",\n  \"c\"\n]"),
            (vec![2], "[\n  \"a\",\n  \"b\"\n]"),
            (vec![0, 1], "[\n  \"c\"\n]"),
            (vec![1, 2], "[\n  \"a\"\n]"),
            (vec![0, 2], "[\n  \"b\"\n]"),
            (vec![0, 1, 2], "[\n  \n]"),
        ];
        for (indices, expected) in cases {
            let edits = remove_list_items(&items, &indices);
            assert_eq!(apply_edits(text, &edits).unwrap(), expected, "{indices:?}");
            if indices.len() == 1 {
                let edit = remove_list_item(&items, indices[0]);
                assert_eq!(apply_edits(text, [&edit]).unwrap(), expected);
            }
        }
    }

    #[test]
    fn overlapping_edits_are_refused() {
        let a = Edit::delete(Span::new(0, 3));
        let b = Edit::delete(Span::new(2, 4));
        assert_eq!(apply_edits("abcdef", [&a, &b]), None);
        assert_eq!(apply_edits("abc", [&Edit::delete(Span::new(2, 9))]), None);
    }
}
