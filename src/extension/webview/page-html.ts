/**
 * The HTML shell of a webview page: the strict Content-Security-Policy with a fresh nonce, the
 * page's bundle and style from the extension's dist/media folder, the user's language, and no words
 * but the title (the page's words come from the host with its init message).
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { toBcp47 } from '../../core/l10n';

export interface PageShell {
  /** The bundle's name in dist/media: `<page>.js` and `<page>.css`. */
  page: 'diff' | 'lineage';
  title: string;
  /** Images the page may show come only from the webview's own resource roots (localResourceRoots). */
  images?: boolean;
}

/** VS Code's display language as a BCP 47 tag, for `<html lang>` and the page's Intl formats. */
export function pageLocale(): string {
  return toBcp47(vscode.env.language ?? 'en');
}

export function pageHtml(webview: vscode.Webview, media: vscode.Uri, { page, title, images = false }: PageShell): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(media, `${page}.js`));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(media, `${page}.css`));
  const img = images ? ` img-src ${webview.cspSource};` : '';
  // l10n-ignore: HTML markup and the CSP
  return `<!DOCTYPE html>
<html lang="${escapeHtml(pageLocale())}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource}; script-src 'nonce-${nonce}';${img}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>${escapeHtml(title)}</title>
</head>
<body>
<div id="app"></div>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
