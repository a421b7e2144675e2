/**
 * `artifact.url`: where a person opens a version. W&B gives a web page; a registry you own has no
 * web app, so the URL opens the version in VS Code's Artifacts view: the extension handles
 * `vscode://artifacts-dev.artifacts/open?ref=<entity/project/collection:vN>&registry=<location>`
 * (it switches to that registry when it is not the one shown, and reveals the version).
 */
export const EXTENSION_URI = 'vscode://artifacts-dev.artifacts';

export function versionUrl(qualifiedName: string, registryLocation: string): string {
  // l10n-ignore: a URI the extension parses
  return `${EXTENSION_URI}/open?ref=${encodeURIComponent(qualifiedName)}&registry=${encodeURIComponent(registryLocation)}`;
}

export function parseVersionUrl(query: string): { ref: string; registry?: string } | undefined {
  const params = new URLSearchParams(query);
  const ref = params.get('ref');
  return ref ? { ref, registry: params.get('registry') ?? undefined } : undefined;
}
