import { describe, expect, it } from 'vitest';
import { RangeSet } from '../../../../electron/engine/range-set.ts';
import { Segment, SegmentScheduler } from '../../../../electron/engine/transfer/segment-scheduler.ts';

/** Deterministic pseudo-random numbers (xorshift), so a failure can be replayed. */
function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return ((x >>> 0) % 1_000_000) / 1_000_000;
  };
}

describe('RangeSet', () => {
  it('merges, subtracts and finds gaps', () => {
    const set = new RangeSet([[10, 20], [0, 5]]);
    set.add(5, 10);
    expect(set.ranges).toEqual([[0, 20]]);
    set.add(30, 40);
    expect(set.gaps(50)).toEqual([[20, 30], [40, 50]]);
    set.subtract(15, 35);
    expect(set.ranges).toEqual([[0, 15], [35, 40]]);
    expect(set.size).toBe(20);
    expect(set.prefix).toBe(15);
  });
});

describe('SegmentScheduler', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('never hands out overlapping bytes and leaves no gap (random run %i)', (seed) => {
    const random = rng(seed * 7919);
    const total = 50_000_000 + Math.floor(random() * 1_000_000);
    const onDisk = new RangeSet();
    // Some ranges already on disk from an earlier run.
    for (let i = 0; i < 3; i++) {
      const start = Math.floor(random() * total);
      onDisk.add(start, Math.min(total, start + Math.floor(random() * 3_000_000)));
    }
    const scheduler = new SegmentScheduler(total, onDisk, { minPiece: 256 * 1024, minTailPiece: 64 * 1024, tailHedgeAfterMs: 0 });
    const written = new RangeSet(onDisk.ranges);
    const owned: Segment[] = [];
    let now = 0;
    let steps = 0;
    while (!scheduler.finished && steps++ < 100_000) {
      now += 10;
      // Randomly: a new connection takes work, or a running one moves forward, or one stops early.
      const action = random();
      if (action < 0.3 || owned.length === 0) {
        const seg = scheduler.take(now);
        if (seg !== undefined) owned.push(seg);
        else if (owned.length === 0) break;
        continue;
      }
      const seg = owned[Math.floor(random() * owned.length)]!;
      if (action < 0.95) {
        const step = Math.min(seg.end! - seg.accepted, 1 + Math.floor(random() * 2_000_000));
        // The bytes a connection writes must never have been written by another.
        const overlap = new RangeSet(written.ranges);
        overlap.subtract(0, seg.accepted);
        overlap.subtract(seg.accepted + step, total);
        expect(overlap.size, `segment ${seg.start}-${seg.end} writing ${seg.accepted}+${step}`).toBe(0);
        written.add(seg.accepted, seg.accepted + step);
        seg.accepted += step;
        seg.speed = 1 + random() * 1_000_000;
        // Its next request may or may not be bounded, and may reach past a later split.
        seg.requestEnd = random() < 0.5 ? Number.POSITIVE_INFINITY : seg.accepted + Math.floor(random() * 4_000_000);
        if (seg.accepted >= seg.end!) {
          scheduler.release(seg);
          owned.splice(owned.indexOf(seg), 1);
        }
      } else {
        scheduler.release(seg);
        owned.splice(owned.indexOf(seg), 1);
      }
    }
    expect(scheduler.finished).toBe(true);
    expect(written.ranges).toEqual([[0, total]]);
  });

  it('splits where the running request ends, when that leaves a piece, so its connection is not cut', () => {
    const MiB = 1024 * 1024;
    const scheduler = new SegmentScheduler(16 * MiB, new RangeSet(), { minPiece: MiB, minTailPiece: 128 * 1024, tailHedgeAfterMs: 1_000 });
    const first = scheduler.take(0)!;
    first.accepted = MiB;
    first.requestEnd = 12 * MiB;
    expect(scheduler.take(0)?.start).toBe(12 * MiB);
    expect(first.end).toBe(12 * MiB);
    // A request reaching (almost) to the end leaves no piece: split at the middle instead.
    first.requestEnd = 11.5 * MiB;
    expect(scheduler.take(0)?.start).toBe(MiB + Math.floor((11 * MiB) / 2));
  });
});
