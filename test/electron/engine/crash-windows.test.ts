import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DownloadRecord } from '../../../electron/engine/records/record.ts';
import { SqliteStore } from '../../../electron/engine/store/sqlite-store.ts';
import { readDownloaded, startEngine } from '../../helpers/engine-harness.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { serveBytes, sha256, startTestServer, testBytes, type TestServer } from '../../helpers/test-server.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** What a kill -9 right after one store write leaves: the stored records and the files in the download folder. */
interface Crash {
  after: string;
  records: DownloadRecord[];
  files: Map<string, Buffer>;
}

/** A real SQLite store that notes, after every write, what a process killed at that moment would leave behind. */
class CrashPoints extends SqliteStore {
  readonly crashes: Crash[] = [];
  readonly #folder: string;

  constructor(file: string, folder: string) {
    super(file);
    this.#folder = folder;
  }

  override saveDownload(rec: DownloadRecord): void {
    super.saveDownload(rec);
    this.#note(`saveDownload (${rec.status}, name ${rec.filenameFixed ? 'reserved' : 'not reserved'}, total ${rec.total})`);
  }

  override saveProgress(id: string, received: number, ranges?: DownloadRecord['ranges']): void {
    super.saveProgress(id, received, ranges);
    this.#note(`saveProgress (${received})`);
  }

  #note(after: string): void {
    const files = new Map(fs.readdirSync(this.#folder).map((name) => [name, fs.readFileSync(path.join(this.#folder, name))]));
    this.crashes.push({ after, records: structuredClone(this.loadDownloads()), files });
  }
}

describe('a download killed at any step of its start', () => {
  it('resumes from every state the store can hold to an exact file', async () => {
    const data = testBytes(6 * 1024 * 1024, 41);
    server = await startTestServer({ '/f.bin': serveBytes(data, { etag: '"v1"', rate: 8 * 1024 * 1024 }) });
    const firstFolder = tempDir('haul-crash-dl-');
    const dataDir = tempDir('haul-crash-data-');
    const store = new CrashPoints(path.join(dataDir, 'haul.sqlite'), firstFolder);
    const first = startEngine({ sqlite: store, dataDir, downloadDir: firstFolder });
    const [d] = first.engine.add({ url: server.url('/f.bin') });
    await first.waitFor(d!.id, 'completed');
    // Every write up to the first durable progress, and a few after it: the start of a download.
    const firstProgress = store.crashes.findIndex((c) => c.after.startsWith('saveProgress') && c.records[0]!.received > 0);
    const crashes = store.crashes.slice(0, firstProgress + 3);
    expect(crashes.some((c) => c.records[0]?.total !== null && c.records[0]?.filenameFixed === false)).toBe(true);

    for (const crash of crashes) {
      const folder = tempDir('haul-crash-dl-');
      for (const [name, bytes] of crash.files) fs.writeFileSync(path.join(folder, name), bytes);
      const again = tempDir('haul-crash-data-');
      const seeded = new SqliteStore(path.join(again, 'haul.sqlite'));
      for (const rec of crash.records) seeded.saveDownload({ ...rec, dir: folder });
      seeded.close();
      const h = startEngine({ dataDir: again, downloadDir: folder });
      const done = await h.waitFor(d!.id, 'completed').catch((error: Error) => {
        throw new Error(`killed after ${crash.after}: ${error.message}`);
      });
      expect(sha256(readDownloaded(done)), `killed after ${crash.after}`).toBe(sha256(data));
      expect(done.filename).toBe('f.bin');
      expect(fs.readdirSync(folder)).toEqual(['f.bin']);
    }
  });
});
