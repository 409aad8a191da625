import { assertNever } from '../../shared/assert-never.ts';
import { fairStart } from './fair-start.ts';
import type { RecordBook } from './record-book.ts';
import type { TaskOutcome } from './transfer/outcome.ts';
import type { DownloadSource } from './transfer/source.ts';

export interface RunQueueDeps {
  book: RecordBook;
  /** The source that fetches a download's bytes. */
  makeSource(id: string): DownloadSource;
  /** Something people watch changed (a run began or ended). */
  publish(id: string): void;
  /** A run ended and its status is recorded (the engine then fills the free slot). */
  ended(): void;
  /** An owner's own limit of running downloads (0 = none). */
  maxRunning(owner: string): number;
}

/**
 * The running downloads: at most `maxConcurrent` at once, taken from the queue first in,
 * first out. The one owner of the running sources; it turns how each run ended into the
 * download's status.
 */
export class RunQueue {
  readonly #deps: RunQueueDeps;
  readonly #running = new Map<string, DownloadSource>();
  #closed = false;

  constructor(deps: RunQueueDeps) {
    this.#deps = deps;
  }

  get size(): number {
    return this.#running.size;
  }

  source(id: string): DownloadSource | undefined {
    return this.#running.get(id);
  }

  entries(): IterableIterator<[string, DownloadSource]> {
    return this.#running.entries();
  }

  /** Starts queued downloads while fewer than `maxConcurrent` run: oldest first, the slots going round between owners (see fairStart). */
  pump(maxConcurrent: number): void {
    if (this.#closed || this.#running.size >= maxConcurrent) return;
    const book = this.#deps.book;
    const queued = book.all().filter((rec) => rec.status === 'queued' && !this.#running.has(rec.id));
    const owners = [...this.#running.keys()].map((id) => book.get(id)?.owner);
    for (const id of fairStart(queued, owners, maxConcurrent - this.#running.size, (owner) => this.#deps.maxRunning(owner))) this.start(id);
  }

  /** Runs `id` now (it becomes "downloading"). */
  start(id: string): void {
    if (this.#closed || this.#deps.book.apply(id, { kind: 'status', status: 'downloading' }) === undefined) return;
    const source = this.#deps.makeSource(id);
    this.#running.set(id, source);
    this.#deps.publish(id);
    void source.start().then((outcome) => this.#ended(id, source, outcome));
  }

  /** Stops `id`'s run, if any; resolves once its progress is checkpointed and its file closed. */
  async stop(id: string, reason: string): Promise<void> {
    await this.#running.get(id)?.stop(reason);
  }

  /** Stops every run for good (shutdown): statuses stay as they are, so runs resume on the next start. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#running.values()].map((source) => source.stop('shutdown')));
  }

  #ended(id: string, source: DownloadSource, outcome: TaskOutcome): void {
    if (this.#running.get(id) === source) this.#running.delete(id);
    const book = this.#deps.book;
    const rec = book.get(id);
    if (rec === undefined || this.#closed) return;
    switch (outcome.kind) {
      case 'completed':
        book.apply(id, { kind: 'status', status: 'completed' });
        break;
      case 'failed':
        // A pause that raced with the failure wins: the user asked to stop, not to see an error.
        if (rec.status === 'downloading') book.apply(id, { kind: 'status', status: 'failed', error: outcome.error.toWire() });
        break;
      case 'stopped':
        this.#deps.publish(id);
        break;
      default:
        assertNever(outcome, 'task outcome');
    }
    this.#deps.ended();
  }
}
