// The same calls to Haul and to a real aria2c --enable-rpc: Haul's answers must carry every key
// aria2 sends, with the same kind of value (it may add keys, never lack one).
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestHaul } from '../../../helpers/haul-harness.ts';
import { freePort } from '../../../helpers/proxies.ts';
import { tempDir } from '../../../helpers/temp-dir.ts';
import { serveBytes, startTestServer, testBytes, type TestServer } from '../../../helpers/test-server.ts';
import { eventually } from '../../../helpers/wait.ts';

const TOKEN = 'test-token-0123456789';
let files: TestServer | undefined;
let aria2c: ChildProcess | undefined;
afterEach(async () => {
  aria2c?.kill('SIGKILL');
  aria2c = undefined;
  await files?.close();
  files = undefined;
});

type Caller = (method: string, ...params: unknown[]) => Promise<unknown>;

function caller(port: number): Caller {
  let n = 0;
  return async (method, ...params) => {
    const res = await fetch(`http://127.0.0.1:${port}/jsonrpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: String(++n), method, params: [`token:${TOKEN}`, ...params] }),
    });
    const body = (await res.json()) as { result?: unknown; error?: { message: string } };
    if (body.error !== undefined) throw new Error(`${method}: ${body.error.message}`);
    return body.result;
  };
}

async function startAria2c(): Promise<Caller> {
  const port = await freePort();
  aria2c = spawn(
    'aria2c',
    ['--enable-rpc', `--rpc-listen-port=${port}`, `--rpc-secret=${TOKEN}`, `--dir=${tempDir('aria2c-dl-')}`, '--no-conf', '--quiet', '--enable-dht=false', '--max-connection-per-server=1'],
    { stdio: 'ignore' },
  );
  const call = caller(port);
  await eventually(async () => (await call('aria2.getVersion')) !== undefined, 10_000, 'aria2c answering');
  return call;
}

/** A value's shape: its JSON type, and for objects each key's shape, for arrays their first element's. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? [] : [shapeOf(value[0])];
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shapeOf(v)]));
  return typeof value;
}

/** What of aria2's shape Haul's lacks or types differently: nothing, when Haul answers as aria2 does. */
function missing(haul: unknown, aria: unknown, at = ''): string[] {
  if (Array.isArray(aria)) {
    if (!Array.isArray(haul)) return [`${at}: not a list`];
    return aria.length === 0 || haul.length === 0 ? [] : missing(haul[0], aria[0], `${at}[0]`);
  }
  if (aria !== null && typeof aria === 'object') {
    if (haul === null || typeof haul !== 'object' || Array.isArray(haul)) return [`${at}: not an object`];
    return Object.entries(aria).flatMap(([k, v]) => (k in haul ? missing((haul as Record<string, unknown>)[k], v, `${at}.${k}`) : [`${at}.${k}: missing`]));
  }
  return haul === aria ? [] : [`${at}: ${String(haul)} where aria2 has ${String(aria)}`];
}

describe('Haul answers as aria2c does', () => {
  it('for an HTTP download, active and complete: tellStatus, tellActive, getFiles, getOption, getGlobalStat, getVersion', async () => {
    const data = testBytes(3 * 1024 * 1024, 8);
    files = await startTestServer({ '/slow.bin': serveBytes(data, { rate: 512 * 1024 }), '/fast.bin': serveBytes(data) });
    const haul = await startTestHaul();
    const peers: Array<[string, Caller]> = [
      ['haul', caller(haul.port)],
      ['aria2c', await startAria2c()],
    ];
    const shapes: Record<string, Record<string, unknown>> = { haul: {}, aria2c: {} };
    for (const [name, call] of peers) {
      const slow = (await call('aria2.addUri', [files.url('/slow.bin')], { out: 'slow.bin' })) as string;
      const fast = (await call('aria2.addUri', [files.url('/fast.bin')], { out: 'fast.bin' })) as string;
      await eventually(async () => Number(((await call('aria2.tellStatus', slow)) as { completedLength: string }).completedLength) > 1024 * 1024, 15_000, `${name}: the slow one under way`);
      await eventually(async () => ((await call('aria2.tellStatus', fast, ['status'])) as { status: string }).status === 'complete', 15_000, `${name}: the fast one complete`);
      const seen = shapes[name] ?? {};
      seen['tellStatus active'] = shapeOf(await call('aria2.tellStatus', slow));
      seen['tellStatus complete'] = shapeOf(await call('aria2.tellStatus', fast));
      seen['tellActive'] = shapeOf(await call('aria2.tellActive'));
      seen['tellStopped'] = shapeOf(await call('aria2.tellStopped', 0, 10));
      seen['getFiles'] = shapeOf(await call('aria2.getFiles', slow));
      seen['getOption'] = shapeOf(await call('aria2.getOption', slow));
      seen['getGlobalStat'] = shapeOf(await call('aria2.getGlobalStat'));
      seen['getVersion'] = shapeOf(await call('aria2.getVersion'));
      seen['getServers'] = shapeOf(await call('aria2.getServers', slow));
      seen['getUris'] = shapeOf(await call('aria2.getUris', slow));
    }
    expect(Object.keys(shapes['aria2c'] ?? {})).toHaveLength(10);
    for (const [call, aria] of Object.entries(shapes['aria2c'] ?? {})) expect(missing(shapes['haul']?.[call], aria, call), call).toEqual([]);
  });
});
