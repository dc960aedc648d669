use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a `package.json` whose `version` is not a SemVer version
    /// (`major.minor.patch`, with an optional `-prerelease` and `+build`): `1.8`, `v1.2.3`,
    /// `1.2.3.4`, an empty string.
    ///
    /// ## Why is this bad?
    /// `version` is required and "must respect Semantic Versioning": a registry refuses to
    /// publish the package, and Unity cannot load it, nor resolve a dependency on it, when the
    /// version is not SemVer. `1.8` is the usual slip.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "name": "com.example.tools",
    ///   "version": "1.8"
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Write all three numbers: `1.8.0`. The fix drops a `v` prefix (certain), and offers to
    /// complete a version with fewer than three numbers (under `--unsafe-fixes`: only you know
    /// whether `1.8` meant `1.8.0`).
    pub static INVALID_PACKAGE_VERSION = {
        id: "invalid-package-version",
        severity: Error,
        summary: "A package `version` that is not SemVer (`1.8`)",
        files: Package,
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(version) = ctx.package.and_then(|p| p.version.as_ref()) else {
        return;
    };
    let v = version.value.as_str();
    if semver::Version::parse(v).is_ok() {
        return;
    }
    let replace = |with: &str| vec![Edit::replace(version.span, json_string(with))];
    let (message, fix) = if v.trim().is_empty() {
        ("The package's `version` is empty".to_string(), None)
    } else if let Some(rest) = v.strip_prefix(['v', 'V'])
        && semver::Version::parse(rest).is_ok()
    {
        (
            format!("`{v}` is not a SemVer version (no `v` prefix)"),
            Some(Fix::safe(format!("Use `{rest}`"), replace(rest))),
        )
    } else if let Some(completed) = completed(v) {
        (
            format!(
                "`{v}` is not a SemVer version: it needs major.minor.patch, such as `{completed}`"
            ),
            Some(Fix::unsafe_(
                format!("Use `{completed}`"),
                replace(&completed),
            )),
        )
    } else {
        let why = semver::Version::parse(v)
            .err()
            .map(|e| format!(": {e}"))
            .unwrap_or_default();
        (
            format!("`{v}` is not a SemVer version (major.minor.patch){why}"),
            None,
        )
    };
    let mut d = Diagnostic::new(&INVALID_PACKAGE_VERSION, version.span, message).with_note(
        "Unity cannot load a package, nor resolve a dependency on it, whose version is not SemVer",
    );
    if let Some(fix) = fix {
        d = d.with_fix(fix);
    }
    out.push(d);
}

/// `1` and `1.8` completed with zeros, when that is all they lack.
fn completed(v: &str) -> Option<String> {
    let parts: Vec<&str> = v.split('.').collect();
    let numeric = |p: &&str| {
        !p.is_empty()
            && p.bytes().all(|b| b.is_ascii_digit())
            && (p.len() == 1 || !p.starts_with('0'))
    };
    if parts.len() > 2 || !parts.iter().all(numeric) {
        return None;
    }
    let mut out = parts.join(".");
    for _ in parts.len()..3 {
        out.push_str(".0");
    }
    Some(out)
}
