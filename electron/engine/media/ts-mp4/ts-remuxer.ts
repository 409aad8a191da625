import fs from 'node:fs';
import type { ReadySegment, RemuxResult } from '../remux.ts';
import { ftyp, mdatHeader, moov, type TrackTables } from './mp4-boxes.ts';
import { nalUnits, picturesIn } from './h264.ts';
import { Scratch } from './scratch.ts';
import { demuxSegment, syncOffset, type Demuxed } from './ts-demux.ts';
import { AudioTrack, Timeline, VideoTrack, type Chunk } from './ts-tracks.ts';

/** Written bytes are flushed every so often while the stream still downloads, so little is left to flush at the end. */
const FLUSH_EVERY = 32 * 1024 * 1024;

/**
 * Whether the MPEG-TS remux takes a stream whose first segment of each track is `firsts`: MPEG-TS
 * without an init section, H.264 and AAC only (with a separate audio rendition, AAC in it), one
 * picture per PES packet.
 */
export function takesTs(firsts: readonly ReadySegment[]): boolean {
  return firsts.every((segment) => {
    if (segment.files.length !== 1) return false;
    const bytes = fs.readFileSync(segment.files[0] ?? '');
    if (syncOffset(bytes) < 0) return false;
    let d: Demuxed;
    try {
      d = demuxSegment(bytes);
    } catch {
      return false;
    }
    if (d.video.some((pes) => picturesIn(nalUnits(pes.data)) > 1)) return false;
    return d.unsupported.length === 0 && (segment.track === 0 ? d.video.length > 0 || d.audio.length > 0 : d.audio.length > 0);
  });
}

/**
 * Joins MPEG-TS segments with H.264 and AAC into one MP4, each segment as it is handed in (in
 * any order; each track in its own order): its pictures and frames are copied once into the
 * media data, their sample tables kept; the movie box is written at the end. Much less work
 * than the general remux (remux.ts), which reads any container packet by packet.
 */
export class TsRemuxer {
  readonly #fd: number;
  readonly #tracks: number;
  readonly #waiting: Array<Map<number, ReadySegment>>;
  readonly #next: number[];
  readonly #clock = new Timeline();
  readonly #video = new VideoTrack(this.#clock);
  readonly #audio = new AudioTrack(this.#clock);
  readonly #chunks: Record<'video' | 'audio', TrackTables['chunks']> = { video: [], audio: [] };
  /** The input track the audio comes from: a separate rendition's when there is one. */
  readonly #audioFrom: number;
  #shifts: number[] | undefined;
  #at: number;
  #unflushed = 0;
  #failure: Error | undefined;
  #flushing: Promise<void> | undefined;
  /** One buffer each for a segment's bytes, its PES packets and the chunk written: used again for every segment. */
  readonly #input = new Scratch();
  readonly #arena = new Scratch();
  readonly #output = new Scratch();

