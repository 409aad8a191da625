import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Download, DownloadDetails, HostLimit, LinkCheck, MoveTarget, Settings, StreamProbe } from '../../shared/api.ts';
import { parseProbeBody } from '../../shared/route-bodies.ts';
import { mustParse } from './input/must-parse.ts';
import { probeStream } from './media/probe-stream.ts';
import { systemClock, type Clock } from './clock.ts';
import { buildDetails } from './records/download-details.ts';
import { HaulError } from './errors.ts';
import { wireParts, type EngineParts } from './engine-parts.ts';
import { resumeAtStart } from './queue/resume-at-start.ts';
import type { PeerView, TorrentProbe } from '../../shared/torrent.ts';
import { probeTorrentFile } from './torrent/torrent-intake.ts';
import { assertDownloadFolderAllowed } from './input/folders.ts';
import { createTransport, type Transport } from './http/transport.ts';
import { applyOptions, moveDownload, pauseDownload, refreshUrl, removeDownload, resumeDownload, startNowDownload, type EditDeps } from './input/edits.ts';
import { checkIntake, intake, type Asker, type IntakeDeps } from './input/intake.ts';
import { keepHidden, maskRules } from '../../shared/site-rules.ts';
import type { ScheduleState } from '../../shared/schedule.ts';
import { DEFAULT_SETTINGS, type EngineEvents, type EngineOptions } from './engine-options.ts';
import type { DownloadStore } from './store/download-store.ts';
import { parseDownloadPatch, parseSettingsPatch } from './input/validate.ts';

export type { EngineEvents, EngineOptions } from './engine-options.ts';
export { DEFAULT_SETTINGS } from './engine-options.ts';

/**
 * The download engine: what users and scripts can do to downloads, with state kept in the
 * store (through the record book) and every change announced as an event; the run queue
 * runs them. Host-neutral: it runs the same under Node, `haul serve` and Electron's main process.
 */
export class Engine extends EventEmitter<EngineEvents> {
  readonly #store: DownloadStore;
  readonly #dataDir: string | undefined;
  readonly #clock: Clock;
  readonly #newId: () => string;
  readonly #transport: Transport;
  readonly #ownsTransport: boolean;
  readonly #progressIntervalMs: number;
  /** The collaborators (see engine-parts.ts), each the one owner of its state. */
  readonly #parts: EngineParts;
  readonly #shared: boolean;
  #settings: Settings;
  #stopTicker: (() => void) | undefined;
  #closed = false;

