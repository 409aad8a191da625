import type { ServerDigest } from '../http/digest-headers.ts';
import type { Checksum } from '../../../shared/api.ts';
import type { WireError } from '../../../shared/error-codes.ts';
import { assertNever } from '../../../shared/assert-never.ts';
import type { DownloadRecord, MediaRecord, Ranges, RecordStatus, TorrentRecord } from './record.ts';

/**
 * Every way a download's record changes. Only the record book applies them (and persists the
 * result); the engine and the running source describe what happened as one of these.
 */
export type RecordChange =
  /** A response started a new representation: its size, whether ranges work, its validators. */
  | { kind: 'representation'; total: number | null; resumable: boolean; etag?: string | undefined; lastModified?: string | undefined; finalUrl?: string; digest?: ServerDigest | undefined }
  /** The size became known later (a 206's Content-Range, or an unsized body that ended). */
  | { kind: 'total'; total: number }
  /** The name is final and reserved on disk. */
  | { kind: 'filename'; filename: string }
  /** These byte ranges were flushed to disk (fdatasync) and can be claimed after a crash. */
  | { kind: 'durable'; ranges: Ranges }
  /** The part file was emptied: nothing is held any more. */
  | { kind: 'restart' }
  /** The bytes held were of another representation: forget it too, so the next request learns the new one afresh. */
  | { kind: 'start-over' }
  /** Every byte is in place under `filename`. */
  | { kind: 'finished'; filename: string; size: number; checksum?: Checksum; completedAt: string }
  /** A checksum mismatch discarded the bytes: the next try starts clean. */
  | { kind: 'discarded' }
  /** Only ever the result of a StatusIntent the transition table allowed (RecordBook.transition). */
  | { kind: 'status'; status: RecordStatus; error?: WireError | undefined }
  /** A refreshed link for the same file (kept only if the server proves it is the same). */
  | { kind: 'url'; url: string }
  /** The user changed this download's connections (0 = default) or speed limit (0 = none). */
  | { kind: 'options'; connections?: number | undefined; speedLimit?: number | undefined; uploadLimit?: number | undefined }
  /** Its place in the queue. */
  | { kind: 'seq'; seq: number }
  /** It runs whatever the schedule says. */
  | { kind: 'start-now' }
  /** It goes to its category's folder (decided with its name, before the name is reserved). */
  | { kind: 'category'; category: string; dir: string }
  /** The link answered with a playlist: the download is that stream's video, saved under `filename` (not yet reserved). */
  | { kind: 'media-found'; media: MediaRecord['kind']; filename: string }
  /** The stream's plan: how many segments, how long, which variant, and the size expected (exact only at the end). */
  | { kind: 'media-plan'; segments: number; duration: number; width?: number | undefined; height?: number | undefined; bandwidth?: number | undefined; total: number | null }
  /** These segments are on disk and flushed; `received` is their bytes. */
  | { kind: 'segments'; done: Ranges; received: number }
  /** The file fetched was a .torrent: the download is that torrent's files from now on (named `filename`, not yet reserved). */
  | { kind: 'torrent-found'; torrent: TorrentRecord; filename: string; total: number }
  /** A torrent's metadata is known (its file, or from peers): its name, files and pieces; `total` is the files asked for. */
  | { kind: 'torrent-meta'; meta: { metainfo: string; name: string; files: Array<{ path: string; length: number }>; pieceLength: number; pieces: number }; filename: string; total: number }
  /** These pieces are verified and flushed; `received` is their bytes in the files asked for. */
  | { kind: 'torrent-progress'; have: string; received: number }
  /** Bytes sent to peers so far, and whether it seeds now. */
  | { kind: 'torrent-upload'; uploaded: number; seeding: boolean };

/** Every change but a status one: those come from intents (see status-transitions.ts). */
export type FieldChange = Exclude<RecordChange, { kind: 'status' }>;

