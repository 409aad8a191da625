import type { Download, DownloadPatch, ProgressItem } from '../../../shared/api.ts';
import { diffDownload } from '../../../shared/download-patch.ts';
import type { RecordBook } from './record-book.ts';
import { toDownload, type DownloadRecord, type LiveState } from './record.ts';
import type { DownloadSource } from '../transfer/source.ts';

export interface PublisherDeps {
  book: RecordBook;
  /** The live state of a running download. */
  live(id: string): LiveState | undefined;
  /** When a queued download outside the download windows starts (ISO 8601), if it may not run now. */
  startsAt(rec: Readonly<DownloadRecord>): string | undefined;
  updated(patch: DownloadPatch): void;
  progress(items: ProgressItem[]): void;
}

/**
 * What watchers have been told about each download. A change becomes an `updated` event with
 * only the fields that differ from the last view sent; running downloads' numbers go out as
 * `progress` on each tick, and only when they moved.
 */
export class Publisher {
  readonly #deps: PublisherDeps;
  readonly #sent = new Map<string, Download>();
  readonly #lastProgress = new Map<string, string>();
  /**
   * The view of each record version that is not running: records change only by being
   * replaced, so the same record gives the same (frozen) view, and a list of thousands of
   * downloads is built without building them again (aria2 clients poll every second).
   */
  readonly #still = new WeakMap<Readonly<DownloadRecord>, { view: Download; startsAt: string | undefined }>();

  constructor(deps: PublisherDeps) {
    this.#deps = deps;
  }

  view(rec: Readonly<DownloadRecord>): Download {
    const live = this.#deps.live(rec.id);
    const startsAt = rec.status === 'queued' ? this.#deps.startsAt(rec) : undefined;
    if (live !== undefined) return toDownload(rec, live, startsAt);
    const kept = this.#still.get(rec);
    if (kept !== undefined && kept.startsAt === startsAt) return kept.view;
    const view = Object.freeze(toDownload(rec, undefined, startsAt));
    this.#still.set(rec, { view, startsAt });
    return view;
  }

  /** Records the first view of a download (loaded or added) without an event. */
  seed(rec: Readonly<DownloadRecord>): Download {
    const view = this.view(rec);
    this.#sent.set(rec.id, view);
    return view;
  }

  /** Announces what changed since the last view sent. */
  publish(id: string): void {
    const rec = this.#deps.book.get(id);
    if (rec === undefined) return;
    const next = this.view(rec);
    const prev = this.#sent.get(id);
    this.#sent.set(id, next);
    if (prev === undefined) return;
    const patch = diffDownload(prev, next);
    if (patch !== undefined) this.#deps.updated(patch);
  }

  forget(id: string): void {
    this.#sent.delete(id);
    this.#lastProgress.delete(id);
  }

  /** One progress tick over the running sources. */
  tick(now: number, running: Iterable<[string, DownloadSource]>): void {
    const items: ProgressItem[] = [];
    for (const [id, source] of running) {
      const rec = this.#deps.book.get(id);
      if (rec?.status !== 'downloading') continue;
      source.sampleSpeed(now);
      const live = source.live();
      const item: ProgressItem = { id, received: live.received, total: rec.total, speed: live.speed, connections: live.connections, ...(live.torrent === undefined ? {} : { torrent: live.torrent }) };
      const key = `${item.received}/${item.total}/${item.speed}/${item.connections}${live.torrent === undefined ? '' : `/${JSON.stringify(live.torrent)}`}`;
      if (this.#lastProgress.get(id) === key) continue;
      this.#lastProgress.set(id, key);
      items.push(item);
    }
    if (items.length > 0) this.#deps.progress(items);
  }
}
