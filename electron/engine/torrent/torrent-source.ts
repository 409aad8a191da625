import fs from 'node:fs/promises';
import type { Category } from '../../../shared/categories.ts';
import type { LogKind } from '../../../shared/api.ts';
import type { Clock } from '../clock.ts';
import { markFinished } from '../disk/mark-origin.ts';
import { placeInCategory } from '../disk/place-in-category.ts';
import { fileErrorFrom } from '../disk/file-errors.ts';
import { HaulError } from '../errors.ts';
import { fencedError, type WriteFence } from '../records/record-journal.ts';
import type { RecordBook } from '../records/record-book.ts';
import type { DownloadRecord, LiveState } from '../records/record.ts';
import { RunOnce } from '../transfer/run-once.ts';
import type { TaskOutcome } from '../transfer/outcome.ts';
import type { DownloadSource, SourceView } from '../transfer/source.ts';
import { readTorrentFile } from './metainfo.ts';
import { bitRanges } from './bitfield.ts';
import { chosenBytes, placeTorrentFiles, stagingDir } from './torrent-files.ts';
import type { TorrentHost } from './torrent-host.ts';
import type { TorrentLimits, TorrentStatus } from './torrent-protocol.ts';
import { InTurn } from '../in-turn.ts';

export interface TorrentSourceDeps {
  host: TorrentHost;
  book: RecordBook;
  clock: Clock;
  categories(): readonly Category[];
  checkpointIntervalMs: number;
  /** A run that finds no peer for this long fails, saying so (its pieces kept for a retry). */
  noPeersMs: number;
  /** Bytes free for files in a folder. */
  freeSpace(dir: string): Promise<number>;
  note(kind: LogKind, detail?: string): void;
  /** It completed: seeding, by the policy, is the seeder's to do. */
  completed(id: string): void;
  fence: WriteFence;
}

/**
 * A torrent, behind the same seam as HTTP: its pieces written by the torrent worker into a
 * hidden folder, flushed on each checkpoint (only flushed pieces count after a crash), and
 * once every piece asked for is verified the files are moved into place.
 */
export class TorrentSource implements DownloadSource {
  readonly #id: string;
  readonly #deps: TorrentSourceDeps;
  readonly #runner = new RunOnce(() => this.#run());
  #status: TorrentStatus | undefined;
  #stored: string[] | undefined;
  #lastPeerAt: number;

  constructor(id: string, deps: TorrentSourceDeps) {
    this.#id = id;
    this.#deps = deps;
    this.#lastPeerAt = deps.clock.now();
  }

  live(): LiveState {
    const s = this.#status;
    const rec = this.#deps.book.get(this.#id);
    return {
      received: s?.received ?? rec?.received ?? 0,
      speed: s?.downloadSpeed ?? 0,
      connections: s?.peers ?? 0,
      torrent: { peers: s?.peers ?? 0, seeds: s?.seeds ?? 0, uploadSpeed: s?.uploadSpeed ?? 0, uploaded: (rec?.torrent?.uploaded ?? 0) + (s?.uploaded ?? 0) },
    };
  }

  sampleSpeed(): void {
    // The worker measures speeds itself.
  }

  view(): SourceView {
    const total = this.#deps.book.get(this.#id)?.torrent?.pieces;
    const s = this.#status;
    return { ranges: [], connections: [], ...(total === undefined || s === undefined ? {} : { pieces: { total, done: bitRanges(s.have, total), inFlight: s.inFlight } }) };
  }

  start(): Promise<TaskOutcome> {
    return this.#runner.start();
  }

  stop(reason: string): Promise<TaskOutcome> {
    return this.#runner.stop(reason);
  }

  fail(error: HaulError): void {
    this.#runner.fail(error);
  }

