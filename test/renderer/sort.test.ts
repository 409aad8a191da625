import { describe, expect, it } from 'vitest';
import type { Download } from '../../shared/api.ts';
import { nextSort, sortDownloads, DEFAULT_SORT } from '../../renderer/src/state/sort.ts';

const d = (id: string, over: Partial<Download>): Download =>
  ({
    id,
    url: `https://x/${id}`,
    filename: id,
    dir: '/d',
    status: 'queued',
    received: 0,
    total: null,
    speed: 0,
    connections: 0,
    resumable: true,
    risky: false,
    maxConnections: 0,
    speedLimit: 0,
    order: 0,
    createdAt: '2026-01-01T00:00:00Z',
    ...over,
  }) as Download;

const list = [
  d('file10.zip', { order: 1, total: 300, received: 150, status: 'downloading', speed: 10, createdAt: '2026-01-01T00:00:01Z' }),
  d('File2.zip', { order: 2, total: 100, received: 100, status: 'completed', createdAt: '2026-01-01T00:00:03Z' } as Partial<Download>),
  d('file1.zip', { order: 3, total: null, status: 'paused', createdAt: '2026-01-01T00:00:02Z' }),
  d('big.iso', { order: 4, total: 1000, received: 100, status: 'downloading', speed: 900, createdAt: '2026-01-01T00:00:02Z' }),
];

describe('sorting the list', () => {
  it('sorts by each column; names in natural order regardless of case; unknown sizes last', () => {
    // Newest first; of two added in the same second, the later one first.
    expect(sortDownloads(list, DEFAULT_SORT)).toEqual(['File2.zip', 'big.iso', 'file1.zip', 'file10.zip']);
    expect(sortDownloads(list, { key: 'name', descending: false })).toEqual(['big.iso', 'file1.zip', 'File2.zip', 'file10.zip']);
    expect(sortDownloads(list, { key: 'size', descending: true })).toEqual(['big.iso', 'file10.zip', 'File2.zip', 'file1.zip']);
    expect(sortDownloads(list, { key: 'progress', descending: true })).toEqual(['File2.zip', 'file10.zip', 'big.iso', 'file1.zip']);
    expect(sortDownloads(list, { key: 'speed', descending: true })).toEqual(['big.iso', 'file10.zip', 'File2.zip', 'file1.zip']);
    // 1 s left for big.iso (900 B at 900 B/s), 15 s for file10.zip; the rest have no time left.
    expect(sortDownloads(list, { key: 'eta', descending: false })).toEqual(['big.iso', 'file10.zip', 'File2.zip', 'file1.zip']);
    expect(sortDownloads(list, { key: 'status', descending: false })).toEqual(['file10.zip', 'big.iso', 'file1.zip', 'File2.zip']);
    expect(sortDownloads(list, { key: 'queue', descending: false })).toEqual(['file10.zip', 'File2.zip', 'file1.zip', 'big.iso']);
  });

  it('flips on a second click, and starts each column the way it is mostly wanted', () => {
    expect(nextSort({ key: 'name', descending: false }, 'name')).toEqual({ key: 'name', descending: true });
    expect(nextSort(DEFAULT_SORT, 'name')).toEqual({ key: 'name', descending: false });
    expect(nextSort(DEFAULT_SORT, 'size')).toEqual({ key: 'size', descending: true });
  });
});
