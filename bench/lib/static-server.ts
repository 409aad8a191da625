// A minimal static file server with Range support, used by the benchmarks when nginx is not
// installed, and as the strict per-connection throttle. Run as its own process so it does not
// share a core's event loop with the client.
// Usage: static-server.ts <root> [bytes per second per TCP connection] [slow every Nth connection] [slow|stall]
// With the third argument, every Nth TCP connection (the 2nd, 2+N-th, …) is paced at 1/16 of
// the rate: a straggler, as on a path where some flows land on a congested link. With `stall`,
// that connection instead goes silent after 512 KiB of its first answer and never sends more.
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const root = process.argv[2] ?? '.';
const rate = Number(process.argv[3] ?? 0);
const slowEvery = Number(process.argv[4] ?? 0);
const stall = process.argv[5] === 'stall';
/** Connections that go silent (with `stall`). */
const silent = new WeakSet<net.Socket>();
const STALL_AFTER = 512 * 1024;
/** Each connection's rate: most run at `rate`, stragglers at a sixteenth. */
const rateOf = new WeakMap<net.Socket, number>();
let accepted = 0;
/**
 * When each connection may send its next byte (ms). Unlike nginx's limit_rate, which is per
 * request and grants each a second's worth up front, this pacing belongs to the TCP connection
 * and carries over between its requests: no request starts with an allowance.
 */
const nextSend = new WeakMap<net.Socket, number>();

async function paced(file: string, start: number, end: number, res: http.ServerResponse): Promise<void> {
  const socket = res.socket!;
  let sent = 0;
  for await (const chunk of fs.createReadStream(file, { start, end, highWaterMark: 64 * 1024 }) as AsyncIterable<Buffer>) {
    // A stalling connection holds the socket open and sends nothing more, as a wedged server does.
    if (silent.has(socket) && sent >= STALL_AFTER) return;
    sent += chunk.length;
    const now = performance.now();
    const at = Math.max(now, nextSend.get(socket) ?? now);
    if (at > now) await sleep(at - now);
    nextSend.set(socket, at + (chunk.length * 1000) / (rateOf.get(socket) ?? rate));
    if (res.destroyed) return;
    if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
  }
  res.end();
}

const server = http.createServer((req, res) => {
  const file = path.join(root, path.normalize(decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/')));
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    res.writeHead(404).end();
    return;
  }
  const m = /^bytes=(\d+)-(\d*)$/u.exec(req.headers.range ?? '');
  const start = m === null ? 0 : Number(m[1]);
  const end = m === null || m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  const headers: Record<string, string | number> = { 'accept-ranges': 'bytes', 'content-length': end - start + 1, etag: '"bench"' };
  if (m !== null) headers['content-range'] = `bytes ${start}-${end}/${size}`;
  res.writeHead(m === null ? 200 : 206, headers);
  if (rate > 0) paced(file, start, end, res).catch(() => res.destroy());
  else fs.createReadStream(file, { start, end, highWaterMark: 1024 * 1024 }).pipe(res);
});
server.on('connection', (socket) => {
  accepted += 1;
  const odd = slowEvery > 0 && accepted % slowEvery === 2 % slowEvery;
  if (odd && stall) silent.add(socket);
  rateOf.set(socket, odd && !stall ? rate / 16 : rate);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${typeof address === 'object' && address !== null ? address.port : 0}\n`);
});
