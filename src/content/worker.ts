/**
 * The worker side of `ContentDiffWorker`: runs `diffContent` off the caller's thread and keeps table
 * diffs so that windows of their rows can be asked for later. Bundle this file as its own entry
 * (e.g. dist/content-worker.js); loaded in a worker started with `workerData[WORKER_FLAG]`, it
 * serves requests, and loaded any other way it does nothing.
 */
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import * as l10n from '@vscode/l10n';
import { isUserError } from '../core/errors';
import { useLanguage, type MessageBundle } from '../core/l10n';
import { diffImageFolder } from './image';
import { diffContent } from './index';
import { fileSource } from './source';
import { TableDiff } from './table';
import { WORKER_FLAG, WORKER_LANGUAGE, type FileSpec, type Request, type Response, type SerializedError } from './worker-protocol';

function serializeError(error: unknown): SerializedError {
  const e = error instanceof Error ? error : new Error(String(error));
  return { name: e.name, message: e.message, userError: isUserError(e), stack: e.stack };
}

async function open(spec: FileSpec | null) {
  if (spec === null) return null;
  return typeof spec === 'string' ? fileSource(spec) : fileSource(spec.path, spec.name);
}

/** Answers requests arriving on `port` until it closes. */
export function serveContentDiffs(port: MessagePort | NonNullable<typeof parentPort>): void {
  const tables = new Map<number, TableDiff>();
  const running = new Map<number, AbortController>();
  let nextTable = 1;
  const reply = (r: Response): void => port.postMessage(r);

  const handle = async (req: Request): Promise<void> => {
    switch (req.type) {
      case 'cancel':
        running.get(req.id)?.abort();
        return;
      case 'release':
        tables.delete(req.table);
        return;
      case 'diff': {
        const controller = new AbortController();
        running.set(req.id, controller);
        try {
          const [before, after] = await Promise.all([open(req.before), open(req.after)]);
          const diff = await diffContent(before, after, { ...req.opts, signal: controller.signal });
          if (diff instanceof TableDiff) {
            const table = nextTable++;
            tables.set(table, diff);
            reply({ type: 'result', id: req.id, value: diff.toJSON(), table });
          } else {
            reply({ type: 'result', id: req.id, value: diff });
          }
        } catch (error) {
          reply({ type: 'error', id: req.id, error: serializeError(error) });
        } finally {
          running.delete(req.id);
        }
        return;
      }
      case 'imageFolder': {
        const controller = new AbortController();
        running.set(req.id, controller);
        try {
          const pairs = await Promise.all(req.pairs.map(async (p) => ({ path: p.path, before: await open(p.before), after: await open(p.after) })));
          reply({ type: 'result', id: req.id, value: await diffImageFolder(pairs, { ...req.opts, signal: controller.signal }) });
        } catch (error) {
          reply({ type: 'error', id: req.id, error: serializeError(error) });
        } finally {
          running.delete(req.id);
        }
        return;
      }
      case 'rows': {
        const controller = new AbortController();
        running.set(req.id, controller);
        try {
          const diff = tables.get(req.table);
          if (!diff) throw new Error(l10n.t('table diff {0} was released', req.table));
          reply({ type: 'result', id: req.id, value: await diff.rows(req.offset, req.limit, req.filter, controller.signal) });
        } catch (error) {
          reply({ type: 'error', id: req.id, error: serializeError(error) });
        } finally {
          running.delete(req.id);
        }
        return;
      }
    }
  };
  port.on('message', (req: Request) => void handle(req));
}

if (!isMainThread && parentPort && (workerData as Record<string, unknown> | null)?.[WORKER_FLAG] === true) {
  const language = (workerData as Record<string, unknown>)[WORKER_LANGUAGE] as { language: string; bundle: MessageBundle } | undefined;
  if (language) useLanguage(language.language, language.bundle);
  serveContentDiffs(parentPort);
}
