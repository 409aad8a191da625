import type { Category } from '../../../shared/categories.ts';
import type { LogEntry, LogKind, RetryInfo } from '../../../shared/api.ts';
import { assertNever } from '../../../shared/assert-never.ts';
import type { Clock, Random } from '../clock.ts';
import { PartFile } from '../disk/part-file.ts';
import { toHaulError, type HaulError } from '../errors.ts';
import type { WriteFence } from '../records/record-journal.ts';
import type { HostLimits } from '../policy/host-limits.ts';
import type { Transport } from '../http/transport.ts';
import { throttleAll, type RateLimiter } from '../policy/rate-limiter.ts';
import type { RecordBook } from '../records/record-book.ts';
import type { Load } from '../policy/loop-load.ts';
import { partPath, tlsChoiceOf, type LiveState } from '../records/record.ts';
import type { RetryOptions } from '../policy/retry.ts';
import { headerValue } from '../http/headers.ts';
import { torrentHeld } from '../torrent/torrent-held.ts';
import { playlistHeld, videoName } from '../media/playlist-held.ts';
import { decideStartOver } from './failure-policy.ts';
import { beginBody, finishFile } from './file-steps.ts';
import { markFinished } from '../disk/mark-origin.ts';
import { RunOnce } from './run-once.ts';
import type { TaskOutcome } from './outcome.ts';
import type { SegmentScheduler } from './segment-scheduler.ts';
import type { DownloadSource, SourceView } from './source.ts';
import { SpeedMeter } from './speed-meter.ts';
import type { TransferContext } from './transfer-context.ts';
import { runTransfer, type SegmentOptions } from './worker-pool.ts';

export interface HttpSourceDeps {
  /** The categories a download given no folder is sorted into, by its name (Settings). */
  categories(): readonly Category[];
  transport: Transport;
  clock: Clock;
  random: Random;
  book: RecordBook;
  hosts: HostLimits;
  retry: RetryOptions;
  segments: SegmentOptions;
  /** How often durable progress is recorded (fdatasync, then the store). */
  checkpointIntervalMs: number;
  /** Limiters every connection of this download obeys (global first). */
  limiters: ReadonlyArray<Pick<RateLimiter, 'take'>>;
  /** Most connections this download may use (its own setting, else the global one). */
  maxConnections(): number;
  /** How busy this process and the machine are lately. */
  load(): Load;
  /** What `live()` reports changed in a way people should see at once (a retry began or ended). */
  onLiveChange(): void;
  /** Whether a speed limit (over all downloads, or this one's) applies now. */
  limited(): boolean;
  /** Something worth a line in the download's log happened (a retry with its count and reason). */
  note(kind: LogKind, detail?: string, retry?: LogEntry['retry']): void;
  /** Whether this process may still write the file (with leases: while its lease is good). Default: always. */
  fence: WriteFence;
}

/**
 * A download over HTTP(S). It runs transfers (every connection, see runTransfer) until the
 * file is covered, starting over from zero when the server proves the bytes on disk belong to
 * another version (a bounded number of times), then flushes the file and moves it into
 * place. All changes to the record go through the record book.
 */
export class HttpSource implements DownloadSource {
  readonly #id: string;
  readonly #deps: HttpSourceDeps;
  readonly #runner = new RunOnce(() => this.#run());
  readonly #part: PartFile;
  readonly #meter = new SpeedMeter();
  #inFlight = 0;
  #retry: RetryInfo | undefined;
  /** Set once a server answered a range request with 200: one connection from then on. */
  #singleOnly = false;
  #highWater = 0;
  #steppedDown = false;
  #scheduler: SegmentScheduler | undefined;
  /** The Content-Type of the representation being fetched (a playlist is recognised by it). */
  #contentType: string | undefined;

  constructor(id: string, deps: HttpSourceDeps) {
    this.#id = id;
    this.#deps = deps;
    this.#part = new PartFile(id, deps.book, { onFlushError: (error) => this.fail(error), fence: deps.fence });
  }

