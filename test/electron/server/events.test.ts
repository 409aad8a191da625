import { EventSource } from 'eventsource';
import { afterEach, describe, expect, it } from 'vitest';
import { applyEvent, emptyModel, type StreamEvent } from '../../../shared/download-model.ts';
import { startTestHaul } from '../../helpers/haul-harness.ts';
import { SseReader } from '../../helpers/sse-reader.ts';
import { serveBytes, startTestServer, testBytes, type TestServer } from '../../helpers/test-server.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { waitUntil } from '../../helpers/wait.ts';

const TOKEN = 'test-token-0123456789';
const readers: Array<{ close(): void }> = [];
let files: TestServer | undefined;
afterEach(async () => {
  for (const r of readers.splice(0)) r.close();
  await files?.close();
  files = undefined;
});

function open(url: string, headers: Record<string, string> = {}, opts: { paused?: boolean } = {}): SseReader {
  const reader = new SseReader(url, headers, opts);
  readers.push(reader);
  return reader;
}
const eventsUrl = (base: string) => `${base}api/events?token=${TOKEN}`;
const ids = (r: SseReader) => r.events.map((e) => Number(e.id));

describe('the event stream', () => {
  it('starts with retry and a snapshot, in exact SSE framing', async () => {
    const haul = await startTestHaul();
    haul.engine.add({ url: 'http://127.0.0.1:9/a.iso', paused: true });
    const r = open(eventsUrl(haul.url));
    await r.until((x) => x.events.length >= 1);
    expect(r.headers['content-type']).toMatch(/^text\/event-stream/u);
    expect(r.headers['cache-control']).toMatch(/no-cache/u);
    expect(r.headers['x-accel-buffering']).toBe('no');
    expect(r.headers['content-encoding']).toBeUndefined();
    expect(r.raw).toMatch(/^retry: \d+\n\nid: \d+\nevent: snapshot\ndata: \{.*\}\n\n$/u);
    expect(r.raw).not.toMatch(/[\r\0]/u);
    const snapshot = JSON.parse(r.events[0]!.data);
    expect(snapshot.downloads).toHaveLength(1);
    expect(snapshot.settings).toMatchObject({ maxConcurrent: 3 });
  });

  it('refuses a stream without the token', async () => {
    const haul = await startTestHaul();
    const r = open(`${haul.url}api/events`);
    await r.until((x) => x.ended);
    expect(r.raw).toContain('UNAUTHORIZED');
  });

  it('delivers added, updated, progress, removed and settings with increasing ids (eventsource client)', async () => {
    const data = testBytes(600 * 1024, 51);
    files = await startTestServer({ '/e.bin': serveBytes(data, { rate: 1024 * 1024 }) });
    const haul = await startTestHaul();
    const es = new EventSource(eventsUrl(haul.url));
    readers.push(es);
    // biome-ignore lint/suspicious/noExplicitAny: parsed JSON of any event
    const seen: Array<{ type: string; id: number; data: any }> = [];
    for (const type of ['snapshot', 'added', 'updated', 'progress', 'removed', 'settings']) {
      es.addEventListener(type, (e) => seen.push({ type, id: Number(e.lastEventId), data: JSON.parse(e.data) }));
    }
    await new Promise<void>((resolve) => es.addEventListener('snapshot', () => resolve()));
    const [d] = haul.engine.add({ url: files.url('/e.bin') });
    await waitUntil(() => seen.some((e) => e.type === 'updated' && e.data.status === 'completed'));
    haul.engine.updateSettings({ speedLimit: 1000 });
    await haul.engine.remove(d!.id);
    await waitUntil(() => seen.some((e) => e.type === 'removed'));
    await waitUntil(() => seen.some((e) => e.type === 'settings'));
    const types = new Set(seen.map((e) => e.type));
    expect([...types].sort()).toEqual(['added', 'progress', 'removed', 'settings', 'snapshot', 'updated']);
    const eventIds = seen.map((e) => e.id);
    expect(eventIds).toEqual([...eventIds].sort((a, b) => a - b));
    expect(new Set(eventIds).size).toBe(eventIds.length);
    const progress = seen.filter((e) => e.type === 'progress').flatMap((e) => e.data.items);
    expect(progress.every((i: { id: string }) => i.id === d!.id)).toBe(true);
    expect(Math.max(...progress.map((i: { received: number }) => i.received))).toBeGreaterThan(0);
  });

  it('replays progress and state with distinct, rising ids, so a client back with Last-Event-ID ends where one that stayed is', async () => {
    const data = testBytes(3 * 1024 * 1024, 52);
    files = await startTestServer({ '/p.bin': serveBytes(data, { rate: 1024 * 1024 }) });
    const haul = await startTestHaul();
    const stayed = open(eventsUrl(haul.url));
    await stayed.until((r) => r.events.length >= 1);
    const from = stayed.events[0]!.id ?? '';
    const [d] = haul.engine.add({ url: files.url('/p.bin') });
    await waitUntil(() => stayed.named('progress').length >= 3, 10_000, 'progress events');
    haul.engine.pause(d!.id);
    await waitUntil(() => haul.engine.get(d!.id)?.connections === 0, 10_000, 'the transfer stopping');
    // A state event last: the replay's progress must not take its id.
    haul.engine.updateSettings({ speedLimit: 4096 });
    await stayed.until((r) => r.named('settings').length === 1);
    const back = open(eventsUrl(haul.url), { 'last-event-id': from });
    await back.until((r) => r.named('settings').length === 1);
    const replayed = back.events.map((e) => Number(e.id));
    expect(replayed).toEqual([...replayed].sort((a, b) => a - b));
    expect(new Set(replayed).size).toBe(replayed.length);
    expect(back.named('progress').length).toBeGreaterThan(0);
    // Through the interface's own reducer, both clients hold the same download and settings.
    const model = (reader: SseReader) => {
      const m = emptyModel();
      for (const e of reader.events) applyEvent(m, { name: e.event, id: Number(e.id), data: JSON.parse(e.data) } as StreamEvent);
      return m;
    };
    const a = model(stayed);
    const b = model(back);
    expect(b.byId.get(d!.id)).toEqual(a.byId.get(d!.id));
    expect(b.settings).toEqual(a.settings);
    expect(b.lastEventId).toBe(a.lastEventId);
  });

  it('replays exactly the missed state events after Last-Event-ID', async () => {
    const haul = await startTestHaul();
    const first = open(eventsUrl(haul.url));
    await first.until((x) => x.events.length >= 1);
    const [a] = haul.engine.add({ url: 'http://127.0.0.1:9/one', paused: true });
    await first.until((x) => x.named('added').length === 1);
    const lastSeen = first.events.at(-1)!.id!;
    first.close();
    haul.engine.add({ urls: ['http://127.0.0.1:9/two', 'http://127.0.0.1:9/three'], paused: true });
    haul.engine.updateSettings({ maxConcurrent: 2 });
    await haul.engine.remove(a!.id);
    const again = open(eventsUrl(haul.url), { 'last-event-id': lastSeen });
    await again.until((x) => x.named('removed').length === 1);
    expect(again.events.map((e) => e.event)).toEqual(['added', 'added', 'settings', 'removed']);
    expect(Math.min(...ids(again))).toBeGreaterThan(Number(lastSeen));
    expect(again.named('snapshot')).toEqual([]);
  });

  it('sends a fresh snapshot for an unknown or evicted id', async () => {
    const haul = await startTestHaul({ events: { historyWeight: 5 } });
    const first = open(eventsUrl(haul.url));
    await first.until((x) => x.events.length >= 1);
    const old = first.events[0]!.id!;
    for (let i = 0; i < 10; i++) haul.engine.add({ url: `http://127.0.0.1:9/f${i}`, paused: true });
    const evicted = open(eventsUrl(haul.url), { 'last-event-id': old });
    await evicted.until((x) => x.events.length >= 1);
    expect(evicted.events[0]!.event).toBe('snapshot');
    expect(JSON.parse(evicted.events[0]!.data).downloads).toHaveLength(10);
    for (const bogus of ['1', '99999999999', 'abc']) {
      const r = open(eventsUrl(haul.url), { 'last-event-id': bogus });
      await r.until((x) => x.events.length >= 1);
      expect(r.events[0]!.event, bogus).toBe('snapshot');
    }
  });

  it('never reuses ids after a restart; an id from an earlier run gets a snapshot', async () => {
    const dataDir = tempDir();
    const one = await startTestHaul({ dataDir });
    one.engine.add({ url: 'http://127.0.0.1:9/x', paused: true });
    const r1 = open(eventsUrl(one.url));
    await r1.until((x) => x.events.length >= 1);
    const before = Number(r1.events[0]!.id);
    r1.close();
    await one.close();
    const two = await startTestHaul({ dataDir });
    const r2 = open(eventsUrl(two.url), { 'last-event-id': String(before) });
    await r2.until((x) => x.events.length >= 1);
    expect(r2.events[0]!.event).toBe('snapshot');
    expect(Number(r2.events[0]!.id)).toBeGreaterThan(before);
  });

  it('pings when idle', async () => {
    const haul = await startTestHaul({ events: { pingIntervalMs: 200 } });
    const r = open(eventsUrl(haul.url));
    await r.until((x) => x.raw.includes(': ping\n\n'), 2000);
  });

  it("streams a real download's progress with only what changed (the pace itself: sse/event-hub.test.ts)", async () => {
    files = await startTestServer({ '/slow': serveBytes(testBytes(2 * 1024 * 1024), { rate: 800 * 1024 }), '/idle': serveBytes(testBytes(10)) });
    const haul = await startTestHaul({ engine: { progressIntervalMs: 10 } });
    const [idle] = haul.engine.add({ url: files.url('/idle') });
    await waitUntil(() => haul.engine.get(idle!.id)?.status === 'completed');
    const r = open(eventsUrl(haul.url));
    await r.until((x) => x.events.length >= 1);
    const [slow] = haul.engine.add({ url: files.url('/slow') });
    await r.until((x) => x.named('progress').length >= 4);
    const progress = r.named('progress').map((e) => JSON.parse(e.data) as { items: Array<{ id: string }> });
    const itemIds = progress.flatMap((p) => p.items.map((i) => i.id));
    expect(new Set(itemIds), JSON.stringify({ slow: slow!.id, idle: idle!.id })).toEqual(new Set([slow!.id]));
  });

  it('disconnects a stalled client without holding up the engine or other clients', async () => {
    const haul = await startTestHaul({ events: { maxBacklogBytes: 256 * 1024 } });
    const stalled = open(eventsUrl(haul.url), {}, { paused: true });
    const healthy = open(eventsUrl(haul.url));
    await healthy.until((x) => x.events.length >= 1);
    await waitUntil(() => haul.hub.clientCount === 2, 10_000, 'both streams connected');
    // Batches across ticks, as real use adds them: a reading client drains between them.
    for (let batch = 0; batch < 50; batch++) {
      const urls = Array.from({ length: 200 }, (_, i) => `http://127.0.0.1:9/${'long-name-'.repeat(20)}${batch}-${i}`);
      expect(haul.engine.add({ urls, paused: true })).toHaveLength(200);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await healthy.until((x) => x.named('added').length === 10_000, 60_000);
    await waitUntil(() => haul.hub.clientCount === 1, 10_000);
    // Once it reads again, the stalled client finds its stream was closed by the server.
    stalled.resume();
    await stalled.until((x) => x.ended, 10_000);
    expect(stalled.named('added').length).toBeLessThan(10_000);
    // Its waits are for conditions; on a loaded machine adding 10,000 downloads alone can take most of the default 30 s.
  }, 120_000);

  it('serves 50 clients the same events', async () => {
    const haul = await startTestHaul();
    const clients = Array.from({ length: 50 }, () => open(eventsUrl(haul.url)));
    await Promise.all(clients.map((c) => c.until((x) => x.events.length >= 1)));
    expect(haul.hub.clientCount).toBe(50);
    const [d] = haul.engine.add({ url: 'http://127.0.0.1:9/shared', paused: true });
    await Promise.all(clients.map((c) => c.until((x) => x.named('added').length === 1)));
    const seen = new Set(clients.map((c) => `${c.named('added')[0]!.id}:${JSON.parse(c.named('added')[0]!.data).id}`));
    expect(seen).toEqual(new Set([`${clients[0]!.named('added')[0]!.id}:${d!.id}`]));
  });

  it('ends every stream on shutdown', async () => {
    const haul = await startTestHaul();
    const r = open(eventsUrl(haul.url));
    await r.until((x) => x.events.length >= 1);
    await haul.close();
    await r.until((x) => x.ended, 3000);
  });
});
