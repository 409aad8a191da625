import fs from 'node:fs';
import path from 'node:path';
import { Engine } from '../electron/engine/engine.ts';
import { LocalJournal } from '../electron/engine/records/local-journal.ts';
import { SqliteStore } from '../electron/engine/store/sqlite-store.ts';
import { startFileServer } from './lib/file-server.ts';
import { ensureFixture } from './lib/fixture.ts';
import { median } from './lib/measure.ts';

export interface TransportRow {
  transport: string;
  medianSeconds: number;
  minSeconds: number;
  maxSeconds: number;
  cpuSeconds: number;
}

/**
 * The raw HTTP/1.1 client against undici, A/B in one process: the same engine downloads the
 * same file from nginx over one connection to tmpfs (no disk noise), alternating transports
 * each round. CPU is this process's (user + system) during the download.
 */
export async function runTransportBench(workDir: string, opts: { sizeMiB: number; rounds: number }): Promise<TransportRow[]> {
  const www = path.join(workDir, 'www');
  ensureFixture(www, 'big.bin', opts.sizeMiB);
  const server = await startFileServer(www, path.join(workDir, 'transport'));
  const out = fs.existsSync('/dev/shm') ? '/dev/shm/haul-bench-transport' : path.join(workDir, 'out', 'transport');
  const runs = new Map<string, Array<{ wall: number; cpu: number }>>([
    ['raw (auto)', []],
    ['undici', []],
  ]);
  try {
    for (let round = 0; round < opts.rounds; round++) {
      const order = round % 2 === 0 ? (['auto', 'undici'] as const) : (['undici', 'auto'] as const);
      for (const mode of order) {
        fs.rmSync(out, { recursive: true, force: true });
        fs.mkdirSync(out, { recursive: true });
        const store = new SqliteStore(path.join(out, 'bench.sqlite'));
        const engine = new Engine({ store, journal: new LocalJournal(store), downloadDir: out, transportOptions: { mode } });
        engine.start();
        const cpu = process.cpuUsage();
        const started = performance.now();
        const [d] = engine.add({ url: `${server.baseUrl}/big.bin`, connections: 1 });
        await new Promise<void>((resolve, reject) => {
          const check = (): void => {
            const now = engine.get(d!.id);
            if (now?.status === 'completed') resolve();
            if (now?.status === 'failed') reject(new Error(now.error.message));
          };
          engine.on('updated', check);
        });
        const wall = (performance.now() - started) / 1000;
        const used = process.cpuUsage(cpu);
        runs.get(mode === 'auto' ? 'raw (auto)' : 'undici')!.push({ wall, cpu: (used.user + used.system) / 1e6 });
        await engine.shutdown();
        store.close();
      }
    }
  } finally {
    await server.stop();
    fs.rmSync(out, { recursive: true, force: true });
  }
  return [...runs].map(([transport, list]) => ({
    transport,
    medianSeconds: median(list.map((r) => r.wall)),
    minSeconds: Math.min(...list.map((r) => r.wall)),
    maxSeconds: Math.max(...list.map((r) => r.wall)),
    cpuSeconds: median(list.map((r) => r.cpu)),
  }));
}

export function formatTransport(rows: TransportRow[], sizeMiB: number): string {
  const lines = ['| transport | median (s) | fastest–slowest (s) | MB/s | CPU (s) |', '| --- | ---: | ---: | ---: | ---: |'];
  for (const r of rows)
    lines.push(
      `| ${r.transport} | ${r.medianSeconds.toFixed(2)} | ${r.minSeconds.toFixed(2)}–${r.maxSeconds.toFixed(2)} | ${((sizeMiB * 1024 * 1024) / 1e6 / r.medianSeconds).toFixed(0)} | ${r.cpuSeconds.toFixed(2)} |`,
    );
  return lines.join('\n');
}
