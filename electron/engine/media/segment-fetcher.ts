import { createDecipheriv } from 'node:crypto';
import { sleep, type Clock, type Random } from '../clock.ts';
import { toHaulError, TransferError, type HaulError } from '../errors.ts';
import type { TlsChoice } from '../http/dispatcher.ts';
import type { Transport } from '../http/transport.ts';
import { backoffDelay, type RetryOptions } from '../policy/retry.ts';
import { refusesExtra } from '../transfer/failure-policy.ts';
import { cutRange, fetchWhole } from './fetch-whole.ts';
import type { KeyRef, SegmentRef } from './media-plan.ts';

/** Largest segment accepted (a 4K segment of a few seconds is tens of MiB). */
const MAX_SEGMENT_BYTES = 512 * 1024 * 1024;

export interface FetcherDeps {
  transport: Transport;
  clock: Clock;
  random: Random;
  retry: RetryOptions;
  /** Request headers for `url` (the download's cookies, referrer, User-Agent…), with a Range for `range`. */
  headers(url: URL, range: [number, number] | undefined): Record<string, string>;
  tls(): TlsChoice;
  /** Waits asked by the speed limits for `bytes` just read (ms; 0 none). */
  throttle(bytes: number): number;
  limited(): boolean;
  /** Where a segment's body goes (see SegmentBuffers). */
  allocate?(size: number): Buffer;
  /** A try failed and another follows (for the download's log and its retry state); undefined once it got through. */
  retrying(info: { attempt: number; limit: number; error: HaulError } | undefined): void;
}

/**
 * Fetches one segment whole, in the clear: the byte range it names (cut from a whole answer
 * when a server ignores Range), decrypted with its AES-128 key (each key fetched once).
 * Transient failures are tried again with backoff, a bounded number of times.
 */
export class SegmentFetcher {
  readonly #deps: FetcherDeps;
  readonly #keys = new Map<string, Promise<Buffer>>();

  constructor(deps: FetcherDeps) {
    this.#deps = deps;
  }

  /**
   * The segment's bytes; `onBytes` sees them arrive (progress). Throws the last error, naming
   * `what`; or OneTooMany when the server refused this connection while `company` says others
   * are open.
   */
  async fetch(ref: SegmentRef, what: string, signal: AbortSignal, onBytes: (bytes: number) => void, company: () => boolean = () => false): Promise<Buffer> {
    const url = new URL(ref.url);
    const body = await this.#withRetries(what, signal, company, async () => {
      let seen = 0;
      try {
        const answer = await fetchWhole(
          this.#deps.transport,
          {
            ...this.#request(url, ref.range, signal, MAX_SEGMENT_BYTES, (n) => {
              seen += n;
              onBytes(n);
            }),
            allocate: this.#deps.allocate,
          },
          this.#deps.clock,
        );
        return cutRange(answer, ref.range, url);
      } catch (error) {
        // A try that failed part-way gave back nothing: its bytes do not count.
        onBytes(-seen);
        throw error;
      }
    });
    return ref.key === undefined ? body : decrypt(body, await this.#key(ref.key, signal), ref.key.iv, what);
  }

  #key(key: KeyRef, signal: AbortSignal): Promise<Buffer> {
    let pending = this.#keys.get(key.url);
    if (pending === undefined) {
      const url = new URL(key.url);
      pending = this.#withRetries(
        `the key ${url.pathname.slice(0, 80)}`,
        signal,
        () => false,
        async () => {
          const answer = await fetchWhole(
            this.#deps.transport,
            this.#request(url, undefined, signal, 1024, () => undefined),
            this.#deps.clock,
          );
          if (answer.body.length !== 16)
            throw new TransferError('BAD_PLAYLIST', `The AES-128 key at ${url.host}${url.pathname.slice(0, 80)} is ${answer.body.length} bytes, not 16.`, { transient: false });
          return answer.body;
        },
      );
      this.#keys.set(key.url, pending);
      // A key that could not be had is asked for again by the next segment that needs it.
      pending.catch(() => this.#keys.delete(key.url));
    }
    return pending;
  }

  #request(url: URL, range: [number, number] | undefined, signal: AbortSignal, maxBytes: number, onBytes: (n: number) => void) {
    return { url, headers: this.#deps.headers(url, range), signal, tls: this.#deps.tls(), smallReads: this.#deps.limited(), maxBytes, throttle: (n: number) => this.#deps.throttle(n), onBytes };
  }

  async #withRetries<T>(what: string, signal: AbortSignal, company: () => boolean, attempt: () => Promise<T>): Promise<T> {
    const { retry, random, clock } = this.#deps;
    for (let tries = 1; ; tries++) {
      try {
        const value = await attempt();
        if (tries > 1) this.#deps.retrying(undefined);
        return value;
      } catch (error) {
        if (signal.aborted) throw error;
        const failure = toHaulError(error);
        if (failure instanceof TransferError && company() && refusesExtra(failure)) throw new OneTooMany(failure.message);
        const transient = failure instanceof TransferError && failure.transient;
        if (!transient || tries > retry.retries) throw named(failure, what, transient ? tries : undefined);
        this.#deps.retrying({ attempt: tries, limit: retry.retries, error: failure });
        await sleep(clock, backoffDelay(tries, retry, random, failure instanceof TransferError ? failure.retryAfterMs : undefined), signal);
      }
    }
  }
}

/** The server refused a connection beside others: the segment goes back for one of those. */
export class OneTooMany extends Error {}

function decrypt(body: Buffer, key: Buffer, iv: Buffer, what: string): Buffer {
  try {
    const decipher = createDecipheriv('aes-128-cbc', key, iv);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch (cause) {
    throw new TransferError('BAD_PLAYLIST', `${what} does not decrypt with its AES-128 key (${cause instanceof Error ? cause.message : String(cause)}).`, { transient: false, cause });
  }
}

/** The error, said of the segment it happened to (its place and address). */
function named(error: HaulError, what: string, tries: number | undefined): HaulError {
  const after = tries === undefined ? '' : ` (after ${tries} tries)`;
  if (error instanceof TransferError) return new TransferError(error.code, `${what}: ${error.fact}${after}`, { transient: false, status: error.status, params: error.params, cause: error });
  return error;
}
