import { describe, expect, it } from 'vitest';
import { IdBlocks } from '../../../../electron/server/sse/engine-feed.ts';

/** A counter as the store keeps it, that refuses to write while told to (a full data folder). */
function counter() {
  let value = 0;
  const c = {
    refuse: false,
    writes: 0,
    reserve: (count: number): number => {
      if (c.refuse) throw new Error('the data folder is full');
      c.writes += 1;
      value += count;
      return value - count + 1;
    },
  };
  return c;
}

describe('event ids of one machine', () => {
  it('rise across blocks with one store write per block, and a restart never hands out an id again', () => {
    const c = counter();
    const first = new IdBlocks(c.reserve, 10);
    const seen = Array.from({ length: 25 }, () => first.next());
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => first.first + 1 + i));
    expect(c.writes).toBe(3);
    const restarted = new IdBlocks(c.reserve, 10);
    expect(restarted.first).toBeGreaterThan(Math.max(...seen));
  });

  it('go on rising while the store refuses to reserve more, and reserve again a hundred ids later', () => {
    const c = counter();
    const ids = new IdBlocks(c.reserve, 10);
    c.refuse = true;
    const during = Array.from({ length: 50 }, () => ids.next());
    expect(during.every((id, i) => i === 0 || id === (during[i - 1] ?? 0) + 1)).toBe(true);
    c.refuse = false;
    const writes = c.writes;
    let handed = 0;
    const after: number[] = [];
    while (c.writes === writes && handed < 1_000) {
      after.push(ids.next());
      handed += 1;
    }
    expect(handed).toBeLessThanOrEqual(101);
    for (let i = 0; i < 30; i++) after.push(ids.next());
    expect(after[0]).toBeGreaterThan(during.at(-1) ?? 0);
    expect(after.every((id, i) => i === 0 || id > (after[i - 1] ?? 0))).toBe(true);
  });
});
