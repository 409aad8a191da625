// MPEG-TS (ISO/IEC 13818-1) as HLS serves it: the program map, then each elementary stream's PES
// packets, their payloads joined and their timestamps read. Only what a remux to MP4 needs.
import { Scratch } from './scratch.ts';

const PACKET = 188;
const SYNC = 0x47;

/** Stream types this remux copies; anything else a/v in the program sends the stream to the general one. */
export const H264 = 0x1b;
export const AAC_ADTS = 0x0f;
/** Carried but not media (ID3 timed metadata, SCTE-35 cues): skipped. */
const DATA_TYPES = new Set([0x15, 0x86]);

export interface Pes {
  /** 90 kHz, as sent (33 bits); undefined when the PES carries none. */
  pts: number | undefined;
  dts: number | undefined;
  data: Buffer;
}

export interface Demuxed {
  video: Pes[];
  audio: Pes[];
  /** Stream types of the program's a/v streams this remux cannot copy (HEVC, MP3, AC-3…). */
  unsupported: number[];
}

/** The first offset where packets line up (a sync byte every 188 bytes), or -1. */
export function syncOffset(bytes: Uint8Array): number {
  const limit = Math.min(bytes.length - PACKET, PACKET);
  for (let i = 0; i <= limit; i++) {
    if (bytes[i] === SYNC && bytes[i + PACKET] === SYNC && (i + 2 * PACKET >= bytes.length || bytes[i + 2 * PACKET] === SYNC)) return i;
  }
  return -1;
}

/**
 * Splits one segment into its video and audio PES packets. An HLS segment starts with a PAT and
 * PMT and with a new PES on each stream, so each is read on its own. Throws on bytes that are
 * not a transport stream.
 */
export function demuxSegment(bytes: Buffer, arena: Scratch = new Scratch()): Demuxed {
  const start = syncOffset(bytes);
  if (start < 0) throw new Error('a segment is not an MPEG transport stream (no sync bytes)');
  let pmtPid = -1;
  let videoPid = -1;
  let audioPid = -1;
  const unsupported: number[] = [];
  const out: Demuxed = { video: [], audio: [], unsupported };
  // Each PES packet's payloads are put together in one buffer as large as the segment: together they are smaller.
  const joined = arena.take(bytes.length);
  let used = 0;
  // Where each payload lies (start, end pairs): a quarter of a million views of a segment cost more than the copying.
  const parts: Record<'video' | 'audio', number[]> = { video: [], audio: [] };
  const flush = (kind: 'video' | 'audio'): void => {
    const ranges = parts[kind];
    if (ranges.length === 0) return;
    const from = used;
    for (let i = 0; i < ranges.length; i += 2) used += bytes.copy(joined, used, ranges[i], ranges[i + 1]);
    ranges.length = 0;
    const pes = readPes(joined.subarray(from, used));
    if (pes !== undefined) out[kind].push(pes);
  };
  for (let at = start; at + PACKET <= bytes.length; at += PACKET) {
    if (bytes[at] !== SYNC) throw new Error(`a segment loses MPEG-TS sync at byte ${at}`);
    const b1 = bytes[at + 1] as number;
    const pid = ((b1 & 0x1f) << 8) | (bytes[at + 2] as number);
    const unitStart = (b1 & 0x40) !== 0;
    const control = ((bytes[at + 3] as number) >> 4) & 3;
    if ((control & 1) === 0) continue;
    let payload = at + 4;
    if ((control & 2) !== 0) payload += 1 + (bytes[at + 4] as number);
    if (payload >= at + PACKET) continue;
    if (pid === videoPid || pid === audioPid) {
      const kind = pid === videoPid ? 'video' : 'audio';
      if (unitStart) flush(kind);
      parts[kind].push(payload, at + PACKET);
    } else if (pid === 0 && unitStart) {
      pmtPid = readPat(bytes.subarray(payload, at + PACKET));
    } else if (pid === pmtPid && unitStart && videoPid < 0 && audioPid < 0) {
      for (const { type, pid: es } of readPmt(bytes.subarray(payload, at + PACKET))) {
        if (type === H264 && videoPid < 0) videoPid = es;
        else if (type === AAC_ADTS && audioPid < 0) audioPid = es;
        else if (!DATA_TYPES.has(type)) unsupported.push(type);
      }
    }
  }
  flush('video');
  flush('audio');
  return out;
}

/** The PID of the first program's map. */
function readPat(payload: Buffer): number {
  const s = 1 + (payload[0] ?? 0);
  const length = (((payload[s + 1] ?? 0) & 0x0f) << 8) | (payload[s + 2] ?? 0);
  for (let i = s + 8; i + 4 <= s + 3 + length - 4; i += 4) {
    const program = ((payload[i] ?? 0) << 8) | (payload[i + 1] ?? 0);
    if (program !== 0) return (((payload[i + 2] ?? 0) & 0x1f) << 8) | (payload[i + 3] ?? 0);
  }
  return -1;
}

function readPmt(payload: Buffer): Array<{ type: number; pid: number }> {
  const s = 1 + (payload[0] ?? 0);
  const length = (((payload[s + 1] ?? 0) & 0x0f) << 8) | (payload[s + 2] ?? 0);
  const end = Math.min(payload.length, s + 3 + length - 4);
  const infoLength = (((payload[s + 10] ?? 0) & 0x0f) << 8) | (payload[s + 11] ?? 0);
  const streams: Array<{ type: number; pid: number }> = [];
  for (let i = s + 12 + infoLength; i + 5 <= end; ) {
    const type = payload[i] ?? 0;
    const pid = (((payload[i + 1] ?? 0) & 0x1f) << 8) | (payload[i + 2] ?? 0);
    const esInfo = (((payload[i + 3] ?? 0) & 0x0f) << 8) | (payload[i + 4] ?? 0);
    streams.push({ type, pid });
    i += 5 + esInfo;
  }
  return streams;
}

/** A PES packet's timestamps and payload; undefined for one that does not start as a PES should. */
function readPes(pes: Buffer): Pes | undefined {
  if (pes.length < 9 || pes[0] !== 0 || pes[1] !== 0 || pes[2] !== 1) return undefined;
  const flags = (pes[7] ?? 0) >> 6;
  const headerEnd = 9 + (pes[8] ?? 0);
  const pts = (flags & 2) !== 0 ? timestamp(pes, 9) : undefined;
  const dts = flags === 3 ? timestamp(pes, 14) : pts;
  return { pts, dts, data: pes.subarray(headerEnd) };
}

/** A 33-bit timestamp in five bytes; above 2^32, so in floating point, not 32-bit shifts. */
function timestamp(b: Buffer, at: number): number {
  return (
    ((b[at] ?? 0) & 0x0e) * 536_870_912 + // 2^29
    (b[at + 1] ?? 0) * 4_194_304 + // 2^22
    ((b[at + 2] ?? 0) & 0xfe) * 16_384 + // 2^14
    (b[at + 3] ?? 0) * 128 +
    ((b[at + 4] ?? 0) >> 1)
  );
}
