// What the extension shows and how it fits beside VS Code's own services. No `vscode` import:
// unit-tested under plain Node.

/**
 * Markdown code spans as plain text, for places VS Code does not render Markdown (notifications,
 * quick-fix titles): `` `@com.foo` `` becomes `'@com.foo'`.
 */
export function plainText(text: string): string {
  return text.replace(/`([^`\n]+)`/g, "'$1'").replace(/`/g, '');
}

/** The items of `list` in order, each once. */
export function unique<T>(list: readonly T[]): T[] {
  return [...new Set(list)];
}

/**
 * The extension's README among the files of its install folder. vsce stores it as `readme.md`
 * (lower case) whatever it was called in the repository, and Linux file systems are case-sensitive.
 */
export function findReadme(files: readonly string[]): string | undefined {
  return files.find((f) => f === 'README.md') ?? files.find((f) => f.toLowerCase() === 'readme.md');
}

/** The command that opens the settings where `manifestLint.path` takes effect in this window. */
export function pathSettingsCommand(remoteName: string | undefined): { command: string; args: unknown[] } {
  // In a remote window (Remote-SSH, WSL, Dev Containers, code-server, Codespaces) the extension runs
  // on the remote machine, and a machine-scoped setting from the local User settings is ignored
  // (greyed out): it has to be set in the Remote settings.
  if (remoteName) {
    return { command: 'workbench.action.openRemoteSettings', args: [{ query: 'manifestLint.path' }] };
  }
  return { command: 'workbench.action.openSettings', args: ['manifestLint.path'] };
}

/** A sentence for "not found" and "failed to start" messages in a remote window, else empty. */
export function remoteHint(remoteName: string | undefined): string {
  return remoteName
    ? ` This is a remote window (${remoteName}): the server runs on the remote machine, so install manifest-lint there or set manifestLint.path in the Remote settings (the User settings value does not apply here).`
    : '';
}

/** What the language server reports that VS Code's own JSON language service reports too. */
export interface JsonServiceOverlap {
  /** `json.validate.enable` (default true). */
  validate: boolean;
  /** The document's language: `json` or `jsonc`. */
  languageId: string;
}

/**
 * The rule ids whose findings the extension leaves out because VS Code's JSON language service
 * already shows the same problem on the same place:
 *
 * - `duplicate-key`: the JSON service marks every occurrence of a repeated key, in both modes;
 * - `invalid-json`: in `json` mode the JSON service reports every syntax error, comment and trailing
 *   comma, which is what Unity rejects too. In `jsonc` mode comments are allowed there, and
 *   manifest-lint is the only one to say Unity will not read them, so they stay.
 *
 * With `json.validate.enable` off, nothing is left out.
 */
export function rulesReportedByJsonService(o: JsonServiceOverlap): ReadonlySet<string> {
  if (!o.validate) {
    return new Set();
  }
  return new Set(o.languageId === 'json' ? ['duplicate-key', 'invalid-json'] : ['duplicate-key']);
}

/** The code of an LSP diagnostic as a string (`code` may be a number or `{ value, target }`). */
export function diagnosticCode(code: unknown): string | undefined {
  if (typeof code === 'string' || typeof code === 'number') {
    return String(code);
  }
  if (code !== null && typeof code === 'object' && 'value' in code) {
    const v = (code as { value: unknown }).value;
    return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
  }
  return undefined;
}

/**
 * Crash policy for a server that was running: restart it after an unexpected exit, but at most
 * `max` times within `windowMs`, after which it stays down (and the caller says so, once).
 */
export class RestartBudget {
  private readonly crashes: number[] = [];

  constructor(
    private readonly max = 3,
    private readonly windowMs = 3 * 60 * 1000,
  ) {}

  /** Records a crash at `now`; true when the server may be restarted. */
  allow(now: number): boolean {
    this.crashes.push(now);
    while (this.crashes.length > 0 && now - this.crashes[0] > this.windowMs) {
      this.crashes.shift();
    }
    return this.crashes.length <= this.max;
  }
}

/**
 * Checks the first line of `<binary> --version`: a manifest-lint prints `manifest-lint <version>`.
 * Anything else (`/bin/false`, another program) is not started as a language server.
 */
export function checkVersionOutput(stdout: string): { ok: true; version: string } | { ok: false } {
  const first = stdout.split(/\r?\n/, 1)[0].trim();
  const m = /^manifest-lint\s+(\S+)/.exec(first);
  return m ? { ok: true, version: m[1] } : { ok: false };
}
