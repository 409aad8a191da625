import net from 'node:net';
import { ChunkedDecoder, MAX_HEAD_BYTES, parseHead, ProtocolError } from './http1-parser.ts';
import { headerValue } from './headers.ts';
import { DISCARD, type BodySink, type ResponseControl, type ResponseHead } from './send-get.ts';

export interface RawGetOptions {
  /** Give up connecting after this long. Default 15 000 ms. */
  connectTimeoutMs?: number;
  /** Fail when the server sends nothing for this long. Default 30 000 ms. */
  idleTimeoutMs?: number;
  /** Size of the connection's one read buffer. Default 256 KiB. */
  readBufferSize?: number;
}

function netError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

/**
 * The fast path for plain http:// without a proxy: a GET on its own socket that reads into
 * one reused buffer (net's `onread`), so a transfer allocates nothing per chunk and the sink
 * copies straight from the socket's buffer. Same contract as `sendGet`, except that body
 * chunks are only valid during `BodySink.write`.
 */
export function rawGet(
  request: { url: URL; headers: Record<string, string>; signal?: AbortSignal },
  onHead: (head: ResponseHead, control: ResponseControl) => BodySink | typeof DISCARD,
  opts: RawGetOptions = {},
): Promise<void> {
  const { url, headers, signal } = request;
  return new Promise<void>((resolve, reject) => {
    const readBuffer = Buffer.allocUnsafe(opts.readBufferSize ?? 256 * 1024);
    let headText = '';
    let sink: BodySink | null = null;
    let chunked: ChunkedDecoder | undefined;
    let remaining = -1; // bytes of body left; -1 = until the connection closes
    let inBody = false;
    let settled = false;
    let paused = false;

    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      if (error === undefined) resolve();
      else reject(error);
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
        chunked.feed(bytes, (slice) => {
          if (sink !== null && !sink.write(slice)) ok = false;
        });
        if (chunked.done) finish();
        return ok;
      }
      const take = remaining === -1 ? bytes.length : Math.min(remaining, bytes.length);
      const ok = take === 0 || sink === null || sink.write(bytes.subarray(0, take));
      if (remaining !== -1) {
        remaining -= take;
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
      const te = headerValue(parsed.headers, 'transfer-encoding');
      const length = headerValue(parsed.headers, 'content-length');
      if (te !== undefined && /chunked\s*$/iu.test(te)) chunked = new ChunkedDecoder();
      else if (length !== undefined) {
        if (!/^\d+$/u.test(length.trim())) throw new ProtocolError(`bad Content-Length: ${length.slice(0, 30)}`);
        remaining = Number(length);
      }
      if (parsed.status === 204 || parsed.status === 304) remaining = 0;
      inBody = true;
      sink = onHead({ status: parsed.status, headers: parsed.headers, url }, control);
      if (sink === DISCARD) {
        finish();
        return false;
      }
      if (remaining === 0 && chunked === undefined) {
        finish();
        return false;
      }
      return rest.length === 0 ? true : deliver(rest);
    };

    const onData = (bytes: Uint8Array): boolean => {
      if (inBody) return deliver(bytes);
      const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
      const before = headText.length;
      headText += text;
      const end = headText.indexOf('\r\n\r\n');
      if (end === -1) {
        if (headText.length > MAX_HEAD_BYTES) throw new ProtocolError('response head larger than 64 KiB');
        return true;
      }
      const head = headText.slice(0, end);
      const used = end + 4 - before;
      return onHeadComplete(head, bytes.subarray(used));
    };

    const socket = net.connect({
      host: url.hostname.replace(/^\[|\]$/gu, ''),
      port: Number(url.port || 80),
      onread: {
        buffer: readBuffer,
        callback: (nread: number, buf: Uint8Array): boolean => {
          if (settled) return false;
          try {
            const ok = onData(buf.subarray(0, nread));
            if (!ok && !settled) paused = true;
            return ok;
          } catch (error) {
            finish(error instanceof Error ? error : new Error(String(error)));
            return false;
          }
        },
      },
    });
    socket.setNoDelay(true);
    socket.setTimeout(opts.connectTimeoutMs ?? 15_000);
    socket.once('connect', () => {
      socket.setTimeout(opts.idleTimeoutMs ?? 30_000);
      const lines = [`GET ${url.pathname}${url.search} HTTP/1.1`, `host: ${url.host}`];
      for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
      lines.push('connection: close', '', '');
      socket.write(lines.join('\r\n'));
    });
    socket.on('timeout', () => {
      // A paused socket is waiting on us (disk or rate limit), not on the server.
      if (paused) return;
      finish(netError(`no data from ${url.host} for ${Math.round((socket.connecting ? (opts.connectTimeoutMs ?? 15_000) : (opts.idleTimeoutMs ?? 30_000)) / 1000)} s`, socket.connecting ? 'UND_ERR_CONNECT_TIMEOUT' : 'UND_ERR_BODY_TIMEOUT'));
    });
    socket.on('error', (error) => finish(error));
    socket.on('end', () => {
      if (inBody && remaining === -1 && chunked === undefined) finish();
      else finish(netError(inBody ? `${url.host} closed the connection before the body ended` : `${url.host} closed the connection without answering`, 'ECONNRESET'));
    });
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}
