import type { Dispatcher } from 'undici';
import { TransferError } from '../errors.ts';
import { createDispatcher, type DispatcherOptions, type TlsChoice } from './dispatcher.ts';
import { givenProxy, proxyFor } from './proxy-config.ts';
import { RawPool } from './raw/raw-pool.ts';
import { rawGet } from './raw/raw-get.ts';
import { sendGet, type BodySink, type DISCARD, type ResponseControl, type ResponseHead } from './send-get.ts';

export type OnHead = (head: ResponseHead, control: ResponseControl) => BodySink | typeof DISCARD;

export interface TransportRequest {
  url: URL;
  headers: Record<string, string>;
  signal: AbortSignal;
  tls?: TlsChoice;
  /**
   * Under a speed limit: read in small pieces. A paused connection's kernel buffer fills, and
   * one large read on resuming would take it all at once, past what the limit allowed.
   */
  smallReads?: boolean;
}

/** Sends one GET (no redirects) and streams the body to the sink `onHead` picks. */
export interface Transport {
  get(request: TransportRequest, onHead: OnHead): Promise<void>;
  close(): Promise<void>;
}

export interface TransportOptions extends DispatcherOptions {
  /**
   * 'auto' (default) uses the allocation-free raw client (http and https) when no proxy
   * applies, undici through proxies. 'undici' always uses undici.
   */
  mode?: 'auto' | 'undici';
  /** Environment to read proxy settings from (see proxyFor). Default process.env. */
  env?: Record<string, string | undefined>;
}

export function createTransport(opts: TransportOptions = {}): Transport {
  const dispatchers = new Map<string, Promise<Dispatcher>>();
  const env = opts.env ?? process.env;
  const pool = new RawPool();
  const rawOpts = {
    pool,
    connectTimeoutMs: opts.connectTimeoutMs,
    idleTimeoutMs: opts.idleTimeoutMs,
  };
  /** Servers (origins) that refused HTTP/1.1 in the TLS handshake: they speak only HTTP/2, which undici does. */
  const h2Only = new Set<string>();
  return {
    async get(request, onHead) {
      const route = request.tls?.proxy === undefined ? proxyFor(request.url, env) : givenProxy(request.tls.proxy);
      if (route.kind === 'invalid') throw new TransferError('PROXY_ERROR', route.message, { transient: false });
      if (opts.mode !== 'undici' && route.kind === 'direct' && !h2Only.has(request.url.origin)) {
        try {
          return await rawGet(request, onHead, rawOpts);
        } catch (error) {
          // Refused before any answer: nothing was written, so the same request goes to undici.
          if (!refusedHttp1(error)) throw error;
          h2Only.add(request.url.origin);
        }
      }
      const tls = request.tls ?? {};
      const key = JSON.stringify([route.kind, route.kind === 'direct' ? '' : route.proxy.href, tls.insecure === true, tls.ca ?? '']);
      let dispatcher = dispatchers.get(key);
      if (dispatcher === undefined) {
        dispatcher = createDispatcher(route, tls, opts);
        dispatchers.set(key, dispatcher);
      }
      if (route.kind === 'direct') return sendGet(await dispatcher, request, onHead);
      const proxy = route.proxy;
      return sendGet(await dispatcher, request, onHead).catch((error: unknown) => {
        throw proxyUnreachable(error, proxy) ?? error;
      });
    },
    async close() {
      pool.close();
      await Promise.all([...dispatchers.values()].map(async (d) => (await d).close()));
    },
  };
}

/** Errors that mean nothing answered at an address: for a proxy's address, the proxy is the problem, not the server. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * A request through a proxy that failed because the proxy itself cannot be reached: a
 * PROXY_ERROR naming the proxy, at once (retrying the server would not help), else undefined.
 */
function proxyUnreachable(error: unknown, proxy: URL): TransferError | undefined {
  const err = error as { code?: unknown; address?: unknown; port?: unknown; hostname?: unknown; cause?: unknown };
  const inner = (err.code === undefined && typeof err.cause === 'object' && err.cause !== null ? err.cause : err) as typeof err;
  const code = typeof inner.code === 'string' ? inner.code : '';
  if (!UNREACHABLE.has(code)) return undefined;
  const port = Number(proxy.port || (proxy.protocol === 'https:' ? 443 : proxy.protocol.startsWith('socks') ? 1080 : 80));
  const host = proxy.hostname.replace(/^\[|\]$/gu, '');
  const atProxy = inner.port === port && (inner.address === host || inner.hostname === host || code === 'ENOTFOUND' || code === 'EAI_AGAIN');
  if (!atProxy) return undefined;
  const shown = `${proxy.protocol}//${proxy.host}`;
  return new TransferError('PROXY_ERROR', `The proxy ${shown} is not answering (${code}). Start it, or fix or unset the proxy setting (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY).`, {
    transient: false,
    cause: error,
    params: { host: proxy.host },
  });
}

/** A TLS handshake the server ended because it speaks no protocol offered but HTTP/2 (ALPN, alert 120). */
function refusedHttp1(error: unknown): boolean {
  const err = error as { code?: unknown; message?: unknown };
  return err.code === 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL' || (typeof err.message === 'string' && err.message.includes('no application protocol'));
}
