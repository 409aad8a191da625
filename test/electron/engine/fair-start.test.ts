import { describe, expect, it } from 'vitest';
import { fairStart } from '../../../electron/engine/queue/fair-start.ts';

const w = (id: string, seq: number, owner?: string) => ({ id, seq, ...(owner === undefined ? {} : { owner }) });

describe('fair starts between users', () => {
  it('is first in, first out for one user or none', () => {
    expect(fairStart([w('c', 3), w('a', 1), w('b', 2)], [], 2)).toEqual(['a', 'b']);
  });

  it('gives the slots round between users, the least served first, each user oldest first', () => {
    // Ann queued 50 before Bob's 2; Bob still gets every other slot.
    const ann = Array.from({ length: 50 }, (_, i) => w(`ann-${i}`, i, 'ann'));
    expect(fairStart([...ann, w('bob-0', 100, 'bob'), w('bob-1', 101, 'bob')], [], 4)).toEqual(['ann-0', 'bob-0', 'ann-1', 'bob-1']);
    // Ann already runs two: Bob's and Cy's go first.
    expect(fairStart([...ann, w('bob-0', 100, 'bob'), w('cy-0', 200, 'cy')], ['ann', 'ann'], 3)).toEqual(['bob-0', 'cy-0', 'ann-0']);
  });

  it('holds a user at their own limit of running downloads, even with slots free', () => {
    const ann = Array.from({ length: 5 }, (_, i) => w(`ann-${i}`, i, 'ann'));
    expect(fairStart([...ann, w('bob-0', 9, 'bob')], ['ann'], 4, (owner) => (owner === 'ann' ? 2 : 0))).toEqual(['bob-0', 'ann-0']);
  });
});
