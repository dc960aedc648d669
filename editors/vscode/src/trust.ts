// Which registries the server may ask, from the *user's* settings only. No `vscode` import:
// unit-tested under plain Node.
//
// A cloned project's `.vscode/settings.json` is workspace configuration: if it could add to
// `manifestLint.trustedRegistries`, the repository could make the editor call out to a server
// of its choosing (or into the user's network). So only `inspect().globalValue` (the User
// settings) is ever read for these keys, and `probeAllInTrustedWorkspace` counts only in a
// trusted workspace.

/** The key and the command, as package.json declares them. */
export const TRUSTED_KEY = 'trustedRegistries';
export const PROBE_ALL_KEY = 'probeAllInTrustedWorkspace';
export const TRUST_COMMAND = 'manifestLint.trustRegistry';

/** What `WorkspaceConfiguration.inspect()` gives (the parts we read). */
export interface Inspected<T> {
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}

/** What the server receives for trust (merged into the other settings). */
export interface TrustSettings {
  trustedRegistries: string[];
  probeAll: boolean;
  /** We implement `manifestLint.trustRegistry`: the server may offer it as a code action. */
  trustRegistryCommand: true;
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/** The user's (global) list, validated; workspace values are ignored. */
export function userTrustedRegistries(inspected: Inspected<unknown> | undefined): string[] {
  const value = inspected?.globalValue;
  if (!Array.isArray(value)) {
    return [];
  }
  return value.filter((v): v is string => typeof v === 'string' && isHttpUrl(v.trim())).map((v) => v.trim());
}

export function toTrustSettings(
  trusted: Inspected<unknown> | undefined,
  probeAll: Inspected<unknown> | undefined,
  workspaceTrusted: boolean,
): TrustSettings {
  return {
    trustedRegistries: userTrustedRegistries(trusted),
    probeAll: workspaceTrusted && probeAll?.globalValue === true,
    trustRegistryCommand: true,
  };
}

/** The user's list with `url` added (unchanged when it is already there, or not a URL). */
export function withRegistry(current: Inspected<unknown> | undefined, url: unknown): string[] | undefined {
  if (typeof url !== 'string' || !isHttpUrl(url.trim())) {
    return undefined;
  }
  const list = Array.isArray(current?.globalValue) ? (current.globalValue as unknown[]).filter((v) => typeof v === 'string') as string[] : [];
  const wanted = url.trim();
  if (list.some((v) => v.trim() === wanted)) {
    return undefined;
  }
  return [...list, wanted];
}
