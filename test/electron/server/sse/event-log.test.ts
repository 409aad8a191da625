import { describe, expect, it } from 'vitest';
import { TEST_SETTINGS } from '../../../helpers/settings.ts';
import { EventLog } from '../../../../electron/server/sse/event-log.ts';

const settings = TEST_SETTINGS;

describe('EventLog with ids from a shared stream', () => {
  it('keeps the ids it is given (with gaps) and replays what came after one', () => {
    const log = new EventLog(40);
    expect(log.lastId).toBe(40);
    log.append('removed', { id: 'x' }, 42);
    log.append('settings', settings, 45);
    expect(log.lastId).toBe(45);
    expect(log.replayAfter(40)?.events.map((e) => e.id)).toEqual([42, 45]);
    // 43 and 44 were entries clients never see: a client that saw 42 missed only 45.
    expect(log.replayAfter(42)?.events.map((e) => e.id)).toEqual([45]);
    expect(log.replayAfter(45)?.events).toEqual([]);
  });

  it('sends a snapshot for ids before it began, after it, or before what it dropped', () => {
    const log = new EventLog(100, 2);
    for (const id of [101, 103, 105]) log.append('removed', { id: String(id) }, id);
    expect(log.replayAfter(99)).toBeUndefined();
    expect(log.replayAfter(106)).toBeUndefined();
    // Capacity 2: 101 was dropped, so a client at 100 cannot be replayed exactly; one at 101 can.
    expect(log.replayAfter(100)).toBeUndefined();
    expect(log.replayAfter(101)?.events.map((e) => e.id)).toEqual([103, 105]);
  });

  it('refuses an id that goes backwards, and forgets everything before a break', () => {
    const log = new EventLog(0);
    log.append('removed', { id: 'a' }, 5);
    expect(() => log.append('removed', { id: 'b' }, 5)).toThrow(/not after 5/u);
    log.append('removed', { id: 'c' }, 9);
    log.breakAt(9);
    expect(log.replayAfter(5)).toBeUndefined();
    expect(log.replayAfter(9)?.events).toEqual([]);
  });
});
