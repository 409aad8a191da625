import { toHaulError } from '../errors.ts';
import type { DownloadRecord } from './record.ts';
import type { RecordChange } from './record-change.ts';
import { type AcquireOutcome, type AppendOutcome, type JournalEntry, type RecordJournal, UNFENCED, type WriteFence } from './record-journal.ts';

/** The rows of downloads, as the SQLite store keeps them. */
export interface RecordRows {
  loadDownloads(): DownloadRecord[];
  /** Writes the record (its `received` must be durable). */
  saveDownload(rec: DownloadRecord): void;
  /** Records durable progress: call only after the bytes in `ranges` were flushed. */
  saveProgress(id: string, received: number, ranges?: DownloadRecord['ranges']): void;
  deleteDownload(id: string): void;
}

/**
 * The journal of one machine: each change is written to the store and delivered at once. This
 * process is the only one running downloads, so the right to run one is always granted.
 */
export class LocalJournal implements RecordJournal {
  readonly shared = false;
  readonly #rows: RecordRows;
  readonly #subscribers = new Set<(entry: JournalEntry) => void>();
  readonly #live = new Set<string>();

  constructor(rows: RecordRows) {
    this.#rows = rows;
  }

  load(): DownloadRecord[] {
    const records = this.#rows.loadDownloads();
    for (const rec of records) this.#live.add(rec.id);
    return records;
  }

  subscribe(apply: (entry: JournalEntry) => void): () => void {
    this.#subscribers.add(apply);
    return () => this.#subscribers.delete(apply);
  }

  create(rec: DownloadRecord): void {
    this.#rows.saveDownload(rec);
    this.#live.add(rec.id);
    this.#deliver({ kind: 'put', record: rec, here: true });
  }

  /**
   * A write the store refuses is not thrown at whoever made the change: the change holds in
   * memory (what is stored stays an older, resumable state) and a `refused` entry follows it.
   */
  append(change: RecordChange, _prev: Readonly<DownloadRecord>, next: DownloadRecord): AppendOutcome {
    if (!this.#live.has(next.id)) return { kind: 'gone' };
    let refused: unknown;
    try {
      if (change.kind === 'durable' || change.kind === 'restart') this.#rows.saveProgress(next.id, next.received, next.ranges);
      else this.#rows.saveDownload(next);
    } catch (error) {
      refused = error;
    }
    this.#deliver({ kind: 'put', record: next, here: true, change });
    if (refused !== undefined) this.#deliver({ kind: 'refused', id: next.id, error: toHaulError(refused) });
    return { kind: 'appended' };
  }

  remove(id: string): void {
    this.#rows.deleteDownload(id);
    this.#live.delete(id);
    this.#deliver({ kind: 'removed', id, here: true });
  }

  acquire(): AcquireOutcome {
    return { kind: 'acquired' };
  }

  release(): void {}

  fence(): WriteFence {
    return UNFENCED;
  }

  accepting(): boolean {
    return true;
  }

  /** Writes each record again: one whose last write the store refused (a full disk) may be taken now. */
  flush(records: readonly DownloadRecord[]): void {
    for (const rec of records) if (this.#live.has(rec.id)) this.#rows.saveDownload(rec);
  }

  #deliver(entry: JournalEntry): void {
    for (const apply of this.#subscribers) apply(entry);
  }
}
