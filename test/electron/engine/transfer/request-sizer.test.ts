import { describe, expect, it } from 'vitest';
import { RequestSizer } from '../../../../electron/engine/transfer/request-sizer.ts';

const MiB = 1024 * 1024;
const opts = { firstRequestBytes: MiB, targetRequestMs: 2_000, maxRequestBytes: 64 * MiB };

describe('RequestSizer', () => {
  it('starts small and at most doubles per request on a fast link', () => {
    const sizer = new RequestSizer(opts);
    const sizes = [sizer.next];
    for (let i = 0; i < 8; i++) {
      sizer.record(sizer.next, 1);
      sizes.push(sizer.next);
    }
    expect(sizes).toEqual([1, 2, 4, 8, 16, 32, 64, 64, 64].map((n) => n * MiB));
  });

  it('sizes requests to about the target duration at the measured speed', () => {
    const sizer = new RequestSizer(opts);
    for (let i = 0; i < 6; i++) sizer.record(sizer.next, 1);
    // 3 MiB/s measured: a 2 s request is 6 MiB.
    sizer.record(3 * MiB, 1_000);
    expect(sizer.next).toBe(6 * MiB);
  });

  it('never asks for less than the first size, and ignores requests that moved nothing', () => {
    const sizer = new RequestSizer(opts);
    sizer.record(10_000, 5_000);
    expect(sizer.next).toBe(MiB);
    sizer.record(0, 100);
    expect(sizer.next).toBe(MiB);
  });
});
