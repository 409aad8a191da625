import { systemClock, type Clock } from '../../electron/engine/clock.ts';
import type { JournalEntry } from '../../electron/engine/records/record-journal.ts';
import { parseEntry } from '../../electron/server/cluster/feed-entries.ts';
import { KEYS } from '../../electron/server/cluster/keys.ts';
import { Leases } from '../../electron/server/cluster/leases.ts';
import { readRecords } from '../../electron/server/cluster/record-fields.ts';
import { RedisJournal } from '../../electron/server/cluster/redis-journal.ts';
import { RedisStore } from '../../electron/server/cluster/redis-store.ts';
import { installScripts } from '../../electron/server/cluster/scripts.ts';
import { StreamFollower } from '../../electron/server/cluster/stream-follower.ts';
import type { RunningRedis } from './redis-server.ts';

/**
 * One node's side of the cluster, without an engine: its leases, store and journal on a real
 * Redis, the journal fed from the stream as the cluster feeds it. `entries` is what the journal
 * delivered; `lost` the leases renewal found gone.
 */
export async function journalNode(server: RunningRedis, name: string, opts: { ttlMs?: number; clock?: Clock; held?: () => string[] } = {}) {
  const redis = await server.connect(name);
  const scripts = installScripts(redis);
  const clock = opts.clock ?? systemClock;
  const lost: string[] = [];
  const errors: unknown[] = [];
  const entries: JournalEntry[] = [];
  const value = `${name}/1`;
  const leases = new Leases({
    scripts,
    renewScripts: scripts,
    clock,
    node: name,
    value,
    ttlMs: opts.ttlMs ?? 10_000,
    maxlen: 1000,
    lost: (id) => lost.push(id),
    held: opts.held ?? (() => []),
  });
  const store = await RedisStore.open({ redis, scripts, clock, maxlen: 1000, onError: (error) => errors.push(error) });
  const after = Number((await redis.get(KEYS.seq)) ?? 0);
  let follower: StreamFollower | undefined;
  const journal = new RedisJournal({ scripts, leases, node: name, maxlen: 1000, reached: (n) => follower?.reached(n, 5_000) ?? Promise.resolve(), onError: (error) => errors.push(error) });
  journal.seed(await readRecords(redis));
  journal.subscribe((entry) => entries.push(entry));
  follower = new StreamFollower({
    redis: await server.connect(`${name}:stream`),
    clock,
    after,
    onEntry: (raw) => {
      const entry = parseEntry(raw.fields);
      if (entry.kind === 'record') journal.take(entry.record);
    },
    onGap: async () => journal.reset(await readRecords(redis)),
    onError: (error) => errors.push(error),
  });
  const made = follower;
  return {
    redis,
    leases,
    store,
    journal,
    entries,
    lost,
    errors,
    /** Resolves once this node has taken in every entry written so far. */
    caughtUp: async (): Promise<void> => {
      await store.settled();
      await made.reached(Number((await redis.get(KEYS.seq)) ?? 0), 5_000);
    },
    close: () => made.close(),
  };
}
