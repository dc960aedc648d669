// `manifestLint.trustRegistry <url>`: the server's code action on a skipped registry runs it;
// it adds the URL to the User setting `manifestLint.trustedRegistries` (never to workspace
// settings) after asking, and the server is told through the usual configuration change.

import * as vscode from 'vscode';

import { TRUSTED_KEY, TRUST_COMMAND, withRegistry } from './trust';

export function registerTrustCommand(section: string): vscode.Disposable {
  return vscode.commands.registerCommand(TRUST_COMMAND, async (url: unknown) => {
    const config = vscode.workspace.getConfiguration(section);
    const next = withRegistry(config.inspect<unknown>(TRUSTED_KEY), url);
    if (!next) {
      return;
    }
    const choice = await vscode.window.showWarningMessage(
      `Trust ${String(url)} for online checks? Manifest Lint will send it requests (the scopes and package names of manifests that use it) from now on, in every project.`,
      { modal: true },
      'Trust',
    );
    if (choice !== 'Trust') {
      return;
    }
    await config.update(TRUSTED_KEY, next, vscode.ConfigurationTarget.Global);
  });
}
