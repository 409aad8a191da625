import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import type { Download, DownloadPatch, ProgressItem, Settings } from '../../shared/api.ts';
import { assertNever } from '../../shared/assert-never.ts';
import { systemClock, type Clock, type Random } from './clock.ts';
import { diffDownload } from './download-patch.ts';
import { DEFAULT_SEGMENTS, DownloadTask, type SegmentOptions, type TaskOutcome } from './download-task.ts';
import { HaulError, StateError } from './errors.ts';
import { FALLBACK_FILENAME, filenameFromUrl, sanitizeFilename, uniqueFilename } from './filename.ts';
import { createTransport, type Transport, type TransportOptions } from './http/transport.ts';
import { RateLimiter } from './rate-limiter.ts';
import { finalPath, PART_SUFFIX, partPath, toDownload, type DownloadRecord } from './record.ts';
import { DEFAULT_RETRY, type RetryOptions } from './retry.ts';
import type { DownloadStore } from './store/download-store.ts';
import { parseAddRequest, parseSettingsPatch, type NewDownload } from './validate.ts';

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
  readonly #records = new Map<string, DownloadRecord>();
  readonly #tasks = new Map<string, DownloadTask>();
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
  }

  /** Loads every stored download; the ones that were running resume first, then the queue. */
  start(): void {
    const running: DownloadRecord[] = [];
    for (const rec of this.#store.loadDownloads()) {
      this.#records.set(rec.id, rec);
      this.#published.set(rec.id, toDownload(rec));
      if (rec.status === 'downloading') running.push(rec);
    }
    for (const rec of running.slice(this.#settings.maxConcurrent)) rec.status = 'queued';
    for (const rec of running.slice(0, this.#settings.maxConcurrent)) this.#startTask(rec);
    this.#pump();
    this.#stopTicker = this.#clock.setInterval(() => this.#tick(), this.#progressIntervalMs);
  }

  get settings(): Settings {
    return { ...this.#settings };
  }

  list(): Download[] {
    return [...this.#records.values()].map((rec) => this.#view(rec));
  }

  get(id: string): Download | undefined {
    const rec = this.#records.get(id);
    return rec === undefined ? undefined : this.#view(rec);
  }

  /** Like `get`, but an unknown id is a NOT_FOUND error. */
  require(id: string): Download {
    return this.#view(this.#require(id));
  }

  /** Validates and queues downloads (see parseAddRequest); nothing is created if any part is invalid. */
  add(request: unknown): Download[] {
    this.#assertOpen();
    const created = parseAddRequest(request).map((item) => this.#create(item));
    this.#pump();
    return created.map((rec) => this.#view(rec));
  }

  pause(id: string): Download {
    const rec = this.#require(id);
    switch (rec.status) {
      case 'paused':
        break;
      case 'queued':
      case 'downloading':
        rec.status = 'paused';
        this.#save(rec);
        void this.#tasks.get(id)?.stop('paused');
        break;
      case 'completed':
      case 'failed':
        throw new StateError(`This download is ${rec.status}; only queued or running downloads can be paused.`);
      default:
        assertNever(rec.status, 'download status');
    }
    return this.#view(rec);
  }

  /** Resumes a paused download, or retries a failed one. */
  resume(id: string): Download {
    const rec = this.#require(id);
    switch (rec.status) {
      case 'queued':
      case 'downloading':
        break;
      case 'paused':
      case 'failed':
        rec.status = 'queued';
        rec.error = undefined;
        this.#save(rec);
        this.#pump();
        break;
      case 'completed':
        throw new StateError('This download is already complete; add it again to download it anew.');
      default:
        assertNever(rec.status, 'download status');
    }
    return this.#view(rec);
  }

  /** Stops and forgets a download; its partial file is deleted, and with `deleteFile` the finished file too. */
  async remove(id: string, opts: { deleteFile?: boolean } = {}): Promise<void> {
    const rec = this.#require(id);
    this.#records.delete(id);
    await this.#tasks.get(id)?.stop('removed');
    if (rec.filenameFixed) {
      await fs.promises.rm(partPath(rec), { force: true });
      if (opts.deleteFile === true && rec.status === 'completed') await fs.promises.rm(finalPath(rec), { force: true });
    }
    this.#store.deleteDownload(id);
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
    const done = [...this.#records.values()].filter((rec) => rec.status === 'completed');
    for (const rec of done) await this.remove(rec.id);
    return done.length;
  }

  #each(match: (rec: DownloadRecord) => boolean, act: (rec: DownloadRecord) => unknown): number {
    const chosen = [...this.#records.values()].filter(match);
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
    for (const rec of this.#records.values()) this.#store.saveDownload(rec);
    if (this.#ownsTransport) await this.#transport.close();
  }

  #create(item: NewDownload): DownloadRecord {
    const dir = item.dir ?? this.#settings.downloadDir;
    const id = this.#newId();
    const requested = item.filename !== undefined;
    const provisional = sanitizeFilename(item.filename ?? filenameFromUrl(new URL(item.url)) ?? FALLBACK_FILENAME);
    const rec: DownloadRecord = {
      id,
      url: item.url,
      dir,
      // A name the user chose is reserved now; otherwise the server's answer decides it later.
      filename: requested ? uniqueFilename(provisional, (name) => this.#isNameTaken(dir, name, id)) : provisional,
      filenameFixed: requested,
      filenameRequested: requested,
      status: item.paused ? 'paused' : 'queued',
      received: 0,
      total: null,
      resumable: false,
      createdAt: new Date(this.#clock.now()).toISOString(),
      headers: item.headers,
      connections: item.connections,
      speedLimit: item.speedLimit,
      seq: this.#store.nextSequence('download'),
      ...(item.checksum === undefined ? {} : { checksum: item.checksum }),
    };
    this.#records.set(id, rec);
    this.#store.saveDownload(rec);
    const view = toDownload(rec);
    this.#published.set(id, view);
    this.emit('added', view);
    return rec;
  }

  #pump(): void {
    if (this.#closed) return;
    let running = this.#tasks.size;
    if (running >= this.#settings.maxConcurrent) return;
    const queued = [...this.#records.values()].filter((rec) => rec.status === 'queued' && !this.#tasks.has(rec.id)).sort((a, b) => a.seq - b.seq);
    for (const rec of queued) {
      if (running >= this.#settings.maxConcurrent) break;
      this.#startTask(rec);
      running += 1;
    }
  }

  #startTask(rec: DownloadRecord): void {
    rec.status = 'downloading';
    rec.error = undefined;
    const limiters = [this.#globalLimiter];
    if (rec.speedLimit > 0) limiters.push(new RateLimiter(this.#clock, rec.speedLimit));
    const task = new DownloadTask(rec, {
      transport: this.#transport,
      clock: this.#clock,
      random: this.#random,
      store: this.#store,
      retry: this.#retry,
      checkpointIntervalMs: this.#checkpointIntervalMs,
      segments: this.#segments,
      maxConnections: () => rec.connections || this.#settings.connectionsPerDownload,
      limiters,
      isNameTaken: (dir, name, selfId) => this.#isNameTaken(dir, name, selfId),
      onChange: () => this.#publish(rec),
    });
    this.#tasks.set(rec.id, task);
    this.#save(rec);
    void task.start().then((outcome) => this.#onTaskEnd(rec, task, outcome));
  }

  #onTaskEnd(rec: DownloadRecord, task: DownloadTask, outcome: TaskOutcome): void {
    if (this.#tasks.get(rec.id) === task) this.#tasks.delete(rec.id);
    if (!this.#records.has(rec.id) || this.#closed) return;
    switch (outcome.kind) {
      case 'completed':
        rec.status = 'completed';
        rec.completedAt = new Date(this.#clock.now()).toISOString();
        break;
      case 'failed':
        // A pause that raced with the failure wins: the user asked to stop, not to see an error.
        if (rec.status === 'downloading') {
          rec.status = 'failed';
          rec.error = outcome.error.toWire();
        }
        break;
      case 'stopped':
        break;
      default:
        assertNever(outcome, 'task outcome');
    }
    this.#save(rec);
    this.#pump();
  }

  /** Emits progress for running downloads whose numbers moved since the last tick. */
  #tick(): void {
    const now = this.#clock.now();
    const items: ProgressItem[] = [];
    for (const [id, task] of this.#tasks) {
      if (task.rec.status !== 'downloading') continue;
      task.speed.sample(task.written, now);
      const item: ProgressItem = { id, received: task.written, total: task.rec.total, speed: task.speed.speed, connections: task.connections };
      const key = `${item.received}/${item.total}/${item.speed}/${item.connections}`;
      if (this.#lastProgress.get(id) === key) continue;
      this.#lastProgress.set(id, key);
      items.push(item);
    }
    if (items.length > 0) this.emit('progress', items);
  }

  #view(rec: DownloadRecord): Download {
    const task = this.#tasks.get(rec.id);
    return toDownload(rec, task === undefined ? undefined : { received: task.written, speed: task.speed.speed, connections: task.connections, retry: task.retry });
  }

  #save(rec: DownloadRecord): void {
    this.#store.saveDownload(rec);
    this.#publish(rec);
  }

  #publish(rec: DownloadRecord): void {
    const next = this.#view(rec);
    const prev = this.#published.get(rec.id);
    this.#published.set(rec.id, next);
    const patch = prev === undefined ? undefined : diffDownload(prev, next);
    if (patch !== undefined) this.emit('updated', patch);
  }

  #isNameTaken(dir: string, name: string, selfId: string): boolean {
    for (const other of this.#records.values()) {
      if (other.id !== selfId && other.filenameFixed && other.dir === dir && other.filename === name) return true;
    }
    return fs.existsSync(path.join(dir, name)) || fs.existsSync(path.join(dir, `${name}${PART_SUFFIX}`));
  }

  #require(id: string): DownloadRecord {
    const rec = this.#records.get(id);
    if (rec === undefined) throw new HaulError('NOT_FOUND', `No download has the id "${id.slice(0, 100)}"; it may have been removed.`);
    return rec;
  }

  #assertOpen(): void {
    if (this.#closed) throw new HaulError('INTERNAL', 'Haul is shutting down; add the download again after it restarts.');
  }
}
