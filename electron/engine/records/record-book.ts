import { HaulError, toHaulError } from '../errors.ts';
import { applyChange, type FieldChange, type RecordChange } from './record-change.ts';
import { nextStatus, type StatusIntent, type TransitionOutcome } from './status-transitions.ts';
import type { DownloadRecord } from './record.ts';
import type { DownloadStore } from '../store/download-store.ts';

export interface RecordBookDeps {
  /** `id` changed (it is persisted, or the store refused it and `storeFailed` was told). */
  changed(id: string, change: RecordChange): void;
  /** The store refused to record a change of `id` (a full data folder): the change holds in memory, and a run of `id` must stop. */
  storeFailed(id: string, error: HaulError): void;
}

/**
 * The one owner of every download's record. It applies changes, persists them before anyone
 * sees them, and tells the engine which download changed; everyone else reads copies. It also
 * indexes the names downloads have claimed, so choosing a free name never scans the list.
 */
export class RecordBook {
  readonly #store: DownloadStore;
  readonly #records = new Map<string, DownloadRecord>();
  /** `dir \0 filename` of every record whose name is fixed, with the id holding it. */
  readonly #claims = new Map<string, string>();
  readonly #deps: RecordBookDeps;

  constructor(store: DownloadStore, deps: RecordBookDeps) {
    this.#store = store;
    this.#deps = deps;
  }

  /** Loads every stored record (at start). */
  load(): DownloadRecord[] {
    for (const rec of this.#store.loadDownloads()) this.#put(rec);
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
      this.#store.saveDownload(rec);
    } catch (cause) {
      const error = toHaulError(cause);
      throw new HaulError('FILE_ERROR', `Haul could not save the new download, so nothing was added. ${error.message}`, { cause, ...(error.params === undefined ? {} : { params: error.params }) });
    }
    this.#put(rec);
  }

  /**
   * Applies `change` to a live record, persists it, and announces it; unknown ids are ignored
   * (removed meanwhile). A write the store refuses is not thrown at whoever made the change: the
   * change holds in memory (what is stored stays an older, resumable state) and the owner of
   * the download's run is told, so the run stops and says why.
   */
  apply(id: string, change: FieldChange): Readonly<DownloadRecord> | undefined {
    return this.#commit(id, change);
  }

  /** Moves a download's status as `intent` says, if the transition table allows it there. */
  transition(id: string, intent: StatusIntent): TransitionOutcome {
    const prev = this.#records.get(id);
    if (prev === undefined) return { kind: 'gone' };
    const to = nextStatus(prev.status, intent);
    if (to === undefined) return { kind: 'illegal', from: prev.status, intent: intent.kind };
    this.#commit(id, { kind: 'status', status: to, error: intent.kind === 'failed' ? intent.error : undefined });
    return { kind: 'moved', from: prev.status, to };
  }

  #commit(id: string, change: RecordChange): Readonly<DownloadRecord> | undefined {
    const prev = this.#records.get(id);
    if (prev === undefined) return undefined;
    const next = applyChange(prev, change);
    let refused: HaulError | undefined;
    try {
      if (change.kind === 'durable' || change.kind === 'restart') this.#store.saveProgress(id, next.received, next.ranges);
      else this.#store.saveDownload(next, prev);
    } catch (error) {
      refused = toHaulError(error);
    }
    this.#unclaim(prev);
    this.#put(next);
    this.#deps.changed(id, change);
    if (refused !== undefined) this.#deps.storeFailed(id, refused);
    return next;
  }

  /** Writes every record again (at shutdown). */
  flush(): void {
    this.#store.saveAll([...this.#records.values()]);
  }

  /**
   * Takes in a record as another node stored it (`undefined`: it removed it): no write and no
   * announcement, since both already happened there. Returns the record as it was here.
   */
  adopt(id: string, next: DownloadRecord | undefined): Readonly<DownloadRecord> | undefined {
    const prev = this.#records.get(id);
    if (prev !== undefined) this.#unclaim(prev);
    if (next === undefined) this.#records.delete(id);
    else this.#put(next);
    return prev;
  }

  remove(id: string): void {
    const rec = this.#records.get(id);
    if (rec === undefined) return;
    this.#store.deleteDownload(id);
    this.#unclaim(rec);
    this.#records.delete(id);
  }

  /** Whether another download has claimed `name` in `dir`. */
  isClaimed(dir: string, name: string, selfId: string): boolean {
    const holder = this.#claims.get(claimKey(dir, name));
    return holder !== undefined && holder !== selfId;
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
