use super::ScopeEntry;
use super::glob_scope::GLOB_CHARS;
use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a scope that no valid package name can match: empty or blank, surrounded by
    /// spaces, with uppercase letters, with characters outside `a-z 0-9 . _ -`, or with a leading,
    /// trailing or doubled dot. (`@scope` and glob scopes have rules of their own.)
    ///
    /// ## Why is this bad?
    /// Scopes are matched against package names exactly and case-sensitively, and package names
    /// are lowercase reverse-domain names. `Com.Example`, `com.example.` or ` com.example` match
    /// nothing, so the registry serves nothing and its packages fall through to Unity's registry.
    ///
    /// ## Example
    /// ```json
    /// "scopes": ["Com.Example", "com.example.", " com.other"]
    /// ```
    ///
    /// ## How to fix
    /// Write the lowercase package name prefix without surrounding dots or spaces. The fix trims
    /// spaces and dots (safe) or lowercases (offered, since it changes which packages resolve).
    pub static INVALID_SCOPE = {
        id: "invalid-scope",
        severity: Error,
        summary: "A scope no valid package name can match (case, characters, dots, blanks)",
        check: check,
    }
}

/// Whether a package name or scope has the shape of a Unity package name.
pub(crate) fn is_well_formed(s: &str) -> bool {
    problem(s).is_none()
}

/// What is wrong with a scope's shape, if anything.
pub(crate) fn problem(s: &str) -> Option<&'static str> {
    if is_plainly_valid(s) {
        return None;
    }
    if s.trim().is_empty() {
        return Some("is empty");
    }
    if s.trim() != s {
        return Some("has spaces around it");
    }
    if s.chars().any(|c| c.is_uppercase()) {
        return Some(
            "has uppercase letters, but package names are lowercase and matching is case-sensitive",
        );
    }
    if !s
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'))
    {
        return Some(
            "has characters that package names cannot contain (only a-z, 0-9, `.`, `_` and `-`)",
        );
    }
    if s.starts_with('.') {
        return Some("starts with a dot");
    }
    if s.ends_with('.') {
        return Some("ends with a dot, but scopes match on a dot boundary without it");
    }
    if s.contains("..") {
        return Some("has two dots in a row");
    }
    None
}

/// The common case in one pass over the bytes: only `a-z 0-9 . _ -`, no leading, trailing or
/// doubled dot, not empty (what every check of [`problem`] then finds nothing wrong with).
pub(super) fn is_plainly_valid(s: &str) -> bool {
    let b = s.as_bytes();
    // Starting as if after a dot makes a leading dot a doubled one.
    b.last().is_some_and(|&c| c != b'.') && super::dependency_names::segments_valid(b, true)
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for ScopeEntry { scope, .. } in ctx.scopes() {
        let value = scope.value.as_str();
        // Well-formed scopes (nearly all) are settled by one pass, before the searches below.
        if is_plainly_valid(value) || value.starts_with('@') || value.contains(GLOB_CHARS) {
            continue;
        }
        let Some(problem) = problem(value) else {
            continue;
        };
        let shown = if value.is_empty() {
            "This scope".to_string()
        } else {
            format!("`{value}`")
        };
        let mut d = Diagnostic::new(
            &INVALID_SCOPE,
            scope.span,
            format!("{shown} {problem}; it matches no package"),
        );
        let trimmed = value.trim().trim_matches('.');
        let lowered = trimmed.to_lowercase();
        if !trimmed.is_empty() && trimmed != value && is_well_formed(trimmed) {
            d = d.with_fix(Fix::safe(
                format!("Use `{trimmed}`"),
                vec![Edit::replace(scope.span, json_string(trimmed))],
            ));
        } else if !lowered.is_empty() && lowered != value && is_well_formed(&lowered) {
            d = d.with_fix(Fix::unsafe_(
                format!("Use `{lowered}`"),
                vec![Edit::replace(scope.span, json_string(&lowered))],
            ));
        }
        out.push(d);
    }
}
