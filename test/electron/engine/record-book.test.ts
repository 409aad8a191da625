import { describe, expect, it } from 'vitest';
import { HaulError } from '../../../electron/engine/errors.ts';
import { newRecord } from '../../../electron/engine/records/new-record.ts';
import { LocalJournal } from '../../../electron/engine/records/local-journal.ts';
import { RecordBook } from '../../../electron/engine/records/record-book.ts';
import type { DownloadRecord } from '../../../electron/engine/records/record.ts';
import { SqliteStore } from '../../../electron/engine/store/sqlite-store.ts';

/** A real store that refuses writes while told to, as a full data folder does. */
class RefusingStore extends SqliteStore {
  refuse = false;
  override saveDownload(rec: DownloadRecord): void {
    if (this.refuse) throw new HaulError('FILE_ERROR', "Haul's data folder is full.");
    super.saveDownload(rec);
  }
}

function record(name: string, extra: Partial<DownloadRecord> = {}): DownloadRecord {
  const item = { url: `http://127.0.0.1:9/${name}`, connections: 0, headers: {}, paused: false, speedLimit: 0, insecure: false };
  return { ...newRecord(item, { id: `id-${name}`, dir: '/d', createdAt: '2026-01-01T00:00:00.000Z', seq: 1 }), ...extra };
}

function rig() {
  const store = new RefusingStore(':memory:');
  const told: Array<{ id: string; kind: string; stored: string | undefined }> = [];
  const failed: Array<{ id: string; code: string }> = [];
  const book = new RecordBook(new LocalJournal(store), {
    // What the store holds when a change is announced: it is persisted first.
    changed: (id, change) => told.push({ id, kind: change.kind, stored: store.loadDownloads().find((r) => r.id === id)?.status }),
    arrived: () => undefined,
    storeFailed: (id, error) => failed.push({ id, code: error.code }),
    fenced: () => undefined,
  });
  return { store, book, told, failed };
}

describe('RecordBook', () => {
  it('persists a change before announcing it', () => {
    const r = rig();
    r.book.create(record('a'));
    r.book.transition('id-a', { kind: 'paused' });
    expect(r.told).toEqual([{ id: 'id-a', kind: 'status', stored: 'paused' }]);
    expect(r.book.require('id-a').status).toBe('paused');
  });

  it('keeps a change the store refused in memory, tells the run’s owner, and leaves the stored record as it was', () => {
    const r = rig();
    r.book.create(record('a'));
    r.store.refuse = true;
    expect(r.book.transition('id-a', { kind: 'paused' })).toEqual({ kind: 'moved', from: 'queued', to: 'paused' });
    expect(r.book.require('id-a').status).toBe('paused');
    expect(r.failed).toEqual([{ id: 'id-a', code: 'FILE_ERROR' }]);
    expect(r.told.map((t) => t.kind)).toEqual(['status']);
    expect(r.store.loadDownloads().find((rec) => rec.id === 'id-a')?.status).toBe('queued');
  });

  it('adds nothing when the store refuses a new record, and says so', () => {
    const r = rig();
    r.store.refuse = true;
    expect(() => r.book.create(record('a'))).toThrow(/could not save the new download, so nothing was added/u);
    expect(r.book.has('id-a')).toBe(false);
  });

  it('ignores a change for a download removed meanwhile', () => {
    const r = rig();
    r.book.create(record('a'));
    r.book.remove('id-a');
    expect(r.book.transition('id-a', { kind: 'paused' })).toEqual({ kind: 'gone' });
    expect(r.book.apply('id-a', { kind: 'seq', seq: 9 })).toBeUndefined();
    expect(r.told).toEqual([]);
  });

  it('indexes the names reserved on disk: another download sees a name taken, the holder does not, and a removal frees it', () => {
    const r = rig();
    r.book.create(record('a', { filename: 'report.pdf', filenameFixed: true }));
    r.book.create(record('b'));
    expect(r.book.isClaimed('/d', 'report.pdf', 'id-b')).toBe(true);
    expect(r.book.isClaimed('/d', 'report.pdf', 'id-a')).toBe(false);
    expect(r.book.isClaimed('/other', 'report.pdf', 'id-b')).toBe(false);
    r.book.apply('id-b', { kind: 'filename', filename: 'notes.txt' });
    expect(r.book.isClaimed('/d', 'notes.txt', 'id-a')).toBe(true);
    r.book.remove('id-a');
    expect(r.book.isClaimed('/d', 'report.pdf', 'id-b')).toBe(false);
  });
});
