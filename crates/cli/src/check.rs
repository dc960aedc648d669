//! `manifest-lint check`.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use manifest_lint_core::fix::{FixOptions, fix_all};
use manifest_lint_core::{Analysis, FileKind as CoreKind, LintOptions, Severity, lint_bytes};

use crate::config::Configs;
use crate::fixing;
use crate::render::{self, ArtifactPaths, FileKind, FileReport};
use crate::{CheckArgs, ColorWhen, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, Format, locate, online};

/// The lock file Unity writes beside the manifest.
const LOCK_FILE_NAME: &str = "packages-lock.json";

pub(crate) fn run(args: &CheckArgs) -> u8 {
    if args.unsafe_fixes && !(args.fix || args.diff) {
        crate::error("--unsafe-fixes applies only with --fix or --diff");
        return EXIT_USAGE;
    }
    let mut io_failed = false;
    let Some(paths) = locate::manifest_paths(&args.paths, &mut io_failed) else {
        return EXIT_USAGE;
    };

    let mut configs = Configs::new(args.config.clone(), args.no_config, args.rules.clone());
    let fixing = args.fix || args.diff;
    let fix_options = FixOptions {
        unsafe_fixes: args.unsafe_fixes,
        ..Default::default()
    };
    // What --fix and --diff say about each file, printed before the report.
    let mut fix_lines: Vec<String> = Vec::new();
    let mut diffs = String::new();
    let mut would_fix = 0;
    let mut reports = Vec::new();
    // Started on the first manifest that wants online checks, then shared (and its cache with
    // it) by every other manifest of the run.
    let mut online: Option<online::Online> = None;
    let online_from_env = online::from_env();
    let mut noted_config_online = false;
    for path in paths {
        let bytes = match locate::read(&path) {
            Ok(bytes) => bytes,
            Err(message) => {
                crate::error(message);
                io_failed = true;
                continue;
            }
        };
        let settings = match configs.for_manifest(&path) {
            Ok(settings) => settings,
            Err(message) => {
                crate::error(message);
                return EXIT_USAGE;
            }
        };
        let lock = match read_lock(&path) {
            Ok(lock) => lock,
            Err(message) => {
                crate::error(message);
                io_failed = true;
                None
            }
        };
        // A file named package.json is a package manifest: its own rules, no lock, no network.
        let kind = CoreKind::of_path(&path);
        // The project around a `manifest.json`: its packages on disk and its Editor version,
        // for the project diagnostics.
        let project = project_files(&path, &bytes, kind);
        // Only the user switches the network on: `--online` or MANIFEST_LINT_ONLINE, never a
        // repository's own configuration file (a cloned manifest must not make the tool call out).
        let wants_online =
            !args.offline && (args.online || online_from_env) && kind == CoreKind::Manifest;
        let timeout = args
            .registry_timeout
            .unwrap_or(settings.config.online.timeout);
        // Online, the project's graph is followed through the registries' packuments for the
        // transitive checks (never asking for built-in, embedded, local or Git packages).
        let followed = match (&project, wants_online) {
            (Some(project), true) => online
                .get_or_insert_with(|| online::Online::new(timeout))
                .follow(&project.input(), crate::tree::MAX_PACKUMENTS),
            _ => None,
        };
        for note in followed.iter().flat_map(|f| &f.not_asked) {
            crate::note(format!(
                "not asked: {}",
                crate::snippet::escape(note, false)
            ));
        }
        let project_input = project
            .as_ref()
            .map(|p| manifest_lint_core::project::ProjectInput {
                packuments: followed.as_ref().map(|f| &f.packuments),
                ..p.input()
            });
        let mut options = LintOptions {
            kind,
            levels: settings.levels,
            lock: lock.as_deref(),
            project: project_input.as_ref(),
            ..Default::default()
        };
        if settings.config.online.enabled && !args.offline && !wants_online && !noted_config_online
        {
            noted_config_online = true;
            crate::note(format!(
                "`[online] enabled = true` in the configuration is ignored: a repository's own \
                 configuration cannot switch the network on; use --online or {}=1",
                online::ENV_VAR
            ));
        }
        let facts = wants_online.then(|| {
            online
                .get_or_insert_with(|| online::Online::new(timeout))
                .facts(&bytes, &options)
        });
        options.facts = facts.as_ref();
        let shown = path.display().to_string();
        // Not fixing: the bytes become the report's text as they are (a 5 MB manifest is
        // neither validated twice nor copied).
        let (text, analysis) = if !fixing {
            match String::from_utf8(bytes) {
                Ok(text) => {
                    let analysis = manifest_lint_core::lint(&text, &options);
                    (text, analysis)
                }
                Err(not_utf8) => {
                    let (text, analysis) = lint_bytes(not_utf8.as_bytes(), &options);
                    (text.into_owned(), analysis)
                }
            }
        } else {
            match std::str::from_utf8(&bytes) {
                Ok(text) => {
                    if args.fix && !args.diff {
                        // Temporary files a crashed run left beside the manifest go.
                        if let Some(dir) = std::fs::canonicalize(&path)
                            .ok()
                            .and_then(|p| p.parent().map(Path::to_path_buf))
                        {
                            fixing::remove_stale_temp_files(&dir);
                        }
                    }
                    let outcome = fix_all(text, &options, &fix_options);
                    if outcome.withheld > 0 {
                        crate::warn(format!(
                            "not applying {} to {shown}: the result would still not be valid JSON; \
                         mend its syntax errors first{}",
                            fixing::fixes(outcome.withheld),
                            if args.unsafe_fixes {
                                ""
                            } else {
                                " (some have a fix under --unsafe-fixes)"
                            }
                        ));
                    }
                    if outcome.changed() {
                        let counts = fixing::by_rule(&outcome.applied);
                        let n = fixing::fixes(outcome.total());
                        if args.diff {
                            would_fix += outcome.total();
                            let secrets = secret_strings(text, &outcome.analysis, &outcome.text);
                            diffs.push_str(&mask(
                                &fixing::unified_diff(&shown, text, &outcome.text),
                                &secrets,
                            ));
                            fix_lines.push(format!("Would apply {n} to {shown} ({counts})."));
                        } else {
                            match fixing::write_atomically(&path, &bytes, &outcome.text) {
                                Ok(()) => {
                                    fix_lines.push(format!("Applied {n} to {shown} ({counts})."))
                                }
                                Err(message) => {
                                    crate::error(message);
                                    io_failed = true;
                                    let analysis = manifest_lint_core::lint(text, &options);
                                    reports.push(report(shown, text.to_string(), analysis, kind));
                                    continue;
                                }
                            }
                        }
                    }
                    (outcome.text, outcome.analysis)
                }
                Err(_) => {
                    crate::error(format!("not fixing `{shown}`: it is not UTF-8"));
                    let (text, analysis) = lint_bytes(&bytes, &options);
                    (text.into_owned(), analysis)
                }
            }
        };
        let packages = project
            .as_ref()
            .map(|p| package_reports(p, &options))
            .unwrap_or_default();
        reports.push(report(shown, text, analysis, kind));
        reports.extend(packages);
    }
    if reports.is_empty() && io_failed {
        // Nothing could be read: the errors above are the whole answer (a report of "no
        // problems in 0 manifests" would read as a pass).
        return EXIT_USAGE;
    }

    let stdout = std::io::stdout();
    if args.diff {
        // On a terminal the input's control characters are shown escaped; a pipe or a file
        // gets the diff as it is, so that it still applies as a patch.
        let terminal = stdout.is_terminal();
        let diffs = if terminal {
            crate::snippet::escape_lines(&diffs)
        } else {
            std::borrow::Cow::Borrowed(diffs.as_str())
        };
        let mut out = stdout.lock();
        let written = out.write_all(diffs.as_bytes()).and_then(|()| out.flush());
        if let Err(err) = written {
            if err.kind() != std::io::ErrorKind::BrokenPipe {
                crate::error(format!("cannot write the diff: {err}"));
            }
            return EXIT_USAGE;
        }
        let mut err = std::io::stderr().lock();
        for line in &fix_lines {
            let _ = writeln!(err, "{line}");
        }
        if would_fix == 0 {
            let _ = writeln!(err, "No fixes to apply.");
        }
        return if io_failed {
            EXIT_USAGE
        } else if would_fix > 0 {
            EXIT_PROBLEMS
        } else {
            EXIT_OK
        };
    }

    let result = match args.format {
        Format::Human => {
            let color = match args.color {
                ColorWhen::Always => true,
                ColorWhen::Never => false,
                ColorWhen::Auto => {
                    stdout.is_terminal()
                        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                }
            };
            let mut out = std::io::BufWriter::new(stdout.lock());
            fix_lines
                .iter()
                .try_for_each(|line| writeln!(out, "{line}"))
                .and_then(|()| render::human(&mut out, &reports, color))
                .and_then(|()| out.flush())
        }
        format => {
            let mut err = std::io::stderr().lock();
            for line in &fix_lines {
                let _ = writeln!(err, "{line}");
            }
            // Buffered: stdout is line-buffered, and machine formats have many lines.
            let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
            let written = match format {
                Format::Json => crate::json::json(&mut out, &reports),
                Format::Jsonl => crate::json::jsonl(&mut out, &reports),
                Format::Sarif => {
                    render::sarif(&mut out, &reports, &ArtifactPaths::from_current_dir())
                }
                Format::Github => {
                    render::github(&mut out, &reports, &ArtifactPaths::from_current_dir())
                }
                Format::Human => unreachable!(),
            };
            written.and_then(|()| out.flush())
        }
    };
    if let Err(err) = result {
        if err.kind() != std::io::ErrorKind::BrokenPipe {
            crate::error(format!("cannot write the report: {err}"));
        }
        return EXIT_USAGE;
    }
    let status = if io_failed {
        EXIT_USAGE
    } else {
        exit_status(reports.iter().map(|r| &r.analysis), args.deny_warnings)
    };
    // The process ends right after this: freeing every model node one by one would only cost
    // time (a tenth of a large manifest's run), so the reports are left to the OS.
    std::mem::forget(reports);
    status
}

