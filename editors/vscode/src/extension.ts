// The VS Code side: start `manifest-lint lsp` for Unity manifests. The decisions (which binary,
// which settings) live in serverPath.ts and settings.ts, which do not import `vscode`.

import * as fs from 'fs';
import * as os from 'os';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  ResponseError,
  ServerOptions,
  State,
} from 'vscode-languageclient/node';

import { MANIFEST_GLOB, isManifestPath } from './manifestPath';
import { effectivePathSetting, findServer } from './serverPath';
import { RESTART_KEYS, SECTION, ServerSettings, answerConfiguration, describeSettings, toServerSettings } from './settings';

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

function isManifestDocument(doc: vscode.TextDocument): boolean {
  return doc.uri.scheme === 'file' && (doc.languageId === 'json' || doc.languageId === 'jsonc') && isManifestPath(doc.uri.fsPath);
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
  private starting: Promise<void> | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.OutputChannel,
  ) {}

  private currentSettings(): ServerSettings {
    const config = vscode.workspace.getConfiguration(SECTION);
    return toServerSettings(
      {
        online: config.get('online'),
        registryTimeout: config.get('registryTimeout'),
        inlayHints: config.get('inlayHints'),
        rules: config.get('rules'),
      },
      { trusted: vscode.workspace.isTrusted },
    );
  }

  async ensureStarted(): Promise<void> {
    if (this.client || this.failed) {
      return;
    }
    if (!this.starting) {
      this.starting = this.start().finally(() => {
        this.starting = undefined;
      });
    }
    return this.starting;
  }

  async restart(): Promise<void> {
    if (this.starting) {
      await this.starting;
    }
    await this.stop();
    this.failed = false;
    await this.ensureStarted();
  }

  async stop(): Promise<void> {
    const client = this.client;
    const started = this.clientStarted;
    this.client = undefined;
    this.clientStarted = undefined;
    if (client) {
      await started?.catch(() => undefined);
      try {
        await client.stop();
      } catch (err) {
        this.output.appendLine(`Stopping the server: ${String(err)}`);
      }
    }
  }

  onConfigurationChanged(e: vscode.ConfigurationChangeEvent): void {
    if (!e.affectsConfiguration(SECTION)) {
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
      this.output.appendLine(found.message);
      if (found.tried.length > 0) {
        this.output.appendLine(`Looked for: ${found.tried.join(', ')}`);
      }
      void this.showNotFound(found.message);
      return;
    }

    const settings = this.currentSettings();
    this.output.appendLine(`Starting ${found.command} lsp (${found.source}); ${describeSettings(settings, trusted)}`);

    const serverOptions: ServerOptions = {
      command: found.command,
      args: ['lsp'],
      options: { env: process.env },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'json', pattern: MANIFEST_GLOB },
        { scheme: 'file', language: 'jsonc', pattern: MANIFEST_GLOB },
        // For the links from rule ids to their documentation.
        { scheme: 'file', pattern: '**/manifest-lint.toml' },
      ],
      initializationOptions: settings,
      outputChannel: this.output,
      middleware: {
        workspace: {
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

    const client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
    const started = client.start();
    this.client = client;
    this.clientStarted = started;
    try {
      await started;
    } catch (err) {
      this.failed = true;
      this.output.appendLine(`The server failed to start: ${String(err)}`);
      void this.showStartFailed(found.command);
    }
  }

  private async showStartFailed(command: string): Promise<void> {
    const choice = await vscode.window.showErrorMessage(
      `Manifest Lint: ${command} failed to start as a language server. Is it an up-to-date manifest-lint?`,
      'Show output',
      'Set path',
    );
    if (choice === 'Show output') {
      this.output.show(true);
    } else if (choice === 'Set path') {
      await vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.path`);
    }
  }

  private async showNotFound(message: string): Promise<void> {
    const choice = await vscode.window.showErrorMessage(
      `Manifest Lint: ${message} Install manifest-lint (see How to install) or point manifestLint.path at it.`,
      'Set path',
      'How to install',
    );
    if (choice === 'Set path') {
      await vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.path`);
    } else if (choice === 'How to install') {
      const readme = vscode.Uri.joinPath(this.context.extensionUri, 'README.md');
      try {
        await vscode.commands.executeCommand('markdown.showPreview', readme);
      } catch {
        await vscode.window.showTextDocument(readme);
      }
    }
  }
}
