import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import type { Download } from '../../../shared/api.ts';
import { HaulError } from '../../engine/errors.ts';
import { ROUTES, type Access, type RouteName } from '../../../shared/routes.ts';
import type { PairedBrowser } from '../../../shared/extension-api.ts';
import type { Pairings } from '../pairing.ts';
import { bearerToken, checkToken, sameSecret, type AccessPolicy } from '../guards.ts';
import type { Accounts, Principal } from './accounts.ts';

export const SESSION_COOKIE = 'haul_session';

export function sessionCookie(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === SESSION_COOKIE) return rest.join('=');
  }
  return undefined;
}

/**
 * Who sent the request, with accounts on: the data folder's token is the machine owner's key;
 * a user's API token or session cookie is that user. `query` is a token from the URL, where
 * the route allows one (the event stream, a file link). Undefined: nobody signed in.
 */
export function identify(req: IncomingMessage, query: string | null, ownerToken: string, accounts: Accounts): Principal | undefined {
  for (const token of [bearerToken(req), query ?? undefined]) {
    if (token === undefined) continue;
    if (sameSecret(token, ownerToken)) return { kind: 'owner' };
    const user = accounts.tokenUser(token);
    if (user !== undefined) return user;
  }
  const session = sessionCookie(req);
  return session === undefined ? undefined : accounts.sessionUser(session);
}

/** Refuses what the principal's role may not do (viewers watch; only admins change settings and users). */
export function authorize(principal: Principal, access: Access): void {
  if (principal.kind === 'owner' || access === 'open' || access === 'extension-open' || access === 'extension-paired') return;
  if (principal.kind === 'anonymous') throw new HaulError('UNAUTHORIZED', 'Sign in first (the page asks for your name and password), or send a user API token.');
  if (access === 'read') return;
  if (access === 'write' && principal.role !== 'viewer') return;
  if (access === 'admin' && principal.role === 'admin') return;
  throw new HaulError('FORBIDDEN', principal.role === 'viewer' ? 'Your account can watch downloads but not change them; ask an admin for a user account.' : 'Only an admin can do this.');
}

/** Whether the principal may do everything: the machine's owner (the data folder's token) or an admin. */
export function isAdmin(principal: Principal): boolean {
  return principal.kind === 'owner' || (principal.kind === 'user' && principal.role === 'admin');
}

/** Which downloads a principal sees and acts on: admins, viewers and the owner all; a user their own. */
export function canSee(principal: Principal, d: Pick<Download, 'owner'> | undefined): boolean {
  if (d === undefined || principal.kind === 'anonymous') return false;
  if (principal.kind === 'owner' || principal.role !== 'user') return true;
  return d.owner === principal.name;
}

/**
 * The principal of an API request. Without accounts, as before: the data folder's token on
 * every route but the open ones. With accounts: a token or a session (see identify); open
 * routes answer anyone, and the rest need someone whose role allows the route.
 */
export function requestPrincipal(req: IncomingMessage, url: URL, method: string, name: RouteName | undefined, policy: AccessPolicy, accounts: Accounts | undefined): Principal {
  const route = name === undefined ? undefined : ROUTES[name];
  const access = route?.access ?? 'read';
  // EventSource and a plain link (a file to save) cannot send headers: their routes take ?token=.
  const queryOk = method === 'GET' && route?.tokenInQuery === true;
  if (accounts === undefined || !accounts.enabled()) {
    if (access !== 'open') checkToken(req, url, policy, queryOk);
    return { kind: 'owner' };
  }
  const who = identify(req, queryOk ? url.searchParams.get('token') : null, policy.token, accounts) ?? { kind: 'anonymous' };
  authorize(who, access);
  return who;
}

/** Whose a new download is and where it may go: a user's own folder under the download folder. */
export function ownerOf(principal: Principal, downloadDir: string): { owner: string; root: string } | undefined {
  if (principal.kind !== 'user') return undefined;
  return { owner: principal.name, root: principal.role === 'admin' ? downloadDir : path.join(downloadDir, principal.name) };
}

/**
 * The principal of a request to the extension's routes (its origin already checked): none is
 * needed to find Haul or pair; the rest take a paired browser's token (the machine owner's
 * hand-overs) or, with accounts on, a user's API token (that user's; not a viewer's).
 */
export function extensionPrincipal(
  req: IncomingMessage,
  origin: string,
  name: RouteName | undefined,
  pairings: Pairings,
  accounts: Accounts | undefined,
): { principal: Principal; browser?: PairedBrowser } {
  if (name === undefined || ROUTES[name].access !== 'extension-paired') return { principal: { kind: 'owner' } };
  const token = bearerToken(req);
  const user = accounts?.enabled() === true ? accounts.tokenUser(token ?? '') : undefined;
  if (user?.kind === 'user' && user.role !== 'viewer') return { principal: user, browser: { id: `user:${user.name}`, browser: user.name, origin, pairedAt: '' } };
  return { principal: { kind: 'owner' }, browser: pairings.authorise(origin, token) };
}
