/** The set bits of a BitTorrent bitfield (most significant bit first) below `count`, as [start, end) runs. */
export function bitRanges(bits: Uint8Array, count: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = -1;
  for (let i = 0; i <= count; i++) {
    const set = i < count && ((bits[i >> 3] ?? 0) & (0x80 >> (i & 7))) !== 0;
    if (set && start < 0) start = i;
    if (!set && start >= 0) {
      out.push([start, i]);
      start = -1;
    }
  }
  return out;
}
