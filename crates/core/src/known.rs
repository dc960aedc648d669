//! What this project knows about Unity's registry that a manifest cannot say: small, documented
//! tables (see `docs/decisions.md`, "Who publishes on Unity's registry").

/// Name namespaces of other publishers whose packages Unity's registry serves (Meta's XR SDK,
/// Autodesk's FBX exporter, Havok Physics): a dependency under one of these needs no scope.
/// A namespace covers its own name and every name below it on a dot boundary.
pub const UNITY_REGISTRY_PUBLISHERS: &[&str] =
    &["com.autodesk.fbx", "com.havok.physics", "com.meta.xr"];

/// Packages that Unity publishes on its registry (a sample of the commonly used ones, sorted:
/// the names Unity recorded in the lock files of real projects, plus `com.unity.perception`).
/// Not complete: it only decides that a scope naming one of these is Unity's own even when a
/// lock file says another registry served it.
pub const UNITY_PACKAGES: &[&str] = &[
    "com.unity.2d.animation",
    "com.unity.2d.aseprite",
    "com.unity.2d.common",
    "com.unity.2d.path",
    "com.unity.2d.pixel-perfect",
    "com.unity.2d.psdimporter",
    "com.unity.2d.sprite",
    "com.unity.2d.spriteshape",
    "com.unity.2d.tilemap",
    "com.unity.2d.tilemap.extras",
    "com.unity.addressables",
    "com.unity.ads",
    "com.unity.ai.navigation",
    "com.unity.analytics",
    "com.unity.animation.rigging",
    "com.unity.bindings.openimageio",
    "com.unity.burst",
    "com.unity.cinemachine",
    "com.unity.cloud.draco",
    "com.unity.cloud.gltfast",
    "com.unity.collab-proxy",
    "com.unity.collections",
    "com.unity.connect.share",
    "com.unity.editorcoroutines",
    "com.unity.entities",
    "com.unity.entities.graphics",
    "com.unity.ext.nunit",
    "com.unity.feature.2d",
    "com.unity.feature.development",
    "com.unity.ide.rider",
    "com.unity.ide.visualstudio",
    "com.unity.ide.vscode",
    "com.unity.inputsystem",
    "com.unity.jobs",
    "com.unity.learn.iet-framework",
    "com.unity.learn.iet-framework.authoring",
    "com.unity.mathematics",
    "com.unity.memoryprofiler",
    "com.unity.meshopt.decompress",
    "com.unity.mobile.android-logcat",
    "com.unity.multiplayer-hlapi",
    "com.unity.multiplayer.center",
    "com.unity.multiplayer.playmode",
    "com.unity.multiplayer.tools",
    "com.unity.netcode.gameobjects",
    "com.unity.nuget.mono-cecil",
    "com.unity.nuget.newtonsoft-json",
    "com.unity.package-validation-suite",
    "com.unity.perception",
    "com.unity.performance.profile-analyzer",
    "com.unity.platforms",
    "com.unity.postprocessing",
    "com.unity.probuilder",
    "com.unity.profiling.core",
    "com.unity.properties",
    "com.unity.properties.ui",
    "com.unity.purchasing",
    "com.unity.recorder",
    "com.unity.render-pipelines.core",
    "com.unity.render-pipelines.high-definition",
    "com.unity.render-pipelines.high-definition-config",
    "com.unity.render-pipelines.universal",
    "com.unity.render-pipelines.universal-config",
    "com.unity.rendering.hybrid",
    "com.unity.rendering.light-transport",
    "com.unity.scriptablebuildpipeline",
    "com.unity.searcher",
    "com.unity.serialization",
    "com.unity.services.analytics",
    "com.unity.services.authentication",
    "com.unity.services.core",
    "com.unity.services.deployment",
    "com.unity.services.deployment.api",
    "com.unity.services.multiplayer",
    "com.unity.services.qos",
    "com.unity.services.wire",
    "com.unity.settings-manager",
    "com.unity.shadergraph",
    "com.unity.sharp-zip-lib",
    "com.unity.splines",
    "com.unity.subsystemregistration",
    "com.unity.sysroot",
    "com.unity.sysroot.linux-x86_64",
    "com.unity.test-framework",
    "com.unity.test-framework.performance",
    "com.unity.testtools.codecoverage",
    "com.unity.textmeshpro",
    "com.unity.timeline",
    "com.unity.toolchain.macos-arm64-linux-x86_64",
    "com.unity.toolchain.macos-x86_64-linux-x86_64",
    "com.unity.toolchain.win-x86_64-linux-x86_64",
    "com.unity.transport",
    "com.unity.ugui",
    "com.unity.vectorgraphics",
    "com.unity.visualeffectgraph",
    "com.unity.visualscripting",
    "com.unity.xr.arcore",
    "com.unity.xr.arfoundation",
    "com.unity.xr.arkit",
    "com.unity.xr.arkit-face-tracking",
    "com.unity.xr.arsubsystems",
    "com.unity.xr.compositionlayers",
    "com.unity.xr.core-utils",
    "com.unity.xr.hands",
    "com.unity.xr.interaction.toolkit",
    "com.unity.xr.interactionsubsystems",
    "com.unity.xr.legacyinputhelpers",
    "com.unity.xr.management",
    "com.unity.xr.meta-openxr",
    "com.unity.xr.mock-hmd",
    "com.unity.xr.oculus",
    "com.unity.xr.openxr",
    "com.unity.xr.windowsmr",
];

