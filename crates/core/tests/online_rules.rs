//! The online rules, fed with hand-made facts (the probing itself is tested in crates/registry).

use std::collections::BTreeMap;

use manifest_lint_core::facts::{
    Credentials, NetworkFailure, OnlineFacts, PackageStatus, RegistryStatus, SearchSupport,
};
use manifest_lint_core::{LintOptions, lint};

const MANIFEST: &str = r#"{
  "dependencies": {
    "com.example.tools": "1.3.0",
    "com.example.gone": "1.0.0",
    "com.other.sdk": "2.0.0",
    "com.unity.ugui": "2.0.0"
  },
  "scopedRegistries": [
    { "name": "Example", "url": "https://npm.example.com", "scopes": ["com.example"] },
    { "name": "Other", "url": "https://npm.other.com/", "scopes": ["com.other"] }
  ]
}"#;

fn lint_with(facts: &OnlineFacts) -> Vec<(String, String)> {
    let options = LintOptions {
        facts: Some(facts),
        ..Default::default()
    };
    lint(MANIFEST, &options)
        .diagnostics
        .into_iter()
        .map(|d| {
            (
                d.rule.id.to_string(),
                d.message + " | " + &d.notes.join(" | "),
            )
        })
        .collect()
}

fn packages(
    url: &str,
    list: &[(&str, PackageStatus)],
) -> BTreeMap<String, BTreeMap<String, PackageStatus>> {
    let mut map = BTreeMap::new();
    map.insert(
        url.to_string(),
        list.iter()
            .map(|(n, s)| (n.to_string(), s.clone()))
            .collect(),
    );
    map
}

#[test]
fn offline_means_no_online_diagnostics() {
    let rules: Vec<_> = lint(MANIFEST, &LintOptions::default())
        .diagnostics
        .into_iter()
        .map(|d| d.rule.id)
        .collect();
    assert!(rules.is_empty(), "{rules:?}");
}

#[test]
fn package_and_version_not_found_name_the_registry_and_nearest_versions() {
    let mut facts = OnlineFacts::default();
    facts.registries.insert(
        "https://npm.example.com".into(),
        RegistryStatus::Reachable {
            search: SearchSupport::V1Search,
        },
    );
    facts.packages = packages(
        "https://npm.example.com",
        &[
            (
                "com.example.tools",
                PackageStatus::Found {
                    versions: vec![
                        "1.0.0".into(),
                        "1.2.0".into(),
                        "2.0.0-preview.1".into(),
                        "1.4.1".into(),
                    ],
                    latest: Some("1.4.1".into()),
                },
            ),
            ("com.example.gone", PackageStatus::NotFound),
        ],
    );
    let found = lint_with(&facts);
    let version = found
        .iter()
        .find(|(r, _)| r == "version-not-found")
        .expect("version-not-found");
    assert!(
        version.1.contains("`Example` has no version `1.3.0`")
            || version.1.contains("Example has no version `1.3.0`"),
        "{}",
        version.1
    );
    assert!(
        version.1.contains("`1.2.0`, `1.4.1`") && version.1.contains("latest: `1.4.1`"),
        "{}",
        version.1
    );
    let missing = found
        .iter()
        .find(|(r, _)| r == "package-not-found")
        .expect("package-not-found");
    assert!(
        missing.1.contains("com.example.gone") && missing.1.contains("https://npm.example.com"),
        "{}",
        missing.1
    );
    assert_eq!(found.len(), 2, "{found:?}");
}

#[test]
fn registry_level_findings() {
    let mut facts = OnlineFacts::default();
    facts.registries.insert(
        "https://npm.example.com".into(),
        RegistryStatus::Unreachable {
            failure: NetworkFailure::Timeout,
            detail: "no answer within 10 s".into(),
        },
    );
    facts.registries.insert(
        "https://npm.other.com/".into(),
        RegistryStatus::Unauthorized {
            status: 401,
            credentials: Credentials {
                sent_key: None,
                config_file: None,
                near_miss_key: Some("http://npm.other.com/".into()),
            },
        },
    );
    let found = lint_with(&facts);
    let unreachable = found
        .iter()
        .find(|(r, _)| r == "unreachable-registry")
        .expect("unreachable");
    assert!(
        unreachable.1.contains("did not answer in time") && unreachable.1.contains("10 s"),
        "{}",
        unreachable.1
    );
    let unauthorized = found
        .iter()
        .find(|(r, _)| r == "registry-unauthorized")
        .expect("unauthorized");
    assert!(
        unauthorized.1.contains("HTTP 401")
            && unauthorized
                .1
                .contains("[npmAuth.\"http://npm.other.com/\"] exists"),
        "{}",
        unauthorized.1
    );

    let mut facts = OnlineFacts::default();
    facts.registries.insert(
        "https://npm.other.com/".into(),
        RegistryStatus::Reachable {
            search: SearchSupport::None { status: Some(405) },
        },
    );
    let found = lint_with(&facts);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, "registry-not-searchable");
    assert!(found[0].1.contains("405"));
}

#[test]
fn probe_targets_group_packages_by_registry() {
    let analysis = lint(MANIFEST, &LintOptions::default());
    let targets = analysis.probe_targets();
    let summary: Vec<(&str, Vec<&str>)> = targets
        .iter()
        .map(|t| {
            (
                t.url.as_str(),
                t.packages.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                "https://npm.example.com",
                vec!["com.example.tools", "com.example.gone"]
            ),
            ("https://npm.other.com/", vec!["com.other.sdk"]),
            ("https://packages.unity.com", vec!["com.unity.ugui"]),
        ]
    );
}

#[test]
fn not_checked_registries_get_one_info_saying_why() {
    use manifest_lint_core::facts::SkipReason;
    let mut facts = OnlineFacts::default();
    facts.registries.insert(
        "https://npm.example.com".into(),
        RegistryStatus::NotChecked {
            reason: SkipReason::Untrusted,
            detail: "add it to manifestLint.trustedRegistries to trust it".into(),
        },
    );
    facts.registries.insert(
        "https://npm.other.com/".into(),
        RegistryStatus::NotChecked {
            reason: SkipReason::Deadline,
            detail: String::new(),
        },
    );
    let found = lint_with(&facts);
    let skipped: Vec<_> = found
        .iter()
        .filter(|(rule, _)| rule == "registry-not-checked")
        .collect();
    assert_eq!(skipped.len(), 2, "{found:?}");
    assert!(
        skipped[0].1.contains("https://npm.example.com")
            && skipped[0].1.contains("not trusted it")
            && skipped[0].1.contains("manifestLint.trustedRegistries"),
        "{skipped:?}"
    );
    assert!(skipped[1].1.contains("deadline"), "{skipped:?}");
    // Not checked is no claim: no other online rule fires for those registries.
    assert!(
        found
            .iter()
            .all(|(rule, _)| rule == "registry-not-checked" || rule == "unscoped-dependency"),
        "{found:?}"
    );
    let diags = lint(
        MANIFEST,
        &LintOptions {
            facts: Some(&facts),
            ..Default::default()
        },
    )
    .diagnostics;
    assert!(
        diags
            .iter()
            .filter(|d| d.rule.id == "registry-not-checked")
            .all(|d| d.severity == manifest_lint_core::Severity::Info)
    );
}
