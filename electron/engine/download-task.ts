import type { RetryInfo } from '../../shared/api.ts';
import { assertNever } from '../../shared/assert-never.ts';
import { sleep, type Clock, type Random } from './clock.ts';
import { HaulError, TransferError, toHaulError } from './errors.ts';
import { ConnectionGrowth } from './transfer/connection-growth.ts';
import type { FileWriter } from './disk/file-writer.ts';
import { chooseFilename, uniqueFilename } from './filename.ts';
import { finalize } from './disk/finalize.ts';
import { getFollowingRedirects } from './http/follow-redirects.ts';
import { headerValue } from './http/headers.ts';
import { DISCARD, type ResponseControl, type ResponseHead } from './http/send-get.ts';
import type { Transport } from './http/transport.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { PartFile } from './disk/part-file.ts';
import type { DownloadRecord } from './record.ts';
import { requestHeaders } from './request-headers.ts';
import { DEFAULT_REQUEST_SIZE, RequestSizer, type RequestSizeOptions } from './transfer/request-sizer.ts';
import { planResponse, type ResponsePlan } from './transfer/representation.ts';
import { backoffDelay, type RetryOptions } from './retry.ts';
import { DEFAULT_SCHEDULER, Segment, SegmentScheduler, type SchedulerOptions } from './transfer/segment-scheduler.ts';
import { segmentSink } from './transfer/segment-sink.ts';
import { SpeedMeter } from './transfer/speed-meter.ts';
import type { DownloadStore } from './store/download-store.ts';
import { throttledSink } from './transfer/throttled-sink.ts';

/** Consecutive "start over" answers tolerated before a download fails (a file that keeps changing). */
const MAX_START_OVERS = 3;

export interface SegmentOptions extends SchedulerOptions, RequestSizeOptions {
  /** Files smaller than this use one connection. Default 4 MiB. */
  minSegmentedSize: number;
  /** Connections a segmented download starts with before growing (unless it asked for N explicitly). Default 2. */
  initialConnections: number;
  /** How often the connection count is reconsidered. Default 100 ms. */
  growIntervalMs: number;
}

export const DEFAULT_SEGMENTS: SegmentOptions = { ...DEFAULT_SCHEDULER, ...DEFAULT_REQUEST_SIZE, minSegmentedSize: 4 * 1024 * 1024, initialConnections: 2, growIntervalMs: 100 };

export interface TaskDeps {
  transport: Transport;
  clock: Clock;
  random: Random;
  store: DownloadStore;
  retry: RetryOptions;
  segments: SegmentOptions;
  /** How often durable progress is recorded (fdatasync, then the store). */
  checkpointIntervalMs: number;
  /** Limiters every connection of this task obeys (global first). */
  limiters: readonly RateLimiter[];
  /** Most connections this download may use (its own setting, else the global one). */
  maxConnections(): number;
  /** Whether `name` in `dir` is claimed by a file or by another download. */
  isNameTaken(dir: string, name: string, selfId: string): boolean;
  /** Public fields of the record changed (filename, total, …). */
  onChange(): void;
}

export type TaskOutcome = { kind: 'completed' } | { kind: 'failed'; error: HaulError } | { kind: 'stopped' };

/** Thrown inside a transfer to restart it from zero with one connection. */
class StartOver extends Error {
  readonly singleConnection: boolean;
  constructor(singleConnection: boolean) {
    super('start over');
    this.singleConnection = singleConnection;
  }
}

type SegmentResult = 'done' | 'partial' | 'complete';

/**
 * Runs one download to the end. The file is a set of byte ranges: connections ("workers")
 * each fetch a segment with Range/If-Range and write it at its offset in one part file;
 * a finished worker takes the far half of the slowest remaining segment, so nothing waits
 * on one slow connection at 99%. Transient failures retry per segment with backoff; durable
 * progress (the ranges on disk, after fdatasync) is checkpointed; a finished file is moved
 * into place. The record is shared with the engine, which owns its status.
 */
