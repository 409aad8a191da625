import type { Redis } from 'ioredis';
import type { HostLimit, Settings } from '../../../shared/api.ts';
import type { PairedRecord } from '../../../shared/extension-api.ts';
import type { Clock } from '../../engine/clock.ts';
import type { DownloadRecord } from '../../engine/records/record.ts';
import { APPROVED_KEY, approvedFoldersFrom, NOT_SETTINGS, PAIRED_KEY, pairedBrowsersFrom, type DownloadStore } from '../../engine/store/download-store.ts';
import { KEYS } from './keys.ts';
import { diffFields, fromFields, toFields } from './record-fields.ts';
import type { Scripts } from './scripts.ts';

export interface RedisStoreOptions {
  redis: Redis;
  scripts: Scripts;
  clock: Clock;
  /** This node's name (each stream entry says where it came from). */
  node: string;
  /** Stream entries kept (about). */
  maxlen: number;
  /** The lease value a write about `id` must hold: this instance's while it runs `id`, else none. */
  fence(id: string): string;
  /** A fenced write was refused: this node no longer holds `id`'s lease. */
  onFenced(id: string): void;
  /** A write Redis refused or never answered. */
  onError(error: unknown): void;
}

/**
 * The engine's store on a shared Redis (several nodes). The engine's store calls are
 * synchronous: each one is sent at once, in order, on one connection, and `settled()`
 * resolves when Redis has answered all sent so far (with appendfsync always, when they are
 * on disk), which is when an API call is acknowledged. Reads come from what `open` loaded.
 */
export class RedisStore implements DownloadStore {
  readonly #opts: RedisStoreOptions;
  #downloads: DownloadRecord[] = [];
  #settings: Record<string, unknown> = {};
  #hosts: HostLimit[] = [];
  #lastSeq = 0;
  /**
   * Per download, per field: this node's writes sent whose stream entries have not come back.
   * Stream order is the order of writes, so such a write comes after any entry read now: an
   * older value read for that field (another node's, or this node's own earlier one) must not
   * replace the newer one here.
   */
  readonly #inFlight = new Map<string, Map<string, number>>();

  private constructor(opts: RedisStoreOptions) {
    this.#opts = opts;
  }

  /** Loads downloads, settings and host limits from Redis. */
  static async open(opts: RedisStoreOptions): Promise<RedisStore> {
    const store = new RedisStore(opts);
    await store.reload();
    return store;
  }

  /** Reads every download again (at start, and after this node missed stream entries). */
  async reload(): Promise<DownloadRecord[]> {
    const { redis } = this.#opts;
    // What comes back is what Redis holds: writes whose entries were missed will not settle.
    this.#inFlight.clear();
    const ids = await redis.smembers(KEYS.downloads);
    const pipeline = redis.pipeline();
    for (const id of ids) pipeline.hgetall(KEYS.download(id));
    pipeline.hgetall(KEYS.settings);
    pipeline.hgetall(KEYS.hosts);
    const answers = (await pipeline.exec()) ?? [];
    const values = answers.map(([error, value]) => {
      if (error !== null) throw error;
      return value as Record<string, string>;
    });
    this.#downloads = values
      .slice(0, ids.length)
      .map((fields) => fromFields(fields))
      .filter((rec): rec is DownloadRecord => rec !== undefined)
      .sort((a, b) => a.seq - b.seq);
    this.#settings = Object.fromEntries(Object.entries(values[ids.length] ?? {}).map(([k, v]) => [k, JSON.parse(v) as unknown]));
    this.#hosts = Object.entries(values[ids.length + 1] ?? {}).map(([host, v]) => ({ host, ...(JSON.parse(v) as { connections: number; learnedAt: string }) }));
    return this.#downloads;
  }

  loadDownloads(): DownloadRecord[] {
    return this.#downloads;
  }

  saveDownload(rec: DownloadRecord, prev?: Readonly<DownloadRecord>): void {
    if (prev === undefined) {
      this.#commit('create', rec.id, toFields(rec), []);
      return;
    }
    const { set, del } = diffFields(prev, rec);
    if (Object.keys(set).length > 0 || del.length > 0) this.#commit('update', rec.id, set, del);
  }

  /** Every change went to Redis as it was made; writing whole records again would undo other nodes' changes. */
  saveAll(): void {}

