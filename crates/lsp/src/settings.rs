//! The server's settings: `{ online, registryTimeout, inlayHints, rules, trustedRegistries,
//! probeAll, trustRegistryCommand }`, read from `initializationOptions` and from
//! `workspace/configuration` (section `manifestLint`): the editor's own configuration, never a
//! file of the project (the VS Code extension sends only the *user* value of the trust settings).
//!
//! Clients send all sorts of shapes: the bare object, the object wrapped in `{"manifestLint": ..}`,
//! an empty object, `null`, or values of the wrong type. Anything missing, `null` or unusable
//! means "not set here", and a setting set nowhere has its default. Layers apply in order:
//! defaults, then `initializationOptions`, then the latest `workspace/configuration` answer.

use std::collections::HashMap;
use std::time::Duration;

use manifest_lint_core::{RuleLevel, Severity};
use serde_json::Value;

/// The configuration section the server asks for.
pub const SECTION: &str = "manifestLint";

/// Default of `registryTimeout`, in seconds.
pub const DEFAULT_TIMEOUT_SECS: u64 = manifest_lint_core::config::DEFAULT_ONLINE_TIMEOUT_SECS;

/// The settings in force.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Probe registries in the background (`online`, default true).
    pub online: bool,
    /// Bound on each registry request (`registryTimeout`, seconds, default 10).
    pub registry_timeout: Duration,
    /// Show the registry each dependency resolves to after its value, and the project's problems
    /// at it (`inlayHints`, default true).
    pub inlay_hints: bool,
    /// Per-rule levels (`rules`: id -> "error" | "warning" | "info" | "hint" | "off").
    pub rules: HashMap<String, RuleLevel>,
    /// Registries the user trusts besides Unity's, OpenUPM and those with an `npmAuth` entry
    /// (`trustedRegistries`: URL prefixes or origins). Their hosts may also be internal
    /// addresses.
    pub trusted_registries: Vec<String>,
    /// Ask every registry of the manifest, trusted or not (`probeAll`, default false; the VS
    /// Code extension sets it only in a trusted workspace, when the user opted in). Internal
    /// addresses stay blocked unless trusted.
    pub probe_all: bool,
    /// The client runs `manifestLint.trustRegistry` (`trustRegistryCommand`, default false):
    /// then a skipped registry gets a code action that runs it.
    pub trust_command: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            online: true,
            registry_timeout: Duration::from_secs(DEFAULT_TIMEOUT_SECS),
            inlay_hints: true,
            rules: HashMap::new(),
            trusted_registries: Vec::new(),
            probe_all: false,
            trust_command: false,
        }
    }
}

/// The settings one source gave; `None` for each one it did not (usably) give.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Partial {
    pub online: Option<bool>,
    pub registry_timeout: Option<Duration>,
    pub inlay_hints: Option<bool>,
    pub rules: Option<HashMap<String, RuleLevel>>,
    pub trusted_registries: Option<Vec<String>>,
    pub probe_all: Option<bool>,
    pub trust_command: Option<bool>,
}

impl Partial {
    /// Reads a settings object. Accepts the bare object and `{"manifestLint": {...}}`; anything
    /// that is not an object gives no settings. Problems (a value of the wrong type, an unknown
    /// rule level) are described in `warnings` and the value is ignored.
    pub fn from_value(value: &Value, warnings: &mut Vec<String>) -> Partial {
        let object = match value {
            Value::Object(map) => match map.get(SECTION) {
                Some(Value::Object(inner)) => inner,
                Some(Value::Null) => return Partial::default(),
                Some(_) => {
                    warnings.push(format!("`{SECTION}` should be an object; ignored"));
                    return Partial::default();
                }
                None => map,
            },
            _ => return Partial::default(),
        };
        let mut out = Partial::default();
        let mut boolean = |key: &str| match object.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(other) => {
                warnings.push(format!(
                    "`{key}` should be true or false, not {other}; ignored"
                ));
                None
            }
        };
        out.online = boolean("online");
        out.inlay_hints = boolean("inlayHints");
        out.probe_all = boolean("probeAll");
        out.trust_command = boolean("trustRegistryCommand");
        out.trusted_registries = match object.get("trustedRegistries") {
            None | Some(Value::Null) => None,
            Some(Value::Array(items)) => {
                let mut list = Vec::new();
                for item in items {
                    match item.as_str().map(str::trim) {
                        Some(url) if crate::trust::parse_entry(url).is_some() => {
                            list.push(url.to_string());
                        }
                        _ => warnings.push(format!(
                            "`trustedRegistries`: {item} is not an absolute http(s) URL; ignored"
                        )),
                    }
                }
                Some(list)
            }
            Some(other) => {
                warnings.push(format!(
                    "`trustedRegistries` should be a list of registry URLs, not {other}; ignored"
                ));
                None
            }
        };
        out.registry_timeout = match object.get("registryTimeout") {
            None | Some(Value::Null) => None,
            Some(value) => {
                let timeout = value
                    .as_f64()
                    .and_then(manifest_lint_core::config::timeout_from_secs);
                if timeout.is_none() {
                    warnings.push(format!(
                        "`registryTimeout`: {}; ignored",
                        manifest_lint_core::config::invalid_timeout(&format!("`{value}`"))
                    ));
                }
                timeout
            }
        };
        out.rules = match object.get("rules") {
            None | Some(Value::Null) => None,
            Some(Value::Object(rules)) => {
                let mut levels = HashMap::new();
                for (id, level) in rules {
                    if manifest_lint_core::rule(id).is_none() {
                        warnings.push(format!("`rules`: there is no rule `{id}`; ignored"));
                        continue;
                    }
                    match level.as_str().and_then(parse_level) {
                        Some(level) => {
                            levels.insert(id.clone(), level);
                        }
                        None if level.is_null() => {}
                        None => warnings.push(format!(
                            "`rules.{id}`: expected \"error\", \"warning\", \"info\", \"hint\" or \"off\", not {level}; ignored"
                        )),
                    }
                }
                Some(levels)
            }
            // An empty Lua table reaches us as `[]`: no overrides.
            Some(Value::Array(a)) if a.is_empty() => Some(HashMap::new()),
            Some(other) => {
                warnings.push(format!(
                    "`rules` should be an object of rule id to level, not {other}; ignored"
                ));
                None
            }
        };
        out
    }
}

