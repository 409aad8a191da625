import { describe, expect, it } from 'vitest';
import { InTurn } from '../../../electron/engine/in-turn.ts';

describe('tasks in turn', () => {
  it('starts each task once the one before has ended, even when that one failed, and answers each as it ended', async () => {
    const turns = new InTurn();
    const log: string[] = [];
    let release = (): void => undefined;
    const first = turns.run(async () => {
      log.push('first starts');
      await new Promise<void>((resolve) => (release = resolve));
      log.push('first fails');
      throw new Error('first');
    });
    const second = turns.run(async () => {
      log.push('second starts');
      return 2;
    });
    // The second waits however long the first takes.
    await Promise.resolve();
    await Promise.resolve();
    expect(log).toEqual(['first starts']);
    let idle = false;
    const settled = turns.idle().then(() => (idle = true));
    expect(idle).toBe(false);
    release();
    await expect(first).rejects.toThrow('first');
    await expect(second).resolves.toBe(2);
    await settled;
    expect(idle).toBe(true);
    expect(log).toEqual(['first starts', 'first fails', 'second starts']);
  });
});
