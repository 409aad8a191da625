import type { Dispatcher } from 'undici';
import { tlsModule } from './lazy-tls.ts';
import type { ProxyRoute } from './proxy-config.ts';

export interface DispatcherOptions {
  /** Give up connecting after this long. Default 15 000 ms. */
  connectTimeoutMs?: number;
  /** Fail a response whose headers, or whose next body bytes, take longer than this. Default 30 000 ms. */
  idleTimeoutMs?: number;
}

/**
 * How a download reaches its servers beyond the defaults: its TLS choices (extra CAs (PEM)
 * trusted beside the system's, or no verification at all) and its own proxy, if it has one.
 */
export interface TlsChoice {
  insecure?: boolean;
  ca?: string | undefined;
  /** A proxy URL that replaces the environment's (HTTP_PROXY…) for this download. */
  proxy?: string | undefined;
}

/**
 * undici's connection pool for one way of reaching servers (direct, an HTTP proxy, a SOCKS5
 * proxy) with one set of TLS choices. Loaded on first use: plain http:// downloads never
 * need it, and it costs ~28 MiB.
 */
export async function createDispatcher(route: Exclude<ProxyRoute, { kind: 'invalid' }>, tlsChoice: TlsChoice, opts: DispatcherOptions = {}): Promise<Dispatcher> {
  const undici = await import('undici');
  const idle = opts.idleTimeoutMs ?? 30_000;
  const connectTimeout = opts.connectTimeoutMs ?? 15_000;
  // NODE_EXTRA_CA_CERTS is already part of Node's default trust; an explicit CA is added to it.
  const requestTls = {
    rejectUnauthorized: tlsChoice.insecure !== true,
    ...(tlsChoice.ca === undefined ? {} : { ca: [...tlsModule().rootCertificates, tlsChoice.ca] }),
  };
  // Downloads are long-lived; keep idle sockets briefly for the next range request.
  const pool = { headersTimeout: idle, bodyTimeout: idle, keepAliveTimeout: 4_000 };
  switch (route.kind) {
    case 'direct':
      return new undici.Agent({ ...pool, connect: { timeout: connectTimeout, ...requestTls } });
    case 'http':
      return new undici.ProxyAgent({ ...pool, uri: route.proxy.href, connectTimeout, requestTls });
    case 'socks5':
      return new undici.Socks5ProxyAgent(route.proxy.href, { ...pool, connectTimeout, requestTls });
  }
}
