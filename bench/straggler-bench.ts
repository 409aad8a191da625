import fs from 'node:fs';
import path from 'node:path';
import { benchEnv, haulTool, summarise, type Row, type ToolRun } from './download-bench.ts';
import { startFileServer, type BenchServer } from './lib/file-server.ts';
import { ensureFixture } from './lib/fixture.ts';
import { measure, which, type Measurement } from './lib/measure.ts';

/**
 * Issue 11's straggler benchmark: 64 MiB from a server pacing each TCP connection at `rate`,
 * but every third connection (the 2nd, 5th, …) at a sixteenth of it. `haul get -x N` against
 * `aria2c -x N -s N -k1M`, the server restarted for every run so each tool meets the same
 * sequence of fast and slow connections. With `stall`, those connections go silent instead
 * (after 512 KiB of their first answer): Haul must replace them, not wait for a timeout.
 */
export async function runStragglerBench(workDir: string, opts: { sizeMiB: number; rateBytes: number; connections: number; rounds: number; stall?: boolean }): Promise<Row[]> {
  const www = path.join(workDir, 'www');
  ensureFixture(www, 'mid.bin', opts.sizeMiB);
  const n = String(opts.connections);
  const tools: ToolRun[] = [haulTool(`haul get -x ${n}`, ['-x', n])];
  const aria2c = which('aria2c');
  if (aria2c !== undefined) tools.push({ tool: `aria2c -x${n} -s${n} -k1M`, argv: (url, out) => [aria2c, '-q', '--allow-overwrite=true', '-d', out, `-x${n}`, `-s${n}`, '-k1M', url] });
  return compareOnFreshServers(tools, {
    rounds: opts.rounds,
    file: 'mid.bin',
    bytes: opts.sizeMiB * 1024 * 1024,
    out: path.join(workDir, 'out', 'straggler'),
    server: () => startFileServer(www, path.join(workDir, 'straggler'), { server: 'node', perConnectionRate: opts.rateBytes, slowEvery: 3, stall: opts.stall === true }),
  });
}

/**
 * Runs each tool `rounds` times (alternating the order) against a server started afresh for
 * every run, so each meets the same sequence of connections; checks every file's size.
 */
export async function compareOnFreshServers(tools: ToolRun[], opts: { rounds: number; file: string; bytes: number; out: string; server: () => Promise<BenchServer> }): Promise<Row[]> {
  const results = new Map<string, Measurement[]>(tools.map((t) => [t.tool, []]));
  for (let round = 0; round < opts.rounds; round++) {
    for (const tool of round % 2 === 0 ? tools : [...tools].reverse()) {
      const server = await opts.server();
      fs.rmSync(opts.out, { recursive: true, force: true });
      fs.mkdirSync(opts.out, { recursive: true });
      try {
        const m = await measure(tool.argv(`${server.baseUrl}/${opts.file}`, opts.out), benchEnv());
        const size = fs.statSync(path.join(opts.out, opts.file), { throwIfNoEntry: false })?.size;
        if (m.code !== 0 || size !== opts.bytes) throw new Error(`${tool.tool} failed: exit ${m.code}, ${size ?? 'no'} bytes`);
        results.get(tool.tool)!.push(m);
      } finally {
        await server.stop();
      }
    }
  }
  return tools.map((t) => summarise(t.tool, results.get(t.tool)!, opts.bytes));
}
