import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { freePort, startFileServer, stopChild, waitForPort } from './lib/file-server.ts';
import { ensureFixture } from './lib/fixture.ts';

const HAUL = path.resolve(import.meta.dirname, '..', 'bin', 'haul.js');
const TICKS = 100; // USER_HZ on Linux: /proc/<pid>/stat counts CPU in hundredths of a second

export interface ClusterRun {
  nodes: number;
  downloads: number;
  wallSeconds: number;
  cpuPercentPerNode: number[];
  redisCpuPercent: number;
  latencyMs: { p50: number; p99: number; max: number; samples: number };
}

interface Node {
  name: string;
  base: string;
  token: string;
  child: ChildProcess;
}

function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

function call(node: Node, route: string, method: string, body?: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      new URL(route, node.base),
      { method, headers: { authorization: `Bearer ${node.token}`, ...(text === undefined ? {} : { 'content-type': 'application/json' }) } },
      (res) => {
        let out = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (out += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: out }));
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

async function startNode(name: string, redisUrl: string, dataDir: string, downloadDir: string): Promise<Node> {
  const child = spawn(process.execPath, [HAUL, 'serve', '--port', '0', '--data-dir', dataDir, '--download-dir', downloadDir, '--redis', redisUrl, '--node-name', name], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const { base, token } = await new Promise<{ base: string; token: string }>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /Haul listening on (\S+)[\s\S]*#token=(\S+)/u.exec(out);
      if (m?.[1] !== undefined && m[2] !== undefined) resolve({ base: m[1], token: m[2] });
    });
    child.once('exit', () => reject(new Error(`node ${name} exited: ${out}`)));
  });
  return { name, base, token, child };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/**
 * Issue 16's benchmark: `downloads` files of `sizeMiB` from a server pacing each TCP
 * connection at `rate`, on `nodes` Haul nodes sharing one Redis (appendfsync always), the same
 * per-node limits every time (`maxConcurrent` running, `connections` each), with `clients`
 * event streams spread over the nodes. Measures the time until every download completed, each
 * node's CPU, and the event latency through Redis: a change made on one node (a probe
 * download's speed limit, every 200 ms, on each node in turn) until each client of every node has it.
 */
