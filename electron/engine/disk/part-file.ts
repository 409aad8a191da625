import fs from 'node:fs/promises';
import type { FileError } from '../errors.ts';
import { UNFENCED, type WriteFence } from '../records/record-journal.ts';
import { RangeSet } from '../range-set.ts';
import type { RecordBook } from '../records/record-book.ts';
import { partPath, type DownloadRecord } from '../records/record.ts';
import { reserveName } from './reserve-name.ts';
import { ensureDir } from './ensure-dir.ts';
import { fileErrorFrom } from './file-errors.ts';
import { BufferPool } from './buffer-pool.ts';
import { FileWriter } from './file-writer.ts';

/**
 * Bytes written since the last checkpoint that start the next one early, between the timer's:
 * a quarter of what the file holds, from 8 to 64 MiB. On a fast link the disk then writes back
 * while the transfer goes on instead of all at the final flush: 1 GiB over loopback went from
 * 1.35–1.8 s to about 1.0 s, curl's time without its flush. With a fixed 64 MiB a file of that
 * size still waited for all of its flush at the end; from 8 MiB a 64 MiB `haul get` from nginx
 * went from 190 to 168 ms (median of 25, alternating; "curl, then sync" 141 ms). Growing with
 * the file keeps a large one's checkpoints (each a flush and a store write) as few as before.
 */
function flushAhead(held: number): number {
  return Math.min(64 * 1024 * 1024, Math.max(8 * 1024 * 1024, Math.floor(held / 4)));
}
/** Write buffers (256 KiB) a download keeps for its next requests' writers: its writers' budget at most (16 MiB). */
const KEPT_BUFFERS = 64;

export interface PartFileOptions {
  /** Called when a checkpoint started early (after many bytes) fails: the transfer must stop. */
  onFlushError: (error: FileError) => void;
  /** The journal's fence every write passes (see WriteFence). Default: none, nobody else writes the file. */
  fence?: WriteFence | undefined;
}

/**
 * The `.haul-part` file of one download and the byte ranges it holds. Writers record what
 * they put on disk; `checkpoint` flushes the file and only then records those ranges as
 * durable, so the store never claims bytes the disk does not hold. Every call is
 * asynchronous: a slow or hung disk never blocks the event loop.
 */
export class PartFile {
  readonly #id: string;
  readonly #book: RecordBook;
  #onDisk = new RangeSet();
  #handle: fs.FileHandle | undefined;
  /** Bumped when the file restarts from zero, so writes and checkpoints from before are ignored. */
  #epoch = 0;
  #syncing: Promise<void> | undefined;
  /** Bytes written since the last checkpoint started. */
  #unflushed = 0;
  /** The write buffers of this download's writers, reused from request to request. */
  readonly #buffers = new BufferPool(256 * 1024, KEPT_BUFFERS);
  readonly #onFlushError: (error: FileError) => void;
  readonly #fence: WriteFence;

  constructor(id: string, book: RecordBook, opts: PartFileOptions) {
    this.#id = id;
    this.#book = book;
    this.#onFlushError = opts.onFlushError;
    this.#fence = opts.fence ?? UNFENCED;
    // What the store holds durably is what a resumed download shows from its first moment;
    // prepare() checks it against the file and starts over if the file lost it.
    const rec = book.require(id);
    if (rec.filenameFixed) this.#onDisk = new RangeSet(rec.ranges ?? [[0, rec.received]]);
  }

  get onDisk(): RangeSet {
    return this.#onDisk;
  }

  get isOpen(): boolean {
    return this.#handle !== undefined;
  }