/// Community packages that use Unity's `com.unity.` prefix without Unity publishing them (Unity
/// UI Extensions is on npm and OpenUPM): a scope naming one of these overrides nothing of Unity's.
pub const COMMUNITY_UNITY_PREFIXED: &[&str] = &["com.unity.uiextensions"];

/// Whether `name` equals `namespace` or lies below it on a dot boundary (how scopes match).
pub fn covers(namespace: &str, name: &str) -> bool {
    name == namespace
        || (name.starts_with(namespace) && name.as_bytes().get(namespace.len()) == Some(&b'.'))
}

/// Whether Unity's registry serves `name` by what this project knows: Unity's own `com.unity.*`
/// names (built-in modules included) and the publishers of [`UNITY_REGISTRY_PUBLISHERS`].
pub fn served_by_unity(name: &str) -> bool {
    name.starts_with("com.unity.") || UNITY_REGISTRY_PUBLISHERS.iter().any(|p| covers(p, name))
}

/// Whether `name` is one of Unity's own packages in [`UNITY_PACKAGES`].
pub fn is_unity_package(name: &str) -> bool {
    UNITY_PACKAGES.binary_search(&name).is_ok()
}

/// Whether a registry URL is on a host Unity runs (`unity.com`, `unity3d.com` and their
/// subdomains: the public registry, its staging twin, Unity's internal Artifactory).
pub fn is_unity_host(url: &str) -> bool {
    let Ok(parsed) = url::Url::parse(url) else {
        return false;
    };
    let Some(host) = parsed.host_str() else {
        return false;
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    ["unity.com", "unity3d.com"]
        .iter()
        .any(|d| host == *d || host.ends_with(&format!(".{d}")))
}

/// Built-in modules that older Editors do not have: the module, and the newest release line
/// (year, minor) known to lack it. Only documented cases: `com.unity.modules.accessibility` is
/// missing on 2022.3 (`Package [com.unity.modules.accessibility@1.0.0] cannot be found`, seen
/// from real Editors), and modules are added, not removed, so every older Editor lacks it too.
pub const BUILTIN_MODULES_ABSENT_THROUGH: &[(&str, (u32, u32))] =
    &[("com.unity.modules.accessibility", (2022, 3))];

/// The newest release line known to lack the built-in module `name`, if there is one.
pub fn builtin_module_absent_through(name: &str) -> Option<(u32, u32)> {
    BUILTIN_MODULES_ABSENT_THROUGH
        .iter()
        .find(|(module, _)| *module == name)
        .map(|(_, through)| *through)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_and_unique() {
        assert!(UNITY_PACKAGES.windows(2).all(|w| w[0] < w[1]));
        assert!(is_unity_package("com.unity.textmeshpro"));
        assert!(!is_unity_package("com.unity.uiextensions"));
    }

    #[test]
    fn publishers_and_hosts() {
        assert!(served_by_unity("com.meta.xr.sdk.core"));
        assert!(served_by_unity("com.meta.xr"));
        assert!(!served_by_unity("com.meta.xrtools"));
        assert!(!served_by_unity("com.example.tools"));
        assert!(is_unity_host("https://packages.unity.com"));
        assert!(is_unity_host(
            "https://artifactory.prd.cds.internal.unity3d.com/artifactory/api/npm/upm-candidates"
        ));
        assert!(!is_unity_host("https://notunity.com"));
        assert!(!is_unity_host("https://unity.com.evil.example"));
        assert!(!is_unity_host("not a url"));
    }
}
