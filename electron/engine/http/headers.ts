import type { ResponseHeaders } from './send-get.ts';

/** A header's value (the first, if repeated), or undefined. Names are lower-case. */
export function headerValue(headers: ResponseHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export interface ContentRange {
  start: number;
  /** Inclusive. */
  end: number;
  /** null for `*`. */
  size: number | null;
}

/** Parses `Content-Range: bytes a-b/n` (or `bytes a-b/*`); undefined if malformed. */
export function parseContentRange(value: string | undefined): ContentRange | undefined {
  const match = /^\s*bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/iu.exec(value ?? '');
  if (match === null) return undefined;
  const start = Number(match[1]);
  const end = Number(match[2]);
  const size = match[3] === '*' ? null : Number(match[3]);
  if (end < start || (size !== null && end >= size)) return undefined;
  return { start, end, size };
}

/** Parses `Content-Range: bytes * /n` as sent with 416. */
export function parseUnsatisfiedRange(value: string | undefined): number | undefined {
  const match = /^\s*bytes\s+\*\/(\d+)\s*$/iu.exec(value ?? '');
  return match === null ? undefined : Number(match[1]);
}

/** A strong ETag (weak ones cannot validate a byte range, RFC 9110 §13.1.5). */
export function strongEtag(headers: ResponseHeaders): string | undefined {
  const etag = headerValue(headers, 'etag')?.trim();
  return etag?.startsWith('"') ? etag : undefined;
}
