import { describe, expect, it } from 'vitest';
import { ConnectionGrowth } from '../../../../electron/engine/transfer/connection-growth.ts';

/** Feeds ticks of a server that gives each connection `perConnection` bytes/s, up to `cap` in all. */
function run(growth: ConnectionGrowth, ticks: number, perConnection: number, cap: number, limit = 16, burst = 0): number[] {
  const targets: number[] = [];
  let ticksAtCount = 0;
  let last = growth.target;
  for (let i = 0; i < ticks; i++) {
    ticksAtCount = growth.target === last ? ticksAtCount + 1 : 1;
    last = growth.target;
    // A fresh count's first tick carries the opening burst of its new connections.
    const throughput = Math.min(cap, growth.target * perConnection) + (ticksAtCount === 1 ? burst : 0);
    targets.push(growth.tick(throughput, true, limit, true));
  }
  return targets;
}

describe('ConnectionGrowth', () => {
  it('doubles while each connection adds throughput, up to the limit', () => {
    expect(run(new ConnectionGrowth(2), 60, 1_000_000, Number.POSITIVE_INFINITY).at(-1)).toBe(16);
  });

  it('stops growing where the link is saturated', () => {
    const targets = run(new ConnectionGrowth(2), 40, 1_000_000, 3_000_000);
    expect(targets.at(-1)).toBe(4);
  });

  it('is not fooled by the opening burst of new connections', () => {
    const targets = run(new ConnectionGrowth(2), 40, 1_000_000, 2_000_000, 16, 50_000_000);
    expect(targets.at(-1)).toBeLessThanOrEqual(4);
  });

  it('never exceeds a lowered ceiling, and does not grow when more connections cannot help', () => {
    const growth = new ConnectionGrowth(8);
    expect(growth.tick(1e9, true, 3, true)).toBe(3);
    const fixed = new ConnectionGrowth(2);
    for (let i = 0; i < 10; i++) fixed.tick(1e9 * (i + 1), true, 16, false);
    expect(fixed.target).toBe(2);
  });
  it('undoes a doubling that brought nothing, back to the count before it, even once growing is no longer allowed', () => {
    const growth = new ConnectionGrowth(1);
    // One connection, allowed to grow: after its window it doubles.
    for (let i = 0; i < 10 && growth.target === 1; i++) growth.tick(1_000_000, true, 16, true);
    expect(growth.target).toBe(2);
    // Two deliver no more, and the process is now too busy to try more: judged all the same.
    for (let i = 0; i < 10; i++) growth.tick(1_000_000, true, 16, false);
    expect(growth.target).toBe(1);
    // And it stays there.
    for (let i = 0; i < 40; i++) growth.tick(5_000_000, true, 16, true);
    expect(growth.target).toBe(1);
  });

  it('goes back to the count before a doubling, not to half of it', () => {
    const growth = new ConnectionGrowth(3);
    for (let i = 0; i < 10 && growth.target === 3; i++) growth.tick(3_000_000, true, 16, true);
    expect(growth.target).toBe(6);
    for (let i = 0; i < 10; i++) growth.tick(3_000_000, true, 16, true);
    expect(growth.target).toBe(3);
  });
});

describe('ConnectionGrowth on a server that sends in bursts', () => {
  /** Each connection gets a 64 KiB burst every 250 ms; ticks are 100 ms, so most ticks of a few connections see nothing. */
  function bursty(growth: ConnectionGrowth, ticks: number, limit = 8): number[] {
    const targets: number[] = [];
    for (let i = 0; i < ticks; i++) {
      const now = i * 100;
      // Connections' bursts are spread over the 250 ms period; count those landing in this tick.
      let bytes = 0;
      for (let c = 0; c < growth.target; c++) {
        const phase = (c * 250) / growth.target;
        for (let t = phase; t < now + 100; t += 250) if (t >= now) bytes += 64 * 1024;
      }
      targets.push(growth.tick(bytes * 10, true, limit, true));
    }
    return targets;
  }

  it('grows past 2 connections though many 100 ms samples are zero, and reaches the limit', () => {
    const targets = bursty(new ConnectionGrowth(2), 60);
    expect(targets.at(-1)).toBe(8);
  });

  it('decides nothing on a window that delivered nothing: it measures again', () => {
    const growth = new ConnectionGrowth(2);
    for (let i = 0; i < 40; i++) growth.tick(0, true, 8, true);
    expect(growth.target).toBe(2);
    for (let i = 0; i < 8; i++) growth.tick(1_000_000, true, 8, true);
    expect(growth.target).toBe(4);
  });
});
