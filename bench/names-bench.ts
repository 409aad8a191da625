import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startHaul } from '../electron/app/start-haul.ts';
import { median } from './lib/measure.ts';

/**
 * Adding many downloads of one name through the HTTP API: each add must stay O(1) however
 * many downloads already claim that name (the name is reserved later, at the first response,
 * from an index, not by scanning the list or the disk). `count` adds, paused, one at a time.
 */
export async function runNamesBench(opts: { count: number }): Promise<{ count: number; p50: number; p99: number; firstTenth: number; lastTenth: number }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'haul-bench-names-'));
  const downloadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'haul-bench-names-dl-'));
  const haul = await startHaul({ dataDir, downloadDir, token: 'bench', publish: false, log: () => undefined });
  const url = new URL('/api/downloads', haul.url);
  const body = JSON.stringify({ url: 'http://127.0.0.1:9/same-name.iso', filename: 'same-name.iso', paused: true });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const times: number[] = [];
  try {
    for (let i = 0; i < opts.count; i++) {
      const started = performance.now();
      await new Promise<void>((resolve, reject) => {
        const req = http.request(url, { method: 'POST', agent, headers: { authorization: 'Bearer bench', 'content-type': 'application/json' } }, (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`add ${i} answered ${res.statusCode}`))));
        });
        req.on('error', reject);
        req.end(body);
      });
      times.push(performance.now() - started);
    }
  } finally {
    agent.destroy();
    await haul.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(downloadDir, { recursive: true, force: true });
  }
  const sorted = [...times].sort((a, b) => a - b);
  const tenth = Math.max(1, Math.floor(times.length / 10));
  return {
    count: times.length,
    p50: median(times),
    p99: sorted[Math.floor(sorted.length * 0.99)] ?? 0,
    firstTenth: median(times.slice(0, tenth)),
    lastTenth: median(times.slice(-tenth)),
  };
}

export function formatNames(r: Awaited<ReturnType<typeof runNamesBench>>): string {
  return [
    '| measure | value | target |',
    '| --- | ---: | --- |',
    `| add latency p50 / p99 | ${r.p50.toFixed(2)} / ${r.p99.toFixed(2)} ms | p99 well under 100 ms |`,
    `| median of the first vs the last ${Math.floor(r.count / 10)} adds | ${r.firstTenth.toFixed(2)} → ${r.lastTenth.toFixed(2)} ms | no growth |`,
  ].join('\n');
}
