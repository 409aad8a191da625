import type { ProgressItem, Settings } from '../../../shared/api.ts';
import type { DownloadLog } from './download-log.ts';
import type { Publisher } from './publisher.ts';
import type { RecordBook } from './record-book.ts';
import type { DownloadRecord, LiveState } from './record.ts';
import type { RunQueue } from '../queue/run-queue.ts';

export interface RemoteDeps {
  book: RecordBook;
  publisher: Publisher;
  queue: RunQueue;
  log: DownloadLog;
  /** This node's name (the one its leases carry). */
  node: string;
  adoptSettings(settings: Settings): void;
  pump(): void;
}

/**
 * What other nodes did, taken in by this one (several nodes sharing Redis): their records
 * replace the copies here without being written or announced again (both happened where they
 * were made), and a run here follows them: a download paused, removed or given a new link
 * elsewhere stops or restarts here, and one queued anywhere may start here.
 */
export class RemoteChanges {
  readonly #deps: RemoteDeps;
  /** The latest numbers of downloads running on other nodes, from their progress events. */
  readonly #live = new Map<string, LiveState>();

  constructor(deps: RemoteDeps) {
    this.#deps = deps;
  }

  /** A record as stored by any node (this one's own changes come back too, in the shared order); `undefined`: removed. */
  record(id: string, next: DownloadRecord | undefined): void {
    const { book, publisher, queue, log } = this.#deps;
    const prev = book.adopt(id, next);
    if (next?.status !== 'downloading') this.#live.delete(id);
    if (next === undefined) {
      publisher.forget(id);
      log.forget(id);
      if (queue.source(id) !== undefined) void queue.stop(id, 'removed');
      return;
    }
    publisher.seed(next);
    if (prev === undefined) log.note(id, 'added', next.url);
    // This node's log tells what happened to the download anywhere (started, paused, completed…).
    else if (prev.status !== next.status) log.noteChange(id, { kind: 'status', status: next.status, ...(next.error === undefined ? {} : { error: next.error }) });
    if (queue.source(id) !== undefined) {
      if (next.node !== undefined && next.node !== this.#deps.node) queue.lost(id);
      else if (next.status !== 'downloading') void queue.stop(id, next.status);
      else if (prev !== undefined && prev.url !== next.url) void queue.stop(id, 'link refreshed').then(() => queue.start(id));
    }
    if (next.status === 'queued') this.#deps.pump();
  }

  /** The record as this node has it (to apply another node's change to). */
  current(id: string): Readonly<DownloadRecord> | undefined {
    return this.#deps.book.get(id);
  }

  /** Progress of downloads running elsewhere, so this node's list and snapshots show their numbers. */
  progress(items: readonly ProgressItem[]): void {
    for (const item of items) {
      if (this.#deps.queue.holds(item.id) || this.#deps.book.get(item.id)?.status !== 'downloading') continue;
      this.#live.set(item.id, { received: item.received, speed: item.speed, connections: item.connections });
    }
  }

  live(id: string): LiveState | undefined {
    return this.#live.get(id);
  }

  settings(settings: Settings): void {
    this.#deps.adoptSettings(settings);
    this.#deps.pump();
  }

  /** The lease of `id` is gone (expired or taken): stop at once and write nothing more for it. */
  leaseLost(id: string): void {
    this.#deps.queue.lost(id);
  }

  /** Gives every run here back to the queue, progress kept, for the other nodes to take (drain). */
  handBack(): Promise<void> {
    return this.#deps.queue.handBack();
  }

  /** Whether this node runs `id` now (its writes about it must hold the lease). */
  holds(id: string): boolean {
    return this.#deps.queue.holds(id);
  }

  /** Downloads marked running that are not this node's: the ones whose node may have died. */
  runningElsewhere(): string[] {
    return this.#deps.book
      .all()
      .filter((rec) => rec.status === 'downloading' && !this.#deps.queue.holds(rec.id))
      .map((rec) => rec.id);
  }

  /** Ids running here or being claimed: the leases to renew. */
  held(): string[] {
    return this.#deps.queue.held();
  }

  /** Fills free slots (a lease came free elsewhere, or this node takes downloads again). */
  pump(): void {
    this.#deps.pump();
  }
}
