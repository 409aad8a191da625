import fs from 'node:fs/promises';
import { MAX_TORRENT_FILE_BYTES } from '../../../shared/torrent.ts';
import { partPath, type DownloadRecord } from '../records/record.ts';
import type { RecordChange } from '../records/record-change.ts';
import { readTorrentFile } from './metainfo.ts';
import { chosenBytes } from './torrent-files.ts';

/**
 * Whether a finished file download is a .torrent (its Content-Type said so, or its name ends
 * in .torrent and it reads as one): then what the user wants is the torrent's files. Read and
 * checked here: a damaged one fails the download with a BAD_TORRENT error naming what is wrong.
 */
export async function torrentHeld(rec: DownloadRecord, size: number, contentType: string | undefined): Promise<Extract<RecordChange, { kind: 'torrent-found' }> | undefined> {
  if (rec.torrent !== undefined || rec.media !== undefined || size === 0 || size > MAX_TORRENT_FILE_BYTES) return undefined;
  const typed = contentType?.split(';')[0]?.trim().toLowerCase() === 'application/x-bittorrent';
  if (!typed && !/\.torrent$/iu.test(rec.filename)) return undefined;
  const bytes = await fs.readFile(partPath(rec));
  if (!typed && bytes[0] !== 0x64 /* "d": a bencoded dictionary */) return undefined;
  const meta = readTorrentFile(bytes);
  const torrent = { infoHash: meta.infoHash, metainfo: bytes.toString('base64'), name: meta.name, files: meta.files, pieceLength: meta.pieceLength, pieces: meta.pieces, uploaded: 0 };
  return { kind: 'torrent-found', torrent, filename: meta.name, total: chosenBytes(torrent) };
}
