import { createReadStream, type Stats } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import contentDisposition from 'content-disposition';
import { SECURITY_HEADERS } from './respond.ts';

/** A byte range asked for, inclusive of both ends as HTTP writes it; or why none applies. */
export type RangeAsk = { kind: 'whole' } | { kind: 'part'; start: number; end: number } | { kind: 'unsatisfiable' };

/**
 * Reads a `Range` header against a file of `size` bytes (RFC 9110 §14). One range is served
 * as 206; a malformed header or several ranges get the whole file (allowed, and simpler than
 * multipart); a range wholly past the end is 416.
 */
export function parseRange(header: string | undefined, size: number): RangeAsk {
  if (header === undefined) return { kind: 'whole' };
  const m = /^bytes=(\d*)-(\d*)$/u.exec(header.trim());
  if (m === null || (m[1] === '' && m[2] === '')) return { kind: 'whole' };
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return { kind: 'unsatisfiable' };
    return size === 0 ? { kind: 'unsatisfiable' } : { kind: 'part', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return { kind: 'whole' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'part', start, end };
}

/** Sends a finished file as an attachment with its name, honouring one Range and If-Range. */
export function sendFile(req: IncomingMessage, res: ServerResponse, file: string, name: string, stats: Stats, extra: Record<string, string>): void {
  const etag = `"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
  const lastModified = stats.mtime.toUTCString();
  const ifRange = req.headers['if-range'];
  const rangeApplies = ifRange === undefined || ifRange === etag || ifRange === lastModified;
  const ask = rangeApplies ? parseRange(req.headers.range, stats.size) : { kind: 'whole' as const };
  const headers = {
    ...SECURITY_HEADERS,
    ...extra,
    'content-type': 'application/octet-stream',
    'content-disposition': contentDisposition(name),
    'accept-ranges': 'bytes',
    'cache-control': 'no-store',
    etag,
    'last-modified': lastModified,
  };
  if (ask.kind === 'unsatisfiable') {
    res.writeHead(416, { ...headers, 'content-range': `bytes */${stats.size}`, 'content-length': 0 });
    res.end();
    return;
  }
  const [start, end, status] = ask.kind === 'part' ? [ask.start, ask.end, 206] : [0, stats.size - 1, 200];
  res.writeHead(status, { ...headers, 'content-length': Math.max(0, end - start + 1), ...(status === 206 ? { 'content-range': `bytes ${start}-${end}/${stats.size}` } : {}) });
  if (req.method === 'HEAD' || stats.size === 0) {
    res.end();
    return;
  }
  const stream = createReadStream(file, { start, end });
  stream.once('error', () => res.destroy());
  res.once('close', () => stream.destroy());
  stream.pipe(res);
}
