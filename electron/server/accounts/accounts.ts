import { randomBytes } from 'node:crypto';
import type { Role, UserView } from '../../../shared/accounts-api.ts';
import type { Clock } from '../../engine/clock.ts';
import { HaulError } from '../../engine/errors.ts';
import { memorySessions, passwordStamp, tokenHash, tokenId, type AccountBook, type SessionStore } from './account-store.ts';
import { verifyPassword } from './passwords.ts';
import { SignInThrottle } from './sign-in-throttle.ts';

/** Who a request is: the machine's owner (the data folder's token, or no accounts at all), or a user. */
export type Principal = { kind: 'owner' } | { kind: 'user'; name: string; role: Role } | { kind: 'anonymous' };

/** Sign-ins kept this long without use. */
const SESSION_IDLE_MS = 7 * 24 * 60 * 60_000;
/**
 * Accounts: on once the first user exists. Sign-in checks the scrypt hash and is slowed per
 * name and client address (see SignInThrottle); sessions live in the session store (memory: a restart signs everyone out); API
 * tokens are looked up by their hash. Each lookup reads the user afresh, so a removed user or
 * a changed role takes effect on the next request.
 */
export class Accounts {
  readonly #store: AccountBook;
  readonly #clock: Clock;
  readonly #sessions: SessionStore;
  readonly #throttle: SignInThrottle;
  /** When each token's last use was written (hash → ms). */
  readonly #tokenUses = new Map<string, number>();
  readonly #limits = new Map<string, { value: { maxRunning: number; speedLimit: number }; at: number }>();

  constructor(store: AccountBook, clock: Clock, sessions: SessionStore = memorySessions()) {
    this.#store = store;
    this.#clock = clock;
    this.#sessions = sessions;
    this.#throttle = new SignInThrottle(clock);
  }

  get store(): AccountBook {
    return this.#store;
  }

  enabled(): boolean {
    return this.#store.count() > 0;
  }

  async login(name: string, password: string, address: string): Promise<{ session: string; user: UserView }> {
    const attempt = this.#throttle.begin(name, address);
    const now = this.#clock.now();
    const user = this.#store.get(name);
    // A missing user costs a hash too, so timing does not tell which names exist.
    const ok = await verifyPassword(password, user?.passwordHash ?? 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    if (user === undefined || !ok) throw new HaulError('UNAUTHORIZED', 'The name or the password is wrong.');
    attempt.succeeded();
    const session = randomBytes(32).toString('base64url');
    this.#sessions.set(session, { name: user.name, lastUsed: now, stamp: passwordStamp(user.passwordHash) });
    return { session, user: { name: user.name, role: user.role, createdAt: user.createdAt } };
  }

  logout(session: string): void {
    this.#sessions.delete(session);
  }

  /** The user behind a session cookie, if it is still good. */
  sessionUser(session: string): Principal | undefined {
    const entry = this.#sessions.get(session);
    const now = this.#clock.now();
    if (entry === undefined || now - entry.lastUsed > SESSION_IDLE_MS) {
      this.#sessions.delete(session);
      return undefined;
    }
    const user = this.#store.get(entry.name);
    // A removed user, or a password changed since this sign-in (here or with `haul user passwd`), ends it.
    if (user === undefined || passwordStamp(user.passwordHash) !== entry.stamp) {
      this.#sessions.delete(session);
      return undefined;
    }
    this.#sessions.set(session, { ...entry, lastUsed: now });
    return { kind: 'user', name: user.name, role: user.role };
  }

  tokenUser(token: string): Principal | undefined {
    const user = this.#store.userForToken(token);
    if (user === undefined) return undefined;
    // Its last use, for the token list, written at most once a minute.
    const now = this.#clock.now();
    const hash = tokenHash(token);
    if (now - (this.#tokenUses.get(hash) ?? 0) >= 60_000) {
      this.#tokenUses.set(hash, now);
      if (this.#tokenUses.size > 10_000) this.#tokenUses.delete(this.#tokenUses.keys().next().value!);
      this.#store.touchToken(token, new Date(now).toISOString());
    }
    return { kind: 'user', name: user.name, role: user.role };
  }

  /** A new API token for `name` (for scripts, `haul add`, the extension); only its hash is kept. */
  createToken(name: string, label: string): { token: string; id: string } {
    const token = `hu_${randomBytes(32).toString('base64url')}`;
    this.#store.addToken(token, name, label.slice(0, 100), new Date(this.#clock.now()).toISOString());
    return { token, id: tokenId(tokenHash(token)) };
  }

  /** A user's limits, read at most once a second (the transfer asks on every read). */
  limits(name: string): { maxRunning: number; speedLimit: number } {
    const now = this.#clock.now();
    const cached = this.#limits.get(name);
    if (cached !== undefined && now - cached.at < 1_000) return cached.value;
    const value = this.#store.limits(name);
    this.#limits.set(name, { value, at: now });
    return value;
  }
}
