/**
 * The bodies routes take and the small answers some give, part of the contract in api.ts
 * (which re-exports them): what clients send to add, change, move and check downloads.
 */
import type { DownloadStatus } from './api.ts';
import type { WireError } from './error-codes.ts';

/** Body of `POST /api/downloads`. */
export interface AddDownloadsRequest {
  url?: string;
  urls?: string[];
  dir?: string;
  filename?: string;
  connections?: number;
  headers?: Record<string, string>;
  /** `"sha256=<hex>"`, `"sha1=<hex>"` or `"md5=<hex>"`. */
  checksum?: string;
  paused?: boolean;
  /** Per-download speed limit in bytes/s; 0 = none. */
  speedLimit?: number;
  /** Accept any TLS certificate for this download. */
  insecure?: boolean;
  /** PEM of CA certificates to trust for this download, beside the system's. */
  caCert?: string;
  /** The proxy this download goes through (`http://`, `https://`, `socks5://`, `socks5h://`, credentials allowed), instead of the environment's. */
  proxy?: string;
  /** A link that turns out to be a video stream (HLS or DASH): `best` (default), `worst`, a height such as `720p`, or a bandwidth in bits/s. */
  quality?: string;
  /** A video stream of MPEG-TS segments is kept as one `.ts` with `"ts"`; `"mp4"` (default) joins it into an MP4. */
  container?: 'mp4' | 'ts';
  /** Actions (Settings' names) to run when it finishes. */
  actions?: string[];
  /** A .torrent file's bytes, base64 (instead of url/urls). */
  torrent?: string;
  /** A torrent's files to download, by index from 0 (all when absent). */
  files?: number[];
  /** A torrent's own seeding policy: a ratio (0: no seeding) and minutes, whichever comes first. */
  seedRatio?: number;
  seedMinutes?: number;
  /** A torrent's own upload limit, bytes/s (0 = none). */
  uploadLimit?: number;
}

/**
 * Body of `PATCH /api/downloads/:id`: any of a refreshed link for the same file, this
 * download's connection count (0 = the default) and its speed limit (bytes/s, 0 = none).
 */
export interface PatchDownloadRequest {
  url?: string;
  maxConnections?: number;
  speedLimit?: number;
  /** A torrent's own upload limit, bytes/s (0 = none). */
  uploadLimit?: number;
}

/** Body of `POST /api/downloads/:id/move`. */
export interface MoveRequest {
  to: MoveTarget;
}
export type MoveTarget = 'up' | 'down' | 'top' | 'bottom';
export const MOVE_TARGETS: readonly MoveTarget[] = ['up', 'down', 'top', 'bottom'];

/** Body of `POST /api/downloads/:id/open` (optional): a file that runs code opens only with `confirmRisky`. */
export interface OpenRequest {
  confirmRisky?: boolean;
}

/** Body of `POST /api/actions/check-links`. */
export interface CheckLinksRequest {
  urls: string[];
  dir?: string;
}
/** Why adding a link again may not be what the user wants. */
export type LinkConflict = { kind: 'in-list'; id: string; status: DownloadStatus; path: string } | { kind: 'file-exists'; path: string };
export interface LinkCheck {
  url: string;
  conflict: LinkConflict | null;
}

/** Body of `POST /api/nodes/:name/drain`: `false` lets a drained node take downloads again. */
export interface DrainRequest {
  draining: boolean;
}

/** Answer of the bulk actions: how many downloads changed. */
export interface BulkResult {
  count: number;
}

/** The body of every error answer. */
export interface ErrorBody {
  error: WireError;
}
