import { describe, expect, it } from 'vitest';
import { HaulError } from '../../../electron/engine/errors.ts';
import { newRecord } from '../../../electron/engine/records/new-record.ts';
import { RecordBook } from '../../../electron/engine/records/record-book.ts';
import type { DownloadRecord } from '../../../electron/engine/records/record.ts';
import { LocalJournal } from '../../../electron/engine/records/local-journal.ts';
import type { RecordChange } from '../../../electron/engine/records/record-change.ts';
import { type AcquireOutcome, type JournalEntry, type RecordJournal, UNFENCED, type WriteFence } from '../../../electron/engine/records/record-journal.ts';
import { RunQueue } from '../../../electron/engine/queue/run-queue.ts';
import { SqliteStore } from '../../../electron/engine/store/sqlite-store.ts';
import type { TaskOutcome } from '../../../electron/engine/transfer/outcome.ts';
import type { DownloadSource } from '../../../electron/engine/transfer/source.ts';
import { waitUntil } from '../../helpers/wait.ts';

/** A source whose run ends when the test says (or when stopped). */
class FakeSource implements DownloadSource {
  readonly id: string;
  stopped: string | undefined;
  #finish: ((outcome: TaskOutcome) => void) | undefined;
  readonly #result: Promise<TaskOutcome>;

  constructor(id: string, opts: { throwOnStart?: Error } = {}) {
    this.id = id;
    this.#result = new Promise<TaskOutcome>((resolve, reject) => {
      this.#finish = resolve;
      if (opts.throwOnStart !== undefined) reject(opts.throwOnStart);
    });
  }

  start(): Promise<TaskOutcome> {
    return this.#result;
  }

  end(outcome: TaskOutcome): void {
    this.#finish?.(outcome);
  }

  async stop(reason: string): Promise<TaskOutcome> {
    this.stopped = reason;
    this.#finish?.({ kind: 'stopped' });
    return this.#result;
  }

  fail(error: HaulError): void {
    this.#finish?.({ kind: 'failed', error });
  }

  live() {
    return { received: 0, speed: 0, connections: 0, retry: undefined };
  }

  sampleSpeed(): void {}

  view() {
    return { ranges: [], connections: [] };
  }
}

/** A journal whose right to run is granted or denied as the test says, later as a cluster's is, with every release recorded. */
class LeasingJournal implements RecordJournal {
  readonly shared = true;
  grant = true;
  readonly released: Array<[string, boolean]> = [];
  readonly #inner = new LocalJournal(new SqliteStore(':memory:'));
  load = () => this.#inner.load();
  subscribe = (apply: (entry: JournalEntry) => void) => this.#inner.subscribe(apply);
  create = (rec: DownloadRecord) => this.#inner.create(rec);
  append = (change: RecordChange, prev: Readonly<DownloadRecord>, next: DownloadRecord) => this.#inner.append(change, prev, next);
  remove = (id: string) => this.#inner.remove(id);
  fence = (): WriteFence => UNFENCED;
  accepting = () => true;
  flush = () => undefined;

  async acquire(): Promise<AcquireOutcome> {
    return this.grant ? { kind: 'acquired' } : { kind: 'denied' };
  }

  release(id: string, requeue: boolean): void {
    this.released.push([id, requeue]);
  }
}

function rig(opts: { leases?: boolean; throwOnStart?: Set<string> } = {}) {
  const leases = opts.leases === true ? new LeasingJournal() : undefined;
  const journal = leases ?? new LocalJournal(new SqliteStore(':memory:'));
  const book = new RecordBook(journal, { changed: () => undefined, arrived: () => undefined, storeFailed: () => undefined, fenced: () => undefined });
  const sources = new Map<string, FakeSource>();
  let ended = 0;
  const queue = new RunQueue({
    book,
    completed: () => undefined,
    makeSource: (id) => {
      const source = new FakeSource(id, opts.throwOnStart?.has(id) ? { throwOnStart: new Error('boom') } : {});
      sources.set(id, source);
      return source;
    },
    publish: () => undefined,
    ended: () => {
      ended += 1;
    },
    maxRunning: () => 0,
  });
  let seq = 0;
  const add = (name: string, owner?: string): string => {
    const id = `id-${name}`;
    seq += 1;
    const item = { url: `http://127.0.0.1:9/${name}`, connections: 0, headers: {}, paused: false, speedLimit: 0, insecure: false };
    book.create(newRecord(item, { id, dir: '/tmp', createdAt: new Date(seq * 1000).toISOString(), seq, ...(owner === undefined ? {} : { owner }) }));
    return id;
  };
  return { book, queue, sources, leases, add, ended: () => ended };
}

describe('RunQueue', () => {
  it('runs at most maxConcurrent, oldest first, and fills a slot when a run ends', async () => {
    const r = rig();
    const [a, b, c] = [r.add('a'), r.add('b'), r.add('c')];
    r.queue.pump(2);
    expect([...r.sources.keys()]).toEqual([a, b]);
    expect(r.book.require(a).status).toBe('downloading');
    expect(r.book.require(c).status).toBe('queued');
    r.sources.get(a)?.end({ kind: 'completed' });
    await waitUntil(() => r.ended() === 1, 5_000, 'the run ending');
    expect(r.book.require(a).status).toBe('completed');
    expect(r.queue.size).toBe(1);
    r.queue.pump(2);
    expect(r.sources.has(c)).toBe(true);
  });

  it('records a run that throws as a failed download, never as an unhandled rejection', async () => {
    const r = rig({ throwOnStart: new Set(['id-a']) });
    const a = r.add('a');
    r.queue.pump(1);
    await waitUntil(() => r.book.require(a).status === 'failed', 5_000, 'the download failing');
    expect(r.book.require(a).error?.code).toBe('INTERNAL');
    expect(r.queue.size).toBe(0);
  });

  it('lets a pause that raced with a failure win', async () => {
    const r = rig();
    const a = r.add('a');
    r.queue.pump(1);
    r.book.transition(a, { kind: 'paused' });
    r.sources.get(a)?.end({ kind: 'failed', error: new HaulError('NETWORK_ERROR', 'reset') });
    await waitUntil(() => r.ended() === 1, 5_000, 'the run ending');
    expect(r.book.require(a).status).toBe('paused');
  });

  it('with leases: runs only what it was granted, and a denied claim frees its slot', async () => {
    const r = rig({ leases: true });
    const a = r.add('a');
    r.leases!.grant = false;
    r.queue.pump(1);
    expect(r.queue.size).toBe(1);
    await waitUntil(() => r.queue.size === 0, 5_000, 'the denied claim freeing its slot');
    expect(r.sources.size).toBe(0);
    r.leases!.grant = true;
    r.queue.pump(1);
    await waitUntil(() => r.sources.has(a), 5_000, 'the granted claim launching the run');
    expect(r.queue.source(a)).toBeDefined();
  });

  it('with leases: a lost lease stops the run without giving the lease back; shutdown gives the others back to the queue', async () => {
    const r = rig({ leases: true });
    const [a, b] = [r.add('a'), r.add('b')];
    r.queue.pump(2);
    await waitUntil(() => r.sources.size === 2, 5_000, 'both runs launched');
    r.queue.lost(a);
    await waitUntil(() => r.queue.source(a) === undefined, 5_000, 'the lost run stopping');
    expect(r.sources.get(a)?.stopped).toBe('lease lost');
    expect(r.leases!.released.filter(([id]) => id === a)).toEqual([]);
    await r.queue.close();
    expect(r.sources.get(b)?.stopped).toBe('shutdown');
    expect(r.leases!.released).toEqual([[b, true]]);
  });
});
