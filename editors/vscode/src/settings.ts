// Mapping VS Code's `manifestLint.*` settings to what the server reads. No `vscode` import:
// unit-tested under plain Node.
//
// The server reads one settings object, `{ online, registryTimeout, inlayHints, rules }`, both from
// `initializationOptions` and as the answer to `workspace/configuration` for the section
// `manifestLint`. Missing or null values mean the server's defaults.

export const SECTION = 'manifestLint';

export const SEVERITIES = ['error', 'warning', 'info', 'hint', 'off'] as const;
export type RuleSeverity = (typeof SEVERITIES)[number];

export const DEFAULTS = {
  online: true,
  registryTimeout: 10,
  inlayHints: true,
} as const;

/** What the server receives. */
export interface ServerSettings {
  online: boolean;
  registryTimeout: number;
  inlayHints: boolean;
  rules: Record<string, RuleSeverity>;
}

/** The `manifestLint` section as read from VS Code, unvalidated: users can write anything. */
export interface RawSettings {
  online?: unknown;
  registryTimeout?: unknown;
  inlayHints?: unknown;
  rules?: unknown;
}

export interface MapOptions {
  /** `vscode.workspace.isTrusted`. An untrusted workspace never gets online checks. */
  trusted: boolean;
}

function isSeverity(v: unknown): v is RuleSeverity {
  return typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v);
}

/**
 * Validates the user's settings and applies the workspace-trust override: in an untrusted
 * workspace `online` is false whatever any settings file says, so that opening a freshly cloned
 * project never makes the machine contact the registry URLs its manifest names.
 */
export function toServerSettings(raw: RawSettings | undefined, opts: MapOptions): ServerSettings {
  const r = raw ?? {};
  const online = typeof r.online === 'boolean' ? r.online : DEFAULTS.online;
  const timeout =
    typeof r.registryTimeout === 'number' && Number.isFinite(r.registryTimeout) && r.registryTimeout > 0
      ? r.registryTimeout
      : DEFAULTS.registryTimeout;
  const inlayHints = typeof r.inlayHints === 'boolean' ? r.inlayHints : DEFAULTS.inlayHints;
  const rules: Record<string, RuleSeverity> = {};
  if (r.rules !== null && typeof r.rules === 'object' && !Array.isArray(r.rules)) {
    for (const [id, severity] of Object.entries(r.rules as Record<string, unknown>)) {
      if (isSeverity(severity)) {
        rules[id] = severity;
      }
    }
  }
  return {
    online: opts.trusted ? online : false,
    registryTimeout: timeout,
    inlayHints,
    rules,
  };
}

/** The `manifestLint.*` keys that must restart the server (not just be re-sent) when they change. */
export const RESTART_KEYS = [`${SECTION}.path`] as const;

/**
 * The answer to one `workspace/configuration` item, when the item asks for our section or a key
 * inside it; `handled: false` for anything else (the caller falls back to VS Code's own answer).
 *
 * - `manifestLint` -> the whole settings object
 * - `manifestLint.online` (etc.) -> that value
 * - `manifestLint.rules.glob-scope` -> that rule's override, or null
 */
export function answerConfigurationItem(section: string | undefined | null, settings: ServerSettings): { handled: boolean; value?: unknown } {
  if (section === SECTION) {
    return { handled: true, value: settings };
  }
  if (typeof section !== 'string' || !section.startsWith(SECTION + '.')) {
    return { handled: false };
  }
  let value: unknown = settings;
  for (const part of section.slice(SECTION.length + 1).split('.')) {
    if (value !== null && typeof value === 'object' && Object.prototype.hasOwnProperty.call(value, part)) {
      value = (value as Record<string, unknown>)[part];
    } else {
      return { handled: true, value: null };
    }
  }
  return { handled: true, value };
}

/**
 * Answers a whole `workspace/configuration` request: our sections from `settings`, every other item
 * from `fallback` (VS Code's default answer, index for index).
 */
export function answerConfiguration(
  items: ReadonlyArray<{ section?: string | null }>,
  settings: ServerSettings,
  fallback: ReadonlyArray<unknown>,
): unknown[] {
  return items.map((item, i) => {
    const answer = answerConfigurationItem(item.section, settings);
    return answer.handled ? answer.value : fallback[i] ?? null;
  });
}

/** One line for the output channel saying what the server was told. */
export function describeSettings(s: ServerSettings, trusted: boolean): string {
  const online = s.online ? `on (timeout ${s.registryTimeout}s)` : trusted ? 'off' : 'off (untrusted workspace)';
  const overrides = Object.keys(s.rules).length;
  return `online checks ${online}; inlay hints ${s.inlayHints ? 'on' : 'off'}; ${overrides} rule override${overrides === 1 ? '' : 's'}`;
}
