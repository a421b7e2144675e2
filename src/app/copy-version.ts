/**
 * Copying a version between registries, as both front ends offer it (`artifacts push/pull`, VS
 * Code's Push to Registry… and Pull to Local Registry): open the other registry by its location,
 * copy (Registry.push, transfer-between.ts), and say what happened in one line.
 */
import * as l10n from '@vscode/l10n';
import { formatNumber } from '../core/l10n';
import { formatBytes } from '../core/units';
import { Registry, type CopyVersionOptions, type CopyVersionResult } from '../registry/registry';

/** The registry at `location` (a folder, s3://… or azure://…), with the defaults of `like`. */
export function registryAt(location: string, like: Registry): Registry {
  return new Registry({ root: location, entity: like.entity, project: like.project, localRoot: like.localRoot });
}

/** Copies `ref` from `source` into the registry at `targetLocation`. */
export function pushVersion(source: Registry, ref: string, targetLocation: string, opts: CopyVersionOptions = {}): Promise<CopyVersionResult> {
  return source.push(ref, registryAt(targetLocation, source), opts);
}

/** Copies `ref` from the registry at `sourceLocation` into `target`. */
export function pullVersion(target: Registry, ref: string, sourceLocation: string, opts: CopyVersionOptions = {}): Promise<CopyVersionResult> {
  return target.pull(ref, registryAt(sourceLocation, target), opts);
}

/** `alice/demo/ds:v3 → s3://team/reg as alice/demo/ds:v0: 12 files copied (3.4 MB), 988 already there` */
export function describeCopy(r: CopyVersionResult, targetLocation: string): string {
  if (r.existed) return l10n.t('{0} is already in {1} as {2}: nothing copied', r.from, targetLocation, r.ref);
  const bytes = formatBytes(r.bytesCopied);
  const present = formatNumber(r.blobsPresent);
  return r.blobsCopied === 1
    ? l10n.t('{0} → {1} as {2}: 1 file copied ({3}), {4} already there', r.from, targetLocation, r.ref, bytes, present)
    : l10n.t('{0} → {1} as {2}: {3} files copied ({4}), {5} already there', r.from, targetLocation, r.ref, formatNumber(r.blobsCopied), bytes, present);
}
