import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { benchEnv, HAUL, summarise, type Row } from './download-bench.ts';
import { readTorrentFile } from '../electron/engine/torrent/metainfo.ts';
import { ensureFixture } from './lib/fixture.ts';
import { freePort } from './lib/file-server.ts';
import { startHaulServe } from './lib/haul-serve.ts';
import { measure, which, type Measurement } from './lib/measure.ts';

async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what} did not happen in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function sha256(file: string): string {
  const hash = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  const buffer = Buffer.alloc(8 * 1024 * 1024);
  for (let n = fs.readSync(fd, buffer); n > 0; n = fs.readSync(fd, buffer)) hash.update(buffer.subarray(0, n));
  fs.closeSync(fd);
  return hash.digest('hex');
}

/** A local swarm: opentracker serving one torrent, and `seeders` aria2c processes seeding it (files trusted, not re-hashed). */
export async function startSwarm(workDir: string, content: string, torrent: string, infoHash: string, seeders: number): Promise<{ stop: () => void }> {
  const children: ChildProcess[] = [];
  const list = path.join(workDir, 'whitelist');
  fs.writeFileSync(list, `${infoHash}\n`, { mode: 0o644 });
  fs.chmodSync(workDir, 0o755);
  const trackerPort = Number(new URL(announceOf(torrent)).port);
  children.push(spawn('opentracker', ['-i', '127.0.0.1', '-p', String(trackerPort), '-P', String(trackerPort), '-w', list], { stdio: 'ignore' }));
  for (let i = 0; i < seeders; i++) {
    const port = await freePort();
    children.push(
      spawn(
        'aria2c',
        [
          `--dir=${path.dirname(content)}`,
          '--enable-dht=false',
          '--bt-enable-lpd=false',
          '--enable-peer-exchange=false',
          `--listen-port=${port}`,
          '--seed-ratio=0.0',
          '--bt-seed-unverified=true',
          '--bt-tracker-interval=1',
          '--quiet=true',
          torrent,
        ],
        { stdio: 'ignore' },
      ),
    );
  }
  // Each seeder is in the tracker's swarm before the clock starts.
  await until(async () => (await peersKnown(trackerPort, infoHash)) >= seeders, 30_000, `${seeders} seeders announced`);
  return {
    stop: () => {
      for (const c of children) c.kill('SIGKILL');
    },
  };
}

function announceOf(torrent: string): string {
  const text = fs.readFileSync(torrent).toString('latin1');
  const match = /8:announce(\d+):/u.exec(text);
  if (match?.[1] === undefined) throw new Error('no announce URL');
  const start = (match.index ?? 0) + match[0].length;
  return text.slice(start, start + Number(match[1]));
}

/** How many peers the tracker lists for the torrent (asked as a peer that wants none back but counts). */
async function peersKnown(port: number, infoHash: string): Promise<number> {
  const escaped = infoHash.replace(/../gu, '%$&');
  const body = await fetch(`http://127.0.0.1:${port}/announce?info_hash=${escaped}&peer_id=-HB0001-000000000000&port=1&uploaded=0&downloaded=0&left=0&compact=1&numwant=0&event=stopped`).then(
    (r) => r.text(),
    () => '',
  );
  const complete = /8:completei(\d+)e/u.exec(body);
  return Number(complete?.[1] ?? 0);
}

/**
 * Issue 28's benchmark: a torrent of `sizeMiB` from `seeders` local aria2c seeders (through
 * opentracker): haul get against aria2c leeching the same torrent from the same seeders; each
 * result checked against the seed by hash.
 */
