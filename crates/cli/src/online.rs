//! `check --online`: the registry probes, run on a small runtime of their own. The core stays
//! free of I/O; this module turns a first (offline) lint's probe targets into facts for the
//! real one.

use std::time::Duration;

use manifest_lint_core::{LintOptions, OnlineFacts, lint_bytes};
use manifest_lint_registry::upmconfig::UpmConfig;
use manifest_lint_registry::{ProbeOptions, Prober};

/// The environment variable that turns online checks on like `--online` (`1`, `true`, `yes`, `on`).
pub(crate) const ENV_VAR: &str = "MANIFEST_LINT_ONLINE";

/// Whether [`ENV_VAR`] asks for online checks. Unset, empty, `0`, `false`, `no` and `off` do
/// not; any other value is warned about and does not either.
pub(crate) fn from_env() -> bool {
    let Some(value) = std::env::var_os(ENV_VAR) else {
        return false;
    };
    let value = value.to_string_lossy().trim().to_ascii_lowercase();
    match value.as_str() {
        "1" | "true" | "yes" | "on" => true,
        "" | "0" | "false" | "no" | "off" => false,
        _ => {
            crate::warn(format!(
                "{ENV_VAR}=`{value}` is not 1 or 0; online checks stay off"
            ));
            false
        }
    }
}

pub(crate) struct Online {
    runtime: Option<tokio::runtime::Runtime>,
    prober: Option<Prober>,
}

impl Online {
    /// Reads `.upmconfig.toml` (problems in it are reported, and probing goes on without the
    /// unusable parts) and sets up the HTTP client. On failure, says why once and probes nothing.
    pub(crate) fn new(timeout: Duration) -> Self {
        let (config, problems) = UpmConfig::from_env();
        for problem in problems {
            crate::warn(format!(
                "{problem} (registry credentials from it are not used)"
            ));
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| {
                crate::error(format!(
                    "online checks are off: cannot start the runtime: {e}"
                ))
            })
            .ok();
        let prober = Prober::new(
            ProbeOptions {
                timeout,
                // One deadline for the whole run, long enough for one slow request.
                run_deadline: ProbeOptions::default().run_deadline.max(timeout * 2),
                ..Default::default()
            },
            config,
        )
        .map_err(|e| crate::error(format!("online checks are off: {e}")))
        .ok();
        Self { runtime, prober }
    }

    /// What the registries say about the registries and dependencies of this manifest.
    pub(crate) fn facts(&self, bytes: &[u8], options: &LintOptions<'_>) -> OnlineFacts {
        let (Some(runtime), Some(prober)) = (&self.runtime, &self.prober) else {
            return OnlineFacts::default();
        };
        let (_, analysis) = lint_bytes(bytes, options);
        if !analysis.parsed {
            return OnlineFacts::default();
        }
        // In a project, what Unity never fetches (embedded, built-in) is not asked about.
        let targets = match options.project {
            Some(project) => analysis.probe_targets_in(project),
            None => analysis.probe_targets(),
        };
        runtime.block_on(prober.probe(&targets))
    }
}
