import http from 'node:http';
import path from 'node:path';
import type { Role } from '../../shared/accounts-api.ts';
import { AccountStore } from '../../electron/server/accounts/account-store.ts';
import { hashPassword } from '../../electron/server/accounts/passwords.ts';
import { afterEach } from 'vitest';
import { startHaul, type HaulOptions, type RunningHaul } from '../../electron/app/start-haul.ts';
import { tempDir } from './temp-dir.ts';

const running: RunningHaul[] = [];

/** A real Haul (store, engine, hub, HTTP server) on 127.0.0.1:0 in temp dirs; closed after the test. */
export async function startTestHaul(opts: Partial<HaulOptions> = {}): Promise<RunningHaul & { dataDir: string; downloadDir: string }> {
  const dataDir = opts.dataDir ?? tempDir('haul-srv-data-');
  const downloadDir = opts.downloadDir ?? tempDir('haul-srv-dl-');
  const haul = await startHaul({
    token: 'test-token-0123456789',
    ...opts,
    dataDir,
    downloadDir,
    engine: { retry: { retries: 2, baseDelayMs: 10, maxDelayMs: 50 }, checkpointIntervalMs: 50, progressIntervalMs: 20, ...opts.engine },
    log: opts.log ?? (() => undefined),
  });
  running.push(haul);
  return Object.assign(haul, { dataDir, downloadDir });
}

afterEach(async () => {
  for (const haul of running.splice(0)) await haul.close();
});

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  // biome-ignore lint/suspicious/noExplicitAny: test convenience over arbitrary JSON
  json: () => any;
}

/** An HTTP request with full control over headers (Host and Origin included), as a browser or attacker would send. */
export function request(base: string, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer; token?: string | null } = {}): Promise<RawResponse> {
  const url = new URL(path, base);
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token !== null && opts.token !== undefined) headers['authorization'] = `Bearer ${opts.token}`;
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) });
      });
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** Adds users to a test Haul's own store, as `haul user add` does; each one's password is `<name>-password`. */
export async function addTestUsers(dataDir: string, users: ReadonlyArray<readonly [string, Role]>): Promise<void> {
  const store = new AccountStore(path.join(dataDir, 'haul.sqlite'));
  try {
    for (const [name, role] of users) store.put(name, role, await hashPassword(`${name}-password`), new Date().toISOString());
  } finally {
    store.close();
  }
}
