export interface RequestSizeOptions {
  /** A connection's first ranged request asks for this many bytes. Default 1 MiB. */
  firstRequestBytes: number;
  /** Later requests are sized to last about this long at the connection's measured speed. Default 2 000 ms. */
  targetRequestMs: number;
  /** No request asks for more than this. Default 256 MiB. */
  maxRequestBytes: number;
}

export const DEFAULT_REQUEST_SIZE: RequestSizeOptions = { firstRequestBytes: 1024 * 1024, targetRequestMs: 2_000, maxRequestBytes: 256 * 1024 * 1024 };

/**
 * How many bytes one connection asks for per request, once ranges are known to work. Bounded
 * requests (as S3-style ranged part downloads use) let a connection hand back the rest of its
 * segment without being cut, cap what a stalled request costs to redo, and start a fresh
 * allowance on servers that throttle per request (nginx's limit_rate grants every request a
 * second's worth up front). The size starts small and at most doubles per request, like TCP's
 * slow start, so a fast link reaches large requests in a few round trips and a slow one never
 * asks for more than a couple of seconds of transfer.
 */
export class RequestSizer {
  readonly #opts: RequestSizeOptions;
  #next: number;

  constructor(opts: RequestSizeOptions = DEFAULT_REQUEST_SIZE) {
    this.#opts = opts;
    this.#next = opts.firstRequestBytes;
  }

  /** Bytes to ask for in the next request. */
  get next(): number {
    return this.#next;
  }

  /** A request moved `bytes` in `ms` (from sending it to its last byte). */
  record(bytes: number, ms: number): void {
    if (bytes <= 0) return;
    const bySpeed = ms > 0 ? (bytes * this.#opts.targetRequestMs) / ms : Number.POSITIVE_INFINITY;
    const next = Math.min(2 * this.#next, bySpeed, this.#opts.maxRequestBytes);
    this.#next = Math.max(this.#opts.firstRequestBytes, Math.floor(next));
  }
}
