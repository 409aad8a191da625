// The boxes of a plain (not fragmented) MP4 (ISO/IEC 14496-12 and -14): the movie header and,
// per track, the sample tables that say where each sample of the media data lies.

export interface TrackTables {
  kind: 'video' | 'audio';
  id: number;
  timescale: number;
  /** The sample entry (avc1 or mp4a with its configuration). */
  entry: Buffer;
  width: number;
  height: number;
  sizes: number[];
  durations: number[];
  /** Composition offsets (video): presentation minus decoding time; empty when all are 0. */
  offsets: number[];
  /** 1-based numbers of sync samples (video); undefined when every sample is one. */
  keys: number[] | undefined;
  /** Where each chunk starts in the file, and how many samples it holds. */
  chunks: Array<{ offset: number; samples: number }>;
  /** Movie time (ms) before the track starts, and media time its first shown sample has. */
  delayMs: number;
  mediaStart: number;
  /** Media time from its first shown sample to the end of its last. */
  span: number;
}

export function box(type: string, ...parts: Buffer[]): Buffer {
  const size = 8 + parts.reduce((n, p) => n + p.length, 0);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(size, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, ...parts], size);
}

function full(type: string, version: number, flags: number, ...parts: Buffer[]): Buffer {
  return box(type, u32((version << 24) | flags), ...parts);
}

function u32(...values: number[]): Buffer {
  return u32s(values);
}

/** Like u32, for lists too long to spread into a call (a long stream's sample sizes). */
function u32s(values: readonly number[]): Buffer {
  const b = Buffer.alloc(4 * values.length);
  for (const [i, v] of values.entries()) b.writeUInt32BE(v >>> 0, 4 * i);
  return b;
}

function u64(value: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(value));
  return b;
}

function u16(...values: number[]): Buffer {
  const b = Buffer.alloc(2 * values.length);
  for (const [i, v] of values.entries()) b.writeUInt16BE(v & 0xffff, 2 * i);
  return b;
}

const MATRIX = u32(0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000);
const MOVIE_TIMESCALE = 1000;
const FITS_32 = 0xffff_ffff;

export function ftyp(): Buffer {
  return box('ftyp', Buffer.from('isom', 'latin1'), u32(0x200), Buffer.from('isomiso2avc1mp41', 'latin1'));
}

/** The media data box's header for data of unknown length: 64-bit size, written again at the end. */
export function mdatHeader(payload: number): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt32BE(1, 0);
  b.write('mdat', 4, 'latin1');
  b.writeBigUInt64BE(BigInt(16 + payload), 8);
  return b;
}

export function avc1(width: number, height: number, config: Buffer): Buffer {
  const compressor = Buffer.alloc(32);
  return box('avc1', Buffer.alloc(6), u16(1), Buffer.alloc(16), u16(width, height), u32(0x480000, 0x480000, 0), u16(1), compressor, u16(0x18, 0xffff), box('avcC', config));
}

export function mp4a(channels: number, sampleRate: number, asc: Buffer): Buffer {
  const descriptor = (tag: number, ...parts: Buffer[]): Buffer => {
    const body = Buffer.concat(parts);
    return Buffer.concat([Buffer.from([tag, body.length]), body]);
  };
  const decoderConfig = descriptor(4, Buffer.from([0x40, 0x15, 0, 0, 0]), u32(0, 0), descriptor(5, asc));
  const esds = full('esds', 0, 0, descriptor(3, u16(0), Buffer.from([0]), decoderConfig, descriptor(6, Buffer.from([2]))));
  return box('mp4a', Buffer.alloc(6), u16(1), Buffer.alloc(8), u16(channels, 16, 0, 0), u32(Math.min(sampleRate, 0xffff) * 0x10000), esds);
}

