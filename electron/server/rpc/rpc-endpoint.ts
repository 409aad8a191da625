import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Clock } from '../../engine/clock.ts';
import type { Settings } from '../../../shared/api.ts';
import type { Engine } from '../../engine/engine.ts';
import { InputError } from '../../engine/errors.ts';
import { InTurn } from '../../engine/in-turn.ts';
import type { Accounts } from '../accounts/accounts.ts';
import type { ClusterApi } from '../cluster/cluster.ts';
import { changeSettings } from '../settings-change.ts';
import type { EventHub } from '../sse/event-hub.ts';
import { Aria2Rpc } from './aria2-rpc.ts';
import { answerHttp, RPC_PATH, type RpcFreshness } from './rpc-http.ts';
import { RpcSockets } from './rpc-socket.ts';

export interface RpcEndpointOptions {
  engine: Engine;
  /** Makes a server like Haul's own (http or https, the same timeouts) for the RPC's own port. */
  createServer: (onRequest: http.RequestListener) => http.Server;
  /** The interface Haul listens on; the RPC's own port is opened there too. */
  host: string;
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
  readonly #freshness: RpcFreshness | undefined;
  readonly #opts: RpcEndpointOptions;
  /** The port of its own, while one is open (Settings' rpcPort). */
  #own: { port: number; server: http.Server } | undefined;
  /** Port moves, one at a time. */
  readonly #moving = new InTurn();
  readonly #stopFollowing: () => void;

  constructor(opts: RpcEndpointOptions) {
    this.#opts = opts;
    const cluster = opts.cluster;
    this.#freshness = cluster === undefined ? undefined : { before: (req) => cluster.beforeRequest(req), after: () => cluster.settled() };
    this.#rpc = new Aria2Rpc({
      engine: opts.engine,
      token: opts.token,
      accounts: opts.accounts,
      clock: opts.clock,
      changeSettings: (change) => changeSettings(opts.engine, change, this),
      log: opts.log,
    });
    this.#sockets = new RpcSockets({ rpc: this.#rpc, hub: opts.hub, clientOf: opts.clientOf, freshness: this.#freshness });
    // Settings changed elsewhere (another node, or at start) move the port too; a failure here is only logged.
    const follow = (settings: Settings): void => {
      this.openPort(settings.rpcPort).catch((error: unknown) => opts.log(`haul: aria2 RPC port ${settings.rpcPort}: ${(error as Error).message}`));
    };
    opts.engine.on('settings', follow);
    this.#stopFollowing = () => opts.engine.off('settings', follow);
  }

  /** The port of its own RPC answers on now, if any. */
  get port(): number | undefined {
    return this.#own?.port;
  }

  /**
   * Answers on `port` as well as at /jsonrpc on Haul's own (0: on no port of its own). A port
   * in use or not allowed is an INVALID_FIELD error naming `rpcPort`, and the old one stays.
   */
  openPort(port: number): Promise<void> {
    return this.#moving.run(async () => {
      if (port === (this.#own?.port ?? 0)) return;
      const next = port === 0 ? undefined : { port, server: await this.#listen(port) };
      const old = this.#own;
      this.#own = next;
      if (old !== undefined) await this.#close(old.server);
    });
  }

  /** Whether a request's path (its public prefix taken off) is this endpoint's. */
  static serves(pathname: string): boolean {
    return pathname === RPC_PATH;
  }

  answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    return answerHttp(req, res, this.#rpc, this.#opts.clientOf(req), this.#freshness);
  }

  async #listen(port: number): Promise<http.Server> {
    const server = this.#opts.createServer((req, res) => {
      const pathname = (req.url ?? '').split('?')[0] ?? '';
      if (!RpcEndpoint.serves(pathname)) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('This port answers aria2 JSON-RPC at /jsonrpc only.\n');
        return;
      }
      this.answer(req, res).catch((error: unknown) => {
        this.#opts.log(`haul: aria2 RPC failed: ${(error as Error).stack ?? String(error)}`);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    this.attach(server);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, this.#opts.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why =
        code === 'EADDRINUSE'
          ? 'is in use by another program (aria2 itself?)'
          : code === 'EACCES'
            ? 'needs privileges Haul does not have; use 1024 or above'
            : `cannot be opened (${code ?? String(error)})`;
      throw new InputError('INVALID_FIELD', `"rpcPort": port ${port} on ${this.#opts.host} ${why}. Choose another, or 0 for none.`, 'rpcPort', { cause: error });
    }
    return server;
  }

  /** Takes `server`'s WebSocket upgrades to `/jsonrpc` (under `basePath`, behind a proxy); any other upgrade is refused. */
  attach(server: http.Server, basePath = '/'): void {
    server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
      const pathname = (req.url ?? '').split('?')[0] ?? '';
      if (pathname === RPC_PATH || pathname === `${basePath}${RPC_PATH.slice(1)}`) this.#sockets.upgrade(req, socket, head, server);
      else socket.destroy();
    });
  }

  async close(): Promise<void> {
    this.#stopFollowing();
    this.#sockets.close();
    await this.#moving;
    if (this.#own !== undefined) await this.#close(this.#own.server);
    this.#own = undefined;
  }

  #close(server: http.Server): Promise<void> {
    this.#sockets.dropVia(server);
    return new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
