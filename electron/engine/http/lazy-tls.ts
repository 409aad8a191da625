import type * as Tls from 'node:tls';

/**
 * `node:tls`, loaded at the first https connection. Importing it costs ~14 ms of start-up
 * (it brings the TLS stack with it), which a plain http:// `haul get` never needs.
 */
export function tlsModule(): typeof Tls {
  return process.getBuiltinModule('node:tls');
}
