import { Worker } from 'node:worker_threads';
import type { PeerView } from '../../../shared/torrent.ts';
import type { AddTorrent, ClientConfig, FromWorker, TorrentLimits, TorrentStatus, ToWorker } from './torrent-protocol.ts';

/** What one torrent's owner is told by the worker. */
export interface TorrentEvents {
  metadata(torrentFile: Uint8Array, stored: string[]): void;
  status(status: TorrentStatus): void;
  done(): void;
  failed(message: string): void;
  note(message: string): void;
}

/** The worker's file beside this module: the TypeScript source when run from sources, the bundled .mjs in a build. */
export function torrentWorkerFile(moduleUrl: string): URL {
  const url = new URL(moduleUrl.endsWith('.ts') ? './torrent-worker.ts' : './torrent-worker.mjs', moduleUrl);
  return new URL(url.href.replace('/app.asar/', '/app.asar.unpacked/'));
}

/** Restarts of a worker that died, within RESTART_WINDOW_MS, before its torrents are failed instead. */
const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 60_000;

/** The longest a question to the worker waits (flushing a large torrent's files takes a few seconds at most). */
const ANSWER_MS = 60_000;

/** Client options that need a new client (a new port, discovery switched); the rest change live. */
const CLIENT_WIDE: ReadonlyArray<keyof ClientConfig> = ['port', 'trackers', 'dht', 'pex', 'lsd', 'maxPeers'];

/**
 * The torrent worker's supervisor, the one owner of the thread and of every promise it answers:
 * started with the first torrent, restarted (its torrents added again, from the pieces last
 * flushed) when it dies or its client-wide options change, ended when no torrent is left.
 */
export class TorrentHost {
  readonly #config: () => ClientConfig;
  readonly #now: () => number;
  #worker: Worker | undefined;
  #running: ClientConfig | undefined;
  readonly #jobs = new Map<string, { job: AddTorrent; events: TorrentEvents }>();
  readonly #waiting = new Map<string, (message: FromWorker | undefined) => void>();
  #seq = 0;
  #restarts: number[] = [];

  constructor(opts: { config: () => ClientConfig; now: () => number }) {
    this.#config = opts.config;
    this.#now = opts.now;
  }

  /** Hands a torrent to the worker; its events go to `events` until it is removed. */
  add(job: AddTorrent, events: TorrentEvents): void {
    this.#jobs.set(job.key, { job, events });
    this.#post({ kind: 'add', torrent: job });
  }

  /** A torrent's own limits changed: they hold at once (and after a restart of the worker). */
  limits(key: string, limits: TorrentLimits): void {
    const entry = this.#jobs.get(key);
    if (entry === undefined) return;
    entry.job = { ...entry.job, limits };
    this.#worker?.postMessage({ kind: 'limits', key, limits } satisfies ToWorker);
  }

