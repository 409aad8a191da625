import type { TransferError } from '../errors.ts';
import { errorForStatus } from '../http/classify.ts';
import { headerInteger, headerValue, parseContentRange, parseUnsatisfiedRange, strongEtag } from '../http/headers.ts';
import type { ResponseHead } from '../http/send-get.ts';

export interface Validators {
  etag?: string;
  lastModified?: string;
}

/** What to do with a response to a (possibly ranged) GET. */
export type ResponsePlan =
  /**
   * Write the body from `from` up to `end` (exclusive; null when unknown). `fresh` means a new
   * representation starting at 0 (truncate first).
   */
  | { kind: 'write'; from: number; end: number | null; total: number | null; fresh: boolean; resumable: boolean; validators: Validators }
  /** 416 for a range that starts exactly at the end: every byte is already here. */
  | { kind: 'complete' }
  /** The range cannot be trusted (size changed, odd Content-Range): ask again without Range. */
  | { kind: 'start-over' }
  | { kind: 'error'; error: TransferError };

/**
 * Decides, per RFC 9110, how a response continues a download that holds `from` bytes of a
 * representation of `knownTotal` bytes (null if unknown). Pure, so every case is testable.
 */
export function planResponse(head: ResponseHead, from: number, knownTotal: number | null, now: number): ResponsePlan {
  const { status, headers } = head;
  if (status === 416 && from > 0) {
    const size = parseUnsatisfiedRange(headerValue(headers, 'content-range'));
    return size === from && (knownTotal === null || knownTotal === size) ? { kind: 'complete' } : { kind: 'start-over' };
  }
  const error = errorForStatus(head, now);
  if (error !== undefined) return { kind: 'error', error };
  const validators: Validators = {};
  const etag = strongEtag(headers);
  if (etag !== undefined) validators.etag = etag;
  const lastModified = headerValue(headers, 'last-modified');
  if (lastModified !== undefined) validators.lastModified = lastModified;
  if (status === 206) {
    const range = parseContentRange(headerValue(headers, 'content-range'));
    // Multipart or unreadable ranges, a range that does not start where we asked, or a size
    // that changed under an unvalidated resume: none of these can be spliced safely.
    if (range === undefined || range.start !== from) return { kind: 'start-over' };
    if (knownTotal !== null && range.size !== null && range.size !== knownTotal) return { kind: 'start-over' };
    // A 206 continues what is on disk (other ranges included): never a fresh start.
    return { kind: 'write', from, end: range.end + 1, total: range.size, fresh: false, resumable: true, validators };
  }
  // 200 (or another 2xx): the whole representation, possibly a new one. Never splice it onto old bytes.
  const total = headerInteger(headers, 'content-length') ?? null;
  const acceptsRanges = /\bbytes\b/iu.test(headerValue(headers, 'accept-ranges') ?? '');
  return { kind: 'write', from: 0, end: total, total, fresh: true, resumable: acceptsRanges && total !== null, validators };
}
