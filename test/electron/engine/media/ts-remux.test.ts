// The quick MPEG-TS → MP4 remux (H.264 + AAC), against ffmpeg as the oracle: every picture and
// every sound decodes to what ffmpeg's own remux of the same segments decodes to.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Remuxer } from '../../../../electron/engine/media/remux.ts';
import { Scratch } from '../../../../electron/engine/media/ts-mp4/scratch.ts';
import { nalUnits, picturesIn } from '../../../../electron/engine/media/ts-mp4/h264.ts';
import { demuxSegment } from '../../../../electron/engine/media/ts-mp4/ts-demux.ts';
import { takesTs, TsRemuxer } from '../../../../electron/engine/media/ts-mp4/ts-remuxer.ts';
import { AudioTrack, Timeline } from '../../../../electron/engine/media/ts-mp4/ts-tracks.ts';
import { decodeErrors, probe } from '../../../helpers/media-fixtures.ts';
import { tempDir } from '../../../helpers/temp-dir.ts';

/** An HLS stream of `seconds` made by ffmpeg with `args` (codecs, muxer options); its segment files in order. */
function stream(args: string[], seconds = 4, rate = 44_100): { dir: string; segments: string[] } {
  const dir = tempDir();
  execFileSync(
    'ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error', '-y'],
      ...['-f', 'lavfi', '-i', `testsrc2=size=320x240:rate=25:duration=${seconds}`, '-f', 'lavfi', '-i', `sine=frequency=330:sample_rate=${rate}:duration=${seconds}`],
      ...args,
      ...['-f', 'hls', '-hls_time', '1', '-hls_playlist_type', 'vod', '-hls_segment_filename', 'seg%03d.ts', 'index.m3u8'],
    ],
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return {
    dir,
    segments: fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .sort()
      .map((f) => path.join(dir, f)),
  };
}

/** The md5 of each decoded frame of `stream` ('v' or 'a') of `file`, in order. */
function frameSums(file: string, stream: 'v' | 'a'): string[] {
  const out = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-map', `0:${stream}`, '-f', 'framemd5', '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return out
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.split(',').at(-1)?.trim() ?? '');
}

async function remux(segments: string[], out: string, discontinuities: number[] = []): Promise<void> {
  const r = new TsRemuxer(out, 1);
  // Handed in out of order, as segments land from several connections.
  const order = segments.map((_, i) => i).reverse();
  for (const i of order) r.add({ track: 0, index: i, files: [segments[i] ?? ''], discontinuity: discontinuities.includes(i) });
  await r.finish();
}

const X264 = ['-c:v', 'libx264', '-preset', 'medium', '-g', '25', '-pix_fmt', 'yuv420p'];

