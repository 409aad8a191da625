import fs from 'node:fs/promises';
import { partPath, type DownloadRecord } from '../records/record.ts';
import { HLS_LIMITS } from './media-plan.ts';
import { playlistKind, type PlaylistKind } from './playlist-kind.ts';

/**
 * Whether a finished file download holds a playlist (its Content-Type said so, or its text
 * starts like one): then what the user wants is the video it lists. A stream download, or a
 * file larger than any playlist, is not looked at.
 */
export async function playlistHeld(rec: DownloadRecord, size: number, contentType: string | undefined): Promise<PlaylistKind | undefined> {
  if (rec.media !== undefined || size === 0 || size > HLS_LIMITS.maxPlaylistBytes) return undefined;
  const handle = await fs.open(partPath(rec), 'r');
  try {
    const head = Buffer.alloc(Math.min(size, 1024));
    await handle.read(head, 0, head.length, 0);
    return playlistKind(contentType, head);
  } finally {
    await handle.close();
  }
}

/** The video's name: the one the user asked for, else the playlist's with `.mp4` for its extension. */
export function videoName(rec: Pick<DownloadRecord, 'filename' | 'filenameRequested'>): string {
  if (rec.filenameRequested) return rec.filename;
  const stem = rec.filename.replace(/\.(m3u8?|mpd|txt)$/iu, '');
  return `${stem === '' ? 'video' : stem}.mp4`;
}
