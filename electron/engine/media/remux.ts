import fs from 'node:fs';
import {
  ALL_FORMATS,
  CustomSource,
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

/** What to join: each input is one stream's files in order (an init section first, for fMP4), read as one. */
export interface RemuxJob {
  inputs: string[][];
  output: string;
}

export interface RemuxResult {
  /** Seconds of the longest track written. */
  duration: number;
  video?: { codec: string; width: number; height: number } | undefined;
  audio?: { codec: string; channels: number; sampleRate: number } | undefined;
}

/**
 * Copies the packets of a stream's segments into one MP4 without re-encoding: the video (and
 * its audio) from the first input, audio from the second when a separate rendition was fetched.
 * Files are read where they lie, as one virtual file, so nothing is concatenated first.
 */
export async function remux(job: RemuxJob): Promise<RemuxResult> {
  const sources = job.inputs.map((files) => filesAsOne(files));
  const inputs = sources.map(({ source }) => new Input({ source, formats: ALL_FORMATS }));
  try {
    const video = await inputs[0]?.getPrimaryVideoTrack();
    const audio = (inputs.length > 1 ? await inputs[1]?.getPrimaryAudioTrack() : undefined) ?? (await inputs[0]?.getPrimaryAudioTrack());
    if ((video ?? null) === null && (audio ?? null) === null) throw new Error('the stream holds neither video nor audio Haul can read');
    const output = new Output({ format: new Mp4OutputFormat({ fastStart: false }), target: new FilePathTarget(job.output) });
    const feeds: Array<() => Promise<number>> = [];
    let shift = 0;
    const result: RemuxResult = { duration: 0 };
    if (video !== null && video !== undefined) {
      const codec = await video.getCodec();
      if (codec === null) throw new Error('the video codec is not one Haul can put in an MP4');
      const source = new EncodedVideoPacketSource(codec);
      output.addVideoTrack(source);
      feeds.push(() => copyVideo(video, source, shift));
      result.video = { codec, width: await video.getDisplayWidth(), height: await video.getDisplayHeight() };
    }
    if (audio !== null && audio !== undefined) {
      const codec = await audio.getCodec();
      if (codec === null) throw new Error('the audio codec is not one Haul can put in an MP4');
      const source = new EncodedAudioPacketSource(codec);
      output.addAudioTrack(source);
      feeds.push(() => copyAudio(audio, source, shift));
      result.audio = { codec, channels: await audio.getNumberOfChannels(), sampleRate: await audio.getSampleRate() };
    }
    // Streams rarely start at 0 (MPEG-TS timestamps are offset): the earliest packet of either track becomes 0.
    const starts = await Promise.all([video, audio].flatMap((t) => (t === null || t === undefined ? [] : [t.getFirstTimestamp()])));
    shift = Math.min(...starts);
    await output.start();
    // Each track is fed on its own: the muxer interleaves them, waiting for the slower one.
    const ends = await Promise.all(feeds.map((feed) => feed()));
    await output.finalize();
    result.duration = Math.max(0, ...ends);
    return result;
  } finally {
    for (const input of inputs) input.dispose();
    for (const { close } of sources) close();
  }
}

async function copyVideo(track: InputVideoTrack, source: EncodedVideoPacketSource, shift: number): Promise<number> {
  const config = await track.getDecoderConfig();
  return copyPackets(track, shift, (packet, first) => source.add(packet, first && config !== null ? { decoderConfig: config } : undefined));
}

async function copyAudio(track: InputAudioTrack, source: EncodedAudioPacketSource, shift: number): Promise<number> {
  const config = await track.getDecoderConfig();
  return copyPackets(track, shift, (packet, first) => source.add(packet, first && config !== null ? { decoderConfig: config } : undefined));
}

async function copyPackets(track: InputVideoTrack | InputAudioTrack, shift: number, add: (packet: EncodedPacket, first: boolean) => Promise<void>): Promise<number> {
  let first = true;
  let end = 0;
  for await (const packet of new EncodedPacketSink(track).packets()) {
    const moved = shift === 0 ? packet : packet.clone({ timestamp: Math.max(0, packet.timestamp - shift) });
    await add(moved, first);
    first = false;
    end = Math.max(end, moved.timestamp + moved.duration);
  }
  return end;
}

/** Files read in order as one: what a stream's segments are once put end to end. */
function filesAsOne(files: readonly string[]): { source: CustomSource; close(): void } {
  const sizes = files.map((f) => fs.statSync(f).size);
  const starts: number[] = [];
  let total = 0;
  for (const size of sizes) {
    starts.push(total);
    total += size;
  }
  const handles = new Map<number, number>();
  const fdOf = (i: number): number => {
    let fd = handles.get(i);
    if (fd === undefined) handles.set(i, (fd = fs.openSync(files[i] as string, 'r')));
    return fd;
  };
  const source = new CustomSource({
    getSize: () => total,
    read: (start, end) => {
      const out = new Uint8Array(end - start);
      let at = start;
      while (at < end) {
        let i = starts.findLastIndex((s) => s <= at);
        while ((sizes[i] ?? 0) === 0 && i < files.length - 1) i += 1;
        const within = at - (starts[i] ?? 0);
        const n = Math.min(end - at, (sizes[i] ?? 0) - within);
        if (n <= 0) break;
        fs.readSync(fdOf(i), out, at - start, n, within);
        at += n;
      }
      return out;
    },
  });
  return {
    source,
    close: () => {
      for (const fd of handles.values()) fs.closeSync(fd);
      handles.clear();
    },
  };
}
