//! The manifest-lint language server (`manifest-lint lsp`): the core's diagnostics, fixes and
//! resolution model, shown inline while a Unity developer edits `Packages/manifest.json`.
//!
//! A thin layer over `manifest-lint-core`. Every notification is applied in order and in full
//! before anything awaits (the server also runs with a concurrency level of 1), documents are
//! re-linted synchronously on each change, and diagnostics are published with the version they
//! were computed for, through one ordered queue so that an older result can never overtake a newer
//! one. Online checks run in background tasks and never hold up a handler.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use manifest_lint_core::facts::ProbeTarget;
use manifest_lint_core::{Encoding, FileKind, LintOptions, OnlineFacts};
use manifest_lint_registry::{ProbeOptions, Prober, UpmConfig};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

mod actions;
mod completion;
mod convert;
mod document;
mod folding;
mod formatting;
mod hover;
mod keydocs;
mod lens;
mod links;
mod lookup;
mod names;
mod navigation;
mod package;
mod project;
mod pull;
mod references;
mod selection;
mod semantic_tokens;
pub mod settings;
#[cfg(unix)]
mod stdio;
mod transitive;
mod transport;
mod trust;
mod wire;
mod workspace_symbols;

use document::Document;
use project::ProjectFiles;
use settings::{Partial, Settings};

/// How long the server waits for the client to answer `workspace/configuration`.
const CONFIGURATION_TIMEOUT: Duration = Duration::from_secs(5);

/// How long typing must pause before an edited document's registries are probed again: what to
/// probe is worked out once per pause, not on every keystroke (on a manifest of megabytes that
/// is thousands of names each time).
const PROBE_DEBOUNCE: Duration = Duration::from_millis(300);

/// Runs the server on stdin and stdout until `exit` or the end of stdin. Returns the process's
/// exit status: 0 when `shutdown` came first, 1 otherwise (as LSP specifies).
pub fn run_stdio() -> u8 {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("manifest-lint: error: cannot start the language server: {e}");
            return 1;
        }
    };
    let clean = runtime.block_on(async {
        #[cfg(unix)]
        if let Some((input, output)) = stdio::nonblocking() {
            return serve(input, output).await;
        }
        serve(tokio::io::stdin(), tokio::io::stdout()).await
    });
    // The thread blocked reading stdin must not keep the process alive after `exit`.
    runtime.shutdown_background();
    if clean { 0 } else { 1 }
}

/// Serves one client over `input` and `output` (LSP's `Content-Length` framing) until `exit` or
/// the end of `input`. Returns whether `shutdown` was requested before the end.
pub async fn serve<I, O>(input: I, output: O) -> bool
where
    I: AsyncRead + Unpin,
    O: AsyncWrite,
{
    let shutdown = Arc::new(AtomicBool::new(false));
    let flag = shutdown.clone();
    let ours = transport::Ours::new();
    let frames = ours.frames();
    let (service, socket) = LspService::new(move |client| Backend::new(client, frames, flag));
    // Our framing first: a malformed message is answered there and never ends the session.
    transport::run(input, output, ours, |input, output| {
        Server::new(input, output, socket)
            .concurrency_level(1)
            .serve(service)
    })
    .await;
    shutdown.load(Ordering::SeqCst)
}

/// What goes to the client from outside a request's answer, in order.
enum Out {
    Publish {
        uri: Uri,
        diagnostics: Vec<Diagnostic>,
        version: Option<i32>,
    },
    Log(MessageType, String),
    /// `workspace/inlayHint/refresh` (sent from its own task: it waits for the client's answer).
    RefreshInlayHints,
    /// `workspace/diagnostic/refresh`, for pull clients, when diagnostics changed without an edit.
    RefreshDiagnostics,
}

/// What the client said it can do.
#[derive(Debug, Default, Clone, Copy)]
struct ClientFlags {
    configuration: bool,
    register_configuration: bool,
    document_changes: bool,
    inlay_hint_refresh: bool,
    register_watched_files: bool,
    /// `codeAction/resolve` can fill in an action's `edit`.
    code_action_resolve: bool,
    /// Pull diagnostics (`textDocument/diagnostic`) instead of publishing them.
    pull_diagnostics: bool,
    diagnostic_refresh: bool,
    /// Completion items may be snippets.
    snippets: bool,
    /// Completion items may carry the `deprecated` tag.
    completion_tags: bool,
}

struct State {
    encoding: Encoding,
    flags: ClientFlags,
    /// From `initializationOptions`.
    init_settings: Partial,
    /// From the latest `workspace/configuration` answer (or pushed `didChangeConfiguration`).
    pulled_settings: Partial,
    settings: Settings,
    /// Sequence numbers of configuration pulls: the last one started, the last one applied.
    config_requested: u64,
    config_applied: u64,
    /// The first `workspace/configuration` answer is awaited: no probe starts before it, so
    /// that `online: false` in the editor's settings is honoured from the first moment.
    config_pending: bool,
    docs: HashMap<Uri, Document>,
    /// Open `manifest-lint.toml` documents (for their links).
    configs: links::ConfigDocs,
    prober: Option<Prober>,
    prober_failed: bool,
    next_doc_id: u64,
    probe_generation: u64,
    /// `(registry URL, text)` of the name searches running in the background.
    searching: HashSet<(String, String)>,
    /// The last answer of each name search, kept past the prober's cache lifetime: completion
    /// shows it at once while the search runs again.
    recent_searches: HashMap<(String, String), manifest_lint_registry::SearchResults>,
    /// `(registry URL, package)` of the full packuments fetched in the background for the
    /// `unity` requirement of each version in version completion.
    fetching_packuments: HashSet<(String, String)>,
    /// The last full packument of each package whose versions were completed, kept past the
    /// prober's cache lifetime like [`State::recent_searches`].
    recent_packuments: HashMap<(String, String), Arc<manifest_lint_core::project::Packument>>,
}

/// Most name searches [`State::recent_searches`] keeps (then it starts afresh).
const RECENT_SEARCHES: usize = 1024;

struct Shared {
    state: Mutex<State>,
    out: mpsc::UnboundedSender<Out>,
    out_rx: Mutex<Option<mpsc::UnboundedReceiver<Out>>>,
    shutdown: Arc<AtomicBool>,
}

