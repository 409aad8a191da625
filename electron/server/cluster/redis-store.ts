import type { Redis } from 'ioredis';
import type { HostLimit, Settings } from '../../../shared/api.ts';
import type { PairedRecord } from '../../../shared/extension-api.ts';
import type { Clock } from '../../engine/clock.ts';
import { APPROVED_KEY, approvedFoldersFrom, NOT_SETTINGS, PAIRED_KEY, pairedBrowsersFrom, type DownloadStore } from '../../engine/store/download-store.ts';
import { KEYS } from './keys.ts';
import type { Scripts } from './scripts.ts';

export interface RedisStoreOptions {
  redis: Redis;
  scripts: Scripts;
  clock: Clock;
  /** Stream entries kept (about). */
  maxlen: number;
  /** A write Redis refused or never answered. */
  onError(error: unknown): void;
}

/**
 * The engine's store on a shared Redis (several nodes): settings, folders, paired browsers and
 * host limits (the downloads' records go through the RedisJournal). The store's calls are
 * synchronous: each one is sent at once, in order, on one connection, and `settled()`
 * resolves when Redis has answered all sent so far (with appendfsync always, when they are
 * on disk), which is when an API call is acknowledged. Reads come from what `open` loaded.
 */
export class RedisStore implements DownloadStore {
  readonly #opts: RedisStoreOptions;
  #settings: Record<string, unknown> = {};
  #hosts: HostLimit[] = [];
  #lastSeq = 0;
  private constructor(opts: RedisStoreOptions) {
    this.#opts = opts;
  }

  /** Loads settings and host limits from Redis. */
  static async open(opts: RedisStoreOptions): Promise<RedisStore> {
    const store = new RedisStore(opts);
    const [settings, hosts] = await Promise.all([opts.redis.hgetall(KEYS.settings), opts.redis.hgetall(KEYS.hosts)]);
    store.#settings = Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, JSON.parse(v) as unknown]));
    store.#hosts = Object.entries(hosts).map(([host, v]) => ({ host, ...(JSON.parse(v) as { connections: number; learnedAt: string }) }));
    return store;
  }

  loadSettings(): Partial<Settings> {
    return Object.fromEntries(Object.entries(this.#settings).filter(([k]) => !NOT_SETTINGS.has(k))) as Partial<Settings>;
  }

  saveSettings(settings: Settings): void {
    const fields = Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, JSON.stringify(v)]));
    Object.assign(this.#settings, settings);
    this.#send(this.#opts.redis.hset(KEYS.settings, fields));
  }

  loadApprovedFolders(): string[] {
    return approvedFoldersFrom(this.#settings[APPROVED_KEY]);
  }

  saveApprovedFolders(folders: readonly string[]): void {
    this.#settings[APPROVED_KEY] = [...folders];
    this.#send(this.#opts.redis.hset(KEYS.settings, APPROVED_KEY, JSON.stringify(folders)));
  }

  loadPairedBrowsers(): PairedRecord[] {
    return pairedBrowsersFrom(this.#settings[PAIRED_KEY]);
  }

  savePairedBrowsers(records: readonly PairedRecord[]): void {
    this.#settings[PAIRED_KEY] = [...records];
    const { redis, scripts, maxlen } = this.#opts;
    this.#send(redis.hset(KEYS.settings, PAIRED_KEY, JSON.stringify(records)).then(() => scripts.haulNotice(KEYS.seq, KEYS.stream, 'paired', '', maxlen)));
  }

  /** Reads the paired browsers again (another node changed them). */
  async reloadPaired(): Promise<void> {
    const value = await this.#opts.redis.hget(KEYS.settings, PAIRED_KEY);
    this.#settings[PAIRED_KEY] = value === null ? [] : (JSON.parse(value) as unknown);
  }

  loadHostLimits(): HostLimit[] {
    return this.#hosts;
  }

  saveHostLimit(host: string, connections: number, learnedAt: string): void {
    this.#send(this.#opts.redis.hset(KEYS.hosts, host, JSON.stringify({ connections, learnedAt })));
  }

  deleteHostLimit(host: string): void {
    this.#send(this.#opts.redis.hdel(KEYS.hosts, host));
  }

  /**
   * Queue order across nodes: milliseconds since 1970 times 1 000, kept increasing here, so
   * downloads added on different nodes line up by when they were added (to within the nodes'
   * clock difference) without a round trip to Redis.
   */
  nextSequence(_name: string, count = 1): number {
    const first = Math.max(this.#opts.clock.now() * 1_000, this.#lastSeq + 1);
    this.#lastSeq = first + count - 1;
    return first;
  }

  /** Resolves once Redis answered every write sent so far. */
  async settled(): Promise<void> {
    await this.#opts.redis.ping();
  }

  close(): void {}

  #send(reply: Promise<unknown>): void {
    reply.catch((error: unknown) => this.#opts.onError(error));
  }
}
