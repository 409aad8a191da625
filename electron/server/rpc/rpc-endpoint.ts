import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Clock } from '../../engine/clock.ts';
import type { Engine } from '../../engine/engine.ts';
import type { Accounts } from '../accounts/accounts.ts';
import type { ClusterApi } from '../cluster/cluster.ts';
import { changeSettings } from '../settings-change.ts';
import type { EventHub } from '../sse/event-hub.ts';
import { Aria2Rpc } from './aria2-rpc.ts';
import { answerHttp, RPC_PATH, type RpcFreshness } from './rpc-http.ts';
import { RpcSockets } from './rpc-socket.ts';

export interface RpcEndpointOptions {
  engine: Engine;
  hub: EventHub;
  token: string;
  accounts: Accounts | undefined;
  cluster: ClusterApi | undefined;
  clock: Clock;
  clientOf: (req: http.IncomingMessage) => string;
  log: (line: string) => void;
}

/** aria2's JSON-RPC at `/jsonrpc` (HTTP and WebSocket), on Haul's server and optionally on a port of its own. */
export class RpcEndpoint {
  readonly #rpc: Aria2Rpc;
  readonly #sockets: RpcSockets;
  readonly #clientOf: (req: http.IncomingMessage) => string;
  readonly #freshness: RpcFreshness | undefined;
  readonly #servers: http.Server[] = [];

  constructor(opts: RpcEndpointOptions) {
    const cluster = opts.cluster;
    this.#freshness = cluster === undefined ? undefined : { before: (req) => cluster.beforeRequest(req), after: () => cluster.settled() };
    this.#clientOf = opts.clientOf;
    this.#rpc = new Aria2Rpc({
      engine: opts.engine,
      token: opts.token,
      accounts: opts.accounts,
      clock: opts.clock,
      changeSettings: (change) => changeSettings(opts.engine, change),
      log: opts.log,
    });
    this.#sockets = new RpcSockets({ rpc: this.#rpc, hub: opts.hub, clientOf: opts.clientOf, freshness: this.#freshness });
  }

  /** Whether a request's path (its public prefix taken off) is this endpoint's. */
  static serves(pathname: string): boolean {
    return pathname === RPC_PATH;
  }

  answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    return answerHttp(req, res, this.#rpc, this.#clientOf(req), this.#freshness);
  }

  upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#sockets.upgrade(req, socket, head);
  }

  /** Serves only `/jsonrpc` on a port of its own (aria2's 6800, which clients try first). */
  async listen(create: (onRequest: http.RequestListener) => http.Server, port: number, host: string, onError: (req: http.IncomingMessage, error: unknown) => void): Promise<number> {
    const server = create((req, res) => {
      const pathname = (req.url ?? '').split('?')[0] ?? '';
      if (!RpcEndpoint.serves(pathname)) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('This port answers aria2 JSON-RPC at /jsonrpc only.\n');
        return;
      }
      this.answer(req, res).catch((error: unknown) => {
        onError(req, error);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    this.attach(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#servers.push(server);
    return (server.address() as AddressInfo).port;
  }

  /** Takes `server`'s WebSocket upgrades to `/jsonrpc` (under `basePath`, behind a proxy); any other upgrade is refused. */
  attach(server: http.Server, basePath = '/'): void {
    server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
      const pathname = (req.url ?? '').split('?')[0] ?? '';
      if (pathname === RPC_PATH || pathname === `${basePath}${RPC_PATH.slice(1)}`) this.upgrade(req, socket, head);
      else socket.destroy();
    });
  }

  async close(): Promise<void> {
    this.#sockets.close();
    await Promise.all(
      this.#servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    );
  }
}
