import { describe, expect, it } from 'vitest';
import type { DownloadPatch } from '../../../shared/api.ts';
import { LocalJournal } from '../../../electron/engine/records/local-journal.ts';
import { newRecord } from '../../../electron/engine/records/new-record.ts';
import { Publisher } from '../../../electron/engine/records/publisher.ts';
import { RecordBook } from '../../../electron/engine/records/record-book.ts';
import { SqliteStore } from '../../../electron/engine/store/sqlite-store.ts';
import { parseAddRequest } from '../../../electron/engine/input/validate.ts';

describe('the publisher', () => {
  it('announces only the fields that differ from the last view sent, and nothing for a view another node announced', () => {
    const store = new SqliteStore(':memory:');
    const sent: DownloadPatch[] = [];
    let publisher: Publisher | undefined;
    const book = new RecordBook(new LocalJournal(store), {
      changed: (id) => publisher?.publish(id),
      arrived: (_id, _prev, next) => (next === undefined ? undefined : publisher?.seed(next)),
      storeFailed: () => undefined,
      fenced: () => undefined,
    });
    publisher = new Publisher({ book, live: () => undefined, updated: (p) => sent.push(p), progress: () => undefined, startsAt: () => undefined });
    const [item] = parseAddRequest({ url: 'https://example.test/a.iso' });
    const rec = newRecord(item!, { id: 'd1', dir: '/tmp', createdAt: new Date(0).toISOString(), seq: 1 });
    book.create(rec);
    publisher.seed(rec);
    book.transition('d1', { kind: 'paused' });
    book.apply('d1', { kind: 'options', connections: 4 });
    expect(sent).toEqual([
      { id: 'd1', status: 'paused' },
      { id: 'd1', maxConnections: 4 },
    ]);
    publisher.publish('d1');
    expect(sent).toHaveLength(2);
    store.close();
  });
});
