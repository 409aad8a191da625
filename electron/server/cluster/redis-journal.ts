import { applyChange, type RecordChange } from '../../engine/records/record-change.ts';
import type { AcquireOutcome, AppendOutcome, JournalEntry, RecordJournal, RunLimit, WriteFence } from '../../engine/records/record-journal.ts';
import type { DownloadRecord } from '../../engine/records/record.ts';
import type { RecordEntry } from './feed-entries.ts';
import { KEYS } from './keys.ts';
import type { Leases } from './leases.ts';
import { diffFields, fromFields, patchRecord, toFields, type StoredFields } from './record-fields.ts';
import type { Scripts } from './scripts.ts';

export interface RedisJournalOptions {
  /** Scripts on the connection the store writes on: writes, claims and releases go in one order. */
  scripts: Scripts;
  leases: Leases;
  /** This node's name (each entry says where it came from). */
  node: string;
  /** Stream entries kept (about). */
  maxlen: number;
  /** Resolves once this node has taken in stream entry `n` (or gave up waiting). */
  reached(n: number): Promise<void>;
  /** A write Redis refused or never answered. */
  onError(error: unknown): void;
}

/** A change this node sent whose entry has not come back: what it does to the record. */
interface Pending {
  ref: string;
  apply(rec: DownloadRecord | undefined): DownloadRecord | undefined;
}

/** Changes a run makes: once its lease is lost they are refused here, before Redis would fence them. */
const USER_CHANGES: ReadonlySet<RecordChange['kind']> = new Set(['url', 'options', 'seq']);

/**
 * The journal of several nodes sharing Redis. The stream's order decides: each entry that comes
 * back is applied to the record as Redis holds it (`confirmed`), and what this node sent whose
 * entry is still on the way is applied again on top, so this node sees its own changes at once
 * (its run reads them back) and never an older value over a newer one. The right to run a
 * download is its lease (see Leases), granted once the claim's entry has been taken in.
 */
export class RedisJournal implements RecordJournal {
  readonly shared = true;
  readonly #opts: RedisJournalOptions;
  readonly #confirmed = new Map<string, DownloadRecord>();
  readonly #pending = new Map<string, Pending[]>();
  /** Downloads whose lease this node holds (granted and not given back or lost). */
  readonly #held = new Set<string>();
  /** Downloads whose lease this node lost: their run's changes are refused until it is granted again. */
  readonly #lost = new Set<string>();
  readonly #subscribers = new Set<(entry: JournalEntry) => void>();
  #refs = 0;

  constructor(opts: RedisJournalOptions) {
    this.#opts = opts;
  }

  /** Takes `records` as what Redis holds (before the engine loads them). */
  seed(records: readonly DownloadRecord[]): void {
    this.#confirmed.clear();
    for (const rec of records) this.#confirmed.set(rec.id, rec);
  }

