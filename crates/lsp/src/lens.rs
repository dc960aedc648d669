//! `textDocument/codeLens`: above each scoped registry, how many dependencies it serves; above
//! `dependencies`, how many go to each registry. From the core's resolution model, on request
//! only (never on a keystroke). The lenses carry a title and no command to run.

use manifest_lint_core::{Encoding, Span};
use tower_lsp_server::ls_types::{CodeLens, Command};

use crate::document::View;
use crate::lookup;

fn dependencies(n: usize) -> String {
    format!("{n} dependenc{}", if n == 1 { "y" } else { "ies" })
}

fn lens(view: &View<'_>, at: usize, title: String, encoding: Encoding) -> Option<CodeLens> {
    Some(CodeLens {
        range: view.range(Span::new(at, at), encoding)?,
        command: Some(Command {
            title,
            command: String::new(),
            arguments: None,
        }),
        data: None,
    })
}

pub fn code_lenses(view: &View<'_>, encoding: Encoding) -> Vec<CodeLens> {
    let analysis = &view.snap.analysis;
    let manifest = &analysis.manifest;
    let registries = manifest.registries();
    // Per registry (by position in `registries`), then the default registry, local and Git.
    let mut served = vec![0usize; registries.len()];
    let (mut default, mut local, mut git) = (0, 0, 0);
    for dep in manifest.dependencies() {
        match lookup::non_registry_source(dep) {
            Some("local") => local += 1,
            Some(_) => git += 1,
            None => match analysis.resolve(&dep.name.value).winner {
                Some(w) => served[w.registry] += 1,
                None => default += 1,
            },
        }
    }
    let mut out = Vec::new();
    for (registry, &n) in registries.iter().zip(&served) {
        let title = match n {
            0 => "no dependency uses this registry".to_string(),
            n => format!("serves {}", dependencies(n)),
        };
        out.extend(lens(view, registry.span.start, title, encoding));
    }
    if let (Some(deps), Some(member)) = (&manifest.dependencies, manifest.member("dependencies")) {
        if member.value_span == deps.span {
            let default_name = match &manifest.registry {
                Some(r) if !r.value.trim().is_empty() => manifest_lint_core::url::redact(&r.value),
                _ => "Unity's registry".to_string(),
            };
            let mut parts: Vec<String> = Vec::new();
            if default > 0 {
                parts.push(format!("{default} from {default_name}"));
            }
            for (registry, &n) in registries.iter().zip(&served) {
                if n > 0 {
                    parts.push(format!("{n} from {}", registry.display_name()));
                }
            }
            if local > 0 {
                parts.push(format!("{local} local"));
            }
            if git > 0 {
                parts.push(format!("{git} from Git"));
            }
            let title = if parts.is_empty() {
                "no dependency".to_string()
            } else {
                format!("{}: {}", dependencies(deps.entries.len()), parts.join(", "))
            };
            out.extend(lens(view, member.span.start, title, encoding));
        }
    }
    out
}
