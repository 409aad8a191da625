import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ProgressItem, WhenDoneNotice } from '../../../shared/api.ts';
import type { PairingRequest } from '../../../shared/extension-api.ts';
import type { Clock } from '../../engine/clock.ts';
import type { Engine } from '../../engine/engine.ts';
import { EventLog, type LoggedEvent } from './event-log.ts';
import { encodeEvent, encodeNotice, encodeRetry, parseLastEventId } from './sse-format.ts';
import { SseClient, type SseClientOptions } from './sse-client.ts';

/** Where the hub's events come from, when not straight from the engine: each with its id, in order. */
export interface EventFeed {
  /** The id before the first event it will deliver. */
  readonly after: number;
  /** Starts delivering; returns a function that stops it. */
  subscribe(sink: FeedSink): () => void;
}
export interface FeedSink {
  state(name: Exclude<LoggedEvent['name'], 'progress'>, data: LoggedEvent['data'], id: number): void;
  progress(items: readonly ProgressItem[], id: number): void;
  /** Events before `id` were missed: every client starts again from a snapshot. */
  reset(id: number): void;
}

/** Told each state event, with the owner of the download it is about (accounts on). */
export type StateWatcher = (event: Exclude<LoggedEvent, { name: 'progress' }>, owner: string | undefined) => void;

export interface EventHubOptions extends Partial<Omit<SseClientOptions, 'clock'>> {
  clock: Clock;
  /** Where events come from, each with its id: this process's engine (see engineFeed) or the shared stream. */
  feed: EventFeed;
  /** At most one progress event per client per this many ms. Default 100 (10/s). */
  progressIntervalMs?: number;
  /** Sent as `retry:` at the start of each stream. Default 2 000 ms. */
  retryMs?: number;
  /** Progress items plus state events kept for replay. Default 100 000. */
  historyWeight?: number;
  /** Notices a newly connected interface needs at once (the pairings waiting for their code). Default none. */
  currentNotices?: () => Array<{ name: 'pairing'; data: PairingRequest }>;
  /** What every newly connected window needs at once (a whenDone countdown running). Default none. */
  currentAnnouncements?: () => Array<{ name: 'when-done'; data: WhenDoneNotice }>;
}

/**
 * Turns engine events into the `/api/events` stream for every connected client. Each event
 * is encoded once and written to every client that keeps up; progress is coalesced to at
 * most one event per interval with only what changed; the history answers Last-Event-ID.
 */
export class EventHub {
  readonly #engine: Engine;
  readonly #opts: Required<Omit<EventHubOptions, 'feed'>>;
  readonly #log: EventLog;
  readonly #clients = new Set<SseClient>();
  /** Clients that are Haul's own interface: only they are told pairing codes. */
  readonly #interface = new WeakSet<SseClient>();
  /** Clients that see one user's downloads only (accounts on), with that user's name. */
  readonly #onlyOwner = new WeakMap<SseClient, string>();
  /** Each download's owner, kept past its removal event so that event reaches the right streams. */
  readonly #owners = new Map<string, string | undefined>();
  #pendingProgress = new Map<string, ProgressItem>();
  /** The feed's id of the newest progress pending (coalesced progress goes out under it). */
  #pendingProgressId = 0;
  #lastProgressFlush = 0;
  #cancelFlush: (() => void) | undefined;
  readonly #unsubscribe: () => void;
  readonly #watchers = new Set<StateWatcher>();

