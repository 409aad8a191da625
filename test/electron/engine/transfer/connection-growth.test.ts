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
    expect(run(new ConnectionGrowth(2), 12, 1_000_000, Number.POSITIVE_INFINITY).at(-1)).toBe(16);
  });

  it('stops growing where the link is saturated', () => {
    const targets = run(new ConnectionGrowth(2), 20, 1_000_000, 3_000_000);
    expect(targets.at(-1)).toBe(4);
  });

  it('is not fooled by the opening burst of new connections', () => {
    const targets = run(new ConnectionGrowth(2), 20, 1_000_000, 2_000_000, 16, 50_000_000);
    expect(targets.at(-1)).toBeLessThanOrEqual(4);
  });

  it('never exceeds a lowered ceiling, and does not grow when more connections cannot help', () => {
    const growth = new ConnectionGrowth(8);
    expect(growth.tick(1e9, true, 3, true)).toBe(3);
    const fixed = new ConnectionGrowth(2);
    for (let i = 0; i < 10; i++) fixed.tick(1e9 * (i + 1), true, 16, false);
    expect(fixed.target).toBe(2);
  });
});
