//! Dependency values: an exact SemVer version, a `file:` path, or a Git URL of a form Unity
//! accepts.

/// What kind of dependency a (valid) value declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DependencySource {
    /// Resolved through a registry.
    Registry(semver::Version),
    /// A local folder or tarball.
    File,
    Git,
}

/// Why a value is not acceptable, with the corrected value where one is evident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionProblem {
    Empty,
    /// `exclude`: obsolete in current Unity versions.
    Exclude,
    /// A tag such as `latest` or `*`.
    Tag,
    /// An npm range (`^1.2.0`, `~1.2`, `>=1.0.0`, `1.x`); `exact` is the version it names, if any.
    Range {
        exact: Option<String>,
    },
    /// `v1.2.3`.
    LeadingV {
        exact: String,
    },
    NotSemver(String),
    FileEmpty,
    /// `git+git://`: the GIT protocol takes no `git+` prefix.
    GitPlusGit {
        fixed: String,
    },
    /// `?path=` names an absolute path (`c:\\repo\\sub`, `C:/repo/sub`); it must be relative
    /// to the repository root (`?path=/sub`).
    GitAbsolutePath {
        path: String,
    },
    /// An SCP-style (`git@host:user/repo`) or `ssh://` URL whose repository path does not end in
    /// `.git`, so Unity does not take it for Git.
    SshNotGit {
        suggestion: String,
    },
    /// `#revision` before `?path=`: Unity requires the path first.
    GitRevisionBeforePath {
        fixed: String,
    },
    /// A short commit hash; Unity needs all 40 hex digits.
    GitShortHash {
        hash: String,
    },
    /// An http(s) URL that Unity does not recognise as Git (no `.git`, no `git+`).
    HttpNotGit {
        suggestion: Option<String>,
    },
}

impl VersionProblem {
    /// Whether the value is meant as a Git URL, though Unity cannot use it as written.
    pub fn is_git(&self) -> bool {
        matches!(
            self,
            Self::GitRevisionBeforePath { .. }
                | Self::GitShortHash { .. }
                | Self::HttpNotGit { .. }
                | Self::GitPlusGit { .. }
                | Self::GitAbsolutePath { .. }
                | Self::SshNotGit { .. }
        )
    }
}

/// What [`classify`] says of a value, in one byte: what most rules need, computed once per
/// dependency (see `rules::Context::source_kinds`) instead of once per rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// `Ok(DependencySource::Registry(_))`.
    Registry,
    /// `Ok(DependencySource::File)`.
    File,
    /// `Ok(DependencySource::Git)`.
    Git,
    /// `Err(_)`: [`classify`] again for the problem (rare, so its strings are made only then).
    Invalid,
}

/// [`classify`] without its payload: a plain `MAJOR.MINOR.PATCH` (nearly every value) is
/// settled by one pass over its bytes, without building the version.
pub fn source_kind(value: &str) -> SourceKind {
    if is_plain_version(value) {
        return SourceKind::Registry;
    }
    match classify(value) {
        Ok(DependencySource::Registry(_)) => SourceKind::Registry,
        Ok(DependencySource::File) => SourceKind::File,
        Ok(DependencySource::Git) => SourceKind::Git,
        Err(_) => SourceKind::Invalid,
    }
}

/// Whether `value` is a plain `MAJOR.MINOR.PATCH` ([`plain_version`]), without building the
/// version: three runs of digits, none with a leading zero. A value long enough for a number to
/// overflow `u64` is left to [`plain_version`].
fn is_plain_version(value: &str) -> bool {
    // Up to 20 bytes, no run of three can overflow (the longest is 16 digits).
    if value.len() > 20 {
        return plain_version(value).is_some();
    }
    let mut dots = 0;
    let mut run = 0usize;
    let mut first = 0u8;
    for &b in value.as_bytes() {
        match b {
            b'0'..=b'9' => {
                if run == 1 && first == b'0' {
                    return false;
                }
                if run == 0 {
                    first = b;
                }
                run += 1;
            }
            b'.' if run > 0 && dots < 2 => {
                dots += 1;
                run = 0;
            }
            _ => return false,
        }
    }
    dots == 2 && run > 0
}

