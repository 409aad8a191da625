// One output track of the MPEG-TS remux: a segment's PES packets in, the segment's samples out
// as one chunk of bytes, the sample tables kept. Timestamps are 90 kHz, shifted to start at 0.
import { audioSpecificConfig, readAdts, type AacConfig } from './adts.ts';
import { accessUnit, avcC, nalUnits, readSps, writeSample, type AccessUnit, type ParameterSets, type SpsInfo } from './h264.ts';
import { avc1, mp4a, type TrackTables } from './mp4-boxes.ts';
import type { Scratch } from './scratch.ts';
import type { Pes } from './ts-demux.ts';

/** A lone picture's duration, for want of a next one to measure it by (90 kHz). */
const ONE_FRAME_AT_30 = 3000;
const WRAP = 2 ** 33;
const HALF_WRAP = 2 ** 32;

/**
 * The stream's clock: 33-bit timestamps that wrap (every 26.5 hours) made to follow the last one
 * read. One for all tracks: their timestamps lie seconds apart, so the one just read from any
 * track tells which side of a wrap the next is on.
 */
export class Timeline {
  #last: number | undefined;

  unwrap(raw: number): number {
    const previous = this.#last;
    let t = raw;
    if (previous !== undefined) {
      while (t - previous < -HALF_WRAP) t += WRAP;
      while (t - previous > HALF_WRAP) t -= WRAP;
    }
    this.#last = t;
    return t;
  }
}

/** Timestamps that went back without a discontinuity marked: a stream the MP4 cannot follow. */
function wentBack(kind: string, from: number, to: number): Error {
  return new Error(`the ${kind} timestamps go back from ${(from / 90_000).toFixed(3)} s to ${(to / 90_000).toFixed(3)} s where no discontinuity is marked`);
}

/** What a track makes of one segment: its bytes (one chunk) and how many samples they hold. */
export interface Chunk {
  bytes: Buffer;
  samples: number;
}

export class VideoTrack {
  readonly params: ParameterSets = {};
  #sps: SpsInfo | undefined;
  readonly #dts: number[] = [];
  readonly #pts: number[] = [];
  readonly #sizes: number[] = [];
  readonly #keys: number[] = [];
  readonly #clock: Timeline;

  constructor(clock: Timeline) {
    this.#clock = clock;
  }

