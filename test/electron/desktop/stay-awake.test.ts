import { describe, expect, it } from 'vitest';
import { StayAwake } from '../../../electron/desktop-logic/stay-awake.ts';

describe('keeping the machine awake while downloads run', () => {
  it('takes one hold when the first download starts and gives it back when the last stops', () => {
    const calls: string[] = [];
    let next = 7;
    const awake = new StayAwake({
      start: () => {
        calls.push('start');
        return next++;
      },
      stop: (id) => void calls.push(`stop ${id}`),
    });
    awake.update([{ status: 'queued' }]);
    awake.update([{ status: 'downloading' }, { status: 'queued' }]);
    awake.update([{ status: 'downloading' }, { status: 'downloading' }]);
    awake.update([{ status: 'completed' }, { status: 'paused' }]);
    awake.update([{ status: 'downloading' }]);
    expect(calls).toEqual(['start', 'stop 7', 'start']);
  });
});
