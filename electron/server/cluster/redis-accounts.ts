import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Role, TokenView, UserView } from '../../../shared/accounts-api.ts';
import { tokenHash, tokenId, type AccountBook, type SessionEntry, type SessionStore, type UserLimits, type UserRow } from '../accounts/account-store.ts';
import { connectRedis } from './connect.ts';
import { KEYS } from './keys.ts';
import type { RedisAddress } from './redis-url.ts';
import { installScripts, type Scripts } from './scripts.ts';

interface TokenRow {
  name: string;
  label: string;
  createdAt: string;
  lastUsed?: string;
}

/**
 * Users, tokens and limits in the shared Redis. Reads come from a copy kept here (sign-ins and
 * every request look users up synchronously); each change is written through and announced on
 * the stream, and every node reloads its copy when it reads that (`haul user` on any machine
 * included). `settled()` resolves once Redis has every change sent so far.
 */
export class RedisAccountStore implements AccountBook {
  readonly #redis: Redis;
  readonly #scripts: Scripts;
  readonly #maxlen: number;
  #users = new Map<string, UserRow>();
  #tokens = new Map<string, TokenRow>();
  #limits = new Map<string, UserLimits>();
  #pending: Promise<unknown> = Promise.resolve();

  private constructor(redis: Redis, scripts: Scripts, maxlen: number) {
    this.#redis = redis;
    this.#scripts = scripts;
    this.#maxlen = maxlen;
  }

  static async open(redis: Redis, scripts: Scripts, maxlen: number): Promise<RedisAccountStore> {
    const store = new RedisAccountStore(redis, scripts, maxlen);
    await store.reload();
    return store;
  }

  /** For `haul user --redis`: the accounts of the Haul on that Redis, and a close that waits for every change to land. */
  static async connect(address: RedisAddress): Promise<{ store: RedisAccountStore; close(): Promise<void> }> {
    const redis = await connectRedis(address, 'haul:user');
    const store = await RedisAccountStore.open(redis, installScripts(redis), 20_000);
    return {
      store,
      close: async () => {
        await store.settled();
        await redis.quit();
      },
    };
  }

