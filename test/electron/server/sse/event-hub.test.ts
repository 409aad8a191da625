import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProgressItem } from '../../../../shared/api.ts';
import { Engine } from '../../../../electron/engine/engine.ts';
import { LocalJournal } from '../../../../electron/engine/records/local-journal.ts';
import { SqliteStore } from '../../../../electron/engine/store/sqlite-store.ts';
import { engineFeed } from '../../../../electron/server/sse/engine-feed.ts';
import { EventHub } from '../../../../electron/server/sse/event-hub.ts';
import { ManualClock } from '../../../helpers/manual-clock.ts';
import { SseReader } from '../../../helpers/sse-reader.ts';
import { tempDir } from '../../../helpers/temp-dir.ts';

/**
 * The hub's timing rules on a clock that moves only when told: what reaches a real client
 * over a real socket after each step, never how long anything took.
 */
interface Rig {
  clock: ManualClock;
  engine: Engine;
  hub: EventHub;
  url: string;
  close(): Promise<void>;
}

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

async function startRig(opts: { progressIntervalMs?: number; pingIntervalMs?: number } = {}): Promise<Rig> {
  const clock = new ManualClock(1_000_000);
  const store = new SqliteStore(':memory:');
  const engine = new Engine({ store, journal: new LocalJournal(store), downloadDir: tempDir(), clock });
  let next = 0;
  const hub = new EventHub(engine, { clock, feed: engineFeed(engine, (count) => (next += count) - count + 1), ...opts });
  const server = http.createServer((req, res) => hub.connect(req, res, null, 'interface'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    clock,
    engine,
    hub,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: async () => {
      hub.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await engine.shutdown();
      store.close();
    },
  };
}

const progress = (id: string, received: number): ProgressItem => ({ id, received, total: 1000, speed: 10, connections: 1 });
const items = (reader: SseReader): ProgressItem[][] => reader.named('progress').map((e) => (JSON.parse(e.data) as { items: ProgressItem[] }).items);

describe('EventHub on a manual clock', () => {
  it('coalesces progress to one event per interval, carrying only the latest of what changed', async () => {
    rig = await startRig({ progressIntervalMs: 100 });
    const [a, b] = rig.engine.add({ urls: ['http://127.0.0.1:9/a', 'http://127.0.0.1:9/b'], paused: true });
    const reader = new SseReader(rig.url);
    await reader.until((r) => r.named('snapshot').length === 1);
    // The first update goes at once (no event went out in the last interval); the next
    // forty-nine, within one interval, become one event carrying the last of them.
    for (let i = 1; i <= 50; i++) rig.engine.emit('progress', [progress(a!.id, i * 10)]);
    await reader.until((r) => r.named('progress').length === 1);
    expect(items(reader)[0]).toEqual([progress(a!.id, 10)]);
    rig.clock.advance(99);
    rig.clock.advance(1);
    await reader.until((r) => r.named('progress').length === 2);
    expect(items(reader)[1]).toEqual([progress(a!.id, 500)]);
    // Then only the other one changes: the next event carries it alone.
    rig.engine.emit('progress', [progress(b!.id, 7)]);
    rig.clock.advance(100);
    await reader.until((r) => r.named('progress').length === 3);
    expect(items(reader)[2]).toEqual([progress(b!.id, 7)]);
    // A state event goes out after whatever progress is pending (order kept), and nothing else came.
    rig.engine.emit('progress', [progress(a!.id, 600)]);
    rig.engine.updateSettings({ maxConcurrent: 2 });
    await reader.until((r) => r.named('settings').length === 1);
    expect(reader.events.slice(-2).map((e) => e.event)).toEqual(['progress', 'settings']);
    expect(items(reader)).toHaveLength(4);
    reader.close();
  });

  it('sends nothing for a quiet interval, and flushes at once when an interval has already passed', async () => {
    rig = await startRig({ progressIntervalMs: 100 });
    const [a] = rig.engine.add({ url: 'http://127.0.0.1:9/a', paused: true });
    const reader = new SseReader(rig.url);
    await reader.until((r) => r.named('snapshot').length === 1);
    rig.clock.advance(1_000);
    expect(rig.clock.pending).toBeGreaterThan(0);
    // Long after the last flush, the first update goes out without waiting for a timer.
    rig.engine.emit('progress', [progress(a!.id, 1)]);
    await reader.until((r) => r.named('progress').length === 1);
    expect(items(reader)[0]).toEqual([progress(a!.id, 1)]);
    reader.close();
  });

  it('pings a quiet stream, and only a quiet one', async () => {
    rig = await startRig({ pingIntervalMs: 1_000 });
    const reader = new SseReader(rig.url);
    await reader.until((r) => r.named('snapshot').length === 1);
    const pings = (): number => reader.raw.split(': ping\n\n').length - 1;
    // Checked every half interval: a ping once the stream was silent for half of it (7.5–15 s by default).
    let settings = 0;
    const marker = async (): Promise<void> => {
      rig?.engine.updateSettings({ maxConcurrent: 2 + (++settings % 2) });
      await reader.until((r) => r.named('settings').length === settings);
    };
    rig.clock.advance(499);
    await marker();
    expect(pings()).toBe(0);
    // The check at 1 000 ms finds it silent since the marker at 499 ms.
    rig.clock.advance(501);
    await reader.until(() => pings() === 1);
    // A stream that keeps getting events needs no ping.
    for (let i = 0; i < 6; i++) {
      rig.clock.advance(400);
      await marker();
    }
    expect(pings()).toBe(1);
    reader.close();
  });

  it('ends every stream on close and stops listening to the engine', async () => {
    rig = await startRig();
    const readers = [new SseReader(rig.url), new SseReader(rig.url)];
    await Promise.all(readers.map((r) => r.until((x) => x.named('snapshot').length === 1)));
    expect(rig.hub.clientCount).toBe(2);
    rig.hub.close();
    await Promise.all(readers.map((r) => r.until((x) => x.ended)));
    expect(rig.hub.clientCount).toBe(0);
    expect(rig.engine.listenerCount('progress')).toBe(0);
    expect(rig.engine.listenerCount('updated')).toBe(0);
  });
});