  /** The earliest presentation time among `pes` (unwrapped as this track would), or undefined. */
  firstTime(pes: readonly Pes[]): number | undefined {
    let first: number | undefined;
    for (const p of pes) if (p.pts !== undefined) first = Math.min(first ?? Infinity, this.#clock.unwrap(p.pts));
    return first;
  }

  /** Turns a segment's PES packets into samples; timestamps less `shift`. */
  add(pes: readonly Pes[], shift: number, out: Scratch): Chunk {
    const units: Array<{ unit: AccessUnit; dts: number; pts: number }> = [];
    let pending: { units: Buffer[]; dts: number; pts: number } | undefined;
    const close = (): void => {
      if (pending !== undefined) units.push({ unit: accessUnit(pending.units, this.params), dts: pending.dts, pts: pending.pts });
    };
    for (const p of pes) {
      const nals = nalUnits(p.data);
      if (p.pts === undefined || p.dts === undefined) {
        // The rest of the picture before (a PES without timestamps continues it).
        pending?.units.push(...nals);
        continue;
      }
      close();
      const dts = this.#clock.unwrap(p.dts);
      pending = { units: nals, dts: dts - shift, pts: this.#clock.unwrap(p.pts) - shift };
    }
    close();
    if (this.#sps === undefined && this.params.sps !== undefined) this.#sps = readSps(this.params.sps);
    const bytes = out.take(units.reduce((n, u) => n + u.unit.bytes, 0));
    let at = 0;
    for (const { unit, dts, pts } of units) {
      const last = this.#dts.at(-1);
      if (last !== undefined && dts <= last) throw wentBack('video', last, dts);
      at = writeSample(unit, bytes, at);
      this.#dts.push(dts);
      this.#pts.push(pts);
      this.#sizes.push(unit.bytes);
      if (unit.key) this.#keys.push(this.#sizes.length);
    }
    return { bytes, samples: units.length };
  }

  /** Where the track ends (the last picture's presentation time plus its duration), or undefined before any. */
  end(): number | undefined {
    if (this.#pts.length === 0) return undefined;
    return Math.max(...this.#pts.slice(-32)) + this.#lastDuration();
  }

  #lastDuration(): number {
    const n = this.#dts.length;
    return n >= 2 ? (this.#dts[n - 1] ?? 0) - (this.#dts[n - 2] ?? 0) : ONE_FRAME_AT_30;
  }

  info(): SpsInfo | undefined {
    return this.#sps;
  }

  tables(id: number, chunks: TrackTables['chunks']): TrackTables {
    const { sps, pps } = this.params;
    if (this.#sps === undefined || sps === undefined || pps === undefined) throw new Error('the video holds no sequence and picture parameter sets');
    const durations = this.#dts.map((d, i) => (this.#dts[i + 1] ?? d + this.#lastDuration()) - d);
    const first = this.#dts[0] ?? 0;
    const earliest = this.#pts.reduce((m, p) => Math.min(m, p), Infinity);
    const latest = this.#pts.reduce((m, p) => Math.max(m, p), -Infinity);
    return {
      kind: 'video',
      id,
      timescale: 90_000,
      entry: avc1(this.#sps.width, this.#sps.height, avcC(sps, pps, this.#sps)),
      width: this.#sps.width,
      height: this.#sps.height,
      sizes: this.#sizes,
      durations,
      offsets: this.#pts.map((p, i) => p - (this.#dts[i] ?? 0)),
      keys: this.#keys,
      chunks,
      delayMs: Math.max(0, Math.round(earliest / 90)),
      mediaStart: Math.max(0, earliest - first),
      span: latest + this.#lastDuration() - earliest,
    };
  }
}

export class AudioTrack {
  config: AacConfig | undefined;
  readonly #times: number[] = [];
  readonly #sizes: number[] = [];
  readonly #samples: number[] = [];
  #rest: Buffer = Buffer.alloc(0);
  #next: number | undefined;
  readonly #clock: Timeline;

  constructor(clock: Timeline) {
    this.#clock = clock;
  }

  firstTime(pes: readonly Pes[]): number | undefined {
    const p = pes.find((x) => x.pts !== undefined)?.pts;
    return p === undefined ? undefined : this.#clock.unwrap(p);
  }

  add(pes: readonly Pes[], shift: number, discontinuity: boolean, out: Scratch): Chunk {
    const frames: Buffer[] = [];
    if (discontinuity) this.#rest = Buffer.alloc(0);
    for (const p of pes) {
      const carried = this.#rest.length;
      const { frames: found, config, rest } = readAdts(carried === 0 ? p.data : Buffer.concat([this.#rest, p.data]));
      this.#rest = Buffer.from(rest);
      this.config ??= config;
      const rate = this.config?.sampleRate ?? 48_000;
      // The PES's time is that of the first frame starting in it: after one carried over, if any.
      let time = p.pts === undefined ? this.#next : this.#clock.unwrap(p.pts) - shift;
      found.forEach((frame, i) => {
        const t = i === 0 && carried > 0 && this.#next !== undefined ? this.#next : (time ?? 0);
        const last = this.#times.at(-1);
        if (last !== undefined && t < last) throw wentBack('audio', last, t);
        frames.push(frame.data);
        this.#times.push(t);
        this.#sizes.push(frame.data.length);
        this.#samples.push(frame.samples);
        this.#next = t + (frame.samples * 90_000) / rate;
        if (i > 0 || carried === 0) time = this.#next;
      });
    }
    const bytes = out.take(frames.reduce((n, f) => n + f.length, 0));
    let at = 0;
    for (const frame of frames) at += frame.copy(bytes, at);
    return { bytes, samples: frames.length };
  }

  end(): number | undefined {
    return this.#next;
  }

  tables(id: number, chunks: TrackTables['chunks']): TrackTables {
    const c = this.config;
    if (c === undefined) throw new Error('the audio holds no AAC frame');
    const rate = c.sampleRate;
    // Each frame lasts its samples; a gap in the timestamps (missing audio) lengthens the frame before it.
    const durations = this.#samples.map((n, i) => {
      const next = this.#times[i + 1];
      if (next === undefined) return n;
      const gap = Math.round(((next - (this.#times[i] ?? 0)) * rate) / 90_000);
      return gap > n * 1.5 ? gap : n;
    });
    return {
      kind: 'audio',
      id,
      timescale: rate,
      entry: mp4a(c.channels, rate, audioSpecificConfig(c)),
      width: 0,
      height: 0,
      sizes: this.#sizes,
      durations,
      offsets: [],
      keys: undefined,
      chunks,
      delayMs: Math.max(0, Math.round((this.#times[0] ?? 0) / 90)),
      mediaStart: 0,
      span: durations.reduce((n, d) => n + d, 0),
    };
  }
}