fn report(path: String, text: String, analysis: Analysis, kind: CoreKind) -> FileReport {
    FileReport {
        path,
        text,
        analysis,
        kind: match kind {
            CoreKind::Manifest => FileKind::Manifest,
            CoreKind::Package => FileKind::PackageJson,
        },
    }
}

/// The text of `packages-lock.json` beside a manifest named `manifest.json`, if there is one.
fn read_lock(manifest: &Path) -> Result<Option<String>, String> {
    if manifest.file_name().is_none_or(|n| n != "manifest.json") {
        return Ok(None);
    }
    let lock = manifest.with_file_name(LOCK_FILE_NAME);
    if !lock.is_file() {
        return Ok(None);
    }
    let bytes = locate::read(&lock)?;
    Ok(Some(lossy(bytes)))
}

/// The text of bytes, lossily decoded when not UTF-8 (the check of valid UTF-8 alone is a
/// fraction of what the lossy decoder's pass costs).
fn lossy(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The project files beside a manifest named `manifest.json` (`None` for any other file); what
/// could not be read is said on stderr.
fn project_files(
    path: &Path,
    bytes: &[u8],
    kind: CoreKind,
) -> Option<manifest_lint_files::Project> {
    if kind != CoreKind::Manifest || path.file_name().is_none_or(|n| n != "manifest.json") {
        return None;
    }
    let text = lossy(bytes.to_vec());
    let project = manifest_lint_files::read_beside(path, text);
    for note in &project.notes {
        crate::warn(crate::snippet::escape(note, false));
    }
    Some(project)
}

/// Reports for the `package.json` of every embedded package (`Packages/<dir>/package.json`, by
/// folder name) and every local package a `file:` dependency names (manifest order) of the
/// project, as `manifest-lint-files` read them; only those with findings. A package that is
/// missing or unreadable is the project diagnostics' business, not this lint's.
fn package_reports(
    project: &manifest_lint_files::Project,
    options: &LintOptions<'_>,
) -> Vec<FileReport> {
    let options = LintOptions {
        kind: CoreKind::Package,
        levels: options.levels.clone(),
        ..Default::default()
    };
    project
        .packages
        .iter()
        .filter_map(|package| {
            let text = package.text.as_ref().ok()?.clone();
            let analysis = manifest_lint_core::package::lint(&text, &options);
            if analysis.diagnostics.is_empty() {
                return None;
            }
            Some(FileReport {
                path: tidy(&package.disk_path).display().to_string(),
                text,
                analysis,
                kind: FileKind::PackageJson,
            })
        })
        .collect()
}

/// `path` with each `folder/..` dropped, for messages: a local package at `file:../../shared`
/// shows as `shared/...`, not `Packages/../../shared/...`.
fn tidy(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// The credentials inside URLs of either text, longest first, for masking a diff.
fn secret_strings(before: &str, after_analysis: &Analysis, after: &str) -> Vec<String> {
    let before_analysis = manifest_lint_core::lint(before, &LintOptions::default());
    let mut secrets: Vec<String> = before_analysis
        .secrets
        .iter()
        .filter_map(|s| before.get(s.range()))
        .chain(
            after_analysis
                .secrets
                .iter()
                .filter_map(|s| after.get(s.range())),
        )
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    secrets.dedup();
    secrets
}

fn mask(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_string();
    for secret in secrets {
        out = out.replace(secret.as_str(), &"*".repeat(secret.chars().count()));
    }
    out
}

fn exit_status<'a>(analyses: impl Iterator<Item = &'a Analysis>, deny_warnings: bool) -> u8 {
    let threshold = if deny_warnings {
        Severity::Warning
    } else {
        Severity::Error
    };
    let failing = analyses
        .flat_map(|a| &a.diagnostics)
        .any(|d| d.severity >= threshold);
    if failing { EXIT_PROBLEMS } else { EXIT_OK }
}