/// The language server.
pub struct Backend {
    client: Client,
    /// Where diagnostics are published (see [`transport::Frames`]).
    frames: transport::Frames,
    shared: Arc<Shared>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The core's options for a document: the editor's rule levels over the project's
/// `manifest-lint.toml`, the lock file, and the facts when online checks are on.
// The struct update keeps this compiling when the core adds an option (with its default).
#[allow(clippy::needless_update)]
fn lint_options<'a>(
    settings: &Settings,
    facts: Option<&'a OnlineFacts>,
    project: &'a ProjectFiles,
    input: Option<&'a manifest_lint_core::project::ProjectInput<'a>>,
) -> LintOptions<'a> {
    let mut levels = project.levels.clone();
    levels.extend(settings.rules.iter().map(|(k, v)| (k.clone(), *v)));
    LintOptions {
        kind: project.kind,
        facts: facts.filter(|_| settings.online),
        levels,
        lock: project.lock.as_deref(),
        project: input,
        prepared: project.prepared.get(),
        ..LintOptions::default()
    }
}

impl Backend {
    fn new(client: Client, frames: transport::Frames, shutdown: Arc<AtomicBool>) -> Backend {
        let (tx, rx) = mpsc::unbounded_channel();
        Backend {
            client,
            frames,
            shared: Arc::new(Shared {
                state: Mutex::new(State {
                    encoding: Encoding::Utf16,
                    flags: ClientFlags::default(),
                    init_settings: Partial::default(),
                    pulled_settings: Partial::default(),
                    settings: Settings::default(),
                    config_requested: 0,
                    config_applied: 0,
                    config_pending: false,
                    docs: HashMap::new(),
                    configs: links::ConfigDocs::default(),
                    prober: None,
                    prober_failed: false,
                    next_doc_id: 0,
                    probe_generation: 0,
                    searching: HashSet::new(),
                    recent_searches: HashMap::new(),
                    fetching_packuments: HashSet::new(),
                    recent_packuments: HashMap::new(),
                }),
                out: tx,
                out_rx: Mutex::new(Some(rx)),
                shutdown,
            }),
        }
    }

    /// Asks the client for the `manifestLint` section in the background and applies the answer.
    fn pull_configuration(&self) {
        let seq = {
            let mut st = lock(&self.shared.state);
            if !st.flags.configuration {
                return;
            }
            st.config_requested += 1;
            st.config_requested
        };
        let client = self.client.clone();
        let shared = self.shared.clone();
        tokio::spawn(async move {
            let item = ConfigurationItem {
                scope_uri: None,
                section: Some(settings::SECTION.to_string()),
            };
            let answer =
                tokio::time::timeout(CONFIGURATION_TIMEOUT, client.configuration(vec![item])).await;
            let partial = match answer {
                Ok(Ok(mut values)) => {
                    let value = if values.is_empty() {
                        serde_json::Value::Null
                    } else {
                        values.swap_remove(0)
                    };
                    let mut warnings = Vec::new();
                    let partial = Partial::from_value(&value, &mut warnings);
                    shared.settings_warnings(&warnings);
                    Some(partial)
                }
                Ok(Err(e)) => {
                    shared.log(
                        MessageType::WARNING,
                        format!("workspace/configuration failed: {e}"),
                    );
                    None
                }
                Err(_) => {
                    shared.log(
                        MessageType::WARNING,
                        "workspace/configuration got no answer in time".to_string(),
                    );
                    None
                }
            };
            shared.configuration_arrived(seq, partial);
        });
    }
}

impl Shared {
    fn log(&self, kind: MessageType, message: String) {
        let _ = self
            .out
            .send(Out::Log(kind, format!("manifest-lint: {message}")));
    }

    /// Applies the answer to configuration pull number `seq` (`None`: the pull failed), unless a
    /// later pull was applied already; then lets probes start.
    fn configuration_arrived(self: &Arc<Self>, seq: u64, partial: Option<Partial>) {
        let mut st = lock(&self.state);
        let st = &mut *st;
        if seq <= st.config_applied {
            return;
        }
        st.config_applied = seq;
        if let Some(partial) = partial {
            st.pulled_settings = partial;
        }
        let was_pending = std::mem::replace(&mut st.config_pending, false);
        self.settings_changed(st);
        if was_pending {
            let uris: Vec<Uri> = st.docs.keys().cloned().collect();
            for uri in uris {
                self.maybe_probe(st, &uri);
            }
        }
    }

    fn project_warnings(&self, warnings: &[String]) {
        for w in warnings {
            self.log(MessageType::WARNING, w.clone());
        }
    }

    /// Reads the project files of `uris` again; re-lints and publishes those that changed. The
    /// packages on disk are read in the background ([`Shared::read_disk`]).
    fn reload_project(self: &Arc<Self>, st: &mut State, uris: &[Uri]) {
        for uri in uris {
            let Some(doc) = st.docs.get_mut(uri) else {
                continue;
            };
            let mut warnings = Vec::new();
            let mut project = ProjectFiles::load(uri, &mut warnings);
            self.project_warnings(&warnings);
            project.disk = doc.project.disk.clone();
            let (id, text) = (doc.id, doc.current.text.clone());
            if project != doc.project {
                project.prepare();
                doc.project = project;
                let input = doc.project.input();
                let snapshot = document::Snapshot::new(
                    doc.current.text.clone(),
                    &lint_options(
                        &st.settings,
                        doc.facts.as_ref(),
                        &doc.project,
                        input.as_ref(),
                    ),
                );
                drop(input);
                doc.replace_current(snapshot);
                self.publish(st, uri);
            }
            self.read_disk(uri.clone(), id, text);
        }
    }