/** The movie box for `tracks`, written after the media data. */
export function moov(tracks: readonly TrackTables[]): Buffer {
  const durations = tracks.map((t) => t.delayMs + Math.round((t.span * MOVIE_TIMESCALE) / t.timescale));
  const movie = Math.max(0, ...durations);
  const mvhd = full('mvhd', 0, 0, u32(0, 0, MOVIE_TIMESCALE, Math.min(movie, FITS_32), 0x10000), u16(0x100), Buffer.alloc(10), MATRIX, Buffer.alloc(24), u32(tracks.length + 1));
  return box('moov', mvhd, ...tracks.map((t, i) => trak(t, durations[i] ?? 0)));
}

function trak(t: TrackTables, movieDuration: number): Buffer {
  const video = t.kind === 'video';
  const tkhd = full(
    'tkhd',
    0,
    3,
    u32(0, 0, t.id, 0, Math.min(movieDuration, FITS_32), 0, 0),
    u16(0, 0, video ? 0 : 0x100, 0),
    MATRIX,
    u32(video ? t.width * 0x10000 : 0, video ? t.height * 0x10000 : 0),
  );
  const edits: Buffer[] = [];
  if (t.delayMs > 0) edits.push(u32(t.delayMs, 0xffffffff, 0x10000));
  edits.push(u32(movieDuration - t.delayMs, t.mediaStart, 0x10000));
  const edts = box('edts', full('elst', 0, 0, u32(edits.length), ...edits));
  const mediaDuration = sum(t.durations);
  const mdhd =
    mediaDuration > FITS_32 ? full('mdhd', 1, 0, u64(0), u64(0), u32(t.timescale), u64(mediaDuration), u16(0x55c4, 0)) : full('mdhd', 0, 0, u32(0, 0, t.timescale, mediaDuration), u16(0x55c4, 0));
  const hdlr = full('hdlr', 0, 0, u32(0), Buffer.from(video ? 'vide' : 'soun', 'latin1'), u32(0, 0, 0), Buffer.from(video ? 'VideoHandler\0' : 'SoundHandler\0', 'latin1'));
  const header = video ? full('vmhd', 0, 1, u16(0, 0, 0, 0)) : full('smhd', 0, 0, u16(0, 0));
  const dinf = box('dinf', full('dref', 0, 0, u32(1), full('url ', 0, 1)));
  return box('trak', tkhd, edts, box('mdia', mdhd, hdlr, box('minf', header, dinf, stbl(t))));
}

function stbl(t: TrackTables): Buffer {
  const parts = [full('stsd', 0, 0, u32(1), t.entry), full('stts', 0, 0, runs(t.durations))];
  if (t.offsets.some((o) => o !== 0)) parts.push(full('ctts', 0, 0, runs(t.offsets)));
  if (t.keys !== undefined) parts.push(full('stss', 0, 0, u32(t.keys.length), u32s(t.keys)));
  const stsc: number[] = [];
  let last = -1;
  t.chunks.forEach((c, i) => {
    if (c.samples !== last) stsc.push(i + 1, c.samples, 1);
    last = c.samples;
  });
  parts.push(full('stsc', 0, 0, u32(stsc.length / 3), u32s(stsc)));
  parts.push(full('stsz', 0, 0, u32(0, t.sizes.length), u32s(t.sizes)));
  const co64 = Buffer.alloc(4 + 8 * t.chunks.length);
  co64.writeUInt32BE(t.chunks.length, 0);
  for (const [i, c] of t.chunks.entries()) co64.writeBigUInt64BE(BigInt(c.offset), 4 + 8 * i);
  parts.push(full('co64', 0, 0, co64));
  return box('stbl', ...parts);
}

/** Run-length (count, value) pairs, as stts and ctts hold them. */
function runs(values: readonly number[]): Buffer {
  const pairs: number[] = [];
  for (const v of values) {
    if (pairs.length > 0 && pairs[pairs.length - 1] === v) pairs[pairs.length - 2] = (pairs[pairs.length - 2] ?? 0) + 1;
    else pairs.push(1, v);
  }
  return Buffer.concat([u32(pairs.length / 2), u32s(pairs)]);
}

function sum(values: readonly number[]): number {
  let n = 0;
  for (const v of values) n += v;
  return n;
}