  live(): LiveState {
    return { received: this.#part.onDisk.size, speed: this.#meter.speed, connections: this.#inFlight, retry: this.#retry };
  }

  view(): SourceView {
    const ranges = this.#part.onDisk.ranges.map(([a, b]): [number, number] => [a, b]);
    const segments = this.#scheduler?.active;
    if (segments === undefined || segments.size === 0) {
      // One connection before the size is known: it fetches from the first gap on.
      const prefix = this.#part.onDisk.prefix;
      const connections = this.#inFlight > 0 ? [{ start: prefix, end: null, position: prefix, speed: this.#meter.speed, straggler: false }] : [];
      return { ranges, connections };
    }
    const connections = [...segments].map((seg) => ({ start: seg.start, end: seg.end, position: seg.accepted, speed: seg.speed, straggler: seg.straggler }));
    return { ranges, connections: connections.sort((a, b) => a.start - b.start) };
  }

  sampleSpeed(now: number): void {
    this.#meter.sample(this.#part.onDisk.size, now);
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

  get #host(): string {
    return new URL(this.#deps.book.require(this.#id).url).host;
  }

  async #run(): Promise<TaskOutcome> {
    const stopCheckpoints = this.#deps.clock.setInterval(() => {
      this.#part.checkpoint().catch((error: unknown) => this.fail(toHaulError(error)));
    }, this.#deps.checkpointIntervalMs);
    try {
      await this.#part.prepare();
      for (let startOvers = 0; ; startOvers++) {
        const outcome = await runTransfer(this.#transferContext(), this.#runner.signal);
        switch (outcome.kind) {
          case 'covered':
            return await this.#finish();
          case 'failed':
            return { kind: 'failed', error: outcome.error };
          case 'stopped':
            return this.#runner.fault === undefined ? { kind: 'stopped' } : { kind: 'failed', error: this.#runner.fault };
          case 'start-over': {
            const decision = decideStartOver(startOvers, this.#host, outcome.reason);
            if (decision.kind === 'fail') return { kind: 'failed', error: decision.error };
            if (outcome.rangesUnusable) this.#singleOnly = true;
            this.#deps.note('start-over', outcome.reason);
            await this.#part.restart(true);
            break;
          }
          default:
            return assertNever(outcome, 'transfer outcome');
        }
      }
    } catch (error) {
      return this.#runner.ended(error);
    } finally {
      stopCheckpoints();
      await this.#part.checkpoint().catch(() => undefined);
      await this.#part.close();
    }
  }

  #transferContext(): TransferContext {
    const deps = this.#deps;
    const book = deps.book;
    const record = () => book.require(this.#id);
    return {
      clock: deps.clock,
      random: deps.random,
      retry: deps.retry,
      segments: deps.segments,
      download: {
        record,
        bounded: () => record().total !== null && record().resumable && !this.#singleOnly,
        segmentable: () => {
          const rec = record();
          return !this.#singleOnly && rec.resumable && rec.total !== null && rec.total >= deps.segments.minSegmentedSize && this.#limit() > 1;
        },
        explicitConnections: () => record().connections > 0,
        limit: () => this.#limit(),
      },
      file: {
        part: this.#part,
        // A small budget per connection (4 buffers, fewer past 16 connections: at most 16 MiB
        // in all) keeps 32 connections within memory and the bytes waiting for the disk in the
        // CPU's cache; 16 buffers made page-cache copies up to twice as slow.
        writerBuffers: () => Math.max(2, Math.min(4, Math.floor(64 / this.#limit()))),
        beginBody: (plan, head) => {
          if (plan.fresh) this.#contentType = headerValue(head.headers, 'content-type');
          if (plan.rangesUnusable && !this.#singleOnly) deps.note('one-connection', 'the server ignored a range request');
          if (plan.rangesUnusable) this.#singleOnly = true;
          return beginBody(book, this.#part, this.#id, plan, head, this.#deps.categories());
        },
        learnTotal: (total) => book.apply(this.#id, { kind: 'total', total }),
        highWater: () => (this.#highWater = Math.max(this.#highWater, this.#part.onDisk.size)),
      },
      net: {
        transport: deps.transport,
        request: () => {
          const rec = record();
          return { tls: tlsChoiceOf(rec), smallReads: deps.limited() };
        },
        throttle: (bytes) => throttleAll(deps.limiters, bytes),
        limited: () => deps.limited(),
        load: () => deps.load(),
      },
      report: {
        inFlight: (delta) => {
          this.#inFlight += delta;
        },
        onRetry: (info) => {
          if (info !== undefined) deps.note('retrying', `${info.attempt} of ${info.limit}: ${info.error.message}`, { attempt: info.attempt, limit: info.limit, error: info.error });
          this.#retry = info;
          deps.onLiveChange();
        },
        stepDown: () => {
          this.#steppedDown = true;
          deps.note('step-down', `${this.#host} refused connection ${this.#inFlight}`);
          deps.hosts.stepDown(this.#host, this.#inFlight);
        },
        watch: (scheduler) => {
          this.#scheduler = scheduler;
        },
      },
    };
  }

  #limit(): number {
    if (this.#singleOnly) return 1;
    return Math.max(1, Math.min(this.#deps.maxConnections(), this.#deps.hosts.ceiling(this.#host) ?? Number.POSITIVE_INFINITY));
  }

  async #finish(): Promise<TaskOutcome> {
    const playlist = await playlistHeld(this.#deps.book.require(this.#id), this.#part.onDisk.size, this.#contentType);
    if (playlist !== undefined) {
      // The file is a playlist: what the user wants is its video. The playlist text goes; the stream's source fetches it afresh.
      await this.#part.discard();
      this.#deps.book.apply(this.#id, { kind: 'media-found', media: playlist, filename: videoName(this.#deps.book.require(this.#id)) });
      return { kind: 'switched' };
    }
    const torrent = await torrentHeld(this.#deps.book.require(this.#id), this.#part.onDisk.size, this.#contentType);
    if (torrent !== undefined) {
      // The file is a .torrent: what the user wants is its files. Its bytes are kept in the record; the part file goes.
      await this.#part.discard();
      this.#deps.book.apply(this.#id, torrent);
      return { kind: 'switched' };
    }
    // The part file is marked with its origin while its last bytes are flushed (the mark moves with
    // it): that program's start no longer adds to every download's end.
    const rec = this.#deps.book.require(this.#id);
    await finishFile(this.#deps.book, this.#part, this.#id, this.#deps.clock.now(), () => markFinished(rec, this.#deps.note, partPath(rec)));
    if (!this.#steppedDown) this.#deps.hosts.cleanTransfer(this.#host);
    return { kind: 'completed' };
  }
}
