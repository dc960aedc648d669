//! Writes a generated Unity project for the project benchmark (`bench/run.sh`):
//! `cargo run --release -p manifest-lint-core --example gen_project -- OUT_DIR [PACKAGES]`
//! (default 50 packages on disk).
//!
//! The project is shaped like a real one, with every number fixed so that any clone writes the
//! same bytes:
//! - `Packages/manifest.json`: a scoped registry (OpenUPM-like, three vendor scopes), 20 Unity
//!   registry packages, 12 scoped ones, 30 built-in modules, a `file:` dependency for each local
//!   package, a few direct dependencies that embedded packages override, `testables`;
//! - PACKAGES packages on disk: 70% embedded (`Packages/com.studio.<area>/package.json`), the rest
//!   local folders under `LocalPackages/` named by `file:../LocalPackages/<dir>`; each
//!   `package.json` has the keys real ones have (name, version, displayName, description, unity,
//!   unityRelease, dependencies on registry packages, other packages on disk and modules, keywords,
//!   author, samples);
//! - `Packages/packages-lock.json` as Unity writes it: every package installed, direct and
//!   transitive (registry packages with their dependency lists and url, built-ins, embedded,
//!   local), depth and source;
//! - `ProjectSettings/ProjectVersion.txt` (2022.3.20f1).
//!
//! Every version asked for is the one the lock records, so a correct resolver finds no problem;
//! the diagnostics `check` reports are the manifest's own few.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

const EDITOR: &str = "2022.3.20f1";
const UNITY_REGISTRY: &str = "https://packages.unity.com";
const SCOPED_REGISTRY: &str = "https://package.openupm.com";
const VENDORS: [&str; 3] = ["com.cysharp", "com.neuecc", "com.coffee"];

/// Modules, as in a default 2022.3 project.
const MODULES: [&str; 30] = [
    "ai",
    "androidjni",
    "animation",
    "assetbundle",
    "audio",
    "cloth",
    "director",
    "imageconversion",
    "imgui",
    "jsonserialize",
    "particlesystem",
    "physics",
    "physics2d",
    "screencapture",
    "terrain",
    "terrainphysics",
    "tilemap",
    "ui",
    "uielements",
    "umbra",
    "unityanalytics",
    "unitywebrequest",
    "unitywebrequestassetbundle",
    "unitywebrequestaudio",
    "unitywebrequesttexture",
    "unitywebrequestwww",
    "vehicles",
    "video",
    "vr",
    "wind",
];

const AREAS: [&str; 10] = [
    "core", "ui", "audio", "net", "save", "input", "ai", "fx", "tools", "data",
];

/// One installed package, for the lock.
struct Entry {
    version: String,
    depth: u32,
    source: &'static str,
    dependencies: Vec<(String, String)>,
    url: Option<&'static str>,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(out) = args.first() else {
        eprintln!("usage: gen_project OUT_DIR [PACKAGES]");
        std::process::exit(2);
    };
    let packages: usize = args
        .get(1)
        .map(|n| n.parse().expect("a whole number of packages"))
        .unwrap_or(50);
    write_project(Path::new(out), packages).expect("writing the project");
}

