import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Engine } from '../engine/engine.ts';
import { HaulError, toHaulError } from '../engine/errors.ts';
import { runHandler } from './api-handlers.ts';
import { isStreamed, sendReply } from './route-handler.ts';
import { allowedHostsFor, checkExtensionOrigin, checkHost, checkOrigin, hostPort, parseTarget, type AccessPolicy } from './guards.ts';
import type { Accounts } from './accounts/accounts.ts';
import { canSee, extensionPrincipal, requestPrincipal } from './accounts/identify.ts';
import type { ClusterApi } from './cluster/cluster.ts';
import { gateResponse, sendEmpty, sendError } from './respond.ts';
import { matchRoute } from './router.ts';
import type { EventHub } from './sse/event-hub.ts';
import { serveStatic } from './static-files.ts';
import { systemOpener, type Opener } from './opener.ts';
import { TrustedProxies } from './accounts/client-address.ts';
import type { Handoffs } from './handoff.ts';
import type { Pairings } from './pairing.ts';
import { RpcEndpoint } from './rpc/rpc-endpoint.ts';
import { safeLog } from './safe-log.ts';
import { ownAddresses } from './own-addresses.ts';
import { systemClock, type Clock } from '../engine/clock.ts';

export interface HttpServerOptions {
  engine: Engine;
  hub: EventHub;
  token: string;
  /** Interface to bind. Default 127.0.0.1 (loopback only). */
  host?: string | undefined;
  /** Default 0: any free port. */
  port?: number;
  /** Extra Host names to answer to (a NAS's name when bound beyond loopback). */
  allowHosts?: readonly string[] | undefined;
  /** Origins allowed besides the server's own, such as the desktop UI's custom protocol. */
  extraOrigins?: readonly string[] | undefined;
  /** The built renderer; `/` serves its index.html. */
  staticDir?: string | undefined;
  /** Where unexpected errors are reported (never with the token). Default stderr. */
  log?: ((line: string) => void) | undefined;
  /** The command that started Haul, named by the page when it was opened without its token. Default "haul serve". */
  launchCommand?: string | undefined;
  /** Opens and reveals files for `POST /api/downloads/:id/open|reveal`. Default: the OS's commands (systemOpener). */
  opener?: Opener | undefined;
  /** Browsers paired for the extension's routes. */
  pairings: Pairings;
  handoffs: Handoffs;
  /** Brings Haul's interface to the front for `POST /api/ext/show`. */
  showHaul: () => Promise<void>;
  /**
   * The address people use when Haul is behind a reverse proxy (`https://nas.example/haul/`):
   * its host is answered to, its origin allowed, and its path accepted as a prefix. Default none.
   */
  publicUrl?: URL | undefined;
  /** Serve HTTPS with this certificate and key (PEM). Default: plain HTTP. */
  tls?: { cert: string; key: string } | undefined;
  /** Accounts (on once a user exists). Default none: the token alone, as on a desktop. */
  accounts?: Accounts;
  /** Several nodes sharing Redis: requests see everything Redis had when they came, and changes are answered once Redis has them. */
  cluster?: ClusterApi | undefined;
  /** Proxies whose X-Forwarded-For names the client (`--trust-proxy`). Default none: the peer is the client. */
  trustProxy?: TrustedProxies | undefined;
  /** Settings' whenDone countdown, cancelled by `POST /api/actions/cancel-when-done`. */
  whenDone: { cancel(): boolean };
  /** Time for the RPC's wrong-token throttle. Default the system clock. */
  clock?: Clock | undefined;
}

export interface RunningServer {
  url: string;
  /** Every address that reaches this server: loopback first, then (bound beyond loopback) the machine's own. */
  urls: string[];
  port: number;
  /** aria2's JSON-RPC: at /jsonrpc here, and on the port of its own that Settings' rpcPort names. */
  rpc: RpcEndpoint;
  host: string;
  server: http.Server;
  close(): Promise<void>;
}

