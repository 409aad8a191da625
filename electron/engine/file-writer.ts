import fs from 'node:fs';
import { fileErrorFrom } from './file-errors.ts';
import type { FileError } from './errors.ts';

export interface FileWriterOptions {
  /** Bytes queued before `write` asks the caller to pause. Default 4 MiB. */
  highWaterMark?: number;
  /** Called after each completed write with the number of bytes now on disk from this writer. */
  onWritten?: (bytes: number) => void;
  /** Called once, with the first write error (the caller should stop the transfer). */
  onError?: (error: FileError) => void;
}

/**
 * Writes a stream of chunks to consecutive offsets of an open file. While one write is in
 * flight, new chunks queue and go out together in the next `writev`, so a fast network
 * turns into few, large writes; queued bytes are bounded by the high-water mark.
 */
export class FileWriter {
  #fd: number;
  #position: number;
  #queue: Buffer[] = [];
  #queued = 0;
  #writing = false;
  #error: FileError | undefined;
  #idleWaiters: Array<() => void> = [];
  #highWaterMark: number;
  #onWritten: ((bytes: number) => void) | undefined;
  #onError: ((error: FileError) => void) | undefined;
  /** Called once the queue drains below the high-water mark after `write` returned false. */
  onDrain: (() => void) | undefined;
  #needDrain = false;

  constructor(fd: number, position: number, opts: FileWriterOptions = {}) {
    this.#fd = fd;
    this.#position = position;
    this.#highWaterMark = opts.highWaterMark ?? 4 * 1024 * 1024;
    this.#onWritten = opts.onWritten;
    this.#onError = opts.onError;
  }

  /** Offset the next queued byte goes to, once everything queued is written. */
  get position(): number {
    return this.#position + this.#queued;
  }

  /** The first write error, if any; later writes are dropped. */
  get error(): FileError | undefined {
    return this.#error;
  }

  /** Queues `chunk`. Returns false when the caller should pause until `onDrain`. */
  write(chunk: Buffer): boolean {
    if (this.#error !== undefined) return false;
    this.#queue.push(chunk);
    this.#queued += chunk.length;
    if (!this.#writing) this.#flush();
    if (this.#queued >= this.#highWaterMark) {
      this.#needDrain = true;
      return false;
    }
    return true;
  }

  /** Resolves when nothing is queued or in flight; rejects with the write error, if any. */
  idle(): Promise<void> {
    if (!this.#writing) return this.#error === undefined ? Promise.resolve() : Promise.reject(this.#error);
    return new Promise<void>((resolve, reject) => {
      this.#idleWaiters.push(() => (this.#error === undefined ? resolve() : reject(this.#error)));
    });
  }

  #flush(): void {
    const buffers = this.#queue;
    const bytes = this.#queued;
    this.#queue = [];
    this.#queued = 0;
    this.#writing = true;
    const position = this.#position;
    this.#position += bytes;
    fs.writev(this.#fd, buffers, position, (error, written) => {
      if (error !== null) return this.#fail(fileErrorFrom(error, 'write the download'));
      if (written < bytes) {
        // Short writes are rare on regular files but legal; put the rest back in front.
        this.#position -= bytes - written;
        this.#requeueRemainder(buffers, written);
      }
      this.#onWritten?.(written);
      this.#afterWrite();
    });
  }

  #requeueRemainder(buffers: Buffer[], written: number): void {
    const rest: Buffer[] = [];
    let skip = written;
    for (const buf of buffers) {
      if (skip >= buf.length) {
        skip -= buf.length;
        continue;
      }
      rest.push(skip > 0 ? buf.subarray(skip) : buf);
      skip = 0;
    }
    const restBytes = rest.reduce((n, b) => n + b.length, 0);
    this.#queue = [...rest, ...this.#queue];
    this.#queued += restBytes;
  }

  #afterWrite(): void {
    if (this.#queued > 0) {
      this.#flush();
    } else {
      this.#writing = false;
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const w of waiters) w();
    }
    if (this.#needDrain && this.#queued < this.#highWaterMark / 2) {
      this.#needDrain = false;
      this.onDrain?.();
    }
  }

  #fail(error: FileError): void {
    this.#error = error;
    this.#queue = [];
    this.#queued = 0;
    this.#writing = false;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w();
    this.#onError?.(error);
  }
}
