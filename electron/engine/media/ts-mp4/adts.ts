// AAC as MPEG-TS carries it (ADTS frames, ISO/IEC 13818-7) turned into MP4 samples: each frame
// without its header; the header's profile, rate and channels become the AudioSpecificConfig.

const RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

export interface AacConfig {
  /** Audio object type (2: AAC LC). */
  objectType: number;
  rateIndex: number;
  sampleRate: number;
  channels: number;
}

export interface AacFrame {
  /** The raw frame, without the ADTS header. */
  data: Buffer;
  /** Samples per channel: 1024 per raw data block. */
  samples: number;
}

/**
 * Cuts ADTS frames out of `bytes` (a PES payload, after what was left of the last one). Returns
 * the frames, the config of the first, and what is left over: a frame the next PES finishes.
 */
export function readAdts(bytes: Buffer): { frames: AacFrame[]; config: AacConfig | undefined; rest: Buffer } {
  const frames: AacFrame[] = [];
  let config: AacConfig | undefined;
  let at = 0;
  while (at + 7 <= bytes.length) {
    if (bytes[at] !== 0xff || ((bytes[at + 1] ?? 0) & 0xf6) !== 0xf0) {
      at++;
      continue;
    }
    const b2 = bytes[at + 2] ?? 0;
    const b3 = bytes[at + 3] ?? 0;
    const length = ((b3 & 0x03) << 11) | ((bytes[at + 4] ?? 0) << 3) | ((bytes[at + 5] ?? 0) >> 5);
    const header = ((bytes[at + 1] ?? 0) & 1) === 1 ? 7 : 9;
    if (length < header) {
      at++;
      continue;
    }
    if (at + length > bytes.length) break;
    const rateIndex = (b2 >> 2) & 0x0f;
    const sampleRate = RATES[rateIndex];
    if (sampleRate === undefined) throw new Error(`an AAC frame names sampling frequency index ${rateIndex}, which does not exist`);
    config ??= { objectType: (b2 >> 6) + 1, rateIndex, sampleRate, channels: ((b2 & 1) << 2) | (b3 >> 6) };
    frames.push({ data: bytes.subarray(at + header, at + length), samples: 1024 * (((bytes[at + 6] ?? 0) & 3) + 1) });
    at += length;
  }
  return { frames, config, rest: bytes.subarray(at) };
}

/** The two-byte AudioSpecificConfig (ISO/IEC 14496-3) an MP4's esds carries. */
export function audioSpecificConfig(c: AacConfig): Buffer {
  return Buffer.from([(c.objectType << 3) | (c.rateIndex >> 1), ((c.rateIndex & 1) << 7) | (c.channels << 3)]);
}
