import { assertNever } from '../../../shared/assert-never.ts';
import { toHaulError, type HaulError } from '../errors.ts';
import { fairStart } from './fair-start.ts';
import type { RecordBook } from '../records/record-book.ts';
import type { DownloadRecord } from '../records/record.ts';
import type { AcquireOutcome } from '../records/record-journal.ts';
import type { TaskOutcome } from '../transfer/outcome.ts';
import type { DownloadSource } from '../transfer/source.ts';

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
  /** A download completed here (its actions run). */
  completed(id: string): void;
}

/**
 * The running downloads: at most `maxConcurrent` at once, taken from the queue first in,
 * first out. The one owner of the running sources; it turns how each run ended into the
 * download's status.
 */
export class RunQueue {
  readonly #deps: RunQueueDeps;
  readonly #running = new Map<string, DownloadSource>();
  /** Leases asked for and not yet answered: they hold a slot. */
  readonly #claiming = new Set<string>();
  /** Runs stopped because their lease was lost: another node has them now, so they are not released. */
  readonly #lost = new Set<string>();
  #closed = false;

  constructor(deps: RunQueueDeps) {
    this.#deps = deps;
  }

  get size(): number {
    return this.#running.size + this.#claiming.size;
  }

  source(id: string): DownloadSource | undefined {
    return this.#running.get(id);
  }

  entries(): IterableIterator<[string, DownloadSource]> {
    return this.#running.entries();
  }

  /** Starts queued downloads while fewer than `maxConcurrent` run: oldest first, the slots going round between owners (see fairStart). */
  pump(maxConcurrent: number, mayRun: (rec: Readonly<DownloadRecord>) => boolean = () => true): void {
    const book = this.#deps.book;
    if (this.#closed || this.size >= maxConcurrent || !book.accepting()) return;
    const all = book.all();
    const queued = all.filter((rec) => rec.status === 'queued' && !this.#running.has(rec.id) && !this.#claiming.has(rec.id) && mayRun(rec));
    // An owner's running downloads are counted from the records, so with several nodes over all of them.
    const owners = all.filter((rec) => rec.status === 'downloading' || this.#claiming.has(rec.id)).map((rec) => rec.owner);
    for (const id of fairStart(queued, owners, maxConcurrent - this.size, (owner) => this.#deps.maxRunning(owner))) this.start(id);
  }

  /** Runs `id` (it becomes "downloading") once the journal grants this process the right to. */
  start(id: string): void {
    if (this.#closed || this.#running.has(id) || this.#claiming.has(id)) return;
    const book = this.#deps.book;
    const owner = book.get(id)?.owner;
    const outcome = book.acquire(id, owner === undefined ? undefined : { owner, maxRunning: this.#deps.maxRunning(owner) });
    if (!(outcome instanceof Promise)) {
      this.#acquired(id, outcome);
      return;
    }
    this.#claiming.add(id);
    void outcome
      .then(
        (granted) => {
          this.#claiming.delete(id);
          this.#acquired(id, granted);
        },
        () => this.#claiming.delete(id),
      )
      // Launching what was granted went wrong after all: the download says so, and the right to run it goes back.
      .catch((error: unknown) => {
        this.#claiming.delete(id);
        this.#running.delete(id);
        book.transition(id, { kind: 'failed', error: toHaulError(error).toWire() });
        book.release(id, false);
      });
  }

  #acquired(id: string, outcome: AcquireOutcome): void {
    if (outcome.kind === 'denied' || this.#closed) return;
    // Paused or removed while it was being granted: it does not run after all.
    if (this.#deps.book.transition(id, { kind: 'started' }).kind === 'moved') this.#launch(id);
    else this.#deps.book.release(id, false);
  }

  /** Stops `id` at once because another node may have it now: nothing more is written for it here. */
  lost(id: string): void {
    if (!this.#running.has(id)) return;
    this.#lost.add(id);
    void this.stop(id, 'lease lost');
  }

  /** Stops every run here and gives each back to the queue, progress kept, for any node to take (drain). */
  async handBack(): Promise<void> {
    const ids = [...this.#running.keys()];
    await Promise.all(ids.map((id) => this.stop(id, 'handed over')));
    for (const id of ids) if (this.#deps.book.get(id)?.status === 'downloading') this.#deps.book.release(id, true);
  }

  #launch(id: string): void {
    const source = this.#deps.makeSource(id);
    this.#running.set(id, source);
    this.#deps.publish(id);
    // This chain owns the run's end: a run that throws after all is a failed download, never an unhandled rejection.
    void source
      .start()
      .catch((error: unknown): TaskOutcome => ({ kind: 'failed', error: toHaulError(error) }))
      .then((outcome) => this.#ended(id, source, outcome))
      // Recording the end went wrong after all: the slot is freed; the queue fills it on its next change.
      .catch(() => {
        if (this.#running.get(id) === source) this.#running.delete(id);
      });
  }

  /**
   * Stops `id`'s run, if any; resolves once its progress is checkpointed and its file closed.
   * Never rejects: how the run ended is #launch's to record.
   */
  async stop(id: string, reason: string): Promise<void> {
    await this.#running
      .get(id)
      ?.stop(reason)
      .catch(() => undefined);
  }

  /** Ends `id`'s run, if any, as failed with `error` (its data could not be recorded). */
  fail(id: string, error: HaulError): void {
    this.#running.get(id)?.fail(error);
  }

  /**
   * Stops every run for good (shutdown): statuses stay as they are, so runs resume on the next
   * start; with leases, they go back to the queue for the other nodes at once.
   */
  async close(): Promise<void> {
    this.#closed = true;
    const ids = [...this.#running.keys()];
    await Promise.all([...this.#running.values()].map((source) => source.stop('shutdown')));
    for (const id of ids) if (!this.#lost.has(id)) this.#deps.book.release(id, true);
  }

  #ended(id: string, source: DownloadSource, outcome: TaskOutcome): void {
    const lost = this.#lost.delete(id);
    const book = this.#deps.book;
    const rec = book.get(id);
    // The run's status is written while it still counts as this node's, so with leases that write holds its lease too.
    if (!this.#closed && !lost && rec !== undefined) {
      switch (outcome.kind) {
        case 'completed':
          if (book.transition(id, { kind: 'completed' }).kind === 'moved') this.#deps.completed(id);
          break;
        case 'failed':
          // A pause that raced with the failure wins (the table refuses paused → failed): the user asked to stop, not to see an error.
          book.transition(id, { kind: 'failed', error: outcome.error.toWire() });
          break;
        case 'stopped':
        case 'switched':
          break;
        default:
          assertNever(outcome, 'task outcome');
      }
    }
    if (this.#running.get(id) === source) this.#running.delete(id);
    if (this.#closed || lost) return;
    // Same slot, same right to run it: the next kind of source takes over at once.
    if (outcome.kind === 'switched' && book.get(id)?.status === 'downloading') {
      this.#launch(id);
      return;
    }
    if (outcome.kind === 'stopped' && rec !== undefined) this.#deps.publish(id);
    // A run stopped only to start again (a refreshed link) keeps its lease; one left without a run lapses and is queued again.
    if (book.get(id)?.status !== 'downloading') book.release(id, false);
    this.#deps.ended();
  }
}
