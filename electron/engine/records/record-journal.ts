import { HaulError } from '../errors.ts';
import type { RecordChange } from './record-change.ts';
import type { DownloadRecord } from './record.ts';

/** What a journal delivers to its subscriber (the record book), in the order it stands. */
export type JournalEntry =
  /** A record as it now stands: made or changed by this process (`here`, with the `change` unless it was just created), or elsewhere. */
  | { kind: 'put'; record: DownloadRecord; here: true; change?: RecordChange | undefined }
  | { kind: 'put'; record: DownloadRecord; here: false }
  | { kind: 'removed'; id: string; here: boolean }
  /** This process may no longer run `id` (another node holds it now): its run stops and writes nothing more. */
  | { kind: 'fenced'; id: string }
  /** The store refused to record a change of `id` (a full data folder): the change holds in memory, and a run of `id` must stop. */
  | { kind: 'refused'; id: string; error: HaulError };

export type AppendOutcome =
  | { kind: 'appended' }
  /** This process no longer holds the right to run the download, so its run's changes are not taken. */
  | { kind: 'fenced' }
  /** The download is gone (removed meanwhile). */
  | { kind: 'gone' };

export type AcquireOutcome = { kind: 'acquired' } | { kind: 'denied' };

/**
 * The journal's fence around one download's file, checked by this process's own clock before
 * every write to it. A node woken from a freeze runs its pending I/O callbacks before its timers
 * could tell it the lease lapsed, so only a check at the write keeps its late bytes (of a
 * representation another node may have started again from zero) out of a shared file. It is
 * `append`'s Fenced outcome, asked where bytes are written instead of where records change.
 */
export interface WriteFence {
  check(): 'held' | 'fenced';
}

/** The fence of a journal no other process shares: nobody else can take a download over. */
export const UNFENCED: WriteFence = { check: () => 'held' };

/** What a run's write that met the fence throws: the run stops (its journal has said `fenced` too). */
export function fencedError(): HaulError {
  return new HaulError('INTERNAL', 'This node no longer runs the download; another node took it over.');
}

/** An owner's limit of downloads running at once, counted over every node. */
export interface RunLimit {
  owner: string;
  maxRunning: number;
}

/**
 * The only way a download's record changes, on one machine (SQLite) or several sharing Redis.
 * A change is appended; what the journal delivers is what the record book applies: SQLite's at
 * once, Redis's in the stream's order. The right to run a download is acquired from it too, so
 * two nodes never run one download.
 */
export interface RecordJournal {
  /** Whether other processes run this journal's downloads too: then a record marked running at start is theirs until its lease lapses. */
  readonly shared: boolean;
  /** Every stored record (at start). */
  load(): DownloadRecord[];
  /** Delivers every entry from now on; returns the disposer. */
  subscribe(apply: (entry: JournalEntry) => void): () => void;
  /** Records a new download; throws (nothing kept) when the store refuses it. */
  create(rec: DownloadRecord): void;
  /** Records `change`, which turns `prev` into `next`. */
  append(change: RecordChange, prev: Readonly<DownloadRecord>, next: DownloadRecord): AppendOutcome;
  remove(id: string): void;
  /** The right to run `id` here: at once on one machine; with several, once this node holds its lease and the record says so. */
  acquire(id: string, limit?: RunLimit): AcquireOutcome | Promise<AcquireOutcome>;
  /** Gives that right back; with `requeue`, a download still marked running waits for any node again. */
  release(id: string, requeue: boolean): void;
  /** The fence every write to `id`'s file passes (see WriteFence). */
  fence(id: string): WriteFence;
  /** Whether this process takes downloads to run now (not while draining, nor cut off from the others). */
  accepting(): boolean;
  /** At shutdown: writes `records` (the book's) again, where the store needs it. */
  flush(records: readonly DownloadRecord[]): void;
}
