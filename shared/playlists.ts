/** The kinds of playlist Haul downloads the video of. */
export type PlaylistKind = 'hls' | 'dash';

/** Media types servers give playlists. */
export const PLAYLIST_TYPES: Readonly<Record<string, PlaylistKind>> = {
  'application/vnd.apple.mpegurl': 'hls',
  'application/x-mpegurl': 'hls',
  'audio/mpegurl': 'hls',
  'audio/x-mpegurl': 'hls',
  'application/dash+xml': 'dash',
};

/** A Content-Type header's media type, lower-cased, without parameters. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/**
 * Whether a request a page made fetched a playlist, by its answer's Content-Type or, failing
 * that, its address (`.m3u8`, `.mpd`): what the browser extension offers as "Download video".
 */
export function playlistRequest(url: string, contentType: string | undefined): PlaylistKind | undefined {
  const byType = PLAYLIST_TYPES[mediaType(contentType)];
  if (byType !== undefined) return byType;
  let pathname: string;
  try {
    pathname = new URL(url).pathname.toLowerCase();
  } catch {
    return undefined;
  }
  if (pathname.endsWith('.m3u8') || pathname.endsWith('.m3u')) return 'hls';
  if (pathname.endsWith('.mpd')) return 'dash';
  return undefined;
}
