import type { Category } from '../../../shared/categories.ts';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { LogEntry, LogKind, RetryInfo } from '../../../shared/api.ts';
import type { Clock, Random } from '../clock.ts';
import { markFinished } from '../disk/mark-origin.ts';
import { type HaulError, toHaulError } from '../errors.ts';
import { fencedError, type WriteFence } from '../records/record-journal.ts';
import type { Transport } from '../http/transport.ts';
import { requestHeaders } from '../input/request-headers.ts';
import type { RetryOptions } from '../policy/retry.ts';
import type { RecordBook } from '../records/record-book.ts';
import { tlsChoiceOf, type LiveState } from '../records/record.ts';
import { throttleAll } from '../policy/rate-limiter.ts';
import type { TlsChoice } from '../http/dispatcher.ts';
import { RunOnce } from '../transfer/run-once.ts';
import type { TaskOutcome } from '../transfer/outcome.ts';
import type { DownloadSource, SourceView } from '../transfer/source.ts';
import { SpeedMeter } from '../transfer/speed-meter.ts';
import { allSegments, type MediaPlan, type PlannedItem } from './media-plan.ts';
import { planStream } from './plan-stream.ts';
import { startRemux, type RemuxRun } from './remux-runner.ts';
import { joinTs } from './ts-join.ts';
import { SegmentBuffers } from './segment-buffers.ts';
import { makeStreamFiles, placeStream, reserveVideoName } from './stream-files.ts';
import { SegmentCheckpoints } from './segment-checkpoints.ts';
import { OneTooMany, SegmentFetcher } from './segment-fetcher.ts';
import { runSegmentWorkers, type SegmentOutcome } from './segment-workers.ts';
import type { HostLimits } from '../policy/host-limits.ts';

export interface MediaSourceDeps {
  /** The categories a download given no folder is sorted into, by its name (Settings). */
  categories(): readonly Category[];
  transport: Transport;
  clock: Clock;
  random: Random;
  book: RecordBook;
  retry: RetryOptions;
  limiters: ReadonlyArray<{ take(bytes: number): number }>;
  /** Segments fetched at once: the download's own connections, else the streams' default (see source-factory.ts). */
  maxConnections(): number;
  /** How often segments written are flushed and recorded as on disk. */
  checkpointIntervalMs: number;
  /** What servers taught about how many connections they take. */
  hosts: Pick<HostLimits, 'ceiling' | 'stepDown' | 'cleanTransfer'>;
  limited(): boolean;
  onLiveChange(): void;
  note(kind: LogKind, detail?: string, retry?: LogEntry['retry']): void;
  fence: WriteFence;
}

/**
 * A video stream (HLS): its playlist is planned afresh on every run, its segments fetched in
 * parallel over the download's connections, each flushed to disk before it counts, and once
 * all are there they are joined into one MP4 (off the event loop), flushed and moved into place.
 */
export class MediaSource implements DownloadSource {
  readonly #id: string;
  readonly #deps: MediaSourceDeps;
  readonly #runner = new RunOnce(() => this.#run());
  readonly #meter = new SpeedMeter();
  #inFlight = 0;
  /** Bytes of segments being fetched now (not yet on disk). */
  #pending = 0;
  #retry: RetryInfo | undefined;
  /** Segments being fetched now, by their number. */
  readonly #fetching = new Set<number>();
  /** This run's segments on disk (none before it has planned). */
  #disk: SegmentCheckpoints | undefined;

  constructor(id: string, deps: MediaSourceDeps) {
    this.#id = id;
    this.#deps = deps;
  }

