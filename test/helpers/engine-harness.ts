import fs from 'node:fs';
import path from 'node:path';
import { afterEach } from 'vitest';
import type { Download } from '../../shared/api.ts';
import { Engine, type EngineOptions } from '../../electron/engine/engine.ts';
import { LocalJournal } from '../../electron/engine/records/local-journal.ts';
import { SqliteStore } from '../../electron/engine/store/sqlite-store.ts';
import { tempDir } from './temp-dir.ts';
import { waitUntil } from './wait.ts';

const open: Array<{ engine: Engine; store: SqliteStore }> = [];

export interface Harness {
  engine: Engine;
  store: SqliteStore;
  dataDir: string;
  downloadDir: string;
  /** Resolves once the download reaches `status` (or rejects after the timeout). */
  waitFor(id: string, status: Download['status'], timeoutMs?: number): Promise<Download>;
}

/** An engine on a real SQLite store in a temp dir, with fast retries. Closed after the test. */
export function startEngine(opts: Partial<EngineOptions> & { dataDir?: string; downloadDir?: string; sqlite?: SqliteStore } = {}): Harness {
  const dataDir = opts.dataDir ?? tempDir('haul-data-');
  const downloadDir = opts.downloadDir ?? tempDir('haul-dl-');
  const store = opts.sqlite ?? new SqliteStore(path.join(dataDir, 'haul.sqlite'));
  const { sqlite: _sqlite, ...engineOpts } = opts;
  const engine = new Engine({
    retry: { retries: 3, baseDelayMs: 20, maxDelayMs: 200 },
    checkpointIntervalMs: 50,
    progressIntervalMs: 20,
    ...engineOpts,
    store,
    journal: new LocalJournal(store),
    downloadDir,
  });
  engine.start();
  open.push({ engine, store });
  return { engine, store, dataDir, downloadDir, waitFor: (id, status, timeoutMs) => waitForStatus(engine, id, status, timeoutMs) };
}

export function waitForStatus(engine: Engine, id: string, status: Download['status'], timeoutMs = 15_000): Promise<Download> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const d = engine.get(id);
      if (d?.status === status) {
        cleanup();
        resolve(d);
        return true;
      }
      return false;
    };
    const onUpdate = (): void => void check();
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`download ${id} did not reach "${status}" in ${timeoutMs} ms; it is ${JSON.stringify(engine.get(id))}`));
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      engine.off('updated', onUpdate);
    };
    engine.on('updated', onUpdate);
    check();
  });
}

export function readDownloaded(d: Download): Buffer {
  return fs.readFileSync(path.join(d.dir, d.filename));
}

afterEach(async () => {
  for (const { engine, store } of open.splice(0)) {
    await engine.shutdown();
    store.close();
  }
});

/**
 * Lets download `id` start writing (its name reserved, its part file made), then pauses it
 * and waits until the server saw its connections close (`open` counts them, as
 * countingConcurrency does), so the test can tamper with the part file.
 */
export async function pauseOnceWriting(h: Harness, id: string, open: () => number): Promise<string> {
  await waitUntil(() => (h.engine.get(id)?.received ?? 0) > 0, 10_000, 'the first bytes');
  h.engine.pause(id);
  await waitUntil(() => open() === 0, 10_000, 'the transfer to stop');
  const d = h.engine.require(id);
  return path.join(d.dir, `${d.filename}.haul-part`);
}
