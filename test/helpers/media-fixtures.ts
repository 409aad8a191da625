import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Handler } from './test-server.ts';

/** A 6 s test picture with a 440 Hz tone: what every fixture is cut from. */
const SOURCE_SECONDS = 6;

function ffmpeg(args: string[], cwd: string): void {
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

const INPUTS = ['-f', 'lavfi', '-i', `testsrc2=size=640x360:rate=25:duration=${SOURCE_SECONDS}`, '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${SOURCE_SECONDS}`];
const X264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '25', '-keyint_min', '25', '-sc_threshold', '0', '-pix_fmt', 'yuv420p'];
const AAC = ['-c:a', 'aac', '-b:a', '64k'];

/**
 * HLS streams made by Debian's ffmpeg in `dir`, one folder each: `ts` (MPEG-TS segments),
 * `fmp4` (fMP4 with an init section), `aes` (AES-128), `ranges` (one file cut by byte ranges),
 * `master` (two qualities, audio as a separate rendition); `dash` (a static MPD) and
 * `dash-base` (SegmentBase: each representation one file with its segment index).
 */
export function makeHlsFixtures(dir: string): { seconds: number } {
  const at = (name: string): string => {
    const d = path.join(dir, name);
    fs.mkdirSync(d, { recursive: true });
    return d;
  };
  const hls = ['-f', 'hls', '-hls_time', '2', '-hls_playlist_type', 'vod'];
  ffmpeg([...INPUTS, ...X264, ...AAC, ...hls, '-hls_segment_filename', 'seg%03d.ts', 'index.m3u8'], at('ts'));
  ffmpeg([...INPUTS, ...X264, ...AAC, ...hls, '-hls_segment_type', 'fmp4', '-hls_fmp4_init_filename', 'init.mp4', '-hls_segment_filename', 'seg%03d.m4s', 'index.m3u8'], at('fmp4'));
  const aes = at('aes');
  fs.writeFileSync(path.join(aes, 'video.key'), Buffer.from('00112233445566778899aabbccddeeff', 'hex'));
  fs.writeFileSync(path.join(aes, 'keyinfo'), 'video.key\nvideo.key\n');
  ffmpeg([...INPUTS, ...X264, ...AAC, ...hls, '-hls_key_info_file', 'keyinfo', '-hls_segment_filename', 'seg%03d.ts', 'index.m3u8'], aes);
  ffmpeg([...INPUTS, ...X264, ...AAC, ...hls, '-hls_flags', 'single_file', 'index.m3u8'], at('ranges'));
  ffmpeg(
    [
      ...INPUTS,
      '-map',
      '0:v',
      '-map',
      '0:v',
      '-map',
      '1:a',
      ...X264,
      '-s:v:0',
      '640x360',
      '-b:v:0',
      '800k',
      '-s:v:1',
      '320x180',
      '-b:v:1',
      '300k',
      ...AAC,
      ...hls,
      '-master_pl_name',
      'master.m3u8',
      '-var_stream_map',
      'v:0,agroup:aud v:1,agroup:aud a:0,agroup:aud',
      '-hls_segment_filename',
      'v%v/seg%03d.ts',
      'v%v/index.m3u8',
    ],
    at('master'),
  );
  // DASH: SegmentTemplate with a SegmentTimeline, video and audio in adaptation sets of their own.
  ffmpeg([...INPUTS, ...X264, ...AAC, '-f', 'dash', '-seg_duration', '2', '-use_template', '1', '-use_timeline', '1', '-adaptation_sets', 'id=0,streams=v id=1,streams=a', 'manifest.mpd'], at('dash'));
  // DASH's on-demand profile: each representation one fragmented MP4 with its segment index at
  // the start (SegmentBase), the manifest written here from where ffmpeg put the boxes.
  const base = at('dash-base');
  const frag = ['-movflags', '+frag_keyframe+empty_moov+default_base_moof+global_sidx', '-frag_duration', '2000000', '-f', 'mp4'];
  ffmpeg([...INPUTS, '-map', '0:v', ...X264, ...frag, 'video.mp4'], base);
  ffmpeg([...INPUTS, '-map', '1:a', ...AAC, ...frag, 'audio.mp4'], base);
  const segmentBase = (file: string): string => {
    const boxes = topLevelBoxes(fs.readFileSync(path.join(base, file)));
    const sidx = boxes.find((b) => b.type === 'sidx');
    const moov = boxes.find((b) => b.type === 'moov');
    if (sidx === undefined || moov === undefined) throw new Error(`ffmpeg wrote ${file} without a segment index`);
    return `<BaseURL>${file}</BaseURL><SegmentBase indexRange="${sidx.at}-${sidx.at + sidx.size - 1}"><Initialization range="0-${moov.at + moov.size - 1}"/></SegmentBase>`;
  };
  fs.writeFileSync(
    path.join(base, 'manifest.mpd'),
    `<?xml version="1.0"?>
<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT${SOURCE_SECONDS}S" minBufferTime="PT2S" profiles="urn:mpeg:dash:profile:isoff-on-demand:2011">
  <Period>
    <AdaptationSet contentType="video" mimeType="video/mp4"><Representation id="v" codecs="avc1.42c01e" bandwidth="500000" width="640" height="360">${segmentBase('video.mp4')}</Representation></AdaptationSet>
    <AdaptationSet contentType="audio" mimeType="audio/mp4" lang="en"><Representation id="a" codecs="mp4a.40.2" bandwidth="64000" audioSamplingRate="48000">${segmentBase('audio.mp4')}</Representation></AdaptationSet>
  </Period>
</MPD>
`,
  );
  return { seconds: SOURCE_SECONDS };
}

/** The top-level boxes of an MP4: type, offset and size. */
function topLevelBoxes(bytes: Buffer): Array<{ type: string; at: number; size: number }> {
  const boxes: Array<{ type: string; at: number; size: number }> = [];
  for (let at = 0; at + 8 <= bytes.length; ) {
    const size = bytes.readUInt32BE(at);
    if (size < 8) break;
    boxes.push({ type: bytes.toString('latin1', at + 4, at + 8), at, size });
    at += size;
  }
  return boxes;
}

/** Serves `dir`'s files by path, with a media type for playlists, keys and segments. */
export function serveDir(dir: string): Handler {
  return (req, res) => {
    const rel = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    const file = path.join(dir, path.normalize(rel).replace(/^(\.\.[/\\])+/u, ''));
    if (!file.startsWith(dir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    const body = fs.readFileSync(file);
    const type = file.endsWith('.m3u8') ? 'application/vnd.apple.mpegurl' : file.endsWith('.mpd') ? 'application/dash+xml' : file.endsWith('.ts') ? 'video/mp2t' : 'application/octet-stream';
    const range = /^bytes=(\d+)-(\d*)$/u.exec(req.headers.range ?? '');
    if (range !== null) {
      const start = Number(range[1]);
      const end = range[2] === '' ? body.length - 1 : Math.min(Number(range[2]), body.length - 1);
      res.writeHead(206, { 'content-type': type, 'content-length': end - start + 1, 'content-range': `bytes ${start}-${end}/${body.length}` }).end(body.subarray(start, end + 1));
      return;
    }
    res.writeHead(200, { 'content-type': type, 'content-length': body.length }).end(body);
  };
}

/** ffprobe's view of a file: its duration and each stream's kind, codec and size. */
export function probe(file: string): { duration: number; streams: Array<{ codec_type: string; codec_name: string; width?: number; height?: number }> } {
  const out = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration:stream=codec_type,codec_name,width,height', '-of', 'json', file], { encoding: 'utf8' });
  const parsed = JSON.parse(out) as { format: { duration: string }; streams: Array<{ codec_type: string; codec_name: string; width?: number; height?: number }> };
  return { duration: Number(parsed.format.duration), streams: parsed.streams };
}

/** What a full decode says: nothing when every frame decodes. */
export function decodeErrors(file: string): string {
  try {
    execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    return '';
  } catch (error) {
    return String((error as { stderr?: string }).stderr ?? error);
  }
}
