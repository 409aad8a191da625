import { ERROR_STATUS, type ErrorCode, type ErrorParams, type WireError } from '../../shared/error-codes.ts';

/**
 * The base of Haul's errors: a wire `code`, a message that says what happened and what to
 * do, and the underlying `cause`.
 */
export class HaulError extends Error {
  readonly code: ErrorCode;
  /** The specifics in the message (host, status, path), for interfaces in other languages. */
  readonly params: ErrorParams | undefined;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; params?: ErrorParams | undefined }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.params = options?.params;
  }

  get httpStatus(): number {
    return ERROR_STATUS[this.code];
  }

  toWire(): WireError {
    return { code: this.code, message: this.message, ...(this.params === undefined ? {} : { params: { ...this.params } }) };
  }
}

/** Input that was rejected before anything changed. `field` names what was wrong. */
export class InputError extends HaulError {
  readonly field: string | undefined;
  constructor(code: ErrorCode, message: string, field?: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.field = field;
  }
}

/** An action that does not fit the download's current state (409). */
export class StateError extends HaulError {
  constructor(message: string) {
    super('INVALID_STATE', message);
  }
}

/**
 * A transfer failed. `transient` failures (resets, timeouts, 5xx, 408, 429, short bodies) are
 * retried with backoff; `retryAfterMs` carries a server's `Retry-After`.
 */
export class TransferError extends HaulError {
  readonly transient: boolean;
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;
  /** What happened, without the advice the message adds (`hint`): what a later sentence about it builds on. */
  readonly fact: string;
  constructor(
    code: ErrorCode,
    fact: string,
    opts: { transient: boolean; hint?: string | undefined; retryAfterMs?: number | undefined; status?: number | undefined; cause?: unknown; params?: ErrorParams | undefined },
  ) {
    super(code, opts.hint === undefined ? fact : `${fact} ${opts.hint}`, { cause: opts.cause, params: opts.params });
    this.fact = fact;
    this.transient = opts.transient;
    this.retryAfterMs = opts.retryAfterMs;
    this.status = opts.status;
  }
}

/** A local file problem (disk full, permissions). The partial file is kept. */
export class FileError extends HaulError {}

/** Wraps anything thrown into a HaulError so callers can rely on `code`. */
export function toHaulError(error: unknown): HaulError {
  if (error instanceof HaulError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new HaulError('INTERNAL', `Unexpected error: ${message}`, { cause: error });
}