  constructor(engine: Engine, opts: EventHubOptions) {
    this.#engine = engine;
    this.#opts = {
      clock: opts.clock,
      pingIntervalMs: opts.pingIntervalMs ?? 15_000,
      maxBacklogBytes: opts.maxBacklogBytes ?? 8 * 1024 * 1024,
      progressIntervalMs: opts.progressIntervalMs ?? 100,
      retryMs: opts.retryMs ?? 2_000,
      historyWeight: opts.historyWeight ?? 100_000,
      currentNotices: opts.currentNotices ?? (() => []),
      currentAnnouncements: opts.currentAnnouncements ?? (() => []),
    };
    this.#log = new EventLog(opts.feed.after, this.#opts.historyWeight);
    this.#unsubscribe = opts.feed.subscribe({
      state: (name, data, id) => this.#state(name, data, id),
      progress: (items, id) => this.#progress(items, id),
      reset: (id) => this.#reset(id),
    });
  }

  get clientCount(): number {
    return this.#clients.size;
  }

  /**
   * Opens a stream: replay of what the client missed when possible, else a snapshot. The
   * `audience` is Haul's own interface as its owner or an admin uses it (told pairing codes),
   * anyone else's (`watcher`), or a paired browser extension (told no pairing codes either).
   */
  connect(req: IncomingMessage, res: ServerResponse, queryLastEventId: string | null, audience: 'interface' | 'watcher' | 'extension', onlyOwner?: string): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    res.socket?.setNoDelay(true);
    // Anything pending belongs before this client's starting point.
    this.#flushProgress();
    const client: SseClient = new SseClient(res, this.#opts, () => this.#clients.delete(client));
    let preamble = encodeRetry(this.#opts.retryMs);
    const lastId = parseLastEventId(req.headers['last-event-id'] ?? queryLastEventId);
    const replay = lastId === undefined ? undefined : this.#log.replayAfter(lastId);
    const mine = (id: string): boolean => onlyOwner === undefined || this.#ownerOf(id) === onlyOwner;
    if (replay === undefined) {
      preamble += encodeEvent(this.#log.lastId, 'snapshot', { downloads: this.#engine.list().filter((d) => mine(d.id)), settings: this.#engine.settings });
    } else {
      for (const event of replay.events) {
        if (event.name === 'progress') {
          const items = event.data.items.filter((item) => mine(item.id));
          if (items.length > 0) preamble += encodeEvent(event.id, 'progress', { items });
        } else if (!('id' in event.data) || mine(String(event.data.id))) preamble += encodeEvent(event.id, event.name, event.data);
      }
    }
    for (const notice of this.#opts.currentAnnouncements()) preamble += encodeNotice(notice.name, notice.data);
    if (onlyOwner !== undefined) this.#onlyOwner.set(client, onlyOwner);
    if (audience === 'interface') {
      for (const notice of this.#opts.currentNotices()) preamble += encodeNotice(notice.name, notice.data);
      this.#interface.add(client);
    }
    client.send(preamble);
    if (!client.closed) this.#clients.add(client);
  }

  /** Tells Haul's own interface something that is not download state and is not replayed (a pairing code). */
  notice(name: 'pairing' | 'pairing-ended', data: unknown): void {
    const text = Buffer.from(encodeNotice(name, data));
    for (const client of this.#clients) if (this.#interface.has(client)) client.send(text);
  }

  /** Tells every window something that is not download state and is not replayed (the whenDone countdown). */
  announce(name: 'when-done' | 'when-done-ended', data: unknown): void {
    const text = Buffer.from(encodeNotice(name, data));
    for (const client of this.#clients) client.send(text);
  }

  /** Calls `watcher` with each state event as it goes out (both modes: this engine's, or the shared stream's); returns a disposer. */
  watch(watcher: StateWatcher): () => void {
    this.#watchers.add(watcher);
    return () => this.#watchers.delete(watcher);
  }

  /** Ends every stream (shutdown) and stops listening to the engine. */
  close(): void {
    this.#cancelFlush?.();
    this.#unsubscribe();
    for (const client of this.#clients) client.close();
    this.#clients.clear();
  }

  #reset(id: number): void {
    this.#flushProgress();
    this.#log.breakAt(id);
    for (const client of this.#clients) client.close();
    this.#clients.clear();
  }

  #state(name: Exclude<LoggedEvent['name'], 'progress'>, data: LoggedEvent['data'], eventId: number): void {
    this.#flushProgress();
    const event = this.#log.append(name, data as never, eventId);
    if (event.name === 'added') this.#owners.set(event.data.id, event.data.owner);
    const id = 'id' in event.data ? String(event.data.id) : undefined;
    const owner = id === undefined ? undefined : this.#ownerOf(id);
    if (event.name !== 'progress') for (const watcher of this.#watchers) watcher(event, owner);
    if (event.name === 'removed') {
      for (const client of this.#clients) client.dropProgress(event.data.id);
      this.#owners.delete(event.data.id);
    }
    // Encoded to bytes once: every client gets the same Buffer, not its own UTF-8 copy.
    const text = Buffer.from(encodeEvent(event.id, event.name, event.data));
    for (const client of this.#clients) {
      const only = this.#onlyOwner.get(client);
      if (only !== undefined && id !== undefined && owner !== only) continue;
      client.flushProgress();
      client.send(text);
    }
  }

  #ownerOf(id: string): string | undefined {
    if (!this.#owners.has(id)) this.#owners.set(id, this.#engine.get(id)?.owner);
    return this.#owners.get(id);
  }

  #progress(items: readonly ProgressItem[], id: number): void {
    for (const item of items) this.#pendingProgress.set(item.id, item);
    this.#pendingProgressId = id;
    if (this.#cancelFlush !== undefined) return;
    const wait = this.#lastProgressFlush + this.#opts.progressIntervalMs - this.#opts.clock.now();
    if (wait <= 0) this.#flushProgress();
    else this.#cancelFlush = this.#opts.clock.setTimeout(() => this.#flushProgress(), wait);
  }

  #flushProgress(): void {
    this.#cancelFlush?.();
    this.#cancelFlush = undefined;
    if (this.#pendingProgress.size === 0) return;
    const items = [...this.#pendingProgress.values()];
    this.#pendingProgress = new Map();
    this.#lastProgressFlush = this.#opts.clock.now();
    const event = this.#log.append('progress', { items }, this.#pendingProgressId);
    let shared: Buffer | undefined;
    // Clients that see one user's downloads get that user's items, encoded once per user.
    const perOwner = new Map<string, { items: ProgressItem[]; text?: Buffer }>();
    for (const client of this.#clients) {
      const only = this.#onlyOwner.get(client);
      if (only === undefined) {
        if (client.lagging) client.mergeProgress(event.id, items);
        else client.send((shared ??= Buffer.from(encodeEvent(event.id, 'progress', { items }))));
        continue;
      }
      let group = perOwner.get(only);
      if (group === undefined) perOwner.set(only, (group = { items: items.filter((item) => this.#ownerOf(item.id) === only) }));
      if (group.items.length === 0) continue;
      if (client.lagging) client.mergeProgress(event.id, group.items);
      else client.send((group.text ??= Buffer.from(encodeEvent(event.id, 'progress', { items: group.items }))));
    }
  }
}
