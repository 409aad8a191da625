import type { Random } from '../clock.ts';
import { TransferError, type HaulError } from '../errors.ts';
import { backoffDelay, type RetryOptions } from '../policy/retry.ts';

/** Times a download may start over from zero in one run before it fails (a file that keeps changing). */
export const MAX_START_OVERS = 3;

/** What a connection knows when a request failed. */
export interface FailureContext {
  /** Failures of this connection in a row, this one included, with no new byte of the file gained. */
  failures: number;
  /** Whether other connections are running (an extra connection may be what the server refuses). */
  hasCompany: boolean;
}

export type FailureDecision =
  /** Try again after `delayMs`. */
  | { kind: 'retry'; delayMs: number }
  /** Give the range back and close this connection: the server wants fewer. */
  | { kind: 'step-down' }
  /** Stop the download with this error. */
  | { kind: 'fail'; error: HaulError };

/** Statuses and resets that servers use to refuse one connection too many. */
const REFUSES_EXTRA = new Set([403, 429, 503]);

/**
 * Decides what a failed request means. Pure: the same error in the same context always gets
 * the same answer (the random source only jitters the delay).
 *
 * - Permanent errors (4xx but 408/429, TLS, proxy, protocol, file errors) fail at once.
 * - On an extra connection, a refusal (403/429/503) or a reset steps down instead.
 * - Transient errors retry with jittered backoff (honouring Retry-After) until `retries`
 *   tries in a row have gained nothing; then the download fails, saying how often it tried.
 */
export function decideFailure(error: HaulError, ctx: FailureContext, opts: RetryOptions, random: Random): FailureDecision {
  if (!(error instanceof TransferError)) return { kind: 'fail', error };
  if (ctx.hasCompany && refusesExtra(error)) return { kind: 'step-down' };
  if (!error.transient) return { kind: 'fail', error };
  if (ctx.failures > opts.retries) {
    return {
      kind: 'fail',
      error: new TransferError(
        error.code,
        // Counted as the list counts them ("retry 5 of 5"): the retries, not the first try.
        `${error.fact} Haul retried ${ctx.failures - 1} ${ctx.failures - 1 === 1 ? 'time' : 'times'} without getting further and stopped; retry it later.`,
        {
          transient: false,
          status: error.status,
          params: { ...error.params, tries: ctx.failures - 1 },
          cause: error,
        },
      ),
    };
  }
  return { kind: 'retry', delayMs: backoffDelay(ctx.failures, opts, random, error.retryAfterMs) };
}

/** Whether `error`, on a connection beside others to the same server, says the server takes no more (a refusal or a reset). */
export function refusesExtra(error: TransferError): boolean {
  return (error.status !== undefined && REFUSES_EXTRA.has(error.status)) || (error.status === undefined && error.code === 'NETWORK_ERROR' && error.transient);
}

/** Whether a download may start over once more, or the error that ends it. */
export function decideStartOver(startOvers: number, host: string, reason: string): { kind: 'restart' } | { kind: 'fail'; error: HaulError } {
  if (startOvers < MAX_START_OVERS) return { kind: 'restart' };
  return {
    kind: 'fail',
    error: new TransferError(
      'HTTP_ERROR',
      `${host} ${reason} ${startOvers + 1} times in a row, so Haul stopped instead of mixing versions of the file. The file may be changing on the server; retry it later.`,
      {
        transient: false,
      },
    ),
  };
}