    /// Reads the project around a document's manifest off the handlers (a tarball can take a
    /// while) and, when it differs from what the document had, re-lints and publishes. A
    /// document closed or reopened meanwhile (another `id`) is left alone.
    fn read_disk(self: &Arc<Self>, uri: Uri, id: u64, text: String) {
        let shared = Arc::clone(self);
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        runtime.spawn_blocking(move || {
            let Some(disk) = project::read_disk(&uri, text) else {
                return;
            };
            let mut st = lock(&shared.state);
            let st = &mut *st;
            let Some(doc) = st.docs.get_mut(&uri) else {
                return;
            };
            if doc.id != id {
                return;
            }
            for note in &disk.notes {
                shared.log(MessageType::WARNING, note.clone());
            }
            if doc.project.disk.as_deref() == Some(&disk) {
                return;
            }
            doc.project.set_disk(Some(Arc::new(disk)));
            let input = doc.project.input();
            let snapshot = document::Snapshot::new(
                doc.current.text.clone(),
                &lint_options(
                    &st.settings,
                    doc.facts.as_ref(),
                    &doc.project,
                    input.as_ref(),
                ),
            );
            drop(input);
            // Published only when it changes something: most projects add no diagnostic.
            let changed = snapshot.analysis.diagnostics != doc.current.analysis.diagnostics;
            doc.replace_current(snapshot);
            if changed {
                shared.publish(st, &uri);
            }
            shared.maybe_probe(st, &uri);
        });
    }

    fn settings_warnings(&self, warnings: &[String]) {
        for w in warnings {
            self.log(MessageType::WARNING, format!("settings: {w}"));
        }
    }

    /// Queues the diagnostics of a document's current analysis. Called with the state locked, so
    /// the queue's order is the order in which analyses were made.
    fn publish(&self, st: &State, uri: &Uri) {
        if st.flags.pull_diagnostics {
            if st.flags.diagnostic_refresh {
                let _ = self.out.send(Out::RefreshDiagnostics);
            }
            return;
        }
        let Some(doc) = st.docs.get(uri) else { return };
        let diagnostics = convert::diagnostics(&doc.current, uri, st.encoding);
        let _ = self.out.send(Out::Publish {
            uri: uri.clone(),
            diagnostics,
            version: Some(doc.version),
        });
    }

    /// [`Shared::publish`] after the client's own edit (pull clients then ask by themselves).
    fn publish_edited(&self, st: &State, uri: &Uri) {
        if !st.flags.pull_diagnostics {
            self.publish(st, uri);
        }
    }

    /// Recomputes the settings from their layers; when they changed, re-lints every document.
    fn settings_changed(self: &Arc<Self>, st: &mut State) {
        let new = Settings::default()
            .with(&st.init_settings)
            .with(&st.pulled_settings);
        if new == st.settings {
            return;
        }
        let trust_changed = new.trusted_registries != st.settings.trusted_registries
            || new.probe_all != st.settings.probe_all;
        if new.registry_timeout != st.settings.registry_timeout || trust_changed {
            st.prober = None;
            st.prober_failed = false;
        }
        if trust_changed {
            // What was skipped may now be asked (and the other way round): start afresh.
            for doc in st.docs.values_mut() {
                doc.facts = None;
                doc.last_probe = None;
            }
        }
        let hints_changed = new.inlay_hints != st.settings.inlay_hints;
        st.settings = new;
        if hints_changed && st.flags.inlay_hint_refresh {
            let _ = self.out.send(Out::RefreshInlayHints);
        }
        let uris: Vec<Uri> = st.docs.keys().cloned().collect();
        for uri in uris {
            if let Some(doc) = st.docs.get_mut(&uri) {
                let input = doc.project.input();
                let options = lint_options(
                    &st.settings,
                    doc.facts.as_ref(),
                    &doc.project,
                    input.as_ref(),
                );
                let snapshot = document::Snapshot::new(doc.current.text.clone(), &options);
                drop(options);
                drop(input);
                doc.replace_current(snapshot);
            }
            self.publish(st, &uri);
            self.maybe_probe(st, &uri);
        }
    }

    /// The prober, made on first use with the settings' timeout.
    fn prober(&self, st: &mut State) -> Option<Prober> {
        if st.prober.is_none() && !st.prober_failed {
            let (config, errors) = UpmConfig::from_env();
            for e in errors {
                self.log(MessageType::WARNING, e.to_string());
            }
            // Internal addresses (loopback, private, link-local) are never asked, checked after
            // DNS and on every redirect hop, unless the user named their host as trusted.
            let options = ProbeOptions {
                timeout: st.settings.registry_timeout,
                block_internal: true,
                allowed_internal_hosts: trust::Trust::new(&st.settings).allowed_internal_hosts(),
                ..ProbeOptions::default()
            };
            match Prober::new(options, config) {
                Ok(prober) => st.prober = Some(prober),
                Err(e) => {
                    st.prober_failed = true;
                    self.log(MessageType::ERROR, format!("online checks are off: {e}"));
                }
            }
        }
        st.prober.clone()
    }

    /// Starts a background probe of the document's registries, unless online checks are off or
    /// the same targets were probed within the cache's lifetime.
    fn maybe_probe(self: &Arc<Self>, st: &mut State, uri: &Uri) {
        if !st.settings.online || st.config_pending {
            return;
        }
        let Some(doc) = st.docs.get(uri) else { return };
        // A package.json's registries are the project's: nothing of its own to ask.
        if !doc.current.analysis.parsed || doc.project.kind == FileKind::Package {
            return;
        }
        // In a project, what Unity never fetches (embedded, built-in) is not asked about.
        let targets = match doc.project.input() {
            Some(input) => doc.current.analysis.probe_targets_in(&input),
            None => doc.current.analysis.probe_targets(),
        };
        let targets: Vec<ProbeTarget> = targets
            .into_iter()
            // Unity's registry is asked about only when dependencies go there.
            .filter(|t| {
                !(t.packages.is_empty() && t.url == manifest_lint_core::model::UNITY_REGISTRY_URL)
            })
            .collect();
        if targets.is_empty() {
            return;
        }
        let ttl = ProbeOptions::default().cache_ttl;
        if let Some((last, at)) = &doc.last_probe {
            if *last == targets && at.elapsed() < ttl {
                return;
            }
        }
        let Some(prober) = self.prober(st) else {
            return;
        };
        st.probe_generation += 1;
        let generation = st.probe_generation;
        let Some(doc) = st.docs.get_mut(uri) else {
            return;
        };
        doc.last_probe = Some((targets.clone(), Instant::now()));
        let id = doc.id;
        // Only registries the user trusts are asked; the others are "not checked", at once.
        let trust = trust::Trust::new(&st.settings);
        let (trusted, untrusted): (Vec<ProbeTarget>, Vec<ProbeTarget>) = targets
            .into_iter()
            .partition(|t| trust.allows(&t.url, prober.config()));
        if !untrusted.is_empty() {
            let mut facts = OnlineFacts::default();
            for t in untrusted {
                facts
                    .registries
                    .insert(t.url.clone(), trust::untrusted_status());
            }
            self.apply_facts(st, uri, id, generation, facts);
        }
        if trusted.is_empty() {
            return;
        }
        let shared = self.clone();
        let uri = uri.clone();
        tokio::spawn(async move {
            let facts = prober.probe(&trusted).await;
            shared.facts_arrived(&uri, id, generation, facts);
        });
    }