/// Classifies a dependency value.
pub fn classify(value: &str) -> Result<DependencySource, VersionProblem> {
    // Nearly every value is a plain `MAJOR.MINOR.PATCH`: one pass over its bytes, and none of
    // the prefix and URL checks below (no such value can match them).
    if let Some(version) = plain_version(value) {
        return Ok(DependencySource::Registry(version));
    }
    let v = value.trim();
    if v.is_empty() {
        return Err(VersionProblem::Empty);
    }
    if let Some(path) = value.strip_prefix("file:") {
        if path.trim().is_empty() {
            return Err(VersionProblem::FileEmpty);
        }
        return Ok(DependencySource::File);
    }
    if let Some(rest) = value.strip_prefix("git+git://") {
        return Err(VersionProblem::GitPlusGit {
            fixed: format!("git://{rest}"),
        });
    }
    if is_git(value) {
        return check_git(value).map(|()| DependencySource::Git);
    }
    if looks_ssh(value) {
        let repo_end = value.find(['?', '#']).unwrap_or(value.len());
        let (repo, rest) = value.split_at(repo_end);
        return Err(VersionProblem::SshNotGit {
            suggestion: format!("{}.git{rest}", repo.trim_end_matches('/')),
        });
    }
    if value.starts_with("http://") || value.starts_with("https://") {
        let repo_end = value.find(['?', '#']).unwrap_or(value.len());
        let (repo, rest) = value.split_at(repo_end);
        let repo = repo.trim_end_matches('/');
        let forge = ["github.com/", "gitlab.com/", "bitbucket.org/"]
            .iter()
            .any(|f| repo.contains(f));
        let suggestion = forge.then(|| format!("{repo}.git{rest}"));
        return Err(VersionProblem::HttpNotGit { suggestion });
    }
    if value == "exclude" {
        return Err(VersionProblem::Exclude);
    }
    if matches!(value, "latest" | "*" | "next" | "x") {
        return Err(VersionProblem::Tag);
    }
    if let Ok(version) = semver::Version::parse(value) {
        return Ok(DependencySource::Registry(version));
    }
    if let Some(rest) = value.strip_prefix(['v', 'V'])
        && semver::Version::parse(rest).is_ok()
    {
        return Err(VersionProblem::LeadingV {
            exact: rest.to_string(),
        });
    }
    if value.starts_with(['^', '~', '>', '<', '='])
        || value.contains("||")
        || value.contains(" - ")
        || value.split('.').any(|part| matches!(part, "x" | "X" | "*"))
    {
        let stripped = value.trim_start_matches(['^', '~', '>', '<', '=', ' ']);
        let exact = semver::Version::parse(stripped)
            .ok()
            .map(|_| stripped.to_string());
        return Err(VersionProblem::Range { exact });
    }
    Err(VersionProblem::NotSemver(
        match semver::Version::parse(value) {
            Err(err) => err.to_string(),
            Ok(_) => String::new(),
        },
    ))
}

/// `MAJOR.MINOR.PATCH` with neither pre-release nor build, exactly as `semver` accepts it (no
/// leading zero, each number within `u64`); `None` for anything else, which then takes the
/// general path.
fn plain_version(value: &str) -> Option<semver::Version> {
    let mut parts = [0u64; 3];
    let mut part = 0;
    let mut digits = 0;
    let mut leading_zero = false;
    for &b in value.as_bytes() {
        match b {
            b'0'..=b'9' => {
                if leading_zero {
                    return None;
                }
                leading_zero = digits == 0 && b == b'0';
                parts[part] = parts[part]
                    .checked_mul(10)?
                    .checked_add(u64::from(b - b'0'))?;
                digits += 1;
            }
            b'.' if digits > 0 && part < 2 => {
                part += 1;
                digits = 0;
                leading_zero = false;
            }
            _ => return None,
        }
    }
    (part == 2 && digits > 0).then(|| semver::Version::new(parts[0], parts[1], parts[2]))
}

