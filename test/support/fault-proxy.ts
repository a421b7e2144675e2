/**
 * A small HTTP proxy on 127.0.0.1 that forwards to a real object store and misbehaves on request:
 * answers with an error status N times, goes silent in the middle of a body, closes the connection,
 * or forwards a request and then drops the answer. Requests are forwarded byte for byte (Host
 * included), so signed requests (SigV4, SharedKey) stay valid.
 */
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FaultKind =
  /** Answer with this status (and body) instead of forwarding. */
  | { kind: 'respond'; status: number; headers?: Record<string, string>; body?: string }
  /** Forward; pass the status, headers and `afterBytes` of the body, then send nothing more. */
  | { kind: 'stall'; afterBytes: number }
  /** Close the connection without any answer (the request is not forwarded). */
  | { kind: 'close' }
  /** Forward (the server acts on the request), then close the connection instead of answering. */
  | { kind: 'dropAnswer' };

export interface SeenRequest {
  method: string;
  url: string;
  range?: string;
  /** The fault applied, if any. */
  fault?: FaultKind['kind'];
  /** The status the client got (set when the answer starts). */
  status?: number;
  /** Request headers, lower-case. */
  headers?: http.IncomingHttpHeaders;
}

interface Armed {
  fault: FaultKind;
  remaining: number;
  match: (req: http.IncomingMessage) => boolean;
  before?: () => Promise<void>;
}

interface InjectOptions {
  /** How many matching requests get the fault (default 1; Infinity: all). */
  times?: number;
  match?: (req: http.IncomingMessage) => boolean;
  /** Runs before the fault is applied (e.g. another client's write, to stage a race). */
  before?: () => Promise<void>;
}

export class FaultProxy {
  readonly seen: SeenRequest[] = [];
  private armed: Armed[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly target: URL;
  private server!: http.Server;
  url = '';

  constructor(target: string) {
    this.target = new URL(target);
  }

  /** Applies `fault` to the next `times` requests that `match` (default: every request). */
  inject(fault: FaultKind, { times = 1, match = () => true, before }: InjectOptions = {}): void {
    this.armed.push({ fault, remaining: times, match, before });
  }

  clear(): void {
    this.armed = [];
    this.seen.length = 0;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private take(req: http.IncomingMessage): Armed | undefined {
    const armed = this.armed.find((a) => a.remaining > 0 && a.match(req));
    if (armed) armed.remaining--;
    return armed;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const armed = this.take(req);
    // The request body stays paused until it is piped or resumed below.
    if (armed?.before) void armed.before().then(() => this.apply(req, res, armed.fault), () => req.socket.destroy());
    else this.apply(req, res, armed?.fault);
  }

  private apply(req: http.IncomingMessage, res: http.ServerResponse, fault: FaultKind | undefined): void {
    const range = req.headers.range ?? (req.headers['x-ms-range'] as string | undefined);
    const seen: SeenRequest = { method: req.method ?? '', url: req.url ?? '', range, fault: fault?.kind, headers: req.headers };
    this.seen.push(seen);
    if (fault?.kind === 'close') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'respond') {
      // Read the request body first, as a server would, so the client is not cut off mid-send.
      req.resume();
      req.on('end', () => {
        const body = fault.body ?? '';
        seen.status = fault.status;
        res.writeHead(fault.status, { 'content-length': Buffer.byteLength(body), ...fault.headers });
        res.end(body);
      });
      return;
    }
    const headers = { ...req.headers };
    delete headers.expect; // the proxy's own server already answered 100-continue
    const upstream = http.request(
      { host: this.target.hostname, port: this.target.port, method: req.method, path: req.url, headers },
      (up) => {
        if (fault?.kind === 'dropAnswer') {
          up.resume();
          up.on('end', () => req.socket.destroy());
          return;
        }
        seen.status = up.statusCode ?? 502;
        res.writeHead(up.statusCode ?? 502, up.headers);
        if (fault?.kind !== 'stall') {
          up.pipe(res);
          return;
        }
        let sent = 0;
        if (fault.afterBytes === 0) {
          res.flushHeaders();
          up.destroy();
          return;
        }
        up.on('data', (chunk: Buffer) => {
          if (sent >= fault.afterBytes) return;
          const part = chunk.subarray(0, fault.afterBytes - sent);
          sent += part.length;
          res.write(part);
          if (sent >= fault.afterBytes) up.destroy(); // and the client hears nothing more
        });
      },
    );
    upstream.on('error', () => req.socket.destroy());
    req.pipe(upstream);
  }
}

export function startFaultProxy(target: string): Promise<FaultProxy> {
  return new FaultProxy(target).start();
}
