import { TransferError, HaulError } from '../errors.ts';
import { parseRetryAfter } from '../retry.ts';
import { headerValue } from './headers.ts';
import type { ResponseHead } from './send-get.ts';

/** The error a response status means, or undefined for 2xx. 408, 429 and 5xx are transient. */
export function errorForStatus(head: ResponseHead, now: number): TransferError | undefined {
  const { status } = head;
  if (status >= 200 && status < 300) return undefined;
  const where = head.url.host;
  const transient = status === 408 || status === 429 || status >= 500;
  const retryAfterMs = parseRetryAfter(headerValue(head.headers, 'retry-after'), now);
  const hint = transient
    ? 'Haul retries automatically; if it keeps failing, try again later.'
    : status === 401 || status === 403
      ? 'The server refused access: check the URL, or add the cookie or credentials it needs.'
      : status === 404 || status === 410
        ? 'The file is not there: check the URL.'
        : 'Check the URL.';
  return new TransferError('HTTP_ERROR', `${where} answered HTTP ${status}. ${hint}`, {
    transient,
    status,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

const TRANSIENT_NET_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_RESPONSE_STATUS_CODE',
]);
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** Turns a transport failure into a TransferError; network trouble is transient. */
export function classifyNetworkError(error: unknown, url: URL): HaulError {
  if (error instanceof HaulError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  const detail = error instanceof Error ? error.message : String(error);
  if (typeof code === 'string' && TIMEOUT_CODES.has(code)) {
    return new TransferError('TIMEOUT', `${url.host} stopped responding (${detail}). Haul retries automatically.`, {
      transient: true,
      cause: error,
    });
  }
  if ((typeof code === 'string' && TRANSIENT_NET_CODES.has(code)) || (typeof cause === 'string' && TRANSIENT_NET_CODES.has(cause))) {
    return new TransferError('NETWORK_ERROR', `The connection to ${url.host} failed (${detail}). Haul retries automatically.`, {
      transient: true,
      cause: error,
    });
  }
  return new TransferError('NETWORK_ERROR', `The request to ${url.host} failed: ${detail}.`, { transient: true, cause: error });
}
