import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { systemClock, type Clock } from '../engine/clock.ts';
import { Engine, type EngineOptions } from '../engine/engine.ts';
import { SqliteStore } from '../engine/store/sqlite-store.ts';
import { lockDataDir } from './data-lock.ts';
import { startHttpServer, type RunningServer } from './http-server.ts';
import { removeServerInfo, writeServerInfo } from './server-info.ts';
import { EventHub, type EventHubOptions } from './sse/event-hub.ts';

export interface HaulOptions {
  dataDir: string;
  downloadDir: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Default: HAUL_TOKEN's value is passed in by callers, else 32 random bytes. */
  token?: string;
  allowHosts?: readonly string[];
  extraOrigins?: readonly string[];
  /** The built renderer, served at `/`. */
  staticDir?: string;
  clock?: Clock;
  engine?: Partial<Omit<EngineOptions, 'store' | 'downloadDir' | 'clock'>>;
  events?: Partial<Omit<EventHubOptions, 'clock' | 'reserveIds'>>;
  /** Write `<dataDir>/server.json` for `haul add`. Default true. */
  publish?: boolean;
  log?: (line: string) => void;
}

export interface RunningHaul {
  url: string;
  port: number;
  token: string;
  engine: Engine;
  hub: EventHub;
  server: RunningServer;
  /** Stops accepting, ends streams, checkpoints transfers, closes the store, removes server.json. */
  close(): Promise<void>;
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Store + engine + event hub + HTTP server: Haul without any particular host (serve, Electron). */
export async function startHaul(opts: HaulOptions): Promise<RunningHaul> {
  const clock = opts.clock ?? systemClock;
  // The folder holds the store with the downloads' cookies and credentials: owner only.
  fs.mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(opts.dataDir, 0o700);
  const lock = lockDataDir(opts.dataDir);
  let store: SqliteStore;
  try {
    store = new SqliteStore(path.join(opts.dataDir, 'haul.sqlite'));
  } catch (error) {
    lock.release();
    throw error;
  }
  const engine = new Engine({ ...opts.engine, store, downloadDir: opts.downloadDir, clock });
  const hub = new EventHub(engine, { ...opts.events, clock, reserveIds: (count) => store.nextSequence('event', count) });
  engine.start();
  const token = opts.token ?? newToken();
  let server: RunningServer;
  try {
    server = await startHttpServer({
      engine,
      hub,
      token,
      ...(opts.host === undefined ? {} : { host: opts.host }),
      ...(opts.port === undefined ? {} : { port: opts.port }),
      ...(opts.allowHosts === undefined ? {} : { allowHosts: opts.allowHosts }),
      ...(opts.extraOrigins === undefined ? {} : { extraOrigins: opts.extraOrigins }),
      ...(opts.staticDir === undefined ? {} : { staticDir: opts.staticDir }),
      ...(opts.log === undefined ? {} : { log: opts.log }),
    });
  } catch (error) {
    hub.close();
    await engine.shutdown();
    store.close();
    lock.release();
    throw error;
  }
  if (opts.publish !== false) writeServerInfo(opts.dataDir, { url: server.url, port: server.port, token, pid: process.pid });
  let closing: Promise<void> | undefined;
  return {
    url: server.url,
    port: server.port,
    token,
    engine,
    hub,
    server,
    close: () =>
      (closing ??= (async () => {
        if (opts.publish !== false) removeServerInfo(opts.dataDir);
        const closed = server.close();
        await engine.shutdown();
        await closed;
        store.close();
        lock.release();
      })()),
  };
}
