import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBodyText } from '../json-body.ts';
import { SECURITY_HEADERS } from '../respond.ts';
import type { Aria2Rpc } from './aria2-rpc.ts';
import type { Pieces } from './status-cache.ts';

/** aria2's own cap on a request (`rpc-max-request-size`). */
export const MAX_RPC_BYTES = 2 * 1024 * 1024;

export const RPC_PATH = '/jsonrpc';

/** Several nodes sharing Redis: what a request waits for before it is answered, and what its answer waits for. */
export interface RpcFreshness {
  before(req: IncomingMessage): Promise<void>;
  after(): Promise<void>;
}

class TooLarge extends Error {}

/**
 * `/jsonrpc` over HTTP: POST a call or a batch, any Content-Type (scripts send forms' types).
 * Any origin may call it and read the answer (a web UI such as AriaNg is served from anywhere);
 * the token inside the body is the only credential, so cookies are never read here and the
 * answer never allows credentials. Nothing else of Haul's API is opened this way.
 */
export async function answerHttp(req: IncomingMessage, res: ServerResponse, rpc: Aria2Rpc, client: string, freshness: RpcFreshness | undefined): Promise<void> {
  const cors: Record<string, string> = { 'access-control-allow-origin': req.headers.origin ?? '*', vary: 'Origin' };
  if (req.method === 'OPTIONS') {
    send(res, 204, undefined, {
      ...cors,
      'access-control-allow-methods': 'POST, OPTIONS',
      'access-control-allow-headers': 'content-type',
      'access-control-max-age': '600',
    });
    return;
  }
  if (req.method !== 'POST') {
    req.resume();
    send(res, 405, rpcFailure(-32600, 'Invalid Request: send JSON-RPC with POST (or over a WebSocket) to /jsonrpc.'), { ...cors, allow: 'POST, OPTIONS' });
    return;
  }
  let text: string;
  try {
    text = await readBodyText(req, MAX_RPC_BYTES, () => new TooLarge());
  } catch (error) {
    if (!(error instanceof TooLarge)) throw error;
    send(res, 413, rpcFailure(-32600, `Invalid Request: over ${MAX_RPC_BYTES / 1024 / 1024} MiB.`), { ...cors, connection: 'close' });
    return;
  }
  await freshness?.before(req);
  const answer = await rpc.answer(text, client);
  await freshness?.after();
  send(res, 200, answer, cors);
}

function rpcFailure(code: number, message: string): string {
  return JSON.stringify({ id: null, jsonrpc: '2.0', error: { code, message } });
}

/** Sends a body in its pieces (lists written before go out as they are, never copied into one string). */
function send(res: ServerResponse, status: number, body: Pieces | string | undefined, headers: Record<string, string>): void {
  const pieces = body === undefined ? [] : typeof body === 'string' ? [body] : body;
  const length = pieces.reduce((sum, p) => sum + (typeof p === 'string' ? Buffer.byteLength(p) : p.length), 0);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    // Read from other origins on purpose (see above).
    'cross-origin-resource-policy': 'cross-origin',
    'cache-control': 'no-store',
    ...(body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8', 'content-length': String(length) }),
    ...headers,
  });
  res.cork();
  for (const piece of pieces) res.write(piece);
  res.end();
}