  live(): LiveState {
    return { received: (this.#deps.book.get(this.#id)?.received ?? 0) + (this.#disk?.writtenBytes ?? 0) + this.#pending, speed: this.#meter.speed, connections: this.#inFlight, retry: this.#retry };
  }

  sampleSpeed(now: number): void {
    this.#meter.sample(this.live().received, now);
  }

  view(): SourceView {
    const rec = this.#deps.book.get(this.#id);
    const total = rec?.media?.segments;
    const done = this.#disk?.all() ?? rec?.media?.done ?? [];
    const segments = total === undefined ? undefined : { total, done: done.map(([a, b]): [number, number] => [a, b]), inFlight: [...this.#fetching].sort((a, b) => a - b) };
    return { ranges: [], connections: [], segments };
  }

  start(): Promise<TaskOutcome> {
    return this.#runner.start();
  }

  stop(reason: string): Promise<TaskOutcome> {
    return this.#runner.stop(reason);
  }

  fail(error: HaulError): void {
    this.#runner.fail(error);
  }

  async #run(): Promise<TaskOutcome> {
    let remux: RemuxRun | undefined;
    let stopCheckpoints = (): void => undefined;
    try {
      const plan = await this.#plan();
      const disk = new SegmentCheckpoints({
        done: this.#record().media?.done ?? [],
        record: (done, bytes) => this.#deps.book.apply(this.#id, { kind: 'segments', done, received: this.#record().received + bytes }),
      });
      this.#disk = disk;
      stopCheckpoints = this.#deps.clock.setInterval(() => {
        disk.checkpoint().catch((error: unknown) => this.fail(toHaulError(error)));
      }, this.#deps.checkpointIntervalMs);
      // MPEG-TS kept as it is only where that is one stream of TS segments; anything else becomes an MP4.
      const keepTs = this.#record().container === 'ts' && plan.tracks.length === 1 && plan.tracks[0]?.init === undefined;
      await reserveVideoName(this.#deps.book, this.#id, keepTs ? 'ts' : 'mp4', this.#deps.categories());
      const { dir, part } = await makeStreamFiles(this.#record());
      // Marked with its origin now, while the segments download (the mark stays through the join's
      // writes and moves with the file): that program's start no longer adds to the end.
      const marked = markFinished(this.#record(), this.#deps.note, part);
      // The segments are joined as they arrive, so little is left to do once the last is here.
      remux = keepTs ? joinTs(part) : startRemux(part, plan.tracks.length);
      await this.#fetchAll(plan, dir, disk, remux);
      // Every segment is written: the video is flushed instead (the segments go once it is).
      stopCheckpoints();
      await disk.settled();
      await marked;
      await this.#finish(remux, dir);
      return { kind: 'completed' };
    } catch (error) {
      remux?.cancel();
      stopCheckpoints();
      // What was written is kept for the next run.
      await this.#disk?.checkpoint().catch(() => undefined);
      return this.#runner.ended(error);
    } finally {
      this.#disk = undefined;
      this.#inFlight = 0;
      this.#pending = 0;
    }
  }

  #record() {
    return this.#deps.book.require(this.#id);
  }

  async #plan(): Promise<MediaPlan> {
    const { plan, change } = await planStream(this.#record(), { transport: this.#deps.transport, clock: this.#deps.clock, signal: this.#runner.signal, tls: this.#tls() });
    this.#deps.book.apply(this.#id, change);
    return plan;
  }

  async #fetchAll(plan: MediaPlan, dir: string, disk: SegmentCheckpoints, remux: RemuxRun): Promise<void> {
    const items = allSegments(plan);
    const file = (index: number): string => path.join(dir, String(index));
    // A segment goes to the remux once it and its track's init section are on disk.
    const hand = (item: PlannedItem): void => {
      if (item.order === undefined || (item.initIndex !== undefined && !disk.has(item.initIndex))) return;
      remux.add({ track: item.track, index: item.order, files: [...(item.initIndex === undefined ? [] : [file(item.initIndex)]), file(item.index)], discontinuity: item.ref.discontinuity });
    };
    const landed = (item: PlannedItem): void => {
      if (item.order !== undefined) hand(item);
      else for (const other of items) if (other.initIndex === item.index && disk.has(other.index)) hand(other);
    };
    for (const item of items) if (disk.has(item.index)) hand(item);
    const todo = items.filter((item) => !disk.has(item.index));
    const host = todo[0] === undefined ? '' : new URL(todo[0].ref.url).host;
    const connections = Math.max(1, Math.min(this.#deps.maxConnections(), this.#deps.hosts.ceiling(host) ?? Number.POSITIVE_INFINITY, todo.length));
    const buffers = new SegmentBuffers(connections);
    const fetcher = this.#fetcher(buffers);
    let refusedOnce = false;
    const fetchOne = async (item: PlannedItem, company: () => boolean): Promise<SegmentOutcome> => {
      if (this.#runner.signal.aborted) throw this.#runner.signal.reason;
      const what = `segment ${item.index + 1} of ${items.length} (${new URL(item.ref.url).pathname.slice(0, 80)})`;
      this.#inFlight += 1;
      this.#fetching.add(item.index);
      let counted = 0;
      try {
        const body = await fetcher.fetch(
          item.ref,
          what,
          this.#runner.signal,
          (bytes) => {
            counted += bytes;
            this.#pending += bytes;
          },
          company,
        );
        if (this.#deps.fence.check() === 'fenced') throw fencedError();
        await disk.write(item.index, file(item.index), body);
        buffers.give(body);
        this.#pending -= counted;
        counted = 0;
        landed(item);
        return 'done';
      } catch (error) {
        if (!(error instanceof OneTooMany)) throw error;
        refusedOnce = true;
        return 'one-too-many';
      } finally {
        this.#pending -= counted;
        this.#inFlight -= 1;
        this.#fetching.delete(item.index);
      }
    };
    const refused = (working: number): void => {
      this.#deps.note('step-down', `${host} refused connection ${working + 1}`);
      this.#deps.hosts.stepDown(host, working);
    };
    // One failure ends the whole fetch: the others stop with it rather than run on to no end.
    await runSegmentWorkers(todo, connections, fetchOne, refused).catch((error: unknown) => {
      if (!this.#runner.signal.aborted) this.#runner.fail(toHaulError(error));
      throw error;
    });
    // As for files: a stream fetched without a refusal lets its server's ceiling grow by one.
    if (!refusedOnce) this.#deps.hosts.cleanTransfer(host);
    if (this.#runner.signal.aborted) throw this.#runner.signal.reason;
  }

  async #finish(remux: RemuxRun, dir: string): Promise<void> {
    await remux.finish();
    const rec = this.#record();
    const { filename, size } = await placeStream(rec, (name) => this.#deps.book.isClaimed(rec.dir, name, rec.id));
    this.#disk = undefined;
    this.#deps.book.apply(this.#id, { kind: 'total', total: size });
    this.#deps.book.apply(this.#id, { kind: 'finished', filename, size, completedAt: new Date(this.#deps.clock.now()).toISOString() });
    await fs.rm(dir, { recursive: true, force: true });
  }

  #fetcher(buffers: SegmentBuffers): SegmentFetcher {
    const deps = this.#deps;
    return new SegmentFetcher({
      allocate: (size) => buffers.take(size),
      transport: deps.transport,
      clock: deps.clock,
      random: deps.random,
      retry: deps.retry,
      headers: (url, range) => requestHeaders(this.#record(), url, range?.[0] ?? 0, range?.[1] ?? null),
      tls: () => this.#tls(),
      throttle: (bytes) => throttleAll(deps.limiters, bytes),
      limited: () => deps.limited(),
      retrying: (info) => {
        if (info !== undefined) deps.note('retrying', `${info.attempt} of ${info.limit}: ${info.error.message}`, { attempt: info.attempt, limit: info.limit, error: info.error.toWire() });
        this.#retry = info === undefined ? undefined : { attempt: info.attempt, limit: info.limit, at: new Date(deps.clock.now()).toISOString(), error: info.error.toWire() };
        deps.onLiveChange();
      },
    });
  }

  #tls(): TlsChoice {
    return tlsChoiceOf(this.#record());
  }
}