/** Starts the API + SSE + UI server on node:http. */
export async function startHttpServer(opts: HttpServerOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const opener = opts.opener ?? systemOpener();
  const trusted = opts.trustProxy ?? new TrustedProxies([]);
  // Behind a proxy at https://nas.example/haul/, requests may keep the prefix (or the proxy strips it).
  const basePath = opts.publicUrl === undefined ? '/' : opts.publicUrl.pathname.endsWith('/') ? opts.publicUrl.pathname : `${opts.publicUrl.pathname}/`;
  const log = safeLog(opts.log ?? ((line: string) => process.stderr.write(`${line}\n`)));
  let policy: AccessPolicy | undefined;
  // Node checks these timeouts every connectionsCheckingInterval (30 s by default): check each
  // second, so the documented 10 s and 30 s hold.
  const serverOptions = { headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000, connectionsCheckingInterval: 1_000 };
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    if (policy === undefined) {
      res.destroy();
      return;
    }
    void handle(req, res, policy).catch((error: unknown) => sendError(res, reported(req, error)));
  };
  // Taken from Node directly rather than imported: an ES import of node:http builds all of its
  // exports at once, and WebSocket's getter loads Node's bundled undici (~30 ms of start-up);
  // node:https brings the TLS stack, which a plain-http server never needs.
  const tls = opts.tls;
  const createServer = (listener: http.RequestListener): http.Server =>
    tls === undefined
      ? process.getBuiltinModule('node:http').createServer(serverOptions, listener)
      : process.getBuiltinModule('node:https').createServer({ ...serverOptions, cert: tls.cert, key: tls.key }, listener);
  const server = createServer(onRequest);

  const rpc = new RpcEndpoint({
    engine: opts.engine,
    hub: opts.hub,
    token: opts.token,
    accounts: opts.accounts,
    cluster: opts.cluster,
    clock: opts.clock ?? systemClock,
    clientOf: (req) => trusted.clientOf(req),
    log,
    createServer,
    host,
  });
  rpc.attach(server, basePath);

  /** The error as a HaulError; unexpected ones are logged (path only: the token never is). */
  function reported(req: http.IncomingMessage, error: unknown): HaulError {
    const err = toHaulError(error);
    if (err.code === 'INTERNAL') log(`haul: ${req.method} ${req.url?.split('?')[0]} failed: ${(error as Error).stack ?? String(error)}`);
    return err;
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, access: AccessPolicy): Promise<void> {
    let cors: Record<string, string> = {};
    try {
      const url = withoutBasePath(parseTarget(req), basePath);
      // aria2's JSON-RPC is open to any origin and host: the token inside each call is its credential.
      if (RpcEndpoint.serves(url.pathname)) {
        await rpc.answer(req, res);
        return;
      }
      checkHost(req, access);
      const method = req.method ?? 'GET';
      // The extension's routes answer only an extension's origin; every other route, only Haul's own.
      const forExtension = url.pathname.startsWith('/api/ext/');
      const origin = forExtension ? checkExtensionOrigin(req) : checkOrigin(req, access);
      if (origin !== undefined) cors = { 'access-control-allow-origin': origin, vary: 'Origin' };
      if (method === 'OPTIONS') {
        sendEmpty(res, 204, {
          ...cors,
          'access-control-allow-methods': 'GET, POST, PATCH, DELETE',
          'access-control-allow-headers': 'authorization, content-type, last-event-id',
          'access-control-max-age': '600',
        });
        return;
      }
      if (!url.pathname.startsWith('/api/')) {
        if (method !== 'GET' && method !== 'HEAD') throw new HaulError('METHOD_NOT_ALLOWED', `${method} is not allowed here; the interface is read with GET.`);
        if (opts.staticDir === undefined) throw new HaulError('NOT_FOUND', 'This server has no interface to show.');
        serveStatic(opts.staticDir, url.pathname, res, method === 'HEAD', opts.launchCommand);
        return;
      }
      const match = matchRoute(method, url.pathname);
      const name = match !== undefined && 'name' in match ? match.name : undefined;
      if (opts.cluster !== undefined) {
        await opts.cluster.beforeRequest(req);
        if (method !== 'GET')
          gateResponse(
            res,
            () => opts.cluster?.settled() ?? Promise.resolve(),
            (error) => reported(req, error),
          );
      }
      const { principal, browser } = forExtension
        ? extensionPrincipal(req, origin ?? '', name, opts.pairings, opts.accounts)
        : { principal: requestPrincipal(req, url, method, name, access, opts.accounts), browser: undefined };
      if (match === undefined) throw new HaulError('NOT_FOUND', `There is no API at ${url.pathname.slice(0, 100)}; see docs/api.md.`);
      if ('allowed' in match) {
        cors = { ...cors, allow: match.allowed.join(', ') };
        throw new HaulError('METHOD_NOT_ALLOWED', `${method} is not allowed on ${url.pathname.slice(0, 100)}; use ${match.allowed.join(' or ')}.`);
      }
      // Another user's download does not exist, as far as this user can tell.
      const id = match.params['id'];
      if (id !== undefined && url.pathname.startsWith('/api/downloads/') && !canSee(principal, opts.engine.get(id))) {
        throw new HaulError('NOT_FOUND', `No download has the id "${id.slice(0, 100)}"; it may have been removed.`);
      }
      const result = await runHandler(match.name, match.params, {
        req,
        res,
        url,
        engine: opts.engine,
        hub: opts.hub,
        opener,
        pairings: opts.pairings,
        handoffs: opts.handoffs,
        origin,
        browser,
        showHaul: opts.showHaul,
        principal,
        client: trusted.clientOf(req),
        rpc,
        whenDone: opts.whenDone,
        accounts: opts.accounts,
        cluster: opts.cluster,
        site: { secure: opts.tls !== undefined || opts.publicUrl?.protocol === 'https:', path: basePath },
        headers: cors,
      });
      if (!isStreamed(result)) sendReply(res, result, cors);
    } catch (error) {
      const err = reported(req, error);
      // A refused request whose body was not read: discard it and close the connection
      // after answering, so a large upload cannot hold the socket (or shutdown) open.
      if (!req.complete) {
        cors = { ...cors, connection: 'close' };
        req.resume();
      }
      sendError(res, err, cors);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  // A port taken since the setting was made must not keep Haul from starting: it is said, and the setting can be changed.
  await rpc.openPort(opts.engine.settings.rpcPort).catch((error: unknown) => log(`haul: aria2 RPC not on its own port: ${(error as Error).message}`));
  const wildcard = host === '0.0.0.0' || host === '::';
  const own = wildcard ? ownAddresses(host === '::') : [];
  const allowedHosts = allowedHostsFor(port, host, opts.allowHosts ?? [], own);
  if (opts.publicUrl !== undefined) allowedHosts.add(opts.publicUrl.host.toLowerCase());
  policy = {
    allowedHosts,
    extraOrigins: new Set([...(opts.extraOrigins ?? []), ...(opts.publicUrl === undefined ? [] : [opts.publicUrl.origin])]),
    token: opts.token,
    scheme: opts.tls === undefined ? 'http' : 'https',
  };
  const shownHost = wildcard ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const scheme = policy.scheme;
  return {
    url: `${scheme}://${shownHost}:${port}/`,
    urls: [...new Set([`${scheme}://${shownHost}:${port}/`, ...own.map((a) => `${scheme}://${hostPort(a, port)}/`)])],
    port,
    rpc,
    host,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        void rpc.close();
        opts.hub.close();
        server.close(() => resolve());
        server.closeIdleConnections();
        // Requests still in flight get a moment to finish, then their connections are cut.
        setTimeout(() => server.closeAllConnections(), 500).unref();
      }),
  };
}

/** The request's path with the public URL's path prefix taken off, when it carries it. */
function withoutBasePath(url: URL, basePath: string): URL {
  if (basePath === '/') return url;
  const bare = basePath.slice(0, -1);
  if (url.pathname === bare || url.pathname.startsWith(basePath)) url.pathname = url.pathname.slice(bare.length) || '/';
  return url;
}
