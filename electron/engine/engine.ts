import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import fs from 'node:fs/promises';
import type { Download, DownloadPatch, HostLimit, ProgressItem, Settings } from '../../shared/api.ts';
import { assertNever } from '../../shared/assert-never.ts';
import { checkDownloadUrl } from '../../shared/url.ts';
import { systemClock, type Clock, type Random } from './clock.ts';
import { diffDownload } from './download-patch.ts';
import { HaulError, InputError, StateError } from './errors.ts';
import { HostLimits, type HostLimitOptions } from './host-limits.ts';
import { createTransport, type Transport, type TransportOptions } from './http/transport.ts';
import { loopLoadMeter } from './loop-load.ts';
import { newRecord } from './new-record.ts';
import { RateLimiter } from './rate-limiter.ts';
import { RecordBook } from './record-book.ts';
import { finalPath, partPath, toDownload, type DownloadRecord } from './record.ts';
import { DEFAULT_RETRY, type RetryOptions } from './retry.ts';
import type { DownloadStore } from './store/download-store.ts';
import { HttpSource } from './transfer/http-source.ts';
import type { TaskOutcome } from './transfer/outcome.ts';
import type { DownloadSource } from './transfer/source.ts';
import { DEFAULT_SEGMENTS, type SegmentOptions } from './transfer/worker-pool.ts';
import { parseAddRequest, parseSettingsPatch } from './validate.ts';

export interface EngineOptions {
  store: DownloadStore;
  /** Where downloads go unless a request or the settings say otherwise. */
  downloadDir: string;
  /** Default: the system clock. */
  clock?: Clock;
  /** Default: Math.random (backoff jitter only). */
  random?: Random;
  /** Default: random UUIDs. */
  newId?: () => string;
  /** How requests are sent. Default: createTransport(transportOptions). */
  transport?: Transport;
  /** Options for the default transport (timeouts, 'auto' or 'undici'). */
  transportOptions?: TransportOptions;
  /** Default: 5 retries, 1 s doubling to 60 s. */
  retry?: Partial<RetryOptions>;
  /** How often running downloads record durable progress. Default 1 000 ms. */
  checkpointIntervalMs?: number;
  /** How often `progress` is emitted for downloads that moved. Default 100 ms. */
  progressIntervalMs?: number;
  /** Segmented transfers: piece sizes, start and growth of connections (see DEFAULT_SEGMENTS). */
  segments?: Partial<SegmentOptions>;
  /** How learnt host ceilings recover (see DEFAULT_HOST_LIMITS). */
  hostLimits?: Partial<HostLimitOptions>;
  /** How busy the event loop is (0–1). Default: Node's event-loop utilisation. */
  loopBusy?: () => number;
}

export interface EngineEvents {
  added: [Download];
  updated: [DownloadPatch];
  progress: [ProgressItem[]];
  removed: [{ id: string }];
  settings: [Settings];
}

export const DEFAULT_SETTINGS: Omit<Settings, 'downloadDir'> = { maxConcurrent: 3, connectionsPerDownload: 8, speedLimit: 0 };

/**
 * The download engine: a FIFO queue of downloads, at most `maxConcurrent` running, with
 * state kept in the store and every change announced as an event. Host-neutral: it runs
 * the same under Node, `haul serve` and Electron's main process.
 */
export class Engine extends EventEmitter<EngineEvents> {
  readonly #store: DownloadStore;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #newId: () => string;
  readonly #transport: Transport;
  readonly #ownsTransport: boolean;
  readonly #retry: RetryOptions;
  readonly #checkpointIntervalMs: number;
  readonly #progressIntervalMs: number;
  readonly #segments: SegmentOptions;
  readonly #book: RecordBook;
  readonly #hosts: HostLimits;
  readonly #loopBusy: () => number;
  readonly #tasks = new Map<string, DownloadSource>();
  readonly #published = new Map<string, Download>();
  readonly #lastProgress = new Map<string, string>();
  readonly #globalLimiter: RateLimiter;
  #settings: Settings;
  #stopTicker: (() => void) | undefined;
  #closed = false;

