/**
 * The public contract of Haul's HTTP API and event stream (see docs/api.md), declared once
 * and imported by the engine, the server and the renderer.
 */
import type { WireError } from './error-codes.ts';
import type { PairingRequest } from './extension-api.ts';
import type { ActionDef } from './actions.ts';
import type { TorrentInfo, TorrentLive, TorrentSettings } from './torrent.ts';
import type { Category } from './categories.ts';
import type { Schedule } from './schedule.ts';
import type { SiteRule } from './site-rules.ts';

/** `scheduled` (extension): queued, outside the download windows of Settings' `schedule`; it starts at `startsAt`. */
export type DownloadStatus = 'queued' | 'scheduled' | 'downloading' | 'paused' | 'completed' | 'failed';
export const DOWNLOAD_STATUSES: readonly DownloadStatus[] = ['queued', 'scheduled', 'downloading', 'paused', 'completed', 'failed'];

export type ChecksumAlgorithm = 'sha256' | 'sha512' | 'sha1' | 'md5';
export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = ['sha256', 'sha512', 'sha1', 'md5'];
/** Hex digits of each algorithm's digest. */
export const CHECKSUM_HEX_DIGITS: Readonly<Record<ChecksumAlgorithm, number>> = { sha256: 64, sha512: 128, sha1: 40, md5: 32 };

export interface Checksum {
  algorithm: ChecksumAlgorithm;
  /** Lower-case hex digest. */
  expected: string;
  /** Set once the finished file has been hashed. */
  verified?: boolean;
  /** Extension: the server's header this digest came from (`Repr-Digest`, `Digest`, `Content-MD5`), when the user gave none. */
  from?: DigestHeader;
}

/** Response headers that carry a digest of the whole file, which Haul verifies unasked. */
export type DigestHeader = 'Repr-Digest' | 'Digest' | 'Content-MD5';

interface DownloadBase {
  id: string;
  url: string;
  /** The URL after redirects, once known. */
  finalUrl?: string | undefined;
  filename: string;
  /** Absolute directory; the file is `dir/filename`. */
  dir: string;
  received: number;
  /** Bytes; null while unknown (chunked bodies). */
  total: number | null;
  /** Bytes per second, smoothed; 0 unless downloading. */
  speed: number;
  /** Open connections now. */
  connections: number;
  resumable: boolean;
  createdAt: string;
  checksum?: Checksum;
  /** Extension: set while a transient failure waits for its retry (backoff). */
  retry?: RetryInfo;
  /** Extension: the file runs code when opened (a program, installer, script…); Haul asks before opening it. */
  risky: boolean;
  /** Extension: place in the queue; lower starts first (`POST /api/downloads/:id/move`). */
  order: number;
  /** Extension: most connections this download may open; 0 = the settings' default. */
  maxConnections: number;
  /** Extension: this download's own speed limit in bytes/s; 0 = none. */
  speedLimit: number;
  /** Extension: a torrent's own upload limit in bytes/s, when it has one. */
  uploadLimit?: number | undefined;
  /** Extension: the name is final and reserved on disk (until the first response it is the URL's, and may change). */
  filenameFinal: boolean;
  /** Extension (accounts on): the user whose download this is. */
  owner?: string | undefined;
  /** Extension (several nodes sharing Redis): the node running it, or that ran it last. */
  node?: string | undefined;
  /** Extension: a video stream (its link answered with an HLS playlist or a DASH manifest), saved as one MP4. */
  media?: MediaInfo | undefined;
  /** Extension: when a `scheduled` download's window opens (ISO 8601). */
  startsAt?: string | undefined;
  /** Extension: it runs whatever the schedule says (`POST /api/downloads/:id/start-now`). */
  startNow?: boolean | undefined;
  /** Extension: the category whose folder it went to, by its final name. */
  category?: string | undefined;
  /** Extension: the site rule (its pattern) whose options it took when added. */
  siteRule?: string | undefined;
  /** Extension: the actions (by name) that run when it finishes. */
  actions?: string[] | undefined;
  /** Extension: a torrent (a .torrent file or URL, or a magnet link): its files, pieces and seeding. */
  torrent?: TorrentInfo | undefined;
}

/** One quality a stream offers (a master playlist's variant, a DASH representation). */
export interface StreamVariant {
  width?: number | undefined;
  height?: number | undefined;
  /** Bits per second. */
  bandwidth?: number | undefined;
  codecs?: string | undefined;
}

/** `POST /api/actions/probe-stream`: whether a link is a video stream, and the qualities it offers (none for a playlist of one). */
export interface StreamProbe {
  kind: 'hls' | 'dash' | null;
  variants: StreamVariant[];
}

/** What the list shows of a video stream: its kind, and once its playlist is read, its size on screen, length and segments. */
export interface MediaInfo {
  kind: 'hls' | 'dash';
  width?: number;
  height?: number;
  /** Seconds. */
  duration?: number;
  segments?: number;
  segmentsDone?: number;
}

