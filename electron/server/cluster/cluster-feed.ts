import type { Redis } from 'ioredis';
import { assertNever } from '../../../shared/assert-never.ts';
import type { DownloadPatch, EventPayloads, ProgressItem, Settings } from '../../../shared/api.ts';
import type { Clock } from '../../engine/clock.ts';
import type { Engine } from '../../engine/engine.ts';
import type { EventFeed, FeedSink } from '../sse/event-hub.ts';
import type { PairingEvent } from '../pairing.ts';
import { KEYS } from './keys.ts';
import type { Leases } from './leases.ts';
import type { RedisAccountStore, RedisSessions } from './redis-accounts.ts';
import { parseEntry } from './feed-entries.ts';
import { readRecords } from './record-fields.ts';
import type { LiveElsewhere } from './live-elsewhere.ts';
import type { RedisJournal } from './redis-journal.ts';
import type { RedisStore } from './redis-store.ts';
import type { Scripts } from './scripts.ts';
import { StreamFollower, toEntry, type StreamEntry } from './stream-follower.ts';

export interface ClusterLinks {
  engine: Engine;
  cmd: Redis;
  /** The connection the stream is read on (XREAD blocks it). */
  sub: Redis;
  scripts: Scripts;
  leases: Leases;
  journal: RedisJournal;
  live: LiveElsewhere;
  store: RedisStore;
  accounts: RedisAccountStore;
  sessions: RedisSessions;
  clock: Clock;
  node: string;
  maxlen: number;
  /** The stream entry this node's loaded state includes. */
  start: number;
  log(line: string): void;
  /** An admin drained this node, or let it work again. */
  drained(on: boolean): void;
  /** A node paired or revoked a browser (the store has the new list). */
  pairedChanged(): void;
  /** Another node told of a waiting pairing. */
  pairingShared(event: PairingEvent): void;
}

/** Public events kept from before this node started, so a client that comes from another node can be replayed. */
const HISTORY = 5_000;

/**
 * The stream, both ways. Out: the engine's public events (a running download's, only while this
 * node holds its lease). In, in order, every node's entries: record changes are taken into the
 * engine's copies, public events go to this node's clients with the entry's number as their id,
 * drains and account changes are acted on.
 */
export async function feedFrom(links: ClusterLinks): Promise<{
  feed: EventFeed;
  reached(n: number, timeoutMs: number): Promise<void>;
  /** The newest entry taken in. */
  last(): number;
  drained(on: boolean): void;
  close(): Promise<void>;
}> {
  const { engine, scripts, maxlen, journal } = links;
  const holds = (id: string): boolean => journal.runsHere(id);
  const history = ((await links.cmd.xrevrange(KEYS.stream, String(links.start), '-', 'COUNT', HISTORY)) as Array<[string, string[]]>).reverse().map(toEntry);
  const publicHistory = history.filter((e) => e.fields['k'] === 'ev');
  const after = publicHistory.length > 0 ? (publicHistory[0]?.n ?? links.start) - 1 : links.start;
  let follower: StreamFollower | undefined;
  let sink: FeedSink | undefined;

  // Redis refusing events (not a fenced write, which a lost lease expects) is said once per outage, not per event.
  let refusing = false;
  const send = (name: keyof EventPayloads, data: unknown, id?: string): void => {
    const fence = id !== undefined && holds(id) ? links.leases.value : '';
    void scripts.haulEvent(KEYS.seq, KEYS.stream, KEYS.lease(id ?? ''), name, JSON.stringify(data), fence, maxlen).then(
      () => {
        if (!refusing) return;
        refusing = false;
        links.log('haul: Redis takes events again.');
      },
      (error: unknown) => {
        if (refusing) return;
        refusing = true;
        links.log(
          `haul: Redis refused an event (${error instanceof Error ? error.message : String(error)}); events are lost until it takes them again, and a client sees a change it missed with that download's next one or when it reconnects.`,
        );
      },
    );
  };
  const listeners = {
    added: (d: unknown) => send('added', d),
    updated: (p: DownloadPatch) => send('updated', p, p.id),
    removed: (d: unknown) => send('removed', d),
    settings: (s: unknown) => send('settings', s),
    progress: (items: ProgressItem[]) => {
      const mine = items.filter((item) => holds(item.id));
      if (mine.length > 0) send('progress', { items: mine });
    },
  };
  engine.on('added', listeners.added);
  engine.on('updated', listeners.updated);
  engine.on('removed', listeners.removed);
  engine.on('settings', listeners.settings);
  engine.on('progress', listeners.progress);

  const take = (raw: StreamEntry, live: boolean): void => {
    const entry = parseEntry(raw.fields);
    switch (entry.kind) {
      case 'record':
        if (!live) return;
        journal.take(entry.record);
        if (engine.get(entry.record.id)?.status !== 'downloading') links.live.forget(entry.record.id);
        return;
      case 'event':
        if (entry.name === 'progress') {
          const items = (entry.data as EventPayloads['progress']).items;
          // Only running downloads send progress, and their record entry that ends the run comes after it (and forgets the numbers).
          if (live) links.live.take(items, (id) => !holds(id));
          sink?.progress(items, raw.n);
        } else {
          sink?.state(entry.name, entry.data, raw.n);
          if (live && entry.name === 'settings') engine.takeSettings(entry.data as Settings);
        }
        return;
      case 'node':
        if (live && entry.name === links.node) links.drained(entry.draining);
        return;
      case 'pairing':
        if (live && entry.from !== links.node) links.pairingShared(entry.event);
        return;
      case 'paired':
        if (live)
          void links.store.reloadPaired().then(
            () => links.pairedChanged(),
            () => undefined,
          );
        return;
      case 'accounts':
        if (!live) return;
        if (entry.sessionsOnly) links.sessions.forgetCached();
        else void links.accounts.reload().catch(() => undefined);
        return;
      case 'unreadable':
        links.log(`haul: skipped stream entry ${raw.n}: ${entry.reason}. A node running a newer Haul may have written it.`);
        return;
      default:
        assertNever(entry, 'stream entry');
    }
  };
  const resync = async (last: number, next: number): Promise<void> => {
    links.log(`haul: this node missed stream entries ${last + 1} to ${next - 1} (trimmed before it read them); it reloads every download, and its clients start again from a snapshot.`);
    journal.reset(await readRecords(links.cmd));
    sink?.reset(next - 1);
  };

  return {
    feed: {
      after,
      subscribe(target) {
        sink = target;
        for (const entry of publicHistory) take(entry, false);
        follower = new StreamFollower({
          redis: links.sub,
          clock: links.clock,
          after: links.start,
          onEntry: (entry) => take(entry, true),
          onGap: resync,
          onError: (error) => links.log(`haul: reading the shared stream failed (${error instanceof Error ? error.message : String(error)}); reading on.`),
        });
        return () => {
          sink = undefined;
        };
      },
    },
    reached: (n, timeoutMs) => follower?.reached(n, timeoutMs) ?? Promise.resolve(),
    last: () => follower?.last ?? links.start,
    drained: (on) => {
      if (on) void engine.handBack();
      else engine.fillSlots();
    },
    close: async () => {
      engine.off('added', listeners.added);
      engine.off('updated', listeners.updated);
      engine.off('removed', listeners.removed);
      engine.off('settings', listeners.settings);
      engine.off('progress', listeners.progress);
      await follower?.close();
    },
  };
}
