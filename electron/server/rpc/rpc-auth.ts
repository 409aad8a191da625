import type { Clock } from '../../engine/clock.ts';
import { HaulError } from '../../engine/errors.ts';
import type { Accounts, Principal } from '../accounts/accounts.ts';
import { SignInThrottle } from '../accounts/sign-in-throttle.ts';
import { sameSecret } from '../guards.ts';
import { RpcError, unauthorized } from './rpc-error.ts';

const PREFIX = 'token:';

/**
 * aria2's authentication: `"token:SECRET"` as a call's first parameter. SECRET is Haul's own
 * token (the machine's owner) or, with accounts on, a user's API token (that user). Cookies
 * never count here: any site may call this path, so only what the caller knows is a credential.
 * Wrong guesses are slowed per client address as sign-ins are; while a wait is due, no token is
 * even compared, so guessing gains nothing from it.
 */
export class RpcAuth {
  readonly #ownerToken: string;
  readonly #accounts: Accounts | undefined;
  readonly #throttle: SignInThrottle;

  constructor(opts: { ownerToken: string; accounts: Accounts | undefined; clock: Clock }) {
    this.#ownerToken = opts.ownerToken;
    this.#accounts = opts.accounts;
    this.#throttle = new SignInThrottle(opts.clock);
  }

  /** Who `first` (the call's first parameter) names, from `client`; aria2's Unauthorized when nobody. */
  principal(first: unknown, client: string): Principal {
    let attempt: { succeeded(): void };
    try {
      attempt = this.#throttle.begin(`aria2-rpc\0${client}`, client);
    } catch (error) {
      if (error instanceof HaulError) throw new RpcError(1, `Unauthorized (${error.message})`);
      throw error;
    }
    const who = typeof first === 'string' && first.startsWith(PREFIX) ? this.#lookup(first.slice(PREFIX.length)) : undefined;
    if (who === undefined) throw unauthorized();
    attempt.succeeded();
    return who;
  }

  #lookup(secret: string): Principal | undefined {
    if (sameSecret(secret, this.#ownerToken)) return { kind: 'owner' };
    if (this.#accounts === undefined || !this.#accounts.enabled()) return undefined;
    return this.#accounts.tokenUser(secret);
  }
}