  /** Takes a torrent out of the swarm; resolves once its files are closed. */
  async remove(key: string): Promise<void> {
    if (!this.#jobs.delete(key) || this.#worker === undefined) return;
    await this.#ask(`removed:${key}`, { kind: 'remove', key });
    if (this.#jobs.size === 0) await this.close();
  }

  /** Flushes a torrent's files: the pieces on disk since, and their bytes. Later adds after a restart trust these. */
  async checkpoint(key: string): Promise<{ have: Uint8Array; received: number } | undefined> {
    if (!this.#jobs.has(key)) return undefined;
    const seq = ++this.#seq;
    const answer = await this.#ask(`checkpointed:${key}:${seq}`, { kind: 'checkpoint', key, seq });
    if (answer?.kind !== 'checkpointed') return undefined;
    const entry = this.#jobs.get(key);
    if (entry !== undefined) entry.job = { ...entry.job, have: answer.have };
    return { have: answer.have, received: answer.received };
  }

  async peers(key: string): Promise<PeerView[]> {
    if (!this.#jobs.has(key)) return [];
    const seq = ++this.#seq;
    const answer = await this.#ask(`peers:${key}:${seq}`, { kind: 'peers', key, seq });
    return answer?.kind === 'peers' ? answer.peers : [];
  }

  /** Settings changed: limits apply at once; a new port or discovery switch restarts the client with its torrents. */
  reconfigure(): void {
    if (this.#worker === undefined || this.#running === undefined) return;
    const next = this.#config();
    const running = this.#running;
    if (CLIENT_WIDE.some((key) => next[key] !== running[key])) this.#restart();
    else {
      this.#running = next;
      this.#worker.postMessage({ kind: 'configure', config: next } satisfies ToWorker);
    }
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    this.#running = undefined;
    this.#answerAll();
    await worker?.terminate();
  }

  #post(message: ToWorker): void {
    (this.#worker ?? this.#start()).postMessage(message);
  }

  /** Posts `message` and waits for the answer named `key` (undefined if the worker ends first, or does not answer in time). */
  #ask(key: string, message: ToWorker): Promise<FromWorker | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.#answer(key, undefined), ANSWER_MS);
      timer.unref();
      this.#waiting.set(key, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      this.#post(message);
    });
  }

  #start(): Worker {
    const worker = new Worker(torrentWorkerFile(import.meta.url));
    this.#worker = worker;
    this.#running = this.#config();
    worker.postMessage({ kind: 'configure', config: this.#running } satisfies ToWorker);
    worker.on('message', (message: FromWorker) => this.#receive(message));
    worker.on('error', (error) => this.#died(worker, error.message));
    worker.on('exit', (code) => this.#died(worker, `it stopped (exit ${code})`));
    return worker;
  }

  #receive(message: FromWorker): void {
    switch (message.kind) {
      case 'listening':
        // Settings show the port asked for; the one taken (port 0: any) is the client's to announce.
        return;
      case 'client-failed':
        for (const { events } of this.#jobs.values()) events.failed(`The torrent client stopped: ${message.message}.`);
        return;
      case 'status':
        for (const item of message.items) this.#jobs.get(item.key)?.events.status(item);
        return;
      case 'metadata':
        this.#jobs.get(message.key)?.events.metadata(message.torrentFile, message.stored);
        return;
      case 'done':
        this.#jobs.get(message.key)?.events.done();
        return;
      case 'failed':
        this.#jobs.get(message.key)?.events.failed(message.message);
        return;
      case 'note':
        this.#jobs.get(message.key)?.events.note(message.message);
        return;
      case 'removed':
        this.#answer(`removed:${message.key}`, message);
        return;
      case 'checkpointed':
        this.#answer(`checkpointed:${message.key}:${message.seq}`, message);
        return;
      case 'peers':
        this.#answer(`peers:${message.key}:${message.seq}`, message);
        return;
    }
  }

  #answer(key: string, message: FromWorker | undefined): void {
    const resolve = this.#waiting.get(key);
    this.#waiting.delete(key);
    resolve?.(message);
  }

  #answerAll(): void {
    for (const key of [...this.#waiting.keys()]) this.#answer(key, undefined);
  }

  /** The worker ended on its own: started again with its torrents, a few times a minute at most. */
  #died(worker: Worker, why: string): void {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    this.#answerAll();
    const now = this.#now();
    this.#restarts = [...this.#restarts.filter((t) => now - t < RESTART_WINDOW_MS), now];
    if (this.#restarts.length > MAX_RESTARTS) {
      for (const { events } of this.#jobs.values()) events.failed(`The torrent client kept stopping (${why}).`);
      this.#jobs.clear();
      return;
    }
    this.#readd();
  }

  #restart(): void {
    const worker = this.#worker;
    this.#worker = undefined;
    this.#answerAll();
    void worker?.terminate();
    this.#readd();
  }

  #readd(): void {
    for (const { job } of this.#jobs.values()) this.#post({ kind: 'add', torrent: job });
  }
}
