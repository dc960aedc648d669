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

/** The glob of the package manifests the server may lint (it decides which; see docs/lsp.md). */
export const PACKAGE_GLOB = '**/package.json';

/** Whether a file system path is named `package.json` (Windows: case-insensitively). */
export function isPackageJsonPath(fsPath: string, platform: NodeJS.Platform = process.platform): boolean {
  let p = fsPath.replace(/\\/g, '/');
  if (platform === 'win32') {
    p = p.toLowerCase();
  }
  return p === 'package.json' || p.endsWith('/package.json');
}

/**
 * Whether a `package.json` is worth starting the server for: an embedded package's
 * (`Packages/<dir>/package.json`), or one whose text carries Unity's markers (a `unity` key, or a
 * reverse-domain `name` such as `com.company.package`). A cheap first look: the server decides
 * exactly which package.json files it lints.
 */
export function looksLikeUnityPackage(fsPath: string, text: string, platform: NodeJS.Platform = process.platform): boolean {
  if (!isPackageJsonPath(fsPath, platform)) {
    return false;
  }
  const p = fsPath.replace(/\\/g, '/');
  const embedded = /(^|\/)Packages\/[^/]+\/package\.json$/;
  if ((platform === 'win32' ? new RegExp(embedded.source, 'i') : embedded).test(p)) {
    return true;
  }
  return /"unity(Release)?"\s*:/.test(text) || /"name"\s*:\s*"[a-z0-9][a-z0-9_-]*(\.[a-z0-9_-]+){2,}"/.test(text);
}
