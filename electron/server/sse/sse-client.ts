import type { ServerResponse } from 'node:http';
import type { ProgressItem } from '../../../shared/api.ts';
import type { Clock } from '../../engine/clock.ts';
import { encodeEvent, PING } from './sse-format.ts';

export interface SseClientOptions {
  clock: Clock;
  /** A `: ping` goes out once nothing was written for half of this (checked every half: 7.5–15 s of silence by default). Default 15 000 ms. */
  pingIntervalMs: number;
  /** Bytes a client may have queued (unread) before it is disconnected. Default 8 MiB. */
  maxBacklogBytes: number;
}

/**
 * One open event stream. Writes go straight to the socket while it keeps up; when it does
 * not, state events queue (never dropped while connected) and progress collapses to the
 * latest values per download. A backlog past `maxBacklogBytes` ends the connection: the
 * client reconnects and gets a snapshot, and nothing here grows without bound.
 */
export class SseClient {
  readonly #res: ServerResponse;
  readonly #opts: SseClientOptions;
  readonly #queue: Array<string | Buffer> = [];
  #queuedBytes = 0;
  #blocked = false;
  #closed = false;
  /** Progress merged while blocked, with the id of the newest event it covers. */
  #progress = new Map<string, ProgressItem>();
  #progressId = 0;
  #lastWrite: number;
  readonly #stopPing: () => void;
  readonly #onClose: () => void;

  /** `onClose` is called once, when the connection ends (either side). */
  constructor(res: ServerResponse, opts: SseClientOptions, onClose: () => void) {
    this.#res = res;
    this.#opts = opts;
    this.#onClose = onClose;
    this.#lastWrite = opts.clock.now();
    res.on('drain', () => this.#drain());
    res.on('close', () => this.#teardown());
    const half = Math.max(1, Math.floor(opts.pingIntervalMs / 2));
    this.#stopPing = opts.clock.setInterval(() => {
      if (!this.#blocked && opts.clock.now() - this.#lastWrite >= half) this.#write(PING);
    }, half);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** True while the socket is behind and this client keeps its own backlog. */
  get lagging(): boolean {
    return this.#blocked || this.#progress.size > 0;
  }

  /** Writes a pre-encoded event (a Buffer shared by every client) or text (the stream's preamble). */
  send(text: string | Buffer): void {
    this.#write(text);
  }

  /** Merges progress for a lagging client; it goes out as one event once the socket drains. */
  mergeProgress(id: number, items: readonly ProgressItem[]): void {
    for (const item of items) this.#progress.set(item.id, item);
    this.#progressId = id;
    if (!this.#blocked) this.flushProgress();
  }

  /** Forgets pending progress for a removed download. */
  dropProgress(downloadId: string): void {
    this.#progress.delete(downloadId);
  }

  /**
   * Sends merged progress now, if any (called before a state event to keep ids in order): to the
   * socket, or behind what is queued while it is behind. Held back past the state event, it
   * arrived after it with an older id, and a reducer that had seen the download pause dropped
   * it: the client kept bytes from before the last progress.
   */
  flushProgress(): void {
    if (this.#progress.size === 0) return;
    const items = [...this.#progress.values()];
    this.#progress.clear();
    this.#write(encodeEvent(this.#progressId, 'progress', { items }));
  }

  close(): void {
    if (this.#closed) return;
    this.#res.end();
    this.#teardown();
  }

  #write(text: string | Buffer): void {
    if (this.#closed) return;
    if (this.#blocked) {
      this.#queue.push(text);
      this.#queuedBytes += text.length;
      if (this.#queuedBytes + this.#res.writableLength > this.#opts.maxBacklogBytes) this.#disconnect();
      return;
    }
    this.#lastWrite = this.#opts.clock.now();
    if (!this.#res.write(text)) this.#blocked = true;
  }

  #drain(): void {
    this.#blocked = false;
    while (this.#queue.length > 0 && !this.#blocked) {
      const text = this.#queue.shift() ?? '';
      this.#queuedBytes -= text.length;
      this.#lastWrite = this.#opts.clock.now();
      if (!this.#res.write(text)) this.#blocked = true;
    }
    if (!this.#blocked) this.flushProgress();
  }

  /** Too far behind: drop the connection; the client's reconnect brings a snapshot. */
  #disconnect(): void {
    this.#res.destroy();
    this.#teardown();
  }

  #teardown(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopPing();
    this.#queue.length = 0;
    this.#queuedBytes = 0;
    this.#progress.clear();
    this.#onClose();
  }
}
