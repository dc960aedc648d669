//! `manifest-lint rules` and `manifest-lint explain`.

use std::io::Write;

use manifest_lint_core::{RULES, rule};

use crate::{EXIT_OK, EXIT_USAGE, ListFormat};

pub(crate) fn list(format: ListFormat) -> u8 {
    let mut out = std::io::stdout().lock();
    let result = match format {
        ListFormat::Human => (|| {
            let width = RULES.iter().map(|r| r.id.len()).max().unwrap_or(0);
            for r in RULES {
                let online = if r.online { " (online)" } else { "" };
                writeln!(
                    out,
                    "{:width$}  {:7}  {}{online}{}",
                    r.id,
                    r.default_severity.as_str(),
                    r.summary,
                    r.files.marker()
                )?;
            }
            Ok(())
        })(),
        ListFormat::Json => {
            let rules: Vec<_> = RULES
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id,
                        "severity": r.default_severity.as_str(),
                        "summary": r.summary,
                        "online": r.online,
                        "files": files(r.files),
                        "url": r.url(),
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &rules)
                .map_err(std::io::Error::from)
                .and_then(|()| writeln!(out))
        }
    };
    let result = result.and_then(|()| out.flush());
    crate::finish_output(result, EXIT_OK)
}

pub(crate) fn explain(id: &str) -> u8 {
    let Some(r) = rule(id) else {
        let hint = manifest_lint_core::rules::did_you_mean(id, RULES.iter().map(|r| r.id))
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_else(|| "; `manifest-lint rules` lists them".to_string());
        crate::error(format!("no rule `{id}`{hint}"));
        return EXIT_USAGE;
    };
    let online = if r.online {
        " Runs only with online checks on."
    } else {
        ""
    };
    let mut out = std::io::stdout().lock();
    let result = writeln!(
        out,
        "# {} ({} by default)\n\n{}.{online} Looks at {}.\n\n{}\n",
        r.id,
        r.default_severity,
        r.summary,
        r.files.label(),
        r.documentation()
    )
    .and_then(|()| out.flush());
    crate::finish_output(result, EXIT_OK)
}

/// The files a rule looks at, for `rules --format json`.
fn files(files: manifest_lint_core::Files) -> &'static [&'static str] {
    match files {
        manifest_lint_core::Files::Manifest => &["manifest.json"],
        manifest_lint_core::Files::Package => &["package.json"],
        manifest_lint_core::Files::Both => &["manifest.json", "package.json"],
    }
}
