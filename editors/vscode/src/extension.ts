// The VS Code side: start `manifest-lint lsp` for Unity manifests. The decisions (which binary,
// which settings) live in serverPath.ts and settings.ts, which do not import `vscode`.

import * as cp from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import { PassThrough } from 'stream';
import * as vscode from 'vscode';
import {
  CloseAction,
  DidChangeConfigurationNotification,
  ErrorAction,
  ErrorHandler,
  LanguageClient,
  LanguageClientOptions,
  ResponseError,
  RevealOutputChannelOn,
  ServerOptions,
  State,
  StreamInfo,
} from 'vscode-languageclient/node';

import { MANIFEST_GLOB, PACKAGE_GLOB, isManifestPath, looksLikeUnityPackage } from './manifestPath';
import { effectivePathSetting, findServer } from './serverPath';
import { RESTART_KEYS, SECTION, ServerSettings, answerConfiguration, describeSettings, toServerSettings } from './settings';
import { PROBE_ALL_KEY, TRUSTED_KEY, toTrustSettings } from './trust';
import { registerTrustCommand } from './trustCommand';
import {
  RestartBudget,
  checkVersionOutput,
  diagnosticCode,
  findReadme,
  pathSettingsCommand,
  plainText,
  remoteHint,
  rulesReportedByJsonService,
  unique,
} from './ui';

const CLIENT_ID = 'manifestLint';
const CLIENT_NAME = 'Manifest Lint';

let controller: ServerController | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel(CLIENT_NAME);
  controller = new ServerController(context, output);
  const c = controller;
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand(`${CLIENT_ID}.restartServer`, () => c.restart()),
    vscode.commands.registerCommand(`${CLIENT_ID}.showOutput`, () => output.show(true)),
    registerTrustCommand(SECTION),
    vscode.workspace.onDidOpenTextDocument((doc) => {
      if (isManifestDocument(doc)) {
        void c.ensureStarted();
      }
    }),
    vscode.workspace.onDidChangeConfiguration((e) => c.onConfigurationChanged(e)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      output.appendLine('Workspace trusted: restarting the server with online checks as configured.');
      void c.restart();
    }),
    watchForNewManifests(c),
  );

  // Start now when a manifest is open or the workspace has one; otherwise wait for one to open.
  // (`onLanguage:json` activates us for every JSON file: most of them are none of our business.)
  if (vscode.workspace.textDocuments.some(isManifestDocument)) {
    void c.ensureStarted();
  } else {
    void vscode.workspace.findFiles(MANIFEST_GLOB, '**/node_modules/**', 1).then(
      (found) => {
        if (found.length > 0) {
          void c.ensureStarted();
        }
      },
      () => undefined,
    );
  }
}

export async function deactivate(): Promise<void> {
  await controller?.stop();
  controller = undefined;
}

/** A manifest created after start-up (Unity creating a project, a checkout) starts the server too. */
function watchForNewManifests(c: ServerController): vscode.Disposable {
  const watcher = vscode.workspace.createFileSystemWatcher(MANIFEST_GLOB, false, true, true);
  watcher.onDidCreate((uri) => {
    if (uri.scheme === 'file' && isManifestPath(uri.fsPath)) {
      void c.ensureStarted();
    }
  });
  return watcher;
}

function isManifestDocument(doc: vscode.TextDocument): boolean {
  return (
    doc.uri.scheme === 'file' &&
    (doc.languageId === 'json' || doc.languageId === 'jsonc') &&
    (isManifestPath(doc.uri.fsPath) || looksLikeUnityPackage(doc.uri.fsPath, doc.getText()))
  );
}

