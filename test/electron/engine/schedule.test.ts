// Downloads run only inside the schedule's windows (the injected clock moves time), resume where
// they were, and a "start now" download ignores the schedule. Against a real, paced server.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEngine } from '../../helpers/engine-harness.ts';
import { ManualClock } from '../../helpers/manual-clock.ts';
import { serveBytes, sha256, startTestServer, testBytes, type TestServer } from '../../helpers/test-server.ts';
import { waitUntil } from '../../helpers/wait.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const MiB = 1024 * 1024;
const EVERY_DAY = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const schedule = { windows: [{ days: [...EVERY_DAY], start: '01:00', end: '02:00', speedLimit: null }] };
/** Timers on the manual clock that would fire thousands of times over the hours moved here are set far apart. */
const QUIET = { progressIntervalMs: 3_600_000, checkpointIntervalMs: 3_600_000, timeZone: 'UTC' };

describe('the schedule', () => {
  it('holds a download until its window, stops it at the end with its bytes kept, and finishes it in the next', async () => {
    const data = testBytes(4 * MiB, 41);
    server = await startTestServer({ '/f.bin': serveBytes(data, { rate: 512 * 1024, etag: '"v1"' }) });
    const clock = new ManualClock(Date.parse('2026-12-07T00:30:00Z'));
    const h = startEngine({ clock, ...QUIET });
    h.engine.updateSettings({ schedule });
    const [d] = h.engine.add({ url: server.url('/f.bin') });
    const id = d?.id ?? '';
    expect(h.engine.require(id)).toMatchObject({ status: 'scheduled', startsAt: '2026-12-07T01:00:00.000Z' });
    expect(h.engine.schedule).toEqual({ open: false, startsAt: Date.parse('2026-12-07T01:00:00Z') });
    expect(server.requests).toHaveLength(0);
    clock.advance(30 * 60_000);
    await waitUntil(() => h.engine.require(id).received > 512 * 1024, 15_000, 'bytes in the window');
    expect(h.engine.require(id).status).toBe('downloading');
    clock.advance(60 * 60_000);
    await waitUntil(() => h.engine.require(id).status === 'scheduled', 15_000, 'stopped at the window’s end');
    const kept = h.engine.require(id);
    expect(kept).toMatchObject({ startsAt: '2026-12-08T01:00:00.000Z' });
    expect(kept.received).toBeGreaterThan(0);
    const asked = server.requests.length;
    clock.advance(23 * 60 * 60_000);
    await h.waitFor(id, 'completed', 30_000);
    // It went on from where it stopped: the next request asked for the rest only.
    expect(server.requests.slice(asked).some((r) => /^bytes=[1-9]\d*-/u.test(String(r.headers.range)))).toBe(true);
    expect(sha256(fs.readFileSync(path.join(h.downloadDir, 'f.bin')))).toBe(sha256(data));
  });

  it('lets a "start now" download run outside the windows, and a restart outside them waits for the next', async () => {
    const data = testBytes(2 * MiB, 42);
    server = await startTestServer({ '/now.bin': serveBytes(data), '/later.bin': serveBytes(data, { rate: 256 * 1024, etag: '"v1"' }) });
    const clock = new ManualClock(Date.parse('2026-12-07T01:30:00Z'));
    const first = startEngine({ clock, ...QUIET });
    first.engine.updateSettings({ schedule });
    const [later] = first.engine.add({ url: server.url('/later.bin') });
    await waitUntil(() => first.engine.require(later?.id ?? '').received > 0, 15_000, 'running inside the window');
    await first.engine.shutdown();
    // Started again after the window: what was running waits, its bytes kept.
    clock.advance(60 * 60_000);
    const again = startEngine({ clock, ...QUIET, dataDir: first.dataDir, downloadDir: first.downloadDir });
    expect(again.engine.require(later?.id ?? '')).toMatchObject({ status: 'scheduled', startsAt: '2026-12-08T01:00:00.000Z' });
    const [now] = again.engine.add({ url: server.url('/now.bin') });
    expect(again.engine.require(now?.id ?? '').status).toBe('scheduled');
    expect(again.engine.startNow(now?.id ?? '')).toMatchObject({ startNow: true });
    await again.waitFor(now?.id ?? '', 'completed');
    expect(again.engine.require(later?.id ?? '').status).toBe('scheduled');
  });
});