  #record(): Readonly<DownloadRecord> {
    return this.#deps.book.require(this.#id);
  }

  async #run(): Promise<TaskOutcome> {
    const rec = this.#record();
    const t = rec.torrent;
    if (t === undefined) throw new Error(`download ${this.#id} is not a torrent`);
    const staging = stagingDir(rec);
    let stopTimer: (() => void) | undefined;
    let added = false;
    try {
      // The folder first (a download folder is made when first used), then its free space, then the pieces' folder in it.
      for (const folder of [rec.dir, staging]) {
        await fs.mkdir(folder, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
          throw fileErrorFrom(error, 'make the torrent’s folder', folder);
        });
        if (folder === rec.dir && t.metainfo !== undefined) await this.#checkRoom();
      }
      const { promise: done, resolve, reject } = Promise.withResolvers<void>();
      // Stopped while the folder was made (a quick shutdown after the add): rejected at once.
      this.#runner.onStop(reject);
      this.#deps.host.add(
        {
          key: this.#id,
          source: t.metainfo === undefined ? { kind: 'magnet', uri: rec.url } : { kind: 'file', bytes: Buffer.from(t.metainfo, 'base64') },
          path: staging,
          files: t.selected,
          have: t.have === undefined ? undefined : Buffer.from(t.have, 'base64'),
          limits: this.#limits(),
        },
        {
          metadata: (file, stored) => {
            this.#stored = stored;
            this.#learn(file).catch(reject);
          },
          status: (status) => {
            this.#status = status;
            if (status.peers > 0) this.#lastPeerAt = this.#deps.clock.now();
          },
          done: () => resolve(),
          failed: (message) => reject(failure(message)),
          note: (message) => this.#deps.note('response', message),
        },
      );
      added = true;
      stopTimer = this.#deps.clock.setInterval(() => {
        if (this.#deps.clock.now() - this.#lastPeerAt > this.#deps.noPeersMs)
          reject(
            new HaulError(
              'NETWORK_ERROR',
              `No peer was found for this torrent in ${Math.round(this.#deps.noPeersMs / 60_000)} minutes. Check that its trackers answer (or that DHT is on), then retry: the pieces on disk are kept.`,
            ),
          );
        else {
          this.#followLimits();
          void this.#checkpoint().catch(reject);
        }
      }, this.#deps.checkpointIntervalMs);
      await done;
      stopTimer();
      this.#keepUploaded();
      await this.#checkpoint();
      await this.#deps.host.remove(this.#id);
      added = false;
      await this.#finish(staging);
      return { kind: 'completed' };
    } catch (error) {
      return this.#runner.ended(error);
    } finally {
      stopTimer?.();
      this.#keepUploaded();
      if (added) await this.#checkpoint().catch(() => undefined);
      if (added) await this.#deps.host.remove(this.#id);
    }
  }

  #sentLimits: TorrentLimits | undefined;

  /** Its own limits as its record has them: the download limit any download has, and an upload limit. */
  #limits(): TorrentLimits {
    const rec = this.#record();
    this.#sentLimits = { download: rec.speedLimit, upload: rec.uploadLimit ?? 0 };
    return this.#sentLimits;
  }

  /** A limit changed in the detail panel or the API: the worker is told. */
  #followLimits(): void {
    const before = this.#sentLimits;
    const now = this.#limits();
    if (before === undefined || before.download !== now.download || before.upload !== now.upload) this.#deps.host.limits(this.#id, now);
  }

  /** What this run sent to peers, kept with the rest (the ratio counts every run); once. */
  #keepUploaded(): void {
    const sent = this.#status?.uploaded ?? 0;
    const kept = this.#deps.book.get(this.#id)?.torrent;
    if (this.#status !== undefined) this.#status = { ...this.#status, uploaded: 0 };
    if (sent > 0 && kept !== undefined) this.#deps.book.apply(this.#id, { kind: 'torrent-upload', uploaded: kept.uploaded + sent, seeding: kept.seeding === true });
  }

  /** The metadata came (from peers, for a magnet link): checked, then the record learns its name, files and size. */
  async #learn(file: Uint8Array): Promise<void> {
    const rec = this.#record();
    if (rec.torrent?.metainfo !== undefined) return;
    const meta = readTorrentFile(file);
    if (meta.infoHash !== rec.torrent?.infoHash) throw new HaulError('BAD_TORRENT', 'The metadata peers sent is not this torrent’s (its info-hash differs).');
    if (meta.files.length === 1) placeInCategory(this.#deps.book, this.#id, meta.name, this.#deps.categories());
    const selected = rec.torrent.selected;
    if (selected?.some((i) => i >= meta.files.length)) throw new HaulError('BAD_TORRENT', `"files" names file ${Math.max(...(selected ?? [])) + 1}, but the torrent has ${meta.files.length}.`);
    const total = chosenBytes({ files: meta.files, selected });
    this.#deps.book.apply(this.#id, {
      kind: 'torrent-meta',
      meta: { metainfo: Buffer.from(file).toString('base64'), name: meta.name, files: meta.files, pieceLength: meta.pieceLength, pieces: meta.pieces },
      filename: meta.name,
      total,
    });
    await this.#checkRoom();
  }

  /** A torrent larger than the free space is refused before it fills the disk. */
  async #checkRoom(): Promise<void> {
    const rec = this.#record();
    const needed = (rec.total ?? 0) - rec.received;
    const free = await this.#deps.freeSpace(rec.dir);
    if (needed > free)
      throw new HaulError('DISK_FULL', `The torrent needs ${needed} more bytes, but ${rec.dir} has ${free} free. Free some space or choose fewer files, then retry.`, { params: { path: rec.dir } });
  }

  /** The checkpoints asked for, one after another. */
  readonly #checkpoints = new InTurn();

  /**
   * Records the pieces flushed so far. One at a time, in order: two at once (the periodic one
   * still flushing when the torrent completed) could answer out of order, and the older answer,
   * applied last, took the last pieces out of the record; seeding after a restart then offered
   * all but those, and a peer that had only Haul never finished.
   */
  #checkpoint(): Promise<void> {
    return this.#checkpoints.run(() => this.#checkpointNow());
  }

  async #checkpointNow(): Promise<void> {
    if (this.#deps.fence.check() === 'fenced') throw fencedError();
    const point = await this.#deps.host.checkpoint(this.#id);
    if (point === undefined || point.have.length === 0 || this.#record().torrent?.pieces === undefined) return;
    this.#deps.book.apply(this.#id, { kind: 'torrent-progress', have: Buffer.from(point.have).toString('base64'), received: point.received });
  }

  async #finish(staging: string): Promise<void> {
    const rec = this.#record();
    const stored = this.#stored ?? (rec.torrent?.files ?? []).map((f) => f.path);
    const filename = await placeTorrentFiles(rec, stored, (name) => this.#deps.book.isClaimed(rec.dir, name, rec.id));
    const size = chosenBytes(rec.torrent ?? { files: [] });
    this.#deps.book.apply(this.#id, { kind: 'finished', filename, size, completedAt: new Date(this.#deps.clock.now()).toISOString() });
    await markFinished(this.#deps.book.require(this.#id), this.#deps.note);
    await fs.rm(staging, { recursive: true, force: true });
    this.#deps.completed(this.#id);
  }
}

/** What the worker said went wrong, as the error people see. */
function failure(message: string): HaulError {
  if (message.startsWith('The torrent cannot be used')) return new HaulError('BAD_TORRENT', message);
  if (/ENOSPC|EDQUOT/u.test(message)) return new HaulError('DISK_FULL', `The disk is full: ${message}. Free some space, then resume: the pieces on disk are kept.`);
  return new HaulError('NETWORK_ERROR', `The torrent stopped: ${message}.`);
}
