import os from 'node:os';
import { PORT_TRIES } from '../../shared/ports.ts';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { systemClock, type Clock } from '../engine/clock.ts';
import { Engine, type EngineOptions } from '../engine/engine.ts';
import { lockDataDir } from '../server/data-lock.ts';
import type { TrustedProxies } from '../server/accounts/client-address.ts';
import { changeSettings } from '../server/settings-change.ts';
import { WhenDone } from '../server/when-done/when-done.ts';
import { DEFAULT_CATEGORIES } from '../../shared/categories.ts';
import { runProgram, type RunProgram } from '../engine/run-program.ts';
import { startHttpServer, type RunningServer } from '../server/http-server.ts';
import { systemOpener, type Opener } from '../server/opener.ts';
import { Handoffs } from '../server/handoff.ts';
import { Pairings } from '../server/pairing.ts';
import { openState, type ClusterConfig, type HaulState } from './haul-state.ts';
import { removeServerInfo, writeServerInfo } from '../server/server-info.ts';
import type { EventHub, EventHubOptions } from '../server/sse/event-hub.ts';

export interface HaulOptions {
  dataDir: string;
  downloadDir: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** A port to bind exactly (0: any free one). Default: `preferPort`, else any free one. */
  port?: number;
  /**
   * With no `port`: try this one first, then the next ones (DEFAULT_PORT's neighbours), so
   * the address stays the same across restarts whenever it can. Default none.
   */
  preferPort?: number;
  /** Default: HAUL_TOKEN's value is passed in by callers, else 32 random bytes. */
  token?: string;
  allowHosts?: readonly string[];
  extraOrigins?: readonly string[];
  /** The built renderer, served at `/`. */
  staticDir?: string;
  clock?: Clock;
  engine?: Partial<Omit<EngineOptions, 'store' | 'downloadDir' | 'clock'>>;
  events?: Partial<Omit<EventHubOptions, 'clock' | 'ids'>>;
  /** Write `<dataDir>/server.json` for `haul add`. Default true. */
  publish?: boolean;
  log?: (line: string) => void;
  /** The command that started Haul (the page names it when opened without a token). */
  launchCommand?: string;
  /** Opens files for the open/reveal routes. Default: the OS's commands. */
  opener?: Opener;
  /** Brings the interface to the front (the extension's "Open Haul"); given its address with the token. Default: the default browser here. */
  showHaul?: (url: string) => Promise<void>;
  /** The address people use behind a reverse proxy (see HttpServerOptions.publicUrl). */
  publicUrl?: URL | undefined;
  /** Serve HTTPS with this certificate and key (PEM). */
  tls?: { cert: string; key: string } | undefined;
  /** Share one Haul with other nodes through Redis. Default: this node alone, its state in the data folder. */
  cluster?: ClusterConfig | undefined;
  /** Reverse proxies whose X-Forwarded-For names the client (`--trust-proxy`). Default none. */
  trustProxy?: TrustedProxies | undefined;
  /** Quits the host when Settings' whenDone is "quit" (the desktop app's quit; `haul serve`'s clean stop). Default: nothing happens. */
  quit?: () => void;
  /** Runs the power commands of whenDone "sleep" and "shutdown" (tests give a stand-in). Default: the real programs on PATH. */
  runPower?: RunProgram;
  /** Also answer aria2's JSON-RPC on this port (`--rpc-port`, the desktop's setting). Default: only at /jsonrpc on the main port. */
  rpcPort?: number | undefined;
}

