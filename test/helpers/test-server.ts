import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

/** What a route handler sees and can do. */
export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, hit: number) => void;

export interface RecordedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  /** Which TCP connection carried it (1 = the server's first). */
  connection: number;
}

export interface TestServer {
  url(path: string): string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  requestsTo(path: string): RecordedRequest[];
  route(path: string, handler: Handler): void;
  close(): Promise<void>;
  server: http.Server | https.Server;
}

/**
 * A real HTTP server (HTTPS with `tls`) on 127.0.0.1:0 whose routes misbehave on demand. Fault injection in
 * Haul's tests is always a real server doing the wrong thing, never a mock.
 */
export async function startTestServer(routes: Record<string, Handler> = {}, opts: { tls?: { key: string; cert: string } } = {}): Promise<TestServer> {
  const table = new Map(Object.entries(routes));
  const hits = new Map<string, number>();
  const requests: RecordedRequest[] = [];
  const connections = new WeakMap<object, number>();
  let connectionCount = 0;
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (!connections.has(req.socket)) connections.set(req.socket, ++connectionCount);
    requests.push({ path, headers: req.headers, connection: connections.get(req.socket)! });
    const hit = (hits.get(path) ?? 0) + 1;
    hits.set(path, hit);
    const handler = table.get(path);
    if (handler === undefined) {
      res.writeHead(404).end('not found');
      return;
    }
    handler(req, res, hit);
  };
  const server = opts.tls === undefined ? http.createServer(onRequest) : https.createServer(opts.tls, onRequest);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    requests,
    url: (path) => `${opts.tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}${path}`,
    requestsTo: (path) => requests.filter((r) => r.path === path),
    route: (path, handler) => table.set(path, handler),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface ServeOptions {
  /** Answer Range requests with 200 and the whole body. */
  ignoreRange?: boolean;
  /** Serve ranges whatever If-Range says (as `npx http-server` and `npx serve` do). */
  ignoreIfRange?: boolean;
  /** With ignoreRange: still claim `Accept-Ranges: bytes`, as some misconfigured servers do. */
  advertiseRanges?: boolean;
  etag?: string;
  lastModified?: string;
  contentDisposition?: string;
  /** Omit Content-Length (chunked transfer). */
  chunked?: boolean;
  /** Write the body in pieces of this many bytes, each its own chunk when chunked (as a CGI behind Apache does), as fast as the client reads. */
  pieces?: number;
  /** Bytes per second per connection. */
  rate?: number;
  /** Write this many bytes of the response body, then destroy the socket. */
  dropAfter?: number;
  /** With `dropAfter`: close the connection cleanly (FIN) instead of destroying it. */
  endCleanly?: boolean;
  extraHeaders?: Record<string, string>;
}

/** Serves `data` like a static file server: Range, If-Range, 206/416, validators. */
export function serveBytes(data: Buffer | (() => Buffer), opts: ServeOptions = {}): Handler {
  return (req, res) => {
    const body = typeof data === 'function' ? data() : data;
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream', ...opts.extraHeaders };
    if (!opts.ignoreRange || opts.advertiseRanges) headers['accept-ranges'] = 'bytes';
    if (opts.etag !== undefined) headers['etag'] = opts.etag;
    if (opts.lastModified !== undefined) headers['last-modified'] = opts.lastModified;
    if (opts.contentDisposition !== undefined) headers['content-disposition'] = opts.contentDisposition;
    let start = 0;
    let end = body.length;
    let status = 200;
    const range = req.headers.range;
    const ifRange = req.headers['if-range'];
    const validatorMatches = opts.ignoreIfRange === true || ifRange === undefined || ifRange === opts.etag || ifRange === opts.lastModified;
    if (range !== undefined && !opts.ignoreRange && validatorMatches) {
      const m = /^bytes=(\d+)-(\d*)$/u.exec(range);
      if (m !== null) {
        start = Number(m[1]);
        end = m[2] === '' ? body.length : Math.min(Number(m[2]) + 1, body.length);
        if (start >= body.length) {
          res.writeHead(416, { ...headers, 'content-range': `bytes */${body.length}` }).end();
          return;
        }
        status = 206;
        headers['content-range'] = `bytes ${start}-${end - 1}/${body.length}`;
      }
    }
    const slice = body.subarray(start, end);
    if (!opts.chunked) headers['content-length'] = String(slice.length);
    res.writeHead(status, headers);
    sendBody(res, slice, opts);
  };
}

function sendBody(res: http.ServerResponse, slice: Buffer, opts: ServeOptions): void {
  const limit = opts.dropAfter ?? slice.length;
  const payload = slice.subarray(0, Math.min(limit, slice.length));
  const finish = (): void => {
    if (opts.dropAfter !== undefined && opts.dropAfter < slice.length) {
      if (opts.endCleanly) res.socket?.end();
      else res.socket?.destroy();
    } else res.end();
  };
  if (opts.pieces !== undefined) {
    const size = opts.pieces;
    let offset = 0;
    const pump = (): void => {
      while (offset < payload.length && !res.destroyed) {
        const piece = payload.subarray(offset, offset + size);
        offset += piece.length;
        if (offset >= payload.length) {
          res.write(piece, finish);
          return;
        }
        if (!res.write(piece)) {
          res.once('drain', pump);
          return;
        }
      }
    };
    pump();
    return;
  }
  if (opts.rate === undefined) {
    res.write(payload, finish);
    return;
  }
  const step = Math.max(1, Math.floor(opts.rate / 20));
  let offset = 0;
  const timer = setInterval(() => {
    if (res.destroyed) {
      clearInterval(timer);
      return;
    }
    const piece = payload.subarray(offset, offset + step);
    offset += piece.length;
    if (offset >= payload.length) {
      clearInterval(timer);
      res.write(piece, finish);
    } else {
      res.write(piece);
    }
  }, 50);
  res.on('close', () => clearInterval(timer));
}

/** Deterministic pseudo-random bytes, so a hash mismatch means a real corruption. */
export function testBytes(size: number, seed = 1): Buffer {
  const out = Buffer.allocUnsafe(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Uses `first` for the first `times` requests to a route, then `rest`. */
export function firstThen(first: Handler, rest: Handler, times = 1): Handler {
  return (req, res, hit) => (hit <= times ? first(req, res, hit) : rest(req, res, hit));
}

/** Answers with a status (and optional headers) and no body. */
export function status(code: number, headers: Record<string, string> = {}): Handler {
  return (_req, res) => {
    res.writeHead(code, headers).end();
  };
}

/** Parses a request's `Range: bytes=a-b` into [a, b+1) (b+1 = size when open-ended). */
export function requestedRange(range: string | undefined, size: number): [number, number] | undefined {
  const m = /^bytes=(\d+)-(\d*)$/u.exec(range ?? '');
  return m === null ? undefined : [Number(m[1]), m[2] === '' ? size : Number(m[2]) + 1];
}

/** Wraps a handler to count responses open at once, as a server limiting connections would. */
export function countingConcurrency(handler: Handler): { handler: Handler; max: () => number; current: () => number } {
  let open = 0;
  let max = 0;
  return {
    handler: (req, res, hit) => {
      open += 1;
      max = Math.max(max, open);
      res.on('close', () => (open -= 1));
      handler(req, res, hit);
    },
    max: () => max,
    current: () => open,
  };
}
