import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { EXTENSION_ORIGIN } from '../../shared/extension-api.ts';
import { HaulError } from '../engine/errors.ts';

export interface AccessPolicy {
  /** `host:port` values the Host header may carry (lower-case). */
  allowedHosts: ReadonlySet<string>;
  /** Origins allowed besides the server's own (the desktop UI's custom protocol, if any). */
  extraOrigins: ReadonlySet<string>;
  token: string;
  /** What this server itself speaks: its own pages' origin is `scheme://Host`. */
  scheme: 'http' | 'https';
}

/** The Host values that name this server: loopback names, the bound address, and user-allowed names. */
export function allowedHostsFor(port: number, boundHost: string, allowHosts: readonly string[], ownAddresses: readonly string[] = []): Set<string> {
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  // Bound to every interface, the machine's own addresses are answered too: an address, unlike a
  // name, cannot be rebound to this server by another site's DNS.
  const bound = boundHost === '0.0.0.0' || boundHost === '::' ? ownAddresses : [boundHost];
  for (const address of bound) hosts.add(hostPort(address, port));
  for (const name of allowHosts) {
    const lower = name.toLowerCase();
    if (lower.includes(':') && !lower.startsWith('[') && lower.split(':').length === 2) {
      hosts.add(lower);
      continue;
    }
    // A name with no port is also answered as it comes from a proxy in front (on 80 or 443, or
    // an nginx upstream block's name): only that proxy can reach this port under that name.
    hosts.add(`${lower}:${port}`);
    hosts.add(lower);
  }
  return hosts;
}

/** Rejects a Host header that does not name this server (DNS rebinding). */
export function checkHost(req: IncomingMessage, policy: AccessPolicy): void {
  const host = (req.headers.host ?? '').toLowerCase();
  if (!policy.allowedHosts.has(host)) {
    throw new HaulError('FORBIDDEN_HOST', `This server does not answer to the host "${host.slice(0, 100)}". Open it as http://127.0.0.1, or start it with --allow-host for another name.`);
  }
}

/**
 * Returns the request's Origin when it is allowed (to echo in CORS headers), undefined when
 * there is none; throws for any other origin, so no other site can act on the API.
 */
export function checkOrigin(req: IncomingMessage, policy: AccessPolicy): string | undefined {
  const origin = req.headers.origin;
  if (origin === undefined) return undefined;
  const own = `${policy.scheme}://${(req.headers.host ?? '').toLowerCase()}`;
  if (origin === own || policy.extraOrigins.has(origin)) return origin;
  throw new HaulError('FORBIDDEN_ORIGIN', `Requests from ${origin.slice(0, 100)} are not allowed; only Haul's own pages may use this API.`);
}

/**
 * Checks the bearer token in constant time: the `Authorization` header (the scheme in any
 * case), or `?token=` where `allowQuery` (only the event stream and a file to save: EventSource
 * and plain links cannot send headers, and a token in other URLs would end up in logs and history).
 */
/** The `Authorization: Bearer` token (the scheme in any case), if any. */
export function bearerToken(req: IncomingMessage): string | undefined {
  return /^bearer[ \t]+(\S+)[ \t]*$/iu.exec(req.headers.authorization ?? '')?.[1];
}

/**
 * The extension's routes answer only a browser extension's own origin (chrome-extension://ID,
 * moz-extension://ID): a web page cannot use them, with or without a token.
 */
export function checkExtensionOrigin(req: IncomingMessage): string {
  const origin = req.headers.origin;
  if (origin === undefined || !EXTENSION_ORIGIN.test(origin)) {
    throw new HaulError('FORBIDDEN_ORIGIN', `The extension routes answer only Haul's browser extension${origin === undefined ? '' : `, not ${origin.slice(0, 100)}`}.`);
  }
  return origin;
}

export function checkToken(req: IncomingMessage, url: URL, policy: AccessPolicy, allowQuery: boolean): void {
  const bearer = bearerToken(req);
  const given = bearer ?? (allowQuery ? url.searchParams.get('token') : null);
  if (given === null || !sameSecret(given, policy.token)) {
    const hint = !allowQuery && url.searchParams.has('token') ? ' A token in the URL is accepted only by GET /api/events and GET /api/downloads/:id/file.' : '';
    throw new HaulError('UNAUTHORIZED', `A valid token is required: send "Authorization: Bearer <token>" (the token is printed by haul serve and stored in server.json).${hint}`);
  }
}

/**
 * The request target as a URL, refusing what a browser never sends to an origin server: an
 * absolute-form target (a proxy request), a target that is not a path, or a duplicate Host.
 */
export function parseTarget(req: IncomingMessage): URL {
  const target = req.url ?? '';
  const hosts = req.rawHeaders.filter((_v, i) => i % 2 === 0 && req.rawHeaders[i]?.toLowerCase() === 'host').length;
  if (hosts > 1) throw new HaulError('BAD_REQUEST', 'The request has more than one Host header.');
  if (!target.startsWith('/')) throw new HaulError('BAD_REQUEST', 'The request target must be a path such as /api/downloads (absolute-form targets are for proxies).');
  try {
    return new URL(`http://haul.invalid${target}`);
  } catch (cause) {
    throw new HaulError('BAD_REQUEST', `The request target is not a valid path: ${JSON.stringify(target.slice(0, 100))}.`, { cause });
  }
}

export function sameSecret(a: string, b: string): boolean {
  // Hashing first gives equal lengths, so timingSafeEqual never leaks the token's length.
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** `address:port` as a Host header carries it (IPv6 in brackets), lower case. */
export function hostPort(address: string, port: number): string {
  return `${address.includes(':') && !address.startsWith('[') ? `[${address}]` : address}:${port}`.toLowerCase();
}
