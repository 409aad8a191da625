import fs from 'node:fs';
import path from 'node:path';
import { benchEnv, haulTool, summarise, type Row, type ToolRun } from './download-bench.ts';
import { startFileServer } from './lib/file-server.ts';
import { ensureFixture } from './lib/fixture.ts';
import { measure, type Measurement } from './lib/measure.ts';

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
  const results = new Map<string, Measurement[]>(tools.map((t) => [t.tool, []]));
  for (let round = 0; round < opts.rounds; round++) {
    for (const tool of round % 2 === 0 ? tools : [...tools].reverse()) {
      const server = await startFileServer(www, path.join(workDir, 'burst'), { server: 'node', perConnectionRate: 256 * 1024 });
      const out = path.join(workDir, 'out', 'burst');
      fs.rmSync(out, { recursive: true, force: true });
      fs.mkdirSync(out, { recursive: true });
      try {
        const m = await measure(tool.argv(`${server.baseUrl}/burst.bin`, out), benchEnv());
        const size = fs.statSync(path.join(out, 'burst.bin'), { throwIfNoEntry: false })?.size;
        if (m.code !== 0 || size !== opts.sizeMiB * 1024 * 1024) throw new Error(`${tool.tool} failed: exit ${m.code}, ${size ?? 'no'} bytes`);
        results.get(tool.tool)!.push(m);
      } finally {
        await server.stop();
      }
    }
  }
  return tools.map((t) => summarise(t.tool, results.get(t.tool)!, opts.sizeMiB * 1024 * 1024));
}
