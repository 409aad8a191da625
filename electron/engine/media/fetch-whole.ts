import type { Clock } from '../clock.ts';
import { TransferError } from '../errors.ts';
import { classifyNetworkError, errorForStatus } from '../http/classify.ts';
import { getFollowingRedirects } from '../http/follow-redirects.ts';
import { headerValue } from '../http/headers.ts';
import type { ResponseHead } from '../http/send-get.ts';
import type { Transport, TransportRequest } from '../http/transport.ts';

export interface WholeRequest extends Omit<TransportRequest, 'url'> {
  url: URL;
  /** The body's largest size accepted: a playlist or segment bigger than this is refused. */
  maxBytes: number;
  /** Waits before reading on, when a speed limit applies: ms to wait for `bytes` (0: go on). */
  throttle?: ((bytes: number) => number) | undefined;
  /** Bytes of the body as they arrive (progress). */
  onBytes?: ((bytes: number) => void) | undefined;
  /** Where a body of known length goes (a buffer used again); a new one if not given. */
  allocate?: ((size: number) => Buffer) | undefined;
}

/** A whole answer: its body in one buffer, and the head it came with (after redirects). */
export interface WholeAnswer {
  head: ResponseHead;
  body: Buffer;
}

/**
 * GETs a small resource whole (a playlist, a key, a media segment), following redirects: a
 * status other than 2xx, a transport failure or a body past `maxBytes` is a TransferError
 * (transient where trying again may help), and a body shorter than its Content-Length too.
 */
export async function fetchWhole(transport: Transport, request: WholeRequest, clock: Clock): Promise<WholeAnswer> {
  const chunks: Buffer[] = [];
  /** With its length known, the body is copied once, into a buffer of that size. */
  let whole: Buffer | undefined;
  let size = 0;
  let answered: ResponseHead | undefined;
  let expected: number | undefined;
  let tooBig = false;
  try {
    await getFollowingRedirects(transport, request, (head, control) => {
      answered = head;
      const refused = errorForStatus(head, clock.now());
      if (refused !== undefined) throw refused;
      const length = Number(headerValue(head.headers, 'content-length') ?? Number.NaN);
      expected = Number.isSafeInteger(length) && length >= 0 ? length : undefined;
      if (expected !== undefined && expected > request.maxBytes) {
        tooBig = true;
        throw bodyTooBig(head.url, request.maxBytes);
      }
      whole = expected === undefined ? undefined : (request.allocate?.(expected) ?? Buffer.allocUnsafe(expected));
      return {
        write(chunk) {
          if (size + chunk.length > request.maxBytes) {
            tooBig = true;
            control.abort(bodyTooBig(head.url, request.maxBytes));
            return true;
          }
          // More than its Content-Length said: kept aside, and the whole is assembled from both.
          if (whole !== undefined && size + chunk.length <= whole.length) whole.set(chunk, size);
          else {
            if (whole !== undefined) chunks.push(whole.subarray(0, size));
            whole = undefined;
            chunks.push(Buffer.from(chunk));
          }
          size += chunk.length;
          request.onBytes?.(chunk.length);
          const wait = request.throttle?.(chunk.length) ?? 0;
          if (wait <= 0) return true;
          clock.setTimeout(() => control.resume(), wait);
          return false;
        },
      };
    });
  } catch (error) {
    if (error instanceof TransferError) throw error;
    if (tooBig) throw bodyTooBig(request.url, request.maxBytes);
    throw classifyNetworkError(error, request.url, answered !== undefined);
  }
  if (answered === undefined) throw classifyNetworkError(new Error('no answer'), request.url, false);
  if (expected !== undefined && size < expected) {
    throw new TransferError('NETWORK_ERROR', `${answered.url.host} ended ${answered.url.pathname.slice(0, 100)} after ${size} of ${expected} bytes.`, {
      transient: true,
      hint: 'Haul retries automatically.',
    });
  }
  return { head: answered, body: whole !== undefined ? whole.subarray(0, size) : Buffer.concat(chunks, size) };
}

/** Bytes `range` of an answer to a request for them: a 206 is it; a 200 (Range ignored) holds it somewhere inside. */
export function cutRange(answer: WholeAnswer, range: [number, number] | undefined, url: URL): Buffer {
  const { body } = answer;
  const status = answer.head.status;
  if (range === undefined) return body;
  const [start, end] = range;
  const wanted = end - start;
  if (status === 206 && body.length === wanted) return body;
  if (status === 200 && body.length >= end) return body.subarray(start, end);
  throw new TransferError('HTTP_ERROR', `${url.host} answered bytes ${start}–${end - 1} of ${url.pathname.slice(0, 80)} with ${body.length} bytes (HTTP ${status}).`, { transient: true });
}

function bodyTooBig(url: URL, max: number): TransferError {
  return new TransferError('HTTP_ERROR', `${url.host} sent more than ${max} bytes for ${url.pathname.slice(0, 100)}, more than Haul accepts for one playlist or segment.`, { transient: false });
}
