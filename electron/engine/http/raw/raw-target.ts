import { createHash } from 'node:crypto';
import net from 'node:net';
import type { ConnectionOptions, SecureContext } from 'node:tls';
import { tlsModule } from '../lazy-tls.ts';
import type { TlsChoice } from '../dispatcher.ts';

/** Where a raw request connects, how (TLS options for https), and the pool key of its connections. */
export interface RawTarget {
  host: string;
  port: number;
  secure: ConnectionOptions | undefined;
  /** Connections are shared only between requests to the same server with the same TLS choices. */
  key: string;
}

export function rawTarget(url: URL, choice: TlsChoice): RawTarget {
  const host = url.hostname.replace(/^\[|\]$/gu, '');
  const secure = url.protocol === 'https:' ? tlsOptions(host, choice) : undefined;
  const port = Number(url.port || (secure === undefined ? 80 : 443));
  const key = secure === undefined ? `${host}:${port}` : `${host}:${port}|tls|${choice.insecure === true}|${hashOf(choice.ca ?? '')}`;
  return { host, port, secure, key };
}

/** TLS for one host: the system's CAs (and NODE_EXTRA_CA_CERTS), plus the download's own, or none at all; HTTP/1.1 only. */
function tlsOptions(host: string, choice: TlsChoice): ConnectionOptions {
  return {
    ...(net.isIP(host) === 0 ? { servername: host } : {}),
    ALPNProtocols: ['http/1.1'],
    rejectUnauthorized: choice.insecure !== true,
    ...(choice.ca === undefined ? {} : { secureContext: contextTrusting(choice.ca) }),
  };
}

/** Secure contexts trusting the system's CAs plus one more, by that CA's PEM (a few, most recent last). */
const contexts = new Map<string, SecureContext>();
const KEPT_CONTEXTS = 8;

/**
 * A context that trusts the system's CAs and `ca`, made once: building one parses every root
 * certificate (about 9 ms), which passing `ca` to each connection repeated per connection.
 */
function contextTrusting(ca: string): SecureContext {
  let context = contexts.get(ca);
  if (context === undefined) {
    const tls = tlsModule();
    context = tls.createSecureContext({ ca: [...tls.rootCertificates, ca] });
    if (contexts.size >= KEPT_CONTEXTS) contexts.delete(contexts.keys().next().value ?? '');
  }
  contexts.delete(ca);
  contexts.set(ca, context);
  return context;
}

function hashOf(text: string): string {
  return text === '' ? '' : createHash('sha256').update(text).digest('hex').slice(0, 16);
}
