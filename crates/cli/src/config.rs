//! Which configuration applies to a manifest, and `--rule` overrides.
//!
//! Precedence, lowest first: each rule's default level, the configuration file (`--config PATH`,
//! else the `manifest-lint.toml` found by [`manifest_lint_core::config::find_config`] from the
//! manifest's folder up to the repository root; none with `--no-config`), then `--rule`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use manifest_lint_core::RuleLevel;
use manifest_lint_core::config::{Config, LEVEL_NAMES, parse_config, parse_level};

/// Parses `--rule ID=LEVEL`.
pub(crate) fn parse_rule_arg(arg: &str) -> Result<(String, RuleLevel), String> {
    let Some((id, level)) = arg.split_once('=') else {
        return Err(format!(
            "expected ID=LEVEL, e.g. glob-scope=warning (levels: {})",
            LEVEL_NAMES.join(", ")
        ));
    };
    let (id, level) = (id.trim(), level.trim());
    if manifest_lint_core::rule(id).is_none() {
        return Err(manifest_lint_core::config::unknown_rule_message(id));
    }
    let Some(level) = parse_level(level) else {
        return Err(format!(
            "`{level}` is not a level; use one of {}",
            LEVEL_NAMES.join(", ")
        ));
    };
    Ok((id.to_string(), level))
}

/// Configuration files read so far, by path, so that manifests sharing one read it once.
pub(crate) struct Configs {
    explicit: Option<PathBuf>,
    disabled: bool,
    overrides: Vec<(String, RuleLevel)>,
    cache: HashMap<PathBuf, Config>,
}

/// A configuration in force for one manifest.
pub(crate) struct Settings {
    /// The file's levels with `--rule` on top.
    pub levels: HashMap<String, RuleLevel>,
    /// The whole file (defaults without one); `online` is for the online checks.
    #[allow(dead_code)]
    pub config: Config,
}

impl Configs {
    pub(crate) fn new(
        explicit: Option<PathBuf>,
        disabled: bool,
        overrides: Vec<(String, RuleLevel)>,
    ) -> Self {
        Self {
            explicit,
            disabled,
            overrides,
            cache: HashMap::new(),
        }
    }

    /// The settings for the manifest at `manifest`; an error message for the user when the
    /// configuration file cannot be read or is invalid.
    pub(crate) fn for_manifest(&mut self, manifest: &Path) -> Result<Settings, String> {
        let path = if self.disabled {
            None
        } else if let Some(explicit) = &self.explicit {
            Some(explicit.clone())
        } else {
            discover(manifest)
        };
        let config = match &path {
            None => Config::default(),
            Some(path) => match self.cache.get(path) {
                Some(config) => config.clone(),
                None => {
                    let config = load(path)?;
                    self.cache.insert(path.clone(), config.clone());
                    config
                }
            },
        };
        let mut levels = config.levels();
        for (id, level) in &self.overrides {
            levels.insert(id.clone(), *level);
        }
        Ok(Settings { levels, config })
    }
}

/// The `manifest-lint.toml` that applies to the manifest at `manifest`, if any.
pub fn discover(manifest: &Path) -> Option<PathBuf> {
    let absolute = normalize(&std::path::absolute(manifest).ok()?);
    let dir = absolute.parent()?;
    let found = manifest_lint_core::config::find_config(dir, |p| p.exists())?;
    // Show it relative to the current folder when it is below it, like the manifests.
    let cwd = std::env::current_dir().ok();
    Some(
        cwd.and_then(|cwd| found.strip_prefix(&cwd).ok().map(Path::to_path_buf))
            .unwrap_or(found),
    )
}

/// Removes `.` and `..` components lexically (as a shell's `cd` does), so that the search for a
/// manifest given as `../Game/Packages/manifest.json` climbs through real parents.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Reads and parses one configuration file.
pub fn load(path: &Path) -> Result<Config, String> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            std::io::ErrorKind::InvalidData => "it is not UTF-8".to_string(),
            _ => e.to_string(),
        };
        format!("cannot read the configuration `{}`: {why}", path.display())
    })?;
    parse_config(&text).map_err(|e| format!("invalid configuration `{}`: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalized_lexically() {
        assert_eq!(
            normalize(Path::new("/a/b/../x/./Packages/manifest.json")),
            PathBuf::from("/a/x/Packages/manifest.json")
        );
    }

    #[test]
    fn rule_arguments() {
        assert_eq!(
            parse_rule_arg("glob-scope=off"),
            Ok(("glob-scope".to_string(), RuleLevel::Off))
        );
        assert!(
            parse_rule_arg("glob-scope=warn")
                .unwrap_err()
                .contains("not a level")
        );
        assert!(
            parse_rule_arg("nope=off")
                .unwrap_err()
                .contains("no rule `nope`")
        );
    }
}