    /// [`Shared::maybe_probe`] once typing in the document pauses for [`PROBE_DEBOUNCE`]: one
    /// timer task per burst of edits, which runs the check with the text current by then.
    fn probe_after_typing(self: &Arc<Self>, st: &mut State, uri: &Uri) {
        if !st.settings.online || st.config_pending {
            return;
        }
        let Some(doc) = st.docs.get_mut(uri) else {
            return;
        };
        let due = Instant::now() + PROBE_DEBOUNCE;
        if doc.probe_due.replace(due).is_some() {
            return; // The pending task sees the later time.
        }
        let id = doc.id;
        let shared = self.clone();
        let uri = uri.clone();
        tokio::spawn(async move {
            let mut due = due;
            loop {
                tokio::time::sleep_until(due.into()).await;
                let mut st = lock(&shared.state);
                let st = &mut *st;
                let Some(doc) = st.docs.get_mut(&uri).filter(|d| d.id == id) else {
                    return;
                };
                match doc.probe_due {
                    // Typed again meanwhile: wait on.
                    Some(next) if next > Instant::now() => due = next,
                    _ => {
                        doc.probe_due = None;
                        shared.maybe_probe(st, &uri);
                        return;
                    }
                }
            }
        });
    }

    /// Starts a background search of the registry at `url` for `text`, unless one is running;
    /// its answer lands in the prober's cache, where the next completion request finds it.
    fn search_in_background(
        self: &Arc<Self>,
        st: &mut State,
        prober: &Prober,
        url: String,
        text: String,
    ) {
        if !st.searching.insert((url.clone(), text.clone())) {
            return;
        }
        let shared = self.clone();
        let prober = prober.clone();
        tokio::spawn(async move {
            let results = prober.search(&url, &text).await;
            let mut st = lock(&shared.state);
            let key = (url, text);
            st.searching.remove(&key);
            if st.recent_searches.len() >= RECENT_SEARCHES {
                st.recent_searches.clear();
            }
            st.recent_searches.insert(key, results);
        });
    }

    /// Fetches the full packument of `name` on `url` (for the `unity` requirement of each
    /// version) unless it is being fetched; completion shows it once it is there.
    fn packument_in_background(
        self: &Arc<Self>,
        st: &mut State,
        prober: &Prober,
        url: String,
        name: String,
    ) {
        if !st.fetching_packuments.insert((url.clone(), name.clone())) {
            return;
        }
        let shared = self.clone();
        let prober = prober.clone();
        tokio::spawn(async move {
            let status = prober.packument(&url, &name).await;
            let mut st = lock(&shared.state);
            let key = (url, name);
            st.fetching_packuments.remove(&key);
            if let manifest_lint_core::project::PackumentStatus::Found(packument) = status {
                if st.recent_packuments.len() >= RECENT_SEARCHES {
                    st.recent_packuments.clear();
                }
                st.recent_packuments.insert(key, Arc::new(packument));
            }
        });
    }

    /// Merges a probe's facts into the document's and re-lints its current text with them.
    fn facts_arrived(&self, uri: &Uri, id: u64, generation: u64, facts: OnlineFacts) {
        let mut st = lock(&self.state);
        self.apply_facts(&mut st, uri, id, generation, facts);
    }

    /// [`Shared::facts_arrived`] with the state locked.
    fn apply_facts(&self, st: &mut State, uri: &Uri, id: u64, generation: u64, facts: OnlineFacts) {
        let Some(doc) = st.docs.get_mut(uri).filter(|d| d.id == id) else {
            return;
        };
        if generation < doc.facts_generation {
            return;
        }
        doc.facts_generation = generation;
        let merged = doc.facts.get_or_insert_with(OnlineFacts::default);
        merged.registries.extend(facts.registries);
        for (url, packages) in facts.packages {
            merged.packages.entry(url).or_default().extend(packages);
        }
        if !st.settings.online {
            return;
        }
        let input = doc.project.input();
        let options = lint_options(
            &st.settings,
            doc.facts.as_ref(),
            &doc.project,
            input.as_ref(),
        );
        let snapshot = document::Snapshot::new(doc.current.text.clone(), &options);
        drop(options);
        drop(input);
        let changed = snapshot.analysis.diagnostics != doc.current.analysis.diagnostics;
        doc.replace_current(snapshot);
        if changed {
            self.publish(st, uri);
        }
    }
}

