import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Redis } from 'ioredis';
import type { NodeView } from '../../../shared/api.ts';
import type { Clock } from '../../engine/clock.ts';
import type { Engine } from '../../engine/engine.ts';
import { HaulError } from '../../engine/errors.ts';
import { sessionCookie } from '../accounts/identify.ts';
import type { EventFeed } from '../sse/event-hub.ts';
import { answerWithin, checkRedis, connectRedis } from './connect.ts';
import { startHeartbeat } from './heartbeat.ts';
import { feedFrom, type ClusterLinks } from './cluster-feed.ts';
import { KEYS } from './keys.ts';
import { Leases } from './leases.ts';
import { NodeRegistry } from './nodes.ts';
import { RedisAccountStore, RedisSessions } from './redis-accounts.ts';
import { RedisStore } from './redis-store.ts';
import { describeRedis, type RedisAddress } from './redis-url.ts';
import { installScripts, type Scripts } from './scripts.ts';

export interface ClusterOptions {
  redis: RedisAddress;
  /** This node's name (unique among live nodes). */
  node: string;
  /** How long a lease lives unrenewed: a dead node's downloads move within about this. Default 15 000 ms. */
  leaseMs?: number;
  /** Stream entries kept for replay (about). Default 20 000. */
  maxlen?: number;
  clock: Clock;
  log(line: string): void;
}

/** What the HTTP server asks of the cluster. */
export interface ClusterApi {
  readonly self: string;
  nodes(): Promise<NodeView[]>;
  drain(name: string, on: boolean): Promise<void>;
  /** Before an API request: this node has taken in everything Redis had when it came (and knows its session). */
  beforeRequest(req: IncomingMessage): Promise<void>;
  /** Before a change is acknowledged: Redis has it. */
  settled(): Promise<void>;
}

/** A request waits at most this long for Redis before it is answered UNAVAILABLE. */
const REDIS_WAIT_MS = 5_000;

/**
 * One node of a Haul that several machines share through Redis (`haul serve --redis`): the
 * store, accounts and sessions live in Redis, runs are leased (see Leases), and one stream
 * carries every change and event to every node (see cluster-feed).
 */
export class Cluster implements ClusterApi {
  readonly store: RedisStore;
  readonly accountStore: RedisAccountStore;
  readonly sessions: RedisSessions;
  readonly leases: Leases;
  readonly #links: Omit<ClusterLinks, 'engine'>;
  readonly #registry: NodeRegistry;
  readonly #cmd: Redis;
  readonly #ctl: Redis;
  readonly #opts: Required<ClusterOptions>;
  #feed: Awaited<ReturnType<typeof feedFrom>> | undefined;
  /** Called when another node paired or revoked a browser. */
  pairedChanged: () => void = () => undefined;
  #stopTimers: Array<() => void> = [];
  #outage = false;