  saveProgress(id: string, received: number, ranges?: DownloadRecord['ranges']): void {
    const { scripts } = this.#opts;
    this.#send(id, scripts.haulProgress(KEYS.download(id), KEYS.lease(id), JSON.stringify(received), ranges === undefined ? '' : JSON.stringify(ranges), this.#opts.fence(id)));
  }

  deleteDownload(id: string): void {
    this.#commit('delete', id, {}, []);
  }

  loadSettings(): Partial<Settings> {
    return Object.fromEntries(Object.entries(this.#settings).filter(([k]) => !NOT_SETTINGS.has(k))) as Partial<Settings>;
  }

  saveSettings(settings: Settings): void {
    const fields = Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, JSON.stringify(v)]));
    Object.assign(this.#settings, settings);
    this.#send(undefined, this.#opts.redis.hset(KEYS.settings, fields));
  }

  loadApprovedFolders(): string[] {
    return approvedFoldersFrom(this.#settings[APPROVED_KEY]);
  }

  saveApprovedFolders(folders: readonly string[]): void {
    this.#settings[APPROVED_KEY] = [...folders];
    this.#send(undefined, this.#opts.redis.hset(KEYS.settings, APPROVED_KEY, JSON.stringify(folders)));
  }

  loadPairedBrowsers(): PairedRecord[] {
    return pairedBrowsersFrom(this.#settings[PAIRED_KEY]);
  }

  savePairedBrowsers(records: readonly PairedRecord[]): void {
    this.#settings[PAIRED_KEY] = [...records];
    const { redis, scripts, maxlen } = this.#opts;
    this.#send(
      undefined,
      redis.hset(KEYS.settings, PAIRED_KEY, JSON.stringify(records)).then(() => scripts.haulNotice(KEYS.seq, KEYS.stream, 'paired', '', maxlen)),
    );
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
    this.#send(undefined, this.#opts.redis.hset(KEYS.hosts, host, JSON.stringify({ connections, learnedAt })));
  }

  deleteHostLimit(host: string): void {
    this.#send(undefined, this.#opts.redis.hdel(KEYS.hosts, host));
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

  /**
   * A record entry came back from the stream: the fields of it this node should take in. Its
   * own entry settles its write; fields this node has newer writes on the way for are left out.
   */
  fieldsToTake(id: string, fields: readonly string[], own: boolean): string[] {
    if (own) this.#settle(id, fields);
    const pending = this.#inFlight.get(id);
    return pending === undefined ? [...fields] : fields.filter((f) => !pending.has(f));
  }

  #commit(mode: 'create' | 'update' | 'delete', id: string, set: Record<string, string>, del: string[]): void {
    const { scripts, maxlen, node } = this.#opts;
    const fence = mode === 'create' ? '' : this.#opts.fence(id);
    const fields = [...Object.keys(set), ...del];
    const pending = this.#inFlight.get(id) ?? new Map<string, number>();
    for (const f of fields) pending.set(f, (pending.get(f) ?? 0) + 1);
    this.#inFlight.set(id, pending);
    const reply = scripts.haulCommit(KEYS.download(id), KEYS.downloads, KEYS.seq, KEYS.stream, KEYS.lease(id), mode, id, JSON.stringify(set), JSON.stringify(del), fence, maxlen, node);
    // A write that made no entry (refused, or its download gone) will not come back to settle itself.
    const settleUnlessWritten = (answer: unknown): unknown => {
      if (typeof answer !== 'number' || answer <= 0) this.#settle(id, fields);
      return answer;
    };
    this.#send(
      id,
      reply.then(settleUnlessWritten, (error: unknown) => {
        this.#settle(id, fields);
        throw error;
      }),
    );
  }

  #settle(id: string, fields: readonly string[]): void {
    const pending = this.#inFlight.get(id);
    if (pending === undefined) return;
    for (const f of fields) {
      const left = (pending.get(f) ?? 0) - 1;
      if (left > 0) pending.set(f, left);
      else pending.delete(f);
    }
    if (pending.size === 0) this.#inFlight.delete(id);
  }

  #send(id: string | undefined, reply: Promise<unknown>): void {
    reply.then(
      (answer) => {
        if (answer === -1 && id !== undefined) this.#opts.onFenced(id);
      },
      (error: unknown) => this.#opts.onError(error),
    );
  }
}
