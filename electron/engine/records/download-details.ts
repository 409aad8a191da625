import type { DownloadDetails } from '../../../shared/api.ts';
import type { DownloadLog } from './download-log.ts';
import { finalPath, type DownloadRecord } from './record.ts';
import type { DownloadSource } from '../transfer/source.ts';
import { bitRanges } from '../torrent/bitfield.ts';
import { wantedPieces } from '../torrent/torrent-files.ts';

/** Headers whose values are secrets: the panel shows that they are sent, not what they hold. */
const SECRET_HEADERS = new Set(['cookie', 'authorization', 'proxy-authorization']);

/** What the detail panel shows for one download, from its record, its running source if any, and its log. */
export function buildDetails(rec: Readonly<DownloadRecord>, source: DownloadSource | undefined, log: DownloadLog): DownloadDetails {
  const view = source?.view();
  const stored = rec.ranges ?? (rec.received > 0 ? [[0, rec.received] as const] : []);
  const requestHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(rec.headers)) requestHeaders[name] = SECRET_HEADERS.has(name.toLowerCase()) ? `(hidden, ${value.length} characters)` : value;
  return {
    id: rec.id,
    path: finalPath(rec),
    url: rec.url,
    finalUrl: rec.finalUrl,
    requestHeaders,
    etag: rec.etag,
    lastModified: rec.lastModified,
    ...(rec.checksum === undefined ? {} : { checksum: { ...rec.checksum } }),
    ranges: view?.ranges ?? (rec.status === 'completed' && rec.total !== null ? [[0, rec.total]] : stored.map(([a, b]): [number, number] => [a, b])),
    connections: view?.connections ?? [],
    segments: view?.segments ?? storedSegments(rec),
    pieces: view?.pieces ?? storedPieces(rec),
    speeds: log.speeds(rec.id),
    log: log.entries(rec.id),
  };
}

/** A stream's segments as its record holds them (nothing in flight: it is not running). */
function storedSegments(rec: Readonly<DownloadRecord>): DownloadDetails['segments'] {
  const total = rec.media?.segments;
  if (total === undefined) return undefined;
  const done = rec.status === 'completed' ? [[0, total] as const] : (rec.media?.done ?? []);
  return { total, done: done.map(([a, b]): [number, number] => [a, b]), inFlight: [] };
}

/** A torrent's pieces as its record holds them: those flushed (nothing in flight: it is not running). */
function storedPieces(rec: Readonly<DownloadRecord>): DownloadDetails['pieces'] {
  const total = rec.torrent?.pieces;
  if (total === undefined) return undefined;
  // A finished torrent kept only the files asked for: the pieces of the others were never fetched.
  const done = rec.status === 'completed' && rec.torrent !== undefined ? wantedPieces(rec.torrent) : bitRanges(Buffer.from(rec.torrent?.have ?? '', 'base64'), total);
  return { total, done, inFlight: [] };
}
