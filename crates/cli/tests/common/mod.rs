//! What the binary-level CLI tests share: running `manifest-lint` and making scratch projects.
#![allow(dead_code)] // each test binary uses its own subset

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `manifest-lint` binary with colour left to its defaults.
pub fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_manifest-lint"));
    cmd.env_remove("NO_COLOR");
    cmd
}

/// Runs the binary in `cwd`.
pub fn run(args: &[&str], cwd: &Path) -> Output {
    bin()
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run manifest-lint")
}

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Writes `<dir>/Packages/manifest.json` and returns its path.
pub fn write_manifest(dir: &Path, text: &[u8]) -> PathBuf {
    let packages = dir.join("Packages");
    std::fs::create_dir_all(&packages).unwrap();
    let path = packages.join("manifest.json");
    std::fs::write(&path, text).unwrap();
    path
}

/// A Unity project in a fresh temporary folder that is a repository root (so that no
/// configuration above it is found), and its manifest's path.
pub fn project(manifest: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let path = write_manifest(dir.path(), manifest.as_bytes());
    (dir, path)
}