/// Sends what the queue holds to the client, in order. When several results for one document are
/// waiting, only the newest is sent.
async fn publisher(
    client: Client,
    frames: transport::Frames,
    mut rx: mpsc::UnboundedReceiver<Out>,
) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while let Ok(more) = rx.try_recv() {
            batch.push(more);
        }
        let mut newest: HashMap<Uri, usize> = HashMap::new();
        let mut refreshed = false;
        for (i, out) in batch.iter().enumerate() {
            if let Out::Publish { uri, .. } = out {
                newest.insert(uri.clone(), i);
            }
        }
        for (i, out) in batch.into_iter().enumerate() {
            match out {
                Out::Publish {
                    uri,
                    diagnostics,
                    version,
                } => {
                    if newest.get(&uri) == Some(&i) {
                        let params = PublishDiagnosticsParams {
                            uri,
                            diagnostics,
                            version,
                        };
                        frames.send(wire::publish_diagnostics(&params)).await;
                    }
                }
                Out::Log(kind, message) => client.log_message(kind, message).await,
                Out::RefreshDiagnostics if !refreshed => {
                    refreshed = true;
                    let client = client.clone();
                    tokio::spawn(async move {
                        let _ = tokio::time::timeout(
                            CONFIGURATION_TIMEOUT,
                            client.workspace_diagnostic_refresh(),
                        )
                        .await;
                    });
                }
                Out::RefreshDiagnostics => {}
                Out::RefreshInlayHints => {
                    let client = client.clone();
                    tokio::spawn(async move {
                        let _ = tokio::time::timeout(
                            CONFIGURATION_TIMEOUT,
                            client.inlay_hint_refresh(),
                        )
                        .await;
                    });
                }
            }
        }
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        if let Some(rx) = lock(&self.shared.out_rx).take() {
            tokio::spawn(publisher(self.client.clone(), self.frames.clone(), rx));
        }
        let caps = &params.capabilities;
        let general = caps.general.as_ref();
        let offered = general.and_then(|g| g.position_encodings.as_deref());
        let mut encoding = convert::negotiate(offered);
        // clangd's older `offsetEncoding` (Neovim before 0.9 offers it).
        let mut offset_encoding = None;
        if offered.is_none() {
            if let Some(list) = &caps.offset_encoding {
                if list.iter().any(|e| e == "utf-8") {
                    encoding = Encoding::Utf8;
                    offset_encoding = Some("utf-8".to_string());
                }
            }
        }
        let workspace = caps.workspace.as_ref();
        let flags = ClientFlags {
            configuration: workspace.and_then(|w| w.configuration) == Some(true),
            register_configuration: workspace
                .and_then(|w| w.did_change_configuration.as_ref())
                .and_then(|d| d.dynamic_registration)
                == Some(true),
            document_changes: workspace
                .and_then(|w| w.workspace_edit.as_ref())
                .and_then(|e| e.document_changes)
                == Some(true),
            inlay_hint_refresh: workspace
                .and_then(|w| w.inlay_hint.as_ref())
                .and_then(|h| h.refresh_support)
                == Some(true),
            register_watched_files: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                == Some(true),
            code_action_resolve: caps
                .text_document
                .as_ref()
                .and_then(|t| t.code_action.as_ref())
                .and_then(|c| c.resolve_support.as_ref())
                .is_some_and(|r| r.properties.iter().any(|p| p == "edit")),
            pull_diagnostics: caps
                .text_document
                .as_ref()
                .is_some_and(|t| t.diagnostic.is_some()),
            diagnostic_refresh: workspace
                .and_then(|w| w.diagnostics.as_ref())
                .and_then(|d| d.refresh_support)
                == Some(true),
            snippets: caps
                .text_document
                .as_ref()
                .and_then(|t| t.completion.as_ref())
                .and_then(|c| c.completion_item.as_ref())
                .and_then(|i| i.snippet_support)
                == Some(true),
            completion_tags: caps
                .text_document
                .as_ref()
                .and_then(|t| t.completion.as_ref())
                .and_then(|c| c.completion_item.as_ref())
                .and_then(|i| i.tag_support.as_ref())
                .is_some_and(|t| t.value_set.contains(&CompletionItemTag::DEPRECATED)),
        };
        let mut warnings = Vec::new();
        let init = params
            .initialization_options
            .as_ref()
            .map(|v| Partial::from_value(v, &mut warnings))
            .unwrap_or_default();
        self.shared.settings_warnings(&warnings);
        {
            let mut st = lock(&self.shared.state);
            st.encoding = encoding;
            st.flags = flags;
            st.init_settings = init;
            st.config_pending = flags.configuration;
            self.shared.settings_changed(&mut st);
        }
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(convert::encoding_kind(encoding)),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        // On save the lock file and manifest-lint.toml are read again.
                        save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                        ..Default::default()
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                definition_provider: Some(OneOf::Left(true)),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(vec!["\"".to_string(), ".".to_string()]),
                    ..Default::default()
                }),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::SOURCE_FIX_ALL,
                            CodeActionKind::from(actions::FIX_ALL_KIND),
                        ]),
                        resolve_provider: Some(true),
                        ..Default::default()
                    },
                )),
                inlay_hint_provider: Some(OneOf::Left(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                document_formatting_provider: Some(OneOf::Left(true)),
                document_range_formatting_provider: Some(OneOf::Left(true)),
                folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
                selection_range_provider: Some(SelectionRangeProviderCapability::Simple(true)),
                document_link_provider: Some(DocumentLinkOptions {
                    resolve_provider: Some(false),
                    work_done_progress_options: Default::default(),
                }),
                code_lens_provider: Some(CodeLensOptions {
                    resolve_provider: Some(false),
                }),
                diagnostic_provider: flags.pull_diagnostics.then(|| {
                    DiagnosticServerCapabilities::Options(DiagnosticOptions {
                        identifier: Some(convert::SOURCE.to_string()),
                        inter_file_dependencies: false,
                        workspace_diagnostics: false,
                        work_done_progress_options: Default::default(),
                    })
                }),
                references_provider: Some(OneOf::Left(true)),
                document_highlight_provider: Some(OneOf::Left(true)),
                rename_provider: Some(OneOf::Right(RenameOptions {
                    prepare_provider: Some(true),
                    work_done_progress_options: Default::default(),
                })),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                semantic_tokens_provider: Some(
                    SemanticTokensServerCapabilities::SemanticTokensOptions(
                        SemanticTokensOptions {
                            legend: semantic_tokens::legend(),
                            full: Some(SemanticTokensFullOptions::Bool(true)),
                            ..Default::default()
                        },
                    ),
                ),
                ..Default::default()
            },
            server_info: Some(ServerInfo {
                name: "manifest-lint".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            offset_encoding,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let flags = lock(&self.shared.state).flags;
        let mut registrations = Vec::new();
        if flags.register_configuration {
            registrations.push(Registration {
                id: "manifest-lint-configuration".to_string(),
                method: "workspace/didChangeConfiguration".to_string(),
                // Only our section: without one VS Code notifies every setting change
                // (`editor.fontSize` too) and the server would ask for its configuration again.
                register_options: Some(serde_json::json!({ "section": settings::SECTION })),
            });
        }
        if flags.register_watched_files {
            let watchers: Vec<_> = [
                format!("**/Packages/{}", project::LOCK_FILE),
                format!("**/{}", manifest_lint_core::config::CONFIG_FILE_NAME),
            ]
            .into_iter()
            .chain(project::PROJECT_GLOBS.iter().map(|g| g.to_string()))
            .map(|glob| FileSystemWatcher {
                glob_pattern: GlobPattern::String(glob),
                kind: None,
            })
            .collect();
            registrations.push(Registration {
                id: "manifest-lint-files".to_string(),
                method: "workspace/didChangeWatchedFiles".to_string(),
                register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions {
                    watchers,
                })
                .ok(),
            });
        }
        if !registrations.is_empty() {
            let client = self.client.clone();
            tokio::spawn(async move {
                let _ = tokio::time::timeout(
                    CONFIGURATION_TIMEOUT,
                    client.register_capability(registrations),
                )
                .await;
            });
        }
        self.pull_configuration();
    }

    async fn shutdown(&self) -> Result<()> {
        self.shared.shutdown.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        if links::is_config(&doc.uri) {
            return lock(&self.shared.state).configs.open(doc.uri, &doc.text);
        }
        // A project manifest, or a package.json that is a Unity package's (docs/lsp.md).
        if !convert::is_manifest(&doc.uri) && !package::is_unity_package(&doc.uri, &doc.text) {
            return;
        }
        // A project without tarballs is read at once, before the state is locked (a few small
        // files, as the lock file is), so that the first analysis already has it; one with a
        // `.tgz` dependency in the background (`read_disk`), where decompressing cannot hold up
        // the server.
        let background = project::in_project(&doc.uri) && project::has_tarballs(&doc.text);
        let disk = if background {
            None
        } else {
            project::read_disk(&doc.uri, doc.text.clone())
        };
        let mut st = lock(&self.shared.state);
        let st = &mut *st;
        st.next_doc_id += 1;
        let mut warnings = Vec::new();
        let mut project = ProjectFiles::load(&doc.uri, &mut warnings);
        self.shared.project_warnings(&warnings);
        if let Some(disk) = disk {
            self.shared.project_warnings(&disk.notes);
            project.set_disk(Some(Arc::new(disk)));
        }
        let input = project.input();
        let options = lint_options(&st.settings, None, &project, input.as_ref());
        let text = doc.text.clone();
        let mut document = Document::new(st.next_doc_id, doc.version, doc.text, &options);
        drop(options);
        drop(input);
        document.project = project;
        st.docs.insert(doc.uri.clone(), document);
        self.shared.publish_edited(st, &doc.uri);
        if background {
            // The probe waits for the packages on disk (`read_disk` starts it), so that
            // embedded packages are never asked about.
            self.shared.read_disk(doc.uri.clone(), st.next_doc_id, text);
        } else {
            self.shared.maybe_probe(st, &doc.uri);
        }
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let mut st = lock(&self.shared.state);
        let st = &mut *st;
        let encoding = st.encoding;
        if st.configs.change(&uri, &params.content_changes, encoding) {
            return;
        }
        let Some(doc) = st.docs.get_mut(&uri) else {
            return;
        };
        doc.apply_changes(&params.content_changes, encoding);
        doc.version = params.text_document.version;
        let input = doc.project.input();
        let snapshot = doc.relint(&lint_options(
            &st.settings,
            doc.facts.as_ref(),
            &doc.project,
            input.as_ref(),
        ));
        drop(input);
        doc.replace_current(snapshot);
        self.shared.publish_edited(st, &uri);
        self.shared.probe_after_typing(st, &uri);
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        let mut st = lock(&self.shared.state);
        self.shared
            .reload_project(&mut st, &[params.text_document.uri]);
    }

    async fn did_change_watched_files(&self, _: DidChangeWatchedFilesParams) {
        let mut st = lock(&self.shared.state);
        let uris: Vec<Uri> = st.docs.keys().cloned().collect();
        self.shared.reload_project(&mut st, &uris);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let mut st = lock(&self.shared.state);
        st.configs.close(&uri);
        if st.docs.remove(&uri).is_some() && !st.flags.pull_diagnostics {
            let _ = self.shared.out.send(Out::Publish {
                uri,
                diagnostics: Vec::new(),
                version: None,
            });
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let pull = lock(&self.shared.state).flags.configuration;
        if pull {
            self.pull_configuration();
            return;
        }
        let mut warnings = Vec::new();
        let partial = Partial::from_value(&params.settings, &mut warnings);
        self.shared.settings_warnings(&warnings);
        let mut st = lock(&self.shared.state);
        st.pulled_settings = partial;
        self.shared.settings_changed(&mut st);
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        let st = lock(&self.shared.state);
        let Some(doc) = st.docs.get(&p.text_document.uri) else {
            return Ok(None);
        };
        let offset = doc.current.offset(p.position, st.encoding);
        let online = hover::Online {
            enabled: st.settings.online,
            facts: doc.facts.as_ref(),
        };
        // In a package.json only the keys are documented: where its dependencies come from is
        // the project's business (its scopes), not this file's.
        if doc.project.kind == FileKind::Package {
            return Ok(keydocs::hover(&doc.view(), offset, st.encoding));
        }
        Ok(hover::hover(&doc.view(), offset, online, st.encoding)
            .or_else(|| keydocs::hover(&doc.view(), offset, st.encoding)))
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let p = params.text_document_position_params;
        let st = lock(&self.shared.state);
        let Some(doc) = st.docs.get(&p.text_document.uri) else {
            return Ok(None);
        };
        let offset = doc.current.offset(p.position, st.encoding);
        Ok(
            navigation::definition(&doc.view(), offset, &p.text_document.uri, st.encoding)
                .map(GotoDefinitionResponse::Scalar),
        )
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let st = lock(&self.shared.state);
        let Some(doc) = st.docs.get(&params.text_document.uri) else {
            return Ok(None);
        };
        if !st.settings.inlay_hints || doc.project.kind == FileKind::Package {
            return Ok(Some(Vec::new()));
        }
        let range = doc.current.span(params.range, st.encoding);
        Ok(Some(navigation::inlay_hints(
            &doc.view(),
            range,
            st.encoding,
        )))
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let st = lock(&self.shared.state);
        let Some(doc) = st.docs.get(&params.text_document.uri) else {
            return Ok(None);
        };
        Ok(Some(DocumentSymbolResponse::Nested(
            navigation::document_symbols(&doc.view(), st.encoding),
        )))
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let p = params.text_document_position;
        let mut st = lock(&self.shared.state);
        let st = &mut *st;
        let Some(doc) = st.docs.get(&p.text_document.uri) else {
            return Ok(None);
        };
        let offset = doc.current.offset(p.position, st.encoding);
        let current = doc.current.clone();
        // Names come from the last version that parsed (as `Document::view` picks it).
        let good = match &doc.last_good {
            Some(good) if !current.analysis.parsed => good.clone(),
            _ => current.clone(),
        };
        let facts = doc.facts.as_ref().filter(|_| st.settings.online);
        let found = completion::complete(&current, &good.analysis, offset, facts, st.encoding);
        let mut items = found.items;
        let mut incomplete = false;
        // Package names: from the registries' searches, as far as the prober has them cached;
        // the rest is searched in the background and the client asks again (isIncomplete).
        let manifest = doc.project.kind == FileKind::Manifest;
        if let Some(query) = found.names.filter(|_| st.settings.online && manifest) {
            // Until the editor's settings arrive nothing is searched, but what is cached is shown.
            let pending = st.config_pending;
            let prober = if pending {
                st.prober.clone()
            } else {
                self.shared.prober(st)
            };
            incomplete = pending;
            if let Some(prober) = prober {
                // Names are searched only on registries the user trusts: the others answer
                // "nothing", at once (so completion does not wait for them either).
                let trust = trust::Trust::new(&st.settings);
                let recent = &st.recent_searches;
                let names = names::complete(
                    &current,
                    &good.analysis,
                    &query,
                    st.encoding,
                    st.flags.snippets,
                    |url, text| {
                        if !trust.allows(url, prober.config()) {
                            return Some(names::Cached {
                                results: manifest_lint_registry::SearchResults {
                                    hits: Vec::new(),
                                    source: manifest_lint_registry::SearchSource::Failed {
                                        detail: "not checked: the registry is not trusted".into(),
                                    },
                                    truncated: false,
                                },
                                fresh: true,
                            });
                        }
                        if let Some(results) = prober.cached_search(url, text) {
                            return Some(names::Cached {
                                results,
                                fresh: true,
                            });
                        }
                        // Past the cache lifetime: shown, and searched again.
                        recent
                            .get(&(url.to_string(), text.to_string()))
                            .map(|results| names::Cached {
                                results: results.clone(),
                                fresh: false,
                            })
                    },
                );
                items.extend(names.items);
                incomplete |= names.incomplete;
                for (url, text) in names.wanted.into_iter().filter(|_| !pending) {
                    self.shared.search_in_background(st, &prober, url, text);
                }
            }
        }
        // Versions: each one's `unity` requirement, from the package's full packument, as far as
        // it is cached (only from registries the user trusts); else fetched in the background
        // and the client asks again.
        if let Some(query) = found.versions.filter(|_| st.settings.online && manifest) {
            let trust = trust::Trust::new(&st.settings);
            let prober = if st.config_pending {
                None
            } else {
                self.shared.prober(st)
            };
            if let Some(prober) = prober.filter(|p| trust.allows(&query.url, p.config())) {
                let key = (query.url, query.name);
                let fresh = match prober.cached_packument(&key.0, &key.1) {
                    Some(manifest_lint_core::project::PackumentStatus::Found(p)) => {
                        Some(Arc::new(p))
                    }
                    // Asked, and no packument: nothing to show, nothing to ask again.
                    Some(_) => None,
                    None => {
                        let stale = st.recent_packuments.get(&key).cloned();
                        incomplete |= stale.is_none();
                        self.shared.packument_in_background(
                            st,
                            &prober,
                            key.0.clone(),
                            key.1.clone(),
                        );
                        stale
                    }
                };
                if let Some(packument) = fresh {
                    let editor = st
                        .docs
                        .get(&p.text_document.uri)
                        .and_then(|d| d.project.disk.as_deref())
                        .and_then(|d| d.project_version.as_deref())
                        .and_then(manifest_lint_core::project::EditorVersion::from_project_version);
                    completion::requirements(
                        &mut items,
                        &packument,
                        editor.as_ref(),
                        st.flags.completion_tags,
                    );
                }
            }
        }
        if incomplete {
            return Ok(Some(CompletionResponse::List(CompletionList {
                is_incomplete: true,
                items,
            })));
        }
        Ok((!items.is_empty()).then_some(CompletionResponse::Array(items)))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = &params.text_document.uri;
        let only = params.context.only.as_deref();
        let mut out = Vec::new();
        {
            let st = lock(&self.shared.state);
            let Some(doc) = st.docs.get(uri) else {
                return Ok(None);
            };
            let target = actions::Target {
                uri,
                version: doc.version,
                document_changes: st.flags.document_changes,
            };
            if actions::wants(only, CodeActionKind::QUICKFIX.as_str()) {
                let range = doc.current.span(params.range, st.encoding);
                out.extend(actions::quick_fixes(
                    &doc.current,
                    range,
                    target,
                    st.encoding,
                ));
            }
            if st.settings.trust_command && actions::wants(only, CodeActionKind::QUICKFIX.as_str())
            {
                let range = doc.current.span(params.range, st.encoding);
                out.extend(actions::trust_registry(
                    &doc.current,
                    doc.facts.as_ref(),
                    range,
                    trust::TRUST_COMMAND,
                ));
            }
            // Without `only` the client asks as the cursor moves: the fix engine does not run
            // for that, except on a small text when the client cannot resolve actions.
            let eager = only.is_some()
                || (!st.flags.code_action_resolve
                    && doc.current.text.len() <= actions::EAGER_FIX_ALL_BYTES);
            if !actions::wants(only, actions::FIX_ALL_KIND) || !actions::has_safe_fix(&doc.current)
            {
                return Ok(Some(out));
            }
            if !eager {
                if st.flags.code_action_resolve {
                    let data = actions::ResolveData { uri: uri.clone() };
                    out.push(actions::fix_all_action(None, Some(data)));
                }
                return Ok(Some(out));
            }
        }
        if let Some(edit) = self.fix_all_edit(uri).await {
            out.push(actions::fix_all_action(Some(edit), None));
        }
        Ok(Some(out))
    }
    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        let st = lock(&self.shared.state);
        let Some(doc) = st.docs.get(&params.text_document.uri) else {
            return Ok(None);
        };
        Ok(formatting::format(&doc.current, None, st.encoding))
    }

    async fn range_formatting(
        &self,
        params: DocumentRangeFormattingParams,
    ) -> Result<Option<Vec<TextEdit>>> {
        let st = lock(&self.shared.state);
        let Some(doc) = st.docs.get(&params.text_document.uri) else {
            return Ok(None);
        };
        let range = doc.current.span(params.range, st.encoding);
        Ok(formatting::format(&doc.current, Some(range), st.encoding))
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let st = lock(&self.shared.state);
        let Some(doc) = st.docs.get(&params.text_document.uri) else {
            return Ok(None);
        };
        Ok(folding::folding_ranges(&doc.current, st.encoding))
    }

    async fn selection_range(
        &self,
        params: SelectionRangeParams,
    ) -> Result<Option<Vec<SelectionRange>>> {
        let st = lock(&self.shared.state);
        let Some(doc) = st.docs.get(&params.text_document.uri) else {
            return Ok(None);
        };
        Ok(Some(selection::selection_ranges(
            &doc.current,
            &params.positions,
            st.encoding,
        )))
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        let st = lock(&self.shared.state);
        let uri = &params.text_document.uri;
        if let Some(links) = st.configs.links(uri, st.encoding) {
            return Ok(Some(links));
        }
        let Some(doc) = st.docs.get(uri) else {
            return Ok(None);
        };
        Ok(Some(links::manifest_links(&doc.view(), uri, st.encoding)))
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        let st = lock(&self.shared.state);
        let Some(doc) = st.docs.get(&params.text_document.uri) else {
            return Ok(None);
        };
        if doc.project.kind == FileKind::Package {
            return Ok(Some(Vec::new()));
        }
        Ok(Some(lens::code_lenses(&doc.view(), st.encoding)))
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let st = lock(&self.shared.state);
        let uri = &params.text_document.uri;
        Ok(pull::report(
            st.docs.get(uri),
            uri,
            st.encoding,
            params.previous_result_id.as_deref(),
        ))
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let p = params.text_document_position;
        let st = lock(&self.shared.state);
        let Some(doc) = st.docs.get(&p.text_document.uri) else {
            return Ok(None);
        };
        let offset = doc.current.offset(p.position, st.encoding);
        let uri = &p.text_document.uri;
        let declaration = params.context.include_declaration;
        Ok(references::references(
            &doc.view(),
            offset,
            uri,
            declaration,
            st.encoding,
        ))
    }

    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        let p = params.text_document_position_params;
        let st = lock(&self.shared.state);
        let Some(doc) = st.docs.get(&p.text_document.uri) else {
            return Ok(None);
        };
        let offset = doc.current.offset(p.position, st.encoding);
        Ok(references::highlights(&doc.view(), offset, st.encoding))
    }

    async fn prepare_rename(
        &self,
        p: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        let st = lock(&self.shared.state);
        let Some(doc) = st.docs.get(&p.text_document.uri) else {
            return Ok(None);
        };
        let offset = doc.current.offset(p.position, st.encoding);
        references::prepare(&doc.view(), offset, st.encoding)
            .map(Some)
            .map_err(request_failed)
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let p = params.text_document_position;
        let st = lock(&self.shared.state);
        let Some(doc) = st.docs.get(&p.text_document.uri) else {
            return Ok(None);
        };
        let offset = doc.current.offset(p.position, st.encoding);
        let target = actions::Target {
            uri: &p.text_document.uri,
            version: doc.version,
            document_changes: st.flags.document_changes,
        };
        references::rename(&doc.view(), offset, &params.new_name, target, st.encoding)
            .map(Some)
            .map_err(request_failed)
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        let st = lock(&self.shared.state);
        let query = params.query.to_lowercase();
        let mut uris: Vec<&Uri> = st.docs.keys().collect();
        uris.sort_by_key(|u| u.as_str());
        let mut out = Vec::new();
        for uri in uris {
            let view = st.docs[uri].view();
            workspace_symbols::collect(&view, uri, &query, st.encoding, &mut out);
        }
        Ok(Some(WorkspaceSymbolResponse::Flat(out)))
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        let st = lock(&self.shared.state);
        let Some(doc) = st.docs.get(&params.text_document.uri) else {
            return Ok(None);
        };
        let tokens = semantic_tokens::full(&doc.view(), st.encoding);
        Ok(Some(SemanticTokensResult::Tokens(tokens)))
    }

    async fn code_action_resolve(&self, mut action: CodeAction) -> Result<CodeAction> {
        let data = action
            .data
            .clone()
            .and_then(|d| serde_json::from_value::<actions::ResolveData>(d).ok());
        if let (Some(data), None) = (data, &action.edit) {
            action.edit = self.fix_all_edit(&data.uri).await;
        }
        Ok(action)
    }
}