fn write_project(out: &Path, on_disk: usize) -> std::io::Result<()> {
    let mut lock: BTreeMap<String, Entry> = BTreeMap::new();

    // Registry packages: 40 from Unity's registry, 18 from the scoped one; each depends on a
    // few earlier ones (and on modules), so the graph has depth.
    let mut unity_pkgs = Vec::new();
    for i in 0..40 {
        unity_pkgs.push((
            format!("com.unity.pkg{i:02}"),
            format!("{}.{}.{}", 1 + i % 3, i % 7, i % 5),
        ));
    }
    let mut scoped_pkgs = Vec::new();
    for i in 0..18 {
        let vendor = VENDORS[i % VENDORS.len()];
        scoped_pkgs.push((
            format!("{vendor}.lib{i:02}"),
            format!("{}.{}.0", 2 + i % 2, i % 9),
        ));
    }
    let module = |i: usize| format!("com.unity.modules.{}", MODULES[i % MODULES.len()]);
    for (i, (name, version)) in unity_pkgs.iter().enumerate() {
        let mut deps = Vec::new();
        if i >= 2 {
            deps.push(unity_pkgs[i / 2 - 1].clone());
        }
        if i >= 5 && i % 3 == 0 {
            deps.push(unity_pkgs[i - 5].clone());
        }
        deps.push((module(i), "1.0.0".to_string()));
        lock.insert(
            name.clone(),
            Entry {
                version: version.clone(),
                depth: 0,
                source: "registry",
                dependencies: deps,
                url: Some(UNITY_REGISTRY),
            },
        );
    }
    for (i, (name, version)) in scoped_pkgs.iter().enumerate() {
        let mut deps = Vec::new();
        if i >= 3 {
            deps.push(scoped_pkgs[i - 3].clone());
        }
        deps.push(unity_pkgs[i % 10].clone());
        lock.insert(
            name.clone(),
            Entry {
                version: version.clone(),
                depth: 0,
                source: "registry",
                dependencies: deps,
                url: Some(SCOPED_REGISTRY),
            },
        );
    }
    for i in 0..MODULES.len() {
        lock.insert(
            module(i),
            Entry {
                version: "1.0.0".to_string(),
                depth: 0,
                source: "builtin",
                dependencies: Vec::new(),
                url: None,
            },
        );
    }

    // Packages on disk.
    let embedded_count = on_disk * 7 / 10;
    let mut disk: Vec<(String, String, bool)> = Vec::new(); // name, dir, embedded
    for i in 0..on_disk {
        let area = AREAS[i % AREAS.len()];
        let name = format!("com.studio.{area}{:02}", i / AREAS.len());
        disk.push((name.clone(), name, i < embedded_count));
    }
    for (i, (name, dir, embedded)) in disk.iter().enumerate() {
        let version = format!("{}.{}.{}", i % 4, i % 10, i % 3);
        let mut deps = vec![
            unity_pkgs[(i * 7) % unity_pkgs.len()].clone(),
            scoped_pkgs[(i * 5) % scoped_pkgs.len()].clone(),
            (module(i * 3), "1.0.0".to_string()),
        ];
        if i > 0 {
            // Another package on disk, asked for by the version it has.
            let j = (i * 13) % i;
            deps.push((disk[j].0.clone(), format!("{}.{}.{}", j % 4, j % 10, j % 3)));
        }
        let dir_path = if *embedded {
            out.join("Packages").join(dir)
        } else {
            out.join("LocalPackages").join(dir)
        };
        std::fs::create_dir_all(&dir_path)?;
        std::fs::write(
            dir_path.join("package.json"),
            package_json(name, &version, i, &deps),
        )?;
        lock.insert(
            name.clone(),
            Entry {
                version: if *embedded {
                    format!("file:{dir}")
                } else {
                    format!("file:../LocalPackages/{dir}")
                },
                depth: 0,
                source: if *embedded { "embedded" } else { "local" },
                dependencies: deps,
                url: None,
            },
        );
    }

    // The manifest's direct dependencies: depth 0 in the lock; the rest get depth 1 or more
    // (fewest levels from the root).
    let mut direct: Vec<(String, String)> = Vec::new();
    for (i, p) in unity_pkgs.iter().enumerate() {
        if i % 2 == 0 {
            direct.push(p.clone());
        }
    }
    for (i, p) in scoped_pkgs.iter().enumerate() {
        if i % 3 != 2 {
            direct.push(p.clone());
        }
    }
    for (name, dir, embedded) in &disk {
        if !embedded {
            direct.push((name.clone(), format!("file:../LocalPackages/{dir}")));
        }
    }
    // A few embedded packages are also in the manifest (the embedded copy wins, as in a
    // project that forked a registry package into Packages/).
    for (name, _, embedded) in disk.iter().take(on_disk.min(3)) {
        if *embedded {
            direct.push((name.clone(), "0.1.0".to_string()));
        }
    }
    for i in 0..MODULES.len() {
        direct.push((module(i), "1.0.0".to_string()));
    }
    direct.sort();
    depths(&mut lock, &direct, &disk);

    let mut manifest = String::from("{\n  \"dependencies\": {\n");
    for (i, (name, version)) in direct.iter().enumerate() {
        let comma = if i + 1 < direct.len() { "," } else { "" };
        writeln!(manifest, "    \"{name}\": \"{version}\"{comma}").unwrap();
    }
    manifest.push_str(
        "  },\n  \"scopedRegistries\": [\n    {\n      \"name\": \"package.openupm.com\",\n",
    );
    writeln!(manifest, "      \"url\": \"{SCOPED_REGISTRY}\",").unwrap();
    manifest.push_str("      \"scopes\": [\n");
    for (i, vendor) in VENDORS.iter().enumerate() {
        let comma = if i + 1 < VENDORS.len() { "," } else { "" };
        writeln!(manifest, "        \"{vendor}\"{comma}").unwrap();
    }
    manifest.push_str("      ]\n    }\n  ],\n  \"testables\": [\n");
    writeln!(
        manifest,
        "    \"{}\"",
        disk.first().map_or("com.unity.pkg00", |d| d.0.as_str())
    )
    .unwrap();
    manifest.push_str("  ]\n}\n");

    let mut lock_text = String::from("{\n  \"dependencies\": {\n");
    let count = lock.len();
    for (i, (name, e)) in lock.iter().enumerate() {
        writeln!(lock_text, "    \"{name}\": {{").unwrap();
        writeln!(lock_text, "      \"version\": \"{}\",", e.version).unwrap();
        writeln!(lock_text, "      \"depth\": {},", e.depth).unwrap();
        writeln!(lock_text, "      \"source\": \"{}\",", e.source).unwrap();
        if e.dependencies.is_empty() {
            lock_text.push_str("      \"dependencies\": {}");
        } else {
            lock_text.push_str("      \"dependencies\": {\n");
            for (j, (d, v)) in e.dependencies.iter().enumerate() {
                let comma = if j + 1 < e.dependencies.len() {
                    ","
                } else {
                    ""
                };
                writeln!(lock_text, "        \"{d}\": \"{v}\"{comma}").unwrap();
            }
            lock_text.push_str("      }");
        }
        match e.url {
            Some(url) => writeln!(lock_text, ",\n      \"url\": \"{url}\"").unwrap(),
            None => lock_text.push('\n'),
        }
        let comma = if i + 1 < count { "," } else { "" };
        writeln!(lock_text, "    }}{comma}").unwrap();
    }
    lock_text.push_str("  }\n}\n");

    let packages = out.join("Packages");
    std::fs::create_dir_all(&packages)?;
    std::fs::write(packages.join("manifest.json"), manifest)?;
    std::fs::write(packages.join("packages-lock.json"), lock_text)?;
    let settings = out.join("ProjectSettings");
    std::fs::create_dir_all(&settings)?;
    std::fs::write(
        settings.join("ProjectVersion.txt"),
        format!(
            "m_EditorVersion: {EDITOR}\nm_EditorVersionWithRevision: {EDITOR} (61c2feb0970d)\n"
        ),
    )?;
    Ok(())
}

