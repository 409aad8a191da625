// The segment index box (ISO/IEC 14496-12 8.16.3) a DASH SegmentBase points at with indexRange:
// where each segment of one file lies and how long it plays.

export interface SegmentIndex {
  timescale: number;
  /** Bytes from the end of the index to the first segment. */
  firstOffset: number;
  references: Array<{ size: number; duration: number; isIndex: boolean }>;
}

/** Reads the index at the start of `bytes`; throws naming what is wrong. */
export function readSidx(bytes: Buffer): SegmentIndex {
  if (bytes.length < 8 || bytes.toString('latin1', 4, 8) !== 'sidx') throw new Error('its index range holds no segment index (sidx) box');
  const size = bytes.readUInt32BE(0);
  if (size < 32 || size > bytes.length) throw new Error(`its segment index says ${size} bytes, but the index range holds ${bytes.length}`);
  const version = bytes[8] ?? 0;
  const timescale = bytes.readUInt32BE(16);
  let at = 20;
  let firstOffset: number;
  if (version === 0) {
    firstOffset = bytes.readUInt32BE(at + 4);
    at += 8;
  } else {
    firstOffset = Number(bytes.readBigUInt64BE(at + 8));
    at += 16;
  }
  const count = bytes.readUInt16BE(at + 2);
  at += 4;
  if (at + 12 * count > size) throw new Error(`its segment index lists ${count} segments in ${size} bytes`);
  if (timescale === 0) throw new Error('its segment index has a timescale of 0');
  const references: SegmentIndex['references'] = [];
  for (let i = 0; i < count; i++, at += 12) {
    const word = bytes.readUInt32BE(at);
    references.push({ isIndex: word >>> 31 === 1, size: word & 0x7fffffff, duration: bytes.readUInt32BE(at + 4) });
  }
  return { timescale, firstOffset, references };
}
