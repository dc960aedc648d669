// Which documents the extension cares about. No `vscode` import: unit-tested under plain Node.

/** The glob VS Code uses in the document selector and `workspaceContains`. */
export const MANIFEST_GLOB = '**/Packages/manifest.json';

/**
 * Whether a file system path is a Unity project manifest: a file named `manifest.json` directly
 * inside a folder named `Packages`. Windows paths compare case-insensitively, as the file system does.
 */
export function isManifestPath(fsPath: string, platform: NodeJS.Platform = process.platform): boolean {
  let p = fsPath.replace(/\\/g, '/');
  const suffix = 'Packages/manifest.json';
  if (platform === 'win32') {
    p = p.toLowerCase();
    return p === suffix.toLowerCase() || p.endsWith('/' + suffix.toLowerCase());
  }
  return p === suffix || p.endsWith('/' + suffix);
}
