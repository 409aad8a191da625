import type { Download, DownloadPatch, ProgressItem, Settings } from '../../shared/api.ts';
import type { Clock, Random } from './clock.ts';
import type { RunWithOutput } from './action-runner.ts';
import type { HostLimitOptions } from './policy/host-limits.ts';
import type { Load } from './policy/loop-load.ts';
import type { Transport, TransportOptions } from './http/transport.ts';
import type { RetryOptions } from './policy/retry.ts';
import type { LiveState } from './records/record.ts';
import type { RecordJournal } from './records/record-journal.ts';
import type { DownloadStore } from './store/download-store.ts';
import type { SegmentOptions } from './transfer/worker-pool.ts';

export interface EngineOptions {
  /**
   * Settings a new data folder starts with, over the engine's own defaults (the app's: its
   * categories; a library use such as `haul get` keeps none, so a file lands where it is asked).
   */
  defaults?: Partial<Omit<Settings, 'downloadDir'>>;
  /** How finished downloads' actions run: the program runner (tests give a stand-in) and what counts as Haul's own address (a webhook never calls it). */
  actions?: { run?: RunWithOutput; isHaul?: (url: URL) => boolean };
  /** The IANA time zone the schedule's windows are read in. Default: this machine's. */
  timeZone?: string;
  /** Settings, approved folders, host limits and counters. */
  store: DownloadStore;
  /** The downloads' records, and the right to run each (see RecordJournal). */
  journal: RecordJournal;
  /** Where downloads go unless a request or the settings say otherwise. */
  downloadDir: string;
  /** Haul's data folder, which no download folder may be or lie in. */
  dataDir?: string;
  /** Default: the system clock. */
  clock?: Clock;
  /** Default: Math.random (backoff jitter only). */
  random?: Random;
  /** Default: random UUIDs. */
  newId?: () => string;
  /** How requests are sent. Default: createTransport(transportOptions). */
  transport?: Transport;
  /** Options for the default transport (timeouts, 'auto' or 'undici'). */
  transportOptions?: TransportOptions;
  /** Default: 5 retries, 1 s doubling to 60 s. */
  retry?: Partial<RetryOptions>;
  /** How often running downloads record durable progress. Default 1 000 ms. */
  checkpointIntervalMs?: number;
  /** How often `progress` is emitted for downloads that moved. Default 100 ms. */
  progressIntervalMs?: number;
  /** Segmented transfers: piece sizes, start and growth of connections (see DEFAULT_SEGMENTS). */
  segments?: Partial<SegmentOptions>;
  /** How learnt host ceilings recover (see DEFAULT_HOST_LIMITS). */
  hostLimits?: Partial<HostLimitOptions>;
  /** How busy this process's event loop and the machine are lately. Default: measured (loopLoadMeter). */
  load?: () => Load;
  /** Limits of one owner (a user, with accounts on): downloads running at once and bytes/s over all theirs; 0 = none. Default none. */
  ownerLimits?: (owner: string) => OwnerLimits;
  /** Torrents: how long a run may find no peer before it fails (default 5 minutes), and the free space of a folder (default: statfs). */
  torrent?: { noPeersMs?: number; freeSpace?: (dir: string) => Promise<number> };
  /** Several nodes sharing one queue: the numbers of a download another node runs. */
  liveElsewhere?: ((id: string) => LiveState | undefined) | undefined;
}

export interface OwnerLimits {
  maxRunning: number;
  speedLimit: number;
}

export interface EngineEvents {
  added: [Download];
  updated: [DownloadPatch];
  progress: [ProgressItem[]];
  removed: [{ id: string }];
  settings: [Settings];
}

export { DEFAULT_SETTINGS } from '../../shared/settings-defaults.ts';
