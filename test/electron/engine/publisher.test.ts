import { describe, expect, it } from 'vitest';
import type { DownloadPatch } from '../../../shared/api.ts';
import { newRecord } from '../../../electron/engine/records/new-record.ts';
import { Publisher } from '../../../electron/engine/records/publisher.ts';
import { RecordBook } from '../../../electron/engine/records/record-book.ts';
import { SqliteStore } from '../../../electron/engine/store/sqlite-store.ts';
import { parseAddRequest } from '../../../electron/engine/input/validate.ts';

describe('the publisher', () => {
  it('says who runs a download it claimed even when the claimed record reached its view first, unannounced', () => {
    const store = new SqliteStore(':memory:');
    const sent: DownloadPatch[] = [];
    const book = new RecordBook(store, { changed: () => undefined, storeFailed: () => undefined });
    const publisher = new Publisher({ book, live: () => undefined, updated: (p) => sent.push(p), progress: () => undefined });
    const [item] = parseAddRequest({ url: 'https://example.test/a.iso' });
    const rec = newRecord(item!, { id: 'd1', dir: '/tmp', createdAt: new Date(0).toISOString(), seq: 1 });
    book.create(rec);
    publisher.seed(rec);
    // Another node's stream entry brings the claim first: the view is seeded with it.
    const claimed = { ...rec, status: 'downloading' as const, node: 'b' };
    book.adopt('d1', claimed);
    publisher.seed(claimed);
    publisher.publish('d1');
    expect(sent).toEqual([]);
    publisher.publish('d1', ['status', 'node']);
    expect(sent).toEqual([{ id: 'd1', status: 'downloading', node: 'b' }]);
    store.close();
  });
});
