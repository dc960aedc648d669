use std::fs;
use std::io::Write;

use super::*;

fn write(path: &Path, text: impl AsRef<[u8]>) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn package_json(name: &str) -> String {
    format!(r#"{{"name": "{name}", "version": "1.0.0"}}"#)
}

/// A gzipped tarball with the given entries.
fn tgz(path: &Path, entries: &[(&str, &[u8])]) {
    let file = fs::File::create(path).unwrap();
    let gz = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
    let mut builder = tar::Builder::new(gz);
    for (name, bytes) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder.append_data(&mut header, name, *bytes).unwrap();
    }
    builder
        .into_inner()
        .unwrap()
        .finish()
        .unwrap()
        .flush()
        .unwrap();
}

fn project(manifest: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("Packages/manifest.json"), manifest);
    dir
}

fn find<'a>(project: &'a Project, path: &str) -> &'a PackageFile {
    project
        .packages
        .iter()
        .find(|p| p.path == path)
        .unwrap_or_else(|| panic!("no {path} in {:#?}", project.packages))
}

#[test]
fn reads_manifest_lock_version_and_embedded_packages_in_folder_order() {
    let dir = project(r#"{"dependencies": {"com.b": "1.0.0"}}"#);
    let root = dir.path();
    write(
        &root.join("Packages/packages-lock.json"),
        "{\"dependencies\": {}}",
    );
    write(
        &root.join("ProjectSettings/ProjectVersion.txt"),
        "m_EditorVersion: 2021.3.20f1\n",
    );
    write(
        &root.join("Packages/com.zeta/package.json"),
        package_json("com.zeta"),
    );
    write(
        &root.join("Packages/com.alpha/package.json"),
        package_json("com.alpha"),
    );
    // A folder without a package.json is not a package.
    fs::create_dir_all(root.join("Packages/notes")).unwrap();
    write(&root.join("Packages/notes/readme.md"), "x");

    let project = read_project(root).unwrap();
    assert_eq!(project.manifest, r#"{"dependencies": {"com.b": "1.0.0"}}"#);
    assert_eq!(project.lock.as_deref(), Some("{\"dependencies\": {}}"));
    assert_eq!(
        project.project_version.as_deref(),
        Some("m_EditorVersion: 2021.3.20f1\n")
    );
    let paths: Vec<&str> = project.packages.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "Packages/com.alpha/package.json",
            "Packages/com.zeta/package.json"
        ]
    );
    assert_eq!(
        project.packages[0].origin,
        Origin::Embedded {
            dir: "com.alpha".into()
        }
    );
    assert_eq!(
        project.packages[0].text.as_deref(),
        Ok(package_json("com.alpha").as_str())
    );
    assert!(project.notes.is_empty(), "{:?}", project.notes);
}

#[test]
fn the_manifest_path_and_the_packages_folder_name_the_same_project() {
    let dir = project("{}");
    write(
        &dir.path().join("ProjectSettings/ProjectVersion.txt"),
        "m_EditorVersion: 6000.0.1f1",
    );
    for given in [
        dir.path().to_path_buf(),
        dir.path().join("Packages"),
        dir.path().join("Packages/manifest.json"),
    ] {
        let project = read_project(&given).unwrap();
        assert_eq!(
            project.project_version.as_deref(),
            Some("m_EditorVersion: 6000.0.1f1"),
            "{}",
            given.display()
        );
        assert_eq!(
            project.manifest_path,
            dir.path().join("Packages/manifest.json")
        );
    }
}

#[test]
fn a_folder_without_a_manifest_and_a_missing_manifest_are_errors_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let err = read_project(dir.path()).unwrap_err();
    assert!(err.contains("without Packages/manifest.json"), "{err}");
    let err = read_project(&dir.path().join("Packages/manifest.json")).unwrap_err();
    assert!(err.contains("no such file"), "{err}");
}

