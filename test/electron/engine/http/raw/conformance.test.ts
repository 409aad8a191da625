import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RawPool } from '../../../../../electron/engine/http/raw/raw-pool.ts';
import { rawFetch } from '../../../../helpers/raw-fetch.ts';

// RFC 9112 conformance of the hand-written HTTP/1.1 client, each case against a real TCP
// server that sends exactly the bytes under test.

let server: net.Server | undefined;
let pool: RawPool | undefined;
afterEach(() => {
  pool?.close();
  pool = undefined;
  server?.close();
});

type Answer = string | Buffer | { bytes: string; thenClose: true };

/** Answers each request on each connection with the next response in `answers`; counts connections. */
async function scriptedServer(answers: Answer[]): Promise<{ url: URL; connections: () => number }> {
  let next = 0;
  let connections = 0;
  server = net.createServer((socket) => {
    connections += 1;
    socket.on('data', () => {
      const answer = answers[next++];
      if (typeof answer === 'object' && 'thenClose' in answer) socket.end(answer.bytes);
      else if (answer !== undefined) socket.write(answer);
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const url = new URL(`http://127.0.0.1:${(server!.address() as net.AddressInfo).port}/x`);
  return { url, connections: () => connections };
}

describe('HTTP/1.1 message parsing (RFC 9112)', () => {
  it('replaces an obsolete line folding with one space (§5.2)', async () => {
    const { url } = await scriptedServer(['HTTP/1.1 200 OK\r\nX-Folded: first\r\n   second\r\n\tthird\r\nContent-Length: 2\r\n\r\nok']);
    const res = await rawFetch(url);
    expect(res.headers['x-folded']).toBe('first second third');
    expect(res.body).toBe('ok');
  });

  it('accepts bare LF line ends (§2.2)', async () => {
    const { url } = await scriptedServer(['HTTP/1.1 200 OK\nContent-Length: 5\nX-A: b\n\nhello']);
    expect(await rawFetch(url)).toMatchObject({ status: 200, body: 'hello', headers: { 'x-a': 'b' } });
  });

  it('trims only spaces and tabs around a field value, never NBSP', async () => {
    const head = Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nX-Nbsp: '), Buffer.from([0xa0]), Buffer.from('v'), Buffer.from([0xa0]), Buffer.from(' \t\r\nContent-Length: 0\r\n\r\n')]);
    const { url } = await scriptedServer([head]);
    expect((await rawFetch(url)).headers['x-nbsp']).toBe('\u00a0v\u00a0');
  });

  it('refuses a Content-Length padded with NBSP, or conflicting values', async () => {
    const nbsp = Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: '), Buffer.from([0xa0]), Buffer.from('2\r\n\r\nok')]);
    let { url } = await scriptedServer([nbsp]);
    await expect(rawFetch(url)).rejects.toThrow(/Content-Length/u);
    server?.close();
    ({ url } = await scriptedServer(['HTTP/1.1 200 OK\r\nContent-Length: 2, 3\r\n\r\nok']));
    await expect(rawFetch(url)).rejects.toThrow(/Content-Length/u);
  });

  it('accepts a Content-Length list of one repeated value', async () => {
    const { url } = await scriptedServer(['HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nok']);
    expect((await rawFetch(url)).body).toBe('ok');
  });
});

describe('message body length (RFC 9112 §6.3)', () => {
  it('lets Transfer-Encoding win over Content-Length, and closes the connection after', async () => {
    pool = new RawPool();
    const { url, connections } = await scriptedServer([
      'HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\ntwo',
    ]);
    expect((await rawFetch(url, { pool })).body).toBe('ok');
    expect((await rawFetch(url, { pool })).body).toBe('two');
    // The first connection was not reused: a second one carried the second request.
    expect(connections()).toBe(2);
  });

  it.each([204, 304])('reads no body for %i even with Transfer-Encoding, and reuses the connection', async (code) => {
    pool = new RawPool();
    const { url, connections } = await scriptedServer([`HTTP/1.1 ${code} X\r\nTransfer-Encoding: chunked\r\n\r\n`, 'HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nnext']);
    expect(await rawFetch(url, { pool })).toMatchObject({ status: code, body: '' });
    expect((await rawFetch(url, { pool })).body).toBe('next');
    expect(connections()).toBe(1);
  });

  it('reads to the close when the last coding is not chunked', async () => {
    const { url } = await scriptedServer([{ bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: identity-ish\r\n\r\nall of it', thenClose: true }]);
    expect((await rawFetch(url)).body).toBe('all of it');
  });
});
