//! `manifest-lint tree`: what Unity would install for a project, like `cargo tree`.
//!
//! Reads the project's files (`manifest_lint_files`), resolves the graph in the core
//! (`project::resolve`) and prints it: a tree (human), the graph as JSON, or the lock file Unity
//! would write. Offline the lock file and the packages on disk give the dependencies, and what
//! they cannot tell is said; `--online` follows the registries' packuments.

use std::collections::HashSet;
use std::io::Write;

use manifest_lint_core::project::{self, EditorVersion, Package, ProjectGraph, Source};
use serde::Serialize;

use crate::snippet::escape;
use crate::{EXIT_OK, EXIT_USAGE, TreeArgs, TreeFormat, locate};

/// Levels of the human tree printed at most (a hostile lock file can chain packages deeply).
const MAX_TREE_DEPTH: usize = 64;

/// Packuments one `tree --online` run asks for at most.
pub(crate) const MAX_PACKUMENTS: usize = 500;

fn default_timeout() -> std::time::Duration {
    std::time::Duration::from_secs(manifest_lint_core::config::DEFAULT_ONLINE_TIMEOUT_SECS)
}

pub(crate) fn run(args: &TreeArgs) -> u8 {
    let path = match &args.path {
        Some(p) => locate::manifest_path(p),
        None => locate::find_upwards(),
    };
    let path = match path {
        Ok(path) => path,
        Err(message) => {
            crate::error(message);
            return EXIT_USAGE;
        }
    };
    let files = match manifest_lint_files::read_project(&path) {
        Ok(files) => files,
        Err(message) => {
            crate::error(message);
            return EXIT_USAGE;
        }
    };
    for note in &files.notes {
        crate::warn(note);
    }
    let mut input = files.input();
    if manifest_lint_core::parse::parse(input.manifest.trim_start_matches('\u{feff}')).is_err() {
        crate::error("the manifest is not valid JSON; run `manifest-lint check` to see where");
        return EXIT_USAGE;
    }
    let followed = if args.online {
        // As `check`: `--registry-timeout`, else the `[online] timeout` of the
        // `manifest-lint.toml` that applies to this manifest, else the default.
        let timeout = match args.registry_timeout {
            Some(timeout) => timeout,
            None => match crate::config::discover(&path).map(|p| crate::config::load(&p)) {
                Some(Ok(config)) => config.online.timeout,
                Some(Err(message)) => {
                    crate::warn(format!("{message}; the registry timeout is the default"));
                    default_timeout()
                }
                None => default_timeout(),
            },
        };
        crate::online::Online::new(timeout).follow(&input, MAX_PACKUMENTS)
    } else {
        None
    };
    if let Some(followed) = &followed {
        input.packuments = Some(&followed.packuments);
        for note in &followed.not_asked {
            crate::note(format!("not asked: {}", escape(note, false)));
        }
    }
    let graph = masked(project::resolve(&input));
    let editor = input
        .project_version
        .and_then(EditorVersion::from_project_version);
    let title = files
        .folder
        .canonicalize()
        .ok()
        .and_then(|f| f.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "project".to_string());

    let mut out = std::io::stdout().lock();
    let result = match args.format {
        TreeFormat::Human => human(&mut out, &graph, &title, editor.as_ref(), args.online),
        TreeFormat::Json => {
            unknown_on_stderr(&graph, args.online);
            json(&mut out, &graph)
        }
        TreeFormat::Lock => {
            unknown_on_stderr(&graph, args.online);
            out.write_all(project::lock_text(&graph).as_bytes())
        }
    };
    crate::finish_output(result.and_then(|()| out.flush()), EXIT_OK)
}

/// The graph with every credential a URL carries replaced by `***` (registry user-info, a Git
/// dependency's password or token): no output repeats a secret written in a manifest.
fn masked(mut graph: ProjectGraph) -> ProjectGraph {
    use manifest_lint_core::url::{dependency_credentials_range, redact};
    let git = |s: &mut String| {
        if let Some(range) = dependency_credentials_range(s) {
            s.replace_range(range, "***");
        }
    };
    for p in &mut graph.packages {
        if let Some(url) = &mut p.registry {
            *url = redact(url);
        }
        git(&mut p.version);
        p.dependencies.values_mut().for_each(git);
        p.declared.iter_mut().for_each(|(_, v)| git(v));
    }
    graph
}

fn unknown_on_stderr(graph: &ProjectGraph, online: bool) {
    let when = if online { "" } else { " offline" };
    for line in &graph.unknown {
        crate::note(format!("not known{when}: {}", escape(line, false)));
    }
}

