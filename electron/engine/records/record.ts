import type { ServerDigest } from '../http/digest-headers.ts';
import { createHash } from 'node:crypto';
import { fitBytes, MAX_NAME_BYTES } from '../input/filename.ts';
import { asDownload } from '../../../shared/download-patch.ts';
import type { TlsChoice } from '../http/dispatcher.ts';
import type { Checksum, Download, DownloadStatus, MediaInfo, RetryInfo } from '../../../shared/api.ts';
import type { WireError } from '../../../shared/error-codes.ts';
import { isRiskyFilename } from '../../../shared/risky-files.ts';
import type { TorrentInfo, TorrentLive } from '../../../shared/torrent.ts';

/** Suffix of the partial file kept beside the target until every byte is on disk. */
export const PART_SUFFIX = '.haul-part';

/** Byte ranges [start, end) each, in order, not overlapping. */
export type Ranges = Array<readonly [number, number]>;

/**
 * Everything the engine persists about one download. `received` here is *durable*: it only
 * moves forward after the bytes below it were flushed to disk, so after a crash the record
 * never claims data the file does not hold. The live counter is kept by the running task.
 */
/** A record's own states; `scheduled` is only a view of `queued`. */
export type RecordStatus = Exclude<DownloadStatus, 'scheduled'>;

export interface DownloadRecord {
  id: string;
  url: string;
  finalUrl?: string | undefined;
  dir: string;
  filename: string;
  /** True once the name is final and reserved (chosen by the user, or from the first response). */
  filenameFixed: boolean;
  /** True when the user chose the name; the server's suggestion is then ignored. */
  filenameRequested: boolean;
  /** Never `scheduled`: that is how a queued download is shown outside the download windows. */
  status: RecordStatus;
  /** Durable bytes on disk (the size of `ranges`). */
  received: number;
  /** Durable byte ranges on disk, [start, end) each; undefined means [0, received). */
  ranges?: Ranges | undefined;
  total: number | null;
  resumable: boolean;
  error?: WireError | undefined;
  createdAt: string;
  completedAt?: string;
  checksum?: Checksum | undefined;
  /** Extra request headers (User-Agent, Referer, Cookie, Authorization…). */
  headers: Record<string, string>;
  /** Connections requested for this download; 0 means the settings' default. */
  connections: number;
  /** Bytes/s for this download alone; 0 means none. */
  speedLimit: number;
  /** A torrent's own upload limit, bytes/s; absent or 0 means none. */
  uploadLimit?: number | undefined;
  /** Validators of the representation the partial file holds, for If-Range. */
  etag?: string | undefined;
  lastModified?: string | undefined;
  /** FIFO order in the queue. */
  seq: number;
  /** Accept any TLS certificate (the user's explicit choice for this download). */
  insecure?: boolean;
  /** Extra CA certificates (PEM) trusted for this download, beside the system's. */
  caCert?: string | undefined;
  /** Its folder was asked for (else it goes to its category's, once its name is known). */
  dirRequested?: boolean | undefined;
  /** The category whose folder it went to. */
  category?: string | undefined;
  /** The site rule (its pattern) whose options it took when added. */
  siteRule?: string | undefined;
  /** Actions (Settings' names) to run when it finishes. */
  actions?: string[] | undefined;
  /** It runs whatever the schedule says ("start now"). */
  startNow?: boolean | undefined;
  /** The digest of the whole file the server announced with this representation (checked when no checksum was given). */
  digest?: ServerDigest | undefined;
  /** The proxy it goes through, given with it (else the environment's applies). */
  proxy?: string | undefined;
  /** The user who added it, when accounts are on (see the server's accounts). */
  owner?: string | undefined;
  /** The node that runs it or ran it last, when several nodes share Redis. */
  node?: string;
  /** For a stream: the quality asked for (best, worst, 720p, or bits/s); best when absent. */
  quality?: string | undefined;
  /** For a stream of MPEG-TS segments: 'ts' keeps them as one .ts file; an MP4 otherwise. */
  container?: 'ts' | undefined;
  /** A video stream (its link answered with a playlist): what was chosen and which segments are on disk. */
  media?: MediaRecord | undefined;
  /** A torrent (a .torrent file or URL, or a magnet link): its metadata once known, and which pieces are on disk. */
  torrent?: TorrentRecord | undefined;
}

/** A torrent download's own state. `have` is durable: pieces verified and flushed, as a bitfield. */
export interface TorrentRecord {
  infoHash: string;
  /** The .torrent file, base64, once known (given, fetched over HTTP, or from peers for a magnet link). */
  metainfo?: string | undefined;
  name?: string | undefined;
  /** Each file's safe path below the folder, and its size (see metainfo.ts). */
  files?: Array<{ path: string; length: number }> | undefined;
  pieceLength?: number | undefined;
  pieces?: number | undefined;
  /** The files to download, by index; all when absent. */
  selected?: number[] | undefined;
  have?: string | undefined;
  /** Bytes sent to peers, all runs. */
  uploaded: number;
  seedRatio?: number | undefined;
  seedMinutes?: number | undefined;
  /** Seeding now, after completion. */
  seeding?: boolean | undefined;
}

