use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports credentials inside a Git dependency URL: a user name with a password
    /// (`https://ci:token@git.example.com/x.git`, `git+https://user:pass@...`,
    /// `ssh://user:pass@host/x.git`), or an access token written as the user name over https
    /// (`https://ghp_...@github.com/x.git`). A bare user name is not a credential
    /// (`git@github.com:o/r.git`, `ssh://git@host/x.git`).
    ///
    /// ## Why is this bad?
    /// The manifest is committed: the token is now in the repository's history, readable by
    /// everyone with access, and it ends up in logs and in `packages-lock.json`. Unity's manual
    /// calls credentials in a Git URL "a major security issue" and has Git use its own credential
    /// helper or an SSH key instead. manifest-lint masks the secret in everything it prints.
    ///
    /// ## Example
    /// ```json
    /// { "dependencies": { "com.example.tools": "https://ci:s3cret@git.example.com/tools.git#v1.0.0" } }
    /// ```
    ///
    /// ## How to fix
    /// Remove the credentials from the URL, revoke them (they are in the history), and let Git
    /// authenticate: a credential helper (`git config --global credential.helper ...`) for
    /// https, or an SSH key with an `ssh://git@host/...` or `git@host:...` URL. See
    /// <https://docs.unity3d.com/Manual/upm-git.html>.
    pub static GIT_URL_CREDENTIALS = {
        id: "git-url-credentials",
        severity: Error,
        summary: "A password or access token inside a Git dependency URL",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (dep, kind) in ctx.manifest.dependencies().iter().zip(ctx.source_kinds()) {
        // An exact version (nearly every value) has no `@`, so no credentials.
        if *kind == Some(crate::version::SourceKind::Registry) {
            continue;
        }
        let Some(secret) = dependency_secret(ctx.text, dep) else {
            continue;
        };
        let Some(version) = &dep.version else {
            continue;
        };
        let whole = secret.start == version.span.start + 1 && secret.end + 1 == version.span.end;
        let d = Diagnostic::new(
            &GIT_URL_CREDENTIALS,
            secret,
            format!(
                "The Git URL of `{}` contains credentials, which are now in the repository",
                dep.name.value
            ),
        )
        .with_note(
            "remove them, revoke them, and let Git authenticate with a credential helper or an SSH key",
        );
        if whole {
            // Spelled with escapes: no edit can be placed inside it safely.
            out.push(d);
            continue;
        }
        // Over SSH the user name stays (`ssh://git@host`): only `:password` goes. Elsewhere the
        // user-info and its `@` go.
        let info = &ctx.text[secret.range()];
        let ssh = ctx.text[..secret.start].ends_with("ssh://");
        let edit = match info.find(':') {
            Some(colon) if ssh => Edit::delete(Span::new(secret.start + colon, secret.end)),
            _ => Edit::delete(Span::new(secret.start, secret.end + 1)),
        };
        out.push(d.with_fix(Fix::unsafe_(
            "Remove the credentials from the URL",
            vec![edit],
        )));
    }
}

/// The span of the credentials inside a dependency's URL value, on the raw text. When the JSON
/// string spells the URL with escapes (`\u0040` for `@`), so that only its decoded value shows
/// credentials, the span is the whole string's content.
pub(crate) fn dependency_secret(text: &str, dep: &crate::model::Dependency) -> Option<Span> {
    let version = dep.version.as_ref()?;
    // Credentials need an `@` in the value (a literal `@` of the raw text is one there too):
    // without it, nearly always, neither search below can find any.
    // A plain loop: values are short, and `contains` calls out to memchr for each.
    if !version.value.bytes().any(|b| b == b'@') {
        return None;
    }
    let inner = Span::new(version.span.start + 1, version.span.end.saturating_sub(1));
    let raw = text.get(inner.range())?;
    match crate::url::dependency_credentials_range(raw) {
        Some(range) if text.as_bytes().get(inner.start + range.end) == Some(&b'@') => Some(
            Span::new(inner.start + range.start, inner.start + range.end),
        ),
        _ => crate::url::dependency_credentials_range(&version.value).map(|_| inner),
    }
}

#[cfg(test)]
mod tests {
    use crate::{LintOptions, lint};

    #[test]
    fn secrets_are_spans_and_never_in_the_words_of_any_diagnostic() {
        // Not Git (no `.git`): `invalid-version` quotes the value and suggests a replacement.
        let text = r#"{"dependencies": {"com.example.e": "https://ci:SECRETecho5@github.com/o/e", "com.example.s": "git@github.com:o/s.git"}}"#;
        let analysis = lint(text, &LintOptions::default());
        let ids: Vec<&str> = analysis.diagnostics.iter().map(|d| d.rule.id).collect();
        assert!(ids.contains(&"git-url-credentials"), "{ids:?}");
        assert!(ids.contains(&"invalid-version"), "{ids:?}");
        let shown: Vec<&str> = analysis.secrets.iter().map(|s| &text[s.range()]).collect();
        assert_eq!(shown, ["ci:SECRETecho5"]);
        // Spelled with an escape, the whole URL is the secret (and masked).
        let text = r#"{"dependencies": {"com.example.e": "https://ci:SECRET\u0040git.example.com/e.git"}}"#;
        let analysis = lint(text, &LintOptions::default());
        let d = &analysis.diagnostics[0];
        assert_eq!(d.rule.id, "git-url-credentials");
        assert!(d.fix.is_none());
        assert_eq!(analysis.secrets, [d.span]);
        assert!(text[d.span.range()].contains("SECRET"));
        for d in &analysis.diagnostics {
            let words = std::iter::once(&d.message)
                .chain(&d.notes)
                .chain(d.labels.iter().map(|l| &l.message))
                .chain(d.fix.iter().map(|f| &f.title));
            for w in words {
                assert!(!w.contains("SECRET"), "{}: {w}", d.rule.id);
            }
        }
    }
}
