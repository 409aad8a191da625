import fs from 'node:fs';
import { promisify } from 'node:util';
import { assertNever } from '../../shared/assert-never.ts';
import { sleep, type Clock, type Random } from './clock.ts';
import { HaulError, TransferError, toHaulError } from './errors.ts';
import { fileErrorFrom } from './file-errors.ts';
import { FileWriter } from './file-writer.ts';
import { chooseFilename, uniqueFilename } from './filename.ts';
import { finalize } from './finalize.ts';
import { getFollowingRedirects } from './http/follow-redirects.ts';
import { headerValue } from './http/headers.ts';
import { DISCARD, type ResponseControl, type ResponseHead } from './http/send-get.ts';
import type { Transport } from './http/transport.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { partPath, type DownloadRecord } from './record.ts';
import { requestHeaders } from './request-headers.ts';
import { planResponse, type ResponsePlan } from './response-plan.ts';
import { backoffDelay, type RetryOptions } from './retry.ts';
import { SpeedMeter } from './speed-meter.ts';
import type { DownloadStore } from './store/download-store.ts';
import { throttledSink } from './throttled-sink.ts';

const fdatasync = promisify(fs.fdatasync);
/** Consecutive "start over" answers tolerated before a download fails (a server whose file keeps changing). */
const MAX_START_OVERS = 3;

export interface TaskDeps {
  transport: Transport;
  clock: Clock;
  random: Random;
  store: DownloadStore;
  retry: RetryOptions;
  /** How often durable progress is recorded (fdatasync, then the store). */
  checkpointIntervalMs: number;
  /** Limiters every connection of this task obeys (global first). */
  limiters: readonly RateLimiter[];
  /** Whether `name` in `dir` is claimed by a file or by another download. */
  isNameTaken(dir: string, name: string, selfId: string): boolean;
  /** Public fields of the record changed (filename, total, …). */
  onChange(): void;
}

export type TaskOutcome = { kind: 'completed' } | { kind: 'failed'; error: HaulError } | { kind: 'stopped' };

type AttemptResult = 'done' | 'complete' | 'start-over' | 'partial';

/**
 * Runs one download to the end: requests (resuming with Range/If-Range), retries transient
 * failures with backoff, checkpoints durable progress, and moves the file into place.
 * The record it holds is shared with the engine, which owns its status.
 */
export class DownloadTask {
  readonly rec: DownloadRecord;
  readonly speed = new SpeedMeter();
  readonly #deps: TaskDeps;
  readonly #abort = new AbortController();
  /** Bytes on disk, contiguous from 0, in the part file (live, may be ahead of the durable record). */
  #written = 0;
  #connections = 0;
  #fd: number | undefined;
  /** Bumped when the part file restarts from zero, so a checkpoint taken before it is ignored. */
  #epoch = 0;
  #syncing: Promise<void> | undefined;
  #done: Promise<TaskOutcome> | undefined;

  constructor(rec: DownloadRecord, deps: TaskDeps) {
    this.rec = rec;
    this.#deps = deps;
    this.#written = rec.received;
  }

  get written(): number {
    return this.#written;
  }

  get connections(): number {
    return this.#connections;
  }

  start(): Promise<TaskOutcome> {
    this.#done ??= this.#run();
    return this.#done;
  }

  /** Stops the transfer, records durable progress and closes the file; resolves when done. */
  stop(reason: string): Promise<TaskOutcome> {
    if (!this.#abort.signal.aborted) this.#abort.abort(new Error(reason));
    return this.#done ?? Promise.resolve({ kind: 'stopped' });
  }

  async #run(): Promise<TaskOutcome> {
    const stopCheckpoints = this.#deps.clock.setInterval(() => void this.#checkpoint(), this.#deps.checkpointIntervalMs);
    try {
      return await this.#loop();
    } finally {
      stopCheckpoints();
      await this.#checkpoint();
      this.#closePart();
    }
  }

