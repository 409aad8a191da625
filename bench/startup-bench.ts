import path from 'node:path';
import { benchEnv, compareTools, HAUL, haulTool, peerTools, type Row } from './download-bench.ts';
import { startFileServer } from './lib/file-server.ts';
import { ensureFixture } from './lib/fixture.ts';
import { measure, median } from './lib/measure.ts';

export interface StartupResult {
  haulMs: number;
  nodeMs: number;
  haulRssMiB: number;
  nodeRssMiB: number;
  small: Row[];
}

/**
 * Issue 22's start-up: `haul --version` against `node -e 0` (medians of `runs`, after one
 * warm-up run each, as a user's second run is), and a 64 MiB `haul get` from nginx against
 * "curl, then sync", where start-up is a good part of the time.
 */
export async function runStartupBench(workDir: string, opts: { runs: number; rounds: number }): Promise<StartupResult> {
  const time = async (argv: string[]) => {
    await measure(argv, benchEnv());
    const runs = [];
    for (let i = 0; i < opts.runs; i++) runs.push(await measure(argv, benchEnv()));
    return { ms: median(runs.map((r) => r.wallSeconds)) * 1000, rss: median(runs.map((r) => r.peakRssMiB)) };
  };
  // Both as a user runs them: the bin with its shebang, and the same Node.
  const haul = await time([HAUL, '--version']);
  const node = await time(['node', '-e', '0']);
  const www = path.join(workDir, 'www');
  ensureFixture(www, 'small.bin', 64);
  const server = await startFileServer(www, path.join(workDir, 'startup'));
  try {
    const tools = [haulTool('haul get'), ...peerTools([], 'aria2c', { durableCurl: true }).filter((t) => t.tool !== 'aria2c')];
    const small = await compareTools(`${server.baseUrl}/small.bin`, 64 * 1024 * 1024, tools, opts.rounds, path.join(workDir, 'out', 'startup'));
    return { haulMs: haul.ms, nodeMs: node.ms, haulRssMiB: haul.rss, nodeRssMiB: node.rss, small };
  } finally {
    await server.stop();
  }
}

export function formatStartup(r: StartupResult): string {
  return [
    '| command | median (ms) | peak RSS (MiB) | over node -e 0 |',
    '| --- | ---: | ---: | ---: |',
    `| haul --version | ${r.haulMs.toFixed(0)} | ${r.haulRssMiB.toFixed(0)} | +${(r.haulMs - r.nodeMs).toFixed(0)} ms (target ≤ 20) |`,
    `| node -e 0 | ${r.nodeMs.toFixed(0)} | ${r.nodeRssMiB.toFixed(0)} | |`,
  ].join('\n');
}
