import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { freePort } from './lib/file-server.ts';
import { startHaulServe } from './lib/haul-serve.ts';
import { percentile } from './lib/measure.ts';

export interface RpcBenchRow {
  tool: string;
  /** One poll: getGlobalStat, tellActive, tellWaiting(0,1000), tellStopped(-1,1000), one after another. */
  pollMs: { p50: number; p99: number; samples: number };
  /** CPU of 10 clients polling once a second, less the same process idle, in % of one core. */
  tenClientsCpuPercent: number;
  counts: { active: number; waiting: number; stopped: number };
}

const SECRET = 'bench-rpc-secret';
/** What AriaNg asks of each download in its lists. */
const KEYS = [
  'gid',
  'totalLength',
  'completedLength',
  'uploadSpeed',
  'downloadSpeed',
  'connections',
  'numSeeders',
  'seeder',
  'status',
  'errorCode',
  'verifiedLength',
  'verifyIntegrityPending',
  'files',
  'bittorrent',
  'infoHash',
];

/**
 * aria2-RPC clients poll every second. With 1,000 waiting, 1,000 stopped (half complete, half
 * failed) and 20 active downloads, how long one poll takes and what 10 polling clients cost,
 * for Haul (`haul serve`) and aria2c answering the same polls for the same lists, same run.
 */
export async function runRpcBench(workDir: string, opts: { polls: number; seconds: number }): Promise<RpcBenchRow[]> {
  const files = await startFileServer();
  try {
    const rows: RpcBenchRow[] = [];
    for (const tool of ['haul', 'aria2c'] as const) {
      const dir = path.join(workDir, `rpc-${tool}`);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(path.join(dir, 'dl'), { recursive: true });
      const peer = tool === 'haul' ? await startHaul(dir) : await startAria2c(dir);
      try {
        rows.push({ tool, ...(await measurePeer(peer, files.url, opts)) });
      } finally {
        peer.child.kill(tool === 'haul' && process.env['BENCH_NODE_ARGS'] !== undefined ? 'SIGINT' : 'SIGKILL');
      }
    }
    return rows;
  } finally {
    files.server.close();
    files.server.closeAllConnections();
  }
}

export function formatRpc(rows: RpcBenchRow[]): string {
  const lines = ['| server | lists (active / waiting / stopped) | one poll p50 | p99 | 10 clients polling each second, CPU |', '| --- | --- | --- | --- | --- |'];
  for (const r of rows)
    lines.push(
      `| ${r.tool} | ${r.counts.active} / ${r.counts.waiting} / ${r.counts.stopped} | ${r.pollMs.p50.toFixed(1)} ms | ${r.pollMs.p99.toFixed(1)} ms | ${r.tenClientsCpuPercent.toFixed(1)} % of a core |`,
    );
  return lines.join('\n');
}

interface Peer {
  child: ChildProcess;
  port: number;
}

async function measurePeer(peer: Peer, base: string, opts: { polls: number; seconds: number }): Promise<Omit<RpcBenchRow, 'tool'>> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const call = (method: string, ...params: unknown[]) => rpc(peer.port, agent, method, params);
  await call('aria2.changeGlobalOption', { 'max-concurrent-downloads': '20' });
  // 500 that complete at once and 500 that fail at once (404), then 20 that stay active, then 1,000 paused.
  await addMany(call, 1000, (i) => [[`${base}/${i % 2 === 0 ? 'small' : 'missing'}/${i}`], { out: `stopped-${i}.bin` }]);
  await waitFor(async () => Number(((await call('aria2.getGlobalStat')) as { numStopped: string }).numStopped) >= 1000, 'the 1,000 stopped');
  await addMany(call, 20, (i) => [[`${base}/slow/${i}`], { out: `active-${i}.bin` }]);
  await addMany(call, 1000, (i) => [[`${base}/small/w${i}`], { out: `waiting-${i}.bin`, pause: 'true' }]);
  await waitFor(async () => Number(((await call('aria2.getGlobalStat')) as { numActive: string }).numActive) === 20, 'the 20 active');
  const poll = async (): Promise<void> => {
    await call('aria2.getGlobalStat');
    await call('aria2.tellActive', KEYS);
    await call('aria2.tellWaiting', 0, 1000, KEYS);
    await call('aria2.tellStopped', -1, 1000, KEYS);
  };
  for (let i = 0; i < 10; i++) await poll();
  const times: number[] = [];
  for (let i = 0; i < opts.polls; i++) {
    const started = performance.now();
    await poll();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const stat = (await call('aria2.getGlobalStat')) as Record<string, string>;
  // Idle first (downloads still running), then ten clients polling once a second.
  const idle = await cpuOver(peer.child.pid ?? 0, opts.seconds, async () => undefined);
  const busy = await cpuOver(peer.child.pid ?? 0, opts.seconds, async (until) => {
    await Promise.all(
      Array.from({ length: 10 }, async (_, c) => {
        await new Promise((resolve) => setTimeout(resolve, c * 100));
        while (performance.now() < until) {
          const next = performance.now() + 1000;
          await poll();
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
        }
      }),
    );
  });
  agent.destroy();
  return {
    pollMs: { p50: percentile(times, 50), p99: percentile(times, 99), samples: times.length },
    tenClientsCpuPercent: Math.max(0, busy - idle),
    counts: { active: Number(stat['numActive']), waiting: Number(stat['numWaiting']), stopped: Number(stat['numStopped']) },
  };
}

