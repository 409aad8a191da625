import { ChunkedDecoder } from './chunked-decoder.ts';
import { bodyFraming, findHeadEnd, MAX_HEAD_BYTES, parseHead, ProtocolError } from './http1-parser.ts';
import type { TlsChoice } from '../dispatcher.ts';
import { rawTarget } from './raw-target.ts';
import { RawConnection, type RawPool } from './raw-pool.ts';
import { DISCARD, type BodySink, type ResponseControl, type ResponseHead } from '../send-get.ts';
import { RAW_FAILURE } from './raw-failure.ts';

export interface RawGetOptions {
  /** Give up connecting after this long. Default 15 000 ms. */
  connectTimeoutMs?: number | undefined;
  /** Fail when the server sends nothing for this long. Default 30 000 ms. */
  idleTimeoutMs?: number | undefined;
  /** Size of the connection's one read buffer. Default 256 KiB. */
  readBufferSize?: number;
  /** Where connections are reused from and returned to. Default: none (one connection per request). */
  pool?: RawPool;
}

type OnHead = (head: ResponseHead, control: ResponseControl) => BodySink | typeof DISCARD;

function netError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

/** The read size under a speed limit: one read past the limit's pause is at most this. */
const SMALL_READ = 16 * 1024;

/** A reused connection that failed before any answer: the server closed it while idle. */
class StaleConnection extends Error {}

/**
 * The fast path for plain http:// without a proxy: a GET over a connection that reads into
 * one reused buffer (net's `onread`), so a transfer allocates nothing per chunk and the sink
 * copies straight from the socket's buffer. Same contract as `sendGet`, except that body
 * chunks are only valid during `BodySink.write`. With a pool, connections are kept alive
 * between requests; a request on a kept connection that the server had closed is sent again
 * on a new one (GET is idempotent, and nothing of it was answered).
 */
export async function rawGet(
  request: { url: URL; headers: Record<string, string>; signal?: AbortSignal; tls?: TlsChoice; smallReads?: boolean },
  onHead: OnHead,
  opts: RawGetOptions = {},
): Promise<void> {
  const { url } = request;
  const target = rawTarget(url, request.tls ?? {});
  const { host, port, secure } = target;
  // Connections of either read size are kept apart, so a limited download never gets a large one.
  const key = request.smallReads === true ? `${target.key}|small` : target.key;
  const kept = opts.pool?.take(key);
  if (kept !== undefined) {
    try {
      await exchange(kept, true, request, onHead, opts);
      return;
    } catch (error) {
      if (!(error instanceof StaleConnection)) throw error;
    }
  }
  const size = request.smallReads === true ? SMALL_READ : (opts.readBufferSize ?? 256 * 1024);
  await exchange(new RawConnection(key, host, port, size, secure), false, request, onHead, opts);
}

