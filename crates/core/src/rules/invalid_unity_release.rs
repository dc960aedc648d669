use super::prelude::*;
use crate::package::is_unity_release;

declare_rule! {
    /// ## What it does
    /// Reports a `package.json` whose `unityRelease` is not `<update><release>` (`0b4`, `45f1`,
    /// `22f1c1`), such as a whole Editor version (`2020.3.45f1`) or a bare number (`45`), and a
    /// `unityRelease` without `unity`, which has no effect.
    ///
    /// ## Why is this bad?
    /// Together with `unity` it names the oldest Editor release the package supports. Unity
    /// cannot tell the package's compatibility from a malformed release, and ignores
    /// `unityRelease` altogether when `unity` is absent.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "name": "com.example.tools",
    ///   "version": "1.0.0",
    ///   "unity": "2020.3",
    ///   "unityRelease": "2020.3.45f1"
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Write the update number, the release letter (`a`, `b`, `f`, `p`) and its number:
    /// `"unityRelease": "45f1"`. The fix keeps that part of a full Editor version when its
    /// `major.minor` matches `unity`.
    pub static INVALID_UNITY_RELEASE = {
        id: "invalid-unity-release",
        severity: Error,
        summary: "A package `unityRelease` that is not `<update><release>` (`45f1`), or one without `unity`",
        files: Package,
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(package) = ctx.package else { return };
    let Some(release) = &package.unity_release else {
        return;
    };
    let v = release.value.as_str();
    if !is_unity_release(v) {
        let mut d = Diagnostic::new(
            &INVALID_UNITY_RELEASE,
            release.span,
            format!(
                "`{v}` is not a Unity release of the form `<update><release>`, such as `45f1` or `0b4`"
            ),
        );
        let unity = package.unity.as_ref().map(|u| u.value.as_str());
        if let (Some((major_minor, rest)), Some(unity)) =
            (crate::package::split_unity_version(v), unity)
            && major_minor == unity
        {
            d = d.with_fix(Fix::safe(
                format!("Use `{rest}`"),
                vec![Edit::replace(release.span, json_string(rest))],
            ));
        }
        out.push(d);
        return;
    }
    if package.member("unity").is_none() {
        out.push(
            Diagnostic::new(
                &INVALID_UNITY_RELEASE,
                release.span,
                "`unityRelease` has no effect without `unity`",
            )
            .with_severity(Severity::Warning)
            .with_note(
                "add `\"unity\": \"<major>.<minor>\"`, the oldest Editor the package supports",
            ),
        );
    }
}
