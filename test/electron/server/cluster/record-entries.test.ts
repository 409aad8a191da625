import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../../../electron/engine/records/record-journal.ts';
import type { DownloadRecord } from '../../../../electron/engine/records/record.ts';
import { KEYS } from '../../../../electron/server/cluster/keys.ts';
import { journalNode } from '../../../helpers/journal-node.ts';
import { startRedis, type RunningRedis } from '../../../helpers/redis-server.ts';

let server: RunningRedis;
const opened: Array<{ close(): Promise<void> }> = [];

async function node(name: string) {
  const made = await journalNode(server, name);
  opened.push(made);
  return made;
}

const rec: DownloadRecord = {
  id: 'entries-1',
  url: 'https://example.com/f',
  dir: '/d',
  filename: 'f',
  filenameFixed: true,
  filenameRequested: false,
  status: 'paused',
  received: 0,
  total: 10,
  resumable: true,
  createdAt: '2026-12-01T00:00:00.000Z',
  headers: {},
  connections: 0,
  speedLimit: 0,
  seq: 1,
};

/** The record as each delivery left it, for one id. */
function deliveredOf(entries: readonly JournalEntry[], id: string): DownloadRecord[] {
  return entries.flatMap((e) => (e.kind === 'put' && e.record.id === id ? [e.record] : []));
}

function current(n: { journal: { load(): DownloadRecord[] } }, id: string): DownloadRecord | undefined {
  return n.journal.load().find((r) => r.id === id);
}

beforeAll(async () => {
  server = await startRedis();
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((n) => n.close()));
});

afterAll(async () => {
  await server.stop();
});

describe('a node’s journal on a real Redis, in the stream’s order', () => {
  it('shows its own changes at once, never an older value over a newer one while its entries come back, takes another node’s change, and ends as Redis has it', async () => {
    const a = await node('a');
    const b = await node('b');
    a.journal.create(rec);
    await a.caughtUp();
    await b.caughtUp();
    // On a: resume then pause then resume again (all sent before any comes back); on b: a new name.
    const queued: DownloadRecord = { ...rec, status: 'queued' };
    const paused: DownloadRecord = { ...rec, status: 'paused' };
    a.journal.append({ kind: 'status', status: 'queued' }, rec, queued);
    a.journal.append({ kind: 'status', status: 'paused' }, queued, paused);
    a.journal.append({ kind: 'status', status: 'queued' }, paused, queued);
    b.journal.append({ kind: 'filename', filename: 'g' }, rec, { ...rec, filename: 'g' });
    const delivered = a.entries.length;
    await Promise.all([a.caughtUp(), b.caughtUp()]);
    // After the last resume, nothing delivered on a shows it paused again, though that entry came back later.
    const afterwards = deliveredOf(a.entries.slice(delivered), rec.id);
    expect(afterwards.map((r) => r.status)).not.toContain('paused');
    expect(afterwards.at(-1)).toMatchObject({ status: 'queued', filename: 'g' });
    expect(a.entries.slice(delivered).every((e) => e.kind !== 'put' || !e.here)).toBe(true);
    expect(current(a, rec.id)).toMatchObject({ status: 'queued', filename: 'g' });
    expect(current(b, rec.id)).toMatchObject({ status: 'queued', filename: 'g' });
    expect(await a.redis.hmget(KEYS.download(rec.id), 'status', 'filename')).toEqual(['"queued"', '"g"']);
  });

  it('takes another node’s later change to a field once its own write on it has come back', async () => {
    const a = await node('a');
    const b = await node('b');
    const r = { ...rec, id: 'entries-2' };
    a.journal.create(r);
    await Promise.all([a.caughtUp(), b.caughtUp()]);
    a.journal.append({ kind: 'options', speedLimit: 100 }, r, { ...r, speedLimit: 100 });
    await Promise.all([a.caughtUp(), b.caughtUp()]);
    b.journal.append({ kind: 'options', speedLimit: 200 }, { ...r, speedLimit: 100 }, { ...r, speedLimit: 200 });
    await Promise.all([a.caughtUp(), b.caughtUp()]);
    expect(current(a, r.id)).toMatchObject({ speedLimit: 200 });
    expect(deliveredOf(a.entries, r.id).at(-1)).toMatchObject({ speedLimit: 200 });
  });

  it('a change Redis refuses (its download removed meanwhile) stops being shown, and removals reach every node', async () => {
    const a = await node('a');
    const b = await node('b');
    const r = { ...rec, id: 'entries-3' };
    a.journal.create(r);
    await Promise.all([a.caughtUp(), b.caughtUp()]);
    b.journal.remove(r.id);
    a.journal.append({ kind: 'options', connections: 4 }, r, { ...r, connections: 4 });
    await Promise.all([a.caughtUp(), b.caughtUp()]);
    expect(current(a, r.id)).toBeUndefined();
    expect(a.entries.at(-1)).toEqual({ kind: 'removed', id: r.id, here: false });
    expect(await a.redis.exists(KEYS.download(r.id))).toBe(0);
  });
});
