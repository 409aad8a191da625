import type { ResponseHeaders } from '../send-get.ts';

/** Longest response head accepted; more is an attack or a broken server. */
export const MAX_HEAD_BYTES = 64 * 1024;

export interface ParsedHead {
  /** HTTP/1.x minor version. */
  minor: 0 | 1;
  status: number;
  headers: ResponseHeaders;
}

/** Raised for bytes that are not HTTP/1.1; never transient. */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
  readonly code = 'HPE_INVALID';
}

/** Optional whitespace of HTTP (SP and HTAB only: String.trim would also eat NBSP and others). */
export function trimOws(text: string): string {
  return text.replace(/^[ \t]+|[ \t]+$/gu, '');
}

/**
 * Where a response head ends in `text`: the index of the blank line and the length of the
 * terminator, accepting bare LF line ends as RFC 9112 §2.2 allows; undefined if not yet.
 */
export function findHeadEnd(text: string): { at: number; length: number } | undefined {
  const match = /\r?\n\r?\n/u.exec(text);
  return match === null ? undefined : { at: match.index, length: match[0].length };
}

/**
 * Parses a response head (status line and header fields, without the blank line). Lines end
 * in CRLF or a bare LF; an obsolete line folding (a line starting with SP or HTAB) continues
 * the previous field and is replaced by one space (RFC 9112 §5.2).
 */
export function parseHead(text: string): ParsedHead {
  const lines: string[] = [];
  for (const line of text.split(/\r?\n/u)) {
    if ((line.startsWith(' ') || line.startsWith('\t')) && lines.length > 1) lines[lines.length - 1] = `${trimOws(lines.at(-1) ?? '')} ${trimOws(line)}`;
    else lines.push(line);
  }
  const statusLine = /^HTTP\/1\.([01]) (\d{3})(?: .*)?$/u.exec(lines[0] ?? '');
  if (statusLine === null) throw new ProtocolError(`not an HTTP/1.1 response: ${JSON.stringify((lines[0] ?? '').slice(0, 60))}`);
  const headers: ResponseHeaders = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0 || /[\s]/u.test(line.slice(0, colon))) throw new ProtocolError(`malformed header line: ${JSON.stringify(line.slice(0, 60))}`);
    const name = line.slice(0, colon).toLowerCase();
    const value = trimOws(line.slice(colon + 1));
    const existing = headers[name];
    if (existing === undefined) headers[name] = value;
    else if (name === 'set-cookie') headers[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
    else if (name === 'content-length' && existing !== value) throw new ProtocolError('conflicting Content-Length headers');
    else if (name !== 'content-length') headers[name] = `${Array.isArray(existing) ? existing.join(', ') : existing}, ${value}`;
  }
  return { minor: statusLine[1] === '1' ? 1 : 0, status: Number(statusLine[2]), headers };
}

/** How a response's body is delimited (RFC 9112 §6.3), and whether its connection may be reused after it. */
export type BodyFraming = { kind: 'none' | 'chunked' | 'until-close'; reusable: boolean } | { kind: 'length'; length: number; reusable: boolean };

/**
 * The framing of `head`'s body. 1xx, 204 and 304 have none, whatever they claim; a
 * Transfer-Encoding wins over a Content-Length (and then the connection is closed after, as
 * the pair is a smuggling sign); a coding that does not end in chunked runs to the close; a
 * Content-Length must be one safe whole number. Reuse needs HTTP/1.1, a delimited body and no
 * `Connection: close`.
 */
export function bodyFraming(head: ParsedHead): BodyFraming {
  const te = head.headers['transfer-encoding'];
  const cl = head.headers['content-length'];
  const keep = head.minor === 1 && !/\bclose\b/iu.test(String(head.headers['connection'] ?? ''));
  if (head.status === 204 || head.status === 304 || head.status < 200) return { kind: 'none', reusable: keep };
  if (te !== undefined) {
    const codings = String(te).toLowerCase().split(',').map(trimOws);
    if (codings.at(-1) === 'chunked') return { kind: 'chunked', reusable: keep && cl === undefined };
    return { kind: 'until-close', reusable: false };
  }
  if (cl !== undefined) return { kind: 'length', length: contentLength(String(cl)), reusable: keep };
  return { kind: 'until-close', reusable: false };
}

function contentLength(value: string): number {
  const values = new Set(value.split(',').map(trimOws));
  const [only] = values;
  if (values.size !== 1 || only === undefined || !/^\d+$/u.test(only) || !Number.isSafeInteger(Number(only))) {
    throw new ProtocolError(`bad Content-Length: ${JSON.stringify(value.slice(0, 40))}`);
  }
  return Number(only);
}
