//! Following a project's graph online: breadth-first, bounded, never asking for built-in,
//! embedded, local or Git packages, only registries the run may ask. A small server on
//! 127.0.0.1 counts the requests; the real Verdaccio serves published packuments.

mod common;

use common::{FakeServer, Reply, prober, verdaccio};
use manifest_lint_core::project::{
    self, Origin, PackageInput, PackumentStatus, ProjectInput, Source,
};
use manifest_lint_registry::UpmConfig;

fn packument(versions: &[(&str, &str)]) -> String {
    // versions: (version, dependencies JSON object)
    let body: Vec<String> = versions
        .iter()
        .map(|(v, deps)| format!(r#""{v}": {{"unity": "2021.3", "dependencies": {deps}}}"#))
        .collect();
    format!(
        r#"{{"versions": {{{}}}, "dist-tags": {{"latest": "{}"}}}}"#,
        body.join(","),
        versions.last().unwrap().0
    )
}

#[tokio::test]
async fn follows_dependencies_and_never_asks_for_builtin_or_embedded_packages() {
    let server = FakeServer::start(|r| match r.path() {
        "/com.acme.game" => Reply::Json(
            200,
            packument(&[(
                "1.0.0",
                r#"{"com.acme.lib": "1.1.0", "com.unity.modules.audio": "1.0.0", "com.acme.embedded": "1.0.0"}"#,
            )]),
        ),
        "/com.acme.lib" => Reply::Json(
            200,
            packument(&[("1.1.0", r#"{"com.partner.sdk": "2.0.0"}"#)]),
        ),
        "/com.partner.sdk" => Reply::Json(200, packument(&[("2.0.0", "{}")])),
        _ => Reply::Status(404),
    })
    .await;
    let url = server.url();
    let manifest = format!(
        r#"{{"scopedRegistries": [{{"name": "acme", "url": "{url}", "scopes": ["com.acme", "com.partner"]}}],
            "dependencies": {{"com.acme.game": "1.0.0", "com.unity.modules.ai": "1.0.0",
              "com.acme.embedded": "1.0.0", "com.acme.git": "https://example.invalid/acme/git.git"}}}}"#
    );
    let input = ProjectInput {
        manifest: &manifest,
        packages: vec![PackageInput {
            origin: Origin::Embedded {
                dir: "com.acme.embedded".into(),
            },
            path: "Packages/com.acme.embedded/package.json".into(),
            text: Ok(r#"{"name": "com.acme.embedded", "version": "1.0.0"}"#),
        }],
        ..Default::default()
    };
    let p = prober(UpmConfig::empty());
    let followed = p.follow(&input, &|_| true, 100).await;
    let mut paths: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.path().to_string())
        .collect();
    paths.sort();
    assert_eq!(
        paths,
        ["/com.acme.game", "/com.acme.lib", "/com.partner.sdk"]
    );
    assert_eq!(followed.asked, 3);
    assert!(followed.not_asked.is_empty(), "{:?}", followed.not_asked);

    let graph = project::resolve(&ProjectInput {
        packuments: Some(&followed.packuments),
        ..input
    });
    let sdk = graph.package("com.partner.sdk").unwrap();
    assert_eq!((sdk.version.as_str(), sdk.depth), ("2.0.0", 2));
    assert_eq!(sdk.requested_by, ["com.acme.lib"]);
    assert_eq!(
        graph.package("com.unity.modules.audio").unwrap().source,
        Source::Builtin
    );
    assert_eq!(
        graph.package("com.acme.embedded").unwrap().source,
        Source::Embedded
    );
}

#[tokio::test]
async fn the_cap_and_the_trust_bound_what_is_asked() {
    let server = FakeServer::start(|r| match r.path() {
        "/com.acme.a" => Reply::Json(200, packument(&[("1.0.0", r#"{"com.acme.b": "1.0.0"}"#)])),
        "/com.acme.b" => Reply::Json(200, packument(&[("1.0.0", r#"{"com.acme.c": "1.0.0"}"#)])),
        _ => Reply::Json(200, packument(&[("1.0.0", "{}")])),
    })
    .await;
    let url = server.url();
    let manifest = format!(
        r#"{{"scopedRegistries": [{{"name": "acme", "url": "{url}", "scopes": ["com.acme"]}},
             {{"name": "other", "url": "https://untrusted.example.invalid", "scopes": ["com.other"]}}],
            "dependencies": {{"com.acme.a": "1.0.0", "com.other.x": "1.0.0"}}}}"#
    );
    let input = ProjectInput {
        manifest: &manifest,
        ..Default::default()
    };
    let p = prober(UpmConfig::empty());
    let trusted = |u: &str| u == url;
    let followed = p.follow(&input, &trusted, 2).await;
    assert_eq!(server.count(), 2, "{:?}", server.requests());
    assert_eq!(followed.asked, 2);
    let said = followed.not_asked.join("\n");
    assert!(said.contains("1 packuments past the cap of 2"), "{said}");
    assert!(
        said.contains("https://untrusted.example.invalid: not a registry this run may ask"),
        "{said}"
    );
    assert!(matches!(
        followed.packuments.registries[&url]["com.acme.b"],
        PackumentStatus::Found(_)
    ));
}

#[test]
fn verdaccio_serves_dependencies_and_the_unity_field() {
    let v = verdaccio();
    let s = &v.server;
    s.publish_with(&v.token, "com.graph.base", "1.0.0", "latest", &[], "2020.3");
    s.publish_with(
        &v.token,
        "com.graph.app",
        "2.0.0",
        "latest",
        &[("com.graph.base", "1.0.0")],
        "2022.3",
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let manifest = format!(
        r#"{{"scopedRegistries": [{{"name": "v", "url": "{}", "scopes": ["com.graph"]}}],
            "dependencies": {{"com.graph.app": "2.0.0"}}}}"#,
        s.url
    );
    let input = ProjectInput {
        manifest: &manifest,
        ..Default::default()
    };
    let p = prober(UpmConfig::empty());
    let followed = runtime.block_on(p.follow(&input, &|_| true, 10));
    let PackumentStatus::Found(app) = &followed.packuments.registries[&s.url]["com.graph.app"]
    else {
        panic!("{followed:?}")
    };
    let info = &app.versions["2.0.0"];
    assert_eq!(info.unity.as_deref(), Some("2022.3"));
    assert_eq!(
        info.dependencies,
        [("com.graph.base".to_string(), "1.0.0".to_string())]
    );
    assert_eq!(app.latest.as_deref(), Some("2.0.0"));
    let graph = project::resolve(&ProjectInput {
        packuments: Some(&followed.packuments),
        ..input
    });
    let base = graph.package("com.graph.base").unwrap();
    assert_eq!((base.version.as_str(), base.depth), ("1.0.0", 1));
    assert!(graph.unknown.is_empty(), "{:?}", graph.unknown);
}
