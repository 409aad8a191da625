import { FALLBACK_FILENAME, filenameFromUrl, sanitizeFilename } from '../input/filename.ts';
import type { DownloadRecord } from './record.ts';
import type { NewDownload } from '../input/validate.ts';

/**
 * The record of a download just added. Its name is provisional (the user's choice, else the
 * URL's) until the first response, when it is reserved on disk (see PartFile.reserve).
 */
export function newRecord(item: NewDownload & { dirRequested?: boolean; siteRule?: string }, fields: { id: string; dir: string; createdAt: string; seq: number; owner?: string }): DownloadRecord {
  const requested = item.filename !== undefined;
  return {
    id: fields.id,
    url: item.url,
    dir: fields.dir,
    filename: sanitizeFilename(
      item.filename ?? item.torrent?.torrent.name ?? (item.torrent === undefined ? undefined : item.torrent.torrent.infoHash) ?? filenameFromUrl(new URL(item.url)) ?? FALLBACK_FILENAME,
    ),
    filenameFixed: false,
    filenameRequested: requested,
    status: item.paused ? 'paused' : 'queued',
    received: 0,
    total: item.torrent?.total ?? null,
    resumable: item.torrent !== undefined,
    createdAt: fields.createdAt,
    headers: item.headers,
    connections: item.connections,
    speedLimit: item.speedLimit,
    ...(item.uploadLimit === undefined || item.uploadLimit === 0 ? {} : { uploadLimit: item.uploadLimit }),
    seq: fields.seq,
    checksum: item.checksum,
    ...(item.insecure ? { insecure: true } : {}),
    caCert: item.caCert,
    proxy: item.proxy,
    dirRequested: item.dirRequested === true ? true : undefined,
    siteRule: item.siteRule,
    actions: item.actions,
    owner: fields.owner,
    quality: item.quality,
    container: item.container === 'ts' ? 'ts' : undefined,
    torrent: item.torrent?.torrent,
  };
}
