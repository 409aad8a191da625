/** The raw client's own failure kinds, as the `code` of the errors it rejects with (besides the socket's own, such as ECONNRESET). */
export const RAW_FAILURE = {
  /** Connecting (TCP and TLS) took longer than allowed. */
  connectTimeout: 'RAW_CONNECT_TIMEOUT',
  /** A connection went silent for longer than allowed. */
  idleTimeout: 'RAW_IDLE_TIMEOUT',
} as const;
