import { describe, expect, it } from 'vitest';
import { readSidx } from '../../../../electron/engine/media/sidx.ts';

/** A sidx box of `version` with `refs` ([size, duration, isIndex]). */
function sidx(version: 0 | 1, timescale: number, firstOffset: number, refs: Array<[number, number, boolean]>): Buffer {
  const head = version === 0 ? 8 : 16;
  const b = Buffer.alloc(12 + 8 + head + 4 + 12 * refs.length);
  b.writeUInt32BE(b.length, 0);
  b.write('sidx', 4, 'latin1');
  b[8] = version;
  b.writeUInt32BE(1, 12);
  b.writeUInt32BE(timescale, 16);
  if (version === 0) b.writeUInt32BE(firstOffset, 24);
  else b.writeBigUInt64BE(BigInt(firstOffset), 28);
  const at = 20 + head;
  b.writeUInt16BE(refs.length, at + 2);
  refs.forEach(([size, duration, isIndex], i) => {
    b.writeUInt32BE(((isIndex ? 1 : 0) * 2 ** 31 + size) >>> 0, at + 4 + 12 * i);
    b.writeUInt32BE(duration, at + 8 + 12 * i);
  });
  return b;
}

describe('the segment index (sidx)', () => {
  it('reads both versions: timescale, the offset to the first segment, each segment’s size and duration', () => {
    for (const version of [0, 1] as const) {
      expect(
        readSidx(
          sidx(version, 90_000, 12, [
            [1000, 180_000, false],
            [2000, 90_000, false],
          ]),
        ),
      ).toEqual({
        timescale: 90_000,
        firstOffset: 12,
        references: [
          { size: 1000, duration: 180_000, isIndex: false },
          { size: 2000, duration: 90_000, isIndex: false },
        ],
      });
    }
    expect(readSidx(sidx(0, 1000, 0, [[5, 1, true]])).references[0]?.isIndex).toBe(true);
  });

  it('names what is wrong with bytes that are not one', () => {
    expect(() => readSidx(Buffer.from('0000001cmoov', 'latin1'))).toThrow('its index range holds no segment index (sidx) box');
    const short = sidx(0, 1000, 0, [[5, 1, false]]);
    expect(() => readSidx(short.subarray(0, 30))).toThrow(/its segment index says \d+ bytes, but the index range holds 30/u);
    expect(() => readSidx(sidx(0, 0, 0, [[5, 1, false]]))).toThrow('its segment index has a timescale of 0');
  });
});
