//! `textDocument/documentLink`: in a manifest, registry URLs, Git dependencies (to the
//! repository's web page on GitHub, GitLab and Bitbucket) and `file:` dependencies (to the
//! package's `package.json`, or the tarball); in `manifest-lint.toml`, each rule id (to its
//! documentation). A URL that carries credentials is never linked.
//!
//! The server keeps the text of open `manifest-lint.toml` documents for this (and nothing else
//! reads them: the project's configuration is read from disk, see `project.rs`).

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::str::FromStr;

use manifest_lint_core::config::CONFIG_FILE_NAME;
use manifest_lint_core::version::{DependencySource, classify};
use manifest_lint_core::{Encoding, LineIndex, Span};
use ropey::Rope;
use tower_lsp_server::ls_types::{self as lsp, DocumentLink, TextDocumentContentChangeEvent, Uri};

use crate::document::{View, char_index};

/// Whether a document is a `manifest-lint.toml`.
pub fn is_config(uri: &Uri) -> bool {
    let path = uri.path().as_str();
    path == CONFIG_FILE_NAME || path.ends_with(&format!("/{CONFIG_FILE_NAME}"))
}

/// The open `manifest-lint.toml` documents.
#[derive(Debug, Default)]
pub struct ConfigDocs {
    docs: HashMap<Uri, Rope>,
}

impl ConfigDocs {
    pub fn open(&mut self, uri: Uri, text: &str) {
        self.docs.insert(uri, Rope::from_str(text));
    }

    /// Applies a `didChange`; whether `uri` is one of these documents.
    pub fn change(
        &mut self,
        uri: &Uri,
        changes: &[TextDocumentContentChangeEvent],
        encoding: Encoding,
    ) -> bool {
        let Some(rope) = self.docs.get_mut(uri) else {
            return false;
        };
        for change in changes {
            match change.range {
                None => *rope = Rope::from_str(&change.text),
                Some(range) => {
                    let a = char_index(rope, range.start, encoding);
                    let b = char_index(rope, range.end, encoding);
                    let (a, b) = (a.min(b), a.max(b));
                    rope.remove(a..b);
                    rope.insert(a, &change.text);
                }
            }
        }
        true
    }

    pub fn close(&mut self, uri: &Uri) {
        self.docs.remove(uri);
    }

    /// The links of an open configuration document: each rule id of `[rules]`.
    pub fn links(&self, uri: &Uri, encoding: Encoding) -> Option<Vec<DocumentLink>> {
        let text = String::from(self.docs.get(uri)?);
        let index = LineIndex::new(&text);
        let range = |span: Span| {
            let p = |o| {
                let p = index.position(&text, o, encoding);
                lsp::Position::new(p.line, p.column)
            };
            lsp::Range::new(p(span.start), p(span.end))
        };
        Some(
            manifest_lint_core::config::rule_keys(&text)
                .into_iter()
                .filter_map(|(id, span)| {
                    let rule = manifest_lint_core::rule(&id)?;
                    Some(DocumentLink {
                        range: range(span),
                        target: Uri::from_str(&rule.url()).ok(),
                        tooltip: Some(format!("The documentation of `{id}`")),
                        data: None,
                    })
                })
                .collect(),
        )
    }
}

/// The links of a manifest.
pub fn manifest_links(view: &View<'_>, uri: &Uri, encoding: Encoding) -> Vec<DocumentLink> {
    let manifest = &view.snap.analysis.manifest;
    let mut out = Vec::new();
    let mut push = |span: Span, target: String, tooltip: &str| {
        // The string's content, without its quotes.
        let inner = Span::new(
            span.start + 1,
            span.end.saturating_sub(1).max(span.start + 1),
        );
        let (Some(range), Ok(target)) = (view.range(inner, encoding), Uri::from_str(&target))
        else {
            return;
        };
        out.push(DocumentLink {
            range,
            target: Some(target),
            tooltip: Some(tooltip.to_string()),
            data: None,
        });
    };
    let urls = manifest
        .registries()
        .iter()
        .filter_map(|r| r.url.as_ref())
        .chain(manifest.registry.as_ref());
    for url in urls {
        let raw = &url.value;
        if manifest_lint_core::url::parse_registry_url(raw).is_ok()
            && manifest_lint_core::url::userinfo_range(raw).is_none()
        {
            push(url.span, raw.as_str().to_owned(), "Open the registry");
        }
    }
    let packages =
        crate::project::manifest_path(uri).and_then(|p| p.parent().map(Path::to_path_buf));
    for dep in manifest.dependencies() {
        let Some(value) = &dep.version else { continue };
        match classify(&value.value) {
            Ok(DependencySource::Git) => {
                if let Some(page) = git_web_page(&value.value) {
                    push(value.span, page, "Open the repository's page");
                }
            }
            Ok(DependencySource::File) => {
                let Some(packages) = &packages else { continue };
                let Some(file) = local_target(packages, &value.value) else {
                    continue;
                };
                if let Some(target) = Uri::from_file_path(&file) {
                    let tooltip = if file.ends_with("package.json") {
                        "Open the package's package.json"
                    } else {
                        "Open the tarball"
                    };
                    push(value.span, target.as_str().to_string(), tooltip);
                }
            }
            _ => {}
        }
    }
    out
}