/// Whether Unity treats the value as a Git dependency.
pub fn is_git(value: &str) -> bool {
    if value.starts_with("git+") || value.starts_with("git://") {
        return true;
    }
    let repo_end = value.find(['?', '#']).unwrap_or(value.len());
    let repo = &value[..repo_end];
    let scp = value.contains('@') && !value.contains("://") && value.contains(':');
    (repo.ends_with(".git") || repo.ends_with(".git/"))
        && (value.contains("://") || scp || value.starts_with("git@"))
}

/// The forward-slash form of a `file:` value written with (escaped) backslashes, which Unity
/// accepts on Windows only; `None` when it has none.
pub fn file_backslashes(value: &str) -> Option<String> {
    let path = value.strip_prefix("file:")?;
    path.contains('\\').then(|| value.replace('\\', "/"))
}

/// An `ssh://` URL, or SCP form `user@host:path` (no scheme, a colon after the host).
fn looks_ssh(value: &str) -> bool {
    if value.starts_with("ssh://") {
        return true;
    }
    let Some((user_host, path)) = value.split_once(':') else {
        return false;
    };
    let Some((user, host)) = user_host.split_once('@') else {
        return false;
    };
    !user.is_empty()
        && host.contains('.')
        && !path.is_empty()
        && !path.starts_with("//")
        && user_host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'@' | b'.' | b'-' | b'_'))
}

/// Whether a `?path=` value is an absolute file-system path rather than one relative to the
/// repository root: a drive letter (`c:\\x`, `C:/x`), a backslash or a UNC path.
fn absolute_git_path(path: &str) -> bool {
    let b = path.as_bytes();
    (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':')
        || path.starts_with("\\")
        || path.contains('\\')
}

