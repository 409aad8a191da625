import { assertNever } from '../../../shared/assert-never.ts';
import { HaulError, toHaulError } from '../errors.ts';
import { applyChange, type FieldChange, type RecordChange } from './record-change.ts';
import type { AcquireOutcome, JournalEntry, RecordJournal, RunLimit } from './record-journal.ts';
import type { DownloadRecord } from './record.ts';
import { nextStatus, type StatusIntent, type TransitionOutcome } from './status-transitions.ts';

export interface RecordBookDeps {
  /** This process changed `id` (the journal delivered it). */
  changed(id: string, change: RecordChange): void;
  /** A record was made, changed or removed elsewhere (another node): `prev` is how this process had it. */
  arrived(id: string, prev: Readonly<DownloadRecord> | undefined, next: Readonly<DownloadRecord> | undefined): void;
  /** The store refused to record a change of `id` (a full data folder): a run of `id` must stop. */
  storeFailed(id: string, error: HaulError): void;
  /** This process may no longer run `id`: its run stops at once and writes nothing more. */
  fenced(id: string): void;
}

/**
 * Every download's record as the journal delivered it: the book appends changes to the journal
 * and applies only what it delivers, so on one machine and on several there is one write path.
 * Everyone else reads copies. It also indexes the names downloads have claimed, so choosing a
 * free name never scans the list.
 */
export class RecordBook {
  readonly #journal: RecordJournal;
  readonly #records = new Map<string, DownloadRecord>();
  /** `dir \0 filename` of every record whose name is fixed, with the id holding it. */
  readonly #claims = new Map<string, string>();
  readonly #deps: RecordBookDeps;

  constructor(journal: RecordJournal, deps: RecordBookDeps) {
    this.#journal = journal;
    this.#deps = deps;
    journal.subscribe((entry) => this.#take(entry));
  }

  /** Loads every stored record (at start). */
  load(): DownloadRecord[] {
    for (const rec of this.#journal.load()) this.#put(rec);
    return [...this.#records.values()];
  }

  get(id: string): Readonly<DownloadRecord> | undefined {
    return this.#records.get(id);
  }

  /** Like `get`, but an unknown id is a NOT_FOUND error. */
  require(id: string): Readonly<DownloadRecord> {
    const rec = this.#records.get(id);
    if (rec === undefined) throw new HaulError('NOT_FOUND', `No download has the id "${id.slice(0, 100)}"; it may have been removed.`);
    return rec;
  }

  has(id: string): boolean {
    return this.#records.has(id);
  }

  all(): Array<Readonly<DownloadRecord>> {
    return [...this.#records.values()];
  }

  /** Stores a new record; if the store refuses it, nothing is kept and the error says why. */
  create(rec: DownloadRecord): void {
    try {
      this.#journal.create(rec);
    } catch (cause) {
      const error = toHaulError(cause);
      throw new HaulError('FILE_ERROR', `Haul could not save the new download, so nothing was added. ${error.message}`, { cause, params: error.params });
    }
  }

  /** Appends `change` to a live record; unknown ids are ignored (removed meanwhile). Returns the record as it now stands. */
  apply(id: string, change: FieldChange): Readonly<DownloadRecord> | undefined {
    this.#append(id, change);
    return this.#records.get(id);
  }

  /** Moves a download's status as `intent` says, if the transition table allows it there. */
  transition(id: string, intent: StatusIntent): TransitionOutcome {
    const prev = this.#records.get(id);
    if (prev === undefined) return { kind: 'gone' };
    const to = nextStatus(prev.status, intent);
    if (to === undefined) return { kind: 'illegal', from: prev.status, intent: intent.kind };
    const appended = this.#append(id, { kind: 'status', status: to, error: intent.kind === 'failed' ? intent.error : undefined });
    return appended === 'appended' ? { kind: 'moved', from: prev.status, to } : { kind: appended };
  }

  /** The right to run `id` here (see RecordJournal.acquire). */
  acquire(id: string, limit?: RunLimit): AcquireOutcome | Promise<AcquireOutcome> {
    return this.#journal.acquire(id, limit);
  }

  release(id: string, requeue: boolean): void {
    this.#journal.release(id, requeue);
  }

  accepting(): boolean {
    return this.#journal.accepting();
  }

  /** Writes every record again (at shutdown). */
  flush(): void {
    this.#journal.flush([...this.#records.values()]);
  }

  remove(id: string): void {
    if (this.#records.has(id)) this.#journal.remove(id);
  }

  /** Whether another download has claimed `name` in `dir`. */
  isClaimed(dir: string, name: string, selfId: string): boolean {
    const holder = this.#claims.get(claimKey(dir, name));
    return holder !== undefined && holder !== selfId;
  }

  #append(id: string, change: RecordChange): 'appended' | 'fenced' | 'gone' {
    const prev = this.#records.get(id);
    if (prev === undefined) return 'gone';
    return this.#journal.append(change, prev, applyChange(prev, change)).kind;
  }

  #take(entry: JournalEntry): void {
    switch (entry.kind) {
      case 'put': {
        const prev = this.#records.get(entry.record.id);
        if (prev !== undefined) this.#unclaim(prev);
        this.#put(entry.record);
        if (!entry.here) this.#deps.arrived(entry.record.id, prev, entry.record);
        else if (entry.change !== undefined) this.#deps.changed(entry.record.id, entry.change);
        return;
      }
      case 'removed': {
        const prev = this.#records.get(entry.id);
        if (prev === undefined) return;
        this.#unclaim(prev);
        this.#records.delete(entry.id);
        if (!entry.here) this.#deps.arrived(entry.id, prev, undefined);
        return;
      }
      case 'fenced':
        this.#deps.fenced(entry.id);
        return;
      case 'refused':
        this.#deps.storeFailed(entry.id, entry.error);
        return;
      default:
        assertNever(entry, 'journal entry');
    }
  }

  #put(rec: DownloadRecord): void {
    this.#records.set(rec.id, rec);
    if (rec.filenameFixed) this.#claims.set(claimKey(rec.dir, rec.filename), rec.id);
  }

  #unclaim(rec: DownloadRecord): void {
    const key = claimKey(rec.dir, rec.filename);
    if (this.#claims.get(key) === rec.id) this.#claims.delete(key);
  }
}

function claimKey(dir: string, name: string): string {
  return `${dir}\0${name}`;
}
