import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ChunkedDecoder } from '../../../../../electron/engine/http/raw/chunked-decoder.ts';
import { parseHead } from '../../../../../electron/engine/http/raw/http1-parser.ts';
import { RAW_FAILURE } from '../../../../../electron/engine/http/raw/raw-failure.ts';
import { rawGet } from '../../../../../electron/engine/http/raw/raw-get.ts';
import { RawPool } from '../../../../../electron/engine/http/raw/raw-pool.ts';
import { rawFetch } from '../../../../helpers/raw-fetch.ts';

let server: net.Server | undefined;
afterEach(() => server?.close());

/** A server that answers every connection with exactly these writes, pausing between them. */
async function rawServer(writes: Array<string | Buffer>, opts: { end?: boolean } = {}): Promise<URL> {
  server = net.createServer((socket) => {
    socket.once('data', async () => {
      for (const w of writes) {
        socket.write(w);
        await new Promise((r) => setTimeout(r, 5));
      }
      if (opts.end !== false) socket.end();
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return new URL(`http://127.0.0.1:${(server!.address() as net.AddressInfo).port}/x`);
}

describe('rawGet against exact bytes', () => {
  it('decodes a chunked body split at awkward places, with extensions and trailers', async () => {
    const url = await rawServer(['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhel', 'lo\r', '\n6\r\n wor', 'ld\r\n0\r\nX-Trailer: 1\r\n', '\r\n']);
    const res = await rawFetch(url);
    expect(res).toMatchObject({ status: 200, body: 'hello world' });
  });

  it('skips interim 1xx responses', async () => {
    const url = await rawServer(['HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok']);
    expect(await rawFetch(url)).toMatchObject({ status: 200, body: 'ok' });
  });

  it('reads a body delimited by the connection closing', async () => {
    const url = await rawServer(['HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil ', 'close']);
    expect(await rawFetch(url)).toMatchObject({ status: 200, body: 'until close' });
  });

  it('joins repeated headers and keeps Set-Cookie apart', async () => {
    const url = await rawServer(['HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nVary: x\r\nVary: y\r\nContent-Length: 0\r\n\r\n']);
    const res = await rawFetch(url);
    expect(res.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(res.headers['vary']).toBe('x, y');
  });

  it.each([
    ['garbage', ['SSH-2.0-OpenSSH\r\n\r\n'], /not an HTTP\/1.1 response/u],
    ['a short body', ['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'], /closed the connection before the body ended/u],
    ['no answer', [], /closed the connection without answering/u],
    ['a bad chunk size', ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'], /bad chunk size/u],
    ['conflicting lengths', ['HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n'], /conflicting Content-Length/u],
    ['a huge head', [`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(70_000)}`], /larger than 64 KiB/u],
  ])('rejects %s with a clear error', async (_name, writes, message) => {
    const url = await rawServer(writes as string[]);
    await expect(rawFetch(url)).rejects.toThrow(message);
  });

  it('times out a server that goes silent', async () => {
    const url = await rawServer(['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab'], { end: false });
    await expect(rawGet({ url, headers: {} }, () => ({ write: () => true }), { idleTimeoutMs: 100 })).rejects.toMatchObject({ code: RAW_FAILURE.idleTimeout });
  });

  it('sends the request line, Host and the given headers', async () => {
    let seen = '';
    server = net.createServer((socket) =>
      socket.once('data', (d: Buffer) => {
        seen = d.toString();
        socket.end('HTTP/1.1 204 No Content\r\n\r\n');
      }),
    );
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = new URL(`http://127.0.0.1:${(server.address() as net.AddressInfo).port}/a%20b?q=1`);
    await rawGet({ url, headers: { 'user-agent': 'T/1' } }, () => ({ write: () => true }));
    expect(seen).toMatch(/^GET \/a%20b\?q=1 HTTP\/1\.1\r\nhost: 127\.0\.0\.1:\d+\r\nuser-agent: T\/1\r\nconnection: close\r\n\r\n$/u);
  });
});

describe('http1 parser', () => {
  it('parses a head', () => {
    expect(parseHead('HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-1/2')).toEqual({ minor: 1, status: 206, headers: { 'content-range': 'bytes 0-1/2' } });
  });
  it('decodes chunks fed one byte at a time', () => {
    const input = Buffer.from('3\r\nabc\r\n1\r\nd\r\n0\r\n\r\n');
    const decoder = new ChunkedDecoder();
    let out = '';
    for (const byte of input) decoder.feed(Buffer.from([byte]), (s) => (out += Buffer.from(s).toString()));
    expect(out).toBe('abcd');
    expect(decoder.done).toBe(true);
  });
});

/**
 * A server that answers each request on a connection with `answer(n)` (n counts requests on that
 * connection from 1); `null` drops the connection without answering. Records connections and requests.
 */
async function keepAliveServer(answer: (n: number) => string | null): Promise<{ url: URL; connections: () => number; requests: string[] }> {
  let connections = 0;
  const requests: string[] = [];
  server = net.createServer((socket) => {
    connections += 1;
    let n = 0;
    let pending = '';
    socket.on('data', (d: Buffer) => {
      pending += d.toString('latin1');
      let end: number;
      while ((end = pending.indexOf('\r\n\r\n')) !== -1) {
        requests.push(pending.slice(0, end));
        pending = pending.slice(end + 4);
        const reply = answer(++n);
        if (reply === null) socket.destroy();
        else socket.write(reply);
      }
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: new URL(`http://127.0.0.1:${(server!.address() as net.AddressInfo).port}/k`), connections: () => connections, requests };
}

async function body(url: URL, pool: RawPool): Promise<string> {
  const parts: Buffer[] = [];
  await rawGet(
    { url, headers: {} },
    () => ({
      write: (chunk) => {
        parts.push(Buffer.from(chunk));
        return true;
      },
    }),
    { pool },
  );
  return Buffer.concat(parts).toString();
}

describe('rawGet with a connection pool', () => {
  it('reuses one connection for consecutive requests, framed by length or chunks', async () => {
    const s = await keepAliveServer((n) => (n % 2 === 1 ? `HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nr${n}!` : `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nr${n}!\r\n0\r\n\r\n`));
    const pool = new RawPool();
    expect([await body(s.url, pool), await body(s.url, pool), await body(s.url, pool)]).toEqual(['r1!', 'r2!', 'r3!']);
    expect(s.connections()).toBe(1);
    expect(s.requests.every((r) => !/connection: close/iu.test(r))).toBe(true);
    pool.close();
  });

  it('sends the request again on a new connection when a kept one was closed by the server', async () => {
    // Every connection answers once, then drops the next request unanswered (an idle timeout racing us).
    const s = await keepAliveServer((n) => (n === 1 ? 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok' : null));
    const pool = new RawPool();
    expect(await body(s.url, pool)).toBe('ok');
    expect(await body(s.url, pool)).toBe('ok');
    expect(s.connections()).toBe(2);
    expect(s.requests).toHaveLength(3);
    pool.close();
  });

  it.each([
    ['Connection: close', 'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok'],
    ['HTTP/1.0', 'HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok'],
    ['more bytes than the body', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokJUNK'],
  ])('does not reuse a connection after %s', async (_name, reply) => {
    const s = await keepAliveServer(() => reply);
    const pool = new RawPool();
    expect(await body(s.url, pool)).toBe('ok');
    expect(await body(s.url, pool)).toBe('ok');
    expect(s.connections()).toBe(2);
    pool.close();
  });
});
