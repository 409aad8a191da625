import { describe, expect, it } from 'vitest';
import { SegmentBuffers } from '../../../../electron/engine/media/segment-buffers.ts';

describe('segment buffers', () => {
  it('hands a buffer given back to the next segment it fits, the smallest that fits', () => {
    const pool = new SegmentBuffers(4);
    const big = pool.take(4000);
    const small = pool.take(1000);
    pool.give(big);
    pool.give(small);
    const next = pool.take(900);
    expect(next.length).toBe(900);
    expect(next.buffer).toBe(small.buffer);
    expect(pool.take(3000).buffer).toBe(big.buffer);
    // None free now: a new one.
    const fresh = pool.take(10);
    expect([big.buffer, small.buffer]).not.toContain(fresh.buffer);
  });

  it('takes back what was cut from its buffers, once; ignores buffers not its own; keeps only as many as asked', () => {
    const pool = new SegmentBuffers(1);
    const a = pool.take(100);
    const b = pool.take(200);
    pool.give(a.subarray(10, 20));
    pool.give(a);
    pool.give(Buffer.allocUnsafeSlow(500));
    pool.give(b);
    // One kept: the larger.
    expect(pool.take(150).buffer).toBe(b.buffer);
    expect(pool.take(50).buffer).not.toBe(a.buffer);
  });
});