export class DownloadTask {
  readonly rec: DownloadRecord;
  readonly speed = new SpeedMeter();
  readonly #deps: TaskDeps;
  readonly #abort = new AbortController();
  readonly #part: PartFile;
  #done: Promise<TaskOutcome> | undefined;
  #requests = 0;
  /** Set after a server answered a range request with 200: one connection from then on. */
  #singleOnly = false;
  /** While a connection waits to retry: why, and when it tries again. */
  #retry: RetryInfo | undefined;

  constructor(rec: DownloadRecord, deps: TaskDeps) {
    this.rec = rec;
    this.#deps = deps;
    this.#part = new PartFile(rec, deps.store, () => deps.onChange());
  }

  get written(): number {
    return this.#part.onDisk.size;
  }

  get connections(): number {
    return this.#requests;
  }

  get retry(): RetryInfo | undefined {
    return this.#retry;
  }

  start(): Promise<TaskOutcome> {
    this.#done ??= this.#run();
    return this.#done;
  }

  /** Stops every connection, records durable progress and closes the file; resolves when done. */
  stop(reason: string): Promise<TaskOutcome> {
    if (!this.#abort.signal.aborted) this.#abort.abort(new Error(reason));
    return this.#done ?? Promise.resolve({ kind: 'stopped' });
  }

  async #run(): Promise<TaskOutcome> {
    const stopCheckpoints = this.#deps.clock.setInterval(() => void this.#part.checkpoint(), this.#deps.checkpointIntervalMs);
    try {
      this.#part.prepare();
      for (let startOvers = 0; ; startOvers++) {
        try {
          await this.#transfer();
          await this.#finish();
          return { kind: 'completed' };
        } catch (error) {
          if (this.#abort.signal.aborted) return { kind: 'stopped' };
          if (!(error instanceof StartOver)) return { kind: 'failed', error: toHaulError(error) };
          if (startOvers >= MAX_START_OVERS) {
            return { kind: 'failed', error: new TransferError('HTTP_ERROR', `${this.#host} keeps answering with ranges that do not fit; the file may be changing. Try again later.`, { transient: false }) };
          }
          if (error.singleConnection) this.#singleOnly = true;
          this.#part.restart();
        }
      }
    } catch (error) {
      if (this.#abort.signal.aborted) return { kind: 'stopped' };
      return { kind: 'failed', error: toHaulError(error) };
    } finally {
      stopCheckpoints();
      await this.#part.checkpoint();
      this.#part.close();
    }
  }

  get #host(): string {
    return new URL(this.rec.url).host;
  }

  /**
   * Fetches every missing byte. With the size unknown, one worker starts at the first gap and
   * learns it; then (size known, ranges supported, file large enough) workers are added while
   * throughput grows, up to the download's connection limit and the host's learnt ceiling.
   */
  async #transfer(): Promise<void> {
    const transfer = new AbortController();
    const onAbort = (): void => transfer.abort(this.#abort.signal.reason);
    this.#abort.signal.addEventListener('abort', onAbort, { once: true });
    const workers = new Set<Promise<void>>();
    let failure: unknown;
    const fail = (error: unknown): void => {
      failure ??= error;
      transfer.abort(error);
    };
    let scheduler: SegmentScheduler | undefined;
    let growth = new ConnectionGrowth(1);
    let lastBytes = this.#part.onDisk.size;
    let lastTime = this.#deps.clock.now();
    const spawn = (seg: Segment): void => {
      const sizer = new RequestSizer(this.#deps.segments);
      const run = this.#worker(seg, sizer, () => scheduler, transfer.signal, () => workers.size > 1).then(async (more) => {
        // A worker that finished its segment takes more work while the target allows.
        let next = more;
        while (next !== undefined && !transfer.signal.aborted) next = await this.#worker(next, sizer, () => scheduler, transfer.signal, () => workers.size > 1);
      });
      const tracked = run.catch(fail).finally(() => workers.delete(tracked));
      workers.add(tracked);
    };
    const segmentable = (): boolean =>
      !this.#singleOnly && this.rec.resumable && this.rec.total !== null && this.rec.total >= this.#deps.segments.minSegmentedSize && this.#limit() > 1;
    const grow = (): void => {
      if (scheduler === undefined || transfer.signal.aborted) return;
      const now = this.#deps.clock.now();
      for (const seg of scheduler.active) seg.sample(now);
      const bytes = this.#part.onDisk.size;
      const throughput = ((bytes - lastBytes) * 1000) / Math.max(1, now - lastTime);
      lastBytes = bytes;
      lastTime = now;
      const target = growth.tick(throughput, workers.size >= growth.target, this.#limit(), segmentable());
      let seg: Segment | undefined;
      while (workers.size < target && (seg = scheduler.take(now)) !== undefined) spawn(seg);
    };
    const enableSegments = (): void => {
      if (scheduler !== undefined || this.rec.total === null) return;
      scheduler = new SegmentScheduler(this.rec.total, this.#part.onDisk, this.#deps.segments);
      // Asked for N connections explicitly (-x, the API's `connections`): start with N. With
      // the default setting, start with a few and grow while throughput grows.
      if (segmentable()) growth = new ConnectionGrowth(this.rec.connections > 0 ? this.#limit() : Math.min(this.#limit(), this.#deps.segments.initialConnections));
    };
    const stopGrowing = this.#deps.clock.setInterval(grow, this.#deps.segments.growIntervalMs);
    try {
      if (this.rec.total === null || !this.rec.resumable) {
        // The size is unknown (or ranges unsupported): one connection from the start of the
        // first gap learns it, and may hand over to segments once it does.
        const first = new Segment(this.#part.onDisk.prefix, null, this.#deps.clock.now());
        const run = this.#worker(first, new RequestSizer(this.#deps.segments), () => scheduler, transfer.signal, () => workers.size > 1, (seg) => {
          enableSegments();
          scheduler?.adopt(seg);
          grow();
        });
        const tracked = run.then(() => undefined).catch(fail).finally(() => workers.delete(tracked));
        workers.add(tracked);
      } else {
        enableSegments();
        grow();
      }
      while (workers.size > 0) await Promise.race(workers);
      if (failure !== undefined) throw failure;
      if (this.#abort.signal.aborted) throw this.#abort.signal.reason;
      if (this.rec.total !== null && this.#part.onDisk.size < this.rec.total) {
        // Workers ended without covering every byte (they stepped down): fetch the rest.
        const rest = new SegmentScheduler(this.rec.total, this.#part.onDisk, this.#deps.segments);
        const sizer = new RequestSizer(this.#deps.segments);
        let seg: Segment | undefined;
        while ((seg = rest.take(this.#deps.clock.now())) !== undefined) {
          let next: Segment | undefined = seg;
          while (next !== undefined) next = await this.#worker(next, sizer, () => rest, transfer.signal, () => false);
        }
      }
    } finally {
      stopGrowing();
      this.#abort.signal.removeEventListener('abort', onAbort);
      transfer.abort(new Error('transfer finished'));
    }
  }

  #limit(): number {
    if (this.#singleOnly) return 1;
    const ceiling = this.#deps.store.loadHostLimit(this.#host);
    return Math.max(1, Math.min(this.#deps.maxConnections(), ceiling ?? Number.POSITIVE_INFINITY));
  }

  /**
   * One connection's life on one segment, retrying transient failures with backoff.
   * Returns the next segment to fetch (from the scheduler) or undefined to stop.
   */
  async #worker(
    seg: Segment,
    sizer: RequestSizer,
    schedulerOf: () => SegmentScheduler | undefined,
    signal: AbortSignal,
    hasCompany: () => boolean,
    onHeadKnown?: (seg: Segment) => void,
  ): Promise<Segment | undefined> {
    let failures = 0;
    for (;;) {
      const before = this.#part.onDisk.size;
      const epoch = this.#part.epoch;
      let result: SegmentResult;
      try {
        result = await this.#fetchSegment(seg, sizer, signal, hasCompany(), onHeadKnown);
      } catch (error) {
        const scheduler = schedulerOf();
        if (signal.aborted || error instanceof StartOver) {
          scheduler?.release(seg);
          throw error;
        }
        const err = toHaulError(error);
        const stepDown = err instanceof TransferError && hasCompany() && (err.status === 403 || err.status === 429 || err.status === 503 || err.code === 'NETWORK_ERROR');
        if (stepDown) {
          // The server does not want this many connections: give the range back, and
          // remember a lower ceiling for this host.
          scheduler?.release(seg);
          this.#deps.store.saveHostLimit(this.#host, Math.max(1, (scheduler?.active.size ?? 1)));
          return undefined;
        }
        if (!(err instanceof TransferError) || !err.transient) throw err;
        if (this.#part.onDisk.size > before || this.#part.epoch !== epoch) failures = 0;
        failures += 1;
        if (failures > this.#deps.retry.retries) throw err;
        await this.#part.checkpoint();
        const delay = backoffDelay(failures, this.#deps.retry, this.#deps.random, err.retryAfterMs);
        this.#retry = { attempt: failures, at: new Date(this.#deps.clock.now() + delay).toISOString(), error: err.toWire() };
        this.#deps.onChange();
        try {
          await sleep(this.#deps.clock, delay, signal);
        } finally {
          this.#retry = undefined;
          this.#deps.onChange();
        }
        continue;
      }
      switch (result) {
        case 'partial':
          continue;
        case 'complete':
        case 'done': {
          const scheduler = schedulerOf();
          scheduler?.release(seg);
          return scheduler?.take(this.#deps.clock.now());
        }
        default:
          return assertNever(result, 'segment result');
      }
    }
  }

  /**
   * One request for the next part of a segment: a bounded range of the size `sizer` suggests
   * once ranges are known to work, else the rest of the file (the first request learns its size
   * and is cut at the suggested size if the answer says ranges work).
   */
  async #fetchSegment(seg: Segment, sizer: RequestSizer, signal: AbortSignal, hasCompany: boolean, onHeadKnown?: (seg: Segment) => void): Promise<SegmentResult> {
    const rec = this.rec;
    const from = seg.accepted;
    const url = new URL(rec.url);
    const started = this.#deps.clock.now();
    let result = 'done' as SegmentResult;
    let responseEnd: number | null = null;
    let writer: FileWriter | undefined;
    let reachedEnd = false;
    // Where this request stops (exclusive): bounded once ranges are known to work.
    let requestEnd = this.#bounded() ? Math.min(seg.end ?? rec.total ?? 0, from + sizer.next) : Number.POSITIVE_INFINITY;
    seg.requestEnd = requestEnd;
    const askEnd = Number.isFinite(requestEnd) ? requestEnd : seg.end;
    const ranged = from > 0 || askEnd !== null;
    this.#requests += 1;
    try {
      await getFollowingRedirects(this.#deps.transport, { url, headers: requestHeaders(rec, url, from, askEnd === rec.total ? null : askEnd), signal }, (head, control) => {
        const plan = planResponse(head, from, rec.total, this.#deps.clock.now());
        switch (plan.kind) {
          case 'error':
            throw plan.error;
          case 'complete':
            result = 'complete';
            return DISCARD;
          case 'start-over':
            throw new StartOver(hasCompany);
          case 'write': {
            if (plan.fresh && ranged && (hasCompany || from > 0)) {
              // A range request answered with the whole file: ranges are not usable here.
              if (hasCompany) throw new StartOver(true);
              this.#singleOnly = true;
            }
            responseEnd = plan.end;
            writer = this.#beginWrite(plan, head, seg, control);
            onHeadKnown?.(seg);
            if (!Number.isFinite(requestEnd) && this.#bounded()) seg.requestEnd = requestEnd = plan.from + sizer.next;
            const throttled = throttledSink(writer, control, this.#deps.clock, (bytes) => this.#throttle(bytes));
            return segmentSink(seg, throttled, control, () => Math.min(seg.end ?? Number.POSITIVE_INFINITY, requestEnd), plan.end, () => {
              reachedEnd = true;
            });
          }
          default:
            return assertNever(plan, 'response plan');
        }
      });
    } catch (error) {
      if (!reachedEnd) throw error;
    } finally {
      this.#requests -= 1;
      seg.requestEnd = Number.POSITIVE_INFINITY;
      await (writer as FileWriter | undefined)?.idle().catch(() => undefined);
    }
    const writeError = (writer as FileWriter | undefined)?.error;
    if (writeError !== undefined) throw writeError;
    if (result === 'complete') {
      if (rec.total !== null) this.#part.onDisk.add(0, rec.total);
      return 'complete';
    }
    sizer.record(seg.accepted - from, this.#deps.clock.now() - started);
    return this.#checkLength(seg, responseEnd, requestEnd);
  }

  /** Whether requests can ask for bounded ranges: the size is known and ranges work. */
  #bounded(): boolean {
    return this.rec.total !== null && this.rec.resumable && !this.#singleOnly;
  }

  /**
   * After a body ended: a short body is a transient failure; a request that reached the end
   * it asked for, or a server-capped range, just continues.
   */
  #checkLength(seg: Segment, responseEnd: number | null, requestEnd: number): SegmentResult {
    const rec = this.rec;
    if (rec.total === null) {
      // Unknown length: the body ending is the end of the file.
      rec.total = seg.accepted;
      seg.end = seg.accepted;
      this.#deps.onChange();
      return 'done';
    }
    const end = seg.end ?? rec.total;
    if (seg.accepted >= end) return 'done';
    if (seg.accepted === requestEnd) return 'partial';
    if (responseEnd !== null && responseEnd < end && seg.accepted === responseEnd) return 'partial';
    throw new TransferError(
      'NETWORK_ERROR',
      `The connection to ${this.#host} ended after ${this.#part.onDisk.size} of ${rec.total} bytes. Haul resumes from there automatically.`,
      { transient: true },
    );
  }

  #beginWrite(plan: Extract<ResponsePlan, { kind: 'write' }>, head: ResponseHead, seg: Segment, control: ResponseControl): FileWriter {
    const rec = this.rec;
    if (plan.fresh) {
      rec.total = plan.total;
      rec.resumable = plan.resumable;
      rec.etag = plan.validators.etag;
      rec.lastModified = plan.validators.lastModified;
      if (head.url.href !== rec.url) rec.finalUrl = head.url.href;
      if (!rec.filenameFixed) this.#fixFilename(head);
      this.#part.restart();
      seg.accepted = 0;
      seg.end = plan.total;
    } else if (rec.total === null && plan.total !== null) {
      rec.total = plan.total;
      if (seg.end === null) seg.end = plan.total;
      this.#deps.store.saveDownload(rec);
      this.#deps.onChange();
    }
    return this.#part.writer(plan.from, {
      // A small budget per connection (4 buffers, fewer past 16 connections: at most 16 MiB in
      // all) keeps 32 connections within memory and the bytes waiting for the disk in the CPU's
      // cache. Measured on 1 GiB over loopback, 16 buffers (4 MiB) for one connection made the
      // copies into the page cache up to twice as slow; early checkpoints (PartFile) already
      // keep writeback from stalling the writes.
      buffers: Math.max(2, Math.min(4, Math.floor(64 / this.#limit()))),
      onError: (error) => control.abort(error),
    });
  }

  #fixFilename(head: ResponseHead): void {
    const rec = this.rec;
    const disposition = headerValue(head.headers, 'content-disposition');
    const name = chooseFilename({
      ...(rec.filenameRequested ? { requested: rec.filename } : {}),
      ...(disposition === undefined ? {} : { contentDisposition: disposition }),
      url: head.url,
    });
    rec.filename = uniqueFilename(name, (candidate) => this.#deps.isNameTaken(rec.dir, candidate, rec.id));
    rec.filenameFixed = true;
  }

  #throttle(bytes: number): number {
    let wait = 0;
    for (const limiter of this.#deps.limiters) wait = Math.max(wait, limiter.take(bytes));
    return wait;
  }

  async #finish(): Promise<void> {
    await this.#part.flushAndClose();
    this.rec.ranges = undefined;
    await finalize(this.rec, this.#part.onDisk.size, (name) => this.#deps.isNameTaken(this.rec.dir, name, this.rec.id));
    this.#deps.store.saveDownload(this.rec);
  }
}
