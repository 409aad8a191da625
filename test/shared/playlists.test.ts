import { describe, expect, it } from 'vitest';
import { playlistRequest } from '../../shared/playlists.ts';

describe('what the extension takes for a video playlist a page loaded', () => {
  it('by the answer type, whatever the address', () => {
    expect(playlistRequest('https://cdn.test/v?id=3', 'application/vnd.apple.mpegurl')).toBe('hls');
    expect(playlistRequest('https://cdn.test/v', 'application/x-mpegURL; charset=utf-8')).toBe('hls');
    expect(playlistRequest('https://cdn.test/v', 'application/dash+xml')).toBe('dash');
  });

  it('by the address when the type says nothing, and never a segment or a page', () => {
    expect(playlistRequest('https://cdn.test/live/Index.M3U8?token=x', 'text/plain')).toBe('hls');
    expect(playlistRequest('https://cdn.test/movie/manifest.mpd', undefined)).toBe('dash');
    expect(playlistRequest('https://cdn.test/live/seg001.ts', 'video/mp2t')).toBeUndefined();
    expect(playlistRequest('https://cdn.test/watch?v=m3u8', 'text/html')).toBeUndefined();
    expect(playlistRequest('not a url', undefined)).toBeUndefined();
  });
});