fn check_git(value: &str) -> Result<(), VersionProblem> {
    let hash = value.find('#');
    let query = value.find('?');
    if let (Some(h), Some(q)) = (hash, query)
        && h < q
    {
        let repo = &value[..h];
        let revision = &value[h..q];
        let path = &value[q..];
        return Err(VersionProblem::GitRevisionBeforePath {
            fixed: format!("{repo}{path}{revision}"),
        });
    }
    if let Some(q) = query {
        let end = hash.filter(|&h| h > q).unwrap_or(value.len());
        let query = &value[q + 1..end];
        let path = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("path="))
            .unwrap_or("");
        if absolute_git_path(path) {
            return Err(VersionProblem::GitAbsolutePath {
                path: path.to_string(),
            });
        }
    }
    if let Some(h) = hash {
        let revision = &value[h + 1..];
        let hexish = (7..40).contains(&revision.len())
            && revision
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
            && revision.bytes().any(|b| (b'a'..=b'f').contains(&b))
            && revision.bytes().any(|b| b.is_ascii_digit());
        if hexish {
            return Err(VersionProblem::GitShortHash {
                hash: revision.to_string(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plain_version_check_agrees_with_the_parse() {
        let parts = [
            "",
            "0",
            "1",
            "01",
            "00",
            "10",
            "7",
            "99999999999999999999",
            "a",
            "-",
        ];
        let mut cases = vec![
            "1.2.3".to_string(),
            "18446744073709551615.0.0".to_string(),
            "18446744073709551616.0.0".to_string(),
            "1.2.3.4".to_string(),
        ];
        for a in parts {
            for b in parts {
                for c in parts {
                    cases.push(format!("{a}.{b}.{c}"));
                    cases.push(format!("{a}.{b}{c}"));
                    cases.push(format!("{a}{b}.{c}."));
                }
            }
        }
        for case in &cases {
            assert_eq!(
                is_plain_version(case),
                plain_version(case).is_some(),
                "{case:?}"
            );
        }
    }

    #[test]
    fn accepted_values() {
        for v in [
            "1.0.0",
            "1.0.1-preview.1",
            "2.3.1+build.5",
            "file:../x",
            "file:C:/x",
            "file:pkg.tgz",
            "https://github.com/user/repo.git",
            "https://github.com/user/repo.git?path=/sub/folder#v1.0.0",
            "https://github.com/meta-quest/Unity-UtilityPackages.git?path=com.meta.tutorial.framework#com.meta.tutorial.framework-1.0.2",
            "git+https://example.com/repo",
            "git+ssh://git@example.com/repo.git",
            "git://example.com/repo.git",
            "git@github.com:user/repo.git",
            "ssh://git@github.com/user/repo.git#0123456789abcdef0123456789abcdef01234567",
            "https://github.com/user/repo.git#release-2024",
            "https://github.com/user/repo.git#1234567",
            "file:..\\github\\pkg",
            "file:C:\\Users\\me\\pkg",
        ] {
            assert!(classify(v).is_ok(), "{v}: {:?}", classify(v));
        }
    }

    #[test]
    fn the_plain_version_fast_path_agrees_with_semver() {
        for v in [
            "1.0.0",
            "0.0.0",
            "10.20.30",
            "18446744073709551615.0.1",
            "18446744073709551616.0.1",
            "18446744073709551614.0.1",
            "99999999999999999999.0.1",
            "00000000000000000001.0.1",
            "123456789012345678901.0.1",
            "1.2.3.",
            "01.0.0",
            "1.00.0",
            "1.0.00",
            "1.0",
            "1.0.0.0",
            "1..0",
            ".1.0",
            "1.0.",
            "1.0.0-preview",
            "1.0.0+b",
            " 1.0.0",
            "",
            "1.2.3a",
        ] {
            let semver = semver::Version::parse(v)
                .ok()
                .filter(|s| s.pre.is_empty() && s.build.is_empty());
            assert_eq!(plain_version(v), semver, "{v}");
            assert_eq!(is_plain_version(v), semver.is_some(), "{v}");
        }
    }

    #[test]
    fn rejected_values() {
        use VersionProblem::*;
        let cases: Vec<(&str, VersionProblem)> = vec![
            ("", Empty),
            ("exclude", Exclude),
            ("latest", Tag),
            (
                "^1.2.0",
                Range {
                    exact: Some("1.2.0".into()),
                },
            ),
            ("~1.2", Range { exact: None }),
            (
                ">=1.0.0",
                Range {
                    exact: Some("1.0.0".into()),
                },
            ),
            ("1.x", Range { exact: None }),
            (
                "v1.2.3",
                LeadingV {
                    exact: "1.2.3".into(),
                },
            ),
            ("file:", FileEmpty),
            (
                "git+git://example.com/repo.git",
                GitPlusGit {
                    fixed: "git://example.com/repo.git".into(),
                },
            ),
            (
                "https://github.com/u/r.git?path=c:\\repo\\sub#v1",
                GitAbsolutePath {
                    path: "c:\\repo\\sub".into(),
                },
            ),
            (
                "https://github.com/u/r.git?path=C:/repo/sub",
                GitAbsolutePath {
                    path: "C:/repo/sub".into(),
                },
            ),
            (
                "git@github.com:user/repo#v1",
                SshNotGit {
                    suggestion: "git@github.com:user/repo.git#v1".into(),
                },
            ),
            (
                "ssh://git@github.com/user/repo/",
                SshNotGit {
                    suggestion: "ssh://git@github.com/user/repo.git".into(),
                },
            ),
            (
                "https://github.com/u/r.git#v1?path=/a",
                GitRevisionBeforePath {
                    fixed: "https://github.com/u/r.git?path=/a#v1".into(),
                },
            ),
            (
                "https://github.com/u/r.git#a1b2c3d",
                GitShortHash {
                    hash: "a1b2c3d".into(),
                },
            ),
            (
                "https://github.com/u/r?path=/p",
                HttpNotGit {
                    suggestion: Some("https://github.com/u/r.git?path=/p".into()),
                },
            ),
        ];
        for (value, problem) in cases {
            assert_eq!(classify(value), Err(problem), "{value}");
        }
        assert!(matches!(classify("1.0"), Err(NotSemver(_))));
        assert!(matches!(classify("01.0.0"), Err(NotSemver(_))));
        assert_eq!(file_backslashes("file:..\\x").as_deref(), Some("file:../x"));
        assert_eq!(file_backslashes("file:../x"), None);
        assert!(classify("https://github.com/u/r.git?path=/sub#v1").is_ok());
    }
}
