import type { RetryInfo } from '../../../shared/api.ts';
import type { Clock, Random } from '../clock.ts';
import type { PartFile } from '../disk/part-file.ts';
import type { ResponseHead } from '../http/send-get.ts';
import type { Transport, TransportRequest } from '../http/transport.ts';
import type { Load } from '../policy/loop-load.ts';
import type { RetryOptions } from '../policy/retry.ts';
import type { DownloadRecord } from '../records/record.ts';
import type { ResponsePlan } from './representation.ts';
import type { SegmentScheduler } from './segment-scheduler.ts';
import type { SegmentOptions } from './worker-pool.ts';

export type WritePlan = Extract<ResponsePlan, { kind: 'write' }>;

/** The download a transfer fetches: its record, and what it allows now. */
export interface TransferDownload {
  record(): Readonly<DownloadRecord>;
  /** Whether requests ask for bounded ranges: the size is known and ranges work. */
  bounded(): boolean;
  /** Whether it may be split: size known, ranges work, large enough. */
  segmentable(): boolean;
  /** Whether it asked for an explicit number of connections. */
  explicitConnections(): boolean;
  /** Most connections now: the download's setting and its host's ceiling. */
  limit(): number;
}

/** Where its bytes go. */
export interface TransferFile {
  readonly part: PartFile;
  /** Buffers each connection's writer may hold. */
  writerBuffers(): number;
  /**
   * Readies the download for a body: records a new representation, reserves the name, empties
   * or opens the part file. Undefined when nothing needs doing (the common, continuing case).
   */
  beginBody(plan: WritePlan, head: ResponseHead): Promise<void> | undefined;
  /** An unsized body ended: its length is the file's. */
  learnTotal(total: number): void;
  /** Most bytes of the file this run has held at once (across start-overs): "getting further". */
  highWater(): number;
}

/** How it reaches the server, and how fast it may read. */
export interface TransferNetwork {
  readonly transport: Transport;
  /** TLS and proxy choices of this download, passed to the transport. */
  request(): Pick<TransportRequest, 'tls' | 'smallReads'>;
  /** Milliseconds to wait before reading more after `bytes` arrived (the speed limits). */
  throttle(bytes: number): number;
  /** Whether a speed limit applies: connections are then slow by Haul's choice, and none is a straggler. */
  limited(): boolean;
  /** How busy this process and the machine are lately: more connections cannot help a saturated process. */
  load(): Load;
}

/** What the download's watchers are told while it runs. */
export interface TransferReport {
  /** Counts requests in flight (the "connections" people see). */
  inFlight(delta: 1 | -1): void;
  /** A connection waits to retry (undefined when it stops waiting). */
  onRetry(info: RetryInfo | undefined): void;
  /** The server refused one connection too many: remember fewer for its host. */
  stepDown(): void;
  /** The scheduler now in use, for people watching which connection fetches what. */
  watch(scheduler: SegmentScheduler): void;
}

/** Everything one transfer (every connection of one run) works with: a handful of collaborators and its options. */
export interface TransferContext {
  readonly clock: Clock;
  readonly random: Random;
  readonly retry: RetryOptions;
  readonly segments: SegmentOptions;
  readonly download: TransferDownload;
  readonly file: TransferFile;
  readonly net: TransferNetwork;
  readonly report: TransferReport;
}
