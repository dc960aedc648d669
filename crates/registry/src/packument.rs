//! Packuments for the project graph: `GET <url>/<name>` read in full (each version's
//! `dependencies`, `unity` and `unityRelease`, and `dist-tags.latest`), and [`Prober::follow`],
//! which walks a project's graph online breadth-first, asking each registry package's registry
//! for its packument, never for built-in, embedded, local or Git packages.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::sync::Arc;

use manifest_lint_core::project::{
    self, Packument, PackumentStatus, Packuments, ProjectInput, Source, VersionInfo,
};
use serde::Deserialize;
use serde::de::{MapAccess, Visitor};
use tokio::task::JoinSet;

use crate::guard::Run;
use crate::{PackageStatus, Prober};

/// `Accept` for full packuments: the abbreviated npm form leaves out `unity` and `unityRelease`.
const ACCEPT_FULL: &str = "application/json";

/// What [`Prober::follow`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Followed {
    /// Every answer, by registry URL and package name.
    pub packuments: Packuments,
    /// Packuments requested (one per package and registry).
    pub asked: usize,
    /// What was not asked, in words (past the cap, a registry the run may not ask).
    pub not_asked: Vec<String>,
}

impl Prober {
    /// The packument of `name` on the registry at `url`, in full. Cached by `(url, name)` like
    /// [`Prober::package_status`], under the same guards, caps and deadline.
    pub async fn packument(&self, url: &str, name: &str) -> PackumentStatus {
        self.packument_in(url, name, &self.new_run()).await
    }

    async fn packument_in(&self, url: &str, name: &str, run: &Run) -> PackumentStatus {
        self.inner
            .packuments
            .get_or_compute_if(
                (url.to_string(), name.to_string()),
                || self.fetch_packument(url, name, run),
                |status| !matches!(status, PackumentStatus::Unknown(d) if d.starts_with("not checked")),
            )
            .await
    }

    async fn fetch_packument(&self, url: &str, name: &str, run: &Run) -> PackumentStatus {
        let answer = match self.get_packument(url, name, ACCEPT_FULL, run).await {
            Ok(answer) => answer,
            Err(status) => return from_status(status),
        };
        if answer.status.is_success() {
            match parse_full(&answer.body) {
                Ok(p) => PackumentStatus::Found(p),
                Err(e) => {
                    PackumentStatus::Unknown(format!("the packument is not usable JSON: {e}"))
                }
            }
        } else {
            from_status(self.packument_failure(url, &answer))
        }
    }

    /// Follows the project's graph online: resolves it, asks the registry of every registry
    /// package not asked yet for its packument (all of one round at once, bounded by the
    /// prober's parallelism), resolves again with the answers, and so on until nothing new is
    /// needed, `max_packages` packuments were asked, or the run's deadline or request cap ends
    /// it. `may_ask` says which registry URLs this run may ask (the user's trust); URLs that do
    /// not parse as registries or carry credentials are never asked.
    pub async fn follow(
        &self,
        input: &ProjectInput<'_>,
        may_ask: &(dyn Fn(&str) -> bool + Sync),
        max_packages: usize,
    ) -> Followed {
        let run = self.new_run();
        let mut followed = Followed::default();
        let mut refused: std::collections::BTreeSet<String> = Default::default();
        loop {
            let graph = {
                let mut input = input.clone();
                input.packuments = Some(&followed.packuments);
                project::resolve(&input)
            };
            let mut wanted: Vec<(String, String)> = Vec::new();
            let mut seen: HashSet<(&str, &str)> = HashSet::new();
            for p in &graph.packages {
                let (Source::Registry, Some(url)) = (p.source, &p.registry) else {
                    continue;
                };
                let known = followed
                    .packuments
                    .registries
                    .get(url)
                    .is_some_and(|m| m.contains_key(&p.name));
                if known || !seen.insert((url.as_str(), p.name.as_str())) {
                    continue;
                }
                let usable = manifest_lint_core::url::parse_registry_url(url).is_ok()
                    && manifest_lint_core::url::userinfo_range(url).is_none();
                if !usable || !may_ask(url) {
                    refused.insert(manifest_lint_core::url::redact(url));
                    continue;
                }
                wanted.push((url.clone(), p.name.clone()));
            }
            if wanted.is_empty() {
                break;
            }
            let room = max_packages.saturating_sub(followed.asked);
            if wanted.len() > room {
                followed.not_asked.push(format!(
                    "{} packuments past the cap of {max_packages}",
                    wanted.len() - room
                ));
                wanted.truncate(room);
            }
            if wanted.is_empty() {
                break;
            }
            followed.asked += wanted.len();
            let mut tasks = JoinSet::new();
            for (url, name) in wanted {
                let me = self.clone();
                let run = Arc::clone(&run);
                tasks.spawn(async move {
                    let status = me.packument_in(&url, &name, &run).await;
                    (url, name, status)
                });
            }
            while let Some(joined) = tasks.join_next().await {
                if let Ok((url, name, status)) = joined {
                    followed
                        .packuments
                        .registries
                        .entry(url)
                        .or_default()
                        .insert(name, status);
                }
            }
        }
        for url in refused {
            followed
                .not_asked
                .push(format!("{url}: not a registry this run may ask"));
        }
        followed
    }
}

