import fs from 'node:fs';
import {
  ALL_FORMATS,
  BufferSource,
  EncodedAudioPacketSource,
  type EncodedPacket,
  EncodedPacketSink,
  EncodedVideoPacketSource,
  FilePathTarget,
  Input,
  type InputAudioTrack,
  type InputVideoTrack,
  Mp4OutputFormat,
  Output,
} from 'mediabunny';

/** One segment of a stream's track, ready on disk: its files read as one (an fMP4 init section first). */
export interface ReadySegment {
  /** 0: the main stream (video, and its audio when muxed in); 1: a separate audio rendition. */
  track: number;
  /** Its place within its track. */
  index: number;
  files: string[];
  /** Its timestamps need not follow the previous segment's (EXT-X-DISCONTINUITY: another encoding, an inserted clip). */
  discontinuity?: boolean | undefined;
}

export interface RemuxResult {
  /** Seconds of the longest track written. */
  duration: number;
  video?: { codec: string; width: number; height: number } | undefined;
  audio?: { codec: string; channels: number; sampleRate: number } | undefined;
}

type Feed = { kind: 'video'; source: EncodedVideoPacketSource } | { kind: 'audio'; source: EncodedAudioPacketSource };

/**
 * Joins a stream's segments into one MP4 without re-encoding, segment by segment as they are
 * handed in (in any order; each track is written in its own order), so the joining runs while
 * the rest still downloads and only one segment per track is read at a time. The video (and
 * its audio, when muxed in) comes from track 0, the audio from track 1 when there is one.
 * Timestamps are shifted so the stream starts at 0 (MPEG-TS timestamps rarely do).
 */
export class Remuxer {
  readonly #output: Output;
  readonly #tracks: number;
  readonly #waiting: Array<Map<number, ReadySegment>>;
  readonly #wake: Array<(() => void) | undefined>;
  readonly #next: number[];
  #ended = false;
  #feeds: Feed[][] | undefined;
  /** Per input track: what is taken off its timestamps, and where its last packet ended. */
  #shifts: number[] = [];
  #ends: number[] = [];
  #end = 0;
  readonly #result: RemuxResult = { duration: 0 };
  readonly #done: Promise<RemuxResult>;

  constructor(output: string, tracks: number) {
    this.#output = new Output({ format: new Mp4OutputFormat({ fastStart: false }), target: new FilePathTarget(output, { chunkSize: 2 * 1024 * 1024 }) });
    this.#tracks = tracks;
    this.#waiting = Array.from({ length: tracks }, () => new Map());
    this.#wake = Array.from({ length: tracks }, () => undefined);
    this.#next = Array.from({ length: tracks }, () => 0);
    this.#done = this.#run();
    // The outcome is read through finished(); an early failure must not go unhandled meanwhile.
    this.#done.catch(() => undefined);
  }

  /** A segment is on disk. */
  add(segment: ReadySegment): void {
    this.#waiting[segment.track]?.set(segment.index, segment);
    this.#wake[segment.track]?.();
  }

