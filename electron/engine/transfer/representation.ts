import { TransferError } from '../errors.ts';
import { errorForStatus } from '../http/classify.ts';
import { headerValue, parseContentRange, parseUnsatisfiedRange, strongEtag } from '../http/headers.ts';
import type { ResponseHead } from '../http/send-get.ts';

export interface Validators {
  etag?: string | undefined;
  lastModified?: string | undefined;
}

/** What the download already holds: the representation's size and validators. */
export interface Held extends Validators {
  total: number | null;
}

/** What the request asked for. */
export interface Asked {
  /** First byte asked for. */
  from: number;
  /** Whether the request carried a Range header. */
  ranged: boolean;
  /** Whether other connections are writing into the same file. */
  hasCompany: boolean;
}

/** What to do with a response to a (possibly ranged) GET. */
export type ResponsePlan =
  /**
   * Write the body from `from` up to `end` (exclusive; null when unknown). `fresh` means a new
   * representation starting at 0 (empty the file first); `rangesUnusable` that this server
   * answers ranges with whole files, so one connection from now on.
   */
  | { kind: 'write'; from: number; end: number | null; total: number | null; fresh: boolean; resumable: boolean; rangesUnusable: boolean; validators: Validators }
  /** 416 for a range that starts exactly at the end: every byte is already here. */
  | { kind: 'complete' }
  /** The bytes on disk cannot be continued with this answer: start over from zero. */
  | { kind: 'start-over'; reason: string; rangesUnusable: boolean }
  | { kind: 'error'; error: TransferError };

/**
 * Decides, per RFC 9110, how a response continues a download. Only parts of one
 * representation are ever combined (§15.3.7.3): a 206 must start where asked, carry the same
 * size and, where the download holds validators, the same ones; a server that ignores
 * If-Range and serves a changed file is caught here. Pure, so every case is testable.
 */
export function planResponse(head: ResponseHead, asked: Asked, held: Held, now: number): ResponsePlan {
  const { status, headers } = head;
  if (status === 416 && asked.from > 0) {
    const size = parseUnsatisfiedRange(headerValue(headers, 'content-range'));
    if (size === asked.from && (held.total === null || held.total === size)) return { kind: 'complete' };
    return startOver('said the bytes Haul asked for are past the end of the file', false);
  }
  const error = errorForStatus(head, now);
  if (error !== undefined) return { kind: 'error', error };
  const length = headerValue(headers, 'content-length');
  if (length !== undefined && !isSafeLength(length)) {
    return {
      kind: 'error',
      error: new TransferError('HTTP_ERROR', `${head.url.host} sent an invalid Content-Length (${length.slice(0, 40)}). The server is misbehaving; Haul cannot download from it.`, {
        transient: false,
      }),
    };
  }
  const validators = validatorsOf(head);
  if (status === 206) {
    const range = parseContentRange(headerValue(headers, 'content-range'));
    if (range === undefined) return startOver('answered with a byte range Haul cannot read', false);
    // Some servers answer every range with a 206 of the whole file: that is the file, as a 200 would send it.
    if (range.start === 0 && asked.from > 0 && range.size !== null && range.end + 1 === range.size && changedValidator(held, validators) === undefined) {
      return wholeFile(asked, range.size, false, validators);
    }
    if (range.start !== asked.from) return startOver(`answered with bytes from ${range.start} instead of ${asked.from}`, false);
    if (held.total !== null && range.size !== null && range.size !== held.total) return startOver(`said the file is ${range.size} bytes, not ${held.total}`, false);
    const changed = changedValidator(held, validators);
    if (changed !== undefined) return startOver(`sent another version of the file (its ${changed} changed)`, false);
    // A 206 continues what is on disk (other ranges included): never a fresh start.
    return { kind: 'write', from: asked.from, end: range.end + 1, total: range.size ?? held.total, fresh: false, resumable: true, rangesUnusable: false, validators };
  }
  // 200 (or another 2xx): the whole representation, possibly a new one. Never splice it onto old bytes.
  const total = length === undefined ? null : Number(length);
  return wholeFile(asked, total, /\bbytes\b/iu.test(headerValue(headers, 'accept-ranges') ?? ''), validators);
}

/** A body that is the whole file from byte 0: written afresh, on one connection if it came to a range request. */
function wholeFile(asked: Asked, total: number | null, acceptsRanges: boolean, validators: Validators): ResponsePlan {
  if (asked.ranged && asked.hasCompany) return startOver('answered a range request with the whole file', true);
  const rangesUnusable = asked.ranged && asked.from > 0;
  return { kind: 'write', from: 0, end: total, total, fresh: true, resumable: acceptsRanges && total !== null && !rangesUnusable, rangesUnusable, validators };
}

function startOver(reason: string, rangesUnusable: boolean): ResponsePlan {
  return { kind: 'start-over', reason, rangesUnusable };
}

function validatorsOf(head: ResponseHead): Validators {
  const out: Validators = {};
  const etag = strongEtag(head.headers);
  if (etag !== undefined) out.etag = etag;
  const lastModified = headerValue(head.headers, 'last-modified');
  if (lastModified !== undefined) out.lastModified = lastModified;
  return out;
}

/**
 * Which validator a 206 contradicts, if any. A validator the answer leaves out proves nothing
 * either way (the server then relied on If-Range, which Haul always sends); one it sends
 * differently proves another representation.
 */
function changedValidator(held: Validators, got: Validators): 'ETag' | 'Last-Modified' | undefined {
  if (held.etag !== undefined && got.etag !== undefined && got.etag !== held.etag) return 'ETag';
  if (held.etag !== undefined && got.etag === undefined && got.lastModified !== undefined && held.lastModified !== undefined && got.lastModified !== held.lastModified) return 'Last-Modified';
  if (held.etag === undefined && held.lastModified !== undefined && got.lastModified !== undefined && got.lastModified !== held.lastModified) return 'Last-Modified';
  return undefined;
}

function isSafeLength(value: string): boolean {
  const text = value.trim();
  return /^\d+$/u.test(text) && Number.isSafeInteger(Number(text));
}
