import fs from 'node:fs';
import { promisify } from 'node:util';
import type { FileError } from '../errors.ts';
import { fileErrorFrom } from './file-errors.ts';
import { FileWriter } from './file-writer.ts';
import { RangeSet } from '../range-set.ts';
import { partPath, type DownloadRecord } from '../record.ts';
import type { DownloadStore } from '../store/download-store.ts';

const fdatasync = promisify(fs.fdatasync);

/**
 * Bytes written since the last checkpoint that start the next one early, between the timer's.
 * On a fast link the disk then writes back while the transfer goes on instead of all at the
 * final flush: 1 GiB over loopback went from 1.35–1.8 s to about 1.0 s, curl's time without
 * its flush. Durable progress is recorded more often on the way, too.
 */
const FLUSH_AHEAD_BYTES = 64 * 1024 * 1024;

/**
 * The `.haul-part` file of one download and the byte ranges it holds. Writers record what
 * they put on disk; `checkpoint` flushes the file and only then records those ranges as
 * durable, so the store never claims bytes the disk does not hold.
 */
export class PartFile {
  readonly #rec: DownloadRecord;
  readonly #store: DownloadStore;
  readonly #onChange: () => void;
  /** Bytes on disk now (ahead of the durable record). */
  #onDisk: RangeSet;
  #fd: number | undefined;
  /** Bumped when the file restarts from zero, so writes and checkpoints from before are ignored. */
  #epoch = 0;
  #syncing: Promise<void> | undefined;
  /** Bytes written since the last checkpoint started. */
  #unflushed = 0;

  constructor(rec: DownloadRecord, store: DownloadStore, onChange: () => void) {
    this.#rec = rec;
    this.#store = store;
    this.#onChange = onChange;
    this.#onDisk = new RangeSet(rec.ranges ?? [[0, rec.received]]);
  }

  get onDisk(): RangeSet {
    return this.#onDisk;
  }

  get epoch(): number {
    return this.#epoch;
  }

  /** Keeps a part file from an earlier run when it holds the durable ranges; else starts over. */
  prepare(): void {
    const rec = this.#rec;
    if (!rec.filenameFixed) {
      this.#onDisk = new RangeSet();
      return;
    }
    let size = -1;
    try {
      size = fs.statSync(partPath(rec)).size;
    } catch {
      // No part file: start from zero below.
    }
    const durable = new RangeSet(rec.ranges ?? [[0, rec.received]]);
    const furthest = durable.ranges.at(-1)?.[1] ?? 0;
    if (durable.size > 0 && size >= furthest) {
      this.open();
      this.#onDisk = durable;
    } else {
      this.restart();
    }
  }

  /** Empties the file and records that nothing durable is held. */
  restart(): void {
    const rec = this.#rec;
    this.#epoch += 1;
    if (rec.filenameFixed) this.#truncate(0);
    this.#onDisk = new RangeSet();
    rec.received = 0;
    rec.ranges = [];
    this.#store.saveDownload(rec);
    this.#onChange();
  }

  /** A writer for bytes from `from` on, recording what reaches the disk. */
  writer(from: number, opts: { buffers: number; onError: (error: FileError) => void }): FileWriter {
    let position = from;
    const epoch = this.#epoch;
    return new FileWriter(this.open(), from, {
      buffers: opts.buffers,
      onWritten: (bytes) => {
        if (epoch === this.#epoch) this.#onDisk.add(position, position + bytes);
        position += bytes;
        this.#unflushed += bytes;
        if (this.#unflushed >= FLUSH_AHEAD_BYTES && this.#syncing === undefined) void this.checkpoint();
      },
      onError: opts.onError,
    });
  }

  open(): number {
    if (this.#fd !== undefined) return this.#fd;
    const file = partPath(this.#rec);
    try {
      fs.mkdirSync(this.#rec.dir, { recursive: true });
      this.#fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644);
    } catch (error) {
      throw fileErrorFrom(error as NodeJS.ErrnoException, 'create the download file', file);
    }
    return this.#fd;
  }

  close(): void {
    if (this.#fd === undefined) return;
    const fd = this.#fd;
    this.#fd = undefined;
    try {
      fs.closeSync(fd);
    } catch {
      // Already closed by the OS (disk removed): nothing left to release.
    }
  }

  /** Flushes the file, then records the ranges that are now durable. */
  async checkpoint(): Promise<void> {
    if (this.#syncing !== undefined) {
      await this.#syncing;
      return;
    }
    const fd = this.#fd;
    const snapshot = this.#onDisk.clone();
    const epoch = this.#epoch;
    if (fd === undefined || snapshot.size === this.#rec.received) return;
    this.#unflushed = 0;
    this.#syncing = fdatasync(fd)
      .then(() => {
        if (epoch !== this.#epoch) return;
        this.#rec.received = snapshot.size;
        this.#rec.ranges = snapshot.toJSON();
        this.#store.saveProgress(this.#rec.id, this.#rec.received, this.#rec.ranges);
      })
      .catch(() => undefined)
      .finally(() => {
        this.#syncing = undefined;
      });
    await this.#syncing;
  }

  /** Flushes every byte to disk and closes the file (before it moves into place). */
  async flushAndClose(): Promise<void> {
    await fdatasync(this.open()).catch((error: NodeJS.ErrnoException) => {
      throw fileErrorFrom(error, 'flush the download to disk', partPath(this.#rec));
    });
    this.close();
  }

  #truncate(size: number): void {
    const fd = this.open();
    try {
      if (fs.fstatSync(fd).size > size) fs.ftruncateSync(fd, size);
    } catch (error) {
      throw fileErrorFrom(error as NodeJS.ErrnoException, 'prepare the partial file', partPath(this.#rec));
    }
  }
}