  async reload(): Promise<void> {
    const [users, tokens, limits] = await Promise.all([this.#redis.hgetall(KEYS.users), this.#redis.hgetall(KEYS.userTokens), this.#redis.hgetall(KEYS.userLimits)]);
    this.#users = new Map(Object.entries(users).map(([name, v]) => [name, { name, ...(JSON.parse(v) as Omit<UserRow, 'name'>) }]));
    this.#tokens = new Map(Object.entries(tokens).map(([hash, v]) => [hash, JSON.parse(v) as TokenRow]));
    this.#limits = new Map(Object.entries(limits).map(([name, v]) => [name, JSON.parse(v) as UserLimits]));
  }

  limits(name: string): UserLimits {
    return this.#limits.get(name) ?? { maxRunning: 0, speedLimit: 0 };
  }

  setLimits(name: string, limits: UserLimits): void {
    this.#limits.set(name, { ...limits });
    this.#write(this.#redis.hset(KEYS.userLimits, name, JSON.stringify(limits)));
  }

  count(): number {
    return this.#users.size;
  }

  get(name: string): UserRow | undefined {
    const row = this.#users.get(name);
    return row === undefined ? undefined : { ...row };
  }

  list(): UserView[] {
    return [...this.#users.values()].sort((a, b) => a.name.localeCompare(b.name)).map(({ name, role, createdAt }) => ({ name, role, createdAt }));
  }

  put(name: string, role: Role, passwordHash: string, createdAt: string): void {
    const row: UserRow = { name, role, passwordHash, createdAt: this.#users.get(name)?.createdAt ?? createdAt };
    this.#users.set(name, row);
    this.#write(this.#redis.hset(KEYS.users, name, JSON.stringify({ role, passwordHash, createdAt: row.createdAt })));
  }

  setPassword(name: string, passwordHash: string): boolean {
    const row = this.#users.get(name);
    if (row === undefined) return false;
    this.put(name, row.role, passwordHash, row.createdAt);
    return true;
  }

  remove(name: string): boolean {
    if (!this.#users.delete(name)) return false;
    this.#limits.delete(name);
    const hashes = [...this.#tokens].filter(([, t]) => t.name === name).map(([hash]) => hash);
    for (const hash of hashes) this.#tokens.delete(hash);
    const tx = this.#redis.multi().hdel(KEYS.users, name).hdel(KEYS.userLimits, name);
    if (hashes.length > 0) tx.hdel(KEYS.userTokens, ...hashes);
    this.#write(tx.exec());
    return true;
  }

  addToken(token: string, name: string, label: string, createdAt: string): void {
    const row = { name, label, createdAt };
    this.#tokens.set(tokenHash(token), row);
    this.#write(this.#redis.hset(KEYS.userTokens, tokenHash(token), JSON.stringify(row)));
  }

  userForToken(token: string): UserView | undefined {
    const row = this.#tokens.get(tokenHash(token));
    const user = row === undefined ? undefined : this.#users.get(row.name);
    return user === undefined ? undefined : { name: user.name, role: user.role, createdAt: user.createdAt };
  }

  touchToken(token: string, at: string): void {
    const hash = tokenHash(token);
    const row = this.#tokens.get(hash);
    if (row === undefined) return;
    row.lastUsed = at;
    // Not announced: a last use is no news for the other nodes' copies.
    this.#redis.hset(KEYS.userTokens, hash, JSON.stringify(row)).catch(() => undefined);
  }

  listTokens(name: string): TokenView[] {
    return [...this.#tokens]
      .filter(([, t]) => t.name === name)
      .sort(([, a], [, b]) => a.createdAt.localeCompare(b.createdAt))
      .map(([hash, t]) => ({ id: tokenId(hash), label: t.label, createdAt: t.createdAt, lastUsed: t.lastUsed ?? null }));
  }

  removeToken(name: string, id: string): boolean {
    return this.#dropTokens(name, (hash) => tokenId(hash) === id) > 0;
  }

  removeTokens(name: string): number {
    return this.#dropTokens(name, () => true);
  }

  #dropTokens(name: string, which: (hash: string) => boolean): number {
    const hashes = [...this.#tokens].filter(([hash, t]) => t.name === name && which(hash)).map(([hash]) => hash);
    for (const hash of hashes) this.#tokens.delete(hash);
    if (hashes.length > 0) this.#write(this.#redis.hdel(KEYS.userTokens, ...hashes));
    return hashes.length;
  }

  /** Resolves once Redis has every change sent so far (and every node has been told). */
  async settled(): Promise<void> {
    await this.#pending;
  }

  close(): void {}

  #write(reply: Promise<unknown>): void {
    const told = reply.then(() => this.#scripts.haulNotice(KEYS.seq, KEYS.stream, 'acct', 'accounts', this.#maxlen));
    this.#pending = Promise.all([this.#pending, told]);
    told.catch(() => undefined);
  }
}

/** How long a sign-in lasts unused, in Redis as in memory. */
const SESSION_IDLE_MS = 7 * 24 * 60 * 60_000;
/** A session's expiry in Redis is pushed back at most this often (not on every request). */
const TOUCH_EVERY_MS = 60_000;

const sessionKey = (session: string): string => `${KEYS.sessions}:${createHash('sha256').update(session).digest('hex')}`;

/**
 * Sign-in sessions shared by every node, so a proxy may send each request anywhere. Kept by
 * the hash of the cookie, expiring unless used; a node looks a cookie it has not seen up in
 * Redis before the request is identified (`warm`), and forgets one signed out anywhere.
 */
export class RedisSessions implements SessionStore {
  readonly #redis: Redis;
  readonly #signedOut: () => void;
  readonly #cache = new Map<string, SessionEntry & { touched: number }>();

  /** `signedOut`: tells the other nodes a session ended, so they forget their copies. */
  constructor(redis: Redis, signedOut: () => void) {
    this.#redis = redis;
    this.#signedOut = signedOut;
  }

  get(session: string): SessionEntry | undefined {
    return this.#cache.get(session);
  }

  set(session: string, entry: SessionEntry): void {
    const known = this.#cache.get(session);
    const touched = known !== undefined && entry.lastUsed - known.touched < TOUCH_EVERY_MS ? known.touched : entry.lastUsed;
    this.#cache.set(session, { ...entry, touched });
    if (touched === entry.lastUsed) void this.#redis.set(sessionKey(session), `${entry.name}\n${entry.stamp}`, 'PX', SESSION_IDLE_MS).catch(() => undefined);
  }

  delete(session: string): void {
    this.#cache.delete(session);
    void this.#redis
      .del(sessionKey(session))
      .then(() => this.#signedOut())
      .catch(() => undefined);
  }

  /** Looks `session` up in Redis unless known here; signed out elsewhere, it is forgotten. */
  async warm(session: string, now: number): Promise<void> {
    if (this.#cache.has(session)) return;
    const value = await this.#redis.get(sessionKey(session));
    if (value === null) return;
    const [name = '', stamp = ''] = value.split('\n');
    this.#cache.set(session, { name, stamp, lastUsed: now, touched: now });
  }

  /** Forgets every cached session (another node signed one out): each is looked up again. */
  forgetCached(): void {
    this.#cache.clear();
  }
}