#[test]
fn local_folders_resolve_relative_to_the_packages_folder() {
    let dir = project(
        r#"{"dependencies": {
            "com.acme.near": "file:com.acme.near-src",
            "com.acme.far": "file:../../shared/far",
            "com.acme.gone": "file:../nowhere",
            "com.acme.empty": "file:../empty",
            "com.acme.registry": "1.0.0"
        }}"#,
    );
    let root = dir.path().join("proj");
    fs::rename(dir.path().join("Packages"), dir.path().join("tmp")).unwrap();
    fs::create_dir_all(&root).unwrap();
    fs::rename(dir.path().join("tmp"), root.join("Packages")).unwrap();
    write(
        &root.join("Packages/com.acme.near-src/package.json"),
        package_json("com.acme.near"),
    );
    write(
        &dir.path().join("shared/far/package.json"),
        package_json("com.acme.far"),
    );
    fs::create_dir_all(root.join("empty")).unwrap();

    let project = read_project(&root).unwrap();
    // The folder inside Packages/ is an embedded package as well as the local one.
    let near = project
        .packages
        .iter()
        .filter(|p| p.path == "Packages/com.acme.near-src/package.json")
        .collect::<Vec<_>>();
    assert_eq!(near.len(), 2);
    assert!(matches!(near[0].origin, Origin::Embedded { .. }));
    assert_eq!(
        near[1].origin,
        Origin::Local {
            dependency: "com.acme.near".into(),
            spec: "file:com.acme.near-src".into()
        }
    );
    let far = find(&project, "../shared/far/package.json");
    assert_eq!(
        far.text.as_deref(),
        Ok(package_json("com.acme.far").as_str())
    );
    assert_eq!(
        find(&project, "nowhere/package.json").text,
        Err(Missing::NotFound)
    );
    assert_eq!(
        find(&project, "empty/package.json").text,
        Err(Missing::NoPackageJson)
    );
    // Manifest order, registry dependencies left out.
    let locals: Vec<&str> = project
        .packages
        .iter()
        .filter_map(|p| match &p.origin {
            Origin::Local { dependency, .. } => Some(dependency.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        locals,
        [
            "com.acme.near",
            "com.acme.far",
            "com.acme.gone",
            "com.acme.empty"
        ]
    );
}

#[test]
fn escaped_backslash_paths_resolve_like_forward_slashes() {
    let dir = project(r#"{"dependencies": {"com.acme.win": "file:..\\libs\\win"}}"#);
    write(
        &dir.path().join("libs/win/package.json"),
        package_json("com.acme.win"),
    );
    let project = read_project(dir.path()).unwrap();
    let win = find(&project, "libs/win/package.json");
    assert_eq!(
        win.text.as_deref(),
        Ok(package_json("com.acme.win").as_str())
    );
    assert_eq!(
        win.origin,
        Origin::Local {
            dependency: "com.acme.win".into(),
            spec: "file:..\\libs\\win".into()
        }
    );
}

/// A `file:` value written with `\u` escapes is still a local package (the manifest is parsed
/// for its dependencies whenever `file:` or an escape appears in it).
#[test]
fn file_values_spelled_with_escapes_are_local_packages() {
    let dir = project(r#"{"dependencies": {"com.acme.esc": "\u0066ile:../libs/esc"}}"#);
    write(
        &dir.path().join("libs/esc/package.json"),
        package_json("com.acme.esc"),
    );
    let project = read_project(dir.path()).unwrap();
    let esc = find(&project, "libs/esc/package.json");
    assert_eq!(
        esc.origin,
        Origin::Local {
            dependency: "com.acme.esc".into(),
            spec: "file:../libs/esc".into()
        }
    );
}

#[test]
fn absolute_file_paths_are_read_and_shown_as_written() {
    let elsewhere = tempfile::tempdir().unwrap();
    write(
        &elsewhere.path().join("pkg/package.json"),
        package_json("com.acme.abs"),
    );
    let abs = elsewhere.path().join("pkg");
    let manifest = format!(
        r#"{{"dependencies": {{"com.acme.abs": "file:{}"}}}}"#,
        abs.display()
    );
    let dir = project(&manifest);
    let project = read_project(dir.path()).unwrap();
    let shown = format!("{}/package.json", abs.display());
    assert_eq!(
        find(&project, &shown).text.as_deref(),
        Ok(package_json("com.acme.abs").as_str())
    );
}

#[test]
fn tarballs_are_read_from_the_stream() {
    let dir = project(
        r#"{"dependencies": {
            "com.acme.tgz": "file:../tarballs/tool-1.0.0.tgz",
            "com.acme.targz": "file:tool.tar.gz",
            "com.acme.gone": "file:gone.tgz",
            "com.acme.nojson": "file:nojson.tgz",
            "com.acme.garbage": "file:garbage.tgz"
        }}"#,
    );
    let root = dir.path();
    fs::create_dir_all(root.join("tarballs")).unwrap();
    let tool = package_json("com.acme.tgz");
    tgz(
        &root.join("tarballs/tool-1.0.0.tgz"),
        &[
            ("package/README.md", b"readme"),
            ("package/package.json", tool.as_bytes()),
        ],
    );
    let targz = package_json("com.acme.targz");
    tgz(
        &root.join("Packages/tool.tar.gz"),
        &[("./package/package.json", targz.as_bytes())],
    );
    tgz(
        &root.join("Packages/nojson.tgz"),
        &[
            ("other/package.json", b"{}"),
            ("package/x.cs", b"class X {}"),
        ],
    );
    write(
        &root.join("Packages/garbage.tgz"),
        [0x1f, 0x8b, 0xff, 0x00, 0x13, 0x37],
    );

    let project = read_project(root).unwrap();
    let t = find(&project, "tarballs/tool-1.0.0.tgz");
    assert_eq!(t.text.as_deref(), Ok(tool.as_str()));
    assert_eq!(
        t.origin,
        Origin::LocalTarball {
            dependency: "com.acme.tgz".into(),
            spec: "file:../tarballs/tool-1.0.0.tgz".into()
        }
    );
    assert_eq!(
        find(&project, "Packages/tool.tar.gz").text.as_deref(),
        Ok(targz.as_str())
    );
    let gone = find(&project, "Packages/gone.tgz");
    assert_eq!(gone.text, Err(Missing::NotFound));
    assert!(matches!(gone.origin, Origin::LocalTarball { .. }));
    assert_eq!(
        find(&project, "Packages/nojson.tgz").text,
        Err(Missing::NoPackageJson)
    );
    match &find(&project, "Packages/garbage.tgz").text {
        Err(Missing::Unreadable(why)) => assert!(why.contains(".tgz"), "{why}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_tarball_is_decompressed_only_up_to_the_cap() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.tgz");
    let filler = vec![0u8; 64 * 1024];
    tgz(
        &path,
        &[
            ("package/filler.bin", &filler),
            ("package/package.json", b"{}"),
        ],
    );
    assert_eq!(read_tarball_limited(&path, 1 << 20), Ok("{}".to_string()));
    match read_tarball_limited(&path, 16 * 1024) {
        Err(Missing::Unreadable(why)) => assert!(why.contains("first 16 KiB"), "{why}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn binary_garbage_and_oversized_package_json_are_unreadable_not_panics() {
    let dir = project("{}");
    let root = dir.path();
    write(
        &root.join("Packages/bin/package.json"),
        [0xff, 0xfe, 0x00, 0x80, 0xc3],
    );
    let big = vec![b' '; MAX_PACKAGE_JSON_BYTES as usize + 1];
    write(&root.join("Packages/big/package.json"), &big);
    // A package.json that is a folder.
    fs::create_dir_all(root.join("Packages/dir/package.json")).unwrap();
    let project = read_project(root).unwrap();
    match &find(&project, "Packages/bin/package.json").text {
        Err(Missing::Unreadable(why)) => assert!(why.contains("not UTF-8"), "{why}"),
        other => panic!("{other:?}"),
    }
    match &find(&project, "Packages/big/package.json").text {
        Err(Missing::Unreadable(why)) => assert!(why.contains("larger than 4 MiB"), "{why}"),
        other => panic!("{other:?}"),
    }
    match &find(&project, "Packages/dir/package.json").text {
        Err(Missing::Unreadable(why)) => assert!(why.contains("not a regular file"), "{why}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_manifest_that_is_garbage_still_gets_its_embedded_packages() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("Packages/manifest.json"),
        [0xff, b'{', 0x00, b'"'],
    );
    write(
        &dir.path().join("Packages/com.a/package.json"),
        package_json("com.a"),
    );
    let project = read_project(dir.path()).unwrap();
    assert!(project.manifest.contains('\u{fffd}'));
    assert_eq!(project.packages.len(), 1);
}

#[test]
fn an_oversized_lock_file_is_a_note() {
    let dir = project("{}");
    let lock = fs::File::create(dir.path().join("Packages/packages-lock.json")).unwrap();
    lock.set_len(MAX_LOCK_BYTES + 1).unwrap();
    let project = read_project(dir.path()).unwrap();
    assert_eq!(project.lock, None);
    assert!(
        project.notes[0].contains("larger than 16 MiB"),
        "{:?}",
        project.notes
    );
}

#[test]
fn the_last_of_duplicate_dependencies_is_the_one_read() {
    let dir = project(
        r#"{"dependencies": {"com.acme.x": "file:../first", "com.acme.x": "file:../second"}}"#,
    );
    let project = read_project(dir.path()).unwrap();
    let paths: Vec<&str> = project.packages.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths, ["second/package.json"]);
}

#[test]
fn a_manifest_not_named_manifest_json_is_read_alone() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("Packages/other.json"), "{}");
    write(&dir.path().join("Packages/packages-lock.json"), "{}");
    write(
        &dir.path().join("Packages/com.a/package.json"),
        package_json("com.a"),
    );
    let project = read_project(&dir.path().join("Packages/other.json")).unwrap();
    assert_eq!(project.lock, None);
    assert!(project.packages.is_empty());
}

#[test]
fn read_beside_uses_the_given_text() {
    let dir = project(r#"{"dependencies": {}}"#);
    write(
        &dir.path().join("libs/a/package.json"),
        package_json("com.acme.a"),
    );
    let unsaved = r#"{"dependencies": {"com.acme.a": "file:../libs/a"}}"#.to_string();
    let project = read_beside(&dir.path().join("Packages/manifest.json"), unsaved.clone());
    assert_eq!(project.manifest, unsaved);
    assert_eq!(project.packages.len(), 1);
}

#[test]
fn input_lends_the_texts_to_the_core() {
    let dir = project(r#"{"dependencies": {"com.acme.gone": "file:../gone"}}"#);
    write(
        &dir.path().join("Packages/com.a/package.json"),
        package_json("com.a"),
    );
    write(&dir.path().join("Packages/packages-lock.json"), "{}");
    let project = read_project(dir.path()).unwrap();
    let input = project.input();
    assert_eq!(input.manifest, project.manifest);
    assert_eq!(input.lock, Some("{}"));
    assert_eq!(input.project_version, None);
    assert_eq!(input.packages.len(), 2);
    assert_eq!(input.packages[0].text, Ok(package_json("com.a").as_str()));
    assert_eq!(input.packages[1].text, Err(Missing::NotFound));
    assert_eq!(input.packages[1].path, "gone/package.json");
    assert!(input.packuments.is_none());
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_followed_but_only_to_regular_files() {
    let dir = project("{}");
    let root = dir.path();
    let outside = tempfile::tempdir().unwrap();
    write(
        &outside.path().join("linked/package.json"),
        package_json("com.linked"),
    );
    std::os::unix::fs::symlink(
        outside.path().join("linked"),
        root.join("Packages/com.linked"),
    )
    .unwrap();
    // A package.json that is a FIFO would block a naive read forever.
    fs::create_dir_all(root.join("Packages/com.fifo")).unwrap();
    let fifo = root.join("Packages/com.fifo/package.json");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status();
    let have_fifo = status.is_ok_and(|s| s.success());
    // A link to a device.
    fs::create_dir_all(root.join("Packages/com.zero")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", root.join("Packages/com.zero/package.json")).unwrap();

    let project = read_project(root).unwrap();
    assert_eq!(
        find(&project, "Packages/com.linked/package.json")
            .text
            .as_deref(),
        Ok(package_json("com.linked").as_str())
    );
    if have_fifo {
        assert_eq!(
            find(&project, "Packages/com.fifo/package.json").text,
            Err(Missing::Unreadable("not a regular file".into()))
        );
    }
    assert_eq!(
        find(&project, "Packages/com.zero/package.json").text,
        Err(Missing::Unreadable("not a regular file".into()))
    );
}

#[test]
fn normalize_is_lexical() {
    assert_eq!(normalize("Packages/../x"), "x");
    assert_eq!(normalize("Packages/./a/../b/"), "Packages/b");
    assert_eq!(normalize("Packages/../../x"), "../x");
    assert_eq!(normalize("/a/../../b"), "/b");
}
