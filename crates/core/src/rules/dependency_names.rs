use super::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a dependency name that Unity rejects: npm's `@scope/name` form, uppercase
    /// letters, characters outside `a-z 0-9 . _ -`, a leading `.`, `_` or `-`, a trailing or
    /// doubled dot, an empty name, or more than 214 characters. In a `package.json` it checks
    /// the package's own `name` as well as its dependencies' names.
    ///
    /// ## Why is this bad?
    /// Unity refuses such names outright (`Package name '@rotorz/unity3d-reorderable-list' is
    /// invalid.`), and with them the whole resolution. Package names are lowercase reverse-domain
    /// names such as `com.company.package`.
    ///
    /// ## Example
    /// ```json
    /// "dependencies": {
    ///   "@company/tools": "1.0.0",
    ///   "Com.Company.Tools": "1.0.0"
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Use the package's real Unity name, as written in its `package.json` `name` field. For
    /// uppercase names the fix offers the lowercase form.
    pub static INVALID_PACKAGE_NAME = {
        id: "invalid-package-name",
        severity: Error,
        summary: "A package name Unity rejects (a dependency's, or a package's own)",
        files: Both,
        check: check,
    }
}

/// Why a package name is invalid, if it is.
pub(crate) fn problem(name: &str) -> Option<String> {
    if is_plainly_valid(name) {
        return None;
    }
    if name.is_empty() {
        return Some("The package name is empty".into());
    }
    if name.starts_with('@') {
        return Some(format!(
            "`{name}` uses npm's @scope/name form, which Unity rejects: Unity package names are reverse-domain names like `com.company.package`"
        ));
    }
    if name.len() > 214 {
        return Some(format!(
            "The package name is {} characters long; Unity allows at most 214",
            name.len()
        ));
    }
    if name.chars().any(char::is_uppercase) {
        return Some(format!(
            "`{name}` has uppercase letters; Unity package names are lowercase"
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-')))
    {
        let shown = if c.is_whitespace() {
            format!("U+{:04X} (white space)", c as u32)
        } else {
            format!("`{c}`")
        };
        return Some(format!(
            "`{name}` contains {shown}; package names allow only a-z, 0-9, `.`, `_` and `-`"
        ));
    }
    if name.starts_with(['.', '_', '-']) {
        return Some(format!(
            "`{name}` starts with `{}`, which package names cannot",
            &name[..1]
        ));
    }
    if name.ends_with('.') || name.contains("..") {
        return Some(format!(
            "`{name}` has an empty name segment (a trailing or doubled dot)"
        ));
    }
    None
}

/// What a byte may be in a plainly valid name: [`ALNUM`] (also a first byte), [`PART`] (`_`,
/// `-`, and the alphanumerics) or [`DOT`]; 0 for any other byte.
const NAME_BYTES: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = if b.is_ascii_lowercase() || b.is_ascii_digit() {
            ALNUM | PART
        } else if b == b'_' || b == b'-' {
            PART
        } else if b == b'.' {
            DOT
        } else {
            0
        };
        c += 1;
    }
    t
};
const PART: u8 = 1;
const DOT: u8 = 2;
const ALNUM: u8 = 4;

/// The common case in one pass over the bytes: `[a-z0-9]` first, then `[a-z0-9._-]`, no empty
/// segment, at most 214 bytes. One table look-up per byte.
fn is_plainly_valid(name: &str) -> bool {
    let b = name.as_bytes();
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
        return false;
    };
    if b.len() > 214 || NAME_BYTES[usize::from(first)] & ALNUM == 0 || last == b'.' {
        return false;
    }
    // `previous & class & DOT` is set only for a dot after a dot.
    let mut previous = 0u8;
    let mut bad = false;
    for &c in b {
        let class = NAME_BYTES[usize::from(c)];
        bad |= class == 0 || previous & class & DOT != 0;
        previous = class;
    }
    !bad
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    // A package.json's own name: the string value (not a key).
    if let Some(name) = ctx.package.and_then(|p| p.name.as_ref()) {
        report(
            name,
            out,
            "Unity cannot load a package whose name breaks its naming rules",
        );
    }
    for dep in ctx.manifest.dependencies() {
        report(&dep.name, out, "");
    }
}

fn report(name: &crate::model::Str, out: &mut Vec<Diagnostic>, note: &str) {
    let Some(message) = problem(&name.value) else {
        return;
    };
    let mut d = Diagnostic::new(&INVALID_PACKAGE_NAME, name.span, message);
    if !note.is_empty() {
        d = d.with_note(note);
    }
    let lowered = name.value.to_lowercase();
    if lowered != name.value && problem(&lowered).is_none() {
        d = d.with_fix(Fix::unsafe_(
            format!("Use `{lowered}`"),
            vec![Edit::replace(name.span, json_string(&lowered))],
        ));
    }
    out.push(d);
}