  constructor(opts: EngineOptions) {
    super();
    this.#store = opts.store;
    this.#dataDir = opts.dataDir;
    this.#clock = opts.clock ?? systemClock;
    this.#newId = opts.newId ?? randomUUID;
    this.#ownsTransport = opts.transport === undefined;
    this.#transport = opts.transport ?? createTransport(opts.transportOptions);
    this.#progressIntervalMs = opts.progressIntervalMs ?? 100;
    this.#settings = { downloadDir: opts.downloadDir, ...DEFAULT_SETTINGS, ...opts.defaults, ...opts.store.loadSettings() };
    this.#parts = wireParts(opts, this.#clock, this.#transport, {
      settings: () => this.#settings,
      pump: () => this.#pump(),
      updated: (patch) => this.emit('updated', patch),
      progress: (items) => this.emit('progress', items),
    });
    this.#shared = opts.journal.shared;
  }

  /**
   * Loads every stored download; the ones that were running resume first, then the queue.
   * (With a shared journal, downloads marked running are other nodes' until their leases lapse.)
   */
  start(): void {
    this.#parts.gate.update(this.#settings.schedule);
    resumeAtStart({
      book: this.#parts.book,
      publisher: this.#parts.publisher,
      gate: this.#parts.gate,
      queue: this.#parts.queue,
      seeder: this.#parts.torrents.seeder,
      maxConcurrent: this.#settings.maxConcurrent,
      shared: this.#shared,
    });
    this.#pump();
    this.#stopTicker = this.#clock.setInterval(() => {
      this.#parts.publisher.tick(this.#clock.now(), this.#parts.queue.entries());
      for (const [id, source] of this.#parts.queue.entries()) this.#parts.log.sampleSpeed(id, source.live().speed);
    }, this.#progressIntervalMs);
  }

  /** The settings as callers see them: a site rule's secret header values hidden. */
  get settings(): Settings {
    return { ...this.#settings, siteRules: maskRules(this.#settings.siteRules) };
  }

  list(): Download[] {
    return this.#parts.book.all().map((rec) => this.#parts.publisher.view(rec));
  }

  get(id: string): Download | undefined {
    const rec = this.#parts.book.get(id);
    return rec === undefined ? undefined : this.#parts.publisher.view(rec);
  }

  /** Like `get`, but an unknown id is a NOT_FOUND error. */
  require(id: string): Download {
    return this.#parts.publisher.view(this.#parts.book.require(id));
  }

  /**
   * Validates and queues downloads (see parseAddRequest); nothing is created if any part is
   * invalid. With an `owner` (accounts on), they are that user's and go inside their `root`.
   */
  add(request: unknown, who: Asker = undefined): Download[] {
    this.#assertOpen();
    const created = intake(this.#intake, request, who);
    for (const rec of created) this.emit('added', this.#parts.publisher.seed(rec));
    this.#pump();
    return created.map((rec) => this.require(rec.id));
  }

  /** See edits.ts: the bytes on disk are kept only if the new link's server proves it is the same file. */
  async refreshUrl(id: string, url: unknown): Promise<Download> {
    await refreshUrl(this.#edits, id, url);
    return this.require(id);
  }

  /** What the detail panel shows: ranges on disk, each connection, speeds, validators, the log. */
  details(id: string): DownloadDetails {
    return buildDetails(this.#parts.book.require(id), this.#parts.queue.source(id), this.#parts.log);
  }

  /** Applies `PATCH /api/downloads/:id`: a refreshed link, and this download's connections and speed limit (both hold at once). */
  async patch(id: string, body: unknown): Promise<Download> {
    const patch = parseDownloadPatch(body);
    applyOptions(this.#parts.book, id, patch);
    return patch.url === undefined ? this.require(id) : this.refreshUrl(id, patch.url);
  }

  /** Moves a download in the queue of unfinished downloads: a named place, or a position there (0 first). */
  move(id: string, to: MoveTarget | number): Download {
    moveDownload(this.#parts.book, id, to);
    return this.require(id);
  }

  /** See checkIntake: which links are in the list or saved already, in a folder the caller may use. */
  checkLinks(urls: unknown, dir: unknown, visible: (owner: string | undefined) => boolean = () => true, who: Asker = undefined): Promise<LinkCheck[]> {
    return checkIntake(this.#intake, urls, dir, visible, who);
  }

  /** Whether `url` is a video stream, and the qualities it offers (see probeStream). */
  probeStream(url: unknown): Promise<StreamProbe> {
    return probeStream(this.#transport, this.#clock, new URL(mustParse(parseProbeBody({ url })).url));
  }

  /** What a .torrent holds, to choose its files (a damaged one: BAD_TORRENT, naming what is wrong). */
  probeTorrent(base64: string): TorrentProbe {
    return probeTorrentFile(base64);
  }

  /** The peers a running torrent is connected to (none when it is not running here). */
  async peers(id: string): Promise<PeerView[]> {
    this.#parts.book.require(id);
    return this.#parts.torrents.host.peers(id);
  }

  /** A folder the user picked on this machine (the app's folder dialog): downloads may be saved inside it. */
  approveFolder(dir: string): void {
    this.#parts.folders.approve(dir);
  }

  /** What Haul has learnt about hosts that refuse extra connections. */
  hostLimits(): HostLimit[] {
    return this.#parts.hosts.list();
  }

  /** Forgets a host's learnt ceiling; NOT_FOUND when there is none. */
  resetHostLimit(host: string): void {
    if (!this.#parts.hosts.reset(host)) throw new HaulError('NOT_FOUND', `Haul has learnt no connection limit for "${host.slice(0, 100)}".`);
  }

  /** Pauses a queued or running download (a paused one stays so). */
  pause(id: string): Download {
    pauseDownload(this.#edits, id);
    return this.require(id);
  }

  /** Runs a download whatever the schedule says (a paused or failed one is resumed too). */
  startNow(id: string): Download {
    startNowDownload(this.#edits, id);
    return this.require(id);
  }

  /** Where the schedule stands: undefined without one. */
  get schedule(): ScheduleState | undefined {
    return this.#parts.gate.state;
  }

  /** Resumes a paused download, or retries a failed one. */
  resume(id: string): Download {
    resumeDownload(this.#edits, id);
    return this.require(id);
  }

  /** Stops and forgets a download; its partial file is deleted, and with `deleteFile` the finished file too. */
  async remove(id: string, opts: { deleteFile?: boolean } = {}): Promise<void> {
    this.#parts.torrents.seeder.stop(id);
    await removeDownload(this.#edits, id, opts.deleteFile === true);
    this.#parts.publisher.forget(id);
    this.#parts.log.forget(id);
    this.emit('removed', { id });
    this.#pump();
  }

  /** Refuses a download folder that is a system folder or Haul's data folder (see SYSTEM_FOLDERS). */
  checkDownloadFolder(dir: string): void {
    assertDownloadFolderAllowed(dir, this.#dataDir);
  }

  /** Validates and applies a partial settings change; limits take effect at once. */
  updateSettings(patch: unknown): Settings {
    // A rule's secret shown as "(hidden)" and sent back unchanged keeps its value.
    const parsed = parseSettingsPatch(patch, this.#settings);
    const settings = { ...parsed, siteRules: keepHidden(parsed.siteRules, this.#settings.siteRules) };
    if (settings.downloadDir !== this.#settings.downloadDir) this.checkDownloadFolder(settings.downloadDir);
    this.#store.saveSettings(settings);
    this.#applySettings(settings);
    this.emit('settings', this.settings);
    this.#pump();
    return this.settings;
  }

  /** Stops every transfer with its progress checkpointed. Running downloads stay "downloading" so they resume on the next start. */
  async shutdown(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopTicker?.();
    this.#parts.gate.close();
    this.#parts.torrents.seeder.close();
    await this.#parts.queue.close();
    await this.#parts.torrents.host.close();
    this.#parts.book.flush();
    if (this.#ownsTransport) await this.#transport.close();
  }

  get #intake(): IntakeDeps {
    return { book: this.#parts.book, store: this.#store, folders: this.#parts.folders, log: this.#parts.log, clock: this.#clock, newId: this.#newId, settings: () => this.#settings };
  }

  get #edits(): EditDeps {
    return { book: this.#parts.book, queue: this.#parts.queue, pump: () => this.#pump() };
  }

  /** Settings another node changed (several sharing Redis): they hold here at once, and a freed slot fills. */
  takeSettings(settings: Settings): void {
    this.#applySettings(settings);
    this.#pump();
  }

  /** Gives every run here back to the queue, progress kept, for the other nodes to take (a drained node). */
  handBack(): Promise<void> {
    return this.#parts.queue.handBack();
  }

  /** Fills free running slots (a lease came free elsewhere, or this node takes downloads again). */
  fillSlots(): void {
    this.#pump();
  }

  /** Settings changed here or on another node: the limit follows at once. */
  #applySettings(settings: Settings): void {
    this.#settings = settings;
    this.#parts.gate.update(settings.schedule);
    this.#parts.globalLimiter.setRate(this.#parts.gate.limit(settings.speedLimit));
    this.#parts.torrents.host.reconfigure();
  }

  #pump(): void {
    if (!this.#closed) this.#parts.queue.pump(this.#settings.maxConcurrent, (rec) => this.#parts.gate.allows(rec));
  }

  #assertOpen(): void {
    if (this.#closed) throw new HaulError('INTERNAL', 'Haul is shutting down; add the download again after it restarts.');
  }
}