export interface RetryInfo {
  /** Tries so far without progress. */
  attempt: number;
  /** Tries without progress allowed before the download fails (extension). */
  limit: number;
  /** When the next try starts (ISO 8601). */
  at: string;
  /** What went wrong. */
  error: WireError;
}

/** A download, discriminated on `status`: only a failed one has `error`, only a completed one `completedAt`. */
export type Download =
  | (DownloadBase & { status: 'queued' | 'scheduled' | 'downloading' | 'paused'; error?: undefined; completedAt?: undefined })
  | (DownloadBase & { status: 'completed'; completedAt: string; error?: undefined })
  | (DownloadBase & { status: 'failed'; error: WireError; completedAt?: undefined });

export interface Settings {
  downloadDir: string;
  /** Downloads running at once (default 3). */
  maxConcurrent: number;
  /** Connections per download (default 8, 1 to 32). */
  connectionsPerDownload: number;
  /** Bytes per second over all downloads; 0 = no limit. */
  speedLimit: number;
  /** aria2's JSON-RPC also answers on this port (aria2's own is 6800), besides /jsonrpc on Haul's; 0 = not on a port of its own. */
  rpcPort: number;
  /** Download windows in the local time of the machine Haul runs on; null: downloads run at any time. */
  schedule: Schedule | null;
  /** What Haul does once the queue empties (after a countdown every window shows and can cancel). */
  whenDone: WhenDoneAction;
  /** Seconds of that countdown (5 to 3600). */
  whenDoneCountdown: number;
  /** Folders by kind of file: a download given no folder lands in its category's (see shared/categories.ts). */
  categories: Category[];
  /** Options by site, taken by a download when it is added (see shared/site-rules.ts); secret header values show as "(hidden)". */
  siteRules: SiteRule[];
  /** What may run when a download finishes (see shared/actions.ts); downloads and categories name them. */
  actions: ActionDef[];
  /** How Haul takes part in swarms (see shared/torrent.ts). */
  torrent: TorrentSettings;
}

export type WhenDoneAction = 'nothing' | 'quit' | 'sleep' | 'shutdown';
export const WHEN_DONE_ACTIONS: readonly WhenDoneAction[] = ['nothing', 'quit', 'sleep', 'shutdown'];
/** A countdown under way: what will happen, and when (ISO 8601). */
export interface WhenDoneNotice {
  action: Exclude<WhenDoneAction, 'nothing'>;
  at: string;
}

export const SETTINGS_LIMITS = {
  maxConcurrent: { min: 1, max: 20 },
  connectionsPerDownload: { min: 1, max: 32 },
  speedLimit: { min: 0, max: Number.MAX_SAFE_INTEGER },
  rpcPort: { min: 0, max: 65535 },
  whenDoneCountdown: { min: 5, max: 3600 },
} as const;

export interface ProgressItem {
  id: string;
  received: number;
  total: number | null;
  speed: number;
  connections: number;
  /** A torrent's peers and upload, live. */
  torrent?: TorrentLive | undefined;
}

/** Every field a download may have, whatever its status. */
export type AnyDownload = DownloadBase & { status: DownloadStatus; error?: WireError | undefined; completedAt?: string | undefined };
/** The fields an `updated` event may carry besides `id`. */
export type PatchField = Exclude<keyof AnyDownload, 'id'>;

/**
 * An `updated` event: the download's `id`, and each field that changed with its new value, or
 * `null` when the field was cleared (an error once the download is retried, a final URL when
 * the link is refreshed).
 */
export type DownloadPatch = { id: string } & PatchValues;
/** The changed fields of an `updated` event. */
export type PatchValues = { [K in PatchField]?: PatchValue<K> };
/** What a patch carries for a field: its new value, or null once it is cleared. */
export type PatchValue<K extends PatchField> = NonNullable<AnyDownload[K]> | null;

/** SSE event name → JSON payload. */
export interface EventPayloads {
  snapshot: { downloads: Download[]; settings: Settings };
  added: Download;
  updated: DownloadPatch;
  progress: { items: ProgressItem[] };
  removed: { id: string };
  settings: Settings;
  /** Extension: a browser asks to pair; only Haul's own window is told its code (not logged, not replayed). */
  pairing: PairingRequest;
  /** Extension: that pairing ended (paired, refused, expired). */
  'pairing-ended': { pairingId: string };
  /** Extension: the queue emptied and the `whenDone` countdown runs (to every window; not logged, not replayed, but told to a window that connects meanwhile). */
  'when-done': WhenDoneNotice;
  /** Extension: that countdown ended: `done` (the action runs), `cancelled`, `busy` (a download started again), or `failed` (with the reason). */
  'when-done-ended': { reason: 'done' | 'cancelled' | 'busy' | 'failed'; message?: string };
}
export type EventName = keyof EventPayloads;
export const EVENT_NAMES: readonly EventName[] = ['snapshot', 'added', 'updated', 'progress', 'removed', 'settings', 'pairing', 'pairing-ended', 'when-done', 'when-done-ended'];

export type { ConnectionView, DownloadDetails, HostLimit, LogEntry, LogKind, NodesAnswer, NodeView, SegmentMap } from './views.ts';

export * from './requests.ts';
