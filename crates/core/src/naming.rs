//! Whether a package name or a scope typed outside a manifest (a new name in an editor's rename)
//! is one that the manifest's own rules accept. The same checks as `invalid-package-name`,
//! `npm-scope-notation`, `glob-scope` and `invalid-scope`, so that a rename never writes what the
//! linter then reports as an error.

use crate::rules::GLOB_CHARS;

/// Why `name` cannot be a package name (as `invalid-package-name` says it), if it cannot.
pub fn package_name_problem(name: &str) -> Option<String> {
    crate::rules::package_name_problem(name)
}

/// Why `scope` cannot be a scope, if it cannot: npm's `@scope` notation, a wildcard, or a shape
/// no package name can match. (A scope over Unity's own packages is allowed: it is a warning.)
pub fn scope_problem(scope: &str) -> Option<String> {
    if scope.starts_with('@') {
        return Some(format!(
            "`{scope}` uses npm's @scope notation, which Unity does not support"
        ));
    }
    if scope.contains(GLOB_CHARS) {
        return Some(format!(
            "`{scope}` has wildcard characters; Unity's scopes are exact name prefixes"
        ));
    }
    crate::rules::scope_shape_problem(scope).map(|why| format!("The scope `{scope}` {why}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_scopes_as_the_rules_judge_them() {
        assert_eq!(package_name_problem("com.example.tools"), None);
        assert!(package_name_problem("Com.Example").is_some());
        assert!(package_name_problem("@acme/tools").is_some());
        assert!(package_name_problem("").is_some());
        assert_eq!(scope_problem("com.example"), None);
        assert_eq!(scope_problem("com.unity"), None);
        assert!(scope_problem("@acme").unwrap().contains("npm"));
        assert!(scope_problem("@acme/shaders").is_some());
        assert!(scope_problem("com.example.*").unwrap().contains("wildcard"));
        assert!(scope_problem("com.example.").is_some());
        assert!(scope_problem(" com.example").is_some());
        assert!(scope_problem("").is_some());
    }
}
