import { TransferError } from '../errors.ts';
import { headerValue } from './headers.ts';
import { DISCARD } from './send-get.ts';
import type { OnHead, Transport, TransportRequest } from './transport.ts';

/** At most this many redirects per request, as browsers and curl do. */
export const MAX_REDIRECTS = 20;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
// Never sent to a different origin than the one the user named: RFC 9110 §15.4 and browsers agree.
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

/**
 * Sends a GET, following redirects, and hands the final response to `onHead`. Redirects go
 * only to http(s); credentials are dropped as soon as the origin changes. Transport errors
 * come back as the transport raised them; the caller classifies them.
 */
export async function getFollowingRedirects(transport: Transport, request: TransportRequest, onHead: OnHead): Promise<void> {
  let url = request.url;
  let headers = { ...request.headers };
  for (let hops = 0; ; hops++) {
    let next: URL | undefined;
    await transport.get({ ...request, url, headers }, (head, control) => {
      const location = headerValue(head.headers, 'location');
      if (REDIRECT_STATUSES.has(head.status) && location !== undefined) {
        next = resolveLocation(location, url);
        return DISCARD;
      }
      return onHead(head, control);
    });
    if (next === undefined) return;
    if (hops + 1 > MAX_REDIRECTS) {
      throw new TransferError('TOO_MANY_REDIRECTS', `${request.url.host} redirected more than ${MAX_REDIRECTS} times (a redirect loop?). Check the URL.`, {
        transient: false,
      });
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') {
      throw new TransferError('REDIRECT_NOT_ALLOWED', `${url.host} redirected to a "${next.protocol}" URL; Haul follows redirects to http and https only.`, {
        transient: false,
      });
    }
    if (next.origin !== url.origin) headers = withoutCredentials(headers);
    url = next;
  }
}

function resolveLocation(location: string, base: URL): URL {
  try {
    return new URL(location, base);
  } catch (cause) {
    throw new TransferError('HTTP_ERROR', `${base.host} redirected to an invalid address (${location.slice(0, 100)}).`, { transient: false, cause });
  }
}

function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.includes(name.toLowerCase())));
}