impl Backend {
    /// The edit of "Fix all safe problems" for the document's current version. The fix engine
    /// lints the text up to 10 times (seconds for a file of megabytes): it runs on a blocking
    /// thread with copies of what it needs, never under the state lock.
    async fn fix_all_edit(&self, uri: &Uri) -> Option<WorkspaceEdit> {
        let (snap, settings, facts, project, version, document_changes, encoding) = {
            let st = lock(&self.shared.state);
            let doc = st.docs.get(uri)?;
            (
                doc.current.clone(),
                st.settings.clone(),
                doc.facts.clone(),
                doc.project.clone(),
                doc.version,
                st.flags.document_changes,
                st.encoding,
            )
        };
        let uri = uri.clone();
        tokio::task::spawn_blocking(move || {
            let input = project.input();
            let options = lint_options(&settings, facts.as_ref(), &project, input.as_ref());
            let target = actions::Target {
                uri: &uri,
                version,
                document_changes,
            };
            actions::fix_all_edit(&snap, &options, target, encoding)
        })
        .await
        .ok()
        .flatten()
    }
}

/// LSP's `RequestFailed` (-32803), with a message the editor shows (a refused rename).
fn request_failed(message: String) -> tower_lsp_server::jsonrpc::Error {
    tower_lsp_server::jsonrpc::Error {
        code: tower_lsp_server::jsonrpc::ErrorCode::ServerError(-32803),
        message: message.into(),
        data: None,
    }
}
