/**
 * The files one compare panel makes, all under one temp folder removed when the panel closes:
 * copies of the images its page shows (in `served`, the only folder of them the webview may load
 * from) and copies of entries that are not local files (a remote registry, references), which the
 * content diff worker reads by path. No vscode: the panel turns served paths into webview URIs.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as l10n from '@vscode/l10n';

export class CompareFiles {
  /** The panel's temp folder (made on first use). */
  readonly root: string;
  /** Files the page may load: the panel's `localResourceRoots` holds this folder. */
  readonly served: string;
  private readonly spool: string;
  private n = 0;
  private disposed = false;

  constructor(base = tmpdir()) {
    this.root = path.join(base, `artifacts-compare-${process.pid}-${randomBytes(6).toString('hex')}`);
    this.served = path.join(this.root, 'webview');
    this.spool = path.join(this.root, 'entries');
  }

  private async next(dir: string, ext: string): Promise<string> {
    if (this.disposed) throw new Error(l10n.t('The compare panel was closed.'));
    await fsp.mkdir(dir, { recursive: true });
    return path.join(dir, `${++this.n}.${ext}`);
  }

  /** A copy of an image file for the page; `ext` makes the webview serve it with its type. */
  async copyImage(file: string, ext: string): Promise<string> {
    const out = await this.next(this.served, ext);
    await fsp.copyFile(file, out);
    return out;
  }

  /** PNG bytes given as base64 (a difference mask, a thumbnail) as a file for the page. */
  async writePng(base64: string): Promise<string> {
    const out = await this.next(this.served, 'png');
    await fsp.writeFile(out, Buffer.from(base64, 'base64'));
    return out;
  }

  /** Writes a stream (an entry read through the registry) to a temp file and returns its path. */
  async spoolStream(stream: Readable, name: string): Promise<string> {
    const out = await this.next(this.spool, path.extname(name).slice(1).replace(/[^\w]/g, '') || 'bin');
    await pipeline(stream, createWriteStream(out));
    return out;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await fsp.rm(this.root, { recursive: true, force: true });
  }
}
