import type { IncomingMessage } from 'node:http';
import type { Redis } from 'ioredis';
import type { DownloadDetails, NodeView } from '../../../shared/api.ts';
import type { Clock } from '../../engine/clock.ts';
import type { Engine } from '../../engine/engine.ts';
import { HaulError } from '../../engine/errors.ts';
import { sessionCookie } from '../accounts/identify.ts';
import type { EventFeed } from '../sse/event-hub.ts';
import { answerWithin, connectRedis } from './connect.ts';
import { startHeartbeat } from './heartbeat.ts';
import { feedFrom } from './cluster-feed.ts';
import { KEYS } from './keys.ts';
import type { Leases } from './leases.ts';
import { LiveElsewhere } from './live-elsewhere.ts';
import { NodeCalls } from './node-calls.ts';
import type { NodeRegistry } from './nodes.ts';
import type { RedisAccountStore, RedisSessions } from './redis-accounts.ts';
import type { RedisJournal } from './redis-journal.ts';
import type { RedisStore } from './redis-store.ts';
import type { Pairings } from '../pairing.ts';
import { describeRedis, type RedisAddress } from './redis-url.ts';
import type { Scripts } from './scripts.ts';

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
  /** A download's details from the node running it (its connections and log live there); `local` when it runs here, or nowhere, or that node does not answer. */
  details(id: string, local: () => DownloadDetails): Promise<DownloadDetails>;
}

/** A request waits at most this long for Redis before it is answered UNAVAILABLE. */
const REDIS_WAIT_MS = 5_000;

/**
 * One node of a Haul that several machines share through Redis (`haul serve --redis`): the
 * store, accounts and sessions live in Redis, runs are leased (see Leases), and one stream
 * carries every change and event to every node (see cluster-feed).
 */
export interface ClusterParts {
  opts: Required<ClusterOptions>;
  cmd: Redis;
  ctl: Redis;
  sub: Redis;
  scripts: Scripts;
  store: RedisStore;
  journal: RedisJournal;
  accountStore: RedisAccountStore;
  sessions: RedisSessions;
  leases: Leases;
  registry: NodeRegistry;
  /** The stream entry the loaded state includes. */
  start: number;
}

export class Cluster implements ClusterApi {
  readonly #p: ClusterParts;
  #feed: Awaited<ReturnType<typeof feedFrom>> | undefined;
  #calls: NodeCalls | undefined;
  #engine: Engine | undefined;
  #pairings: Pairings | undefined;
  #stops: Array<() => void> = [];
  #outage = false;
  readonly #live = new LiveElsewhere();

  /** See openCluster, which connects and loads the parts. */
  constructor(parts: ClusterParts) {
    this.#p = parts;
  }

  get store(): RedisStore {
    return this.#p.store;
  }

  get accountStore(): RedisAccountStore {
    return this.#p.accountStore;
  }

  get sessions(): RedisSessions {
    return this.#p.sessions;
  }

  get leases(): Leases {
    return this.#p.leases;
  }

  get journal(): RedisJournal {
    return this.#p.journal;
  }

  /** The numbers of a download another node runs (from its progress events). */
  liveElsewhere(id: string): ReturnType<LiveElsewhere['get']> {
    return this.#live.get(id);
  }

  get self(): string {
    return this.#p.opts.node;
  }

  /** The interface token every node answers to: the first node's, kept in Redis. */
  async sharedToken(candidate: string): Promise<string> {
    await this.#p.cmd.set(KEYS.token, candidate, 'NX');
    return (await this.#p.cmd.get(KEYS.token)) ?? candidate;
  }

  /** Ties the engine to the stream: its changes and events go out, everyone's come in. Returns the event hub's feed. */
  async attach(engine: Engine): Promise<EventFeed> {
    this.#engine = engine;
    const p = this.#p;
    this.#feed = await feedFrom({
      engine,
      cmd: p.cmd,
      sub: p.sub,
      scripts: p.scripts,
      leases: p.leases,
      journal: p.journal,
      live: this.#live,
      store: p.store,
      accounts: p.accountStore,
      sessions: p.sessions,
      clock: p.opts.clock,
      node: p.opts.node,
      maxlen: p.opts.maxlen,
      start: p.start,
      log: p.opts.log,
      drained: (on) => this.#setDraining(on),
      pairedChanged: () => this.#pairings?.reload(),
      pairingShared: (event) => this.#pairings?.takeShared(event),
    });
    const callsConnection = await connectRedis(this.#p.opts.redis, `haul:${this.#p.opts.node}:calls`);
    this.#calls = await NodeCalls.listen(this.#p.cmd, callsConnection, this.#p.opts.clock, this.#p.opts.node, (id) => (engine.get(id) === undefined ? undefined : engine.details(id)));
    return this.#feed.feed;
  }