fn from_status(status: PackageStatus) -> PackumentStatus {
    match status {
        PackageStatus::NotFound => PackumentStatus::NotFound,
        PackageStatus::Unknown { detail } => PackumentStatus::Unknown(detail),
        // Not produced by failures; kept total.
        PackageStatus::Found { .. } => PackumentStatus::Unknown("unexpected answer".into()),
    }
}

/// Reads `versions` (each version's `dependencies`, `unity`, `unityRelease`) and
/// `dist-tags.latest`. A version whose value is not an object, or whose fields are of another
/// type, is kept with what it has (a registry's mistake must not hide the others).
pub(crate) fn parse_full(body: &[u8]) -> Result<Packument, String> {
    #[derive(Deserialize)]
    struct Raw {
        #[serde(default)]
        versions: Option<BTreeMap<String, serde_json::Value>>,
        #[serde(default, rename = "dist-tags")]
        dist_tags: Option<BTreeMap<String, serde_json::Value>>,
    }
    let raw: Raw = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let latest = raw.dist_tags.and_then(|tags| {
        tags.get("latest")
            .and_then(|v| v.as_str().map(String::from))
    });
    let versions = raw
        .versions
        .unwrap_or_default()
        .into_iter()
        .map(|(version, value)| {
            let text = |key: &str| value.get(key).and_then(|v| v.as_str()).map(String::from);
            let dependencies = value
                .get("dependencies")
                .and_then(|d| serde_json::from_value::<Pairs>(d.clone()).ok())
                .map(|p| p.0)
                .unwrap_or_default();
            let info = VersionInfo {
                dependencies,
                unity: text("unity"),
                unity_release: text("unityRelease"),
            };
            (version, info)
        })
        .collect();
    Ok(Packument { versions, latest })
}

/// An object's string members in document order (others skipped).
struct Pairs(Vec<(String, String)>);

impl<'de> Deserialize<'de> for Pairs {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Pairs;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of dependencies")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut pairs = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, serde_json::Value>()? {
                    if let serde_json::Value::String(v) = value {
                        pairs.push((key, v));
                    }
                }
                Ok(Pairs(pairs))
            }
        }
        deserializer.deserialize_map(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_packuments() {
        let p = parse_full(
            br#"{"name":"com.a","dist-tags":{"latest":"1.1.0"},"versions":{
              "1.0.0":{"unity":"2021.3","unityRelease":"20f1","dependencies":{"com.b":"1.0.0","com.c":2}},
              "1.1.0":{"dependencies":null,"unity":2022},
              "1.2.0":"junk"}}"#,
        )
        .unwrap();
        assert_eq!(p.latest.as_deref(), Some("1.1.0"));
        let v = &p.versions["1.0.0"];
        assert_eq!(
            v.dependencies,
            vec![("com.b".to_string(), "1.0.0".to_string())]
        );
        assert_eq!(v.unity.as_deref(), Some("2021.3"));
        assert_eq!(v.unity_release.as_deref(), Some("20f1"));
        assert_eq!(p.versions["1.1.0"], VersionInfo::default());
        assert_eq!(p.versions["1.2.0"], VersionInfo::default());
        assert!(parse_full(b"<html>").is_err());
        assert!(parse_full(br#"{"versions":[]}"#).is_err());
        assert_eq!(parse_full(b"{}").unwrap(), Packument::default());
    }
}
