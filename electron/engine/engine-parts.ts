import type { DownloadPatch, ProgressItem, Settings } from '../../shared/api.ts';
import type { Clock } from './clock.ts';
import type { EngineOptions } from './engine-options.ts';
import type { Transport } from './http/transport.ts';
import { ApprovedFolders } from './input/folders.ts';
import { HostLimits } from './policy/host-limits.ts';
import { RateLimiter } from './policy/rate-limiter.ts';
import { RunQueue } from './queue/run-queue.ts';
import { takeArrival } from './records/arrivals.ts';
import { DownloadLog } from './records/download-log.ts';
import { followSchedule } from './queue/follow-schedule.ts';
import { ScheduleGate } from './queue/schedule-gate.ts';
import { ActionRunner } from './action-runner.ts';
import { Publisher } from './records/publisher.ts';
import { RecordBook } from './records/record-book.ts';
import { sourceFactory } from './source-factory.ts';
import { TorrentHost } from './torrent/torrent-host.ts';
import { TorrentSeeder } from './torrent/torrent-seeder.ts';

/** What the engine asks of its owner while its parts work. */
export interface PartHooks {
  settings(): Settings;
  /** Fills free running slots. */
  pump(): void;
  updated(patch: DownloadPatch): void;
  progress(items: ProgressItem[]): void;
}

export interface EngineParts {
  globalLimiter: RateLimiter;
  log: DownloadLog;
  book: RecordBook;
  hosts: HostLimits;
  folders: ApprovedFolders;
  publisher: Publisher;
  queue: RunQueue;
  gate: ScheduleGate;
  actions: ActionRunner;
  torrents: { host: TorrentHost; seeder: TorrentSeeder };
}

/** The engine's collaborators, wired to one another: who tells whom when a record changes, a run ends or a lease goes. */
export function wireParts(opts: EngineOptions, clock: Clock, transport: Transport, hooks: PartHooks): EngineParts {
  const globalLimiter = new RateLimiter(clock, hooks.settings().speedLimit);
  const log = new DownloadLog(() => clock.now());
  // The book, the publisher and the queue each tell another: the book's and the publisher's
  // callbacks name the parts made after them, and run only once the journal delivers (after this returns).
  const book = new RecordBook(opts.journal, {
    changed: (id, change) => {
      log.noteChange(id, change);
      // Durable progress is not news: the progress events already carry the bytes.
      if (change.kind !== 'durable') publisher.publish(id);
    },
    arrived: (id, prev, next) => takeArrival({ publisher, queue, log, pump: hooks.pump }, id, prev, next),
    // A data folder that refuses writes (full) stops the download, never the process.
    storeFailed: (id, error) => queue.fail(id, error),
    fenced: (id) => queue.lost(id),
  });
  const hosts = new HostLimits(opts.store, clock, opts.hostLimits);
  const folders = new ApprovedFolders(opts.store);
  const publisher = new Publisher({
    book,
    live: (id) => queue.source(id)?.live() ?? (book.get(id)?.status === 'downloading' ? opts.liveElsewhere?.(id) : undefined),
    updated: hooks.updated,
    progress: hooks.progress,
    startsAt: (rec) => gate.startsAt(rec),
  });
  const host = new TorrentHost({ now: () => clock.now(), config: () => ({ ...hooks.settings().torrent, downloadLimit: hooks.settings().speedLimit }) });
  const torrents = { host, seeder: new TorrentSeeder({ host, book, clock, settings: () => hooks.settings().torrent, note: (id, kind, detail) => log.note(id, kind, detail) }) };
  const actions = new ActionRunner({ settings: hooks.settings, clock, note: (id, kind, detail) => log.note(id, kind, detail), ...opts.actions });
  const queue = new RunQueue({
    book,
    completed: (id) => {
      const rec = book.get(id);
      if (rec !== undefined) actions.completed(rec);
    },
    publish: (id) => publisher.publish(id),
    ended: hooks.pump,
    maxRunning: (owner) => opts.ownerLimits?.(owner).maxRunning ?? 0,
    makeSource: sourceFactory(opts, {
      transport,
      clock,
      book,
      hosts,
      globalLimiter,
      defaultConnections: () => hooks.settings().connectionsPerDownload,
      publish: (id) => publisher.publish(id),
      log,
      categories: () => hooks.settings().categories,
      torrents,
    }),
  });
  // A window opening or closing: see followSchedule.
  const gate: ScheduleGate = new ScheduleGate({
    clock,
    zone: opts.timeZone,
    changed: () => followSchedule({ gate, book, queue, publisher, limiter: globalLimiter, globalLimit: () => hooks.settings().speedLimit, pump: hooks.pump }),
  });
  return { globalLimiter, log, book, hosts, folders, publisher, queue, gate, actions, torrents };
}
