import { TransferError, HaulError } from '../errors.ts';
import { parseRetryAfter } from '../policy/retry.ts';
import { headerValue } from './headers.ts';
import { RAW_FAILURE } from './raw/raw-failure.ts';
import type { ResponseHead } from './send-get.ts';

/** What a transient error's message says will happen (the failure policy words the last try its own way). */
export const RETRIES = 'Haul retries automatically.';

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
  return new TransferError('HTTP_ERROR', `${where} answered HTTP ${status}.`, {
    hint,
    transient,
    status,
    params: { host: where, status },
    retryAfterMs,
  });
}

// Each transport's own names (the raw client's, undici's) and the system's.
const TIMEOUT_CODES = new Set<string>([RAW_FAILURE.connectTimeout, RAW_FAILURE.idleTimeout, 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
// Certificate problems: trying again cannot fix them, the user can (trust a CA, or opt out).
const TLS_CERT_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);
const TRUST_HINT =
  'If you trust this server, give Haul its CA certificate: haul get --ca-cert FILE, "caCert" in the API, or NODE_EXTRA_CA_CERTS=FILE for every download; or skip verification with --insecure ("insecure": true).';

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  const cause = (error as { cause?: unknown } | null)?.cause;
  return cause === undefined || cause === error ? undefined : codeOf(cause);
}

/**
 * Turns a transport failure into a HaulError (`answered`: whether a response head arrived). Network trouble (resets, refusals, timeouts, a
 * body cut short) is transient; certificates, proxies that refuse or need credentials, and
 * bytes that are not HTTP are permanent, with a message that says what to do.
 */
export function classifyNetworkError(error: unknown, url: URL, answered = true): HaulError {
  if (error instanceof HaulError) return error;
  const code = codeOf(error) ?? '';
  const detail = error instanceof Error ? error.message : String(error);
  const host = url.host;
  // undici reports a Content-Length it cannot represent as a length mismatch, before any head.
  if (code.startsWith('HPE_') || (!answered && code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH')) {
    return new TransferError('HTTP_ERROR', `${host} sent a response that is not valid HTTP (${detail}). The server is misbehaving; Haul cannot download from it.`, { transient: false, cause: error });
  }
  if (TLS_CERT_CODES.has(code)) {
    return new TransferError('TLS_ERROR', `The certificate of ${host} is not trusted (${code}: ${detail}). ${TRUST_HINT}`, { transient: false, cause: error, params: { host } });
  }
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO' || code.startsWith('ERR_SSL_')) {
    return new TransferError('TLS_ERROR', `The TLS handshake with ${host} failed (${detail}). Check that the address really serves https on that port.`, { transient: false, cause: error });
  }
  const proxyStatus = /Proxy response \((\d{3})\)|Proxy Authentication Required \((\d{3})\)/u.exec(detail);
  if (proxyStatus !== null) {
    const status = Number(proxyStatus[1] ?? proxyStatus[2]);
    const hint =
      status === 407 ? 'The proxy needs credentials: put them in the proxy address (http://user:password@host:port).' : 'Check the proxy settings (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY).';
    return new TransferError('PROXY_ERROR', `The proxy refused to connect Haul to ${host} (HTTP ${status}). ${hint}`, { transient: false, cause: error });
  }
  if (code.startsWith('UND_ERR_SOCKS5_AUTH')) {
    return new TransferError('PROXY_ERROR', `The SOCKS5 proxy refused Haul's credentials (${detail}). Put the right ones in the proxy address (socks5h://user:password@host:port).`, {
      transient: false,
      cause: error,
    });
  }
  if (code.startsWith('UND_ERR_SOCKS5')) {
    return new TransferError('PROXY_ERROR', `The SOCKS5 proxy could not connect Haul to ${host} (${detail}). Check the proxy settings and that the proxy can reach the server.`, {
      transient: false,
      cause: error,
    });
  }
  // A name the resolver says does not exist will not exist on the next try either (as curl and
  // aria2c treat it); a resolver that could not answer now (EAI_AGAIN) is tried again.
  if (code === 'ENOTFOUND') {
    return new TransferError('NETWORK_ERROR', `The name ${url.hostname} does not resolve to any address (ENOTFOUND). Check the link for a typo, or your network's name server.`, {
      transient: false,
      cause: error,
      params: { host },
    });
  }
  if (TIMEOUT_CODES.has(code)) {
    return new TransferError('TIMEOUT', `${host} stopped responding (${detail}).`, { hint: RETRIES, transient: true, cause: error, params: { host } });
  }
  return new TransferError('NETWORK_ERROR', `The connection to ${host} failed (${detail}).`, { hint: RETRIES, transient: true, cause: error, params: { host } });
}
