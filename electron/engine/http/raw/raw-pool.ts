import net from 'node:net';
import type tls from 'node:tls';
import { tlsModule } from '../lazy-tls.ts';

/** What a connection reports to the request using it. */
export interface RawExchange {
  /** Bytes read into the connection's buffer (valid during the call); false pauses reading. */
  onData(bytes: Uint8Array): boolean;
  onEnd(): void;
  onError(error: Error): void;
  onTimeout(): void;
}

export interface RawPoolOptions {
  /** How long an idle connection is kept for the next request to the same server. Default 4 000 ms. */
  keepIdleMs?: number;
  /** Idle connections kept per server. Default 32 (one per segment at the most connections). */
  maxIdlePerServer?: number;
}

/**
 * One TCP (or TLS) connection that reads into its own reused buffer (`onread`, which TLS
 * sockets honour with the decrypted bytes) and hands what it reads to whichever request is
 * using it. Between requests it has none, and anything the server does then (data, close,
 * error) just retires it.
 */
export class RawConnection {
  readonly key: string;
  readonly socket: net.Socket;
  /** The event that says the connection is ready for a request. */
  readonly readyEvent: 'connect' | 'secureConnect';
  readonly #secure: boolean;
  #exchange: RawExchange | null = null;

  constructor(key: string, host: string, port: number, readBufferSize: number, secure?: tls.ConnectionOptions) {
    this.key = key;
    const buffer = Buffer.allocUnsafe(readBufferSize);
    const options = {
      host,
      port,
      onread: {
        buffer,
        callback: (nread: number, buf: Uint8Array): boolean => {
          if (this.#exchange === null) {
            // A server never speaks first: whatever this is, the connection is unusable.
            this.socket.destroy();
            return false;
          }
          return this.#exchange.onData(buf.subarray(0, nread));
        },
      },
    };
    this.#secure = secure !== undefined;
    this.readyEvent = secure === undefined ? 'connect' : 'secureConnect';
    this.socket = secure === undefined ? net.connect(options) : tlsModule().connect({ ...secure, ...options });
    this.socket.setNoDelay(true);
    this.socket.on('end', () => (this.#exchange === null ? this.socket.destroy() : this.#exchange.onEnd()));
    this.socket.on('error', (error) => (this.#exchange === null ? this.socket.destroy() : this.#exchange.onError(error)));
    this.socket.on('timeout', () => (this.#exchange === null ? this.socket.destroy() : this.#exchange.onTimeout()));
  }

  get usable(): boolean {
    return !this.socket.destroyed && this.socket.readyState === 'open';
  }

  /** Whether the request must wait for the connection (TCP connect, TLS handshake). */
  get connecting(): boolean {
    return this.socket.connecting || (this.#secure && (this.socket as tls.TLSSocket).pending);
  }

  attach(exchange: RawExchange): void {
    this.#exchange = exchange;
    this.socket.ref();
  }

  detach(): void {
    this.#exchange = null;
  }
}

/**
 * Idle keep-alive connections of the raw client, per server, so that a download's next range
 * request skips the TCP handshake and starts with a warm congestion window.
 */
export class RawPool {
  readonly #idle = new Map<string, RawConnection[]>();
  readonly #keepIdleMs: number;
  readonly #maxIdle: number;

  constructor(opts: RawPoolOptions = {}) {
    this.#keepIdleMs = opts.keepIdleMs ?? 4_000;
    this.#maxIdle = opts.maxIdlePerServer ?? 32;
  }

  /** An idle connection to `key` that still looks open, if any. */
  take(key: string): RawConnection | undefined {
    const list = this.#idle.get(key);
    while (list !== undefined && list.length > 0) {
      const conn = list.pop()!;
      conn.socket.removeAllListeners('close');
      if (conn.usable) return conn;
    }
    return undefined;
  }

  /** Keeps a connection whose response ended cleanly for the next request. */
  give(conn: RawConnection): void {
    const list = this.#idle.get(conn.key) ?? [];
    if (list.length >= this.#maxIdle || !conn.usable) {
      conn.socket.destroy();
      return;
    }
    conn.detach();
    conn.socket.resume();
    conn.socket.setTimeout(this.#keepIdleMs);
    // An idle connection must not keep the process alive.
    conn.socket.unref();
    conn.socket.once('close', () => {
      const at = list.indexOf(conn);
      if (at !== -1) list.splice(at, 1);
    });
    list.push(conn);
    this.#idle.set(conn.key, list);
  }

  close(): void {
    for (const list of this.#idle.values()) for (const conn of list) conn.socket.destroy();
    this.#idle.clear();
  }
}