  #rec(): Readonly<DownloadRecord> {
    return this.#book.require(this.#id);
  }

  /** Keeps a part file from an earlier run when it holds the durable ranges; else starts it empty. */
  async prepare(): Promise<void> {
    const rec = this.#rec();
    if (!rec.filenameFixed) {
      // Stopped after an answer was recorded but before its name was reserved (a kill in the
      // first moments): no byte of it is on disk, so the run begins as a new download would.
      if (rec.total !== null || rec.resumable || rec.etag !== undefined || rec.lastModified !== undefined) this.#book.apply(this.#id, { kind: 'start-over' });
      return;
    }
    const durable = new RangeSet(rec.ranges ?? [[0, rec.received]]);
    await ensureDir(rec.dir);
    const file = partPath(rec);
    try {
      this.#handle = await fs.open(file, 'r+');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw fileErrorFrom(error as NodeJS.ErrnoException, 'open the partial file', file);
    }
    const size = this.#handle === undefined ? -1 : (await this.#handle.stat()).size;
    if (durable.size > 0 && size >= (durable.ranges.at(-1)?.[1] ?? 0)) this.#onDisk = durable;
    else await this.restart();
  }

  /**
   * Reserves `name` (or `name (1)`, …) in the download's folder by creating its part file
   * exclusively, so no other program or download can take it meanwhile. Returns the name.
   */
  async reserve(name: string, isClaimed: (candidate: string) => boolean): Promise<string> {
    const reserved = await reserveName(this.#rec().dir, name, isClaimed);
    this.#handle = reserved.handle;
    return reserved.filename;
  }

  /**
   * Empties the file and records that nothing durable is held; with `forget`, the
   * representation it held (size, validators) is forgotten too.
   */
  async restart(forget = false): Promise<void> {
    this.#epoch += 1;
    this.#onDisk = new RangeSet();
    const rec = this.#rec();
    if (rec.filenameFixed) {
      const file = partPath(rec);
      try {
        this.#handle ??= await fs.open(file, 'w+', 0o644);
        if ((await this.#handle.stat()).size > 0) await this.#handle.truncate(0);
      } catch (error) {
        throw fileErrorFrom(error as NodeJS.ErrnoException, 'prepare the partial file', file);
      }
    }
    this.#book.apply(this.#id, { kind: forget ? 'start-over' : 'restart' });
  }

  /** A writer for bytes from `from` on, recording what reaches the disk. The file must be open. */
  writer(from: number, opts: { buffers: number; onError: (error: FileError) => void }): FileWriter {
    const handle = this.#handle;
    if (handle === undefined) throw new Error('part file written before it was opened');
    let position = from;
    const epoch = this.#epoch;
    return new FileWriter(handle.fd, from, {
      pool: this.#buffers,
      buffers: opts.buffers,
      onWritten: (bytes) => {
        if (epoch === this.#epoch) this.#onDisk.add(position, position + bytes);
        position += bytes;
        this.#unflushed += bytes;
        this.#flushAheadIfDue();
      },
      onError: opts.onError,
      fence: this.#fence,
    });
  }

  /**
   * Flushes the file, then records the ranges that are now durable. One runs at a time; a
   * call made while one runs waits for it and then flushes what was written since.
   * Rejects with a FileError when the disk refuses the flush. `force` flushes even when no
   * new bytes were recorded (before the file moves into place).
   */
  async checkpoint(force = false): Promise<void> {
    while (this.#syncing !== undefined) await this.#syncing.catch(() => undefined);
    const handle = this.#handle;
    const rec = this.#book.get(this.#id);
    const snapshot = this.#onDisk.clone();
    if (handle === undefined || rec === undefined) return;
    if (!force && snapshot.size === rec.received && this.#unflushed === 0) return;
    const epoch = this.#epoch;
    this.#unflushed = 0;
    const run = handle.datasync().then(
      () => {
        if (epoch === this.#epoch && snapshot.size !== this.#book.get(this.#id)?.received) this.#book.apply(this.#id, { kind: 'durable', ranges: snapshot.toJSON() });
      },
      (error: NodeJS.ErrnoException) => {
        throw fileErrorFrom(error, 'flush the download to disk', partPath(rec));
      },
    );
    this.#syncing = run.then(
      () => {
        this.#syncing = undefined;
        // Bytes written while it ran are flushed next if they are due: the transfer may write no more to start one.
        this.#flushAheadIfDue();
      },
      (error: unknown) => {
        this.#syncing = undefined;
        throw error;
      },
    );
    await this.#syncing;
  }

  #flushAheadIfDue(): void {
    if (this.#syncing === undefined && this.#handle !== undefined && this.#unflushed >= flushAhead(this.#onDisk.size)) this.checkpoint().catch((error: FileError) => this.#onFlushError(error));
  }

  /** Closes and deletes the part file, and holds nothing from now on: what it held is not wanted (a playlist, whose video is fetched instead). */
  async discard(): Promise<void> {
    while (this.#syncing !== undefined) await this.#syncing.catch(() => undefined);
    this.#epoch += 1;
    this.#onDisk = new RangeSet();
    await this.close();
    const rec = this.#rec();
    if (rec.filenameFixed) await fs.rm(partPath(rec), { force: true });
  }

  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    await handle?.close().catch(() => undefined);
  }
}
