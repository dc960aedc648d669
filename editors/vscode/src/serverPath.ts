// Finding the `manifest-lint` executable. No `vscode` import: everything the search depends on
// (settings, environment, file system) comes in as arguments, so it is unit-tested under plain Node.

import * as path from 'path';

export const BINARY_NAME = 'manifest-lint';

/** Where a server command came from, for the output channel. */
export type ServerSource = 'setting' | 'bundled' | 'path';

export interface FindServerInput {
  /** The effective `manifestLint.path` (see {@link effectivePathSetting}); empty or undefined for none. */
  configuredPath?: string;
  /** The extension's install folder; a bundled binary lives in its `server/` subfolder. */
  extensionPath: string;
  /** The first workspace folder, for `${workspaceFolder}` and relative paths in the setting. */
  workspaceFolder?: string;
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  homedir: string;
  /** True when `file` is an existing regular file the current user may execute. */
  isExecutable: (file: string) => boolean;
}

export type FindServerResult =
  | { ok: true; command: string; source: ServerSource }
  | {
      ok: false;
      /** `setting`: `manifestLint.path` is set but names no executable; `missing`: nothing found anywhere. */
      reason: 'setting' | 'missing';
      message: string;
      /** Every file looked at, in order. */
      tried: string[];
    };

/** The subset of VS Code's `WorkspaceConfiguration.inspect()` result this module needs. */
export interface InspectedSetting<T> {
  defaultValue?: T;
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}

/**
 * The value of `manifestLint.path` to use. In an untrusted workspace only the user's own (global)
 * setting counts: a cloned repository's `.vscode/settings.json` must not choose what we execute.
 * (VS Code already ignores restricted settings there; this is a second lock on the same door.)
 */
export function effectivePathSetting(inspected: InspectedSetting<unknown> | undefined, trusted: boolean): string | undefined {
  if (!inspected) {
    return undefined;
  }
  const candidates = trusted
    ? [inspected.workspaceFolderValue, inspected.workspaceValue, inspected.globalValue]
    : [inspected.globalValue];
  for (const value of candidates) {
    if (typeof value === 'string' && value.trim() !== '') {
      return value.trim();
    }
  }
  return undefined;
}

function pathApi(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

/** Looks an environment variable up by name, case-insensitively on Windows (`Path` vs `PATH`). */
export function getEnv(env: Readonly<Record<string, string | undefined>>, name: string, platform: NodeJS.Platform): string | undefined {
  if (platform !== 'win32') {
    return env[name];
  }
  const key = Object.keys(env).find((k) => k.toUpperCase() === name.toUpperCase());
  return key === undefined ? undefined : env[key];
}

/** The names the binary may have on this platform, e.g. `manifest-lint.exe` on Windows. */
export function executableNames(platform: NodeJS.Platform, env: Readonly<Record<string, string | undefined>>): string[] {
  if (platform !== 'win32') {
    return [BINARY_NAME];
  }
  const pathext = getEnv(env, 'PATHEXT', platform) || '.COM;.EXE;.BAT;.CMD';
  const exts = pathext
    .split(';')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e.startsWith('.'));
  // `.exe` first: it is what cargo builds, and the most likely to exist.
  const ordered = ['.exe', ...exts.filter((e) => e !== '.exe')];
  return ordered.map((e) => BINARY_NAME + e);
}

/** Expands `~`, `${userHome}` and `${workspaceFolder}` and makes the setting absolute. */
export function expandConfiguredPath(
  value: string,
  opts: { homedir: string; workspaceFolder?: string; platform: NodeJS.Platform },
): string | undefined {
  const p = pathApi(opts.platform);
  let v = value.trim();
  if (v === '~') {
    v = opts.homedir;
  } else if (v.startsWith('~/') || (opts.platform === 'win32' && v.startsWith('~\\'))) {
    v = p.join(opts.homedir, v.slice(2));
  }
  v = v.replace(/\$\{userHome\}/g, opts.homedir);
  if (v.includes('${workspaceFolder}')) {
    if (!opts.workspaceFolder) {
      return undefined;
    }
    v = v.replace(/\$\{workspaceFolder\}/g, opts.workspaceFolder);
  }
  if (!p.isAbsolute(v)) {
    if (!opts.workspaceFolder) {
      return undefined;
    }
    v = p.resolve(opts.workspaceFolder, v);
  }
  return p.normalize(v);
}

/**
 * Finds the server: the `manifestLint.path` setting, else the binary bundled in the extension
 * (`server/manifest-lint[.exe]`), else `manifest-lint` on `PATH`. Always returns an absolute path,
 * never a bare name, so that no platform rule (Windows searching the current folder first) can make
 * a workspace's own `manifest-lint.exe` run instead.
 */
export function findServer(input: FindServerInput): FindServerResult {
  const p = pathApi(input.platform);
  const tried: string[] = [];
  const check = (file: string): boolean => {
    tried.push(file);
    return input.isExecutable(file);
  };

  const configured = input.configuredPath?.trim();
  if (configured) {
    const expanded = expandConfiguredPath(configured, input);
    if (expanded === undefined) {
      return {
        ok: false,
        reason: 'setting',
        message: `manifestLint.path is "${configured}", which is relative or uses \${workspaceFolder}, but no folder is open. Use an absolute path.`,
        tried,
      };
    }
    const candidates = [expanded];
    if (input.platform === 'win32' && p.extname(expanded) === '') {
      candidates.push(expanded + '.exe');
    }
    for (const c of candidates) {
      if (check(c)) {
        return { ok: true, command: c, source: 'setting' };
      }
    }
    return {
      ok: false,
      reason: 'setting',
      message: `manifestLint.path is "${configured}", but ${expanded} is not an executable file.`,
      tried,
    };
  }

  for (const name of executableNames(input.platform, input.env)) {
    const bundled = p.join(input.extensionPath, 'server', name);
    if (check(bundled)) {
      return { ok: true, command: bundled, source: 'bundled' };
    }
    if (input.platform === 'win32') {
      break; // only manifest-lint.exe is ever bundled
    }
  }

  const pathVar = getEnv(input.env, 'PATH', input.platform) ?? '';
  const delimiter = input.platform === 'win32' ? ';' : ':';
  const names = executableNames(input.platform, input.env);
  const seen = new Set<string>();
  for (let dir of pathVar.split(delimiter)) {
    dir = dir.trim();
    if (input.platform === 'win32') {
      dir = dir.replace(/^"(.*)"$/, '$1');
    }
    // Empty and relative entries mean "the current folder": never search the workspace.
    if (dir === '' || !p.isAbsolute(dir)) {
      continue;
    }
    // A folder listed twice (common: shell profiles that prepend on every start) is looked at once.
    const key = input.platform === 'win32' ? p.resolve(dir).toLowerCase() : p.resolve(dir);
    if (seen.has(key)) {
      continue;
    }
    seen.add(key);
    for (const name of names) {
      const candidate = p.join(dir, name);
      if (check(candidate)) {
        return { ok: true, command: candidate, source: 'path' };
      }
    }
  }

  return {
    ok: false,
    reason: 'missing',
    message:
      'The manifest-lint language server was not found: manifestLint.path is not set, the extension has no bundled binary, and `manifest-lint` is not on PATH.',
    tried,
  };
}