export interface RunningHaul {
  url: string;
  port: number;
  /** Set when `preferPort` was taken and another port was used. */
  movedFrom?: number;
  token: string;
  engine: Engine;
  hub: EventHub;
  server: RunningServer;
  /** Whether sign-in is required (a user exists). */
  accountsOn(): boolean;
  /** Stops accepting, ends streams, checkpoints transfers, closes the store, removes server.json. */
  close(): Promise<void>;
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The token kept in `<data-dir>/token` (0600), made on first use, so a bookmarked address
 * keeps working after a restart. Delete the file to issue a new one.
 */
export function storedToken(dataDir: string): string {
  const file = path.join(dataDir, 'token');
  try {
    const token = fs.readFileSync(file, 'utf8').trim();
    if (/^[A-Za-z0-9_-]{32,}$/u.test(token)) return token;
  } catch {
    // None yet.
  }
  const token = newToken();
  fs.writeFileSync(file, `${token}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return token;
}

/** The data folder's token, or with several nodes the one they share (then kept in the data folder too, so the file tells the truth). */
async function sharedToken(dataDir: string, state: HaulState): Promise<string> {
  const own = storedToken(dataDir);
  const token = await state.token(own);
  if (token !== own) fs.writeFileSync(path.join(dataDir, 'token'), `${token}\n`, { mode: 0o600 });
  return token;
}

/** Store + engine + event hub + HTTP server: Haul without any particular host (serve, Electron). */
export async function startHaul(opts: HaulOptions): Promise<RunningHaul> {
  const clock = opts.clock ?? systemClock;
  // The folder holds the store with the downloads' cookies and credentials: owner only.
  fs.mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(opts.dataDir, 0o700);
  const lock = lockDataDir(opts.dataDir);
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let state: HaulState;
  try {
    state = await openState({ dataDir: opts.dataDir, clock, cluster: opts.cluster, log });
  } catch (error) {
    lock.release();
    throw error;
  }
  const { store, accounts } = state;
  // Set once the server listens: what a webhook must not call (Haul itself).
  let listening: RunningServer | undefined;
  const engine = new Engine({
    // The app sorts downloads into category folders from the start; the settings may change that.
    defaults: { categories: [...DEFAULT_CATEGORIES] },
    actions: { isHaul: (url) => listening !== undefined && isOwnAddress(url, [listening.port, listening.rpc.port]) },
    ...opts.engine,
    store,
    downloadDir: opts.downloadDir,
    dataDir: opts.dataDir,
    clock,
    ownerLimits: (owner) => accounts.limits(owner),
    journal: state.journal,
    liveElsewhere: state.liveElsewhere,
  });
  const pairings = new Pairings(clock, { load: () => store.loadPairedBrowsers(), save: (records) => store.savePairedBrowsers(records) });
  state.linkPairings(pairings);
  const whenDone = new WhenDone({ engine, clock, quit: opts.quit ?? (() => undefined), run: opts.runPower ?? runProgram, platform: process.platform, log });
  const hub = await state.hub(engine, {
    ...opts.events,
    currentNotices: () => pairings.pending().map((data) => ({ name: 'pairing' as const, data })),
    currentAnnouncements: () => {
      const notice = whenDone.current();
      return notice === undefined ? [] : [{ name: 'when-done' as const, data: notice }];
    },
  });
  whenDone.watch((event) => hub.announce(event.name, event.data));
  pairings.watch((change) => (change.kind === 'started' ? hub.notice('pairing', change.request) : hub.notice('pairing-ended', { pairingId: change.pairingId })));
  const handoffs = new Handoffs(engine, () => clock.now());
  engine.start();
  state.started(engine);
  const token = opts.token ?? (await sharedToken(opts.dataDir, state));
  /** A start that cannot finish undoes what it did, in order. */
  const giveUp = async (): Promise<void> => {
    whenDone.close();
    hub.close();
    await engine.shutdown();
    await state.close();
    lock.release();
  };
  let server: RunningServer;
  const candidates = opts.port !== undefined ? [opts.port] : opts.preferPort !== undefined ? Array.from({ length: PORT_TRIES }, (_, i) => (opts.preferPort ?? 0) + i) : [0];
  try {
    server = await listenOnFirstFree(candidates, (port) =>
      startHttpServer({
        engine,
        hub,
        token,
        port,
        host: opts.host,
        allowHosts: opts.allowHosts,
        extraOrigins: opts.extraOrigins,
        staticDir: opts.staticDir,
        log: opts.log,
        opener: opts.opener,
        launchCommand: opts.launchCommand,
        pairings,
        handoffs,
        accounts,
        cluster: state.cluster,
        publicUrl: opts.publicUrl,
        tls: opts.tls,
        trustProxy: opts.trustProxy,
        clock,
        whenDone,
        showHaul: () => (opts.showHaul ?? openInBrowser)(`${server.url}#token=${token}`),
      }),
    );
  } catch (error) {
    await giveUp();
    throw error;
  }
  if (opts.rpcPort !== undefined) {
    // `--rpc-port` is the setting, kept for later starts; a port that cannot be opened stops this start with the reason.
    try {
      await changeSettings(engine, { rpcPort: opts.rpcPort }, server.rpc);
    } catch (error) {
      await server.close();
      await giveUp();
      throw error;
    }
  }
  listening = server;
  if (opts.publish !== false) writeServerInfo(opts.dataDir, { url: server.url, port: server.port, token, pid: process.pid });
  let closing: Promise<void> | undefined;
  return {
    url: server.url,
    port: server.port,
    ...(opts.port === undefined && opts.preferPort !== undefined && server.port !== opts.preferPort ? { movedFrom: opts.preferPort } : {}),
    token,
    engine,
    hub,
    server,
    accountsOn: () => accounts.enabled(),
    close: () =>
      (closing ??= (async () => {
        if (opts.publish !== false) removeServerInfo(opts.dataDir);
        whenDone.close();
        const closed = server.close();
        await engine.shutdown();
        await closed;
        await state.close();
        lock.release();
      })()),
  };
}

/** Listens on the first of `ports` that is free; the last one's error if none is. */
async function listenOnFirstFree(ports: readonly number[], listen: (port: number) => Promise<RunningServer>): Promise<RunningServer> {
  let last: unknown;
  for (const port of ports) {
    try {
      return await listen(port);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      last = error;
    }
  }
  throw last;
}

/** Opens Haul's interface in this machine's default browser (the token stays on this machine). */
function openInBrowser(url: string): Promise<void> {
  return systemOpener().open(url);
}

/** Whether `url` is this machine on one of `ports` (a loopback name or address, or one of its own). */
function isOwnAddress(url: URL, ports: ReadonlyArray<number | undefined>): boolean {
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  if (!ports.includes(port)) return false;
  const host = url.hostname.replace(/^\[|\]$/gu, '').toLowerCase();
  const own = Object.values(os.networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address.toLowerCase()));
  return host === 'localhost' || host.startsWith('127.') || host === '::1' || host === '0.0.0.0' || own.includes(host);
}
