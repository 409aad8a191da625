import type { Random } from '../clock.ts';

export interface RetryOptions {
  /** Tries after the first before a download fails. Default 5. */
  retries: number;
  /** First backoff delay. Default 1 000 ms; doubles per try. */
  baseDelayMs: number;
  /** Longest backoff, and the longest `Retry-After` honoured. Default 60 000 ms. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { retries: 5, baseDelayMs: 1_000, maxDelayMs: 60_000 };

/**
 * Delay before try number `attempt` (1-based): exponential with "equal jitter", so clients
 * that failed together do not return together, yet never wait less than half the step.
 * A server's Retry-After wins when given, capped at `maxDelayMs`.
 */
export function backoffDelay(attempt: number, opts: RetryOptions, random: Random, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(retryAfterMs, 0), opts.maxDelayMs);
  const step = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/** Parses `Retry-After` (seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/u.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