/** A stream download's own state; `done` holds segment numbers (not bytes), flushed to disk each. */
export interface MediaRecord {
  kind: 'hls' | 'dash';
  /** How many segments the plan has (inits included), once planned. */
  segments?: number | undefined;
  /** Segment numbers [start, end) on disk, flushed. */
  done?: Ranges | undefined;
  /** Seconds. */
  duration?: number | undefined;
  width?: number | undefined;
  height?: number | undefined;
  bandwidth?: number | undefined;
}

export function partPath(rec: Pick<DownloadRecord, 'dir' | 'filename'>): string {
  return `${rec.dir}/${partName(rec.filename)}`;
}

/**
 * The partial file's name beside `filename`: the name with PART_SUFFIX, or, where that would pass
 * the 255 bytes every common filesystem allows, the name shortened and marked with a hash of it,
 * so a name of the full 255 bytes is the user's whole and its part file still unique to it.
 */
export function partName(filename: string): string {
  const plain = `${filename}${PART_SUFFIX}`;
  if (Buffer.byteLength(plain) <= MAX_NAME_BYTES) return plain;
  const mark = `~${createHash('sha256').update(filename).digest('hex').slice(0, 12)}${PART_SUFFIX}`;
  return `${fitBytes(filename, MAX_NAME_BYTES - Buffer.byteLength(mark))}${mark}`;
}

/** Where a stream's segments wait, beside its part file, until they are joined into the video. */
export function segmentsDir(rec: Pick<DownloadRecord, 'dir' | 'filename'>): string {
  return `${partPath(rec)}.segments`;
}

export function finalPath(rec: Pick<DownloadRecord, 'dir' | 'filename'>): string {
  return `${rec.dir}/${rec.filename}`;
}

/** How a download's TLS connections are verified: its own choice to accept any certificate, and the CAs it trusts beside the system's. */
export function tlsChoiceOf(rec: Pick<DownloadRecord, 'insecure' | 'caCert' | 'proxy'>): TlsChoice {
  return { insecure: rec.insecure === true, ca: rec.caCert, proxy: rec.proxy };
}

/** What a running task adds to the record for people watching. */
export interface LiveState {
  received: number;
  speed: number;
  connections: number;
  retry?: RetryInfo | undefined;
  /** A torrent's peers and upload. */
  torrent?: TorrentLive | undefined;
}

/** What the list shows of a stream. */
function mediaInfo(media: MediaRecord): MediaInfo {
  const done = (media.done ?? []).reduce((n, [a, b]) => n + (b - a), 0);
  return {
    kind: media.kind,
    ...(media.width === undefined ? {} : { width: media.width }),
    ...(media.height === undefined ? {} : { height: media.height }),
    ...(media.duration === undefined ? {} : { duration: media.duration }),
    ...(media.segments === undefined ? {} : { segments: media.segments, segmentsDone: done }),
  };
}

/** The download as people see it; `startsAt` (a queued one outside the download windows) shows it as scheduled. */
export function toDownload(rec: DownloadRecord, live?: LiveState, startsAt?: string): Download {
  const base = {
    id: rec.id,
    url: rec.url,
    finalUrl: rec.finalUrl,
    filename: rec.filename,
    dir: rec.dir,
    received: live?.received ?? rec.received,
    total: rec.total,
    speed: rec.status === 'downloading' ? (live?.speed ?? 0) : 0,
    connections: rec.status === 'downloading' ? (live?.connections ?? 0) : 0,
    resumable: rec.resumable,
    risky: isRiskyFilename(rec.filename),
    order: rec.seq,
    maxConnections: rec.connections,
    speedLimit: rec.speedLimit,
    uploadLimit: rec.uploadLimit,
    filenameFinal: rec.filenameFixed,
    owner: rec.owner,
    node: rec.node,
    media: rec.media === undefined ? undefined : mediaInfo(rec.media),
    createdAt: rec.createdAt,
    startNow: rec.startNow,
    category: rec.category,
    siteRule: rec.siteRule,
    actions: rec.actions,
    torrent: rec.torrent === undefined ? undefined : torrentInfo(rec.torrent),
    ...(rec.checksum === undefined ? {} : { checksum: { ...rec.checksum } }),
    ...(live?.retry === undefined || rec.status !== 'downloading' ? {} : { retry: live.retry }),
  };
  const scheduled = startsAt !== undefined && rec.status === 'queued';
  return asDownload({ ...base, status: scheduled ? 'scheduled' : rec.status, error: rec.error, completedAt: rec.completedAt, startsAt: scheduled ? startsAt : undefined });
}

/** What the list shows of a torrent. */
function torrentInfo(t: TorrentRecord): TorrentInfo {
  const selected = t.selected === undefined ? undefined : new Set(t.selected);
  return {
    infoHash: t.infoHash,
    name: t.name,
    files: t.files?.map((f, index) => ({ index, path: f.path, length: f.length, selected: selected === undefined || selected.has(index) })),
    pieces: t.pieces,
    uploaded: t.uploaded,
    seeding: t.seeding,
    seedRatio: t.seedRatio,
    seedMinutes: t.seedMinutes,
  };
}