function isExecutable(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    if (process.platform !== 'win32') {
      fs.accessSync(file, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

class ServerController {
  private client: LanguageClient | undefined;
  /** The client's start(): a client cannot be stopped while it is starting, only after. */
  private clientStarted: Promise<void> | undefined;
  /** Set after a failed start, so that every manifest opened does not raise the same error again. */
  private failed = false;
  /** The failure was "no binary found" (not a binary that failed), so looking again may help. */
  private notFound = false;
  /** The process of the running server: the client is given its streams, we own its lifetime. */
  private process: cp.ChildProcess | undefined;
  /** Set while we stop the server ourselves, so that its exit is not reported as a crash. */
  private stopping = false;
  private readonly crashes = new RestartBudget();
  private restartChain: Promise<void> = Promise.resolve();
  /** Clients that reached Running: only their server's exit is a crash worth a restart. */
  private readonly everRan = new WeakSet<LanguageClient>();
  private restartPending = false;
  private starting: Promise<void> | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.OutputChannel,
  ) {}

  private currentSettings(): ServerSettings {
    const config = vscode.workspace.getConfiguration(SECTION);
    const settings = toServerSettings(
      {
        online: config.get('online'),
        registryTimeout: config.get('registryTimeout'),
        inlayHints: config.get('inlayHints'),
        rules: config.get('rules'),
      },
      { trusted: vscode.workspace.isTrusted },
    );
    // Which registries may be asked: the User settings only (see trust.ts).
    const trust = toTrustSettings(config.inspect(TRUSTED_KEY), config.inspect(PROBE_ALL_KEY), vscode.workspace.isTrusted);
    return { ...settings, ...trust };
  }

  async ensureStarted(): Promise<void> {
    if (this.client) {
      return;
    }
    if (this.failed) {
      // A failed start is not repeated (one notification, no restart storm) until the settings
      // change or the user restarts; but a binary that was missing may have been installed since
      // (or a remote machine's settings arrived late): look again, quietly.
      if (!this.notFound || !this.serverNowFindable()) {
        return;
      }
      this.failed = false;
      this.notFound = false;
    }
    if (!this.starting) {
      this.starting = this.start().finally(() => {
        this.starting = undefined;
      });
    }
    return this.starting;
  }

  /**
   * Restarts one at a time: trusting a workspace both grants trust and changes the effective
   * manifestLint.path, and two overlapping restarts would write to a server being stopped. A
   * restart asked for while another waits to begin is the same restart.
   */
  restart(): Promise<void> {
    if (this.restartPending) {
      return this.restartChain;
    }
    this.restartPending = true;
    this.restartChain = this.restartChain.then(async () => {
      this.restartPending = false;
      await this.restartNow();
    });
    return this.restartChain;
  }

  private async restartNow(): Promise<void> {
    try {
      if (this.starting) {
        await this.starting;
      }
      await this.stop();
      this.failed = false;
      this.notFound = false;
      await this.ensureStarted();
    } catch (err) {
      this.output.appendLine(`Restarting the server: ${String(err)}`);
    }
  }

  async stop(): Promise<void> {
    const client = this.client;
    const started = this.clientStarted;
    const child = this.process;
    this.client = undefined;
    this.clientStarted = undefined;
    if (client) {
      this.stopping = true;
      try {
        await started?.catch(() => undefined);
        if (client.state !== State.Stopped) {
          await client.stop();
        }
      } catch (err) {
        this.output.appendLine(`Stopping the server: ${String(err)}`);
      } finally {
        this.stopping = false;
      }
    }
    if (child) {
      await endProcess(child);
      if (this.process === child) {
        this.process = undefined;
      }
    }
  }

  onConfigurationChanged(e: vscode.ConfigurationChangeEvent): void {
    if (!e.affectsConfiguration(SECTION)) {
      return;
    }
    if (this.failed && !this.client) {
      // After a failed start any change of our settings is worth another try.
      this.output.appendLine('Settings changed: looking for the server again.');
      void this.restart();
      return;
    }
    if (RESTART_KEYS.some((key) => e.affectsConfiguration(key))) {
      this.output.appendLine('manifestLint.path changed: restarting the server.');
      void this.restart();
      return;
    }
    const client = this.client;
    if (client && client.state === State.Running) {
      const settings = this.currentSettings();
      this.output.appendLine(`Settings changed: ${describeSettings(settings, vscode.workspace.isTrusted)}`);
      void client.sendNotification(DidChangeConfigurationNotification.type, { settings: { [SECTION]: settings } });
    }
  }

  private async start(): Promise<void> {
    const trusted = vscode.workspace.isTrusted;
    const found = findServer({
      configuredPath: effectivePathSetting(vscode.workspace.getConfiguration(SECTION).inspect<string>('path'), trusted),
      extensionPath: this.context.extensionPath,
      workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
      platform: process.platform,
      env: process.env,
      homedir: os.homedir(),
      isExecutable,
    });
    if (!found.ok) {
      this.failed = true;
      this.notFound = true;
      this.output.appendLine(plainText(found.message) + remoteHint(vscode.env.remoteName));
      if (found.tried.length > 0) {
        this.output.appendLine(`Looked for: ${unique(found.tried).join(', ')}`);
      }
      void this.showNotFound(found.message);
      return;
    }

    const version = await probeVersion(found.command);
    if (!version.ok) {
      this.failed = true;
      this.output.appendLine(`${found.command} (${found.source}) is not a working manifest-lint: ${version.reason}`);
      void this.showStartFailed(found.command, version.reason);
      return;
    }

    const settings = this.currentSettings();
    this.output.appendLine(
      `Starting ${found.command} lsp (${found.source}); manifest-lint ${version.version}; ${describeSettings(settings, trusted)}` +
        (vscode.env.remoteName ? `; remote window (${vscode.env.remoteName})` : ''),
    );

    // We spawn the process and hand the client its streams: the client then neither logs an
    // "[Error] Server process exited with code 0" on every clean stop nor restarts a binary that
    // keeps failing; `errorHandler` below decides that, once.
    const serverOptions: ServerOptions = () => this.spawnServer(found.command);
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'json', pattern: MANIFEST_GLOB },
        { scheme: 'file', language: 'jsonc', pattern: MANIFEST_GLOB },
        // Packages' package.json files: the server lints those that are Unity packages' (an
        // embedded package, a `unity` key or a reverse-domain `name`) and ignores the others.
        { scheme: 'file', language: 'json', pattern: PACKAGE_GLOB },
        // For the links from rule ids to their documentation.
        { scheme: 'file', pattern: '**/manifest-lint.toml' },
      ],
      initializationOptions: settings,
      outputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      errorHandler: this.errorHandler(),
      // A failed initialize is reported once, by us (showStartFailed), not retried.
      initializationFailedHandler: () => false,
      middleware: {
        handleDiagnostics: (uri, diagnostics, next) => next(uri, withoutJsonServiceDuplicates(uri, diagnostics)),
        // Clients that pull diagnostics (the server prefers pull where the client offers it) get
        // the same filtering: VS Code's JSON service already reports these.
        provideDiagnostics: async (document, previousResultId, token, next) => {
          const report = await next(document, previousResultId, token);
          if (!report || !('items' in report)) {
            return report;
          }
          const uri = document instanceof vscode.Uri ? document : document.uri;
          return { ...report, items: withoutJsonServiceDuplicates(uri, report.items) };
        },
        provideCodeActions: async (document, range, context, token, next) => plainTitles(await next(document, range, context, token)),
        workspace: {
          // The extension pushes `manifestLint` changes itself (onConfigurationChanged, with the
          // trust override applied) and restarts on a path change: the client's own copy would
          // race the restart ("Sending notification workspace/didChangeConfiguration failed").
          didChangeConfiguration: async () => undefined,
          // Answer `manifestLint` ourselves so the untrusted-workspace override applies here too.
          configuration: async (params, token, next) => {
            const fallback = await next(params, token);
            if (fallback instanceof ResponseError) {
              return fallback;
            }
            return answerConfiguration(params.items, this.currentSettings(), Array.isArray(fallback) ? fallback : []);
          },
        },
      },
    };

    const client = new QuietLanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
    client.onDidChangeState((e) => {
      if (e.newState === State.Running) {
        this.everRan.add(client);
      }
    });
    const started = client.start();
    this.client = client;
    this.clientStarted = started;
    try {
      await started;
      if (client.state !== State.Running && this.client === client) {
        // The client gives up on a server that dies during initialize without failing start().
        throw new Error('the server exited while starting');
      }
    } catch (err) {
      if (this.client !== client) {
        return; // stopped (restart, deactivate) while starting: not a failure
      }
      this.failed = true;
      this.output.appendLine(`The server failed to start: ${String(err)}`);
      void this.showStartFailed(found.command, String(err));
      // The client gave up by itself (it cannot be stopped while "starting"): end the process.
      this.client = undefined;
      this.clientStarted = undefined;
      if (this.process) {
        await endProcess(this.process);
      }
    }
  }

  /**
   * Starts `<command> lsp`; its stderr goes to the output channel, its exit is ours to judge. The
   * client writes through a pass-through that outlives the process: a server that dies does not
   * turn the client's pending writes into "write after end" rejections nobody handles.
   */
  private spawnServer(command: string): Promise<StreamInfo> {
    return new Promise((resolve, reject) => {
      const child = cp.spawn(command, ['lsp'], { env: process.env, stdio: ['pipe', 'pipe', 'pipe'] });
      child.once('error', reject);
      // A server that dies makes writes to it fail (EPIPE): its exit is reported, not this.
      child.stdin?.on('error', () => undefined);
      child.once('spawn', () => {
        this.process = child;
        child.stderr?.on('data', (data: Buffer) => this.output.append(data.toString('utf8')));
        child.once('exit', (code, signal) => {
          if (!this.stopping && this.process === child && code !== 0) {
            this.output.appendLine(`The server exited unexpectedly (${signal ?? `exit code ${code}`}).`);
          }
          if (this.process === child) {
            this.process = undefined;
          }
        });
        const input = new PassThrough();
        input.pipe(child.stdin!);
        child.once('exit', () => {
          input.unpipe();
          input.resume(); // from now on, writes go nowhere
        });
        resolve({ reader: child.stdout!, writer: input });
      });
    });
  }

  /** Crashes of a server that was running: a few restarts, then one message and it stays down. */
  private errorHandler(): ErrorHandler {
    return {
      error: (_error, _message, count) =>
        (count ?? 0) <= 3 ? { action: ErrorAction.Continue, handled: true } : { action: ErrorAction.Shutdown, handled: true },
      closed: () => {
        if (this.stopping) {
          return { action: CloseAction.DoNotRestart, handled: true };
        }
        if (!this.client || !this.everRan.has(this.client)) {
          // It never got going: start() fails and says so once (showStartFailed); no retries.
          return { action: CloseAction.DoNotRestart, handled: true };
        }
        if (this.crashes.allow(Date.now())) {
          this.output.appendLine('The server stopped unexpectedly: restarting it.');
          return { action: CloseAction.Restart, handled: true };
        }
        this.failed = true;
        this.output.appendLine('The server stopped unexpectedly 4 times in 3 minutes: it is not restarted again.');
        void this.showCrashed();
        return { action: CloseAction.DoNotRestart, handled: true };
      },
    };
  }

  /** Whether a search for the binary would now succeed (no notification, no start). */
  private serverNowFindable(): boolean {
    return findServer({
      configuredPath: effectivePathSetting(vscode.workspace.getConfiguration(SECTION).inspect<string>('path'), vscode.workspace.isTrusted),
      extensionPath: this.context.extensionPath,
      workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
      platform: process.platform,
      env: process.env,
      homedir: os.homedir(),
      isExecutable,
    }).ok;
  }

  private async showCrashed(): Promise<void> {
    const choice = await vscode.window.showErrorMessage(
      'Manifest Lint: the language server keeps stopping and was not restarted. Manifest Lint: Restart server starts it again.',
      'Restart',
      'Show output',
    );
    if (choice === 'Restart') {
      await this.restart();
    } else if (choice === 'Show output') {
      this.output.show(true);
    }
  }

  private async showStartFailed(command: string, reason: string): Promise<void> {
    const choice = await vscode.window.showErrorMessage(
      plainText(`Manifest Lint: ${command} did not start as a language server (${reason}). Is it an up-to-date manifest-lint?`) +
        remoteHint(vscode.env.remoteName),
      'Set path',
      'How to install',
      'Show output',
    );
    await this.onMessageChoice(choice);
  }

  private async showNotFound(message: string): Promise<void> {
    const choice = await vscode.window.showErrorMessage(
      plainText(`Manifest Lint: ${message} Install manifest-lint (see How to install) or point manifestLint.path at it.`) +
        remoteHint(vscode.env.remoteName),
      'Set path',
      'How to install',
    );
    await this.onMessageChoice(choice);
  }

  private async onMessageChoice(choice: string | undefined): Promise<void> {
    if (choice === 'Set path') {
      const open = pathSettingsCommand(vscode.env.remoteName);
      await vscode.commands.executeCommand(open.command, ...open.args);
    } else if (choice === 'How to install') {
      await this.showReadme();
    } else if (choice === 'Show output') {
      this.output.show(true);
    }
  }

  /** The README (its "Getting the binary" section), wherever vsce put it; else the web page. */
  private async showReadme(): Promise<void> {
    let files: string[] = [];
    try {
      files = fs.readdirSync(this.context.extensionPath);
    } catch {
      // fall through to the web page
    }
    const name = findReadme(files);
    if (name) {
      // markdown.showPreview does not fail on a missing file: it shows "cannot be found". So the
      // name is checked above, and this is only a fallback when the Markdown extension is off.
      const readme = vscode.Uri.joinPath(this.context.extensionUri, name);
      try {
        await vscode.commands.executeCommand('markdown.showPreview', readme);
        return;
      } catch {
        await vscode.window.showTextDocument(readme);
        return;
      }
    }
    await vscode.env.openExternal(vscode.Uri.parse(INSTALL_URL));
  }
}