/// The words after a package in the tree: `(registry https://...)`, `(built-in)`, ...
fn origin(p: &Package) -> String {
    match (p.source, &p.registry) {
        (Source::Registry, Some(url)) => format!("registry {url}"),
        (Source::Builtin, _) => "built-in".to_string(),
        (source, _) => source.as_str().to_string(),
    }
}

fn human(
    out: &mut impl Write,
    graph: &ProjectGraph,
    title: &str,
    editor: Option<&EditorVersion>,
    online: bool,
) -> std::io::Result<()> {
    let editor = match editor {
        Some(e) => format!("Unity {e}"),
        None => "Unity 2020.1 or later (no ProjectSettings/ProjectVersion.txt)".to_string(),
    };
    writeln!(
        out,
        "{} ({editor}, {})",
        escape(title, false),
        if online { "online" } else { "offline" }
    )?;
    let roots: Vec<&Package> = graph
        .packages
        .iter()
        .filter(|p| p.source == Source::Embedded || p.requested_by.iter().any(|r| r == "manifest"))
        .collect();
    let mut expanded = HashSet::new();
    let mut prefix = String::new();
    for (i, p) in roots.iter().enumerate() {
        let last = i + 1 == roots.len();
        node(out, graph, p, None, last, &mut prefix, &mut expanded)?;
    }
    if !graph.unknown.is_empty() {
        writeln!(out)?;
        if online {
            writeln!(out, "Not known:")?;
        } else {
            writeln!(out, "Not known offline (`--online` asks the registries):")?;
        }
        for line in &graph.unknown {
            writeln!(out, "  {}", escape(line, false))?;
        }
    }
    writeln!(out)?;
    writeln!(
        out,
        "{} packages; (*) = dependencies shown above",
        graph.packages.len()
    )
}

/// One line of the tree and, the first time a package is met, its dependencies below it.
fn node<'g>(
    out: &mut impl Write,
    graph: &'g ProjectGraph,
    p: &'g Package,
    asked: Option<&str>,
    last: bool,
    prefix: &mut String,
    expanded: &mut HashSet<&'g str>,
) -> std::io::Result<()> {
    let branch = if last { "└── " } else { "├── " };
    let asked = match asked {
        Some(a) if a != p.version => format!(" [asked {}]", escape(a, false)),
        _ => String::new(),
    };
    let repeat = !p.dependencies.is_empty() && expanded.contains(p.name.as_str());
    writeln!(
        out,
        "{prefix}{branch}{} {}{asked} ({}){}",
        escape(&p.name, false),
        escape(&p.version, false),
        escape(&origin(p), false),
        if repeat { " (*)" } else { "" }
    )?;
    if repeat {
        return Ok(());
    }
    expanded.insert(&p.name);
    // Four bytes of prefix per level (the branch glyphs are three bytes each, spaces one).
    if prefix.chars().count() / 4 >= MAX_TREE_DEPTH && !p.dependencies.is_empty() {
        let pad = if last { "    " } else { "│   " };
        return writeln!(
            out,
            "{prefix}{pad}└── … deeper levels left out (more than {MAX_TREE_DEPTH})"
        );
    }
    let len = prefix.len();
    prefix.push_str(if last { "    " } else { "│   " });
    let count = p.dependencies.len();
    for (i, (name, version)) in p.dependencies.iter().enumerate() {
        let last = i + 1 == count;
        match graph.package(name) {
            Some(child) => node(out, graph, child, Some(version), last, prefix, expanded)?,
            None => writeln!(
                out,
                "{prefix}{} {} {} (not installed: see below)",
                if last { "└──" } else { "├──" },
                escape(name, false),
                escape(version, false)
            )?,
        }
    }
    prefix.truncate(len);
    Ok(())
}

#[derive(Serialize)]
struct JsonGraph<'g> {
    version: u32,
    packages: Vec<JsonPackage<'g>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonPackage<'g> {
    name: &'g str,
    version: &'g str,
    source: &'static str,
    registry: Option<&'g str>,
    depth: u32,
    dependencies: &'g std::collections::BTreeMap<String, String>,
    requested_by: &'g [String],
}

fn json(out: &mut impl Write, graph: &ProjectGraph) -> std::io::Result<()> {
    let doc = JsonGraph {
        version: 1,
        packages: graph
            .packages
            .iter()
            .map(|p| JsonPackage {
                name: &p.name,
                version: &p.version,
                source: p.source.as_str(),
                registry: p.registry.as_deref(),
                depth: p.depth,
                dependencies: &p.dependencies,
                requested_by: &p.requested_by,
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(std::io::Error::from)?;
    writeln!(out)
}
