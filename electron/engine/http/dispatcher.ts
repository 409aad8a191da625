import type { Dispatcher } from 'undici';

export interface DispatcherOptions {
  /** Give up connecting after this long. Default 15 000 ms. */
  connectTimeoutMs?: number;
  /** Fail a response whose headers, or whose next body bytes, take longer than this. Default 30 000 ms. */
  idleTimeoutMs?: number;
}

/**
 * The connection pool for all transfers. It honours HTTP_PROXY, HTTPS_PROXY and NO_PROXY
 * (either case), as curl and wget users expect; with none set it connects directly.
 */
export async function createDispatcher(opts: DispatcherOptions = {}): Promise<Dispatcher> {
  // Loaded on first use: plain http:// downloads never need it, and it costs ~28 MiB.
  const { EnvHttpProxyAgent } = await import('undici');
  const idle = opts.idleTimeoutMs ?? 30_000;
  return new EnvHttpProxyAgent({
    connectTimeout: opts.connectTimeoutMs ?? 15_000,
    headersTimeout: idle,
    bodyTimeout: idle,
    // Downloads are long-lived; keep idle sockets briefly for the next range request.
    keepAliveTimeout: 4_000,
  });
}
