use super::prelude::*;
use crate::package::{is_unity_version, split_unity_version};

declare_rule! {
    /// ## What it does
    /// Reports a `package.json` whose `unity` field is not `major.minor` (`2019.4`, `6000.0`),
    /// most often a full Editor version such as `2020.3.45f1`.
    ///
    /// ## Why is this bad?
    /// `unity` names the oldest Editor the package supports, as year (or `6000` for Unity 6)
    /// and minor only. The update and release (`45f1`) belong in `unityRelease`. Unity does not
    /// read a `unity` of another form as you meant it, and a package whose compatibility it
    /// cannot tell may be hidden from the Package Manager window or refused.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "name": "com.example.tools",
    ///   "version": "1.0.0",
    ///   "unity": "2020.3.45f1"
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Write `"unity": "2020.3"` and `"unityRelease": "45f1"`. The fix splits a full Editor
    /// version that way when the file has no `unityRelease` yet (or one that says the same).
    pub static INVALID_UNITY_VERSION = {
        id: "invalid-unity-version",
        severity: Error,
        summary: "A package `unity` that is not `YYYY.N` (`2020.3.45f1`)",
        files: Package,
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(package) = ctx.package else { return };
    let Some(unity) = &package.unity else { return };
    let v = unity.value.as_str();
    if is_unity_version(v) {
        return;
    }
    let Some((major_minor, release)) = split_unity_version(v) else {
        out.push(
            Diagnostic::new(
                &INVALID_UNITY_VERSION,
                unity.span,
                format!("`{v}` is not a Unity version of the form `major.minor` (such as `2021.3` or `6000.0`)"),
            )
            .with_note("`unity` is the oldest Editor the package supports, year and minor only; the rest goes in `unityRelease`"),
        );
        return;
    };
    let mut d = Diagnostic::new(
        &INVALID_UNITY_VERSION,
        unity.span,
        format!(
            "`unity` takes `major.minor` only: `{major_minor}`; `{release}` belongs in `unityRelease`"
        ),
    );
    let existing = package.member("unityRelease");
    let mut edits = vec![Edit::replace(unity.span, json_string(major_minor))];
    match (existing, &package.unity_release) {
        (None, _) => {
            let Some(member) = package.member("unity") else {
                out.push(d);
                return;
            };
            edits.push(Edit::insert(
                member.span.end,
                format!(
                    ",{}\"unityRelease\": {}",
                    separator(ctx.text, member.key.span.start),
                    json_string(release)
                ),
            ));
        }
        (Some(_), Some(r)) if r.value == release => {}
        (Some(m), _) => {
            d = d.with_label(m.span, "`unityRelease` is already set and says otherwise");
            out.push(d);
            return;
        }
    }
    d = d.with_fix(Fix::safe(
        format!("Split into `\"unity\": \"{major_minor}\"` and `\"unityRelease\": \"{release}\"`"),
        edits,
    ));
    out.push(d);
}

/// What goes between a new member and the one before it: a line break and the indentation of
/// the key at `key_start` when it starts its line, else a space.
fn separator(text: &str, key_start: usize) -> String {
    let line_start = text[..key_start].rfind('\n').map_or(0, |i| i + 1);
    let indent = &text[line_start..key_start];
    if line_start > 0 && indent.bytes().all(|b| b == b' ' || b == b'\t') {
        format!("\n{indent}")
    } else {
        " ".to_string()
    }
}
