import path from 'node:path';
import { haulTool, type Row, type ToolRun } from './download-bench.ts';
import { startFileServer } from './lib/file-server.ts';
import { ensureFixture } from './lib/fixture.ts';
import { compareOnFreshServers } from './straggler-bench.ts';

/**
 * Issue 22's bursty server: every TCP connection gets 64 KiB every 250 ms (256 KiB/s), so a
 * short sample often sees nothing. Haul's defaults (2 connections, growing) against `-x 8`
 * from the start: the defaults must reach ≥ 0.9× its speed, which they can only do by growing
 * within the first few seconds.
 */
export async function runBurstBench(workDir: string, opts: { sizeMiB: number; rounds: number }): Promise<Row[]> {
  const www = path.join(workDir, 'www');
  ensureFixture(www, 'burst.bin', opts.sizeMiB);
  const tools: ToolRun[] = [haulTool('haul get -x 8', ['-x', '8']), haulTool('haul get (defaults)', [])];
  return compareOnFreshServers(tools, {
    rounds: opts.rounds,
    file: 'burst.bin',
    bytes: opts.sizeMiB * 1024 * 1024,
    out: path.join(workDir, 'out', 'burst'),
    server: () => startFileServer(www, path.join(workDir, 'burst'), { server: 'node', perConnectionRate: 256 * 1024 }),
  });
}
