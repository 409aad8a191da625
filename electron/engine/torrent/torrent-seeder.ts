import type { LogKind } from '../../../shared/api.ts';
import type { TorrentSettings } from '../../../shared/torrent.ts';
import type { Clock } from '../clock.ts';
import type { RecordBook } from '../records/record-book.ts';
import { chosenBytes, placedPaths, seedablePieces } from './torrent-files.ts';
import type { TorrentHost } from './torrent-host.ts';

export interface TorrentSeederDeps {
  host: TorrentHost;
  book: RecordBook;
  clock: Clock;
  settings(): TorrentSettings;
  note(id: string, kind: LogKind, detail: string): void;
}

/** How often seeding's upload is recorded and its policy checked. */
const CHECK_MS = 2_000;

/**
 * Seeds completed torrents from their final places, each until its ratio or its time (its own
 * policy, else Settings'), then leaves the swarm. The one owner of seeding: a removed download,
 * or the engine shutting down, stops its seeding here.
 */
export class TorrentSeeder {
  readonly #deps: TorrentSeederDeps;
  readonly #seeding = new Map<string, { stop: (pausing: boolean) => void; sent: number }>();

  constructor(deps: TorrentSeederDeps) {
    this.#deps = deps;
  }

  /**
   * Starts seeding download `id` if its policy asks for any: just completed, or (at start-up)
   * one that was seeding when Haul stopped, its time counted from its completion.
   */
  seed(id: string): void {
    const rec = this.#deps.book.get(id);
    const t = rec?.torrent;
    if (rec === undefined || t?.metainfo === undefined || t.have === undefined || this.#seeding.has(id)) return;
    const defaults = this.#deps.settings();
    const ratio = t.seedRatio ?? defaults.seedRatio;
    const minutes = t.seedMinutes ?? defaults.seedMinutes;
    if (ratio <= 0 || minutes <= 0) {
      if (t.seeding === true) this.#deps.book.apply(id, { kind: 'torrent-upload', uploaded: t.uploaded, seeding: false });
      return;
    }
    const size = chosenBytes(t);
    const base = t.uploaded;
    const started = rec.completedAt === undefined ? this.#deps.clock.now() : Math.min(this.#deps.clock.now(), Date.parse(rec.completedAt));
    const key = `seed:${id}`;
    const entry = { stop: (_pausing: boolean): void => undefined, sent: 0, upload: rec.uploadLimit ?? 0 };
    /** Ends this seeding: for good (`why` logged), or only until Haul starts again (`why` undefined: it seeds on then). */
    const finish = (why: string | undefined): void => {
      if (this.#seeding.get(id) !== entry) return;
      this.#seeding.delete(id);
      stopTimer();
      if (this.#deps.book.get(id) !== undefined) {
        this.#deps.book.apply(id, { kind: 'torrent-upload', uploaded: base + entry.sent, seeding: why === undefined });
        if (why !== undefined) this.#deps.note(id, 'action', `seeding ended: ${why}`);
      }
      void this.#deps.host.remove(key);
    };
    entry.stop = (pausing) => finish(pausing ? undefined : 'stopped');
    this.#seeding.set(id, entry);
    this.#deps.host.add(
      {
        key,
        source: { kind: 'file', bytes: Buffer.from(t.metainfo, 'base64') },
        path: rec.dir,
        paths: placedPaths(t, rec.filename),
        files: t.selected,
        have: seedablePieces(t, Buffer.from(t.have, 'base64')),
        limits: { download: 0, upload: rec.uploadLimit ?? 0 },
      },
      {
        metadata: () => undefined,
        status: (status) => {
          entry.sent = status.uploaded;
        },
        done: () => undefined,
        failed: (message) => finish(`the swarm stopped (${message})`),
        note: () => undefined,
      },
    );
    this.#deps.book.apply(id, { kind: 'torrent-upload', uploaded: base, seeding: true });
    const stopTimer = this.#deps.clock.setInterval(() => {
      if (this.#deps.book.get(id) === undefined) return finish('removed');
      const upload = this.#deps.book.get(id)?.uploadLimit ?? 0;
      if (upload !== entry.upload) this.#deps.host.limits(key, { download: 0, upload: (entry.upload = upload) });
      const uploaded = base + entry.sent;
      if (uploaded !== this.#deps.book.get(id)?.torrent?.uploaded) this.#deps.book.apply(id, { kind: 'torrent-upload', uploaded, seeding: true });
      if (size > 0 && uploaded >= ratio * size) finish(`ratio ${(uploaded / size).toFixed(2)} reached`);
      else if (this.#deps.clock.now() - started >= minutes * 60_000) finish(`${minutes} minutes passed`);
    }, CHECK_MS);
  }

  /** Stops seeding download `id` (removed, or paused by its owner). */
  stop(id: string): void {
    this.#seeding.get(id)?.stop(false);
  }

  /** Haul is stopping: every seeding pauses, to go on when it starts again. */
  close(): void {
    for (const entry of [...this.#seeding.values()]) entry.stop(true);
  }
}