export async function runTorrentBench(workDir: string, opts: { sizeMiB: number; seeders: number; rounds: number }): Promise<Row[]> {
  if (which('opentracker') === undefined || which('mktorrent') === undefined || which('aria2c') === undefined) throw new Error('the torrent bench needs opentracker, mktorrent and aria2c');
  const dir = path.join(workDir, 'torrent');
  const content = ensureFixture(path.join(dir, 'seed'), `t${opts.sizeMiB}.bin`, opts.sizeMiB);
  const expected = sha256(content);
  const torrent = path.join(dir, `t${opts.sizeMiB}.torrent`);
  const trackerPort = await freePort();
  fs.rmSync(torrent, { force: true });
  execFileSync('mktorrent', ['-a', `http://127.0.0.1:${trackerPort}/announce`, '-l', opts.sizeMiB >= 512 ? '20' : '18', '-o', torrent, content], { stdio: 'ignore' });
  const infoHash = infoHashOf(torrent);
  const out = path.join(workDir, 'out', 'torrent');
  const tools = [
    { tool: 'haul get', argv: () => [process.execPath, HAUL, 'get', torrent, '-d', out, '-q', '--no-dht', '--no-lsd', '--no-pex'] },
    {
      tool: 'aria2c',
      argv: () => ['aria2c', `--dir=${out}`, '--seed-time=0', '--enable-dht=false', '--bt-enable-lpd=false', '--enable-peer-exchange=false', '--file-allocation=none', '--quiet=true', torrent],
    },
  ];
  const results = new Map<string, Measurement[]>(tools.map((t) => [t.tool, []]));
  for (let round = 0; round < opts.rounds; round++) {
    for (const tool of round % 2 === 0 ? tools : [...tools].reverse()) {
      const swarm = await startSwarm(path.join(dir, 'run'), content, torrent, infoHash, opts.seeders);
      fs.rmSync(out, { recursive: true, force: true });
      fs.mkdirSync(out, { recursive: true });
      try {
        const m = await measure(tool.argv(), { ...benchEnv(), HAUL_DATA_DIR: path.join(workDir, 'torrent-data') });
        const got = path.join(out, path.basename(content));
        if (m.code !== 0 || !fs.existsSync(got) || sha256(got) !== expected) throw new Error(`${tool.tool} failed: exit ${m.code}, or the file differs from the seed`);
        results.get(tool.tool)?.push(m);
      } finally {
        swarm.stop();
        fs.rmSync(path.join(workDir, 'torrent-data'), { recursive: true, force: true });
      }
    }
  }
  return tools.map((t) => summarise(t.tool, results.get(t.tool) ?? [], opts.sizeMiB * 1024 * 1024));
}

export interface ApiUnderTorrent {
  seconds: number;
  polls: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * The HTTP API while a torrent runs at full speed: a haul serve downloads the torrent from the
 * local swarm while one client asks for the list every 10 ms; each answer's latency is kept.
 */
export async function runTorrentApiBench(workDir: string, opts: { sizeMiB: number; seeders: number }): Promise<ApiUnderTorrent> {
  const dir = path.join(workDir, 'torrent');
  const content = ensureFixture(path.join(dir, 'seed'), `t${opts.sizeMiB}.bin`, opts.sizeMiB);
  const torrent = path.join(dir, `api${opts.sizeMiB}.torrent`);
  const trackerPort = await freePort();
  fs.rmSync(torrent, { force: true });
  execFileSync('mktorrent', ['-a', `http://127.0.0.1:${trackerPort}/announce`, '-l', opts.sizeMiB >= 512 ? '20' : '18', '-o', torrent, content], { stdio: 'ignore' });
  const bytes = fs.readFileSync(torrent);
  const infoHash = infoHashOf(torrent);
  const swarm = await startSwarm(path.join(dir, 'run'), content, torrent, infoHash, opts.seeders);
  const home = path.join(workDir, 'torrent-api');
  fs.rmSync(home, { recursive: true, force: true });
  const token = 'bench-torrent-token';
  const { child, base } = await startHaulServe({ dataDir: path.join(home, 'data'), downloadDir: path.join(home, 'dl'), token, env: benchEnv() });
  try {
    const call = (route: string, init: RequestInit = {}) => fetch(new URL(route, base), { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
    await call('/api/settings', { method: 'PATCH', body: JSON.stringify({ categories: [], torrent: { port: 0, dht: false, lsd: false, pex: false } }) });
    const started = performance.now();
    await call('/api/downloads', { method: 'POST', body: JSON.stringify({ torrent: bytes.toString('base64'), seedRatio: 0 }) });
    const latencies: number[] = [];
    for (;;) {
      const t = performance.now();
      const list = (await (await call('/api/downloads')).json()) as { downloads: Array<{ status: string; error?: unknown }> };
      latencies.push(performance.now() - t);
      if (list.downloads[0]?.status === 'completed') break;
      if (list.downloads[0]?.status === 'failed') throw new Error(`the torrent failed: ${JSON.stringify(list.downloads[0]?.error)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
    return { seconds, polls: latencies.length, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: latencies.at(-1) ?? 0 };
  } finally {
    child.kill('SIGTERM');
    swarm.stop();
  }
}

/** The info-hash of the .torrent at `torrent`, read as Haul reads it. */
export function infoHashOf(torrent: string): string {
  return readTorrentFile(fs.readFileSync(torrent)).infoHash;
}