/** The process's CPU (% of one core) while `work` runs for `seconds`. */
async function cpuOver(pid: number, seconds: number, work: (until: number) => Promise<void>): Promise<number> {
  const before = cpuTicks(pid);
  const started = performance.now();
  const until = started + seconds * 1000;
  await work(until);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, until - performance.now())));
  const elapsed = (performance.now() - started) / 1000;
  return ((cpuTicks(pid) - before) / 100 / elapsed) * 100;
}

function cpuTicks(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return Number(fields[11]) + Number(fields[12]);
}

type Call = (method: string, ...params: unknown[]) => Promise<unknown>;

async function addMany(call: Call, count: number, params: (i: number) => unknown[]): Promise<void> {
  for (let start = 0; start < count; start += 100) {
    const calls = Array.from({ length: Math.min(100, count - start) }, (_, k) => ({ methodName: 'aria2.addUri', params: [`token:${SECRET}`, ...params(start + k)] }));
    const results = (await call('system.multicall', calls)) as unknown[];
    const failed = results.find((r) => !Array.isArray(r));
    if (failed !== undefined) throw new Error(`addUri failed: ${JSON.stringify(failed)}`);
  }
}

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  const until = Date.now() + 120_000;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`rpc bench: ${what} not reached`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function rpc(port: number, agent: http.Agent, method: string, params: unknown[]): Promise<unknown> {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: method.startsWith('system.') ? params : [`token:${SECRET}`, ...params] });
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: '/jsonrpc', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { result?: unknown; error?: { message: string } };
          if (answer.error !== undefined) reject(new Error(`${method}: ${answer.error.message}`));
          else resolve(answer.result);
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Small files, 404s, and files that drip a byte every second (downloads that stay active). */
async function startFileServer(): Promise<{ server: http.Server; url: string }> {
  const small = Buffer.alloc(1024, 7);
  const server = http.createServer((req, res) => {
    const url = req.url ?? '';
    if (url.startsWith('/small/')) res.writeHead(200, { 'content-length': small.length }).end(small);
    else if (url.startsWith('/slow/')) {
      res.writeHead(200, { 'content-length': 1 << 30 });
      const drip = setInterval(() => res.write('x'), 1000);
      res.on('close', () => clearInterval(drip));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function startHaul(dir: string): Promise<Peer> {
  const { child, port } = await startHaulServe({
    dataDir: path.join(dir, 'data'),
    downloadDir: path.join(dir, 'dl'),
    token: SECRET,
    nodeArgs: process.env['BENCH_NODE_ARGS']?.split(' ').filter(Boolean) ?? [],
  });
  return { child, port };
}

async function startAria2c(dir: string): Promise<Peer> {
  const port = await freePort();
  const child = spawn(
    'aria2c',
    [
      '--enable-rpc',
      `--rpc-listen-port=${port}`,
      `--rpc-secret=${SECRET}`,
      `--dir=${path.join(dir, 'dl')}`,
      '--no-conf',
      '--quiet',
      '--enable-dht=false',
      '--max-tries=1',
      '--max-download-result=1000',
    ],
    { stdio: 'ignore' },
  );
  const agent = new http.Agent();
  await waitFor(async () => (await rpc(port, agent, 'aria2.getVersion', []).catch(() => undefined)) !== undefined, 'aria2c answering');
  return { child, port };
}