describe('the MPEG-TS remux', () => {
  it('copies H.264 with B-frames and stereo AAC: the same pictures and sound as ffmpeg -c copy, the same start times', async () => {
    const { dir, segments } = stream([...X264, '-bf', '3', '-c:a', 'aac', '-ac', '2', '-b:a', '96k']);
    expect(takesTs(segments.slice(0, 1).map((f) => ({ track: 0, index: 0, files: [f] })))).toBe(true);
    const ours = path.join(dir, 'ours.mp4');
    const theirs = path.join(dir, 'theirs.mp4');
    await remux(segments, ours);
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', path.join(dir, 'index.m3u8'), '-c', 'copy', theirs]);
    expect(decodeErrors(ours)).toBe('');
    const [a, b] = [probe(ours), probe(theirs)];
    expect(Math.abs(a.duration - b.duration)).toBeLessThan(0.05);
    expect(a.streams).toEqual(b.streams);
    const v = frameSums(ours, 'v');
    expect(v.length).toBe(100);
    expect(v).toEqual(frameSums(theirs, 'v'));
    expect(frameSums(ours, 'a')).toEqual(frameSums(theirs, 'a'));
    const starts = (f: string) => execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=start_time', '-of', 'csv=p=0', f], { encoding: 'utf8' });
    expect(starts(ours)).toBe(starts(theirs));
  }, 60_000);

  it('follows timestamps across the 33-bit wrap (26.5 hours) without a gap', async () => {
    // Starts 2 s before the wrap.
    const { dir, segments } = stream([...X264, '-c:a', 'aac', '-output_ts_offset', String(2 ** 33 / 90_000 - 2)]);
    const out = path.join(dir, 'wrapped.mp4');
    await remux(segments, out);
    expect(Math.abs(probe(out).duration - 4)).toBeLessThan(0.1);
    expect(decodeErrors(out)).toBe('');
    expect(frameSums(out, 'v').length).toBe(100);
  }, 60_000);

  it('joins across a discontinuity: the second encoding follows the first', async () => {
    const { dir, segments } = stream([...X264, '-c:a', 'aac'], 2);
    const out = path.join(dir, 'twice.mp4');
    await remux([...segments, ...segments], out, [segments.length]);
    expect(Math.abs(probe(out).duration - 4)).toBeLessThan(0.1);
    expect(decodeErrors(out)).toBe('');
  }, 60_000);

  it('fails, saying why, when timestamps go back where no discontinuity is marked', async () => {
    const { dir, segments } = stream([...X264, '-c:a', 'aac'], 2);
    await expect(remux([...segments, ...segments], path.join(dir, 'back.mp4'))).rejects.toThrow(
      /^segment 3: the video timestamps go back from [\d.]+ s to -?[\d.]+ s where no discontinuity is marked$/u,
    );
  }, 60_000);

  it('reads AAC frames that straddle PES packets as it reads them whole', async () => {
    const { segments } = stream([...X264, '-c:a', 'aac']);
    const { audio } = demuxSegment(fs.readFileSync(segments[0] ?? ''));
    const whole = new AudioTrack(new Timeline()).add(audio, 0, false, new Scratch());
    // The same bytes cut every 333 bytes, the timestamp only on the first piece.
    const all = Buffer.concat(audio.map((p) => p.data));
    const cut = Array.from({ length: Math.ceil(all.length / 333) }, (_, i) => ({ pts: i === 0 ? audio[0]?.pts : undefined, dts: undefined, data: all.subarray(i * 333, (i + 1) * 333) }));
    const pieces = new AudioTrack(new Timeline()).add(cut, 0, false, new Scratch());
    expect(pieces.samples).toBe(whole.samples);
    expect(pieces.bytes.equals(whole.bytes)).toBe(true);
  }, 60_000);

  it('counts one picture in each PES packet of a segmenter’s stream, two where two are packed in one (left to the general remux)', () => {
    const { segments } = stream([...X264, '-bf', '2', '-c:a', 'aac']);
    const { video } = demuxSegment(fs.readFileSync(segments[0] ?? ''));
    expect(video.map((p) => picturesIn(nalUnits(p.data)))).toEqual(video.map(() => 1));
    const packed = Buffer.concat([video[0]?.data ?? Buffer.alloc(0), video[1]?.data ?? Buffer.alloc(0)]);
    expect(picturesIn(nalUnits(packed))).toBe(2);
  }, 60_000);

  it('leaves what it does not copy (MP3 audio, fMP4) to the general remux, which joins it', async () => {
    const { dir, segments } = stream([...X264, '-c:a', 'libmp3lame']);
    expect(takesTs([{ track: 0, index: 0, files: [segments[0] ?? ''] }])).toBe(false);
    const r = new Remuxer(path.join(dir, 'mp3.mp4'), 1);
    for (const [index, f] of segments.entries()) r.add({ track: 0, index, files: [f] });
    await r.finish();
    expect(probe(path.join(dir, 'mp3.mp4')).streams.map((s) => s.codec_name)).toEqual(['h264', 'mp3']);
  }, 60_000);
});
