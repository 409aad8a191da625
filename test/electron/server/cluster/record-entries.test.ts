import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../../electron/engine/clock.ts';
import type { DownloadRecord } from '../../../../electron/engine/records/record.ts';
import { recordAfter } from '../../../../electron/server/cluster/cluster-feed.ts';
import { parseEntry, type RecordEntry } from '../../../../electron/server/cluster/feed-entries.ts';
import { toEntry } from '../../../../electron/server/cluster/stream-follower.ts';
import { KEYS } from '../../../../electron/server/cluster/keys.ts';
import { RedisStore } from '../../../../electron/server/cluster/redis-store.ts';
import { installScripts } from '../../../../electron/server/cluster/scripts.ts';
import { startRedis, type RunningRedis } from '../../../helpers/redis-server.ts';

/** A record entry's fields, read the way the feed reads them. */
function recordOf(fields: Record<string, string>): RecordEntry {
  const entry = parseEntry(fields);
  if (entry.kind !== 'record') throw new Error(`not a record entry: ${JSON.stringify(fields)}`);
  return entry.record;
}

let server: RunningRedis;

async function storeOf(node: string): Promise<RedisStore> {
  const redis = await server.connect(node);
  return RedisStore.open({ redis, scripts: installScripts(redis), clock: systemClock, node, maxlen: 1000, fence: () => '', onFenced: () => undefined, onError: (e) => Promise.reject(e) });
}

/** Stream entries after `after`, as a node reads them. */
async function entriesAfter(after: number): Promise<Array<{ n: number; fields: Record<string, string> }>> {
  const redis = await server.connect();
  return ((await redis.xrange(KEYS.stream, `(${after}`, '+')) as Array<[string, string[]]>).map(toEntry).filter((e) => e.fields['k'] === 'rec');
}

const rec: DownloadRecord = {
  id: 'entries-1',
  url: 'https://example.com/f',
  dir: '/d',
  filename: 'f',
  filenameFixed: true,
  filenameRequested: false,
  status: 'downloading',
  received: 0,
  total: 10,
  resumable: true,
  createdAt: '2026-12-01T00:00:00.000Z',
  headers: {},
  connections: 0,
  speedLimit: 0,
  seq: 1,
};

beforeAll(async () => {
  server = await startRedis();
});

afterAll(async () => {
  await server.stop();
});

describe("a node's copy of a record, from the stream", () => {
  it("keeps its own newer change while an older one comes back, takes another node's change to another field, and ends as Redis has it", async () => {
    const a = await storeOf('a');
    const b = await storeOf('b');
    const start = (await entriesAfter(0)).at(-1)?.n ?? 0;
    a.saveDownload(rec);
    // On a: pause, then resume at once (both sent before either comes back); on b: a new name.
    const paused: DownloadRecord = { ...rec, status: 'paused' };
    const queued: DownloadRecord = { ...rec, status: 'queued' };
    a.saveDownload(paused, rec);
    a.saveDownload(queued, paused);
    b.saveDownload({ ...rec, filename: 'g' }, rec);
    await Promise.all([a.settled(), b.settled()]);
    let copy: DownloadRecord | undefined | 'unknown' = queued;
    const seen: string[] = [];
    for (const entry of await entriesAfter(start)) {
      copy = recordAfter(a, 'a', copy === 'unknown' ? undefined : copy, recordOf(entry.fields));
      if (copy !== undefined && copy !== 'unknown') seen.push(copy.status);
    }
    // Never back to "paused" on the way, though that entry came back after the resume was made.
    expect(seen).not.toContain('paused');
    expect(copy).toMatchObject({ status: 'queued', filename: 'g' });
    const stored = await (await server.connect()).hmget(KEYS.download(rec.id), 'status', 'filename');
    expect(stored).toEqual(['"queued"', '"g"']);
  });

  it("takes another node's later change to a field once its own write on it has come back", async () => {
    const a = await storeOf('a');
    const b = await storeOf('b');
    const r = { ...rec, id: 'entries-2' };
    const start = (await entriesAfter(0)).at(-1)?.n ?? 0;
    a.saveDownload(r);
    a.saveDownload({ ...r, speedLimit: 100 }, r);
    await a.settled();
    b.saveDownload({ ...r, speedLimit: 200 }, r);
    await b.settled();
    let copy: DownloadRecord | undefined | 'unknown' = { ...r, speedLimit: 100 };
    for (const entry of await entriesAfter(start)) copy = recordAfter(a, 'a', copy === 'unknown' ? undefined : copy, recordOf(entry.fields));
    expect(copy).toMatchObject({ speedLimit: 200 });
  });
});
