import { describe, expect, it } from 'vitest';
import { runSegmentWorkers, type SegmentOutcome } from '../../../../electron/engine/media/segment-workers.ts';

describe('segment workers', () => {
  it('puts a refused segment back for the others, and the refused worker ends', async () => {
    const done: number[] = [];
    const working: number[] = [];
    let refusedOnce = false;
    let most = 0;
    let busy = 0;
    await runSegmentWorkers(
      [1, 2, 3, 4, 5, 6],
      3,
      async (item, company) => {
        busy += 1;
        most = Math.max(most, busy);
        await Promise.resolve();
        busy -= 1;
        if (item === 2 && !refusedOnce && company()) {
          refusedOnce = true;
          return 'one-too-many';
        }
        done.push(item);
        return 'done';
      },
      (n) => working.push(n),
    );
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(working).toEqual([2]);
    expect(most).toBe(3);
  });

  it('fetches a segment put back after every other worker had ended', async () => {
    const done: number[] = [];
    let release: (outcome: SegmentOutcome) => void = () => undefined;
    let refused = false;
    await runSegmentWorkers(
      [1, 2],
      2,
      (item) => {
        // The first try of 1 ends only after 2 is done and its worker found nothing left.
        if (item === 1 && !refused) {
          refused = true;
          return new Promise<SegmentOutcome>((resolve) => (release = resolve));
        }
        done.push(item);
        if (item === 2) queueMicrotask(() => queueMicrotask(() => release('one-too-many')));
        return Promise.resolve('done');
      },
      () => undefined,
    );
    expect(done.sort()).toEqual([1, 2]);
  });

  it('ends on the first failure', async () => {
    await expect(
      runSegmentWorkers(
        [1, 2, 3],
        2,
        async (item) => (item === 2 ? Promise.reject(new Error('segment 2 failed')) : 'done'),
        () => undefined,
      ),
    ).rejects.toThrow('segment 2 failed');
  });
});
