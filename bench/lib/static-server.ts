// A minimal static file server with Range support, used by the benchmarks when nginx is not
// installed. Run as its own process so it does not share a core's event loop with the client.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const root = process.argv[2] ?? '.';
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
  fs.createReadStream(file, { start, end, highWaterMark: 1024 * 1024 }).pipe(res);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${typeof address === 'object' && address !== null ? address.port : 0}\n`);
});