/** One request and its response on `conn`. */
function exchange(conn: RawConnection, reused: boolean, request: { url: URL; headers: Record<string, string>; signal?: AbortSignal }, onHead: OnHead, opts: RawGetOptions): Promise<void> {
  const { url, headers, signal } = request;
  const socket = conn.socket;
  const connectTimeoutMs = opts.connectTimeoutMs ?? 15_000;
  const idleTimeoutMs = opts.idleTimeoutMs ?? 30_000;
  return new Promise<void>((resolve, reject) => {
    let headText = '';
    let sink: BodySink | null = null;
    let chunked: ChunkedDecoder | undefined;
    let remaining = -1; // bytes of body left; -1 = until the connection closes
    let inBody = false;
    let answered = false;
    let settled = false;
    let paused = false;
    let keepAlive = false;

    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (error === undefined && keepAlive && opts.pool !== undefined) opts.pool.give(conn);
      else {
        conn.detach();
        socket.destroy();
      }
      if (error === undefined) resolve();
      else reject(reused && !answered && !(signal?.aborted ?? false) ? new StaleConnection(error.message) : error);
    };
    const onAbort = (): void => finish(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    const control: ResponseControl = {
      resume: () => {
        if (paused && !settled) {
          paused = false;
          socket.resume();
        }
      },
      abort: (reason) => finish(reason),
    };

    /** Delivers body bytes; false asks the socket to pause. */
    const deliver = (bytes: Uint8Array): boolean => {
      if (chunked !== undefined) {
        let ok = true;
        const used = chunked.feed(bytes, (slice) => {
          if (sink !== null && !sink.write(slice)) ok = false;
        });
        if (chunked.done) {
          // Bytes after the last chunk would belong to no request: do not reuse the connection.
          if (used < bytes.length) keepAlive = false;
          finish();
        }
        return ok;
      }
      const take = remaining === -1 ? bytes.length : Math.min(remaining, bytes.length);
      const ok = take === 0 || sink === null || sink.write(bytes.subarray(0, take));
      if (remaining !== -1) {
        remaining -= take;
        if (take < bytes.length) keepAlive = false;
        if (remaining === 0) finish();
      }
      return ok;
    };

    const onHeadComplete = (text: string, rest: Uint8Array): boolean => {
      const parsed = parseHead(text);
      if (parsed.status >= 100 && parsed.status < 200) {
        // Interim responses (100 Continue, 103 Early Hints) precede the real one.
        headText = '';
        return rest.length === 0 ? true : onData(rest);
      }
      const framing = bodyFraming(parsed);
      if (framing.kind === 'chunked') chunked = new ChunkedDecoder();
      else if (framing.kind === 'length') remaining = framing.length;
      else if (framing.kind === 'none') remaining = 0;
      keepAlive = framing.reusable;
      inBody = true;
      sink = onHead({ status: parsed.status, headers: parsed.headers, url }, control);
      if (sink === DISCARD) {
        keepAlive = false;
        finish();
        return false;
      }
      if (remaining === 0 && chunked === undefined) {
        if (rest.length > 0) keepAlive = false;
        finish();
        return false;
      }
      return rest.length === 0 ? true : deliver(rest);
    };

    const onData = (bytes: Uint8Array): boolean => {
      answered = true;
      if (inBody) return deliver(bytes);
      const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
      const before = headText.length;
      headText += text;
      const end = findHeadEnd(headText);
      if (end === undefined) {
        if (headText.length > MAX_HEAD_BYTES) throw new ProtocolError('response head larger than 64 KiB');
        return true;
      }
      const head = headText.slice(0, end.at);
      const used = end.at + end.length - before;
      return onHeadComplete(head, bytes.subarray(used));
    };

    const send = (): void => {
      socket.setTimeout(idleTimeoutMs);
      const lines = [`GET ${url.pathname}${url.search} HTTP/1.1`, `host: ${url.host}`];
      for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
      if (opts.pool === undefined) lines.push('connection: close');
      lines.push('', '');
      socket.write(lines.join('\r\n'));
    };

    conn.attach({
      onData: (bytes) => {
        if (settled) return false;
        try {
          const ok = onData(bytes);
          // A finished exchange may have handed the connection to the pool: keep it reading.
          if (settled) return true;
          if (!ok) paused = true;
          return ok;
        } catch (error) {
          finish(error instanceof Error ? error : new Error(String(error)));
          return false;
        }
      },
      onTimeout: () => {
        // A paused socket is waiting on us (disk or rate limit), not on the server.
        if (paused) return;
        finish(
          netError(
            `no data from ${url.host} for ${Math.round((socket.connecting ? connectTimeoutMs : idleTimeoutMs) / 1000)} s`,
            socket.connecting ? RAW_FAILURE.connectTimeout : RAW_FAILURE.idleTimeout,
          ),
        );
      },
      onError: (error) => finish(error),
      onEnd: () => {
        if (inBody && remaining === -1 && chunked === undefined) finish();
        else finish(netError(inBody ? `${url.host} closed the connection before the body ended` : `${url.host} closed the connection without answering`, 'ECONNRESET'));
      },
    });
    if (conn.connecting) {
      socket.setTimeout(connectTimeoutMs);
      socket.once(conn.readyEvent, send);
    } else send();
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}