  async #loop(): Promise<TaskOutcome> {
    const signal = this.#abort.signal;
    let failures = 0;
    let startOvers = 0;
    try {
      this.#prepareExistingPart();
      for (;;) {
        const before = this.#written;
        const epoch = this.#epoch;
        let result: AttemptResult;
        try {
          result = await this.#attempt();
        } catch (error) {
          if (signal.aborted) return { kind: 'stopped' };
          const err = toHaulError(error);
          if (!(err instanceof TransferError) || !err.transient) return { kind: 'failed', error: err };
          if (this.#written > before || this.#epoch !== epoch) failures = 0;
          failures += 1;
          if (failures > this.#deps.retry.retries) return { kind: 'failed', error: err };
          await this.#checkpoint();
          await sleep(this.#deps.clock, backoffDelay(failures, this.#deps.retry, this.#deps.random, err.retryAfterMs), signal);
          continue;
        }
        switch (result) {
          case 'partial':
            continue;
          case 'start-over':
            if (++startOvers > MAX_START_OVERS) {
              return { kind: 'failed', error: new TransferError('HTTP_ERROR', `${new URL(this.rec.url).host} keeps answering with ranges that do not fit; the file may be changing. Try again later.`, { transient: false }) };
            }
            this.#restartPart();
            continue;
          case 'complete':
          case 'done':
            if (result === 'complete' && this.rec.total !== null) this.#written = this.rec.total;
            await this.#finish();
            return { kind: 'completed' };
          default:
            return assertNever(result, 'attempt result');
        }
      }
    } catch (error) {
      if (signal.aborted) return { kind: 'stopped' };
      return { kind: 'failed', error: toHaulError(error) };
    }
  }

  /** One request: resolves with what became of it, throws on failure. */
  async #attempt(): Promise<AttemptResult> {
    const rec = this.rec;
    const from = this.#written;
    const url = new URL(rec.url);
    let result: AttemptResult = 'done';
    let expectedEnd: number | null = null;
    let writer: FileWriter | undefined;
    this.#connections = 1;
    try {
      await getFollowingRedirects(this.#deps.transport, { url, headers: requestHeaders(rec, url, from), signal: this.#abort.signal }, (head, control) => {
        const plan = planResponse(head, from, rec.total, this.#deps.clock.now());
        switch (plan.kind) {
          case 'error':
            throw plan.error;
          case 'complete':
          case 'start-over':
            result = plan.kind;
            return DISCARD;
          case 'write':
            expectedEnd = plan.end;
            writer = this.#beginWrite(plan, head, control);
            return throttledSink(writer, control, this.#deps.clock, (bytes) => this.#throttle(bytes));
          default:
            return assertNever(plan, 'response plan');
        }
      });
    } finally {
      this.#connections = 0;
      await (writer as FileWriter | undefined)?.idle().catch(() => undefined);
    }
    const writeError = (writer as FileWriter | undefined)?.error;
    if (writeError !== undefined) throw writeError;
    if (result !== 'done') return result;
    return this.#checkLength(expectedEnd);
  }

  /** After a body ended: a short body is a transient failure; a server-capped range just continues. */
  #checkLength(expectedEnd: number | null): AttemptResult {
    const rec = this.rec;
    if (rec.total === null) {
      rec.total = this.#written;
      return 'done';
    }
    if (this.#written === rec.total) return 'done';
    if (expectedEnd !== null && expectedEnd < rec.total && this.#written === expectedEnd) return 'partial';
    throw new TransferError(
      'NETWORK_ERROR',
      `The connection to ${new URL(rec.url).host} ended after ${this.#written} of ${rec.total} bytes. Haul resumes from there automatically.`,
      { transient: true },
    );
  }

  #beginWrite(plan: Extract<ResponsePlan, { kind: 'write' }>, head: ResponseHead, control: ResponseControl): FileWriter {
    const rec = this.rec;
    if (plan.fresh) {
      rec.total = plan.total;
      rec.resumable = plan.resumable;
      rec.etag = plan.validators.etag;
      rec.lastModified = plan.validators.lastModified;
      if (head.url.href !== rec.url) rec.finalUrl = head.url.href;
      if (!rec.filenameFixed) this.#fixFilename(head);
      this.#restartPart();
    } else if (rec.total === null && plan.total !== null) {
      rec.total = plan.total;
      this.#deps.store.saveDownload(rec);
      this.#deps.onChange();
    }
    return new FileWriter(this.#openPart(), plan.from, {
      onWritten: (bytes) => {
        this.#written += bytes;
      },
      onError: (error) => control.abort(error),
    });
  }

  #fixFilename(head: ResponseHead): void {
    const rec = this.rec;
    const name = chooseFilename({
      ...(rec.filenameRequested ? { requested: rec.filename } : {}),
      ...(headerValue(head.headers, 'content-disposition') === undefined ? {} : { contentDisposition: headerValue(head.headers, 'content-disposition') }),
      url: head.url,
    });
    rec.filename = uniqueFilename(name, (candidate) => this.#deps.isNameTaken(rec.dir, candidate, rec.id));
    rec.filenameFixed = true;
  }

  /** Reuses a part file from an earlier run when it holds at least the durable bytes. */
  #prepareExistingPart(): void {
    const rec = this.rec;
    if (!rec.filenameFixed) {
      this.#written = 0;
      return;
    }
    let size = -1;
    try {
      size = fs.statSync(partPath(rec)).size;
    } catch {
      // No part file: start from zero below.
    }
    if (size >= rec.received && rec.received > 0) {
      // Bytes past the checkpoint may not have reached the disk before a crash: drop them.
      this.#truncatePart(rec.received);
      this.#written = rec.received;
    } else {
      this.#restartPart();
    }
  }