fn parse_level(text: &str) -> Option<RuleLevel> {
    if text == "off" {
        return Some(RuleLevel::Off);
    }
    Severity::parse(text).map(RuleLevel::On)
}

impl Settings {
    /// These settings with the ones `layer` gives replacing them.
    pub fn with(&self, layer: &Partial) -> Settings {
        Settings {
            online: layer.online.unwrap_or(self.online),
            registry_timeout: layer.registry_timeout.unwrap_or(self.registry_timeout),
            inlay_hints: layer.inlay_hints.unwrap_or(self.inlay_hints),
            rules: layer.rules.clone().unwrap_or_else(|| self.rules.clone()),
            trusted_registries: layer
                .trusted_registries
                .clone()
                .unwrap_or_else(|| self.trusted_registries.clone()),
            probe_all: layer.probe_all.unwrap_or(self.probe_all),
            trust_command: layer.trust_command.unwrap_or(self.trust_command),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(value: Value) -> (Settings, Vec<String>) {
        let mut warnings = Vec::new();
        let partial = Partial::from_value(&value, &mut warnings);
        (Settings::default().with(&partial), warnings)
    }

    #[test]
    fn missing_null_and_empty_mean_defaults() {
        for value in [
            Value::Null,
            json!({}),
            json!({"manifestLint": null}),
            json!({"online": null, "rules": null}),
            json!([]),
            json!("x"),
        ] {
            assert_eq!(read(value.clone()).0, Settings::default(), "{value}");
        }
    }

    #[test]
    fn bare_and_wrapped_shapes() {
        let bare = json!({"online": false, "registryTimeout": 2.5, "inlayHints": false,
                          "rules": {"redundant-scope": "off", "glob-scope": "warning"}});
        let wrapped = json!({ "manifestLint": bare.clone() });
        for value in [bare, wrapped] {
            let (s, warnings) = read(value);
            assert!(warnings.is_empty(), "{warnings:?}");
            assert!(!s.online && !s.inlay_hints);
            assert_eq!(s.registry_timeout, Duration::from_millis(2500));
            assert_eq!(s.rules["redundant-scope"], RuleLevel::Off);
            assert_eq!(s.rules["glob-scope"], RuleLevel::On(Severity::Warning));
        }
    }

    #[test]
    fn wrong_values_are_ignored_with_a_warning() {
        let (s, warnings) = read(json!({"online": "no", "registryTimeout": -1,
            "rules": {"glob-scope": "loud", "no-such-rule": "off", "redundant-scope": "hint"}}));
        assert!(s.online);
        assert_eq!(s.registry_timeout, Duration::from_secs(10));
        assert_eq!(s.rules.len(), 1);
        assert_eq!(warnings.len(), 4, "{warnings:?}");
    }

    #[test]
    fn registry_timeout_has_the_cli_and_configuration_bound() {
        let (s, warnings) = read(json!({"registryTimeout": 3600}));
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(s.registry_timeout, Duration::from_secs(3600));
        let (s, warnings) = read(json!({"registryTimeout": 3601}));
        assert_eq!(
            s.registry_timeout,
            Duration::from_secs(DEFAULT_TIMEOUT_SECS)
        );
        assert_eq!(
            warnings,
            vec![format!(
                "`registryTimeout`: {}; ignored",
                manifest_lint_core::config::invalid_timeout("`3601`")
            )]
        );
        assert_eq!(
            manifest_lint_core::config::parse_timeout("3601").unwrap_err(),
            manifest_lint_core::config::invalid_timeout("`3601`")
        );
    }

    #[test]
    fn trust_settings() {
        let (s, warnings) = read(json!({"trustedRegistries": ["https://npm.example.com/", 3,
            "ftp://x", " http://127.0.0.1:4873 "], "probeAll": true, "trustRegistryCommand": true}));
        assert_eq!(
            s.trusted_registries,
            ["https://npm.example.com/", "http://127.0.0.1:4873"]
        );
        assert!(s.probe_all && s.trust_command);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        let (s, warnings) = read(json!({"trustedRegistries": "https://x.example"}));
        assert!(s.trusted_registries.is_empty() && !s.probe_all && !s.trust_command);
        assert_eq!(warnings.len(), 1);
    }

    #[test]
    fn later_layers_override_only_what_they_set() {
        let mut w = Vec::new();
        let init = Partial::from_value(&json!({"online": false, "inlayHints": false}), &mut w);
        let pulled = Partial::from_value(&json!({"inlayHints": true}), &mut w);
        let s = Settings::default().with(&init).with(&pulled);
        assert!(!s.online);
        assert!(s.inlay_hints);
    }
}
