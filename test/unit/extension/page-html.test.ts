/** The webview pages' HTML shell: a strict CSP whose nonce is the script's, the user's language, nothing else loaded. */
import { describe, expect, it, vi } from 'vitest';
import { Uri } from './support/fake-vscode';

vi.mock('vscode', () => import('./support/fake-vscode'));

const webview = { cspSource: 'vscode-resource:', asWebviewUri: (u: { toString(): string }) => `webview:${u.toString()}` };

describe('page HTML', () => {
  it('allows only its own script (by nonce) and style, images only when asked, and a fresh nonce each time', async () => {
    const { pageHtml } = await import('../../../src/extension/webview/page-html');
    const media = Uri.file('/ext/dist/media');
    const html = pageHtml(webview as never, media as never, { page: 'lineage', title: 'A <b>title</b>' });
    const csp = /content="([^"]*)"/.exec(html.slice(html.indexOf('Content-Security-Policy')))![1]!;
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    expect(csp).toBe(`default-src 'none'; style-src vscode-resource:; script-src 'nonce-${nonce}';`);
    expect(html).toContain(`<script nonce="${nonce}" src="webview:${Uri.joinPath(media as never, 'lineage.js').toString()}"></script>`);
    expect(html).toContain('<title>A &#60;b&#62;title&#60;/b&#62;</title>');
    expect(html).toContain('<html lang="en">');
    const withImages = pageHtml(webview as never, media as never, { page: 'diff', title: 'x', images: true });
    expect(withImages).toContain("img-src vscode-resource:;");
    expect(/'nonce-([^']+)'/.exec(withImages)![1]).not.toBe(nonce);
  });
});
