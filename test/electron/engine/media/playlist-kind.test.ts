import { describe, expect, it } from 'vitest';
import { playlistKind } from '../../../../electron/engine/media/playlist-kind.ts';
import { videoName } from '../../../../electron/engine/media/playlist-held.ts';

const text = (s: string) => Buffer.from(s);

describe('recognising a playlist by its answer', () => {
  it('by its Content-Type, or by how its text starts when the type says nothing', () => {
    expect(playlistKind('application/vnd.apple.mpegurl', text(''))).toBe('hls');
    expect(playlistKind('Application/X-MpegURL; charset=utf-8', text(''))).toBe('hls');
    expect(playlistKind('application/dash+xml', text(''))).toBe('dash');
    expect(playlistKind('text/plain', text('\uFEFF#EXTM3U\n#EXT-X-VERSION:3\n'))).toBe('hls');
    expect(playlistKind('application/octet-stream', text('<?xml version="1.0"?>\n<!-- made by x -->\n<MPD xmlns="urn:mpeg:dash:schema:mpd:2011">'))).toBe('dash');
    expect(playlistKind(undefined, text('#EXTM3U'))).toBe('hls');
  });

  it('never takes a video, an image or an ordinary text for one', () => {
    expect(playlistKind('video/mp4', text('#EXTM3U'))).toBeUndefined();
    expect(playlistKind('text/plain', text('hello #EXTM3U'))).toBeUndefined();
    expect(playlistKind('text/html', text('<html><MPD>'))).toBeUndefined();
  });

  it('names the video after the playlist, unless the user chose a name', () => {
    expect(videoName({ filename: 'index.m3u8', filenameRequested: false })).toBe('index.mp4');
    expect(videoName({ filename: 'Talk.M3U8', filenameRequested: false })).toBe('Talk.mp4');
    expect(videoName({ filename: 'clip.mp4', filenameRequested: true })).toBe('clip.mp4');
  });
});
