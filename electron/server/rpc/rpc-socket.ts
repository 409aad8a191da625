import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { createRequire } from 'node:module';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import type { Principal } from '../accounts/accounts.ts';
import { canSee } from '../accounts/identify.ts';
import type { EventHub, StateWatcher } from '../sse/event-hub.ts';
import type { Aria2Rpc } from './aria2-rpc.ts';
import { joinPieces } from './status-cache.ts';
import { MAX_RPC_BYTES, type RpcFreshness } from './rpc-http.ts';

/** Messages one socket may have waiting for their answers; more at once is a flood, and the socket is closed. */
export const MAX_PENDING = 32;
/** Answers and notifications a socket may leave unread before it is cut off. */
const MAX_UNREAD_BYTES = 16 * 1024 * 1024;

export interface RpcSocketsOptions {
  rpc: Aria2Rpc;
  hub: EventHub;
  clientOf: (req: IncomingMessage) => string;
  freshness: RpcFreshness | undefined;
}

/**
 * ws's server, ws loaded here and not before: ws loads the native helpers bufferutil and
 * utf-8-validate when they are installed (the torrent client's tracker library brings them as
 * optional dependencies), and Haul runs no native code; ws reads these switches once, as it loads.
 */
function webSocketServer(): WebSocketServer {
  process.env['WS_NO_BUFFER_UTIL'] ??= '1';
  process.env['WS_NO_UTF_8_VALIDATE'] ??= '1';
  const ws = createRequire(import.meta.url)('ws') as typeof import('ws');
  return new ws.WebSocketServer({ noServer: true, maxPayload: MAX_RPC_BYTES, perMessageDeflate: false });
}

/**
 * `/jsonrpc` as a WebSocket: each text message is a call or a batch, answered in order on the
 * same socket. aria2's notifications (onDownloadStart…) go to a socket once a call on it has
 * passed the token check, and only for downloads that caller may see.
 */
export class RpcSockets {
  readonly #opts: RpcSocketsOptions;
  readonly #server = webSocketServer();
  readonly #callers = new Map<WebSocket, Principal>();
  /** The server each socket came through, so closing the RPC's own port ends its sockets too. */
  readonly #via = new Map<WebSocket, object>();
  /** Notifications held for a socket while one of its calls is being answered: its answer goes first. */
  readonly #held = new Map<WebSocket, string[]>();
  readonly #stopWatching: () => void;

  constructor(opts: RpcSocketsOptions) {
    this.#opts = opts;
    this.#stopWatching = opts.hub.watch(this.#notify);
  }

  /** Takes over an upgrade request for `/jsonrpc` (any origin: the token in each call is the credential). */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, via: object): void {
    this.#server.handleUpgrade(req, socket, head, (ws) => {
      this.#via.set(ws, via);
      this.#serve(ws, req);
    });
  }

  /** Ends the sockets that came through `via` (a port closed). */
  dropVia(via: object): void {
    for (const [ws, server] of this.#via) if (server === via) ws.terminate();
  }

  close(): void {
    this.#stopWatching();
    for (const ws of this.#server.clients) ws.terminate();
    this.#server.close();
  }

  #serve(ws: WebSocket, req: IncomingMessage): void {
    const client = this.#opts.clientOf(req);
    let pending = 0;
    let chain = Promise.resolve();
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      this.#via.delete(ws);
      this.#callers.delete(ws);
      this.#held.delete(ws);
    });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) {
        ws.close(1003, 'Send JSON-RPC as text messages.');
        return;
      }
      if (++pending > MAX_PENDING) {
        ws.close(1008, `More than ${MAX_PENDING} calls waiting at once.`);
        return;
      }
      const text = rawText(data);
      chain = chain.then(async () => {
        try {
          if (ws.readyState !== ws.OPEN) return;
          await this.#opts.freshness?.before(req);
          this.#held.set(ws, []);
          const answer = await this.#opts.rpc.answer(text, client, (principal) => this.#callers.set(ws, principal));
          await this.#opts.freshness?.after();
          this.#send(ws, joinPieces(answer));
        } catch {
          ws.terminate();
        } finally {
          pending--;
          for (const note of this.#held.get(ws) ?? []) this.#send(ws, note);
          this.#held.delete(ws);
        }
      });
    });
  }

  #send(ws: WebSocket, text: string | Buffer): void {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_UNREAD_BYTES) {
      ws.terminate();
      return;
    }
    // Text frames, as aria2 sends them (a Buffer alone would go as binary).
    ws.send(text, { binary: false });
  }

  readonly #notify: StateWatcher = (event, owner) => {
    const note = this.#callers.size === 0 ? undefined : notificationOf(event);
    if (note === undefined) return;
    const text = JSON.stringify({ jsonrpc: '2.0', method: note.method, params: [{ gid: this.#opts.rpc.gids.gid(note.id) }] });
    for (const [ws, principal] of this.#callers) {
      if (!canSee(principal, { owner })) continue;
      const held = this.#held.get(ws);
      if (held === undefined) this.#send(ws, text);
      else if (held.length < MAX_PENDING * 8) held.push(text);
    }
  };
}

/** aria2's notification for a state event, and the download it is about, if it has one. */
function notificationOf(event: Parameters<StateWatcher>[0]): { method: string; id: string } | undefined {
  switch (event.name) {
    case 'removed':
      return { method: 'aria2.onDownloadStop', id: event.data.id };
    case 'updated': {
      const method = STATUS_NOTIFICATIONS[event.data.status ?? 'queued'];
      return method === undefined ? undefined : { method, id: event.data.id };
    }
    default:
      return undefined;
  }
}

const STATUS_NOTIFICATIONS: Record<string, string | undefined> = {
  downloading: 'aria2.onDownloadStart',
  paused: 'aria2.onDownloadPause',
  completed: 'aria2.onDownloadComplete',
  failed: 'aria2.onDownloadError',
};

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
