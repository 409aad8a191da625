// H.264 as MPEG-TS carries it (Annex B: NAL units after start codes) turned into what an MP4
// holds (each NAL unit after its length; the parameter sets in the sample entry's avcC).

const NAL_IDR = 5;
const NAL_SPS = 7;
const NAL_PPS = 8;
const NAL_AUD = 9;
const START = Buffer.from([0, 0, 1]);

/** The NAL units of Annex B bytes, without start codes or the zeros before them. */
export function nalUnits(data: Buffer): Buffer[] {
  const units: Buffer[] = [];
  let at = data.indexOf(START);
  while (at >= 0) {
    const from = at + 3;
    const next = data.indexOf(START, from);
    let end = next < 0 ? data.length : next;
    // A NAL unit never ends in a zero byte: those are the next start code's leading zeros.
    while (end > from && data[end - 1] === 0) end--;
    if (end > from) units.push(data.subarray(from, end));
    at = next;
  }
  return units;
}

export interface AccessUnit {
  /** The NAL units of one picture, without access unit delimiters. */
  units: Buffer[];
  key: boolean;
  bytes: number;
}

/** Keeps the units a sample holds; notes the parameter sets; says whether the picture is an IDR. */
export function accessUnit(units: readonly Buffer[], params: ParameterSets): AccessUnit {
  const kept: Buffer[] = [];
  let key = false;
  let bytes = 0;
  for (const unit of units) {
    const type = (unit[0] ?? 0) & 0x1f;
    if (type === NAL_AUD) continue;
    if (type === NAL_SPS) params.sps ??= Buffer.from(unit);
    if (type === NAL_PPS) params.pps ??= Buffer.from(unit);
    if (type === NAL_IDR) key = true;
    kept.push(unit);
    bytes += 4 + unit.length;
  }
  return { units: kept, key, bytes };
}

/**
 * How many pictures begin among `units`: slices (coded, IDR) whose first macroblock is 0 (the
 * first bit of first_mb_in_slice set). This remux takes one PES packet as one picture, as
 * segmenters write them; a stream packing several into one is left to the general remux.
 */
export function picturesIn(units: readonly Buffer[]): number {
  let n = 0;
  for (const unit of units) {
    const type = (unit[0] ?? 0) & 0x1f;
    if ((type === 1 || type === NAL_IDR) && ((unit[1] ?? 0) & 0x80) !== 0) n++;
  }
  return n;
}

/** Writes an access unit as an MP4 sample (4-byte lengths) into `into` at `at`; returns the end. */
export function writeSample(unit: AccessUnit, into: Buffer, at: number): number {
  let p = at;
  for (const nal of unit.units) {
    into.writeUInt32BE(nal.length, p);
    nal.copy(into, p + 4);
    p += 4 + nal.length;
  }
  return p;
}

/** The first sequence and picture parameter sets seen: the sample entry's. */
export interface ParameterSets {
  sps?: Buffer;
  pps?: Buffer;
}

export interface SpsInfo {
  profile: number;
  compatibility: number;
  level: number;
  chromaFormat: number;
  bitDepthLuma: number;
  bitDepthChroma: number;
  width: number;
  height: number;
}

/** The avcC box's body (AVCDecoderConfigurationRecord, ISO/IEC 14496-15). */
export function avcC(sps: Buffer, pps: Buffer, info: SpsInfo): Buffer {
  const head = Buffer.from([1, info.profile, info.compatibility, info.level, 0xff, 0xe1, sps.length >> 8, sps.length & 0xff]);
  const mid = Buffer.from([1, pps.length >> 8, pps.length & 0xff]);
  // The High profiles add their chroma format and bit depths.
  const high = [100, 110, 122, 144].includes(info.profile) ? Buffer.from([0xfc | info.chromaFormat, 0xf8 | (info.bitDepthLuma - 8), 0xf8 | (info.bitDepthChroma - 8), 0]) : Buffer.alloc(0);
  return Buffer.concat([head, sps, mid, pps, high]);
}