  constructor(opts: EngineOptions) {
    super();
    this.#store = opts.store;
    this.#clock = opts.clock ?? systemClock;
    this.#random = opts.random ?? Math.random;
    this.#newId = opts.newId ?? randomUUID;
    this.#ownsTransport = opts.transport === undefined;
    this.#transport = opts.transport ?? createTransport(opts.transportOptions);
    this.#retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.#checkpointIntervalMs = opts.checkpointIntervalMs ?? 1_000;
    this.#progressIntervalMs = opts.progressIntervalMs ?? 100;
    this.#segments = { ...DEFAULT_SEGMENTS, ...opts.segments };
    this.#settings = { downloadDir: opts.downloadDir, ...DEFAULT_SETTINGS, ...opts.store.loadSettings() };
    this.#globalLimiter = new RateLimiter(this.#clock, this.#settings.speedLimit);
    // Durable progress is not news: the progress events already carry the bytes.
    this.#book = new RecordBook(opts.store, (id, change) => {
      if (change.kind !== 'durable') this.#publish(id);
    });
    this.#hosts = new HostLimits(opts.store, this.#clock, opts.hostLimits);
    this.#loopBusy = opts.loopBusy ?? loopLoadMeter();
  }

  /** Loads every stored download; the ones that were running resume first, then the queue. */
  start(): void {
    const running: string[] = [];
    for (const rec of this.#book.load()) {
      this.#published.set(rec.id, toDownload(rec));
      if (rec.status === 'downloading') running.push(rec.id);
    }
    for (const id of running.slice(this.#settings.maxConcurrent)) this.#book.apply(id, { kind: 'status', status: 'queued' });
    for (const id of running.slice(0, this.#settings.maxConcurrent)) this.#startTask(id);
    this.#pump();
    this.#stopTicker = this.#clock.setInterval(() => this.#tick(), this.#progressIntervalMs);
  }

  get settings(): Settings {
    return { ...this.#settings };
  }

  list(): Download[] {
    return this.#book.all().map((rec) => this.#view(rec));
  }

  get(id: string): Download | undefined {
    const rec = this.#book.get(id);
    return rec === undefined ? undefined : this.#view(rec);
  }

  /** Like `get`, but an unknown id is a NOT_FOUND error. */
  require(id: string): Download {
    return this.#view(this.#book.require(id));
  }

  /** Validates and queues downloads (see parseAddRequest); nothing is created if any part is invalid. */
  add(request: unknown): Download[] {
    this.#assertOpen();
    const items = parseAddRequest(request);
    const created = items.map((item) => {
      const rec = newRecord(item, { id: this.#newId(), dir: item.dir ?? this.#settings.downloadDir, createdAt: new Date(this.#clock.now()).toISOString(), seq: this.#store.nextSequence('download') });
      this.#book.create(rec);
      const view = toDownload(rec);
      this.#published.set(rec.id, view);
      this.emit('added', view);
      return rec.id;
    });
    this.#pump();
    return created.map((id) => this.require(id));
  }

  /**
   * Gives a download a refreshed link for the same file (a new presigned URL, say). The bytes
   * on disk are kept only if the new link's server proves it serves the same file: a range
   * answered under If-Range with the same size and validators; otherwise the download starts over.
   */
  async refreshUrl(id: string, url: unknown): Promise<Download> {
    const rec = this.#book.require(id);
    const check = checkDownloadUrl(url);
    if (!check.ok) throw new InputError(check.code, `url: ${check.message}`, 'url');
    if (rec.status === 'completed') throw new StateError('This download is already complete; add the new link as a new download instead.');
    const running = this.#tasks.get(id);
    await running?.stop('link refreshed');
    const next = this.#book.apply(id, { kind: 'url', url: check.url.href });
    // A link that had stopped working failed the download: the fresh one continues it.
    if (next?.status === 'failed') this.#book.apply(id, { kind: 'status', status: 'queued' });
    else if (next?.status === 'downloading' && !this.#tasks.has(id)) this.#startTask(id);
    this.#pump();
    return this.require(id);
  }

  /** What Haul has learnt about hosts that refuse extra connections. */
  hostLimits(): HostLimit[] {
    return this.#hosts.list();
  }

  /** Forgets a host's learnt ceiling; NOT_FOUND when there is none. */
  resetHostLimit(host: string): void {
    if (!this.#hosts.reset(host)) throw new HaulError('NOT_FOUND', `Haul has learnt no connection limit for "${host.slice(0, 100)}".`);
  }

  pause(id: string): Download {
    const rec = this.#book.require(id);
    switch (rec.status) {
      case 'paused':
        break;
      case 'queued':
      case 'downloading':
        this.#book.apply(id, { kind: 'status', status: 'paused' });
        void this.#tasks.get(id)?.stop('paused');
        break;
      case 'completed':
      case 'failed':
        throw new StateError(`This download is ${rec.status}; only queued or running downloads can be paused.`);
      default:
        assertNever(rec.status, 'download status');
    }
    return this.require(id);
  }

  /** Resumes a paused download, or retries a failed one. */
  resume(id: string): Download {
    const rec = this.#book.require(id);
    switch (rec.status) {
      case 'queued':
      case 'downloading':
        break;
      case 'paused':
      case 'failed':
        this.#book.apply(id, { kind: 'status', status: 'queued' });
        this.#pump();
        break;
      case 'completed':
        throw new StateError('This download is already complete; add it again to download it anew.');
      default:
        assertNever(rec.status, 'download status');
    }
    return this.require(id);
  }

  /** Stops and forgets a download; its partial file is deleted, and with `deleteFile` the finished file too. */
  async remove(id: string, opts: { deleteFile?: boolean } = {}): Promise<void> {
    const rec = this.#book.require(id);
    this.#book.remove(id);
    await this.#tasks.get(id)?.stop('removed');
    if (rec.filenameFixed) {
      await fs.rm(partPath(rec), { force: true });
      if (opts.deleteFile === true && rec.status === 'completed') await fs.rm(finalPath(rec), { force: true });
    }
    this.#published.delete(id);
    this.#lastProgress.delete(id);
    this.emit('removed', { id });
    this.#pump();
  }

  /** Pauses every queued or running download; returns how many were paused. */
  pauseAll(): number {
    return this.#each((rec) => rec.status === 'queued' || rec.status === 'downloading', (rec) => this.pause(rec.id));
  }

  /** Resumes every paused download and retries every failed one; returns how many. */
  resumeAll(): number {
    return this.#each((rec) => rec.status === 'paused' || rec.status === 'failed', (rec) => this.resume(rec.id));
  }

  /** Removes completed downloads from the list (their files stay); returns how many. */
  async clearCompleted(): Promise<number> {
    const done = this.#book.all().filter((rec) => rec.status === 'completed');
    for (const rec of done) await this.remove(rec.id);
    return done.length;
  }

  #each(match: (rec: Readonly<DownloadRecord>) => boolean, act: (rec: Readonly<DownloadRecord>) => unknown): number {
    const chosen = this.#book.all().filter(match);
    for (const rec of chosen) act(rec);
    return chosen.length;
  }

  /** Validates and applies a partial settings change; limits take effect at once. */
  updateSettings(patch: unknown): Settings {
    this.#settings = parseSettingsPatch(patch, this.#settings);
    this.#store.saveSettings(this.#settings);
    this.#globalLimiter.setRate(this.#settings.speedLimit);
    this.emit('settings', this.settings);
    this.#pump();
    return this.settings;
  }

  /** Stops every transfer with its progress checkpointed. Running downloads stay "downloading" so they resume on the next start. */
  async shutdown(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopTicker?.();
    await Promise.all([...this.#tasks.values()].map((task) => task.stop('shutdown')));
    this.#book.flush();
    if (this.#ownsTransport) await this.#transport.close();
  }

  #pump(): void {
    if (this.#closed) return;
    let running = this.#tasks.size;
    if (running >= this.#settings.maxConcurrent) return;
    const queued = this.#book.all().filter((rec) => rec.status === 'queued' && !this.#tasks.has(rec.id)).sort((a, b) => a.seq - b.seq);
    for (const rec of queued) {
      if (running >= this.#settings.maxConcurrent) break;
      this.#startTask(rec.id);
      running += 1;
    }
  }

  #startTask(id: string): void {
    const rec = this.#book.apply(id, { kind: 'status', status: 'downloading' });
    if (rec === undefined) return;
    const limiters = [this.#globalLimiter];
    if (rec.speedLimit > 0) limiters.push(new RateLimiter(this.#clock, rec.speedLimit));
    const task = new HttpSource(id, {
      transport: this.#transport,
      clock: this.#clock,
      random: this.#random,
      book: this.#book,
      hosts: this.#hosts,
      retry: this.#retry,
      checkpointIntervalMs: this.#checkpointIntervalMs,
      segments: this.#segments,
      maxConnections: () => this.#book.get(id)?.connections || this.#settings.connectionsPerDownload,
      limiters,
      loopBusy: this.#loopBusy,
      onLiveChange: () => this.#publish(id),
    });
    this.#tasks.set(id, task);
    this.#publish(id);
    void task.start().then((outcome) => this.#onTaskEnd(id, task, outcome));
  }

  #onTaskEnd(id: string, task: DownloadSource, outcome: TaskOutcome): void {
    if (this.#tasks.get(id) === task) this.#tasks.delete(id);
    const rec = this.#book.get(id);
    if (rec === undefined || this.#closed) return;
    switch (outcome.kind) {
      case 'completed':
        this.#book.apply(id, { kind: 'status', status: 'completed' });
        break;
      case 'failed':
        // A pause that raced with the failure wins: the user asked to stop, not to see an error.
        if (rec.status === 'downloading') this.#book.apply(id, { kind: 'status', status: 'failed', error: outcome.error.toWire() });
        break;
      case 'stopped':
        this.#publish(id);
        break;
      default:
        assertNever(outcome, 'task outcome');
    }
    this.#pump();
  }

  /** Emits progress for running downloads whose numbers moved since the last tick. */
  #tick(): void {
    const now = this.#clock.now();
    const items: ProgressItem[] = [];
    for (const [id, task] of this.#tasks) {
      const rec = this.#book.get(id);
      if (rec?.status !== 'downloading') continue;
      task.sampleSpeed(now);
      const live = task.live();
      const item: ProgressItem = { id, received: live.received, total: rec.total, speed: live.speed, connections: live.connections };
      const key = `${item.received}/${item.total}/${item.speed}/${item.connections}`;
      if (this.#lastProgress.get(id) === key) continue;
      this.#lastProgress.set(id, key);
      items.push(item);
    }
    if (items.length > 0) this.emit('progress', items);
  }

  #view(rec: Readonly<DownloadRecord>): Download {
    return toDownload(rec, this.#tasks.get(rec.id)?.live());
  }

  #publish(id: string): void {
    const rec = this.#book.get(id);
    if (rec === undefined) return;
    const next = this.#view(rec);
    const prev = this.#published.get(id);
    this.#published.set(id, next);
    const patch = prev === undefined ? undefined : diffDownload(prev, next);
    if (patch !== undefined) this.emit('updated', patch);
  }

  #assertOpen(): void {
    if (this.#closed) throw new HaulError('INTERNAL', 'Haul is shutting down; add the download again after it restarts.');
  }
}
