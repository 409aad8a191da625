import path from 'node:path';
import { compareTools, haulTool, peerTools, type Row } from './download-bench.ts';
import { startFileServer } from './lib/file-server.ts';
import { ensureFixture } from './lib/fixture.ts';

export interface ThrottledRow {
  connections: number;
  haul: Row;
  aria2c: Row | undefined;
}

/**
 * Issue 5's benchmark, part one: a 64 MiB file from a server throttling every connection,
 * `haul get -x N` against `aria2c -x N -s N -k1M`. `throttle` picks the server: nginx's
 * limit_rate (per request, each starting with a second's allowance: the common real-world
 * throttle) or the Node server pacing each TCP connection strictly (no allowance at all).
 */
export async function runThrottledBench(workDir: string, opts: { sizeMiB: number; rateBytes: number; counts: number[]; rounds: number; throttle: 'nginx' | 'node' }): Promise<ThrottledRow[]> {
  const www = path.join(workDir, 'www');
  ensureFixture(www, 'mid.bin', opts.sizeMiB);
  const server = await startFileServer(www, path.join(workDir, `throttled-${opts.throttle}`), { perConnectionRate: opts.rateBytes, server: opts.throttle });
  const rows: ThrottledRow[] = [];
  try {
    for (const n of opts.counts) {
      const tools = [haulTool(`haul get -x ${n}`, ['-x', String(n)]), ...peerTools(['-x', String(n), '-s', String(n), '-k1M'], `aria2c -x${n}`).filter((t) => t.tool.startsWith('aria2c'))];
      const [haul, aria2c] = await compareTools(`${server.baseUrl}/mid.bin`, opts.sizeMiB * 1024 * 1024, tools, opts.rounds, path.join(workDir, 'out'));
      rows.push({ connections: n, haul: haul!, aria2c });
    }
  } finally {
    await server.stop();
  }
  return rows;
}

export function formatThrottled(rows: ThrottledRow[]): string {
  const lines = ['| N | haul get -x N (s) | aria2c -x N -s N -k1M (s) | haul / aria2c | haul peak RSS (MiB) |', '| ---: | ---: | ---: | ---: | ---: |'];
  for (const r of rows) {
    const ratio = r.aria2c === undefined ? '–' : `${(r.haul.medianSeconds / r.aria2c.medianSeconds).toFixed(2)}×`;
    lines.push(`| ${r.connections} | ${r.haul.medianSeconds.toFixed(2)} | ${r.aria2c?.medianSeconds.toFixed(2) ?? '–'} | ${ratio} | ${r.haul.peakRssMiB.toFixed(0)} |`);
  }
  return lines.join('\n');
}

/** Part two: the unthrottled 1 GiB with Haul's defaults against curl and aria2c -x16, and Haul at 32 connections. */
export async function runUnthrottledBench(workDir: string, opts: { sizeMiB: number; rounds: number }): Promise<Row[]> {
  const www = path.join(workDir, 'www');
  ensureFixture(www, 'big.bin', opts.sizeMiB);
  const server = await startFileServer(www, workDir);
  try {
    const tools = [haulTool('haul get (defaults)'), haulTool('haul get -x 32', ['-x', '32']), ...peerTools(['-x', '16', '-s', '16', '-k1M'], 'aria2c -x16', { durableCurl: true })];
    return await compareTools(`${server.baseUrl}/big.bin`, opts.sizeMiB * 1024 * 1024, tools, opts.rounds, path.join(workDir, 'out'));
  } finally {
    await server.stop();
  }
}
