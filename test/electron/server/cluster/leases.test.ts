import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../../../../electron/engine/clock.ts';
import type { DownloadRecord } from '../../../../electron/engine/records/record.ts';
import { KEYS } from '../../../../electron/server/cluster/keys.ts';
import { journalNode } from '../../../helpers/journal-node.ts';
import { startRedis, type RunningRedis } from '../../../helpers/redis-server.ts';
import { eventually, waitUntil } from '../../../helpers/wait.ts';

let server: RunningRedis;

const opened: Array<{ close(): Promise<void> }> = [];

async function node(name: string, opts: { ttlMs?: number; clock?: Clock; held?: () => string[] } = {}) {
  const made = await journalNode(server, name, opts);
  opened.push(made);
  return made;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((n) => n.close()));
});

let counter = 0;
function record(status: DownloadRecord['status'] = 'queued'): DownloadRecord {
  counter += 1;
  return {
    id: `lease-test-${counter}`,
    url: 'https://example.com/f',
    dir: '/d',
    filename: 'f',
    filenameFixed: false,
    filenameRequested: false,
    status,
    received: 0,
    total: null,
    resumable: false,
    createdAt: '2026-12-01T00:00:00.000Z',
    headers: {},
    connections: 0,
    speedLimit: 0,
    seq: counter,
  };
}

beforeAll(async () => {
  server = await startRedis();
});

afterAll(async () => {
  await server.stop();
});

describe('leases on a real Redis', () => {
  it('of two nodes claiming one waiting download at once, exactly one gets it', async () => {
    const [a, b] = [await node('a'), await node('b')];
    const rec = record();
    a.journal.create(rec);
    await a.store.settled();
    const [ga, gb] = await Promise.all([a.leases.claim(rec.id), b.leases.claim(rec.id)]);
    expect([ga, gb].filter((r) => r !== undefined)).toHaveLength(1);
    expect(await a.redis.hmget(KEYS.download(rec.id), 'status', 'node')).toEqual(['"downloading"', JSON.stringify(ga === undefined ? 'b' : 'a')]);
    // Claiming again: the holder may (a restart of its own run), the other may not.
    const [holder, other] = ga === undefined ? [b, a] : [a, b];
    expect(await holder.leases.claim(rec.id)).toBeDefined();
    expect(await other.leases.claim(rec.id)).toBeUndefined();
    // Given back with requeue, it waits again and the other node takes it.
    holder.leases.release(rec.id, true);
    await holder.store.settled();
    expect(await a.redis.hget(KEYS.download(rec.id), 'status')).toBe('"queued"');
    expect(await other.leases.claim(rec.id)).toBeDefined();
    expect(await a.redis.hget(KEYS.download(rec.id), 'node')).toBe(JSON.stringify(other === a ? 'a' : 'b'));
  });

  it("a lease not renewed lapses: renewal reports it lost, and another node queues the dead node's download again", async () => {
    const [a, b] = [await node('a', { ttlMs: 300 }), await node('b', { ttlMs: 300 })];
    const rec = record();
    a.journal.create(rec);
    await a.store.settled();
    expect(await a.leases.claim(rec.id)).toBeDefined();
    await a.leases.renew([rec.id]);
    expect(a.lost).toEqual([]);
    // Still held: not an orphan.
    expect(await b.leases.requeueOrphans([rec.id])).toBe(0);
    await eventually(async () => (await a.redis.exists(KEYS.lease(rec.id))) === 0, 5_000, 'the lease lapsed');
    expect(await b.leases.requeueOrphans([rec.id])).toBe(1);
    expect(await b.leases.claim(rec.id)).toBeDefined();
    expect(await a.redis.hget(KEYS.download(rec.id), 'node')).toBe('"b"');
    await a.leases.renew([rec.id]);
    expect(a.lost).toEqual([rec.id]);
  });

  it("a node's writes for a download whose lease another node took are refused: the journal says fenced, and the run's later changes are refused at once", async () => {
    const [a, b] = [await node('a', { ttlMs: 200 }), await node('b')];
    const rec = record();
    a.journal.create(rec);
    await a.caughtUp();
    expect(await a.journal.acquire(rec.id)).toEqual({ kind: 'acquired' });
    const running = a.journal.load().find((r) => r.id === rec.id) ?? rec;
    expect(running).toMatchObject({ status: 'downloading', node: 'a' });
    const five = { ...running, received: 5, ranges: [[0, 5]] as Array<[number, number]> };
    expect(a.journal.append({ kind: 'durable', ranges: [[0, 5]] }, running, five)).toEqual({ kind: 'appended' });
    await a.store.settled();
    expect(await a.redis.hget(KEYS.download(rec.id), 'received')).toBe('5');
    await eventually(async () => (await a.redis.exists(KEYS.lease(rec.id))) === 0, 5_000, 'the lease lapsed');
    expect(await b.leases.requeueOrphans([rec.id])).toBe(1);
    expect(await b.leases.claim(rec.id)).toBeDefined();
    // a still thinks it runs it: its checkpoint goes nowhere, and the journal tells it it is fenced.
    a.journal.append({ kind: 'durable', ranges: [[0, 9]] }, five, { ...five, received: 9, ranges: [[0, 9]] });
    await waitUntil(() => a.entries.some((e) => e.kind === 'fenced' && e.id === rec.id), 2_000, 'the write fenced');
    expect(a.journal.fence(rec.id).check()).toBe('fenced');
    // Its run's next change is refused before it is sent.
    expect(a.journal.append({ kind: 'status', status: 'completed' }, five, { ...five, status: 'completed' })).toEqual({ kind: 'fenced' });
    await a.store.settled();
    expect(await a.redis.hmget(KEYS.download(rec.id), 'received', 'status', 'node')).toEqual(['5', '"downloading"', '"b"']);
  });

  it('by its own clock, a node whose renewals stopped getting through stops every run within half a lease', async () => {
    let now = 1_000_000;
    const clock: Clock = { ...systemClock, now: () => now };
    const a = await node('a', { ttlMs: 10_000, clock, held: () => ['x', 'y'] });
    expect(a.leases.current()).toBe(true);
    now += 5_001;
    expect(a.leases.current()).toBe(false);
    expect(a.lost).toEqual(['x', 'y']);
    expect(a.leases.accepting()).toBe(false);
    // Once a renewal gets through, it works again.
    await a.leases.renew([]);
    expect(a.leases.current()).toBe(true);
    expect(a.leases.accepting()).toBe(true);
  });
});
