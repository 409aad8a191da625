import path from 'node:path';
import type { Download } from '../../../shared/api.ts';
import type { WireError } from '../../../shared/error-codes.ts';
import { assertNever } from '../../../shared/assert-never.ts';

/** aria2's states; `removed` is a download removed over RPC, remembered until its result is purged. */
export type Aria2Status = 'active' | 'waiting' | 'paused' | 'error' | 'complete' | 'removed';

/** aria2 reports downloads in pieces of this size (its default `piece-length`). */
export const PIECE_LENGTH = 1024 * 1024;

/** What one status answer is made from: the download, its gid, and (for `bitfield`) its ranges on disk. */
export interface StatusSource {
  download: Download;
  gid: string;
  removed: boolean;
  /** Byte ranges on disk, asked only when `bitfield` is wanted. */
  ranges: () => ReadonlyArray<readonly [number, number]>;
}

export function aria2Status(d: Download, removed = false): Aria2Status {
  if (removed) return 'removed';
  switch (d.status) {
    case 'downloading':
      return 'active';
    case 'queued':
    case 'scheduled':
      return 'waiting';
    case 'paused':
      return 'paused';
    case 'completed':
      return 'complete';
    case 'failed':
      return 'error';
    default:
      return assertNever(d, 'download status');
  }
}

/**
 * A download as aria2's `tellStatus` gives it: every number a decimal string, one file with its
 * one URI. `keys` (when given) keeps only those keys, as aria2 does.
 */
export function statusStruct(src: StatusSource, keys: ReadonlySet<string> | undefined): Record<string, unknown> {
  const d = src.download;
  const want = (key: string): boolean => keys === undefined || keys.has(key);
  const out: Record<string, unknown> = {};
  const put = (key: string, value: () => unknown): void => {
    if (want(key)) out[key] = value();
  };
  const total = d.total ?? 0;
  const numPieces = Math.ceil(total / PIECE_LENGTH);
  const active = d.status === 'downloading' && !src.removed;
  put('gid', () => src.gid);
  put('status', () => aria2Status(d, src.removed));
  put('totalLength', () => String(total));
  put('completedLength', () => String(d.received));
  put('uploadLength', () => String(d.torrent?.uploaded ?? 0));
  if (numPieces > 0) put('bitfield', () => bitfield(d, numPieces, src.ranges));
  put('downloadSpeed', () => String(active ? Math.round(d.speed) : 0));
  put('uploadSpeed', () => '0');
  put('connections', () => String(active ? d.connections : 0));
  put('numPieces', () => String(numPieces));
  put('pieceLength', () => String(PIECE_LENGTH));
  put('dir', () => d.dir);
  put('files', () => filesOf(d, src.removed));
  // A torrent as aria2 shows one: its info-hash and name, which tools use to show it as a torrent.
  if (d.torrent !== undefined) {
    const t = d.torrent;
    put('infoHash', () => t.infoHash);
    put('bittorrent', () => ({ info: { name: t.name ?? d.filename }, mode: (t.files?.length ?? 1) > 1 ? 'multi' : 'single' }));
    put('seeder', () => String(t.seeding === true));
  }
  if (d.status === 'failed' || d.status === 'completed' || src.removed) {
    put('errorCode', () => (d.status === 'failed' ? aria2ErrorCode(d.error) : src.removed ? '31' : '0'));
    put('errorMessage', () => (d.status === 'failed' ? d.error.message : src.removed ? 'Removed over RPC.' : ''));
  }
  return out;
}

/** `getFiles`: the one file, with its path, sizes and URI. */
export function filesOf(d: Download, removed = false): Array<Record<string, unknown>> {
  return [
    {
      index: '1',
      path: path.join(d.dir, d.filename),
      length: String(d.total ?? 0),
      completedLength: String(d.received),
      selected: 'true',
      uris: urisOf(d, removed),
    },
  ];
}

/** `getUris`: the link, `used` while it serves the download. */
export function urisOf(d: Download, removed = false): Array<{ uri: string; status: 'used' | 'waiting' }> {
  return [{ uri: d.url, status: d.status === 'queued' && !removed ? 'waiting' : 'used' }];
}

/**
 * aria2's exit status for a failure (its "EXIT STATUS" list), so a client's own messages for
 * them still fit: 3 not found, 24 authorization, 9 disk full, 32 checksum, 1 anything else.
 */
export function aria2ErrorCode(error: WireError): string {
  switch (error.code) {
    case 'HTTP_ERROR': {
      const status = error.params?.status;
      if (status === 404 || status === 410) return '3';
      if (status === 401 || status === 403 || status === 407) return '24';
      return '22';
    }
    case 'TIMEOUT':
      return '2';
    case 'NETWORK_ERROR':
    case 'PROXY_ERROR':
      return '6';
    case 'TOO_MANY_REDIRECTS':
      return '23';
    case 'CHECKSUM_MISMATCH':
      return '32';
    case 'DISK_FULL':
      return '9';
    case 'PERMISSION_DENIED':
      return '16';
    case 'FILE_ERROR':
      return '17';
    default:
      return '1';
  }
}

/** Which 1 MiB pieces are whole on disk, as aria2's hex bitfield (the first piece is the high bit). */
function bitfield(d: Download, numPieces: number, ranges: StatusSource['ranges']): string {
  const bytes = new Uint8Array(Math.ceil(numPieces / 8));
  const setPiece = (i: number): void => {
    bytes[i >> 3] = (bytes[i >> 3] ?? 0) | (0x80 >> (i & 7));
  };
  if (d.status === 'completed') {
    for (let i = 0; i < numPieces; i++) setPiece(i);
  } else if (d.received > 0) {
    const total = d.total ?? 0;
    for (const [start, end] of ranges()) {
      const first = Math.ceil(start / PIECE_LENGTH);
      for (let i = first; i < numPieces && Math.min((i + 1) * PIECE_LENGTH, total) <= end; i++) setPiece(i);
    }
  }
  return Buffer.from(bytes).toString('hex');
}
