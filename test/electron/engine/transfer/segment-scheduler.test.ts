import { describe, expect, it } from 'vitest';
import { RangeSet } from '../../../../electron/engine/range-set.ts';
import { SegmentScheduler } from '../../../../electron/engine/transfer/segment-scheduler.ts';
import type { Segment } from '../../../../electron/engine/transfer/segment.ts';

/** Moves a segment as its connection would: `bytes` more accepted, sampled at `atMs` (its speed is bytes over that time). */
function progress(seg: Segment, bytes: number, atMs: number): void {
  seg.accept(bytes);
  seg.sample(atMs);
}

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
    const set = new RangeSet([
      [10, 20],
      [0, 5],
    ]);
    set.add(5, 10);
    expect(set.ranges).toEqual([[0, 20]]);
    set.add(30, 40);
    expect(set.gaps(50)).toEqual([
      [20, 30],
      [40, 50],
    ]);
    set.subtract(15, 35);
    expect(set.ranges).toEqual([
      [0, 15],
      [35, 40],
    ]);
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
    const scheduler = new SegmentScheduler(total, onDisk, { minPiece: 256 * 1024, minTailPiece: 64 * 1024, tailHedgeAfterMs: 0, stragglerGraceMs: 1000 });
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
        seg.accept(step);
        seg.sample(now);
        // Its next request may or may not be bounded, and may reach past a later split.
        seg.beginRequest(random() < 0.5 ? Number.POSITIVE_INFINITY : seg.accepted + Math.floor(random() * 4_000_000));
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
    const scheduler = new SegmentScheduler(16 * MiB, new RangeSet(), { minPiece: MiB, minTailPiece: 128 * 1024, tailHedgeAfterMs: 1_000, stragglerGraceMs: 1_000 });
    const first = scheduler.take(0)!;
    first.accept(MiB);
    first.beginRequest(12 * MiB);
    expect(scheduler.take(0)?.start).toBe(12 * MiB);
    expect(first.end).toBe(12 * MiB);
    // A request reaching (almost) to the end leaves no piece: split at the middle instead.
    first.beginRequest(11.5 * MiB);
    expect(scheduler.take(0)?.start).toBe(MiB + Math.floor((11 * MiB) / 2));
  });

  it('marks a connection far slower than the fastest as a straggler once it has run a while, and gives a taker all of its rest', () => {
    const MiB = 1024 * 1024;
    const scheduler = new SegmentScheduler(16 * MiB, new RangeSet(), { minPiece: MiB, minTailPiece: 128 * 1024, tailHedgeAfterMs: 1_000, stragglerGraceMs: 500 });
    const fast = scheduler.take(0)!;
    const slow = scheduler.take(0)!;
    // Their connections' progress gives their speeds: 4 MiB/s, and a sixteenth of that.
    progress(fast, 0.8 * MiB, 200);
    progress(slow, 100_000, (100_000 * 1000) / (0.25 * MiB));
    // Young connections are never judged: slow start is not slowness.
    expect(scheduler.markStragglers(400)).toBe(0);
    expect(scheduler.markStragglers(500)).toBe(1);
    expect(slow.straggler).toBe(true);
    const end = slow.end;
    const taker = scheduler.take(500, 4 * MiB)!;
    expect(taker.start).toBe(slow.accepted);
    expect(taker.end).toBe(end);
    expect(slow.end).toBe(slow.accepted);
  });

  it('splits a merely slower connection so both finish together', () => {
    const MiB = 1024 * 1024;
    const scheduler = new SegmentScheduler(16 * MiB, new RangeSet(), { minPiece: MiB, minTailPiece: 128 * 1024, tailHedgeAfterMs: 1_000, stragglerGraceMs: 500 });
    const only = scheduler.take(0)!;
    progress(only, 4 * MiB, 4_000);
    // 12 MiB left at 1 MiB/s; a taker at 3 MiB/s should leave it a quarter.
    const taker = scheduler.take(0, 3 * MiB)!;
    expect(only.end).toBe(4 * MiB + 3 * MiB);
    expect(taker.start).toBe(7 * MiB);
  });
});
