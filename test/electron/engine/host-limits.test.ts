import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../helpers/manual-clock.ts';
import { HostLimits } from '../../../electron/engine/policy/host-limits.ts';
import { SqliteStore } from '../../../electron/engine/store/sqlite-store.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const START = Date.parse('2026-06-01T00:00:00Z');

describe('HostLimits', () => {
  it('lowers a ceiling to the connections that worked, and keeps it across restarts', () => {
    const file = path.join(tempDir(), 'haul.sqlite');
    const clock = new ManualClock(START);
    const store = new SqliteStore(file);
    const hosts = new HostLimits(store, clock);
    expect(hosts.ceiling('h:80')).toBeUndefined();
    hosts.stepDown('h:80', 6);
    hosts.stepDown('h:80', 8);
    expect(hosts.ceiling('h:80')).toBe(6);
    store.close();
    const again = new SqliteStore(file);
    expect(new HostLimits(again, clock).ceiling('h:80')).toBe(6);
    again.close();
  });

  it('probes upward: one more after a clean transfer, double once it is old, forgotten when it no longer limits', () => {
    const clock = new ManualClock(START);
    const store = new SqliteStore(':memory:');
    const hosts = new HostLimits(store, clock, { recoverAfterMs: 60_000, forgetAt: 32 });
    hosts.stepDown('h:80', 4);
    hosts.cleanTransfer('h:80');
    expect(hosts.ceiling('h:80')).toBe(5);
    clock.advance(60_000);
    expect(hosts.ceiling('h:80')).toBe(10);
    clock.advance(60_000);
    expect(hosts.ceiling('h:80')).toBe(20);
    clock.advance(60_000);
    expect(hosts.ceiling('h:80')).toBeUndefined();
    expect(hosts.list()).toEqual([]);
    expect(store.loadHostLimits()).toEqual([]);
  });

  it('lists what it learnt and forgets a host on request', () => {
    const clock = new ManualClock(START);
    const store = new SqliteStore(':memory:');
    const hosts = new HostLimits(store, clock);
    hosts.stepDown('a:443', 2);
    expect(hosts.list()).toEqual([{ host: 'a:443', connections: 2, learnedAt: '2026-06-01T00:00:00.000Z' }]);
    expect(hosts.reset('a:443')).toBe(true);
    expect(hosts.reset('a:443')).toBe(false);
    expect(hosts.ceiling('a:443')).toBeUndefined();
  });
});
