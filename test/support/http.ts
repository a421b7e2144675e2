/** A real HTTP server on 127.0.0.1 for reference tests: routes map a path to a response. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

/** Serves `routes` for the tests of the enclosing describe(); `base` is set once it listens. */
export function serveForSuite(routes: Record<string, Route>): { base: string } {
  const handle = { base: '' };
  const server = createServer((req, res) => {
    const route = routes[req.url ?? ''];
    if (route) return route(req, res);
    res.writeHead(404);
    res.end();
  });
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    handle.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  return handle;
}