/**
 * The language client, minus its own error pop-ups: it logs to the output channel as before, and
 * the extension shows the one notification that says what to do (showStartFailed, showCrashed).
 */
class QuietLanguageClient extends LanguageClient {
  override error(message: string, data?: unknown, _showNotification?: boolean | 'force'): void {
    super.error(message, data, false);
  }
}

const INSTALL_URL = 'https://github.com/manifest-lint/manifest-lint/blob/main/editors/vscode/README.md#getting-the-manifest-lint-binary';

/** Runs `<command> --version` (10 s at most): is this a manifest-lint at all? */
function probeVersion(command: string): Promise<{ ok: true; version: string } | { ok: false; reason: string }> {
  return new Promise((resolve) => {
    cp.execFile(command, ['--version'], { timeout: 10_000, env: process.env, windowsHide: true }, (err, stdout) => {
      if (err) {
        const e = err as NodeJS.ErrnoException & { killed?: boolean; code?: unknown };
        const reason = e.killed
          ? "'--version' did not answer within 10 s"
          : typeof e.code === 'number'
            ? `'--version' exited with code ${e.code}`
            : e.message;
        resolve({ ok: false, reason });
        return;
      }
      const v = checkVersionOutput(String(stdout));
      resolve(v.ok ? v : { ok: false, reason: `'--version' printed ${JSON.stringify(String(stdout).slice(0, 80))}, not "manifest-lint <version>"` });
    });
  });
}

/** Ends a server process that did not exit by itself after `shutdown`/`exit` (2 s, then SIGKILL). */
function endProcess(child: cp.ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, 2000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.stdin?.end();
  });
}

/** Leaves out what VS Code's JSON language service already reports (see ui.ts). */
function withoutJsonServiceDuplicates(uri: vscode.Uri, diagnostics: vscode.Diagnostic[]): vscode.Diagnostic[] {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  const drop = rulesReportedByJsonService({
    validate: vscode.workspace.getConfiguration('json', uri).get<boolean>('validate.enable', true) !== false,
    languageId: doc?.languageId ?? 'json',
  });
  return drop.size === 0 ? diagnostics : diagnostics.filter((d) => !drop.has(diagnosticCode(d.code) ?? ''));
}

/** Quick-fix titles come from the server in Markdown-ish text; VS Code shows them as plain text. */
function plainTitles<T extends { title: string }>(actions: T[] | null | undefined): T[] | null | undefined {
  for (const a of actions ?? []) {
    a.title = plainText(a.title);
  }
  return actions;
}
