import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../../electron/engine/clock.ts';
import { KEYS } from '../../../../electron/server/cluster/keys.ts';
import { installScripts } from '../../../../electron/server/cluster/scripts.ts';
import { StreamFollower, type StreamEntry } from '../../../../electron/server/cluster/stream-follower.ts';
import { startRedis, type RunningRedis } from '../../../helpers/redis-server.ts';
import { waitUntil } from '../../../helpers/wait.ts';

let server: RunningRedis;

function connection(): Promise<Redis> {
  return server.connect();
}

beforeAll(async () => {
  server = await startRedis();
});

afterAll(async () => {
  await server.stop();
});

describe('StreamFollower on a real Redis', () => {
  it('takes every entry after its start in order, reports a trimmed gap instead of skipping it, and lets a request wait for an entry', async () => {
    const writer = await connection();
    const scripts = installScripts(writer);
    const notice = (detail: string, maxlen = 1000) => scripts.haulNotice(KEYS.seq, KEYS.stream, 'test', detail, maxlen) as Promise<number>;
    for (const d of ['one', 'two', 'three']) await notice(d);
    const seen: StreamEntry[] = [];
    const gaps: Array<[number, number]> = [];
    const follower = new StreamFollower({
      redis: await connection(),
      clock: systemClock,
      after: 1,
      blockMs: 200,
      onEntry: (e) => seen.push(e),
      onGap: async (after, next) => void gaps.push([after, next]),
      onError: (error) => {
        throw error;
      },
    });
    await waitUntil(() => seen.length === 2, 5_000, 'two entries');
    expect(seen.map((e) => [e.n, e.fields['detail']])).toEqual([
      [2, 'two'],
      [3, 'three'],
    ]);
    // A request waits until the entry its change made has been taken in.
    const n = await notice('four');
    await follower.reached(n, 5_000);
    expect(follower.last).toBe(n);
    await follower.close();

    // A follower that starts far behind a stream trimmed to its last entries is told what it missed.
    for (let i = 0; i < 20; i++) await notice(`more-${i}`, 1);
    await writer.xtrim(KEYS.stream, 'MAXLEN', 1);
    const late = new StreamFollower({
      redis: await connection(),
      clock: systemClock,
      after: n,
      blockMs: 200,
      onEntry: (e) => seen.push(e),
      onGap: async (after, next) => void gaps.push([after, next]),
      onError: (error) => {
        throw error;
      },
    });
    await waitUntil(() => gaps.length === 1, 5_000, 'the gap reported');
    expect(gaps[0]?.[0]).toBe(n);
    expect(gaps[0]?.[1]).toBe(n + 20);
    await late.close();
  });
});