  /** Every segment has been added: the file is finished once they are written. */
  finish(): Promise<RemuxResult> {
    this.#ended = true;
    for (const wake of this.#wake) wake?.();
    return this.#done;
  }

  async #run(): Promise<RemuxResult> {
    const firsts = await Promise.all(Array.from({ length: this.#tracks }, (_, t) => this.#take(t)));
    const opened = firsts.map((segment) => (segment === undefined ? undefined : openSegment(segment)));
    try {
      this.#feeds = await this.#setUp(opened);
      await this.#output.start();
      await Promise.all(
        this.#feeds.map(async (feeds, t) => {
          const first = opened[t];
          if (first !== undefined) await this.#copy(first, feeds, t, true);
          for (let segment = await this.#take(t); segment !== undefined; segment = await this.#take(t)) {
            const input = openSegment(segment);
            try {
              // After a discontinuity the timestamps start anywhere: they go on from where this track ended.
              if (segment.discontinuity === true) this.#shifts[t] = (await firstTimestamp(input, feeds)) - (this.#ends[t] ?? 0);
              await this.#copy(input, feeds, t, false);
            } finally {
              input.close();
            }
          }
        }),
      );
      await this.#output.finalize();
      this.#result.duration = this.#end;
      return this.#result;
    } catch (error) {
      await this.#output.cancel().catch(() => undefined);
      throw error;
    } finally {
      for (const input of opened) input?.close();
    }
  }

  /** The next segment of track `t` in order, once it is here; undefined when the track has ended. */
  async #take(t: number): Promise<ReadySegment | undefined> {
    const waiting = this.#waiting[t] ?? new Map<number, ReadySegment>();
    for (;;) {
      const segment = waiting.get(this.#next[t] ?? 0);
      if (segment !== undefined) {
        waiting.delete(segment.index);
        this.#next[t] = segment.index + 1;
        return segment;
      }
      if (this.#ended) return undefined;
      await new Promise<void>((resolve) => {
        this.#wake[t] = resolve;
      });
      this.#wake[t] = undefined;
    }
  }

  /** The output's tracks, from the first segment of each input track: video from track 0, audio from the last track that has some. */
  async #setUp(opened: ReadonlyArray<OpenSegment | undefined>): Promise<Feed[][]> {
    const feeds: Feed[][] = opened.map(() => []);
    const starts: number[] = [];
    const video = await opened[0]?.input.getPrimaryVideoTrack();
    if (video !== null && video !== undefined) {
      const codec = await video.getCodec();
      if (codec === null) throw new Error('the video codec is not one Haul can put in an MP4');
      const source = new EncodedVideoPacketSource(codec);
      this.#output.addVideoTrack(source);
      feeds[0]?.push({ kind: 'video', source });
      starts.push(await video.getFirstTimestamp());
      this.#result.video = { codec, width: await video.getDisplayWidth(), height: await video.getDisplayHeight() };
    }
    for (let t = opened.length - 1; t >= 0; t--) {
      const audio = await opened[t]?.input.getPrimaryAudioTrack();
      if (audio === null || audio === undefined) continue;
      const codec = await audio.getCodec();
      if (codec === null) throw new Error('the audio codec is not one Haul can put in an MP4');
      const source = new EncodedAudioPacketSource(codec);
      this.#output.addAudioTrack(source);
      feeds[t]?.push({ kind: 'audio', source });
      starts.push(await audio.getFirstTimestamp());
      this.#result.audio = { codec, channels: await audio.getNumberOfChannels(), sampleRate: await audio.getSampleRate() };
      break;
    }
    if (starts.length === 0) throw new Error('the stream holds neither video nor audio Haul can read');
    const shift = Math.min(...starts);
    this.#shifts = opened.map(() => shift);
    this.#ends = opened.map(() => 0);
    return feeds;
  }

  /** Copies one segment's packets of the kinds `feeds` take; the first segment also hands over each track's decoder config. */
  async #copy(segment: OpenSegment, feeds: readonly Feed[], t: number, first: boolean): Promise<void> {
    // A segment's video and audio go in side by side: the muxer interleaves them by time.
    await Promise.all(feeds.map((feed) => this.#copyTrack(segment, feed, t, first)));
  }

  async #copyTrack(segment: OpenSegment, feed: Feed, t: number, first: boolean): Promise<void> {
    const track = await trackOf(segment, feed);
    if (track === null) return;
    const config = first ? await track.getDecoderConfig() : null;
    let meta = config === null ? undefined : { decoderConfig: config };
    for await (const packet of new EncodedPacketSink(track).packets()) {
      const moved = this.#moved(packet, this.#shifts[t] ?? 0);
      if (feed.kind === 'video') await feed.source.add(moved, meta as Parameters<EncodedVideoPacketSource['add']>[1]);
      else await feed.source.add(moved, meta as Parameters<EncodedAudioPacketSource['add']>[1]);
      meta = undefined;
      const end = moved.timestamp + moved.duration;
      this.#ends[t] = Math.max(this.#ends[t] ?? 0, end);
      this.#end = Math.max(this.#end, end);
    }
  }

  #moved(packet: EncodedPacket, shift: number): EncodedPacket {
    return shift === 0 ? packet : packet.clone({ timestamp: Math.max(0, packet.timestamp - shift) });
  }
}

/** The segment's track a feed takes its packets from. */
function trackOf(segment: OpenSegment, feed: Feed): Promise<InputVideoTrack | InputAudioTrack | null> {
  return feed.kind === 'video' ? segment.input.getPrimaryVideoTrack() : segment.input.getPrimaryAudioTrack();
}

/** The earliest first timestamp among the tracks of a segment that `feeds` take. */
async function firstTimestamp(segment: OpenSegment, feeds: readonly Feed[]): Promise<number> {
  const firsts: number[] = [];
  for (const feed of feeds) {
    const track = await trackOf(segment, feed);
    if (track !== null) firsts.push(await track.getFirstTimestamp());
  }
  return firsts.length === 0 ? 0 : Math.min(...firsts);
}

interface OpenSegment {
  input: Input;
  close(): void;
}

function openSegment(segment: ReadySegment): OpenSegment {
  // A segment is a few MiB at most: read whole, once, it is parsed from memory with no read of its own per packet.
  const bytes = Buffer.concat(segment.files.map((file) => fs.readFileSync(file)));
  const input = new Input({ source: new BufferSource(bytes), formats: ALL_FORMATS });
  return { input, close: () => input.dispose() };
}
