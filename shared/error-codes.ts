/**
 * Every error code Haul puts on the wire, declared once. The HTTP status is the one the
 * server answers with when the error ends a request; engine-only codes (a transfer that
 * failed) appear in `Download.error` and use 500 only if they ever escape a request.
 */
export const ERROR_STATUS = {
  // request input
  INVALID_URL: 400,
  UNSUPPORTED_PROTOCOL: 400,
  INVALID_FIELD: 400,
  INVALID_JSON: 400,
  BAD_REQUEST: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  // access
  UNAUTHORIZED: 401,
  FORBIDDEN_HOST: 403,
  FORBIDDEN_ORIGIN: 403,
  NOT_PAIRED: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  TOO_MANY_ATTEMPTS: 429,
  INVALID_STATE: 409,
  CONFIRMATION_REQUIRED: 409,
  /** Open or reveal on a machine with no desktop session: nothing there could show the file. */
  NO_DESKTOP: 409,
  // transfers
  HTTP_ERROR: 502,
  NETWORK_ERROR: 502,
  TIMEOUT: 504,
  TOO_MANY_REDIRECTS: 502,
  REDIRECT_NOT_ALLOWED: 502,
  CHECKSUM_MISMATCH: 500,
  TLS_ERROR: 502,
  PROXY_ERROR: 502,
  // streams (HLS, DASH)
  /** A playlist or manifest Haul cannot read: the message names the line or element. */
  BAD_PLAYLIST: 502,
  /** The stream is under DRM (SAMPLE-AES, ContentProtection): Haul does not download it. */
  DRM_PROTECTED: 502,
  /** A live stream (no end to its playlist): not downloaded, said so. */
  LIVE_STREAM: 502,
  // torrents
  /** A .torrent file (given, fetched or from peers) that is damaged or unsafe: the message names what is wrong. */
  BAD_TORRENT: 400,
  // local files
  DISK_FULL: 507,
  PERMISSION_DENIED: 500,
  FILE_ERROR: 500,
  INTERNAL: 500,
  // several nodes: the shared Redis did not answer
  UNAVAILABLE: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** The error body shape shared by the HTTP API and `Download.error`. */
export interface WireError {
  code: ErrorCode;
  message: string;
  /** Extension: the specifics inside `message`, so an interface can say it in the user's language and keep them. */
  params?: ErrorParams;
}

export interface ErrorParams {
  host?: string;
  /** An HTTP status. */
  status?: number;
  path?: string;
  /** Retries made before Haul stopped (as the list counts them: "retry 5 of 5", then "retried 5 times"). */
  tries?: number;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_STATUS, value);
}
