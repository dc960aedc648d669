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

/// The states of [`segments_valid`]'s scan: inside a segment, right after a dot, or failed;
/// each is its row's offset in [`NEXT_STATE`].
const IN_SEGMENT: u16 = 0;
const AFTER_DOT: u16 = 256;
const FAILED: u16 = 512;

/// The scan's next state by `state + byte` (masked to the table, so no bounds check): `a-z
/// 0-9 _ -` continue a segment, a dot ends one (two in a row fail), any other byte fails;
/// failing is final.
const NEXT_STATE: [u16; 1024] = {
    let mut t = [FAILED; 1024];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        if b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-' {
            t[IN_SEGMENT as usize + c] = IN_SEGMENT;
            t[AFTER_DOT as usize + c] = IN_SEGMENT;
        } else if b == b'.' {
            t[IN_SEGMENT as usize + c] = AFTER_DOT;
        }
        c += 1;
    }
    t
};

/// Whether `bytes` are only `a-z 0-9 . _ -` with no two dots in a row, nor a dot first when
/// `leading_dot_fails` (one table look-up a byte).
pub(super) fn segments_valid(bytes: &[u8], leading_dot_fails: bool) -> bool {
    let mut state = if leading_dot_fails {
        AFTER_DOT
    } else {
        IN_SEGMENT
    };
    for &c in bytes {
        state = NEXT_STATE[(usize::from(state) + usize::from(c)) & 1023];
    }
    state != FAILED
}

/// The common case in one pass over the bytes: `[a-z0-9]` first, then `[a-z0-9._-]`, no empty
/// segment, at most 214 bytes.
fn is_plainly_valid(name: &str) -> bool {
    let b = name.as_bytes();
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
        return false;
    };
    b.len() <= 214
        && (first.is_ascii_lowercase() || first.is_ascii_digit())
        && last != b'.'
        && segments_valid(b, false)
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

#[cfg(test)]
mod fast_path_tests {
    /// The byte-by-byte rules the tables encode, written out plainly.
    fn reference(s: &[u8], name: bool) -> bool {
        let Some(&last) = s.last() else {
            return false;
        };
        if last == b'.'
            || (name && (s.len() > 214 || !(s[0].is_ascii_lowercase() || s[0].is_ascii_digit())))
        {
            return false;
        }
        let mut previous_dot = !name;
        for &c in s {
            match c {
                b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-' => previous_dot = false,
                b'.' if !previous_dot => previous_dot = true,
                _ => return false,
            }
        }
        true
    }

    #[test]
    fn the_tables_agree_with_the_rules_on_every_byte_pair_and_triple() {
        let bytes: Vec<u8> = (0..=255u8).collect();
        let interesting = b"a0._-Z@ /\x00\xff";
        let mut cases: Vec<Vec<u8>> = vec![Vec::new()];
        cases.extend(bytes.iter().map(|&b| vec![b]));
        for &a in &bytes {
            for &b in interesting {
                cases.push(vec![a, b]);
                cases.push(vec![b, a]);
                for &c in interesting {
                    cases.push(vec![a, b, c]);
                    cases.push(vec![c, b, a]);
                }
            }
        }
        cases.push(vec![b'a'; 214]);
        cases.push(vec![b'a'; 215]);
        for case in &cases {
            let Ok(s) = std::str::from_utf8(case) else {
                continue;
            };
            assert_eq!(super::is_plainly_valid(s), reference(case, true), "{s:?}");
            assert_eq!(
                super::super::invalid_scope::is_plainly_valid(s),
                reference(case, false),
                "{s:?}"
            );
        }
    }
}