  private constructor(parts: {
    opts: Required<ClusterOptions>;
    cmd: Redis;
    ctl: Redis;
    sub: Redis;
    scripts: Scripts;
    store: RedisStore;
    accountStore: RedisAccountStore;
    sessions: RedisSessions;
    leases: Leases;
    registry: NodeRegistry;
    start: number;
  }) {
    this.#opts = parts.opts;
    this.#cmd = parts.cmd;
    this.#ctl = parts.ctl;
    this.store = parts.store;
    this.accountStore = parts.accountStore;
    this.sessions = parts.sessions;
    this.leases = parts.leases;
    this.#registry = parts.registry;
    this.#links = {
      cmd: parts.cmd,
      sub: parts.sub,
      scripts: parts.scripts,
      leases: parts.leases,
      store: parts.store,
      accounts: parts.accountStore,
      sessions: parts.sessions,
      clock: parts.opts.clock,
      node: parts.opts.node,
      maxlen: parts.opts.maxlen,
      start: parts.start,
      log: parts.opts.log,
      drained: (on) => this.#setDraining(on),
      pairedChanged: () => this.pairedChanged(),
    };
  }

  /** Connects (three connections: commands, the heartbeat, the stream), takes the node's name and loads the shared state. */
  static async open(options: ClusterOptions): Promise<Cluster> {
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
      let cluster: Cluster | undefined;
      const leases = new Leases({
        scripts,
        renewScripts: installScripts(ctl),
        clock: opts.clock,
        node: opts.node,
        value,
        ttlMs: opts.leaseMs,
        maxlen: opts.maxlen,
        lost: (id) => cluster?.lostLease(id),
      });
      const store = await RedisStore.open({
        redis: cmd,
        scripts,
        clock: opts.clock,
        node: opts.node,
        maxlen: opts.maxlen,
        fence: (id) => (cluster?.holdsLease(id) === true ? value : ''),
        onFenced: (id) => cluster?.lostLease(id),
        onError: (error) => cluster?.reportOutage(error),
      });
      const accountStore = await RedisAccountStore.open(cmd, scripts, opts.maxlen);
      const sessions = new RedisSessions(cmd, () => void scripts.haulNotice(KEYS.seq, KEYS.stream, 'acct', 'sessions', opts.maxlen).catch(() => undefined));
      cluster = new Cluster({ opts, cmd, ctl, sub, scripts, store, accountStore, sessions, leases, registry, start });
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

  get self(): string {
    return this.#opts.node;
  }

  /** The interface token every node answers to: the first node's, kept in Redis. */
  async sharedToken(candidate: string): Promise<string> {
    await this.#cmd.set(KEYS.token, candidate, 'NX');
    return (await this.#cmd.get(KEYS.token)) ?? candidate;
  }

  /** Ties the engine to the stream: its changes and events go out, everyone's come in. Returns the event hub's feed. */
  async attach(engine: Engine): Promise<EventFeed> {
    this.#feed = await feedFrom({ ...this.#links, engine });
    return this.#feed.feed;
  }

  /** Starts the heartbeat (leases renewed, drain noticed) and the watch for downloads whose node died. */
  start(engine: Engine): void {
    const remote = engine.remote;
    if (remote === undefined) throw new Error('The engine was made without leases.');
    this.#stopTimers.push(
      startHeartbeat({
        clock: this.#opts.clock,
        leaseMs: this.#opts.leaseMs,
        engine,
        remote,
        registry: this.#registry,
        leases: this.leases,
        draining: (on) => this.#setDraining(on),
        ok: () => {
          if (this.#outage) this.#opts.log(`haul: Redis at ${describeRedis(this.#opts.redis)} answers again.`);
          this.#outage = false;
        },
        failed: (error) => this.reportOutage(error),
      }),
    );
  }

  nodes(): Promise<NodeView[]> {
    return this.#withinWait(this.#registry.list());
  }

  async drain(name: string, on: boolean): Promise<void> {
    const known = await this.nodes();
    if (!known.some((n) => n.name === name)) throw new HaulError('NOT_FOUND', `No node named "${name.slice(0, 100)}" has joined this Haul; GET /api/nodes lists them.`);
    await this.#withinWait(this.#registry.drain(name, on));
  }

  async beforeRequest(req: IncomingMessage): Promise<void> {
    const seq = Number((await this.#withinWait(this.#cmd.get(KEYS.seq))) ?? 0);
    await this.#feed?.reached(seq, REDIS_WAIT_MS);
    const session = sessionCookie(req);
    if (session !== undefined) await this.#withinWait(this.sessions.warm(session, this.#opts.clock.now()));
  }

  settled(): Promise<void> {
    return this.#withinWait(Promise.all([this.store.settled(), this.accountStore.settled()]).then(() => undefined));
  }

  /** After the engine stopped (its runs handed back): leaves the node list and closes the connections. */
  async close(): Promise<void> {
    for (const stop of this.#stopTimers) stop();
    await this.store.settled().catch(() => undefined);
    await this.#registry.leave().catch(() => undefined);
    await this.#feed?.close();
    await Promise.all([this.#cmd.quit().catch(() => undefined), this.#ctl.quit().catch(() => undefined)]);
  }

  /** The newest stream entry this node has taken in. */
  lastEntry(): number {
    return this.#feed?.last() ?? 0;
  }

  /** Whether this node runs `id` (its writes about it then hold its lease). */
  holdsLease(id: string): boolean {
    return this.#feed?.holds(id) ?? false;
  }

  /** `id`'s lease is gone: its run here stops at once. */
  lostLease(id: string): void {
    this.#feed?.lost(id);
  }

  #setDraining(on: boolean): void {
    if (on === this.leases.draining) return;
    this.leases.draining = on;
    this.#opts.log(on ? `haul: node ${this.#opts.node} is draining: its downloads go to the other nodes.` : `haul: node ${this.#opts.node} takes downloads again.`);
    this.#feed?.drained(on);
  }

  /** Says once per outage that Redis does not answer. */
  reportOutage(error: unknown): void {
    if (this.#outage) return;
    this.#outage = true;
    this.#opts.log(
      `haul: Redis at ${describeRedis(this.#opts.redis)} does not answer (${error instanceof Error ? error.message : String(error)}); changes wait for it, and runs stop if it stays away.`,
    );
  }

  #withinWait<T>(promise: Promise<T>): Promise<T> {
    return answerWithin(this.#opts.clock, promise, REDIS_WAIT_MS, this.#opts.redis);
  }
}