/** The record after `change`; a new object, so copies handed out earlier never change under their holder. */
export function applyChange(rec: Readonly<DownloadRecord>, change: RecordChange): DownloadRecord {
  switch (change.kind) {
    case 'representation': {
      const next: DownloadRecord = { ...rec, total: change.total, resumable: change.resumable, etag: change.etag, lastModified: change.lastModified, digest: change.digest };
      if (change.finalUrl !== undefined) next.finalUrl = change.finalUrl;
      return next;
    }
    case 'total':
      return { ...rec, total: change.total };
    case 'filename':
      return { ...rec, filename: change.filename, filenameFixed: true };
    case 'durable':
      return { ...rec, ranges: change.ranges, received: change.ranges.reduce((n, [a, b]) => n + (b - a), 0) };
    case 'restart':
      return { ...rec, ranges: [], received: 0 };
    case 'start-over':
      return { ...rec, ranges: [], received: 0, total: null, resumable: false, etag: undefined, lastModified: undefined, digest: undefined };
    case 'finished': {
      const next: DownloadRecord = { ...rec, filename: change.filename, received: change.size, total: rec.total ?? change.size, ranges: undefined, completedAt: change.completedAt };
      if (change.checksum !== undefined) next.checksum = change.checksum;
      return next;
    }
    case 'discarded':
      return { ...rec, ranges: [], received: 0, etag: undefined, lastModified: undefined, digest: undefined };
    case 'status':
      return { ...rec, status: change.status, error: change.error };
    case 'url':
      return { ...rec, url: change.url, finalUrl: undefined };
    case 'options':
      return { ...rec, connections: change.connections ?? rec.connections, speedLimit: change.speedLimit ?? rec.speedLimit, uploadLimit: change.uploadLimit ?? rec.uploadLimit };
    case 'seq':
      return { ...rec, seq: change.seq };
    case 'start-now':
      return { ...rec, startNow: true };
    case 'category':
      return { ...rec, category: change.category, dir: change.dir };
    case 'media-found':
      return {
        ...rec,
        media: { kind: change.media },
        filename: change.filename,
        filenameFixed: false,
        total: null,
        received: 0,
        ranges: undefined,
        resumable: false,
        etag: undefined,
        lastModified: undefined,
        // The playlist's digest, if it had one, is not the video's.
        digest: undefined,
      };
    case 'media-plan': {
      const media = rec.media ?? { kind: 'hls' as const };
      // Another plan than the one the segments on disk belong to: they are not kept.
      const same = media.segments === change.segments;
      const { total, kind: _kind, ...plan } = change;
      return { ...rec, total, media: { ...media, ...plan, done: same ? media.done : [] }, received: same ? rec.received : 0 };
    }
    case 'segments':
      return { ...rec, received: change.received, media: { ...(rec.media ?? { kind: 'hls' }), done: change.done } };
    case 'torrent-found':
      return {
        ...rec,
        torrent: change.torrent,
        // A name asked for was the .torrent's (a browser's download of it): the files take the torrent's.
        filename: change.filename,
        filenameRequested: false,
        filenameFixed: false,
        total: change.total,
        received: 0,
        ranges: undefined,
        resumable: true,
        etag: undefined,
        lastModified: undefined,
        digest: undefined,
      };
    case 'torrent-meta':
      return { ...rec, filename: rec.filenameRequested ? rec.filename : change.filename, total: change.total, torrent: { ...torrentOf(rec), ...change.meta } };
    case 'torrent-progress':
      return { ...rec, received: change.received, torrent: { ...torrentOf(rec), have: change.have } };
    case 'torrent-upload':
      return { ...rec, torrent: { ...torrentOf(rec), uploaded: change.uploaded, seeding: change.seeding } };
    default:
      return assertNever(change, 'record change');
  }
}

function torrentOf(rec: Readonly<DownloadRecord>): TorrentRecord {
  if (rec.torrent === undefined) throw new Error(`download ${rec.id} is not a torrent`);
  return rec.torrent;
}
