//! The `manifest-lint` command line. Thin: it finds and reads manifests, calls the core, and
//! renders what the core found.

use std::io::Write;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

mod check;
mod config;
mod direct;
mod fixing;
mod format;
mod json;
mod locate;
mod memory;
mod online;
mod render;
mod resolve;
mod rules;
mod snippet;
mod tree;

/// Exit statuses.
pub const EXIT_OK: u8 = 0;
pub const EXIT_PROBLEMS: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

const EXAMPLES: &str = "\
Examples:
  manifest-lint check                          lint the manifest of the Unity project around the current folder
  manifest-lint check path/to/UnityProject     lint <project>/Packages/manifest.json
  manifest-lint check --format json Packages/manifest.json
  manifest-lint resolve com.example.tools      which registry serves a package, and why
  manifest-lint tree                           what Unity would install, like `cargo tree`
  manifest-lint rules                          list every rule
  manifest-lint explain glob-scope             a rule's documentation
  manifest-lint format --check                 is the manifest in Unity's own layout? (format: rewrite it)";

#[derive(Parser, Debug)]
#[command(
    name = "manifest-lint",
    version,
    about = "Linter and language server for Unity's Packages/manifest.json and its scoped registries",
    after_help = EXAMPLES,
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Lint manifests and report problems (exit 0: no error; 1: errors found; 2: usage or I/O error).
    #[command(
        after_help = "Examples:\n  manifest-lint check\n  manifest-lint check MyGame OtherGame/Packages/manifest.json\n  manifest-lint check --format json --deny-warnings\n  manifest-lint check --format sarif > manifest-lint.sarif\n  manifest-lint check --fix\n  manifest-lint check --diff --unsafe-fixes\n  manifest-lint check --rule unscoped-dependency=off"
    )]
    Check(CheckArgs),
    /// Show which registry each package resolves to, and why.
    #[command(
        after_help = "Examples:\n  manifest-lint resolve com.example.tools\n  manifest-lint resolve --manifest MyGame --format json com.example.a com.unity.ugui"
    )]
    Resolve(ResolveArgs),
    /// Show what Unity would install for a project: every package with its version, source,
    /// registry, depth and who asks for it (offline from the lock file and the packages on disk).
    #[command(
        after_help = "Examples:\n  manifest-lint tree\n  manifest-lint tree MyGame --format json\n  manifest-lint tree --online --format lock > Packages/packages-lock.json"
    )]
    Tree(TreeArgs),
    /// List every rule with its default severity.
    Rules {
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
    },
    /// Print a rule's documentation.
    Explain {
        /// A rule id, as printed in diagnostics (e.g. glob-scope).
        rule: String,
    },
    /// Rewrite manifests in the layout Unity writes (exit 0: done; 1: with --check, some would change; 2: unparseable or I/O error).
    #[command(
        after_help = "Examples:\n  manifest-lint format\n  manifest-lint format --check MyGame OtherGame/Packages/manifest.json"
    )]
    Format(FormatArgs),
    /// Run the language server on stdin and stdout (for editors: VS Code, Rider, Neovim, ...).
    Lsp,
}

#[derive(Args, Debug)]
pub(crate) struct CheckArgs {
    /// Manifest files or Unity project folders. Without any, the manifest is searched for from the
    /// current folder upwards.
    paths: Vec<std::path::PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Exit with status 1 on warnings too.
    #[arg(long)]
    deny_warnings: bool,
    /// When to use colour in human output (NO_COLOR is honoured by `auto`).
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
    color: ColorWhen,
    /// Apply the safe fixes to the files, then report what remains.
    #[arg(long)]
    fix: bool,
    /// With --fix or --diff: apply the unsafe fixes too (they may change what the manifest means).
    #[arg(long)]
    unsafe_fixes: bool,
    /// Print the fixes as a unified diff instead of writing them (exit 1 when there is any).
    #[arg(long, conflicts_with = "format")]
    diff: bool,
    /// The configuration file (default: manifest-lint.toml found from each manifest's folder up
    /// to the repository root).
    #[arg(long, value_name = "PATH", conflicts_with = "no_config")]
    config: Option<std::path::PathBuf>,
    /// Ignore every configuration file.
    #[arg(long)]
    no_config: bool,
    /// Set a rule's level, over the configuration: `--rule glob-scope=warning`,
    /// `--rule unscoped-dependency=off` (levels: error, warning, info, hint, off). Repeatable.
    #[arg(long = "rule", value_name = "ID=LEVEL", value_parser = config::parse_rule_arg)]
    rules: Vec<(String, manifest_lint_core::RuleLevel)>,
    /// Ask the registries too: reachable, authorised (with ~/.upmconfig.toml), searchable, and
    /// every registry dependency and version really there. Off by default: a manifest, or a
    /// repository's manifest-lint.toml, never makes the tool call out unasked; the environment
    /// variable MANIFEST_LINT_ONLINE=1 is the same as --online.
    #[arg(long, conflicts_with = "offline")]
    online: bool,
    /// No network at all, whatever the configuration says.
    #[arg(long)]
    offline: bool,
    /// Bound on each registry request, in seconds, more than 0 and at most 3600 (default 10, or
    /// `[online] timeout`).
    #[arg(long, value_name = "SECONDS", value_parser = manifest_lint_core::config::parse_timeout)]
    registry_timeout: Option<std::time::Duration>,
}

