use super::prelude::*;
use crate::facts::{RegistryStatus, SkipReason};

declare_rule! {
    /// ## What it does
    /// With online checks on, tells which registry was *not* checked, and why: the language
    /// server asks only registries you trust (Unity's, OpenUPM, those with an `npmAuth` entry
    /// in your `.upmconfig.toml`, and those in your editor's `manifestLint.trustedRegistries`
    /// setting), never internal addresses you have not allowed; and a run stops asking at its
    /// overall deadline, at its cap on requests, or when this machine runs out of sockets.
    ///
    /// ## Why is this bad?
    /// It is not: it is information. A manifest you cloned may name any URL, and probing it
    /// would tell that server you opened the project, or reach into your network. Without this
    /// note, "no online error" could be mistaken for "the registry is fine".
    ///
    /// ## Example
    /// ```json
    /// { "name": "Someone's", "url": "https://npm.unknown.example", "scopes": ["com.someone"] }
    /// ```
    ///
    /// ## How to fix
    /// If you trust the registry, add its URL to `manifestLint.trustedRegistries` in your
    /// editor's *user* settings (VS Code: the quick fix "Trust this registry"), or give it an
    /// `npmAuth` entry in `~/.upmconfig.toml`. For a run that hit its limits, run again or check
    /// fewer manifests at once.
    pub static REGISTRY_NOT_CHECKED = {
        id: "registry-not-checked",
        severity: Info,
        summary: "A registry that online checks skipped (untrusted, internal address, or the run's limits)",
        online: true,
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(facts) = ctx.facts else { return };
    let mut seen = Vec::new();
    for url in ctx.registry_urls() {
        let Some(RegistryStatus::NotChecked { reason, detail }) = facts.registry(&url.value) else {
            continue;
        };
        // One diagnostic per URL, however often the manifest names it.
        if seen.contains(&url.value.as_str()) {
            continue;
        }
        seen.push(url.value.as_str());
        let shown = crate::url::redact(&url.value);
        let why = match reason {
            SkipReason::Untrusted => "you have not trusted it",
            SkipReason::InternalAddress => {
                "its address is internal (loopback, private or link-local) and not allowed"
            }
            SkipReason::Deadline => "the run's deadline passed first",
            SkipReason::RequestCap => "the run's cap on requests was reached first",
            SkipReason::LocalResources => "this machine ran out of sockets or file descriptors",
        };
        let mut d = Diagnostic::new(
            &REGISTRY_NOT_CHECKED,
            url.span,
            format!("Online checks skipped registry `{shown}`: {why}"),
        );
        if !detail.is_empty() {
            d = d.with_note(detail.clone());
        }
        out.push(d);
    }
}