/// The web page of a Git dependency's repository on a host whose pages are known: `git+`,
/// user names, `.git`, `?path=` and `#revision` are dropped, the SCP form (`git@host:path`)
/// becomes `https://host/path`. `None` for other hosts, and for URLs with credentials.
pub fn git_web_page(value: &str) -> Option<String> {
    let v = value.strip_prefix("git+").unwrap_or(value);
    let v = &v[..v.find(['?', '#']).unwrap_or(v.len())];
    let (host, path) = match v.split_once("://") {
        Some((scheme, rest)) => {
            if !matches!(scheme, "https" | "http" | "ssh" | "git") {
                return None;
            }
            let (authority, path) = rest.split_once('/')?;
            let host = match authority.rsplit_once('@') {
                // Over http(s) a user name is a credential; over SSH it is the account (`git`).
                Some((user, host)) => {
                    if user.contains(':') || scheme.starts_with("http") {
                        return None;
                    }
                    host
                }
                None => authority,
            };
            (host.split(':').next()?, path)
        }
        None => {
            let (user_host, path) = v.split_once(':')?;
            let (user, host) = user_host.rsplit_once('@')?;
            if user.is_empty() || path.starts_with("//") {
                return None;
            }
            (host, path)
        }
    };
    let host = host.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    if !matches!(host, "github.com" | "gitlab.com" | "bitbucket.org") {
        return None;
    }
    let path = path.trim_matches('/');
    let path = path
        .strip_suffix(".git")
        .unwrap_or(path)
        .trim_end_matches('/');
    let safe = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | '~');
    if !path.contains('/') || !path.chars().all(safe) || path.contains("..") {
        return None;
    }
    Some(format!("https://{host}/{path}"))
}

/// The file a `file:` dependency points at, from the `Packages` folder: the folder's
/// `package.json`, or the tarball itself.
pub fn local_target(packages: &Path, value: &str) -> Option<PathBuf> {
    let raw = value.strip_prefix("file:")?.trim();
    if raw.is_empty() {
        return None;
    }
    let given = Path::new(raw);
    let joined = if given.is_absolute() {
        given.to_path_buf()
    } else {
        packages.join(given)
    };
    // `..` resolved in the path's text, as Unity reads it (symbolic links are not followed).
    let mut path = PathBuf::new();
    for part in joined.components() {
        match part {
            Component::ParentDir => {
                path.pop();
            }
            Component::CurDir => {}
            other => path.push(other),
        }
    }
    let lower = raw.to_ascii_lowercase();
    if lower.ends_with(".tgz") || lower.ends_with(".tar.gz") {
        Some(path)
    } else {
        Some(path.join("package.json"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_pages_on_known_hosts() {
        let cases = [
            (
                "https://github.com/keijiro/Klak.git",
                Some("https://github.com/keijiro/Klak"),
            ),
            (
                "git+https://github.com/o/r.git?path=/Packages/x#v1.2.0",
                Some("https://github.com/o/r"),
            ),
            (
                "git@github.com:o/r.git#0123456789abcdef0123456789abcdef01234567",
                Some("https://github.com/o/r"),
            ),
            (
                "git+ssh://git@gitlab.com/group/sub/r.git",
                Some("https://gitlab.com/group/sub/r"),
            ),
            (
                "ssh://git@bitbucket.org:22/o/r.git",
                Some("https://bitbucket.org/o/r"),
            ),
            ("git://github.com/o/r.git", Some("https://github.com/o/r")),
            ("https://git.example.com/o/r.git", None),
            ("https://user:token@github.com/o/r.git", None),
            ("https://token@github.com/o/r.git", None),
            ("git+file:///home/me/r.git", None),
            ("https://github.com/r.git", None),
        ];
        for (value, page) in cases {
            assert_eq!(git_web_page(value).as_deref(), page, "{value}");
        }
    }

    #[test]
    fn local_targets_from_the_packages_folder() {
        let packages = Path::new("/game/Packages");
        assert_eq!(
            local_target(packages, "file:../../shared/pkg"),
            Some(PathBuf::from("/shared/pkg/package.json"))
        );
        assert_eq!(
            local_target(packages, "file:./Local.tgz"),
            Some(PathBuf::from("/game/Packages/Local.tgz"))
        );
        assert_eq!(
            local_target(packages, "file:/opt/pkg"),
            Some(PathBuf::from("/opt/pkg/package.json"))
        );
        assert_eq!(local_target(packages, "file:"), None);
    }
}