export async function runClusterBench(
  workDir: string,
  opts: { nodes: number; downloads: number; sizeMiB: number; rate: number; maxConcurrent: number; connections: number; clients: number },
): Promise<ClusterRun> {
  const www = path.join(workDir, 'cluster-www');
  const fixture = ensureFixture(www, 'part.bin', opts.sizeMiB);
  for (let i = 0; i < opts.downloads; i++) {
    const link = path.join(www, `f${i}.bin`);
    if (!fs.existsSync(link)) fs.linkSync(fixture, link);
  }
  const run = path.join(workDir, `cluster-${opts.nodes}`);
  fs.rmSync(run, { recursive: true, force: true });
  const downloads = path.join(run, 'downloads');
  fs.mkdirSync(downloads, { recursive: true });
  const redisPort = await freePort();
  const redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--dir', run, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''], { stdio: 'ignore' });
  await waitForPort(redisPort);
  const server = await startFileServer(www, path.join(run, 'server'), { server: 'node', perConnectionRate: opts.rate });
  const nodes: Node[] = [];
  const streams: http.ClientRequest[] = [];
  try {
    for (let i = 1; i <= opts.nodes; i++) nodes.push(await startNode(`n${i}`, `redis://127.0.0.1:${redisPort}/0`, path.join(run, `data-${i}`), downloads));
    const first = nodes[0] as Node;
    await call(first, '/api/settings', 'PATCH', { maxConcurrent: opts.maxConcurrent, connectionsPerDownload: opts.connections });
    const probe = JSON.parse((await call(first, '/api/downloads', 'POST', { url: `${server.baseUrl}/probe.bin`, paused: true })).body) as { downloads: Array<{ id: string }> };
    const probeId = probe.downloads[0]?.id ?? '';
    const sentAt = new Map<number, number>();
    const latencies: number[] = [];
    const completed = new Set<string>();
    let allDone: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (allDone = resolve));
    await Promise.all(
      Array.from(
        { length: opts.clients },
        (_, i) =>
          new Promise<void>((ready) => {
            const node = nodes[i % nodes.length] as Node;
            const counter = i === 0;
            const req = http.get(new URL('api/events', node.base), { headers: { authorization: `Bearer ${node.token}` } }, (res) => {
              res.setEncoding('utf8');
              let buffer = '';
              res.on('data', (text: string) => {
                const arrived = performance.now();
                buffer += text;
                let end: number;
                while ((end = buffer.indexOf('\n\n')) !== -1) {
                  const block = buffer.slice(0, end);
                  buffer = buffer.slice(end + 2);
                  if (block.includes('\nevent: snapshot\n')) ready();
                  if (!block.includes('\nevent: updated\n')) continue;
                  if (block.includes(probeId)) {
                    const patch = JSON.parse(block.slice(block.indexOf('data: ') + 6)) as { speedLimit?: number };
                    const at = sentAt.get(patch.speedLimit ?? -1);
                    if (at !== undefined) latencies.push(arrived - at);
                  } else if (counter && block.includes('"status":"completed"')) {
                    completed.add((JSON.parse(block.slice(block.indexOf('data: ') + 6)) as { id: string }).id);
                    if (completed.size === opts.downloads) allDone();
                  }
                }
              });
            });
            streams.push(req);
          }),
      ),
    );
    const cpuBefore = nodes.map((n) => cpuSeconds(n.child.pid ?? 0));
    const redisBefore = cpuSeconds(redis.pid ?? 0);
    const started = performance.now();
    const urls = Array.from({ length: opts.downloads }, (_, i) => `${server.baseUrl}/f${i}.bin`);
    const added = await call(nodes[nodes.length - 1] as Node, '/api/downloads', 'POST', { urls });
    if (added.status !== 201) throw new Error(`adding failed: ${added.status} ${added.body}`);
    let k = 1;
    const probing = setInterval(() => {
      const value = k++;
      sentAt.set(value, performance.now());
      void call(nodes[value % nodes.length] as Node, `/api/downloads/${probeId}`, 'PATCH', { speedLimit: value });
    }, 200);
    await done;
    const wallSeconds = (performance.now() - started) / 1000;
    clearInterval(probing);
    const cpuPercentPerNode = nodes.map((n, i) => ((cpuSeconds(n.child.pid ?? 0) - (cpuBefore[i] ?? 0)) / wallSeconds) * 100);
    const redisCpuPercent = ((cpuSeconds(redis.pid ?? 0) - redisBefore) / wallSeconds) * 100;
    latencies.sort((a, b) => a - b);
    return {
      nodes: opts.nodes,
      downloads: opts.downloads,
      wallSeconds,
      cpuPercentPerNode,
      redisCpuPercent,
      latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) ?? Number.NaN, samples: latencies.length },
    };
  } finally {
    for (const req of streams) req.destroy();
    for (const node of nodes) await stopChild(node.child);
    await server.stop();
    await stopChild(redis);
  }
}

export function formatCluster(runs: readonly ClusterRun[]): string {
  const one = runs[0];
  const rows = runs.map((r) => {
    const cpu = r.cpuPercentPerNode.map((c) => c.toFixed(0)).join(' / ');
    const speedup = one === undefined ? '' : `${(one.wallSeconds / r.wallSeconds).toFixed(2)}×`;
    return `| ${r.nodes} | ${r.wallSeconds.toFixed(1)} s | ${speedup} | ${cpu}% | ${r.redisCpuPercent.toFixed(0)}% | ${r.latencyMs.p50.toFixed(0)} / ${r.latencyMs.p99.toFixed(0)} / ${r.latencyMs.max.toFixed(0)} ms (${r.latencyMs.samples}) |`;
  });
  return [
    '| nodes | all complete | against 1 node | CPU per node (of a core) | Redis CPU | event latency through Redis p50 / p99 / max (samples) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    'Target: p99 < 250 ms.',
  ].join('\n');
}
