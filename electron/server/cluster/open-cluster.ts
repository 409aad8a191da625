import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { Cluster, type ClusterOptions } from './cluster.ts';
import { checkRedis, connectRedis } from './connect.ts';
import { KEYS } from './keys.ts';
import { Leases } from './leases.ts';
import { NodeRegistry } from './nodes.ts';
import { RedisAccountStore, RedisSessions } from './redis-accounts.ts';
import { readRecords } from './record-fields.ts';
import { RedisJournal } from './redis-journal.ts';
import { RedisStore } from './redis-store.ts';
import { describeRedis } from './redis-url.ts';
import { installScripts } from './scripts.ts';

/** Connects (commands, the heartbeat and the stream each on its own connection), takes the node's name and loads the shared state. */
export async function openCluster(options: ClusterOptions): Promise<Cluster> {
  const opts: Required<ClusterOptions> = { leaseMs: 15_000, maxlen: 20_000, ...options };
  const value = `${opts.node}/${randomBytes(6).toString('hex')}`;
  const cmd = await connectRedis(opts.redis, `haul:${opts.node}`);
  const opened: Redis[] = [cmd];
  try {
    await checkRedis(cmd, opts.redis, opts.log);
    const ctl = await connectRedis(opts.redis, `haul:${opts.node}:heartbeat`, Math.max(500, Math.floor(opts.leaseMs / 3)));
    opened.push(ctl);
    const sub = await connectRedis(opts.redis, `haul:${opts.node}:stream`);
    opened.push(sub);
    const scripts = installScripts(cmd);
    const registry = new NodeRegistry({ ctl, scripts: installScripts(ctl), clock: opts.clock, name: opts.node, value, ttlMs: opts.leaseMs, maxlen: opts.maxlen });
    await registry.join();
    // Where this node starts reading: what it loads next already includes everything up to here.
    const start = Number((await cmd.get(KEYS.seq)) ?? 0);
    let journal: RedisJournal | undefined;
    let cluster: Cluster | undefined;
    const leases = new Leases({
      scripts,
      renewScripts: installScripts(ctl),
      clock: opts.clock,
      node: opts.node,
      value,
      ttlMs: opts.leaseMs,
      maxlen: opts.maxlen,
      lost: (id) => journal?.lose(id),
      held: () => journal?.held() ?? [],
    });
    const onError = (error: unknown): void => cluster?.reportOutage(error);
    const store = await RedisStore.open({ redis: cmd, scripts, clock: opts.clock, maxlen: opts.maxlen, onError });
    journal = new RedisJournal({ scripts, leases, node: opts.node, maxlen: opts.maxlen, reached: (n) => cluster?.reached(n) ?? Promise.resolve(), onError });
    journal.seed(await readRecords(cmd));
    const accountStore = await RedisAccountStore.open(cmd, scripts, opts.maxlen);
    const sessions = new RedisSessions(cmd, () => void scripts.haulNotice(KEYS.seq, KEYS.stream, 'acct', 'sessions', opts.maxlen).catch(() => undefined));
    cluster = new Cluster({ opts, cmd, ctl, sub, scripts, store, journal, accountStore, sessions, leases, registry, start });
    const made = cluster;
    // Each time the connection comes back: a Redis restarted without its data would hand out
    // ids clients already saw, and hold none of the downloads; keep the ids going up and say so.
    cmd.on('ready', () => {
      void scripts
        .haulKeepSeq(KEYS.seq, made.lastEntry())
        .then((behind) => {
          if (behind === 1)
            opts.log(
              `haul: Redis at ${describeRedis(opts.redis)} came back without Haul's data (its counter was behind this node's). Restore it from its append-only file; until then it holds none of the downloads.`,
            );
        })
        .catch(() => undefined);
    });
    return cluster;
  } catch (error) {
    for (const redis of opened) redis.disconnect();
    throw error;
  }
}