  /** Empties the part file and records that nothing durable is held. */
  #restartPart(): void {
    const rec = this.rec;
    this.#epoch += 1;
    if (rec.filenameFixed) this.#truncatePart(0);
    this.#written = 0;
    rec.received = 0;
    this.#deps.store.saveDownload(rec);
    this.#deps.onChange();
  }

  #openPart(): number {
    if (this.#fd !== undefined) return this.#fd;
    const file = partPath(this.rec);
    try {
      fs.mkdirSync(this.rec.dir, { recursive: true });
      this.#fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644);
    } catch (error) {
      throw fileErrorFrom(error as NodeJS.ErrnoException, 'create the download file', file);
    }
    return this.#fd;
  }

  #truncatePart(size: number): void {
    const fd = this.#openPart();
    try {
      if (fs.fstatSync(fd).size > size) fs.ftruncateSync(fd, size);
    } catch (error) {
      throw fileErrorFrom(error as NodeJS.ErrnoException, 'prepare the partial file', partPath(this.rec));
    }
  }

  #closePart(): void {
    if (this.#fd === undefined) return;
    const fd = this.#fd;
    this.#fd = undefined;
    try {
      fs.closeSync(fd);
    } catch {
      // Already closed by the OS (disk removed): nothing left to release.
    }
  }

  #throttle(bytes: number): number {
    let wait = 0;
    for (const limiter of this.#deps.limiters) wait = Math.max(wait, limiter.take(bytes));
    return wait;
  }

  /** Flushes the part file, then records the bytes that are now durable. */
  async #checkpoint(): Promise<void> {
    if (this.#syncing !== undefined) {
      await this.#syncing;
      return;
    }
    const fd = this.#fd;
    const position = this.#written;
    const epoch = this.#epoch;
    if (fd === undefined || position === this.rec.received) return;
    this.#syncing = fdatasync(fd)
      .then(() => {
        if (epoch === this.#epoch && position > this.rec.received) {
          this.rec.received = position;
          this.#deps.store.saveProgress(this.rec.id, position);
        }
      })
      .catch(() => undefined)
      .finally(() => {
        this.#syncing = undefined;
      });
    await this.#syncing;
  }

  async #finish(): Promise<void> {
    const fd = this.#openPart();
    await fdatasync(fd).catch((error: NodeJS.ErrnoException) => {
      throw fileErrorFrom(error, 'flush the download to disk', partPath(this.rec));
    });
    this.#closePart();
    await finalize(this.rec, this.#written, (name) => this.#deps.isNameTaken(this.rec.dir, name, this.rec.id));
    this.#deps.store.saveDownload(this.rec);
  }
}