  async details(id: string, local: () => DownloadDetails): Promise<DownloadDetails> {
    const download = this.#engine?.get(id);
    const node = download?.node;
    if (download?.status !== 'downloading' || node === undefined || node === this.#p.opts.node || this.#calls === undefined) return local();
    return (await this.#calls.details(node, id)) ?? local();
  }

  /** Starts the heartbeat (leases renewed, drain noticed) and the watch for downloads whose node died. */
  start(engine: Engine): void {
    this.#stops.push(
      startHeartbeat({
        clock: this.#p.opts.clock,
        leaseMs: this.#p.opts.leaseMs,
        engine,
        journal: this.#p.journal,
        registry: this.#p.registry,
        leases: this.leases,
        draining: (on) => this.#setDraining(on),
        ok: () => {
          if (this.#outage) this.#p.opts.log(`haul: Redis at ${describeRedis(this.#p.opts.redis)} answers again.`);
          this.#outage = false;
        },
        failed: (error) => this.reportOutage(error),
      }),
    );
  }

  nodes(): Promise<NodeView[]> {
    return this.#withinWait(this.#p.registry.list());
  }

  async drain(name: string, on: boolean): Promise<void> {
    const known = await this.nodes();
    if (!known.some((n) => n.name === name)) throw new HaulError('NOT_FOUND', `No node named "${name.slice(0, 100)}" has joined this Haul; GET /api/nodes lists them.`);
    await this.#withinWait(this.#p.registry.drain(name, on));
  }

  /** Resolves once this node has taken in stream entry `n` (or waited as long as a request would). */
  reached(n: number): Promise<void> {
    return this.#feed?.reached(n, REDIS_WAIT_MS) ?? Promise.resolve();
  }

  async beforeRequest(req: IncomingMessage): Promise<void> {
    const seq = Number((await this.#withinWait(this.#p.cmd.get(KEYS.seq))) ?? 0);
    await this.#feed?.reached(seq, REDIS_WAIT_MS);
    const session = sessionCookie(req);
    if (session !== undefined) await this.#withinWait(this.sessions.warm(session, this.#p.opts.clock.now()));
  }

  settled(): Promise<void> {
    return this.#withinWait(
      Promise.all([this.store.settled(), this.accountStore.settled()]).then(() => undefined),
      true,
    );
  }

  /** After the engine stopped (its runs handed back): leaves the node list and closes the connections. */
  async close(): Promise<void> {
    for (const stop of this.#stops) stop();
    await this.store.settled().catch(() => undefined);
    await this.#p.registry.leave().catch(() => undefined);
    await this.#feed?.close();
    this.#calls?.close();
    await Promise.all([this.#p.cmd.quit().catch(() => undefined), this.#p.ctl.quit().catch(() => undefined)]);
  }

  /** Shares `pairings` with the other nodes: browsers paired anywhere, and waiting pairings, so the extension may finish on any node. */
  linkPairings(pairings: Pairings): void {
    this.#pairings = pairings;
    const { scripts, opts } = this.#p;
    this.#stops.push(pairings.shareWith((event) => void scripts.haulNotice(KEYS.seq, KEYS.stream, 'pairing', JSON.stringify({ from: opts.node, event }), opts.maxlen).catch(() => undefined)));
  }

  /** The newest stream entry this node has taken in. */
  lastEntry(): number {
    return this.#feed?.last() ?? 0;
  }

  #setDraining(on: boolean): void {
    if (on === this.leases.draining) return;
    this.leases.draining = on;
    this.#p.opts.log(on ? `haul: node ${this.#p.opts.node} is draining: its downloads go to the other nodes.` : `haul: node ${this.#p.opts.node} takes downloads again.`);
    this.#feed?.drained(on);
  }

  /** Says once per outage that Redis does not answer. */
  reportOutage(error: unknown): void {
    if (this.#outage) return;
    this.#outage = true;
    this.#p.opts.log(
      `haul: Redis at ${describeRedis(this.#p.opts.redis)} does not answer (${error instanceof Error ? error.message : String(error)}); changes wait for it, and runs stop if it stays away.`,
    );
  }

  #withinWait<T>(promise: Promise<T>, pending = false): Promise<T> {
    return answerWithin(this.#p.opts.clock, promise, REDIS_WAIT_MS, this.#p.opts.redis, pending);
  }
}
