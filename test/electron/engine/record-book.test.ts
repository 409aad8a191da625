import { describe, expect, it } from 'vitest';
import { HaulError } from '../../../electron/engine/errors.ts';
import { newRecord } from '../../../electron/engine/records/new-record.ts';
import { LocalJournal } from '../../../electron/engine/records/local-journal.ts';
import type { RecordChange } from '../../../electron/engine/records/record-change.ts';
import { type AcquireOutcome, type AppendOutcome, type JournalEntry, type RecordJournal, UNFENCED, type WriteFence } from '../../../electron/engine/records/record-journal.ts';
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

/** A journal that delivers what the test says, as another node's entries would arrive, and answers appends as told. */
class ScriptedJournal implements RecordJournal {
  readonly shared = true;
  answer: AppendOutcome = { kind: 'appended' };
  readonly appended: RecordChange[] = [];
  #apply: ((entry: JournalEntry) => void) | undefined;
  load = (): DownloadRecord[] => [];
  subscribe(apply: (entry: JournalEntry) => void): () => void {
    this.#apply = apply;
    return () => undefined;
  }
  deliver(entry: JournalEntry): void {
    this.#apply?.(entry);
  }
  create = (rec: DownloadRecord): void => this.deliver({ kind: 'put', record: rec, here: true });
  append(change: RecordChange, _prev: Readonly<DownloadRecord>, next: DownloadRecord): AppendOutcome {
    this.appended.push(change);
    if (this.answer.kind === 'appended') this.deliver({ kind: 'put', record: next, here: true, change });
    return this.answer;
  }
  remove = (id: string): void => this.deliver({ kind: 'removed', id, here: true });
  acquire = (): AcquireOutcome => ({ kind: 'acquired' });
  release = (): void => undefined;
  fence = (): WriteFence => UNFENCED;
  accepting = (): boolean => true;
  flush = (): void => undefined;
}

describe('RecordBook on a journal', () => {
  function scripted() {
    const journal = new ScriptedJournal();
    const arrived: Array<{ id: string; prev?: string | undefined; next?: string | undefined }> = [];
    const fenced: string[] = [];
    const changed: string[] = [];
    const book = new RecordBook(journal, {
      changed: (id, change) => changed.push(`${id}:${change.kind}`),
      arrived: (id, prev, next) => arrived.push({ id, prev: prev?.status, next: next?.status }),
      storeFailed: () => undefined,
      fenced: (id) => fenced.push(id),
    });
    return { journal, book, arrived, fenced, changed };
  }

  it('applies only what the journal delivers: a record changed elsewhere arrives (not announced as this process’s change), a removal elsewhere too', () => {
    const r = scripted();
    r.book.create(record('a'));
    r.journal.deliver({ kind: 'put', record: record('a', { status: 'paused' }), here: false });
    expect(r.book.require('id-a').status).toBe('paused');
    r.journal.deliver({ kind: 'removed', id: 'id-a', here: false });
    expect(r.book.has('id-a')).toBe(false);
    expect(r.arrived).toEqual([
      { id: 'id-a', prev: 'queued', next: 'paused' },
      { id: 'id-a', prev: 'paused', next: undefined },
    ]);
    expect(r.changed).toEqual([]);
  });

  it('a fenced append changes nothing and says so; a fenced entry tells the run’s owner', () => {
    const r = scripted();
    r.book.create(record('a', { status: 'downloading' }));
    r.journal.answer = { kind: 'fenced' };
    expect(r.book.transition('id-a', { kind: 'completed' })).toEqual({ kind: 'fenced' });
    expect(r.book.require('id-a').status).toBe('downloading');
    expect(r.changed).toEqual([]);
    r.journal.deliver({ kind: 'fenced', id: 'id-a' });
    expect(r.fenced).toEqual(['id-a']);
  });

  it('asks the journal nothing for an intent the transition table refuses', () => {
    const r = scripted();
    r.book.create(record('a', { status: 'completed' }));
    expect(r.book.transition('id-a', { kind: 'started' })).toEqual({ kind: 'illegal', from: 'completed', intent: 'started' });
    expect(r.journal.appended).toEqual([]);
  });
});
