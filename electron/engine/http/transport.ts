import type { Dispatcher } from 'undici';
import { createDispatcher, type DispatcherOptions } from './dispatcher.ts';
import { RawPool } from './raw/raw-pool.ts';
import { rawGet } from './raw/raw-get.ts';
import { sendGet, type BodySink, type DISCARD, type ResponseControl, type ResponseHead } from './send-get.ts';

export type OnHead = (head: ResponseHead, control: ResponseControl) => BodySink | typeof DISCARD;

/** Sends one GET (no redirects) and streams the body to the sink `onHead` picks. */
export interface Transport {
  get(request: { url: URL; headers: Record<string, string>; signal: AbortSignal }, onHead: OnHead): Promise<void>;
  close(): Promise<void>;
}

export interface TransportOptions extends DispatcherOptions {
  /**
   * 'auto' (default) uses the allocation-free raw client for plain http:// when no proxy is
   * configured for it, undici otherwise (https, proxies). 'undici' always uses undici.
   */
  mode?: 'auto' | 'undici';
  /** Environment to read proxy settings from. Default process.env. */
  env?: Record<string, string | undefined>;
}

/** True when HTTP_PROXY (either case) is set: plain http then goes through undici's proxy agent. */
function httpProxyConfigured(env: Record<string, string | undefined>): boolean {
  return Boolean(env['HTTP_PROXY'] ?? env['http_proxy']);
}

export function createTransport(opts: TransportOptions = {}): Transport {
  let dispatcher: Promise<Dispatcher> | undefined;
  const undici = (): Promise<Dispatcher> => (dispatcher ??= createDispatcher(opts));
  const env = opts.env ?? process.env;
  const pool = new RawPool();
  const rawOpts = {
    pool,
    ...(opts.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: opts.connectTimeoutMs }),
    ...(opts.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: opts.idleTimeoutMs }),
  };
  return {
    get(request, onHead) {
      const fast = opts.mode !== 'undici' && request.url.protocol === 'http:' && !httpProxyConfigured(env);
      return fast ? rawGet(request, onHead, rawOpts) : undici().then((d) => sendGet(d, request, onHead));
    },
    async close() {
      pool.close();
      await (await dispatcher)?.close();
    },
  };
}
