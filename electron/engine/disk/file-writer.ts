import fs from 'node:fs';
import { BufferPool } from './buffer-pool.ts';
import { fileErrorFrom } from './file-errors.ts';
import type { FileError } from '../errors.ts';
import { UNFENCED, type WriteFence } from '../records/record-journal.ts';

export interface FileWriterOptions {
  /** Where buffers come from and go back to (shared by a download's writers). Default: the writer's own, of 256 KiB buffers. */
  pool?: BufferPool;
  /**
   * Buffers filled before `write` asks the caller to pause. Default 16 (up to 4 MiB per writer,
   * allocated only while the disk lags): enough to ride out the kernel's writeback stalls.
   */
  buffers?: number;
  /** Called after each completed write with the number of bytes now on disk from this writer. */
  onWritten?: (bytes: number) => void;
  /** Called once, with the first write error (the caller should stop the transfer). */
  onError?: (error: FileError) => void;
  /**
   * Checked before bytes are accepted and before each write to the file: once fenced they are
   * dropped (another node took the download over; the run stops on the journal's word). Default: none.
   */
  fence?: WriteFence;
}

/**
 * Writes a stream of chunks to consecutive offsets of an open file, allocation-free in steady
 * state: each chunk is copied into one of a few reusable buffers (so callers may hand in a
 * socket's read buffer and reuse it at once), and a buffer goes to disk as soon as the disk is
 * idle. While one write is in flight the others fill, so a fast network turns into few,
 * large writes, and a writer holds at most `buffers` of its pool's buffers at once.
 */
export class FileWriter {
  readonly #fd: number;
  #position: number;
  readonly #pool: BufferPool;
  readonly #maxBuffers: number;
  /** Filled (or partly filled) buffers waiting for the disk, oldest first, with their lengths. */
  readonly #pending: Array<{ buf: Buffer; length: number }> = [];
  #current: Buffer | undefined;
  #fill = 0;
  /** Buffers taken from the pool: pending, in flight and current. */
  #owned = 0;
  #writing = false;
  #needDrain = false;
  #error: FileError | undefined;
  #idleWaiters: Array<() => void> = [];
  readonly #onWritten: ((bytes: number) => void) | undefined;
  readonly #onError: ((error: FileError) => void) | undefined;
  readonly #fence: WriteFence;
  readonly #drainListeners = new Set<() => void>();

  constructor(fd: number, position: number, opts: FileWriterOptions = {}) {
    this.#fd = fd;
    this.#position = position;
    this.#maxBuffers = Math.max(2, opts.buffers ?? 16);
    this.#pool = opts.pool ?? new BufferPool(256 * 1024, this.#maxBuffers);
    this.#onWritten = opts.onWritten;
    this.#onError = opts.onError;
    this.#fence = opts.fence ?? UNFENCED;
  }

  /** Calls `listener` whenever buffers are free again after `write` returned false. Returns the disposer. */
  onDrained(listener: () => void): () => void {
    this.#drainListeners.add(listener);
    return () => this.#drainListeners.delete(listener);
  }

  /** The first write error, if any; later writes are dropped. */
  get error(): FileError | undefined {
    return this.#error;
  }

  /**
   * Copies `chunk` (the caller may reuse it as soon as this returns). Returns false when the
   * caller should pause until it is drained (onDrained); the chunk is accepted either way.
   */
  write(chunk: Uint8Array): boolean {
    if (this.#error !== undefined) return false;
    if (this.#fence.check() === 'fenced') return true;
    let offset = 0;
    while (offset < chunk.length) {
      const current = this.#current ?? this.#takeBuffer();
      const n = Math.min(chunk.length - offset, current.length - this.#fill);
      current.set(chunk.subarray(offset, offset + n), this.#fill);
      this.#fill += n;
      offset += n;
      if (this.#fill === current.length) this.#seal();
    }
    if (!this.#writing) this.#flush();
    if (this.#available() === 0) {
      this.#needDrain = true;
      return false;
    }
    return true;
  }

  /** Buffers that could still be filled without going over budget. */
  #available(): number {
    return Math.max(0, this.#maxBuffers - this.#owned);
  }

  /** Resolves when everything accepted is on disk (not necessarily flushed); rejects with the write error. */
  idle(): Promise<void> {
    if (!this.#writing && this.#fill === 0) return this.#error === undefined ? Promise.resolve() : Promise.reject(this.#error);
    return new Promise<void>((resolve, reject) => {
      this.#idleWaiters.push(() => (this.#error === undefined ? resolve() : reject(this.#error)));
    });
  }

  #takeBuffer(): Buffer {
    // Past the budget a buffer is still taken: the caller was told to pause, and a chunk
    // already read must not be lost.
    const buf = this.#pool.take();
    this.#owned += 1;
    this.#current = buf;
    this.#fill = 0;
    return buf;
  }

  #seal(): void {
    if (this.#current === undefined || this.#fill === 0) return;
    this.#pending.push({ buf: this.#current, length: this.#fill });
    this.#current = undefined;
    this.#fill = 0;
  }

  #flush(): void {
    // One write at a time: offsets advance when a write completes, so a second one in
    // flight would land on the same bytes.
    if (this.#writing) return;
    if (this.#pending.length === 0) this.#seal();
    if (this.#pending.length === 0) {
      this.#settleIdle();
      return;
    }
    const batch = this.#pending.splice(0, this.#pending.length);
    if (this.#fence.check() === 'fenced') {
      this.#recycle(batch.map((p) => p.buf));
      this.#settleIdle();
      return;
    }
    this.#writing = true;
    this.#writeAll(
      batch.map((p) => p.buf.subarray(0, p.length)),
      () => {
        this.#recycle(batch.map((p) => p.buf));
        this.#writing = false;
        this.#afterWrite();
      },
    );
  }

  /** Writes `views` at the current position; a short write (legal, if rare) goes on with the rest. */
  #writeAll(views: Buffer[], done: () => void): void {
    const bytes = views.reduce((n, v) => n + v.length, 0);
    fs.writev(this.#fd, views, this.#position, (error, written) => {
      if (error !== null) {
        this.#fail(fileErrorFrom(error, 'write the download'));
        return;
      }
      this.#position += written;
      this.#onWritten?.(written);
      if (written >= bytes) {
        done();
        return;
      }
      let skip = written;
      const rest: Buffer[] = [];
      for (const view of views) {
        if (skip >= view.length) skip -= view.length;
        else {
          rest.push(view.subarray(skip));
          skip = 0;
        }
      }
      this.#writeAll(rest, done);
    });
  }

  #recycle(buffers: Buffer[]): void {
    for (const buf of buffers) {
      this.#owned -= 1;
      this.#pool.give(buf);
    }
  }

  #afterWrite(): void {
    if (this.#pending.length > 0 || this.#fill > 0) this.#flush();
    else this.#settleIdle();
    // Last: a drain listener may resume a connection that writes again synchronously.
    if (this.#needDrain && this.#available() > 0) {
      this.#needDrain = false;
      for (const listener of this.#drainListeners) listener();
    }
  }

  #settleIdle(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w();
  }

  #fail(error: FileError): void {
    this.#error = error;
    this.#pending.length = 0;
    this.#current = undefined;
    this.#fill = 0;
    this.#writing = false;
    this.#settleIdle();
    this.#onError?.(error);
  }
}