/// Depth of every entry: breadth-first from the manifest's dependencies (embedded packages
/// count as direct: Unity writes depth 0 for them).
fn depths(
    lock: &mut BTreeMap<String, Entry>,
    direct: &[(String, String)],
    disk: &[(String, String, bool)],
) {
    let mut depth: BTreeMap<String, u32> = BTreeMap::new();
    let mut queue: std::collections::VecDeque<String> = std::collections::VecDeque::new();
    for (name, _) in direct {
        depth.insert(name.clone(), 0);
        queue.push_back(name.clone());
    }
    for (name, _, embedded) in disk {
        if *embedded && !depth.contains_key(name) {
            depth.insert(name.clone(), 0);
            queue.push_back(name.clone());
        }
    }
    while let Some(name) = queue.pop_front() {
        let d = depth[&name];
        let deps: Vec<String> = lock
            .get(&name)
            .map(|e| e.dependencies.iter().map(|(n, _)| n.clone()).collect())
            .unwrap_or_default();
        for dep in deps {
            if !depth.contains_key(&dep) {
                depth.insert(dep.clone(), d + 1);
                queue.push_back(dep);
            }
        }
    }
    // What nothing reaches is not installed: out of the lock.
    lock.retain(|name, _| depth.contains_key(name));
    for (name, entry) in lock.iter_mut() {
        entry.depth = depth[name];
    }
}

fn package_json(name: &str, version: &str, i: usize, deps: &[(String, String)]) -> String {
    let area = AREAS[i % AREAS.len()];
    let mut s = String::from("{\n");
    writeln!(s, "  \"name\": \"{name}\",").unwrap();
    writeln!(s, "  \"version\": \"{version}\",").unwrap();
    writeln!(s, "  \"displayName\": \"Studio {area} {i}\",").unwrap();
    writeln!(
        s,
        "  \"description\": \"The studio's {area} package number {i}: shared runtime code, editor tooling and tests used across the game's scenes.\","
    )
    .unwrap();
    writeln!(s, "  \"unity\": \"2021.3\",").unwrap();
    writeln!(s, "  \"unityRelease\": \"{}f1\",", 10 + i % 20).unwrap();
    s.push_str("  \"dependencies\": {\n");
    for (j, (d, v)) in deps.iter().enumerate() {
        let comma = if j + 1 < deps.len() { "," } else { "" };
        writeln!(s, "    \"{d}\": \"{v}\"{comma}").unwrap();
    }
    s.push_str("  },\n");
    writeln!(s, "  \"keywords\": [\"studio\", \"{area}\", \"runtime\"],").unwrap();
    s.push_str("  \"author\": {\n    \"name\": \"Studio\",\n    \"email\": \"dev@studio.example\",\n    \"url\": \"https://studio.example\"\n  },\n");
    s.push_str("  \"samples\": [\n");
    writeln!(
        s,
        "    {{\n      \"displayName\": \"{area} sample\",\n      \"description\": \"A scene showing the {area} package.\",\n      \"path\": \"Samples~/Basic\"\n    }}"
    )
    .unwrap();
    s.push_str("  ]\n}\n");
    s
}
