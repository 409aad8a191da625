import { SETTINGS_LIMITS } from '../../shared/api.ts';
import type { Category } from '../../shared/categories.ts';
import type { Clock } from './clock.ts';
import type { DownloadLog } from './records/download-log.ts';
import type { EngineOptions } from './engine-options.ts';
import type { HostLimits } from './policy/host-limits.ts';
import type { Transport } from './http/transport.ts';
import { loopLoadMeter } from './policy/loop-load.ts';
import { RateLimiter } from './policy/rate-limiter.ts';
import type { RecordBook } from './records/record-book.ts';
import { DEFAULT_RETRY } from './policy/retry.ts';
import { HttpSource } from './transfer/http-source.ts';
import { MediaSource } from './media/media-source.ts';
import type { LogEntry, LogKind } from '../../shared/api.ts';
import type { DownloadSource } from './transfer/source.ts';
import { DEFAULT_SEGMENTS } from './transfer/worker-pool.ts';
import { TorrentSource } from './torrent/torrent-source.ts';
import type { TorrentHost } from './torrent/torrent-host.ts';
import type { TorrentSeeder } from './torrent/torrent-seeder.ts';
import fs from 'node:fs/promises';

/** What every source shares with the engine. */
export interface SourceParts {
  transport: Transport;
  clock: Clock;
  book: RecordBook;
  hosts: HostLimits;
  /** The limit over all downloads. */
  globalLimiter: RateLimiter;
  /** Connections per download when a download does not say. */
  defaultConnections(): number;
  /** A source's live state changed in a way people should see at once. */
  publish(id: string): void;
  /** Where each download's log lines go. */
  log: DownloadLog;
  /** The categories a download given no folder is sorted into (Settings). */
  categories(): readonly Category[];
  /** The torrent worker's supervisor, and who seeds finished torrents. */
  torrents: { host: TorrentHost; seeder: TorrentSeeder };
}

const NO_PEERS_MS = 5 * 60_000;

/** Bytes free for a non-root user in the filesystem of `dir`. */
async function freeSpace(dir: string): Promise<number> {
  const stats = await fs.statfs(dir);
  return stats.bavail * stats.bsize;
}

/** Makes the source for a download: HTTP(S) today, with the engine's options and defaults applied once. */
export function sourceFactory(opts: EngineOptions, parts: SourceParts): (id: string) => DownloadSource {
  const shared = {
    transport: parts.transport,
    clock: parts.clock,
    random: opts.random ?? Math.random,
    book: parts.book,
    hosts: parts.hosts,
    retry: { ...DEFAULT_RETRY, ...opts.retry },
    checkpointIntervalMs: opts.checkpointIntervalMs ?? 1_000,
    segments: { ...DEFAULT_SEGMENTS, ...opts.segments },
    load: opts.load ?? loopLoadMeter(),
    categories: parts.categories,
  };
  // One bucket per owner, shared by all their downloads, its rate read from their limits as it goes.
  const owners = new Map<string, RateLimiter>();
  const ownerLimit = (owner: string) => {
    let bucket = owners.get(owner);
    if (bucket === undefined) owners.set(owner, (bucket = new RateLimiter(parts.clock, 0)));
    const limiter = bucket;
    return {
      take: (bytes: number): number => {
        const rate = opts.ownerLimits?.(owner).speedLimit ?? 0;
        if (rate !== limiter.rate) limiter.setRate(rate);
        return limiter.take(bytes);
      },
      rate: () => opts.ownerLimits?.(owner).speedLimit ?? 0,
    };
  };
  return (id) => {
    const owner = parts.book.require(id).owner;
    const ownerBucket = owner === undefined ? undefined : ownerLimit(owner);
    // This download's own limit follows its record, so a change in the detail panel holds at once.
    const own = new RateLimiter(parts.clock, parts.book.require(id).speedLimit);
    const ownLimit = {
      take: (bytes: number): number => {
        const rate = parts.book.get(id)?.speedLimit ?? 0;
        if (rate !== own.rate) own.setRate(rate);
        return own.take(bytes);
      },
    };
    const limiters = ownerBucket === undefined ? [parts.globalLimiter, ownLimit] : [parts.globalLimiter, ownerBucket, ownLimit];
    const each = {
      limiters,
      note: (kind: LogKind, detail?: string, retry?: LogEntry['retry']) => parts.log.note(id, kind, detail, retry),
      limited: () => parts.globalLimiter.rate > 0 || (parts.book.get(id)?.speedLimit ?? 0) > 0 || (ownerBucket?.rate() ?? 0) > 0,
      maxConnections: () => parts.book.get(id)?.connections || parts.defaultConnections(),
      onLiveChange: () => parts.publish(id),
      fence: opts.journal.fence(id),
    };
    if (parts.book.require(id).torrent !== undefined)
      return new TorrentSource(id, {
        host: parts.torrents.host,
        book: parts.book,
        clock: parts.clock,
        categories: parts.categories,
        checkpointIntervalMs: shared.checkpointIntervalMs,
        noPeersMs: opts.torrent?.noPeersMs ?? NO_PEERS_MS,
        freeSpace: opts.torrent?.freeSpace ?? freeSpace,
        note: (kind, detail) => parts.log.note(id, kind, detail),
        completed: (done) => parts.torrents.seeder.seed(done),
        fence: each.fence,
      });
    // A link that answered with a playlist is a stream: its video comes from the segments the playlist lists.
    if (parts.book.require(id).media !== undefined)
      return new MediaSource(id, { ...shared, ...each, maxConnections: () => parts.book.get(id)?.connections || streamConnections(parts.defaultConnections()) });
    return new HttpSource(id, { ...shared, ...each });
  };
}

/**
 * Segments a stream fetches at once when its download names no number: twice a file's
 * connections (at most 32). A segment is a short request (a few seconds of video), so each
 * connection spends more of its time starting a request, and starting again from TCP's slow
 * start after idling, than one reading a long range of a file; servers that pace each
 * connection (as video sites do) give more connections more. A server that refuses them
 * teaches its ceiling as for files.
 */
export function streamConnections(perDownload: number): number {
  return Math.min(SETTINGS_LIMITS.connectionsPerDownload.max, 2 * perDownload);
}
