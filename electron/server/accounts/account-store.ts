import { createHash } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import type { Role, TokenView, UserView } from '../../../shared/accounts-api.ts';

export interface UserRow extends UserView {
  passwordHash: string;
}

export interface UserLimits {
  maxRunning: number;
  speedLimit: number;
}

/** Users, their API tokens and limits: in the data folder's SQLite (AccountStore) or, with several nodes, in Redis. */
export interface AccountBook {
  limits(name: string): UserLimits;
  setLimits(name: string, limits: UserLimits): void;
  count(): number;
  get(name: string): UserRow | undefined;
  list(): UserView[];
  put(name: string, role: Role, passwordHash: string, createdAt: string): void;
  setPassword(name: string, passwordHash: string): boolean;
  remove(name: string): boolean;
  addToken(token: string, name: string, label: string, createdAt: string): void;
  userForToken(token: string): UserView | undefined;
  /** Notes that `token` was just used (callers do so at most once a minute). */
  touchToken(token: string, at: string): void;
  listTokens(name: string): TokenView[];
  /** Revokes `name`'s token `id`; false when they have none by that id. */
  removeToken(name: string, id: string): boolean;
  /** Revokes every token of `name`; returns how many there were. */
  removeTokens(name: string): number;
  close(): void;
}

/** Sign-in sessions: in memory by default (a restart signs everyone out), shared by all nodes with Redis. */
export interface SessionStore {
  get(session: string): SessionEntry | undefined;
  set(session: string, entry: SessionEntry): void;
  delete(session: string): void;
}

/** A sign-in: whose, when last used, and a stamp of the password it was made with (a new password ends it). */
export interface SessionEntry {
  name: string;
  lastUsed: number;
  stamp: string;
}

export function memorySessions(): SessionStore {
  const map = new Map<string, SessionEntry>();
  return { get: (s) => map.get(s), set: (s, e) => void map.set(s, e), delete: (s) => void map.delete(s) };
}

export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

/** A token's public id: the start of its hash, enough to tell a user's tokens apart. */
export const tokenId = (hash: string): string => hash.slice(0, 16);

/** What a session remembers of the password it was made with: changing the password ends it. */
export const passwordStamp = (passwordHash: string): string => createHash('sha256').update(passwordHash).digest('base64url').slice(0, 16);

/**
 * Users and their API tokens, in the data folder's store (its own tables, beside the engine's).
 * A separate connection, so `haul user add` works while Haul runs: SQLite's WAL lets both
 * write, and the server reads users from here on every sign-in, never from a stale copy.
 */
export class AccountStore implements AccountBook {
  readonly #db: DatabaseSync;

  constructor(file: string) {
    this.#db = new DatabaseSync(file);
    this.#db.exec(`PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000;
      CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, role TEXT NOT NULL, password_hash TEXT NOT NULL, created_at TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS user_tokens (hash TEXT PRIMARY KEY, name TEXT NOT NULL, label TEXT NOT NULL, created_at TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS user_limits (name TEXT PRIMARY KEY, max_running INTEGER NOT NULL, speed_limit INTEGER NOT NULL);`);
    // Tokens made before Haul listed them have no last use yet.
    const columns = this.#db.prepare('PRAGMA table_info(user_tokens)').all() as Array<{ name: string }>;
    if (!columns.some((c) => c.name === 'last_used')) this.#db.exec('ALTER TABLE user_tokens ADD COLUMN last_used TEXT');
  }

  /** A user's own limits: downloads running at once, bytes/s over all of theirs (0 = none). */
  limits(name: string): UserLimits {
    const row = this.#db.prepare('SELECT max_running, speed_limit FROM user_limits WHERE name = ?').get(name) as Record<string, number> | undefined;
    return { maxRunning: Number(row?.['max_running'] ?? 0), speedLimit: Number(row?.['speed_limit'] ?? 0) };
  }

  setLimits(name: string, limits: UserLimits): void {
    this.#db
      .prepare('INSERT INTO user_limits (name, max_running, speed_limit) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET max_running = excluded.max_running, speed_limit = excluded.speed_limit')
      .run(name, limits.maxRunning, limits.speedLimit);
  }

  count(): number {
    return Number((this.#db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n);
  }

  get(name: string): UserRow | undefined {
    const row = this.#db.prepare('SELECT name, role, password_hash, created_at FROM users WHERE name = ?').get(name) as Record<string, string> | undefined;
    return row === undefined ? undefined : { name: row['name'] ?? '', role: row['role'] as Role, passwordHash: row['password_hash'] ?? '', createdAt: row['created_at'] ?? '' };
  }

  list(): UserView[] {
    return (this.#db.prepare('SELECT name, role, created_at FROM users ORDER BY name').all() as Array<Record<string, string>>).map((r) => ({
      name: r['name'] ?? '',
      role: r['role'] as Role,
      createdAt: r['created_at'] ?? '',
    }));
  }

  put(name: string, role: Role, passwordHash: string, createdAt: string): void {
    this.#db
      .prepare('INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash')
      .run(name, role, passwordHash, createdAt);
  }

  setPassword(name: string, passwordHash: string): boolean {
    return Number(this.#db.prepare('UPDATE users SET password_hash = ? WHERE name = ?').run(passwordHash, name).changes) > 0;
  }

  remove(name: string): boolean {
    this.#db.prepare('DELETE FROM user_tokens WHERE name = ?').run(name);
    this.#db.prepare('DELETE FROM user_limits WHERE name = ?').run(name);
    return Number(this.#db.prepare('DELETE FROM users WHERE name = ?').run(name).changes) > 0;
  }

  addToken(token: string, name: string, label: string, createdAt: string): void {
    this.#db.prepare('INSERT INTO user_tokens (hash, name, label, created_at) VALUES (?, ?, ?, ?)').run(tokenHash(token), name, label, createdAt);
  }

  /** The user a token belongs to (looked up by its hash: the token itself is never stored). */
  userForToken(token: string): UserView | undefined {
    const row = this.#db.prepare('SELECT u.name, u.role, u.created_at FROM user_tokens t JOIN users u ON u.name = t.name WHERE t.hash = ?').get(tokenHash(token)) as Record<string, string> | undefined;
    return row === undefined ? undefined : { name: row['name'] ?? '', role: row['role'] as Role, createdAt: row['created_at'] ?? '' };
  }

  touchToken(token: string, at: string): void {
    this.#db.prepare('UPDATE user_tokens SET last_used = ? WHERE hash = ?').run(at, tokenHash(token));
  }

  listTokens(name: string): TokenView[] {
    const rows = this.#db.prepare('SELECT hash, label, created_at, last_used FROM user_tokens WHERE name = ? ORDER BY created_at').all(name) as Array<Record<string, string | null>>;
    return rows.map((r) => ({ id: tokenId(String(r['hash'])), label: String(r['label']), createdAt: String(r['created_at']), lastUsed: r['last_used'] ?? null }));
  }

  removeToken(name: string, id: string): boolean {
    if (!/^[0-9a-f]{16}$/u.test(id)) return false;
    return Number(this.#db.prepare('DELETE FROM user_tokens WHERE name = ? AND substr(hash, 1, 16) = ?').run(name, id).changes) > 0;
  }

  removeTokens(name: string): number {
    return Number(this.#db.prepare('DELETE FROM user_tokens WHERE name = ?').run(name).changes);
  }

  close(): void {
    this.#db.close();
  }
}