  constructor(output: string, tracks: number) {
    this.#fd = fs.openSync(output, 'w', 0o644);
    this.#tracks = tracks;
    this.#waiting = Array.from({ length: tracks }, () => new Map());
    this.#next = Array.from({ length: tracks }, () => 0);
    this.#audioFrom = tracks - 1;
    const head = Buffer.concat([ftyp(), mdatHeader(0)]);
    fs.writeSync(this.#fd, head, 0, head.length, 0);
    this.#at = head.length;
  }

  add(segment: ReadySegment): void {
    if (this.#failure !== undefined) return;
    this.#waiting[segment.track]?.set(segment.index, segment);
    try {
      this.#drain();
    } catch (error) {
      this.#failure = error instanceof Error ? error : new Error(String(error));
    }
  }

  async finish(): Promise<RemuxResult> {
    try {
      await this.#flushing;
      if (this.#failure !== undefined) throw this.#failure;
      if (this.#waiting.some((w) => w.size > 0)) throw new Error('segments are missing from the stream');
      const tables: TrackTables[] = [];
      const info = this.#video.info();
      if (this.#chunks.video.length > 0) tables.push(this.#video.tables(tables.length + 1, this.#chunks.video));
      if (this.#chunks.audio.length > 0) tables.push(this.#audio.tables(tables.length + 1, this.#chunks.audio));
      if (tables.length === 0) throw new Error('the stream holds neither video nor audio Haul can read');
      const mdat = mdatHeader(this.#at - ftyp().length - 16);
      fs.writeSync(this.#fd, mdat, 0, mdat.length, ftyp().length);
      const movie = moov(tables);
      fs.writeSync(this.#fd, movie, 0, movie.length, this.#at);
      const seconds = Math.max(...tables.map((t) => t.delayMs / 1000 + t.span / t.timescale));
      const audio = this.#audio.config;
      return {
        duration: seconds,
        ...(info === undefined ? {} : { video: { codec: 'avc', width: info.width, height: info.height } }),
        ...(audio === undefined || this.#chunks.audio.length === 0 ? {} : { audio: { codec: 'aac', channels: audio.channels, sampleRate: audio.sampleRate } }),
      };
    } finally {
      fs.closeSync(this.#fd);
    }
  }

  /** Copies every segment that is next in its track's order. */
  #drain(): void {
    if (this.#shifts === undefined && !this.#setUp()) return;
    for (let t = 0; t < this.#tracks; t++) {
      const waiting = this.#waiting[t];
      for (let s = waiting?.get(this.#next[t] ?? 0); s !== undefined; s = waiting?.get(this.#next[t] ?? 0)) {
        waiting?.delete(s.index);
        this.#next[t] = s.index + 1;
        try {
          this.#copy(t, s);
        } catch (error) {
          throw new Error(`segment ${s.index + 1}${this.#tracks > 1 ? ` of track ${t + 1}` : ''}: ${(error as Error).message}`, { cause: error });
        }
      }
    }
  }

  /** Once each track's first segment is here: the timestamps all tracks start from. */
  #setUp(): boolean {
    const firsts = this.#waiting.map((w) => w.get(0));
    if (firsts.some((s) => s === undefined)) return false;
    const starts = firsts.flatMap((s, t) => {
      const d = demuxSegment(this.#input.read(s?.files[0] ?? ''), this.#arena);
      return this.#firstTimes(t, d);
    });
    const start = starts.length === 0 ? 0 : Math.min(...starts);
    this.#shifts = firsts.map(() => start);
    return true;
  }

  /** When input track `t`'s segment `d` starts, in each output track it feeds (video, audio). */
  #firstTimes(t: number, d: Demuxed): number[] {
    return present([t === 0 ? this.#video.firstTime(d.video) : undefined, t === this.#audioFrom ? this.#audio.firstTime(d.audio) : undefined]);
  }

  #copy(t: number, segment: ReadySegment): void {
    const d = demuxSegment(this.#input.read(segment.files[0] ?? ''), this.#arena);
    const shifts = this.#shifts ?? [];
    if (segment.discontinuity === true && segment.index > 0) {
      // Another encoding whose timestamps start anywhere: it goes on from where this track ended.
      const first = Math.min(...this.#firstTimes(t, d));
      const ended = Math.max(...present([t === 0 ? this.#video.end() : undefined, t === this.#audioFrom ? this.#audio.end() : undefined]));
      if (Number.isFinite(first) && Number.isFinite(ended)) shifts[t] = first - ended;
    }
    const shift = shifts[t] ?? 0;
    if (t === 0 && d.video.length > 0) this.#write('video', this.#video.add(d.video, shift, this.#output));
    if (t === this.#audioFrom && d.audio.length > 0) this.#write('audio', this.#audio.add(d.audio, shift, segment.discontinuity === true, this.#output));
  }

  #write(kind: 'video' | 'audio', chunk: Chunk): void {
    if (chunk.samples === 0) return;
    fs.writeSync(this.#fd, chunk.bytes, 0, chunk.bytes.length, this.#at);
    this.#chunks[kind].push({ offset: this.#at, samples: chunk.samples });
    this.#at += chunk.bytes.length;
    this.#unflushed += chunk.bytes.length;
    // Flushed in the thread pool while the join goes on; one flush at a time.
    if (this.#unflushed >= FLUSH_EVERY && this.#flushing === undefined) {
      this.#unflushed = 0;
      this.#flushing = new Promise<void>((resolve) =>
        fs.fdatasync(this.#fd, (error) => {
          this.#flushing = undefined;
          // A flush that failed now fails again at the end, where the file is flushed before it counts.
          if (error !== null) this.#failure ??= error;
          resolve();
        }),
      );
    }
  }
}

function present(values: ReadonlyArray<number | undefined>): number[] {
  return values.filter((x) => x !== undefined);
}