/** Reads a sequence parameter set (ITU-T H.264 7.3.2.1.1) as far as the picture's size. */
export function readSps(nal: Buffer): SpsInfo {
  const r = new BitReader(withoutEmulationPrevention(nal.subarray(1)));
  const profile = r.bits(8);
  const compatibility = r.bits(8);
  const level = r.bits(8);
  r.ue();
  let chromaFormat = 1;
  let bitDepthLuma = 8;
  let bitDepthChroma = 8;
  let separateColourPlanes = 0;
  if ([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135].includes(profile)) {
    chromaFormat = r.ue();
    if (chromaFormat === 3) separateColourPlanes = r.bits(1);
    bitDepthLuma = r.ue() + 8;
    bitDepthChroma = r.ue() + 8;
    r.bits(1);
    if (r.bits(1) === 1) {
      for (let i = 0; i < (chromaFormat === 3 ? 12 : 8); i++) if (r.bits(1) === 1) skipScalingList(r, i < 6 ? 16 : 64);
    }
  }
  r.ue();
  const pocType = r.ue();
  if (pocType === 0) r.ue();
  else if (pocType === 1) {
    r.bits(1);
    r.se();
    r.se();
    const cycle = r.ue();
    for (let i = 0; i < cycle; i++) r.se();
  }
  r.ue();
  r.bits(1);
  const widthMbs = r.ue() + 1;
  const heightUnits = r.ue() + 1;
  const frameMbsOnly = r.bits(1);
  if (frameMbsOnly === 0) r.bits(1);
  r.bits(1);
  let crop = [0, 0, 0, 0];
  if (r.bits(1) === 1) crop = [r.ue(), r.ue(), r.ue(), r.ue()];
  const chroma = separateColourPlanes === 1 ? 0 : chromaFormat;
  const cropX = chroma === 1 || chroma === 2 ? 2 : 1;
  const cropY = (chroma === 1 ? 2 : 1) * (2 - frameMbsOnly);
  const [left = 0, right = 0, top = 0, bottom = 0] = crop;
  return {
    profile,
    compatibility,
    level,
    chromaFormat,
    bitDepthLuma,
    bitDepthChroma,
    width: widthMbs * 16 - cropX * (left + right),
    height: (2 - frameMbsOnly) * heightUnits * 16 - cropY * (top + bottom),
  };
}

function skipScalingList(r: BitReader, size: number): void {
  let last = 8;
  let next = 8;
  for (let j = 0; j < size; j++) {
    if (next !== 0) next = (last + r.se() + 256) % 256;
    last = next === 0 ? last : next;
  }
}

/** The bytes without emulation prevention (00 00 03 → 00 00). */
function withoutEmulationPrevention(b: Buffer): Buffer {
  const out: number[] = [];
  for (let i = 0; i < b.length; i++) {
    if (i >= 2 && b[i] === 3 && b[i - 1] === 0 && b[i - 2] === 0) continue;
    out.push(b[i] ?? 0);
  }
  return Buffer.from(out);
}

class BitReader {
  readonly #bytes: Buffer;
  #at = 0;

  constructor(bytes: Buffer) {
    this.#bytes = bytes;
  }

  bits(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) {
      const byte = this.#bytes[this.#at >> 3];
      if (byte === undefined) throw new Error('a sequence parameter set ends early');
      v = v * 2 + ((byte >> (7 - (this.#at & 7))) & 1);
      this.#at++;
    }
    return v;
  }

  ue(): number {
    let zeros = 0;
    while (this.bits(1) === 0) if (++zeros > 31) throw new Error('a sequence parameter set holds a bad number');
    return 2 ** zeros - 1 + this.bits(zeros);
  }

  se(): number {
    const k = this.ue();
    return k % 2 === 1 ? (k + 1) / 2 : -k / 2;
  }
}