  load(): DownloadRecord[] {
    return [...this.#confirmed.values()];
  }

  subscribe(apply: (entry: JournalEntry) => void): () => void {
    this.#subscribers.add(apply);
    return () => this.#subscribers.delete(apply);
  }

  create(rec: DownloadRecord): void {
    this.#send('create', rec.id, toFields(rec), [], () => rec);
    this.#deliver({ kind: 'put', record: rec, here: true });
  }

  append(change: RecordChange, prev: Readonly<DownloadRecord>, next: DownloadRecord): AppendOutcome {
    const id = next.id;
    if (this.#view(id) === undefined) return { kind: 'gone' };
    if (this.#lost.has(id) && !isUserChange(change)) return { kind: 'fenced' };
    if (change.kind === 'durable' || change.kind === 'restart') {
      // Checkpoints make no entry (the progress events carry the bytes): Redis holds them once answered.
      const confirmed = this.#confirmed.get(id);
      if (confirmed !== undefined) this.#confirmed.set(id, applyChange(confirmed, change));
      const { scripts } = this.#opts;
      this.#answer(id, scripts.haulProgress(KEYS.download(id), KEYS.lease(id), JSON.stringify(next.received), next.ranges === undefined ? '' : JSON.stringify(next.ranges), this.#fence(id)));
    } else {
      const { set, del } = diffFields(prev, next);
      if (Object.keys(set).length === 0 && del.length === 0) return { kind: 'appended' };
      this.#send('update', id, set, del, (rec) => (rec === undefined ? undefined : applyChange(rec, change)));
    }
    this.#deliver({ kind: 'put', record: next, here: true, change });
    return { kind: 'appended' };
  }

  remove(id: string): void {
    this.#send('delete', id, {}, [], () => undefined);
    this.#held.delete(id);
    this.#deliver({ kind: 'removed', id, here: true });
  }

  async acquire(id: string, limit?: RunLimit): Promise<AcquireOutcome> {
    const { leases, node } = this.#opts;
    if (!leases.accepting()) return { kind: 'denied' };
    const entry = await leases.claim(id, limit);
    if (entry === undefined) return { kind: 'denied' };
    this.#held.add(id);
    this.#lost.delete(id);
    // The claim's entry says this node runs it; the run starts from the record that entry left.
    await this.#opts.reached(entry);
    const rec = this.#view(id);
    if (rec?.status === 'downloading' && rec.node === node && this.#held.has(id)) return { kind: 'acquired' };
    this.release(id, false);
    return { kind: 'denied' };
  }

  release(id: string, requeue: boolean): void {
    this.#held.delete(id);
    this.#opts.leases.release(id, requeue);
  }

  fence(id: string): WriteFence {
    return { check: () => (this.#held.has(id) && this.#opts.leases.current() ? 'held' : 'fenced') };
  }

  accepting(): boolean {
    return this.#opts.leases.accepting();
  }

  /** Every change went to Redis as it was made; writing whole records again would undo other nodes' changes. */
  flush(): void {}

  /** Whether this node holds `id`'s lease (its events and writes about it then carry the lease). */
  runsHere(id: string): boolean {
    return this.#held.has(id);
  }

  /** The downloads whose lease this node holds: the ones to renew. */
  held(): string[] {
    return [...this.#held];
  }

  /** Downloads marked running that are not this node's: the ones whose node may have died. */
  runningElsewhere(): string[] {
    return [...this.#confirmed.values()].filter((rec) => rec.status === 'downloading' && !this.#held.has(rec.id)).map((rec) => rec.id);
  }

  /** This node's lease on `id` is gone (expired or taken): its run stops and writes nothing more. */
  lose(id: string): void {
    if (!this.#held.delete(id)) return;
    this.#lost.add(id);
    this.#deliver({ kind: 'fenced', id });
  }

  /** A record entry from the stream, in its order. */
  take(entry: RecordEntry): void {
    const { id } = entry;
    const before = this.#view(id);
    const confirmed = this.#confirmed.get(id);
    if (entry.mode === 'delete') this.#confirmed.delete(id);
    else if (confirmed !== undefined) this.#confirmed.set(id, patchRecord(confirmed, entry.set, entry.del));
    else if (entry.mode === 'create') {
      const created = fromFields(entry.set);
      if (created !== undefined) this.#confirmed.set(id, created);
    }
    const own = entry.from === this.#opts.node;
    if (own && entry.ref !== '') this.#settle(id, entry.ref);
    const after = this.#view(id);
    if (this.#held.has(id) && after?.node !== undefined && after.node !== this.#opts.node) this.lose(id);
    if (sameRecord(before, after)) return;
    if (after === undefined) this.#deliver({ kind: 'removed', id, here: false });
    // This node's claim, release or requeue: its status change is this node's to announce.
    else if (own && entry.ref === '' && before?.status !== after.status)
      this.#deliver({ kind: 'put', record: after, here: true, change: { kind: 'status', status: after.status, error: after.error } });
    else this.#deliver({ kind: 'put', record: after, here: false });
  }

  /** This node missed entries (trimmed before it read them): `records` is what Redis holds now. */
  reset(records: readonly DownloadRecord[]): void {
    const before = new Map([...this.#confirmed.keys(), ...this.#pending.keys()].map((id) => [id, this.#view(id)]));
    this.#pending.clear();
    this.seed(records);
    for (const [id, prev] of before) if (!this.#confirmed.has(id) && prev !== undefined) this.#deliver({ kind: 'removed', id, here: false });
    for (const rec of records) if (!sameRecord(before.get(rec.id), rec)) this.#deliver({ kind: 'put', record: rec, here: false });
  }

  /** The record as this node sees it: Redis's, with this node's changes still on the way applied again. */
  #view(id: string): DownloadRecord | undefined {
    let rec = this.#confirmed.get(id);
    for (const p of this.#pending.get(id) ?? []) rec = p.apply(rec);
    return rec;
  }

  #fence(id: string): string {
    return this.#held.has(id) ? this.#opts.leases.value : '';
  }

  #send(mode: 'create' | 'update' | 'delete', id: string, set: StoredFields, del: string[], apply: Pending['apply']): void {
    const { scripts, maxlen, node, leases } = this.#opts;
    const ref = `${leases.value}:${++this.#refs}`;
    const list = this.#pending.get(id) ?? [];
    list.push({ ref, apply });
    this.#pending.set(id, list);
    const fence = mode === 'create' ? '' : this.#fence(id);
    const reply = scripts.haulCommit(KEYS.download(id), KEYS.downloads, KEYS.seq, KEYS.stream, KEYS.lease(id), mode, id, JSON.stringify(set), JSON.stringify(del), fence, maxlen, node, ref);
    // A write that made no entry (refused, or its download gone) will not come back: this node stops showing it.
    this.#answer(id, reply, () => this.#unsend(id, ref));
  }

  #answer(id: string, reply: Promise<unknown>, noEntry: () => void = () => undefined): void {
    reply.then(
      (answer) => {
        if (typeof answer === 'number' && answer > 0) return;
        noEntry();
        if (answer === -1) this.lose(id);
      },
      (error: unknown) => {
        noEntry();
        this.#opts.onError(error);
      },
    );
  }

  #unsend(id: string, ref: string): void {
    const before = this.#view(id);
    this.#settle(id, ref);
    const after = this.#view(id);
    if (sameRecord(before, after)) return;
    if (after === undefined) this.#deliver({ kind: 'removed', id, here: false });
    else this.#deliver({ kind: 'put', record: after, here: false });
  }

  #settle(id: string, ref: string): void {
    const list = this.#pending.get(id);
    if (list === undefined) return;
    const left = list.filter((p) => p.ref !== ref);
    if (left.length > 0) this.#pending.set(id, left);
    else this.#pending.delete(id);
  }

  #deliver(entry: JournalEntry): void {
    for (const apply of this.#subscribers) apply(entry);
  }
}

function isUserChange(change: RecordChange): boolean {
  return USER_CHANGES.has(change.kind) || (change.kind === 'status' && (change.status === 'paused' || change.status === 'queued'));
}

function sameRecord(a: Readonly<DownloadRecord> | undefined, b: Readonly<DownloadRecord> | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  const { set, del } = diffFields(a, b);
  return Object.keys(set).length === 0 && del.length === 0;
}
