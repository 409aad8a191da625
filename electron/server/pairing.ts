import { createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { PairedBrowser, PairedRecord, PairingRequest } from '../../shared/extension-api.ts';
import type { Clock } from '../engine/clock.ts';
import { assertNever } from '../../shared/assert-never.ts';
import { HaulError } from '../engine/errors.ts';

/** A code is good for this long: enough to read it off one window and type it in another. */
const PAIRING_TTL_MS = 5 * 60_000;
/** Wrong codes a pairing survives; then it is dropped and the browser must ask again. */
const MAX_WRONG = 3;
/** Pairings waiting at once; beyond this a new one is refused (never one the user may be reading). */
const MAX_PENDING = 3;
/** Pairings that may start in a minute, over every browser and process: a local program guessing codes gets few. */
const STARTS_PER_MINUTE = 5;
/** Wrong codes over all pairings in a window; past it, no code is taken until the window moves on. */
const MAX_WRONG_OVERALL = 10;
const WRONG_WINDOW_MS = 15 * 60_000;

/** Where paired browsers are kept across restarts. */
export interface PairedStore {
  load(): PairedRecord[];
  save(records: readonly PairedRecord[]): void;
}

/** A pairing waiting for its code, as nodes sharing Redis tell each other of it. */
export interface Pending extends PairingRequest {
  wrong: number;
}

/** What happened to a waiting pairing, for the other nodes (several nodes sharing Redis). */
export type PairingEvent = { kind: 'started'; pending: Pending } | { kind: 'wrong'; pairingId: string; wrong: number } | { kind: 'ended'; pairingId: string };

const hash = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * Pairing browsers with Haul, and the browsers paired. A browser asks (from its extension's
 * origin); Haul shows a six-digit code in its own window only; the user types it into the
 * extension, which then gets a token of its own, bound to that origin. A process that took
 * Haul's port cannot show the code in Haul's window, so it cannot be paired with by mistake;
 * a web page cannot ask at all (the server answers only extension origins).
 */
/** What Haul's window is told: a pairing began (show its code) or ended. */
export type PairingChange = { kind: 'started'; request: PairingRequest } | { kind: 'ended'; pairingId: string };

export class Pairings {
  readonly #clock: Clock;
  readonly #store: PairedStore;
  readonly #pending = new Map<string, Pending>();
  /** Pairings started and wrong codes typed lately, over every pairing. */
  readonly #starts = new RecentTimes(60_000, STARTS_PER_MINUTE);
  readonly #wrongs = new RecentTimes(WRONG_WINDOW_MS, MAX_WRONG_OVERALL);
  #paired: PairedRecord[];
  readonly #sharers = new Set<(event: PairingEvent) => void>();
  readonly #watchers = new Set<(change: PairingChange) => void>();

  constructor(clock: Clock, store: PairedStore) {
    this.#clock = clock;
    this.#store = store;
    this.#paired = store.load();
  }

  /**
   * Tells `share` what happens here to a waiting pairing, for the other nodes, so the extension
   * may finish on any of them. Returns the disposer.
   */
  shareWith(share: (event: PairingEvent) => void): () => void {
    this.#sharers.add(share);
    return () => this.#sharers.delete(share);
  }

  /** Calls `watch` when someone watching Haul's window should see a change (a pairing began or ended). Returns the disposer. */
  watch(watch: (change: PairingChange) => void): () => void {
    this.#watchers.add(watch);
    return () => this.#watchers.delete(watch);
  }

  #changed(change: PairingChange): void {
    for (const watch of this.#watchers) watch(change);
  }

  #share(event: PairingEvent): void {
    for (const share of this.#sharers) share(event);
  }

  /** Reads the paired browsers again (another node paired or revoked one). */
  reload(): void {
    this.#paired = this.#store.load();
  }

  /** Takes in what another node told of a waiting pairing (see shareWith). */
  takeShared(event: PairingEvent): void {
    switch (event.kind) {
      case 'started':
        this.#pending.set(event.pending.pairingId, { ...event.pending });
        this.#changed({ kind: 'started', request: publicView(event.pending) });
        return;
      case 'wrong': {
        const pending = this.#pending.get(event.pairingId);
        if (pending !== undefined) pending.wrong = Math.max(pending.wrong, event.wrong);
        this.#wrongs.add(this.#clock.now());
        return;
      }
      case 'ended':
        if (this.#pending.delete(event.pairingId)) this.#changed({ kind: 'ended', pairingId: event.pairingId });
        return;
      default:
        assertNever(event, 'pairing event');
    }
  }

  start(origin: string, browser: string): PairingRequest {
    this.#expire();
    const now = this.#clock.now();
    const startWait = this.#starts.waitMs(now);
    if (startWait > 0) {
      const wait = Math.ceil(startWait / 1_000);
      throw new HaulError('TOO_MANY_ATTEMPTS', `Too many pairings were asked for in the last minute. Wait ${wait} s, then ask again from the extension.`);
    }
    if (this.#pending.size >= MAX_PENDING) {
      throw new HaulError('TOO_MANY_ATTEMPTS', `Haul is already waiting for ${MAX_PENDING} pairings. Finish or refuse one in Haul's window (Settings, Browsers), then ask again.`);
    }
    this.#starts.add(now);
    const request: Pending = {
      pairingId: randomUUID(),
      browser: browser.slice(0, 100),
      origin,
      code: String(randomInt(0, 1_000_000)).padStart(6, '0'),
      expiresAt: new Date(this.#clock.now() + PAIRING_TTL_MS).toISOString(),
      wrong: 0,
    };
    this.#pending.set(request.pairingId, request);
    this.#changed({ kind: 'started', request: publicView(request) });
    this.#share({ kind: 'started', pending: { ...request } });
    return publicView(request);
  }

  /** Checks the code the user typed; on success the browser gets its token (shown once, kept only as a hash). */
  complete(origin: string, pairingId: string, code: string): { token: string; browserId: string } {
    this.#expire();
    const pending = this.#pending.get(pairingId);
    if (pending === undefined || pending.origin !== origin)
      throw new HaulError('NOT_PAIRED', 'This pairing has ended (it expired, was refused, or had too many wrong codes). Ask to pair again from the extension.');
    const now = this.#clock.now();
    // Counted over all pairings, so asking again and again does not buy more guesses.
    const wrongWait = this.#wrongs.waitMs(now);
    if (wrongWait > 0) {
      const wait = Math.ceil(wrongWait / 60_000);
      throw new HaulError('TOO_MANY_ATTEMPTS', `Too many wrong pairing codes lately. Wait ${wait} min, then type the code Haul shows again.`);
    }
    if (!sameCode(code, pending.code)) {
      this.#wrongs.add(now);
      pending.wrong += 1;
      const left = MAX_WRONG - pending.wrong;
      if (left <= 0) this.#end(pairingId);
      else this.#share({ kind: 'wrong', pairingId, wrong: pending.wrong });
      throw new HaulError(
        'NOT_PAIRED',
        left > 0
          ? `That is not the code Haul shows. Type the six digits shown in Haul's own window (${left} ${left === 1 ? 'try' : 'tries'} left).`
          : 'That is not the code Haul shows, three times: this pairing has ended. Ask to pair again.',
      );
    }
    this.#end(pairingId);
    const token = randomBytes(32).toString('base64url');
    const record: PairedRecord = { id: randomUUID(), browser: pending.browser, origin, pairedAt: new Date(this.#clock.now()).toISOString(), tokenHash: hash(token) };
    this.#paired = [...this.#paired, record];
    this.#store.save(this.#paired);
    return { token, browserId: record.id };
  }

  refuse(pairingId: string): void {
    if (!this.#pending.has(pairingId)) throw new HaulError('NOT_FOUND', 'No pairing is waiting with that id; it may have ended already.');
    this.#end(pairingId);
  }

  /** The paired browser this token and origin belong to; NOT_PAIRED otherwise. */
  authorise(origin: string, token: string | undefined): PairedBrowser {
    // Hashes are all 64 hex digits, so the comparison takes the same time whatever was sent.
    const given = Buffer.from(hash(token ?? ''));
    const record = token === undefined || token === '' ? undefined : this.#paired.find((r) => r.origin === origin && timingSafeEqual(Buffer.from(r.tokenHash), given));
    if (record === undefined) throw new HaulError('NOT_PAIRED', 'This browser is not paired with Haul (or was unpaired in Settings). Pair it again from the extension.');
    record.lastUsedAt = new Date(this.#clock.now()).toISOString();
    return publicPaired(record);
  }

  list(): PairedBrowser[] {
    return this.#paired.map(publicPaired);
  }

  pending(): PairingRequest[] {
    this.#expire();
    return [...this.#pending.values()].map(publicView);
  }

  revoke(id: string): void {
    if (!this.#paired.some((r) => r.id === id)) throw new HaulError('NOT_FOUND', 'No paired browser has that id; it may have been removed already.');
    this.#paired = this.#paired.filter((r) => r.id !== id);
    this.#store.save(this.#paired);
  }

  #expire(): void {
    const now = this.#clock.now();
    for (const p of [...this.#pending.values()]) if (Date.parse(p.expiresAt) <= now) this.#end(p.pairingId);
  }

  #end(pairingId: string): void {
    if (!this.#pending.delete(pairingId)) return;
    this.#changed({ kind: 'ended', pairingId });
    this.#share({ kind: 'ended', pairingId });
  }
}

function sameCode(given: string, expected: string): boolean {
  const typed = given.replace(/\s/gu, '');
  return typed.length === expected.length && timingSafeEqual(Buffer.from(typed), Buffer.from(expected));
}

function publicView(p: Pending): PairingRequest {
  return { pairingId: p.pairingId, browser: p.browser, origin: p.origin, code: p.code, expiresAt: p.expiresAt };
}

function publicPaired(r: PairedRecord): PairedBrowser {
  return { id: r.id, browser: r.browser, origin: r.origin, pairedAt: r.pairedAt, lastUsedAt: r.lastUsedAt };
}

/** Times of recent events, at most `limit` in any `windowMs`: how long until one more may happen. */
class RecentTimes {
  readonly #windowMs: number;
  readonly #limit: number;
  #times: number[] = [];

  constructor(windowMs: number, limit: number) {
    this.#windowMs = windowMs;
    this.#limit = limit;
  }

  /** 0 when another may happen at `now`; else the milliseconds until the oldest leaves the window. */
  waitMs(now: number): number {
    this.#times = this.#times.filter((t) => now - t < this.#windowMs);
    return this.#times.length < this.#limit ? 0 : this.#windowMs - (now - (this.#times[0] ?? now));
  }

  add(at: number): void {
    this.#times.push(at);
  }
}
