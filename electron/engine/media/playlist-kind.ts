import { mediaType, PLAYLIST_TYPES, type PlaylistKind } from '../../../shared/playlists.ts';

export type { PlaylistKind } from '../../../shared/playlists.ts';

/**
 * Whether an answer is a playlist, by its Content-Type or, when the server says nothing useful
 * (text/plain, octet-stream), by how its body starts. `head` is the body's first bytes.
 */
export function playlistKind(contentType: string | undefined, head: Uint8Array): PlaylistKind | undefined {
  const type = mediaType(contentType);
  const byType = PLAYLIST_TYPES[type];
  if (byType !== undefined) return byType;
  // Media types that are certainly not playlists are not sniffed: a video file that starts with those bytes is still a video.
  if (type.startsWith('video/') || type.startsWith('audio/') || type.startsWith('image/')) return undefined;
  const text = Buffer.from(head.subarray(0, 512))
    .toString('utf8')
    .replace(/^\uFEFF/u, '')
    .trimStart();
  if (text.startsWith('#EXTM3U')) return 'hls';
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<MPD[\s>]/u.test(text)) return 'dash';
  return undefined;
}
