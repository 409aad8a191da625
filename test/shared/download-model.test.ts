import { describe, expect, it } from 'vitest';
import { TEST_SETTINGS } from '../helpers/settings.ts';
import type { Download } from '../../shared/api.ts';
import { applyEvent, emptyModel, type StreamEvent } from '../../shared/download-model.ts';

const settings = TEST_SETTINGS;
function dl(id: string, over: Partial<Download> = {}): Download {
  return {
    id,
    url: `http://h.test/${id}`,
    filename: id,
    dir: '/d',
    status: 'downloading',
    received: 0,
    total: 100,
    speed: 0,
    connections: 1,
    resumable: true,
    createdAt: '2026-01-01T00:00:00Z',
    ...over,
  } as Download;
}
const snapshot = (id: number, downloads: Download[]): StreamEvent => ({ name: 'snapshot', id, data: { downloads, settings } });

describe('applyEvent', () => {
  it('builds the list from a snapshot, then applies added, updated, progress and removed', () => {
    const m = emptyModel();
    expect(applyEvent(m, snapshot(10, [dl('a')])).list).toBe(true);
    applyEvent(m, { name: 'added', id: 11, data: dl('b') });
    expect(m.order).toEqual(['a', 'b']);
    const progress = applyEvent(m, { name: 'progress', id: 12, data: { items: [{ id: 'a', received: 50, total: 100, speed: 7, connections: 2 }] } });
    expect([...progress.items]).toEqual(['a']);
    expect(progress.list).toBe(false);
    expect(m.byId.get('a')).toMatchObject({ received: 50, speed: 7, connections: 2 });
    const done = applyEvent(m, { name: 'updated', id: 13, data: { id: 'a', status: 'completed', completedAt: '2026-01-01T00:01:00Z', received: 100, speed: 0 } });
    expect(done.list).toBe(true);
    expect(m.byId.get('a')).toMatchObject({ status: 'completed', received: 100 });
    applyEvent(m, { name: 'updated', id: 14, data: { id: 'b', status: 'failed', error: { code: 'HTTP_ERROR', message: '404' } } });
    applyEvent(m, { name: 'updated', id: 15, data: { id: 'b', status: 'queued', error: null } });
    expect(m.byId.get('b')).not.toHaveProperty('error');
    applyEvent(m, { name: 'removed', id: 16, data: { id: 'a' } });
    expect(m.order).toEqual(['b']);
    applyEvent(m, { name: 'settings', id: 17, data: { ...settings, speedLimit: 5 } });
    expect(m.settings?.speedLimit).toBe(5);
    expect(m.lastEventId).toBe(17);
  });

  it('drops the last progress speed when a download stops, even if the update does not carry speed', () => {
    const m = emptyModel();
    applyEvent(m, snapshot(10, [dl('a')]));
    applyEvent(m, { name: 'progress', id: 11, data: { items: [{ id: 'a', received: 60, total: 100, speed: 12_000_000, connections: 4 }] } });
    applyEvent(m, { name: 'updated', id: 12, data: { id: 'a', status: 'completed', completedAt: '2026-01-01T00:01:00Z', received: 100 } });
    expect(m.byId.get('a')).toMatchObject({ speed: 0, connections: 0 });
  });

  it('ignores duplicates and events older than what it has (overlapping replay)', () => {
    const m = emptyModel();
    applyEvent(m, snapshot(10, [dl('a')]));
    applyEvent(m, { name: 'updated', id: 12, data: { id: 'a', filename: 'new.bin' } });
    const stale = applyEvent(m, { name: 'updated', id: 11, data: { id: 'a', filename: 'old.bin' } });
    expect(stale.items.size).toBe(0);
    expect(m.byId.get('a')?.filename).toBe('new.bin');
    applyEvent(m, { name: 'added', id: 12, data: dl('dup') });
    expect(m.byId.has('dup')).toBe(false);
  });

  it('drops events for unknown downloads', () => {
    const m = emptyModel();
    applyEvent(m, snapshot(1, []));
    expect(applyEvent(m, { name: 'updated', id: 2, data: { id: 'ghost', status: 'paused' } }).items.size).toBe(0);
    expect(applyEvent(m, { name: 'progress', id: 3, data: { items: [{ id: 'ghost', received: 1, total: 2, speed: 1, connections: 1 }] } }).items.size).toBe(0);
    expect(applyEvent(m, { name: 'removed', id: 4, data: { id: 'ghost' } }).list).toBe(false);
    expect(m.byId.size).toBe(0);
  });

  it('never lets summarised progress drag a finished download back', () => {
    const m = emptyModel();
    applyEvent(m, snapshot(1, [dl('a')]));
    // A replay sends state events first, then missed progress summarised into one event.
    applyEvent(m, { name: 'updated', id: 5, data: { id: 'a', status: 'completed', received: 100, completedAt: '2026-01-01T00:00:09Z' } });
    applyEvent(m, { name: 'progress', id: 6, data: { items: [{ id: 'a', received: 40, total: 100, speed: 9, connections: 1 }] } });
    expect(m.byId.get('a')).toMatchObject({ status: 'completed', received: 100 });
  });

  it('starts over from a new snapshot after a reconnect that could not be replayed', () => {
    const m = emptyModel();
    applyEvent(m, snapshot(50, [dl('a'), dl('b')]));
    applyEvent(m, snapshot(20, [dl('c')]));
    expect(m.order).toEqual(['c']);
    expect(m.lastEventId).toBe(20);
    expect(applyEvent(m, { name: 'added', id: 21, data: dl('d') }).list).toBe(true);
  });
});