#[derive(Args, Debug)]
pub(crate) struct FormatArgs {
    /// Manifest files or Unity project folders. Without any, the manifest is searched for from the
    /// current folder upwards.
    paths: Vec<std::path::PathBuf>,
    /// Write nothing: list the files that would change, and exit 1 if there is any.
    #[arg(long)]
    check: bool,
}

#[derive(Args, Debug)]
pub(crate) struct ResolveArgs {
    /// Package names.
    #[arg(required = true)]
    packages: Vec<String>,
    /// The manifest file or Unity project folder (default: found from the current folder upwards).
    #[arg(long)]
    manifest: Option<std::path::PathBuf>,
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    format: ListFormat,
}

#[derive(Args, Debug)]
pub(crate) struct TreeArgs {
    /// The Unity project folder or its manifest (default: found from the current folder upwards).
    path: Option<std::path::PathBuf>,
    /// Follow the registries' packuments for the dependencies the lock file does not give.
    #[arg(long)]
    online: bool,
    /// Bound on each registry request, in seconds, more than 0 and at most 3600 (default 10).
    #[arg(long, value_name = "SECONDS", value_parser = manifest_lint_core::config::parse_timeout)]
    registry_timeout: Option<std::time::Duration>,
    #[arg(long, value_enum, default_value_t = TreeFormat::Human)]
    format: TreeFormat,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TreeFormat {
    /// A tree, like `cargo tree`.
    Human,
    /// `{"version": 1, "packages": [...]}`.
    Json,
    /// The `Packages/packages-lock.json` Unity would write.
    Lock,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    Human,
    /// One JSON document.
    Json,
    /// One JSON object per diagnostic and line.
    Jsonl,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ListFormat {
    Human,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// Runs the command line with the process's arguments.
pub fn main() -> ExitCode {
    memory::start_small();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() {
                EXIT_USAGE
            } else {
                EXIT_OK
            };
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    let code = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Resolve(args) => resolve::run(&args),
        Command::Tree(args) => tree::run(&args),
        Command::Rules { format } => rules::list(format),
        Command::Explain { rule } => rules::explain(&rule),
        Command::Format(args) => format::run(&args),
        Command::Lsp => {
            memory::long_or_large();
            manifest_lint_lsp::run_stdio()
        }
    };
    let _ = std::io::stdout().flush();
    ExitCode::from(code)
}

/// Renders one file's diagnostics as plain text (no colour), exactly as `check` prints them;
/// for tests and tools that embed the linter.
pub fn render_plain(path: &str, text: &str, analysis: manifest_lint_core::Analysis) -> String {
    render_plain_as(path, text, analysis, manifest_lint_core::FileKind::Manifest)
}

/// [`render_plain`] for a file of the given kind (a package.json is counted as one).
pub fn render_plain_as(
    path: &str,
    text: &str,
    analysis: manifest_lint_core::Analysis,
    kind: manifest_lint_core::FileKind,
) -> String {
    let reports = [render::FileReport {
        path: path.to_string(),
        text: text.to_string(),
        analysis,
        kind: match kind {
            manifest_lint_core::FileKind::Manifest => render::FileKind::Manifest,
            manifest_lint_core::FileKind::Package => render::FileKind::PackageJson,
        },
    }];
    let mut out = Vec::new();
    render::human(&mut out, &reports, false).expect("writing to memory");
    String::from_utf8_lossy(&out).into_owned()
}

/// Prints a warning for the user on stderr.
pub(crate) fn warn(message: impl std::fmt::Display) {
    eprintln!("manifest-lint: warning: {message}");
}

/// Prints a note for the user on stderr (something ignored on purpose; not a problem).
pub(crate) fn note(message: impl std::fmt::Display) {
    eprintln!("manifest-lint: note: {message}");
}

/// Prints an error for the user on stderr.
/// The status of a command once its output is written: a closed pipe (`| head -1`) is the
/// reader's choice and ends quietly with `status`; any other write error is reported.
pub(crate) fn finish_output(result: std::io::Result<()>, status: u8) -> u8 {
    match result {
        Ok(()) => status,
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => status,
        Err(err) => {
            error(format!("cannot write the output: {err}"));
            EXIT_USAGE
        }
    }
}

pub(crate) fn error(message: impl std::fmt::Display) {
    eprintln!("manifest-lint: error: {message}");
}
